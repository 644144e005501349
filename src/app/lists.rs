//! The panes' lists: which rows are shown (filtered, sorted) and which one is
//! selected. The selection is kept by id, so new data never moves it.

use std::cmp::Ordering;
use std::collections::VecDeque;

use crate::analysis::progress;
use crate::analysis::{Change, Finding, Origin, PartnerIds, StoreIds, sentence};
use crate::feed::poller::Fresh;
use crate::feed::snapshot::{DataWarning, Snapshot};
use crate::feed::wire::{City, CityId, Partner, PartnerId, Store, StoreId};

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

/// The longest filter kept, in characters: every key typed into the filter
/// searches every row again, so a pasted page of text must not become a
/// needle that costs seconds per row list.
pub const MAX_FILTER_CHARS: usize = 256;

/// What a row is, kept across new data: the record's id, or what a finding,
/// a change or a data warning names. Typed, never written out and parsed
/// back: feed ids may hold any character.
#[derive(Clone, Debug, PartialEq)]
pub enum RowKey {
    /// A city (the cities pane and the map).
    City(CityId),
    /// A partner.
    Partner(PartnerId),
    /// A store.
    Store(StoreId),
    /// A finding, by its origin and the records it names.
    Finding(FindingKey),
    /// A change, by when it was seen and what it says.
    Change(Box<Change>),
    /// A data warning, by its record and message.
    DataWarning(DataWarning),
}

/// A finding's identity: its origin and what it names (not the sentence,
/// whose figures move between polls).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FindingKey {
    /// The rule, or the feed warning (its own id included).
    pub origin: Origin,
    /// The city it concerns.
    pub city: Option<CityId>,
    /// The stores it names.
    pub stores: StoreIds,
    /// The partners it names.
    pub partners: PartnerIds,
}

impl FindingKey {
    /// The identity of `finding`.
    pub fn of(finding: &Finding) -> Self {
        FindingKey {
            origin: finding.origin.clone(),
            city: finding.city.clone(),
            stores: finding.stores.clone(),
            partners: finding.partners.clone(),
        }
    }

    /// Whether `finding` is this one, without building its key.
    pub fn is(&self, finding: &Finding) -> bool {
        self.origin == finding.origin
            && self.city == finding.city
            && self.stores == finding.stores
            && self.partners == finding.partners
    }
}

/// One pane's list: the rows shown and the selection.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListState {
    /// Indexes of the rows shown, in display order (into the pane's source list).
    pub rows: Vec<usize>,
    /// The selected row's position in `rows`.
    pub cursor: usize,
    /// The selected row's identity, kept across new data.
    pub selected: Option<RowKey>,
    /// Index into the pane's sort keys.
    pub sort: usize,
    /// Sort descending.
    pub reverse: bool,
    /// Case-insensitive text filter; empty shows everything.
    pub filter: String,
    /// Text given to the filter was cut at [`MAX_FILTER_CHARS`].
    pub filter_cut: bool,
}

impl ListState {
    /// The selected row's source index.
    pub fn selected_row(&self) -> Option<usize> {
        self.rows.get(self.cursor).copied()
    }

    /// The selected city, in the cities pane (and the map).
    pub fn selected_city(&self) -> Option<&CityId> {
        match &self.selected {
            Some(RowKey::City(id)) => Some(id),
            _ => None,
        }
    }

    /// Adds typed or pasted text to the filter, up to [`MAX_FILTER_CHARS`]:
    /// line breaks and tabs become one space each (a pasted line break is
    /// never Enter), other control characters are dropped. Returns whether
    /// the filter changed.
    pub fn type_into_filter(&mut self, text: &str) -> bool {
        let mut room = MAX_FILTER_CHARS.saturating_sub(self.filter.chars().count());
        let mut changed = false;
        for c in text.chars() {
            let c = match c {
                '\n' | '\r' | '\t' => ' ',
                c if c.is_control() => continue,
                c => c,
            };
            // Runs of breaks (CR LF) and spaces are one space.
            if c == ' ' && self.filter.ends_with(' ') {
                continue;
            }
            if room == 0 {
                self.filter_cut = true;
                break;
            }
            self.filter.push(c);
            room -= 1;
            changed = true;
        }
        changed
    }

    /// Removes the filter's last character.
    pub fn backspace_filter(&mut self) -> bool {
        self.filter_cut = false;
        self.filter.pop().is_some()
    }

    /// Empties the filter.
    pub fn clear_filter(&mut self) {
        self.filter.clear();
        self.filter_cut = false;
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

    /// Recomputes one pane's rows and puts the cursor back on the selected row.
    pub fn rebuild_pane(&mut self, pane: Pane, fresh: Option<&Fresh>, changes: &VecDeque<Change>) {
        let list = self.get_mut(pane);
        let key = pane.sort_keys()[list.sort.min(pane.sort_keys().len() - 1)];
        let needle = list.filter.to_lowercase();
        let mut rows: Vec<usize> = match (pane, fresh) {
            (Pane::Changes, f) => (0..changes.len())
                .filter(|&i| change_matches(&needle, &changes[i], f.map(|f| &*f.snapshot)))
                .collect(),
            (_, None) => Vec::new(),
            (Pane::DataWarnings, Some(f)) => {
                let warnings = &f.snapshot.data_warnings;
                (0..warnings.len())
                    .filter(|&i| data_warning_matches(&needle, &warnings[i], &f.snapshot))
                    .collect()
            }
            (Pane::Cities | Pane::Map, Some(f)) => {
                // analysis.cities is in the same order as document.cities.
                let cities = &f.snapshot.document.cities;
                let progress = &f.analysis.cities;
                let mut rows: Vec<usize> = (0..progress.len().min(cities.len()))
                    .filter(|&i| city_matches(&needle, &cities[i]))
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
                    .filter(|&i| partner_matches(&needle, &partners[i]))
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
                    .filter(|&i| store_matches(&needle, &stores[i], &f.snapshot))
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
        let found = list.selected.as_ref().and_then(|selected| {
            list.rows
                .iter()
                .position(|&r| row_is(pane, r, fresh, changes, selected))
        });
        list.cursor = found.unwrap_or(list.cursor.min(list.rows.len().saturating_sub(1)));
        list.selected = list
            .selected_row()
            .and_then(|r| row_key(pane, r, fresh, changes));
    }

    /// Moves a pane's cursor by `delta` rows (clamped) and records the selected row.
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
            .and_then(|r| row_key(pane, r, fresh, changes));
    }
}

/// The identity of the row at `row` of a pane's source list.
fn row_key(
    pane: Pane,
    row: usize,
    fresh: Option<&Fresh>,
    changes: &VecDeque<Change>,
) -> Option<RowKey> {
    match pane {
        Pane::Changes => changes
            .get(row)
            .map(|c| RowKey::Change(Box::new(c.clone()))),
        Pane::DataWarnings => fresh?
            .snapshot
            .data_warnings
            .get(row)
            .map(|w| RowKey::DataWarning(w.clone())),
        Pane::Cities | Pane::Map => fresh?
            .analysis
            .cities
            .get(row)
            .map(|c| RowKey::City(c.city.clone())),
        Pane::Partners => fresh?
            .snapshot
            .document
            .partners
            .get(row)
            .map(|p| RowKey::Partner(p.id.clone())),
        Pane::Stores => fresh?
            .snapshot
            .document
            .stores
            .get(row)
            .map(|s| RowKey::Store(s.id.clone())),
        Pane::Conflicts => fresh?
            .analysis
            .findings
            .get(row)
            .map(|f| RowKey::Finding(FindingKey::of(f))),
    }
}

/// Whether the row at `row` is `key`: as `row_key(..) == key`, without
/// building the key of every row while looking for the selected one among
/// thousands.
fn row_is(
    pane: Pane,
    row: usize,
    fresh: Option<&Fresh>,
    changes: &VecDeque<Change>,
    key: &RowKey,
) -> bool {
    match (key, pane) {
        (RowKey::Change(change), Pane::Changes) => changes.get(row) == Some(change),
        (RowKey::DataWarning(warning), Pane::DataWarnings) => {
            fresh.and_then(|f| f.snapshot.data_warnings.get(row)) == Some(warning)
        }
        (RowKey::City(id), Pane::Cities | Pane::Map) => fresh
            .and_then(|f| f.analysis.cities.get(row))
            .is_some_and(|c| &c.city == id),
        (RowKey::Partner(id), Pane::Partners) => fresh
            .and_then(|f| f.snapshot.document.partners.get(row))
            .is_some_and(|p| &p.id == id),
        (RowKey::Store(id), Pane::Stores) => fresh
            .and_then(|f| f.snapshot.document.stores.get(row))
            .is_some_and(|s| &s.id == id),
        (RowKey::Finding(finding), Pane::Conflicts) => fresh
            .and_then(|f| f.analysis.findings.get(row))
            .is_some_and(|f| finding.is(f)),
        _ => false,
    }
}

fn sort_rows(rows: &mut [usize], key: SortKey, cmp: impl Fn(usize, usize) -> Ordering) {
    if !matches!(key, SortKey::FeedOrder | SortKey::Newest) {
        // Stable sort: ties keep the feed's order.
        rows.sort_by(|&a, &b| cmp(a, b));
    }
}

// What plain filter text matches, pane by pane: the names and ids of the
// records a row shows, never its labels (severity words, rule ids,
// statuses, stages, phases, kinds), so `/ning` finds Ningbo and not every
// "warning". The needle is lower-cased already.

fn any_contains(needle: &str, fields: &[&str]) -> bool {
    needle.is_empty() || fields.iter().any(|f| contains_folded(f, needle))
}

fn city_names(needle: &str, city: &City) -> bool {
    any_contains(
        needle,
        &[
            city.id.as_str(),
            &city.name,
            city.local_name.as_deref().unwrap_or(""),
        ],
    )
}

fn partner_names(needle: &str, partner: &Partner) -> bool {
    any_contains(
        needle,
        &[
            partner.id.as_str(),
            &partner.name,
            partner.local_name.as_deref().unwrap_or(""),
        ],
    )
}

/// A city's id, or its names when the feed has the city.
fn city_id_matches(needle: &str, id: &CityId, snapshot: Option<&Snapshot>) -> bool {
    match snapshot.and_then(|s| s.city(id.as_str())) {
        Some(city) => city_names(needle, city),
        None => contains_folded(id.as_str(), needle),
    }
}

/// A partner's id, or its names when the feed has the partner.
fn partner_id_matches(needle: &str, id: &PartnerId, snapshot: Option<&Snapshot>) -> bool {
    match snapshot.and_then(|s| s.partner(id.as_str())) {
        Some(partner) => partner_names(needle, partner),
        None => contains_folded(id.as_str(), needle),
    }
}

/// A store's id, or its id and name when the feed has the store.
fn store_id_matches(needle: &str, id: &StoreId, snapshot: Option<&Snapshot>) -> bool {
    match snapshot.and_then(|s| s.store(id.as_str())) {
        Some(store) => any_contains(needle, &[store.id.as_str(), &store.name]),
        None => contains_folded(id.as_str(), needle),
    }
}

/// A city row: its id, name and Chinese name (not its status).
pub fn city_matches(needle: &str, city: &City) -> bool {
    city_names(needle, city)
}

/// A partner row: its id, name and Chinese name (not its tier or stage).
pub fn partner_matches(needle: &str, partner: &Partner) -> bool {
    partner_names(needle, partner)
}

/// A store row: its id, name and district, its city and its operator (not
/// its kind or phase).
pub fn store_matches(needle: &str, store: &Store, snapshot: &Snapshot) -> bool {
    needle.is_empty()
        || any_contains(
            needle,
            &[
                store.id.as_str(),
                &store.name,
                store.district.as_deref().unwrap_or(""),
            ],
        )
        || city_id_matches(needle, &store.city, Some(snapshot))
        || store
            .operator
            .partner()
            .is_some_and(|p| partner_id_matches(needle, p, Some(snapshot)))
}

/// A finding row: the city, stores and partners it names, and a feed
/// warning's own id (not the severity, the rule or the kind).
pub fn finding_matches(needle: &str, finding: &Finding, snapshot: &Snapshot) -> bool {
    needle.is_empty()
        || matches!(&finding.origin, Origin::Feed { id, .. } if contains_folded(id.as_str(), needle))
        || finding
            .city
            .as_ref()
            .is_some_and(|c| city_id_matches(needle, c, Some(snapshot)))
        || finding
            .stores
            .iter()
            .any(|s| store_id_matches(needle, s, Some(snapshot)))
        || finding
            .partners
            .iter()
            .any(|p| partner_id_matches(needle, p, Some(snapshot)))
}

/// A change row: the city, partner and store it concerns (not its kind).
pub fn change_matches(needle: &str, change: &Change, snapshot: Option<&Snapshot>) -> bool {
    needle.is_empty()
        || change
            .city
            .as_ref()
            .is_some_and(|c| city_id_matches(needle, c, snapshot))
        || change
            .partner
            .as_ref()
            .is_some_and(|p| partner_id_matches(needle, p, snapshot))
        || change
            .store
            .as_ref()
            .is_some_and(|s| store_id_matches(needle, s, snapshot))
}

/// A data warning row: its record's id and name, and what it says is wrong
/// (a sentence naming the records, with no severity or kind to it).
pub fn data_warning_matches(needle: &str, warning: &DataWarning, snapshot: &Snapshot) -> bool {
    let record = warning.record.as_str();
    let name = snapshot
        .store(record)
        .map(|s| s.name.as_str())
        .or_else(|| snapshot.partner(record).map(|p| p.name.as_str()))
        .or_else(|| snapshot.city(record).map(|c| c.name.as_str()))
        .unwrap_or("");
    any_contains(needle, &[record, name, &warning.message])
}

/// The positions of the findings that match `needle` (lower-cased), in order.
///
/// A national feed has tens of thousands of findings, each naming records
/// to look up: a long list is split between the machine's cores so a key
/// typed into the filter still answers within a frame.
fn matching_findings(
    needle: &str,
    findings: &[Finding],
    snapshot: &Snapshot,
    cores: usize,
) -> Vec<usize> {
    let matching = |range: std::ops::Range<usize>| -> Vec<usize> {
        range
            .filter(|&i| finding_matches(needle, &findings[i], snapshot))
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

    /// Comparing piece by piece agrees with comparing whole keys, for every
    /// pair of findings in the demo (feed warnings included).
    #[test]
    fn a_finding_is_its_key_and_no_other() {
        let snapshot = Snapshot::from_body(DEMO_FEED_JSON.as_bytes()).unwrap();
        let findings = Analysis::of(&snapshot, &RulesConfig::default()).findings;
        assert!(findings.iter().any(|f| !f.is_conflict()));
        for a in &findings {
            for b in &findings {
                let key = FindingKey::of(b);
                assert_eq!(key.is(a), FindingKey::of(a) == key, "{key:?}");
            }
        }
    }

    /// Split between threads or not, the filter finds the same findings.
    #[test]
    fn a_long_list_is_filtered_alike_on_any_number_of_cores() {
        let document = crate::feed::synthetic::generate(9000, crate::feed::server::SYNTHETIC_SEED);
        let snapshot = Snapshot::new(document);
        let findings = Analysis::of(&snapshot, &RulesConfig::default()).findings;
        assert!(findings.len() >= 8192, "{}", findings.len());
        for needle in ["", "a", "hua", "2s", "-1", "苏", "nothing like this"] {
            let one = matching_findings(needle, &findings, &snapshot, 1);
            let expected: Vec<usize> = (0..findings.len())
                .filter(|&i| finding_matches(needle, &findings[i], &snapshot))
                .collect();
            assert_eq!(one, expected, "{needle}");
            assert_eq!(
                matching_findings(needle, &findings, &snapshot, 3),
                expected,
                "{needle}"
            );
        }
    }

    fn fresh(document: &serde_json::Value) -> Fresh {
        let snapshot = Snapshot::from_body(document.to_string().as_bytes()).unwrap();
        Fresh::derive(snapshot, &RulesConfig::default(), chrono::Utc::now())
    }

    fn demo() -> serde_json::Value {
        serde_json::from_str(DEMO_FEED_JSON).unwrap()
    }

    /// The rows a pane shows for a filter, as the ids (or names) `name` gives them.
    fn shown<T>(pane: Pane, filter: &str, fresh: &Fresh, name: impl Fn(usize) -> T) -> Vec<T> {
        let mut lists = Lists::default();
        lists.get_mut(pane).filter = filter.to_owned();
        lists.rebuild(Some(fresh), &VecDeque::new());
        lists.get(pane).rows.iter().map(|&i| name(i)).collect()
    }

    /// Ids may hold `|` and `,`: two findings whose ids, joined with those
    /// characters, read the same are still two rows, and the selected one
    /// stays selected when new data arrives.
    #[test]
    fn the_selection_is_kept_by_typed_identity_across_new_data() {
        let mut document = demo();
        let city = |id: &str| {
            serde_json::json!({"id": id, "name": format!("City {id}"),
                "recruitment": {"status": "open"}})
        };
        let store = |id: &str| {
            serde_json::json!({"id": id, "city": "a", "kind": "xiaomi_home",
                "channel": "direct", "operator": "xiaomi", "name": format!("Store {id}"),
                "renovation": {"phase": "design", "percent": 20}})
        };
        for id in ["a", "a|b"] {
            document["cities"].as_array_mut().unwrap().push(city(id));
        }
        for id in ["x,y", "x", "y", "b|"] {
            document["stores"].as_array_mut().unwrap().push(store(id));
        }
        let warning = |id: &str, city: &str, stores: &[&str]| {
            serde_json::json!({"id": id, "severity": "critical", "kind": "odd",
                "city": city, "stores": stores, "message": "an odd one"})
        };
        // Joined with `,` the first two name the same stores; joined with
        // `|` the last two name the same city and stores.
        let warnings = document["warnings"].as_array_mut().unwrap();
        warnings.push(warning("w-comma-1", "a", &["x,y"]));
        warnings.push(warning("w-comma-2", "a", &["x", "y"]));
        warnings.push(warning("w-bar-1", "a|b", &[]));
        warnings.push(warning("w-bar-2", "a", &["b|"]));
        let first = fresh(&document);
        let findings = &first.analysis.findings;
        let feed_id = |i: usize| match &findings[i].origin {
            Origin::Feed { id, .. } => id.as_str().to_owned(),
            Origin::Rule(rule) => rule.id().to_owned(),
        };
        for wanted in ["w-comma-1", "w-comma-2", "w-bar-1", "w-bar-2"] {
            let mut lists = Lists::default();
            lists.rebuild(Some(&first), &VecDeque::new());
            let at = lists
                .conflicts
                .rows
                .iter()
                .position(|&i| feed_id(i) == wanted)
                .unwrap();
            lists.move_cursor(Pane::Conflicts, at as isize, Some(&first), &VecDeque::new());
            // The same document again, its warnings in another order.
            let mut again = document.clone();
            again["warnings"].as_array_mut().unwrap().reverse();
            let second = fresh(&again);
            lists.rebuild(Some(&second), &VecDeque::new());
            let row = lists.conflicts.selected_row().unwrap();
            let kept = match &second.analysis.findings[row].origin {
                Origin::Feed { id, .. } => id.as_str().to_owned(),
                Origin::Rule(rule) => rule.id().to_owned(),
            };
            assert_eq!(kept, wanted);
        }
        // A city whose id holds `|` keeps its selection too.
        let mut lists = Lists::default();
        lists.rebuild(Some(&first), &VecDeque::new());
        let cities = &first.snapshot.document.cities;
        let at = lists
            .cities
            .rows
            .iter()
            .position(|&i| cities[i].id.as_str() == "a|b")
            .unwrap();
        lists.move_cursor(Pane::Cities, at as isize, Some(&first), &VecDeque::new());
        let mut again = document.clone();
        again["cities"].as_array_mut().unwrap().reverse();
        let second = fresh(&again);
        lists.rebuild(Some(&second), &VecDeque::new());
        let row = lists.cities.selected_row().unwrap();
        assert_eq!(second.snapshot.document.cities[row].id.as_str(), "a|b");
    }

    /// Plain text matches names and ids, never labels: severity words,
    /// rule ids, statuses, stages, phases, kinds.
    #[test]
    fn filters_match_names_and_ids_not_labels() {
        let demo = fresh(&demo());
        let snapshot = &demo.snapshot;
        let document = &snapshot.document;
        let cities = |filter| {
            shown(Pane::Cities, filter, &demo, |i| {
                document.cities[i].id.to_string()
            })
        };
        assert_eq!(cities("ningbo"), ["ningbo"], "an id");
        assert_eq!(cities("Ningbo"), ["ningbo"], "a name");
        assert_eq!(cities("宁波"), ["ningbo"], "a Chinese name");
        assert!(cities("shortlisting").is_empty(), "a status is a label");
        let partners = |filter| {
            shown(Pane::Partners, filter, &demo, |i| {
                document.partners[i].id.to_string()
            })
        };
        assert_eq!(partners("ganghong"), ["ganghong"]);
        assert_eq!(partners("港宏"), ["ganghong"]);
        assert!(partners("intention").is_empty(), "a stage is a label");
        assert!(partners("contract").is_empty(), "a stage is a label");
        let stores = |filter| {
            shown(Pane::Stores, filter, &demo, |i| {
                document.stores[i].id.to_string()
            })
        };
        assert_eq!(stores("bj-dc-01"), ["bj-dc-01"]);
        assert!(stores("Yizhuang").contains(&"bj-dc-01".to_owned()));
        assert!(stores("construction").is_empty(), "a phase is a label");
        assert!(stores("fit_out").is_empty(), "a phase is a label");
        assert!(!stores("Beijing").is_empty(), "the city's name");
        let findings = &demo.analysis.findings;
        let conflicts = |filter| shown(Pane::Conflicts, filter, &demo, |i| i);
        for label in [
            "warning",
            "critical",
            "info",
            "overlap",
            "feed:pricing",
            "pricing",
        ] {
            assert!(conflicts(label).is_empty(), "{label} is a label");
        }
        // `/ning` finds what names Ningbo, not every "warning".
        let names = |i: usize| {
            let f = &findings[i];
            let mut names: Vec<String> = f.city.iter().map(|c| c.to_string()).collect();
            names.extend(f.stores.iter().flat_map(|s| {
                let name = snapshot.store(s.as_str()).map(|s| s.name.to_string());
                [s.to_string()].into_iter().chain(name)
            }));
            names.extend(f.partners.iter().flat_map(|p| {
                let name = snapshot.partner(p.as_str()).map(|p| p.name.to_string());
                [p.to_string()].into_iter().chain(name)
            }));
            names.join(" ").to_lowercase()
        };
        let ning = conflicts("ning");
        assert!(!ning.is_empty());
        assert!(ning.iter().all(|&i| names(i).contains("ning")), "{ning:?}");
        let ningbo = conflicts("ningbo");
        assert!(!ningbo.is_empty());
        assert!(ningbo.iter().all(|&i| names(i).contains("ningbo")));
        assert_eq!(
            conflicts("Ningbo"),
            ningbo,
            "the city's name finds the same"
        );
        let lujiang = conflicts("Lujiang");
        assert!(!lujiang.is_empty(), "a partner's name");
        assert!(lujiang.iter().all(|&i| !findings[i].partners.is_empty()));
        assert!(!conflicts("w-01").is_empty(), "a feed warning's id");
        // A data warning's record, by id or by name.
        let mut document = serde_json::from_str::<serde_json::Value>(DEMO_FEED_JSON).unwrap();
        document["stores"][0]["renovation"]["percent"] = serde_json::json!(140);
        let broken = fresh(&document);
        let warnings = |filter| shown(Pane::DataWarnings, filter, &broken, |i| i);
        assert_eq!(warnings("bj-dc-01").len(), 1);
        assert_eq!(warnings("Yizhuang").len(), 1, "the record's name");
        assert!(warnings("Wudaokou").is_empty());
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
