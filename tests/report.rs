//! `rollout-dash report` and the command line, run as a real binary against
//! `rollout-dash serve` on 127.0.0.1: the JSON shape, the exit codes and the
//! config precedence (flag > environment > file > default).

mod common;

use common::{Server, run};
use std::process::Output;

use rollout_dash::analysis::RulesConfig;
use rollout_dash::analysis::{Analysis, Origin, Rule};
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::simulate::{self, CONFLICT_APPEARS_AT, CONFLICT_CLEARS_AT};
use rollout_dash::feed::snapshot::{Snapshot, parse_document};
use serde_json::Value;

fn json(output: &Output) -> Value {
    assert!(
        output.status.success() || output.status.code() == Some(3),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("report prints one JSON object")
}

#[test]
fn report_json_has_the_fields_other_programs_rely_on() {
    let server = Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let output = run(
        &["report", "--feed", &server.url, "--format", "json"],
        &[],
        home.path(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "conflicts alone do not fail the report"
    );
    let report = json(&output);
    assert_eq!(report["generated_at"], "2024-02-20T08:00:00Z");
    let cities = report["cities"].as_array().unwrap();
    let recruiting: Vec<&Value> = cities
        .iter()
        .filter(|c| c["recruitment_status"] != "planned")
        .collect();
    assert_eq!(recruiting.len(), 17, "the 17 recruitment cities");
    for city in cities {
        for field in [
            "id",
            "name",
            "recruitment_status",
            "stores_total",
            "stores_open",
            "avg_percent",
            "conflicts",
        ] {
            assert!(
                !city[field].is_null(),
                "city field {field} missing in {city}"
            );
        }
    }
    let suzhou = cities.iter().find(|c| c["id"] == "suzhou").unwrap();
    assert_eq!(suzhou["name"], "Suzhou");
    assert!(suzhou["stores_total"].as_u64().unwrap() > 0);
    let conflicts = report["conflicts"].as_array().unwrap();
    assert!(!conflicts.is_empty());
    for conflict in conflicts {
        for field in ["rule", "severity", "stores", "partners", "message"] {
            assert!(
                !conflict[field].is_null(),
                "conflict field {field} missing in {conflict}"
            );
        }
        // The contract: city is absent for partner-wide findings.
        let partner_wide = conflict["rule"] == "unqualified_partner";
        assert_eq!(conflict.get("city").is_none(), partner_wide, "{conflict}");
        assert!(Rule::from_id(conflict["rule"].as_str().unwrap()).is_some());
    }
    assert_eq!(conflicts[0]["severity"], "critical", "worst first");
    assert!(report["data_warnings"].as_array().unwrap().is_empty());
    let feed_warnings = report["feed_warnings"].as_array().unwrap();
    assert_eq!(feed_warnings.len(), 3);
    assert_eq!(feed_warnings[0]["id"], "w-01");
}

#[test]
fn data_warnings_name_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc: Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    doc["stores"][0]["renovation"]["percent"] = serde_json::json!(130);
    let path = dir.path().join("feed.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    let server = Server::start(&["--data", path.to_str().unwrap()]);
    let output = run(
        &["report", "--feed", &server.url, "--format", "json"],
        &[],
        dir.path(),
    );
    let report = json(&output);
    let warnings = report["data_warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0]["record"], doc["stores"][0]["id"]);
    assert!(warnings[0]["message"].as_str().unwrap().contains("130"));
}

#[test]
fn fail_on_exits_3_at_or_above_the_threshold() {
    let server = Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    for severity in ["critical", "warning", "info"] {
        let output = run(
            &["report", "--feed", &server.url, "--fail-on", severity],
            &[],
            home.path(),
        );
        assert_eq!(output.status.code(), Some(3), "--fail-on {severity}");
    }
    // With the only critical rule switched off and the critical overlap
    // widened away, --fail-on critical passes.
    let config = home.path().join("quiet.toml");
    std::fs::write(
        &config,
        "[rules]\ncritical_km = 0.1\ndisabled = [\"no_delivery_center\"]\n",
    )
    .unwrap();
    let output = run(
        &[
            "report",
            "--feed",
            &server.url,
            "--fail-on",
            "critical",
            "--config",
            config.to_str().unwrap(),
        ],
        &[],
        home.path(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn an_unreadable_feed_exits_1_with_the_reason() {
    let home = tempfile::tempdir().unwrap();
    // Nothing listens on this port (bound, then closed).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let output = run(&["report", "--feed", &url], &[], home.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot reach the feed"), "{stderr}");
    assert!(output.stdout.is_empty());

    // A feed that answers with another schema version.
    let mut doc: Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    doc["schema_version"] = serde_json::json!(2);
    let url = one_shot_server(doc.to_string());
    let output = run(&["report", "--feed", &url], &[], home.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("schema_version 2") && stderr.contains("schema_version 1"),
        "{stderr}"
    );
}

/// A server that answers one request with `body` as JSON, then stops.
fn one_shot_server(body: String) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request);
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body.as_bytes());
    });
    url
}

#[test]
fn usage_and_config_errors_exit_2() {
    let home = tempfile::tempdir().unwrap();
    let output = run(&["report", "--format", "yaml"], &[], home.path());
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["report", "--feed", "ftp://example"], &[], home.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("http://"));

    let config = home.path().join("bad.toml");
    std::fs::write(&config, "[feed]\ninterval = 5\nmax_body_mb = \"lots\"\n").unwrap();
    let output = run(
        &["report", "--config", config.to_str().unwrap()],
        &[],
        home.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.toml"), "names the file: {stderr}");
    assert!(
        stderr.contains("feed.max_body_mb"),
        "names the key: {stderr}"
    );
    assert!(stderr.contains("line 3"), "names the line: {stderr}");

    let missing = home.path().join("missing.toml");
    let output = run(
        &["report", "--config", missing.to_str().unwrap()],
        &[],
        home.path(),
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "an explicit --config must exist"
    );
}

#[test]
fn the_feed_comes_from_the_flag_then_the_environment_then_the_file() {
    let from_file = Server::start(&[]);
    let from_env = Server::start(&[]);
    let from_flag = Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let config_dir = home.path().join("config/rollout-dash");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("config.toml"),
        format!("[feed]\nurl = \"{}\"\n", from_file.url),
    )
    .unwrap();
    let feed_of = |args: &[&str], env: &[(&str, &str)]| -> String {
        let mut all = vec!["report", "--format", "json"];
        all.extend_from_slice(args);
        json(&run(&all, env, home.path()))["feed"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(feed_of(&[], &[]), from_file.url, "the default config file");
    let env = [("ROLLOUT_DASH_FEED", from_env.url.as_str())];
    assert_eq!(
        feed_of(&[], &env),
        from_env.url,
        "the environment beats the file"
    );
    assert_eq!(
        feed_of(&["--feed", &from_flag.url], &env),
        from_flag.url,
        "the flag beats both"
    );
}

#[test]
fn with_no_feed_anywhere_report_is_a_usage_error() {
    // A cron job with a broken config must not get demo numbers and exit 0.
    let home = tempfile::tempdir().unwrap();
    let output = run(&["report", "--format", "json"], &[], home.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("report needs a feed"), "{stderr}");
    // An empty ROLLOUT_DASH_FEED counts as unset.
    let output = run(&["report"], &[("ROLLOUT_DASH_FEED", "")], home.path());
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn dashboard_flags_are_checked_before_anything_starts() {
    let home = tempfile::tempdir().unwrap();
    // A zero interval would poll in a tight loop.
    let output = run(&["--interval", "0", "--demo"], &[], home.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("feed.interval"));
    // The dashboard's --feed belongs to the dashboard, not to report.
    let output = run(
        &["--feed", "http://127.0.0.1:1", "report"],
        &[],
        home.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    // A bad ca_file is a config error, not a feed failure.
    let config = home.path().join("ca.toml");
    std::fs::write(
        &config,
        "[feed]
ca_file = \"/nonexistent/ca.pem\"\n",
    )
    .unwrap();
    let output = run(
        &[
            "report",
            "--feed",
            "https://127.0.0.1:1",
            "--config",
            config.to_str().unwrap(),
        ],
        &[],
        home.path(),
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("ca_file"));
}

#[test]
fn text_report_is_plain_when_piped() {
    let server = Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let output = run(
        &["report", "--feed", &server.url],
        &[("LANG", "C.UTF-8")],
        home.path(),
    );
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no colour into a pipe");
    assert!(text.contains("CITIES") && text.contains("Suzhou 苏州"));
    assert!(text.contains("territory_overlap"));
    // CJK names line up: the stores column ("open/total") starts at the same
    // display column whatever the width of the names before it.
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("Suzhou 苏州") || l.contains("Chongqing 重庆"))
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let column =
        |line: &str| unicode_width::UnicodeWidthStr::width(&line[..line.find('/').unwrap()]);
    assert_eq!(column(rows[0]), column(rows[1]), "{rows:?}");
}

#[test]
fn simulate_makes_a_conflict_appear_and_then_clear() {
    let mut doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    let critical_overlaps = |doc: &rollout_dash::feed::wire::Document| {
        let snapshot = Snapshot::new(doc.clone());
        Analysis::of(&snapshot, &RulesConfig::default())
            .findings
            .iter()
            .filter(|f| f.origin == Origin::Rule(Rule::TerritoryOverlap))
            .filter(|f| {
                f.stores
                    .iter()
                    .any(|s| s.as_str().starts_with(simulate::CONFLICT_STORE_PREFIX))
            })
            .count()
    };
    assert_eq!(critical_overlaps(&doc), 0);
    let mut seen = Vec::new();
    for tick in 1..=CONFLICT_CLEARS_AT + 1 {
        simulate::step(&mut doc, tick);
        seen.push((tick, critical_overlaps(&doc)));
    }
    assert!(
        seen.iter()
            .any(|&(t, n)| (CONFLICT_APPEARS_AT..CONFLICT_CLEARS_AT).contains(&t) && n > 0),
        "the conflict appears: {seen:?}"
    );
    assert_eq!(seen.last().unwrap().1, 0, "and clears: {seen:?}");
}

#[test]
fn config_and_log_level_go_before_or_after_the_subcommand() {
    let server = Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("c.toml");
    std::fs::write(&config, "[feed]\ncache = false\n").unwrap();
    let config = config.to_str().unwrap();
    for args in [
        vec!["--config", config, "report", "--feed", &server.url],
        vec!["report", "--config", config, "--feed", &server.url],
        vec!["--log-level", "warn", "report", "--feed", &server.url],
    ] {
        let output = run(&args, &[], home.path());
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
