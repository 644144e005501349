//! Settings every stage reads and the file reading they share: the feed's
//! and the history's sections of the config, durations, tokens, XDG
//! directories, small regular files and feed URLs. Imports nothing of ours,
//! so the feed, the history and the config can all stand on it (the config
//! composes these sections with the analysis's and the UI's).

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::config::{Fault, config_said};

/// The environment variable that names the feed's base URL.
pub const FEED_ENV: &str = "ROLLOUT_DASH_FEED";
/// The environment variable that holds the feed's bearer token.
pub const TOKEN_ENV: &str = "ROLLOUT_DASH_TOKEN";

/// The zone times are shown in: `ui.timezone` when set (checked by the
/// config), else `TZ` when it names a zone, else the system's zone (the
/// link target of /etc/localtime, or /etc/timezone), else UTC. Read once at
/// start; the view only formats with it.
pub fn display_zone(configured: Option<&str>) -> chrono_tz::Tz {
    let system = || {
        let link = std::fs::read_link("/etc/localtime").ok();
        let link = link.as_deref().and_then(Path::to_str).map(str::to_owned);
        link.or_else(|| std::fs::read_to_string("/etc/timezone").ok())
    };
    choose_zone(
        configured,
        std::env::var("TZ").ok().as_deref(),
        system().as_deref(),
    )
}

/// [`display_zone`] without the I/O: the first of `configured`, `tz` (the
/// `TZ` variable) and `system` (a zoneinfo path or a zone name) that names a
/// zone, else UTC.
pub fn choose_zone(
    configured: Option<&str>,
    tz: Option<&str>,
    system: Option<&str>,
) -> chrono_tz::Tz {
    [configured, tz, system]
        .into_iter()
        .flatten()
        .find_map(zone_named)
        .unwrap_or(chrono_tz::Tz::UTC)
}

/// The zone an IANA name names, also as `TZ` and /etc/localtime spell it
/// (`:Asia/Shanghai`, `/usr/share/zoneinfo/Asia/Shanghai`).
pub fn zone_named(name: &str) -> Option<chrono_tz::Tz> {
    let name = name.trim().trim_start_matches(':');
    let name = name.rsplit_once("zoneinfo/").map_or(name, |(_, zone)| zone);
    name.parse().ok()
}

/// `time` in `zone`, written as `format` (chrono's strftime): how the
/// dashboard and the text report show every time.
pub fn zoned(time: chrono::DateTime<chrono::Utc>, zone: chrono_tz::Tz, format: &str) -> String {
    time.with_timezone(&zone).format(format).to_string()
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
        Self::parse_said(text).map_err(|fault| fault.to_string())
    }

    /// [`Seconds::parse`], its fault in any language.
    fn parse_said(text: &str) -> Result<Self, Fault> {
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
            .map_err(|_| config_said!("config-duration", value = format!("{text:?}")))?;
        Self::from_f64(value * scale)
    }

    fn from_f64(secs: f64) -> Result<Self, Fault> {
        if (0.0..1e9).contains(&secs) {
            Ok(Seconds(Duration::from_secs_f64(secs)))
        } else {
            Err(config_said!("config-seconds", value = secs))
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
                Seconds::from_f64(v as f64).map_err(said_error)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Seconds, E> {
                Seconds::from_f64(v as f64).map_err(said_error)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Seconds, E> {
                Seconds::from_f64(v).map_err(said_error)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Seconds, E> {
                Seconds::parse_said(v).map_err(said_error)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

thread_local! {
    /// The fault behind the last serde error of ours on this thread.
    static SAID: std::cell::RefCell<Option<Fault>> = const { std::cell::RefCell::new(None) };
}

/// A serde error of ours (English, as the parser passes it on), keeping
/// its [`Fault`] so that the config error can say it in any language.
pub fn said_error<E: serde::de::Error>(fault: Fault) -> E {
    let error = E::custom(&fault);
    SAID.with(|said| *said.borrow_mut() = Some(fault));
    error
}

/// The fault of [`said_error`] behind a parser's `message`, when the
/// message is that error's (deserializing is synchronous, on one thread).
pub fn take_said(message: &str) -> Option<Fault> {
    SAID.with(|said| said.borrow_mut().take())
        .filter(|fault| fault.to_string() == message)
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

/// `$VAR/rollout-dash`, else `$HOME/<fallback>/rollout-dash` (XDG base directories).
pub fn xdg_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    let base = std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(fallback)))?;
    Some(base.join("rollout-dash"))
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
    /// The error as a [`Fault`], to be said in any language.
    pub fn fault(&self) -> Fault {
        match self {
            FileError::Io(e) => e.to_string().into(),
            FileError::NotRegular(kind) => {
                config_said!("config-file-not-regular", kind = kind_tag(kind))
            }
            FileError::TooLarge { limit } => {
                config_said!("config-file-too-large", size = size_text(*limit))
            }
        }
    }

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

/// The tag the catalogs' `config-file-not-regular` selects its words by,
/// for a kind [`not_regular`] gives.
pub fn kind_tag(kind: &str) -> &'static str {
    match kind {
        "a directory" => "directory",
        "a FIFO" => "fifo",
        "a character device" => "char-device",
        "a block device" => "block-device",
        "a socket" => "socket",
        _ => "special",
    }
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

/// Checks a feed base URL (see [`snapshot_url`]); the fault in any language.
pub fn check_url(url: &str) -> Result<(), Fault> {
    url_to_poll(url).map(drop)
}

/// The URL polled for a feed's base URL: `/v1/snapshot` appended to its
/// path, keeping a path prefix and the query and dropping a fragment; a URL
/// whose path already ends in `/v1/snapshot` is used as it is. http or https
/// only. A user name or password is refused, and no message repeats it.
pub fn snapshot_url(base: &str) -> Result<url::Url, String> {
    url_to_poll(base).map_err(|fault| fault.to_string())
}

/// [`snapshot_url`], its fault in any language.
fn url_to_poll(base: &str) -> Result<url::Url, Fault> {
    let shown = format!("{:?}", without_userinfo(base));
    let mut url = url::Url::parse(base)
        .map_err(|e| config_said!("config-url-invalid", url = shown, error = e))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(config_said!("config-url-scheme", url = shown));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(config_said!("config-url-no-host", url = shown));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(config_said!("config-url-userinfo", variable = TOKEN_ENV));
    }
    url.set_fragment(None);
    let path = url.path();
    let is_snapshot = path
        .strip_suffix('/')
        .unwrap_or(path)
        .ends_with("/v1/snapshot");
    let mut segments = url
        .path_segments_mut()
        .map_err(|()| config_said!("config-url-no-path", url = shown))?;
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
    use chrono::TimeZone;

    #[test]
    fn the_zone_comes_from_the_config_then_tz_then_the_system_then_utc() {
        let shanghai = chrono_tz::Asia::Shanghai;
        let berlin = chrono_tz::Europe::Berlin;
        assert_eq!(
            choose_zone(Some("Asia/Shanghai"), Some("Europe/Berlin"), None),
            shanghai
        );
        assert_eq!(
            choose_zone(None, Some(":Europe/Berlin"), Some("Asia/Shanghai")),
            berlin
        );
        // A TZ that names no zone (a POSIX rule) gives way to the system's.
        assert_eq!(
            choose_zone(
                None,
                Some("CST-8"),
                Some("/usr/share/zoneinfo/Asia/Shanghai")
            ),
            shanghai
        );
        assert_eq!(choose_zone(None, None, Some("Asia/Shanghai\n")), shanghai);
        assert_eq!(
            choose_zone(None, Some(""), Some("nowhere")),
            chrono_tz::Tz::UTC
        );
    }

    #[test]
    fn a_time_shows_in_the_zone_across_midnight() {
        let time = chrono::Utc
            .with_ymd_and_hms(2024, 2, 29, 16, 30, 0)
            .unwrap();
        assert_eq!(
            zoned(time, chrono_tz::Asia::Shanghai, "%Y-%m-%d %H:%M %Z"),
            "2024-03-01 00:30 CST"
        );
        assert_eq!(
            zoned(time, chrono_tz::Tz::UTC, "%Y-%m-%d %H:%M %Z"),
            "2024-02-29 16:30 UTC"
        );
    }
}
