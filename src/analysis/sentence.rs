//! A finding's sentence, written when somebody reads it.
//!
//! A national feed yields tens of thousands of findings, and only the rows on
//! screen (or a report) are ever read: writing every sentence during the
//! analysis was most of its cost. A finding keeps what the snapshot cannot
//! tell again ([`Evidence`]); everything else comes from the snapshot's
//! records when the sentence is written.

use std::fmt::Write as _;
use std::sync::Arc;

use chrono::NaiveDate;

use super::conflicts::{Criteria, Met};
use super::progress::percent;
use super::{Finding, Origin, Rule, Severity};
use crate::feed::snapshot::Snapshot;
use crate::feed::text;
use crate::feed::wire::{Channel, Partner, Store, StoreId, StoreKind, Text, WireValue};
use crate::i18n::Lang;

/// What a finding measured that its snapshot's records do not say again.
#[derive(Clone, Debug, PartialEq)]
pub enum Evidence {
    /// The records of the stores, partners and city named are enough.
    Records,
    /// `delivery_after_agency`: the dates compared and the first delivery
    /// center (the finding's store is the first agency store).
    DeliveryAfterAgency {
        /// The first agency store's planned opening.
        agency_open: NaiveDate,
        /// The first delivery center.
        center: StoreId,
        /// Its planned opening.
        center_open: NaiveDate,
    },
    /// `competitor_brand`: the configured brands the operator sells, as the
    /// feed spells them.
    CompetitorBrand {
        /// The brands matched.
        brands: Arc<[Text]>,
    },
    /// `territory_overlap` and `agency_overlap`.
    Overlap(Overlap),
    /// `territory_overlap` or `agency_overlap`: the pairs of one city beyond
    /// `rules.max_pairs_per_city`, as one finding (boxed: rare, and every
    /// finding is as large as the largest evidence).
    Folded(Box<FoldedPairs>),
    /// The feed's own warning, in its own words.
    Feed(Text),
}

/// Two stores too close or in one district, and the thresholds they were held to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Overlap {
    /// Their distance, when both have a valid location.
    pub km: Option<f64>,
    /// Whether they name the same district.
    pub same_district: bool,
    /// The configured overlap distance.
    pub overlap_km: f64,
    /// The configured critical distance.
    pub critical_km: f64,
}

/// The pairs of one pair rule in one city beyond those listed one by one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FoldedPairs {
    /// How many pairs the finding stands for (at least this many unless `exact`).
    pub pairs: u64,
    /// Whether `pairs` is the exact count; the search's work limit can make
    /// it a lower bound.
    pub exact: bool,
    /// How many of the rule's pairs in the city are listed one by one.
    pub listed: usize,
    /// The first folded pair (the finding's two stores), when the search got to it.
    pub first: Option<Overlap>,
    /// The search stopped at its work limit: the listed pairs are real but
    /// not necessarily the first, and the folded ones may be critical.
    pub stopped: bool,
    /// The configured overlap distance.
    pub overlap_km: f64,
    /// The configured critical distance.
    pub critical_km: f64,
}

/// Writes the finding's sentence, naming records from `snapshot` (the
/// snapshot the finding was found in).
pub fn write(finding: &Finding, snapshot: &Snapshot, lang: Lang, out: &mut String) {
    let _ = lang;
    let start = out.len();
    write_words(finding, snapshot, out);
    // Ids are kept exactly as the feed sent them and stand in for missing
    // names: whatever they hold must not reach a terminal.
    text::make_safe_from(out, start);
}

fn write_words(finding: &Finding, snapshot: &Snapshot, out: &mut String) {
    let rule = match &finding.origin {
        Origin::Rule(rule) => *rule,
        Origin::Feed { .. } => {
            if let Evidence::Feed(message) = &finding.evidence {
                out.push_str(message);
            }
            return;
        }
    };
    let store = |n: usize| {
        let id = finding.stores.get(n)?;
        snapshot.store(id.as_str())
    };
    let words = Words {
        snapshot,
        finding,
        named: [store(0), store(1)],
    };
    match (rule, &finding.evidence) {
        (Rule::UnqualifiedPartner, _) => words.unqualified_partner(out),
        (
            Rule::DeliveryAfterAgency,
            Evidence::DeliveryAfterAgency {
                agency_open,
                center,
                center_open,
            },
        ) => words.delivery_after_agency(*agency_open, center, *center_open, out),
        (Rule::NoDeliveryCenter, _) => words.no_delivery_center(out),
        (Rule::ScheduleSlip, _) => words.schedule_slip(out),
        (Rule::DisplayVehicleLate, _) => words.display_vehicle_late(out),
        (Rule::CompetitorBrand, Evidence::CompetitorBrand { brands }) => {
            words.competitor_brand(brands, out);
        }
        (Rule::OutsideRecruitment, _) => words.outside_recruitment(out),
        (Rule::TerritoryOverlap | Rule::AgencyOverlap, Evidence::Overlap(overlap)) => {
            words.overlap(rule, overlap, out);
        }
        (Rule::TerritoryOverlap | Rule::AgencyOverlap, Evidence::Folded(folded)) => {
            words.folded(rule, folded, out);
        }
        // Rules always record their evidence; this is only a safe fallback.
        (rule, _) => {
            let _ = write!(out, "{} in {}", rule.id(), words.city_name());
        }
    }
}

/// The sentence writer's view of one finding in its snapshot.
struct Words<'a> {
    snapshot: &'a Snapshot,
    finding: &'a Finding,
    /// The records of the first two stores named, looked up once: a
    /// sentence names them several times, and filtering writes thousands.
    named: [Option<&'a Store>; 2],
}

impl<'a> Words<'a> {
    fn store(&self, n: usize) -> Option<&'a Store> {
        self.named.get(n).copied().flatten()
    }

    /// The finding's `n`th store described with its partner, or its id.
    fn label(&self, n: usize, out: &mut String) {
        match self.store(n) {
            Some(store) => describe(self.snapshot, store, true, out),
            None => out.push_str(self.finding.stores.get(n).map_or("", |id| id.as_str())),
        }
    }

    fn city_name(&self) -> &'a str {
        let Some(id) = &self.finding.city else {
            return "";
        };
        self.snapshot
            .city(id.as_str())
            .map(|c| c.name.as_str())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(id.as_str())
    }

    fn today(&self) -> NaiveDate {
        self.snapshot.document.generated_at.date_naive()
    }

    fn unqualified_partner(&self, out: &mut String) {
        let Some(id) = self.finding.partners.first() else {
            return;
        };
        let Some(partner) = self.snapshot.partner(id.as_str()) else {
            let _ = write!(out, "partner {id} does not meet the recruitment criteria");
            return;
        };
        let criteria = Criteria::of(partner);
        let mut reasons = Vec::new();
        if criteria.group == Met::No {
            reasons
                .push("is tier \"other\" (neither a top-100 nor a strong regional dealer group)");
        }
        if criteria.experience == Met::No {
            reasons.push("has sold neither luxury nor new-energy cars");
        }
        let _ = write!(
            out,
            "partner {} has signed a contract but {}",
            partner_label(partner),
            reasons.join(" and ")
        );
    }

    fn delivery_after_agency(
        &self,
        agency_open: NaiveDate,
        center: &StoreId,
        center_open: NaiveDate,
        out: &mut String,
    ) {
        let _ = write!(out, "in {}, the first agency store, ", self.city_name());
        self.label(0, out);
        let center = self
            .snapshot
            .store(center.as_str())
            .map_or(center.as_str(), store_name);
        let _ = write!(
            out,
            ", is planned to open on {agency_open}, {} before the first delivery center, {center}, on {center_open}",
            plural((center_open - agency_open).num_days(), "day"),
        );
    }

    fn no_delivery_center(&self, out: &mut String) {
        let names: Vec<&str> = self
            .finding
            .stores
            .iter()
            .map(|id| {
                self.snapshot
                    .store(id.as_str())
                    .map_or(id.as_str(), store_name)
            })
            .collect();
        let partner_names: Vec<&str> = self
            .finding
            .partners
            .iter()
            .map(|id| partner_name(self.snapshot, id.as_str()))
            .collect();
        let _ = write!(
            out,
            "{} has {} ({}",
            self.city_name(),
            plural(names.len() as i64, "agency store"),
            list(&names, 3)
        );
        if !partner_names.is_empty() {
            let _ = write!(
                out,
                "; partner{} {}",
                if partner_names.len() == 1 { "" } else { "s" },
                list(&partner_names, 3)
            );
        }
        out.push_str(") but no delivery center to deliver and service the cars they sell");
    }

    fn schedule_slip(&self, out: &mut String) {
        let today = self.today();
        self.label(0, out);
        let Some(store) = self.store(0) else { return };
        let planned = store.renovation.planned_open.unwrap_or(today);
        let _ = write!(
            out,
            " was planned to open on {planned}, {} before the feed's date {today}, but is still in phase {} ({:.0}%)",
            plural((today - planned).num_days(), "day"),
            store.renovation.phase,
            percent(store)
        );
    }

    fn display_vehicle_late(&self, out: &mut String) {
        out.push_str("the display car for ");
        self.label(0, out);
        let Some(eta) = self.store(0).and_then(|s| s.renovation.display_vehicle_eta) else {
            out.push_str(" is late");
            return;
        };
        let mut reasons = Vec::new();
        if let Some(open) = self.store(0).and_then(|s| s.renovation.planned_open)
            && eta > open
        {
            reasons.push(format!(
                "{} after its planned opening on {}",
                plural((eta - open).num_days(), "day"),
                open
            ));
        }
        if let Some(deadline) = self.snapshot.document.program.display_vehicle_deadline
            && eta > deadline
        {
            reasons.push(format!(
                "{} after the programme's display-car deadline {}",
                plural((eta - deadline).num_days(), "day"),
                deadline
            ));
        }
        let _ = write!(out, " is due on {eta}, {}", reasons.join(" and "));
    }

    fn competitor_brand(&self, brands: &[Text], out: &mut String) {
        match self.store(0) {
            Some(store) => describe(self.snapshot, store, false, out),
            None => self.label(0, out),
        }
        let partner = self
            .finding
            .partners
            .first()
            .map_or("", |id| partner_name(self.snapshot, id.as_str()));
        let _ = write!(
            out,
            " is run by {partner}, which also sells the competing brand{} {}",
            if brands.len() == 1 { "" } else { "s" },
            list(brands, usize::MAX)
        );
    }

    fn outside_recruitment(&self, out: &mut String) {
        self.label(0, out);
        let planned = self
            .finding
            .city
            .as_ref()
            .and_then(|id| self.snapshot.city(id.as_str()))
            .is_some_and(|city| city.recruitment.is_some());
        let why = if planned {
            "whose dealer recruitment is only planned"
        } else {
            "which recruits no dealers"
        };
        let _ = write!(out, " is in {}, {why}", self.city_name());
    }

    /// "A is 2.4 km from B" / "A and B are 2.4 km apart"; without a distance,
    /// only the district can have made the pair.
    fn overlap(&self, rule: Rule, overlap: &Overlap, out: &mut String) {
        let Overlap {
            km,
            same_district,
            overlap_km,
            critical_km,
        } = *overlap;
        let district = self
            .store(0)
            .and_then(|s| s.district.as_deref())
            .map(str::trim)
            .unwrap_or_default();
        let both_agency = rule == Rule::AgencyOverlap;
        let critical = !both_agency && self.finding.severity == Severity::Critical;
        let within = km.is_some_and(|km| km <= overlap_km);
        self.label(0, out);
        match (km, both_agency) {
            (Some(km), true) => {
                out.push_str(" and ");
                self.label(1, out);
                out.push_str(" are ");
                write_distance(out, km, overlap_km);
                out.push_str(" apart");
            }
            (Some(km), false) => {
                let compared = if critical { critical_km } else { overlap_km };
                out.push_str(" is ");
                write_distance(out, km, compared);
                out.push_str(" from ");
                self.label(1, out);
            }
            (None, true) => {
                out.push_str(" and ");
                self.label(1, out);
                let _ = write!(out, " are in the same district ({district})");
            }
            (None, false) => {
                let _ = write!(out, " is in the same district ({district}) as ");
                self.label(1, out);
            }
        }
        if critical {
            out.push_str(", closer than the critical ");
            write_threshold(out, critical_km);
        } else if within {
            out.push_str(", within the ");
            write_threshold(out, overlap_km);
            out.push_str(" overlap distance");
        }
        match (km, within) {
            (Some(_), true) if same_district => {
                out.push_str("; same district (");
                out.push_str(district);
                out.push(')');
            }
            (Some(_), false) => {
                out.push_str(" but in the same district (");
                out.push_str(district);
                out.push(')');
            }
            (None, _) => out.push_str("; a location is missing, so the distance is unknown"),
            _ => {}
        }
    }
}

impl Words<'_> {
    /// "1,484,500 more pairs of an agency store and a direct store in Xi'an
    /// are within 3.0 km of each other or in one district, …; the first: …".
    fn folded(&self, rule: Rule, folded: &FoldedPairs, out: &mut String) {
        let what = if rule == Rule::AgencyOverlap {
            "agency stores of two partners"
        } else {
            "an agency store and a direct store"
        };
        let city = self.city_name();
        let listed = folded.listed;
        if folded.pairs == 0 {
            // Only a search cut short says this: it cannot tell whether any are left.
            let _ = write!(out, "there may be more pairs of {what} in {city} within ");
            write_threshold(out, folded.overlap_km);
            let _ = write!(
                out,
                " of each other or in one district than the {listed} listed: the pair search stopped at its work limit"
            );
            return;
        }
        if !folded.exact {
            out.push_str("at least ");
        }
        out.push_str(&thousands(folded.pairs));
        let (pairs, are) = if folded.pairs == 1 {
            ("pair", "is")
        } else {
            ("pairs", "are")
        };
        let _ = write!(out, " more {pairs} of {what} in {city} {are} within ");
        write_threshold(out, folded.overlap_km);
        let _ = write!(
            out,
            " of each other or in one district, shown as this one finding after the {listed} listed one by one (rules.max_pairs_per_city)"
        );
        if let Some(first) = &folded.first {
            out.push_str("; the first: ");
            self.overlap(rule, first, out);
        }
        if folded.stopped {
            out.push_str(
                "; the pair search stopped at its work limit, so the pairs listed are not necessarily the first",
            );
            if self.finding.severity == Severity::Critical {
                out.push_str(" and some of these may be closer than the critical ");
                write_threshold(out, folded.critical_km);
            }
        } else if !folded.exact {
            out.push_str("; the pair search stopped counting at its work limit");
        }
    }
}

/// "1,484,500".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// "agency 2S store Chongqing Yubei 2S (partner Sichuan Ganghong Group)".
fn describe(snapshot: &Snapshot, store: &Store, with_partner: bool, out: &mut String) {
    let name = store_name(store);
    let kind = match store.kind {
        StoreKind::DeliveryCenter => "delivery center",
        StoreKind::XiaomiHome => "Xiaomi Home",
        StoreKind::SalesService2s => "2S store",
        StoreKind::Unknown(_) => "store",
    };
    let channel = store.channel.as_str();
    if !channel.is_empty() {
        out.push_str(channel);
        out.push(' ');
    }
    // "direct Xiaomi Home Xiaomi Home Wulin" reads badly: name the kind once.
    if !contains_ignore_ascii_case(name, kind) {
        out.push_str(kind);
        out.push(' ');
    }
    out.push_str(name);
    if with_partner
        && store.channel == Channel::Agency
        && let Some(partner) = store.operator.partner()
    {
        // push_str, not write!: filtering writes tens of thousands of these.
        out.push_str(" (partner ");
        out.push_str(partner_name(snapshot, partner.as_str()));
        out.push(')');
    }
}

/// Whether a name is empty or only blanks (the id stands in for it).
fn is_blank(name: &str) -> bool {
    name.chars().all(char::is_whitespace)
}

/// A partner's name, or its id when the feed has no record or no name.
fn partner_name<'a>(snapshot: &'a Snapshot, id: &'a str) -> &'a str {
    snapshot.partner(id).map_or(id, partner_label)
}

fn partner_label(partner: &Partner) -> &str {
    let name = partner.name.as_str();
    if is_blank(name) {
        partner.id.as_str()
    } else {
        name
    }
}

/// A store's name, or its id when the name is blank.
pub(super) fn store_name(store: &Store) -> &str {
    let name = store.name.as_str();
    if is_blank(name) {
        store.id.as_str()
    } else {
        name
    }
}

/// "a", "a and b", "a, b and c", "a, b, c and 2 more".
fn list<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(AsRef::as_ref).collect();
    let rest = items.len() - shown.len();
    match (shown.as_slice(), rest) {
        ([], _) => String::new(),
        ([one], 0) => (*one).to_owned(),
        (many, 0) => format!(
            "{} and {}",
            many[..many.len() - 1].join(", "),
            many[many.len() - 1]
        ),
        (many, rest) => format!("{} and {rest} more", many.join(", ")),
    }
}

/// Whether `haystack` contains `needle`, ignoring ASCII case.
pub(crate) fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    let Some(first) = needle.first().map(u8::to_ascii_lowercase) else {
        return true;
    };
    // The first byte first: most windows fail there, without a call.
    haystack.as_bytes().windows(needle.len()).any(|window| {
        window[0].to_ascii_lowercase() == first && window.eq_ignore_ascii_case(needle)
    })
}

fn plural(n: i64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A distance with one decimal, or two where one would make it look equal
/// to the threshold it is compared with (0.96 km against 1.0 km).
fn write_distance(out: &mut String, km: f64, compared_with: f64) {
    let rounded = |x: f64| (x * 10.0).round();
    let decimals = if km != compared_with && rounded(km) == rounded(compared_with) {
        2
    } else {
        1
    };
    write_fixed(out, km, decimals);
    out.push_str(" km");
}

/// A configured threshold: one decimal when that is exact, else as written.
fn write_threshold(out: &mut String, km: f64) {
    let mut one = String::new();
    write_fixed(&mut one, km, 1);
    if one.parse::<f64>() == Ok(km) {
        let _ = write!(out, "{one} km");
    } else {
        let _ = write!(out, "{km} km");
    }
}

/// Writes `value` with `decimals` decimals, rounded half away from zero.
fn write_fixed(out: &mut String, value: f64, decimals: u32) {
    let scale = 10_u64.pow(decimals);
    let scaled = (value.abs() * scale as f64).round();
    if !scaled.is_finite() || scaled >= 1e15 {
        let _ = write!(out, "{value:.*}", decimals as usize);
        return;
    }
    let scaled = scaled as u64;
    if value < 0.0 && scaled != 0 {
        out.push('-');
    }
    let _ = write!(
        out,
        "{}.{:0width$}",
        scaled / scale,
        scaled % scale,
        width = decimals as usize
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{PartnerIds, StoreIds};
    use crate::feed::demo::DEMO_FEED_JSON;
    use crate::feed::wire::CityId;

    /// A folded finding from a search cut short by its work limit: it says
    /// its count is a lower bound, and that it may hide critical pairs.
    #[test]
    fn a_folded_finding_says_what_it_does_not_know() {
        let snapshot = Snapshot::from_body(DEMO_FEED_JSON.as_bytes()).unwrap();
        let folded = |pairs, exact, stopped, severity| Finding {
            origin: Origin::Rule(Rule::TerritoryOverlap),
            severity,
            city: Some(CityId::new("xian")),
            stores: StoreIds::new(),
            partners: PartnerIds::new(),
            evidence: Evidence::Folded(Box::new(FoldedPairs {
                pairs,
                exact,
                listed: 37,
                first: None,
                stopped,
                overlap_km: 3.0,
                critical_km: 1.0,
            })),
        };
        let message =
            folded(1_234_567, false, true, Severity::Critical).message(&snapshot, Lang::En);
        assert_eq!(
            message,
            "at least 1,234,567 more pairs of an agency store and a direct store in Xi'an are \
             within 3.0 km of each other or in one district, shown as this one finding after \
             the 37 listed one by one (rules.max_pairs_per_city); the pair search stopped at \
             its work limit, so the pairs listed are not necessarily the first and some of \
             these may be closer than the critical 1.0 km"
        );
        let message = folded(1, false, false, Severity::Warning).message(&snapshot, Lang::En);
        assert!(message.starts_with("at least 1 more pair of "), "{message}");
        assert!(message.contains(" is within 3.0 km"), "{message}");
        assert!(
            message.ends_with("stopped counting at its work limit"),
            "{message}"
        );
        let message = folded(0, false, true, Severity::Warning).message(&snapshot, Lang::En);
        assert_eq!(
            message,
            "there may be more pairs of an agency store and a direct store in Xi'an within \
             3.0 km of each other or in one district than the 37 listed: the pair search \
             stopped at its work limit"
        );
    }

    fn distance(km: f64, compared_with: f64) -> String {
        let mut out = String::new();
        write_distance(&mut out, km, compared_with);
        out
    }

    fn threshold(km: f64) -> String {
        let mut out = String::new();
        write_threshold(&mut out, km);
        out
    }

    #[test]
    fn lists_and_figures_read_as_english() {
        assert_eq!(list(&["a"], 3), "a");
        assert_eq!(list(&["a", "b"], 3), "a and b");
        assert_eq!(list(&["a", "b", "c"], 3), "a, b and c");
        assert_eq!(list(&["a", "b", "c", "d", "e"], 3), "a, b, c and 2 more");
        assert_eq!(distance(2.39, 3.0), "2.4 km");
        assert_eq!(distance(0.96, 1.0), "0.96 km");
        assert_eq!(distance(1.0, 1.0), "1.0 km");
        assert_eq!(distance(16.84, 3.0), "16.8 km");
        let fixed = |value: f64, decimals: u32| {
            let mut out = String::new();
            write_fixed(&mut out, value, decimals);
            out
        };
        assert_eq!(fixed(0.05, 2), "0.05");
        assert_eq!(fixed(2.0, 1), "2.0");
        assert_eq!(fixed(0.0, 1), "0.0");
        assert_eq!(fixed(-1.25, 1), "-1.3");
        assert_eq!(threshold(3.0), "3.0 km");
        assert_eq!(threshold(2.25), "2.25 km");
        assert!(contains_ignore_ascii_case(
            "Beijing Delivery Center",
            "delivery center"
        ));
        assert!(!contains_ignore_ascii_case("Xiaomi Ho", "Xiaomi Home"));
        assert_eq!(plural(1, "day"), "1 day");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_484_500), "1,484,500");
        assert_eq!(plural(6, "day"), "6 days");
    }
}
