//! The recruitment cities: status, partners, stores, build-out, conflicts.

use std::borrow::Cow;

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
use crate::feed::wire::{RecruitmentStatus, WireValue};
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
        &Pane::Cities.title(theme.lang),
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
    let heads = Heads::new(theme);
    // The columns are as wide as their heads in the language, and the
    // status column as its longest word (symbol and space before it).
    let partners = partners.max(table::widest([&heads.partners]));
    let stores = stores.max(table::widest([&heads.stores]));
    let conflicts = conflicts.max(table::widest([&heads.conflicts]));
    let status_words = RecruitmentStatus::KNOWN
        .iter()
        .map(|s| status_word(theme, s));
    let status_width = (2 + table::widest(status_words)).max(table::widest([&heads.status]));
    let inner = area.width.saturating_sub(2);
    let columns = |fit: Fit| -> [u16; 5] {
        match fit {
            Fit::Full => [status_width, partners, stores, 13, conflicts],
            Fit::ShortBar => [status_width, partners, stores, 9, conflicts],
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
    let mut header: Vec<Cow<'static, str>> = vec![
        if fit == Fit::Figures {
            Cow::Borrowed("")
        } else {
            heads.status.clone()
        },
        heads.city.clone(),
        heads.partners.clone(),
        heads.stores.clone(),
        if fit == Fit::Figures {
            theme.label(theme.lang.text("col-built"))
        } else {
            heads.built.clone()
        },
        heads.conflicts.clone(),
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
        let open = table::pad(
            &theme.label(theme.lang.text("col-trend-open")),
            usize::from(spark) + 1,
        );
        header.push(if spark >= 8 {
            format!("{open}{}", theme.label(theme.lang.text("col-built"))).into()
        } else {
            theme.label(theme.lang.text("col-trend"))
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
    ListTable::new(block, header, &widths)
        .when_empty(theme.label(theme.lang.text("pane-no-cities")))
        .draw(frame, area, list, focused, theme, |i| {
            let (city, p) = (&cities[i], &progress[i]);
            let (symbol, style) = theme.status(&p.status);
            // Given way to the trend (see `local_names`): the one name a narrow
            // column shows; else both, as much as fits.
            let name = if local_names {
                text::name_spans(theme, &city.name, city.local_name.as_deref(), room)
            } else {
                let short = text::city_short_name(theme, &fresh.snapshot, &city.id);
                vec![Span::raw(table::cut(theme, &short, usize::from(room)))]
            };
            // A name that came out empty (all Chinese, in ASCII mode): the id.
            let name = if name.iter().all(|s| s.content.trim().is_empty()) {
                let id = text::city_short_name(theme, &fresh.snapshot, &city.id);
                vec![Span::raw(table::cut(theme, &id, usize::from(room)))]
            } else {
                name
            };
            let badge = match p.worst {
                Some(severity) if p.conflicts > 0 => Line::from(vec![
                    Span::styled(theme.severity_symbol(severity), theme.severity(severity)),
                    Span::raw(format!(" {}", p.conflicts)),
                ]),
                _ => {
                    let ok = theme.label(theme.lang.text("pane-ok"));
                    let ok = if theme.ascii {
                        ok.into_owned()
                    } else {
                        format!("✓ {ok}")
                    };
                    Line::styled(ok, theme.dim())
                }
            };
            let mut status = vec![Span::styled(symbol, style)];
            if fit != Fit::Figures {
                let word = status_word(theme, &p.status);
                let room = usize::from(status_width).saturating_sub(2);
                status.push(Span::styled(
                    format!(" {}", table::cut(theme, &word, room)),
                    style,
                ));
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

/// The column heads every fit shares, in the theme's language.
struct Heads {
    status: Cow<'static, str>,
    city: Cow<'static, str>,
    partners: Cow<'static, str>,
    stores: Cow<'static, str>,
    built: Cow<'static, str>,
    conflicts: Cow<'static, str>,
}

impl Heads {
    fn new(theme: Theme) -> Heads {
        Heads {
            status: theme.label(theme.lang.text("col-status")),
            city: theme.label(theme.lang.text("col-city")),
            partners: theme.label(theme.lang.text("col-partners")),
            stores: theme.label(theme.lang.text("col-stores")),
            built: theme.label(theme.lang.text("col-build-out")),
            conflicts: theme.label(theme.lang.text("col-conflicts")),
        }
    }
}

/// A recruitment status in words: the language's word, or a value the
/// feed sent that this client does not know as it came, made safe.
pub fn status_word(theme: Theme, status: &RecruitmentStatus) -> String {
    text::word(theme, "status", status.as_str())
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
