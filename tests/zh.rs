//! Issue 15, points 4 and 5: times in the operator's zone, and Chinese names
//! in pinyin where the terminal cannot show Chinese.

mod common;

use common::{Server, run};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rollout_dash::app::{App, Display, Msg, Pane, update};
use rollout_dash::ui;

fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::view(app, frame)).unwrap();
    terminal.backend().to_string()
}

/// The demo dashboard as a terminal without UTF-8 shows it.
fn ascii_app() -> App {
    let mut app = common::demo_app();
    app.display = Display {
        ascii: true,
        mono: true,
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
    // The same report in a UTF-8 locale keeps the Chinese.
    let utf8 = run(
        &["report", "--feed", &server.url, "--format", "text"],
        &[("LANG", "zh_CN.UTF-8")],
        home.path(),
    );
    let utf8 = String::from_utf8(utf8.stdout).unwrap();
    assert!(utf8.contains("Suzhou 苏州"), "{utf8}");
}
