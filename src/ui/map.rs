//! The cities drawn where they are, on China's outline, coloured and shaped by status.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line as TextLine, Span};
use ratatui::widgets::canvas::{Canvas, Context, Line};

use unicode_width::UnicodeWidthStr;

use super::table::pane_block;
use super::text;
use super::theme::Theme;
use crate::app::{App, Pane};
use crate::feed::wire::{RecruitmentStatus, WireValue};

/// A coarse outline of mainland China (lon, lat), enough to place cities by eye.
const MAINLAND: &[(f64, f64)] = &[
    (123.5, 53.5),
    (127.5, 49.8),
    (134.7, 48.3),
    (131.3, 44.9),
    (131.0, 42.9),
    (128.0, 42.0),
    (124.4, 40.0),
    (121.2, 38.8),
    (118.0, 39.2),
    (118.9, 37.7),
    (122.5, 37.4),
    (120.3, 36.0),
    (119.2, 34.6),
    (120.9, 32.0),
    (121.9, 30.9),
    (122.0, 29.9),
    (121.4, 28.2),
    (119.6, 26.0),
    (118.1, 24.4),
    (116.7, 23.3),
    (114.2, 22.3),
    (111.0, 21.5),
    (110.3, 20.3),
    (109.6, 21.6),
    (108.0, 21.5),
    (106.7, 22.0),
    (105.3, 23.3),
    (103.9, 22.5),
    (102.1, 22.4),
    (101.2, 21.2),
    (99.5, 22.1),
    (98.7, 24.1),
    (97.7, 28.3),
    (96.0, 29.3),
    (92.0, 27.8),
    (88.9, 27.3),
    (86.0, 27.9),
    (81.0, 30.2),
    (79.0, 32.5),
    (78.4, 34.5),
    (77.8, 35.5),
    (75.0, 37.3),
    (73.6, 39.4),
    (76.8, 41.0),
    (80.2, 42.2),
    (80.4, 45.0),
    (82.6, 45.4),
    (82.9, 47.1),
    (85.5, 47.1),
    (87.3, 49.1),
    (90.0, 47.9),
    (91.0, 46.0),
    (96.4, 42.8),
    (101.0, 42.6),
    (105.0, 41.6),
    (107.0, 42.4),
    (111.9, 43.6),
    (113.6, 44.7),
    (116.0, 46.3),
    (117.4, 46.6),
    (119.7, 47.1),
    (117.4, 49.6),
    (119.3, 50.3),
    (120.8, 52.5),
    (123.5, 53.5),
];

/// Hainan.
const HAINAN: &[(f64, f64)] = &[
    (108.6, 19.1),
    (109.3, 18.2),
    (110.2, 18.3),
    (111.0, 19.6),
    (110.6, 20.1),
    (109.5, 20.0),
    (108.6, 19.1),
];

/// Taiwan.
const TAIWAN: &[(f64, f64)] = &[
    (120.1, 23.0),
    (120.8, 21.9),
    (121.9, 24.5),
    (121.5, 25.3),
    (120.2, 23.6),
    (120.1, 23.0),
];

const LON: [f64; 2] = [73.0, 136.0];
const LAT: [f64; 2] = [17.0, 54.0];

/// Draws the map pane.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let list = &app.lists.cities;
    let block = pane_block(
        theme,
        &Pane::Map.title(theme.lang),
        focused,
        None,
        area.width,
    )
    .title_bottom(legend(theme, area.width));
    let selected = list.selected_city();
    let outline_style = theme.dim();
    let canvas = Canvas::default()
        .block(block)
        .marker(if theme.ascii {
            Marker::Dot
        } else {
            Marker::Braille
        })
        .x_bounds(LON)
        .y_bounds(LAT)
        .paint(|ctx| {
            for shape in [MAINLAND, HAINAN, TAIWAN] {
                outline(ctx, shape, theme, outline_style);
            }
            ctx.layer();
            let Some(fresh) = &app.current else {
                return;
            };
            let mut highlight = None;
            for (city, progress) in fresh
                .snapshot
                .document
                .cities
                .iter()
                .zip(&fresh.analysis.cities)
            {
                let Some(location) = city.location else {
                    continue;
                };
                if !(LON[0]..=LON[1]).contains(&location.lon)
                    || !(LAT[0]..=LAT[1]).contains(&location.lat)
                {
                    continue;
                }
                let (symbol, style) = theme.status(&progress.status);
                if selected == Some(&city.id) {
                    // Printed after the others, so no neighbour's marker covers its name.
                    highlight = Some((
                        location,
                        TextLine::from(vec![
                            Span::styled(
                                symbol,
                                style.add_modifier(Modifier::REVERSED | Modifier::BOLD),
                            ),
                            Span::styled(
                                format!(
                                    " {}",
                                    text::short_name(theme, &city.name, city.local_name.as_deref())
                                ),
                                Style::new().add_modifier(Modifier::BOLD),
                            ),
                        ]),
                    ));
                } else {
                    ctx.print(location.lon, location.lat, TextLine::styled(symbol, style));
                }
            }
            if let Some((location, label)) = highlight {
                ctx.print(location.lon, location.lat, label);
            }
        });
    frame.render_widget(canvas, area);
}

/// What the symbols mean, along the bottom border: each status's symbol
/// and word, as many whole entries as fit in a pane `width` columns wide.
fn legend(theme: Theme, width: u16) -> TextLine<'static> {
    // The corners and a space either side.
    let mut room = usize::from(width).saturating_sub(4);
    let mut spans = Vec::new();
    for status in RecruitmentStatus::KNOWN {
        let (symbol, style) = theme.status(status);
        let word = text::word(theme, "status", status.as_str());
        let entry = format!(" {symbol} {word}");
        if entry.width() > room {
            break;
        }
        room -= entry.width();
        spans.push(Span::styled(format!(" {symbol}"), style));
        spans.push(Span::styled(format!(" {word}"), theme.dim()));
    }
    if !spans.is_empty() {
        spans.push(Span::raw(" "));
    }
    TextLine::from(spans)
}

/// Draws a closed outline: line segments, or in ASCII mode dots printed along it.
fn outline(ctx: &mut Context<'_>, points: &[(f64, f64)], theme: Theme, style: Style) {
    for pair in points.windows(2) {
        let ((x1, y1), (x2, y2)) = (pair[0], pair[1]);
        if theme.ascii {
            let steps = (((x2 - x1).abs() + (y2 - y1).abs()) / 1.5).ceil().max(1.0) as usize;
            for step in 0..steps {
                let t = step as f64 / steps as f64;
                ctx.print(
                    x1 + (x2 - x1) * t,
                    y1 + (y2 - y1) * t,
                    TextLine::styled(".", style),
                );
            }
        } else {
            ctx.draw(&Line::new(
                x1,
                y1,
                x2,
                y2,
                style.fg.unwrap_or(ratatui::style::Color::Reset),
            ));
        }
    }
}
