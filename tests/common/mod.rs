//! Fixtures shared by the integration tests.
#![allow(dead_code)]

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
