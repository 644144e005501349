//! The view: a pure function of the app state. It never does I/O.

mod changes;
mod cities;
mod command_line;
mod conflicts;
mod data_warnings;
mod detail;
mod footer;
mod header;
pub use header::feed_colours;
pub use header::history_off_words as header_history_off_words;
pub mod help;
pub mod layout;
mod map;
mod partners;
mod plan;
mod stores;
mod table;
pub mod text;
pub mod theme;
pub mod trend;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Widget;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::{App, Pane, Route};
use crate::i18n::Lang;
use crate::tr;
use theme::Theme;

/// Draws the whole dashboard.
pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if layout::too_small(area) {
        // Sizes as one figure each (`59x20`): a line break never splits one.
        let message = tr!(
            app.display.lang,
            "header-too-small",
            size = format!("{}x{}", area.width, area.height),
            needed = format!("{}x{}", layout::MIN_WIDTH, layout::MIN_HEIGHT)
        )
        .into_owned();
        // Wrapped at word edges: the sizes are the point of the message.
        frame.render_widget(
            Paragraph::new(Line::from(message)).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let theme = Theme::new(app.display);
    // Its words decide its height: worked out once.
    let header = header::lines(app, theme, area.width);
    let screen = layout::screen(area, u16::try_from(header.len()).unwrap_or(u16::MAX));
    frame.render_widget(Paragraph::new(header), screen.header);
    footer::draw(app, theme, frame, screen.footer);
    match app.route() {
        Route::Overview => {
            for (pane, rect) in layout::overview(screen.body, app.focus) {
                draw_pane(app, theme, frame, pane, rect);
            }
        }
        Route::Plan(city) => plan::draw(app, theme, frame, screen.body, city.as_ref()),
        _ => detail::draw(app, theme, frame, screen.body),
    }
    if let Some(line) = &app.command_line {
        command_line::draw_candidates(line, theme, frame, screen.body);
    }
    if app.help {
        help::draw(app, theme, frame, area);
    }
    if theme.ascii {
        ascii_only(frame.buffer_mut());
    }
}

/// Where the header goes on a screen of `area`, while only the header is
/// drawn there: `None` for a screen too small for the dashboard or with the
/// help over it (it may cover the header).
pub fn header_area(app: &App, area: Rect) -> Option<Rect> {
    header_lines(app, area, None).map(|(area, _)| area)
}

/// The header's totals lines on a screen of `area`. A tick or a 304 leaves
/// them as they are: kept from the last full frame, they are not worked out
/// again (the fluent sentences of every figure) each second.
pub fn header_totals(app: &App, area: Rect) -> Vec<Line<'static>> {
    header::totals_lines(app, Theme::new(app.display), area.width)
}

/// The header's lines and where they go on a screen of `area`, with the
/// totals given or worked out; `None` when no header is drawn (too small a
/// screen, the help). Worked out once for an age tick, which then draws
/// them with [`view_header`].
pub fn header_lines(
    app: &App,
    area: Rect,
    totals: Option<Vec<Line<'static>>>,
) -> Option<(Rect, Vec<Line<'static>>)> {
    if layout::too_small(area) || app.help {
        return None;
    }
    let theme = Theme::new(app.display);
    let totals = totals.unwrap_or_else(|| header::totals_lines(app, theme, area.width));
    let lines = header::lines_with(app, theme, area.width, totals);
    let height = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    Some((layout::screen(area, height).header, lines))
}

/// Draws the header alone, as `lines` (from [`header_lines`]), into
/// `buffer`, which covers its area: the age tick and a 304 change nothing
/// else on screen.
pub fn view_header(app: &App, buffer: &mut Buffer, lines: Vec<Line<'static>>) {
    let theme = Theme::new(app.display);
    let area = buffer.area;
    // A full view starts from blank cells; so does the header drawn alone.
    ratatui::widgets::Clear.render(area, buffer);
    Paragraph::new(lines).render(area, buffer);
    if theme.ascii {
        ascii_only(buffer);
    }
}

/// The last guard of ASCII mode: whatever non-ASCII text reached the frame
/// despite the views (which write names in ASCII already) is written in
/// ASCII here, cell by cell, so the terminal never gets a character it
/// cannot show and draw as `?` a column at a time, out of step with what
/// the dashboard believes is on screen.
fn ascii_only(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        let symbol = cell.symbol();
        if symbol.is_ascii() {
            continue;
        }
        let ascii = text::to_ascii(symbol);
        let first = ascii
            .chars()
            .next()
            .filter(|c| !c.is_control())
            .unwrap_or(' ');
        cell.set_char(first);
    }
}

fn draw_pane(app: &App, theme: Theme, frame: &mut Frame, pane: Pane, area: Rect) {
    let focused = app.focus == pane;
    let Some(fresh) = &app.current else {
        // Before the first snapshot every pane is an empty frame; the header says why.
        let block = table::pane_block(theme, &pane.title(theme.lang), focused, None, area.width);
        frame.render_widget(block, area);
        return;
    };
    match pane {
        Pane::Cities => cities::draw(app, fresh, theme, frame, area, focused),
        Pane::Partners => partners::draw(app, fresh, theme, frame, area, focused),
        Pane::Stores => stores::draw(app, fresh, theme, frame, area, focused),
        Pane::Conflicts => conflicts::draw(app, fresh, theme, frame, area, focused),
        Pane::Changes => changes::draw(app, theme, frame, area, focused),
        Pane::Map => map::draw(app, theme, frame, area, focused),
        Pane::DataWarnings => data_warnings::draw(app, fresh, theme, frame, area, focused),
    }
}

/// What a click at (`column`, `row`) of a terminal of `area` hits in the
/// overview: a pane, and a position in its list when it is on a row.
pub fn hit_test(app: &App, area: Rect, column: u16, row: u16) -> Option<(Pane, Option<usize>)> {
    if app.route() != &Route::Overview || layout::too_small(area) {
        return None;
    }
    let theme = Theme::new(app.display);
    let screen = layout::screen(area, header::height(app, theme, area.width));
    let position = ratatui::layout::Position::new(column, row);
    let (pane, rect) = layout::overview(screen.body, app.focus)
        .into_iter()
        .find(|(_, rect)| rect.contains(position))?;
    let rect = match (pane, &app.current) {
        (Pane::Map, _) => return Some((pane, None)),
        (Pane::Conflicts, Some(fresh)) => {
            conflicts::split(
                rect,
                conflicts::selected(app, fresh)
                    .map(|f| {
                        text::shown(theme, &f.message(&fresh.snapshot, theme.lang)).into_owned()
                    })
                    .as_deref(),
            )
            .0
        }
        _ => rect,
    };
    // Rows start below the top border and the header line.
    let first_row = rect.y + 2;
    if row < first_row || row >= rect.bottom().saturating_sub(1) {
        return Some((pane, None));
    }
    let row_height = if pane == Pane::Conflicts {
        conflicts::row_height(rect.width)
    } else {
        1
    };
    let list = app.lists.get(pane);
    if !list.groups.is_empty() {
        // Grouped: header rows sit between the findings.
        let line = usize::from(row - first_row);
        return Some((pane, conflicts::grouped_row_at(list, rect, line)));
    }
    let window = table::visible_window(list.rows.len(), list.cursor, rect, row_height);
    let index = window.start + usize::from((row - first_row) / row_height);
    Some((pane, (index < window.end).then_some(index)))
}

/// "12s", "4m 05s", "3h 20m", "2d 4h" (in Chinese "12秒", "4分05秒"): an
/// age as people read it. The figures go to the catalog preformatted
/// (`05`: Fluent does not pad).
pub fn age(lang: Lang, seconds: i64) -> String {
    let s = seconds.max(0);
    let (big, small) = match s {
        0..60 => return tr!(lang, "header-age-seconds", s = s.to_string()).into_owned(),
        60..3600 => (s / 60, s % 60),
        3600..86400 => (s / 3600, (s % 3600) / 60),
        _ => (s / 86400, (s % 86400) / 3600),
    };
    match s {
        60..3600 => tr!(
            lang,
            "header-age-minutes",
            m = big.to_string(),
            s = format!("{small:02}")
        ),
        3600..86400 => tr!(
            lang,
            "header-age-hours",
            h = big.to_string(),
            m = format!("{small:02}")
        ),
        _ => tr!(
            lang,
            "header-age-days",
            d = big.to_string(),
            h = small.to_string()
        ),
    }
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_in_both_languages() {
        let cases = [
            (12, "12s", "12秒"),
            (245, "4m 05s", "4分05秒"),
            (12_000, "3h 20m", "3小时20分"),
            (187_200, "2d 4h", "2天4小时"),
            (-3, "0s", "0秒"),
        ];
        for (seconds, en, zh) in cases {
            assert_eq!(age(Lang::En, seconds), en);
            assert_eq!(age(Lang::Zh, seconds), zh);
        }
    }
}
