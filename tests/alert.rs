//! NEW findings, notifications and copy, without a terminal: what the app
//! decides (update in, a Command out), the sequences the dashboard writes,
//! the notify command (a real shell), and NEW at start from a real history
//! file. The pty end-to-end test is tests/e2e_alert.rs.

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use rollout_dash::analysis::{Evidence, Finding, Origin, Rule, Severity};
use rollout_dash::app::notify::{
    self, Comparer, NEW_FOR, Notification, NotifyRules, finding_identity, summary,
};
use rollout_dash::app::{App, Command, Display, Msg, Pane, Route, Screen, update};
use rollout_dash::config::{Config, HistoryConfig};
use rollout_dash::dashboard::{
    LastFrame, draw_all, draw_header, notification_bytes, read_last_quit, seen_at_last_quit,
    write_last_quit,
};
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::wire::{CityId, Text};
use rollout_dash::history::acks::{Ack, Acks};
use rollout_dash::history::{History, feed_key};
use rollout_dash::i18n::Lang;
use rollout_dash::notify as out;
use rollout_dash::ui;
use rollout_dash::worker::Fresh;
use serde_json::{Value, json};

fn demo() -> Value {
    serde_json::from_str(DEMO_FEED_JSON).unwrap()
}

/// The demo with an agency store of Lantai on top of the Xiaomi Home on
/// Guanqian Street in Suzhou (a critical territory overlap) that is past
/// its planned opening (a schedule slip, a warning), a minute later.
fn with_new_critical() -> Value {
    let mut document = demo();
    document["generated_at"] = json!("2024-02-20T08:01:00Z");
    document["stores"].as_array_mut().unwrap().push(json!({
        "id": "suz-2s-99", "city": "suzhou", "kind": "sales_service_2s",
        "channel": "agency", "operator": "lantai", "name": "Guanqian Lantai 2S",
        "district": "Gusu", "location": {"lat": 31.31, "lon": 120.625},
        "renovation": {"phase": "construction", "percent": 40,
            "planned_open": "2024-02-01"}
    }));
    document
}

fn fresh(document: &Value) -> Fresh {
    common::fresh_from(&document.to_string())
}

fn app(rules: NotifyRules) -> App {
    let mut app = App::new(
        "http://127.0.0.1:8080".into(),
        false,
        Display::default(),
        common::now(),
    );
    app.notify = rules;
    app
}

fn everything_on() -> NotifyRules {
    NotifyRules {
        min_severity: Severity::Critical,
        bell: true,
        desktop: true,
        command: true,
    }
}

thread_local! {
    /// The dashboard's comparer (a thread of its own there): each test's
    /// app starts it again with its first snapshot.
    static COMPARER: std::cell::RefCell<Comparer> = std::cell::RefCell::default();
}

/// Sends a new snapshot as the poller does, and its comparison as the
/// dashboard's comparer does; the command that comes of them.
fn poll(app: &mut App, document: &Value) -> Option<Command> {
    let msg = common::fresh_event(app, fresh(document));
    match update(app, msg) {
        Some(Command::Compare(snapshot)) => {
            let compared = COMPARER.with(|c| c.borrow_mut().compare(snapshot));
            update(app, Msg::Compared(compared))
        }
        other => panic!("a live snapshot is compared, not {other:?}"),
    }
}

fn notification(command: Option<Command>) -> Notification {
    match command {
        Some(Command::Notify(notification)) => notification,
        other => panic!("expected a notification, got {other:?}"),
    }
}

fn json_of(notification: &Notification) -> Vec<Value> {
    let json = notification.json.as_ref().expect("JSON for the command");
    serde_json::from_slice(json).expect("the command gets JSON")
}

fn key(app: &mut App, c: char) -> Option<Command> {
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    )
}

#[test]
fn nothing_notifies_on_the_first_snapshot_after_start() {
    let mut app = app(everything_on());
    // Even one full of critical findings: only changes notify.
    assert_eq!(poll(&mut app, &with_new_critical()), None);
    assert_eq!(app.new_findings.count(app.now), 0);
}

#[test]
fn a_new_critical_conflict_rings_notifies_and_runs_the_command_once() {
    let mut app = app(everything_on());
    assert_eq!(poll(&mut app, &demo()), None);
    let notification = notification(poll(&mut app, &with_new_critical()));
    assert!(notification.bell && notification.desktop);
    assert!(
        notification
            .body
            .starts_with("1 new critical conflict: Suzhou: "),
        "{}",
        notification.body
    );
    let findings = json_of(&notification);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["severity"], "critical");
    assert_eq!(findings[0]["rule"], "territory_overlap");
    assert_eq!(findings[0]["city"], "suzhou");
    assert!(
        findings[0]["stores"]
            .as_array()
            .unwrap()
            .contains(&json!("suz-2s-99"))
    );
    let current = app.current.clone().unwrap();
    let added = current
        .analysis
        .findings
        .iter()
        .find(|f| {
            f.severity == Severity::Critical && f.stores.iter().any(|s| s.as_str() == "suz-2s-99")
        })
        .unwrap();
    assert_eq!(
        findings[0]["id"],
        added.id().as_str(),
        "the id ack and report use"
    );
    // The same snapshot again: nothing is new any more.
    assert_eq!(poll(&mut app, &with_new_critical()), None);
}

#[test]
fn min_severity_decides_which_new_findings_notify() {
    let mut app = app(NotifyRules {
        min_severity: Severity::Info,
        ..everything_on()
    });
    poll(&mut app, &demo());
    let notification = notification(poll(&mut app, &with_new_critical()));
    let findings = json_of(&notification);
    let severities: HashSet<&str> = findings
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert!(severities.contains("critical") && severities.contains("warning"));
    assert!(
        notification.body.contains("critical") && notification.body.contains("warning"),
        "{}",
        notification.body
    );
    // Only the command asked for JSON.
    let mut app = app_without_command();
    poll(&mut app, &demo());
    assert_eq!(
        notification_json(poll(&mut app, &with_new_critical())),
        None
    );
}

fn app_without_command() -> App {
    app(NotifyRules {
        command: false,
        ..everything_on()
    })
}

fn notification_json(command: Option<Command>) -> Option<Vec<u8>> {
    notification(command).json
}

#[test]
fn the_defaults_notify_nothing_but_still_mark_new() {
    let mut app = app(NotifyRules::default());
    poll(&mut app, &demo());
    assert_eq!(poll(&mut app, &with_new_critical()), None);
    assert!(app.new_findings.count(app.now) >= 2);
    let config = Config::default();
    assert!(!config.notify.bell && !config.notify.desktop && config.notify.command.is_none());
    assert_eq!(config.notify.min_severity, Severity::Critical);
}

#[test]
fn an_acknowledged_finding_does_not_notify() {
    let mut app = app(everything_on());
    poll(&mut app, &demo());
    // The new critical conflict is acknowledged (by another process, say)
    // before the poll that shows it.
    let new = fresh(&with_new_critical());
    let critical = new
        .analysis
        .findings
        .iter()
        .find(|f| {
            f.severity == Severity::Critical && f.stores.iter().any(|s| s.as_str() == "suz-2s-99")
        })
        .unwrap();
    app.triage.acks = Acks::from_acks([Ack {
        finding: critical.id(),
        by: "ops".into(),
        at: common::now(),
        until: None,
        note: "known, the 2S moves in March".into(),
    }]);
    assert_eq!(poll(&mut app, &with_new_critical()), None);
    // Still NEW on screen: acknowledged only keeps it quiet.
    assert!(app.new_findings.is_new(critical, app.now));
    // A snooze that ran out does not hold: the next appearance notifies.
    let mut gone = with_new_critical();
    gone["stores"]
        .as_array_mut()
        .unwrap()
        .retain(|s| s["id"] != "suz-2s-99");
    poll(&mut app, &gone);
    app.triage.acks = Acks::from_acks([Ack {
        finding: critical.id(),
        by: "ops".into(),
        at: common::now(),
        until: Some(common::now()),
        note: String::new(),
    }]);
    assert!(matches!(
        poll(&mut app, &with_new_critical()),
        Some(Command::Notify(_))
    ));
}

#[test]
fn new_lasts_ten_minutes_of_the_app_clock_and_comes_back_with_the_finding() {
    let mut app = app(NotifyRules::default());
    poll(&mut app, &demo());
    poll(&mut app, &with_new_critical());
    let marked_at = app.now;
    let current = app.current.clone().unwrap();
    let added = current
        .analysis
        .findings
        .iter()
        .find(|f| f.stores.iter().any(|s| s.as_str() == "suz-2s-99"))
        .unwrap();
    let old = current
        .analysis
        .findings
        .iter()
        .find(|f| !f.stores.iter().any(|s| s.as_str() == "suz-2s-99"))
        .unwrap();
    assert!(app.new_findings.is_new(added, app.now));
    assert!(!app.new_findings.is_new(old, app.now));
    let new = app.new_findings.count(app.now);
    update(
        &mut app,
        Msg::Tick(marked_at + NEW_FOR - TimeDelta::seconds(1)),
    );
    assert_eq!(app.new_findings.count(app.now), new);
    update(&mut app, Msg::Tick(marked_at + NEW_FOR));
    assert_eq!(app.new_findings.count(app.now), 0);
    assert_eq!(app.new_findings.marked(), 0, "ran-out marks are dropped");
    // It clears, and comes back: new again.
    poll(&mut app, &demo());
    poll(&mut app, &with_new_critical());
    assert_eq!(app.new_findings.count(app.now), new);
}

/// A critical finding of the rule in `city`, told apart by `n`.
fn finding_in(city: &str, n: usize, severity: Severity) -> Finding {
    Finding {
        origin: Origin::Rule(Rule::TerritoryOverlap),
        severity,
        city: Some(CityId::new(city)),
        stores: [rollout_dash::feed::wire::StoreId::new(&format!("s{n}"))]
            .into_iter()
            .collect(),
        partners: Default::default(),
        evidence: Evidence::Feed(Text::new("stores collide")),
    }
}

#[test]
fn thirty_new_findings_make_one_line_by_place() {
    let snapshot = fresh(&demo()).snapshot;
    let mut findings = Vec::new();
    for (city, count) in [
        ("suzhou", 9),
        ("ningbo", 12),
        ("chongqing", 4),
        ("nanjing", 5),
    ] {
        for _ in 0..count {
            findings.push(finding_in(city, findings.len(), Severity::Critical));
        }
    }
    let refs: Vec<&Finding> = findings.iter().collect();
    assert_eq!(
        summary(&refs, &snapshot, rollout_dash::i18n::Lang::En),
        "30 new critical conflicts: Ningbo 12, Suzhou 9, Nanjing 5, ..."
    );
    // Mixed severities say how many of each; three places need no "...".
    let mixed = [
        finding_in("suzhou", 1, Severity::Critical),
        finding_in("suzhou", 2, Severity::Warning),
        finding_in("xian", 3, Severity::Warning),
    ];
    let refs: Vec<&Finding> = mixed.iter().collect();
    assert_eq!(
        summary(&refs, &snapshot, rollout_dash::i18n::Lang::En),
        "3 new conflicts (1 critical, 2 warning): Suzhou 2, Xi'an 1"
    );
}

#[test]
fn thirty_new_findings_in_one_poll_are_one_notification() {
    let mut app = app(everything_on());
    poll(&mut app, &demo());
    let mut document = demo();
    document["generated_at"] = json!("2024-02-20T08:01:00Z");
    // Thirty agency stores, each on top of a Xiaomi Home in Ningbo or Suzhou.
    let stores = document["stores"].as_array_mut().unwrap();
    for i in 0..30u32 {
        let (city, lat, lon) = if i < 18 {
            ("ningbo", 29.823, 121.553)
        } else {
            ("suzhou", 31.31, 120.625)
        };
        // A few dozen metres apart: not one point (a geocoder's fallback).
        let (lat, lon) = (
            lat + f64::from(i % 5) * 0.0003,
            lon + f64::from(i / 5) * 0.0003,
        );
        stores.push(json!({
            "id": format!("x-2s-{i}"), "city": city, "kind": "sales_service_2s",
            "channel": "agency", "operator": "lantai", "name": format!("Lantai {i}"),
            "location": {"lat": lat, "lon": lon},
            "renovation": {"phase": "construction", "percent": 40}
        }));
    }
    let notification = notification(poll(&mut app, &document));
    let findings = json_of(&notification);
    assert!(findings.len() >= 30, "{}", findings.len());
    assert!(
        notification
            .body
            .starts_with(&format!("{} new critical conflicts: ", findings.len())),
        "{}",
        notification.body
    );
}

#[test]
fn the_sequences_are_bel_osc_777_and_osc_9_wrapped_for_tmux() {
    let notification = Notification {
        bell: true,
        desktop: true,
        title: "rollout-dash".into(),
        body: "1 new; critical\u{1b}]0;pwned\u{7}".into(),
        json: None,
    };
    let plain = notification_bytes(&notification, false);
    assert_eq!(
        plain,
        b"\x07\x1b]777;notify;rollout-dash;1 new, critical]0,pwned\x07\
          \x1b]9;rollout-dash: 1 new, critical]0,pwned\x07"
            .to_vec()
    );
    let wrapped = notification_bytes(&notification, true);
    assert_eq!(
        wrapped,
        b"\x07\x1bPtmux;\x1b\x1b]777;notify;rollout-dash;1 new, critical]0,pwned\x07\x1b\\\
          \x1bPtmux;\x1b\x1b]9;rollout-dash: 1 new, critical]0,pwned\x07\x1b\\"
            .to_vec()
    );
    let quiet = Notification {
        bell: false,
        desktop: false,
        ..notification
    };
    assert!(notification_bytes(&quiet, false).is_empty());
}

#[test]
fn tmux_passthrough_doubles_every_escape() {
    assert_eq!(
        out::tmux_wrap(b"\x1b]52;c;aGk=\x07"),
        b"\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\".to_vec()
    );
    assert_eq!(out::for_terminal(b"x".to_vec(), false), b"x".to_vec());
}

/// The text an OSC 52 sequence puts on the clipboard.
fn clipboard(sequence: &[u8]) -> String {
    let text = std::str::from_utf8(sequence).unwrap();
    let coded = text
        .strip_prefix("\x1b]52;c;")
        .and_then(|t| t.strip_suffix('\x07'))
        .expect("an OSC 52 sequence");
    String::from_utf8(decode_base64(coded)).unwrap()
}

/// A base64 decoder of the test's own, so the encoder is checked against
/// something it does not share.
fn decode_base64(coded: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in coded.bytes().filter(|&c| c != b'=') {
        bits = bits << 6 | u32::from(value(c));
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

#[test]
fn y_copies_the_selected_finding_with_its_id() {
    let mut app = app(NotifyRules::default());
    poll(&mut app, &with_new_critical());
    app.focus = Pane::Conflicts;
    let Some(Command::Copy(text)) = key(&mut app, 'y') else {
        panic!("y copies");
    };
    assert_eq!(app.notice.as_deref(), Some("copied"));
    let current = app.current.clone().unwrap();
    let row = app.lists.get(Pane::Conflicts).selected_row().unwrap();
    let finding = &current.analysis.findings[row];
    let city = finding.city.as_ref().unwrap().as_str();
    let place = &current.snapshot.city(city).unwrap().name;
    assert_eq!(
        text,
        format!(
            "{} {} {place}: {} [{}]",
            finding.severity.word(),
            finding.origin.label(),
            finding.message(&current.snapshot, Lang::En),
            finding_identity(finding)
        )
    );
    assert!(text.starts_with("critical territory_overlap "), "{text}");
    let sequence = out::osc52(&text);
    assert_eq!(clipboard(&sequence), text);
}

#[test]
fn y_copies_a_row_of_any_pane_and_of_a_drill_down() {
    let mut app = app(NotifyRules::default());
    poll(&mut app, &demo());
    app.focus = Pane::Cities;
    let Some(Command::Copy(city)) = key(&mut app, 'y') else {
        panic!("y copies a city");
    };
    let first = &app.current.as_ref().unwrap().snapshot.document.cities
        [app.lists.get(Pane::Cities).selected_row().unwrap()];
    assert!(city.contains(first.name.as_str()), "{city}");
    assert!(city.contains(&format!("[{}]", first.id.as_str())), "{city}");
    // Suzhou's drill-down, its stores section: a store's row.
    app.routes
        .push(Screen::new(Route::City(CityId::new("suzhou"))));
    let Some(Command::Copy(store)) = key(&mut app, 'y') else {
        panic!("y copies a store of the city");
    };
    assert!(store.contains("[suz-"), "{store}");
    assert!(store.contains("Suzhou"), "{store}");
}

#[test]
fn with_osc52_off_y_says_so_and_copies_nothing() {
    let mut app = app(NotifyRules::default());
    app.osc52 = false;
    poll(&mut app, &demo());
    assert_eq!(key(&mut app, 'y'), None);
    assert!(app.notice.as_deref().unwrap().contains("ui.osc52"));
}

#[test]
fn feed_text_is_cleaned_before_it_goes_into_a_sequence() {
    let sequence = out::osc52("Suzhou\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}2S;\nnext");
    assert_eq!(clipboard(&sequence), "Suzhou]52;c;ZXZpbA==2S; next");
    let notification = out::osc777("t;t", "b\u{9b}31m;b");
    assert_eq!(notification, b"\x1b]777;notify;t,t;b31m,b\x07".to_vec());
}

#[test]
fn a_failed_notify_command_is_shown_once() {
    let mut app = app(NotifyRules::default());
    update(
        &mut app,
        Msg::NotifyFailed("notify.command failed (exit status: 3)".into()),
    );
    assert_eq!(
        app.notice.as_deref(),
        Some("notify.command failed (exit status: 3)")
    );
    app.notice = None;
    update(&mut app, Msg::NotifyFailed("again".into()));
    assert_eq!(app.notice, None);
}

#[tokio::test]
async fn the_notify_command_gets_the_findings_as_json_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notified.json");
    let mut app = app(everything_on());
    poll(&mut app, &demo());
    let notification = notification(poll(&mut app, &with_new_critical()));
    let json = notification.json.clone().unwrap();
    let command = format!("cat > '{}'", file.display());
    out::run_command(&command, json.clone(), Duration::from_secs(60))
        .await
        .expect("the command runs");
    let written = std::fs::read(&file).unwrap();
    assert_eq!(written, json);
    let findings: Vec<Value> = serde_json::from_slice(&written).unwrap();
    assert_eq!(findings[0]["severity"], "critical");
}

#[tokio::test]
async fn a_failing_notify_command_names_its_status_and_stderr() {
    let error = out::run_command(
        "echo 'no such hook' >&2; exit 3",
        b"[]".to_vec(),
        Duration::from_secs(60),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(error.contains("notify.command failed"), "{error}");
    assert!(error.contains('3'), "{error}");
    assert!(error.contains("no such hook"), "{error}");
}

/// Whether process `pid` is gone (or a zombie waiting to be reaped).
fn gone(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
    }
}

/// Waits (on this thread, so a paused clock cannot move meanwhile) until
/// `ready` says yes; fails after a minute rather than hang.
fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !ready() {
        assert!(std::time::Instant::now() < deadline, "{what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(start_paused = true)]
async fn a_hanging_notify_command_is_killed_at_its_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    // The shell starts a sleeper of its own: the kill must reach it too.
    let command = format!("sleep 600 & echo $! > '{}'; wait", pid_file.display());
    let run = tokio::spawn(async move {
        out::run_command(&command, Vec::new(), Duration::from_secs(10)).await
    });
    // The task starts the shell; the clock stands still until this test
    // awaits again, so the shell has all the time it needs to start the sleeper.
    tokio::task::yield_now().await;
    let mut pid = 0;
    wait_until("the command never started its sleeper", || {
        std::fs::read_to_string(&pid_file)
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .inspect(|&p| pid = p)
            .is_some()
    });
    assert!(!gone(pid));
    // Nothing else happens: the paused clock runs on to the limit.
    let error = run.await.unwrap().unwrap_err();
    assert!(
        matches!(error, out::CommandError::TimedOut(limit) if limit == Duration::from_secs(10)),
        "{error}"
    );
    assert!(error.to_string().contains("killed"), "{error}");
    wait_until("the sleeper outlived the kill", || gone(pid));
}

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 8, 0, 0).unwrap() + TimeDelta::minutes(minutes)
}

#[test]
fn the_last_quit_time_is_kept_in_a_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/rollout-dash/last-quit");
    assert_eq!(read_last_quit(&path), None);
    write_last_quit(&path, t(5)).unwrap();
    assert_eq!(read_last_quit(&path), Some(t(5)));
    write_last_quit(&path, t(9)).unwrap();
    assert_eq!(read_last_quit(&path), Some(t(9)));
    // Nothing but the file is left beside it.
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("last-quit")]);
}

fn history_config(path: &Path) -> HistoryConfig {
    HistoryConfig {
        path: Some(path.to_owned()),
        ..HistoryConfig::default()
    }
}

/// A history file holding the demo at t(0); the user quit at t(10).
fn history_and_quit(dir: &Path) -> (std::path::PathBuf, HistoryConfig, String) {
    let db = dir.join("history.sqlite3");
    let feed = feed_key("http://127.0.0.1:8080").unwrap();
    let mut history = History::open_file(
        &db,
        &feed,
        Duration::from_secs(86_400 * 365),
        Duration::from_secs(5),
    )
    .unwrap();
    let fresh = fresh(&demo());
    history
        .record(&fresh.snapshot, &fresh.analysis, t(0))
        .unwrap();
    let state = dir.join("last-quit");
    write_last_quit(&state, t(10)).unwrap();
    (state, history_config(&db), feed)
}

#[test]
fn at_start_the_findings_that_appeared_since_the_last_quit_are_new() {
    let dir = tempfile::tempdir().unwrap();
    let (state, config, feed) = history_and_quit(dir.path());
    let seen = seen_at_last_quit(&state, &config, &feed).expect("the history knows");
    let demo_keys: HashSet<_> = fresh(&demo())
        .analysis
        .findings
        .iter()
        .map(finding_identity)
        .collect();
    assert_eq!(seen, demo_keys);
    let added = fresh(&with_new_critical()).analysis.findings.len() - demo_keys.len();
    assert!(added >= 2);
    // The history answers first, or the first snapshot comes first: the same.
    for history_first in [true, false] {
        let mut app = app(everything_on());
        if history_first {
            update(&mut app, Msg::SeenAtLastQuit(seen.clone()));
        }
        // The first snapshot after start: NEW marks, but no notification.
        assert_eq!(poll(&mut app, &with_new_critical()), None);
        if !history_first {
            update(&mut app, Msg::SeenAtLastQuit(seen.clone()));
        }
        assert_eq!(
            app.new_findings.count(app.now),
            added,
            "history first: {history_first}"
        );
    }
}

#[test]
fn without_history_or_a_quit_time_nothing_is_new_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let (state, config, feed) = history_and_quit(dir.path());
    let missing = history_config(&dir.path().join("none.sqlite3"));
    assert_eq!(seen_at_last_quit(&state, &missing, &feed), None);
    assert_eq!(
        seen_at_last_quit(&dir.path().join("never-quit"), &config, &feed),
        None
    );
    // Quit before anything was recorded: the history cannot say.
    write_last_quit(&state, t(-10)).unwrap();
    assert_eq!(seen_at_last_quit(&state, &config, &feed), None);
}

fn terminal_with(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::view(app, frame)).unwrap();
    terminal
}

/// The row of the buffer that holds `text`, and the column where it starts.
fn find(terminal: &Terminal<TestBackend>, text: &str) -> Option<(u16, u16)> {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height).find_map(|y| {
        let line: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect();
        line.find(text).map(|byte| {
            let x = line[..byte].chars().count() as u16;
            (x, y)
        })
    })
}

#[test]
fn a_new_finding_is_tagged_new_and_bold_and_the_header_counts_them() {
    let mut app = app(NotifyRules::default());
    poll(&mut app, &demo());
    poll(&mut app, &with_new_critical());
    let new = app.new_findings.count(app.now);
    app.focus = Pane::Conflicts;
    let terminal = terminal_with(&app, 120, 40);
    let buffer = terminal.backend().buffer().clone();
    insta::assert_snapshot!("alert_new_findings_120x40", terminal.backend().to_string());
    let (x, y) = find(&terminal, &format!("{new} new")).expect("the header counts them");
    assert!(y < 3, "in the header");
    assert!(buffer[(x, y)].modifier.contains(Modifier::BOLD));
    let (x, y) = find(&terminal, "NEW ").expect("a NEW tag");
    let tag = &buffer[(x, y)];
    assert!(tag.modifier.contains(Modifier::BOLD | Modifier::REVERSED));
    // The whole row is bold; an old finding's row is not.
    let (sx, _) = find(&terminal, "Severity").unwrap();
    assert!(buffer[(sx + 2, y)].modifier.contains(Modifier::BOLD));
    // Ten minutes on, the tag and the count are gone.
    let later = app.now + NEW_FOR;
    update(&mut app, Msg::Tick(later));
    let terminal = terminal_with(&app, 120, 40);
    assert_eq!(find(&terminal, "NEW "), None);
    assert_eq!(find(&terminal, &format!("{new} new")), None);
}

#[test]
fn a_drill_down_tags_its_new_findings_too() {
    let mut app = app(NotifyRules::default());
    poll(&mut app, &demo());
    poll(&mut app, &with_new_critical());
    app.routes
        .push(Screen::new(Route::City(CityId::new("suzhou"))));
    for (width, height) in [(120, 40), (80, 24)] {
        let terminal = terminal_with(&app, width, height);
        let (x, y) = find(&terminal, "NEW")
            .unwrap_or_else(|| panic!("no NEW at {width}x{height}:\n{}", terminal.backend()));
        assert!(
            terminal.backend().buffer()[(x, y)]
                .modifier
                .contains(Modifier::REVERSED)
        );
    }
}

#[test]
fn notify_is_configured_in_its_own_section() {
    let config = Config::parse(
        "[notify]\nmin_severity = \"warning\"\nbell = true\ndesktop = true\n\
         command = \"logger -t rollout\"\ncommand_timeout = \"2s\"\n\n[ui]\nosc52 = false\n",
        Path::new("c.toml"),
    )
    .unwrap();
    assert_eq!(config.notify.min_severity, Severity::Warning);
    assert!(config.notify.bell && config.notify.desktop);
    assert_eq!(config.notify.command.as_deref(), Some("logger -t rollout"));
    assert_eq!(config.notify.command_timeout.0, Duration::from_secs(2));
    assert!(!config.ui.osc52);
    let error = Config::parse("[notify]\nmin_severity = \"loud\"\n", Path::new("c.toml"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("notify.min_severity"), "{error}");
    assert!(error.contains("critical, warning, info"), "{error}");
    let mut config = Config::default();
    config.notify.command_timeout = rollout_dash::config::Seconds::from_secs(0);
    let error = config.validate("test").unwrap_err().to_string();
    assert!(error.contains("notify.command_timeout"), "{error}");
}

#[test]
fn one_new_finding_notifies_with_its_sentence() {
    let fresh = fresh(&with_new_critical());
    let finding = fresh
        .analysis
        .findings
        .iter()
        .find(|f| {
            f.severity == Severity::Critical && f.stores.iter().any(|s| s.as_str() == "suz-2s-99")
        })
        .unwrap();
    let line = summary(&[finding], &fresh.snapshot, rollout_dash::i18n::Lang::En);
    assert_eq!(
        line,
        format!(
            "1 new critical conflict: Suzhou: {}",
            finding.message(&fresh.snapshot, Lang::En)
        )
    );
    let _ = notify::NEW_FOR;
}

#[test]
fn another_feeds_first_snapshot_is_a_start_not_a_change() {
    let mut app = app(everything_on());
    poll(&mut app, &demo());
    app.clear_feed("http://127.0.0.1:9090".into(), Some("other".into()));
    assert_eq!(poll(&mut app, &with_new_critical()), None);
    assert_eq!(app.new_findings.count(app.now), 0);
    // Its next change notifies as usual.
    let mut gone = with_new_critical();
    gone["stores"]
        .as_array_mut()
        .unwrap()
        .retain(|s| s["id"] != "suz-2s-99");
    assert_eq!(poll(&mut app, &gone), None);
    assert!(matches!(
        poll(&mut app, &with_new_critical()),
        Some(Command::Notify(_))
    ));
}

#[test]
fn the_marks_say_when_they_changed_so_the_screen_is_redrawn_only_then() {
    let mut app = app(NotifyRules::default());
    poll(&mut app, &demo());
    let quiet = app.new_findings.generation();
    poll(&mut app, &demo());
    assert_eq!(app.new_findings.generation(), quiet, "nothing new");
    poll(&mut app, &with_new_critical());
    let marked = app.new_findings.generation();
    assert_ne!(marked, quiet);
    poll(&mut app, &with_new_critical());
    assert_eq!(
        app.new_findings.generation(),
        marked,
        "the same snapshot again"
    );
    let later = app.now + NEW_FOR;
    update(&mut app, Msg::Tick(later));
    assert_ne!(app.new_findings.generation(), marked, "the marks ran out");
}

/// A NEW mark runs out by the clock: the header's "new" count and the rows
/// change, whatever event moves the clock (a tick, or an unchanged poll
/// between two ticks, which draws the header alone).
#[test]
fn a_new_mark_that_runs_out_between_ticks_leaves_the_screen_right() {
    let mut app = app(NotifyRules::default());
    poll(&mut app, &demo());
    poll(&mut app, &with_new_critical());
    let marked_at = app.now;
    assert!(app.new_findings.count(app.now) > 0);
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).unwrap();
    let mut last: Option<LastFrame> = None;
    update(
        &mut app,
        Msg::Tick(marked_at + NEW_FOR - TimeDelta::milliseconds(500)),
    );
    draw_all(&mut terminal, &app, &mut last).unwrap();
    // An unchanged poll half a second later: the event loop sets the clock
    // and draws what only the header shows.
    let at = marked_at + NEW_FOR;
    app.now = at;
    update(
        &mut app,
        Msg::Feed(rollout_dash::worker::FeedEvent::Unchanged { at }),
    );
    draw_header(&mut terminal, &app, &mut last).unwrap();
    let mut reference = Terminal::new(TestBackend::new(160, 45)).unwrap();
    reference.draw(|frame| ui::view(&app, frame)).unwrap();
    assert_eq!(
        terminal.backend().buffer(),
        reference.backend().buffer(),
        "the screen is not what the app shows"
    );
}
