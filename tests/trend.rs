//! Trends and plan versus actual: the per-city figures the history keeps
//! (real SQLite files in temp dirs), the series read back, the `p` key, and
//! the cities pane, city chart and plan view rendered.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use rollout_dash::analysis::Analysis;
use rollout_dash::config::RulesConfig;
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::snapshot::{Snapshot, parse_document};
use rollout_dash::feed::wire::Phase;
use rollout_dash::history::trend::{BACKFILL_POINTS, TrendReport};
use rollout_dash::history::{History, Recorded};

const FEED: &str = "http://127.0.0.1:8080/v1/snapshot";
const YEAR: Duration = Duration::from_secs(365 * 86_400);

fn t(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 2, 20, 8, 0, 0).unwrap() + chrono::Duration::hours(hours)
}

fn db(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("history.sqlite3")
}

fn open(path: &Path) -> History {
    History::open_file(path, FEED, YEAR, Duration::from_secs(5)).expect("the history opens")
}

fn count(path: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(sql, [], |row| row.get(0)).unwrap()
}

/// The demo `hours` after its own time, with the first `opened` stores of
/// Chengdu that are not open yet opened.
fn demo(hours: i64, opened: usize) -> Snapshot {
    let mut doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    doc.generated_at += chrono::Duration::hours(hours);
    for store in doc
        .stores
        .iter_mut()
        .filter(|s| s.city.as_str() == "chengdu" && s.renovation.phase != Phase::Open)
        .take(opened)
    {
        store.renovation.phase = Phase::Open;
        store.renovation.percent = 100.0;
    }
    Snapshot::new(doc)
}

fn record(history: &mut History, snapshot: &Snapshot, at: DateTime<Utc>) {
    let analysis = Analysis::of(snapshot, &RulesConfig::default());
    let recorded = history.record(snapshot, &analysis, at).unwrap();
    assert!(matches!(recorded, Recorded::New { .. }), "{recorded:?}");
}

#[test]
fn a_snapshot_writes_the_figures_of_the_cities_that_changed_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let mut history = open(&path);
    let first = demo(0, 0);
    record(&mut history, &first, t(0));
    let cities = first.document.cities.len() as i64;
    // The programme and every city.
    assert_eq!(count(&path, "SELECT count(*) FROM trend"), 1 + cities);
    record(&mut history, &demo(1, 1), t(1));
    // Chengdu and the programme changed; no other city did.
    assert_eq!(count(&path, "SELECT count(*) FROM trend"), 1 + cities + 2);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM trend WHERE city = CAST('chengdu' AS BLOB)"
        ),
        2
    );
}

#[test]
fn the_series_give_each_city_its_figures_at_every_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let mut history = open(&path);
    for (hour, opened) in [(0, 0), (1, 1), (2, 2), (3, 2)] {
        // Hour 3 moves the clock only: a snapshot, no figure changed.
        record(&mut history, &demo(hour, opened), t(hour));
    }
    let trends = history
        .trends(&["chengdu", "beijing", "atlantis"], t(-24), 100)
        .unwrap();
    let chengdu: Vec<(DateTime<Utc>, u32, u32)> = trends
        .city("chengdu")
        .iter()
        .map(|p| (p.at, p.stores_open, p.stores_total))
        .collect();
    assert_eq!(
        chengdu,
        vec![(t(0), 1, 6), (t(1), 2, 6), (t(2), 3, 6), (t(3), 3, 6)]
    );
    let percent: Vec<f64> = trends
        .city("chengdu")
        .iter()
        .map(|p| p.avg_percent.round())
        .collect();
    // (58 + 66 + 8 + 21 + 100 + 82) / 6 = 56, then a 58 opened, then a 66.
    assert_eq!(percent, vec![56.0, 63.0, 69.0, 69.0]);
    assert!(trends.city("beijing").iter().all(|p| p.stores_open == 2));
    assert_eq!(trends.city("beijing").len(), 4);
    assert!(trends.city("atlantis").is_empty());
    let program: Vec<u32> = trends.program.iter().map(|p| p.stores_open).collect();
    assert_eq!(program, vec![14, 15, 16, 16]);
    // Only what was received since: the last two.
    let recent = history.trends(&["chengdu"], t(2), 100).unwrap();
    assert_eq!(recent.city("chengdu").len(), 2);
    assert_eq!(recent.program[0].at, t(2));
}

#[test]
fn a_long_history_is_read_down_sampled_to_the_points_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let mut history = open(&path);
    // 60 snapshots, an hour apart; Chengdu opens a store every ten hours.
    for hour in 0..60 {
        record(&mut history, &demo(hour, (hour / 10) as usize), t(hour));
    }
    let trends = history.trends(&["chengdu"], t(0), 12).unwrap();
    let points = trends.city("chengdu");
    assert!(points.len() <= 12 && points.len() >= 10, "{}", points.len());
    // The last point is the latest snapshot; the first is near the start.
    assert_eq!(points.last().unwrap().at, t(59));
    assert_eq!(points.last().unwrap().stores_open, 1 + 5);
    assert!(points[0].at <= t(5));
    assert!(points.windows(2).all(|w| w[0].at < w[1].at));
    // Each point holds the figures of its own snapshot.
    for point in points {
        let hour = (point.at - t(0)).num_hours();
        assert_eq!(point.stores_open as i64, 1 + (hour / 10), "at hour {hour}");
    }
}

#[test]
fn pruning_keeps_the_figures_that_still_stand_at_the_oldest_snapshot_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let day = Duration::from_secs(86_400);
    let mut history = History::open_file(&path, FEED, day, Duration::from_secs(5)).unwrap();
    for (hour, opened) in [(0, 0), (1, 1), (2, 2), (30, 3)] {
        record(&mut history, &demo(hour, opened), t(hour));
    }
    let before = count(&path, "SELECT count(*) FROM trend");
    // A day before hour 30 stood the snapshot of hour 2: hours 0 and 1 go.
    history.prune(t(30)).unwrap();
    assert_eq!(count(&path, "SELECT count(*) FROM snapshots"), 2);
    // Chengdu's and the programme's rows of hours 0 and 1 were replaced by
    // hour 2's; every other city's row of hour 0 still stands.
    assert_eq!(count(&path, "SELECT count(*) FROM trend"), before - 4);
    let trends = history
        .trends(&["chengdu", "beijing"], t(-24), 100)
        .unwrap();
    let chengdu: Vec<u32> = trends
        .city("chengdu")
        .iter()
        .map(|p| p.stores_open)
        .collect();
    assert_eq!(chengdu, vec![3, 4]);
    assert_eq!(trends.city("beijing").len(), 2);
}

#[test]
fn snapshots_recorded_before_the_trend_table_are_summed_up_on_first_use_a_bounded_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    {
        let mut history = open(&path);
        for hour in 0..40 {
            record(&mut history, &demo(hour, (hour / 10) as usize), t(hour));
        }
    }
    // Make it a file of schema version 2, as an older rollout-dash left it.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("DROP TABLE trend; PRAGMA user_version = 2;")
            .unwrap();
    }
    let mut history = open(&path);
    assert_eq!(count(&path, "PRAGMA user_version"), 3);
    assert!(
        history
            .trends(&["chengdu"], t(0), 100)
            .unwrap()
            .program
            .is_empty()
    );
    let summed = history.backfill_trends(BACKFILL_POINTS).unwrap();
    assert_eq!(summed, BACKFILL_POINTS);
    assert_eq!(
        count(&path, "SELECT count(DISTINCT snapshot) FROM trend"),
        BACKFILL_POINTS as i64
    );
    // Done once: the oldest snapshot has its figures now.
    assert_eq!(history.backfill_trends(BACKFILL_POINTS).unwrap(), 0);
    let trends = history.trends(&["chengdu"], t(0), 100).unwrap();
    let points = trends.city("chengdu");
    assert_eq!(points.first().unwrap().at, t(0));
    assert_eq!(points.first().unwrap().stores_open, 1);
    assert_eq!(points.last().unwrap().at, t(39));
    assert_eq!(points.last().unwrap().stores_open, 4);
    // A snapshot recorded now adds to the summed-up figures.
    record(&mut history, &demo(40, 4), t(40));
    let trends = history.trends(&["chengdu"], t(0), 100).unwrap();
    assert_eq!(trends.city("chengdu").last().unwrap().stores_open, 5);
}

#[test]
fn the_report_adds_the_live_snapshot_and_says_why_history_is_off() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let mut history = open(&path);
    for (hour, opened) in [(0, 0), (24, 1)] {
        record(&mut history, &demo(hour, opened), t(hour));
    }
    // The live snapshot, not recorded (yet).
    let live = demo(48, 2);
    let analysis = Analysis::of(&live, &RulesConfig::default());
    let report = TrendReport::make(Ok(&mut history), &live, &analysis, t(48));
    assert_eq!(report.history_off, None);
    let open: Vec<u32> = report
        .trends
        .city("chengdu")
        .iter()
        .map(|p| p.stores_open)
        .collect();
    assert_eq!(open, vec![1, 2, 3]);
    let chengdu = report.plan.of(Some("chengdu")).unwrap();
    let actual: Vec<Option<usize>> = chengdu
        .days
        .iter()
        .filter(|d| d.actual.is_some())
        .map(|d| d.actual)
        .collect();
    assert_eq!(actual, vec![Some(1), Some(2), Some(3)]);
    assert_eq!(chengdu.open, 3);

    // No history: the live point alone, and the reason.
    let broken = dir.path().join("not-a-db.sqlite3");
    std::fs::write(&broken, b"this is not SQLite, just text of some length").unwrap();
    let error = History::open_file(&broken, FEED, YEAR, Duration::from_secs(1)).unwrap_err();
    let report = TrendReport::make(Err(&error), &live, &analysis, t(48));
    let reason = report.history_off.expect("history is off");
    assert!(reason.contains("not-a-db.sqlite3"), "{reason}");
    assert_eq!(report.trends.city("chengdu").len(), 1);
    assert_eq!(report.plan.of(Some("chengdu")).unwrap().open, 3);
}
