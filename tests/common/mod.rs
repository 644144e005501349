//! Fixtures shared by the integration tests.
#![allow(dead_code)]

pub mod pty;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use chrono::{DateTime, TimeZone, Utc};
use rollout_dash::analysis::RulesConfig;
use rollout_dash::app::{App, Display, Msg, update};
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::snapshot::Snapshot;
use rollout_dash::worker::{FeedEvent, Fresh};

/// The fixed clock of the fixtures: ten seconds after the demo snapshot was received.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 2, 20, 8, 0, 10).unwrap()
}

/// A validated, analysed and indexed snapshot of a feed body, as the poller derives it.
pub fn fresh_from(body: &str) -> Fresh {
    let snapshot = Snapshot::from_body(body.as_bytes()).expect("fixture parses");
    Fresh::derive(
        snapshot,
        &RulesConfig::default(),
        Utc.with_ymd_and_hms(2024, 2, 20, 8, 0, 0).unwrap(),
    )
}

/// The message the poller sends for `fresh`: with the changes since what
/// the app shows, worked out as the poller does (before `update`).
pub fn fresh_event(app: &App, fresh: Fresh) -> Msg {
    let changes = fresh.changes_since(app.current.as_ref(), rollout_dash::i18n::Lang::En);
    Msg::Feed(FeedEvent::Fresh { fresh, changes })
}

/// The demo snapshot.
pub fn demo_fresh() -> Fresh {
    fresh_from(DEMO_FEED_JSON)
}

/// A dashboard that has received the demo snapshot.
pub fn demo_app() -> App {
    let mut app = App::new(
        "http://127.0.0.1:8080".into(),
        false,
        Display::default(),
        now(),
    );
    let first = fresh_event(&app, demo_fresh());
    update(&mut app, first);
    app.now = now();
    app
}

/// Runs the binary with a clean environment (no stray config, feed or
/// locale), HOME and the XDG directories under `home`.
pub fn run(args: &[&str], env: &[(&str, &str)], home: &std::path::Path) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_clear()
        // Times show in the machine's zone otherwise; the tests expect UTC.
        .env("TZ", "UTC")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_STATE_HOME", home.join("state"))
        .stdin(Stdio::null());
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.output().unwrap()
}

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_rollout-dash");

/// `rollout-dash serve` on an ephemeral 127.0.0.1 port; killed on drop.
pub struct Server {
    child: Child,
    /// The feed's base URL.
    pub url: String,
}

impl Server {
    /// Starts `serve` with extra arguments and waits for its address.
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let url = loop {
            let line = lines.next().expect("serve prints its address").unwrap();
            if let Some(rest) = line.split("http://").nth(1) {
                break format!("http://{}", rest.split('/').next().unwrap());
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The demo feed with `stores` more stores in Suzhou, every one at the same
/// point (a geocoder that fell back to the city centre): direct Xiaomi Homes
/// and two partners' 2S stores in turn, so every pair of them collides.
pub fn colocated(stores: usize) -> String {
    let mut document: serde_json::Value =
        serde_json::from_str(DEMO_FEED_JSON).expect("the demo parses");
    let list = document["stores"].as_array_mut().expect("stores");
    for i in 0..stores {
        let (kind, channel, operator) = match i % 4 {
            0 | 2 => ("xiaomi_home", "direct", "xiaomi"),
            1 => ("sales_service_2s", "agency", "ekingo"),
            _ => ("sales_service_2s", "agency", "lantai"),
        };
        list.push(serde_json::json!({
            "id": format!("suz-pt-{i:05}"),
            "city": "suzhou",
            "kind": kind,
            "channel": channel,
            "operator": operator,
            "name": format!("Suzhou centre store {i}"),
            "district": "Gusu",
            "location": {"lat": 31.2990, "lon": 120.5853},
            "renovation": {
                "phase": "construction",
                "percent": 40,
                "planned_open": "2024-05-01",
                "display_vehicle_eta": "2024-04-20",
                "updated_at": "2024-02-18T06:15:00Z"
            }
        }));
    }
    document.to_string()
}

/// The dashboard drawn once on a `width`x`height` test terminal, as text
/// (what the render snapshots hold).
pub fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| rollout_dash::ui::view(app, frame))
        .unwrap();
    terminal.backend().to_string()
}
