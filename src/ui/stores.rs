//! Store build-out: phase, a progress bar, planned opening, display car, late marks.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use std::borrow::Cow;

use super::table::{self, ListTable, cut, pane_block};
use super::text;
use super::theme::Theme;
use crate::analysis::progress;
use crate::app::{App, Pane};
use crate::feed::wire::{Phase, Store, StoreKind, WireValue};
use crate::worker::Fresh;

/// A store kind in a few letters: DC, Home, 2S (交付中心, 小米之家, 2S店);
/// a kind this client does not know as the feed sent it, made safe.
pub fn kind_text(theme: Theme, kind: &StoreKind) -> String {
    match kind {
        StoreKind::DeliveryCenter => theme.label(theme.lang.text("pane-kind-dc")).into_owned(),
        StoreKind::XiaomiHome => theme.label(theme.lang.text("pane-kind-home")).into_owned(),
        StoreKind::SalesService2s => theme.label(theme.lang.text("pane-kind-2s")).into_owned(),
        StoreKind::Unknown(_) => text::word(theme, "kind", kind.as_str()),
    }
}

/// The width of the kind column: its head or its widest known word.
fn kind_width(theme: Theme) -> u16 {
    let kinds = StoreKind::KNOWN.iter().map(|k| kind_text(theme, k));
    table::widest(kinds).max(table::widest([theme.label(theme.lang.text("col-kind"))]))
}

/// The width of the phase column: its head or its widest known word (a
/// phase this client does not know is cut to it, with an ellipsis).
fn phase_width(theme: Theme) -> u16 {
    let phases = Phase::KNOWN
        .iter()
        .map(|p| text::word(theme, "phase", p.as_str()));
    table::widest(phases).max(table::widest([theme.label(theme.lang.text("col-phase"))]))
}

/// A store table's columns: full, or compact for narrow areas (under 100
/// columns); with the store's city in a column of its own when `city` (not
/// on a city's own screen) and the name keeps room beside it.
pub fn columns(theme: Theme, width: u16, city: bool) -> (Row<'static>, Vec<Constraint>, Layout) {
    let with_city = layout(theme, width, city);
    // The store's name comes first: the city gives way where the name would
    // keep fewer than 20 columns.
    if city && with_city.2.name >= 20 {
        with_city
    } else {
        layout(theme, width, false)
    }
}

fn layout(theme: Theme, width: u16, city: bool) -> (Row<'static>, Vec<Constraint>, Layout) {
    let compact = width < 100;
    let mut header = vec![theme.label(theme.lang.text("col-store"))];
    let mut widths = vec![Constraint::Fill(1)];
    let city_width = if compact { 10 } else { 12 };
    if city {
        header.push(theme.label(theme.lang.text("col-city")));
        widths.push(Constraint::Length(city_width));
    }
    let phase = phase_width(theme);
    let (late_mark, _) = theme.late();
    // A date takes ten columns; its head may want more (计划开业 fits).
    let date = |head: &str| table::widest([head]).max(10);
    if compact {
        // Compact keeps both dates (the drill-down promises them) and drops the kind.
        let (opens, car) = (
            theme.label(theme.lang.text("col-opens")),
            theme.label(theme.lang.text("col-car")),
        );
        widths.extend([phase, 10, date(&opens), date(&car), 2].map(Constraint::Length));
        header.extend([
            theme.label(theme.lang.text("col-phase")),
            theme.label(theme.lang.text("col-build-out")),
            opens,
            car,
        ]);
    } else {
        let (opens, car) = (
            theme.label(theme.lang.text("col-opens")),
            theme.label(theme.lang.text("col-display-car")),
        );
        let late = table::widest([&late_mark]).max(6);
        widths.extend(
            [
                kind_width(theme),
                phase,
                15,
                date(&opens),
                date(&car).max(11),
                late,
            ]
            .map(Constraint::Length),
        );
        header.extend([
            theme.label(theme.lang.text("col-kind")),
            theme.label(theme.lang.text("col-phase")),
            theme.label(theme.lang.text("col-build-out")),
            opens,
            car,
        ]);
    }
    header.push(Cow::Borrowed(""));
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
            city_width,
            phase,
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
    /// Columns the city gets, where it has a column.
    pub city_width: u16,
    /// Columns the phase gets.
    pub phase: u16,
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
        Cow::Borrowed(theme.late_symbol())
    } else {
        late_text
    };
    let name = text::store_name(theme, &fresh.snapshot, &store.id);
    let mut cells = vec![Cell::from(cut(theme, &name, usize::from(layout.name)))];
    if layout.city {
        let city = text::city_short_name(theme, &fresh.snapshot, &store.city);
        cells.push(Cell::from(Span::styled(
            cut(theme, &city, usize::from(layout.city_width)),
            theme.dim(),
        )));
    }
    if !compact {
        cells.push(Cell::from(kind_text(theme, &store.kind)));
    }
    let phase = text::word(theme, "phase", store.renovation.phase.as_str());
    cells.extend([
        Cell::from(Span::styled(
            cut(theme, &phase, usize::from(layout.phase)),
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
        &Pane::Stores.title(theme.lang),
        focused,
        Some((list, Pane::Stores)),
        area.width,
    );
    let (header, widths, layout) = columns(theme, area.width, true);
    let stores = &fresh.snapshot.document.stores;
    ListTable::new(block, header, &widths)
        .when_empty(theme.label(theme.lang.text("pane-no-stores")))
        .draw(frame, area, list, focused, theme, |i| {
            row(&stores[i], fresh, theme, layout)
        });
}
