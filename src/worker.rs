//! The poller task: polls on an interval, backs off after failures, and
//! derives everything a new snapshot needs (its analysis, what changed since
//! the previous one, the record index of the drill-downs) off the UI task,
//! so that `update` only swaps finished results in.

pub mod history;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::analysis::RulesConfig;
use crate::analysis::index::RecordIndex;
use crate::analysis::{self, Analysis, Change};
use crate::feed::cache;
use crate::feed::client::{FeedClient, Fetch, Fetched, PollError, Validators};
#[cfg(test)]
use crate::feed::schedule::MIN_RETRY;
use crate::feed::schedule::{Schedule, next_delay};
use crate::feed::snapshot::Snapshot;
use crate::i18n::Lang;

/// What the UI may ask of the poller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollerCommand {
    /// Poll now, whatever the schedule (also while paused: an explicit ask
    /// is answered), unless a busy feed's `Retry-After` still runs.
    PollNow,
    /// Stop (true) or resume (false) polling.
    Pause(bool),
}

/// A snapshot with everything derived from it: what the dashboard shows.
#[derive(Debug, Clone)]
pub struct Fresh {
    /// The validated snapshot.
    pub snapshot: Arc<Snapshot>,
    /// Its analysis.
    pub analysis: Arc<Analysis>,
    /// What concerns each city, partner and store, for the drill-downs.
    pub index: Arc<RecordIndex>,
    /// When we received it (our clock).
    pub received_at: DateTime<Utc>,
}

impl Fresh {
    /// Analyses and indexes a snapshot: work that grows with the document,
    /// for a worker (the poller's blocking tasks), never the UI task.
    pub fn derive(snapshot: Snapshot, rules: &RulesConfig, received_at: DateTime<Utc>) -> Self {
        let analysis = Analysis::of(&snapshot, rules);
        Fresh::new(Arc::new(snapshot), Arc::new(analysis), received_at)
    }

    /// Indexes a snapshot analysed already.
    pub fn new(
        snapshot: Arc<Snapshot>,
        analysis: Arc<Analysis>,
        received_at: DateTime<Utc>,
    ) -> Self {
        let index = Arc::new(RecordIndex::of(&snapshot, &analysis));
        Fresh {
            snapshot,
            analysis,
            index,
            received_at,
        }
    }

    /// What changed from `previous` to this one, for the change log, in
    /// `lang` (nothing without a previous one).
    pub fn changes_since(&self, previous: Option<&Fresh>, lang: Lang) -> Vec<Change> {
        previous.map_or_else(Vec::new, |old| {
            analysis::diff(
                &old.snapshot,
                &old.analysis.findings,
                &self.snapshot,
                &self.analysis.findings,
                lang,
            )
        })
    }
}

/// What the poller reports.
#[derive(Debug)]
pub enum FeedEvent {
    /// A poll started (for a "polling..." hint).
    Polling,
    /// A new snapshot arrived.
    Fresh {
        /// The snapshot and what was derived from it.
        fresh: Fresh,
        /// What changed since the snapshot sent before it (cached or fresh).
        changes: Vec<Change>,
    },
    /// The snapshot loaded from the on-disk cache at start-up (stale until a poll succeeds).
    Cached(Fresh),
    /// The feed answered 304: the snapshot on screen is current.
    Unchanged {
        /// When.
        at: DateTime<Utc>,
    },
    /// A poll failed.
    Failed {
        /// Why.
        error: Arc<PollError>,
        /// When.
        at: DateTime<Utc>,
        /// When the next try is due.
        next_try_at: DateTime<Utc>,
    },
    /// A poll asked for was not made: a busy feed asked us to wait until then.
    Deferred {
        /// The end of the feed's `Retry-After`.
        until: DateTime<Utc>,
    },
}

/// What the dashboard holds of a running poller.
#[derive(Debug)]
pub struct PollerHandle {
    /// Asks for a poll; one slot: an ask already waiting stands for any more.
    poll_now: mpsc::Sender<()>,
    /// Pause is a state, not a message: it cannot be lost behind a full
    /// queue while a poll is stalled, and the poller reads it before every
    /// scheduled poll.
    paused: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl PollerHandle {
    /// Passes on what `update` asked for; never waits.
    pub fn send(&self, command: PollerCommand) {
        match command {
            PollerCommand::PollNow => {
                // A full slot is an ask not yet answered: the poll it brings answers this one too.
                let _ = self.poll_now.try_send(());
            }
            PollerCommand::Pause(paused) => {
                self.paused.send_replace(paused);
            }
        }
    }

    /// Stops the poller at once.
    pub fn abort(&self) {
        self.task.abort();
    }

    /// Waits for the poller to stop on its own (its events channel closed).
    pub async fn stopped(&mut self) -> Result<(), tokio::task::JoinError> {
        (&mut self.task).await
    }

    /// Closes the poller's inputs and waits for it to stop.
    pub async fn close(self) -> Result<(), tokio::task::JoinError> {
        let PollerHandle {
            poll_now,
            paused,
            task,
        } = self;
        drop((poll_now, paused));
        task.await
    }
}

/// A cached document, read and derived: what the dashboard shows until a poll answers.
pub struct Loaded {
    /// The cached snapshot, analysed and indexed.
    pub fresh: Fresh,
    /// Its validators, so that later polls can be a 304 against it.
    pub validators: Validators,
}

/// Reading the cache: a future of its own, so the first poll never waits for it.
pub type CacheRead = Pin<Box<dyn Future<Output = Option<Loaded>> + Send>>;

/// Starts the poller; it stops when the UI's end of `events` closes or the
/// handle is dropped.
///
/// With `cache` (a file from [`cache::path_for`]) it reads the cached
/// document beside the first poll and sends it as [`FeedEvent::Cached`]
/// unless the poll answered first, and writes each new document there.
pub fn spawn(
    client: FeedClient,
    schedule: Schedule,
    rules: RulesConfig,
    events: mpsc::Sender<FeedEvent>,
    cache: Option<PathBuf>,
    lang: Lang,
) -> PollerHandle {
    let rules = Arc::new(rules);
    let read = cache.clone().map(|path| {
        let url = client.snapshot_url();
        let max_body = client.max_body();
        let rules = Arc::clone(&rules);
        let read: CacheRead = Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let entry = cache::load_or_log(&path, &url, max_body)?;
                let fresh = Fresh::derive(entry.snapshot, &rules, entry.received_at);
                Some(Loaded {
                    fresh,
                    validators: entry.validators,
                })
            })
            .await
            .ok()
            .flatten()
        });
        read
    });
    start(client, schedule, rules, events, cache, read, lang)
}

/// [`spawn`] with the cache read given as a future (a test can make it
/// never finish) and the file to write new documents to; `lang` is the
/// language the changes are described in (the dashboard's).
pub fn start(
    client: FeedClient,
    schedule: Schedule,
    rules: Arc<RulesConfig>,
    events: mpsc::Sender<FeedEvent>,
    cache_file: Option<PathBuf>,
    cache_read: Option<CacheRead>,
    lang: Lang,
) -> PollerHandle {
    let (poll_now, asks) = mpsc::channel(1);
    let (paused, paused_rx) = watch::channel(false);
    let poller = Poller {
        url: client.snapshot_url(),
        client,
        schedule,
        rules,
        lang,
        events,
        cache: cache_file,
        cached_key: None,
        failures: 0,
        previous: None,
        server_deadline: None,
    };
    let task = tokio::spawn(poller.run(asks, paused_rx, cache_read));
    PollerHandle {
        poll_now,
        paused,
        task,
    }
}

/// The channel to the UI is gone: stop.
struct Closed;

struct Poller {
    client: FeedClient,
    url: String,
    schedule: Schedule,
    rules: Arc<RulesConfig>,
    /// The language the changes are described in.
    lang: Lang,
    events: mpsc::Sender<FeedEvent>,
    cache: Option<PathBuf>,
    /// What the cache file holds (ETag, else a hash of the body), to skip rewriting it.
    cached_key: Option<String>,
    /// Failed polls in a row.
    failures: u32,
    /// The last snapshot sent (cached or fresh): the next one is diffed against it.
    previous: Option<Fresh>,
    /// The end of a busy feed's `Retry-After`: no poll before it, asked for or not.
    server_deadline: Option<(Instant, DateTime<Utc>)>,
}

impl Poller {
    async fn run(
        mut self,
        mut asks: mpsc::Receiver<()>,
        mut paused: watch::Receiver<bool>,
        mut cache_read: Option<CacheRead>,
    ) {
        let mut due = Instant::now();
        loop {
            let is_paused = *paused.borrow_and_update();
            // Sleep until the poll is due, the UI asks, or the cache is read;
            // nothing else wakes us.
            let asked = tokio::select! {
                () = tokio::time::sleep_until(due), if !is_paused => false,
                ask = asks.recv() => match ask {
                    None => return,
                    Some(()) => true,
                },
                changed = paused.changed() => match changed {
                    Ok(()) => continue,
                    Err(_) => return,
                },
                loaded = poll_cache(&mut cache_read) => {
                    cache_read = None;
                    if self.cached(loaded).await.is_err() {
                        return;
                    }
                    continue;
                }
                () = self.events.closed() => return,
            };
            if !asked && *paused.borrow() {
                // Paused while the timer fired: the schedule waits.
                continue;
            }
            // An ask already queued (a held-down key) is answered by this one
            // poll; one that comes during the poll gets a poll of its own.
            while asks.try_recv().is_ok() {}
            if let Some((deadline, until)) = self.server_deadline
                && Instant::now() < deadline
            {
                // The feed said when: `r` does not make it sooner, and says so.
                if asked && self.send(FeedEvent::Deferred { until }).await.is_err() {
                    return;
                }
                due = due.max(deadline);
                continue;
            }
            let Ok(delay) = self.poll_once(&mut cache_read).await else {
                return;
            };
            due = Instant::now() + delay;
        }
    }

    async fn send(&self, event: FeedEvent) -> Result<(), Closed> {
        self.events.send(event).await.map_err(|_| Closed)
    }

    /// One poll and its report; returns the wait before the next one. A
    /// cache read still under way goes on beside it: sent if it finishes
    /// first, dropped if the poll brings a document or a 304.
    async fn poll_once(&mut self, cache_read: &mut Option<CacheRead>) -> Result<Duration, Closed> {
        self.send(FeedEvent::Polling).await?;
        // Only a request that named a document we sent may be answered 304.
        let conditional = self.client.validators() != &Validators::default();
        let (result, loaded) = {
            let fetch = self.client.fetch();
            tokio::pin!(fetch);
            let mut loaded = None;
            let result = loop {
                tokio::select! {
                    result = &mut fetch => break result,
                    cached = poll_cache(cache_read) => {
                        *cache_read = None;
                        loaded = cached;
                        if let Some(loaded) = &loaded {
                            self.events
                                .send(FeedEvent::Cached(loaded.fresh.clone()))
                                .await
                                .map_err(|_| Closed)?;
                        }
                    }
                }
            };
            (result, loaded)
        };
        if let Some(loaded) = loaded {
            self.keep_cached(loaded, result.is_err());
        }
        let at = Utc::now();
        let error = match result {
            Ok(Fetch::NotModified) if conditional && self.previous.is_some() => {
                *cache_read = None;
                self.failures = 0;
                self.send(FeedEvent::Unchanged { at }).await?;
                return Ok(next_delay(&self.schedule, 0, None, 0.0));
            }
            Ok(Fetch::SameBody { validators }) if self.previous.is_some() => {
                // The document on screen, sent again: what a 304 sends.
                *cache_read = None;
                self.failures = 0;
                self.send(FeedEvent::Unchanged { at }).await?;
                if let Some(validators) = validators {
                    self.revalidate_cache(validators).await;
                }
                return Ok(next_delay(&self.schedule, 0, None, 0.0));
            }
            Ok(Fetch::SameBody { .. }) => {
                // The client knew a body no snapshot was sent for (its
                // analysis failed): have the next poll parse it again.
                self.client.set_validators(Validators::default());
                PollError::Internal("the feed repeated a document that was never shown".into())
            }
            Ok(Fetch::NotModified) => {
                // Nothing on our side it could mean: ask for the whole document next time.
                self.client.set_validators(Validators::default());
                PollError::NotModifiedUnasked
            }
            Ok(Fetch::Fresh(fetched)) => match self.fresh(*fetched, at).await? {
                Ok(()) => {
                    *cache_read = None;
                    self.failures = 0;
                    return Ok(next_delay(&self.schedule, 0, None, 0.0));
                }
                Err(error) => error,
            },
            Err(error) => error,
        };
        self.failures = self.failures.saturating_add(1);
        let delay = next_delay(&self.schedule, self.failures, Some(&error), fastrand::f64());
        tracing::warn!(failures = self.failures, ?delay, "poll failed: {error}");
        if let PollError::Busy {
            retry_after: Some(wait),
            ..
        } = &error
        {
            self.server_deadline = Some((instant_after(*wait), later(at, *wait)));
        }
        let next_try_at = later(at, delay);
        self.send(FeedEvent::Failed {
            error: Arc::new(error),
            at,
            next_try_at,
        })
        .await?;
        Ok(delay)
    }

    /// Derives a new document's results off the async workers, reports
    /// them, then caches the document.
    async fn fresh(
        &mut self,
        fetched: Fetched,
        received_at: DateTime<Utc>,
    ) -> Result<Result<(), PollError>, Closed> {
        let Fetched {
            snapshot,
            body,
            validators,
        } = fetched;
        // The raw body is only needed for the cache: hand it to the writer
        // now (or drop it) rather than hold it while the analysis runs, as
        // at national scale it is megabytes on top of the parsed document.
        let write = self.cache.clone().map(|path| {
            let url = self.url.clone();
            let previous = self.cached_key.clone();
            tokio::task::spawn_blocking(move || {
                let key = cache_key(validators.etag.as_deref(), &body);
                if previous.as_deref() == Some(key.as_str()) {
                    return Ok(key);
                }
                cache::store(&path, &url, &body, received_at, &validators).map(|()| key)
            })
        });
        let rules = Arc::clone(&self.rules);
        let previous = self.previous.clone();
        let lang = self.lang;
        let derived = tokio::task::spawn_blocking(move || {
            let fresh = Fresh::derive(snapshot, &rules, received_at);
            let changes = fresh.changes_since(previous.as_ref(), lang);
            (fresh, changes)
        })
        .await;
        let (fresh, changes) = match derived {
            Ok(derived) => derived,
            Err(e) => {
                // Not shown, so not known again by its body either.
                self.client.set_validators(Validators::default());
                return Ok(Err(PollError::Internal(format!(
                    "analysing the snapshot: {e}"
                ))));
            }
        };
        self.previous = Some(fresh.clone());
        self.send(FeedEvent::Fresh { fresh, changes }).await?;
        if let Some(write) = write {
            match write.await {
                Ok(Ok(key)) => self.cached_key = Some(key),
                Ok(Err(error)) => tracing::warn!("cannot write the feed cache: {error}"),
                Err(error) => tracing::warn!("writing the feed cache panicked: {error}"),
            }
        }
        Ok(Ok(()))
    }

    /// The cached body is current but its validators changed (a new ETag
    /// for the same bytes): rewrite the small sidecar, never the body.
    async fn revalidate_cache(&mut self, validators: Validators) {
        let Some(path) = self.cache.clone() else {
            return;
        };
        let url = self.url.clone();
        let key = validators.etag.as_deref().map(etag_key);
        let written =
            tokio::task::spawn_blocking(move || cache::store_validators(&path, &url, &validators))
                .await;
        match written {
            Ok(Ok(())) => {
                if key.is_some() {
                    self.cached_key = key;
                }
            }
            Ok(Err(error)) => tracing::warn!("cannot update the feed cache: {error}"),
            Err(error) => tracing::warn!("updating the feed cache panicked: {error}"),
        }
    }

    /// Sends a cached document read while no poll was under way.
    async fn cached(&mut self, loaded: Option<Loaded>) -> Result<(), Closed> {
        // Live data beats the cache: after a document or a 304 it is dropped.
        let Some(loaded) = loaded.filter(|_| self.previous.is_none()) else {
            return Ok(());
        };
        self.send(FeedEvent::Cached(loaded.fresh.clone())).await?;
        self.keep_cached(loaded, true);
        Ok(())
    }

    /// Remembers a cached document that was sent: the next snapshot is
    /// diffed against it, and with `use_validators` (no document has come
    /// from the feed since) the next poll names it, so it can be a 304.
    fn keep_cached(&mut self, loaded: Loaded, use_validators: bool) {
        if self.previous.is_some() {
            return;
        }
        self.cached_key = loaded.validators.etag.as_deref().map(etag_key);
        if use_validators {
            self.client.set_validators(loaded.validators);
        }
        self.previous = Some(loaded.fresh);
    }
}

/// `wait` after `at`, or the end of time.
pub fn later(at: DateTime<Utc>, wait: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(wait)
        .ok()
        .and_then(|wait| at.checked_add_signed(wait))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// `wait` from now on the poller's clock, or about a century on.
fn instant_after(wait: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(wait)
        .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 86_400))
}

/// The cache read, if one is under way; never ready otherwise.
async fn poll_cache(read: &mut Option<CacheRead>) -> Option<Loaded> {
    match read {
        Some(read) => read.await,
        None => std::future::pending().await,
    }
}

fn etag_key(etag: &str) -> String {
    format!("etag {etag}")
}

/// What identifies a body for the cache: its ETag, else a hash of its bytes.
fn cache_key(etag: Option<&str>, body: &[u8]) -> String {
    match etag {
        Some(etag) => etag_key(etag),
        None => format!("fnv64 {:016x}", crate::feed::fnv64(body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule() -> Schedule {
        Schedule {
            interval: Duration::from_secs(5),
            max_backoff: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(600),
        }
    }

    fn status() -> PollError {
        PollError::Status { status: 500 }
    }

    #[test]
    fn a_success_waits_the_interval() {
        assert_eq!(
            next_delay(&schedule(), 0, None, 0.7),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn the_ceiling_starts_at_the_interval_and_doubles() {
        let s = schedule();
        for (failures, ceiling) in [(1, 5), (2, 10), (3, 20), (4, 40)] {
            let top = next_delay(&s, failures, Some(&status()), 1.0);
            assert_eq!(top, Duration::from_secs(ceiling), "failures {failures}");
            let mid = next_delay(&s, failures, Some(&status()), 0.5);
            assert_eq!(mid, Duration::from_secs(ceiling) / 2, "failures {failures}");
        }
    }

    #[test]
    fn full_jitter_stays_within_the_bounds() {
        let s = schedule();
        for failures in 1..40 {
            for _ in 0..50 {
                let d = next_delay(&s, failures, Some(&status()), fastrand::f64());
                assert!(d >= MIN_RETRY && d <= s.max_backoff, "{failures}: {d:?}");
            }
            assert_eq!(next_delay(&s, failures, Some(&status()), 0.0), MIN_RETRY);
        }
    }

    #[test]
    fn the_backoff_is_capped() {
        let s = schedule();
        assert_eq!(next_delay(&s, 5, None, 1.0), Duration::from_secs(60));
        assert_eq!(next_delay(&s, u32::MAX, None, 1.0), Duration::from_secs(60));
        assert_eq!(next_delay(&s, 7, None, f64::NAN), Duration::from_secs(60));
    }

    #[test]
    fn retry_after_is_a_floor_and_is_capped() {
        let s = schedule();
        let busy = |secs| PollError::Busy {
            status: 429,
            retry_after: Some(Duration::from_secs(secs)),
        };
        // Longer than the backoff cap: still honoured.
        assert_eq!(
            next_delay(&s, 1, Some(&busy(120)), 0.0),
            Duration::from_secs(120)
        );
        // Shorter than the drawn wait: the drawn wait stands.
        assert_eq!(
            next_delay(&s, 3, Some(&busy(1)), 1.0),
            Duration::from_secs(20)
        );
        // Over max_retry_after: capped.
        assert_eq!(
            next_delay(&s, 1, Some(&busy(3600)), 0.0),
            Duration::from_secs(600)
        );
        let no_header = PollError::Busy {
            status: 503,
            retry_after: None,
        };
        assert_eq!(next_delay(&s, 1, Some(&no_header), 0.0), MIN_RETRY);
    }

    #[test]
    fn auth_failures_never_retry_faster_than_the_interval() {
        let s = schedule();
        let auth = PollError::Auth {
            status: 401,
            hint: "",
        };
        for failures in 1..10 {
            assert!(next_delay(&s, failures, Some(&auth), 0.0) >= s.interval);
        }
    }

    #[test]
    fn a_success_resets_the_backoff() {
        let s = schedule();
        assert_eq!(next_delay(&s, 6, None, 1.0), Duration::from_secs(60));
        assert_eq!(next_delay(&s, 0, None, 1.0), s.interval);
    }

    #[test]
    fn the_cache_key_prefers_the_etag() {
        assert_eq!(
            cache_key(Some("\"a\""), b"x"),
            cache_key(Some("\"a\""), b"y")
        );
        assert_ne!(cache_key(None, b"x"), cache_key(None, b"y"));
    }
}
