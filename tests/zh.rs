//! Issue 15, points 4 and 5: times in the operator's zone, and Chinese names
//! in pinyin where the terminal cannot show Chinese.

mod common;

use common::render;

use common::{Server, run};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rollout_dash::app::{App, Display, Msg, Pane, update};

/// The demo dashboard as a terminal without UTF-8 shows it.
fn ascii_app() -> App {
    let mut app = common::demo_app();
    app.display = Display {
        ascii: true,
        mono: true,
        ..Display::default()
    };
    app
}

/// Nothing but ASCII, and no `?` standing in for a character (the only ones
/// are the help key's in the footer).
fn assert_ascii_without_questions(frame: &str) {
    let other: String = frame.chars().filter(|c| !c.is_ascii()).collect();
    assert!(other.is_empty(), "non-ASCII {other:?}:\n{frame}");
    let questions = frame.matches('?').count();
    let keys = frame.matches("? help").count() + frame.matches("?  ").count();
    assert!(questions <= keys, "a stray '?':\n{frame}");
}

#[test]
fn ascii_cities_show_chinese_names_in_pinyin_at_80x24() {
    let frame = render(&ascii_app(), 80, 24);
    assert_ascii_without_questions(&frame);
    assert!(frame.contains("Suzhou (suzhou)"), "{frame}");
    insta::assert_snapshot!(frame);
}

#[test]
fn ascii_partners_show_chinese_names_in_pinyin_at_80x24() {
    let mut app = ascii_app();
    app.focus = Pane::Partners;
    let frame = render(&app, 80, 24);
    assert_ascii_without_questions(&frame);
    insta::assert_snapshot!(frame);
}

#[test]
fn ascii_city_drill_down_titles_the_city_with_its_pinyin_at_80x24() {
    let mut app = ascii_app();
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let frame = render(&app, 80, 24);
    assert_ascii_without_questions(&frame);
    assert!(frame.contains("City Suzhou (suzhou)"), "{frame}");
    insta::assert_snapshot!(frame);
}

/// `report --format text` in a locale without UTF-8 (`LANG=C`), through the
/// real binary against a real feed server: Chinese as pinyin, never `?`.
#[test]
fn text_report_in_a_c_locale_reads_pinyin() {
    let server = Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let output = run(
        &["report", "--feed", &server.url, "--format", "text"],
        &[("LANG", "C")],
        home.path(),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.is_ascii(), "{text}");
    assert!(text.contains("Suzhou (suzhou)"), "{text}");
    assert!(text.contains("Chongqing (chongqing)"), "{text}");
    assert!(text.contains("Xi'an (xi'an)"), "{text}");
    assert!(!text.contains('?'), "{text}");
    // The same report in a UTF-8 locale keeps the Chinese: first in a
    // Chinese locale, beside the English name in an English one.
    let utf8 = |lang| {
        let output = run(
            &["report", "--feed", &server.url, "--format", "text"],
            &[("LANG", lang)],
            home.path(),
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let chinese = utf8("zh_CN.UTF-8");
    assert!(chinese.contains("苏州 Suzhou"), "{chinese}");
    let english = utf8("en_US.UTF-8");
    assert!(english.contains("Suzhou 苏州"), "{english}");
}

/// The demo snapshot again, generated at 2024-02-29T16:30:00Z (00:30 the
/// next day in Shanghai, a leap day behind it), with one store further on.
fn leap_day_snapshot() -> rollout_dash::worker::Fresh {
    let mut document: serde_json::Value =
        serde_json::from_str(rollout_dash::feed::demo::DEMO_FEED_JSON).unwrap();
    document["generated_at"] = serde_json::json!("2024-02-29T16:30:00Z");
    let store = &mut document["stores"][0]["renovation"];
    let percent = store["percent"].as_u64().unwrap();
    store["percent"] = serde_json::json!(if percent < 50 {
        percent + 10
    } else {
        percent - 10
    });
    common::fresh_from(&document.to_string())
}

/// The demo dashboard after the leap-day snapshot, showing times in `zone`.
fn leap_day_app(zone: Option<chrono_tz::Tz>) -> App {
    let mut app = common::demo_app();
    if let Some(zone) = zone {
        app.zone = zone;
    }
    let next = common::fresh_event(&app, leap_day_snapshot());
    update(&mut app, next);
    // The age in the header counts from when the poll was received.
    app.now = common::now();
    app
}

#[test]
fn times_show_in_the_configured_zone_across_midnight() {
    let mut app = leap_day_app(Some(chrono_tz::Asia::Shanghai));
    app.focus = Pane::Changes;
    let frame = render(&app, 120, 40);
    // The header names the zone, once.
    assert!(frame.contains("feed time 2024-03-01 00:30 CST"), "{frame}");
    assert_eq!(frame.matches("CST").count(), 1, "{frame}");
    // The change log's time is the same local time.
    assert!(frame.contains("03-01 00:30"), "{frame}");
    assert!(!frame.contains("02-29 16:30"), "{frame}");
    insta::assert_snapshot!(frame);
}

#[test]
fn times_show_in_utc_when_the_zone_is_utc() {
    let mut app = leap_day_app(None);
    app.focus = Pane::Changes;
    let frame = render(&app, 120, 40);
    assert!(frame.contains("feed time 2024-02-29 16:30 UTC"), "{frame}");
    assert!(frame.contains("02-29 16:30"), "{frame}");
}

/// A config file naming a zone that does not exist is refused at start
/// (exit 2), naming the key and the value.
#[test]
fn an_invalid_timezone_in_the_config_file_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(&config, "[ui]\ntimezone = \"Asia/Shangai\"\n").unwrap();
    let output = run(
        &[
            "report",
            "--feed",
            "http://127.0.0.1:1",
            "--config",
            config.to_str().unwrap(),
        ],
        &[],
        home.path(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("ui.timezone"), "{stderr}");
    assert!(stderr.contains("Asia/Shangai"), "{stderr}");
    assert!(stderr.contains(config.to_str().unwrap()), "{stderr}");
    // A real zone in the same file loads.
    std::fs::write(&config, "[ui]\ntimezone = \"Asia/Shanghai\"\n").unwrap();
    let loaded = rollout_dash::config::Config::load(&config, true).unwrap();
    assert_eq!(loaded.ui.timezone.as_deref(), Some("Asia/Shanghai"));
}

/// `report --format text` writes the snapshot's time in `ui.timezone` (or
/// `TZ`); JSON keeps RFC 3339 UTC.
#[test]
fn text_report_times_are_local_and_json_stays_utc() {
    let server = Server::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let json = run(
        &["report", "--feed", &server.url, "--format", "json"],
        &[("TZ", "Asia/Shanghai")],
        home.path(),
    );
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let generated = json["generated_at"].as_str().unwrap().to_owned();
    assert!(generated.ends_with('Z'), "{generated}");
    let at: chrono::DateTime<chrono::Utc> = generated.parse().unwrap();
    let local = at
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("snapshot %Y-%m-%d %H:%M:%S CST")
        .to_string();
    let config = home.path().join("config.toml");
    std::fs::write(&config, "[ui]\ntimezone = \"Asia/Shanghai\"\n").unwrap();
    for (args, env) in [
        (
            vec!["--config", config.to_str().unwrap()],
            vec![("TZ", "UTC")],
        ),
        (vec![], vec![("TZ", "Asia/Shanghai")]),
    ] {
        let mut all = vec!["report", "--feed", &server.url, "--format", "text"];
        all.extend(args);
        let mut env = env;
        env.push(("LANG", "C.UTF-8"));
        let output = run(&all, &env, home.path());
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains(&local), "{local} in\n{text}");
    }
}

/// The wait a busy feed asks for is shown in the display zone too.
#[test]
fn a_busy_feeds_wait_shows_in_the_zone() {
    let mut app = common::demo_app();
    app.zone = chrono_tz::Asia::Shanghai;
    let until = "2024-02-29T16:30:05Z".parse().unwrap();
    update(
        &mut app,
        Msg::Feed(rollout_dash::worker::FeedEvent::Deferred { until }),
    );
    let reason = &app.status.stale.as_ref().expect("a wait is shown").reason;
    assert!(reason.contains("until 00:30:05 CST"), "{reason}");
}
