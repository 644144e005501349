//! The feed's v1 document, as it comes over the wire (`feed-contract.md`).
//!
//! Every string is a [`Text`], made safe while parsing. Enums keep values this
//! client does not know as `Unknown` so one new phase does not reject a whole
//! document; validation reports them as data warnings.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::dates;
use super::lenient::{self, FieldProblem, fields};
pub use super::text::{RawId, Text};

/// The schema version this client reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Declares an id newtype around [`RawId`]: compared byte for byte, put on
/// a terminal only through `shown()` (short) or `Display` (full, escaped).
macro_rules! feed_id {
    ($(#[$doc:meta])* $name:ident, $deserialize:path) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub RawId);

        impl $name {
            /// Wraps an id exactly as given.
            pub fn new(raw: &str) -> Self {
                $name(RawId::new(raw))
            }

            /// The id exactly as the feed sent it: for keys, lookups and JSON.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }

            /// The id as it may be shown on a terminal (made safe, maybe shortened).
            pub fn shown(&self) -> std::borrow::Cow<'_, str> {
                self.0.shown()
            }

            /// The id in full, escaped so that it is safe to print.
            pub fn escaped(&self) -> std::borrow::Cow<'_, str> {
                self.0.escaped()
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $deserialize(deserializer).map($name)
            }
        }

        impl std::fmt::Display for $name {
            /// The id in full, escaped: safe for a terminal, never cut.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                self.as_str()
            }
        }
    };
}

feed_id!(
    /// A city's id, e.g. `suzhou`.
    CityId,
    RawId::deserialize_shared
);
feed_id!(
    /// A partner's (dealer group's) id, e.g. `ganghong`.
    PartnerId,
    RawId::deserialize_shared
);
feed_id!(
    /// A store's id, e.g. `cq-2s-01`.
    StoreId,
    RawId::deserialize
);
feed_id!(
    /// The id of one of the feed's own warnings, e.g. `w-17`.
    WarningId,
    RawId::deserialize
);

/// A wire enum: its text and whether this client knows it.
pub trait WireValue {
    /// The value as written in the feed.
    fn as_str(&self) -> &str;
    /// Whether this client knows the value.
    fn is_known(&self) -> bool;
}

/// Declares a wire enum whose unknown values are kept as `Unknown(text)`.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A value this client does not know (shown as is, with a data warning).
            Unknown(Text),
        }

        impl $name {
            /// Every known value, in the contract's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// Parses a wire value; anything else becomes `Unknown`.
            pub fn from_wire(raw: &str) -> Self {
                match raw {
                    $($wire => $name::$variant,)+
                    other => $name::Unknown(Text::new(other)),
                }
            }

        }

        impl WireValue for $name {
            fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Unknown(text) => text.as_str(),
                }
            }

            fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = Text::deserialize(deserializer)?;
                Ok($name::from_wire(text.as_str()))
            }
        }
    };
}

wire_enum!(
    /// Where a city's dealer recruitment stands.
    RecruitmentStatus {
        /// Not recruiting (yet).
        Planned = "planned",
        /// Applications open.
        Open = "open",
        /// Applicants being shortlisted.
        Shortlisting = "shortlisting",
        /// Partners signed.
        Signed = "signed",
        /// Recruitment finished.
        Closed = "closed",
    }
);

wire_enum!(
    /// A partner's standing among dealer groups.
    Tier {
        /// One of the national top-100 dealer groups.
        Top100 = "top100",
        /// A strong regional business.
        Regional = "regional",
        /// Neither.
        Other = "other",
    }
);

wire_enum!(
    /// How far a partner's agreement has come.
    AgreementStage {
        /// Talking, nothing signed.
        Prospect = "prospect",
        /// Intention agreement signed.
        Intention = "intention",
        /// Contract signed.
        Contract = "contract",
        /// Agreement ended.
        Terminated = "terminated",
    }
);

wire_enum!(
    /// What kind of touchpoint a store is.
    StoreKind {
        /// The "1": self-built, self-operated delivery, sales and after-sales.
        DeliveryCenter = "delivery_center",
        /// A Xiaomi Home retail store in a mall that now shows cars.
        XiaomiHome = "xiaomi_home",
        /// A dealer-run sales and service store.
        SalesService2s = "sales_service_2s",
    }
);

wire_enum!(
    /// Who sells through a store.
    Channel {
        /// Run by the maker itself.
        Direct = "direct",
        /// Run by a partner as agent.
        Agency = "agency",
    }
);

wire_enum!(
    /// A store's build-out phase, in order.
    Phase {
        /// Planned, nothing started.
        Planned = "planned",
        /// Site chosen.
        SiteSelected = "site_selected",
        /// Being designed.
        Design = "design",
        /// Under construction.
        Construction = "construction",
        /// Interior fit-out.
        FitOut = "fit_out",
        /// Display car arrived.
        DisplayVehicle = "display_vehicle",
        /// Open for business.
        Open = "open",
    }
);

wire_enum!(
    /// The severity the feed gives its own warnings.
    WireSeverity {
        /// Needs action now.
        Critical = "critical",
        /// Needs attention.
        Warning = "warning",
        /// For information.
        Info = "info",
    }
);

/// The whole state of the rollout, one JSON document.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Document {
    /// Must be [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The feed's clock; date rules use it as "now".
    #[serde(deserialize_with = "dates::date_time")]
    pub generated_at: DateTime<Utc>,
    /// The programme this rollout belongs to.
    #[serde(deserialize_with = "lenient::program")]
    pub program: Program,
    /// Every city, recruiting or not.
    #[serde(deserialize_with = "lenient::records::<_, lenient::Cities, _>")]
    pub cities: Vec<City>,
    /// Every dealer group.
    #[serde(deserialize_with = "lenient::records::<_, lenient::Partners, _>")]
    pub partners: Vec<Partner>,
    /// Every touchpoint.
    #[serde(deserialize_with = "lenient::records::<_, lenient::Stores, _>")]
    pub stores: Vec<Store>,
    /// Warnings raised by the feed's owner.
    #[serde(
        default,
        deserialize_with = "lenient::records::<_, lenient::Warnings, _>"
    )]
    pub warnings: Vec<FeedWarning>,
    /// Optional fields that were malformed and read as absent; validation
    /// reports each as a data warning on its record.
    #[serde(skip)]
    pub problems: Vec<FieldProblem>,
}

/// The programme's name and deadline.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Program {
    /// The programme's name.
    pub name: Text,
    /// The date by which display cars must be in the stores.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::date::<_, fields::DisplayVehicleDeadline>"
    )]
    pub display_vehicle_deadline: Option<NaiveDate>,
}

/// A point on the earth, in degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Latitude, -90..=90.
    pub lat: f64,
    /// Longitude, -180..=180.
    pub lon: f64,
}

/// A city in the rollout.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct City {
    /// Unique id.
    pub id: CityId,
    /// Name in Latin script.
    pub name: Text,
    /// Name in Chinese.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::text::<_, fields::LocalName>"
    )]
    pub local_name: Option<Text>,
    /// Province.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::text::<_, fields::Province>"
    )]
    pub province: Option<Text>,
    /// Where the city is.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::location::<_, fields::Location>"
    )]
    pub location: Option<Location>,
    /// Dealer recruitment; absent for cities that recruit no dealers.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::object::<_, fields::Recruitment, _>"
    )]
    pub recruitment: Option<Recruitment>,
}

impl City {
    /// The recruitment status, `Planned` when recruitment is absent.
    pub fn recruitment_status(&self) -> RecruitmentStatus {
        self.recruitment
            .as_ref()
            .map_or(RecruitmentStatus::Planned, |r| r.status.clone())
    }

    /// The recruitment status as written, `planned` when recruitment is absent.
    pub fn status_str(&self) -> &str {
        self.recruitment
            .as_ref()
            .map_or("planned", |r| r.status.as_str())
    }

    /// Whether the city is one of the recruitment cities.
    pub fn is_recruiting(&self) -> bool {
        !matches!(self.recruitment_status(), RecruitmentStatus::Planned)
    }
}

/// A city's dealer recruitment.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Recruitment {
    /// Where recruitment stands.
    pub status: RecruitmentStatus,
    /// When applications opened.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::date::<_, fields::OpenedOn>"
    )]
    pub opened_on: Option<NaiveDate>,
    /// How many agency stores the city should get.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::count::<_, fields::TargetStores>"
    )]
    pub target_stores: Option<u32>,
    /// Dealer groups that applied.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::count::<_, fields::Applicants>"
    )]
    pub applicants: Option<u32>,
    /// Applicants shortlisted.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::count::<_, fields::Shortlisted>"
    )]
    pub shortlisted: Option<u32>,
}

/// A dealer group.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Partner {
    /// Unique id.
    pub id: PartnerId,
    /// Name in Latin script.
    pub name: Text,
    /// Name in Chinese.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::text::<_, fields::LocalName>"
    )]
    pub local_name: Option<Text>,
    /// Standing among dealer groups.
    pub tier: Tier,
    /// Rank among the national top 100, when known.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::count::<_, fields::Top100Rank>"
    )]
    pub top100_rank: Option<u32>,
    /// Car brands the group already sells.
    #[serde(default, deserialize_with = "lenient::strings::<_, fields::Brands, _>")]
    pub brands: Vec<Text>,
    /// Has sold luxury brands.
    #[serde(
        default,
        deserialize_with = "lenient::flag::<_, fields::LuxuryExperience>"
    )]
    pub luxury_experience: bool,
    /// Has sold new-energy brands.
    #[serde(
        default,
        deserialize_with = "lenient::flag::<_, fields::NevExperience>"
    )]
    pub nev_experience: bool,
    /// The agreement with the maker.
    pub agreement: Agreement,
    /// Cities the partner is to serve.
    #[serde(
        default,
        deserialize_with = "lenient::strings::<_, fields::PartnerCities, _>"
    )]
    pub cities: Vec<CityId>,
}

/// A partner's agreement.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Agreement {
    /// How far it has come.
    pub stage: AgreementStage,
    /// When it was signed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::date::<_, fields::SignedOn>"
    )]
    pub signed_on: Option<NaiveDate>,
}

/// Who operates a store: the maker itself or a partner.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operator {
    /// The maker (`"xiaomi"` on the wire).
    Xiaomi,
    /// A partner, by id.
    Partner(PartnerId),
}

impl Operator {
    /// The wire value for the maker itself.
    pub const XIAOMI: &'static str = "xiaomi";

    /// The operator as written in the feed.
    pub fn as_str(&self) -> &str {
        match self {
            Operator::Xiaomi => Self::XIAOMI,
            Operator::Partner(id) => id.as_str(),
        }
    }

    /// The partner, if a partner operates the store.
    pub fn partner(&self) -> Option<&PartnerId> {
        match self {
            Operator::Xiaomi => None,
            Operator::Partner(id) => Some(id),
        }
    }
}

impl Serialize for Operator {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Operator {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Partner ids repeat on every store a partner runs: shared.
        let text = RawId::deserialize_shared(deserializer)?;
        Ok(if text.as_str() == Self::XIAOMI {
            Operator::Xiaomi
        } else {
            Operator::Partner(PartnerId(text))
        })
    }
}

/// A channel touchpoint.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Store {
    /// Unique id.
    pub id: StoreId,
    /// The city it is in.
    pub city: CityId,
    /// What kind of touchpoint.
    pub kind: StoreKind,
    /// Direct or agency.
    pub channel: Channel,
    /// Who runs it.
    pub operator: Operator,
    /// Display name.
    pub name: Text,
    /// District within the city.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::shared_text::<_, fields::District>"
    )]
    pub district: Option<Text>,
    /// Where it is.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::location::<_, fields::Location>"
    )]
    pub location: Option<Location>,
    /// Its build-out.
    pub renovation: Renovation,
}

/// A store's build-out.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Renovation {
    /// Current phase.
    pub phase: Phase,
    /// 0-100 across the whole build-out (validated, not trusted).
    pub percent: f64,
    /// Planned opening date.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::date::<_, fields::PlannedOpen>"
    )]
    pub planned_open: Option<NaiveDate>,
    /// When the display car is expected.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::date::<_, fields::DisplayVehicleEta>"
    )]
    pub display_vehicle_eta: Option<NaiveDate>,
    /// When the feed last heard of this build-out.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::date_time::<_, fields::UpdatedAt>"
    )]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A warning raised by the feed's owner.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FeedWarning {
    /// The feed's id for it.
    pub id: WarningId,
    /// How serious the feed says it is.
    pub severity: WireSeverity,
    /// The feed's category (pricing, staffing, ...).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::text::<_, fields::Kind>"
    )]
    pub kind: Option<Text>,
    /// The city concerned.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string::<_, fields::WarningCity, _>"
    )]
    pub city: Option<CityId>,
    /// Stores concerned.
    #[serde(
        default,
        deserialize_with = "lenient::strings::<_, fields::WarningStores, _>"
    )]
    pub stores: Vec<StoreId>,
    /// What the feed says.
    pub message: Text,
}
