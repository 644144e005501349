//! The filters' index. A key typed into a filter at national scale must
//! not look up and fold the names of every record each finding names
//! (293,025 findings at 100,000 stores): the names and ids are folded once
//! per snapshot, each kind of record's in one string, and the findings
//! keep the positions of what they name. A key then searches those strings
//! and selects the rows naming what matched.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, Weak};

use foldhash::{HashMap, HashMapExt};

use super::Pane;
use super::names::{NameIndex, Names};
use crate::analysis::{Analysis, Origin};
use crate::feed::snapshot::Snapshot;
use crate::worker::Fresh;

/// The filters' index of one snapshot and its analysis: the lower-cased
/// names and ids of its cities, partners and stores by position, and what
/// each store and finding names, by position. Built once per snapshot
/// (linear; in the worker that produced the snapshot, or by the lists when
/// none was handed over); a filter key then costs a scan of the names.
pub struct SearchIndex {
    /// Tells searches of this index from those of another snapshot's.
    pub(super) id: u64,
    /// The document's cities (id, name, Chinese name), then the ids named
    /// by stores or findings that the feed has no city for.
    cities: Keys,
    /// How many cities the cities pane lists.
    city_rows: usize,
    /// The document's partners (id, name, Chinese name), then the ids named
    /// that the feed has no partner for.
    partners: Keys,
    /// How many partners the partners pane lists.
    partner_rows: usize,
    /// The document's stores (id, name), then the ids findings name that
    /// the feed has no store for.
    store_names: Keys,
    /// The stores' districts, each once.
    districts: Keys,
    /// Each store's city (a position in `cities`), partner (in `partners`)
    /// and district (in `districts`), or [`NONE`].
    store_links: Vec<[u32; 3]>,
    /// The ids of the feed's own warnings among the findings.
    feed_ids: Keys,
    /// What each finding names, as tagged positions ([`Named`]): finding
    /// `i`'s are `named[named_ends[i - 1]..named_ends[i]]`.
    named: Vec<u32>,
    /// Where each finding's names end in `named`.
    named_ends: Vec<u32>,
    /// Each data warning's record id, its record's name, and its message.
    data_warnings: Keys,
    /// The document's cities and partners in every spelling (pinyin too),
    /// folded on first use: most snapshots are never looked up by name,
    /// and the index is built as each one arrives.
    spellings: OnceLock<NameIndex>,
    /// Per finding, what field terms test, in a byte ([`facts`]): a key
    /// with `sev:` or `rule:` reads these, not the findings.
    finding_facts: Vec<u8>,
    /// Per store, what field terms test, in a byte ([`facts`]).
    store_facts: Vec<u8>,
}

/// What [`SearchIndex`] keeps of each finding and store for field terms,
/// a byte each: a filter key at national scale reads 300,000 bytes, not
/// 300,000 findings.
pub(super) mod facts {
    use crate::analysis::{Finding, Origin, Rule, Severity};
    use crate::feed::wire::{Phase, Store, StoreKind};

    /// Bits 0-1 of a finding's byte: its severity.
    pub fn severity(severity: Severity) -> u8 {
        severity as u8
    }

    /// Bits 2-5 of a finding's byte: its rule's place in [`Rule::ALL`],
    /// 15 for the feed's own warnings.
    pub fn rule(rule: Option<Rule>) -> u8 {
        rule.and_then(|rule| Rule::ALL.iter().position(|r| *r == rule))
            .map_or(15, |i| i as u8)
    }

    /// A finding's byte.
    pub fn of_finding(finding: &Finding) -> u8 {
        let rule = match &finding.origin {
            Origin::Rule(rule) => Some(*rule),
            Origin::Feed { .. } => None,
        };
        severity(finding.severity) | self::rule(rule) << 2
    }

    /// Bits 0-1 of a store's byte: its kind's place in
    /// [`StoreKind::KNOWN`], 3 for one this client does not know.
    pub fn kind(kind: &StoreKind) -> u8 {
        StoreKind::KNOWN
            .iter()
            .position(|k| k == kind)
            .map_or(3, |i| i as u8)
    }

    /// Bits 3-7 of a store's byte: its phase's place in [`Phase::KNOWN`],
    /// 31 for one this client does not know.
    pub fn phase(phase: &Phase) -> u8 {
        Phase::KNOWN
            .iter()
            .position(|p| p == phase)
            .map_or(31, |i| i as u8)
    }

    /// Bit 2 of a store's byte: late.
    pub const LATE: u8 = 1 << 2;

    /// A store's byte.
    pub fn of_store(store: &Store, late: bool) -> u8 {
        kind(&store.kind) | if late { LATE } else { 0 } | phase(&store.renovation.phase) << 3
    }
}

/// Records searched at once before looking at each of them.
const BLOCK: usize = 32;

/// No position: a store run by Xiaomi has no partner.
const NONE: u32 = u32::MAX;

/// A record a finding names, as a position tagged with its kind in the top
/// two bits. Positions fit in 30 bits: a document of a billion records
/// could not be held in memory to be indexed.
#[derive(Clone, Copy)]
enum Named {
    City = 0,
    Store = 1,
    Partner = 2,
    FeedWarning = 3,
}

impl Named {
    fn tag(self, position: u32) -> u32 {
        (self as u32) << 30 | position
    }
}

/// Source of [`SearchIndex::id`].
static NEXT_INDEX: AtomicU64 = AtomicU64::new(0);

impl SearchIndex {
    /// Folds the names and ids of `snapshot` and finds the positions of
    /// what each of the `analysis`'s findings names.
    pub fn new(snapshot: &Snapshot, analysis: &Analysis) -> Self {
        let document = &snapshot.document;
        let mut cities = Slots::new(
            &document.cities,
            |city| city.id.as_str(),
            |city, keys| {
                keys.push(&[
                    city.id.as_str(),
                    &city.name,
                    city.local_name.as_deref().unwrap_or(""),
                ])
            },
        );
        let mut partners = Slots::new(
            &document.partners,
            |partner| partner.id.as_str(),
            |partner, keys| {
                keys.push(&[
                    partner.id.as_str(),
                    &partner.name,
                    partner.local_name.as_deref().unwrap_or(""),
                ])
            },
        );
        let mut store_names = Slots::new(
            &document.stores,
            |store| store.id.as_str(),
            |store, keys| keys.push(&[store.id.as_str(), &store.name]),
        );
        // A few dozen districts for a hundred thousand stores: each once.
        let mut districts = Keys::default();
        let mut district_slots: HashMap<&str, u32> = HashMap::new();
        let mut store_links = Vec::with_capacity(document.stores.len());
        let today = document.generated_at.date_naive();
        let deadline = document.program.display_vehicle_deadline;
        let mut store_facts = Vec::with_capacity(document.stores.len());
        for (i, store) in document.stores.iter().enumerate() {
            let late = crate::analysis::progress::schedule_slipped(store, today)
                || crate::analysis::progress::display_vehicle_late(store, deadline);
            store_facts.push(facts::of_store(store, late));
            // The snapshot has the positions of a store's city and partner.
            let city = match snapshot.store_city_index(i) {
                Some(city) => position(city),
                None => cities.slot(store.city.as_str(), || None),
            };
            let partner = match (store.operator.partner(), snapshot.store_partner_index(i)) {
                (None, _) => NONE,
                (Some(_), Some(partner)) => position(partner),
                (Some(id), None) => partners.slot(id.as_str(), || None),
            };
            let district = store.district.as_deref().map_or(NONE, |district| {
                *district_slots
                    .entry(district)
                    .or_insert_with(|| districts.push(&[district]))
            });
            store_links.push([city, partner, district]);
        }

        let findings = &analysis.findings;
        // One entry per feed warning id: findings with one key name the same.
        let mut feed_ids = Keys::default();
        let mut feed_slots: HashMap<&str, u32> = HashMap::new();
        let mut named = Vec::with_capacity(findings.len() * 4);
        let mut named_ends = Vec::with_capacity(findings.len());
        let mut finding_facts = Vec::with_capacity(findings.len());
        for finding in findings {
            finding_facts.push(facts::of_finding(finding));
            if let Origin::Feed { id, .. } = &finding.origin {
                let slot = *feed_slots
                    .entry(id.as_str())
                    .or_insert_with(|| feed_ids.push(&[id.as_str()]));
                named.push(Named::FeedWarning.tag(slot));
            }
            if let Some(city) = &finding.city {
                let slot = cities.slot(city.as_str(), || snapshot.city_index(city.as_str()));
                named.push(Named::City.tag(slot));
            }
            for store in &finding.stores {
                let slot =
                    store_names.slot(store.as_str(), || snapshot.store_index(store.as_str()));
                named.push(Named::Store.tag(slot));
            }
            for partner in &finding.partners {
                let slot = partners.slot(partner.as_str(), || {
                    snapshot.partner_index(partner.as_str())
                });
                named.push(Named::Partner.tag(slot));
            }
            named_ends.push(position(named.len()));
        }
        // Room asked for at the start and not used is given back.
        named.shrink_to_fit();

        let mut data_warnings = Keys::default();
        for warning in &snapshot.data_warnings {
            let record = warning.record.as_str();
            let name = snapshot
                .store(record)
                .map(|s| s.name.as_str())
                .or_else(|| snapshot.partner(record).map(|p| p.name.as_str()))
                .or_else(|| snapshot.city(record).map(|c| c.name.as_str()))
                .unwrap_or("");
            data_warnings.push(&[record, name, &warning.message]);
        }

        SearchIndex {
            id: NEXT_INDEX.fetch_add(1, Ordering::Relaxed),
            spellings: OnceLock::new(),
            finding_facts,
            store_facts,
            cities: cities.finish(),
            city_rows: analysis.cities.len().min(document.cities.len()),
            partners: partners.finish(),
            partner_rows: document.partners.len(),
            store_names: store_names.finish(),
            districts,
            store_links,
            feed_ids,
            named,
            named_ends,
            data_warnings,
        }
    }

    /// The heap memory the index holds, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.cities.heap_bytes()
            + self.partners.heap_bytes()
            + self.store_names.heap_bytes()
            + self.districts.heap_bytes()
            + self.store_links.capacity() * size_of::<[u32; 3]>()
            + self.feed_ids.heap_bytes()
            + (self.named.capacity() + self.named_ends.capacity()) * size_of::<u32>()
            + self.data_warnings.heap_bytes()
            + self.spellings.get().map_or(0, NameIndex::heap_bytes)
            + self.finding_facts.capacity()
            + self.store_facts.capacity()
    }

    /// How many rows `pane` lists (the change log's are not the index's: 0).
    pub(super) fn rows_of(&self, pane: Pane) -> usize {
        match pane {
            Pane::Cities | Pane::Map => self.city_rows,
            Pane::Partners => self.partner_rows,
            Pane::Stores => self.store_links.len(),
            Pane::Conflicts => self.named_ends.len(),
            Pane::DataWarnings => self.data_warnings.len(),
            Pane::Changes => 0,
        }
    }

    /// Finding `row`'s byte of [`facts`] (0 past the end).
    pub(super) fn finding_fact(&self, row: usize) -> u8 {
        self.finding_facts.get(row).copied().unwrap_or(0)
    }

    /// Store `row`'s byte of [`facts`] (unknown kind and phase past the end).
    pub(super) fn store_fact(&self, row: usize) -> u8 {
        self.store_facts.get(row).copied().unwrap_or(u8::MAX)
    }

    /// The document's cities and partners in every spelling: what `:city`
    /// and `:partner` look names up in. `snapshot` is the one this index
    /// was built from; its names are folded the first time they are asked for.
    pub fn spellings(&self, snapshot: &Snapshot) -> &NameIndex {
        self.spellings.get_or_init(|| NameIndex::new(snapshot))
    }

    /// The positions (in the cities or partners table) of the records
    /// whose id or any spelling holds `term` (lower-cased): a `city:` or
    /// `partner:` term. Ids the feed has no record for match by the id.
    pub(super) fn holding(&self, snapshot: &Snapshot, names: Names, term: &str) -> Marks {
        let keys = match names {
            Names::Cities => &self.cities,
            Names::Partners => &self.partners,
        };
        let mut found = self.spellings(snapshot).holding(names, term);
        if !term.contains('\0') {
            found.extend(keys.find(term));
        }
        Marks::of(&found, keys.len())
    }

    /// The document's stores whose id or name holds `needle` (lower-cased),
    /// in order: what `:store` offers when no id is typed whole.
    pub fn stores_holding(&self, needle: &str) -> Vec<u32> {
        if needle.contains('\0') {
            return Vec::new();
        }
        below(&self.store_names.find(needle), self.store_links.len())
    }

    /// The position (in the cities table) of the city finding `finding`
    /// names, [`NONE`] for none: what grouping by city groups by.
    pub(super) fn finding_city(&self, finding: usize) -> u32 {
        self.names(finding)
            .iter()
            .find(|&&named| named >> 30 == Named::City as u32)
            .map_or(NONE, |&named| named & (NONE >> 2))
    }

    /// The position of store `row`'s city in the cities table.
    pub(super) fn store_city(&self, row: usize) -> u32 {
        self.store_links.get(row).map_or(NONE, |links| links[0])
    }

    /// The position of store `row`'s partner in the partners table
    /// ([`NONE`] for a store Xiaomi runs).
    pub(super) fn store_partner(&self, row: usize) -> u32 {
        self.store_links.get(row).map_or(NONE, |links| links[1])
    }

    /// Whether finding `finding` names a city among `marks`.
    pub(super) fn names_city(&self, finding: usize, marks: &Marks) -> bool {
        self.names_tagged(finding, Named::City, marks)
    }

    /// Whether finding `finding` names a partner among `marks`.
    pub(super) fn names_partner(&self, finding: usize, marks: &Marks) -> bool {
        self.names_tagged(finding, Named::Partner, marks)
    }

    fn names_tagged(&self, finding: usize, tag: Named, marks: &Marks) -> bool {
        self.names(finding)
            .iter()
            .any(|&named| named >> 30 == tag as u32 && marks.has(named & (NONE >> 2)))
    }

    /// The rows of `pane` whose names or ids hold `needle` (lower-cased),
    /// exactly as the pane's `*_matches` function finds them row by row.
    /// When `previous` is this index's last search of the pane and
    /// `needle` holds its needle (one more key was typed), only what it
    /// found is searched again.
    ///
    /// `None` where the index cannot answer: the change log (not part of a
    /// snapshot, and at most `ui.change_log_size` rows) and a needle
    /// holding NUL (which parts the keys); filter those row by row.
    pub fn search(&self, pane: Pane, needle: &str, previous: Option<&Search>) -> Option<Search> {
        let pane = match pane {
            Pane::Changes => return None,
            Pane::Map => Pane::Cities,
            pane => pane,
        };
        if needle.contains('\0') {
            return None;
        }
        let previous = previous.filter(|p| {
            p.index == self.id
                && p.pane == pane
                && !p.needle.is_empty()
                && needle.contains(&*p.needle)
        });
        if let Some(previous) = previous
            && *previous.needle == *needle
        {
            return Some(previous.clone());
        }
        let mut search = Search {
            index: self.id,
            pane,
            needle: needle.into(),
            rows: Vec::new(),
            found: Found::default(),
        };
        if needle.is_empty() {
            let rows = match pane {
                Pane::Cities | Pane::Map => self.city_rows,
                Pane::Partners => self.partner_rows,
                Pane::Stores => self.store_links.len(),
                Pane::Conflicts => self.named_ends.len(),
                Pane::DataWarnings => self.data_warnings.len(),
                Pane::Changes => 0,
            };
            search.rows = (0..position(rows)).collect();
            return Some(search);
        }
        let before = previous.map(|p| &p.found);
        let find = |keys: &Keys, before: Option<&Vec<u32>>| match before {
            Some(records) => keys.narrow(records, needle),
            None => keys.find(needle),
        };
        let found = &mut search.found;
        search.rows = match pane {
            Pane::Cities | Pane::Map => {
                found.cities = find(&self.cities, before.map(|f| &f.cities));
                below(&found.cities, self.city_rows)
            }
            Pane::Partners => {
                found.partners = find(&self.partners, before.map(|f| &f.partners));
                below(&found.partners, self.partner_rows)
            }
            Pane::DataWarnings => {
                found.data_warnings = find(&self.data_warnings, before.map(|f| &f.data_warnings));
                found.data_warnings.clone()
            }
            Pane::Stores => {
                found.stores = find(&self.store_names, before.map(|f| &f.stores));
                found.districts = find(&self.districts, before.map(|f| &f.districts));
                found.cities = find(&self.cities, before.map(|f| &f.cities));
                found.partners = find(&self.partners, before.map(|f| &f.partners));
                let named = Marks::of(&found.stores, self.store_names.len());
                let district = Marks::of(&found.districts, self.districts.len());
                let city = Marks::of(&found.cities, self.cities.len());
                let partner = Marks::of(&found.partners, self.partners.len());
                let matches = |store: u32| {
                    let [in_city, run_by, in_district] = self.store_links[store as usize];
                    named.has(store)
                        || district.has(in_district)
                        || city.has(in_city)
                        || partner.has(run_by)
                };
                select(previous, self.store_links.len(), matches)
            }
            Pane::Conflicts => {
                found.stores = find(&self.store_names, before.map(|f| &f.stores));
                found.cities = find(&self.cities, before.map(|f| &f.cities));
                found.partners = find(&self.partners, before.map(|f| &f.partners));
                found.feed_ids = find(&self.feed_ids, before.map(|f| &f.feed_ids));
                // Indexed by the tag: city, store, partner, feed warning.
                let marks = [
                    Marks::of(&found.cities, self.cities.len()),
                    Marks::of(&found.stores, self.store_names.len()),
                    Marks::of(&found.partners, self.partners.len()),
                    Marks::of(&found.feed_ids, self.feed_ids.len()),
                ];
                let matches = |finding: u32| {
                    self.names(finding as usize)
                        .iter()
                        .any(|&named| marks[(named >> 30) as usize].has(named & (NONE >> 2)))
                };
                select(previous, self.named_ends.len(), matches)
            }
            Pane::Changes => Vec::new(),
        };
        Some(search)
    }

    /// What the finding at `finding` names, as tagged positions: findings
    /// with equal [`FindingKey`](super::FindingKey)s name the same (the
    /// converse need not hold).
    pub(super) fn names(&self, finding: usize) -> &[u32] {
        let Some(&end) = self.named_ends.get(finding) else {
            return &[];
        };
        let start = finding.checked_sub(1).map_or(0, |i| self.named_ends[i]);
        &self.named[start as usize..end as usize]
    }
}

impl fmt::Debug for SearchIndex {
    // The keys of 100,000 stores are no one's debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex")
            .field("id", &self.id)
            .field("cities", &self.cities.len())
            .field("partners", &self.partners.len())
            .field("stores", &self.store_names.len())
            .field("findings", &self.named_ends.len())
            .field("data_warnings", &self.data_warnings.len())
            .field("heap_bytes", &self.heap_bytes())
            .finish()
    }
}

/// What a [`SearchIndex`] found for one pane's filter: the rows, and the
/// records whose keys matched, which a longer filter searches again.
#[derive(Clone, PartialEq)]
pub struct Search {
    /// The [`SearchIndex::id`] searched.
    pub(super) index: u64,
    /// The pane searched (the map's is the cities').
    pub(super) pane: Pane,
    /// The lower-cased filter.
    pub(super) needle: Box<str>,
    /// The rows found, by position in the pane's source list, in order.
    pub(super) rows: Vec<u32>,
    /// The records whose keys hold the needle.
    found: Found,
}

impl Search {
    /// The rows found, by position in the pane's source list, in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.rows.iter().map(|&row| row as usize)
    }

    /// The lower-cased filter searched for.
    pub fn needle(&self) -> &str {
        &self.needle
    }
}

impl fmt::Debug for Search {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Search")
            .field("index", &self.index)
            .field("pane", &self.pane)
            .field("needle", &self.needle)
            .field("rows", &self.rows.len())
            .finish_non_exhaustive()
    }
}

/// The positions, in each of the index's key tables, of the records whose
/// keys hold a search's needle (the tables the pane reads; others empty).
#[derive(Clone, Debug, Default, PartialEq)]
struct Found {
    cities: Vec<u32>,
    partners: Vec<u32>,
    stores: Vec<u32>,
    districts: Vec<u32>,
    feed_ids: Vec<u32>,
    data_warnings: Vec<u32>,
}

/// The rows for which `matches` holds: of the previous search's rows when
/// narrowing it (a row the longer needle matches, the shorter matched),
/// else of all `rows`.
fn select(previous: Option<&Search>, rows: usize, matches: impl Fn(u32) -> bool) -> Vec<u32> {
    match previous {
        Some(previous) => previous
            .rows
            .iter()
            .copied()
            .filter(|&r| matches(r))
            .collect(),
        None => (0..position(rows)).filter(|&r| matches(r)).collect(),
    }
}

/// The positions in `found` (in order) below `rows`.
fn below(found: &[u32], rows: usize) -> Vec<u32> {
    let end = found.partition_point(|&r| (r as usize) < rows);
    found[..end].to_vec()
}

/// A position as the index keeps it.
pub(super) fn position(i: usize) -> u32 {
    // Positions of records held in memory: see `Named`.
    u32::try_from(i).unwrap_or(NONE)
}

/// One table's keys while the index is built: the document's records,
/// then an entry for each id named that the document has no record for.
struct Slots<'a> {
    keys: Keys,
    /// The document's records by the address and length of their id's
    /// text. An id a store or a finding names is most often that very
    /// text, shared within a parse: found so without hashing the text.
    by_address: HashMap<(usize, usize), u32>,
    /// The entries of ids the document has no record for.
    missing: HashMap<&'a str, u32>,
    /// Ids looked up lately ((address, length), position): the
    /// findings of a city name its few dozen stores again and again, and
    /// a hundred thousand stores' addresses do not stay in a cache.
    recent: Vec<((usize, usize), u32)>,
}

/// How many ids [`Slots::recent`] holds.
const RECENT: usize = 1024;

impl<'a> Slots<'a> {
    fn new<T>(
        records: &'a [T],
        id: impl Fn(&'a T) -> &'a str,
        fields: impl Fn(&'a T, &mut Keys) -> u32,
    ) -> Self {
        let mut keys = Keys::with_capacity(records.len(), records.len() * 48);
        let mut by_address = HashMap::with_capacity(records.len());
        for record in records {
            let slot = fields(record, &mut keys);
            by_address.insert(address(id(record)), slot);
        }
        Slots {
            keys,
            by_address,
            missing: HashMap::new(),
            // Address 0 is no text's: the empty lines match no id.
            recent: vec![((0, 0), 0); RECENT],
        }
    }

    /// The position of the record `id` names: the document's (by the
    /// address of the id's text, else as `known` looks it up), else the
    /// entry of the id itself, as the filter matches an id the feed has
    /// no record for.
    fn slot(&mut self, id: &'a str, known: impl FnOnce() -> Option<usize>) -> u32 {
        // Two ids at one address are one text: the same id.
        let at = address(id);
        // Texts are 8-byte aligned at least: the bits above tell them apart.
        let line = (at.0 >> 3) % RECENT;
        if self.recent[line].0 == at {
            return self.recent[line].1;
        }
        let slot = if let Some(&slot) = self.by_address.get(&at) {
            slot
        } else if let Some(known) = known() {
            position(known)
        } else {
            let keys = &mut self.keys;
            *self.missing.entry(id).or_insert_with(|| keys.push(&[id]))
        };
        self.recent[line] = (at, slot);
        slot
    }

    fn finish(mut self) -> Keys {
        self.keys.text.shrink_to_fit();
        self.keys.ends.shrink_to_fit();
        self.keys
    }
}

/// Where a text is in memory, and how long.
fn address(text: &str) -> (usize, usize) {
    (text.as_ptr() as usize, text.len())
}

/// Lower-cased keys of one kind of record, end to end in one string, so a
/// needle is looked for in the whole table at once. Each field ends with a
/// NUL, so that no match of a needle without one spans two fields.
#[derive(Clone, Default)]
struct Keys {
    text: String,
    /// Where each record's fields end in `text`.
    ends: Vec<usize>,
}

impl Keys {
    fn with_capacity(records: usize, bytes: usize) -> Self {
        Keys {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(records),
        }
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * size_of::<usize>()
    }

    /// Adds a record with these fields, folded as `contains_folded` folds
    /// them; returns its position.
    fn push(&mut self, fields: &[&str]) -> u32 {
        for field in fields {
            if field.is_ascii() {
                let start = self.text.len();
                self.text.push_str(field);
                self.text[start..].make_ascii_lowercase();
            } else {
                self.text.push_str(&field.to_lowercase());
            }
            self.text.push('\0');
        }
        self.ends.push(self.text.len());
        position(self.ends.len() - 1)
    }

    /// Record `r`'s fields.
    fn record(&self, r: u32) -> &str {
        let r = r as usize;
        &self.text[self.start(r)..self.ends[r]]
    }

    /// The records whose keys hold `needle` (without NUL), in order.
    fn find(&self, needle: &str) -> Vec<u32> {
        let mut found = Vec::new();
        let mut first = 0;
        // A block of records at a time: where no record of a block holds
        // the needle (most blocks, for a needle of a few letters), one
        // vectorised `contains` passes the block by. A match cannot span
        // two records, as no needle searched holds the NUL ending each.
        for block in self.ends.chunks(BLOCK) {
            let start = self.start(first);
            let end = block.last().copied().unwrap_or(start);
            if self.text[start..end].contains(needle) {
                for r in first..first + block.len() {
                    if self.record(position(r)).contains(needle) {
                        found.push(position(r));
                    }
                }
            }
            first += block.len();
        }
        found
    }

    /// Of `records` (in order), those whose keys hold `needle` (without NUL).
    fn narrow(&self, records: &[u32], needle: &str) -> Vec<u32> {
        // Most records still in: a search of the whole table skips faster.
        if records.len() > self.len() / 4 {
            return self.find(needle);
        }
        records
            .iter()
            .copied()
            .filter(|&r| self.record(r).contains(needle))
            .collect()
    }

    /// Where record `r`'s fields start in `text`.
    fn start(&self, r: usize) -> usize {
        if r == 0 { 0 } else { self.ends[r - 1] }
    }
}

/// A set of positions, one bit each.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Marks(Vec<u64>);

impl Marks {
    pub(super) fn of(positions: &[u32], len: usize) -> Self {
        let mut bits = vec![0u64; len.div_ceil(64)];
        for &p in positions {
            bits[p as usize / 64] |= 1 << (p % 64);
        }
        Marks(bits)
    }

    /// Whether `p` is in the set ([`NONE`] never is).
    pub(super) fn has(&self, p: u32) -> bool {
        self.0
            .get(p as usize / 64)
            .is_some_and(|bits| bits & (1 << (p % 64)) != 0)
    }
}

/// An index and the snapshot and analysis it was built from, held weakly:
/// a new snapshot is known by its allocation, which the weak reference
/// keeps from being reused.
#[derive(Clone, Debug)]
pub(super) struct IndexOf {
    pub(super) snapshot: Weak<Snapshot>,
    pub(super) analysis: Weak<Analysis>,
    pub(super) index: Arc<SearchIndex>,
}

impl IndexOf {
    pub(super) fn is_of(&self, fresh: &Fresh) -> bool {
        std::ptr::eq(self.snapshot.as_ptr(), Arc::as_ptr(&fresh.snapshot))
            && std::ptr::eq(self.analysis.as_ptr(), Arc::as_ptr(&fresh.analysis))
    }
}
