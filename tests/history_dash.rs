//! The dashboard and its history: recording each new snapshot, the change
//! log loaded at start, `[` / `]` through the recorded snapshots, and a
//! history that cannot be used never stopping the panes. Real SQLite files
//! in temp dirs, through the dashboard's own start-up of the history
//! (`dashboard::history_setup` and `history::live::start`), update and
//! render tests, and the real binary in a pseudo-terminal.

mod common;

use common::render;

use common::pty::Dashboard;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rollout_dash::analysis::{Analysis, Change, RulesConfig};
use rollout_dash::app::{App, Command, HistoryState, Msg, Pane, update};
use rollout_dash::config::Config;
use rollout_dash::dashboard::history_setup;
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::snapshot::{Snapshot, parse_document};
use rollout_dash::feed::wire::{Phase, StoreId};
use rollout_dash::history::{History, Recorded, SnapshotInfo, schema};
use rollout_dash::worker::history::{
    self as live, HistoryCommand, HistoryEvent, HistoryHandle, Past,
};
use rollout_dash::worker::{FeedEvent, Fresh};
use tokio::sync::mpsc;

const FEED: &str = "http://127.0.0.1:8080/v1/snapshot";
/// Generous: a guard against a hang, never a timing asserted.
const WAIT: Duration = Duration::from_secs(30);

fn t(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 2, 20, 8, 0, 0).unwrap() + chrono::Duration::seconds(seconds)
}

/// The demo `hours` later by the feed's clock, with its first store in
/// design moved to construction at `percent` (none: as in the demo).
fn demo_at(hours: i64, percent: Option<f64>) -> Snapshot {
    let mut doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    doc.generated_at += chrono::Duration::hours(hours);
    if let Some(percent) = percent {
        let store = doc
            .stores
            .iter_mut()
            .find(|s| s.renovation.phase == Phase::Design)
            .unwrap();
        store.renovation.phase = Phase::Construction;
        store.renovation.percent = percent;
    }
    Snapshot::new(doc)
}

/// The store [`demo_at`] moves.
fn moved_store() -> StoreId {
    let doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    doc.stores
        .iter()
        .find(|s| s.renovation.phase == Phase::Design)
        .unwrap()
        .id
        .clone()
}

fn fresh(snapshot: Snapshot, at: DateTime<Utc>) -> Fresh {
    Fresh::derive(snapshot, &RulesConfig::default(), at)
}

fn db(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("history.sqlite3")
}

/// Records the three steps of the rollout the tests replay: the demo, then
/// one store in construction at 20 %, then at 60 %.
fn record_three(path: &Path) -> Vec<SnapshotInfo> {
    let mut history =
        History::open_file(path, FEED, Duration::MAX, Duration::from_secs(5)).unwrap();
    [(0, None), (1, Some(20.0)), (2, Some(60.0))]
        .into_iter()
        .map(|(hours, percent)| {
            let snapshot = demo_at(hours, percent);
            let analysis = Analysis::of(&snapshot, &RulesConfig::default());
            match history
                .record(&snapshot, &analysis, t(hours * 3600))
                .unwrap()
            {
                Recorded::New { snapshot, .. } => snapshot,
                other => panic!("not recorded: {other:?}"),
            }
        })
        .collect()
}

/// The history as the dashboard starts it, between a stand-in poller and
/// the app.
struct Started {
    poller: mpsc::Sender<FeedEvent>,
    to_app: mpsc::Receiver<FeedEvent>,
    events: mpsc::Receiver<HistoryEvent>,
    handle: HistoryHandle,
}

fn config(path: &Path, enabled: bool, change_log_size: usize) -> Config {
    let mut config = Config::default();
    config.history.path = Some(path.to_owned());
    config.history.enabled = enabled;
    config.ui.change_log_size = change_log_size;
    config
}

fn start(config: &Config) -> Started {
    let (poller, from_poller) = mpsc::channel(16);
    let (to_app_tx, to_app) = mpsc::channel(16);
    let (events_tx, events) = mpsc::channel(16);
    let handle = live::start(
        history_setup(config, FEED, false),
        from_poller,
        to_app_tx,
        events_tx,
    )
    .unwrap();
    Started {
        poller,
        to_app,
        events,
        handle,
    }
}

impl Started {
    async fn event(&mut self) -> HistoryEvent {
        tokio::time::timeout(WAIT, self.events.recv())
            .await
            .expect("the history answers")
            .expect("the history is running")
    }

    async fn feed(&mut self) -> FeedEvent {
        tokio::time::timeout(WAIT, self.to_app.recv())
            .await
            .expect("the tap passes the poller's report on")
            .expect("the tap is running")
    }

    /// Sends a new live snapshot as the poller does and hands what the tap
    /// passes on to the app.
    async fn poll(&mut self, app: &mut App, fresh: Fresh, changes: Vec<Change>) {
        self.poller
            .send(FeedEvent::Fresh { fresh, changes })
            .await
            .unwrap();
        let event = self.feed().await;
        update(app, Msg::Feed(event));
    }

    /// The next history report, applied to the app; returns its kind.
    async fn apply(&mut self, app: &mut App) -> &'static str {
        let event = self.event().await;
        let kind = kind(&event);
        update(app, Msg::History(event));
        kind
    }
}

fn kind(event: &HistoryEvent) -> &'static str {
    match event {
        HistoryEvent::Opened { .. } => "opened",
        HistoryEvent::Off { .. } => "off",
        HistoryEvent::On => "on",
        HistoryEvent::Changes(_) => "changes",
        HistoryEvent::Past(_) => "past",
        HistoryEvent::Live => "live",
        HistoryEvent::Oldest { .. } => "oldest",
        HistoryEvent::Unavailable { .. } => "unavailable",
    }
}

fn app() -> App {
    let mut app = App::new(FEED.into(), false, Default::default(), t(10));
    app.change_log_size = 500;
    app
}

fn key(app: &mut App, c: char) -> Option<Command> {
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    )
}

fn messages(app: &App) -> Vec<String> {
    app.change_log.iter().map(|c| c.message.clone()).collect()
}

fn shown_generated_at(app: &App) -> DateTime<Utc> {
    app.current.as_ref().unwrap().snapshot.document.generated_at
}

// ------------------------------------------------------- the change log

#[tokio::test]
async fn the_change_log_is_filled_from_the_history_at_start_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let recorded = record_three(&path);
    let mut reader = History::open_file_read_only(&path, FEED, Duration::from_secs(5)).unwrap();
    let expected: Vec<String> = reader
        .recorded_changes(None, recorded[2].id)
        .unwrap()
        .into_iter()
        .rev()
        .map(|c| c.change.message)
        .collect();
    assert!(expected.len() >= 2, "{expected:?}");
    assert!(expected[0].contains("20% -> 60%"), "{expected:?}");

    let mut started = start(&config(&path, true, 500));
    let mut app = app();
    assert_eq!(started.apply(&mut app).await, "opened");
    assert_eq!(app.history.state, HistoryState::On);
    assert_eq!(messages(&app), expected);
    assert_eq!(app.lists.get(Pane::Changes).cursor, 0);

    // No more than the log holds: the newest.
    let mut started = start(&config(&path, true, 1));
    let mut small = app_with_log(1);
    assert_eq!(started.apply(&mut small).await, "opened");
    assert_eq!(messages(&small), expected[..1]);
}

fn app_with_log(size: usize) -> App {
    let mut app = app();
    app.change_log_size = size;
    app
}

#[tokio::test]
async fn live_changes_add_to_the_loaded_log_without_repeating_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    record_three(&path);
    let mut started = start(&config(&path, true, 500));
    let mut app = app();
    assert_eq!(started.apply(&mut app).await, "opened");
    let loaded = messages(&app);

    // Back after a night: the poller diffs the first poll against the
    // cached document (the first step), so its changes repeat the loaded ones.
    let cached = fresh(demo_at(0, None), t(0));
    let live = fresh(demo_at(2, Some(60.0)), t(3 * 3600));
    let repeated = live.changes_since(Some(&cached), rollout_dash::i18n::Lang::En);
    assert!(!repeated.is_empty());
    started.poll(&mut app, live.clone(), repeated).await;
    assert_eq!(messages(&app), loaded, "the log is as loaded");

    // A new snapshot: its change, once, on top.
    let newer = fresh(demo_at(3, Some(90.0)), t(4 * 3600));
    let changes = newer.changes_since(Some(&live), rollout_dash::i18n::Lang::En);
    assert!(!changes.is_empty());
    started.poll(&mut app, newer, changes.clone()).await;
    assert_eq!(started.apply(&mut app).await, "changes");
    let logged = messages(&app);
    assert_eq!(&logged[logged.len() - loaded.len()..], loaded);
    let new: Vec<String> = changes.into_iter().rev().map(|c| c.message).collect();
    assert_eq!(&logged[..logged.len() - loaded.len()], new);

    // It was recorded: four snapshots in the file.
    let mut reader = History::open_file_read_only(&path, FEED, Duration::from_secs(5)).unwrap();
    let latest = reader.latest().unwrap().unwrap();
    assert_eq!(latest.generated_at, demo_at(3, None).document.generated_at);
    assert_eq!(latest.received_at, t(4 * 3600));
    drop(started.handle);
}

// ------------------------------------------------------- [ and ]

fn step(app: &mut App, started: &Started, c: char, command: HistoryCommand) {
    assert_eq!(key(app, c), Some(Command::History(command)));
    started.handle.send(command);
}

#[tokio::test]
async fn brackets_step_through_the_recorded_snapshots_and_back_to_live() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    record_three(&path);
    let mut started = start(&config(&path, true, 500));
    let mut app = app();
    assert_eq!(started.apply(&mut app).await, "opened");
    // The live snapshot is the newest recorded one (recorded again: nothing new).
    started
        .poll(
            &mut app,
            fresh(demo_at(2, Some(60.0)), t(3 * 3600)),
            Vec::new(),
        )
        .await;
    assert_eq!(key(&mut app, ']'), None);
    assert!(app.notice.as_deref().unwrap().contains("already live"));

    step(&mut app, &started, '[', HistoryCommand::Back);
    assert_eq!(started.apply(&mut app).await, "past");
    assert_eq!(
        shown_generated_at(&app),
        demo_at(1, None).document.generated_at
    );
    assert!(render(&app, 120, 40).contains("HISTORY  2024-02-20 09:00:00 UTC"));
    step(&mut app, &started, '[', HistoryCommand::Back);
    assert_eq!(started.apply(&mut app).await, "past");
    assert_eq!(shown_generated_at(&app), t(0));
    step(&mut app, &started, '[', HistoryCommand::Back);
    assert_eq!(started.apply(&mut app).await, "oldest");
    assert_eq!(
        app.notice.as_deref(),
        Some("[: this is the oldest recorded snapshot (2024-02-20 08:00:00 UTC)")
    );
    assert_eq!(shown_generated_at(&app), t(0));

    // Polling and recording go on underneath; the past stays on screen.
    let newest = fresh(demo_at(3, Some(90.0)), t(4 * 3600));
    let changes = newest.changes_since(app.history.live.as_ref(), rollout_dash::i18n::Lang::En);
    started.poll(&mut app, newest, changes).await;
    assert_eq!(started.apply(&mut app).await, "changes");
    assert_eq!(shown_generated_at(&app), t(0));
    assert!(render(&app, 120, 40).contains("HISTORY  2024-02-20 08:00:00 UTC"));
    let kept = app.history.live.as_ref().unwrap();
    assert_eq!(kept.received_at, t(4 * 3600));

    step(&mut app, &started, ']', HistoryCommand::Forward);
    assert_eq!(started.apply(&mut app).await, "past");
    assert_eq!(
        shown_generated_at(&app),
        demo_at(1, None).document.generated_at
    );
    step(&mut app, &started, ']', HistoryCommand::Forward);
    assert_eq!(started.apply(&mut app).await, "past");
    assert_eq!(
        shown_generated_at(&app),
        demo_at(2, None).document.generated_at
    );
    // Past the newest recorded before the live one: live, the newest polled.
    step(&mut app, &started, ']', HistoryCommand::Forward);
    assert_eq!(started.apply(&mut app).await, "live");
    assert!(app.history.past.is_none());
    assert_eq!(app.current.as_ref().unwrap().received_at, t(4 * 3600));
    let frame = render(&app, 120, 40);
    assert!(!frame.contains("HISTORY"), "{frame}");
    assert!(frame.contains("updated"), "{frame}");
}

#[tokio::test]
async fn steps_pressed_faster_than_they_load_all_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    record_three(&path);
    let mut started = start(&config(&path, true, 500));
    let mut app = app();
    assert_eq!(started.apply(&mut app).await, "opened");
    started
        .poll(
            &mut app,
            fresh(demo_at(2, Some(60.0)), t(3 * 3600)),
            Vec::new(),
        )
        .await;
    // Two `[` before any answer: two snapshots back.
    step(&mut app, &started, '[', HistoryCommand::Back);
    step(&mut app, &started, '[', HistoryCommand::Back);
    let mut kinds = vec![started.apply(&mut app).await];
    while shown_generated_at(&app) != t(0) {
        kinds.push(started.apply(&mut app).await);
    }
    assert!(kinds.iter().all(|k| *k == "past"), "{kinds:?}");
    assert!(app.notice.is_none(), "{:?}", app.notice);
}

/// A past snapshot arriving as a message, for the update-level tests.
fn past(snapshot: Snapshot, id: i64, at: DateTime<Utc>) -> Msg {
    let info = SnapshotInfo {
        id: rollout_dash::history::SnapshotId(id),
        generated_at: snapshot.document.generated_at,
        received_at: at,
        content_hash: String::new(),
    };
    Msg::History(HistoryEvent::Past(Box::new(Past {
        info,
        fresh: fresh(snapshot, at),
    })))
}

#[test]
fn the_selection_stays_on_its_store_in_a_past_snapshot() {
    let mut app = common::demo_app();
    app.focus = Pane::Stores;
    let target = moved_store();
    let row_of = |app: &App| {
        let fresh = app.current.as_ref().unwrap();
        let row = app.lists.get(Pane::Stores).selected_row().unwrap();
        fresh.snapshot.document.stores[row].id.clone()
    };
    while row_of(&app) != target {
        update(
            &mut app,
            Msg::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)),
        );
    }
    let cursor = app.lists.get(Pane::Stores).cursor;
    // The past snapshot lists the stores the other way round.
    let mut doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    doc.generated_at -= chrono::Duration::hours(5);
    doc.stores.reverse();
    update(&mut app, past(Snapshot::new(doc), 1, t(-5 * 3600)));
    assert_eq!(row_of(&app), target);
    assert_ne!(app.lists.get(Pane::Stores).cursor, cursor);
    // A drill-down shows the past too.
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let frame = render(&app, 120, 40);
    assert!(
        frame.contains("HISTORY  2024-02-20 03:00:00 UTC"),
        "{frame}"
    );
}

#[test]
fn live_data_waits_behind_the_past_and_comes_back_with_live() {
    let mut app = common::demo_app();
    update(&mut app, past(demo_at(-1, None), 7, t(-3600)));
    assert_eq!(shown_generated_at(&app), t(-3600));
    let live = fresh(demo_at(1, Some(50.0)), t(3600));
    let command = update(
        &mut app,
        Msg::Feed(FeedEvent::Fresh {
            fresh: live,
            changes: Vec::new(),
        }),
    );
    assert_eq!(shown_generated_at(&app), t(-3600), "the past stays");
    // Its findings are still compared, so that new ones alert.
    assert!(matches!(command, Some(Command::Compare(_))), "{command:?}");
    assert_eq!(app.status.last_good_at, Some(t(3600)));
    update(&mut app, Msg::History(HistoryEvent::Live));
    assert_eq!(shown_generated_at(&app), t(3600), "the newest live one");
    assert!(app.history.past.is_none() && app.history.live.is_none());
}

#[test]
fn with_the_history_off_brackets_say_why_and_bracket_right_goes_live() {
    let mut app = common::demo_app();
    update(&mut app, past(demo_at(-1, None), 7, t(-3600)));
    let reason = "history off: /x/history.sqlite3: the disk is full (No space left on device)";
    update(
        &mut app,
        Msg::History(HistoryEvent::Off {
            short: "disk full",
            fault: true,
            reason: reason.into(),
        }),
    );
    assert_eq!(app.notice.as_deref(), Some(reason));
    assert_eq!(key(&mut app, '['), None);
    assert_eq!(app.notice.as_deref(), Some(&*format!("[: {reason}")));
    // Out of the past at once: nothing is asked of a history that is off
    // but that it forgets where it was.
    assert_eq!(
        key(&mut app, ']'),
        Some(Command::History(HistoryCommand::Live))
    );
    assert!(app.history.past.is_none());
    assert_eq!(shown_generated_at(&app), t(0));
}

#[test]
fn the_history_header_at_80x24_and_120x40() {
    let mut app = common::demo_app();
    app.history.state = HistoryState::On;
    update(&mut app, past(demo_at(-26, Some(35.0)), 3, t(-26 * 3600)));
    insta::assert_snapshot!("history_80x24", render(&app, 80, 24));
    insta::assert_snapshot!("history_120x40", render(&app, 120, 40));
}

// ------------------------------------------------------- faults

#[tokio::test]
async fn a_corrupt_file_turns_the_history_off_and_the_panes_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let mut rng = fastrand::Rng::with_seed(7);
    let bytes: Vec<u8> = (0..32 * 1024).map(|_| rng.u8(..)).collect();
    std::fs::write(&path, &bytes).unwrap();
    let mut started = start(&config(&path, true, 500));
    let mut app = app();
    assert_eq!(started.apply(&mut app).await, "off");
    let HistoryState::Off {
        short,
        fault,
        reason,
    } = app.history.state.clone()
    else {
        panic!("{:?}", app.history.state)
    };
    assert_eq!((short, fault), ("corrupt", true));
    assert!(reason.starts_with("history off: "), "{reason}");
    assert!(reason.contains(&path.display().to_string()), "{reason}");
    assert_eq!(app.notice.as_deref(), Some(reason.as_str()));

    // Polling goes on; the change log comes from the poller.
    let first = fresh(demo_at(0, None), t(0));
    started.poll(&mut app, first.clone(), Vec::new()).await;
    assert_eq!(started.apply(&mut app).await, "changes");
    let second = fresh(demo_at(1, Some(30.0)), t(3600));
    let changes = second.changes_since(Some(&first), rollout_dash::i18n::Lang::En);
    started.poll(&mut app, second, changes.clone()).await;
    assert_eq!(started.apply(&mut app).await, "changes");
    assert_eq!(shown_generated_at(&app), t(3600));
    assert_eq!(app.change_log.len(), changes.len());
    assert_eq!(key(&mut app, '['), None);
    assert_eq!(app.notice.as_deref(), Some(&*format!("[: {reason}")));
    app.notice = None;
    app.now = t(3610);
    insta::assert_snapshot!("history_off_80x24", render(&app, 80, 24));
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "never overwritten");
}

#[tokio::test]
async fn a_file_from_a_newer_rollout_dash_turns_the_history_off_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    record_three(&path);
    let newer = schema::VERSION + 1;
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", newer).unwrap();
    drop(conn);
    let mut started = start(&config(&path, true, 500));
    let mut app = app();
    assert_eq!(started.apply(&mut app).await, "off");
    assert!(
        matches!(&app.history.state, HistoryState::Off { short: "newer version", fault: true, reason } if reason.contains("newer rollout-dash")),
        "{:?}",
        app.history.state
    );
    assert!(app.change_log.is_empty());
    started
        .poll(&mut app, fresh(demo_at(5, None), t(5 * 3600)), Vec::new())
        .await;
    assert_eq!(started.apply(&mut app).await, "changes");
    assert_eq!(
        shown_generated_at(&app),
        demo_at(5, None).document.generated_at
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, newer);
    let snapshots: i64 = conn
        .query_row("SELECT count(*) FROM snapshots", [], |row| row.get(0))
        .unwrap();
    assert_eq!(snapshots, 3, "nothing recorded");
}

#[tokio::test]
async fn history_enabled_false_records_nothing_and_the_header_stays_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let mut started = start(&config(&path, false, 500));
    let mut app = app();
    assert_eq!(started.apply(&mut app).await, "off");
    assert!(app.notice.is_none(), "{:?}", app.notice);
    started
        .poll(&mut app, fresh(demo_at(0, None), t(0)), Vec::new())
        .await;
    assert_eq!(started.apply(&mut app).await, "changes");
    assert!(!path.exists(), "no file is created");
    assert!(!render(&app, 120, 40).contains("history off"));
    assert_eq!(key(&mut app, '['), None);
    assert_eq!(
        app.notice.as_deref(),
        Some("[: history off: history.enabled is false in the config")
    );
}

// ------------------------------------------------------- the real binary

/// The default history file under a test's home.
fn default_db(home: &Path) -> PathBuf {
    home.join("data/rollout-dash/history.sqlite3")
}

fn feed_key(server: &common::Server) -> String {
    rollout_dash::history::feed_key(&server.url).unwrap()
}

#[test]
fn the_dashboard_shows_yesterdays_changes_records_and_steps_back() {
    let server = common::Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let path = default_db(home.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    // Recorded before this start (by `record`, or yesterday's dashboard),
    // within the retention (the dashboard prunes what is older).
    let yesterday = Utc::now() - chrono::Duration::hours(24);
    let at = |hours: i64| yesterday + chrono::Duration::hours(hours);
    {
        let mut history = History::open_file(
            &path,
            &feed_key(&server),
            Duration::MAX,
            Duration::from_secs(5),
        )
        .unwrap();
        for (hours, percent) in [(0, None), (1, Some(20.0)), (2, Some(60.0))] {
            let snapshot = demo_at(hours, percent);
            let analysis = Analysis::of(&snapshot, &RulesConfig::default());
            history.record(&snapshot, &analysis, at(hours)).unwrap();
        }
    }
    let mut dashboard =
        Dashboard::start_in(&[common::BIN, "--feed", &server.url], home.path(), &[]);
    // The change log pane: the recorded changes, with their day.
    dashboard.send(b"5");
    let day = at(2).format("%m-%d %H:%M").to_string();
    dashboard.wait_for_all(&["Suzhou", &day, "20% -> 60%"]);
    // The live snapshot is recorded: a fourth row.
    let mut reader =
        History::open_file_read_only(&path, &feed_key(&server), Duration::from_secs(5)).unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    while reader.latest().unwrap().map(|l| l.generated_at) != Some(t(0)) {
        assert!(
            std::time::Instant::now() < deadline,
            "the live snapshot is never recorded"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    dashboard.send(b"[");
    dashboard.wait_for_all(&["HISTORY", "2024-02-20 10:00:00 UTC"]);
    dashboard.send(b"[");
    dashboard.wait_for_all(&["2024-02-20 09:00:00 UTC"]);
    dashboard.send(b"]");
    dashboard.wait_for_all(&["2024-02-20 10:00:00 UTC"]);
    dashboard.send(b"]");
    let screen = dashboard.wait_for_all(&["updated"]);
    assert!(!screen.contains("HISTORY"), "{screen}");
    dashboard.quit();
}

#[test]
fn the_dashboard_runs_on_with_a_corrupt_history_and_says_so() {
    let server = common::Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let path = default_db(home.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, vec![0x5a; 16 * 1024]).unwrap();
    let mut dashboard =
        Dashboard::start_in(&[common::BIN, "--feed", &server.url], home.path(), &[]);
    dashboard.wait_for_all(&["history off: corrupt", "Suzhou", "Conflicts"]);
    dashboard.send(b"[");
    dashboard.wait_for_all(&["[: history off:", "not a usable history database"]);
    dashboard.quit();
    assert_eq!(std::fs::read(&path).unwrap(), vec![0x5a; 16 * 1024]);
}

#[test]
fn the_dashboard_runs_on_with_a_read_only_history_directory() {
    use std::os::unix::fs::PermissionsExt;
    let server = common::Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let path = default_db(home.path());
    let dir = path.parent().unwrap();
    std::fs::create_dir_all(dir).unwrap();
    for (path, mode) in [(home.path(), 0o755), (dir, 0o555)] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    // Root writes anywhere: run as nobody, for whom the mode holds.
    let mut argv = Vec::new();
    if unsafe { libc::geteuid() } == 0 {
        argv.extend([
            "/usr/bin/setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ]);
    }
    argv.extend([common::BIN, "--feed", &server.url]);
    let mut dashboard = Dashboard::start_in(&argv, home.path(), &[]);
    dashboard.wait_for_all(&["history off: read-only", "Suzhou", "Conflicts"]);
    dashboard.quit();
    assert!(!path.exists());
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[tokio::test]
async fn a_lock_held_for_long_turns_the_history_off_until_a_write_works_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    record_three(&path);
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO feeds (url) VALUES ('another feed');")
        .unwrap();
    let mut started = start(&config(&path, true, 500));
    let mut app = app();
    // Reading is not held up by a writer (WAL).
    assert_eq!(started.apply(&mut app).await, "opened");
    let loaded = app.change_log.len();

    // The panes get the snapshot at once, while the write waits for the lock.
    let first = fresh(demo_at(3, Some(90.0)), t(4 * 3600));
    let changes = first.changes_since(
        Some(&fresh(demo_at(2, Some(60.0)), t(3 * 3600))),
        rollout_dash::i18n::Lang::En,
    );
    started.poll(&mut app, first.clone(), changes.clone()).await;
    assert_eq!(
        shown_generated_at(&app),
        demo_at(3, None).document.generated_at
    );
    assert_eq!(started.apply(&mut app).await, "off");
    assert!(
        matches!(&app.history.state, HistoryState::Off { short: "locked", fault: true, reason } if reason.contains("locked by another program")),
        "{:?}",
        app.history.state
    );
    let header = |app: &App| render(app, 120, 40).lines().next().unwrap().to_owned();
    assert!(header(&app).contains("history off: locked"));
    // The log goes on from the poller.
    assert_eq!(started.apply(&mut app).await, "changes");
    assert_eq!(app.change_log.len(), loaded + changes.len());

    holder.execute_batch("ROLLBACK").unwrap();
    let second = fresh(demo_at(4, Some(95.0)), t(5 * 3600));
    let changes = second.changes_since(Some(&first), rollout_dash::i18n::Lang::En);
    started.poll(&mut app, second, changes.clone()).await;
    assert_eq!(started.apply(&mut app).await, "on");
    assert_eq!(started.apply(&mut app).await, "changes");
    assert_eq!(app.history.state, HistoryState::On);
    assert!(
        !render(&app, 120, 40).contains("history off"),
        "nor the notice"
    );
    let mut reader = History::open_file_read_only(&path, FEED, Duration::from_secs(5)).unwrap();
    assert_eq!(
        reader.latest().unwrap().unwrap().generated_at,
        demo_at(4, None).document.generated_at
    );
}

#[test]
fn the_dashboard_runs_on_with_a_full_disk_and_says_so() {
    let server = common::Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    // A file-size limit stands in for a full disk (as in tests/record.rs):
    // the database opens, a snapshot's write fails with EFBIG, as SQLite
    // sees a full disk. The signal the write would raise is ignored, as a
    // shell's `ulimit -f` leaves it to the program; exec keeps it ignored.
    let script = "trap '' XFSZ; exec /usr/bin/prlimit --fsize=98304 -- \"$@\"";
    let mut dashboard = Dashboard::start_in(
        &[
            "/bin/sh",
            "-c",
            script,
            "sh",
            common::BIN,
            "--feed",
            &server.url,
        ],
        home.path(),
        &[],
    );
    dashboard.wait_for_all(&["history off: disk full", "Suzhou", "Conflicts"]);
    dashboard.send(b"[");
    dashboard.wait_for_all(&["[: history off:", "the disk is full"]);
    dashboard.quit();
}

#[test]
fn switching_feeds_leaves_the_old_feeds_past_and_history_state_behind() {
    let mut app = common::demo_app();
    update(&mut app, past(demo_at(-1, None), 7, t(-3600)));
    update(
        &mut app,
        Msg::History(HistoryEvent::Off {
            short: "locked",
            fault: true,
            reason: "history off: locked".into(),
        }),
    );
    app.clear_feed("http://127.0.0.1:9/".into(), Some("staging".into()));
    assert!(app.history.past.is_none() && app.history.live.is_none());
    assert_eq!(app.history.state, HistoryState::Starting);
    assert!(app.current.is_none());
    assert!(!render(&app, 120, 40).contains("HISTORY"));
}
