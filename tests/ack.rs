//! Issue 13, points 1 to 3: finding ids, acknowledgements (store, CLI,
//! concurrency, expiry) and `report` with acknowledgements.

mod common;

use std::collections::{BTreeSet, HashSet};

use proptest::prelude::*;

use rollout_dash::analysis::{Analysis, Evidence, FindingId};
use rollout_dash::config::RulesConfig;
use rollout_dash::feed::server::SYNTHETIC_SEED;
use rollout_dash::feed::snapshot::Snapshot;
use rollout_dash::feed::synthetic;
use rollout_dash::feed::wire::Document;

// ----- point 1: finding ids -----------------------------------------------

/// Rules that fold early, so that small documents have folded pair findings.
fn folding_rules() -> RulesConfig {
    RulesConfig {
        max_pairs_per_city: 2,
        overlap_km: 60.0,
        ..RulesConfig::default()
    }
}

fn ids(document: Document, rules: &RulesConfig) -> BTreeSet<FindingId> {
    let snapshot = Snapshot::new(document);
    let analysis = Analysis::of(&snapshot, rules);
    let ids: BTreeSet<FindingId> = analysis.findings.iter().map(|f| f.id()).collect();
    assert_eq!(
        ids.len(),
        analysis.findings.len(),
        "two findings share an id"
    );
    ids
}

fn shuffle<T>(list: &mut [T], rng: &mut fastrand::Rng) {
    rng.shuffle(list);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Same rule over the same records = same id, whatever the order of
    /// the cities, partners, stores and the feed's warnings.
    #[test]
    fn shuffled_documents_give_the_same_ids(seed in any::<u64>(), stores in 150usize..400) {
        let rules = folding_rules();
        let document = synthetic::generate(stores, SYNTHETIC_SEED);
        let expected = ids(document.clone(), &rules);
        let mut shuffled = document;
        let mut rng = fastrand::Rng::with_seed(seed);
        shuffle(&mut shuffled.cities, &mut rng);
        shuffle(&mut shuffled.partners, &mut rng);
        shuffle(&mut shuffled.stores, &mut rng);
        shuffle(&mut shuffled.warnings, &mut rng);
        prop_assert_eq!(ids(shuffled, &rules), expected);
    }
}

/// The folded findings the property test relies on are there, and have
/// ids of their own.
#[test]
fn folded_pair_findings_have_ids() {
    let snapshot = Snapshot::new(synthetic::generate(400, SYNTHETIC_SEED));
    let analysis = Analysis::of(&snapshot, &folding_rules());
    let folded: Vec<_> = analysis
        .findings
        .iter()
        .filter(|f| matches!(f.evidence, Evidence::Folded(_)))
        .collect();
    assert!(folded.len() >= 2, "{} folded findings", folded.len());
    for finding in folded {
        let id = finding.id();
        assert!(
            id.as_str().starts_with("to-") || id.as_str().starts_with("ao-"),
            "{id}"
        );
        assert_eq!(FindingId::parse(id.as_str()).unwrap(), id);
    }
}

/// The national-scale synthetic feed: every finding has an id of its own.
#[test]
fn no_two_findings_share_an_id_at_national_scale() {
    let document = synthetic::generate(20_000, SYNTHETIC_SEED);
    let snapshot = Snapshot::new(document);
    let analysis = Analysis::of(&snapshot, &RulesConfig::default());
    assert!(
        analysis.findings.len() > 40_000,
        "{}",
        analysis.findings.len()
    );
    let keys: HashSet<String> = analysis
        .findings
        .iter()
        .map(|f| f.canonical_key())
        .collect();
    assert_eq!(
        keys.len(),
        analysis.findings.len(),
        "two findings share a key"
    );
    let ids: HashSet<FindingId> = analysis.findings.iter().map(|f| f.id()).collect();
    assert_eq!(
        ids.len(),
        analysis.findings.len(),
        "two findings share an id"
    );
}

/// `report --format json` gives each conflict's id, the one `Finding::id` computes.
#[test]
fn the_json_report_gives_each_conflict_its_id() {
    let snapshot = Snapshot::from_body(common::colocated(0).as_bytes()).unwrap();
    let analysis = Analysis::of(&snapshot, &RulesConfig::default());
    let report = rollout_dash::report::Report::new("http://feed", &snapshot, &analysis);
    let json = serde_json::to_value(&report).unwrap();
    let given: Vec<&str> = json["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let expected: Vec<FindingId> = analysis
        .findings
        .iter()
        .filter(|f| f.is_conflict())
        .map(|f| f.id())
        .collect();
    assert!(!given.is_empty());
    assert_eq!(
        given,
        expected.iter().map(FindingId::as_str).collect::<Vec<_>>()
    );
}
