//! Conflict warnings, severity first, each with a symbol and a word.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::table::{draw_list, pane_block};
use super::theme::Theme;
use crate::analysis::Finding;
use crate::app::{App, Pane};

/// The header of a findings table.
pub fn header() -> Row<'static> {
    Row::new(["Severity", "Rule", "City", "What"])
}

/// The column widths of a findings table.
pub const WIDTHS: [Constraint; 4] = [
    Constraint::Length(10),
    Constraint::Length(21),
    Constraint::Length(10),
    Constraint::Fill(1),
];

/// One finding as a table row (shared with the drill-downs).
pub fn row<'a>(finding: &'a Finding, theme: Theme) -> Row<'a> {
    let style = theme.severity(finding.severity);
    Row::new(vec![
        Cell::from(Line::from(vec![
            Span::styled(theme.severity_symbol(finding.severity), style),
            Span::styled(format!(" {}", finding.severity.word()), style),
        ])),
        Cell::from(finding.origin.label()),
        Cell::from(finding.city.as_ref().map_or("-", |c| c.as_str())),
        Cell::from(finding.message.as_str()),
    ])
}

/// Draws the conflicts pane.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let list = &app.lists.conflicts;
    let block = pane_block(
        theme,
        Pane::Conflicts.title(),
        focused,
        Some((list, Pane::Conflicts)),
    );
    let Some(fresh) = &app.current else {
        draw_list(
            frame,
            area,
            block,
            header(),
            &WIDTHS,
            list,
            focused,
            theme,
            |_| Row::default(),
        );
        return;
    };
    let findings = &fresh.analysis.findings;
    draw_list(
        frame,
        area,
        block,
        header(),
        &WIDTHS,
        list,
        focused,
        theme,
        |i| row(&findings[i], theme),
    );
}
