//! Which recorded finding is which, across snapshots.
//!
//! A finding is keyed by its canonical key ([`Finding::canonical_key`]: the
//! rule id or `feed:<warning id>`, its city, and its store and partner ids,
//! sorted), the one definition its [`FindingId`] is a hash of. Files
//! written before ids existed hold the same keys, so they read as they did.

use crate::analysis::{Finding, FindingId};

/// A finding's identity in the history: a JSON array, so that ids holding
/// any character stay apart and the key can be printed and typed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FindingKey(pub String);

impl FindingKey {
    /// The key as stored and printed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id of the finding with this key.
    pub fn id(&self) -> FindingId {
        FindingId::of_key(&self.0)
    }
}

impl std::fmt::Display for FindingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The key of a finding: `["<rule id>" or "feed:<warning id>", city or
/// null, [store ids, sorted], [partner ids, sorted]]` (see
/// [`crate::analysis::id`]).
pub fn finding_key(finding: &Finding) -> FindingKey {
    FindingKey(finding.canonical_key())
}

/// A key read back: what the finding's change in the change log names.
#[derive(Default)]
pub(crate) struct KeyParts {
    /// The rule id, or `feed:<warning id>`.
    pub origin: String,
    pub city: Option<String>,
    pub stores: Vec<String>,
    pub partners: Vec<String>,
}

impl KeyParts {
    /// The parts of `key`; empty ones for a key that is not one of ours.
    pub(crate) fn of(key: &str) -> KeyParts {
        serde_json::from_str(key)
            .map(|(origin, city, stores, partners)| KeyParts {
                origin,
                city,
                stores,
                partners,
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Evidence, Origin, Rule, Severity};
    use crate::feed::wire::{CityId, PartnerId, StoreId, Text, WarningId};

    fn finding(origin: Origin, stores: &[&str], partners: &[&str]) -> Finding {
        Finding {
            origin,
            severity: Severity::Warning,
            city: Some(CityId::new("suzhou")),
            stores: stores.iter().map(|s| StoreId::new(s)).collect(),
            partners: partners.iter().map(|p| PartnerId::new(p)).collect(),
            evidence: Evidence::Feed(Text::new("x")),
        }
    }

    #[test]
    fn the_order_of_the_ids_does_not_matter_but_every_byte_does() {
        let rule = Origin::Rule(Rule::AgencyOverlap);
        let a = finding(rule.clone(), &["s2", "s1"], &["p|2", "p1"]);
        let b = finding(rule.clone(), &["s1", "s2"], &["p1", "p|2"]);
        assert_eq!(finding_key(&a), finding_key(&b));
        assert_eq!(finding_key(&a).id(), a.id());
        let c = finding(rule, &["s1", "s2\u{200b}"], &["p1", "p|2"]);
        assert_ne!(finding_key(&a), finding_key(&c));
    }

    #[test]
    fn a_feed_warning_never_takes_a_rule_key() {
        let feed = finding(
            Origin::Feed {
                id: WarningId::new("territory_overlap"),
                kind: None,
            },
            &[],
            &[],
        );
        let rule = finding(Origin::Rule(Rule::TerritoryOverlap), &[], &[]);
        assert_ne!(finding_key(&feed), finding_key(&rule));
        assert!(
            finding_key(&feed)
                .as_str()
                .contains("feed:territory_overlap")
        );
    }
}
