//! The real dashboard in a pseudo-terminal, its language taken from the
//! locale as an operator's SSH session sets it: Chinese in a zh_CN.UTF-8
//! session, English words with names in pinyin where the locale cannot
//! show Chinese, and the flag over both.

mod common;

use common::pty::Dashboard;

/// Whether a screen holds any CJK character.
fn has_chinese(screen: &str) -> bool {
    screen
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn a_chinese_locale_gets_the_dashboard_in_chinese() {
    let server = common::Server::start(&[]);
    let mut dashboard = Dashboard::start(
        &["--feed", &server.url],
        &[("LANG", "zh_CN.UTF-8"), ("TZ", "Asia/Shanghai")],
    );
    // The header's counts, a pane title, a city with its Chinese name first,
    // the local time named once.
    let screen = dashboard.wait_for_all(&["2 严重", "城市", "苏州 Suzhou", "CST"]);
    assert!(!screen.contains("Cities"), "{screen}");
    // The help is in Chinese too.
    dashboard.send(b"?");
    dashboard.wait_for("按键");
    dashboard.send(b"?");
    dashboard.quit();
    dashboard.assert_restored();
}

#[test]
fn a_locale_without_utf8_gets_english_words_and_pinyin_never_question_marks() {
    let server = common::Server::start(&[]);
    let mut dashboard = Dashboard::start(&["--feed", &server.url], &[("LANG", "zh_CN.GB18030")]);
    let screen = dashboard.wait_for_all(&["Cities", "Suzhou (suzhou)", "critical"]);
    assert!(!has_chinese(&screen), "{screen}");
    // The only question mark is the help key in the footer.
    assert_eq!(
        screen.matches('?').count(),
        screen.matches("? help").count(),
        "{screen}"
    );
    dashboard.quit();
    dashboard.assert_restored();
    // Nothing but ASCII reached the terminal.
    let output = dashboard.output();
    assert!(output.is_ascii(), "non-ASCII bytes were written");
}

#[test]
fn the_flag_overrides_the_locale() {
    let server = common::Server::start(&[]);
    let mut dashboard = Dashboard::start(
        &["--lang", "en", "--feed", &server.url],
        &[("LANG", "zh_CN.UTF-8")],
    );
    // English words; Chinese names still shown beside the English ones.
    dashboard.wait_for_all(&["Cities", "Suzhou 苏州", "critical"]);
    dashboard.quit();
    dashboard.assert_restored();
}
