//! The `[rules]` section of the config: the thresholds and switches the
//! analysis runs with. It lives with the analysis, which owns its meaning;
//! the config reads it.

use serde::{Deserialize, Serialize};

use super::Rule;

/// The `[rules]` section: thresholds of the conflict rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RulesConfig {
    /// Stores at most this far apart (great-circle km) overlap.
    pub overlap_km: f64,
    /// A territory overlap strictly under this distance is critical.
    pub critical_km: f64,
    /// Brands whose sale by a partner counts as `competitor_brand` (case-insensitive).
    pub competitor_brands: Vec<String>,
    /// Rule ids switched off.
    pub disabled: Vec<String>,
    /// Pairs of one pair rule (`territory_overlap`, `agency_overlap`) listed
    /// one by one in one city; the rest are folded into one finding.
    pub max_pairs_per_city: usize,
}

impl Default for RulesConfig {
    fn default() -> Self {
        RulesConfig {
            overlap_km: 3.0,
            critical_km: 1.0,
            competitor_brands: ["BYD", "NIO", "XPeng", "Li Auto", "Tesla", "Zeekr", "Aito"]
                .map(String::from)
                .to_vec(),
            disabled: Vec::new(),
            max_pairs_per_city: 500,
        }
    }
}

impl RulesConfig {
    /// The largest `max_pairs_per_city` accepted: findings are kept in memory.
    pub const MAX_PAIRS_PER_CITY: usize = 100_000;

    /// Whether a rule is switched on.
    pub fn enabled(&self, rule: Rule) -> bool {
        !self.disabled.iter().any(|id| id == rule.id())
    }
}
