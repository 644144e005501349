//! The change log: what changed between polls, newest first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row};

use super::table::{ListTable, pane_block};
use super::text;
use super::theme::Theme;
use crate::analysis::Change;
use crate::app::{App, Pane};
use crate::settings::zoned;

/// One change as a table row (shared with the drill-downs), its time in
/// `zone`.
pub fn row(change: &Change, theme: Theme, zone: chrono_tz::Tz) -> Row<'_> {
    Row::new(vec![
        // The feed's clock, with the day: a change log left open spans days.
        Cell::from(zoned(change.at, zone, "%m-%d %H:%M")).style(theme.dim()),
        Cell::from(text::shown(theme, &change.message).into_owned()),
    ])
}

/// The header of a change table.
pub fn header(theme: Theme) -> Row<'static> {
    Row::new([
        theme.label(theme.lang.text("col-time")),
        theme.label(theme.lang.text("col-change")),
    ])
}

/// The column widths of a change table.
pub const WIDTHS: [Constraint; 2] = [Constraint::Length(11), Constraint::Fill(1)];

/// Draws the change log pane.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let list = &app.lists.changes;
    let block = pane_block(
        theme,
        &Pane::Changes.title(theme.lang),
        focused,
        Some((list, Pane::Changes)),
        area.width,
    );
    ListTable::new(block, header(theme), &WIDTHS)
        .when_empty(theme.label(theme.lang.text("pane-no-changes")))
        .draw(frame, area, list, focused, theme, |i| {
            row(&app.change_log[i], theme, app.zone)
        });
}
