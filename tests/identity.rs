//! Exact identity, lenient optional fields and an honest `report`: records
//! are told apart by their raw ids, one bad optional field is a data warning
//! and not a refused document, and `report` prints ids in full, in ASCII
//! where the locale needs it, and ends quietly on a closed pipe.

mod common;

use std::os::fd::{FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{Command, Stdio};

use common::{BIN, Server, run};
use rollout_dash::analysis::RulesConfig;
use rollout_dash::analysis::{Analysis, Origin, Rule};
use rollout_dash::feed::snapshot::{DocumentError, Snapshot};
use serde_json::{Value, json};

/// A city, two partners' worth of agency stores and a direct store: the
/// smallest document where overlaps and competitor brands fire.
fn document(cities: Value, partners: Value, stores: Value) -> Value {
    json!({
        "schema_version": 1,
        "generated_at": "2024-02-20T08:00:00Z",
        "program": {"name": "Rollout", "display_vehicle_deadline": "2024-03-31"},
        "cities": cities,
        "partners": partners,
        "stores": stores,
        "warnings": []
    })
}

fn city(id: &str) -> Value {
    json!({"id": id, "name": "Ningbo", "local_name": "宁波",
           "location": {"lat": 29.87, "lon": 121.54},
           "recruitment": {"status": "open"}})
}

fn partner(id: &str, name: &str, brands: Value) -> Value {
    json!({"id": id, "name": name, "tier": "top100", "brands": brands,
           "luxury_experience": true, "nev_experience": true,
           "agreement": {"stage": "contract", "signed_on": "2024-01-05"},
           "cities": ["ningbo"]})
}

fn store(id: &str, operator: &str, lat: f64) -> Value {
    let (kind, channel) = if operator == "xiaomi" {
        ("delivery_center", "direct")
    } else {
        ("sales_service_2s", "agency")
    };
    json!({"id": id, "city": "ningbo", "kind": kind, "channel": channel,
           "operator": operator, "name": format!("Store {}", id.chars().rev().take(3).collect::<String>()),
           "location": {"lat": lat, "lon": 121.54},
           "renovation": {"phase": "construction", "percent": 40,
                          "planned_open": "2024-05-01"}})
}

fn snapshot(doc: &Value) -> Snapshot {
    Snapshot::from_body(doc.to_string().as_bytes()).expect("the document is read")
}

/// 300 characters, differing from its siblings only at the end.
fn long_id(last: char) -> String {
    format!("{}{last}", "s".repeat(299))
}

#[test]
fn ids_that_differ_after_200_characters_are_different_records() {
    let stores: Vec<Value> = "abcdef"
        .chars()
        .enumerate()
        .map(|(i, c)| store(&long_id(c), "xiaomi", 29.0 + i as f64))
        .collect();
    let snap = snapshot(&document(json!([city("ningbo")]), json!([]), json!(stores)));
    assert_eq!(snap.stores().count(), 6, "six stores, none merged");
    assert!(
        !snap
            .data_warnings
            .iter()
            .any(|w| w.message.contains("duplicate")),
        "{:?}",
        snap.data_warnings
    );
    for c in "abcdef".chars() {
        assert!(
            snap.store(&long_id(c)).is_some(),
            "store ...{c} is found by its full id"
        );
    }
}

#[test]
fn partners_that_differ_late_keep_their_own_stores_and_findings() {
    let first = format!("{}1", "p".repeat(250));
    let second = format!("{}2", "p".repeat(250));
    let doc = document(
        json!([city("ningbo")]),
        json!([
            partner(&first, "First Group", json!(["Audi"])),
            partner(&second, "Second Group", json!(["BYD"])),
        ]),
        json!([
            store("nb-2s-01", &first, 29.870),
            store("nb-2s-02", &second, 29.871),
            store("nb-dc-01", "xiaomi", 29.60),
        ]),
    );
    let snap = snapshot(&doc);
    assert_eq!(snap.partners().count(), 2);
    let analysis = Analysis::of(&snap, &RulesConfig::default());
    let agency = analysis
        .findings
        .iter()
        .find(|f| f.origin == Origin::Rule(Rule::AgencyOverlap))
        .expect("two partners' stores 100 m apart overlap");
    let named: Vec<&str> = agency.partners.iter().map(|p| p.as_str()).collect();
    assert!(named.contains(&first.as_str()) && named.contains(&second.as_str()));
    let competitor = analysis
        .findings
        .iter()
        .find(|f| f.origin == Origin::Rule(Rule::CompetitorBrand))
        .expect("the second partner sells BYD");
    assert_eq!(competitor.partners[0].as_str(), second);
    assert_eq!(competitor.stores[0].as_str(), "nb-2s-02");
}

#[test]
fn nfc_nfd_and_zero_width_spellings_are_different_ids() {
    let stores = json!([
        store("caf\u{e9}-01", "xiaomi", 29.1),
        store("cafe\u{301}-01", "xiaomi", 29.2),
        store("nb\u{200b}-01", "xiaomi", 29.3),
        store("nb-01", "xiaomi", 29.4),
    ]);
    let snap = snapshot(&document(json!([city("ningbo")]), json!([]), stores));
    assert_eq!(snap.stores().count(), 4);
    assert!(snap.data_warnings.is_empty(), "{:?}", snap.data_warnings);
    assert!(snap.store("cafe\u{301}-01").is_some());
    assert!(snap.store("nb\u{200b}-01").is_some());
}

#[test]
fn a_duplicate_id_is_still_one_record_and_named_exactly() {
    let id = format!("{}x", "d".repeat(240));
    let stores = json!([store(&id, "xiaomi", 29.1), store(&id, "xiaomi", 29.2)]);
    let snap = snapshot(&document(json!([city("ningbo")]), json!([]), stores));
    assert_eq!(snap.stores().count(), 1);
    let warning = &snap.data_warnings[0];
    assert_eq!(warning.record.as_str(), id, "the record is the raw id");
    assert!(warning.message.contains("duplicate"));
}

/// `serve --data` on a document written to a file in `dir`.
fn serve(doc: &Value, dir: &Path) -> Server {
    let path = dir.join("feed.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    Server::start(&["--data", path.to_str().unwrap()])
}

/// A feed whose ids are long, hostile and unnormalised.
fn hostile_ids_feed() -> (Value, String, String) {
    let long = format!("{}-end", "n".repeat(290));
    let hostile = "nb-\u{1b}[2J-\u{200b}x".to_owned();
    let doc = document(
        json!([city("ningbo")]),
        json!([partner("p1", "Yongjiang", json!([]))]),
        json!([
            store(&long, "p1", 29.870),
            store(&hostile, "xiaomi", 29.8701),
            // A dangling city reference names the store in a data warning.
            {"id": "lost-01", "city": long, "kind": "delivery_center", "channel": "direct",
             "operator": "xiaomi", "name": "Lost", "renovation": {"phase": "planned", "percent": 0}}
        ]),
    );
    (doc, long, hostile)
}

#[test]
fn report_json_gives_every_id_exactly_as_the_feed_sent_it() {
    let home = tempfile::tempdir().unwrap();
    let (doc, long, hostile) = hostile_ids_feed();
    let server = serve(&doc, home.path());
    let output = run(
        &["report", "--feed", &server.url, "--format", "json"],
        &[("LANG", "C.UTF-8")],
        home.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let overlap = report["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "territory_overlap")
        .expect("agency and direct store 10 m apart");
    let stores: Vec<&str> = overlap["stores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(stores.contains(&long.as_str()), "{stores:?}");
    assert!(stores.contains(&hostile.as_str()), "{stores:?}");
    assert!(
        report["data_warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["record"] == "lost-01"),
        "{}",
        report["data_warnings"]
    );
    // The sentence is for people: safe, whatever the ids hold.
    let message = overlap["message"].as_str().unwrap();
    assert!(!message.contains('\u{1b}'), "{message:?}");
}

#[test]
fn report_text_prints_ids_in_full_and_escaped() {
    let home = tempfile::tempdir().unwrap();
    let (doc, long, _) = hostile_ids_feed();
    let server = serve(&doc, home.path());
    let output = run(
        &["report", "--feed", &server.url, "--format", "text"],
        &[("LANG", "C.UTF-8")],
        home.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no escape sequence from the feed");
    assert!(!text.contains('…'), "no id is cut:\n{text}");
    assert!(text.contains("lost-01"), "{text}");
    assert!(
        text.contains(&long),
        "the 294-character city id in full:\n{text}"
    );
}

#[test]
fn report_text_in_a_non_utf8_locale_is_ascii_with_english_names() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(&[]);
    let output = run(
        &["report", "--feed", &server.url, "--format", "text"],
        &[("LANG", "C")],
        home.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        output.stdout.is_ascii(),
        "only ASCII in a C locale: {:?}",
        String::from_utf8_lossy(&output.stdout)
            .chars()
            .filter(|c| !c.is_ascii())
            .take(20)
            .collect::<String>()
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Suzhou"), "{text}");
    assert!(!text.contains("??"), "no question-mark debris:\n{text}");
    assert!(
        text.contains("Sichuan Ganghong Group")
            || text.contains("E-KINGO")
            || text.contains("EKINGO")
    );
}

#[test]
fn report_ends_quietly_when_its_pipe_is_closed() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(&["--synthetic-stores", "3000"]);
    // A feed that cannot be read says so on the closed stderr: exit 1, no abort.
    let nowhere = "http://127.0.0.1:9".to_owned();
    for (feed, format, code) in [
        (&server.url, "text", 0),
        (&server.url, "json", 0),
        (&nowhere, "text", 1),
    ] {
        // `report 2>&1 | true`: stdout and stderr one pipe, its reader gone.
        let mut fds = [0; 2];
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        drop(read);
        let stderr = write.try_clone().unwrap();
        let status = Command::new(BIN)
            .args(["report", "--feed", feed, "--format", format])
            .env_clear()
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            .stdin(Stdio::null())
            .stdout(Stdio::from(write))
            .stderr(Stdio::from(stderr))
            .status()
            .unwrap();
        assert_eq!(
            status.code(),
            Some(code),
            "{feed} {format}: {status:?} (134 is an abort)"
        );
    }
}

#[test]
fn null_optional_fields_are_absent() {
    let mut doc = document(
        json!([city("ningbo")]),
        json!([partner("p1", "Yongjiang", Value::Null)]),
        json!([store("nb-2s-01", "p1", 29.87)]),
    );
    doc["warnings"] = Value::Null;
    doc["partners"][0]["cities"] = Value::Null;
    doc["partners"][0]["top100_rank"] = Value::Null;
    doc["partners"][0]["luxury_experience"] = Value::Null;
    doc["stores"][0]["district"] = Value::Null;
    doc["stores"][0]["renovation"]["planned_open"] = Value::Null;
    doc["cities"][0]["recruitment"]["target_stores"] = Value::Null;
    let snap = snapshot(&doc);
    assert!(snap.data_warnings.is_empty(), "{:?}", snap.data_warnings);
    assert!(snap.partner("p1").unwrap().brands.is_empty());
    assert!(snap.document.warnings.is_empty());
}

#[test]
fn a_malformed_optional_field_is_a_data_warning_on_its_record() {
    let mut doc = document(
        json!([city("ningbo")]),
        json!([partner("p1", "Yongjiang", json!("BYD"))]),
        json!([
            store("nb-2s-01", "p1", 29.87),
            store("nb-2s-02", "p1", 29.60),
            store("nb-2s-03", "p1", 29.50),
            store("nb-dc-01", "xiaomi", 29.40),
        ]),
    );
    doc["stores"][0]["renovation"]["planned_open"] = json!("");
    doc["stores"][1]["renovation"]["planned_open"] = json!("2024-02-30");
    doc["stores"][2]["renovation"]["display_vehicle_eta"] = json!("2024-03-01T08:00:00Z");
    doc["stores"][3]["location"] = json!([29.4, 121.5]);
    doc["partners"][0]["top100_rank"] = json!("eighteen");
    doc["cities"][0]["recruitment"]["opened_on"] = json!(20240102);
    doc["program"]["display_vehicle_deadline"] = json!("end of March");
    let snap = snapshot(&doc);
    let on = |record: &str, field: &str| {
        snap.data_warnings
            .iter()
            .any(|w| w.record.as_str() == record && w.message.contains(field))
    };
    assert!(
        on("nb-2s-01", "renovation.planned_open"),
        "{:#?}",
        snap.data_warnings
    );
    assert!(on("nb-2s-02", "2024-02-30"), "{:#?}", snap.data_warnings);
    assert!(
        on("nb-2s-03", "renovation.display_vehicle_eta"),
        "{:#?}",
        snap.data_warnings
    );
    assert!(on("nb-dc-01", "location"), "{:#?}", snap.data_warnings);
    assert!(on("p1", "top100_rank"), "{:#?}", snap.data_warnings);
    assert!(on("p1", "brands"), "{:#?}", snap.data_warnings);
    assert!(
        on("ningbo", "recruitment.opened_on"),
        "{:#?}",
        snap.data_warnings
    );
    assert!(
        on("program", "display_vehicle_deadline"),
        "{:#?}",
        snap.data_warnings
    );
    // The rest of each record is shown; the bad field is treated as absent.
    let s = snap.store("nb-2s-02").unwrap();
    assert_eq!(s.renovation.planned_open, None);
    assert_eq!(s.renovation.percent, 40.0);
    assert!(snap.store("nb-dc-01").unwrap().location.is_none());
    assert_eq!(snap.partner("p1").unwrap().top100_rank, None);
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let doc = document(json!([city("ningbo")]), json!([]), json!([]));
    let mut body = "\u{feff}".as_bytes().to_vec();
    body.extend_from_slice(doc.to_string().as_bytes());
    let snap = Snapshot::from_body(&body).expect("a BOM before the JSON is fine");
    assert_eq!(snap.cities().count(), 1);
}

#[test]
fn a_refused_body_is_quoted_as_it_really_is() {
    let body = "\u{200b}<html>\u{1b}[31mBad gateway</html>";
    match Snapshot::from_body(body.as_bytes()) {
        Err(DocumentError::NotJson { start, .. }) => {
            assert!(start.contains("\\u{200b}<html>"), "{start}");
            assert!(start.contains("\\u{1b}[31m"), "{start}");
            assert!(!start.contains('\u{1b}'));
        }
        other => panic!("expected NotJson, got {other:?}"),
    }
}
