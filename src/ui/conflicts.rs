//! Conflict warnings, severity first, each with a symbol and a word.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Wrap};

use unicode_width::UnicodeWidthStr;

use super::table::{self, ListTable, cut, pad, pane_block, widest};
use super::text;
use super::theme::Theme;
use crate::analysis::{Finding, Origin, Severity};
use crate::app::{App, ListState, Pane};
use crate::feed::snapshot::Snapshot;
use crate::worker::Fresh;

/// The header of a findings table.
pub fn header(theme: Theme) -> Row<'static> {
    Row::new([
        theme.label(theme.lang.text("col-severity")),
        theme.label(theme.lang.text("col-rule")),
        theme.label(theme.lang.text("col-where")),
        theme.label(theme.lang.text("col-what")),
    ])
}

/// The header of a findings table with two-line rows.
pub fn narrow_header(theme: Theme) -> Row<'static> {
    Row::new([theme.label(theme.lang.text("col-finding"))])
}

/// A finding's rule in words (a rule's short label; the feed's own
/// warnings by their `feed:kind`, as the feed named them), made safe.
pub fn rule_text(finding: &Finding, theme: Theme) -> String {
    match &finding.origin {
        Origin::Rule(rule) => text::word(theme, "rule", rule.id()),
        Origin::Feed { .. } => text::shown(theme, &finding.origin.label()).into_owned(),
    }
}

/// A severity's word in the theme's language.
fn severity_word(severity: Severity, theme: Theme) -> String {
    text::word(theme, "severity", severity.word())
}

/// Where a finding is: its city by name, or for a partner-wide finding the
/// partner by name (ids only where the feed has no name).
pub fn place(finding: &Finding, snapshot: &Snapshot, theme: Theme) -> String {
    if let Some(city) = &finding.city {
        text::city_short_name(theme, snapshot, city)
    } else if let Some(partner) = finding.partners.first() {
        text::partner_short_name(theme, snapshot, partner)
    } else {
        "-".to_owned()
    }
}

/// A finding's sentence as this terminal can show it.
fn message(finding: &Finding, snapshot: &Snapshot, theme: Theme) -> String {
    let message = finding.message(snapshot, theme.lang);
    match text::shown(theme, &message) {
        std::borrow::Cow::Borrowed(_) => message,
        std::borrow::Cow::Owned(ascii) => ascii,
    }
}

/// The width of a findings table's rule column.
const RULE_WIDTH: u16 = 21;

/// The width of a findings table's place column.
const PLACE_WIDTH: u16 = 14;

/// The column widths of a findings table.
pub const WIDTHS: [Constraint; 4] = [
    Constraint::Length(10),
    Constraint::Length(RULE_WIDTH),
    Constraint::Length(PLACE_WIDTH),
    Constraint::Fill(1),
];

/// The mark of an acknowledged finding, in place of its severity word.
pub fn ack_mark(theme: Theme) -> String {
    let symbol = if theme.ascii { "+" } else { "✓" };
    format!("{symbol}{}", theme.label(theme.lang.text("pane-ack")))
}

/// The severity cell's style and word: an acknowledged finding is dimmed,
/// without its colour, and marked.
fn severity_look(finding: &Finding, acked: bool, theme: Theme) -> (Style, String) {
    if acked {
        (theme.dim(), ack_mark(theme))
    } else {
        (
            theme.severity(finding.severity),
            severity_word(finding.severity, theme),
        )
    }
}

/// The tag of a NEW finding: a word, so it reads without colour too.
fn new_tag(theme: Theme) -> std::borrow::Cow<'static, str> {
    theme.label(theme.lang.text("pane-new"))
}

/// The tag's style: bold and reversed, seen in every theme.
fn new_tag_style() -> Style {
    Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
}

/// A row's style: an acknowledged finding is dimmed, a NEW one bold.
fn row_style(acked: bool, new: bool, theme: Theme) -> Style {
    let style = if acked { theme.dim() } else { Style::new() };
    if new {
        style.add_modifier(Modifier::BOLD)
    } else {
        style
    }
}

/// One finding as a table row (shared with the drill-downs) of a table
/// `width` columns wide; only rows in view are built, so only their
/// sentences are written. An acknowledged one is dimmed and marked; a
/// `new` one is bold, its sentence tagged NEW.
pub fn row<'a>(
    finding: &'a Finding,
    snapshot: &Snapshot,
    theme: Theme,
    acked: bool,
    new: bool,
    width: u16,
) -> Row<'a> {
    let (style, word) = severity_look(finding, acked, theme);
    let mut what = Vec::new();
    let mut room = usize::from(table::column_widths(Rect::new(0, 0, width, 1), &WIDTHS)[3]);
    if new {
        let tag = new_tag(theme);
        room = room.saturating_sub(tag.width() + 1);
        what.push(Span::styled(tag, new_tag_style()));
        what.push(Span::raw(" "));
    }
    let message = message(finding, snapshot, theme);
    what.push(Span::raw(cut_before_number(theme, &message, room)));
    let row = Row::new(vec![
        Cell::from(Line::from(vec![
            Span::styled(theme.severity_symbol(finding.severity), style),
            Span::styled(format!(" {word}"), style),
        ])),
        Cell::from(cut(
            theme,
            &rule_text(finding, theme),
            usize::from(RULE_WIDTH),
        )),
        Cell::from(cut(
            theme,
            &place(finding, snapshot, theme),
            usize::from(PLACE_WIDTH),
        )),
        Cell::from(Line::from(what)),
    ]);
    row.style(row_style(acked, new, theme))
}

/// Draws the conflicts pane: the findings, and under them the selected
/// finding's whole sentence, wrapped (the table cuts long sentences).
pub fn draw(app: &App, fresh: &Fresh, theme: Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let list = &app.lists.conflicts;
    let block = pane_block(
        theme,
        &Pane::Conflicts.title(theme.lang),
        focused,
        Some((list, Pane::Conflicts)),
        area.width,
    );
    let findings = &fresh.analysis.findings;
    let snapshot = &fresh.snapshot;
    let is_new = |finding: &Finding| app.new_findings.is_new(finding, app.now);
    let selected = selected(app, fresh).map(|f| (f, message(f, snapshot, theme)));
    let (table_area, detail_area) = split(area, selected.as_ref().map(|(_, m)| m.as_str()));
    if !list.groups.is_empty() {
        draw_grouped(app, fresh, theme, frame, table_area, focused, block);
    } else if row_height(area.width) == 1 {
        ListTable::new(block, header(theme), &WIDTHS)
            .when_empty(theme.label(theme.lang.text("pane-no-conflicts")))
            .draw(frame, table_area, list, focused, theme, |i| {
                let new = is_new(&findings[i]);
                let acked = app.is_row_acked(i);
                row(&findings[i], snapshot, theme, acked, new, table_area.width)
            });
    } else {
        // Narrow: the message gets a line of its own, so it is never cut to nothing.
        let table = ListTable {
            row_height: row_height(area.width),
            ..ListTable::new(block, narrow_header(theme), &[Constraint::Fill(1)])
                .when_empty(theme.label(theme.lang.text("pane-no-conflicts")))
        };
        table.draw(frame, table_area, list, focused, theme, |i| {
            let new = is_new(&findings[i]);
            let acked = app.is_row_acked(i);
            two_line_row(&findings[i], snapshot, theme, acked, new, table_area.width)
        });
    }
    if let (Some((finding, message)), Some(detail_area)) = (selected, detail_area) {
        let row = list.selected_row().unwrap_or_default();
        let acked = app.is_row_acked(row);
        let block = Block::new()
            .borders(Borders::LEFT | Borders::RIGHT | Borders::BOTTOM)
            .border_set(theme.border_set())
            .border_style(if focused {
                theme.focus_border()
            } else {
                theme.dim()
            });
        let mut spans = vec![
            Span::styled(
                theme.severity_symbol(finding.severity),
                theme.severity(finding.severity),
            ),
            Span::raw(" "),
            Span::raw(message),
        ];
        // The id `ack`, `report` and a colleague's message name it by.
        if let Some(id) = app.finding_id(row) {
            spans.push(Span::styled(format!(" [{id}]"), theme.dim()));
        }
        if acked {
            spans.push(Span::styled(format!(" {}", ack_mark(theme)), theme.dim()));
        }
        let text = Paragraph::new(Line::from(spans))
            .wrap(Wrap { trim: true })
            .block(block);
        frame.render_widget(text, detail_area);
    }
}

/// The findings grouped (`:group rule|city`): a header row with the
/// group's name and count before each group's findings, the window kept
/// around the cursor as the plain table keeps it.
fn draw_grouped(
    app: &App,
    fresh: &Fresh,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
    focused: bool,
    block: Block<'_>,
) {
    let list = &app.lists.conflicts;
    let findings = &fresh.analysis.findings;
    let snapshot = &fresh.snapshot;
    let wide = row_height(area.width) == 1;
    let (start, end) = grouped_window(list, area);
    let cursor = entry_of(list, list.cursor.min(list.rows.len().saturating_sub(1)));
    let is_header = |e: usize| header_at(&list.groups, e).ok();
    let mut rows = Vec::new();
    for e in start..end {
        if let Some(g) = is_header(e) {
            let group = &list.groups[g];
            let first = &findings[list.rows[group.start]];
            let name = match app.lists.group {
                crate::app::command_line::Group::City => first.city.as_ref().map_or_else(
                    || theme.label(theme.lang.text("pane-no-city")).into_owned(),
                    |_| place(first, snapshot, theme),
                ),
                _ => rule_text(first, theme),
            };
            let bar = if theme.ascii { "--" } else { "──" };
            // The count in the severity column, the name in the rule's.
            let cells = if wide {
                vec![
                    Cell::from(format!("{bar} {}", group.len())),
                    Cell::from(name),
                ]
            } else {
                vec![Cell::from(format!("{bar} {} ({})", name, group.len()))]
            };
            rows.push(Row::new(cells).style(theme.title()));
        } else {
            let p = e - header_at(&list.groups, e).unwrap_err();
            let finding = &findings[list.rows[p]];
            let acked = app.is_row_acked(list.rows[p]);
            let new = app.new_findings.is_new(finding, app.now);
            rows.push(if wide {
                row(finding, snapshot, theme, acked, new, area.width)
            } else {
                two_line_row(finding, snapshot, theme, acked, new, area.width)
                    .height(row_height(area.width))
            });
        }
    }
    let selected = (focused && !list.rows.is_empty()).then(|| cursor - start);
    let (header_row, widths): (Row, &[Constraint]) = if wide {
        (header(theme), &WIDTHS)
    } else {
        (narrow_header(theme), &[Constraint::Fill(1)])
    };
    super::table::draw_table(
        frame, area, block, header_row, rows, widths, selected, theme,
    );
}

/// The entry of the row at position `p` of a grouped list: group g's
/// header sits before its rows, so it is p + (groups starting at or before p).
fn entry_of(list: &ListState, p: usize) -> usize {
    p + list.groups.partition_point(|g| g.start <= p)
}

/// The entries of a grouped list (headers and findings) a table in `area`
/// shows around the cursor: walked back from the cursor while their lines
/// fit, then on. Shared with the mouse's hit test.
pub fn grouped_window(list: &ListState, area: Rect) -> (usize, usize) {
    let height = usize::from(row_height(area.width));
    // Lines for rows: borders and the column header take three.
    let lines = usize::from(area.height.saturating_sub(3)).max(1);
    let entries = list.rows.len() + list.groups.len();
    let cursor = entry_of(list, list.cursor.min(list.rows.len().saturating_sub(1)));
    let cost = |e: usize| {
        if header_at(&list.groups, e).is_ok() {
            1
        } else {
            height
        }
    };
    let mut start = cursor;
    let mut used = cost(cursor);
    while start > 0 && used + cost(start - 1) <= lines {
        start -= 1;
        used += cost(start);
    }
    let mut end = cursor + 1;
    while end < entries && used + cost(end) <= lines {
        used += cost(end);
        end += 1;
    }
    (start, end.min(entries))
}

/// The position in a grouped list of the row drawn `line` lines below the
/// first of a table in `area` (`None` on a group's header or past the end).
pub fn grouped_row_at(list: &ListState, area: Rect, line: usize) -> Option<usize> {
    let height = usize::from(row_height(area.width));
    let (start, end) = grouped_window(list, area);
    let mut top = 0;
    for e in start..end {
        let header = header_at(&list.groups, e);
        let lines = if header.is_ok() { 1 } else { height };
        if line < top + lines {
            return header.err().map(|before| e - before);
        }
        top += lines;
    }
    None
}

/// Where entry `e` of a grouped list is: `Ok(g)` for group g's header
/// (at entry `start + g`), else `Err(k)` with k headers before it.
fn header_at(groups: &[std::ops::Range<usize>], e: usize) -> Result<usize, usize> {
    let (mut low, mut high) = (0, groups.len());
    while low < high {
        let mid = (low + high) / 2;
        match (groups[mid].start + mid).cmp(&e) {
            std::cmp::Ordering::Equal => return Ok(mid),
            std::cmp::Ordering::Less => low = mid + 1,
            std::cmp::Ordering::Greater => high = mid,
        }
    }
    Err(low)
}

/// The finding under the cursor of the conflicts list.
pub fn selected<'a>(app: &App, fresh: &'a Fresh) -> Option<&'a Finding> {
    app.lists
        .conflicts
        .selected_row()
        .and_then(|i| fresh.analysis.findings.get(i))
}

/// Splits the pane into the table and the selected finding's sentence
/// (none in a short pane): shared with the mouse hit test.
pub fn split(area: Rect, message: Option<&str>) -> (Rect, Option<Rect>) {
    let Some(message) = message else {
        return (area, None);
    };
    if area.height < 12 {
        return (area, None);
    }
    let inner = area.width.saturating_sub(2).max(1) as usize;
    let lines = (unicode_width::UnicodeWidthStr::width(message) + 2).div_ceil(inner);
    let height = (lines as u16 + 1).clamp(2, 6);
    let [table, detail] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(height)]).areas(area);
    (table, Some(detail))
}

/// `sentence` cut to `room` columns with an ellipsis, never through a
/// number: where the cut would fall inside one (`0.7 km` cut to `0`), the
/// whole number goes, so no figure is ever shown wrong.
pub fn cut_before_number(theme: Theme, sentence: &str, room: usize) -> String {
    let cut = table::cut(theme, sentence, room);
    if cut == sentence {
        return cut;
    }
    let ellipsis = text::ellipsis(theme);
    let kept = cut.strip_suffix(ellipsis).unwrap_or(&cut);
    let next = sentence[kept.len()..].chars().next();
    let last = kept.chars().next_back();
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let joins = |c: Option<char>| c.is_some_and(|c| matches!(c, '.' | ',' | '%' | ':' | '-'));
    // Cut between a digit and the rest of its number (`0|.7`, `2024-|03`).
    let mid_number = (digit(last) && (digit(next) || joins(next))) || (joins(last) && digit(next));
    if !mid_number {
        return cut;
    }
    // The whole number goes, a date or a time with it (`2024-0` is no date).
    let start = kept
        .trim_end_matches(|c: char| c.is_ascii_digit() || joins(Some(c)))
        .trim_end();
    format!("{start}{ellipsis}")
}

/// Lines per finding: two in a narrow pane, where the sentence gets a line of its own.
pub fn row_height(width: u16) -> u16 {
    if width >= 90 { 1 } else { 2 }
}

/// A finding as two lines in a table `width` columns wide: severity, rule
/// and city (and NEW), then the sentence.
pub fn two_line_row<'a>(
    finding: &'a Finding,
    snapshot: &Snapshot,
    theme: Theme,
    acked: bool,
    new: bool,
    width: u16,
) -> Row<'a> {
    let (style, word) = severity_look(finding, acked, theme);
    let dot = if theme.ascii { "," } else { "·" };
    // Padded to the language's longest severity word, so the rules line up.
    let words = [Severity::Critical, Severity::Warning, Severity::Info];
    let room = usize::from(widest(words.map(|s| severity_word(s, theme))));
    let mut first = vec![
        Span::styled(theme.severity_symbol(finding.severity), style),
        Span::styled(format!(" {} ", pad(&word, room)), style),
    ];
    if new {
        first.push(Span::styled(new_tag(theme), new_tag_style()));
        first.push(Span::raw(" "));
    }
    first.extend([
        Span::raw(rule_text(finding, theme)),
        Span::styled(
            format!(" {dot} {}", place(finding, snapshot, theme)),
            theme.dim(),
        ),
    ]);
    // Borders and the indent.
    let room = usize::from(width.saturating_sub(4));
    let message = message(finding, snapshot, theme);
    let second = Line::from(format!("  {}", cut_before_number(theme, &message, room)));
    let row = Row::new(vec![Cell::from(Text::from(vec![
        Line::from(first),
        second,
    ]))]);
    row.style(row_style(acked, new, theme))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_is_never_cut_through_a_number() {
        let theme = Theme::new(crate::app::Display::default());
        let sentence = "store A is 0.7 km from store B, due on 2024-03-12";
        let cut = |room| cut_before_number(theme, sentence, room);
        assert_eq!(cut(80), sentence);
        // Before the number, or after it: never `0` for `0.7`.
        assert_eq!(cut(12), "store A is …");
        assert_eq!(cut(13), "store A is…");
        assert_eq!(cut(14), "store A is…");
        assert_eq!(cut(15), "store A is 0.7…");
        assert_eq!(cut(17), "store A is 0.7 k…");
        // A date goes whole.
        assert_eq!(cut(46), "store A is 0.7 km from store B, due on…");
        assert_eq!(cut(48), "store A is 0.7 km from store B, due on…");
        // Words are cut at a character, as ever.
        assert_eq!(cut(9), "store A …");
        let chinese = "宁波的两家门店相距 0.7 公里";
        let cut = |room| cut_before_number(theme, chinese, room);
        assert_eq!(cut(22), "宁波的两家门店相距…");
        assert_eq!(cut(23), "宁波的两家门店相距 0.7…");
    }
}
