//! HTTPS, the corporate CA file and proxies, with real parts: certificates
//! made at test time with rcgen, a rustls server on 127.0.0.1, and the real
//! binary sent through an HTTP proxy by the environment.
//!
//! What it proves:
//! - a feed whose certificate comes from a private CA fails as
//!   [`PollError::Tls`], with a message that points at `feed.ca_file`;
//! - naming that CA in `feed.ca_file` makes the same feed poll cleanly;
//! - another CA in `feed.ca_file`, even one with the same name, does not;
//! - `rollout-dash report` goes through the proxy in `HTTP_PROXY` (the feed's
//!   own host is never resolved), and `NO_PROXY` takes it off that path.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use rollout_dash::config::{FeedConfig, Seconds};
use rollout_dash::feed::client::{FeedClient, PollError, PollResult};
use rollout_dash::feed::demo::DEMO_FEED_JSON;

/// Cities in the demo feed.
const DEMO_CITIES: usize = 21;

/// What both servers here answer to any request: the demo feed.
fn demo_response() -> Vec<u8> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        DEMO_FEED_JSON.len()
    );
    [head.as_bytes(), DEMO_FEED_JSON.as_bytes()].concat()
}

// ---------------------------------------------------------------------------
// HTTPS

/// A certificate authority made for one test.
struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Ca {
    /// A fresh CA (a new key) called `name`.
    fn new(name: &str) -> Ca {
        let mut params = CertificateParams::default();
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        Ca { issuer }
    }

    /// The CA certificate, as a `feed.ca_file` holds it.
    fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A server certificate for `localhost` and `127.0.0.1` signed by this CA, and its key.
    fn leaf(&self) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
        let mut params =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        (cert.der().clone(), key.into())
    }
}

/// A feed over HTTPS on 127.0.0.1 whose certificate `ca` signed; stops on drop.
struct HttpsFeed {
    url: String,
    task: JoinHandle<()>,
}

impl Drop for HttpsFeed {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl HttpsFeed {
    async fn start(ca: &Ca) -> HttpsFeed {
        let (cert, key) = ca.leaf();
        // The provider is named here, not taken from a process-wide default.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("https://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A client that refuses the certificate ends the handshake here.
                    if let Ok(tls) = acceptor.accept(stream).await {
                        let _ = answer(tls).await;
                    }
                });
            }
        });
        HttpsFeed { url, task }
    }
}

/// Reads one request's head, answers with the demo feed and closes.
async fn answer(stream: impl AsyncRead + AsyncWrite + Unpin) -> std::io::Result<()> {
    let mut stream = tokio::io::BufReader::new(stream);
    let mut line = String::new();
    while stream.read_line(&mut line).await? > 0 && line != "\r\n" {
        line.clear();
    }
    stream.write_all(&demo_response()).await?;
    stream.shutdown().await
}

/// Polls `url` once, trusting the CA in `ca_pem` on top of the system's roots.
async fn poll(url: &str, ca_pem: Option<&str>) -> Result<PollResult, PollError> {
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca_pem.map(|pem| {
        let path = dir.path().join("corporate-ca.pem");
        std::fs::write(&path, pem).unwrap();
        path
    });
    let config = FeedConfig {
        connect_timeout: Seconds(Duration::from_secs(2)),
        timeout: Seconds(Duration::from_secs(5)),
        ca_file,
        cache: false,
        ..FeedConfig::default()
    };
    FeedClient::new(url, &config, None)
        .expect("the client builds")
        .poll()
        .await
}

/// Asserts a TLS failure that tells the user what to do about it.
fn assert_certificate_error(result: Result<PollResult, PollError>) {
    let error = match result {
        Err(error @ PollError::Tls(_)) => error,
        other => panic!("expected a TLS error, got {other:?}"),
    };
    let message = error.to_string();
    assert!(message.contains("TLS"), "{message}");
    assert!(message.contains("certificate"), "{message}");
    assert!(message.contains("feed.ca_file"), "{message}");
}

#[tokio::test]
async fn a_private_ca_is_a_tls_error_that_names_feed_ca_file() {
    let ca = Ca::new("Rollout Test Root CA");
    let feed = HttpsFeed::start(&ca).await;
    assert_certificate_error(poll(&feed.url, None).await);
}

#[tokio::test]
async fn the_ca_in_feed_ca_file_is_trusted() {
    let ca = Ca::new("Rollout Test Root CA");
    let feed = HttpsFeed::start(&ca).await;
    match poll(&feed.url, Some(&ca.pem())).await {
        Ok(PollResult::Fresh(snapshot)) => {
            assert_eq!(snapshot.document.cities.len(), DEMO_CITIES)
        }
        other => panic!("expected the demo feed, got {other:?}"),
    }
}

#[tokio::test]
async fn another_ca_in_feed_ca_file_is_not_trusted() {
    let ca = Ca::new("Rollout Test Root CA");
    // Same name, another key: only the signature tells them apart.
    let impostor = Ca::new("Rollout Test Root CA");
    let feed = HttpsFeed::start(&ca).await;
    assert_certificate_error(poll(&feed.url, Some(&impostor.pem())).await);
}

// ---------------------------------------------------------------------------
// Proxies

/// The feed as the report names it; `.invalid` never resolves, so only a
/// proxy can reach it.
const UNRESOLVABLE_FEED: &str = "http://feed.invalid:8080";

/// An HTTP proxy on 127.0.0.1 that records each request line and answers
/// every request with the demo feed, as if it had forwarded it.
struct Proxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    /// Its thread waits in `accept` until the test process ends.
    fn start() -> Proxy {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = reader.lines().map_while(Result::ok);
                if let Some(line) = head.next() {
                    record.lock().unwrap().push(line);
                }
                // The rest of the head, up to the blank line.
                head.take_while(|line| !line.is_empty()).for_each(drop);
                let _ = stream.write_all(&demo_response());
            }
        });
        Proxy { url, seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// `rollout-dash report --format json` on `feed` with a clean environment plus `env`.
fn report(feed: &str, env: &[(&str, &str)], home: &Path) -> Output {
    let mut cmd = Command::new(common::BIN);
    cmd.args(["report", "--feed", feed, "--format", "json"])
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_STATE_HOME", home.join("state"))
        .envs(env.iter().copied())
        .stdin(Stdio::null());
    cmd.output().unwrap()
}

/// Both spellings: which one a client reads differs from client to client.
fn proxy_env<'a>(proxy: &'a Proxy, no_proxy: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    let mut env = vec![
        ("HTTP_PROXY", proxy.url.as_str()),
        ("http_proxy", &proxy.url),
    ];
    if let Some(hosts) = no_proxy {
        env.extend([("NO_PROXY", hosts), ("no_proxy", hosts)]);
    }
    env
}

#[test]
fn report_reaches_the_feed_through_http_proxy() {
    let proxy = Proxy::start();
    let home = tempfile::tempdir().unwrap();
    let output = report(UNRESOLVABLE_FEED, &proxy_env(&proxy, None), home.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    let json: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(json["feed"], UNRESOLVABLE_FEED);
    assert_eq!(json["cities"].as_array().unwrap().len(), DEMO_CITIES);
    assert_eq!(
        proxy.seen(),
        ["GET http://feed.invalid:8080/v1/snapshot HTTP/1.1"],
        "one request, in absolute form"
    );
}

#[test]
fn no_proxy_takes_the_feed_off_the_proxy() {
    let proxy = Proxy::start();
    let home = tempfile::tempdir().unwrap();
    let env = proxy_env(&proxy, Some("feed.invalid"));
    let output = report(UNRESOLVABLE_FEED, &env, home.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains("cannot reach the feed"), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
}

#[test]
fn local_feeds_never_go_through_the_proxy() {
    let proxy = Proxy::start();
    let server = common::Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    // A local `serve`, by IP and by name: a proxy could not reach either.
    let by_name = server.url.replace("127.0.0.1", "localhost");
    for feed in [server.url.as_str(), by_name.as_str()] {
        let output = report(feed, &proxy_env(&proxy, None), home.path());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{feed}: {stderr}");
    }
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
}
