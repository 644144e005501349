//! Untrusted feed text made safe once, where it enters the program.
//!
//! Every string from the feed passes through [`clean`] during deserialization,
//! so nothing downstream (views, logs, reports) can emit a control sequence
//! that came from the feed.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use foldhash::{HashSet, HashSetExt};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

/// The longest text kept from the feed, in characters; longer text is cut with an ellipsis.
pub const MAX_TEXT_CHARS: usize = 200;

/// Characters that must never reach a terminal: C0/C1 controls, DEL, bidi
/// overrides, and invisible ones that break width measurement (zero-width
/// spaces and joiners, BOM, soft hyphen, line and paragraph separators).
fn is_forbidden(c: char) -> bool {
    c.is_control() // C0, DEL and C1 (U+0080..=U+009F)
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200B}'..='\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{FEFF}'
                | '\u{00AD}'
        )
}

/// Returns `raw` with controls removed (tabs and newlines become spaces),
/// normalised to NFC and cut to [`MAX_TEXT_CHARS`] with an ellipsis.
pub fn clean(raw: &str) -> Cow<'_, str> {
    let ascii = raw.is_ascii();
    // Most feed text is short ASCII: ids, enum values, dates. Only C0
    // controls and DEL can be forbidden there, and nothing needs normalising.
    if ascii && raw.len() <= MAX_TEXT_CHARS && !raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Cow::Borrowed(raw);
    }
    let needs_strip = raw.chars().any(is_forbidden);
    let needs_nfc = !ascii
        && !matches!(
            is_nfc_quick(raw.chars()),
            unicode_normalization::IsNormalized::Yes
        );
    let too_long = raw.len() > MAX_TEXT_CHARS && raw.chars().count() > MAX_TEXT_CHARS;
    if !needs_strip && !needs_nfc && !too_long {
        return Cow::Borrowed(raw);
    }
    let stripped = raw.chars().filter_map(|c| match c {
        '\t' | '\n' | '\r' => Some(' '),
        c if is_forbidden(c) => None,
        c => Some(c),
    });
    let mut out: String = if needs_nfc {
        stripped.nfc().collect()
    } else {
        stripped.collect()
    };
    if out.chars().count() > MAX_TEXT_CHARS {
        out = out.chars().take(MAX_TEXT_CHARS - 1).collect();
        out.push('…');
    }
    Cow::Owned(out)
}

/// `raw` in full and in ASCII: as [`escape`], and every character outside
/// ASCII written as a `\u{..}` escape too (ids on a terminal that cannot
/// show them, where dropping a character would merge two ids).
pub fn escape_ascii(raw: &str) -> Cow<'_, str> {
    if raw.is_ascii() {
        return escape(raw);
    }
    let mut out = String::with_capacity(raw.len() + 16);
    for c in raw.chars() {
        if c == '\\' {
            out.push_str("\\\\");
        } else if c.is_ascii() && !is_forbidden(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// Text for a terminal that can show only ASCII: accents dropped
/// (`café` -> `cafe`), common punctuation spelled in ASCII (`E•KINGO` ->
/// `E-KINGO`), and runs of other scripts left out with the space around
/// them, so `Xiaomi Home 五道口 Wudaokou` reads `Xiaomi Home Wudaokou` and
/// no `?` debris is left. Text with nothing left in ASCII becomes empty.
pub fn ascii_fallback(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let spelled = match c {
            '•' | '·' | '‧' | '・' | '–' | '—' | '‐' | '‑' | '−' => "-",
            '‘' | '’' | '′' => "'",
            '“' | '”' | '″' => "\"",
            '…' => "...",
            '（' => "(",
            '）' => ")",
            '，' | '、' => ",",
            '：' => ":",
            '\u{a0}' | '\u{3000}' => " ",
            _ => "",
        };
        if !spelled.is_empty() {
            out.push_str(spelled);
            continue;
        }
        // A letter with marks: keep its ASCII base letter.
        let base: String = std::iter::once(c)
            .nfd()
            .filter(|b| b.is_ascii_alphanumeric())
            .collect();
        if base.is_empty() {
            // Another script: a gap, closed up below.
            out.push(' ');
        } else {
            out.push_str(&base);
        }
    }
    // Close the gaps: no double spaces, no emptied brackets, no edge blanks.
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let words = words.replace("( )", "").replace("()", "");
    Cow::Owned(words.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Makes `out[start..]` safe for a terminal in place: controls and invisible
/// characters removed (tabs and newlines become spaces), nothing shortened.
pub fn make_safe_from(out: &mut String, start: usize) {
    let tail = &out[start..];
    let risky = |b: &u8| *b < 0x20 || *b == 0x7f || *b >= 0x80;
    if !tail.as_bytes().iter().any(risky) || !tail.chars().any(is_forbidden) {
        return;
    }
    let safe: String = tail
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if is_forbidden(c) => None,
            c => Some(c),
        })
        .collect();
    out.truncate(start);
    out.push_str(&safe);
}

/// A string from the feed, already made safe by [`clean`]. Shared, not
/// copied: findings and change logs name the same ids thousands of times.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(Arc<str>);

impl Text {
    /// Makes `raw` safe and wraps it.
    pub fn new(raw: &str) -> Self {
        Text(Arc::from(clean(raw).as_ref()))
    }

    /// The safe text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl From<&str> for Text {
    fn from(raw: &str) -> Self {
        Text::new(raw)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Borrow when the input allows it, so clean text costs one allocation.
        let raw: Cow<'de, str> =
            serde::de::Deserialize::deserialize(deserializer).map(|s: CowStr<'de>| s.0)?;
        Ok(match clean(&raw) {
            Cow::Borrowed(_) => Text(Arc::from(raw.as_ref())),
            Cow::Owned(s) => Text(Arc::from(s)),
        })
    }
}

/// A record id exactly as the feed sent it: identity is byte for byte, so
/// two ids that differ anywhere (after 200 characters, in NFC versus NFD, by
/// a zero-width character) are two records. Only [`RawId::shown`] is fit for
/// a terminal.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RawId(Arc<str>);

impl RawId {
    /// Wraps an id as it is, unchanged.
    pub fn new(raw: &str) -> Self {
        RawId(Arc::from(raw))
    }

    /// The id exactly as the feed sent it: for keys, lookups and JSON.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id made safe for a terminal (controls removed, NFC, shortened).
    pub fn shown(&self) -> Cow<'_, str> {
        clean(&self.0)
    }

    /// The id in full with anything a terminal would act on or hide written
    /// as a `\u{..}` escape: nothing cut, nothing merged, safe to print.
    pub fn escaped(&self) -> Cow<'_, str> {
        escape(&self.0)
    }

    /// Deserializes an id that the feed repeats (city and partner ids):
    /// shared with its earlier mentions under [`sharing_text`], never cleaned.
    pub fn deserialize_shared<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        let raw = CowStr::deserialize(deserializer)?.0;
        Ok(RawId(shared(&raw)))
    }
}

impl PartialEq<str> for RawId {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for RawId {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl From<&str> for RawId {
    fn from(raw: &str) -> Self {
        RawId::new(raw)
    }
}

impl From<String> for RawId {
    fn from(raw: String) -> Self {
        RawId(Arc::from(raw))
    }
}

impl fmt::Display for RawId {
    /// The id in full, escaped ([`RawId::escaped`]): ids end up in sentences
    /// and data warnings, which must be safe and must not cut an id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.escaped())
    }
}

impl fmt::Debug for RawId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl Serialize for RawId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RawId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = CowStr::deserialize(deserializer)?.0;
        Ok(RawId(Arc::from(raw.as_ref())))
    }
}

/// `raw` in full, with every character [`clean`] would drop written as a
/// `\u{..}` escape (and a backslash doubled, so the escape is unambiguous).
pub fn escape(raw: &str) -> Cow<'_, str> {
    if !raw.chars().any(|c| c == '\\' || is_forbidden(c)) {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len() + 8);
    for c in raw.chars() {
        if c == '\\' {
            out.push_str("\\\\");
        } else if is_forbidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

impl Text {
    /// Deserializes text that the feed repeats (city and partner ids,
    /// districts): shared with its earlier mentions under [`sharing_text`].
    pub fn deserialize_shared<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        let raw = CowStr::deserialize(deserializer)?.0;
        Ok(Text(shared(&clean(&raw))))
    }

    /// [`Text::deserialize_shared`] for an optional field.
    pub fn deserialize_shared_option<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Self>, D::Error> {
        let raw: Option<CowStr<'de>> = Option::deserialize(deserializer)?;
        Ok(raw.map(|raw| Text(shared(&clean(&raw.0)))))
    }
}

thread_local! {
    /// The text seen so far by the parse under way on this thread, if any.
    static SEEN: RefCell<Option<HashSet<Arc<str>>>> = const { RefCell::new(None) };
}

/// Runs `parse` with repeated feed text shared: a national feed names the
/// same cities, partners and districts tens of thousands of times, and each
/// is then one allocation (and one place in memory), not one per mention.
pub fn sharing_text<T>(parse: impl FnOnce() -> T) -> T {
    struct Forget;
    impl Drop for Forget {
        fn drop(&mut self) {
            SEEN.with(|seen| seen.borrow_mut().take());
        }
    }
    SEEN.with(|seen| *seen.borrow_mut() = Some(HashSet::new()));
    let _forget = Forget;
    parse()
}

/// `text` as an `Arc<str>`, the one already seen if [`sharing_text`] is on.
fn shared(text: &str) -> Arc<str> {
    SEEN.with(|seen| match seen.borrow_mut().as_mut() {
        Some(set) => match set.get(text) {
            Some(known) => Arc::clone(known),
            None => {
                let new: Arc<str> = Arc::from(text);
                set.insert(Arc::clone(&new));
                new
            }
        },
        None => Arc::from(text),
    })
}

/// A `Cow<str>` that borrows from the input when it can.
pub(super) struct CowStr<'de>(pub(super) Cow<'de, str>);

impl<'de> Deserialize<'de> for CowStr<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = CowStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_untouched() {
        assert!(matches!(clean("Suzhou 苏州"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_and_c1_controls_are_removed() {
        let hostile = "A\u{1b}[2J\u{1b}]0;pwned\u{7}B\u{9b}31mC\u{7f}D\u{202e}E";
        let safe = clean(hostile);
        assert!(!safe.chars().any(is_forbidden), "{safe:?}");
        assert_eq!(safe, "A[2J]0;pwnedB31mCDE");
    }

    #[test]
    fn invisible_characters_that_break_widths_are_removed() {
        assert_eq!(clean("a\u{200b}b\u{feff}c\u{ad}d\u{2028}e"), "abcde");
    }

    #[test]
    fn newlines_become_spaces() {
        assert_eq!(clean("a\nb\tc"), "a b c");
    }

    #[test]
    fn text_is_normalised_to_nfc() {
        assert_eq!(clean("e\u{301}"), "\u{e9}");
    }

    #[test]
    fn raw_ids_keep_every_byte_and_show_safely() {
        let nfc = RawId::new("caf\u{e9}-01");
        let nfd = RawId::new("cafe\u{301}-01");
        assert_ne!(nfc, nfd);
        assert_eq!(nfd.shown(), "caf\u{e9}-01");
        let zero_width = RawId::new("nj\u{200b}-01");
        assert_ne!(zero_width, RawId::new("nj-01"));
        assert_eq!(zero_width.escaped(), "nj\\u{200b}-01");
        let long = RawId::new(&format!("{}a", "x".repeat(299)));
        assert_eq!(long.as_str().len(), 300);
        assert_eq!(long.escaped().len(), 300);
        assert!(long.shown().ends_with('…'));
        let hostile = RawId::new("a\u{1b}[2Jb\\c");
        assert_eq!(hostile.escaped(), "a\\u{1b}[2Jb\\\\c");
        assert!(!hostile.to_string().contains('\u{1b}'));
        assert_eq!(
            long.to_string(),
            long.as_str(),
            "shown in full in sentences"
        );
    }

    #[test]
    fn ascii_fallback_keeps_the_latin_words_and_leaves_no_debris() {
        assert_eq!(ascii_fallback("Suzhou 苏州"), "Suzhou");
        assert_eq!(
            ascii_fallback("Xiaomi Home 五道口 Wudaokou"),
            "Xiaomi Home Wudaokou"
        );
        assert_eq!(ascii_fallback("E•KINGO"), "E-KINGO");
        assert_eq!(ascii_fallback("Café (苏州)"), "Cafe");
        assert_eq!(ascii_fallback("苏州"), "");
        assert_eq!(escape_ascii("苏州-01"), "\\u{82cf}\\u{5dde}-01");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let long = "长".repeat(500);
        let safe = clean(&long);
        assert_eq!(safe.chars().count(), MAX_TEXT_CHARS);
        assert!(safe.ends_with('…'));
    }
}
