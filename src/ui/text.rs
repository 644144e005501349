//! Text as the terminal can show it: names (with the Chinese name beside
//! them, or without it where it cannot be shown), ids where a record has no
//! name, and an ASCII form of feed text for terminals without UTF-8.

use std::borrow::Cow;

use super::theme::Theme;
use crate::feed::snapshot::Snapshot;
use crate::feed::text::ascii_fallback;
use crate::feed::wire::{CityId, Operator, PartnerId, StoreId};

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

/// A name with its Chinese name beside it (`Suzhou 苏州`); in ASCII mode
/// with the Chinese name in pinyin (`Suzhou (suzhou)`), or the pinyin alone
/// when the name comes out empty.
pub fn name_and_local(theme: Theme, name: &str, local: Option<&str>) -> String {
    let name = shown(theme, name);
    match local.and_then(|local| local_shown(theme, local)) {
        Some(_) if name.trim().is_empty() => shown(theme, local.unwrap_or("")).trim().to_owned(),
        Some(local) => format!("{name}{local}"),
        None => name.into_owned(),
    }
}

/// The Chinese name as it goes beside a name: ` 苏州`, or in ASCII mode
/// ` (suzhou)`; `None` when nothing of it can be shown, so no empty marks
/// are left behind.
pub fn local_shown(theme: Theme, local: &str) -> Option<String> {
    let local = shown(theme, local);
    let local = local.trim();
    if local.is_empty() {
        None
    } else if theme.ascii {
        Some(format!(" ({local})"))
    } else {
        Some(format!(" {local}"))
    }
}

/// The Chinese name beside `name` in a cell `room` columns wide: in ASCII
/// mode its pinyin only when it fits whole, so no cut-off `(` is left; in
/// UTF-8 as [`local_shown`].
pub fn local_fitting(theme: Theme, name: &str, local: &str, room: u16) -> Option<String> {
    use unicode_width::UnicodeWidthStr;
    let local = local_shown(theme, local)?;
    let fits = name.width() + local.width() <= usize::from(room);
    (!theme.ascii || fits).then_some(local)
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

/// A city's name alone (no Chinese name), or its id: for narrow columns.
pub fn city_short_name(theme: Theme, snapshot: &Snapshot, id: &CityId) -> String {
    match snapshot.city(id.as_str()) {
        Some(city) => non_empty(shown(theme, &city.name).into_owned(), || {
            shown(theme, &id.shown()).into_owned()
        }),
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

/// Who runs a store: the maker itself, or the partner by name.
pub fn operator_name(theme: Theme, snapshot: &Snapshot, operator: &Operator) -> String {
    match operator {
        Operator::Xiaomi => "Xiaomi (direct)".to_owned(),
        Operator::Partner(id) => partner_name(theme, snapshot, id),
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

    #[test]
    fn ascii_mode_shows_the_chinese_name_in_pinyin_and_no_empty_marks() {
        let display = |ascii| crate::app::Display {
            ascii,
            ..Default::default()
        };
        let ascii = Theme::new(display(true));
        let utf8 = Theme::new(display(false));
        assert_eq!(
            name_and_local(ascii, "Chongqing", Some("重庆")),
            "Chongqing (chongqing)"
        );
        assert_eq!(
            name_and_local(utf8, "Chongqing", Some("重庆")),
            "Chongqing 重庆"
        );
        assert_eq!(name_and_local(ascii, "", Some("苏州")), "suzhou");
        assert_eq!(name_and_local(ascii, "Suzhou", Some("")), "Suzhou");
        assert_eq!(name_and_local(ascii, "Suzhou", Some("🚗")), "Suzhou");
        assert_eq!(local_shown(ascii, " "), None);
        assert_eq!(to_ascii("Xiaomi Home 五道口"), "Xiaomi Home wudaokou");
        assert!(matches!(to_ascii("plain"), Cow::Borrowed("plain")));
    }
}
