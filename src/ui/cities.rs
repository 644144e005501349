//! The recruitment cities: status, partners, stores, build-out, conflicts.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};
use unicode_width::UnicodeWidthStr;

use super::table::{self, ListTable, pane_block};
use super::text;
use super::theme::Theme;
use crate::app::{App, Pane};
use crate::feed::wire::WireValue;
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
    let room = |fit: Fit, city: u16| columns(fit).iter().sum::<u16>() + 5 + city <= inner;
    let fit = [Fit::Full, Fit::ShortBar, Fit::Figures]
        .into_iter()
        .find(|fit| room(*fit, names))
        .or_else(|| {
            [Fit::Full, Fit::ShortBar]
                .into_iter()
                .find(|fit| room(*fit, CITY_MIN))
        })
        .unwrap_or(Fit::Figures);
    let [status, partners, stores, built, conflicts] = columns(fit);
    let header = Row::new([
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
    ]);
    let widths = [
        Constraint::Length(status),
        Constraint::Min(CITY_MIN),
        Constraint::Length(partners),
        Constraint::Length(stores),
        Constraint::Length(built),
        Constraint::Length(conflicts),
    ];
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
        let local = city.local_name.as_deref();
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
        Row::new(vec![
            Cell::from(Line::from(status)),
            Cell::from(Line::from(name)),
            Cell::from(format!("{:>partners$}", p.partners)),
            Cell::from(open_total),
            Cell::from(Line::from(built)),
            Cell::from(badge),
        ])
    });
}
