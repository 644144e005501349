//! The recruitment cities: status, partners, stores, build-out, conflicts.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::table::{ListTable, pane_block};
use super::theme::Theme;
use crate::app::{App, Pane};
use crate::feed::poller::Fresh;
use crate::feed::wire::WireValue;

/// Draws the cities pane.
pub fn draw(app: &App, fresh: &Fresh, theme: Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let list = &app.lists.cities;
    let block = pane_block(
        theme,
        Pane::Cities.title(),
        focused,
        Some((list, Pane::Cities)),
    );
    let header = Row::new([
        "Status",
        "City",
        "Partners",
        "Stores",
        "Build-out",
        "Conflicts",
    ]);
    let widths = [
        Constraint::Length(14),
        Constraint::Min(14),
        Constraint::Length(8),
        Constraint::Length(7),
        Constraint::Length(16),
        Constraint::Length(10),
    ];
    let cities = &fresh.snapshot.document.cities;
    let progress = &fresh.analysis.cities;
    ListTable::new(block, header, &widths).draw(frame, area, list, focused, theme, |i| {
        let (city, p) = (&cities[i], &progress[i]);
        let (symbol, style) = theme.status(&p.status);
        let mut name = vec![Span::raw(city.name.as_str())];
        if let Some(local) = &city.local_name {
            name.push(Span::styled(format!(" {local}"), theme.dim()));
        }
        let badge = match p.worst {
            Some(severity) if p.conflicts > 0 => Line::from(vec![
                Span::styled(theme.severity_symbol(severity), theme.severity(severity)),
                Span::raw(format!(" {}", p.conflicts)),
            ]),
            _ => Line::styled(if theme.ascii { "ok" } else { "✓ ok" }, theme.dim()),
        };
        Row::new(vec![
            Cell::from(Line::from(vec![
                Span::styled(symbol, style),
                Span::styled(format!(" {}", p.status.as_str()), style),
            ])),
            Cell::from(Line::from(name)),
            Cell::from(format!("{:>8}", p.partners)),
            Cell::from(format!("{:>3}/{:<3}", p.stores_open, p.stores_total)),
            Cell::from(Line::from(vec![
                Span::styled(theme.bar(p.avg_percent, 8), theme.bar_style(p.avg_percent)),
                Span::raw(format!(" {:>3.0}%", p.avg_percent)),
            ])),
            Cell::from(badge),
        ])
    });
}
