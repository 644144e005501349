//! `serve --simulate`: moves a rollout forward one step at a time, so a
//! long-running demo keeps changing while every step stays a valid document.
//!
//! [`step`] is a pure function of the document and the tick number (its
//! randomness is seeded from the tick), so the same start and the same ticks
//! always give the same rollout. Each step:
//!
//! - advances the feed's clock (`generated_at`) by [`CLOCK_PER_STEP`];
//! - moves a few stores along their build-out, one phase at most, keeping the
//!   percent inside the phase's band ([`phase_for`]); slipped stores are
//!   sometimes re-planned and open stores are sometimes closed for a refit,
//!   so the rollout never settles;
//! - every [`PARTNER_EVERY`] steps one partner's agreement moves on
//!   (prospect -> intention -> contract; a partner without stores may also
//!   end its contract and later be approached again);
//! - every [`CITY_EVERY`] steps one recruiting city's recruitment moves on
//!   (planned -> open -> shortlisting -> signed -> closed -> open for a new round);
//! - every [`CONFLICT_CYCLE`] steps a partner picks a 2S site right next to a
//!   direct store (a territory overlap, with a feed warning about it) at
//!   [`CONFLICT_APPEARS_AT`], and drops the site again at [`CONFLICT_CLEARS_AT`].
//!
//! When the clock passes the programme's display-vehicle deadline, the
//! deadline moves to the end of the current quarter, so late display cars
//! stay a matter of planning rather than of how long the demo has run.
//!
//! A user's `--data` file can hold any count and any date: counts saturate
//! at the top of a u32 and dates at the ends of what a feed time can name,
//! so a step never panics (debug builds check overflow) nor wraps a count
//! round to a few (release builds would).

use chrono::{Datelike, NaiveDate, TimeDelta};

use super::wire::{
    AgreementStage, Channel, Document, FeedWarning, Location, Operator, Phase, RecruitmentStatus,
    Renovation, Store, StoreId, StoreKind, Text, WarningId, WireSeverity, WireValue,
};

/// How far the feed's clock moves per step: an hour of rollout per step, so
/// dates pass (and schedules slip) at a pace a person watching can follow.
pub const CLOCK_PER_STEP: TimeDelta = TimeDelta::hours(1);

/// Steps between two partner agreement changes.
pub const PARTNER_EVERY: u64 = 4;

/// Steps between two city recruitment changes.
pub const CITY_EVERY: u64 = 5;

/// Length of the conflict cycle, in steps.
pub const CONFLICT_CYCLE: u64 = 20;

/// Step within the conflict cycle at which the overlapping 2S site appears.
pub const CONFLICT_APPEARS_AT: u64 = 4;

/// Step within the conflict cycle at which the overlapping 2S site is dropped.
pub const CONFLICT_CLEARS_AT: u64 = 12;

/// How far from the direct store the overlapping site is placed, in km:
/// under the default `critical_km` (1.0), so the finding is critical.
pub const CONFLICT_DISTANCE_KM: f64 = 0.7;

/// Id prefix of the simulated 2S sites; the cycle number follows.
pub const CONFLICT_STORE_PREFIX: &str = "sim-2s-";

/// Id prefix of the feed warnings about simulated sites; the cycle number follows.
pub const CONFLICT_WARNING_PREFIX: &str = "sim-w-";

/// Build-out bands in phase order: the lowest percent of each phase.
/// `open` is exactly 100.
const BANDS: [(Phase, f64); 7] = [
    (Phase::Planned, 0.0),
    (Phase::SiteSelected, 5.0),
    (Phase::Design, 15.0),
    (Phase::Construction, 30.0),
    (Phase::FitOut, 65.0),
    (Phase::DisplayVehicle, 85.0),
    (Phase::Open, 100.0),
];

/// The phase a build-out percent belongs to (planned 0-5, site_selected 5-15,
/// design 15-30, construction 30-65, fit_out 65-85, display_vehicle 85-99,
/// open 100).
pub fn phase_for(percent: f64) -> Phase {
    BANDS
        .iter()
        .rev()
        .find(|(_, low)| percent >= *low)
        .map_or(Phase::Planned, |(phase, _)| phase.clone())
}

/// Whether `percent` lies in `phase`'s band (band edges count for both sides).
pub fn percent_fits(phase: &Phase, percent: f64) -> bool {
    let Some(i) = BANDS.iter().position(|(p, _)| p == phase) else {
        return false;
    };
    if *phase == Phase::Open {
        return percent == 100.0;
    }
    let low = BANDS[i].1;
    let high = if BANDS[i + 1].0 == Phase::Open {
        99.0
    } else {
        BANDS[i + 1].1
    };
    (low..=high).contains(&percent)
}

/// Moves the rollout forward by one step; `tick` counts steps from 0.
pub fn step(doc: &mut Document, tick: u64) {
    let mut rng = fastrand::Rng::with_seed(tick.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x0A07_2024);
    // At the last moment a feed time can name, the clock stops there.
    if let Some(later) = doc.generated_at.checked_add_signed(CLOCK_PER_STEP) {
        doc.generated_at = later;
    }
    let today = doc.generated_at.date_naive();
    roll_deadline(doc, today);
    advance_stores(doc, &mut rng, today);
    if tick.is_multiple_of(PARTNER_EVERY) {
        advance_partner(doc, tick / PARTNER_EVERY, today);
    }
    if tick % CITY_EVERY == 2 {
        advance_city(doc, tick / CITY_EVERY, &mut rng, today);
    }
    let cycle = tick / CONFLICT_CYCLE;
    match tick % CONFLICT_CYCLE {
        CONFLICT_APPEARS_AT => open_overlapping_site(doc, cycle, today),
        CONFLICT_CLEARS_AT => drop_overlapping_site(doc, cycle),
        _ => {}
    }
}

/// Once the deadline has passed, the programme sets the next one: the end of
/// the current quarter.
fn roll_deadline(doc: &mut Document, today: NaiveDate) {
    if let Some(deadline) = doc.program.display_vehicle_deadline
        && today > deadline
    {
        doc.program.display_vehicle_deadline = Some(quarter_end(today));
    }
}

/// `days` after `date` (before it when negative), or the last (first) day
/// a date can name when that is out of reach.
fn days_after(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(TimeDelta::days(days))
        .unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// The last day of the quarter `date` is in.
fn quarter_end(date: NaiveDate) -> NaiveDate {
    let first_month_of_next = (date.month0() / 3 + 1) * 3 + 1;
    let next = if first_month_of_next > 12 {
        NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(date.year(), first_month_of_next, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or(date)
}

/// Moves a few random stores one stretch of build-out forward.
fn advance_stores(doc: &mut Document, rng: &mut fastrand::Rng, today: NaiveDate) {
    let count = doc.stores.len();
    if count == 0 {
        return;
    }
    let now = doc.generated_at;
    let deadline = doc.program.display_vehicle_deadline;
    for _ in 0..(count / 30).max(2) {
        let store = &mut doc.stores[rng.usize(..count)];
        let renovation = &mut store.renovation;
        // Data this simulation does not understand is left as the feed sent it.
        if !renovation.percent.is_finite() || !BANDS.iter().any(|(p, _)| *p == renovation.phase) {
            continue;
        }
        if renovation.phase == Phase::Open {
            // A store that has opened comes back now and then for a refit,
            // which keeps a long-running demo from settling with all open.
            if rng.u8(..10) == 0 {
                refit(renovation, rng, today, deadline);
                renovation.updated_at = Some(now);
            }
            continue;
        }
        build_on(renovation, rng, today, deadline);
        renovation.updated_at = Some(now);
    }
}

/// Closes an open store for a refit: back to design, with new dates.
fn refit(
    renovation: &mut Renovation,
    rng: &mut fastrand::Rng,
    today: NaiveDate,
    deadline: Option<NaiveDate>,
) {
    renovation.phase = Phase::Design;
    renovation.percent = f64::from(rng.u8(15..=20));
    // Tight on purpose: about half the refits finish late, so schedule
    // slips keep appearing (and clearing) however long the demo runs.
    let open = days_after(today, rng.i64(12..=30));
    renovation.planned_open = Some(open);
    renovation.display_vehicle_eta = Some(car_eta(open, rng.i64(3..=8), today, deadline));
}

/// When planners book the display car: `lead` days before opening, and no
/// later than the programme's deadline when that can still be met.
fn car_eta(open: NaiveDate, lead: i64, today: NaiveDate, deadline: Option<NaiveDate>) -> NaiveDate {
    let wanted = days_after(open, -lead);
    deadline
        .filter(|d| *d >= today)
        .map_or(wanted, |d| wanted.min(d))
        .max(today)
}

/// Advances an unopened build-out by a few percent, at most into the next phase.
fn build_on(
    renovation: &mut Renovation,
    rng: &mut fastrand::Rng,
    today: NaiveDate,
    deadline: Option<NaiveDate>,
) {
    let current = renovation.percent.round().clamp(0.0, 99.0);
    let band = BANDS
        .iter()
        .rposition(|(_, low)| current >= *low)
        .unwrap_or(0);
    // The top of the next phase: 100 from display_vehicle, else just under
    // the phase after next, so one step crosses at most one phase boundary.
    let cap = BANDS.get(band + 2).map_or(100.0, |(_, low)| low - 1.0);
    let mut next = (current + f64::from(rng.u8(3..=12))).min(cap);
    if band + 1 == BANDS.len() - 1 && next >= 99.0 {
        next = 100.0;
    }
    let before = renovation.phase.clone();
    renovation.percent = next;
    renovation.phase = phase_for(next);
    match renovation.phase {
        Phase::DisplayVehicle if before != Phase::DisplayVehicle => {
            // The display car has arrived: today, whatever was expected. A
            // store already past its date gets a new one now that the car
            // is in, rather than staying "car after opening" forever.
            renovation.display_vehicle_eta = Some(today);
            if renovation.planned_open.is_some_and(|d| d < today) {
                renovation.planned_open = Some(days_after(today, rng.i64(3..=10)));
            }
        }
        Phase::Open => {
            renovation.planned_open.get_or_insert(today);
        }
        _ => {
            // A store past its date is sometimes re-planned, so a slip can
            // clear without the store opening.
            if renovation.planned_open.is_some_and(|d| d < today) && rng.u8(..3) == 0 {
                let remaining = (100.0 - next) as i64;
                let open = days_after(today, remaining / 5 + rng.i64(2..=10));
                renovation.planned_open = Some(open);
                if renovation.phase != Phase::DisplayVehicle {
                    renovation.display_vehicle_eta =
                        Some(car_eta(open, rng.i64(3..=10), today, deadline));
                }
            }
        }
    }
}

/// The stage a partner's agreement moves to next, if it moves: forward
/// towards a contract, or, on the partner's own turn, out and back in.
fn next_stage(stage: &AgreementStage, runs_stores: bool, own_turn: bool) -> Option<AgreementStage> {
    match stage {
        AgreementStage::Prospect => Some(AgreementStage::Intention),
        AgreementStage::Intention => Some(AgreementStage::Contract),
        // Only a partner with no store in build-out may walk away, and be
        // approached again later: that keeps the cycle going without
        // orphaning stores. Only on its own turn, so the churn stays slow.
        AgreementStage::Contract if own_turn && !runs_stores => Some(AgreementStage::Terminated),
        AgreementStage::Terminated if own_turn && !runs_stores => Some(AgreementStage::Prospect),
        _ => None,
    }
}

/// Moves the partner whose turn it is, or else the next one that is on
/// its way to a contract.
fn advance_partner(doc: &mut Document, turn: u64, today: NaiveDate) {
    let count = doc.partners.len();
    if count == 0 {
        return;
    }
    let operators: std::collections::HashSet<&str> = doc
        .stores
        .iter()
        .filter_map(|s| s.operator.partner().map(|p| p.as_str()))
        .collect();
    let start = (turn % count as u64) as usize;
    let found = (0..count).map(|i| (start + i) % count).find_map(|i| {
        let partner = &doc.partners[i];
        let runs_stores = operators.contains(partner.id.as_str());
        next_stage(&partner.agreement.stage, runs_stores, i == start).map(|stage| (i, stage))
    });
    if let Some((i, stage)) = found {
        let agreement = &mut doc.partners[i].agreement;
        if matches!(stage, AgreementStage::Intention | AgreementStage::Contract) {
            agreement.signed_on = Some(today);
        }
        agreement.stage = stage;
    }
}

/// Moves the next recruiting city (in turn, from `turn`) one recruitment
/// status on; a closed recruitment reopens for a new round.
fn advance_city(doc: &mut Document, turn: u64, rng: &mut fastrand::Rng, today: NaiveDate) {
    let count = doc.cities.len();
    if count == 0 {
        return;
    }
    let start = (turn % count as u64) as usize;
    let Some(i) = (0..count).map(|i| (start + i) % count).find(|&i| {
        doc.cities[i]
            .recruitment
            .as_ref()
            .is_some_and(|r| RecruitmentStatus::KNOWN.contains(&r.status))
    }) else {
        return;
    };
    let Some(recruitment) = doc.cities[i].recruitment.as_mut() else {
        return;
    };
    recruitment.status = match recruitment.status {
        RecruitmentStatus::Planned => {
            recruitment.opened_on = Some(today);
            recruitment.applicants = Some(0);
            recruitment.shortlisted = Some(0);
            RecruitmentStatus::Open
        }
        RecruitmentStatus::Open => {
            let applicants = recruitment
                .applicants
                .unwrap_or(0)
                .saturating_add(rng.u32(2..=6));
            recruitment.applicants = Some(applicants);
            recruitment.shortlisted = Some(applicants.div_ceil(3));
            RecruitmentStatus::Shortlisting
        }
        RecruitmentStatus::Shortlisting => RecruitmentStatus::Signed,
        RecruitmentStatus::Signed => RecruitmentStatus::Closed,
        _ => {
            // A new round: the city wants one more agency store.
            recruitment.opened_on = Some(today);
            recruitment.target_stores =
                Some(recruitment.target_stores.unwrap_or(0).saturating_add(1));
            recruitment.applicants = Some(rng.u32(1..=4));
            recruitment.shortlisted = Some(0);
            RecruitmentStatus::Open
        }
    };
}

/// Where a simulated overlapping site can go: a recruiting city with a
/// direct store that has coordinates, and a signed partner listing the city.
fn overlap_candidates(doc: &Document) -> Vec<(usize, usize, usize)> {
    let mut direct_store: std::collections::HashMap<&str, usize> = Default::default();
    for (i, store) in doc.stores.iter().enumerate() {
        if store.channel == Channel::Direct && store.location.is_some() {
            direct_store.entry(store.city.as_str()).or_insert(i);
        }
    }
    let mut partner_for: std::collections::HashMap<&str, usize> = Default::default();
    for (i, partner) in doc.partners.iter().enumerate() {
        if matches!(
            partner.agreement.stage,
            AgreementStage::Intention | AgreementStage::Contract
        ) {
            for city in &partner.cities {
                partner_for.entry(city.as_str()).or_insert(i);
            }
        }
    }
    doc.cities
        .iter()
        .enumerate()
        .filter(|(_, city)| city.is_recruiting() && city.recruitment_status().is_known())
        .filter_map(|(c, city)| {
            let store = *direct_store.get(city.id.as_str())?;
            let partner = *partner_for.get(city.id.as_str())?;
            Some((c, store, partner))
        })
        .collect()
}

/// A partner picks a 2S site right next to a direct store: a territory
/// overlap the dashboard should flag, and a feed warning about it.
fn open_overlapping_site(doc: &mut Document, cycle: u64, today: NaiveDate) {
    let store_id = StoreId::new(&format!("{CONFLICT_STORE_PREFIX}{cycle}"));
    if doc.stores.iter().any(|s| s.id == store_id) {
        return;
    }
    let candidates = overlap_candidates(doc);
    if candidates.is_empty() {
        return;
    }
    let (c, s, p) = candidates[(cycle % candidates.len() as u64) as usize];
    let (city, direct, partner) = (&doc.cities[c], &doc.stores[s], &doc.partners[p]);
    let Some(at) = direct.location else {
        return;
    };
    // North-east of the direct store, CONFLICT_DISTANCE_KM away.
    let offset_deg = CONFLICT_DISTANCE_KM / 111.2 * std::f64::consts::FRAC_1_SQRT_2;
    let location = Location {
        lat: at.lat + offset_deg,
        lon: at.lon + offset_deg / at.lat.to_radians().cos().max(0.1),
    };
    let site = Store {
        id: store_id.clone(),
        city: city.id.clone(),
        kind: StoreKind::SalesService2s,
        channel: Channel::Agency,
        operator: Operator::Partner(partner.id.clone()),
        name: Text::new(&format!("{} pop-up 2S ({})", city.name, partner.name)),
        district: direct.district.clone(),
        location: Some(location),
        renovation: Renovation {
            phase: Phase::SiteSelected,
            percent: 10.0,
            planned_open: Some(days_after(today, 30)),
            display_vehicle_eta: None,
            updated_at: Some(doc.generated_at),
        },
    };
    let warning = FeedWarning {
        id: WarningId::new(&format!("{CONFLICT_WARNING_PREFIX}{cycle}")),
        severity: WireSeverity::Warning,
        kind: Some(Text::new("territory")),
        city: Some(city.id.clone()),
        stores: vec![store_id, direct.id.clone()],
        message: Text::new(&format!(
            "{} picked a 2S site {CONFLICT_DISTANCE_KM} km from direct store {}; under review",
            partner.name, direct.id
        )),
    };
    doc.stores.push(site);
    doc.warnings.push(warning);
}

/// The partner drops the overlapping site: the store goes, and so does every
/// mention of it, so no reference dangles.
fn drop_overlapping_site(doc: &mut Document, cycle: u64) {
    let store_id = format!("{CONFLICT_STORE_PREFIX}{cycle}");
    let warning_id = format!("{CONFLICT_WARNING_PREFIX}{cycle}");
    doc.stores.retain(|s| s.id.as_str() != store_id);
    doc.warnings.retain(|w| w.id.as_str() != warning_id);
    for warning in &mut doc.warnings {
        warning.stores.retain(|s| s.as_str() != store_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_match_the_phases() {
        assert_eq!(phase_for(0.0), Phase::Planned);
        assert_eq!(phase_for(4.0), Phase::Planned);
        assert_eq!(phase_for(5.0), Phase::SiteSelected);
        assert_eq!(phase_for(29.0), Phase::Design);
        assert_eq!(phase_for(65.0), Phase::FitOut);
        assert_eq!(phase_for(99.0), Phase::DisplayVehicle);
        assert_eq!(phase_for(100.0), Phase::Open);
        for percent in 0..=100 {
            let percent = f64::from(percent);
            assert!(percent_fits(&phase_for(percent), percent), "{percent}");
        }
        assert!(!percent_fits(&Phase::Open, 40.0));
    }

    #[test]
    fn quarter_ends() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(quarter_end(d(2024, 4, 1)), d(2024, 6, 30));
        assert_eq!(quarter_end(d(2024, 3, 31)), d(2024, 3, 31));
        assert_eq!(quarter_end(d(2024, 11, 2)), d(2024, 12, 31));
    }
}
