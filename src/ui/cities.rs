//! The recruitment cities: status, partners, stores, build-out, conflicts.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};
use unicode_width::UnicodeWidthStr;

use super::table::{self, ListTable, pane_block};
use super::text;
use super::theme::Theme;
use super::trend;
use crate::app::{App, Pane};
use crate::feed::wire::WireValue;
use crate::history::trend::TrendPoint;
use crate::worker::Fresh;

/// The fewest columns the city's name keeps before the other columns give way.
const CITY_MIN: u16 = 12;

/// How much of each column a pane this wide can show: figures always
/// whole; the status word and the bar give way first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Status word, an 8-cell bar and the percent.
    Full,
    /// Status word, a 4-cell bar and the percent.
    ShortBar,
    /// Status symbol, the percent alone.
    Figures,
}

fn digits(n: usize) -> u16 {
    u16::try_from(n.to_string().len()).unwrap_or(u16::MAX)
}

/// Draws the cities pane.
pub fn draw(app: &App, fresh: &Fresh, theme: Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let list = &app.lists.cities;
    let block = pane_block(
        theme,
        Pane::Cities.title(),
        focused,
        Some((list, Pane::Cities)),
        area.width,
    );
    let cities = &fresh.snapshot.document.cities;
    let progress = &fresh.analysis.cities;
    // The widest figures of any city size their columns: a number is never cut.
    let open_digits = progress.iter().map(|p| digits(p.stores_open)).max();
    let total_digits = progress.iter().map(|p| digits(p.stores_total)).max();
    let (open_digits, total_digits) = (open_digits.unwrap_or(1), total_digits.unwrap_or(1));
    let stores = (open_digits + 1 + total_digits).max(6);
    let partners = progress
        .iter()
        .map(|p| digits(p.partners))
        .max()
        .unwrap_or(0)
        .max(8);
    let symbol_width = |s: &str| u16::try_from(s.width()).unwrap_or(u16::MAX);
    let conflicts = progress
        .iter()
        .filter_map(|p| p.worst.map(|w| (w, p.conflicts)))
        .map(|(w, n)| symbol_width(theme.severity_symbol(w)) + 1 + digits(n))
        .max()
        .unwrap_or(0)
        .max(10);
    let inner = area.width.saturating_sub(2);
    let columns = |fit: Fit| -> [u16; 5] {
        match fit {
            Fit::Full => [14, partners, stores, 13, conflicts],
            Fit::ShortBar => [14, partners, stores, 9, conflicts],
            Fit::Figures => [1, partners, stores, 5, conflicts],
        }
    };
    // The names want their whole width (up to a point) before the bar does.
    let names = cities
        .iter()
        .map(|c| text::name_and_local(theme, &c.name, c.local_name.as_deref()).width())
        .max()
        .unwrap_or(0);
    let names = u16::try_from(names).unwrap_or(u16::MAX).clamp(CITY_MIN, 20);
    // The trend column (two sparklines of `spark` cells) only where some
    // city has a trend, and only in room no figure needs.
    let series = |i: usize| {
        app.trend
            .as_ref()
            .map_or(&[][..], |t| t.trends.city(cities[i].id.as_str()))
    };
    let any_trend = (0..cities.len()).any(|i| series(i).len() >= 2);
    let trend_width = |spark: u16| if spark == 0 { 0 } else { 2 * spark + 2 };
    let room = |fit: Fit, city: u16, spark: u16| {
        columns(fit).iter().sum::<u16>() + 5 + city + trend_width(spark) <= inner
    };
    let with_trend = [
        (Fit::Full, names, 8),
        (Fit::Full, names, 4),
        (Fit::ShortBar, names, 4),
        (Fit::Full, CITY_MIN, 4),
        (Fit::ShortBar, CITY_MIN, 4),
        (Fit::ShortBar, CITY_MIN, 3),
    ];
    let without = [
        (Fit::Full, names, 0),
        (Fit::ShortBar, names, 0),
        (Fit::Figures, names, 0),
        (Fit::Full, CITY_MIN, 0),
        (Fit::ShortBar, CITY_MIN, 0),
    ];
    let (fit, city_width, spark) = with_trend
        .iter()
        .filter(|_| any_trend)
        .chain(without.iter())
        .find(|(fit, city, spark)| room(*fit, *city, *spark))
        .map_or((Fit::Figures, CITY_MIN, 0), |&(fit, city, spark)| {
            (fit, city, spark)
        });
    // Where the trend took the room of the Chinese names, they give way
    // whole (the drill-down shows them) rather than be cut in half.
    let local_names = spark == 0 || city_width >= names;
    let [status, partners, stores, built, conflicts] = columns(fit);
    let mut header = vec![
        if fit == Fit::Figures { "" } else { "Status" },
        "City",
        "Partners",
        "Stores",
        if fit == Fit::Figures {
            "Built"
        } else {
            "Build-out"
        },
        "Conflicts",
    ];
    let mut widths = vec![
        Constraint::Length(status),
        Constraint::Min(CITY_MIN),
        Constraint::Length(partners),
        Constraint::Length(stores),
        Constraint::Length(built),
        Constraint::Length(conflicts),
    ];
    if spark > 0 {
        // Which line is which, where the column has room to say.
        header.push(if spark >= 8 {
            "Open     Built"
        } else {
            "Trend"
        });
        widths.push(Constraint::Length(trend_width(spark) - 1));
    }
    let header = Row::new(header);
    let bar = match fit {
        Fit::Full => 8,
        Fit::ShortBar => 4,
        Fit::Figures => 0,
    };
    let partners = usize::from(partners);
    let room = table::column_widths(area, &widths)[1];
    ListTable::new(block, header, &widths).draw(frame, area, list, focused, theme, |i| {
        let (city, p) = (&cities[i], &progress[i]);
        let (symbol, style) = theme.status(&p.status);
        let shown = text::city_short_name(theme, &fresh.snapshot, &city.id);
        // Given way to the trend (see `local_names`), or as much as fits.
        let local = city.local_name.as_deref().filter(|_| local_names);
        let local = local.and_then(|l| text::local_fitting(theme, &shown, l, room));
        let mut name = vec![Span::raw(shown)];
        if let Some(local) = local {
            name.push(Span::styled(local, theme.dim()));
        }
        let badge = match p.worst {
            Some(severity) if p.conflicts > 0 => Line::from(vec![
                Span::styled(theme.severity_symbol(severity), theme.severity(severity)),
                Span::raw(format!(" {}", p.conflicts)),
            ]),
            _ => Line::styled(if theme.ascii { "ok" } else { "✓ ok" }, theme.dim()),
        };
        let mut status = vec![Span::styled(symbol, style)];
        if fit != Fit::Figures {
            status.push(Span::styled(format!(" {}", p.status.as_str()), style));
        }
        let mut built = Vec::new();
        if bar > 0 {
            built.push(Span::styled(
                theme.bar(p.avg_percent, bar),
                theme.bar_style(p.avg_percent),
            ));
        }
        built.push(Span::raw(format!(" {:>3.0}%", p.avg_percent)));
        // The slash lines up down the column.
        let open_total = format!(
            "{:>open$}/{:<total$}",
            p.stores_open,
            p.stores_total,
            open = usize::from(stores - total_digits - 1),
            total = usize::from(total_digits),
        );
        let mut cells = vec![
            Cell::from(Line::from(status)),
            Cell::from(Line::from(name)),
            Cell::from(format!("{:>partners$}", p.partners)),
            Cell::from(open_total),
            Cell::from(Line::from(built)),
            Cell::from(badge),
        ];
        if spark > 0 {
            cells.push(Cell::from(trend_cell(series(i), spark, theme)));
        }
        Row::new(cells)
    });
}

/// A city's trend: stores open, then the average build-out, as
/// sparklines of `spark` cells; blank with fewer than two points.
fn trend_cell(points: &[TrendPoint], spark: u16, theme: Theme) -> Line<'static> {
    let width = usize::from(spark);
    let open: Vec<f64> = points.iter().map(|p| f64::from(p.stores_open)).collect();
    let built: Vec<f64> = points.iter().map(|p| p.avg_percent).collect();
    let open = trend::sparkline(&open, width, theme.ascii);
    if open.is_empty() {
        return Line::default();
    }
    let built = trend::sparkline(&built, width, theme.ascii);
    Line::from(vec![
        Span::styled(format!("{open:<width$} "), theme.series(1)),
        Span::styled(built, theme.series(0)),
    ])
}
