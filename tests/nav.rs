//! Navigation at national scale through `update`: the `:` command line
//! (completion, ambiguity, pinyin, history), field filters, `n` / `N`,
//! grouped conflicts, and render snapshots of the command line and the
//! grouped conflicts at 80x24.

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rollout_dash::analysis::{Origin, Rule, Severity};
use rollout_dash::app::command_line::Group;
use rollout_dash::app::{App, Command, FindingTest, Msg, Pane, Route, update};
use rollout_dash::feed::wire::{Phase, StoreKind};

fn key(app: &mut App, code: KeyCode) -> Option<Command> {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// Types `:` and `line`, then Enter.
fn command(app: &mut App, line: &str) -> Option<Command> {
    key(app, KeyCode::Char(':'));
    typed(app, line);
    key(app, KeyCode::Enter)
}

fn city(id: &str) -> Route {
    Route::City(rollout_dash::feed::wire::CityId::new(id))
}

#[test]
fn a_city_opens_by_any_of_its_spellings() {
    for spelling in ["nanjing", "Nanjing", "南京", "nj", "NJ", "nanj", "nanjin"] {
        let mut app = common::demo_app();
        command(&mut app, &format!("city {spelling}"));
        assert_eq!(app.route(), &city("nanjing"), "{spelling}");
        assert!(app.command_line.is_none(), "{spelling}: the line closes");
    }
    // Pinyin of 宁波, full and initials, and a fuzzy one (letters in order).
    for spelling in ["ningbo", "nb", "宁波", "ngbo"] {
        let mut app = common::demo_app();
        command(&mut app, &format!("city {spelling}"));
        assert_eq!(app.route(), &city("ningbo"), "{spelling}");
    }
    // Esc goes back to where the jump started.
    let mut app = common::demo_app();
    command(&mut app, "city 宁波");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.route(), &Route::Overview);
}

#[test]
fn a_partner_and_a_store_open_too() {
    let mut app = common::demo_app();
    command(&mut app, "partner 港宏");
    assert!(matches!(app.route(), Route::Partner(p) if p.as_str() == "ganghong"));
    let mut app = common::demo_app();
    command(&mut app, "partner ganghong");
    assert!(matches!(app.route(), Route::Partner(p) if p.as_str() == "ganghong"));
    let mut app = common::demo_app();
    command(&mut app, "store bj-dc-01");
    assert!(matches!(app.route(), Route::Store(s) if s.as_str() == "bj-dc-01"));
}

#[test]
fn an_ambiguous_name_shows_the_candidates_and_tab_or_enter_picks() {
    let mut app = common::demo_app();
    command(&mut app, "city zhou");
    let line = app.command_line.as_ref().expect("stays open");
    let labels: Vec<&str> = line.candidates.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels.len(), 4, "{labels:?}");
    for name in ["Suzhou", "Hangzhou", "Zhengzhou", "Guangzhou"] {
        assert!(
            labels.iter().any(|l| l.starts_with(name)),
            "{name} in {labels:?}"
        );
    }
    assert!(
        line.error
            .as_ref()
            .unwrap()
            .starts_with("4 cities match zhou")
    );
    assert_eq!(app.route(), &Route::Overview);
    // Tab picks the second; Enter opens it.
    key(&mut app, KeyCode::Tab);
    let picked = app.command_line.as_ref().unwrap().picked().unwrap().clone();
    assert_eq!(app.command_line.as_ref().unwrap().input, picked.line);
    key(&mut app, KeyCode::Enter);
    let Route::City(opened) = app.route().clone() else {
        panic!("a city opens: {:?}", app.route())
    };
    assert_eq!(picked.line, format!("city {}", opened.as_str()));
    // Enter alone opens the first.
    let mut app = common::demo_app();
    command(&mut app, "city zhou");
    let first = app.command_line.as_ref().unwrap().candidates[0]
        .line
        .clone();
    key(&mut app, KeyCode::Enter);
    assert_eq!(format!("city {}", route_id(app.route())), first);
}

fn route_id(route: &Route) -> String {
    match route {
        Route::City(id) => id.as_str().to_owned(),
        Route::Partner(id) => id.as_str().to_owned(),
        Route::Store(id) => id.as_str().to_owned(),
        Route::Overview | Route::Plan(_) => String::new(),
    }
}

#[test]
fn nothing_found_and_bad_commands_say_why_and_keep_the_line() {
    let mut app = common::demo_app();
    command(&mut app, "city atlantis");
    assert_eq!(
        app.command_line.as_ref().unwrap().error.as_deref(),
        Some("no city matches atlantis")
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.command_line.is_none());
    command(&mut app, "jump 3");
    assert!(
        app.command_line
            .as_ref()
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .starts_with("no command jump")
    );
    key(&mut app, KeyCode::Esc);
    command(&mut app, "store zz-nowhere");
    assert!(
        app.command_line
            .as_ref()
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .contains("zz-nowhere")
    );
}

#[test]
fn tab_completes_the_command_then_the_name_and_cycles() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "par");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.command_line.as_ref().unwrap().input, "partner ");
    typed(&mut app, "gang");
    key(&mut app, KeyCode::Tab);
    assert_eq!(
        app.command_line.as_ref().unwrap().input,
        "partner Sichuan Ganghong Group"
    );
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.route(), Route::Partner(p) if p.as_str() == "ganghong"));

    // Several commands start with c: Tab cycles through them, Shift-Tab back.
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "c");
    key(&mut app, KeyCode::Tab);
    let line = |app: &App| app.command_line.as_ref().unwrap().input.clone();
    assert_eq!(line(&app), "city ");
    key(&mut app, KeyCode::Tab);
    assert_eq!(line(&app), "cities");
    key(&mut app, KeyCode::Tab);
    assert_eq!(line(&app), "conflicts");
    key(&mut app, KeyCode::BackTab);
    assert_eq!(line(&app), "cities");
    // Typing ends the cycle; Tab then completes the argument by pinyin.
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "city nb");
    key(&mut app, KeyCode::Tab);
    assert_eq!(line(&app), "city Ningbo");
    // And the group words.
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "group r");
    key(&mut app, KeyCode::Tab);
    assert_eq!(line(&app), "group rule");
}

#[test]
fn up_and_down_walk_the_history_of_the_session() {
    let mut app = common::demo_app();
    command(&mut app, "city nj");
    key(&mut app, KeyCode::Esc);
    command(&mut app, "conflicts");
    assert_eq!(app.command_history.entries, ["city nj", "conflicts"]);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "x");
    key(&mut app, KeyCode::Up);
    let line = |app: &App| app.command_line.as_ref().unwrap().input.clone();
    assert_eq!(line(&app), "conflicts");
    key(&mut app, KeyCode::Up);
    assert_eq!(line(&app), "city nj");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    assert_eq!(line(&app), "x", "what was typed comes back");
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.route(), &city("nanjing"));
}

#[test]
fn panes_quit_group_and_feed() {
    let mut app = common::demo_app();
    command(&mut app, "city nj");
    command(&mut app, "conflicts");
    assert_eq!(
        (app.route(), app.focus),
        (&Route::Overview, Pane::Conflicts)
    );
    command(&mut app, "group rule");
    assert_eq!(app.lists.group, Group::Rule);
    assert!(!app.lists.conflicts.groups.is_empty());
    command(&mut app, "group none");
    assert!(app.lists.conflicts.groups.is_empty());
    assert_eq!(command(&mut app, "feed staging"), None);
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .starts_with("no other feeds configured")
    );
    app.feeds = vec!["prod".into(), "staging".into()];
    assert_eq!(
        command(&mut app, "feed staging"),
        Some(Command::SwitchFeed("staging".into()))
    );
    command(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn a_paste_into_the_command_line_is_text_never_enter() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char(':'));
    update(&mut app, Msg::Paste("city\nnanjing\r\n".into()));
    assert_eq!(app.route(), &Route::Overview);
    assert_eq!(app.command_line.as_ref().unwrap().input, "city nanjing  ");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.route(), &city("nanjing"));
}

/// Sets the focused pane's filter as typed, then Enter.
fn filter(app: &mut App, pane: Pane, text: &str) {
    app.focus = pane;
    key(app, KeyCode::Char('/'));
    typed(app, text);
    key(app, KeyCode::Enter);
}

#[test]
fn field_terms_narrow_each_pane_and_combine_with_and() {
    let mut app = common::demo_app();
    let fresh = app.current.clone().unwrap();
    let findings = &fresh.analysis.findings;
    let stores = &fresh.snapshot.document.stores;

    filter(&mut app, Pane::Conflicts, "sev:critical");
    let rows = app.lists.conflicts.rows.clone();
    let critical = findings
        .iter()
        .filter(|f| f.severity == Severity::Critical)
        .count();
    assert!(critical > 0 && rows.len() == critical);

    filter(&mut app, Pane::Conflicts, " rule:territory_overlap");
    let both = app.lists.conflicts.rows.clone();
    assert!(
        both.iter()
            .all(|&r| findings[r].severity == Severity::Critical
                && findings[r].origin == Origin::Rule(Rule::TerritoryOverlap))
    );
    assert!(both.len() < rows.len(), "AND narrows");

    // A city by pinyin; its findings only.
    key(&mut app, KeyCode::Esc);
    filter(&mut app, Pane::Conflicts, "city:nanjing");
    let nanjing = app.lists.conflicts.rows.clone();
    assert!(!nanjing.is_empty());
    assert!(
        nanjing
            .iter()
            .all(|&r| findings[r].city.as_ref().unwrap().as_str() == "nanjing")
    );
    key(&mut app, KeyCode::Esc);
    filter(&mut app, Pane::Conflicts, "city:nj");
    assert_eq!(app.lists.conflicts.rows, nanjing, "initials");
    key(&mut app, KeyCode::Esc);
    filter(&mut app, Pane::Conflicts, "city:南京");
    assert_eq!(app.lists.conflicts.rows, nanjing, "Chinese");

    filter(&mut app, Pane::Stores, "phase:fit_out kind:2s");
    let shown = app.lists.stores.rows.clone();
    assert!(!shown.is_empty());
    assert!(
        shown
            .iter()
            .all(|&r| stores[r].renovation.phase == Phase::FitOut
                && stores[r].kind == StoreKind::SalesService2s)
    );
    key(&mut app, KeyCode::Esc);
    filter(&mut app, Pane::Stores, "partner:ganghong");
    assert!(!app.lists.stores.rows.is_empty());
    assert!(
        app.lists
            .stores
            .rows
            .iter()
            .all(|&r| stores[r].operator.partner().map(|p| p.as_str()) == Some("ganghong"))
    );
    key(&mut app, KeyCode::Esc);
    filter(&mut app, Pane::Stores, "late");
    let late = app.lists.stores.rows.len();
    assert!(late > 0 && late < stores.len(), "{late}");

    filter(&mut app, Pane::Cities, "city:zhou");
    assert_eq!(app.lists.cities.rows.len(), 4);
}

#[test]
fn plain_text_matches_names_not_labels_beside_terms() {
    let mut app = common::demo_app();
    filter(&mut app, Pane::Conflicts, "warning");
    assert!(app.lists.conflicts.rows.is_empty(), "a label");
    key(&mut app, KeyCode::Esc);
    let fresh = app.current.clone().unwrap();
    let findings = &fresh.analysis.findings;
    let city = findings
        .iter()
        .find(|f| f.severity == Severity::Warning && f.city.is_some())
        .and_then(|f| f.city.clone())
        .unwrap();
    filter(
        &mut app,
        Pane::Conflicts,
        &format!("sev:warning {}", city.as_str()),
    );
    let expected = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning && f.city.as_ref() == Some(&city))
        .count();
    assert!(expected > 0);
    assert_eq!(app.lists.conflicts.rows.len(), expected);
}

#[test]
fn an_invalid_term_says_why_and_the_list_keeps_its_last_good_filter() {
    let mut app = common::demo_app();
    app.focus = Pane::Conflicts;
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "sev:critical");
    let good = app.lists.conflicts.rows.clone();
    update(&mut app, Msg::Paste(" sev:bad".into()));
    assert_eq!(app.lists.conflicts.rows, good);
    let note = app.lists.conflicts.filter_note.clone().unwrap();
    assert!(
        note.starts_with("sev:bad: severity is critical, warning or info"),
        "{note}"
    );
    // A term that does not apply to the pane says so too.
    key(&mut app, KeyCode::Esc);
    app.focus = Pane::Partners;
    key(&mut app, KeyCode::Char('/'));
    update(&mut app, Msg::Paste("phase:open".into()));
    let note = app.lists.partners.filter_note.clone().unwrap();
    assert!(
        note.starts_with("phase: does not filter partners"),
        "{note}"
    );
    assert_eq!(
        app.lists.partners.rows.len(),
        app.current
            .as_ref()
            .unwrap()
            .snapshot
            .document
            .partners
            .len()
    );
}

#[test]
fn new_and_acked_are_fed_by_app_state() {
    let mut app = common::demo_app();
    let all = app.lists.conflicts.rows.len();
    // Nothing is NEW at the first snapshot, and nothing acknowledged.
    filter(&mut app, Pane::Conflicts, "acked:no");
    assert_eq!(app.lists.conflicts.rows.len(), all, "none acknowledged");
    assert!(app.lists.conflicts.filter_note.is_none());
    key(&mut app, KeyCode::Esc);
    filter(&mut app, Pane::Conflicts, "new");
    assert!(app.lists.conflicts.rows.is_empty(), "none NEW");
    key(&mut app, KeyCode::Esc);
    // Untracked, a term is read, narrows nothing, and the line says so.
    app.lists.flags.new = None;
    filter(&mut app, Pane::Conflicts, "new");
    assert_eq!(app.lists.conflicts.rows.len(), all);
    assert_eq!(
        app.lists.conflicts.filter_note.as_deref(),
        Some("new: not tracked yet, ignored")
    );
    key(&mut app, KeyCode::Esc);
    // The acknowledgements on screen are what acked: reads.
    let findings = app.current.as_ref().unwrap().analysis.findings.clone();
    let acked: Vec<bool> = (0..findings.len()).map(|i| i % 3 == 0).collect();
    app.lists.set_acked(Some(acked.clone().into()), false);
    filter(&mut app, Pane::Conflicts, "acked:no");
    let rows = app.lists.conflicts.rows.clone();
    assert!(!rows.is_empty() && rows.len() < all);
    assert!(rows.iter().all(|&r| !acked[r]));
    key(&mut app, KeyCode::Esc);
    filter(&mut app, Pane::Conflicts, "acked:yes");
    let rows = &app.lists.conflicts.rows;
    assert_eq!(rows.len(), acked.iter().filter(|&&a| a).count());
    assert!(rows.iter().all(|&r| acked[r]));
    // Wiring NEW is one line: a test of a finding.
    let critical: FindingTest = std::sync::Arc::new(|_, f| f.severity == Severity::Critical);
    app.lists.flags.new = Some(critical);
    key(&mut app, KeyCode::Esc);
    filter(&mut app, Pane::Conflicts, "new");
    assert!(app.lists.conflicts.filter_note.is_none());
    let rows = &app.lists.conflicts.rows;
    assert!(!rows.is_empty() && rows.len() < all);
    assert!(
        rows.iter()
            .all(|&r| findings[r].severity == Severity::Critical)
    );
}

#[test]
fn n_and_shift_n_step_through_the_matches_wrapping() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char('n'));
    assert!(app.notice.as_ref().unwrap().contains("/ sets one"));
    filter(&mut app, Pane::Stores, "bj");
    let rows = app.lists.stores.rows.clone();
    assert!(rows.len() > 2);
    assert_eq!(app.lists.stores.cursor, 0);
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.lists.stores.selected_row(), Some(rows[1]));
    key(&mut app, KeyCode::Char('N'));
    key(&mut app, KeyCode::Char('N'));
    assert_eq!(
        app.lists.stores.selected_row(),
        rows.last().copied(),
        "wraps"
    );
    assert!(app.notice.as_ref().unwrap().contains("hit TOP"));
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.lists.stores.selected_row(), Some(rows[0]));
}

#[test]
fn grouped_conflicts_keep_every_row_once_in_runs() {
    let mut app = common::demo_app();
    let before = app.lists.conflicts.rows.clone();
    command(&mut app, "group city");
    let list = &app.lists.conflicts;
    let findings = &app.current.as_ref().unwrap().analysis.findings;
    let mut sorted = list.rows.clone();
    sorted.sort();
    let mut expected = before.clone();
    expected.sort();
    assert_eq!(sorted, expected);
    assert_eq!(list.groups.last().unwrap().end, list.rows.len());
    let mut seen = Vec::new();
    for group in &list.groups {
        let city = &findings[list.rows[group.start]].city;
        assert!(
            list.rows[group.clone()]
                .iter()
                .all(|&r| &findings[r].city == city)
        );
        assert!(!seen.contains(city), "one run per city");
        seen.push(city.clone());
    }
}

fn render(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| rollout_dash::ui::view(app, frame))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn the_command_line_and_its_candidates_at_80x24() {
    let mut app = common::demo_app();
    command(&mut app, "city s");
    insta::assert_snapshot!("command_line_candidates_80x24", render(&app));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "city 宁");
    insta::assert_snapshot!("command_line_typing_80x24", render(&app));
}

#[test]
fn grouped_conflicts_at_80x24() {
    let mut app = common::demo_app();
    command(&mut app, "group rule");
    insta::assert_snapshot!("conflicts_grouped_by_rule_80x24", render(&app));
}

fn section_ids(app: &App) -> Vec<String> {
    let fresh = app.current.clone().unwrap();
    let screen = app.screen().clone();
    let len = rollout_dash::app::detail::row_count(app, &screen, &fresh);
    (0..len)
        .filter_map(|row| rollout_dash::app::detail::target(app, &screen, &fresh, row))
        .map(|t| match t {
            rollout_dash::app::detail::Target::City(id) => id.as_str().to_owned(),
            rollout_dash::app::detail::Target::Partner(id) => id.as_str().to_owned(),
            rollout_dash::app::detail::Target::Store(id) => id.as_str().to_owned(),
        })
        .collect()
}

#[test]
fn drill_down_sections_filter_and_sort() {
    let mut app = common::demo_app();
    command(&mut app, "city beijing");
    let all = section_ids(&app);
    assert!(all.len() > 3, "{all:?}");
    // Plain text: a store's id or name.
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "home");
    assert!(app.filtering);
    let homes = section_ids(&app);
    assert!(!homes.is_empty() && homes.len() < all.len(), "{homes:?}");
    assert!(homes.iter().all(|id| id.contains("home")), "{homes:?}");
    key(&mut app, KeyCode::Enter);
    // Enter opens the row the cursor is on, among those shown.
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.route(), Route::Store(s) if s.as_str() == homes[1]));
    key(&mut app, KeyCode::Esc);
    // Esc clears the section's filter before going back.
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.route(), Route::City(_)));
    assert_eq!(section_ids(&app), all);
    // A field term.
    key(&mut app, KeyCode::Char('/'));
    update(&mut app, Msg::Paste("kind:dc".into()));
    key(&mut app, KeyCode::Enter);
    let fresh = app.current.clone().unwrap();
    let dcs = section_ids(&app);
    assert!(!dcs.is_empty());
    for id in &dcs {
        let store = fresh.snapshot.store(id).unwrap();
        assert_eq!(store.kind, StoreKind::DeliveryCenter);
    }
    // n wraps through the matches.
    let start = app.screen().cursor;
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.screen().cursor, (start + 1) % dcs.len());
    for _ in 1..dcs.len() {
        key(&mut app, KeyCode::Char('n'));
    }
    assert_eq!(app.screen().cursor, start, "round the matches");
    // s sorts the section by the stores pane's next key (city), S reverses.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Char('s'));
    // By phase: the phases come in order.
    let phases: Vec<Phase> = section_ids(&app)
        .iter()
        .map(|id| fresh.snapshot.store(id).unwrap().renovation.phase.clone())
        .collect();
    let mut sorted = phases.clone();
    sorted.sort();
    assert_eq!(phases, sorted);
    key(&mut app, KeyCode::Char('S'));
    let reversed: Vec<Phase> = section_ids(&app)
        .iter()
        .map(|id| fresh.snapshot.store(id).unwrap().renovation.phase.clone())
        .collect();
    sorted.reverse();
    assert_eq!(reversed, sorted);
    // Tab to the partners: a section of its own, unfiltered.
    key(&mut app, KeyCode::Tab);
    assert!(app.screen().view.is_none());
}

#[test]
fn a_drill_down_conflicts_section_takes_field_terms() {
    let mut app = common::demo_app();
    let fresh = app.current.clone().unwrap();
    let city = fresh.analysis.findings.iter().find_map(|f| {
        let city = f.city.clone()?;
        let severities: Vec<Severity> = fresh
            .analysis
            .findings
            .iter()
            .filter(|g| g.city.as_ref() == Some(&city))
            .map(|g| g.severity)
            .collect();
        (severities.contains(&Severity::Warning) && severities.len() > 1).then_some(city)
    });
    let city = city.expect("a city with warnings among several findings");
    command(&mut app, &format!("city {}", city.as_str()));
    // Stores, partners, conflicts.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    let screen = app.screen().clone();
    let before = rollout_dash::app::detail::findings(&app, &screen, &fresh).len();
    key(&mut app, KeyCode::Char('/'));
    update(&mut app, Msg::Paste("sev:warning".into()));
    let screen = app.screen().clone();
    let rows = rollout_dash::app::detail::findings(&app, &screen, &fresh);
    assert!(!rows.is_empty() && rows.len() < before);
    assert!((0..rows.len()).all(|r| rows.get(r).unwrap().severity == Severity::Warning));
    let shown = rows.len();
    // A bad term keeps the last good filter and says why.
    update(&mut app, Msg::Paste(" phase:open".into()));
    let screen = app.screen().clone();
    assert_eq!(
        rollout_dash::app::detail::findings(&app, &screen, &fresh).len(),
        shown
    );
    let note = screen.view.as_ref().unwrap().note.clone().unwrap();
    assert!(
        note.starts_with("phase: does not filter conflicts"),
        "{note}"
    );
}

/// `new` keeps the findings the NEW marks name: a second snapshot with a
/// store that collides, compared as the dashboard's comparer does.
#[test]
fn new_keeps_the_findings_marked_new() {
    use rollout_dash::app::notify::Comparer;
    let mut document: serde_json::Value =
        serde_json::from_str(rollout_dash::feed::demo::DEMO_FEED_JSON).unwrap();
    let mut comparer = Comparer::default();
    let mut poll = |app: &mut App, document: &serde_json::Value| {
        let msg = common::fresh_event(app, common::fresh_from(&document.to_string()));
        if let Some(Command::Compare(snapshot)) = update(app, msg) {
            let compared = comparer.compare(snapshot);
            update(app, Msg::Compared(compared));
        }
    };
    let mut app = App::new(
        "http://127.0.0.1:8080".into(),
        false,
        rollout_dash::app::Display::default(),
        common::now(),
    );
    poll(&mut app, &document);
    filter(&mut app, Pane::Conflicts, "new");
    assert!(app.lists.conflicts.rows.is_empty(), "nothing NEW at start");
    document["generated_at"] = serde_json::json!("2024-02-20T08:01:00Z");
    document["stores"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "id": "suz-2s-99", "city": "suzhou", "kind": "sales_service_2s",
            "channel": "agency", "operator": "lantai", "name": "Guanqian Lantai 2S",
            "district": "Gusu", "location": {"lat": 31.31, "lon": 120.625},
            "renovation": {"phase": "construction", "percent": 40,
                "planned_open": "2024-02-01"}
        }));
    poll(&mut app, &document);
    let fresh = app.current.clone().unwrap();
    let rows = app.lists.conflicts.rows.clone();
    assert!(!rows.is_empty(), "the new store's findings");
    for &r in &rows {
        let finding = &fresh.analysis.findings[r];
        assert!(app.new_findings.is_new(finding, app.now), "{finding:?}");
        assert!(finding.stores.iter().any(|s| s.as_str() == "suz-2s-99"));
    }
    let marked = fresh
        .analysis
        .findings
        .iter()
        .filter(|f| app.new_findings.is_new(f, app.now))
        .count();
    assert_eq!(rows.len(), marked);
}

/// The grouping is part of the view restored at the next start.
#[test]
fn the_grouping_is_kept_in_the_saved_view() {
    use rollout_dash::app::view_state::ViewState;
    let mut app = common::demo_app();
    command(&mut app, "group city");
    let saved = ViewState::of(&app);
    assert_eq!(saved.group, "city");
    let json = serde_json::to_string(&saved).unwrap();
    let mut next = common::demo_app();
    serde_json::from_str::<ViewState>(&json)
        .unwrap()
        .apply(&mut next);
    assert_eq!(next.lists.group, Group::City);
    assert_eq!(next.lists.conflicts.groups, app.lists.conflicts.groups);
    // A view saved before grouping existed groups nothing.
    let old: ViewState = serde_json::from_str(r#"{"pane": "Conflicts"}"#).unwrap();
    old.apply(&mut next);
    assert_eq!(next.lists.group, Group::None);
}

/// A click on grouped conflicts selects the finding under the pointer; on
/// a group's header it selects nothing.
#[test]
fn a_click_on_grouped_conflicts_finds_the_row_under_the_pointer() {
    let mut app = common::demo_app();
    command(&mut app, "group rule");
    let area = ratatui::layout::Rect::new(0, 0, 80, 24);
    let screen = render(&app);
    let lines: Vec<&str> = screen.lines().collect();
    let at = |text: &str| {
        lines
            .iter()
            .position(|l| l.contains(text))
            .unwrap_or_else(|| panic!("{text:?} on screen:\n{screen}")) as u16
    };
    let header = at("── territory overlap");
    assert_eq!(
        rollout_dash::ui::hit_test(&app, area, 10, header),
        Some((Pane::Conflicts, None))
    );
    let finding = at("critical territory overlap");
    let (pane, row) = rollout_dash::ui::hit_test(&app, area, 10, finding).unwrap();
    assert_eq!(pane, Pane::Conflicts);
    let row = row.expect("a finding's row");
    let fresh = app.current.clone().unwrap();
    let shown = &fresh.analysis.findings[app.lists.conflicts.rows[row]];
    assert_eq!(shown.origin, Origin::Rule(Rule::TerritoryOverlap));
    assert_eq!(shown.severity, Severity::Critical);
    // The click selects it.
    update(
        &mut app,
        Msg::Click {
            pane,
            row: Some(row),
        },
    );
    assert_eq!(app.lists.conflicts.cursor, row);
}

/// A drill-down's recent changes filter too: by the stores they name.
#[test]
fn a_drill_down_changes_section_filters() {
    let mut app = common::demo_app();
    let mut document: serde_json::Value =
        serde_json::from_str(rollout_dash::feed::demo::DEMO_FEED_JSON).unwrap();
    for store in document["stores"].as_array_mut().unwrap() {
        if store["id"] == "nj-dc-01" || store["id"] == "nj-2s-02" {
            store["renovation"]["phase"] = serde_json::json!("fit_out");
        }
    }
    let msg = common::fresh_event(&app, common::fresh_from(&document.to_string()));
    update(&mut app, msg);
    command(&mut app, "city nanjing");
    // Stores, partners, conflicts, recent changes.
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    let fresh = app.current.clone().unwrap();
    let screen = app.screen().clone();
    let all = rollout_dash::app::detail::changes(&app, &screen, &fresh).len();
    assert!(all >= 2, "{all}");
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "nj-2s-02");
    let screen = app.screen().clone();
    let shown = rollout_dash::app::detail::changes(&app, &screen, &fresh);
    assert!(!shown.is_empty() && shown.len() < all, "{shown:?}");
    assert!(
        shown
            .iter()
            .all(|c| c.store.as_ref().is_some_and(|s| s.as_str() == "nj-2s-02"))
    );
}
