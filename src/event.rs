//! One source of everything the dashboard waits for: keys and resizes,
//! poller reports, signals and the next visible second. It sleeps until one
//! of them happens; there is no polling loop.

use crossterm::event::{Event as TermEvent, EventStream};
use futures_util::StreamExt;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::feed::poller::FeedEvent;

/// What woke the dashboard.
#[derive(Debug)]
pub enum Event {
    /// A key, mouse or resize event from the terminal.
    Terminal(TermEvent),
    /// A report from the poller.
    Feed(FeedEvent),
    /// The tick the dashboard asked for (a visible age changes).
    Tick,
    /// SIGTERM, SIGHUP or SIGINT: quit and restore the terminal.
    Quit(&'static str),
    /// The process was stopped from outside and continued (SIGCONT).
    Continued,
    /// The terminal's input is gone (closed terminal): quit.
    InputClosed,
}

/// The merged event sources.
pub struct Events {
    input: EventStream,
    feed: mpsc::Receiver<FeedEvent>,
    terminate: Signal,
    hangup: Signal,
    interrupt: Signal,
    continued: Signal,
}

impl Events {
    /// Listens to the terminal, the poller and the quit signals.
    pub fn new(feed: mpsc::Receiver<FeedEvent>) -> std::io::Result<Self> {
        Ok(Events {
            input: EventStream::new(),
            feed,
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
            interrupt: signal(SignalKind::interrupt())?,
            // Not SIGTSTP: its default action must stay, so that Ctrl-Z's
            // raise stops the process (and is dropped where no shell could fg it).
            continued: signal(SignalKind::from_raw(libc::SIGCONT))?,
        })
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
            input = self.input.next() => match input {
                Some(Ok(event)) => Event::Terminal(event),
                // EOF or a read error: the terminal is gone; don't spin on it.
                Some(Err(_)) | None => Event::InputClosed,
            },
            Some(report) = self.feed.recv() => Event::Feed(report),
            _ = self.terminate.recv() => Event::Quit("SIGTERM"),
            _ = self.hangup.recv() => Event::Quit("SIGHUP"),
            _ = self.interrupt.recv() => Event::Quit("SIGINT"),
            _ = self.continued.recv() => Event::Continued,
            () = tick => Event::Tick,
        }
    }

    /// An event that is already waiting, without sleeping (to coalesce bursts
    /// such as resize storms into one frame). Polls with this task's waker:
    /// crossterm's stream keeps the first waker it is given.
    pub async fn ready(&mut self) -> Option<Event> {
        tokio::select! {
            biased;
            Some(report) = self.feed.recv() => Some(Event::Feed(report)),
            input = self.input.next() => Some(match input {
                Some(Ok(event)) => Event::Terminal(event),
                Some(Err(_)) | None => Event::InputClosed,
            }),
            () = std::future::ready(()) => None,
        }
    }
}
