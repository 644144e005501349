//! Text as the terminal can show it: names (with the Chinese name beside
//! them, or without it where it cannot be shown), ids where a record has no
//! name, and an ASCII form of feed text for terminals without UTF-8.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_width::UnicodeWidthChar;

use super::theme::Theme;
use crate::feed::snapshot::Snapshot;
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

/// An ASCII form of `text`: accents dropped (`café` is `cafe`), common
/// punctuation spelt in ASCII, Chinese (and other wide) characters left out
/// with the spaces around them closed up, and anything else a `?`. A name
/// such as `Xiaomi Home 五道口 Wudaokou` keeps its English part whole;
/// nothing is left for the terminal to draw as `?` one column at a time.
pub fn to_ascii(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if c.is_ascii() {
            out.push(c);
        } else if is_combining_mark(c) {
            // The accent of a decomposed letter: the letter stays.
        } else if let Some(ascii) = ascii_for(c) {
            out.push_str(ascii);
        } else if let Some(fullwidth) = fullwidth_ascii(c) {
            out.push(fullwidth);
        } else if c.width() == Some(2) {
            // A Chinese character: left out, with a space where it was so
            // the words around it stay apart (closed up below).
            out.push(' ');
        } else if c.width() != Some(0) {
            out.push('?');
        }
    }
    // Close up the spaces the left-out characters leave, and trim them.
    let mut closed = String::with_capacity(out.len());
    for word in out.split(' ') {
        if word.is_empty() {
            continue;
        }
        if !closed.is_empty() {
            closed.push(' ');
        }
        closed.push_str(word);
    }
    // Keep the text's own leading and trailing space (a separator).
    let trailing = text.ends_with(' ') && !closed.is_empty();
    if text.starts_with(' ') {
        closed.insert(0, ' ');
    }
    if trailing {
        closed.push(' ');
    }
    Cow::Owned(closed)
}

/// ASCII for punctuation and symbols common in names and sentences.
fn ascii_for(c: char) -> Option<&'static str> {
    Some(match c {
        '•' | '·' | '‧' | '・' => "-",
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => "-",
        '‘' | '’' | '‚' | '′' => "'",
        '“' | '”' | '„' | '″' => "\"",
        '…' => "...",
        '→' => "->",
        '←' => "<-",
        '×' => "x",
        '\u{a0}' | '\u{3000}' => " ",
        '、' | '，' => ",",
        '。' => ".",
        '（' => "(",
        '）' => ")",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'ø' => "o",
        'Ø' => "O",
        'đ' => "d",
        'Đ' => "D",
        'ł' => "l",
        'Ł' => "L",
        _ => return None,
    })
}

/// The ASCII letter a full-width form stands for (`Ａ` is `A`).
fn fullwidth_ascii(c: char) -> Option<char> {
    let code = c as u32;
    (0xFF01..=0xFF5E)
        .contains(&code)
        .then(|| char::from_u32(code - 0xFEE0))
        .flatten()
}

/// A name with its Chinese name beside it (`Suzhou 苏州`); in ASCII mode the
/// name alone.
pub fn name_and_local(theme: Theme, name: &str, local: Option<&str>) -> String {
    let name = shown(theme, name);
    match local {
        Some(local) if !theme.ascii && !local.is_empty() => format!("{name} {local}"),
        _ => name.into_owned(),
    }
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
    fn ascii_keeps_the_english_part_of_a_name_whole() {
        assert_eq!(
            to_ascii("Xiaomi Home 五道口 Wudaokou"),
            "Xiaomi Home Wudaokou"
        );
        assert_eq!(to_ascii("Suzhou 苏州"), "Suzhou");
        assert_eq!(to_ascii("苏州"), "");
        assert_eq!(to_ascii("E•KINGO"), "E-KINGO");
        assert_eq!(to_ascii("café-01"), "cafe-01");
        assert_eq!(to_ascii("Xi’an – west"), "Xi'an - west");
        assert_eq!(to_ascii("ＡＢＣ１"), "ABC1");
        assert_eq!(to_ascii("Москва"), "??????");
        assert_eq!(to_ascii(" 苏州 "), " ");
        assert_eq!(to_ascii(" a 苏州 b "), " a b ");
        assert!(matches!(to_ascii("plain"), Cow::Borrowed("plain")));
    }
}
