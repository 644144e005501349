//! The names of the snapshot's cities and partners in every spelling a
//! user may type: the id, the English name, the Chinese name, its pinyin
//! in full and its initials (`南京`, `nanjing`, `nj`). Built with the
//! [`SearchIndex`](super::SearchIndex), once per snapshot, so that a
//! `city:` term or a `:city` jump is one lookup in a short table.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use pinyin::{ToPinyin, ToPinyinMulti};

use crate::feed::snapshot::Snapshot;

/// Candidates an ambiguous name shows at most.
pub const MAX_CANDIDATES: usize = 8;

/// The spellings of one record, folded (lower-cased).
#[derive(Clone, Debug)]
struct Spellings {
    /// id, name, Chinese name, pinyin, pinyin initials; empty where none.
    keys: [String; 5],
    /// What the fuzzy matcher ranks: every spelling, one after the other.
    all: String,
}

impl Spellings {
    fn new(id: &str, name: &str, local: Option<&str>) -> Self {
        let (full, initials) = local
            .and_then(|local| pinyin_as_spelled(local, name))
            .or_else(|| {
                [Some(name), local]
                    .into_iter()
                    .flatten()
                    .find_map(pinyin_of)
            })
            .unwrap_or_default();
        let keys = [
            id.to_lowercase(),
            name.to_lowercase(),
            local.unwrap_or("").to_lowercase(),
            full,
            initials,
        ];
        let all = keys
            .iter()
            .filter(|k| !k.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        Spellings { keys, all }
    }
}

/// The pinyin of `local` (a Chinese name) in the readings that spell
/// `english` (its English name), run together, and its initials: 重庆 is
/// chongqing, not zhongqing, and 厦门 xiamen, not shamen. `None` where no
/// reading spells it.
fn pinyin_as_spelled(local: &str, english: &str) -> Option<(String, String)> {
    let target: String = english
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let chars: Vec<char> = local.chars().collect();
    let mut initials = String::new();
    // Names are a few characters: a search of the readings that fit.
    // The English name may go on past them ("Group"): a prefix will do.
    fn fit(chars: &[char], rest: &str, initials: &mut String) -> Option<usize> {
        let Some((first, more)) = chars.split_first() else {
            return Some(0);
        };
        let readings = first.to_pinyin_multi()?;
        for i in 0..readings.count() {
            let reading = readings.get(i);
            if let Some(after) = rest.strip_prefix(reading.plain()) {
                initials.push_str(reading.first_letter());
                if let Some(len) = fit(more, after, initials) {
                    return Some(reading.plain().len() + len);
                }
                initials.pop();
            }
        }
        None
    }
    if chars.is_empty() {
        return None;
    }
    let len = fit(&chars, &target, &mut initials)?;
    Some((target[..len].to_owned(), initials))
}

/// A name's pinyin, run together, and its initials; `None` for a name
/// without Chinese characters.
pub fn pinyin_of(name: &str) -> Option<(String, String)> {
    let mut full = String::new();
    let mut initials = String::new();
    let mut chinese = false;
    for (c, pinyin) in name.chars().zip(name.to_pinyin()) {
        match pinyin {
            Some(pinyin) => {
                chinese = true;
                full.push_str(pinyin.plain());
                initials.push_str(pinyin.first_letter());
            }
            None if c.is_alphanumeric() => {
                full.extend(c.to_lowercase());
                initials.extend(c.to_lowercase());
            }
            None => {}
        }
    }
    chinese.then_some((full, initials))
}

/// Which table of names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Names {
    /// The document's cities.
    Cities,
    /// The document's partners.
    Partners,
}

/// What a name typed after `:city` or `:partner` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// One record, by position in the document.
    One(u32),
    /// Several, best first (at most [`MAX_CANDIDATES`]).
    Several(Vec<u32>),
    /// None.
    Nothing,
}

/// The spellings of the document's cities and partners, by position.
#[derive(Clone, Debug, Default)]
pub struct NameIndex {
    cities: Vec<Spellings>,
    partners: Vec<Spellings>,
}

impl NameIndex {
    /// Folds the names of `snapshot`'s cities and partners.
    pub fn new(snapshot: &Snapshot) -> Self {
        let document = &snapshot.document;
        NameIndex {
            cities: document
                .cities
                .iter()
                .map(|c| Spellings::new(c.id.as_str(), &c.name, c.local_name.as_deref()))
                .collect(),
            partners: document
                .partners
                .iter()
                .map(|p| Spellings::new(p.id.as_str(), &p.name, p.local_name.as_deref()))
                .collect(),
        }
    }

    fn table(&self, names: Names) -> &[Spellings] {
        match names {
            Names::Cities => &self.cities,
            Names::Partners => &self.partners,
        }
    }

    /// The heap memory the names hold, in bytes.
    pub fn heap_bytes(&self) -> usize {
        [&self.cities, &self.partners]
            .iter()
            .flat_map(|t| t.iter())
            .map(|s| s.all.capacity() + s.keys.iter().map(String::capacity).sum::<usize>())
            .sum()
    }

    /// The records any of whose spellings hold `term` (lower-cased), in
    /// order: what a `city:` or `partner:` filter term keeps.
    pub fn holding(&self, names: Names, term: &str) -> Vec<u32> {
        self.table(names)
            .iter()
            .enumerate()
            .filter(|(_, s)| s.keys.iter().any(|k| k.contains(term)))
            .map(|(i, _)| i as u32)
            .collect()
    }

    /// The record `typed` names: one spelled exactly so, else those whose
    /// spellings start with it, else hold it, else a fuzzy match ranked by
    /// nucleo; several when more than one is as good.
    pub fn lookup(&self, names: Names, typed: &str) -> Found {
        let typed = typed.trim().to_lowercase();
        if typed.is_empty() {
            return Found::Nothing;
        }
        let table = self.table(names);
        let tiers: [&dyn Fn(&str) -> bool; 3] = [
            &|k: &str| k == typed,
            &|k: &str| k.starts_with(&typed),
            &|k: &str| k.contains(&typed),
        ];
        for tier in tiers {
            let found: Vec<u32> = (0..table.len())
                .filter(|&i| table[i].keys.iter().any(|k| !k.is_empty() && tier(k)))
                .map(|i| i as u32)
                .collect();
            if !found.is_empty() {
                return found_of(found);
            }
        }
        found_of(self.fuzzy(names, &typed))
    }

    /// The records whose spellings fuzzily match `typed`, best first.
    pub fn fuzzy(&self, names: Names, typed: &str) -> Vec<u32> {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let pattern = Pattern::parse(typed, CaseMatching::Ignore, Normalization::Smart);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, u32)> = self
            .table(names)
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let score = pattern.score(Utf32Str::new(&s.all, &mut buf), &mut matcher)?;
                Some((score, i as u32))
            })
            .collect();
        // Best first; equal scores in document order.
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, i)| i).collect()
    }

    /// The names a completion offers for `typed`: the English names of
    /// the records [`NameIndex::lookup`] finds, in its order.
    pub fn completions(&self, names: Names, typed: &str, snapshot: &Snapshot) -> Vec<String> {
        let found = if typed.trim().is_empty() {
            (0..self.table(names).len() as u32).collect()
        } else {
            match self.lookup(names, typed) {
                Found::One(one) => vec![one],
                Found::Several(several) => several,
                Found::Nothing => Vec::new(),
            }
        };
        let document = &snapshot.document;
        found
            .into_iter()
            .filter_map(|i| match names {
                Names::Cities => document.cities.get(i as usize).map(|c| c.name.to_string()),
                Names::Partners => document
                    .partners
                    .get(i as usize)
                    .map(|p| p.name.to_string()),
            })
            .collect()
    }
}

fn found_of(mut found: Vec<u32>) -> Found {
    match found.len() {
        0 => Found::Nothing,
        1 => Found::One(found[0]),
        _ => {
            found.truncate(MAX_CANDIDATES);
            Found::Several(found)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_runs_together_with_initials() {
        assert_eq!(pinyin_of("南京"), Some(("nanjing".into(), "nj".into())));
        assert_eq!(pinyin_of("宁波"), Some(("ningbo".into(), "nb".into())));
        assert_eq!(pinyin_of("Ningbo"), None);
        // The readings the English name spells, where a character has several.
        assert_eq!(
            pinyin_as_spelled("重庆", "Chongqing"),
            Some(("chongqing".into(), "cq".into()))
        );
        assert_eq!(
            pinyin_as_spelled("厦门", "Xiamen"),
            Some(("xiamen".into(), "xm".into()))
        );
        assert_eq!(
            pinyin_as_spelled("四川港宏", "Sichuan Ganghong Group"),
            Some(("sichuanganghong".into(), "scgh".into()))
        );
        assert_eq!(pinyin_as_spelled("亿今购汽车", "E•KINGO"), None);
    }
}
