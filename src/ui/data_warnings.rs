//! Data warnings: what validation found wrong in the feed, naming each record.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row};

use super::table::{self, ListTable, pane_block};
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
        &Pane::DataWarnings.title(theme.lang),
        focused,
        Some((list, Pane::DataWarnings)),
        area.width,
    );
    let warnings = &fresh.snapshot.data_warnings;
    let header = Row::new([
        theme.label(theme.lang.text("col-record")),
        theme.label(theme.lang.text("col-problem")),
    ]);
    let [record_room, _] = table::column_widths(area, &WIDTHS)[..] else {
        return;
    };
    ListTable::new(block, header, &WIDTHS)
        .when_empty(theme.label(theme.lang.text("pane-no-data-warnings")))
        .draw(frame, area, list, focused, theme, |i| {
            let warning = &warnings[i];
            let record = record(warning.record.as_str(), &fresh.snapshot, theme);
            Row::new(vec![
                Cell::from(table::cut(theme, &record, usize::from(record_room)))
                    .style(theme.late().1),
                Cell::from(text::shown(theme, &warning.message_in(theme.lang)).into_owned()),
            ])
        });
}

/// The record a warning is about: its name where the feed has one, else its
/// id made safe to show (the program, the document, a record dropped as a
/// duplicate).
fn record(id: &str, snapshot: &Snapshot, theme: Theme) -> String {
    // The one name a narrow column has room for: in Chinese, the Chinese one.
    let name = snapshot
        .store(id)
        .map(|s| text::shown(theme, &s.name).into_owned())
        .or_else(|| {
            let partner = snapshot.partner(id)?;
            Some(text::short_name(
                theme,
                &partner.name,
                partner.local_name.as_deref(),
            ))
        })
        .or_else(|| {
            let city = snapshot.city(id)?;
            Some(text::short_name(
                theme,
                &city.name,
                city.local_name.as_deref(),
            ))
        })
        .filter(|name| !name.trim().is_empty());
    name.unwrap_or_else(|| text::shown(theme, &crate::feed::text::clean(id)).into_owned())
}
