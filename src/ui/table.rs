//! The pieces every pane shares: its block and its scrolling table.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::text;
use super::theme::Theme;
use crate::app::{ListState, Pane};

/// A pane's bordered block, its title saying sort, filter and row count, in
/// a pane `width` columns wide: the count is never cut; the sort gives way
/// first, then the filter shortens.
pub fn pane_block<'a>(
    theme: Theme,
    title: &str,
    focused: bool,
    list: Option<(&ListState, Pane)>,
    width: u16,
) -> Block<'a> {
    let head = Span::styled(format!(" {}", text::shown(theme, title)), theme.title());
    let mut spans = vec![head.clone()];
    if let Some((list, pane)) = list {
        let count = Span::styled(format!(" ({})", list.rows.len()), theme.dim());
        let keys = pane.sort_keys();
        let sort = (keys.len() > 1 || list.reverse).then(|| {
            let key = keys[list.sort.min(keys.len() - 1)];
            let arrow = match (list.reverse, theme.ascii) {
                (false, false) => "↓",
                (true, false) => "↑",
                (false, true) => "v",
                (true, true) => "^",
            };
            let by = key.sorted_by(theme.lang);
            let by = text::shown(theme, &by);
            Span::styled(format!(" {by} {arrow}"), theme.dim())
        });
        // Borders, the space after the title, and a corner's worth of line.
        let room = usize::from(width).saturating_sub(4);
        let used = head.width() + count.width();
        let filter = (!list.filter.is_empty()).then(|| text::shown(theme, &list.filter));
        let filter_width = filter.as_ref().map_or(0, |f| f.width() + 2);
        if let Some(sort) = sort
            && used + sort.width() + filter_width <= room
        {
            spans.push(sort);
        }
        if let Some(filter) = filter {
            let left = room.saturating_sub(width_of(&spans) + count.width() + 2);
            spans.push(Span::styled(
                format!(" /{}", cut(theme, &filter, left)),
                theme.key(),
            ));
        }
        spans.push(count);
    }
    spans.push(Span::raw(" "));
    Block::new()
        .borders(Borders::ALL)
        .border_set(theme.border_set())
        .border_style(if focused {
            theme.focus_border()
        } else {
            theme.dim()
        })
        .title(Line::from(spans))
}

fn width_of(spans: &[Span]) -> usize {
    spans.iter().map(Span::width).sum()
}

/// `text` cut to `room` columns, with an ellipsis when cut: cut between
/// characters, never through a wide one, and never wider than `room`.
pub fn cut(theme: Theme, text: &str, room: usize) -> String {
    if text.width() <= room {
        return text.to_owned();
    }
    // Less room than the ellipsis takes: what fits of the text alone.
    let ellipsis = Some(text::ellipsis(theme))
        .filter(|e| e.width() <= room)
        .unwrap_or_default();
    let mut out = String::new();
    let mut width = ellipsis.width();
    for c in text.chars() {
        width += c.width().unwrap_or(0);
        if width > room {
            break;
        }
        out.push(c);
    }
    out.push_str(ellipsis);
    out
}

/// `text` padded with spaces to `width` columns (wide characters count two,
/// where `format!`'s padding counts characters).
pub fn pad(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + width);
    out.push_str(text);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(text.width())));
    out
}

/// The widest of `texts` in columns.
pub fn widest<S: AsRef<str>>(texts: impl IntoIterator<Item = S>) -> u16 {
    let widest = texts.into_iter().map(|t| t.as_ref().width()).max();
    u16::try_from(widest.unwrap_or(0)).unwrap_or(u16::MAX)
}

/// Draws a table of the rows in view; `selected` is an index into `rows`.
#[allow(clippy::too_many_arguments)]
pub fn draw_table(
    frame: &mut Frame,
    area: Rect,
    block: Block<'_>,
    header: Row<'_>,
    rows: Vec<Row<'_>>,
    widths: &[Constraint],
    selected: Option<usize>,
    theme: Theme,
) {
    if rows.is_empty() {
        let nothing = theme.label(theme.lang.text("pane-empty"));
        let empty = Paragraph::new(Line::styled(format!("  {nothing}"), theme.dim())).block(block);
        frame.render_widget(empty, area);
        return;
    }
    let mut state = TableState::default().with_selected(selected);
    let table = Table::new(rows, widths)
        .header(header.style(theme.title()))
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme.selected());
    frame.render_stateful_widget(table, area, &mut state);
}

/// The rows a table in `area` can show around the cursor, for rows of
/// `row_height` lines: formatting thousands of off-screen rows every frame
/// would cost more than drawing.
pub fn visible_window(
    len: usize,
    cursor: usize,
    area: Rect,
    row_height: u16,
) -> std::ops::Range<usize> {
    // Borders and the header line.
    let lines = area.height.saturating_sub(3) as usize;
    let height = (lines / row_height.max(1) as usize).max(1);
    let start = cursor.saturating_sub(height - 1).min(len);
    start..(start + height).min(len)
}

/// A pane's table: its block, header and columns.
pub struct ListTable<'a> {
    /// The bordered block with the title.
    pub block: Block<'a>,
    /// The column headings.
    pub header: Row<'a>,
    /// The column widths.
    pub widths: &'a [Constraint],
    /// Lines per row.
    pub row_height: u16,
    /// What the pane says when it has no rows at all ("no conflicts").
    pub empty: Option<Cow<'static, str>>,
}

impl<'a> ListTable<'a> {
    /// A table of one-line rows.
    pub fn new(block: Block<'a>, header: Row<'a>, widths: &'a [Constraint]) -> Self {
        ListTable {
            block,
            header,
            widths,
            row_height: 1,
            empty: None,
        }
    }

    /// The table, saying `empty` when it has no rows at all.
    pub fn when_empty(self, empty: Cow<'static, str>) -> Self {
        ListTable {
            empty: Some(empty),
            ..self
        }
    }

    /// Draws the window of `list`'s rows around its cursor, one `row` each.
    pub fn draw(
        self,
        frame: &mut Frame,
        area: Rect,
        list: &ListState,
        focused: bool,
        theme: Theme,
        mut row: impl FnMut(usize) -> Row<'a>,
    ) {
        if list.rows.is_empty() {
            // Why there is nothing: the filter, or nothing in the feed.
            let says = if !list.filter.is_empty() {
                theme.label(theme.lang.text("pane-no-match"))
            } else {
                self.empty
                    .unwrap_or_else(|| theme.label(theme.lang.text("pane-empty")))
            };
            let says = Line::styled(format!("  {says}"), theme.dim());
            frame.render_widget(Paragraph::new(says).block(self.block), area);
            return;
        }
        let window = visible_window(list.rows.len(), list.cursor, area, self.row_height);
        let start = window.start;
        let rows: Vec<Row<'a>> = list.rows[window]
            .iter()
            .map(|&i| row(i).height(self.row_height))
            .collect();
        let selected = (focused && !list.rows.is_empty()).then(|| list.cursor - start);
        draw_table(
            frame,
            area,
            self.block,
            self.header,
            rows,
            self.widths,
            selected,
            theme,
        );
    }
}

/// The width of each column of a list table drawn in `area` (inside its
/// border), worked out as the table itself does, so a cell can tell what
/// fits in it before it is cut.
pub fn column_widths(area: Rect, widths: &[Constraint]) -> Vec<u16> {
    let inner = Rect::new(0, 0, area.width.saturating_sub(2), 1);
    Layout::horizontal(widths.iter().copied())
        .flex(Flex::Start)
        .spacing(1)
        .split(inner)
        .iter()
        .map(|column| column.width)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(ascii: bool) -> Theme {
        Theme::new(crate::app::Display {
            ascii,
            ..Default::default()
        })
    }

    #[test]
    fn cutting_counts_columns_and_stops_between_wide_characters() {
        let utf8 = theme(false);
        // 宁波市 takes six columns: in five, two characters and the ellipsis.
        assert_eq!(cut(utf8, "宁波市", 6), "宁波市");
        assert_eq!(cut(utf8, "宁波市", 5), "宁波…");
        assert_eq!(cut(utf8, "宁波市", 4), "宁…");
        assert_eq!(cut(utf8, "宁波市", 2), "…");
        assert_eq!(cut(utf8, "a宁波", 4), "a宁…");
        // No room even for the ellipsis: nothing wider than the room.
        assert_eq!(cut(utf8, "宁波", 0), "");
        assert_eq!(cut(theme(true), "Ningbo", 2), "Ni");
        assert_eq!(cut(theme(true), "Ningbo", 5), "Ni...");
        for room in 0..8 {
            for text in ["宁波市 Ningbo", "Ningbo 宁波市", "a宁b波c"] {
                let out = cut(utf8, text, room);
                assert!(out.width() <= room, "{text:?} in {room}: {out:?}");
            }
        }
    }

    #[test]
    fn padding_counts_columns() {
        assert_eq!(pad("严重", 8), "严重    ");
        assert_eq!(pad("warning", 8), "warning ");
        assert_eq!(pad("critical", 4), "critical");
        assert_eq!(widest(["严重", "info"]), 4);
        assert_eq!(widest(["合作伙伴", "info"]), 8);
    }
}
