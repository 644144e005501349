//! App state and its update function: a message in, state changed, maybe a
//! command out. No I/O here, so every key can be tested without a terminal.

pub mod command_line;
pub mod detail;
pub mod keys;
mod lists;
pub mod notify;
pub mod query;
pub mod triage;
mod update;
pub mod view_state;

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

pub use lists::names::{self, Found, NameIndex, Names};
pub use lists::{
    FindingFlags, FindingKey, FindingTest, ListState, MAX_FILTER_CHARS, Pane, RowKey, Search,
    SearchIndex, SortKey,
};
pub use update::{Command, Msg, history_time, poll_error, update};

use crate::analysis::{Change, FindingId};
use crate::feed::wire::{CityId, PartnerId, StoreId};
use crate::history::SnapshotInfo;
use crate::history::trend::TrendReport;
use crate::worker::Fresh;

/// Where the user is: the overview or a drill-down. Esc pops.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// All panes.
    Overview,
    /// One city in depth.
    City(CityId),
    /// One partner in depth.
    Partner(PartnerId),
    /// One store in depth.
    Store(StoreId),
    /// Plan versus actual: of the whole programme (`None`) or of a city.
    Plan(Option<CityId>),
}

/// One screen on the navigation stack: a route and where the cursor is on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screen {
    /// What the screen shows.
    pub route: Route,
    /// The focused section of a drill-down (Tab moves it).
    pub section: usize,
    /// The cursor within the focused section.
    pub cursor: usize,
    /// The focused section's filter and sort, when it has either (Tab to
    /// another section drops it).
    pub view: Option<Box<SectionView>>,
}

/// A drill-down section's filter and sort, and the rows they leave.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectionView {
    /// The filter as typed.
    pub filter: String,
    /// The filter as last read without fault.
    pub query: query::Query,
    /// What the filter line says about the filter (a bad term, say).
    pub note: Option<String>,
    /// Index into the section's sort keys (those of the matching pane).
    pub sort: usize,
    /// Sort descending.
    pub reverse: bool,
    /// The rows shown, positions in the section's source list, in order.
    pub picks: Vec<u32>,
}

impl Screen {
    /// A screen with the cursor at the top.
    pub fn new(route: Route) -> Self {
        Screen {
            route,
            section: 0,
            cursor: 0,
            view: None,
        }
    }
}

/// How fresh the data on screen is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeedStatus {
    /// When the last good snapshot arrived (or was confirmed by a 304).
    pub last_good_at: Option<DateTime<Utc>>,
    /// Set while polls fail: the data on screen is stale.
    pub stale: Option<Stale>,
    /// The data on screen came from the on-disk cache, not this session's polls.
    pub from_cache: bool,
    /// Polling is paused by the user.
    pub paused: bool,
    /// A poll is under way.
    pub polling: bool,
}

/// Why the data is stale and when the next try is.
#[derive(Clone, Debug, PartialEq)]
pub struct Stale {
    /// What went wrong, in a sentence.
    pub reason: String,
    /// When the next poll is due.
    pub next_try_at: DateTime<Utc>,
    /// Consecutive failures.
    pub failures: u32,
}

/// Whether the history records, as the header says it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum HistoryState {
    /// Not known yet (the database is being opened).
    #[default]
    Starting,
    /// Recording.
    On,
    /// Not recording, and why.
    Off {
        /// A few words for the header.
        short: &'static str,
        /// A fault the header calls out (not `history.enabled = false`).
        fault: bool,
        /// The whole reason, for the status line and `[`.
        reason: String,
    },
}

/// The history as the dashboard uses it: whether it records, and the past
/// snapshot on screen while `[` / `]` step through them.
#[derive(Debug, Default)]
pub struct HistoryView {
    /// Recording, or why not.
    pub state: HistoryState,
    /// The recorded snapshot on screen; `None`: live.
    pub past: Option<SnapshotInfo>,
    /// The live snapshot, kept (and replaced by new polls) while a past
    /// one is on screen.
    pub live: Option<Fresh>,
}

/// Display options fixed at start-up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Display {
    /// ASCII symbols and borders instead of Unicode ones.
    pub ascii: bool,
    /// No colour (NO_COLOR or the mono theme).
    pub mono: bool,
    /// The language everything is said in.
    pub lang: crate::i18n::Lang,
}

/// The whole state of the dashboard.
#[derive(Debug)]
pub struct App {
    /// What the header calls the feed (its URL).
    pub feed_label: String,
    /// The feed's name, for a `[[feeds]]` entry: the header shows it in a
    /// colour of its own.
    pub feed_name: Option<String>,
    /// Running on the built-in demo feed.
    pub demo: bool,
    /// The current snapshot and its analysis, once one arrived.
    pub current: Option<Fresh>,
    /// Freshness of the data.
    pub status: FeedStatus,
    /// The time the view uses for ages; set by ticks, so the view needs no clock.
    pub now: DateTime<Utc>,
    /// Navigation stack; the last screen is shown. Never empty.
    pub routes: Vec<Screen>,
    /// The pane with the keyboard focus in the overview.
    pub focus: Pane,
    /// Per-pane selection, sort and filter.
    pub lists: lists::Lists,
    /// Changes between snapshots, newest first, capped.
    pub change_log: VecDeque<Change>,
    /// Capacity of the change log.
    pub change_log_size: usize,
    /// The help overlay is open.
    pub help: bool,
    /// The first help entry shown (the help scrolls where it cannot fit).
    pub help_scroll: usize,
    /// What the status line says about the last key (one that does not
    /// apply here, a paste that went nowhere); the next key clears it.
    pub notice: Option<String>,
    /// Typing a filter for the focused pane.
    pub filtering: bool,
    /// The `:` command line, while open.
    pub command_line: Option<command_line::CommandLine>,
    /// The command lines run this session (Up / Down walk them).
    pub command_history: command_line::History,
    /// The names of the configured feeds `:feed` switches between.
    pub feeds: Vec<String>,
    /// Display options.
    pub display: Display,
    /// Trends and plan versus actual, worked out off the UI task for the
    /// latest snapshot (or one just before it).
    pub trend: Option<TrendReport>,
    /// The zone times are shown in (`ui.timezone`, `TZ` or the system's),
    /// set at start so the view never looks it up.
    pub zone: chrono_tz::Tz,
    /// The history: recording, and the past snapshot shown.
    pub history: HistoryView,
    /// Which findings are NEW, and since when.
    pub new_findings: notify::NewFindings,
    /// What announces new findings (`[notify]`).
    pub notify: notify::NotifyRules,
    /// `y` copies by OSC 52 (`ui.osc52`).
    pub osc52: bool,
    /// A failed notify command was shown in the status line already: later
    /// failures are only logged.
    pub notify_failure_shown: bool,
    /// What each key runs: the action table's defaults with the config's `[keys]`.
    pub keymap: keys::Keymap,
    /// The user asked to quit.
    pub quit: bool,
    /// The acknowledgements, and which findings on screen they cover.
    pub triage: triage::Triage,
    /// Acknowledged findings are listed (dimmed, after the others); `A` hides them.
    pub show_acked: bool,
    /// The note prompt `a` opened, while it is open.
    pub prompt: Option<triage::AckPrompt>,
}

impl App {
    /// A dashboard with no data yet.
    pub fn new(feed_label: String, demo: bool, display: Display, now: DateTime<Utc>) -> Self {
        App {
            feed_label,
            feed_name: None,
            demo,
            current: None,
            status: FeedStatus::default(),
            now,
            routes: vec![Screen::new(Route::Overview)],
            focus: Pane::Cities,
            lists: lists::Lists::new(display.lang),
            change_log: VecDeque::new(),
            change_log_size: 500,
            help: false,
            help_scroll: 0,
            notice: None,
            filtering: false,
            command_line: None,
            command_history: command_line::History::default(),
            feeds: Vec::new(),
            display,
            trend: None,
            zone: chrono_tz::Tz::UTC,
            history: HistoryView::default(),
            new_findings: notify::NewFindings::default(),
            notify: notify::NotifyRules::default(),
            osc52: true,
            notify_failure_shown: false,
            keymap: keys::Keymap::default(),
            quit: false,
            triage: triage::Triage::default(),
            show_acked: true,
            prompt: None,
        }
    }

    /// Whether the finding with this id is acknowledged now.
    pub fn is_acked(&self, finding: &FindingId) -> bool {
        self.triage.acks.is_acked(finding, self.now)
    }

    /// Whether the finding at `row` of the analysis on screen is
    /// acknowledged (as worked out when the acknowledgements were read).
    pub fn is_row_acked(&self, row: usize) -> bool {
        self.current.as_ref().is_some_and(|fresh| {
            self.triage.is_of(&fresh.analysis) && self.triage.is_row_acked(row)
        })
    }

    /// The finding the cursor is on, by its position in the analysis: in
    /// the conflicts pane, or a drill-down's conflicts section.
    pub fn selected_finding(&self) -> Option<usize> {
        let fresh = self.current.as_ref()?;
        let screen = self.screen();
        match &screen.route {
            Route::Overview if self.focus == Pane::Conflicts => self.lists.conflicts.selected_row(),
            Route::Overview => None,
            _ if detail::current_section(screen) == Some(detail::Section::Conflicts) => {
                detail::findings(self, screen, fresh).position(screen.cursor)
            }
            _ => None,
        }
    }

    /// The id of the finding at `row` of the analysis on screen.
    pub fn finding_id(&self, row: usize) -> Option<FindingId> {
        let fresh = self.current.as_ref()?;
        let known = self
            .triage
            .ids
            .as_ref()
            .filter(|_| self.triage.is_of(&fresh.analysis))
            .and_then(|ids| ids.get(row).cloned());
        known.or_else(|| fresh.analysis.findings.get(row).map(|f| f.id()))
    }

    /// Forgets the data of the feed on screen, for another feed: its
    /// snapshot, changes, freshness and lists; the keys and display stay.
    pub fn clear_feed(&mut self, feed_label: String, feed_name: Option<String>) {
        self.feed_label = feed_label;
        self.feed_name = feed_name;
        self.current = None;
        self.status = FeedStatus::default();
        self.routes = vec![Screen::new(Route::Overview)];
        self.focus = Pane::Cities;
        self.lists = lists::Lists::new(self.display.lang);
        self.change_log.clear();
        // The new feed's history reports for itself.
        self.history = HistoryView::default();
        // Another feed's findings are not new: its first snapshot is a start.
        self.new_findings = notify::NewFindings::default();
        self.help = false;
        self.help_scroll = 0;
        self.filtering = false;
        self.notice = None;
        self.trend = None;
        self.prompt = None;
    }

    /// The screen on top of the navigation stack.
    pub fn screen(&self) -> &Screen {
        const OVERVIEW: Screen = Screen {
            route: Route::Overview,
            section: 0,
            cursor: 0,
            view: None,
        };
        self.routes.last().unwrap_or(&OVERVIEW)
    }

    /// The route on top of the navigation stack.
    pub fn route(&self) -> &Route {
        &self.screen().route
    }

    /// The focused pane's list state.
    pub fn focused_list(&self) -> &ListState {
        self.lists.get(self.focus)
    }
}
