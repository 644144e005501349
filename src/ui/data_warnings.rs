//! Data warnings: what validation found wrong in the feed, naming each record.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row};

use super::table::{ListTable, pane_block};
use super::text;
use super::theme::Theme;
use crate::app::{App, Pane};
use crate::feed::snapshot::Snapshot;
use crate::worker::Fresh;

const WIDTHS: [Constraint; 2] = [Constraint::Length(16), Constraint::Fill(1)];

/// Draws the data warnings pane.
pub fn draw(app: &App, fresh: &Fresh, theme: Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let list = &app.lists.data_warnings;
    let block = pane_block(
        theme,
        Pane::DataWarnings.title(),
        focused,
        Some((list, Pane::DataWarnings)),
        area.width,
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
                Cell::from(record(warning.record.as_str(), &fresh.snapshot, theme))
                    .style(theme.late().1),
                Cell::from(text::shown(theme, &warning.message_in(theme.lang)).into_owned()),
            ])
        },
    );
}

/// The record a warning is about: its name where the feed has one, else its
/// id made safe to show (the program, the document, a record dropped as a
/// duplicate).
fn record(id: &str, snapshot: &Snapshot, theme: Theme) -> String {
    let name = snapshot
        .store(id)
        .map(|s| s.name.as_str())
        .or_else(|| snapshot.partner(id).map(|p| p.name.as_str()))
        .or_else(|| snapshot.city(id).map(|c| c.name.as_str()))
        .map(|name| text::shown(theme, name).into_owned())
        .filter(|name| !name.trim().is_empty());
    name.unwrap_or_else(|| text::shown(theme, &crate::feed::text::clean(id)).into_owned())
}
