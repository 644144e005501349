//! The poller against a feed on 127.0.0.1 that misbehaves on purpose: a 304
//! to a first request, a 429 with `Retry-After`, a poll that stalls while
//! the user pauses, a cache read that never finishes. Time is tokio's paused
//! clock: an hour of polling passes at once, and nothing is timed.

mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::{Notify, mpsc, oneshot, watch};

use rollout_dash::analysis::changes::ChangeKind;
use rollout_dash::app::{App, Display, Msg, update};
use rollout_dash::config::{FeedConfig, RulesConfig};
use rollout_dash::feed::cache;
use rollout_dash::feed::client::{FeedClient, PollError, Validators};
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::schedule::Schedule;
use rollout_dash::worker::{self, CacheRead, FeedEvent, Loaded, PollerCommand, PollerHandle};

/// How the test feed answers one request.
#[derive(Clone)]
enum Reply {
    /// A status, headers and a body.
    Answer(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Holds the request until released, then answers.
    Hold(Arc<Notify>, Box<Reply>),
}

fn document(body: &str, etag: &str) -> Reply {
    Reply::Answer(
        200,
        vec![
            ("Content-Type", "application/json".into()),
            ("ETag", etag.into()),
        ],
        body.as_bytes().to_vec(),
    )
}

/// The demo document, or the demo with its first fit-out store moved on.
fn demo(moved: bool) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    if moved {
        let store = doc["stores"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|s| s["renovation"]["phase"] == "fit_out")
            .unwrap();
        store["renovation"]["phase"] = serde_json::json!("display_vehicle");
        doc["generated_at"] = serde_json::json!("2024-02-20T08:05:00Z");
    }
    doc.to_string()
}

/// One request as the feed saw it: its head.
type Head = String;

/// A feed on 127.0.0.1 whose `n`-th request (from 1) gets `reply(n)`.
struct Feed {
    url: String,
    heads: Arc<Mutex<Vec<Head>>>,
    count: watch::Receiver<usize>,
}

impl Feed {
    async fn start(reply: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Feed {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let heads = Arc::new(Mutex::new(Vec::new()));
        let (count_tx, count) = watch::channel(0);
        let reply = Arc::new(reply);
        let (seen, count_tx) = (Arc::clone(&heads), Arc::new(count_tx));
        tokio::spawn(async move {
            loop {
                let (mut socket, _) = listener.accept().await.unwrap();
                let (seen, count_tx, reply) =
                    (Arc::clone(&seen), Arc::clone(&count_tx), Arc::clone(&reply));
                tokio::spawn(async move {
                    let mut buffer = Vec::new();
                    loop {
                        // One request head (GET: no body), then its answer;
                        // the connection is kept for the next one.
                        let end = loop {
                            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                                break end + 4;
                            }
                            let mut chunk = [0u8; 4096];
                            match socket.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                            }
                        };
                        let head: Vec<u8> = buffer.drain(..end).collect();
                        let n = {
                            let mut heads = seen.lock().unwrap();
                            heads.push(String::from_utf8_lossy(&head).into_owned());
                            heads.len()
                        };
                        count_tx.send_replace(n);
                        let mut answer = reply(n);
                        while let Reply::Hold(release, then) = answer {
                            release.notified().await;
                            answer = *then;
                        }
                        let Reply::Answer(status, headers, body) = answer else {
                            unreachable!()
                        };
                        let mut response = format!("HTTP/1.1 {status} Test\r\n");
                        for (name, value) in headers {
                            response.push_str(&format!("{name}: {value}\r\n"));
                        }
                        response.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
                        let mut bytes = response.into_bytes();
                        bytes.extend_from_slice(&body);
                        if socket.write_all(&bytes).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Feed { url, heads, count }
    }

    fn requests(&self) -> usize {
        *self.count.borrow()
    }

    fn heads(&self) -> Vec<Head> {
        self.heads.lock().unwrap().clone()
    }

    /// Waits until the feed has seen `n` requests.
    async fn seen(&mut self, n: usize) {
        self.count.wait_for(|&c| c >= n).await.unwrap();
    }

    fn client(&self) -> FeedClient {
        FeedClient::new(&self.url, &FeedConfig::default(), None).unwrap()
    }
}

fn schedule() -> Schedule {
    Schedule {
        interval: Duration::from_secs(5),
        max_backoff: Duration::from_secs(60),
        max_retry_after: Duration::from_secs(600),
    }
}

struct Running {
    events: mpsc::Receiver<FeedEvent>,
    poller: PollerHandle,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.poller.abort();
    }
}

impl Running {
    fn spawn(feed: &Feed, cache_file: Option<std::path::PathBuf>) -> Running {
        let (events_tx, events) = mpsc::channel(64);
        let poller = worker::spawn(
            feed.client(),
            schedule(),
            RulesConfig::default(),
            events_tx,
            cache_file,
            rollout_dash::i18n::Lang::En,
        );
        Running { events, poller }
    }

    /// The poller with the cache read given as a future.
    fn with_cache_read(feed: &Feed, read: CacheRead) -> Running {
        let (events_tx, events) = mpsc::channel(64);
        let poller = worker::start(
            feed.client(),
            schedule(),
            Arc::new(RulesConfig::default()),
            events_tx,
            None,
            Some(read),
            rollout_dash::i18n::Lang::En,
        );
        Running { events, poller }
    }

    async fn next(&mut self) -> FeedEvent {
        self.events.recv().await.expect("the poller stopped")
    }

    /// The next event that is not `Polling`.
    async fn outcome(&mut self) -> FeedEvent {
        loop {
            match self.next().await {
                FeedEvent::Polling => {}
                other => return other,
            }
        }
    }
}

fn app() -> App {
    App::new(
        "http://127.0.0.1".into(),
        false,
        Display::default(),
        Utc::now(),
    )
}

fn header(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(160, 40)).unwrap();
    terminal
        .draw(|frame| rollout_dash::ui::view(app, frame))
        .unwrap();
    let screen = terminal.backend().to_string();
    screen.lines().take(4).collect::<Vec<_>>().join("\n")
}

fn not_modified() -> Reply {
    Reply::Answer(304, vec![], Vec::new())
}

#[tokio::test(start_paused = true)]
async fn a_304_to_the_first_request_says_why_and_is_tried_again() {
    let mut feed = Feed::start(|_| not_modified()).await;
    let mut running = Running::spawn(&feed, None);
    let mut app = app();
    let event = running.outcome().await;
    match &event {
        FeedEvent::Failed { error, .. } => {
            assert!(
                matches!(**error, PollError::NotModifiedUnasked),
                "{error:?}"
            );
            let text = error.to_string();
            assert!(
                text.contains("304") && text.contains("first request"),
                "{text}"
            );
        }
        other => panic!("a 304 to a first request is a failure, got {other:?}"),
    }
    update(&mut app, Msg::Feed(event));
    let shown = header(&app);
    assert!(
        shown.contains("STALE") && shown.contains("304"),
        "the header says what happened:\n{shown}"
    );
    // Tried again after the backoff, and again without naming a document.
    feed.seen(2).await;
    assert!(matches!(running.outcome().await, FeedEvent::Failed { .. }));
    for head in feed.heads() {
        assert!(
            !head.to_ascii_lowercase().contains("if-none-match"),
            "{head}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn r_waits_for_a_busy_feeds_retry_after_and_says_until_when() {
    let busy = || Reply::Answer(429, vec![("Retry-After", "60".into())], Vec::new());
    let mut feed = Feed::start(move |_| busy()).await;
    let mut running = Running::spawn(&feed, None);
    let mut app = app();
    let event = running.outcome().await;
    let FeedEvent::Failed { at, .. } = &event else {
        panic!("expected Failed, got {event:?}");
    };
    let deadline = *at + chrono::Duration::seconds(60);
    let wait = format!(
        "server asked to wait until {} UTC",
        deadline.format("%H:%M:%S")
    );
    update(&mut app, Msg::Feed(event));
    assert!(header(&app).contains(&wait), "{}", header(&app));

    // `r` ten times, as the event loop passes it on: no request, and each
    // time the poller says until when.
    for _ in 0..10 {
        running.poller.send(PollerCommand::PollNow);
        match running.outcome().await {
            FeedEvent::Deferred { until } => {
                assert_eq!(until, deadline);
                update(&mut app, Msg::Feed(FeedEvent::Deferred { until }));
            }
            other => panic!("expected Deferred, got {other:?}"),
        }
    }
    assert_eq!(feed.requests(), 1, "r made a request before the deadline");
    assert!(header(&app).contains(&wait), "{}", header(&app));
    tokio::time::sleep(Duration::from_secs(59)).await;
    assert_eq!(feed.requests(), 1, "polled before the deadline");
    // At the deadline the poller asks again by itself.
    feed.seen(2).await;
    assert!(matches!(running.outcome().await, FeedEvent::Failed { .. }));
}

#[tokio::test(start_paused = true)]
async fn pause_holds_even_when_pressed_while_a_poll_is_stalled() {
    let release = Arc::new(Notify::new());
    let held = Arc::clone(&release);
    let live = demo(false);
    let mut feed = Feed::start(move |n| {
        let answer = document(&live, "\"v1\"");
        if n == 1 {
            Reply::Hold(Arc::clone(&held), Box::new(answer))
        } else {
            answer
        }
    })
    .await;
    let mut running = Running::spawn(&feed, None);
    feed.seen(1).await;
    // While the first poll hangs: `r` held down, then `p`, as the event
    // loop passes them on.
    for _ in 0..40 {
        running.poller.send(PollerCommand::PollNow);
    }
    running.poller.send(PollerCommand::Pause(true));
    release.notify_one();
    assert!(matches!(running.outcome().await, FeedEvent::Fresh { .. }));
    // The `r` presses are answered by one poll (an explicit ask is
    // answered while paused); then nothing, for an hour.
    running.outcome().await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(feed.requests(), 2, "polled while paused");
    assert!(running.events.try_recv().is_err());
    // Resumed: polling goes on.
    running.poller.send(PollerCommand::Pause(false));
    feed.seen(3).await;
}

/// A cache read that finishes when told to, or never.
fn cache_read(loaded: oneshot::Receiver<Loaded>) -> CacheRead {
    Box::pin(async move { loaded.await.ok() })
}

fn loaded(body: &str) -> Loaded {
    Loaded {
        fresh: common::fresh_from(body),
        validators: Validators {
            etag: Some("\"cached\"".into()),
            last_modified: None,
        },
    }
}

#[tokio::test(start_paused = true)]
async fn the_first_poll_never_waits_for_the_cache() {
    let live = demo(false);
    let feed = Feed::start(move |_| document(&live, "\"v1\"")).await;
    // A cache on a hung file system: its read never finishes.
    let hung: Pin<Box<dyn Future<Output = Option<Loaded>> + Send>> =
        Box::pin(std::future::pending());
    let mut running = Running::with_cache_read(&feed, hung);
    assert!(matches!(running.next().await, FeedEvent::Polling));
    match running.outcome().await {
        FeedEvent::Fresh { fresh, changes } => {
            assert!(!fresh.snapshot.document.cities.is_empty());
            assert!(changes.is_empty(), "nothing came before it");
        }
        other => panic!("expected Fresh, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_cache_read_that_loses_the_race_is_dropped() {
    let live = demo(false);
    let feed = Feed::start(move |_| document(&live, "\"v1\"")).await;
    let (tx, rx) = oneshot::channel();
    let mut running = Running::with_cache_read(&feed, cache_read(rx));
    assert!(matches!(running.outcome().await, FeedEvent::Fresh { .. }));
    // Live data beats the cache: the poller no longer listens for it.
    assert!(tx.is_closed(), "the cache read is still awaited");
    assert!(tx.send(loaded(&demo(true))).is_err());
}

#[tokio::test(start_paused = true)]
async fn a_cache_read_that_wins_is_shown_and_the_poll_is_diffed_against_it() {
    let release = Arc::new(Notify::new());
    let held = Arc::clone(&release);
    let live = demo(true);
    let mut feed = Feed::start(move |n| {
        let answer = document(&live, "\"v2\"");
        if n == 1 {
            Reply::Hold(Arc::clone(&held), Box::new(answer))
        } else {
            answer
        }
    })
    .await;
    let (tx, rx) = oneshot::channel();
    let mut running = Running::with_cache_read(&feed, cache_read(rx));
    feed.seen(1).await;
    tx.send(loaded(&demo(false))).ok().unwrap();
    match running.outcome().await {
        FeedEvent::Cached(cached) => assert!(!cached.snapshot.document.stores.is_empty()),
        other => panic!("expected Cached while the poll hangs, got {other:?}"),
    }
    release.notify_one();
    match running.outcome().await {
        FeedEvent::Fresh { changes, .. } => {
            let kinds: Vec<ChangeKind> = changes.iter().map(|c| c.kind).collect();
            assert!(kinds.contains(&ChangeKind::StorePhase), "{kinds:?}");
        }
        other => panic!("expected Fresh, got {other:?}"),
    }
}

#[tokio::test]
async fn a_cache_file_is_read_beside_the_first_poll() {
    let dir = tempfile::tempdir().unwrap();
    let release = Arc::new(Notify::new());
    let held = Arc::clone(&release);
    let live = demo(true);
    let mut feed = Feed::start(move |n| {
        let answer = document(&live, "\"v2\"");
        if n == 1 {
            Reply::Hold(Arc::clone(&held), Box::new(answer))
        } else {
            answer
        }
    })
    .await;
    let url = format!("{}/v1/snapshot", feed.url);
    let path = cache::path_in(dir.path(), &url);
    let validators = Validators {
        etag: Some("\"v1\"".into()),
        last_modified: None,
    };
    cache::store(&path, &url, demo(false).as_bytes(), Utc::now(), &validators).unwrap();
    let mut running = Running::spawn(&feed, Some(path));
    feed.seen(1).await;
    assert!(matches!(running.outcome().await, FeedEvent::Cached(_)));
    release.notify_one();
    match running.outcome().await {
        FeedEvent::Fresh { changes, .. } => assert!(!changes.is_empty()),
        other => panic!("expected Fresh, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn the_poller_works_out_what_changed_before_update_sees_it() {
    let (first, second) = (demo(false), demo(true));
    let mut feed = Feed::start(move |n| {
        if n == 1 {
            document(&first, "\"v1\"")
        } else {
            document(&second, "\"v2\"")
        }
    })
    .await;
    let mut running = Running::spawn(&feed, None);
    match running.outcome().await {
        FeedEvent::Fresh { changes, .. } => assert!(changes.is_empty()),
        other => panic!("expected Fresh, got {other:?}"),
    }
    running.poller.send(PollerCommand::PollNow);
    feed.seen(2).await;
    match running.outcome().await {
        FeedEvent::Fresh { changes, .. } => {
            let phase = changes
                .iter()
                .find(|c| c.kind == ChangeKind::StorePhase)
                .expect("the phase change");
            assert!(
                phase.message.contains("fit_out -> display_vehicle"),
                "{}",
                phase.message
            );
        }
        other => panic!("expected Fresh, got {other:?}"),
    }
}

/// The body file's identity: a rewrite (temp file, rename) gives a new inode.
fn body_file(path: &std::path::Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).unwrap();
    (meta.ino(), meta.modified().unwrap())
}

/// Waits for the poller's next `Polling`: the poll before it is over, its
/// cache writes included.
async fn next_poll(running: &mut Running) {
    loop {
        if let FeedEvent::Polling = running.next().await {
            return;
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_feed_without_etags_sending_the_same_body_is_unchanged_and_not_recached() {
    let dir = tempfile::tempdir().unwrap();
    let (same, moved) = (demo(false), demo(true));
    let plain = |body: &str| {
        Reply::Answer(
            200,
            vec![("Content-Type", "application/json".into())],
            body.as_bytes().to_vec(),
        )
    };
    let feed = Feed::start(move |n| if n <= 3 { plain(&same) } else { plain(&moved) }).await;
    let path = cache::path_in(dir.path(), &format!("{}/v1/snapshot", feed.url));
    let mut running = Running::spawn(&feed, Some(path.clone()));
    assert!(matches!(running.outcome().await, FeedEvent::Fresh { .. }));
    next_poll(&mut running).await;
    let written = body_file(&path);
    for poll in [2, 3] {
        match running.outcome().await {
            FeedEvent::Unchanged { .. } => {}
            other => panic!("poll {poll}: expected Unchanged, got {other:?}"),
        }
        next_poll(&mut running).await;
        assert_eq!(body_file(&path), written, "poll {poll} rewrote the cache");
    }
    match running.outcome().await {
        FeedEvent::Fresh { changes, .. } => assert!(!changes.is_empty()),
        other => panic!("a changed body: expected Fresh, got {other:?}"),
    }
    next_poll(&mut running).await;
    assert_ne!(body_file(&path), written, "the changed body was not cached");
}

#[tokio::test(start_paused = true)]
async fn the_same_body_under_a_new_etag_rewrites_only_the_sidecar() {
    let dir = tempfile::tempdir().unwrap();
    let body = demo(false);
    // A feed that ignores If-None-Match and changes the ETag on each answer.
    let mut feed = Feed::start(move |n| document(&body, &format!("\"v{n}\""))).await;
    let url = format!("{}/v1/snapshot", feed.url);
    let path = cache::path_in(dir.path(), &url);
    let mut running = Running::spawn(&feed, Some(path.clone()));
    assert!(matches!(running.outcome().await, FeedEvent::Fresh { .. }));
    next_poll(&mut running).await;
    let written = body_file(&path);
    match running.outcome().await {
        FeedEvent::Unchanged { .. } => {}
        other => panic!("expected Unchanged, got {other:?}"),
    }
    next_poll(&mut running).await;
    assert_eq!(body_file(&path), written, "the body was rewritten");
    feed.seen(3).await;
    assert!(
        feed.heads()[1].contains("if-none-match: \"v1\""),
        "{}",
        feed.heads()[1]
    );
    assert!(
        feed.heads()[2].contains("if-none-match: \"v2\""),
        "the new ETag is not sent back: {}",
        feed.heads()[2]
    );
    let entry = cache::load_from(&path, &url, 1 << 30).unwrap().unwrap();
    assert_eq!(entry.validators.etag.as_deref(), Some("\"v2\""));
}
