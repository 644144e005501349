//! Rendered frames of every pane and drill-down, at 80x24 and 120x40 (and
//! 200x60 for the everything-at-once layout), snapshot-tested with insta.

mod common;

use common::render;

use std::sync::Arc;

use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rollout_dash::app::{App, Display, Msg, Pane, Stale, update};
use rollout_dash::feed::client::PollError;
use rollout_dash::ui;
use rollout_dash::worker::FeedEvent;

/// A national-scale snapshot, built here: Suzhou with 2,500 stores of
/// which 1,234 are open and 1,266 past their planned opening (each a
/// schedule slip), 1,500 partners of whom 1,234 signed, and tens of
/// thousands of the feed's own warnings (43,835 of them warnings), some
/// naming stores that are not in the feed (data warnings).
fn big_fresh() -> rollout_dash::worker::Fresh {
    static BIG: std::sync::OnceLock<rollout_dash::worker::Fresh> = std::sync::OnceLock::new();
    BIG.get_or_init(|| {
        let mut doc: serde_json::Value =
            serde_json::from_str(rollout_dash::feed::demo::DEMO_FEED_JSON).unwrap();
        let stores = doc["stores"].as_array_mut().unwrap();
        let suzhou_open = stores
            .iter()
            .filter(|s| s["city"] == "suzhou" && s["renovation"]["phase"] == "open")
            .count();
        let suzhou = stores.iter().filter(|s| s["city"] == "suzhou").count();
        for i in 0..2500 - suzhou {
            let open = i < 1234 - suzhou_open;
            stores.push(serde_json::json!({
                "id": format!("sz-big-{i}"), "city": "suzhou", "kind": "xiaomi_home",
                "channel": "direct", "operator": "xiaomi", "name": format!("Suzhou Mall {i}"),
                "renovation": if open {
                    serde_json::json!({"phase": "open", "percent": 100})
                } else {
                    serde_json::json!({"phase": "construction", "percent": 50,
                        "planned_open": "2024-01-01"})
                }
            }));
        }
        let partners = doc["partners"].as_array_mut().unwrap();
        let signed = partners
            .iter()
            .filter(|p| {
                matches!(
                    p["agreement"]["stage"].as_str(),
                    Some("intention" | "contract")
                )
            })
            .count();
        for i in 0..1500 - partners.len() {
            let stage = if i < 1234 - signed {
                "intention"
            } else {
                "prospect"
            };
            partners.push(serde_json::json!({
                "id": format!("big-partner-{i}"), "name": format!("Big Group {i}"),
                "tier": "regional", "brands": [], "luxury_experience": true,
                "nev_experience": true, "agreement": {"stage": stage}, "cities": ["suzhou"]
            }));
        }
        let warnings = doc["warnings"].as_array_mut().unwrap();
        for (severity, count) in [("critical", 440), ("warning", 43835), ("info", 5)] {
            for i in 0..count {
                // Some name a store that is not in the feed: a data warning each.
                let store = if i < 700 {
                    format!("gone-{severity}-{i}")
                } else {
                    "sz-big-0".into()
                };
                warnings.push(serde_json::json!({
                    "id": format!("big-{severity}-{i}"), "severity": severity,
                    "kind": "volume", "city": "suzhou", "stores": [store],
                    "message": "one of many"
                }));
            }
        }
        common::fresh_from(&doc.to_string())
    })
    .clone()
}

/// The big snapshot on a feed whose URL tells prod and staging apart only
/// in its host.
fn big_app() -> App {
    let mut app = App::new(
        "https://rollout-staging.example.com:8443/feeds/v2/rollout?env=staging".into(),
        false,
        Display::default(),
        common::now(),
    );
    let event = common::fresh_event(&app, big_fresh());
    update(&mut app, event);
    app.now = common::now();
    app
}

/// Whether `number` appears in `text` whole: not next to another digit.
fn has_whole(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + number.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

fn press(app: &mut App, code: KeyCode) {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

#[test]
fn overview_at_120x40() {
    insta::assert_snapshot!(render(&common::demo_app(), 120, 40));
}

#[test]
fn overview_at_80x24() {
    insta::assert_snapshot!(render(&common::demo_app(), 80, 24));
}

#[test]
fn overview_at_200x60_shows_every_pane() {
    let frame = render(&common::demo_app(), 200, 60);
    for pane in Pane::ALL {
        let title = pane.title(rollout_dash::i18n::Lang::En);
        assert!(frame.contains(&*title), "{title} missing");
    }
    insta::assert_snapshot!(frame);
}

#[test]
fn each_pane_takes_the_second_slot_at_80x24() {
    for pane in [
        Pane::Partners,
        Pane::Stores,
        Pane::Conflicts,
        Pane::Changes,
        Pane::Map,
    ] {
        let mut app = common::demo_app();
        app.focus = pane;
        let frame = render(&app, 80, 24);
        let title = pane.title(rollout_dash::i18n::Lang::En);
        assert!(frame.contains(&*title), "{title} not shown at 80x24");
        insta::assert_snapshot!(format!("pane_{:?}_80x24", pane), frame);
        let frame = render(&app, 120, 40);
        insta::assert_snapshot!(format!("pane_{:?}_120x40", pane), frame);
    }
}

#[test]
fn city_drill_down() {
    let mut app = common::demo_app();
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("city_80x24", render(&app, 80, 24));
    insta::assert_snapshot!("city_120x40", render(&app, 120, 40));
}

#[test]
fn partner_drill_down() {
    let mut app = common::demo_app();
    app.focus = Pane::Partners;
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("partner_80x24", render(&app, 80, 24));
    insta::assert_snapshot!("partner_120x40", render(&app, 120, 40));
}

#[test]
fn store_drill_down() {
    let mut app = common::demo_app();
    app.focus = Pane::Stores;
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("store_120x40", render(&app, 120, 40));
}

#[test]
fn help_overlay() {
    let mut app = common::demo_app();
    press(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn stale_banner_keeps_the_data() {
    let mut app = common::demo_app();
    let at = common::now();
    update(
        &mut app,
        Msg::Feed(FeedEvent::Failed {
            error: Arc::new(PollError::Status { status: 502 }),
            at,
            next_try_at: at + Duration::seconds(8),
        }),
    );
    app.now = at + Duration::seconds(2);
    let frame = render(&app, 120, 40);
    assert!(frame.contains("STALE"));
    assert!(frame.contains("HTTP 502"));
    assert!(
        frame.contains("Suzhou"),
        "the last good data stays on screen"
    );
    assert!(matches!(app.status.stale, Some(Stale { failures: 1, .. })));
    insta::assert_snapshot!(frame);
}

fn ascii_app() -> App {
    let mut app = common::demo_app();
    app.display = Display {
        ascii: true,
        mono: true,
        ..Display::default()
    };
    app
}

/// Every cell of a frame: in ASCII mode nothing else may reach the terminal
/// (a locale without UTF-8 would draw it as `?`, a column at a time).
fn assert_ascii(app: &App, width: u16, height: u16, what: &str) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::view(app, frame)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let cells: String = buffer.content.iter().map(|c| c.symbol()).collect();
    let other: String = cells.chars().filter(|c| !c.is_ascii()).collect();
    assert!(
        other.is_empty(),
        "{what}: non-ASCII {other:?} in ASCII mode"
    );
    let frame = terminal.backend().to_string();
    // No `?` stands in for a character: the only ones are the help key's.
    let questions = frame.matches('?').count();
    let keys = frame.matches("? help").count() + frame.matches("?  ").count();
    assert!(questions <= keys, "{what}: a stray '?':\n{frame}");
    frame
}

#[test]
fn ascii_mode_uses_no_box_drawing() {
    let frame = assert_ascii(&ascii_app(), 120, 40, "overview");
    insta::assert_snapshot!(frame);
}

/// In ASCII mode the English name shows whole, with the Chinese name in
/// pinyin beside it: never drawn as `????` or as blanks inside a name.
#[test]
fn ascii_mode_shows_english_names_whole() {
    let app = ascii_app();
    let frame = assert_ascii(&app, 120, 40, "overview");
    assert!(frame.contains("Suzhou (suzhou) "), "{frame}");
    assert!(frame.contains("Xi'an (xi'an) "), "{frame}");
    assert!(frame.contains("Xiaomi Home wudaokou Wudaokou "), "{frame}");
    assert!(
        frame.contains("Xiaomi Home xujiahui Xujiahui (reloca..."),
        "{frame}"
    );
    for pane in Pane::ALL {
        let mut app = ascii_app();
        app.focus = pane;
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            assert_ascii(&app, width, height, &format!("{pane:?} {width}x{height}"));
        }
    }
    let mut partners = ascii_app();
    partners.focus = Pane::Partners;
    let frame = assert_ascii(&partners, 120, 40, "partners");
    assert!(frame.contains("E-KINGO "), "{frame}");
    // Every drill-down, and the help.
    for focus in [Pane::Cities, Pane::Partners, Pane::Stores] {
        let mut app = ascii_app();
        app.focus = focus;
        press(&mut app, KeyCode::Enter);
        for (width, height) in [(60, 15), (80, 24), (120, 40)] {
            assert_ascii(&app, width, height, &format!("{focus:?} drill-down"));
        }
    }
    let mut app = ascii_app();
    press(&mut app, KeyCode::Enter);
    let frame = assert_ascii(&app, 120, 40, "city");
    assert!(frame.contains("City Suzhou (suzhou)"), "{frame}");
    insta::assert_snapshot!("ascii_city_80x24", assert_ascii(&app, 80, 24, "city"));
    press(&mut app, KeyCode::Char('?'));
    assert_ascii(&app, 80, 24, "help");
}

/// "terminal too small" wraps at word edges: its sizes are never cut.
#[test]
fn tiny_terminal_says_so() {
    for (width, height) in [(40, 10), (20, 6), (59, 20)] {
        let frame = render(&common::demo_app(), width, height);
        let words: Vec<&str> = frame
            .lines()
            .flat_map(|l| l.trim_matches('"').split_whitespace())
            .collect();
        let message = format!("terminal too small: {width}x{height}; needs at least 60x15");
        assert_eq!(
            words,
            message.split_whitespace().collect::<Vec<_>>(),
            "{frame}"
        );
    }
}

/// The help box's inside, row by row, found by its "Keys" title.
fn help_box(app: &App, width: u16, height: u16) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::view(app, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let symbol = |x: u16, y: u16| buffer[(x, y)].symbol().to_owned();
    for y in 0..height {
        for x in 0..width.saturating_sub(6) {
            let title: String = (x + 2..x + 6).map(|x| symbol(x, y)).collect();
            if symbol(x, y) == "┌" && title == "Keys" {
                let right = (x + 1..width).find(|&r| symbol(r, y) == "┐").unwrap();
                let bottom = (y + 1..height).find(|&b| symbol(x, b) == "└").unwrap();
                return (y + 1..bottom)
                    .map(|row| (x + 1..right).map(|col| symbol(col, row)).collect())
                    .collect();
            }
        }
    }
    panic!("no help box at {width}x{height}:\n{}", terminal.backend());
}

/// The help fits every size: no word is cut (every word in the box is a
/// whole word of the key table), and every word of every key's description
/// shows, scrolling where the box cannot hold them all.
#[test]
fn help_fits_and_wraps_at_every_size() {
    use rollout_dash::app::keys;
    for drill_down in [false, true] {
        for (width, height) in [(60, 15), (80, 24), (100, 30), (120, 40), (200, 60)] {
            let mut app = common::demo_app();
            if drill_down {
                press(&mut app, KeyCode::Enter);
            }
            let source: Vec<(String, String)> = keys::for_screen(app.route(), false)
                .map(|k| {
                    let lang = rollout_dash::i18n::Lang::En;
                    (app.keymap.label(k.action), k.does(lang).into_owned())
                })
                .collect();
            let words: std::collections::HashSet<&str> = source
                .iter()
                .flat_map(|(keys, does)| keys.split_whitespace().chain(does.split_whitespace()))
                .collect();
            press(&mut app, KeyCode::Char('?'));
            let mut seen = String::new();
            loop {
                let rows = help_box(&app, width, height);
                for row in &rows {
                    for word in row.split_whitespace() {
                        assert!(
                            words.contains(word),
                            "{word:?} is cut at {width}x{height}:\n{}",
                            rows.join("\n")
                        );
                    }
                    seen.push_str(row);
                    seen.push('\n');
                }
                let before = app.help_scroll;
                press(&mut app, KeyCode::Down);
                if app.help_scroll == before {
                    break;
                }
            }
            let seen: std::collections::HashSet<&str> = seen.split_whitespace().collect();
            for entry in &source {
                for word in entry.1.split_whitespace() {
                    assert!(
                        seen.contains(word),
                        "{word:?} of {:?} never shown at {width}x{height}",
                        entry.0
                    );
                }
            }
        }
    }
    let mut app = common::demo_app();
    press(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!("help_60x15", render(&app, 60, 15));
}

/// Names where the feed has them, ids only where it does not: titles, the
/// store's operator and city, the conflicts' place, the stores' city.
#[test]
fn names_not_ids() {
    let mut app = common::demo_app();
    let frame = render(&app, 120, 40);
    assert!(
        frame.contains("Beijing Yizhuang Delivery Center         Beijing"),
        "{frame}"
    );
    assert!(!frame.contains("Center beijing"), "{frame}");
    let mut conflicts = common::demo_app();
    conflicts.focus = Pane::Conflicts;
    let frame = render(&conflicts, 200, 60);
    // The rule in words; the place by name.
    assert!(frame.contains("no delivery center    Xi'an"), "{frame}");
    assert!(!frame.contains(" xian "), "{frame}");
    assert!(
        frame.contains("unqualified partner   Lujiang Auto …"),
        "a partner-wide finding names its partner: {frame}"
    );
    press(&mut app, KeyCode::Enter);
    let frame = render(&app, 80, 24);
    assert!(frame.contains("City Suzhou 苏州"), "{frame}");
    // A store run by a partner names the partner and the city.
    let mut app = common::demo_app();
    app.focus = Pane::Stores;
    press(&mut app, KeyCode::Char('/'));
    for c in "Wujiang".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let frame = render(&app, 120, 40);
    assert!(frame.contains("operated by E•KINGO"), "{frame}");
    assert!(frame.contains("Suzhou 苏州"), "{frame}");
    assert!(!frame.contains("ekingo"), "{frame}");
}

/// A record that left the feed says which one it was.
#[test]
fn a_record_that_left_the_feed_says_which() {
    let mut app = common::demo_app();
    app.focus = Pane::Stores;
    press(&mut app, KeyCode::Char('/'));
    for c in "cq-2s-01".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let mut doc: serde_json::Value =
        serde_json::from_str(rollout_dash::feed::demo::DEMO_FEED_JSON).unwrap();
    doc["stores"]
        .as_array_mut()
        .unwrap()
        .retain(|s| s["id"] != "cq-2s-01");
    let event = common::fresh_event(&app, common::fresh_from(&doc.to_string()));
    update(&mut app, event);
    let frame = render(&app, 80, 24);
    assert!(
        frame.contains("store cq-2s-01 (no longer in the feed)"),
        "{frame}"
    );
}

#[test]
fn waiting_for_the_first_snapshot() {
    let app = App::new(
        "http://feed".into(),
        true,
        Display::default(),
        common::now(),
    );
    let frame = render(&app, 80, 24);
    assert!(frame.contains("DEMO"));
    assert!(frame.contains("waiting for the first snapshot"));
}

#[test]
fn a_click_focuses_the_pane_and_selects_the_row_under_the_pointer() {
    let mut app = common::demo_app();
    let frame = render(&app, 120, 40);
    let (line, text) = frame
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("Ningbo 宁波"))
        .unwrap();
    // Any column left of the name is inside the cities pane (byte offsets
    // overcount columns after wide characters, so halve it).
    let column = text.find("Ningbo").unwrap() as u16 / 2;
    let area = ratatui::layout::Rect::new(0, 0, 120, 40);
    let hit = ui::hit_test(&app, area, column, line as u16);
    assert_eq!(hit, Some((Pane::Cities, Some(2))));
    update(
        &mut app,
        Msg::Click {
            pane: Pane::Cities,
            row: Some(2),
        },
    );
    assert_eq!(
        app.lists.cities.selected_city().map(|c| c.as_str()),
        Some("ningbo")
    );
    // A click in the conflicts pane moves the focus there.
    let hit = ui::hit_test(&app, area, 100, 3).unwrap();
    assert_eq!(hit.0, Pane::Conflicts);
    update(
        &mut app,
        Msg::Click {
            pane: hit.0,
            row: hit.1,
        },
    );
    assert_eq!(app.focus, Pane::Conflicts);
}

/// No number is cut: the header's totals (every severity count included),
/// a city's stores and conflicts, and the feed's host, at every size.
#[test]
fn numbers_are_never_cut() {
    let app = big_app();
    let fresh = app.current.clone().unwrap();
    let t = &fresh.analysis.totals;
    let suzhou = &fresh.analysis.cities[0];
    assert_eq!((suzhou.stores_open, suzhou.stores_total), (1234, 2500));
    assert!(t.warning > 43_000 && t.critical > 400, "{t:?}");
    let data_warnings = fresh.snapshot.data_warnings.len();
    assert!(data_warnings >= 1000, "{data_warnings}");
    let header = [
        t.recruiting_cities.to_string(),
        format!("{}/{}", t.signed_partners, t.partners),
        format!("{}/{}", t.stores_open, t.stores_total),
        format!("{:.0}%", t.avg_percent),
        t.late.to_string(),
        t.critical.to_string(),
        t.warning.to_string(),
        t.info.to_string(),
        data_warnings.to_string(),
    ];
    for (width, height) in [(60, 15), (80, 24), (120, 40)] {
        let frame = render(&app, width, height);
        let text: String = frame.lines().map(|l| format!("{l}\n")).collect();
        for number in &header {
            assert!(
                has_whole(&text, number),
                "{number} cut or missing at {width}x{height}:\n{frame}"
            );
        }
        for number in ["1234/2500", &suzhou.conflicts.to_string()] {
            assert!(
                has_whole(&text, number),
                "Suzhou's {number} cut at {width}x{height}:\n{frame}"
            );
        }
        assert!(
            text.contains("rollout-staging.example.com:8443"),
            "the feed's host cut at {width}x{height}:\n{frame}"
        );
        insta::assert_snapshot!(format!("big_{width}x{height}"), frame);
    }
    // Suzhou's own screen keeps its figures whole at every size too.
    let mut suzhou_screen = big_app();
    press(&mut suzhou_screen, KeyCode::Enter);
    for (width, height) in [(60, 15), (80, 24), (120, 40)] {
        let frame = render(&suzhou_screen, width, height);
        for number in [
            "1234/2500".to_owned(),
            format!("{:.0}%", suzhou.avg_percent),
            format!("{} late", suzhou.late),
            format!("{} conflicts", suzhou.conflicts),
        ] {
            assert!(
                has_whole(&frame, &number),
                "Suzhou's {number} cut at {width}x{height}:\n{frame}"
            );
        }
    }
    insta::assert_snapshot!("big_city_60x15", render(&suzhou_screen, 60, 15));
}

/// A filter cut at its cap says so on the filter line, which shows the
/// filter's end (where typing goes on).
#[test]
fn the_filter_line_says_when_the_filter_was_cut() {
    let mut app = common::demo_app();
    press(&mut app, KeyCode::Char('/'));
    let text = format!("{}END", "x".repeat(250));
    update(&mut app, Msg::Paste(format!("{text}-and-then-some")));
    for (width, height) in [(60, 15), (80, 24), (120, 40)] {
        let frame = render(&app, width, height);
        let footer = frame.lines().last().unwrap();
        assert!(footer.contains("(cut at 256 characters)"), "{footer}");
        assert!(footer.contains("xxxEND-an▏"), "the filter's end: {footer}");
    }
}
