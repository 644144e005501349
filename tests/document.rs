//! Parsing and validation of feed documents: every invalid case of
//! feed-contract.md, refused documents with the JSON path, hostile text.

use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::snapshot::{DocumentError, Snapshot, parse_document};
use rollout_dash::feed::wire::{Phase, RecruitmentStatus, WireValue};
use serde_json::{Value, json};

fn minimal() -> Value {
    json!({
        "schema_version": 1,
        "generated_at": "2024-02-20T08:00:00Z",
        "program": { "name": "Xiaomi EV 1+N channel rollout", "display_vehicle_deadline": "2024-03-31" },
        "cities": [
            { "id": "suzhou", "name": "Suzhou", "local_name": "苏州", "province": "Jiangsu",
              "location": { "lat": 31.299, "lon": 120.585 },
              "recruitment": { "status": "open", "opened_on": "2024-01-02", "target_stores": 3, "applicants": 11, "shortlisted": 4 } }
        ],
        "partners": [
            { "id": "ganghong", "name": "Sichuan Ganghong Group", "tier": "top100", "top100_rank": 18,
              "brands": ["BYD"], "luxury_experience": true, "nev_experience": true,
              "agreement": { "stage": "intention", "signed_on": "2023-12-29" }, "cities": ["suzhou"] }
        ],
        "stores": [
            { "id": "sz-dc-01", "city": "suzhou", "kind": "delivery_center", "channel": "direct", "operator": "xiaomi",
              "name": "Suzhou DC", "district": "Wuzhong", "location": { "lat": 31.3, "lon": 120.6 },
              "renovation": { "phase": "construction", "percent": 45, "planned_open": "2024-03-20" } },
            { "id": "sz-2s-01", "city": "suzhou", "kind": "sales_service_2s", "channel": "agency", "operator": "ganghong",
              "name": "Suzhou 2S", "district": "Gusu",
              "renovation": { "phase": "open", "percent": 100 } }
        ],
        "warnings": [
            { "id": "w-1", "severity": "warning", "kind": "pricing", "city": "suzhou", "stores": ["sz-2s-01"], "message": "deposit" }
        ]
    })
}

fn snapshot(doc: &Value) -> Snapshot {
    Snapshot::from_body(doc.to_string().as_bytes()).expect("document parses")
}

fn warnings_of(doc: &Value) -> Vec<(String, String)> {
    snapshot(doc)
        .data_warnings
        .into_iter()
        .map(|w| (w.record.as_str().to_owned(), w.message))
        .collect()
}

fn refused(body: &str) -> DocumentError {
    parse_document(body.as_bytes()).expect_err("document is refused")
}

#[test]
fn demo_document_is_valid() {
    let snapshot = Snapshot::from_body(DEMO_FEED_JSON.as_bytes()).unwrap();
    assert!(
        snapshot.data_warnings.is_empty(),
        "{:?}",
        snapshot.data_warnings
    );
    let recruiting = snapshot.cities().filter(|c| c.is_recruiting()).count();
    assert_eq!(recruiting, 17, "the 17 recruitment cities");
    assert_eq!(snapshot.partners().count(), 14);
    for name in ["Suzhou", "Chongqing", "Ningbo", "Nanjing"] {
        assert!(snapshot.cities().any(|c| c.name.as_str() == name), "{name}");
    }
    let ganghong = snapshot.partner("ganghong").unwrap();
    assert_eq!(ganghong.name.as_str(), "Sichuan Ganghong Group");
    for phase in Phase::KNOWN {
        assert!(
            snapshot.stores().any(|s| &s.renovation.phase == phase),
            "no store in {phase}"
        );
    }
}

#[test]
fn minimal_document_is_valid() {
    assert!(warnings_of(&minimal()).is_empty());
}

#[test]
fn duplicate_ids_are_data_warnings_and_the_first_is_kept() {
    let mut doc = minimal();
    let mut dup = doc["stores"][0].clone();
    dup["name"] = json!("Second copy");
    doc["stores"].as_array_mut().unwrap().push(dup);
    let snap = snapshot(&doc);
    assert_eq!(snap.store("sz-dc-01").unwrap().name.as_str(), "Suzhou DC");
    assert_eq!(snap.stores().count(), 2);
    let w = &snap.data_warnings;
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].record, "sz-dc-01");
    assert!(
        w[0].message.contains("duplicate store id"),
        "{}",
        w[0].message
    );
}

#[test]
fn dangling_references_name_the_record() {
    let mut doc = minimal();
    doc["stores"][0]["city"] = json!("atlantis");
    doc["stores"][1]["operator"] = json!("nobody");
    doc["partners"][0]["cities"] = json!(["suzhou", "gotham"]);
    doc["warnings"][0]["stores"] = json!(["ghost-store"]);
    doc["warnings"][0]["city"] = json!("nowhere");
    let warnings = warnings_of(&doc);
    let find = |record: &str, needle: &str| {
        warnings
            .iter()
            .any(|(r, m)| r == record && m.contains(needle))
    };
    assert!(find("sz-dc-01", "atlantis"), "{warnings:?}");
    assert!(find("sz-2s-01", "nobody"), "{warnings:?}");
    assert!(find("ganghong", "gotham"), "{warnings:?}");
    assert!(find("w-1", "ghost-store"), "{warnings:?}");
    assert!(find("w-1", "nowhere"), "{warnings:?}");
    assert_eq!(warnings.len(), 5);
}

#[test]
fn percent_outside_range_is_a_data_warning() {
    let mut doc = minimal();
    doc["stores"][0]["renovation"]["percent"] = json!(140);
    let warnings = warnings_of(&doc);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].0, "sz-dc-01");
    assert!(warnings[0].1.contains("140"));
}

#[test]
fn phase_contradicting_percent_is_a_data_warning() {
    let mut doc = minimal();
    doc["stores"][1]["renovation"]["percent"] = json!(40);
    let warnings = warnings_of(&doc);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].0, "sz-2s-01");
    assert!(warnings[0].1.contains("open") && warnings[0].1.contains("40"));
}

#[test]
fn coordinates_out_of_range_are_data_warnings() {
    let mut doc = minimal();
    doc["stores"][0]["location"] = json!({ "lat": 91.0, "lon": 120.0 });
    doc["cities"][0]["location"] = json!({ "lat": 31.0, "lon": -200.0 });
    let warnings = warnings_of(&doc);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().any(|(r, _)| r == "sz-dc-01"));
    assert!(warnings.iter().any(|(r, _)| r == "suzhou"));
}

#[test]
fn kind_and_channel_that_disagree_are_data_warnings() {
    let mut doc = minimal();
    doc["stores"][0]["channel"] = json!("agency");
    doc["stores"][0]["operator"] = json!("ganghong");
    let warnings = warnings_of(&doc);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .1
            .contains("delivery center on the agency channel")
    );
}

#[test]
fn unknown_enum_values_are_kept_and_reported() {
    let mut doc = minimal();
    doc["stores"][0]["renovation"]["phase"] = json!("handover");
    doc["cities"][0]["recruitment"]["status"] = json!("paused");
    let snap = snapshot(&doc);
    let store = snap.store("sz-dc-01").unwrap();
    assert!(!store.renovation.phase.is_known());
    assert_eq!(store.renovation.phase.as_str(), "handover");
    assert!(matches!(
        snap.city("suzhou").unwrap().recruitment_status(),
        RecruitmentStatus::Unknown(_)
    ));
    assert_eq!(snap.data_warnings.len(), 2, "{:?}", snap.data_warnings);
    assert!(
        snap.data_warnings
            .iter()
            .any(|w| w.message.contains("\"handover\""))
    );
}

#[test]
fn unknown_fields_are_ignored() {
    let mut doc = minimal();
    doc["future_field"] = json!({ "anything": [1, 2, 3] });
    doc["stores"][0]["lease"] = json!("10 years");
    assert!(warnings_of(&doc).is_empty());
}

#[test]
fn another_schema_version_is_refused_naming_both() {
    let mut doc = minimal();
    doc["schema_version"] = json!(2);
    let err = refused(&doc.to_string());
    assert!(matches!(err, DocumentError::SchemaVersion { .. }));
    let message = err.to_string();
    assert!(
        message.contains("schema_version 2") && message.contains("schema_version 1"),
        "{message}"
    );
    // Also when the rest of the document is of another shape entirely.
    let err = refused(r#"{"schema_version": 3, "everything": "else"}"#);
    assert!(err.to_string().contains("schema_version 3"), "{err}");
}

#[test]
fn not_json_is_refused_and_says_what_came() {
    let err = refused("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>");
    assert!(matches!(err, DocumentError::NotJson { .. }));
    assert!(err.to_string().contains("<!DOCTYPE html>"), "{err}");
}

#[test]
fn truncated_document_is_refused_with_a_path() {
    let body = minimal().to_string();
    let err = refused(&body[..body.len() / 2]);
    assert!(matches!(err, DocumentError::Invalid { .. }), "{err:?}");
    assert!(err.to_string().contains("$."), "{err}");
}

#[test]
fn top_level_array_is_refused() {
    let err = refused("[1, 2, 3]");
    assert!(err.to_string().contains("$"), "{err}");
    assert!(err.to_string().contains("found an array"), "{err}");
}

#[test]
fn missing_required_field_names_its_path() {
    let mut doc = minimal();
    doc["stores"][1]
        .as_object_mut()
        .unwrap()
        .remove("renovation");
    let err = refused(&doc.to_string()).to_string();
    assert!(err.contains("$.stores[1]"), "{err}");
    assert!(err.contains("renovation"), "{err}");
}

#[test]
fn a_bad_required_number_names_its_path() {
    let mut doc = minimal();
    doc["stores"][0]["renovation"]["percent"] = json!("forty");
    let err = refused(&doc.to_string()).to_string();
    assert!(err.contains("$.stores[0].renovation.percent"), "{err}");
}

#[test]
fn a_bad_optional_number_is_a_warning_naming_record_and_field() {
    let mut doc = minimal();
    doc["cities"][0]["recruitment"]["applicants"] = json!(-3);
    let city = doc["cities"][0]["id"].as_str().unwrap().to_owned();
    let warnings = warnings_of(&doc);
    assert!(
        warnings
            .iter()
            .any(|(record, message)| *record == city && message.contains("recruitment.applicants")),
        "{warnings:?}"
    );
}

#[test]
fn a_bad_required_date_names_its_path() {
    let mut doc = minimal();
    doc["generated_at"] = json!("next spring");
    let err = refused(&doc.to_string()).to_string();
    assert!(err.contains("$.generated_at"), "{err}");
}

#[test]
fn a_bad_optional_date_is_a_warning_naming_record_and_field() {
    let mut doc = minimal();
    doc["stores"][0]["renovation"]["planned_open"] = json!("next spring");
    let store = doc["stores"][0]["id"].as_str().unwrap().to_owned();
    let warnings = warnings_of(&doc);
    assert!(
        warnings.iter().any(|(record, message)| *record == store
            && message.contains("renovation.planned_open")
            && message.contains("\"next spring\"")),
        "{warnings:?}"
    );
}

#[test]
fn hostile_text_is_made_safe_on_entry() {
    let mut doc = minimal();
    doc["stores"][0]["name"] =
        json!("Evil\u{1b}[2J\u{1b}]0;title\u{7} \u{9b}31mstore\u{202e}gnp.exe");
    doc["partners"][0]["brands"] = json!(["\u{1b}P+q\u{1b}\\BYD"]);
    doc["warnings"][0]["message"] = json!("line one\nline two\r\u{7f}");
    let snap = snapshot(&doc);
    let all = serde_json::to_string(&snap.document).unwrap();
    let forbidden = |c: char| {
        c.is_control()
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    for text in [
        snap.store("sz-dc-01").unwrap().name.as_str(),
        snap.partner("ganghong").unwrap().brands[0].as_str(),
        snap.document.warnings[0].message.as_str(),
    ] {
        assert!(!text.chars().any(forbidden), "{text:?}");
    }
    assert!(!all.contains('\u{1b}'));
    assert_eq!(
        snap.document.warnings[0].message.as_str(),
        "line one line two "
    );
}

#[test]
fn a_store_finished_before_construction_is_a_data_warning() {
    let mut doc = minimal();
    doc["stores"][0]["renovation"]["phase"] = json!("design");
    doc["stores"][0]["renovation"]["percent"] = json!(100);
    let warnings = warnings_of(&doc);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].1.contains("phase design") && warnings[0].1.contains("100"));
}
