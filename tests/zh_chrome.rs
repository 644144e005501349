//! Issue 15 for the dashboard's chrome: the header (and the STALE banner
//! with the feed's errors), the footer, the help, the command line, the
//! too-small message and the notices, in Chinese; every one lined up
//! with wide characters counting two columns.

mod common;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rollout_dash::app::{App, Display, Msg, poll_error, update};
use rollout_dash::feed::client::PollError;
use rollout_dash::feed::snapshot::DocumentError;
use rollout_dash::i18n::Lang;
use rollout_dash::ui;
use rollout_dash::worker::FeedEvent;
use unicode_width::UnicodeWidthStr;

/// The demo dashboard in Chinese.
fn zh_app() -> App {
    let mut app = common::demo_app();
    app.display = Display {
        lang: Lang::Zh,
        ..Display::default()
    };
    app
}

fn key(app: &mut App, code: KeyCode) {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The frame's rows as the terminal shows them.
fn rows(app: &App, width: u16, height: u16) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::view(app, frame)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            let mut row = String::new();
            let mut x = 0;
            while x < width {
                let symbol = buffer[(x, y)].symbol();
                row.push_str(symbol);
                // A wide character covers the cell after it.
                x += u16::try_from(symbol.width().max(1)).unwrap();
            }
            row
        })
        .collect()
}

fn render(app: &App, width: u16, height: u16) -> String {
    rows(app, width, height).join("\n")
}

/// Every row is exactly as wide as the terminal: no wide character spills
/// past the edge or is cut in half (its cell would be lost or doubled).
fn assert_lined_up(app: &App, width: u16, height: u16) {
    for (y, row) in rows(app, width, height).iter().enumerate() {
        assert_eq!(
            row.width(),
            usize::from(width),
            "row {y} at {width}x{height} is {} columns: {row:?}",
            row.width()
        );
    }
}

/// The character that starts at display column `column` of `row`, if one
/// does (not when the column is the second half of a wide character).
fn char_at(row: &str, column: usize) -> Option<char> {
    let mut at = 0;
    for c in row.chars() {
        if at == column {
            return Some(c);
        }
        at += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if at > column {
            return None;
        }
    }
    None
}

/// The help box's rows: its left and right borders at the same columns in
/// every row, from its title to its bottom.
fn help_box(app: &App, width: u16, height: u16) -> Vec<String> {
    let rows = rows(app, width, height);
    let top = rows
        .iter()
        .position(|r| r.contains("┌ 按键 "))
        .unwrap_or_else(|| panic!("no help box:\n{}", rows.join("\n")));
    let title = &rows[top];
    let left = title[..title.find("┌ 按键 ").unwrap()].width();
    let right = left
        + title[title.find("┌ 按键 ").unwrap()..]
            .find('┐')
            .map(|at| title[title.find("┌ 按键 ").unwrap()..][..at].width())
            .unwrap();
    let mut bottom = top + 1;
    while char_at(&rows[bottom], left) != Some('└') {
        for column in [left, right] {
            assert_eq!(
                char_at(&rows[bottom], column),
                Some('│'),
                "row {bottom}, column {column}: the box's border is out of line:\n{}",
                rows.join("\n")
            );
        }
        bottom += 1;
    }
    assert_eq!(
        char_at(&rows[bottom], right),
        Some('┘'),
        "{}",
        rows.join("\n")
    );
    rows[top..=bottom].to_vec()
}

#[test]
fn the_help_speaks_chinese_and_lines_up_at_80x24() {
    let mut app = zh_app();
    key(&mut app, KeyCode::Char('?'));
    let boxed = help_box(&app, 80, 24).join("\n");
    assert!(boxed.contains(" 按键 "), "{boxed}");
    assert!(boxed.contains("选择下移一行"), "{boxed}");
    // Key names stay as the keyboard writes them.
    assert!(boxed.contains("j, Down"), "{boxed}");
    assert!(boxed.contains("Down：更多"), "{boxed}");
    assert!(!boxed.contains("move the selection"), "{boxed}");
    assert_lined_up(&app, 80, 24);
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn the_help_speaks_chinese_and_lines_up_at_120x40() {
    let mut app = zh_app();
    key(&mut app, KeyCode::Char('?'));
    let boxed = help_box(&app, 120, 40).join("\n");
    assert!(boxed.contains("转到冲突面板"), "{boxed}");
    assert_lined_up(&app, 120, 40);
    insta::assert_snapshot!(render(&app, 120, 40));
}

#[test]
fn every_size_lines_up_in_chinese() {
    for (width, height) in [(60, 15), (80, 24), (120, 40), (200, 60)] {
        let mut app = zh_app();
        assert_lined_up(&app, width, height);
        key(&mut app, KeyCode::Char('?'));
        help_box(&app, width, height);
        assert_lined_up(&app, width, height);
        // Scrolled to the end of a long help.
        for _ in 0..60 {
            key(&mut app, KeyCode::Down);
        }
        help_box(&app, width, height);
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Enter);
        assert_lined_up(&app, width, height);
        key(&mut app, KeyCode::Char('?'));
        help_box(&app, width, height);
    }
}

/// The header with the STALE banner: the failure in Chinese, the figures
/// (the age, the next try, HTTP 503) whole.
fn stale_app(error: PollError) -> App {
    let mut app = zh_app();
    let at = common::now();
    update(
        &mut app,
        Msg::Feed(FeedEvent::Failed {
            error: Arc::new(error),
            at,
            next_try_at: at + Duration::seconds(8),
        }),
    );
    app.now = at + Duration::seconds(2);
    app
}

#[test]
fn the_stale_banner_speaks_chinese_at_120_columns() {
    let app = stale_app(PollError::Status { status: 503 });
    let rows = rows(&app, 120, 40);
    let header = rows[..3].join("\n");
    assert!(header.contains(" 数据过期 12秒 "), "{header}");
    assert!(header.contains("6秒后重试"), "{header}");
    assert!(header.contains("数据源返回 HTTP 503"), "{header}");
    assert!(header.contains("12秒前更新"), "{header}");
    assert!(header.contains("数据时间 2024-02-20 08:00 UTC"), "{header}");
    assert_lined_up(&app, 120, 40);
    insta::assert_snapshot!(header);
}

#[test]
fn the_header_keeps_its_figures_at_80_columns_in_chinese() {
    let app = stale_app(PollError::Timeout(StdDuration::from_secs(10)));
    let rows = rows(&app, 80, 24);
    let header = rows[..3].join("\n");
    // The figures stay; words give way.
    for figure in [
        "12秒",
        "17 个城市",
        "12/14",
        "14/79",
        "61%",
        "逾期 4",
        "✖2",
        "▲14",
        "●4",
        "6秒后重试",
        "10s",
    ] {
        assert!(header.contains(figure), "{figure} in:\n{header}");
    }
    assert!(header.contains("数据源超时（10s）"), "{header}");
    // The feed time in its short Chinese form, rather than none.
    assert!(header.contains("数据时间 2月20日 08:00 UTC"), "{header}");
    assert_lined_up(&app, 80, 24);
    insta::assert_snapshot!(header);
}

#[test]
fn the_feed_errors_keep_their_english_text_and_have_chinese_frames() {
    let errors = [
        PollError::Timeout(StdDuration::from_millis(1500)),
        PollError::Stalled(StdDuration::from_secs(30)),
        PollError::Connect("connection refused".into()),
        PollError::Tls("invalid peer certificate".into()),
        PollError::Auth {
            status: 401,
            hint: "no token is configured",
        },
        PollError::Busy {
            status: 503,
            retry_after: Some(StdDuration::from_secs(30)),
        },
        PollError::Busy {
            status: 429,
            retry_after: None,
        },
        PollError::Status { status: 502 },
        PollError::TooLarge { limit_mb: 64 },
        PollError::Body("corrupt deflate stream".into()),
        PollError::Document(DocumentError::NotJson {
            message: "expected value at line 1 column 1".into(),
            start: "<html>".into(),
        }),
        PollError::Document(DocumentError::SchemaVersion {
            found: "2".into(),
            expected: 1,
        }),
        PollError::Document(DocumentError::Invalid {
            path: "$.stores[3].renovation.percent".into(),
            message: "must be 0 to 100".into(),
        }),
        PollError::NotModifiedUnasked,
        PollError::Internal("task panicked".into()),
    ];
    for error in &errors {
        // English is the error's own sentence, word for word.
        assert_eq!(poll_error(Lang::En, error), error.to_string());
        let chinese = poll_error(Lang::Zh, error);
        assert!(
            chinese
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "no Chinese in {chinese:?}"
        );
        assert!(!chinese.contains("the feed"), "{chinese}");
    }
    // Technical detail stays as the library wrote it, after the words.
    let invalid = poll_error(Lang::Zh, &errors[12]);
    assert_eq!(
        invalid,
        "数据源文档校验未通过，位置 $.stores[3].renovation.percent：must be 0 to 100"
    );
    assert_eq!(
        poll_error(Lang::Zh, &errors[5]),
        "数据源繁忙（HTTP 503）；30 秒后重试"
    );
    // The client's advice on credentials, as src/feed/client.rs writes it.
    for (hint, chinese) in [
        (
            "no token is configured; set ROLLOUT_DASH_TOKEN or feed.token_file",
            "未配置令牌",
        ),
        (
            "the token was refused (wrong or expired); check ROLLOUT_DASH_TOKEN or feed.token_file",
            "令牌被拒绝",
        ),
        (
            "the token is not allowed to read this feed; ask the feed's owner",
            "令牌无权读取",
        ),
    ] {
        let error = PollError::Auth { status: 401, hint };
        assert_eq!(poll_error(Lang::En, &error), error.to_string());
        let said = poll_error(Lang::Zh, &error);
        assert!(said.contains(chinese), "{said}");
    }
}

#[test]
fn the_footer_drops_whole_entries_at_80_columns_in_chinese() {
    let app = zh_app();
    let rows = rows(&app, 80, 24);
    let footer = rows.last().unwrap().clone();
    assert!(footer.starts_with("j/k 移动"), "{footer:?}");
    assert!(footer.contains("? 帮助"), "{footer:?}");
    assert!(footer.contains("q 退出"), "{footer:?}");
    // What shows is whole entries of the table, in its order.
    let all =
        "j/k 移动  Enter 打开  Tab 面板  / 筛选  s/S 排序  r 刷新  p 计划  P 暂停  ? 帮助  q 退出";
    for entry in footer.split("  ").filter(|e| !e.trim().is_empty()) {
        assert!(all.contains(entry.trim()), "{entry:?} is not a whole entry");
    }
    assert_eq!(footer.width(), 80);
    insta::assert_snapshot!(footer);
}

#[test]
fn the_drill_down_footer_keeps_back_in_chinese() {
    let mut app = zh_app();
    key(&mut app, KeyCode::Enter);
    let footer = rows(&app, 80, 24).last().unwrap().clone();
    assert!(footer.contains("Esc 返回"), "{footer:?}");
    assert!(footer.contains("q 退出"), "{footer:?}");
}

#[test]
fn the_command_line_offers_candidates_in_chinese() {
    let mut app = zh_app();
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "city zhou");
    key(&mut app, KeyCode::Enter);
    let frame = render(&app, 80, 24);
    assert!(frame.contains("Tab 选择，Enter 打开"), "{frame}");
    // The Chinese name first, then the English, then the id.
    assert!(frame.contains("苏州 Suzhou  (suzhou)"), "{frame}");
    assert!(frame.contains("个城市匹配 zhou"), "{frame}");
    assert_lined_up(&app, 80, 24);
    insta::assert_snapshot!(frame);
}

#[test]
fn the_command_line_says_its_errors_in_chinese() {
    let mut app = zh_app();
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "jump");
    key(&mut app, KeyCode::Enter);
    let footer = rows(&app, 80, 24).last().unwrap().clone();
    assert!(footer.starts_with(":jump"), "{footer:?}");
    assert!(footer.contains("没有命令 jump"), "{footer:?}");
    insta::assert_snapshot!(footer);

    let mut app = zh_app();
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "qqq");
    key(&mut app, KeyCode::Tab);
    assert_eq!(
        app.command_line.as_ref().unwrap().error.as_deref(),
        Some("没有可补全 qqq 的项")
    );
}

#[test]
fn too_small_says_so_in_chinese() {
    let app = zh_app();
    let frame = render(&app, 40, 10);
    assert!(frame.contains("终端太小"), "{frame}");
    // The sizes are whole figures, never split by the wrap.
    assert!(frame.contains("40x10"), "{frame}");
    assert!(frame.contains("60x15"), "{frame}");
    insta::assert_snapshot!(frame);
}

#[test]
fn notices_speak_chinese() {
    let mut app = zh_app();
    // `]` while live.
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(
        app.notice.as_deref(),
        Some("]：已是实时数据；按 [ 回看历史快照")
    );
    // `n` without a filter.
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(
        app.notice.as_deref(),
        Some("n / N 逐个跳到筛选的匹配项：先按 / 设置筛选")
    );
    // A key of the drill-downs pressed in the overview.
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(
        app.notice.as_deref(),
        Some("x 在这里没有作用；按 ? 查看按键")
    );
    // `A` toggles the acknowledged findings.
    key(&mut app, KeyCode::Char('A'));
    assert_eq!(
        app.notice.as_deref(),
        Some("已隐藏已确认的问题（按 A 显示）")
    );
    // `a` with nothing to acknowledge selected (the cities pane).
    key(&mut app, KeyCode::Char('a'));
    assert_eq!(
        app.notice.as_deref(),
        Some("a 确认一个问题：先在冲突面板或冲突栏中选中一条")
    );
    // A search wrapping round the end of the list.
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "zhou");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('G'));
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.notice.as_deref(), Some("已到底部，从顶部继续"));
    // The notice shows in the footer, whole.
    let footer = rows(&app, 80, 24).last().unwrap().clone();
    assert!(footer.starts_with("已到底部，从顶部继续"), "{footer:?}");
}

#[test]
fn the_ack_prompt_speaks_chinese() {
    let mut app = zh_app();
    key(&mut app, KeyCode::Char('4'));
    key(&mut app, KeyCode::Char('a'));
    let footer = rows(&app, 120, 40).last().unwrap().clone();
    assert!(footer.starts_with("确认 "), "{footer:?}");
    assert!(
        footer.contains("Enter 保存，Esc 取消，--for 3d 暂缓提醒"),
        "{footer:?}"
    );
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.notice.as_deref(), Some("未确认"));
}

#[test]
fn the_history_off_reasons_keep_their_english_and_speak_chinese() {
    use rollout_dash::history::HistoryError;
    use rollout_dash::worker::history::{off_reason, short_reason};
    let path = || std::path::PathBuf::from("/x/history.sqlite3");
    let errors = [
        HistoryError::Disabled,
        HistoryError::NoPath,
        HistoryError::Missing { path: path() },
        HistoryError::NotRegular {
            path: path(),
            kind: "a directory",
        },
        HistoryError::CreateDir {
            path: path(),
            source: std::io::Error::other("permission denied"),
        },
        HistoryError::Corrupt {
            path: path(),
            detail: "file is not a database".into(),
        },
        HistoryError::Locked {
            path: path(),
            waited: StdDuration::from_secs(5),
        },
        HistoryError::ReadOnly {
            path: path(),
            detail: "the directory".into(),
        },
        HistoryError::NewerSchema {
            path: path(),
            found: 9,
            known: 3,
        },
        HistoryError::Full {
            path: path(),
            detail: "No space left on device".into(),
        },
        HistoryError::Database {
            path: path(),
            detail: "disk I/O error".into(),
        },
    ];
    for error in &errors {
        assert_eq!(off_reason(Lang::En, error), error.to_string());
        let chinese = off_reason(Lang::Zh, error);
        assert!(chinese.starts_with("历史未记录："), "{chinese}");
        // The header's few words are Chinese too.
        let words = ui::header_history_off_words(Lang::Zh, short_reason(error));
        assert!(
            words.chars().all(|c| !c.is_ascii_alphabetic()),
            "{:?} stays English: {words}",
            short_reason(error)
        );
        assert_eq!(
            ui::header_history_off_words(Lang::En, short_reason(error)),
            short_reason(error)
        );
    }
    assert_eq!(
        off_reason(Lang::Zh, &errors[9]),
        "历史未记录：/x/history.sqlite3：磁盘已满（No space left on device）"
    );
    // The kind of file is said in the language too.
    assert_eq!(
        off_reason(Lang::Zh, &errors[3]),
        "历史未记录：/x/history.sqlite3：是目录，不是普通文件"
    );
}

#[test]
fn the_header_says_history_off_in_chinese() {
    use rollout_dash::worker::history::HistoryEvent;
    let mut app = zh_app();
    update(
        &mut app,
        Msg::History(HistoryEvent::Off {
            short: "corrupt",
            fault: true,
            reason: "历史未记录：/x/h.sqlite3：不是可用的历史数据库（file is not a database）"
                .into(),
        }),
    );
    let header = rows(&app, 120, 40)[0].clone();
    assert!(header.contains("历史未记录：文件损坏"), "{header}");
    assert_lined_up(&app, 120, 40);
    assert_lined_up(&app, 80, 24);
}

/// The demo feed's label in Chinese holds the URL in wide brackets; the
/// header shortens it to the host as it does in English, without a panic
/// on a byte inside a wide character.
#[test]
fn the_demo_feed_label_shortens_in_chinese() {
    let mut app = zh_app();
    app.demo = true;
    app.feed_label = "内置演示数据（http://127.0.0.1:44801/v1/snapshot?x=1）".into();
    for width in [200, 120, 80, 60] {
        let first = rows(&app, width, 30)[0].clone();
        assert!(first.contains("127.0.0.1:44801"), "{width}: {first}");
        assert!(first.contains(" 演示 "), "{width}: {first}");
    }
    let narrow = rows(&app, 60, 30)[0].clone();
    assert!(!narrow.contains("http://"), "{narrow}");
}

/// A snapshot generated at 2024-02-29T16:30:00Z reads 2024-03-01 00:30 in
/// Asia/Shanghai: the full date where there is room, the short Chinese form
/// (`3月1日 00:30`) at 80 columns, the zone named once.
#[test]
fn the_feed_time_is_local_and_in_the_chinese_form() {
    let body = rollout_dash::feed::demo::DEMO_FEED_JSON.replacen(
        "\"generated_at\": \"2024-02-20T08:00:00Z\"",
        "\"generated_at\": \"2024-02-29T16:30:00Z\"",
        1,
    );
    let mut app = zh_app();
    app.zone = chrono_tz::Asia::Shanghai;
    let event = common::fresh_event(&app, common::fresh_from(&body));
    update(&mut app, event);
    app.now = common::now();
    let wide = rows(&app, 120, 40)[0].clone();
    assert!(wide.contains("数据时间 2024-03-01 00:30 CST"), "{wide}");
    let narrow = rows(&app, 80, 24)[0].clone();
    assert!(narrow.contains("数据时间 3月1日 00:30 CST"), "{narrow}");
    assert_eq!(narrow.matches("CST").count(), 1, "{narrow}");
    // English keeps its form.
    app.display.lang = Lang::En;
    let english = rows(&app, 120, 40)[0].clone();
    assert!(
        english.contains("feed time 2024-03-01 00:30 CST"),
        "{english}"
    );
}

/// The real dashboard in Chinese, in a pty: the acknowledgement prompt,
/// its notice with the time in the operator's zone, and taking it back.
#[test]
fn the_dashboard_acknowledges_in_chinese() {
    use common::pty::Dashboard;
    let server = common::Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let config = home.join("config.toml");
    let history = home.join("h.sqlite3");
    std::fs::write(
        &config,
        format!(
            "[history]\npath = {:?}\n[ui]\nlang = \"zh\"\ntimezone = \"Asia/Shanghai\"\n",
            history.to_str().unwrap()
        ),
    )
    .unwrap();
    let mut dashboard = Dashboard::start_in(
        &[
            common::BIN,
            "--config",
            config.to_str().unwrap(),
            "--feed",
            &server.url,
            "--interval",
            "0.5",
        ],
        home,
        &[("USER", "mei")],
    );
    dashboard.wait_for("2 严重");
    dashboard.send(b"4");
    dashboard.wait_for("[to-jrveg9wdep8r]");
    dashboard.send(b"a");
    dashboard.wait_for("确认 to-jrveg9wdep8r：");
    dashboard.wait_for("Enter 保存，Esc 取消");
    dashboard.send(b"landlord --for 2d\r");
    let screen = dashboard.wait_for("已确认 to-jrveg9wdep8r，有效期至");
    assert!(screen.contains("CST"), "{screen}");
    dashboard.wait_for("2 严重 （已确认 1）");
    dashboard.send(b"u");
    dashboard.wait_for("已撤销对 to-jrveg9wdep8r 的确认");
    dashboard.send(b"q");
    assert!(dashboard.wait_exit().success());
}

/// A long failure in Chinese runs to the right edge and stops there on a
/// whole character; the times before it stay whole.
#[test]
fn a_long_stale_reason_is_cut_on_a_whole_character() {
    let app = stale_app(PollError::NotModifiedUnasked);
    for (width, height) in [(60, 15), (79, 24), (80, 24), (81, 24), (120, 40)] {
        assert_lined_up(&app, width, height);
        let banner = rows(&app, width, height)
            .into_iter()
            .find(|r| r.contains("数据过期"))
            .unwrap();
        assert!(banner.contains(" 数据过期 12秒 "), "{banner}");
        assert!(banner.contains("6秒后重试"), "{banner}");
    }
}
