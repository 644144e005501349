//! Store build-out: phase, a progress bar, planned opening, display car, late marks.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::table::{ListTable, cut, pane_block};
use super::text;
use super::theme::Theme;
use crate::analysis::progress;
use crate::app::{App, Pane};
use crate::feed::wire::{Store, StoreKind, WireValue};
use crate::worker::Fresh;

/// A store kind in a few letters: DC, Home, 2S.
pub fn kind_text(kind: &StoreKind) -> &str {
    match kind {
        StoreKind::DeliveryCenter => "DC",
        StoreKind::XiaomiHome => "Home",
        StoreKind::SalesService2s => "2S",
        StoreKind::Unknown(text) => text.as_str(),
    }
}

/// A store table's columns: full, or compact for narrow areas (under 100
/// columns); with the store's city in a column of its own when `city` (not
/// on a city's own screen) and the name keeps room beside it.
pub fn columns(width: u16, city: bool) -> (Row<'static>, Vec<Constraint>, Layout) {
    let with_city = layout(width, city);
    // The store's name comes first: the city gives way where the name would
    // keep fewer than 20 columns.
    if city && with_city.2.name >= 20 {
        with_city
    } else {
        layout(width, false)
    }
}

fn layout(width: u16, city: bool) -> (Row<'static>, Vec<Constraint>, Layout) {
    let compact = width < 100;
    let mut header = vec!["Store"];
    let mut widths = vec![Constraint::Fill(1)];
    if city {
        header.push("City");
        widths.push(Constraint::Length(if compact { 10 } else { 12 }));
    }
    if compact {
        // Compact keeps both dates (the drill-down promises them) and drops the kind.
        header.extend(["Phase", "Build-out", "Opens", "Car", ""]);
        widths.extend([15, 10, 10, 10, 2].map(Constraint::Length));
    } else {
        header.extend(["Kind", "Phase", "Build-out", "Opens", "Display car", ""]);
        widths.extend([4, 15, 15, 10, 11, 6].map(Constraint::Length));
    }
    // What the name keeps: the table's inside less the fixed columns and
    // the spaces between columns.
    let fixed: u16 = widths
        .iter()
        .map(|w| match w {
            Constraint::Length(n) => *n,
            _ => 0,
        })
        .sum();
    let gaps = u16::try_from(widths.len() - 1).unwrap_or(0);
    let name = width.saturating_sub(2 + fixed + gaps);
    (
        Row::new(header),
        widths,
        Layout {
            compact,
            city,
            name,
        },
    )
}

/// How a store table is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// No kind column, a shorter bar and late mark.
    pub compact: bool,
    /// The store's city in a column of its own.
    pub city: bool,
    /// Columns the store's name gets (cut with an ellipsis beyond).
    pub name: u16,
}

/// One store as a table row (shared with the drill-downs).
pub fn row<'a>(store: &'a Store, fresh: &Fresh, theme: Theme, layout: Layout) -> Row<'a> {
    let compact = layout.compact;
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
    let name = text::store_name(theme, &fresh.snapshot, &store.id);
    let mut cells = vec![Cell::from(cut(theme, &name, usize::from(layout.name)))];
    if layout.city {
        cells.push(Cell::from(Span::styled(
            text::city_short_name(theme, &fresh.snapshot, &store.city),
            theme.dim(),
        )));
    }
    if !compact {
        cells.push(Cell::from(
            text::shown(theme, kind_text(&store.kind)).into_owned(),
        ));
    }
    cells.extend([
        Cell::from(Span::styled(
            text::shown(theme, store.renovation.phase.as_str()).into_owned(),
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
        area.width,
    );
    let (header, widths, layout) = columns(area.width, true);
    let stores = &fresh.snapshot.document.stores;
    ListTable::new(block, header, &widths).draw(frame, area, list, focused, theme, |i| {
        row(&stores[i], fresh, theme, layout)
    });
}
