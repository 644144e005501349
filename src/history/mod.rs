//! The history database: one SQLite file that records every new snapshot of
//! a feed, so that `report --at` can show the rollout as it stood at a past
//! time and `report --since` what changed since.
//!
//! What is stored is what changed, not every body: each record (the
//! programme, a city, a partner, a store, a feed warning) is kept as its
//! canonical JSON with the snapshot it appeared in and the one it left in;
//! each finding the same way, by [`FindingKey`] and severity; and one row per
//! distinct snapshot (`generated_at`, when it was received, a content hash,
//! and the order of its records and its data warnings, stored once per
//! distinct value). A snapshot is rebuilt from the versions valid at it.
//!
//! Several dashboards, recorders and `ack` commands on one host share the
//! file: it runs in WAL mode (readers never wait for a writer), every write
//! is one `BEGIN IMMEDIATE` transaction, and a busy connection waits
//! [`BUSY_TIMEOUT`] before it gives up. Recording is idempotent: a snapshot
//! equal to the latest recorded one, or an older view of the feed (received
//! before it, or an older document received just after it), adds nothing.
//!
//! Everything here blocks: callers on an async runtime run it on a blocking
//! task (`tokio::task::spawn_blocking`). [`History`] is `Send`, so it can be
//! moved into that task and back.
//!
//! The dashboard records through [`crate::worker::history`]: one writer
//! opened with [`History::open`] on a thread of its own, which calls
//! [`History::record`] for each new snapshot, fills the change log at start
//! from [`History::recent_changes`] and then [`History::recorded_changes`],
//! and steps through recorded snapshots with [`History::previous`] /
//! [`History::next`] and [`History::load`]. Acknowledgements add their
//! tables as a new entry in [`schema::MIGRATIONS`].

pub mod acks;
pub mod key;
mod queries;
pub mod schema;
mod store;
pub mod time;
pub mod trend;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};

use crate::analysis::Change;
use crate::i18n::Lang;
use crate::settings::HistoryConfig;

pub use key::{FindingKey, finding_key};
pub use queries::change_kind_name;

/// How long a connection waits for another one's lock before it gives up
/// with [`HistoryError::Locked`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How often a writer prunes versions older than `history.retention_days`.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Why the history cannot be used. Every message starts with "history
/// off:" and says why, for the dashboard's status line and stderr.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// `history.enabled = false`.
    #[error("history off: history.enabled is false in the config")]
    Disabled,
    /// No `history.path`, and no `XDG_DATA_HOME` or `HOME` to put it in.
    #[error(
        "history off: no history.path in the config, and neither XDG_DATA_HOME nor HOME is set"
    )]
    NoPath,
    /// Reading a file that is not there.
    #[error("history off: {}: no history recorded yet (the file does not exist)", .path.display())]
    Missing {
        /// The file.
        path: PathBuf,
    },
    /// A FIFO, a directory, a device.
    #[error("history off: {}: is {kind}, not a regular file", .path.display())]
    NotRegular {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        kind: &'static str,
    },
    /// Its directory could not be created.
    #[error("history off: {}: cannot create its directory: {source}", .path.display())]
    CreateDir {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not an SQLite file, damaged, or another program's database.
    #[error("history off: {}: not a usable history database ({detail})", .path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What SQLite or the rebuild said.
        detail: String,
    },
    /// Another connection held a lock for longer than [`BUSY_TIMEOUT`].
    #[error(
        "history off: {}: locked by another program for more than {} s",
        .path.display(),
        .waited.as_secs_f64()
    )]
    Locked {
        /// The file.
        path: PathBuf,
        /// How long we waited.
        waited: Duration,
    },
    /// The file or its directory cannot be written.
    #[error("history off: {}: read-only: {detail}", .path.display())]
    ReadOnly {
        /// The file.
        path: PathBuf,
        /// Which of the two, and what the system said.
        detail: String,
    },
    /// Written by a newer rollout-dash.
    #[error(
        "history off: {}: written by a newer rollout-dash (schema version {found}; this one knows up to {known})",
        .path.display()
    )]
    NewerSchema {
        /// The file.
        path: PathBuf,
        /// Its `user_version`.
        found: i64,
        /// Ours.
        known: i64,
    },
    /// The disk, a quota or the file-size limit is full.
    #[error("history off: {}: the disk is full ({detail})", .path.display())]
    Full {
        /// The file.
        path: PathBuf,
        /// What the system said.
        detail: String,
    },
    /// Anything else SQLite refused.
    #[error("history off: {}: {detail}", .path.display())]
    Database {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
}

impl HistoryError {
    /// Classifies an SQLite error on the file at `path`.
    pub(crate) fn from_sqlite(path: &Path, error: rusqlite::Error, waited: Duration) -> Self {
        Self::classify(path, error, waited, None)
    }

    /// Classifies an SQLite error of `conn`, with the system's reason for
    /// an I/O error (SQLite says only "disk I/O error").
    pub(crate) fn from_connection(
        path: &Path,
        conn: &Connection,
        error: rusqlite::Error,
        waited: Duration,
    ) -> Self {
        // SAFETY: the handle is valid while `conn` is; this only reads the
        // errno SQLite kept from the last failed system call.
        let errno = unsafe { rusqlite::ffi::sqlite3_system_errno(conn.handle()) };
        Self::classify(path, error, waited, (errno != 0).then_some(errno))
    }

    fn classify(path: &Path, error: rusqlite::Error, waited: Duration, errno: Option<i32>) -> Self {
        use rusqlite::ErrorCode;
        let path = path.to_owned();
        let detail = error.to_string();
        let system = errno.map(std::io::Error::from_raw_os_error);
        match error.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => HistoryError::Full {
                path,
                detail: system.map_or(detail, |e| e.to_string()),
            },
            // No space, no quota left, or past `ulimit -f`: full, whatever
            // SQLite made of it.
            Some(ErrorCode::SystemIoFailure)
                if errno
                    .is_some_and(|e| [libc::ENOSPC, libc::EDQUOT, libc::EFBIG].contains(&e)) =>
            {
                HistoryError::Full {
                    path,
                    detail: system.map_or(detail, |e| e.to_string()),
                }
            }
            Some(ErrorCode::SystemIoFailure) => HistoryError::Database {
                path,
                detail: match system {
                    Some(system) => format!("{detail}: {system}"),
                    None => detail,
                },
            },
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                HistoryError::Corrupt { path, detail }
            }
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                HistoryError::Locked { path, waited }
            }
            Some(ErrorCode::ReadOnly) => HistoryError::ReadOnly {
                path,
                detail: format!("SQLite cannot write it ({detail})"),
            },
            _ => HistoryError::Database { path, detail },
        }
    }
}

/// A recorded snapshot's row id; ids grow in the order snapshots were recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SnapshotId(pub i64);

/// One recorded snapshot, without its records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotInfo {
    /// Its row id.
    pub id: SnapshotId,
    /// The feed's `generated_at`.
    pub generated_at: DateTime<Utc>,
    /// When it was first received (our clock, to the millisecond): the time
    /// `report --at` compares with.
    pub received_at: DateTime<Utc>,
    /// A hash of its content (FNV-1a 64, hex), to tell snapshots apart at a glance.
    pub content_hash: String,
}

/// What [`History::record`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// A new snapshot was recorded.
    New {
        /// The new row.
        snapshot: SnapshotInfo,
        /// Record versions added (new or changed records) and closed (changed or gone).
        records_changed: usize,
        /// Findings that appeared.
        findings_appeared: usize,
        /// Findings that cleared.
        findings_cleared: usize,
    },
    /// The snapshot equals the latest recorded one (another recorder, or a
    /// repeated body): nothing was written.
    Unchanged(SnapshotInfo),
    /// A newer view is already recorded (another recorder was faster): a
    /// snapshot received later, or, received just before this one, a
    /// document newer by the feed's clock. This older view was dropped.
    Stale(SnapshotInfo),
}

/// A change as recorded, for `report --since` and the change log.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedChange {
    /// The snapshot it was recorded in.
    pub snapshot: SnapshotId,
    /// The id of the record that changed, or the [`FindingKey`] of a finding.
    pub record: String,
    /// The change, as [`crate::analysis::diff`] describes it; `at` is when
    /// the snapshot was received.
    pub change: Change,
}

/// How a file is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    /// Created and migrated if needed; records.
    Write,
    /// Never created, migrated or written.
    Read,
}

/// An open history database, for one feed.
pub struct History {
    conn: Connection,
    path: PathBuf,
    /// The feed's snapshot URL, as recorded.
    feed: String,
    /// Its row in `feeds`, once known.
    feed_id: Option<i64>,
    retention: Duration,
    busy_timeout: Duration,
    last_prune: Option<Instant>,
    /// What is current after the latest snapshot this handle recorded.
    current: Option<store::Current>,
    hasher: store::Hasher,
    /// The language findings' sentences are stored in, and changes described in.
    lang: Lang,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("path", &self.path)
            .field("feed", &self.feed)
            .finish_non_exhaustive()
    }
}

/// The feed key recorded for a base URL: its snapshot URL (see
/// [`crate::settings::snapshot_url`]), so that `http://h/` and
/// `http://h/v1/snapshot` are one feed.
pub fn feed_key(base_url: &str) -> Result<String, String> {
    crate::settings::snapshot_url(base_url).map(|url| url.to_string())
}

impl History {
    /// Opens (creating and migrating it if needed) the configured database
    /// to record `feed` (a [`feed_key`]).
    pub fn open(config: &HistoryConfig, feed: &str) -> Result<History, HistoryError> {
        let path = configured_path(config)?;
        Self::open_path(&path, feed, Access::Write, config.retention(), BUSY_TIMEOUT)
    }

    /// Opens the configured database for reading `feed` only: a missing
    /// file is an error, and nothing is ever written.
    pub fn open_read_only(config: &HistoryConfig, feed: &str) -> Result<History, HistoryError> {
        let path = configured_path(config)?;
        Self::open_path(&path, feed, Access::Read, config.retention(), BUSY_TIMEOUT)
    }

    /// Opens the database at `path` to record `feed`, waiting at most
    /// `busy_timeout` for another connection's lock.
    pub fn open_file(
        path: &Path,
        feed: &str,
        retention: Duration,
        busy_timeout: Duration,
    ) -> Result<History, HistoryError> {
        Self::open_path(path, feed, Access::Write, retention, busy_timeout)
    }

    /// Opens the database at `path` to read `feed`, never writing.
    pub fn open_file_read_only(
        path: &Path,
        feed: &str,
        busy_timeout: Duration,
    ) -> Result<History, HistoryError> {
        Self::open_path(path, feed, Access::Read, Duration::MAX, busy_timeout)
    }

    /// The feeds recorded in the configured database, for picking one when
    /// none was named.
    pub fn recorded_feeds(config: &HistoryConfig) -> Result<Vec<String>, HistoryError> {
        let history = Self::open_read_only(config, "")?;
        history.feeds()
    }

    fn open_path(
        path: &Path,
        feed: &str,
        access: Access,
        retention: Duration,
        busy_timeout: Duration,
    ) -> Result<History, HistoryError> {
        let conn = schema::open(path, access, busy_timeout)?;
        let mut history = History {
            conn,
            path: path.to_owned(),
            feed: feed.to_owned(),
            feed_id: None,
            retention,
            busy_timeout,
            last_prune: None,
            current: None,
            hasher: store::Hasher::default(),
            lang: Lang::En,
        };
        history.feed_id = history.find_feed()?;
        Ok(history)
    }

    /// Speaks `lang` from now on: the sentences of the findings it records
    /// are stored in it (they stay as written), and the changes it
    /// describes are told in it. English until set.
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The feed this handle records and reads.
    pub fn feed(&self) -> &str {
        &self.feed
    }

    /// Sets how long to wait for another connection's lock.
    pub fn set_busy_timeout(&mut self, wait: Duration) -> Result<(), HistoryError> {
        self.busy_timeout = wait;
        let result = self.conn.busy_timeout(wait);
        result.map_err(|e| self.error(e))
    }

    /// An SQLite error on this file, classified.
    fn error(&self, error: rusqlite::Error) -> HistoryError {
        HistoryError::from_connection(&self.path, &self.conn, error, self.busy_timeout)
    }

    /// Prunes now if the last prune by this handle is an hour old.
    fn prune_if_due(&mut self, now: DateTime<Utc>) -> Result<(), HistoryError> {
        if self
            .last_prune
            .is_some_and(|last| last.elapsed() < PRUNE_EVERY)
        {
            return Ok(());
        }
        self.last_prune = Some(Instant::now());
        self.prune(now).map(drop)
    }
}

/// The configured path, or why there is none.
fn configured_path(config: &HistoryConfig) -> Result<PathBuf, HistoryError> {
    if !config.enabled {
        return Err(HistoryError::Disabled);
    }
    config.resolved_path().ok_or(HistoryError::NoPath)
}

/// SQLite's flags for `access`: no mutex (one connection, one thread at a time).
fn flags(access: Access) -> OpenFlags {
    let base = OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    match access {
        Access::Write => base | OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        Access::Read => base | OpenFlags::SQLITE_OPEN_READ_ONLY,
    }
}
