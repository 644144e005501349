//! The live dashboard: wires the poller, the terminal, `update` and `view`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use crossterm::event::{Event as TermEvent, MouseButton, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::analysis::FindingId;
use crate::app::notify::{Comparer, Notification, NotifyRules, ToCompare};
use crate::app::view_state::{self, ViewSaver, ViewState};
use crate::app::{self, App, Command, Display, Msg};
use crate::cli::DashboardArgs;
use crate::config::{Config, Theme};
use crate::event::{Event, Events};
use crate::feed::cache;
use crate::feed::client::FeedClient;
use crate::feed::schedule::Schedule;
use crate::feed::server::{self, ServeOptions, Source};
use crate::history::History;
use crate::history::trend::{self, TrendJob};
use crate::i18n::Lang;
use crate::worker::history::{self, HistoryEvent, HistoryHandle};
use crate::worker::{self, FeedEvent, PollerHandle};
use crate::{notify, tr, tui, ui};

/// Whether the locale can show UTF-8 (LC_ALL, then LC_CTYPE, then LANG).
pub fn locale_is_utf8() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
        .is_some_and(|locale| {
            let locale = locale.to_ascii_lowercase();
            locale.contains("utf-8") || locale.contains("utf8")
        })
}

/// Why the dashboard cannot run here, if it cannot: it needs a terminal on
/// stdin and stdout that understands escape codes (not `TERM=dumb`).
/// Checked before the terminal is touched, so nothing is drawn into a file
/// or a pipe.
pub fn terminal_problem(
    stdin_tty: bool,
    stdout_tty: bool,
    term: Option<&str>,
    lang: Lang,
) -> Option<String> {
    let problem = if !stdout_tty {
        tr!(lang, "config-terminal-stdout")
    } else if !stdin_tty {
        tr!(lang, "config-terminal-stdin")
    } else if term.is_some_and(|t| t.trim() == "dumb") {
        tr!(lang, "config-terminal-dumb")
    } else {
        return None;
    };
    Some(tr!(lang, "config-terminal", problem = problem).into_owned())
}

/// [`terminal_problem`] for this process, in `lang`.
pub fn check_terminal(lang: Lang) -> Option<String> {
    use std::io::IsTerminal;
    let term = std::env::var("TERM").ok();
    terminal_problem(
        std::io::stdin().is_terminal(),
        std::io::stdout().is_terminal(),
        term.as_deref(),
        lang,
    )
}

/// Display options from the flag, the config, `NO_COLOR` and the locale.
pub fn display_options(args: &DashboardArgs, config: &Config) -> Display {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let ascii = args.ascii || config.ui.ascii.unwrap_or_else(|| !locale_is_utf8());
    Display {
        ascii,
        mono: no_color || config.ui.theme == Theme::Mono,
        lang: config.lang().for_terminal(ascii),
    }
}

/// How late the age tick may fire: a poll that starts on the same second
/// (an interval of whole seconds) then has already said so.
const TICK_SLACK_MS: i64 = 20;
/// How long the age tick waits for a poll under way: its answer resets the
/// age, so drawing the age first would show it for a millisecond.
const TICK_POLL_GRACE_MS: i64 = 250;

/// When the header's visible age text changes next: the next whole second
/// after the last good snapshot (or the next try's countdown), a little
/// later while a poll is under way.
fn next_tick(app: &App, now: DateTime<Utc>) -> Option<Instant> {
    // Before any good snapshot, a failing feed still shows a countdown.
    let since = app
        .status
        .last_good_at
        .or_else(|| app.status.stale.as_ref().map(|s| s.next_try_at))?;
    let elapsed_ms = (now - since).num_milliseconds().max(0);
    let wait_ms = tick_wait_ms(elapsed_ms, app.status.polling);
    Some(Instant::now() + std::time::Duration::from_millis(wait_ms as u64))
}

/// Milliseconds from `elapsed_ms` to the tick of the first whole second,
/// from 1 on, whose tick (the second plus the slack) is still to come.
fn tick_wait_ms(elapsed_ms: i64, polling: bool) -> i64 {
    let slack = if polling {
        TICK_POLL_GRACE_MS
    } else {
        TICK_SLACK_MS
    };
    let second = ((elapsed_ms - slack).div_euclid(1000) + 1).max(1);
    second * 1000 + slack - elapsed_ms
}

/// The poller of one feed, its history, and where their reports come in.
pub struct Polling {
    /// The poller.
    pub poller: PollerHandle,
    /// Its reports.
    pub events: mpsc::Receiver<FeedEvent>,
    /// The feed's history: records each new snapshot, steps through them.
    pub history: HistoryHandle,
    /// The history's reports.
    pub history_events: mpsc::Receiver<HistoryEvent>,
}

/// How the dashboard's history starts: `[history]`, the feed's key (the
/// snapshot URL, as `record` keys it) and the rules past snapshots are
/// analysed with. The built-in demo is not recorded: its feed is a new
/// port each run, so nothing recorded would ever be read back.
pub fn history_setup(config: &Config, snapshot_url: &str, demo: bool) -> history::Setup {
    history::Setup {
        config: config.history.clone(),
        feed: (!demo).then(|| snapshot_url.to_owned()),
        not_recorded: crate::tr!(config.lang(), "history-off-demo").into_owned(),
        lang: config.lang(),
        rules: std::sync::Arc::new(config.rules.clone()),
        change_log_size: config.ui.change_log_size,
    }
}

/// Starts polling `url` with `config`'s token, schedule, rules and cache,
/// and its history between the poller and the app; the demo feed has
/// neither token nor cache nor history. The error is a sentence.
pub fn start_polling(config: &Config, url: &str, demo: bool) -> Result<Polling, String> {
    // The demo is ours: the user's token is for their feed only.
    let token = if demo { Ok(None) } else { config.token() };
    let client = token
        .map_err(|e| e.text(config.lang()))
        .and_then(|token| FeedClient::new(url, &config.feed, token).map_err(|e| e.to_string()))?;
    // The poller reports to the history's tap, which records each new
    // snapshot (on a thread of its own) and passes the reports on.
    let (poller_tx, poller_rx) = mpsc::channel(16);
    let (feed_tx, feed_rx) = mpsc::channel(16);
    let (history_tx, history_rx) = mpsc::channel(16);
    let history = history::start(
        history_setup(config, &client.snapshot_url(), demo),
        poller_rx,
        feed_tx,
        history_tx,
    )
    .map_err(|e| format!("cannot start the history's thread: {e}"))?;
    let schedule = Schedule {
        interval: config.feed.interval.0,
        max_backoff: config.feed.max_backoff.0,
        max_retry_after: config.feed.max_retry_after.0,
    };
    // The demo feed changes every run: caching it would only show stale demo data.
    let cache = if config.feed.cache && !demo {
        cache::path_for(&client.snapshot_url())
    } else {
        None
    };
    Ok(Polling {
        poller: worker::spawn(
            client,
            schedule,
            config.rules.clone(),
            poller_tx,
            cache,
            config.lang(),
        ),
        events: feed_rx,
        history,
        history_events: history_rx,
    })
}

/// Puts the dashboard on the `[[feeds]]` entry `name`: a poller on its URL
/// (with its own token file and cache), and a screen cleared of the old
/// feed's data, which that feed's cache then fills. The caller stops the
/// old poller once this succeeded; on an error nothing changed.
pub fn switch_feed(app: &mut App, config: &Config, name: &str) -> Result<Polling, String> {
    let mut chosen = config.clone();
    chosen
        .select_feed(name)
        .map_err(|fault| fault.text(app.display.lang))?;
    let url = chosen.feed.url.clone().unwrap_or_default();
    let polling = start_polling(&chosen, &url, false)?;
    app.demo = false;
    app.clear_feed(url, Some(name.to_owned()));
    Ok(polling)
}

/// The saved view's file for the feed on screen: by the feed's name, the
/// demo's, or the URL's.
fn view_path(app: &App) -> Option<PathBuf> {
    let key = match &app.feed_name {
        Some(name) => name.clone(),
        None if app.demo => "demo".to_owned(),
        None => app.feed_label.clone(),
    };
    view_state::path_for(&key)
}

/// Reads the saved view of the feed on screen (off this task) and puts it
/// on the dashboard; returns the view now shown.
async fn restore_view(app: &mut App, path: Option<PathBuf>) -> ViewState {
    if let Some(path) = path {
        let loaded = tokio::task::spawn_blocking(move || view_state::load(&path))
            .await
            .ok()
            .flatten();
        if let Some(view) = loaded {
            view.apply(app);
        }
    }
    ViewState::of(app)
}

/// What the event loop keeps besides the app: the config (for feed
/// switches), the poller and the saved view.
struct Session {
    /// Reads and writes acknowledgements off the UI task.
    acks: crate::ack::Worker,
    config: Config,
    poller: PollerHandle,
    history: HistoryHandle,
    saver: ViewSaver,
    view_path: Option<PathBuf>,
    last_view: ViewState,
    /// Where new snapshots go for their trends and plan.
    trends: Trends,
    /// Sequences and the notify command.
    outside: Outside,
    /// Messages from the start-up history read and the notify command.
    alerts: mpsc::UnboundedReceiver<Msg>,
}

/// The trend worker of the feed on screen: new snapshots go in, reports
/// come back as [`Msg::Trend`]. Dropped (a feed switch), a report it still
/// had under way is not delivered.
struct Trends {
    jobs: watch::Sender<Option<TrendJob>>,
    current: Arc<AtomicBool>,
}

impl Trends {
    /// Starts it on `url`'s history. The demo's feed is new every run: its
    /// history is only read, never created.
    fn spawn(config: &Config, url: &str, demo: bool, app: mpsc::UnboundedSender<Msg>) -> Trends {
        let history = config.history.clone();
        let feed = crate::history::feed_key(url).unwrap_or_else(|_| url.to_owned());
        let lang = config.lang();
        let current = Arc::new(AtomicBool::new(true));
        let still = current.clone();
        let jobs = trend::spawn_worker(
            move || {
                if demo {
                    History::open_read_only(&history, &feed)
                } else {
                    History::open(&history, &feed)
                }
            },
            move |error| worker::history::off_reason(lang, error),
            move |report| {
                still.load(Ordering::SeqCst) && app.send(Msg::Trend(Box::new(report))).is_ok()
            },
        );
        Trends { jobs, current }
    }

    /// Works out the trends and plan of the snapshot on screen (off this task).
    fn send(&self, fresh: &worker::Fresh) {
        self.jobs.send_replace(Some((
            fresh.snapshot.clone(),
            fresh.analysis.clone(),
            fresh.received_at,
        )));
    }
}

impl Drop for Trends {
    fn drop(&mut self) {
        self.current.store(false, Ordering::SeqCst);
    }
}

/// Runs the dashboard until the user quits; returns the exit code.
pub async fn run(
    args: DashboardArgs,
    mut config: Config,
    log_path: Option<PathBuf>,
) -> color_eyre::Result<ExitCode> {
    // Everything the dashboard says (the change log, history reasons, the
    // trends) in the language its terminal can show: English in ASCII mode.
    config.ui.lang = Some(display_options(&args, &config).lang);
    let feed_url = if args.demo {
        None
    } else {
        config.feed.url.clone()
    };
    let (url, demo_server) = match feed_url {
        Some(url) => (url, None),
        None => {
            let running = server::spawn(ServeOptions {
                addr: ([127, 0, 0, 1], 0).into(),
                source: Source::Demo,
                simulate: true,
            })
            .await?;
            (format!("http://{}", running.addr), Some(running))
        }
    };
    let demo = demo_server.is_some();
    let polling = match start_polling(&config, &url, demo) {
        Ok(polling) => polling,
        Err(message) => {
            // Still before the terminal is taken: a plain line and exit code 2.
            eprintln!("rollout-dash: {message}");
            return Ok(ExitCode::from(crate::exit::EXIT_USAGE));
        }
    };
    let label = if demo {
        crate::tr!(config.lang(), "header-demo-feed", url = url.as_str()).into_owned()
    } else {
        url.clone()
    };

    let mut app = App::new(label, demo, display_options(&args, &config), Utc::now());
    app.feed_name = config.feed_name.clone().filter(|_| !demo);
    // What `:feed` completes and switches between.
    app.feeds = config.feeds.iter().map(|f| f.name.clone()).collect();
    app.change_log_size = config.ui.change_log_size;
    app.zone = crate::settings::display_zone(config.ui.timezone.as_deref());
    // Checked with the rest of the config before the terminal was taken.
    app.keymap = config.keymap()?;
    app.osc52 = config.ui.osc52;
    app.notify = NotifyRules {
        min_severity: config.notify.min_severity,
        bell: config.notify.bell,
        desktop: config.notify.desktop,
        command: config.notify.command.is_some(),
    };
    let (alert_tx, alerts) = mpsc::unbounded_channel();
    let state_file = last_quit_path();
    // What was there when this user last quit: read off the UI task. The
    // demo feed is new every run: nothing of it was seen before.
    if !demo && let Some(state_file) = state_file.clone() {
        let history = config.history.clone();
        let feed = crate::history::feed_key(&url).unwrap_or_default();
        let alert_tx = alert_tx.clone();
        tokio::task::spawn_blocking(move || {
            if let Some(seen) = seen_at_last_quit(&state_file, &history, &feed) {
                let _ = alert_tx.send(Msg::SeenAtLastQuit(seen));
            }
        });
    }
    let outside = Outside {
        tmux: notify::inside_tmux(),
        command: config.notify.command.clone(),
        command_timeout: config.notify.command_timeout.0,
        lang: app.display.lang,
        compare_tx: Outside::spawn_comparer(alert_tx.clone()),
        alert_tx,
    };
    let view_path = view_path(&app);
    let last_view = restore_view(&mut app, view_path.clone()).await;
    let mut events = Events::new(polling.events)?.with_history(polling.history_events);
    let acks = crate::ack::Worker::new(config.history.clone(), events.app_sender());
    let trends = Trends::spawn(&config, &url, demo, events.app_sender());
    let mut session = Session {
        acks,
        config,
        poller: polling.poller,
        history: polling.history,
        saver: ViewSaver::spawn(),
        view_path,
        last_view,
        trends,
        outside,
        alerts,
    };
    let mut terminal = tui::init(session.config.ui.mouse, app.display.ascii, log_path)?;
    let result = event_loop(&mut app, &mut terminal, &mut events, &mut session).await;
    tui::restore();
    if let Some(path) = state_file
        && let Err(error) = write_last_quit(&path, Utc::now())
    {
        tracing::warn!(path = %path.display(), %error, "cannot keep the time of this quit");
    }
    session.poller.abort();
    session.history.abort();
    // Written on quit whatever the debounce holds.
    if let Some(path) = session.view_path.clone() {
        session.saver.changed(path, ViewState::of(&app));
    }
    session.saver.finish().await;
    if let Some(server) = demo_server {
        server.task.abort();
    }
    result.map(|()| ExitCode::SUCCESS)
}

/// What the screen shows and where its header is: a change to the header
/// alone (the age tick, a 304) is drawn over it by hand, not by rendering
/// and diffing the whole screen again (12,000 cells at 200x60, every second).
pub struct LastFrame {
    /// The screen: the last full frame, with the headers drawn since.
    buffer: Buffer,
    header: Rect,
    /// The header's totals lines of the last full frame (a tick or a 304
    /// leaves them as they are, but for the NEW count).
    totals: Vec<Line<'static>>,
    /// The findings marked NEW on the last full frame: the one part of the
    /// screen besides the header that the clock changes, as marks run out.
    new_count: usize,
    /// A header was drawn by hand since the last full frame: ratatui, which
    /// only writes what changed since its own last frame, does not know it.
    header_by_hand: bool,
}

/// Renders the whole view and keeps it for [`draw_header`].
pub fn draw_all<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &App,
    last: &mut Option<LastFrame>,
) -> Result<(), B::Error> {
    let before = last.take();
    let mut drawn = None;
    terminal.draw(|frame| {
        ui::view(app, frame);
        drawn = Some(frame.buffer_mut().clone());
    })?;
    let Some(drawn) = drawn else {
        return Ok(());
    };
    // ratatui wrote what differs from its own last frame; where a header
    // drawn by hand since is on screen, what differs from that goes too.
    if let Some(before) = before.filter(|b| b.header_by_hand && b.buffer.area == drawn.area) {
        let (on_screen, now) = (
            rows_of(&before.buffer, before.header),
            rows_of(&drawn, before.header),
        );
        let changes = on_screen.diff(&now);
        if !changes.is_empty() {
            let backend = terminal.backend_mut();
            backend.draw(changes.into_iter())?;
            backend.flush()?;
        }
    }
    let area = drawn.area;
    let totals = ui::header_totals(app, area);
    *last = ui::header_lines(app, area, Some(totals.clone())).map(|(header, _)| LastFrame {
        buffer: drawn,
        header,
        totals,
        new_count: app.new_findings.count(app.now),
        header_by_hand: false,
    });
    Ok(())
}

/// The cells of `buffer` in the rows of `area`, the whole width.
fn rows_of(buffer: &Buffer, area: Rect) -> Buffer {
    let rows = Rect::new(buffer.area.x, area.y, buffer.area.width, area.height);
    let mut out = Buffer::empty(rows);
    let (start, end) = (
        buffer.index_of(rows.x, rows.y),
        buffer.index_of(rows.x, rows.bottom() - 1) + usize::from(rows.width),
    );
    out.content.clone_from_slice(&buffer.content[start..end]);
    out
}

/// Draws what only the header shows: the header by hand over the screen,
/// or everything when the header moved, a NEW mark ran out or there is no
/// last frame. A new screen size comes as a resize event, which draws
/// everything.
pub fn draw_header<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &App,
    last: &mut Option<LastFrame>,
) -> Result<(), B::Error> {
    let Some(shown) = last
        .as_mut()
        .filter(|shown| shown.new_count == app.new_findings.count(app.now))
    else {
        return draw_all(terminal, app, last);
    };
    let area = shown.buffer.area;
    debug_assert_eq!(
        shown.totals,
        ui::header_totals(app, area),
        "the totals changed without a full frame"
    );
    // The header's words are worked out once: for where it goes, then drawn.
    let header = ui::header_lines(app, area, Some(shown.totals.clone()));
    let Some((header, lines)) = header.filter(|(header, _)| *header == shown.header) else {
        return draw_all(terminal, app, last);
    };
    // The header takes whole rows.
    let mut drawn = Buffer::empty(header);
    ui::view_header(app, &mut drawn, lines);
    let changes = rows_of(&shown.buffer, header).diff(&drawn);
    if !changes.is_empty() {
        let backend = terminal.backend_mut();
        backend.draw(changes.into_iter())?;
        backend.flush()?;
    }
    let start = shown.buffer.index_of(area.x, header.y);
    shown.buffer.content[start..start + drawn.content.len()].clone_from_slice(&drawn.content);
    shown.header_by_hand = true;
    Ok(())
}

/// Erases the terminal and makes the next draw write every cell. Not
/// `Terminal::clear`: that asks the terminal where its cursor is, and the
/// answer would go to the input thread, not to ratatui.
fn clear_screen<B: Backend>(terminal: &mut Terminal<B>) -> Result<(), B::Error> {
    terminal
        .backend_mut()
        .clear_region(ratatui::backend::ClearType::All)?;
    // ratatui still holds the frame that was on screen: a blank frame
    // drawn over the erased screen makes every cell of the next a change.
    terminal.draw(|frame| frame.render_widget(ratatui::widgets::Clear, frame.area()))?;
    Ok(())
}

/// The file that keeps when this user last quit the dashboard:
/// `$XDG_STATE_HOME/rollout-dash/last-quit`.
pub fn last_quit_path() -> Option<PathBuf> {
    crate::config::xdg_dir("XDG_STATE_HOME", ".local/state").map(|dir| dir.join("last-quit"))
}

/// Keeps `at` (RFC 3339) in `path`, atomically: written beside it, then
/// renamed over it, so a crash mid-write leaves the old time, not half a one.
pub fn write_last_quit(path: &Path, at: DateTime<Utc>) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = path.with_extension(format!("{}.partial", std::process::id()));
    std::fs::write(&partial, format!("{}\n", at.to_rfc3339()))?;
    std::fs::rename(&partial, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}

/// When this user last quit, from `path`; `None` when it was never written
/// or cannot be read.
pub fn read_last_quit(path: &Path) -> Option<DateTime<Utc>> {
    let text = crate::config::read_regular_file(path, 1024).ok()?.bytes;
    let text = String::from_utf8(text).ok()?;
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The findings of `feed` there were when this user last quit, by the
/// history; `None` without a quit time or a recorded snapshot at it (then
/// nothing is NEW at start). Blocks: run it off the UI task.
pub fn seen_at_last_quit(
    state_file: &Path,
    history: &crate::config::HistoryConfig,
    feed: &str,
) -> Option<HashSet<FindingId>> {
    let quit = read_last_quit(state_file)?;
    let result = History::open_read_only(history, feed).and_then(|mut h| h.finding_keys_at(quit));
    match result {
        Ok(seen) => seen.map(|keys| keys.iter().map(|key| key.id()).collect()),
        Err(error) => {
            tracing::info!(%error, "no NEW marks from the history at start");
            None
        }
    }
}

/// What the dashboard does outside the frame: sequences for the terminal
/// and the notify command.
struct Outside {
    /// Sequences are wrapped for tmux.
    tmux: bool,
    /// `notify.command`.
    command: Option<String>,
    /// `notify.command_timeout`.
    command_timeout: std::time::Duration,
    /// The language a failed command is told in.
    lang: crate::i18n::Lang,
    /// Where a failed command says so.
    alert_tx: mpsc::UnboundedSender<Msg>,
    /// Live snapshots to compare, in order, on a thread of their own.
    compare_tx: std::sync::mpsc::Sender<ToCompare>,
}

impl Outside {
    /// Starts the thread that compares each live snapshot with the one
    /// before it (a key per finding: tens of thousands at national scale)
    /// and sends the result back as a message.
    fn spawn_comparer(alert_tx: mpsc::UnboundedSender<Msg>) -> std::sync::mpsc::Sender<ToCompare> {
        let (compare_tx, snapshots) = std::sync::mpsc::channel::<ToCompare>();
        let spawned = std::thread::Builder::new()
            .name("finding-comparer".into())
            .spawn(move || {
                let mut comparer = Comparer::default();
                for snapshot in snapshots {
                    let compared = comparer.compare(snapshot);
                    if alert_tx.send(Msg::Compared(compared)).is_err() {
                        break;
                    }
                }
            });
        if let Err(error) = spawned {
            tracing::warn!(%error, "no NEW marks or notifications: the comparer thread did not start");
        }
        compare_tx
    }

    /// Hands a live snapshot to the comparer.
    fn compare(&self, fresh: ToCompare) {
        let _ = self.compare_tx.send(fresh);
    }

    /// The bytes a notification writes to the terminal; starts its command.
    fn notify(&self, notification: Notification, out: &mut Vec<u8>) {
        out.extend(notification_bytes(&notification, self.tmux));
        if let (Some(command), Some(json)) = (self.command.clone(), notification.json) {
            let (limit, alert_tx) = (self.command_timeout, self.alert_tx.clone());
            let lang = self.lang;
            tokio::spawn(async move {
                if let Err(error) = notify::run_command(&command, json, limit).await {
                    tracing::warn!(%error, "the notify command failed");
                    let _ = alert_tx.send(Msg::NotifyFailed(error.text(lang)));
                }
            });
        }
    }
}

/// BEL, OSC 777 and OSC 9 for a notification, as it asks (wrapped for tmux).
pub fn notification_bytes(notification: &Notification, tmux: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if notification.bell {
        // tmux passes a plain BEL on to the terminal (and marks the window).
        out.extend_from_slice(notify::BEL);
    }
    if notification.desktop {
        out.extend(notify::for_terminal(
            notify::osc777(&notification.title, &notification.body),
            tmux,
        ));
        out.extend(notify::for_terminal(
            notify::osc9(&format!("{}: {}", notification.title, notification.body)),
            tmux,
        ));
    }
    out
}

async fn event_loop(
    app: &mut App,
    terminal: &mut tui::Term,
    events: &mut Events,
    session: &mut Session,
) -> color_eyre::Result<()> {
    let mut last = None;
    draw_all(terminal, app, &mut last)?;
    // For the end-to-end tests of the panic exit paths (in this task or in a
    // background one): nothing else panics on purpose.
    #[cfg(debug_assertions)]
    match std::env::var("ROLLOUT_DASH_TEST_PANIC").as_deref() {
        Ok("task") => {
            tokio::spawn(async {
                panic!("ROLLOUT_DASH_TEST_PANIC=task: a deliberate panic in a background task");
            });
        }
        Ok(_) => panic!("ROLLOUT_DASH_TEST_PANIC is set: a deliberate panic in the UI task"),
        Err(_) => {}
    }
    loop {
        let tick_at = next_tick(app, Utc::now());
        let mut event = tokio::select! {
            event = events.next(tick_at) => Some(event),
            Some(msg) = session.alerts.recv() => {
                // From the comparer, the start-up history read or a notify command.
                app.now = Utc::now();
                let before = (app.new_findings.generation(), app.notice.clone());
                let mut outward = Vec::new();
                if let Some(Command::Notify(notification)) = app::update(app, msg) {
                    session.outside.notify(notification, &mut outward);
                }
                // A comparison changes the marks (and maybe the status line).
                if (app.new_findings.generation(), app.notice.clone()) != before {
                    draw_all(terminal, app, &mut last)?;
                }
                tui::send_between_frames(&outward)?;
                continue;
            }
        };
        let mut dirty = false;
        // Whether something besides the header may have changed.
        let mut everything = false;
        // Sequences for the terminal, written after the frame.
        let mut outward = Vec::new();
        // Handle everything already waiting, then draw once.
        while let Some(current) = event {
            // A poll starting shows nothing; a frame for it would only show
            // the age a second on, just before the poll's answer resets it.
            let visible = !matches!(current, Event::Feed(FeedEvent::Polling));
            // Only the header shows the clock and the poll's status.
            let header_only = matches!(
                current,
                Event::Tick | Event::Feed(FeedEvent::Unchanged { .. })
            );
            let mut held = false;
            let msg = match current {
                Event::Terminal(TermEvent::Key(key)) => Msg::Key(key),
                Event::Terminal(TermEvent::Paste(text)) => Msg::Paste(text),
                Event::Terminal(TermEvent::Mouse(mouse))
                    if matches!(mouse.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) =>
                {
                    // Motion shows nothing; it must not cost a frame.
                    event = events.ready();
                    continue;
                }
                Event::Terminal(TermEvent::Mouse(mouse)) => match mouse.kind {
                    MouseEventKind::Down(MouseButton::Left) => {
                        let size = terminal.size()?;
                        let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
                        match ui::hit_test(app, area, mouse.column, mouse.row) {
                            Some((pane, row)) => Msg::Click { pane, row },
                            None => {
                                event = events.ready();
                                continue;
                            }
                        }
                    }
                    _ => Msg::Mouse(mouse),
                },
                Event::Terminal(TermEvent::Resize(..)) => {
                    terminal.autoresize()?;
                    Msg::Resize
                }
                Event::Terminal(_) => {
                    event = events.ready();
                    continue;
                }
                // While findings are acknowledged, a new snapshot waits for
                // its acknowledged rows to be worked out (off this task).
                Event::Feed(report @ FeedEvent::Fresh { .. }) if !app.triage.acks.is_empty() => {
                    session.acks.hold_fresh(report, app.triage.acks.clone());
                    event = events.ready();
                    continue;
                }
                Event::Feed(report) => Msg::Feed(report),
                Event::History(report) => Msg::History(report),
                Event::App(msg) => {
                    // A snapshot held by `hold_fresh` comes with its acknowledgements.
                    held = true;
                    msg
                }
                Event::Tick => Msg::Tick(Utc::now()),
                Event::Quit(signal) => {
                    tracing::info!("quitting on {signal}");
                    return Ok(());
                }
                Event::Continued => {
                    // Stopped from outside (kill -STOP, or a shell's job
                    // control) and continued: the shell may have reset the
                    // terminal, so take it back and repaint everything.
                    tui::resume(terminal)?;
                    event = events.ready();
                    continue;
                }
                Event::InputClosed => {
                    tracing::info!("terminal input closed; quitting");
                    return Ok(());
                }
            };
            app.now = Utc::now();
            // A new snapshot replaces the one on screen, whose last holder
            // is the app: hundreds of thousands of findings are freed on
            // the blocking pool, not between two keys.
            // (With a past snapshot on screen, the one let go may be the
            // live one kept behind it.)
            let retired = matches!(
                msg,
                Msg::Feed(FeedEvent::Fresh { .. }) | Msg::History(HistoryEvent::Past(_))
            )
            .then(|| (app.current.clone(), app.history.live.clone()));
            let new_snapshot = matches!(
                msg,
                Msg::Feed(FeedEvent::Fresh { .. } | FeedEvent::Cached(_))
            );
            // After each poll, the acknowledgements are read again: other
            // processes on the same file may have written some.
            // So is a past snapshot's (or the live one's, back from the past).
            let reread = (!held && matches!(msg, Msg::Feed(FeedEvent::Fresh { .. })))
                || matches!(
                    msg,
                    Msg::History(HistoryEvent::Past(_) | HistoryEvent::Live)
                );
            // Nothing new: read only if another process wrote since.
            let reread_if_written = !held && matches!(msg, Msg::Feed(FeedEvent::Unchanged { .. }));
            let by_user = !matches!(
                msg,
                Msg::Feed(_)
                    | Msg::History(_)
                    | Msg::Tick(_)
                    | Msg::Triage(_)
                    | Msg::Acked(_)
                    | Msg::Trend(_)
            );
            let marked_before = app.new_findings.marked();
            let tick = matches!(msg, Msg::Tick(_));
            let command = app::update(app, msg);
            // The live snapshot's trends and plan, worked out off this task
            // (kept behind a past one while `[` shows history).
            if new_snapshot && let Some(fresh) = app.history.live.as_ref().or(app.current.as_ref())
            {
                session.trends.send(fresh);
            }
            if let Some(retired) = retired {
                tokio::task::spawn_blocking(move || drop(retired));
            }
            match command {
                Some(Command::Poller(command)) => session.poller.send(command),
                Some(Command::History(command)) => session.history.send(command),
                Some(Command::Suspend) => {
                    tui::suspend(terminal)?;
                }
                Some(Command::Notify(notification)) => {
                    session.outside.notify(notification, &mut outward);
                }
                Some(Command::Compare(fresh)) => session.outside.compare(fresh),
                Some(Command::Copy(text)) => outward.extend(notify::for_terminal(
                    notify::osc52(&text),
                    session.outside.tmux,
                )),
                Some(Command::Redraw) => {
                    // Line noise may have written anywhere: every cell is
                    // written again.
                    clear_screen(terminal)?;
                    last = None;
                    everything = true;
                }
                Some(Command::SwitchFeed(name)) => {
                    if app.feed_name.as_deref() == Some(name.as_str()) {
                        app.notice = Some(format!("already on the feed {name}"));
                    } else {
                        match switch_feed(app, &session.config, &name) {
                            Ok(polling) => {
                                session.poller.abort();
                                session.history.abort();
                                session.acks.forget_held();
                                session.poller = polling.poller;
                                session.history = polling.history;
                                events.replace_feed(polling.events);
                                events.replace_history(polling.history_events);
                                // The new feed's history, not the old one's.
                                session.trends = Trends::spawn(
                                    &session.config,
                                    &app.feed_label,
                                    false,
                                    events.app_sender(),
                                );
                                session.view_path = view_path(app);
                                session.last_view =
                                    restore_view(app, session.view_path.clone()).await;
                                // Nothing of the old feed stays on the terminal.
                                clear_screen(terminal)?;
                                last = None;
                                everything = true;
                            }
                            Err(message) => app.notice = Some(message),
                        }
                    }
                }
                Some(command @ (Command::Ack { .. } | Command::Unack(_))) => {
                    session.acks.write(app, command);
                }
                Some(Command::RereadAcks) => session.acks.refresh(app),
                None => {}
            }
            if reread {
                session.acks.refresh(app);
            } else if reread_if_written {
                session.acks.refresh_if_written(app);
            }
            if by_user && let Some(path) = &session.view_path {
                let view = ViewState::of(app);
                if view != session.last_view {
                    session.saver.changed(path.clone(), view.clone());
                    session.last_view = view;
                }
            }
            if app.quit {
                return Ok(());
            }
            // A NEW mark ran out: its row changes, not only the header.
            let new_expired = tick && app.new_findings.marked() != marked_before;
            dirty |= visible;
            everything |= visible && (!header_only || new_expired);
            event = events.ready();
        }
        if everything {
            draw_all(terminal, app, &mut last)?;
        } else if dirty {
            draw_header(terminal, app, &mut last)?;
        }
        tui::send_between_frames(&outward)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dashboard_refuses_what_is_not_a_terminal_and_points_to_report() {
        assert_eq!(
            terminal_problem(true, true, Some("xterm-256color"), Lang::En),
            None
        );
        assert_eq!(terminal_problem(true, true, None, Lang::En), None);
        for (stdin, stdout, term, what) in [
            (true, false, Some("xterm"), "stdout is not a terminal"),
            (false, true, Some("xterm"), "stdin is not a terminal"),
            (true, true, Some("dumb"), "TERM=dumb"),
        ] {
            let message = terminal_problem(stdin, stdout, term, Lang::En).expect("refused");
            assert!(message.contains(what), "{message}");
            assert!(message.contains("rollout-dash report"), "{message}");
        }
    }

    #[test]
    fn the_tick_comes_just_after_each_second() {
        assert_eq!(tick_wait_ms(0, false), 1020);
        assert_eq!(tick_wait_ms(10, false), 1010);
        assert_eq!(tick_wait_ms(1010, false), 10);
        assert_eq!(tick_wait_ms(1020, false), 1000);
        assert_eq!(tick_wait_ms(4999, false), 21);
    }

    #[test]
    fn a_poll_under_way_holds_the_tick_back_for_its_answer() {
        // The poll of a 5 s interval starts on the fifth second.
        assert_eq!(tick_wait_ms(4999, true), 251);
        assert_eq!(tick_wait_ms(5001, true), 249);
        // No answer yet: the age goes on, a quarter of a second late.
        assert_eq!(tick_wait_ms(5250, true), 1000);
        assert_eq!(tick_wait_ms(0, true), 1250);
    }
}
