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
