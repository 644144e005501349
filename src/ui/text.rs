//! Text as the terminal can show it: names (with the Chinese name beside
//! them, or without it where it cannot be shown), ids where a record has no
//! name, and an ASCII form of feed text for terminals without UTF-8.

use std::borrow::Cow;

use super::theme::Theme;
use crate::feed::snapshot::Snapshot;
use crate::feed::text::ascii_fallback;
use crate::feed::wire::{CityId, Operator, PartnerId, StoreId};
use crate::i18n::Lang;

/// `text` as this terminal can show it: as it is, or in ASCII mode (a
/// locale without UTF-8, `--ascii`) in ASCII letters only.
pub fn shown(theme: Theme, text: &str) -> Cow<'_, str> {
    if theme.ascii {
        to_ascii(text)
    } else {
        Cow::Borrowed(text)
    }
}

/// The ellipsis that marks text cut short.
pub fn ellipsis(theme: Theme) -> &'static str {
    if theme.ascii { "..." } else { "…" }
}

/// An ASCII form of `text`: Chinese in tone-less pinyin, accents dropped,
/// punctuation spelt in ASCII (see [`ascii_fallback`], the one place this
/// is done for the dashboard and the report).
pub fn to_ascii(text: &str) -> Cow<'_, str> {
    ascii_fallback(text)
}

/// Whether the Chinese name leads: in Chinese, where it can be shown (in
/// ASCII mode it is pinyin, which reads better after the name).
pub fn chinese_first(theme: Theme) -> bool {
    theme.lang == Lang::Zh && !theme.ascii
}

/// A name and its Chinese name, the one that leads first: the lead as it is,
/// the other with its separator (` 苏州`, ` Suzhou`, ` (suzhou)`), or `None`
/// when there is no other to show. In English `Suzhou` + ` 苏州`, in Chinese
/// `苏州` + ` Suzhou`, in ASCII mode `Suzhou` + ` (suzhou)` (or the pinyin
/// alone when the name comes out empty).
pub fn name_parts(theme: Theme, name: &str, local: Option<&str>) -> (String, Option<String>) {
    let name = shown(theme, name);
    let name = name.trim();
    let local = local.map(|local| shown(theme, local));
    let local = local.as_deref().map(str::trim).filter(|l| !l.is_empty());
    match local {
        None => (name.to_owned(), None),
        Some(local) if name.is_empty() => (local.to_owned(), None),
        Some(local) if chinese_first(theme) => (local.to_owned(), Some(format!(" {name}"))),
        // i18n: the pinyin in brackets, as ASCII mode shows it
        Some(local) if theme.ascii => (name.to_owned(), Some(format!(" ({local})"))),
        Some(local) => (name.to_owned(), Some(format!(" {local}"))),
    }
}

/// A name with its Chinese name beside it, the Chinese first in Chinese
/// (`Suzhou 苏州`, `苏州 Suzhou`); in ASCII mode with the Chinese name in
/// pinyin (`Suzhou (suzhou)`), or the pinyin alone when the name comes out
/// empty.
pub fn name_and_local(theme: Theme, name: &str, local: Option<&str>) -> String {
    match name_parts(theme, name, local) {
        (lead, Some(other)) => lead + &other,
        (lead, None) => lead,
    }
}

/// The one name a narrow column has room for: the Chinese name in Chinese
/// (where it can be shown), else the name; whichever there is when the
/// other is missing or comes out empty.
pub fn short_name(theme: Theme, name: &str, local: Option<&str>) -> String {
    name_parts(theme, name, local).0
}

/// A name and its Chinese name as a cell `room` columns wide: the lead
/// plain, the other dimmed, cut at a character boundary with an ellipsis
/// when it does not fit, and left out when not even a character of it
/// would (in ASCII mode, kept only whole: a cut-off `(` reads as noise).
pub fn name_spans(
    theme: Theme,
    name: &str,
    local: Option<&str>,
    room: u16,
) -> Vec<ratatui::text::Span<'static>> {
    use ratatui::text::Span;
    use unicode_width::UnicodeWidthStr;
    let room = usize::from(room);
    let (lead, other) = name_parts(theme, name, local);
    let lead = super::table::cut(theme, &lead, room);
    let left = room.saturating_sub(lead.width());
    let other = other.and_then(|other| {
        if other.width() <= left {
            Some(other)
        } else if theme.ascii {
            None
        } else {
            // A space, a character and the ellipsis at least.
            (left >= 4).then(|| super::table::cut(theme, &other, left))
        }
    });
    let mut spans = vec![Span::raw(lead)];
    if let Some(other) = other {
        spans.push(Span::styled(other, theme.dim()));
    }
    spans
}

/// A city as people name it: its name and Chinese name, or its id (shown
/// safely) when the feed does not have it.
pub fn city_name(theme: Theme, snapshot: &Snapshot, id: &CityId) -> String {
    match snapshot.city(id.as_str()) {
        Some(city) => non_empty(
            name_and_local(theme, &city.name, city.local_name.as_deref()),
            || shown(theme, &id.shown()).into_owned(),
        ),
        None => shown(theme, &id.shown()).into_owned(),
    }
}

/// A city's one name (see [`short_name`]: the Chinese name in Chinese), or
/// its id: for narrow columns.
pub fn city_short_name(theme: Theme, snapshot: &Snapshot, id: &CityId) -> String {
    match snapshot.city(id.as_str()) {
        Some(city) => non_empty(
            short_name(theme, &city.name, city.local_name.as_deref()),
            || shown(theme, &id.shown()).into_owned(),
        ),
        None => shown(theme, &id.shown()).into_owned(),
    }
}

/// A partner's name, or its id when the feed does not have it.
pub fn partner_name(theme: Theme, snapshot: &Snapshot, id: &PartnerId) -> String {
    match snapshot.partner(id.as_str()) {
        Some(partner) => non_empty(shown(theme, &partner.name).into_owned(), || {
            shown(theme, &id.shown()).into_owned()
        }),
        None => shown(theme, &id.shown()).into_owned(),
    }
}

/// A store's name, or its id when the feed does not have it.
pub fn store_name(theme: Theme, snapshot: &Snapshot, id: &StoreId) -> String {
    match snapshot.store(id.as_str()) {
        Some(store) => non_empty(shown(theme, &store.name).into_owned(), || {
            shown(theme, &id.shown()).into_owned()
        }),
        None => shown(theme, &id.shown()).into_owned(),
    }
}

/// A partner's one name (see [`short_name`]: the Chinese name in
/// Chinese), or its id: for narrow columns.
pub fn partner_short_name(theme: Theme, snapshot: &Snapshot, id: &PartnerId) -> String {
    match snapshot.partner(id.as_str()) {
        Some(partner) => non_empty(
            short_name(theme, &partner.name, partner.local_name.as_deref()),
            || shown(theme, &id.shown()).into_owned(),
        ),
        None => shown(theme, &id.shown()).into_owned(),
    }
}

/// Who runs a store: the maker itself, or the partner by its one name
/// (the Chinese one in Chinese).
pub fn operator_name(theme: Theme, snapshot: &Snapshot, operator: &Operator) -> String {
    match operator {
        Operator::Xiaomi => theme
            .label(theme.lang.text("pane-xiaomi-direct"))
            .into_owned(),
        Operator::Partner(id) => partner_short_name(theme, snapshot, id),
    }
}

/// A value of the contract in words (`group` `phase`, `wire` `fit_out`:
/// "fit-out"), or a value this client does not know as the feed sent it,
/// made safe.
pub fn word(theme: Theme, group: &str, wire: &str) -> String {
    match theme.lang.word(group, wire) {
        Some(word) => shown(theme, &word).into_owned(),
        None => shown(theme, &crate::feed::text::clean(wire)).into_owned(),
    }
}

/// `name`, or `fallback()` when it came out empty (a name all in Chinese,
/// in ASCII mode).
fn non_empty(name: String, fallback: impl FnOnce() -> String) -> String {
    if name.trim().is_empty() {
        fallback()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(lang: Lang, ascii: bool) -> Theme {
        Theme::new(crate::app::Display {
            ascii,
            lang,
            ..Default::default()
        })
    }

    #[test]
    fn ascii_mode_shows_the_chinese_name_in_pinyin_and_no_empty_marks() {
        for lang in Lang::ALL {
            let ascii = theme(lang, true);
            assert_eq!(
                name_and_local(ascii, "Chongqing", Some("重庆")),
                "Chongqing (chongqing)"
            );
            assert_eq!(name_and_local(ascii, "", Some("苏州")), "suzhou");
            assert_eq!(name_and_local(ascii, "Suzhou", Some("")), "Suzhou");
            assert_eq!(name_and_local(ascii, "Suzhou", Some("🚗")), "Suzhou");
            assert_eq!(
                name_parts(ascii, "Suzhou", Some(" ")),
                ("Suzhou".into(), None)
            );
        }
        assert_eq!(
            name_and_local(theme(Lang::En, false), "Chongqing", Some("重庆")),
            "Chongqing 重庆"
        );
        assert_eq!(to_ascii("Xiaomi Home 五道口"), "Xiaomi Home wudaokou");
        assert!(matches!(to_ascii("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn a_store_operator_is_named_in_the_language() {
        let snapshot = &Snapshot::from_body(crate::feed::demo::DEMO_FEED_JSON.as_bytes()).unwrap();
        let partner = Operator::Partner(PartnerId(crate::feed::wire::RawId::from(
            "ganghong".to_owned(),
        )));
        let (en, zh) = (theme(Lang::En, false), theme(Lang::Zh, false));
        assert_eq!(
            operator_name(en, snapshot, &partner),
            "Sichuan Ganghong Group"
        );
        assert_eq!(operator_name(zh, snapshot, &partner), "四川港宏");
        assert_eq!(
            operator_name(en, snapshot, &Operator::Xiaomi),
            "Xiaomi (direct)"
        );
        assert_eq!(operator_name(zh, snapshot, &Operator::Xiaomi), "小米直营");
    }

    #[test]
    fn in_chinese_the_chinese_name_comes_first() {
        let zh = theme(Lang::Zh, false);
        assert_eq!(name_and_local(zh, "Ningbo", Some("宁波")), "宁波 Ningbo");
        assert_eq!(short_name(zh, "Ningbo", Some("宁波")), "宁波");
        // Without a Chinese name, the name; without a name, the Chinese one.
        assert_eq!(name_and_local(zh, "Ningbo", None), "Ningbo");
        assert_eq!(name_and_local(zh, "Ningbo", Some(" ")), "Ningbo");
        assert_eq!(name_and_local(zh, "", Some("宁波")), "宁波");
        assert_eq!(short_name(zh, "Ningbo", None), "Ningbo");
        // English keeps the name first, its short name the English one.
        let en = theme(Lang::En, false);
        assert_eq!(name_and_local(en, "Ningbo", Some("宁波")), "Ningbo 宁波");
        assert_eq!(short_name(en, "Ningbo", Some("宁波")), "Ningbo");
    }

    #[test]
    fn a_name_cell_cuts_the_second_name_at_a_character_with_an_ellipsis() {
        let text = |spans: Vec<ratatui::text::Span>| -> Vec<String> {
            spans.into_iter().map(|s| s.content.into_owned()).collect()
        };
        let zh = theme(Lang::Zh, false);
        assert_eq!(
            text(name_spans(zh, "Urumqi", Some("乌鲁木齐"), 20)),
            ["乌鲁木齐", " Urumqi"]
        );
        assert_eq!(
            text(name_spans(zh, "Urumqi", Some("乌鲁木齐"), 13)),
            ["乌鲁木齐", " Uru…"]
        );
        // Too little room for a letter of the other name: the lead alone,
        // itself cut between characters, never through one.
        assert_eq!(
            text(name_spans(zh, "Urumqi", Some("乌鲁木齐"), 10)),
            ["乌鲁木齐"]
        );
        assert_eq!(
            text(name_spans(zh, "Urumqi", Some("乌鲁木齐"), 6)),
            ["乌鲁…"]
        );
        assert_eq!(
            text(name_spans(zh, "Urumqi", Some("乌鲁木齐"), 5)),
            ["乌鲁…"]
        );
        let en = theme(Lang::En, false);
        assert_eq!(
            text(name_spans(en, "Urumqi", Some("乌鲁木齐"), 12)),
            ["Urumqi", " 乌鲁…"]
        );
        // ASCII mode keeps the pinyin whole or not at all.
        let ascii = theme(Lang::Zh, true);
        assert_eq!(
            text(name_spans(ascii, "Urumqi", Some("乌鲁木齐"), 20)),
            ["Urumqi", " (wulumuqi)"]
        );
        assert_eq!(
            text(name_spans(ascii, "Urumqi", Some("乌鲁木齐"), 16)),
            ["Urumqi"]
        );
    }
}
