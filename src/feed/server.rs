//! The feed server behind `rollout-dash serve` and the in-process demo:
//! `GET /v1/snapshot` with ETag/304 and gzip.
//!
//! The served document lives in a [`Version`]: its JSON, its gzip, its
//! validators and the headers of each answer, computed once when the version
//! is produced, so a request only clones reference-counted bytes. The gzip
//! is also kept in an in-memory file the socket sends it from
//! ([`file_body`]). Versions are published through a
//! `tokio::sync::watch` channel by at most one updater task (the `--data`
//! file watcher or the simulation); request handlers read the latest one.
//!
//! Connections are served by [`connections`], which closes idle and
//! half-sent ones and caps how many are open ([`ConnectionLimits`]).

mod connections;
mod file_body;

pub use connections::ConnectionLimits;

use std::fmt;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use color_eyre::eyre::{WrapErr, eyre};
use hyper::body::Bytes;
use hyper::header::{
    ACCEPT_ENCODING, ALLOW, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG,
    IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, VARY,
};
use hyper::{HeaderMap, Method, Request, Response, StatusCode, header::HeaderValue};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::{JoinHandle, JoinSet};

use super::demo::DEMO_FEED_JSON;
use super::simulate;
use super::snapshot::{Snapshot, parse_document};
use super::synthetic;
use super::wire::Document;
use file_body::FileBody;

/// The one resource of the feed contract.
pub const SNAPSHOT_PATH: &str = "/v1/snapshot";

/// The seed `serve --synthetic-stores` generates with, so two runs serve the same data.
pub const SYNTHETIC_SEED: u64 = 2024;

/// Bodies larger than this are gzipped at the fast level: a national-scale
/// document changes every step under `--simulate`, and compressing it at
/// the default level would take longer than the step.
const FAST_GZIP_ABOVE: usize = 1 << 20;

/// Where the served document comes from.
#[derive(Clone, Debug)]
pub enum Source {
    /// The bundled demo document.
    Demo,
    /// A JSON file of the user's, re-read when it changes.
    File(PathBuf),
    /// A generated national-scale document with this many stores.
    Synthetic {
        /// Number of stores.
        stores: usize,
    },
}

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Address to bind (port 0 picks a free one).
    pub addr: SocketAddr,
    /// Where the document comes from.
    pub source: Source,
    /// Move the rollout forward over time.
    pub simulate: bool,
}

/// The server's clocks, seed and connection limits; the defaults are what
/// `serve` uses, tests shorten the clocks and lower the limits.
#[derive(Clone, Debug)]
pub struct ServeTuning {
    /// Time between two simulation steps.
    pub step: Duration,
    /// Time between two looks at a `--data` file's modification time and length.
    pub file_poll: Duration,
    /// Seed of the synthetic document.
    pub seed: u64,
    /// Timeouts and the cap on open connections.
    pub connections: ConnectionLimits,
    /// Called before each re-read of a changed `--data` file.
    pub before_reread: Option<RereadHook>,
}

impl Default for ServeTuning {
    fn default() -> Self {
        ServeTuning {
            step: Duration::from_secs(3),
            file_poll: Duration::from_secs(1),
            seed: SYNTHETIC_SEED,
            connections: ConnectionLimits::default(),
            before_reread: None,
        }
    }
}

/// A function called with the file's path on the blocking thread that
/// re-reads a changed `--data` file, just before it reads it: a test holds a
/// re-read open with it to show that requests are answered meanwhile.
#[derive(Clone)]
pub struct RereadHook(Arc<dyn Fn(&Path) + Send + Sync>);

impl RereadHook {
    /// Wraps `hook`.
    pub fn new(hook: impl Fn(&Path) + Send + Sync + 'static) -> RereadHook {
        RereadHook(Arc::new(hook))
    }
}

impl fmt::Debug for RereadHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RereadHook(..)")
    }
}

/// A server running in the background.
///
/// Dropping it leaves the server running (like dropping a `JoinHandle`);
/// [`RunningServer::shutdown`] stops it.
#[derive(Debug)]
pub struct RunningServer {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// The task serving it.
    pub task: JoinHandle<()>,
    /// Tells the server to stop accepting and finish what is in flight.
    stop: oneshot::Sender<()>,
}

impl RunningServer {
    /// The full URL of the snapshot resource.
    pub fn snapshot_url(&self) -> String {
        format!("http://{}{SNAPSHOT_PATH}", self.addr)
    }

    /// Stops accepting connections, lets requests in flight finish and
    /// waits for the server (and its file watcher or simulation) to end.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Binds and starts serving in the background.
pub async fn spawn(options: ServeOptions) -> color_eyre::Result<RunningServer> {
    spawn_tuned(options, ServeTuning::default()).await
}

/// [`spawn`] with other clocks or another synthetic seed.
///
/// A `--data` file that cannot be read or is not a v1 document is an error
/// here, naming the file: at startup there is no last good version to fall
/// back on.
pub async fn spawn_tuned(
    options: ServeOptions,
    tuning: ServeTuning,
) -> color_eyre::Result<RunningServer> {
    let loaded = load(&options.source, &tuning).await?;
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .wrap_err_with(|| format!("cannot listen on {}", options.addr))?;
    let addr = listener.local_addr()?;
    let first = tokio::task::spawn_blocking(move || Version::first(loaded.json)).await?;
    let (versions, latest) = watch::channel(Arc::new(first));

    // The updaters live in the server task's JoinSet, so they end with it
    // (shutdown, or the task being aborted).
    let mut updaters = JoinSet::new();
    match (options.source, options.simulate) {
        (Source::File(path), false) => {
            updaters.spawn(watch_file(
                path,
                loaded.stamp,
                tuning.file_poll,
                tuning.before_reread,
                FileSink::Publish(versions),
            ));
        }
        (Source::File(path), true) => {
            let (replace, replacements) = mpsc::channel(1);
            updaters.spawn(watch_file(
                path,
                loaded.stamp,
                tuning.file_poll,
                tuning.before_reread,
                FileSink::Simulation(replace),
            ));
            updaters.spawn(run_simulation(
                loaded.document,
                versions,
                tuning.step,
                Some(replacements),
            ));
        }
        (_, true) => {
            updaters.spawn(run_simulation(loaded.document, versions, tuning.step, None));
        }
        // A fixed document: handlers keep reading the one version.
        (_, false) => drop(versions),
    }

    let (stop, stopped) = oneshot::channel::<()>();
    let feed = Feed { latest };
    let limits = tuning.connections;
    let task = tokio::spawn(async move {
        let _updaters = updaters;
        let stopped = async move {
            // A dropped RunningServer is not a request to stop.
            if stopped.await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        connections::serve(listener, feed, limits, stopped).await;
    });
    Ok(RunningServer { addr, task, stop })
}

/// Runs `rollout-dash serve` until Ctrl-C or SIGTERM, then stops gracefully.
pub async fn run(options: ServeOptions) -> color_eyre::Result<std::process::ExitCode> {
    let what = match &options.source {
        Source::File(path) => format!("{} (re-read when it changes)", path.display()),
        Source::Synthetic { stores } => format!("a synthetic rollout with {stores} stores"),
        Source::Demo => "the demo rollout".to_owned(),
    };
    let simulate = options.simulate;
    let running = match spawn(options).await {
        Ok(running) => running,
        // A bad file or a busy port is the user's to fix, not a crash: one
        // line naming the problem, no backtrace.
        Err(e) => {
            eprintln!("rollout-dash: {e:#}");
            return Ok(std::process::ExitCode::FAILURE);
        }
    };
    let simulated = if simulate {
        ", moving forward every few seconds"
    } else {
        ""
    };
    eprintln!("rollout-dash: serving {what}{simulated}");
    eprintln!(
        "rollout-dash: {} (dashboard: --feed http://{}); Ctrl-C stops",
        running.snapshot_url(),
        running.addr
    );
    shutdown_signal().await?;
    eprintln!("rollout-dash: stopping");
    // Requests in flight get a moment to finish; a stuck client does not
    // keep the process alive.
    if tokio::time::timeout(Duration::from_secs(5), running.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after 5 s; stopping anyway");
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C, or on SIGTERM where there is one.
async fn shutdown_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}

/// One version of the served document, with everything a request needs.
#[derive(Debug)]
struct Version {
    /// The document as served.
    json: Bytes,
    /// The same, gzipped.
    gzip: Bytes,
    /// The in-memory file the gzip is sent from, while `gzip` lives.
    gzip_file: Weak<FileBody>,
    /// The strong entity tag, quoted: the body's FNV-1a 64 in hex.
    etag: String,
    /// When this version was produced, in whole seconds (HTTP dates have no more).
    last_modified: SystemTime,
    /// The response headers, written once per version rather than per request.
    heads: Heads,
}

/// The headers of each answer a version gives, in the order they go out.
#[derive(Debug)]
struct Heads {
    /// 200 with the gzip.
    gzip: HeaderMap,
    /// 200 with the JSON as it is.
    identity: HeaderMap,
    /// 304.
    not_modified: HeaderMap,
}

impl Version {
    /// The first version of a server.
    fn first(json: Bytes) -> Version {
        Version::build(json, now_in_seconds())
    }

    /// The version after `previous` with this body, or `None` when the body
    /// is the same (a file touched but not changed keeps its validators).
    ///
    /// Last-Modified moves forward at least a second per version: two
    /// versions in the same second would otherwise share it, and a client
    /// that only sends If-Modified-Since would miss the second one.
    fn next(previous: &Version, json: Bytes) -> Option<Version> {
        if etag_of(&json) == previous.etag {
            return None;
        }
        let at = now_in_seconds().max(previous.last_modified + Duration::from_secs(1));
        Some(Version::build(json, at))
    }

    fn build(json: Bytes, last_modified: SystemTime) -> Version {
        let level = if json.len() > FAST_GZIP_ABOVE {
            flate2::Compression::fast()
        } else {
            flate2::Compression::default()
        };
        let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(json.len() / 6), level);
        let gzip = encoder
            .write_all(&json)
            .and_then(|()| encoder.finish())
            .expect("gzip into memory cannot fail");
        let (gzip, gzip_file) = FileBody::share(gzip);
        let etag = etag_of(&json);
        let heads = Heads::new(&etag, last_modified, json.len(), gzip.len());
        Version {
            etag,
            json,
            gzip,
            gzip_file,
            last_modified,
            heads,
        }
    }
}

impl Heads {
    fn new(etag: &str, last_modified: SystemTime, json_len: usize, gzip_len: usize) -> Heads {
        // Every answer for the version carries its validators (200 and 304 alike).
        let mut validators = HeaderMap::new();
        if let Ok(etag) = HeaderValue::from_str(etag) {
            validators.insert(ETAG, etag);
        }
        if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(last_modified)) {
            validators.insert(LAST_MODIFIED, date);
        }
        validators.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
        // Caches may keep the body but must ask before reusing it: the feed is live.
        validators.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));

        let mut identity = validators.clone();
        identity.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let mut gzip = identity.clone();
        identity.insert(CONTENT_LENGTH, HeaderValue::from(json_len));
        gzip.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        gzip.insert(CONTENT_LENGTH, HeaderValue::from(gzip_len));
        Heads {
            gzip,
            identity,
            not_modified: validators,
        }
    }
}

/// The quoted strong entity tag of a body: its FNV-1a 64 in hex. Cheap, and
/// a change of one byte changes it.
fn etag_of(body: &[u8]) -> String {
    format!("\"{:016x}\"", super::fnv64(body))
}

fn now_in_seconds() -> SystemTime {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    UNIX_EPOCH + Duration::from_secs(since_epoch.as_secs())
}

/// What a source gives at startup.
struct Loaded {
    /// The first body to serve.
    json: Bytes,
    /// The document, for the simulation to move forward.
    document: Document,
    /// The `--data` file's modification time and length when it was read.
    stamp: Option<FileStamp>,
}

async fn load(source: &Source, tuning: &ServeTuning) -> color_eyre::Result<Loaded> {
    match source {
        Source::Demo => {
            let document = parse_document(DEMO_FEED_JSON.as_bytes())
                .map_err(|e| eyre!("the bundled demo feed is not a v1 document: {e}"))?;
            Ok(Loaded {
                json: Bytes::from_static(DEMO_FEED_JSON.as_bytes()),
                document,
                stamp: None,
            })
        }
        Source::File(path) => {
            let path = path.clone();
            tokio::task::spawn_blocking(move || {
                // The stamp is taken before reading: a write during the read
                // then shows up as a change at the next look.
                let stamp = std::fs::metadata(&path).ok().map(|m| FileStamp::of(&m));
                let (json, document) = read_feed_file(&path)?;
                Ok(Loaded {
                    json,
                    document,
                    stamp,
                })
            })
            .await?
        }
        &Source::Synthetic { stores } => {
            let seed = tuning.seed;
            let (document, json) = tokio::task::spawn_blocking(move || {
                let document = synthetic::generate(stores, seed);
                let json = serde_json::to_vec(&document);
                (document, json)
            })
            .await?;
            Ok(Loaded {
                json: Bytes::from(json?),
                document,
                stamp: None,
            })
        }
    }
}

/// Reads, parses and checks a `--data` file. Blocking, and long for a
/// national-scale file: callers run it with `spawn_blocking`, so requests
/// are answered meanwhile.
fn read_feed_file(path: &Path) -> color_eyre::Result<(Bytes, Document)> {
    let body = std::fs::read(path)
        .wrap_err_with(|| format!("cannot read the feed file {}", path.display()))?;
    let document = parse_document(&body).map_err(|e| {
        eyre!(
            "the feed file {} is not a valid v1 document: {e}",
            path.display()
        )
    })?;
    report_data_warnings(path, &document);
    Ok((Bytes::from(body), document))
}

/// A served file with data warnings is still served (the dashboard shows
/// them), but whoever runs `serve` should hear about them first.
fn report_data_warnings(path: &Path, document: &Document) {
    let snapshot = Snapshot::new(document.clone());
    if let Some(first) = snapshot.data_warnings.first() {
        tracing::warn!(
            file = %path.display(),
            count = snapshot.data_warnings.len(),
            first = %first.message,
            "the feed file has data warnings; serving it anyway",
        );
    }
}

/// Publishes a body as the next version, unless it is the current one.
async fn publish(versions: &watch::Sender<Arc<Version>>, json: Bytes) {
    let previous = versions.borrow().clone();
    match tokio::task::spawn_blocking(move || Version::next(&previous, json)).await {
        Ok(Some(version)) => {
            tracing::debug!(etag = %version.etag, bytes = version.json.len(), "new feed version");
            versions.send_replace(Arc::new(version));
        }
        Ok(None) => {}
        Err(e) => tracing::error!(error = %e, "could not prepare the next feed version"),
    }
}

/// What a file looks like from outside: enough to tell that it changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
}

impl FileStamp {
    fn of(metadata: &std::fs::Metadata) -> FileStamp {
        FileStamp {
            modified: metadata.modified().ok(),
            len: metadata.len(),
        }
    }
}

/// Where a changed, valid `--data` file goes.
enum FileSink {
    /// Served as it is.
    Publish(watch::Sender<Arc<Version>>),
    /// Handed to the simulation, which carries on from it.
    Simulation(mpsc::Sender<(Bytes, Document)>),
}

/// Looks at the file every `every`; when its modification time or length
/// changed, reads it again (calling `before_reread` first). A file that
/// cannot be read or parsed is logged once per change and the last good
/// version stays served.
async fn watch_file(
    path: PathBuf,
    mut seen: Option<FileStamp>,
    every: Duration,
    before_reread: Option<RereadHook>,
    sink: FileSink,
) {
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut missing = false;
    loop {
        ticker.tick().await;
        let stamp = match tokio::fs::metadata(&path).await {
            Ok(metadata) => FileStamp::of(&metadata),
            Err(e) => {
                if !missing {
                    tracing::warn!(file = %path.display(), error = %e,
                        "cannot read the feed file; still serving the last good version");
                }
                missing = true;
                seen = None;
                continue;
            }
        };
        missing = false;
        if seen == Some(stamp) {
            continue;
        }
        seen = Some(stamp);
        let reread = {
            let (path, hook) = (path.clone(), before_reread.clone());
            tokio::task::spawn_blocking(move || {
                if let Some(RereadHook(hook)) = hook {
                    hook(&path);
                }
                read_feed_file(&path)
            })
            .await
        };
        let (body, document) = match reread {
            Ok(Ok(read)) => read,
            Ok(Err(e)) => {
                tracing::warn!(error = %format!("{e:#}"), "still serving the last good version");
                continue;
            }
            Err(e) => {
                tracing::error!(file = %path.display(), error = %e,
                    "re-reading the feed file failed; still serving the last good version");
                continue;
            }
        };
        tracing::info!(file = %path.display(), "the feed file changed; serving the new version");
        match &sink {
            FileSink::Publish(versions) => publish(versions, body).await,
            FileSink::Simulation(simulation) => {
                if simulation.send((body, document)).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Moves the document forward every `every` and publishes each step; a
/// changed `--data` file replaces the document and the simulation carries on
/// from it.
async fn run_simulation(
    mut document: Document,
    versions: watch::Sender<Arc<Version>>,
    every: Duration,
    mut replacements: Option<mpsc::Receiver<(Bytes, Document)>>,
) {
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut tick = 0u64;
    loop {
        let replacement = async {
            match replacements.as_mut() {
                Some(channel) => channel.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = ticker.tick() => {
                // A national-scale document takes a while to step and
                // serialize; that work stays off the request threads.
                let stepped = tokio::task::spawn_blocking(move || {
                    simulate::step(&mut document, tick);
                    let json = serde_json::to_vec(&document);
                    (document, json)
                })
                .await;
                let json = match stepped {
                    Ok((stepped, json)) => {
                        document = stepped;
                        json
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "the simulation failed; serving its last step from now on");
                        return;
                    }
                };
                match json {
                    Ok(json) => publish(&versions, Bytes::from(json)).await,
                    Err(e) => tracing::error!(error = %e, "cannot serialize the simulated document"),
                }
                tick += 1;
            }
            replaced = replacement => match replaced {
                Some((json, replaced)) => {
                    document = replaced;
                    publish(&versions, json).await;
                }
                None => replacements = None,
            },
        }
    }
}

/// Answers the feed's requests from the latest version.
#[derive(Clone)]
struct Feed {
    latest: watch::Receiver<Arc<Version>>,
}

/// How a request is answered: the response, and the in-memory file its
/// body may be sent from.
struct Reply {
    response: Response<Option<Bytes>>,
    body_file: Weak<FileBody>,
}

impl Reply {
    fn new(status: StatusCode, headers: HeaderMap, body: Option<Bytes>) -> Reply {
        let mut response = Response::new(body);
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        Reply {
            response,
            body_file: Weak::new(),
        }
    }
}

impl Feed {
    /// `GET` and `HEAD /v1/snapshot`; 404 elsewhere, 405 for other methods.
    /// A HEAD is answered as its GET would be, without the body (its
    /// Content-Length stays, saying what the GET would send).
    fn answer<B>(&self, request: &Request<B>) -> Reply {
        let path = request.uri().path();
        let mut reply = if path != SNAPSHOT_PATH {
            not_found(path)
        } else if matches!(*request.method(), Method::GET | Method::HEAD) {
            self.snapshot(request.headers())
        } else {
            method_not_allowed()
        };
        if request.method() == Method::HEAD {
            *reply.response.body_mut() = None;
            reply.body_file = Weak::new();
        }
        reply
    }

    /// The latest version: 304 when the client's copy is current, else the
    /// document, gzipped when the client takes gzip.
    fn snapshot(&self, request: &HeaderMap) -> Reply {
        let version = self.latest.borrow().clone();
        if not_modified(request, &version) {
            return Reply::new(
                StatusCode::NOT_MODIFIED,
                version.heads.not_modified.clone(),
                None,
            );
        }
        if accepts_gzip(request) {
            Reply {
                body_file: version.gzip_file.clone(),
                ..Reply::new(
                    StatusCode::OK,
                    version.heads.gzip.clone(),
                    Some(version.gzip.clone()),
                )
            }
        } else {
            Reply::new(
                StatusCode::OK,
                version.heads.identity.clone(),
                Some(version.json.clone()),
            )
        }
    }
}

/// Whether the client's copy is current (RFC 9110 13.1): If-None-Match
/// decides when present, by weak comparison, `*` matching any version;
/// otherwise If-Modified-Since, when the version is not newer than it.
fn not_modified(request: &HeaderMap, version: &Version) -> bool {
    let mut if_none_match = request.get_all(IF_NONE_MATCH).iter().peekable();
    if if_none_match.peek().is_some() {
        return if_none_match
            .filter_map(|value| value.to_str().ok())
            .any(|list| etag_list_matches(list, &version.etag));
    }
    request
        .get(IF_MODIFIED_SINCE)
        .and_then(|value| value.to_str().ok())
        .and_then(|date| httpdate::parse_http_date(date).ok())
        .is_some_and(|since| version.last_modified <= since)
}

/// Whether a comma-separated If-None-Match list names `etag` (weakly: `W/`
/// is ignored) or is `*`. Splitting at commas is safe here: our tags are hex,
/// so a tag holding a comma can never be ours anyway.
fn etag_list_matches(list: &str, etag: &str) -> bool {
    list.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == etag
    })
}

/// Whether Accept-Encoding offers gzip with q > 0 (`gzip`, `x-gzip`, or `*`
/// when gzip is not named).
fn accepts_gzip(request: &HeaderMap) -> bool {
    let mut gzip = None;
    let mut any = None;
    for value in request.get_all(ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let q = parts
                .filter_map(|p| p.split_once('='))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
                .map_or(1.0, |(_, q)| q.trim().parse::<f32>().unwrap_or(0.0));
            if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                gzip = Some(gzip.map_or(q, |g: f32| g.max(q)));
            } else if coding == "*" {
                any = Some(q);
            }
        }
    }
    gzip.or(any).is_some_and(|q| q > 0.0)
}

/// An error answer as the contract's clients expect: JSON, saying what to
/// do. `allow` goes between the type and the length, where it always went.
fn json_error(
    status: StatusCode,
    code: &str,
    message: String,
    allow: Option<HeaderValue>,
) -> Reply {
    let body = serde_json::json!({ "error": code, "message": message }).to_string();
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(allow) = allow {
        headers.insert(ALLOW, allow);
    }
    headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    Reply::new(status, headers, Some(Bytes::from(body)))
}

fn not_found(path: &str) -> Reply {
    json_error(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no resource at {path}; the feed is GET {SNAPSHOT_PATH}"),
        None,
    )
}

fn method_not_allowed() -> Reply {
    json_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{SNAPSHOT_PATH} answers GET and HEAD only"),
        Some(HeaderValue::from_static("GET, HEAD")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn version() -> Version {
        Version::build(
            Bytes::from_static(b"{}"),
            UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        )
    }

    #[test]
    fn if_none_match_lists_weak_tags_and_star() {
        let v = version();
        let tag = v.etag.clone();
        assert!(not_modified(&headers(&[("if-none-match", &tag)]), &v));
        assert!(not_modified(
            &headers(&[("if-none-match", &format!("W/{tag}"))]),
            &v
        ));
        assert!(not_modified(
            &headers(&[("if-none-match", &format!("\"x\", {tag}"))]),
            &v
        ));
        assert!(not_modified(
            &headers(&[("if-none-match", "\"x\""), ("if-none-match", &tag)]),
            &v
        ));
        assert!(not_modified(&headers(&[("if-none-match", "*")]), &v));
        assert!(!not_modified(&headers(&[("if-none-match", "\"x\"")]), &v));
    }

    #[test]
    fn if_none_match_wins_over_if_modified_since() {
        let v = version();
        let later = httpdate::fmt_http_date(v.last_modified + Duration::from_secs(60));
        let earlier = httpdate::fmt_http_date(v.last_modified - Duration::from_secs(60));
        let same = httpdate::fmt_http_date(v.last_modified);
        assert!(not_modified(&headers(&[("if-modified-since", &later)]), &v));
        assert!(not_modified(&headers(&[("if-modified-since", &same)]), &v));
        assert!(!not_modified(
            &headers(&[("if-modified-since", &earlier)]),
            &v
        ));
        assert!(!not_modified(
            &headers(&[("if-modified-since", "yesterday")]),
            &v
        ));
        assert!(!not_modified(
            &headers(&[("if-none-match", "\"x\""), ("if-modified-since", &later)]),
            &v
        ));
    }

    #[test]
    fn accept_encoding_quality() {
        let gz = |v: &str| accepts_gzip(&headers(&[("accept-encoding", v)]));
        assert!(gz("gzip"));
        assert!(gz("br, GZIP;q=0.5"));
        assert!(gz("x-gzip"));
        assert!(gz("*"));
        assert!(!gz("gzip;q=0"));
        assert!(!gz("gzip;q=0.000"));
        assert!(!gz("*, gzip;q=0"));
        assert!(!gz("br, deflate"));
        assert!(!gz("identity"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn same_body_same_version_and_last_modified_moves_on() {
        let v = version();
        assert!(Version::next(&v, Bytes::from_static(b"{}")).is_none());
        let next = Version::next(&v, Bytes::from_static(b"{ }")).unwrap();
        assert_ne!(next.etag, v.etag);
        assert!(next.last_modified > v.last_modified);
        let again = Version::next(&next, Bytes::from_static(b"{  }")).unwrap();
        assert!(again.last_modified > next.last_modified);
    }
}
