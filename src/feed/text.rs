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
    fn long_text_is_cut_with_an_ellipsis() {
        let long = "长".repeat(500);
        let safe = clean(&long);
        assert_eq!(safe.chars().count(), MAX_TEXT_CHARS);
        assert!(safe.ends_with('…'));
    }
}
