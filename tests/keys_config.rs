//! The table of actions and the config's `[keys]`: dispatch goes through
//! the table, a remapped action runs on its new keys (and no longer on its
//! old ones), the footer and help show the keys as remapped, and bad
//! `[keys]` tables are refused naming both bindings.

mod common;

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rollout_dash::app::keys::{ACTIONS, Action, Input, KeyBinding, Keymap, View};
use rollout_dash::app::{App, Command, Msg, Pane, update};

fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Option<Command> {
    update(app, Msg::Key(KeyEvent::new(code, modifiers)))
}

fn key(app: &mut App, code: KeyCode) -> Option<Command> {
    press(app, code, KeyModifiers::NONE)
}

fn overrides(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(name, keys)| {
            (
                (*name).to_owned(),
                keys.iter().map(|k| (*k).to_owned()).collect(),
            )
        })
        .collect()
}

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| rollout_dash::ui::view(app, frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..height {
        for x in 0..width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

/// Every key of every action in every view runs that action through
/// `update`: the table is what dispatches, not a second list of keys.
#[test]
fn every_default_key_runs_its_action_through_the_table() {
    let keymap = Keymap::default();
    for info in ACTIONS {
        for &view in info.views {
            for binding in keymap.keys(info.action) {
                if view == View::Filter && binding.is_text() {
                    continue;
                }
                let event = event_of(*binding);
                assert_eq!(
                    keymap.action(view, &event),
                    Some(info.action),
                    "{binding} in the {view:?} view"
                );
            }
        }
    }
    // And `update` runs what the table says: Ctrl-L asks for a redraw
    // everywhere, `4` focuses the conflicts pane.
    let mut app = common::demo_app();
    assert_eq!(
        press(&mut app, KeyCode::Char('l'), KeyModifiers::CONTROL),
        Some(Command::Redraw)
    );
    key(&mut app, KeyCode::Char('4'));
    assert_eq!(app.focus, Pane::Conflicts);
}

/// The crossterm event a binding stands for.
fn event_of(binding: KeyBinding) -> KeyEvent {
    use rollout_dash::app::keys::{KeyCodeOrd, NamedKey};
    let mut modifiers = KeyModifiers::NONE;
    let shown = binding.to_string();
    if shown.starts_with("Ctrl-") {
        modifiers |= KeyModifiers::CONTROL;
    }
    if shown.contains("Alt-") {
        modifiers |= KeyModifiers::ALT;
    }
    let code = match binding.code {
        KeyCodeOrd::Char(c) => KeyCode::Char(c),
        KeyCodeOrd::F(n) => KeyCode::F(n),
        KeyCodeOrd::Named(named) => match named {
            NamedKey::Enter => KeyCode::Enter,
            NamedKey::Esc => KeyCode::Esc,
            NamedKey::Tab => KeyCode::Tab,
            NamedKey::BackTab => {
                modifiers |= KeyModifiers::SHIFT;
                KeyCode::BackTab
            }
            NamedKey::Backspace => KeyCode::Backspace,
            NamedKey::Delete => KeyCode::Delete,
            NamedKey::Insert => KeyCode::Insert,
            NamedKey::Up => KeyCode::Up,
            NamedKey::Down => KeyCode::Down,
            NamedKey::Left => KeyCode::Left,
            NamedKey::Right => KeyCode::Right,
            NamedKey::Home => KeyCode::Home,
            NamedKey::End => KeyCode::End,
            NamedKey::PageUp => KeyCode::PageUp,
            NamedKey::PageDown => KeyCode::PageDown,
        },
    };
    KeyEvent::new(code, modifiers)
}

/// Ctrl-a and Ctrl-b are the tmux and screen prefixes: no default binds them.
#[test]
fn no_default_binding_is_ctrl_a_or_ctrl_b() {
    let keymap = Keymap::default();
    for info in ACTIONS {
        for binding in keymap.keys(info.action) {
            let shown = binding.to_string();
            assert!(
                shown != "Ctrl-A" && shown != "Ctrl-B",
                "{} is bound to {shown} by default",
                info.name
            );
        }
    }
    // And pressed, they run nothing anywhere.
    let mut app = common::demo_app();
    let before = app.screen().clone();
    for c in ['a', 'b'] {
        for view in View::ALL {
            let event = KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
            assert_eq!(keymap.action(view, &event), None, "Ctrl-{c} in {view:?}");
        }
        assert_eq!(
            press(&mut app, KeyCode::Char(c), KeyModifiers::CONTROL),
            None
        );
    }
    assert_eq!(app.screen(), &before);
    assert!(!app.quit);
}

/// `quit = ["x", "ctrl-c"]`: x quits, q no longer does (it says it does
/// nothing), and the footer and the help show x.
#[test]
fn a_remapped_action_runs_on_its_new_keys_only_and_is_shown_so() {
    let mut app = common::demo_app();
    app.keymap = Keymap::with_overrides(&overrides(&[
        ("quit", &["x", "ctrl-c"]),
        ("down", &["v", "f5"]),
    ]))
    .unwrap();
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.quit, "q is no longer quit");
    assert_eq!(
        app.notice.as_deref(),
        Some("q does nothing here; ? lists the keys")
    );
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(app.lists.cities.cursor, 0, "j is no longer down");
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::F(5));
    assert_eq!(app.lists.cities.cursor, 2, "v and F5 move down");
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("x quit"), "footer:\n{shown}");
    assert!(shown.contains("v/k move"), "footer:\n{shown}");
    key(&mut app, KeyCode::Char('?'));
    let help = screen(&app, 120, 40);
    assert!(help.contains("v, F5"), "help:\n{help}");
    // Quit is further down the help.
    key(&mut app, KeyCode::PageDown);
    let help = screen(&app, 120, 40);
    assert!(help.contains("x, Ctrl-C"), "help:\n{help}");
    // x closes the help and quits, as q did.
    key(&mut app, KeyCode::Char('x'));
    assert!(app.quit);
}

/// While a filter is typed its letters are text: a quit remapped to a
/// letter types it, its Ctrl- key still quits.
#[test]
fn a_filter_takes_letters_as_text_whatever_they_are_bound_to() {
    let mut app = common::demo_app();
    app.keymap = Keymap::with_overrides(&overrides(&[("quit", &["x", "ctrl-q"])])).unwrap();
    key(&mut app, KeyCode::Char('/'));
    key(&mut app, KeyCode::Char('x'));
    assert!(!app.quit);
    assert_eq!(app.lists.cities.filter, "x");
    press(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(!app.quit, "Ctrl-C is no longer quit");
    press(&mut app, KeyCode::Char('q'), KeyModifiers::CONTROL);
    assert!(app.quit);
}

/// Two actions on one key in one view: an error naming both and the key.
/// The same key in two views (Esc: back in a drill-down, clear in the
/// overview) is no clash.
#[test]
fn two_actions_on_one_key_in_one_view_is_an_error_naming_both() {
    let error = Keymap::with_overrides(&overrides(&[("poll", &["j"])])).unwrap_err();
    assert_eq!(error.key, "keys.poll");
    assert!(error.message.contains("down"), "{}", error.message);
    assert!(error.message.contains("poll"), "{}", error.message);
    assert!(error.message.contains('j'), "{}", error.message);
    // Only in the drill-down: back and next_section both on Tab.
    let error = Keymap::with_overrides(&overrides(&[("back", &["tab"])])).unwrap_err();
    assert!(error.message.contains("next_section"), "{}", error.message);
    assert!(error.message.contains("drill-down"), "{}", error.message);
    // Moving one action off a key frees it for another.
    Keymap::with_overrides(&overrides(&[("down", &["v"]), ("poll", &["j"])])).unwrap();
}

/// An unknown action or key name is refused, naming it.
#[test]
fn unknown_actions_and_keys_are_refused_by_name() {
    let error = Keymap::with_overrides(&overrides(&[("launch", &["l"])])).unwrap_err();
    assert_eq!(error.key, "keys.launch");
    assert!(error.message.contains("\"launch\""), "{}", error.message);
    assert!(error.message.contains("quit"), "lists the actions");
    let error = Keymap::with_overrides(&overrides(&[("quit", &["hyper-q"])])).unwrap_err();
    assert_eq!(error.key, "keys.quit");
    assert!(error.message.contains("hyper-q"), "{}", error.message);
    // A text key for an action of the filter alone could never run.
    let error = Keymap::with_overrides(&overrides(&[("filter_keep", &["x"])])).unwrap_err();
    assert_eq!(error.key, "keys.filter_keep");
    assert!(error.message.contains("types text"), "{}", error.message);
    let error = Keymap::with_overrides(&overrides(&[("mouse", &["m"])])).unwrap_err();
    assert!(error.message.contains("not a key"), "{}", error.message);
}

/// Every action that has keys is in the table with a `[keys]` name that
/// finds it again.
#[test]
fn every_action_is_named_in_the_table() {
    for info in ACTIONS {
        assert_eq!(Action::from_name(info.name), Some(info.action));
        if let Input::Keys(keys) = info.input {
            assert!(!keys.is_empty(), "{} has no default key", info.name);
        }
    }
}

/// The real binary on a config file with a `[keys]` table: exit 2, the
/// file, its line, the entry and both actions named.
fn config_refused(text: &str) -> String {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("keys.toml");
    std::fs::write(&path, text).unwrap();
    let output = common::run(
        &["--config", path.to_str().unwrap(), "report"],
        &[],
        home.path(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("keys.toml"), "names the file: {stderr}");
    stderr
}

#[test]
fn a_clash_in_the_config_file_names_the_file_the_line_and_both_actions() {
    let stderr = config_refused("[ui]\nmouse = true\n\n[keys]\nquit = [\"q\"]\npoll = [\"j\"]\n");
    assert!(stderr.contains("line 6"), "{stderr}");
    assert!(stderr.contains("keys.poll"), "{stderr}");
    assert!(stderr.contains("both down and poll"), "{stderr}");
}

#[test]
fn an_unknown_action_or_key_in_the_config_file_is_refused_by_name() {
    let stderr = config_refused("[keys]\nlaunch = [\"l\"]\n");
    assert!(stderr.contains("keys.launch"), "{stderr}");
    assert!(stderr.contains("unknown action"), "{stderr}");
    let stderr = config_refused("[keys]\nquit = [\"ctrl-\"]\n");
    assert!(stderr.contains("keys.quit"), "{stderr}");
    assert!(stderr.contains("\"ctrl-\" is not a key"), "{stderr}");
    let stderr = config_refused("[keys]\nquit = \"q\"\n");
    assert!(stderr.contains("keys.quit"), "{stderr}");
}

/// config.example.toml lists every action that has keys with its default
/// keys, as the `[keys]` table would write them.
#[test]
fn the_example_config_lists_every_action_with_its_default_keys() {
    let example = include_str!("../config.example.toml");
    for info in ACTIONS {
        let Input::Keys(keys) = info.input else {
            continue;
        };
        let quoted: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
        let line = format!("# {} = [{}]", info.name, quoted.join(", "));
        assert!(
            example.lines().any(|l| l == line),
            "config.example.toml lacks {line:?}"
        );
    }
}

/// The line is found beside `[[feeds]]` too.
#[test]
fn a_clash_names_its_line_beside_feeds() {
    let stderr = config_refused(
        "[[feeds]]\nname = \"prod\"\nurl = \"http://127.0.0.1:9\"\n\n[keys]\npoll = [\"j\"]\n",
    );
    assert!(stderr.contains("line 6"), "{stderr}");
    assert!(stderr.contains("both down and poll"), "{stderr}");
}

/// Ctrl-L redraws wherever the user is: while filtering (the filter keeps
/// its text) and with the help open (it stays open).
#[test]
fn ctrl_l_asks_for_a_redraw_while_filtering_and_in_the_help() {
    let mut app = common::demo_app();
    key(&mut app, KeyCode::Char('/'));
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(
        press(&mut app, KeyCode::Char('l'), KeyModifiers::CONTROL),
        Some(Command::Redraw)
    );
    assert!(app.filtering);
    assert_eq!(app.lists.cities.filter, "n");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('?'));
    assert_eq!(
        press(&mut app, KeyCode::Char('l'), KeyModifiers::CONTROL),
        Some(Command::Redraw)
    );
    assert!(app.help, "the help stays open");
}
