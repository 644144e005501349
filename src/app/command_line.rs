//! The `:` command line: what is typed, what Tab completes, the
//! candidates an ambiguous name shows, and the session's history. Parsing
//! and completion only; `update` runs what is entered.

use super::Pane;
use crate::i18n::Lang;
use crate::tr;

/// The commands, as typed, for completion (pane names included).
pub const COMMANDS: &[&str] = &[
    "city",
    "partner",
    "store",
    "group",
    "feed",
    "q",
    "quit",
    "cities",
    "partners",
    "stores",
    "conflicts",
    "changes",
    "map",
    "warnings",
];

/// The longest command line kept, in characters.
pub const MAX_COMMAND_CHARS: usize = 256;

/// How the conflicts pane groups its findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Group {
    /// No groups.
    #[default]
    None,
    /// By rule (the feed's own warnings one group).
    Rule,
    /// By city (partner-wide findings one group).
    City,
}

impl Group {
    /// The word `:group` takes.
    pub fn word(self) -> &'static str {
        match self {
            Group::None => "none",
            Group::Rule => "rule",
            Group::City => "city",
        }
    }
}

/// A command read from the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `:city NAME`: open that city.
    City(String),
    /// `:partner NAME`: open that partner.
    Partner(String),
    /// `:store ID`: open that store.
    Store(String),
    /// `:feed NAME`: switch to that configured feed.
    Feed(String),
    /// `:group rule|city|none`: group the conflicts pane.
    Group(Group),
    /// `:cities`, `:conflicts`, ...: the overview with that pane focused.
    Pane(Pane),
    /// `:q`: quit.
    Quit,
}

/// The pane a command word names.
fn pane(word: &str) -> Option<Pane> {
    Some(match word {
        "cities" => Pane::Cities,
        "partners" => Pane::Partners,
        "stores" => Pane::Stores,
        "conflicts" => Pane::Conflicts,
        "changes" => Pane::Changes,
        "map" => Pane::Map,
        "warnings" | "data_warnings" => Pane::DataWarnings,
        _ => return None,
    })
}

/// Splits a line into its command word and the rest (trimmed).
fn split(line: &str) -> (&str, &str) {
    let line = line.trim_start();
    match line.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim()),
        None => (line, ""),
    }
}

/// Reads a command line (without the `:`); the error says what was
/// wrong, in `lang` (the commands themselves are typed in English).
pub fn parse(line: &str, lang: Lang) -> Result<Command, String> {
    let (word, argument) = split(line);
    let command = match word {
        "" => return Err(tr!(lang, "cmd-empty").into_owned()),
        "city" | "partner" | "store" | "feed" if argument.is_empty() => {
            return Err(if word == "store" {
                tr!(lang, "cmd-needs-store-id", command = word)
            } else {
                tr!(lang, "cmd-needs-name", command = word)
            }
            .into_owned());
        }
        "city" => Command::City(argument.to_owned()),
        "partner" => Command::Partner(argument.to_owned()),
        "store" => Command::Store(argument.to_owned()),
        "feed" => Command::Feed(argument.to_owned()),
        "group" => Command::Group(match argument {
            "rule" => Group::Rule,
            "city" => Group::City,
            "none" | "" => Group::None,
            other => return Err(tr!(lang, "cmd-group-takes", typed = other).into_owned()),
        }),
        "q" | "quit" | "q!" => Command::Quit,
        word => match pane(word) {
            Some(pane) if argument.is_empty() => Command::Pane(pane),
            Some(_) => return Err(tr!(lang, "cmd-takes-nothing", command = word).into_owned()),
            None => {
                let commands = COMMANDS.join(", ");
                return Err(
                    tr!(lang, "cmd-unknown", command = word, commands = commands).into_owned(),
                );
            }
        },
    };
    Ok(command)
}

/// What Tab completes: the command word, or the argument of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completing<'a> {
    /// The command word, typed so far.
    Command(&'a str),
    /// The argument of `command`, typed so far.
    Argument {
        /// The command word.
        command: &'a str,
        /// The argument so far.
        typed: &'a str,
    },
}

/// What the cursor of `line` completes.
pub fn completing(line: &str) -> Completing<'_> {
    let start = line.trim_start();
    match start.split_once(char::is_whitespace) {
        Some((command, rest)) => Completing::Argument {
            command,
            typed: rest.trim_start(),
        },
        None => Completing::Command(start),
    }
}

/// The command words that start with `typed`.
pub fn complete_command(typed: &str) -> Vec<String> {
    COMMANDS
        .iter()
        .filter(|c| c.starts_with(typed))
        .map(|c| (*c).to_owned())
        .collect()
}

/// One candidate under the prompt: what it shows and the line it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// What the list shows.
    pub label: String,
    /// The command line it stands for (without the `:`).
    pub line: String,
}

/// The command line while it is open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandLine {
    /// What is typed, without the `:`.
    pub input: String,
    /// Completions or the records an ambiguous name could be; Tab and
    /// Shift-Tab pick one, Enter runs the picked one.
    pub candidates: Vec<Candidate>,
    /// The candidate picked.
    pub picked: Option<usize>,
    /// What the last Enter could not do.
    pub error: Option<String>,
    /// The entry of the history shown (Up / Down), if any.
    pub history_at: Option<usize>,
    /// What was typed before Up walked into the history.
    pub draft: String,
}

impl CommandLine {
    /// Adds typed or pasted text: line breaks and tabs become spaces (a
    /// pasted line break is never Enter), other control characters go; at most
    /// [`MAX_COMMAND_CHARS`]. Candidates shown go, as they answered the
    /// line before.
    pub fn type_text(&mut self, text: &str) {
        let room = MAX_COMMAND_CHARS.saturating_sub(self.input.chars().count());
        let chars = text.chars().filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        });
        self.input.extend(chars.take(room));
        self.edited();
    }

    /// Removes the last character.
    pub fn backspace(&mut self) {
        self.input.pop();
        self.edited();
    }

    fn edited(&mut self) {
        self.candidates.clear();
        self.picked = None;
        self.error = None;
        self.history_at = None;
    }

    /// Shows `candidates` and picks the first (or the last, `backward`).
    pub fn offer(&mut self, candidates: Vec<Candidate>, backward: bool) {
        self.picked = match candidates.len() {
            0 => None,
            n => Some(if backward { n - 1 } else { 0 }),
        };
        self.candidates = candidates;
    }

    /// Picks the next candidate (or the previous one), cycling.
    pub fn cycle(&mut self, forward: bool) {
        let n = self.candidates.len();
        if n == 0 {
            return;
        }
        self.picked = Some(match (self.picked, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        });
    }

    /// The candidate picked.
    pub fn picked(&self) -> Option<&Candidate> {
        self.picked.and_then(|i| self.candidates.get(i))
    }
}

/// The session's command history, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// The lines run, oldest first, without repeats in a row.
    pub entries: Vec<String>,
}

/// Lines the history keeps.
const HISTORY: usize = 100;

impl History {
    /// Adds a line run.
    pub fn push(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() || self.entries.last().is_some_and(|last| last == line) {
            return;
        }
        if self.entries.len() == HISTORY {
            self.entries.remove(0);
        }
        self.entries.push(line.to_owned());
    }

    /// Up (`older`) or Down on `line`: shows the entry before or after the
    /// one shown; Down past the newest gives back what was typed.
    pub fn walk(&self, line: &mut CommandLine, older: bool) {
        let n = self.entries.len();
        if n == 0 {
            return;
        }
        let at = match (line.history_at, older) {
            (None, true) => {
                line.draft = line.input.clone();
                Some(n - 1)
            }
            (None, false) => return,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i + 1 < n => Some(i + 1),
            (Some(_), false) => None,
        };
        line.input = match at {
            Some(i) => self.entries[i].clone(),
            None => std::mem::take(&mut line.draft),
        };
        line.candidates.clear();
        line.picked = None;
        line.error = None;
        line.history_at = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_read_their_arguments() {
        assert_eq!(
            parse("city 南京", Lang::En),
            Ok(Command::City("南京".into()))
        );
        assert_eq!(
            parse("  city   nan jing ", Lang::En),
            Ok(Command::City("nan jing".into()))
        );
        assert_eq!(
            parse("store bj-dc-01", Lang::En),
            Ok(Command::Store("bj-dc-01".into()))
        );
        assert_eq!(parse("q", Lang::En), Ok(Command::Quit));
        assert_eq!(
            parse("conflicts", Lang::En),
            Ok(Command::Pane(Pane::Conflicts))
        );
        assert_eq!(
            parse("group rule", Lang::En),
            Ok(Command::Group(Group::Rule))
        );
        assert_eq!(
            parse("group none", Lang::En),
            Ok(Command::Group(Group::None))
        );
        assert_eq!(
            parse("feed staging", Lang::En),
            Ok(Command::Feed("staging".into()))
        );
    }

    #[test]
    fn a_wrong_command_says_what_was_wrong() {
        assert_eq!(parse("city", Lang::En), Err(":city needs a name".into()));
        assert_eq!(
            parse("store ", Lang::En),
            Err(":store needs a store id".into())
        );
        assert!(
            parse("group town", Lang::En)
                .unwrap_err()
                .contains("rule, city or none, not town")
        );
        assert!(
            parse("jump x", Lang::En)
                .unwrap_err()
                .starts_with("no command jump")
        );
        assert!(
            parse("map 3", Lang::En)
                .unwrap_err()
                .contains("takes nothing")
        );
    }

    #[test]
    fn errors_speak_the_language_of_the_interface() {
        assert_eq!(parse("city", Lang::Zh), Err(":city 需要名称".into()));
        assert_eq!(parse("store", Lang::Zh), Err(":store 需要门店编号".into()));
        assert_eq!(
            parse("group town", Lang::Zh),
            Err(":group 只接受 rule、city 或 none，不是 town".into())
        );
        assert!(
            parse("jump", Lang::Zh)
                .unwrap_err()
                .starts_with("没有命令 jump")
        );
        assert_eq!(
            parse("map 3", Lang::Zh),
            Err(":map 后面不能再加内容".into())
        );
        // The commands themselves are typed as in English.
        assert_eq!(
            parse("conflicts", Lang::Zh),
            Ok(Command::Pane(Pane::Conflicts))
        );
    }

    #[test]
    fn completion_knows_what_it_completes() {
        assert_eq!(completing("ci"), Completing::Command("ci"));
        assert_eq!(
            completing("city na"),
            Completing::Argument {
                command: "city",
                typed: "na"
            }
        );
        assert_eq!(
            complete_command("c"),
            ["city", "cities", "conflicts", "changes"]
        );
        assert!(complete_command("x").is_empty());
    }

    #[test]
    fn history_walks_back_and_forth_and_gives_the_draft_back() {
        let mut history = History::default();
        for line in ["city nj", "city nj", "conflicts", " q "] {
            history.push(line);
        }
        assert_eq!(history.entries, ["city nj", "conflicts", "q"]);
        let mut line = CommandLine {
            input: "par".into(),
            ..CommandLine::default()
        };
        history.walk(&mut line, true);
        assert_eq!(line.input, "q");
        history.walk(&mut line, true);
        history.walk(&mut line, true);
        history.walk(&mut line, true);
        assert_eq!(line.input, "city nj", "the oldest stays");
        history.walk(&mut line, false);
        assert_eq!(line.input, "conflicts");
        history.walk(&mut line, false);
        history.walk(&mut line, false);
        assert_eq!(line.input, "par", "past the newest: the draft");
    }

    proptest::proptest! {
        /// No line makes parsing or completion panic.
        #[test]
        fn no_line_panics(line in "\\PC{0,40}") {
            let _ = parse(&line, Lang::En);
            let _ = completing(&line);
            let mut typed = CommandLine::default();
            typed.type_text(&line);
            typed.backspace();
        }
    }

    #[test]
    fn typing_drops_control_characters_and_stops_at_the_cap() {
        let mut line = CommandLine::default();
        line.type_text("city\nnj\u{1b}[2J");
        assert_eq!(line.input, "city nj[2J");
        line.type_text(&"x".repeat(1000));
        assert_eq!(line.input.chars().count(), MAX_COMMAND_CHARS);
    }
}
