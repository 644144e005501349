//! Acknowledgements: "known, handled" marks on findings, by finding id, in
//! the history database so that everyone using the file sees them.
//!
//! An acknowledgement lasts until its `until` (a snooze, `--for 3d`) or,
//! without one, until the finding clears: recording a snapshot in which the
//! finding is gone ends it (`ended = 'cleared'`), so a finding that comes
//! back is new again. An expired snooze is never written back: it lapses by
//! itself, as every read passes the time it asks about (`now`). Rows are
//! never deleted; each write is one `BEGIN IMMEDIATE` transaction, so two
//! processes acknowledging at once are both kept.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::{Serialize, Serializer};

use super::{History, HistoryError};
use crate::analysis::FindingId;

/// One acknowledgement of a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ack {
    /// The finding acknowledged.
    #[serde(skip)]
    pub finding: FindingId,
    /// The OS user who acknowledged it.
    pub by: String,
    /// When.
    #[serde(serialize_with = "rfc3339")]
    pub at: DateTime<Utc>,
    /// Until when; `None`: until the finding clears.
    #[serde(serialize_with = "rfc3339_or_null")]
    pub until: Option<DateTime<Utc>>,
    /// Why (may be empty).
    pub note: String,
}

impl Ack {
    /// Whether it still holds at `now` (a snooze lapses at its `until`).
    pub fn holds_at(&self, now: DateTime<Utc>) -> bool {
        self.until.is_none_or(|until| now < until)
    }
}

fn rfc3339<S: Serializer>(time: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&time.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn rfc3339_or_null<S: Serializer>(
    time: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => rfc3339(time, serializer),
        None => serializer.serialize_none(),
    }
}

/// The acknowledgements that held when they were read, by finding id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Acks {
    by_finding: HashMap<FindingId, Ack>,
}

impl Acks {
    /// The acknowledgement of `finding` that holds at `now`, if any.
    pub fn get(&self, finding: &FindingId, now: DateTime<Utc>) -> Option<&Ack> {
        self.by_finding.get(finding).filter(|ack| ack.holds_at(now))
    }

    /// Whether `finding` is acknowledged at `now`.
    pub fn is_acked(&self, finding: &FindingId, now: DateTime<Utc>) -> bool {
        self.get(finding, now).is_some()
    }

    /// The acknowledgements that hold at `now`, by id.
    pub fn holding(&self, now: DateTime<Utc>) -> Vec<&Ack> {
        let mut acks: Vec<&Ack> = self
            .by_finding
            .values()
            .filter(|ack| ack.holds_at(now))
            .collect();
        acks.sort_by(|a, b| a.finding.cmp(&b.finding));
        acks
    }

    /// The first time after `now` at which a snooze that holds at `now` lapses.
    pub fn next_lapse(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.by_finding
            .values()
            .filter_map(|ack| ack.until)
            .filter(|&until| until > now)
            .min()
    }

    /// Whether there are none at all.
    pub fn is_empty(&self) -> bool {
        self.by_finding.is_empty()
    }

    /// A set of acknowledgements (the newest one wins for a finding).
    pub fn from_acks(acks: impl IntoIterator<Item = Ack>) -> Acks {
        let mut by_finding: HashMap<FindingId, Ack> = HashMap::new();
        for ack in acks {
            match by_finding.get(&ack.finding) {
                Some(old) if old.at > ack.at => {}
                _ => {
                    by_finding.insert(ack.finding.clone(), ack);
                }
            }
        }
        Acks { by_finding }
    }
}

/// The OS user: `$USER`, else `$LOGNAME`, else the user id.
pub fn os_user() -> String {
    ["USER", "LOGNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| {
            // SAFETY: getuid has no preconditions and cannot fail.
            format!("uid {}", unsafe { libc::getuid() })
        })
}

/// What [`History::unacknowledge`] ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unacked {
    /// The acknowledgements taken back (0: there was none).
    pub ended: usize,
}

fn millis(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

impl History {
    /// Acknowledges `finding` as `by` at `now`, with a note, until `until`
    /// (`None`: until the finding clears). An open acknowledgement of the
    /// same finding is ended as `replaced` (its row stays).
    pub fn acknowledge(
        &mut self,
        finding: &FindingId,
        by: &str,
        note: &str,
        until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Ack, HistoryError> {
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE acks SET ended_at = ?1, ended = 'replaced'
                 WHERE finding = ?2 AND ended_at IS NULL",
                params![millis(now), finding.as_str()],
            )?;
            tx.execute(
                "INSERT INTO acks (finding, by, at, until, note) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![finding.as_str(), by, millis(now), until.map(millis), note],
            )?;
            tx.commit()
        })();
        result.map_err(|e| self.error(e))?;
        Ok(Ack {
            finding: finding.clone(),
            by: by.to_owned(),
            at: from_millis(millis(now)),
            until: until.map(|u| from_millis(millis(u))),
            note: note.to_owned(),
        })
    }

    /// Takes back every open acknowledgement of `finding` (as `by`, at `now`).
    pub fn unacknowledge(
        &mut self,
        finding: &FindingId,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Unacked, HistoryError> {
        let result = self.conn.execute(
            "UPDATE acks SET ended_at = ?1, ended = 'unack by ' || ?2
             WHERE finding = ?3 AND ended_at IS NULL",
            params![millis(now), by, finding.as_str()],
        );
        let ended = result.map_err(|e| self.error(e))?;
        Ok(Unacked { ended })
    }

    /// The acknowledgements that hold at `now` (open, and not a snooze that ran out).
    pub fn acks(&self, now: DateTime<Utc>) -> Result<Acks, HistoryError> {
        let result = (|| {
            // A file of an older schema, opened read-only (never migrated): none.
            let table: Option<i64> = self
                .conn
                .query_row(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'acks'",
                    [],
                    |row| row.get(0),
                )
                .optional()?;
            if table.is_none() {
                return Ok(Vec::new());
            }
            let mut statement = self.conn.prepare(
                "SELECT finding, by, at, until, note FROM acks
                 WHERE ended_at IS NULL AND (until IS NULL OR until > ?1) ORDER BY id",
            )?;
            let rows = statement.query_map([millis(now)], |row| {
                let finding: String = row.get(0)?;
                let until: Option<i64> = row.get(3)?;
                Ok(Ack {
                    finding: FindingId::from_stored(finding),
                    by: row.get(1)?,
                    at: from_millis(row.get(2)?),
                    until: until.map(from_millis),
                    note: row.get(4)?,
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<Ack>>>()
        })();
        result.map(Acks::from_acks).map_err(|e| self.error(e))
    }

    /// The ids of the findings current in the latest recorded snapshot of
    /// any feed in the file.
    pub fn current_finding_ids(&self) -> Result<HashSet<FindingId>, HistoryError> {
        let result = (|| {
            let mut statement = self
                .conn
                .prepare("SELECT CAST(key AS TEXT) FROM findings WHERE cleared_in IS NULL")?;
            let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
            let mut ids = HashSet::new();
            for key in rows {
                ids.insert(FindingId::of_key(&key?));
            }
            Ok(ids)
        })();
        result.map_err(|e: rusqlite::Error| self.error(e))
    }

    /// Whether anything was ever recorded in the file (so that "not a
    /// current finding" means something).
    pub fn has_recorded(&self) -> Result<bool, HistoryError> {
        let result = self
            .conn
            .query_row("SELECT 1 FROM snapshots LIMIT 1", [], |_| Ok(()))
            .optional();
        result.map(|row| row.is_some()).map_err(|e| self.error(e))
    }
}

/// Ends the open acknowledgements of the findings whose canonical keys are
/// `cleared` (they left the feed at `at_ms`), inside the recording transaction.
pub(super) fn end_cleared(
    tx: &rusqlite::Transaction<'_>,
    cleared: &HashSet<String>,
    at_ms: i64,
) -> rusqlite::Result<()> {
    if cleared.is_empty() {
        return Ok(());
    }
    let open: i64 = tx.query_row(
        "SELECT count(*) FROM acks WHERE ended_at IS NULL",
        [],
        |row| row.get(0),
    )?;
    if open == 0 {
        return Ok(());
    }
    let mut end = tx.prepare(
        "UPDATE acks SET ended_at = ?1, ended = 'cleared' WHERE finding = ?2 AND ended_at IS NULL",
    )?;
    for key in cleared {
        end.execute(params![at_ms, FindingId::of_key(key).as_str()])?;
    }
    Ok(())
}
