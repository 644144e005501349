//! Optional fields read leniently: `null` is absent, and a malformed value
//! (`"2024-02-30"`, `""`, a number where a date belongs, a list where an
//! object belongs) is absent too, noted as a [`FieldProblem`] for validation
//! to report as a data warning on its record. One bad optional field never
//! refuses a whole document; required fields stay strict.
//!
//! The record a problem belongs to is known from the position of the record
//! being read ([`records`] sets it), kept in a thread-local for the parse
//! under way ([`collecting`]); outside a parse, problems are not kept.

use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StrDeserializer};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::dates;
use super::text::{self, Text};
use super::wire::Location;

/// The part of the document a record is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// `program`.
    Program,
    /// `cities[i]`.
    City,
    /// `partners[i]`.
    Partner,
    /// `stores[i]`.
    Store,
    /// `warnings[i]`.
    Warning,
}

/// An optional field that was malformed and is treated as absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    /// Where the record is.
    pub section: Section,
    /// Its position in its section (0 for the programme).
    pub index: usize,
    /// The field, as a path within the record (`renovation.planned_open`).
    pub field: &'static str,
    /// What the feed sent, described and made safe (`"2024-02-30"`, `a number (3)`).
    pub found: String,
    /// What the field takes.
    pub expected: &'static str,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is {}, not {}; treated as absent",
            self.field, self.found, self.expected
        )
    }
}

struct Collector {
    at: (Section, usize),
    problems: Vec<FieldProblem>,
}

thread_local! {
    static COLLECTOR: RefCell<Option<Collector>> = const { RefCell::new(None) };
}

/// Runs `parse` collecting the problems of its optional fields.
pub fn collecting<T>(parse: impl FnOnce() -> T) -> (T, Vec<FieldProblem>) {
    struct Finish;
    impl Drop for Finish {
        fn drop(&mut self) {
            COLLECTOR.with(|c| c.borrow_mut().take());
        }
    }
    COLLECTOR.with(|c| {
        *c.borrow_mut() = Some(Collector {
            at: (Section::Program, 0),
            problems: Vec::new(),
        })
    });
    let finish = Finish;
    let parsed = parse();
    let problems = COLLECTOR
        .with(|c| {
            c.borrow_mut()
                .as_mut()
                .map(|c| std::mem::take(&mut c.problems))
        })
        .unwrap_or_default();
    drop(finish);
    (parsed, problems)
}

fn set_at(section: Section, index: usize) {
    COLLECTOR.with(|c| {
        if let Some(collector) = c.borrow_mut().as_mut() {
            collector.at = (section, index);
        }
    });
}

fn note(field: &'static str, found: String, expected: &'static str) {
    COLLECTOR.with(|c| {
        if let Some(collector) = c.borrow_mut().as_mut() {
            let (section, index) = collector.at;
            collector.problems.push(FieldProblem {
                section,
                index,
                field,
                found,
                expected,
            });
        }
    });
}

/// An optional field's name within its record.
pub trait Field {
    /// The path within the record, e.g. `renovation.planned_open`.
    const NAME: &'static str;
}

/// Marker types naming the lenient fields, for `deserialize_with` paths.
pub mod fields {
    macro_rules! fields {
        ($($name:ident = $path:literal),+ $(,)?) => {
            $(
                #[doc = concat!("`", $path, "`")]
                pub struct $name;
                impl super::Field for $name {
                    const NAME: &'static str = $path;
                }
            )+
        };
    }
    fields!(
        DisplayVehicleDeadline = "display_vehicle_deadline",
        LocalName = "local_name",
        Province = "province",
        Location = "location",
        Recruitment = "recruitment",
        OpenedOn = "recruitment.opened_on",
        TargetStores = "recruitment.target_stores",
        Applicants = "recruitment.applicants",
        Shortlisted = "recruitment.shortlisted",
        Top100Rank = "top100_rank",
        Brands = "brands",
        LuxuryExperience = "luxury_experience",
        NevExperience = "nev_experience",
        PartnerCities = "cities",
        SignedOn = "agreement.signed_on",
        District = "district",
        PlannedOpen = "renovation.planned_open",
        DisplayVehicleEta = "renovation.display_vehicle_eta",
        UpdatedAt = "renovation.updated_at",
        Kind = "kind",
        WarningCity = "city",
        WarningStores = "stores",
    );
}

/// Describes a value the feed sent, made safe and short.
fn quoted(text: &str) -> String {
    const MAX: usize = 40;
    let shown: String = text.chars().take(MAX).collect();
    let cut = if text.chars().nth(MAX).is_some() {
        "…"
    } else {
        ""
    };
    format!("\"{}{cut}\"", text::escape(&shown))
}

/// A visitor that accepts one kind of JSON value and turns every other kind
/// (draining lists and objects) into a noted problem and `None`.
struct Lenient<F, T, A> {
    expected: &'static str,
    accept: A,
    _marker: PhantomData<(F, T)>,
}

/// What the accepting closure is given.
enum Given<'a> {
    Str(&'a str),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Bool(bool),
}

impl Given<'_> {
    fn describe(&self) -> String {
        match self {
            Given::Str("") => "an empty string".to_owned(),
            Given::Str(s) => quoted(s),
            Given::Unsigned(n) => format!("the number {n}"),
            Given::Signed(n) => format!("the number {n}"),
            Given::Float(n) => format!("the number {n}"),
            Given::Bool(b) => format!("{b}"),
        }
    }
}

impl<F: Field, T, A: FnOnce(&Given) -> Option<T>> Lenient<F, T, A> {
    fn new(expected: &'static str, accept: A) -> Self {
        Lenient {
            expected,
            accept,
            _marker: PhantomData,
        }
    }

    fn given(self, given: Given) -> Option<T> {
        let expected = self.expected;
        let value = (self.accept)(&given);
        if value.is_none() {
            note(F::NAME, given.describe(), expected);
        }
        value
    }
}

impl<'de, F: Field, T, A: FnOnce(&Given) -> Option<T>> Visitor<'de> for Lenient<F, T, A> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expected)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.given(Given::Str(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(self.given(Given::Unsigned(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.given(Given::Signed(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(self.given(Given::Float(v)))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(self.given(Given::Bool(v)))
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        note(F::NAME, "a list".to_owned(), self.expected);
        Ok(None)
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        note(F::NAME, "an object".to_owned(), self.expected);
        Ok(None)
    }
}

/// An optional `YYYY-MM-DD` date.
pub fn date<'de, D: Deserializer<'de>, F: Field>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    d.deserialize_any(Lenient::<F, _, _>::new(
        "a date (YYYY-MM-DD)",
        |given: &Given| match given {
            Given::Str(s) => dates::parse_date(s).ok(),
            _ => None,
        },
    ))
}

/// An optional RFC 3339 time.
pub fn date_time<'de, D: Deserializer<'de>, F: Field>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    d.deserialize_any(Lenient::<F, _, _>::new(
        "an RFC 3339 time",
        |given: &Given| match given {
            Given::Str(s) => dates::parse_date_time(s).ok(),
            _ => None,
        },
    ))
}

/// An optional count: a whole number from 0 to 4,294,967,295.
pub fn count<'de, D: Deserializer<'de>, F: Field>(d: D) -> Result<Option<u32>, D::Error> {
    d.deserialize_any(Lenient::<F, _, _>::new(
        "a whole number from 0",
        |given: &Given| match *given {
            Given::Unsigned(n) => u32::try_from(n).ok(),
            Given::Signed(n) => u32::try_from(n).ok(),
            _ => None,
        },
    ))
}

/// An optional true/false; absent or `null` is false.
pub fn flag<'de, D: Deserializer<'de>, F: Field>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(Lenient::<F, _, _>::new(
        "true or false",
        |given: &Given| match *given {
            Given::Bool(b) => Some(b),
            _ => None,
        },
    ))
    .map(Option::unwrap_or_default)
}

/// Optional text, made safe.
pub fn text<'de, D: Deserializer<'de>, F: Field>(d: D) -> Result<Option<Text>, D::Error> {
    d.deserialize_any(Lenient::<F, _, _>::new(
        "text",
        |given: &Given| match given {
            Given::Str(s) => Some(Text::new(s)),
            _ => None,
        },
    ))
}

/// Optional text the feed repeats (districts), shared within a parse.
pub fn shared_text<'de, D: Deserializer<'de>, F: Field>(d: D) -> Result<Option<Text>, D::Error> {
    d.deserialize_any(Lenient::<F, _, _>::new(
        "text",
        |given: &Given| match given {
            Given::Str(s) => {
                Text::deserialize_shared(BorrowedStrDeserializer::<serde::de::value::Error>::new(s))
                    .ok()
            }
            _ => None,
        },
    ))
}

/// An optional `{"lat": .., "lon": ..}` point. A list (`[31.3, 120.6]`) or an
/// object without both numbers is malformed, not read by position.
pub fn location<'de, D: Deserializer<'de>, F: Field>(d: D) -> Result<Option<Location>, D::Error> {
    struct Point<F>(PhantomData<F>);
    const EXPECTED: &str = "an object with numbers lat and lon";
    impl<'de, F: Field> Visitor<'de> for Point<F> {
        type Value = Option<Location>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(EXPECTED)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
            let (mut lat, mut lon, mut bad) = (None, None, false);
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                let slot = match key.as_ref() {
                    "lat" => &mut lat,
                    "lon" => &mut lon,
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    }
                };
                match map.next_value::<Number>()? {
                    Number(Some(n)) => *slot = Some(n),
                    Number(None) => bad = true,
                }
            }
            match (lat, lon) {
                (Some(lat), Some(lon)) if !bad => Ok(Some(Location { lat, lon })),
                _ => {
                    note(
                        F::NAME,
                        "an object without numbers lat and lon".into(),
                        EXPECTED,
                    );
                    Ok(None)
                }
            }
        }
        fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            note(F::NAME, "a list".into(), EXPECTED);
            Ok(None)
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            note(F::NAME, Given::Str(v).describe(), EXPECTED);
            Ok(None)
        }
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            note(F::NAME, Given::Bool(v).describe(), EXPECTED);
            Ok(None)
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            note(F::NAME, Given::Float(v).describe(), EXPECTED);
            Ok(None)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            self.visit_f64(v as f64)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            self.visit_f64(v as f64)
        }
    }
    d.deserialize_any(Point::<F>(PhantomData))
}

/// A JSON number, or `None` for anything else (drained).
struct Number(Option<f64>);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Number, E> {
                Ok(Number(Some(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(Some(v as f64)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(Some(v as f64)))
            }
            fn visit_str<E>(self, _: &str) -> Result<Number, E> {
                Ok(Number(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Number, E> {
                Ok(Number(None))
            }
            fn visit_unit<E>(self) -> Result<Number, E> {
                Ok(Number(None))
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Number, S::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Number(None))
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Number, M::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Number(None))
            }
        }
        d.deserialize_any(Any)
    }
}

/// An optional nested object (`recruitment`): read strictly when it is an
/// object; anything else is malformed.
pub fn object<'de, D: Deserializer<'de>, F: Field, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    struct Object<F, T>(PhantomData<(F, T)>);
    impl<'de, F: Field, T: Deserialize<'de>> Visitor<'de> for Object<F, T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
            T::deserialize(MapAccessDeserializer::new(map)).map(Some)
        }
        fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            note(F::NAME, "a list".into(), "an object");
            Ok(None)
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            note(F::NAME, Given::Str(v).describe(), "an object");
            Ok(None)
        }
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            note(F::NAME, Given::Bool(v).describe(), "an object");
            Ok(None)
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            note(F::NAME, Given::Float(v).describe(), "an object");
            Ok(None)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            self.visit_f64(v as f64)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            self.visit_f64(v as f64)
        }
    }
    d.deserialize_any(Object::<F, T>(PhantomData))
}

/// An optional list of strings (brands, ids): `null` is empty, a value that
/// is not a list is malformed, and so is each element that is not a string
/// (left out, the rest kept).
pub fn strings<'de, D: Deserializer<'de>, F: Field, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    struct List<F, T>(PhantomData<(F, T)>);
    const EXPECTED: &str = "a list of strings";
    impl<'de, F: Field, T: Deserialize<'de>> Visitor<'de> for List<F, T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(EXPECTED)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
            let mut bad = 0usize;
            while let Some(element) = seq.next_element::<Element<T>>()? {
                match element.0 {
                    Some(value) => out.push(value),
                    None => bad += 1,
                }
            }
            if bad > 0 {
                let found = if bad == 1 {
                    "a list with 1 element that is not a string".to_owned()
                } else {
                    format!("a list with {bad} elements that are not strings")
                };
                note(F::NAME, found, "a list of strings (those are left out)");
            }
            Ok(out)
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            note(F::NAME, Given::Str(v).describe(), EXPECTED);
            Ok(Vec::new())
        }
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            note(F::NAME, Given::Bool(v).describe(), EXPECTED);
            Ok(Vec::new())
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            note(F::NAME, Given::Float(v).describe(), EXPECTED);
            Ok(Vec::new())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            self.visit_f64(v as f64)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            self.visit_f64(v as f64)
        }
        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            note(F::NAME, "an object".into(), EXPECTED);
            Ok(Vec::new())
        }
    }
    d.deserialize_any(List::<F, T>(PhantomData))
}

/// One list element: a string read as `T`, anything else `None` (drained).
struct Element<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Element<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Any<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Any<T> {
            type Value = Element<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Element<T>, E> {
                T::deserialize(BorrowedStrDeserializer::<E>::new(v)).map(|t| Element(Some(t)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Element<T>, E> {
                T::deserialize(StrDeserializer::<E>::new(v)).map(|t| Element(Some(t)))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Element<T>, E> {
                Ok(Element(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Element<T>, E> {
                Ok(Element(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Element<T>, E> {
                Ok(Element(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Element<T>, E> {
                Ok(Element(None))
            }
            fn visit_unit<E>(self) -> Result<Element<T>, E> {
                Ok(Element(None))
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Element<T>, S::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Element(None))
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Element<T>, M::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Element(None))
            }
        }
        d.deserialize_any(Any::<T>(PhantomData))
    }
}

/// Marks which section a list of records is, for [`records`].
pub trait SectionOf {
    /// The section.
    const SECTION: Section;
}

macro_rules! sections {
    ($($name:ident = $section:ident),+ $(,)?) => {
        $(
            #[doc = concat!("The `", stringify!($section), "` records.")]
            pub struct $name;
            impl SectionOf for $name {
                const SECTION: Section = Section::$section;
            }
        )+
    };
}
sections!(
    Cities = City,
    Partners = Partner,
    Stores = Store,
    Warnings = Warning,
    ProgramSection = Program,
);

/// A list of records (strict), each read knowing its position so that its
/// optional fields' problems name it; `null` is an empty list.
pub fn records<'de, D: Deserializer<'de>, S: SectionOf, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    struct Records<S, T>(PhantomData<(S, T)>);
    impl<'de, S: SectionOf, T: Deserialize<'de>> Visitor<'de> for Records<S, T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of records")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            // A size hint is the parser's guess; cap it so a lying one cannot
            // reserve memory the document does not hold.
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            loop {
                set_at(S::SECTION, out.len());
                match seq.next_element::<T>()? {
                    Some(record) => out.push(record),
                    None => break,
                }
            }
            Ok(out)
        }
    }
    d.deserialize_any(Records::<S, T>(PhantomData))
}

/// The programme record: its optional fields' problems name `program`.
pub fn program<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    set_at(Section::Program, 0);
    T::deserialize(d)
}

/// An optional string read as `T` (an id); anything else is malformed.
pub fn string<'de, D: Deserializer<'de>, F: Field, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Ok(match Option::<Element<T>>::deserialize(d)? {
        None => None,
        Some(Element(Some(value))) => Some(value),
        Some(Element(None)) => {
            note(F::NAME, "not a string".into(), "text");
            None
        }
    })
}
