//! End to end navigation: the real binary in a pseudo-terminal, against
//! `rollout-dash serve` on 127.0.0.1: `:city 宁波` typed key by key (the
//! Chinese characters as the terminal sends them, UTF-8) lands in Ningbo.
//! The helpers are copied from tests/e2e_input.rs.

mod common;

use common::{BIN, Server};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

/// Generous: the machine is shared and the binary is a debug build.
const WAIT: Duration = Duration::from_secs(30);

/// The dashboard in a pseudo-terminal, with everything it wrote kept.
struct Dashboard {
    /// Kept open: dropping the master closes the terminal.
    _master: Option<Box<dyn MasterPty + Send>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Option<Box<dyn Write + Send>>,
    output: Arc<Mutex<Vec<u8>>>,
    reading: Arc<AtomicBool>,
    _reader: Option<std::thread::JoinHandle<()>>,
    _home: tempfile::TempDir,
}

impl Dashboard {
    fn start(args: &[&str], env: &[(&str, &str)]) -> Dashboard {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let home = tempfile::tempdir().unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("HOME", home.path());
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        cmd.env("XDG_CACHE_HOME", home.path().join("cache"));
        cmd.env("XDG_STATE_HOME", home.path().join("state"));
        for (key, value) in env {
            cmd.env(key, value);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let writer = pty.master.take_writer().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let reading = Arc::new(AtomicBool::new(true));
        // Read the master's own fd (no dup), with a timeout, so a test can
        // stop reading and then really close the terminal.
        let fd = pty.master.as_raw_fd().unwrap();
        let (sink, keep_reading) = (output.clone(), reading.clone());
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while keep_reading.load(Ordering::SeqCst) {
                let mut poll = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: poll and read on a valid fd with a local buffer.
                let ready = unsafe { libc::poll(&mut poll, 1, 50) };
                if ready <= 0 {
                    continue;
                }
                let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
                if n <= 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n as usize]);
            }
        });
        Dashboard {
            _master: Some(pty.master),
            child,
            writer: Some(writer),
            output,
            reading,
            _reader: Some(reader),
            _home: home,
        }
    }

    fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// The screen as a terminal would show it now.
    fn screen(&self) -> vt100::Parser {
        let mut parser = vt100::Parser::new(40, 120, 0);
        parser.process(&self.output());
        parser
    }

    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let contents = self.screen().screen().contents();
            if contents.contains(text) {
                return contents;
            }
            assert!(
                Instant::now() < deadline,
                "{text:?} never appeared; the screen was:\n{contents}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        let writer = self.writer.as_mut().expect("terminal open");
        writer.write_all(bytes).unwrap();
        writer.flush().unwrap();
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread collect the last bytes.
                std::thread::sleep(Duration::from_millis(200));
                return status;
            }
            assert!(Instant::now() < deadline, "the dashboard did not exit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Dashboard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        self.reading.store(false, Ordering::SeqCst);
    }
}

#[test]
fn typing_city_ningbo_in_chinese_lands_in_ningbo() {
    let server = Server::start(&[]);
    let mut dashboard = Dashboard::start(&["--feed", &server.url], &[]);
    dashboard.wait_for("Suzhou");
    dashboard.send(b":");
    for c in "city 宁波".chars() {
        dashboard.send(c.encode_utf8(&mut [0; 4]).as_bytes());
    }
    dashboard.wait_for(":city 宁波");
    dashboard.send(b"\r");
    let screen = dashboard.wait_for("funnel");
    // Ningbo's drill-down: its province, its stores (a Yinzhou 2S), and
    // none of Suzhou's.
    assert!(screen.contains("Ningbo"), "{screen}");
    assert!(screen.contains("Zhejiang"), "{screen}");
    assert!(screen.contains("Yinzhou"), "{screen}");
    assert!(!screen.contains("Suzhou"), "{screen}");
    // Esc goes back to the overview; :q quits.
    dashboard.send(b"\x1b");
    dashboard.wait_for("Store build-out");
    dashboard.send(b":q\r");
    assert!(dashboard.wait_exit().success());
}
