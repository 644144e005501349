//! The bundled demo document, embedded so the binary runs from any directory.

/// The demo feed document (`assets/demo-feed.json`).
pub const DEMO_FEED_JSON: &str = include_str!("../../assets/demo-feed.json");
