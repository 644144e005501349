//! The live dashboard: wires the poller, the terminal, `update` and `view`.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use crossterm::event::{Event as TermEvent, MouseButton, MouseEventKind};
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::app::{self, App, Command, Display, Msg};
use crate::cli::DashboardArgs;
use crate::config::{Config, Theme};
use crate::event::{Event, Events};
use crate::feed::cache;
use crate::feed::client::FeedClient;
use crate::feed::poller::{self, PollerCommand, Schedule};
use crate::feed::server::{self, ServeOptions, Source};
use crate::{tui, ui};

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

/// Display options from the flag, the config, `NO_COLOR` and the locale.
pub fn display_options(args: &DashboardArgs, config: &Config) -> Display {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Display {
        ascii: args.ascii || config.ui.ascii.unwrap_or_else(|| !locale_is_utf8()),
        mono: no_color || config.ui.theme == Theme::Mono,
    }
}

/// When the header's visible age text changes next: the next whole second
/// after the last good snapshot (or the next try's countdown).
fn next_tick(app: &App, now: DateTime<Utc>) -> Option<Instant> {
    // Before any good snapshot, a failing feed still shows a countdown.
    let since = app
        .status
        .last_good_at
        .or_else(|| app.status.stale.as_ref().map(|s| s.next_try_at))?;
    let elapsed_ms = (now - since).num_milliseconds().max(0);
    let wait_ms = 1000 - (elapsed_ms % 1000);
    Some(Instant::now() + std::time::Duration::from_millis(wait_ms as u64))
}

/// Runs the dashboard until the user quits; returns the exit code.
pub async fn run(
    args: DashboardArgs,
    config: Config,
    log_path: Option<PathBuf>,
) -> color_eyre::Result<ExitCode> {
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
    // The demo is ours: the user's token is for their feed only.
    let token = if demo { Ok(None) } else { config.token() };
    let client = token
        .map_err(|e| e.to_string())
        .and_then(|token| FeedClient::new(&url, &config.feed, token).map_err(|e| e.to_string()));
    let client = match client {
        Ok(client) => client,
        Err(message) => {
            // Still before the terminal is taken: a plain line and exit code 2.
            eprintln!("rollout-dash: {message}");
            return Ok(ExitCode::from(crate::report::EXIT_USAGE));
        }
    };
    let label = if demo {
        format!("built-in demo feed ({url})")
    } else {
        url.clone()
    };

    let (feed_tx, feed_rx) = mpsc::channel(16);
    let (command_tx, command_rx) = mpsc::channel(16);
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
    let poller = poller::spawn(
        client,
        schedule,
        config.rules.clone(),
        feed_tx,
        command_rx,
        cache,
    );

    let mut app = App::new(label, demo, display_options(&args, &config), Utc::now());
    app.change_log_size = config.ui.change_log_size;
    let mut events = Events::new(feed_rx)?;
    let mut terminal = tui::init(config.ui.mouse, app.display.ascii, log_path)?;
    let result = event_loop(&mut app, &mut terminal, &mut events, &command_tx).await;
    tui::restore();
    poller.abort();
    if let Some(server) = demo_server {
        server.task.abort();
    }
    result.map(|()| ExitCode::SUCCESS)
}

async fn event_loop(
    app: &mut App,
    terminal: &mut tui::Term,
    events: &mut Events,
    commands: &mpsc::Sender<PollerCommand>,
) -> color_eyre::Result<()> {
    tui::draw(terminal, |frame| ui::view(app, frame))?;
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
        let mut event = Some(events.next(tick_at).await);
        let mut dirty = false;
        // Handle everything already waiting, then draw once.
        while let Some(current) = event {
            let msg = match current {
                Event::Terminal(TermEvent::Key(key)) => Msg::Key(key),
                Event::Terminal(TermEvent::Mouse(mouse))
                    if matches!(mouse.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) =>
                {
                    // Motion shows nothing; it must not cost a frame.
                    event = events.ready().await;
                    continue;
                }
                Event::Terminal(TermEvent::Mouse(mouse)) => match mouse.kind {
                    MouseEventKind::Down(MouseButton::Left) => {
                        let size = terminal.size()?;
                        let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
                        match ui::hit_test(app, area, mouse.column, mouse.row) {
                            Some((pane, row)) => Msg::Click { pane, row },
                            None => {
                                event = events.ready().await;
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
                    event = events.ready().await;
                    continue;
                }
                Event::Feed(report) => Msg::Feed(report),
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
                    event = events.ready().await;
                    continue;
                }
                Event::InputClosed => {
                    tracing::info!("terminal input closed; quitting");
                    return Ok(());
                }
            };
            app.now = Utc::now();
            match app::update(app, msg) {
                Some(Command::Poller(command)) => {
                    let _ = commands.try_send(command);
                }
                Some(Command::Suspend) => {
                    tui::suspend(terminal)?;
                }
                None => {}
            }
            if app.quit {
                return Ok(());
            }
            dirty = true;
            event = events.ready().await;
        }
        if dirty {
            tui::draw(terminal, |frame| ui::view(app, frame))?;
        }
    }
}
