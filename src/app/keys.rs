//! The keys and what they do: one table that the footer, the help overlay
//! and the README's key table are written from (a test holds the README to
//! it, and `update` dispatches these keys).

use super::Route;

/// Where a key works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// On every screen.
    Everywhere,
    /// In the overview (the panes).
    Overview,
    /// In a drill-down (a city, partner or store).
    DrillDown,
    /// While typing a filter.
    Filter,
}

impl Scope {
    /// How the README says where a key works, before what it does.
    pub fn prefix(self) -> &'static str {
        match self {
            Scope::Everywhere => "",
            Scope::Overview => "overview: ",
            Scope::DrillDown => "drill-down: ",
            Scope::Filter => "while filtering: ",
        }
    }
}

/// One key (or group of keys) and what it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyHelp {
    /// The keys, as the help and the README write them.
    pub keys: &'static str,
    /// What they do.
    pub does: &'static str,
    /// The footer's short form (key, one word), for the keys it shows.
    pub footer: Option<(&'static str, &'static str)>,
    /// Where they work.
    pub scope: Scope,
}

const fn key(
    keys: &'static str,
    does: &'static str,
    footer: Option<(&'static str, &'static str)>,
    scope: Scope,
) -> KeyHelp {
    KeyHelp {
        keys,
        does,
        footer,
        scope,
    }
}

/// Every key, in the order the footer, the help and the README list them.
pub const KEYS: &[KeyHelp] = &[
    key(
        "j / Down, k / Up",
        "move the selection one row",
        Some(("j/k", "move")),
        Scope::Everywhere,
    ),
    key(
        "g / Home, G / End",
        "first / last row",
        None,
        Scope::Everywhere,
    ),
    key(
        "Ctrl-d / Ctrl-u, PgDn / PgUp",
        "ten rows down / up",
        None,
        Scope::Everywhere,
    ),
    key(
        "Enter",
        "open the selected city, partner or store (also from a conflict or a change)",
        Some(("Enter", "open")),
        Scope::Everywhere,
    ),
    key(
        "Tab / Shift-Tab",
        "next / previous pane",
        Some(("Tab", "pane")),
        Scope::Overview,
    ),
    key(
        "Tab / Shift-Tab",
        "next / previous section (stores, partners or cities, conflicts, recent changes)",
        Some(("Tab", "section")),
        Scope::DrillDown,
    ),
    key(
        "1-7",
        "go to a pane: 1 cities, 2 partners, 3 stores, 4 conflicts, 5 changes, 6 map, 7 data warnings",
        None,
        Scope::Overview,
    ),
    key(
        "/",
        "filter the pane by names and ids (Enter keeps, Esc clears)",
        Some(("/", "filter")),
        Scope::Overview,
    ),
    key(
        "s / S",
        "cycle the sort key / reverse the order",
        Some(("s/S", "sort")),
        Scope::Overview,
    ),
    key("Esc", "clear the pane's filter", None, Scope::Overview),
    key(
        "Esc",
        "back to the screen before (drill-downs stack: partner, city, store and back)",
        Some(("Esc", "back")),
        Scope::DrillDown,
    ),
    key(
        "/, s, S, 1-7",
        "work in the overview only: here they say so and do nothing else",
        None,
        Scope::DrillDown,
    ),
    key(
        "r",
        "poll the feed now (a busy feed's Retry-After is waited out)",
        Some(("r", "poll")),
        Scope::Everywhere,
    ),
    key(
        "p",
        "plan versus actual: of the programme from the overview, of the city from a city (p again or Esc goes back)",
        Some(("p", "plan")),
        Scope::Everywhere,
    ),
    key(
        "P",
        "pause / resume polling",
        Some(("P", "pause")),
        Scope::Everywhere,
    ),
    key(
        "?",
        "this help (Down / Up and PgDn / PgUp scroll it, any other key closes it)",
        Some(("?", "help")),
        Scope::Everywhere,
    ),
    key("q, Ctrl-C", "quit", Some(("q", "quit")), Scope::Everywhere),
    key(
        "Ctrl-Z",
        "suspend to the shell (fg resumes)",
        None,
        Scope::Everywhere,
    ),
    key(
        "mouse",
        "the wheel scrolls, a click selects a pane and a row",
        None,
        Scope::Everywhere,
    ),
    key(
        "type or paste",
        "filter text, matched against names and ids (at most 256 characters; a line break in a paste is a space, never Enter)",
        Some(("type", "filter")),
        Scope::Filter,
    ),
    key(
        "Backspace",
        "delete the last character",
        None,
        Scope::Filter,
    ),
    key(
        "Enter",
        "keep the filter and leave it",
        Some(("Enter", "keep")),
        Scope::Filter,
    ),
    key(
        "Esc",
        "clear the filter and leave it",
        Some(("Esc", "clear")),
        Scope::Filter,
    ),
];

/// The keys that work on a screen, in table order: `filtering` while a
/// filter is typed, else those of the route.
pub fn for_screen(route: &Route, filtering: bool) -> impl Iterator<Item = &'static KeyHelp> {
    let here = if filtering {
        Scope::Filter
    } else if route == &Route::Overview {
        Scope::Overview
    } else {
        Scope::DrillDown
    };
    KEYS.iter()
        .filter(move |k| k.scope == here || (k.scope == Scope::Everywhere && here != Scope::Filter))
}
