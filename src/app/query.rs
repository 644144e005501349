//! The filter grammar: plain text beside `field:value` terms, combined
//! with AND. Plain text matches names and ids; the terms match fields
//! (`sev:critical`, `rule:territory_overlap`, `city:ningbo`,
//! `partner:ganghong`, `phase:fit_out`, `kind:dc`, `late`, `new`,
//! `acked:yes|no`). Text that holds a colon or is a keyword is typed in
//! double quotes (`"new"`, `"sh:01"`).

use std::fmt;

use crate::i18n::Lang;
use crate::tr;

use crate::analysis::{Rule, Severity};
use crate::feed::wire::{Phase, StoreKind, WireValue};

/// A parsed filter: the plain text and the field terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The plain text, lower-cased, its words joined by one space; empty
    /// matches every row.
    pub text: String,
    /// The field terms, each of which a row must pass.
    pub terms: Vec<Term>,
    /// Words of the text that look like `field:value` with a field that
    /// does not exist (`sevv:critical`): searched as text (ids may hold
    /// colons), and named in the filter line in case they were a typo.
    pub unknown_fields: Vec<String>,
}

impl Query {
    /// Whether the query narrows nothing.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.terms.is_empty()
    }
}

/// One field term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// `sev:` a finding's severity (a city's worst).
    Severity(Severity),
    /// `rule:` the rule that found it (`feed` for the feed's own warnings).
    Rule(RuleTerm),
    /// `city:` a city by id, name, Chinese name or pinyin (lower-cased).
    City(String),
    /// `partner:` a partner by id, name, Chinese name or pinyin (lower-cased).
    Partner(String),
    /// `phase:` a store's build-out phase.
    Phase(Phase),
    /// `kind:` a store's kind.
    Kind(StoreKind),
    /// `late`: a store behind its plan, a finding about lateness, a city
    /// with late stores.
    Late,
    /// `new`: a finding that was not there at the previous poll.
    New,
    /// `acked:yes` / `acked:no`: a finding acknowledged or not.
    Acked(bool),
}

/// What `rule:` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleTerm {
    /// One of the dashboard's rules.
    Rule(Rule),
    /// The feed's own warnings.
    Feed,
}

impl Term {
    /// The term's field, as typed (`late` and `new` are their own).
    pub fn field(&self) -> &'static str {
        match self {
            Term::Severity(_) => "sev",
            Term::Rule(_) => "rule",
            Term::City(_) => "city",
            Term::Partner(_) => "partner",
            Term::Phase(_) => "phase",
            Term::Kind(_) => "kind",
            Term::Late => "late",
            Term::New => "new",
            Term::Acked(_) => "acked",
        }
    }
}

/// Why a filter could not be read: the term at fault and what was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// The term as typed.
    pub term: String,
    /// What was wrong with it, and what would do.
    pub why: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.term, self.why)
    }
}

impl std::error::Error for QueryError {}

/// What the filter line says of words that look like terms of no field.
pub fn unknown_fields_note(fields: &[String]) -> Option<String> {
    unknown_fields_note_in(fields, Lang::En)
}

/// [`unknown_fields_note`] in `lang` (field names stay as they are typed).
pub fn unknown_fields_note_in(fields: &[String], lang: Lang) -> Option<String> {
    (!fields.is_empty()).then(|| {
        tr!(
            lang,
            "query-unknown-fields",
            typed = fields.join(", "),
            fields = FIELDS.join(", ")
        )
        .into_owned()
    })
}

/// The field names a term may start with, as the filter line lists them.
pub const FIELDS: &[&str] = &["sev", "rule", "city", "partner", "phase", "kind", "acked"];

/// The words that are terms on their own.
pub const FLAGS: &[&str] = &["late", "new"];

/// Reads a filter. Words are split at spaces; a word in double quotes
/// (spaces allowed inside) is plain text whatever it holds.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    parse_in(input, Lang::En)
}

/// [`parse`], its errors said in `lang` (the terms are typed as in English).
pub fn parse_in(input: &str, lang: Lang) -> Result<Query, QueryError> {
    let mut query = Query::default();
    let mut words: Vec<String> = Vec::new();
    for token in tokens(input, lang)? {
        match token {
            Token::Quoted(text) => words.push(text.to_lowercase()),
            Token::Bare(word) => match term(word, lang)? {
                Some(term) => query.terms.push(term),
                None => {
                    let lower = word.to_lowercase();
                    if let Some((field, _)) = lower.split_once(':')
                        && !field.is_empty()
                        && field.chars().all(|c| c.is_ascii_alphabetic())
                    {
                        query.unknown_fields.push(field.to_owned());
                    }
                    words.push(lower);
                }
            },
        }
    }
    query.text = words.join(" ");
    Ok(query)
}

enum Token<'a> {
    Bare(&'a str),
    Quoted(&'a str),
}

fn tokens(input: &str, lang: Lang) -> Result<Vec<Token<'_>>, QueryError> {
    let mut out = Vec::new();
    let mut rest = input;
    loop {
        rest = rest.trim_start_matches(' ');
        if rest.is_empty() {
            return Ok(out);
        }
        if let Some(quoted) = rest.strip_prefix('"') {
            let Some(end) = quoted.find('"') else {
                return Err(QueryError {
                    term: rest.to_owned(),
                    why: tr!(lang, "query-quote-open").into_owned(),
                });
            };
            // Spaces at a quote's edges would join words with two.
            let text = quoted[..end].trim_matches(' ');
            if !text.is_empty() {
                out.push(Token::Quoted(text));
            }
            rest = &quoted[end + 1..];
        } else {
            let end = rest.find([' ', '"']).unwrap_or(rest.len());
            out.push(Token::Bare(&rest[..end]));
            rest = &rest[end..];
        }
    }
}

/// The term a bare word is, `None` for plain text.
fn term(word: &str, lang: Lang) -> Result<Option<Term>, QueryError> {
    let lower = word.to_lowercase();
    match lower.as_str() {
        "late" => return Ok(Some(Term::Late)),
        "new" => return Ok(Some(Term::New)),
        _ => {}
    }
    let Some((field, value)) = lower.split_once(':') else {
        return Ok(None);
    };
    let error = |why: String| QueryError {
        term: word.to_owned(),
        why,
    };
    // Ids may hold colons (`sh:01`): only a word of letters before the
    // colon is a field name, and then it must be one.
    if field.is_empty() || !field.chars().all(|c| c.is_ascii_alphabetic()) {
        return Ok(None);
    }
    if value.is_empty() && FIELDS.contains(&field) {
        return Err(error(
            tr!(lang, "query-needs-value", field = field).into_owned(),
        ));
    }
    let term = match field {
        "sev" | "severity" => Term::Severity(
            severity(value).ok_or_else(|| error(tr!(lang, "query-severity").into_owned()))?,
        ),
        "rule" => Term::Rule(rule(value, lang).map_err(error)?),
        "city" => Term::City(value.to_owned()),
        "partner" => Term::Partner(value.to_owned()),
        "phase" => Term::Phase(phase(value).ok_or_else(|| {
            error(tr!(lang, "query-phase", phases = names(Phase::KNOWN)).into_owned())
        })?),
        "kind" => {
            Term::Kind(kind(value).ok_or_else(|| error(tr!(lang, "query-kind").into_owned()))?)
        }
        "acked" => Term::Acked(match value {
            "yes" | "y" | "true" => true,
            "no" | "n" | "false" => false,
            _ => return Err(error(tr!(lang, "query-acked").into_owned())),
        }),
        // Not a field: text, which `Query::unknown_fields` names.
        _ => return Ok(None),
    };
    Ok(Some(term))
}

fn severity(value: &str) -> Option<Severity> {
    match value {
        "critical" | "crit" | "c" => Some(Severity::Critical),
        "warning" | "warn" | "w" => Some(Severity::Warning),
        "info" | "i" => Some(Severity::Info),
        _ => None,
    }
}

/// A rule by its id, or by a prefix only one rule id has.
fn rule(value: &str, lang: Lang) -> Result<RuleTerm, String> {
    if value == "feed" {
        return Ok(RuleTerm::Feed);
    }
    if let Some(rule) = Rule::ALL.into_iter().find(|r| r.id() == value) {
        return Ok(RuleTerm::Rule(rule));
    }
    let starting: Vec<Rule> = Rule::ALL
        .into_iter()
        .filter(|r| r.id().starts_with(value))
        .collect();
    match starting.as_slice() {
        [rule] => Ok(RuleTerm::Rule(*rule)),
        [] => Err(tr!(
            lang,
            "query-no-rule",
            typed = value,
            rules = Rule::ALL.map(|r| r.id()).join(", ")
        )
        .into_owned()),
        more => {
            let or = format!(" {} ", tr!(lang, "query-or"));
            let ids: Vec<&str> = more.iter().map(|r| r.id()).collect();
            Err(tr!(lang, "query-could-be", typed = value, rules = ids.join(&or)).into_owned())
        }
    }
}

fn phase(value: &str) -> Option<Phase> {
    let value = value.replace('-', "_");
    Phase::KNOWN.iter().find(|p| p.as_str() == value).cloned()
}

fn kind(value: &str) -> Option<StoreKind> {
    match value {
        "dc" | "delivery" | "delivery_center" => Some(StoreKind::DeliveryCenter),
        "home" | "xiaomi_home" | "xh" => Some(StoreKind::XiaomiHome),
        "2s" | "sales_service_2s" | "dealer" => Some(StoreKind::SalesService2s),
        _ => None,
    }
}

fn names<T: WireValue>(values: &[T]) -> String {
    values
        .iter()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn terms(input: &str) -> Vec<Term> {
        parse(input).unwrap().terms
    }

    #[test]
    fn term_errors_speak_chinese() {
        let why = |input: &str| parse_in(input, Lang::Zh).unwrap_err().why;
        assert_eq!(why("sev:"), "sev：需要一个值");
        assert_eq!(why("sev:bad"), "严重程度只能是 critical、warning 或 info");
        assert_eq!(why("acked:maybe"), "acked 只能是 yes 或 no");
        assert!(
            why("phase:x").starts_with("阶段只能是 planned"),
            "{}",
            why("phase:x")
        );
        assert!(why("kind:x").starts_with("门店类型只能是"));
        assert!(why("rule:nope").starts_with("没有规则 nope"));
        assert_eq!(why("\"open"), "引号没有闭合");
        let d = why("rule:d");
        assert!(d.contains(" 或 "), "{d}");
        let note = unknown_fields_note_in(&["foo".into()], Lang::Zh).unwrap();
        assert!(note.starts_with("没有字段 foo：按文字匹配"), "{note}");
        // The terms themselves are typed as in English, in either language.
        assert!(parse_in("sev:critical late", Lang::Zh).is_ok());
        // English says what it said before.
        assert_eq!(why_en("sev:"), "sev: needs a value");
    }

    fn why_en(input: &str) -> String {
        parse(input).unwrap_err().why
    }

    #[test]
    fn plain_text_is_lower_cased_and_kept_apart_from_terms() {
        let query = parse("Ning  sev:critical bo").unwrap();
        assert_eq!(query.text, "ning bo");
        assert_eq!(query.terms, [Term::Severity(Severity::Critical)]);
        assert!(parse("").unwrap().is_empty());
        assert!(parse("   ").unwrap().is_empty());
    }

    #[test]
    fn every_field_reads_its_values() {
        assert_eq!(
            terms("sev:warning rule:territory_overlap city:Ningbo partner:ganghong"),
            [
                Term::Severity(Severity::Warning),
                Term::Rule(RuleTerm::Rule(Rule::TerritoryOverlap)),
                Term::City("ningbo".into()),
                Term::Partner("ganghong".into()),
            ]
        );
        assert_eq!(
            terms("phase:fit_out kind:dc late new acked:no acked:yes"),
            [
                Term::Phase(Phase::FitOut),
                Term::Kind(StoreKind::DeliveryCenter),
                Term::Late,
                Term::New,
                Term::Acked(false),
                Term::Acked(true),
            ]
        );
        assert_eq!(terms("phase:fit-out"), [Term::Phase(Phase::FitOut)]);
        assert_eq!(terms("kind:2s"), [Term::Kind(StoreKind::SalesService2s)]);
        assert_eq!(terms("city:宁波"), [Term::City("宁波".into())]);
        assert_eq!(terms("rule:feed"), [Term::Rule(RuleTerm::Feed)]);
    }

    #[test]
    fn a_rule_may_be_a_prefix_only_one_rule_has() {
        assert_eq!(
            terms("rule:territory"),
            [Term::Rule(RuleTerm::Rule(Rule::TerritoryOverlap))]
        );
        let error = parse("rule:d").unwrap_err();
        assert!(
            error
                .why
                .contains("delivery_after_agency or display_vehicle_late"),
            "{error}"
        );
    }

    #[test]
    fn an_invalid_term_says_which_and_why() {
        let cases = [
            (
                "sev:bad",
                "sev:bad",
                "severity is critical, warning or info",
            ),
            (
                "x phase:painting",
                "phase:painting",
                "phase is one of planned, ",
            ),
            ("kind:shop", "kind:shop", "kind is dc"),
            ("acked:maybe", "acked:maybe", "acked is yes or no"),
            (
                "rule:nope",
                "rule:nope",
                "no rule nope; rules are territory_overlap",
            ),
            ("city:", "city:", "city: needs a value"),
            ("\"open", "\"open", "a quote is not closed"),
        ];
        for (input, term, why) in cases {
            let error = parse(input).unwrap_err();
            assert_eq!(error.term, term, "{input}");
            assert!(
                error.why.starts_with(why) || error.why.contains(why),
                "{input}: {error}"
            );
        }
    }

    #[test]
    fn quotes_and_colons_that_are_not_fields_are_text() {
        assert_eq!(parse("\"new\" late").unwrap().text, "new");
        assert_eq!(parse("\"sev:bad\"").unwrap().text, "sev:bad");
        assert_eq!(parse("sh:01").unwrap().text, "sh:01");
        let typo = parse("sevv:critical").unwrap();
        assert_eq!(
            (typo.text.as_str(), typo.unknown_fields.as_slice()),
            ("sevv:critical", &["sevv".to_owned()][..])
        );
        assert_eq!(parse("12:30").unwrap().text, "12:30");
        assert_eq!(parse("newport").unwrap().text, "newport");
        assert_eq!(parse("\"a b\"c").unwrap().text, "a b c");
    }

    proptest! {
        /// No input makes the parser panic; what it reads, it reads again
        /// the same way.
        #[test]
        fn no_input_panics(input in "\\PC{0,40}") {
            let _ = parse(&input);
        }

        #[test]
        fn no_mix_of_the_grammar_panics(
            words in prop::collection::vec(
                prop::sample::select(vec![
                    "sev:", "rule:", "city:", "partner:", "phase:", "kind:", "acked:",
                    "late", "new", "\"", ":", " ", "critical", "宁波", "a", "_", "-",
                    "İ", "\u{0}", "yes",
                ]),
                0..12,
            ),
        ) {
            let input: String = words.concat();
            if let Ok(query) = parse(&input) {
                prop_assert_eq!(query.text.clone(), query.text.to_lowercase());
                prop_assert!(!query.text.starts_with(' ') && !query.text.ends_with(' '));
            }
        }
    }
}
