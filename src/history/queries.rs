//! Reading the history: which snapshot stood when, the snapshot itself
//! (rebuilt from the record versions valid at it), and what changed.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::de::DeserializeOwned;

use super::key::KeyParts;
use super::store::{self, Kind, Layout, StoredWarning, info_of, record_key, severity_of};
use super::{History, HistoryError, RecordedChange, SnapshotId, SnapshotInfo};
use crate::analysis::changes::{self, ChangeKind};
use crate::analysis::{Change, diff};
use crate::feed::snapshot::Snapshot;
use crate::feed::wire::{
    City, CityId, Document, Partner, PartnerId, Program, SCHEMA_VERSION, Store, StoreId, Text,
};
use crate::i18n::Lang;

/// The name of a change's kind in `report --format json` (`store_phase`, ...).
pub fn change_kind_name(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::StoreAdded => "store_added",
        ChangeKind::StoreRemoved => "store_removed",
        ChangeKind::StorePhase => "store_phase",
        ChangeKind::StorePercent => "store_percent",
        ChangeKind::PartnerAdded => "partner_added",
        ChangeKind::AgreementStage => "agreement_stage",
        ChangeKind::RecruitmentStatus => "recruitment_status",
        ChangeKind::ConflictAppeared => "conflict_appeared",
        ChangeKind::ConflictCleared => "conflict_cleared",
    }
}

const INFO_COLUMNS: &str = "id, generated_at, received_at, content_hash";

// Snapshots are walked in (received_at, id) order, the order of the index
// `snapshots_by_time`, so that no lookup sorts a year of rows: the id order
// is the same (a snapshot older than the latest is never recorded), but
// `ORDER BY id` on a feed's rows would sort them all.

/// The last snapshot received at or before `?2` (milliseconds).
pub(super) const AT: &str = "received_at <= ?2 ORDER BY received_at DESC, id DESC LIMIT 1";
/// The first snapshot (`?2` unused).
const FIRST: &str = "?2 = ?2 ORDER BY received_at, id LIMIT 1";
/// The snapshot before the one with id `?2`.
const PREVIOUS: &str = "received_at <= (SELECT received_at FROM snapshots WHERE id = ?2) \
     AND id < ?2 ORDER BY received_at DESC, id DESC LIMIT 1";
/// The snapshot after the one with id `?2`.
const NEXT: &str = "received_at >= (SELECT received_at FROM snapshots WHERE id = ?2) \
     AND id > ?2 ORDER BY received_at, id LIMIT 1";

fn info_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SnapshotInfo> {
    let generated_at: String = row.get(1)?;
    Ok(info_of(
        row.get(0)?,
        &generated_at,
        row.get(2)?,
        row.get(3)?,
    ))
}

impl History {
    /// This handle's feed row, if the feed was ever recorded.
    pub(super) fn find_feed(&self) -> Result<Option<i64>, HistoryError> {
        self.conn
            .query_row("SELECT id FROM feeds WHERE url = ?1", [&self.feed], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|e| self.error(e))
    }

    /// The feed row, looked up again if another process recorded it first.
    pub(super) fn feed_row(&mut self) -> Result<Option<i64>, HistoryError> {
        if self.feed_id.is_none() {
            self.feed_id = self.find_feed()?;
        }
        Ok(self.feed_id)
    }

    /// Every feed recorded in this file.
    pub fn feeds(&self) -> Result<Vec<String>, HistoryError> {
        let result = (|| {
            let mut statement = self.conn.prepare("SELECT url FROM feeds ORDER BY id")?;
            let rows = statement.query_map([], |row| row.get(0))?;
            rows.collect::<rusqlite::Result<Vec<String>>>()
        })();
        result.map_err(|e| self.error(e))
    }

    /// One snapshot of this feed chosen by `condition` (with `?2` bound to
    /// `value`): one of [`AT`], [`FIRST`], [`PREVIOUS`], [`NEXT`].
    fn one(&mut self, condition: &str, value: i64) -> Result<Option<SnapshotInfo>, HistoryError> {
        let Some(feed) = self.feed_row()? else {
            return Ok(None);
        };
        let sql = format!("SELECT {INFO_COLUMNS} FROM snapshots WHERE feed = ?1 AND {condition}");
        self.conn
            .query_row(&sql, params![feed, value], info_row)
            .optional()
            .map_err(|e| self.error(e))
    }

    /// The snapshot that stood at `time`: the last one received at or before it.
    pub fn at(&mut self, time: DateTime<Utc>) -> Result<Option<SnapshotInfo>, HistoryError> {
        self.one(AT, time.timestamp_millis())
    }

    /// The latest recorded snapshot.
    pub fn latest(&mut self) -> Result<Option<SnapshotInfo>, HistoryError> {
        self.one(AT, i64::MAX)
    }

    /// The oldest snapshot still recorded (older ones were pruned).
    pub fn first(&mut self) -> Result<Option<SnapshotInfo>, HistoryError> {
        self.one(FIRST, 0)
    }

    /// The snapshot recorded just before `id` (for `[`).
    pub fn previous(&mut self, id: SnapshotId) -> Result<Option<SnapshotInfo>, HistoryError> {
        self.one(PREVIOUS, id.0)
    }

    /// The snapshot recorded just after `id` (for `]`); `None` past the newest.
    pub fn next(&mut self, id: SnapshotId) -> Result<Option<SnapshotInfo>, HistoryError> {
        self.one(NEXT, id.0)
    }

    /// The snapshots received in `[from, to]`, oldest first, at most `limit`.
    pub fn snapshots_between(
        &mut self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<SnapshotInfo>, HistoryError> {
        let Some(feed) = self.feed_row()? else {
            return Ok(Vec::new());
        };
        let result = (|| {
            let sql = format!(
                "SELECT {INFO_COLUMNS} FROM snapshots WHERE feed = ?1
                 AND received_at >= ?2 AND received_at <= ?3 ORDER BY received_at, id LIMIT ?4"
            );
            let mut statement = self.conn.prepare(&sql)?;
            let rows = statement.query_map(
                params![
                    feed,
                    from.timestamp_millis(),
                    to.timestamp_millis(),
                    i64::try_from(limit).unwrap_or(i64::MAX)
                ],
                info_row,
            )?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })();
        result.map_err(|e| self.error(e))
    }

    /// The keys of the findings there were at `time` (those of the last
    /// snapshot received at or before it); `None` when no snapshot was
    /// recorded by then. The dashboard marks the others NEW at start.
    pub fn finding_keys_at(
        &mut self,
        time: DateTime<Utc>,
    ) -> Result<Option<std::collections::HashSet<super::FindingKey>>, HistoryError> {
        let (Some(feed), Some(at)) = (self.feed_row()?, self.at(time)?) else {
            return Ok(None);
        };
        let result = (|| {
            let mut statement = self.conn.prepare(
                "SELECT key FROM findings WHERE feed = ?1
                 AND appeared_in <= ?2 AND (cleared_in IS NULL OR cleared_in > ?2)",
            )?;
            let rows = statement.query_map(params![feed, at.id.0], |row| {
                let key: Vec<u8> = row.get(0)?;
                Ok(super::FindingKey(
                    String::from_utf8_lossy(&key).into_owned(),
                ))
            })?;
            rows.collect::<rusqlite::Result<std::collections::HashSet<_>>>()
        })();
        result.map(Some).map_err(|e| self.error(e))
    }

    /// A deflated JSON blob, read back.
    fn blob<T: DeserializeOwned>(&self, id: i64, what: &str) -> Result<T, HistoryError> {
        let bytes: Vec<u8> = self
            .conn
            .query_row("SELECT body FROM blobs WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .map_err(|e| self.error(e))?;
        store::inflate(&bytes)
            .and_then(|json| serde_json::from_slice(&json).ok())
            .ok_or_else(|| self.corrupt(format!("the {what} of a snapshot cannot be read back")))
    }

    fn corrupt(&self, detail: String) -> HistoryError {
        HistoryError::Corrupt {
            path: self.path.clone(),
            detail,
        }
    }

    /// The snapshot `id` as it was recorded: its document rebuilt from the
    /// record versions valid at it, in the feed's order, then validated as
    /// any feed body is. The data warnings are the ones recorded with it: a
    /// malformed optional field was read as absent and a repeated id dropped,
    /// so validating the rebuilt records alone would miss those.
    pub fn load(&mut self, id: SnapshotId) -> Result<Snapshot, HistoryError> {
        let Some(feed) = self.feed_row()? else {
            return Err(self.corrupt(format!("snapshot {} is not recorded", id.0)));
        };
        let row = self
            .conn
            .query_row(
                "SELECT generated_at, layout, data_warnings FROM snapshots
                 WHERE feed = ?1 AND id = ?2",
                [feed, id.0],
                |row| Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()
            .map_err(|e| self.error(e))?;
        let Some((generated_at, layout, warnings)) = row else {
            return Err(self.corrupt(format!("snapshot {} is not recorded", id.0)));
        };
        let layout: Layout = self.blob(layout, "record order")?;
        let warnings: Vec<StoredWarning> = self.blob(warnings, "data warnings")?;

        let mut bodies: [HashMap<Vec<u8>, String>; 5] = Default::default();
        let result = (|| {
            let mut statement = self.conn.prepare(
                "SELECT kind, record, body FROM versions WHERE feed = ?1
                 AND appeared_in <= ?2 AND (left_in IS NULL OR left_in > ?2)",
            )?;
            let mut rows = statement.query([feed, id.0])?;
            while let Some(row) = rows.next()? {
                if let Some(kind) = Kind::from_code(row.get(0)?) {
                    bodies[kind as usize].insert(row.get(1)?, row.get(2)?);
                }
            }
            Ok(())
        })();
        result.map_err(|e| self.error(e))?;

        let mut json = String::with_capacity(
            bodies
                .iter()
                .flat_map(|m| m.values())
                .map(|b| b.len() + 1)
                .sum::<usize>()
                + 256,
        );
        json.push_str("{\"schema_version\":");
        json.push_str(&SCHEMA_VERSION.to_string());
        json.push_str(",\"generated_at\":");
        json.push_str(&serde_json::to_string(&generated_at).unwrap_or_default());
        json.push_str(",\"program\":");
        let program = bodies[Kind::Program as usize]
            .remove(&Vec::new())
            .ok_or_else(|| self.corrupt(format!("snapshot {} has no programme", id.0)))?;
        json.push_str(&program);
        for (name, kind, ids) in [
            ("cities", Kind::City, &layout.cities),
            ("partners", Kind::Partner, &layout.partners),
            ("stores", Kind::Store, &layout.stores),
            ("warnings", Kind::Warning, &layout.warnings),
        ] {
            json.push_str(",\"");
            json.push_str(name);
            json.push_str("\":[");
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for (i, record) in ids.iter().enumerate() {
                let occurrence = seen.entry(record.as_str()).or_default();
                let key = record_key(record, *occurrence);
                *occurrence += 1;
                let body = bodies[kind as usize].remove(&key).ok_or_else(|| {
                    self.corrupt(format!(
                        "snapshot {} lists {name} record {} but holds no version of it",
                        id.0,
                        crate::feed::text::escape(record)
                    ))
                })?;
                if i > 0 {
                    json.push(',');
                }
                json.push_str(&body);
            }
            json.push(']');
        }
        json.push('}');
        let mut snapshot = Snapshot::from_body(json.as_bytes()).map_err(|e| {
            self.corrupt(format!(
                "snapshot {} cannot be rebuilt from its records: {e}",
                id.0
            ))
        })?;
        snapshot.data_warnings = warnings.into_iter().map(store::data_warning).collect();
        Ok(snapshot)
    }

    /// The last `limit` changes recorded up to and including `upto`, oldest
    /// first: what the dashboard's change log starts with. Walks back from
    /// `upto` in growing windows of snapshots, so a year of history is not
    /// read for the last few hundred changes.
    pub fn recent_changes(
        &mut self,
        upto: SnapshotId,
        limit: usize,
    ) -> Result<Vec<RecordedChange>, HistoryError> {
        let mut window = 16_i64;
        loop {
            let after = self.back_from(upto, window)?;
            let mut changes = self.recorded_changes(after, upto)?;
            if changes.len() >= limit || after.is_none() {
                let extra = changes.len().saturating_sub(limit);
                changes.drain(..extra);
                return Ok(changes);
            }
            window = window.saturating_mul(4);
        }
    }

    /// The snapshot `steps` snapshots before `id`, if there are that many.
    fn back_from(
        &mut self,
        id: SnapshotId,
        steps: i64,
    ) -> Result<Option<SnapshotId>, HistoryError> {
        let Some(feed) = self.feed_row()? else {
            return Ok(None);
        };
        self.conn
            .query_row(
                "SELECT id FROM snapshots WHERE feed = ?1
                 AND received_at <= (SELECT received_at FROM snapshots WHERE id = ?2) AND id < ?2
                 ORDER BY received_at DESC, id DESC LIMIT 1 OFFSET ?3",
                params![feed, id.0, steps - 1],
                |row| row.get(0).map(SnapshotId),
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    /// What changed after snapshot `after` (not included; `None`: from the
    /// first recorded snapshot, not included) up to and including `upto`,
    /// snapshot by snapshot, oldest first: each as
    /// [`crate::analysis::diff`] says it between two consecutive snapshots
    /// (stores, partners, cities, then findings that appeared and cleared),
    /// with `at` the time the snapshot was received.
    pub fn recorded_changes(
        &mut self,
        after: Option<SnapshotId>,
        upto: SnapshotId,
    ) -> Result<Vec<RecordedChange>, HistoryError> {
        let Some(feed) = self.feed_row()? else {
            return Ok(Vec::new());
        };
        let after = match after {
            Some(id) => id,
            None => match self.first()? {
                Some(first) => first.id,
                None => return Ok(Vec::new()),
            },
        };
        let mut steps: BTreeMap<i64, Step> = BTreeMap::new();
        let result = (|| {
            let mut statement = self.conn.prepare(
                "SELECT appeared_in, kind, body FROM versions
                 WHERE feed = ?1 AND appeared_in > ?2 AND appeared_in <= ?3 ORDER BY id",
            )?;
            let mut rows = statement.query([feed, after.0, upto.0])?;
            while let Some(row) = rows.next()? {
                let step = steps.entry(row.get(0)?).or_default();
                step.new.push((row.get(1)?, row.get(2)?));
            }
            let mut statement = self.conn.prepare(
                "SELECT left_in, kind, body FROM versions
                 WHERE feed = ?1 AND left_in > ?2 AND left_in <= ?3 ORDER BY id",
            )?;
            let mut rows = statement.query([feed, after.0, upto.0])?;
            while let Some(row) = rows.next()? {
                let step = steps.entry(row.get(0)?).or_default();
                step.old.push((row.get(1)?, row.get(2)?));
            }
            for (column, appeared) in [("appeared_in", true), ("cleared_in", false)] {
                let sql = format!(
                    "SELECT {column}, key, severity, label, message, store_at, partner_at FROM findings
                     WHERE feed = ?1 AND {column} > ?2 AND {column} <= ?3 ORDER BY id"
                );
                let mut statement = self.conn.prepare(&sql)?;
                let mut rows = statement.query([feed, after.0, upto.0])?;
                while let Some(row) = rows.next()? {
                    let step = steps.entry(row.get(0)?).or_default();
                    let key: Vec<u8> = row.get(1)?;
                    let key = String::from_utf8_lossy(&key).into_owned();
                    let parts = KeyParts::of(&key);
                    let at = |column| -> rusqlite::Result<Option<usize>> {
                        let position: Option<i64> = row.get(column)?;
                        Ok(position.and_then(|p| usize::try_from(p).ok()))
                    };
                    let (store_at, partner_at) = (at(5)?, at(6)?);
                    let label: Option<String> = row.get(3)?;
                    let finding = StepFinding {
                        severity: row.get(2)?,
                        label: label.unwrap_or_else(|| parts.origin.clone()),
                        message: row.get(4)?,
                        city: parts.city,
                        store: store_at.and_then(|i| parts.stores.get(i).cloned()),
                        partner: partner_at.and_then(|i| parts.partners.get(i).cloned()),
                        key,
                    };
                    if appeared {
                        step.appeared.push(finding);
                    } else {
                        step.cleared.push(finding);
                    }
                }
            }
            let mut statement = self.conn.prepare(
                "SELECT id, received_at FROM snapshots WHERE feed = ?1 AND id > ?2 AND id <= ?3",
            )?;
            let mut rows = statement.query([feed, after.0, upto.0])?;
            while let Some(row) = rows.next()? {
                if let Some(step) = steps.get_mut(&row.get(0)?) {
                    step.received_at = row.get(1)?;
                }
            }
            Ok(())
        })();
        result.map_err(|e| self.error(e))?;

        let mut changes = Vec::new();
        for (id, step) in steps {
            let at = DateTime::from_timestamp_millis(step.received_at).unwrap_or_default();
            step.describe(SnapshotId(id), at, self.lang, &mut changes)
                .map_err(|detail| self.corrupt(detail))?;
        }
        Ok(changes)
    }
}

/// A finding that appeared or cleared in one snapshot.
struct StepFinding {
    key: String,
    severity: i64,
    label: String,
    message: String,
    city: Option<String>,
    store: Option<String>,
    partner: Option<String>,
}

/// What one snapshot changed: the versions it closed (`old`) and opened
/// (`new`), as (kind, body), and the findings.
#[derive(Default)]
struct Step {
    received_at: i64,
    old: Vec<(i64, String)>,
    new: Vec<(i64, String)>,
    appeared: Vec<StepFinding>,
    cleared: Vec<StepFinding>,
}

/// A document holding only some records: one side of one step.
fn partial_document(versions: &[(i64, String)]) -> Result<Document, String> {
    fn read<T: DeserializeOwned>(body: &str) -> Result<T, String> {
        serde_json::from_str(body).map_err(|e| format!("a recorded record cannot be read: {e}"))
    }
    let mut doc = Document {
        schema_version: SCHEMA_VERSION,
        generated_at: DateTime::<Utc>::default(),
        program: Program {
            name: Text::default(),
            display_vehicle_deadline: None,
        },
        cities: Vec::new(),
        partners: Vec::new(),
        stores: Vec::new(),
        warnings: Vec::new(),
        problems: Vec::new(),
    };
    for (kind, body) in versions {
        match Kind::from_code(*kind) {
            Some(Kind::City) => doc.cities.push(read::<City>(body)?),
            Some(Kind::Partner) => doc.partners.push(read::<Partner>(body)?),
            Some(Kind::Store) => doc.stores.push(read::<Store>(body)?),
            // The programme and the feed's warnings have no change of their
            // own: the feed's warnings show as findings.
            Some(Kind::Program | Kind::Warning) | None => {}
        }
    }
    Ok(doc)
}

impl Step {
    /// The step's changes, as `diff` describes them, then its findings.
    fn describe(
        self,
        id: SnapshotId,
        at: DateTime<Utc>,
        lang: Lang,
        out: &mut Vec<RecordedChange>,
    ) -> Result<(), String> {
        let old = Snapshot::new(partial_document(&self.old)?);
        let new = Snapshot::new(partial_document(&self.new)?);
        for mut change in diff(&old, &[], &new, &[], lang) {
            change.at = at;
            let record = match change.kind {
                ChangeKind::PartnerAdded | ChangeKind::AgreementStage => {
                    change.partner.as_ref().map(|p| p.as_str().to_owned())
                }
                ChangeKind::RecruitmentStatus => {
                    change.city.as_ref().map(|c| c.as_str().to_owned())
                }
                _ => change.store.as_ref().map(|s| s.as_str().to_owned()),
            };
            out.push(RecordedChange {
                snapshot: id,
                record: record.unwrap_or_default(),
                change,
            });
        }
        // A finding whose severity changed cleared and appeared in the same
        // snapshot; `diff` keys findings without their severity and says
        // nothing of it, and neither does the history.
        let appeared: std::collections::HashSet<&str> =
            self.appeared.iter().map(|f| f.key.as_str()).collect();
        let cleared: std::collections::HashSet<&str> =
            self.cleared.iter().map(|f| f.key.as_str()).collect();
        let finding_change =
            |finding: &StepFinding, kind: ChangeKind, message: String| RecordedChange {
                snapshot: id,
                record: finding.key.clone(),
                change: Change {
                    at,
                    kind,
                    city: finding.city.as_deref().map(CityId::new),
                    partner: finding.partner.as_deref().map(PartnerId::new),
                    store: finding.store.as_deref().map(StoreId::new),
                    message,
                },
            };
        for finding in self
            .appeared
            .iter()
            .filter(|f| !cleared.contains(f.key.as_str()))
        {
            out.push(finding_change(
                finding,
                ChangeKind::ConflictAppeared,
                changes::appeared(
                    lang,
                    severity_of(finding.severity),
                    &finding.label,
                    &finding.message,
                ),
            ));
        }
        for finding in self
            .cleared
            .iter()
            .filter(|f| !appeared.contains(f.key.as_str()))
        {
            out.push(finding_change(
                finding,
                ChangeKind::ConflictCleared,
                changes::cleared(lang, &finding.label, &finding.message),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every walk through the snapshots follows an index: none sorts the
    /// feed's rows (a year of 5 s polls is six million of them).
    #[test]
    fn snapshot_lookups_never_sort_the_whole_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let history = History::open_file(
            &path,
            "http://h/v1/snapshot",
            std::time::Duration::MAX,
            std::time::Duration::from_secs(5),
        )
        .unwrap();
        for condition in [AT, FIRST, PREVIOUS, NEXT] {
            let sql = format!(
                "EXPLAIN QUERY PLAN SELECT {INFO_COLUMNS} FROM snapshots WHERE feed = ?1 AND {condition}"
            );
            let mut statement = history.conn.prepare(&sql).unwrap();
            let plan: Vec<String> = statement
                .query_map([1, 1], |row| row.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let plan = plan.join("; ");
            assert!(plan.contains("snapshots_by_time"), "{condition}: {plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{condition}: {plan}");
        }
    }
}
