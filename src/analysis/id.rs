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
use std::io::Write;

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
    Rule::from_id(origin).map_or("x", |rule| {
        PREFIXES
            .iter()
            .find(|(r, _)| *r == rule)
            .map_or("x", |(_, p)| p)
    })
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
    pub fn id(&self) -> FindingId {
        let identity = self.identity();
        let prefix = match &self.origin {
            Origin::Rule(_) => prefix_of(&identity.origin),
            Origin::Feed { .. } => FEED,
        };
        // Streamed into the hash: the same bytes as `canonical_key`, without
        // building the string.
        let mut hash = Fnv1a::default();
        serde_json::to_writer(&mut hash, &identity).expect("writing to a hash never fails");
        FindingId::from_parts(prefix, hash.finish())
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
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    fn update(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// The SplitMix64 finaliser (Steele, Lea and Flood) over the FNV state.
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl Write for Fnv1a {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
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
}
