//! `rollout-dash record`: polls a feed like the dashboard and records every
//! new snapshot in the history database, with no terminal; logs to stderr;
//! exits 0 on SIGTERM or SIGINT. What a jump host runs as a service so that
//! history exists while nobody watches.

use std::process::ExitCode;
use std::time::Duration;

use chrono::Utc;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::time::Instant;

use crate::analysis::Analysis;
use crate::cli::RecordArgs;
use crate::config::{Config, FEED_ENV};
use crate::exit::{EXIT_FEED, EXIT_USAGE};
use crate::feed::client::{FeedClient, PollResult, Validators};
use crate::feed::schedule::{Schedule, next_delay};
use crate::history::{History, Recorded};

/// The shortest interval accepted, as for `feed.interval`.
const MIN_INTERVAL: Duration = Duration::from_millis(200);

/// SIGTERM and SIGINT, whichever comes first.
struct StopSignals {
    terminate: Signal,
    interrupt: Signal,
}

impl StopSignals {
    fn new() -> std::io::Result<Self> {
        Ok(StopSignals {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
        })
    }

    /// The name of the next stop signal; cancel-safe.
    async fn recv(&mut self) -> &'static str {
        tokio::select! {
            _ = self.terminate.recv() => "SIGTERM",
            _ = self.interrupt.recv() => "SIGINT",
        }
    }
}

/// Runs `record` until SIGTERM or SIGINT; returns the exit code: 0 on a
/// signal, 1 when the history database cannot be opened at the start, 2 on
/// a usage or config error. A write that fails later is logged and polling
/// goes on: the next new snapshot is tried again.
pub async fn run(args: RecordArgs, config: Config) -> color_eyre::Result<ExitCode> {
    let Some(url) = args
        .feed
        .filter(|u| !u.is_empty())
        .or(config.feed.url.clone())
    else {
        eprintln!(
            "rollout-dash: record needs a feed: --feed URL, {FEED_ENV} or feed.url in the config"
        );
        return Ok(ExitCode::from(EXIT_USAGE));
    };
    if let Err(fault) = crate::config::check_url(&url) {
        eprintln!("rollout-dash: --feed: {}", fault.text(config.lang()));
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let interval = args.interval.map_or(config.feed.interval.0, |s| s.0);
    if interval < MIN_INTERVAL {
        let message = crate::tr!(config.lang(), "config-interval-too-short");
        eprintln!("rollout-dash: --interval: {message}");
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let client = config
        .token()
        .map_err(|e| e.text(config.lang()))
        .and_then(|token| FeedClient::new(&url, &config.feed, token).map_err(|e| e.to_string()));
    let mut client = match client {
        Ok(client) => client,
        Err(message) => {
            eprintln!("rollout-dash: {message}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    // Before anything slow: a signal during the start still ends us cleanly.
    let mut stop = StopSignals::new()?;

    let feed = client.snapshot_url();
    let history_config = config.history.clone();
    let opened = tokio::task::spawn_blocking(move || History::open(&history_config, &feed)).await?;
    let mut history = match opened {
        Ok(mut history) => {
            // Findings' sentences are stored in the configured language.
            history.set_lang(config.lang());
            history
        }
        Err(error) => {
            // Recording is this command's whole job: without the database it stops.
            eprintln!("rollout-dash: {error}");
            return Ok(ExitCode::from(EXIT_FEED));
        }
    };
    tracing::info!(
        feed = %client.snapshot_url(),
        history = %history.path().display(),
        interval = ?interval,
        "recording"
    );

    let schedule = Schedule {
        interval,
        max_backoff: config.feed.max_backoff.0,
        max_retry_after: config.feed.max_retry_after.0,
    };
    let rules = std::sync::Arc::new(config.rules.clone());
    let mut failures = 0u32;
    // The reason the last write failed: said once at warn, not every poll.
    let mut failing: Option<String> = None;
    let mut due = Instant::now();
    loop {
        tokio::select! {
            signal = stop.recv() => return Ok(stopped(signal)),
            () = tokio::time::sleep_until(due) => {}
        }
        let polled = tokio::select! {
            signal = stop.recv() => return Ok(stopped(signal)),
            polled = client.poll() => polled,
        };
        let delay = match polled {
            Ok(PollResult::Fresh(snapshot)) => {
                failures = 0;
                let received_at = Utc::now();
                let rules = rules.clone();
                // A write under way is not cut short by a signal: the signal
                // waits in its queue until the transaction is done.
                let (returned, recorded) = tokio::task::spawn_blocking(move || {
                    let analysis = Analysis::of(&snapshot, &rules);
                    let recorded = history.record(&snapshot, &analysis, received_at);
                    (history, recorded)
                })
                .await?;
                history = returned;
                match recorded {
                    Ok(recorded) => {
                        if failing.take().is_some() {
                            tracing::info!("recording again");
                        }
                        log_recorded(&recorded);
                    }
                    Err(error) => {
                        let reason = error.to_string();
                        if failing.as_ref() == Some(&reason) {
                            tracing::debug!(%error, "cannot record the snapshot; polling goes on");
                        } else {
                            tracing::warn!(%error, "cannot record the snapshot; polling goes on");
                        }
                        failing = Some(reason);
                        // Without validators the next poll brings the
                        // document again (not a 304), so it is tried again.
                        client.set_validators(Validators::default());
                    }
                }
                schedule.interval
            }
            Ok(PollResult::NotModified) => {
                failures = 0;
                tracing::debug!("the feed has not changed (304)");
                schedule.interval
            }
            Err(error) => {
                failures = failures.saturating_add(1);
                let delay = next_delay(&schedule, failures, Some(&error), fastrand::f64());
                tracing::warn!(%error, retry_in = ?delay, "poll failed");
                delay
            }
        };
        due = Instant::now() + delay;
    }
}

fn stopped(signal: &str) -> ExitCode {
    tracing::info!("stopping on {signal}");
    ExitCode::SUCCESS
}

fn log_recorded(recorded: &Recorded) {
    match recorded {
        Recorded::New {
            snapshot,
            records_changed,
            findings_appeared,
            findings_cleared,
        } => tracing::info!(
            generated_at = %snapshot.generated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            records_changed,
            findings_appeared,
            findings_cleared,
            "recorded a new snapshot"
        ),
        Recorded::Unchanged(_) => tracing::debug!("the snapshot is already recorded"),
        Recorded::Stale(latest) => tracing::debug!(
            latest = %latest.received_at,
            "a later snapshot is already recorded (another recorder); this one is dropped"
        ),
    }
}
