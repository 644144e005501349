//! Every pane's rectangle, computed in one place.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::Pane;

/// Below this size the dashboard says "terminal too small".
pub const MIN_WIDTH: u16 = 60;
/// Below this height the dashboard says "terminal too small".
pub const MIN_HEIGHT: u16 = 15;

/// The screen's three bands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Screen {
    /// Feed, freshness, totals (and the STALE banner).
    pub header: Rect,
    /// The panes or a drill-down.
    pub body: Rect,
    /// The keys that work here.
    pub footer: Rect,
}

/// Splits the terminal; the header takes `header_height` lines (its totals
/// wrap where a narrow terminal cannot hold them on one, and the STALE
/// banner adds one).
pub fn screen(area: Rect, header_height: u16) -> Screen {
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(header_height),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    Screen {
        header,
        body,
        footer,
    }
}

/// Whether the terminal is too small to draw the dashboard.
pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The overview's panes and where they go. Large terminals show all seven;
/// smaller ones show the cities and conflicts, with the focused pane
/// taking a slot when it is another one.
pub fn overview(body: Rect, focus: Pane) -> Vec<(Pane, Rect)> {
    if body.width >= 180 && body.height >= 45 {
        let [top, middle, bottom] = Layout::vertical([
            Constraint::Percentage(40),
            Constraint::Percentage(30),
            Constraint::Percentage(30),
        ])
        .areas(body);
        let halves = |r: Rect, left: Constraint, right: Constraint| -> [Rect; 2] {
            Layout::horizontal([left, right]).areas(r)
        };
        let [cities, map] = halves(top, Constraint::Percentage(60), Constraint::Percentage(40));
        let [stores, partners] = halves(
            middle,
            Constraint::Percentage(55),
            Constraint::Percentage(45),
        );
        let [conflicts, right] = halves(
            bottom,
            Constraint::Percentage(60),
            Constraint::Percentage(40),
        );
        let [changes, data_warnings] =
            Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(right);
        return vec![
            (Pane::Cities, cities),
            (Pane::Map, map),
            (Pane::Stores, stores),
            (Pane::Partners, partners),
            (Pane::Conflicts, conflicts),
            (Pane::Changes, changes),
            (Pane::DataWarnings, data_warnings),
        ];
    }
    let elsewhere = !matches!(focus, Pane::Cities | Pane::Conflicts);
    if body.width >= 110 && body.height >= 30 {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(body);
        let [cities, conflicts] =
            Layout::horizontal([Constraint::Length(74), Constraint::Fill(1)]).areas(top);
        let third = if elsewhere { focus } else { Pane::Stores };
        return vec![
            (Pane::Cities, cities),
            (Pane::Conflicts, conflicts),
            (third, bottom),
        ];
    }
    // The focused second pane gets most of the height, so a conflict's
    // whole sentence has room under the list.
    let split = if focus == Pane::Cities {
        [Constraint::Percentage(55), Constraint::Percentage(45)]
    } else {
        [Constraint::Percentage(30), Constraint::Percentage(70)]
    };
    let [top, bottom] = Layout::vertical(split).areas(body);
    let second = if elsewhere { focus } else { Pane::Conflicts };
    vec![(Pane::Cities, top), (second, bottom)]
}
