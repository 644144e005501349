//! Issue 13, points 1 to 3: finding ids, acknowledgements (store, CLI,
//! concurrency, expiry) and `report` with acknowledgements.

mod common;

use common::pty::Dashboard;

use std::collections::{BTreeSet, HashSet};

use proptest::prelude::*;

use rollout_dash::analysis::{Analysis, Evidence, FindingId};
use rollout_dash::config::RulesConfig;
use rollout_dash::feed::server::SYNTHETIC_SEED;
use rollout_dash::feed::snapshot::Snapshot;
use rollout_dash::feed::synthetic;
use rollout_dash::feed::wire::Document;

// ----- point 1: finding ids -----------------------------------------------

/// Rules that fold early, so that small documents have folded pair findings.
fn folding_rules() -> RulesConfig {
    RulesConfig {
        max_pairs_per_city: 2,
        overlap_km: 60.0,
        ..RulesConfig::default()
    }
}

fn ids(document: Document, rules: &RulesConfig) -> BTreeSet<FindingId> {
    let snapshot = Snapshot::new(document);
    let analysis = Analysis::of(&snapshot, rules);
    let ids: BTreeSet<FindingId> = analysis.findings.iter().map(|f| f.id()).collect();
    assert_eq!(
        ids.len(),
        analysis.findings.len(),
        "two findings share an id"
    );
    ids
}

fn shuffle<T>(list: &mut [T], rng: &mut fastrand::Rng) {
    rng.shuffle(list);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Same rule over the same records = same id, whatever the order of
    /// the cities, partners, stores and the feed's warnings.
    #[test]
    fn shuffled_documents_give_the_same_ids(seed in any::<u64>(), stores in 150usize..400) {
        let rules = folding_rules();
        let document = synthetic::generate(stores, SYNTHETIC_SEED);
        let expected = ids(document.clone(), &rules);
        let mut shuffled = document;
        let mut rng = fastrand::Rng::with_seed(seed);
        shuffle(&mut shuffled.cities, &mut rng);
        shuffle(&mut shuffled.partners, &mut rng);
        shuffle(&mut shuffled.stores, &mut rng);
        shuffle(&mut shuffled.warnings, &mut rng);
        prop_assert_eq!(ids(shuffled, &rules), expected);
    }
}

/// The folded findings the property test relies on are there, and have
/// ids of their own.
#[test]
fn folded_pair_findings_have_ids() {
    let snapshot = Snapshot::new(synthetic::generate(400, SYNTHETIC_SEED));
    let analysis = Analysis::of(&snapshot, &folding_rules());
    let folded: Vec<_> = analysis
        .findings
        .iter()
        .filter(|f| matches!(f.evidence, Evidence::Folded(_)))
        .collect();
    assert!(folded.len() >= 2, "{} folded findings", folded.len());
    for finding in folded {
        let id = finding.id();
        assert!(
            id.as_str().starts_with("to-") || id.as_str().starts_with("ao-"),
            "{id}"
        );
        assert_eq!(FindingId::parse(id.as_str()).unwrap(), id);
    }
}

/// The national-scale synthetic feed: every finding has an id of its own.
#[test]
fn no_two_findings_share_an_id_at_national_scale() {
    let document = synthetic::generate(20_000, SYNTHETIC_SEED);
    let snapshot = Snapshot::new(document);
    let analysis = Analysis::of(&snapshot, &RulesConfig::default());
    assert!(
        analysis.findings.len() > 40_000,
        "{}",
        analysis.findings.len()
    );
    let keys: HashSet<String> = analysis
        .findings
        .iter()
        .map(|f| f.canonical_key())
        .collect();
    assert_eq!(
        keys.len(),
        analysis.findings.len(),
        "two findings share a key"
    );
    let ids: HashSet<FindingId> = analysis.findings.iter().map(|f| f.id()).collect();
    assert_eq!(
        ids.len(),
        analysis.findings.len(),
        "two findings share an id"
    );
}

/// `report --format json` gives each conflict's id, the one `Finding::id` computes.
#[test]
fn the_json_report_gives_each_conflict_its_id() {
    let snapshot = Snapshot::from_body(common::colocated(0).as_bytes()).unwrap();
    let analysis = Analysis::of(&snapshot, &RulesConfig::default());
    let report = rollout_dash::report::Report::new("http://feed", &snapshot, &analysis);
    let json = serde_json::to_value(&report).unwrap();
    let given: Vec<&str> = json["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let expected: Vec<FindingId> = analysis
        .findings
        .iter()
        .filter(|f| f.is_conflict())
        .map(|f| f.id())
        .collect();
    assert!(!given.is_empty());
    assert_eq!(
        given,
        expected.iter().map(FindingId::as_str).collect::<Vec<_>>()
    );
}

// ----- point 2: the store ---------------------------------------------------

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use rollout_dash::history::History;
use rollout_dash::history::acks::Acks;
use serde_json::Value;

const FEED: &str = "http://127.0.0.1:8080/v1/snapshot";

fn t(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 8, 0, 0).unwrap() + chrono::Duration::hours(hours)
}

fn open(path: &Path) -> History {
    History::open_file(
        path,
        FEED,
        Duration::from_secs(365 * 86_400),
        Duration::from_secs(10),
    )
    .expect("the history opens")
}

/// The demo feed, without the agency store behind Ningbo's critical
/// territory overlap when `without_ningbo`.
fn demo(without_ningbo: bool) -> Snapshot {
    let mut document: Value = serde_json::from_str(&common::colocated(0)).unwrap();
    if without_ningbo {
        document["stores"].as_array_mut().unwrap().retain(|s| {
            !s["name"]
                .as_str()
                .unwrap_or_default()
                .contains("Yinzhou 2S")
        });
    }
    Snapshot::from_body(document.to_string().as_bytes()).unwrap()
}

/// The id of the critical overlap in Ningbo.
fn ningbo_id() -> FindingId {
    let snapshot = demo(false);
    let analysis = Analysis::of(&snapshot, &RulesConfig::default());
    analysis
        .findings
        .iter()
        .find(|f| f.city.as_ref().is_some_and(|c| c.as_str() == "ningbo") && f.is_conflict())
        .map(|f| f.id())
        .expect("the demo has the Ningbo overlap")
}

fn record(history: &mut History, snapshot: &Snapshot, at: DateTime<Utc>) {
    let analysis = Analysis::of(snapshot, &RulesConfig::default());
    history.record(snapshot, &analysis, at).expect("recorded");
}

/// A snooze lapses at its `until` by itself, with nothing written: the
/// time read at is all that changes (no sleeping).
#[test]
fn a_snooze_lapses_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open(&dir.path().join("h.sqlite3"));
    let id = ningbo_id();
    let ack = history
        .acknowledge(&id, "mei", "landlord dispute", Some(t(72)), t(0))
        .unwrap();
    assert_eq!(ack.until, Some(t(72)));
    assert!(history.acks(t(1)).unwrap().is_acked(&id, t(1)));
    assert!(history.acks(t(71)).unwrap().is_acked(&id, t(71)));
    assert!(!history.acks(t(72)).unwrap().is_acked(&id, t(72)));
    assert!(history.acks(t(72)).unwrap().holding(t(72)).is_empty());
    // A set read while it held lapses too when asked later.
    let read = history.acks(t(1)).unwrap();
    assert!(!read.is_acked(&id, t(73)));
    // Without `until` it holds for ever, until the finding clears.
    history.acknowledge(&id, "mei", "", None, t(80)).unwrap();
    assert!(history.acks(t(10_000)).unwrap().is_acked(&id, t(10_000)));
}

/// An acknowledgement ends when its finding clears (and says so in the
/// file); when the finding comes back, it is not acknowledged. A change of
/// severity only is not a clear.
#[test]
fn a_finding_that_clears_and_comes_back_is_new_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite3");
    let mut history = open(&path);
    let id = ningbo_id();
    record(&mut history, &demo(false), t(0));
    history
        .acknowledge(&id, "mei", "known", None, t(1))
        .unwrap();
    record(&mut history, &demo(false), t(2));
    assert!(history.acks(t(2)).unwrap().is_acked(&id, t(2)));
    record(&mut history, &demo(true), t(3));
    assert!(!history.acks(t(3)).unwrap().is_acked(&id, t(3)));
    record(&mut history, &demo(false), t(4));
    assert!(!history.acks(t(4)).unwrap().is_acked(&id, t(4)));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (ended, ended_at): (String, i64) = conn
        .query_row("SELECT ended, ended_at FROM acks", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!(ended, "cleared");
    assert_eq!(ended_at, t(3).timestamp_millis());
}

/// Many writers on one file at once, threads and real processes: every
/// acknowledgement is kept.
#[test]
fn concurrent_acknowledgements_are_all_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite3");
    drop(open(&path));
    let snapshot = Snapshot::new(synthetic::generate(300, SYNTHETIC_SEED));
    let analysis = Analysis::of(&snapshot, &RulesConfig::default());
    let ids: Vec<FindingId> = analysis.findings.iter().map(|f| f.id()).take(40).collect();
    assert_eq!(ids.len(), 40);
    let barrier = std::sync::Barrier::new(4);
    std::thread::scope(|scope| {
        for (n, chunk) in ids.chunks(10).enumerate() {
            let (path, barrier) = (&path, &barrier);
            scope.spawn(move || {
                let mut history = open(path);
                barrier.wait();
                for id in chunk {
                    history
                        .acknowledge(id, &format!("user{n}"), "", None, t(0))
                        .unwrap();
                }
            });
        }
    });
    let acks = open(&path).acks(t(1)).unwrap();
    assert_eq!(acks.holding(t(1)).len(), 40);
    assert!(ids.iter().all(|id| acks.is_acked(id, t(1))));
}

fn config_file(dir: &Path, history: &Path) -> PathBuf {
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!("[history]\npath = {:?}\n", history.to_str().unwrap()),
    )
    .unwrap();
    config
}

fn run(config: &Path, home: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--config", config.to_str().unwrap()];
    all.extend_from_slice(args);
    common::run(&all, &[("USER", "mei")], home)
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Two `ack` processes started together on one file: both kept.
#[test]
fn two_processes_acknowledging_at_once_are_both_kept() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.sqlite3");
    let config = config_file(dir.path(), &history);
    let ids = [
        "ao-0000000000a1",
        "to-0000000000b2",
        "ss-0000000000c3",
        "cb-0000000000d4",
    ];
    let children: Vec<_> = ids
        .iter()
        .map(|id| {
            std::process::Command::new(common::BIN)
                .args([
                    "--config",
                    config.to_str().unwrap(),
                    "ack",
                    id,
                    "--note",
                    "race",
                ])
                .env_clear()
                .env("HOME", dir.path())
                .env("USER", "mei")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let listed = run(&config, dir.path(), &["ack", "--list", "--format", "json"]);
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let got: BTreeSet<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, ids.into_iter().collect());
}

// ----- the CLI round trip, and point 3: report ------------------------------

fn report_json(config: &Path, home: &Path, url: &str) -> Value {
    let output = run(config, home, &["report", "--feed", url, "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn critical_ids(report: &Value) -> Vec<String> {
    report["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["severity"] == "critical")
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

fn fail_on_critical(config: &Path, home: &Path, url: &str, extra: &[&str]) -> i32 {
    let mut args = vec!["report", "--feed", url, "--fail-on", "critical"];
    args.extend_from_slice(extra);
    run(config, home, &args).status.code().unwrap()
}

/// `ack`, `ack --list`, `report --fail-on` with and without
/// `--include-acked`, `unack`, against `serve` and a temp history file.
#[test]
fn the_cli_round_trip() {
    let server = common::Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("data").join("h.sqlite3");
    let config = config_file(dir.path(), &history);
    let home = dir.path();
    let url = server.url.as_str();

    let before = report_json(&config, home, url);
    let critical = critical_ids(&before);
    assert_eq!(critical.len(), 2, "{before}");
    assert!(
        before["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["acked"].is_null())
    );
    assert_eq!(fail_on_critical(&config, home, url, &[]), 3);

    let ack = run(
        &config,
        home,
        &["ack", &critical[0], "--note", "landlord \x1b[2J dispute"],
    );
    assert!(ack.status.success(), "{}", stderr(&ack));
    assert!(stdout(&ack).contains(&format!("acknowledged {} until it clears", critical[0])));
    // Nothing recorded yet: said, and acknowledged anyway.
    assert!(
        stderr(&ack).contains("nothing is recorded"),
        "{}",
        stderr(&ack)
    );
    let ack = run(
        &config,
        home,
        &["ack", &critical[1].to_uppercase(), "--for", "3d"],
    );
    assert!(ack.status.success(), "{}", stderr(&ack));
    assert!(stdout(&ack).contains(&format!("acknowledged {} until 20", critical[1])));

    let listed = run(&config, home, &["ack", "--list", "--format", "json"]);
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    let first = listed
        .iter()
        .find(|a| a["id"] == critical[0].as_str())
        .unwrap();
    assert_eq!(first["by"], "mei");
    assert_eq!(first["note"], "landlord \x1b[2J dispute");
    assert!(first["until"].is_null());
    assert!(first["at"].as_str().unwrap().ends_with('Z'));
    let second = listed
        .iter()
        .find(|a| a["id"] == critical[1].as_str())
        .unwrap();
    assert!(second["until"].is_string());
    // The text list escapes the note: nothing reaches a terminal as a sequence.
    let text = stdout(&run(&config, home, &["ack", "--list"]));
    assert!(
        text.contains(&critical[0]) && text.contains("by mei"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "{text:?}");

    assert_eq!(fail_on_critical(&config, home, url, &[]), 0);
    assert_eq!(
        fail_on_critical(&config, home, url, &["--include-acked"]),
        3
    );
    let after = report_json(&config, home, url);
    for conflict in after["conflicts"].as_array().unwrap() {
        let acked = &conflict["acked"];
        if critical.iter().any(|id| conflict["id"] == id.as_str()) {
            assert_eq!(acked["by"], "mei", "{conflict}");
            assert!(acked.get("at").is_some() && acked.get("until").is_some());
            assert!(acked.get("note").is_some());
        } else {
            assert!(acked.is_null(), "{conflict}");
        }
    }
    // The text report lists the acknowledged findings apart.
    let text = stdout(&run(&config, home, &["report", "--feed", url]));
    let (open, acked) = text.split_once("ACKNOWLEDGED").expect(&text);
    assert!(
        !open.contains(&critical[0]) && acked.contains(&critical[0]),
        "{text}"
    );
    assert!(acked.contains("acked by mei"), "{text}");
    assert!(!text.contains('\x1b'), "{text:?}");

    let unack = run(&config, home, &["unack", &critical[0]]);
    assert!(unack.status.success(), "{}", stderr(&unack));
    assert_eq!(fail_on_critical(&config, home, url, &[]), 3);
    let again = run(&config, home, &["unack", &critical[0]]);
    assert!(again.status.success());
    assert!(
        stderr(&again).contains("was not acknowledged"),
        "{}",
        stderr(&again)
    );
}

/// Usage errors exit 2 and say what was wrong; a history that cannot be
/// used exits 1 with why; `report` then still works, with a warning.
#[test]
fn ack_errors_name_what_was_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    // A directory where the file should be.
    let history = dir.path().join("taken");
    std::fs::create_dir(&history).unwrap();
    let config = config_file(dir.path(), &history);

    let bad = run(&config, home, &["ack", "zz-nothing"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("is not a finding id"),
        "{}",
        stderr(&bad)
    );
    let bad = run(
        &config,
        home,
        &["ack", "ao-qd31nye42fhz", "--for", "3 days"],
    );
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    let bad = run(&config, home, &["ack"]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = run(&config, home, &["ack", "--list", "ao-qd31nye42fhz"]);
    assert_eq!(bad.status.code(), Some(2));

    for args in [
        &["ack", "ao-qd31nye42fhz"][..],
        &["unack", "ao-qd31nye42fhz"],
        &["ack", "--list"],
    ] {
        let failed = run(&config, home, args);
        assert_eq!(failed.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&failed).contains("history off") && stderr(&failed).contains("taken"),
            "{args:?}: {}",
            stderr(&failed)
        );
    }

    let server = common::Server::start(&[]);
    let report = run(
        &config,
        home,
        &["report", "--feed", &server.url, "--fail-on", "critical"],
    );
    assert_eq!(report.status.code(), Some(3));
    assert!(
        stderr(&report).contains("acknowledgements are not applied"),
        "{}",
        stderr(&report)
    );
}

/// A history switched off in the config is a choice: `report` (a cron job,
/// say) runs without a word about acknowledgements on every run.
#[test]
fn report_with_the_history_switched_off_warns_of_nothing() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(&config, "[history]\nenabled = false\n").unwrap();
    let server = common::Server::start(&[]);
    let report = run(
        &config,
        home.path(),
        &["report", "--feed", &server.url, "--fail-on", "critical"],
    );
    assert_eq!(report.status.code(), Some(3), "{}", stderr(&report));
    assert_eq!(stderr(&report), "", "nothing said on stderr");
}

/// A history that exists but was never acknowledged in, or none at all:
/// `ack --list` says there are none.
#[test]
fn with_no_history_file_nothing_is_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), &dir.path().join("none.sqlite3"));
    let listed = run(&config, dir.path(), &["ack", "--list"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert_eq!(stdout(&listed).trim(), "no acknowledgements");
    let listed = run(&config, dir.path(), &["ack", "--list", "--format", "json"]);
    assert_eq!(stdout(&listed).trim(), "[]");
}

/// `Acks` keeps the newest acknowledgement of a finding.
#[test]
fn the_newest_acknowledgement_wins() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open(&dir.path().join("h.sqlite3"));
    let id = ningbo_id();
    history
        .acknowledge(&id, "mei", "first", None, t(0))
        .unwrap();
    history
        .acknowledge(&id, "li", "second", Some(t(5)), t(1))
        .unwrap();
    let acks: Acks = history.acks(t(2)).unwrap();
    assert_eq!(acks.get(&id, t(2)).unwrap().note, "second");
    // The first was replaced, not kept open: when the snooze ends, it is over.
    assert!(!history.acks(t(6)).unwrap().is_acked(&id, t(6)));
}

// ----- point 2 on screen: update and render ----------------------------------

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use rollout_dash::app::triage::Triage;
use rollout_dash::app::{App, Command, Msg, Pane, Route, update};
use rollout_dash::history::acks::Ack;

fn press(app: &mut App, code: KeyCode) -> Option<Command> {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        assert_eq!(press(app, KeyCode::Char(c)), None);
    }
}

/// The demo dashboard with the conflicts pane focused.
fn conflicts_app() -> App {
    let mut app = common::demo_app();
    press(&mut app, KeyCode::Char('4'));
    assert_eq!(app.focus, Pane::Conflicts);
    app
}

fn ack_of(id: &FindingId, at: DateTime<Utc>) -> Ack {
    Ack {
        finding: id.clone(),
        by: "mei".into(),
        at,
        until: None,
        note: "known".into(),
    }
}

/// What the dashboard's worker sends after reading `acked`.
fn triage(app: &App, acked: &[FindingId]) -> Msg {
    let fresh = app.current.as_ref().unwrap();
    let acks = Acks::from_acks(acked.iter().map(|id| ack_of(id, app.now)));
    Msg::Triage(Triage::of(acks, &fresh.analysis, None, app.now))
}

fn conflict_ids(app: &App) -> Vec<FindingId> {
    let findings = &app.current.as_ref().unwrap().analysis.findings;
    app.lists
        .conflicts
        .rows
        .iter()
        .map(|&r| findings[r].id())
        .collect()
}

#[test]
fn a_opens_the_prompt_and_enter_saves_the_note_and_snooze() {
    let mut app = conflicts_app();
    let selected = app.selected_finding().unwrap();
    let id = app.current.as_ref().unwrap().analysis.findings[selected].id();
    assert_eq!(press(&mut app, KeyCode::Char('a')), None);
    assert_eq!(app.prompt.as_ref().unwrap().finding, id);
    // While the prompt is open, letters are text, not commands (q does not quit).
    type_text(&mut app, "quota x");
    press(&mut app, KeyCode::Backspace);
    update(&mut app, Msg::Paste("ok\n--for 3d".into()));
    assert!(!app.quit);
    let command = press(&mut app, KeyCode::Enter);
    assert_eq!(
        command,
        Some(Command::Ack {
            finding: id,
            note: "quota ok".into(),
            until: Some(app.now + chrono::Duration::days(3)),
        })
    );
    assert!(app.prompt.is_none());
}

#[test]
fn esc_cancels_and_a_bad_snooze_keeps_the_prompt_open() {
    let mut app = conflicts_app();
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "note --for 3 days");
    let id = app.prompt.as_ref().unwrap().finding.clone();
    let footer = |app: &App| {
        let text = render(app, 100, 30).backend().to_string();
        text.lines().last().unwrap().to_owned()
    };
    let typed = footer(&app);
    assert!(
        typed.contains(&format!("ack {id}: note --for 3 days")),
        "{typed}"
    );
    assert!(typed.contains("Enter saves, Esc cancels"), "{typed}");
    assert_eq!(press(&mut app, KeyCode::Enter), None);
    assert!(
        footer(&app).contains("is not a duration"),
        "{}",
        footer(&app)
    );
    let prompt = app.prompt.as_ref().expect("still open");
    assert!(
        prompt.error.as_ref().unwrap().contains("3 days"),
        "{prompt:?}"
    );
    assert_eq!(press(&mut app, KeyCode::Esc), None);
    assert!(app.prompt.is_none());
    assert_eq!(app.notice.as_deref(), Some("not acknowledged"));
    // Back to keys as commands.
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn a_and_u_where_no_finding_is_selected_say_so() {
    let mut app = common::demo_app();
    assert_eq!(app.focus, Pane::Cities);
    assert_eq!(press(&mut app, KeyCode::Char('a')), None);
    assert!(app.prompt.is_none());
    assert!(app.notice.as_ref().unwrap().contains("select one"));
    assert_eq!(press(&mut app, KeyCode::Char('u')), None);
    assert!(app.notice.as_ref().unwrap().contains("select a finding"));
}

#[test]
fn acknowledged_findings_go_last_u_takes_back_and_capital_a_hides_them() {
    let mut app = conflicts_app();
    let before = conflict_ids(&app);
    let first = before[0].clone();
    let msg = triage(&app, std::slice::from_ref(&first));
    update(&mut app, msg);
    assert!(app.is_acked(&first));
    let after = conflict_ids(&app);
    assert_eq!(after.len(), before.len());
    assert_eq!(after.last(), Some(&first));
    assert_eq!(&after[..after.len() - 1], &before[1..]);
    // The cursor stays on the finding, now last.
    let selected = app.selected_finding().unwrap();
    assert_eq!(
        app.current.as_ref().unwrap().analysis.findings[selected].id(),
        first
    );
    assert!(app.is_row_acked(selected));
    assert_eq!(
        press(&mut app, KeyCode::Char('u')),
        Some(Command::Unack(first.clone()))
    );
    // On a finding that is not acknowledged, u says so.
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(press(&mut app, KeyCode::Char('u')), None);
    assert!(app.notice.as_ref().unwrap().contains("is not acknowledged"));

    press(&mut app, KeyCode::Char('A'));
    assert!(!app.show_acked);
    assert_eq!(conflict_ids(&app), before[1..].to_vec());
    press(&mut app, KeyCode::Char('A'));
    assert_eq!(conflict_ids(&app), after);
}

#[test]
fn drill_down_conflict_sections_put_acknowledged_findings_last() {
    let mut app = common::demo_app();
    let fresh = app.current.clone().unwrap();
    let route = Route::City(rollout_dash::feed::wire::CityId::new("xian"));
    app.routes.push(rollout_dash::app::Screen::new(route));
    let screen = app.screen().clone();
    let shown = |app: &App| -> Vec<FindingId> {
        let rows = rollout_dash::app::detail::findings(app, &screen, &fresh);
        (0..rows.len()).map(|i| rows.get(i).unwrap().id()).collect()
    };
    let before = shown(&app);
    assert!(before.len() >= 3, "{before:?}");
    let msg = triage(&app, std::slice::from_ref(&before[0]));
    update(&mut app, msg);
    let after = shown(&app);
    assert_eq!(after[..after.len() - 1], before[1..]);
    assert_eq!(after.last(), Some(&before[0]));
    // `a` works in the conflicts section of a drill-down.
    while rollout_dash::app::detail::current_section(app.screen())
        != Some(rollout_dash::app::detail::Section::Conflicts)
    {
        press(&mut app, KeyCode::Tab);
    }
    // The section's title gives the selected finding's id.
    let screen_text = render(&app, 120, 40).backend().to_string();
    assert!(
        screen_text.contains(&format!("Conflicts [{}]", after[0])),
        "{screen_text}"
    );
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(app.prompt.as_ref().unwrap().finding, after[0]);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('A'));
    assert_eq!(shown(&app), before[1..].to_vec());
}

/// A triage worked out for another snapshot is not applied to this one.
#[test]
fn a_triage_of_another_snapshot_marks_nothing() {
    let mut app = conflicts_app();
    let other = Arc::new(Analysis::default());
    let ids = conflict_ids(&app);
    let acks = Acks::from_acks(ids.iter().map(|id| ack_of(id, app.now)));
    let now = app.now;
    update(&mut app, Msg::Triage(Triage::of(acks, &other, None, now)));
    assert!(app.is_acked(&ids[0]));
    assert!(!(0..ids.len()).any(|row| app.is_row_acked(row)));
    assert_eq!(conflict_ids(&app), ids);
}

fn render(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| rollout_dash::ui::view(app, frame))
        .unwrap();
    terminal
}

/// The conflicts pane at 80x24 with one critical finding acknowledged: the
/// header counts it apart, its row is last, marked and dimmed.
#[test]
fn acknowledged_rows_are_dimmed_and_counted_apart() {
    let mut app = conflicts_app();
    let critical = conflict_ids(&app)[0].clone();
    assert!(critical.as_str().starts_with("to-"));
    let msg = triage(&app, std::slice::from_ref(&critical));
    update(&mut app, msg);
    // The cursor on the last row, the acknowledged one.
    press(&mut app, KeyCode::Char('G'));
    let terminal = render(&app, 80, 24);
    let text = terminal.backend().to_string();
    insta::assert_snapshot!("acked_conflicts_80x24", text);
    assert!(text.contains("✖2 (1 acked)"), "{text}");
    let wide = render(&app, 160, 40).backend().to_string();
    assert!(wide.contains("✖ 2 critical (1 acked)"), "{wide}");
    let buffer = terminal.backend().buffer();
    let (x, y) = (0..buffer.area.height)
        .find_map(|y| {
            let line: String = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_owned())
                .collect();
            line.find("✓ack")
                .map(|at| (line[..at].chars().count() as u16, y))
        })
        .expect("an acknowledged row is marked");
    for dx in 0..4 {
        let cell = &buffer[(x + dx, y)];
        assert!(cell.modifier.contains(Modifier::DIM), "{cell:?}");
        assert_ne!(cell.fg, Color::LightRed, "{cell:?}");
    }
    // The unacknowledged critical keeps its colour.
    let critical_cell = (0..buffer.area.height)
        .flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
        .map(|p| &buffer[p])
        .find(|c| c.symbol() == "✖" && c.fg == Color::LightRed);
    assert!(critical_cell.is_some());
}

// ----- the real dashboard in a pty --------------------------------------------

/// `a`, a note and Enter in the real dashboard write an acknowledgement
/// `ack --list` sees; one made by another process shows up at the next
/// poll; `u` takes one back.
#[test]
fn the_dashboard_acknowledges_and_sees_other_processes_acks() {
    let server = common::Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let history = home.join("h.sqlite3");
    let config = config_file(home, &history);
    let mut dashboard = Dashboard::start_in(
        &[
            common::BIN,
            "--config",
            config.to_str().unwrap(),
            "--feed",
            &server.url,
            "--interval",
            "0.5",
        ],
        home,
        &[("USER", "mei")],
    );
    dashboard.wait_for("2 critical");
    // The conflicts pane: the first row is Ningbo's critical overlap.
    dashboard.send(b"4");
    dashboard.wait_for("[to-jrveg9wdep8r]");
    dashboard.send(b"a");
    dashboard.wait_for("ack to-jrveg9wdep8r:");
    dashboard.send(b"landlord --for 2d\r");
    dashboard.wait_for("acknowledged to-jrveg9wdep8r until");
    dashboard.wait_for("2 critical (1 acked)");
    let listed = run(&config, home, &["ack", "--list", "--format", "json"]);
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed[0]["id"], "to-jrveg9wdep8r");
    assert_eq!(listed[0]["note"], "landlord");
    assert_eq!(listed[0]["by"], "mei");
    assert!(listed[0]["until"].is_string());

    let other = run(&config, home, &["ack", "ndc-txxnkn4jx80e"]);
    assert!(other.status.success(), "{}", stderr(&other));
    dashboard.wait_for("2 critical (2 acked)");

    // The cursor stayed on the acknowledged finding: u takes it back.
    dashboard.send(b"u");
    dashboard.wait_for("took back the acknowledgement of to-jrveg9wdep8r");
    dashboard.wait_for("2 critical (1 acked)");
    dashboard.send(b"q");
    assert!(dashboard.wait_exit().success());
}

/// A file written before acknowledgements existed (schema 2): read-only it
/// has none; opened to write it gains the table, and its recorded findings
/// are known by the ids `Finding::id` gives.
#[test]
fn an_older_history_file_reads_and_gains_acknowledgements() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite3");
    let mut history = open(&path);
    record(&mut history, &demo(false), t(0));
    drop(history);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("DROP TABLE acks; PRAGMA user_version = 2;")
        .unwrap();
    drop(conn);

    let read = History::open_file_read_only(&path, FEED, Duration::from_secs(5)).unwrap();
    assert!(read.acks(t(1)).unwrap().is_empty());
    drop(read);
    let mut history = open(&path);
    let id = ningbo_id();
    assert!(history.current_finding_ids().unwrap().contains(&id));
    history.acknowledge(&id, "mei", "", None, t(1)).unwrap();
    assert!(history.acks(t(2)).unwrap().is_acked(&id, t(2)));
}

/// With the feed recorded (`report --since` records what it polled), `ack`
/// checks the id: a current finding is acknowledged without a word, another
/// id is acknowledged with a note that says it is not current.
#[test]
fn ack_says_when_an_id_is_not_a_current_finding() {
    let server = common::Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let config = config_file(home, &home.join("h.sqlite3"));
    let recorded = run(
        &config,
        home,
        &["report", "--feed", &server.url, "--since", "1h"],
    );
    assert!(recorded.status.success(), "{}", stderr(&recorded));

    let current = run(&config, home, &["ack", "to-jrveg9wdep8r"]);
    assert!(current.status.success());
    assert_eq!(stderr(&current), "");
    let gone = run(&config, home, &["ack", "ao-0000000000zz"]);
    assert!(gone.status.success());
    assert!(
        stderr(&gone).contains("ao-0000000000zz is not a current finding in the history"),
        "{}",
        stderr(&gone)
    );
    assert!(stderr(&gone).contains("acknowledged anyway"));
}

/// A snooze that runs out while the dashboard is open (polling paused, say)
/// asks for the acknowledgements to be read again, once; the id lapses at
/// once for `App::is_acked`.
#[test]
fn a_snooze_running_out_on_screen_asks_for_a_reread() {
    let mut app = conflicts_app();
    let id = conflict_ids(&app)[0].clone();
    let now = app.now;
    let mut ack = ack_of(&id, now);
    ack.until = Some(now + chrono::Duration::hours(1));
    let fresh = app.current.as_ref().unwrap();
    let triage = Triage::of(Acks::from_acks([ack]), &fresh.analysis, None, now);
    update(&mut app, Msg::Triage(triage));
    assert!(app.is_acked(&id));
    let half = now + chrono::Duration::minutes(30);
    assert_eq!(update(&mut app, Msg::Tick(half)), None);
    let later = now + chrono::Duration::hours(1);
    assert_eq!(
        update(&mut app, Msg::Tick(later)),
        Some(Command::RereadAcks)
    );
    assert!(!app.is_acked(&id));
    assert_eq!(update(&mut app, Msg::Tick(later)), None);
}

/// The dashboard reads the acknowledgements after a poll that brought
/// nothing new only when the database was written since: how it stands
/// must change with every acknowledgement another process writes.
#[test]
fn how_the_database_stands_changes_with_each_acknowledgement_and_only_then() {
    use rollout_dash::ack::Written;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite3");
    assert_eq!(Written::of(&path), Written::of(&path), "no file yet");
    // The dashboard's own connection stays open meanwhile.
    let _history = open(&path);
    let ids: Vec<FindingId> = {
        let snapshot = demo(false);
        let analysis = Analysis::of(&snapshot, &RulesConfig::default());
        analysis.findings.iter().take(3).map(|f| f.id()).collect()
    };
    let mut before = Written::of(&path);
    for (n, id) in ids.iter().enumerate() {
        let again = Written::of(&path);
        assert_eq!(before, again, "nothing written, nothing changed");
        let mut other = open(&path);
        if n == 1 {
            other.unacknowledge(&ids[0], "mei", t(n as i64)).unwrap();
        } else {
            other.acknowledge(id, "mei", "", None, t(n as i64)).unwrap();
        }
        drop(other);
        let after = Written::of(&path);
        assert_ne!(before, after, "acknowledgement {n} went unseen");
        before = after;
    }
}
