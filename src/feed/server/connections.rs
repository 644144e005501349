//! The feed server's connections: an accept loop that bounds how many are
//! open and how long one may sit idle or half-sent.
//!
//! axum's `serve` keeps a connection until the client closes it: 1,100 idle
//! clients under a 1,024-descriptor limit left no descriptor to accept a
//! new one, and every new request timed out. Here each connection has a
//! [`Phase`]: waiting for a request, reading a request head, or answering.
//! A connection waiting longer than [`ConnectionLimits::idle`], or reading a
//! head longer than [`ConnectionLimits::header_read`], is closed; a
//! connection still sending its last answer is not waiting while its
//! client takes bytes of it. At
//! [`ConnectionLimits::max_open`], a new connection is made room for by
//! closing the one that has waited longest: a fresh request is what a
//! dashboard needs answered, and an idle socket is the cheapest thing to
//! lose (its client reconnects on its next poll). Only when every open
//! connection is answering a request is the new one refused, at once.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use hyper::body::{Body as HttpBody, Bytes, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::{Id, JoinSet};
use tokio::time::{Instant, Sleep};

use super::file_body::FileBody;
use super::{Feed, Reply};

/// How long a connection may wait or send a request head, and how many may
/// be open at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// From the first byte of a request to the end of its head: a client
    /// that sends part of a request and stalls is closed after this.
    pub header_read: Duration,
    /// How long a connection may wait for its next request (or its first)
    /// before it is closed.
    pub idle: Duration,
    /// Connections open at most (at least one); see the module
    /// documentation for what happens to one more.
    pub max_open: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read: Duration::from_secs(10),
            // Well above the dashboard's 5 s poll, so a polling dashboard
            // keeps its connection.
            idle: Duration::from_secs(60),
            max_open: default_max_open(),
        }
    }
}

/// Half the process's descriptor limit, between 16 and 4,096: the other
/// half is for the data file, the log and, in the demo, the dashboard.
fn default_max_open() -> usize {
    (descriptor_limit().unwrap_or(1024) / 2).clamp(16, 4096)
}

#[cfg(unix)]
fn descriptor_limit() -> Option<usize> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes into the struct passed, which we own.
    let read = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    read.then(|| usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX))
}

#[cfg(not(unix))]
fn descriptor_limit() -> Option<usize> {
    None
}

/// Where a connection stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// No byte of the next request yet (a new or a kept-alive connection), since then.
    Waiting(Instant),
    /// Part of a request head has arrived, since then.
    ReadingHead(Instant),
    /// A request is being answered, until its response body is handed over.
    Answering,
}

impl Phase {
    /// When the connection is to be closed if nothing changes.
    fn deadline(self, limits: &ConnectionLimits) -> Option<Instant> {
        match self {
            Phase::Waiting(since) => Some(since + limits.idle),
            Phase::ReadingHead(since) => Some(since + limits.header_read),
            Phase::Answering => None,
        }
    }

    /// Since when the connection has been waiting or reading a head; `None`
    /// while it answers (closing it would cut a response).
    fn waiting_since(self) -> Option<Instant> {
        match self {
            Phase::Waiting(since) | Phase::ReadingHead(since) => Some(since),
            Phase::Answering => None,
        }
    }
}

/// A connection's phase, moved on by its socket (bytes arriving) and its
/// service (a request handed over, its body done), all within the
/// connection's own task, which reads it after each poll (the deadline);
/// the accept loop reads it too (whom to close for room).
#[derive(Debug)]
struct Activity(Mutex<Phase>);

impl Activity {
    fn new() -> Arc<Activity> {
        Arc::new(Activity(Mutex::new(Phase::Waiting(Instant::now()))))
    }

    fn phase(&self) -> Phase {
        *self.lock()
    }

    /// Bytes came in; while waiting, they begin a request head.
    fn bytes_arrived(&self) {
        let mut phase = self.lock();
        if let Phase::Waiting(_) = *phase {
            *phase = Phase::ReadingHead(Instant::now());
        }
    }

    fn answering(&self) {
        *self.lock() = Phase::Answering;
    }

    fn answered(&self) {
        *self.lock() = Phase::Waiting(Instant::now());
    }

    /// The client took bytes of an answer. hyper takes a response body
    /// (one piece) before it has written it out: a client still taking
    /// the bytes of a large body slowly is not idle, and a client that
    /// stopped taking them is idle from then.
    fn bytes_sent(&self) {
        let mut phase = self.lock();
        if let Phase::Waiting(_) = *phase {
            *phase = Phase::Waiting(Instant::now());
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Phase> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Serves `feed` on `listener` within `limits` until `stop` resolves;
/// then stops accepting, lets requests in flight finish, closes the rest
/// and returns when every connection has ended.
pub(super) async fn serve(
    listener: TcpListener,
    feed: Feed,
    limits: ConnectionLimits,
    stop: impl Future<Output = ()>,
) {
    let mut open: HashMap<Id, Open> = HashMap::new();
    let mut tasks = JoinSet::new();
    let mut stop = pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            Some(ended) = tasks.join_next_with_id() => {
                let id = match ended {
                    Ok((id, ())) => id,
                    Err(e) => e.id(),
                };
                open.remove(&id);
            }
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        accept_failed(&e, &mut open).await;
                        continue;
                    }
                };
                if open.len() >= limits.max_open.max(1) && !make_room(&mut open) {
                    tracing::warn!(
                        open = open.len(),
                        "every connection is answering a request; refusing a new one"
                    );
                    continue;
                }
                let activity = Activity::new();
                let (close, closed) = oneshot::channel();
                let task = tasks.spawn(serve_connection(
                    stream,
                    feed.clone(),
                    limits,
                    Arc::clone(&activity),
                    closed,
                ));
                open.insert(task.id(), Open { activity, close });
            }
        }
    }
    drop(listener);
    for (_, connection) in open.drain() {
        let _ = connection.close.send(());
    }
    while tasks.join_next().await.is_some() {}
}

/// The accept loop's handle on an open connection.
struct Open {
    activity: Arc<Activity>,
    /// Asks the connection to close once it is not answering.
    close: oneshot::Sender<()>,
}

/// Closes the connection that has waited longest, if one is not answering;
/// `false` when every one is.
fn make_room(open: &mut HashMap<Id, Open>) -> bool {
    let Some(id) = longest_waiting(open.iter().map(|(id, c)| (*id, c.activity.phase()))) else {
        return false;
    };
    if let Some(connection) = open.remove(&id) {
        tracing::debug!("connection cap reached; closing the connection that waited longest");
        let _ = connection.close.send(());
    }
    true
}

/// Of these connections, the one waiting (or reading a head) since the
/// earliest moment.
fn longest_waiting<K>(phases: impl Iterator<Item = (K, Phase)>) -> Option<K> {
    phases
        .filter_map(|(key, phase)| Some((phase.waiting_since()?, key)))
        .min_by_key(|(since, _)| *since)
        .map(|(_, key)| key)
}

/// A failed accept: a client that went away is nothing; out of descriptors,
/// the longest-waiting connection makes room, and the loop pauses briefly
/// rather than spin on an error that repeats.
async fn accept_failed(error: &io::Error, open: &mut HashMap<Id, Open>) {
    if matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
    ) {
        return;
    }
    tracing::error!(error = %error, "cannot accept a connection");
    if matches!(error.raw_os_error(), Some(libc::EMFILE | libc::ENFILE)) {
        make_room(open);
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
}

/// Serves one connection until the client closes it, its deadline passes or
/// the accept loop asks it to close.
///
/// A connection past its deadline is dropped at once: it is not answering,
/// and its last answer went out long ago. Asked to close, a connection
/// answering a request finishes that answer first; one holding part of a
/// request head is dropped at once (hyper's graceful close would wait for
/// the rest of that head).
async fn serve_connection(
    stream: TcpStream,
    feed: Feed,
    limits: ConnectionLimits,
    activity: Arc<Activity>,
    mut close: oneshot::Receiver<()>,
) {
    let body_file = Arc::new(BodyFile::default());
    let io = TokioIo::new(Watched {
        stream,
        activity: Arc::clone(&activity),
        body_file: Arc::clone(&body_file),
    });
    let service = Answer {
        feed,
        activity: Arc::clone(&activity),
        body_file,
    };
    // hyper's own header timer also runs while a connection waits, which
    // would make it an idle timeout; both are kept here instead.
    let connection = http1::Builder::new()
        .header_read_timeout(None)
        .serve_connection(io, service);
    let mut connection = pin!(connection);
    let mut timer = Timer::new(activity.phase().deadline(&limits));
    let mut closing = false;
    let outcome = std::future::poll_fn(|cx| {
        loop {
            // The connection first: bytes already in the socket count
            // before a deadline is judged.
            if let Poll::Ready(ended) = connection.as_mut().poll(cx) {
                return Poll::Ready(ended.err());
            }
            if !closing && Pin::new(&mut close).poll(cx).is_ready() {
                if matches!(activity.phase(), Phase::ReadingHead(_)) {
                    return Poll::Ready(None);
                }
                // Closes a waiting connection at once, an answering one
                // once its answer is written: hyper acts on it when polled.
                connection.as_mut().graceful_shutdown();
                closing = true;
                continue;
            }
            // The phase as that poll left it.
            let deadline = activity.phase().deadline(&limits);
            ready!(timer.poll_passed(cx, deadline));
            tracing::debug!(phase = ?activity.phase(), "closing a feed connection that waited too long");
            return Poll::Ready(None);
        }
    })
    .await;
    if let Some(e) = outcome {
        tracing::debug!(error = %e, "a feed connection ended with an error");
    }
}

/// A connection's timer: armed no later than its deadline, and moved only
/// when the deadline comes earlier than it. A connection answering request
/// after request then leaves the timer alone (its deadline only moves
/// later); when the timer goes off before the deadline of that moment, it
/// is set again to that deadline.
struct Timer {
    sleep: Pin<Box<Sleep>>,
    armed: Option<Instant>,
}

impl Timer {
    fn new(deadline: Option<Instant>) -> Timer {
        Timer {
            // A sleep is made armed; without a deadline it is never polled.
            sleep: Box::pin(tokio::time::sleep_until(
                deadline.unwrap_or_else(Instant::now),
            )),
            armed: deadline,
        }
    }

    /// Ready once `deadline` has passed; never without a deadline.
    fn poll_passed(&mut self, cx: &mut Context<'_>, deadline: Option<Instant>) -> Poll<()> {
        let Some(deadline) = deadline else {
            return Poll::Pending;
        };
        loop {
            if self.armed.is_none_or(|at| deadline < at) {
                self.sleep.as_mut().reset(deadline);
                self.armed = Some(deadline);
            }
            ready!(self.sleep.as_mut().poll(cx));
            if Instant::now() >= deadline {
                return Poll::Ready(());
            }
            // It went off at an earlier deadline, since moved on.
            self.sleep.as_mut().reset(deadline);
            self.armed = Some(deadline);
        }
    }
}

/// The socket, telling the connection's [`Activity`] when bytes arrive,
/// and sending the body of the latest answer from its file when it can.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
    body_file: Arc<BodyFile>,
}

/// The in-memory file of the latest answer's body, if it has one: set by
/// [`Answer`], read by [`Watched`] (both in the connection's task).
#[derive(Default)]
struct BodyFile(Mutex<Weak<FileBody>>);

impl BodyFile {
    fn set(&self, file: Weak<FileBody>) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = file;
    }

    /// The file, while the body it holds is still to be written.
    fn get(&self) -> Option<Arc<FileBody>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .upgrade()
    }
}

impl Watched {
    /// Tells the activity when bytes went out.
    fn sent(&self, written: &Poll<io::Result<usize>>) {
        if let Poll::Ready(Ok(1..)) = written {
            self.activity.bytes_sent();
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.bytes_arrived();
        }
        polled
    }
}

// Every method is passed on, vectored writes included: without them hyper
// would copy each body into its own buffer instead of writing it from the
// shared version. A vectored write holding the answer's body sends that
// part from the body's in-memory file (see `file_body`).
impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.sent(&written);
        written
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        #[cfg(target_os = "linux")]
        if let Some(body) = self.body_file.get() {
            let written = super::file_body::poll_write_vectored(&mut self.stream, cx, bufs, &body);
            self.sent(&written);
            return written;
        }
        let written = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.sent(&written);
        written
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// The feed, marking the connection as answering from the moment a
/// request is handed over until its response body is done. Answering is
/// immediate (the versions are ready), so there is no boxed future.
#[derive(Clone)]
struct Answer {
    feed: Feed,
    activity: Arc<Activity>,
    body_file: Arc<BodyFile>,
}

impl hyper::service::Service<Request<Incoming>> for Answer {
    type Response = Response<AnswerBody>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Response<AnswerBody>, Infallible>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        self.activity.answering();
        let answered = Answered(Arc::clone(&self.activity));
        let Reply {
            response,
            body_file,
        } = self.feed.answer(&request);
        self.body_file.set(body_file);
        std::future::ready(Ok(response.map(|body| AnswerBody {
            body,
            _answered: answered,
        })))
    }
}

/// Marks the connection as waiting again when dropped: hyper drops a
/// response body once it has written it (or the client went away).
struct Answered(Arc<Activity>);

impl Drop for Answered {
    fn drop(&mut self) {
        self.0.answered();
    }
}

/// A response body (one piece, or none) that ends the connection's
/// answering phase when done.
struct AnswerBody {
    body: Option<Bytes>,
    _answered: Answered,
}

impl HttpBody for AnswerBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.body.take().map(|body| Ok(Frame::data(body))))
    }

    fn is_end_stream(&self) -> bool {
        self.body.as_ref().is_none_or(Bytes::is_empty)
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.body.as_ref().map_or(0, |body| body.len() as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_waiting_connection_makes_room_and_answering_ones_never() {
        let start = Instant::now();
        let at = |seconds| start + Duration::from_secs(seconds);
        let phases = [
            ("answering", Phase::Answering),
            ("idle since 5", Phase::Waiting(at(5))),
            ("half-sent since 2", Phase::ReadingHead(at(2))),
            ("idle since 3", Phase::Waiting(at(3))),
        ];
        assert_eq!(
            longest_waiting(phases.into_iter()),
            Some("half-sent since 2")
        );
        assert_eq!(
            longest_waiting([("a", Phase::Answering), ("b", Phase::Answering)].into_iter()),
            None,
            "every connection answering: refuse rather than cut a response"
        );
    }

    #[test]
    fn deadlines_follow_the_phase() {
        let limits = ConnectionLimits {
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(60),
            max_open: 16,
        };
        let since = Instant::now();
        assert_eq!(
            Phase::Waiting(since).deadline(&limits),
            Some(since + limits.idle)
        );
        assert_eq!(
            Phase::ReadingHead(since).deadline(&limits),
            Some(since + limits.header_read)
        );
        assert_eq!(Phase::Answering.deadline(&limits), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_sending_its_answer_is_idle_only_from_its_last_byte() {
        let limits = ConnectionLimits::default();
        let activity = Activity::new();
        activity.answering();
        activity.answered();
        let handed_over = Instant::now();
        tokio::time::advance(limits.idle - Duration::from_secs(1)).await;
        // The client takes the last bytes of the body a minute later.
        activity.bytes_sent();
        let deadline = activity.phase().deadline(&limits);
        assert_eq!(deadline, Some(Instant::now() + limits.idle));
        assert!(deadline > Some(handed_over + limits.idle));
        // Bytes going out while a request head arrives or is answered
        // change nothing.
        activity.bytes_arrived();
        let reading = activity.phase();
        tokio::time::advance(Duration::from_secs(1)).await;
        activity.bytes_sent();
        assert_eq!(activity.phase(), reading);
        activity.answering();
        activity.bytes_sent();
        assert_eq!(activity.phase(), Phase::Answering);
    }

    #[test]
    fn the_default_cap_leaves_descriptors_over() {
        let cap = ConnectionLimits::default().max_open;
        assert!((16..=4096).contains(&cap), "{cap}");
        if let Some(limit) = descriptor_limit() {
            assert!(cap <= limit.max(32) / 2, "{cap} of {limit}");
        }
    }
}
