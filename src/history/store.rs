//! Recording a snapshot (what changed since the latest recorded one), and
//! pruning what is older than the retention.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::io::{Read as _, Write as _};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use super::{History, HistoryError, Recorded, SnapshotId, SnapshotInfo, finding_key};
use crate::analysis::{Analysis, Finding, Origin, Severity};
use crate::feed::snapshot::Snapshot;
use crate::feed::wire::RawId;
use crate::i18n::Lang;

/// The kinds of record, as stored in `versions.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    Program = 0,
    City = 1,
    Partner = 2,
    Store = 3,
    Warning = 4,
}

impl Kind {
    pub(super) const ALL: [Kind; 5] = [
        Kind::Program,
        Kind::City,
        Kind::Partner,
        Kind::Store,
        Kind::Warning,
    ];

    pub(super) fn from_code(code: i64) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| *kind as i64 == code)
    }
}

/// The stored key of the `occurrence`-th record (0-based) with this id in
/// its section: the id's bytes, then for a repeat `0xFF` and the count.
/// `0xFF` never occurs in UTF-8, so a repeat never takes another id's key.
/// (Validation drops repeated cities, partners and stores; the feed's
/// warnings are kept as received, repeats included.)
pub(super) fn record_key(id: &str, occurrence: usize) -> Vec<u8> {
    let mut key = id.as_bytes().to_vec();
    if occurrence > 0 {
        key.push(0xFF);
        key.extend_from_slice(occurrence.to_string().as_bytes());
    }
    key
}

/// The order of a snapshot's records: their ids, section by section.
#[derive(Serialize)]
struct LayoutOut<'a> {
    cities: Vec<&'a str>,
    partners: Vec<&'a str>,
    stores: Vec<&'a str>,
    warnings: Vec<&'a str>,
}

/// [`LayoutOut`] read back.
#[derive(Deserialize)]
pub(super) struct Layout {
    pub cities: Vec<String>,
    pub partners: Vec<String>,
    pub stores: Vec<String>,
    pub warnings: Vec<String>,
}

/// A data warning read back.
#[derive(Deserialize)]
pub(super) struct StoredWarning {
    pub record: String,
    pub message: String,
}

/// One record as stored.
struct Piece {
    kind: Kind,
    key: Vec<u8>,
    body: String,
    /// [`Current`]'s hash of `body`.
    hash: u64,
}

/// A finding with [`Current`]'s hash of its key.
struct HashedFinding<'a> {
    identity: u64,
    finding: &'a Finding,
}

/// A JSON blob, with [`Current`]'s hash of it.
struct Blob {
    json: Vec<u8>,
    hash: u64,
}

/// Everything one snapshot writes, prepared before the transaction.
struct Prepared<'a> {
    generated: DateTime<Utc>,
    generated_at: String,
    received_at: i64,
    content_hash: String,
    pieces: Vec<Piece>,
    layout: Blob,
    warnings: Blob,
    findings: Vec<HashedFinding<'a>>,
    /// The programme's and each city's figures, for the trends.
    trend: Vec<super::trend::Figures>,
}

/// What is current for one feed after its latest snapshot, by hash: the
/// record versions and findings that snapshot left open, and its blobs.
/// Kept by the handle that wrote or read it, so that the next snapshot
/// is compared without reading twenty thousand rows back; used only while
/// the feed's latest snapshot is still the one it describes.
///
/// The hashes are foldhash, seeded at random per process (the map is never
/// stored), so a feed cannot craft a changed record that hashes as the old.
pub(super) struct Current {
    feed: i64,
    snapshot: i64,
    versions: HashMap<(Kind, Vec<u8>), (i64, u64)>,
    findings: HashMap<u64, (i64, i64)>,
    layout: (u64, i64),
    warnings: (u64, i64),
}

/// The seeded hash of [`Current`].
pub(super) type Hasher = foldhash::fast::RandomState;

/// The hash of a finding's key ([`finding_key`]'s parts), computed
/// without writing the key.
fn identity(
    hasher: &Hasher,
    origin: &str,
    city: Option<&str>,
    stores: &[&str],
    partners: &[&str],
) -> u64 {
    hasher.hash_one((origin, city, stores, partners))
}

fn finding_identity(hasher: &Hasher, finding: &Finding) -> u64 {
    let parts = finding.identity();
    identity(
        hasher,
        &parts.origin,
        parts.city,
        &parts.stores,
        &parts.partners,
    )
}

/// The identity of a stored key; `None` for a key that is not one of ours.
fn key_identity(hasher: &Hasher, key: &[u8]) -> Option<u64> {
    let (origin, city, stores, partners): (String, Option<String>, Vec<String>, Vec<String>) =
        serde_json::from_slice(key).ok()?;
    let stores: Vec<&str> = stores.iter().map(String::as_str).collect();
    let partners: Vec<&str> = partners.iter().map(String::as_str).collect();
    Some(identity(
        hasher,
        &origin,
        city.as_deref(),
        &stores,
        &partners,
    ))
}

pub(super) fn severity_code(severity: Severity) -> i64 {
    match severity {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Critical => 2,
    }
}

pub(super) fn severity_of(code: i64) -> Severity {
    match code {
        2 => Severity::Critical,
        1 => Severity::Warning,
        _ => Severity::Info,
    }
}

/// The text stored for `generated_at`: RFC 3339, as precise as the feed's.
pub(super) fn time_text(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Deflates a blob (the order of 20,000 store ids is 400 KB of JSON, a
/// tenth of that deflated).
fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::with_capacity(bytes.len() / 4), Default::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// Inflates a blob; `None` when it is not deflate data.
pub(super) fn inflate(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() * 4);
    flate2::read::DeflateDecoder::new(bytes)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// Serializes each record of the snapshot, with its key.
fn pieces(snapshot: &Snapshot, hasher: &Hasher) -> serde_json::Result<Vec<Piece>> {
    fn section<'a, T: Serialize + 'a>(
        kind: Kind,
        records: impl Iterator<Item = (&'a str, &'a T)>,
        hasher: &Hasher,
        out: &mut Vec<Piece>,
    ) -> serde_json::Result<()> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (id, record) in records {
            let occurrence = seen.entry(id).or_default();
            let body = serde_json::to_string(record)?;
            out.push(Piece {
                kind,
                key: record_key(id, *occurrence),
                hash: hasher.hash_one(&body),
                body,
            });
            *occurrence += 1;
        }
        Ok(())
    }
    let doc = &snapshot.document;
    let mut out = Vec::with_capacity(
        1 + doc.cities.len() + doc.partners.len() + doc.stores.len() + doc.warnings.len(),
    );
    section(
        Kind::Program,
        std::iter::once(("", &doc.program)),
        hasher,
        &mut out,
    )?;
    section(
        Kind::City,
        doc.cities.iter().map(|c| (c.id.as_str(), c)),
        hasher,
        &mut out,
    )?;
    section(
        Kind::Partner,
        doc.partners.iter().map(|p| (p.id.as_str(), p)),
        hasher,
        &mut out,
    )?;
    section(
        Kind::Store,
        doc.stores.iter().map(|s| (s.id.as_str(), s)),
        hasher,
        &mut out,
    )?;
    section(
        Kind::Warning,
        doc.warnings.iter().map(|w| (w.id.as_str(), w)),
        hasher,
        &mut out,
    )?;
    Ok(out)
}

fn prepare<'a>(
    snapshot: &Snapshot,
    analysis: &'a Analysis,
    received_at: DateTime<Utc>,
    hasher: &Hasher,
) -> serde_json::Result<Prepared<'a>> {
    let doc = &snapshot.document;
    let pieces = pieces(snapshot, hasher)?;
    let blob = |json: Vec<u8>| Blob {
        hash: hasher.hash_one(&json),
        json,
    };
    let layout = blob(serde_json::to_vec(&LayoutOut {
        cities: doc.cities.iter().map(|c| c.id.as_str()).collect(),
        partners: doc.partners.iter().map(|p| p.id.as_str()).collect(),
        stores: doc.stores.iter().map(|s| s.id.as_str()).collect(),
        warnings: doc.warnings.iter().map(|w| w.id.as_str()).collect(),
    })?);
    let warnings = blob(serde_json::to_vec(&snapshot.data_warnings)?);
    let generated_at = time_text(doc.generated_at);
    // Stable across processes (unlike the hashes above): FNV-1a over the
    // FNV-1a of each part.
    let mut parts = Vec::with_capacity(8 * (pieces.len() + 3));
    parts.extend_from_slice(&crate::feed::fnv64(generated_at.as_bytes()).to_le_bytes());
    for piece in &pieces {
        parts.extend_from_slice(&crate::feed::fnv64(piece.body.as_bytes()).to_le_bytes());
    }
    parts.extend_from_slice(&crate::feed::fnv64(&layout.json).to_le_bytes());
    parts.extend_from_slice(&crate::feed::fnv64(&warnings.json).to_le_bytes());
    let content_hash = format!("{:016x}", crate::feed::fnv64(&parts));
    // A rule over the same records twice would be one key: the first
    // (worst, in the analysis's order) stands for both.
    let mut seen = HashSet::with_capacity(analysis.findings.len());
    let findings = analysis
        .findings
        .iter()
        .map(|finding| HashedFinding {
            identity: finding_identity(hasher, finding),
            finding,
        })
        .filter(|hashed| seen.insert(hashed.identity))
        .collect();
    Ok(Prepared {
        generated: doc.generated_at,
        generated_at,
        received_at: received_at.timestamp_millis(),
        content_hash,
        pieces,
        layout,
        warnings,
        findings,
        trend: super::trend::figures(analysis),
    })
}

/// Where the first of `ids` is once they are sorted (as the key sorts them).
fn sorted_position<T: std::borrow::Borrow<str>>(ids: &[T]) -> Option<i64> {
    let first: &str = ids.first()?.borrow();
    let before = ids.iter().filter(|id| id.borrow() < first).count();
    i64::try_from(before).ok()
}

/// The latest snapshot row of a feed, with its blob ids.
pub(super) struct LatestRow {
    pub info: SnapshotInfo,
    generated_at: String,
    layout: i64,
    warnings: i64,
}

pub(super) fn latest_row(conn: &Connection, feed: i64) -> rusqlite::Result<Option<LatestRow>> {
    conn.query_row(
        "SELECT id, generated_at, received_at, content_hash, layout, data_warnings
         FROM snapshots WHERE feed = ?1 ORDER BY received_at DESC, id DESC LIMIT 1",
        [feed],
        |row| {
            let generated_at: String = row.get(1)?;
            Ok(LatestRow {
                info: info_of(row.get(0)?, &generated_at, row.get(2)?, row.get(3)?),
                generated_at,
                layout: row.get(4)?,
                warnings: row.get(5)?,
            })
        },
    )
    .optional()
}

/// A [`SnapshotInfo`] from its columns; an unreadable time reads as the epoch.
pub(super) fn info_of(
    id: i64,
    generated_at: &str,
    received_at: i64,
    content_hash: String,
) -> SnapshotInfo {
    SnapshotInfo {
        id: SnapshotId(id),
        generated_at: crate::feed::dates::parse_date_time(generated_at).unwrap_or_default(),
        received_at: DateTime::from_timestamp_millis(received_at).unwrap_or_default(),
        content_hash,
    }
}

/// The id of a blob with exactly these bytes, stored now if it is new.
fn blob_id(tx: &Transaction<'_>, bytes: &[u8]) -> rusqlite::Result<i64> {
    // The hash only narrows the search; the bytes decide.
    let hash = crate::feed::fnv64(bytes) as i64;
    let found = tx
        .query_row(
            "SELECT id FROM blobs WHERE hash = ?1 AND body = ?2",
            params![hash, bytes],
            |row| row.get(0),
        )
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => {
            tx.execute(
                "INSERT INTO blobs (hash, body) VALUES (?1, ?2)",
                params![hash, bytes],
            )?;
            Ok(tx.last_insert_rowid())
        }
    }
}

/// The feed's row id, created if new.
fn feed_id(tx: &Transaction<'_>, feed: &str) -> rusqlite::Result<i64> {
    tx.execute("INSERT OR IGNORE INTO feeds (url) VALUES (?1)", [feed])?;
    tx.query_row("SELECT id FROM feeds WHERE url = ?1", [feed], |row| {
        row.get(0)
    })
}

/// How long after a snapshot another recorder's view of an older document
/// (by the feed's clock) may still arrive: a poll served just before the
/// feed moved on, stamped when its body was read, at most `feed.timeout`
/// (30 s by default) later.
const LATE_VIEW: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

/// Whether `prepared` is an older view than the latest recorded snapshot:
/// received before it, or a document older by the feed's clock received
/// within [`LATE_VIEW`] of it. Later than that, an older `generated_at` is
/// the feed's clock set back (a restore), and is recorded.
fn is_stale(latest: &SnapshotInfo, prepared: &Prepared<'_>) -> bool {
    let received = latest.received_at.timestamp_millis();
    received > prepared.received_at
        || (prepared.generated < latest.generated_at
            && prepared.received_at - received < LATE_VIEW.num_milliseconds())
}

/// What is current for `feed` after `latest`, read from the database (the
/// slow way: every open version and finding).
fn read_current(
    tx: &Transaction<'_>,
    feed: i64,
    latest: &LatestRow,
    hasher: &Hasher,
) -> rusqlite::Result<Current> {
    let mut versions = HashMap::new();
    let mut statement = tx.prepare(
        "SELECT id, kind, record, body FROM versions WHERE feed = ?1 AND left_in IS NULL",
    )?;
    let mut rows = statement.query([feed])?;
    while let Some(row) = rows.next()? {
        if let Some(kind) = Kind::from_code(row.get(1)?) {
            let body: String = row.get(3)?;
            versions.insert((kind, row.get(2)?), (row.get(0)?, hasher.hash_one(&body)));
        }
    }
    let mut findings = HashMap::new();
    let mut statement = tx
        .prepare("SELECT id, key, severity FROM findings WHERE feed = ?1 AND cleared_in IS NULL")?;
    let mut rows = statement.query([feed])?;
    while let Some(row) = rows.next()? {
        let key: Vec<u8> = row.get(1)?;
        // A key that is not ours cannot match: it is cleared.
        let identity = key_identity(hasher, &key).unwrap_or_else(|| hasher.hash_one(&key));
        findings.insert(identity, (row.get(0)?, row.get(2)?));
    }
    let blob_hash = |id: i64| -> rusqlite::Result<u64> {
        let bytes: Vec<u8> = tx.query_row("SELECT body FROM blobs WHERE id = ?1", [id], |row| {
            row.get(0)
        })?;
        // A blob that does not inflate matches nothing new.
        Ok(inflate(&bytes).map_or(0, |json| hasher.hash_one(&json)))
    };
    Ok(Current {
        feed,
        snapshot: latest.info.id.0,
        versions,
        findings,
        layout: (blob_hash(latest.layout)?, latest.layout),
        warnings: (blob_hash(latest.warnings)?, latest.warnings),
    })
}

/// The blob id for `blob`: the current one when it is the same, else found
/// or stored by its bytes.
fn blob_for(
    tx: &Transaction<'_>,
    blob: &Blob,
    current: Option<(u64, i64)>,
) -> rusqlite::Result<i64> {
    match current {
        Some((hash, id)) if hash == blob.hash => Ok(id),
        _ => blob_id(tx, &deflate(&blob.json)),
    }
}

/// The transaction of [`History::record`]: compares with what is current
/// and writes the difference. `cache` is what this handle knows is current;
/// it is used when the feed's latest snapshot is still the one it
/// describes, and left describing the snapshot this call ends with.
fn write(
    conn: &mut Connection,
    feed: &str,
    snapshot: &Snapshot,
    prepared: &Prepared<'_>,
    cache: &mut Option<Current>,
    hasher: &Hasher,
    lang: Lang,
) -> rusqlite::Result<(i64, Recorded)> {
    // Whatever happens, the cache is only put back once it is right.
    let known = cache.take();
    // IMMEDIATE: the write lock is taken (or waited for) here, so a second
    // recorder of the same feed sees this one's snapshot once it gets in.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let feed = feed_id(&tx, feed)?;
    let latest = latest_row(&tx, feed)?;
    if let Some(latest) = &latest
        && is_stale(&latest.info, prepared)
    {
        return Ok((feed, Recorded::Stale(latest.info.clone())));
    }
    let current = match (known, &latest) {
        (Some(known), Some(latest)) if known.feed == feed && known.snapshot == latest.info.id.0 => {
            Some(known)
        }
        (_, Some(latest)) => Some(read_current(&tx, feed, latest, hasher)?),
        (_, None) => None,
    };
    let empty = HashMap::new();
    let versions = current.as_ref().map_or(&empty, |c| &c.versions);
    let open = current.as_ref().map(|c| &c.findings);

    // Records: by (kind, key), compared by the hash of their JSON.
    let mut next_versions = HashMap::with_capacity(prepared.pieces.len());
    let mut closed: Vec<i64> = Vec::new();
    let mut added: Vec<&Piece> = Vec::new();
    for piece in &prepared.pieces {
        let key = (piece.kind, piece.key.clone());
        match versions.get(&key) {
            Some(&(id, hash)) if hash == piece.hash => {
                next_versions.insert(key, (id, hash));
            }
            Some(&(id, _)) => {
                closed.push(id);
                added.push(piece);
            }
            None => added.push(piece),
        }
    }
    // Gone from the feed: current, and neither kept nor replaced above.
    let mut gone: HashSet<i64> = versions.values().map(|&(id, _)| id).collect();
    for id in next_versions
        .values()
        .map(|&(id, _)| id)
        .chain(closed.iter().copied())
    {
        gone.remove(&id);
    }
    closed.extend(gone);

    // Findings: by key and severity.
    let mut next_findings = HashMap::with_capacity(prepared.findings.len());
    let mut cleared: Vec<i64> = Vec::new();
    let mut appeared: Vec<&HashedFinding<'_>> = Vec::new();
    for hashed in &prepared.findings {
        let severity = severity_code(hashed.finding.severity);
        match open.and_then(|open| open.get(&hashed.identity)) {
            Some(&(id, was)) if was == severity => {
                next_findings.insert(hashed.identity, (id, was));
            }
            Some(&(id, _)) => {
                cleared.push(id);
                appeared.push(hashed);
            }
            None => appeared.push(hashed),
        }
    }
    if let Some(open) = open {
        let mut gone: HashSet<i64> = open.values().map(|&(id, _)| id).collect();
        for id in next_findings
            .values()
            .map(|&(id, _)| id)
            .chain(cleared.iter().copied())
        {
            gone.remove(&id);
        }
        cleared.extend(gone);
    }

    let layout = blob_for(&tx, &prepared.layout, current.as_ref().map(|c| c.layout))?;
    let warnings = blob_for(
        &tx,
        &prepared.warnings,
        current.as_ref().map(|c| c.warnings),
    )?;
    let mut next = Current {
        feed,
        snapshot: 0,
        versions: next_versions,
        findings: next_findings,
        layout: (prepared.layout.hash, layout),
        warnings: (prepared.warnings.hash, warnings),
    };
    if let Some(latest) = &latest
        && closed.is_empty()
        && added.is_empty()
        && cleared.is_empty()
        && appeared.is_empty()
        && latest.layout == layout
        && latest.warnings == warnings
        && latest.generated_at == prepared.generated_at
    {
        // Dropping the transaction rolls it back: nothing was new.
        next.snapshot = latest.info.id.0;
        *cache = Some(next);
        return Ok((feed, Recorded::Unchanged(latest.info.clone())));
    }

    tx.execute(
        "INSERT INTO snapshots (feed, generated_at, received_at, content_hash, layout, data_warnings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            feed,
            prepared.generated_at,
            prepared.received_at,
            prepared.content_hash,
            layout,
            warnings
        ],
    )?;
    let id = tx.last_insert_rowid();
    {
        let mut close = tx.prepare("UPDATE versions SET left_in = ?1 WHERE id = ?2")?;
        for version in &closed {
            close.execute([id, *version])?;
        }
        let mut insert = tx.prepare(
            "INSERT INTO versions (feed, kind, record, body, appeared_in) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for piece in &added {
            insert.execute(params![feed, piece.kind as i64, piece.key, piece.body, id])?;
            next.versions.insert(
                (piece.kind, piece.key.clone()),
                (tx.last_insert_rowid(), piece.hash),
            );
        }
        let mut clear = tx.prepare(
            "UPDATE findings SET cleared_in = ?1 WHERE id = ?2 RETURNING CAST(key AS TEXT)",
        )?;
        let mut cleared_keys: HashSet<String> = HashSet::with_capacity(cleared.len());
        for finding in &cleared {
            let key: Option<String> = clear
                .query_row([id, *finding], |row| row.get(0))
                .optional()?;
            cleared_keys.extend(key);
        }
        // A finding that changed severity is cleared and appears again: it
        // is still there, so its acknowledgement stands.
        if !cleared_keys.is_empty() {
            for hashed in &appeared {
                cleared_keys.remove(&hashed.finding.canonical_key());
            }
        }
        super::acks::end_cleared(&tx, &cleared_keys, prepared.received_at)?;
        let mut insert = tx.prepare(
            "INSERT INTO findings (feed, key, severity, label, message, store_at, partner_at, appeared_in)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for hashed in &appeared {
            let finding = hashed.finding;
            let severity = severity_code(finding.severity);
            insert.execute(params![
                feed,
                finding_key(finding).as_str().as_bytes(),
                severity,
                match finding.origin {
                    Origin::Rule(_) => None,
                    Origin::Feed { .. } => Some(finding.origin.label()),
                },
                // In the recorder's language, kept as written: a history
                // read in another language shows these in the first.
                finding.message(snapshot, lang),
                sorted_position(&finding.stores),
                sorted_position(&finding.partners),
                id
            ])?;
            next.findings
                .insert(hashed.identity, (tx.last_insert_rowid(), severity));
        }
    }
    super::trend::write(&tx, feed, id, &prepared.trend)?;
    tx.commit()?;
    next.snapshot = id;
    *cache = Some(next);
    let info = info_of(
        id,
        &prepared.generated_at,
        prepared.received_at,
        prepared.content_hash.clone(),
    );
    Ok((
        feed,
        Recorded::New {
            snapshot: info,
            records_changed: closed.len() + added.len(),
            findings_appeared: appeared.len(),
            findings_cleared: cleared.len(),
        },
    ))
}

/// What [`History::prune`] removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Snapshot rows.
    pub snapshots: usize,
    /// Record versions.
    pub versions: usize,
    /// Finding rows.
    pub findings: usize,
}

impl History {
    /// Records a snapshot and its analysis, received at `received_at`:
    /// the records and findings that changed since the latest recorded
    /// snapshot of this feed, and a row for the snapshot. Nothing is
    /// written when it equals the latest one, or when a snapshot received
    /// later is already recorded. Blocks (on the disk, and for up to
    /// [`super::BUSY_TIMEOUT`] on another writer): call it from a blocking task.
    pub fn record(
        &mut self,
        snapshot: &Snapshot,
        analysis: &Analysis,
        received_at: DateTime<Utc>,
    ) -> Result<Recorded, HistoryError> {
        let prepared = prepare(snapshot, analysis, received_at, &self.hasher).map_err(|e| {
            HistoryError::Database {
                path: self.path.clone(),
                detail: format!("cannot serialize the snapshot: {e}"),
            }
        })?;
        let result = write(
            &mut self.conn,
            &self.feed,
            snapshot,
            &prepared,
            &mut self.current,
            &self.hasher,
            self.lang,
        );
        let (feed, recorded) = result.map_err(|e| self.error(e))?;
        self.feed_id = Some(feed);
        if matches!(recorded, Recorded::New { .. })
            && let Err(error) = self.prune_if_due(received_at)
        {
            // The snapshot is safe; pruning tries again in an hour.
            tracing::warn!(%error, "pruning the history failed");
        }
        Ok(recorded)
    }

    /// Removes what only snapshots received before `now - retention` need:
    /// the versions and findings that left (or cleared) at or before the
    /// snapshot that stood at that time, and the snapshots before it. That
    /// snapshot and every later one can still be rebuilt.
    pub fn prune(&mut self, now: DateTime<Utc>) -> Result<Pruned, HistoryError> {
        let Ok(retention) = chrono::Duration::from_std(self.retention) else {
            return Ok(Pruned::default());
        };
        let Some(cutoff) = now.checked_sub_signed(retention) else {
            return Ok(Pruned::default());
        };
        let cutoff = cutoff.timestamp_millis();
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut pruned = Pruned::default();
            let feeds: Vec<i64> = {
                let mut statement = tx.prepare("SELECT id FROM feeds")?;
                let rows = statement.query_map([], |row| row.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            for feed in feeds {
                let standing: Option<i64> = tx
                    .query_row(
                        "SELECT id FROM snapshots WHERE feed = ?1 AND received_at <= ?2
                         ORDER BY received_at DESC, id DESC LIMIT 1",
                        [feed, cutoff],
                        |row| row.get(0),
                    )
                    .optional()?;
                let Some(standing) = standing else { continue };
                // Versions that left at or before `standing` are valid at
                // no snapshot from `standing` on. Those that appeared
                // before it keep their (now dangling) `appeared_in`: only
                // its order matters.
                pruned.versions += tx.execute(
                    "DELETE FROM versions WHERE feed = ?1 AND left_in <= ?2",
                    [feed, standing],
                )?;
                pruned.findings += tx.execute(
                    "DELETE FROM findings WHERE feed = ?1 AND cleared_in <= ?2",
                    [feed, standing],
                )?;
                super::trend::prune(&tx, feed, standing)?;
                pruned.snapshots += tx.execute(
                    "DELETE FROM snapshots WHERE feed = ?1 AND id < ?2",
                    [feed, standing],
                )?;
            }
            if pruned.snapshots > 0 {
                tx.execute(
                    "DELETE FROM blobs WHERE id NOT IN
                     (SELECT layout FROM snapshots UNION SELECT data_warnings FROM snapshots)",
                    [],
                )?;
            }
            tx.commit()?;
            if pruned != Pruned::default() {
                // Give the freed pages back to the file system.
                self.conn.execute_batch("PRAGMA incremental_vacuum")?;
            }
            Ok(pruned)
        })();
        result.map_err(|e| self.error(e))
    }
}

/// A data warning as [`Snapshot::data_warnings`] holds it.
pub(super) fn data_warning(stored: StoredWarning) -> crate::feed::snapshot::DataWarning {
    crate::feed::snapshot::DataWarning::recorded(RawId::from(stored.record), stored.message)
}
