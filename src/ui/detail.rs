//! The drill-downs: one city, one partner or one store in depth. Every list
//! on them is a section (Tab moves between them) whose rows come from
//! `app::detail`, the same lists Enter opens from.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Wrap};

use super::table::{draw_table, visible_window};
use super::theme::Theme;
use super::{changes, conflicts, partners, stores, text, trend};
use crate::analysis::conflicts::{Criteria, Met};
use crate::analysis::progress;
use crate::app::detail::{self, Section, Subset};
use crate::app::{App, Route, Screen};
use crate::feed::wire::{AgreementStage, City, Partner, Store, WireValue};
use crate::history::trend::TrendPoint;
use crate::worker::Fresh;
use unicode_width::UnicodeWidthStr;

/// Draws the drill-down on top of the navigation stack.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let Some(fresh) = &app.current else {
        return;
    };
    let screen = app.screen();
    let view = DetailView {
        app,
        fresh,
        screen,
        theme,
    };
    let shown = match &screen.route {
        Route::City(id) => fresh
            .snapshot
            .city(id.as_str())
            .map(|c| view.city(c, frame, area)),
        Route::Partner(id) => fresh
            .snapshot
            .partner(id.as_str())
            .map(|p| view.partner(p, frame, area)),
        Route::Store(id) => fresh
            .snapshot
            .store(id.as_str())
            .map(|s| view.store(s, frame, area)),
        Route::Overview | Route::Plan(_) => Some(()),
    };
    if shown.is_none() {
        // Say which record it was: the screen may have been open for hours.
        let (what, id) = match &screen.route {
            Route::City(id) => ("city", id.shown()),
            Route::Partner(id) => ("partner", id.shown()),
            Route::Store(id) => ("store", id.shown()),
            Route::Overview | Route::Plan(_) => ("record", "".into()),
        };
        let id = text::shown(theme, &id).into_owned();
        let message = format!("{what} {id} (no longer in the feed). Esc goes back.");
        frame.render_widget(
            Paragraph::new(message)
                .wrap(Wrap { trim: true })
                .block(block(theme, &format!("{what} {id}"), false)),
            area,
        );
    }
}

fn block<'a>(theme: Theme, title: &str, focused: bool) -> Block<'a> {
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

/// The height of a list section: its rows, but at most half the screen, so
/// the sections below it keep their room.
fn list_height(rows: usize, area: Rect) -> u16 {
    u16::try_from(rows)
        .unwrap_or(u16::MAX)
        .saturating_add(3)
        .clamp(4, (area.height / 2).max(4))
}

/// The rows `lines` take wrapped at word edges in a block `width` wide
/// (its borders left out): an info block is as tall as its wrapped lines,
/// so none of its figures falls off the bottom where there is room.
fn wrapped_rows(lines: &[Line], width: u16) -> usize {
    let width = usize::from(width.saturating_sub(2)).max(1);
    lines
        .iter()
        .map(|line| {
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            let mut rows = 1;
            let mut used = 0;
            for word in text.split(' ').filter(|w| !w.is_empty()) {
                let w = word.width();
                if used > 0 && used + 1 + w > width {
                    rows += 1 + (w.saturating_sub(1)) / width;
                    used = w % width;
                } else {
                    used += w + usize::from(used > 0);
                }
            }
            rows
        })
        .sum()
}

/// A city's or partner's screen: the info block (`info_rows` rows, at most
/// half the height), the stores, and the lists below them.
fn info_and_lists(area: Rect, info_rows: usize, stores: usize) -> [Rect; 3] {
    let info_height = u16::try_from(info_rows + 2)
        .unwrap_or(u16::MAX)
        .min((area.height / 2).max(5))
        .max(5);
    Layout::vertical([
        Constraint::Length(info_height),
        Constraint::Max(list_height(stores, area)),
        Constraint::Fill(1),
    ])
    .areas(area)
}

/// One section's table: its rows and columns.
struct SectionTable<'a> {
    title: String,
    header: Row<'a>,
    widths: &'a [Constraint],
    /// How many rows the section has.
    len: usize,
    /// The row at a position: only the rows on screen are built, however
    /// many the record has (thousands of findings in one city).
    row: Box<dyn Fn(usize) -> Option<Row<'a>> + 'a>,
    row_height: u16,
}

/// What one drill-down draws from.
struct DetailView<'a> {
    app: &'a App,
    fresh: &'a Fresh,
    screen: &'a Screen,
    theme: Theme,
}

impl<'a> DetailView<'a> {
    /// Draws a section; the focused one shows the cursor and scrolls to it.
    fn section(&self, frame: &mut Frame, area: Rect, section: Section, table: SectionTable<'a>) {
        let focused = detail::current_section(self.screen) == Some(section);
        let len = table.len;
        // New data may have shortened the list under a cursor set before it.
        let cursor = if focused {
            self.screen.cursor.min(len.saturating_sub(1))
        } else {
            0
        };
        let window = visible_window(len, cursor, area, table.row_height);
        let selected = (focused && len > 0).then(|| cursor - window.start);
        let rows: Vec<Row<'a>> = window
            .clone()
            .filter_map(|i| (table.row)(i))
            .map(|row| row.height(table.row_height))
            .collect();
        let mut title = format!("{} ({len})", table.title);
        if let (true, Some(view)) = (focused, &self.screen.view) {
            // As a pane's title says it: the sort, then the filter.
            if let Some(pane) = detail::section_pane(section) {
                let keys = pane.sort_keys();
                let key = keys[view.sort.min(keys.len() - 1)];
                let arrow = match (view.reverse, self.theme.ascii) {
                    (false, false) => "↓",
                    (true, false) => "↑",
                    (false, true) => "v",
                    (true, true) => "^",
                };
                title.push_str(&format!(" {} {arrow}", key.sorted_by(self.theme.lang)));
            }
            if !view.filter.is_empty() {
                title.push_str(&format!(" /{}", text::shown(self.theme, &view.filter)));
            }
        }
        let block = block(self.theme, &title, focused);
        draw_table(
            frame,
            area,
            block,
            table.header,
            rows,
            table.widths,
            selected,
            self.theme,
        );
    }

    /// The stores section; `city` shows each store's city (not on a city's screen).
    fn stores_section(
        &self,
        frame: &mut Frame,
        area: Rect,
        stores_list: Subset<'a, Store>,
        city: bool,
    ) {
        let (header, widths, layout) = stores::columns(self.theme, area.width, city);
        let (fresh, theme) = (self.fresh, self.theme);
        let table = SectionTable {
            title: "Stores".into(),
            header,
            widths: &widths,
            len: stores_list.len(),
            row: Box::new(move |i| {
                stores_list
                    .get(i)
                    .map(|s| stores::row(s, fresh, theme, layout))
            }),
            row_height: 1,
        };
        self.section(frame, area, Section::Stores, table);
    }

    /// The conflicts section above the recent changes section.
    fn findings_and_changes(&self, frame: &mut Frame, area: Rect) {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
        let theme = self.theme;
        let narrow = conflicts::row_height(top.width) > 1;
        let findings = detail::findings(self.app, self.screen, self.fresh);
        let len = findings.len();
        let snapshot = &self.fresh.snapshot;
        let app = self.app;
        let row = move |i| {
            let acked = findings.is_acked(i);
            findings.get(i).map(|f| {
                let new = app.new_findings.is_new(f, app.now);
                if narrow {
                    conflicts::two_line_row(f, snapshot, theme, acked, new, top.width)
                } else {
                    conflicts::row(f, snapshot, theme, acked, new, top.width)
                }
            })
        };
        // The selected finding's id, which `ack` and `report` name it by.
        let title = match self
            .app
            .selected_finding()
            .and_then(|r| self.app.finding_id(r))
        {
            Some(id) => format!("Conflicts [{id}]"),
            None => "Conflicts".into(),
        };
        let table = SectionTable {
            title,
            header: if narrow {
                conflicts::narrow_header(theme)
            } else {
                conflicts::header(theme)
            },
            widths: if narrow {
                &[Constraint::Fill(1)]
            } else {
                &conflicts::WIDTHS
            },
            len,
            row: Box::new(row),
            row_height: conflicts::row_height(top.width),
        };
        self.section(frame, top, Section::Conflicts, table);
        let recent = detail::changes(self.app, self.screen, self.fresh);
        let zone = self.app.zone;
        let table = SectionTable {
            title: "Recent changes".into(),
            header: changes::header(theme),
            widths: &changes::WIDTHS,
            len: recent.len(),
            row: Box::new(move |i| recent.get(i).map(|c| changes::row(c, theme, zone))),
            row_height: 1,
        };
        self.section(frame, bottom, Section::Changes, table);
    }

    /// The record's data warnings, as lines for its info block.
    fn data_warning_lines(&self) -> Vec<Line<'static>> {
        let (mark, style) = self.theme.late();
        let mark = mark.split(' ').next().unwrap_or("!");
        detail::data_warnings(self.screen, self.fresh)
            .iter()
            .map(|w| {
                Line::styled(
                    format!("{mark} data: {}", text::shown(self.theme, &w.message)),
                    style,
                )
            })
            .collect()
    }

    fn city(&self, city: &'a City, frame: &mut Frame, area: Rect) {
        let (fresh, theme) = (self.fresh, self.theme);
        let progress = fresh.analysis.cities.iter().find(|p| p.city == city.id);
        let city_partners = detail::city_partners(fresh, &city.id);
        let signed = city_partners
            .iter()
            .filter(|p| {
                matches!(
                    p.agreement.stage,
                    AgreementStage::Intention | AgreementStage::Contract
                )
            })
            .count();
        let (symbol, style) = theme.status(&city.recruitment_status());
        let arrow = if theme.ascii { " -> " } else { " → " };
        let sep = theme.sep();
        let r = city.recruitment.as_ref();
        let figure = |v: Option<u32>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
        let mut first = Vec::new();
        if let Some(province) = city.province.as_deref() {
            first.push(Span::styled(
                format!("{}{sep}", text::shown(theme, province)),
                theme.dim(),
            ));
        }
        first.extend([
            Span::raw("recruitment "),
            Span::styled(
                format!("{symbol} {}", text::shown(theme, city.status_str())),
                style,
            ),
            Span::raw(
                r.and_then(|r| r.opened_on)
                    .map(|d| format!(" since {d}"))
                    .unwrap_or_default(),
            ),
        ]);
        let mut lines = vec![Line::from(first)];
        // The figures come before the funnel: where the block is short,
        // they are what stays. Each line has a shorter form with fewer
        // words for a narrow block, so it keeps to one row.
        let inner = usize::from(area.width.saturating_sub(2));
        let fitting = |forms: Vec<Line<'static>>| -> Line<'static> {
            let last = forms.len() - 1;
            forms
                .into_iter()
                .enumerate()
                .find(|(n, line)| *n == last || line.width() <= inner)
                .map(|(_, line)| line)
                .unwrap_or_default()
        };
        if let Some(p) = progress {
            let counts = format!(
                "{:.0}%{sep}{} late{sep}{} conflicts",
                p.avg_percent, p.late, p.conflicts
            );
            lines.push(fitting(vec![
                Line::from(vec![
                    Span::raw(format!(
                        "stores {}/{} open{sep}build-out ",
                        p.stores_open, p.stores_total
                    )),
                    Span::styled(theme.bar(p.avg_percent, 20), theme.bar_style(p.avg_percent)),
                    Span::raw(format!(" {counts}")),
                ]),
                Line::from(format!(
                    "stores {}/{} open{sep}build-out {counts}",
                    p.stores_open, p.stores_total
                )),
                Line::from(format!(
                    "{}/{} open{sep}{:.0}% built{sep}{} late{sep}{} conflicts",
                    p.stores_open, p.stores_total, p.avg_percent, p.late, p.conflicts
                )),
            ]));
        }
        let (applicants, shortlisted, target) = (
            figure(r.and_then(|r| r.applicants)),
            figure(r.and_then(|r| r.shortlisted)),
            figure(r.and_then(|r| r.target_stores)),
        );
        lines.push(fitting(vec![
            Line::from(format!(
                "funnel: {applicants} applicants{arrow}{shortlisted} shortlisted{arrow}{signed} signed{sep}target {target} stores"
            )),
            Line::from(format!(
                "{applicants} applied{arrow}{shortlisted} shortlisted{arrow}{signed} signed{sep}target {target}"
            )),
        ]));
        // The trend: a chart beside the figures where the screen is wide,
        // else a line of sparklines under them.
        let points = self
            .app
            .trend
            .as_ref()
            .map_or(&[][..], |t| t.trends.city(city.id.as_str()));
        let chart_width = (area.width >= CHART_FROM_WIDTH && points.len() >= 2)
            .then(|| (area.width * 2 / 5).min(60));
        if chart_width.is_none()
            && let Some(line) = trend_line(points, theme)
        {
            lines.push(line);
        }
        lines.extend(self.data_warning_lines());
        let store_list = detail::shown(
            self.screen,
            Section::Stores,
            detail::city_stores(fresh, &city.id),
        );
        let info_width = area.width - chart_width.unwrap_or(0);
        let mut info_rows = wrapped_rows(&lines, info_width);
        if chart_width.is_some() {
            info_rows = info_rows.max(CHART_ROWS);
        }
        let [info, middle, bottom] = info_and_lists(area, info_rows, store_list.len());
        let [info, chart] = Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(chart_width.unwrap_or(0)),
        ])
        .areas(info);
        let title = format!("City {}", text::city_name(theme, &fresh.snapshot, &city.id));
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .block(block(theme, &title, false)),
            info,
        );
        if chart_width.is_some() {
            trend::chart(frame, chart, points, theme);
        }
        self.stores_section(frame, middle, store_list, false);

        let [left, right] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)])
                .areas(bottom);
        // A narrow partner list keeps the name and the stage, not the tier.
        let wide = left.width >= 44;
        let city_partners = detail::shown(self.screen, Section::Partners, city_partners);
        let row = move |i| {
            city_partners.get(i).map(|p: &'a Partner| {
                let stage = Line::styled(
                    text::shown(theme, p.agreement.stage.as_str()).into_owned(),
                    theme.stage(&p.agreement.stage),
                );
                let name = Line::from(text::partner_name(theme, &fresh.snapshot, &p.id));
                if wide {
                    Row::new(vec![
                        name,
                        Line::from(text::shown(theme, &partners::tier_text(theme, p)).into_owned()),
                        stage,
                    ])
                } else {
                    Row::new(vec![name, stage])
                }
            })
        };
        let table = SectionTable {
            title: "Partners".into(),
            header: if wide {
                Row::new(["Partner", "Tier", "Stage"])
            } else {
                Row::new(["Partner", "Stage"])
            },
            widths: if wide {
                &[
                    Constraint::Fill(1),
                    Constraint::Length(11),
                    Constraint::Length(10),
                ]
            } else {
                &[Constraint::Fill(1), Constraint::Length(10)]
            },
            len: city_partners.len(),
            row: Box::new(row),
            row_height: 1,
        };
        self.section(frame, left, Section::Partners, table);
        self.findings_and_changes(frame, right);
    }

    fn partner(&self, partner: &'a Partner, frame: &mut Frame, area: Rect) {
        let (fresh, theme) = (self.fresh, self.theme);
        let brands: Vec<String> = partner
            .brands
            .iter()
            .map(|b| text::shown(theme, b).into_owned())
            .collect();
        let mut lines = vec![Line::from(vec![
            Span::raw("agreement "),
            Span::styled(
                text::shown(theme, partner.agreement.stage.as_str()).into_owned(),
                theme.stage(&partner.agreement.stage),
            ),
            Span::raw(
                partner
                    .agreement
                    .signed_on
                    .map(|d| format!(" signed {d}"))
                    .unwrap_or_default(),
            ),
        ])];
        lines.extend(criteria_lines(partner, theme));
        // One line of brands: E•KINGO alone sells more than thirty.
        lines.push(Line::from(format!(
            "brands ({}): {}",
            brands.len(),
            brands.join(", ")
        )));
        lines.extend(self.data_warning_lines());
        let store_list = detail::shown(
            self.screen,
            Section::Stores,
            detail::partner_stores(fresh, &partner.id),
        );
        // Not wrapped: one row a line.
        let [info, middle, bottom] = info_and_lists(area, lines.len(), store_list.len());
        let title = format!(
            "Partner {}",
            text::name_and_local(
                theme,
                &text::partner_name(theme, &fresh.snapshot, &partner.id),
                partner.local_name.as_deref()
            )
        );
        frame.render_widget(
            Paragraph::new(lines).block(block(theme, &title, false)),
            info,
        );
        self.stores_section(frame, middle, store_list, true);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)])
                .areas(bottom);
        let cities = detail::shown(
            self.screen,
            Section::Cities,
            detail::partner_cities(fresh, &partner.id),
        );
        let row = move |i| {
            cities.get(i).map(|c: &'a City| {
                let (symbol, style) = theme.status(&c.recruitment_status());
                Row::new(vec![
                    Line::from(text::city_name(theme, &fresh.snapshot, &c.id)),
                    Line::styled(
                        format!("{symbol} {}", text::shown(theme, c.status_str())),
                        style,
                    ),
                ])
            })
        };
        let table = SectionTable {
            title: "Cities".into(),
            header: Row::new(["City", "Recruitment"]),
            widths: &[Constraint::Fill(1), Constraint::Length(15)],
            len: cities.len(),
            row: Box::new(row),
            row_height: 1,
        };
        self.section(frame, left, Section::Cities, table);
        self.findings_and_changes(frame, right);
    }

    fn store(&self, store: &'a Store, frame: &mut Frame, area: Rect) {
        let (fresh, theme) = (self.fresh, self.theme);
        let snapshot = &fresh.snapshot;
        let today = snapshot.document.generated_at.date_naive();
        let deadline = snapshot.document.program.display_vehicle_deadline;
        let percent = progress::percent(store);
        let date =
            |d: Option<chrono::NaiveDate>| d.map_or_else(|| "-".to_owned(), |d| d.to_string());
        let (late_text, late_style) = theme.late();
        let sep = theme.sep();
        let mut lines = vec![
            Line::from(vec![
                Span::styled(text::store_name(theme, snapshot, &store.id), theme.title()),
                Span::styled(
                    format!("  {}", text::shown(theme, &store.id.shown())),
                    theme.dim(),
                ),
            ]),
            Line::from(format!(
                "{}{sep}{} channel{sep}operated by {}{sep}{}{}",
                text::shown(theme, &stores::kind_text(theme, &store.kind)),
                text::shown(theme, store.channel.as_str()),
                text::operator_name(theme, snapshot, &store.operator),
                text::city_name(theme, snapshot, &store.city),
                store
                    .district
                    .as_deref()
                    .map(|d| format!(", {}", text::shown(theme, d)))
                    .unwrap_or_default()
            )),
            Line::from(vec![
                Span::raw("phase "),
                Span::styled(
                    text::shown(theme, store.renovation.phase.as_str()).into_owned(),
                    theme.phase(&store.renovation.phase),
                ),
                Span::raw("  "),
                Span::styled(theme.bar(percent, 20), theme.bar_style(percent)),
                Span::raw(format!(" {percent:.0}%")),
            ]),
            Line::from(format!(
                "planned opening {}   display car {}   updated {}",
                date(store.renovation.planned_open),
                date(store.renovation.display_vehicle_eta),
                store.renovation.updated_at.map_or_else(
                    || "-".to_owned(),
                    |t| crate::settings::zoned(t, self.app.zone, "%Y-%m-%d %H:%M")
                )
            )),
        ];
        if progress::schedule_slipped(store, today) {
            lines.push(Line::styled(
                format!("{late_text}: past its planned opening and not open"),
                late_style,
            ));
        }
        if progress::display_vehicle_late(store, deadline) {
            lines.push(Line::styled(
                format!("{late_text}: display car due after the opening or the programme deadline"),
                late_style,
            ));
        }
        if let Some(location) = store.location {
            lines.push(Line::styled(
                format!("at {:.4}, {:.4}", location.lat, location.lon),
                theme.dim(),
            ));
        }
        lines.extend(self.data_warning_lines());
        let info_height = u16::try_from(wrapped_rows(&lines, area.width) + 2)
            .unwrap_or(u16::MAX)
            .min(area.height / 2);
        let [info, links, bottom] = Layout::vertical([
            Constraint::Length(info_height),
            Constraint::Length(5),
            Constraint::Fill(1),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .block(block(theme, "Store", false)),
            info,
        );
        let rows: Vec<Row<'a>> = detail::store_links(fresh, &store.id)
            .into_iter()
            .map(|target| match target {
                detail::Target::City(c) => Row::new(vec![
                    "city".to_owned(),
                    text::city_name(theme, snapshot, &c),
                ]),
                detail::Target::Partner(p) => Row::new(vec![
                    "partner".to_owned(),
                    text::partner_name(theme, snapshot, &p),
                ]),
                detail::Target::Store(s) => Row::new(vec![
                    "store".to_owned(),
                    text::store_name(theme, snapshot, &s),
                ]),
            })
            .collect();
        let table = SectionTable {
            title: "Go to (Enter)".into(),
            header: Row::new(["What", "Which"]),
            widths: &[Constraint::Length(8), Constraint::Fill(1)],
            len: rows.len(),
            row: Box::new(move |i| rows.get(i).cloned()),
            row_height: 1,
        };
        self.section(frame, links, Section::Links, table);
        self.findings_and_changes(frame, bottom);
    }
}

/// From this width a city's screen charts its trend beside its figures.
const CHART_FROM_WIDTH: u16 = 100;
/// The rows the figures' block keeps for a chart beside it (borders apart).
const CHART_ROWS: usize = 7;

/// "trend: open ▁▃█ 1 -> 3, build-out ▂▅▇ 56% -> 69%", with two points or more.
fn trend_line(points: &[TrendPoint], theme: Theme) -> Option<Line<'static>> {
    let (first, last) = (points.first()?, points.last()?);
    if points.len() < 2 {
        return None;
    }
    let arrow = if theme.ascii { "->" } else { "→" };
    let open: Vec<f64> = points.iter().map(|p| f64::from(p.stores_open)).collect();
    let built: Vec<f64> = points.iter().map(|p| p.avg_percent).collect();
    Some(Line::from(vec![
        Span::raw("trend: open "),
        Span::styled(trend::sparkline(&open, 8, theme.ascii), theme.series(1)),
        Span::raw(format!(
            " {} {arrow} {}{}build-out ",
            first.stores_open,
            last.stores_open,
            theme.sep()
        )),
        Span::styled(trend::sparkline(&built, 8, theme.ascii), theme.series(0)),
        Span::raw(format!(
            " {:.0}% {arrow} {:.0}%",
            first.avg_percent, last.avg_percent
        )),
    ]))
}

fn check(theme: Theme, met: Met) -> Span<'static> {
    match (met, theme.ascii) {
        (Met::Yes, false) => Span::styled("✓ yes", theme.phase(&crate::feed::wire::Phase::Open)),
        (Met::No, false) => Span::styled("✗ no", theme.late().1),
        (Met::Unknown, false) => Span::styled("? unknown", theme.dim()),
        (Met::Yes, true) => Span::styled("[x] yes", theme.text()),
        (Met::No, true) => Span::styled("[ ] no", theme.late().1),
        (Met::Unknown, true) => Span::styled("[?] unknown", theme.dim()),
    }
}

/// How a partner measures against the recruitment criteria, as
/// `unqualified_partner` decides it.
fn criteria_lines(partner: &Partner, theme: Theme) -> Vec<Line<'static>> {
    let Criteria { group, experience } = Criteria::of(partner);
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    vec![
        Line::from(vec![
            Span::raw("top-100 or strong regional group: "),
            check(theme, group),
            Span::styled(
                format!(
                    " ({})",
                    text::shown(theme, &partners::tier_text(theme, partner))
                ),
                theme.dim(),
            ),
        ]),
        Line::from(vec![
            Span::raw("luxury or NEV experience: "),
            check(theme, experience),
            Span::styled(
                format!(
                    " (luxury {}, NEV {})",
                    yes_no(partner.luxury_experience),
                    yes_no(partner.nev_experience)
                ),
                theme.dim(),
            ),
        ]),
    ]
}
