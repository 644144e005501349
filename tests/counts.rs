//! One answer wherever a number or a verdict is shown (issue 10): a city's
//! findings count the same in the cities pane's badge, its drill-down and
//! `report`; a partner's recruitment criteria read the same in the partner
//! view and in `unqualified_partner`.

mod common;

use common::render;

use serde_json::{Value, json};

use rollout_dash::analysis::{Origin, Rule};
use rollout_dash::app::{App, Route, Screen};
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::i18n::Lang;
use rollout_dash::report::Report;
use rollout_dash::worker::Fresh;

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
            // "... 0 late · 3 conflicts": the number after "late" and its separator.
            let at = l.find(" late")?;
            let rest = l[at + " late".len()..].trim_start_matches([' ', '·']);
            rest.split_whitespace().next()?.parse().ok()
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

/// The demo with partners whose tier this client does not know.
fn with_partners(extra: Vec<Value>) -> Fresh {
    let mut doc: Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    doc["partners"].as_array_mut().unwrap().extend(extra);
    common::fresh_from(&doc.to_string())
}

fn partner(id: &str, tier: &str, luxury: bool, nev: bool) -> Value {
    json!({
        "id": id,
        "name": format!("Group {id}"),
        "tier": tier,
        "brands": ["Audi"],
        "luxury_experience": luxury,
        "nev_experience": nev,
        "agreement": { "stage": "contract" },
        "cities": ["suzhou"],
    })
}

/// The partner drill-down's two criteria lines.
fn criteria_shown(app: &mut App, partner: &str) -> (String, String) {
    let id = rollout_dash::feed::wire::PartnerId::new(partner);
    app.routes.push(Screen::new(Route::Partner(id)));
    let frame = render(app, 120, 40);
    app.routes.pop();
    let line = |label: &str| {
        let line = frame
            .lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("{label} not shown:\n{frame}"));
        let rest = &line[line.find(label).unwrap() + label.len()..];
        rest.split(" (").next().unwrap().trim().to_owned()
    };
    (
        line("top-100 or strong regional group: "),
        line("luxury or NEV experience: "),
    )
}

#[test]
fn partner_view_and_unqualified_partner_agree_on_an_unknown_tier() {
    let fresh = with_partners(vec![
        partner("national-seasoned", "national", true, false),
        partner("national-new", "national", false, false),
        partner("other-seasoned", "other", true, true),
        partner("regional-new", "regional", false, false),
    ]);
    let mut app = common::demo_app();
    app.current = Some(fresh.clone());
    let flagged = |id: &str| {
        fresh.analysis.findings.iter().any(|f| {
            f.origin == Origin::Rule(Rule::UnqualifiedPartner)
                && f.partners.iter().any(|p| p.as_str() == id)
        })
    };
    // A tier this client does not know is neither met nor failed: the view
    // says so, and the rule does not fire on it alone.
    assert_eq!(
        criteria_shown(&mut app, "national-seasoned"),
        ("? unknown".to_owned(), "✓ yes".to_owned())
    );
    assert!(!flagged("national-seasoned"));
    // Its other criterion still decides.
    assert_eq!(
        criteria_shown(&mut app, "national-new"),
        ("? unknown".to_owned(), "✗ no".to_owned())
    );
    assert!(flagged("national-new"));
    let message = fresh
        .analysis
        .findings
        .iter()
        .find(|f| f.partners.iter().any(|p| p.as_str() == "national-new"))
        .unwrap()
        .message(&fresh.snapshot, Lang::En);
    assert!(
        message.ends_with("has signed a contract but has sold neither luxury nor new-energy cars"),
        "{message}"
    );
    // Every contracted partner: the rule fires exactly where the view shows a "no".
    for partner in fresh.snapshot.partners() {
        if partner.agreement.stage != rollout_dash::feed::wire::AgreementStage::Contract {
            continue;
        }
        let (group, experience) = criteria_shown(&mut app, partner.id.as_str());
        let any_no = group.ends_with("no") || experience.ends_with("no");
        assert_eq!(
            any_no,
            flagged(partner.id.as_str()),
            "{}: view says {group} / {experience}",
            partner.id
        );
    }
}
