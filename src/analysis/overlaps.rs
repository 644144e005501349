//! The pair rules' search in one city: `territory_overlap` (an agency store
//! and a direct store) and `agency_overlap` (agency stores of two partners),
//! both "within `overlap_km` or in one district".
//!
//! Most cities have a few pairs: a spatial grid and a district index find
//! them all and every one is listed. A city whose stores pile up at one
//! point (a geocoder that fell back to the city centre) or in one district
//! has millions: there the search lists the first `cap` pairs of each rule
//! in the findings' own order (critical first, then by the stores' ids) and
//! counts the rest without listing them. Stores at one point are searched as
//! one node; a district's pairs are counted from its size, and so are those
//! of two grid cells whose points all lie within `overlap_km` of each other;
//! so time and memory grow with the stores, not with the pairs. A work limit
//! bounds what is left (thousands of distinct points near each other but not
//! all within `overlap_km`); where it cuts a search short, the result says so
//! and its count is a lower bound.

use std::cmp::Reverse;
use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, HashMap};

use super::conflicts::{EARTH_RADIUS_KM, distance_km};
use crate::feed::wire::{Location, Operator, Store};

/// No district (or no node): never equal to anything, itself included.
pub(super) const NONE: u32 = u32::MAX;

/// Work allowed per store of the city, in units of about one distance measured.
const WORK_PER_STORE: u64 = 256;
/// Work allowed per city besides, so that a small city's pairs are counted
/// exactly however they lie (about 2,000 stores pair by pair).
const WORK_PER_CITY: u64 = 1 << 21;

/// One store in the pair rules' view of a city. Sites are in rank (store id)
/// order, so a site's index orders pairs as the stores' ids do.
pub(super) struct Site<'a> {
    /// Its rank (index) among the city's stores.
    pub rank: usize,
    pub store: &'a Store,
    pub agency: bool,
    pub location: Option<Location>,
    /// Its district's number in the city, or [`NONE`].
    pub district: u32,
}

/// Two sites that overlap, in the order the finding names them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Pair {
    pub first: usize,
    pub second: usize,
    pub km: Option<f64>,
    pub same_district: bool,
}

impl Pair {
    /// Agency store first, then direct; two agency stores by id.
    fn new(sites: &[Site], i: usize, j: usize) -> Self {
        let km = sites[i]
            .location
            .zip(sites[j].location)
            .map(|(x, y)| distance_km(x, y));
        Pair::measured(sites, i, j, km)
    }

    /// [`Pair::new`] with the distance already measured.
    fn measured(sites: &[Site], i: usize, j: usize, km: Option<f64>) -> Self {
        let swap = match (sites[i].agency, sites[j].agency) {
            (true, false) => false,
            (false, true) => true,
            _ => j < i,
        };
        let (first, second) = if swap { (j, i) } else { (i, j) };
        let (a, b) = (&sites[first], &sites[second]);
        Pair {
            first,
            second,
            km,
            same_district: a.district != NONE && a.district == b.district,
        }
    }

    /// Whether the pair is a critical territory overlap.
    pub fn critical(&self, sites: &[Site], critical_km: f64) -> bool {
        !sites[self.second].agency && self.km.is_some_and(|km| km < critical_km)
    }
}

/// What the pair rules look for.
pub(super) struct Search {
    pub overlap_km: f64,
    pub critical_km: f64,
    /// Pairs listed per rule; the rest are folded.
    pub cap: usize,
    pub territory: bool,
    pub agency: bool,
}

/// What one rule found in the city.
#[derive(Debug, Default)]
pub(super) struct Found {
    /// The pairs listed one by one: the first of the rule's pairs in the
    /// findings' order, unless `folded` says the search stopped.
    pub listed: Vec<Pair>,
    /// The pairs beyond `listed`, when there are any.
    pub folded: Option<Folded>,
}

/// The pairs of one rule that are counted but not listed.
#[derive(Debug, PartialEq)]
pub(super) struct Folded {
    /// How many (at least this many when not `exact`).
    pub pairs: u64,
    pub exact: bool,
    /// The first of them in the findings' order; `None` when the search
    /// stopped at its work limit before it got there.
    pub first: Option<Pair>,
    /// The search stopped at its work limit: `listed` are real pairs but not
    /// necessarily the first.
    pub stopped: bool,
    /// It stopped while it was still looking for critical pairs, so the
    /// folded pairs may include some.
    pub maybe_critical: bool,
}

/// Both rules' pairs in one city: `[territory_overlap, agency_overlap]`.
pub(super) fn search(sites: &[Site], search: &Search) -> [Found; 2] {
    let limit = WORK_PER_STORE
        .saturating_mul(sites.len() as u64)
        .saturating_add(WORK_PER_CITY);
    search_within(sites, search, limit)
}

/// [`search`] with a given work limit (tests make it small).
pub(super) fn search_within(sites: &[Site], search: &Search, limit: u64) -> [Found; 2] {
    if let Some([territory, agency]) = everything(sites, search, limit) {
        return [territory, agency].map(|listed| Found {
            listed,
            folded: None,
        });
    }
    let index = Index::new(sites, search);
    let (totals, exact) = index.count(&mut Budget::new(limit));
    let want = search.cap.saturating_add(1);
    let mut found = [Found::default(), Found::default()];
    if search.territory {
        let listing = index.territory(&mut Budget::new(limit), want);
        found[0] = fold(listing, totals[0], exact, search.cap);
    }
    if search.agency {
        let listing = index.agency(&mut Budget::new(limit), want);
        found[1] = fold(listing, totals[1], exact, search.cap);
    }
    found
}

/// Whether a pair of sites is one a rule looks for: `Some(0)` territory,
/// `Some(1)` agency.
fn rule_of(search: &Search, a: &Site, b: &Site) -> Option<usize> {
    if a.agency && b.agency {
        (search.agency && a.store.operator != b.store.operator).then_some(1)
    } else {
        search.territory.then_some(0)
    }
}

/// Every pair of both rules, or `None` once a rule has more than `cap` or
/// the work passes `limit`: what nearly every city takes, and fast.
fn everything(sites: &[Site], search: &Search, limit: u64) -> Option<[Vec<Pair>; 2]> {
    let mut pairs = [Vec::new(), Vec::new()];
    if !sites.iter().any(|s| s.agency) {
        return Some(pairs);
    }
    let mut work = 0;
    let located: Vec<(Option<Location>, bool)> =
        sites.iter().map(|s| (s.location, s.agency)).collect();
    let finished = near_pairs(&located, search.overlap_km, &mut work, limit, |i, j, km| {
        if let Some(rule) = rule_of(search, &sites[i], &sites[j]) {
            pairs[rule].push(Pair::measured(sites, i, j, Some(km)));
            return pairs[rule].len() <= search.cap;
        }
        true
    });
    if !finished {
        return None;
    }
    // Same district: every pair the grid has not already found.
    let mut districts: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for (i, site) in sites.iter().enumerate().filter(|(_, s)| s.district != NONE) {
        let d = site.district as usize;
        if districts.len() <= d {
            districts.resize_with(d + 1, Default::default);
        }
        if site.agency {
            districts[d].0.push(i);
        } else {
            districts[d].1.push(i);
        }
    }
    for (agency, direct) in &districts {
        for (n, &a) in agency.iter().enumerate() {
            for &b in direct.iter().chain(&agency[n + 1..]) {
                work += 1;
                if work > limit {
                    return None;
                }
                let Some(rule) = rule_of(search, &sites[a], &sites[b]) else {
                    continue;
                };
                let pair = Pair::new(sites, a, b);
                if pair.km.is_some_and(|km| km <= search.overlap_km) {
                    continue; // the grid found it
                }
                pairs[rule].push(pair);
                if pairs[rule].len() > search.cap {
                    return None;
                }
            }
        }
    }
    Some(pairs)
}

/// Folds what the listing found beyond `cap` into one count.
fn fold(listing: Listing, total: u64, exact: bool, cap: usize) -> Found {
    let Listing {
        mut pairs,
        complete,
        maybe_critical,
    } = listing;
    if complete {
        // A listing that ran to its end found every pair: the count is its length.
        if pairs.len() <= cap {
            debug_assert!(!exact || total == pairs.len() as u64, "{total} counted");
            return Found {
                listed: pairs,
                folded: None,
            };
        }
        let first = pairs.pop();
        let listed = pairs.len() as u64;
        debug_assert!(!exact || total > listed, "{total} counted, {listed} listed");
        let pairs_folded = total.max(listed + 1) - listed;
        return Found {
            listed: pairs,
            folded: Some(Folded {
                pairs: pairs_folded,
                exact,
                first,
                stopped: false,
                maybe_critical: false,
            }),
        };
    }
    let listed = pairs.len() as u64;
    let rest = total.saturating_sub(listed);
    if exact && rest == 0 {
        // The count says the listing, cut short, had found them all anyway.
        return Found {
            listed: pairs,
            folded: None,
        };
    }
    Found {
        listed: pairs,
        folded: Some(Folded {
            pairs: rest,
            exact,
            first: None,
            stopped: true,
            maybe_critical,
        }),
    }
}

/// Work done against a limit.
struct Budget {
    used: u64,
    limit: u64,
}

impl Budget {
    fn new(limit: u64) -> Self {
        Budget { used: 0, limit }
    }

    /// Spends `units`; false once the limit is passed.
    fn spend(&mut self, units: u64) -> bool {
        self.used = self.used.saturating_add(units);
        self.used <= self.limit
    }
}

/// Sites that pair alike: a district's, or those at one point (a node).
#[derive(Default)]
struct Group {
    /// Agency sites, by index.
    agency: Vec<u32>,
    /// Direct sites, by index.
    direct: Vec<u32>,
    /// For each agency site, the position of the next one with another operator.
    other: Vec<u32>,
    /// Agency sites per operator, by operator.
    operators: Vec<(u32, u64)>,
}

impl Group {
    fn push(&mut self, index: usize, agency: bool) {
        let index = index as u32;
        if agency {
            self.agency.push(index);
        } else {
            self.direct.push(index);
        }
    }

    /// Fills in `other` and `operators`, with each site's operator number.
    fn finish(&mut self, operator_of: &[u32]) {
        let len = self.agency.len();
        let operator = |p: usize| operator_of[self.agency[p] as usize];
        self.other = vec![len as u32; len];
        for p in (0..len.saturating_sub(1)).rev() {
            self.other[p] = if operator(p + 1) != operator(p) {
                p as u32 + 1
            } else {
                self.other[p + 1]
            };
        }
        let mut operators: Vec<u32> = (0..len).map(operator).collect();
        operators.sort_unstable();
        for op in operators {
            match self.operators.last_mut() {
                Some((last, count)) if *last == op => *count += 1,
                _ => self.operators.push((op, 1)),
            }
        }
    }

    /// Territory pairs between this group's agency and `other`'s direct sites.
    fn territory_with(&self, other: &Group) -> u64 {
        self.agency.len() as u64 * other.direct.len() as u64
    }

    /// Agency pairs of two operators within the group.
    fn agency_within(&self) -> u64 {
        let pairs = |n: u64| n * n.saturating_sub(1) / 2;
        let same: u64 = self.operators.iter().map(|&(_, n)| pairs(n)).sum();
        pairs(self.agency.len() as u64) - same
    }

    /// Agency pairs of two operators between two groups; `work` counts the steps.
    fn agency_with(&self, other: &Group, work: &mut u64) -> u64 {
        let (a, b) = (&self.operators, &other.operators);
        let (mut i, mut j, mut same) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            *work += 1;
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    same += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        self.agency.len() as u64 * other.agency.len() as u64 - same
    }
}

/// Sites at one point in one district (or none).
struct Node {
    location: Location,
    district: u32,
    group: Group,
}

/// A grid whose cells are at least `max_km` high and wide, so that two
/// points within `max_km` sit in the same or neighbouring cells.
struct Cells {
    lat: f64,
    /// `None`: one column (near a pole, a huge radius, or the antimeridian).
    lon: Option<f64>,
}

impl Cells {
    fn new(locations: impl Iterator<Item = Location>, max_km: f64) -> Self {
        // Slack for rounding: a cell slightly too big costs nothing, too small misses pairs.
        const SLACK: f64 = 1.0 + 1e-9;
        let angle = max_km / EARTH_RADIUS_KM; // radians of arc
        // Distance is at least the latitude difference along a meridian.
        let lat = angle.to_degrees() * SLACK + 1e-12;
        // hav(d) >= cos(phi1) cos(phi2) hav(dlon), so with |phi| <= phi_max:
        // sin(dlon / 2) <= sin(d / 2) / cos(phi_max).
        let (mut min_lon, mut max_lon, mut max_abs_lat) = (f64::MAX, f64::MIN, 0.0_f64);
        for l in locations {
            min_lon = min_lon.min(l.lon);
            max_lon = max_lon.max(l.lon);
            max_abs_lat = max_abs_lat.max(l.lat.abs());
        }
        let sine = (angle / 2.0).sin() / max_abs_lat.to_radians().cos();
        let lon = (sine < 1.0 && max_lon - min_lon <= 180.0 && angle < std::f64::consts::PI)
            .then(|| (2.0 * sine.asin()).to_degrees() * SLACK + 1e-12);
        Cells { lat, lon }
    }

    fn of(&self, l: Location) -> (i64, i64) {
        let y = (l.lat / self.lat).floor() as i64;
        let x = self.lon.map_or(0, |w| (l.lon / w).floor() as i64);
        (y, x)
    }
}

/// Calls `found(i, j, km)` once for every unordered pair of located points
/// at most `max_km` apart of which at least one is agency (`points[k].1`),
/// until `found` returns false or the work passes `limit`; returns whether
/// it went through every pair.
///
/// Points go into a grid whose cells are at least `max_km` high and wide, so
/// a pair within range sits in the same or a neighbouring cell; each agency
/// point looks only at its 3×3 neighbourhood.
pub(super) fn near_pairs(
    points: &[(Option<Location>, bool)],
    max_km: f64,
    work: &mut u64,
    limit: u64,
    mut found: impl FnMut(usize, usize, f64) -> bool,
) -> bool {
    let located: Vec<(usize, Location)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, (loc, _))| loc.map(|l| (i, l)))
        .collect();
    if located.len() < 2 || !points.iter().any(|p| p.1 && p.0.is_some()) {
        return true;
    }
    let cells = Cells::new(located.iter().map(|&(_, l)| l), max_km);
    // The grid as a sorted list of (cell, point): a row of three neighbouring
    // cells is one contiguous range, found by binary search, with no hashing.
    let mut grid: Vec<((i64, i64), usize)> =
        located.iter().map(|&(i, l)| (cells.of(l), i)).collect();
    grid.sort_unstable();
    for &(i, li) in &located {
        if !points[i].1 {
            continue; // pairs are looked for from their agency side
        }
        let (y, x) = cells.of(li);
        for row in y - 1..=y + 1 {
            let start = grid.partition_point(|&(cell, _)| cell < (row, x - 1));
            let end = start + grid[start..].partition_point(|&(cell, _)| cell <= (row, x + 1));
            *work += (end - start) as u64;
            if *work > limit {
                return false;
            }
            for &(_, j) in &grid[start..end] {
                // Two agency points: only from the lower index, so once.
                if j == i || (points[j].1 && j < i) {
                    continue;
                }
                let Some(lj) = points[j].0 else { continue };
                let km = distance_km(li, lj);
                if km <= max_km && !found(i, j, km) {
                    return false;
                }
            }
        }
    }
    true
}

/// What a listing found, in the findings' order.
struct Listing {
    pairs: Vec<Pair>,
    /// False when the work limit stopped it before it had `want` pairs or
    /// had looked at every site.
    complete: bool,
    /// It stopped while looking for critical pairs.
    maybe_critical: bool,
}

/// The city's sites by district and by point, and a grid of the points: what
/// counting and listing without enumerating every pair need.
struct Index<'s, 'a> {
    sites: &'s [Site<'a>],
    search: &'s Search,
    districts: Vec<Group>,
    nodes: Vec<Node>,
    /// Each site's node, or [`NONE`] without a location.
    node_of: Vec<u32>,
    /// Each site's operator's number.
    operator_of: Vec<u32>,
    cells: Cells,
    /// (cell, district, node), sorted: a cell's nodes of one district are
    /// one run, which the search for pairs of other districts skips.
    grid: Vec<((i64, i64), u32, u32)>,
    /// The grid's occupied cells, in grid order, with their nodes counted.
    blocks: Vec<Block>,
}

/// One occupied grid cell: where its nodes lie and how many sites of each
/// kind they hold, so that the pairs between two cells whose points are all
/// within `overlap_km` of each other are counted without visiting them.
struct Block {
    cell: (i64, i64),
    /// Its entries in the grid.
    entries: std::ops::Range<usize>,
    /// The centre of its nodes' bounding box, and a distance no node is
    /// farther from it.
    centre: Location,
    radius_km: f64,
    agency: u64,
    direct: u64,
    /// Agency sites per operator.
    operators: Vec<(u32, u64)>,
    /// Agency and direct sites per district (districts only, not `NONE`).
    district_agency: Vec<(u32, u64)>,
    district_direct: Vec<(u32, u64)>,
    /// Agency sites per (district, operator).
    district_operators: Vec<((u32, u32), u64)>,
}

/// Σ a·b over the keys two sorted count lists share; `work` counts the steps.
fn shared<K: Ord + Copy>(a: &[(K, u64)], b: &[(K, u64)], work: &mut u64) -> u64 {
    let (mut i, mut j, mut sum) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        *work += 1;
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Σ n(n-1)/2 over a count list: pairs within each key.
fn within<K>(counts: &[(K, u64)]) -> u64 {
    counts.iter().map(|&(_, n)| pairs_of(n)).sum()
}

/// Unordered pairs among `n`.
fn pairs_of(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Sorted (key, count) from keys.
fn tally<K: Ord + Copy>(mut keys: Vec<K>) -> Vec<(K, u64)> {
    keys.sort_unstable();
    let mut counts: Vec<(K, u64)> = Vec::new();
    for key in keys {
        match counts.last_mut() {
            Some((last, n)) if *last == key => *n += 1,
            _ => counts.push((key, 1)),
        }
    }
    counts
}

impl Block {
    /// The cell's nodes, from the grid entries in `entries`.
    fn new(
        index_nodes: &[Node],
        operator_of: &[u32],
        grid: &[((i64, i64), u32, u32)],
        entries: std::ops::Range<usize>,
    ) -> Self {
        let nodes = || {
            grid[entries.clone()]
                .iter()
                .map(|e| &index_nodes[e.2 as usize])
        };
        let (mut south, mut north, mut west, mut east) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for node in nodes() {
            south = south.min(node.location.lat);
            north = north.max(node.location.lat);
            west = west.min(node.location.lon);
            east = east.max(node.location.lon);
        }
        let centre = Location {
            lat: (south + north) / 2.0,
            lon: (west + east) / 2.0,
        };
        // Along a parallel to the centre's longitude, then along the meridian
        // to its latitude: never shorter than the great circle. The parallel
        // is longest at the box's latitude nearest the equator.
        let nearest_equator = if south <= 0.0 && north >= 0.0 {
            0.0
        } else {
            south.abs().min(north.abs())
        };
        let radius_km = EARTH_RADIUS_KM * ((north - south) / 2.0).to_radians()
            + EARTH_RADIUS_KM
                * ((east - west) / 2.0).to_radians()
                * nearest_equator.to_radians().cos();
        let mut block = Block {
            cell: grid[entries.start].0,
            entries: entries.clone(),
            centre,
            radius_km,
            agency: 0,
            direct: 0,
            operators: Vec::new(),
            district_agency: Vec::new(),
            district_direct: Vec::new(),
            district_operators: Vec::new(),
        };
        let mut operators = Vec::new();
        let mut district_agency = Vec::new();
        let mut district_direct = Vec::new();
        let mut district_operators = Vec::new();
        for node in nodes() {
            let group = &node.group;
            block.agency += group.agency.len() as u64;
            block.direct += group.direct.len() as u64;
            for &site in &group.agency {
                let operator = operator_of[site as usize];
                operators.push(operator);
                if node.district != NONE {
                    district_agency.push(node.district);
                    district_operators.push((node.district, operator));
                }
            }
            if node.district != NONE {
                district_direct.extend(group.direct.iter().map(|_| node.district));
            }
        }
        block.operators = tally(operators);
        block.district_agency = tally(district_agency);
        block.district_direct = tally(district_direct);
        block.district_operators = tally(district_operators);
        block
    }

    /// Whether every point of this cell is within `max_km` of every point
    /// of `other` (with a margin for rounding).
    fn all_within(&self, other: &Block, max_km: f64) -> bool {
        let reach = self.radius_km + distance_km(self.centre, other.centre) + other.radius_km;
        reach.is_finite() && reach <= max_km * (1.0 - 1e-9) - 1e-9
    }

    /// Pairs between two cells' sites not in one district: [territory,
    /// agency]; with `other` the same cell, the unordered pairs within it.
    fn pairs(&self, other: &Block, same: bool, work: &mut u64) -> [u64; 2] {
        if same {
            let territory = self.agency * self.direct
                - shared(&self.district_agency, &self.district_direct, work);
            // Of two operators and not in one district: all, less those of one
            // operator, less those in one district, plus those in both (added
            // before the last subtraction, so that no step goes below zero).
            let agency = pairs_of(self.agency) - within(&self.operators)
                + within(&self.district_operators)
                - within(&self.district_agency);
            *work += (self.operators.len() + self.district_operators.len()) as u64;
            return [territory, agency];
        }
        let territory = self.agency * other.direct + other.agency * self.direct
            - shared(&self.district_agency, &other.district_direct, work)
            - shared(&other.district_agency, &self.district_direct, work);
        let agency = self.agency * other.agency - shared(&self.operators, &other.operators, work)
            + shared(&self.district_operators, &other.district_operators, work)
            - shared(&self.district_agency, &other.district_agency, work);
        [territory, agency]
    }
}

impl<'s, 'a> Index<'s, 'a> {
    fn new(sites: &'s [Site<'a>], search: &'s Search) -> Self {
        let mut districts: Vec<Group> = Vec::new();
        let mut nodes: Vec<Node> = Vec::new();
        let mut node_of = vec![NONE; sites.len()];
        // Operators by number: a partner's agency stores do not overlap each other.
        let mut operators: HashMap<&Operator, u32> = HashMap::new();
        let operator_of: Vec<u32> = sites
            .iter()
            .map(|site| {
                let next = operators.len() as u32;
                *operators.entry(&site.store.operator).or_insert(next)
            })
            .collect();
        // Nodes are numbered in the order of their first site (by id), so
        // everything below is independent of the order of the feed's records.
        let mut at: HashMap<(u64, u64, u32), u32> = HashMap::new();
        for (i, site) in sites.iter().enumerate() {
            if site.district != NONE {
                let d = site.district as usize;
                if districts.len() <= d {
                    districts.resize_with(d + 1, Group::default);
                }
                districts[d].push(i, site.agency);
            }
            if let Some(l) = site.location {
                let key = (l.lat.to_bits(), l.lon.to_bits(), site.district);
                let next = nodes.len() as u32;
                let n = *at.entry(key).or_insert(next);
                if n == next {
                    nodes.push(Node {
                        location: l,
                        district: site.district,
                        group: Group::default(),
                    });
                }
                nodes[n as usize].group.push(i, site.agency);
                node_of[i] = n;
            }
        }
        for group in districts
            .iter_mut()
            .chain(nodes.iter_mut().map(|n| &mut n.group))
        {
            group.finish(&operator_of);
        }
        let reach = search.overlap_km.max(search.critical_km);
        let cells = Cells::new(nodes.iter().map(|n| n.location), reach);
        let mut grid: Vec<((i64, i64), u32, u32)> = nodes
            .iter()
            .enumerate()
            .map(|(n, node)| (cells.of(node.location), node.district, n as u32))
            .collect();
        grid.sort_unstable();
        let mut blocks = Vec::new();
        let mut start = 0;
        while start < grid.len() {
            let end = start + grid[start..].partition_point(|e| e.0 == grid[start].0);
            blocks.push(Block::new(&nodes, &operator_of, &grid, start..end));
            start = end;
        }
        Index {
            sites,
            search,
            districts,
            nodes,
            node_of,
            operator_of,
            cells,
            grid,
            blocks,
        }
    }

    fn same_district(&self, n: u32, m: u32) -> bool {
        let d = self.nodes[n as usize].district;
        d != NONE && d == self.nodes[m as usize].district
    }

    /// Calls `visit(m, km)` for every node within `max_km` of node `n` (`n`
    /// itself included, at 0 km), leaving out `n`'s district when
    /// `other_districts`. False when the budget ran out.
    fn near(
        &self,
        n: u32,
        max_km: f64,
        other_districts: bool,
        budget: &mut Budget,
        mut visit: impl FnMut(u32, f64),
    ) -> bool {
        let node = &self.nodes[n as usize];
        let (y, x) = self.cells.of(node.location);
        let skip = if other_districts { node.district } else { NONE };
        for row in y - 1..=y + 1 {
            for column in x - 1..=x + 1 {
                let cell = (row, column);
                let start = self.grid.partition_point(|e| e.0 < cell);
                let end = start + self.grid[start..].partition_point(|e| e.0 == cell);
                let entries = &self.grid[start..end];
                let (left, right) = if skip == NONE {
                    (entries, &entries[entries.len()..])
                } else {
                    let from = entries.partition_point(|e| e.1 < skip);
                    let to = from + entries[from..].partition_point(|e| e.1 == skip);
                    (&entries[..from], &entries[to..])
                };
                if !budget.spend(1 + (left.len() + right.len()) as u64) {
                    return false;
                }
                for &(_, _, m) in left.iter().chain(right) {
                    let km = distance_km(node.location, self.nodes[m as usize].location);
                    if km <= max_km {
                        visit(m, km);
                    }
                }
            }
        }
        true
    }

    /// Pairs of each rule, counted without listing them: those in one
    /// district from the districts' sizes; the others between grid cells,
    /// from the cells' counts where every point of one is within
    /// `overlap_km` of every point of the other, else from pairs of nodes.
    /// False when the budget ran out and the counts are lower bounds.
    fn count(&self, budget: &mut Budget) -> ([u64; 2], bool) {
        let mut totals = [0u64; 2];
        for group in &self.districts {
            totals[0] += group.territory_with(group);
            totals[1] += group.agency_within();
        }
        let max_km = self.search.overlap_km;
        for (a, block) in self.blocks.iter().enumerate() {
            let (y, x) = block.cell;
            for cell in (y - 1..=y + 1).flat_map(|row| (x - 1..=x + 1).map(move |c| (row, c))) {
                let Ok(b) = self.blocks.binary_search_by_key(&cell, |b| b.cell) else {
                    continue;
                };
                if b < a {
                    continue; // each pair of cells once
                }
                let other = &self.blocks[b];
                let mut work = 1;
                if block.all_within(other, max_km) {
                    let [territory, agency] = block.pairs(other, a == b, &mut work);
                    totals[0] += territory;
                    totals[1] += agency;
                } else if !self.count_between(block, other, a == b, &mut totals, budget) {
                    return (totals, false);
                }
                if !budget.spend(work) {
                    return (totals, false);
                }
            }
        }
        (totals, true)
    }

    /// Adds the pairs of nodes of two cells (of one cell when `same`) that
    /// are within `overlap_km` and not in one district. False when the
    /// budget ran out.
    fn count_between(
        &self,
        block: &Block,
        other: &Block,
        same: bool,
        totals: &mut [u64; 2],
        budget: &mut Budget,
    ) -> bool {
        let max_km = self.search.overlap_km;
        let theirs = &self.grid[other.entries.clone()];
        for &(_, district, n) in &self.grid[block.entries.clone()] {
            let node = &self.nodes[n as usize];
            let group = &node.group;
            // Their nodes of another district (or none): skip n's own run.
            let (left, right) = if district == NONE {
                (theirs, &theirs[theirs.len()..])
            } else {
                let from = theirs.partition_point(|e| e.1 < district);
                let to = from + theirs[from..].partition_point(|e| e.1 == district);
                (&theirs[..from], &theirs[to..])
            };
            let mut work = 1 + (left.len() + right.len()) as u64;
            for &(_, _, m) in left.iter().chain(right) {
                if same && m < n {
                    continue; // each pair of nodes once
                }
                if m == n {
                    // Its sites are 0 km apart: each pair is one.
                    totals[0] += group.territory_with(group);
                    totals[1] += group.agency_within();
                    continue;
                }
                let them = &self.nodes[m as usize];
                if distance_km(node.location, them.location) <= max_km {
                    let theirs = &them.group;
                    totals[0] += group.territory_with(theirs) + theirs.territory_with(group);
                    totals[1] += group.agency_with(theirs, &mut work);
                }
            }
            if !budget.spend(work) {
                return false;
            }
        }
        true
    }

    /// Nodes within reach of node `n` and in another district (or none),
    /// with their distance, for each node asked about once.
    fn near_other<'c>(
        &self,
        n: u32,
        cache: &'c mut HashMap<u32, Vec<(u32, f64)>>,
        budget: &mut Budget,
    ) -> Option<&'c [(u32, f64)]> {
        let slot = match cache.entry(n) {
            Entry::Occupied(known) => return Some(known.into_mut()),
            Entry::Vacant(slot) => slot,
        };
        let mut near = Vec::new();
        if !self.near(n, self.search.overlap_km, true, budget, |m, km| {
            near.push((m, km));
        }) {
            return None;
        }
        near.sort_unstable_by_key(|&(m, _)| m);
        Some(slot.insert(near))
    }

    /// `territory_overlap`'s first `want` pairs: critical ones (under
    /// `critical_km`) by the agency store's id, then the direct store's;
    /// then the others in the same order.
    fn territory(&self, budget: &mut Budget, want: usize) -> Listing {
        let (sites, search) = (self.sites, self.search);
        let mut pairs = Vec::new();
        let stopped = |pairs, maybe_critical| Listing {
            pairs,
            complete: false,
            maybe_critical,
        };
        let agency = (0..sites.len()).filter(|&a| sites[a].agency);
        if search.critical_km > 0.0 {
            let mut critical: HashMap<u32, Vec<u32>> = HashMap::new();
            for a in agency.clone() {
                if pairs.len() >= want {
                    break;
                }
                let n = self.node_of[a];
                if n == NONE {
                    continue; // no distance, so never critical
                }
                let near = match critical.entry(n) {
                    Entry::Occupied(known) => known.into_mut(),
                    Entry::Vacant(slot) => {
                        // Under critical_km, and an overlap at all: within
                        // overlap_km or in one district.
                        let mut near = Vec::new();
                        if !self.near(n, search.critical_km, false, budget, |m, km| {
                            let overlap = km <= search.overlap_km || self.same_district(n, m);
                            let direct = !self.nodes[m as usize].group.direct.is_empty();
                            if km < search.critical_km && overlap && direct {
                                near.push(m);
                            }
                        }) {
                            return stopped(pairs, true);
                        }
                        near.sort_unstable();
                        slot.insert(near)
                    }
                };
                let cursors = near
                    .iter()
                    .map(|&m| Cursor::all(&self.nodes[m as usize].group.direct))
                    .collect();
                if !self.merge(a, cursors, want, &mut pairs, budget) {
                    return stopped(pairs, true);
                }
            }
        }
        let mut near_cache = HashMap::new();
        for a in agency {
            if pairs.len() >= want {
                break;
            }
            let site = &sites[a];
            let mut cursors = Vec::new();
            if site.district != NONE {
                let direct = &self.districts[site.district as usize].direct;
                cursors.push(Cursor {
                    skip_critical: true,
                    ..Cursor::all(direct)
                });
            }
            let n = self.node_of[a];
            if n != NONE {
                let Some(near) = self.near_other(n, &mut near_cache, budget) else {
                    return stopped(pairs, false);
                };
                cursors.extend(
                    near.iter()
                        .filter(|&&(_, km)| km >= search.critical_km)
                        .map(|&(m, _)| Cursor::all(&self.nodes[m as usize].group.direct)),
                );
            }
            if !self.merge(a, cursors, want, &mut pairs, budget) {
                return stopped(pairs, false);
            }
        }
        Listing {
            pairs,
            complete: true,
            maybe_critical: false,
        }
    }

    /// `agency_overlap`'s first `want` pairs, by the first store's id, then
    /// the second's.
    fn agency(&self, budget: &mut Budget, want: usize) -> Listing {
        let sites = self.sites;
        let mut pairs = Vec::new();
        let mut near_cache = HashMap::new();
        for a in (0..sites.len()).filter(|&a| sites[a].agency) {
            if pairs.len() >= want {
                break;
            }
            let operator = self.operator_of[a];
            let mut cursors = Vec::new();
            let district = sites[a].district;
            if district != NONE {
                let group = &self.districts[district as usize];
                cursors.push(Cursor::after(group, a, operator, &self.operator_of));
            }
            let n = self.node_of[a];
            if n != NONE {
                let Some(near) = self.near_other(n, &mut near_cache, budget) else {
                    return Listing {
                        pairs,
                        complete: false,
                        maybe_critical: false,
                    };
                };
                cursors.extend(near.iter().map(|&(m, _)| {
                    Cursor::after(
                        &self.nodes[m as usize].group,
                        a,
                        operator,
                        &self.operator_of,
                    )
                }));
            }
            if !self.merge(a, cursors, want, &mut pairs, budget) {
                return Listing {
                    pairs,
                    complete: false,
                    maybe_critical: false,
                };
            }
        }
        Listing {
            pairs,
            complete: true,
            maybe_critical: false,
        }
    }

    /// Adds the pairs of site `a` with the sites under `cursors` (sorted
    /// lists of disjoint sites), in site order, until there are `want`.
    /// False when the budget ran out.
    fn merge(
        &self,
        a: usize,
        mut cursors: Vec<Cursor>,
        want: usize,
        pairs: &mut Vec<Pair>,
        budget: &mut Budget,
    ) -> bool {
        let sites = self.sites;
        let mut heap: BinaryHeap<Reverse<(u32, usize)>> = cursors
            .iter()
            .enumerate()
            .filter_map(|(c, cursor)| cursor.peek().map(|site| Reverse((site, c))))
            .collect();
        if !budget.spend(1 + cursors.len() as u64) {
            return false;
        }
        while pairs.len() < want {
            let Some(Reverse((b, c))) = heap.pop() else {
                break;
            };
            if !budget.spend(1) {
                return false;
            }
            let cursor = &mut cursors[c];
            cursor.advance(&self.operator_of);
            if let Some(next) = cursor.peek() {
                heap.push(Reverse((next, c)));
            }
            let pair = Pair::new(sites, a, b as usize);
            if cursor.skip_critical && pair.critical(sites, self.search.critical_km) {
                continue; // listed with the critical ones
            }
            pairs.push(pair);
        }
        true
    }
}

/// A position in a sorted list of sites.
struct Cursor<'g> {
    list: &'g [u32],
    position: usize,
    /// For agency lists: next-other-operator positions, to skip the sites of
    /// `operator` (a partner's stores do not overlap each other).
    other: Option<&'g [u32]>,
    operator: u32,
    /// Leave out pairs under `critical_km` (a district's list, in the
    /// listing of the non-critical pairs).
    skip_critical: bool,
}

impl<'g> Cursor<'g> {
    fn all(list: &'g [u32]) -> Self {
        Cursor {
            list,
            position: 0,
            other: None,
            operator: NONE,
            skip_critical: false,
        }
    }

    /// The group's agency sites after site `a` run by another operator.
    fn after(group: &'g Group, a: usize, operator: u32, operator_of: &[u32]) -> Self {
        let mut cursor = Cursor {
            list: &group.agency,
            position: group.agency.partition_point(|&s| s as usize <= a),
            other: Some(&group.other),
            operator,
            skip_critical: false,
        };
        cursor.settle(operator_of);
        cursor
    }

    fn peek(&self) -> Option<u32> {
        self.list.get(self.position).copied()
    }

    fn advance(&mut self, operator_of: &[u32]) {
        self.position += 1;
        self.settle(operator_of);
    }

    /// Skips a run of `operator`'s sites in one step.
    fn settle(&mut self, operator_of: &[u32]) {
        if let (Some(other), Some(&site)) = (self.other, self.list.get(self.position))
            && operator_of[site as usize] == self.operator
        {
            self.position = other[self.position] as usize;
        }
    }
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
        let finished = near_pairs(points, max_km, &mut 0, u64::MAX, |i, j, _| {
            pairs.push((i.min(j), i.max(j)));
            true
        });
        assert!(finished);
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
    fn near_pairs_stops_when_asked_and_at_its_work_limit() {
        let points = vec![
            (
                Some(Location {
                    lat: 31.0,
                    lon: 121.0
                }),
                true
            );
            50
        ];
        let mut calls = 0;
        let finished = near_pairs(&points, 3.0, &mut 0, u64::MAX, |_, _, _| {
            calls += 1;
            calls < 10
        });
        assert!(!finished);
        assert_eq!(calls, 10);
        let mut work = 0;
        assert!(!near_pairs(&points, 3.0, &mut work, 100, |_, _, _| true));
        assert!(near_pairs(&points, 3.0, &mut 0, u64::MAX, |_, _, _| true));
    }

    /// Stores `0..n`, agency (of two operators) and direct in turn, at
    /// distinct points about 30 m apart within a few hundred metres, half
    /// of them in one district: many pairs, few of them at one point.
    fn crowded_stores(n: usize) -> Vec<Store> {
        (0..n)
            .map(|i| {
                let agency = i % 2 == 0;
                let store = serde_json::json!({
                    "id": format!("s{i:04}"),
                    "city": "alpha",
                    "kind": if agency { "sales_service_2s" } else { "xiaomi_home" },
                    "channel": if agency { "agency" } else { "direct" },
                    "operator": if agency { ["p1", "p2"][i / 2 % 2] } else { "xiaomi" },
                    "name": format!("Shop {i}"),
                    "district": if i % 4 < 2 { "Centre" } else { "" },
                    "location": {
                        "lat": 31.0 + (i / 20) as f64 * 0.0003,
                        "lon": 121.0 + (i % 20) as f64 * 0.0003,
                    },
                    "renovation": { "phase": "construction", "percent": 50 },
                });
                serde_json::from_value(store).unwrap()
            })
            .collect()
    }

    fn sites(stores: &[Store]) -> Vec<Site<'_>> {
        stores
            .iter()
            .enumerate()
            .map(|(rank, store)| Site {
                rank,
                store,
                agency: store.operator.partner().is_some(),
                location: store.location,
                district: if store.district.as_deref() == Some("Centre") {
                    0
                } else {
                    NONE
                },
            })
            .collect()
    }

    fn rules(cap: usize) -> Search {
        Search {
            overlap_km: 3.0,
            critical_km: 0.2,
            cap,
            territory: true,
            agency: true,
        }
    }

    /// Cut short by the work limit, the search still lists only real pairs
    /// and says its count is a lower bound: never a wrong count.
    #[test]
    fn a_search_cut_short_says_so_and_never_overcounts() {
        let stores = crowded_stores(240);
        let sites = sites(&stores);
        let all = search_within(&sites, &rules(usize::MAX), u64::MAX);
        let full = search_within(&sites, &rules(50), u64::MAX);
        let mut stopped = 0;
        for limit in [0, 10, 100, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000] {
            let found = search_within(&sites, &rules(50), limit);
            for rule in 0..2 {
                let truth = &all[rule].listed;
                assert!(all[rule].folded.is_none());
                let (listed, folded) = (&found[rule].listed, &found[rule].folded);
                assert!(listed.len() <= 50);
                for pair in listed {
                    assert!(truth.contains(pair), "{limit}: {pair:?} is not a pair");
                }
                let mut unique = listed.clone();
                unique.dedup_by_key(|p| (p.first, p.second));
                assert_eq!(unique.len(), listed.len());
                let folded = folded.as_ref().expect("more than 50 pairs are folded");
                let total = listed.len() as u64 + folded.pairs;
                // The crowd lies within a km, well within overlap_km: its
                // pairs are counted from the grid cells' counts, with little work.
                assert!(folded.exact || limit < 100, "{limit}: {folded:?}");
                if folded.exact {
                    assert_eq!(total, truth.len() as u64, "{limit}");
                } else {
                    assert!(total <= truth.len() as u64, "{limit}: {total}");
                }
                if folded.stopped {
                    stopped += 1;
                    assert_eq!(folded.first, None);
                    assert!(!folded.maybe_critical || rule == 0);
                } else {
                    assert_eq!(*listed, full[rule].listed, "{limit}");
                    assert_eq!(folded.first, full[rule].folded.as_ref().unwrap().first);
                }
            }
        }
        assert!(stopped > 0, "no limit was small enough to stop a listing");
        let last = &full[0].folded.as_ref().unwrap();
        assert!(last.exact && !last.stopped);
    }
}
