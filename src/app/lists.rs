//! The panes' lists: which rows are shown (filtered, sorted) and which one is
//! selected. The selection is kept by id, so new data never moves it.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;

pub mod names;
mod search;
mod terms;

use search::{IndexOf, Marks, position};
pub use search::{Search, SearchIndex};
pub use terms::{FindingFlags, FindingTest};

use super::command_line::Group;
use super::query::{self, Query};

use crate::analysis::progress;
use crate::analysis::{Change, Finding, Origin, PartnerIds, StoreIds, sentence};
use crate::feed::snapshot::{DataWarning, Snapshot};
use crate::feed::wire::{City, CityId, Partner, PartnerId, Store, StoreId};
use crate::i18n::Lang;
use crate::tr;
use crate::worker::Fresh;

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

    /// The pane's title in `lang`.
    pub fn title(self, lang: Lang) -> Cow<'static, str> {
        match self {
            Pane::Cities => tr!(lang, "pane-cities"),
            Pane::Partners => tr!(lang, "pane-partners"),
            Pane::Stores => tr!(lang, "pane-stores"),
            Pane::Conflicts => tr!(lang, "pane-conflicts"),
            Pane::Changes => tr!(lang, "pane-changes"),
            Pane::Map => tr!(lang, "pane-map"),
            Pane::DataWarnings => tr!(lang, "pane-data-warnings"),
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
    /// The label shown in the pane title, in `lang`.
    pub fn label(self, lang: Lang) -> Cow<'static, str> {
        match self {
            SortKey::FeedOrder => tr!(lang, "pane-sort-feed-order"),
            SortKey::Severity => tr!(lang, "pane-sort-severity"),
            SortKey::Name => tr!(lang, "pane-sort-name"),
            SortKey::Status => tr!(lang, "pane-sort-status"),
            SortKey::Progress => tr!(lang, "pane-sort-progress"),
            SortKey::Tier => tr!(lang, "pane-sort-tier"),
            SortKey::Stage => tr!(lang, "pane-sort-stage"),
            SortKey::City => tr!(lang, "pane-sort-city"),
            SortKey::Phase => tr!(lang, "pane-sort-phase"),
            SortKey::PlannedOpen => tr!(lang, "pane-sort-planned-open"),
            SortKey::Rule => tr!(lang, "pane-sort-rule"),
            SortKey::Newest => tr!(lang, "pane-sort-newest"),
        }
    }

    /// "by <label>", as a pane's title says what it is sorted by.
    pub fn sorted_by(self, lang: Lang) -> Cow<'static, str> {
        tr!(lang, "pane-sorted", key = self.label(lang))
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
    /// The filter as last read without fault: the rows answer it. A
    /// filter with a bad term leaves it as it was.
    pub query: Query,
    /// What the filter line says about the filter: why a term is wrong
    /// (the rows then answer the last good filter), or which terms
    /// nothing tracks yet.
    pub filter_note: Option<String>,
    /// The groups of `rows` (the conflicts pane grouped with `:group`),
    /// as ranges of positions in `rows`; empty when not grouped.
    pub groups: Vec<std::ops::Range<usize>>,
    /// What the filter found last, which a longer filter narrows.
    search: Option<Search>,
    /// The rows the filter's field terms keep, worked out once per
    /// snapshot and terms.
    terms_kept: Option<TermsKept>,
    /// Every row in the order of the sort key, when it is not the source order.
    order: Option<Order>,
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
        self.query = Query::default();
        self.filter_note = None;
    }

    /// Reads the filter text into [`ListState::query`], or says why it
    /// cannot (keeping the last good query).
    fn read_filter(&mut self, pane: Pane, flags: &FindingFlags, lang: Lang) {
        let (query, note) = read_query(&self.filter, pane, flags, lang);
        if let Some(query) = query {
            self.query = query;
        }
        self.filter_note = note;
    }
}

/// Reads `filter` for `pane`: the query, unless a term is bad, and what
/// the filter line says in `lang` (why a term is bad; what is not tracked yet).
pub fn read_query(
    filter: &str,
    pane: Pane,
    flags: &FindingFlags,
    lang: Lang,
) -> (Option<Query>, Option<String>) {
    {
        let read = query::parse_in(filter, lang).and_then(|query| {
            match query.terms.iter().find(|t| !terms::applies(pane, t)) {
                Some(term) => Err(query::QueryError {
                    term: term.field().to_owned(),
                    // Lower case: the pane's name inside a sentence.
                    why: tr!(
                        lang,
                        "pane-filter-not-here",
                        pane = pane.title(lang).to_lowercase()
                    )
                    .into_owned(),
                }),
                None => Ok(query),
            }
        });
        match read {
            Ok(query) => {
                let untracked = terms::untracked(&query.terms, flags);
                let untracked = (!untracked.is_empty()).then(|| {
                    tr!(lang, "pane-filter-untracked", terms = untracked.join(", ")).into_owned()
                });
                let notes: Vec<String> = [
                    query::unknown_fields_note_in(&query.unknown_fields, lang),
                    untracked,
                ]
                .into_iter()
                .flatten()
                .collect();
                let note = (!notes.is_empty()).then(|| notes.join("; "));
                (Some(query), note)
            }
            Err(error) => (
                None,
                Some(tr!(lang, "pane-filter-bad", error = error.to_string()).into_owned()),
            ),
        }
    }
}

/// The list state of every pane.
#[derive(Clone, Debug, Default)]
pub struct Lists {
    /// The filters' index of the snapshot on screen.
    index: Option<IndexOf>,
    /// What app state tells the filters about findings (NEW, acknowledged).
    pub flags: FindingFlags,
    /// How the conflicts pane groups its findings (`:group`).
    pub group: Group,
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
    /// Which findings are acknowledged (by position in the analysis on
    /// screen): they go after the others, or are left out when `hide_acked`.
    acked: Option<Arc<[bool]>>,
    /// Acknowledged findings are left out of the conflicts pane.
    hide_acked: bool,
    /// The language the filter line speaks.
    pub lang: Lang,
}

impl Lists {
    /// Empty lists whose filter line speaks `lang`.
    pub fn new(lang: Lang) -> Lists {
        Lists {
            lang,
            ..Lists::default()
        }
    }

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

    /// Sets which findings of the analysis on screen are acknowledged, and
    /// whether they are hidden; rebuild the conflicts pane after.
    pub fn set_acked(&mut self, acked: Option<Arc<[bool]>>, hide: bool) {
        // `acked:yes|no` filters by the same flags.
        let flags = acked.clone();
        self.flags.acked = Some(Arc::new(move |row, _| {
            flags
                .as_ref()
                .is_some_and(|flags| flags.get(row).copied().unwrap_or(false))
        }));
        self.acked = acked.filter(|flags| flags.iter().any(|&a| a));
        self.hide_acked = hide;
    }

    /// Hands over the filters' index of `fresh`, built elsewhere (by the
    /// worker that produced the snapshot), so that no key waits for it.
    pub fn use_index(&mut self, fresh: &Fresh, index: Arc<SearchIndex>) {
        self.index = Some(IndexOf {
            snapshot: Arc::downgrade(&fresh.snapshot),
            analysis: Arc::downgrade(&fresh.analysis),
            index,
        });
    }

    /// The filters' index of `fresh` (built now if none was handed over):
    /// what the command line looks names up in.
    pub fn search_index(&mut self, fresh: &Fresh) -> Arc<SearchIndex> {
        self.index_for(fresh)
    }

    /// The rows a drill-down section shows: of `source` (the record's own
    /// rows, positions in `pane`'s source list, in order), those `query`
    /// keeps, sorted by the pane's sort key `sort` (reversed if asked).
    /// Plain text searches the snapshot's index as the pane's filter does
    /// (one scan, however long the section), then keeps the section's.
    #[allow(clippy::too_many_arguments)]
    pub fn section_rows(
        &mut self,
        pane: Pane,
        source: &[u32],
        query: &Query,
        sort: usize,
        reverse: bool,
        fresh: &Fresh,
        changes: &VecDeque<Change>,
    ) -> Vec<u32> {
        let index = self.index_for(fresh);
        let mut rows: Vec<usize> = if query.text.is_empty() {
            source.iter().map(|&r| r as usize).collect()
        } else {
            let found: Vec<u32> = match index.search(pane, &query.text, None) {
                Some(search) => search.rows,
                None => matching_rows(pane, &query.text, Some(fresh), changes)
                    .into_iter()
                    .map(position)
                    .collect(),
            };
            let len = found.last().map_or(0, |&r| r as usize + 1);
            let marks = Marks::of(&found, len);
            source
                .iter()
                .filter(|&&r| marks.has(r))
                .map(|&r| r as usize)
                .collect()
        };
        if !query.terms.is_empty() {
            terms::keep(
                &index,
                pane,
                &mut rows,
                &query.terms,
                fresh,
                changes,
                &self.flags,
            );
        }
        let keys = pane.sort_keys();
        let key = keys[sort.min(keys.len() - 1)];
        // The sections list in source order already (findings worst first).
        if !keeps_source_order(pane, key) {
            sort_pane_rows(pane, &mut rows, key, Some(fresh));
        }
        if reverse {
            rows.reverse();
        }
        rows.into_iter().map(position).collect()
    }

    /// The filters' index of `fresh`: the one handed over, or one built now.
    fn index_for(&mut self, fresh: &Fresh) -> Arc<SearchIndex> {
        match &self.index {
            Some(of) if of.is_of(fresh) => Arc::clone(&of.index),
            _ => {
                // The last snapshot's index goes before this one is built.
                self.index = None;
                let index = Arc::new(SearchIndex::new(&fresh.snapshot, &fresh.analysis));
                self.use_index(fresh, Arc::clone(&index));
                index
            }
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
    ///
    /// The rows come from the snapshot's [`SearchIndex`] (built here if it
    /// was not handed over with [`Lists::use_index`]); a filter that extends
    /// the pane's last one searches only what that one found.
    pub fn rebuild_pane(&mut self, pane: Pane, fresh: Option<&Fresh>, changes: &VecDeque<Change>) {
        let index = fresh.map(|f| self.index_for(f));
        let flags = self.flags.clone();
        let lang = self.lang;
        self.get_mut(pane).read_filter(pane, &flags, lang);
        let list = self.get(pane);
        let needle = list.query.text.clone();
        let search = index
            .as_deref()
            .and_then(|index| index.search(pane, &needle, list.search.as_ref()));
        self.show(pane, search, &needle, index.as_deref(), fresh, changes);
    }

    /// The pane's last search, which a longer filter narrows: what a worker
    /// searching with [`SearchIndex::search`] passes as `previous`.
    pub fn last_search(&self, pane: Pane) -> Option<&Search> {
        self.get(pane).search.as_ref()
    }

    /// Shows `search`, made elsewhere (by a worker, with
    /// [`SearchIndex::search`] on the index handed over with
    /// [`Lists::use_index`]), as [`Lists::rebuild_pane`] shows its own:
    /// sorted, the cursor back on the selected row. Returns false and
    /// shows nothing when the search no longer answers the pane's filter
    /// on `fresh` (the filter or the snapshot changed since).
    pub fn show_search(
        &mut self,
        pane: Pane,
        search: Search,
        fresh: &Fresh,
        changes: &VecDeque<Change>,
    ) -> bool {
        let index = self.index_for(fresh);
        let flags = self.flags.clone();
        let lang = self.lang;
        self.get_mut(pane).read_filter(pane, &flags, lang);
        let needle = self.get(pane).query.text.clone();
        let searched = if pane == Pane::Map {
            Pane::Cities
        } else {
            pane
        };
        if search.index != index.id || search.pane != searched || *search.needle != *needle {
            return false;
        }
        self.show(
            pane,
            Some(search),
            &needle,
            Some(&index),
            Some(fresh),
            changes,
        );
        true
    }

    /// Shows the rows `search` found (or, without one, the rows that match
    /// `needle` row by row), sorted, with the cursor on the selected row.
    fn show(
        &mut self,
        pane: Pane,
        search: Option<Search>,
        needle: &str,
        index: Option<&SearchIndex>,
        fresh: Option<&Fresh>,
        changes: &VecDeque<Change>,
    ) {
        let flags = self.flags.clone();
        let group = self.group;
        let list = self.get_mut(pane);
        let key = pane.sort_keys()[list.sort.min(pane.sort_keys().len() - 1)];
        let mut rows: Vec<usize> = match (&search, index) {
            (Some(search), Some(index)) if !keeps_source_order(pane, key) => {
                // Sorted once per snapshot and sort key; each key typed
                // then keeps what it found in that order.
                let order = match list.order.take() {
                    Some(order) if order.index == index.id && order.key == key => order,
                    _ => Order::new(index, pane, key, fresh),
                };
                let rows = order.keep(search);
                list.order = Some(order);
                rows
            }
            (Some(search), _) => {
                list.order = None;
                search.rows().collect()
            }
            (None, _) => {
                let mut rows = matching_rows(pane, needle, fresh, changes);
                sort_pane_rows(pane, &mut rows, key, fresh);
                rows
            }
        };
        if let (false, Some(index), Some(fresh)) = (list.query.terms.is_empty(), index, fresh) {
            // Terms of the index's records alone (not NEW or acknowledged,
            // which app state moves) are worked out for every row once,
            // and each key typed into the text beside them reads that.
            let of_index = pane != Pane::Changes
                && !list
                    .query
                    .terms
                    .iter()
                    .any(|t| matches!(t, query::Term::New | query::Term::Acked(_)));
            if of_index {
                let kept = match list.terms_kept.take() {
                    Some(kept)
                        if kept.index == index.id
                            && kept.pane == pane
                            && kept.terms == list.query.terms =>
                    {
                        kept
                    }
                    _ => {
                        let mut all: Vec<usize> = (0..index.rows_of(pane)).collect();
                        terms::keep(
                            index,
                            pane,
                            &mut all,
                            &list.query.terms,
                            fresh,
                            changes,
                            &flags,
                        );
                        let all: Vec<u32> = all.into_iter().map(position).collect();
                        TermsKept {
                            index: index.id,
                            pane,
                            terms: list.query.terms.clone(),
                            rows: Marks::of(&all, index.rows_of(pane)),
                        }
                    }
                };
                rows.retain(|&row| kept.rows.has(position(row)));
                list.terms_kept = Some(kept);
            } else {
                terms::keep(
                    index,
                    pane,
                    &mut rows,
                    &list.query.terms,
                    fresh,
                    changes,
                    &flags,
                );
            }
        }
        // An empty filter shows every row: nothing to narrow from.
        list.search = search.filter(|s| !s.needle.is_empty());
        if list.reverse {
            rows.reverse();
        }
        if let (Pane::Conflicts, Some(acked)) = (pane, &self.acked) {
            // Acknowledged last, each part in the order chosen.
            let is_acked = |r: &usize| acked.get(*r).copied().unwrap_or(false);
            let (open, done): (Vec<usize>, Vec<usize>) =
                rows.into_iter().partition(|r| !is_acked(r));
            rows = open;
            if !self.hide_acked {
                rows.extend(done);
            }
        }
        let list = self.get_mut(pane);
        list.groups = match (pane, group, index, fresh) {
            (Pane::Conflicts, Group::Rule | Group::City, Some(index), Some(fresh)) => {
                group_rows(&mut rows, group, index, fresh)
            }
            _ => Vec::new(),
        };
        let was = list.selected_row();
        list.rows = rows;
        let found = list.selected.as_ref().and_then(|selected| {
            // The row selected before, if it still is the selected record
            // (the same snapshot, or one with that row where it was).
            let was = was.filter(|&r| row_is(pane, r, fresh, changes, selected));
            let rows = &list.rows;
            match (was, pane, index) {
                // One row per id: the selected record is that row.
                (Some(was), Pane::Cities | Pane::Map | Pane::Partners | Pane::Stores, _) => {
                    rows.iter().position(|&r| r == was)
                }
                // A finding with the selected key names what that row
                // names: most rows are passed by without reading them.
                (Some(was), Pane::Conflicts, Some(index)) => {
                    let names = index.names(was);
                    rows.iter().position(|&r| {
                        index.names(r) == names && row_is(pane, r, fresh, changes, selected)
                    })
                }
                _ => rows
                    .iter()
                    .position(|&r| row_is(pane, r, fresh, changes, selected)),
            }
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

/// The rows of a pane that a set of field terms keeps, for one index.
#[derive(Clone, Debug, PartialEq)]
struct TermsKept {
    index: u64,
    pane: Pane,
    terms: Vec<query::Term>,
    rows: Marks,
}

/// Orders the conflicts pane's `rows` by group, the groups in the order
/// of their first row and each keeping its rows' order; returns the
/// groups as ranges of `rows`. A finding's group is a small number (its
/// rule, or its city's position in the index), so no name is compared.
fn group_rows(
    rows: &mut [usize],
    group: Group,
    index: &SearchIndex,
    fresh: &Fresh,
) -> Vec<std::ops::Range<usize>> {
    let findings = &fresh.analysis.findings;
    let key = |row: usize| -> u32 {
        match group {
            Group::Rule => match findings.get(row).map(|f| &f.origin) {
                Some(Origin::Rule(rule)) => crate::analysis::Rule::ALL
                    .iter()
                    .position(|r| r == rule)
                    .unwrap_or(0) as u32,
                _ => u32::MAX,
            },
            _ => index.finding_city(row),
        }
    };
    let mut first: foldhash::HashMap<u32, usize> = foldhash::HashMap::default();
    let keyed: Vec<(usize, usize)> = rows
        .iter()
        .map(|&row| {
            let next = first.len();
            (*first.entry(key(row)).or_insert(next), row)
        })
        .collect();
    let mut counts = vec![0usize; first.len()];
    for &(group, _) in &keyed {
        counts[group] += 1;
    }
    // A counting sort: stable, linear.
    let mut starts = Vec::with_capacity(counts.len());
    let mut at = 0;
    for count in &counts {
        starts.push(at);
        at += count;
    }
    let ranges = starts
        .iter()
        .zip(&counts)
        .map(|(&start, &count)| start..start + count)
        .collect();
    let mut next = starts;
    for (group, row) in keyed {
        rows[next[group]] = row;
        next[group] += 1;
    }
    ranges
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

/// The rows of a pane that match `needle` (lower-cased), in source order,
/// found row by row: the definition the [`SearchIndex`] answers by, and
/// what answers where it cannot (the change log, a needle holding NUL).
fn matching_rows(
    pane: Pane,
    needle: &str,
    fresh: Option<&Fresh>,
    changes: &VecDeque<Change>,
) -> Vec<usize> {
    match (pane, fresh) {
        (Pane::Changes, f) => (0..changes.len())
            .filter(|&i| change_matches(needle, &changes[i], f.map(|f| &*f.snapshot)))
            .collect(),
        (_, None) => Vec::new(),
        (Pane::DataWarnings, Some(f)) => {
            let warnings = &f.snapshot.data_warnings;
            (0..warnings.len())
                .filter(|&i| data_warning_matches(needle, &warnings[i], &f.snapshot))
                .collect()
        }
        (Pane::Cities | Pane::Map, Some(f)) => {
            // analysis.cities is in the same order as document.cities.
            let cities = &f.snapshot.document.cities;
            (0..f.analysis.cities.len().min(cities.len()))
                .filter(|&i| city_matches(needle, &cities[i]))
                .collect()
        }
        (Pane::Partners, Some(f)) => {
            let partners = &f.snapshot.document.partners;
            (0..partners.len())
                .filter(|&i| partner_matches(needle, &partners[i]))
                .collect()
        }
        (Pane::Stores, Some(f)) => {
            let stores = &f.snapshot.document.stores;
            (0..stores.len())
                .filter(|&i| store_matches(needle, &stores[i], &f.snapshot))
                .collect()
        }
        (Pane::Conflicts, Some(f)) => {
            let findings = &f.analysis.findings;
            (0..findings.len())
                .filter(|&i| finding_matches(needle, &findings[i], &f.snapshot))
                .collect()
        }
    }
}

/// Whether `key` sorts the pane's rows in their source order: as the feed
/// lists them, the change log's newest first, the findings by severity
/// (the analysis orders them so).
fn keeps_source_order(pane: Pane, key: SortKey) -> bool {
    matches!(key, SortKey::FeedOrder | SortKey::Newest)
        || (pane == Pane::Conflicts && key == SortKey::Severity)
}

/// Sorts a pane's rows (in source order) by `key`; ties keep the source order.
fn sort_pane_rows(pane: Pane, rows: &mut [usize], key: SortKey, fresh: Option<&Fresh>) {
    let Some(f) = fresh else {
        return;
    };
    match pane {
        Pane::Changes | Pane::DataWarnings => {}
        Pane::Cities | Pane::Map => {
            let cities = &f.snapshot.document.cities;
            let progress = &f.analysis.cities;
            sort_rows(rows, key, |a, b| {
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
        }
        Pane::Partners => {
            let partners = &f.snapshot.document.partners;
            sort_rows(rows, key, |a, b| {
                let (pa, pb) = (&partners[a], &partners[b]);
                match key {
                    SortKey::Name => pa.name.cmp(&pb.name),
                    SortKey::Tier => pa.tier.cmp(&pb.tier),
                    SortKey::Stage => pb.agreement.stage.cmp(&pa.agreement.stage),
                    _ => Ordering::Equal,
                }
            });
        }
        Pane::Stores => {
            let stores = &f.snapshot.document.stores;
            sort_rows(rows, key, |a, b| {
                let (sa, sb) = (&stores[a], &stores[b]);
                match key {
                    SortKey::City => sa.city.cmp(&sb.city),
                    SortKey::Phase => sa.renovation.phase.cmp(&sb.renovation.phase),
                    SortKey::Progress => progress::percent(sa).total_cmp(&progress::percent(sb)),
                    // Undated stores last: Option orders None first.
                    SortKey::PlannedOpen => {
                        let (a, b) = (sa.renovation.planned_open, sb.renovation.planned_open);
                        a.is_none().cmp(&b.is_none()).then(a.cmp(&b))
                    }
                    _ => Ordering::Equal,
                }
            });
        }
        Pane::Conflicts => {
            let findings = &f.analysis.findings;
            sort_rows(rows, key, |a, b| {
                let (fa, fb) = (&findings[a], &findings[b]);
                match key {
                    SortKey::City => fa.city.cmp(&fb.city),
                    SortKey::Rule => fa.origin.cmp(&fb.origin),
                    _ => Ordering::Equal,
                }
            });
        }
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

/// All of a pane's rows sorted by one key (not reversed), for one index.
/// A stable sort orders rows by key, then by position: the rows a filter
/// keeps, taken in this order, are those rows sorted.
#[derive(Clone, PartialEq)]
struct Order {
    /// The [`SearchIndex::id`] of the snapshot sorted.
    index: u64,
    key: SortKey,
    rows: Vec<u32>,
}

impl Order {
    fn new(index: &SearchIndex, pane: Pane, key: SortKey, fresh: Option<&Fresh>) -> Self {
        let mut rows: Vec<usize> = index
            .search(pane, "", None)
            .map(|all| all.rows().collect())
            .unwrap_or_default();
        sort_pane_rows(pane, &mut rows, key, fresh);
        Order {
            index: index.id,
            key,
            rows: rows.into_iter().map(position).collect(),
        }
    }

    /// The rows `search` found, in this order.
    fn keep(&self, search: &Search) -> Vec<usize> {
        let kept = Marks::of(&search.rows, self.rows.len());
        self.rows
            .iter()
            .filter(|&&row| search.rows.len() == self.rows.len() || kept.has(row))
            .map(|&row| row as usize)
            .collect()
    }
}

impl fmt::Debug for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Order")
            .field("index", &self.index)
            .field("key", &self.key)
            .field("rows", &self.rows.len())
            .finish()
    }
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
    use crate::analysis::RulesConfig;
    use crate::feed::demo::DEMO_FEED_JSON;
    use proptest::prelude::*;

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

    /// The panes a filter searches through the index (the change log is
    /// filtered row by row).
    const SEARCHED: [Pane; 6] = [
        Pane::Cities,
        Pane::Map,
        Pane::Partners,
        Pane::Stores,
        Pane::Conflicts,
        Pane::DataWarnings,
    ];

    /// 2,000 synthetic stores (about 5,000 findings), built once.
    fn synthetic() -> &'static Fresh {
        static FRESH: std::sync::OnceLock<Fresh> = std::sync::OnceLock::new();
        FRESH.get_or_init(|| {
            let document =
                crate::feed::synthetic::generate(2000, crate::feed::server::SYNTHETIC_SEED);
            let snapshot = Snapshot::new(document);
            let analysis = Analysis::of(&snapshot, &RulesConfig::default());
            Fresh::new(Arc::new(snapshot), Arc::new(analysis), chrono::Utc::now())
        })
    }

    /// The demo feed with what the synthetic one never has: ids the feed
    /// has no record for (named by feed warnings and by a store), a NUL
    /// and upper case in ids, names whose lower case is not ASCII or
    /// changes length (İ, Σ at a word's end, the Kelvin sign), a duplicate
    /// id, and data warnings.
    fn odd() -> &'static Fresh {
        static FRESH: std::sync::OnceLock<Fresh> = std::sync::OnceLock::new();
        FRESH.get_or_init(|| {
            let mut document = demo();
            let cities = document["cities"].as_array_mut().unwrap();
            cities.push(
                serde_json::json!({"id": "IST\u{0}ANBUL", "name": "İSTANBUL ΟΔΟΣ",
                "local_name": "\u{212A}ADIKÖY", "recruitment": {"status": "open"}}),
            );
            cities.push(
                serde_json::json!({"id": "ningbo", "name": "A second Ningbo",
                "recruitment": {"status": "open"}}),
            );
            let stores = document["stores"].as_array_mut().unwrap();
            stores.push(
                serde_json::json!({"id": "Ist-Home-01", "city": "IST\u{0}ANBUL",
                "kind": "xiaomi_home", "channel": "direct", "operator": "xiaomi",
                "name": "Kadıköy ΣΣ Home", "district": "Moda",
                "renovation": {"phase": "design", "percent": 20}}),
            );
            stores.push(serde_json::json!({"id": "lost-2s-01", "city": "atlantis",
                "kind": "sales_service_2s", "channel": "agency", "operator": "poseidon-auto",
                "name": "Lost 2S", "renovation": {"phase": "design", "percent": 140}}));
            let warnings = document["warnings"].as_array_mut().unwrap();
            warnings.push(serde_json::json!({"id": "W-Ghost", "severity": "critical",
                "kind": "odd", "city": "el-dorado", "stores": ["ghost-01", "Ist-Home-01"],
                "message": "names what is not there"}));
            warnings.push(serde_json::json!({"id": "w-ist", "severity": "info",
                "city": "IST\u{0}ANBUL", "stores": [], "message": "İstanbul"}));
            // Two findings with one key: a selection goes to the first shown.
            for message in ["twice", "twice again"] {
                warnings.push(serde_json::json!({"id": "w-twice", "severity": "warning",
                    "kind": "odd", "city": "ningbo", "stores": ["Ist-Home-01"],
                    "message": message}));
            }
            fresh(&document)
        })
    }

    /// The straightforward answer: each row's `*_matches`.
    fn expected(pane: Pane, needle: &str, fresh: &Fresh) -> Vec<usize> {
        matching_rows(pane, needle, Some(fresh), &VecDeque::new())
    }

    /// Queries: letters and digits from the data, the separators of ids,
    /// upper case, and what folds oddly; or a piece of a record's name or
    /// id, in its own case or upper case.
    fn queries(fresh: &'static Fresh) -> impl Strategy<Value = String> {
        let letters = prop::collection::vec(
            prop::sample::select(
                "aeinghuxz0123-' 2sNIHİiıσςΣ\u{212A}k宁波苏州华\u{0}"
                    .chars()
                    .collect::<Vec<_>>(),
            ),
            1..5,
        )
        .prop_map(|chars| chars.into_iter().collect::<String>());
        let document = &fresh.snapshot.document;
        let names: Vec<String> = document
            .stores
            .iter()
            .flat_map(|s| [s.id.to_string(), s.name.to_string()])
            .chain(document.cities.iter().map(|c| c.name.to_string()))
            .chain(document.partners.iter().map(|p| p.name.to_string()))
            .collect();
        let pieces = (
            prop::sample::select(names),
            0..30usize,
            1..12usize,
            any::<bool>(),
        )
            .prop_map(|(name, start, len, upper)| {
                let piece: String = name
                    .chars()
                    .skip(start % name.chars().count().max(1))
                    .take(len)
                    .collect();
                if upper { piece.to_uppercase() } else { piece }
            });
        prop_oneof![letters, pieces]
    }

    fn check_every_pane(fresh: &Fresh, query: &str) -> Result<(), TestCaseError> {
        let index = SearchIndex::new(&fresh.snapshot, &fresh.analysis);
        let needle = query.to_lowercase();
        for pane in SEARCHED {
            let rows: Option<Vec<usize>> = index
                .search(pane, &needle, None)
                .map(|s| s.rows().collect());
            match rows {
                Some(rows) => prop_assert_eq!(
                    rows,
                    expected(pane, &needle, fresh),
                    "{:?} {:?}",
                    pane,
                    query
                ),
                None => prop_assert!(needle.contains('\0'), "{:?} {:?}", pane, query),
            }
        }
        Ok(())
    }

    /// Each key typed (or a Backspace), searched narrowing the last search
    /// where it may, finds what the row-by-row filter finds.
    fn check_typing(fresh: &Fresh, keys: &[Option<char>]) -> Result<(), TestCaseError> {
        let index = SearchIndex::new(&fresh.snapshot, &fresh.analysis);
        for pane in SEARCHED {
            let mut filter = String::new();
            let mut last: Option<Search> = None;
            for key in keys {
                match key {
                    Some(c) => filter.push(*c),
                    None => {
                        filter.pop();
                    }
                }
                let needle = filter.to_lowercase();
                let search = index.search(pane, &needle, last.as_ref());
                match &search {
                    Some(search) => prop_assert_eq!(
                        search.rows().collect::<Vec<_>>(),
                        expected(pane, &needle, fresh),
                        "{:?} {:?}",
                        pane,
                        filter
                    ),
                    None => prop_assert!(needle.contains('\0')),
                }
                last = search;
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The index finds exactly the rows each row's `*_matches` finds,
        /// in every pane, on 2,000 synthetic stores.
        #[test]
        fn the_index_finds_what_each_row_matches_synthetic(query in queries(synthetic())) {
            check_every_pane(synthetic(), &query)?;
        }

        /// The same on the demo feed with odd ids, names and references.
        #[test]
        fn the_index_finds_what_each_row_matches_odd_demo(query in queries(odd())) {
            check_every_pane(odd(), &query)?;
        }

        /// Typing a key at a time, with Backspaces, narrowing each search
        /// from the last: the same rows as searching afresh.
        #[test]
        fn narrowing_finds_what_a_fresh_search_finds(
            keys in prop::collection::vec(
                prop::option::weighted(0.8, prop::sample::select(
                    "aeinghux0123-' 2sNHİıσΣ\u{212A}宁华\u{0}".chars().collect::<Vec<_>>(),
                )),
                1..8,
            ),
        ) {
            check_typing(synthetic(), &keys)?;
            check_typing(odd(), &keys)?;
        }
    }

    /// The odd cases, each named: ids the feed lacks, a NUL, case folding
    /// that is not ASCII.
    #[test]
    fn the_index_agrees_on_odd_records() {
        let odd = odd();
        let index = SearchIndex::new(&odd.snapshot, &odd.analysis);
        for query in [
            "el-dorado",
            "ghost",
            "GHOST-01",
            "atlantis",
            "poseidon",
            "w-ghost",
            "ist\u{0}a",
            "\u{0}",
            "i̇stanbul",
            "οδος",
            "οδοσ",
            "σσ",
            "σς",
            "kadiköy",
            "kadıköy",
            "k",
            "moda",
            "ningbo",
            "A SECOND",
            "duplicate",
            "record",
            "lost",
            "",
            " ",
        ] {
            let needle = query.to_lowercase();
            for pane in SEARCHED {
                let rows = index
                    .search(pane, &needle, None)
                    .map(|s| s.rows().collect::<Vec<_>>());
                let expected = expected(pane, &needle, odd);
                match rows {
                    Some(rows) => assert_eq!(rows, expected, "{pane:?} {query:?}"),
                    None => assert!(needle.contains('\0'), "{pane:?} {query:?}"),
                }
            }
        }
        // Not vacuous: the feed lacks these, and the filter still finds them.
        let conflicts = |q: &str| index.search(Pane::Conflicts, q, None).unwrap().rows.len();
        assert!(conflicts("el-dorado") > 0 && conflicts("ghost") > 0);
        let stores = |q: &str| index.search(Pane::Stores, q, None).unwrap().rows.len();
        assert_eq!((stores("atlantis"), stores("poseidon")), (1, 1));
        assert_eq!(stores("kadıköy"), 1);
        // "ΣΣ " folds as "σς ": a sigma ending a word is final.
        assert_eq!((stores("σς"), stores("σσ")), (1, 0));
    }

    /// Through the lists as the dashboard drives them: each key typed
    /// into each pane's filter, under each sort and reversed (changed
    /// while the filter is typed), shows the rows the row-by-row filter
    /// finds, in the order it sorts them.
    #[test]
    fn typed_filters_show_what_each_row_matches_under_every_sort() {
        let check = |lists: &Lists, pane: Pane, fresh: &Fresh| {
            let list = lists.get(pane);
            let needle = list.filter.to_lowercase();
            let mut rows = expected(pane, &needle, fresh);
            let key = pane.sort_keys()[list.sort];
            sort_pane_rows(pane, &mut rows, key, Some(fresh));
            if list.reverse {
                rows.reverse();
            }
            assert_eq!(
                list.rows, rows,
                "{pane:?} {key:?} {} {needle:?}",
                list.reverse
            );
        };
        let mut moves = 0isize;
        for fresh in [synthetic(), odd()] {
            for pane in SEARCHED {
                let mut lists = Lists::default();
                lists.rebuild(Some(fresh), &VecDeque::new());
                for sort in 0..pane.sort_keys().len() {
                    for reverse in [false, true] {
                        let list = lists.get_mut(pane);
                        list.sort = sort;
                        list.reverse = reverse;
                        // The sort changes with the last round's filter on.
                        lists.rebuild_pane(pane, Some(fresh), &VecDeque::new());
                        check(&lists, pane, fresh);
                        lists.get_mut(pane).clear_filter();
                        let backspace = "\u{8}";
                        for typed in [
                            "n", "i", "n", backspace, backspace, "a", backspace, backspace, "h",
                            "u", "a", backspace,
                        ] {
                            // Somewhere down the list, then the key.
                            moves += 1;
                            lists.move_cursor(
                                pane,
                                moves * 7 % 23 - 9,
                                Some(fresh),
                                &VecDeque::new(),
                            );
                            let list = lists.get_mut(pane);
                            let (selected, cursor) = (list.selected.clone(), list.cursor);
                            if typed == backspace {
                                list.backspace_filter();
                            } else {
                                list.type_into_filter(typed);
                            }
                            lists.rebuild_pane(pane, Some(fresh), &VecDeque::new());
                            check(&lists, pane, fresh);
                            // The selected record stays selected where shown.
                            let list = lists.get(pane);
                            let shown = selected.and_then(|selected| {
                                list.rows.iter().position(|&r| {
                                    row_is(pane, r, Some(fresh), &VecDeque::new(), &selected)
                                })
                            });
                            let last = list.rows.len().saturating_sub(1);
                            assert_eq!(list.cursor, shown.unwrap_or(cursor.min(last)), "{pane:?}");
                        }
                    }
                }
            }
        }
    }

    /// A search of the last snapshot is never narrowed with a new one: the
    /// rows come from the new snapshot's records.
    #[test]
    fn a_new_snapshot_is_searched_afresh() {
        let mut document = demo();
        let mut lists = Lists::default();
        let first = fresh(&document);
        // Sorted by city: the rows come in an order kept per snapshot too.
        lists.stores.sort = 1;
        lists.rebuild(Some(&first), &VecDeque::new());
        lists.stores.type_into_filter("bj");
        lists.rebuild_pane(Pane::Stores, Some(&first), &VecDeque::new());
        let before = lists.stores.rows.len();
        assert!(before > 0);
        // The same stores in the other order: what the last search found
        // is at other positions now.
        document["stores"].as_array_mut().unwrap().reverse();
        let second = fresh(&document);
        lists.rebuild(Some(&second), &VecDeque::new());
        lists.stores.type_into_filter("-");
        lists.rebuild_pane(Pane::Stores, Some(&second), &VecDeque::new());
        let mut expected = expected(Pane::Stores, "bj-", &second);
        assert!(!expected.is_empty());
        sort_pane_rows(Pane::Stores, &mut expected, SortKey::City, Some(&second));
        assert_eq!(lists.stores.rows, expected, "searched in the new snapshot");
    }

    /// An index handed over with the snapshot is the one searched; a new
    /// snapshot without one gets one built.
    #[test]
    fn an_index_handed_over_is_used() {
        let first = fresh(&demo());
        let index = Arc::new(SearchIndex::new(&first.snapshot, &first.analysis));
        let mut lists = Lists::default();
        lists.use_index(&first, Arc::clone(&index));
        lists.stores.type_into_filter("bj");
        lists.rebuild(Some(&first), &VecDeque::new());
        let search = lists.stores.search.as_ref().unwrap();
        assert_eq!(search.index, index.id);
        assert_eq!(search.rows().collect::<Vec<_>>(), lists.stores.rows);
        let second = fresh(&demo());
        lists.rebuild(Some(&second), &VecDeque::new());
        assert_ne!(lists.stores.search.as_ref().unwrap().index, index.id);
        assert!(Arc::ptr_eq(
            &lists.index_for(&second),
            &lists.index_for(&second)
        ));
    }

    /// Two findings with one key are one selection, as before the index:
    /// a key typed puts the cursor on the first of them shown.
    #[test]
    fn a_selection_of_one_of_two_alike_findings_goes_to_the_first() {
        let odd = odd();
        let findings = &odd.analysis.findings;
        let twice: Vec<usize> = (0..findings.len())
            .filter(|&i| matches!(&findings[i].origin, Origin::Feed { id, .. } if id.as_str() == "w-twice"))
            .collect();
        assert_eq!(twice.len(), 2);
        assert_eq!(
            FindingKey::of(&findings[twice[0]]),
            FindingKey::of(&findings[twice[1]])
        );
        let mut lists = Lists::default();
        lists.rebuild(Some(odd), &VecDeque::new());
        let at = |lists: &Lists, row| lists.conflicts.rows.iter().position(|&r| r == row).unwrap();
        let second = at(&lists, twice[1]) as isize;
        lists.move_cursor(Pane::Conflicts, second, Some(odd), &VecDeque::new());
        assert_eq!(lists.conflicts.selected_row(), Some(twice[1]));
        lists.conflicts.type_into_filter("ist");
        lists.rebuild_pane(Pane::Conflicts, Some(odd), &VecDeque::new());
        assert_eq!(lists.conflicts.selected_row(), Some(twice[0]));
    }

    /// A search made on another thread (as a worker would) with the index
    /// handed over shows what the lists' own search shows; one that no
    /// longer answers the filter, or another snapshot's, shows nothing.
    #[test]
    fn a_search_made_by_a_worker_is_shown_as_one_made_here() {
        let fresh = synthetic();
        let index = Arc::new(SearchIndex::new(&fresh.snapshot, &fresh.analysis));
        let mut lists = Lists::default();
        lists.use_index(fresh, Arc::clone(&index));
        lists.conflicts.sort = 1; // by city: not the analysis' order
        lists.rebuild(Some(fresh), &VecDeque::new());
        lists.move_cursor(Pane::Conflicts, 40, Some(fresh), &VecDeque::new());
        let mut here = lists.clone();
        let mut searched = None;
        for typed in ["h", "u", "a"] {
            lists.conflicts.type_into_filter(typed);
            here.conflicts.type_into_filter(typed);
            here.rebuild_pane(Pane::Conflicts, Some(fresh), &VecDeque::new());
            let (index, needle) = (Arc::clone(&index), lists.conflicts.filter.to_lowercase());
            let previous = lists.last_search(Pane::Conflicts).cloned();
            let search = std::thread::spawn(move || {
                index.search(Pane::Conflicts, &needle, previous.as_ref())
            })
            .join()
            .unwrap()
            .unwrap();
            searched = Some(search.clone());
            assert!(lists.show_search(Pane::Conflicts, search, fresh, &VecDeque::new()));
            assert_eq!(lists.conflicts.rows, here.conflicts.rows, "{typed}");
            assert_eq!(lists.conflicts.cursor, here.conflicts.cursor, "{typed}");
            assert_eq!(lists.conflicts.selected, here.conflicts.selected, "{typed}");
        }
        // The filter moved on: "hua" no longer answers "huan".
        lists.conflicts.type_into_filter("n");
        let shown = lists.conflicts.rows.clone();
        let stale = searched.unwrap();
        assert!(!lists.show_search(Pane::Conflicts, stale.clone(), fresh, &VecDeque::new()));
        assert_eq!(lists.conflicts.rows, shown);
        // Another snapshot's index: its positions are not these rows.
        let other = odd();
        lists.conflicts.backspace_filter();
        assert!(!lists.show_search(Pane::Conflicts, stale, other, &VecDeque::new()));
    }

    /// The rows a filter of field terms keeps, worked out record by record
    /// from the document (names through the name index, which has tests of
    /// its own): the definition the positions in the search index answer by.
    fn expected_with_terms(pane: Pane, filter: &str, fresh: &Fresh) -> Vec<usize> {
        use crate::app::names::Names;
        use crate::app::query::{RuleTerm, Term};
        let query = query::parse(filter).unwrap();
        let snapshot = &fresh.snapshot;
        let document = &snapshot.document;
        let index = SearchIndex::new(snapshot, &fresh.analysis);
        let ids = |names: Names, term: &str| -> Vec<String> {
            index
                .spellings(snapshot)
                .holding(names, term)
                .into_iter()
                .map(|i| match names {
                    Names::Cities => document.cities[i as usize].id.as_str().to_owned(),
                    Names::Partners => document.partners[i as usize].id.as_str().to_owned(),
                })
                .collect()
        };
        // An id the feed has no record for matches by the id.
        let city_is = |id: &str, term: &str| {
            ids(Names::Cities, term).iter().any(|c| c == id)
                || (snapshot.city(id).is_none() && id.to_lowercase().contains(term))
        };
        let partner_is = |id: &str, term: &str| {
            ids(Names::Partners, term).iter().any(|p| p == id)
                || (snapshot.partner(id).is_none() && id.to_lowercase().contains(term))
        };
        let today = document.generated_at.date_naive();
        let deadline = document.program.display_vehicle_deadline;
        let mut rows = expected(pane, &query.text, fresh);
        rows.retain(|&row| {
            query.terms.iter().all(|term| match (pane, term) {
                (Pane::Stores, _) => {
                    let s = &document.stores[row];
                    match term {
                        Term::City(t) => city_is(s.city.as_str(), t),
                        Term::Partner(t) => s
                            .operator
                            .partner()
                            .is_some_and(|p| partner_is(p.as_str(), t)),
                        Term::Phase(phase) => &s.renovation.phase == phase,
                        Term::Kind(kind) => &s.kind == kind,
                        Term::Late => {
                            progress::schedule_slipped(s, today)
                                || progress::display_vehicle_late(s, deadline)
                        }
                        _ => unreachable!("{term:?}"),
                    }
                }
                (Pane::Conflicts, _) => {
                    let f = &fresh.analysis.findings[row];
                    match term {
                        Term::City(t) => f.city.as_ref().is_some_and(|c| city_is(c.as_str(), t)),
                        Term::Partner(t) => f.partners.iter().any(|p| partner_is(p.as_str(), t)),
                        Term::Severity(sev) => f.severity == *sev,
                        Term::Rule(RuleTerm::Rule(rule)) => f.origin == Origin::Rule(*rule),
                        Term::Rule(RuleTerm::Feed) => matches!(f.origin, Origin::Feed { .. }),
                        Term::Late => matches!(
                            f.origin,
                            Origin::Rule(
                                crate::analysis::Rule::ScheduleSlip
                                    | crate::analysis::Rule::DisplayVehicleLate
                            )
                        ),
                        _ => unreachable!("{term:?}"),
                    }
                }
                _ => unreachable!("{pane:?}"),
            })
        });
        rows
    }

    fn stores_terms() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "city:n",
                "city:su",
                "city:nj",
                "city:宁",
                "partner:a",
                "partner:group",
                "phase:open",
                "phase:design",
                "kind:dc",
                "kind:2s",
                "kind:home",
                "late",
                "n",
                "ing",
                "-0",
            ]),
            0..4,
        )
        .prop_map(|terms| terms.join(" "))
    }

    fn conflicts_terms() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "city:n",
                "city:hang",
                "city:cq",
                "partner:a",
                "partner:e",
                "sev:critical",
                "sev:warning",
                "sev:info",
                "rule:territory",
                "rule:agency",
                "rule:schedule",
                "rule:feed",
                "late",
                "n",
                "hu",
            ]),
            0..4,
        )
        .prop_map(|terms| terms.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Field terms on the store list keep what the document says,
        /// typed one word at a time after plain text or before it.
        #[test]
        fn store_terms_keep_what_the_document_says(filter in stores_terms()) {
            for fresh in [synthetic(), odd()] {
                let mut lists = Lists::default();
                lists.stores.filter = filter.clone();
                lists.rebuild(Some(fresh), &VecDeque::new());
                prop_assert_eq!(
                    &lists.stores.rows,
                    &expected_with_terms(Pane::Stores, &filter, fresh),
                    "{:?}",
                    filter
                );
                // A word typed beside the same terms reads what they kept.
                lists.stores.type_into_filter(" ng");
                lists.rebuild_pane(Pane::Stores, Some(fresh), &VecDeque::new());
                prop_assert!(lists.stores.terms_kept.is_some() || !filter.contains(':') && !filter.contains("late"));
                prop_assert_eq!(
                    &lists.stores.rows,
                    &expected_with_terms(Pane::Stores, &lists.stores.filter.clone(), fresh),
                    "{:?}",
                    filter
                );
            }
        }

        /// The same for the conflicts pane.
        #[test]
        fn conflict_terms_keep_what_the_document_says(filter in conflicts_terms()) {
            for fresh in [synthetic(), odd()] {
                let mut lists = Lists::default();
                lists.conflicts.filter = filter.clone();
                lists.rebuild(Some(fresh), &VecDeque::new());
                prop_assert_eq!(
                    &lists.conflicts.rows,
                    &expected_with_terms(Pane::Conflicts, &filter, fresh),
                    "{:?}",
                    filter
                );
                lists.conflicts.type_into_filter(" u");
                lists.rebuild_pane(Pane::Conflicts, Some(fresh), &VecDeque::new());
                prop_assert_eq!(
                    &lists.conflicts.rows,
                    &expected_with_terms(Pane::Conflicts, &lists.conflicts.filter.clone(), fresh),
                    "{:?}",
                    filter
                );
            }
        }
    }
}
