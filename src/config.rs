//! Typed configuration: defaults, then the config file, then the environment,
//! then flags. `config.example.toml` documents every key with its default, and
//! a test keeps it equal to [`Config::default`].

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::analysis::{Rule, Severity};

/// The environment variable that names the feed's base URL.
pub const FEED_ENV: &str = "ROLLOUT_DASH_FEED";
/// The environment variable that holds the feed's bearer token.
pub const TOKEN_ENV: &str = "ROLLOUT_DASH_TOKEN";

/// A config file or value that cannot be used; exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a key is unknown or of the wrong type.
    #[error(
        "config file {path}{}: {}{message}",
        line.map(|line| format!(", line {line}")).unwrap_or_default(),
        key.as_ref().map(|key| format!("key `{key}`: ")).unwrap_or_default()
    )]
    Parse {
        /// The file.
        path: PathBuf,
        /// The 1-based line at fault, when the parser knows it.
        line: Option<usize>,
        /// The key at fault, dotted, when there is one.
        key: Option<String>,
        /// What is wrong (never a copy of the line: it may hold a password).
        message: String,
    },
    /// A value is out of its range.
    #[error("{origin}: key `{key}`: {message}")]
    Invalid {
        /// Where the value came from (a file, a flag, the environment).
        origin: String,
        /// The key at fault.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// The token file is unreadable or too open.
    #[error("token file {path}: {message}")]
    Token {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
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
    /// What tells the operator about new findings.
    pub notify: NotifyConfig,
}

/// The `[feed]` section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedConfig {
    /// Base URL (`http://host:port`); `/v1/snapshot` is appended to its path (see [`snapshot_url`]).
    pub url: Option<String>,
    /// Time between polls.
    pub interval: Seconds,
    /// Time allowed to connect.
    pub connect_timeout: Seconds,
    /// Time allowed between two reads of the body.
    pub read_timeout: Seconds,
    /// Time allowed for a whole poll.
    pub timeout: Seconds,
    /// Largest body accepted, after decompression, in MiB.
    pub max_body_mb: u64,
    /// Longest wait after failures (backoff cap).
    pub max_backoff: Seconds,
    /// Longest `Retry-After` honoured.
    pub max_retry_after: Seconds,
    /// File holding the bearer token (must not be readable by group or others).
    pub token_file: Option<PathBuf>,
    /// Extra PEM CA certificate to trust (a corporate CA).
    pub ca_file: Option<PathBuf>,
    /// Keep the last good snapshot on disk and show it at start-up.
    pub cache: bool,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            url: None,
            interval: Seconds::from_secs(5),
            connect_timeout: Seconds::from_secs(5),
            read_timeout: Seconds::from_secs(10),
            timeout: Seconds::from_secs(30),
            max_body_mb: 64,
            max_backoff: Seconds::from_secs(60),
            max_retry_after: Seconds::from_secs(600),
            token_file: None,
            ca_file: None,
            cache: true,
        }
    }
}

impl FeedConfig {
    /// The body cap in bytes.
    pub fn max_body_bytes(&self) -> u64 {
        self.max_body_mb.saturating_mul(1024 * 1024)
    }
}

/// The `[rules]` section: thresholds of the conflict rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RulesConfig {
    /// Stores at most this far apart (great-circle km) overlap.
    pub overlap_km: f64,
    /// A territory overlap strictly under this distance is critical.
    pub critical_km: f64,
    /// Brands whose sale by a partner counts as `competitor_brand` (case-insensitive).
    pub competitor_brands: Vec<String>,
    /// Rule ids switched off.
    pub disabled: Vec<String>,
    /// Pairs of one pair rule (`territory_overlap`, `agency_overlap`) listed
    /// one by one in one city; the rest are folded into one finding.
    pub max_pairs_per_city: usize,
}

impl Default for RulesConfig {
    fn default() -> Self {
        RulesConfig {
            overlap_km: 3.0,
            critical_km: 1.0,
            competitor_brands: ["BYD", "NIO", "XPeng", "Li Auto", "Tesla", "Zeekr", "Aito"]
                .map(String::from)
                .to_vec(),
            disabled: Vec::new(),
            max_pairs_per_city: 500,
        }
    }
}

impl RulesConfig {
    /// The largest `max_pairs_per_city` accepted: findings are kept in memory.
    pub const MAX_PAIRS_PER_CITY: usize = 100_000;

    /// Whether a rule is switched on.
    pub fn enabled(&self, rule: Rule) -> bool {
        !self.disabled.iter().any(|id| id == rule.id())
    }
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
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig {
            theme: Theme::Default,
            ascii: None,
            mouse: true,
            change_log_size: 500,
            osc52: true,
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
            serde::de::Error::custom(format!("{word:?} is not one of critical, warning, info"))
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

/// The `[history]` section: the SQLite file that dashboards, recorders and
/// `ack` share.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HistoryConfig {
    /// The database file; default `$XDG_DATA_HOME/rollout-dash/history.sqlite3`.
    pub path: Option<PathBuf>,
    /// Record versions that left the feed longer ago than this are pruned.
    pub retention_days: u32,
    /// Record snapshots and read them back (`report --at`, `--since`).
    pub enabled: bool,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig {
            path: None,
            retention_days: 365,
            enabled: true,
        }
    }
}

impl HistoryConfig {
    /// `history.path`, else `$XDG_DATA_HOME/rollout-dash/history.sqlite3`
    /// (`~/.local/share/...` when `XDG_DATA_HOME` is unset); `None` with
    /// neither `XDG_DATA_HOME` nor `HOME` set.
    pub fn resolved_path(&self) -> Option<PathBuf> {
        self.path.clone().or_else(|| {
            xdg_dir("XDG_DATA_HOME", ".local/share").map(|dir| dir.join("history.sqlite3"))
        })
    }

    /// How long a version that left the feed is kept.
    pub fn retention(&self) -> Duration {
        Duration::from_secs(u64::from(self.retention_days) * 86_400)
    }
}

/// A duration written in TOML as seconds (`5`, `0.5`) or with a unit (`"500ms"`, `"2m"`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds(pub Duration);

impl Seconds {
    /// Whole seconds.
    pub const fn from_secs(secs: u64) -> Self {
        Seconds(Duration::from_secs(secs))
    }

    /// Parses `5`, `0.5`, `500ms`, `5s`, `2m`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
            (n, 0.001)
        } else if let Some(n) = text.strip_suffix('s') {
            (n, 1.0)
        } else if let Some(n) = text.strip_suffix('m') {
            (n, 60.0)
        } else if let Some(n) = text.strip_suffix('h') {
            (n, 3600.0)
        } else {
            (text, 1.0)
        };
        let value: f64 = number
            .trim()
            .parse()
            .map_err(|_| format!("{text:?} is not a duration (try 5, 0.5, \"500ms\", \"2m\")"))?;
        Self::from_f64(value * scale)
    }

    fn from_f64(secs: f64) -> Result<Self, String> {
        if (0.0..1e9).contains(&secs) {
            Ok(Seconds(Duration::from_secs_f64(secs)))
        } else {
            Err(format!("{secs} is not a usable number of seconds"))
        }
    }
}

impl fmt::Debug for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", self.0.as_secs_f64())
    }
}

impl Serialize for Seconds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.0.as_secs_f64())
    }
}

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Seconds;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("seconds (5, 0.5) or a duration string (\"500ms\", \"2m\")")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Seconds, E> {
                Seconds::from_f64(v as f64).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Seconds, E> {
                Seconds::from_f64(v as f64).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Seconds, E> {
                Seconds::from_f64(v).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Seconds, E> {
                Seconds::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A bearer token: never printed, never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token, trimming surrounding white space.
    pub fn new(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        (!trimmed.is_empty()).then(|| Token(trimmed.to_owned()))
    }

    /// The secret itself, for the Authorization header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// The default config path: `$XDG_CONFIG_HOME/rollout-dash/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    xdg_dir("XDG_CONFIG_HOME", ".config").map(|dir| dir.join("config.toml"))
}

/// `$VAR/rollout-dash`, else `$HOME/<fallback>/rollout-dash` (XDG base directories).
pub fn xdg_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    let base = std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(fallback)))?;
    Some(base.join("rollout-dash"))
}

impl Config {
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
                } => {
                    let origin = match line_of_key(&text, &key) {
                        Some(line) => format!("{origin}, line {line}"),
                        None => origin,
                    };
                    ConfigError::Invalid {
                        origin,
                        key,
                        message,
                    }
                }
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
            let parse_error = |key: Option<String>, message: String| ConfigError::Parse {
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
        let invalid = |key: &str, message: String| ConfigError::Invalid {
            origin: origin.to_owned(),
            key: key.to_owned(),
            message,
        };
        if self.feed.interval.0 < Duration::from_millis(200) {
            return Err(invalid(
                "feed.interval",
                "must be at least 0.2 seconds".into(),
            ));
        }
        for (key, value) in [
            ("feed.connect_timeout", self.feed.connect_timeout),
            ("feed.read_timeout", self.feed.read_timeout),
            ("feed.timeout", self.feed.timeout),
        ] {
            if value.0.is_zero() {
                return Err(invalid(key, "must be more than 0".into()));
            }
        }
        if self.feed.max_body_mb == 0 {
            return Err(invalid("feed.max_body_mb", "must be at least 1".into()));
        }
        if let Some(url) = &self.feed.url {
            check_url(url).map_err(|m| invalid("feed.url", m))?;
        }
        let rules = &self.rules;
        if !(rules.overlap_km.is_finite() && rules.overlap_km >= 0.0) {
            return Err(invalid(
                "rules.overlap_km",
                "must be a distance of 0 or more".into(),
            ));
        }
        if !(rules.critical_km.is_finite() && rules.critical_km >= 0.0) {
            return Err(invalid(
                "rules.critical_km",
                "must be a distance of 0 or more".into(),
            ));
        }
        if rules.max_pairs_per_city > RulesConfig::MAX_PAIRS_PER_CITY {
            return Err(invalid(
                "rules.max_pairs_per_city",
                format!(
                    "{} is more than {}: every pair listed is kept in memory",
                    rules.max_pairs_per_city,
                    RulesConfig::MAX_PAIRS_PER_CITY
                ),
            ));
        }
        if let Some(unknown) = rules.disabled.iter().find(|id| Rule::from_id(id).is_none()) {
            let known: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
            return Err(invalid(
                "rules.disabled",
                format!("unknown rule id {unknown:?}; known: {}", known.join(", ")),
            ));
        }
        if self.history.retention_days == 0 {
            return Err(invalid(
                "history.retention_days",
                "must be at least 1 (a day)".into(),
            ));
        }
        if self.notify.command_timeout.0.is_zero() {
            return Err(invalid(
                "notify.command_timeout",
                "must be more than 0".into(),
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
                "is empty; leave the key out for no command".into(),
            ));
        }
        if !["error", "warn", "info", "debug", "trace"].contains(&self.log.level.as_str()) {
            return Err(invalid(
                "log.level",
                format!(
                    "{:?} is not one of error, warn, info, debug, trace",
                    self.log.level
                ),
            ));
        }
        Ok(())
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
    let sections: Sections = toml::from_str(text).ok()?;
    let value = sections.get(section)?.get(key)?;
    Some(line_at(text, value.span().start))
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
    fn quoting_hint(&self) -> Option<String> {
        let already_typed = self.value.starts_with(['"', '\'', '[', '{']);
        if self.value.is_empty() || already_typed {
            return None;
        }
        let quoted = toml::Value::String(self.value.to_owned()).to_string();
        let fixed = format!("{} = {quoted}", self.key);
        toml::from_str::<toml::Table>(&fixed).ok()?;
        Some(format!(
            "the value `{}` needs quotes: {}",
            without_userinfo(self.value),
            without_userinfo(&fixed)
        ))
    }
}

/// `text` with anything that may be a user name or password hidden:
/// everything from after the first `://` (or from the start) up to the last
/// `@` becomes `***`. Deliberately blunt: it must hold for text that is not
/// a valid URL, and hiding too much is harmless.
pub fn without_userinfo(text: &str) -> String {
    let Some(at) = text.rfind('@') else {
        return text.to_owned();
    };
    let start = text
        .find("://")
        .map(|i| i + 3)
        .filter(|&start| start <= at)
        .unwrap_or(0);
    format!("{}***{}", &text[..start], &text[at..])
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
        return Err(std::io::Error::other(format!(
            "it is larger than {}",
            size_text(MAX_CONFIG_BYTES)
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

/// Reads a token file, refusing one that group or others can read (as ssh does for keys).
pub fn read_token_file(path: &Path) -> Result<Token, ConfigError> {
    let error = |message: String| ConfigError::Token {
        path: path.to_owned(),
        message,
    };
    let contents = read_regular_file(path, MAX_TOKEN_BYTES).map_err(|e| error(e.to_string()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode of the file actually read, not of whatever the path named before.
        let mode = contents.metadata.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(error(format!(
                "permissions {:04o} are too open; it must not be readable by group or others (chmod 600)",
                mode & 0o7777
            )));
        }
    }
    let text =
        String::from_utf8(contents.bytes).map_err(|_| error("it is not UTF-8 text".into()))?;
    Token::new(&text).ok_or_else(|| error("the file is empty".into()))
}

/// Why a file that must be a small regular file could not be read. The
/// caller names the file.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file system refused (a missing file included).
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A FIFO, a device, a directory or a socket: reading one can block
    /// forever or never end.
    #[error("is {0}, not a regular file")]
    NotRegular(&'static str),
    /// Larger than the cap.
    #[error("is larger than {}", size_text(*limit))]
    TooLarge {
        /// The cap in bytes.
        limit: u64,
    },
}

impl FileError {
    /// Whether the file is simply not there.
    pub fn is_not_found(&self) -> bool {
        matches!(self, FileError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

/// What [`read_regular_file`] read.
#[derive(Debug)]
pub struct FileContents {
    /// The whole file.
    pub bytes: Vec<u8>,
    /// The metadata of the file that was opened and read.
    pub metadata: std::fs::Metadata,
}

/// What kind of file this is when it is not a regular one ("a FIFO").
pub fn not_regular(metadata: &std::fs::Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// Reads a regular file of at most `limit` bytes. A FIFO or a device is
/// refused before it is opened, and the file is opened without blocking
/// and checked again, so one swapped in meanwhile cannot hang the read.
pub fn read_regular_file(path: &Path, limit: u64) -> Result<FileContents, FileError> {
    let check = |metadata: &std::fs::Metadata| match not_regular(metadata) {
        Some(kind) => Err(FileError::NotRegular(kind)),
        None if metadata.len() > limit => Err(FileError::TooLarge { limit }),
        None => Ok(()),
    };
    check(&std::fs::metadata(path)?)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: opening a FIFO does not wait for a writer.
        // O_NOCTTY: a terminal swapped in does not become ours.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    check(&metadata)?;
    // The file may still grow while it is read: never take more than the cap.
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge { limit });
    }
    Ok(FileContents { bytes, metadata })
}

/// A size in the largest whole unit: `64 KiB`, `32 MiB`, `100 bytes`.
pub fn size_text(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Checks a feed base URL (see [`snapshot_url`]).
pub fn check_url(url: &str) -> Result<(), String> {
    snapshot_url(url).map(drop)
}

/// The URL polled for a feed's base URL: `/v1/snapshot` appended to its
/// path, keeping a path prefix and the query and dropping a fragment; a URL
/// whose path already ends in `/v1/snapshot` is used as it is. http or https
/// only. A user name or password is refused, and no message repeats it.
pub fn snapshot_url(base: &str) -> Result<url::Url, String> {
    let shown = without_userinfo(base);
    let mut url = url::Url::parse(base).map_err(|e| format!("{shown:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{shown:?} must start with http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{shown:?} has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "a user name or password in the feed URL is refused (the URL is not shown); \
             put the token in ROLLOUT_DASH_TOKEN or feed.token_file"
                .into(),
        );
    }
    url.set_fragment(None);
    let path = url.path();
    let is_snapshot = path
        .strip_suffix('/')
        .unwrap_or(path)
        .ends_with("/v1/snapshot");
    let mut segments = url
        .path_segments_mut()
        .map_err(|()| format!("{shown:?} cannot take a path"))?;
    // `/rollout/` and `/rollout` are one prefix.
    segments.pop_if_empty();
    if !is_snapshot {
        segments.extend(["v1", "snapshot"]);
    }
    drop(segments);
    Ok(url)
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
