//! What changed between two consecutive snapshots, for the change log.

use std::borrow::Cow;
use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::{Finding, Severity};
use crate::feed::snapshot::Snapshot;
use crate::feed::wire::{CityId, PartnerId, StoreId, WireValue};
use crate::i18n::Lang;
use crate::tr;

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

/// The changes from `old` to `new`, in a stable order (stores, partners,
/// cities, findings), described in `lang`.
pub fn diff(
    old: &Snapshot,
    old_findings: &[Finding],
    new: &Snapshot,
    new_findings: &[Finding],
    lang: Lang,
) -> Vec<Change> {
    let at = new.document.generated_at;
    let mut changes = Vec::new();
    let change = |kind,
                  city: Option<&CityId>,
                  partner: Option<&PartnerId>,
                  store: Option<&StoreId>,
                  message: Cow<'static, str>| Change {
        at,
        kind,
        city: city.cloned(),
        partner: partner.cloned(),
        store: store.cloned(),
        message: message.into_owned(),
    };
    let percent = |value: f64| format!("{value:.0}");
    for store in new.stores() {
        let partner = store.operator.partner();
        match old.store(store.id.as_str()) {
            None => changes.push(change(
                ChangeKind::StoreAdded,
                Some(&store.city),
                partner,
                Some(&store.id),
                tr!(
                    lang,
                    "change-store-added",
                    store = store.name.as_str(),
                    id = store.id.escaped(),
                    // The id, as the history (which keeps no cities with
                    // its steps) describes it too.
                    city = store.city.escaped(),
                ),
            )),
            Some(before) if before.renovation.phase != store.renovation.phase => {
                changes.push(change(
                    ChangeKind::StorePhase,
                    Some(&store.city),
                    partner,
                    Some(&store.id),
                    tr!(
                        lang,
                        "change-store-phase",
                        store = store.name.as_str(),
                        from = before.renovation.phase.as_str(),
                        to = store.renovation.phase.as_str(),
                        percent = percent(store.renovation.percent),
                    ),
                ));
            }
            Some(before) if before.renovation.percent != store.renovation.percent => {
                changes.push(change(
                    ChangeKind::StorePercent,
                    Some(&store.city),
                    partner,
                    Some(&store.id),
                    tr!(
                        lang,
                        "change-store-percent",
                        store = store.name.as_str(),
                        from = percent(before.renovation.percent),
                        to = percent(store.renovation.percent),
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
                tr!(
                    lang,
                    "change-store-removed",
                    store = store.name.as_str(),
                    id = store.id.escaped(),
                ),
            ));
        }
    }
    for partner in new.partners() {
        let name = local_first(lang, &partner.name, partner.local_name.as_deref());
        match old.partner(partner.id.as_str()) {
            None => changes.push(change(
                ChangeKind::PartnerAdded,
                None,
                Some(&partner.id),
                None,
                tr!(
                    lang,
                    "change-partner-added",
                    partner = name,
                    stage = partner.agreement.stage.as_str(),
                ),
            )),
            Some(before) if before.agreement.stage != partner.agreement.stage => {
                changes.push(change(
                    ChangeKind::AgreementStage,
                    None,
                    Some(&partner.id),
                    None,
                    tr!(
                        lang,
                        "change-agreement-stage",
                        partner = name,
                        from = before.agreement.stage.as_str(),
                        to = partner.agreement.stage.as_str(),
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
                    tr!(
                        lang,
                        "change-recruitment-status",
                        city = local_first(lang, &city.name, city.local_name.as_deref()),
                        from = was.as_str(),
                        to = is.as_str(),
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
            appeared(
                lang,
                finding.severity,
                &finding.origin.label(),
                &finding.message(new, lang),
            )
            .into(),
        ));
    }
    for finding in old_findings.iter().filter(|f| !new_keys.contains(&key(f))) {
        changes.push(change(
            ChangeKind::ConflictCleared,
            finding.city.as_ref(),
            finding.partners.first(),
            finding.stores.first(),
            cleared(lang, &finding.origin.label(), &finding.message(old, lang)).into(),
        ));
    }
    changes
}

/// "critical territory_overlap appeared: <sentence>": a finding that
/// appeared, by its severity, its label (the rule id, or `feed:<kind>`)
/// and its sentence. The history describes its findings with it too.
pub fn appeared(lang: Lang, severity: Severity, label: &str, message: &str) -> String {
    tr!(
        lang,
        "change-appeared",
        severity = word_of(lang, "severity", severity.word()),
        rule = label,
        message = message,
    )
    .into_owned()
}

/// "territory_overlap cleared: <sentence>": a finding that cleared.
pub fn cleared(lang: Lang, label: &str, message: &str) -> String {
    tr!(lang, "change-cleared", rule = label, message = message).into_owned()
}

/// The catalog's word for a value of the contract; one it does not know as
/// the feed sent it.
fn word_of<'a>(lang: Lang, group: &str, wire: &'a str) -> Cow<'a, str> {
    lang.word(group, wire).unwrap_or(Cow::Borrowed(wire))
}

/// A city's or partner's name in `lang`: in Chinese its Chinese name where
/// it has one.
fn local_first<'a>(lang: Lang, name: &'a str, local: Option<&'a str>) -> &'a str {
    match local.map(str::trim) {
        Some(local) if lang == Lang::Zh && !local.is_empty() => local,
        _ => name,
    }
}
