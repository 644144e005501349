//! The stores of a document parsed while the rest of its body still arrives.
//!
//! A national document is mostly its `stores` list, and on a fast link its
//! download (mostly inflating gzip) takes about as long as its parse. So on
//! the first poll, when no earlier body can make the parse unnecessary,
//! [`ParseAhead`] hands pieces of the stores list to a thread that parses
//! them while the rest of the body arrives, after the document before the
//! list. Pieces wait in a queue; at the end [`ParseAhead::finish`] parses the
//! last piece and takes waiting pieces from the back while the thread takes
//! them from the front. What follows the list (the feed's warnings) is small.
//!
//! Finding the list is exact: the document's top level is followed byte by
//! byte (strings, escapes, nesting) up to the `stores` key's `[`. Within the
//! list, a piece ends where `},` is followed by `{`: between two stores,
//! unless a name holds those bytes or a store nests records. Such a cut
//! leaves a string or an object open in the piece before it, so that piece
//! cannot parse; its start is right (the piece before parsed), and the rest
//! of the list is read from there at the end. Each piece is parsed two
//! levels deep (`[[...]]`), where the stores sit in the document, so
//! serde_json's nesting limit would fall where it falls for the whole body.
//!
//! It is only a shortcut: anything else unexpected (a byte-order mark, an
//! escaped key, a store that does not parse, a document that does not parse
//! around its stores) and `finish` gives up, so that the body is parsed
//! whole as always and every error is the whole parse's own.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};

use super::lenient::{self, FieldProblem, Section};
use super::text;
use super::wire::{Document, FeedWarning, Store};

/// Stores are handed over in pieces of at least this many bytes: small
/// enough that the parse keeps up with the download, big enough that the
/// hand-over costs nothing.
const PIECE: usize = 256 * 1024;

/// The bytes that open or close a string or a level.
const NESTING: [bool; 256] = byte_set(b"\"{}[]");

/// The bytes that end a string or escape the next.
const STRING_END: [bool; 256] = byte_set(b"\"\\");

const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

/// Follows a body as it arrives and parses its stores meanwhile.
pub struct ParseAhead {
    head: Head,
    piece: usize,
    /// Where the stores not handed over yet begin (after `[` or a `,`).
    handed: usize,
    /// Where to look for the end of the next piece.
    search: usize,
    /// Where each piece handed over starts.
    starts: Vec<usize>,
    /// The parsing thread, started with the first piece.
    parser: Option<Parser>,
}

/// The thread that parses the pieces, and the queue they wait in.
struct Parser {
    queue: Arc<Queue>,
    thread: JoinHandle<Parsed>,
}

/// Pieces of stores not parsed yet, numbered. The thread takes the oldest;
/// at the end [`ParseAhead::finish`] takes the newest, so that what is left
/// then is parsed on two cores.
#[derive(Default)]
struct Queue {
    pieces: Mutex<Waiting>,
    arrived: Condvar,
}

#[derive(Default)]
struct Waiting {
    pieces: VecDeque<(usize, Vec<u8>)>,
    /// Their bytes.
    bytes: usize,
    /// No more will come.
    closed: bool,
}

/// Bytes of pieces waiting, at most: a parse that falls behind further lets
/// the stores wait in the body instead, not in copies of it.
const WAITING: usize = 4 * 1024 * 1024;

/// One piece's stores and their problems (numbered within the piece), or
/// `None` if it did not parse.
type PieceParsed = Option<(Vec<Store>, Vec<FieldProblem>)>;

/// What the thread made of the head and of the pieces it took: the oldest,
/// so the first ones, in order.
struct Parsed {
    /// The document up to its stores, if it parsed so, and its problems.
    head: (Option<Document>, Vec<FieldProblem>),
    /// The stores of the pieces it took, up to one that did not parse.
    stores: Stores,
    /// How many pieces that is.
    pieces: usize,
}

impl Default for ParseAhead {
    fn default() -> Self {
        Self::with_piece(PIECE)
    }
}

impl ParseAhead {
    /// Hands stores over in pieces of at least `piece` bytes (tests use
    /// small ones, to have many).
    pub fn with_piece(piece: usize) -> Self {
        ParseAhead {
            head: Head::default(),
            piece: piece.max(1),
            handed: 0,
            search: 0,
            starts: Vec::new(),
            parser: None,
        }
    }

    /// Follows the bytes of `body` added since the last call and hands over
    /// a piece of stores when one is complete.
    pub fn catch_up(&mut self, body: &[u8]) {
        if self.head.failed {
            return;
        }
        let Some(open) = self.head.stores_open else {
            self.head.scan(body);
            if let Some(open) = self.head.stores_open {
                self.handed = open + 1;
                self.search = self.handed + self.piece;
            }
            return;
        };
        debug_assert!(self.handed > open);
        if self
            .parser
            .as_ref()
            .is_some_and(|parser| parser.queue.is_full())
        {
            return;
        }
        // The last place between two stores that has arrived: every store
        // complete so far goes over at once.
        let mut cut = None;
        while self.search < body.len() {
            let Some(found) = memchr::memmem::find(&body[self.search..], b"},") else {
                // `}` may be the last byte so far.
                self.search = body.len() - 1;
                break;
            };
            let comma = self.search + found + 1;
            match body[comma + 1..].iter().find(|b| !b.is_ascii_whitespace()) {
                None => break, // what follows has not arrived
                Some(b'{') => cut = Some(comma),
                Some(_) => {}
            }
            self.search = comma;
        }
        if let Some(comma) = cut {
            let piece = nested(&body[self.handed..comma]);
            self.starts.push(self.handed);
            self.handed = comma + 1;
            self.search = self.search.max(self.handed + self.piece);
            let parser = self.parser.get_or_insert_with(|| {
                // With the first piece, the document before the stores:
                // all of it but the stores, mostly, when the feed sends
                // them last or followed by its warnings only.
                let mut head = Vec::with_capacity(open + 3);
                head.extend_from_slice(&body[..=open]);
                head.extend_from_slice(b"]}");
                Parser::start(head)
            });
            parser.queue.push(self.starts.len() - 1, piece);
        }
    }

    /// The document, its stores parsed ahead; `None` when the body must be
    /// parsed whole (see the module's comment). Blocks until the thread is
    /// done: call it off the async workers.
    pub fn finish(mut self, body: &[u8]) -> Option<Document> {
        self.catch_up(body);
        let open = self.head.stores_open?;
        let Parser { queue, thread } = self.parser.take()?;
        if self.head.failed {
            return None;
        }
        queue.close();
        // The stores after the last piece, then the newest pieces waiting,
        // here while the thread takes the oldest.
        let mut pieces = Vec::new();
        let close = stores_close(body, self.handed);
        if let Some(close) = close {
            let last = text::sharing_text(|| parse_piece(&nested(&body[self.handed..close])));
            pieces.push((self.starts.len(), last));
        }
        text::sharing_text(|| {
            while let Some((n, piece)) = queue.take_newest() {
                pieces.push((n, parse_piece(&piece)));
            }
        });
        let parsed = thread.join().ok()?;
        pieces.sort_unstable_by_key(|(n, _)| *n);
        // In order, up to the first piece that did not parse: the thread's,
        // then the ones taken here. A piece that did not parse ended at a
        // wrong cut (or holds a bad store); its start is right, since the
        // piece before it parsed, and the rest is read from there.
        let mut stores = parsed.stores;
        let mut rest = None;
        if parsed.pieces < pieces.first().map_or(self.starts.len(), |(n, _)| *n) {
            rest = Some(self.starts[parsed.pieces]);
        } else {
            for (n, piece) in pieces {
                match piece {
                    Some((more, problems)) => stores.add(more, problems),
                    None => {
                        rest = Some(self.starts.get(n).copied().unwrap_or(self.handed));
                        break;
                    }
                }
            }
        }
        let close = match rest {
            None => close?,
            Some(rest) => {
                let close = stores_close(body, rest)?;
                let (more, problems) =
                    text::sharing_text(|| parse_piece(&nested(&body[rest..close])))?;
                stores.add(more, problems);
                close
            }
        };
        // The document before the stores parsed already, if what follows
        // them is only the end, or the feed's warnings.
        if let (Some(mut document), problems) = parsed.head
            && let Some((warnings, tail_problems)) =
                parse_tail(&body[close + 1..], &self.head.before_stores)
        {
            document.stores = stores.stores;
            if let Some(warnings) = warnings {
                document.warnings = warnings;
            }
            document.problems = problems;
            document.problems.extend(stores.problems);
            document.problems.extend(tail_problems);
            return Some(document);
        }
        let mut around = Vec::with_capacity(body.len() - (close - open) + 1);
        around.extend_from_slice(&body[..=open]);
        around.extend_from_slice(&body[close..]);
        let (document, problems) = lenient::collecting(|| {
            text::sharing_text(|| super::snapshot::parse_untracked(&around))
        });
        let mut document = document?;
        document.stores = stores.stores;
        // Problems in document order: the sections written before `stores`
        // first, then the stores', then the rest.
        let (before, after): (Vec<_>, Vec<_>) = problems
            .into_iter()
            .partition(|p| self.head.before_stores.contains(&p.section));
        document.problems = before;
        document.problems.extend(stores.problems);
        document.problems.extend(after);
        Some(document)
    }
}

impl Parser {
    /// Starts the thread: the head first, then pieces as they come.
    fn start(head: Vec<u8>) -> Parser {
        let queue = Arc::new(Queue::default());
        let waiting = Arc::clone(&queue);
        let thread = std::thread::spawn(move || {
            text::sharing_text(|| {
                let head = lenient::collecting(|| super::snapshot::parse_untracked(&head));
                let mut stores = Stores::default();
                let mut pieces = 0;
                let mut parsing = true;
                while let Some((_, piece)) = waiting.take_oldest() {
                    // After one that does not parse the rest is read at the end.
                    if let Some((more, problems)) = parsing.then(|| parse_piece(&piece)).flatten() {
                        stores.add(more, problems);
                        pieces += 1;
                    } else {
                        parsing = false;
                    }
                }
                Parsed {
                    head,
                    stores,
                    pieces,
                }
            })
        });
        Parser { queue, thread }
    }
}

impl Queue {
    /// Whether as many bytes wait as may.
    fn is_full(&self) -> bool {
        self.waiting().bytes >= WAITING
    }

    fn push(&self, n: usize, piece: Vec<u8>) {
        let mut waiting = self.waiting();
        waiting.bytes += piece.len();
        waiting.pieces.push_back((n, piece));
        drop(waiting);
        self.arrived.notify_one();
    }

    fn close(&self) {
        self.waiting().closed = true;
        self.arrived.notify_one();
    }

    /// The oldest piece, waiting for one; `None` once closed and empty.
    fn take_oldest(&self) -> Option<(usize, Vec<u8>)> {
        let mut waiting = self.waiting();
        loop {
            if let Some(piece) = waiting.pieces.pop_front() {
                waiting.bytes -= piece.1.len();
                return Some(piece);
            }
            if waiting.closed {
                return None;
            }
            waiting = self
                .arrived
                .wait(waiting)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    /// The newest piece, if one waits.
    fn take_newest(&self) -> Option<(usize, Vec<u8>)> {
        let mut waiting = self.waiting();
        let piece = waiting.pieces.pop_back()?;
        waiting.bytes -= piece.1.len();
        Some(piece)
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, Waiting> {
        // A panic while holding it cannot leave the queue half changed.
        self.pieces
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The stores of the pieces, in order, and their problems.
#[derive(Default)]
struct Stores {
    stores: Vec<Store>,
    problems: Vec<FieldProblem>,
}

impl Stores {
    /// The next stores, their problems numbered after the stores before.
    fn add(&mut self, stores: Vec<Store>, problems: Vec<FieldProblem>) {
        let before = self.stores.len();
        self.problems.extend(problems.into_iter().map(|mut p| {
            p.index += before;
            p
        }));
        self.stores.extend(stores);
    }
}

/// `[[` + the stores + `]]`: a piece is a list of its own, two levels deep.
fn nested(stores: &[u8]) -> Vec<u8> {
    let mut piece = Vec::with_capacity(stores.len() + 4);
    piece.extend_from_slice(b"[[");
    piece.extend_from_slice(stores);
    piece.extend_from_slice(b"]]");
    piece
}

/// Where the stores list ends: its `]`, followed from `from`, the start of
/// a store (or the list's first byte). `None` if the body ends first.
fn stores_close(body: &[u8], from: usize) -> Option<usize> {
    let (mut at, mut depth) = (from, 0_usize);
    while at < body.len() {
        while at < body.len() && !NESTING[usize::from(body[at])] {
            at += 1;
        }
        match body.get(at)? {
            b'"' => {
                at += 1;
                loop {
                    while at < body.len() && !STRING_END[usize::from(body[at])] {
                        at += 1;
                    }
                    match body.get(at)? {
                        b'"' => break,
                        _ => at += 2,
                    }
                }
            }
            b'{' | b'[' => depth += 1,
            _ if depth == 0 => return Some(at),
            _ => depth -= 1,
        }
        at += 1;
    }
    None
}

/// One piece's stores and their problems (numbered within the piece).
fn parse_piece(piece: &[u8]) -> PieceParsed {
    let (stores, problems) = lenient::collecting(|| {
        let piece = std::str::from_utf8(piece).ok()?;
        let mut deserializer = serde_json::Deserializer::from_str(piece);
        let stores = deserializer.deserialize_seq(Nest).ok()?;
        deserializer.end().ok()?;
        Some(stores)
    });
    Some((stores?, problems))
}

/// What follows the stores list (`,"warnings": [...]}` or `}`): the feed's
/// warnings, if there, and their problems. `None` when the whole parse
/// would read it differently: a field of the document given again (or
/// given here and not before), or anything that does not parse.
fn parse_tail(
    tail: &[u8],
    before: &[Section],
) -> Option<(Option<Vec<FeedWarning>>, Vec<FieldProblem>)> {
    /// The warnings, and the document's other fields: none may come again.
    #[derive(Deserialize)]
    struct Tail {
        #[serde(default, deserialize_with = "some_warnings")]
        warnings: Option<Vec<FeedWarning>>,
        schema_version: Option<IgnoredAny>,
        generated_at: Option<IgnoredAny>,
        program: Option<IgnoredAny>,
        cities: Option<IgnoredAny>,
        partners: Option<IgnoredAny>,
        stores: Option<IgnoredAny>,
    }
    fn some_warnings<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<FeedWarning>>, D::Error> {
        lenient::records::<_, lenient::Warnings, _>(d).map(Some)
    }
    // `{"_":0` and the tail: an object of its own.
    let mut object = Vec::with_capacity(tail.len() + 6);
    object.extend_from_slice(b"{\"_\":0");
    object.extend_from_slice(tail);
    let (tail, problems) = lenient::collecting(|| {
        text::sharing_text(|| {
            let object = std::str::from_utf8(&object).ok()?;
            let mut deserializer = serde_json::Deserializer::from_str(object);
            let tail = Tail::deserialize(&mut deserializer).ok()?;
            deserializer.end().ok()?;
            Some(tail)
        })
    });
    let tail = tail?;
    let again = [
        &tail.schema_version,
        &tail.generated_at,
        &tail.program,
        &tail.cities,
        &tail.partners,
        &tail.stores,
    ]
    .iter()
    .any(|field| field.is_some());
    let warnings = tail.warnings;
    if again || warnings.is_some() && before.contains(&Section::Warning) {
        return None;
    }
    Some((warnings, problems))
}

/// `[[store, ...]]`: the one list inside, read as the document's stores.
struct Nest;

impl<'de> Visitor<'de> for Nest {
    type Value = Vec<Store>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list holding the list of stores")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let stores = seq
            .next_element_seed(StoreList)?
            .ok_or_else(|| serde::de::Error::invalid_length(0, &self))?;
        match seq.next_element::<IgnoredAny>()? {
            None => Ok(stores),
            Some(_) => Err(serde::de::Error::invalid_length(2, &self)),
        }
    }
}

/// The stores list, read as [`Document`] reads it.
struct StoreList;

impl<'de> DeserializeSeed<'de> for StoreList {
    type Value = Vec<Store>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        lenient::records::<_, lenient::Stores, _>(d)
    }
}

/// The document's top level, followed byte by byte up to the stores list:
/// strings (and their escapes), nesting, and the top-level keys.
#[derive(Default)]
struct Head {
    /// Bytes followed so far.
    at: usize,
    depth: u32,
    in_string: bool,
    /// Inside a string, after a backslash.
    escaped: bool,
    /// At the top level, where the next string is a key.
    want_key: bool,
    /// Where the top-level key being read starts (after its quote).
    key_start: Option<usize>,
    /// The last top-level key was `stores`.
    stores_key: bool,
    /// The sections whose key came before `stores`.
    before_stores: Vec<Section>,
    /// The stores list's `[`.
    stores_open: Option<usize>,
    /// Something this does not follow: the body is parsed whole.
    failed: bool,
}

impl Head {
    fn scan(&mut self, body: &[u8]) {
        while self.at < body.len() && !self.failed && self.stores_open.is_none() {
            if self.in_string {
                self.string(body);
            } else if self.depth >= 2 {
                self.nested(body);
            } else {
                self.top(body);
            }
        }
    }

    /// Inside a value of the top level, where only strings and nesting
    /// matter: a loop of its own.
    fn nested(&mut self, body: &[u8]) {
        let (mut at, mut depth) = (self.at, self.depth);
        loop {
            while at < body.len() && !NESTING[usize::from(body[at])] {
                at += 1;
            }
            let Some(&byte) = body.get(at) else {
                break;
            };
            at += 1;
            match byte {
                b'"' => {
                    self.in_string = true;
                    break;
                }
                b'{' | b'[' => depth += 1,
                _ => {
                    depth -= 1;
                    if depth < 2 {
                        break;
                    }
                }
            }
        }
        (self.at, self.depth) = (at, depth);
    }

    /// One byte of the top level: the document's braces and its keys.
    fn top(&mut self, body: &[u8]) {
        let at = self.at;
        let byte = body[at];
        self.at += 1;
        match byte {
            _ if byte.is_ascii_whitespace() => {}
            b'"' => {
                self.in_string = true;
                if self.depth == 1 && self.want_key {
                    self.key_start = Some(self.at);
                    self.want_key = false;
                }
            }
            b'{' | b'[' => {
                match self.depth {
                    // The document is an object (the whole parse says why not).
                    0 if byte == b'[' => self.failed = true,
                    0 => self.want_key = true,
                    _ if byte == b'[' && self.stores_key => self.stores_open = Some(at),
                    _ => {}
                }
                self.depth += 1;
            }
            // The document ended before its stores: the whole parse reads it.
            b'}' | b']' if self.depth <= 1 => self.failed = true,
            b'}' | b']' => self.depth -= 1,
            b',' if self.depth == 1 => self.want_key = true,
            _ if self.depth == 0 => self.failed = true,
            _ => {}
        }
    }

    /// Follows a string to its end or to the end of what arrived.
    fn string(&mut self, body: &[u8]) {
        let mut at = self.at;
        if self.escaped {
            // The byte after a backslash that ended the last arrival.
            at += 1;
            self.escaped = false;
        }
        loop {
            while at < body.len() && !STRING_END[usize::from(body[at])] {
                at += 1;
            }
            match body.get(at) {
                None => break,
                Some(b'"') => {
                    self.in_string = false;
                    self.at = at + 1;
                    if let Some(start) = self.key_start.take() {
                        self.key(&body[start..at]);
                    }
                    return;
                }
                // A backslash: the escaped byte is never the string's end.
                Some(_) if at + 1 < body.len() => at += 2,
                Some(_) => {
                    self.escaped = true;
                    at += 1;
                }
            }
        }
        self.at = at;
    }

    /// A top-level key has been read.
    fn key(&mut self, key: &[u8]) {
        // An escaped key could spell anything: the whole parse reads it.
        if key.contains(&b'\\') {
            self.failed = true;
            return;
        }
        self.stores_key = key == b"stores";
        let section = match key {
            b"program" => Some(Section::Program),
            b"cities" => Some(Section::City),
            b"partners" => Some(Section::Partner),
            b"warnings" => Some(Section::Warning),
            _ => None,
        };
        self.before_stores.extend(section);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `body` fed in chunks of `chunk` bytes, pieces of `piece` bytes.
    fn ahead(body: &[u8], chunk: usize, piece: usize) -> Option<Document> {
        arrive(body, chunk, piece).finish(body)
    }

    /// `body` fed in chunks of `chunk` bytes, pieces of `piece` bytes, up
    /// to its end: what `finish` (or `parse_document_ahead`) takes.
    fn arrive(body: &[u8], chunk: usize, piece: usize) -> ParseAhead {
        let mut ahead = ParseAhead::with_piece(piece);
        for end in (chunk.max(1)..body.len())
            .step_by(chunk.max(1))
            .chain([body.len()])
        {
            ahead.catch_up(&body[..end]);
        }
        ahead
    }

    /// [`parse_document_ahead`] of `body` fed as [`arrive`] feeds it.
    fn parsed_ahead(body: &[u8], chunk: usize, piece: usize) -> String {
        let ahead = arrive(body, chunk, piece);
        format!(
            "{:?}",
            super::super::snapshot::parse_document_ahead(body, ahead)
        )
    }

    /// The order the feed contract lists the document's fields in.
    const USUAL: [&str; 7] = [
        "schema_version",
        "generated_at",
        "program",
        "cities",
        "partners",
        "stores",
        "warnings",
    ];

    fn whole(body: &[u8]) -> Document {
        super::super::snapshot::parse_document(body).expect("the test's document parses")
    }

    #[test]
    fn a_national_document_parses_ahead_as_it_parses_whole() {
        let body = super::super::synthetic::generate_json(3_000, 11);
        let expected = format!("{:?}", whole(body.as_bytes()));
        for (chunk, piece) in [
            (16 * 1024, 64 * 1024),
            (1_000, 1),
            (body.len(), 1),
            (7, 10_000),
        ] {
            let parsed = ahead(body.as_bytes(), chunk, piece)
                .unwrap_or_else(|| panic!("chunks of {chunk}, pieces of {piece}: parsed whole"));
            assert_eq!(
                format!("{parsed:?}"),
                expected,
                "chunks of {chunk}, pieces of {piece}"
            );
        }
    }

    /// The demo with a malformed optional field in every section (one per
    /// store), its top-level keys written in `order`.
    fn with_problems(order: &[&str]) -> String {
        let mut document: serde_json::Value =
            serde_json::from_str(super::super::demo::DEMO_FEED_JSON).unwrap();
        document["program"]["display_vehicle_deadline"] = "2024-02-30".into();
        document["cities"][0]["province"] = 7.into();
        document["partners"][1]["agreement"]["signed_on"] = "soon".into();
        for (n, store) in document["stores"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .enumerate()
        {
            store["renovation"]["planned_open"] = format!("2024-13-{n:02}").into();
        }
        document["warnings"][0]["city"] = serde_json::json!(["a list"]);
        let entries: Vec<String> = order
            .iter()
            .map(|key| format!("{key:?}: {}", document[*key]))
            .collect();
        format!("{{{}}}", entries.join(",\n"))
    }

    #[test]
    fn problems_keep_their_records_and_their_order_whatever_the_order_of_the_sections() {
        let orders: [&[&str]; 3] = [
            &USUAL,
            &[
                "stores",
                "warnings",
                "partners",
                "schema_version",
                "cities",
                "program",
                "generated_at",
            ],
            &[
                "warnings",
                "cities",
                "stores",
                "generated_at",
                "program",
                "schema_version",
                "partners",
            ],
        ];
        for order in orders {
            let body = with_problems(order);
            let expected = whole(body.as_bytes());
            assert!(
                expected.problems.len() > expected.stores.len(),
                "{:?}",
                expected.problems
            );
            for piece in [1, 300] {
                let parsed = ahead(body.as_bytes(), 100, piece).expect("parsed ahead");
                assert_eq!(
                    parsed.problems, expected.problems,
                    "{order:?}, pieces of {piece}"
                );
                assert_eq!(format!("{parsed:?}"), format!("{expected:?}"));
            }
        }
    }

    #[test]
    fn what_the_scan_does_not_follow_is_parsed_whole() {
        let demo = super::super::demo::DEMO_FEED_JSON;
        let (head, stores) = demo.split_at(demo.find("\"stores\"").unwrap());
        let bom = format!("\u{feff}{demo}");
        let escaped_key = format!("{head}\"st\\u006fres\"{}", &stores[8..]);
        let trailing_comma =
            demo.replacen("}\n  ],\n  \"warnings\"", "},\n  ],\n  \"warnings\"", 1);
        let empty_store = demo.replacen("\"stores\": [", "\"stores\": [,", 1);
        let twice = format!("{head}\"stores\": [], {stores}");
        let after_the_end = format!("{demo} {{}}");
        let cases = [
            ("a byte-order mark", bom),
            ("an escaped key", escaped_key),
            ("a trailing comma", trailing_comma),
            ("an empty store", empty_store),
            ("stores twice", twice),
            ("bytes after the document", after_the_end),
        ];
        for (what, body) in &cases {
            assert!(
                ahead(body.as_bytes(), 64, 1).is_none(),
                "{what}: parsed ahead"
            );
        }
        // The cases are real: each one's whole parse differs from the demo's.
        for (what, body) in &cases[2..6] {
            assert!(
                super::super::snapshot::parse_document(body.as_bytes()).is_err(),
                "{what}: the whole parse takes it"
            );
        }
    }

    #[test]
    fn a_store_that_does_not_parse_stops_the_parse_ahead() {
        let body = super::super::synthetic::generate_json(500, 3);
        let bad = body.replacen("\"percent\":", "\"percent\":\"a lot\",\"_\":", 1);
        assert_ne!(bad, body);
        assert!(super::super::snapshot::parse_document(bad.as_bytes()).is_err());
        assert!(ahead(bad.as_bytes(), 4096, 1024).is_none());
        // Not UTF-8 inside a store.
        let mut bytes = body.clone().into_bytes();
        let at = body.rfind("\"name\":\"").unwrap() + 9;
        bytes[at] = 0xff;
        assert!(ahead(&bytes, 4096, 1024).is_none());
    }

    #[test]
    fn a_small_document_is_left_to_the_whole_parse() {
        let demo = super::super::demo::DEMO_FEED_JSON.as_bytes();
        assert!(
            ahead(demo, 1024, PIECE).is_none(),
            "no thread for a few stores"
        );
        assert!(ahead(demo, 64, 1).is_some());
    }

    #[test]
    fn the_thread_takes_the_oldest_pieces_and_the_end_the_newest() {
        let queue = Queue::default();
        for n in 0..5 {
            queue.push(n, vec![u8::try_from(n).unwrap()]);
        }
        assert_eq!(queue.take_oldest(), Some((0, vec![0])));
        assert_eq!(queue.take_newest(), Some((4, vec![4])));
        queue.close();
        assert_eq!(queue.take_oldest(), Some((1, vec![1])));
        assert_eq!(queue.take_newest(), Some((3, vec![3])));
        assert_eq!(queue.take_newest(), Some((2, vec![2])));
        assert_eq!(
            queue.take_oldest(),
            None,
            "closed and empty: the thread stops"
        );
        assert_eq!(queue.take_newest(), None);
        // What waits is counted, so that a parse far behind stops the copies.
        let queue = Queue::default();
        queue.push(0, vec![b' '; WAITING - 1]);
        assert!(!queue.is_full());
        queue.push(1, vec![b' '; 1]);
        assert!(queue.is_full());
        queue.take_newest();
        assert!(!queue.is_full());
        queue.take_oldest();
        assert_eq!(queue.waiting().bytes, 0);
    }

    #[test]
    fn pieces_still_waiting_at_the_end_are_parsed_in_order_whoever_takes_them() {
        // Everything arrives at once in small pieces: most wait for `finish`.
        let body = super::super::synthetic::generate_json(2_000, 5).into_bytes();
        let expected = format!("{:?}", whole(&body));
        for _ in 0..5 {
            let mut ahead = ParseAhead::with_piece(2_000);
            for end in (1..=body.len()).step_by(4096).chain([body.len()]) {
                ahead.catch_up(&body[..end]);
            }
            assert!(ahead.starts.len() > 100, "{} pieces", ahead.starts.len());
            let parsed = ahead.finish(&body).expect("parsed ahead");
            assert_eq!(format!("{parsed:?}"), expected);
        }
    }

    #[test]
    fn strings_that_look_like_structure_or_end_in_escapes_are_followed_at_any_cut() {
        let mut document: serde_json::Value =
            serde_json::from_str(super::super::demo::DEMO_FEED_JSON).unwrap();
        let tricky = [
            r#"a"},{"b"#,
            r"back\",
            r#"\""#,
            "],[",
            "{\"stores\": [",
            "\\\\\"",
            "宁波",
        ];
        for (n, store) in document["stores"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .enumerate()
        {
            store["name"] = tricky[n % tricky.len()].into();
            store["district"] = format!("{}{n}", tricky[(n + 1) % tricky.len()]).into();
        }
        document["partners"][0]["name"] = r#"x", "stores": ["#.into();
        let body = serde_json::to_string(&document).unwrap();
        assert!(body.contains(r#"\\\""#), "escapes in the body");
        let expected = format!("{:?}", whole(body.as_bytes()));
        for chunk in [1, 2, 3, 5, 64] {
            let parsed = ahead(body.as_bytes(), chunk, 1)
                .unwrap_or_else(|| panic!("chunks of {chunk}: parsed whole"));
            assert_eq!(format!("{parsed:?}"), expected, "chunks of {chunk}");
        }
    }

    #[test]
    fn a_store_nested_deep_parses_ahead_as_in_the_whole_body() {
        // A piece puts its stores as deep as the document does (`[[...]]`),
        // so serde_json's nesting limit (128) would fall at the same store.
        // Today it never falls inside a store: values a store does not read
        // are skipped without the limit, and its own fields nest 3 deep.
        let body = super::super::synthetic::generate_json(300, 9);
        let mut refused = 0;
        for levels in [1, 125, 126, 127, 128, 129, 500] {
            let nest = |inner: &str| format!("{}{inner}{}", "[".repeat(levels), "]".repeat(levels));
            // A field no store has, a lenient one, and a required one.
            for (from, to) in [
                (
                    "\"location\":",
                    format!("\"deep\":{},\"location\":", nest("1")),
                ),
                (
                    "\"district\":",
                    format!("\"location\":{},\"_\":", nest("{}")),
                ),
                ("\"percent\":", format!("\"percent\":{},\"_\":", nest("51"))),
            ] {
                let deep = body.replacen(from, &to, 40);
                let whole = super::super::snapshot::parse_document(deep.as_bytes());
                refused += usize::from(whole.is_err());
                assert_eq!(
                    parsed_ahead(deep.as_bytes(), 997, 1),
                    format!("{whole:?}"),
                    "{to}"
                );
            }
        }
        assert!(refused > 0, "some of them the whole parse refuses");
    }

    #[test]
    fn a_cut_in_the_wrong_place_is_caught_and_the_rest_read_from_the_last_good_one() {
        // Names holding `},{`: a cut there leaves a string open, its piece
        // does not parse, and the stores from its start are read at the end.
        let mut document: serde_json::Value =
            serde_json::from_str(super::super::demo::DEMO_FEED_JSON).unwrap();
        for (n, store) in document["stores"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .enumerate()
        {
            if n % 10 == 7 {
                store["name"] = format!("a}},{{b {n}").into();
            }
        }
        let body = serde_json::to_string(&document).unwrap();
        let expected = format!("{:?}", whole(body.as_bytes()));
        for piece in [1, 2_000] {
            let parsed = ahead(body.as_bytes(), 512, piece).expect("parsed ahead");
            assert_eq!(format!("{parsed:?}"), expected, "pieces of {piece}");
        }
    }

    #[test]
    fn what_follows_the_stores_is_read_alone_only_when_the_whole_parse_would_agree() {
        let warning = r#"{"id":"w1","severity":"info","message":"m","city":[1]}"#;
        let (warnings, problems) =
            parse_tail(format!(",\"warnings\": [{warning}]}}").as_bytes(), &[])
                .expect("warnings alone");
        assert_eq!(warnings.unwrap().len(), 1);
        assert_eq!(problems.len(), 1, "the warning's malformed city");
        assert_eq!(
            parse_tail(b" } ", &[]).map(|(w, p)| (w.is_none(), p.len())),
            Some((true, 0))
        );
        assert!(
            parse_tail(b",\"x\": {\"cities\": 1}}", &[]).is_some(),
            "an unknown field"
        );
        // Given twice in the document, or not where the whole parse reads it.
        assert!(parse_tail(b",\"warnings\": []}", &[Section::Warning]).is_none());
        assert!(parse_tail(b",\"warnings\": [], \"warnings\": []}", &[]).is_none());
        for field in [
            "schema_version",
            "generated_at",
            "program",
            "cities",
            "partners",
            "stores",
        ] {
            let tail = format!(",\"{field}\": 1}}");
            assert!(parse_tail(tail.as_bytes(), &[]).is_none(), "{field}");
        }
        assert!(parse_tail(b"}}", &[]).is_none());
        assert!(parse_tail(b"] }", &[]).is_none());
    }

    #[test]
    fn any_layout_of_the_document_parses_ahead_as_it_parses_whole() {
        let full = with_problems(&USUAL);
        let value: serde_json::Value = serde_json::from_str(&full).unwrap();
        let entry = |key: &str| format!("{key:?}: {}", value[key]);
        let layouts: Vec<Vec<String>> = vec![
            // The usual order, stores last, and with an unknown field after.
            USUAL.map(entry).to_vec(),
            [
                "schema_version",
                "generated_at",
                "program",
                "cities",
                "partners",
                "warnings",
                "stores",
            ]
            .map(entry)
            .to_vec(),
            vec![
                entry("schema_version"),
                entry("generated_at"),
                entry("program"),
                entry("cities"),
                entry("partners"),
                entry("stores"),
                "\"extra\": {\"cities\": []}".into(),
            ],
            // Warnings on both sides of the stores; a field again after them.
            vec![
                entry("schema_version"),
                entry("generated_at"),
                entry("program"),
                entry("warnings"),
                entry("cities"),
                entry("partners"),
                entry("stores"),
                entry("warnings"),
            ],
            vec![
                entry("schema_version"),
                entry("generated_at"),
                entry("program"),
                entry("cities"),
                entry("partners"),
                entry("stores"),
                entry("cities"),
            ],
            // A required field only after the stores.
            vec![
                entry("generated_at"),
                entry("program"),
                entry("cities"),
                entry("partners"),
                entry("stores"),
                entry("warnings"),
                entry("schema_version"),
            ],
        ];
        let mut refused = 0;
        for layout in layouts {
            let body = format!("{{{}}}", layout.join(",\n"));
            let whole = super::super::snapshot::parse_document(body.as_bytes());
            refused += usize::from(whole.is_err());
            for piece in [1, 700] {
                let parsed = parsed_ahead(body.as_bytes(), 331, piece);
                assert_eq!(parsed, format!("{whole:?}"), "{layout:?}");
            }
        }
        assert_eq!(refused, 2, "a field given twice is refused");
    }
}
