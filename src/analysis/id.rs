//! Finding ids: short, printable, typeable, and the same on every poll.
//!
//! A finding's identity is its *canonical key*: a JSON array of where it
//! comes from (the rule id, or `feed:<warning id>`), its city (or `null`),
//! its store ids and its partner ids, both sorted, so the order of records in
//! the document never matters and ids holding any character stay apart. A
//! folded pair finding (pairs beyond `rules.max_pairs_per_city`) names its
//! first folded pair only as an example: its key has empty lists (one folded
//! finding per rule and city, and no listed pair has empty lists), so it
//! keeps its id while pairs come and go.
//!
//! The history database stores this key (the one definition: see
//! [`crate::history::key`]); the id is a hash of it, so an id can be
//! computed from any key ever stored.
//!
//! The id is a rule-derived prefix, a dash, and 12 characters of Crockford
//! base32 (60 bits) of a hash of the key's UTF-8 bytes: FNV-1a 64 followed by
//! the SplitMix64 finaliser (FNV-1a alone mixes its last bytes poorly into
//! the high bits). Both are fixed arithmetic on bytes with published
//! constants, written out here: no seed, no dependence on the Rust version,
//! the platform's endianness or a library's choice of hasher, so an id
//! printed today on one host is typed on another next year. 60 bits keep the
//! chance of any two of 50,000 findings colliding below one in 10^8.

use std::borrow::Cow;

use serde::Serialize;
use smallvec::SmallVec;

use super::{Evidence, Finding, Origin, Rule};

/// A finding's stable id, e.g. `ao-qd31nye42fhz`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct FindingId(String);

impl FindingId {
    /// The id of the finding whose canonical key is `key` (as stored in the
    /// history database).
    pub fn of_key(key: &str) -> FindingId {
        use serde::de::IgnoredAny;
        let prefix = serde_json::from_str::<(String, IgnoredAny, IgnoredAny, IgnoredAny)>(key)
            .ok()
            .map_or("x", |(origin, ..)| prefix_of(&origin));
        FindingId::from_parts(prefix, hash_bytes(key.as_bytes()))
    }

    /// An id as stored (in the history database's acknowledgements): not
    /// checked, so whatever the file holds is kept apart and shown escaped.
    pub fn from_stored(id: String) -> FindingId {
        FindingId(id)
    }

    /// An id as typed by a person: trimmed and lower-cased (the alphabet has
    /// no letter that differs only in case). Whether a finding has it is for
    /// the caller to look up.
    pub fn parse(typed: &str) -> Result<FindingId, String> {
        let id = typed.trim().to_ascii_lowercase();
        let Some((prefix, hash)) = id.split_once('-') else {
            return Err(format!(
                "{typed:?} is not a finding id (ids look like ao-qd31nye42fhz)"
            ));
        };
        let known = PREFIXES.iter().any(|(_, p)| *p == prefix) || prefix == FEED || prefix == "x";
        if !known || hash.len() != HASH_CHARS || !hash.bytes().all(|b| ALPHABET.contains(&b)) {
            return Err(format!(
                "{typed:?} is not a finding id (ids look like ao-qd31nye42fhz: a rule prefix, a dash, {HASH_CHARS} characters)"
            ));
        }
        Ok(FindingId(id))
    }

    /// The id as printed and typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn from_parts(prefix: &str, hash: u64) -> FindingId {
        let mut id = String::with_capacity(prefix.len() + 1 + HASH_CHARS);
        id.push_str(prefix);
        id.push('-');
        // The top 60 bits, five at a time.
        for n in (0..HASH_CHARS).rev() {
            let digit = (hash >> (4 + 5 * n)) & 31;
            id.push(char::from(ALPHABET[digit as usize]));
        }
        FindingId(id)
    }
}

impl std::fmt::Display for FindingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How many base32 characters follow the prefix.
const HASH_CHARS: usize = 12;

/// Crockford's base32, lower case: no `i`, `l`, `o` or `u`, so nothing reads
/// as another digit.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// The prefix of each rule's ids: the initials of its id.
const PREFIXES: [(Rule, &str); 9] = [
    (Rule::TerritoryOverlap, "to"),
    (Rule::AgencyOverlap, "ao"),
    (Rule::NoDeliveryCenter, "ndc"),
    (Rule::DeliveryAfterAgency, "daa"),
    (Rule::ScheduleSlip, "ss"),
    (Rule::DisplayVehicleLate, "dvl"),
    (Rule::UnqualifiedPartner, "up"),
    (Rule::CompetitorBrand, "cb"),
    (Rule::OutsideRecruitment, "or"),
];

/// The prefix of the feed's own warnings.
const FEED: &str = "fw";

/// The prefix for a key's origin (`x` for one that is not ours).
fn prefix_of(origin: &str) -> &'static str {
    if origin.starts_with("feed:") {
        return FEED;
    }
    Rule::from_id(origin).map_or("x", prefix_of_rule)
}

/// The prefix of a rule's ids.
fn prefix_of_rule(rule: Rule) -> &'static str {
    PREFIXES
        .iter()
        .find(|(r, _)| *r == rule)
        .map_or("x", |(_, p)| p)
}

/// The parts of a finding's canonical key, borrowed from it; serialises as
/// the key's JSON array.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Identity<'a> {
    /// The rule id, or `feed:<warning id>` (no rule id starts with `feed:`).
    pub origin: Cow<'a, str>,
    /// The city's id.
    pub city: Option<&'a str>,
    /// Store ids, sorted.
    pub stores: SmallVec<[&'a str; 4]>,
    /// Partner ids, sorted.
    pub partners: SmallVec<[&'a str; 4]>,
}

impl Identity<'_> {
    /// The canonical key: `["<origin>", city or null, [stores], [partners]]`.
    pub fn key(&self) -> String {
        serde_json::to_string(self).expect("strings and lists of strings always serialize")
    }
}

impl Serialize for Identity<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (
            &self.origin,
            &self.city,
            self.stores.as_slice(),
            self.partners.as_slice(),
        )
            .serialize(serializer)
    }
}

impl Finding {
    /// The parts of this finding's canonical key (see the module doc).
    pub fn identity(&self) -> Identity<'_> {
        let origin = match &self.origin {
            Origin::Rule(rule) => Cow::Borrowed(rule.id()),
            Origin::Feed { id, .. } => Cow::Owned(format!("feed:{}", id.as_str())),
        };
        let city = self.city.as_ref().map(|c| c.as_str());
        if matches!(self.evidence, Evidence::Folded(_)) {
            return Identity {
                origin,
                city,
                stores: SmallVec::new(),
                partners: SmallVec::new(),
            };
        }
        let mut stores: SmallVec<[&str; 4]> = self.stores.iter().map(|s| s.as_str()).collect();
        stores.sort_unstable();
        let mut partners: SmallVec<[&str; 4]> = self.partners.iter().map(|p| p.as_str()).collect();
        partners.sort_unstable();
        Identity {
            origin,
            city,
            stores,
            partners,
        }
    }

    /// The canonical key, as the history database stores it.
    pub fn canonical_key(&self) -> String {
        self.identity().key()
    }

    /// The finding's stable id (see the module doc).
    ///
    /// The canonical key's bytes go straight into the hash, escaped as
    /// serde_json escapes them, and the key's start is hashed at compile
    /// time: a report computes one id per finding, and building the
    /// [`Identity`] and serialising it through `io::Write` cost more than
    /// the hashing. `the_fast_id_is_the_hash_of_the_key` holds the two
    /// together.
    pub fn id(&self) -> FindingId {
        let (mut hash, prefix) = match &self.origin {
            Origin::Rule(rule) => (
                Fnv1a(RULE_KEY_STARTS[*rule as usize]),
                prefix_of_rule(*rule),
            ),
            Origin::Feed { id, .. } => {
                let mut hash = Fnv1a(FEED_KEY_START);
                hash.json_chars(id.as_str());
                hash.update(b"\",");
                (hash, FEED)
            }
        };
        match &self.city {
            Some(city) => hash.json_str(city.as_str()),
            None => hash.update(b"null"),
        }
        if matches!(self.evidence, Evidence::Folded(_)) {
            hash.update(b",[],[]]");
        } else {
            hash.update(b",");
            hash.json_sorted(&self.stores, |s| s.as_str());
            hash.update(b",");
            hash.json_sorted(&self.partners, |p| p.as_str());
            hash.update(b"]");
        }
        FindingId::from_parts(prefix, hash.finish())
    }
}

/// The FNV-1a state after each rule's key start, `["<rule id>",`, by
/// [`Rule::ALL`] position (rule ids hold nothing JSON escapes).
const RULE_KEY_STARTS: [u64; Rule::ALL.len()] = {
    let mut states = [0; Rule::ALL.len()];
    let mut n = 0;
    while n < states.len() {
        let state = fnv1a_const(FNV_OFFSET, b"[\"");
        let state = fnv1a_const(state, Rule::ALL[n].id().as_bytes());
        states[n] = fnv1a_const(state, b"\",");
        n += 1;
    }
    states
};

/// The FNV-1a state after a feed warning's key start, `["feed:`.
const FEED_KEY_START: u64 = fnv1a_const(FNV_OFFSET, b"[\"feed:");

/// FNV-1a's offset basis.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a's prime.
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// [`Fnv1a::update`] at compile time.
const fn fnv1a_const(mut state: u64, bytes: &[u8]) -> u64 {
    let mut n = 0;
    while n < bytes.len() {
        state ^= bytes[n] as u64;
        state = state.wrapping_mul(FNV_PRIME);
        n += 1;
    }
    state
}

/// Whether `a` sorts before `b` (as `str`s do, byte by byte), inline:
/// ids are short and share their start, and a `memcmp` call for each pair
/// was a sixth of the id.
fn less(a: &[u8], b: &[u8]) -> bool {
    match a.iter().zip(b).find(|(x, y)| x != y) {
        Some((x, y)) => x < y,
        None => a.len() < b.len(),
    }
}

/// FNV-1a 64 of `bytes`, finalised.
fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hash = Fnv1a::default();
    hash.update(bytes);
    hash.finish()
}

/// FNV-1a 64 (offset basis and prime as published by Fowler, Noll and Vo).
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(FNV_OFFSET)
    }
}

impl Fnv1a {
    fn update(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.byte(byte);
        }
    }

    fn byte(&mut self, byte: u8) {
        self.0 ^= u64::from(byte);
        self.0 = self.0.wrapping_mul(FNV_PRIME);
    }

    /// A JSON string's characters (no quotes) as serde_json writes them:
    /// `"` and `\` escaped, the control characters as `\b`, `\t`, `\n`,
    /// `\f`, `\r` or `\u00xx` (lower-case hex), everything else as is.
    fn json_chars(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for &byte in s.as_bytes() {
            let short = match byte {
                b'"' => b'"',
                b'\\' => b'\\',
                0x08 => b'b',
                0x09 => b't',
                0x0a => b'n',
                0x0c => b'f',
                0x0d => b'r',
                0x00..=0x1f => {
                    let hex = [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 15)]];
                    self.update(b"\\u00");
                    self.update(&hex);
                    continue;
                }
                _ => {
                    self.byte(byte);
                    continue;
                }
            };
            self.update(&[b'\\', short]);
        }
    }

    /// A JSON string, quoted.
    fn json_str(&mut self, s: &str) {
        self.byte(b'"');
        self.json_chars(s);
        self.byte(b'"');
    }

    /// A JSON array of the items' strings in byte order, sorted here only
    /// when they are not already (the rules name stores in id order).
    fn json_sorted<T>(&mut self, items: &[T], as_str: impl Fn(&T) -> &str) {
        let sorted = items
            .windows(2)
            .all(|w| !less(as_str(&w[1]).as_bytes(), as_str(&w[0]).as_bytes()));
        self.byte(b'[');
        if sorted {
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    self.byte(b',');
                }
                self.json_str(as_str(item));
            }
        } else {
            let mut strs: SmallVec<[&str; 4]> = items.iter().map(&as_str).collect();
            strs.sort_unstable();
            for (n, s) in strs.iter().enumerate() {
                if n > 0 {
                    self.byte(b',');
                }
                self.json_str(s);
            }
        }
        self.byte(b']');
    }

    /// The SplitMix64 finaliser (Steele, Lea and Flood) over the FNV state.
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::analysis::Severity;
    use crate::feed::wire::{CityId, PartnerId, StoreId, Text, WarningId};

    fn finding(origin: Origin, stores: &[&str], partners: &[&str]) -> Finding {
        Finding {
            origin,
            severity: Severity::Warning,
            city: Some(CityId::new("suzhou")),
            stores: stores.iter().map(|s| StoreId::new(s)).collect(),
            partners: partners.iter().map(|p| PartnerId::new(p)).collect(),
            evidence: Evidence::Feed(Text::new("x")),
        }
    }

    /// Pinned values: a change to the key, the hash or the encoding fails
    /// here, and every id anyone acknowledged would be lost with it.
    #[test]
    fn ids_are_pinned() {
        assert_eq!(hash_bytes(b""), {
            let mut z: u64 = 0xcbf2_9ce4_8422_2325;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        });
        // FNV-1a 64 of "a" as published: 0xaf63dc4c8601ec8c.
        let mut fnv = Fnv1a::default();
        fnv.update(b"a");
        assert_eq!(fnv.0, 0xaf63_dc4c_8601_ec8c);
        let f = finding(Origin::Rule(Rule::AgencyOverlap), &["s2", "s1"], &["p1"]);
        assert_eq!(
            f.canonical_key(),
            r#"["agency_overlap","suzhou",["s1","s2"],["p1"]]"#
        );
        assert_eq!(f.id().as_str(), "ao-qd31nye42fhz");
    }

    #[test]
    fn the_id_is_the_hash_of_the_stored_key() {
        let findings = [
            finding(Origin::Rule(Rule::TerritoryOverlap), &["b", "a"], &["p"]),
            finding(
                Origin::Feed {
                    id: WarningId::new("w\"1"),
                    kind: None,
                },
                &["s"],
                &[],
            ),
        ];
        for f in &findings {
            assert_eq!(FindingId::of_key(&f.canonical_key()), f.id());
            assert_eq!(FindingId::parse(f.id().as_str()).unwrap(), f.id());
            assert_eq!(
                FindingId::parse(&format!(" {} ", f.id().as_str().to_uppercase())).unwrap(),
                f.id()
            );
        }
        assert!(findings[1].id().as_str().starts_with("fw-"));
    }

    #[test]
    fn ids_that_are_not_ids_are_refused_with_the_reason() {
        for typed in [
            "",
            "ao",
            "ao-",
            "zz-0123456789ab",
            "ao-0123456789a",
            "ao-0123456789ai",
        ] {
            let error = FindingId::parse(typed).unwrap_err();
            assert!(error.contains("is not a finding id"), "{typed}: {error}");
        }
    }

    #[test]
    fn order_does_not_matter_but_every_byte_does() {
        let rule = Origin::Rule(Rule::AgencyOverlap);
        let a = finding(rule.clone(), &["s2", "s1"], &["p|2", "p1"]);
        let b = finding(rule.clone(), &["s1", "s2"], &["p1", "p|2"]);
        assert_eq!(a.id(), b.id());
        let c = finding(rule, &["s1", "s2\u{200b}"], &["p1", "p|2"]);
        assert_ne!(a.id(), c.id());
    }

    /// The id as the serde path makes it: the hash of the canonical key
    /// serde_json writes, with the prefix read back from that key.
    fn id_via_key(f: &Finding) -> FindingId {
        FindingId::of_key(&f.canonical_key())
    }

    /// Characters JSON escapes (quotes, backslashes, every control
    /// character), a few it does not (DEL, U+2028, non-ASCII), and ASCII.
    fn hostile() -> impl Strategy<Value = String> {
        let chars = prop_oneof![
            Just('"'),
            Just('\\'),
            Just('/'),
            Just('\u{7f}'),
            Just('\u{2028}'),
            Just('\u{200b}'),
            Just('中'),
            Just('é'),
            Just('🚗'),
            (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
            proptest::char::range('a', 'e'),
        ];
        prop::collection::vec(chars, 0..8).prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        /// The id hashed straight from the finding is, bit for bit, the one
        /// of the key serde_json writes, for ids holding anything, in any
        /// order, for every origin, with and without a city, folded or not.
        #[test]
        fn the_fast_id_is_the_hash_of_the_key(
            rule in 0..Rule::ALL.len() + 1,
            warning in hostile(),
            city in proptest::option::of(hostile()),
            stores in prop::collection::vec(hostile(), 0..5),
            partners in prop::collection::vec(hostile(), 0..5),
            folded in any::<bool>(),
        ) {
            let origin = match Rule::ALL.get(rule) {
                Some(rule) => Origin::Rule(*rule),
                None => Origin::Feed { id: WarningId::new(&warning), kind: None },
            };
            let stores: Vec<&str> = stores.iter().map(String::as_str).collect();
            let partners: Vec<&str> = partners.iter().map(String::as_str).collect();
            let mut f = finding(origin, &stores, &partners);
            f.city = city.as_deref().map(CityId::new);
            if folded {
                f.evidence = Evidence::Folded(Box::new(crate::analysis::FoldedPairs {
                    pairs: 3,
                    exact: true,
                    listed: 1,
                    first: None,
                    stopped: false,
                    overlap_km: 3.0,
                    critical_km: 1.0,
                }));
            }
            prop_assert_eq!(f.id(), id_via_key(&f));
        }
    }

    /// The key starts hashed at compile time are those of the rules' keys,
    /// by `Rule::ALL` position, and `less` orders as `str` does.
    #[test]
    fn the_key_starts_are_each_rules() {
        for (n, rule) in Rule::ALL.into_iter().enumerate() {
            assert_eq!(rule as usize, n);
            let mut hash = Fnv1a::default();
            hash.update(b"[");
            let quoted = serde_json::to_string(rule.id()).unwrap();
            hash.update(quoted.as_bytes());
            hash.update(b",");
            assert_eq!(RULE_KEY_STARTS[n], hash.0, "{rule:?}");
        }
        for (a, b) in [
            ("", ""),
            ("", "a"),
            ("a", "b"),
            ("ab", "a"),
            ("a\u{0}", "a"),
            ("é", "z"),
        ] {
            assert_eq!(less(a.as_bytes(), b.as_bytes()), a < b, "{a:?} {b:?}");
            assert_eq!(less(b.as_bytes(), a.as_bytes()), b < a, "{b:?} {a:?}");
        }
    }

    /// Hand-picked hostile ids, so the comparison does not rest on chance.
    #[test]
    fn the_fast_id_is_the_hash_of_the_key_for_hostile_ids() {
        let ids = [
            "",
            "\"",
            "\\",
            "a\"b\\c",
            "\u{0}",
            "\u{8}\u{9}\u{a}\u{c}\u{d}",
            "\u{1f}\u{1b}[31m",
            "\u{7f}",
            "宁波-01",
            "\u{2028}\u{2029}",
            "é\u{301}",
            "🚗",
            "</script>",
        ];
        for (n, id) in ids.iter().enumerate() {
            let other = ids[(n + 1) % ids.len()];
            for origin in [
                Origin::Rule(Rule::ALL[n % Rule::ALL.len()]),
                Origin::Feed {
                    id: WarningId::new(id),
                    kind: None,
                },
            ] {
                // Unsorted, so the fast path sorts as the key does.
                let mut f = finding(origin, &[id, other, "0"], &[other, id]);
                f.city = Some(CityId::new(other));
                assert_eq!(f.id(), id_via_key(&f), "{id:?}");
                f.city = None;
                assert_eq!(f.id(), id_via_key(&f), "{id:?}");
            }
        }
    }
}
