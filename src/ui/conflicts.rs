//! Conflict warnings, severity first, each with a symbol and a word.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Row};

use super::table::{ListTable, pane_block};
use super::theme::Theme;
use crate::analysis::Finding;
use crate::app::{App, Pane};
use crate::feed::poller::Fresh;

/// The header of a findings table.
pub fn header() -> Row<'static> {
    Row::new(["Severity", "Rule", "City", "What"])
}

/// The header of a findings table with two-line rows.
pub fn narrow_header() -> Row<'static> {
    Row::new(["Severity, rule, city / what"])
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
pub fn draw(app: &App, fresh: &Fresh, theme: Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let list = &app.lists.conflicts;
    let block = pane_block(
        theme,
        Pane::Conflicts.title(),
        focused,
        Some((list, Pane::Conflicts)),
    );
    let findings = &fresh.analysis.findings;
    if row_height(area.width) == 1 {
        ListTable::new(block, header(), &WIDTHS).draw(frame, area, list, focused, theme, |i| {
            row(&findings[i], theme)
        });
    } else {
        // Narrow: the message gets a line of its own, so it is never cut to nothing.
        let table = ListTable {
            row_height: row_height(area.width),
            ..ListTable::new(block, narrow_header(), &[Constraint::Fill(1)])
        };
        table.draw(frame, area, list, focused, theme, |i| {
            two_line_row(&findings[i], theme)
        });
    }
}

/// Lines per finding: two in a narrow pane, where the sentence gets a line of its own.
pub fn row_height(width: u16) -> u16 {
    if width >= 90 { 1 } else { 2 }
}

/// A finding as two lines: severity, rule and city, then the sentence.
pub fn two_line_row(finding: &Finding, theme: Theme) -> Row<'_> {
    let style = theme.severity(finding.severity);
    let dot = if theme.ascii { "," } else { "·" };
    let first = Line::from(vec![
        Span::styled(theme.severity_symbol(finding.severity), style),
        Span::styled(format!(" {:<8} ", finding.severity.word()), style),
        Span::raw(finding.origin.label()),
        Span::styled(
            format!(
                " {dot} {}",
                finding.city.as_ref().map_or("-", |c| c.as_str())
            ),
            theme.dim(),
        ),
    ]);
    let second = Line::from(format!("  {}", finding.message));
    Row::new(vec![Cell::from(Text::from(vec![first, second]))])
}
