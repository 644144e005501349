//! The feed: v1 wire types, validation into a snapshot, the HTTP client and
//! poller, and the feed server (`serve`, the demo, simulated progress,
//! synthetic data).

pub mod ahead;
pub mod cache;
pub mod client;
pub mod dates;
pub mod demo;
pub mod lenient;
pub mod schedule;
pub mod server;
pub mod simulate;
pub mod snapshot;
pub mod synthetic;
pub mod text;
pub mod wire;

pub use snapshot::{DataWarning, DocumentError, Snapshot};

/// FNV-1a, 64 bits: stable across releases (std's hasher is not), so it can
/// name cache files and make ETags.
pub fn fnv64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
