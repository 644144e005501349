//! The footer: the keys that work here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::app::{App, Route};

/// The keys shown in the footer for the current screen.
pub fn keys(app: &App) -> &'static [(&'static str, &'static str)] {
    if app.filtering {
        return &[("type", "filter"), ("Enter", "keep"), ("Esc", "clear")];
    }
    match app.route() {
        Route::Overview => &[
            ("j/k", "move"),
            ("Enter", "open"),
            ("Tab", "pane"),
            ("/", "filter"),
            ("s/S", "sort"),
            ("r", "poll"),
            ("p", "pause"),
            ("?", "help"),
            ("q", "quit"),
        ],
        _ => &[
            ("j/k", "move"),
            ("Enter", "open"),
            ("Tab", "section"),
            ("Esc", "back"),
            ("r", "poll"),
            ("p", "pause"),
            ("?", "help"),
            ("q", "quit"),
        ],
    }
}

/// Draws the footer. When the keys do not fit, the middle ones give way:
/// the first (moving) and the last (`?` help, `q` quit) always show.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    if app.filtering {
        let filter = &app.focused_list().filter;
        spans.push(Span::styled(format!("/{filter}"), theme.key()));
        spans.push(Span::styled(
            if theme.ascii { "_ " } else { "▏ " },
            theme.key(),
        ));
    }
    let mut keys: Vec<(&str, &str)> = keys(app).to_vec();
    let width = |keys: &[(&str, &str)]| -> usize {
        keys.iter()
            .map(|(k, w)| UnicodeWidthStr::width(*k) + UnicodeWidthStr::width(*w) + 3)
            .sum::<usize>()
    };
    let room = usize::from(area.width).saturating_sub(spans.iter().map(|s| s.width()).sum());
    while width(&keys) > room && keys.len() > 3 {
        keys.remove(keys.len() - 3);
    }
    for (key, what) in keys {
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
