//! The dashboard's side of the history: a worker between the poller and the
//! app that records every new snapshot, keeps the change log in step with
//! what is recorded, and loads past snapshots for `[` and `]`.
//!
//! Two pieces, so that nothing here ever waits on the UI task:
//! - the tap, an async task, passes each poller report on to the app at
//!   once and hands new snapshots to the worker;
//! - the worker, a thread of its own, owns the one [`History`] handle and
//!   does every blocking thing (open, record, load, analyse) in order.
//!
//! While the history is on, the change log comes from it (what changed
//! between recorded snapshots): the log loaded at start and each new
//! snapshot's changes then never repeat each other, whoever recorded them
//! (this dashboard, another one, or `rollout-dash record`). While it is off,
//! the poller's own changes are passed on instead.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{FeedEvent, Fresh};
use crate::analysis::{Change, RulesConfig};
use crate::history::{History, HistoryError, Recorded, SnapshotId, SnapshotInfo};
use crate::i18n::Lang;
use crate::settings::HistoryConfig;
use crate::tr;

/// What the app asks of the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryCommand {
    /// `[`: the recorded snapshot before the one on screen.
    Back,
    /// `]`: the recorded snapshot after the one on screen; live past the newest.
    Forward,
    /// The app went back to live on its own (the history went off).
    Live,
}

/// A recorded snapshot loaded and analysed, for the panes to show.
#[derive(Clone, Debug)]
pub struct Past {
    /// Its row.
    pub info: SnapshotInfo,
    /// The snapshot, analysed and indexed as the poller does a live one.
    pub fresh: Fresh,
}

impl Past {
    /// The feed's `generated_at`: the time the header shows.
    pub fn generated_at(&self) -> DateTime<Utc> {
        self.info.generated_at
    }
}

/// What the history reports to the app.
#[derive(Debug)]
pub enum HistoryEvent {
    /// The database is open: the change log it holds, oldest first (at most
    /// `ui.change_log_size`).
    Opened {
        /// The file.
        path: PathBuf,
        /// The last recorded changes, oldest first.
        changes: Vec<Change>,
    },
    /// The history cannot be used (at start, or a write failed).
    Off {
        /// A few words for the header (`corrupt`, `read-only`, ...).
        short: &'static str,
        /// A fault (false: off by choice, `history.enabled = false` or the
        /// demo feed, which the header does not call out).
        fault: bool,
        /// The whole reason, starting "history off:".
        reason: String,
    },
    /// A write worked again after [`HistoryEvent::Off`].
    On,
    /// Changes to add to the change log, oldest first.
    Changes(Vec<Change>),
    /// A past snapshot to show.
    Past(Box<Past>),
    /// Back to live: `]` went past the newest recorded snapshot.
    Live,
    /// `[` at the oldest recorded snapshot: nothing before it.
    Oldest {
        /// When the oldest one was generated, if one is shown.
        generated_at: Option<DateTime<Utc>>,
    },
    /// A step could not be made, and why (nothing recorded, a read failed).
    Unavailable {
        /// Why, in a sentence.
        reason: String,
    },
}

/// The few words the header says after "history off".
pub fn short_reason(error: &HistoryError) -> &'static str {
    match error {
        HistoryError::Disabled => "disabled",
        HistoryError::NoPath => "no path",
        HistoryError::Missing { .. } => "no file",
        HistoryError::NotRegular { .. } => "not a file",
        HistoryError::CreateDir { .. } => "no directory",
        HistoryError::Corrupt { .. } => "corrupt",
        HistoryError::Locked { .. } => "locked",
        HistoryError::ReadOnly { .. } => "read-only",
        HistoryError::NewerSchema { .. } => "newer version",
        HistoryError::Full { .. } => "disk full",
        HistoryError::Database { .. } => "database error",
    }
}

/// The whole reason the history is off (or a step failed), in `lang`:
/// the kind of fault in its words, then the file and what the system or
/// SQLite said, as they said it. English is the error's own sentence.
pub fn off_reason(lang: Lang, error: &HistoryError) -> String {
    let shown = |path: &std::path::Path| path.display().to_string();
    match error {
        HistoryError::Disabled => tr!(lang, "history-off-disabled"),
        HistoryError::NoPath => tr!(lang, "history-off-no-path"),
        HistoryError::Missing { path } => tr!(lang, "history-off-missing", path = shown(path)),
        HistoryError::NotRegular { path, kind } => {
            tr!(
                lang,
                "history-off-not-regular",
                path = shown(path),
                kind = crate::settings::kind_tag(kind)
            )
        }
        HistoryError::CreateDir { path, source } => tr!(
            lang,
            "history-off-create-dir",
            path = shown(path),
            detail = source.to_string()
        ),
        HistoryError::Corrupt { path, detail } => tr!(
            lang,
            "history-off-corrupt",
            path = shown(path),
            detail = detail.as_str()
        ),
        HistoryError::Locked { path, waited } => tr!(
            lang,
            "history-off-locked",
            path = shown(path),
            seconds = waited.as_secs_f64().to_string()
        ),
        HistoryError::ReadOnly { path, detail } => tr!(
            lang,
            "history-off-read-only",
            path = shown(path),
            detail = detail.as_str()
        ),
        HistoryError::NewerSchema { path, found, known } => tr!(
            lang,
            "history-off-newer",
            path = shown(path),
            found = found.to_string(),
            known = known.to_string()
        ),
        HistoryError::Full { path, detail } => tr!(
            lang,
            "history-off-full",
            path = shown(path),
            detail = detail.as_str()
        ),
        HistoryError::Database { path, detail } => tr!(
            lang,
            "history-off-database",
            path = shown(path),
            detail = detail.as_str()
        ),
    }
    .into_owned()
}

/// How to start the history of one dashboard.
#[derive(Clone, Debug)]
pub struct Setup {
    /// `[history]`.
    pub config: HistoryConfig,
    /// The feed key ([`crate::history::feed_key`]); `None`: this feed is not
    /// recorded, for `not_recorded`'s reason.
    pub feed: Option<String>,
    /// Why the feed is not recorded, when `feed` is `None` (in `lang`).
    pub not_recorded: String,
    /// The dashboard's language: the reasons are given, findings recorded
    /// and past changes described in it.
    pub lang: Lang,
    /// The rules past snapshots are analysed with.
    pub rules: Arc<RulesConfig>,
    /// `ui.change_log_size`.
    pub change_log_size: usize,
}

/// A job for the worker.
enum Job {
    Record { fresh: Fresh, changes: Vec<Change> },
    Step(HistoryCommand),
}

/// What the dashboard holds of the running history.
#[derive(Debug)]
pub struct HistoryHandle {
    jobs: mpsc::UnboundedSender<Job>,
    tap: JoinHandle<()>,
}

impl HistoryHandle {
    /// Passes on what `update` asked for; never waits.
    pub fn send(&self, command: HistoryCommand) {
        let _ = self.jobs.send(Job::Step(command));
    }

    /// Stops passing poller reports on. The worker ends once its queue is
    /// done (a write under way is finished, not cut).
    pub fn abort(&self) {
        self.tap.abort();
    }
}

/// Starts the history between the poller (`from_poller`) and the app: the
/// poller's reports go on to `to_app` unchanged, except that a new
/// snapshot's changes come as [`HistoryEvent::Changes`] on `events`, with
/// everything else the history says. The database is opened (and the
/// change log read) on the worker, first thing.
pub fn start(
    setup: Setup,
    mut from_poller: mpsc::Receiver<FeedEvent>,
    to_app: mpsc::Sender<FeedEvent>,
    events: mpsc::Sender<HistoryEvent>,
) -> std::io::Result<HistoryHandle> {
    let (jobs, queue) = mpsc::unbounded_channel();
    std::thread::Builder::new()
        .name("history".into())
        .spawn(move || Worker::new(setup, events).run(queue))?;
    let recorder = jobs.clone();
    let tap = tokio::spawn(async move {
        while let Some(event) = from_poller.recv().await {
            let event = match event {
                FeedEvent::Fresh { fresh, changes } => {
                    // The panes first; the log follows once recorded.
                    let shown = FeedEvent::Fresh {
                        fresh: fresh.clone(),
                        changes: Vec::new(),
                    };
                    if to_app.send(shown).await.is_err() {
                        return;
                    }
                    let _ = recorder.send(Job::Record { fresh, changes });
                    continue;
                }
                event => event,
            };
            if to_app.send(event).await.is_err() {
                return;
            }
        }
    });
    Ok(HistoryHandle { jobs, tap })
}

/// The thread that owns the database.
struct Worker {
    setup: Setup,
    events: mpsc::Sender<HistoryEvent>,
    history: Option<History>,
    /// Why the history is off, while it is.
    off: Option<String>,
    /// The newest snapshot whose changes the app has.
    logged_upto: Option<SnapshotId>,
    /// The recorded row of the live snapshot, if it is recorded.
    live: Option<SnapshotId>,
    /// The past snapshot on screen; `None`: live.
    viewing: Option<SnapshotInfo>,
}

/// The app is gone: stop.
struct Gone;

impl Worker {
    fn new(setup: Setup, events: mpsc::Sender<HistoryEvent>) -> Self {
        Worker {
            setup,
            events,
            history: None,
            off: None,
            logged_upto: None,
            live: None,
            viewing: None,
        }
    }

    fn send(&self, event: HistoryEvent) -> Result<(), Gone> {
        self.events.blocking_send(event).map_err(|_| Gone)
    }

    fn run(mut self, mut queue: mpsc::UnboundedReceiver<Job>) {
        if self.open().is_err() {
            return;
        }
        while let Some(job) = queue.blocking_recv() {
            let done = match job {
                Job::Record { fresh, changes } => self.record(&fresh, changes),
                Job::Step(command) => {
                    // Steps already queued behind this one are made on the
                    // ids alone: only the last one is loaded.
                    let mut commands = vec![command];
                    let mut records = Vec::new();
                    while let Ok(next) = queue.try_recv() {
                        match next {
                            Job::Step(command) => commands.push(command),
                            record => records.push(record),
                        }
                    }
                    let mut done = self.step(&commands);
                    for record in records {
                        if let Job::Record { fresh, changes } = record {
                            done = done.and_then(|()| self.record(&fresh, changes));
                        }
                    }
                    done
                }
            };
            if done.is_err() {
                return;
            }
        }
    }

    fn go_off(&mut self, error: &HistoryError) -> Result<(), Gone> {
        let reason = off_reason(self.setup.lang, error);
        if self.off.as_ref() == Some(&reason) {
            tracing::debug!("{reason}");
            return Ok(());
        }
        tracing::warn!("{reason}");
        self.off = Some(reason.clone());
        self.send(HistoryEvent::Off {
            short: short_reason(error),
            fault: !matches!(error, HistoryError::Disabled),
            reason,
        })
    }

    /// Opens the database and sends the change log it holds.
    fn open(&mut self) -> Result<(), Gone> {
        let Some(feed) = self.setup.feed.clone() else {
            let reason = tr!(
                self.setup.lang,
                "history-off-not-recorded",
                reason = self.setup.not_recorded.as_str()
            )
            .into_owned();
            self.off = Some(reason.clone());
            return self.send(HistoryEvent::Off {
                short: "not recorded",
                fault: false,
                reason,
            });
        };
        let lang = self.setup.lang;
        let opened = History::open(&self.setup.config, &feed).and_then(|mut history| {
            history.set_lang(lang);
            let latest = history.latest()?;
            let changes = match &latest {
                Some(latest) => history.recent_changes(latest.id, self.setup.change_log_size)?,
                None => Vec::new(),
            };
            Ok((history, latest.map(|l| l.id), changes))
        });
        match opened {
            Ok((history, latest, changes)) => {
                tracing::info!(history = %history.path().display(), "recording into the history");
                let path = history.path().to_owned();
                self.history = Some(history);
                self.logged_upto = latest;
                self.send(HistoryEvent::Opened {
                    path,
                    changes: changes.into_iter().map(|c| c.change).collect(),
                })
            }
            Err(error) => self.go_off(&error),
        }
    }

    /// Records a new live snapshot and sends the change log's new lines.
    fn record(&mut self, fresh: &Fresh, changes: Vec<Change>) -> Result<(), Gone> {
        let Some(history) = self.history.as_mut() else {
            return self.send(HistoryEvent::Changes(changes));
        };
        let recorded = history
            .record(&fresh.snapshot, &fresh.analysis, fresh.received_at)
            .and_then(|recorded| {
                let latest = history.latest()?.map(|l| l.id);
                Ok((recorded, latest))
            });
        let (recorded, latest) = match recorded {
            Ok(recorded) => recorded,
            Err(error) => {
                // The log goes on from the poller; the next snapshot tries again.
                self.live = None;
                self.go_off(&error)?;
                return self.send(HistoryEvent::Changes(changes));
            }
        };
        self.live = match recorded {
            Recorded::New { snapshot, .. } | Recorded::Unchanged(snapshot) => Some(snapshot.id),
            Recorded::Stale(_) => None,
        };
        if self.off.take().is_some() {
            // Back from a failure: the poller's changes are this snapshot's;
            // the log goes on from here.
            tracing::info!("recording into the history again");
            self.logged_upto = latest;
            self.send(HistoryEvent::On)?;
            return self.send(HistoryEvent::Changes(changes));
        }
        let Some(latest) = latest.filter(|l| Some(*l) > self.logged_upto) else {
            return Ok(());
        };
        let logged = history.recorded_changes(self.logged_upto, latest);
        self.logged_upto = Some(latest);
        match logged {
            Ok(logged) => self.send(HistoryEvent::Changes(
                logged.into_iter().map(|c| c.change).collect(),
            )),
            Err(error) => {
                tracing::warn!("{error}");
                self.send(HistoryEvent::Changes(changes))
            }
        }
    }

    /// Moves through the recorded snapshots by `commands`, then loads and
    /// sends where that ends.
    fn step(&mut self, commands: &[HistoryCommand]) -> Result<(), Gone> {
        let Some(history) = self.history.as_mut() else {
            if commands.contains(&HistoryCommand::Live) {
                self.viewing = None;
            }
            let reason = self
                .off
                .clone()
                .unwrap_or_else(|| tr!(self.setup.lang, "history-off").into_owned());
            return self.send(HistoryEvent::Unavailable { reason });
        };
        let start = self.viewing.clone();
        let mut at = start.clone();
        let mut oldest = false;
        for command in commands {
            oldest = false;
            let moved = match (command, &at) {
                (HistoryCommand::Live, _) | (HistoryCommand::Forward, None) => Ok(None),
                (HistoryCommand::Back, Some(shown)) => history.previous(shown.id).map(|p| {
                    oldest = p.is_none();
                    p.or(Some(shown.clone()))
                }),
                (HistoryCommand::Back, None) => match self.live {
                    Some(live) => history.previous(live).inspect(|p| oldest = p.is_none()),
                    // The live snapshot is not recorded: the newest recorded one.
                    None => history.latest(),
                },
                (HistoryCommand::Forward, Some(shown)) => history
                    .next(shown.id)
                    .map(|n| n.filter(|n| Some(n.id) != self.live)),
            };
            match moved {
                Ok(moved) => at = moved,
                Err(error) => {
                    return self.send(HistoryEvent::Unavailable {
                        reason: off_reason(self.setup.lang, &error),
                    });
                }
            }
        }
        let unmoved = at.as_ref().map(|a| a.id) == start.as_ref().map(|s| s.id);
        match at {
            None if start.is_none() && oldest => {
                self.send(HistoryEvent::Oldest { generated_at: None })
            }
            None if start.is_none() && commands.contains(&HistoryCommand::Back) => {
                self.send(HistoryEvent::Unavailable {
                    reason: tr!(self.setup.lang, "history-no-earlier").into_owned(),
                })
            }
            None => {
                self.viewing = None;
                self.send(HistoryEvent::Live)
            }
            Some(shown) if unmoved && oldest => self.send(HistoryEvent::Oldest {
                generated_at: Some(shown.generated_at),
            }),
            // Back and forth again before the first step was loaded.
            Some(_) if unmoved => Ok(()),
            Some(info) => match load(history, &info, &self.setup.rules) {
                Ok(past) => {
                    self.viewing = Some(info);
                    self.send(HistoryEvent::Past(Box::new(past)))?;
                    if oldest {
                        self.send(HistoryEvent::Oldest {
                            generated_at: self.viewing.as_ref().map(|v| v.generated_at),
                        })?;
                    }
                    Ok(())
                }
                Err(error) => self.send(HistoryEvent::Unavailable {
                    reason: off_reason(self.setup.lang, &error),
                }),
            },
        }
    }
}

/// Loads a recorded snapshot and derives what the panes show from it, as
/// the poller does for a live one.
pub fn load(
    history: &mut History,
    info: &SnapshotInfo,
    rules: &RulesConfig,
) -> Result<Past, HistoryError> {
    let snapshot = history.load(info.id)?;
    Ok(Past {
        info: info.clone(),
        fresh: Fresh::derive(snapshot, rules, info.received_at),
    })
}
