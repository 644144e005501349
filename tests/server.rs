//! The feed server over real HTTP on 127.0.0.1, the simulation, the
//! synthetic generator and the OpenAPI copy of the contract.
//!
//! One file on purpose: every test binary is another link on a small machine.

use std::collections::{HashMap, HashSet};
use std::io::{Read as _, Write as _};
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, VARY,
};
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::server::{
    ConnectionLimits, RereadHook, RunningServer, SNAPSHOT_PATH, ServeOptions, ServeTuning, Source,
    spawn, spawn_tuned,
};
use rollout_dash::feed::simulate::{
    self, CITY_EVERY, CONFLICT_APPEARS_AT, CONFLICT_CLEARS_AT, CONFLICT_CYCLE,
};
use rollout_dash::feed::snapshot::{Snapshot, parse_document};
use rollout_dash::feed::synthetic;
use rollout_dash::feed::wire::{
    AgreementStage, Channel, Document, Location, RecruitmentStatus, StoreKind, Tier, WireValue,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

async fn serve(source: Source, simulate: bool) -> RunningServer {
    spawn(ServeOptions {
        addr: ([127, 0, 0, 1], 0).into(),
        source,
        simulate,
    })
    .await
    .expect("the server starts")
}

/// A client that shows the raw body (no transparent gunzip).
fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_gzip()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

fn demo() -> Document {
    parse_document(DEMO_FEED_JSON.as_bytes()).unwrap()
}

fn km_between(a: Location, b: Location) -> f64 {
    let (la, lb) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lb - la;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la.cos() * lb.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

fn assert_valid(doc: &Document, context: &str) {
    let snapshot = Snapshot::new(doc.clone());
    assert!(
        snapshot.data_warnings.is_empty(),
        "{context}: {:?}",
        &snapshot.data_warnings[..snapshot.data_warnings.len().min(5)]
    );
    for store in &doc.stores {
        let r = &store.renovation;
        assert!(
            simulate::percent_fits(&r.phase, r.percent),
            "{context}: store {} is {} at {}%",
            store.id,
            r.phase,
            r.percent
        );
    }
}

// ---------------------------------------------------------------- HTTP

#[tokio::test]
async fn snapshot_has_json_etag_and_answers_304() {
    let server = serve(Source::Demo, false).await;
    let client = raw_client();
    let url = server.snapshot_url();

    let first = client.get(&url).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(header(&first, CONTENT_TYPE).unwrap(), "application/json");
    let etag = header(&first, ETAG).expect("an ETag");
    assert!(etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"));
    let last_modified = header(&first, LAST_MODIFIED).expect("a Last-Modified");
    httpdate::parse_http_date(&last_modified).expect("an HTTP date");
    let body = first.bytes().await.unwrap();
    assert_eq!(&body[..], DEMO_FEED_JSON.as_bytes(), "the demo, as bundled");
    parse_document(&body).unwrap();

    for if_none_match in [
        etag.clone(),
        format!("W/{etag}"),
        format!("\"other\", {etag}"),
        "*".to_owned(),
    ] {
        let again = client
            .get(&url)
            .header(IF_NONE_MATCH, &if_none_match)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{if_none_match}");
        assert_eq!(header(&again, ETAG).as_deref(), Some(etag.as_str()));
        assert!(again.bytes().await.unwrap().is_empty());
    }

    let other = client
        .get(&url)
        .header(IF_NONE_MATCH, "\"0000000000000000\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::OK);

    let since = client
        .get(&url)
        .header(IF_MODIFIED_SINCE, &last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(since.status(), StatusCode::NOT_MODIFIED);
    assert!(since.bytes().await.unwrap().is_empty());

    let long_ago = client
        .get(&url)
        .header(IF_MODIFIED_SINCE, "Mon, 01 Jan 2024 00:00:00 GMT")
        .send()
        .await
        .unwrap();
    assert_eq!(long_ago.status(), StatusCode::OK);
    server.shutdown().await;
}

#[tokio::test]
async fn gzip_when_the_client_offers_it() {
    let server = serve(Source::Demo, false).await;
    let client = raw_client();
    let url = server.snapshot_url();

    let zipped = client
        .get(&url)
        .header(ACCEPT_ENCODING, "br;q=1.0, gzip;q=0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(zipped.status(), StatusCode::OK);
    assert_eq!(header(&zipped, CONTENT_ENCODING).as_deref(), Some("gzip"));
    assert_eq!(header(&zipped, VARY).as_deref(), Some("Accept-Encoding"));
    let etag = header(&zipped, ETAG).unwrap();
    let raw = zipped.bytes().await.unwrap();
    assert_eq!(&raw[..2], &[0x1f, 0x8b], "a gzip stream");
    assert!(raw.len() < DEMO_FEED_JSON.len() / 3);
    let mut json = String::new();
    flate2::read::GzDecoder::new(&raw[..])
        .read_to_string(&mut json)
        .unwrap();
    assert_eq!(json, DEMO_FEED_JSON);

    for refused in ["gzip;q=0", "identity", "br"] {
        let plain = client
            .get(&url)
            .header(ACCEPT_ENCODING, refused)
            .send()
            .await
            .unwrap();
        assert_eq!(header(&plain, CONTENT_ENCODING), None, "{refused}");
        assert_eq!(header(&plain, ETAG).unwrap(), etag, "one version, one tag");
        assert_eq!(plain.bytes().await.unwrap(), DEMO_FEED_JSON.as_bytes());
    }

    // reqwest's own gzip support (what the dashboard's client uses) decodes it.
    let decoded = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert_eq!(decoded, DEMO_FEED_JSON);
    server.shutdown().await;
}

#[tokio::test]
async fn other_paths_404_other_methods_405_head_works() {
    let server = serve(Source::Demo, false).await;
    let client = raw_client();
    let base = format!("http://{}", server.addr);

    for path in ["/", "/v1", "/v1/snapshot/extra", "/v2/snapshot"] {
        let response = client.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(header(&response, CONTENT_TYPE).unwrap(), "application/json");
        let error: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error["error"], "not_found");
    }

    let post = client
        .post(server.snapshot_url())
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        header(&post, reqwest::header::ALLOW).as_deref(),
        Some("GET, HEAD")
    );

    let head = client.head(server.snapshot_url()).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert!(header(&head, ETAG).is_some());
    assert!(head.bytes().await.unwrap().is_empty());
    server.shutdown().await;
}

/// Sends `request` (which asks to close) on a new connection and reads the
/// whole answer: its head's lines without the Date (which moves), in order,
/// and its body.
async fn raw_exchange(addr: SocketAddr, request: &str) -> (Vec<String>, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer))
        .await
        .expect("the server answers and closes")
        .unwrap();
    let head_end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a whole head");
    let head = std::str::from_utf8(&answer[..head_end]).unwrap();
    let lines = head
        .split("\r\n")
        .filter(|line| !line.starts_with("date: "))
        .map(str::to_owned)
        .collect();
    (lines, answer[head_end + 4..].to_vec())
}

fn gunzip(body: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut plain)
        .unwrap();
    plain
}

/// The answers' heads, line for line and in order, and their bodies, as
/// they were before the server answered without axum's router and sent the
/// gzip from an in-memory file. One change on purpose: a 304 to a HEAD no
/// longer says `content-length: 0` (RFC 9110 8.6: a 304 may only give the
/// length a 200 would have).
#[tokio::test]
async fn answers_keep_their_heads_and_bodies_byte_for_byte() {
    let server = serve(Source::Demo, false).await;
    let addr = server.addr;
    let ask = |line: &str, extra: &str| {
        format!("{line} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Connection: close\r\n\r\n")
    };
    let get = ask(&format!("GET {SNAPSHOT_PATH}"), "");
    let (identity, body) = raw_exchange(addr, &get).await;
    assert_eq!(body, DEMO_FEED_JSON.as_bytes());
    let etag = format!(
        "\"{:016x}\"",
        rollout_dash::feed::fnv64(DEMO_FEED_JSON.as_bytes())
    );
    let last_modified = identity[2]
        .strip_prefix("last-modified: ")
        .unwrap()
        .to_owned();
    httpdate::parse_http_date(&last_modified).expect("an HTTP date");
    let validators = [
        format!("etag: {etag}"),
        format!("last-modified: {last_modified}"),
        "vary: Accept-Encoding".to_owned(),
        "cache-control: no-cache".to_owned(),
    ];
    let lines = |status: &str, middle: &[String], rest: &[&str]| -> Vec<String> {
        let mut lines = vec![status.to_owned()];
        lines.extend_from_slice(middle);
        lines.extend(rest.iter().map(|line| (*line).to_owned()));
        lines
    };
    let identity_length = format!("content-length: {}", DEMO_FEED_JSON.len());
    let expected_identity = lines(
        "HTTP/1.1 200 OK",
        &validators,
        &[
            "content-type: application/json",
            &identity_length,
            "connection: close",
        ],
    );
    assert_eq!(identity, expected_identity);

    let (gzip, zipped) = raw_exchange(
        addr,
        &ask(&format!("GET {SNAPSHOT_PATH}"), "Accept-Encoding: gzip\r\n"),
    )
    .await;
    assert_eq!(gunzip(&zipped), DEMO_FEED_JSON.as_bytes());
    let gzip_length = format!("content-length: {}", zipped.len());
    let expected_gzip = lines(
        "HTTP/1.1 200 OK",
        &validators,
        &[
            "content-type: application/json",
            "content-encoding: gzip",
            &gzip_length,
            "connection: close",
        ],
    );
    assert_eq!(gzip, expected_gzip);

    // HEAD: the GET's head, no body.
    let head = |extra: &str| ask(&format!("HEAD {SNAPSHOT_PATH}"), extra);
    assert_eq!(
        raw_exchange(addr, &head("Accept-Encoding: gzip\r\n")).await,
        (expected_gzip, Vec::new())
    );
    assert_eq!(
        raw_exchange(addr, &head("")).await,
        (expected_identity, Vec::new())
    );

    // 304: the validators, no type, no length, no body.
    let not_modified = lines(
        "HTTP/1.1 304 Not Modified",
        &validators,
        &["connection: close"],
    );
    for condition in [
        format!("If-None-Match: {etag}\r\n"),
        format!("If-Modified-Since: {last_modified}\r\n"),
    ] {
        let with_gzip = format!("Accept-Encoding: gzip\r\n{condition}");
        for request in [
            ask(&format!("GET {SNAPSHOT_PATH}"), &condition),
            ask(&format!("GET {SNAPSHOT_PATH}"), &with_gzip),
            head(&condition),
        ] {
            assert_eq!(
                raw_exchange(addr, &request).await,
                (not_modified.clone(), Vec::new()),
                "{request}"
            );
        }
    }

    // Errors: JSON, their length, Allow on a 405.
    let (missing, body) = raw_exchange(addr, &ask("GET /v1", "")).await;
    let message =
        br#"{"error":"not_found","message":"no resource at /v1; the feed is GET /v1/snapshot"}"#;
    assert_eq!(body, message);
    let error_length = format!("content-length: {}", message.len());
    assert_eq!(
        missing,
        [
            "HTTP/1.1 404 Not Found",
            "content-type: application/json",
            &error_length,
            "connection: close"
        ]
    );
    let (refused, body) = raw_exchange(
        addr,
        &ask(&format!("POST {SNAPSHOT_PATH}"), "Content-Length: 2\r\n")
            .replace("\r\n\r\n", "\r\n\r\n{}"),
    )
    .await;
    let message =
        br#"{"error":"method_not_allowed","message":"/v1/snapshot answers GET and HEAD only"}"#;
    assert_eq!(body, message);
    let error_length = format!("content-length: {}", message.len());
    assert_eq!(
        refused,
        [
            "HTTP/1.1 405 Method Not Allowed",
            "content-type: application/json",
            "allow: GET, HEAD",
            &error_length,
            "connection: close"
        ]
    );
    server.shutdown().await;
}

/// A national-scale gzip (sent from the server's in-memory file) reaches a
/// client that reads it through a small window, piece by piece, whole; and
/// the kept-alive connection answers its next request.
#[tokio::test]
async fn a_large_gzip_reaches_a_slow_reader_whole() {
    let server = serve(Source::Synthetic { stores: 5_000 }, false).await;
    let plain = raw_client()
        .get(server.snapshot_url())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();

    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stream = socket.connect(server.addr).await.unwrap();
    stream
        .write_all(
            format!(
                "GET {SNAPSHOT_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let mut received = Vec::new();
    let mut piece = [0u8; 1024];
    let (head_end, length) = loop {
        let read = stream.read(&mut piece).await.unwrap();
        assert!(read > 0, "the server closed before answering");
        received.extend_from_slice(&piece[..read]);
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&received[..end]).unwrap();
            assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
            assert!(head.contains("content-encoding: gzip"), "{head}");
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length: "))
                .expect("a length")
                .parse::<usize>()
                .unwrap();
            break (end + 4, length);
        }
    };
    while received.len() < head_end + length {
        // A slow reader: the server's socket fills up again and again.
        tokio::task::yield_now().await;
        let read = stream.read(&mut piece).await.unwrap();
        assert!(read > 0, "the server closed in the middle of the body");
        received.extend_from_slice(&piece[..read]);
    }
    let zipped = &received[head_end..];
    assert_eq!(zipped.len(), length, "nothing after the body");
    assert!(
        length > 256 * 1024,
        "a body larger than the socket buffers: {length}"
    );
    assert_eq!(gunzip(zipped), &plain[..]);
    assert_eq!(get_on(&mut stream).await, (200, plain.to_vec()));
    server.shutdown().await;
}

/// The document the server answers with now.
async fn fetch_document(client: &reqwest::Client, url: &str) -> Document {
    let body = client.get(url).send().await.unwrap().bytes().await.unwrap();
    parse_document(&body).unwrap()
}

/// Polls until the served ETag differs from `old`, or gives up after `limit`.
async fn wait_for_new_etag(
    client: &reqwest::Client,
    url: &str,
    old: &str,
    limit: Duration,
) -> Option<String> {
    let start = Instant::now();
    while start.elapsed() < limit {
        let response = client.get(url).send().await.unwrap();
        let etag = header(&response, ETAG).unwrap();
        if etag != old {
            return Some(etag);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

#[tokio::test]
async fn data_file_is_reread_and_a_broken_one_keeps_the_last_good_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.json");
    std::fs::write(&path, DEMO_FEED_JSON).unwrap();
    let server = serve(Source::File(path.clone()), false).await;
    let client = raw_client();
    let url = server.snapshot_url();

    let first = client.get(&url).send().await.unwrap();
    let etag = header(&first, ETAG).unwrap();
    assert_eq!(first.bytes().await.unwrap(), DEMO_FEED_JSON.as_bytes());

    let mut changed: serde_json::Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    changed["program"]["name"] = "Renamed rollout".into();
    let changed = serde_json::to_vec_pretty(&changed).unwrap();
    std::fs::write(&path, &changed).unwrap();
    let new_etag = wait_for_new_etag(&client, &url, &etag, Duration::from_secs(4))
        .await
        .expect("the changed file is served within a few seconds");
    let body = client
        .get(&url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&body[..], &changed[..], "the file's bytes, as written");

    std::fs::write(&path, "{ this is not a feed").unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let after = client.get(&url).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::OK);
    assert_eq!(header(&after, ETAG).unwrap(), new_etag);
    assert_eq!(&after.bytes().await.unwrap()[..], &changed[..]);

    // A valid document again is picked up again.
    std::fs::write(&path, DEMO_FEED_JSON).unwrap();
    let back = wait_for_new_etag(&client, &url, &new_etag, Duration::from_secs(4))
        .await
        .expect("a fixed file is served again");
    assert_eq!(back, etag, "same bytes, same tag");
    server.shutdown().await;
}

#[tokio::test]
async fn a_broken_data_file_at_startup_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken-feed.json");
    std::fs::write(&path, r#"{"schema_version": 1, "generated_at": "soon"}"#).unwrap();
    let error = spawn(ServeOptions {
        addr: ([127, 0, 0, 1], 0).into(),
        source: Source::File(path.clone()),
        simulate: false,
    })
    .await
    .expect_err("a broken file cannot be served");
    let message = format!("{error:#}");
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("generated_at"), "{message}");

    let missing = dir.path().join("missing.json");
    let error = spawn(ServeOptions {
        addr: ([127, 0, 0, 1], 0).into(),
        source: Source::File(missing.clone()),
        simulate: false,
    })
    .await
    .expect_err("a missing file cannot be served");
    assert!(format!("{error:#}").contains(&missing.display().to_string()));
}

#[tokio::test]
async fn simulate_publishes_a_new_version_each_step() {
    let server = spawn_tuned(
        ServeOptions {
            addr: ([127, 0, 0, 1], 0).into(),
            source: Source::Demo,
            simulate: true,
        },
        ServeTuning {
            step: Duration::from_millis(150),
            ..ServeTuning::default()
        },
    )
    .await
    .unwrap();
    let client = raw_client();
    let url = server.snapshot_url();
    let first = client.get(&url).send().await.unwrap();
    let mut etag = header(&first, ETAG).unwrap();
    let mut clock = parse_document(&first.bytes().await.unwrap())
        .unwrap()
        .generated_at;
    for _ in 0..3 {
        etag = wait_for_new_etag(&client, &url, &etag, Duration::from_secs(3))
            .await
            .expect("each step is a new version");
        let doc = fetch_document(&client, &url).await;
        assert!(doc.generated_at > clock, "the feed's clock moves");
        clock = doc.generated_at;
        assert_valid(&doc, "served step");
    }
    server.shutdown().await;
}

#[tokio::test]
async fn simulate_carries_on_from_a_changed_data_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.json");
    std::fs::write(&path, DEMO_FEED_JSON).unwrap();
    let server = spawn_tuned(
        ServeOptions {
            addr: ([127, 0, 0, 1], 0).into(),
            source: Source::File(path.clone()),
            simulate: true,
        },
        ServeTuning {
            step: Duration::from_millis(200),
            file_poll: Duration::from_millis(200),
            ..ServeTuning::default()
        },
    )
    .await
    .unwrap();
    let client = raw_client();
    let url = server.snapshot_url();

    let mut renamed: serde_json::Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    renamed["program"]["name"] = "Renamed rollout".into();
    std::fs::write(&path, serde_json::to_vec(&renamed).unwrap()).unwrap();
    let start = Instant::now();
    loop {
        let doc = fetch_document(&client, &url).await;
        if doc.program.name.as_str() == "Renamed rollout" {
            assert_valid(&doc, "simulated file");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(4),
            "the file change is picked up"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // ... and the simulation goes on from the new document.
    let etag = header(&client.get(&url).send().await.unwrap(), ETAG).unwrap();
    wait_for_new_etag(&client, &url, &etag, Duration::from_secs(3))
        .await
        .expect("steps continue");
    let doc = fetch_document(&client, &url).await;
    assert_eq!(doc.program.name.as_str(), "Renamed rollout");
    server.shutdown().await;
}

#[tokio::test]
async fn synthetic_source_serves_a_valid_document() {
    let server = serve(Source::Synthetic { stores: 500 }, false).await;
    let response = raw_client()
        .get(server.snapshot_url())
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, CONTENT_ENCODING).as_deref(), Some("gzip"));
    let raw = response.bytes().await.unwrap();
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(&raw[..])
        .read_to_end(&mut json)
        .unwrap();
    let doc = parse_document(&json).unwrap();
    assert_eq!(doc.stores.len(), 500);
    assert_valid(&doc, "served synthetic");
    server.shutdown().await;
}

// ---------------------------------------------------------------- connections

/// A limit long enough never to pass during a test.
const NEVER: Duration = Duration::from_secs(600);

async fn serve_limited(limits: ConnectionLimits) -> RunningServer {
    serve_limited_from(Source::Demo, limits).await
}

async fn serve_limited_from(source: Source, limits: ConnectionLimits) -> RunningServer {
    spawn_tuned(
        ServeOptions {
            addr: ([127, 0, 0, 1], 0).into(),
            source,
            simulate: false,
        },
        ServeTuning {
            connections: limits,
            ..ServeTuning::default()
        },
    )
    .await
    .expect("the server starts")
}

/// Sends a GET for the snapshot on a kept-alive connection and reads the
/// whole answer: its status and body.
async fn get_on(stream: &mut TcpStream) -> (u16, Vec<u8>) {
    stream
        .write_all(format!("GET {SNAPSHOT_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut received = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let (head_end, length) = loop {
        let read = stream.read(&mut chunk).await.unwrap();
        assert!(read > 0, "the server closed before answering");
        received.extend_from_slice(&chunk[..read]);
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&received[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .map_or(0, |n| n.trim().parse::<usize>().unwrap());
            break (end + 4, length);
        }
    };
    while received.len() < head_end + length {
        let read = stream.read(&mut chunk).await.unwrap();
        assert!(read > 0, "the server closed in the middle of a body");
        received.extend_from_slice(&chunk[..read]);
    }
    let status = std::str::from_utf8(&received[9..12])
        .unwrap()
        .parse()
        .unwrap();
    (status, received[head_end..].to_vec())
}

/// Whether the server closes this connection. The wait is bounded only so
/// that a server that never closes fails the test instead of hanging it.
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut rest = Vec::new();
    match tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut rest)).await {
        Ok(Ok(_)) => true,
        Ok(Err(e)) => e.kind() == std::io::ErrorKind::ConnectionReset,
        Err(_) => false,
    }
}

#[tokio::test]
async fn a_fresh_request_is_served_while_the_cap_is_full_of_idle_connections() {
    let server = serve_limited(ConnectionLimits {
        header_read: NEVER,
        idle: NEVER,
        max_open: 16,
    })
    .await;
    // Eight kept-alive connections that have had an answer, oldest first,
    // then eight that never sent a byte: sixteen idle sockets, the cap.
    let mut answered = Vec::new();
    for _ in 0..8 {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        assert_eq!(get_on(&mut stream).await.0, 200);
        answered.push(stream);
    }
    let mut silent = Vec::new();
    for _ in 0..8 {
        silent.push(TcpStream::connect(server.addr).await.unwrap());
    }

    // The client is kept, so its connection stays open (and idle).
    let fresh_client = raw_client();
    let fresh = fresh_client
        .get(server.snapshot_url())
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), StatusCode::OK);
    assert_eq!(fresh.bytes().await.unwrap(), DEMO_FEED_JSON.as_bytes());
    // Room was made by closing the connection idle the longest ...
    assert!(
        closed_by_server(&mut answered[0]).await,
        "the oldest idle connection is closed to make room"
    );
    // ... and no other: the newest ones still answer.
    let (status, body) = get_on(&mut answered[7]).await;
    assert_eq!((status, &body[..]), (200, DEMO_FEED_JSON.as_bytes()));
    let (status, _) = get_on(&mut silent[7]).await;
    assert_eq!(status, 200);

    // Each new connection beyond the cap closes the next-oldest idle one.
    let again = raw_client()
        .get(server.snapshot_url())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert!(closed_by_server(&mut answered[1]).await);
    drop(fresh_client);
    server.shutdown().await;
}

#[tokio::test]
async fn a_half_sent_request_is_closed_by_the_server() {
    let server = serve_limited(ConnectionLimits {
        header_read: Duration::from_millis(300),
        idle: NEVER,
        ..ConnectionLimits::default()
    })
    .await;
    let mut half_line = TcpStream::connect(server.addr).await.unwrap();
    half_line.write_all(b"GET /v1/snap").await.unwrap();
    let mut half_head = TcpStream::connect(server.addr).await.unwrap();
    half_head
        .write_all(
            format!("GET {SNAPSHOT_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: ").as_bytes(),
        )
        .await
        .unwrap();
    assert!(
        closed_by_server(&mut half_line).await,
        "half a request line"
    );
    assert!(closed_by_server(&mut half_head).await, "half the headers");

    // The header limit is for reading a head, not for waiting: a kept-alive
    // connection that sends its next request in full is still answered.
    let mut kept = TcpStream::connect(server.addr).await.unwrap();
    assert_eq!(get_on(&mut kept).await.0, 200);
    assert_eq!(get_on(&mut kept).await.0, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn an_idle_connection_is_closed_by_the_server() {
    let server = serve_limited(ConnectionLimits {
        header_read: NEVER,
        idle: Duration::from_secs(1),
        ..ConnectionLimits::default()
    })
    .await;
    let mut kept_alive = TcpStream::connect(server.addr).await.unwrap();
    let (status, body) = get_on(&mut kept_alive).await;
    assert_eq!((status, &body[..]), (200, DEMO_FEED_JSON.as_bytes()));
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    assert!(
        closed_by_server(&mut kept_alive).await,
        "kept alive after an answer"
    );
    assert!(closed_by_server(&mut silent).await, "never sent a byte");
    server.shutdown().await;
}

// On tokio's paused clock: the client's pauses and the server's idle
// limit are timers of the same clock, so their order is all that counts.
#[tokio::test(start_paused = true)]
async fn a_client_taking_a_large_body_slowly_is_not_idle() {
    // hyper takes the body before it has written it: the idle limit must
    // count from the client's last byte, not from then.
    let server = serve_limited_from(
        Source::Synthetic { stores: 20_000 },
        ConnectionLimits {
            header_read: NEVER,
            idle: Duration::from_millis(500),
            ..ConnectionLimits::default()
        },
    )
    .await;
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(
        format!("GET {SNAPSHOT_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .await
    .unwrap();
    // 7.8 MB taken 128 KiB at a time, 30 ms apart (of the paused clock):
    // about two seconds in all, more than the sockets' buffers take in,
    // never half a second without a byte.
    let mut received = Vec::new();
    let mut piece = vec![0u8; 128 * 1024];
    loop {
        let read = slow.read(&mut piece).await.unwrap();
        if read == 0 {
            break;
        }
        received.extend_from_slice(&piece[..read]);
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    let head_end = received.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&received[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap();
    assert!(length > 7_000_000, "{length}");
    assert_eq!(received.len() - head_end, length, "the body was cut");
    server.shutdown().await;
}

/// One GET for the snapshot on a new connection, from a plain thread:
/// the status, the ETag and the body.
fn blocking_get(
    addr: SocketAddr,
    if_none_match: Option<&str>,
) -> std::io::Result<(u16, String, Vec<u8>)> {
    let mut stream = std::net::TcpStream::connect(addr)?;
    // Bounded so that a server that cannot answer fails the test instead of hanging it.
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let condition = if_none_match.map_or(String::new(), |tag| format!("If-None-Match: {tag}\r\n"));
    write!(
        stream,
        "GET {SNAPSHOT_PATH} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{condition}\r\n"
    )?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let head_end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of head"))?;
    let head = String::from_utf8_lossy(&answer[..head_end]).into_owned();
    let status = head[9..12].parse().map_err(std::io::Error::other)?;
    let etag = head
        .lines()
        .find_map(|line| {
            line.to_ascii_lowercase()
                .starts_with("etag:")
                .then(|| line[5..].trim().to_owned())
        })
        .unwrap_or_default();
    Ok((status, etag, answer[head_end + 4..].to_vec()))
}

#[tokio::test]
async fn requests_are_answered_while_a_data_file_is_reread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.json");
    let before = synthetic::generate_json(2_000, 5);
    std::fs::write(&path, &before).unwrap();

    // The re-read of the changed file says it began, then waits until the
    // requests below are done (bounded, so that a server that cannot answer
    // meanwhile fails the test instead of hanging it).
    let (began, reread_began) = std::sync::mpsc::channel::<()>();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let (began, released) = (Mutex::new(began), Mutex::new(released));
    let hook = RereadHook::new(move |_| {
        let _ = began.lock().unwrap().send(());
        let _ = released
            .lock()
            .unwrap()
            .recv_timeout(Duration::from_secs(60));
    });
    // The test's runtime has one thread, shared with the server: if the
    // re-read ran on it, nothing could be answered until it ended.
    let server = spawn_tuned(
        ServeOptions {
            addr: ([127, 0, 0, 1], 0).into(),
            source: Source::File(path.clone()),
            simulate: false,
        },
        ServeTuning {
            file_poll: Duration::from_millis(50),
            before_reread: Some(hook),
            ..ServeTuning::default()
        },
    )
    .await
    .unwrap();
    let client = raw_client();
    let url = server.snapshot_url();
    let etag = header(&client.get(&url).send().await.unwrap(), ETAG).unwrap();

    let addr = server.addr;
    let current = etag.clone();
    let during = std::thread::spawn(move || {
        reread_began
            .recv_timeout(Duration::from_secs(60))
            .expect("the changed file is re-read");
        let answers: Vec<_> = (0..6)
            .map(|i| blocking_get(addr, (i % 2 == 0).then_some(current.as_str())))
            .collect();
        let _ = release.send(());
        answers
    });
    let after = synthetic::generate_json(2_001, 6);
    std::fs::write(&path, &after).unwrap();
    let answers = tokio::task::spawn_blocking(move || during.join().unwrap())
        .await
        .unwrap();

    for (i, answer) in answers.into_iter().enumerate() {
        let (status, tag, body) =
            answer.unwrap_or_else(|e| panic!("request {i} during the re-read: {e}"));
        assert_eq!(tag, etag, "request {i}: the current version");
        if i % 2 == 0 {
            assert_eq!((status, body.len()), (304, 0), "request {i}");
        } else {
            assert_eq!(status, 200, "request {i}");
            assert_eq!(body, before.as_bytes(), "request {i}");
        }
    }
    // And the re-read they overlapped did finish: the new file is served.
    wait_for_new_etag(&client, &url, &etag, Duration::from_secs(30))
        .await
        .expect("the re-read file is served once the re-read ends");
    let body = client
        .get(&url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(body, after.as_bytes());
    server.shutdown().await;
}

// ---------------------------------------------------------------- simulate

#[test]
fn simulated_steps_stay_valid_and_move_the_rollout() {
    let start = demo();
    let mut doc = start.clone();
    // Recruitment goes round (closed reopens), so count the cities that moved
    // at all rather than comparing the end with the start.
    let mut recruiting_moved = HashSet::new();
    for tick in 0..400 {
        let before = doc.clone();
        simulate::step(&mut doc, tick);
        assert!(
            doc.generated_at > before.generated_at,
            "tick {tick}: the clock moves"
        );
        assert_valid(&doc, &format!("tick {tick}"));
        for (a, b) in before.cities.iter().zip(&doc.cities) {
            if a.recruitment_status() != b.recruitment_status() {
                recruiting_moved.insert(b.id.to_string());
            }
        }
    }
    assert!(recruiting_moved.contains("guangzhou"), "planned -> open");
    assert!(recruiting_moved.len() >= 15, "{recruiting_moved:?}");

    let phase_of = |d: &Document| -> HashMap<String, String> {
        d.stores
            .iter()
            .map(|s| (s.id.to_string(), s.renovation.phase.to_string()))
            .collect()
    };
    let (was, now) = (phase_of(&start), phase_of(&doc));
    let moved = was
        .iter()
        .filter(|(id, p)| now.get(*id) != Some(*p))
        .count();
    assert!(moved >= 20, "only {moved} stores changed phase");

    let stage_changes = start
        .partners
        .iter()
        .zip(&doc.partners)
        .filter(|(a, b)| a.agreement.stage != b.agreement.stage)
        .count();
    assert!(stage_changes >= 3, "{stage_changes} partners moved");
    let jinmen = |d: &Document| {
        d.partners
            .iter()
            .find(|p| p.id.as_str() == "jinmen")
            .unwrap()
            .agreement
            .stage
            .clone()
    };
    assert_eq!(jinmen(&start), AgreementStage::Prospect);
    assert_ne!(jinmen(&doc), AgreementStage::Prospect);

    // Deterministic: the same start and ticks give the same rollout.
    let mut again = start.clone();
    for tick in 0..400 {
        simulate::step(&mut again, tick);
    }
    assert_eq!(
        serde_json::to_string(&again).unwrap(),
        serde_json::to_string(&doc).unwrap()
    );
}

#[test]
fn simulated_partners_advance_prospect_intention_contract() {
    let mut doc = demo();
    let mut seen = vec![jinmen_stage(&doc)];
    for tick in 0..200 {
        simulate::step(&mut doc, tick);
        let stage = jinmen_stage(&doc);
        if seen.last() != Some(&stage) {
            seen.push(stage);
        }
    }
    let words: Vec<&str> = seen.iter().map(|s| s.as_str()).collect();
    assert!(
        words.starts_with(&["prospect", "intention", "contract"]),
        "{words:?}"
    );
}

fn jinmen_stage(doc: &Document) -> AgreementStage {
    doc.partners
        .iter()
        .find(|p| p.id.as_str() == "jinmen")
        .unwrap()
        .agreement
        .stage
        .clone()
}

/// Agency stores within 3 km (the default `overlap_km`) of a direct store in
/// their city, as (agency, direct) id pairs.
fn overlaps(doc: &Document) -> HashSet<(String, String)> {
    let mut found = HashSet::new();
    for agency in doc.stores.iter().filter(|s| s.channel == Channel::Agency) {
        for direct in doc
            .stores
            .iter()
            .filter(|s| s.channel == Channel::Direct && s.city == agency.city)
        {
            if let (Some(a), Some(d)) = (agency.location, direct.location)
                && km_between(a, d) <= 3.0
            {
                found.insert((agency.id.to_string(), direct.id.to_string()));
            }
        }
    }
    found
}

#[test]
fn a_simulated_territory_overlap_appears_and_clears_every_cycle() {
    let mut doc = demo();
    let baseline = overlaps(&doc);
    let mut tick = 0;
    for cycle in 0..4 {
        let store_id = format!("{}{cycle}", simulate::CONFLICT_STORE_PREFIX);
        let mut present = Vec::new();
        for _ in 0..CONFLICT_CYCLE {
            simulate::step(&mut doc, tick);
            present.push(doc.stores.iter().any(|s| s.id.as_str() == store_id));
            if tick % CONFLICT_CYCLE == CONFLICT_APPEARS_AT {
                let new: Vec<_> = overlaps(&doc).difference(&baseline).cloned().collect();
                assert_eq!(new.len(), 1, "cycle {cycle}: {new:?}");
                let (agency, direct) = &new[0];
                assert_eq!(agency, &store_id);
                let site = doc.stores.iter().find(|s| s.id.as_str() == agency).unwrap();
                let near = doc.stores.iter().find(|s| s.id.as_str() == direct).unwrap();
                assert_eq!(site.kind, StoreKind::SalesService2s);
                let km = km_between(site.location.unwrap(), near.location.unwrap());
                assert!(km < 1.0, "critical distance, got {km:.2} km");
                let operator = site.operator.partner().unwrap();
                let partner = doc.partners.iter().find(|p| &p.id == operator).unwrap();
                assert!(
                    partner.cities.contains(&site.city),
                    "the partner serves the city"
                );
                let city = doc.cities.iter().find(|c| c.id == site.city).unwrap();
                assert!(city.is_recruiting(), "no outside_recruitment on top");
                assert!(
                    doc.warnings
                        .iter()
                        .any(|w| w.stores.iter().any(|s| s.as_str() == agency)),
                    "the feed warns about it too"
                );
            }
            if tick % CONFLICT_CYCLE == CONFLICT_CLEARS_AT {
                assert!(overlaps(&doc).difference(&baseline).next().is_none());
                assert!(
                    !doc.warnings
                        .iter()
                        .any(|w| w.stores.iter().any(|s| s.as_str() == store_id))
                );
            }
            tick += 1;
        }
        let appeared = (CONFLICT_APPEARS_AT..CONFLICT_CLEARS_AT).all(|t| present[t as usize]);
        let absent = (0..CONFLICT_APPEARS_AT)
            .chain(CONFLICT_CLEARS_AT..CONFLICT_CYCLE)
            .all(|t| !present[t as usize]);
        assert!(appeared && absent, "cycle {cycle}: {present:?}");
    }
}

#[test]
fn simulation_keeps_a_synthetic_rollout_valid() {
    let mut doc = synthetic::generate(2000, 3);
    let mut sites = 0;
    for tick in 0..2 * CONFLICT_CYCLE {
        simulate::step(&mut doc, tick);
        if tick % CONFLICT_CYCLE == CONFLICT_APPEARS_AT {
            sites += doc
                .stores
                .iter()
                .filter(|s| s.id.as_str().starts_with(simulate::CONFLICT_STORE_PREFIX))
                .count();
        }
    }
    assert_valid(&doc, "synthetic after two conflict cycles");
    assert_eq!(sites, 2, "one overlapping site per cycle");
}

/// What the server would publish is still a document a client reads.
fn assert_publishable(doc: &Document) {
    let json = serde_json::to_vec(doc).unwrap();
    let served = parse_document(&json).unwrap();
    assert_eq!(served.generated_at, doc.generated_at);
    assert_eq!(served.stores.len(), doc.stores.len());
}

#[test]
fn simulated_counts_saturate_instead_of_overflowing() {
    let mut doc = demo();
    // Every recruitment at the top of a u32, half about to take in more
    // applicants (open), half about to want one more store (closed).
    for (i, city) in doc.cities.iter_mut().enumerate() {
        if let Some(recruitment) = city.recruitment.as_mut() {
            recruitment.status = if i % 2 == 0 {
                RecruitmentStatus::Open
            } else {
                RecruitmentStatus::Closed
            };
            recruitment.target_stores = Some(u32::MAX);
            recruitment.applicants = Some(u32::MAX);
            recruitment.shortlisted = Some(u32::MAX);
        }
    }
    let extremes = [f64::MAX, -f64::MAX, 1e300, -1.0, 0.0, 100.0];
    for (store, percent) in doc.stores.iter_mut().zip(extremes.iter().cycle()) {
        store.renovation.percent = *percent;
    }
    let out_of_band: HashSet<String> = doc
        .stores
        .iter()
        .filter(|s| !(0.0..=100.0).contains(&s.renovation.percent))
        .map(|s| s.id.to_string())
        .collect();
    let start = doc.generated_at;
    // From the first ticks to the last a u64 counts.
    let ticks = (0..40 * CITY_EVERY).chain(u64::MAX - 40 * CITY_EVERY..=u64::MAX);
    let (mut more_applicants, mut new_rounds) = (0, 0);
    for tick in ticks {
        let before = doc.cities.clone();
        simulate::step(&mut doc, tick);
        for (was, city) in before.iter().zip(&doc.cities) {
            let (Some(was), Some(now)) = (&was.recruitment, &city.recruitment) else {
                continue;
            };
            match (&was.status, &now.status) {
                (RecruitmentStatus::Open, RecruitmentStatus::Shortlisting) => {
                    // More applicants, never fewer: at the top, the top.
                    assert!(now.applicants >= was.applicants, "{}: {now:?}", city.id);
                    let applicants = now.applicants.unwrap();
                    assert_eq!(now.shortlisted, Some(applicants.div_ceil(3)));
                    if was.applicants == Some(u32::MAX) {
                        assert_eq!(now.applicants, Some(u32::MAX), "{}", city.id);
                        more_applicants += 1;
                    }
                }
                (RecruitmentStatus::Closed, RecruitmentStatus::Open) => {
                    assert!(
                        now.target_stores >= was.target_stores,
                        "{}: {now:?}",
                        city.id
                    );
                    if was.target_stores == Some(u32::MAX) {
                        assert_eq!(now.target_stores, Some(u32::MAX), "{}", city.id);
                        new_rounds += 1;
                    }
                }
                _ => {}
            }
        }
    }
    assert!(
        more_applicants > 0,
        "no open city at the top took in applicants"
    );
    assert!(
        new_rounds > 0,
        "no closed city at the top started a new round"
    );
    // A store the simulation moved is back inside its phase's band, however
    // far outside 0-100 the file put it; the others stay as the file said.
    let moved: Vec<_> = doc
        .stores
        .iter()
        .filter(|s| s.renovation.updated_at > Some(start))
        .collect();
    assert!(
        moved
            .iter()
            .filter(|s| out_of_band.contains(s.id.as_str()))
            .count()
            >= 2,
        "the simulation moved no store that started outside 0-100"
    );
    for store in moved {
        let r = &store.renovation;
        assert!(
            simulate::percent_fits(&r.phase, r.percent),
            "{} is {} at {}%",
            store.id,
            r.phase,
            r.percent
        );
    }
    assert_publishable(&doc);
}

#[test]
fn simulated_clock_stops_at_the_last_representable_moment() {
    let mut doc = demo();
    // Four hours before the last moment a feed time can name.
    doc.generated_at =
        rollout_dash::feed::dates::parse_date_time("+262142-12-31T20:00:00Z").unwrap();
    let start = doc.generated_at;
    let mut last = start;
    // Long enough for every rule that sets a date to fire at the end.
    for tick in 0..3 * CONFLICT_CYCLE {
        simulate::step(&mut doc, tick);
        assert!(
            doc.generated_at >= last,
            "tick {tick}: the clock never goes back"
        );
        last = doc.generated_at;
    }
    assert!(last > start, "the clock moved while it could");
    assert_eq!(last.date_naive(), chrono::NaiveDate::MAX);
    assert_valid(&doc, "at the end of time");
    assert_publishable(&doc);
}

// ---------------------------------------------------------------- synthetic

fn check_synthetic(stores: usize, seed: u64) {
    let doc = synthetic::generate(stores, seed);
    assert_eq!(doc.stores.len(), stores);
    assert!(doc.cities.len() >= 300, "{} cities", doc.cities.len());
    assert!(doc.partners.len() >= (stores / 8).max(14));
    assert!(!doc.warnings.is_empty());
    assert_valid(&doc, &format!("synthetic {stores}"));

    let cities: HashMap<&str, _> = doc.cities.iter().map(|c| (c.id.as_str(), c)).collect();
    let partners: HashMap<&str, _> = doc.partners.iter().map(|p| (p.id.as_str(), p)).collect();
    for city in &doc.cities {
        let at = city.location.unwrap();
        assert!((20.0..=48.0).contains(&at.lat) && (98.0..=125.0).contains(&at.lon));
        assert!(city.local_name.is_some() && city.province.is_some());
    }
    let mut kinds: HashMap<&str, usize> = HashMap::new();
    for store in &doc.stores {
        *kinds.entry(store.kind.as_str()).or_default() += 1;
        let city = cities[store.city.as_str()];
        let km = km_between(store.location.unwrap(), city.location.unwrap());
        assert!(km <= 20.1, "{} is {km:.1} km from its centre", store.id);
        if store.kind == StoreKind::SalesService2s {
            let partner = partners[store.operator.as_str()];
            assert!(partner.cities.contains(&store.city), "{}", store.id);
            assert!(matches!(
                partner.agreement.stage,
                AgreementStage::Intention | AgreementStage::Contract
            ));
            assert_ne!(city.recruitment_status(), RecruitmentStatus::Planned);
        }
    }
    for kind in StoreKind::KNOWN {
        let share = kinds.get(kind.as_str()).copied().unwrap_or(0) as f64 / stores as f64;
        assert!(share > 0.05, "{kind}: {share:.2}");
    }
    let tiers: HashSet<_> = doc.partners.iter().map(|p| p.tier.clone()).collect();
    assert_eq!(tiers.len(), Tier::KNOWN.len());
    let top100 = doc
        .partners
        .iter()
        .filter(|p| p.tier == Tier::Top100)
        .count();
    assert!(top100 <= 100);
}

#[test]
fn synthetic_1k_is_valid() {
    check_synthetic(1_000, 1);
}

#[test]
fn synthetic_20k_is_valid() {
    check_synthetic(20_000, 2);
}

#[test]
fn synthetic_is_deterministic() {
    let a = synthetic::generate_json(1_000, 42);
    assert_eq!(a, synthetic::generate_json(1_000, 42));
    assert_ne!(a, synthetic::generate_json(1_000, 43));
    assert_eq!(synthetic::generate(0, 1).stores.len(), 0);
    assert_valid(&synthetic::generate(0, 1), "empty synthetic");
    assert_valid(&synthetic::generate(7, 1), "tiny synthetic");
}

// ---------------------------------------------------------------- OpenAPI

const OPENAPI: &str = include_str!("../assets/openapi.yaml");

/// Every object key the demo document uses, at any depth.
fn keys(value: &serde_json::Value, into: &mut HashSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                into.insert(key.clone());
                keys(inner, into);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| keys(v, into)),
        _ => {}
    }
}

#[test]
fn openapi_names_every_field_and_enum_value() {
    let mut all = HashSet::new();
    keys(&serde_json::from_str(DEMO_FEED_JSON).unwrap(), &mut all);
    // Optional fields the demo leaves out somewhere still appear in it elsewhere;
    // a synthetic document adds nothing new, but check it too.
    keys(
        &serde_json::to_value(synthetic::generate(50, 1)).unwrap(),
        &mut all,
    );
    for key in &all {
        assert!(
            OPENAPI.contains(&format!("{key}:")),
            "openapi.yaml does not describe the field {key}"
        );
    }
    let values = rollout_dash::feed::wire::Phase::KNOWN
        .iter()
        .map(|v| v.as_str().to_owned())
        .chain(
            RecruitmentStatus::KNOWN
                .iter()
                .map(|v| v.as_str().to_owned()),
        )
        .chain(Tier::KNOWN.iter().map(|v| v.as_str().to_owned()))
        .chain(AgreementStage::KNOWN.iter().map(|v| v.as_str().to_owned()))
        .chain(StoreKind::KNOWN.iter().map(|v| v.as_str().to_owned()))
        .chain(Channel::KNOWN.iter().map(|v| v.as_str().to_owned()))
        .chain(
            rollout_dash::feed::wire::WireSeverity::KNOWN
                .iter()
                .map(|v| v.as_str().to_owned()),
        );
    for value in values {
        assert!(
            OPENAPI.contains(&format!("- {value}\n")),
            "openapi.yaml does not list the value {value}"
        );
    }
    for needle in [
        "/v1/snapshot:",
        "ETag:",
        "Last-Modified:",
        "If-None-Match",
        "If-Modified-Since",
        "Accept-Encoding",
        "Retry-After:",
        "bearerFormat",
        "'200':",
        "'304':",
        "'401':",
        "'403':",
        "'429':",
        "'503':",
    ] {
        assert!(OPENAPI.contains(needle), "openapi.yaml lacks {needle}");
    }
}

/// The `required:` list of each schema under `components.schemas`, read
/// from the file's own layout (flow lists on one line), which is enough for
/// a document this project writes by hand.
fn required_fields() -> HashMap<String, Vec<String>> {
    let mut required = HashMap::new();
    let mut in_schemas = false;
    let mut current = None;
    for line in OPENAPI.lines() {
        if line == "  schemas:" {
            in_schemas = true;
            continue;
        }
        if !in_schemas {
            continue;
        }
        if !line.starts_with("    ") && !line.trim().is_empty() {
            break;
        }
        if let Some(name) = line.strip_prefix("    ").and_then(|l| l.strip_suffix(':'))
            && !name.starts_with(' ')
        {
            current = Some(name.to_owned());
        } else if let (Some(name), Some(list)) = (
            &current,
            line.strip_prefix("      required: [")
                .and_then(|l| l.strip_suffix(']')),
        ) {
            required.insert(
                name.clone(),
                list.split(',').map(|f| f.trim().to_owned()).collect(),
            );
        }
    }
    required
}

#[test]
fn demo_has_every_field_openapi_requires() {
    let required = required_fields();
    for schema in [
        "Document",
        "Program",
        "Location",
        "City",
        "Recruitment",
        "Partner",
        "Agreement",
        "Store",
        "Renovation",
        "Warning",
    ] {
        assert!(
            required.contains_key(schema),
            "no required list for {schema}"
        );
    }
    let demo: serde_json::Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    let check = |schema: &str, value: &serde_json::Value, what: &str| {
        for field in &required[schema] {
            assert!(value.get(field).is_some(), "{what} lacks required {field}");
        }
    };
    check("Document", &demo, "the document");
    check("Program", &demo["program"], "program");
    let all = |key: &str| demo[key].as_array().unwrap().clone();
    for city in all("cities") {
        check("City", &city, "a city");
        if let Some(at) = city.get("location") {
            check("Location", at, "a city location");
        }
        if let Some(recruitment) = city.get("recruitment") {
            check("Recruitment", recruitment, "a recruitment");
        }
    }
    for partner in all("partners") {
        check("Partner", &partner, "a partner");
        check("Agreement", &partner["agreement"], "an agreement");
    }
    for store in all("stores") {
        check("Store", &store, "a store");
        check("Renovation", &store["renovation"], "a renovation");
        if let Some(at) = store.get("location") {
            check("Location", at, "a store location");
        }
    }
    for warning in all("warnings") {
        check("Warning", &warning, "a warning");
    }
    // And what the parser insists on is what the OpenAPI requires.
    assert_eq!(
        required["Store"],
        [
            "id",
            "city",
            "kind",
            "channel",
            "operator",
            "name",
            "renovation"
        ]
    );
}
