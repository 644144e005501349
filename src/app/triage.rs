//! Acknowledgements on screen: which findings of the snapshot shown are
//! acknowledged (worked out off the UI task, see [`Triage::of`]), whether
//! they are shown, and the one-line prompt that asks for a note.

use std::sync::{Arc, Weak};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::analysis::{Analysis, FindingId, Severity};
use crate::history::acks::Acks;
use crate::history::time::parse_duration;
use crate::i18n::Lang;
use crate::tr;

/// The acknowledgements read from the history database, and which findings
/// of one analysis they cover.
#[derive(Clone, Debug, Default)]
pub struct Triage {
    /// The acknowledgements, as read.
    pub acks: Acks,
    /// The analysis `acked` and `ids` describe.
    analysis: Weak<Analysis>,
    /// The id of each of its findings, by position (kept for the next
    /// read); not worked out while nothing is acknowledged.
    pub ids: Option<Arc<[FindingId]>>,
    /// Whether each of its findings is acknowledged, by position (empty:
    /// none is).
    acked: Arc<[bool]>,
    /// How many are acknowledged, by severity: critical, warning, info.
    pub count: [usize; 3],
    /// When the first snooze that held when this was worked out runs out.
    pub lapses_at: Option<DateTime<Utc>>,
}

impl Triage {
    /// Which findings of `analysis` `acks` cover at `now`: a hash of every
    /// finding (or `ids` of this analysis, worked out before), so it runs
    /// on a blocking task, never the UI task. Nothing is hashed while
    /// nothing is acknowledged.
    pub fn of(
        acks: Acks,
        analysis: &Arc<Analysis>,
        ids: Option<Arc<[FindingId]>>,
        now: DateTime<Utc>,
    ) -> Triage {
        let findings = &analysis.findings;
        let mut count = [0; 3];
        let (ids, acked): (Option<Arc<[FindingId]>>, Arc<[bool]>) = if acks.is_empty() {
            (None, Arc::from(Vec::new()))
        } else {
            let ids = ids
                .filter(|ids| ids.len() == findings.len())
                .unwrap_or_else(|| findings.iter().map(|f| f.id()).collect());
            let acked = ids
                .iter()
                .zip(findings)
                .map(|(id, finding)| {
                    let acked = acks.is_acked(id, now);
                    if acked {
                        count[severity_slot(finding.severity)] += 1;
                    }
                    acked
                })
                .collect();
            (Some(ids), acked)
        };
        Triage {
            lapses_at: acks.next_lapse(now),
            acks,
            analysis: Arc::downgrade(analysis),
            ids,
            acked,
            count,
        }
    }

    /// How many findings of `severity` are acknowledged.
    pub fn acked_of(&self, severity: Severity) -> usize {
        self.count[severity_slot(severity)]
    }

    /// Whether any finding is acknowledged.
    pub fn any(&self) -> bool {
        self.count.iter().any(|&n| n > 0)
    }

    /// The per-finding flags, for the lists.
    pub(crate) fn flags(&self) -> Arc<[bool]> {
        Arc::clone(&self.acked)
    }

    /// Whether each finding is acknowledged, by position (empty: none is).
    pub(crate) fn acked_flags(&self) -> &[bool] {
        &self.acked
    }

    /// Whether this describes `analysis`.
    pub fn is_of(&self, analysis: &Arc<Analysis>) -> bool {
        std::ptr::eq(self.analysis.as_ptr(), Arc::as_ptr(analysis))
    }

    /// Whether the finding at `row` of the analysis described is acknowledged.
    pub fn is_row_acked(&self, row: usize) -> bool {
        self.acked.get(row).copied().unwrap_or(false)
    }
}

fn severity_slot(severity: Severity) -> usize {
    match severity {
        Severity::Critical => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// The prompt `a` opens: a note, and optionally ` --for 3d`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckPrompt {
    /// The finding to acknowledge.
    pub finding: FindingId,
    /// What was typed.
    pub text: String,
    /// Why the last Enter did not save, if it did not.
    pub error: Option<String>,
}

/// The longest note the prompt takes (characters).
pub const MAX_NOTE_CHARS: usize = 500;

/// Splits what was typed into the note and the snooze: `note --for 3d`;
/// what was wrong is said in `lang`.
pub fn parse_prompt(text: &str, lang: Lang) -> Result<(String, Option<Duration>), String> {
    let text = text.trim();
    let (note, duration) = match text.rfind("--for") {
        Some(at) if at == 0 || text[..at].ends_with(' ') => {
            let duration = text[at + "--for".len()..].trim();
            if duration.is_empty() {
                return Err(tr!(lang, "ack-needs-duration").into_owned());
            }
            let parsed = parse_duration(duration).map_err(|sentence| match lang {
                // The duration parser's own sentence, as `ack --for` says it.
                Lang::En => sentence,
                Lang::Zh => tr!(lang, "ack-not-a-duration", typed = duration).into_owned(),
            })?;
            (text[..at].trim(), Some(parsed))
        }
        _ => (text, None),
    };
    Ok((note.to_owned(), duration))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompt_takes_a_note_and_a_snooze() {
        assert_eq!(
            parse_prompt("  known  ", Lang::En),
            Ok(("known".into(), None))
        );
        assert_eq!(
            parse_prompt("landlord dispute --for 3d", Lang::En),
            Ok((
                "landlord dispute".into(),
                Some(Duration::from_secs(3 * 86_400))
            ))
        );
        assert_eq!(
            parse_prompt("--for 12h", Lang::En),
            Ok((String::new(), Some(Duration::from_secs(12 * 3600))))
        );
        // Inside a word it is part of the note.
        assert_eq!(
            parse_prompt("x--for 3d", Lang::En),
            Ok(("x--for 3d".into(), None))
        );
        assert!(
            parse_prompt("note --for", Lang::En)
                .unwrap_err()
                .contains("needs a duration")
        );
        assert!(parse_prompt("note --for 3 days", Lang::En).is_err());
    }

    #[test]
    fn the_prompt_says_what_was_wrong_in_chinese() {
        assert_eq!(
            parse_prompt("note --for", Lang::Zh),
            Err("--for 需要时长：30m、12h、3d".into())
        );
        assert_eq!(
            parse_prompt("note --for 3 days", Lang::Zh),
            Err("3 days 不是有效时长（30s、90m、6h、2d）".into())
        );
        assert!(
            parse_prompt("note --for 3 days", Lang::En)
                .unwrap_err()
                .contains("is not a duration")
        );
    }
}
