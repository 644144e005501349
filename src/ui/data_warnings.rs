//! Data warnings: what validation found wrong in the feed, naming each record.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row};

use super::table::{ListTable, pane_block};
use super::theme::Theme;
use crate::app::{App, Pane};
use crate::feed::poller::Fresh;

const WIDTHS: [Constraint; 2] = [Constraint::Length(16), Constraint::Fill(1)];

/// Draws the data warnings pane.
pub fn draw(app: &App, fresh: &Fresh, theme: Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let list = &app.lists.data_warnings;
    let block = pane_block(
        theme,
        Pane::DataWarnings.title(),
        focused,
        Some((list, Pane::DataWarnings)),
    );
    let warnings = &fresh.snapshot.data_warnings;
    ListTable::new(block, Row::new(["Record", "Problem"]), &WIDTHS).draw(
        frame,
        area,
        list,
        focused,
        theme,
        |i| {
            let warning = &warnings[i];
            Row::new(vec![
                Cell::from(warning.record.shown()).style(theme.late().1),
                Cell::from(warning.message.as_str()),
            ])
        },
    );
}
