//! A finding's sentence, written when somebody reads it.
//!
//! A national feed yields tens of thousands of findings, and only the rows on
//! screen (or a report) are ever read: writing every sentence during the
//! analysis was most of its cost. A finding keeps what the snapshot cannot
//! tell again ([`Evidence`]); everything else comes from the snapshot's
//! records when the sentence is written.
//!
//! The words are the catalogs' (`finding-*` in `assets/i18n`). A report
//! writes every finding's sentence, so names and figures go to Fluent as
//! borrowed strings out of one buffer per sentence, and the catalog writes
//! straight into the caller's String.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;

use super::conflicts::{Criteria, Met};
use super::progress::percent;
use super::{Finding, Origin, Rule, Severity};
use crate::feed::snapshot::Snapshot;
use crate::feed::text;
use crate::feed::wire::{Channel, Partner, Store, StoreId, StoreKind, Text, WireValue};
use crate::i18n::{Args, Lang};

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

/// Writes the finding's sentence in `lang`, naming records from `snapshot`
/// (the snapshot the finding was found in).
pub fn write(finding: &Finding, snapshot: &Snapshot, lang: Lang, out: &mut String) {
    let start = out.len();
    write_words(finding, snapshot, lang, out);
    // Ids are kept exactly as the feed sent them and stand in for missing
    // names: whatever they hold must not reach a terminal. Most sentences
    // are printable ASCII, which a loop the compiler vectorises tells, or
    // text whose bytes cannot start a character `make_safe_from` removes
    // (Chinese: it decoded and checked every character, a fifth of a
    // Chinese sentence's cost).
    let written = &out.as_bytes()[start..];
    if !printable_ascii(written) && may_need_cleaning(written) {
        text::make_safe_from(out, start);
    }
}

/// Whether `bytes` (UTF-8) may hold a character [`text::make_safe_from`]
/// changes: a control character (C0, DEL, C1: bytes below 0x20, 0x7F, or
/// after the lead byte 0xC2), U+00AD (0xC2 too), U+061C (0xD8), the
/// invisible marks of U+200B-U+206F (0xE2 0x80 or 0xE2 0x81) or U+FEFF
/// (0xEF 0xBB). False means it surely holds none; the test
/// `no_character_make_safe_from_changes_goes_unseen` checks every character.
fn may_need_cleaning(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(n, &b)| match b {
        0x00..=0x1f | 0x7f | 0xc2 | 0xd8 => true,
        0xe2 => matches!(bytes.get(n + 1), Some(0x80 | 0x81)),
        0xef => bytes.get(n + 1) == Some(&0xbb),
        _ => false,
    })
}

/// Whether every byte is printable ASCII (space to `~`): none that
/// [`text::make_safe_from`] looks at.
fn printable_ascii(bytes: &[u8]) -> bool {
    // No early exit inside a chunk, so each chunk is a few vector compares.
    bytes.chunks(32).all(|chunk| {
        chunk
            .iter()
            .fold(true, |printable, &b| printable & (0x20..0x7f).contains(&b))
    })
}

fn write_words(finding: &Finding, snapshot: &Snapshot, lang: Lang, out: &mut String) {
    let rule = match &finding.origin {
        Origin::Rule(rule) => *rule,
        Origin::Feed { .. } => {
            // The feed's own warning stays in the feed's words.
            if let Evidence::Feed(message) = &finding.evidence {
                out.push_str(message);
            }
            return;
        }
    };
    let store = |n: usize| {
        let id = finding.stores.get(n)?;
        let position = snapshot.store_index(id.as_str())?;
        Some((position, &snapshot.document.stores[position]))
    };
    let words = Words {
        snapshot,
        finding,
        lang,
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
            let mut args = Args::with_capacity(2);
            args.set("rule", rule.id());
            args.set("city", words.city_name());
            lang.write(out, "finding-fallback", Some(&args));
        }
    }
}

/// Writes with `write` into `buffer` and gives the range written: names and
/// figures go to the catalog as borrowed slices of one buffer, not a String
/// each.
fn span(buffer: &mut String, write: impl FnOnce(&mut String)) -> Range<usize> {
    let start = buffer.len();
    write(buffer);
    start..buffer.len()
}

/// The sentence writer's view of one finding in its snapshot.
struct Words<'a> {
    snapshot: &'a Snapshot,
    finding: &'a Finding,
    lang: Lang,
    /// The records of the first two stores named, with their positions in
    /// the document, looked up once: a sentence names them several times,
    /// and filtering writes thousands.
    named: [Option<(usize, &'a Store)>; 2],
}

impl<'a> Words<'a> {
    fn store(&self, n: usize) -> Option<&'a Store> {
        self.named.get(n).copied().flatten().map(|(_, store)| store)
    }

    /// The finding's `n`th store described with its partner, or its id.
    fn label(&self, n: usize, out: &mut String) {
        match self.named.get(n).copied().flatten() {
            Some((position, store)) => self.describe(store, Some(position), out),
            None => out.push_str(self.finding.stores.get(n).map_or("", |id| id.as_str())),
        }
    }

    /// "agency 2S store Chongqing Yubei 2S (partner Sichuan Ganghong Group)";
    /// the partner only given the store's `position` in the document.
    fn describe(&self, store: &Store, position: Option<usize>, out: &mut String) {
        let lang = self.lang;
        let name = store_name(store);
        let words = StoreWords::of(lang);
        let (kind, english) = words.kind(&store.kind);
        let channel = words.channel(&store.channel);
        // "direct Xiaomi Home Xiaomi Home Wulin" reads badly: name the kind
        // once (names are mostly in English, so its English word counts too).
        let kind_said = contains_ignore_ascii_case(name, english)
            || (kind != english && contains_ignore_ascii_case(name, kind));
        match (channel.is_empty(), kind_said) {
            (false, false) => words.store.write(out, &[channel, kind, name]),
            (false, true) => words.store_no_kind.write(out, &[channel, name]),
            (true, false) => words.store_no_channel.write(out, &[kind, name]),
            (true, true) => out.push_str(name),
        }
        if let Some(position) = position
            && store.channel == Channel::Agency
            && let Some(partner) = store.operator.partner()
        {
            // The snapshot linked each store to its partner when it indexed
            // them: the same record as `partner_name`, without hashing the id.
            let partner = match self.snapshot.store_partner_index(position) {
                Some(i) => partner_label(&self.snapshot.document.partners[i], lang),
                None => partner.as_str(),
            };
            words.partner.write(out, &[partner]);
        }
    }

    fn city_name(&self) -> &'a str {
        let Some(id) = &self.finding.city else {
            return "";
        };
        match self.snapshot.city(id.as_str()) {
            Some(city) => named(
                self.lang,
                &city.name,
                city.local_name.as_deref(),
                id.as_str(),
            ),
            None => id.as_str(),
        }
    }

    fn today(&self) -> NaiveDate {
        self.snapshot.document.generated_at.date_naive()
    }

    fn unqualified_partner(&self, out: &mut String) {
        let lang = self.lang;
        let Some(id) = self.finding.partners.first() else {
            return;
        };
        let mut args = Args::with_capacity(2);
        let Some(partner) = self.snapshot.partner(id.as_str()) else {
            let id = id.escaped();
            args.set("partner", &*id);
            lang.write(out, "finding-unqualified-unknown", Some(&args));
            return;
        };
        args.set("partner", partner_label(partner, lang));
        let criteria = Criteria::of(partner);
        let unmet = match (criteria.group == Met::No, criteria.experience == Met::No) {
            (true, true) => "both",
            (true, false) => "group",
            (false, true) => "experience",
            // The rule does not fire so; should it, it says no more than it knows.
            (false, false) => {
                lang.write(out, "finding-unqualified-unknown", Some(&args));
                return;
            }
        };
        args.set("unmet", unmet);
        lang.write(out, "finding-unqualified", Some(&args));
    }

    fn delivery_after_agency(
        &self,
        agency_open: NaiveDate,
        center: &StoreId,
        center_open: NaiveDate,
        out: &mut String,
    ) {
        let mut names = String::with_capacity(128);
        let store = span(&mut names, |s| self.label(0, s));
        let agency_date = span(&mut names, |s| write_date(s, agency_open));
        let center_date = span(&mut names, |s| write_date(s, center_open));
        let center = self
            .snapshot
            .store(center.as_str())
            .map_or(center.as_str(), store_name);
        let mut args = Args::with_capacity(6);
        args.set("city", self.city_name());
        args.set("store", &names[store]);
        args.set("agency_open", &names[agency_date]);
        args.set("days", (center_open - agency_open).num_days());
        args.set("center", center);
        args.set("center_open", &names[center_date]);
        self.lang
            .write(out, "finding-delivery-after-agency", Some(&args));
    }

    fn no_delivery_center(&self, out: &mut String) {
        let lang = self.lang;
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
            .map(|id| partner_name(self.snapshot, id.as_str(), lang))
            .collect();
        let mut lists = String::new();
        let stores = span(&mut lists, |s| list(lang, &names, 3, s));
        let partners = span(&mut lists, |s| list(lang, &partner_names, 3, s));
        let mut args = Args::with_capacity(5);
        args.set("city", self.city_name());
        args.set("count", names.len());
        args.set("stores", &lists[stores]);
        args.set("partner_count", partner_names.len());
        args.set("partners", &lists[partners]);
        lang.write(out, "finding-no-delivery-center", Some(&args));
    }

    fn schedule_slip(&self, out: &mut String) {
        let lang = self.lang;
        let today = self.today();
        let Some(store) = self.store(0) else {
            self.label(0, out);
            return;
        };
        let planned = store.renovation.planned_open.unwrap_or(today);
        let mut names = String::with_capacity(128);
        let label = span(&mut names, |s| self.label(0, s));
        let planned_date = span(&mut names, |s| write_date(s, planned));
        let today_date = span(&mut names, |s| write_date(s, today));
        let shown = span(&mut names, |s| {
            let _ = write!(s, "{:.0}", percent(store));
        });
        let phase = store.renovation.phase.as_str();
        let phase = lang.word("phase", phase).unwrap_or(Cow::Borrowed(phase));
        let mut args = Args::with_capacity(6);
        args.set("store", &names[label]);
        args.set("planned", &names[planned_date]);
        args.set("days", (today - planned).num_days());
        args.set("today", &names[today_date]);
        args.set("phase", &*phase);
        args.set("percent", &names[shown]);
        lang.write(out, "finding-schedule-slip", Some(&args));
    }

    fn display_vehicle_late(&self, out: &mut String) {
        let lang = self.lang;
        let mut names = String::with_capacity(128);
        let label = span(&mut names, |s| self.label(0, s));
        let mut args = Args::with_capacity(8);
        let eta = self.store(0).and_then(|s| s.renovation.display_vehicle_eta);
        let open = self
            .store(0)
            .and_then(|s| s.renovation.planned_open)
            .filter(|open| eta.is_some_and(|eta| eta > *open));
        let deadline = self
            .snapshot
            .document
            .program
            .display_vehicle_deadline
            .filter(|deadline| eta.is_some_and(|eta| eta > *deadline));
        let late = match (eta, open, deadline) {
            (Some(_), Some(_), Some(_)) => "both",
            (Some(_), Some(_), None) => "opening",
            (Some(_), None, Some(_)) => "deadline",
            // Not late by either measure (the rule does not fire so): no date to name.
            _ => {
                args.set("store", &names[label]);
                lang.write(out, "finding-display-late-no-date", Some(&args));
                return;
            }
        };
        let eta = eta.unwrap_or_default();
        let eta_date = span(&mut names, |s| write_date(s, eta));
        let open_date = span(&mut names, |s| {
            open.into_iter().for_each(|d| write_date(s, d))
        });
        let deadline_date = span(&mut names, |s| {
            deadline.into_iter().for_each(|d| write_date(s, d));
        });
        let days = |date: Option<NaiveDate>| date.map_or(0, |date| (eta - date).num_days());
        args.set("store", &names[label]);
        args.set("eta", &names[eta_date]);
        args.set("late", late);
        args.set("open", &names[open_date]);
        args.set("open_days", days(open));
        args.set("deadline", &names[deadline_date]);
        args.set("deadline_days", days(deadline));
        lang.write(out, "finding-display-late", Some(&args));
    }

    fn competitor_brand(&self, brands: &[Text], out: &mut String) {
        let lang = self.lang;
        let mut names = String::with_capacity(128);
        let store = span(&mut names, |s| match self.store(0) {
            Some(store) => self.describe(store, None, s),
            None => self.label(0, s),
        });
        let listed = span(&mut names, |s| list(lang, brands, usize::MAX, s));
        let partner = self
            .finding
            .partners
            .first()
            .map_or("", |id| partner_name(self.snapshot, id.as_str(), lang));
        let mut args = Args::with_capacity(4);
        args.set("store", &names[store]);
        args.set("partner", partner);
        args.set("count", brands.len());
        args.set("brands", &names[listed]);
        lang.write(out, "finding-competitor-brand", Some(&args));
    }

    fn outside_recruitment(&self, out: &mut String) {
        let mut names = String::with_capacity(96);
        let store = span(&mut names, |s| self.label(0, s));
        let planned = self
            .finding
            .city
            .as_ref()
            .and_then(|id| self.snapshot.city(id.as_str()))
            .is_some_and(|city| city.recruitment.is_some());
        let mut args = Args::with_capacity(3);
        args.set("store", &names[store]);
        args.set("city", self.city_name());
        args.set("planned", if planned { "yes" } else { "no" });
        self.lang
            .write(out, "finding-outside-recruitment", Some(&args));
    }

    /// "A is 2.4 km from B" / "A and B are 2.4 km apart"; without a distance,
    /// only the district can have made the pair.
    fn overlap(&self, rule: Rule, overlap: &Overlap, out: &mut String) {
        let lang = self.lang;
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
        let mut names = String::with_capacity(192);
        let first = span(&mut names, |s| self.label(0, s));
        let second = span(&mut names, |s| self.label(1, s));
        let compared = if critical { critical_km } else { overlap_km };
        let distance = span(&mut names, |s| {
            if let Some(km) = km {
                write_distance(s, km, compared);
            }
        });
        let limit = span(&mut names, |s| write_threshold(s, compared));
        let phrases = StoreWords::of(lang);
        let values = [
            &names[first],
            &names[second],
            &names[distance],
            &names[limit],
            district,
        ];
        let head = match (km, both_agency) {
            (Some(_), true) => &phrases.apart,
            (Some(_), false) => &phrases.from,
            (None, true) => &phrases.district_both,
            (None, false) => &phrases.district_as,
        };
        head.write(out, &values);
        if critical {
            phrases.critical.write(out, &values);
        } else if within {
            phrases.within.write(out, &values);
        }
        match (km, within) {
            (Some(_), true) if same_district => phrases.also_district.write(out, &values),
            (Some(_), false) => phrases.but_district.write(out, &values),
            (None, _) => phrases.no_location.write(out, &values),
            _ => {}
        }
    }
}

impl Words<'_> {
    /// "1,484,500 more pairs of an agency store and a direct store in Xi'an
    /// are within 3.0 km of each other or in one district, …; the first: …".
    fn folded(&self, rule: Rule, folded: &FoldedPairs, out: &mut String) {
        let lang = self.lang;
        let mut limit = String::with_capacity(8);
        write_threshold(&mut limit, folded.overlap_km);
        let mut args = Args::with_capacity(7);
        args.set("rule", rule.id());
        args.set("city", self.city_name());
        args.set("limit", limit.as_str());
        args.set("listed", folded.listed);
        if folded.pairs == 0 {
            // Only a search cut short says this: it cannot tell whether any are left.
            lang.write(out, "finding-folded-unknown", Some(&args));
            return;
        }
        let pairs = thousands(folded.pairs);
        args.set("exact", if folded.exact { "yes" } else { "no" });
        args.set("count", folded.pairs);
        args.set("pairs", pairs.as_str());
        lang.write(out, "finding-folded", Some(&args));
        if let Some(first) = &folded.first {
            lang.write(out, "finding-folded-first", None);
            self.overlap(rule, first, out);
        }
        if folded.stopped {
            lang.write(out, "finding-folded-stopped", None);
            if self.finding.severity == Severity::Critical {
                let mut critical = String::with_capacity(8);
                write_threshold(&mut critical, folded.critical_km);
                let mut args = Args::with_capacity(1);
                args.set("limit", critical.as_str());
                lang.write(out, "finding-folded-stopped-critical", Some(&args));
            }
        } else if !folded.exact {
            lang.write(out, "finding-folded-stopped-counting", None);
        }
    }
}

/// The words a sentence names stores with, and the messages of the most
/// common sentence, made once per language: the contract's words
/// ([`Lang::word`] builds an id each time) and the store labels and overlap
/// messages as [`Template`]s. Three findings in four are overlaps naming two
/// stores, and a Fluent call per label and clause doubled the cost of a
/// report's sentences.
struct StoreWords {
    direct: Cow<'static, str>,
    agency: Cow<'static, str>,
    delivery_center: Cow<'static, str>,
    xiaomi_home: Cow<'static, str>,
    sales_service_2s: Cow<'static, str>,
    store_word: Cow<'static, str>,
    /// `finding-store`: channel, kind, name.
    store: Template,
    /// `finding-store-no-kind`: channel, name.
    store_no_kind: Template,
    /// `finding-store-no-channel`: kind, name.
    store_no_channel: Template,
    /// `finding-store-partner`: partner.
    partner: Template,
    /// The overlap sentence's head and clauses (`finding-overlap-*`), each
    /// written with the values first, second, km, limit, district.
    apart: Template,
    from: Template,
    district_both: Template,
    district_as: Template,
    critical: Template,
    within: Template,
    also_district: Template,
    but_district: Template,
    no_location: Template,
}

impl StoreWords {
    fn of(lang: Lang) -> &'static StoreWords {
        static WORDS: OnceLock<[StoreWords; 2]> = OnceLock::new();
        let words = WORDS.get_or_init(|| Lang::ALL.map(StoreWords::load));
        &words[lang as usize]
    }

    fn load(lang: Lang) -> StoreWords {
        let word = |group: &str, wire: &str| lang.word(group, wire).unwrap_or_default();
        let names = [
            "channel", "kind", "name", "partner", "first", "second", "km", "limit", "district",
        ];
        let mut args = Args::with_capacity(names.len());
        for (name, mark) in names.iter().zip(Template::MARKS) {
            args.set(*name, mark);
        }
        let pair = ["first", "second", "km", "limit", "district"];
        StoreWords {
            direct: word("channel", Channel::Direct.as_str()),
            agency: word("channel", Channel::Agency.as_str()),
            delivery_center: word("kind", StoreKind::DeliveryCenter.as_str()),
            xiaomi_home: word("kind", StoreKind::XiaomiHome.as_str()),
            sales_service_2s: word("kind", StoreKind::SalesService2s.as_str()),
            store_word: lang.text("finding-store-kind-unknown"),
            store: Template::split(
                &lang.format("finding-store", &args),
                &names,
                &["channel", "kind", "name"],
            ),
            store_no_kind: Template::split(
                &lang.format("finding-store-no-kind", &args),
                &names,
                &["channel", "name"],
            ),
            store_no_channel: Template::split(
                &lang.format("finding-store-no-channel", &args),
                &names,
                &["kind", "name"],
            ),
            partner: Template::split(
                &lang.format("finding-store-partner", &args),
                &names,
                &["partner"],
            ),
            apart: Template::split(&lang.format("finding-overlap-apart", &args), &names, &pair),
            from: Template::split(&lang.format("finding-overlap-from", &args), &names, &pair),
            district_both: Template::split(
                &lang.format("finding-overlap-district-both", &args),
                &names,
                &pair,
            ),
            district_as: Template::split(
                &lang.format("finding-overlap-district-as", &args),
                &names,
                &pair,
            ),
            critical: Template::split(
                &lang.format("finding-overlap-critical", &args),
                &names,
                &pair,
            ),
            within: Template::split(&lang.format("finding-overlap-within", &args), &names, &pair),
            also_district: Template::split(
                &lang.format("finding-overlap-also-district", &args),
                &names,
                &pair,
            ),
            but_district: Template::split(
                &lang.format("finding-overlap-but-district", &args),
                &names,
                &pair,
            ),
            no_location: Template::split(
                &lang.format("finding-overlap-no-location", &args),
                &names,
                &pair,
            ),
        }
    }

    /// The channel's word; a value this client does not know as the feed sent it.
    fn channel<'a>(&'a self, channel: &'a Channel) -> &'a str {
        match channel {
            Channel::Direct => &self.direct,
            Channel::Agency => &self.agency,
            Channel::Unknown(raw) => raw.as_str(),
        }
    }

    /// The kind's word, and its English word (store names are mostly English).
    fn kind(&self, kind: &StoreKind) -> (&str, &'static str) {
        // i18n: the English words only tell whether a name says its kind already.
        match kind {
            StoreKind::DeliveryCenter => (&self.delivery_center, "delivery center"),
            StoreKind::XiaomiHome => (&self.xiaomi_home, "Xiaomi Home"),
            StoreKind::SalesService2s => (&self.sales_service_2s, "2S store"),
            StoreKind::Unknown(_) => (&self.store_word, "store"),
        }
    }
}

/// A message that only places its variables (no selector looks at them),
/// formatted once with a mark for each and split there: writing it is
/// pushing its pieces, with no Fluent call.
struct Template {
    pieces: Vec<Piece>,
}

/// A piece of a [`Template`].
enum Piece {
    /// Text of the message.
    Text(String),
    /// The `n`th value given to [`Template::write`].
    Value(usize),
}

impl Template {
    /// Private-use characters, which no catalog text holds, standing for
    /// the variables while the message is formatted.
    const MARKS: [&'static str; 9] = [
        "\u{E000}", "\u{E001}", "\u{E002}", "\u{E003}", "\u{E004}", "\u{E005}", "\u{E006}",
        "\u{E007}", "\u{E008}",
    ];

    /// Splits `formatted` (formatted with `MARKS[i]` for the variable
    /// `names[i]`) at the marks; `order` names the values `write` takes.
    fn split(formatted: &str, names: &[&str], order: &[&str]) -> Template {
        let mut pieces = Vec::new();
        let mut text = String::new();
        for c in formatted.chars() {
            let mark = Template::MARKS.iter().position(|m| m.starts_with(c));
            match mark.and_then(|i| order.iter().position(|name| *name == names[i])) {
                Some(value) => {
                    if !text.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    pieces.push(Piece::Value(value));
                }
                None => text.push(c),
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Template { pieces }
    }

    fn write(&self, out: &mut String, values: &[&str]) {
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Value(n) => out.push_str(values.get(*n).copied().unwrap_or_default()),
            }
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

/// Whether a name is empty or only blanks (the id stands in for it).
fn is_blank(name: &str) -> bool {
    // Most names start with an ASCII letter: no character to decode.
    match name.as_bytes().first() {
        Some(&first) if first.is_ascii() && !char::from(first).is_whitespace() => false,
        _ => name.chars().all(char::is_whitespace),
    }
}

/// The name a sentence in `lang` gives a city or partner: in Chinese its
/// Chinese name alone where it has one (a sentence reads badly with both,
/// and the row beside it shows the other), else its name, else `id`.
fn named<'a>(lang: Lang, name: &'a str, local: Option<&'a str>, id: &'a str) -> &'a str {
    let local = local.filter(|local| lang == Lang::Zh && !is_blank(local));
    match local {
        Some(local) => local.trim(),
        None if is_blank(name) => id,
        None => name,
    }
}

/// A partner's name, or its id when the feed has no record or no name.
fn partner_name<'a>(snapshot: &'a Snapshot, id: &'a str, lang: Lang) -> &'a str {
    snapshot
        .partner(id)
        .map_or(id, |partner| partner_label(partner, lang))
}

fn partner_label(partner: &Partner, lang: Lang) -> &str {
    named(
        lang,
        &partner.name,
        partner.local_name.as_deref(),
        partner.id.as_str(),
    )
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

/// "a", "a and b", "a, b and c", "a, b, c and 2 more" (in `lang`).
fn list<S: AsRef<str>>(lang: Lang, items: &[S], max: usize, out: &mut String) {
    let shown: Vec<&str> = items.iter().take(max).map(AsRef::as_ref).collect();
    let rest = items.len() - shown.len();
    let comma = lang.text("finding-list-comma");
    let mut joined = String::new();
    let mut join = |items: &[&str]| {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                joined.push_str(&comma);
            }
            joined.push_str(item);
        }
    };
    match (shown.as_slice(), rest) {
        ([], _) => {}
        ([one], 0) => out.push_str(one),
        ([many @ .., last], 0) => {
            join(many);
            let mut args = Args::with_capacity(2);
            args.set("list", joined.as_str());
            args.set("last", *last);
            lang.write(out, "finding-list-last", Some(&args));
        }
        (many, rest) => {
            join(many);
            let mut args = Args::with_capacity(2);
            args.set("list", joined.as_str());
            args.set("more", rest);
            lang.write(out, "finding-list-more", Some(&args));
        }
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

/// A date as the sentences write it, ISO in every language (2024-03-01):
/// how the rollout's plans and the feed write dates.
fn write_date(out: &mut String, date: NaiveDate) {
    use chrono::Datelike;
    // Four-digit years by hand, as chrono writes them (a sentence can hold
    // three dates); others, signed and wider, by chrono.
    let (year, month, day) = (date.year(), date.month(), date.day());
    match u32::try_from(year) {
        Ok(year @ 0..=9999) => {
            let digits = [
                year / 1000,
                year / 100 % 10,
                year / 10 % 10,
                year % 10,
                10,
                month / 10,
                month % 10,
                10,
                day / 10,
                day % 10,
            ];
            out.extend(digits.map(|d| char::from(b"0123456789-"[d as usize])));
        }
        _ => {
            let _ = write!(out, "{date}");
        }
    }
}

/// A distance in km with one decimal, or two where one would make it look
/// equal to the threshold it is compared with (0.96 against 1.0).
fn write_distance(out: &mut String, km: f64, compared_with: f64) {
    let rounded = |x: f64| (x * 10.0).round();
    let decimals = if km != compared_with && rounded(km) == rounded(compared_with) {
        2
    } else {
        1
    };
    write_fixed(out, km, decimals);
}

/// A configured threshold in km: one decimal when that is exact, else as written.
fn write_threshold(out: &mut String, km: f64) {
    let start = out.len();
    write_fixed(out, km, 1);
    // What write_fixed wrote is tenths / 10 exactly; read back, it is the
    // double nearest that, which is what dividing gives (both round the same
    // real number). Reading it back is left for the rest.
    let tenths = (km.abs() * 10.0).round();
    let exact = if tenths.is_finite() && tenths < 1e15 {
        tenths / 10.0 == km.abs()
    } else {
        out[start..].parse::<f64>() == Ok(km)
    };
    if !exact {
        out.truncate(start);
        let _ = write!(out, "{km}");
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

    fn listed(lang: Lang, items: &[&str], max: usize) -> String {
        let mut out = String::new();
        list(lang, items, max, &mut out);
        out
    }

    #[test]
    fn lists_and_figures_read_as_english() {
        let en = Lang::En;
        assert_eq!(listed(en, &["a"], 3), "a");
        assert_eq!(listed(en, &["a", "b"], 3), "a and b");
        assert_eq!(listed(en, &["a", "b", "c"], 3), "a, b and c");
        assert_eq!(
            listed(en, &["a", "b", "c", "d", "e"], 3),
            "a, b, c and 2 more"
        );
        assert_eq!(distance(2.39, 3.0), "2.4");
        assert_eq!(distance(0.96, 1.0), "0.96");
        assert_eq!(distance(1.0, 1.0), "1.0");
        assert_eq!(distance(16.84, 3.0), "16.8");
        let fixed = |value: f64, decimals: u32| {
            let mut out = String::new();
            write_fixed(&mut out, value, decimals);
            out
        };
        assert_eq!(fixed(0.05, 2), "0.05");
        assert_eq!(fixed(2.0, 1), "2.0");
        assert_eq!(fixed(0.0, 1), "0.0");
        assert_eq!(fixed(-1.25, 1), "-1.3");
        assert_eq!(threshold(3.0), "3.0");
        assert_eq!(threshold(2.25), "2.25");
        assert!(contains_ignore_ascii_case(
            "Beijing Delivery Center",
            "delivery center"
        ));
        assert!(!contains_ignore_ascii_case("Xiaomi Ho", "Xiaomi Home"));
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_484_500), "1,484,500");
    }

    /// The store labels written from templates read as the catalog's
    /// messages formatted by Fluent, in every language.
    #[test]
    fn templates_write_what_the_catalog_says() {
        for lang in Lang::ALL {
            let words = StoreWords::of(lang);
            let mut args = Args::new();
            args.set("channel", "agency");
            args.set("kind", "2S店");
            args.set("name", "Ningbo \u{E000} 1");
            args.set("partner", "甬江 Group");
            let cases = [
                (&words.store, lang.format("finding-store", &args)),
                (
                    &words.store_no_kind,
                    lang.format("finding-store-no-kind", &args),
                ),
                (
                    &words.store_no_channel,
                    lang.format("finding-store-no-channel", &args),
                ),
                (&words.partner, lang.format("finding-store-partner", &args)),
            ];
            let values = [
                vec!["agency", "2S店", "Ningbo \u{E000} 1"],
                vec!["agency", "Ningbo \u{E000} 1"],
                vec!["2S店", "Ningbo \u{E000} 1"],
                vec!["甬江 Group"],
            ];
            for ((template, expected), values) in cases.into_iter().zip(values) {
                let mut out = String::new();
                template.write(&mut out, &values);
                assert_eq!(out, expected, "{lang}");
            }
            let mut args = Args::new();
            let values = ["A (partner 甬江)", "B", "0.96", "1.0", "Yinzhou"];
            for (name, value) in ["first", "second", "km", "limit", "district"]
                .into_iter()
                .zip(values)
            {
                args.set(name, value);
            }
            let cases = [
                (&words.apart, lang.format("finding-overlap-apart", &args)),
                (&words.from, lang.format("finding-overlap-from", &args)),
                (
                    &words.district_both,
                    lang.format("finding-overlap-district-both", &args),
                ),
                (
                    &words.district_as,
                    lang.format("finding-overlap-district-as", &args),
                ),
                (
                    &words.critical,
                    lang.format("finding-overlap-critical", &args),
                ),
                (&words.within, lang.format("finding-overlap-within", &args)),
                (
                    &words.also_district,
                    lang.format("finding-overlap-also-district", &args),
                ),
                (
                    &words.but_district,
                    lang.format("finding-overlap-but-district", &args),
                ),
                (
                    &words.no_location,
                    lang.format("finding-overlap-no-location", &args),
                ),
            ];
            for (template, expected) in cases {
                let mut out = String::new();
                template.write(&mut out, &values);
                assert_eq!(out, expected, "{lang}");
            }
        }
        let template = Template::split("\u{E001}, then \u{E000}!", &["a", "b"], &["a", "b"]);
        let mut out = String::new();
        template.write(&mut out, &["A", "B"]);
        assert_eq!(out, "B, then A!");
    }

    /// The fast checks answer as the plain definitions they stand in for.
    #[test]
    fn the_shortcuts_answer_as_the_definitions() {
        let risky = |b: u8| b < 0x20 || b == 0x7f || b >= 0x80;
        for b in 0..=u8::MAX {
            for len in [1, 31, 32, 33, 70] {
                for at in [0, len / 2, len - 1] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    assert_eq!(
                        printable_ascii(&bytes),
                        !risky(b),
                        "{b:#x} at {at} of {len}"
                    );
                }
            }
        }
        assert!(printable_ascii(b""));
        for name in [
            "",
            " ",
            "\u{b}",
            "\u{b}a",
            "\t\n",
            "\u{3000}",
            "\u{3000}宁波",
            "a",
            " a",
            "宁波",
            "\u{85}",
        ] {
            assert_eq!(
                is_blank(name),
                name.chars().all(char::is_whitespace),
                "{name:?}"
            );
        }
    }

    /// Every character `make_safe_from` changes is one `may_need_cleaning`
    /// sees, alone and between others.
    #[test]
    fn no_character_make_safe_from_changes_goes_unseen() {
        let mut unseen = Vec::new();
        let mut text = String::new();
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            text.clear();
            text.push('宁');
            text.push(c);
            text.push('x');
            if may_need_cleaning(text.as_bytes()) {
                continue;
            }
            let mut cleaned = text.clone();
            text::make_safe_from(&mut cleaned, 0);
            if cleaned != text {
                unseen.push(c);
            }
        }
        assert!(unseen.is_empty(), "{unseen:?}");
        for seen in [
            "\u{0}", "\u{9f}", "\u{ad}", "\u{61c}", "\u{200b}", "\u{2069}", "\u{feff}",
        ] {
            assert!(may_need_cleaning(seen.as_bytes()), "{seen:?}");
        }
        assert!(!may_need_cleaning("宁波，（2S店）：é€".as_bytes()));
    }

    /// A store missing from the snapshot is named by its id, whatever the
    /// id holds: the sentence still reaches a terminal safely.
    #[test]
    fn ids_standing_in_for_names_are_made_safe() {
        let snapshot = Snapshot::from_body(DEMO_FEED_JSON.as_bytes()).unwrap();
        for id in [
            "\u{1b}[31mred",
            "tab\there",
            "del\u{7f}",
            "宁波\u{1b}]0;x\u{7}",
        ] {
            let finding = Finding {
                origin: Origin::Rule(Rule::ScheduleSlip),
                severity: Severity::Warning,
                city: Some(CityId::new("xian")),
                stores: [crate::feed::wire::StoreId::new(id)].into_iter().collect(),
                partners: PartnerIds::new(),
                evidence: Evidence::Records,
            };
            for lang in Lang::ALL {
                let message = finding.message(&snapshot, lang);
                assert!(!message.is_empty(), "{id:?}");
                let mut safe = message.clone();
                text::make_safe_from(&mut safe, 0);
                assert_eq!(message, safe, "{id:?}");
                assert!(!message.contains('\u{1b}'), "{message:?}");
            }
        }
    }

    /// Dates and thresholds written by hand read as the general paths write them.
    #[test]
    fn dates_and_thresholds_read_as_before() {
        let mut rng = fastrand::Rng::with_seed(11);
        let mut days: Vec<NaiveDate> = [
            NaiveDate::MIN,
            NaiveDate::MAX,
            NaiveDate::from_ymd_opt(0, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(-1, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(10000, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
        ]
        .into();
        days.extend(
            (0..20_000)
                .filter_map(|_| NaiveDate::from_num_days_from_ce_opt(rng.i32(-400_000..4_000_000))),
        );
        for date in days {
            let mut out = String::from("x");
            write_date(&mut out, date);
            assert_eq!(out, format!("x{date}"));
        }
        let general = |km: f64| {
            let mut out = String::new();
            write_fixed(&mut out, km, 1);
            if out.parse::<f64>() != Ok(km) {
                out.clear();
                let _ = write!(out, "{km}");
            }
            out
        };
        let mut values = vec![
            0.0,
            -0.0,
            0.1,
            0.3,
            1.0,
            2.25,
            3.0,
            0.05,
            0.15,
            0.25,
            0.35,
            1e14,
            1e15,
            1e16,
            123.45,
            -1.5,
            -0.04,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            f64::MAX,
            1e15 + 0.125,
            99_999_999_999_999.9,
        ];
        values.extend((0..20_000).map(|n| {
            let tenths = f64::from(rng.u32(..100_000)) / 10.0;
            if n % 2 == 0 {
                tenths
            } else {
                tenths + rng.f64() / 100.0
            }
        }));
        values.extend((0..2_000).map(|_| f64::from_bits(rng.u64(..))));
        for km in values {
            assert_eq!(threshold(km), general(km), "{km:?}");
        }
    }

    #[test]
    fn lists_read_as_chinese() {
        let zh = Lang::Zh;
        assert_eq!(listed(zh, &["宁波"], 3), "宁波");
        assert_eq!(listed(zh, &["a", "b"], 3), "a和b");
        assert_eq!(listed(zh, &["a", "b", "c"], 3), "a、b和c");
        assert_eq!(
            listed(zh, &["a", "b", "c", "d", "e"], 3),
            "a、b、c及另外 2 家"
        );
    }
}
