//! Issue 15 for the overview panes: every word in Chinese, the Chinese name
//! first, and every pane lined up with wide characters at 80x24, 120x40 and
//! 200x60.

mod common;

use common::render;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use rollout_dash::app::{App, Display, Msg, Pane, update};
use rollout_dash::i18n::Lang;
use rollout_dash::ui;
use unicode_width::UnicodeWidthStr;

/// Every pane that can take the focus, in Tab order.
const PANES: [Pane; 7] = Pane::ALL;

fn draw(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::view(app, frame)).unwrap();
    terminal.backend().buffer().clone()
}

fn press(app: &mut App, code: KeyCode) {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// The demo dashboard in Chinese, with a data warning or two to show: a
/// store's build-out over 100% and a partner's record that names a city
/// the feed does not have.
fn zh_app() -> App {
    let mut document: serde_json::Value =
        serde_json::from_str(rollout_dash::feed::demo::DEMO_FEED_JSON).unwrap();
    document["stores"][0]["renovation"]["percent"] = serde_json::json!(140);
    document["stores"][3]["renovation"]["percent"] = serde_json::json!(-5);
    let mut app = App::new(
        "http://127.0.0.1:8080".into(),
        false,
        Display {
            lang: Lang::Zh,
            ..Display::default()
        },
        common::now(),
    );
    let fresh = common::fresh_from(&document.to_string());
    assert!(
        !fresh.snapshot.data_warnings.is_empty(),
        "the fixture warns"
    );
    let first = common::fresh_event(&app, fresh);
    update(&mut app, first);
    app.now = common::now();
    app
}

fn focused(pane: Pane) -> App {
    let mut app = zh_app();
    app.focus = pane;
    app
}

#[test]
fn overview_in_chinese_at_80x24() {
    insta::assert_snapshot!(render(&zh_app(), 80, 24));
}

#[test]
fn overview_in_chinese_at_120x40() {
    insta::assert_snapshot!(render(&zh_app(), 120, 40));
}

#[test]
fn overview_in_chinese_at_200x60_titles_every_pane() {
    let frame = render(&zh_app(), 200, 60);
    for title in [
        "城市",
        "合作伙伴",
        "门店进度",
        "冲突",
        "变更记录",
        "地图",
        "数据警告",
    ] {
        assert!(frame.contains(&format!("┌ {title}")), "{title}:\n{frame}");
    }
    insta::assert_snapshot!(frame);
}

#[test]
fn each_pane_focused_in_chinese() {
    for pane in PANES {
        let app = focused(pane);
        let name = format!("{pane:?}");
        insta::assert_snapshot!(format!("{name}_80x24"), render(&app, 80, 24));
        insta::assert_snapshot!(format!("{name}_120x40"), render(&app, 120, 40));
    }
}

#[test]
fn chinese_words_and_names_first() {
    let frame = render(&zh_app(), 120, 40);
    // The title says the sort in Chinese; cities lead with their Chinese name.
    assert!(frame.contains("┌ 城市 按原始顺序 ↓ (21)"), "{frame}");
    assert!(frame.contains("苏州 Suzhou"), "{frame}");
    assert!(!frame.contains("Suzhou 苏州"), "{frame}");
    // Status, phase and kind words, the stores' city by its Chinese name.
    for word in ["筛选中", "已签约", "装修", "交付中心", "小米之家", "北京"] {
        assert!(frame.contains(word), "{word}:\n{frame}");
    }
    for english in [
        "shortlisting",
        "fit_out",
        "fit-out",
        "Status",
        "Store build-out",
    ] {
        assert!(!frame.contains(english), "{english}:\n{frame}");
    }
    let partners = render(&focused(Pane::Partners), 120, 40);
    assert!(partners.contains("港宏"), "{partners}");
    assert!(partners.contains("百强 #18"), "{partners}");
    assert!(partners.contains("意向协议"), "{partners}");
}

#[test]
fn late_stores_say_so_in_chinese() {
    let mut app = focused(Pane::Stores);
    // Sorted by planned opening, the late ones come first.
    for _ in 0..4 {
        press(&mut app, KeyCode::Char('s'));
    }
    let frame = render(&app, 120, 40);
    assert!(frame.contains("按计划开业"), "{frame}");
    assert!(frame.contains("⚠ 逾期"), "{frame}");
    assert!(!frame.contains("LATE"), "{frame}");
}

#[test]
fn an_empty_pane_says_why_in_chinese() {
    let frame = render(&focused(Pane::Changes), 80, 24);
    assert!(frame.contains("暂无变更"), "{frame}");
    // Emptied by the filter, it says so rather than "no partners".
    let mut app = focused(Pane::Partners);
    press(&mut app, KeyCode::Char('/'));
    update(&mut app, Msg::Paste("no-such-partner".into()));
    let frame = render(&app, 80, 24);
    assert!(frame.contains("没有符合筛选的记录"), "{frame}");
    assert!(!frame.contains("暂无合作伙伴"), "{frame}");
}

/// The problems of one rendered row: a wide character whose second column
/// was drawn over (cut through the middle) or that hangs past the screen's
/// edge, and a row wider than the screen.
fn row_problems(buffer: &Buffer, y: u16) -> Vec<String> {
    let width = buffer.area.width;
    let mut problems = Vec::new();
    let mut columns = 0;
    let mut x = 0;
    while x < width {
        let symbol = buffer[(x, y)].symbol();
        let cells = symbol.width().max(1) as u16;
        columns += usize::from(cells);
        if cells == 2 {
            if x + 1 >= width {
                problems.push(format!("{symbol:?} at ({x}, {y}) hangs past the edge"));
            } else {
                let next = buffer[(x + 1, y)].symbol();
                if !next.trim().is_empty() {
                    problems.push(format!(
                        "{symbol:?} at ({x}, {y}) has its second half drawn over by {next:?}"
                    ));
                }
            }
        }
        x += cells;
    }
    if columns > usize::from(width) {
        problems.push(format!("row {y} takes {columns} columns of {width}"));
    }
    problems
}

fn problems(buffer: &Buffer) -> Vec<String> {
    (0..buffer.area.height)
        .flat_map(|y| row_problems(buffer, y))
        .collect()
}

#[test]
fn every_pane_lines_up_with_wide_characters() {
    for (width, height) in [(80, 24), (120, 40), (200, 60)] {
        for pane in PANES {
            let buffer = draw(&focused(pane), width, height);
            let found = problems(&buffer);
            assert!(
                found.is_empty(),
                "{pane:?} at {width}x{height}: {found:#?}\n{}",
                render(&focused(pane), width, height)
            );
        }
    }
}

#[test]
fn the_scan_sees_a_wide_character_drawn_over() {
    let mut buffer = Buffer::empty(ratatui::layout::Rect::new(0, 0, 6, 1));
    buffer.set_string(0, 0, "宁波", ratatui::style::Style::new());
    assert!(problems(&buffer).is_empty(), "{buffer:?}");
    // A border drawn through the second half of 波.
    buffer[(3, 0)].set_symbol("│");
    assert_eq!(problems(&buffer).len(), 1, "{buffer:?}");
    let mut edge = Buffer::empty(ratatui::layout::Rect::new(0, 0, 5, 1));
    edge[(4, 0)].set_symbol("波");
    assert!(!problems(&edge).is_empty(), "{edge:?}");
}

#[test]
fn long_chinese_names_are_cut_between_characters_at_every_width() {
    // Long Chinese names everywhere, an odd number of columns from the
    // edge of each cell at one width or another.
    let mut document: serde_json::Value =
        serde_json::from_str(rollout_dash::feed::demo::DEMO_FEED_JSON).unwrap();
    for city in document["cities"].as_array_mut().unwrap() {
        city["local_name"] = serde_json::json!("乌鲁木齐哈萨克自治州市");
    }
    for partner in document["partners"].as_array_mut().unwrap() {
        partner["local_name"] = serde_json::json!("四川港宏汽车销售服务集团有限公司");
    }
    for store in document["stores"].as_array_mut().unwrap() {
        store["name"] = serde_json::json!("小米汽车销售服务中心五道口店");
    }
    let mut app = zh_app();
    let fresh = common::fresh_from(&document.to_string());
    let event = common::fresh_event(&app, fresh);
    update(&mut app, event);
    for pane in PANES {
        app.focus = pane;
        for width in 80..=131 {
            let found = problems(&draw(&app, width, 30));
            assert!(
                found.is_empty(),
                "{pane:?} at {width}x30: {found:#?}\n{}",
                render(&app, width, 30)
            );
        }
    }
}

#[test]
fn the_filter_line_says_in_chinese_what_a_pane_does_not_filter() {
    let mut app = focused(Pane::Partners);
    press(&mut app, KeyCode::Char('/'));
    update(&mut app, Msg::Paste("phase:open".into()));
    let note = app.lists.partners.filter_note.clone().unwrap();
    assert!(note.starts_with("phase: 不适用于合作伙伴"), "{note}");
    assert!(note.ends_with("（仍显示上一个有效筛选）"), "{note}");
    press(&mut app, KeyCode::Esc);
    app.focus = Pane::Conflicts;
    app.lists.flags.new = None;
    press(&mut app, KeyCode::Char('/'));
    update(&mut app, Msg::Paste("new".into()));
    assert_eq!(
        app.lists.conflicts.filter_note.as_deref(),
        Some("new：尚未跟踪，已忽略")
    );
}

// ---- The cities pane with its trend column (a real history in a temp dir).

/// The demo `days` before its own time, with the first `closed` open
/// stores of every city not open yet (as tests/trend.rs builds it).
fn past(days: i64, closed: usize) -> rollout_dash::feed::snapshot::Snapshot {
    use rollout_dash::feed::wire::Phase;
    let mut doc = rollout_dash::feed::snapshot::parse_document(
        rollout_dash::feed::demo::DEMO_FEED_JSON.as_bytes(),
    )
    .unwrap();
    doc.generated_at -= chrono::Duration::days(days);
    let mut per_city: std::collections::HashMap<String, usize> = Default::default();
    for store in doc.stores.iter_mut() {
        if store.renovation.phase != Phase::Open {
            continue;
        }
        let seen = per_city.entry(store.city.as_str().to_owned()).or_default();
        if *seen < closed {
            store.renovation.phase = Phase::FitOut;
            store.renovation.percent = 80.0;
        }
        *seen += 1;
    }
    rollout_dash::feed::snapshot::Snapshot::new(doc)
}

/// The Chinese dashboard with a trend made from three earlier days.
fn zh_trend_app(dir: &tempfile::TempDir) -> App {
    use rollout_dash::analysis::{Analysis, RulesConfig};
    use rollout_dash::history::History;
    use rollout_dash::history::trend::TrendReport;
    let mut app = zh_app();
    let year = std::time::Duration::from_secs(365 * 86_400);
    let mut history = History::open_file(
        &dir.path().join("history.sqlite3"),
        "http://127.0.0.1:8080/v1/snapshot",
        year,
        std::time::Duration::from_secs(5),
    )
    .unwrap();
    let live_at = app.current.as_ref().unwrap().received_at;
    for days in [3, 2, 1] {
        let snapshot = past(days, days as usize);
        let analysis = Analysis::of(&snapshot, &RulesConfig::default());
        let at = live_at - chrono::Duration::days(days);
        history.record(&snapshot, &analysis, at).unwrap();
    }
    let fresh = app.current.clone().unwrap();
    let report = TrendReport::make(Ok(&mut history), &fresh.snapshot, &fresh.analysis, live_at);
    update(&mut app, Msg::Trend(Box::new(report)));
    app
}

#[test]
fn the_trend_column_is_headed_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let app = zh_trend_app(&dir);
    let small = render(&app, 80, 24);
    assert!(small.contains("趋势"), "{small}");
    assert!(!small.contains("Trend"), "{small}");
    insta::assert_snapshot!("trend_cities_80x24", small);
    let wide = render(&app, 200, 60);
    // Which sparkline is which, each over its own.
    assert!(wide.contains("开业     进度"), "{wide}");
    insta::assert_snapshot!("trend_cities_200x60", wide);
    for (width, height) in [(80, 24), (120, 40), (200, 60)] {
        let found = problems(&draw(&app, width, height));
        assert!(found.is_empty(), "{width}x{height}: {found:#?}");
    }
}

#[test]
fn a_finding_cut_short_never_shows_part_of_a_number() {
    // At 80 columns the overlap's sentence is cut around "0.7 km": the
    // number goes whole, never as a bare "0".
    let frame = render(&common::demo_app(), 80, 24);
    assert!(frame.contains("Mobility Group) is …│"), "{frame}");
    assert!(!frame.contains(" is 0│"), "{frame}");
}

/// The dashboard speaks English in ASCII mode (`Lang::for_terminal`); should
/// a Chinese theme reach an ASCII terminal all the same, the panes' words
/// come out in pinyin, never raw Chinese or `?`.
#[test]
fn in_ascii_mode_the_chinese_words_come_out_in_pinyin() {
    for pane in PANES {
        let mut app = focused(pane);
        app.display.ascii = true;
        for (width, height) in [(80, 24), (120, 40)] {
            let frame = render(&app, width, height);
            // The panes' own rows (the header and footer are another area's).
            let panes: String = frame
                .lines()
                .skip(2)
                .take(usize::from(height) - 3)
                .collect();
            let other: String = panes.chars().filter(|c| !c.is_ascii()).collect();
            assert!(other.is_empty(), "{pane:?}: non-ASCII {other:?}:\n{frame}");
            assert!(!panes.contains('?'), "{pane:?}: a '?':\n{frame}");
        }
    }
    let mut app = zh_app();
    app.display.ascii = true;
    let frame = render(&app, 120, 40);
    // 城市 按原始顺序: the title in pinyin; 苏州 Suzhou keeps the ASCII order.
    assert!(
        frame.contains("+ chengshi anyuanshishunxu v (21)"),
        "{frame}"
    );
    assert!(frame.contains("Suzhou (suzhou)"), "{frame}");
}

/// Whether `number` appears in `text` whole: not next to another digit.
fn has_whole(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + number.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

#[test]
fn in_chinese_words_give_way_to_numbers_at_national_scale() {
    // Suzhou with 2,500 stores of which 1,234 open, and 12,345 of the
    // feed's own warnings on it.
    let mut doc: serde_json::Value =
        serde_json::from_str(rollout_dash::feed::demo::DEMO_FEED_JSON).unwrap();
    let stores = doc["stores"].as_array_mut().unwrap();
    let in_suzhou = |s: &serde_json::Value| s["city"] == "suzhou";
    let open = stores
        .iter()
        .filter(|s| in_suzhou(s) && s["renovation"]["phase"] == "open")
        .count();
    let suzhou = stores.iter().filter(|s| in_suzhou(s)).count();
    for i in 0..2500 - suzhou {
        let phase = if i < 1234 - open { "open" } else { "design" };
        stores.push(serde_json::json!({
            "id": format!("sz-{i}"), "city": "suzhou", "kind": "xiaomi_home",
            "channel": "direct", "operator": "xiaomi", "name": format!("苏州门店 {i}"),
            "renovation": {"phase": phase, "percent": 100}
        }));
    }
    let warnings = doc["warnings"].as_array_mut().unwrap();
    for i in 0..12_345 {
        warnings.push(serde_json::json!({
            "id": format!("w-{i}"), "severity": "warning", "kind": "volume",
            "city": "suzhou", "stores": ["sz-0"], "message": "one of many"
        }));
    }
    let mut app = zh_app();
    let fresh = common::fresh_from(&doc.to_string());
    let conflicts = fresh.analysis.cities[0].conflicts.to_string();
    let event = common::fresh_event(&app, fresh);
    update(&mut app, event);
    for (width, height) in [(80, 24), (120, 40), (200, 60)] {
        let frame = render(&app, width, height);
        for number in ["1234/2500", &conflicts] {
            assert!(
                has_whole(&frame, number),
                "{number} cut at {width}x{height}:\n{frame}"
            );
        }
        let found = problems(&draw(&app, width, height));
        assert!(found.is_empty(), "{width}x{height}: {found:#?}");
    }
}

#[test]
fn the_filter_line_says_a_bad_term_in_chinese() {
    let mut app = focused(Pane::Conflicts);
    press(&mut app, KeyCode::Char('/'));
    update(&mut app, Msg::Paste("sev:bad".into()));
    let note = app.lists.conflicts.filter_note.clone().unwrap();
    assert!(note.starts_with("sev:bad"), "{note}");
    assert!(!note.contains("severity is"), "{note}");
    assert!(note.ends_with("（仍显示上一个有效筛选）"), "{note}");
}
