//! Per-city trends from the history: stores open, stores in all and the
//! average build-out at each recorded snapshot, for the whole programme and
//! for each city.
//!
//! Recording writes a city's figures into `trend` (migration 3) only when
//! they changed, so a quiet city costs nothing per snapshot; the figures at
//! a snapshot are the city's latest row at or before it. A series is read
//! at most `max_points` snapshots (evenly spread over the window by time),
//! each one indexed lookup per city: the cost follows the points a screen
//! shows, not the length of the history. Pruning keeps the one row per city
//! that still stands at the oldest snapshot kept.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use tokio::sync::watch;

use super::{History, HistoryError, SnapshotId};
use crate::analysis::plan::{self, PlanReport};
use crate::analysis::{Analysis, progress};
use crate::feed::snapshot::Snapshot;

/// The `trend.city` key of the whole programme: `0xFF` never occurs in
/// UTF-8, so no city id can take it.
const PROGRAM: &[u8] = &[0xFF];

/// How many snapshots recorded before the trend table existed are read
/// back and summed up on first use (each one is a full rebuild).
pub const BACKFILL_POINTS: usize = 24;

/// One city's (or the programme's) figures at one snapshot, as recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    /// The city's raw id as bytes, or [`PROGRAM`].
    city: Vec<u8>,
    stores_open: i64,
    stores_total: i64,
    avg_percent: f64,
}

/// The figures of a snapshot's analysis: the programme first, then every city.
pub(super) fn figures(analysis: &Analysis) -> Vec<Figures> {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let totals = &analysis.totals;
    std::iter::once(Figures {
        city: PROGRAM.to_vec(),
        stores_open: count(totals.stores_open),
        stores_total: count(totals.stores_total),
        avg_percent: totals.avg_percent,
    })
    .chain(analysis.cities.iter().map(|c| Figures {
        city: c.city.as_str().as_bytes().to_vec(),
        stores_open: count(c.stores_open),
        stores_total: count(c.stores_total),
        avg_percent: c.avg_percent,
    }))
    .collect()
}

/// Writes the figures of snapshot `id` that differ from the city's latest
/// row (inside the recording transaction).
pub(super) fn write(
    tx: &Transaction<'_>,
    feed: i64,
    id: i64,
    figures: &[Figures],
) -> rusqlite::Result<()> {
    let mut latest = tx.prepare_cached(
        "SELECT stores_open, stores_total, avg_percent FROM trend
         WHERE feed = ?1 AND city = ?2 ORDER BY snapshot DESC LIMIT 1",
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO trend (feed, city, snapshot, stores_open, stores_total, avg_percent)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for f in figures {
        let before: Option<(i64, i64, f64)> = latest
            .query_row(params![feed, f.city], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()?;
        let same = before.is_some_and(|(open, total, avg)| {
            open == f.stores_open && total == f.stores_total && avg == f.avg_percent
        });
        if !same {
            insert.execute(params![
                feed,
                f.city,
                id,
                f.stores_open,
                f.stores_total,
                f.avg_percent
            ])?;
        }
    }
    Ok(())
}

/// Removes the rows no kept snapshot needs: those before `standing` (the
/// oldest snapshot kept) that a later row at or before it replaces.
pub(super) fn prune(tx: &Transaction<'_>, feed: i64, standing: i64) -> rusqlite::Result<usize> {
    tx.execute(
        "DELETE FROM trend WHERE feed = ?1 AND snapshot < ?2 AND EXISTS (
             SELECT 1 FROM trend AS later WHERE later.feed = trend.feed
             AND later.city = trend.city AND later.snapshot > trend.snapshot
             AND later.snapshot <= ?2)",
        [feed, standing],
    )
}

/// Stores open, stores in all, average build-out, as a row holds them.
type Figure = (i64, i64, f64);

/// One point of a series.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrendPoint {
    /// When the snapshot was received.
    pub at: DateTime<Utc>,
    /// Stores open.
    pub stores_open: u32,
    /// Stores of every kind.
    pub stores_total: u32,
    /// Average build-out percent.
    pub avg_percent: f64,
}

/// The series of the programme and of each city, oldest point first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trends {
    /// The whole programme.
    pub program: Vec<TrendPoint>,
    /// Each city asked for, by its raw id.
    pub cities: HashMap<String, Vec<TrendPoint>>,
}

impl Trends {
    /// A city's series (empty when it has none).
    pub fn city(&self, id: &str) -> &[TrendPoint] {
        self.cities.get(id).map_or(&[], Vec::as_slice)
    }

    /// Adds the figures of a snapshot received at `at` that the history
    /// does not hold yet (the live one, recorded just now or not at all):
    /// as a last point, or in place of a last point of the same time.
    pub fn push_live(&mut self, analysis: &Analysis, at: DateTime<Utc>) {
        fn push(series: &mut Vec<TrendPoint>, point: TrendPoint) {
            match series.last() {
                Some(last) if last.at > point.at => {}
                Some(last) if last.at == point.at => {
                    if let Some(last) = series.last_mut() {
                        *last = point;
                    }
                }
                _ => series.push(point),
            }
        }
        // The history keeps times to the millisecond: the live snapshot,
        // once recorded, is the same point, not one more.
        let at = DateTime::from_timestamp_millis(at.timestamp_millis()).unwrap_or(at);
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let totals = &analysis.totals;
        push(
            &mut self.program,
            TrendPoint {
                at,
                stores_open: count(totals.stores_open),
                stores_total: count(totals.stores_total),
                avg_percent: totals.avg_percent,
            },
        );
        for city in &analysis.cities {
            push(
                self.cities
                    .entry(city.city.as_str().to_owned())
                    .or_default(),
                TrendPoint {
                    at,
                    stores_open: count(city.stores_open),
                    stores_total: count(city.stores_total),
                    avg_percent: city.avg_percent,
                },
            );
        }
    }
}

/// How far back the dashboard's trends go.
pub const TREND_DAYS: i64 = 90;

/// The most points a series has: more than a sparkline or a chart on a
/// wide terminal can show.
pub const MAX_POINTS: usize = 160;

/// What the dashboard shows of the history beside the live snapshot:
/// the trends and plan versus actual, worked out off the UI task.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendReport {
    /// When the snapshot it was made for was received.
    pub received_at: DateTime<Utc>,
    /// The series, the snapshot's own figures last.
    pub trends: Trends,
    /// Plan versus actual on the snapshot's date.
    pub plan: PlanReport,
    /// Why the history could not be read, if it could not (the series
    /// then hold only the snapshot's own point).
    pub history_off: Option<String>,
}

impl TrendReport {
    /// Reads the series of the snapshot's cities from `history` (when
    /// there is one), adds the snapshot's own figures, and compares its
    /// plan with the stores open by date. Blocks on the database: for a
    /// blocking task.
    pub fn make(
        history: Result<&mut History, &HistoryError>,
        snapshot: &Snapshot,
        analysis: &Analysis,
        received_at: DateTime<Utc>,
    ) -> TrendReport {
        let cities: Vec<&str> = snapshot.cities().map(|c| c.id.as_str()).collect();
        let since = received_at - chrono::Duration::days(TREND_DAYS);
        let read = history.map_err(|e| e.to_string()).and_then(|history| {
            if let Err(error) = history.backfill_trends(BACKFILL_POINTS) {
                // The series still read what the trend table holds.
                tracing::warn!(%error, "summing up older snapshots for the trends failed");
            }
            history
                .trends(&cities, since, MAX_POINTS)
                .map_err(|e| e.to_string())
        });
        let (mut trends, history_off) = match read {
            Ok(trends) => (trends, None),
            Err(reason) => (Trends::default(), Some(reason)),
        };
        trends.push_live(analysis, received_at);
        let plan = plan::report(snapshot, |city| {
            let series = match city {
                Some(id) => trends.city(id),
                None => &trends.program,
            };
            plan::daily(
                series
                    .iter()
                    .map(|p| (p.at, usize::try_from(p.stores_open).unwrap_or(0))),
            )
        });
        TrendReport {
            received_at,
            trends,
            plan,
            history_off,
        }
    }
}

/// A snapshot for the trend worker: what [`TrendReport::make`] needs.
pub type TrendJob = (Arc<Snapshot>, Arc<Analysis>, DateTime<Utc>);

/// Starts the worker that makes a [`TrendReport`] for the snapshot last
/// put in the returned sender (a newer one replaces one not started yet)
/// and hands it to `deliver`. It keeps one history handle, opened on the
/// first job (`open`) and again after an error; `describe` says why a
/// history that did not open is off, in the dashboard's language. Stops
/// when the sender is dropped or `deliver` says no one listens (returns false).
pub fn spawn_worker(
    open: impl Fn() -> Result<History, HistoryError> + Send + Sync + 'static,
    describe: impl Fn(&HistoryError) -> String + Send + Sync + 'static,
    deliver: impl Fn(TrendReport) -> bool + Send + 'static,
) -> watch::Sender<Option<TrendJob>> {
    let (jobs, mut inbox) = watch::channel::<Option<TrendJob>>(None);
    let open = Arc::new(open);
    let describe = Arc::new(describe);
    tokio::spawn(async move {
        let mut handle: Option<History> = None;
        while inbox.changed().await.is_ok() {
            let Some(job) = inbox.borrow_and_update().clone() else {
                continue;
            };
            let open = Arc::clone(&open);
            let describe = Arc::clone(&describe);
            let taken = handle.take();
            let done = tokio::task::spawn_blocking(move || {
                let (snapshot, analysis, received_at) = job;
                let mut history = match taken {
                    Some(history) => Ok(history),
                    None => open(),
                };
                let mut report = TrendReport::make(
                    history.as_mut().map_err(|e| &*e),
                    &snapshot,
                    &analysis,
                    received_at,
                );
                if let Err(error) = &history {
                    report.history_off = Some(describe(error));
                }
                // A handle that failed is opened again for the next job.
                let keep = history.ok().filter(|_| report.history_off.is_none());
                (report, keep)
            })
            .await;
            let Ok((report, keep)) = done else { return };
            handle = keep;
            if !deliver(report) {
                return;
            }
        }
    });
    jobs
}

impl History {
    /// The series of the programme and of `cities` (raw ids) over the
    /// snapshots received from `since` on: at most `max_points` of them,
    /// the last one of each of `max_points` equal stretches of time, so
    /// that a long history costs what a short one does. A snapshot a city
    /// has no figures at (not in the feed yet) is no point of its series.
    pub fn trends(
        &mut self,
        cities: &[&str],
        since: DateTime<Utc>,
        max_points: usize,
    ) -> Result<Trends, HistoryError> {
        let Some(feed) = self.feed_row()? else {
            return Ok(Trends::default());
        };
        if !self.has_trend_table()? {
            return Ok(Trends::default());
        }
        let result = (|| -> rusqlite::Result<Trends> {
            let since = since.timestamp_millis();
            let latest: Option<i64> = self.conn.query_row(
                "SELECT max(received_at) FROM snapshots WHERE feed = ?1",
                [feed],
                |row| row.get(0),
            )?;
            let Some(latest) = latest else {
                return Ok(Trends::default());
            };
            // Ids grow with `received_at`, so the greatest id of a stretch
            // is its last snapshot.
            let buckets = i64::try_from(max_points.max(1)).unwrap_or(i64::MAX);
            let span = (latest - since).max(0) + 1;
            let mut statement = self.conn.prepare(
                "SELECT max(id), max(received_at) FROM snapshots
                 WHERE feed = ?1 AND received_at >= ?2
                 GROUP BY (received_at - ?2) * ?3 / ?4 ORDER BY 2",
            )?;
            let picked: Vec<(i64, i64)> = statement
                .query_map(params![feed, since, buckets, span], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let (Some(&(first, _)), Some(&(last, _))) = (picked.first(), picked.last()) else {
                return Ok(Trends::default());
            };
            let mut at = self.conn.prepare_cached(
                "SELECT stores_open, stores_total, avg_percent FROM trend
                 WHERE feed = ?1 AND city = ?2 AND snapshot <= ?3
                 ORDER BY snapshot DESC LIMIT 1",
            )?;
            let mut between = self.conn.prepare_cached(
                "SELECT snapshot, stores_open, stores_total, avg_percent FROM trend
                 WHERE feed = ?1 AND city = ?2 AND snapshot > ?3 AND snapshot <= ?4
                 ORDER BY snapshot LIMIT ?5",
            )?;
            let figures = |row: &rusqlite::Row<'_>, from: usize| -> rusqlite::Result<Figure> {
                Ok((row.get(from)?, row.get(from + 1)?, row.get(from + 2)?))
            };
            // A city's rows are its changes: a quiet city has a few in the
            // window, read in one go and swept along the points. A city
            // that changed more often than that is looked up point by
            // point, so the cost never passes one lookup a point.
            let scan_limit = picked.len() * 2 + 1;
            let mut series = |key: &[u8]| -> rusqlite::Result<Vec<TrendPoint>> {
                let standing = at
                    .query_row(params![feed, key, first], |row| figures(row, 0))
                    .optional()?;
                let changes: Vec<(i64, Figure)> = between
                    .query_map(params![feed, key, first, last, scan_limit as i64], |row| {
                        Ok((row.get(0)?, figures(row, 1)?))
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                let mut points = Vec::with_capacity(picked.len());
                let mut push = |received: i64, (open, total, avg): Figure| {
                    points.push(TrendPoint {
                        at: DateTime::from_timestamp_millis(received).unwrap_or_default(),
                        stores_open: u32::try_from(open).unwrap_or(0),
                        stores_total: u32::try_from(total).unwrap_or(0),
                        avg_percent: avg,
                    });
                };
                if changes.len() < scan_limit {
                    let mut current = standing;
                    let mut next = changes.iter().peekable();
                    for &(id, received) in &picked {
                        while let Some((_, figure)) = next.next_if(|(snapshot, _)| *snapshot <= id)
                        {
                            current = Some(*figure);
                        }
                        if let Some(figure) = current {
                            push(received, figure);
                        }
                    }
                } else {
                    for &(id, received) in &picked {
                        let figure = at
                            .query_row(params![feed, key, id], |row| figures(row, 0))
                            .optional()?;
                        if let Some(figure) = figure {
                            push(received, figure);
                        }
                    }
                }
                Ok(points)
            };
            let program = series(PROGRAM)?;
            let mut by_city = HashMap::with_capacity(cities.len());
            for city in cities {
                by_city.insert((*city).to_owned(), series(city.as_bytes())?);
            }
            Ok(Trends {
                program,
                cities: by_city,
            })
        })();
        result.map_err(|e| self.error(e))
    }

    /// Sums up snapshots recorded before the trend table existed (by an
    /// older rollout-dash): at most `max` of them, evenly spread from the
    /// first, each rebuilt in full. Returns how many were summed up; 0 once
    /// the oldest snapshot has its figures (the usual case: nothing to do).
    pub fn backfill_trends(&mut self, max: usize) -> Result<usize, HistoryError> {
        let Some(feed) = self.feed_row()? else {
            return Ok(0);
        };
        if !self.has_trend_table()? || self.is_read_only() {
            return Ok(0);
        }
        let missing = (|| -> rusqlite::Result<Vec<i64>> {
            let first_trend: Option<i64> = self.conn.query_row(
                "SELECT min(snapshot) FROM trend WHERE feed = ?1 AND city = ?2",
                params![feed, PROGRAM],
                |row| row.get(0),
            )?;
            let mut statement = self.conn.prepare(
                "SELECT id FROM snapshots WHERE feed = ?1 AND id < ?2 ORDER BY received_at, id",
            )?;
            let ids: Vec<i64> = statement
                .query_map(params![feed, first_trend.unwrap_or(i64::MAX)], |row| {
                    row.get(0)
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(spread(&ids, max))
        })()
        .map_err(|e| self.error(e))?;
        for &id in &missing {
            let snapshot = self.load(SnapshotId(id))?;
            let progress = crate::analysis::progress::city_progress(&snapshot, &[]);
            let totals = progress::totals(&snapshot, &[]);
            let analysis = Analysis {
                findings: Vec::new(),
                cities: progress,
                totals,
            };
            let rows = figures(&analysis);
            let result = (|| -> rusqlite::Result<()> {
                let tx = self.conn.transaction()?;
                let mut insert = tx.prepare_cached(
                    "INSERT OR IGNORE INTO trend
                     (feed, city, snapshot, stores_open, stores_total, avg_percent)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?;
                for f in &rows {
                    insert.execute(params![
                        feed,
                        f.city,
                        id,
                        f.stores_open,
                        f.stores_total,
                        f.avg_percent
                    ])?;
                }
                drop(insert);
                tx.commit()
            })();
            result.map_err(|e| self.error(e))?;
        }
        Ok(missing.len())
    }
}

impl History {
    /// Whether the file has the trend table: one opened read-only is not
    /// migrated, and may be older.
    fn has_trend_table(&self) -> Result<bool, HistoryError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'trend'",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(|e| self.error(e))
    }

    /// Whether this handle cannot write.
    fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true)
    }
}

/// At most `max` of `ids`, evenly spread, the first and the last among them.
fn spread(ids: &[i64], max: usize) -> Vec<i64> {
    if ids.len() <= max {
        return ids.to_vec();
    }
    if max <= 1 {
        return ids.first().copied().into_iter().collect();
    }
    let mut picked: Vec<i64> = (0..max)
        .map(|i| ids[i * (ids.len() - 1) / (max - 1)])
        .collect();
    picked.dedup();
    picked
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn spread_keeps_the_first_and_the_last() {
        let ids: Vec<i64> = (1..=100).collect();
        let picked = spread(&ids, 5);
        assert_eq!(picked, vec![1, 25, 50, 75, 100]);
        assert_eq!(spread(&ids[..3], 5), vec![1, 2, 3]);
        assert_eq!(spread(&ids, 1), vec![1]);
    }
}
