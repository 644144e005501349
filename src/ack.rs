//! `rollout-dash ack` and `unack`: acknowledgements from the command line,
//! written to and read from the history database (no network).

use std::io::{self, Write};
use std::process::ExitCode;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::analysis::FindingId;
use crate::app::triage::Triage;
use crate::cli::{AckArgs, Format, UnackArgs};
use crate::config::Config;
use crate::exit::{EXIT_FEED, EXIT_USAGE};
use crate::feed::text;
use crate::history::acks::{Ack, Acks, os_user};
use crate::history::{History, HistoryError};

/// Exit code: the history database cannot be used.
pub const EXIT_HISTORY: u8 = EXIT_FEED;

/// Writes one line to stderr, ignoring a closed stderr.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(io::stderr(), $($arg)*);
    }};
}

/// One acknowledgement as `ack --list --format json` gives it.
#[derive(Serialize)]
struct Listed<'a> {
    id: &'a FindingId,
    #[serde(flatten)]
    ack: &'a Ack,
}

/// Runs `ack`: acknowledges a finding, or lists the acknowledgements.
pub fn run(args: AckArgs, config: &Config, now: DateTime<Utc>) -> ExitCode {
    if args.list {
        return list(args.format, config, now);
    }
    let id = match parse_id(args.id.as_deref().unwrap_or_default()) {
        Ok(id) => id,
        Err(code) => return code,
    };
    let until = match args.duration.map(|d| {
        chrono::Duration::from_std(d)
            .ok()
            .and_then(|d| now.checked_add_signed(d))
    }) {
        Some(None) => {
            say!("rollout-dash: --for: too long");
            return ExitCode::from(EXIT_USAGE);
        }
        Some(Some(until)) => Some(until),
        None => None,
    };
    let mut history = match History::open(&config.history, "") {
        Ok(history) => history,
        Err(error) => return history_failed(&error),
    };
    let note = args.note.unwrap_or_default();
    match history.current_finding_ids() {
        Ok(current) if current.contains(&id) => {}
        Ok(_) => {
            let why = match history.has_recorded() {
                Ok(true) => "is not a current finding in the history",
                _ => "cannot be checked: nothing is recorded in the history yet",
            };
            say!(
                "rollout-dash: note: {id} {why} ({}); acknowledged anyway: it holds when the finding appears",
                history.path().display()
            );
        }
        Err(error) => say!("rollout-dash: note: cannot check {id} against the history: {error}"),
    }
    match history.acknowledge(&id, &os_user(), &note, until, now) {
        Ok(ack) => {
            let mut out = io::stdout().lock();
            let _ = writeln!(out, "acknowledged {id} {}", until_words(&ack));
            ExitCode::SUCCESS
        }
        Err(error) => history_failed(&error),
    }
}

/// Runs `unack`: takes an acknowledgement back.
pub fn run_unack(args: UnackArgs, config: &Config, now: DateTime<Utc>) -> ExitCode {
    let id = match parse_id(&args.id) {
        Ok(id) => id,
        Err(code) => return code,
    };
    let mut history = match History::open(&config.history, "") {
        Ok(history) => history,
        Err(error) => return history_failed(&error),
    };
    match history.unacknowledge(&id, &os_user(), now) {
        Ok(unacked) if unacked.ended == 0 => {
            say!("rollout-dash: {id} was not acknowledged; nothing to take back");
            ExitCode::SUCCESS
        }
        Ok(_) => {
            let _ = writeln!(io::stdout(), "took back the acknowledgement of {id}");
            ExitCode::SUCCESS
        }
        Err(error) => history_failed(&error),
    }
}

fn list(format: Format, config: &Config, now: DateTime<Utc>) -> ExitCode {
    let acks = match History::open_read_only(&config.history, "") {
        Ok(history) => match history.acks(now) {
            Ok(acks) => acks,
            Err(error) => return history_failed(&error),
        },
        // Nothing recorded yet: nothing acknowledged either.
        Err(HistoryError::Missing { .. }) => Default::default(),
        Err(error) => return history_failed(&error),
    };
    let holding = acks.holding(now);
    let mut out = io::stdout().lock();
    let written = match format {
        Format::Json => {
            let listed: Vec<Listed> = holding
                .iter()
                .map(|ack| Listed {
                    id: &ack.finding,
                    ack,
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &listed)
                .map_err(io::Error::other)
                .and_then(|()| writeln!(out))
        }
        Format::Text => write_list(&mut out, &holding),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not a failure of ours.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            say!("rollout-dash: cannot write the list: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The text list: one acknowledgement a line, the note escaped (it is
/// anyone's text, and may hold what a terminal would act on).
fn write_list(out: &mut impl Write, acks: &[&Ack]) -> io::Result<()> {
    if acks.is_empty() {
        return writeln!(out, "no acknowledgements");
    }
    for ack in acks {
        let note = if ack.note.is_empty() {
            String::new()
        } else {
            format!(": {}", text::escape(&ack.note))
        };
        writeln!(
            out,
            "{}  by {} at {}, {}{note}",
            text::escape(ack.finding.as_str()),
            text::escape(&ack.by),
            ack.at.to_rfc3339_opts(SecondsFormat::Secs, true),
            until_words(ack),
        )?;
    }
    Ok(())
}

/// "until it clears" or "until <time>".
fn until_words(ack: &Ack) -> String {
    match ack.until {
        Some(until) => format!("until {}", until.to_rfc3339_opts(SecondsFormat::Secs, true)),
        None => "until it clears".to_owned(),
    }
}

fn parse_id(typed: &str) -> Result<FindingId, ExitCode> {
    FindingId::parse(typed).map_err(|message| {
        say!("rollout-dash: {}", text::escape(&message));
        ExitCode::from(EXIT_USAGE)
    })
}

fn history_failed(error: &HistoryError) -> ExitCode {
    say!("rollout-dash: {error}");
    ExitCode::from(EXIT_HISTORY)
}

/// The dashboard's side of acknowledgements: reads and writes the history
/// database on blocking tasks and sends what it found back as messages, so
/// the UI task never waits for SQLite nor hashes every finding.
#[derive(Clone, Debug)]
pub struct Worker {
    history: crate::settings::HistoryConfig,
    send: tokio::sync::mpsc::UnboundedSender<crate::app::Msg>,
    /// Bumped when the dashboard switches feeds: a snapshot held for the
    /// old feed is dropped, not shown.
    generation: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// How the database's files stood before the last read.
    read_at: std::sync::Arc<std::sync::Mutex<Option<Written>>>,
}

/// When the database and its write-ahead log were last written, and their
/// lengths: another process's acknowledgement changes one of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written([Option<(std::time::SystemTime, u64)>; 2]);

impl Written {
    /// How the database at `path` (and `path-wal`) stand now.
    pub fn of(path: &std::path::Path) -> Written {
        let stand = |path: &std::path::Path| {
            std::fs::metadata(path)
                .ok()
                .and_then(|m| Some((m.modified().ok()?, m.len())))
        };
        let mut wal = path.as_os_str().to_owned();
        // i18n: SQLite's name for its log beside the database
        wal.push("-wal");
        Written([stand(path), stand(std::path::Path::new(&wal))])
    }
}

impl Worker {
    /// A worker on the configured database, sending to the dashboard.
    pub fn new(
        history: crate::settings::HistoryConfig,
        send: tokio::sync::mpsc::UnboundedSender<crate::app::Msg>,
    ) -> Self {
        Worker {
            history,
            send,
            generation: Default::default(),
            read_at: Default::default(),
        }
    }

    /// Drops the snapshots held so far (the dashboard switched feeds).
    pub fn forget_held(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// Reads the acknowledgements; `None` (logged) when the database cannot
    /// be read, so that what is on screen stays.
    fn read(&self, now: DateTime<Utc>) -> Option<crate::history::acks::Acks> {
        // Before the read: a write in between is seen by the next look.
        let written = self.written();
        *self.read_at.lock().unwrap_or_else(|e| e.into_inner()) = written;
        match History::open_read_only(&self.history, "").and_then(|h| h.acks(now)) {
            Ok(acks) => Some(acks),
            Err(HistoryError::Missing { .. } | HistoryError::Disabled) => Some(Default::default()),
            Err(error) => {
                tracing::warn!(%error, "cannot read the acknowledgements");
                None
            }
        }
    }

    /// A new snapshot arrived while findings are acknowledged: works out
    /// which of its findings are before the dashboard sees it, then sends
    /// both, so acknowledged rows never flash up undimmed.
    pub fn hold_fresh(&self, event: crate::worker::FeedEvent, previous: Acks) {
        use crate::worker::FeedEvent;
        let worker = self.clone();
        let generation = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        tokio::task::spawn_blocking(move || {
            let now = Utc::now();
            let current =
                || worker.generation.load(std::sync::atomic::Ordering::SeqCst) == generation;
            if !current() {
                return;
            }
            if let FeedEvent::Fresh { fresh, .. } = &event {
                let acks = worker.read(now).unwrap_or(previous);
                let triage = Triage::of(acks, &fresh.analysis, None, now);
                if !current() {
                    return;
                }
                let _ = worker.send.send(crate::app::Msg::Feed(event));
                let _ = worker.send.send(crate::app::Msg::Triage(triage));
            } else {
                let _ = worker.send.send(crate::app::Msg::Feed(event));
            }
        });
    }

    /// How the database's files stand now; `None` without one.
    fn written(&self) -> Option<Written> {
        self.history
            .enabled
            .then(|| self.history.resolved_path())
            .flatten()
            .map(|path| Written::of(&path))
    }

    /// After a poll that brought nothing new: [`Worker::refresh`] if the
    /// database was written since the last read (another process may have
    /// acknowledged something). Unwritten, the acknowledgements are those
    /// on screen, and a snooze running out has its own reread: opening the
    /// database every poll was a fifth of the idle dashboard's CPU.
    pub fn refresh_if_written(&self, app: &crate::app::App) {
        let last = self
            .read_at
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        // What `refresh` would leave as it is, unless the database changed.
        let settled = app.triage.acks.is_empty()
            || app
                .current
                .as_ref()
                .is_some_and(|fresh| app.triage.is_of(&fresh.analysis));
        if settled && last.is_some() && last == self.written() {
            return;
        }
        self.refresh(app);
    }

    /// After a poll: reads the acknowledgements again (another process may
    /// have written some) and sends them when they changed, or when they
    /// were not yet worked out for the analysis on screen.
    pub fn refresh(&self, app: &crate::app::App) {
        let Some(fresh) = app.current.as_ref() else {
            return;
        };
        let analysis = std::sync::Arc::clone(&fresh.analysis);
        let previous = app.triage.acks.clone();
        let worked_out = app.triage.is_of(&analysis);
        let ids = app.triage.ids.clone().filter(|_| worked_out);
        let worker = self.clone();
        tokio::task::spawn_blocking(move || {
            let now = Utc::now();
            let Some(acks) = worker.read(now) else {
                return;
            };
            if acks == previous && (worked_out || acks.is_empty()) {
                return;
            }
            let triage = Triage::of(acks, &analysis, ids, now);
            let _ = worker.send.send(crate::app::Msg::Triage(triage));
        });
    }

    /// Writes an acknowledgement (`until` `Some` for a snooze) or takes one
    /// back (`note` `None`), then sends what became of it and the
    /// acknowledgements as they now are.
    pub fn write(&self, app: &crate::app::App, command: crate::app::Command) {
        use crate::app::Command;
        let analysis = app
            .current
            .as_ref()
            .map(|fresh| std::sync::Arc::clone(&fresh.analysis));
        let ids = analysis
            .as_ref()
            .filter(|analysis| app.triage.is_of(analysis))
            .and_then(|_| app.triage.ids.clone());
        let worker = self.clone();
        let lang = app.display.lang;
        let zone = app.zone;
        tokio::task::spawn_blocking(move || {
            let now = Utc::now();
            let by = os_user();
            let result = History::open(&worker.history, "").and_then(|mut history| {
                let said = match &command {
                    Command::Ack {
                        finding,
                        note,
                        until,
                    } => {
                        let ack = history.acknowledge(finding, &by, note, *until, now)?;
                        let finding = finding.to_string();
                        match ack.until {
                            // The footer says the time in the operator's zone.
                            Some(until) => crate::tr!(
                                lang,
                                "notice-acked-until",
                                finding = finding,
                                until = crate::settings::zoned(until, zone, "%Y-%m-%d %H:%M %Z")
                            ),
                            None => {
                                crate::tr!(lang, "notice-acked-until-clears", finding = finding)
                            }
                        }
                        .into_owned()
                    }
                    Command::Unack(finding) => {
                        let ended = history.unacknowledge(finding, &by, now)?.ended;
                        let finding = finding.to_string();
                        match ended {
                            0 => crate::tr!(lang, "notice-unack-not-acked", finding = finding),
                            _ => crate::tr!(lang, "notice-unacked", finding = finding),
                        }
                        .into_owned()
                    }
                    _ => String::new(),
                };
                Ok((said, history.acks(now)?))
            });
            match result {
                Ok((said, acks)) => {
                    if let Some(analysis) = &analysis {
                        let triage = Triage::of(acks, analysis, ids, now);
                        let _ = worker.send.send(crate::app::Msg::Triage(triage));
                    }
                    let _ = worker.send.send(crate::app::Msg::Acked(said));
                }
                Err(error) => {
                    let error = error.to_string();
                    let said = match command {
                        Command::Unack(_) => crate::tr!(lang, "notice-unack-failed", error = error),
                        _ => crate::tr!(lang, "notice-ack-failed", error = error),
                    };
                    let _ = worker.send.send(crate::app::Msg::Acked(said.into_owned()));
                }
            }
        });
    }
}
