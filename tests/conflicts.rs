//! The conflict engine (issue 3) against `feed-contract.md`, "Conflict rules
//! the dashboard computes": every rule fires where it should, its near misses
//! do not, and findings name what the contract says they name.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{Value, json};

use rollout_dash::analysis::RulesConfig;
use rollout_dash::analysis::conflicts::{EARTH_RADIUS_KM, distance_km, find_conflicts};
use rollout_dash::analysis::{Analysis, Evidence, Finding, Origin, Rule, Severity};
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::snapshot::{Snapshot, parse_document};
use rollout_dash::feed::wire::Location;
use rollout_dash::i18n::Lang;

// ----- building documents -------------------------------------------------

const GENERATED_AT: &str = "2024-02-20T08:00:00Z";
const LAT: f64 = 31.0;
const LON: f64 = 121.0;

fn city(id: &str, status: Option<&str>) -> Value {
    let mut city = json!({
        "id": id,
        "name": format!("City {id}"),
        "location": { "lat": LAT, "lon": LON },
    });
    if let Some(status) = status {
        city["recruitment"] = json!({ "status": status });
    }
    city
}

/// A qualified, contracted partner that sells nothing on the competitor list.
fn partner(id: &str) -> Value {
    json!({
        "id": id,
        "name": format!("Group {id}"),
        "tier": "top100",
        "brands": ["Audi", "Toyota"],
        "luxury_experience": true,
        "nev_experience": true,
        "agreement": { "stage": "contract" },
        "cities": ["alpha"],
    })
}

fn store(id: &str, kind: &str, channel: &str, operator: &str) -> Value {
    json!({
        "id": id,
        "city": "alpha",
        "kind": kind,
        "channel": channel,
        "operator": operator,
        "name": format!("Shop {id}"),
        "renovation": { "phase": "construction", "percent": 50 },
    })
}

fn agency(id: &str, partner: &str) -> Value {
    store(id, "sales_service_2s", "agency", partner)
}

fn home(id: &str) -> Value {
    store(id, "xiaomi_home", "direct", "xiaomi")
}

fn center(id: &str) -> Value {
    store(id, "delivery_center", "direct", "xiaomi")
}

/// Sets a field; `renovation.x` reaches into the renovation.
fn with(mut value: Value, key: &str, field: Value) -> Value {
    match key.split_once('.') {
        Some((outer, inner)) => value[outer][inner] = field,
        None => value[key] = field,
    }
    value
}

fn at(store: Value, lat: f64, lon: f64) -> Value {
    with(store, "location", json!({ "lat": lat, "lon": lon }))
}

fn district(store: Value, name: &str) -> Value {
    with(store, "district", json!(name))
}

/// A point `km` due north of (LAT, LON): along a meridian, so exactly that far.
fn north(km: f64) -> (f64, f64) {
    (LAT + (km / EARTH_RADIUS_KM).to_degrees(), LON)
}

/// A document with one recruiting city `alpha` that has a delivery center far
/// away (so the city rules stay quiet), partners `p1` and `p2`, and `stores`.
fn document(stores: Vec<Value>) -> Value {
    let mut all = vec![at(district(center("dc-far"), "Faraway"), LAT + 1.0, LON)];
    all.extend(stores);
    json!({
        "schema_version": 1,
        "generated_at": GENERATED_AT,
        "program": { "name": "test", "display_vehicle_deadline": "2024-03-31" },
        "cities": [city("alpha", Some("open"))],
        "partners": [partner("p1"), partner("p2")],
        "stores": all,
    })
}

fn snapshot(doc: &Value) -> Snapshot {
    let body = serde_json::to_vec(doc).unwrap();
    Snapshot::new(parse_document(&body).unwrap())
}

/// A finding with its sentence written from its snapshot, as a reader gets it.
#[derive(Debug, PartialEq)]
struct Found {
    finding: Finding,
    message: String,
}

impl std::ops::Deref for Found {
    type Target = Finding;
    fn deref(&self) -> &Finding {
        &self.finding
    }
}

fn analyse_with(doc: &Value, rules: &RulesConfig) -> Vec<Found> {
    let snapshot = snapshot(doc);
    let mut findings = find_conflicts(&snapshot, rules);
    findings.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    findings
        .into_iter()
        .map(|finding| Found {
            message: finding.message(&snapshot, Lang::En),
            finding,
        })
        .collect()
}

fn analyse(doc: &Value) -> Vec<Found> {
    analyse_with(doc, &RulesConfig::default())
}

fn of(findings: &[Found], rule: Rule) -> Vec<&Found> {
    findings
        .iter()
        .filter(|f| f.origin == Origin::Rule(rule))
        .collect()
}

/// What a finding names: severity, city, stores, partners.
fn named(f: &Finding) -> (Severity, Option<&str>, Vec<&str>, Vec<&str>) {
    (
        f.severity,
        f.city.as_ref().map(|c| c.as_str()),
        f.stores.iter().map(|s| s.as_str()).collect(),
        f.partners.iter().map(|p| p.as_str()).collect(),
    )
}

/// The one finding of `rule`, failing with every finding when there is not exactly one.
fn single(findings: &[Found], rule: Rule) -> &Found {
    let found = of(findings, rule);
    assert_eq!(found.len(), 1, "{rule:?}: {findings:#?}");
    found[0]
}

fn none_of(findings: &[Found], rule: Rule) {
    assert!(of(findings, rule).is_empty(), "{rule:?}: {findings:#?}");
}

// ----- territory_overlap ---------------------------------------------------

#[test]
fn territory_overlap_fires_within_overlap_km() {
    let (lat, lon) = north(2.4);
    let doc = document(vec![
        district(at(agency("a", "p1"), LAT, LON), "Jianye"),
        district(at(home("h"), lat, lon), "Gulou"),
    ]);
    let findings = analyse(&doc);
    let f = single(&findings, Rule::TerritoryOverlap);
    assert_eq!(
        named(f),
        (Severity::Warning, Some("alpha"), vec!["a", "h"], vec!["p1"])
    );
    for part in ["Shop a", "Group p1", "Shop h", "2.4 km"] {
        assert!(f.message.contains(part), "{part}: {}", f.message);
    }
}

#[test]
fn territory_overlap_misses_3_2_km_in_different_districts() {
    let (lat, lon) = north(3.2);
    let doc = document(vec![
        district(at(agency("a", "p1"), LAT, LON), "Binjiang"),
        district(at(home("h"), lat, lon), "Shangcheng"),
    ]);
    none_of(&analyse(&doc), Rule::TerritoryOverlap);
}

#[test]
fn territory_overlap_around_3_km() {
    for (km, fires) in [(2.99, true), (3.01, false)] {
        let (lat, lon) = north(km);
        let doc = document(vec![
            at(agency("a", "p1"), LAT, LON),
            at(home("h"), lat, lon),
        ]);
        assert_eq!(
            of(&analyse(&doc), Rule::TerritoryOverlap).len(),
            usize::from(fires),
            "{km} km"
        );
    }
}

#[test]
fn territory_overlap_is_at_most_overlap_km() {
    let (lat, lon) = (LAT + 0.02, LON + 0.017);
    let km = distance_km(Location { lat: LAT, lon: LON }, Location { lat, lon });
    let doc = document(vec![
        at(agency("a", "p1"), LAT, LON),
        at(center("d"), lat, lon),
    ]);
    let exactly = RulesConfig {
        overlap_km: km,
        ..RulesConfig::default()
    };
    single(&analyse_with(&doc, &exactly), Rule::TerritoryOverlap);
    let just_under = RulesConfig {
        overlap_km: km * (1.0 - 1e-12),
        ..RulesConfig::default()
    };
    none_of(&analyse_with(&doc, &just_under), Rule::TerritoryOverlap);
}

#[test]
fn territory_overlap_is_critical_only_strictly_under_critical_km() {
    let (lat, lon) = north(0.9);
    let doc = document(vec![
        at(agency("a", "p1"), LAT, LON),
        at(home("h"), lat, lon),
    ]);
    let findings = analyse(&doc);
    let f = single(&findings, Rule::TerritoryOverlap);
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.message.contains("0.9 km"), "{}", f.message);

    // At exactly critical_km: a warning.
    let (lat, lon) = (LAT + 0.006, LON + 0.005);
    let km = distance_km(Location { lat: LAT, lon: LON }, Location { lat, lon });
    let doc = document(vec![
        at(agency("a", "p1"), LAT, LON),
        at(home("h"), lat, lon),
    ]);
    let rules = RulesConfig {
        critical_km: km,
        ..RulesConfig::default()
    };
    let findings = analyse_with(&doc, &rules);
    assert_eq!(
        single(&findings, Rule::TerritoryOverlap).severity,
        Severity::Warning
    );

    // 1.0 km with the defaults: a warning too.
    let (lat, lon) = north(1.0 + 1e-6);
    let doc = document(vec![
        at(agency("a", "p1"), LAT, LON),
        at(home("h"), lat, lon),
    ]);
    let findings = analyse(&doc);
    assert_eq!(
        single(&findings, Rule::TerritoryOverlap).severity,
        Severity::Warning
    );
}

#[test]
fn territory_overlap_by_district_alone() {
    // 16.8 km apart but one district, written differently.
    let (lat, lon) = north(16.8);
    let doc = document(vec![
        district(at(agency("a", "p1"), LAT, LON), "Yubei"),
        district(at(center("d"), lat, lon), "  yUBEI "),
    ]);
    let findings = analyse(&doc);
    let f = single(&findings, Rule::TerritoryOverlap);
    assert_eq!(
        named(f),
        (Severity::Warning, Some("alpha"), vec!["a", "d"], vec!["p1"])
    );
    assert!(f.message.contains("16.8 km"), "{}", f.message);
    assert!(f.message.contains("Yubei"), "{}", f.message);
}

#[test]
fn territory_overlap_by_district_without_location_is_a_warning() {
    // Even a store with no location overlaps by district; with no distance it is never critical.
    let doc = document(vec![
        district(agency("a", "p1"), "Yinzhou"),
        district(at(home("h"), LAT, LON), "Yinzhou"),
    ]);
    let findings = analyse(&doc);
    let f = single(&findings, Rule::TerritoryOverlap);
    assert_eq!(
        named(f),
        (Severity::Warning, Some("alpha"), vec!["a", "h"], vec!["p1"])
    );
}

#[test]
fn territory_overlap_needs_a_district_to_match() {
    // Absent, empty and blank districts never match; no location, no distance.
    let doc = document(vec![
        district(agency("a1", "p1"), ""),
        district(home("h1"), ""),
        district(agency("a2", "p2"), "   "),
        district(home("h2"), "   "),
        agency("a3", "p1"),
        home("h3"),
        district(agency("a4", "p2"), "Gusu"),
        district(home("h4"), "Wuzhong"),
    ]);
    let findings = analyse(&doc);
    none_of(&findings, Rule::TerritoryOverlap);
    none_of(&findings, Rule::AgencyOverlap);
}

#[test]
fn territory_overlap_names_a_pair_once_when_both_near_and_same_district() {
    let (lat, lon) = north(0.5);
    let doc = document(vec![
        district(at(home("h"), lat, lon), "Yinzhou"),
        district(at(agency("a", "p1"), LAT, LON), "Yinzhou"),
    ]);
    let findings = analyse(&doc);
    let f = single(&findings, Rule::TerritoryOverlap);
    assert_eq!(
        named(f),
        (
            Severity::Critical,
            Some("alpha"),
            vec!["a", "h"],
            vec!["p1"]
        )
    );
    assert!(f.message.contains("same district"), "{}", f.message);
}

#[test]
fn direct_stores_do_not_overlap_each_other_and_cities_are_separate() {
    let (lat, lon) = north(0.5);
    let mut doc = document(vec![
        district(at(home("h1"), LAT, LON), "Yinzhou"),
        district(at(center("d1"), lat, lon), "Yinzhou"),
        // Same spot and district name, other city.
        with(
            district(at(agency("a", "p1"), LAT, LON), "Yinzhou"),
            "city",
            json!("beta"),
        ),
        with(center("dc-beta"), "city", json!("beta")),
    ]);
    doc["cities"]
        .as_array_mut()
        .unwrap()
        .push(city("beta", Some("open")));
    let findings = analyse(&doc);
    none_of(&findings, Rule::TerritoryOverlap);
    none_of(&findings, Rule::AgencyOverlap);
}

// ----- agency_overlap ------------------------------------------------------

#[test]
fn agency_overlap_fires_for_two_partners_and_sorts_the_pair_by_id() {
    let (lat, lon) = north(2.4);
    let doc = document(vec![
        district(at(agency("z-2s", "p1"), LAT, LON), "Binjiang"),
        district(at(agency("b-2s", "p2"), lat, lon), "Xihu"),
    ]);
    let findings = analyse(&doc);
    let f = single(&findings, Rule::AgencyOverlap);
    assert_eq!(
        named(f),
        (
            Severity::Warning,
            Some("alpha"),
            vec!["b-2s", "z-2s"],
            vec!["p2", "p1"]
        )
    );
    for part in ["Shop b-2s", "Shop z-2s", "Group p1", "Group p2", "2.4 km"] {
        assert!(f.message.contains(part), "{part}: {}", f.message);
    }
    none_of(&findings, Rule::TerritoryOverlap);
}

#[test]
fn agency_overlap_by_district() {
    let doc = document(vec![
        district(agency("x", "p1"), "Binjiang"),
        district(at(agency("y", "p2"), LAT, LON), "binjiang"),
    ]);
    let findings = analyse(&doc);
    let f = single(&findings, Rule::AgencyOverlap);
    assert_eq!(
        named(f),
        (
            Severity::Warning,
            Some("alpha"),
            vec!["x", "y"],
            vec!["p1", "p2"]
        )
    );
}

#[test]
fn agency_overlap_misses_one_partner_and_distant_stores() {
    let (lat, lon) = north(-0.3);
    let (far_lat, far_lon) = north(3.2);
    let doc = document(vec![
        // One partner's own stores, close and in one district: no conflict.
        district(at(agency("a1", "p1"), LAT, LON), "Binjiang"),
        district(at(agency("a2", "p1"), lat, lon), "Binjiang"),
        // Another partner 3.2 km away in another district.
        district(at(agency("b1", "p2"), far_lat, far_lon), "Shangcheng"),
    ]);
    none_of(&analyse(&doc), Rule::AgencyOverlap);
}

// ----- no_delivery_center --------------------------------------------------

fn city_without_center(stores: Vec<Value>) -> Value {
    let mut doc = document(stores);
    doc["stores"].as_array_mut().unwrap().remove(0); // dc-far
    doc
}

#[test]
fn no_delivery_center_names_the_agency_stores_and_their_partners() {
    let doc = city_without_center(vec![
        agency("z-2s", "p2"),
        agency("a-2s", "p1"),
        home("home"),
        agency("m-2s", "p2"),
    ]);
    let findings = analyse(&doc);
    let f = single(&findings, Rule::NoDeliveryCenter);
    assert_eq!(
        named(f),
        (
            Severity::Critical,
            Some("alpha"),
            vec!["a-2s", "m-2s", "z-2s"],
            vec!["p1", "p2"]
        )
    );
    for part in [
        "City alpha",
        "Shop a-2s",
        "Shop m-2s",
        "Shop z-2s",
        "Group p1",
    ] {
        assert!(f.message.contains(part), "{part}: {}", f.message);
    }
    none_of(&findings, Rule::DeliveryAfterAgency);
}

#[test]
fn no_delivery_center_needs_an_agency_store_and_no_direct_center() {
    // Xiaomi Homes only.
    let doc = city_without_center(vec![home("h1"), home("h2")]);
    none_of(&analyse(&doc), Rule::NoDeliveryCenter);
    // A delivery center, even far from the agency store.
    let doc = document(vec![agency("a", "p1")]);
    none_of(&analyse(&doc), Rule::NoDeliveryCenter);
    // An agency "delivery center" (a data warning) is not the direct "1".
    let doc = city_without_center(vec![
        agency("a", "p1"),
        store("dc", "delivery_center", "agency", "p1"),
    ]);
    let findings = analyse(&doc);
    assert_eq!(
        named(single(&findings, Rule::NoDeliveryCenter)).2,
        vec!["a", "dc"]
    );
}

// ----- delivery_after_agency -----------------------------------------------

fn planned(store: Value, date: &str) -> Value {
    with(store, "renovation.planned_open", json!(date))
}

fn city_with_center(center_open: Option<&str>, stores: Vec<Value>) -> Value {
    let mut dc = center("dc");
    if let Some(date) = center_open {
        dc = planned(dc, date);
    }
    let mut all = vec![dc];
    all.extend(stores);
    city_without_center(all)
}

#[test]
fn delivery_after_agency_names_the_earliest_agency_store() {
    let doc = city_with_center(
        Some("2024-04-28"),
        vec![
            planned(agency("late", "p1"), "2024-05-01"),
            planned(agency("b-first", "p2"), "2024-03-25"),
            planned(agency("a-first", "p1"), "2024-03-25"),
            agency("undated", "p2"),
        ],
    );
    let findings = analyse(&doc);
    let f = single(&findings, Rule::DeliveryAfterAgency);
    assert_eq!(
        named(f),
        (
            Severity::Warning,
            Some("alpha"),
            vec!["a-first"],
            vec!["p1"]
        )
    );
    for part in [
        "Shop a-first",
        "Shop dc",
        "2024-03-25",
        "2024-04-28",
        "34 days",
    ] {
        assert!(f.message.contains(part), "{part}: {}", f.message);
    }
}

#[test]
fn delivery_after_agency_compares_with_the_earliest_center() {
    let doc = city_with_center(
        Some("2024-04-28"),
        vec![
            planned(center("dc-early"), "2024-03-01"),
            planned(agency("a", "p1"), "2024-03-25"),
        ],
    );
    none_of(&analyse(&doc), Rule::DeliveryAfterAgency);
}

#[test]
fn delivery_after_agency_misses_the_same_day_and_missing_dates() {
    // Same day is not "before".
    let doc = city_with_center(
        Some("2024-03-28"),
        vec![planned(agency("a", "p1"), "2024-03-28")],
    );
    none_of(&analyse(&doc), Rule::DeliveryAfterAgency);
    // The delivery center has no date.
    let doc = city_with_center(None, vec![planned(agency("a", "p1"), "2024-03-28")]);
    none_of(&analyse(&doc), Rule::DeliveryAfterAgency);
    // No agency store has a date.
    let doc = city_with_center(Some("2024-03-28"), vec![agency("a", "p1")]);
    none_of(&analyse(&doc), Rule::DeliveryAfterAgency);
    // A Xiaomi Home is not a delivery center.
    let doc = city_without_center(vec![
        planned(home("h"), "2024-05-01"),
        planned(agency("a", "p1"), "2024-03-28"),
    ]);
    let findings = analyse(&doc);
    none_of(&findings, Rule::DeliveryAfterAgency);
    single(&findings, Rule::NoDeliveryCenter);
}

// ----- schedule_slip -------------------------------------------------------

fn phase(store: Value, phase: &str, percent: u32) -> Value {
    let store = with(store, "renovation.phase", json!(phase));
    with(store, "renovation.percent", json!(percent))
}

#[test]
fn schedule_slip_fires_past_planned_open() {
    let doc = document(vec![
        phase(planned(home("h"), "2024-02-14"), "display_vehicle", 97),
        phase(planned(agency("a", "p1"), "2024-02-19"), "fit_out", 72),
    ]);
    let findings = analyse(&doc);
    let found = of(&findings, Rule::ScheduleSlip);
    assert_eq!(found.len(), 2, "{findings:#?}");
    assert_eq!(
        named(found[0]),
        (Severity::Warning, Some("alpha"), vec!["a"], vec!["p1"])
    );
    assert_eq!(
        named(found[1]),
        (Severity::Warning, Some("alpha"), vec!["h"], vec![])
    );
    assert!(found[1].message.contains("Shop h"), "{}", found[1].message);
    assert!(found[1].message.contains("6 days"), "{}", found[1].message);
}

#[test]
fn schedule_slip_misses_today_open_stores_and_missing_dates() {
    let doc = document(vec![
        phase(planned(home("today"), "2024-02-20"), "display_vehicle", 97),
        phase(planned(home("opened"), "2024-02-01"), "open", 100),
        phase(home("undated"), "fit_out", 80),
    ]);
    none_of(&analyse(&doc), Rule::ScheduleSlip);
}

#[test]
fn schedule_slip_uses_the_utc_date_of_generated_at() {
    // 01:00 in Beijing on the 21st is still the 20th in UTC.
    let mut doc = document(vec![
        planned(home("due-20th"), "2024-02-20"),
        planned(home("due-19th"), "2024-02-19"),
    ]);
    doc["generated_at"] = json!("2024-02-21T01:00:00+08:00");
    let findings = analyse(&doc);
    assert_eq!(
        named(single(&findings, Rule::ScheduleSlip)).2,
        vec!["due-19th"]
    );
}

// ----- display_vehicle_late ------------------------------------------------

fn eta(store: Value, date: &str) -> Value {
    with(store, "renovation.display_vehicle_eta", json!(date))
}

#[test]
fn display_vehicle_late_fires_once_per_store() {
    let doc = document(vec![
        eta(planned(home("after-open"), "2024-03-09"), "2024-03-12"),
        eta(planned(home("after-deadline"), "2024-05-08"), "2024-04-10"),
        eta(planned(agency("both", "p1"), "2024-03-16"), "2024-04-03"),
    ]);
    let findings = analyse(&doc);
    let found: BTreeMap<&str, &Found> = of(&findings, Rule::DisplayVehicleLate)
        .into_iter()
        .map(|f| (f.stores[0].as_str(), f))
        .collect();
    assert_eq!(found.len(), 3, "{findings:#?}");
    assert_eq!(
        named(found["both"]),
        (Severity::Warning, Some("alpha"), vec!["both"], vec!["p1"])
    );
    assert_eq!(
        named(found["after-open"]),
        (Severity::Warning, Some("alpha"), vec!["after-open"], vec![])
    );
    let both = &found["both"].message;
    assert!(
        both.contains("2024-03-16") && both.contains("2024-03-31"),
        "{both}"
    );
    assert!(found["after-open"].message.contains("3 days"));
}

#[test]
fn display_vehicle_late_misses_equal_dates_and_missing_eta() {
    let doc = document(vec![
        eta(planned(home("same-day"), "2024-02-26"), "2024-02-26"),
        eta(planned(home("on-deadline"), "2024-04-25"), "2024-03-31"),
        planned(home("no-eta"), "2024-04-25"),
        eta(home("no-open"), "2024-03-01"),
    ]);
    none_of(&analyse(&doc), Rule::DisplayVehicleLate);
}

// ----- unqualified_partner -------------------------------------------------

fn partners(doc: &mut Value, extra: Vec<Value>) {
    doc["partners"].as_array_mut().unwrap().extend(extra);
}

#[test]
fn unqualified_partner_fires_for_contracted_partners() {
    let mut doc = document(vec![]);
    partners(
        &mut doc,
        vec![
            with(partner("other-tier"), "tier", json!("other")),
            with(
                with(partner("no-experience"), "luxury_experience", json!(false)),
                "nev_experience",
                json!(false),
            ),
        ],
    );
    let findings = analyse(&doc);
    let found = of(&findings, Rule::UnqualifiedPartner);
    assert_eq!(found.len(), 2, "{findings:#?}");
    assert_eq!(
        named(found[0]),
        (Severity::Warning, None, vec![], vec!["no-experience"])
    );
    assert_eq!(
        named(found[1]),
        (Severity::Warning, None, vec![], vec!["other-tier"])
    );
    assert!(found[0].message.contains("Group no-experience"));
    assert!(found[1].message.contains("Group other-tier"));
}

#[test]
fn unqualified_partner_misses_uncontracted_or_experienced_partners() {
    let mut doc = document(vec![]);
    partners(
        &mut doc,
        vec![
            with(
                with(partner("intention"), "tier", json!("other")),
                "agreement",
                json!({ "stage": "intention" }),
            ),
            with(
                with(
                    with(partner("terminated"), "tier", json!("other")),
                    "nev_experience",
                    json!(false),
                ),
                "agreement",
                json!({ "stage": "terminated" }),
            ),
            with(partner("nev-only"), "luxury_experience", json!(false)),
            with(partner("luxury-only"), "nev_experience", json!(false)),
        ],
    );
    none_of(&analyse(&doc), Rule::UnqualifiedPartner);
}

// ----- competitor_brand ----------------------------------------------------

#[test]
fn competitor_brand_names_the_brand_case_insensitively() {
    let mut doc = document(vec![agency("a", "seller"), agency("b", "p1")]);
    partners(
        &mut doc,
        vec![with(
            partner("seller"),
            "brands",
            json!(["Audi", "byd", "Nio"]),
        )],
    );
    let findings = analyse(&doc);
    let f = single(&findings, Rule::CompetitorBrand);
    assert_eq!(
        named(f),
        (Severity::Info, Some("alpha"), vec!["a"], vec!["seller"])
    );
    for part in ["Shop a", "Group seller", "byd", "Nio"] {
        assert!(f.message.contains(part), "{part}: {}", f.message);
    }
}

#[test]
fn competitor_brand_is_an_exact_match_on_agency_stores() {
    let mut doc = document(vec![agency("a", "related"), home("h")]);
    partners(
        &mut doc,
        vec![
            with(
                partner("related"),
                "brands",
                json!(["Denza", "BYD Auto", "Lynk & Co"]),
            ),
            // Sells BYD but runs no agency store.
            with(partner("idle"), "brands", json!(["BYD"])),
        ],
    );
    none_of(&analyse(&doc), Rule::CompetitorBrand);
}

#[test]
fn competitor_brand_uses_the_configured_list() {
    let mut doc = document(vec![agency("a", "p1"), agency("b", "byd-seller")]);
    partners(
        &mut doc,
        vec![with(partner("byd-seller"), "brands", json!(["BYD"]))],
    );
    let rules = RulesConfig {
        competitor_brands: vec!["audi".into()],
        ..RulesConfig::default()
    };
    let findings = analyse_with(&doc, &rules);
    let f = single(&findings, Rule::CompetitorBrand);
    assert_eq!(named(f).2, vec!["a"]);
    assert!(f.message.contains("Audi"), "{}", f.message);
}

// ----- outside_recruitment -------------------------------------------------

#[test]
fn outside_recruitment_fires_in_planned_and_non_recruiting_cities() {
    let mut doc = document(vec![
        with(agency("in-planned", "p1"), "city", json!("planned")),
        with(center("dc-planned"), "city", json!("planned")),
        with(agency("in-none", "p2"), "city", json!("none")),
        with(center("dc-none"), "city", json!("none")),
    ]);
    let cities = doc["cities"].as_array_mut().unwrap();
    cities.push(city("planned", Some("planned")));
    cities.push(city("none", None));
    let findings = analyse(&doc);
    let found = of(&findings, Rule::OutsideRecruitment);
    assert_eq!(found.len(), 2, "{findings:#?}");
    assert_eq!(
        named(found[0]),
        (Severity::Warning, Some("none"), vec!["in-none"], vec!["p2"])
    );
    assert_eq!(
        named(found[1]),
        (
            Severity::Warning,
            Some("planned"),
            vec!["in-planned"],
            vec!["p1"]
        )
    );
    assert!(found[1].message.contains("City planned"));
}

#[test]
fn outside_recruitment_misses_recruiting_cities_direct_stores_and_unknown_cities() {
    let mut doc = document(vec![
        with(agency("closed-2s", "p1"), "city", json!("closed")),
        with(center("closed-dc"), "city", json!("closed")),
        with(home("planned-home"), "city", json!("planned")),
        with(agency("lost", "p1"), "city", json!("atlantis")),
    ]);
    let cities = doc["cities"].as_array_mut().unwrap();
    cities.push(city("closed", Some("closed")));
    cities.push(city("planned", Some("planned")));
    let snap = snapshot(&doc);
    assert!(
        snap.data_warnings.iter().any(|w| w.record == "lost"),
        "validation reports the unknown city"
    );
    none_of(&analyse(&doc), Rule::OutsideRecruitment);
}

// ----- configuration -------------------------------------------------------

fn demo_snapshot() -> Snapshot {
    Snapshot::from_body(DEMO_FEED_JSON.as_bytes()).unwrap()
}

fn count_by_rule(findings: &[Finding]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for f in findings {
        if let Origin::Rule(rule) = f.origin {
            *counts.entry(rule.id()).or_default() += 1;
        }
    }
    counts
}

#[test]
fn disabled_rules_do_not_fire() {
    let snap = demo_snapshot();
    let all = RulesConfig {
        disabled: Rule::ALL.iter().map(|r| r.id().to_owned()).collect(),
        ..RulesConfig::default()
    };
    assert!(find_conflicts(&snap, &all).is_empty());
    let everything = count_by_rule(&find_conflicts(&snap, &RulesConfig::default()));
    for rule in Rule::ALL {
        let rules = RulesConfig {
            disabled: vec![rule.id().to_owned()],
            ..RulesConfig::default()
        };
        let mut expected = everything.clone();
        expected.remove(rule.id());
        assert_eq!(
            count_by_rule(&find_conflicts(&snap, &rules)),
            expected,
            "{rule:?}"
        );
    }
}

#[test]
fn overlap_km_is_configurable() {
    let (lat, lon) = north(3.2);
    let (south_lat, south_lon) = north(-3.2);
    let doc = document(vec![
        at(agency("a", "p1"), LAT, LON),
        at(home("h"), lat, lon),
        at(agency("b", "p2"), south_lat, south_lon),
    ]);
    let findings = analyse(&doc);
    none_of(&findings, Rule::TerritoryOverlap);
    none_of(&findings, Rule::AgencyOverlap);
    let rules = RulesConfig {
        overlap_km: 3.5,
        ..RulesConfig::default()
    };
    let findings = analyse_with(&doc, &rules);
    assert_eq!(
        named(single(&findings, Rule::TerritoryOverlap)).2,
        vec!["a", "h"]
    );
    assert_eq!(
        named(single(&findings, Rule::AgencyOverlap)).2,
        vec!["a", "b"]
    );
}

// ----- the demo feed -------------------------------------------------------

type Named<'a> = (
    &'static str,
    Severity,
    Option<&'a str>,
    Vec<&'a str>,
    Vec<&'a str>,
);

#[test]
fn demo_feed_fires_every_rule_on_the_records_data_notes_lists() {
    let snap = demo_snapshot();
    let findings = find_conflicts(&snap, &RulesConfig::default());
    let counts = count_by_rule(&findings);
    for rule in Rule::ALL {
        assert!(counts.contains_key(rule.id()), "{} never fires", rule.id());
    }
    let actual: Vec<Named> = {
        let mut all: Vec<Named> = findings
            .iter()
            .map(|f| {
                let Origin::Rule(rule) = f.origin else {
                    unreachable!()
                };
                let (severity, city, stores, partners) = named(f);
                (rule.id(), severity, city, stores, partners)
            })
            .collect();
        all.sort();
        all
    };
    use Severity::{Critical, Info, Warning};
    let mut expected: Vec<Named> = vec![
        (
            "territory_overlap",
            Warning,
            Some("nanjing"),
            vec!["nj-2s-01", "nj-home-02"],
            vec!["yuehe"],
        ),
        (
            "territory_overlap",
            Critical,
            Some("ningbo"),
            vec!["nb-2s-01", "nb-home-01"],
            vec!["yongjiang"],
        ),
        (
            "territory_overlap",
            Warning,
            Some("chongqing"),
            vec!["cq-2s-01", "cq-dc-01"],
            vec!["ganghong"],
        ),
        (
            "agency_overlap",
            Warning,
            Some("hangzhou"),
            vec!["hz-2s-01", "hz-2s-02"],
            vec!["xiling", "ekingo"],
        ),
        (
            "no_delivery_center",
            Critical,
            Some("xian"),
            vec!["xa-2s-01", "xa-2s-02"],
            vec!["qinfeng"],
        ),
        (
            "delivery_after_agency",
            Warning,
            Some("wuhan"),
            vec!["wh-2s-01"],
            vec!["ruida"],
        ),
        (
            "schedule_slip",
            Warning,
            Some("wuhan"),
            vec!["wh-home-02"],
            vec![],
        ),
        (
            "schedule_slip",
            Warning,
            Some("xian"),
            vec!["xa-2s-01"],
            vec!["qinfeng"],
        ),
        (
            "display_vehicle_late",
            Warning,
            Some("chengdu"),
            vec!["cd-home-02"],
            vec![],
        ),
        (
            "display_vehicle_late",
            Warning,
            Some("nanjing"),
            vec!["nj-home-01"],
            vec![],
        ),
        (
            "display_vehicle_late",
            Warning,
            Some("xian"),
            vec!["xa-2s-01"],
            vec!["qinfeng"],
        ),
        (
            "unqualified_partner",
            Warning,
            None,
            vec![],
            vec!["lujiang"],
        ),
        ("unqualified_partner", Warning, None, vec![], vec!["ruida"]),
        (
            "competitor_brand",
            Info,
            Some("chongqing"),
            vec!["cq-2s-01"],
            vec!["ganghong"],
        ),
        (
            "competitor_brand",
            Info,
            Some("chengdu"),
            vec!["cd-2s-01"],
            vec!["ganghong"],
        ),
        (
            "competitor_brand",
            Info,
            Some("chengdu"),
            vec!["cd-2s-02"],
            vec!["ganghong"],
        ),
        (
            "outside_recruitment",
            Warning,
            Some("guangzhou"),
            vec!["gz-2s-01"],
            vec!["yuexing"],
        ),
    ];
    expected.sort();
    // The notes list every record that fires and the near misses that must not,
    // so the two lists are equal, not merely overlapping.
    assert_eq!(actual, expected);

    assert!(findings.is_sorted_by(|a, b| a.order_key() <= b.order_key()));

    // Thirteen of the 21 cities have no findings.
    let mut with_findings: Vec<&str> = findings
        .iter()
        .filter_map(|f| f.city.as_ref().map(|c| c.as_str()))
        .collect();
    with_findings.sort();
    with_findings.dedup();
    assert_eq!(snap.cities().count() - with_findings.len(), 13);
}

#[test]
fn demo_feed_measures_the_distances_data_notes_give() {
    let snap = demo_snapshot();
    let findings = find_conflicts(&snap, &RulesConfig::default());
    let message = |store: &str, rule: Rule| {
        findings
            .iter()
            .find(|f| f.origin == Origin::Rule(rule) && f.stores[0].as_str() == store)
            .map(|f| f.message(&snap, Lang::En))
            .unwrap()
    };
    assert!(message("nj-2s-01", Rule::TerritoryOverlap).contains("2.4 km"));
    assert!(message("nb-2s-01", Rule::TerritoryOverlap).contains("0.7 km"));
    assert!(message("cq-2s-01", Rule::TerritoryOverlap).contains("16.8 km"));
    assert!(message("hz-2s-01", Rule::AgencyOverlap).contains("2.4 km"));
}

#[test]
fn every_message_is_a_sentence_naming_its_records() {
    let snap = demo_snapshot();
    let findings = find_conflicts(&snap, &RulesConfig::default());
    for f in &findings {
        let message = &f.message(&snap, Lang::En);
        assert!(message.split_whitespace().count() >= 6, "{message}");
        assert!(!message.contains('\n'), "{message}");
        for store in &f.stores {
            let name = snap.store(store.as_str()).unwrap().name.as_str();
            assert!(message.contains(name), "{name} not in {message}");
        }
        for partner in &f.partners {
            let name = snap.partner(partner.as_str()).unwrap().name.as_str();
            assert!(message.contains(name), "{name} not in {message}");
        }
    }
}

#[test]
fn analysis_sorts_conflicts_with_the_feed_warnings() {
    let snap = demo_snapshot();
    let analysis = Analysis::of(&snap, &RulesConfig::default());
    let conflicts = analysis.findings.iter().filter(|f| f.is_conflict()).count();
    assert_eq!(conflicts, 17);
    assert_eq!(analysis.findings.len(), 17 + snap.document.warnings.len());
    assert_eq!(analysis.findings[0].severity, Severity::Critical);
}

// ----- properties ----------------------------------------------------------

/// A random document: a few cities, partners and stores clustered around the
/// city centres, so that overlaps, districts and dates all come up.
fn arbitrary_document() -> impl Strategy<Value = Value> {
    let partner = (
        0..3usize,
        any::<bool>(),
        any::<bool>(),
        0..4usize,
        0..3usize,
    );
    let store = (
        0..3usize, // city
        0..4usize, // kind/channel
        0..4usize, // operator
        proptest::option::weighted(0.8, (-0.03..0.03f64, -0.03..0.03f64)),
        proptest::option::weighted(0.7, 0..5usize), // district
        proptest::option::weighted(0.7, 0..40i64),  // planned_open offset
        proptest::option::weighted(0.6, 0..60i64),  // eta offset
        any::<bool>(),                              // open
    );
    (
        prop::collection::vec(partner, 4),
        prop::collection::vec(store, 0..40),
        prop::collection::vec(0..3usize, 3),
    )
        .prop_map(|(partners, stores, statuses)| {
            let centres = [(31.0, 121.0), (30.6, 104.0), (45.0, 126.6)];
            let cities: Vec<Value> = (0..3)
                .map(|c| {
                    let status = ["open", "planned", "closed"][statuses[c]];
                    let mut city = city(&format!("c{c}"), (c != 2).then_some(status));
                    city["location"] = json!({ "lat": centres[c].0, "lon": centres[c].1 });
                    city
                })
                .collect();
            let partners: Vec<Value> = partners
                .into_iter()
                .enumerate()
                .map(|(i, (tier, luxury, nev, stage, brands))| {
                    let tier = ["top100", "regional", "other"][tier];
                    let brand = ["Audi", "BYD", "nio"][brands];
                    let stage = ["prospect", "intention", "contract", "terminated"][stage];
                    json!({
                        "id": format!("p{i}"),
                        "name": format!("Group {i}"),
                        "tier": tier,
                        "brands": [brand],
                        "luxury_experience": luxury,
                        "nev_experience": nev,
                        "agreement": { "stage": stage },
                    })
                })
                .collect();
            let base = chrono::NaiveDate::from_ymd_opt(2024, 2, 1).unwrap();
            let day = |offset: i64| (base + chrono::Duration::days(offset)).to_string();
            let stores: Vec<Value> = stores
                .into_iter()
                .enumerate()
                .map(|(i, (c, kind, op, offset, district, open, eta, is_open))| {
                    let (kind, channel) = [
                        ("delivery_center", "direct"),
                        ("xiaomi_home", "direct"),
                        ("sales_service_2s", "agency"),
                        ("sales_service_2s", "agency"),
                    ][kind];
                    let operator = if channel == "agency" {
                        format!("p{op}")
                    } else {
                        "xiaomi".to_owned()
                    };
                    let mut store = json!({
                        "id": format!("s{i:02}"),
                        "city": format!("c{c}"),
                        "kind": kind,
                        "channel": channel,
                        "operator": operator,
                        "name": format!("Shop {i}"),
                        "renovation": {
                            "phase": if is_open { "open" } else { "construction" },
                            "percent": if is_open { 100 } else { 40 },
                        },
                    });
                    if let Some((dlat, dlon)) = offset {
                        store["location"] =
                            json!({ "lat": centres[c].0 + dlat, "lon": centres[c].1 + dlon });
                    }
                    if let Some(d) = district {
                        let name = ["North", "south", "East ", "west", ""][d];
                        store["district"] = json!(name);
                    }
                    if let Some(o) = open {
                        store["renovation"]["planned_open"] = json!(day(o));
                    }
                    if let Some(e) = eta {
                        store["renovation"]["display_vehicle_eta"] = json!(day(e));
                    }
                    store
                })
                .collect();
            json!({
                "schema_version": 1,
                "generated_at": "2024-02-20T08:00:00Z",
                "program": { "name": "random", "display_vehicle_deadline": "2024-03-10" },
                "cities": cities,
                "partners": partners,
                "stores": stores,
            })
        })
}

fn shuffled(doc: &Value, seed: u64) -> Value {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut doc = doc.clone();
    for key in ["cities", "partners", "stores"] {
        rng.shuffle(doc[key].as_array_mut().unwrap());
    }
    doc
}

/// The overlap pairs by brute force, every store against every other in its city.
fn overlap_pairs_by_brute_force(
    doc: &Value,
    rules: &RulesConfig,
) -> Vec<(Rule, Severity, Vec<String>)> {
    let stores = doc["stores"].as_array().unwrap();
    let location = |s: &Value| {
        s.get("location").map(|l| Location {
            lat: l["lat"].as_f64().unwrap(),
            lon: l["lon"].as_f64().unwrap(),
        })
    };
    let district = |s: &Value| {
        s.get("district")
            .and_then(|d| d.as_str())
            .map(|d| d.trim().to_lowercase())
            .filter(|d| !d.is_empty())
    };
    let mut pairs = Vec::new();
    for (i, a) in stores.iter().enumerate() {
        for b in &stores[i + 1..] {
            if a["city"] != b["city"] {
                continue;
            }
            let km = location(a).zip(location(b)).map(|(x, y)| distance_km(x, y));
            let near = km.is_some_and(|km| km <= rules.overlap_km);
            let same = district(a).is_some() && district(a) == district(b);
            if !(near || same) {
                continue;
            }
            let (a_agency, b_agency) = (a["channel"] == "agency", b["channel"] == "agency");
            let id = |s: &Value| s["id"].as_str().unwrap().to_owned();
            match (a_agency, b_agency) {
                (true, true) if a["operator"] != b["operator"] => {
                    let mut ids = vec![id(a), id(b)];
                    ids.sort();
                    pairs.push((Rule::AgencyOverlap, Severity::Warning, ids));
                }
                (true, false) | (false, true) => {
                    let (ag, di) = if a_agency { (a, b) } else { (b, a) };
                    let severity = if km.is_some_and(|km| km < rules.critical_km) {
                        Severity::Critical
                    } else {
                        Severity::Warning
                    };
                    pairs.push((Rule::TerritoryOverlap, severity, vec![id(ag), id(di)]));
                }
                _ => {}
            }
        }
    }
    pairs.sort();
    pairs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn findings_do_not_depend_on_record_order(doc in arbitrary_document(), seed in any::<u64>()) {
        let rules = RulesConfig::default();
        let original = analyse_with(&doc, &rules);
        let reordered = analyse_with(&shuffled(&doc, seed), &rules);
        prop_assert_eq!(original, reordered);
    }

    #[test]
    fn findings_come_in_order_key_order(doc in arbitrary_document()) {
        let findings = find_conflicts(&snapshot(&doc), &RulesConfig::default());
        prop_assert!(findings.is_sorted_by(|a, b| a.order_key() <= b.order_key()));
    }

    #[test]
    fn overlaps_equal_brute_force(doc in arbitrary_document(), overlap_km in 0.0..5.0f64) {
        let rules = RulesConfig { overlap_km, ..RulesConfig::default() };
        let findings = analyse_with(&doc, &rules);
        let mut found: Vec<(Rule, Severity, Vec<String>)> = findings
            .iter()
            .filter_map(|f| match f.origin {
                Origin::Rule(rule @ (Rule::TerritoryOverlap | Rule::AgencyOverlap)) => Some((
                    rule,
                    f.severity,
                    f.stores.iter().map(|s| s.to_string()).collect(),
                )),
                _ => None,
            })
            .collect();
        found.sort();
        prop_assert_eq!(found, overlap_pairs_by_brute_force(&doc, &rules));
    }
}

// ----- stores piled up at one point or in one district (issue 10) -----------

/// `agencies` agency stores (`a0000`..., run by p1 and p2 in turn) and
/// `directs` Xiaomi Homes (`h0000`...), the `n`th of all of them at
/// `place(n)`, every one in `district` when given.
fn crowd(
    agencies: usize,
    directs: usize,
    place: impl Fn(usize) -> (f64, f64),
    district: Option<&str>,
) -> Value {
    let mut stores = Vec::with_capacity(agencies + directs);
    for n in 0..agencies.max(directs) {
        for (agency_side, count) in [(true, agencies), (false, directs)] {
            if n >= count {
                continue;
            }
            let store = if agency_side {
                agency(&format!("a{n:04}"), ["p1", "p2"][n % 2])
            } else {
                home(&format!("h{n:04}"))
            };
            let (lat, lon) = place(stores.len());
            let store = at(store, lat, lon);
            stores.push(match district {
                Some(name) => self::district(store, name),
                None => store,
            });
        }
    }
    document(stores)
}

/// Every store at the city centre: a geocoder that fell back to it.
fn centre(_: usize) -> (f64, f64) {
    (LAT, LON)
}

fn of_rule(findings: &[Finding], rule: Rule) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.origin == Origin::Rule(rule))
        .collect()
}

#[test]
fn pairs_beyond_the_cap_are_folded_into_one_finding_that_counts_them() {
    // 30 x 30 territory pairs at 0 km, all critical; 15 x 15 agency pairs.
    let findings = analyse(&crowd(30, 30, centre, None));
    let territory = of(&findings, Rule::TerritoryOverlap);
    assert_eq!(territory.len(), 501);
    // The first 500 in the findings' order: a0000 with h0000..h0029, then
    // a0001 ..., up to a0016 with h0000..h0019.
    let mut expected = Vec::new();
    for a in 0..30 {
        for h in 0..30 {
            expected.push(vec![format!("a{a:04}"), format!("h{h:04}")]);
        }
    }
    for (f, stores) in territory.iter().zip(&expected[..500]) {
        assert_eq!(f.severity, Severity::Critical);
        assert_eq!(named(f).2, *stores);
    }
    // The 501st stands for the 400 others, names the first of them and is
    // critical, as they are.
    let folded = territory[500];
    assert_eq!(
        named(folded),
        (
            Severity::Critical,
            Some("alpha"),
            vec!["a0016", "h0020"],
            vec!["p1"]
        )
    );
    for part in [
        "400 more pairs of an agency store and a direct store in City alpha",
        "within 3.0 km",
        "after the 500 listed",
        "rules.max_pairs_per_city",
        "the first: agency 2S store Shop a0016 (partner Group p1) is 0.0 km from direct Xiaomi Home Shop h0020",
        "closer than the critical 1.0 km",
    ] {
        assert!(folded.message.contains(part), "{part}: {}", folded.message);
    }
    // 15 x 15 agency pairs of two partners: under the cap, every one listed.
    let agency = of(&findings, Rule::AgencyOverlap);
    assert_eq!(agency.len(), 225);
    assert!(agency.iter().all(|f| f.stores.len() == 2));
}

#[test]
fn ten_thousand_stores_at_one_point_are_analysed_in_bounds() {
    let snap = snapshot(&crowd(5_000, 5_000, centre, None));
    let analysis = Analysis::of(&snap, &RulesConfig::default());
    // 500 pairs and one folded finding per rule, nothing else.
    assert_eq!(analysis.findings.len(), 1_002);
    let territory = of_rule(&analysis.findings, Rule::TerritoryOverlap);
    let agency = of_rule(&analysis.findings, Rule::AgencyOverlap);
    assert_eq!((territory.len(), agency.len()), (501, 501));
    // 5,000 x 5,000 territory pairs; 2,500 x 2,500 agency pairs of p1 and p2.
    let message = territory[500].message(&snap, Lang::En);
    assert!(message.starts_with("24,999,500 more pairs"), "{message}");
    assert_eq!(territory[500].severity, Severity::Critical);
    let message = agency[500].message(&snap, Lang::En);
    assert!(message.starts_with("6,249,500 more pairs"), "{message}");
    assert_eq!(agency[500].severity, Severity::Warning);
    // The city's badge counts the folded finding once.
    let alpha = &analysis.cities[0];
    assert_eq!(alpha.conflicts, 1_002);
}

#[test]
fn ten_thousand_stores_in_one_district_are_counted_exactly() {
    // A 100 x 100 lattice, 100 m apart: every store a point of its own,
    // agency and direct stores side by side, all in one district.
    let lattice = |n: usize| {
        let (lat, _) = north((n / 100) as f64 * 0.1);
        let east = (n % 100) as f64 * 0.1 / (111.2 * LAT.to_radians().cos());
        (lat, LON + east)
    };
    let snap = snapshot(&crowd(5_000, 5_000, lattice, Some("Centre")));
    let findings = find_conflicts(&snap, &RulesConfig::default());
    let territory = of_rule(&findings, Rule::TerritoryOverlap);
    assert_eq!(territory.len(), 501);
    // Critical pairs first: there are far more than 500 under 1 km.
    assert!(territory.iter().all(|f| f.severity == Severity::Critical));
    for f in &territory[..500] {
        let [a, h] = [0, 1].map(|n| snap.store(f.stores[n].as_str()).unwrap());
        assert!(distance_km(a.location.unwrap(), h.location.unwrap()) < 1.0);
    }
    let message = territory[500].message(&snap, Lang::En);
    assert!(
        message.starts_with("24,999,500 more pairs of an agency store and a direct store"),
        "{message}"
    );
    let agency = of_rule(&findings, Rule::AgencyOverlap);
    assert_eq!(agency.len(), 501);
    let message = agency[500].message(&snap, Lang::En);
    assert!(
        message.starts_with("6,249,500 more pairs of agency stores of two partners"),
        "{message}"
    );
}

#[test]
fn ten_thousand_stores_each_at_its_own_point_within_one_km_are_counted_exactly() {
    // A 100 x 100 lattice, 10 m apart, no district: every store near every
    // other, no two at one point.
    let lattice = |n: usize| {
        let (lat, _) = north((n / 100) as f64 * 0.01);
        let east = (n % 100) as f64 * 0.01 / (111.2 * LAT.to_radians().cos());
        (lat, LON + east)
    };
    let snap = snapshot(&crowd(5_000, 5_000, lattice, None));
    let findings = find_conflicts(&snap, &RulesConfig::default());
    let territory = of_rule(&findings, Rule::TerritoryOverlap);
    let agency = of_rule(&findings, Rule::AgencyOverlap);
    assert_eq!((territory.len(), agency.len()), (501, 501));
    let message = territory[500].message(&snap, Lang::En);
    assert!(message.starts_with("24,999,500 more pairs"), "{message}");
    let message = agency[500].message(&snap, Lang::En);
    assert!(message.starts_with("6,249,500 more pairs"), "{message}");
}

#[test]
fn five_stores_at_one_point_are_a_data_warning_naming_the_city() {
    // Four at one point are a mall, not a geocoder's fallback.
    let four = snapshot(&crowd(2, 2, centre, None));
    assert!(
        four.data_warnings
            .iter()
            .all(|w| !w.message.contains("point")),
        "{:?}",
        four.data_warnings
    );
    // Five, a few metres apart (to about 10 m), and another pile elsewhere.
    let place = |n: usize| match n {
        0..5 => (LAT + n as f64 * 0.00001, LON),
        _ => (LAT + 0.5, LON + 0.5),
    };
    let snap = snapshot(&crowd(4, 4, place, None));
    let warnings: Vec<_> = snap
        .data_warnings
        .iter()
        .filter(|w| w.message.contains("point"))
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", snap.data_warnings);
    assert_eq!(warnings[0].record, "alpha");
    for part in ["5 stores", "City alpha", "31.0000", "121.0000"] {
        assert!(
            warnings[0].message.contains(part),
            "{part}: {}",
            warnings[0].message
        );
    }
    let snap = snapshot(&crowd(5_000, 5_000, centre, None));
    let warnings: Vec<_> = snap
        .data_warnings
        .iter()
        .filter(|w| w.message.contains("point"))
        .collect();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].message.contains("10000 stores"),
        "{}",
        warnings[0].message
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// A crowded city whose pairs are folded gives the same findings
    /// whatever the order of the feed's records.
    #[test]
    fn folded_findings_do_not_depend_on_record_order(seed in any::<u64>(), extra in 0..20usize) {
        let mut doc = crowd(40, 40, centre, Some("Centre"));
        // Some of the crowd elsewhere and in other districts.
        for (n, store) in doc["stores"].as_array_mut().unwrap().iter_mut().enumerate().skip(1).take(extra) {
            let (lat, lon) = north(n as f64 * 0.3);
            store["location"] = json!({ "lat": lat, "lon": lon });
            store["district"] = json!(["North", "South"][n % 2]);
        }
        let rules = RulesConfig::default();
        let original = analyse_with(&doc, &rules);
        prop_assert!(of(&original, Rule::TerritoryOverlap).len() == 501);
        let reordered = analyse_with(&shuffled(&doc, seed), &rules);
        prop_assert_eq!(original, reordered);
    }
}

/// A city's pairs of one rule as a reader sees them: the listed ones
/// (severity, stores) in the findings' order, and the folded finding's
/// (pairs, severity, stores) if there is one.
type CityPairs = (Listed, Option<(u64, Severity, Vec<String>)>);

/// Pairs as (severity, store ids).
type Listed = Vec<(Severity, Vec<String>)>;

/// What brute force says the findings of the pair rules must be with at
/// most `rules.max_pairs_per_city` listed per rule and city: the first in
/// the findings' order (critical first, then by the stores' ids), and one
/// finding for the rest that names the first of them and has its severity.
fn capped_by_brute_force(doc: &Value, rules: &RulesConfig) -> BTreeMap<(String, Rule), CityPairs> {
    let stores = doc["stores"].as_array().unwrap();
    let mut by_city: BTreeMap<(String, Rule), Listed> = BTreeMap::new();
    let cities: std::collections::BTreeSet<&str> =
        stores.iter().map(|s| s["city"].as_str().unwrap()).collect();
    for city in cities {
        let mut one = doc.clone();
        one["stores"] = json!(
            stores
                .iter()
                .filter(|s| s["city"] == city)
                .cloned()
                .collect::<Vec<_>>()
        );
        for (rule, severity, ids) in overlap_pairs_by_brute_force(&one, rules) {
            by_city
                .entry((city.to_owned(), rule))
                .or_default()
                .push((severity, ids));
        }
    }
    by_city
        .into_iter()
        .map(|(key, mut pairs)| {
            pairs.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            let cap = rules.max_pairs_per_city;
            let folded = (pairs.len() > cap).then(|| {
                let (severity, ids) = pairs[cap].clone();
                ((pairs.len() - cap) as u64, severity, ids)
            });
            pairs.truncate(cap);
            (key, (pairs, folded))
        })
        .collect()
}

/// The pair rules' findings grouped as [`capped_by_brute_force`] gives them.
fn capped_by_engine(doc: &Value, rules: &RulesConfig) -> BTreeMap<(String, Rule), CityPairs> {
    let mut by_city: BTreeMap<(String, Rule), CityPairs> = BTreeMap::new();
    for f in analyse_with(doc, rules) {
        let rule = match f.origin {
            Origin::Rule(rule @ (Rule::TerritoryOverlap | Rule::AgencyOverlap)) => rule,
            _ => continue,
        };
        let city = f.city.as_ref().unwrap().to_string();
        let ids: Vec<String> = f.stores.iter().map(|s| s.to_string()).collect();
        let entry = by_city.entry((city, rule)).or_default();
        match &f.evidence {
            Evidence::Folded(folded) => {
                assert!(folded.exact && !folded.stopped, "{folded:?}");
                assert!(entry.1.is_none(), "two folded findings: {}", f.message);
                entry.1 = Some((folded.pairs, f.severity, ids));
            }
            _ => entry.0.push((f.severity, ids)),
        }
    }
    for (listed, _) in by_city.values_mut() {
        listed.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    }
    by_city
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// With any cap, a city lists exactly brute force's first pairs of each
    /// rule and folds the rest into one finding with their exact count.
    #[test]
    fn capped_overlaps_equal_brute_force(
        doc in arbitrary_document(),
        cap in 0..12usize,
        overlap_km in 0.0..5.0f64,
        critical_km in prop_oneof![0.0..2.0f64, Just(0.0), 4.0..6.0f64],
    ) {
        let rules = RulesConfig { max_pairs_per_city: cap, overlap_km, critical_km, ..RulesConfig::default() };
        prop_assert_eq!(capped_by_engine(&doc, &rules), capped_by_brute_force(&doc, &rules));
    }

    /// Folded or not, the findings are the same in any record order.
    #[test]
    fn capped_findings_do_not_depend_on_record_order(
        doc in arbitrary_document(),
        seed in any::<u64>(),
        cap in 0..8usize,
    ) {
        let rules = RulesConfig { max_pairs_per_city: cap, ..RulesConfig::default() };
        let original = analyse_with(&doc, &rules);
        let reordered = analyse_with(&shuffled(&doc, seed), &rules);
        prop_assert_eq!(original, reordered);
    }
}
