//! `update(app, msg)`: every state change of the dashboard, with no I/O.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};

use std::collections::HashSet;

use super::command_line::{self as cl, Candidate, CommandLine, Completing, Group};
use super::detail::{self, Target};
use super::keys::{Action, KeyBinding, View};
use super::names::{Found, MAX_CANDIDATES, Names};
use super::notify::{self, Notification};
use super::triage::{AckPrompt, MAX_NOTE_CHARS, Triage, parse_prompt};
use super::{App, HistoryState, Pane, Route, Screen, Stale};
use crate::analysis::{Change, FindingId};
use crate::feed::client::PollError;
use crate::history::trend::TrendReport;
use crate::i18n::Lang;
use crate::tr;
use crate::worker::history::{HistoryCommand, HistoryEvent};
use crate::worker::{FeedEvent, PollerCommand};

/// Rows moved by Ctrl-d / Ctrl-u and PageDown / PageUp.
const PAGE: isize = 10;

/// Everything that can happen to the dashboard.
#[derive(Debug)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// The mouse scrolled.
    Mouse(MouseEvent),
    /// A click on a pane of the overview, on one of its rows if `row` is set
    /// (a position in the pane's list; the view works out what was under the pointer).
    Click {
        /// The pane clicked.
        pane: Pane,
        /// The row clicked.
        row: Option<usize>,
    },
    /// The poller reported.
    Feed(FeedEvent),
    /// The history reported (opened, off, a past snapshot loaded).
    History(HistoryEvent),
    /// The clock moved (ages in the header).
    Tick(DateTime<Utc>),
    /// The terminal was resized.
    Resize,
    /// Text pasted into the terminal (bracketed paste): it goes into the
    /// filter or the note being typed, in one piece, and nowhere else.
    Paste(String),
    /// The trends and plan versus actual for a snapshot, from the trend worker.
    Trend(Box<TrendReport>),
    /// The findings there were when this user last quit, from the history
    /// (read at start, off this task): those not among them are NEW.
    SeenAtLastQuit(HashSet<FindingId>),
    /// The notify command failed; why.
    NotifyFailed(String),
    /// A live snapshot compared with the one before it (off this task).
    Compared(notify::Comparison),
    /// The acknowledgements were read (after a poll, or a write), with
    /// which findings on screen they cover, worked out off the UI task.
    Triage(Triage),
    /// What became of an acknowledgement written or taken back (for the
    /// status line).
    Acked(String),
}

/// What the dashboard asks of the outside world after an update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Tell the poller something.
    Poller(PollerCommand),
    /// Ask the history for a step through the recorded snapshots.
    History(HistoryCommand),
    /// Suspend to the shell (Ctrl-Z).
    Suspend,
    /// Announce new findings: the bell, a desktop notification, the command.
    Notify(Notification),
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Compare this live snapshot's findings with the one before it, off
    /// this task; the answer comes back as [`Msg::Compared`].
    Compare(notify::ToCompare),
    /// Clear the terminal and draw the whole screen again (Ctrl-L).
    Redraw,
    /// Poll the `[[feeds]]` entry of this name from now on: the screen
    /// clears to that feed's cache (`:feed NAME`).
    SwitchFeed(String),
    /// Acknowledge a finding in the history database (a blocking task
    /// writes it; [`Msg::Acked`] and [`Msg::Triage`] come back).
    Ack {
        /// The finding.
        finding: FindingId,
        /// The note typed.
        note: String,
        /// Until when (`--for`); `None`: until the finding clears.
        until: Option<DateTime<Utc>>,
    },
    /// Take back the acknowledgement of a finding.
    Unack(FindingId),
    /// Read the acknowledgements again (a snooze ran out).
    RereadAcks,
}

/// Applies one message; returns the command it implies, if any.
pub fn update(app: &mut App, msg: Msg) -> Option<Command> {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(app, key),
        Msg::Key(_) | Msg::Resize => None,
        Msg::Mouse(mouse) => {
            match mouse.kind {
                MouseEventKind::ScrollDown => move_selection(app, 3),
                MouseEventKind::ScrollUp => move_selection(app, -3),
                _ => {}
            }
            None
        }
        Msg::Click { pane, row } => {
            if app.route() == &Route::Overview && !app.help && !app.filtering {
                app.focus = pane;
                if let Some(row) = row {
                    let current = app.lists.get(pane).cursor as isize;
                    move_selection(app, row as isize - current);
                }
            }
            None
        }
        Msg::Tick(now) => {
            app.now = now;
            if app.new_findings.expire(now) {
                filter_new(app);
            }
            // A snooze ran out: which rows are acknowledged is worked out again.
            match app.triage.lapses_at {
                Some(at) if at <= now => {
                    app.triage.lapses_at = None;
                    Some(Command::RereadAcks)
                }
                _ => None,
            }
        }
        Msg::Feed(event) => on_feed(app, event),
        Msg::Compared(comparison) => {
            let notification = notify::on_compared(app, comparison).map(Command::Notify);
            filter_new(app);
            notification
        }
        Msg::SeenAtLastQuit(seen) => {
            notify::on_seen_at_last_quit(app, seen);
            None
        }
        Msg::NotifyFailed(why) => {
            // Shown once: a command that fails at every poll is in the log.
            if !app.notify_failure_shown {
                app.notify_failure_shown = true;
                app.notice = Some(why);
            }
            None
        }
        Msg::History(event) => {
            on_history(app, event);
            None
        }
        Msg::Paste(text) => {
            on_paste(app, &text);
            None
        }
        Msg::Trend(report) => {
            // Reports may finish out of order: an older one never replaces a newer.
            if app
                .trend
                .as_ref()
                .is_none_or(|shown| shown.received_at <= report.received_at)
            {
                app.trend = Some(*report);
            }
            None
        }
        Msg::Triage(triage) => {
            app.triage = triage;
            show_triage(app);
            None
        }
        Msg::Acked(notice) => {
            app.notice = Some(notice);
            None
        }
    }
}

/// `new` in a filter keeps the findings marked NEW now: the marks are
/// read into the filters' test, and a conflicts filter holding `new` is
/// applied again. The marks are a few; which rows they are is worked out
/// once, the first time a filter asks.
fn filter_new(app: &mut App) {
    let ids = app.new_findings.new_at(app.now);
    let analysis = app
        .current
        .as_ref()
        .map(|f| std::sync::Arc::clone(&f.analysis));
    let rows: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    app.lists.flags.new = Some(std::sync::Arc::new(move |row, finding| {
        if ids.is_empty() {
            return false;
        }
        match &analysis {
            // The analysis the marks were read for: by position.
            Some(analysis)
                if analysis
                    .findings
                    .get(row)
                    .is_some_and(|f| std::ptr::eq(f, finding)) =>
            {
                rows.get_or_init(|| {
                    analysis
                        .findings
                        .iter()
                        .map(|f| ids.contains(&notify::finding_identity(f)))
                        .collect()
                })[row]
            }
            _ => ids.contains(&notify::finding_identity(finding)),
        }
    }));
    let filters_new = app
        .lists
        .conflicts
        .query
        .terms
        .contains(&super::query::Term::New);
    if filters_new {
        app.lists
            .rebuild_pane(Pane::Conflicts, app.current.as_ref(), &app.change_log);
    }
}

/// Puts the acknowledged findings after the others (or out of sight), in
/// the conflicts pane; the drill-downs read [`App::triage`] as they draw.
fn show_triage(app: &mut App) {
    let flags = app
        .current
        .as_ref()
        .filter(|fresh| app.triage.is_of(&fresh.analysis))
        .map(|_| app.triage.flags());
    app.lists.set_acked(flags, !app.show_acked);
    app.lists
        .rebuild_pane(Pane::Conflicts, app.current.as_ref(), &app.change_log);
    clamp_screens(app);
}

/// New data: the acknowledged findings worked out for the old analysis no
/// longer apply (the dashboard sends those of the new one, [`Msg::Triage`]).
fn forget_triage(app: &mut App) {
    app.lists.set_acked(None, !app.show_acked);
}

/// `a`: opens the note prompt for the selected finding.
fn start_ack(app: &mut App) {
    match app.selected_finding().and_then(|row| app.finding_id(row)) {
        Some(finding) => {
            app.prompt = Some(AckPrompt {
                finding,
                text: String::new(),
                error: None,
            });
        }
        None => app.notice = Some(tr!(app.display.lang, "notice-ack-select").into_owned()),
    }
}

/// `u`: takes back the selected finding's acknowledgement.
fn unack(app: &mut App) -> Option<Command> {
    let Some(row) = app.selected_finding() else {
        app.notice = Some(tr!(app.display.lang, "notice-unack-select").into_owned());
        return None;
    };
    let finding = app.finding_id(row)?;
    if app.is_acked(&finding) {
        Some(Command::Unack(finding))
    } else {
        let finding = finding.to_string();
        app.notice =
            Some(tr!(app.display.lang, "notice-not-acked", finding = finding).into_owned());
        None
    }
}

/// Keys while the note prompt is open: typing, Backspace, Enter saves, Esc cancels.
fn on_prompt_key(app: &mut App, key: KeyEvent) -> Option<Command> {
    let prompt = app.prompt.as_mut()?;
    match key.code {
        KeyCode::Esc => {
            app.prompt = None;
            app.notice = Some(tr!(app.display.lang, "notice-ack-cancelled").into_owned());
        }
        KeyCode::Enter => match parse_prompt(&prompt.text, app.display.lang) {
            Ok((note, duration)) => {
                let until = duration
                    .and_then(|d| chrono::Duration::from_std(d).ok())
                    .and_then(|d| app.now.checked_add_signed(d));
                let finding = prompt.finding.clone();
                app.prompt = None;
                let shown = finding.to_string();
                app.notice = Some(
                    tr!(app.display.lang, "notice-acknowledging", finding = shown).into_owned(),
                );
                return Some(Command::Ack {
                    finding,
                    note,
                    until,
                });
            }
            Err(error) => prompt.error = Some(error),
        },
        KeyCode::Backspace => {
            prompt.text.pop();
            prompt.error = None;
        }
        KeyCode::Char(c) => type_into_prompt(prompt, c.encode_utf8(&mut [0; 4])),
        _ => {}
    }
    None
}

/// Adds typed or pasted text to the note, on one line, up to [`MAX_NOTE_CHARS`].
fn type_into_prompt(prompt: &mut AckPrompt, text: &str) {
    let room = MAX_NOTE_CHARS.saturating_sub(prompt.text.chars().count());
    prompt.text.extend(
        text.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(room),
    );
    prompt.error = None;
}

/// A paste types its text into the filter at once (one search, not one per
/// character); anywhere else it is not a string of commands, and says so.
fn on_paste(app: &mut App, text: &str) {
    app.notice = None;
    if let Some(prompt) = &mut app.prompt {
        type_into_prompt(prompt, text);
    } else if let Some(line) = &mut app.command_line {
        line.type_text(text);
    } else if app.filtering && app.route() != &Route::Overview {
        // In one piece, as in the overview: one search, not one per character.
        if let Some(view) = app.routes.last_mut().and_then(|s| s.view.as_deref_mut()) {
            let room = super::MAX_FILTER_CHARS.saturating_sub(view.filter.chars().count());
            let text = text.chars().map(|c| if c.is_control() { ' ' } else { c });
            view.filter.extend(text.take(room));
        }
        refresh_view(app, app.routes.len() - 1);
    } else if app.filtering {
        let pane = app.focus;
        if app.lists.get_mut(pane).type_into_filter(text) {
            app.lists
                .rebuild_pane(pane, app.current.as_ref(), &app.change_log);
        }
    } else {
        app.notice = Some(tr!(app.display.lang, "notice-paste-nowhere").into_owned());
    }
}

fn on_feed(app: &mut App, event: FeedEvent) -> Option<Command> {
    match event {
        FeedEvent::Polling => app.status.polling = true,
        FeedEvent::Fresh { fresh, changes } => {
            app.status.last_good_at = Some(fresh.received_at);
            app.status.stale = None;
            app.status.from_cache = false;
            app.status.polling = false;
            if app.history.past.is_some() {
                // A past snapshot is on screen: the live one waits for `]`
                // (and is still compared, so its new findings alert).
                app.history.live = Some(fresh.clone());
                log_changes(app, changes);
                return Some(Command::Compare(app.new_findings.to_compare(fresh)));
            }
            // The poller worked out what changed (off this task): log it as
            // it is (with the history on, the changes come from it instead).
            add_changes(app, changes);
            app.current = Some(fresh);
            forget_triage(app);
            filter_new(app);
            app.lists.rebuild(app.current.as_ref(), &app.change_log);
            clamp_screens(app);
            // What is new is worked out off this task (a key per finding).
            let fresh = app.current.clone()?;
            return Some(Command::Compare(app.new_findings.to_compare(fresh)));
        }
        FeedEvent::Cached(fresh) => {
            if app.history.past.is_some() {
                if app.history.live.is_none() {
                    app.status.last_good_at = Some(fresh.received_at);
                    app.status.from_cache = true;
                    app.history.live = Some(fresh);
                }
                return None;
            }
            // A poll may have won the race; live data beats the cache.
            if app.current.is_none() {
                app.status.last_good_at = Some(fresh.received_at);
                app.status.from_cache = true;
                app.current = Some(fresh);
                forget_triage(app);
                app.lists.rebuild(app.current.as_ref(), &app.change_log);
                clamp_screens(app);
            }
        }
        FeedEvent::Unchanged { at } => {
            app.status.last_good_at = Some(at);
            app.status.stale = None;
            app.status.from_cache = false;
            app.status.polling = false;
        }
        FeedEvent::Failed {
            error,
            at,
            next_try_at,
        } => {
            let failures = app.status.stale.as_ref().map_or(0, |s| s.failures) + 1;
            let lang = app.display.lang;
            let mut reason = poll_error(lang, &error);
            if let Some(until) = server_deadline(&error, at) {
                reason.push_str(&format!("; {}", asked_to_wait(lang, until, app.zone)));
            }
            app.status.stale = Some(Stale {
                reason,
                next_try_at,
                failures,
            });
            app.status.polling = false;
        }
        FeedEvent::Deferred { until } => {
            // `r` before the feed's Retry-After ran out: no poll was made.
            let wait = asked_to_wait(app.display.lang, until, app.zone);
            match &mut app.status.stale {
                Some(stale) if !stale.reason.contains(&wait) => {
                    stale.reason.push_str(&format!("; {wait}"));
                }
                Some(_) => {}
                None => {
                    app.status.stale = Some(Stale {
                        reason: wait,
                        next_try_at: until,
                        failures: 0,
                    });
                }
            }
        }
    }
    None
}

/// Adds changes (oldest first) to the front of the change log, capped.
fn add_changes(app: &mut App, changes: Vec<Change>) {
    for change in changes {
        app.change_log.push_front(change);
    }
    app.change_log.truncate(app.change_log_size);
}

/// Adds changes to the log and shows them in its pane (the other panes
/// are as they were).
fn log_changes(app: &mut App, changes: Vec<Change>) {
    if changes.is_empty() {
        return;
    }
    add_changes(app, changes);
    app.lists
        .rebuild_pane(Pane::Changes, app.current.as_ref(), &app.change_log);
}

fn on_history(app: &mut App, event: HistoryEvent) {
    match event {
        HistoryEvent::Opened { changes, .. } => {
            app.history.state = HistoryState::On;
            // Loaded before this session's first live change came (the
            // worker sends those after this): older than anything logged.
            let room = app.change_log_size.saturating_sub(app.change_log.len());
            let skip = changes.len().saturating_sub(room);
            for change in changes.into_iter().skip(skip).rev() {
                app.change_log.push_back(change);
            }
            app.lists
                .rebuild_pane(Pane::Changes, app.current.as_ref(), &app.change_log);
        }
        HistoryEvent::Off {
            short,
            fault,
            reason,
        } => {
            if fault {
                app.notice = Some(reason.clone());
            }
            app.history.state = HistoryState::Off {
                short,
                fault,
                reason,
            };
        }
        HistoryEvent::On => {
            // The reason said when it went off no longer holds.
            if let HistoryState::Off { reason, .. } = &app.history.state
                && app.notice.as_ref() == Some(reason)
            {
                app.notice = None;
            }
            app.history.state = HistoryState::On;
        }
        HistoryEvent::Changes(changes) => log_changes(app, changes),
        HistoryEvent::Past(past) => {
            if app.history.past.is_none() {
                app.history.live = app.current.take();
            }
            app.history.past = Some(past.info);
            app.current = Some(past.fresh);
            forget_triage(app);
            app.lists.rebuild(app.current.as_ref(), &app.change_log);
            clamp_screens(app);
        }
        HistoryEvent::Live => go_live(app),
        HistoryEvent::Oldest { generated_at } => {
            let lang = app.display.lang;
            app.notice = Some(
                match generated_at {
                    Some(at) => tr!(lang, "notice-oldest", time = history_time(at, app.zone)),
                    None => tr!(lang, "notice-nothing-before"),
                }
                .into_owned(),
            );
        }
        HistoryEvent::Unavailable { reason } => app.notice = Some(format!("[ / ]: {reason}")),
    }
}

/// A recorded snapshot's time as the header and the status line say it.
pub fn history_time(at: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    crate::settings::zoned(at, zone, "%Y-%m-%d %H:%M:%S %Z")
}

/// Shows the live snapshot again (the newest one polled while the past was shown).
fn go_live(app: &mut App) {
    if app.history.past.take().is_none() {
        return;
    }
    app.current = app.history.live.take();
    forget_triage(app);
    app.lists.rebuild(app.current.as_ref(), &app.change_log);
    clamp_screens(app);
}

/// `[`: asks for the recorded snapshot before the one on screen.
fn step_back(app: &mut App) -> Option<Command> {
    if let HistoryState::Off { reason, .. } = &app.history.state {
        app.notice = Some(format!("[: {reason}"));
        return None;
    }
    Some(Command::History(HistoryCommand::Back))
}

/// `]`: asks for the recorded snapshot after the one on screen, or live.
fn step_forward(app: &mut App) -> Option<Command> {
    if app.history.past.is_none() {
        app.notice = Some(tr!(app.display.lang, "notice-already-live").into_owned());
        return None;
    }
    if matches!(app.history.state, HistoryState::Off { .. }) {
        // The history went off while the past was shown: live, at once.
        go_live(app);
        return Some(Command::History(HistoryCommand::Live));
    }
    Some(Command::History(HistoryCommand::Forward))
}

/// When a busy feed said we may ask again (`Retry-After`), if it said.
fn server_deadline(error: &PollError, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match error {
        PollError::Busy {
            retry_after: Some(wait),
            ..
        } => Some(crate::worker::later(at, *wait)),
        _ => None,
    }
}

/// What the header says while a busy feed's `Retry-After` runs, its time
/// in the display zone.
fn asked_to_wait(lang: Lang, until: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    let time = crate::settings::zoned(until, zone, "%H:%M:%S %Z");
    tr!(lang, "feed-error-wait-until", time = time).into_owned()
}

/// The client's advice on refused credentials, in `lang`; advice this
/// does not know is shown as the client wrote it.
fn auth_hint(lang: Lang, hint: &'static str) -> std::borrow::Cow<'static, str> {
    // The client's words, whole: English stays exactly as the client said it.
    match hint {
        // i18n: src/feed/client.rs's advice, matched whole.
        "no token is configured; set ROLLOUT_DASH_TOKEN or feed.token_file" => {
            tr!(lang, "feed-error-hint-no-token")
        }
        // i18n: src/feed/client.rs's advice, matched whole.
        "the token was refused (wrong or expired); check ROLLOUT_DASH_TOKEN or feed.token_file" => {
            tr!(lang, "feed-error-hint-refused")
        }
        // i18n: src/feed/client.rs's advice, matched whole.
        "the token is not allowed to read this feed; ask the feed's owner" => {
            tr!(lang, "feed-error-hint-not-allowed")
        }
        other => other.into(),
    }
}

/// A failed poll as the STALE banner says it: the kind of failure in the
/// words of `lang`, then any technical detail (a library's message, a
/// JSON path) as the library wrote it. English is the error's own text.
pub fn poll_error(lang: Lang, error: &PollError) -> String {
    use crate::feed::snapshot::DocumentError;
    let seconds = |d: &std::time::Duration| format!("{d:?}");
    match error {
        PollError::Timeout(d) => tr!(lang, "feed-error-timeout", after = seconds(d)),
        PollError::Stalled(d) => tr!(lang, "feed-error-stalled", after = seconds(d)),
        PollError::Connect(detail) => {
            tr!(lang, "feed-error-connect", detail = detail.as_str())
        }
        PollError::Tls(detail) => tr!(lang, "feed-error-tls", detail = detail.as_str()),
        PollError::Auth { status, hint } => tr!(
            lang,
            "feed-error-auth",
            status = status.to_string(),
            hint = auth_hint(lang, hint)
        ),
        PollError::Busy {
            status,
            retry_after,
        } => match retry_after {
            Some(wait) => tr!(
                lang,
                "feed-error-busy-retry",
                status = status.to_string(),
                seconds = wait.as_secs().to_string()
            ),
            None => tr!(lang, "feed-error-busy", status = status.to_string()),
        },
        PollError::Status { status } => {
            tr!(lang, "feed-error-status", status = status.to_string())
        }
        PollError::TooLarge { limit_mb } => {
            tr!(lang, "feed-error-too-large", limit = limit_mb.to_string())
        }
        PollError::Body(detail) => tr!(lang, "feed-error-body", detail = detail.as_str()),
        PollError::Document(DocumentError::NotJson { message, start }) => tr!(
            lang,
            "feed-error-not-json",
            detail = message.as_str(),
            start = format!("{start:?}")
        ),
        PollError::Document(DocumentError::SchemaVersion { found, expected }) => tr!(
            lang,
            "feed-error-schema",
            found = found.as_str(),
            expected = expected.to_string()
        ),
        PollError::Document(DocumentError::Invalid { path, message }) => tr!(
            lang,
            "feed-error-invalid",
            path = path.as_str(),
            detail = message.as_str()
        ),
        PollError::NotModifiedUnasked => tr!(lang, "feed-error-not-modified"),
        PollError::Internal(detail) => {
            tr!(lang, "feed-error-internal", detail = detail.as_str())
        }
    }
    .into_owned()
}

/// Keeps every drill-down's cursor on a row after new data shortened its list.
fn clamp_screens(app: &mut App) {
    let Some(fresh) = app.current.clone() else {
        return;
    };
    for i in 0..app.routes.len() {
        // A section's filter and sort answer the new data too.
        refresh_view(app, i);
        let len = detail::row_count(app, &app.routes[i], &fresh);
        let screen = &mut app.routes[i];
        screen.cursor = screen.cursor.min(len.saturating_sub(1));
    }
}

fn on_key(app: &mut App, key: KeyEvent) -> Option<Command> {
    app.notice = None;
    if app.prompt.is_some() {
        // The note's own keys; Ctrl-C still quits.
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            app.quit = true;
            return None;
        }
        return on_prompt_key(app, key);
    }
    if app.command_line.is_some() {
        // Quit, suspend and redraw keep their keys that type no text
        // (Ctrl-C, Ctrl-Z, Ctrl-L); every other key edits the line.
        return match app.keymap.action(View::Filter, &key) {
            Some(action @ (Action::Quit | Action::Suspend | Action::Redraw)) => run(app, action),
            _ => on_command_key(app, key),
        };
    }
    let view = View::of(app.route(), app.filtering);
    if app.help {
        return on_help_key(app, view, key);
    }
    match app.keymap.action(view, &key) {
        Some(action) => run(app, action),
        None if app.filtering => {
            // Text keys are the filter's own; other unbound keys do nothing.
            if let KeyCode::Char(c) = key.code
                && !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            {
                type_into_filter(app, c);
            }
            None
        }
        None => {
            not_here(app, view, &key);
            None
        }
    }
}

/// Runs one action of the table; returns the command it implies, if any.
fn run(app: &mut App, action: Action) -> Option<Command> {
    let overview = app.route() == &Route::Overview;
    match action {
        Action::Quit => app.quit = true,
        Action::Suspend => return Some(Command::Suspend),
        Action::Redraw => return Some(Command::Redraw),
        Action::Help => app.help = true,
        Action::CommandLine => app.command_line = Some(CommandLine::default()),
        Action::PollNow => return Some(Command::Poller(PollerCommand::PollNow)),
        Action::Plan => open_plan(app),
        Action::Pause => {
            app.status.paused = !app.status.paused;
            return Some(Command::Poller(PollerCommand::Pause(app.status.paused)));
        }
        Action::HistoryBack => return step_back(app),
        Action::HistoryForward => return step_forward(app),
        Action::Back | Action::ClearPaneFilter => go_back(app),
        Action::NextPane | Action::NextSection => next_section(app, true),
        Action::PrevPane | Action::PrevSection => next_section(app, false),
        Action::PaneCities
        | Action::PanePartners
        | Action::PaneStores
        | Action::PaneConflicts
        | Action::PaneChanges
        | Action::PaneMap
        | Action::PaneDataWarnings => {
            if let Some(pane) = action.pane() {
                app.focus = pane;
            }
        }
        Action::Acknowledge => start_ack(app),
        Action::Unacknowledge => return unack(app),
        Action::ToggleAcked => {
            app.show_acked = !app.show_acked;
            let lang = app.display.lang;
            app.notice = Some(
                if app.show_acked {
                    tr!(lang, "notice-acked-shown")
                } else {
                    tr!(lang, "notice-acked-hidden")
                }
                .into_owned(),
            );
            show_triage(app);
        }
        Action::Down => move_selection(app, 1),
        Action::Up => move_selection(app, -1),
        Action::PageDown => move_selection(app, PAGE),
        Action::PageUp => move_selection(app, -PAGE),
        Action::First => move_selection(app, isize::MIN / 2),
        Action::Last => move_selection(app, isize::MAX / 2),
        Action::Open => drill_in(app),
        Action::Copy => return copy(app),
        Action::Filter if overview => app.filtering = true,
        Action::Sort if overview => cycle_sort(app, false),
        Action::ReverseSort if overview => cycle_sort(app, true),
        Action::NextMatch if overview => next_match(app, true),
        Action::PrevMatch if overview => next_match(app, false),
        // In a drill-down they filter and sort the focused section, where
        // it is a list of records; elsewhere they say so.
        Action::Filter | Action::Sort | Action::ReverseSort if !section_filters(app) => {
            app.notice = Some(tr!(app.display.lang, "notice-section-not-a-list").into_owned());
        }
        Action::Filter => {
            open_view(app);
            app.filtering = true;
        }
        Action::Sort => sort_section(app, false),
        Action::ReverseSort => sort_section(app, true),
        Action::NextMatch => next_section_match(app, true),
        Action::PrevMatch => next_section_match(app, false),
        Action::FilterBackspace if !overview => {
            on_section_filter_key(app, KeyEvent::from(KeyCode::Backspace));
        }
        Action::FilterKeep if !overview => app.filtering = false,
        Action::FilterClear if !overview => {
            on_section_filter_key(app, KeyEvent::from(KeyCode::Esc));
        }
        Action::FilterBackspace => {
            let pane = app.focus;
            if app.lists.get_mut(pane).backspace_filter() {
                app.lists
                    .rebuild_pane(pane, app.current.as_ref(), &app.change_log);
            }
        }
        Action::FilterKeep => app.filtering = false,
        Action::FilterClear => {
            let pane = app.focus;
            let list = app.lists.get_mut(pane);
            let had = !list.filter.is_empty();
            list.clear_filter();
            app.filtering = false;
            if had {
                app.lists
                    .rebuild_pane(pane, app.current.as_ref(), &app.change_log);
            }
        }
        // Not keys: the mouse, typed text and the command line's own keys
        // have their own messages and handling.
        Action::Mouse
        | Action::TypeFilter
        | Action::CommandType
        | Action::CommandComplete
        | Action::CommandHistory
        | Action::CommandRun
        | Action::CommandClose => {}
    }
    None
}

/// `y`: the selected row to the clipboard, when OSC 52 is on.
fn copy(app: &mut App) -> Option<Command> {
    let lang = app.display.lang;
    if !app.osc52 {
        let key = app
            .keymap
            .first_key(Action::Copy, View::of(app.route(), false), lang)
            .unwrap_or_else(|| tr!(lang, "notice-copy-key").into_owned());
        app.notice = Some(tr!(lang, "notice-copy-off", key = key).into_owned());
        return None;
    }
    match notify::copy_text(app) {
        Some(text) => {
            app.notice = Some(tr!(lang, "notice-copied").into_owned());
            Some(Command::Copy(text))
        }
        None => {
            app.notice = Some(tr!(lang, "notice-nothing-to-copy").into_owned());
            None
        }
    }
}

/// A key that runs nothing here: the footer says where it works, or that
/// it is no key at all.
fn not_here(app: &mut App, view: View, key: &KeyEvent) {
    let Some(binding) = KeyBinding::from_event(key) else {
        return;
    };
    let lang = app.display.lang;
    if let Some((elsewhere, action)) = app.keymap.action_elsewhere(view, key) {
        app.notice = Some(
            tr!(
                lang,
                "notice-works-elsewhere",
                key = binding.to_string(),
                view = elsewhere.name_in(lang),
                does = action.does(lang)
            )
            .into_owned(),
        );
    } else if matches!(key.code, KeyCode::Char(_)) {
        let help = app
            .keymap
            .first_key(Action::Help, view, lang)
            .unwrap_or_else(|| tr!(lang, "notice-the-help").into_owned());
        app.notice = Some(
            tr!(
                lang,
                "notice-does-nothing",
                key = binding.to_string(),
                help = help
            )
            .into_owned(),
        );
    }
}

/// Keys while the help is open: the arrows and page keys scroll it, any
/// other key closes it and does nothing else, but for the keys of quit,
/// suspend and redraw, which also do what they do.
fn on_help_key(app: &mut App, view: View, key: KeyEvent) -> Option<Command> {
    let entries = super::keys::for_view(view).count();
    let last = entries.saturating_sub(1);
    match key.code {
        KeyCode::Down => app.help_scroll = (app.help_scroll + 1).min(last),
        KeyCode::Up => app.help_scroll = app.help_scroll.saturating_sub(1),
        KeyCode::PageDown => app.help_scroll = (app.help_scroll + PAGE as usize).min(last),
        KeyCode::PageUp => app.help_scroll = app.help_scroll.saturating_sub(PAGE as usize),
        _ => match app.keymap.action(view, &key) {
            Some(action @ (Action::Suspend | Action::Redraw)) => return run(app, action),
            action => {
                app.help = false;
                app.help_scroll = 0;
                if action == Some(Action::Quit) {
                    app.quit = true;
                }
            }
        },
    }
    None
}

/// One typed character into the filter (the pane's, or in a drill-down
/// the focused section's); past the length cap it changes nothing and
/// costs no search.
fn type_into_filter(app: &mut App, c: char) {
    if app.route() != &Route::Overview {
        on_section_filter_key(app, KeyEvent::from(KeyCode::Char(c)));
        return;
    }
    let pane = app.focus;
    if app
        .lists
        .get_mut(pane)
        .type_into_filter(c.encode_utf8(&mut [0; 4]))
    {
        app.lists
            .rebuild_pane(pane, app.current.as_ref(), &app.change_log);
    }
}

/// `n` / `N`: the next / previous match of the filter. A filter shows
/// only its matches, so these are the next / previous row, wrapping
/// around the ends as vim's and less's searches do.
fn next_match(app: &mut App, forward: bool) {
    let list = app.lists.get(app.focus);
    if list.filter.trim().is_empty() {
        app.notice = Some(tr!(app.display.lang, "notice-no-filter").into_owned());
        return;
    }
    let len = list.rows.len();
    if len == 0 {
        app.notice = Some(tr!(app.display.lang, "notice-no-match").into_owned());
        return;
    }
    let cursor = list.cursor;
    let to = if forward {
        (cursor + 1) % len
    } else {
        (cursor + len - 1) % len
    };
    if (forward && to < cursor) || (!forward && to > cursor) {
        let lang = app.display.lang;
        app.notice = Some(
            if forward {
                tr!(lang, "notice-wrapped-to-top")
            } else {
                tr!(lang, "notice-wrapped-to-bottom")
            }
            .into_owned(),
        );
    }
    app.lists.move_cursor(
        app.focus,
        to as isize - cursor as isize,
        app.current.as_ref(),
        &app.change_log,
    );
}

/// Keys while the command line is open.
fn on_command_key(app: &mut App, key: KeyEvent) -> Option<Command> {
    let line = app.command_line.as_mut()?;
    match key.code {
        KeyCode::Esc => app.command_line = None,
        KeyCode::Backspace if line.input.is_empty() => app.command_line = None,
        KeyCode::Backspace => line.backspace(),
        KeyCode::Up => app.command_history.walk(line, true),
        KeyCode::Down => app.command_history.walk(line, false),
        KeyCode::Tab => complete(app, true),
        KeyCode::BackTab => complete(app, false),
        KeyCode::Enter => return enter_command(app),
        KeyCode::Char(c) => line.type_text(c.encode_utf8(&mut [0; 4])),
        _ => {}
    }
    None
}

/// Tab (`forward`) or Shift-Tab: with candidates shown, the next or
/// previous one goes into the line; else the command word or its argument
/// is completed, and when several would do they are shown.
fn complete(app: &mut App, forward: bool) {
    let Some(line) = &app.command_line else {
        return;
    };
    if !line.candidates.is_empty() {
        let line = app.command_line.as_mut().expect("open");
        line.cycle(forward);
        if let Some(picked) = line.picked().map(|c| c.line.clone()) {
            line.input = picked;
        }
        return;
    }
    let candidates = completions(app, &line.input.clone());
    let line = app.command_line.as_mut().expect("open");
    match candidates.len() {
        0 => {
            let typed = line.input.trim().to_owned();
            line.error =
                Some(tr!(app.display.lang, "cmd-nothing-completes", typed = typed).into_owned());
        }
        1 => {
            line.input = candidates[0].line.clone();
            line.candidates.clear();
        }
        _ => {
            line.offer(candidates, !forward);
            if let Some(picked) = line.picked().map(|c| c.line.clone()) {
                line.input = picked;
            }
        }
    }
}

/// What Tab offers for `input`.
fn completions(app: &mut App, input: &str) -> Vec<Candidate> {
    match cl::completing(input) {
        Completing::Command(typed) => cl::complete_command(typed)
            .into_iter()
            .map(|word| {
                let takes = matches!(
                    word.as_str(),
                    "city" | "partner" | "store" | "group" | "feed"
                );
                Candidate {
                    label: word.clone(),
                    line: if takes { format!("{word} ") } else { word },
                }
            })
            .collect(),
        Completing::Argument { command, typed } => {
            let command = command.to_owned();
            let with = |options: Vec<(String, String)>| -> Vec<Candidate> {
                options
                    .into_iter()
                    .map(|(label, argument)| Candidate {
                        label,
                        line: format!("{command} {argument}"),
                    })
                    .collect()
            };
            match command.as_str() {
                "group" => with(
                    [Group::Rule, Group::City, Group::None]
                        .iter()
                        .map(|g| g.word())
                        .filter(|w| w.starts_with(typed))
                        .map(|w| (w.to_owned(), w.to_owned()))
                        .collect(),
                ),
                "feed" => with(
                    app.feeds
                        .iter()
                        .filter(|f| f.starts_with(typed))
                        .map(|f| (f.clone(), f.clone()))
                        .collect(),
                ),
                "city" | "partner" | "store" => {
                    let typed = typed.to_owned();
                    with(name_options(app, &command, &typed))
                }
                _ => Vec::new(),
            }
        }
    }
}

/// The records `typed` could name after `:city`, `:partner` or `:store`:
/// (what the list shows, what goes into the line).
fn name_options(app: &mut App, command: &str, typed: &str) -> Vec<(String, String)> {
    let Some(fresh) = app.current.clone() else {
        return Vec::new();
    };
    let index = app.lists.search_index(&fresh);
    let document = &fresh.snapshot.document;
    match command {
        "store" => index
            .stores_holding(&typed.to_lowercase())
            .into_iter()
            .take(MAX_CANDIDATES)
            .filter_map(|i| document.stores.get(i as usize))
            .map(|s| {
                (
                    format!("{}  {}", s.id.shown(), crate::feed::text::escape(&s.name)),
                    s.id.as_str().to_owned(),
                )
            })
            .collect(),
        _ => {
            let names = if command == "city" {
                Names::Cities
            } else {
                Names::Partners
            };
            let positions = if typed.trim().is_empty() {
                (0..MAX_CANDIDATES as u32).collect()
            } else {
                match index.spellings(&fresh.snapshot).lookup(names, typed) {
                    Found::One(i) => vec![i],
                    Found::Several(several) => several,
                    Found::Nothing => Vec::new(),
                }
            };
            positions
                .into_iter()
                .filter_map(|i| record_label(&fresh, names, i as usize, app.display.lang))
                .collect()
        }
    }
}

/// A city or partner as a candidate shows it (name, Chinese name, id) and
/// the argument that opens it (its name, or its id where another record
/// has that name).
fn record_label(
    fresh: &crate::worker::Fresh,
    names: Names,
    i: usize,
    lang: Lang,
) -> Option<(String, String)> {
    let document = &fresh.snapshot.document;
    let (id, name, local, same_name) = match names {
        Names::Cities => {
            let c = document.cities.get(i)?;
            let twins = document.cities.iter().filter(|o| o.name == c.name).count();
            (
                c.id.as_str(),
                c.name.as_str(),
                c.local_name.as_deref(),
                twins > 1,
            )
        }
        Names::Partners => {
            let p = document.partners.get(i)?;
            let twins = document
                .partners
                .iter()
                .filter(|o| o.name == p.name)
                .count();
            (
                p.id.as_str(),
                p.name.as_str(),
                p.local_name.as_deref(),
                twins > 1,
            )
        }
    };
    let escape = crate::feed::text::escape;
    // In Chinese the Chinese name comes first: `宁波 Ningbo  (ningbo)`.
    let label = match (local, lang) {
        (Some(local), Lang::Zh) => format!("{} {}  ({})", escape(local), escape(name), escape(id)),
        (Some(local), Lang::En) => format!("{} {}  ({})", escape(name), escape(local), escape(id)),
        (None, _) => format!("{}  ({})", escape(name), escape(id)),
    };
    let argument = if same_name || name.trim() != name || name.is_empty() {
        id
    } else {
        name
    };
    Some((label, argument.to_owned()))
}

/// Enter on the command line: runs what is typed. A name that fits
/// several records shows them (Tab picks one; Enter opens the one
/// picked); an error stays on the line, saying what was wrong.
fn enter_command(app: &mut App) -> Option<Command> {
    let line = app.command_line.as_ref()?;
    let typed = line
        .picked()
        .map_or_else(|| line.input.clone(), |c| c.line.clone());
    let command = match cl::parse(&typed, app.display.lang) {
        Ok(command) => command,
        Err(error) => {
            app.command_line.as_mut()?.error = Some(error);
            return None;
        }
    };
    match run_command(app, command) {
        Ok(out) => {
            app.command_history.push(&typed);
            app.command_line = None;
            out
        }
        Err(Ambiguous { what, candidates }) if !candidates.is_empty() => {
            app.command_history.push(&typed);
            let line = app.command_line.as_mut()?;
            line.input = typed;
            line.offer(candidates, false);
            line.error = Some(what);
            None
        }
        Err(Ambiguous { what, .. }) => {
            app.command_line.as_mut()?.error = Some(what);
            None
        }
    }
}

/// Why a command did nothing: what to say, and what may have been meant.
struct Ambiguous {
    what: String,
    candidates: Vec<Candidate>,
}

fn fail(what: String) -> Ambiguous {
    Ambiguous {
        what,
        candidates: Vec::new(),
    }
}

fn run_command(app: &mut App, command: cl::Command) -> Result<Option<Command>, Ambiguous> {
    match command {
        cl::Command::Quit => app.quit = true,
        cl::Command::Pane(pane) => {
            app.routes.truncate(1);
            app.focus = pane;
        }
        cl::Command::Group(group) => {
            app.lists.group = group;
            app.lists
                .rebuild_pane(Pane::Conflicts, app.current.as_ref(), &app.change_log);
            app.routes.truncate(1);
            app.focus = Pane::Conflicts;
        }
        cl::Command::Feed(name) => {
            let lang = app.display.lang;
            let shown = crate::feed::text::escape(&name).into_owned();
            if app.feeds.is_empty() {
                app.notice = Some(tr!(lang, "cmd-no-other-feeds", feed = shown).into_owned());
            } else if app.feeds.contains(&name) {
                return Ok(Some(Command::SwitchFeed(name)));
            } else {
                let feeds = app.feeds.join(", ");
                return Err(fail(
                    tr!(lang, "cmd-no-such-feed", feed = shown, feeds = feeds).into_owned(),
                ));
            }
        }
        cl::Command::City(name) => open_named(app, "city", Names::Cities, &name)?,
        cl::Command::Partner(name) => open_named(app, "partner", Names::Partners, &name)?,
        cl::Command::Store(id) => open_store(app, &id)?,
    }
    Ok(None)
}

/// `:city NAME` / `:partner NAME`: one lookup in the snapshot's names.
fn open_named(app: &mut App, command: &str, names: Names, typed: &str) -> Result<(), Ambiguous> {
    let Some(fresh) = app.current.clone() else {
        return Err(fail(tr!(app.display.lang, "cmd-no-data").into_owned()));
    };
    let index = app.lists.search_index(&fresh);
    let document = &fresh.snapshot.document;
    let lang = app.display.lang;
    match index.spellings(&fresh.snapshot).lookup(names, typed) {
        Found::One(i) => {
            let target = match names {
                Names::Cities => document
                    .cities
                    .get(i as usize)
                    .map(|c| Target::City(c.id.clone())),
                Names::Partners => document
                    .partners
                    .get(i as usize)
                    .map(|p| Target::Partner(p.id.clone())),
            };
            if let Some(target) = target {
                app.routes.push(Screen::new(target.into_route()));
            }
            Ok(())
        }
        Found::Several(several) => Err(Ambiguous {
            what: {
                let count = i64::try_from(several.len()).unwrap_or(i64::MAX);
                let typed = crate::feed::text::escape(typed).into_owned();
                if names == Names::Cities {
                    tr!(lang, "cmd-cities-match", count = count, typed = typed)
                } else {
                    tr!(lang, "cmd-partners-match", count = count, typed = typed)
                }
                .into_owned()
            },
            candidates: several
                .into_iter()
                .filter_map(|i| {
                    let (label, _) = record_label(&fresh, names, i as usize, lang)?;
                    let id = match names {
                        Names::Cities => document.cities.get(i as usize)?.id.as_str(),
                        Names::Partners => document.partners.get(i as usize)?.id.as_str(),
                    };
                    Some(Candidate {
                        label,
                        line: format!("{command} {id}"),
                    })
                })
                .collect(),
        }),
        Found::Nothing => {
            let typed = crate::feed::text::escape(typed).into_owned();
            Err(fail(
                if names == Names::Cities {
                    tr!(lang, "cmd-no-city", typed = typed)
                } else {
                    tr!(lang, "cmd-no-partner", typed = typed)
                }
                .into_owned(),
            ))
        }
    }
}

/// `:store ID`: the id as typed, else the stores whose id or name hold it.
fn open_store(app: &mut App, typed: &str) -> Result<(), Ambiguous> {
    let Some(fresh) = app.current.clone() else {
        return Err(fail(tr!(app.display.lang, "cmd-no-data").into_owned()));
    };
    let document = &fresh.snapshot.document;
    let open = |app: &mut App, i: usize| {
        if let Some(store) = document.stores.get(i) {
            app.routes.push(Screen::new(Route::Store(store.id.clone())));
        }
    };
    if let Some(i) = fresh.snapshot.store_index(typed) {
        open(app, i);
        return Ok(());
    }
    let index = app.lists.search_index(&fresh);
    let found = index.stores_holding(&typed.to_lowercase());
    match found.as_slice() {
        [] => Err(fail(
            tr!(
                app.display.lang,
                "cmd-no-store",
                typed = crate::feed::text::escape(typed).into_owned()
            )
            .into_owned(),
        )),
        [one] => {
            open(app, *one as usize);
            Ok(())
        }
        more => Err(Ambiguous {
            what: tr!(
                app.display.lang,
                "cmd-stores-match",
                count = i64::try_from(more.len()).unwrap_or(i64::MAX),
                typed = crate::feed::text::escape(typed).into_owned()
            )
            .into_owned(),
            candidates: more
                .iter()
                .take(MAX_CANDIDATES)
                .filter_map(|&i| document.stores.get(i as usize))
                .map(|s| Candidate {
                    label: format!("{}  {}", s.id.shown(), crate::feed::text::escape(&s.name)),
                    line: format!("store {}", s.id.as_str()),
                })
                .collect(),
        }),
    }
}

/// Whether the focused section of the drill-down on screen filters and sorts.
fn section_filters(app: &App) -> bool {
    detail::current_section(app.screen())
        .and_then(detail::section_pane)
        .is_some()
}

/// Gives the focused section a view (filter and sort) if it has none.
fn open_view(app: &mut App) {
    if let Some(screen) = app.routes.last_mut()
        && screen.view.is_none()
    {
        screen.view = Some(Box::default());
    }
    refresh_view(app, app.routes.len() - 1);
}

/// Works out again the rows of the section view of screen `i` (after a
/// key, a sort, or new data), keeping the cursor on the record it was on.
fn refresh_view(app: &mut App, i: usize) {
    let Some(fresh) = app.current.clone() else {
        return;
    };
    let Some(screen) = app.routes.get(i) else {
        return;
    };
    let Some(section) = detail::current_section(screen) else {
        return;
    };
    let (Some(pane), Some(view)) = (detail::section_pane(section), screen.view.as_deref()) else {
        return;
    };
    let was = view.picks.get(screen.cursor).copied();
    let (query, note) =
        super::lists::read_query(&view.filter, pane, &app.lists.flags, app.lists.lang);
    let query = query.unwrap_or_else(|| view.query.clone());
    // The changes are the change log's, not the snapshot's.
    let changes;
    let source = if section == detail::Section::Changes {
        changes = detail::change_positions(app, screen, &fresh);
        &changes[..]
    } else {
        detail::source(screen, &fresh, section)
    };
    let picks = app.lists.section_rows(
        pane,
        source,
        &query,
        view.sort,
        view.reverse,
        &fresh,
        &app.change_log,
    );
    let screen = &mut app.routes[i];
    let cursor = was
        .and_then(|was| picks.iter().position(|&p| p == was))
        .unwrap_or(screen.cursor.min(picks.len().saturating_sub(1)));
    screen.cursor = cursor;
    if let Some(view) = screen.view.as_deref_mut() {
        view.query = query;
        view.note = note;
        view.picks = picks;
    }
}

/// Keys while a drill-down section's filter is typed.
fn on_section_filter_key(app: &mut App, key: KeyEvent) {
    let Some(view) = app.routes.last_mut().and_then(|s| s.view.as_deref_mut()) else {
        app.filtering = false;
        return;
    };
    match key.code {
        KeyCode::Esc => {
            view.filter.clear();
            app.filtering = false;
        }
        KeyCode::Enter => {
            app.filtering = false;
            return;
        }
        KeyCode::Backspace => {
            view.filter.pop();
        }
        KeyCode::Char(c) => {
            if view.filter.chars().count() < super::MAX_FILTER_CHARS && !c.is_control() {
                view.filter.push(c);
            }
        }
        _ => return,
    }
    refresh_view(app, app.routes.len() - 1);
}

/// `s` / `S` in a drill-down: the focused section's sort key / order.
fn sort_section(app: &mut App, reverse: bool) {
    open_view(app);
    let pane = detail::current_section(app.screen()).and_then(detail::section_pane);
    if let (Some(pane), Some(view)) = (
        pane,
        app.routes.last_mut().and_then(|s| s.view.as_deref_mut()),
    ) {
        if reverse {
            view.reverse = !view.reverse;
        } else {
            view.sort = (view.sort + 1) % pane.sort_keys().len();
        }
    }
    refresh_view(app, app.routes.len() - 1);
}

/// `n` / `N` in a drill-down: the next / previous row of the focused
/// section's filtered rows, wrapping, as in the overview.
fn next_section_match(app: &mut App, forward: bool) {
    let filtered = app
        .screen()
        .view
        .as_ref()
        .is_some_and(|v| !v.filter.trim().is_empty());
    if !filtered {
        app.notice = Some(tr!(app.display.lang, "notice-no-filter").into_owned());
        return;
    }
    let len = app
        .current
        .as_ref()
        .map_or(0, |fresh| detail::row_count(app, app.screen(), fresh));
    if let Some(screen) = app.routes.last_mut()
        && len > 0
    {
        screen.cursor = if forward {
            (screen.cursor + 1) % len
        } else {
            (screen.cursor + len - 1) % len
        };
    }
}

fn cycle_sort(app: &mut App, reverse: bool) {
    let pane = app.focus;
    let keys = pane.sort_keys().len();
    let list = app.lists.get_mut(pane);
    if reverse {
        list.reverse = !list.reverse;
    } else {
        list.sort = (list.sort + 1) % keys;
    }
    app.lists
        .rebuild_pane(pane, app.current.as_ref(), &app.change_log);
}

/// `p`: plan versus actual of the programme (from the overview) or of the
/// city on screen; `p` again goes back.
fn open_plan(app: &mut App) {
    let plan = match app.route() {
        Route::Overview => Route::Plan(None),
        Route::City(city) => Route::Plan(Some(city.clone())),
        Route::Plan(_) => {
            app.routes.pop();
            return;
        }
        Route::Partner(_) | Route::Store(_) => {
            app.notice = Some(tr!(app.display.lang, "notice-plan-where").into_owned());
            return;
        }
    };
    app.routes.push(Screen::new(plan));
}

fn go_back(app: &mut App) {
    let filtered = app
        .screen()
        .view
        .as_ref()
        .is_some_and(|v| !v.filter.is_empty());
    if app.routes.len() > 1 && filtered {
        // As in the overview: Esc clears a filter before it goes anywhere.
        if let Some(view) = app.routes.last_mut().and_then(|s| s.view.as_deref_mut()) {
            view.filter.clear();
        }
        refresh_view(app, app.routes.len() - 1);
    } else if app.routes.len() > 1 {
        app.routes.pop();
    } else if !app.lists.get(app.focus).filter.is_empty() {
        app.lists.get_mut(app.focus).clear_filter();
        app.lists
            .rebuild_pane(app.focus, app.current.as_ref(), &app.change_log);
    }
}

fn next_section(app: &mut App, forward: bool) {
    let sections = detail::sections(&app.screen().route).len();
    match app.routes.last_mut() {
        Some(screen) if screen.route != Route::Overview => {
            if sections > 0 {
                screen.section = if forward {
                    (screen.section + 1) % sections
                } else {
                    (screen.section + sections - 1) % sections
                };
                screen.cursor = 0;
                screen.view = None;
            }
        }
        _ => app.focus = app.focus.cycle(forward),
    }
}

fn move_selection(app: &mut App, delta: isize) {
    if app.route() == &Route::Overview {
        if app.focus != Pane::Changes || !app.change_log.is_empty() {
            app.lists
                .move_cursor(app.focus, delta, app.current.as_ref(), &app.change_log);
        }
        return;
    }
    let len = app
        .current
        .as_ref()
        .map_or(0, |fresh| detail::row_count(app, app.screen(), fresh));
    if let Some(screen) = app.routes.last_mut()
        && len > 0
    {
        screen.cursor = screen.cursor.saturating_add_signed(delta).min(len - 1);
    }
}

fn drill_in(app: &mut App) {
    let Some(fresh) = app.current.as_ref() else {
        return;
    };
    let target = if app.route() == &Route::Overview {
        let list = app.lists.get(app.focus);
        list.selected_row().and_then(|row| match app.focus {
            Pane::Cities | Pane::Map => fresh
                .snapshot
                .document
                .cities
                .get(row)
                .map(|c| Target::City(c.id.clone())),
            Pane::Partners => fresh
                .snapshot
                .document
                .partners
                .get(row)
                .map(|p| Target::Partner(p.id.clone())),
            Pane::Stores => fresh
                .snapshot
                .document
                .stores
                .get(row)
                .map(|s| Target::Store(s.id.clone())),
            Pane::Conflicts => fresh.analysis.findings.get(row).and_then(|f| {
                f.city
                    .clone()
                    .map(Target::City)
                    .or_else(|| f.partners.first().cloned().map(Target::Partner))
            }),
            Pane::DataWarnings => fresh.snapshot.data_warnings.get(row).and_then(|w| {
                let snapshot = &fresh.snapshot;
                let id = w.record.as_str();
                if let Some(store) = snapshot.store(id) {
                    Some(Target::Store(store.id.clone()))
                } else if let Some(partner) = snapshot.partner(id) {
                    Some(Target::Partner(partner.id.clone()))
                } else {
                    snapshot.city(id).map(|c| Target::City(c.id.clone()))
                }
            }),
            Pane::Changes => app.change_log.get(row).and_then(|c| {
                c.city
                    .clone()
                    .map(Target::City)
                    .or_else(|| c.partner.clone().map(Target::Partner))
            }),
        })
    } else {
        detail::target(app, app.screen(), fresh, app.screen().cursor)
    };
    if let Some(target) = target {
        app.routes.push(Screen::new(target.into_route()));
    }
}
