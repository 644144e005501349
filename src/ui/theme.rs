//! Colours and symbols. Status is always a symbol and a word, never colour
//! alone; the default theme uses the 16 ANSI colours only, and `mono` none.

use std::borrow::Cow;

use ratatui::style::{Color, Modifier, Style};

use crate::analysis::Severity;
use crate::app::Display;
use crate::feed::wire::{AgreementStage, Phase, RecruitmentStatus};
use crate::i18n::Lang;

/// Styles and symbols for one run of the dashboard.
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    mono: bool,
    /// ASCII symbols and borders.
    pub ascii: bool,
    /// The language of every label.
    pub lang: Lang,
}

impl Theme {
    /// The theme for these display options.
    pub fn new(display: Display) -> Self {
        Theme {
            mono: display.mono,
            ascii: display.ascii,
            lang: display.lang,
        }
    }

    /// A catalog message (from `Lang::text`) as this
    /// terminal can show it: in ASCII mode Chinese words come out in
    /// pinyin, never `?`.
    pub fn label(self, text: Cow<'static, str>) -> Cow<'static, str> {
        if !self.ascii {
            return text;
        }
        match crate::feed::text::ascii_fallback(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(ascii) => Cow::Owned(ascii),
        }
    }

    fn fg(self, color: Color) -> Style {
        if self.mono {
            Style::new()
        } else {
            Style::new().fg(color)
        }
    }

    /// Plain text.
    pub fn text(self) -> Style {
        Style::new()
    }

    /// Secondary text (ids, local names, units).
    pub fn dim(self) -> Style {
        if self.mono {
            Style::new()
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    /// Titles and headings.
    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The border of the focused pane.
    pub fn focus_border(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The selected row.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Keys in the footer and help.
    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The STALE banner.
    pub fn stale(self) -> Style {
        if self.mono {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD)
        }
    }

    /// The DEMO badge.
    pub fn demo(self) -> Style {
        if self.mono {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().fg(Color::Black).bg(Color::Yellow)
        }
    }

    /// A severity's style.
    pub fn severity(self, severity: Severity) -> Style {
        match severity {
            Severity::Critical => self.fg(Color::LightRed).add_modifier(Modifier::BOLD),
            Severity::Warning => self.fg(Color::Yellow),
            Severity::Info => self.fg(Color::Blue),
        }
    }

    /// A severity's symbol.
    pub fn severity_symbol(self, severity: Severity) -> &'static str {
        match (severity, self.ascii) {
            (Severity::Critical, false) => "✖",
            (Severity::Warning, false) => "▲",
            (Severity::Info, false) => "●",
            (Severity::Critical, true) => "X",
            (Severity::Warning, true) => "!",
            (Severity::Info, true) => "i",
        }
    }

    /// A recruitment status's symbol and style.
    pub fn status(self, status: &RecruitmentStatus) -> (&'static str, Style) {
        let (unicode, ascii, color) = match status {
            RecruitmentStatus::Planned => ("○", "-", Color::Gray),
            RecruitmentStatus::Open => ("◔", "o", Color::Cyan),
            RecruitmentStatus::Shortlisting => ("◑", "~", Color::Blue),
            RecruitmentStatus::Signed => ("●", "*", Color::Green),
            RecruitmentStatus::Closed => ("■", "#", Color::Magenta),
            RecruitmentStatus::Unknown(_) => ("?", "?", Color::Red),
        };
        (if self.ascii { ascii } else { unicode }, self.fg(color))
    }

    /// An agreement stage's style.
    pub fn stage(self, stage: &AgreementStage) -> Style {
        match stage {
            AgreementStage::Contract => self.fg(Color::Green),
            AgreementStage::Intention => self.fg(Color::Cyan),
            AgreementStage::Prospect => self.dim(),
            AgreementStage::Terminated => self.fg(Color::Red),
            AgreementStage::Unknown(_) => self.fg(Color::Red),
        }
    }

    /// A phase's style.
    pub fn phase(self, phase: &Phase) -> Style {
        match phase {
            Phase::Open => self.fg(Color::Green),
            Phase::DisplayVehicle | Phase::FitOut => self.fg(Color::Cyan),
            Phase::Unknown(_) => self.fg(Color::Red),
            _ => self.text(),
        }
    }

    /// The "late" marker (its symbol and word) and its style.
    pub fn late(self) -> (Cow<'static, str>, Style) {
        let word = self.label(self.lang.text("pane-late"));
        (
            format!("{} {word}", self.late_symbol()).into(),
            self.fg(Color::LightRed).add_modifier(Modifier::BOLD),
        )
    }

    /// The "late" marker's symbol alone, where a column has no room for its word.
    pub fn late_symbol(self) -> &'static str {
        if self.ascii { "!" } else { "⚠" }
    }

    /// A text progress bar `width` cells wide.
    pub fn bar(self, percent: f64, width: usize) -> String {
        let filled = ((percent.clamp(0.0, 100.0) / 100.0) * width as f64).round() as usize;
        let (full, empty) = if self.ascii {
            ('#', '.')
        } else {
            ('█', '░')
        };
        let mut bar = String::with_capacity(width * 3);
        bar.extend(std::iter::repeat_n(full, filled));
        bar.extend(std::iter::repeat_n(empty, width - filled.min(width)));
        bar
    }

    /// The bar's style.
    pub fn bar_style(self, percent: f64) -> Style {
        if percent >= 100.0 {
            self.fg(Color::Green)
        } else {
            self.fg(Color::Cyan)
        }
    }

    /// The style of a chart's `index`-th series (and its sparkline); the
    /// series also differ by marker, so NO_COLOR tells them apart.
    pub fn series(self, index: usize) -> Style {
        match index {
            0 => self.fg(Color::Cyan),
            _ => self.fg(Color::Yellow),
        }
    }

    /// The separator between figures in a line of text.
    pub fn sep(self) -> &'static str {
        if self.ascii { ", " } else { " · " }
    }

    /// Borders: plain box drawing, or ASCII.
    pub fn border_set(self) -> ratatui::symbols::border::Set<'static> {
        if self.ascii {
            ratatui::symbols::border::Set {
                top_left: "+",
                top_right: "+",
                bottom_left: "+",
                bottom_right: "+",
                vertical_left: "|",
                vertical_right: "|",
                horizontal_top: "-",
                horizontal_bottom: "-",
            }
        } else {
            ratatui::symbols::border::PLAIN
        }
    }
}
