//! Key handling and feed events through `update`, without a terminal.

mod common;

use std::sync::Arc;

use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use rollout_dash::analysis::changes::ChangeKind;
use rollout_dash::app::{App, Command, Msg, Pane, Route, update};
use rollout_dash::feed::client::PollError;
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::worker::{FeedEvent, PollerCommand};
use serde_json::{Value, json};

fn key(app: &mut App, code: KeyCode) -> Option<Command> {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(app: &mut App, c: char) -> Option<Command> {
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn selected_city(app: &App) -> String {
    app.lists
        .cities
        .selected_city()
        .map(|c| c.as_str().to_owned())
        .unwrap_or_default()
}

fn demo_value() -> Value {
    serde_json::from_str(DEMO_FEED_JSON).unwrap()
}

fn feed(app: &mut App, doc: &Value) {
    let msg = common::fresh_event(app, common::fresh_from(&doc.to_string()));
    update(app, msg);
}

#[test]
fn j_k_arrows_g_and_shift_g_move_the_selection() {
    let mut app = common::demo_app();
    assert_eq!(selected_city(&app), "suzhou");
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_city(&app), "chongqing");
    key(&mut app, KeyCode::Down);
    assert_eq!(selected_city(&app), "ningbo");
    key(&mut app, KeyCode::Char('k'));
    key(&mut app, KeyCode::Up);
    assert_eq!(selected_city(&app), "suzhou");
    key(&mut app, KeyCode::Up);
    assert_eq!(selected_city(&app), "suzhou", "stops at the top");
    key(&mut app, KeyCode::Char('G'));
    let last = app.lists.cities.rows.len() - 1;
    assert_eq!(app.lists.cities.cursor, last);
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(app.lists.cities.cursor, last, "stops at the bottom");
    key(&mut app, KeyCode::Char('g'));
    assert_eq!(app.lists.cities.cursor, 0);
    ctrl(&mut app, 'd');
    assert_eq!(app.lists.cities.cursor, 10);
    ctrl(&mut app, 'u');
    assert_eq!(app.lists.cities.cursor, 0);
}

#[test]
fn key_releases_are_ignored() {
    let mut app = common::demo_app();
    let release = KeyEvent {
        code: KeyCode::Char('j'),
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Release,
        state: KeyEventState::NONE,
    };
    update(&mut app, Msg::Key(release));
    assert_eq!(selected_city(&app), "suzhou");
}

#[test]
fn tab_and_number_keys_move_the_focus() {
    let mut app = common::demo_app();
    assert_eq!(app.focus, Pane::Cities);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Partners);
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus, Pane::DataWarnings);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus, Pane::Map);
    key(&mut app, KeyCode::Char('4'));
    assert_eq!(app.focus, Pane::Conflicts);
    key(&mut app, KeyCode::Char('7'));
    assert_eq!(app.focus, Pane::DataWarnings);
}

#[test]
fn drill_down_sections_cycle_and_conflicts_open_their_store() {
    let mut app = common::demo_app();
    // Ningbo has a critical territory overlap.
    app.focus = Pane::Cities;
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "ningbo");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.route(), Route::City(c) if c.as_str() == "ningbo"));
    // Stores, partners, conflicts, changes.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.screen().section, 2);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.route(), Route::Store(_)), "{:?}", app.route());
}

#[test]
fn a_shorter_list_never_leaves_a_drill_down_cursor_past_its_end() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Enter); // Suzhou
    key(&mut app, KeyCode::Char('G'));
    let before = app.screen().cursor;
    assert!(before > 0);
    let mut doc = demo_value();
    let stores = doc["stores"].as_array_mut().unwrap();
    stores.retain(|s| s["city"] != "suzhou" || s["kind"] == "delivery_center");
    feed(&mut app, &doc);
    assert_eq!(app.screen().cursor, 0, "clamped to the one store left");
}

#[test]
fn data_warnings_open_their_record() {
    let mut app = common::demo_app();
    let mut doc = demo_value();
    doc["stores"][0]["renovation"]["percent"] = json!(140);
    let id = doc["stores"][0]["id"].as_str().unwrap().to_owned();
    feed(&mut app, &doc);
    key(&mut app, KeyCode::Char('7'));
    assert_eq!(app.lists.data_warnings.rows.len(), 1);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.route(), Route::Store(s) if s.as_str() == id));
}

#[test]
fn enter_drills_into_a_city_and_esc_comes_back() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.route(), Route::City(id) if id.as_str() == "chongqing"));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.route(), &Route::Overview);
    assert_eq!(
        selected_city(&app),
        "chongqing",
        "the selection survives the round trip"
    );
}

#[test]
fn partner_to_city_to_store_and_back() {
    let mut app = common::demo_app();
    app.focus = Pane::Partners;
    key(&mut app, KeyCode::Enter);
    let Route::Partner(partner) = app.route().clone() else {
        panic!("expected a partner, got {:?}", app.route());
    };
    // The partner screen's sections: stores, then cities.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.route(), Route::City(_)), "{:?}", app.route());
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.route(), Route::Store(_)), "{:?}", app.route());
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.route(), Route::City(_)));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.route(), &Route::Partner(partner));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.route(), &Route::Overview);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.route(), &Route::Overview, "Esc at the top stays there");
}

#[test]
fn slash_filters_and_esc_clears() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char('/'));
    assert!(app.filtering);
    typed(&mut app, "nanj");
    key(&mut app, KeyCode::Enter);
    assert!(!app.filtering);
    assert_eq!(app.lists.cities.filter, "nanj");
    assert_eq!(app.lists.cities.rows.len(), 1, "only Nanjing matches");
    assert_eq!(selected_city(&app), "nanjing");
    // The filter matches Chinese names too.
    key(&mut app, KeyCode::Char('/'));
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "苏州");
    assert_eq!(selected_city(&app), "suzhou");
    key(&mut app, KeyCode::Esc);
    assert!(app.lists.cities.filter.is_empty());
    assert_eq!(
        app.lists.cities.rows.len(),
        app.current.as_ref().unwrap().snapshot.cities().count()
    );
}

#[test]
fn s_cycles_the_sort_and_shift_s_reverses() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char('s')); // severity
    key(&mut app, KeyCode::Char('s')); // name
    let fresh = app.current.clone().unwrap();
    let names: Vec<&str> = app
        .lists
        .cities
        .rows
        .iter()
        .map(|&i| fresh.snapshot.document.cities[i].name.as_str())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    key(&mut app, KeyCode::Char('S'));
    let first = app.lists.cities.rows[0];
    assert_eq!(
        fresh.snapshot.document.cities[first].name.as_str(),
        *sorted.last().unwrap()
    );
    assert_eq!(
        selected_city(&app),
        "suzhou",
        "the selection follows the city, not the row"
    );
}

#[test]
fn selection_is_kept_by_id_when_new_data_arrives() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_city(&app), "ningbo");
    let mut doc = demo_value();
    // Suzhou leaves the feed: Ningbo moves up a row but stays selected.
    doc["cities"].as_array_mut().unwrap().remove(0);
    feed(&mut app, &doc);
    assert_eq!(selected_city(&app), "ningbo");
    assert_eq!(app.lists.cities.cursor, 1);
}

#[test]
fn r_polls_now_and_shift_p_pauses_and_resumes() {
    let mut app = common::demo_app();
    assert_eq!(
        key(&mut app, KeyCode::Char('r')),
        Some(Command::Poller(PollerCommand::PollNow))
    );
    assert_eq!(
        key(&mut app, KeyCode::Char('P')),
        Some(Command::Poller(PollerCommand::Pause(true)))
    );
    assert!(app.status.paused);
    assert_eq!(
        key(&mut app, KeyCode::Char('P')),
        Some(Command::Poller(PollerCommand::Pause(false)))
    );
    assert!(!app.status.paused);
}

#[test]
fn q_and_ctrl_c_quit_and_ctrl_z_suspends() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
    let mut app = common::demo_app();
    ctrl(&mut app, 'c');
    assert!(app.quit);
    let mut app = common::demo_app();
    assert_eq!(ctrl(&mut app, 'z'), Some(Command::Suspend));
    assert!(!app.quit);
}

#[test]
fn question_mark_opens_help_and_any_key_closes_it() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char('?'));
    assert!(app.help);
    key(&mut app, KeyCode::Char('j'));
    assert!(!app.help);
    assert_eq!(
        selected_city(&app),
        "suzhou",
        "the closing key does nothing else"
    );
}

#[test]
fn a_failed_poll_marks_stale_and_keeps_the_data() {
    let mut app = common::demo_app();
    let at = common::now();
    for failures in 1..=2 {
        update(
            &mut app,
            Msg::Feed(FeedEvent::Failed {
                error: Arc::new(PollError::Timeout(std::time::Duration::from_secs(30))),
                at,
                next_try_at: at + Duration::seconds(10),
            }),
        );
        let stale = app.status.stale.as_ref().unwrap();
        assert_eq!(stale.failures, failures);
        assert!(stale.reason.contains("timed out"));
    }
    assert!(app.current.is_some(), "the last good snapshot stays");
    update(
        &mut app,
        Msg::Feed(FeedEvent::Unchanged {
            at: at + Duration::seconds(10),
        }),
    );
    assert!(app.status.stale.is_none());
    assert_eq!(app.status.last_good_at, Some(at + Duration::seconds(10)));
}

#[test]
fn changes_between_snapshots_reach_the_change_log() {
    let mut app = common::demo_app();
    let mut doc = demo_value();
    let store = doc["stores"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["renovation"]["phase"] == "fit_out")
        .unwrap();
    let id = store["id"].as_str().unwrap().to_owned();
    store["renovation"]["phase"] = json!("display_vehicle");
    store["renovation"]["percent"] = json!(90);
    let partner = doc["partners"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["agreement"]["stage"] == "intention")
        .unwrap();
    partner["agreement"]["stage"] = json!("contract");
    doc["generated_at"] = json!("2024-02-20T08:05:00Z");
    feed(&mut app, &doc);
    let kinds: Vec<ChangeKind> = app.change_log.iter().map(|c| c.kind).collect();
    assert!(kinds.contains(&ChangeKind::StorePhase), "{kinds:?}");
    assert!(kinds.contains(&ChangeKind::AgreementStage), "{kinds:?}");
    let phase = app
        .change_log
        .iter()
        .find(|c| c.kind == ChangeKind::StorePhase)
        .unwrap();
    assert_eq!(phase.store.as_ref().map(|s| s.as_str()), Some(id.as_str()));
    assert!(
        phase.message.contains("fit_out -> display_vehicle"),
        "{}",
        phase.message
    );
    assert_eq!(app.lists.changes.rows.len(), app.change_log.len());
}

#[test]
fn the_change_log_is_capped() {
    let mut app = common::demo_app();
    app.change_log_size = 5;
    let mut doc = demo_value();
    for (i, store) in doc["stores"].as_array_mut().unwrap().iter_mut().enumerate() {
        store["renovation"]["percent"] = json!(i % 90);
        store["renovation"]["phase"] = json!("construction");
    }
    feed(&mut app, &doc);
    assert_eq!(app.change_log.len(), 5);
}

/// `update` logs the changes the poller worked out and works out none of
/// its own: the store that moved here is not in the log, the poller's
/// (made-up) change is, alone.
#[test]
fn a_new_snapshot_arrives_with_its_changes_and_update_diffs_nothing() {
    use rollout_dash::analysis::Change;
    let mut app = common::demo_app();
    let mut doc = demo_value();
    let store = doc["stores"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["renovation"]["phase"] == "fit_out")
        .unwrap();
    store["renovation"]["phase"] = json!("display_vehicle");
    let fresh = common::fresh_from(&doc.to_string());
    assert!(
        !fresh
            .changes_since(app.current.as_ref(), rollout_dash::i18n::Lang::En)
            .is_empty(),
        "the documents differ"
    );
    let from_the_poller = Change {
        at: common::now(),
        kind: ChangeKind::RecruitmentStatus,
        city: None,
        partner: None,
        store: None,
        message: "worked out by the poller".into(),
    };
    update(
        &mut app,
        Msg::Feed(FeedEvent::Fresh {
            fresh,
            changes: vec![from_the_poller.clone()],
        }),
    );
    assert_eq!(
        app.change_log.iter().collect::<Vec<_>>(),
        [&from_the_poller]
    );
    assert_eq!(app.lists.changes.rows, [0]);
}

/// The drill-down's rows come from the poller's index: a city's conflicts
/// section has as many rows as its findings, and Enter opens what the row
/// under the cursor names.
#[test]
fn a_drill_down_moves_over_its_indexed_rows() {
    let mut app = common::demo_app();
    // The city with the most findings.
    let busiest = {
        let fresh = app.current.as_ref().unwrap();
        let cities = &fresh.snapshot.document.cities;
        cities
            .iter()
            .max_by_key(|c| fresh.index.city_findings(c.id.as_str()).len())
            .unwrap()
            .id
            .to_string()
    };
    while selected_city(&app) != busiest {
        key(&mut app, KeyCode::Char('j'));
    }
    key(&mut app, KeyCode::Enter);
    let Route::City(city) = app.route().clone() else {
        panic!("expected a city, got {:?}", app.route());
    };
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    let fresh = app.current.clone().unwrap();
    let findings = fresh.index.city_findings(city.as_str());
    assert!(findings.len() > 1, "{city} has findings in the demo");
    key(&mut app, KeyCode::Char('G'));
    assert_eq!(app.screen().cursor, findings.len() - 1);
    key(&mut app, KeyCode::Char('g'));
    let finding = &fresh.analysis.findings[findings[0] as usize];
    key(&mut app, KeyCode::Enter);
    let opened = match app.route() {
        Route::Store(s) => finding.stores.contains(s),
        Route::Partner(p) => finding.partners.contains(p),
        other => panic!("opened {other:?}"),
    };
    assert!(opened, "{:?} is not named by {finding:?}", app.route());
}
