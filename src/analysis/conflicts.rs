//! The nine conflict rules of `feed-contract.md`.

use super::Finding;
use crate::config::RulesConfig;
use crate::feed::snapshot::Snapshot;

/// Every conflict the snapshot implies, in no particular order.
pub fn find_conflicts(snapshot: &Snapshot, rules: &RulesConfig) -> Vec<Finding> {
    let _ = (snapshot, rules);
    Vec::new()
}
