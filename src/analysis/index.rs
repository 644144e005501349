//! What concerns each city, partner and store: its findings, stores,
//! partners, cities and data warnings, as positions into the snapshot and
//! the analysis. Built once per snapshot, off the UI task, so that a
//! drill-down can count its rows and fetch the few on screen without
//! looking through every finding on each key.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::Analysis;
use crate::feed::snapshot::Snapshot;
use crate::feed::wire::{CityId, PartnerId, StoreId};

/// Positions of records about one city, partner or store, in display order.
pub type Positions = Vec<u32>;

/// Per-record lists of positions, for the drill-downs.
#[derive(Debug, Default)]
pub struct RecordIndex {
    /// Per city: its findings (positions in `analysis.findings`, worst first).
    findings_by_city: HashMap<CityId, Positions>,
    /// Per partner: the findings that name it.
    findings_by_partner: HashMap<PartnerId, Positions>,
    /// Per store: the findings that name it.
    findings_by_store: HashMap<StoreId, Positions>,
    /// Per city: its stores (positions in `document.stores`, feed order).
    stores_by_city: HashMap<CityId, Positions>,
    /// Per partner: the stores it operates (feed order).
    stores_by_partner: HashMap<PartnerId, Positions>,
    /// Per city: the partners that serve it, as [`Snapshot::partners_in`] lists them.
    partners_by_city: HashMap<CityId, Positions>,
    /// Per partner: the cities it lists that the feed has (positions in `document.cities`).
    cities_by_partner: HashMap<PartnerId, Positions>,
    /// Per record id: the data warnings about it (positions in
    /// `snapshot.data_warnings`); a city's include its stores'.
    warnings_by_record: HashMap<String, Positions>,
}

const NONE: &[u32] = &[];

/// A position as stored: the lists are far shorter than four billion.
fn pos(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl RecordIndex {
    /// Indexes one snapshot and its analysis: time linear in their size.
    pub fn of(snapshot: &Snapshot, analysis: &Analysis) -> Self {
        let mut index = RecordIndex::default();
        for (i, finding) in analysis.findings.iter().enumerate() {
            let i = pos(i);
            if let Some(city) = &finding.city {
                push(&mut index.findings_by_city, city, i);
            }
            for (n, partner) in finding.partners.iter().enumerate() {
                // A finding that names a partner twice is listed once.
                if !finding.partners[..n].contains(partner) {
                    push(&mut index.findings_by_partner, partner, i);
                }
            }
            for (n, store) in finding.stores.iter().enumerate() {
                if !finding.stores[..n].contains(store) {
                    push(&mut index.findings_by_store, store, i);
                }
            }
        }
        let document = &snapshot.document;
        for (i, store) in document.stores.iter().enumerate() {
            push(&mut index.stores_by_city, &store.city, pos(i));
            if let Some(partner) = store.operator.partner() {
                push(&mut index.stores_by_partner, partner, pos(i));
            }
        }
        index.partners_by_city = partners_by_city(snapshot);
        for partner in &document.partners {
            let cities = partner
                .cities
                .iter()
                .filter_map(|c| snapshot.city_index(c.as_str()))
                .map(pos)
                .collect();
            index
                .cities_by_partner
                .entry(partner.id.clone())
                .or_insert(cities);
        }
        for (i, warning) in snapshot.data_warnings.iter().enumerate() {
            let i = pos(i);
            push_record(&mut index.warnings_by_record, warning.record.as_str(), i);
            if let Some(store) = snapshot.store(warning.record.as_str())
                && store.city.as_str() != warning.record.as_str()
            {
                push_record(&mut index.warnings_by_record, store.city.as_str(), i);
            }
        }
        index
    }

    /// The findings about a city, worst first.
    pub fn city_findings(&self, city: &str) -> &[u32] {
        self.findings_by_city.get(city).map_or(NONE, Vec::as_slice)
    }

    /// The findings that name a partner, worst first.
    pub fn partner_findings(&self, partner: &str) -> &[u32] {
        self.findings_by_partner
            .get(partner)
            .map_or(NONE, Vec::as_slice)
    }

    /// The findings that name a store, worst first.
    pub fn store_findings(&self, store: &str) -> &[u32] {
        self.findings_by_store
            .get(store)
            .map_or(NONE, Vec::as_slice)
    }

    /// A city's stores, in feed order.
    pub fn city_stores(&self, city: &str) -> &[u32] {
        self.stores_by_city.get(city).map_or(NONE, Vec::as_slice)
    }

    /// The stores a partner operates, in feed order.
    pub fn partner_stores(&self, partner: &str) -> &[u32] {
        self.stores_by_partner
            .get(partner)
            .map_or(NONE, Vec::as_slice)
    }

    /// The partners that serve a city: those that list it, then those that
    /// operate a store there, in feed order.
    pub fn city_partners(&self, city: &str) -> &[u32] {
        self.partners_by_city.get(city).map_or(NONE, Vec::as_slice)
    }

    /// The cities a partner lists that are in the feed.
    pub fn partner_cities(&self, partner: &str) -> &[u32] {
        self.cities_by_partner
            .get(partner)
            .map_or(NONE, Vec::as_slice)
    }

    /// The data warnings about a record (a city's include its stores').
    pub fn record_warnings(&self, record: &str) -> &[u32] {
        self.warnings_by_record
            .get(record)
            .map_or(NONE, Vec::as_slice)
    }
}

fn push<K: Clone + Eq + std::hash::Hash>(map: &mut HashMap<K, Positions>, key: &K, i: u32) {
    match map.get_mut(key) {
        Some(list) => list.push(i),
        None => {
            map.insert(key.clone(), vec![i]);
        }
    }
}

fn push_record(map: &mut HashMap<String, Positions>, record: &str, i: u32) {
    match map.get_mut(record) {
        Some(list) => list.push(i),
        None => {
            map.insert(record.to_owned(), vec![i]);
        }
    }
}

/// For every city, [`Snapshot::partners_in`] as positions, in one pass over
/// the partners and the stores.
fn partners_by_city(snapshot: &Snapshot) -> HashMap<CityId, Positions> {
    let document = &snapshot.document;
    let mut by_city: HashMap<CityId, Positions> = HashMap::new();
    let mut seen: HashSet<(CityId, PartnerId)> = HashSet::new();
    for (i, partner) in document.partners.iter().enumerate() {
        for city in &partner.cities {
            if seen.insert((city.clone(), partner.id.clone())) {
                push(&mut by_city, city, pos(i));
            }
        }
    }
    for store in &document.stores {
        let Some(i) = store
            .operator
            .partner()
            .and_then(|id| snapshot.partner_index(id.as_str()))
        else {
            continue;
        };
        let partner = &document.partners[i];
        if seen.insert((store.city.clone(), partner.id.clone())) {
            push(&mut by_city, &store.city, pos(i));
        }
    }
    by_city
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::RulesConfig;
    use crate::feed::demo::DEMO_FEED_JSON;
    use crate::feed::server::SYNTHETIC_SEED;
    use crate::feed::synthetic;

    /// The index lists exactly what a scan of everything finds, in the same order.
    #[test]
    fn the_index_agrees_with_a_scan() {
        let demo = Snapshot::from_body(DEMO_FEED_JSON.as_bytes()).unwrap();
        let national = Snapshot::new(synthetic::generate(3000, SYNTHETIC_SEED));
        for snapshot in [demo, national] {
            let analysis = Analysis::of(&snapshot, &RulesConfig::default());
            let index = RecordIndex::of(&snapshot, &analysis);
            let document = &snapshot.document;
            let positions = |found: Vec<usize>| found.into_iter().map(pos).collect::<Vec<_>>();
            let findings = &analysis.findings;
            for city in &document.cities {
                let id = city.id.as_str();
                let scan = (0..findings.len())
                    .filter(|&i| findings[i].city.as_ref().is_some_and(|c| c.as_str() == id));
                assert_eq!(index.city_findings(id), positions(scan.collect()), "{id}");
                let stores =
                    (0..document.stores.len()).filter(|&i| document.stores[i].city == city.id);
                assert_eq!(index.city_stores(id), positions(stores.collect()), "{id}");
                let partners: Vec<usize> = snapshot
                    .partners_in(id)
                    .iter()
                    .map(|p| snapshot.partner_index(p.id.as_str()).unwrap())
                    .collect();
                assert_eq!(index.city_partners(id), positions(partners), "{id}");
            }
            for partner in &document.partners {
                let id = partner.id.as_str();
                let scan = (0..findings.len())
                    .filter(|&i| findings[i].partners.iter().any(|p| p.as_str() == id));
                assert_eq!(
                    index.partner_findings(id),
                    positions(scan.collect()),
                    "{id}"
                );
                let stores = (0..document.stores.len())
                    .filter(|&i| document.stores[i].operator.partner() == Some(&partner.id));
                assert_eq!(
                    index.partner_stores(id),
                    positions(stores.collect()),
                    "{id}"
                );
            }
            for store in &document.stores {
                let id = store.id.as_str();
                let scan = (0..findings.len()).filter(|&i| findings[i].stores.contains(&store.id));
                assert_eq!(index.store_findings(id), positions(scan.collect()), "{id}");
            }
        }
    }

    #[test]
    fn a_citys_data_warnings_include_its_stores() {
        let mut document: serde_json::Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
        document["stores"][0]["renovation"]["percent"] = serde_json::json!(150);
        let snapshot = Snapshot::from_body(document.to_string().as_bytes()).unwrap();
        let analysis = Analysis::of(&snapshot, &RulesConfig::default());
        let index = RecordIndex::of(&snapshot, &analysis);
        let store = &snapshot.document.stores[0];
        let about_store = index.record_warnings(store.id.as_str());
        assert!(!about_store.is_empty());
        for &w in about_store {
            assert!(index.record_warnings(store.city.as_str()).contains(&w));
        }
    }
}
