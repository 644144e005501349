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
use unicode_normalization::char::is_combining_mark;
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

/// Text for a terminal that can show only ASCII, the one place the
/// dashboard and the report turn text into ASCII: Chinese in tone-less
/// pinyin, a run of characters one word (`重庆` -> `chongqing`); accents
/// dropped (`café` -> `cafe`); common punctuation spelled in ASCII
/// (`E•KINGO` -> `E-KINGO`, `（` -> `(`); full-width forms as their ASCII
/// letter; other wide characters left out with the spaces around them
/// closed up, and anything else a `?`.
pub fn ascii_fallback(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.nfc().collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii() {
            out.push(c);
            i += 1;
            continue;
        }
        if let Some((word, used)) = pinyin_run(&chars[i..]) {
            // A run of Chinese is one word, kept apart from letters around it.
            if out.ends_with(|p: char| p.is_ascii_alphanumeric()) {
                out.push(' ');
            }
            out.push_str(&word);
            i += used;
            if chars.get(i).is_some_and(|n| n.is_alphanumeric()) {
                out.push(' ');
            }
            continue;
        }
        i += 1;
        if let Some(ascii) = ascii_for(c) {
            out.push_str(ascii);
        } else if let Some(fullwidth) = fullwidth_ascii(c) {
            out.push(fullwidth);
        } else {
            // A letter with marks: its ASCII base letter.
            let base: String = std::iter::once(c)
                .nfd()
                .filter(|b| b.is_ascii_alphanumeric())
                .collect();
            if !base.is_empty() {
                out.push_str(&base);
            } else if is_combining_mark(c) || unicode_width::UnicodeWidthChar::width(c) == Some(0) {
                // A mark on its own or an invisible character: nothing to show.
            } else if unicode_width::UnicodeWidthChar::width(c) == Some(2) {
                // A wide character without a reading: a gap, closed up below.
                out.push(' ');
            } else {
                out.push('?');
            }
        }
    }
    Cow::Owned(close_up(text, &out))
}

/// `out` with the gaps left-out characters leave closed up, and the
/// original text's own leading and trailing space (a separator) kept.
fn close_up(text: &str, out: &str) -> String {
    let mut closed = out
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    closed = closed.replace("( )", "").replace("()", "");
    let mut closed = closed
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let trailing = text.ends_with(' ') && !closed.is_empty();
    if text.starts_with(' ') {
        closed.insert(0, ' ');
    }
    if trailing {
        closed.push(' ');
    }
    closed
}

/// Readings of place names whose characters have more than one: the
/// `pinyin` crate gives each character its commonest reading, which for
/// these names is wrong (`重庆` would read `zhongqing`).
const PLACE_READINGS: &[(&str, &str)] = &[
    ("重庆", "chongqing"),
    ("成都", "chengdu"),
    ("佛山", "foshan"),
    ("东莞", "dongguan"),
    ("番禺", "panyu"),
    ("台州", "taizhou"),
    ("亳州", "bozhou"),
    ("乐清", "yueqing"),
    ("长沙", "changsha"),
    ("长春", "changchun"),
    ("长治", "changzhi"),
    ("厦门", "xiamen"),
    ("蚌埠", "bengbu"),
    ("六安", "lu'an"),
    ("乐山", "leshan"),
    ("调兵山", "diaobingshan"),
    ("大理", "dali"),
    ("朝阳", "chaoyang"),
    ("行唐", "xingtang"),
    ("银行", "yinhang"),
    ("汽车", "qiche"),
];

/// The tone-less pinyin of the Chinese characters that begin `chars`, as one
/// word, and how many characters it read; `None` when `chars` does not
/// begin with a character that has a reading.
fn pinyin_run(chars: &[char]) -> Option<(String, usize)> {
    use pinyin::ToPinyin;
    let mut word = String::new();
    let mut used = 0;
    'run: while used < chars.len() {
        for (name, reading) in PLACE_READINGS {
            let len = name.chars().count();
            if chars.len() - used >= len && chars[used..used + len].iter().copied().eq(name.chars())
            {
                push_syllable(&mut word, reading);
                used += len;
                continue 'run;
            }
        }
        match chars[used].to_pinyin() {
            Some(reading) => push_syllable(&mut word, reading.plain()),
            None => break,
        }
        used += 1;
    }
    (used > 0).then_some((word, used))
}

/// Adds a syllable (or a word) to `word`, with the apostrophe pinyin puts
/// before an `a`, `o` or `e` inside a word so `西安` reads `xi'an`, not `xian`.
fn push_syllable(word: &mut String, syllable: &str) {
    if !word.is_empty() && syllable.starts_with(['a', 'o', 'e']) {
        word.push('\'');
    }
    word.push_str(syllable);
}

/// ASCII for punctuation and symbols common in names and sentences.
fn ascii_for(c: char) -> Option<&'static str> {
    Some(match c {
        '•' | '·' | '‧' | '・' => "-",
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => "-",
        '‘' | '’' | '‚' | '′' => "'",
        '“' | '”' | '„' | '″' | '「' | '」' | '《' | '》' => "\"",
        '…' => "...",
        '→' => "->",
        '←' => "<-",
        '×' => "x",
        '\u{a0}' | '\u{3000}' => " ",
        '、' | '，' => ",",
        '。' => ".",
        '：' => ":",
        '；' => ";",
        '！' => "!",
        '？' => "?",
        '（' => "(",
        '）' => ")",
        '【' => "[",
        '】' => "]",
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
    fn ascii_fallback_reads_chinese_in_pinyin_and_leaves_no_debris() {
        assert_eq!(ascii_fallback("Suzhou 苏州"), "Suzhou suzhou");
        assert_eq!(
            ascii_fallback("Xiaomi Home 五道口 Wudaokou"),
            "Xiaomi Home wudaokou Wudaokou"
        );
        // Mixed text: a run of Chinese is one word, apart from letters and
        // digits beside it; Chinese punctuation in ASCII.
        assert_eq!(ascii_fallback("小米汽车A店"), "xiaomiqiche A dian");
        assert_eq!(ascii_fallback("重庆（渝中）"), "chongqing(yuzhong)");
        assert_eq!(ascii_fallback("苏州，无锡。"), "suzhou,wuxi.");
        assert_eq!(ascii_fallback("厦门-01"), "xiamen-01");
        assert_eq!(ascii_fallback("长沙"), "changsha");
        assert_eq!(ascii_fallback("西安"), "xi'an");
        assert_eq!(ascii_fallback("六安"), "lu'an");
        assert_eq!(ascii_fallback("E•KINGO"), "E-KINGO");
        assert_eq!(ascii_fallback("Café (苏州)"), "Cafe (suzhou)");
        assert_eq!(ascii_fallback("苏州"), "suzhou");
        // Non-CJK kept or spelt; nothing Chinese ever a `?`.
        assert_eq!(ascii_fallback("café-01"), "cafe-01");
        assert_eq!(ascii_fallback("Xi’an – west"), "Xi'an - west");
        assert_eq!(ascii_fallback("ＡＢＣ１"), "ABC1");
        assert_eq!(ascii_fallback("Москва"), "??????");
        assert_eq!(ascii_fallback("Café (🚗)"), "Cafe");
        assert_eq!(ascii_fallback(" 苏州 "), " suzhou ");
        assert!(!ascii_fallback("宁波 杭州 温州 深圳 广州 北京 上海").contains('?'));
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
