//! The header: the feed, freshness (or `HISTORY` and the time of the
//! recorded snapshot shown), totals, `history off` when the history cannot
//! record, and the STALE banner when polls fail.
//!
//! A number is never cut. Where a line is too narrow, words give way first
//! (`✖ 2 critical` becomes `✖2`), then the totals wrap onto one more line at
//! a figure's edge; on the first line the feed time goes, then the feed
//! URL's scheme, path and query, and the feed's host is the last thing to go.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use super::{age, text};
use crate::analysis::Severity;
use crate::app::{App, HistoryState, history_time};
use crate::i18n::Lang;
use crate::settings::zoned;
use crate::tr;

/// How the header writes the feed's time: in the operator's zone, the one
/// place the zone's name is shown. Both languages write dates this way
/// (`2024-03-01 00:30 CST`), as Chinese operations staff do in a table.
// i18n: a chrono format, not words.
const TIME: &str = "%Y-%m-%d %H:%M %Z";

/// How much of the feed's time the first line shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FeedTime {
    /// `2024-03-01 00:30 CST`.
    Full,
    /// The language's short form: `Mar 1 00:30 CST`, `3月1日 00:30 CST`.
    Short,
    /// None.
    None,
}

/// The most lines the totals take: beyond that they are cut at the edge.
const MAX_TOTALS_LINES: usize = 3;

/// The header's lines for a terminal `width` columns wide.
pub fn lines(app: &App, theme: Theme, width: u16) -> Vec<Line<'static>> {
    lines_with(app, theme, width, totals_lines(app, theme, width))
}

/// The totals' lines (one or more) for a terminal `width` columns wide.
/// Only a new snapshot or a step of the user changes them, never the clock.
pub fn totals_lines(app: &App, theme: Theme, width: u16) -> Vec<Line<'static>> {
    match totals(app, theme) {
        Some(groups) => wrap(&groups, usize::from(width), theme),
        None => vec![Line::default()],
    }
}

/// The header's lines around `totals` (from [`totals_lines`]).
pub fn lines_with(
    app: &App,
    theme: Theme,
    width: u16,
    totals: Vec<Line<'static>>,
) -> Vec<Line<'static>> {
    let mut lines = vec![first_line(app, theme, usize::from(width))];
    lines.extend(totals);
    lines.extend(stale_line(app, theme));
    lines
}

/// How many lines the header takes at `width`.
pub fn height(app: &App, theme: Theme, width: u16) -> u16 {
    u16::try_from(lines(app, theme, width).len()).unwrap_or(u16::MAX)
}

fn width_of(spans: &[Span]) -> usize {
    spans.iter().map(Span::width).sum()
}

/// The first line: the name, DEMO, freshness, PAUSED and the feed. Tried
/// from the fullest form to the leanest; the first that fits is drawn.
fn first_line(app: &App, theme: Theme, width: usize) -> Line<'static> {
    let lang = theme.lang;
    let feeds = feed_forms(theme, &app.feed_label);
    let fresh = app.current.as_ref().zip(app.status.last_good_at);
    // (title, "updated" before the age, the feed time) for each step.
    let steps = [
        (true, true, FeedTime::Full),
        (true, true, FeedTime::Short),
        (true, true, FeedTime::None),
        (true, false, FeedTime::None),
    ];
    let leanest = (false, false, FeedTime::None);
    let build = |(title, updated, feed_time): (bool, bool, FeedTime), feed: &str| {
        let bar = || Span::styled(if theme.ascii { " | " } else { " │ " }, theme.dim());
        let mut spans = Vec::new();
        if title {
            // i18n: the program's name.
            spans.push(Span::styled("rollout-dash", theme.title()));
        }
        if app.demo {
            if !spans.is_empty() {
                spans.push(Span::raw(" "));
            }
            spans.push(Span::styled(
                format!(" {} ", tr!(lang, "header-demo")),
                theme.demo(),
            ));
        }
        // The feed's name shows in every form: prod and staging never look alike.
        if let Some(name) = &app.feed_name {
            if !spans.is_empty() {
                spans.push(Span::raw(" "));
            }
            spans.push(feed_badge(app, theme, name));
        }
        if !spans.is_empty() {
            spans.push(bar());
        }
        match (&app.history.past, fresh) {
            (Some(past), _) => {
                // A recorded snapshot: its own time, never the live age.
                spans.push(Span::styled(
                    format!(" {} ", tr!(lang, "header-history")),
                    theme.stale(),
                ));
                spans.push(Span::raw(format!(
                    " {}",
                    history_time(past.generated_at, app.zone)
                )));
            }
            (None, Some((fresh, at))) => {
                let ago = age(lang, (app.now - at).num_seconds());
                spans.push(Span::raw(if updated {
                    tr!(lang, "header-updated-ago", age = ago)
                } else {
                    tr!(lang, "header-ago", age = ago)
                }));
                let format = match feed_time {
                    FeedTime::Full => Some(Cow::Borrowed(TIME)),
                    // The date as the language writes it short: `3月1日 00:30`.
                    FeedTime::Short => Some(tr!(lang, "header-date-short")),
                    FeedTime::None => None,
                };
                if let Some(format) = format {
                    let time = zoned(fresh.snapshot.document.generated_at, app.zone, &format);
                    spans.push(Span::styled(
                        format!(
                            "{}{}",
                            theme.sep(),
                            tr!(lang, "header-feed-time", time = time)
                        ),
                        theme.dim(),
                    ));
                }
            }
            (None, None) => spans.push(Span::styled(
                if updated {
                    format!(
                        "{}{}",
                        tr!(lang, "header-waiting-first"),
                        text::ellipsis(theme)
                    )
                } else {
                    format!("{}{}", tr!(lang, "header-waiting"), text::ellipsis(theme))
                },
                theme.dim(),
            )),
        }
        if app.status.paused {
            spans.push(bar());
            spans.push(Span::styled(tr!(lang, "header-paused"), theme.stale()));
        }
        if let HistoryState::Off {
            short, fault: true, ..
        } = &app.history.state
        {
            // The whole reason is in the status line and behind `[`.
            spans.push(bar());
            spans.push(Span::styled(
                if updated {
                    tr!(
                        lang,
                        "header-history-off-why",
                        reason = history_off_words(lang, short)
                    )
                } else {
                    tr!(lang, "header-history-off")
                },
                theme.stale(),
            ));
        }
        spans.push(bar());
        spans.push(Span::raw(feed.to_owned()));
        spans
    };
    // The fullest feed form with every word, then the feed time goes, then
    // the URL shortens step by step, then the words around it. Built one at
    // a time until one fits: on a wide screen that is the first.
    let host = feeds.last().map_or("", String::as_str);
    let tries = [(steps[0], &feeds[0][..]), (steps[1], &feeds[0][..])]
        .into_iter()
        .chain(
            steps[2..]
                .iter()
                .flat_map(|step| feeds.iter().map(move |feed| (*step, &feed[..]))),
        )
        .chain([(leanest, host)]);
    let spans = tries
        .map(|(step, feed)| build(step, feed))
        .find(|spans| width_of(spans) <= width)
        // Not even the host fits: it is cut at the right edge, last.
        .unwrap_or_else(|| build(leanest, host));
    Line::from(spans)
}

/// The few words the history worker gives for why the history is off
/// (`corrupt`, `read-only`), in `lang`; a word it does not know as sent.
pub fn history_off_words(lang: Lang, short: &'static str) -> Cow<'static, str> {
    match short {
        "disabled" => lang.text("header-off-disabled"), // i18n: matches short_reason
        "no path" => lang.text("header-off-no-path"),   // i18n: matches short_reason
        "no file" => lang.text("header-off-no-file"),   // i18n: matches short_reason
        "not a file" => lang.text("header-off-not-a-file"), // i18n: matches short_reason
        "no directory" => lang.text("header-off-no-directory"), // i18n: matches short_reason
        "corrupt" => lang.text("header-off-corrupt"),   // i18n: matches short_reason
        "locked" => lang.text("header-off-locked"),     // i18n: matches short_reason
        "read-only" => lang.text("header-off-read-only"), // i18n: matches short_reason
        "newer version" => lang.text("header-off-newer"), // i18n: matches short_reason
        "disk full" => lang.text("header-off-disk-full"), // i18n: matches short_reason
        "database error" => lang.text("header-off-database"), // i18n: matches short_reason
        "not recorded" => lang.text("header-off-not-recorded"), // i18n: matches short_reason
        other => Cow::Borrowed(other),
    }
}

/// Background and foreground pairs for feed names: readable in the 16 ANSI
/// colours on dark and light terminals, and none of them the DEMO badge's
/// yellow or the STALE banner's red.
const FEED_COLOURS: [(Color, Color); 6] = [
    (Color::Blue, Color::White),
    (Color::Magenta, Color::White),
    (Color::Cyan, Color::Black),
    (Color::Green, Color::Black),
    (Color::LightMagenta, Color::Black),
    (Color::LightBlue, Color::Black),
];

/// A feed name's background and foreground: the same for the same name on
/// every run and every machine (FNV of the name, not a seeded hash).
pub fn feed_colours(name: &str) -> (Color, Color) {
    FEED_COLOURS[(crate::feed::fnv64(name.as_bytes()) % FEED_COLOURS.len() as u64) as usize]
}

/// The feed's name as the header shows it: in its colours, or without
/// colour (NO_COLOR, the mono theme) in brackets and bold.
fn feed_badge(app: &App, theme: Theme, name: &str) -> Span<'static> {
    let name = text::shown(theme, name).into_owned();
    if app.display.mono {
        return Span::styled(
            format!("[{name}]"),
            Style::new().add_modifier(Modifier::BOLD),
        );
    }
    let (bg, fg) = feed_colours(&name);
    Span::styled(
        format!(" {name} "),
        Style::new().bg(bg).fg(fg).add_modifier(Modifier::BOLD),
    )
}

/// The forms of a feed label, with the ASCII mode and the label they are of.
type FeedForms = (bool, String, Rc<[String]>);

/// [`feed_forms_of`] the label, worked out once for each label.
fn feed_forms(theme: Theme, label: &str) -> Rc<[String]> {
    // The label changes only with the feed; parsing its URL at every age
    // tick was an eighth of drawing the header.
    thread_local! {
        static LAST: RefCell<Option<FeedForms>> = const { RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| {
        if let Some((ascii, known, forms)) = last.as_ref()
            && *ascii == theme.ascii
            && known == label
        {
            return Rc::clone(forms);
        }
        let forms: Rc<[String]> = feed_forms_of(theme, label).into();
        *last = Some((theme.ascii, label.to_owned(), Rc::clone(&forms)));
        forms
    })
}

/// The feed's label, shorter and shorter, ending with its host (and port):
/// the full label, the URL without its scheme, without its query, without
/// its path.
fn feed_forms_of(theme: Theme, label: &str) -> Vec<String> {
    let label = text::shown(theme, label).into_owned();
    let mut forms = vec![label.clone()];
    // The URL is the label, or inside it: "built-in demo feed (http://…)",
    // in Chinese "内置演示数据（http://…）" (wide brackets, several bytes each).
    let start = label.find("://").and_then(|i| {
        label[..i]
            .char_indices()
            .rfind(|&(_, c)| !c.is_ascii_alphanumeric() && c != '+' && c != '-' && c != '.')
            .map(|(p, c)| p + c.len_utf8())
            .or(Some(0))
    });
    let Some(start) = start else {
        return forms;
    };
    let end = label[start..]
        .find(|c: char| c.is_whitespace() || c == ')' || c == '）')
        .map_or(label.len(), |e| start + e);
    let Ok(url) = url::Url::parse(&label[start..end]) else {
        return forms;
    };
    let Some(host) = url.host_str() else {
        return forms;
    };
    let host_port = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let path = url.path().trim_end_matches('/');
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    for form in [
        format!("{host_port}{path}{query}"),
        format!("{host_port}{path}"),
        host_port,
    ] {
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
    forms
}

/// One figure of the totals, in its forms from the most words to the fewest.
struct Group {
    forms: Vec<Vec<Span<'static>>>,
    /// A bar goes before it (it starts another kind of figure).
    bar: bool,
}

fn totals(app: &App, theme: Theme) -> Option<Vec<Group>> {
    let lang = theme.lang;
    let fresh = app.current.as_ref()?;
    let t = &fresh.analysis.totals;
    let plain = |forms: Vec<String>, bar: bool| Group {
        forms: forms.into_iter().map(|f| vec![Span::raw(f)]).collect(),
        bar,
    };
    // Counts go to Fluent as numbers (they pick the plural form); a pair
    // of counts goes as one preformatted figure, which is never cut.
    let number = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let signed = format!("{}/{}", t.signed_partners, t.partners);
    let open = format!("{}/{}", t.stores_open, t.stores_total);
    let percent = format!("{:.0}%", t.avg_percent);
    let mut groups = vec![
        plain(
            vec![tr!(lang, "header-cities", count = number(t.recruiting_cities)).into_owned()],
            false,
        ),
        plain(
            vec![
                tr!(lang, "header-partners-signed", figure = signed.as_str()).into_owned(),
                tr!(lang, "header-signed", figure = signed.as_str()).into_owned(),
            ],
            false,
        ),
        plain(
            vec![
                tr!(lang, "header-stores-open", figure = open.as_str()).into_owned(),
                tr!(lang, "header-open", figure = open.as_str()).into_owned(),
            ],
            false,
        ),
        plain(
            vec![
                tr!(lang, "header-average", percent = percent.as_str()).into_owned(),
                percent.clone(),
            ],
            false,
        ),
        plain(
            vec![tr!(lang, "header-late", count = number(t.late)).into_owned()],
            false,
        ),
    ];
    let severities = [
        (Severity::Critical, t.critical),
        (Severity::Warning, t.warning),
        (Severity::Info, t.info),
    ];
    let on_screen = app.triage.is_of(&fresh.analysis);
    let form = |words: bool| -> Vec<Span<'static>> {
        let mut spans = Vec::new();
        for (n, (severity, count)) in severities.iter().enumerate() {
            let style = theme.severity(*severity);
            if n > 0 {
                spans.push(Span::raw(" "));
            }
            spans.push(Span::styled(theme.severity_symbol(*severity), style));
            spans.push(Span::styled(
                if words {
                    let word = lang
                        .word("severity", severity.word())
                        .unwrap_or(severity.word().into());
                    format!(" {count} {word}")
                } else {
                    count.to_string()
                },
                style,
            ));
            // Acknowledged ones are counted apart: `✖ 2 critical (1 acked)`.
            let acked = if on_screen {
                app.triage.acked_of(*severity)
            } else {
                0
            };
            if acked > 0 {
                spans.push(Span::styled(
                    format!(" {}", tr!(lang, "header-acked", count = number(acked))),
                    theme.dim(),
                ));
            }
        }
        spans
    };
    groups.push(Group {
        forms: vec![form(true), form(false)],
        bar: true,
    });
    let new = app.new_findings.count(app.now);
    if new > 0 {
        // Bold, as the NEW rows are.
        let style = ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        groups.push(Group {
            forms: [
                tr!(lang, "header-new", count = number(new)).into_owned(),
                tr!(lang, "header-new-short", count = number(new)).into_owned(),
            ]
            .into_iter()
            .map(|f| vec![Span::styled(f, style)])
            .collect(),
            bar: false,
        });
    }
    let warnings = fresh.snapshot.data_warnings.len();
    if warnings > 0 {
        let (mark, style) = theme.late();
        let mark = mark.split(' ').next().unwrap_or("!");
        groups.push(Group {
            forms: [
                format!(
                    "{mark} {}",
                    tr!(lang, "header-data-warnings", count = number(warnings))
                ),
                format!("{mark}{warnings} {}", tr!(lang, "header-data-short")),
                format!("{mark}{warnings}"),
            ]
            .into_iter()
            .map(|f| vec![Span::styled(f, style)])
            .collect(),
            bar: true,
        });
    }
    Some(groups)
}

/// The totals in as few lines as they fit in, with as many words as fit in
/// that many lines; never a figure cut, unless even the fewest words on
/// [`MAX_TOTALS_LINES`] lines do not fit.
fn wrap(groups: &[Group], width: usize, theme: Theme) -> Vec<Line<'static>> {
    let levels = groups.iter().map(|g| g.forms.len()).max().unwrap_or(1);
    for lines in 1..=MAX_TOTALS_LINES {
        for level in 0..levels {
            let laid = lay_out(groups, level, width, theme);
            if laid.len() <= lines && laid.iter().all(|l| l.width() <= width) {
                return laid;
            }
        }
    }
    let mut laid = lay_out(groups, levels - 1, width, theme);
    laid.truncate(MAX_TOTALS_LINES);
    laid
}

/// The groups at word level `level` (or their fewest words), a new line
/// wherever the next group would pass `width`.
fn lay_out(groups: &[Group], level: usize, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let bar = if theme.ascii { " | " } else { " │ " };
    let sep = |is_bar: bool| if is_bar { bar } else { theme.sep() };
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    for group in groups {
        let form = &group.forms[level.min(group.forms.len() - 1)];
        // i18n: a panic message for a bug, never on screen.
        let line = lines.last_mut().expect("one line at least");
        let separator = sep(group.bar);
        let needed = width_of(form)
            + if line.is_empty() {
                0
            } else {
                separator.width()
            };
        if !line.is_empty() && width_of(line) + needed > width {
            lines.push(form.clone());
        } else {
            if !line.is_empty() {
                line.push(Span::raw(separator));
            }
            line.extend(form.iter().cloned());
        }
    }
    lines.into_iter().map(Line::from).collect()
}

fn stale_line(app: &App, theme: Theme) -> Option<Line<'static>> {
    let lang = theme.lang;
    let sep = theme.sep();
    let stale_word = tr!(lang, "header-stale");
    if let Some(stale) = &app.status.stale {
        let since = app
            .status
            .last_good_at
            .map(|at| format!(" {}", age(lang, (app.now - at).num_seconds())))
            .unwrap_or_default();
        // When the next try is comes before the reason: a long reason is cut
        // at the right edge of a narrow terminal.
        let next = (stale.next_try_at - app.now).num_seconds();
        let next = if app.status.paused {
            tr!(lang, "header-polling-paused")
        } else if next > 0 {
            tr!(lang, "header-next-try", age = age(lang, next))
        } else {
            tr!(lang, "header-retrying")
        };
        Some(Line::from(vec![
            Span::styled(format!(" {stale_word}{since} "), theme.stale()),
            Span::raw(format!(" {next}{sep}{}", text::shown(theme, &stale.reason))),
        ]))
    } else if app.status.from_cache {
        Some(Line::from(vec![
            Span::styled(format!(" {stale_word} "), theme.stale()),
            Span::raw(format!(" {}", tr!(lang, "header-from-cache"))),
        ]))
    } else {
        None
    }
}
