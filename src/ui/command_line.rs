//! The `:` command line in the footer, and the candidates it offers in a
//! list just above it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState};
use unicode_width::UnicodeWidthStr;

use super::text;
use super::theme::Theme;
use crate::app::command_line::CommandLine;
use crate::tr;

/// The spans of the footer while the command line is open: the prompt,
/// what is typed (its end, where typing goes on), and what Enter could
/// not do.
pub fn prompt(line: &CommandLine, theme: Theme, width: usize) -> Vec<Span<'static>> {
    let cursor = if theme.ascii { "_ " } else { "▏ " };
    let typed = text::shown(theme, &line.input).into_owned();
    let room = width.saturating_sub(1 + cursor.width());
    let typed = if typed.width() > room {
        // The end of the line, where typing goes on.
        let mut start = 0;
        while typed[start..].width() > room {
            start += typed[start..].chars().next().map_or(1, char::len_utf8);
        }
        typed[start..].to_owned()
    } else {
        typed
    };
    let mut spans = vec![
        Span::styled(":", theme.key()),
        Span::styled(typed, theme.key()),
        Span::styled(cursor, theme.key()),
    ];
    if let Some(error) = &line.error {
        spans.push(Span::styled(format!("{error}  "), theme.title()));
    }
    spans
}

/// Draws the candidates over the bottom of `body` (nothing when there
/// are none), the picked one highlighted.
pub fn draw_candidates(line: &CommandLine, theme: Theme, frame: &mut Frame, body: Rect) {
    if line.candidates.is_empty() || body.height < 3 {
        return;
    }
    let height = (line.candidates.len() as u16 + 2).min(body.height);
    let area = Rect {
        y: body.y + body.height - height,
        height,
        ..body
    };
    let items: Vec<ListItem> = line
        .candidates
        .iter()
        .map(|c| ListItem::new(Line::from(text::shown(theme, &c.label).into_owned())))
        .collect();
    let list = List::new(items)
        .block(
            Block::new()
                .borders(Borders::ALL)
                .border_set(theme.border_set())
                .border_style(theme.focus_border())
                .title(Span::styled(
                    format!(" {} ", tr!(theme.lang, "cmd-candidates-title")),
                    theme.title(),
                )),
        )
        .highlight_style(theme.selected());
    let mut state = ListState::default().with_selected(line.picked);
    frame.render_widget(Clear, area);
    frame.render_stateful_widget(list, area, &mut state);
}
