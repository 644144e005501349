//! NEW findings, what to notify about them, and what `y` copies: decided
//! here, with no I/O; the dashboard writes the bytes and runs the command.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

use super::detail::{self, Section};
use super::{App, Pane, Route};
use crate::analysis::{Change, Finding, FindingId, Severity};
use crate::feed::snapshot::Snapshot;
use crate::feed::text::escape;
use crate::feed::wire::WireValue;
use crate::i18n::Lang;
use crate::tr;
use crate::worker::Fresh;

/// How long a finding stays NEW after the poll that first showed it.
pub const NEW_FOR: TimeDelta = TimeDelta::minutes(10);

/// The places a grouped notification names before it says "...".
const PLACES_NAMED: usize = 3;

/// Which finding is which, across polls and in notifications: the one
/// place that says so (the finding's id, as `ack` and `report` name it).
pub fn finding_identity(finding: &Finding) -> FindingId {
    finding.id()
}

/// What announces new findings: plain values from `[notify]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotifyRules {
    /// The least severity that notifies.
    pub min_severity: Severity,
    /// Ring the bell.
    pub bell: bool,
    /// Send a desktop notification through the terminal.
    pub desktop: bool,
    /// A notify command is configured (the dashboard holds it and its limit).
    pub command: bool,
}

impl Default for NotifyRules {
    fn default() -> Self {
        NotifyRules {
            min_severity: Severity::Critical,
            bell: false,
            desktop: false,
            command: false,
        }
    }
}

impl NotifyRules {
    /// Whether anything at all is switched on.
    pub fn any(&self) -> bool {
        self.bell || self.desktop || self.command
    }
}

/// One notification for the findings of one poll, however many.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    /// Ring the bell.
    pub bell: bool,
    /// Send it as a desktop notification.
    pub desktop: bool,
    /// The title of the desktop notification.
    pub title: String,
    /// One line: how many, how bad, where ("30 new critical conflicts: Ningbo 12, ...").
    pub body: String,
    /// The new findings as a JSON array, for the notify command's stdin;
    /// `None` without a command.
    pub json: Option<Vec<u8>>,
}

/// Which findings are NEW, and since when.
#[derive(Debug, Default)]
pub struct NewFindings {
    /// The findings of the last live snapshot compared; `None` before the
    /// first (nothing is new on the first snapshot after start).
    current: Option<Arc<HashSet<FindingId>>>,
    /// NEW findings, with the time (the app's clock) they were marked.
    marked: HashMap<FindingId, DateTime<Utc>>,
    /// The findings there were when this user last quit (from the history),
    /// until the first live snapshot is compared with them.
    at_last_quit: Option<HashSet<FindingId>>,
    /// A snapshot of this feed was sent to be compared already.
    sent: bool,
    /// Counts the changes to the marks, so the dashboard knows to redraw.
    generation: u64,
}

impl NewFindings {
    /// Whether `finding` is marked NEW at `now`.
    pub fn is_new(&self, finding: &Finding, now: DateTime<Utc>) -> bool {
        !self.marked.is_empty()
            && self
                .marked
                .get(&finding_identity(finding))
                .is_some_and(|at| now - *at < NEW_FOR)
    }

    /// The findings marked NEW at `now` (what `new` in a filter keeps).
    pub fn new_at(&self, now: DateTime<Utc>) -> HashSet<FindingId> {
        self.marked
            .iter()
            .filter(|(_, at)| now - **at < NEW_FOR)
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// How many findings are NEW at `now`.
    pub fn count(&self, now: DateTime<Utc>) -> usize {
        self.marked
            .values()
            .filter(|at| now - **at < NEW_FOR)
            .count()
    }

    /// Changes whenever a mark is added or dropped.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// How many NEW marks are kept (run out or not, until [`Self::expire`]).
    pub fn marked(&self) -> usize {
        self.marked.len()
    }

    /// Forgets NEW marks that ran out by `now`; whether any did.
    pub fn expire(&mut self, now: DateTime<Utc>) -> bool {
        let before = self.marked.len();
        self.marked.retain(|_, at| now - *at < NEW_FOR);
        let changed = self.marked.len() != before;
        self.generation += u64::from(changed);
        changed
    }

    /// The comparison to ask for a new live snapshot.
    pub fn to_compare(&mut self, fresh: Fresh) -> ToCompare {
        let restart = !self.sent;
        self.sent = true;
        ToCompare(fresh, restart)
    }
}

/// One live snapshot compared with the one before it: work that grows
/// with the findings (a key for each), done by a [`Comparer`] off the UI task.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The snapshot compared.
    pub fresh: Fresh,
    /// The keys of all its findings.
    pub current: Arc<HashSet<FindingId>>,
    /// Its findings that were not in the snapshot before (by position);
    /// empty for the first snapshot after start.
    pub appeared: Vec<usize>,
    /// It is the first live snapshot after start.
    pub first: bool,
}

impl PartialEq for Comparison {
    fn eq(&self, other: &Self) -> bool {
        self.fresh.received_at == other.fresh.received_at
            && Arc::ptr_eq(&self.fresh.analysis, &other.fresh.analysis)
            && self.appeared == other.appeared
    }
}

impl Eq for Comparison {}

/// A live snapshot for the [`Comparer`]; `restart` when it is the first of
/// a feed (at start, or after a feed switch): nothing in it is new.
#[derive(Clone, Debug)]
pub struct ToCompare(pub Fresh, pub bool);

impl PartialEq for ToCompare {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0.analysis, &other.0.analysis)
    }
}

impl Eq for ToCompare {}

/// Compares each live snapshot with the one before it, in the order they
/// came: one per dashboard, fed from one task, so no result overtakes another.
#[derive(Debug, Default)]
pub struct Comparer {
    previous: Option<Arc<HashSet<FindingId>>>,
}

impl Comparer {
    /// Compares `fresh` with the snapshot compared before it.
    pub fn compare(&mut self, ToCompare(fresh, restart): ToCompare) -> Comparison {
        if restart {
            self.previous = None;
        }
        let keys: Vec<FindingId> = fresh
            .analysis
            .findings
            .iter()
            .map(finding_identity)
            .collect();
        let appeared = match &self.previous {
            Some(previous) => (0..keys.len())
                .filter(|&i| !previous.contains(&keys[i]))
                .collect(),
            None => Vec::new(),
        };
        let current = Arc::new(keys.into_iter().collect::<HashSet<_>>());
        let first = self.previous.is_none();
        self.previous = Some(current.clone());
        Comparison {
            fresh,
            current,
            appeared,
            first,
        }
    }
}

/// Takes a compared live snapshot: marks the findings that were not there
/// at the previous one NEW (at the first, those not there when the user
/// last quit), and returns the notification they call for, if any.
pub fn on_compared(app: &mut App, comparison: Comparison) -> Option<Notification> {
    let now = app.now;
    let new = &mut app.new_findings;
    let current = &comparison.current;
    let before = new.marked.len();
    // A finding that cleared is NEW again when it comes back.
    new.marked.retain(|key, _| current.contains(key));
    let kept = new.marked.len();
    if comparison.first
        && let Some(seen) = new.at_last_quit.take()
    {
        mark_unseen(&mut new.marked, current, &seen, now);
    }
    let findings = &comparison.fresh.analysis.findings;
    for &i in &comparison.appeared {
        new.marked
            .entry(finding_identity(&findings[i]))
            .or_insert(now);
    }
    // Marks are only dropped, then only added: the counts tell a change.
    new.generation += u64::from(before != kept || new.marked.len() != kept);
    new.current = Some(comparison.current.clone());
    let rules = &app.notify;
    if !rules.any() {
        return None;
    }
    let notable: Vec<&Finding> = comparison
        .appeared
        .iter()
        .map(|&i| &findings[i])
        .filter(|f| {
            f.severity >= rules.min_severity && !app.triage.acks.is_acked(&finding_identity(f), now)
        })
        .collect();
    if notable.is_empty() {
        return None;
    }
    let snapshot = &comparison.fresh.snapshot;
    let lang = app.display.lang;
    Some(Notification {
        bell: rules.bell,
        desktop: rules.desktop,
        // i18n: the program's name.
        title: "rollout-dash".into(),
        body: summary(&notable, snapshot, lang),
        json: rules
            .command
            .then(|| findings_json(&notable, snapshot, lang)),
    })
}

/// The findings there were when this user last quit, read from the history
/// at start: those of the current snapshot not among them are NEW.
pub fn on_seen_at_last_quit(app: &mut App, seen: HashSet<FindingId>) {
    let new = &mut app.new_findings;
    match new.current.clone() {
        // The first live snapshot was compared first: mark it now.
        Some(current) => {
            let before = new.marked.len();
            mark_unseen(&mut new.marked, &current, &seen, app.now);
            new.generation += u64::from(new.marked.len() != before);
        }
        None => new.at_last_quit = Some(seen),
    }
}

fn mark_unseen(
    marked: &mut HashMap<FindingId, DateTime<Utc>>,
    current: &HashSet<FindingId>,
    seen: &HashSet<FindingId>,
    now: DateTime<Utc>,
) {
    for key in current.difference(seen) {
        marked.entry(key.clone()).or_insert(now);
    }
}

/// Where a finding is, by name in `lang`, for a notification.
fn place(finding: &Finding, snapshot: &Snapshot, lang: Lang) -> String {
    if let Some(city) = &finding.city {
        snapshot.city(city.as_str()).map_or_else(
            || escape(city.as_str()).into_owned(),
            |c| local_first(lang, &c.name, c.local_name.as_deref()).to_owned(),
        )
    } else if let Some(partner) = finding.partners.first() {
        snapshot.partner(partner.as_str()).map_or_else(
            || escape(partner.as_str()).into_owned(),
            |p| local_first(lang, &p.name, p.local_name.as_deref()).to_owned(),
        )
    } else {
        tr!(lang, "notify-program-wide").into_owned()
    }
}

/// A city's or partner's name in `lang`: in Chinese its Chinese name where
/// it has one.
fn local_first<'a>(lang: Lang, name: &'a str, local: Option<&'a str>) -> &'a str {
    match local.map(str::trim) {
        Some(local) if lang == Lang::Zh && !local.is_empty() => local,
        _ => name,
    }
}

/// The catalog's word for a value of the contract, or the value as sent.
fn word<'a>(lang: Lang, group: &str, value: &'a impl WireValue) -> Cow<'a, str> {
    lang.word(group, value.as_str())
        .unwrap_or(Cow::Borrowed(value.as_str()))
}

fn severity_word(lang: Lang, severity: Severity) -> Cow<'static, str> {
    lang.word("severity", severity.word())
        .unwrap_or(Cow::Borrowed(severity.word()))
}

/// One line for many findings, in `lang`: "30 new critical conflicts:
/// Ningbo 12, Suzhou 9, Nanjing 5, ..." (places by count, then by name);
/// one finding gets its sentence.
pub fn summary(findings: &[&Finding], snapshot: &Snapshot, lang: Lang) -> String {
    let n = findings.len();
    let worst = findings.iter().map(|f| f.severity).max();
    let least = findings.iter().map(|f| f.severity).min();
    let comma = lang.text("finding-list-comma");
    let head = match (worst, least) {
        (Some(w), Some(l)) if w == l => {
            tr!(
                lang,
                "notify-new",
                count = n,
                severity = severity_word(lang, w)
            )
        }
        _ => {
            let counts: Vec<String> = [Severity::Critical, Severity::Warning, Severity::Info]
                .iter()
                .filter_map(|s| {
                    let count = findings.iter().filter(|f| f.severity == *s).count();
                    (count > 0).then(|| {
                        tr!(
                            lang,
                            "notify-severity-count",
                            count = count,
                            severity = severity_word(lang, *s)
                        )
                        .into_owned()
                    })
                })
                .collect();
            tr!(
                lang,
                "notify-new-mixed",
                count = n,
                severities = counts.join(&*comma)
            )
        }
    };
    if let [only] = findings {
        return tr!(
            lang,
            "notify-one",
            head = head,
            place = place(only, snapshot, lang),
            message = only.message(snapshot, lang)
        )
        .into_owned();
    }
    let mut places: HashMap<String, usize> = HashMap::new();
    for finding in findings {
        *places.entry(place(finding, snapshot, lang)).or_default() += 1;
    }
    let mut places: Vec<(String, usize)> = places.into_iter().collect();
    places.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut named: Vec<String> = places
        .iter()
        .take(PLACES_NAMED)
        .map(|(place, count)| {
            tr!(
                lang,
                "notify-place-count",
                place = place.as_str(),
                count = *count
            )
            .into_owned()
        })
        .collect();
    if places.len() > PLACES_NAMED {
        // i18n: an ellipsis, the same in every language.
        named.push("...".into());
    }
    tr!(
        lang,
        "notify-many",
        head = head,
        places = named.join(&*comma)
    )
    .into_owned()
}

/// The findings as a JSON array of `{id, rule, severity, city, stores,
/// partners, message}` (ids exactly as the feed sent them; field names,
/// rule ids and severities in English, `message` in `lang`).
pub fn findings_json(findings: &[&Finding], snapshot: &Snapshot, lang: Lang) -> Vec<u8> {
    let list: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            serde_json::json!({
                "id": finding_identity(f).as_str(),
                "rule": f.origin.label(),
                "severity": f.severity.word(),
                "city": f.city.as_ref().map(|c| c.as_str()),
                "stores": f.stores.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                "partners": f.partners.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                "message": f.message(snapshot, lang),
            })
        })
        .collect();
    let mut json = serde_json::to_vec(&list).expect("JSON values always serialize");
    json.push(b'\n');
    json
}

/// A finding as `y` copies it: severity, rule, place, the sentence and its id.
pub fn finding_text(finding: &Finding, snapshot: &Snapshot, lang: Lang) -> String {
    tr!(
        lang,
        "notify-copy-finding",
        severity = severity_word(lang, finding.severity),
        rule = finding.origin.label(),
        place = place(finding, snapshot, lang),
        message = finding.message(snapshot, lang),
        id = finding_identity(finding).to_string()
    )
    .into_owned()
}

fn change_text(change: &Change) -> String {
    format!(
        "{} {}",
        change.at.format("%Y-%m-%d %H:%M:%S UTC"),
        change.message
    )
}

fn city_text(snapshot: &Snapshot, id: &str, lang: Lang) -> Option<String> {
    let city = snapshot.city(id)?;
    let local = city.local_name.as_deref().filter(|l| !l.trim().is_empty());
    // In Chinese the Chinese name first.
    let name = match (local, lang) {
        (Some(local), Lang::Zh) => format!("{local} {}", city.name),
        (Some(local), Lang::En) => format!("{} {local}", city.name),
        (None, _) => city.name.to_string(),
    };
    Some(
        tr!(
            lang,
            "notify-copy-city",
            name = name,
            id = escape(city.id.as_str()),
            status = word(lang, "status", &city.recruitment_status()).into_owned()
        )
        .into_owned(),
    )
}

fn partner_text(snapshot: &Snapshot, id: &str, lang: Lang) -> Option<String> {
    let partner = snapshot.partner(id)?;
    Some(
        tr!(
            lang,
            "notify-copy-partner",
            name = local_first(lang, &partner.name, partner.local_name.as_deref()),
            id = escape(partner.id.as_str()),
            tier = word(lang, "tier", &partner.tier),
            stage = word(lang, "stage", &partner.agreement.stage)
        )
        .into_owned(),
    )
}

fn store_text(snapshot: &Snapshot, id: &str, lang: Lang) -> Option<String> {
    let store = snapshot.store(id)?;
    let city = snapshot.city(store.city.as_str()).map_or_else(
        || escape(store.city.as_str()).into_owned(),
        |c| local_first(lang, &c.name, c.local_name.as_deref()).to_owned(),
    );
    let mut args = crate::i18n::Args::with_capacity(8);
    args.set("name", store.name.as_str());
    args.set("id", escape(store.id.as_str()));
    args.set("city", city.as_str());
    args.set("kind", word(lang, "kind", &store.kind));
    args.set("phase", word(lang, "phase", &store.renovation.phase));
    args.set("percent", format!("{:.0}", store.renovation.percent));
    Some(match store.renovation.planned_open {
        Some(planned) => {
            args.set("planned", planned.to_string());
            lang.format("notify-copy-store-planned", &args).into_owned()
        }
        None => lang.format("notify-copy-store", &args).into_owned(),
    })
}

fn target_text(snapshot: &Snapshot, target: &detail::Target, lang: Lang) -> Option<String> {
    match target {
        detail::Target::City(id) => city_text(snapshot, id.as_str(), lang),
        detail::Target::Partner(id) => partner_text(snapshot, id.as_str(), lang),
        detail::Target::Store(id) => store_text(snapshot, id.as_str(), lang),
    }
}

/// The selected row as plain text, for `y`: on the overview the focused
/// pane's row, in a drill-down the focused section's.
pub fn copy_text(app: &App) -> Option<String> {
    let fresh: &Fresh = app.current.as_ref()?;
    let snapshot = &fresh.snapshot;
    let document = &snapshot.document;
    let lang = app.display.lang;
    if app.route() == &Route::Overview {
        let row = app.focused_list().selected_row();
        return match app.focus {
            Pane::Changes => app.change_log.get(row?).map(change_text),
            _ => {
                let row = row?;
                match app.focus {
                    Pane::Cities | Pane::Map => {
                        city_text(snapshot, document.cities.get(row)?.id.as_str(), lang)
                    }
                    Pane::Partners => {
                        partner_text(snapshot, document.partners.get(row)?.id.as_str(), lang)
                    }
                    Pane::Stores => {
                        store_text(snapshot, document.stores.get(row)?.id.as_str(), lang)
                    }
                    Pane::Conflicts => fresh
                        .analysis
                        .findings
                        .get(row)
                        .map(|f| finding_text(f, snapshot, lang)),
                    Pane::DataWarnings => snapshot
                        .data_warnings
                        .get(row)
                        .map(|w| format!("{}: {}", escape(w.record.as_str()), w.message_in(lang))),
                    Pane::Changes => None,
                }
            }
        };
    }
    let screen = app.screen();
    match detail::current_section(screen) {
        Some(Section::Conflicts) => detail::findings(app, screen, fresh)
            .get(screen.cursor)
            .map(|f| finding_text(f, snapshot, lang)),
        Some(Section::Changes) => detail::changes(app, screen, fresh)
            .get(screen.cursor)
            .map(|c| change_text(c)),
        _ => target_text(
            snapshot,
            &detail::target(app, screen, fresh, screen.cursor)?,
            lang,
        ),
    }
}
