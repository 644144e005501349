use rollout_dash::analysis::Analysis;
use rollout_dash::config::RulesConfig;
use rollout_dash::feed::snapshot::Snapshot;
#[test]
fn measure() {
    let s = Snapshot::new(rollout_dash::feed::synthetic::generate(
        20_000,
        rollout_dash::feed::server::SYNTHETIC_SEED,
    ));
    let a = Analysis::of(&s, &RulesConfig::default());
    let t = std::time::Instant::now();
    let ids: Vec<_> = a.findings.iter().map(|f| f.id()).collect();
    eprintln!("{} ids in {:?}", ids.len(), t.elapsed());
    let t = std::time::Instant::now();
    let keys: Vec<_> = a.findings.iter().map(|f| f.canonical_key()).collect();
    eprintln!("{} keys in {:?}", keys.len(), t.elapsed());
}
