//! The actions of the dashboard and the keys that run them: one table that
//! key dispatch (`update`), the footer, the help overlay and the README's
//! key table are written from (a test holds the README to it). The config's
//! `[keys]` table remaps any action ([`Keymap::with_overrides`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Pane, Route};
use crate::config::{Fault, config_said};
use crate::i18n::Lang;

/// Where an action works.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum View {
    /// The overview (the panes).
    Overview,
    /// A drill-down (a city, partner or store).
    DrillDown,
    /// While typing a filter: a key that types text is text here.
    Filter,
    /// While the `:` command line is open: its keys are fixed, every
    /// other key types into it.
    CommandLine,
}

impl View {
    /// Every view.
    pub const ALL: [View; 4] = [
        View::Overview,
        View::DrillDown,
        View::Filter,
        View::CommandLine,
    ];

    /// The view a screen is in: `filtering` while a filter is typed, else
    /// that of the route.
    pub fn of(route: &Route, filtering: bool) -> View {
        if filtering {
            View::Filter
        } else if route == &Route::Overview {
            View::Overview
        } else {
            View::DrillDown
        }
    }

    /// How the README and the help name the view.
    pub fn name(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::DrillDown => "drill-down",
            View::Filter => "while filtering",
            View::CommandLine => "command line",
        }
    }

    /// How a notice names the view, in `lang`.
    pub fn name_in(self, lang: Lang) -> Cow<'static, str> {
        match self {
            View::Overview => lang.text("key-view-overview"),
            View::DrillDown => lang.text("key-view-drill-down"),
            View::Filter => lang.text("key-view-filter"),
            View::CommandLine => lang.text("key-view-command-line"),
        }
    }
}

/// Everything the dashboard does on a key (or on the mouse, or on typing:
/// those two have fixed inputs and are in the table for the help alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Selection one row down.
    Down,
    /// Selection one row up.
    Up,
    /// First row.
    First,
    /// Last row.
    Last,
    /// Ten rows down.
    PageDown,
    /// Ten rows up.
    PageUp,
    /// Open the selected city, partner or store.
    Open,
    /// Copy the selected row to the clipboard (OSC 52).
    Copy,
    /// Next pane of the overview.
    NextPane,
    /// Previous pane of the overview.
    PrevPane,
    /// Next section of a drill-down.
    NextSection,
    /// Previous section of a drill-down.
    PrevSection,
    /// The cities pane.
    PaneCities,
    /// The partners pane.
    PanePartners,
    /// The stores pane.
    PaneStores,
    /// The conflicts pane.
    PaneConflicts,
    /// The change log pane.
    PaneChanges,
    /// The map pane.
    PaneMap,
    /// The data warnings pane.
    PaneDataWarnings,
    /// Start typing a filter for the pane.
    Filter,
    /// Cycle the pane's sort key.
    Sort,
    /// Reverse the pane's order.
    ReverseSort,
    /// The next match of the filter.
    NextMatch,
    /// The previous match of the filter.
    PrevMatch,
    /// Open the `:` command line.
    CommandLine,
    /// Clear the pane's filter.
    ClearPaneFilter,
    /// Back to the screen before.
    Back,
    /// Poll the feed now.
    PollNow,
    /// Plan versus actual, of the programme or of the city on screen.
    Plan,
    /// Pause or resume polling.
    Pause,
    /// The recorded snapshot before the one on screen.
    HistoryBack,
    /// The recorded snapshot after the one on screen; live past the newest.
    HistoryForward,
    /// Acknowledge the selected finding (opens the note prompt).
    Acknowledge,
    /// Take back the selected finding's acknowledgement.
    Unacknowledge,
    /// Hide or show acknowledged findings.
    ToggleAcked,
    /// The help overlay.
    Help,
    /// Quit.
    Quit,
    /// Suspend to the shell.
    Suspend,
    /// Clear the terminal and draw the whole screen again.
    Redraw,
    /// The mouse (fixed: not a key).
    Mouse,
    /// Type or paste filter text (fixed: the text keys).
    TypeFilter,
    /// Delete the filter's last character.
    FilterBackspace,
    /// Keep the filter and leave it.
    FilterKeep,
    /// Clear the filter and leave it.
    FilterClear,
    /// Type or paste a command (fixed: the text keys).
    CommandType,
    /// Complete the command or the name (fixed: Tab).
    CommandComplete,
    /// Walk the command history (fixed: Up and Down).
    CommandHistory,
    /// Run the command (fixed: Enter).
    CommandRun,
    /// Close the command line (fixed: Esc).
    CommandClose,
}

/// The footer's short form of an action: its first key and one word
/// ([`Action::footer_word`]), with a partner action's first key after a
/// slash (`j/k move`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Footer {
    /// The action whose key follows a slash.
    pub with: Option<Action>,
}

/// What runs an action by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// Keys, in the config's key syntax; the `[keys]` table can replace them.
    Keys(&'static [&'static str]),
    /// Not a key (the mouse, typed text): how the help writes it.
    Fixed(&'static str),
}

/// One row of the action table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionInfo {
    /// The action.
    pub action: Action,
    /// Its name in the config's `[keys]` table.
    pub name: &'static str,
    /// What runs it by default.
    pub input: Input,
    /// The footer's short form, for the actions the footer shows.
    pub footer: Option<Footer>,
    /// Where it works.
    pub views: &'static [View],
}

impl ActionInfo {
    /// How the README and the help say where it works, before what it does:
    /// nothing for an action of both the overview and the drill-downs.
    pub fn prefix(&self) -> String {
        let screens = self.views.contains(&View::Overview) && self.views.contains(&View::DrillDown);
        if screens {
            return String::new();
        }
        let names: Vec<&str> = self.views.iter().map(|v| v.name()).collect();
        format!("{}: ", names.join(", "))
    }

    /// What it does, for the help and the README (in English), in `lang`.
    pub fn does(&self, lang: Lang) -> Cow<'static, str> {
        self.action.does(lang)
    }

    /// Whether it works in `view`.
    pub fn works_in(&self, view: View) -> bool {
        self.views.contains(&view)
    }
}

const SCREENS: &[View] = &[View::Overview, View::DrillDown];
const ALL: &[View] = &[View::Overview, View::DrillDown, View::Filter];
const OVERVIEW: &[View] = &[View::Overview];
const DRILL_DOWN: &[View] = &[View::DrillDown];
const FILTER: &[View] = &[View::Filter];
const COMMAND_LINE: &[View] = &[View::CommandLine];

const fn row(
    action: Action,
    name: &'static str,
    keys: &'static [&'static str],
    footer: Option<Footer>,
    views: &'static [View],
) -> ActionInfo {
    ActionInfo {
        action,
        name,
        input: Input::Keys(keys),
        footer,
        views,
    }
}

const fn short() -> Option<Footer> {
    Some(Footer { with: None })
}

const fn pair(with: Action) -> Option<Footer> {
    Some(Footer { with: Some(with) })
}

/// Every action, in the order of [`Action`]'s variants, which is the order
/// the footer, the help and the README list them. Ctrl-a and Ctrl-b (the
/// tmux and screen prefixes) are never bound here.
pub const ACTIONS: &[ActionInfo] = &[
    row(
        Action::Down,
        "down",
        &["j", "down"],
        pair(Action::Up),
        SCREENS,
    ),
    row(Action::Up, "up", &["k", "up"], None, SCREENS),
    row(Action::First, "first", &["g", "home"], None, SCREENS),
    row(Action::Last, "last", &["G", "end"], None, SCREENS),
    row(
        Action::PageDown,
        "page_down",
        &["ctrl-d", "pgdn"],
        None,
        SCREENS,
    ),
    row(
        Action::PageUp,
        "page_up",
        &["ctrl-u", "pgup"],
        None,
        SCREENS,
    ),
    row(Action::Open, "open", &["enter"], short(), SCREENS),
    row(Action::Copy, "copy", &["y"], None, SCREENS),
    row(Action::NextPane, "next_pane", &["tab"], short(), OVERVIEW),
    row(
        Action::PrevPane,
        "previous_pane",
        &["shift-tab"],
        None,
        OVERVIEW,
    ),
    row(
        Action::NextSection,
        "next_section",
        &["tab"],
        short(),
        DRILL_DOWN,
    ),
    row(
        Action::PrevSection,
        "previous_section",
        &["shift-tab"],
        None,
        DRILL_DOWN,
    ),
    row(Action::PaneCities, "pane_cities", &["1"], None, OVERVIEW),
    row(
        Action::PanePartners,
        "pane_partners",
        &["2"],
        None,
        OVERVIEW,
    ),
    row(Action::PaneStores, "pane_stores", &["3"], None, OVERVIEW),
    row(
        Action::PaneConflicts,
        "pane_conflicts",
        &["4"],
        None,
        OVERVIEW,
    ),
    row(Action::PaneChanges, "pane_changes", &["5"], None, OVERVIEW),
    row(Action::PaneMap, "pane_map", &["6"], None, OVERVIEW),
    row(
        Action::PaneDataWarnings,
        "pane_data_warnings",
        &["7"],
        None,
        OVERVIEW,
    ),
    row(Action::Filter, "filter", &["/"], short(), SCREENS),
    row(
        Action::Sort,
        "sort",
        &["s"],
        pair(Action::ReverseSort),
        SCREENS,
    ),
    row(Action::ReverseSort, "reverse_sort", &["S"], None, SCREENS),
    row(Action::NextMatch, "next_match", &["n"], None, SCREENS),
    row(Action::PrevMatch, "previous_match", &["N"], None, SCREENS),
    row(Action::CommandLine, "command_line", &[":"], None, SCREENS),
    row(
        Action::ClearPaneFilter,
        "clear_filter",
        &["esc"],
        None,
        OVERVIEW,
    ),
    row(Action::Back, "back", &["esc"], short(), DRILL_DOWN),
    row(Action::PollNow, "poll", &["r"], short(), SCREENS),
    row(Action::Plan, "plan", &["p"], short(), SCREENS),
    row(Action::Pause, "pause", &["P"], short(), SCREENS),
    row(Action::HistoryBack, "history_back", &["["], None, SCREENS),
    row(
        Action::HistoryForward,
        "history_forward",
        &["]"],
        None,
        SCREENS,
    ),
    row(Action::Acknowledge, "acknowledge", &["a"], None, SCREENS),
    row(
        Action::Unacknowledge,
        "unacknowledge",
        &["u"],
        None,
        SCREENS,
    ),
    row(Action::ToggleAcked, "toggle_acked", &["A"], None, SCREENS),
    row(Action::Help, "help", &["?"], short(), SCREENS),
    row(Action::Quit, "quit", &["q", "ctrl-c"], short(), ALL),
    row(Action::Suspend, "suspend", &["ctrl-z"], None, ALL),
    row(Action::Redraw, "redraw", &["ctrl-l"], None, ALL),
    ActionInfo {
        action: Action::Mouse,
        name: "mouse",
        input: Input::Fixed("mouse"),
        footer: None,
        views: SCREENS,
    },
    ActionInfo {
        action: Action::TypeFilter,
        name: "type",
        input: Input::Fixed(TYPE_OR_PASTE),
        footer: short(),
        views: FILTER,
    },
    row(
        Action::FilterBackspace,
        "filter_backspace",
        &["backspace"],
        None,
        FILTER,
    ),
    row(
        Action::FilterKeep,
        "filter_keep",
        &["enter"],
        short(),
        FILTER,
    ),
    row(
        Action::FilterClear,
        "filter_cancel",
        &["esc"],
        short(),
        FILTER,
    ),
    fixed(Action::CommandType, "command_type", TYPE_OR_PASTE, short()),
    fixed(
        Action::CommandComplete,
        "command_complete",
        "Tab / Shift-Tab",
        short(),
    ),
    fixed(Action::CommandHistory, "command_history", "Up / Down", None),
    fixed(Action::CommandRun, "command_run", "Enter", short()),
    fixed(Action::CommandClose, "command_close", "Esc", short()),
];

/// A command line key: fixed (the line is typed into, not remapped).
const fn fixed(
    action: Action,
    name: &'static str,
    input: &'static str,
    footer: Option<Footer>,
) -> ActionInfo {
    ActionInfo {
        action,
        name,
        input: Input::Fixed(input),
        footer,
        views: COMMAND_LINE,
    }
}

impl Action {
    /// Its row of [`ACTIONS`].
    pub fn info(self) -> &'static ActionInfo {
        &ACTIONS[self as usize]
    }

    /// What it does, for the help (and, in English, the README), in `lang`.
    pub fn does(self, lang: Lang) -> Cow<'static, str> {
        // One arm per action with its id written out: the catalog test
        // finds every id the code asks for by its literal.
        match self {
            Action::Down => lang.text("key-down"),
            Action::Up => lang.text("key-up"),
            Action::First => lang.text("key-first"),
            Action::Last => lang.text("key-last"),
            Action::PageDown => lang.text("key-page-down"),
            Action::PageUp => lang.text("key-page-up"),
            Action::Open => lang.text("key-open"),
            Action::Copy => lang.text("key-copy"),
            Action::NextPane => lang.text("key-next-pane"),
            Action::PrevPane => lang.text("key-previous-pane"),
            Action::NextSection => lang.text("key-next-section"),
            Action::PrevSection => lang.text("key-previous-section"),
            Action::PaneCities => lang.text("key-pane-cities"),
            Action::PanePartners => lang.text("key-pane-partners"),
            Action::PaneStores => lang.text("key-pane-stores"),
            Action::PaneConflicts => lang.text("key-pane-conflicts"),
            Action::PaneChanges => lang.text("key-pane-changes"),
            Action::PaneMap => lang.text("key-pane-map"),
            Action::PaneDataWarnings => lang.text("key-pane-data-warnings"),
            Action::Filter => lang.text("key-filter"),
            Action::Sort => lang.text("key-sort"),
            Action::ReverseSort => lang.text("key-reverse-sort"),
            Action::NextMatch => lang.text("key-next-match"),
            Action::PrevMatch => lang.text("key-previous-match"),
            Action::CommandLine => lang.text("key-command-line"),
            Action::ClearPaneFilter => lang.text("key-clear-filter"),
            Action::Back => lang.text("key-back"),
            Action::PollNow => lang.text("key-poll"),
            Action::Plan => lang.text("key-plan"),
            Action::Pause => lang.text("key-pause"),
            Action::HistoryBack => lang.text("key-history-back"),
            Action::HistoryForward => lang.text("key-history-forward"),
            Action::Acknowledge => lang.text("key-acknowledge"),
            Action::Unacknowledge => lang.text("key-unacknowledge"),
            Action::ToggleAcked => lang.text("key-toggle-acked"),
            Action::Help => lang.text("key-help"),
            Action::Quit => lang.text("key-quit"),
            Action::Suspend => lang.text("key-suspend"),
            Action::Redraw => lang.text("key-redraw"),
            Action::Mouse => lang.text("key-mouse"),
            Action::TypeFilter => lang.text("key-type"),
            Action::FilterBackspace => lang.text("key-filter-backspace"),
            Action::FilterKeep => lang.text("key-filter-keep"),
            Action::FilterClear => lang.text("key-filter-cancel"),
            Action::CommandType => lang.text("key-command-type"),
            Action::CommandComplete => lang.text("key-command-complete"),
            Action::CommandHistory => lang.text("key-command-history"),
            Action::CommandRun => lang.text("key-command-run"),
            Action::CommandClose => lang.text("key-command-close"),
        }
    }

    /// The footer's word for it, for the actions the footer shows.
    pub fn footer_word(self, lang: Lang) -> Option<Cow<'static, str>> {
        self.info().footer?;
        Some(match self {
            Action::Down => lang.text("key-down-footer"),
            Action::Open => lang.text("key-open-footer"),
            Action::NextPane => lang.text("key-next-pane-footer"),
            Action::NextSection => lang.text("key-next-section-footer"),
            Action::Filter => lang.text("key-filter-footer"),
            Action::Sort => lang.text("key-sort-footer"),
            Action::Back => lang.text("key-back-footer"),
            Action::PollNow => lang.text("key-poll-footer"),
            Action::Plan => lang.text("key-plan-footer"),
            Action::Pause => lang.text("key-pause-footer"),
            Action::Help => lang.text("key-help-footer"),
            Action::Quit => lang.text("key-quit-footer"),
            Action::TypeFilter => lang.text("key-type-footer"),
            Action::FilterKeep => lang.text("key-filter-keep-footer"),
            Action::FilterClear => lang.text("key-filter-cancel-footer"),
            Action::CommandType => lang.text("key-command-type-footer"),
            Action::CommandComplete => lang.text("key-command-complete-footer"),
            Action::CommandRun => lang.text("key-command-run-footer"),
            Action::CommandClose => lang.text("key-command-close-footer"),
            _ => return None,
        })
    }

    /// The action a `[keys]` name stands for.
    pub fn from_name(name: &str) -> Option<Action> {
        ACTIONS.iter().find(|a| a.name == name).map(|a| a.action)
    }

    /// The pane an action goes to, for the pane actions.
    pub fn pane(self) -> Option<Pane> {
        Some(match self {
            Action::PaneCities => Pane::Cities,
            Action::PanePartners => Pane::Partners,
            Action::PaneStores => Pane::Stores,
            Action::PaneConflicts => Pane::Conflicts,
            Action::PaneChanges => Pane::Changes,
            Action::PaneMap => Pane::Map,
            Action::PaneDataWarnings => Pane::DataWarnings,
            _ => return None,
        })
    }
}

/// One key with its modifiers, as bindings compare them: a character's
/// case is in the character (Shift is dropped), Ctrl with a letter is the
/// lower-case letter, Shift-Tab is [`KeyCode::BackTab`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyBinding {
    /// The key.
    pub code: KeyCodeOrd,
    /// Ctrl and Alt (Shift only for keys that are not characters).
    pub modifiers: u8,
}

/// [`KeyCode`] made orderable for the tables that hold bindings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    /// A character.
    Char(char),
    /// A function key.
    F(u8),
    /// Another named key.
    Named(NamedKey),
}

/// The named keys the key syntax knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NamedKey {
    /// Enter.
    Enter,
    /// Esc.
    Esc,
    /// Tab.
    Tab,
    /// Shift-Tab.
    BackTab,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// Insert.
    Insert,
    /// Up.
    Up,
    /// Down.
    Down,
    /// Left.
    Left,
    /// Right.
    Right,
    /// Home.
    Home,
    /// End.
    End,
    /// Page Up.
    PageUp,
    /// Page Down.
    PageDown,
}

const CTRL: u8 = 1;
const ALT: u8 = 2;
const SHIFT: u8 = 4;

/// The named keys: config spelling, shown spelling, key.
const NAMED: &[(&str, &str, NamedKey)] = &[
    ("enter", "Enter", NamedKey::Enter),
    ("esc", "Esc", NamedKey::Esc),
    ("tab", "Tab", NamedKey::Tab),
    ("backtab", "Shift-Tab", NamedKey::BackTab),
    ("backspace", "Backspace", NamedKey::Backspace),
    ("delete", "Delete", NamedKey::Delete),
    ("insert", "Insert", NamedKey::Insert),
    ("up", "Up", NamedKey::Up),
    ("down", "Down", NamedKey::Down),
    ("left", "Left", NamedKey::Left),
    ("right", "Right", NamedKey::Right),
    ("home", "Home", NamedKey::Home),
    ("end", "End", NamedKey::End),
    ("pgup", "PgUp", NamedKey::PageUp),
    ("pgdn", "PgDn", NamedKey::PageDown),
];

/// Other spellings the key syntax takes.
const ALIASES: &[(&str, &str)] = &[
    ("escape", "esc"),
    ("return", "enter"),
    ("del", "delete"),
    ("ins", "insert"),
    ("pageup", "pgup"),
    ("pagedown", "pgdn"),
    ("space", " "),
];

impl KeyBinding {
    /// The binding a key press matches.
    pub fn from_event(key: &KeyEvent) -> Option<KeyBinding> {
        let mut modifiers = 0;
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            modifiers |= CTRL;
        }
        if key.modifiers.contains(KeyModifiers::ALT) {
            modifiers |= ALT;
        }
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        let code = match key.code {
            KeyCode::Char(c) if modifiers & CTRL != 0 => KeyCodeOrd::Char(c.to_ascii_lowercase()),
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            KeyCode::BackTab => KeyCodeOrd::Named(NamedKey::BackTab),
            KeyCode::Tab if shift => KeyCodeOrd::Named(NamedKey::BackTab),
            code => {
                let named = match code {
                    KeyCode::Enter => NamedKey::Enter,
                    KeyCode::Esc => NamedKey::Esc,
                    KeyCode::Tab => NamedKey::Tab,
                    KeyCode::Backspace => NamedKey::Backspace,
                    KeyCode::Delete => NamedKey::Delete,
                    KeyCode::Insert => NamedKey::Insert,
                    KeyCode::Up => NamedKey::Up,
                    KeyCode::Down => NamedKey::Down,
                    KeyCode::Left => NamedKey::Left,
                    KeyCode::Right => NamedKey::Right,
                    KeyCode::Home => NamedKey::Home,
                    KeyCode::End => NamedKey::End,
                    KeyCode::PageUp => NamedKey::PageUp,
                    KeyCode::PageDown => NamedKey::PageDown,
                    _ => return None,
                };
                if shift {
                    modifiers |= SHIFT;
                }
                KeyCodeOrd::Named(named)
            }
        };
        Some(KeyBinding { code, modifiers })
    }

    /// Parses the config's key syntax: `q`, `G`, `/`, `ctrl-x`,
    /// `shift-tab`, `f5`, `pgdn`, `enter`, `esc`, `space` and the other
    /// named keys (see README).
    pub fn parse(text: &str) -> Result<KeyBinding, Fault> {
        let mut modifiers = 0;
        let mut rest = text;
        // A lone "-" is the minus key, not an empty modifier.
        while rest.chars().count() > 1 {
            let lower = rest.to_ascii_lowercase();
            let (bit, len) = if lower.starts_with("ctrl-") {
                (CTRL, 5)
            } else if lower.starts_with("alt-") {
                // The input thread splits an Alt key into Esc and the key
                // (src/event.rs): such a binding could never run.
                return Err(config_said!("config-keys-alt", key = format!("{text:?}")));
            } else if lower.starts_with("shift-") {
                (SHIFT, 6)
            } else {
                break;
            };
            modifiers |= bit;
            rest = &rest[len..];
        }
        // `why` selects the words; the names of keys go with `unknown`.
        let names: Vec<&str> = NAMED.iter().map(|(n, _, _)| *n).collect();
        let names = names.join(", ");
        let bad = |why: &str| {
            config_said!(
                "config-keys-not-a-key",
                key = format!("{text:?}"),
                why = why,
                names = names
            )
        };
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err(bad("empty")),
            (Some(c), None) => {
                if c.is_control() {
                    return Err(bad("control"));
                }
                if modifiers & SHIFT != 0 {
                    return Err(bad("shifted"));
                }
                if modifiers & CTRL != 0 {
                    if !c.is_ascii_alphabetic() {
                        return Err(bad("ctrl-letter"));
                    }
                    KeyCodeOrd::Char(c.to_ascii_lowercase())
                } else {
                    KeyCodeOrd::Char(c)
                }
            }
            _ => {
                let lower = rest.to_ascii_lowercase();
                let name = ALIASES
                    .iter()
                    .find(|(alias, _)| *alias == lower)
                    .map_or(lower.as_str(), |(_, name)| name);
                if name == " " {
                    KeyCodeOrd::Char(' ')
                } else if let Some(n) = name
                    .strip_prefix('f')
                    .and_then(|n| n.parse::<u8>().ok())
                    .filter(|n| (1..=24).contains(n))
                {
                    KeyCodeOrd::F(n)
                } else if name == "tab" && modifiers & SHIFT != 0 {
                    modifiers &= !SHIFT;
                    KeyCodeOrd::Named(NamedKey::BackTab)
                } else if let Some((_, _, named)) = NAMED.iter().find(|(n, _, _)| *n == name) {
                    KeyCodeOrd::Named(*named)
                } else {
                    return Err(bad("unknown"));
                }
            }
        };
        Ok(KeyBinding { code, modifiers })
    }

    /// Whether a filter being typed takes this key as text.
    pub fn is_text(self) -> bool {
        matches!(self.code, KeyCodeOrd::Char(_)) && self.modifiers & (CTRL | ALT) == 0
    }
}

impl fmt::Display for KeyBinding {
    /// As the help, the footer and the README write it: `j`, `Ctrl-d`, `PgDn`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers & CTRL != 0 {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers & ALT != 0 {
            f.write_str("Alt-")?;
        }
        if self.modifiers & SHIFT != 0 {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCodeOrd::Char(' ') => f.write_str("Space"),
            KeyCodeOrd::Char(c) if self.modifiers & CTRL != 0 => {
                write!(f, "{}", c.to_ascii_uppercase())
            }
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::F(n) => write!(f, "F{n}"),
            KeyCodeOrd::Named(named) => {
                let shown = NAMED
                    .iter()
                    .find(|(_, _, n)| *n == named)
                    .map(|(_, s, _)| *s);
                f.write_str(shown.unwrap_or("?"))
            }
        }
    }
}

/// The view of a `[keys]` clash as the catalogs' `config-keys-clash`
/// selects its words.
fn clash_view(view: View) -> &'static str {
    match view {
        View::Overview => "overview",
        View::DrillDown => "drill-down",
        View::Filter => "filter",
        View::CommandLine => "command-line",
    }
}

/// A `[keys]` table that cannot be used; the config names the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeymapError {
    /// The `[keys]` entry at fault (`keys.quit`).
    pub key: String,
    /// What is wrong, naming both bindings of a clash, in English.
    pub message: String,
    /// The same in any language.
    pub fault: crate::config::Fault,
}

impl KeymapError {
    fn new(key: String, fault: crate::config::Fault) -> Self {
        KeymapError {
            key,
            message: fault.to_string(),
            fault,
        }
    }
}

/// Every action's keys: the table's defaults with the config's `[keys]`
/// over them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keymap {
    /// Per action (in [`ACTIONS`] order), its keys.
    keys: Vec<Vec<KeyBinding>>,
    /// Per view, what each key runs.
    dispatch: BTreeMap<(View, KeyBinding), Action>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::with_overrides(&BTreeMap::new()).expect("the default keys do not clash")
    }
}

impl Keymap {
    /// The default keys with `overrides` (action name -> keys) over them.
    /// An unknown action or key, or two actions on one key in one view, is
    /// an error naming both.
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> Result<Self, KeymapError> {
        let mut keys: Vec<Vec<KeyBinding>> = ACTIONS
            .iter()
            .map(|info| match info.input {
                Input::Keys(defaults) => defaults
                    .iter()
                    .map(|k| KeyBinding::parse(k).expect("a default key parses"))
                    .collect(),
                Input::Fixed(_) => Vec::new(),
            })
            .collect();
        let mut remapped = vec![false; ACTIONS.len()];
        for (name, texts) in overrides {
            let error = |fault| KeymapError::new(format!("keys.{name}"), fault);
            let Some(action) = Action::from_name(name) else {
                let names: Vec<&str> = ACTIONS
                    .iter()
                    .filter(|a| matches!(a.input, Input::Keys(_)))
                    .map(|a| a.name)
                    .collect();
                return Err(error(config_said!(
                    "config-keys-unknown-action",
                    name = format!("{name:?}"),
                    actions = names.join(", ")
                )));
            };
            if let Input::Fixed(what) = action.info().input {
                // A tag the catalogs select their words by.
                let what = if what == TYPE_OR_PASTE { "type" } else { what };
                return Err(error(config_said!("config-keys-fixed", what = what)));
            }
            let mut bound = Vec::new();
            for text in texts {
                let key = KeyBinding::parse(text).map_err(error)?;
                if key.is_text() && action.info().views == [View::Filter] {
                    return Err(error(config_said!(
                        "config-keys-types-text",
                        key = key,
                        name = name
                    )));
                }
                if !bound.contains(&key) {
                    bound.push(key);
                }
            }
            keys[action as usize] = bound;
            remapped[action as usize] = true;
        }
        let mut dispatch = BTreeMap::new();
        for info in ACTIONS {
            for key in &keys[info.action as usize] {
                for &view in info.views {
                    // A filter takes text keys as text: they run nothing there.
                    if view == View::Filter && key.is_text() {
                        continue;
                    }
                    if let Some(other) = dispatch.insert((view, *key), info.action) {
                        // Name the remapped one as the entry at fault.
                        let (first, second) = if remapped[info.action as usize] {
                            (other, info.action)
                        } else {
                            (info.action, other)
                        };
                        return Err(KeymapError::new(
                            format!("keys.{}", second.info().name),
                            config_said!(
                                "config-keys-clash",
                                key = key,
                                first = first.info().name,
                                second = second.info().name,
                                view = clash_view(view)
                            ),
                        ));
                    }
                }
            }
        }
        Ok(Keymap { keys, dispatch })
    }

    /// The action `key` runs in `view`, if any.
    pub fn action(&self, view: View, key: &KeyEvent) -> Option<Action> {
        let binding = KeyBinding::from_event(key)?;
        if view == View::Filter && binding.is_text() {
            return None;
        }
        self.dispatch.get(&(view, binding)).copied()
    }

    /// The action `key` runs in some view other than `view`, if any: a key
    /// pressed where it does not work says where it does.
    pub fn action_elsewhere(&self, view: View, key: &KeyEvent) -> Option<(View, Action)> {
        let binding = KeyBinding::from_event(key)?;
        View::ALL
            .into_iter()
            .filter(|&v| v != view && v != View::Filter && v != View::CommandLine)
            .find_map(|v| self.dispatch.get(&(v, binding)).map(|a| (v, *a)))
    }

    /// An action's keys.
    pub fn keys(&self, action: Action) -> &[KeyBinding] {
        &self.keys[action as usize]
    }

    /// An action's keys as the README writes them (`j, Down`), or how its
    /// fixed input is written; "(no key)" for an action left without one.
    pub fn label(&self, action: Action) -> String {
        self.label_in(action, Lang::En)
    }

    /// An action's keys as the help writes them in `lang`: key names stay
    /// as the keyboard says them; the words around them are translated.
    pub fn label_in(&self, action: Action, lang: Lang) -> String {
        if let Input::Fixed(what) = action.info().input {
            return fixed_label(what, lang).into_owned();
        }
        let keys = self.keys(action);
        if keys.is_empty() {
            return lang.text("key-none").into_owned();
        }
        keys.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The first key of an action that works in `view`, as the footer shows it.
    pub fn first_key(&self, action: Action, view: View, lang: Lang) -> Option<String> {
        if let Input::Fixed(what) = action.info().input {
            if what == TYPE_OR_PASTE {
                return Some(lang.text("key-input-type-footer").into_owned());
            }
            return Some(what.split(' ').next().unwrap_or(what).to_owned());
        }
        self.keys(action)
            .iter()
            .find(|k| view != View::Filter || !k.is_text())
            .map(ToString::to_string)
    }

    /// The footer's keys for `view`: key, action and its word in `lang`,
    /// in table order.
    pub fn footer(&self, view: View, lang: Lang) -> Vec<FooterKey> {
        for_view(view)
            .filter_map(|info| {
                let footer = info.footer?;
                let mut key = self.first_key(info.action, view, lang)?;
                if let Some(with) = footer.with
                    && let Some(other) = self.first_key(with, view, lang)
                {
                    key = format!("{key}/{other}");
                }
                let word = info.action.footer_word(lang)?;
                Some(FooterKey {
                    key,
                    action: info.action,
                    word,
                })
            })
            .collect()
    }
}

/// One key of the footer: `j/k move`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FooterKey {
    /// The key (and its partner's after a slash), as the keyboard names it.
    pub key: String,
    /// The action it runs.
    pub action: Action,
    /// The word after the key.
    pub word: Cow<'static, str>,
}

/// The fixed input of typing text.
const TYPE_OR_PASTE: &str = "type or paste";

/// How the help writes a fixed input in `lang`: the words are translated,
/// key names stay.
fn fixed_label(what: &'static str, lang: Lang) -> Cow<'static, str> {
    match what {
        "mouse" => lang.text("key-input-mouse"),
        TYPE_OR_PASTE => lang.text("key-input-type"),
        _ => Cow::Borrowed(what),
    }
}

/// The actions that work in `view`, in table order.
pub fn for_view(view: View) -> impl Iterator<Item = &'static ActionInfo> {
    ACTIONS.iter().filter(move |a| a.works_in(view))
}

/// The actions that work on a screen, in table order: `filtering` while a
/// filter is typed, else those of the route.
pub fn for_screen(route: &Route, filtering: bool) -> impl Iterator<Item = &'static ActionInfo> {
    for_view(View::of(route, filtering))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_the_order_of_the_actions() {
        for (i, info) in ACTIONS.iter().enumerate() {
            assert_eq!(info.action as usize, i, "{:?} is out of place", info.action);
        }
    }

    #[test]
    fn every_action_has_a_description_and_its_footer_word_in_every_language() {
        for lang in Lang::ALL {
            for info in ACTIONS {
                let does = info.does(lang);
                assert!(
                    !does.is_empty() && !does.starts_with('{'),
                    "{lang}: {:?} has no description: {does}",
                    info.action
                );
                let word = info.action.footer_word(lang);
                assert_eq!(
                    word.is_some(),
                    info.footer.is_some(),
                    "{lang}: {:?} footer word and footer form disagree",
                    info.action
                );
                if let Some(word) = word {
                    assert!(
                        !word.is_empty() && !word.starts_with('{') && !word.contains(' '),
                        "{lang}: {:?} footer word {word:?} is not one word",
                        info.action
                    );
                }
            }
            for view in View::ALL {
                assert!(!view.name_in(lang).starts_with('{'));
            }
        }
        // Chinese really is Chinese, not the English copied over.
        for info in ACTIONS {
            assert_ne!(
                info.does(Lang::En),
                info.does(Lang::Zh),
                "{:?}",
                info.action
            );
        }
        let keymap = Keymap::default();
        assert_eq!(keymap.label_in(Action::Mouse, Lang::Zh), "鼠标");
        assert_eq!(keymap.label_in(Action::Down, Lang::Zh), "j, Down");
        let footer = keymap.footer(View::Filter, Lang::Zh);
        let typing = footer
            .iter()
            .find(|k| k.action == Action::TypeFilter)
            .unwrap();
        assert_eq!((typing.key.as_str(), &*typing.word), ("输入", "筛选"));
    }

    #[test]
    fn the_key_syntax_round_trips_through_the_shown_form() {
        for (text, shown) in [
            ("q", "q"),
            ("G", "G"),
            ("ctrl-x", "Ctrl-X"),
            ("Ctrl-X", "Ctrl-X"),
            ("shift-tab", "Shift-Tab"),
            ("f5", "F5"),
            ("pgdn", "PgDn"),
            ("space", "Space"),
            ("-", "-"),
            ("shift-up", "Shift-Up"),
        ] {
            assert_eq!(
                KeyBinding::parse(text).unwrap().to_string(),
                shown,
                "{text}"
            );
        }
        for bad in [
            "",
            "ctrl-",
            "shift-g",
            "ctrl-1",
            "f99",
            "pagedownn",
            "ctrl-\u{7}",
            "alt-j",
        ] {
            assert!(KeyBinding::parse(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn a_key_press_matches_its_binding() {
        let press = |code, modifiers| KeyBinding::from_event(&KeyEvent::new(code, modifiers));
        let parse = |text| Some(KeyBinding::parse(text).unwrap());
        assert_eq!(press(KeyCode::Char('G'), KeyModifiers::SHIFT), parse("G"));
        assert_eq!(
            press(
                KeyCode::Char('D'),
                KeyModifiers::CONTROL | KeyModifiers::SHIFT
            ),
            parse("ctrl-d")
        );
        assert_eq!(
            press(KeyCode::BackTab, KeyModifiers::SHIFT),
            parse("shift-tab")
        );
        assert_eq!(press(KeyCode::F(5), KeyModifiers::NONE), parse("f5"));
        assert_eq!(press(KeyCode::PageDown, KeyModifiers::NONE), parse("pgdn"));
    }
}
