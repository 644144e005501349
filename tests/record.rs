//! `rollout-dash record`, `report --at` and `report --since` as real
//! binaries against `rollout-dash serve` on 127.0.0.1, on real SQLite files:
//! recording until a signal, two recorders on one file, the report as it
//! stood with the feed gone, and a history file that is corrupt, locked,
//! read-only or newer than this build.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use common::{BIN, Server};
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use serde_json::{Value, json};

/// A home directory for the binary: config, cache, state and data inside it.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The default history path under this home (`$XDG_DATA_HOME/rollout-dash/...`).
    fn db(&self) -> PathBuf {
        self.path().join("data/rollout-dash/history.sqlite3")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env_clear()
            // Times show in the machine's zone otherwise; the tests expect UTC.
            .env("TZ", "UTC")
            .env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_CACHE_HOME", self.path().join("cache"))
            .env("XDG_STATE_HOME", self.path().join("state"))
            .env("XDG_DATA_HOME", self.path().join("data"))
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn recorder(&self, url: &str) -> Recorder {
        Recorder::start(self.command(&["record", "--feed", url, "--interval", "0.2"]))
    }
}

/// A running `record`, its stderr collected as it comes.
struct Recorder {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Recorder {
    fn start(mut command: Command) -> Recorder {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("record starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let lines = BufReader::new(child.stderr.take().unwrap());
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in lines.lines().map_while(Result::ok) {
                let mut text = sink.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
        Recorder { child, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn signal(&mut self, signal: libc::c_int) -> Option<i32> {
        let pid = libc::pid_t::try_from(self.child.id()).unwrap();
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
        self.wait()
    }

    /// Waits for the exit (a deadline only so that a hang fails the test).
    fn wait(&mut self) -> Option<i32> {
        wait_until("record exits", || self.child.try_wait().unwrap().is_some());
        self.child.wait().unwrap().code()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `done` until it holds; fails after a minute (a hang, not a timing).
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "gave up waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A read-only look at the history file; `None` while it is not there yet.
fn query<T: rusqlite::types::FromSql>(db: &Path, sql: &str) -> Option<T> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok()?;
    conn.busy_timeout(Duration::from_secs(5)).ok()?;
    conn.query_row(sql, [], |row| row.get(0)).ok()
}

fn snapshots(db: &Path) -> i64 {
    query(db, "SELECT count(*) FROM snapshots").unwrap_or(0)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn report_json(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(output));
    let mut value: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    value.as_object_mut().unwrap().remove("feed");
    value
}

fn rfc3339_millis(millis: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(millis)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[test]
fn record_records_snapshots_and_exits_0_on_sigterm_and_on_sigint() {
    let server = Server::start(&["--simulate"]);
    let home = Home::new();
    let mut recorder = home.recorder(&server.url);
    wait_until("a snapshot is recorded", || snapshots(&home.db()) >= 1);
    assert_eq!(
        recorder.signal(libc::SIGTERM),
        Some(0),
        "{}",
        recorder.stderr()
    );
    let log = recorder.stderr();
    assert!(log.contains("recording"), "{log}");
    assert!(log.contains("recorded a new snapshot"), "{log}");
    assert!(log.contains("stopping on SIGTERM"), "{log}");

    // Ctrl-C, on a file that already holds history: it carries on from it.
    let before = snapshots(&home.db());
    let mut recorder = home.recorder(&server.url);
    wait_until("another snapshot is recorded", || {
        snapshots(&home.db()) > before
    });
    assert_eq!(
        recorder.signal(libc::SIGINT),
        Some(0),
        "{}",
        recorder.stderr()
    );
}

#[test]
fn two_recorders_on_one_file_write_each_snapshot_once() {
    let server = Server::start(&["--simulate"]);
    let home = Home::new();
    let mut first = home.recorder(&server.url);
    let mut second = home.recorder(&server.url);
    // Three simulated steps (one every 3 s), each polled by both.
    wait_until("four snapshots are recorded", || snapshots(&home.db()) >= 4);
    assert_eq!(first.signal(libc::SIGTERM), Some(0), "{}", first.stderr());
    assert_eq!(second.signal(libc::SIGTERM), Some(0), "{}", second.stderr());
    let db = home.db();
    let duplicates = |sql: &str| query::<i64>(&db, &format!("SELECT count(*) FROM ({sql})"));
    assert_eq!(
        duplicates(
            "SELECT 1 FROM snapshots GROUP BY feed, generated_at, content_hash HAVING count(*) > 1"
        ),
        Some(0),
        "a snapshot recorded twice"
    );
    assert_eq!(
        duplicates(
            "SELECT 1 FROM versions GROUP BY feed, kind, record, appeared_in HAVING count(*) > 1"
        ),
        Some(0),
        "a record version written twice"
    );
    assert_eq!(
        duplicates(
            "SELECT 1 FROM versions WHERE left_in IS NULL GROUP BY feed, kind, record HAVING count(*) > 1"
        ),
        Some(0),
        "two current versions of one record"
    );
    assert_eq!(
        duplicates("SELECT 1 FROM findings GROUP BY feed, key, appeared_in HAVING count(*) > 1"),
        Some(0),
        "a finding written twice"
    );
    assert_eq!(
        duplicates(
            "SELECT 1 FROM snapshots a JOIN snapshots b ON b.id = (SELECT min(id) FROM snapshots WHERE id > a.id)
             WHERE a.content_hash = b.content_hash"
        ),
        Some(0),
        "two snapshots in a row with the same content"
    );
    assert_eq!(
        query::<i64>(&db, "SELECT count(*) FROM feeds"),
        Some(1),
        "one feed"
    );
}

/// A feed body: the demo at `hour` past its own time, with the store
/// `mover` at `phase`, plus a malformed date and a repeated id that must
/// come back as data warnings from the history.
fn feed_body(hour: i64, phase: &str, percent: f64) -> String {
    let mut doc: Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    let generated = DateTime::parse_from_rfc3339(doc["generated_at"].as_str().unwrap()).unwrap()
        + chrono::Duration::hours(hour);
    doc["generated_at"] = json!(generated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    let stores = doc["stores"].as_array_mut().unwrap();
    let mover = stores
        .iter_mut()
        .find(|s| s["renovation"]["phase"] == "design")
        .unwrap();
    mover["renovation"]["phase"] = json!(phase);
    mover["renovation"]["percent"] = json!(percent);
    stores[0]["renovation"]["display_vehicle_eta"] = json!("2024-13-01");
    let repeat = stores[5].clone();
    stores.push(repeat);
    serde_json::to_string(&doc).unwrap()
}

/// The id and name of the store `feed_body` moves.
fn mover() -> (String, String) {
    let doc: Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    let store = doc["stores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["renovation"]["phase"] == "design")
        .unwrap()
        .clone();
    (
        store["id"].as_str().unwrap().to_owned(),
        store["name"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn report_at_is_the_report_as_it_stood_with_the_feed_gone_and_since_lists_the_changes() {
    let home = Home::new();
    let data = home.path().join("feed.json");
    std::fs::write(&data, feed_body(0, "design", 20.0)).unwrap();
    let server = Server::start(&["--data", data.to_str().unwrap()]);
    let url = server.url.clone();
    let first_report = report_json(&home.run(&["report", "--feed", &url, "--format", "json"]));
    assert!(
        first_report["data_warnings"].as_array().unwrap().len() >= 2,
        "{}",
        first_report["data_warnings"]
    );

    let mut recorder = home.recorder(&url);
    wait_until("the first snapshot is recorded", || {
        snapshots(&home.db()) == 1
    });
    std::fs::write(&data, feed_body(1, "construction", 40.0)).unwrap();
    wait_until("the second snapshot is recorded", || {
        snapshots(&home.db()) == 2
    });
    assert_eq!(
        recorder.signal(libc::SIGTERM),
        Some(0),
        "{}",
        recorder.stderr()
    );
    let second_report = report_json(&home.run(&["report", "--feed", &url, "--format", "json"]));
    assert_ne!(first_report, second_report);

    let (mover_id, mover_name) = mover();
    let received: Vec<i64> = {
        let conn = rusqlite::Connection::open(home.db()).unwrap();
        let mut statement = conn
            .prepare("SELECT received_at FROM snapshots ORDER BY id")
            .unwrap();
        statement
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let between = rfc3339_millis((received[0] + received[1]) / 2);
    let before = rfc3339_millis(received[0] - 1000);

    // --since on the live feed: the polled snapshot is recorded (it is
    // already there), and the changes since `between`'s snapshot are none;
    // since `before` (ahead of the history), the move.
    let live = home.run(&[
        "report", "--feed", &url, "--since", &before, "--format", "json",
    ]);
    let live = report_json(&live);
    let changes = live["changes"].as_array().expect("changes with --since");
    let moved = changes
        .iter()
        .find(|c| c["kind"] == "store_phase")
        .unwrap_or_else(|| panic!("{changes:?}"));
    assert_eq!(moved["record"], mover_id.as_str());
    assert!(
        moved["message"].as_str().unwrap().contains(&mover_name),
        "{moved}"
    );
    let second_at = DateTime::<Utc>::from_timestamp_millis(received[1]).unwrap();
    assert_eq!(
        moved["at"],
        second_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "when the snapshot that moved it was received"
    );
    let mut without_changes = live.clone();
    without_changes.as_object_mut().unwrap().remove("changes");
    assert_eq!(without_changes, second_report);

    drop(server);
    let gone = home.run(&["report", "--feed", &url, "--format", "json"]);
    assert_eq!(gone.status.code(), Some(1), "the feed is really gone");

    let at = |args: &[&str]| home.run(&[&["report", "--format", "json"], args].concat());
    assert_eq!(
        report_json(&at(&["--feed", &url, "--at", &between])),
        first_report
    );
    // The only feed recorded needs no --feed; a duration counts back from now.
    assert_eq!(report_json(&at(&["--at", "0s"])), second_report);
    let after = report_json(&at(&["--at", "0s", "--since", &between]));
    let changes = after["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["record"] == mover_id.as_str()),
        "{changes:?}"
    );
    assert!(
        changes
            .iter()
            .all(|c| c["at"].is_string() && c["kind"].is_string() && c["message"].is_string()),
        "{changes:?}"
    );
    let none = report_json(&at(&["--at", &between, "--since", &between]));
    assert_eq!(none["changes"], json!([]));

    let text = home.run(&["report", "--at", "0s", "--since", &between]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        // The text report writes times in the display zone (TZ=UTC here).
        text.contains(&format!(
            "Changes since {} {} UTC",
            &between[..10],
            &between[11..19]
        )),
        "{text}"
    );
    assert!(
        text.contains("store_phase") && text.contains(&mover_name),
        "{text}"
    );

    let early = at(&["--feed", &url, "--at", &before]);
    assert_eq!(early.status.code(), Some(1));
    assert!(
        stderr(&early).contains("no snapshot of")
            && stderr(&early).contains("the first was received at"),
        "{}",
        stderr(&early)
    );
    let other = at(&["--feed", "http://127.0.0.1:9/", "--at", "0s"]);
    assert_eq!(other.status.code(), Some(1), "{}", stderr(&other));
    let bad = at(&["--at", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("RFC 3339"), "{}", stderr(&bad));
}

// ------------------------------------------------------------------ faults

fn random_bytes(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut rng = fastrand::Rng::with_seed(7);
    let bytes: Vec<u8> = (0..32 * 1024).map(|_| rng.u8(..)).collect();
    std::fs::write(path, bytes).unwrap();
}

fn assert_history_off(output: &Output, words: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("history off: ") && err.contains(words),
        "{err}"
    );
}

#[test]
fn a_corrupt_or_newer_history_stops_record_and_report_at_with_the_reason_but_not_report() {
    let server = Server::start(&[]);
    let home = Home::new();
    random_bytes(&home.db());
    let record = home.run(&["record", "--feed", &server.url]);
    assert_history_off(&record, "not a usable history database");
    let at = home.run(&["report", "--feed", &server.url, "--at", "1h"]);
    assert_history_off(&at, "not a usable history database");
    let plain = home.run(&["report", "--feed", &server.url, "--format", "json"]);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    // --since still reports; it says why there are no changes.
    let since = home.run(&[
        "report",
        "--feed",
        &server.url,
        "--since",
        "1h",
        "--format",
        "json",
    ]);
    assert_eq!(since.status.code(), Some(0), "{}", stderr(&since));
    assert!(
        stderr(&since).contains("history off: "),
        "{}",
        stderr(&since)
    );
    let report: Value = serde_json::from_slice(&since.stdout).unwrap();
    assert!(
        report.get("changes").is_none(),
        "no changes without history"
    );
    let text = home.run(&["report", "--feed", &server.url, "--since", "1h"]);
    assert_eq!(text.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&text.stdout).contains("history off: "));

    let newer = Home::new();
    std::fs::create_dir_all(newer.db().parent().unwrap()).unwrap();
    let conn = rusqlite::Connection::open(newer.db()).unwrap();
    conn.pragma_update(None, "user_version", 1_000).unwrap();
    drop(conn);
    let record = newer.run(&["record", "--feed", &server.url]);
    assert_history_off(&record, "newer rollout-dash (schema version 1000");
    let at = newer.run(&["report", "--feed", &server.url, "--at", "1h"]);
    assert_history_off(&at, "newer rollout-dash");
    let config = newer.path().join("off.toml");
    std::fs::write(&config, "[history]\nenabled = false\n").unwrap();
    let config = config.to_str().unwrap();
    let disabled = newer.run(&["--config", config, "record", "--feed", &server.url]);
    assert_history_off(&disabled, "history.enabled is false");
}

#[test]
fn a_history_locked_at_the_start_stops_record_with_the_reason() {
    let server = Server::start(&[]);
    let home = Home::new();
    std::fs::create_dir_all(home.db().parent().unwrap()).unwrap();
    // Another program holds the file's exclusive lock (a rollback-journal
    // transaction): not even its header can be read.
    let holder = rusqlite::Connection::open(home.db()).unwrap();
    holder
        .execute_batch("BEGIN EXCLUSIVE; CREATE TABLE other (x);")
        .unwrap();
    let record = home.run(&["record", "--feed", &server.url]);
    assert_history_off(&record, "locked by another program");
    holder.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn a_write_that_fails_later_is_logged_and_recording_goes_on() {
    let server = Server::start(&["--simulate"]);
    let home = Home::new();
    let mut recorder = home.recorder(&server.url);
    wait_until("a snapshot is recorded", || snapshots(&home.db()) >= 1);
    // Hold the write lock past the recorder's busy timeout.
    let holder = rusqlite::Connection::open(home.db()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    wait_until("record says a write failed", || {
        recorder.stderr().contains("cannot record the snapshot")
    });
    assert!(
        recorder.child.try_wait().unwrap().is_none(),
        "record goes on"
    );
    assert!(
        recorder.stderr().contains("history off: "),
        "{}",
        recorder.stderr()
    );
    let before = snapshots(&home.db());
    holder.execute_batch("ROLLBACK").unwrap();
    wait_until("recording resumes", || snapshots(&home.db()) > before);
    wait_until("record says so", || {
        recorder.stderr().contains("recording again")
    });
    assert_eq!(
        recorder.signal(libc::SIGTERM),
        Some(0),
        "{}",
        recorder.stderr()
    );
}

/// Runs as `nobody` when the tests run as root (root writes anything, so a
/// mode would not make a file read-only for it).
fn as_unprivileged(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    if unsafe { libc::geteuid() } == 0 {
        command.uid(65_534).gid(65_534);
    }
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_read_only_history_stops_record_but_report_at_still_reads_it() {
    let server = Server::start(&[]);
    let home = Home::new();
    chmod(home.path(), 0o755);
    let mut recorder = home.recorder(&server.url);
    wait_until("a snapshot is recorded", || snapshots(&home.db()) >= 1);
    assert_eq!(recorder.signal(libc::SIGTERM), Some(0));
    let live = report_json(&home.run(&["report", "--feed", &server.url, "--format", "json"]));
    let dir = home.db().parent().unwrap().to_owned();
    for path in [home.path().join("data"), dir.clone()] {
        chmod(&path, 0o555);
    }
    chmod(&home.db(), 0o444);

    let mut record = home.command(&["record", "--feed", &server.url]);
    as_unprivileged(&mut record);
    let record = record.output().unwrap();
    assert_history_off(&record, "read-only");
    let mut at = home.command(&[
        "report",
        "--feed",
        &server.url,
        "--at",
        "0s",
        "--format",
        "json",
    ]);
    as_unprivileged(&mut at);
    assert_eq!(report_json(&at.output().unwrap()), live);

    // The file alone read-only, in a directory that can be written.
    chmod(&dir, 0o777);
    let mut record = home.command(&["record", "--feed", &server.url]);
    as_unprivileged(&mut record);
    assert_history_off(&record.output().unwrap(), "the file cannot be written");
    chmod(&dir, 0o755);
}

#[test]
fn a_full_disk_is_logged_with_the_reason_and_recording_goes_on() {
    use std::os::unix::process::CommandExt;
    let server = Server::start(&[]);
    let home = Home::new();
    let mut command = home.command(&[
        "record",
        "--feed",
        &server.url,
        "--interval",
        "0.2",
        "--log-level",
        "debug",
    ]);
    // A file-size limit stands in for a full disk: a write past it fails
    // with EFBIG, as SQLite sees a full disk (the signal it would also
    // raise is ignored, as a shell's `ulimit -f` leaves it to the program).
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 96 * 1024,
                rlim_max: 96 * 1024,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let mut recorder = Recorder::start(command);
    // Each poll brings the document again (its ETag forgotten) and fails
    // again; the same reason is a warning once, then debug.
    wait_until("record says the disk is full twice", || {
        recorder.stderr().matches("the disk is full").count() >= 2
    });
    let log = recorder.stderr();
    assert!(
        log.contains("cannot record the snapshot; polling goes on"),
        "{log}"
    );
    assert!(
        log.contains("history off: ") && log.contains("File too large"),
        "{log}"
    );
    assert_eq!(log.matches("WARN").count(), 1, "{log}");
    assert!(
        recorder.child.try_wait().unwrap().is_none(),
        "record goes on"
    );
    assert_eq!(
        recorder.signal(libc::SIGTERM),
        Some(0),
        "{}",
        recorder.stderr()
    );
}
