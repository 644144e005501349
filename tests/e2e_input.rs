//! End to end input: the real binary in a pseudo-terminal, against
//! `rollout-dash serve` on 127.0.0.1. Esc and a key in one write (a laggy
//! link), a bracketed paste into the filter, and a locale without UTF-8.
//! The helpers are copied from tests/e2e.rs.

mod common;

use common::Server;
use common::pty::{Dashboard, WAIT, find_last};
use std::time::{Duration, Instant};

/// The row of the screen that holds `text`, and whether it is the selected
/// (reversed) row.
fn selected_row_with(parser: &vt100::Parser, text: &str) -> Option<bool> {
    let screen = parser.screen();
    let (row, line) = screen
        .rows(0, 120)
        .enumerate()
        .find(|(_, line)| line.contains(text))?;
    // Columns of the text's first character (the line is CJK-free before it).
    let column = line[..line.find(text)?].chars().count() as u16;
    let cell = screen.cell(row as u16, column)?;
    Some(cell.inverse())
}

fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !check() {
        assert!(Instant::now() < deadline, "{what} never happened");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Esc and `j` in one write, as a laggy link delivers them: crossterm reads
/// Alt+j. The dashboard goes back AND moves.
#[test]
fn esc_and_a_key_in_one_write_go_back_and_move() {
    let server = Server::start(&[]);
    let mut dashboard = Dashboard::start(&["--feed", &server.url], &[]);
    dashboard.wait_for("Suzhou");
    dashboard.send(b"\r");
    dashboard.wait_for("funnel");
    dashboard.send(b"\x1bj");
    dashboard.wait_for("Store build-out");
    wait_until("Chongqing selected after going back", || {
        selected_row_with(&dashboard.screen(), "Chongqing") == Some(true)
    });
    assert_eq!(
        selected_row_with(&dashboard.screen(), "Suzhou"),
        Some(false),
        "the cursor moved off Suzhou"
    );
    dashboard.send(b"q");
    assert!(dashboard.wait_exit().success());
}

/// A bracketed paste goes into the filter once, whole; its line break is a
/// space, not Enter, and the `q` after it is text, not quit.
#[test]
fn a_bracketed_paste_goes_into_the_filter_once() {
    let server = Server::start(&[]);
    let mut dashboard = Dashboard::start(&["--feed", &server.url], &[]);
    dashboard.wait_for("Suzhou");
    let output = dashboard.output();
    assert!(
        find_last(&output, b"\x1b[?2004h").is_some(),
        "bracketed paste is switched on"
    );
    dashboard.send(b"/");
    dashboard.send(b"\x1b[200~nanj\r\nq\x1b[201~");
    dashboard.wait_for("/nanj q");
    assert!(dashboard.is_running(), "still running");
    // Two Backspaces leave the first line of the paste: Nanjing alone.
    dashboard.send(b"\x7f\x7f");
    dashboard.wait_for("/nanj (1)");
    dashboard.send(b"\r");
    dashboard.send(b"q");
    assert!(dashboard.wait_exit().success());
    let output = dashboard.output();
    assert!(
        find_last(&output, b"\x1b[?2004l").is_some(),
        "bracketed paste is switched off on the way out"
    );
}

/// A locale without UTF-8 (an SSH session into a jump host): English names
/// whole, the Chinese part in pinyin, and no `?` anywhere, also after the
/// screen changed under rows that held Chinese names.
#[test]
fn a_locale_without_utf8_shows_english_names_and_no_stray_marks() {
    let server = Server::start(&[]);
    let mut dashboard = Dashboard::start(&["--feed", &server.url], &[("LANG", "C")]);
    dashboard.wait_for("Suzhou");
    let stray = |dashboard: &Dashboard| {
        let contents = dashboard.screen().screen().contents();
        let marks = contents.matches('?').count();
        assert!(
            marks <= contents.matches("? help").count(),
            "a stray '?' on screen:\n{contents}"
        );
        contents
    };
    let contents = stray(&dashboard);
    assert!(contents.contains("Suzhou (suzhou)"), "{contents}");
    // The stores pane: names that mix English and Chinese.
    dashboard.send(b"3");
    dashboard.wait_for("Xiaomi Home wudaokou Wudaokou");
    stray(&dashboard);
    // Scroll the stores under the rows that held Chinese names, and back.
    dashboard.send(b"GG");
    dashboard.wait_for("(79)");
    std::thread::sleep(Duration::from_millis(300));
    stray(&dashboard);
    dashboard.send(b"g");
    dashboard.wait_for("Xiaomi Home wudaokou Wudaokou");
    stray(&dashboard);
    // A drill-down and back: every cell repainted.
    dashboard.send(b"1\r");
    dashboard.wait_for("funnel");
    stray(&dashboard);
    dashboard.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(100));
    dashboard.send(b"2");
    dashboard.wait_for("E-KINGO");
    stray(&dashboard);
    dashboard.send(b"q");
    assert!(dashboard.wait_exit().success());
}

/// Ids are kept exactly as the feed sent them, so whatever they hold must be
/// made safe wherever one is shown: titles, columns, sentences, data warnings.
#[test]
fn hostile_ids_never_write_escape_sequences() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile-ids.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(rollout_dash::feed::demo::DEMO_FEED_JSON).unwrap();
    let evil = |tag: &str| format!("{tag}\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\u{202e}x");
    // Rename the first city everywhere it is referred to, so it keeps its
    // stores; a store and a partner get hostile ids too, and a store refers
    // to a city that is not in the feed (a data warning naming both).
    let old_city = doc["cities"][0]["id"].as_str().unwrap().to_owned();
    let city = evil("CITY");
    doc["cities"][0]["id"] = serde_json::json!(city);
    for store in doc["stores"].as_array_mut().unwrap() {
        if store["city"] == old_city.as_str() {
            store["city"] = serde_json::json!(city);
        }
    }
    for partner in doc["partners"].as_array_mut().unwrap() {
        for c in partner["cities"].as_array_mut().unwrap() {
            if *c == old_city.as_str() {
                *c = serde_json::json!(city);
            }
        }
    }
    doc["stores"][0]["id"] = serde_json::json!(evil("STORE"));
    doc["stores"][1]["city"] = serde_json::json!(evil("NOWHERE"));
    doc["stores"][2]["name"] = serde_json::json!("");
    doc["stores"][2]["id"] = serde_json::json!(evil("NAMELESS"));
    std::fs::write(&path, doc.to_string()).unwrap();
    let server = Server::start(&["--data", path.to_str().unwrap()]);
    let mut dashboard = Dashboard::start(&["--feed", &server.url], &[]);
    dashboard.wait_for("Suzhou");
    // Every pane, then the first city's drill-down and its sections.
    for pane in [b"2", b"3", b"4", b"5", b"6", b"7", b"1"] {
        dashboard.send(pane);
        std::thread::sleep(Duration::from_millis(150));
    }
    dashboard.send(b"g\r");
    dashboard.wait_for("Suzhou");
    for _ in 0..5 {
        dashboard.send(b"\t");
        std::thread::sleep(Duration::from_millis(150));
    }
    dashboard.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(150));
    dashboard.send(b"7");
    dashboard.wait_for("NOWHERE");
    dashboard.send(b"q");
    assert!(dashboard.wait_exit().success());
    let output = dashboard.output();
    for needle in [&b"\x1b]0;owned"[..], b"\x1b[2J\x1b", b"\x07"] {
        assert!(
            find_last(&output, needle).is_none(),
            "an id's {needle:?} reached the terminal"
        );
    }
    let text = String::from_utf8_lossy(&output);
    for c in ['\u{9b}', '\u{202e}'] {
        assert!(!text.contains(c), "an id's {c:?} reached the terminal");
    }
}

/// The dashboard shows times in the zone of `TZ`, or of `ui.timezone` over
/// it, named once in the header (issue 15, point 4: the zone is set at start).
#[test]
fn the_header_shows_the_feed_time_in_the_configured_zone() {
    let server = Server::start(&[]);
    let mut dashboard = Dashboard::start(&["--feed", &server.url], &[("TZ", "Asia/Shanghai")]);
    let contents = dashboard.wait_for("feed time");
    let header = contents.lines().next().unwrap_or_default().to_owned();
    assert!(header.contains(" CST"), "{contents}");
    dashboard.send(b"q");
    assert!(dashboard.wait_exit().success());

    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(config.path(), "[ui]\ntimezone = \"Asia/Tokyo\"\n").unwrap();
    let mut dashboard = Dashboard::start(
        &[
            "--feed",
            &server.url,
            "--config",
            config.path().to_str().unwrap(),
        ],
        &[("TZ", "Asia/Shanghai")],
    );
    let contents = dashboard.wait_for("feed time");
    let header = contents.lines().next().unwrap_or_default().to_owned();
    assert!(
        header.contains(" JST") && !header.contains("CST"),
        "{contents}"
    );
    dashboard.send(b"q");
    assert!(dashboard.wait_exit().success());
}
