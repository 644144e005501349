//! `report` in Chinese, run as the real binary against `rollout-dash serve`
//! on 127.0.0.1: the language from `--lang`, `ui.lang` or the locale, the
//! text report's words, the JSON's English ids and fields, and the data
//! warnings said in both languages.

mod common;

use common::{Server, run};
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::snapshot::{Snapshot, parse_document};
use rollout_dash::i18n::Lang;
use serde_json::Value;

/// The text report of `server` with `args` and `env`, its random port
/// taken out so a snapshot holds.
fn text_report(server: &Server, args: &[&str], env: &[(&str, &str)]) -> String {
    let home = tempfile::tempdir().unwrap();
    let mut argv = vec!["report", "--feed", &server.url, "--format", "text"];
    argv.extend_from_slice(args);
    let output = run(&argv, env, home.path());
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .replace(&server.url, "http://FEED")
}

/// The demo feed with a store given twice and a phase the contract does not
/// know: two data warnings.
fn feed_with_data_warnings() -> String {
    let mut document: Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    let stores = document["stores"].as_array_mut().unwrap();
    let first = stores[0].clone();
    stores[1]["renovation"]["phase"] = Value::from("painting");
    stores.push(first);
    document.to_string()
}

#[test]
fn the_text_report_in_chinese() {
    let server = Server::start(&[]);
    let text = text_report(
        &server,
        &["--lang", "zh"],
        &[("LANG", "C.UTF-8"), ("TZ", "Asia/Shanghai")],
    );
    insta::assert_snapshot!("report_text_zh", text);
}

#[test]
fn the_language_comes_from_the_flag_then_the_config_then_the_locale() {
    let server = Server::start(&[]);
    let chinese = |text: &str| text.contains("冲突与数据源警告");
    let english = |text: &str| text.contains("CONFLICTS AND FEED WARNINGS");

    let text = text_report(&server, &[], &[("LANG", "zh_CN.UTF-8")]);
    assert!(chinese(&text), "LANG=zh_CN.UTF-8 is Chinese:\n{text}");
    // LC_ALL before LC_MESSAGES before LANG, as POSIX has it.
    let text = text_report(
        &server,
        &[],
        &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "en_US.UTF-8")],
    );
    assert!(english(&text), "LC_ALL=en_US wins over LANG:\n{text}");
    let text = text_report(
        &server,
        &[],
        &[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "zh_TW.UTF-8")],
    );
    assert!(chinese(&text), "LC_MESSAGES=zh_TW wins over LANG:\n{text}");
    // The flag wins over the locale, before or after the subcommand.
    let text = text_report(&server, &["--lang", "en"], &[("LANG", "zh_CN.UTF-8")]);
    assert!(english(&text), "--lang en wins over LANG:\n{text}");

    // ui.lang wins over the locale, the flag over ui.lang.
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(&config, "[ui]\nlang = \"zh\"\n").unwrap();
    let config = config.to_str().unwrap();
    let report = |lang: &[&str]| {
        let mut argv = vec!["--config", config];
        argv.extend_from_slice(lang);
        argv.extend(["report", "--feed", &server.url]);
        let output = run(&argv, &[("LANG", "en_US.UTF-8")], home.path());
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(chinese(&report(&[])), "ui.lang = zh");
    assert!(
        english(&report(&["--lang", "en"])),
        "--lang en over ui.lang"
    );
}

#[test]
fn a_language_that_is_not_there_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    let output = run(&["report", "--lang", "fr"], &[], home.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("fr") && stderr.contains("zh"), "{stderr}");

    std::fs::write(home.path().join("bad.toml"), "[ui]\nlang = \"fr\"\n").unwrap();
    let config = home.path().join("bad.toml");
    let output = run(
        &["--config", config.to_str().unwrap(), "report"],
        &[],
        home.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("lang"), "{stderr}");
}

/// Every object key in `value`, with its path.
fn keys(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let path = format!("{path}.{key}");
                out.push(path.clone());
                keys(value, &path, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                keys(item, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn json_in_chinese_keeps_english_fields_ids_and_values_and_says_the_messages_in_chinese() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("feed.json");
    std::fs::write(&data, feed_with_data_warnings()).unwrap();
    let server = Server::start(&["--data", data.to_str().unwrap()]);
    let report = |lang: &str| -> Value {
        let output = run(
            &[
                "report",
                "--feed",
                &server.url,
                "--format",
                "json",
                "--lang",
                lang,
            ],
            &[],
            home.path(),
        );
        assert!(output.status.success());
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let (english, chinese) = (report("en"), report("zh"));
    let (mut english_keys, mut chinese_keys) = (Vec::new(), Vec::new());
    keys(&english, "$", &mut english_keys);
    keys(&chinese, "$", &mut chinese_keys);
    assert_eq!(english_keys, chinese_keys, "the same fields");

    let conflicts = |report: &Value| report["conflicts"].as_array().unwrap().clone();
    assert!(!conflicts(&english).is_empty());
    for (en, zh) in conflicts(&english).iter().zip(&conflicts(&chinese)) {
        for field in ["id", "rule", "severity", "city", "stores", "partners"] {
            assert_eq!(en[field], zh[field], "{field} stays as it is");
        }
    }
    let cities = |report: &Value| report["cities"].clone();
    assert_eq!(
        cities(&english),
        cities(&chinese),
        "city ids, names, statuses"
    );
    assert_eq!(english["summary"], chinese["summary"]);

    let warnings = |report: &Value| report["data_warnings"].as_array().unwrap().clone();
    let (en, zh) = (warnings(&english), warnings(&chinese));
    assert!(en.len() >= 2, "{en:?}");
    for (en, zh) in en.iter().zip(&zh) {
        assert_eq!(en["record"], zh["record"]);
        let message = zh["message"].as_str().unwrap();
        assert!(
            message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "a Chinese message: {message}"
        );
        assert_ne!(en["message"], zh["message"]);
    }
}

#[test]
fn data_warnings_are_said_in_chinese_and_in_english_as_before() {
    let snapshot = Snapshot::new(parse_document(feed_with_data_warnings().as_bytes()).unwrap());
    let said: Vec<(String, String)> = snapshot
        .data_warnings
        .iter()
        .map(|w| {
            (
                w.message_in(Lang::En).into_owned(),
                w.message_in(Lang::Zh).into_owned(),
            )
        })
        .collect();
    let english: Vec<&str> = said.iter().map(|(en, _)| en.as_str()).collect();
    let chinese: Vec<&str> = said.iter().map(|(_, zh)| zh.as_str()).collect();
    let first = snapshot.document.stores[0].id.as_str().to_owned();
    let second = snapshot.document.stores[1].id.as_str().to_owned();
    assert!(
        english.contains(
            &format!(
                "duplicate store id {first} (record {} repeats it); the first is shown",
                snapshot.document.stores.len() + 1
            )
            .as_str()
        ),
        "{english:?}"
    );
    assert!(
        chinese.contains(
            &format!(
                "门店 ID {first} 重复（第 {} 条记录与之相同）；显示第一条",
                snapshot.document.stores.len() + 1
            )
            .as_str()
        ),
        "{chinese:?}"
    );
    assert!(
        english.contains(&format!(
            "{second} has renovation.phase \"painting\", which this client does not know; shown as unknown"
        ).as_str()),
        "{english:?}"
    );
    assert!(
        chinese.contains(
            &format!("{second} 的 renovation.phase 为 \"painting\"，本客户端无法识别；显示为未知")
                .as_str()
        ),
        "{chinese:?}"
    );
}

#[test]
fn a_chinese_report_without_a_utf8_locale_reads_in_english_with_names_in_pinyin() {
    let server = Server::start(&[]);
    let text = text_report(&server, &["--lang", "zh"], &[("LANG", "zh_CN.GB18030")]);
    assert!(text.is_ascii(), "ASCII only:\n{text}");
    assert!(!text.contains('?'), "no question marks:\n{text}");
    // Sentences in pinyin would run together: the words are English, and
    // the Chinese names beside them in pinyin.
    assert!(text.contains("CITIES"), "{text}");
    assert!(text.contains("Suzhou (suzhou)"), "{text}");
}

#[test]
fn y_copies_a_data_warning_in_the_language() {
    use rollout_dash::app::notify::copy_text;
    use rollout_dash::app::{App, Display, Msg, Pane, update};
    use rollout_dash::worker::FeedEvent;
    let copied = |lang: Lang| {
        let display = Display {
            lang,
            ..Display::default()
        };
        let mut app = App::new("feed".into(), false, display, common::now());
        let fresh = common::fresh_from(&feed_with_data_warnings());
        let changes = fresh.changes_since(app.current.as_ref(), lang);
        update(&mut app, Msg::Feed(FeedEvent::Fresh { fresh, changes }));
        app.focus = Pane::DataWarnings;
        copy_text(&app).unwrap()
    };
    let (english, chinese) = (copied(Lang::En), copied(Lang::Zh));
    assert!(english.contains("duplicate store id"), "{english}");
    assert!(chinese.contains("重复"), "{chinese}");
}

#[test]
fn what_validation_says_a_field_held_and_takes_is_said_in_chinese_too() {
    let mut document: Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    document["stores"][0]["renovation"]["planned_open"] = Value::from("2024-02-30");
    document["stores"][1]["renovation"]["planned_open"] = Value::from(20240301);
    let snapshot = Snapshot::new(parse_document(document.to_string().as_bytes()).unwrap());
    let said = |lang| -> Vec<String> {
        snapshot
            .data_warnings
            .iter()
            .map(|w| w.message_in(lang).into_owned())
            .collect()
    };
    let (english, chinese) = (said(Lang::En), said(Lang::Zh));
    let first = snapshot.document.stores[0].id.as_str();
    let second = snapshot.document.stores[1].id.as_str();
    assert!(
        english.contains(&format!(
            "store {first}: renovation.planned_open is \"2024-02-30\", not a date (YYYY-MM-DD); treated as absent"
        )),
        "{english:?}"
    );
    assert!(
        chinese.contains(&format!(
            "门店 {first}：renovation.planned_open 为 \"2024-02-30\"，应为 日期（YYYY-MM-DD）；按缺失处理"
        )),
        "{chinese:?}"
    );
    assert!(
        chinese.contains(&format!(
            "门店 {second}：renovation.planned_open 为 数字 20240301，应为 日期（YYYY-MM-DD）；按缺失处理"
        )),
        "{chinese:?}"
    );
}
