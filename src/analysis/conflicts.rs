//! The nine conflict rules of `feed-contract.md`.
//!
//! Everything is computed from the snapshot alone, with the feed's
//! `generated_at` as "now", so the same document always yields the same
//! findings. Pairs of stores are only looked for inside one city, through a
//! spatial grid and a district index, never by comparing every store with
//! every other: a national feed has tens of thousands of stores. Past
//! `rules.max_pairs_per_city` pairs of one rule in one city, the rest are
//! counted, not listed, and folded into one finding (see [`overlaps`]).

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::overlaps::{self, Folded, NONE, Pair, Search, Site};
use super::progress::{FindingCounts, display_vehicle_late, schedule_slipped, severity_rank};
use super::sentence::{Evidence, FoldedPairs, Overlap};
use super::{Finding, Origin, PartnerIds, Rule, Severity, StoreIds};
use crate::analysis::RulesConfig;
use crate::feed::snapshot::Snapshot;
use crate::feed::wire::{
    AgreementStage, Channel, CityId, Location, Partner, Store, StoreKind, Text, Tier,
};

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
/// Memory decides the shape: at national scale the findings are most of
/// what the analysis holds (293k of 176 bytes at 100k stores). They go into
/// one list per severity city by city, in city order, each city's sorted
/// by its keys, and the three lists are then joined in the largest one's
/// allocation. Merging per-city lists into a second one held every finding
/// twice at the peak; putting one list in severity order in place moved
/// findings to random places, and was most of this thread's time.
pub fn find_merged(snapshot: &Snapshot, rules: &RulesConfig, feed: Vec<Finding>) -> Vec<Finding> {
    find_counted(snapshot, rules, feed, || ()).0
}

/// [`find_merged`], with the findings counted for progress as they are
/// gathered (a city's list at once as it arrives), rather than in another
/// pass over them all after; and `meanwhile` run on this thread once the
/// city threads have started, while it would otherwise wait for them.
pub fn find_counted<'a, R>(
    snapshot: &'a Snapshot,
    rules: &RulesConfig,
    feed: Vec<Finding>,
    meanwhile: impl FnOnce() -> R,
) -> (Vec<Finding>, FindingCounts<'a>, R) {
    let engine = Engine::new(snapshot, rules);
    let mut counts = FindingCounts::default();
    // A feed finding counts for its city when the snapshot has that city
    // (progress has a row for no other).
    let count_feed = |counts: &mut FindingCounts<'a>, f: &Finding| {
        if let Some(city) = f.city.as_ref().and_then(|id| snapshot.city(id.as_str())) {
            counts.add_city(city.id.as_str(), 1, f.severity);
        }
    };
    let mut cities: Vec<(&CityId, Vec<&Store>)> = snapshot
        .stores_by_city()
        .map(|(city, stores)| (city, stores.collect()))
        .collect();
    cities.sort_unstable_by(|a, b| a.0.cmp(b.0));
    // The feed's findings by city (absent first); each city's keep their order.
    let mut feed = feed;
    feed.sort_by(|a, b| a.city.cmp(&b.city));
    let mut feed = feed.into_iter().peekable();

    let mut findings = BySeverity::default();
    // Partner-wide findings first: they have no city, which sorts first.
    for keyed in engine.partners() {
        findings.push(keyed.finding);
    }
    while let Some(f) = feed.next_if(|f| f.city.is_none()) {
        findings.push(f);
    }
    // Cities are independent: two threads find them, each every other city,
    // and this one takes their findings in city order as they come (a few
    // cities in flight, so the memory stays that of the one list).
    let workers = if cities.len() > 1 {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
    } else {
        1
    };
    let engine = &engine;
    let cities = &cities;
    let extra = std::thread::scope(|scope| {
        let receivers: Vec<_> = (0..workers)
            .map(|worker| {
                let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Finding>>(4);
                scope.spawn(move || {
                    for (city, stores) in cities.iter().skip(worker).step_by(workers) {
                        if send.send(city_findings(engine, city, stores)).is_err() {
                            return;
                        }
                    }
                });
                receive
            })
            .collect();
        // The threads fill their channels meanwhile.
        let extra = meanwhile();
        for (n, (city, _)) in cities.iter().enumerate() {
            let city: &'a CityId = city;
            // The feed's findings in cities without stores that sort before this one.
            while let Some(f) = feed.next_if(|f| f.city.as_ref() < Some(city)) {
                count_feed(&mut counts, &f);
                findings.push(f);
            }
            // A thread only stops early when it panicked: the scope says so.
            if let Ok(found) = receivers[n % workers].recv() {
                if let Some(worst) = found.iter().map(|f| f.severity).max() {
                    counts.add_city(city.as_str(), found.len(), worst);
                }
                for f in found {
                    findings.push(f);
                }
            }
            // Then this city's feed findings: a rule's origin sorts before the feed's.
            while let Some(f) = feed.next_if(|f| f.city.as_ref() == Some(city)) {
                count_feed(&mut counts, &f);
                findings.push(f);
            }
        }
        extra
    });
    for f in feed {
        count_feed(&mut counts, &f);
        findings.push(f);
    }
    counts.add_severities(findings.counts());
    (findings.into_list(), counts, extra)
}

/// One city's findings, in key order.
fn city_findings(engine: &Engine<'_>, city: &CityId, stores: &[&Store]) -> Vec<Finding> {
    let mut stores = stores.to_vec();
    // Sorted by id, a store's index is its rank among the city's stores.
    stores.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    let mut scope = CityScope::new(engine, city, &stores);
    scope.coverage();
    for rank in 0..stores.len() {
        scope.store(rank);
    }
    scope.overlaps();
    let found = scope.findings;
    // Keys are unique within a city: one finding per rule and store set.
    // Sorted as keys and positions, then each finding moved once: sorting
    // the findings themselves moved 190 bytes n log n times.
    let mut order: Vec<(SortKey, u32)> = found
        .iter()
        .enumerate()
        .map(|(n, keyed)| (keyed.key, n as u32))
        .collect();
    order.sort_unstable();
    let mut slots: Vec<Option<Finding>> = found.into_iter().map(|k| Some(k.finding)).collect();
    order
        .into_iter()
        .filter_map(|(_, n)| slots[n as usize].take())
        .collect()
}

/// Findings in one list per severity, each in the order pushed: joined,
/// a stable sort by severity (worst first) of all pushed, made with
/// sequential copies only.
#[derive(Default)]
struct BySeverity([Vec<Finding>; 3]);

impl BySeverity {
    fn push(&mut self, finding: Finding) {
        self.0[severity_rank(finding.severity)].push(finding);
    }

    /// How many of each severity, worst first.
    fn counts(&self) -> [usize; 3] {
        self.0.each_ref().map(Vec::len)
    }

    /// The lists one after another, in the largest one's allocation: the
    /// fewest findings move, and only the two smaller lists are held twice
    /// for a moment.
    fn into_list(self) -> Vec<Finding> {
        let [critical, warning, info] = self.0;
        let [c, w, i] = [critical.len(), warning.len(), info.len()];
        let mut all;
        if c >= w && c >= i {
            all = critical;
            all.reserve_exact(w + i);
            all.extend(warning);
        } else if w >= i {
            all = warning;
            all.reserve_exact(c + i);
            // One move of the warnings to make room, then the criticals in front.
            all.splice(0..0, critical);
        } else {
            all = info;
            all.reserve_exact(c + w);
            all.splice(0..0, critical.into_iter().chain(warning));
            return all;
        }
        all.extend(info);
        all
    }
}

/// Whether a partner meets one recruitment criterion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Met {
    /// It does.
    Yes,
    /// It does not.
    No,
    /// The feed says something this client does not know (a tier it has no
    /// word for): neither met nor failed.
    Unknown,
}

/// How a partner measures against the recruitment criteria: the one
/// decision behind `unqualified_partner` and the partner view's checklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Criteria {
    /// A national top-100 dealer group or a strong regional business.
    pub group: Met,
    /// Experience selling luxury or new-energy cars.
    pub experience: Met,
}

impl Criteria {
    /// The partner's criteria, as the feed states them.
    pub fn of(partner: &Partner) -> Self {
        let group = match partner.tier {
            Tier::Top100 | Tier::Regional => Met::Yes,
            Tier::Other => Met::No,
            Tier::Unknown(_) => Met::Unknown,
        };
        let experience = if partner.luxury_experience || partner.nev_experience {
            Met::Yes
        } else {
            Met::No
        };
        Criteria { group, experience }
    }

    /// Whether the partner fails a criterion (`unqualified_partner` fires
    /// for a contracted partner that does). A tier this client does not know
    /// fails nothing: the contract names `other`, and validation already
    /// reports the unknown tier as a data warning.
    pub fn failed(&self) -> bool {
        self.group == Met::No || self.experience == Met::No
    }
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

/// Severity (worst first), rule, and the ranks of the first two stores.
type SortKey = (Reverse<Severity>, Rule, u32, u32);

/// A finding with its sort key within its city: severity, rule and the
/// ranks of its first two stores, equivalent there to [`Finding::order_key`].
struct Keyed {
    key: SortKey,
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
            if !Criteria::of(partner).failed() {
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

    /// `territory_overlap` and `agency_overlap`: the first
    /// `max_pairs_per_city` pairs of each, and one finding for the rest.
    fn overlaps(&mut self) {
        let territory = self.enabled(Rule::TerritoryOverlap);
        let agency_pairs = self.enabled(Rule::AgencyOverlap);
        if !territory && !agency_pairs {
            return;
        }
        // Districts by number, in store id order.
        let mut districts: HashMap<Cow<str>, u32> = HashMap::new();
        let mut sites: Vec<Site> = Vec::new();
        for (rank, &store) in self.stores.iter().enumerate() {
            let agency = match store.channel {
                Channel::Agency => true,
                Channel::Direct => false,
                Channel::Unknown(_) => continue,
            };
            let district = district_key(store).map_or(NONE, |key| {
                let next = districts.len() as u32;
                *districts.entry(key).or_insert(next)
            });
            sites.push(Site {
                rank,
                store,
                agency,
                location: valid_location(store),
                district,
            });
        }
        let rules = self.engine.rules;
        let search = Search {
            overlap_km: rules.overlap_km,
            critical_km: rules.critical_km,
            cap: rules.max_pairs_per_city,
            territory,
            agency: agency_pairs,
        };
        let found = overlaps::search(&sites, &search);
        for (rule, found) in [Rule::TerritoryOverlap, Rule::AgencyOverlap]
            .into_iter()
            .zip(found)
        {
            for &pair in &found.listed {
                self.pair_finding(&sites, pair);
            }
            if let Some(folded) = found.folded {
                self.folded_finding(rule, &sites, found.listed.len(), folded);
            }
        }
    }

    /// What a pair's finding records of it.
    fn overlap(&self, pair: &Pair) -> Overlap {
        let rules = self.engine.rules;
        Overlap {
            km: pair.km,
            same_district: pair.same_district,
            overlap_km: rules.overlap_km,
            critical_km: rules.critical_km,
        }
    }

    /// The partners a pair's finding names: the agency store's operator,
    /// and for two agency stores both operators.
    fn pair_partners(sites: &[Site], pair: &Pair) -> PartnerIds {
        let (first, second) = (&sites[pair.first], &sites[pair.second]);
        // No list of its own: this runs for every pair listed.
        [Some(first.store), second.agency.then_some(second.store)]
            .into_iter()
            .flatten()
            .filter_map(|s| s.operator.partner().cloned())
            .collect()
    }

    fn pair_finding(&mut self, sites: &[Site], pair: Pair) {
        let (rule, severity) = if sites[pair.second].agency {
            (Rule::AgencyOverlap, Severity::Warning)
        } else if pair.critical(sites, self.engine.rules.critical_km) {
            (Rule::TerritoryOverlap, Severity::Critical)
        } else {
            (Rule::TerritoryOverlap, Severity::Warning)
        };
        let evidence = Evidence::Overlap(self.overlap(&pair));
        let ranks = [sites[pair.first].rank, sites[pair.second].rank];
        let partners = Self::pair_partners(sites, &pair);
        self.push(rule, severity, &ranks, partners, evidence);
    }

    /// One finding for the pairs of `rule` beyond the `listed` ones. It
    /// names the first of them (so it sorts right after the listed pairs)
    /// and has its severity: critical pairs come first, so the first folded
    /// pair is critical exactly when any folded pair is. When the search
    /// stopped before it knew, the finding is critical if it may hide one.
    fn folded_finding(&mut self, rule: Rule, sites: &[Site], listed: usize, folded: Folded) {
        let rules = self.engine.rules;
        let severity = match &folded.first {
            Some(pair) if pair.critical(sites, rules.critical_km) => Severity::Critical,
            None if folded.maybe_critical => Severity::Critical,
            _ => Severity::Warning,
        };
        let (ranks, partners) = match &folded.first {
            Some(pair) => (
                vec![sites[pair.first].rank, sites[pair.second].rank],
                Self::pair_partners(sites, pair),
            ),
            None => (Vec::new(), PartnerIds::new()),
        };
        let evidence = Evidence::Folded(Box::new(FoldedPairs {
            pairs: folded.pairs,
            exact: folded.exact,
            listed,
            first: folded.first.as_ref().map(|pair| self.overlap(pair)),
            stopped: folded.stopped,
            overlap_km: rules.overlap_km,
            critical_km: rules.critical_km,
        }));
        self.push(rule, severity, &ranks, partners, evidence);
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
    use super::*;

    /// Joined into whichever list is largest, the lists keep severity
    /// order and each its own order.
    #[test]
    fn by_severity_is_a_stable_sort_by_severity() {
        let finding = |severity, n: usize| Finding {
            origin: Origin::Rule(Rule::ScheduleSlip),
            severity,
            city: None,
            stores: smallvec::smallvec![crate::feed::wire::StoreId::new(&n.to_string())],
            partners: PartnerIds::new(),
            evidence: Evidence::Records,
        };
        let severities = [Severity::Info, Severity::Warning, Severity::Critical];
        for sizes in [
            [0, 0, 0],
            [5, 1, 2],
            [1, 5, 2],
            [1, 2, 5],
            [3, 3, 3],
            [0, 4, 0],
        ] {
            let mut pushed = Vec::new();
            let mut left = sizes;
            let mut n = 0;
            while left.iter().any(|&k| k > 0) {
                let s = n % 3;
                if left[s] > 0 {
                    left[s] -= 1;
                    pushed.push(finding(severities[s], n));
                }
                n += 1;
            }
            let mut by = BySeverity::default();
            for f in pushed.iter().cloned() {
                by.push(f);
            }
            assert_eq!(by.counts(), [sizes[2], sizes[1], sizes[0]]);
            let mut expected = pushed;
            expected.sort_by_key(|f| Reverse(f.severity));
            assert_eq!(by.into_list(), expected, "{sizes:?}");
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
