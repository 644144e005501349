//! The drill-downs: one city, one partner or one store in depth. Every list
//! on them is a section (Tab moves between them) whose rows come from
//! `app::detail`, the same lists Enter opens from.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Wrap};

use super::table::{draw_table, visible_window};
use super::theme::Theme;
use super::{changes, conflicts, partners, stores};
use crate::analysis::conflicts::{Criteria, Met};
use crate::analysis::progress;
use crate::app::detail::{self, Section};
use crate::app::{App, Route, Screen};
use crate::feed::poller::Fresh;
use crate::feed::wire::{AgreementStage, City, Partner, Store, WireValue};

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
        Route::Overview => Some(()),
    };
    if shown.is_none() {
        let text = "This record is no longer in the feed. Esc goes back.";
        frame.render_widget(
            Paragraph::new(text).block(block(theme, "gone", false)),
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

/// A city's or partner's screen: the info block (its lines, at most a third
/// of the height), the stores, and the lists below them.
fn info_and_lists(area: Rect, info_lines: usize, stores: usize) -> [Rect; 3] {
    let info_height = u16::try_from(info_lines + 2)
        .unwrap_or(u16::MAX)
        .min(area.height / 3)
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
    rows: Vec<Row<'a>>,
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
        let len = table.rows.len();
        // New data may have shortened the list under a cursor set before it.
        let cursor = if focused {
            self.screen.cursor.min(len.saturating_sub(1))
        } else {
            0
        };
        let window = visible_window(len, cursor, area, table.row_height);
        let selected = (focused && len > 0).then(|| cursor - window.start);
        let rows: Vec<Row<'a>> = table
            .rows
            .into_iter()
            .skip(window.start)
            .take(window.len())
            .map(|row| row.height(table.row_height))
            .collect();
        let title = format!("{} ({len})", table.title);
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

    fn stores_section(&self, frame: &mut Frame, area: Rect, stores_list: Vec<&'a Store>) {
        let (header, widths, compact) = stores::columns(area.width);
        let rows = stores_list
            .into_iter()
            .map(|s| stores::row(s, self.fresh, self.theme, compact))
            .collect();
        let table = SectionTable {
            title: "Stores".into(),
            header,
            widths,
            rows,
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
        let rows = detail::findings(self.screen, self.fresh)
            .into_iter()
            .map(|f| {
                if narrow {
                    conflicts::two_line_row(f, &self.fresh.snapshot, theme)
                } else {
                    conflicts::row(f, &self.fresh.snapshot, theme)
                }
            })
            .collect();
        let table = SectionTable {
            title: "Conflicts".into(),
            header: if narrow {
                conflicts::narrow_header()
            } else {
                conflicts::header()
            },
            widths: if narrow {
                &[Constraint::Fill(1)]
            } else {
                &conflicts::WIDTHS
            },
            rows,
            row_height: conflicts::row_height(top.width),
        };
        self.section(frame, top, Section::Conflicts, table);
        let rows = detail::changes(self.app, self.screen, self.fresh)
            .into_iter()
            .map(|c| changes::row(c, theme))
            .collect();
        let table = SectionTable {
            title: "Recent changes".into(),
            header: changes::header(),
            widths: &changes::WIDTHS,
            rows,
            row_height: 1,
        };
        self.section(frame, bottom, Section::Changes, table);
    }

    /// The record's data warnings, as lines for its info block.
    fn data_warning_lines(&self) -> Vec<Line<'static>> {
        let (mark, style) = self.theme.late();
        let mark = mark.split(' ').next().unwrap_or("!");
        detail::data_warnings(self.screen, self.fresh)
            .into_iter()
            .map(|w| Line::styled(format!("{mark} data: {}", w.message), style))
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
        let r = city.recruitment.as_ref();
        let figure = |v: Option<u32>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
        let mut lines = vec![
            Line::from(vec![
                Span::styled(city.name.to_string(), theme.title()),
                Span::styled(
                    format!(
                        " {} {}",
                        city.local_name.as_deref().unwrap_or(""),
                        city.province.as_deref().unwrap_or("")
                    ),
                    theme.dim(),
                ),
                Span::raw("   recruitment "),
                Span::styled(format!("{symbol} {}", city.status_str()), style),
                Span::raw(
                    r.and_then(|r| r.opened_on)
                        .map(|d| format!(" since {d}"))
                        .unwrap_or_default(),
                ),
            ]),
            Line::from(format!(
                "funnel: {} applicants{arrow}{} shortlisted{arrow}{} signed   target {} stores",
                figure(r.and_then(|r| r.applicants)),
                figure(r.and_then(|r| r.shortlisted)),
                signed,
                figure(r.and_then(|r| r.target_stores)),
            )),
        ];
        if let Some(p) = progress {
            lines.push(Line::from(vec![
                Span::raw(format!(
                    "stores {}/{} open  build-out ",
                    p.stores_open, p.stores_total
                )),
                Span::styled(theme.bar(p.avg_percent, 20), theme.bar_style(p.avg_percent)),
                Span::raw(format!(
                    " {:.0}%  {} late  {} conflicts",
                    p.avg_percent, p.late, p.conflicts
                )),
            ]));
        }
        lines.extend(self.data_warning_lines());
        let store_list: Vec<&Store> = detail::city_stores(fresh, &city.id).collect();
        let [info, middle, bottom] = info_and_lists(area, lines.len(), store_list.len());
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(block(
                theme,
                &format!("City {}", city.id),
                false,
            )),
            info,
        );
        self.stores_section(frame, middle, store_list);

        let [left, right] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)])
                .areas(bottom);
        // A narrow partner list keeps the name and the stage, not the tier.
        let wide = left.width >= 44;
        let rows = city_partners
            .iter()
            .map(|p| {
                let stage =
                    Line::styled(p.agreement.stage.as_str(), theme.stage(&p.agreement.stage));
                if wide {
                    Row::new(vec![
                        Line::from(p.name.as_str()),
                        Line::from(partners::tier_text(p)),
                        stage,
                    ])
                } else {
                    Row::new(vec![Line::from(p.name.as_str()), stage])
                }
            })
            .collect();
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
            rows,
            row_height: 1,
        };
        self.section(frame, left, Section::Partners, table);
        self.findings_and_changes(frame, right);
    }

    fn partner(&self, partner: &'a Partner, frame: &mut Frame, area: Rect) {
        let (fresh, theme) = (self.fresh, self.theme);
        let brands: Vec<&str> = partner.brands.iter().map(|b| b.as_str()).collect();
        let mut lines = vec![Line::from(vec![
            Span::styled(partner.name.to_string(), theme.title()),
            Span::styled(
                format!(" {}", partner.local_name.as_deref().unwrap_or("")),
                theme.dim(),
            ),
            Span::raw("   agreement "),
            Span::styled(
                partner.agreement.stage.as_str().to_owned(),
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
        let store_list: Vec<&Store> = detail::partner_stores(fresh, &partner.id).collect();
        let [info, middle, bottom] = info_and_lists(area, lines.len(), store_list.len());
        frame.render_widget(
            Paragraph::new(lines).block(block(theme, &format!("Partner {}", partner.id), false)),
            info,
        );
        self.stores_section(frame, middle, store_list);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)])
                .areas(bottom);
        let rows = detail::partner_cities(fresh, &partner.id)
            .iter()
            .filter_map(|c| fresh.snapshot.city(c.as_str()))
            .map(|c| {
                let (symbol, style) = theme.status(&c.recruitment_status());
                Row::new(vec![
                    Line::from(vec![
                        Span::raw(c.name.as_str()),
                        Span::styled(
                            format!(" {}", c.local_name.as_deref().unwrap_or("")),
                            theme.dim(),
                        ),
                    ]),
                    Line::styled(format!("{symbol} {}", c.status_str()), style),
                ])
            })
            .collect();
        let table = SectionTable {
            title: "Cities".into(),
            header: Row::new(["City", "Recruitment"]),
            widths: &[Constraint::Fill(1), Constraint::Length(15)],
            rows,
            row_height: 1,
        };
        self.section(frame, left, Section::Cities, table);
        self.findings_and_changes(frame, right);
    }

    fn store(&self, store: &'a Store, frame: &mut Frame, area: Rect) {
        let (fresh, theme) = (self.fresh, self.theme);
        let today = fresh.snapshot.document.generated_at.date_naive();
        let deadline = fresh.snapshot.document.program.display_vehicle_deadline;
        let percent = progress::percent(store);
        let date =
            |d: Option<chrono::NaiveDate>| d.map_or_else(|| "-".to_owned(), |d| d.to_string());
        let (late_text, late_style) = theme.late();
        let sep = theme.sep();
        let mut lines = vec![
            Line::from(vec![
                Span::styled(store.name.to_string(), theme.title()),
                Span::styled(format!("  {}", store.id), theme.dim()),
            ]),
            Line::from(format!(
                "{}{sep}{} channel{sep}operated by {}{sep}{}{}",
                stores::kind_text(&store.kind),
                store.channel.as_str(),
                store.operator.as_str(),
                store.city,
                store
                    .district
                    .as_deref()
                    .map(|d| format!(", {d}"))
                    .unwrap_or_default()
            )),
            Line::from(vec![
                Span::raw("phase "),
                Span::styled(
                    store.renovation.phase.as_str().to_owned(),
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
                    |t| t.format("%Y-%m-%d %H:%M UTC").to_string()
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
        let info_height = u16::try_from(lines.len() + 2)
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
        let rows = detail::targets(self.app, &Screen::new(self.screen.route.clone()), fresh)
            .into_iter()
            .flatten()
            .map(|target| match target {
                detail::Target::City(c) => Row::new(vec!["city".to_owned(), c.to_string()]),
                detail::Target::Partner(p) => Row::new(vec![
                    "partner".to_owned(),
                    fresh
                        .snapshot
                        .partner(p.as_str())
                        .map_or_else(|| p.to_string(), |p| p.name.to_string()),
                ]),
                detail::Target::Store(s) => Row::new(vec!["store".to_owned(), s.to_string()]),
            })
            .collect();
        let table = SectionTable {
            title: "Go to (Enter)".into(),
            header: Row::new(["What", "Which"]),
            widths: &[Constraint::Length(8), Constraint::Fill(1)],
            rows,
            row_height: 1,
        };
        self.section(frame, links, Section::Links, table);
        self.findings_and_changes(frame, bottom);
    }
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
            Span::styled(format!(" ({})", partners::tier_text(partner)), theme.dim()),
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
