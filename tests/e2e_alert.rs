//! End to end alerts: the real binary in a pseudo-terminal, polling a feed
//! served by this test that turns a critical conflict on after the first
//! snapshot. The bell and OSC 777 come then, and only with `[notify]` on;
//! the notify command gets the JSON; `y` puts the row on the clipboard by
//! OSC 52. The pty helpers follow tests/e2e.rs.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rollout_dash::app::notify::{NotifyRules, copy_text};
use rollout_dash::app::{App, Display, Msg, Pane, update};
use rollout_dash::config::RulesConfig;
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::snapshot::Snapshot;
use rollout_dash::worker::{FeedEvent, Fresh};
use serde_json::{Value, json};

mod common;

use common::BIN;
use common::pty;

/// Generous: the machine is shared and the binary is a debug build.
const WAIT: Duration = Duration::from_secs(60);

fn demo() -> Value {
    serde_json::from_str(DEMO_FEED_JSON).unwrap()
}

/// The demo with an agency store on top of a Xiaomi Home in Suzhou: a
/// critical territory overlap (as in tests/alert.rs).
fn with_new_critical() -> Value {
    let mut document = demo();
    document["generated_at"] = json!("2024-02-20T08:01:00Z");
    document["stores"].as_array_mut().unwrap().push(json!({
        "id": "suz-2s-99", "city": "suzhou", "kind": "sales_service_2s",
        "channel": "agency", "operator": "lantai", "name": "Guanqian Lantai 2S",
        "district": "Gusu", "location": {"lat": 31.31, "lon": 120.625},
        "renovation": {"phase": "construction", "percent": 40,
            "planned_open": "2024-02-01"}
    }));
    document
}

/// A feed on 127.0.0.1 that serves the demo until `turn_on`, then the demo
/// with a new critical conflict.
struct Feed {
    url: String,
    on: Arc<AtomicBool>,
}

impl Feed {
    fn start() -> Feed {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let on = Arc::new(AtomicBool::new(false));
        let bodies = [demo().to_string(), with_new_critical().to_string()];
        let turned = on.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                // The request's head; a poll has no body.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    if line == "\r\n" {
                        break;
                    }
                    line.clear();
                }
                let body = &bodies[usize::from(turned.load(Ordering::SeqCst))];
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Feed { url, on }
    }

    fn turn_on(&self) {
        self.on.store(true, Ordering::SeqCst);
    }
}

/// The dashboard in a pseudo-terminal (the common harness), with its home
/// kept for the files the notify command writes.
struct Dashboard {
    terminal: pty::Dashboard,
    home: tempfile::TempDir,
}

impl std::ops::Deref for Dashboard {
    type Target = pty::Dashboard;

    fn deref(&self) -> &pty::Dashboard {
        &self.terminal
    }
}

impl std::ops::DerefMut for Dashboard {
    fn deref_mut(&mut self) -> &mut pty::Dashboard {
        &mut self.terminal
    }
}

impl Dashboard {
    fn start(feed: &Feed, config: &str, env: &[(&str, &str)]) -> Dashboard {
        let home = tempfile::tempdir().unwrap();
        let config_path = home.path().join("config.toml");
        let notified = home.path().join("notified.json");
        let config = config.replace("NOTIFIED", &notified.display().to_string());
        // History is off unless the test gives a file of its own.
        let config = if config.contains("[history]") {
            config
        } else {
            format!("[history]\nenabled = false\n\n{config}")
        };
        std::fs::write(
            &config_path,
            format!(
                "[feed]\nurl = \"{}\"\ninterval = 0.5\ncache = false\n\n{config}",
                feed.url
            ),
        )
        .unwrap();
        // The notify command is run by a shell that needs a PATH.
        let path = std::env::var("PATH").unwrap_or_default();
        let mut env = env.to_vec();
        env.push(("PATH", &path));
        let terminal = pty::Dashboard::start_in(
            &[BIN, "--config", &config_path.display().to_string()],
            home.path(),
            &env,
        );
        Dashboard { terminal, home }
    }

    fn screen(&self) -> String {
        self.terminal.screen_text()
    }

    /// Waits until the output holds `bytes`; the output from there on.
    fn wait_for_bytes(&self, bytes: &[u8]) -> Vec<u8> {
        let deadline = Instant::now() + WAIT;
        loop {
            let output = self.output();
            if let Some(at) = find(&output, bytes) {
                return output[at..].to_vec();
            }
            assert!(
                Instant::now() < deadline,
                "{:?} never came; the screen was:\n{}",
                String::from_utf8_lossy(bytes),
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The first snapshot is on screen, and a few polls of it went by.
fn settled(dashboard: &Dashboard) {
    dashboard.wait_for("Suzhou");
    dashboard.wait_for("updated");
}

fn no_alerts(output: &[u8]) {
    assert!(
        !output.contains(&0x07),
        "a BEL: {:?}",
        String::from_utf8_lossy(output)
    );
    assert_eq!(find(output, b"]777;"), None);
    assert_eq!(find(output, b"]9;"), None);
}

#[test]
fn a_new_critical_conflict_rings_the_bell_and_notifies_the_desktop_and_the_command() {
    let feed = Feed::start();
    let mut dashboard = Dashboard::start(
        &feed,
        "[notify]\nbell = true\ndesktop = true\ncommand = \"cat > 'NOTIFIED'\"\n",
        &[],
    );
    settled(&dashboard);
    // Nothing for the first snapshot after start, however critical.
    no_alerts(&dashboard.output());
    feed.turn_on();
    let rest =
        dashboard.wait_for_bytes(b"\x1b]777;notify;rollout-dash;1 new critical conflict: Suzhou: ");
    let end = rest
        .iter()
        .position(|&b| b == 0x07)
        .expect("OSC 777 ends with BEL");
    let body = String::from_utf8_lossy(&rest[..end]).into_owned();
    assert!(!body[1..].contains('\x1b'), "{body:?}");
    let output = dashboard.output();
    let osc = find(&output, b"\x1b]777;").unwrap();
    assert_eq!(output[osc - 1], 0x07, "the bell rings just before");
    assert!(
        find(
            &output[osc..],
            b"\x1b]9;rollout-dash: 1 new critical conflict"
        )
        .is_some()
    );
    dashboard.wait_for("NEW");
    // The command got the new finding as JSON.
    let notified = dashboard.home.path().join("notified.json");
    let deadline = Instant::now() + WAIT;
    let findings: Vec<Value> = loop {
        if let Ok(text) = std::fs::read(&notified)
            && let Ok(findings) = serde_json::from_slice(&text)
        {
            break findings;
        }
        assert!(Instant::now() < deadline, "the command wrote nothing");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["severity"], "critical");
    assert_eq!(findings[0]["city"], "suzhou");
    dashboard.quit();
    // One notification: the same conflict polled again is not new.
    let output = dashboard.output();
    assert_eq!(
        output.windows(6).filter(|w| w == b"]777;n").count(),
        1,
        "one notification"
    );
}

#[test]
fn inside_tmux_the_notification_is_wrapped_for_passthrough() {
    let feed = Feed::start();
    let dashboard = Dashboard::start(
        &feed,
        "[notify]\ndesktop = true\n",
        &[("TMUX", "/tmp/tmux-1000/default,1,0")],
    );
    settled(&dashboard);
    feed.turn_on();
    dashboard.wait_for_bytes(b"\x1bPtmux;\x1b\x1b]777;notify;rollout-dash;1 new critical");
    let output = dashboard.output();
    assert!(find(&output, b"\x1bPtmux;\x1b\x1b]9;").is_some());
    // The bell is off: no BEL but the ones ending the wrapped sequences.
    let bells = output.iter().filter(|&&b| b == 0x07).count();
    assert_eq!(bells, 2, "{:?}", String::from_utf8_lossy(&output));
}

#[test]
fn with_the_defaults_nothing_notifies() {
    let feed = Feed::start();
    let mut dashboard = Dashboard::start(&feed, "", &[]);
    settled(&dashboard);
    feed.turn_on();
    // The new conflict is seen (NEW and counted in the header) ...
    dashboard.wait_for("NEW");
    dashboard.wait_for(" new");
    dashboard.quit();
    // ... and nothing rang or notified.
    no_alerts(&dashboard.output());
}

/// What `y` on the conflicts pane copies, worked out by the library.
fn expected_copy() -> String {
    let fresh = |document: &Value| {
        let snapshot = Snapshot::from_body(document.to_string().as_bytes()).unwrap();
        Fresh::derive(snapshot, &RulesConfig::default(), chrono::Utc::now())
    };
    let mut app = App::new("feed".into(), false, Display::default(), chrono::Utc::now());
    app.notify = NotifyRules::default();
    let fresh = fresh(&with_new_critical());
    let changes = fresh.changes_since(app.current.as_ref(), rollout_dash::i18n::Lang::En);
    update(&mut app, Msg::Feed(FeedEvent::Fresh { fresh, changes }));
    app.focus = Pane::Conflicts;
    copy_text(&app).unwrap()
}

/// The text an OSC 52 sequence at the start of `output` carries.
fn clipboard(output: &[u8]) -> String {
    let start = b"\x1b]52;c;".len();
    let end = output
        .iter()
        .position(|&b| b == 0x07)
        .expect("OSC 52 ends with BEL");
    let coded = std::str::from_utf8(&output[start..end]).unwrap();
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let (mut bits, mut count, mut out) = (0u32, 0, Vec::new());
    for c in coded.bytes().filter(|&c| c != b'=') {
        bits = bits << 6 | u32::from(value(c));
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn y_puts_the_selected_finding_on_the_clipboard() {
    let feed = Feed::start();
    feed.turn_on();
    let mut dashboard = Dashboard::start(&feed, "", &[]);
    settled(&dashboard);
    dashboard.send(b"4");
    dashboard.wait_for("Severity");
    dashboard.send(b"y");
    let sequence = dashboard.wait_for_bytes(b"\x1b]52;c;");
    dashboard.wait_for("copied");
    let copied = clipboard(&sequence);
    assert!(
        copied.starts_with("critical territory_overlap "),
        "{copied}"
    );
    assert!(
        copied.ends_with(']') && copied.contains(" [to-"),
        "ends with the finding's id: {copied}"
    );
    // The same text the library makes of that row.
    let expected = expected_copy();
    assert_eq!(copied, expected);
    dashboard.quit();
}

#[test]
fn with_osc52_off_y_says_so() {
    let feed = Feed::start();
    let mut dashboard = Dashboard::start(&feed, "[ui]\nosc52 = false\n", &[]);
    settled(&dashboard);
    dashboard.send(b"y");
    dashboard.wait_for("ui.osc52 = false");
    dashboard.quit();
    assert_eq!(find(&dashboard.output(), b"]52;"), None);
}

/// The id of a finding of `document` (as `ack` and `report` name it).
fn id_of(document: &Value, pick: impl Fn(&rollout_dash::analysis::Finding) -> bool) -> String {
    let snapshot = Snapshot::from_body(document.to_string().as_bytes()).unwrap();
    let fresh = Fresh::derive(snapshot, &RulesConfig::default(), chrono::Utc::now());
    let finding = fresh.analysis.findings.iter().find(|f| pick(f)).unwrap();
    finding.id().as_str().to_owned()
}

#[test]
fn an_acknowledged_new_conflict_does_not_notify() {
    let feed = Feed::start();
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.sqlite3");
    let config_path = dir.path().join("ack.toml");
    std::fs::write(
        &config_path,
        format!("[history]\npath = \"{}\"\n", history.display()),
    )
    .unwrap();
    let is_new = |f: &rollout_dash::analysis::Finding| {
        f.severity == rollout_dash::analysis::Severity::Critical
            && f.stores.iter().any(|s| s.as_str() == "suz-2s-99")
    };
    // Acknowledged before it appears (it holds when it does), and one on
    // screen from the start, whose "acked" in the header says the
    // dashboard has read the acknowledgements.
    let new = id_of(&with_new_critical(), is_new);
    let known = id_of(&demo(), |f| {
        f.severity == rollout_dash::analysis::Severity::Critical && !is_new(f)
    });
    for id in [&new, &known] {
        let out = std::process::Command::new(BIN)
            .args(["ack", id, "--note", "known", "--config"])
            .arg(&config_path)
            .env("HOME", dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut dashboard = Dashboard::start(
        &feed,
        &format!(
            "[history]\npath = \"{}\"\n\n[notify]\nbell = true\ndesktop = true\n",
            history.display()
        ),
        &[],
    );
    settled(&dashboard);
    dashboard.wait_for("acked");
    feed.turn_on();
    // The header counts the new ones (the acknowledged rows are listed last).
    let deadline = Instant::now() + WAIT;
    while !dashboard
        .screen()
        .lines()
        .take(2)
        .any(|line| line.trim_end().ends_with("new"))
    {
        assert!(
            Instant::now() < deadline,
            "no new count in the header:\n{}",
            dashboard.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    dashboard.quit();
    no_alerts(&dashboard.output());
}
