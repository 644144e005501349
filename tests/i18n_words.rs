//! Issue 15 for the words of findings, changes and notifications: every
//! rule's sentence in Chinese, English plurals, safety of hostile names,
//! the change log and notifications in Chinese.

use rollout_dash::analysis::{
    Analysis, Evidence, Finding, FoldedPairs, Origin, PartnerIds, Rule, RulesConfig, Severity, diff,
};
use rollout_dash::app::notify::{findings_json, summary};
use rollout_dash::feed::demo::DEMO_FEED_JSON;
use rollout_dash::feed::snapshot::Snapshot;
use rollout_dash::feed::wire::{CityId, StoreId};
use rollout_dash::i18n::Lang;

fn demo() -> Snapshot {
    Snapshot::from_body(DEMO_FEED_JSON.as_bytes()).unwrap()
}

/// The first demo finding of `rule` whose sentence contains `part`.
fn sentence(snapshot: &Snapshot, rule: Rule, part: &str, lang: Lang) -> String {
    let analysis = Analysis::of(snapshot, &RulesConfig::default());
    analysis
        .findings
        .iter()
        .filter(|f| f.origin == Origin::Rule(rule))
        .map(|f| f.message(snapshot, lang))
        .find(|m| m.contains(part))
        .unwrap_or_else(|| panic!("no {rule:?} finding with {part:?}"))
}

#[test]
fn every_rule_speaks_chinese() {
    let snap = demo();
    let zh = Lang::Zh;
    let cases = [
        (
            Rule::TerritoryOverlap,
            "Yongjiang",
            "代理2S店 Yongjiang Yinzhou 2S（合作伙伴 甬江出行集团） 与 直营 Xiaomi Home Yinzhou Wanda 相距 0.7 公里，小于严重阈值 1.0 公里；且同区（Yinzhou）",
        ),
        (
            Rule::AgencyOverlap,
            "Xiling",
            "代理2S店 Xiling Binjiang 2S（合作伙伴 西陵汽车集团） 与 代理2S店 E•KINGO Changhe 2S（合作伙伴 亿今购汽车） 相距 2.4 公里，在 3.0 公里重叠距离内；且同区（Binjiang）",
        ),
        (
            Rule::NoDeliveryCenter,
            "",
            "西安有 2 家代理店（Qinfeng Weiyang 2S和Qinfeng Chang'an 2S；合作伙伴：秦风汽车集团），但没有交付中心为其交车和提供售后",
        ),
        (
            Rule::UnqualifiedPartner,
            "级别",
            "合作伙伴 鹭江汽车贸易 已签合同，但集团级别为“其他”（既非百强也非区域龙头经销商集团）",
        ),
        (
            Rule::UnqualifiedPartner,
            "江城瑞达",
            "合作伙伴 江城瑞达汽车 已签合同，但从未经营过豪华品牌或新能源汽车",
        ),
        (
            Rule::DisplayVehicleLate,
            "Kuanzhai",
            "直营 Xiaomi Home Kuanzhai Alley 的展车预计 2024-03-12 到店，比计划开业日 2024-03-09 晚 3 天",
        ),
        (
            Rule::DisplayVehicleLate,
            "Xianlin",
            "直营 Xiaomi Home Xianlin 的展车预计 2024-04-10 到店，比项目展车截止日 2024-03-31 晚 10 天",
        ),
        (
            Rule::OutsideRecruitment,
            "",
            "代理2S店 Lingnan Yuexing Baiyun 2S（合作伙伴 岭南粤星汽车集团） 位于广州，该城市的经销商招募尚在计划中",
        ),
        (
            Rule::DeliveryAfterAgency,
            "",
            "武汉的首家代理店 代理2S店 Jiangcheng Ruida Optics Valley 2S（合作伙伴 江城瑞达汽车） 计划于 2024-03-25 开业，比首家交付中心 Wuhan Hanyang Delivery Center（2024-04-28）早 34 天",
        ),
        (
            Rule::ScheduleSlip,
            "Chuhe",
            "直营 Xiaomi Home Chuhe Hanjie 原计划于 2024-02-14 开业，至数据日期 2024-02-20 已逾期 6 天，仍处于展车到店阶段（进度 97%）",
        ),
        (
            Rule::CompetitorBrand,
            "Wuhou",
            "代理2S店 Ganghong Wuhou 2S 由 四川港宏 经营，该合作伙伴同时经营竞品品牌 BYD",
        ),
    ];
    for (rule, part, expected) in cases {
        assert_eq!(sentence(&snap, rule, part, zh), expected, "{rule:?}");
    }
}

fn folded(pairs: u64, exact: bool, stopped: bool, severity: Severity) -> Finding {
    Finding {
        origin: Origin::Rule(Rule::TerritoryOverlap),
        severity,
        city: Some(CityId::new("xian")),
        stores: Default::default(),
        partners: PartnerIds::new(),
        evidence: Evidence::Folded(Box::new(FoldedPairs {
            pairs,
            exact,
            listed: 37,
            first: None,
            stopped,
            overlap_km: 3.0,
            critical_km: 1.0,
        })),
    }
}

#[test]
fn folded_pairs_speak_chinese() {
    let snap = demo();
    let zh = Lang::Zh;
    assert_eq!(
        folded(0, false, true, Severity::Warning).message(&snap, zh),
        "西安相距 3.0 公里以内或位于同一区的代理店与直营店可能不止已列出的 37 对：配对搜索已达工作上限"
    );
    assert_eq!(
        folded(1, true, false, Severity::Warning).message(&snap, zh),
        "西安另有 1 对代理店与直营店相距 3.0 公里以内或位于同一区，在逐一列出的 37 对之外合并为这一条（rules.max_pairs_per_city）"
    );
    assert_eq!(
        folded(1_234_567, false, true, Severity::Critical).message(&snap, zh),
        "西安另有至少 1,234,567 对代理店与直营店相距 3.0 公里以内或位于同一区，在逐一列出的 37 对之外合并为这一条（rules.max_pairs_per_city）；配对搜索已达工作上限，已列出的不一定是最先的几对，其余配对中可能有小于严重阈值 1.0 公里的"
    );
    assert!(
        folded(5, false, false, Severity::Warning)
            .message(&snap, zh)
            .ends_with("；配对搜索已达工作上限，未数完")
    );
}

#[test]
fn english_counts_take_their_plural_forms() {
    let snap = demo();
    let one = folded(1, true, false, Severity::Warning).message(&snap, Lang::En);
    assert!(
        one.starts_with("1 more pair of an agency store and a direct store in Xi'an is within"),
        "{one}"
    );
    let two = folded(2, true, false, Severity::Warning).message(&snap, Lang::En);
    assert!(
        two.starts_with("2 more pairs of an agency store and a direct store in Xi'an are within"),
        "{two}"
    );
    let days = sentence(&snap, Rule::ScheduleSlip, "Chuhe", Lang::En);
    assert!(days.contains(", 6 days before the feed's date"), "{days}");
    assert!(days.contains("still in phase display car (97%)"), "{days}");
}

#[test]
fn a_hostile_name_stays_safe_in_chinese() {
    let hostile = DEMO_FEED_JSON.replace(
        "\"Yongjiang Yinzhou 2S\"",
        "\"Yongjiang\\u001b]52;c;bad\\u0007 Yinzhou\\u009b2J 2S\"",
    );
    assert_ne!(hostile, DEMO_FEED_JSON, "the demo names the store");
    let snap = Snapshot::from_body(hostile.as_bytes()).unwrap();
    let message = sentence(&snap, Rule::TerritoryOverlap, "Yongjiang", Lang::Zh);
    assert!(
        !message.chars().any(|c| c.is_control()),
        "control characters in {message:?}"
    );
    assert!(message.contains("相距 0.7 公里"), "{message}");
    // Ids are kept exactly as the feed sent them and stand in for records
    // the snapshot lacks: the sentence cleans them.
    let unknown = Finding {
        origin: Origin::Rule(Rule::OutsideRecruitment),
        severity: Severity::Warning,
        city: Some(CityId::new("gz\u{1b}]0;pwned\u{7}")),
        stores: [StoreId::new("s-1\u{1b}[2J\u{9b}31m")]
            .into_iter()
            .collect(),
        partners: PartnerIds::new(),
        evidence: Evidence::Records,
    };
    let message = unknown.message(&snap, Lang::Zh);
    assert_eq!(message, "s-1[2J31m 位于gz]0;pwned，该城市不招募经销商");
}

#[test]
fn changes_speak_chinese() {
    let rules = RulesConfig::default();
    let old = demo();
    let mut doc: serde_json::Value = serde_json::from_str(DEMO_FEED_JSON).unwrap();
    let store = doc["stores"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["renovation"]["phase"] == "fit_out")
        .unwrap();
    let name = store["name"].as_str().unwrap().to_owned();
    store["renovation"]["phase"] = serde_json::json!("display_vehicle");
    store["renovation"]["percent"] = serde_json::json!(90);
    let partner = doc["partners"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["agreement"]["stage"] == "intention")
        .unwrap();
    partner["agreement"]["stage"] = serde_json::json!("contract");
    let new = Snapshot::from_body(doc.to_string().as_bytes()).unwrap();
    let old_findings = Analysis::of(&old, &rules).findings;
    let new_findings = Analysis::of(&new, &rules).findings;
    let changes = diff(&old, &old_findings, &new, &new_findings, Lang::Zh);
    let messages: Vec<&str> = changes.iter().map(|c| c.message.as_str()).collect();
    let phase = format!("{name} 阶段 装修 → 展车到店（进度 90%）");
    assert!(messages.contains(&phase.as_str()), "{messages:#?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains(" 合作阶段 意向协议 → 已签合同")),
        "{messages:#?}"
    );
    // English keeps the values as sent.
    let english = diff(&old, &old_findings, &new, &new_findings, Lang::En);
    let phase = format!("{name} moved fit_out -> display_vehicle (90%)");
    assert!(english.iter().any(|c| c.message == phase), "{english:#?}");
    // A finding that appears or clears: the severity and the rule's label.
    let cleared = diff(&old, &old_findings, &old, &[], Lang::Zh);
    assert!(
        cleared.iter().any(|c| c
            .message
            .starts_with("冲突「缺交付中心」已解除：西安有 2 家代理店")),
        "{cleared:#?}"
    );
    let appeared = diff(&old, &[], &old, &old_findings, Lang::Zh);
    assert!(
        appeared.iter().any(|c| c
            .message
            .starts_with("新增严重冲突「缺交付中心」：西安有 2 家代理店")),
        "{appeared:#?}"
    );
}

#[test]
fn notifications_speak_chinese() {
    let snap = demo();
    let analysis = Analysis::of(&snap, &RulesConfig::default());
    let critical: Vec<&Finding> = analysis
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Critical && f.is_conflict())
        .collect();
    let no_center = critical
        .iter()
        .copied()
        .find(|f| f.origin == Origin::Rule(Rule::NoDeliveryCenter))
        .unwrap();
    assert_eq!(
        summary(&[no_center], &snap, Lang::Zh),
        "新增 1 条严重冲突：西安：西安有 2 家代理店（Qinfeng Weiyang 2S和Qinfeng Chang'an 2S；合作伙伴：秦风汽车集团），但没有交付中心为其交车和提供售后"
    );
    let line = summary(&critical, &snap, Lang::Zh);
    assert!(
        line.starts_with(&format!("新增 {} 条严重冲突：", critical.len())),
        "{line}"
    );
    let mixed: Vec<&Finding> = analysis.findings.iter().take(40).collect();
    let line = summary(&mixed, &snap, Lang::Zh);
    assert!(line.starts_with("新增 "), "{line}");
    assert!(line.contains("条冲突（严重 "), "{line}");
    // The command's JSON: English fields and ids, the message in Chinese.
    let json: serde_json::Value =
        serde_json::from_slice(&findings_json(&[no_center], &snap, Lang::Zh)).unwrap();
    assert_eq!(json[0]["rule"], "no_delivery_center");
    assert_eq!(json[0]["severity"], "critical");
    assert!(
        json[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("西安有 2 家代理店"),
        "{json}"
    );
}

#[test]
fn what_y_copies_speaks_chinese() {
    use rollout_dash::app::notify::finding_text;
    let snap = demo();
    let analysis = Analysis::of(&snap, &RulesConfig::default());
    let no_center = analysis
        .findings
        .iter()
        .find(|f| f.origin == Origin::Rule(Rule::NoDeliveryCenter))
        .unwrap();
    let text = finding_text(no_center, &snap, Lang::Zh);
    assert_eq!(
        text,
        format!(
            "严重 no_delivery_center 西安：西安有 2 家代理店（Qinfeng Weiyang 2S和Qinfeng Chang'an 2S；合作伙伴：秦风汽车集团），但没有交付中心为其交车和提供售后 [{}]",
            no_center.id()
        )
    );
    let english = finding_text(no_center, &snap, Lang::En);
    assert!(
        english.starts_with("critical no_delivery_center Xi'an: Xi'an has 2 agency stores"),
        "{english}"
    );
}

/// The history keeps a finding's sentence as the recorder wrote it, in the
/// recorder's language, and describes its steps in it.
#[test]
fn the_history_records_in_the_recorders_language() {
    use rollout_dash::history::{History, Recorded, SnapshotId};
    let at = |s: i64| chrono::DateTime::from_timestamp(1_708_416_000 + s, 0).unwrap();
    let rules = RulesConfig::default();
    let mut empty =
        rollout_dash::feed::snapshot::parse_document(DEMO_FEED_JSON.as_bytes()).unwrap();
    empty.stores.clear();
    empty.generated_at -= chrono::Duration::hours(1);
    let empty = Snapshot::new(empty);
    let full = demo();
    for (lang, expected) in [
        (Lang::Zh, "新增严重冲突「缺交付中心」：西安有 2 家代理店"),
        (
            Lang::En,
            "critical no_delivery_center appeared: Xi'an has 2 agency stores",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite");
        let mut history = History::open_file(
            &path,
            "http://127.0.0.1:1/v1/snapshot",
            std::time::Duration::from_secs(365 * 86_400),
            std::time::Duration::from_secs(5),
        )
        .unwrap();
        history.set_lang(lang);
        let mut first = None;
        for (snapshot, s) in [(&empty, 0), (&full, 10)] {
            let analysis = Analysis::of(snapshot, &rules);
            match history.record(snapshot, &analysis, at(s)).unwrap() {
                Recorded::New { snapshot, .. } => {
                    first.get_or_insert(snapshot.id);
                }
                other => panic!("not recorded: {other:?}"),
            }
        }
        let first = first.unwrap();
        let changes = history
            .recorded_changes(Some(first), SnapshotId(first.0 + 1))
            .unwrap();
        assert!(
            changes
                .iter()
                .any(|c| c.change.message.starts_with(expected)),
            "{lang}: {:#?}",
            changes
                .iter()
                .map(|c| &c.change.message)
                .collect::<Vec<_>>()
        );
    }
}
