//! The footer: the filter being typed, what the last key did not do, and
//! the keys that work here (from the one table of keys).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::text;
use super::theme::Theme;
use crate::app::keys::{Action, FooterKey};
use crate::app::{App, MAX_FILTER_CHARS, keys};
use crate::tr;

/// The keys shown in the footer for the current screen: key (as remapped)
/// and one word, in the language of the interface.
pub fn keys(app: &App) -> Vec<FooterKey> {
    let lang = app.display.lang;
    if app.command_line.is_some() {
        return app.keymap.footer(keys::View::CommandLine, lang);
    }
    app.keymap
        .footer(keys::View::of(app.route(), app.filtering), lang)
}

fn keys_width(keys: &[FooterKey]) -> usize {
    keys.iter()
        .map(|k| k.key.as_str().width() + k.word.width() + 3)
        .sum()
}

/// Whether a footer key stays when the keys do not fit: the first (moving),
/// back (in a drill-down) and the last two (help, quit).
fn pinned(keys: &[FooterKey], i: usize) -> bool {
    i == 0 || i + 2 >= keys.len() || keys[i].action == Action::Back
}

/// Width of the keys that always show.
fn pinned_width(keys: &[FooterKey]) -> usize {
    let pinned: Vec<FooterKey> = (0..keys.len())
        .filter(|&i| pinned(keys, i))
        .map(|i| keys[i].clone())
        .collect();
    keys_width(&pinned)
}

/// Draws the footer: the filter being typed (its end, where typing goes
/// on), or what the last key did not do; then the keys that fit, the other
/// keys giving way from the end.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let lang = theme.lang;
    let mut keys = keys(app);
    let mut spans = Vec::new();
    if let Some(prompt) = &app.prompt {
        // The note prompt takes the whole line: no other key works meanwhile.
        let cursor = if theme.ascii { "_" } else { "▏" };
        let head = format!(
            "{} ",
            tr!(
                lang,
                "footer-ack-prompt",
                finding = prompt.finding.to_string()
            )
        );
        let hint = match &prompt.error {
            Some(error) => format!("  {error}"),
            None => format!("  {}", tr!(lang, "footer-ack-hint")),
        };
        let room = width.saturating_sub(head.width() + cursor.width() + hint.width());
        spans.push(Span::styled(head, theme.key()));
        spans.push(Span::raw(tail(
            theme,
            &text::shown(theme, &prompt.text),
            room,
        )));
        spans.push(Span::styled(cursor, theme.key()));
        spans.push(Span::styled(
            hint,
            if prompt.error.is_some() {
                theme.title()
            } else {
                theme.dim()
            },
        ));
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    if let Some(line) = &app.command_line {
        // The line keeps the width the keys leave it, but 20 columns at least.
        let room = width.saturating_sub(pinned_width(&keys)).max(20.min(width));
        spans = super::command_line::prompt(line, theme, room);
    } else if app.filtering {
        // The overview pane's filter, or the drill-down section's.
        let (filter, filter_cut, filter_note) = match app.screen().view.as_deref() {
            Some(view) if app.route() != &crate::app::Route::Overview => {
                (view.filter.as_str(), false, view.note.as_ref())
            }
            _ => {
                let list = app.focused_list();
                (
                    list.filter.as_str(),
                    list.filter_cut,
                    list.filter_note.as_ref(),
                )
            }
        };
        let cut = if filter_cut {
            let limit = i64::try_from(MAX_FILTER_CHARS).unwrap_or(i64::MAX);
            format!("{} ", tr!(lang, "footer-filter-cut", limit = limit))
        } else {
            String::new()
        };
        let cursor = if theme.ascii { "_ " } else { "▏ " };
        let filter = text::shown(theme, filter);
        // The filter keeps at least 20 columns before any key shows.
        let base = width.saturating_sub(cut.width() + 1 + cursor.width());
        let room = if base >= 20 + pinned_width(&keys) {
            base - pinned_width(&keys)
        } else {
            base
        };
        spans.push(Span::styled("/", theme.key()));
        spans.push(Span::styled(tail(theme, &filter, room), theme.key()));
        spans.push(Span::styled(cursor, theme.key()));
        if !cut.is_empty() {
            spans.push(Span::styled(cut, theme.dim()));
        }
        if let Some(note) = filter_note {
            spans.push(Span::styled(format!("{note}  "), theme.title()));
        }
    } else if let Some(notice) = &app.notice {
        spans.push(Span::styled(format!("{notice}  "), theme.title()));
    }
    let room = width.saturating_sub(spans.iter().map(|s| s.width()).sum());
    while keys_width(&keys) > room {
        let Some(i) = (0..keys.len()).rev().find(|&i| !pinned(&keys, i)) else {
            break;
        };
        keys.remove(i);
    }
    // A notice or a filter keeps its words whole: the keys go before it is cut.
    if keys_width(&keys) <= room {
        for FooterKey { key, word, .. } in keys {
            spans.push(Span::styled(key, theme.key()));
            spans.push(Span::raw(format!(" {word}  ")));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The end of `text` that fits in `room` columns, after an ellipsis when cut.
fn tail(theme: Theme, text: &str, room: usize) -> String {
    if text.width() <= room {
        return text.to_owned();
    }
    let ellipsis = text::ellipsis(theme);
    let mut width = ellipsis.width();
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        width += c.width().unwrap_or(0);
        if width > room {
            break;
        }
        start = i;
    }
    format!("{ellipsis}{}", &text[start..])
}
