//! Field terms of a filter (`sev:`, `city:`, `late`, ...), applied to the
//! rows the plain text kept. Names are resolved once per filter (a
//! `city:` term is a set of city positions), so a row costs a few
//! comparisons of positions and enums, never a name.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;

use super::Pane;
use super::names::Names;
use super::search::{Marks, SearchIndex, facts};
use crate::analysis::{Change, Finding, Rule};
use crate::app::query::{RuleTerm, Term};
use crate::worker::Fresh;

/// A test of one finding (by its position in the analysis, and itself)
/// made from app state (NEW marks, acknowledgements), which the lists
/// cannot know themselves.
pub type FindingTest = Arc<dyn Fn(usize, &Finding) -> bool + Send + Sync>;

/// What app state tells the filters about findings. Each test is `None`
/// until something tracks it: its term is then read but narrows nothing,
/// and the filter line says so.
#[derive(Clone, Default)]
pub struct FindingFlags {
    /// Whether a finding is NEW (`new`).
    pub new: Option<FindingTest>,
    /// Whether a finding is acknowledged (`acked:yes|no`).
    pub acked: Option<FindingTest>,
}

impl fmt::Debug for FindingFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingFlags")
            .field("new", &self.new.is_some())
            .field("acked", &self.acked.is_some())
            .finish()
    }
}

/// Whether `term` says anything about the rows of `pane`.
pub fn applies(pane: Pane, term: &Term) -> bool {
    use Term::*;
    match pane {
        Pane::Cities | Pane::Map => matches!(term, Severity(_) | City(_) | Partner(_) | Late),
        Pane::Partners | Pane::Changes => matches!(term, City(_) | Partner(_)),
        Pane::Stores => matches!(term, City(_) | Partner(_) | Phase(_) | Kind(_) | Late),
        Pane::Conflicts => matches!(
            term,
            Severity(_) | Rule(_) | City(_) | Partner(_) | Late | New | Acked(_)
        ),
        Pane::DataWarnings => false,
    }
}

/// The terms among `terms` that nothing tracks yet, for the filter line.
pub fn untracked(terms: &[Term], flags: &FindingFlags) -> Vec<&'static str> {
    let mut out = Vec::new();
    for term in terms {
        let field = match term {
            Term::New if flags.new.is_none() => "new",
            Term::Acked(_) if flags.acked.is_none() => "acked",
            _ => continue,
        };
        if !out.contains(&field) {
            out.push(field);
        }
    }
    out
}

/// A term with its names resolved to positions in the index.
enum Resolved<'a> {
    /// Cities (positions in the index's cities table).
    Cities(Marks),
    /// Partners (positions in the index's partners table).
    Partners(Marks),
    Other(&'a Term),
}

/// Keeps, of a pane's `rows`, those that pass every term.
pub fn keep(
    index: &SearchIndex,
    pane: Pane,
    rows: &mut Vec<usize>,
    terms: &[Term],
    fresh: &Fresh,
    changes: &VecDeque<Change>,
    flags: &FindingFlags,
) {
    let resolved: Vec<Resolved> = terms
        .iter()
        .map(|term| match term {
            Term::City(name) => {
                Resolved::Cities(index.holding(&fresh.snapshot, Names::Cities, name))
            }
            Term::Partner(name) => {
                Resolved::Partners(index.holding(&fresh.snapshot, Names::Partners, name))
            }
            term => Resolved::Other(term),
        })
        .collect();
    let snapshot = &fresh.snapshot;
    let document = &snapshot.document;
    let passes = |row: usize, term: &Resolved| -> bool {
        match (pane, term) {
            (Pane::Cities | Pane::Map, Resolved::Cities(marks)) => marks.has(row as u32),
            (Pane::Cities | Pane::Map, Resolved::Partners(marks)) => {
                document.cities.get(row).is_some_and(|c| {
                    fresh
                        .index
                        .city_partners(c.id.as_str())
                        .iter()
                        .any(|&p| marks.has(p))
                })
            }
            (Pane::Cities | Pane::Map, Resolved::Other(Term::Severity(sev))) => {
                fresh.analysis.cities.get(row).and_then(|c| c.worst) == Some(*sev)
            }
            (Pane::Cities | Pane::Map, Resolved::Other(Term::Late)) => {
                fresh.analysis.cities.get(row).is_some_and(|c| c.late > 0)
            }
            (Pane::Partners, Resolved::Partners(marks)) => marks.has(row as u32),
            (Pane::Partners, Resolved::Cities(marks)) => {
                document.partners.get(row).is_some_and(|p| {
                    p.cities.iter().any(|c| {
                        snapshot
                            .city_index(c.as_str())
                            .is_some_and(|c| marks.has(c as u32))
                    })
                })
            }
            (Pane::Stores, Resolved::Cities(marks)) => marks.has(index.store_city(row)),
            (Pane::Stores, Resolved::Partners(marks)) => marks.has(index.store_partner(row)),
            (Pane::Stores, Resolved::Other(term)) => {
                let fact = index.store_fact(row);
                match term {
                    Term::Phase(phase) => fact >> 3 == facts::phase(phase),
                    Term::Kind(kind) => fact & 3 == facts::kind(kind),
                    Term::Late => fact & facts::LATE != 0,
                    _ => true,
                }
            }
            (Pane::Conflicts, Resolved::Cities(marks)) => index.names_city(row, marks),
            (Pane::Conflicts, Resolved::Partners(marks)) => index.names_partner(row, marks),
            (Pane::Conflicts, Resolved::Other(term)) => {
                let fact = index.finding_fact(row);
                let finding = || fresh.analysis.findings.get(row);
                match term {
                    Term::Severity(sev) => fact & 3 == facts::severity(*sev),
                    Term::Rule(RuleTerm::Rule(rule)) => fact >> 2 == facts::rule(Some(*rule)),
                    Term::Rule(RuleTerm::Feed) => fact >> 2 == facts::rule(None),
                    Term::Late => {
                        let rule = fact >> 2;
                        rule == facts::rule(Some(Rule::ScheduleSlip))
                            || rule == facts::rule(Some(Rule::DisplayVehicleLate))
                    }
                    Term::New => flags
                        .new
                        .as_ref()
                        .is_none_or(|new| finding().is_some_and(|f| new(row, f))),
                    Term::Acked(yes) => flags
                        .acked
                        .as_ref()
                        .is_none_or(|acked| finding().is_some_and(|f| acked(row, f) == *yes)),
                    _ => true,
                }
            }
            (Pane::Changes, Resolved::Cities(marks)) => changes
                .get(row)
                .and_then(|c| c.city.as_ref())
                .is_some_and(|c| {
                    snapshot
                        .city_index(c.as_str())
                        .is_some_and(|c| marks.has(c as u32))
                }),
            (Pane::Changes, Resolved::Partners(marks)) => changes
                .get(row)
                .and_then(|c| c.partner.as_ref())
                .is_some_and(|p| {
                    snapshot
                        .partner_index(p.as_str())
                        .is_some_and(|p| marks.has(p as u32))
                }),
            _ => true,
        }
    };
    rows.retain(|&row| resolved.iter().all(|term| passes(row, term)));
}
