//! The feed client, the poller and the cache against a fault-injecting HTTP
//! server written here: raw HTTP/1.1 on 127.0.0.1, so it can misbehave in
//! every way a real feed (or a proxy in front of it) might.

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use chrono::Utc;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use rollout_dash::config::{FeedConfig, RulesConfig, Seconds, Token};
use rollout_dash::feed::cache;
use rollout_dash::feed::client::{FeedClient, PollError, PollResult, SetupError, Validators};
use rollout_dash::feed::schedule::Schedule;
use rollout_dash::feed::snapshot::parse_document;
use rollout_dash::feed::{DocumentError, Snapshot};
use rollout_dash::worker::{self, FeedEvent, PollerCommand, PollerHandle};

// ---------------------------------------------------------------------------
// The server

/// A request as the server saw it.
#[derive(Clone, Debug)]
struct Request {
    line: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One thing the server does on a connection; it closes the connection after the last.
enum Step {
    Send(Vec<u8>),
    Sleep(Duration),
    /// Sends these bytes one at a time, pausing after each.
    Drip(Vec<u8>, Duration),
    /// Sends `total` bytes of `fill` in 64 KiB pieces (stops when the client hangs up).
    Flood {
        total: usize,
        fill: u8,
    },
}

type Handler = dyn Fn(&Request) -> Vec<Step> + Send + Sync;

struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    task: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    async fn start(handler: impl Fn(&Request) -> Vec<Step> + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let seen = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let handler = Arc::clone(&handler);
                let seen = Arc::clone(&seen);
                tokio::spawn(serve_connection(stream, handler, seen));
            }
        });
        Server {
            addr,
            requests,
            task,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

async fn serve_connection(
    mut stream: TcpStream,
    handler: Arc<Handler>,
    seen: Arc<Mutex<Vec<Request>>>,
) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let line = lines.next().unwrap_or_default().to_owned();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let request = Request { line, headers };
    let steps = handler(&request);
    seen.lock().unwrap().push(request);
    for step in steps {
        let ok = match step {
            Step::Send(bytes) => stream.write_all(&bytes).await.is_ok(),
            Step::Sleep(d) => {
                tokio::time::sleep(d).await;
                true
            }
            Step::Drip(bytes, pause) => {
                let mut ok = true;
                for byte in bytes {
                    if stream.write_all(&[byte]).await.is_err() {
                        ok = false;
                        break;
                    }
                    tokio::time::sleep(pause).await;
                }
                ok
            }
            Step::Flood { total, fill } => {
                let piece = vec![fill; 64 * 1024];
                let mut sent = 0;
                let mut ok = true;
                while sent < total {
                    let n = piece.len().min(total - sent);
                    if stream.write_all(&piece[..n]).await.is_err() {
                        ok = false;
                        break;
                    }
                    sent += n;
                }
                ok
            }
        };
        if !ok {
            return;
        }
    }
    let _ = stream.shutdown().await;
}

/// A status line and headers (with `Connection: close`), then a blank line.
fn head(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        304 => "Not Modified",
        401 => "Unauthorized",
        403 => "Forbidden",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Whatever",
    };
    let mut out = format!("HTTP/1.1 {status} {reason}\r\nConnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// A complete response with a Content-Length.
fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<Step> {
    let length = body.len().to_string();
    let mut all: Vec<(&str, &str)> = headers.to_vec();
    all.push(("Content-Length", &length));
    let mut bytes = head(status, &all);
    bytes.extend_from_slice(body);
    vec![Step::Send(bytes)]
}

/// 200 with a JSON body and these extra headers.
fn json_response(body: &[u8], headers: &[(&str, &str)]) -> Vec<Step> {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    response(200, &all, body)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

// ---------------------------------------------------------------------------
// Fixtures

/// A small valid v1 document.
fn doc() -> Value {
    json!({
        "schema_version": 1,
        "generated_at": "2024-01-15T08:00:00Z",
        "program": { "name": "Test rollout", "display_vehicle_deadline": "2024-03-31" },
        "cities": [{
            "id": "suzhou", "name": "Suzhou", "local_name": "苏州", "province": "Jiangsu",
            "location": { "lat": 31.299, "lon": 120.585 },
            "recruitment": { "status": "open", "target_stores": 3 }
        }],
        "partners": [{
            "id": "ganghong", "name": "Sichuan Ganghong Group", "tier": "top100",
            "brands": ["Lexus"], "luxury_experience": true, "nev_experience": true,
            "agreement": { "stage": "intention", "signed_on": "2023-12-29" },
            "cities": ["suzhou"]
        }],
        "stores": [{
            "id": "sz-2s-01", "city": "suzhou", "kind": "sales_service_2s", "channel": "agency",
            "operator": "ganghong", "name": "Suzhou Industrial Park 2S", "district": "SIP",
            "location": { "lat": 31.31, "lon": 120.67 },
            "renovation": { "phase": "construction", "percent": 45, "planned_open": "2024-03-20" }
        }],
        "warnings": []
    })
}

fn body_of(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

fn doc_named(name: &str) -> Vec<u8> {
    let mut value = doc();
    value["program"]["name"] = json!(name);
    body_of(&value)
}

/// Short timeouts and a 1 MiB cap keep the tests fast.
fn config() -> FeedConfig {
    FeedConfig {
        connect_timeout: Seconds(Duration::from_secs(2)),
        read_timeout: Seconds(Duration::from_millis(800)),
        timeout: Seconds(Duration::from_secs(2)),
        max_body_mb: 1,
        max_retry_after: Seconds(Duration::from_secs(600)),
        cache: false,
        ..FeedConfig::default()
    }
}

fn client(server: &Server) -> FeedClient {
    FeedClient::new(&server.url(), &config(), None).unwrap()
}

const SECRET: &str = "s3cr3t-T0KEN-never-shown";

async fn poll_error(client: &mut FeedClient) -> PollError {
    match client.poll().await {
        Ok(result) => panic!("expected an error, got {result:?}"),
        Err(error) => error,
    }
}

/// Polls once against a server that always answers with `steps()`.
async fn error_for(steps: impl Fn() -> Vec<Step> + Send + Sync + 'static) -> PollError {
    let server = Server::start(move |_| steps()).await;
    poll_error(&mut client(&server)).await
}

fn document_error(error: PollError) -> DocumentError {
    match error {
        PollError::Document(e) => e,
        other => panic!("expected a document error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Conditional requests, headers, gzip

#[tokio::test]
async fn a_304_round_trip_uses_the_etag() {
    let server = Server::start(|request| {
        if request.header("If-None-Match") == Some("\"v1\"") {
            response(304, &[("ETag", "\"v1\"")], b"")
        } else {
            json_response(&body_of(&doc()), &[("ETag", "\"v1\"")])
        }
    })
    .await;
    let mut client = client(&server);
    match client.poll().await.unwrap() {
        PollResult::Fresh(snapshot) => {
            assert_eq!(snapshot.document.program.name.as_str(), "Test rollout")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        client.poll().await.unwrap(),
        PollResult::NotModified
    ));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].line, "GET /v1/snapshot HTTP/1.1");
    assert_eq!(requests[0].header("If-None-Match"), None);
    assert_eq!(requests[1].header("If-None-Match"), Some("\"v1\""));
}

#[tokio::test]
async fn if_modified_since_is_sent_when_only_last_modified_was_given() {
    const DATE: &str = "Mon, 15 Jan 2024 08:00:00 GMT";
    let server = Server::start(|request| {
        if request.header("If-Modified-Since") == Some(DATE) {
            response(304, &[], b"")
        } else {
            json_response(&body_of(&doc()), &[("Last-Modified", DATE)])
        }
    })
    .await;
    let mut client = client(&server);
    assert!(matches!(client.poll().await.unwrap(), PollResult::Fresh(_)));
    assert!(matches!(
        client.poll().await.unwrap(),
        PollResult::NotModified
    ));
    let second = &server.requests()[1];
    assert_eq!(second.header("If-Modified-Since"), Some(DATE));
    assert_eq!(second.header("If-None-Match"), None);
}

#[tokio::test]
async fn validators_of_a_bad_document_are_not_remembered() {
    let server =
        Server::start(|_| json_response(b"{\"schema_version\": 1", &[("ETag", "\"bad\"")])).await;
    let mut client = client(&server);
    assert!(matches!(
        poll_error(&mut client).await,
        PollError::Document(_)
    ));
    assert!(matches!(
        poll_error(&mut client).await,
        PollError::Document(_)
    ));
    assert_eq!(server.requests()[1].header("If-None-Match"), None);
    assert_eq!(client.validators(), &Validators::default());
}

#[tokio::test]
async fn the_client_names_itself_and_offers_gzip() {
    let server = Server::start(|_| json_response(&body_of(&doc()), &[])).await;
    client(&server).poll().await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(
        request.header("User-Agent"),
        Some(concat!("rollout-dash/", env!("CARGO_PKG_VERSION")))
    );
    assert!(
        request
            .header("Accept-Encoding")
            .is_some_and(|v| v.contains("gzip")),
        "{request:?}"
    );
    assert_eq!(request.header("Authorization"), None);
}

#[tokio::test]
async fn a_gzipped_body_is_decompressed() {
    let compressed = gzip(&body_of(&doc()));
    let server = Server::start(move |_| {
        json_response(
            &compressed,
            &[("Content-Encoding", "gzip"), ("ETag", "\"z\"")],
        )
    })
    .await;
    let mut client = client(&server);
    assert!(matches!(client.poll().await.unwrap(), PollResult::Fresh(_)));
    assert_eq!(client.validators().etag.as_deref(), Some("\"z\""));
}

// ---------------------------------------------------------------------------
// Auth and the token

#[tokio::test]
async fn the_token_is_sent_but_never_shown() {
    let server = Server::start(|_| response(401, &[("WWW-Authenticate", "Bearer")], b"no")).await;
    let token = Token::new(SECRET).unwrap();
    let mut client = FeedClient::new(&server.url(), &config(), Some(token.clone())).unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");

    let error = poll_error(&mut client).await;
    match &error {
        PollError::Auth { status: 401, hint } => assert!(hint.contains("refused"), "{hint}"),
        other => panic!("{other:?}"),
    }
    let expected = format!("Bearer {SECRET}");
    assert_eq!(
        server.requests()[0].header("Authorization"),
        Some(expected.as_str())
    );

    // Whatever goes wrong, no message carries the token.
    let mut messages = vec![error.to_string(), format!("{error:?}")];
    let failing = [
        Server::start(|_| response(500, &[], b"oops")).await,
        Server::start(|_| response(429, &[("Retry-After", "3")], b"")).await,
        Server::start(|_| json_response(b"<html>", &[])).await,
        Server::start(|_| vec![Step::Sleep(Duration::from_secs(5))]).await,
        Server::start(|_| response(403, &[], b"")).await,
    ];
    for server in &failing {
        let mut client = FeedClient::new(&server.url(), &config(), Some(token.clone())).unwrap();
        let error = poll_error(&mut client).await;
        messages.push(error.to_string());
        messages.push(format!("{error:?}"));
        messages.push(format!("{client:?}"));
    }
    let refused = refused_url().await;
    let mut client = FeedClient::new(&refused, &config(), Some(token)).unwrap();
    let error = poll_error(&mut client).await;
    messages.push(error.to_string());
    for message in messages {
        assert!(!message.contains(SECRET), "{message}");
    }
}

#[tokio::test]
async fn auth_failures_say_whether_a_token_was_configured() {
    let error = error_for(|| response(403, &[], b"")).await;
    match &error {
        PollError::Auth { status: 403, hint } => {
            assert!(hint.contains("no token"), "{hint}");
            assert!(hint.contains("ROLLOUT_DASH_TOKEN"), "{hint}");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("403"), "{error}");
}

#[tokio::test]
async fn a_token_that_cannot_be_a_header_is_a_setup_error() {
    let token = Token::new("bad\ntoken").unwrap();
    let error = FeedClient::new("http://127.0.0.1:1", &config(), Some(token)).unwrap_err();
    assert!(matches!(error, SetupError::Token), "{error:?}");
    assert!(!error.to_string().contains("bad"), "{error}");
}

// ---------------------------------------------------------------------------
// Statuses

#[tokio::test]
async fn busy_with_retry_after_in_seconds() {
    let error = error_for(|| response(429, &[("Retry-After", "7")], b"slow down")).await;
    match &error {
        PollError::Busy {
            status: 429,
            retry_after,
        } => assert_eq!(*retry_after, Some(Duration::from_secs(7))),
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("retry after 7s"), "{error}");
}

#[tokio::test]
async fn busy_with_retry_after_as_an_http_date() {
    let error = error_for(|| {
        let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        response(503, &[("Retry-After", &date)], b"")
    })
    .await;
    match error {
        PollError::Busy {
            status: 503,
            retry_after: Some(wait),
        } => assert!(
            wait >= Duration::from_secs(115) && wait <= Duration::from_secs(120),
            "{wait:?}"
        ),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn retry_after_is_capped_and_may_be_absent() {
    let error = error_for(|| response(503, &[("Retry-After", "86400")], b"")).await;
    assert!(
        matches!(error, PollError::Busy { retry_after: Some(d), .. } if d == Duration::from_secs(600)),
        "{error:?}"
    );
    let error = error_for(|| response(503, &[("Retry-After", "whenever")], b"")).await;
    assert!(
        matches!(
            error,
            PollError::Busy {
                retry_after: None,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn other_statuses_are_status_errors() {
    let error = error_for(|| response(500, &[], b"boom")).await;
    assert!(
        matches!(error, PollError::Status { status: 500 }),
        "{error:?}"
    );
    assert!(error.to_string().contains("500"), "{error}");
    let html = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";
    let error = error_for(move || response(502, &[("Content-Type", "text/html")], html)).await;
    assert!(
        matches!(error, PollError::Status { status: 502 }),
        "{error:?}"
    );
}

// ---------------------------------------------------------------------------
// Bodies that are not a v1 document

#[tokio::test]
async fn an_html_error_page_is_not_json() {
    let html = b"<!DOCTYPE html><html><body>Gateway error</body></html>";
    let error = document_error(
        error_for(move || response(200, &[("Content-Type", "text/html")], html)).await,
    );
    assert!(matches!(error, DocumentError::NotJson { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("not JSON"), "{message}");
    assert!(message.contains("<!DOCTYPE html"), "{message}");
}

#[tokio::test]
async fn a_truncated_document_is_refused() {
    let full = body_of(&doc());
    let cut = full[..full.len() / 2].to_vec();
    let error = document_error(error_for(move || json_response(&cut, &[])).await);
    let message = error.to_string();
    assert!(
        matches!(&error, DocumentError::Invalid { path, .. } if !path.contains('?')),
        "{error:?}"
    );
    assert!(message.contains("truncated"), "{message}");
}

#[tokio::test]
async fn a_top_level_array_is_refused_at_the_root() {
    let error = document_error(error_for(|| json_response(b"[1, 2, 3]", &[])).await);
    match &error {
        DocumentError::Invalid { path, .. } => assert_eq!(path, "$"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_missing_field_is_named_with_its_path() {
    let mut value = doc();
    value["stores"][0]
        .as_object_mut()
        .unwrap()
        .remove("renovation");
    let body = body_of(&value);
    let error = document_error(error_for(move || json_response(&body, &[])).await);
    match &error {
        DocumentError::Invalid { path, message } => {
            assert_eq!(path, "$.stores[0]");
            assert!(message.contains("renovation"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("$.stores[0]"), "{error}");
}

#[tokio::test]
async fn an_out_of_range_optional_number_is_a_data_warning_naming_the_field() {
    let mut value = doc();
    value["cities"][0]["recruitment"]["target_stores"] = json!(-3);
    let city = value["cities"][0]["id"].as_str().unwrap().to_owned();
    let body = body_of(&value);
    let server = Server::start(move |_| json_response(&body, &[])).await;
    let PollResult::Fresh(snapshot) = client(&server).poll().await.unwrap() else {
        panic!("expected a document: one bad optional field does not refuse it");
    };
    let warning = snapshot
        .data_warnings
        .iter()
        .find(|w| w.record == city.as_str())
        .expect("a data warning on the city");
    assert!(
        warning.message.contains("recruitment.target_stores") && warning.message.contains("-3"),
        "{warning:?}"
    );
    let recruitment = snapshot.city(&city).unwrap().recruitment.as_ref().unwrap();
    assert_eq!(recruitment.target_stores, None);
}

#[tokio::test]
async fn a_percent_out_of_range_is_a_data_warning_not_a_failure() {
    let mut value = doc();
    value["stores"][0]["renovation"]["percent"] = json!(150);
    let body = body_of(&value);
    let server = Server::start(move |_| json_response(&body, &[])).await;
    let PollResult::Fresh(snapshot) = client(&server).poll().await.unwrap() else {
        panic!("expected a document");
    };
    assert!(
        snapshot
            .data_warnings
            .iter()
            .any(|w| w.record == "sz-2s-01" && w.message.contains("150")),
        "{:?}",
        snapshot.data_warnings
    );
}

#[tokio::test]
async fn another_schema_version_names_both_versions() {
    let mut value = doc();
    value["schema_version"] = json!(2);
    value["cities"] = json!("a shape version 1 never had");
    let body = body_of(&value);
    let error = document_error(error_for(move || json_response(&body, &[])).await);
    assert!(
        matches!(&error, DocumentError::SchemaVersion { found, expected: 1 } if found == "2"),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("schema_version 2") && message.contains("schema_version 1"),
        "{message}"
    );
}

#[tokio::test]
async fn hostile_strings_are_made_safe() {
    let mut value = doc();
    value["cities"][0]["name"] = json!("Su\u{1b}[2J\u{1b}]0;pwned\u{7}zhou");
    value["partners"][0]["name"] = json!("Gang\u{9b}31mhong\u{85}");
    value["stores"][0]["name"] = json!("\u{202e}S2 kraP\u{2066}x\u{2069}");
    value["program"]["name"] = json!("Roll\u{0}out\r\n");
    let body = body_of(&value);
    let server = Server::start(move |_| json_response(&body, &[])).await;
    let PollResult::Fresh(snapshot) = client(&server).poll().await.unwrap() else {
        panic!("expected a document");
    };
    let texts = [
        snapshot.document.cities[0].name.as_str(),
        snapshot.document.partners[0].name.as_str(),
        snapshot.document.stores[0].name.as_str(),
        snapshot.document.program.name.as_str(),
    ];
    for text in texts {
        assert!(
            !text.chars().any(|c| c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
            "{text:?}"
        );
    }
    assert!(texts[0].starts_with("Su"), "{:?}", texts[0]);
}

// ---------------------------------------------------------------------------
// Size limits

#[tokio::test]
async fn a_declared_40_mb_body_is_refused() {
    const SIZE: usize = 40 * 1024 * 1024;
    let error = error_for(|| {
        let length = SIZE.to_string();
        vec![
            Step::Send(head(
                200,
                &[
                    ("Content-Type", "application/json"),
                    ("Content-Length", &length),
                ],
            )),
            Step::Flood {
                total: SIZE,
                fill: b' ',
            },
        ]
    })
    .await;
    assert!(
        matches!(error, PollError::TooLarge { limit_mb: 1 }),
        "{error:?}"
    );
    assert!(error.to_string().contains("feed.max_body_mb"), "{error}");
}

#[tokio::test]
async fn an_undeclared_40_mb_body_is_refused_while_streaming() {
    // No Content-Length: the body runs until the server closes the connection.
    let error = error_for(|| {
        vec![
            Step::Send(head(200, &[("Content-Type", "application/json")])),
            Step::Flood {
                total: 40 * 1024 * 1024,
                fill: b' ',
            },
        ]
    })
    .await;
    assert!(
        matches!(error, PollError::TooLarge { limit_mb: 1 }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_gzip_bomb_is_refused_at_the_cap() {
    // About 40 KB on the wire that inflates to 41 MiB of spaces.
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..41 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    assert!(bomb.len() < 512 * 1024, "{}", bomb.len());
    let error = error_for(move || json_response(&bomb, &[("Content-Encoding", "gzip")])).await;
    assert!(
        matches!(error, PollError::TooLarge { limit_mb: 1 }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_corrupt_gzip_body_is_a_body_error() {
    let mut compressed = gzip(&body_of(&doc()));
    let middle = compressed.len() / 2;
    compressed[middle..].iter_mut().for_each(|b| *b ^= 0x5a);
    let error =
        error_for(move || json_response(&compressed, &[("Content-Encoding", "gzip")])).await;
    assert!(matches!(error, PollError::Body(_)), "{error:?}");
    assert!(error.to_string().contains("decode"), "{error}");
}

// ---------------------------------------------------------------------------
// Timeouts and broken connections

#[tokio::test]
async fn a_dripping_body_fails_by_the_total_timeout() {
    // One byte every 500 ms never trips the 800 ms read timeout; the 2 s total does.
    let error = error_for(|| {
        let body = body_of(&doc());
        let length = body.len().to_string();
        vec![
            Step::Send(head(200, &[("Content-Length", &length)])),
            Step::Drip(body, Duration::from_millis(500)),
        ]
    })
    .await;
    assert!(
        matches!(error, PollError::Timeout(d) if d == Duration::from_secs(2)),
        "{error:?}"
    );
    assert!(error.to_string().contains("timed out"), "{error}");
}

#[tokio::test]
async fn a_stalled_body_fails_by_the_read_timeout() {
    let error = error_for(|| {
        vec![
            Step::Send(head(200, &[("Content-Length", "1000")])),
            Step::Send(b"{\"schema_version\"".to_vec()),
            Step::Sleep(Duration::from_secs(10)),
        ]
    })
    .await;
    assert!(
        matches!(error, PollError::Stalled(d) if d == Duration::from_millis(800)),
        "{error:?}"
    );
    assert!(error.to_string().contains("feed.read_timeout"), "{error}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let error = error_for(|| vec![Step::Sleep(Duration::from_secs(10))]).await;
    assert!(
        matches!(error, PollError::Stalled(_) | PollError::Timeout(_)),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_connection_dropped_mid_body_is_a_connect_error() {
    let error = error_for(|| {
        vec![Step::Send(
            [
                head(200, &[("Content-Length", "5000")]),
                b"{\"schema_".to_vec(),
            ]
            .concat(),
        )]
    })
    .await;
    assert!(matches!(error, PollError::Connect(_)), "{error:?}");
    assert!(error.to_string().contains("end of file"), "{error}");
}

/// A URL where nothing listens.
async fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let url = refused_url().await;
    let error = poll_error(&mut FeedClient::new(&url, &config(), None).unwrap()).await;
    assert!(matches!(error, PollError::Connect(_)), "{error:?}");
    assert!(error.to_string().contains("refused"), "{error}");
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_error() {
    // Answers in plain text at once, as an HTTP server does to a TLS hello.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
                .await;
        }
    });
    let mut client = FeedClient::new(&format!("https://{addr}"), &config(), None).unwrap();
    let error = poll_error(&mut client).await;
    task.abort();
    assert!(matches!(error, PollError::Tls(_)), "{error:?}");
    assert!(error.to_string().contains("TLS"), "{error}");
}

// ---------------------------------------------------------------------------
// Setup

#[test]
fn a_bad_ca_file_is_a_clear_setup_error() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("missing.pem", None),
        ("empty.pem", Some("not a certificate at all\n")),
        (
            "garbage.pem",
            Some("-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n"),
        ),
    ];
    for (name, content) in cases {
        let path = dir.path().join(name);
        if let Some(content) = content {
            std::fs::write(&path, content).unwrap();
        }
        let config = FeedConfig {
            ca_file: Some(path.clone()),
            ..config()
        };
        let error = FeedClient::new("https://feed.example", &config, None).unwrap_err();
        assert!(matches!(error, SetupError::CaFile { .. }), "{error:?}");
        let message = error.to_string();
        assert!(message.contains(name), "{message}");
        assert!(message.contains("feed.ca_file"), "{message}");
    }
}

#[test]
fn credentials_in_the_url_are_refused() {
    let error = FeedClient::new("http://user:pw@feed.example", &config(), None).unwrap_err();
    assert!(matches!(error, SetupError::Url(_)), "{error:?}");
    assert!(!error.to_string().contains("pw@"), "{error}");
}

#[test]
fn a_url_refused_for_another_reason_never_shows_its_credentials() {
    // Each is refused for something else first (port, scheme, syntax): the
    // message must still not repeat the user name or the password.
    for url in [
        "http://opsuser:hunter2pw@feed.example:99999/",
        "ftp://opsuser:hunter2pw@feed.example/",
        "opsuser:hunter2pw@feed.example:8080",
        "http:/opsuser:hunter2pw@feed.example:99999",
        "http://opsuser:hunter2pw@feed example/",
        "http://opsuser:hunter2pw@feed.example/",
        "https://opsuser@feed.example/",
    ] {
        let error = FeedClient::new(url, &config(), None).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, SetupError::Url(_)), "{url}: {error:?}");
        assert!(!message.contains("hunter2pw"), "{url}: {message}");
        assert!(!message.contains("opsuser"), "{url}: {message}");
    }
}

/// The request target the feed receives for a base URL (`path` follows
/// the server's address), and the URL the client says it polls.
async fn target_for(path: &str) -> (String, String) {
    let server = Server::start(|_| json_response(&body_of(&doc()), &[])).await;
    let base = format!("{}{path}", server.url());
    let mut client = FeedClient::new(&base, &config(), None).unwrap();
    let polled = client.snapshot_url();
    client
        .poll()
        .await
        .unwrap_or_else(|e| panic!("{base}: {e}"));
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{base}");
    let line = &requests[0].line;
    let target = line.split(' ').nth(1).unwrap_or_default().to_owned();
    let shown = polled
        .strip_prefix(&server.url())
        .unwrap_or_else(|| panic!("{polled} is not on {}", server.url()))
        .to_owned();
    (target, shown)
}

#[tokio::test]
async fn the_snapshot_url_keeps_a_path_prefix_and_the_query_and_drops_a_fragment() {
    let cases = [
        ("", "/v1/snapshot"),
        ("/", "/v1/snapshot"),
        ("/?env=prod", "/v1/snapshot?env=prod"),
        ("?env=prod", "/v1/snapshot?env=prod"),
        ("/#x", "/v1/snapshot"),
        ("#x", "/v1/snapshot"),
        ("/rollout/", "/rollout/v1/snapshot"),
        ("/rollout", "/rollout/v1/snapshot"),
        (
            "/rollout/?env=prod&region=east#top",
            "/rollout/v1/snapshot?env=prod&region=east",
        ),
        ("/gw/rollout?env=prod", "/gw/rollout/v1/snapshot?env=prod"),
        // Already the snapshot URL: used as it is.
        ("/v1/snapshot", "/v1/snapshot"),
        ("/v1/snapshot/", "/v1/snapshot"),
        (
            "/rollout/v1/snapshot?env=prod#x",
            "/rollout/v1/snapshot?env=prod",
        ),
    ];
    for (path, expected) in cases {
        let (target, shown) = target_for(path).await;
        assert_eq!(target, expected, "base URL ending {path:?}");
        assert_eq!(shown, expected, "the URL shown and cached for {path:?}");
    }
}

// ---------------------------------------------------------------------------
// The poller

/// A feed whose answer the test switches: a document name, or a failure.
#[derive(Clone)]
struct Switch(Arc<Mutex<Mode>>);

#[derive(Clone, Debug)]
enum Mode {
    /// 200 with this program name and ETag, 304 when asked with it.
    Doc(&'static str),
    /// 200 with this program name, the same ETag always, never 304.
    NoConditional(&'static str),
    Status(u16),
    Unauthorized,
    Busy(u64),
}

impl Switch {
    fn new(mode: Mode) -> Self {
        Switch(Arc::new(Mutex::new(mode)))
    }

    fn set(&self, mode: Mode) {
        *self.0.lock().unwrap() = mode;
    }

    async fn serve(&self) -> Server {
        let switch = self.clone();
        Server::start(move |request| {
            let mode = switch.0.lock().unwrap().clone();
            match mode {
                Mode::Doc(name) => {
                    let etag = format!("\"{name}\"");
                    if request.header("If-None-Match") == Some(etag.as_str()) {
                        response(304, &[("ETag", &etag)], b"")
                    } else {
                        json_response(&doc_named(name), &[("ETag", &etag)])
                    }
                }
                Mode::NoConditional(name) => {
                    json_response(&doc_named(name), &[("ETag", &format!("\"{name}\""))])
                }
                Mode::Status(status) => response(status, &[], b"no"),
                Mode::Unauthorized => response(401, &[], b""),
                Mode::Busy(secs) => response(429, &[("Retry-After", &secs.to_string())], b""),
            }
        })
        .await
    }
}

struct Running {
    events: mpsc::Receiver<FeedEvent>,
    poller: PollerHandle,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.poller.abort();
    }
}

fn schedule(interval: Duration) -> Schedule {
    Schedule {
        interval,
        max_backoff: Duration::from_secs(60),
        max_retry_after: Duration::from_secs(600),
    }
}

fn start_poller(server: &Server, schedule: Schedule, cache: Option<std::path::PathBuf>) -> Running {
    let (event_tx, events) = mpsc::channel(16);
    let poller = worker::spawn(
        client(server),
        schedule,
        RulesConfig::default(),
        event_tx,
        cache,
        rollout_dash::i18n::Lang::En,
    );
    Running { events, poller }
}

impl Running {
    async fn next(&mut self) -> FeedEvent {
        tokio::time::timeout(Duration::from_secs(10), self.events.recv())
            .await
            .expect("no event from the poller in 10 s")
            .expect("the poller stopped")
    }

    /// The next event that is not `Polling`.
    async fn outcome(&mut self) -> FeedEvent {
        loop {
            match self.next().await {
                FeedEvent::Polling => continue,
                other => return other,
            }
        }
    }

    /// The next `Fresh`, skipping failures (a backoff retry may come first).
    async fn fresh(&mut self) -> rollout_dash::worker::Fresh {
        loop {
            match self.outcome().await {
                FeedEvent::Fresh { fresh, .. } => return fresh,
                FeedEvent::Failed { .. } => continue,
                other => panic!("expected Fresh, got {other:?}"),
            }
        }
    }

    /// The next `Unchanged`.
    async fn unchanged(&mut self) {
        match self.outcome().await {
            FeedEvent::Unchanged { .. } => {}
            other => panic!("expected Unchanged, got {other:?}"),
        }
    }

    async fn command(&self, command: PollerCommand) {
        self.poller.send(command);
    }
}

fn program(fresh: &rollout_dash::worker::Fresh) -> &str {
    fresh.snapshot.document.program.name.as_str()
}

#[tokio::test]
async fn the_poller_reports_fresh_unchanged_failed_and_recovery() {
    use rollout_dash::app::{self, App, Display, Msg};

    let switch = Switch::new(Mode::Doc("v1"));
    let server = switch.serve().await;
    // A long interval: every poll after the first is asked for with PollNow.
    let mut poller = start_poller(&server, schedule(Duration::from_secs(600)), None);
    let mut app = App::new(
        "test".into(),
        false,
        Display {
            ascii: true,
            mono: true,
            ..Display::default()
        },
        Utc::now(),
    );

    assert!(matches!(poller.next().await, FeedEvent::Polling));
    let fresh = match poller.next().await {
        FeedEvent::Fresh { fresh, .. } => fresh,
        other => panic!("expected Fresh, got {other:?}"),
    };
    assert_eq!(program(&fresh), "v1");
    assert!(!fresh.analysis.cities.is_empty());
    app::update(
        &mut app,
        Msg::Feed(FeedEvent::Fresh {
            fresh,
            changes: Vec::new(),
        }),
    );

    poller.command(PollerCommand::PollNow).await;
    assert!(matches!(poller.next().await, FeedEvent::Polling));
    let event = poller.next().await;
    assert!(matches!(event, FeedEvent::Unchanged { .. }), "{event:?}");
    app::update(&mut app, Msg::Feed(event));

    switch.set(Mode::Status(500));
    poller.command(PollerCommand::PollNow).await;
    let event = poller.outcome().await;
    match &event {
        FeedEvent::Failed {
            error,
            at,
            next_try_at,
        } => {
            assert!(
                matches!(**error, PollError::Status { status: 500 }),
                "{error:?}"
            );
            assert!(next_try_at > at);
        }
        other => panic!("expected Failed, got {other:?}"),
    }
    // A failure carries no snapshot: the app keeps the last good one, marked stale.
    app::update(&mut app, Msg::Feed(event));
    assert_eq!(
        app.current
            .as_ref()
            .map(|c| program(c).to_owned())
            .as_deref(),
        Some("v1")
    );
    assert!(app.status.stale.is_some());

    switch.set(Mode::Doc("v2"));
    poller.command(PollerCommand::PollNow).await;
    let fresh = poller.fresh().await;
    assert_eq!(program(&fresh), "v2");
    app::update(
        &mut app,
        Msg::Feed(FeedEvent::Fresh {
            fresh,
            changes: Vec::new(),
        }),
    );
    assert!(app.status.stale.is_none());
    assert!(server.requests().len() >= 4);
}

#[tokio::test]
async fn the_poller_polls_on_its_own_at_the_interval() {
    let switch = Switch::new(Mode::Doc("v1"));
    let server = switch.serve().await;
    let mut poller = start_poller(&server, schedule(Duration::from_millis(100)), None);
    assert!(matches!(poller.outcome().await, FeedEvent::Fresh { .. }));
    assert!(matches!(
        poller.outcome().await,
        FeedEvent::Unchanged { .. }
    ));
    assert!(matches!(
        poller.outcome().await,
        FeedEvent::Unchanged { .. }
    ));
}

#[tokio::test]
async fn pause_stops_polling_until_resumed() {
    let switch = Switch::new(Mode::Doc("v1"));
    let server = switch.serve().await;
    let mut poller = start_poller(&server, schedule(Duration::from_millis(100)), None);
    assert!(matches!(poller.outcome().await, FeedEvent::Fresh { .. }));
    poller.command(PollerCommand::Pause(true)).await;
    // Let any poll already under way finish, then count.
    tokio::time::sleep(Duration::from_millis(300)).await;
    while poller.events.try_recv().is_ok() {}
    let before = server.requests().len();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(server.requests().len(), before, "polled while paused");
    assert!(poller.events.try_recv().is_err());
    poller.command(PollerCommand::Pause(false)).await;
    assert!(matches!(
        poller.outcome().await,
        FeedEvent::Unchanged { .. }
    ));
}

#[tokio::test]
async fn auth_failures_wait_at_least_the_interval() {
    let switch = Switch::new(Mode::Unauthorized);
    let server = switch.serve().await;
    let interval = Duration::from_secs(30);
    let mut poller = start_poller(&server, schedule(interval), None);
    match poller.outcome().await {
        FeedEvent::Failed {
            error,
            at,
            next_try_at,
        } => {
            assert!(matches!(*error, PollError::Auth { status: 401, .. }));
            assert!((next_try_at - at).to_std().unwrap() >= interval);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn busy_feeds_are_left_alone_for_their_retry_after() {
    let switch = Switch::new(Mode::Busy(120));
    let server = switch.serve().await;
    let mut poller = start_poller(&server, schedule(Duration::from_secs(1)), None);
    match poller.outcome().await {
        FeedEvent::Failed {
            error,
            at,
            next_try_at,
        } => {
            assert!(matches!(*error, PollError::Busy { status: 429, .. }));
            assert!((next_try_at - at).to_std().unwrap() >= Duration::from_secs(120));
        }
        other => panic!("{other:?}"),
    }
    // PollNow does not make it sooner: the poller says until when instead.
    switch.set(Mode::Doc("back"));
    let requests = server.requests().len();
    poller.command(PollerCommand::PollNow).await;
    match poller.outcome().await {
        FeedEvent::Deferred { until } => assert!(until > Utc::now()),
        other => panic!("expected Deferred, got {other:?}"),
    }
    assert_eq!(server.requests().len(), requests);
}

#[tokio::test]
async fn the_poller_stops_when_its_channels_close() {
    let switch = Switch::new(Mode::Doc("v1"));
    let server = switch.serve().await;
    let spawn = || {
        let (event_tx, events) = mpsc::channel(16);
        let poller = worker::spawn(
            client(&server),
            schedule(Duration::from_secs(600)),
            RulesConfig::default(),
            event_tx,
            None,
            rollout_dash::i18n::Lang::En,
        );
        (events, poller)
    };

    let (mut events, mut poller) = spawn();
    assert!(matches!(events.recv().await, Some(FeedEvent::Polling)));
    assert!(matches!(events.recv().await, Some(FeedEvent::Fresh { .. })));
    drop(events);
    tokio::time::timeout(Duration::from_secs(5), poller.stopped())
        .await
        .expect("the poller did not stop when the events channel closed")
        .unwrap();

    let (mut events, poller) = spawn();
    assert!(matches!(events.recv().await, Some(FeedEvent::Polling)));
    assert!(matches!(events.recv().await, Some(FeedEvent::Fresh { .. })));
    tokio::time::timeout(Duration::from_secs(5), poller.close())
        .await
        .expect("the poller did not stop when its handle closed")
        .unwrap();
}

// ---------------------------------------------------------------------------
// The cache

/// A body cap (32 MiB), which a cached body obeys too.
const MAX_BODY: u64 = 32 * 1024 * 1024;

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_cache_round_trips_with_private_files() {
    let dir = tempfile::tempdir().unwrap();
    let url = "http://feed.example/v1/snapshot";
    let path = cache::path_in(&dir.path().join("rollout-dash"), url);
    let received_at = Utc::now();
    let validators = Validators {
        etag: Some("\"v7\"".into()),
        last_modified: None,
    };
    cache::store(&path, url, &doc_named("cached"), received_at, &validators).unwrap();
    let entry = cache::load_from(&path, url, MAX_BODY).unwrap().unwrap();
    assert_eq!(entry.snapshot.document.program.name.as_str(), "cached");
    assert_eq!(entry.received_at, received_at);
    assert_eq!(entry.validators, validators);
    #[cfg(unix)]
    {
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&cache::meta_path(&path)), 0o600);
    }
    // Rewriting keeps the mode and leaves no temp files behind.
    cache::store(&path, url, &doc_named("again"), received_at, &validators).unwrap();
    let files: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    // Another URL never reads this entry.
    assert!(
        cache::load_from(&path, "http://other.example/v1/snapshot", MAX_BODY)
            .unwrap()
            .is_none()
    );
    let missing = cache::path_in(dir.path(), "http://nothing.example/v1/snapshot");
    assert!(cache::load_from(&missing, url, MAX_BODY).unwrap().is_none());
}

#[test]
fn a_corrupt_cache_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let url = "http://feed.example/v1/snapshot";
    let path = cache::path_in(dir.path(), url);
    cache::store(
        &path,
        url,
        &doc_named("cached"),
        Utc::now(),
        &Validators::default(),
    )
    .unwrap();

    // A body torn or replaced behind the sidecar's back.
    std::fs::write(&path, b"{\"schema_version\": 1, \"generat").unwrap();
    assert!(matches!(
        cache::load_from(&path, url, MAX_BODY),
        Err(cache::CacheError::Corrupt { .. })
    ));
    assert!(cache::load_or_log(&path, url, MAX_BODY).is_none());

    // The same length, but not a document.
    let len = doc_named("cached").len();
    std::fs::write(&path, vec![b'x'; len]).unwrap();
    assert!(cache::load_from(&path, url, MAX_BODY).is_err());
    assert!(cache::load_or_log(&path, url, MAX_BODY).is_none());

    // A sidecar that is not JSON.
    std::fs::write(cache::meta_path(&path), b"\x00\x01garbage").unwrap();
    assert!(cache::load_or_log(&path, url, MAX_BODY).is_none());
}

#[tokio::test]
async fn the_poller_shows_the_cache_first_and_revalidates_it() {
    let dir = tempfile::tempdir().unwrap();
    let switch = Switch::new(Mode::Doc("v1"));
    let server = switch.serve().await;
    let path = cache::path_in(dir.path(), &format!("{}/v1/snapshot", server.url()));

    let mut first = start_poller(
        &server,
        schedule(Duration::from_secs(600)),
        Some(path.clone()),
    );
    let fresh = first.fresh().await;
    // The cache is written after Fresh is sent: wait for it.
    let mut entry = None;
    for _ in 0..100 {
        if let Ok(Some(found)) =
            cache::load_from(&path, &format!("{}/v1/snapshot", server.url()), MAX_BODY)
        {
            entry = Some(found);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let entry = entry.expect("the poller did not write the cache");
    assert_eq!(entry.received_at, fresh.received_at);
    drop(first);

    let mut second = start_poller(
        &server,
        schedule(Duration::from_secs(600)),
        Some(path.clone()),
    );
    // The first poll does not wait for the cache: whichever answers first
    // is shown, and a cached document that lost the race is dropped. A
    // cache read before the poll started makes that poll a 304.
    let mut cached_seen = false;
    loop {
        match second.next().await {
            FeedEvent::Polling => {}
            FeedEvent::Cached(cached) => {
                assert_eq!(program(&cached), "v1");
                assert_eq!(cached.received_at, fresh.received_at);
                cached_seen = true;
            }
            FeedEvent::Fresh { fresh, .. } => {
                assert_eq!(program(&fresh), "v1");
                break;
            }
            FeedEvent::Unchanged { .. } if cached_seen => break,
            other => panic!("expected Cached, Fresh or a 304 after Cached, got {other:?}"),
        }
    }
    // Later polls name the document held: a cheap 304.
    second.command(PollerCommand::PollNow).await;
    assert!(matches!(
        second.outcome().await,
        FeedEvent::Unchanged { .. }
    ));
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("If-None-Match"), Some("\"v1\""));
}

#[tokio::test]
async fn the_cache_is_rewritten_only_when_the_document_changes() {
    let dir = tempfile::tempdir().unwrap();
    let switch = Switch::new(Mode::NoConditional("v1"));
    let server = switch.serve().await;
    let url = format!("{}/v1/snapshot", server.url());
    let path = cache::path_in(dir.path(), &url);
    let mut poller = start_poller(
        &server,
        schedule(Duration::from_secs(600)),
        Some(path.clone()),
    );
    poller.fresh().await;
    // The write follows the Fresh event; the next poll only starts after it.
    // The same body again is as good as a 304: not parsed, not a new snapshot.
    poller.command(PollerCommand::PollNow).await;
    poller.unchanged().await;
    assert!(path.exists());

    // Same ETag again: nothing is written (the deleted file stays deleted).
    std::fs::remove_file(&path).unwrap();
    poller.command(PollerCommand::PollNow).await;
    poller.unchanged().await;
    poller.command(PollerCommand::PollNow).await;
    poller.unchanged().await;
    assert!(!path.exists());

    // A new ETag: written.
    switch.set(Mode::NoConditional("v2"));
    poller.command(PollerCommand::PollNow).await;
    poller.fresh().await;
    poller.command(PollerCommand::PollNow).await;
    poller.unchanged().await;
    let entry = cache::load_from(&path, &url, MAX_BODY).unwrap().unwrap();
    assert_eq!(entry.snapshot.document.program.name.as_str(), "v2");
}

#[tokio::test]
async fn a_corrupt_cache_does_not_stop_the_poller() {
    let dir = tempfile::tempdir().unwrap();
    let switch = Switch::new(Mode::Doc("live"));
    let server = switch.serve().await;
    let url = format!("{}/v1/snapshot", server.url());
    let path = cache::path_in(dir.path(), &url);
    cache::store(
        &path,
        &url,
        &doc_named("old"),
        Utc::now(),
        &Validators::default(),
    )
    .unwrap();
    std::fs::write(&path, b"garbage!").unwrap();
    std::fs::write(cache::meta_path(&path), br#"{"url":"x"#).unwrap();
    let mut poller = start_poller(&server, schedule(Duration::from_secs(600)), Some(path));
    match poller.next().await {
        FeedEvent::Polling => {}
        other => panic!("expected no cached event, got {other:?}"),
    }
    assert_eq!(program(&poller.fresh().await), "live");
}

/// The national document (100,000 stores) is read with the default config:
/// the default body cap holds it with room to spare.
#[tokio::test]
async fn the_national_document_fits_the_default_body_cap() {
    use rollout_dash::feed::server::SYNTHETIC_SEED;
    use rollout_dash::feed::synthetic;
    let body = serde_json::to_vec(&synthetic::generate(100_000, SYNTHETIC_SEED)).unwrap();
    let cap = FeedConfig::default().max_body_bytes();
    assert!(
        body.len() as u64 * 3 / 2 <= cap,
        "the 100k document is {} bytes; the default cap {cap} leaves less than half again",
        body.len()
    );
    // And the client takes it whole from a real server under that cap.
    let server = Server::start(move |_| json_response(&body, &[])).await;
    let client_config = FeedConfig {
        cache: false,
        ..FeedConfig::default()
    };
    let mut client = FeedClient::new(&server.url(), &client_config, None).unwrap();
    let PollResult::Fresh(snapshot) = client.poll().await.unwrap() else {
        panic!("expected the document");
    };
    assert_eq!(snapshot.stores().count(), 100_000);
}

// ---------------------------------------------------------------------------
// A national document's stores are parsed as its body arrives (the first
// poll): what comes out is what the whole parse makes of the body, errors
// included.

/// A body sent in many small writes, so that it arrives in many reads and
/// the stores are handed over while the rest is on its way (how the reads
/// fall does not matter to the result: `feed::ahead`'s own tests cut a body
/// at every size deterministically).
fn arriving(body: &[u8], headers: &[(&str, &str)]) -> Vec<Step> {
    let length = body.len().to_string();
    let mut all = vec![
        ("Content-Type", "application/json"),
        ("Content-Length", &length),
    ];
    all.extend_from_slice(headers);
    let mut steps = vec![Step::Send(head(200, &all))];
    for piece in body.chunks(48 * 1024) {
        steps.push(Step::Send(piece.to_vec()));
    }
    steps
}

async fn national_poll(
    steps: impl Fn() -> Vec<Step> + Send + Sync + 'static,
) -> Result<PollResult, PollError> {
    let server = Server::start(move |_| steps()).await;
    let config = FeedConfig {
        max_body_mb: 16,
        ..config()
    };
    let mut client = FeedClient::new(&server.url(), &config, None).unwrap();
    client.poll().await
}

fn national_body() -> Vec<u8> {
    rollout_dash::feed::synthetic::generate_json(5_000, 17).into_bytes()
}

#[tokio::test]
async fn a_national_document_arriving_in_pieces_is_the_document_parsed_whole() {
    let body = national_body();
    assert!(body.len() > 1_500_000, "big enough for several pieces");
    let expected = Snapshot::from_body(&body).unwrap();
    for gzipped in [false, true] {
        let sent = if gzipped { gzip(&body) } else { body.clone() };
        let headers: &'static [(&str, &str)] = if gzipped {
            &[("Content-Encoding", "gzip")]
        } else {
            &[]
        };
        let result = national_poll(move || arriving(&sent, headers)).await;
        let Ok(PollResult::Fresh(snapshot)) = result else {
            panic!("gzip {gzipped}: {result:?}");
        };
        assert_eq!(
            format!("{:?}", snapshot.document),
            format!("{:?}", expected.document),
            "gzip {gzipped}"
        );
        assert_eq!(snapshot.data_warnings, expected.data_warnings);
    }
}

#[tokio::test]
async fn a_national_document_cut_or_wrong_among_its_stores_fails_as_the_whole_parse_says() {
    let body = national_body();
    let cut = body[..body.len() * 2 / 3].to_vec();
    let text = String::from_utf8(body.clone()).unwrap();
    // A store far into the list with a percent that is not a number.
    let at = text.match_indices("\"percent\":").nth(3_000).unwrap().0;
    let wrong = format!(
        "{}\"percent\":\"most\",\"_\":{}",
        &text[..at],
        &text[at + 10..]
    )
    .into_bytes();
    for (what, sent) in [("cut", cut), ("wrong", wrong)] {
        let expected = parse_document(&sent).expect_err("the whole parse refuses it");
        let error = match national_poll({
            let sent = sent.clone();
            move || arriving(&sent, &[])
        })
        .await
        {
            Err(PollError::Document(error)) => error,
            other => panic!("{what}: {other:?}"),
        };
        assert_eq!(error, expected, "{what}");
    }
}

// ---------------------------------------------------------------------------
// A feed without ETags sends the whole document at every poll: the client
// knows the last good one again without parsing it, and any other body,
// however little or late it differs, for a new one.

/// `body` with the first letter of a name changed: the first name or the last.
fn renamed(body: &[u8], last: bool) -> Vec<u8> {
    let text = String::from_utf8(body.to_vec()).unwrap();
    let at = if last {
        text.rfind("\"name\":\"").unwrap()
    } else {
        text.find("\"name\":\"").unwrap()
    } + "\"name\":\"".len();
    let mut body = body.to_vec();
    body[at] = if body[at] == b'Q' { b'R' } else { b'Q' };
    body
}

#[tokio::test]
async fn the_last_good_body_again_is_known_and_any_other_is_parsed() {
    use rollout_dash::feed::client::Fetch;
    let base = national_body();
    let late = renamed(&base, true);
    let longer = [&late[..], b"\n"].concat();
    let last_byte = [&late[..], b" "].concat();
    let cut = late[..late.len() - 1].to_vec();
    let early = renamed(&late, false);
    // What each poll is sent, and whether it is the last good document again.
    let polls: Vec<(&str, Vec<u8>, Option<bool>)> = vec![
        ("first", base.clone(), Some(false)),
        ("the same", base.clone(), Some(true)),
        ("the same, a third time", base.clone(), Some(true)),
        ("the last store renamed", late.clone(), Some(false)),
        ("the same", late.clone(), Some(true)),
        ("the same, a third time", late.clone(), Some(true)),
        ("one byte longer", longer.clone(), Some(false)),
        ("the same", longer.clone(), Some(true)),
        ("the same, a third time", longer.clone(), Some(true)),
        ("its last byte changed", last_byte.clone(), Some(false)),
        ("the same", last_byte.clone(), Some(true)),
        ("the same, a third time", last_byte.clone(), Some(true)),
        ("one byte shorter", late.clone(), Some(false)),
        ("the same", late.clone(), Some(true)),
        ("cut: refused", cut, None),
        (
            "the last good one after a refused one",
            late.clone(),
            Some(true),
        ),
        ("the same, a third time", late.clone(), Some(true)),
        ("the first city renamed", early.clone(), Some(false)),
        ("the same", early.clone(), Some(true)),
        ("the same, a third time", early.clone(), Some(true)),
    ];
    let sent: Arc<Vec<Vec<u8>>> = Arc::new(polls.iter().map(|(_, b, _)| b.clone()).collect());
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let server = Server::start(move |_| {
        let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        arriving(&sent[n], &[])
    })
    .await;
    let config = FeedConfig {
        max_body_mb: 16,
        ..config()
    };
    let mut client = FeedClient::new(&server.url(), &config, None).unwrap();
    for (n, (what, body, same)) in polls.iter().enumerate() {
        let what = format!("poll {}, {what}", n + 1);
        match (client.fetch().await, same) {
            (Ok(Fetch::SameBody { validators: None }), Some(true)) => {}
            (Ok(Fetch::Fresh(fetched)), Some(false)) => {
                assert_eq!(&fetched.body, body, "{what}");
                let expected = Snapshot::from_body(body).unwrap();
                assert_eq!(
                    format!("{:?}", fetched.snapshot.document),
                    format!("{:?}", expected.document),
                    "{what}"
                );
            }
            (Err(PollError::Document(_)), None) => {}
            (other, _) => panic!("{what}: expected {same:?}, got {other:?}"),
        }
    }
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("If-None-Match").is_none())
    );
}

#[tokio::test]
async fn a_body_the_client_was_told_to_forget_is_parsed_again() {
    use rollout_dash::feed::client::Fetch;
    let body = national_body();
    let sent = body.clone();
    let server = Server::start(move |_| arriving(&sent, &[])).await;
    let config = FeedConfig {
        max_body_mb: 16,
        ..config()
    };
    let mut client = FeedClient::new(&server.url(), &config, None).unwrap();
    for round in 1..=2 {
        assert!(
            matches!(client.fetch().await, Ok(Fetch::Fresh(_))),
            "round {round}: not parsed"
        );
        // Known again by its hash, then as it arrives.
        for _ in 0..2 {
            assert!(matches!(
                client.fetch().await,
                Ok(Fetch::SameBody { validators: None })
            ));
        }
        // What the poller does when a body the client knew was never shown.
        client.set_validators(Validators::default());
    }
}
