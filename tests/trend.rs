//! Trends and plan versus actual: the per-city figures the history keeps
//! (real SQLite files in temp dirs), the series read back, the `p` key, and
//! the cities pane, city chart and plan view rendered.

mod common;

use common::render;

use common::pty::Dashboard;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use rollout_dash::analysis::Analysis;
use rollout_dash::analysis::RulesConfig;
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::snapshot::{Snapshot, parse_document};
use rollout_dash::feed::wire::Phase;
use rollout_dash::history::trend::{BACKFILL_POINTS, TrendReport};
use rollout_dash::history::{History, Recorded};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rollout_dash::analysis::plan::Gap;
use rollout_dash::app::{App, Command, Display, Msg, Route, Screen, update};
use rollout_dash::feed::wire::{CityId, PartnerId, RawId};
use rollout_dash::ui;
use rollout_dash::worker::PollerCommand;

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

/// The demo with Chengdu's first design store at `percent`.
fn demo_at_percent(hours: i64, percent: f64) -> Snapshot {
    let mut doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    doc.generated_at += chrono::Duration::hours(hours);
    let store = doc
        .stores
        .iter_mut()
        .find(|s| s.city.as_str() == "chengdu" && s.renovation.phase == Phase::Design)
        .unwrap();
    store.renovation.percent = percent;
    Snapshot::new(doc)
}

#[test]
fn a_city_that_changes_at_every_snapshot_reads_the_same_as_a_quiet_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open(&db(&dir));
    for hour in 0..60 {
        record(&mut history, &demo_at_percent(hour, hour as f64), t(hour));
    }
    // Chengdu: (58 + 66 + 8 + h + 100 + 82) / 6; Beijing never changes.
    let expected = |at: DateTime<Utc>| (314.0 + (at - t(0)).num_hours() as f64) / 6.0;
    // Few points: more changes than points, looked up point by point;
    // many points: the changes read in one go.
    for max_points in [5, 100] {
        let trends = history
            .trends(&["chengdu", "beijing"], t(0), max_points)
            .unwrap();
        let chengdu = trends.city("chengdu");
        assert!(chengdu.len() <= max_points && chengdu.len() >= max_points.min(60) - 1);
        for point in chengdu {
            assert!(
                (point.avg_percent - expected(point.at)).abs() < 1e-9,
                "{max_points} points: {point:?}"
            );
        }
        assert_eq!(chengdu.last().unwrap().at, t(59));
        assert_eq!(trends.city("beijing").len(), chengdu.len());
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
    // Make it a file of the schema before the trend table, as an older
    // rollout-dash left it.
    let before = rollout_dash::history::schema::VERSION - 1;
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "DROP TABLE trend; PRAGMA user_version = {before};"
        ))
        .unwrap();
    }
    // Read only, it is not migrated: no trend, and no error either.
    let mut reader = History::open_file_read_only(&path, FEED, Duration::from_secs(5)).unwrap();
    assert_eq!(
        reader.trends(&["chengdu"], t(0), 100).unwrap(),
        Default::default()
    );
    assert_eq!(reader.backfill_trends(BACKFILL_POINTS).unwrap(), 0);
    let mut history = open(&path);
    assert_eq!(count(&path, "PRAGMA user_version"), before + 1);
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

    // The live snapshot recorded (times kept to the millisecond): still
    // one point for it, not two.
    let precise = t(48) + chrono::Duration::nanoseconds(123_456_789);
    record(&mut history, &live, precise);
    let report = TrendReport::make(Ok(&mut history), &live, &analysis, precise);
    assert_eq!(report.trends.city("chengdu").len(), 3);

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

// ---- The dashboard: the `p` key, the report as a Msg, and rendered frames.

fn press(app: &mut App, code: KeyCode) -> Option<Command> {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn city(id: &str) -> CityId {
    CityId(RawId::from(id.to_owned()))
}

fn render_buffer(app: &App, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::view(app, frame)).unwrap();
    terminal.backend().buffer().clone()
}

/// The demo `days` before its own time, with the first `closed` open
/// stores of every city not open yet (at 80 %): the further back, the
/// fewer open.
fn past(days: i64, closed: usize) -> Snapshot {
    let mut doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    doc.generated_at -= chrono::Duration::days(days);
    let mut per_city: std::collections::HashMap<String, usize> = Default::default();
    for store in doc.stores.iter_mut() {
        if store.renovation.phase != Phase::Open {
            continue;
        }
        let seen = per_city.entry(store.city.as_str().to_owned()).or_default();
        if *seen < closed {
            store.renovation.phase = Phase::FitOut;
            store.renovation.percent = 80.0;
        }
        *seen += 1;
    }
    Snapshot::new(doc)
}

/// The demo dashboard with a trend report made from a history of three
/// earlier days (one store a city fewer open each day back).
fn trend_app(dir: &tempfile::TempDir) -> App {
    let mut app = common::demo_app();
    let mut history = open(&db(dir));
    let live_at = app.current.as_ref().unwrap().received_at;
    for days in [3, 2, 1] {
        let at = live_at - chrono::Duration::days(days);
        record(&mut history, &past(days, days as usize), at);
    }
    let fresh = app.current.clone().unwrap();
    let report = TrendReport::make(Ok(&mut history), &fresh.snapshot, &fresh.analysis, live_at);
    update(&mut app, Msg::Trend(Box::new(report)));
    app
}

#[test]
fn p_opens_the_plan_of_the_programme_or_of_the_city_and_p_again_goes_back() {
    let mut app = common::demo_app();
    assert_eq!(press(&mut app, KeyCode::Char('p')), None);
    assert_eq!(app.route(), &Route::Plan(None));
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(app.route(), &Route::Overview);
    // From a city: that city's plan; Esc back to the city.
    app.routes.push(Screen::new(Route::City(city("chengdu"))));
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(app.route(), &Route::Plan(Some(city("chengdu"))));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.route(), &Route::City(city("chengdu")));
    // From a partner it says where it works, and stays.
    app.routes
        .push(Screen::new(Route::Partner(PartnerId(RawId::from(
            "x".to_owned(),
        )))));
    press(&mut app, KeyCode::Char('p'));
    assert!(matches!(app.route(), Route::Partner(_)));
    assert!(
        app.notice
            .as_deref()
            .unwrap()
            .contains("overview or a city")
    );
    // Pausing moved to P.
    assert_eq!(
        press(&mut app, KeyCode::Char('P')),
        Some(Command::Poller(PollerCommand::Pause(true)))
    );
    assert!(app.status.paused);
}

#[test]
fn on_the_programme_plan_j_moves_over_the_cities_and_enter_opens_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = trend_app(&dir);
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.screen().cursor, 2);
    press(&mut app, KeyCode::Enter);
    let third = app.current.as_ref().unwrap().snapshot.document.cities[2]
        .id
        .clone();
    assert_eq!(app.route(), &Route::City(third));
}

#[test]
fn an_older_trend_report_never_replaces_a_newer_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = trend_app(&dir);
    let newer = app.trend.clone().unwrap();
    let mut older = newer.clone();
    older.received_at -= chrono::Duration::seconds(5);
    older.history_off = Some("older".into());
    update(&mut app, Msg::Trend(Box::new(older)));
    assert_eq!(app.trend.as_ref(), Some(&newer));
}

#[test]
fn the_cities_pane_shows_sparklines_at_80x24_and_120x40() {
    let dir = tempfile::tempdir().unwrap();
    let app = trend_app(&dir);
    let small = render(&app, 80, 24);
    assert!(small.contains("Trend"), "{small}");
    assert!(small.contains('▁') && small.contains('█'), "{small}");
    insta::assert_snapshot!("trend_cities_80x24", small);
    insta::assert_snapshot!("trend_cities_120x40", render(&app, 120, 40));
}

#[test]
fn sparklines_give_way_before_any_number_and_draw_nothing_with_one_point() {
    let dir = tempfile::tempdir().unwrap();
    let app = trend_app(&dir);
    // At the narrowest screen the figures stay and the trend goes.
    let narrow = render(&app, 60, 24);
    assert!(!narrow.contains("Trend"), "{narrow}");
    assert_eq!(narrow, render(&common::demo_app(), 60, 24));
    // One point (no history): no column, no stray mark.
    let mut alone = common::demo_app();
    let fresh = alone.current.clone().unwrap();
    let error = rollout_dash::history::HistoryError::Disabled;
    let report = TrendReport::make(
        Err(&error),
        &fresh.snapshot,
        &fresh.analysis,
        fresh.received_at,
    );
    update(&mut alone, Msg::Trend(Box::new(report)));
    for (width, height) in [(80, 24), (120, 40)] {
        assert_eq!(
            render(&alone, width, height),
            render(&common::demo_app(), width, height)
        );
    }
}

#[test]
fn ascii_mode_draws_the_trend_in_ascii() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = trend_app(&dir);
    app.display = Display {
        ascii: true,
        mono: false,
        ..Display::default()
    };
    for route in [
        Route::Overview,
        Route::City(city("chengdu")),
        Route::Plan(None),
        Route::Plan(Some(city("chengdu"))),
    ] {
        app.routes = vec![Screen::new(Route::Overview)];
        if route != Route::Overview {
            app.routes.push(Screen::new(route.clone()));
        }
        for (width, height) in [(80, 24), (120, 40)] {
            let frame = render(&app, width, height);
            assert!(frame.is_ascii(), "{route:?} at {width}x{height}:\n{frame}");
            // Nothing left for the last guard of ASCII mode to turn into `?`.
            assert_eq!(
                frame.matches('?').count(),
                frame.matches("? help").count(),
                "{route:?} at {width}x{height}:\n{frame}"
            );
        }
    }
    app.routes = vec![Screen::new(Route::Overview)];
    let frame = render(&app, 80, 24);
    assert!(frame.contains("Trend") && frame.contains('#'), "{frame}");
}

#[test]
fn the_city_view_charts_its_trend_when_wide_and_sums_it_up_in_a_line_when_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = trend_app(&dir);
    app.routes.push(Screen::new(Route::City(city("chengdu"))));
    let small = render(&app, 80, 24);
    assert!(small.contains("trend: open"), "{small}");
    insta::assert_snapshot!("trend_city_80x24", small);
    let large = render(&app, 120, 40);
    assert!(
        large.contains("build-out 52%→56%") && large.contains("open 0→1/6"),
        "{large}"
    );
    insta::assert_snapshot!("trend_city_120x40", large);
}

#[test]
fn the_plan_view_says_the_gap_in_words_nationally_and_per_city() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = trend_app(&dir);
    let report = app.trend.as_ref().unwrap().plan.clone();
    // 2024-02-20: Chengdu's cd-home-01 was due Feb 3 and is open; nothing
    // else was due yet.
    assert_eq!(report.of(Some("chengdu")).unwrap().gap, Gap::OnPlan);
    // Shanghai's open store has no date; sh-home-03 (due Feb 24) is not
    // open: one open, none due: ahead, until the plan has one on Feb 24.
    assert_eq!(
        report.of(Some("shanghai")).unwrap().gap,
        Gap::Ahead {
            stores: 1,
            days: Some(4)
        }
    );
    press(&mut app, KeyCode::Char('p'));
    let small = render(&app, 80, 24);
    assert!(small.contains("Plan versus actual"), "{small}");
    // Wuhan's wh-home-02 was due on Feb 14 and is not open.
    assert!(
        small.contains("1 store behind plan, 6 days late"),
        "{small}"
    );
    insta::assert_snapshot!("trend_plan_80x24", small);
    insta::assert_snapshot!("trend_plan_120x40", render(&app, 120, 40));
    // Shanghai is among the last cities.
    press(&mut app, KeyCode::Char('G'));
    let large = render(&app, 120, 40);
    assert!(
        large.contains("1 store ahead of plan, 4 days early"),
        "{large}"
    );
    press(&mut app, KeyCode::Char('p'));
    app.routes.push(Screen::new(Route::City(city("chengdu"))));
    press(&mut app, KeyCode::Char('p'));
    let small = render(&app, 80, 24);
    assert!(small.contains("Chengdu: on plan"), "{small}");
    insta::assert_snapshot!("trend_plan_city_80x24", small);
    insta::assert_snapshot!("trend_plan_city_120x40", render(&app, 120, 40));
}

#[test]
fn a_city_behind_plan_is_said_in_the_late_style() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = trend_app(&dir);
    press(&mut app, KeyCode::Char('p'));
    let report = app.trend.as_ref().unwrap().plan.clone();
    let behind = report
        .cities
        .iter()
        .position(|c| matches!(c.gap, Gap::Behind { .. }))
        .expect("some demo city is behind plan");
    for _ in 0..behind {
        press(&mut app, KeyCode::Char('j'));
    }
    let words = report.cities[behind]
        .gap
        .words(rollout_dash::i18n::Lang::En);
    let buffer = render_buffer(&app, 120, 40);
    let late = rollout_dash::ui::theme::Theme::new(Display::default())
        .late()
        .1;
    let found = (0..buffer.area.height).find_map(|y| {
        let line: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect();
        line.find(&words)
            .map(|at| (line[..at].chars().count() as u16, y))
    });
    let (x, y) = found.unwrap_or_else(|| panic!("{words} not on screen"));
    assert_eq!(buffer[(x, y)].fg, late.fg.unwrap());
}

// ---- End to end: the real binary in a pseudo-terminal, against `serve`.

/// A history recorded yesterday for the feed: the dashboard's trend
/// worker reads it off the UI task, adds the live snapshot, and the
/// sparklines and the plan view show.
#[test]
fn the_dashboard_shows_the_recorded_trend_and_the_plan_of_the_live_feed() {
    let server = common::Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("data/rollout-dash/history.sqlite3");
    let feed = rollout_dash::history::feed_key(&server.url).unwrap();
    {
        let mut history = History::open_file(&path, &feed, YEAR, Duration::from_secs(5)).unwrap();
        let yesterday = Utc::now() - chrono::Duration::days(1);
        record(&mut history, &past(1, 1), yesterday);
    }
    let mut dashboard =
        Dashboard::start_in(&[common::BIN, "--feed", &server.url], home.path(), &[]);
    dashboard.wait_for("Suzhou");
    // Recorded, then live: two points, a trend.
    dashboard.wait_for("Trend");
    let screen = dashboard.wait_for("▁█");
    assert!(screen.contains("Cities"), "{screen}");
    dashboard.send(b"p");
    dashboard.wait_for("Plan versus actual: the programme");
    dashboard.wait_for("Wuhan");
    dashboard.wait_for("behind plan");
    dashboard.send(b"q");
}

#[test]
fn with_the_history_off_the_plan_view_works_on_todays_figures_and_says_why() {
    let mut app = common::demo_app();
    let fresh = app.current.clone().unwrap();
    let error = rollout_dash::history::HistoryError::Disabled;
    let report = TrendReport::make(
        Err(&error),
        &fresh.snapshot,
        &fresh.analysis,
        fresh.received_at,
    );
    update(&mut app, Msg::Trend(Box::new(report)));
    press(&mut app, KeyCode::Char('p'));
    let frame = render(&app, 120, 40);
    assert!(
        frame.contains("history off: history.enabled is false in the config: today's count only"),
        "{frame}"
    );
    assert!(
        frame.contains("Wuhan") && frame.contains("6 days late"),
        "{frame}"
    );
}

/// A history that does not open is said by the worker's `describe` (the
/// dashboard passes the reason in its language), not in the error's English.
#[tokio::test]
async fn the_trend_worker_says_why_the_history_is_off_in_the_callers_words() {
    use rollout_dash::history::HistoryError;
    let (sent, mut reports) = tokio::sync::mpsc::unbounded_channel();
    let jobs = rollout_dash::history::trend::spawn_worker(
        || {
            Err(HistoryError::Missing {
                path: PathBuf::from("/nowhere/history.sqlite3"),
            })
        },
        |error| {
            format!(
                "无法读取：{}",
                matches!(error, HistoryError::Missing { .. })
            )
        },
        move |report| sent.send(report).is_ok(),
    );
    let snapshot = std::sync::Arc::new(Snapshot::new(
        parse_document(DEMO_FEED_JSON.as_bytes()).unwrap(),
    ));
    let analysis = std::sync::Arc::new(Analysis::of(&snapshot, &RulesConfig::default()));
    jobs.send(Some((snapshot, analysis, t(48)))).unwrap();
    let report = reports.recv().await.unwrap();
    assert_eq!(report.history_off.as_deref(), Some("无法读取：true"));
}
