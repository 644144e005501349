//! Trends drawn: text sparklines for the cities pane, and the city's chart
//! of stores open and average build-out over time.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType};

use super::theme::Theme;
use crate::history::trend::TrendPoint;
use crate::i18n::Lang;
use crate::tr;

/// A sparkline's levels, lowest first.
const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// The same in ASCII.
const ASCII_LEVELS: [char; 8] = ['_', '.', ',', '-', '~', '=', '+', '#'];

/// `values` as a sparkline of at most `width` cells, resampled evenly over
/// the whole series (first and last kept), scaled from its lowest value to
/// its highest; a flat series is a flat line. Empty with fewer than two
/// values: one point is no trend, and draws no stray mark.
pub fn sparkline(values: &[f64], width: usize, ascii: bool) -> String {
    if values.len() < 2 || width == 0 {
        return String::new();
    }
    let cells = values.len().min(width);
    let picked: Vec<f64> = if cells < 2 {
        vec![values[values.len() - 1]]
    } else {
        (0..cells)
            .map(|i| values[i * (values.len() - 1) / (cells - 1)])
            .collect()
    };
    let low = picked.iter().copied().fold(f64::INFINITY, f64::min);
    let high = picked.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let levels = if ascii { &ASCII_LEVELS } else { &LEVELS };
    picked
        .iter()
        .map(|&v| {
            let level = if high - low > f64::EPSILON {
                ((v - low) / (high - low) * 7.0).round() as usize
            } else {
                0
            };
            levels[level.min(7)]
        })
        .collect()
}

/// The markers of the first and the second series.
pub fn markers(theme: Theme) -> [Marker; 2] {
    if theme.ascii {
        [Marker::Custom('*'), Marker::Custom('+')]
    } else {
        [Marker::Braille, Marker::Dot]
    }
}

/// What the title shows for the first and the second series' markers.
pub fn keys(theme: Theme) -> [&'static str; 2] {
    if theme.ascii {
        ["*", "+"]
    } else {
        ["⠒", "•"]
    }
}

/// Days since `start`, as a chart's x.
pub fn days_since(start: DateTime<Utc>, at: DateTime<Utc>) -> f64 {
    (at - start).num_seconds() as f64 / 86_400.0
}

/// Draws a city's (or the programme's) trend: stores open as a share of
/// its stores and the average build-out, both in percent, over time.
pub fn chart(frame: &mut Frame, area: Rect, points: &[TrendPoint], theme: Theme) {
    let block = Block::new()
        .borders(Borders::ALL)
        .border_set(theme.border_set())
        .border_style(theme.dim());
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        frame.render_widget(block, area);
        return;
    };
    let open: Vec<(f64, f64)> = points
        .iter()
        .map(|p| {
            let share = if p.stores_total == 0 {
                0.0
            } else {
                f64::from(p.stores_open) * 100.0 / f64::from(p.stores_total)
            };
            (days_since(first.at, p.at), share)
        })
        .collect();
    let built: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (days_since(first.at, p.at), p.avg_percent.clamp(0.0, 100.0)))
        .collect();
    let [built_marker, open_marker] = markers(theme);
    let datasets = vec![
        Dataset::default()
            .marker(built_marker)
            .graph_type(GraphType::Line)
            .style(theme.series(0))
            .data(&built),
        Dataset::default()
            .marker(open_marker)
            .graph_type(GraphType::Line)
            .style(theme.series(1))
            .data(&open),
    ];
    // The legend is the title: a chart a few rows high has no room for a
    // legend box, and the title says the figures too.
    let arrow = if theme.ascii { "->" } else { "→" };
    let [built_key, open_key] = keys(theme);
    let lang = theme.lang;
    let block = block.title(Line::from(vec![
        Span::styled(
            format!(" {built_key} {} ", tr!(lang, "view-build-out")),
            theme.series(0),
        ),
        Span::raw(format!(
            "{:.0}%{arrow}{:.0}% ",
            first.avg_percent, last.avg_percent
        )),
        Span::styled(
            format!("{open_key} {} ", tr!(lang, "view-open")),
            theme.series(1),
        ),
        Span::raw(format!(
            "{}{arrow}{}/{} ",
            first.stores_open, last.stores_open, last.stores_total
        )),
    ]));
    let span = days_since(first.at, last.at).max(1.0 / 24.0);
    let chart = Chart::new(datasets)
        .block(block)
        .legend_position(None)
        .x_axis(
            Axis::default()
                .style(theme.dim())
                .bounds([0.0, span])
                .labels(date_labels(lang, first.at, last.at)),
        )
        .y_axis(
            Axis::default()
                .style(theme.dim())
                .bounds([0.0, 100.0])
                .labels(["0%", "50%", "100%"]),
        );
    frame.render_widget(chart, area);
    if theme.ascii {
        ascii_axes(frame, area);
    }
}

/// Writes a chart's axis lines in `area` in ASCII: ratatui draws them with
/// box-drawing characters whatever the marker, and the last guard of ASCII
/// mode would show each as `?`.
pub fn ascii_axes(frame: &mut Frame, area: Rect) {
    let buffer = frame.buffer_mut();
    let area = area.intersection(buffer.area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buffer[(x, y)];
            let ascii = match cell.symbol() {
                "│" | "┃" => '|',
                "─" | "━" => '-',
                "└" | "┌" | "┐" | "┘" | "┼" | "├" | "┤" | "┬" | "┴" => '+',
                _ => continue,
            };
            cell.set_char(ascii);
        }
    }
}

/// The first and last dates of a time axis (times too, within a day).
pub fn date_labels(lang: Lang, first: DateTime<Utc>, last: DateTime<Utc>) -> Vec<Line<'static>> {
    let label = |at: DateTime<Utc>| {
        if (last - first).num_hours() < 24 {
            at.format("%H:%M").to_string()
        } else {
            day(lang, at.date_naive())
        }
    };
    vec![
        Line::from(Span::raw(label(first))),
        Line::from(Span::raw(label(last))),
    ]
}

/// A date as the language writes it in full (`2024-03-01`, `2024年3月1日`).
pub fn date(lang: Lang, date: NaiveDate) -> String {
    formatted(&tr!(lang, "view-date-format"), "%Y-%m-%d", |f| {
        date.format(f)
    })
}

/// A day of the year, short, for an axis (`03-01`, `3月1日`).
pub fn day(lang: Lang, date: NaiveDate) -> String {
    formatted(&tr!(lang, "view-day-format"), "%m-%d", |f| date.format(f))
}

/// A time in `zone` as the language writes it (`2024-03-01 00:30`).
pub fn time(lang: Lang, at: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    let at = at.with_timezone(&zone);
    formatted(&tr!(lang, "view-time-format"), "%Y-%m-%d %H:%M", |f| {
        at.format(f)
    })
}

/// `format` applied by `apply`, or `fallback` where the catalog's pattern
/// cannot be (chrono's formatting fails on a bad one, and a view must not
/// panic for a catalog's typo).
fn formatted<'a, D: std::fmt::Display>(
    format: &'a str,
    fallback: &'a str,
    apply: impl Fn(&'a str) -> D,
) -> String {
    let mut out = String::new();
    if write!(out, "{}", apply(format)).is_ok() {
        return out;
    }
    out.clear();
    let _ = write!(out, "{}", apply(fallback));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_are_written_as_the_language_writes_them() {
        let leap = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        assert_eq!(date(Lang::En, leap), "2024-03-01");
        assert_eq!(date(Lang::Zh, leap), "2024年3月1日");
        assert_eq!(day(Lang::En, leap), "03-01");
        assert_eq!(day(Lang::Zh, leap), "3月1日");
        // Half past four in the afternoon UTC is past midnight in Shanghai.
        let at = "2024-02-29T16:30:00Z".parse::<DateTime<Utc>>().unwrap();
        let shanghai = chrono_tz::Asia::Shanghai;
        assert_eq!(time(Lang::En, at, shanghai), "2024-03-01 00:30");
        assert_eq!(time(Lang::Zh, at, shanghai), "2024年3月1日 00:30");
        assert_eq!(time(Lang::Zh, at, chrono_tz::UTC), "2024年2月29日 16:30");
    }

    #[test]
    fn a_pattern_chrono_cannot_apply_falls_back_instead_of_panicking() {
        let leap = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(
            formatted("%Q", "%Y-%m-%d", |f| leap.format(f)),
            "2024-02-29"
        );
        // A time field on a date fails only when written.
        assert_eq!(formatted("%H", "%d", |f| leap.format(f)), "29");
    }

    #[test]
    fn axis_labels_are_days_or_within_a_day_times() {
        let first = "2024-02-17T08:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let text =
            |labels: Vec<Line>| -> Vec<String> { labels.iter().map(|l| l.to_string()).collect() };
        let later = first + chrono::Duration::days(3);
        assert_eq!(
            text(date_labels(Lang::Zh, first, later)),
            ["2月17日", "2月20日"]
        );
        assert_eq!(
            text(date_labels(Lang::En, first, later)),
            ["02-17", "02-20"]
        );
        let soon = first + chrono::Duration::hours(5);
        assert_eq!(text(date_labels(Lang::Zh, first, soon)), ["08:00", "13:00"]);
    }

    #[test]
    fn a_sparkline_needs_two_points_and_spans_its_range() {
        assert_eq!(sparkline(&[], 8, false), "");
        assert_eq!(sparkline(&[5.0], 8, false), "");
        assert_eq!(sparkline(&[1.0, 2.0], 0, false), "");
        assert_eq!(sparkline(&[0.0, 7.0], 8, false), "▁█");
        assert_eq!(sparkline(&[3.0, 3.0, 3.0], 8, false), "▁▁▁");
        assert_eq!(
            sparkline(&[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], 8, true),
            "_.,-~=+#"
        );
        // Resampled to the width, the first and the last kept.
        let long: Vec<f64> = (0..100).map(f64::from).collect();
        let line = sparkline(&long, 5, false);
        assert_eq!(line.chars().count(), 5);
        assert!(line.starts_with('▁') && line.ends_with('█'), "{line}");
    }
}
