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
use crate::tr;
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
        let lang = theme.lang;
        let (what, id) = match &screen.route {
            Route::City(id) => (tr!(lang, "view-record-city"), id.shown()),
            Route::Partner(id) => (tr!(lang, "view-record-partner"), id.shown()),
            Route::Store(id) => (tr!(lang, "view-record-store"), id.shown()),
            Route::Overview | Route::Plan(_) => (tr!(lang, "view-record-other"), "".into()),
        };
        let id = text::shown(theme, &id).into_owned();
        let message = tr!(lang, "view-gone", what = what.as_ref(), id = id.as_str());
        let title = tr!(lang, "view-gone-title", what = what, id = id);
        frame.render_widget(
            Paragraph::new(message)
                .wrap(Wrap { trim: true })
                .block(block(theme, &title, false)),
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
            title: tr!(theme.lang, "view-stores").into_owned(),
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
        let conflicts_title = tr!(theme.lang, "view-conflicts");
        let title = match self
            .app
            .selected_finding()
            .and_then(|r| self.app.finding_id(r))
        {
            Some(id) => format!("{conflicts_title} [{id}]"),
            None => conflicts_title.into_owned(),
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
            title: tr!(theme.lang, "view-changes").into_owned(),
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
                let message = w.message_in(self.theme.lang);
                let message = text::shown(self.theme, &message);
                let warning = tr!(self.theme.lang, "view-data-warning", message = message);
                Line::styled(format!("{mark} {warning}"), style)
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
        let lang = theme.lang;
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
            Span::raw(format!("{} ", tr!(lang, "view-city-recruitment"))),
            Span::styled(
                format!(
                    "{symbol} {}",
                    text::word(theme, "status", city.status_str())
                ),
                style,
            ),
            Span::raw(
                r.and_then(|r| r.opened_on)
                    .map(|d| {
                        let since = tr!(lang, "view-city-since", date = trend::date(lang, d));
                        format!(" {since}")
                    })
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
            let percent = format!("{:.0}", p.avg_percent);
            let late = tr!(lang, "view-city-late", count = p.late);
            let conflicts = tr!(lang, "view-city-conflicts", count = p.conflicts);
            let counts = format!("{percent}%{sep}{late}{sep}{conflicts}");
            let stores_open = tr!(
                lang,
                "view-city-stores-open",
                open = p.stores_open,
                total = p.stores_total
            );
            let build_out = tr!(lang, "view-build-out");
            let open_short = tr!(
                lang,
                "view-city-open-short",
                open = p.stores_open,
                total = p.stores_total
            );
            let built = tr!(lang, "view-city-built", percent = percent.as_str());
            lines.push(fitting(vec![
                Line::from(vec![
                    Span::raw(format!("{stores_open}{sep}{build_out} ")),
                    Span::styled(theme.bar(p.avg_percent, 20), theme.bar_style(p.avg_percent)),
                    Span::raw(format!(" {counts}")),
                ]),
                Line::from(format!("{stores_open}{sep}{build_out} {counts}")),
                Line::from(format!(
                    "{open_short}{sep}{built}{sep}{late}{sep}{conflicts}"
                )),
            ]));
        }
        let (applicants, shortlisted, target) = (
            figure(r.and_then(|r| r.applicants)),
            figure(r.and_then(|r| r.shortlisted)),
            figure(r.and_then(|r| r.target_stores)),
        );
        let (applicants, shortlisted, target) =
            (applicants.as_str(), shortlisted.as_str(), target.as_str());
        let funnel = tr!(
            lang,
            "view-city-funnel",
            applicants = applicants,
            shortlisted = shortlisted,
            signed = signed,
            target = target,
            arrow = arrow,
            sep = sep
        );
        let funnel_short = tr!(
            lang,
            "view-city-funnel-short",
            applicants = applicants,
            shortlisted = shortlisted,
            signed = signed,
            target = target,
            arrow = arrow,
            sep = sep
        );
        lines.push(fitting(vec![
            Line::from(funnel.into_owned()),
            Line::from(funnel_short.into_owned()),
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
        let title = tr!(
            lang,
            "view-city-title",
            name = text::city_name(theme, &fresh.snapshot, &city.id)
        );
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
                    text::word(theme, "stage", p.agreement.stage.as_str()),
                    theme.stage(&p.agreement.stage),
                );
                let name = Line::from(text::partner_short_name(theme, &fresh.snapshot, &p.id));
                if wide {
                    Row::new(vec![name, Line::from(partners::tier_text(theme, p)), stage])
                } else {
                    Row::new(vec![name, stage])
                }
            })
        };
        let (partner_head, stage_head) =
            (tr!(lang, "view-col-partner"), tr!(lang, "view-col-stage"));
        let table = SectionTable {
            title: tr!(lang, "view-partners").into_owned(),
            header: if wide {
                Row::new([partner_head, tr!(lang, "view-col-tier"), stage_head])
            } else {
                Row::new([partner_head, stage_head])
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
        let lang = theme.lang;
        let brands: Vec<String> = partner
            .brands
            .iter()
            .map(|b| text::shown(theme, b).into_owned())
            .collect();
        let mut lines = vec![Line::from(vec![
            Span::raw(format!("{} ", tr!(lang, "view-partner-agreement"))),
            Span::styled(
                text::word(theme, "stage", partner.agreement.stage.as_str()),
                theme.stage(&partner.agreement.stage),
            ),
            Span::raw(
                partner
                    .agreement
                    .signed_on
                    .map(|d| {
                        let signed = tr!(lang, "view-partner-signed", date = trend::date(lang, d));
                        format!(" {signed}")
                    })
                    .unwrap_or_default(),
            ),
        ])];
        lines.extend(criteria_lines(partner, theme));
        // One line of brands: E•KINGO alone sells more than thirty.
        lines.push(Line::from(
            tr!(
                lang,
                "view-partner-brands",
                count = brands.len(),
                brands = brands.join(", ")
            )
            .into_owned(),
        ));
        lines.extend(self.data_warning_lines());
        let store_list = detail::shown(
            self.screen,
            Section::Stores,
            detail::partner_stores(fresh, &partner.id),
        );
        // Not wrapped: one row a line.
        let [info, middle, bottom] = info_and_lists(area, lines.len(), store_list.len());
        let title = tr!(
            lang,
            "view-partner-title",
            name = text::name_and_local(
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
                        format!("{symbol} {}", text::word(theme, "status", c.status_str())),
                        style,
                    ),
                ])
            })
        };
        let table = SectionTable {
            title: tr!(lang, "view-cities").into_owned(),
            header: Row::new([
                tr!(lang, "view-col-city"),
                tr!(lang, "view-col-recruitment"),
            ]),
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
        let lang = theme.lang;
        let snapshot = &fresh.snapshot;
        let today = snapshot.document.generated_at.date_naive();
        let deadline = snapshot.document.program.display_vehicle_deadline;
        let percent = progress::percent(store);
        let date = |d: Option<chrono::NaiveDate>| {
            d.map_or_else(|| "-".to_owned(), |d| trend::date(lang, d))
        };
        let district = store
            .district
            .as_deref()
            .map(|d| format!(", {}", text::shown(theme, d)))
            .unwrap_or_default();
        let updated = store
            .renovation
            .updated_at
            .map_or_else(|| "-".to_owned(), |t| trend::time(lang, t, self.app.zone));
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
                "{}{sep}{}{sep}{}{sep}{}{district}",
                text::word(theme, "kind", store.kind.as_str()),
                tr!(
                    lang,
                    "view-store-channel",
                    channel = text::word(theme, "channel", store.channel.as_str())
                ),
                tr!(
                    lang,
                    "view-store-operator",
                    operator = text::operator_name(theme, snapshot, &store.operator)
                ),
                text::city_name(theme, snapshot, &store.city),
            )),
            Line::from(vec![
                Span::raw(format!("{} ", tr!(lang, "view-store-phase"))),
                Span::styled(
                    text::word(theme, "phase", store.renovation.phase.as_str()),
                    theme.phase(&store.renovation.phase),
                ),
                Span::raw("  "),
                Span::styled(theme.bar(percent, 20), theme.bar_style(percent)),
                Span::raw(format!(" {percent:.0}%")),
            ]),
            Line::from(
                tr!(
                    lang,
                    "view-store-dates",
                    planned = date(store.renovation.planned_open),
                    display = date(store.renovation.display_vehicle_eta),
                    updated = updated
                )
                .into_owned(),
            ),
        ];
        if progress::schedule_slipped(store, today) {
            lines.push(Line::styled(
                format!("{late_text}: {}", tr!(lang, "view-store-slipped")),
                late_style,
            ));
        }
        if progress::display_vehicle_late(store, deadline) {
            lines.push(Line::styled(
                format!("{late_text}: {}", tr!(lang, "view-store-display-late")),
                late_style,
            ));
        }
        if let Some(location) = store.location {
            lines.push(Line::styled(
                tr!(
                    lang,
                    "view-store-location",
                    lat = format!("{:.4}", location.lat),
                    lon = format!("{:.4}", location.lon)
                )
                .into_owned(),
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
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(block(
                theme,
                &tr!(lang, "view-store-title"),
                false,
            )),
            info,
        );
        let rows: Vec<Row<'a>> = detail::store_links(fresh, &store.id)
            .into_iter()
            .map(|target| match target {
                detail::Target::City(c) => Row::new(vec![
                    tr!(lang, "view-record-city").into_owned(),
                    text::city_name(theme, snapshot, &c),
                ]),
                detail::Target::Partner(p) => Row::new(vec![
                    tr!(lang, "view-record-partner").into_owned(),
                    text::partner_short_name(theme, snapshot, &p),
                ]),
                detail::Target::Store(s) => Row::new(vec![
                    tr!(lang, "view-record-store").into_owned(),
                    text::store_name(theme, snapshot, &s),
                ]),
            })
            .collect();
        let table = SectionTable {
            title: tr!(lang, "view-links").into_owned(),
            header: Row::new([tr!(lang, "view-col-what"), tr!(lang, "view-col-which")]),
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
        Span::raw(format!("{} ", tr!(theme.lang, "view-trend-open"))),
        Span::styled(trend::sparkline(&open, 8, theme.ascii), theme.series(1)),
        Span::raw(format!(
            " {} {arrow} {}{}{} ",
            first.stores_open,
            last.stores_open,
            theme.sep(),
            tr!(theme.lang, "view-build-out")
        )),
        Span::styled(trend::sparkline(&built, 8, theme.ascii), theme.series(0)),
        Span::raw(format!(
            " {:.0}% {arrow} {:.0}%",
            first.avg_percent, last.avg_percent
        )),
    ]))
}

fn check(theme: Theme, met: Met) -> Span<'static> {
    let lang = theme.lang;
    let (mark, word, style) = match met {
        Met::Yes => (
            if theme.ascii { "[x]" } else { "✓" },
            tr!(lang, "view-yes"),
            if theme.ascii {
                theme.text()
            } else {
                theme.phase(&crate::feed::wire::Phase::Open)
            },
        ),
        Met::No => (
            if theme.ascii { "[ ]" } else { "✗" },
            tr!(lang, "view-no"),
            theme.late().1,
        ),
        Met::Unknown => (
            if theme.ascii { "[?]" } else { "?" },
            tr!(lang, "view-unknown"),
            theme.dim(),
        ),
    };
    Span::styled(format!("{mark} {word}"), style)
}

/// How a partner measures against the recruitment criteria, as
/// `unqualified_partner` decides it.
fn criteria_lines(partner: &Partner, theme: Theme) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let Criteria { group, experience } = Criteria::of(partner);
    let yes_no = |b: bool| {
        if b {
            tr!(lang, "view-yes")
        } else {
            tr!(lang, "view-no")
        }
    };
    vec![
        Line::from(vec![
            Span::raw(format!("{} ", tr!(lang, "view-criteria-group"))),
            check(theme, group),
            Span::styled(
                format!(" ({})", partners::tier_text(theme, partner)),
                theme.dim(),
            ),
        ]),
        Line::from(vec![
            Span::raw(format!("{} ", tr!(lang, "view-criteria-experience"))),
            check(theme, experience),
            Span::styled(
                format!(
                    " ({})",
                    tr!(
                        lang,
                        "view-criteria-experience-detail",
                        luxury = yes_no(partner.luxury_experience),
                        nev = yes_no(partner.nev_experience)
                    )
                ),
                theme.dim(),
            ),
        ]),
    ]
}
