//! Parsing a feed body into a [`Document`] and validating it into a [`Snapshot`].
//!
//! Parsing refuses what cannot be read at all (not JSON, wrong shape, another
//! schema version) with the JSON path at fault. Validation never refuses: it
//! reports what is inconsistent as [`DataWarning`]s, naming the record, and
//! the rest of the document is still shown.

// Randomly seeded per process, and much faster than SipHash on short ids.
use foldhash::{HashMap, HashMapExt};
use std::collections::hash_map::Entry;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::ahead::ParseAhead;
use super::lenient::{self, Section};
use super::text;
use super::wire::{
    Channel, City, CityId, Document, Location, Operator, Partner, PartnerId, Phase, RawId,
    SCHEMA_VERSION, Store, StoreId, StoreKind, Text, WireValue,
};
use crate::i18n::Lang;
use crate::tr;

/// Why a feed body could not be read as a v1 document.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DocumentError {
    /// The body is not JSON at all (an HTML error page, say).
    #[error("the feed's body is not JSON ({message}); it starts with {start:?}")]
    NotJson {
        /// What the JSON parser said.
        message: String,
        /// The first characters of the body, made safe.
        start: String,
    },
    /// The body is JSON of another schema version.
    #[error(
        "the feed sent schema_version {found}, but this client reads schema_version {expected}"
    )]
    SchemaVersion {
        /// The version in the document.
        found: String,
        /// The version this client reads.
        expected: u32,
    },
    /// The body is JSON but not a v1 document.
    #[error("the feed's document is invalid at {path}: {message}")]
    Invalid {
        /// JSON path of the fault, e.g. `$.stores[3].renovation.percent`.
        path: String,
        /// What is wrong there.
        message: String,
    },
}

/// A problem in an otherwise readable document, naming the record at fault.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataWarning {
    /// The id of the record at fault (or `program` / `document`), exactly as
    /// the feed sent it.
    pub record: RawId,
    /// What is wrong, in an English sentence (terminal-safe: ids in it are
    /// shown forms): what is searched, recorded and written to JSON.
    pub message: String,
    /// The same in the catalogs' terms, for [`DataWarning::message_in`].
    #[serde(skip)]
    pub said: Said,
}

impl DataWarning {
    fn new(record: impl Into<RawId>, said: Said) -> Self {
        DataWarning {
            record: record.into(),
            message: said.text(Lang::En).into_owned(),
            said,
        }
    }

    /// A warning as recorded in the history, in the words it was recorded in.
    pub fn recorded(record: RawId, message: String) -> Self {
        DataWarning {
            record,
            message,
            said: Said::Recorded,
        }
    }

    /// What is wrong, in `lang`.
    pub fn message_in(&self, lang: Lang) -> Cow<'_, str> {
        match self.said {
            Said::Recorded => Cow::Borrowed(&self.message),
            _ if lang == Lang::En => Cow::Borrowed(&self.message),
            _ => self.said.text(lang),
        }
    }
}

/// A data warning's sentence as a catalog message and its variables
/// (ids in them already made safe), so it can be said in any language.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Said {
    /// Message `id` of the catalogs with these variables.
    Message {
        /// The catalog message.
        id: &'static str,
        /// Its variables.
        args: Vec<(&'static str, SaidValue)>,
    },
    /// Read back from the history: only the recorded text is known.
    #[default]
    Recorded,
}

/// A variable of a [`Said`] message.
#[derive(Debug, Clone, PartialEq)]
pub enum SaidValue {
    /// Words or a shown id.
    Text(String),
    /// A count (selects the plural form).
    Count(u64),
    /// What validation says a field held or takes, in English
    /// ([`FieldProblem`](super::lenient::FieldProblem)'s `found` and
    /// `expected`): said in the language where the catalog has it.
    Phrase(String),
}

impl Said {
    /// The sentence in `lang`.
    pub fn text(&self, lang: Lang) -> Cow<'static, str> {
        match self {
            Said::Message { id, args } => {
                let mut fluent = crate::i18n::Args::with_capacity(args.len());
                for (name, value) in args {
                    match value {
                        SaidValue::Text(text) => fluent.set(*name, text.as_str()),
                        SaidValue::Phrase(english) => fluent.set(*name, phrase(lang, english)),
                        SaidValue::Count(count) => fluent.set(*name, *count),
                    }
                }
                Cow::Owned(lang.format(id, &fluent).into_owned())
            }
            Said::Recorded => Cow::Borrowed(""),
        }
    }
}

/// What validation says a field held or takes, in `lang`: the words of
/// [`super::lenient`] are a short fixed set; what the feed sent (a quoted
/// string, a number) stays as it is.
fn phrase(lang: Lang, english: &str) -> Cow<'static, str> {
    if lang == Lang::En {
        return Cow::Owned(english.to_owned());
    }
    let fixed = match english {
        "an empty string" => Some(tr!(lang, "phrase-empty-string")),
        "a list" => Some(tr!(lang, "phrase-list")),
        "an object" => Some(tr!(lang, "phrase-object")),
        "not a string" => Some(tr!(lang, "phrase-not-a-string")),
        "text" => Some(tr!(lang, "phrase-text")),
        "a date (YYYY-MM-DD)" => Some(tr!(lang, "phrase-date")),
        "an RFC 3339 time" => Some(tr!(lang, "phrase-time")),
        "a whole number from 0" => Some(tr!(lang, "phrase-whole-number")),
        "an object with numbers lat and lon" => Some(tr!(lang, "phrase-location")),
        "an object without numbers lat and lon" => Some(tr!(lang, "phrase-not-a-location")),
        "a list of strings" => Some(tr!(lang, "phrase-strings")),
        "a list of strings (those are left out)" => Some(tr!(lang, "phrase-strings-left-out")),
        _ => None,
    };
    if let Some(fixed) = fixed {
        return fixed;
    }
    if let Some(number) = english.strip_prefix("the number ") {
        return tr!(lang, "phrase-number", number = number.to_owned());
    }
    let elements = english
        .strip_prefix("a list with ")
        .and_then(|rest| rest.split_once(' '))
        .and_then(|(count, _)| count.parse::<u64>().ok());
    match elements {
        Some(count) => tr!(lang, "phrase-non-strings", count = count),
        None => Cow::Owned(english.to_owned()),
    }
}

/// A [`Said`] message: `said!("warning-id", name = value, ...)`; values
/// are shown with `Display` (`count` numbers are counts).
macro_rules! said {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        Said::Message {
            id: $id,
            args: vec![$((stringify!($name), said!(@value $name $value))),*],
        }
    };
    (@value count $value:expr) => { SaidValue::Count($value as u64) };
    (@value found $value:expr) => { $value };
    (@value expected $value:expr) => { $value };
    (@value position $value:expr) => { SaidValue::Count($value as u64) };
    (@value $name:ident $value:expr) => { SaidValue::Text($value.to_string()) };
}

/// Parses a feed body. Does not validate references; see [`Snapshot::new`].
pub fn parse_document(body: &[u8]) -> Result<Document, DocumentError> {
    // A UTF-8 byte-order mark (some Windows tools write one) is not content.
    let body = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    // serde's derived structs also accept a JSON array (fields by position),
    // so a top-level array must be refused here, before it half-parses.
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(DocumentError::Invalid {
            path: "$".to_owned(),
            message: "expected the document object, found an array".to_owned(),
        });
    }
    // Most bodies are good, and tracking the JSON path of every value costs
    // about a third of the parse: only a body that fails is parsed again,
    // tracking the path, for the message.
    let (doc, problems) = lenient::collecting(|| text::sharing_text(|| parse_untracked(body)));
    let mut doc = match doc {
        Some(doc) => doc,
        None => parse_tracked(body)?,
    };
    doc.problems = problems;
    of_this_version(doc)
}

/// [`parse_document`] of a body whose stores were parsed as it arrived,
/// where they could be (see [`ParseAhead`]).
pub fn parse_document_ahead(body: &[u8], ahead: ParseAhead) -> Result<Document, DocumentError> {
    match ahead.finish(body) {
        Some(doc) => of_this_version(doc),
        None => parse_document(body),
    }
}

/// The document, if it is of the version this client reads.
fn of_this_version(doc: Document) -> Result<Document, DocumentError> {
    if doc.schema_version != SCHEMA_VERSION {
        return Err(DocumentError::SchemaVersion {
            found: doc.schema_version.to_string(),
            expected: SCHEMA_VERSION,
        });
    }
    Ok(doc)
}

/// The document, if the body is one, parsed without tracking paths.
pub(super) fn parse_untracked(body: &[u8]) -> Option<Document> {
    // UTF-8 checked once for the whole body, not string by string.
    let body = std::str::from_utf8(body).ok()?;
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let doc = Document::deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(doc)
}

/// The document, or what is wrong with it and where (the JSON path).
fn parse_tracked(body: &[u8]) -> Result<Document, DocumentError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let doc: Document = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| explain(body, error))?;
    deserializer.end().map_err(|e| DocumentError::Invalid {
        path: "$".to_owned(),
        message: format!("unexpected data after the document ({e})"),
    })?;
    Ok(doc)
}

/// Turns a parse failure into the clearest message: another version first,
/// then "not JSON", then the path of the first fault.
fn explain(body: &[u8], error: serde_path_to_error::Error<serde_json::Error>) -> DocumentError {
    #[derive(Deserialize)]
    struct VersionOnly {
        schema_version: serde_json::Value,
    }
    if let Ok(VersionOnly { schema_version }) = serde_json::from_slice::<VersionOnly>(body)
        && schema_version.as_u64() != Some(u64::from(SCHEMA_VERSION))
    {
        return DocumentError::SchemaVersion {
            found: Text::new(&schema_version.to_string()).to_string(),
            expected: SCHEMA_VERSION,
        };
    }
    let path = error.path().to_string();
    let inner = error.into_inner();
    let is_syntax = matches!(
        inner.classify(),
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof
    );
    if is_syntax && inner.line() == 1 && inner.column() <= 1 {
        // Quoted as it really is: invisible and control characters escaped,
        // not removed, so "<html>" after a zero-width space reads as such.
        let start: String = String::from_utf8_lossy(&body[..body.len().min(40)]).into_owned();
        return DocumentError::NotJson {
            message: inner.to_string(),
            start: text::escape(&start).into_owned(),
        };
    }
    // serde_path_to_error writes `?` for a key it had not read yet (a body
    // cut off mid-key); the enclosing record is the useful part.
    let path = path.trim_end_matches(".?").trim_end_matches('?');
    let message = if inner.classify() == serde_json::error::Category::Eof {
        format!("the body ends before the document does (truncated?): {inner}")
    } else {
        inner.to_string()
    };
    DocumentError::Invalid {
        path: if path.is_empty() || path == "." {
            "$".to_owned()
        } else if path.starts_with('[') {
            format!("${path}")
        } else {
            format!("$.{path}")
        },
        message: Text::new(&message).to_string(),
    }
}

/// A validated document with id indexes: what the analysis and the view read.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The document as received (records with duplicate ids included).
    pub document: Document,
    /// What validation found wrong, naming each record.
    pub data_warnings: Vec<DataWarning>,
    cities: HashMap<CityId, usize>,
    partners: HashMap<PartnerId, usize>,
    stores: HashMap<StoreId, usize>,
    stores_by_city: HashMap<CityId, Vec<usize>>,
    /// For each store, the positions of its city and its operating partner,
    /// when the feed has them: looked up once here, used by validation and
    /// the analysis without hashing an id again.
    store_links: Vec<StoreLinks>,
}

/// Where a store's city and partner are in the document.
#[derive(Debug, Clone, Copy)]
struct StoreLinks {
    city: Option<u32>,
    partner: Option<u32>,
}

impl Snapshot {
    /// Parses and validates a feed body in one step.
    pub fn from_body(body: &[u8]) -> Result<Self, DocumentError> {
        parse_document(body).map(Snapshot::new)
    }

    /// [`Snapshot::from_body`] of a body whose stores were parsed as it arrived.
    pub fn from_body_ahead(body: &[u8], ahead: ParseAhead) -> Result<Self, DocumentError> {
        parse_document_ahead(body, ahead).map(Snapshot::new)
    }

    /// Indexes and validates a parsed document. Of records sharing an id,
    /// the first is kept and the others dropped with a data warning.
    pub fn new(mut document: Document) -> Self {
        // Problems name records by position: read them before duplicates go.
        let field_problems = field_problem_warnings(&document);
        let mut data_warnings = Vec::new();
        let cities = dedupe(&mut document.cities, |c| &c.id, "city", &mut data_warnings);
        let partners = dedupe(
            &mut document.partners,
            |p| &p.id,
            "partner",
            &mut data_warnings,
        );
        let stores = dedupe(&mut document.stores, |s| &s.id, "store", &mut data_warnings);
        let position = |i: &usize| u32::try_from(*i).ok();
        let store_links = document
            .stores
            .iter()
            .map(|store| StoreLinks {
                city: cities.get(store.city.as_str()).and_then(position),
                partner: store
                    .operator
                    .partner()
                    .and_then(|id| partners.get(id.as_str()))
                    .and_then(position),
            })
            .collect();
        let mut stores_by_city: HashMap<CityId, Vec<usize>> = HashMap::new();
        for (i, store) in document.stores.iter().enumerate() {
            stores_by_city
                .entry(store.city.clone())
                .or_default()
                .push(i);
        }
        let mut snapshot = Snapshot {
            document,
            data_warnings: Vec::new(),
            cities,
            partners,
            stores,
            stores_by_city,
            store_links,
        };
        snapshot.check_cities(&mut data_warnings);
        snapshot.check_partners(&mut data_warnings);
        snapshot.check_stores(&mut data_warnings);
        snapshot.check_crowds(&mut data_warnings);
        snapshot.check_feed_warnings(&mut data_warnings);
        data_warnings.extend(field_problems);
        snapshot.data_warnings = data_warnings;
        snapshot
    }

    /// The city with this id.
    pub fn city(&self, id: &str) -> Option<&City> {
        self.cities.get(id).map(|&i| &self.document.cities[i])
    }

    /// The partner with this id.
    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.partners.get(id).map(|&i| &self.document.partners[i])
    }

    /// The store with this id.
    pub fn store(&self, id: &str) -> Option<&Store> {
        self.stores.get(id).map(|&i| &self.document.stores[i])
    }

    /// The position of a store in `document.stores`.
    pub fn store_index(&self, id: &str) -> Option<usize> {
        self.stores.get(id).copied()
    }

    /// The position of a partner in `document.partners`.
    pub fn partner_index(&self, id: &str) -> Option<usize> {
        self.partners.get(id).copied()
    }

    /// The position in `document.cities` of the city of the store at
    /// position `store` in `document.stores`, if the feed has that city.
    pub fn store_city_index(&self, store: usize) -> Option<usize> {
        self.store_links.get(store)?.city.map(|i| i as usize)
    }

    /// The position in `document.partners` of the partner operating the
    /// store at position `store`, if a partner in the feed operates it.
    pub fn store_partner_index(&self, store: usize) -> Option<usize> {
        self.store_links.get(store)?.partner.map(|i| i as usize)
    }

    /// The position of a city in `document.cities`.
    pub fn city_index(&self, id: &str) -> Option<usize> {
        self.cities.get(id).copied()
    }

    /// The cities, in feed order.
    pub fn cities(&self) -> impl Iterator<Item = &City> {
        self.document.cities.iter()
    }

    /// The partners, in feed order.
    pub fn partners(&self) -> impl Iterator<Item = &Partner> {
        self.document.partners.iter()
    }

    /// The stores, in feed order.
    pub fn stores(&self) -> impl Iterator<Item = &Store> {
        self.document.stores.iter()
    }

    /// The stores in one city, in feed order.
    pub fn stores_in<'a>(&'a self, city: &str) -> impl Iterator<Item = &'a Store> + 'a {
        self.stores_by_city
            .get(city)
            .into_iter()
            .flatten()
            .map(|&i| &self.document.stores[i])
    }

    /// Each city id that has stores, with its stores (the grouping the analysis uses).
    pub fn stores_by_city(&self) -> impl Iterator<Item = (&CityId, impl Iterator<Item = &Store>)> {
        self.stores_by_city
            .iter()
            .map(|(city, idx)| (city, idx.iter().map(|&i| &self.document.stores[i])))
    }

    /// The partners that serve a city (listed it, or operate a store there).
    pub fn partners_in(&self, city: &str) -> Vec<&Partner> {
        let mut found: Vec<&Partner> = self
            .partners()
            .filter(|p| p.cities.iter().any(|c| c.as_str() == city))
            .collect();
        for store in self.stores_in(city) {
            if let Some(partner) = store
                .operator
                .partner()
                .and_then(|id| self.partner(id.as_str()))
                && !found.iter().any(|p| p.id == partner.id)
            {
                found.push(partner);
            }
        }
        found
    }

    fn check_cities(&self, warnings: &mut Vec<DataWarning>) {
        for city in &self.document.cities {
            check_location(&city.id.0, city.location, warnings);
            if let Some(recruitment) = &city.recruitment {
                unknown(
                    &city.id.0,
                    "recruitment.status",
                    &recruitment.status,
                    warnings,
                );
            }
        }
    }

    fn check_partners(&self, warnings: &mut Vec<DataWarning>) {
        for partner in &self.document.partners {
            let id = &partner.id.0;
            unknown(id, "tier", &partner.tier, warnings);
            unknown(id, "agreement.stage", &partner.agreement.stage, warnings);
            for city in &partner.cities {
                if self.city(city.as_str()).is_none() {
                    warnings.push(DataWarning::new(
                        id.clone(),
                        said!("warning-partner-city-missing", partner = id, city = city),
                    ));
                }
            }
        }
    }

    fn check_stores(&self, warnings: &mut Vec<DataWarning>) {
        for (store, links) in self.document.stores.iter().zip(&self.store_links) {
            let id = &store.id.0;
            if links.city.is_none() {
                warnings.push(DataWarning::new(
                    id.clone(),
                    said!("warning-store-city-missing", store = id, city = store.city),
                ));
            }
            if let Operator::Partner(partner) = &store.operator
                && links.partner.is_none()
            {
                warnings.push(DataWarning::new(
                    id.clone(),
                    said!(
                        "warning-store-partner-missing",
                        store = id,
                        partner = partner
                    ),
                ));
            }
            unknown(id, "kind", &store.kind, warnings);
            unknown(id, "channel", &store.channel, warnings);
            unknown(id, "renovation.phase", &store.renovation.phase, warnings);
            check_location(id, store.location, warnings);
            check_channel(store, warnings);
            let percent = store.renovation.percent;
            if !(0.0..=100.0).contains(&percent) {
                warnings.push(DataWarning::new(
                    id.clone(),
                    said!(
                        "warning-percent-out-of-range",
                        store = id,
                        percent = percent
                    ),
                ));
            } else if store.renovation.phase == Phase::Open && percent < 100.0 {
                warnings.push(DataWarning::new(
                    id.clone(),
                    said!("warning-open-unfinished", store = id, percent = percent),
                ));
            } else if percent >= 100.0
                && matches!(
                    store.renovation.phase,
                    Phase::Planned | Phase::SiteSelected | Phase::Design
                )
            {
                // Finished before construction started: one of the two is wrong.
                warnings.push(DataWarning::new(
                    id.clone(),
                    said!(
                        "warning-finished-early",
                        store = id,
                        phase = store.renovation.phase.as_str(),
                        percent = percent
                    ),
                ));
            }
        }
    }

    /// Five or more stores of one city at one point (to about 10 m): a
    /// geocoder that fell back to the city centre, most likely. One warning
    /// per point, naming the city and how many; the analysis folds the pairs
    /// such a pile makes (`rules.max_pairs_per_city`).
    fn check_crowds(&self, warnings: &mut Vec<DataWarning>) {
        let stores = &self.document.stores;
        // City by city (the stores are grouped already), their cells sorted:
        // a crowded point is a run; no hashing per store.
        let mut crowded: Vec<(&CityId, (i32, i32), usize, &Store)> = Vec::new();
        let mut cells: Vec<((i32, i32), u32)> = Vec::new();
        for (city, positions) in &self.stores_by_city {
            if positions.len() < CROWD {
                continue;
            }
            cells.clear();
            cells.extend(positions.iter().filter_map(|&i| {
                let cell = stores[i].location.and_then(ten_metre_cell)?;
                Some((cell, i as u32))
            }));
            cells.sort_unstable();
            for run in cells.chunk_by(|a, b| a.0 == b.0) {
                if run.len() >= CROWD {
                    // The first store by id: its coordinates are the
                    // warning's, the same in any record order.
                    let first = run
                        .iter()
                        .map(|&(_, i)| &stores[i as usize])
                        .min_by(|a, b| a.id.cmp(&b.id))
                        .expect("a run is not empty");
                    crowded.push((city, run[0].0, run.len(), first));
                }
            }
        }
        crowded.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (city, _, count, first) in crowded {
            let Some(Location { lat, lon }) = first.location else {
                continue;
            };
            let name = self
                .city(city.as_str())
                .map(|c| c.name.as_str())
                .filter(|n| !n.trim().is_empty())
                .unwrap_or(city.as_str());
            warnings.push(DataWarning::new(
                city.as_str(),
                said!(
                    "warning-crowd",
                    count = count,
                    city = name,
                    lat = format!("{lat:.4}"),
                    lon = format!("{lon:.4}")
                ),
            ));
        }
    }

    fn check_feed_warnings(&self, warnings: &mut Vec<DataWarning>) {
        for warning in &self.document.warnings {
            let id = &warning.id.0;
            unknown(id, "severity", &warning.severity, warnings);
            if let Some(city) = &warning.city
                && self.city(city.as_str()).is_none()
            {
                warnings.push(DataWarning::new(
                    id.clone(),
                    said!(
                        "warning-feed-warning-city-missing",
                        warning = id,
                        city = city
                    ),
                ));
            }
            for store in &warning.stores {
                if self.store(store.as_str()).is_none() {
                    warnings.push(DataWarning::new(
                        id.clone(),
                        said!(
                            "warning-feed-warning-store-missing",
                            warning = id,
                            store = store
                        ),
                    ));
                }
            }
        }
    }
}

/// Each optional field read as absent because it was malformed, as a data
/// warning on its record.
fn field_problem_warnings(doc: &Document) -> Vec<DataWarning> {
    let mut warnings = Vec::new();
    for problem in &doc.problems {
        let (what, record) = match problem.section {
            Section::Program => ("program", Some(RawId::new("program"))),
            Section::City => (
                "city",
                doc.cities.get(problem.index).map(|c| c.id.0.clone()),
            ),
            Section::Partner => (
                "partner",
                doc.partners.get(problem.index).map(|p| p.id.0.clone()),
            ),
            Section::Store => (
                "store",
                doc.stores.get(problem.index).map(|s| s.id.0.clone()),
            ),
            Section::Warning => (
                "feed warning",
                doc.warnings.get(problem.index).map(|w| w.id.0.clone()),
            ),
        };
        let record = record.unwrap_or_else(|| RawId::new(what));
        warnings.push(DataWarning::new(
            record.clone(),
            said!(
                "warning-field-problem",
                section = what.replace(' ', "_"),
                record = record,
                field = problem.field,
                found = SaidValue::Phrase(problem.found.clone()),
                expected = SaidValue::Phrase(problem.expected.to_owned())
            ),
        ));
    }
    warnings
}

/// Keeps the first record of each id and indexes them; a duplicate is a data warning.
fn dedupe<T, K: Clone + Eq + std::hash::Hash + std::fmt::Display + std::borrow::Borrow<str>>(
    records: &mut Vec<T>,
    id: impl Fn(&T) -> &K,
    what: &str,
    warnings: &mut Vec<DataWarning>,
) -> HashMap<K, usize> {
    let mut index: HashMap<K, usize> = HashMap::with_capacity(records.len());
    let mut position = 0;
    records.retain(|record| {
        position += 1;
        let next = index.len();
        match index.entry(id(record).clone()) {
            Entry::Vacant(slot) => {
                slot.insert(next);
                true
            }
            Entry::Occupied(first) => {
                warnings.push(DataWarning::new(
                    first.key().borrow(),
                    said!(
                        "warning-duplicate",
                        section = what,
                        id = first.key(),
                        position = position
                    ),
                ));
                false
            }
        }
    });
    index
}

/// Stores at one point make a data warning from this many on: fewer are a
/// mall with a few shops, more a geocoder that fell back to the city centre.
const CROWD: usize = 5;

/// Degrees per cell side: 1e-4 degree of latitude is 11 m, of longitude
/// 7 to 10 m in China.
const CELL_DEGREES: f64 = 1e-4;

/// The cell of about 10 m by 10 m a valid location falls in.
fn ten_metre_cell(l: Location) -> Option<(i32, i32)> {
    let valid = (-90.0..=90.0).contains(&l.lat) && (-180.0..=180.0).contains(&l.lon);
    if !valid {
        return None; // NaN too; reported as out of range
    }
    let cell = |degrees: f64| (degrees / CELL_DEGREES).round() as i32;
    Some((cell(l.lat), cell(l.lon)))
}

fn check_location(id: &RawId, location: Option<Location>, warnings: &mut Vec<DataWarning>) {
    if let Some(Location { lat, lon }) = location
        && !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
    {
        warnings.push(DataWarning::new(
            id.clone(),
            said!("warning-bad-coordinates", record = id, lat = lat, lon = lon),
        ));
    }
}

fn unknown(id: &RawId, field: &str, value: &impl WireValue, warnings: &mut Vec<DataWarning>) {
    if !value.is_known() {
        warnings.push(DataWarning::new(
            id.clone(),
            said!(
                "warning-unknown-value",
                record = id,
                field = field,
                value = format!("{:?}", value.as_str())
            ),
        ));
    }
}

/// Kind, channel and operator must agree: delivery centers are direct, 2S stores agency.
fn check_channel(store: &Store, warnings: &mut Vec<DataWarning>) {
    let id = &store.id.0;
    let problem = match (&store.kind, &store.channel, &store.operator) {
        (StoreKind::DeliveryCenter, Channel::Agency, _) => {
            Some(said!("warning-delivery-center-agency", store = id))
        }
        (StoreKind::SalesService2s, Channel::Direct, _) => {
            Some(said!("warning-2s-direct", store = id))
        }
        (_, Channel::Direct, Operator::Partner(_)) => {
            Some(said!("warning-direct-by-partner", store = id))
        }
        (_, Channel::Agency, Operator::Xiaomi) => {
            Some(said!("warning-agency-by-xiaomi", store = id))
        }
        _ => None,
    };
    if let Some(problem) = problem {
        warnings.push(DataWarning::new(id.clone(), problem));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::demo::DEMO_FEED_JSON;

    fn same(a: &RawId, b: &RawId) -> bool {
        std::ptr::eq(a.as_str().as_ptr(), b.as_str().as_ptr())
    }

    /// City and partner ids and districts are shared within one parse (one
    /// allocation for all their mentions); nothing is shared across parses,
    /// and store ids and names are never looked up for sharing.
    #[test]
    fn repeated_feed_text_is_shared_within_one_parse() {
        let first = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
        let in_suzhou: Vec<&Store> = first
            .stores
            .iter()
            .filter(|s| s.city.as_str() == "suzhou")
            .collect();
        assert!(in_suzhou.len() >= 2);
        assert!(same(&in_suzhou[0].city.0, &in_suzhou[1].city.0));
        let city = first
            .cities
            .iter()
            .find(|c| c.id.as_str() == "suzhou")
            .unwrap();
        assert!(same(&city.id.0, &in_suzhou[0].city.0));
        let run_by = |p: &str| {
            first
                .stores
                .iter()
                .filter_map(|s| s.operator.partner())
                .filter(|id| id.as_str() == p)
                .collect::<Vec<_>>()
        };
        let ganghong = run_by("ganghong");
        assert!(ganghong.len() >= 2, "{ganghong:?}");
        assert!(same(&ganghong[0].0, &ganghong[1].0));

        let second = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
        assert!(!same(&first.stores[0].city.0, &second.stores[0].city.0));
        // Outside a parse, text is its own allocation.
        assert!(!same(&CityId::new("suzhou").0, &CityId::new("suzhou").0));
    }
}
