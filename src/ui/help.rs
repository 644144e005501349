//! The help overlay: every key of the current screen, from the one table of
//! keys. It fits the terminal: descriptions wrap at word edges under their
//! key's column (or under the key, in a narrow terminal), and where even
//! that does not fit the help scrolls.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::Theme;
use crate::app::{App, keys};
use crate::tr;

/// The widest the help box grows: wider lines are harder to read.
const MAX_WIDTH: u16 = 84;

/// Where the help box goes in a terminal of `area` for `rows` lines of help.
pub fn rect(area: Rect, rows: usize) -> Rect {
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
    let width = area.width.min(MAX_WIDTH);
    let [rect] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(rect);
    rect
}

/// `text` in lines of at most `width` columns, broken at spaces; a word
/// longer than a line is the only thing ever broken, and Chinese (which
/// has no spaces) breaks between any two characters.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = vec![String::new()];
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        // i18n: a panic message for a bug, never on screen.
        let mut line = lines.pop().expect("one line at least");
        // Chinese fills the line it starts on; an English word moves whole.
        let breakable = word.chars().any(|c| c.width().unwrap_or(0) > 1);
        if !line.is_empty() && line.width() + 1 + word.width() > width && !breakable {
            lines.push(line);
            line = String::new();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        let mut rest = word;
        while line.width() + rest.width() > width {
            // The longest start of the rest that fits, ending between two
            // characters where one is Chinese (never inside an English
            // word such as `Enter`), else anywhere but half a character.
            let fits: Vec<usize> = rest
                .char_indices()
                .map(|(i, c)| i + c.len_utf8())
                .take_while(|&end| line.width() + rest[..end].width() <= width)
                .collect();
            let wide = |c: Option<char>| c.is_some_and(|c| c.width().unwrap_or(0) > 1);
            let take = fits
                .iter()
                .rev()
                .find(|&&end| {
                    let next = rest[end..].chars().next();
                    // A line never starts with a closing mark (，。）).
                    let closing = next.is_some_and(|c| "，。、；：！？）」』”".contains(c));
                    !closing && (wide(rest[..end].chars().next_back()) || wide(next))
                })
                .or(fits.last().filter(|_| line.trim_end().is_empty()))
                .copied()
                .unwrap_or(0);
            if take == 0 && !line.trim_end().is_empty() {
                // Not one more character fits: the rest starts a line.
                lines.push(line.trim_end().to_owned());
                line = String::new();
                continue;
            }
            // A character wider than the whole line still goes somewhere.
            let take = if take == 0 {
                rest.chars().next().map_or(rest.len(), char::len_utf8)
            } else {
                take
            };
            line.push_str(&rest[..take]);
            rest = &rest[take..];
            lines.push(std::mem::take(&mut line));
        }
        line.push_str(rest);
        lines.push(line);
    }
    lines
}

/// The help's entries for the current screen, each as its lines, for a box
/// whose inside is `inner` columns wide.
pub fn entries(app: &App, theme: Theme, inner: u16) -> Vec<Vec<Line<'static>>> {
    let inner = usize::from(inner).max(1);
    let shown: Vec<(String, String)> = keys::for_screen(app.route(), false)
        .map(|info| {
            (
                app.keymap.label_in(info.action, theme.lang),
                info.does(theme.lang).into_owned(),
            )
        })
        .collect();
    let key_width = shown.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    // Two columns while the descriptions keep a readable width; else each
    // key on a line of its own with its description indented under it.
    let columns = inner >= key_width + 2 + 24;
    shown
        .into_iter()
        .map(|(key_label, does)| {
            if columns {
                let room = inner - key_width - 2;
                wrap_words(&does, room)
                    .into_iter()
                    .enumerate()
                    .map(|(n, text)| {
                        let key = if n == 0 { key_label.as_str() } else { "" };
                        Line::from(vec![
                            // Padded by columns: `鼠标` takes four, not two.
                            Span::styled(
                                format!("{key}{}  ", " ".repeat(key_width - key.width())),
                                theme.key(),
                            ),
                            Span::raw(text),
                        ])
                    })
                    .collect()
            } else {
                let mut lines: Vec<Line<'static>> = wrap_words(&key_label, inner)
                    .into_iter()
                    .map(|k| Line::styled(k, theme.key()))
                    .collect();
                lines.extend(
                    wrap_words(&does, inner.saturating_sub(2))
                        .into_iter()
                        .map(|text| Line::from(format!("  {text}"))),
                );
                lines
            }
        })
        .collect()
}

/// The first entry shown: the one asked for, but no further than where the
/// last entries fill the box.
fn first_entry(entries: &[Vec<Line>], asked: usize, rows: usize) -> usize {
    let mut below = 0;
    let mut last_start = entries.len();
    for (i, entry) in entries.iter().enumerate().rev() {
        below += entry.len();
        if below > rows {
            break;
        }
        last_start = i;
    }
    asked.min(last_start)
}

/// Draws the help overlay centred over `area`.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = theme.lang;
    let inner = area.width.min(MAX_WIDTH).saturating_sub(2);
    let entries = entries(app, theme, inner);
    let total: usize = entries.iter().map(Vec::len).sum();
    let rect = rect(area, total);
    let rows = usize::from(rect.height.saturating_sub(2));
    let first = first_entry(&entries, app.help_scroll, rows);
    let mut lines: Vec<Line> = entries[first..].iter().flatten().cloned().collect();
    let more_below = lines.len() > rows;
    lines.truncate(rows);
    let mut block = Block::new()
        .borders(Borders::ALL)
        .border_set(theme.border_set())
        .border_style(theme.focus_border())
        .title(Span::styled(
            format!(" {} ", tr!(lang, "help-title")),
            theme.title(),
        ));
    let hint = match (first > 0, more_below) {
        (false, true) => Some(tr!(lang, "help-more-below")),
        (true, true) => Some(tr!(lang, "help-more-both")),
        (true, false) => Some(tr!(lang, "help-more-above")),
        (false, false) => None,
    };
    if let Some(hint) = hint {
        block = block.title_bottom(Span::styled(format!(" {hint} "), theme.key()));
    }
    // A wide character just left of the box would cover its left border
    // on the terminal: it gives way to a space.
    if rect.x > 0 {
        let buffer = frame.buffer_mut();
        for y in rect.top()..rect.bottom() {
            let cell = &mut buffer[(rect.x - 1, y)];
            if cell.symbol().width() > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_wraps_between_characters_and_english_words_stay_whole() {
        let lines = wrap_words(
            "确认所选问题：输入备注，加 --for 3d 暂缓提醒；Enter 保存",
            20,
        );
        for line in &lines {
            assert!(line.width() <= 20, "{line:?}");
        }
        // Every character is kept, in order, and `Enter` is never split.
        let joined: String = lines.concat().replace(' ', "");
        assert_eq!(
            joined,
            "确认所选问题：输入备注，加--for3d暂缓提醒；Enter保存"
        );
        assert!(lines.iter().any(|l| l.contains("Enter")), "{lines:?}");
        // No line starts with a closing mark.
        assert!(
            lines.iter().all(|l| !l.starts_with(['，', '：', '；'])),
            "{lines:?}"
        );
        // The first line is filled, not left short to move a word down.
        assert_eq!(lines[0].width(), 20, "{lines:?}");
    }

    #[test]
    fn english_wraps_at_spaces_as_before() {
        assert_eq!(
            wrap_words("move the selection one row down", 12),
            ["move the", "selection", "one row down"]
        );
        assert_eq!(wrap_words("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }
}
