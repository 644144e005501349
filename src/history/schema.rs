//! Opening the file safely for sharing, and the schema's migrations.
//!
//! The schema version is SQLite's `PRAGMA user_version`: migration `n`
//! (1-based) brings a file from version `n - 1` to `n`. A file with a version
//! higher than ours was written by a newer rollout-dash and is refused, never
//! written to.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use super::{Access, HistoryError, flags};

/// The migrations, in order. Append new ones (acknowledgements, say); never
/// change one that has shipped.
pub const MIGRATIONS: &[&str] = &[MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4];

/// The schema version this build writes and reads.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Feeds, snapshots, record versions, findings, and shared blobs.
///
/// - `versions`: one row per version of a record (`kind`: 0 programme,
///   1 city, 2 partner, 3 store, 4 feed warning; `record`: its raw id as
///   bytes), valid from snapshot `appeared_in` up to, not including,
///   `left_in` (NULL: still current).
/// - `findings`: the same for findings, by key and severity, with the
///   sentence it was found with and the first store and partner it names
///   (in the analysis's order, which the key's sorted lists lose); see
///   [`MIGRATION_2`].
/// - `blobs`: deflated JSON shared by snapshots (the order of the records,
///   the data warnings), stored once per distinct value.
const MIGRATION_1: &str = "
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE
);
CREATE TABLE blobs (
    id INTEGER PRIMARY KEY,
    hash INTEGER NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX blobs_by_hash ON blobs(hash);
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY,
    feed INTEGER NOT NULL,
    generated_at TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    layout INTEGER NOT NULL,
    data_warnings INTEGER NOT NULL
);
CREATE INDEX snapshots_by_time ON snapshots(feed, received_at);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    feed INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    record BLOB NOT NULL,
    body TEXT NOT NULL,
    appeared_in INTEGER NOT NULL,
    left_in INTEGER
);
CREATE UNIQUE INDEX versions_current ON versions(feed, kind, record) WHERE left_in IS NULL;
CREATE INDEX versions_by_appeared ON versions(feed, appeared_in);
CREATE INDEX versions_by_left ON versions(feed, left_in) WHERE left_in IS NOT NULL;
CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    feed INTEGER NOT NULL,
    key BLOB NOT NULL,
    severity INTEGER NOT NULL,
    label TEXT NOT NULL,
    message TEXT NOT NULL,
    store BLOB,
    partner BLOB,
    appeared_in INTEGER NOT NULL,
    cleared_in INTEGER
);
CREATE UNIQUE INDEX findings_current ON findings(feed, key) WHERE cleared_in IS NULL;
CREATE INDEX findings_by_appeared ON findings(feed, appeared_in);
CREATE INDEX findings_by_cleared ON findings(feed, cleared_in) WHERE cleared_in IS NOT NULL;
";

/// Smaller finding rows (a third of the file at national scale): the label
/// only when it is not the rule id (a feed warning's `feed:<kind>`); the
/// first store and partner as their positions in the key's sorted lists,
/// not their ids again; the current findings indexed by feed alone, not by
/// their key again (recording reads them all anyway, and one transaction
/// per snapshot keeps them unique). SQLite changes columns by copying the
/// table.
const MIGRATION_2: &str = "
CREATE TABLE findings_2 (
    id INTEGER PRIMARY KEY,
    feed INTEGER NOT NULL,
    key BLOB NOT NULL,
    severity INTEGER NOT NULL,
    label TEXT,
    message TEXT NOT NULL,
    store_at INTEGER,
    partner_at INTEGER,
    appeared_in INTEGER NOT NULL,
    cleared_in INTEGER
);
INSERT INTO findings_2
    (id, feed, key, severity, label, message, store_at, partner_at, appeared_in, cleared_in)
SELECT
    f.id, f.feed, f.key, f.severity,
    CASE WHEN f.label = json_extract(CAST(f.key AS TEXT), '$[0]') THEN NULL ELSE f.label END,
    f.message,
    (SELECT min(CAST(j.key AS INTEGER)) FROM json_each(CAST(f.key AS TEXT), '$[2]') AS j
     WHERE j.value = CAST(f.store AS TEXT)),
    (SELECT min(CAST(j.key AS INTEGER)) FROM json_each(CAST(f.key AS TEXT), '$[3]') AS j
     WHERE j.value = CAST(f.partner AS TEXT)),
    f.appeared_in, f.cleared_in
FROM findings AS f;
DROP TABLE findings;
ALTER TABLE findings_2 RENAME TO findings;
CREATE INDEX findings_current ON findings(feed) WHERE cleared_in IS NULL;
CREATE INDEX findings_by_appeared ON findings(feed, appeared_in);
CREATE INDEX findings_by_cleared ON findings(feed, cleared_in) WHERE cleared_in IS NOT NULL;
";

/// Acknowledgements (`ack`, `a` in the dashboard), by finding id
/// ([`crate::analysis::FindingId`]) for every feed in the file: who (`by`,
/// the OS user), when (`at`, ms since the epoch), until when (`until`, ms;
/// NULL: until the finding clears) and the note. A row is never deleted:
/// `ended_at` and `ended` say when and why it stopped (`unack by <user>`,
/// `cleared`, `replaced`), so the file keeps who acknowledged what.
const MIGRATION_3: &str = "
CREATE TABLE acks (
    id INTEGER PRIMARY KEY,
    finding TEXT NOT NULL,
    by TEXT NOT NULL,
    at INTEGER NOT NULL,
    until INTEGER,
    note TEXT NOT NULL,
    ended_at INTEGER,
    ended TEXT
);
CREATE INDEX acks_open ON acks(finding) WHERE ended_at IS NULL;
";

/// Per-city trend figures (stores open, stores in all, average build-out),
/// one row per city, and one for the whole programme (`city` = `X'FF'`,
/// never a UTF-8 id), written only when they changed: the figures at a
/// snapshot are a city's latest row at or before it. Read a handful of
/// rows per point, however long the history; see [`super::trend`].
/// Snapshots recorded before this migration are backfilled on first use,
/// a bounded number of them. `IF NOT EXISTS`: a file whose version was set
/// back by hand (tests make older files so) may hold the table already.
const MIGRATION_4: &str = "
CREATE TABLE IF NOT EXISTS trend (
    feed INTEGER NOT NULL,
    city BLOB NOT NULL,
    snapshot INTEGER NOT NULL,
    stores_open INTEGER NOT NULL,
    stores_total INTEGER NOT NULL,
    avg_percent REAL NOT NULL,
    PRIMARY KEY (feed, city, snapshot)
) WITHOUT ROWID;
";

/// Opens the file for `access`: checks what it is, sets WAL and the busy
/// timeout, refuses a newer schema and (for writing) migrates an older one.
///
/// SQLite answers "busy" at once, without waiting out the busy timeout,
/// where waiting could deadlock: switching a new file to WAL while another
/// process commits its migration is one such moment. Several processes
/// starting on one file meet it, so a busy open is tried again, from the
/// start, until the busy timeout has passed.
pub(super) fn open(
    path: &Path,
    access: Access,
    busy_timeout: Duration,
) -> Result<Connection, HistoryError> {
    let deadline = std::time::Instant::now() + busy_timeout;
    loop {
        match open_once(path, access, busy_timeout) {
            Err(HistoryError::Locked { .. }) if std::time::Instant::now() < deadline => {
                // Apart, so that two openers do not meet again at once.
                std::thread::sleep(Duration::from_millis(5 + fastrand::u64(0..20)));
            }
            opened => return opened,
        }
    }
}

/// One try of [`open`].
fn open_once(
    path: &Path,
    access: Access,
    busy_timeout: Duration,
) -> Result<Connection, HistoryError> {
    let sqlite = |e: rusqlite::Error| HistoryError::from_sqlite(path, e, busy_timeout);
    let exists = match std::fs::metadata(path) {
        Ok(metadata) => {
            if let Some(kind) = crate::settings::not_regular(&metadata) {
                return Err(HistoryError::NotRegular {
                    path: path.to_owned(),
                    kind,
                });
            }
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => {
            return Err(HistoryError::Database {
                path: path.to_owned(),
                detail: e.to_string(),
            });
        }
    };
    if access == Access::Read && !exists {
        return Err(HistoryError::Missing {
            path: path.to_owned(),
        });
    }
    if access == Access::Write {
        prepare_to_write(path, exists)?;
    }
    let connect = |target: &str| -> rusqlite::Result<(Connection, i64)> {
        let conn = Connection::open_with_flags(target, flags(access))?;
        conn.busy_timeout(busy_timeout)?;
        // The first read: a file that is not SQLite fails here.
        let version = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        Ok((conn, version))
    };
    let plain = path.to_string_lossy();
    let (conn, version) = match (connect(&plain_uri(path)), access) {
        (Ok(opened), _) => opened,
        // A reader that cannot create the WAL index (`-shm`) beside the
        // file: its directory is read-only. No writer can have the file
        // open then (it would have created the index), so it is read as
        // immutable.
        (Err(e), Access::Read)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
            ) =>
        {
            tracing::debug!(path = %plain, error = %e, "reading the history as immutable");
            connect(&immutable_uri(path)).map_err(sqlite)?
        }
        (Err(e), _) => return Err(sqlite(e)),
    };
    if version > VERSION {
        return Err(HistoryError::NewerSchema {
            path: path.to_owned(),
            found: version,
            known: VERSION,
        });
    }
    match access {
        Access::Read => {
            if version == 0 {
                return Err(HistoryError::Corrupt {
                    path: path.to_owned(),
                    detail: "it holds no rollout-dash history (schema version 0)".into(),
                });
            }
        }
        Access::Write => {
            if conn.is_readonly(rusqlite::MAIN_DB).map_err(sqlite)? {
                return Err(HistoryError::ReadOnly {
                    path: path.to_owned(),
                    detail: "SQLite opened it read-only".into(),
                });
            }
            // WAL: readers never wait for the writer, and a writer never
            // waits for readers. It sticks to the file once set.
            let mode: String = conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
                .map_err(sqlite)?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!(
                    path = %path.display(),
                    mode,
                    "the history database is not in WAL mode (the file system may not support it)"
                );
            }
            // Safe with WAL: a crash loses at most the last transactions, never the file.
            conn.pragma_update(None, "synchronous", "NORMAL")
                .map_err(sqlite)?;
            migrate(path, &conn, version, busy_timeout)?;
        }
    }
    Ok(conn)
}

/// Creates the directory, and says which of the file and the directory
/// cannot be written, before SQLite says something vaguer.
fn prepare_to_write(path: &Path, exists: bool) -> Result<(), HistoryError> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|source| HistoryError::CreateDir {
        path: path.to_owned(),
        source,
    })?;
    let read_only = |what: String, error: std::io::Error| HistoryError::ReadOnly {
        path: path.to_owned(),
        detail: format!("{what} ({error})"),
    };
    if exists && let Err(error) = writable(path) {
        return Err(read_only("the file cannot be written".into(), error));
    }
    // SQLite keeps its journal (`-wal`, `-shm`) beside the file.
    if let Err(error) = writable(dir) {
        return Err(read_only(
            format!(
                "its directory {} cannot be written, and SQLite keeps its journal there",
                dir.display()
            ),
            error,
        ));
    }
    Ok(())
}

/// Whether this process may write `path` (access(2), which also knows read-only mounts).
fn writable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::other("the path holds a NUL byte"))?;
    // SAFETY: `name` is a valid NUL-terminated string that outlives the call.
    if unsafe { libc::access(name.as_ptr(), libc::W_OK) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// `file:<path>`, the path percent-encoded (URIs are on, so a plain path
/// holding `?` or `#` would be misread).
fn plain_uri(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    // An absolute path after an empty authority (`file:///tmp/h`), so that
    // one starting `//` is not read as a host.
    let mut uri = String::from(if path.is_absolute() {
        "file://"
    } else {
        "file:"
    });
    for &byte in path.as_os_str().as_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// `file:<path>?immutable=1`: read without any lock or WAL index.
fn immutable_uri(path: &Path) -> String {
    format!("{}?immutable=1", plain_uri(path))
}

/// Brings the schema from `version` to [`VERSION`] in one transaction; a
/// second process migrating at the same time waits, then finds nothing to do.
fn migrate(
    path: &Path,
    conn: &Connection,
    version: i64,
    busy_timeout: Duration,
) -> Result<(), HistoryError> {
    let sqlite = |e: rusqlite::Error| HistoryError::from_sqlite(path, e, busy_timeout);
    if version == VERSION {
        return Ok(());
    }
    if version == 0 {
        // Pages freed by pruning go back to the file system on
        // `incremental_vacuum`; only settable before the first table (a
        // no-op when another process created them meanwhile).
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")
            .map_err(sqlite)?;
    }
    // By hand: `Connection::transaction` needs `&mut`.
    conn.execute_batch("BEGIN IMMEDIATE").map_err(sqlite)?;
    let result = (|| {
        // Read again under the write lock: `version` was read before it,
        // and another process may have migrated the file since.
        let current: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if current > VERSION {
            return Ok(Err(HistoryError::NewerSchema {
                path: path.to_owned(),
                found: current,
                known: VERSION,
            }));
        }
        if current == 0 {
            let tables: i64 = conn.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |row| row.get(0),
            )?;
            if tables > 0 {
                return Ok(Err(HistoryError::Corrupt {
                    path: path.to_owned(),
                    detail: format!(
                        "another program's SQLite database ({tables} tables, no rollout-dash schema version)"
                    ),
                }));
            }
        }
        for migration in &MIGRATIONS[usize::try_from(current).unwrap_or(0)..] {
            conn.execute_batch(migration)?;
        }
        conn.pragma_update(None, "user_version", VERSION)?;
        Ok(Ok(()))
    })();
    match result {
        Ok(Ok(())) => conn.execute_batch("COMMIT").map_err(sqlite),
        Ok(Err(refused)) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(refused)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(sqlite(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two processes open a new file at once: both read version 0, one
    /// migrates, then the other's migration must find the schema there
    /// (it once counted the first one's tables and called the file
    /// another program's).
    #[test]
    fn a_migration_that_read_version_0_before_another_finished_finds_nothing_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let wait = Duration::from_secs(5);
        let late = Connection::open(&path).unwrap();
        let version: i64 = late
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, 0);
        open(&path, Access::Write, wait).expect("the first process migrates");
        migrate(&path, &late, version, wait).expect("the second finds the schema in place");
        let after: i64 = late
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(after, VERSION);
    }

    /// Recorders, dashboards and `ack` start at once on a new file: each
    /// open either migrates or finds the schema, none gives up early
    /// (SQLite answers "busy" at once, without waiting, where waiting could
    /// deadlock, e.g. switching to WAL while another connection commits).
    #[test]
    fn many_opens_of_a_new_file_at_once_all_succeed() {
        for round in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("history.sqlite3");
            let start = std::sync::Barrier::new(6);
            std::thread::scope(|scope| {
                let openers: Vec<_> = (0..6)
                    .map(|_| {
                        scope.spawn(|| {
                            start.wait();
                            open(&path, Access::Write, Duration::from_secs(5)).map(drop)
                        })
                    })
                    .collect();
                for opener in openers {
                    if let Err(error) = opener.join().unwrap() {
                        panic!("round {round}: {error}");
                    }
                }
            });
        }
    }

    #[test]
    fn another_programs_database_is_still_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.sqlite3");
        let other = Connection::open(&path).unwrap();
        other.execute_batch("CREATE TABLE notes(text)").unwrap();
        let error = migrate(&path, &other, 0, Duration::from_secs(1)).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("another program's SQLite database"),
            "{error}"
        );
    }
}
