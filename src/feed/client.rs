//! The HTTP client for `GET {base}/v1/snapshot`: conditional requests, gzip,
//! a body cap, timeouts, and typed errors that say what went wrong.

use std::time::Duration;

use crate::config::{FeedConfig, Token};
use crate::feed::snapshot::{DocumentError, Snapshot};

/// Why a poll failed. Each case is a failed poll, never a crash: the last
/// good snapshot stays on screen.
#[derive(Debug, thiserror::Error)]
pub enum PollError {
    /// The feed did not answer in time.
    #[error("the feed timed out after {0:?}")]
    Timeout(Duration),
    /// The connection could not be made or broke.
    #[error("cannot reach the feed: {0}")]
    Connect(String),
    /// TLS failed (certificate, handshake).
    #[error("TLS failure talking to the feed: {0}")]
    Tls(String),
    /// 401 or 403: the token is missing or wrong.
    #[error("the feed refused the credentials (HTTP {status}): {hint}")]
    Auth {
        /// 401 or 403.
        status: u16,
        /// What to do about it.
        hint: &'static str,
    },
    /// 429 or 503, possibly with Retry-After.
    #[error("the feed is busy (HTTP {status}){}", retry_after.map(|d| format!("; retry after {}s", d.as_secs())).unwrap_or_default())]
    Busy {
        /// 429 or 503.
        status: u16,
        /// How long the feed asked us to wait (capped).
        retry_after: Option<Duration>,
    },
    /// Any other unexpected status.
    #[error("the feed answered HTTP {status}")]
    Status {
        /// The status code.
        status: u16,
    },
    /// The body exceeded the cap (after decompression).
    #[error("the feed's body is larger than the {limit_mb} MiB limit (feed.max_body_mb)")]
    TooLarge {
        /// The cap in MiB.
        limit_mb: u64,
    },
    /// The body is not a valid v1 document.
    #[error(transparent)]
    Document(#[from] DocumentError),
}

/// What one successful poll brought.
#[derive(Debug)]
pub enum PollResult {
    /// A new document, validated.
    Fresh(Box<Snapshot>),
    /// 304: nothing changed since the last poll.
    NotModified,
}

/// A client for one feed; remembers validators (ETag, Last-Modified) between polls.
#[derive(Debug)]
pub struct FeedClient {
    base_url: String,
}

impl FeedClient {
    /// Builds a client for `base_url` (`http://host:port`).
    pub fn new(
        base_url: &str,
        config: &FeedConfig,
        token: Option<Token>,
    ) -> color_eyre::Result<Self> {
        let _ = (config, token);
        Ok(FeedClient {
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The snapshot URL this client polls.
    pub fn snapshot_url(&self) -> String {
        format!("{}/v1/snapshot", self.base_url)
    }

    /// One poll.
    pub async fn poll(&mut self) -> Result<PollResult, PollError> {
        Err(PollError::Connect("not implemented yet".into()))
    }
}
