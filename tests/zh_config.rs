//! Errors printed before the dashboard starts (a bad config file, a bad
//! flag, no terminal) speak the language: `--lang`, else the file's
//! `ui.lang`, else the locale. What names the fault (file, line, key,
//! value, both actions of a clash) stays in the message; clap's own usage
//! errors stay as clap writes them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

const ZH: (&str, &str) = ("LANG", "zh_CN.UTF-8");

/// A temporary home with `text` as `config.toml`; removed on drop.
struct Home {
    dir: PathBuf,
}

impl Home {
    fn with_config(text: &str) -> Home {
        let dir = std::env::temp_dir().join(format!(
            "rollout-dash-zh-config-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), text).unwrap();
        Home { dir }
    }

    fn config(&self) -> String {
        self.dir.join("config.toml").display().to_string()
    }

    fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// `report --config FILE` (plus `extra` arguments) with `text` in FILE,
/// under `env`; it must exit 2. Gives stderr and the file's path.
fn refused(text: &str, extra: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let home = Home::with_config(text);
    let config = home.config();
    let mut args = vec!["--config", config.as_str()];
    args.extend_from_slice(extra);
    args.push("report");
    let output = common::run(&args, env, home.path());
    (exit_2(&output), config)
}

fn exit_2(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    stderr
}

#[test]
fn an_unknown_key_is_refused_in_chinese_naming_file_line_and_key() {
    let (stderr, path) = refused("[rules]\noverlap = 2\n", &[], &[ZH]);
    assert!(
        stderr.starts_with(&format!(
            "rollout-dash: 配置文件 {path} 第 2 行：配置项 `rules"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("：没有 `overlap` 这一项，可用的有：`overlap_km`, `critical_km`"),
        "{stderr}"
    );
    let (stderr, path) = refused("[rules]\noverlap = 2\n", &[], &[]);
    assert!(
        stderr.starts_with(&format!(
            "rollout-dash: config file {path}, line 2: key `rules.overlap`: unknown field `overlap`, expected one of `overlap_km`, `critical_km`"
        )),
        "{stderr}"
    );
}

#[test]
fn a_bad_time_zone_is_refused_in_chinese_and_in_english_with_lang_en() {
    let text = "[ui]\n# where the staff are\ntimezone = \"Mars/Olympus\"\n";
    let (stderr, path) = refused(text, &[], &[ZH]);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "rollout-dash: {path} 第 3 行：配置项 `ui.timezone`：\"Mars/Olympus\" 不是 IANA 时区名称（例如 \"Asia/Shanghai\"）"
        )
    );
    let (stderr, path) = refused(text, &["--lang", "en"], &[ZH]);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "rollout-dash: {path}, line 3: key `ui.timezone`: \"Mars/Olympus\" is not an IANA time zone name (such as \"Asia/Shanghai\")"
        )
    );
}

#[test]
fn the_files_own_ui_lang_decides_when_no_flag_does() {
    // The locale says English, the file Chinese: the file wins.
    let text = "[ui]\nlang = \"zh\"\n[log]\nlevel = \"loud\"\n";
    let (stderr, _) = refused(text, &[], &[("LANG", "en_US.UTF-8")]);
    assert!(
        stderr.contains("配置项 `log.level`：\"loud\" 不是 error、warn、info、debug、trace 之一"),
        "{stderr}"
    );
    // And `--lang` wins over the file.
    let (stderr, _) = refused(text, &["--lang", "en"], &[("LANG", "en_US.UTF-8")]);
    assert!(
        stderr.contains("key `log.level`: \"loud\" is not one of error, warn, info, debug, trace"),
        "{stderr}"
    );
    // A file that does not parse has no `ui.lang`: the locale decides.
    let (stderr, path) = refused("[ui]\nlang = \"zh\"\nmouse = = 1\n", &[], &[ZH]);
    assert!(
        stderr.contains(&format!("配置文件 {path} 第 3 行")),
        "{stderr}"
    );
    let (stderr, path) = refused("[ui]\nlang = \"zh\"\nmouse = = 1\n", &[], &[]);
    assert!(
        stderr.contains(&format!("config file {path}, line 3")),
        "{stderr}"
    );
}

#[test]
fn a_keys_clash_names_both_actions_in_chinese() {
    let (stderr, path) = refused("[keys]\nquit = [\"r\"]\n", &[], &[ZH]);
    assert!(
        stderr.starts_with(&format!("rollout-dash: {path} 第 2 行：配置项 `keys.")),
        "{stderr}"
    );
    assert!(
        stderr.contains("`keys.quit`：r 在总览中同时绑定了 poll 和 quit"),
        "{stderr}"
    );
    let (stderr, _) = refused("[keys]\nquit = [\"r\"]\n", &["--lang", "en"], &[ZH]);
    assert!(
        stderr.contains("`keys.quit`: r is bound to both poll and quit in the overview view"),
        "{stderr}"
    );
}

#[test]
fn a_clash_while_filtering_reads_as_before_in_english_and_naturally_in_chinese() {
    let text = "[keys]\nfilter_cancel = [\"enter\"]\n";
    let (stderr, _) = refused(text, &[], &[ZH]);
    assert!(
        stderr.contains("Enter 在输入筛选时同时绑定了 filter_keep 和 filter_cancel"),
        "{stderr}"
    );
    let (stderr, _) = refused(text, &[], &[]);
    assert!(
        stderr
            .contains("Enter is bound to both filter_keep and filter_cancel in the filtering view"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_action_in_keys_lists_the_actions_in_chinese() {
    let (stderr, _) = refused("[keys]\nfly = [\"f\"]\n", &[], &[ZH]);
    assert!(
        stderr.contains("配置项 `keys.fly`：未知的操作 \"fly\"；可用的操作：down, up, first"),
        "{stderr}"
    );
}

#[test]
fn an_unquoted_value_gets_its_hint_in_chinese() {
    let (stderr, path) = refused("[feed]\ninterval = 5s\n", &[], &[ZH]);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "rollout-dash: 配置文件 {path} 第 2 行：配置项 `feed.interval`：值 `5s` 需要加引号：interval = \"5s\""
        )
    );
}

#[test]
fn a_flag_out_of_range_is_refused_in_chinese() {
    // `--interval` parses (clap) but is below the floor (our check).
    let home = Home::with_config("");
    let output = common::run(&["--interval", "0.1", "--demo"], &[ZH], home.path());
    let stderr = exit_2(&output);
    assert_eq!(
        stderr.trim_end(),
        "rollout-dash: 命令行或环境变量：配置项 `feed.interval`：不能小于 0.2 秒"
    );
    let output = common::run(&["--interval", "0.1", "--demo"], &[], home.path());
    assert_eq!(
        exit_2(&output).trim_end(),
        "rollout-dash: command line or environment: key `feed.interval`: must be at least 0.2 seconds"
    );
}

#[test]
fn an_unknown_feed_name_is_refused_in_chinese_listing_the_feeds() {
    let text = "[[feeds]]\nname = \"east\"\nurl = \"http://127.0.0.1:9/\"\n";
    let (stderr, _) = refused(text, &["--lang", "zh"], &[("ROLLOUT_DASH_FEED", "west")]);
    assert!(
        stderr.contains(
            "命令行或环境变量：配置项 `--feed`：没有名为 \"west\" 的数据源；已配置的数据源：east"
        ),
        "{stderr}"
    );
}

#[test]
fn a_missing_config_file_is_refused_in_chinese() {
    let home = Home::with_config("");
    let missing = home.path().join("nowhere.toml").display().to_string();
    let output = common::run(&["--config", &missing, "report"], &[ZH], home.path());
    let stderr = exit_2(&output);
    assert!(
        stderr.starts_with(&format!("rollout-dash: 无法读取配置文件 {missing}：")),
        "{stderr}"
    );
}

#[test]
fn a_dashboard_without_a_terminal_says_so_in_chinese() {
    let home = Home::with_config("");
    // `run` gives the binary no terminal: stdin is null, stdout a pipe.
    let output = common::run(&["--demo"], &[ZH], home.path());
    let stderr = exit_2(&output);
    assert!(
        stderr.contains("仪表盘需要在终端中运行，而标准输出不是终端"),
        "{stderr}"
    );
    assert!(stderr.contains("rollout-dash report"), "{stderr}");
    let output = common::run(&["--demo", "--lang", "en"], &[ZH], home.path());
    assert!(
        exit_2(&output).contains("the dashboard needs a terminal, and stdout is not a terminal"),
        "English with --lang en"
    );
}

#[test]
fn clap_usage_errors_stay_as_clap_writes_them() {
    let home = Home::with_config("");
    let output = common::run(&["--no-such-flag"], &[ZH], home.path());
    let stderr = exit_2(&output);
    assert!(stderr.contains("unexpected argument"), "{stderr}");
}

#[test]
fn a_bad_feed_url_is_refused_in_chinese_from_the_file_and_from_the_flag() {
    let (stderr, path) = refused("[feed]\nurl = \"ftp://feed.example\"\n", &[], &[ZH]);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "rollout-dash: {path} 第 2 行：配置项 `feed.url`：\"ftp://feed.example\" 必须以 http:// 或 https:// 开头"
        )
    );
    let home = Home::with_config("");
    let args = ["report", "--feed", "http://"];
    let stderr = exit_2(&common::run(&args, &[ZH], home.path()));
    assert!(stderr.contains("\"http://\" 不是网址："), "{stderr}");
    let stderr = exit_2(&common::run(&args, &[], home.path()));
    assert!(stderr.contains("\"http://\" is not a URL: "), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_token_file_too_open_is_refused_in_chinese() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::with_config("");
    let token = home.path().join("token");
    std::fs::write(&token, "s3cret\n").unwrap();
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o644)).unwrap();
    let text = format!(
        "[feed]\nurl = \"http://127.0.0.1:9/\"\ntoken_file = \"{}\"\n",
        token.display()
    );
    std::fs::write(home.path().join("config.toml"), text).unwrap();
    let config = home.config();
    let args = ["--config", config.as_str(), "report"];
    let stderr = exit_2(&common::run(&args, &[ZH], home.path()));
    assert_eq!(
        stderr.trim_end(),
        format!(
            "rollout-dash: 令牌文件 {}：权限 0644 过宽；组用户和其他用户不得可读（请执行 chmod 600）",
            token.display()
        )
    );
}

#[test]
fn a_log_file_that_is_a_directory_is_refused_in_chinese_in_a_terminal() {
    // The log file is opened once the terminal check passed: in a pty.
    let home = Home::with_config("");
    let logs = home.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let text = format!("[log]\nfile = \"{}\"\n", logs.display());
    std::fs::write(home.path().join("config.toml"), text).unwrap();
    let config = home.config();
    let argv = [common::BIN, "--config", config.as_str(), "--demo"];
    let mut dashboard = common::pty::Dashboard::start_in(&argv, home.path(), &[ZH]);
    let screen = dashboard.wait_for("不是普通文件");
    assert!(
        screen.contains(&format!(
            "日志文件 {}：是目录，不是普通文件",
            logs.display()
        )),
        "{screen}"
    );
    assert_eq!(dashboard.wait_exit().exit_code(), 2);
}

#[test]
fn a_config_file_that_is_not_utf8_or_a_directory_token_is_refused_in_chinese() {
    let home = Home::with_config("");
    let config = home.config();
    std::fs::write(&config, b"[ui]\nlang = \"\xff\"\n").unwrap();
    let args = ["--config", config.as_str(), "report"];
    let stderr = exit_2(&common::run(&args, &[ZH], home.path()));
    assert_eq!(
        stderr.trim_end(),
        format!("rollout-dash: 无法读取配置文件 {config}：不是 UTF-8 文本")
    );
    let stderr = exit_2(&common::run(&args, &[], home.path()));
    assert_eq!(
        stderr.trim_end(),
        format!("rollout-dash: cannot read config file {config}: it is not UTF-8 text")
    );
    // A token file that is a directory: the kind of file in Chinese.
    let text = format!(
        "[feed]\nurl = \"http://127.0.0.1:9/\"\ntoken_file = \"{}\"\n",
        home.path().display()
    );
    std::fs::write(&config, text).unwrap();
    let stderr = exit_2(&common::run(&args, &[ZH], home.path()));
    assert_eq!(
        stderr.trim_end(),
        format!(
            "rollout-dash: 令牌文件 {}：是目录，不是普通文件",
            home.path().display()
        )
    );
}

#[test]
fn a_key_that_is_not_one_is_refused_in_chinese_naming_it() {
    let (stderr, _) = refused("[keys]\nquit = [\"hyper-q\"]\n", &[], &[ZH]);
    assert!(
        stderr.contains("`keys.quit`：\"hyper-q\" 不是有效的键：未知的键名；键可以是单个字符"),
        "{stderr}"
    );
    let (stderr, _) = refused("[keys]\nquit = [\"shift-g\"]\n", &[], &[ZH]);
    assert!(
        stderr.contains(
            "\"shift-g\" 不是有效的键：请直接写 shift 之后的字符（写 \"G\"，不要写 \"shift-g\"）"
        ),
        "{stderr}"
    );
    let (stderr, _) = refused("[keys]\nquit = [\"alt-q\"]\n", &[], &[ZH]);
    assert!(stderr.contains("\"alt-q\" 无法绑定："), "{stderr}");
    let (stderr, _) = refused("[keys]\nquit = [\"shift-g\"]\n", &[], &[]);
    assert!(
        stderr.contains(
            "`keys.quit`: \"shift-g\" is not a key: write the shifted character itself (\"G\", not \"shift-g\")"
        ),
        "{stderr}"
    );
}

#[test]
fn remapping_what_is_not_a_key_is_refused_in_chinese() {
    let (stderr, _) = refused("[keys]\nmouse = [\"m\"]\n", &[], &[ZH]);
    assert!(
        stderr.contains("`keys.mouse`：鼠标不是键，不能重新绑定"),
        "{stderr}"
    );
    let (stderr, _) = refused("[keys]\ncommand_type = [\"x\"]\n", &[], &[ZH]);
    assert!(
        stderr.contains("输入或粘贴不是键，不能重新绑定"),
        "{stderr}"
    );
    let (stderr, _) = refused("[keys]\ncommand_type = [\"x\"]\n", &[], &[]);
    assert!(
        stderr.contains("`keys.command_type`: type or paste is not a key and cannot be remapped"),
        "{stderr}"
    );
}

#[test]
fn a_bad_duration_or_severity_is_refused_in_chinese() {
    let (stderr, path) = refused("[feed]\ninterval = \"soon\"\n", &[], &[ZH]);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "rollout-dash: 配置文件 {path} 第 2 行：配置项 `feed.interval`：\"soon\" 不是有效的时长（例如 5、0.5、\"500ms\"、\"2m\"）"
        )
    );
    let (stderr, path) = refused("[feed]\ninterval = \"soon\"\n", &[], &[]);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "rollout-dash: config file {path}, line 2: key `feed.interval`: \"soon\" is not a duration (try 5, 0.5, \"500ms\", \"2m\")"
        )
    );
    let (stderr, _) = refused("[notify]\nmin_severity = \"loud\"\n", &[], &[ZH]);
    assert!(
        stderr.contains("`notify.min_severity`：\"loud\" 不是 critical、warning、info 之一"),
        "{stderr}"
    );
}
