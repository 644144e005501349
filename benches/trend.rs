//! Trends at national scale: 100 days of 20,000 stores (one snapshot a
//! day, 1 % of the stores moving on each day) recorded, then the series of
//! every city read back (`History::trends`, 160 points at most), and the
//! whole report the dashboard's trend worker makes (the series, the live
//! point, plan versus actual for every city). Also prints the rows and bytes
//! the `trend` table adds to the file.
//!
//! ```sh
//! cargo bench --bench trend -- --warm-up-time 1 --measurement-time 2
//! ```
//!
//! Speed and size are shown here, never asserted in tests.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use criterion::Criterion;
use rollout_dash::analysis::Analysis;
use rollout_dash::analysis::RulesConfig;
use rollout_dash::feed::server::SYNTHETIC_SEED;
use rollout_dash::feed::simulate;
use rollout_dash::feed::snapshot::Snapshot;
use rollout_dash::feed::synthetic;
use rollout_dash::feed::wire::{Document, Phase};
use rollout_dash::history::History;
use rollout_dash::history::trend::{MAX_POINTS, TrendReport};

const FEED: &str = "http://127.0.0.1:8080/v1/snapshot";
const YEAR: Duration = Duration::from_secs(365 * 86_400);
const STORES: usize = 20_000;
const DAYS: u64 = 100;
/// 1 % of 20,000.
const CHANGED_PER_DAY: usize = 200;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 8, 0, 0).unwrap()
}

/// Moves `CHANGED_PER_DAY` stores on and the feed's clock a day on (as
/// `benches/history.rs` does).
fn next_day(doc: &mut Document, day: u64) {
    let mut rng = fastrand::Rng::with_seed(day);
    doc.generated_at += chrono::Duration::days(1);
    let mut picked = std::collections::BTreeSet::new();
    while picked.len() < CHANGED_PER_DAY.min(doc.stores.len()) {
        picked.insert(rng.usize(..doc.stores.len()));
    }
    for i in picked {
        let renovation = &mut doc.stores[i].renovation;
        if renovation.phase != Phase::Open && renovation.percent.is_finite() {
            let next = (renovation.percent.round() + f64::from(rng.u8(1..=10))).min(100.0);
            renovation.percent = if next >= 99.0 { 100.0 } else { next };
            renovation.phase = simulate::phase_for(renovation.percent);
        }
    }
}

fn bytes(path: &Path) -> u64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    std::fs::metadata(path).unwrap().len()
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let mut history = History::open_file(&path, FEED, YEAR, Duration::from_secs(30)).unwrap();
    let mut doc = synthetic::generate(STORES, SYNTHETIC_SEED);
    doc.generated_at = start();
    let mut last = None;
    for day in 0..DAYS {
        if day > 0 {
            next_day(&mut doc, day);
        }
        let snapshot = Snapshot::new(doc.clone());
        let analysis = Analysis::of(&snapshot, &RulesConfig::default());
        let at = start() + chrono::Duration::days(day as i64);
        history.record(&snapshot, &analysis, at).unwrap();
        last = Some((snapshot, analysis, at));
    }
    let (snapshot, analysis, at) = last.unwrap();
    let cities: Vec<&str> = snapshot.cities().map(|c| c.id.as_str()).collect();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM trend", [], |row| row.get(0))
            .unwrap();
        let with = bytes(&path);
        let copy = dir.path().join("without.sqlite3");
        std::fs::copy(&path, &copy).unwrap();
        let conn = rusqlite::Connection::open(&copy).unwrap();
        conn.execute_batch("DROP TABLE trend; VACUUM;").unwrap();
        drop(conn);
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("VACUUM;").unwrap();
        drop(conn);
        let with_vacuumed = bytes(&path);
        let without = bytes(&copy);
        println!(
            "trend: {} cities, {DAYS} days: {rows} trend rows; file {:.1} MB ({:.1} MB vacuumed), {:.2} MB of it the trend table",
            cities.len(),
            with as f64 / 1e6,
            with_vacuumed as f64 / 1e6,
            (with_vacuumed - without) as f64 / 1e6,
        );
    }
    let since = at - chrono::Duration::days(90);
    let mut group = criterion.benchmark_group("trend");
    group.bench_function("series of every city, 100 days of 20k stores", |b| {
        b.iter(|| black_box(history.trends(&cities, since, MAX_POINTS).unwrap()))
    });
    group.bench_function(
        "trend report (series, live point, plan of every city)",
        |b| {
            b.iter(|| {
                black_box(TrendReport::make(
                    Ok(&mut history),
                    &snapshot,
                    &analysis,
                    at,
                ))
            })
        },
    );
    group.finish();
    criterion.final_summary();
}
