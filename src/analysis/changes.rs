//! What changed between two consecutive snapshots, for the change log.

use std::collections::HashSet;

use crate::i18n::Lang;

use chrono::{DateTime, Utc};

use super::Finding;
use crate::feed::snapshot::Snapshot;
use crate::feed::wire::{CityId, PartnerId, StoreId, WireValue};

/// What kind of change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// A store appeared in the feed.
    StoreAdded,
    /// A store left the feed.
    StoreRemoved,
    /// A store moved to another build-out phase.
    StorePhase,
    /// A store's build-out percent moved within its phase.
    StorePercent,
    /// A partner appeared in the feed.
    PartnerAdded,
    /// A partner's agreement stage changed (signed, contracted, terminated).
    AgreementStage,
    /// A city's recruitment status changed.
    RecruitmentStatus,
    /// A finding appeared.
    ConflictAppeared,
    /// A finding cleared.
    ConflictCleared,
}

/// One change, timestamped, with the city and partner it concerns.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// When it was seen (the new snapshot's `generated_at`).
    pub at: DateTime<Utc>,
    /// What kind of change.
    pub kind: ChangeKind,
    /// The city concerned.
    pub city: Option<CityId>,
    /// The partner concerned.
    pub partner: Option<PartnerId>,
    /// The store concerned.
    pub store: Option<StoreId>,
    /// One line for the change log.
    pub message: String,
}

/// The changes from `old` to `new`, in a stable order (stores, partners, cities, findings).
pub fn diff(
    old: &Snapshot,
    old_findings: &[Finding],
    new: &Snapshot,
    new_findings: &[Finding],
) -> Vec<Change> {
    let at = new.document.generated_at;
    let mut changes = Vec::new();
    let change = |kind,
                  city: Option<&CityId>,
                  partner: Option<&PartnerId>,
                  store: Option<&StoreId>,
                  message: String| Change {
        at,
        kind,
        city: city.cloned(),
        partner: partner.cloned(),
        store: store.cloned(),
        message,
    };
    for store in new.stores() {
        let partner = store.operator.partner();
        match old.store(store.id.as_str()) {
            None => changes.push(change(
                ChangeKind::StoreAdded,
                Some(&store.city),
                partner,
                Some(&store.id),
                format!("new store {} ({}) in {}", store.name, store.id, store.city),
            )),
            Some(before) if before.renovation.phase != store.renovation.phase => {
                changes.push(change(
                    ChangeKind::StorePhase,
                    Some(&store.city),
                    partner,
                    Some(&store.id),
                    format!(
                        "{} moved {} -> {} ({:.0}%)",
                        store.name,
                        before.renovation.phase.as_str(),
                        store.renovation.phase.as_str(),
                        store.renovation.percent
                    ),
                ));
            }
            Some(before) if before.renovation.percent != store.renovation.percent => {
                changes.push(change(
                    ChangeKind::StorePercent,
                    Some(&store.city),
                    partner,
                    Some(&store.id),
                    format!(
                        "{} build-out {:.0}% -> {:.0}%",
                        store.name, before.renovation.percent, store.renovation.percent
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    for store in old.stores() {
        if new.store(store.id.as_str()).is_none() {
            changes.push(change(
                ChangeKind::StoreRemoved,
                Some(&store.city),
                store.operator.partner(),
                Some(&store.id),
                format!("store {} ({}) left the feed", store.name, store.id),
            ));
        }
    }
    for partner in new.partners() {
        match old.partner(partner.id.as_str()) {
            None => changes.push(change(
                ChangeKind::PartnerAdded,
                None,
                Some(&partner.id),
                None,
                format!(
                    "new partner {} at stage {}",
                    partner.name,
                    partner.agreement.stage.as_str()
                ),
            )),
            Some(before) if before.agreement.stage != partner.agreement.stage => {
                changes.push(change(
                    ChangeKind::AgreementStage,
                    None,
                    Some(&partner.id),
                    None,
                    format!(
                        "{} agreement {} -> {}",
                        partner.name,
                        before.agreement.stage.as_str(),
                        partner.agreement.stage.as_str()
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    for city in new.cities() {
        if let Some(before) = old.city(city.id.as_str()) {
            let (was, is) = (before.recruitment_status(), city.recruitment_status());
            if was != is {
                changes.push(change(
                    ChangeKind::RecruitmentStatus,
                    Some(&city.id),
                    None,
                    None,
                    format!(
                        "{} recruitment {} -> {}",
                        city.name,
                        was.as_str(),
                        is.as_str()
                    ),
                ));
            }
        }
    }
    let key = |f: &Finding| {
        (
            f.origin.clone(),
            f.city.clone(),
            f.stores.clone(),
            f.partners.clone(),
        )
    };
    let old_keys: HashSet<_> = old_findings.iter().map(key).collect();
    let new_keys: HashSet<_> = new_findings.iter().map(key).collect();
    for finding in new_findings.iter().filter(|f| !old_keys.contains(&key(f))) {
        changes.push(change(
            ChangeKind::ConflictAppeared,
            finding.city.as_ref(),
            finding.partners.first(),
            finding.stores.first(),
            format!(
                "{} {} appeared: {}",
                finding.severity.word(),
                finding.origin.label(),
                finding.message(new, Lang::En)
            ),
        ));
    }
    for finding in old_findings.iter().filter(|f| !new_keys.contains(&key(f))) {
        changes.push(change(
            ChangeKind::ConflictCleared,
            finding.city.as_ref(),
            finding.partners.first(),
            finding.stores.first(),
            format!(
                "{} cleared: {}",
                finding.origin.label(),
                finding.message(old, Lang::En)
            ),
        ));
    }
    changes
}
