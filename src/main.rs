//! `rollout-dash`: parse the command line, install error hooks, run a command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rollout_dash::cli::{Cli, Command};
use rollout_dash::config::{self, Config};
use rollout_dash::exit::EXIT_USAGE;
use rollout_dash::i18n::Lang;
use rollout_dash::tr;
use rollout_dash::{dashboard, feed};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let mut cli = Cli::parse_checked();
    if let Err(e) = color_eyre::install() {
        eprintln!("rollout-dash: {e}");
    }
    let mut config = match load_config(&cli) {
        Ok(config) => config,
        Err(e) => {
            // The file did not load: its `ui.lang` counts if it parses as TOML.
            let lang = cli
                .lang
                .or_else(|| config_path(&cli).as_deref().and_then(config::lang_in))
                .unwrap_or_else(Lang::from_env);
            eprintln!("rollout-dash: {}", e.text(lang));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if let Err(e) = apply_flags(&mut cli, &mut config) {
        // `--lang` is in the config by now.
        eprintln!("rollout-dash: {}", e.text(config.lang()));
        return ExitCode::from(EXIT_USAGE);
    }
    // Before anything touches the terminal: escape codes must not go into a
    // file or a pipe, nor raw mode be asked of what is not a terminal.
    if cli.command.is_none()
        && let Some(problem) = dashboard::check_terminal(config.lang())
    {
        eprintln!("rollout-dash: {problem}");
        return ExitCode::from(EXIT_USAGE);
    }
    // The dashboard runs on one thread: idle, it waits for a key, a poll or
    // the next visible second, and worker threads handing those to each
    // other would only add wake-ups (parsing and analysing a new document
    // still go to the blocking pool). The feed server serves on two workers.
    let runtime = match &cli.command {
        Some(Command::Serve(_)) => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build(),
        _ => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
    };
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(e) => {
            let lang = config.lang();
            eprintln!(
                "rollout-dash: {}",
                tr!(lang, "config-runtime", error = e.to_string())
            );
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Some(Command::Report(args)) => {
            log_to_stderr("warn");
            runtime.block_on(rollout_dash::report::run(args, config))
        }
        Some(Command::Serve(args)) => {
            log_to_stderr(&config.log.level);
            runtime.block_on(feed::server::run(args.options()))
        }
        Some(Command::Record(args)) => {
            log_to_stderr(&config.log.level);
            runtime.block_on(rollout_dash::record::run(args, config))
        }
        Some(Command::Ack(args)) => {
            log_to_stderr("warn");
            return rollout_dash::ack::run(args, &config, chrono::Utc::now());
        }
        Some(Command::Unack(args)) => {
            log_to_stderr("warn");
            return rollout_dash::ack::run_unack(args, &config, chrono::Utc::now());
        }
        None => match log_to_file(&config) {
            Ok(log_path) => runtime.block_on(dashboard::run(cli.dashboard, config, log_path)),
            Err(message) => {
                eprintln!("rollout-dash: {message}");
                return ExitCode::from(EXIT_USAGE);
            }
        },
    };
    // Background tasks (the poller, the demo server) must not keep us alive.
    runtime.shutdown_background();
    match result {
        Ok(code) => code,
        Err(report) => {
            rollout_dash::tui::restore();
            // One line, cause chain included; the log file has the rest.
            eprintln!("rollout-dash: {report:#}");
            ExitCode::FAILURE
        }
    }
}

/// Layers the flags over the config (flag > environment > file > default)
/// and checks the result. Dashboard flags count only without a subcommand.
fn apply_flags(cli: &mut Cli, config: &mut Config) -> Result<(), config::ConfigError> {
    if let Some(level) = &cli.log_level {
        config.log.level = level.clone();
    }
    if let Some(lang) = cli.lang {
        config.ui.lang = Some(lang);
    }
    // report and record take a feed's name too: it becomes the config's
    // feed (URL and token file), and a URL stays theirs to check.
    let command_feed = match &mut cli.command {
        Some(Command::Report(args)) => Some(&mut args.feed),
        Some(Command::Record(args)) => Some(&mut args.feed),
        _ => None,
    };
    if let Some(feed) = command_feed
        && pick_feed(feed.as_deref(), config)?.is_none()
    {
        *feed = None;
    }
    if cli.command.is_none() {
        let args = &cli.dashboard;
        if let Some(url) = pick_feed(args.feed.as_deref(), config)? {
            config.feed.url = Some(url);
            config.feed_name = None;
        }
        if let Some(interval) = args.interval {
            config.feed.interval = interval;
        }
        if args.ascii {
            config.ui.ascii = Some(true);
        }
        if args.demo {
            // The demo ignores the configured feed; don't refuse to start over it.
            config.feed.url = None;
            config.feed_name = None;
        }
    }
    config.validate(config::FLAGS_ORIGIN)
}

/// A `--feed` value (or `ROLLOUT_DASH_FEED`): a `[[feeds]]` name selects
/// that entry, a URL is returned for the caller; with neither and no
/// `feed.url`, the first `[[feeds]]` entry is selected. An unknown name is
/// an error listing the names.
fn pick_feed(
    flag: Option<&str>,
    config: &mut Config,
) -> Result<Option<String>, config::ConfigError> {
    // An empty ROLLOUT_DASH_FEED= means unset, as shells often leave it.
    match flag.filter(|f| !f.is_empty()) {
        Some(name) if config::is_feed_name(name) => {
            config
                .select_feed(name)
                .map_err(|message| config::ConfigError::Invalid {
                    origin: config::FLAGS_ORIGIN.into(),
                    line: None,
                    key: "--feed".into(),
                    message,
                })?;
            Ok(None)
        }
        Some(url) => Ok(Some(url.to_owned())),
        None => {
            if config.feed.url.is_none()
                && let Some(first) = config.feeds.first().map(|f| f.name.clone())
            {
                config
                    .select_feed(&first)
                    .expect("the first feed is in [[feeds]]");
            }
            Ok(None)
        }
    }
}

fn load_config(cli: &Cli) -> Result<Config, config::ConfigError> {
    match &cli.config {
        Some(path) => Config::load(path, true),
        None => match config::default_path() {
            Some(path) => Config::load(&path, false),
            None => Ok(Config::default()),
        },
    }
}

/// The config file `load_config` reads, if any.
fn config_path(cli: &Cli) -> Option<PathBuf> {
    cli.config.clone().or_else(config::default_path)
}

/// Commands without a TUI log to stderr at `level` or above.
fn log_to_stderr(level: &str) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(format!("rollout_dash={level}")))
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

/// The dashboard owns the terminal: logs go to a file only. Returns the log
/// file's path. A log file that cannot be opened leaves logging off; one
/// that is not a regular file is an error, as a FIFO would block the start.
fn log_to_file(config: &Config) -> Result<Option<PathBuf>, String> {
    let Some(path) = config.log.file.clone().or_else(|| {
        config::xdg_dir("XDG_STATE_HOME", ".local/state").map(|d| d.join("rollout-dash.log"))
    }) else {
        return Ok(None);
    };
    let Some(file) = open_log_file(&path, config.lang())? else {
        return Ok(None);
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(format!("rollout_dash={}", config.log.level)))
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init();
    Ok(Some(path))
}

/// Opens the log file for appending: `None` when it cannot be opened (or is
/// `/dev/null`, which turns logging off), an error when it is not a regular
/// file. Opening a FIFO for writing waits for a reader, so it is checked
/// first and opened without blocking, then checked again once open.
fn open_log_file(path: &Path, lang: Lang) -> Result<Option<std::fs::File>, String> {
    if path == Path::new("/dev/null") {
        return Ok(None);
    }
    let refuse = |kind: &str| {
        let problem = tr!(
            lang,
            "config-file-not-regular",
            kind = config::kind_tag(kind)
        );
        let path = path.display().to_string();
        tr!(lang, "config-log-file", path = path, problem = problem).into_owned()
    };
    if let Some(kind) = std::fs::metadata(path)
        .ok()
        .as_ref()
        .and_then(config::not_regular)
    {
        return Err(refuse(kind));
    }
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let Ok(file) = options.open(path) else {
        return Ok(None);
    };
    match file.metadata() {
        Ok(metadata) => match config::not_regular(&metadata) {
            Some(kind) => Err(refuse(kind)),
            None => Ok(Some(file)),
        },
        Err(_) => Ok(None),
    }
}
