//! The partners: tier, agreement stage, cities, brands.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::table::{self, ListTable, pane_block};
use super::text;
use super::theme::Theme;
use crate::app::{App, Pane};
use crate::feed::wire::{Partner, Tier, WireValue};
use crate::worker::Fresh;

/// A partner's tier as shown: `top100 #18`, `regional`, `other`.
pub fn tier_text(partner: &Partner) -> String {
    match (&partner.tier, partner.top100_rank) {
        (Tier::Top100, Some(rank)) => format!("top100 #{rank}"),
        (tier, _) => tier.as_str().to_owned(),
    }
}

/// Draws the partners pane.
pub fn draw(app: &App, fresh: &Fresh, theme: Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let list = &app.lists.partners;
    let block = pane_block(
        theme,
        Pane::Partners.title(),
        focused,
        Some((list, Pane::Partners)),
        area.width,
    );
    let header = Row::new(["Partner", "Tier", "Stage", "Cities", "Brands"]);
    let widths = [
        Constraint::Min(18),
        Constraint::Length(11),
        Constraint::Length(10),
        Constraint::Length(6),
        Constraint::Fill(1),
    ];
    let partners = &fresh.snapshot.document.partners;
    let room = table::column_widths(area, &widths)[0];
    ListTable::new(block, header, &widths).draw(frame, area, list, focused, theme, |i| {
        let partner = &partners[i];
        let shown = text::partner_name(theme, &fresh.snapshot, &partner.id);
        let local = partner.local_name.as_deref();
        let local = local.and_then(|l| text::local_fitting(theme, &shown, l, room));
        let mut name = vec![Span::raw(shown)];
        if let Some(local) = local {
            name.push(Span::styled(local, theme.dim()));
        }
        let brands: Vec<&str> = partner.brands.iter().map(|b| b.as_str()).collect();
        Row::new(vec![
            Cell::from(Line::from(name)),
            Cell::from(text::shown(theme, &tier_text(partner)).into_owned()),
            Cell::from(Span::styled(
                text::shown(theme, partner.agreement.stage.as_str()).into_owned(),
                theme.stage(&partner.agreement.stage),
            )),
            Cell::from(format!("{:>6}", partner.cities.len())),
            Cell::from(Span::styled(
                text::shown(theme, &brands.join(", ")).into_owned(),
                theme.dim(),
            )),
        ])
    });
}
