//! The message catalogs (assets/i18n/*.ftl) against each other and against
//! the code: the same ids with the same variables in every language, every
//! id the code asks for present, every word of the contract translated, and
//! no English sentence written straight into the view or the report.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_syntax::ast;
use rollout_dash::analysis::{Rule, Severity};
use rollout_dash::feed::wire::{
    AgreementStage, Channel, Phase, RecruitmentStatus, StoreKind, Tier, WireValue,
};
use rollout_dash::i18n::Lang;

/// Files of the view and the report not yet moved to the catalogs; the
/// English scan skips them. Empty when issue 15 is done.
const NOT_YET_CONVERTED: &[&str] = &[];

/// The groups of contract values whose words are looked up by
/// [`Lang::word`] with an id made at run time (`phase-fit_out`).
const WORD_GROUPS: &[&str] = &[
    "severity", "rule", "status", "tier", "stage", "kind", "channel", "phase",
];

/// A catalog's messages: id -> the variables it uses.
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(lang.source())
        .unwrap_or_else(|(_, errors)| panic!("{lang} catalog does not parse: {errors:#?}"));
    let mut messages = BTreeMap::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(message) => {
                let mut variables = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    pattern_variables(pattern, &mut variables);
                }
                for attribute in &message.attributes {
                    pattern_variables(&attribute.value, &mut variables);
                }
                let id = message.id.name.to_owned();
                assert!(
                    messages.insert(id.clone(), variables).is_none(),
                    "{lang} catalog has {id} twice"
                );
            }
            ast::Entry::Junk { content } => panic!("{lang} catalog has junk: {content}"),
            _ => {}
        }
    }
    messages
}

fn pattern_variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, out);
            }
            for argument in &arguments.named {
                inline_variables(&argument.value, out);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

#[test]
fn every_catalog_has_the_same_ids_with_the_same_variables() {
    let english = messages(Lang::En);
    for lang in Lang::ALL {
        let catalog = messages(lang);
        let missing: Vec<_> = english
            .keys()
            .filter(|id| !catalog.contains_key(*id))
            .collect();
        let extra: Vec<_> = catalog
            .keys()
            .filter(|id| !english.contains_key(*id))
            .collect();
        assert!(missing.is_empty(), "{lang} catalog lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{lang} catalog has ids English lacks: {extra:?}"
        );
        for (id, variables) in &catalog {
            assert_eq!(
                variables, &english[id],
                "message {id}: {lang} uses other variables than English"
            );
        }
    }
}

#[test]
fn every_value_of_the_contract_has_a_word_in_every_language() {
    fn wire<T: WireValue>(values: &[T]) -> Vec<String> {
        values.iter().map(|v| v.as_str().to_owned()).collect()
    }
    let groups = [
        (
            "severity",
            [Severity::Critical, Severity::Warning, Severity::Info]
                .map(|s| s.word().to_owned())
                .to_vec(),
        ),
        ("rule", Rule::ALL.map(|r| r.id().to_owned()).to_vec()),
        ("status", wire(RecruitmentStatus::KNOWN)),
        ("tier", wire(Tier::KNOWN)),
        ("stage", wire(AgreementStage::KNOWN)),
        ("kind", wire(StoreKind::KNOWN)),
        ("channel", wire(Channel::KNOWN)),
        ("phase", wire(Phase::KNOWN)),
    ];
    for lang in Lang::ALL {
        for (group, values) in &groups {
            for value in values {
                assert!(
                    lang.word(group, value).is_some(),
                    "{lang} catalog has no word for {group} {value}"
                );
            }
        }
        assert!(lang.word("phase", "no_such_phase").is_none());
    }
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A string literal of a source file: its line and its text (escapes as written).
struct Literal {
    line: usize,
    text: String,
}

/// The string literals of Rust source, skipping comments and char
/// literals; enough of Rust's lexing for our own files.
fn literals(source: &str) -> Vec<Literal> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\n' {
            line += 1;
            i += 1;
        } else if source[i..].starts_with("//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if source[i..].starts_with("/*") {
            let end = source[i..].find("*/").map_or(bytes.len(), |e| i + e + 2);
            line += source[i..end].matches('\n').count();
            i = end;
        } else if c == b'r'
            && matches!(bytes.get(i + 1), Some(b'"' | b'#'))
            && !ident_before(bytes, i)
        {
            let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
            let open = i + 1 + hashes;
            if bytes.get(open) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let end = source[open + 1..]
                .find(&close)
                .map_or(bytes.len(), |e| open + 1 + e);
            found.push(Literal {
                line,
                text: source[open + 1..end].to_owned(),
            });
            line += source[i..end].matches('\n').count();
            i = end + close.len();
        } else if c == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            found.push(Literal {
                line,
                text: source[start..j.min(bytes.len())].to_owned(),
            });
            line += source[i..j.min(bytes.len())].matches('\n').count();
            i = j + 1;
        } else if c == b'\'' {
            // A char literal ('a', '\n', '"') or a lifetime ('a).
            if bytes.get(i + 1) == Some(&b'\\') {
                let end = source[i + 2..]
                    .find('\'')
                    .map_or(bytes.len(), |e| i + 2 + e);
                i = end + 1;
            } else if let Some(ch) = source[i + 1..].chars().next() {
                let after = i + 1 + ch.len_utf8();
                i = if bytes.get(after) == Some(&b'\'') {
                    after + 1
                } else {
                    i + 1
                };
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    found
}

fn ident_before(bytes: &[u8], i: usize) -> bool {
    i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')
}

/// The source before its test module: tests may say anything.
fn without_tests(source: &str) -> &str {
    source
        .find("#[cfg(test)]")
        .map_or(source, |at| &source[..at])
}

/// Whether a literal reads as English words: two letters in a row once
/// format placeholders (`{name}`, `{:>5}`) and escapes are taken out.
fn reads_as_english(text: &str) -> bool {
    // The program's name is a name in every language.
    let text = text.replace("rollout-dash", "");
    let mut plain = String::new();
    let mut depth = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
            }
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            '\\' => {
                chars.next();
            }
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    plain
        .as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_alphabetic() && w[1].is_ascii_alphabetic())
}

#[test]
fn every_message_the_code_asks_for_is_in_the_catalogs() {
    let ids = messages(Lang::En);
    let call = regex_lite_call();
    let mut asked = BTreeSet::new();
    for file in rust_files(&root().join("src")) {
        let source = std::fs::read_to_string(&file).unwrap();
        // The catalog's own tests ask for a missing id on purpose.
        let own_tests = file.ends_with("src/i18n.rs");
        for id in call(&source) {
            assert!(
                own_tests || ids.contains_key(&id),
                "{} asks for message {id:?}, which en.ftl lacks",
                file.display()
            );
            asked.insert(id);
        }
    }
    // Every message is used: by a call with its id, or as a contract word.
    let unused: Vec<_> = ids
        .keys()
        .filter(|id| !asked.contains(*id))
        .filter(|id| !WORD_GROUPS.iter().any(|g| id.starts_with(&format!("{g}-"))))
        .collect();
    assert!(
        unused.is_empty(),
        "catalog messages no code asks for: {unused:?}"
    );
}

/// Finds the ids of `tr!(lang, "id" ...)`, `.text("id")`, `.format("id", ...)`,
/// `.write(out, "id", ...)` and `said!("id", ...)` calls in source text.
fn regex_lite_call() -> impl Fn(&str) -> Vec<String> {
    |source: &str| {
        // Comments show calls as examples.
        let code: String = source
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .map(|line| format!("{line}\n"))
            .collect();
        let source = code.as_str();
        let mut ids = Vec::new();
        for (start, _) in source.match_indices("tr!(") {
            // The id is the first literal after the language argument.
            if let Some(id) = literal_after(&source[start..], ',') {
                ids.push(id);
            }
        }
        for marker in [".text(", ".format(", "said!("] {
            for (start, _) in source.match_indices(marker) {
                if let Some(id) = literal_after(&source[start..], '(') {
                    ids.push(id);
                }
            }
        }
        for (start, _) in source.match_indices(".write(") {
            if let Some(id) = literal_after(&source[start..], ',') {
                ids.push(id);
            }
        }
        ids.retain(|id| {
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
        ids
    }
}

/// The string literal right after the first `sep` of `text` (spaces and
/// newlines between), if there is one there.
fn literal_after(text: &str, sep: char) -> Option<String> {
    let rest = &text[text.find(sep)? + 1..];
    let rest = rest.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_owned())
}

#[test]
fn no_english_sentence_is_written_into_the_view_or_the_report() {
    let ids = messages(Lang::En);
    let mut files = rust_files(&root().join("src/ui"));
    files.push(root().join("src/report.rs"));
    for listed in NOT_YET_CONVERTED {
        assert!(root().join(listed).exists(), "{listed} is listed but gone");
    }
    let mut found = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if NOT_YET_CONVERTED.contains(&relative.as_str()) {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap();
        let source = without_tests(&source);
        let lines: Vec<&str> = source.lines().collect();
        for literal in literals(source) {
            // Attributes (`#[serde(skip_serializing_if = "...")]`) are code.
            if lines
                .get(literal.line - 1)
                .is_some_and(|l| l.trim_start().starts_with("#["))
            {
                continue;
            }
            let allowed = |n: usize| lines.get(n).is_some_and(|l| l.contains("// i18n:"));
            // `// i18n: why` on the line or the line before lets a literal be.
            if allowed(literal.line - 1) || (literal.line >= 2 && allowed(literal.line - 2)) {
                continue;
            }
            if ids.contains_key(&literal.text) || WORD_GROUPS.contains(&literal.text.as_str()) {
                continue;
            }
            if reads_as_english(&literal.text) {
                found.push(format!("{relative}:{}: {:?}", literal.line, literal.text));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English written into the code instead of the catalogs (move it to \
         assets/i18n/*.ftl, or mark a literal that is not words with `// i18n: why`):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_english_and_skips_what_is_not_words() {
    let source = r##"
        let a = "terminal too small";
        let b = "{name}{local}";
        // "a comment" is not a literal
        let c = '"';
        let d = r#"raw "quoted" text"#;
        let e = "{:>5} · {}";
        fn f<'a>(x: &'a str) -> &'a str { "ok then" }
    "##;
    let found: Vec<_> = literals(source)
        .into_iter()
        .filter(|l| reads_as_english(&l.text))
        .map(|l| (l.line, l.text))
        .collect();
    assert_eq!(
        found,
        [
            (2, "terminal too small".to_owned()),
            (6, "raw \"quoted\" text".to_owned()),
            (8, "ok then".to_owned())
        ]
    );
}
