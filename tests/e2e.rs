//! End to end: the real binary in a pseudo-terminal, against `rollout-dash
//! serve` on 127.0.0.1. Drills in and out, and checks that every exit path
//! (q, Ctrl-C, SIGTERM, SIGHUP, a panic) leaves the alternate screen and raw
//! mode, and that a hostile feed's escape sequences never reach the terminal.

mod common;

use common::pty::{Dashboard, WAIT, find_last};
use common::{BIN, Server};
use std::time::{Duration, Instant};

fn started(server: &Server) -> Dashboard {
    let dashboard = Dashboard::start(&["--feed", &server.url], &[]);
    dashboard.wait_for("Suzhou");
    dashboard
}

#[test]
fn drill_into_a_city_and_back_then_quit() {
    let server = Server::start(&[]);
    let mut dashboard = started(&server);
    dashboard.wait_for("Conflicts");
    dashboard.send(b"\r");
    dashboard.wait_for("funnel");
    dashboard.send(b"\x1b");
    // Esc alone is ambiguous to a terminal parser; a following key settles it.
    std::thread::sleep(Duration::from_millis(100));
    dashboard.send(b"j");
    dashboard.wait_for("Store build-out");
    dashboard.send(b"q");
    assert!(dashboard.wait_exit().success());
    dashboard.assert_restored();
}

#[test]
fn ctrl_c_restores_the_terminal() {
    let server = Server::start(&[]);
    let mut dashboard = started(&server);
    dashboard.send(b"\x03");
    assert!(dashboard.wait_exit().success());
    dashboard.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let server = Server::start(&[]);
    let mut dashboard = started(&server);
    dashboard.signal(libc::SIGTERM);
    dashboard.wait_exit();
    dashboard.assert_restored();
}

#[test]
fn sighup_restores_the_terminal() {
    let server = Server::start(&[]);
    let mut dashboard = started(&server);
    dashboard.signal(libc::SIGHUP);
    dashboard.wait_exit();
    dashboard.assert_restored();
}

#[test]
fn a_panic_restores_the_terminal_and_names_the_log() {
    let server = Server::start(&[]);
    let mut dashboard = Dashboard::start(
        &["--feed", &server.url],
        &[("ROLLOUT_DASH_TEST_PANIC", "1")],
    );
    let status = dashboard.wait_exit();
    assert!(!status.success());
    dashboard.assert_restored();
    let text = String::from_utf8_lossy(&dashboard.output()).into_owned();
    let restored_at = text.rfind("\x1b[?1049l").unwrap();
    let after = &text[restored_at..];
    assert!(
        after.contains("ROLLOUT_DASH_TEST_PANIC"),
        "the panic message comes after the restore: {after}"
    );
    assert!(
        after.contains("rollout-dash.log"),
        "names the log file: {after}"
    );
}

#[test]
fn a_panic_in_a_background_task_restores_the_terminal_too() {
    let server = Server::start(&[]);
    let mut dashboard = Dashboard::start(
        &["--feed", &server.url],
        &[("ROLLOUT_DASH_TEST_PANIC", "task")],
    );
    let status = dashboard.wait_exit();
    assert!(!status.success(), "a panic anywhere ends the dashboard");
    dashboard.assert_restored();
    let text = String::from_utf8_lossy(&dashboard.output()).into_owned();
    let after = &text[text.rfind("\x1b[?1049l").unwrap()..];
    assert!(after.contains("background task"), "{after}");
}

#[test]
fn a_closed_terminal_ends_the_dashboard() {
    let server = Server::start(&[]);
    let mut dashboard = started(&server);
    dashboard.hang_up();
    let deadline = Instant::now() + WAIT;
    while dashboard.is_running() {
        assert!(
            Instant::now() < deadline,
            "the dashboard kept running after its terminal closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_resumes_with_a_full_redraw() {
    let server = Server::start(&[]);
    let mut dashboard = started(&server);
    let before = dashboard.output().len();
    dashboard.send(b"\x1a");
    // The test's pty has no job control (an orphaned process group discards
    // SIGTSTP), so the process goes on at once: what we check is that the
    // terminal was restored for the shell and then taken back and repainted.
    let deadline = Instant::now() + WAIT;
    loop {
        let output = dashboard.output();
        let tail = &output[before..];
        let left = find_last(tail, b"\x1b[?1049l");
        let entered = find_last(tail, b"\x1b[?1049h");
        if let (Some(left), Some(entered)) = (left, entered)
            && entered > left
            && String::from_utf8_lossy(&tail[entered..]).contains("Suzhou")
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no restore and full redraw after Ctrl-Z"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    dashboard.send(b"j");
    dashboard.send(b"q");
    assert!(dashboard.wait_exit().success());
    dashboard.assert_restored();
}

#[test]
fn a_hostile_feed_cannot_write_escape_sequences() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(rollout_dash::feed::demo::DEMO_FEED_JSON).unwrap();
    doc["cities"][0]["name"] =
        serde_json::json!("PWNED\u{1b}]0;owned-title\u{7}\u{1b}[2J\u{1b}[31mRED");
    doc["partners"][0]["name"] = serde_json::json!("EVIL\u{9b}1;1H\u{1b}P+q\u{1b}\\GROUP\u{202e}");
    doc["stores"][0]["name"] = serde_json::json!("BELL\u{7}\u{8}\u{7f}STORE");
    std::fs::write(&path, doc.to_string()).unwrap();
    let server = Server::start(&["--data", path.to_str().unwrap()]);
    let mut dashboard = Dashboard::start(&["--feed", &server.url], &[]);
    let screen = dashboard.wait_for("PWNED");
    assert!(
        screen.contains("PWNED]0;owned-"),
        "the text shows, inert: {screen}"
    );
    dashboard.send(b"2"); // partners pane
    dashboard.wait_for("EVIL");
    dashboard.send(b"q");
    dashboard.wait_exit();
    let output = dashboard.output();
    // Sequences the dashboard itself never writes: from the feed, they would act.
    for needle in [
        &b"\x1b]0;"[..],
        b"\x1b[2J\x1b[31mRED",
        b"\x1bP",
        b"\x07",
        b"\x08",
        b"\x7f",
    ] {
        assert!(
            find_last(&output, needle).is_none(),
            "the feed's {needle:?} reached the terminal"
        );
    }
    // C1 CSI and bidi overrides are characters: look for them in the decoded text
    // (the byte 0x9b is also part of ordinary UTF-8, e.g. in CJK names).
    let text = String::from_utf8_lossy(&output);
    for c in ['\u{9b}', '\u{202e}'] {
        assert!(!text.contains(c), "the feed's {c:?} reached the terminal");
    }
}

/// Runs the dashboard with stdin and stdout as given (no terminal at all)
/// and returns its exit code, stdout and stderr.
fn run_without_a_terminal(
    stdin: std::process::Stdio,
    stdout_file: &std::path::Path,
) -> (Option<i32>, Vec<u8>, String) {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(&[]);
    let out = std::fs::File::create(stdout_file).unwrap();
    let result = std::process::Command::new(BIN)
        .args(["--feed", &server.url])
        .env_clear()
        .env("TERM", "xterm-256color")
        .env("TZ", "UTC")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .stdin(stdin)
        .stdout(out)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let written = std::fs::read(stdout_file).unwrap();
    (
        result.status.code(),
        written,
        String::from_utf8_lossy(&result.stderr).into_owned(),
    )
}

#[test]
fn stdout_to_a_file_exits_2_and_points_to_report() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.txt");
    let (code, written, stderr) = run_without_a_terminal(std::process::Stdio::null(), &file);
    assert_eq!(code, Some(2), "stderr: {stderr}");
    assert!(written.is_empty(), "wrote into the file: {written:?}");
    assert!(stderr.contains("stdout is not a terminal"), "{stderr}");
    assert!(stderr.contains("rollout-dash report"), "{stderr}");
}

/// Asserts the dashboard refused the terminal it was given: exit 2, the
/// reason and `report` named, and the terminal never taken.
fn assert_refused(dashboard: &mut Dashboard, reason: &str) {
    let status = dashboard.wait_exit();
    assert_eq!(
        status.exit_code(),
        2,
        "{:?}",
        dashboard.screen().screen().contents()
    );
    let output = dashboard.output();
    let text = String::from_utf8_lossy(&output);
    assert!(text.contains(reason), "{text}");
    assert!(text.contains("rollout-dash report"), "{text}");
    assert!(
        find_last(&output, b"\x1b[?1049h").is_none(),
        "took the terminal: {text}"
    );
}

#[test]
fn stdin_from_dev_null_exits_2_and_points_to_report() {
    let server = Server::start(&[]);
    // stdout stays the pseudo-terminal; only stdin is not one.
    let command = format!("exec '{BIN}' --feed '{}' </dev/null", server.url);
    let mut dashboard = Dashboard::start_with(&["/bin/sh", "-c", &command], &[]);
    assert_refused(&mut dashboard, "stdin is not a terminal");
}

#[test]
fn term_dumb_exits_2_and_points_to_report() {
    let server = Server::start(&[]);
    let mut dashboard = Dashboard::start(&["--feed", &server.url], &[("TERM", "dumb")]);
    assert_refused(&mut dashboard, "TERM=dumb");
}

#[test]
fn the_default_theme_sends_only_the_16_ansi_colours() {
    let server = Server::start(&[]);
    let mut dashboard = started(&server);
    // Every pane in turn, so every pane's colours are drawn.
    for key in ["2", "3", "4", "5", "6", "7", "1"] {
        dashboard.send(key.as_bytes());
    }
    dashboard.send(b"\r");
    dashboard.wait_for("funnel");
    dashboard.send(b"q");
    dashboard.wait_exit();
    let output = dashboard.output();
    let text = String::from_utf8_lossy(&output);
    let mut colours = 0;
    for sgr in text.split("\x1b[").skip(1) {
        let Some(end) = sgr.find(|c: char| !(c.is_ascii_digit() || c == ';')) else {
            continue;
        };
        if !sgr[end..].starts_with('m') {
            continue;
        }
        let params: Vec<&str> = sgr[..end].split(';').collect();
        for pair in params.windows(2) {
            assert!(
                !(matches!(pair[0], "38" | "48" | "58") && matches!(pair[1], "5" | "2")),
                "a 256-colour or RGB code for the 16-colour theme: \\e[{}m",
                &sgr[..end]
            );
        }
        colours += params
            .iter()
            .filter(|p| matches!(p.parse::<u8>(), Ok(30..=37 | 40..=47 | 90..=97 | 100..=107)))
            .count();
    }
    assert!(colours > 0, "no colour at all was drawn");
}
