//! The languages the dashboard and the text report speak, and their message
//! catalogs (Project Fluent, `assets/i18n/*.ftl`, embedded in the binary).
//!
//! Every word a person reads comes from a catalog through [`tr!`] (or
//! [`Lang::text`] / [`Lang::write`]); code pastes no English together. Ids,
//! rule ids and JSON field names are not words and stay as they are.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use serde::{Deserialize, Serialize};

pub use fluent_bundle::FluentArgs as Args;
pub use fluent_bundle::FluentValue as Value;

/// The English catalog.
pub const EN_FTL: &str = include_str!("../assets/i18n/en.ftl");
/// The Chinese catalog.
pub const ZH_FTL: &str = include_str!("../assets/i18n/zh.ftl");

/// A language of the interface.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Every language, in catalog order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The language the environment asks for: the first of `LC_ALL`,
    /// `LC_MESSAGES` and `LANG` that is set and not empty, as POSIX orders
    /// them; `zh*` is Chinese, anything else English.
    pub fn from_env() -> Lang {
        Lang::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Lang::from_env`] without the environment: `var` reads a variable.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(var)
            .find(|value| !value.is_empty());
        match locale {
            Some(locale) if locale.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// The language a terminal can be spoken to in: Chinese needs one that
    /// shows it. In ASCII mode (a locale without UTF-8, `--ascii`) the
    /// interface falls back to English, since whole sentences in tone-less
    /// pinyin run together unreadably; names are still given in pinyin.
    pub fn for_terminal(self, ascii: bool) -> Lang {
        if ascii { Lang::En } else { self }
    }

    /// The language's tag (`en`, `zh`), as `--lang` and `ui.lang` spell it.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The catalog's source text.
    pub fn source(self) -> &'static str {
        match self {
            Lang::En => EN_FTL,
            Lang::Zh => ZH_FTL,
        }
    }

    fn catalog(self) -> &'static Catalog {
        static CATALOGS: OnceLock<[Catalog; 2]> = OnceLock::new();
        let catalogs = CATALOGS.get_or_init(|| Lang::ALL.map(Catalog::load));
        &catalogs[self as usize]
    }

    /// The message `id` without variables.
    pub fn text(self, id: &str) -> Cow<'static, str> {
        self.catalog().format(id, None)
    }

    /// The message `id` with `args`.
    pub fn format(self, id: &str, args: &FluentArgs) -> Cow<'static, str> {
        self.catalog().format(id, Some(args))
    }

    /// Appends the message `id` with `args` to `out`, without a string of
    /// its own (finding sentences are written by the thousand).
    pub fn write(self, out: &mut String, id: &str, args: Option<&FluentArgs>) {
        self.catalog().write(out, id, args);
    }

    /// The word for a value of the contract (`group` `phase`, `wire`
    /// `fit_out`: message `phase-fit_out`), or `None` for a value the
    /// catalog does not know (the caller shows it as the feed sent it).
    pub fn word(self, group: &str, wire: &str) -> Option<Cow<'static, str>> {
        // Called for cells of every frame: the id is put together on the
        // stack, and a word without variables is borrowed from the catalog.
        let mut id = [0u8; 48];
        let len = group.len() + 1 + wire.len();
        // No catalog id is that long: a value the feed made up.
        let id = id.get_mut(..len)?;
        id[..group.len()].copy_from_slice(group.as_bytes());
        id[group.len()] = b'-';
        id[group.len() + 1..].copy_from_slice(wire.as_bytes());
        let id = std::str::from_utf8(id).ok()?;
        let catalog = self.catalog();
        let pattern = catalog.bundle.get_message(id)?.value()?;
        Some(
            catalog
                .bundle
                .format_pattern(pattern, None, &mut Vec::new()),
        )
    }

    /// Whether the catalog has the message `id`.
    pub fn has(self, id: &str) -> bool {
        self.catalog().bundle.has_message(id)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "en" => Ok(Lang::En),
            "zh" => Ok(Lang::Zh),
            other => Err(format!("{other:?} is not a language: en or zh")),
        }
    }
}

/// One language's parsed catalog.
struct Catalog {
    bundle: FluentBundle<FluentResource>,
}

impl Catalog {
    fn load(lang: Lang) -> Catalog {
        let id: unic_langid::LanguageIdentifier =
            lang.tag().parse().expect("a language tag of our own");
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Unicode isolation marks around every variable would reach the
        // terminal as invisible characters that still take room.
        bundle.set_use_isolating(false);
        // The catalogs are ours and embedded: a syntax error is a bug that
        // the catalog tests catch, so it panics at the first message.
        let resource = FluentResource::try_new(lang.source().to_owned())
            .unwrap_or_else(|(_, errors)| panic!("{lang} catalog does not parse: {errors:?}"));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("{lang} catalog has clashing ids: {errors:?}"));
        Catalog { bundle }
    }

    // `&'static self`: the catalogs are statics, so a message without
    // variables is borrowed from them rather than copied for every label.
    fn format(&'static self, id: &str, args: Option<&FluentArgs>) -> Cow<'static, str> {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return missing(id).into();
        };
        let mut errors = Vec::new();
        self.bundle.format_pattern(pattern, args, &mut errors)
    }

    fn write(&self, out: &mut String, id: &str, args: Option<&FluentArgs>) {
        match self.bundle.get_message(id).and_then(|m| m.value()) {
            Some(pattern) => {
                let mut errors = Vec::new();
                // Writing to a String cannot fail.
                let _ = self.bundle.write_pattern(out, pattern, args, &mut errors);
            }
            None => out.push_str(&missing(id)),
        }
    }
}

/// What stands in for a message the catalog lacks: its id, so the gap is
/// visible (the catalog tests make sure none is).
fn missing(id: &str) -> String {
    format!("{{{id}}}")
}

/// A message from the catalog of a language: `tr!(lang, "id")`, or with
/// variables `tr!(lang, "id", count = 3, city = name)`. Gives a
/// `Cow<'static, str>`.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $id:literal) => {
        $crate::i18n::Lang::text($lang, $id)
    };
    ($lang:expr, $id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::Args::new();
        $( args.set(stringify!($name), $value); )+
        $crate::i18n::Lang::format($lang, $id, &args)
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn the_first_locale_variable_set_decides() {
        assert_eq!(Lang::from_vars(vars(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(Lang::from_vars(vars(&[("LANG", "en_US.UTF-8")])), Lang::En);
        assert_eq!(Lang::from_vars(vars(&[])), Lang::En);
        // LC_ALL overrides LC_MESSAGES overrides LANG.
        let both = [("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")];
        assert_eq!(Lang::from_vars(vars(&both)), Lang::En);
        let messages = [("LC_MESSAGES", "zh_TW.UTF-8"), ("LANG", "en_GB.UTF-8")];
        assert_eq!(Lang::from_vars(vars(&messages)), Lang::Zh);
        // An empty variable counts as unset.
        let empty = [("LC_ALL", ""), ("LANG", "zh_CN.GB18030")];
        assert_eq!(Lang::from_vars(vars(&empty)), Lang::Zh);
        assert_eq!(Lang::from_vars(vars(&[("LANG", "ZH_cn")])), Lang::Zh);
    }

    #[test]
    fn messages_come_from_the_language_asked_for() {
        assert_eq!(tr!(Lang::En, "lang-name"), "English");
        assert_eq!(tr!(Lang::Zh, "lang-name"), "中文");
    }

    #[test]
    fn variables_are_placed_without_isolation_marks() {
        let text = tr!(Lang::En, "i18n-example", count = 1, city = "Ningbo");
        assert_eq!(text, "1 store in Ningbo");
        let text = tr!(Lang::En, "i18n-example", count = 12, city = "Ningbo");
        assert_eq!(text, "12 stores in Ningbo");
        let text = tr!(Lang::Zh, "i18n-example", count = 12, city = "宁波");
        assert_eq!(text, "宁波有 12 家门店");
        assert!(!text.contains(['\u{2068}', '\u{2069}']));
    }

    #[test]
    fn a_contract_word_is_borrowed_from_the_catalog_and_a_made_up_value_has_none() {
        assert!(matches!(
            Lang::Zh.word("phase", "fit_out"),
            Some(Cow::Borrowed("装修"))
        ));
        assert_eq!(
            Lang::En.word("phase", "fit_out").as_deref(),
            Some("fit-out")
        );
        assert_eq!(Lang::En.word("phase", "painting"), None);
        assert_eq!(Lang::En.word("phase", &"x".repeat(10_000)), None);
    }

    #[test]
    fn a_missing_message_shows_its_id() {
        assert_eq!(Lang::En.text("no-such-message"), "{no-such-message}");
        let mut out = String::from("x ");
        Lang::Zh.write(&mut out, "no-such-message", None);
        assert_eq!(out, "x {no-such-message}");
    }
}
