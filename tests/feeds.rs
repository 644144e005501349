//! Several feeds: `[[feeds]]` in a real config file, `--feed NAME` through
//! the real binary (its usage errors and, in a pseudo-terminal, the header
//! with the feed's name), and a switch at run time between two `serve`
//! instances on 127.0.0.1. Also the saved view across two runs and Ctrl-L.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::pty::Dashboard;
use common::{BIN, Server};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use rollout_dash::app::{App, Display, Msg, update};
use rollout_dash::config::{Config, NamedFeed};
use rollout_dash::dashboard::{Polling, start_polling, switch_feed};

/// Generous: the machine is shared and the binary is a debug build.
const WAIT: Duration = Duration::from_secs(30);

fn feeds_config(feeds: &[(&str, &str)]) -> String {
    let mut text = String::new();
    for (name, url) in feeds {
        text.push_str(&format!(
            "[[feeds]]\nname = \"{name}\"\nurl = \"{url}\"\n\n"
        ));
    }
    text
}

fn write_config(dir: &Path, text: &str) -> String {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Reports of the poller, applied until `done` holds (a real server: waited
/// for, never timed).
async fn pump(app: &mut App, polling: &mut Polling, done: impl Fn(&App) -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !done(app) {
        let event = tokio::time::timeout_at(deadline, polling.events.recv())
            .await
            .expect("the feed answered in time")
            .expect("the poller runs");
        update(app, Msg::Feed(event));
    }
}

/// The screen's first line (the header's) and the cells of `name` in it.
fn header(app: &App) -> (String, Vec<(Color, Color)>) {
    let mut terminal = Terminal::new(TestBackend::new(160, 30)).unwrap();
    terminal
        .draw(|frame| rollout_dash::ui::view(app, frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let line: String = (0..160).map(|x| buffer[(x, 0)].symbol()).collect();
    let colours = match (
        &app.feed_name,
        line.find(app.feed_name.as_deref().unwrap_or("\0")),
    ) {
        (Some(name), Some(at)) => (at..at + name.len())
            .map(|x| {
                let cell = &buffer[(x as u16, 0)];
                (cell.bg, cell.fg)
            })
            .collect(),
        _ => Vec::new(),
    };
    (line, colours)
}

/// Two `serve` instances as `prod` (the demo) and `staging` (50 synthetic
/// stores): the switch polls the second, the screen starts empty and fills
/// with the second's data, and the header names it in colours of its own.
#[tokio::test]
async fn a_switch_polls_the_other_feed_and_the_header_names_it() {
    let prod = Server::start(&[]);
    let staging = Server::start(&["--synthetic-stores", "50"]);
    let mut config = Config::default();
    // The cache lives under $XDG_CACHE_HOME: not for a test in this process.
    config.feed.cache = false;
    config.feeds = vec![
        NamedFeed {
            name: "prod".into(),
            url: prod.url.clone(),
            token_file: None,
        },
        NamedFeed {
            name: "staging".into(),
            url: staging.url.clone(),
            token_file: None,
        },
    ];
    config.validate("test").unwrap();
    config.select_feed("prod").unwrap();
    let url = config.feed.url.clone().unwrap();
    let mut app = App::new(url.clone(), false, Display::default(), Utc::now());
    app.feed_name = config.feed_name.clone();
    let mut polling = start_polling(&config, &url, false).unwrap();
    pump(&mut app, &mut polling, |app| app.current.is_some()).await;
    let prod_stores = app.current.as_ref().unwrap().snapshot.document.stores.len();
    let (line, prod_colours) = header(&app);
    assert!(line.contains(" prod "), "{line}");
    assert!(line.contains(&prod.url.replace("http://", "")), "{line}");

    // An unknown name changes nothing and lists the names.
    let error = switch_feed(&mut app, &config, "preprod").err().unwrap();
    assert!(error.contains("prod, staging"), "{error}");
    assert_eq!(app.feed_name.as_deref(), Some("prod"));
    assert!(app.current.is_some());

    let mut next = switch_feed(&mut app, &config, "staging").unwrap();
    polling.poller.abort();
    assert!(app.current.is_none(), "the old feed's data is gone");
    assert_eq!(app.feed_name.as_deref(), Some("staging"));
    pump(&mut app, &mut next, |app| app.current.is_some()).await;
    let stores = app.current.as_ref().unwrap().snapshot.document.stores.len();
    assert_eq!(stores, 50, "the second feed's data");
    assert_ne!(stores, prod_stores);
    let (line, staging_colours) = header(&app);
    assert!(line.contains(" staging "), "{line}");
    assert!(line.contains(&staging.url.replace("http://", "")), "{line}");
    assert!(!line.contains("prod"), "{line}");
    // Each name in one colour pair, and not the other's.
    assert!(staging_colours.windows(2).all(|w| w[0] == w[1]));
    assert_ne!(prod_colours[0], staging_colours[0]);
    assert_ne!(
        staging_colours[0].0,
        Color::Reset,
        "a background of its own"
    );
    next.poller.abort();
}

/// Without colour the name is in brackets, so it still stands out.
#[test]
fn without_colour_the_name_is_in_brackets() {
    let mut app = App::new(
        "http://127.0.0.1:1".into(),
        false,
        Display {
            ascii: false,
            mono: true,
            ..Display::default()
        },
        Utc::now(),
    );
    app.feed_name = Some("staging".into());
    let (line, colours) = header(&app);
    assert!(line.contains("[staging]"), "{line}");
    assert!(colours.iter().all(|(bg, _)| *bg == Color::Reset));
}

/// The colour comes from the name alone: the same on every run.
#[test]
fn a_name_has_the_same_colours_every_time() {
    use rollout_dash::ui::feed_colours;
    assert_eq!(feed_colours("prod"), feed_colours("prod"));
    assert_ne!(feed_colours("prod"), feed_colours("staging"));
    // FNV-1a of the name, not a seeded hash: fixed across processes.
    assert_eq!(feed_colours("prod"), (Color::Blue, Color::White));
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `--feed NAME` with a name not in `[[feeds]]`: a usage error (exit 2)
/// naming the flag and listing the names; a URL-like value stays a URL.
#[test]
fn an_unknown_feed_name_is_a_usage_error_listing_the_names() {
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        &feeds_config(&[
            ("prod", "http://127.0.0.1:9"),
            ("staging", "http://127.0.0.1:10"),
        ]),
    );
    let output = common::run(
        &["--config", &config, "--feed", "preprod"],
        &[],
        home.path(),
    );
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--feed"), "{stderr}");
    assert!(stderr.contains("\"preprod\""), "{stderr}");
    assert!(stderr.contains("prod, staging"), "{stderr}");
    // A known name gets past the flags: it is the missing terminal that stops it.
    let output = common::run(
        &["--config", &config, "--feed", "staging"],
        &[],
        home.path(),
    );
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    // A URL is a URL, named or not.
    let output = common::run(
        &["--config", &config, "--feed", "ftp://127.0.0.1/"],
        &[],
        home.path(),
    );
    let stderr = stderr_of(&output);
    assert!(stderr.contains("must start with http"), "{stderr}");
    // Without [[feeds]], a name says there are none.
    let output = common::run(&["--feed", "staging"], &[], home.path());
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no [[feeds]]"), "{stderr}");
}

/// Bad `[[feeds]]` entries: exit 2 naming the file and the entry.
#[test]
fn bad_feed_entries_are_refused_by_entry() {
    let home = tempfile::tempdir().unwrap();
    for (text, expected) in [
        (
            feeds_config(&[
                ("prod", "http://127.0.0.1:9"),
                ("prod", "http://127.0.0.1:10"),
            ]),
            "feeds[1].name",
        ),
        (
            feeds_config(&[("prod", "http://127.0.0.1:9"), ("stag ing", "http://h:1")]),
            "feeds[1].name",
        ),
        (
            feeds_config(&[("prod", "ftp://127.0.0.1:9")]),
            "feeds[0].url",
        ),
        (
            "[[feeds]]\nname = \"prod\"\nurl = \"http://h\"\ncolour = \"red\"\n".to_owned(),
            "colour",
        ),
    ] {
        let config = write_config(home.path(), &text);
        let output = common::run(&["--config", &config, "report"], &[], home.path());
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{text}: {stderr}");
        assert!(stderr.contains("config.toml"), "{stderr}");
        assert!(stderr.contains(expected), "{text}: {stderr}");
    }
}

/// The dashboard in a pseudo-terminal with `args`, its home under `home`.
fn start(args: &[&str], home: &Path, env: &[(&str, &str)]) -> Dashboard {
    let mut argv = vec![BIN];
    argv.extend_from_slice(args);
    Dashboard::start_in(&argv, home, env)
}

/// `--feed staging` in a real terminal: staging's data under its name.
#[test]
fn the_named_feed_shows_under_its_name() {
    let prod = Server::start(&[]);
    let staging = Server::start(&["--synthetic-stores", "50"]);
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        &feeds_config(&[("prod", &prod.url), ("staging", &staging.url)]),
    );
    let mut dashboard = start(
        &["--config", &config, "--feed", "staging"],
        home.path(),
        &[],
    );
    let screen = dashboard.wait_for("/50 stores open");
    let first = screen.lines().next().unwrap_or_default();
    assert!(first.contains(" staging "), "{first}");
    dashboard.quit();
    // Without --feed and without a URL: the first entry, named in brackets without colour.
    let mut dashboard = start(&["--config", &config], home.path(), &[("NO_COLOR", "1")]);
    let screen = dashboard.wait_for("Suzhou");
    let first = screen.lines().next().unwrap_or_default();
    assert!(first.contains("[prod]"), "{first}");
    dashboard.quit();
}

/// The view as it was left (a filter on cities, the conflicts pane sorted
/// by city) is the view at the next start on the same feed.
#[test]
fn the_view_comes_back_at_the_next_start() {
    let server = Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let config = write_config(home.path(), &feeds_config(&[("prod", &server.url)]));
    let mut dashboard = start(&["--config", &config], home.path(), &[]);
    dashboard.wait_for("Suzhou");
    dashboard.send(b"/ning\r");
    dashboard.wait_for("/ning");
    dashboard.send(b"4s");
    dashboard.quit();
    let saved = home.path().join("state/rollout-dash/view-prod.json");
    let text = std::fs::read_to_string(&saved).expect("the view file");
    assert!(text.contains("\"pane\": \"Conflicts\""), "{text}");
    assert!(text.contains("\"sort\": \"City\""), "{text}");

    let mut dashboard = start(&["--config", &config], home.path(), &[]);
    let screen = dashboard.wait_for("/ning");
    assert!(screen.contains("Ningbo"), "{screen}");
    assert!(!screen.contains("Suzhou"), "filtered out: {screen}");
    dashboard.quit();

    // A broken file: the dashboard starts with the default view all the same.
    std::fs::write(&saved, "{\"pane\": ").unwrap();
    let mut dashboard = start(&["--config", &config], home.path(), &[]);
    dashboard.wait_for("Suzhou");
    dashboard.quit();
}

/// Ctrl-L clears the terminal and writes the whole screen again, so line
/// noise written over it goes.
#[test]
fn ctrl_l_clears_and_redraws_the_whole_screen() {
    let server = Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let mut dashboard = start(&["--feed", &server.url], home.path(), &[]);
    dashboard.wait_for("Suzhou");
    let before = dashboard.output().len();
    dashboard.send(b"\x0c");
    let deadline = Instant::now() + WAIT;
    loop {
        let output = dashboard.output();
        let after = String::from_utf8_lossy(&output[before..]).into_owned();
        // ratatui's clear is "erase the display"; the frame after it has
        // every cell, Suzhou's row included.
        if let Some(at) = after.find("\x1b[2J")
            && after[at..].contains("Suzhou")
            && after[at..].contains("rollout-dash")
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no clear and full redraw after Ctrl-L: {after:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    dashboard.quit();
}

/// The config's `[keys]` reach the real dashboard: `x` quits, `q` says it
/// does nothing, and the footer shows `x quit`.
#[test]
fn a_remapped_key_in_the_config_works_in_the_real_dashboard() {
    let server = Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let config = write_config(home.path(), "[keys]\nquit = [\"x\", \"ctrl-c\"]\n");
    let mut dashboard = start(
        &["--config", &config, "--feed", &server.url],
        home.path(),
        &[],
    );
    dashboard.wait_for("x quit");
    dashboard.send(b"q");
    dashboard.wait_for("q does nothing here");
    assert!(dashboard.is_running(), "q did not quit");
    dashboard.send(b"x");
    assert!(dashboard.wait_exit().success(), "x did not quit");
}

/// `report --feed NAME` reports on that entry's feed; an unknown name is
/// the same usage error as the dashboard's.
#[test]
fn report_takes_a_feed_name_too() {
    let prod = Server::start(&[]);
    let staging = Server::start(&["--synthetic-stores", "50"]);
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        &feeds_config(&[("prod", &prod.url), ("staging", &staging.url)]),
    );
    let output = common::run(
        &[
            "--config", &config, "report", "--feed", "staging", "--format", "json",
        ],
        &[],
        home.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["stores_total"], 50);
    assert_eq!(report["feed"], staging.url.as_str());
    let output = common::run(
        &["--config", &config, "report", "--feed", "preprod"],
        &[],
        home.path(),
    );
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("prod, staging"), "{stderr}");
}
