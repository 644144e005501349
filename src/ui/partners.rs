//! The partners: tier, agreement stage, cities, brands.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::table::{self, ListTable, pane_block};
use super::text;
use super::theme::Theme;
use crate::app::{App, Pane};
use crate::feed::wire::{AgreementStage, Partner, Tier, WireValue};
use crate::tr;
use crate::worker::Fresh;

/// A partner's tier in words: `top 100 #18`, `regional`, `other` (百强 #18,
/// 区域龙头, 其他), made safe.
pub fn tier_text(theme: Theme, partner: &Partner) -> String {
    let tier = text::word(theme, "tier", partner.tier.as_str());
    match (&partner.tier, partner.top100_rank) {
        (Tier::Top100, Some(rank)) => {
            let text = tr!(theme.lang, "pane-tier-rank", tier = tier, rank = rank);
            text::shown(theme, &text).into_owned()
        }
        _ => tier,
    }
}

/// Draws the partners pane.
pub fn draw(app: &App, fresh: &Fresh, theme: Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let list = &app.lists.partners;
    let block = pane_block(
        theme,
        &Pane::Partners.title(theme.lang),
        focused,
        Some((list, Pane::Partners)),
        area.width,
    );
    let heads = [
        theme.label(theme.lang.text("col-partner")),
        theme.label(theme.lang.text("col-tier")),
        theme.label(theme.lang.text("col-stage")),
        theme.label(theme.lang.text("col-cities")),
        theme.label(theme.lang.text("col-brands")),
    ];
    // The stage column as wide as its longest word or its head; the cities
    // column as its head (the counts have six digits of room).
    let stages = AgreementStage::KNOWN
        .iter()
        .map(|s| text::word(theme, "stage", s.as_str()));
    let stage = table::widest(stages).max(table::widest([&heads[2]]));
    let cities = table::widest([&heads[3]]).max(6);
    let widths = [
        Constraint::Min(18),
        Constraint::Length(11),
        Constraint::Length(stage),
        Constraint::Length(cities),
        Constraint::Fill(1),
    ];
    let header = Row::new(heads);
    let [name_room, tier_room, stage_room, ..] = table::column_widths(area, &widths)[..] else {
        return;
    };
    let partners = &fresh.snapshot.document.partners;
    let cut = |text: &str, room: u16| table::cut(theme, text, usize::from(room));
    ListTable::new(block, header, &widths)
        .when_empty(theme.label(theme.lang.text("pane-no-partners")))
        .draw(frame, area, list, focused, theme, |i| {
            let partner = &partners[i];
            let mut name = text::name_spans(
                theme,
                &partner.name,
                partner.local_name.as_deref(),
                name_room,
            );
            // A name that came out empty (all Chinese, in ASCII mode): the id.
            if name.iter().all(|s| s.content.trim().is_empty()) {
                let id = text::partner_name(theme, &fresh.snapshot, &partner.id);
                name = vec![Span::raw(cut(&id, name_room))];
            }
            let brands: Vec<&str> = partner.brands.iter().map(|b| b.as_str()).collect();
            let stage = text::word(theme, "stage", partner.agreement.stage.as_str());
            Row::new(vec![
                Cell::from(Line::from(name)),
                Cell::from(cut(&tier_text(theme, partner), tier_room)),
                Cell::from(Span::styled(
                    cut(&stage, stage_room),
                    theme.stage(&partner.agreement.stage),
                )),
                Cell::from(format!(
                    "{:>width$}",
                    partner.cities.len(),
                    width = usize::from(cities)
                )),
                Cell::from(Span::styled(
                    text::shown(theme, &brands.join(", ")).into_owned(),
                    theme.dim(),
                )),
            ])
        });
}
