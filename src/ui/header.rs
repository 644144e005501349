//! The header: the feed, freshness, totals, and the STALE banner when polls fail.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::age;
use super::theme::Theme;
use crate::analysis::Severity;
use crate::app::App;

/// Draws the header.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let bar = || Span::styled(if theme.ascii { " | " } else { " │ " }, theme.dim());
    let sep = theme.sep();
    let mut first = vec![Span::styled("rollout-dash", theme.title())];
    if app.demo {
        first.push(Span::raw(" "));
        first.push(Span::styled(" DEMO ", theme.demo()));
    }
    first.push(bar());
    // Freshness first: a long feed URL is cut at the right edge, never the age.
    // The age is ours (since the feed last answered); the feed's own clock
    // is shown beside it, as a document can be old when it arrives.
    match (&app.current, app.status.last_good_at) {
        (Some(fresh), Some(at)) => {
            first.push(Span::raw(format!(
                "updated {} ago",
                age((app.now - at).num_seconds())
            )));
            first.push(Span::styled(
                format!(
                    "{sep}feed time {}",
                    fresh
                        .snapshot
                        .document
                        .generated_at
                        .format("%Y-%m-%d %H:%M UTC")
                ),
                theme.dim(),
            ));
        }
        _ => first.push(Span::styled(
            if theme.ascii {
                "waiting for the first snapshot..."
            } else {
                "waiting for the first snapshot…"
            },
            theme.dim(),
        )),
    }
    if app.status.paused {
        first.push(bar());
        first.push(Span::styled("PAUSED", theme.stale()));
    }
    first.push(bar());
    first.push(Span::raw(app.feed_label.as_str()));
    let mut lines = Vec::with_capacity(3);
    lines.push(Line::from(first));

    if let Some(fresh) = &app.current {
        let t = &fresh.analysis.totals;
        // Narrow terminals get the same figures with shorter words.
        let wide = area.width >= 110;
        let (partners, stores, avg) = if wide {
            ("partners signed", "stores open", "avg ")
        } else {
            ("signed", "open", "")
        };
        let mut second = vec![Span::raw(format!(
            "{} cities{sep}{}/{} {partners}{sep}{}/{} {stores}{sep}{avg}{:.0}%{sep}{} late",
            t.recruiting_cities,
            t.signed_partners,
            t.partners,
            t.stores_open,
            t.stores_total,
            t.avg_percent,
            t.late
        ))];
        second.push(bar());
        for (severity, count) in [
            (Severity::Critical, t.critical),
            (Severity::Warning, t.warning),
            (Severity::Info, t.info),
        ] {
            let style = theme.severity(severity);
            second.push(Span::styled(theme.severity_symbol(severity), style));
            let text = if wide {
                format!(" {count} {} ", severity.word())
            } else {
                format!("{count} ")
            };
            second.push(Span::styled(text, style));
        }
        let warnings = fresh.snapshot.data_warnings.len();
        if warnings > 0 {
            let (mark, style) = theme.late();
            let mark = mark.split(' ').next().unwrap_or("!");
            let text = if wide {
                format!("{mark} {warnings} data warnings (7)")
            } else {
                format!("{mark}{warnings} data")
            };
            second.push(bar());
            second.push(Span::styled(text, style));
        }
        lines.push(Line::from(second));
    } else {
        lines.push(Line::default());
    }

    if let Some(stale) = &app.status.stale {
        let since = app
            .status
            .last_good_at
            .map(|at| format!(" {}", age((app.now - at).num_seconds())))
            .unwrap_or_default();
        // When the next try is comes before the reason: a long reason is cut
        // at the right edge of a narrow terminal.
        let next = (stale.next_try_at - app.now).num_seconds();
        let next = if app.status.paused {
            "polling paused".to_owned()
        } else if next > 0 {
            format!("next try in {}", age(next))
        } else {
            "retrying now".to_owned()
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" STALE{since} "), theme.stale()),
            Span::raw(format!(" {next}{sep}{}", stale.reason)),
        ]));
    } else if app.status.from_cache {
        lines.push(Line::from(vec![
            Span::styled(" STALE ", theme.stale()),
            Span::raw(" the last known snapshot, from the cache; waiting for the feed"),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
