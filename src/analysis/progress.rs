//! Build-out progress per city and over the whole rollout.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Analysis, Finding, Severity};
use crate::feed::snapshot::Snapshot;
use crate::feed::wire::{AgreementStage, CityId, Phase, RecruitmentStatus, Store};

/// Whether a store is past its planned opening and not open (`schedule_slip`).
/// `today` is the feed's `generated_at` date; a missing date never counts.
pub fn schedule_slipped(store: &Store, today: NaiveDate) -> bool {
    store.renovation.phase != Phase::Open
        && store
            .renovation
            .planned_open
            .is_some_and(|planned| planned < today)
}

/// Whether a store's display car is due after its opening or after the
/// programme deadline (`display_vehicle_late`). A missing date never counts.
pub fn display_vehicle_late(store: &Store, deadline: Option<NaiveDate>) -> bool {
    let Some(eta) = store.renovation.display_vehicle_eta else {
        return false;
    };
    store.renovation.planned_open.is_some_and(|open| eta > open)
        || deadline.is_some_and(|deadline| eta > deadline)
}

/// A store's build-out percent, clamped to 0-100 for display and averages.
pub fn percent(store: &Store) -> f64 {
    let p = store.renovation.percent;
    if p.is_nan() { 0.0 } else { p.clamp(0.0, 100.0) }
}

/// One city's progress, as the cities pane and `report` show it.
#[derive(Clone, Debug, PartialEq)]
pub struct CityProgress {
    /// The city.
    pub city: CityId,
    /// Its recruitment status (`Planned` when absent).
    pub status: RecruitmentStatus,
    /// Partners serving it.
    pub partners: usize,
    /// Stores of every kind.
    pub stores_total: usize,
    /// Stores open.
    pub stores_open: usize,
    /// Average build-out percent over its stores (0 with no stores).
    pub avg_percent: f64,
    /// Stores late (schedule slipped or display car late).
    pub late: usize,
    /// Findings in the city: [`Analysis::findings_in`]'s count, our rules'
    /// findings and the feed's own warnings naming the city. The cities
    /// pane's badge, the city drill-down and `report` all show this number.
    pub conflicts: usize,
    /// The worst severity among the city's findings.
    pub worst: Option<Severity>,
}

/// Totals over the whole rollout, for the header.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Totals {
    /// Cities in the feed.
    pub cities: usize,
    /// Cities recruiting dealers (status other than planned).
    pub recruiting_cities: usize,
    /// Partners in the feed.
    pub partners: usize,
    /// Partners with an intention agreement or a contract.
    pub signed_partners: usize,
    /// Stores of every kind.
    pub stores_total: usize,
    /// Stores open.
    pub stores_open: usize,
    /// Average build-out over all stores.
    pub avg_percent: f64,
    /// Stores late.
    pub late: usize,
    /// Findings by severity: critical, warning, info.
    pub critical: usize,
    /// Warnings.
    pub warning: usize,
    /// Infos.
    pub info: usize,
}

/// What progress needs of the findings: how many name each city and the
/// worst among them, and how many there are of each severity.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FindingCounts<'a> {
    /// City id to its findings' count and worst severity.
    by_city: HashMap<&'a str, (usize, Option<Severity>)>,
    /// Findings by severity: critical, warning, info.
    by_severity: [usize; 3],
}

impl<'a> FindingCounts<'a> {
    /// Counts `findings` (in [`Finding::order_key`] order).
    pub fn of(findings: &'a [Finding]) -> Self {
        let mut counts = FindingCounts::default();
        // One pass over the findings, not one per city: national feeds have
        // thousands. Findings come sorted by severity, then city, so a
        // city's come in runs: tally a run, then add it to the city once.
        // What counts for a city is what `Analysis::findings_in` lists:
        // every finding naming it, the feed's warnings included.
        let mut run: Option<(&str, usize, Severity)> = None;
        for finding in findings {
            counts.by_severity[severity_rank(finding.severity)] += 1;
            let Some(city) = Analysis::city_of(finding) else {
                continue;
            };
            match &mut run {
                Some((current, conflicts, worst)) if *current == city.as_str() => {
                    *conflicts += 1;
                    *worst = (*worst).max(finding.severity);
                }
                _ => {
                    if let Some((city, n, worst)) =
                        run.replace((city.as_str(), 1, finding.severity))
                    {
                        counts.add_city(city, n, worst);
                    }
                }
            }
        }
        if let Some((city, n, worst)) = run {
            counts.add_city(city, n, worst);
        }
        counts
    }

    /// Adds `n` findings naming `city`, the worst of them `worst`.
    pub(super) fn add_city(&mut self, city: &'a str, n: usize, worst: Severity) {
        let entry = self.by_city.entry(city).or_default();
        entry.0 += n;
        entry.1 = entry.1.max(Some(worst));
    }

    /// Adds the counts by severity: critical, warning, info.
    pub(super) fn add_severities(&mut self, counts: [usize; 3]) {
        for (total, n) in self.by_severity.iter_mut().zip(counts) {
            *total += n;
        }
    }
}

/// The index of a severity in [`FindingCounts`]'s counts: worst first.
pub(super) fn severity_rank(severity: Severity) -> usize {
    match severity {
        Severity::Critical => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// Progress of every city, in the snapshot's order.
pub fn city_progress(snapshot: &Snapshot, findings: &[Finding]) -> Vec<CityProgress> {
    let mut cities = city_progress_of_stores(snapshot);
    add_city_findings(&mut cities, &FindingCounts::of(findings));
    cities
}

/// Progress of every city as its stores and partners make it, with no
/// findings counted yet ([`add_city_findings`] adds them): it needs the
/// snapshot alone, so the analysis works it out while the rules run.
pub fn city_progress_of_stores(snapshot: &Snapshot) -> Vec<CityProgress> {
    let today = snapshot.document.generated_at.date_naive();
    let deadline = snapshot.document.program.display_vehicle_deadline;
    let partners_per_city = partners_per_city(snapshot);
    snapshot
        .cities()
        .enumerate()
        .map(|(city_position, city)| {
            let mut total = 0;
            let mut open = 0;
            let mut late = 0;
            let mut sum = 0.0;
            for store in snapshot.stores_in(city.id.as_str()) {
                total += 1;
                sum += percent(store);
                open += usize::from(store.renovation.phase == Phase::Open);
                late += usize::from(
                    schedule_slipped(store, today) || display_vehicle_late(store, deadline),
                );
            }
            CityProgress {
                city: city.id.clone(),
                status: city.recruitment_status(),
                partners: partners_per_city.get(city_position).map_or(0, Vec::len),
                stores_total: total,
                stores_open: open,
                avg_percent: if total == 0 { 0.0 } else { sum / total as f64 },
                late,
                conflicts: 0,
                worst: None,
            }
        })
        .collect()
}

/// Sets each city's findings count and worst severity from `counts`.
pub fn add_city_findings(cities: &mut [CityProgress], counts: &FindingCounts<'_>) {
    for city in cities {
        let (conflicts, worst) = counts
            .by_city
            .get(city.city.as_str())
            .copied()
            .unwrap_or_default();
        city.conflicts = conflicts;
        city.worst = worst;
    }
}

/// The partners serving each city (listing it, or operating a store there),
/// by city position: one pass over partners and stores, not one per city.
fn partners_per_city(snapshot: &Snapshot) -> Vec<Vec<usize>> {
    let mut per_city: Vec<Vec<usize>> = vec![Vec::new(); snapshot.document.cities.len()];
    for (partner, record) in snapshot.partners().enumerate() {
        for city in &record.cities {
            if let Some(i) = snapshot.city_index(city.as_str()) {
                per_city[i].push(partner);
            }
        }
    }
    for store in 0..snapshot.document.stores.len() {
        if let (Some(i), Some(partner)) = (
            snapshot.store_city_index(store),
            snapshot.store_partner_index(store),
        ) {
            per_city[i].push(partner);
        }
    }
    for partners in &mut per_city {
        partners.sort_unstable();
        partners.dedup();
    }
    per_city
}

/// Totals over the whole snapshot.
pub fn totals(snapshot: &Snapshot, findings: &[Finding]) -> Totals {
    let mut totals = totals_of_stores(snapshot);
    add_total_findings(&mut totals, &FindingCounts::of(findings));
    totals
}

/// Totals of the cities, partners and stores, with no findings counted yet
/// ([`add_total_findings`] adds them).
pub fn totals_of_stores(snapshot: &Snapshot) -> Totals {
    let today = snapshot.document.generated_at.date_naive();
    let deadline = snapshot.document.program.display_vehicle_deadline;
    let mut totals = Totals::default();
    let mut sum = 0.0;
    for city in snapshot.cities() {
        totals.cities += 1;
        totals.recruiting_cities += usize::from(city.is_recruiting());
    }
    for partner in snapshot.partners() {
        totals.partners += 1;
        totals.signed_partners += usize::from(matches!(
            partner.agreement.stage,
            AgreementStage::Intention | AgreementStage::Contract
        ));
    }
    for store in snapshot.stores() {
        totals.stores_total += 1;
        totals.stores_open += usize::from(store.renovation.phase == Phase::Open);
        totals.late +=
            usize::from(schedule_slipped(store, today) || display_vehicle_late(store, deadline));
        sum += percent(store);
    }
    totals.avg_percent = if totals.stores_total == 0 {
        0.0
    } else {
        sum / totals.stores_total as f64
    };
    totals
}

/// Sets the totals' counts by severity from `counts`.
pub fn add_total_findings(totals: &mut Totals, counts: &FindingCounts<'_>) {
    [totals.critical, totals.warning, totals.info] = counts.by_severity;
}
