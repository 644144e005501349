//! What reaches the operator outside the frame: the bell, desktop
//! notifications (OSC 777 and OSC 9), the clipboard (OSC 52), each wrapped
//! for tmux when it runs inside tmux, and the notify command.
//!
//! The app decides what to say ([`crate::app::notify`]); this writes it.
//! Text that came from the feed is cleaned here once more before it goes
//! into a sequence: a control character would end the sequence early and
//! the rest would run as the terminal's own.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::feed::text::clean;
use crate::i18n::Lang;
use crate::tr;

/// The terminal bell.
pub const BEL: &[u8] = b"\x07";

/// `text` safe inside an OSC string: no control characters (the feed's
/// cleaning already drops them; this holds for any text), and no `;`,
/// which OSC 777 reads as a field separator (it becomes `,`).
pub fn sanitize(text: &str) -> String {
    clean(text)
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if c == ';' { ',' } else { c })
        .collect()
}

/// `text` safe for the clipboard, in full: no control characters (line
/// breaks and tabs become spaces), so a paste into a terminal cannot run
/// one. OSC 52 carries it in base64, so `;` needs no care there.
pub fn clipboard_text(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// A desktop notification as urxvt, foot, WezTerm, kitty and others read
/// it: `ESC ] 777 ; notify ; title ; body BEL`.
pub fn osc777(title: &str, body: &str) -> Vec<u8> {
    format!("\x1b]777;notify;{};{}\x07", sanitize(title), sanitize(body)).into_bytes()
}

/// A desktop notification as iTerm2, Windows Terminal and others read it:
/// `ESC ] 9 ; text BEL`.
pub fn osc9(text: &str) -> Vec<u8> {
    format!("\x1b]9;{}\x07", sanitize(text)).into_bytes()
}

/// The clipboard set to `text` (OSC 52, clipboard selection, base64),
/// cleaned by [`clipboard_text`].
pub fn osc52(text: &str) -> Vec<u8> {
    let mut out = b"\x1b]52;c;".to_vec();
    out.extend_from_slice(base64(clipboard_text(text).as_bytes()).as_bytes());
    out.push(0x07);
    out
}

/// `sequence` passed through tmux to the terminal outside it: `ESC P tmux;`,
/// the sequence with every ESC doubled, then `ESC \`.
pub fn tmux_wrap(sequence: &[u8]) -> Vec<u8> {
    let mut out = b"\x1bPtmux;".to_vec();
    for &b in sequence {
        if b == 0x1b {
            out.push(0x1b);
        }
        out.push(b);
    }
    out.extend_from_slice(b"\x1b\\");
    out
}

/// `sequence` as this terminal needs it: wrapped when inside tmux.
pub fn for_terminal(sequence: Vec<u8>, tmux: bool) -> Vec<u8> {
    if tmux { tmux_wrap(&sequence) } else { sequence }
}

/// Whether the dashboard runs inside tmux (`TMUX` is set).
pub fn inside_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// Standard base64 with padding (RFC 4648), as OSC 52 takes it.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Why the notify command failed.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// It could not be started.
    #[error("notify.command could not be started: {0}")]
    Spawn(std::io::Error),
    /// It ran past `notify.command_timeout` and was killed.
    #[error("notify.command ran longer than {} s and was killed", .0.as_secs_f64())]
    TimedOut(Duration),
    /// It ended with a failure.
    #[error("notify.command failed ({status}){}", if .stderr.is_empty() { String::new() } else { format!(": {}", .stderr) })]
    Failed {
        /// Its exit status.
        status: std::process::ExitStatus,
        /// The first line of what it wrote to stderr, cleaned.
        stderr: String,
    },
    /// Waiting for it failed.
    #[error("notify.command: {0}")]
    Wait(std::io::Error),
}

impl CommandError {
    /// What went wrong, in `lang`, for the status line (the log keeps the
    /// English of `Display`).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            CommandError::Spawn(error) => {
                tr!(lang, "notify-command-spawn", error = error.to_string())
            }
            CommandError::TimedOut(limit) => {
                // i18n: seconds, a number the catalog places.
                let seconds = format!("{}", limit.as_secs_f64());
                tr!(lang, "notify-command-timed-out", seconds = seconds)
            }
            CommandError::Failed { status, stderr } if stderr.is_empty() => {
                tr!(lang, "notify-command-failed", status = status.to_string())
            }
            CommandError::Failed { status, stderr } => tr!(
                lang,
                "notify-command-failed-said",
                status = status.to_string(),
                stderr = stderr.as_str()
            ),
            CommandError::Wait(error) => {
                tr!(lang, "notify-command-wait", error = error.to_string())
            }
        }
        .into_owned()
    }
}

/// Runs `command` with `sh -c`, `stdin` on its standard input, and kills it
/// (its whole process group) once it runs longer than `limit`. Its stdout
/// is dropped; the first line of its stderr names a failure.
pub async fn run_command(
    command: &str,
    stdin: Vec<u8>,
    limit: Duration,
) -> Result<(), CommandError> {
    let mut child = tokio::process::Command::new("sh");
    child
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        // Not the terminal's process group: Ctrl-C or a stop meant for the
        // dashboard must not reach it, and a kill reaches its children.
        .process_group(0)
        .kill_on_drop(true);
    let mut child = child.spawn().map_err(CommandError::Spawn)?;
    let pid = child.id();
    let mut input = child.stdin.take();
    let mut stderr = child.stderr.take();
    let run = async {
        if let Some(input) = input.as_mut() {
            // A command that does not read its stdin closes it: not a failure.
            let _ = input.write_all(&stdin).await;
        }
        drop(input.take());
        let mut text = Vec::new();
        if let Some(stderr) = stderr.as_mut() {
            let _ = tokio::io::AsyncReadExt::read_to_end(
                &mut tokio::io::AsyncReadExt::take(stderr, 64 * 1024),
                &mut text,
            )
            .await;
        }
        let status = child.wait().await.map_err(CommandError::Wait)?;
        Ok::<_, CommandError>((status, text))
    };
    match tokio::time::timeout(limit, run).await {
        Ok(Ok((status, _))) if status.success() => Ok(()),
        Ok(Ok((status, text))) => {
            let text = String::from_utf8_lossy(&text);
            Err(CommandError::Failed {
                status,
                stderr: sanitize(text.lines().next().unwrap_or_default().trim()),
            })
        }
        Ok(Err(error)) => Err(error),
        Err(_) => {
            if let Some(pid) = pid.and_then(|p| i32::try_from(p).ok()) {
                // SAFETY: killpg only sends a signal, to the group this
                // child leads (process_group(0) made it the leader).
                unsafe {
                    libc::killpg(pid, libc::SIGKILL);
                }
            }
            Err(CommandError::TimedOut(limit))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_follows_rfc_4648() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded, "{plain:?}");
        }
        assert_eq!(base64("苏州".as_bytes()), "6IuP5bee");
    }

    /// The status line's words for a failed command follow the language;
    /// English says what `Display` (the log) says.
    #[test]
    fn a_failed_command_is_told_in_the_language() {
        let timed_out = CommandError::TimedOut(Duration::from_millis(2500));
        assert_eq!(timed_out.text(Lang::En), timed_out.to_string());
        assert_eq!(
            timed_out.text(Lang::En),
            "notify.command ran longer than 2.5 s and was killed"
        );
        assert_eq!(
            timed_out.text(Lang::Zh),
            "notify.command 运行超过 2.5 秒，已被终止"
        );
        let spawn = CommandError::Spawn(std::io::Error::other("no such file"));
        assert_eq!(spawn.text(Lang::En), spawn.to_string());
        assert_eq!(
            spawn.text(Lang::Zh),
            "notify.command 无法启动：no such file"
        );
    }
}
