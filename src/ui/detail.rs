//! The drill-downs: one city, one partner or one store in depth.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Wrap};

use super::table::{draw_table, visible_window};
use super::theme::Theme;
use super::{changes, conflicts, partners, stores};
use crate::analysis::{Change, Finding, progress};
use crate::app::detail::{self, Section};
use crate::app::{App, Route, Screen};
use crate::feed::poller::Fresh;
use crate::feed::wire::{AgreementStage, Partner, Tier, WireValue};

/// Draws the drill-down on top of the navigation stack.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let Some(fresh) = &app.current else {
        return;
    };
    let screen = app.screen();
    let mut gone = |what: &str, id: &str| {
        let text = format!("{what} {id} is no longer in the feed. Esc goes back.");
        frame.render_widget(Paragraph::new(text).block(block(theme, what, false)), area);
    };
    match &screen.route {
        Route::City(id) => match fresh.snapshot.city(id.as_str()) {
            Some(_) => city(app, fresh, screen, theme, frame, area),
            None => gone("city", id.as_str()),
        },
        Route::Partner(id) => match fresh.snapshot.partner(id.as_str()) {
            Some(p) => partner(app, fresh, p, screen, theme, frame, area),
            None => gone("partner", id.as_str()),
        },
        Route::Store(id) => match fresh.snapshot.store(id.as_str()) {
            Some(_) => store(app, fresh, screen, theme, frame, area),
            None => gone("store", id.as_str()),
        },
        Route::Overview => {}
    }
}

/// The height of a list section: its rows, but at most half the screen, so
/// the sections below it keep their room.
fn list_height(rows: usize, area: Rect) -> u16 {
    (rows as u16)
        .saturating_add(3)
        .clamp(4, (area.height / 2).max(4))
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

fn check(theme: Theme, ok: bool) -> Span<'static> {
    match (ok, theme.ascii) {
        (true, false) => Span::styled("✓ yes", theme.phase(&crate::feed::wire::Phase::Open)),
        (false, false) => Span::styled("✗ no", theme.late().1),
        (true, true) => Span::styled("[x] yes", theme.text()),
        (false, true) => Span::styled("[ ] no", theme.late().1),
    }
}

/// Draws a section's table: rows for every target, the cursor when focused.
#[allow(clippy::too_many_arguments)]
fn section_table<'a>(
    frame: &mut Frame,
    area: Rect,
    theme: Theme,
    title: String,
    focused: bool,
    cursor: usize,
    header: Row<'a>,
    widths: &[Constraint],
    rows: Vec<Row<'a>>,
) {
    let window = visible_window(rows.len(), if focused { cursor } else { 0 }, area, 1);
    let start = window.start;
    let selected = (focused && !rows.is_empty()).then(|| cursor.min(rows.len() - 1) - start);
    let rows: Vec<Row<'a>> = rows.into_iter().skip(start).take(window.len()).collect();
    draw_table(
        frame,
        area,
        block(theme, &title, focused),
        header,
        rows,
        widths,
        selected,
        theme,
    );
}

fn findings_and_changes<'a>(
    frame: &mut Frame,
    area: Rect,
    theme: Theme,
    findings: Vec<&'a Finding>,
    changes_list: Vec<&'a Change>,
) {
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let count = findings.len();
    // Narrow: each finding takes two lines so its sentence shows (the table clips the rest).
    let narrow = conflicts::row_height(top.width) > 1;
    let rows: Vec<Row> = findings
        .into_iter()
        .map(|f| {
            if narrow {
                conflicts::two_line_row(f, theme).height(2)
            } else {
                conflicts::row(f, theme)
            }
        })
        .collect();
    section_table(
        frame,
        top,
        theme,
        format!("Conflicts ({count})"),
        false,
        0,
        if narrow {
            conflicts::narrow_header()
        } else {
            conflicts::header()
        },
        if narrow {
            &[Constraint::Fill(1)]
        } else {
            &conflicts::WIDTHS
        },
        rows,
    );
    let count = changes_list.len();
    let rows: Vec<Row> = changes_list
        .into_iter()
        .map(|c| changes::row(c, theme))
        .collect();
    section_table(
        frame,
        bottom,
        theme,
        format!("Recent changes ({count})"),
        false,
        0,
        Row::new(["Time", "Change"]),
        &changes::WIDTHS,
        rows,
    );
}

fn city(app: &App, fresh: &Fresh, screen: &Screen, theme: Theme, frame: &mut Frame, area: Rect) {
    let Route::City(id) = &screen.route else {
        return;
    };
    let Some(city) = fresh.snapshot.city(id.as_str()) else {
        return;
    };
    let progress = fresh.analysis.cities.iter().find(|p| &p.city == id);
    let section = detail::current_section(screen, fresh);
    let city_partners = fresh.snapshot.partners_in(id.as_str());
    let signed = city_partners
        .iter()
        .filter(|p| {
            matches!(
                p.agreement.stage,
                AgreementStage::Intention | AgreementStage::Contract
            )
        })
        .count();

    let store_count = fresh.snapshot.stores_in(id.as_str()).count();
    let [info, middle, bottom] = Layout::vertical([
        Constraint::Length(5),
        Constraint::Max(list_height(store_count, area)),
        Constraint::Fill(1),
    ])
    .areas(area);
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
    frame.render_widget(
        Paragraph::new(lines).block(block(theme, &format!("City {}", city.id), false)),
        info,
    );

    let (store_header, store_widths, compact) = stores::columns(middle.width);
    let store_rows: Vec<Row> = fresh
        .snapshot
        .stores_in(id.as_str())
        .map(|s| stores::row(s, fresh, theme, compact))
        .collect();
    section_table(
        frame,
        middle,
        theme,
        format!("Stores ({})", store_rows.len()),
        section == Some(Section::Stores),
        screen.cursor,
        store_header,
        store_widths,
        store_rows,
    );

    let [left, right] =
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(bottom);
    let partner_rows: Vec<Row> = city_partners
        .iter()
        .map(|p| {
            Row::new(vec![
                Line::from(p.name.as_str()),
                Line::from(partners::tier_text(p)),
                Line::styled(p.agreement.stage.as_str(), theme.stage(&p.agreement.stage)),
            ])
        })
        .collect();
    section_table(
        frame,
        left,
        theme,
        format!("Partners ({})", partner_rows.len()),
        section == Some(Section::Partners),
        screen.cursor,
        Row::new(["Partner", "Tier", "Stage"]),
        &[
            Constraint::Fill(1),
            Constraint::Length(11),
            Constraint::Length(10),
        ],
        partner_rows,
    );
    let changes_list: Vec<&Change> = app
        .change_log
        .iter()
        .filter(|c| c.city.as_ref() == Some(id))
        .take(50)
        .collect();
    findings_and_changes(
        frame,
        right,
        theme,
        fresh.analysis.findings_in(id.as_str()).collect(),
        changes_list,
    );
}

/// How a partner measures against the recruitment criteria.
fn criteria_lines(partner: &Partner, theme: Theme) -> Vec<Line<'static>> {
    let group = matches!(partner.tier, Tier::Top100 | Tier::Regional);
    let experience = partner.luxury_experience || partner.nev_experience;
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
                    if partner.luxury_experience {
                        "yes"
                    } else {
                        "no"
                    },
                    if partner.nev_experience { "yes" } else { "no" }
                ),
                theme.dim(),
            ),
        ]),
    ]
}

fn partner(
    app: &App,
    fresh: &Fresh,
    partner: &Partner,
    screen: &Screen,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let section = detail::current_section(screen, fresh);
    let store_count = detail::partner_stores(fresh, &partner.id).count();
    let [info, middle, bottom] = Layout::vertical([
        Constraint::Length(6),
        Constraint::Max(list_height(store_count, area)),
        Constraint::Fill(1),
    ])
    .areas(area);
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
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block(
            theme,
            &format!("Partner {}", partner.id),
            false,
        )),
        info,
    );
    let (store_header, store_widths, compact) = stores::columns(middle.width);
    let store_rows: Vec<Row> = detail::partner_stores(fresh, &partner.id)
        .map(|s| stores::row(s, fresh, theme, compact))
        .collect();
    section_table(
        frame,
        middle,
        theme,
        format!("Stores ({})", store_rows.len()),
        section == Some(Section::Stores),
        screen.cursor,
        store_header,
        store_widths,
        store_rows,
    );
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(bottom);
    let city_rows: Vec<Row> = partner
        .cities
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
    section_table(
        frame,
        left,
        theme,
        format!("Cities ({})", city_rows.len()),
        section == Some(Section::Cities),
        screen.cursor,
        Row::new(["City", "Recruitment"]),
        &[Constraint::Fill(1), Constraint::Length(15)],
        city_rows,
    );
    let changes_list: Vec<&Change> = app
        .change_log
        .iter()
        .filter(|c| c.partner.as_ref() == Some(&partner.id))
        .take(50)
        .collect();
    findings_and_changes(
        frame,
        right,
        theme,
        fresh
            .analysis
            .findings_for_partner(partner.id.as_str())
            .collect(),
        changes_list,
    );
}

fn store(app: &App, fresh: &Fresh, screen: &Screen, theme: Theme, frame: &mut Frame, area: Rect) {
    let Route::Store(id) = &screen.route else {
        return;
    };
    let Some(store) = fresh.snapshot.store(id.as_str()) else {
        return;
    };
    let today = fresh.snapshot.document.generated_at.date_naive();
    let deadline = fresh.snapshot.document.program.display_vehicle_deadline;
    let percent = progress::percent(store);
    let date = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "-".to_owned(), |d| d.to_string());
    let (late_text, late_style) = theme.late();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(store.name.to_string(), theme.title()),
            Span::styled(format!("  {}", store.id), theme.dim()),
        ]),
        Line::from(format!(
            "{} · {} channel · operated by {} · {}{}",
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
    if theme.ascii {
        for line in &mut lines {
            for span in &mut line.spans {
                span.content = span.content.replace('·', ",").into();
            }
        }
    }
    let [info, links, bottom] = Layout::vertical([
        Constraint::Length(lines.len() as u16 + 2),
        Constraint::Length(5),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(lines).block(block(theme, "Store", false)),
        info,
    );
    let link_rows: Vec<Row> = detail::targets(screen, fresh)
        .into_iter()
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
    section_table(
        frame,
        links,
        theme,
        "Go to (Enter)".to_owned(),
        true,
        screen.cursor,
        Row::new(["What", "Which"]),
        &[Constraint::Length(8), Constraint::Fill(1)],
        link_rows,
    );
    let findings: Vec<&Finding> = fresh
        .analysis
        .findings
        .iter()
        .filter(|f| f.stores.contains(id))
        .collect();
    let changes_list: Vec<&Change> = app
        .change_log
        .iter()
        .filter(|c| c.store.as_ref() == Some(id))
        .take(50)
        .collect();
    findings_and_changes(frame, bottom, theme, findings, changes_list);
}
