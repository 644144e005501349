//! The dashboard in a real pseudo-terminal, for the end-to-end tests: it
//! spawns the binary with a clean environment and its own home, keeps
//! every byte it writes, and reads the screen through a terminal emulator.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

use super::BIN;

/// Generous: the machine is shared and the binary is a debug build.
pub const WAIT: Duration = Duration::from_secs(30);

/// The dashboard in a pseudo-terminal, with everything it wrote kept.
pub struct Dashboard {
    master: Option<Box<dyn MasterPty + Send>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Option<Box<dyn Write + Send>>,
    output: Arc<Mutex<Vec<u8>>>,
    reading: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// The home made for the run, when the test gave none.
    _home: Option<tempfile::TempDir>,
}

impl Dashboard {
    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Dashboard {
        let mut argv = vec![BIN];
        argv.extend_from_slice(args);
        Dashboard::start_with(&argv, env)
    }

    /// Runs `argv` (a program and its arguments) in the pseudo-terminal.
    pub fn start_with(argv: &[&str], env: &[(&str, &str)]) -> Dashboard {
        let home = tempfile::tempdir().unwrap();
        let mut dashboard = Dashboard::spawn(argv, home.path(), env);
        dashboard._home = Some(home);
        dashboard
    }

    /// Runs `argv` with HOME and the XDG directories (data included) under
    /// `home`, which the test keeps: other processes (`ack`, `record`) share
    /// its history.
    pub fn start_in(argv: &[&str], home: &Path, env: &[(&str, &str)]) -> Dashboard {
        let data = home.join("data");
        let mut with_data = vec![("XDG_DATA_HOME", data.to_str().unwrap())];
        with_data.extend_from_slice(env);
        Dashboard::spawn(argv, home, &with_data)
    }

    fn spawn(argv: &[&str], home: &Path, env: &[(&str, &str)]) -> Dashboard {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(argv[0]);
        cmd.args(&argv[1..]);
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        // Times show in the machine's zone otherwise; the tests expect UTC.
        cmd.env("TZ", "UTC");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_CACHE_HOME", home.join("cache"));
        cmd.env("XDG_STATE_HOME", home.join("state"));
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
            master: Some(pty.master),
            child,
            writer: Some(writer),
            output,
            reading,
            reader: Some(reader),
            _home: None,
        }
    }

    pub fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// The screen as a terminal would show it now.
    pub fn screen(&self) -> vt100::Parser {
        let mut parser = vt100::Parser::new(40, 120, 0);
        parser.process(&self.output());
        parser
    }

    pub fn wait_for(&self, text: &str) -> String {
        self.wait_for_all(&[text])
    }

    /// The screen's text now.
    pub fn screen_text(&self) -> String {
        self.screen().screen().contents()
    }

    /// Waits until the screen shows every one of `texts`; returns it.
    pub fn wait_for_all(&self, texts: &[&str]) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let screen = self.screen_text();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "{texts:?} never appeared; the screen was:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Quits with `q` and asserts a clean exit.
    pub fn quit(&mut self) {
        self.send(b"q");
        let status = self.wait_exit();
        assert!(status.success(), "{status:?}");
    }

    pub fn send(&mut self, bytes: &[u8]) {
        let writer = self.writer.as_mut().expect("terminal open");
        writer.write_all(bytes).unwrap();
        writer.flush().unwrap();
    }

    /// Closes the terminal, as a dropped SSH session does.
    pub fn hang_up(&mut self) {
        self.reading.store(false, Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        self.writer = None;
        self.master = None;
    }

    /// Whether the dashboard is still running.
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    pub fn signal(&self, signal: i32) {
        let pid = self.child.process_id().expect("child pid") as i32;
        // SAFETY: kill only sends a signal to our own child process.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The reader stops at the end of the output (the master
                // reads EIO once the child's side is closed): every byte
                // written before the exit is kept by then.
                while self.reader.as_ref().is_some_and(|r| !r.is_finished()) {
                    assert!(Instant::now() < deadline, "the output never ended");
                    std::thread::sleep(Duration::from_millis(10));
                }
                return status;
            }
            assert!(Instant::now() < deadline, "the dashboard did not exit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Asserts the terminal is as the shell left it: main screen, cooked
    /// mode with echo, cursor shown.
    pub fn assert_restored(&self) {
        let output = self.output();
        let entered = find_last(&output, b"\x1b[?1049h").expect("entered the alternate screen");
        let left = find_last(&output, b"\x1b[?1049l").expect("left the alternate screen");
        assert!(
            left > entered,
            "left the alternate screen after entering it"
        );
        let parser = self.screen();
        assert!(
            !parser.screen().alternate_screen(),
            "still on the alternate screen"
        );
        assert!(!parser.screen().hide_cursor(), "cursor still hidden");
        let fd = self
            .master
            .as_ref()
            .and_then(|m| m.as_raw_fd())
            .expect("pty fd");
        // SAFETY: tcgetattr fills a termios for a valid fd we own.
        let mut termios: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut termios) }, 0);
        assert_ne!(
            termios.c_lflag & libc::ICANON,
            0,
            "still in raw mode (no ICANON)"
        );
        assert_ne!(
            termios.c_lflag & libc::ECHO,
            0,
            "still in raw mode (no ECHO)"
        );
    }
}

impl Drop for Dashboard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        self.reading.store(false, Ordering::SeqCst);
    }
}

pub fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}
