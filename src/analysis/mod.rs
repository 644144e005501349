//! Pure functions of a [`Snapshot`]: conflicts, progress, changes between two.

pub mod changes;
pub mod conflicts;
pub mod id;
pub mod index;
mod overlaps;
pub mod plan;
pub mod progress;
mod rules;
pub mod sentence;

use serde::Serialize;
use smallvec::SmallVec;

use crate::feed::snapshot::Snapshot;
use crate::feed::wire::{CityId, PartnerId, StoreId, Text, WarningId, WireSeverity};
use crate::i18n::Lang;

pub use changes::{Change, diff};
pub use id::FindingId;
pub use progress::{CityProgress, Totals};
pub use rules::RulesConfig;
pub use sentence::{Evidence, FoldedPairs, Overlap};

/// How serious a finding is; ordered so that `Critical` is the greatest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information.
    Info,
    /// Needs attention.
    Warning,
    /// Needs action now.
    Critical,
}

impl Severity {
    /// The word shown beside the symbol.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The feed's severity; one this client does not know counts as info.
    pub fn from_wire(wire: &WireSeverity) -> Self {
        match wire {
            WireSeverity::Critical => Severity::Critical,
            WireSeverity::Warning => Severity::Warning,
            WireSeverity::Info | WireSeverity::Unknown(_) => Severity::Info,
        }
    }
}

/// The conflict rules of `feed-contract.md`, by their stable ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// An agency store and a direct store too close, or in one district.
    TerritoryOverlap,
    /// Two partners' agency stores too close, or in one district.
    AgencyOverlap,
    /// A city with agency stores but no delivery center.
    NoDeliveryCenter,
    /// A city's first agency store opens before its first delivery center.
    DeliveryAfterAgency,
    /// A store past its planned opening and not open.
    ScheduleSlip,
    /// A display car due after the opening or after the programme deadline.
    DisplayVehicleLate,
    /// A contracted partner that does not meet the recruitment criteria.
    UnqualifiedPartner,
    /// An agency store whose operator also sells a competing EV brand.
    CompetitorBrand,
    /// An agency store in a city that is not recruiting.
    OutsideRecruitment,
}

impl Rule {
    /// Every rule, in the contract's order.
    pub const ALL: [Rule; 9] = [
        Rule::TerritoryOverlap,
        Rule::AgencyOverlap,
        Rule::NoDeliveryCenter,
        Rule::DeliveryAfterAgency,
        Rule::ScheduleSlip,
        Rule::DisplayVehicleLate,
        Rule::UnqualifiedPartner,
        Rule::CompetitorBrand,
        Rule::OutsideRecruitment,
    ];

    /// The stable rule id.
    pub const fn id(self) -> &'static str {
        match self {
            Rule::TerritoryOverlap => "territory_overlap",
            Rule::AgencyOverlap => "agency_overlap",
            Rule::NoDeliveryCenter => "no_delivery_center",
            Rule::DeliveryAfterAgency => "delivery_after_agency",
            Rule::ScheduleSlip => "schedule_slip",
            Rule::DisplayVehicleLate => "display_vehicle_late",
            Rule::UnqualifiedPartner => "unqualified_partner",
            Rule::CompetitorBrand => "competitor_brand",
            Rule::OutsideRecruitment => "outside_recruitment",
        }
    }

    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.id() == id)
    }
}

/// Where a finding comes from: one of our rules, or the feed's own warnings.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// Computed by the dashboard.
    Rule(Rule),
    /// Raised by the feed's owner.
    Feed {
        /// The feed's id for the warning.
        id: WarningId,
        /// The feed's category, if any.
        kind: Option<Text>,
    },
}

impl Origin {
    /// The rule id, or `feed:<kind>` for the feed's own warnings.
    pub fn label(&self) -> String {
        match self {
            Origin::Rule(rule) => rule.id().to_owned(),
            Origin::Feed { kind, .. } => {
                format!("feed:{}", kind.as_ref().map_or("warning", |k| k.as_str()))
            }
        }
    }
}

/// The stores a finding names: one or two almost always, kept inline.
pub type StoreIds = SmallVec<[StoreId; 2]>;

/// The partners a finding names: one or two almost always, kept inline.
pub type PartnerIds = SmallVec<[PartnerId; 2]>;

/// One collision (or feed warning): what, how bad, where, who, and what was measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The rule that fired, or the feed.
    pub origin: Origin,
    /// How serious.
    pub severity: Severity,
    /// The city concerned (absent for partner-wide findings).
    pub city: Option<CityId>,
    /// Stores involved.
    pub stores: StoreIds,
    /// Partners involved.
    pub partners: PartnerIds,
    /// What was measured, for [`Finding::message`].
    pub evidence: Evidence,
}

impl Finding {
    /// One sentence a person understands without the rulebook, in `lang`,
    /// naming the records of `snapshot`, the snapshot the finding was found in.
    pub fn message(&self, snapshot: &Snapshot, lang: Lang) -> String {
        let mut out = String::with_capacity(160);
        sentence::write(self, snapshot, lang, &mut out);
        out
    }

    /// The stable order: severity (worst first), city, rule, then ids.
    pub fn order_key(&self) -> impl Ord + '_ {
        (
            std::cmp::Reverse(self.severity),
            &self.city,
            &self.origin,
            &self.stores,
            &self.partners,
        )
    }

    /// Whether the dashboard's own rules found this (not the feed).
    pub fn is_conflict(&self) -> bool {
        matches!(self.origin, Origin::Rule(_))
    }
}

/// Everything the analysis derives from one snapshot.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Conflicts and the feed's warnings, in [`Finding::order_key`] order.
    pub findings: Vec<Finding>,
    /// Progress per city, in the snapshot's city order.
    pub cities: Vec<CityProgress>,
    /// Totals over the whole rollout.
    pub totals: Totals,
}

impl Analysis {
    /// Analyses a snapshot with the configured rules.
    pub fn of(snapshot: &Snapshot, rules: &RulesConfig) -> Self {
        // The conflicts come in order already; the feed's few warnings are
        // sorted and merged in as the conflicts are gathered, where sorting
        // the whole list again cost a fifth of the analysis at national scale.
        let mut feed: Vec<Finding> = feed_findings(snapshot).collect();
        feed.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        // Progress needs the stores alone: this thread works it out while
        // the city threads find the conflicts (it waited for them), and the
        // findings are counted for it as the cities' lists arrive.
        let (findings, counts, (mut cities, mut totals)) =
            conflicts::find_counted(snapshot, rules, feed, || {
                (
                    progress::city_progress_of_stores(snapshot),
                    progress::totals_of_stores(snapshot),
                )
            });
        progress::add_city_findings(&mut cities, &counts);
        progress::add_total_findings(&mut totals, &counts);
        Analysis {
            findings,
            cities,
            totals,
        }
    }

    /// The city a finding counts for: the city it names, whether our rules
    /// found it or the feed raised it. The one definition behind
    /// [`Analysis::findings_in`] and [`CityProgress::conflicts`], so the
    /// cities pane's badge, the city drill-down and `report` agree.
    pub fn city_of(finding: &Finding) -> Option<&CityId> {
        finding.city.as_ref()
    }

    /// The findings that concern one city (see [`Analysis::city_of`]); as
    /// many as its [`CityProgress::conflicts`].
    pub fn findings_in<'a>(&'a self, city: &str) -> impl Iterator<Item = &'a Finding> + 'a {
        let city = city.to_owned();
        self.findings
            .iter()
            .filter(move |f| Analysis::city_of(f).is_some_and(|c| c.as_str() == city))
    }

    /// The findings that name one partner.
    pub fn findings_for_partner<'a>(
        &'a self,
        partner: &str,
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        let partner = partner.to_owned();
        self.findings
            .iter()
            .filter(move |f| f.partners.iter().any(|p| p.as_str() == partner))
    }
}

/// The feed's own warnings as findings, marked as coming from the feed.
fn feed_findings(snapshot: &Snapshot) -> impl Iterator<Item = Finding> + '_ {
    snapshot.document.warnings.iter().map(|warning| Finding {
        origin: Origin::Feed {
            id: warning.id.clone(),
            kind: warning.kind.clone(),
        },
        severity: Severity::from_wire(&warning.severity),
        city: warning.city.clone(),
        stores: warning.stores.iter().cloned().collect(),
        partners: PartnerIds::new(),
        evidence: Evidence::Feed(warning.message.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::server::SYNTHETIC_SEED;
    use crate::feed::synthetic;
    use crate::feed::wire::FeedWarning;

    /// The feed's warnings land where a stable sort of everything puts them.
    #[test]
    fn feed_warnings_are_merged_in_order_key_order() {
        for stores in [0, 50, 3000] {
            let mut document = synthetic::generate(stores, SYNTHETIC_SEED);
            // Warnings for no city, and for cities before and after every
            // city with stores, at every severity.
            for (n, city) in [None, Some("0-first"), Some("~last")]
                .into_iter()
                .enumerate()
            {
                for (m, severity) in ["critical", "warning", "info"].into_iter().enumerate() {
                    document.warnings.push(FeedWarning {
                        id: WarningId::new(&format!("extra-{n}-{m}")),
                        severity: serde_json::from_value(serde_json::json!(severity)).unwrap(),
                        kind: None,
                        city: city.map(CityId::new),
                        stores: Vec::new(),
                        message: Text::new("extra"),
                    });
                }
            }
            let snapshot = Snapshot::new(document);
            let rules = RulesConfig::default();
            let analysis = Analysis::of(&snapshot, &rules);
            let mut expected = conflicts::find_conflicts(&snapshot, &rules);
            expected.extend(feed_findings(&snapshot));
            expected.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            assert_eq!(analysis.findings.len(), expected.len());
            assert!(analysis.findings == expected, "{stores} stores");
        }
    }

    /// The progress counted as the findings are gathered is what counting
    /// the finished list gives, with the feed's warnings for cities with
    /// stores, without, and missing from the feed.
    #[test]
    fn progress_counted_while_gathering_is_progress_of_the_findings() {
        for stores in [0, 50, 3000] {
            let mut document = synthetic::generate(stores, SYNTHETIC_SEED);
            let mut cities: Vec<Option<CityId>> =
                document.cities.iter().map(|c| Some(c.id.clone())).collect();
            cities.extend([
                None,
                Some(CityId::new("0-missing")),
                Some(CityId::new("~gone")),
            ]);
            for (n, city) in cities.into_iter().enumerate().step_by(3) {
                let severity = ["critical", "warning", "info"][n % 3];
                document.warnings.push(FeedWarning {
                    id: WarningId::new(&format!("w-{n}")),
                    severity: serde_json::from_value(serde_json::json!(severity)).unwrap(),
                    kind: None,
                    city,
                    stores: Vec::new(),
                    message: Text::new("extra"),
                });
            }
            let snapshot = Snapshot::new(document);
            let analysis = Analysis::of(&snapshot, &RulesConfig::default());
            let cities = progress::city_progress(&snapshot, &analysis.findings);
            assert_eq!(analysis.cities, cities, "{stores} stores");
            let totals = progress::totals(&snapshot, &analysis.findings);
            assert_eq!(analysis.totals, totals, "{stores} stores");
            assert!(stores == 0 || cities.iter().any(|c| c.conflicts > 0));
        }
    }
}
