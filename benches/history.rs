//! The history database at national scale: recording a 20,000-store
//! snapshot (the first one, then one with 1 % of the stores changed, then
//! one unchanged; each by a handle that recorded the snapshot before, and
//! by a fresh one), `report --at` at 20,000 stores (rebuild, analyse, JSON),
//! the dashboard's `[` at 20,000 stores (find the snapshot before, load,
//! analyse, and the first frame at 120x40 showing it), and the size of the file after a day of `serve --simulate` and after 100
//! days of 20,000 stores with 1 % changing a day.
//!
//! ```sh
//! cargo bench --bench history -- --warm-up-time 1 --measurement-time 5
//! cargo bench --bench history -- size        # the sizes only (about a minute)
//! cargo bench --bench history -- 'record|report_at'   # the timings only
//! cargo bench --bench history -- step_back           # `[` in the dashboard
//! ```
//!
//! The sizes are printed (criterion measures time, not bytes); they run
//! when no filter is given or the filter matches `history/size`. Speed and
//! size are shown here, never asserted in tests.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use criterion::{BatchSize, Criterion};
use rollout_dash::analysis::Analysis;
use rollout_dash::analysis::RulesConfig;
use rollout_dash::app::{App, Msg, update};
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::server::SYNTHETIC_SEED;
use rollout_dash::feed::simulate;
use rollout_dash::feed::snapshot::{Snapshot, parse_document};
use rollout_dash::feed::synthetic;
use rollout_dash::feed::wire::{Document, Phase};
use rollout_dash::history::{History, Recorded};
use rollout_dash::report::Report;
use rollout_dash::worker::history::{self as live, HistoryEvent};
use rollout_dash::worker::{FeedEvent, Fresh};

const FEED: &str = "http://127.0.0.1:8080/v1/snapshot";
const YEAR: Duration = Duration::from_secs(365 * 86_400);
const STORES: usize = 20_000;
/// 1 % of 20,000.
const CHANGED_PER_DAY: usize = 200;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 8, 0, 0).unwrap()
}

fn open(path: &Path) -> History {
    History::open_file(path, FEED, YEAR, Duration::from_secs(30)).expect("the history opens")
}

/// Moves `CHANGED_PER_DAY` distinct stores on (a few percent of build-out,
/// the phase that percent belongs to, today's `updated_at`) and the feed's
/// clock a day on.
fn next_day(doc: &mut Document, day: u64) {
    let mut rng = fastrand::Rng::with_seed(day);
    doc.generated_at += chrono::Duration::days(1);
    let now = doc.generated_at;
    // Ordered, so that each day's changes are the same on every run.
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
        renovation.updated_at = Some(now);
    }
}

fn analysed(doc: &Document) -> (Snapshot, Analysis) {
    let snapshot = Snapshot::new(doc.clone());
    let analysis = Analysis::of(&snapshot, &RulesConfig::default());
    (snapshot, analysis)
}

/// The file's size with its WAL folded in, in MB (10^6 bytes).
fn size_mb(path: &Path) -> f64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let wal = path.with_extension("sqlite3-wal");
    let bytes = std::fs::metadata(path).unwrap().len()
        + std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    bytes as f64 / 1e6
}

fn rows(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    ["snapshots", "versions", "findings", "blobs"]
        .iter()
        .map(|table| {
            let n: i64 = conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                    row.get(0)
                })
                .unwrap();
            format!("{n} {table}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A day of `serve --simulate` (a step every 3 s) as a recorder polling
/// every 5 s sees it: 17,280 polls, each the simulation as it stands then.
fn size_of_a_simulated_day() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let mut history = open(&path);
    let mut doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    let mut steps = 0u64;
    let mut new = 0usize;
    let began = Instant::now();
    for poll in 0..(86_400 / 5) {
        let now = poll * 5;
        while steps < now / 3 {
            simulate::step(&mut doc, steps);
            steps += 1;
        }
        let (snapshot, analysis) = analysed(&doc);
        let at = start() + chrono::Duration::seconds(now as i64);
        if let Recorded::New { .. } = history.record(&snapshot, &analysis, at).unwrap() {
            new += 1;
        }
    }
    drop(history);
    println!(
        "history/size/simulate_day: {:.1} MB after {} polls, {steps} simulated steps, {new} new snapshots ({}); {:.0} s to drive",
        size_mb(&path),
        86_400 / 5,
        rows(&path),
        began.elapsed().as_secs_f64()
    );
}

/// 100 days of 20,000 stores, 1 % of them changing a day, one snapshot a day.
fn size_of_100_days_at_20k() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let mut history = open(&path);
    let mut doc = synthetic::generate(STORES, SYNTHETIC_SEED);
    let began = Instant::now();
    let mut first_day = 0.0;
    for day in 0..100u64 {
        if day > 0 {
            next_day(&mut doc, day);
        }
        let (snapshot, analysis) = analysed(&doc);
        let at = start() + chrono::Duration::days(day as i64);
        history.record(&snapshot, &analysis, at).unwrap();
        if day == 0 {
            drop(history);
            first_day = size_mb(&path);
            history = open(&path);
        }
    }
    drop(history);
    println!(
        "history/size/100_days_20k: {:.1} MB ({first_day:.1} MB after the first day; {}); {:.0} s to drive",
        size_mb(&path),
        rows(&path),
        began.elapsed().as_secs_f64()
    );
}

/// Whether the command line's filter (if any) selects `name`: criterion
/// takes one filter, a regex; its `a|b` alternatives are understood here,
/// as substrings.
fn selected(name: &str) -> bool {
    // Criterion's flags that take a value.
    const VALUED: [&str; 8] = [
        "--warm-up-time",
        "--measurement-time",
        "--sample-size",
        "--save-baseline",
        "--baseline",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
    ];
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filter = args.iter().enumerate().find_map(|(i, arg)| {
        let after_flag = i > 0 && VALUED.contains(&args[i - 1].as_str());
        (!arg.starts_with('-') && !after_flag).then_some(arg)
    });
    filter.is_none_or(|filter| filter.split('|').any(|part| name.contains(part)))
}

fn record(c: &mut Criterion) {
    let mut doc = synthetic::generate(STORES, SYNTHETIC_SEED);
    let (first, first_analysis) = analysed(&doc);
    next_day(&mut doc, 1);
    let (changed, changed_analysis) = analysed(&doc);
    let dir = tempfile::tempdir().unwrap();
    let prepared = dir.path().join("prepared.sqlite3");
    {
        let mut history = open(&prepared);
        history
            .record(&first, &first_analysis, start())
            .expect("recorded");
    }
    // Fold the WAL in, so that a copy of the file alone is the whole history.
    size_mb(&prepared);
    let copy = || {
        let path = dir
            .path()
            .join(format!("copy-{}.sqlite3", fastrand::u64(..)));
        std::fs::copy(&prepared, &path).unwrap();
        open(&path)
    };

    let mut group = c.benchmark_group("history/record/20k");
    group.sample_size(10);
    group.bench_function("first", |b| {
        b.iter_batched(
            || {
                let path = dir
                    .path()
                    .join(format!("first-{}.sqlite3", fastrand::u64(..)));
                open(&path)
            },
            |mut history| {
                black_box(history.record(&first, &first_analysis, start()).unwrap());
                history
            },
            BatchSize::PerIteration,
        );
    });
    // Warm: the handle recorded the snapshot before (the recorder's and
    // the dashboard's steady state). Cold: a fresh handle, or another
    // process recorded the one before, so what is current is read back.
    let warm = || {
        let mut history = copy();
        let recorded = history.record(&first, &first_analysis, start()).unwrap();
        assert!(matches!(recorded, Recorded::Unchanged(_)));
        history
    };
    let changed_at = start() + chrono::Duration::days(1);
    for (name, setup) in [
        ("1pct_changed", &warm as &dyn Fn() -> History),
        ("1pct_changed_cold", &copy),
    ] {
        group.bench_function(name, |b| {
            b.iter_batched(
                setup,
                |mut history| {
                    let recorded = history
                        .record(&changed, &changed_analysis, changed_at)
                        .unwrap();
                    assert!(matches!(recorded, Recorded::New { .. }));
                    history
                },
                BatchSize::PerIteration,
            );
        });
    }
    for (name, setup) in [
        ("unchanged", &warm as &dyn Fn() -> History),
        ("unchanged_cold", &copy),
    ] {
        group.bench_function(name, |b| {
            b.iter_batched(
                setup,
                |mut history| {
                    let recorded = history.record(&first, &first_analysis, start()).unwrap();
                    assert!(matches!(recorded, Recorded::Unchanged(_)));
                    history
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();

    let mut history = copy();
    let id = history.latest().unwrap().unwrap().id;
    let mut group = c.benchmark_group("history/report_at/20k");
    group.sample_size(10);
    group.bench_function("rebuild", |b| {
        b.iter(|| black_box(history.load(id).unwrap()));
    });
    group.bench_function("rebuild_analyse_json", |b| {
        b.iter(|| {
            let snapshot = history.load(id).unwrap();
            let analysis = Analysis::of(&snapshot, &RulesConfig::default());
            let report = Report::new(FEED, &snapshot, &analysis);
            serde_json::to_writer(std::io::sink(), &report).unwrap();
        });
    });
    group.finish();
}

/// `[` in the dashboard at 20,000 stores: the live snapshot on screen (the
/// second day), the first day recorded before it.
fn step_back(c: &mut Criterion) {
    let mut doc = synthetic::generate(STORES, SYNTHETIC_SEED);
    let (first, first_analysis) = analysed(&doc);
    next_day(&mut doc, 1);
    let (changed, changed_analysis) = analysed(&doc);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let mut history = open(&path);
    history
        .record(&first, &first_analysis, start())
        .expect("recorded");
    let live_at = start() + chrono::Duration::days(1);
    let live = history
        .record(&changed, &changed_analysis, live_at)
        .expect("recorded");
    let Recorded::New {
        snapshot: live_info,
        ..
    } = live
    else {
        panic!("not recorded: {live:?}");
    };
    let live = Fresh::new(
        std::sync::Arc::new(changed),
        std::sync::Arc::new(changed_analysis),
        live_at,
    );
    let rules = RulesConfig::default();
    // The dashboard as it is before `[`: live, its panes built, drawn once.
    let on_screen = || {
        let mut app = App::new(FEED.into(), false, Default::default(), live_at);
        update(
            &mut app,
            Msg::Feed(FeedEvent::Fresh {
                fresh: live.clone(),
                changes: Vec::new(),
            }),
        );
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        terminal
            .draw(|frame| rollout_dash::ui::view(&app, frame))
            .unwrap();
        (app, terminal)
    };

    let clock = step_clock();
    let mut group = c.benchmark_group("history/step_back/20k");
    group.sample_size(10);
    group.bench_function("load", |b| {
        b.iter_custom(|iters| {
            let started = clock();
            for _ in 0..iters {
                let before = history.previous(live_info.id).unwrap().unwrap();
                black_box(history.load(before.id).unwrap());
            }
            clock() - started
        });
    });
    group.bench_function("load_analyse", |b| {
        b.iter_custom(|iters| {
            let started = clock();
            for _ in 0..iters {
                let before = history.previous(live_info.id).unwrap().unwrap();
                black_box(live::load(&mut history, &before, &rules).unwrap());
            }
            clock() - started
        });
    });
    // What the user waits for: the worker's load and analysis, then the
    // update (the panes rebuilt for the past snapshot) and the frame.
    group.bench_function("to_the_frame_120x40", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (mut app, mut terminal) = on_screen();
                let started = clock();
                let before = history.previous(live_info.id).unwrap().unwrap();
                let past = live::load(&mut history, &before, &rules).unwrap();
                update(&mut app, Msg::History(HistoryEvent::Past(Box::new(past))));
                terminal
                    .draw(|frame| rollout_dash::ui::view(&app, frame))
                    .unwrap();
                total += clock() - started;
            }
            total
        });
    });
    group.finish();
}

/// The clock the steps are timed by: the wall clock, or with
/// `BENCH_CLOCK=cpu` the CPU time of the whole process (all its threads),
/// which other work on a shared machine does not move (as in
/// benches/pipeline.rs).
fn step_clock() -> fn() -> Duration {
    fn wall() -> Duration {
        static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
        START.get_or_init(Instant::now).elapsed()
    }
    fn cpu() -> Duration {
        let mut time = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one timespec, which `time` is.
        let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut time) };
        assert_eq!(status, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
        Duration::new(time.tv_sec as u64, time.tv_nsec as u32)
    }
    match std::env::var("BENCH_CLOCK").as_deref() {
        Ok("cpu") => cpu,
        Ok("wall") | Err(_) => wall,
        Ok(other) => panic!("BENCH_CLOCK is {other:?}: wall or cpu"),
    }
}

fn main() {
    if selected("history/size/simulate_day") {
        size_of_a_simulated_day();
    }
    if selected("history/size/100_days_20k") {
        size_of_100_days_at_20k();
    }
    let timed = [
        "history/record/20k/first",
        "history/record/20k/1pct_changed",
        "history/record/20k/1pct_changed_cold",
        "history/record/20k/unchanged",
        "history/record/20k/unchanged_cold",
        "history/report_at/20k/rebuild",
        "history/report_at/20k/rebuild_analyse_json",
    ];
    let steps = [
        "history/step_back/20k/load",
        "history/step_back/20k/load_analyse",
        "history/step_back/20k/to_the_frame_120x40",
    ];
    let mut criterion = Criterion::default().configure_from_args();
    if timed.iter().any(|name| selected(name)) {
        record(&mut criterion);
    }
    if steps.iter().any(|name| selected(name)) {
        step_back(&mut criterion);
    }
    criterion.final_summary();
}
