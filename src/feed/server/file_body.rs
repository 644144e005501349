//! Response bodies the socket takes from a file the kernel already holds,
//! with sendfile(2), instead of copying them out of our memory.
//!
//! A national-scale document gzipped is about 1.6 MB. Written from memory,
//! every full GET copies it into the socket's buffers: that copy was a
//! quarter of the server's CPU time under load (perf). nginx serving the
//! same file with `gzip_static` sends it with sendfile, which hands the
//! kernel the file's pages instead.
//!
//! hyper knows nothing of files: it writes a response as one vectored write
//! of its head and the body's `Bytes`. So a [`FileBody`] keeps its bytes
//! twice, in memory (what the `Bytes` show hyper) and in a sealed anonymous
//! in-memory file (memfd), and the connection's socket recognises a slice
//! of that memory among those it is asked to write, by address, and sends
//! it from the file at the same offset: the same bytes, one copy fewer.
//! The address is a safe test: the `Bytes` hyper holds keep the memory (and
//! the file) alive, so no other live memory can lie there.

use std::fs::File;
use std::io;
use std::sync::{Arc, Weak};

use hyper::body::Bytes;

/// A body in memory and in a sealed in-memory file with the same bytes.
#[derive(Debug)]
pub(crate) struct FileBody {
    memory: Box<[u8]>,
    // Sent from on Linux only; elsewhere no FileBody is ever made.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    file: File,
}

impl FileBody {
    /// `body` as `Bytes`, and a handle on its file when one could be made
    /// (on Linux; elsewhere, or when it fails, the body is sent from
    /// memory). The `Bytes` and their clones keep the file open; the handle
    /// does not, so a connection holding it keeps nothing alive.
    pub(crate) fn share(body: Vec<u8>) -> (Bytes, Weak<FileBody>) {
        match sealed_file_with(&body) {
            Ok(file) => {
                let shared = Arc::new(FileBody {
                    memory: body.into_boxed_slice(),
                    file,
                });
                let handle = Arc::downgrade(&shared);
                (Bytes::from_owner(Owner(shared)), handle)
            }
            Err(e) => {
                tracing::debug!(error = %e, "no in-memory file for a body; sending it from memory");
                (Bytes::from(body), Weak::new())
            }
        }
    }

    /// Where `slice` starts in this body, when it lies wholly inside it.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    fn offset_of(&self, slice: &[u8]) -> Option<usize> {
        let start = (slice.as_ptr() as usize).checked_sub(self.memory.as_ptr() as usize)?;
        (!slice.is_empty() && start + slice.len() <= self.memory.len()).then_some(start)
    }
}

/// What `Bytes::from_owner` holds: the body, shared.
struct Owner(Arc<FileBody>);

impl AsRef<[u8]> for Owner {
    fn as_ref(&self) -> &[u8] {
        &self.0.memory
    }
}

#[cfg(target_os = "linux")]
fn sealed_file_with(body: &[u8]) -> io::Result<File> {
    use std::io::Write as _;
    use std::os::fd::{AsRawFd as _, FromRawFd as _};

    // SAFETY: memfd_create takes a NUL-terminated name and flags; it
    // returns a new descriptor or -1.
    let fd = unsafe {
        libc::memfd_create(
            c"rollout-dash-body".as_ptr(),
            libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: fd is a new descriptor that nothing else owns.
    let mut file = unsafe { File::from_raw_fd(fd) };
    file.write_all(body)?;
    // Sealed, the file can never differ from the memory it mirrors.
    let seals = libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_WRITE | libc::F_SEAL_SEAL;
    // SAFETY: fcntl on a descriptor we own, with an integer argument.
    if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_ADD_SEALS, seals) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(file)
}

#[cfg(not(target_os = "linux"))]
fn sealed_file_with(_body: &[u8]) -> io::Result<File> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "in-memory files are Linux only",
    ))
}

#[cfg(target_os = "linux")]
pub(crate) use linux::poll_write_vectored;

#[cfg(target_os = "linux")]
mod linux {
    use std::io::{self, IoSlice};
    use std::os::fd::{AsRawFd as _, RawFd};
    use std::pin::Pin;
    use std::task::{Context, Poll, ready};

    use tokio::io::{AsyncWrite as _, Interest};
    use tokio::net::TcpStream;

    use super::FileBody;

    /// Writes `bufs` to `stream` as a vectored write would, except that a
    /// slice of `body`'s memory goes out from its file: the slices before
    /// it in one `sendmsg` (marked that more follows, so the head and the
    /// body's first bytes share packets), then the body's slice with
    /// `sendfile`. Returns how many bytes of `bufs` went out, as a write does.
    pub(crate) fn poll_write_vectored(
        stream: &mut TcpStream,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
        body: &FileBody,
    ) -> Poll<io::Result<usize>> {
        let Some((at, offset)) = bufs
            .iter()
            .enumerate()
            .find_map(|(at, slice)| Some((at, body.offset_of(slice)?)))
        else {
            return Pin::new(stream).poll_write_vectored(cx, bufs);
        };
        let (head, from_file) = (&bufs[..at], bufs[at].len());
        loop {
            ready!(stream.poll_write_ready(cx))?;
            let socket = stream.as_raw_fd();
            let sent = stream.try_io(Interest::WRITABLE, || {
                send_head_then_file(socket, head, body.file.as_raw_fd(), offset, from_file)
            });
            match sent {
                Ok(n) => return Poll::Ready(Ok(n)),
                // Readiness was cleared: wait for the socket again.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }

    fn send_head_then_file(
        socket: RawFd,
        head: &[IoSlice<'_>],
        file: RawFd,
        offset: usize,
        len: usize,
    ) -> io::Result<usize> {
        let head_len: usize = head.iter().map(|slice| slice.len()).sum();
        if head_len > 0 {
            let sent = send_more(socket, head)?;
            if sent < head_len {
                return Ok(sent);
            }
        }
        let mut at = libc::off_t::try_from(offset).map_err(io::Error::other)?;
        // SAFETY: both descriptors are open for the call; `at` is ours.
        let sent = unsafe { libc::sendfile(socket, file, &mut at, len) };
        match usize::try_from(sent) {
            Ok(sent) => Ok(head_len + sent),
            // The head went out: say so; the socket's error, or its being
            // full, shows again at the next write.
            Err(_) if head_len > 0 => Ok(head_len),
            Err(_) => Err(io::Error::last_os_error()),
        }
    }

    /// `sendmsg` of these slices with MSG_MORE: the kernel waits for the
    /// body rather than send the head in a packet of its own.
    fn send_more(socket: RawFd, slices: &[IoSlice<'_>]) -> io::Result<usize> {
        // SAFETY: a zeroed msghdr is valid (no name, no control data).
        let mut message: libc::msghdr = unsafe { std::mem::zeroed() };
        // IoSlice is ABI-compatible with iovec on Unix (std documents it).
        message.msg_iov = slices.as_ptr().cast_mut().cast();
        message.msg_iovlen = slices.len() as _;
        // SAFETY: the message points at `slices`, alive for the call, which
        // sendmsg only reads.
        let sent = unsafe { libc::sendmsg(socket, &message, libc::MSG_MORE | libc::MSG_NOSIGNAL) };
        usize::try_from(sent).map_err(|_| io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_of_the_body_are_found_by_address_and_others_are_not() {
        let (bytes, handle) = FileBody::share(b"0123456789".to_vec());
        let Some(body) = handle.upgrade() else {
            // No in-memory files here: bodies go out from memory.
            return;
        };
        assert_eq!(body.offset_of(&bytes), Some(0));
        assert_eq!(body.offset_of(&bytes.slice(3..7)), Some(3));
        assert_eq!(body.offset_of(&bytes.slice(9..)), Some(9));
        assert_eq!(body.offset_of(&bytes[5..5]), None, "empty");
        let copy = bytes.to_vec();
        assert_eq!(body.offset_of(&copy), None, "the same bytes elsewhere");
        drop(body);
        drop(bytes);
        assert!(handle.upgrade().is_none(), "the handle keeps nothing alive");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_file_holds_the_body_and_is_sealed() {
        use std::io::{Read as _, Seek as _, Write as _};
        let (bytes, handle) = FileBody::share(b"{\"cities\":[]}".to_vec());
        let body = handle.upgrade().expect("memfd on Linux");
        let mut file = &body.file;
        let mut read = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut read).unwrap();
        assert_eq!(read, &bytes[..]);
        assert!(file.write_all(b"x").is_err(), "sealed against writes");
    }

    /// hyper's way of writing a response (its head and the body's slice in
    /// one vectored write, again with what is left after each partial
    /// write) through small socket buffers: the body goes out from the file
    /// in many pieces, each from the right offset.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn a_body_sent_in_pieces_arrives_whole_after_its_head() {
        use std::io::IoSlice;
        use std::os::fd::AsRawFd as _;
        use tokio::io::AsyncReadExt as _;

        let body: Vec<u8> = (0..1_000_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
        let (bytes, handle) = FileBody::share(body.clone());
        let file = handle.upgrade().expect("memfd on Linux");

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = tokio::net::TcpSocket::new_v4().unwrap();
        client.set_recv_buffer_size(4096).unwrap();
        let mut client = client
            .connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        let small: libc::c_int = 4096;
        // SAFETY: setsockopt on an open socket with an int option it reads.
        let set = unsafe {
            libc::setsockopt(
                server.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_SNDBUF,
                (&raw const small).cast(),
                size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        assert_eq!(set, 0);

        let expected = head.len() + body.len();
        let reader = tokio::spawn(async move {
            let mut received = Vec::new();
            let mut piece = [0u8; 1024];
            while received.len() < expected {
                tokio::task::yield_now().await;
                let read = client.read(&mut piece).await.unwrap();
                assert!(read > 0, "closed early");
                received.extend_from_slice(&piece[..read]);
            }
            received
        });

        let (mut head_at, mut body_at, mut writes) = (0, 0, 0);
        while head_at < head.len() || body_at < bytes.len() {
            let slices = [
                IoSlice::new(&head.as_bytes()[head_at..]),
                IoSlice::new(&bytes[body_at..]),
            ];
            let slices: Vec<_> = slices.into_iter().filter(|s| !s.is_empty()).collect();
            let sent =
                std::future::poll_fn(|cx| poll_write_vectored(&mut server, cx, &slices, &file))
                    .await
                    .unwrap();
            assert!(sent > 0);
            writes += 1;
            let to_head = sent.min(head.len() - head_at);
            head_at += to_head;
            body_at += sent - to_head;
        }
        let received = reader.await.unwrap();
        assert!(writes > 1, "the socket took the body in pieces");
        assert_eq!(&received[..head.len()], head.as_bytes());
        assert!(
            received[head.len()..] == body[..],
            "the body, byte for byte"
        );
    }
}
