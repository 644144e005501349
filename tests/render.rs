//! Rendered frames of every pane and drill-down, at 80x24 and 120x40 (and
//! 200x60 for the everything-at-once layout), snapshot-tested with insta.

mod common;

use std::sync::Arc;

use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rollout_dash::app::{App, Display, Msg, Pane, Stale, update};
use rollout_dash::feed::client::PollError;
use rollout_dash::feed::poller::FeedEvent;
use rollout_dash::ui;

fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::view(app, frame)).unwrap();
    terminal.backend().to_string()
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
        assert!(frame.contains(pane.title()), "{} missing", pane.title());
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
        assert!(
            frame.contains(pane.title()),
            "{} not shown at 80x24",
            pane.title()
        );
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

#[test]
fn ascii_mode_uses_no_box_drawing() {
    let mut app = common::demo_app();
    app.display = Display {
        ascii: true,
        mono: true,
    };
    let frame = render(&app, 120, 40);
    let non_ascii: String = frame
        .chars()
        .filter(|c| !c.is_ascii())
        .filter(|c| !is_cjk(*c))
        .collect();
    assert!(
        non_ascii.is_empty(),
        "non-ASCII symbols in ASCII mode: {non_ascii:?}"
    );
    insta::assert_snapshot!(frame);
}

fn is_cjk(c: char) -> bool {
    // The feed's own names (Chinese city and partner names) are data, not symbols.
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF) || c == '•'
}

#[test]
fn tiny_terminal_says_so() {
    let frame = render(&common::demo_app(), 40, 10);
    assert!(frame.contains("terminal too small"));
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
        .find(|(_, l)| l.contains("Ningbo"))
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
