//! One answer wherever a number or a verdict is shown (issue 10): a city's
//! findings count the same in the cities pane's badge, its drill-down and
//! `report`.

mod common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

use rollout_dash::app::{App, Route, Screen};
use rollout_dash::feed::poller::Fresh;
use rollout_dash::report::Report;
use rollout_dash::ui;

fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::view(app, frame)).unwrap();
    terminal.backend().to_string()
}

/// The first number after `before` on the line, e.g. `Conflicts (` -> 4.
fn number_after(line: &str, before: &str) -> Option<usize> {
    let rest = &line[line.find(before)? + before.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The badge of the city row whose name is `name` in the cities pane: `✓ ok`
/// is 0, `▲ 3` is 3.
fn badge(frame: &str, name: &str) -> usize {
    // The cities pane is the first box on a line: its row is the text
    // between the first two borders.
    let row = frame
        .lines()
        .filter_map(|l| l.split('│').nth(1))
        .find(|row| row.contains(&format!(" {name} ")) && row.contains('%'))
        .unwrap_or_else(|| panic!("{name} not in the cities pane:\n{frame}"));
    // The badge is the last cell, after the build-out percent.
    let after_percent = &row[row.rfind('%').unwrap() + 1..];
    let tokens: Vec<&str> = after_percent.split_whitespace().collect();
    match tokens.as_slice() {
        [_, "ok"] => 0,
        [_, count] => count.parse().unwrap(),
        other => panic!("no badge for {name}: {other:?} in {row}"),
    }
}

/// A city's drill-down: the count in its summary line ("N conflicts") and
/// in its conflicts section's title ("Conflicts (N)").
fn drill_down(app: &mut App, city: &str) -> (usize, usize) {
    let city_id = rollout_dash::feed::wire::CityId::new(city);
    app.routes.push(Screen::new(Route::City(city_id)));
    let frame = render(app, 120, 40);
    app.routes.pop();
    let summary = frame
        .lines()
        .find_map(|l| {
            let at = l.find(" late  ")?;
            number_after(&l[at..], " late  ")
        })
        .unwrap_or_else(|| panic!("no summary line:\n{frame}"));
    let title = frame
        .lines()
        .find_map(|l| number_after(l, "Conflicts ("))
        .unwrap_or_else(|| panic!("no conflicts section:\n{frame}"));
    (summary, title)
}

#[test]
fn a_citys_findings_count_the_same_in_badge_drill_down_and_report() {
    let mut app = common::demo_app();
    // Tall enough for every city of the demo in the cities pane.
    let overview = render(&app, 140, 70);
    let fresh: Fresh = app.current.clone().unwrap();
    let report = Report::new("demo", &fresh.snapshot, &fresh.analysis);
    let report: Value = serde_json::to_value(&report).unwrap();
    let mut with_feed_warnings = 0;
    for (n, city) in fresh.snapshot.cities().enumerate() {
        let badge = badge(&overview, city.name.as_str());
        let (summary, title) = drill_down(&mut app, city.id.as_str());
        let reported = report["cities"][n]["conflicts"].as_u64().unwrap() as usize;
        assert_eq!(report["cities"][n]["id"], city.id.as_str());
        assert_eq!(
            (badge, summary, title, reported),
            (title, title, title, title),
            "{}: badge, drill-down summary, drill-down title, report",
            city.name
        );
        let listed = fresh.analysis.findings_in(city.id.as_str()).count();
        assert_eq!(title, listed, "{}", city.name);
        let feed = fresh
            .analysis
            .findings_in(city.id.as_str())
            .filter(|f| !f.is_conflict())
            .count();
        with_feed_warnings += usize::from(feed > 0);
    }
    // Nanjing, Xi'an and Chongqing have the feed's own warnings besides ours.
    assert_eq!(with_feed_warnings, 3);
}
