//! `rollout-dash report`: one poll, no TUI, for scripts, cron and pipes.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;

use crate::analysis::{Analysis, FindingId, Severity};
use crate::cli::{Format, ReportArgs};
use crate::config::Config;
use crate::exit::{EXIT_FEED, EXIT_FINDING, EXIT_USAGE};
use crate::feed::client::{FeedClient, PollResult};
use crate::feed::snapshot::{DataWarning, Snapshot};
use crate::feed::text;
use crate::feed::wire::FeedWarning;
use crate::history::acks::{Ack, Acks};
use crate::history::time::TimeSpec;
use crate::history::{History, HistoryError, Recorded, RecordedChange, SnapshotId};
use crate::i18n::Lang;
use crate::settings::zoned;
use crate::tr;

/// Writes one line to stderr, ignoring a closed stderr: `report 2>&1 | true`
/// must end with its exit code, not abort in a panic about the pipe.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(io::stderr(), $($arg)*);
    }};
}

/// The report's JSON document (`report --format json`).
#[derive(Clone, Debug, Serialize)]
pub struct Report<'a> {
    /// The feed's `generated_at`.
    pub generated_at: String,
    /// The feed polled.
    pub feed: &'a str,
    /// The programme's name.
    pub program: &'a str,
    /// Totals.
    pub summary: Summary,
    /// Every city in the feed, in feed order.
    pub cities: Vec<CityReport<'a>>,
    /// The conflicts the dashboard's rules found, in stable order; written
    /// one by one as the JSON is written, never all held at once.
    pub conflicts: Conflicts<'a>,
    /// Validation problems, naming the record at fault.
    pub data_warnings: DataWarnings<'a>,
    /// The feed's own warnings, as received.
    pub feed_warnings: &'a [FeedWarning],
    /// With `--since`: what changed since then, from the history database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Vec<ChangeReport>>,
    /// With `--since`: the time the changes start from, for the text report.
    #[serde(skip)]
    pub since: Option<Since>,
}

/// One change in `report --since`.
#[derive(Clone, Debug, Serialize)]
pub struct ChangeReport {
    /// When the snapshot that brought it was received (RFC 3339).
    pub at: String,
    /// `store_added`, `store_phase`, `conflict_appeared`, ...
    pub kind: &'static str,
    /// The id of the record that changed, or the key of the finding.
    pub record: String,
    /// One line, as the change log says it.
    pub message: String,
}

impl ChangeReport {
    /// The report's form of a recorded change.
    pub fn of(recorded: &RecordedChange) -> Self {
        ChangeReport {
            at: recorded
                .change
                .at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            kind: crate::history::change_kind_name(recorded.change.kind),
            record: recorded.record.clone(),
            message: recorded.change.message.clone(),
        }
    }
}

/// Where the changes of `--since` start, and why some may be missing.
#[derive(Debug, Clone)]
pub struct Since {
    /// The time asked for (RFC 3339).
    pub time: String,
    /// What limits the list (history starts later, or is off), if anything.
    pub note: Option<String>,
}

/// Totals over the rollout.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Cities in the feed.
    pub cities: usize,
    /// Cities recruiting dealers.
    pub recruiting_cities: usize,
    /// Partners in the feed.
    pub partners: usize,
    /// Partners at intention or contract stage.
    pub signed_partners: usize,
    /// Stores of every kind.
    pub stores_total: usize,
    /// Stores open.
    pub stores_open: usize,
    /// Average build-out percent.
    pub avg_percent: f64,
    /// Stores late.
    pub late: usize,
    /// Findings by severity (conflicts and feed warnings).
    pub critical: usize,
    /// Warnings.
    pub warning: usize,
    /// Infos.
    pub info: usize,
}

/// One city in the report.
#[derive(Clone, Debug, Serialize)]
pub struct CityReport<'a> {
    /// City id.
    pub id: &'a str,
    /// City name.
    pub name: &'a str,
    /// Chinese name.
    pub local_name: Option<&'a str>,
    /// `planned`, `open`, `shortlisting`, `signed`, `closed` (`planned` when absent).
    pub recruitment_status: &'a str,
    /// Partners serving the city.
    pub partners: usize,
    /// Stores of every kind.
    pub stores_total: usize,
    /// Stores open.
    pub stores_open: usize,
    /// Average build-out percent, one decimal.
    pub avg_percent: f64,
    /// Stores late.
    pub late: usize,
    /// Findings in the city, the feed's warnings naming it included: the
    /// count the dashboard's badge and drill-down show.
    pub conflicts: usize,
}

/// One conflict in the report.
#[derive(Debug, Serialize)]
pub struct ConflictReport<'a> {
    /// The finding's stable id (what `ack` takes).
    pub id: FindingId,
    /// Rule id.
    pub rule: &'static str,
    /// Severity.
    pub severity: Severity,
    /// City id; absent for partner-wide findings (the contract's table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<&'a str>,
    /// Store ids.
    pub stores: Vec<&'a str>,
    /// Partner ids.
    pub partners: Vec<&'a str>,
    /// One sentence.
    pub message: String,
    /// Its acknowledgement, if one holds: `{by, at, until, note}`, else null.
    pub acked: Option<&'a Ack>,
}

/// The conflicts of one analysis, serialized as a JSON list one at a time:
/// at national scale the sentences alone are tens of megabytes.
#[derive(Debug, Clone, Copy)]
pub struct Conflicts<'a> {
    snapshot: &'a Snapshot,
    analysis: &'a Analysis,
    acks: Option<&'a Acks>,
    now: chrono::DateTime<chrono::Utc>,
    lang: Lang,
    /// Serialize as an empty list: [`write_json`] writes them itself.
    left_out: bool,
}

impl<'a> Conflicts<'a> {
    /// Each conflict as it is written (the feed's own warnings are left out:
    /// they are `feed_warnings`).
    pub fn iter(&self) -> impl Iterator<Item = ConflictReport<'a>> + 'a {
        self.iter_over(&self.analysis.findings)
    }

    fn iter_over(
        &self,
        findings: &'a [crate::analysis::Finding],
    ) -> impl Iterator<Item = ConflictReport<'a>> + 'a {
        let snapshot = self.snapshot;
        let (acks, now, lang) = (self.acks, self.now, self.lang);
        findings.iter().filter_map(move |f| match f.origin {
            crate::analysis::Origin::Rule(rule) => Some({
                let id = f.id();
                ConflictReport {
                    acked: acks.and_then(|acks| acks.get(&id, now)),
                    id,
                    rule: rule.id(),
                    severity: f.severity,
                    city: f.city.as_ref().map(|c| c.as_str()),
                    stores: f.stores.iter().map(|s| s.as_str()).collect(),
                    partners: f.partners.iter().map(|p| p.as_str()).collect(),
                    message: f.message(snapshot, lang),
                }
            }),
            crate::analysis::Origin::Feed { .. } => None,
        })
    }
}

/// The data warnings of a report: `{record, message}` each, the message
/// in the report's language.
#[derive(Debug, Clone, Copy)]
pub struct DataWarnings<'a> {
    warnings: &'a [DataWarning],
    lang: Lang,
}

impl DataWarnings<'_> {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.warnings.is_empty()
    }
}

impl Serialize for DataWarnings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Said<'a> {
            record: &'a crate::feed::wire::RawId,
            message: std::borrow::Cow<'a, str>,
        }
        serializer.collect_seq(self.warnings.iter().map(|w| Said {
            record: &w.record,
            message: w.message_in(self.lang),
        }))
    }
}

impl Serialize for Conflicts<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.left_out {
            return serializer.collect_seq(std::iter::empty::<ConflictReport<'_>>());
        }
        serializer.collect_seq(self.iter())
    }
}

impl<'a> Conflicts<'a> {
    /// The conflicts among `findings[range]`, as [`write_json`] puts them in
    /// the list: each after `,` and a new line, indented for its depth.
    ///
    /// Written by hand, byte for byte what serde_json's pretty writer makes
    /// of [`ConflictReport`] (a test holds them together): through serde, a
    /// national report spent a third of its time in the serializer.
    fn write_block(&self, range: std::ops::Range<usize>, out: &mut Vec<u8>) {
        let mut message = String::with_capacity(256);
        for f in &self.analysis.findings[range] {
            let crate::analysis::Origin::Rule(rule) = f.origin else {
                continue;
            };
            let id = f.id();
            out.extend_from_slice(field::ID);
            json_str(out, id.as_str());
            out.extend_from_slice(field::RULE);
            json_str(out, rule.id());
            out.extend_from_slice(field::SEVERITY);
            // The lowercase word its `Serialize` writes.
            json_str(out, f.severity.word());
            if let Some(city) = &f.city {
                out.extend_from_slice(field::CITY);
                json_str(out, city.as_str());
            }
            out.extend_from_slice(field::STORES);
            json_list(out, f.stores.iter().map(|s| s.as_str()));
            out.extend_from_slice(field::PARTNERS);
            json_list(out, f.partners.iter().map(|p| p.as_str()));
            out.extend_from_slice(field::MESSAGE);
            message.clear();
            crate::analysis::sentence::write(f, self.snapshot, self.lang, &mut message);
            json_str(out, &message);
            out.extend_from_slice(field::ACKED);
            match self.acks.and_then(|acks| acks.get(&id, self.now)) {
                None => out.extend_from_slice(field::NULL),
                Some(ack) => {
                    // Rare: serde writes it at the top level, and every line
                    // after the first moves in to the ack's depth (a raw new
                    // line is never inside a JSON string).
                    let json = serde_json::to_vec_pretty(ack).unwrap_or_default();
                    for (n, line) in json.split(|&b| b == b'\n').enumerate() {
                        if n > 0 {
                            out.extend_from_slice(b"\n      ");
                        }
                        out.extend_from_slice(line);
                    }
                }
            }
            out.extend_from_slice(b"\n    }");
        }
    }
}

/// How each field of a conflict starts, laid out as serde_json's pretty
/// writer lays it out two levels deep.
mod field {
    pub const ID: &[u8] = b",\n    {\n      \"id\": "; // i18n: a JSON key
    pub const RULE: &[u8] = b",\n      \"rule\": "; // i18n: a JSON key
    pub const SEVERITY: &[u8] = b",\n      \"severity\": "; // i18n: a JSON key
    pub const CITY: &[u8] = b",\n      \"city\": "; // i18n: a JSON key
    pub const STORES: &[u8] = b",\n      \"stores\": "; // i18n: a JSON key
    pub const PARTNERS: &[u8] = b",\n      \"partners\": "; // i18n: a JSON key
    pub const MESSAGE: &[u8] = b",\n      \"message\": "; // i18n: a JSON key
    pub const ACKED: &[u8] = b",\n      \"acked\": "; // i18n: a JSON key
    pub const NULL: &[u8] = b"null"; // i18n: a JSON value
}

/// `text` as a JSON string, escaped as serde_json escapes it.
fn json_str(out: &mut Vec<u8>, text: &str) {
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, text);
    }
}

/// A list of strings inside a conflict, as serde_json's pretty writer
/// indents it there.
fn json_list<'t>(out: &mut Vec<u8>, texts: impl Iterator<Item = &'t str>) {
    let mut empty = true;
    for text in texts {
        out.extend_from_slice(if empty {
            b"[\n        "
        } else {
            b",\n        "
        });
        json_str(out, text);
        empty = false;
    }
    out.extend_from_slice(if empty { b"[]" } else { b"\n      ]" });
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

impl<'a> Report<'a> {
    /// Builds the report of one snapshot.
    pub fn new(feed: &'a str, snapshot: &'a Snapshot, analysis: &'a Analysis) -> Self {
        let t = &analysis.totals;
        let cities = snapshot
            .document
            .cities
            .iter()
            .zip(&analysis.cities)
            .map(|(city, p)| CityReport {
                id: city.id.as_str(),
                name: city.name.as_str(),
                local_name: city.local_name.as_deref(),
                recruitment_status: city.status_str(),
                partners: p.partners,
                stores_total: p.stores_total,
                stores_open: p.stores_open,
                avg_percent: round1(p.avg_percent),
                late: p.late,
                conflicts: p.conflicts,
            })
            .collect();
        let conflicts = Conflicts {
            snapshot,
            analysis,
            acks: None,
            now: chrono::DateTime::<chrono::Utc>::MIN_UTC,
            lang: Lang::En,
            left_out: false,
        };
        Report {
            generated_at: snapshot
                .document
                .generated_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            feed,
            program: snapshot.document.program.name.as_str(),
            summary: Summary {
                cities: t.cities,
                recruiting_cities: t.recruiting_cities,
                partners: t.partners,
                signed_partners: t.signed_partners,
                stores_total: t.stores_total,
                stores_open: t.stores_open,
                avg_percent: round1(t.avg_percent),
                late: t.late,
                critical: t.critical,
                warning: t.warning,
                info: t.info,
            },
            cities,
            conflicts,
            data_warnings: DataWarnings {
                warnings: &snapshot.data_warnings,
                lang: Lang::En,
            },
            feed_warnings: &snapshot.document.warnings,
            changes: None,
            since: None,
        }
    }
}

impl<'a> Report<'a> {
    /// Says the sentences (`message`) in `lang`; ids, field names and enum
    /// values stay English.
    pub fn in_lang(mut self, lang: Lang) -> Self {
        self.conflicts.lang = lang;
        self.data_warnings.lang = lang;
        self
    }

    /// The language the sentences are in.
    pub fn lang(&self) -> Lang {
        self.conflicts.lang
    }

    /// Gives each conflict its acknowledgement, as it holds at `now`.
    pub fn with_acks(mut self, acks: &'a Acks, now: chrono::DateTime<chrono::Utc>) -> Self {
        self.conflicts.acks = Some(acks);
        self.conflicts.now = now;
        self
    }

    /// The acknowledgements applied, if any were read.
    pub fn acks(&self) -> Option<&'a Acks> {
        self.conflicts.acks
    }

    /// The acknowledgement of `finding` that holds, if any.
    pub fn ack_of(&self, finding: &crate::analysis::Finding) -> Option<&'a Ack> {
        let acks = self.conflicts.acks?;
        if acks.is_empty() {
            return None;
        }
        acks.get(&finding.id(), self.conflicts.now)
    }
}

/// The exit code for `--fail-on`: 3 when any finding (a conflict or a feed
/// warning) is at or above the threshold, else 0. Acknowledged findings
/// (those `report` holds an acknowledgement for) do not count unless
/// `include_acked`.
pub fn exit_code(report: &Report<'_>, fail_on: Option<Severity>, include_acked: bool) -> u8 {
    let Some(threshold) = fail_on else {
        return 0;
    };
    let analysis = report.conflicts.analysis;
    let counts = |f: &&crate::analysis::Finding| {
        f.severity >= threshold && (include_acked || report.ack_of(f).is_none())
    };
    if analysis.findings.iter().any(|f| counts(&f)) {
        EXIT_FINDING
    } else {
        0
    }
}

/// The acknowledgements `report` applies, read from the history database
/// at `now`. A history that cannot be used never fails the report: it is
/// said on stderr and nothing counts as acknowledged. No file at all means
/// nothing was ever acknowledged (`ack` creates it), and is said nowhere;
/// nor is a history switched off in the config (a choice, not a fault: a
/// cron job would warn on every run).
pub fn load_acks(config: &Config, now: chrono::DateTime<chrono::Utc>) -> Acks {
    let read = History::open_read_only(&config.history, "").and_then(|h| h.acks(now));
    match read {
        Ok(acks) => acks,
        Err(HistoryError::Missing { .. } | HistoryError::Disabled) => Acks::default(),
        Err(error) => {
            let error = error.to_string();
            say!(
                "rollout-dash: {}",
                tr!(config.lang(), "report-acks-unread", error = error)
            );
            Acks::default()
        }
    }
}

/// How the text report is written.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextStyle {
    /// ANSI colour (stdout is a terminal and `NO_COLOR` is unset).
    pub color: bool,
    /// ASCII only (the locale is not UTF-8): Chinese in pinyin, ids
    /// escaped.
    pub ascii: bool,
    /// The zone times are written in (`ui.timezone`, `TZ` or the system's).
    pub zone: chrono_tz::Tz,
    /// The language of every word (`--lang`, `ui.lang` or the locale).
    pub lang: Lang,
}

/// How the text report writes a time.
const TEXT_TIME: &str = "%Y-%m-%d %H:%M:%S %Z";

/// Writes the text report. Ids are printed in full, escaped where they hold
/// anything a terminal would act on (or, in ASCII, anything not ASCII).
pub fn write_text(
    out: &mut impl Write,
    report: &Report<'_>,
    snapshot: &Snapshot,
    analysis: &Analysis,
    style: TextStyle,
) -> io::Result<()> {
    let lang = style.lang;
    let color = style.color;
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    let words = |text: &'_ str| -> String {
        if style.ascii {
            text::ascii_fallback(text).into_owned()
        } else {
            text.to_owned()
        }
    };
    let id = |raw: &str| -> String {
        if style.ascii {
            text::escape_ascii(raw).into_owned()
        } else {
            text::escape(raw).into_owned()
        }
    };
    // Every time in the operator's zone, named: JSON keeps RFC 3339 UTC.
    let time = |at: chrono::DateTime<chrono::Utc>| zoned(at, style.zone, TEXT_TIME);
    let time_text = |rfc: &str| {
        chrono::DateTime::parse_from_rfc3339(rfc)
            .map_or_else(|_| rfc.to_owned(), |at| time(at.to_utc()))
    };
    // A contract value in the language; one the catalog does not know as sent.
    let word = |group: &str, wire: &str| match lang.word(group, wire) {
        Some(word) => word.into_owned(),
        None => words(wire),
    };
    let heading = |text: &str| paint("1", &words(text));
    let s = &report.summary;
    let title = tr!(
        lang,
        "report-title",
        program = words(report.program),
        time = time(snapshot.document.generated_at),
        feed = report.feed
    );
    // The programme's name in bold; the rest as the catalog says it.
    let program = words(report.program);
    match title.split_once(program.as_str()) {
        Some((before, after)) if !program.is_empty() => {
            writeln!(out, "{before}{}{after}", paint("1", &program))?
        }
        _ => writeln!(out, "{}", words(&title))?,
    }
    let summary = tr!(
        lang,
        "report-summary",
        recruiting = s.recruiting_cities,
        signed = s.signed_partners,
        partners = s.partners,
        open = s.stores_open,
        stores = s.stores_total,
        built = format!("{:.0}", s.avg_percent),
        late = s.late
    );
    writeln!(out, "{}", words(&summary))?;
    let findings = tr!(
        lang,
        "report-findings",
        critical = s.critical,
        warning = s.warning,
        info = s.info
    );
    writeln!(out, "{}", words(&findings))?;
    writeln!(out)?;
    writeln!(out, "{}", heading(&tr!(lang, "report-cities")))?;
    writeln!(
        out,
        "  {} {} {} {} {} {} {}",
        pad(&words(&tr!(lang, "report-col-status")), 14),
        pad(&words(&tr!(lang, "report-col-city")), 22),
        pad_left(&words(&tr!(lang, "report-col-partners")), 8),
        pad_left(&words(&tr!(lang, "report-col-stores")), 11),
        pad_left(&words(&tr!(lang, "report-col-built")), 6),
        pad_left(&words(&tr!(lang, "report-col-late")), 5),
        pad_left(&words(&tr!(lang, "report-col-conflicts")), 9),
    )?;
    for city in &report.cities {
        let local = city.local_name.map(words).filter(|l| !l.trim().is_empty());
        let name = match local {
            Some(local) if style.ascii => format!("{} ({})", words(city.name), local.trim()),
            // Chinese readers look for the Chinese name first.
            Some(local) if lang == Lang::Zh => format!("{} {}", local.trim(), words(city.name)),
            Some(local) => format!("{} {local}", words(city.name)),
            None => words(city.name),
        };
        // Numbers are never cut: the column grows for 1,234/1,500.
        writeln!(
            out,
            "  {} {} {:>8} {:>11} {:>5.0}% {:>5} {:>9}",
            pad(&word("status", city.recruitment_status), 14),
            pad(&name, 22),
            city.partners,
            format!("{}/{}", city.stores_open, city.stores_total),
            city.avg_percent,
            city.late,
            city.conflicts
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", heading(&tr!(lang, "report-conflicts")))?;
    let (acked, open): (Vec<_>, Vec<_>) = analysis
        .findings
        .iter()
        .map(|f| (f, report.ack_of(f)))
        .partition(|(_, ack)| ack.is_some());
    if open.is_empty() {
        writeln!(out, "  {}", words(&tr!(lang, "report-none")))?;
    }
    // What names a finding's kind: the rule's id in English (what `rules.*`
    // and scripts use), its short label in Chinese.
    let kind = |finding: &crate::analysis::Finding| match (&finding.origin, lang) {
        (crate::analysis::Origin::Rule(rule), Lang::Zh) => word("rule", rule.id()),
        (origin, _) => words(&origin.label()),
    };
    let city = |finding: &crate::analysis::Finding| {
        finding
            .city
            .as_ref()
            .map_or("-".to_owned(), |c| id(c.as_str()))
    };
    let mut message = String::new();
    for (finding, _) in &open {
        let (symbol, code) = match finding.severity {
            Severity::Critical => ("X", "1;31"),
            Severity::Warning => ("!", "33"),
            Severity::Info => ("i", "34"),
        };
        let severity = word("severity", finding.severity.word());
        message.clear();
        crate::analysis::sentence::write(finding, snapshot, lang, &mut message);
        writeln!(
            out,
            "  {} {} {} {} {}",
            paint(code, &format!("{symbol} {}", pad(&severity, 8))),
            pad(&kind(finding), 22),
            pad(&city(finding), 10),
            words(&message),
            paint("2", &format!("[{}]", finding.id()))
        )?;
    }
    if !acked.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", heading(&tr!(lang, "report-acknowledged")))?;
    }
    for (finding, ack) in &acked {
        let Some(ack) = ack else { continue };
        let until = match ack.until {
            Some(until) => tr!(lang, "report-ack-until", time = time(until)),
            None => tr!(lang, "report-ack-until-clear"),
        };
        let note = if ack.note.is_empty() {
            String::new()
        } else {
            tr!(
                lang,
                "report-ack-note",
                note = text::escape(&ack.note).into_owned()
            )
            .into_owned()
        };
        let severity = word("severity", finding.severity.word());
        message.clear();
        crate::analysis::sentence::write(finding, snapshot, lang, &mut message);
        writeln!(
            out,
            "  {} {} {} {} {}",
            paint("2", &format!("- {}", pad(&severity, 8))),
            pad(&kind(finding), 22),
            pad(&city(finding), 10),
            words(&message),
            paint("2", &format!("[{}]", finding.id()))
        )?;
        let acked = tr!(
            lang,
            "report-acked-by",
            by = text::escape(&ack.by).into_owned(),
            time = time(ack.at),
            until = until,
            note = note
        );
        writeln!(out, "      {}", words(&acked))?;
    }
    writeln!(out)?;
    writeln!(out, "{}", heading(&tr!(lang, "report-data-warnings")))?;
    if report.data_warnings.is_empty() {
        writeln!(out, "  {}", words(&tr!(lang, "report-none")))?;
    }
    for warning in report.data_warnings.warnings {
        writeln!(
            out,
            "  {}: {}",
            id(warning.record.as_str()),
            words(&warning.message_in(lang))
        )?;
    }
    if let Some(since) = &report.since {
        writeln!(out)?;
        let title = tr!(lang, "report-changes-since", time = time_text(&since.time));
        writeln!(out, "{}", heading(&title))?;
        if let Some(note) = &since.note {
            writeln!(out, "  ({})", words(&text::escape(note)))?;
        }
        let changes = report.changes.as_deref().unwrap_or_default();
        if changes.is_empty() && since.note.is_none() {
            writeln!(out, "  {}", words(&tr!(lang, "report-none")))?;
        }
        for change in changes {
            // The history file is not trusted to hold only safe text.
            writeln!(
                out,
                "  {} {:<18} {}",
                time_text(&change.at),
                change.kind,
                words(&text::escape(&change.message))
            )?;
        }
    }
    Ok(())
}

/// Pads to `width` terminal columns, counting CJK characters as two.
pub fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// Right-aligns in `width` terminal columns, counting CJK characters as two.
pub fn pad_left(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{}{text}", " ".repeat(width.saturating_sub(used)))
}

/// Runs `report`: one poll, then the report on stdout; returns the exit
/// code. With `--at`, no poll: the report as it stood then, from history.
pub async fn run(args: ReportArgs, config: Config) -> color_eyre::Result<ExitCode> {
    if let Some(at) = args.at {
        return run_at(args, config, at);
    }
    // A report is for scripts: without a feed it says so (exit 2) rather
    // than quietly reporting on the demo.
    let Some(url) = args
        .feed
        .clone()
        .filter(|u| !u.is_empty())
        .or(config.feed.url.clone())
    else {
        let needs = tr!(
            config.lang(),
            "report-needs-feed",
            variable = crate::config::FEED_ENV
        );
        say!("rollout-dash: {needs}");
        return Ok(ExitCode::from(EXIT_USAGE));
    };
    if let Err(fault) = crate::config::check_url(&url) {
        let message = fault.text(config.lang());
        // i18n: the flag at fault, by its name
        say!("rollout-dash: --feed: {message}");
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let client = config
        .token()
        .map_err(|e| e.text(config.lang()))
        .and_then(|token| FeedClient::new(&url, &config.feed, token).map_err(|e| e.to_string()));
    let mut client = match client {
        Ok(client) => client,
        Err(message) => {
            say!("rollout-dash: {message}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let snapshot = match client.poll().await {
        Ok(PollResult::Fresh(snapshot)) => *snapshot,
        Ok(PollResult::NotModified) => {
            let url = client.snapshot_url().to_string();
            say!(
                "rollout-dash: {}",
                tr!(config.lang(), "report-first-304", url = url)
            );
            return Ok(ExitCode::from(EXIT_FEED));
        }
        Err(error) => {
            say!("rollout-dash: {}: {error}", client.snapshot_url());
            return Ok(ExitCode::from(EXIT_FEED));
        }
    };
    let received_at = chrono::Utc::now();
    let analysis = Analysis::of(&snapshot, &config.rules);
    let acks = load_acks(&config, received_at);
    let mut report = Report::new(&url, &snapshot, &analysis)
        .in_lang(config.lang())
        .with_acks(&acks, received_at);
    if let Some(since) = args.since {
        let live = Live {
            snapshot: &snapshot,
            analysis: &analysis,
            received_at,
        };
        add_changes(
            &mut report,
            &config,
            &client.snapshot_url(),
            since,
            Upto::Live(live),
        );
    }
    print(&report, &snapshot, &analysis, args.format, &config)?;
    let code = exit_code(&report, args.fail_on, args.include_acked);
    drop(report);
    leave_to_exit(snapshot, analysis);
    Ok(ExitCode::from(code))
}

/// `report --at`: the snapshot that stood at TIME, rebuilt from the
/// history database and analysed as usual; nothing goes over the network.
fn run_at(args: ReportArgs, config: Config, at: TimeSpec) -> color_eyre::Result<ExitCode> {
    let time = at.resolve(chrono::Utc::now());
    let feed = match at_feed(&args, &config) {
        Ok(feed) => feed,
        Err(code) => return Ok(ExitCode::from(code)),
    };
    let mut history = match History::open_read_only(&config.history, &feed) {
        Ok(history) => history,
        Err(error) => {
            say!("rollout-dash: {error}");
            return Ok(ExitCode::from(EXIT_FEED));
        }
    };
    let recorded = history.at(time).and_then(|info| match info {
        Some(info) => history.load(info.id).map(|snapshot| Some((info, snapshot))),
        None => Ok(None),
    });
    let (info, snapshot) = match recorded {
        Ok(Some(found)) => found,
        Ok(None) => {
            let lang = config.lang();
            let first = history.first().ok().flatten().map_or_else(
                || tr!(lang, "report-nothing-recorded"),
                |first| {
                    tr!(
                        lang,
                        "report-first-received",
                        time = rfc3339(first.received_at)
                    )
                },
            );
            let none = tr!(
                config.lang(),
                "report-none-recorded",
                feed = feed,
                time = rfc3339(time),
                first = first
            );
            say!("rollout-dash: {none}");
            return Ok(ExitCode::from(EXIT_FEED));
        }
        Err(error) => {
            say!("rollout-dash: {error}");
            return Ok(ExitCode::from(EXIT_FEED));
        }
    };
    let analysis = Analysis::of(&snapshot, &config.rules);
    // As they hold now: `--at` shows the past rollout, for today's triage.
    let now = chrono::Utc::now();
    let acks = load_acks(&config, now);
    let mut report = Report::new(&feed, &snapshot, &analysis)
        .in_lang(config.lang())
        .with_acks(&acks, now);
    if let Some(since) = args.since {
        add_changes(
            &mut report,
            &config,
            &feed,
            since,
            Upto::Recorded(Box::new(history), info.id),
        );
    }
    print(&report, &snapshot, &analysis, args.format, &config)?;
    let code = exit_code(&report, args.fail_on, args.include_acked);
    drop(report);
    leave_to_exit(snapshot, analysis);
    Ok(ExitCode::from(code))
}

/// Lets the process's exit give back the memory of a one-shot report: at
/// national scale, freeing half a million records one by one is a visible
/// part of the run (`drop_in_place<Snapshot>` and the analysis in a profile).
fn leave_to_exit(snapshot: Snapshot, analysis: Analysis) {
    std::mem::forget(snapshot);
    std::mem::forget(analysis);
}

/// The feed `--at` reads: the one named (flag, environment, config), else
/// the only one recorded. Errors are said here; the exit code comes back.
fn at_feed(args: &ReportArgs, config: &Config) -> Result<String, u8> {
    let named = args
        .feed
        .clone()
        .filter(|u| !u.is_empty())
        .or(config.feed.url.clone());
    if let Some(url) = named {
        return crate::history::feed_key(&url).map_err(|message| {
            // i18n: the flag at fault, by its name
            say!("rollout-dash: --feed: {message}");
            EXIT_USAGE
        });
    }
    match History::recorded_feeds(&config.history) {
        Ok(feeds) if feeds.len() == 1 => Ok(feeds.into_iter().next().unwrap_or_default()),
        Ok(feeds) if feeds.is_empty() => {
            say!(
                "rollout-dash: {}",
                tr!(config.lang(), "report-no-feed-recorded")
            );
            Err(EXIT_FEED)
        }
        Ok(feeds) => {
            let which = tr!(
                config.lang(),
                "report-which-feed",
                count = feeds.len(),
                feeds = feeds.join(", ")
            );
            say!("rollout-dash: {which}");
            Err(EXIT_USAGE)
        }
        Err(error) => {
            say!("rollout-dash: {error}");
            Err(EXIT_FEED)
        }
    }
}

/// The live snapshot of `report --since`.
struct Live<'a> {
    snapshot: &'a Snapshot,
    analysis: &'a Analysis,
    received_at: chrono::DateTime<chrono::Utc>,
}

/// Where the changes of `--since` end.
enum Upto<'a> {
    /// At the snapshot just polled: it is recorded first, so that its own
    /// changes are in the list.
    Live(Live<'a>),
    /// At a recorded snapshot (`--at`).
    Recorded(Box<History>, SnapshotId),
}

fn rfc3339(time: chrono::DateTime<chrono::Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Adds `changes` to the report: what the history recorded between the
/// snapshot that stood at `since` and `upto`. A history that cannot be
/// used never fails the report: the reason goes to stderr and into the
/// text, and JSON has no `changes`.
fn add_changes(
    report: &mut Report<'_>,
    config: &Config,
    feed: &str,
    since: TimeSpec,
    upto: Upto<'_>,
) {
    let since = since.resolve(chrono::Utc::now());
    let lang = config.lang();
    let mut note = None;
    let listed = (|| -> Result<Vec<RecordedChange>, HistoryError> {
        let (mut history, upto) = match upto {
            Upto::Recorded(history, id) => (*history, id),
            Upto::Live(live) => {
                let (mut history, recorded) = match History::open(&config.history, feed) {
                    Ok(mut history) => {
                        history.set_lang(config.lang());
                        let recorded =
                            history.record(live.snapshot, live.analysis, live.received_at);
                        (history, recorded)
                    }
                    Err(error @ HistoryError::ReadOnly { .. }) => {
                        (History::open_read_only(&config.history, feed)?, Err(error))
                    }
                    Err(error) => return Err(error),
                };
                let upto = match recorded {
                    Ok(Recorded::New { snapshot, .. }) => Some(snapshot.id),
                    Ok(Recorded::Unchanged(latest) | Recorded::Stale(latest)) => Some(latest.id),
                    Err(error) => {
                        let latest = history.latest()?;
                        let error = error.to_string();
                        let said = match &latest {
                            Some(l) => tr!(
                                lang,
                                "report-changes-end-at",
                                error = error,
                                time = rfc3339(l.received_at)
                            ),
                            None => tr!(lang, "report-changes-end", error = error),
                        };
                        note = Some(said.into_owned());
                        latest.map(|l| l.id)
                    }
                };
                let Some(upto) = upto else {
                    return Ok(Vec::new());
                };
                (history, upto)
            }
        };
        // Changes are described in the report's language.
        history.set_lang(config.lang());
        let after = history.at(since)?;
        if after.is_none()
            && let Some(first) = history.first()?
        {
            note.get_or_insert_with(|| {
                tr!(
                    lang,
                    "report-history-starts",
                    time = rfc3339(first.received_at)
                )
                .into_owned()
            });
        }
        match after {
            Some(after) if after.id >= upto => Ok(Vec::new()),
            after => history.recorded_changes(after.map(|a| a.id), upto),
        }
    })();
    let changes = match listed {
        Ok(changes) => Some(changes.iter().map(ChangeReport::of).collect()),
        Err(error) => {
            note = Some(error.to_string());
            None
        }
    };
    if let Some(note) = &note {
        say!("rollout-dash: {note}");
    }
    report.changes = changes;
    report.since = Some(Since {
        time: rfc3339(since),
        note,
    });
}

/// How many findings a thread of [`write_json`] turns into JSON at a time:
/// enough to be worth a hand-over, few enough to keep little in flight.
const JSON_BLOCK: usize = 2048;

/// Writes `report` as pretty JSON, byte for byte what `serde_json`'s
/// pretty writer gives, with the conflicts (nearly all of a national
/// report: sentences, ids, acknowledgements) turned into JSON by two
/// threads a block at a time while this one writes, in order.
pub fn write_json(out: &mut impl Write, report: &Report<'_>) -> io::Result<()> {
    // Everything but the conflicts, with an empty list where they go.
    let mut frame = report.clone();
    frame.conflicts.left_out = true;
    let frame = serde_json::to_vec_pretty(&frame).map_err(io::Error::from)?;
    // A raw new line is never inside a JSON string: this is the field.
    // i18n: a JSON key
    const FIELD: &[u8] = b"\n  \"conflicts\": []";
    let at = frame
        .windows(FIELD.len())
        .position(|w| w == FIELD)
        // i18n: a bug of ours if ever, not something a user is told
        .ok_or_else(|| io::Error::other("the report has no conflicts field"))?;
    let (head, tail) = (&frame[..at + FIELD.len() - 1], &frame[at + FIELD.len()..]);
    out.write_all(head)?;

    let conflicts = report.conflicts;
    let total = conflicts.analysis.findings.len();
    let blocks = total.div_ceil(JSON_BLOCK);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    let mut first = true;
    let mut written = Ok(());
    std::thread::scope(|scope| {
        let receivers: Vec<_> = (0..workers)
            .map(|worker| {
                let (send, receive) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
                scope.spawn(move || {
                    for block in (worker..blocks).step_by(workers) {
                        let start = block * JSON_BLOCK;
                        let mut json = Vec::with_capacity(JSON_BLOCK * 512);
                        conflicts.write_block(start..(start + JSON_BLOCK).min(total), &mut json);
                        // The writer has stopped (an error): so do we.
                        if send.send(json).is_err() {
                            return;
                        }
                    }
                });
                receive
            })
            .collect();
        for block in 0..blocks {
            let Ok(json) = receivers[block % workers].recv() else {
                break;
            };
            let json = match (first, json.is_empty()) {
                (_, true) => continue,
                // The list's first item follows `[` without a comma.
                (true, false) => &json[1..],
                (false, false) => &json[..],
            };
            first = false;
            if let Err(error) = out.write_all(json) {
                written = Err(error);
                break;
            }
        }
        // Dropping the receivers stops the threads after an error.
    });
    written?;
    if !first {
        out.write_all(b"\n  ]")?;
    } else {
        out.write_all(b"]")?;
    }
    out.write_all(tail)?;
    writeln!(out)
}

/// Prints the report on stdout in `format`.
fn print(
    report: &Report<'_>,
    snapshot: &Snapshot,
    analysis: &Analysis,
    format: Format,
    config: &Config,
) -> color_eyre::Result<()> {
    let zone = crate::settings::display_zone(config.ui.timezone.as_deref());
    let stdout = io::stdout();
    // i18n: an environment variable's name
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // Stdout is line-buffered: unbuffered, a national report is a write(2) a line.
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = match format {
        Format::Json => write_json(&mut out, report),
        Format::Text => {
            let ascii = !crate::dashboard::locale_is_utf8();
            let style = TextStyle {
                color,
                ascii,
                zone,
                lang: report.lang().for_terminal(ascii),
            };
            write_text(&mut out, report, snapshot, analysis, style)
        }
    }
    .and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(()),
        // A closed pipe (`report | head`) is not an error worth a trace.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::RulesConfig;

    fn json_both_ways(body: &str, lang: Lang, acks: Option<&Acks>) {
        let snapshot =
            Snapshot::new(crate::feed::snapshot::parse_document(body.as_bytes()).unwrap());
        let analysis = Analysis::of(&snapshot, &RulesConfig::default());
        let mut report = Report::new("http://feed", &snapshot, &analysis).in_lang(lang);
        if let Some(acks) = acks {
            report = report.with_acks(acks, chrono::Utc::now());
        }
        let mut expected = serde_json::to_vec_pretty(&report).unwrap();
        expected.push(b'\n');
        let mut written = Vec::new();
        write_json(&mut written, &report).unwrap();
        assert!(
            written == expected,
            "write_json differs from serde_json's pretty writer at byte {}",
            written
                .iter()
                .zip(&expected)
                .position(|(a, b)| a != b)
                .unwrap_or(written.len().min(expected.len()))
        );
    }

    #[test]
    fn write_json_writes_what_serde_json_writes() {
        // Many blocks, feed warnings among the conflicts, both languages.
        let national = crate::feed::synthetic::generate_json(6_000, 7);
        json_both_ways(&national, Lang::En, None);
        json_both_ways(&national, Lang::Zh, None);
        json_both_ways(crate::feed::demo::DEMO_FEED_JSON, Lang::En, None);
    }

    #[test]
    fn write_json_writes_acks_and_hostile_text_as_serde_json_does() {
        // Ids and names that need escaping, in every field a conflict writes.
        let mut document: serde_json::Value =
            serde_json::from_str(crate::feed::demo::DEMO_FEED_JSON).unwrap();
        let hostile = [
            "q\"uote",
            "back\\slash",
            "tab\there",
            "nl\nx",
            "bell\u{7}",
            "宁波\u{1}",
        ];
        for (n, store) in document["stores"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .enumerate()
        {
            let id = format!("{}-{n}", hostile[n % hostile.len()]);
            store["id"] = serde_json::Value::String(id.clone());
            store["name"] = serde_json::Value::String(id);
        }
        let partners = document["partners"].as_array().unwrap().len();
        for n in 0..partners {
            let old = document["partners"][n]["id"].as_str().unwrap().to_owned();
            let new = format!("{}{old}", hostile[n % hostile.len()]);
            for store in document["stores"].as_array_mut().unwrap() {
                if store["partner_id"] == old.as_str() {
                    store["partner_id"] = serde_json::Value::String(new.clone());
                }
            }
            document["partners"][n]["id"] = serde_json::Value::String(new);
        }
        let body = document.to_string();
        let snapshot =
            Snapshot::new(crate::feed::snapshot::parse_document(body.as_bytes()).unwrap());
        let analysis = Analysis::of(&snapshot, &RulesConfig::default());
        let ids: Vec<FindingId> = analysis.findings.iter().map(|f| f.id()).collect();
        assert!(
            analysis.findings.iter().filter(|f| f.is_conflict()).count() > 5,
            "the hostile demo still has conflicts to write"
        );
        // Every other finding acknowledged, with notes that need escaping and
        // with and without an end.
        let at = chrono::DateTime::parse_from_rfc3339("2024-03-01T00:30:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let acks = Acks::from_acks(ids.iter().step_by(2).enumerate().map(|(n, id)| Ack {
            finding: id.clone(),
            by: format!("ops\"{n}"),
            at,
            until: (n % 2 == 0).then(|| at + chrono::Duration::days(3650 * 10)),
            note: format!("line one\nline \"two\"\t{n}"),
        }));
        json_both_ways(&body, Lang::En, Some(&acks));
        json_both_ways(&body, Lang::Zh, Some(&acks));
        json_both_ways(&body, Lang::En, None);
    }

    #[test]
    fn write_json_writes_an_empty_list_as_serde_json_does() {
        let mut document: serde_json::Value =
            serde_json::from_str(crate::feed::demo::DEMO_FEED_JSON).unwrap();
        document["stores"] = serde_json::Value::Array(Vec::new());
        document["partners"] = serde_json::Value::Array(Vec::new());
        json_both_ways(&document.to_string(), Lang::En, None);
        // Only the feed's own warnings: findings, but no conflicts.
        assert!(!document["warnings"].as_array().unwrap().is_empty());
    }
}
