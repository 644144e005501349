//! The poller task: polls on an interval, backs off after failures, analyses
//! each new snapshot off the UI task and sends the results on a channel.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TryRecvError;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::analysis::Analysis;
use crate::config::RulesConfig;
use crate::feed::cache;
use crate::feed::client::{FeedClient, Fetched, PollError};
use crate::feed::snapshot::Snapshot;

/// What the UI may ask of the poller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollerCommand {
    /// Poll now, whatever the schedule (also while paused: an explicit ask is answered).
    PollNow,
    /// Stop (true) or resume (false) polling.
    Pause(bool),
}

/// A new snapshot with its analysis.
#[derive(Debug, Clone)]
pub struct Fresh {
    /// The validated snapshot.
    pub snapshot: Arc<Snapshot>,
    /// Its analysis.
    pub analysis: Arc<Analysis>,
    /// When we received it (our clock).
    pub received_at: DateTime<Utc>,
}

/// What the poller reports.
#[derive(Debug)]
pub enum FeedEvent {
    /// A poll started (for a "polling..." hint).
    Polling,
    /// A new snapshot arrived.
    Fresh(Fresh),
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
}

/// The poll schedule.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// Normal time between polls.
    pub interval: Duration,
    /// Backoff cap.
    pub max_backoff: Duration,
    /// Retry-After cap.
    pub max_retry_after: Duration,
}

/// The shortest wait after a failure: full jitter may draw a wait of zero,
/// and an instant retry of a refused connection helps nobody.
pub const MIN_RETRY: Duration = Duration::from_millis(100);

/// How long to wait before the next poll.
///
/// `failures` counts the failed polls in a row, the last one included (0
/// after a success: the normal interval). After failures the wait is drawn
/// with full jitter (`jitter` in `[0, 1]`, from `fastrand::f64()`) from zero
/// up to a ceiling that starts at the interval and doubles with each failure,
/// capped at `max_backoff`. Floors: `Retry-After` of a busy feed (capped at
/// `max_retry_after`), the interval itself after an auth failure (a wrong
/// token will not get right by asking faster), and [`MIN_RETRY`].
pub fn next_delay(
    schedule: &Schedule,
    failures: u32,
    error: Option<&PollError>,
    jitter: f64,
) -> Duration {
    if failures == 0 {
        return schedule.interval;
    }
    // 2^(failures-1), without overflow for long outages.
    let factor = 1u32 << (failures - 1).min(20);
    let ceiling = schedule
        .interval
        .saturating_mul(factor)
        .min(schedule.max_backoff);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        1.0
    };
    let drawn = ceiling.mul_f64(jitter);
    let floor = match error {
        Some(PollError::Auth { .. }) => schedule.interval,
        Some(PollError::Busy {
            retry_after: Some(wait),
            ..
        }) => (*wait).min(schedule.max_retry_after),
        _ => Duration::ZERO,
    };
    drawn.max(floor).max(MIN_RETRY)
}

/// Starts the poller; it stops when `events` or `commands` closes.
///
/// With `cache` (a file from [`cache::path_for`]) it first sends the cached
/// document as [`FeedEvent::Cached`], and writes each new document there.
pub fn spawn(
    client: FeedClient,
    schedule: Schedule,
    rules: RulesConfig,
    events: mpsc::Sender<FeedEvent>,
    commands: mpsc::Receiver<PollerCommand>,
    cache: Option<PathBuf>,
) -> JoinHandle<()> {
    let poller = Poller {
        url: client.snapshot_url(),
        client,
        schedule,
        rules: Arc::new(rules),
        events,
        cache,
        cached_key: None,
        failures: 0,
    };
    tokio::spawn(poller.run(commands))
}

/// The channel to the UI is gone: stop.
struct Closed;

struct Poller {
    client: FeedClient,
    url: String,
    schedule: Schedule,
    rules: Arc<RulesConfig>,
    events: mpsc::Sender<FeedEvent>,
    cache: Option<PathBuf>,
    /// What the cache file holds (ETag, else a hash of the body), to skip rewriting it.
    cached_key: Option<String>,
    /// Failed polls in a row.
    failures: u32,
}

impl Poller {
    async fn run(mut self, mut commands: mpsc::Receiver<PollerCommand>) {
        if self.load_cache().await.is_err() {
            return;
        }
        let mut due = Instant::now();
        let mut paused = false;
        loop {
            // Sleep until the poll is due or the UI says something; nothing else wakes us.
            let poll = tokio::select! {
                () = tokio::time::sleep_until(due), if !paused => true,
                command = commands.recv() => match command {
                    None => return,
                    Some(PollerCommand::PollNow) => true,
                    Some(PollerCommand::Pause(pause)) => {
                        paused = pause;
                        false
                    }
                },
                () = self.events.closed() => return,
            };
            if !poll {
                continue;
            }
            // PollNow already queued (a held-down key) is answered by this
            // one poll; one that comes during the poll gets a poll of its own.
            loop {
                match commands.try_recv() {
                    Ok(PollerCommand::PollNow) => {}
                    Ok(PollerCommand::Pause(pause)) => paused = pause,
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => return,
                }
            }
            let Ok(delay) = self.poll_once().await else {
                return;
            };
            due = Instant::now() + delay;
        }
    }

    async fn send(&self, event: FeedEvent) -> Result<(), Closed> {
        self.events.send(event).await.map_err(|_| Closed)
    }

    /// One poll and its report; returns the wait before the next one.
    async fn poll_once(&mut self) -> Result<Duration, Closed> {
        self.send(FeedEvent::Polling).await?;
        let result = self.client.fetch().await;
        let at = Utc::now();
        let error = match result {
            Ok(None) => {
                self.failures = 0;
                self.send(FeedEvent::Unchanged { at }).await?;
                return Ok(next_delay(&self.schedule, 0, None, 0.0));
            }
            Ok(Some(fetched)) => match self.fresh(fetched, at).await? {
                Ok(()) => {
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
        let next_try_at = at + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX);
        self.send(FeedEvent::Failed {
            error: Arc::new(error),
            at,
            next_try_at,
        })
        .await?;
        Ok(delay)
    }

    /// Analyses a new document, reports it, then caches it.
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
        let snapshot = Arc::new(snapshot);
        let analysis = match analyse(&snapshot, &self.rules).await {
            Ok(analysis) => analysis,
            Err(error) => return Ok(Err(error)),
        };
        self.send(FeedEvent::Fresh(Fresh {
            snapshot,
            analysis,
            received_at,
        }))
        .await?;
        if let Some(write) = write {
            match write.await {
                Ok(Ok(key)) => self.cached_key = Some(key),
                Ok(Err(error)) => tracing::warn!("cannot write the feed cache: {error}"),
                Err(error) => tracing::warn!("writing the feed cache panicked: {error}"),
            }
        }
        Ok(Ok(()))
    }

    /// Sends the cached document, if any, before the first poll.
    async fn load_cache(&mut self) -> Result<(), Closed> {
        let Some(path) = self.cache.clone() else {
            return Ok(());
        };
        let url = self.url.clone();
        let max_body = self.client.max_body();
        let rules = Arc::clone(&self.rules);
        let loaded = tokio::task::spawn_blocking(move || {
            let entry = cache::load_or_log(&path, &url, max_body)?;
            let analysis = Analysis::of(&entry.snapshot, &rules);
            Some((entry, analysis))
        })
        .await;
        let Ok(Some((entry, analysis))) = loaded else {
            return Ok(());
        };
        self.cached_key = entry.validators.etag.as_deref().map(etag_key);
        // The cached document is what we hold now: its validators let the
        // first poll be a 304 when nothing changed since.
        self.client.set_validators(entry.validators);
        self.send(FeedEvent::Cached(Fresh {
            snapshot: Arc::new(entry.snapshot),
            analysis: Arc::new(analysis),
            received_at: entry.received_at,
        }))
        .await
    }
}

/// Runs the analysis off the async workers: a national-scale feed takes a while.
async fn analyse(
    snapshot: &Arc<Snapshot>,
    rules: &Arc<RulesConfig>,
) -> Result<Arc<Analysis>, PollError> {
    let snapshot = Arc::clone(snapshot);
    let rules = Arc::clone(rules);
    tokio::task::spawn_blocking(move || Arc::new(Analysis::of(&snapshot, &rules)))
        .await
        .map_err(|e| PollError::Internal(format!("analysing the snapshot: {e}")))
}

fn etag_key(etag: &str) -> String {
    format!("etag {etag}")
}

/// What identifies a body for the cache: its ETag, else a hash of its bytes.
fn cache_key(etag: Option<&str>, body: &[u8]) -> String {
    match etag {
        Some(etag) => etag_key(etag),
        None => format!("fnv64 {:016x}", super::fnv64(body)),
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
