//! Typed configuration: defaults, then the config file, then the environment,
//! then flags. `config.example.toml` documents every key with its default, and
//! a test keeps it equal to [`Config::default`].

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};

pub use crate::analysis::RulesConfig;
use crate::analysis::{Rule, Severity};
use crate::app::keys::Keymap;
use crate::i18n::Lang;
pub use crate::settings::{
    FEED_ENV, FeedConfig, FileContents, FileError, HistoryConfig, Seconds, TOKEN_ENV, Token,
    check_url, kind_tag, not_regular, read_regular_file, size_text, snapshot_url, without_userinfo,
    xdg_dir,
};
use crate::tr;

/// What is wrong with a value: a catalog message (`config-*`) with its
/// variables, or a library's own words (a TOML parser's, an io error's) as
/// it wrote them. `Display` is English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Message `id` of the catalogs with these variables.
    Said {
        /// The catalog message.
        id: &'static str,
        /// Its variables, as text.
        args: Vec<(&'static str, String)>,
    },
    /// Words that have no message: shown as written in every language.
    AsWritten(String),
}

impl Fault {
    /// The fault in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Fault::Said { id, args } => {
                let mut fluent = crate::i18n::Args::with_capacity(args.len());
                for (name, value) in args {
                    fluent.set(*name, value.as_str());
                }
                lang.format(id, &fluent).into_owned()
            }
            Fault::AsWritten(text) => text.clone(),
        }
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl From<String> for Fault {
    fn from(text: String) -> Self {
        Fault::AsWritten(text)
    }
}

impl From<&str> for Fault {
    fn from(text: &str) -> Self {
        Fault::AsWritten(text.to_owned())
    }
}

/// A [`Fault`] from the catalogs: `config_said!("config-id", name = value)`;
/// values are shown with `Display`.
macro_rules! config_said {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::config::Fault::Said {
            id: $id,
            args: vec![$((stringify!($name), $value.to_string())),*],
        }
    };
}
pub(crate) use config_said;

/// Where values came from when they came from flags or the environment.
pub const FLAGS_ORIGIN: &str = "command line or environment";

/// A config file or value that cannot be used; exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{}", self.text(Lang::En))]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a key is unknown or of the wrong type.
    #[error("{}", self.text(Lang::En))]
    Parse {
        /// The file.
        path: PathBuf,
        /// The 1-based line at fault, when the parser knows it.
        line: Option<usize>,
        /// The key at fault, dotted, when there is one.
        key: Option<String>,
        /// What is wrong (never a copy of the line: it may hold a password).
        message: Fault,
    },
    /// A value is out of its range.
    #[error("{}", self.text(Lang::En))]
    Invalid {
        /// Where the value came from (a file, [`FLAGS_ORIGIN`], `config`).
        origin: String,
        /// The 1-based line of the key in the file, when it is known.
        line: Option<usize>,
        /// The key at fault.
        key: String,
        /// What is wrong.
        message: Fault,
    },
    /// The token file is unreadable or too open.
    #[error("{}", self.text(Lang::En))]
    Token {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: Fault,
    },
}

impl ConfigError {
    /// The error in `lang`: the words around what names the fault (file,
    /// line, key, value) come from the catalog.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            ConfigError::Read { path, source } => {
                let path = path.display().to_string();
                let ours = source
                    .get_ref()
                    .and_then(|e| e.downcast_ref::<Unreadable>());
                let error = match ours {
                    Some(Unreadable::TooLarge(limit)) => {
                        let size = size_text(*limit);
                        tr!(lang, "config-read-too-large", size = size).into_owned()
                    }
                    Some(Unreadable::NotUtf8) => tr!(lang, "config-not-utf8").into_owned(),
                    None => source.to_string(),
                };
                tr!(lang, "config-read", path = path, error = error).into_owned()
            }
            ConfigError::Parse {
                path,
                line,
                key,
                message,
            } => {
                let path = path.display().to_string();
                let message = message.text(lang);
                match (line.map(|l| l.to_string()), key.as_deref()) {
                    (None, None) => tr!(lang, "config-parse", path = path, message = message),
                    (Some(line), None) => tr!(
                        lang,
                        "config-parse-line",
                        path = path,
                        line = line,
                        message = message
                    ),
                    (None, Some(key)) => tr!(
                        lang,
                        "config-parse-key",
                        path = path,
                        key = key,
                        message = message
                    ),
                    (Some(line), Some(key)) => tr!(
                        lang,
                        "config-parse-line-key",
                        path = path,
                        line = line,
                        key = key,
                        message = message
                    ),
                }
                .into_owned()
            }
            ConfigError::Invalid {
                origin,
                line,
                key,
                message,
            } => {
                let origin = if origin == FLAGS_ORIGIN {
                    tr!(lang, "config-origin-flags").into_owned()
                } else {
                    origin.clone()
                };
                let message = message.text(lang);
                match line.map(|l| l.to_string()) {
                    None => tr!(
                        lang,
                        "config-invalid",
                        origin = origin,
                        key = key.as_str(),
                        message = message
                    ),
                    Some(line) => tr!(
                        lang,
                        "config-invalid-line",
                        origin = origin,
                        line = line,
                        key = key.as_str(),
                        message = message
                    ),
                }
                .into_owned()
            }
            ConfigError::Token { path, message } => {
                let path = path.display().to_string();
                let message = message.text(lang);
                tr!(lang, "config-token", path = path, message = message).into_owned()
            }
        }
    }
}

/// The language errors about the config file at `path` are given in:
/// its `ui.lang`, when the file reads as TOML far enough to have one.
pub fn lang_in(path: &Path) -> Option<Lang> {
    let text = read_config_text(path).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    table.get("ui")?.get("lang")?.as_str()?.parse().ok()
}

/// The whole configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the feed is and how to poll it.
    pub feed: FeedConfig,
    /// Conflict rule thresholds.
    pub rules: RulesConfig,
    /// How the dashboard looks.
    pub ui: UiConfig,
    /// Where logs go.
    pub log: LogConfig,
    /// The history database.
    pub history: HistoryConfig,
    /// Key remapping: action name -> keys (`quit = ["q", "ctrl-c"]`); an
    /// action not named keeps its default keys.
    pub keys: BTreeMap<String, Vec<String>>,
    /// Named feeds (`[[feeds]]`), picked by `--feed NAME` or switched to at
    /// run time.
    pub feeds: Vec<NamedFeed>,
    /// The `[[feeds]]` entry picked (by `--feed NAME`, or the first when no
    /// URL is given); not read from the file.
    #[serde(skip)]
    pub feed_name: Option<String>,
    /// What tells the operator about new findings.
    pub notify: NotifyConfig,
}

/// One `[[feeds]]` entry: a feed by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedFeed {
    /// What `--feed` and the header call it (letters, digits, `-`, `_`, `.`).
    pub name: String,
    /// Its base URL, as `feed.url`.
    pub url: String,
    /// Its token file, as `feed.token_file` (the one of `[feed]` is not used
    /// for a named feed: each feed's token goes to that feed only).
    #[serde(default)]
    pub token_file: Option<PathBuf>,
}

/// Whether a `--feed` value is a feed's name rather than a URL: a name has
/// no `:`, `/` or `@`, so anything URL-like stays a URL (and its errors).
pub fn is_feed_name(value: &str) -> bool {
    !value.is_empty() && !value.contains([':', '/', '@'])
}

/// The `[ui]` section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiConfig {
    /// `default` (16 colours) or `mono`; `NO_COLOR` forces `mono`.
    pub theme: Theme,
    /// ASCII instead of box drawing and symbols; unset means "when the locale is not UTF-8".
    pub ascii: Option<bool>,
    /// Mouse scroll and click.
    pub mouse: bool,
    /// How many changes the change log keeps.
    pub change_log_size: usize,
    /// `y` copies the selected row to the clipboard by OSC 52.
    pub osc52: bool,
    /// The IANA zone times are shown in (`Asia/Shanghai`); unset means `TZ`,
    /// else the system's zone, else UTC.
    pub timezone: Option<String>,
    /// The language (`en`, `zh`); unset means from `LC_ALL`, `LC_MESSAGES`
    /// or `LANG`.
    pub lang: Option<Lang>,
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig {
            theme: Theme::Default,
            ascii: None,
            mouse: true,
            change_log_size: 500,
            osc52: true,
            timezone: None,
            lang: None,
        }
    }
}

/// The `[notify]` section: how new, unacknowledged findings at or above
/// `min_severity` are announced. Everything is off by default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotifyConfig {
    /// The least severity that notifies.
    #[serde(deserialize_with = "severity_named")]
    pub min_severity: Severity,
    /// Ring the terminal bell (BEL).
    pub bell: bool,
    /// A desktop notification through the terminal (OSC 777 and OSC 9).
    pub desktop: bool,
    /// A shell command run with the new findings as JSON on its stdin.
    pub command: Option<String>,
    /// How long the command may run before it is killed.
    pub command_timeout: Seconds,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            min_severity: Severity::Critical,
            bell: false,
            desktop: false,
            command: None,
            command_timeout: Seconds::from_secs(10),
        }
    }
}

/// A severity by its word (`critical`, `warning`, `info`).
fn severity_named<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Severity, D::Error> {
    let word = String::deserialize(deserializer)?;
    [Severity::Critical, Severity::Warning, Severity::Info]
        .into_iter()
        .find(|s| s.word() == word)
        .ok_or_else(|| {
            crate::settings::said_error(config_said!(
                "config-severity",
                value = format!("{word:?}")
            ))
        })
}

/// A colour theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// 16 ANSI colours, readable on dark and light backgrounds.
    #[default]
    Default,
    /// No colour: bold, reverse and symbols only.
    Mono,
}

/// The `[log]` section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// `error`, `warn`, `info`, `debug` or `trace`.
    pub level: String,
    /// Log file; default `$XDG_STATE_HOME/rollout-dash/rollout-dash.log`.
    pub file: Option<PathBuf>,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            level: "info".to_owned(),
            file: None,
        }
    }
}

/// The default config path: `$XDG_CONFIG_HOME/rollout-dash/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    xdg_dir("XDG_CONFIG_HOME", ".config").map(|dir| dir.join("config.toml"))
}

impl Config {
    /// The language: `ui.lang` (or `--lang`), else the locale's.
    pub fn lang(&self) -> Lang {
        self.ui.lang.unwrap_or_else(Lang::from_env)
    }

    /// Reads a config file. `required` makes a missing file an error (an explicit `--config`).
    pub fn load(path: &Path, required: bool) -> Result<Self, ConfigError> {
        let text = match read_config_text(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                return Ok(Config::default());
            }
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        let config = Self::parse(&text, path)?;
        config
            .validate(&path.display().to_string())
            .map_err(|error| match error {
                // A value out of range: name its line too, as parse errors do.
                ConfigError::Invalid {
                    origin,
                    key,
                    message,
                    ..
                } => ConfigError::Invalid {
                    line: line_of_key(&text, &key),
                    origin,
                    key,
                    message,
                },
                other => other,
            })?;
        Ok(config)
    }

    /// Parses config text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let deserializer = toml::Deserializer::new(text);
        serde_path_to_error::deserialize(deserializer).map_err(|error| {
            let key = error.path().to_string();
            let error = error.into_inner();
            let line = error.span().map(|span| line_at(text, span.start));
            // toml's own rendering quotes the offending line, which may hold
            // a password in a URL: only its message is passed on, on one line.
            let message = error
                .message()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            let message = without_userinfo(&message);
            // Our own words (a duration, a severity) can be said in the language.
            let message = crate::settings::take_said(&message)
                .or_else(|| unknown_field(&message))
                .unwrap_or_else(|| message.into());
            let parse_error = |key: Option<String>, message: Fault| ConfigError::Parse {
                path: path.to_owned(),
                line,
                key,
                message,
            };
            if key != "." {
                return parse_error(Some(key), message);
            }
            // A syntax error: the parser names no key, but its line may.
            let Some(assignment) = line.and_then(|line| Assignment::at(text, line)) else {
                return parse_error(None, message);
            };
            let message = assignment.quoting_hint().unwrap_or(message);
            parse_error(Some(assignment.dotted_key()), message)
        })
    }

    /// Checks ranges and names; `origin` says where the values came from.
    pub fn validate(&self, origin: &str) -> Result<(), ConfigError> {
        let invalid = |key: &str, message: Fault| ConfigError::Invalid {
            origin: origin.to_owned(),
            line: None,
            key: key.to_owned(),
            message,
        };
        if self.feed.interval.0 < Duration::from_millis(200) {
            return Err(invalid(
                "feed.interval",
                config_said!("config-interval-too-short"),
            ));
        }
        for (key, value) in [
            ("feed.connect_timeout", self.feed.connect_timeout),
            ("feed.read_timeout", self.feed.read_timeout),
            ("feed.timeout", self.feed.timeout),
        ] {
            if value.0.is_zero() {
                return Err(invalid(key, config_said!("config-not-zero")));
            }
        }
        if self.feed.max_body_mb == 0 {
            return Err(invalid(
                "feed.max_body_mb",
                config_said!("config-at-least-one"),
            ));
        }
        if let Some(url) = &self.feed.url {
            check_url(url).map_err(|m| invalid("feed.url", m))?;
        }
        let rules = &self.rules;
        if !(rules.overlap_km.is_finite() && rules.overlap_km >= 0.0) {
            return Err(invalid("rules.overlap_km", config_said!("config-distance")));
        }
        if !(rules.critical_km.is_finite() && rules.critical_km >= 0.0) {
            return Err(invalid(
                "rules.critical_km",
                config_said!("config-distance"),
            ));
        }
        if rules.max_pairs_per_city > RulesConfig::MAX_PAIRS_PER_CITY {
            return Err(invalid(
                "rules.max_pairs_per_city",
                config_said!(
                    "config-max-pairs",
                    value = rules.max_pairs_per_city,
                    max = RulesConfig::MAX_PAIRS_PER_CITY
                ),
            ));
        }
        if let Some(unknown) = rules.disabled.iter().find(|id| Rule::from_id(id).is_none()) {
            let known: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
            return Err(invalid(
                "rules.disabled",
                config_said!(
                    "config-unknown-rule",
                    rule = format!("{unknown:?}"),
                    known = known.join(", ")
                ),
            ));
        }
        if self.history.retention_days == 0 {
            return Err(invalid(
                "history.retention_days",
                config_said!("config-retention"),
            ));
        }
        let mut names = std::collections::BTreeSet::new();
        for (i, feed) in self.feeds.iter().enumerate() {
            let key = format!("feeds[{i}]");
            let plain = feed
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if feed.name.is_empty() || !plain {
                return Err(invalid(
                    &format!("{key}.name"),
                    config_said!("config-feed-name", name = format!("{:?}", feed.name)),
                ));
            }
            if !names.insert(feed.name.as_str()) {
                return Err(invalid(
                    &format!("{key}.name"),
                    config_said!("config-feed-name-twice", name = format!("{:?}", feed.name)),
                ));
            }
            check_url(&feed.url).map_err(|m| invalid(&format!("{key}.url"), m))?;
        }
        if let Err(error) = Keymap::with_overrides(&self.keys) {
            return Err(invalid(&error.key, error.fault));
        }
        if self.notify.command_timeout.0.is_zero() {
            return Err(invalid(
                "notify.command_timeout",
                config_said!("config-not-zero"),
            ));
        }
        if self
            .notify
            .command
            .as_deref()
            .is_some_and(|c| c.trim().is_empty())
        {
            return Err(invalid(
                "notify.command",
                config_said!("config-command-empty"),
            ));
        }
        if let Some(zone) = &self.ui.timezone
            && zone.parse::<chrono_tz::Tz>().is_err()
        {
            return Err(invalid(
                "ui.timezone",
                config_said!("config-timezone", zone = format!("{zone:?}")),
            ));
        }
        if !["error", "warn", "info", "debug", "trace"].contains(&self.log.level.as_str()) {
            return Err(invalid(
                "log.level",
                config_said!("config-log-level", level = format!("{:?}", self.log.level)),
            ));
        }
        Ok(())
    }

    /// The `[[feeds]]` entry called `name`.
    pub fn named_feed(&self, name: &str) -> Option<&NamedFeed> {
        self.feeds.iter().find(|f| f.name == name)
    }

    /// Polls the `[[feeds]]` entry called `name` from now on: its URL and
    /// token file. An unknown name is an error listing the names.
    pub fn select_feed(&mut self, name: &str) -> Result<(), Fault> {
        let Some(feed) = self.named_feed(name).cloned() else {
            let names: Vec<&str> = self.feeds.iter().map(|f| f.name.as_str()).collect();
            let name = format!("{name:?}");
            return Err(if names.is_empty() {
                config_said!("config-feed-not-named", name = name)
            } else {
                config_said!("config-feed-unknown", name = name, feeds = names.join(", "))
            });
        };
        self.feed.url = Some(feed.url);
        self.feed.token_file = feed.token_file;
        self.feed_name = Some(feed.name);
        Ok(())
    }

    /// The keys of every action: the defaults with `[keys]` over them. An
    /// unknown action or key, or two actions on one key in one view, is an
    /// error naming the `[keys]` entry and both actions.
    pub fn keymap(&self) -> Result<Keymap, ConfigError> {
        Keymap::with_overrides(&self.keys).map_err(|error| ConfigError::Invalid {
            origin: "config".to_owned(),
            line: None,
            key: error.key,
            message: error.fault,
        })
    }

    /// The token from `ROLLOUT_DASH_TOKEN`, else from `feed.token_file`.
    pub fn token(&self) -> Result<Option<Token>, ConfigError> {
        if let Some(token) = std::env::var(TOKEN_ENV)
            .ok()
            .as_deref()
            .and_then(Token::new)
        {
            return Ok(Some(token));
        }
        let Some(path) = &self.feed.token_file else {
            return Ok(None);
        };
        read_token_file(path).map(Some)
    }
}

/// serde's "unknown field `x`, expected one of `a`, `b`" as a [`Fault`],
/// so that the most common mistake reads in the language; the field and
/// the names stay as written.
fn unknown_field(message: &str) -> Option<Fault> {
    // i18n: serde's own wording, matched to be said again in the language
    let rest = message.strip_prefix("unknown field `")?;
    let (field, names) = rest.split_once("`, expected one of ")?;
    Some(config_said!(
        "config-unknown-field",
        field = field,
        names = names
    ))
}

/// The 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The 1-based line of a dotted key (`feed.interval`) in TOML text, from
/// the parser's span of its value.
fn line_of_key(text: &str, dotted: &str) -> Option<usize> {
    type Sections = BTreeMap<String, BTreeMap<String, toml::Spanned<toml::Value>>>;
    let (section, key) = dotted.split_once('.')?;
    if let Ok(sections) = toml::from_str::<Sections>(text) {
        let value = sections.get(section)?.get(key)?;
        return Some(line_at(text, value.span().start));
    }
    // A file with an array of tables (`[[feeds]]`) is not all sections:
    // the key's line under its `[section]` header, as written.
    let header = format!("[{section}]");
    let mut inside = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line.split('#').next().unwrap_or_default().trim() == header;
        } else if inside
            && let Some((name, _)) = line.split_once('=')
            && name.trim().trim_matches('"') == key
        {
            return Some(n + 1);
        }
    }
    None
}

/// A `key = value` line that TOML refused, as written.
struct Assignment<'a> {
    /// The `[section]` it sits under; empty at the top level.
    section: &'a str,
    /// The key as written (bare or dotted).
    key: &'a str,
    /// The value as written, without a trailing comment.
    value: &'a str,
}

impl<'a> Assignment<'a> {
    /// The assignment on 1-based `line`, if that line is one with a bare key.
    fn at(text: &'a str, line: usize) -> Option<Self> {
        let mut lines = text.lines().take(line).collect::<Vec<_>>();
        let row = lines.pop()?;
        let (key, value) = row.split_once('=')?;
        let key = key.trim();
        let is_bare = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
        if key.is_empty() || !key.chars().all(is_bare) {
            return None;
        }
        let value = value.split(" #").next().unwrap_or_default().trim();
        let section = lines
            .iter()
            .rev()
            .map(|l| l.trim())
            .find(|l| l.starts_with('['))
            .map(|header| {
                let name = header.trim_start_matches('[');
                name.split(']').next().unwrap_or_default().trim()
            })
            .unwrap_or_default();
        Some(Assignment {
            section,
            key,
            value,
        })
    }

    /// `section.key`, as the other errors name keys.
    fn dotted_key(&self) -> String {
        if self.section.is_empty() {
            self.key.to_owned()
        } else {
            format!("{}.{}", self.section, self.key)
        }
    }

    /// "the value `5s` needs quotes: interval = \"5s\"", when quoting is the fix.
    fn quoting_hint(&self) -> Option<Fault> {
        let already_typed = self.value.starts_with(['"', '\'', '[', '{']);
        if self.value.is_empty() || already_typed {
            return None;
        }
        let quoted = toml::Value::String(self.value.to_owned()).to_string();
        let fixed = format!("{} = {quoted}", self.key);
        toml::from_str::<toml::Table>(&fixed).ok()?;
        Some(config_said!(
            "config-needs-quotes",
            value = without_userinfo(self.value),
            fixed = without_userinfo(&fixed)
        ))
    }
}

/// The largest token file read: a token is a line, not a download.
pub const MAX_TOKEN_BYTES: u64 = 64 * 1024;

/// The largest config file read, so that `--config /dev/zero` fails rather
/// than filling the memory. A FIFO stays allowed: `--config <(...)` is one.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads the config file's text, at most [`MAX_CONFIG_BYTES`] of it.
fn read_config_text(path: &Path) -> std::io::Result<String> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(std::io::Error::other(Unreadable::TooLarge(
            MAX_CONFIG_BYTES,
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, Unreadable::NotUtf8))
}

/// Why a config file that opened cannot be used; inside the io error, so
/// that [`ConfigError::text`] can say it in the language.
#[derive(Debug, thiserror::Error)]
enum Unreadable {
    /// Over the cap in bytes.
    #[error("it is larger than {}", size_text(*.0))]
    TooLarge(u64),
    /// Not UTF-8.
    #[error("it is not UTF-8 text")]
    NotUtf8,
}

/// Reads a token file, refusing one that group or others can read (as ssh does for keys).
pub fn read_token_file(path: &Path) -> Result<Token, ConfigError> {
    let error = |message: Fault| ConfigError::Token {
        path: path.to_owned(),
        message,
    };
    let contents = read_regular_file(path, MAX_TOKEN_BYTES).map_err(|e| error(e.fault()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode of the file actually read, not of whatever the path named before.
        let mode = contents.metadata.permissions().mode();
        if mode & 0o077 != 0 {
            let mode = format!("{:04o}", mode & 0o7777);
            return Err(error(config_said!("config-token-open", mode = mode)));
        }
    }
    let text =
        String::from_utf8(contents.bytes).map_err(|_| error(config_said!("config-not-utf8")))?;
    Token::new(&text).ok_or_else(|| error(config_said!("config-token-empty")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_file_documents_the_defaults() {
        let text = include_str!("../config.example.toml");
        let parsed = Config::parse(text, Path::new("config.example.toml")).unwrap();
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn a_bad_key_names_the_file_the_key_and_the_line() {
        let err = Config::parse("[feed]\ninterval = \"soon\"\n", Path::new("/etc/x.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("/etc/x.toml"), "{err}");
        assert!(err.contains("feed.interval"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn a_value_out_of_range_names_its_line() {
        let dir = std::env::temp_dir().join(format!("rollout-dash-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("range.toml");
        std::fs::write(
            &path,
            "[rules]\noverlap_km = 2\n\n[feed]\n# fast\ninterval = 0.01\n",
        )
        .unwrap();
        let err = Config::load(&path, true).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).ok();
        assert!(err.contains("range.toml, line 6"), "{err}");
        assert!(err.contains("feed.interval"), "{err}");
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let err = Config::parse("[rules]\noverlap = 2\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("overlap"), "{err}");
    }

    #[test]
    fn durations_take_numbers_and_units() {
        assert_eq!(
            Seconds::parse("500ms").unwrap().0,
            Duration::from_millis(500)
        );
        assert_eq!(Seconds::parse("2m").unwrap().0, Duration::from_secs(120));
        assert_eq!(
            Seconds::parse("1.5").unwrap().0,
            Duration::from_millis(1500)
        );
        assert!(Seconds::parse("-1").is_err());
    }

    #[test]
    fn unknown_disabled_rule_is_refused() {
        let mut config = Config::default();
        config.rules.disabled = vec!["no_such_rule".into()];
        assert!(
            config
                .validate("test")
                .unwrap_err()
                .to_string()
                .contains("no_such_rule")
        );
    }

    #[test]
    fn token_debug_is_redacted() {
        let token = Token::new("s3cret").unwrap();
        assert!(!format!("{token:?}").contains("s3cret"));
    }
}
