//! Input through `update`, without a terminal: pastes, the filter's length
//! cap, keys that do not apply where they are pressed, and the help's keys.

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rollout_dash::app::keys::{self, Action, Input, Keymap, View};
use rollout_dash::app::{App, MAX_FILTER_CHARS, Msg, Pane, Route, update};
use rollout_dash::i18n::Lang;

fn key(app: &mut App, code: KeyCode) {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn paste(app: &mut App, text: &str) {
    update(app, Msg::Paste(text.to_owned()));
}

fn selected_city(app: &App) -> String {
    app.lists
        .cities
        .selected_city()
        .map(|c| c.as_str().to_owned())
        .unwrap_or_default()
}

/// A 100 KB paste: the filter keeps its first 256 characters, searched once.
#[test]
fn a_long_paste_into_the_filter_is_cut_at_the_cap_and_says_so() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char('/'));
    let text = "ningbo".repeat(100 * 1024 / 6);
    paste(&mut app, &text);
    let list = &app.lists.cities;
    assert_eq!(list.filter.chars().count(), MAX_FILTER_CHARS);
    assert!(text.starts_with(&list.filter));
    assert!(list.filter_cut, "the filter line says it was cut");
    assert!(app.filtering, "still typing the filter");
    // Backspace makes room again and the mark goes.
    key(&mut app, KeyCode::Backspace);
    assert!(!app.lists.cities.filter_cut);
    assert_eq!(
        app.lists.cities.filter.chars().count(),
        MAX_FILTER_CHARS - 1
    );
}

/// Typed one key at a time (a terminal without bracketed paste), the
/// filter stops at the cap too.
#[test]
fn typed_text_stops_at_the_cap() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, &"x".repeat(MAX_FILTER_CHARS + 50));
    assert_eq!(app.lists.cities.filter.len(), MAX_FILTER_CHARS);
    assert!(app.lists.cities.filter_cut);
    assert!(app.filtering);
}

/// A paste is typed once, in one piece; its line breaks are spaces, never
/// Enter: the filter stays open and the text after a break is not run as keys.
#[test]
fn a_paste_is_filter_text_and_its_line_breaks_are_not_enter() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char('/'));
    paste(&mut app, "nanj\r\nq");
    assert!(app.filtering, "a pasted line break did not end the filter");
    assert!(!app.quit, "the q after the break was not a command");
    assert_eq!(app.lists.cities.filter, "nanj q");
    // Only the pasted text, once.
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Backspace);
    assert_eq!(app.lists.cities.filter, "nanj");
    assert_eq!(app.lists.cities.rows.len(), 1, "Nanjing");
    key(&mut app, KeyCode::Enter);
    assert_eq!(selected_city(&app), "nanjing");
}

/// A paste outside a filter does nothing, and says so.
#[test]
fn a_paste_elsewhere_does_nothing_and_says_so() {
    let mut app = common::demo_app();
    paste(&mut app, "jjjq\r");
    assert!(!app.quit);
    assert_eq!(selected_city(&app), "suzhou");
    assert_eq!(app.route(), &Route::Overview);
    let notice = app.notice.clone().expect("a notice");
    assert!(notice.contains("paste"), "{notice}");
    // The next key clears the notice.
    key(&mut app, KeyCode::Char('j'));
    assert!(app.notice.is_none());
}

/// In a drill-down section that lists no records (a store's city and
/// operator), `/` and `s` say where they work and do nothing else; the
/// letters typed after them do not open anything. (In the record lists
/// they filter and sort: tests/nav.rs.)
#[test]
fn slash_and_s_in_a_drill_down_say_so_and_do_nothing_else() {
    let mut app = common::demo_app();
    let store = rollout_dash::feed::wire::StoreId::new("bj-dc-01");
    app.routes
        .push(rollout_dash::app::Screen::new(Route::Store(store)));
    let before = app.screen().clone();
    key(&mut app, KeyCode::Char('/'));
    assert!(!app.filtering);
    assert_eq!(
        app.notice.as_deref(),
        Some(
            "/, s and S work on stores, partners, cities, conflicts and changes; Tab to one of them"
        )
    );
    assert_eq!(app.screen(), &before);
    for c in ['s', 'S'] {
        key(&mut app, KeyCode::Char(c));
        let notice = app.notice.clone().unwrap_or_default();
        assert!(notice.contains("Tab to one of them"), "{notice}");
        assert_eq!(app.screen(), &before);
        assert_eq!(app.lists.cities.sort, 0, "no overview sort changed");
    }
    key(&mut app, KeyCode::Char('4'));
    assert!(
        app.notice
            .as_deref()
            .unwrap_or_default()
            .contains("conflicts pane")
    );
    assert_eq!(app.focus, Pane::Cities);
    // Letters that are no key say so too.
    typed(&mut app, "home");
    assert_eq!(
        app.notice.as_deref(),
        Some("e does nothing here; ? lists the keys")
    );
    assert_eq!(app.screen(), &before, "nothing opened, nothing moved");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.route(), &Route::Overview);
    assert!(app.notice.is_none());
}

/// The help scrolls with the arrows and page keys; any other key closes it
/// and does nothing else.
#[test]
fn the_help_scrolls_and_any_other_key_closes_it() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char('?'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    assert!(app.help);
    assert_eq!(app.help_scroll, 2);
    key(&mut app, KeyCode::Up);
    assert_eq!(app.help_scroll, 1);
    for _ in 0..100 {
        key(&mut app, KeyCode::PageDown);
    }
    let entries = keys::for_screen(app.route(), false).count();
    assert_eq!(app.help_scroll, entries - 1, "stops at the last entry");
    key(&mut app, KeyCode::Char('x'));
    assert!(!app.help);
    assert_eq!(app.help_scroll, 0);
    assert!(app.notice.is_none(), "the closing key did nothing else");
}

/// The help says what Ctrl-d does, and it does that: ten rows.
#[test]
fn ctrl_d_moves_as_many_rows_as_the_help_says() {
    let keymap = Keymap::default();
    let entry = keys::ACTIONS
        .iter()
        .find(|k| keymap.label(k.action).starts_with("Ctrl-D"))
        .unwrap();
    assert_eq!(entry.does(Lang::En), "ten rows down");
    let mut app = common::demo_app();
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    assert_eq!(app.lists.cities.cursor, 10);
}

/// Every screen's footer keys come from the same table as its help.
#[test]
fn each_screen_has_its_keys() {
    let overview: Vec<Action> = keys::for_screen(&Route::Overview, false)
        .map(|k| k.action)
        .collect();
    assert!(overview.contains(&Action::Filter));
    assert!(overview.contains(&Action::PaneConflicts));
    let app = {
        let mut app = common::demo_app();
        key(&mut app, KeyCode::Enter);
        app
    };
    let detail: Vec<_> = keys::for_screen(app.route(), false).collect();
    assert!(detail.iter().all(|k| k.views.contains(&View::DrillDown)));
    assert!(
        app.keymap
            .footer(View::DrillDown, Lang::En)
            .iter()
            .any(|k| k.key == "Esc" && k.word == "back")
    );
    let filter: Vec<_> = keys::for_screen(&Route::Overview, true).collect();
    assert!(filter.iter().all(|k| k.views.contains(&View::Filter)));
}

/// The README's key table is the key table, row for row.
#[test]
fn the_readme_key_table_is_the_key_table() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let section = readme
        .split("\n## Keys\n")
        .nth(1)
        .expect("a Keys section in README.md");
    let table: Vec<&str> = section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .collect();
    let keymap = Keymap::default();
    let expected: Vec<String> = keys::ACTIONS
        .iter()
        .map(|k| {
            let name = match k.input {
                Input::Keys(_) => format!("`{}`", k.name),
                Input::Fixed(_) => "-".to_owned(),
            };
            format!(
                "| {} | {name} | {}{} |",
                keymap.label(k.action),
                k.prefix(),
                k.does(Lang::En)
            )
        })
        .collect();
    assert_eq!(
        table,
        expected,
        "README.md's key table, as the key table says it:\n{}",
        expected.join("\n")
    );
}
