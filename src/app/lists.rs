//! The panes' lists: which rows are shown (filtered, sorted) and which one is
//! selected. The selection is kept by id, so new data never moves it.

use std::cmp::Ordering;
use std::collections::VecDeque;

use crate::analysis::progress;
use crate::analysis::{Change, Finding, Origin, sentence};
use crate::feed::poller::Fresh;
use crate::feed::snapshot::Snapshot;
use crate::feed::wire::{City, Partner, Store, WireValue};

/// A pane of the overview.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pane {
    /// The recruitment cities.
    Cities,
    /// The partners.
    Partners,
    /// Store build-out.
    Stores,
    /// Conflict warnings.
    Conflicts,
    /// What changed between polls.
    Changes,
    /// The cities on a map.
    Map,
    /// Validation problems in the feed, naming each record.
    DataWarnings,
}

impl Pane {
    /// Tab order.
    pub const ALL: [Pane; 7] = [
        Pane::Cities,
        Pane::Partners,
        Pane::Stores,
        Pane::Conflicts,
        Pane::Changes,
        Pane::Map,
        Pane::DataWarnings,
    ];

    /// The pane's title.
    pub fn title(self) -> &'static str {
        match self {
            Pane::Cities => "Cities",
            Pane::Partners => "Partners",
            Pane::Stores => "Store build-out",
            Pane::Conflicts => "Conflicts",
            Pane::Changes => "Change log",
            Pane::Map => "Map",
            Pane::DataWarnings => "Data warnings",
        }
    }

    /// The next pane in Tab order (`forward`) or the previous one.
    pub fn cycle(self, forward: bool) -> Pane {
        let i = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0);
        let n = Pane::ALL.len();
        Pane::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }

    /// The keys `s` cycles through for this pane.
    pub fn sort_keys(self) -> &'static [SortKey] {
        match self {
            Pane::Cities | Pane::Map => &[
                SortKey::FeedOrder,
                SortKey::Severity,
                SortKey::Name,
                SortKey::Status,
                SortKey::Progress,
            ],
            Pane::Partners => &[
                SortKey::FeedOrder,
                SortKey::Name,
                SortKey::Tier,
                SortKey::Stage,
            ],
            Pane::Stores => &[
                SortKey::FeedOrder,
                SortKey::City,
                SortKey::Phase,
                SortKey::Progress,
                SortKey::PlannedOpen,
            ],
            Pane::Conflicts => &[SortKey::Severity, SortKey::City, SortKey::Rule],
            Pane::Changes => &[SortKey::Newest],
            Pane::DataWarnings => &[SortKey::FeedOrder],
        }
    }
}

/// What a list is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// As the feed lists them.
    FeedOrder,
    /// Worst finding first.
    Severity,
    /// By name.
    Name,
    /// By recruitment status.
    Status,
    /// By build-out percent.
    Progress,
    /// By tier.
    Tier,
    /// By agreement stage.
    Stage,
    /// By city.
    City,
    /// By phase.
    Phase,
    /// By planned opening.
    PlannedOpen,
    /// By rule id.
    Rule,
    /// Newest first.
    Newest,
}

impl SortKey {
    /// The label shown in the pane title.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::FeedOrder => "feed order",
            SortKey::Severity => "severity",
            SortKey::Name => "name",
            SortKey::Status => "status",
            SortKey::Progress => "progress",
            SortKey::Tier => "tier",
            SortKey::Stage => "stage",
            SortKey::City => "city",
            SortKey::Phase => "phase",
            SortKey::PlannedOpen => "planned opening",
            SortKey::Rule => "rule",
            SortKey::Newest => "newest",
        }
    }
}

/// One pane's list: the rows shown and the selection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListState {
    /// Indexes of the rows shown, in display order (into the pane's source list).
    pub rows: Vec<usize>,
    /// The selected row's position in `rows`.
    pub cursor: usize,
    /// The selected row's id, kept across new data.
    pub selected: Option<String>,
    /// Index into the pane's sort keys.
    pub sort: usize,
    /// Sort descending.
    pub reverse: bool,
    /// Case-insensitive text filter; empty shows everything.
    pub filter: String,
}

impl ListState {
    /// The selected row's source index.
    pub fn selected_row(&self) -> Option<usize> {
        self.rows.get(self.cursor).copied()
    }
}

/// The list state of every pane.
#[derive(Clone, Debug, Default)]
pub struct Lists {
    /// Cities (also the map's selection).
    pub cities: ListState,
    /// Partners.
    pub partners: ListState,
    /// Stores.
    pub stores: ListState,
    /// Findings.
    pub conflicts: ListState,
    /// Change log.
    pub changes: ListState,
    /// Data warnings.
    pub data_warnings: ListState,
}

impl Lists {
    /// A pane's list; the map shares the cities' list.
    pub fn get(&self, pane: Pane) -> &ListState {
        match pane {
            Pane::Cities | Pane::Map => &self.cities,
            Pane::Partners => &self.partners,
            Pane::Stores => &self.stores,
            Pane::Conflicts => &self.conflicts,
            Pane::Changes => &self.changes,
            Pane::DataWarnings => &self.data_warnings,
        }
    }

    /// A pane's list, to change.
    pub fn get_mut(&mut self, pane: Pane) -> &mut ListState {
        match pane {
            Pane::Cities | Pane::Map => &mut self.cities,
            Pane::Partners => &mut self.partners,
            Pane::Stores => &mut self.stores,
            Pane::Conflicts => &mut self.conflicts,
            Pane::Changes => &mut self.changes,
            Pane::DataWarnings => &mut self.data_warnings,
        }
    }

    /// Recomputes every pane's rows (after new data, a sort or a filter).
    pub fn rebuild(&mut self, fresh: Option<&Fresh>, changes: &VecDeque<Change>) {
        for pane in [
            Pane::Cities,
            Pane::Partners,
            Pane::Stores,
            Pane::Conflicts,
            Pane::Changes,
            Pane::DataWarnings,
        ] {
            self.rebuild_pane(pane, fresh, changes);
        }
    }

    /// Recomputes one pane's rows and puts the cursor back on the selected id.
    pub fn rebuild_pane(&mut self, pane: Pane, fresh: Option<&Fresh>, changes: &VecDeque<Change>) {
        let list = self.get_mut(pane);
        let key = pane.sort_keys()[list.sort.min(pane.sort_keys().len() - 1)];
        let needle = list.filter.to_lowercase();
        let mut rows: Vec<usize> = match (pane, fresh) {
            (Pane::Changes, _) => (0..changes.len())
                .filter(|&i| matches(&needle, &[&changes[i].message]))
                .collect(),
            (_, None) => Vec::new(),
            (Pane::DataWarnings, Some(f)) => {
                let warnings = &f.snapshot.data_warnings;
                (0..warnings.len())
                    .filter(|&i| {
                        matches(
                            &needle,
                            &[warnings[i].record.as_str(), &warnings[i].message],
                        )
                    })
                    .collect()
            }
            (Pane::Cities | Pane::Map, Some(f)) => {
                // analysis.cities is in the same order as document.cities.
                let cities = &f.snapshot.document.cities;
                let progress = &f.analysis.cities;
                let mut rows: Vec<usize> = (0..progress.len().min(cities.len()))
                    .filter(|&i| matches(&needle, &city_text(&cities[i])))
                    .collect();
                sort_rows(&mut rows, key, |a, b| {
                    let (pa, pb) = (&progress[a], &progress[b]);
                    match key {
                        SortKey::Severity => pb
                            .worst
                            .cmp(&pa.worst)
                            .then(pb.conflicts.cmp(&pa.conflicts)),
                        SortKey::Name => cities[a].name.cmp(&cities[b].name),
                        SortKey::Status => pa.status.cmp(&pb.status),
                        SortKey::Progress => pa.avg_percent.total_cmp(&pb.avg_percent),
                        _ => Ordering::Equal,
                    }
                });
                rows
            }
            (Pane::Partners, Some(f)) => {
                let partners = &f.snapshot.document.partners;
                let mut rows: Vec<usize> = (0..partners.len())
                    .filter(|&i| matches(&needle, &partner_text(&partners[i])))
                    .collect();
                sort_rows(&mut rows, key, |a, b| {
                    let (pa, pb) = (&partners[a], &partners[b]);
                    match key {
                        SortKey::Name => pa.name.cmp(&pb.name),
                        SortKey::Tier => pa.tier.cmp(&pb.tier),
                        SortKey::Stage => pb.agreement.stage.cmp(&pa.agreement.stage),
                        _ => Ordering::Equal,
                    }
                });
                rows
            }
            (Pane::Stores, Some(f)) => {
                let stores = &f.snapshot.document.stores;
                let mut rows: Vec<usize> = (0..stores.len())
                    .filter(|&i| matches(&needle, &store_text(&stores[i])))
                    .collect();
                sort_rows(&mut rows, key, |a, b| {
                    let (sa, sb) = (&stores[a], &stores[b]);
                    match key {
                        SortKey::City => sa.city.cmp(&sb.city),
                        SortKey::Phase => sa.renovation.phase.cmp(&sb.renovation.phase),
                        SortKey::Progress => {
                            progress::percent(sa).total_cmp(&progress::percent(sb))
                        }
                        // Undated stores last: Option orders None first.
                        SortKey::PlannedOpen => {
                            let (a, b) = (sa.renovation.planned_open, sb.renovation.planned_open);
                            a.is_none().cmp(&b.is_none()).then(a.cmp(&b))
                        }
                        _ => Ordering::Equal,
                    }
                });
                rows
            }
            (Pane::Conflicts, Some(f)) => {
                let findings = &f.analysis.findings;
                let mut rows = matching_findings(&needle, findings, &f.snapshot, cores());
                sort_rows(&mut rows, key, |a, b| {
                    let (fa, fb) = (&findings[a], &findings[b]);
                    match key {
                        SortKey::City => fa.city.cmp(&fb.city),
                        SortKey::Rule => fa.origin.cmp(&fb.origin),
                        _ => Ordering::Equal,
                    }
                });
                rows
            }
        };
        if list.reverse {
            rows.reverse();
        }
        list.rows = rows;
        let ids = |i: usize| row_id(pane, i, fresh, changes);
        let found = list.selected.as_ref().and_then(|sel| {
            list.rows
                .iter()
                .position(|&r| row_is(pane, r, fresh, changes, sel))
        });
        list.cursor = found.unwrap_or(list.cursor.min(list.rows.len().saturating_sub(1)));
        list.selected = list.selected_row().and_then(ids);
    }

    /// Moves a pane's cursor by `delta` rows (clamped) and records the selected id.
    pub fn move_cursor(
        &mut self,
        pane: Pane,
        delta: isize,
        fresh: Option<&Fresh>,
        changes: &VecDeque<Change>,
    ) {
        let list = self.get_mut(pane);
        if list.rows.is_empty() {
            return;
        }
        let last = list.rows.len() - 1;
        list.cursor = list.cursor.saturating_add_signed(delta).min(last);
        list.selected = list
            .selected_row()
            .and_then(|r| row_id(pane, r, fresh, changes));
    }
}

/// A stable id for a row: the record's id, or a finding's identity.
fn row_id(
    pane: Pane,
    row: usize,
    fresh: Option<&Fresh>,
    changes: &VecDeque<Change>,
) -> Option<String> {
    match pane {
        Pane::Changes => changes.get(row).map(|c| format!("{}|{}", c.at, c.message)),
        Pane::DataWarnings => fresh?
            .snapshot
            .data_warnings
            .get(row)
            .map(|w| format!("{}|{}", w.record, w.message)),
        Pane::Cities | Pane::Map => fresh?.analysis.cities.get(row).map(|c| c.city.to_string()),
        Pane::Partners => fresh?
            .snapshot
            .document
            .partners
            .get(row)
            .map(|p| p.id.to_string()),
        Pane::Stores => fresh?
            .snapshot
            .document
            .stores
            .get(row)
            .map(|s| s.id.to_string()),
        Pane::Conflicts => fresh?.analysis.findings.get(row).map(finding_id),
    }
}

/// Whether a row's id is `id`: as `row_id(..) == id`, without writing the
/// id of every row while looking for the selected one among thousands.
fn row_is(
    pane: Pane,
    row: usize,
    fresh: Option<&Fresh>,
    changes: &VecDeque<Change>,
    id: &str,
) -> bool {
    let Some(fresh) = fresh else {
        return row_id(pane, row, fresh, changes).as_deref() == Some(id);
    };
    let document = &fresh.snapshot.document;
    match pane {
        Pane::Cities | Pane::Map => fresh
            .analysis
            .cities
            .get(row)
            .is_some_and(|c| c.city.as_str() == id),
        Pane::Partners => document
            .partners
            .get(row)
            .is_some_and(|p| p.id.as_str() == id),
        Pane::Stores => document
            .stores
            .get(row)
            .is_some_and(|s| s.id.as_str() == id),
        Pane::Conflicts => fresh
            .analysis
            .findings
            .get(row)
            .is_some_and(|f| finding_is(f, id)),
        Pane::Changes | Pane::DataWarnings => {
            row_id(pane, row, Some(fresh), changes).as_deref() == Some(id)
        }
    }
}

/// Whether [`finding_id`] of `finding` is `id`, compared piece by piece.
fn finding_is(finding: &Finding, id: &str) -> bool {
    let label = match &finding.origin {
        Origin::Rule(rule) => std::borrow::Cow::Borrowed(rule.id()),
        Origin::Feed { .. } => std::borrow::Cow::Owned(finding.origin.label()),
    };
    let city = finding.city.as_ref().map_or("", |c| c.as_str());
    let rest = id
        .strip_prefix(label.as_ref())
        .and_then(|r| r.strip_prefix('|'))
        .and_then(|r| r.strip_prefix(city))
        .and_then(|r| r.strip_prefix('|'))
        .and_then(|r| strip_joined(r, finding.stores.iter().map(|s| s.as_str())))
        .and_then(|r| r.strip_prefix('|'))
        .and_then(|r| strip_joined(r, finding.partners.iter().map(|p| p.as_str())));
    rest == Some("")
}

/// `text` without `parts` joined by commas at its start, if they are there.
fn strip_joined<'t, 'p>(text: &'t str, parts: impl Iterator<Item = &'p str>) -> Option<&'t str> {
    let mut rest = text;
    for (n, part) in parts.enumerate() {
        if n > 0 {
            rest = rest.strip_prefix(',')?;
        }
        rest = rest.strip_prefix(part)?;
    }
    Some(rest)
}

/// A finding's identity: its origin and what it names (not the message, whose figures move).
pub fn finding_id(finding: &Finding) -> String {
    let stores: Vec<&str> = finding.stores.iter().map(|s| s.as_str()).collect();
    let partners: Vec<&str> = finding.partners.iter().map(|p| p.as_str()).collect();
    format!(
        "{}|{}|{}|{}",
        finding.origin.label(),
        finding.city.as_ref().map_or("", |c| c.as_str()),
        stores.join(","),
        partners.join(",")
    )
}

fn sort_rows(rows: &mut [usize], key: SortKey, cmp: impl Fn(usize, usize) -> Ordering) {
    if !matches!(key, SortKey::FeedOrder | SortKey::Newest) {
        // Stable sort: ties keep the feed's order.
        rows.sort_by(|&a, &b| cmp(a, b));
    }
}

fn matches(needle: &str, fields: &[&str]) -> bool {
    needle.is_empty() || fields.iter().any(|f| contains_folded(f, needle))
}

fn city_text(city: &City) -> [&str; 4] {
    [
        city.id.as_str(),
        city.name.as_str(),
        city.local_name.as_deref().unwrap_or(""),
        city.status_str(),
    ]
}

fn partner_text(partner: &Partner) -> [&str; 4] {
    [
        partner.id.as_str(),
        partner.name.as_str(),
        partner.local_name.as_deref().unwrap_or(""),
        partner.agreement.stage.as_str(),
    ]
}

fn store_text(store: &Store) -> [&str; 5] {
    [
        store.id.as_str(),
        store.name.as_str(),
        store.city.as_str(),
        store.district.as_deref().unwrap_or(""),
        store.renovation.phase.as_str(),
    ]
}

/// The positions of the findings that match `needle` (lower-cased), in order.
///
/// A national feed has tens of thousands of findings, each sentence written
/// to look in it: a long list is split between the machine's cores so a key
/// typed into the filter still answers within a frame.
fn matching_findings(
    needle: &str,
    findings: &[Finding],
    snapshot: &Snapshot,
    cores: usize,
) -> Vec<usize> {
    let matching = |range: std::ops::Range<usize>| -> Vec<usize> {
        let mut sentence = String::new();
        range
            .filter(|&i| finding_matches(needle, &findings[i], snapshot, &mut sentence))
            .collect()
    };
    if needle.is_empty() || cores <= 1 || findings.len() < 8192 {
        return matching(0..findings.len());
    }
    let chunk = findings.len().div_ceil(cores);
    std::thread::scope(|scope| {
        let parts: Vec<_> = (0..findings.len())
            .step_by(chunk)
            .map(|start| {
                let range = start..(start + chunk).min(findings.len());
                scope.spawn(move || matching(range))
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|part| {
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Whether what a finding's row shows (severity, rule, city, sentence)
/// contains the needle (lower-cased). The sentence is written last, into
/// `sentence` (a buffer reused across findings), and only when nothing else
/// matched: a national feed has tens of thousands of findings to look
/// through per key, so nothing here allocates per finding.
fn finding_matches(
    needle: &str,
    finding: &Finding,
    snapshot: &Snapshot,
    sentence: &mut String,
) -> bool {
    let label = match &finding.origin {
        Origin::Rule(rule) => std::borrow::Cow::Borrowed(rule.id()),
        Origin::Feed { .. } => std::borrow::Cow::Owned(finding.origin.label()),
    };
    let city = finding.city.as_ref().map_or("", |c| c.as_str());
    if matches(needle, &[finding.severity.word(), &label, city]) {
        return true;
    }
    sentence.clear();
    sentence::write(finding, snapshot, sentence);
    contains_folded(sentence, needle)
}

/// The cores a long findings list is split between (at most four), asked
/// once: the standard library reads cgroup files to answer.
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(4)))
}

/// Whether `text`, lower-cased, contains `needle` (already lower-cased),
/// without allocating for ASCII text.
fn contains_folded(text: &str, needle: &str) -> bool {
    if !text.is_ascii() {
        return text.to_lowercase().contains(needle);
    }
    // Lower-cased ASCII is ASCII: a needle with anything else cannot match.
    needle.is_ascii() && sentence::contains_ignore_ascii_case(text, needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analysis;
    use crate::config::RulesConfig;
    use crate::feed::demo::DEMO_FEED_JSON;

    /// Comparing piece by piece agrees with comparing the written ids, for
    /// every pair of findings in the demo (feed warnings included).
    #[test]
    fn a_finding_is_its_id_and_no_other() {
        let snapshot = Snapshot::from_body(DEMO_FEED_JSON.as_bytes()).unwrap();
        let findings = Analysis::of(&snapshot, &RulesConfig::default()).findings;
        assert!(findings.iter().any(|f| !f.is_conflict()));
        for a in &findings {
            for b in &findings {
                let id = finding_id(b);
                assert_eq!(finding_is(a, &id), finding_id(a) == id, "{id}");
            }
            let id = finding_id(a);
            assert!(!finding_is(a, &format!("{id},")), "{id}");
            assert!(!finding_is(a, &id[..id.len() - 1]), "{id}");
        }
    }

    /// Split between threads or not, the filter finds the same findings.
    #[test]
    fn a_long_list_is_filtered_alike_on_any_number_of_cores() {
        let document = crate::feed::synthetic::generate(9000, crate::feed::server::SYNTHETIC_SEED);
        let snapshot = Snapshot::new(document);
        let findings = Analysis::of(&snapshot, &RulesConfig::default()).findings;
        assert!(findings.len() >= 8192, "{}", findings.len());
        for needle in [
            "",
            "k",
            "km",
            "warning",
            "2s store",
            "苏",
            "nothing like this",
        ] {
            let one = matching_findings(needle, &findings, &snapshot, 1);
            let mut sentence = String::new();
            let expected: Vec<usize> = (0..findings.len())
                .filter(|&i| finding_matches(needle, &findings[i], &snapshot, &mut sentence))
                .collect();
            assert_eq!(one, expected, "{needle}");
            assert_eq!(
                matching_findings(needle, &findings, &snapshot, 3),
                expected,
                "{needle}"
            );
        }
    }

    #[test]
    fn filters_fold_case_without_allocating_for_ascii() {
        assert!(contains_folded("Territory_Overlap", "overlap"));
        assert!(contains_folded("anything", ""));
        assert!(!contains_folded("warning", "warnings"));
        assert!(!contains_folded("suzhou", "苏"));
        assert!(contains_folded("Suzhou 苏州", "苏州"));
    }
}
