//! Fixtures shared by the integration tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use rollout_dash::analysis::Analysis;
use rollout_dash::app::{App, Display, Msg, update};
use rollout_dash::config::RulesConfig;
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::poller::{FeedEvent, Fresh};
use rollout_dash::feed::snapshot::Snapshot;

/// The fixed clock of the fixtures: ten seconds after the demo snapshot was received.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 2, 20, 8, 0, 10).unwrap()
}

/// A validated, analysed snapshot of a feed body.
pub fn fresh_from(body: &str) -> Fresh {
    let snapshot = Snapshot::from_body(body.as_bytes()).expect("fixture parses");
    let analysis = Analysis::of(&snapshot, &RulesConfig::default());
    Fresh {
        snapshot: Arc::new(snapshot),
        analysis: Arc::new(analysis),
        received_at: Utc.with_ymd_and_hms(2024, 2, 20, 8, 0, 0).unwrap(),
    }
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
    update(&mut app, Msg::Feed(FeedEvent::Fresh(demo_fresh())));
    app.now = now();
    app
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
