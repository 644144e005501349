//! Command-line definitions.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::builder::TypedValueParser as _;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::Severity;
use crate::config::{FEED_ENV, Seconds};
use crate::feed::server::{ServeOptions, Source};
use crate::history::time::TimeSpec;

/// Live terminal dashboard for a 1+N EV sales-channel rollout: the recruitment
/// cities, the partners, store build-out and direct-versus-agency conflicts.
///
/// With no feed configured it runs on the built-in demo feed. The bearer token,
/// if the feed needs one, comes from ROLLOUT_DASH_TOKEN or the config's
/// feed.token_file, never from a flag.
#[derive(Debug, Parser)]
#[command(name = "rollout-dash", version, about, long_about)]
pub struct Cli {
    /// Config file [default: $XDG_CONFIG_HOME/rollout-dash/config.toml].
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Log level (error, warn, info, debug, trace): of the dashboard's log
    /// file, and of stderr for `serve` and `record`.
    #[arg(long, global = true, value_name = "LEVEL")]
    pub log_level: Option<String>,

    /// Language of the dashboard and the text report (en, zh)
    /// [default: ui.lang, else LC_ALL, LC_MESSAGES or LANG: zh* is Chinese].
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<crate::i18n::Lang>,

    #[command(flatten)]
    pub dashboard: DashboardArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Parses the command line; exits with clap's usage message (code 2) on
    /// an error, as `Parser::parse` does. `--config` and `--log-level` go
    /// anywhere; the dashboard's own flags are refused before a subcommand
    /// (they would be silently ignored), though `ROLLOUT_DASH_FEED` in the
    /// environment is not a flag and is fine.
    pub fn parse_checked() -> Cli {
        use clap::{CommandFactory, FromArgMatches, parser::ValueSource};
        let mut command = Cli::command();
        let matches = command.get_matches_mut();
        if let Some((name, _)) = matches.subcommand() {
            for id in ["feed", "demo", "interval", "ascii"] {
                if matches.value_source(id) == Some(ValueSource::CommandLine) {
                    command
                        .error(
                            clap::error::ErrorKind::ArgumentConflict,
                            format!(
                                "--{id} is a flag of the dashboard, not of `{name}`; \
                                 put `{name}`'s own flags after it"
                            ),
                        )
                        .exit();
                }
            }
        }
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

/// Flags of the dashboard (no subcommand).
#[derive(Debug, Args)]
pub struct DashboardArgs {
    /// Feed base URL (http://host:port; /v1/snapshot is appended to its path, a query kept),
    /// or the name of a [[feeds]] entry of the config.
    #[arg(long, env = FEED_ENV, value_name = "URL|NAME")]
    pub feed: Option<String>,

    /// Run on the built-in demo feed, whatever the config, the environment or --feed say.
    #[arg(long)]
    pub demo: bool,

    /// Time between polls (5, 0.5, "500ms", "2m") [default: feed.interval, 5 s].
    #[arg(long, value_name = "DURATION", value_parser = Seconds::parse)]
    pub interval: Option<Seconds>,

    /// ASCII instead of box drawing and symbols [default: when the locale is not UTF-8].
    #[arg(long)]
    pub ascii: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// One poll, no TUI: the summary, the conflicts and the data warnings.
    Report(ReportArgs),
    /// Serve a feed that follows the feed contract (GET /v1/snapshot).
    Serve(ServeArgs),
    /// Poll a feed and record every new snapshot in the history database (no terminal).
    ///
    /// Logs to stderr; exits 0 on SIGTERM or Ctrl-C, 1 when the history
    /// database cannot be opened (history.path, history.enabled).
    Record(RecordArgs),
    /// Acknowledge a finding by its id (as `report` and the dashboard show
    /// it), or list the acknowledgements (`--list`).
    ///
    /// Stored in the history database (history.path) with the OS user and
    /// the time, so everyone using the file sees it. Without --for it holds
    /// until the finding clears. An id that is not a current finding in the
    /// history is acknowledged anyway (it holds when the finding appears),
    /// with a note on stderr. Exits 2 on a usage error, 1 when the history
    /// database cannot be used.
    Ack(AckArgs),
    /// Take back the acknowledgement of a finding.
    ///
    /// Exits 0 (with a note on stderr when there was none), 2 on a usage
    /// error, 1 when the history database cannot be used.
    Unack(UnackArgs),
}

/// Flags of `ack`.
#[derive(Debug, Args)]
pub struct AckArgs {
    /// The finding's id, e.g. ao-qd31nye42fhz.
    #[arg(
        value_name = "ID",
        required_unless_present = "list",
        conflicts_with = "list"
    )]
    pub id: Option<String>,

    /// Why it is known or handled.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// Snooze: hold for this long only (30s, 90m, 12h, 3d) [default: until the finding clears].
    #[arg(long = "for", value_name = "DURATION", value_parser = crate::history::time::parse_duration)]
    pub duration: Option<std::time::Duration>,

    /// List the acknowledgements that hold now.
    #[arg(long, conflicts_with_all = ["note", "duration"])]
    pub list: bool,

    /// Output format of --list.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Flags of `unack`.
#[derive(Debug, Args)]
pub struct UnackArgs {
    /// The finding's id.
    #[arg(value_name = "ID")]
    pub id: String,
}

/// Flags of `record`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Feed base URL or [[feeds]] name [default: ROLLOUT_DASH_FEED, then the config's feed.url, then its first [[feeds]] entry].
    #[arg(long, env = FEED_ENV, value_name = "URL|NAME")]
    pub feed: Option<String>,

    /// Time between polls (5, 0.5, "500ms", "2m") [default: feed.interval, 5 s].
    #[arg(long, value_name = "SECS", value_parser = Seconds::parse)]
    pub interval: Option<Seconds>,
}

/// Flags of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Feed base URL or [[feeds]] name [default: ROLLOUT_DASH_FEED, then the config's feed.url, then its first [[feeds]] entry].
    #[arg(long, env = FEED_ENV, value_name = "URL|NAME")]
    pub feed: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Exit with code 3 when a finding at or above this severity exists.
    #[arg(long, value_name = "SEVERITY", value_parser = severity_parser())]
    pub fail_on: Option<Severity>,

    /// The report as it stood at TIME, read from the history database, with
    /// no network: RFC 3339 (2024-03-01T08:00:00Z) or a duration ago (30s, 90m, 6h, 2d).
    #[arg(long, value_name = "TIME", value_parser = TimeSpec::parse)]
    pub at: Option<TimeSpec>,

    /// Add what changed between TIME and the report's snapshot, from the
    /// history database: RFC 3339 or a duration ago (30s, 90m, 6h, 2d).
    #[arg(long, value_name = "TIME", value_parser = TimeSpec::parse)]
    pub since: Option<TimeSpec>,

    /// Let acknowledged findings count for --fail-on too.
    #[arg(long)]
    pub include_acked: bool,
}

/// `report` output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable text, coloured only when stdout is a terminal.
    Text,
    /// One JSON object.
    Json,
}

/// Flags of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Serve this JSON file instead of the demo data (re-read when it changes).
    #[arg(long, value_name = "FILE", conflicts_with = "synthetic_stores")]
    pub data: Option<PathBuf>,

    /// Move the rollout forward over time (stores advance, partners sign, conflicts come and go).
    #[arg(long)]
    pub simulate: bool,

    /// Serve a generated national-scale document with N stores.
    #[arg(long, value_name = "N")]
    pub synthetic_stores: Option<usize>,
}

/// `critical`, `warning` or `info`, listed in `--help` as clap lists an
/// enum's values (the analysis's [`Severity`] knows nothing of clap).
fn severity_parser() -> impl clap::builder::TypedValueParser<Value = Severity> {
    clap::builder::PossibleValuesParser::new(["critical", "warning", "info"]).map(|word| match word
        .as_str()
    {
        "critical" => Severity::Critical,
        "warning" => Severity::Warning,
        _ => Severity::Info,
    })
}

impl ServeArgs {
    /// What `serve` is to do, for the feed's server.
    pub fn options(self) -> ServeOptions {
        let source = match (self.data, self.synthetic_stores) {
            (Some(path), _) => Source::File(path),
            (None, Some(stores)) => Source::Synthetic { stores },
            (None, None) => Source::Demo,
        };
        ServeOptions {
            addr: self.addr,
            source,
            simulate: self.simulate,
        }
    }
}
