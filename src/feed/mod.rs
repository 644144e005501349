//! The feed: v1 wire types, validation into a snapshot, the HTTP client and
//! poller, and the feed server (`serve`, the demo, simulated progress,
//! synthetic data).

pub mod cache;
pub mod client;
pub mod demo;
pub mod poller;
pub mod server;
pub mod simulate;
pub mod snapshot;
pub mod synthetic;
pub mod text;
pub mod wire;

pub use snapshot::{DataWarning, DocumentError, Snapshot};
