//! Store build-out: phase, a progress bar, planned opening, display car, late marks.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::table::{ListTable, pane_block};
use super::theme::Theme;
use crate::analysis::progress;
use crate::app::{App, Pane};
use crate::feed::poller::Fresh;
use crate::feed::wire::{Store, StoreKind, WireValue};

/// A store kind in a few letters: DC, Home, 2S.
pub fn kind_text(kind: &StoreKind) -> &str {
    match kind {
        StoreKind::DeliveryCenter => "DC",
        StoreKind::XiaomiHome => "Home",
        StoreKind::SalesService2s => "2S",
        StoreKind::Unknown(text) => text.as_str(),
    }
}

/// A store table's columns: full, or compact for narrow areas (under 100 columns).
pub fn columns(width: u16) -> (Row<'static>, &'static [Constraint], bool) {
    const FULL: [Constraint; 7] = [
        Constraint::Fill(1),
        Constraint::Length(4),
        Constraint::Length(15),
        Constraint::Length(15),
        Constraint::Length(10),
        Constraint::Length(11),
        Constraint::Length(6),
    ];
    // Compact keeps both dates (the drill-down promises them) and drops the kind.
    const COMPACT: [Constraint; 6] = [
        Constraint::Fill(1),
        Constraint::Length(15),
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Length(2),
    ];
    if width >= 100 {
        let header = Row::new([
            "Store",
            "Kind",
            "Phase",
            "Build-out",
            "Opens",
            "Display car",
            "",
        ]);
        (header, &FULL, false)
    } else {
        let header = Row::new(["Store", "Phase", "Build-out", "Opens", "Car", ""]);
        (header, &COMPACT, true)
    }
}

/// One store as a table row (shared with the drill-downs); `compact` drops
/// the display-car column and shortens the bar and the late mark.
pub fn row<'a>(store: &'a Store, fresh: &Fresh, theme: Theme, compact: bool) -> Row<'a> {
    let today = fresh.snapshot.document.generated_at.date_naive();
    let deadline = fresh.snapshot.document.program.display_vehicle_deadline;
    let percent = progress::percent(store);
    let slipped = progress::schedule_slipped(store, today);
    let car_late = progress::display_vehicle_late(store, deadline);
    let date = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "-".to_owned(), |d| d.to_string());
    let (late_text, late_style) = theme.late();
    let late_mark = if compact {
        late_text.split(' ').next().unwrap_or("!")
    } else {
        late_text
    };
    let mut cells = vec![Cell::from(Line::from(vec![
        Span::raw(store.name.as_str()),
        Span::styled(format!(" {}", store.city), theme.dim()),
    ]))];
    if !compact {
        cells.push(Cell::from(kind_text(&store.kind)));
    }
    cells.extend([
        Cell::from(Span::styled(
            store.renovation.phase.as_str(),
            theme.phase(&store.renovation.phase),
        )),
        Cell::from(Line::from(vec![
            Span::styled(
                theme.bar(percent, if compact { 5 } else { 10 }),
                theme.bar_style(percent),
            ),
            Span::raw(format!(" {percent:>3.0}%")),
        ])),
        Cell::from(Span::styled(
            date(store.renovation.planned_open),
            if slipped { late_style } else { theme.text() },
        )),
        Cell::from(Span::styled(
            date(store.renovation.display_vehicle_eta),
            if car_late { late_style } else { theme.text() },
        )),
    ]);
    cells.push(Cell::from(if slipped || car_late {
        Span::styled(late_mark, late_style)
    } else {
        Span::raw("")
    }));
    Row::new(cells)
}

/// Draws the store build-out pane.
pub fn draw(app: &App, fresh: &Fresh, theme: Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let list = &app.lists.stores;
    let block = pane_block(
        theme,
        Pane::Stores.title(),
        focused,
        Some((list, Pane::Stores)),
    );
    let (header, widths, compact) = columns(area.width);
    let stores = &fresh.snapshot.document.stores;
    ListTable::new(block, header, widths).draw(frame, area, list, focused, theme, |i| {
        row(&stores[i], fresh, theme, compact)
    });
}
