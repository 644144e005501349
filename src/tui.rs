//! Terminal set-up and restore, on every exit path: a normal quit, an error,
//! a panic (in any task), a signal, and around a Ctrl-Z suspend.

use std::io::{self, BufWriter, Stdout, Write};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute, queue};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The terminal the dashboard draws on.
pub type Term = Terminal<CrosstermBackend<FrameWriter>>;

/// Frames smaller than this are written as they are: a few changed cells
/// cannot tear, and the two mode-2026 sequences would double an idle
/// second's output (the header's age ticking).
const SYNC_THRESHOLD: usize = 64;

/// Collects one frame's bytes and writes them at flush: nothing for an empty
/// frame, and a large frame inside a synchronized update (DEC mode 2026), so
/// terminals that support it show it at once (others ignore the sequences).
#[derive(Debug)]
pub struct FrameWriter<W: Write = Stdout> {
    frame: Vec<u8>,
    out: BufWriter<W>,
    /// The terminal's cursor is hidden (it is from [`init`] on): hiding it
    /// again, as ratatui does after every frame, is left out.
    cursor_hidden: bool,
    /// Non-ASCII characters become `?` (a locale that cannot show them).
    ascii: bool,
    /// Frames are dropped once the terminal was restored (the real terminal only).
    guard_restore: bool,
}

impl FrameWriter {
    fn new(ascii: bool) -> Self {
        FrameWriter {
            ascii,
            guard_restore: true,
            ..FrameWriter::to(io::stdout())
        }
    }
}

impl<W: Write> FrameWriter<W> {
    /// A frame writer onto `out`, the cursor hidden.
    pub fn to(out: W) -> Self {
        FrameWriter {
            frame: Vec::with_capacity(64 * 1024),
            out: BufWriter::with_capacity(64 * 1024, out),
            cursor_hidden: true,
            ascii: false,
            guard_restore: false,
        }
    }
}

/// The frame with every non-ASCII character (the feed's own names, in a
/// locale that cannot show them) replaced by `?`, one per terminal column,
/// so the columns still line up. Escape sequences are ASCII and pass through.
fn to_ascii(frame: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(frame);
    let mut out = Vec::with_capacity(frame.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
        } else {
            let width = unicode_width::UnicodeWidthChar::width(c)
                .unwrap_or(1)
                .max(1);
            out.extend(std::iter::repeat_n(b'?', width));
        }
    }
    out
}

/// The frame with every colour among the 16 ANSI ones written as the
/// plain SGR code a 16-colour terminal knows (30-37 and 90-97, 40-47 and
/// 100-107). crossterm writes even these as 256-colour codes (`38;5;9`),
/// which the Linux console and other 16-colour terminals misread; the
/// theme uses only the 16. Other codes pass through as they are.
fn to_sixteen_colours(frame: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(frame.len());
    let mut rest = frame;
    while let Some(start) = rest.windows(2).position(|w| w == b"\x1b[") {
        let params_at = start + 2;
        out.extend_from_slice(&rest[..params_at]);
        rest = &rest[params_at..];
        let end = rest
            .iter()
            .position(|b| !(b.is_ascii_digit() || *b == b';'));
        if let Some(end) = end
            && rest[end] == b'm'
        {
            write_sgr(&rest[..end], &mut out);
            rest = &rest[end..];
        }
    }
    out.extend_from_slice(rest);
    out
}

/// Writes SGR parameters with 256-colour codes of the first 16 colours
/// turned into their 16-colour codes.
fn write_sgr(params: &[u8], out: &mut Vec<u8>) {
    let parts: Vec<&[u8]> = params.split(|b| *b == b';').collect();
    let number =
        |part: Option<&&[u8]>| -> Option<u8> { std::str::from_utf8(part?).ok()?.parse().ok() };
    let mut i = 0;
    while i < parts.len() {
        if i > 0 {
            out.push(b';');
        }
        let (code, taken) = match (parts[i], number(parts.get(i + 1))) {
            (b"38" | b"48", Some(5)) => match number(parts.get(i + 2)) {
                Some(n) if n < 16 => {
                    let base = if parts[i] == b"38" { 30 } else { 40 };
                    let code = if n < 8 { base + n } else { base + 60 + n - 8 };
                    (Some(code), 3)
                }
                _ => (None, 3),
            },
            // An RGB colour: its three numbers are not codes of their own.
            (b"38" | b"48" | b"58", Some(2)) => (None, 5),
            (b"58", Some(5)) => (None, 3),
            _ => (None, 1),
        };
        match code {
            Some(code) => out.extend_from_slice(code.to_string().as_bytes()),
            None => {
                let end = (i + taken).min(parts.len());
                out.extend_from_slice(&parts[i..end].join(&b';'));
            }
        }
        i += taken;
    }
}

/// ratatui hides the cursor after every draw.
const HIDE_CURSOR: &[u8] = b"\x1b[?25l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
/// What ratatui's crossterm backend writes at the end of every frame, with
/// and without the underline-colour feature, whether any cell changed or not.
const STYLE_RESETS: [&[u8]; 2] = [
    b"\x1b[39m\x1b[49m\x1b[59m\x1b[0m",
    b"\x1b[39m\x1b[49m\x1b[0m",
];
/// SGR 0 alone resets the colours (the underline colour too) and the attributes.
const SGR_RESET: &[u8] = b"\x1b[0m";

/// The bytes of a frame worth sending: without the cursor hiding when it is
/// hidden already, and with one short style reset, or none when no cell
/// changed. Returns the bytes to write and the reset to append.
fn essential(frame: &[u8], cursor_hidden: bool) -> (&[u8], &'static [u8]) {
    let mut frame = frame;
    if cursor_hidden && let Some(rest) = frame.strip_suffix(HIDE_CURSOR) {
        frame = rest;
    }
    for reset in STYLE_RESETS {
        if let Some(rest) = frame.strip_suffix(reset) {
            return (rest, if rest.is_empty() { b"" } else { SGR_RESET });
        }
    }
    (frame, b"")
}

impl<W: Write> Write for FrameWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.frame.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // After a restore (a panic in another task, say) the screen belongs
        // to the shell again: a late frame must not land on it.
        if self.guard_restore && !ACTIVE.load(Ordering::SeqCst) {
            self.frame.clear();
            return Ok(());
        }
        if self.ascii {
            self.frame = to_ascii(&self.frame);
        }
        if self.frame.windows(2).any(|w| w == b"5;") {
            self.frame = to_sixteen_colours(&self.frame);
        }
        // Every draw ends with a style reset and the cursor hidden, even
        // when no cell changed: alone, those change nothing on screen.
        let (body, reset) = essential(&self.frame, self.cursor_hidden);
        if body.is_empty() {
            self.frame.clear();
            return Ok(());
        }
        if self.frame.ends_with(HIDE_CURSOR) {
            self.cursor_hidden = true;
        } else if self
            .frame
            .windows(SHOW_CURSOR.len())
            .any(|w| w == SHOW_CURSOR)
        {
            self.cursor_hidden = false;
        }
        if body.len() + reset.len() >= SYNC_THRESHOLD {
            queue!(self.out, BeginSynchronizedUpdate)?;
            self.out.write_all(body)?;
            self.out.write_all(reset)?;
            queue!(self.out, EndSynchronizedUpdate)?;
        } else {
            self.out.write_all(body)?;
            self.out.write_all(reset)?;
        }
        self.frame.clear();
        self.out.flush()
    }
}

/// Whether the terminal is in dashboard mode (raw, alternate screen).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether mouse capture was enabled, so restore can disable it.
static MOUSE: AtomicBool = AtomicBool::new(false);
/// The log file, named after a panic.
static LOG_PATH: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Enters raw mode and the alternate screen, and installs a panic hook that
/// restores the terminal before anything is printed.
pub fn init(mouse: bool, ascii: bool, log_path: Option<PathBuf>) -> io::Result<Term> {
    let _ = LOG_PATH.set(log_path);
    install_panic_hook();
    MOUSE.store(mouse, Ordering::SeqCst);
    enter()?;
    let backend = CrosstermBackend::new(FrameWriter::new(ascii));
    // No terminal.clear(): it asks the terminal for the cursor position, and
    // a fresh alternate screen is blank anyway.
    Terminal::new(backend)
}

fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, cursor::Hide)?;
    // A paste arrives as one event: its line breaks are never Enter.
    execute!(out, EnableBracketedPaste)?;
    if MOUSE.load(Ordering::SeqCst) {
        // Buttons and the wheel only (SGR encoding), not every motion:
        // crossterm's EnableMouseCapture also asks for any-motion events.
        out.write_all(b"\x1b[?1000h\x1b[?1006h")?;
        out.flush()?;
    }
    Ok(())
}

/// Leaves the alternate screen and raw mode. Safe to call more than once and
/// from a panic hook: it only acts while the terminal is in dashboard mode.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.load(Ordering::SeqCst) {
        let _ = out.write_all(b"\x1b[?1006l\x1b[?1000l");
    }
    // Errors are ignored: restoring is best effort, and the terminal may be gone.
    let _ = execute!(
        out,
        DisableBracketedPaste,
        EndSynchronizedUpdate,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Writes sequences that are not part of a frame (the bell, a desktop
/// notification, the clipboard) between two frames: every frame is flushed
/// whole, so they never land inside one. Nothing once the terminal was restored.
pub fn send_between_frames(bytes: &[u8]) -> io::Result<()> {
    if bytes.is_empty() || !ACTIVE.load(Ordering::SeqCst) {
        return Ok(());
    }
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Draws one frame; [`FrameWriter`] writes only what changed.
pub fn draw(terminal: &mut Term, render: impl FnOnce(&mut ratatui::Frame)) -> io::Result<()> {
    terminal.draw(render)?;
    Ok(())
}

/// Ctrl-Z: restores the terminal for the shell, stops the process, and on
/// `fg` takes the terminal back and forces a full redraw.
pub fn suspend(terminal: &mut Term) -> io::Result<()> {
    restore();
    #[cfg(unix)]
    // SAFETY: raise only sends a signal to this process; SIGTSTP's default
    // action stops it until SIGCONT, then raise returns.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    enter()?;
    force_full_redraw(terminal)
}

/// Takes the terminal back after the process was stopped and continued from
/// outside, and repaints everything.
pub fn resume(terminal: &mut Term) -> io::Result<()> {
    ACTIVE.store(false, Ordering::SeqCst);
    enter()?;
    force_full_redraw(terminal)
}

/// Makes the next draw repaint every cell (after the screen was lost, as on
/// resume): drawing a blank frame first makes every real cell a change.
fn force_full_redraw(terminal: &mut Term) -> io::Result<()> {
    terminal.draw(|frame| frame.render_widget(ratatui::widgets::Clear, frame.area()))?;
    Ok(())
}

fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
        if let Some(Some(path)) = LOG_PATH.get() {
            eprintln!("The log is in {}", path.display());
        }
        // A panic in any task ends the dashboard: half a dashboard on a
        // restored terminal would be worse than none.
        std::process::exit(101);
    }));
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;
    use ratatui::style::Stylize;
    use ratatui::text::Line;
    use ratatui::{Terminal, TerminalOptions, Viewport};

    use super::*;

    /// What the terminal received.
    #[derive(Clone, Default)]
    struct Screen(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl Write for Screen {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    type TestTerm = Terminal<CrosstermBackend<FrameWriter<Screen>>>;

    fn terminal() -> (TestTerm, Screen) {
        let screen = Screen::default();
        let backend = CrosstermBackend::new(FrameWriter::to(screen.clone()));
        let viewport = Viewport::Fixed(Rect::new(0, 0, 80, 3));
        let terminal = Terminal::with_options(backend, TerminalOptions { viewport }).unwrap();
        (terminal, screen)
    }

    /// Draws `text`, dim, and returns what the terminal received for it.
    fn draw(terminal: &mut TestTerm, screen: &Screen, text: &str) -> Vec<u8> {
        screen.0.borrow_mut().clear();
        terminal
            .draw(|frame| frame.render_widget(Line::from(text.to_owned().dim()), frame.area()))
            .unwrap();
        screen.0.borrow().clone()
    }

    #[test]
    fn a_frame_that_changes_nothing_writes_nothing() {
        let (mut terminal, screen) = terminal();
        draw(&mut terminal, &screen, "3s ago");
        assert_eq!(draw(&mut terminal, &screen, "3s ago"), b"");
    }

    #[test]
    fn a_one_cell_frame_is_the_cell_and_one_short_reset() {
        let (mut terminal, screen) = terminal();
        draw(&mut terminal, &screen, "3s ago");
        assert_eq!(
            draw(&mut terminal, &screen, "4s ago"),
            b"\x1b[1;1H\x1b[2m4\x1b[0m"
        );
    }

    #[test]
    fn a_large_frame_is_one_synchronized_update() {
        let (mut terminal, screen) = terminal();
        let frame = draw(&mut terminal, &screen, &"x".repeat(80));
        assert!(frame.starts_with(b"\x1b[?2026h"), "{frame:?}");
        assert!(frame.ends_with(b"\x1b[0m\x1b[?2026l"), "{frame:?}");
    }

    /// Every SGR colour code in `bytes`, as its parameter list.
    fn colour_codes(bytes: &[u8]) -> Vec<String> {
        let text = String::from_utf8_lossy(bytes);
        text.split("\x1b[")
            .skip(1)
            .filter_map(|rest| {
                let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
                (rest[end..].starts_with('m')).then(|| rest[..end].to_owned())
            })
            .collect()
    }

    /// Whether SGR parameters hold a colour beyond the 16 ANSI ones.
    fn beyond_sixteen(params: &str) -> bool {
        let parts: Vec<&str> = params.split(';').collect();
        parts
            .windows(2)
            .any(|w| matches!(w[0], "38" | "48" | "58") && matches!(w[1], "5" | "2"))
    }

    #[test]
    fn the_sixteen_colours_are_sent_as_sixteen_colour_codes() {
        use ratatui::style::{Color, Style};
        let (mut terminal, screen) = terminal();
        let named = [
            Color::Black,
            Color::Red,
            Color::Green,
            Color::Yellow,
            Color::Blue,
            Color::Magenta,
            Color::Cyan,
            Color::Gray,
            Color::DarkGray,
            Color::LightRed,
            Color::LightGreen,
            Color::LightYellow,
            Color::LightBlue,
            Color::LightMagenta,
            Color::LightCyan,
            Color::White,
        ];
        screen.0.borrow_mut().clear();
        terminal
            .draw(|frame| {
                let spans: Vec<ratatui::text::Span> = named
                    .iter()
                    .map(|&c| ratatui::text::Span::styled("x", Style::new().fg(c).bg(c)))
                    .collect();
                frame.render_widget(Line::from(spans), frame.area());
            })
            .unwrap();
        let codes = colour_codes(&screen.0.borrow());
        assert!(!codes.is_empty());
        for params in &codes {
            assert!(
                !beyond_sixteen(params),
                "a 256-colour code: {params:?} in {codes:?}"
            );
        }
        let text = codes.join(";");
        for code in [
            "30", "31", "37", "90", "91", "97", "40", "41", "47", "100", "101", "107",
        ] {
            assert!(text.split(';').any(|c| c == code), "no {code} in {codes:?}");
        }
    }

    #[test]
    fn other_codes_pass_through_unchanged() {
        let frame = b"\x1b[1;1H\x1b[38;2;38;5;9m\x1b[48;5;200mx\x1b[1;2;38;5;12m\x1b[0m";
        assert_eq!(
            to_sixteen_colours(frame),
            b"\x1b[1;1H\x1b[38;2;38;5;9m\x1b[48;5;200mx\x1b[1;2;94m\x1b[0m".to_vec()
        );
    }

    /// The whole dashboard, drawn with the default theme on the demo feed,
    /// sends no colour beyond the 16 ANSI ones.
    #[test]
    fn the_default_theme_draws_in_sixteen_colours() {
        use crate::app::{App, Display, Msg, Pane, update};
        use crate::worker::{FeedEvent, Fresh};
        let screen = Screen::default();
        let backend = CrosstermBackend::new(FrameWriter::to(screen.clone()));
        let viewport = Viewport::Fixed(Rect::new(0, 0, 200, 60));
        let mut terminal = Terminal::with_options(backend, TerminalOptions { viewport }).unwrap();
        let snapshot = crate::feed::snapshot::Snapshot::from_body(
            crate::feed::demo::DEMO_FEED_JSON.as_bytes(),
        )
        .unwrap();
        let now = chrono::Utc::now();
        let fresh = Fresh::derive(snapshot, &crate::analysis::RulesConfig::default(), now);
        let mut app = App::new("http://127.0.0.1:1".into(), true, Display::default(), now);
        update(
            &mut app,
            Msg::Feed(FeedEvent::Fresh {
                fresh,
                changes: Vec::new(),
            }),
        );
        for pane in Pane::ALL {
            app.focus = pane;
            terminal.draw(|frame| crate::ui::view(&app, frame)).unwrap();
        }
        let codes = colour_codes(&screen.0.borrow());
        assert!(
            codes.iter().any(|c| c.contains("36")),
            "cyan is drawn: {codes:?}"
        );
        for params in &codes {
            assert!(!beyond_sixteen(params), "a 256-colour code: {params:?}");
        }
    }

    #[test]
    fn ascii_frames_keep_escapes_and_columns() {
        let frame = "\x1b[1;1HSuzhou 苏州 E•KINGO".as_bytes();
        assert_eq!(to_ascii(frame), b"\x1b[1;1HSuzhou ???? E?KINGO".to_vec());
    }

    #[test]
    fn the_cursor_is_hidden_again_only_after_it_was_shown() {
        assert_eq!(
            essential(b"\x1b[39m\x1b[49m\x1b[59m\x1b[0m\x1b[?25l", true).0,
            b""
        );
        assert_eq!(essential(b"\x1b[?25l", false).0, HIDE_CURSOR);
        assert_eq!(
            essential(b"x\x1b[39m\x1b[49m\x1b[0m", true),
            (&b"x"[..], SGR_RESET)
        );
    }
}
