//! The help overlay: every key of the current view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::app::{App, Route};

const COMMON: &[(&str, &str)] = &[
    ("j / Down, k / Up", "move the selection"),
    ("g / Home, G / End", "first / last row"),
    (
        "Ctrl-d / Ctrl-u",
        "half a page down / up (also PgDn / PgUp)",
    ),
    ("Enter", "open the selected city, partner or store"),
    ("r", "poll the feed now"),
    ("p", "pause / resume polling"),
    ("?", "this help (any key closes it)"),
    ("q, Ctrl-C", "quit"),
    ("Ctrl-Z", "suspend to the shell (fg resumes)"),
    ("mouse", "wheel scrolls, a click selects a pane and a row"),
];

const OVERVIEW: &[(&str, &str)] = &[
    ("Tab / Shift-Tab", "next / previous pane"),
    (
        "1-7",
        "cities, partners, stores, conflicts, changes, map, data warnings",
    ),
    ("/", "filter the pane (Enter keeps, Esc clears)"),
    ("s / S", "cycle the sort key / reverse the order"),
    ("Esc", "clear the filter"),
];

const DETAIL: &[(&str, &str)] = &[
    ("Tab / Shift-Tab", "next / previous section"),
    ("Esc", "back"),
];

/// Draws the help overlay centred over `area`.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let extra = if app.route() == &Route::Overview {
        OVERVIEW
    } else {
        DETAIL
    };
    let lines: Vec<Line> = extra
        .iter()
        .chain(COMMON)
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!("{key:>20}"), theme.key()),
                Span::raw(format!("  {what}")),
            ])
        })
        .collect();
    let height = (lines.len() as u16 + 2).min(area.height);
    let width = 72.min(area.width);
    let [rect] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(rect);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_set(theme.border_set())
        .border_style(theme.focus_border())
        .title(Span::styled(" Keys ", theme.title()));
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
