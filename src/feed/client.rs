//! The HTTP client for `GET {base}/v1/snapshot`: conditional requests, gzip,
//! a body cap, timeouts, and typed errors that say what went wrong.

use std::error::Error as StdError;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderValue};
use serde::{Deserialize, Serialize};

use crate::feed::ahead::ParseAhead;
use crate::feed::snapshot::{DocumentError, Snapshot};
use crate::settings::{FeedConfig, Token};

/// What the client calls itself on the wire.
pub const USER_AGENT: &str = concat!("rollout-dash/", env!("CARGO_PKG_VERSION"));

/// Why a poll failed. Each case is a failed poll, never a crash: the last
/// good snapshot stays on screen.
#[derive(Debug, thiserror::Error)]
pub enum PollError {
    /// The feed did not connect, or did not finish the whole poll, in time.
    #[error("the feed timed out after {0:?}")]
    Timeout(Duration),
    /// The feed stopped sending for longer than `feed.read_timeout`.
    #[error("the feed stopped sending for {0:?} (feed.read_timeout)")]
    Stalled(Duration),
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
    /// The body arrived but could not be decoded (corrupt gzip, say).
    #[error("cannot decode the feed's body: {0}")]
    Body(String),
    /// The body is not a valid v1 document.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// 304 Not Modified to a request that named no document of ours (the
    /// first one): there is nothing it could mean we still have.
    #[error(
        "the feed answered 304 Not Modified to a first request, which named no earlier snapshot; it must send the document"
    )]
    NotModifiedUnasked,
    /// A bug on our side (a panicked background task); the next poll tries again.
    #[error("internal error while polling: {0}")]
    Internal(String),
}

/// Why a [`FeedClient`] could not be built; a configuration problem.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The base URL is unusable.
    #[error("feed URL: {0}")]
    Url(String),
    /// The token cannot be put in an HTTP header (the token itself is never shown).
    #[error(
        "the feed token contains characters that cannot be sent in an HTTP header (check ROLLOUT_DASH_TOKEN or feed.token_file)"
    )]
    Token,
    /// `feed.ca_file` is unreadable or holds no usable PEM certificate.
    #[error("feed.ca_file {path}: {message}")]
    CaFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// reqwest refused the settings.
    #[error("cannot set up the HTTP client: {0}")]
    Build(String),
}

/// What one successful poll brought.
#[derive(Debug)]
pub enum PollResult {
    /// A new document, validated.
    Fresh(Box<Snapshot>),
    /// 304: nothing changed since the last poll.
    NotModified,
}

/// What one poll's fetch brought, for the poller.
#[derive(Debug)]
pub enum Fetch {
    /// A new document, parsed and validated.
    Fresh(Box<Fetched>),
    /// 304 Not Modified.
    NotModified,
    /// A 200 whose body is the last good document's, byte for byte (a feed
    /// without validators): as good as a 304, and nothing was parsed.
    SameBody {
        /// The new validators, when they differ from the last good ones.
        validators: Option<Validators>,
    },
}

/// Identifies a body without keeping it: its length and a 64-bit foldhash
/// (quality variant) of each [`BLOCK`] of its bytes, seeded at random per
/// client. Hashed by block, so that the next body can be checked block by
/// block as it arrives, with nothing copied or read twice.
///
/// Two different bodies agree only by a collision: about 2^-64 for one pair
/// of blocks by chance, and the seed is secret, so a feed cannot aim one
/// either. The cost of one would be a missed update until the document
/// changes again. foldhash, not SipHash: at 19 MiB a poll, SipHash was half
/// the CPU of an unchanged poll.
#[derive(Clone, Debug, PartialEq, Eq)]
struct BodyId {
    len: usize,
    blocks: Vec<u64>,
}

/// Bytes of a body hashed together (the last block may be shorter).
const BLOCK: usize = 64 * 1024;

impl BodyId {
    /// The id of a whole body.
    fn of(key: &BodyKey, body: &[u8]) -> Self {
        BodyId {
            len: body.len(),
            blocks: body.chunks(BLOCK).map(|block| key.block(block)).collect(),
        }
    }

    /// The hash of block `index` if it is a whole block of `len` bytes.
    fn block(&self, index: usize, len: usize) -> Option<u64> {
        let size = self.len.saturating_sub(index * BLOCK).min(BLOCK);
        (size == len && len > 0).then(|| self.blocks[index])
    }
}

/// The seed of [`BodyId`]'s hashes, one per client.
#[derive(Clone, Default)]
struct BodyKey(foldhash::quality::RandomState);

impl BodyKey {
    fn block(&self, bytes: &[u8]) -> u64 {
        let mut hasher = self.0.build_hasher();
        hasher.write(bytes);
        hasher.finish()
    }
}

/// The cache validators of a document (`ETag`, `Last-Modified`), sent back
/// as `If-None-Match` / `If-Modified-Since`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    /// The `ETag` header, verbatim (quotes and `W/` included).
    pub etag: Option<String>,
    /// The `Last-Modified` header, verbatim.
    pub last_modified: Option<String>,
}

/// A new document as fetched: what the poller shows and what the cache keeps.
pub struct Fetched {
    /// The validated snapshot.
    pub snapshot: Snapshot,
    /// The body as received (decompressed), for the on-disk cache.
    pub body: Vec<u8>,
    /// Its validators.
    pub validators: Validators,
}

impl fmt::Debug for Fetched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body can be tens of MiB: show its size, not its bytes.
        f.debug_struct("Fetched")
            .field("body_len", &self.body.len())
            .field("validators", &self.validators)
            .finish_non_exhaustive()
    }
}

/// A client for one feed; remembers validators (ETag, Last-Modified) between polls.
pub struct FeedClient {
    http: reqwest::Client,
    /// What is polled: the base URL with `/v1/snapshot` (see [`crate::settings::snapshot_url`]).
    url: reqwest::Url,
    /// `Bearer <token>`, marked sensitive so hyper and reqwest never print it.
    authorization: Option<HeaderValue>,
    validators: Validators,
    /// The last good document's body, to know it again without parsing it.
    last_body: Option<BodyId>,
    /// The buffer of a body that was the last good one again, kept for the
    /// next: a feed without ETags sends megabytes each poll, and a fresh
    /// buffer each time cost more in page faults than the copy into it.
    spare: Vec<u8>,
    /// `spare` holds the last good body, byte for byte: the next body's
    /// blocks are checked against its block hashes as they arrive, and
    /// nothing is copied while they agree.
    spare_is_last_good: bool,
    /// The seed of [`BodyId`]'s hashes.
    body_key: BodyKey,
    max_body: u64,
    max_body_mb: u64,
    timeout: Duration,
    connect_timeout: Duration,
    read_timeout: Duration,
    max_retry_after: Duration,
    /// A CA file is configured (changes the hint of a certificate error).
    has_ca_file: bool,
}

/// Whether a URL names this machine: `localhost`, 127.0.0.0/8 or `::1`.
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl fmt::Debug for FeedClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written by hand so that the token can never end up in a log line.
        f.debug_struct("FeedClient")
            .field("url", &self.url.as_str())
            .field("token", &self.authorization.as_ref().map(|_| "<redacted>"))
            .field("validators", &self.validators)
            .field("max_body_mb", &self.max_body_mb)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .finish_non_exhaustive()
    }
}

impl FeedClient {
    /// Builds a client for `base_url` (`http://host:port`, maybe with a path
    /// prefix and a query).
    pub fn new(
        base_url: &str,
        config: &FeedConfig,
        token: Option<Token>,
    ) -> Result<Self, SetupError> {
        let url = crate::settings::snapshot_url(base_url).map_err(SetupError::Url)?;

        // No total timeout here: `fetch` applies it around the whole poll so
        // that it can tell a total timeout from a stalled read.
        // Proxies: reqwest's default reads HTTPS_PROXY/HTTP_PROXY/NO_PROXY;
        // keep it, except for this machine's own feeds (the demo, a local
        // `serve`), which no proxy can reach, as curl and Go do.
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .gzip(true)
            .connect_timeout(config.connect_timeout.0)
            .read_timeout(config.read_timeout.0);
        if is_loopback(&url) {
            builder = builder.no_proxy();
        }
        if let Some(path) = &config.ca_file {
            for cert in read_ca_file(path)? {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder.build().map_err(|e| match &config.ca_file {
            // The CA file is parsed for real only here (reqwest adds it to rustls now).
            Some(path) => SetupError::CaFile {
                path: path.clone(),
                message: format!("not a usable CA certificate: {}", describe(&e)),
            },
            None => SetupError::Build(describe(&e)),
        })?;

        let authorization = match token {
            Some(token) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                    .map_err(|_| SetupError::Token)?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };

        Ok(FeedClient {
            has_ca_file: config.ca_file.is_some(),
            http,
            url,
            authorization,
            validators: Validators::default(),
            last_body: None,
            spare: Vec::new(),
            spare_is_last_good: false,
            body_key: BodyKey::default(),
            max_body: config.max_body_bytes(),
            max_body_mb: config.max_body_mb,
            timeout: config.timeout.0,
            connect_timeout: config.connect_timeout.0,
            read_timeout: config.read_timeout.0,
            max_retry_after: config.max_retry_after.0,
        })
    }

    /// The snapshot URL this client polls.
    pub fn snapshot_url(&self) -> String {
        self.url.to_string()
    }

    /// The body cap in bytes (`feed.max_body_mb`), which a cached body obeys too.
    pub fn max_body(&self) -> u64 {
        self.max_body
    }

    /// The validators of the last good document (sent with the next poll).
    pub fn validators(&self) -> &Validators {
        &self.validators
    }

    /// Sets the validators, e.g. those of a cached document shown at start-up,
    /// so that the first poll can be a cheap 304. The body of the last
    /// document is forgotten with the old ones: the next 200 is parsed.
    pub fn set_validators(&mut self, validators: Validators) {
        self.validators = validators;
        self.last_body = None;
        self.spare_is_last_good = false;
    }

    /// One poll.
    pub async fn poll(&mut self) -> Result<PollResult, PollError> {
        Ok(match self.fetch().await? {
            Fetch::Fresh(fetched) => PollResult::Fresh(Box::new(fetched.snapshot)),
            Fetch::NotModified | Fetch::SameBody { .. } => PollResult::NotModified,
        })
    }

    /// One poll, keeping the raw body of a new document.
    pub async fn fetch(&mut self) -> Result<Fetch, PollError> {
        let spare = std::mem::take(&mut self.spare);
        // Whatever happens below, `spare` is not the last good body until
        // a poll shows it is again.
        let receiving = match (
            std::mem::take(&mut self.spare_is_last_good),
            &self.last_body,
        ) {
            (true, Some(last)) => Receiving::over(spare, last, &self.body_key),
            _ => Receiving::fresh(spare),
        };
        let downloaded = match tokio::time::timeout(self.timeout, self.download(receiving)).await {
            Err(_elapsed) => return Err(PollError::Timeout(self.timeout)),
            Ok(result) => match result? {
                Some(downloaded) => downloaded,
                None => return Ok(Fetch::NotModified),
            },
        };
        let Downloaded {
            body,
            validators,
            ahead,
        } = downloaded;
        let body = match body {
            Received::LastGood(body) => return Ok(self.same_body(body, validators)),
            Received::New(body) => body,
        };
        // Parsing a big feed takes a while: keep it (and the hash of a
        // body of tens of MiB) off the async workers.
        let (key, last_body) = (self.body_key.clone(), self.last_body.clone());
        let parsed = tokio::task::spawn_blocking(move || {
            let id = BodyId::of(&key, &body);
            if last_body.as_ref() == Some(&id) {
                // A feed without ETag support sends the whole document
                // each time: the one we have needs no parse, analysis or diff.
                return Ok(Parsed::Same(body));
            }
            match ahead {
                Some(ahead) => Snapshot::from_body_ahead(&body, ahead),
                None => Snapshot::from_body(&body),
            }
            .map(|snapshot| Parsed::New(Box::new(snapshot), body, id))
        })
        .await
        .map_err(|e| PollError::Internal(format!("parsing the feed: {e}")))??;
        let (snapshot, body, id) = match parsed {
            Parsed::Same(body) => return Ok(self.same_body(body, validators)),
            Parsed::New(snapshot, body, id) => (snapshot, body, id),
        };
        // Only a document that parsed may be named in If-None-Match: a bad
        // one must be fetched again, not acknowledged with a 304.
        self.validators = validators.clone();
        self.last_body = Some(id);
        Ok(Fetch::Fresh(Box::new(Fetched {
            snapshot: *snapshot,
            body,
            validators,
        })))
    }

    /// The last good body came again: kept to compare the next one with.
    fn same_body(&mut self, body: Vec<u8>, validators: Validators) -> Fetch {
        self.spare = body;
        self.spare_is_last_good = true;
        let changed = validators != self.validators;
        self.validators = validators.clone();
        Fetch::SameBody {
            validators: changed.then_some(validators),
        }
    }

    /// The network part of a poll: the body (capped, received into
    /// `receiving`), its validators and, on the first poll, its stores being
    /// parsed; or `None` on 304.
    async fn download(
        &self,
        mut receiving: Receiving<'_>,
    ) -> Result<Option<Downloaded>, PollError> {
        let mut request = self.http.get(self.url.clone());
        if let Some(authorization) = &self.authorization {
            request = request.header(header::AUTHORIZATION, authorization.clone());
        }
        if let Some(etag) = self.validators.etag.as_deref().and_then(header_value) {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(date) = self
            .validators
            .last_modified
            .as_deref()
            .and_then(header_value)
        {
            request = request.header(header::IF_MODIFIED_SINCE, date);
        }
        let response = request.send().await.map_err(|e| self.classify(e))?;

        let status = response.status();
        match status {
            StatusCode::NOT_MODIFIED => return Ok(None),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                return Err(PollError::Auth {
                    status: status.as_u16(),
                    hint: self.auth_hint(status),
                });
            }
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
                let retry_after = response
                    .headers()
                    .get(header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, SystemTime::now()))
                    .map(|d| d.min(self.max_retry_after));
                return Err(PollError::Busy {
                    status: status.as_u16(),
                    retry_after,
                });
            }
            _ if !status.is_success() => {
                return Err(PollError::Status {
                    status: status.as_u16(),
                });
            }
            _ => {}
        }

        let text = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let validators = Validators {
            etag: text(header::ETAG),
            last_modified: text(header::LAST_MODIFIED),
        };

        // reqwest reports no length for a body it decompresses, so this only
        // refuses plain bodies early; the loop below counts decompressed bytes.
        let declared = response.content_length();
        if declared.is_some_and(|len| len > self.max_body) {
            return Err(self.too_large());
        }
        receiving.reserve(declared.unwrap_or(64 * 1024).min(self.max_body) as usize);
        let mut stream = response.bytes_stream();
        // Later polls wait for the whole body: it may be the one we have,
        // which needs no parse at all.
        let mut ahead = self.last_body.is_none().then(ParseAhead::default);
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| self.classify(e))?;
            if (receiving.len() + chunk.len()) as u64 > self.max_body {
                // Dropping the stream closes the connection: a gzip bomb stops inflating here.
                return Err(self.too_large());
            }
            receiving.push(&chunk);
            if let (Some(ahead), Some(body)) = (&mut ahead, receiving.new_so_far()) {
                ahead.catch_up(body);
            }
        }
        Ok(Some(Downloaded {
            body: receiving.finish(),
            validators,
            ahead,
        }))
    }

    fn too_large(&self) -> PollError {
        PollError::TooLarge {
            limit_mb: self.max_body_mb,
        }
    }

    fn auth_hint(&self, status: StatusCode) -> &'static str {
        match (self.authorization.is_some(), status) {
            (false, _) => "no token is configured; set ROLLOUT_DASH_TOKEN or feed.token_file",
            (true, StatusCode::UNAUTHORIZED) => {
                "the token was refused (wrong or expired); check ROLLOUT_DASH_TOKEN or feed.token_file"
            }
            (true, _) => "the token is not allowed to read this feed; ask the feed's owner",
        }
    }

    /// Sorts a reqwest error into a [`PollError`] by walking its source chain.
    fn classify(&self, error: reqwest::Error) -> PollError {
        let error = error.without_url();
        if let Some(tls) = find_tls(&error) {
            let hint = match (tls, self.has_ca_file) {
                (rustls::Error::InvalidCertificate(_), false) => {
                    "; if the feed uses a private CA, name it in feed.ca_file"
                }
                (rustls::Error::InvalidCertificate(_), true) => {
                    "; feed.ca_file does not hold the CA that signed the feed's certificate"
                }
                _ => "",
            };
            return PollError::Tls(format!("{tls}{hint}"));
        }
        if error.is_timeout() {
            return if error.is_connect() {
                PollError::Timeout(self.connect_timeout)
            } else {
                PollError::Stalled(self.read_timeout)
            };
        }
        // reqwest reports every failure while reading a body as a decode
        // error, a connection that broke too; corrupt compressed data is the
        // one that comes up as an InvalidData io::Error (TLS is caught above).
        let bad_data = chain(&error).into_iter().any(|e| {
            e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::InvalidData)
        });
        if error.is_decode() && bad_data {
            return PollError::Body(describe(&error));
        }
        PollError::Connect(describe(&error))
    }
}

/// A downloaded body, its validators, and its stores being parsed.
struct Downloaded {
    body: Received,
    validators: Validators,
    ahead: Option<ParseAhead>,
}

/// A body as received.
enum Received {
    /// The last good body, byte for byte (its blocks hashed as the last
    /// good one's as they arrived).
    LastGood(Vec<u8>),
    /// Any other body: new, or the last good one not compared.
    New(Vec<u8>),
}

/// A new body after its hash and parse.
enum Parsed {
    /// It hashes as the last good body: not parsed.
    Same(Vec<u8>),
    New(Box<Snapshot>, Vec<u8>, BodyId),
}

/// A body as it arrives, received into a buffer that may hold the last
/// good body. While the new body's blocks hash as the last good one's,
/// nothing is copied and the buffer is not read: a feed without ETags
/// costs a hash of the bytes as they arrive (still in the cache), not a
/// copy of tens of MiB. At the first block that differs, that block and the
/// rest are written over the buffer, after the blocks that agreed, which
/// are already in place.
struct Receiving<'last> {
    body: Vec<u8>,
    /// While the body agrees with the last good one: how far, and that
    /// body's id.
    agreeing: Option<Agreeing<'last>>,
}

/// How far a body agrees with the last good one.
struct Agreeing<'last> {
    last: &'last BodyId,
    key: BodyKey,
    /// Whole blocks received, all agreeing.
    blocks: usize,
    /// The start of the next block, when a chunk ended inside it.
    partial: Vec<u8>,
}

impl<'last> Receiving<'last> {
    /// Receives into `buffer`, whatever it holds.
    fn fresh(mut buffer: Vec<u8>) -> Self {
        buffer.clear();
        Receiving {
            body: buffer,
            agreeing: None,
        }
    }

    /// Receives over `last_good`, the last good body, whose id is `last`.
    fn over(last_good: Vec<u8>, last: &'last BodyId, key: &BodyKey) -> Self {
        debug_assert_eq!(last_good.len(), last.len);
        Receiving {
            body: last_good,
            agreeing: Some(Agreeing {
                last,
                key: key.clone(),
                blocks: 0,
                partial: Vec::new(),
            }),
        }
    }

    /// Bytes received so far.
    fn len(&self) -> usize {
        match &self.agreeing {
            Some(agreeing) => agreeing.blocks * BLOCK + agreeing.partial.len(),
            None => self.body.len(),
        }
    }

    /// Room for `additional` bytes where the body is written.
    fn reserve(&mut self, additional: usize) {
        if self.agreeing.is_none() {
            self.body.reserve(additional);
        }
    }

    /// Takes the next bytes of the body.
    fn push(&mut self, mut bytes: &[u8]) {
        let Some(agreeing) = &mut self.agreeing else {
            self.body.extend_from_slice(bytes);
            return;
        };
        while !bytes.is_empty() {
            // A block whole in this chunk is hashed where it is; one cut
            // between chunks is put together first.
            let block = if agreeing.partial.is_empty() && bytes.len() >= BLOCK {
                let (block, rest) = bytes.split_at(BLOCK);
                bytes = rest;
                block
            } else {
                let take = (BLOCK - agreeing.partial.len()).min(bytes.len());
                agreeing.partial.extend_from_slice(&bytes[..take]);
                bytes = &bytes[take..];
                if agreeing.partial.len() < BLOCK {
                    return;
                }
                &agreeing.partial[..]
            };
            if agreeing.last.block(agreeing.blocks, BLOCK) == Some(agreeing.key.block(block)) {
                agreeing.blocks += 1;
                agreeing.partial.clear();
                continue;
            }
            // The document changed in this block: it and the rest are new.
            self.body.truncate(agreeing.blocks * BLOCK);
            self.body.extend_from_slice(block);
            self.body.extend_from_slice(bytes);
            self.agreeing = None;
            return;
        }
    }

    /// The body received so far, unless it is still the last good one's start.
    fn new_so_far(&self) -> Option<&[u8]> {
        self.agreeing.is_none().then_some(&self.body[..])
    }

    /// The whole body, all of it received.
    fn finish(mut self) -> Received {
        let Some(agreeing) = self.agreeing.take() else {
            return Received::New(self.body);
        };
        let tail = &agreeing.partial;
        let whole = agreeing.blocks * BLOCK + tail.len() == agreeing.last.len;
        if whole
            && (tail.is_empty()
                || agreeing.last.block(agreeing.blocks, tail.len())
                    == Some(agreeing.key.block(tail)))
        {
            return Received::LastGood(self.body);
        }
        // Shorter, or its last block differs.
        self.body.truncate(agreeing.blocks * BLOCK);
        self.body.extend_from_slice(tail);
        Received::New(self.body)
    }
}

/// A header value we may send back, if the server's text is a valid one.
fn header_value(text: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(text).ok()
}

/// The largest `feed.ca_file` read.
const MAX_CA_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Reads `feed.ca_file`: one or more PEM certificates.
fn read_ca_file(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, SetupError> {
    let error = |message: String| SetupError::CaFile {
        path: path.to_owned(),
        message,
    };
    // A system bundle is about 200 KiB; a FIFO or a device is never a CA file.
    let pem = crate::settings::read_regular_file(path, MAX_CA_FILE_BYTES)
        .map_err(|e| match e {
            crate::settings::FileError::Io(e) => error(format!("cannot read it: {e}")),
            other => error(other.to_string()),
        })?
        .bytes;
    // from_pem_bundle parses now (from_pem would defer all checks to build())
    // and lets a file hold a chain.
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| error(format!("not a PEM certificate: {}", describe(&e))))?;
    if certs.is_empty() {
        return Err(error(
            "no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    Ok(certs)
}

/// Parses `Retry-After`: delay-seconds or an HTTP date (a past date is zero).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Every error in the chain, the error itself first. `io::Error::source`
/// skips the error it wraps, so the walk steps into it instead.
fn chain<'a>(error: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut all = Vec::new();
    let mut next = Some(error);
    while let Some(current) = next {
        all.push(current);
        next = match current
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => current.source(),
        };
    }
    all
}

/// The rustls error in a chain, if TLS is what failed.
fn find_tls<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    chain(error)
        .into_iter()
        .find_map(|e| e.downcast_ref::<rustls::Error>())
}

/// One line from an error chain: what each layer adds, outermost first.
/// reqwest's and hyper-util's wrappers ("error sending request", "client
/// error (Connect)") say nothing the classification has not said already.
fn describe(error: &(dyn StdError + 'static)) -> String {
    let all = chain(error);
    let mut parts: Vec<String> = Vec::new();
    for (i, e) in all.iter().enumerate() {
        let is_last = i + 1 == all.len();
        let wrapper = e.is::<reqwest::Error>() || e.to_string().starts_with("client error (");
        if wrapper && !is_last {
            continue;
        }
        let text = e.to_string();
        // io::Error repeats the message of the error it wraps.
        if text.is_empty() || parts.iter().any(|p| p.contains(&text)) {
            continue;
        }
        parts.push(text);
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(90))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(90));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    fn bytes(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 % 251) as u8).collect()
    }

    #[test]
    fn one_changed_byte_changes_the_body_id() {
        let key = BodyKey::default();
        let body = bytes(3 * BLOCK + 17);
        let id = BodyId::of(&key, &body);
        assert_eq!(BodyId::of(&key, &body.clone()), id);
        for at in [0, 1, BLOCK - 1, BLOCK, 3 * BLOCK, body.len() - 1] {
            let mut other = body.clone();
            other[at] ^= 1;
            assert_ne!(BodyId::of(&key, &other), id, "byte {at}");
        }
        assert_ne!(BodyId::of(&key, &body[..body.len() - 1]), id);
        assert_ne!(BodyId::of(&key, &body[..3 * BLOCK]), id);
    }

    /// What `Receiving` makes of `new` over `last_good` (or over an
    /// unrelated buffer), cut every `cut` bytes.
    fn receive(last_good: Option<&[u8]>, new: &[u8], cut: usize) -> (Vec<u8>, bool) {
        let key = BodyKey::default();
        let id = last_good.map(|body| BodyId::of(&key, body));
        let mut receiving = match (last_good, &id) {
            (Some(body), Some(id)) => Receiving::over(body.to_vec(), id, &key),
            _ => Receiving::fresh(b"left over from an earlier poll".to_vec()),
        };
        for piece in new.chunks(cut) {
            receiving.push(piece);
            assert!(receiving.len() <= new.len());
        }
        assert_eq!(receiving.len(), new.len());
        match receiving.finish() {
            Received::LastGood(body) => (body, true),
            Received::New(body) => (body, false),
        }
    }

    #[test]
    fn a_body_received_over_the_last_good_one_is_exactly_what_arrived() {
        for last in [bytes(3 * BLOCK + 17), bytes(2 * BLOCK), bytes(100)] {
            let len = last.len();
            let mut bodies = vec![
                (last.clone(), "the same"),
                (last[..len - 1].to_vec(), "one byte shorter"),
                (
                    last[..len.saturating_sub(BLOCK)].to_vec(),
                    "a block shorter",
                ),
                (last[..1].to_vec(), "its first byte"),
                (Vec::new(), "empty"),
                ([&last[..], b"!"].concat(), "one byte longer"),
                ([&last[..], &bytes(BLOCK)].concat(), "a block longer"),
                ([&last[..], &last[..]].concat(), "twice as long"),
            ];
            for at in [0, 1, BLOCK - 1, BLOCK, 2 * BLOCK + 5, len - 1] {
                if at < len {
                    let mut other = last.clone();
                    other[at] ^= 1;
                    bodies.push((other, "one byte changed"));
                }
            }
            for (new, what) in &bodies {
                for cut in [1, 7, 4_096, BLOCK - 1, BLOCK, BLOCK + 1, 200_000] {
                    let what = format!("{what} ({len} bytes), cut every {cut}");
                    let (body, same) = receive(Some(&last), new, cut);
                    assert!(&body == new, "{what}");
                    assert_eq!(same, new == &last, "{what}");
                    // Without a last good body: the same bytes, never "the same".
                    assert!(receive(None, new, cut) == (new.clone(), false), "{what}");
                }
            }
        }
    }

    #[test]
    fn describe_skips_repeated_messages() {
        let inner = std::io::Error::other("boom");
        assert_eq!(describe(&inner), "boom");
    }
}
