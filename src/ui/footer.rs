//! The footer: the filter being typed, what the last key did not do, and
//! the keys that work here (from the one table of keys).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::text;
use super::theme::Theme;
use crate::app::{App, MAX_FILTER_CHARS, keys};

/// The keys shown in the footer for the current screen: key and one word.
pub fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    keys::for_screen(app.route(), app.filtering)
        .filter_map(|k| k.footer)
        .collect()
}

fn keys_width(keys: &[(&str, &str)]) -> usize {
    keys.iter()
        .map(|(k, w)| UnicodeWidthStr::width(*k) + UnicodeWidthStr::width(*w) + 3)
        .sum()
}

/// Draws the footer. When the keys do not fit, the middle ones give way:
/// the first (moving) and the last (`?` help, `q` quit) always show.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let mut keys = keys(app);
    // The fewest keys the footer shows beside a filter or a notice.
    let least = |keys: &[(&str, &str)]| -> usize {
        if keys.len() <= 3 {
            keys_width(keys)
        } else {
            keys_width(&[keys[0], keys[keys.len() - 2], keys[keys.len() - 1]])
        }
    };
    let mut spans = Vec::new();
    if app.filtering {
        let list = app.focused_list();
        let cut = if list.filter_cut {
            format!(" (cut at {MAX_FILTER_CHARS} characters)")
        } else {
            String::new()
        };
        let cursor = if theme.ascii { "_ " } else { "▏ " };
        // The end of a long filter shows: that is where typing goes on.
        let room = width
            .saturating_sub(least(&keys))
            .saturating_sub(cut.width() + 3);
        let filter = text::shown(theme, &list.filter);
        spans.push(Span::styled("/", theme.key()));
        spans.push(Span::styled(tail(&filter, room), theme.key()));
        spans.push(Span::styled(cursor, theme.key()));
        if !cut.is_empty() {
            spans.push(Span::styled(format!("{} ", cut.trim_start()), theme.dim()));
        }
    } else if let Some(notice) = &app.notice {
        spans.push(Span::styled(format!("{notice}  "), theme.title()));
    }
    let room = width.saturating_sub(spans.iter().map(|s| s.width()).sum());
    while keys_width(&keys) > room && keys.len() > 3 {
        keys.remove(keys.len() - 3);
    }
    // A notice keeps its words whole: the keys go before it is cut.
    if keys_width(&keys) <= room {
        for (key, what) in keys {
            spans.push(Span::styled(key, theme.key()));
            spans.push(Span::raw(format!(" {what}  ")));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The end of `text` that fits in `room` columns, after an ellipsis when cut.
fn tail(text: &str, room: usize) -> String {
    if text.width() <= room {
        return text.to_owned();
    }
    let mut width = 1;
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        width += c.width().unwrap_or(0);
        if width > room {
            break;
        }
        start = i;
    }
    format!("…{}", &text[start..])
}
