//! The nine conflict rules of `feed-contract.md`.
//!
//! Everything is computed from the snapshot alone, with the feed's
//! `generated_at` as "now", so the same document always yields the same
//! findings. Pairs of stores are only looked for inside one city, through a
//! spatial grid and a district index, never by comparing every store with
//! every other: a national feed has tens of thousands of stores.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::progress::{display_vehicle_late, schedule_slipped};
use super::sentence::{Evidence, Overlap};
use super::{Finding, Origin, PartnerIds, Rule, Severity, StoreIds};
use crate::config::RulesConfig;
use crate::feed::snapshot::Snapshot;
use crate::feed::wire::{AgreementStage, Channel, CityId, Location, Store, StoreKind, Text, Tier};

/// Mean earth radius (IUGG), in km: the radius the contract's distances use.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle (haversine) distance between two points, in km.
///
/// The result does not depend on the order of the arguments (bit for bit),
/// so every pass that measures a pair agrees on which side of a threshold it is.
pub fn distance_km(a: Location, b: Location) -> f64 {
    let (a, b) = if (a.lat, a.lon) <= (b.lat, b.lon) {
        (a, b)
    } else {
        (b, a)
    };
    let (phi1, phi2) = (a.lat.to_radians(), b.lat.to_radians());
    let half_dphi = (phi2 - phi1) / 2.0;
    let half_dlambda = (b.lon - a.lon).to_radians() / 2.0;
    let h = half_dphi.sin().powi(2) + phi1.cos() * phi2.cos() * half_dlambda.sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Every conflict the snapshot implies, already in [`Finding::order_key`] order.
///
/// The order is built from integer ranks per city rather than by comparing
/// ids: with a national feed the findings run into the hundreds of thousands.
pub fn find_conflicts(snapshot: &Snapshot, rules: &RulesConfig) -> Vec<Finding> {
    find_merged(snapshot, rules, Vec::new())
}

/// Every conflict, with `feed` (findings from the feed's own warnings,
/// sorted by [`Finding::order_key`]) merged in, all in that order.
///
/// The merge happens while the findings are moved into the one final list,
/// so each is moved once: merging afterwards moved hundreds of thousands of
/// findings again for a few hundred warnings.
pub fn find_merged(snapshot: &Snapshot, rules: &RulesConfig, feed: Vec<Finding>) -> Vec<Finding> {
    let engine = Engine::new(snapshot, rules);
    let mut buckets: Vec<(Option<&CityId>, Vec<Keyed>)> = vec![(None, engine.partners())];
    for (city, stores) in snapshot.stores_by_city() {
        let mut stores: Vec<&Store> = stores.collect();
        // Sorted by id, a store's index is its rank among the city's stores.
        stores.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let mut scope = CityScope::new(&engine, city, &stores);
        scope.coverage();
        for rank in 0..stores.len() {
            scope.store(rank);
        }
        scope.overlaps();
        let mut found = scope.findings;
        // Keys are unique within a city: one finding per rule and store set.
        found.sort_unstable_by_key(|k| k.key);
        buckets.push((Some(city), found));
    }
    // order_key: severity first, then city (absent first), then the rest.
    buckets.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let total = buckets.iter().map(|b| b.1.len()).sum::<usize>() + feed.len();
    let mut queues: Vec<_> = buckets
        .into_iter()
        .map(|(city, found)| (city, found.into_iter().peekable()))
        .collect();
    let mut feed = feed.into_iter().peekable();
    let mut findings = Vec::with_capacity(total);
    for severity in [Severity::Critical, Severity::Warning, Severity::Info] {
        for (city, queue) in &mut queues {
            let city = *city;
            // The feed's findings of this severity in cities before this one.
            while let Some(f) = feed.next_if(|f| f.severity == severity && f.city.as_ref() < city) {
                findings.push(f);
            }
            while let Some(keyed) = queue.next_if(|k| k.finding.severity == severity) {
                findings.push(keyed.finding);
            }
            // Then this city's: a rule's origin sorts before the feed's.
            while let Some(f) = feed.next_if(|f| f.severity == severity && f.city.as_ref() == city)
            {
                findings.push(f);
            }
        }
        // The feed's findings in cities after the last with stores.
        while let Some(f) = feed.next_if(|f| f.severity == severity) {
            findings.push(f);
        }
    }
    findings
}

/// Whether a store counts as a delivery center: a direct `delivery_center`.
/// An agency "delivery center" is a data warning, not the "1" of 1+N.
fn is_delivery_center(store: &Store) -> bool {
    store.kind == StoreKind::DeliveryCenter && store.channel == Channel::Direct
}

/// A usable position: validation reports coordinates outside the valid range,
/// and a distance measured from them would be meaningless.
fn valid_location(store: &Store) -> Option<Location> {
    store.location.filter(|l| {
        l.lat.is_finite()
            && l.lon.is_finite()
            && (-90.0..=90.0).contains(&l.lat)
            && (-180.0..=180.0).contains(&l.lon)
    })
}

/// A district as compared: trimmed and lower-cased; empty means none.
/// Borrowed when lower-casing changes nothing, as for most district names.
fn district_key(store: &Store) -> Option<Cow<'_, str>> {
    let trimmed = store.district.as_deref()?.trim();
    if trimmed.is_empty() {
        return None;
    }
    let unchanged = trimmed.chars().all(|c| {
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    });
    Some(if unchanged {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(trimmed.to_lowercase())
    })
}

/// A finding with its sort key within its city: severity, rule and the
/// ranks of its first two stores, equivalent there to [`Finding::order_key`].
struct Keyed {
    key: (Reverse<Severity>, Rule, u32, u32),
    finding: Finding,
}

/// What every rule needs: the snapshot, thresholds and the feed's "today".
struct Engine<'a> {
    snapshot: &'a Snapshot,
    rules: &'a RulesConfig,
    /// The UTC calendar date of `generated_at`.
    today: NaiveDate,
    deadline: Option<NaiveDate>,
    /// Partner id to the competitor brands it sells, as the feed spells them.
    competitors: HashMap<&'a str, Arc<[Text]>>,
}

impl<'a> Engine<'a> {
    fn new(snapshot: &'a Snapshot, rules: &'a RulesConfig) -> Self {
        let competitors = if rules.enabled(Rule::CompetitorBrand) {
            competitor_brands(snapshot, rules)
        } else {
            HashMap::new()
        };
        Engine {
            snapshot,
            rules,
            today: snapshot.document.generated_at.date_naive(),
            deadline: snapshot.document.program.display_vehicle_deadline,
            competitors,
        }
    }

    /// `unqualified_partner`: one finding per contracted partner that fails
    /// the criteria, sorted by [`Finding::order_key`].
    fn partners(&self) -> Vec<Keyed> {
        if !self.rules.enabled(Rule::UnqualifiedPartner) {
            return Vec::new();
        }
        let mut found = Vec::new();
        for partner in self.snapshot.partners() {
            if partner.agreement.stage != AgreementStage::Contract {
                continue;
            }
            let qualified = partner.tier != Tier::Other
                && (partner.luxury_experience || partner.nev_experience);
            if qualified {
                continue;
            }
            let severity = Severity::Warning;
            let rule = Rule::UnqualifiedPartner;
            found.push(Keyed {
                key: (Reverse(severity), rule, 0, 0),
                finding: Finding {
                    origin: Origin::Rule(rule),
                    severity,
                    city: None,
                    stores: StoreIds::new(),
                    partners: smallvec::smallvec![partner.id.clone()],
                    evidence: Evidence::Records,
                },
            });
        }
        // No stores to rank: the partner id decides, as in order_key.
        found.sort_by(|a, b| a.finding.order_key().cmp(&b.finding.order_key()));
        found
    }
}

/// The rules' view of one city: its stores sorted by id (index = rank) and
/// the findings so far.
struct CityScope<'e, 'a> {
    engine: &'e Engine<'a>,
    city: &'a CityId,
    stores: &'e [&'a Store],
    /// Whether the city recruits dealers; `None` for a city missing from the
    /// feed (validation reports that, not `outside_recruitment`).
    recruiting: Option<bool>,
    findings: Vec<Keyed>,
}

impl<'e, 'a> CityScope<'e, 'a> {
    fn new(engine: &'e Engine<'a>, city: &'a CityId, stores: &'e [&'a Store]) -> Self {
        CityScope {
            engine,
            city,
            stores,
            recruiting: engine
                .snapshot
                .city(city.as_str())
                .map(|record| record.is_recruiting()),
            findings: Vec::new(),
        }
    }

    fn enabled(&self, rule: Rule) -> bool {
        self.engine.rules.enabled(rule)
    }

    /// Records a finding on the stores with these ranks, in the order given.
    fn push(
        &mut self,
        rule: Rule,
        severity: Severity,
        ranks: &[usize],
        partners: PartnerIds,
        evidence: Evidence,
    ) {
        let rank = |n: usize| ranks.get(n).map_or(0, |&r| r as u32);
        self.findings.push(Keyed {
            key: (Reverse(severity), rule, rank(0), rank(1)),
            finding: Finding {
                origin: Origin::Rule(rule),
                severity,
                city: Some(self.city.clone()),
                stores: ranks.iter().map(|&r| self.stores[r].id.clone()).collect(),
                partners,
                evidence,
            },
        });
    }

    // ----- city rules ----------------------------------------------------

    /// `no_delivery_center` and `delivery_after_agency`.
    fn coverage(&mut self) {
        let stores = self.stores;
        // Ranks ascend, so these lists are sorted by id.
        let agency: Vec<usize> = (0..stores.len())
            .filter(|&r| stores[r].channel == Channel::Agency)
            .collect();
        if agency.is_empty() {
            return;
        }
        let centers: Vec<usize> = (0..stores.len())
            .filter(|&r| is_delivery_center(stores[r]))
            .collect();
        if centers.is_empty() {
            if self.enabled(Rule::NoDeliveryCenter) {
                self.no_delivery_center(&agency);
            }
            return;
        }
        if !self.enabled(Rule::DeliveryAfterAgency) {
            return;
        }
        // Earliest by date, then by rank (id), so ties do not depend on feed order.
        let earliest = |list: &[usize]| {
            list.iter()
                .filter_map(|&r| stores[r].renovation.planned_open.map(|d| (d, r)))
                .min()
        };
        let (Some((agency_date, first)), Some((center_date, center))) =
            (earliest(&agency), earliest(&centers))
        else {
            return;
        };
        if agency_date >= center_date {
            return;
        }
        let evidence = Evidence::DeliveryAfterAgency {
            agency_open: agency_date,
            center: stores[center].id.clone(),
            center_open: center_date,
        };
        let partners = stores[first]
            .operator
            .partner()
            .cloned()
            .into_iter()
            .collect();
        self.push(
            Rule::DeliveryAfterAgency,
            Severity::Warning,
            &[first],
            partners,
            evidence,
        );
    }

    fn no_delivery_center(&mut self, agency: &[usize]) {
        let stores = self.stores;
        let mut partners: PartnerIds = agency
            .iter()
            .filter_map(|&r| stores[r].operator.partner().cloned())
            .collect();
        partners.sort();
        partners.dedup();
        self.push(
            Rule::NoDeliveryCenter,
            Severity::Critical,
            agency,
            partners,
            Evidence::Records,
        );
    }

    // ----- store rules ---------------------------------------------------

    /// `schedule_slip`, `display_vehicle_late`, `competitor_brand` and
    /// `outside_recruitment` for the store of this rank.
    fn store(&mut self, rank: usize) {
        let store = self.stores[rank];
        let engine = self.engine;
        let agency = store.channel == Channel::Agency;
        // "its operator, if agency"
        let operator = || -> PartnerIds {
            if agency {
                store.operator.partner().cloned().into_iter().collect()
            } else {
                PartnerIds::new()
            }
        };
        if self.enabled(Rule::ScheduleSlip) && schedule_slipped(store, engine.today) {
            self.push(
                Rule::ScheduleSlip,
                Severity::Warning,
                &[rank],
                operator(),
                Evidence::Records,
            );
        }
        if self.enabled(Rule::DisplayVehicleLate) && display_vehicle_late(store, engine.deadline) {
            self.push(
                Rule::DisplayVehicleLate,
                Severity::Warning,
                &[rank],
                operator(),
                Evidence::Records,
            );
        }
        if !agency {
            return;
        }
        if self.enabled(Rule::CompetitorBrand)
            && let Some(partner) = store.operator.partner()
            && let Some(brands) = engine.competitors.get(partner.as_str())
        {
            let evidence = Evidence::CompetitorBrand {
                brands: Arc::clone(brands),
            };
            self.push(
                Rule::CompetitorBrand,
                Severity::Info,
                &[rank],
                operator(),
                evidence,
            );
        }
        if self.enabled(Rule::OutsideRecruitment) && self.recruiting == Some(false) {
            self.push(
                Rule::OutsideRecruitment,
                Severity::Warning,
                &[rank],
                operator(),
                Evidence::Records,
            );
        }
    }

    // ----- pair rules ----------------------------------------------------

    /// `territory_overlap` and `agency_overlap`: pairs within `overlap_km`
    /// from a grid, then same-district pairs the grid did not find.
    fn overlaps(&mut self) {
        let territory = self.enabled(Rule::TerritoryOverlap);
        let agency_pairs = self.enabled(Rule::AgencyOverlap);
        if !territory && !agency_pairs {
            return;
        }
        let mut sites: Vec<Site> = self
            .stores
            .iter()
            .enumerate()
            .filter_map(|(rank, &store)| {
                let agency = match store.channel {
                    Channel::Agency => true,
                    Channel::Direct => false,
                    Channel::Unknown(_) => return None,
                };
                Some(Site {
                    rank,
                    store,
                    agency,
                    location: valid_location(store),
                    district: None,
                })
            })
            .collect();
        if !sites.iter().any(|s| s.agency) {
            return;
        }
        // Districts by number, and their agency and direct sites.
        let mut ids: HashMap<Cow<str>, usize> = HashMap::new();
        let mut districts: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        for (i, site) in sites.iter_mut().enumerate() {
            let Some(key) = district_key(site.store) else {
                continue;
            };
            let next = ids.len();
            let id = *ids.entry(key).or_insert(next);
            if id == districts.len() {
                districts.push(Default::default());
            }
            site.district = Some(id);
            if site.agency {
                districts[id].0.push(i);
            } else {
                districts[id].1.push(i);
            }
        }
        let overlap_km = self.engine.rules.overlap_km;
        let wanted = |a: &Site, b: &Site| {
            if a.agency && b.agency {
                agency_pairs && a.store.operator != b.store.operator
            } else {
                territory
            }
        };
        let mut pairs: Vec<Pair> = Vec::new();
        let located: Vec<(Option<Location>, bool)> =
            sites.iter().map(|s| (s.location, s.agency)).collect();
        near_pairs(&located, overlap_km, |i, j, km| {
            if wanted(&sites[i], &sites[j]) {
                let same_district =
                    sites[i].district.is_some() && sites[i].district == sites[j].district;
                pairs.push(Pair::new(&sites, i, j, Some(km), same_district));
            }
        });
        // Same district: every pair the grid has not already found.
        let mut district_pair = |i: usize, j: usize| {
            if !wanted(&sites[i], &sites[j]) {
                return;
            }
            let km = match (sites[i].location, sites[j].location) {
                (Some(a), Some(b)) => Some(distance_km(a, b)),
                _ => None,
            };
            if km.is_some_and(|km| km <= overlap_km) {
                return; // the grid found it
            }
            pairs.push(Pair::new(&sites, i, j, km, true));
        };
        for (agency, direct) in &districts {
            for (n, &a) in agency.iter().enumerate() {
                for &d in direct {
                    district_pair(a, d);
                }
                for &b in &agency[n + 1..] {
                    district_pair(a, b);
                }
            }
        }
        for pair in pairs {
            self.pair_finding(&sites[pair.first], &sites[pair.second], pair);
        }
    }

    fn pair_finding(&mut self, first: &Site, second: &Site, pair: Pair) {
        let (a, b) = (first.store, second.store);
        let rules = self.engine.rules;
        let critical = !second.agency && pair.km.is_some_and(|km| km < rules.critical_km);
        let evidence = Evidence::Overlap(Overlap {
            km: pair.km,
            same_district: pair.same_district,
            overlap_km: rules.overlap_km,
            critical_km: rules.critical_km,
        });
        let ranks = [first.rank, second.rank];
        if second.agency {
            let partners = [a, b]
                .iter()
                .filter_map(|s| s.operator.partner().cloned())
                .collect();
            self.push(
                Rule::AgencyOverlap,
                Severity::Warning,
                &ranks,
                partners,
                evidence,
            );
        } else {
            let severity = if critical {
                Severity::Critical
            } else {
                Severity::Warning
            };
            let partners = a.operator.partner().cloned().into_iter().collect();
            self.push(Rule::TerritoryOverlap, severity, &ranks, partners, evidence);
        }
    }
}

/// One store in the pair rules' view of a city.
struct Site<'a> {
    /// Its rank (index) among the city's stores.
    rank: usize,
    store: &'a Store,
    agency: bool,
    location: Option<Location>,
    /// Its district's number in the city, if it names one.
    district: Option<usize>,
}

/// Two sites that overlap, in the order the finding names them.
#[derive(Clone, Copy)]
struct Pair {
    first: usize,
    second: usize,
    km: Option<f64>,
    same_district: bool,
}

impl Pair {
    /// Agency store first, then direct; two agency stores by id.
    fn new(sites: &[Site], i: usize, j: usize, km: Option<f64>, same_district: bool) -> Self {
        let swap = match (sites[i].agency, sites[j].agency) {
            (true, false) => false,
            (false, true) => true,
            _ => sites[j].rank < sites[i].rank,
        };
        let (first, second) = if swap { (j, i) } else { (i, j) };
        Pair {
            first,
            second,
            km,
            same_district,
        }
    }
}

/// Calls `found(i, j, km)` once for every unordered pair of located points
/// at most `max_km` apart of which at least one is agency (`points[k].1`).
///
/// Points go into a grid whose cells are at least `max_km` high and wide, so
/// a pair within range sits in the same or a neighbouring cell; each agency
/// point looks only at its 3×3 neighbourhood.
fn near_pairs(
    points: &[(Option<Location>, bool)],
    max_km: f64,
    mut found: impl FnMut(usize, usize, f64),
) {
    let located: Vec<(usize, Location)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, (loc, _))| loc.map(|l| (i, l)))
        .collect();
    if located.len() < 2 || !points.iter().any(|p| p.1 && p.0.is_some()) {
        return;
    }
    // Slack for rounding: a cell slightly too big costs nothing, too small misses pairs.
    const SLACK: f64 = 1.0 + 1e-9;
    let angle = max_km / EARTH_RADIUS_KM; // radians of arc
    // Distance is at least the latitude difference along a meridian.
    let cell_lat = angle.to_degrees() * SLACK + 1e-12;
    // hav(d) >= cos(phi1) cos(phi2) hav(dlon), so with |phi| <= phi_max:
    // sin(dlon / 2) <= sin(d / 2) / cos(phi_max).
    let (mut min_lon, mut max_lon, mut max_abs_lat) = (f64::MAX, f64::MIN, 0.0_f64);
    for (_, l) in &located {
        min_lon = min_lon.min(l.lon);
        max_lon = max_lon.max(l.lon);
        max_abs_lat = max_abs_lat.max(l.lat.abs());
    }
    let sine = (angle / 2.0).sin() / max_abs_lat.to_radians().cos();
    // One column when longitude cannot bound the distance (near a pole, a huge
    // radius) or the points straddle the antimeridian.
    let cell_lon = if sine < 1.0 && max_lon - min_lon <= 180.0 && angle < std::f64::consts::PI {
        Some((2.0 * sine.asin()).to_degrees() * SLACK + 1e-12)
    } else {
        None
    };
    let cell_of = |l: Location| -> (i64, i64) {
        let y = (l.lat / cell_lat).floor() as i64;
        let x = cell_lon.map_or(0, |w| (l.lon / w).floor() as i64);
        (y, x)
    };
    // The grid as a sorted list of (cell, point): a row of three neighbouring
    // cells is one contiguous range, found by binary search, with no hashing.
    let mut grid: Vec<((i64, i64), usize)> =
        located.iter().map(|&(i, l)| (cell_of(l), i)).collect();
    grid.sort_unstable();
    for &(i, li) in &located {
        if !points[i].1 {
            continue; // pairs are looked for from their agency side
        }
        let (y, x) = cell_of(li);
        for row in y - 1..=y + 1 {
            let start = grid.partition_point(|&(cell, _)| cell < (row, x - 1));
            let end = start + grid[start..].partition_point(|&(cell, _)| cell <= (row, x + 1));
            for &(_, j) in &grid[start..end] {
                // Two agency points: only from the lower index, so once.
                if j == i || (points[j].1 && j < i) {
                    continue;
                }
                let Some(lj) = points[j].0 else { continue };
                let km = distance_km(li, lj);
                if km <= max_km {
                    found(i, j, km);
                }
            }
        }
    }
}

/// Partner id to the competitor brands it sells (case-insensitive exact match).
fn competitor_brands<'a>(
    snapshot: &'a Snapshot,
    rules: &RulesConfig,
) -> HashMap<&'a str, Arc<[Text]>> {
    let listed: Vec<String> = rules
        .competitor_brands
        .iter()
        .map(|b| b.to_lowercase())
        .collect();
    let mut map = HashMap::new();
    for partner in snapshot.partners() {
        let mut matched: Vec<Text> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for brand in &partner.brands {
            let key = brand.to_lowercase();
            if listed.contains(&key) && !seen.contains(&key) {
                matched.push(brand.clone());
                seen.push(key);
            }
        }
        if !matched.is_empty() {
            map.insert(partner.id.as_str(), Arc::from(matched));
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn brute_force(points: &[(Option<Location>, bool)], max_km: f64) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        for i in 0..points.len() {
            for j in i + 1..points.len() {
                if let (Some(a), Some(b)) = (points[i].0, points[j].0)
                    && (points[i].1 || points[j].1)
                    && distance_km(a, b) <= max_km
                {
                    pairs.push((i, j));
                }
            }
        }
        pairs
    }

    fn grid(points: &[(Option<Location>, bool)], max_km: f64) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        near_pairs(points, max_km, |i, j, _| pairs.push((i.min(j), i.max(j))));
        pairs.sort_unstable();
        pairs
    }

    /// A "city": points within about 20 km of a centre anywhere on earth,
    /// often near a pole or the antimeridian, where the grid needs care.
    fn city() -> impl Strategy<Value = Vec<(Option<Location>, bool)>> {
        let centre = (
            prop_oneof![-90.0..=90.0f64, 60.0..=90.0f64, -90.0..=-60.0f64],
            prop_oneof![-180.0..=180.0f64, 179.9..=180.0f64, -180.0..=-179.9f64],
        );
        let offset = (
            proptest::option::weighted(0.9, (-20.0..20.0f64, -20.0..20.0f64)),
            any::<bool>(),
        );
        (centre, prop::collection::vec(offset, 0..80)).prop_map(|((lat0, lon0), offsets)| {
            offsets
                .into_iter()
                .map(|(km, agency)| {
                    let location = km.map(|(north_km, east_km)| {
                        let lat = (lat0 + north_km / 111.2).clamp(-90.0, 90.0);
                        let lon = lon0 + east_km / (111.2 * lat0.to_radians().cos().max(0.01));
                        let lon = (lon + 180.0).rem_euclid(360.0) - 180.0;
                        Location { lat, lon }
                    });
                    (location, agency)
                })
                .collect()
        })
    }

    proptest! {
        /// Near the poles, across the antimeridian, with any radius: the grid
        /// finds exactly the pairs that comparing everything finds.
        #[test]
        fn grid_finds_what_brute_force_finds(
            points in city(),
            max_km in prop_oneof![0.0..10.0f64, 0.0..100.0f64, 0.0..25_000.0f64],
        ) {
            prop_assert_eq!(grid(&points, max_km), brute_force(&points, max_km));
        }
    }

    #[test]
    fn distance_is_symmetric_and_known() {
        let nanjing_2s = Location {
            lat: 32.036,
            lon: 118.738,
        };
        let nanjing_home = Location {
            lat: 32.052,
            lon: 118.755,
        };
        let d = distance_km(nanjing_2s, nanjing_home);
        assert_eq!(d.to_bits(), distance_km(nanjing_home, nanjing_2s).to_bits());
        assert!((d - 2.39).abs() < 0.01, "{d}");
        let pole = Location {
            lat: 90.0,
            lon: 0.0,
        };
        let equator = Location {
            lat: 0.0,
            lon: 77.0,
        };
        let quarter = EARTH_RADIUS_KM * std::f64::consts::FRAC_PI_2;
        assert!((distance_km(pole, equator) - quarter).abs() < 1e-6);
    }
}
