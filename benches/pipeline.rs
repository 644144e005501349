//! The feed-to-frame pipeline at the demo size, 20,000 and 100,000 stores:
//! parse (`parse_document`), the scan and the parse of a body whose stores
//! are parsed as it arrives (`ParseAhead`), validate (`Snapshot::new`), analyse
//! (`Analysis::of`), the three together, one frame (`ui::view` into a
//! `TestBackend` at 200x60 and 120x40), a key press to the next frame, and
//! each key of a filter typed into the conflicts, stores and partners panes
//! (`filter/20k`, `filter/100k`).
//! `keys/`: one key through `update` (and with its frame) in the overview
//! and in a drill-down, `q`, and a new snapshot through `update`, at 20,000
//! stores and with 2,000 stores at one point in one city.
//! `tick/`: the age tick's frame, the whole view (as before) against the
//! header over the last frame (`dashboard::draw_header`), at 20,000 stores.
//!
//! The documents are generated and serialized once, outside the timed loops.
//! Run it (a few minutes on two cores):
//!
//! ```sh
//! cargo bench --bench pipeline -- --warm-up-time 1 --measurement-time 3
//! cargo bench --bench pipeline -- 'pipeline/20k'        # one size only
//! cargo bench --bench pipeline -- 'keys/'               # keys at any data size
//! cargo bench --bench pipeline -- 'filter/'              # the filter keys only
//! ```
//!
//! Speed is shown here, never asserted in tests.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rollout_dash::analysis::Analysis;
use rollout_dash::analysis::RulesConfig;
use rollout_dash::app::{App, Display, Msg, Pane, SearchIndex, update};
use rollout_dash::feed::ahead::ParseAhead;
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::server::SYNTHETIC_SEED;
use rollout_dash::feed::snapshot::{Snapshot, parse_document, parse_document_ahead};
use rollout_dash::feed::synthetic;
use rollout_dash::worker::{FeedEvent, Fresh};

/// One data set: its name and the JSON body a feed would serve.
struct Input {
    name: &'static str,
    json: Vec<u8>,
    stores: usize,
}

fn inputs() -> Vec<Input> {
    let synthetic = |name, stores| {
        let json = serde_json::to_vec(&synthetic::generate(stores, SYNTHETIC_SEED))
            .expect("a generated document serializes");
        Input { name, json, stores }
    };
    let demo = DEMO_FEED_JSON.as_bytes().to_vec();
    let demo_stores = parse_document(&demo).expect("demo parses").stores.len();
    vec![
        Input {
            name: "demo",
            json: demo,
            stores: demo_stores,
        },
        synthetic("20k", 20_000),
        synthetic("100k", 100_000),
    ]
}

/// A snapshot analysed and indexed, as the poller sends it.
fn fresh_of(snapshot: Snapshot, rules: &RulesConfig) -> Fresh {
    let received_at = Utc.with_ymd_and_hms(2024, 3, 1, 8, 0, 0).unwrap();
    Fresh::derive(snapshot, rules, received_at)
}

/// A dashboard that has received this snapshot, as the event loop would have it.
fn app_with(snapshot: Snapshot, rules: &RulesConfig) -> App {
    let fresh = fresh_of(snapshot, rules);
    let received_at = fresh.received_at;
    let mut app = App::new(
        "http://127.0.0.1:8080".into(),
        false,
        Display::default(),
        received_at,
    );
    update(
        &mut app,
        Msg::Feed(FeedEvent::Fresh {
            fresh,
            changes: Vec::new(),
        }),
    );
    app.now = received_at + chrono::Duration::seconds(12);
    app
}

fn pipeline(c: &mut Criterion) {
    let rules = RulesConfig::default();
    for input in inputs() {
        let document = parse_document(&input.json).expect("parses");
        let snapshot = Snapshot::new(document.clone());
        eprintln!(
            "pipeline/{}: {} stores, {} cities, {} partners, {} bytes of JSON",
            input.name,
            input.stores,
            document.cities.len(),
            document.partners.len(),
            input.json.len()
        );

        let mut group = c.benchmark_group(format!("pipeline/{}", input.name));
        if input.stores >= 50_000 {
            // Hundreds of ms per run: the fewest samples criterion allows.
            group.sample_size(10);
        } else if input.stores >= 10_000 {
            group.sample_size(20);
        }
        group.throughput(Throughput::Bytes(input.json.len() as u64));
        group.bench_function("parse", |b| {
            b.iter(|| parse_document(black_box(&input.json)).expect("parses"))
        });
        // The body as a download hands it over, 16 KiB at a time: the scan
        // alone (pieces too big to ever hand over), then the whole parse
        // ahead, its pieces parsed on a second thread.
        let arrive = |ahead: &mut ParseAhead| {
            let mut body = Vec::with_capacity(input.json.len());
            for chunk in input.json.chunks(16 * 1024) {
                body.extend_from_slice(chunk);
                ahead.catch_up(&body);
            }
            body
        };
        group.bench_function("scan", |b| {
            b.iter(|| arrive(&mut ParseAhead::with_piece(usize::MAX / 2)))
        });
        group.bench_function("parse ahead", |b| {
            b.iter(|| {
                let mut ahead = ParseAhead::default();
                let body = arrive(&mut ahead);
                parse_document_ahead(&body, ahead).expect("parses")
            })
        });
        group.throughput(Throughput::Elements(input.stores as u64));
        group.bench_function("validate", |b| {
            b.iter_batched(
                || document.clone(),
                |document| Snapshot::new(black_box(document)),
                BatchSize::LargeInput,
            )
        });
        group.bench_function("analyse", |b| {
            b.iter(|| Analysis::of(black_box(&snapshot), &rules))
        });
        group.bench_function("parse+validate+analyse", |b| {
            b.iter(|| {
                let snapshot = Snapshot::from_body(black_box(&input.json)).expect("parses");
                let analysis = Analysis::of(&snapshot, &rules);
                (snapshot, analysis)
            })
        });
        group.finish();

        let mut app = app_with(snapshot, &rules);
        let mut group = c.benchmark_group(format!("render/{}", input.name));
        for (width, height) in [(200, 60), (120, 40)] {
            let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
            group.bench_function(
                BenchmarkId::from_parameter(format!("{width}x{height}")),
                |b| {
                    b.iter(|| {
                        terminal
                            .draw(|frame| rollout_dash::ui::view(black_box(&app), frame))
                            .expect("draws");
                    })
                },
            );
        }
        group.finish();

        if input.name != "demo" {
            filter_keys(c, &mut app, input.name);
        }
        if input.name != "demo" {
            nav_keys(c, &mut app, input.name);
        }
        if input.name == "20k" {
            key_to_frame(c, app);
        }
    }
}

/// `j` (then `k`, so the cursor never sticks at an end) and the frame that
/// follows, in the cities and stores panes (20,000 rows) at 120x40 and
/// 200x60; then a key typed into the conflicts pane's filter.
fn key_to_frame(c: &mut Criterion, mut app: App) {
    let mut group = c.benchmark_group("key-to-frame/20k");
    group.sample_size(50);
    for (pane, name) in [(Pane::Cities, "cities"), (Pane::Stores, "stores")] {
        app.focus = pane;
        for (width, height) in [(120, 40), (200, 60)] {
            let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
            terminal
                .draw(|frame| rollout_dash::ui::view(&app, frame))
                .expect("draws");
            let mut down = true;
            let id = format!("{name}/{width}x{height}");
            group.bench_function(BenchmarkId::from_parameter(id), |b| {
                b.iter(|| {
                    let key = KeyCode::Char(if down { 'j' } else { 'k' });
                    down = !down;
                    update(&mut app, Msg::Key(KeyEvent::new(key, KeyModifiers::NONE)));
                    terminal
                        .draw(|frame| rollout_dash::ui::view(&app, frame))
                        .expect("draws");
                })
            });
        }
    }
    // Typing in the conflicts pane's filter: every key filters all the
    // findings again, writing each one's sentence to look in it.
    app.focus = Pane::Conflicts;
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE)),
    );
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    group.bench_function(
        BenchmarkId::from_parameter("conflicts-filter/120x40"),
        |b| {
            // "k" typed into an empty filter, timed; the Backspace that empties
            // it again is not. No severity, rule or city id has a "k", so every
            // finding's sentence is written to look in it (for "km").
            b.iter_custom(|iterations| {
                let mut timed = Duration::ZERO;
                for _ in 0..iterations {
                    update(&mut app, key(KeyCode::Backspace));
                    let start = Instant::now();
                    update(&mut app, key(KeyCode::Char('k')));
                    terminal
                        .draw(|frame| rollout_dash::ui::view(&app, frame))
                        .expect("draws");
                    timed += start.elapsed();
                }
                timed
            })
        },
    );
    group.finish();
}

/// One age tick and its frame at 20,000 stores: the whole view rendered and
/// diffed, as every tick did, against the header drawn over the last frame.
fn ticks(c: &mut Criterion) {
    use rollout_dash::dashboard::{draw_all, draw_header};
    let rules = RulesConfig::default();
    let json =
        serde_json::to_vec(&synthetic::generate(20_000, SYNTHETIC_SEED)).expect("serializes");
    let mut app = app_with(Snapshot::from_body(&json).expect("parses"), &rules);
    let mut group = c.benchmark_group("tick/20k");
    for (width, height) in [(120, 40), (200, 60)] {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        let mut last = None;
        draw_all(&mut terminal, &app, &mut last).expect("draws");
        group.bench_function(
            BenchmarkId::new("whole-view", format!("{width}x{height}")),
            |b| {
                b.iter(|| {
                    let next = app.now + chrono::Duration::seconds(1);
                    update(&mut app, Msg::Tick(next));
                    terminal
                        .draw(|frame| rollout_dash::ui::view(&app, frame))
                        .expect("draws");
                })
            },
        );
        draw_all(&mut terminal, &app, &mut last).expect("draws");
        group.bench_function(
            BenchmarkId::new("header-only", format!("{width}x{height}")),
            |b| {
                b.iter(|| {
                    let next = app.now + chrono::Duration::seconds(1);
                    update(&mut app, Msg::Tick(next));
                    draw_header(&mut terminal, &app, &mut last).expect("draws");
                })
            },
        );
    }
    group.finish();
}

/// The letters typed into a filter: "nin" (as `scripts/measure` types),
/// which the city and district names of the synthetic feed hold.
const FILTER_TEXT: [char; 3] = ['n', 'i', 'n'];

/// Each key of "nin" typed into a pane's filter and the frame that follows
/// (120x40), timed alone: the first key into an empty filter, then each key
/// that extends the filter. The Backspace that takes the filter back is not
/// timed. Then that Backspace itself, from "ni" to "n", a search that cannot
/// narrow the previous one. And the building of the index they search.
fn filter_keys(c: &mut Criterion, app: &mut App, size: &str) {
    let now = filter_clock();
    let mut group = c.benchmark_group(format!("filter/{size}"));
    group.sample_size(if size == "100k" { 20 } else { 40 });
    // (pane, name, times `s` is pressed first): by city, the findings are
    // not in the order the analysis gives them.
    let panes: &[(Pane, &str, usize)] = if size == "100k" {
        &[
            (Pane::Conflicts, "conflicts", 0),
            (Pane::Stores, "stores", 0),
            (Pane::Partners, "partners", 0),
            (Pane::Conflicts, "conflicts-by-city", 1),
        ]
    } else {
        &[
            (Pane::Conflicts, "conflicts", 0),
            (Pane::Stores, "stores", 0),
        ]
    };
    // The index the keys search, built once per snapshot (by the dashboard
    // when the snapshot arrives): its cost and its size.
    let fresh = app.current.clone().expect("the app has a snapshot");
    let index = SearchIndex::new(&fresh.snapshot, &fresh.analysis);
    eprintln!(
        "filter/{size}: the search index holds {} bytes on the heap ({} findings)",
        index.heap_bytes(),
        fresh.analysis.findings.len()
    );
    group.bench_function("search-index", |b| {
        b.iter(|| SearchIndex::new(black_box(&fresh.snapshot), &fresh.analysis))
    });
    let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    for &(pane, name, sorts) in panes {
        app.focus = pane;
        for _ in 0..sorts {
            update(app, key(KeyCode::Char('s')));
        }
        update(app, key(KeyCode::Char('/')));
        for (typed, &letter) in FILTER_TEXT.iter().enumerate() {
            let id = format!("{name}/key-{}", typed + 1);
            group.bench_function(BenchmarkId::from_parameter(id), |b| {
                b.iter_custom(|iterations| {
                    let mut timed = Duration::ZERO;
                    for _ in 0..iterations {
                        let start = now();
                        update(app, key(KeyCode::Char(letter)));
                        terminal
                            .draw(|frame| rollout_dash::ui::view(app, frame))
                            .expect("draws");
                        timed += now() - start;
                        update(app, key(KeyCode::Backspace));
                    }
                    timed
                })
            });
            // The next key extends this one.
            update(app, key(KeyCode::Char(letter)));
        }
        assert_eq!(
            app.lists.get(pane).filter,
            "nin",
            "the filter holds what was typed"
        );
        update(app, key(KeyCode::Backspace));
        let id = format!("{name}/backspace");
        group.bench_function(BenchmarkId::from_parameter(id), |b| {
            b.iter_custom(|iterations| {
                let mut timed = Duration::ZERO;
                for _ in 0..iterations {
                    let start = now();
                    update(app, key(KeyCode::Backspace));
                    terminal
                        .draw(|frame| rollout_dash::ui::view(app, frame))
                        .expect("draws");
                    timed += now() - start;
                    update(app, key(KeyCode::Char('i')));
                }
                timed
            })
        });
        // Empty the filter and leave it.
        update(app, key(KeyCode::Esc));
    }
    group.finish();
}

/// Navigation at national scale (issue 14), each timed with its frame
/// (120x40): a `:city NAME` jump (Enter on the typed line: one lookup in
/// the name index); `j` in a store list narrowed by text and field terms;
/// a key typed into a filter that holds field terms, in the stores and
/// the conflicts panes (the terms applied to what the text kept).
fn nav_keys(c: &mut Criterion, app: &mut App, size: &str) {
    let now = filter_clock();
    let mut group = c.benchmark_group(format!("nav/{size}"));
    group.sample_size(20);
    let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let fresh = app.current.clone().expect("the app has a snapshot");
    let cities = &fresh.snapshot.document.cities;
    let city = cities[cities.len() / 2].name.to_string();
    let line = format!("city {city}");
    // The spellings of every city and partner (pinyin too), folded the
    // first time a snapshot is looked up by name.
    group.bench_function("name-index", |b| {
        b.iter(|| rollout_dash::app::NameIndex::new(black_box(&fresh.snapshot)))
    });
    group.bench_function("city-jump", |b| {
        b.iter_custom(|iterations| {
            let mut timed = Duration::ZERO;
            for _ in 0..iterations {
                update(app, key(KeyCode::Char(':')));
                update(app, Msg::Paste(line.clone()));
                let start = now();
                update(app, key(KeyCode::Enter));
                terminal
                    .draw(|frame| rollout_dash::ui::view(app, frame))
                    .expect("draws");
                timed += now() - start;
                assert!(app.routes.len() == 2, "the jump opened the city");
                update(app, key(KeyCode::Esc));
            }
            timed
        })
    });
    for (pane, name, filter) in [
        (Pane::Stores, "stores", "kind:2s late "),
        (Pane::Conflicts, "conflicts", "sev:warning city:n "),
    ] {
        app.focus = pane;
        update(app, key(KeyCode::Char('/')));
        update(app, Msg::Paste(filter.into()));
        group.bench_function(
            BenchmarkId::from_parameter(format!("{name}-terms/key")),
            |b| {
                b.iter_custom(|iterations| {
                    let mut timed = Duration::ZERO;
                    for _ in 0..iterations {
                        let start = now();
                        update(app, key(KeyCode::Char('n')));
                        terminal
                            .draw(|frame| rollout_dash::ui::view(app, frame))
                            .expect("draws");
                        timed += now() - start;
                        update(app, key(KeyCode::Backspace));
                    }
                    timed
                })
            },
        );
        update(app, key(KeyCode::Enter));
        if pane == Pane::Stores {
            // A key in the filtered store list.
            let mut down = true;
            group.bench_function("filtered-stores/j", |b| {
                b.iter(|| {
                    let code = KeyCode::Char(if down { 'j' } else { 'k' });
                    down = !down;
                    update(app, key(code));
                    terminal
                        .draw(|frame| rollout_dash::ui::view(app, frame))
                        .expect("draws");
                })
            });
        }
        update(app, key(KeyCode::Esc));
    }
    group.finish();
}

/// The clock the filter keys are timed by: the wall clock, or with
/// `BENCH_CLOCK=cpu` the CPU time of the whole process (all its threads),
/// which other work on a shared machine does not move.
fn filter_clock() -> fn() -> Duration {
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

fn config() -> Criterion {
    // Modest defaults for a 2-core machine; the command line overrides them.
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

/// The demo feed with `stores` more stores in Suzhou, every one at the same
/// point (a geocoder that fell back to the city centre): direct Xiaomi Homes
/// and two partners' 2S stores in turn, so every pair of them collides.
pub fn colocated(stores: usize) -> Vec<u8> {
    let mut document: serde_json::Value =
        serde_json::from_str(DEMO_FEED_JSON).expect("the demo parses");
    let list = document["stores"].as_array_mut().expect("stores");
    for i in 0..stores {
        let (kind, channel, operator) = match i % 4 {
            0 | 2 => ("xiaomi_home", "direct", "xiaomi"),
            1 => ("sales_service_2s", "agency", "ekingo"),
            _ => ("sales_service_2s", "agency", "lantai"),
        };
        list.push(serde_json::json!({
            "id": format!("suz-pt-{i:05}"),
            "city": "suzhou",
            "kind": kind,
            "channel": channel,
            "operator": operator,
            "name": format!("Suzhou centre store {i}"),
            "district": "Gusu",
            "location": {"lat": 31.2990, "lon": 120.5853},
            "renovation": {
                "phase": "construction",
                "percent": 40,
                "planned_open": "2024-05-01",
                "display_vehicle_eta": "2024-04-20",
                "updated_at": "2024-02-18T06:15:00Z"
            }
        }));
    }
    serde_json::to_vec(&document).expect("serializes")
}

fn press(app: &mut App, code: KeyCode) {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// One key through `update`, and one key and the frame after it, at 20,000
/// stores and with 2,000 stores at one point in Suzhou: in the overview's
/// conflicts pane, and in Suzhou's drill-down (its conflicts section). Then
/// `q`, and a new snapshot arriving (what `update` does with it).
fn keys(c: &mut Criterion) {
    let rules = RulesConfig::default();
    let cases = [
        (
            "20k",
            serde_json::to_vec(&synthetic::generate(20_000, SYNTHETIC_SEED)).expect("serializes"),
        ),
        ("colocated-2000", colocated(2_000)),
    ];
    for (name, json) in cases {
        let snapshot = Snapshot::from_body(&json).expect("parses");
        let app = app_with(snapshot, &rules);
        let findings = app
            .current
            .as_ref()
            .map_or(0, |f| f.analysis.findings.len());
        eprintln!("keys/{name}: {} bytes, {findings} findings", json.len());
        let mut group = c.benchmark_group(format!("keys/{name}"));
        group.sample_size(10);
        let mut overview = app;
        overview.focus = Pane::Conflicts;
        let mut down = true;
        let mut next = move || {
            down = !down;
            KeyCode::Char(if down { 'j' } else { 'k' })
        };
        group.bench_function("overview-conflicts/j-update", |b| {
            b.iter(|| press(&mut overview, next()))
        });
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        group.bench_function("overview-conflicts/j-update+frame", |b| {
            b.iter(|| {
                press(&mut overview, next());
                terminal
                    .draw(|frame| rollout_dash::ui::view(&overview, frame))
                    .expect("draws");
            })
        });
        // Suzhou's drill-down, its conflicts section focused.
        let mut city = overview;
        city.focus = Pane::Cities;
        press(&mut city, KeyCode::Char('g'));
        press(&mut city, KeyCode::Enter);
        press(&mut city, KeyCode::Tab);
        press(&mut city, KeyCode::Tab);
        group.bench_function("city-conflicts/j-update", |b| {
            b.iter(|| press(&mut city, next()))
        });
        group.bench_function("city-conflicts/j-update+frame", |b| {
            b.iter(|| {
                press(&mut city, next());
                terminal
                    .draw(|frame| rollout_dash::ui::view(&city, frame))
                    .expect("draws");
            })
        });
        group.bench_function("city/tab-update+frame", |b| {
            b.iter(|| {
                press(&mut city, KeyCode::Tab);
                terminal
                    .draw(|frame| rollout_dash::ui::view(&city, frame))
                    .expect("draws");
            })
        });
        group.bench_function("city/q-update", |b| {
            b.iter(|| {
                press(&mut city, KeyCode::Char('q'));
                city.quit = false;
            })
        });
        // A new snapshot: one store moved on. What `update` does with it on
        // the UI task (the poller sends them in turn, so each one differs).
        let moved = {
            let mut document: serde_json::Value = serde_json::from_slice(&json).expect("parses");
            document["stores"][0]["renovation"]["percent"] = serde_json::json!(99);
            document["generated_at"] = serde_json::json!("2024-03-01T08:00:05Z");
            let snapshot =
                Snapshot::from_body(&serde_json::to_vec(&document).expect("json")).expect("parses");
            fresh_of(snapshot, &rules)
        };
        let original = city.current.clone().expect("data");
        // What the poller works out beside them (not on the UI task).
        let to_moved = moved.changes_since(Some(&original), rollout_dash::i18n::Lang::En);
        let to_original = original.changes_since(Some(&moved), rollout_dash::i18n::Lang::En);
        let mut turn = false;
        group.bench_function("new-snapshot-update", |b| {
            b.iter_batched(
                || {
                    turn = !turn;
                    if turn {
                        (moved.clone(), to_moved.clone())
                    } else {
                        (original.clone(), to_original.clone())
                    }
                },
                |(fresh, changes)| {
                    update(&mut city, Msg::Feed(FeedEvent::Fresh { fresh, changes }))
                },
                BatchSize::SmallInput,
            )
        });
        // The poller's share of a new snapshot, on its blocking task:
        // analysis, record index and the changes since the one before.
        group.bench_function("poller-derive", |b| {
            b.iter_batched(
                || Snapshot::from_body(&json).expect("parses"),
                |snapshot| {
                    let fresh = fresh_of(snapshot, &rules);
                    let changes =
                        fresh.changes_since(Some(&original), rollout_dash::i18n::Lang::En);
                    (fresh, changes)
                },
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = config();
    targets = pipeline, keys, ticks
}
criterion_main!(benches);
