//! The history database in-process, on real SQLite files in temp dirs:
//! what is stored, the rebuild behind `report --at`, the changes behind
//! `--since`, retention, idempotence, and the faults that turn history off.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use rollout_dash::analysis::{Analysis, diff};
use rollout_dash::config::{HistoryConfig, RulesConfig};
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::simulate;
use rollout_dash::feed::snapshot::{Snapshot, parse_document};
use rollout_dash::feed::wire::{Document, Phase};
use rollout_dash::history::{History, HistoryError, Recorded, SnapshotId, SnapshotInfo, schema};
use rollout_dash::report::Report;
use serde_json::{Value, json};

const FEED: &str = "http://127.0.0.1:8080/v1/snapshot";
const YEAR: Duration = Duration::from_secs(365 * 86_400);

fn t(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 8, 0, 0).unwrap() + chrono::Duration::seconds(seconds)
}

fn open(path: &Path) -> History {
    History::open_file(path, FEED, YEAR, Duration::from_secs(5)).expect("the history opens")
}

fn db(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("history.sqlite3")
}

fn analysed(snapshot: &Snapshot) -> Analysis {
    Analysis::of(snapshot, &RulesConfig::default())
}

fn record(history: &mut History, snapshot: &Snapshot, at: DateTime<Utc>) -> Recorded {
    history
        .record(snapshot, &analysed(snapshot), at)
        .expect("the snapshot is recorded")
}

fn new_info(recorded: Recorded) -> SnapshotInfo {
    match recorded {
        Recorded::New { snapshot, .. } => snapshot,
        other => panic!("expected a new snapshot, got {other:?}"),
    }
}

/// `report --format json` of a snapshot, as a value, without `feed`.
fn report_json(snapshot: &Snapshot) -> Value {
    let analysis = analysed(snapshot);
    let mut value = serde_json::to_value(Report::new("feed", snapshot, &analysis)).unwrap();
    value.as_object_mut().unwrap().remove("feed");
    value
}

fn count(path: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(sql, [], |row| row.get(0)).unwrap()
}

/// The demo with what validation reports but a rebuild from the parsed
/// records alone would lose: a malformed optional field, repeated ids, an
/// unknown phase, `null` brands, and ids no other feed would use.
fn awkward_demo() -> Snapshot {
    let mut doc: Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    let stores = doc["stores"].as_array_mut().unwrap();
    stores[0]["renovation"]["planned_open"] = json!("2024-02-30");
    stores[2]["renovation"]["phase"] = json!("painting");
    let repeat = stores[1].clone();
    stores.push(repeat);
    let mut odd = stores[3].clone();
    odd["id"] = json!("odd|id,\u{200b}\u{0}\u{1b}[31m");
    stores.push(odd);
    let mut near_twin = stores[3].clone();
    near_twin["id"] = json!(format!("{}\u{301}", stores[3]["id"].as_str().unwrap()));
    stores.push(near_twin);
    doc["partners"][0]["brands"] = Value::Null;
    let warnings = doc["warnings"].as_array_mut().unwrap();
    let repeat = warnings[0].clone();
    warnings.push(repeat);
    let body = serde_json::to_vec(&doc).unwrap();
    let mut with_bom = "\u{feff}".as_bytes().to_vec();
    with_bom.extend_from_slice(&body);
    Snapshot::from_body(&with_bom).unwrap()
}

fn demo() -> Snapshot {
    Snapshot::from_body(DEMO_FEED_JSON.as_bytes()).unwrap()
}

/// The demo with one store moved on, and the feed's clock an hour later.
fn demo_with_one_store_moved() -> Snapshot {
    let mut doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    doc.generated_at += chrono::Duration::hours(1);
    let store = doc
        .stores
        .iter_mut()
        .find(|s| s.renovation.phase == Phase::Design)
        .unwrap();
    store.renovation.phase = Phase::Construction;
    store.renovation.percent = 40.0;
    Snapshot::new(doc)
}

#[test]
fn a_rebuilt_snapshot_reports_exactly_as_it_was_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open(&db(&dir));
    let awkward = awkward_demo();
    assert!(
        awkward.data_warnings.len() >= 3,
        "the fixture has data warnings: {:?}",
        awkward.data_warnings
    );
    let synthetic = Snapshot::new(rollout_dash::feed::synthetic::generate(2_000, 7));
    let first = new_info(record(&mut history, &awkward, t(0)));
    let second = new_info(record(&mut history, &synthetic, t(10)));
    // Minutes later, the older document again: the feed's clock set back.
    let third = new_info(record(&mut history, &awkward, t(200)));

    for (info, snapshot) in [
        (&first, &awkward),
        (&second, &synthetic),
        (&third, &awkward),
    ] {
        let rebuilt = history.load(info.id).unwrap();
        assert_eq!(report_json(&rebuilt), report_json(snapshot), "{info:?}");
        let ids = |s: &Snapshot| s.stores().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&rebuilt), ids(snapshot), "every store, in feed order");
        assert_eq!(
            rebuilt.document.generated_at,
            snapshot.document.generated_at
        );
    }
    assert_eq!(history.at(t(15)).unwrap().unwrap().id, second.id);
    assert_eq!(history.at(t(10)).unwrap().unwrap().id, second.id);
    assert_eq!(history.at(t(9)).unwrap().unwrap().id, first.id);
    assert_eq!(history.at(t(-1)).unwrap(), None);
    assert_eq!(history.previous(second.id).unwrap().unwrap().id, first.id);
    assert_eq!(history.next(second.id).unwrap().unwrap().id, third.id);
    assert_eq!(history.next(third.id).unwrap(), None);
}

#[test]
fn only_what_changed_is_stored_and_a_repeat_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let mut history = open(&path);
    let demo = demo();
    let records = 1
        + demo.document.cities.len()
        + demo.document.partners.len()
        + demo.document.stores.len()
        + demo.document.warnings.len();
    let findings = analysed(&demo).findings.len() as i64;
    new_info(record(&mut history, &demo, t(0)));
    assert_eq!(
        count(&path, "SELECT count(*) FROM versions"),
        records as i64
    );
    assert_eq!(count(&path, "SELECT count(*) FROM findings"), findings);

    // The same document again, from this or another recorder: nothing new.
    assert!(matches!(
        record(&mut history, &demo, t(5)),
        Recorded::Unchanged(_)
    ));
    assert!(matches!(
        record(&mut open(&path), &demo, t(6)),
        Recorded::Unchanged(_)
    ));
    assert_eq!(count(&path, "SELECT count(*) FROM snapshots"), 1);

    let moved = demo_with_one_store_moved();
    let recorded = record(&mut history, &moved, t(10));
    let Recorded::New {
        records_changed, ..
    } = recorded
    else {
        panic!("{recorded:?}");
    };
    assert_eq!(
        records_changed, 2,
        "the store's old version closed, its new one added"
    );
    assert_eq!(count(&path, "SELECT count(*) FROM snapshots"), 2);
    assert_eq!(
        count(&path, "SELECT count(*) FROM versions WHERE left_in IS NULL"),
        records as i64
    );
    assert_eq!(
        count(&path, "SELECT count(*) FROM blobs"),
        2,
        "order and warnings, shared"
    );
}

#[test]
fn a_snapshot_received_before_the_latest_recorded_one_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let mut first = open(&path);
    let mut second = open(&path);
    new_info(record(&mut first, &demo_with_one_store_moved(), t(10)));
    // Another recorder polled earlier and writes later: its older view is not history.
    assert!(matches!(
        record(&mut second, &demo(), t(9)),
        Recorded::Stale(_)
    ));
    assert_eq!(count(&path, "SELECT count(*) FROM snapshots"), 1);
}

#[test]
fn a_late_view_of_an_older_document_is_dropped_but_a_feed_clock_set_back_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let mut first = open(&path);
    let mut second = open(&path);
    // The feed's clock says `demo()` is an hour older. The second recorder
    // got it just before the feed moved on, but stamped it a moment after
    // the first recorder stamped the newer one (two busy processes).
    new_info(record(&mut first, &demo(), t(0)));
    new_info(record(&mut first, &demo_with_one_store_moved(), t(10)));
    assert!(matches!(
        record(&mut second, &demo(), t(11)),
        Recorded::Stale(_)
    ));
    let latest = first.latest().unwrap().unwrap();
    assert_eq!(
        latest.generated_at,
        demo_with_one_store_moved().document.generated_at,
        "the latest snapshot is still the newest document"
    );
    // Minutes later it is no late view: the feed went back (a restore).
    new_info(record(&mut second, &demo(), t(10 + 300)));
    assert_eq!(count(&path, "SELECT count(*) FROM snapshots"), 3);
}

#[test]
fn recorded_changes_are_the_change_log_of_every_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open(&db(&dir));
    let mut doc: Document = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    let mut previous: Option<(Snapshot, Analysis)> = None;
    let mut expected = Vec::new();
    let mut first = None;
    // Two conflict cycles: stores move, partners sign, a conflict comes and goes.
    for tick in 0..2 * simulate::CONFLICT_CYCLE {
        simulate::step(&mut doc, tick);
        let snapshot = Snapshot::new(doc.clone());
        let analysis = analysed(&snapshot);
        let received_at = t(tick as i64 * 5);
        let info = new_info(history.record(&snapshot, &analysis, received_at).unwrap());
        first.get_or_insert(info.id);
        if let Some((old, old_analysis)) = &previous {
            for mut change in diff(
                old,
                &old_analysis.findings,
                &snapshot,
                &analysis.findings,
                rollout_dash::i18n::Lang::En,
            ) {
                change.at = received_at;
                expected.push(change);
            }
        }
        previous = Some((snapshot, analysis));
    }
    let last = history.latest().unwrap().unwrap();
    let recorded = history.recorded_changes(first, last.id).unwrap();
    let kinds = |changes: &[rollout_dash::analysis::Change]| {
        let mut kinds: Vec<String> = changes.iter().map(|c| format!("{:?}", c.kind)).collect();
        kinds.sort();
        kinds.dedup();
        kinds
    };
    let got: Vec<_> = recorded.iter().map(|r| r.change.clone()).collect();
    assert!(
        kinds(&expected).len() >= 4,
        "the steps change things: {:?}",
        kinds(&expected)
    );
    assert_eq!(got.len(), expected.len());
    for (got, expected) in got.iter().zip(&expected) {
        assert_eq!(got, expected);
    }
    // Each names its record: a store's id for a store, the key for a finding.
    for change in &recorded {
        if let Some(store) = &change.change.store
            && change.change.kind == rollout_dash::analysis::changes::ChangeKind::StorePhase
        {
            assert_eq!(change.record, store.as_str());
        }
    }
    // `None` starts after the first snapshot; a range of one snapshot is that step.
    assert_eq!(history.recorded_changes(None, last.id).unwrap(), recorded);
    let before_last = history.previous(last.id).unwrap().unwrap();
    let one = history
        .recorded_changes(Some(before_last.id), last.id)
        .unwrap();
    assert!(one.iter().all(|c| c.snapshot == last.id));
}

#[test]
fn retention_prunes_what_only_older_snapshots_need() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let day = Duration::from_secs(86_400);
    let mut history = History::open_file(&path, FEED, 2 * day, Duration::from_secs(5)).unwrap();
    let mut doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    let mut recorded = Vec::new();
    for n in 0..6i64 {
        simulate::step(&mut doc, n as u64);
        let snapshot = Snapshot::new(doc.clone());
        let info = new_info(record(&mut history, &snapshot, t(n * 86_400)));
        recorded.push((info, snapshot));
    }
    let versions_before = count(&path, "SELECT count(*) FROM versions");
    let pruned = history.prune(t(5 * 86_400)).unwrap();
    // Kept: the snapshot that stood at the cutoff (day 3) and the later ones.
    assert_eq!(pruned.snapshots, 3, "{pruned:?}");
    assert!(pruned.versions > 0, "{pruned:?}");
    assert_eq!(
        count(&path, "SELECT count(*) FROM versions"),
        versions_before - pruned.versions as i64
    );
    assert_eq!(history.first().unwrap().unwrap().id, recorded[3].0.id);
    for (info, snapshot) in &recorded[3..] {
        assert_eq!(
            report_json(&history.load(info.id).unwrap()),
            report_json(snapshot)
        );
    }
    assert_eq!(history.at(t(86_400)).unwrap(), None);
    // Nothing more to prune at the same time.
    assert_eq!(history.prune(t(5 * 86_400)).unwrap().snapshots, 0);
}

#[test]
fn two_handles_recording_one_feed_at_once_write_each_snapshot_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let mut snapshots = Vec::new();
    let mut doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    for tick in 0..15 {
        simulate::step(&mut doc, tick);
        snapshots.push(Snapshot::new(doc.clone()));
    }
    let snapshots = std::sync::Arc::new(snapshots);
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let snapshots = snapshots.clone();
            let path = path.clone();
            std::thread::spawn(move || {
                let mut history = open(&path);
                for (n, snapshot) in snapshots.iter().enumerate() {
                    record(&mut history, snapshot, t(n as i64 * 5));
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(count(&path, "SELECT count(*) FROM snapshots"), 15);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM (SELECT 1 FROM versions
             GROUP BY feed, kind, record, appeared_in HAVING count(*) > 1)"
        ),
        0
    );
    let mut history = open(&path);
    let mut info = history.first().unwrap();
    for snapshot in snapshots.iter() {
        let current = info.unwrap();
        assert_eq!(
            report_json(&history.load(current.id).unwrap()),
            report_json(snapshot)
        );
        info = history.next(current.id).unwrap();
    }
}

// ------------------------------------------------------------------ faults

fn open_error(path: &Path) -> HistoryError {
    History::open_file(path, FEED, YEAR, Duration::from_millis(200)).unwrap_err()
}

fn assert_off(error: &HistoryError, words: &str) {
    let text = error.to_string();
    assert!(text.starts_with("history off: "), "{text}");
    assert!(text.contains(words), "{text}");
}

#[test]
fn a_corrupt_file_is_history_off_and_is_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let mut rng = fastrand::Rng::with_seed(42);
    let bytes: Vec<u8> = (0..64 * 1024).map(|_| rng.u8(..)).collect();
    std::fs::write(&path, &bytes).unwrap();
    let error = open_error(&path);
    assert!(matches!(error, HistoryError::Corrupt { .. }), "{error:?}");
    assert_off(&error, "not a usable history database");
    assert_off(&error, &path.display().to_string());
    let read = History::open_file_read_only(&path, FEED, Duration::from_millis(200)).unwrap_err();
    assert!(matches!(read, HistoryError::Corrupt { .. }), "{read:?}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "never overwritten");

    // Another program's SQLite database is not ours either.
    let other = dir.path().join("other.sqlite3");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE notes (text TEXT)")
        .unwrap();
    assert_off(&open_error(&other), "another program's SQLite database");
}

#[test]
fn a_file_from_a_newer_schema_is_refused_and_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    drop(open(&path));
    let newer = schema::VERSION + 1;
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", newer).unwrap();
    drop(conn);
    let error = open_error(&path);
    assert!(
        matches!(error, HistoryError::NewerSchema { found, .. } if found == newer),
        "{error:?}"
    );
    assert_off(&error, "newer rollout-dash");
    let read = History::open_file_read_only(&path, FEED, Duration::from_millis(200)).unwrap_err();
    assert!(matches!(read, HistoryError::NewerSchema { .. }), "{read:?}");
    assert_eq!(count(&path, "PRAGMA user_version"), newer);
}

#[test]
fn a_lock_held_too_long_is_history_off_and_lets_go_when_released() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let mut history = open(&path);
    history
        .set_busy_timeout(Duration::from_millis(200))
        .unwrap();
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder
        .execute_batch("BEGIN EXCLUSIVE; INSERT INTO feeds (url) VALUES ('x');")
        .unwrap();
    let error = history
        .record(&demo(), &analysed(&demo()), t(0))
        .unwrap_err();
    assert!(matches!(error, HistoryError::Locked { .. }), "{error:?}");
    assert_off(&error, "locked by another program");
    holder.execute_batch("ROLLBACK").unwrap();
    new_info(record(&mut history, &demo(), t(1)));
}

#[test]
fn a_special_file_or_a_missing_one_is_history_off_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    assert_off(&open_error(&fifo), "is a FIFO, not a regular file");
    assert_off(&open_error(dir.path()), "is a directory");
    let missing = dir.path().join("nothing-yet.sqlite3");
    let error =
        History::open_file_read_only(&missing, FEED, Duration::from_millis(200)).unwrap_err();
    assert_off(&error, "no history recorded yet");
    assert!(!missing.exists(), "reading never creates the file");
}

#[test]
fn the_config_decides_where_and_whether() {
    let config = HistoryConfig {
        enabled: false,
        ..HistoryConfig::default()
    };
    assert_off(
        &History::open(&config, FEED).unwrap_err(),
        "history.enabled is false",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep/er/history.sqlite3");
    let config = HistoryConfig {
        path: Some(path.clone()),
        ..HistoryConfig::default()
    };
    let mut history = History::open(&config, FEED).unwrap();
    new_info(record(&mut history, &demo(), t(0)));
    assert!(path.exists(), "the directory is created");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal", "readers never wait for the writer");

    // SQLite takes the path as a URI: `?`, `#` and `%` stay part of the name.
    let odd = dir.path().join("we?ird #dir%20").join("h?.sqlite3");
    let mut history = History::open_file(&odd, FEED, YEAR, Duration::from_secs(5)).unwrap();
    let info = new_info(record(&mut history, &demo(), t(0)));
    drop(history);
    assert!(odd.exists(), "{}", odd.display());
    let mut reader = History::open_file_read_only(&odd, FEED, Duration::from_secs(5)).unwrap();
    assert_eq!(
        report_json(&reader.load(info.id).unwrap()),
        report_json(&demo())
    );
}

/// Every row of the history, in order, without the times of day.
fn dump(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut rows = Vec::new();
    for sql in [
        "SELECT id, generated_at, content_hash, layout, data_warnings FROM snapshots ORDER BY id",
        "SELECT id, kind, hex(record), body, appeared_in, left_in FROM versions ORDER BY id",
        "SELECT id, hex(key), severity, label, message, store_at, partner_at, appeared_in, cleared_in
         FROM findings ORDER BY id",
        "SELECT id, hex(body) FROM blobs ORDER BY id",
    ] {
        let mut statement = conn.prepare(sql).unwrap();
        let columns = statement.column_count();
        let mut query = statement.query([]).unwrap();
        while let Some(row) = query.next().unwrap() {
            let values: Vec<String> = (0..columns)
                .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                .collect();
            rows.push(values.join("|"));
        }
    }
    rows
}

#[test]
fn a_handle_that_remembers_what_is_current_writes_what_a_fresh_one_would() {
    let dir = tempfile::tempdir().unwrap();
    let (remembering, fresh) = (dir.path().join("a.sqlite3"), dir.path().join("b.sqlite3"));
    let mut kept = open(&remembering);
    let mut doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    for tick in 0..2 * simulate::CONFLICT_CYCLE {
        simulate::step(&mut doc, tick);
        let snapshot = Snapshot::new(doc.clone());
        let at = t(tick as i64 * 5);
        record(&mut kept, &snapshot, at);
        // Now and then the same snapshot again, as a repeated poll would.
        if tick % 7 == 0 {
            assert!(matches!(
                record(&mut kept, &snapshot, at),
                Recorded::Unchanged(_)
            ));
        }
        record(&mut open(&fresh), &snapshot, at);
    }
    let (a, b) = (dump(&remembering), dump(&fresh));
    assert!(a.len() > 200, "{}", a.len());
    assert_eq!(a, b);
}

#[test]
fn a_file_of_the_first_schema_is_migrated_with_its_findings() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    // A file as the first release wrote it: a snapshot, and a finding that
    // names its stores and partner in the analysis's order.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    let key = r#"["agency_overlap","suzhou",["sz-a","sz-b"],["p-1","p-2"]]"#;
    let feed_key = r#"["feed:w-1",null,[],[]]"#;
    conn.execute_batch(&format!(
        "INSERT INTO feeds (url) VALUES ('{FEED}');
         INSERT INTO snapshots (feed, generated_at, received_at, content_hash, layout, data_warnings)
             VALUES (1, '2024-03-01T08:00:00Z', 0, '0', 0, 0), (1, '2024-03-01T09:00:00Z', 1000, '1', 0, 0);
         INSERT INTO findings (feed, key, severity, label, message, store, partner, appeared_in)
             VALUES (1, CAST('{key}' AS BLOB), 1, 'agency_overlap', 'two partners close',
                     CAST('sz-b' AS BLOB), CAST('p-2' AS BLOB), 2),
                    (1, CAST('{feed_key}' AS BLOB), 0, 'feed:pricing', 'from the feed', NULL, NULL, 2);"
    ))
    .unwrap();
    drop(conn);

    let mut history = open(&path);
    assert_eq!(count(&path, "PRAGMA user_version"), schema::VERSION);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM findings WHERE label IS NULL AND store_at = 1 AND partner_at = 1"
        ),
        1,
        "the rule's label is its id; sz-b and p-2 are second in the key"
    );
    let first = history.first().unwrap().unwrap();
    let changes = history
        .recorded_changes(Some(first.id), SnapshotId(first.id.0 + 1))
        .unwrap();
    let overlap = &changes[0].change;
    assert_eq!(overlap.store.as_ref().map(|s| s.as_str()), Some("sz-b"));
    assert_eq!(overlap.partner.as_ref().map(|p| p.as_str()), Some("p-2"));
    assert_eq!(
        overlap.message,
        "warning agency_overlap appeared: two partners close"
    );
    assert_eq!(
        changes[1].change.message,
        "info feed:pricing appeared: from the feed"
    );
}
