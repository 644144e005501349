//! Issue 15 for the drill-downs, the plan view and the trend chart: every
//! word in Chinese, and every view lined up with wide characters at 80x24,
//! 120x40 and 200x60.

mod common;

use common::render;

use std::path::Path;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use rollout_dash::analysis::{Analysis, RulesConfig};
use rollout_dash::app::{App, Display, Msg, Pane, Route, Screen, update};
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::snapshot::{Snapshot, parse_document};
use rollout_dash::feed::wire::{CityId, Phase, RawId};
use rollout_dash::history::History;
use rollout_dash::history::trend::TrendReport;
use rollout_dash::i18n::Lang;
use rollout_dash::ui;
use unicode_width::UnicodeWidthStr;

const FEED: &str = "http://127.0.0.1:8080/v1/snapshot";
const YEAR: Duration = Duration::from_secs(365 * 86_400);
const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 60)];

fn render_buffer(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::view(app, frame)).unwrap();
    terminal.backend().buffer().clone()
}

fn press(app: &mut App, code: KeyCode) {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn city(id: &str) -> CityId {
    CityId(RawId::from(id.to_owned()))
}

/// The demo dashboard in Chinese.
fn zh_app() -> App {
    let mut app = common::demo_app();
    app.display = Display {
        lang: Lang::Zh,
        ..Display::default()
    };
    app
}

/// The demo `days` before its own time, with the first `closed` open
/// stores of every city not open yet (as tests/trend.rs builds it).
fn past(days: i64, closed: usize) -> Snapshot {
    let mut doc = parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
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
    Snapshot::new(doc)
}

/// The Chinese dashboard with a trend report from three earlier days of
/// history in a real SQLite file.
fn zh_trend_app(dir: &Path) -> App {
    let mut app = zh_app();
    let mut history = History::open_file(
        &dir.join("history.sqlite3"),
        FEED,
        YEAR,
        Duration::from_secs(5),
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

/// Every wide character keeps the cell after it to itself: a widget that
/// wrote into that cell would push the rest of the row one column right on
/// a real terminal. And every row fills the width exactly.
fn assert_lined_up(buffer: &Buffer, what: &str) {
    let area = buffer.area;
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let symbol = buffer[(x, y)].symbol();
            let width = symbol.width().max(1) as u16;
            if width == 2 {
                assert!(
                    x + 1 < area.width,
                    "{what} {}x{}: row {y} ends in half of {symbol:?}",
                    area.width,
                    area.height
                );
                let next = buffer[(x + 1, y)].symbol();
                assert!(
                    next.trim().is_empty(),
                    "{what} {}x{}: row {y}: {symbol:?} at {x} is overwritten by {next:?}",
                    area.width,
                    area.height
                );
            }
            x += width;
        }
        assert_eq!(x, area.width, "{what}: row {y} overruns");
    }
}

/// The screen at every size lined up; the frames at 80x24 and 120x40.
fn frames(app: &App, what: &str) -> (String, String) {
    for (width, height) in SIZES {
        assert_lined_up(&render_buffer(app, width, height), what);
    }
    (render(app, 80, 24), render(app, 120, 40))
}

#[test]
fn the_city_view_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = zh_trend_app(dir.path());
    press(&mut app, KeyCode::Enter);
    let (small, large) = frames(&app, "city");
    // The figures keep to one line in words that fit, numbers whole.
    assert!(small.contains("招募 ◑ 筛选中 自2024年1月2日起"), "{small}");
    assert!(small.contains("门店 1/5 已开业 · 建店进度"), "{small}");
    assert!(small.contains("53% · 逾期 0 · 冲突 0"), "{small}");
    assert!(
        small.contains("招募：申请 11 → 入围 4 → 签约 2 · 目标 3 家门店"),
        "{small}"
    );
    assert!(
        small.contains("趋势：开业 ▁▁▁█ 0 → 1 · 建店进度"),
        "{small}"
    );
    assert!(small.contains("合作伙伴 (2)") && small.contains("最近变更 (0)"));
    // The narrow partner list drops the tier, and keeps the stage whole.
    assert!(
        small.contains("已签合同") && !small.contains("级别"),
        "{small}"
    );
    insta::assert_snapshot!("zh_city_80x24", small);
    // Wide: the chart titled in Chinese with its dates as Chinese writes them.
    assert!(large.contains("建店进度 49%→53% • 开业 0→1/5"), "{large}");
    assert!(
        large.contains("2月17日") && large.contains("2月20日"),
        "{large}"
    );
    assert!(
        large.contains("级别") && large.contains("区域龙头"),
        "{large}"
    );
    insta::assert_snapshot!("zh_city_120x40", large);
}

#[test]
fn the_partner_view_in_chinese() {
    let mut app = zh_app();
    app.focus = Pane::Partners;
    press(&mut app, KeyCode::Enter);
    let (small, large) = frames(&app, "partner");
    assert!(
        small.contains("协议阶段 意向协议 2023年12月29日签约"),
        "{small}"
    );
    assert!(
        small.contains("百强或区域龙头集团： ✓ 是 (百强 #18)"),
        "{small}"
    );
    assert!(
        small.contains("豪华品牌或新能源经验： ✓ 是 (豪华品牌：是，新能源：是)"),
        "{small}"
    );
    assert!(small.contains("经营品牌（5）："), "{small}");
    assert!(
        small.contains("城市 (2)") && small.contains("● 已签约"),
        "{small}"
    );
    insta::assert_snapshot!("zh_partner_80x24", small);
    insta::assert_snapshot!("zh_partner_120x40", large);
}

#[test]
fn the_store_view_in_chinese() {
    let mut app = zh_app();
    app.focus = Pane::Stores;
    press(&mut app, KeyCode::Enter);
    let (small, large) = frames(&app, "store");
    assert!(small.contains("交付中心 · 直营 · 运营方"), "{small}");
    assert!(small.contains("阶段 已开业"), "{small}");
    assert!(
        small
            .contains("计划开业 2024年2月5日   展车到店 2024年1月26日   更新于 2024年2月5日 10:00"),
        "{small}"
    );
    assert!(small.contains("坐标 39.7950, 116.5060"), "{small}");
    assert!(small.contains("前往 (Enter)") && small.contains("类型     名称"));
    insta::assert_snapshot!("zh_store_80x24", small);
    insta::assert_snapshot!("zh_store_120x40", large);
}

#[test]
fn a_late_store_says_so_in_chinese() {
    let mut app = zh_app();
    // Wuhan's wh-home-02 was due on Feb 14 and is not open.
    let store = rollout_dash::feed::wire::StoreId(RawId::from("wh-home-02".to_owned()));
    app.routes.push(Screen::new(Route::Store(store)));
    let (small, _) = frames(&app, "late store");
    assert!(small.contains("已过计划开业日期，仍未开业"), "{small}");
    assert!(small.contains("计划开业 2024年2月14日"), "{small}");
}

#[test]
fn the_plan_view_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = zh_trend_app(dir.path());
    press(&mut app, KeyCode::Char('p'));
    let (small, large) = frames(&app, "plan");
    assert!(small.contains("计划与实际：全国"), "{small}");
    assert!(
        small.contains("全国：落后计划 1 家，今日到期 · 已开业 14，截至2024年2月20日计划 15"),
        "{small}"
    );
    assert!(small.contains("5 家门店无计划开业日期"), "{small}");
    assert!(small.contains("城市 (21)，Enter 打开"), "{small}");
    assert!(small.contains("开业/计划 差距"), "{small}");
    // Wuhan's wh-home-02 was due on Feb 14 and is not open.
    assert!(small.contains("1/2 落后计划 1 家，逾期 6 天"), "{small}");
    assert!(
        small.contains("2月1日") && small.contains("6月20日"),
        "{small}"
    );
    insta::assert_snapshot!("zh_plan_80x24", small);
    assert!(large.contains("0/1 落后计划 1 家，逾期 4 天"), "{large}");
    // The legend, where there is room for it.
    assert!(
        large.contains("│今天│") && large.contains("│计划│") && large.contains("│开业│"),
        "{large}"
    );
    // The legend, where there is room for it.
    assert!(
        large.contains("│今天│") && large.contains("│计划│") && large.contains("│开业│"),
        "{large}"
    );
    insta::assert_snapshot!("zh_plan_120x40", large);
    // Shanghai is among the last cities: one open without a date, none due.
    press(&mut app, KeyCode::Char('G'));
    let last = render(&app, 120, 40);
    assert!(last.contains("1/0 超前计划 1 家，提前 4 天"), "{last}");
    press(&mut app, KeyCode::Char('p'));

    app.routes.push(Screen::new(Route::City(city("chengdu"))));
    press(&mut app, KeyCode::Char('p'));
    let (small, large) = frames(&app, "plan of a city");
    assert!(small.contains("计划与实际："), "{small}");
    assert!(
        small.contains("符合计划 · 已开业 1，截至2024年2月20日计划 1"),
        "{small}"
    );
    assert!(small.contains("差距") && small.contains("全国：落后计划 1 家，今日到期"));
    insta::assert_snapshot!("zh_plan_city_80x24", small);
    insta::assert_snapshot!("zh_plan_city_120x40", large);
}

#[test]
fn the_plan_view_says_why_it_has_only_todays_count_in_chinese() {
    let mut app = zh_app();
    let fresh = app.current.clone().unwrap();
    let error = rollout_dash::history::HistoryError::Disabled;
    let report = TrendReport::make(
        Err(&error),
        &fresh.snapshot,
        &fresh.analysis,
        fresh.received_at,
    );
    update(&mut app, Msg::Trend(Box::new(report)));
    press(&mut app, KeyCode::Char('p'));
    let (_, large) = frames(&app, "plan without history");
    assert!(large.contains("：仅有今日数据"), "{large}");
}

#[test]
fn before_the_plan_is_worked_out_and_after_a_record_left_the_feed() {
    let mut app = zh_app();
    press(&mut app, KeyCode::Char('p'));
    let (small, _) = frames(&app, "plan, working");
    assert!(small.contains("正在计算计划与实际…"), "{small}");
    let mut app = zh_app();
    app.routes.push(Screen::new(Route::City(city("atlantis"))));
    let (small, _) = frames(&app, "gone");
    assert!(
        small.contains("城市 atlantis 已不在数据中。按 Esc 返回。"),
        "{small}"
    );
}

#[test]
#[should_panic(expected = "is overwritten by")]
fn the_line_up_check_catches_a_wide_character_written_over() {
    let mut buffer = Buffer::empty(ratatui::layout::Rect::new(0, 0, 4, 1));
    buffer.set_string(0, 0, "城市", ratatui::style::Style::default());
    // A border drawn into the second half of 城.
    buffer[(1, 0)].set_symbol("│");
    assert_lined_up(&buffer, "a broken row");
}

#[test]
fn a_sorted_and_filtered_section_says_so_in_chinese() {
    let mut app = zh_app();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Enter);
    let (_, large) = frames(&app, "sorted section");
    assert!(large.contains("门店 (3) 按城市 ↓ /x"), "{large}");
}

#[test]
fn a_record_s_data_warning_is_said_in_chinese() {
    let mut doc: serde_json::Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    let store = doc["stores"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["id"] == "bj-dc-01")
        .unwrap();
    // Open, but not finished: a data warning about the store.
    store["renovation"]["percent"] = serde_json::json!(60);
    let mut app = App::new(
        "http://127.0.0.1:8080".into(),
        false,
        Display {
            lang: Lang::Zh,
            ..Display::default()
        },
        common::now(),
    );
    let event = common::fresh_event(&app, common::fresh_from(&doc.to_string()));
    update(&mut app, event);
    let id = rollout_dash::feed::wire::StoreId(RawId::from("bj-dc-01".to_owned()));
    app.routes.push(Screen::new(Route::Store(id)));
    let (small, _) = frames(&app, "data warning");
    assert!(
        small.contains("数据警告：门店 bj-dc-01 已开业，但建设进度只有 60%"),
        "{small}"
    );
}
