//! Plan versus actual: stores planned to be open by each date against
//! stores open (from the history), for the programme or one city, with the
//! gap said in words; on the programme's view, a line per city.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, Borders, Chart, Dataset, GraphType, LegendPosition, Paragraph, Row, Wrap,
};
use unicode_width::UnicodeWidthStr;

use super::table::{draw_table, visible_window};
use super::text;
use super::theme::Theme;
use super::trend::{self, markers};
use crate::analysis::plan::{Comparison, Gap};
use crate::app::App;
use crate::feed::wire::CityId;
use crate::tr;
use crate::worker::Fresh;

fn block<'a>(theme: Theme, title: String, focused: bool) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_set(theme.border_set())
        .border_style(if focused {
            theme.focus_border()
        } else {
            theme.dim()
        })
        .title(Span::styled(format!(" {title} "), theme.title()))
}

/// The name of a comparison's city, or "programme".
fn name(theme: Theme, fresh: &Fresh, city: Option<&CityId>) -> String {
    city.map_or_else(
        || tr!(theme.lang, "plan-programme").into_owned(),
        |id| text::city_short_name(theme, &fresh.snapshot, id),
    )
}

/// "Chengdu: 3 stores behind plan, 5 days late".
pub fn sentence(theme: Theme, fresh: &Fresh, comparison: &Comparison) -> String {
    tr!(
        theme.lang,
        "plan-sentence",
        name = name(theme, fresh, comparison.city.as_ref()),
        gap = comparison.gap.words(theme.lang)
    )
    .into_owned()
}

/// The style of a gap: behind stands out, on plan or ahead does not.
fn gap_style(theme: Theme, gap: Gap) -> ratatui::style::Style {
    match gap {
        Gap::Behind { .. } => theme.late().1,
        Gap::NoPlan => theme.dim(),
        Gap::OnPlan | Gap::Ahead { .. } => theme.text(),
    }
}

/// Draws the plan view of the programme (`city` = `None`) or of a city.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect, city: Option<&CityId>) {
    let Some(fresh) = &app.current else {
        return;
    };
    let lang = theme.lang;
    let title = match city {
        None => tr!(lang, "plan-title-programme").into_owned(),
        Some(id) => tr!(
            lang,
            "plan-title-city",
            city = text::city_name(theme, &fresh.snapshot, id)
        )
        .into_owned(),
    };
    let Some(report) = app.trend.as_ref() else {
        frame.render_widget(
            Paragraph::new(tr!(lang, "plan-working")).block(block(theme, title, false)),
            area,
        );
        return;
    };
    let plan = &report.plan;
    let Some(comparison) = plan.of(city.map(CityId::as_str)) else {
        let id = city.map(|c| text::shown(theme, &c.shown()).into_owned());
        frame.render_widget(
            Paragraph::new(tr!(
                lang,
                "view-gone",
                what = tr!(lang, "view-record-city"),
                id = id.unwrap_or_default()
            ))
            .wrap(Wrap { trim: true })
            .block(block(theme, title, false)),
            area,
        );
        return;
    };
    let list_rows = if city.is_none() { plan.cities.len() } else { 1 };
    let list_height = u16::try_from(list_rows + 3)
        .unwrap_or(u16::MAX)
        .min(area.height / 2)
        .max(4);
    let [top, bottom] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(list_height)]).areas(area);

    // The gap first, then the figures: a narrow block wraps, never cuts.
    let mut lines = vec![Line::from(vec![
        Span::styled(
            sentence(theme, fresh, comparison),
            gap_style(theme, comparison.gap),
        ),
        Span::raw(format!(
            "{}{}",
            theme.sep(),
            tr!(
                lang,
                "plan-figures",
                open = comparison.open,
                planned = comparison.planned_today,
                date = trend::date(lang, plan.today)
            )
        )),
    ])];
    let mut notes = Vec::new();
    if comparison.unplanned > 0 {
        notes.push(tr!(lang, "plan-unplanned", count = comparison.unplanned).into_owned());
    }
    if let Some(reason) = &report.history_off {
        notes.push(tr!(lang, "plan-history-off", reason = reason.as_str()).into_owned());
    }
    if !notes.is_empty() {
        lines.push(Line::styled(
            text::shown(theme, &notes.join(theme.sep())).into_owned(),
            theme.dim(),
        ));
    }
    let text_rows = wrapped(&lines, top.width.saturating_sub(2));
    let [summary, chart_area] = Layout::vertical([
        Constraint::Length(text_rows.min(top.height.saturating_sub(2)) + 1),
        Constraint::Fill(1),
    ])
    .areas(top);
    let outer = block(theme, title, false);
    let inner = outer.inner(top);
    frame.render_widget(outer, top);
    let summary = summary.intersection(inner);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), summary);
    chart(
        frame,
        chart_area.intersection(inner),
        comparison,
        plan.today,
        theme,
    );

    match city {
        None => city_list(app, fresh, theme, frame, bottom, &plan.cities),
        Some(_) => {
            let lines = vec![
                Line::styled(
                    sentence(theme, fresh, comparison),
                    gap_style(theme, comparison.gap),
                ),
                Line::styled(
                    sentence(theme, fresh, &plan.program),
                    gap_style(theme, plan.program.gap),
                ),
            ];
            frame.render_widget(
                Paragraph::new(lines).wrap(Wrap { trim: true }).block(block(
                    theme,
                    tr!(lang, "plan-gap").into_owned(),
                    false,
                )),
                bottom,
            );
        }
    }
}

/// The rows `lines` take wrapped into `width` columns (a close estimate).
fn wrapped(lines: &[Line], width: u16) -> u16 {
    let width = usize::from(width).max(1);
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// The programme's view lists every city: open and planned today, and the gap.
fn city_list(
    app: &App,
    fresh: &Fresh,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
    cities: &[Comparison],
) {
    let lang = theme.lang;
    let cursor = app.screen().cursor.min(cities.len().saturating_sub(1));
    let window = visible_window(cities.len(), cursor, area, 1);
    // Figures sized to the widest: a number is never cut.
    let figures = |c: &Comparison| format!("{}/{}", c.open, c.planned_today);
    let figures_head = tr!(lang, "plan-col-open");
    let figure_width = cities
        .iter()
        .map(|c| figures(c).width())
        .max()
        .unwrap_or(0)
        .max(figures_head.width());
    let rows: Vec<Row> = window
        .clone()
        .map(|i| {
            let c = &cities[i];
            Row::new(vec![
                Line::from(name(theme, fresh, c.city.as_ref())),
                Line::from(format!("{:>figure_width$}", figures(c))),
                Line::styled(c.gap.words(lang), gap_style(theme, c.gap)),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(14),
        Constraint::Length(u16::try_from(figure_width).unwrap_or(u16::MAX)),
        Constraint::Fill(1),
    ];
    let selected = (!cities.is_empty()).then(|| cursor - window.start);
    draw_table(
        frame,
        area,
        block(
            theme,
            tr!(lang, "plan-cities", count = cities.len()).into_owned(),
            true,
        ),
        Row::new([
            tr!(lang, "view-col-city"),
            figures_head,
            tr!(lang, "plan-gap"),
        ]),
        rows,
        &widths,
        selected,
        theme,
    );
}

/// Planned (a step a date) against open (as recorded each day).
fn chart(frame: &mut Frame, area: Rect, comparison: &Comparison, today: NaiveDate, theme: Theme) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let (Some(first), Some(last)) = (comparison.days.first(), comparison.days.last()) else {
        return;
    };
    let x = |date: NaiveDate| (date - first.date).num_days() as f64;
    let mut planned: Vec<(f64, f64)> = Vec::with_capacity(comparison.days.len() * 2);
    let mut before = 0usize;
    for day in &comparison.days {
        if day.planned != before {
            // A step: level until the day before, then up.
            planned.push((x(day.date) - 1.0, before as f64));
        }
        planned.push((x(day.date), day.planned as f64));
        before = day.planned;
    }
    let actual: Vec<(f64, f64)> = comparison
        .days
        .iter()
        .filter_map(|day| day.actual.map(|open| (x(day.date), open as f64)))
        .collect();
    let high = comparison
        .days
        .iter()
        .map(|d| d.planned.max(d.actual.unwrap_or(0)))
        .max()
        .unwrap_or(0)
        .max(1);
    let [actual_marker, planned_marker] = markers(theme);
    // Today as a vertical line: where the two curves are compared.
    let today = [(x(today), 0.0), (x(today), high as f64)];
    let datasets = vec![
        Dataset::default()
            .name(tr!(theme.lang, "plan-legend-today"))
            .marker(if theme.ascii {
                Marker::Custom('|')
            } else {
                Marker::Braille
            })
            .graph_type(GraphType::Line)
            .style(theme.dim())
            .data(&today),
        Dataset::default()
            .name(tr!(theme.lang, "plan-legend-planned"))
            .marker(planned_marker)
            .graph_type(GraphType::Line)
            .style(theme.series(1))
            .data(&planned),
        Dataset::default()
            .name(tr!(theme.lang, "plan-legend-open"))
            .marker(actual_marker)
            .graph_type(GraphType::Line)
            .style(theme.series(0))
            .data(&actual),
    ];
    // Labels are spread evenly: only the two ends sit where their dates are.
    let mut labels = vec![trend::day(theme.lang, first.date)];
    if last.date > first.date {
        labels.push(trend::day(theme.lang, last.date));
    }
    let chart = Chart::new(datasets)
        .legend_position(Some(LegendPosition::TopLeft))
        .hidden_legend_constraints((Constraint::Percentage(50), Constraint::Percentage(50)))
        .x_axis(
            Axis::default()
                .style(theme.dim())
                .bounds([x(first.date) - 1.0, x(last.date).max(1.0)])
                .labels(labels),
        )
        .y_axis(
            Axis::default()
                .style(theme.dim())
                .bounds([0.0, high as f64])
                .labels(["0".to_owned(), high.to_string()]),
        );
    frame.render_widget(chart, area);
    if theme.ascii {
        super::trend::ascii_axes(frame, area);
    }
}
