//! Config and feed-URL errors as a user meets them: the real binary, its
//! stderr and exit code. A URL's user name and password never appear in
//! anything it prints, whichever way the URL came in.

mod common;

use common::run;
use std::process::Output;

/// Everything the binary printed, stdout and stderr.
fn printed(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

const USER: &str = "opsuser";
const PASSWORD: &str = "hunter2pw";

/// Feed URLs with a user name and password, most of them also wrong in
/// some other way that today's message names first.
fn urls_with_credentials() -> Vec<String> {
    let userinfo = format!("{USER}:{PASSWORD}");
    vec![
        format!("http://{userinfo}@127.0.0.1:99999/"),
        format!("ftp://{userinfo}@feed.example/"),
        format!("{userinfo}@feed.example:8080"),
        format!("http:/{userinfo}@feed.example:99999"),
        format!("http://{userinfo}@feed example/"),
        format!("http://{userinfo}@127.0.0.1:1/"),
        format!("http://{USER}@127.0.0.1:1/"),
    ]
}

fn assert_refused_quietly(output: &Output, how: &str) {
    let text = printed(output);
    assert_eq!(output.status.code(), Some(2), "{how}: {text}");
    assert!(
        !text.contains(PASSWORD),
        "{how} printed the password: {text}"
    );
    assert!(!text.contains(USER), "{how} printed the user name: {text}");
    assert!(
        text.contains("--feed") || text.contains("feed.url"),
        "{how} says the feed URL is at fault: {text}"
    );
}

#[test]
fn a_url_with_credentials_is_never_printed_from_the_flag() {
    let home = tempfile::tempdir().unwrap();
    for url in urls_with_credentials() {
        let output = run(&["report", "--feed", &url], &[], home.path());
        assert_refused_quietly(&output, &format!("report --feed {url}"));
        let output = run(&["--feed", &url], &[], home.path());
        assert_refused_quietly(&output, &format!("the dashboard's --feed {url}"));
    }
}

#[test]
fn a_url_with_credentials_is_never_printed_from_the_environment() {
    let home = tempfile::tempdir().unwrap();
    for url in urls_with_credentials() {
        let env = [("ROLLOUT_DASH_FEED", url.as_str())];
        let output = run(&["report"], &env, home.path());
        assert_refused_quietly(&output, &format!("report, ROLLOUT_DASH_FEED={url}"));
        let output = run(&[], &env, home.path());
        assert_refused_quietly(&output, &format!("dashboard, ROLLOUT_DASH_FEED={url}"));
    }
}

#[test]
fn a_url_with_credentials_is_never_printed_from_the_config_file() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("feed.toml");
    let config_arg = config.to_str().unwrap();
    for url in urls_with_credentials() {
        // Quoted (refused by the URL check), unquoted (refused by TOML) and
        // with more on the line (TOML's own message quotes the line).
        for line in [
            format!("url = \"{url}\""),
            format!("url = {url}"),
            format!("url = \"{url}\" and more"),
        ] {
            std::fs::write(&config, format!("[feed]\n{line}\n")).unwrap();
            let output = run(&["report", "--config", config_arg], &[], home.path());
            let text = printed(&output);
            let how = format!("report with `{line}` in the config");
            assert_eq!(output.status.code(), Some(2), "{how}: {text}");
            assert!(
                !text.contains(PASSWORD),
                "{how} printed the password: {text}"
            );
            assert!(!text.contains(USER), "{how} printed the user name: {text}");
            assert!(text.contains("feed.toml, line 2"), "{how}: {text}");
            assert!(text.contains("feed.url"), "{how}: {text}");
            let output = run(&["--config", config_arg], &[], home.path());
            let text = printed(&output);
            assert_eq!(output.status.code(), Some(2), "dashboard, {how}: {text}");
            assert!(!text.contains(PASSWORD), "dashboard, {how}: {text}");
            assert!(!text.contains(USER), "dashboard, {how}: {text}");
        }
    }
}

/// The stderr of `report --config FILE` with `text` in FILE; it must exit 2.
fn config_error(text: &str) -> String {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(&config, text).unwrap();
    let output = run(
        &[
            "report",
            "--feed",
            "http://127.0.0.1:1",
            "--config",
            config.to_str().unwrap(),
        ],
        &[],
        home.path(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{text:?}: {stderr}");
    assert!(stderr.contains("config.toml"), "names the file: {stderr}");
    stderr
}

#[test]
fn an_unquoted_duration_says_which_key_and_that_it_needs_quotes() {
    let stderr = config_error("# polling\n[feed]\ninterval = 5s\n");
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(stderr.contains("feed.interval"), "{stderr}");
    assert!(
        stderr.contains(r#"the value `5s` needs quotes: interval = "5s""#),
        "{stderr}"
    );
    assert!(!stderr.contains("(top level)"), "{stderr}");

    // A trailing comment is not part of the value.
    let stderr = config_error("[feed]\ncache = true\ninterval = 2m # slower\n");
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(
        stderr.contains(r#"feed.interval`: the value `2m` needs quotes: interval = "2m""#),
        "{stderr}"
    );
}

#[test]
fn an_unquoted_url_says_which_key_and_that_it_needs_quotes() {
    let stderr = config_error(
        "[rules]\noverlap_km = 2.0\n\n[feed]\nurl = http://feed.example:8080/rollout\n",
    );
    assert!(stderr.contains("line 5"), "{stderr}");
    assert!(stderr.contains("feed.url"), "{stderr}");
    assert!(
        stderr.contains(
            r#"the value `http://feed.example:8080/rollout` needs quotes: url = "http://feed.example:8080/rollout""#
        ),
        "{stderr}"
    );
    // A dotted key at the top level is named the same way.
    let stderr = config_error("feed.url = http://feed.example\n");
    assert!(stderr.contains("line 1"), "{stderr}");
    assert!(
        stderr.contains(r#"key `feed.url`: the value `http://feed.example` needs quotes"#),
        "{stderr}"
    );
}

#[test]
fn other_syntax_errors_name_the_line_without_quoting_it() {
    // Not a quoting problem: no hint, but the line and the parser's reason,
    // on one line (TOML's rendering with the source line is not used).
    let stderr = config_error("[feed]\ncache = true\n[rules\n");
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(!stderr.contains("needs quotes"), "{stderr}");
    assert!(!stderr.contains("[rules"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");

    let stderr = config_error("[feed]\nurl = \"http://feed.example\n");
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(stderr.contains("feed.url"), "{stderr}");
    assert!(!stderr.contains("needs quotes"), "{stderr}");
}

#[test]
fn type_and_range_errors_still_name_key_and_line() {
    let stderr = config_error("[feed]\n\nmax_body_mb = \"lots\"\n");
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(stderr.contains("feed.max_body_mb"), "{stderr}");
    let stderr = config_error("[log]\nlevel = \"info\"\n[feed]\n\n\ninterval = 0.01\n");
    assert!(stderr.contains("config.toml, line 6"), "{stderr}");
    assert!(stderr.contains("feed.interval"), "{stderr}");
    // The same key as a dotted key at the top level.
    let stderr = config_error("\nfeed.interval = 0.01\n");
    assert!(stderr.contains("config.toml, line 2"), "{stderr}");
}
