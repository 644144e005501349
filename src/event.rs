//! One source of everything the dashboard waits for: keys and resizes,
//! poller reports, signals and the next visible second. It sleeps until one
//! of them happens; there is no polling loop.

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TryRecvError;
use tokio::time::Instant;

use crate::app::Msg;
use crate::worker::FeedEvent;
use crate::worker::history::HistoryEvent;

/// What woke the dashboard.
#[derive(Debug)]
pub enum Event {
    /// A key, mouse or resize event from the terminal.
    Terminal(TermEvent),
    /// A report from the poller.
    Feed(FeedEvent),
    /// A report from the history.
    History(HistoryEvent),
    /// The tick the dashboard asked for (a visible age changes).
    Tick,
    /// SIGTERM, SIGHUP or SIGINT: quit and restore the terminal.
    Quit(&'static str),
    /// The process was stopped from outside and continued (SIGCONT).
    Continued,
    /// The terminal's input is gone (closed terminal): quit.
    InputClosed,
    /// A message from a task of the dashboard's own (acknowledgements read
    /// or written on a blocking task).
    App(Msg),
}

/// The merged event sources.
pub struct Events {
    /// Terminal events from the input thread; `Err` (then closed) when the
    /// terminal is gone.
    input: mpsc::Receiver<std::io::Result<TermEvent>>,
    feed: mpsc::Receiver<FeedEvent>,
    /// The history's reports; never ready without one.
    history: Option<mpsc::Receiver<HistoryEvent>>,
    app: mpsc::UnboundedReceiver<Msg>,
    app_sender: mpsc::UnboundedSender<Msg>,
    terminate: Signal,
    hangup: Signal,
    interrupt: Signal,
    continued: Signal,
}

impl Events {
    /// Listens to the terminal, the poller and the quit signals.
    pub fn new(feed: mpsc::Receiver<FeedEvent>) -> std::io::Result<Self> {
        let (app_sender, app) = mpsc::unbounded_channel();
        Ok(Events {
            input: spawn_input()?,
            feed,
            history: None,
            app,
            app_sender,
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
            interrupt: signal(SignalKind::interrupt())?,
            // Not SIGTSTP: its default action must stay, so that Ctrl-Z's
            // raise stops the process (and is dropped where no shell could fg it).
            continued: signal(SignalKind::from_raw(libc::SIGCONT))?,
        })
    }

    /// Listens to the history's reports too.
    pub fn with_history(mut self, history: mpsc::Receiver<HistoryEvent>) -> Self {
        self.history = Some(history);
        self
    }

    /// Where the dashboard's own tasks send their messages.
    pub fn app_sender(&self) -> mpsc::UnboundedSender<Msg> {
        self.app_sender.clone()
    }

    /// Waits for the next event, or until `tick_at` if given.
    pub async fn next(&mut self, tick_at: Option<Instant>) -> Event {
        let tick = async {
            match tick_at {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            input = self.input.recv() => match input {
                Some(Ok(event)) => Event::Terminal(event),
                // EOF or a read error: the terminal is gone; don't spin on it.
                Some(Err(_)) | None => Event::InputClosed,
            },
            Some(report) = self.feed.recv() => Event::Feed(report),
            Some(report) = recv_history(&mut self.history) => Event::History(report),
            Some(msg) = self.app.recv() => Event::App(msg),
            _ = self.terminate.recv() => Event::Quit("SIGTERM"),
            _ = self.hangup.recv() => Event::Quit("SIGHUP"),
            _ = self.interrupt.recv() => Event::Quit("SIGINT"),
            _ = self.continued.recv() => Event::Continued,
            () = tick => Event::Tick,
        }
    }

    /// Takes the reports of another poller from now on (another feed): what
    /// the old one sent and was not handled yet is dropped with its channel.
    pub fn replace_feed(&mut self, feed: mpsc::Receiver<FeedEvent>) {
        self.feed = feed;
    }

    /// Takes the reports of another feed's history from now on.
    pub fn replace_history(&mut self, history: mpsc::Receiver<HistoryEvent>) {
        self.history = Some(history);
    }

    /// An event that is already waiting, without sleeping (to coalesce bursts
    /// such as resize storms into one frame).
    pub fn ready(&mut self) -> Option<Event> {
        if let Ok(report) = self.feed.try_recv() {
            return Some(Event::Feed(report));
        }
        if let Some(Ok(report)) = self.history.as_mut().map(mpsc::Receiver::try_recv) {
            return Some(Event::History(report));
        }
        if let Ok(msg) = self.app.try_recv() {
            return Some(Event::App(msg));
        }
        match self.input.try_recv() {
            Ok(Ok(event)) => Some(Event::Terminal(event)),
            Ok(Err(_)) | Err(TryRecvError::Disconnected) => Some(Event::InputClosed),
            Err(TryRecvError::Empty) => None,
        }
    }
}

/// The history's next report; pending forever without a history.
async fn recv_history(history: &mut Option<mpsc::Receiver<HistoryEvent>>) -> Option<HistoryEvent> {
    match history {
        Some(history) => history.recv().await,
        None => std::future::pending().await,
    }
}

/// Reads the terminal on a thread of its own, blocked in `read` until a key,
/// a mouse event or a resize comes, and hands each event to the dashboard.
///
/// Not crossterm's `EventStream`: its thread holds the input lock while it
/// waits, so every poll of the stream from the event loop spun on that lock
/// (14 `sched_yield`s per wake-up, one more context switch each on a busy
/// machine) before it could say "nothing yet".
fn spawn_input() -> std::io::Result<mpsc::Receiver<std::io::Result<TermEvent>>> {
    let (events, input) = mpsc::channel(64);
    std::thread::Builder::new()
        .name("terminal-input".into())
        .spawn(move || {
            loop {
                let event = crossterm::event::read();
                let gone = event.is_err();
                let (escape, event) = match event {
                    Ok(event) => {
                        let (escape, event) = split_escape(event);
                        (escape, Ok(event))
                    }
                    Err(error) => (None, Err(error)),
                };
                // The dashboard has quit, or the terminal is gone: stop.
                if escape.is_some_and(|esc| events.blocking_send(Ok(esc)).is_err())
                    || events.blocking_send(event).is_err()
                    || gone
                {
                    return;
                }
            }
        })?;
    Ok(input)
}

/// Esc followed at once by a key (in one read, as a laggy link or a fast
/// typist over SSH delivers them) reaches crossterm as that key with Alt.
/// No key of the dashboard is bound to Alt, so such a key is split back into
/// what was typed: an Esc, then the key without Alt.
pub fn split_escape(event: TermEvent) -> (Option<TermEvent>, TermEvent) {
    match event {
        TermEvent::Key(key) if key.modifiers.contains(KeyModifiers::ALT) => {
            let escape = KeyEvent {
                code: KeyCode::Esc,
                modifiers: KeyModifiers::NONE,
                kind: key.kind,
                state: key.state,
            };
            let key = KeyEvent {
                modifiers: key.modifiers - KeyModifiers::ALT,
                ..key
            };
            (Some(TermEvent::Key(escape)), TermEvent::Key(key))
        }
        event => (None, event),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> TermEvent {
        TermEvent::Key(KeyEvent::new(code, modifiers))
    }

    #[test]
    fn an_alt_key_is_esc_and_then_the_key() {
        let (escape, rest) = split_escape(key(KeyCode::Char('j'), KeyModifiers::ALT));
        assert_eq!(escape, Some(key(KeyCode::Esc, KeyModifiers::NONE)));
        assert_eq!(rest, key(KeyCode::Char('j'), KeyModifiers::NONE));
        let (escape, rest) = split_escape(key(
            KeyCode::Char('G'),
            KeyModifiers::ALT | KeyModifiers::SHIFT,
        ));
        assert_eq!(escape, Some(key(KeyCode::Esc, KeyModifiers::NONE)));
        assert_eq!(rest, key(KeyCode::Char('G'), KeyModifiers::SHIFT));
        let (escape, rest) = split_escape(key(KeyCode::Enter, KeyModifiers::ALT));
        assert!(escape.is_some());
        assert_eq!(rest, key(KeyCode::Enter, KeyModifiers::NONE));
    }

    #[test]
    fn other_events_pass_as_they_are() {
        for event in [
            key(KeyCode::Char('j'), KeyModifiers::NONE),
            key(KeyCode::Char('d'), KeyModifiers::CONTROL),
            key(KeyCode::Esc, KeyModifiers::NONE),
            TermEvent::Paste("a\nb".into()),
            TermEvent::Resize(80, 24),
        ] {
            assert_eq!(split_escape(event.clone()), (None, event));
        }
    }
}
