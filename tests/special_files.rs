//! Files named in the config that are not regular files: a FIFO would block
//! the read (or, for the log, the open) forever, a character device would be
//! read without end. Each must be refused promptly, naming the file and
//! what it is. The binary runs under a generous kill deadline: had it to be
//! killed, it hung, and the test fails (an outcome, not a timing).
#![cfg(unix)]

mod common;

use common::BIN;
use std::ffi::CString;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use rollout_dash::config::FeedConfig;
use rollout_dash::feed::cache;
use rollout_dash::feed::client::{FeedClient, Validators};
use rollout_dash::feed::demo::DEMO_FEED_JSON;

/// Far beyond what any of these runs needs on a loaded machine: reaching it
/// means the process hung.
const DEADLINE: Duration = Duration::from_secs(60);

/// The child's address space: a run that reads a device without end fails
/// with an allocation error instead of taking the shared machine's memory.
const MEMORY_LIMIT: libc::rlim_t = 2 << 30;

fn mkfifo(path: &Path) {
    let name = CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    let rc = unsafe { libc::mkfifo(name.as_ptr(), 0o600) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

/// What a finished run printed.
struct Run {
    code: Option<i32>,
    text: String,
}

/// Runs the binary with a clean environment under `home`, with pipes, and
/// kills it at [`DEADLINE`] (which fails the test).
fn run(args: &[&str], home: &Path) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_STATE_HOME", home.join("state"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: only setrlimit, which is async-signal-safe, runs in the child.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY_LIMIT,
                rlim_max: MEMORY_LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let readers = [
        drain(child.stdout.take().unwrap()),
        drain(child.stderr.take().unwrap()),
    ];
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("rollout-dash {args:?} hung and had to be killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = readers.map(|reader| reader.join().unwrap()).concat();
    Run {
        code: status.code(),
        text,
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Runs the dashboard in a pseudo-terminal (it is what a user runs it in),
/// killed at [`DEADLINE`] (which fails the test); returns its exit code and
/// everything it wrote to the terminal.
fn run_dashboard(args: &[&str], home: &Path) -> Run {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(BIN);
    cmd.args(args);
    cmd.env_clear();
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_CACHE_HOME", home.join("cache"));
    cmd.env("XDG_STATE_HOME", home.join("state"));
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let reader = drain(pty.master.try_clone_reader().unwrap());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("the dashboard {args:?} hung and had to be killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // The reader ends when the terminal closes.
    drop(pty.master);
    let text = reader.join().unwrap();
    Run {
        code: Some(status.exit_code() as i32),
        text,
    }
}

/// A config file in `home` that names `token_file`.
fn config_with_token_file(home: &Path, token_file: &Path) -> PathBuf {
    let config = home.join("token.toml");
    std::fs::write(
        &config,
        format!("[feed]\ntoken_file = {:?}\n", token_file.to_str().unwrap()),
    )
    .unwrap();
    config
}

fn report_with_token_file(home: &Path, token_file: &Path) -> Run {
    let config = config_with_token_file(home, token_file);
    run(
        &[
            "report",
            "--feed",
            "http://127.0.0.1:1",
            "--config",
            config.to_str().unwrap(),
        ],
        home,
    )
}

#[test]
fn a_fifo_token_file_is_refused_by_report() {
    let home = tempfile::tempdir().unwrap();
    let fifo = home.path().join("token.fifo");
    mkfifo(&fifo);
    let run = report_with_token_file(home.path(), &fifo);
    assert_eq!(run.code, Some(2), "{}", run.text);
    assert!(
        run.text.contains("token.fifo"),
        "names the file: {}",
        run.text
    );
    assert!(
        run.text.contains("is a FIFO, not a regular file"),
        "{}",
        run.text
    );
}

#[test]
fn a_character_device_token_file_is_refused_by_report() {
    let home = tempfile::tempdir().unwrap();
    for device in ["/dev/zero", "/dev/urandom"] {
        let run = report_with_token_file(home.path(), Path::new(device));
        assert_eq!(run.code, Some(2), "{device}: {}", run.text);
        assert!(run.text.contains(device), "names the file: {}", run.text);
        assert!(
            run.text
                .contains("is a character device, not a regular file"),
            "{device}: {}",
            run.text
        );
    }
}

#[test]
fn an_oversized_token_file_is_refused_by_report() {
    let home = tempfile::tempdir().unwrap();
    let token = home.path().join("token");
    std::fs::write(&token, "t".repeat(100 * 1024)).unwrap();
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = report_with_token_file(home.path(), &token);
    assert_eq!(run.code, Some(2), "{}", run.text);
    assert!(run.text.contains("token file"), "{}", run.text);
    assert!(run.text.contains("larger than 64 KiB"), "{}", run.text);
}

#[test]
fn a_fifo_token_file_is_refused_by_the_dashboard() {
    let home = tempfile::tempdir().unwrap();
    let fifo = home.path().join("token.fifo");
    mkfifo(&fifo);
    let config = config_with_token_file(home.path(), &fifo);
    // The feed is never reached: the token is read first.
    let run = run_dashboard(
        &[
            "--feed",
            "http://127.0.0.1:1",
            "--config",
            config.to_str().unwrap(),
        ],
        home.path(),
    );
    assert_eq!(run.code, Some(2), "{}", run.text);
    assert!(run.text.contains("token.fifo"), "{}", run.text);
    assert!(
        run.text.contains("is a FIFO, not a regular file"),
        "{}",
        run.text
    );
}

#[test]
fn a_fifo_log_file_is_refused_before_the_dashboard_starts() {
    let home = tempfile::tempdir().unwrap();
    let fifo = home.path().join("dash.log");
    mkfifo(&fifo);
    let config = home.path().join("log.toml");
    std::fs::write(
        &config,
        format!("[log]\nfile = {:?}\n", fifo.to_str().unwrap()),
    )
    .unwrap();
    let run = run_dashboard(
        &["--demo", "--config", config.to_str().unwrap()],
        home.path(),
    );
    assert_eq!(run.code, Some(2), "{}", run.text);
    assert!(run.text.contains("dash.log"), "{}", run.text);
    assert!(
        run.text.contains("is a FIFO, not a regular file"),
        "{}",
        run.text
    );
    // Refused before the terminal was taken: no alternate screen.
    assert!(!run.text.contains("\x1b[?1049h"), "{}", run.text);
}

#[test]
fn a_device_as_config_file_is_refused_not_read_without_end() {
    // A FIFO stays allowed for --config (`--config <(...)` is one), so the
    // config file is capped by size rather than by kind.
    let home = tempfile::tempdir().unwrap();
    let run = run(&["report", "--config", "/dev/zero"], home.path());
    assert_eq!(run.code, Some(2), "{}", run.text);
    assert!(run.text.contains("/dev/zero"), "{}", run.text);
    assert!(run.text.contains("larger than 1 MiB"), "{}", run.text);
}

#[test]
fn a_fifo_ca_file_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let fifo = home.path().join("corp-ca.pem");
    mkfifo(&fifo);
    let config = FeedConfig {
        ca_file: Some(fifo),
        ..FeedConfig::default()
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = FeedClient::new("https://feed.example", &config, None).map(drop);
        let _ = tx.send(result.map_err(|e| e.to_string()));
    });
    let message = match rx.recv_timeout(DEADLINE) {
        Ok(Ok(())) => panic!("a FIFO was taken as a CA file"),
        Ok(Err(message)) => message,
        Err(_) => panic!("reading feed.ca_file hung"),
    };
    assert!(message.contains("corp-ca.pem"), "{message}");
    assert!(
        message.contains("is a FIFO, not a regular file"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------
// The cache, read in-process; a hung read fails the test at the deadline.

const URL: &str = "http://feed.example/v1/snapshot";
const MAX_BODY: u64 = 1024 * 1024;

/// A real cache entry in `dir` for [`URL`]; returns the body's path.
fn stored_entry(dir: &Path) -> PathBuf {
    let path = cache::path_in(dir, URL);
    cache::store(
        &path,
        URL,
        DEMO_FEED_JSON.as_bytes(),
        Utc::now(),
        &Validators::default(),
    )
    .unwrap();
    path
}

/// `cache::load_from` on another thread; the error it gave, as text.
fn load_error(path: &Path, max_body: u64) -> String {
    let path = path.to_owned();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = cache::load_from(&path, URL, max_body).map(|entry| entry.is_some());
        let _ = tx.send(result.map_err(|e| e.to_string()));
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(Ok(found)) => panic!("the cache loaded (found: {found}) instead of being refused"),
        Ok(Err(message)) => message,
        Err(_) => panic!("reading the cache hung"),
    }
}

#[test]
fn a_fifo_cache_body_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let body = stored_entry(dir.path());
    std::fs::remove_file(&body).unwrap();
    mkfifo(&body);
    let message = load_error(&body, MAX_BODY);
    assert!(message.contains(body.to_str().unwrap()), "{message}");
    assert!(
        message.contains("is a FIFO, not a regular file"),
        "{message}"
    );
    // The poller's path ignores it (logged), rather than hanging or failing.
    assert!(cache::load_or_log(&body, URL, MAX_BODY).is_none());
}

#[test]
fn a_fifo_cache_sidecar_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let body = stored_entry(dir.path());
    let meta = cache::meta_path(&body);
    std::fs::remove_file(&meta).unwrap();
    mkfifo(&meta);
    let message = load_error(&body, MAX_BODY);
    assert!(message.contains(meta.to_str().unwrap()), "{message}");
    assert!(
        message.contains("is a FIFO, not a regular file"),
        "{message}"
    );
}

#[test]
fn a_device_as_cache_body_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let body = stored_entry(dir.path());
    std::fs::remove_file(&body).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &body).unwrap();
    let message = load_error(&body, MAX_BODY);
    assert!(message.contains(body.to_str().unwrap()), "{message}");
    assert!(
        message.contains("is a character device, not a regular file"),
        "{message}"
    );
}

#[test]
fn a_cache_body_over_the_body_cap_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let body = stored_entry(dir.path());
    let size = std::fs::metadata(&body).unwrap().len();
    // The same entry loads under a cap it fits in, and not under one it does not.
    assert!(cache::load_from(&body, URL, size).unwrap().is_some());
    let message = load_error(&body, 16 * 1024);
    assert!(message.contains(body.to_str().unwrap()), "{message}");
    assert!(message.contains("is larger than 16 KiB"), "{message}");
}
