//! The stores of a document parsed while the rest of its body still arrives.
//!
//! A national document is mostly its `stores` list, and on a fast link its
//! download (mostly inflating gzip) takes about as long as its parse. So on
//! the first poll, when no earlier body can make the parse unnecessary,
//! [`ParseAhead`] follows the body's structure as it comes in and hands
//! complete stores to a thread that parses them meanwhile. At the end only
//! the document around them is left to parse, which is small.
//!
//! It is only a shortcut: a structure the scan does not follow (a byte-order
//! mark, an escaped key, deep nesting, an empty list element) or a piece that
//! does not parse, and [`ParseAhead::finish`] gives up, so that the body is
//! parsed whole as always and every error is the whole parse's own.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use super::lenient::{self, FieldProblem, Section};
use super::text;
use super::wire::{Document, Store};

/// Stores are handed over in pieces of at least this many bytes: small
/// enough that the parse keeps up with the download, big enough that the
/// hand-over costs nothing.
const PIECE: usize = 256 * 1024;

/// Pieces handed over and not parsed yet, at most: when the parse falls
/// behind, the next piece waits and grows, and the download never blocks.
const IN_FLIGHT: usize = 2;

/// Deeper than this and the whole parse decides: serde_json refuses 128
/// levels, and a piece sits two levels shallower than in the document.
const MAX_DEPTH: u32 = 100;

/// Follows a body as it arrives and parses its complete stores meanwhile.
pub struct ParseAhead {
    scan: Scan,
    piece: usize,
    /// Where the stores not handed over yet begin (after `[` or a `,`).
    handed: usize,
    /// The parsing thread, started with the first piece.
    parser: Option<Parser>,
}

/// The thread that parses the pieces, where they go to it, and how many
/// it has not parsed yet.
struct Parser {
    pieces: Sender<Vec<u8>>,
    thread: JoinHandle<Option<Parsed>>,
    in_flight: Arc<AtomicUsize>,
}

/// What the thread made of the pieces.
struct Parsed {
    stores: Vec<Store>,
    problems: Vec<FieldProblem>,
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
            scan: Scan::default(),
            piece,
            handed: 0,
            parser: None,
        }
    }

    /// Follows the bytes of `body` added since the last call and hands over
    /// the stores completed since.
    pub fn catch_up(&mut self, body: &[u8]) {
        if self.scan.failed {
            return;
        }
        self.scan.scan(body);
        let Some(open) = self.scan.stores_open else {
            return;
        };
        if self.handed == 0 {
            self.handed = open + 1;
        }
        // A piece ends before a comma between two stores.
        let busy = |parser: &Parser| parser.in_flight.load(Ordering::Acquire) >= IN_FLIGHT;
        if let Some(comma) = self.scan.last_comma
            && comma >= self.handed + self.piece
            && !self.parser.as_ref().is_some_and(busy)
        {
            let piece = bracketed(&body[self.handed..comma]);
            self.handed = comma + 1;
            self.send(piece);
        }
    }

    /// The document, its stores parsed ahead; `None` when the body must be
    /// parsed whole (see the module's comment). Blocks until the thread is
    /// done: call it off the async workers.
    pub fn finish(mut self, body: &[u8]) -> Option<Document> {
        self.catch_up(body);
        let (Some(open), Some(close)) = (self.scan.stores_open, self.scan.stores_close) else {
            return None;
        };
        if self.scan.failed || !self.scan.ended || self.parser.is_none() {
            return None;
        }
        let last = bracketed(&body[self.handed..close]);
        self.send(last);
        if self.scan.failed {
            return None;
        }
        let Parser { pieces, thread, .. } = self.parser.take()?;
        drop(pieces);
        // The document around the stores, parsed while the thread finishes.
        let mut around = Vec::with_capacity(body.len() - (close - open) + 1);
        around.extend_from_slice(&body[..=open]);
        around.extend_from_slice(&body[close..]);
        let (document, problems) = lenient::collecting(|| {
            text::sharing_text(|| super::snapshot::parse_untracked(&around))
        });
        let parsed = thread.join().ok()??;
        let mut document = document?;
        document.stores = parsed.stores;
        // Problems in document order: the sections written before `stores`
        // first, then the stores', then the rest.
        let (before, after): (Vec<_>, Vec<_>) = problems
            .into_iter()
            .partition(|p| self.scan.before_stores.contains(&p.section));
        document.problems = before;
        document.problems.extend(parsed.problems);
        document.problems.extend(after);
        Some(document)
    }

    fn send(&mut self, piece: Vec<u8>) {
        let parser = self.parser.get_or_insert_with(|| {
            let (pieces, receive) = channel();
            let in_flight = Arc::new(AtomicUsize::new(0));
            let parsed = Arc::clone(&in_flight);
            Parser {
                pieces,
                thread: std::thread::spawn(move || parse_pieces(&receive, &parsed)),
                in_flight,
            }
        });
        parser.in_flight.fetch_add(1, Ordering::AcqRel);
        if parser.pieces.send(piece).is_err() {
            // The thread met a piece that does not parse.
            self.scan.failed = true;
        }
    }
}

/// `[` + the stores + `]`: a piece is a list of its own.
fn bracketed(stores: &[u8]) -> Vec<u8> {
    let mut piece = Vec::with_capacity(stores.len() + 2);
    piece.push(b'[');
    piece.extend_from_slice(stores);
    piece.push(b']');
    piece
}

/// The thread: parses each piece as it comes, as the whole parse reads the
/// stores (lenient fields noted, text shared), numbering problems from the
/// stores before the piece.
fn parse_pieces(pieces: &Receiver<Vec<u8>>, in_flight: &AtomicUsize) -> Option<Parsed> {
    text::sharing_text(|| {
        let mut parsed = Parsed {
            stores: Vec::new(),
            problems: Vec::new(),
        };
        for piece in pieces {
            let (stores, problems) = lenient::collecting(|| {
                let piece = std::str::from_utf8(&piece).ok()?;
                let mut deserializer = serde_json::Deserializer::from_str(piece);
                let stores: Vec<Store> =
                    lenient::records::<_, lenient::Stores, _>(&mut deserializer).ok()?;
                deserializer.end().ok()?;
                Some(stores)
            });
            in_flight.fetch_sub(1, Ordering::AcqRel);
            let stores = stores?;
            let before = parsed.stores.len();
            parsed.problems.extend(problems.into_iter().map(|mut p| {
                p.index += before;
                p
            }));
            parsed.stores.extend(stores);
        }
        Some(parsed)
    })
}

/// Where the scan is in the body's structure. It follows strings (and their
/// escapes) and nesting, the top-level keys, and the stores list's commas;
/// it checks nothing else: the parse does.
#[derive(Default)]
struct Scan {
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
    /// The stores list's `[` and `]`.
    stores_open: Option<usize>,
    stores_close: Option<usize>,
    /// The last comma between two stores.
    last_comma: Option<usize>,
    /// The current store has begun (something other than white space).
    in_store: bool,
    /// The stores seen (commas + 1 once one began).
    commas: usize,
    /// The document's closing brace has been read.
    ended: bool,
    /// Something the scan does not follow: the body is parsed whole.
    failed: bool,
}

impl Scan {
    fn scan(&mut self, body: &[u8]) {
        while self.at < body.len() && !self.failed {
            if self.in_string {
                self.string(body);
            } else if self.depth >= 3 {
                self.nested(body);
            } else {
                self.structure(body);
            }
        }
    }

    /// Inside a record, where only strings and nesting matter: most of the
    /// body, so a loop of its own.
    fn nested(&mut self, body: &[u8]) {
        let (mut at, mut depth) = (self.at, self.depth);
        while at < body.len() {
            let byte = body[at];
            at += 1;
            match byte {
                b'"' => {
                    self.in_string = true;
                    break;
                }
                b'{' | b'[' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        self.failed = true;
                        break;
                    }
                }
                b'}' | b']' => {
                    depth -= 1;
                    if depth < 3 {
                        break;
                    }
                }
                _ => {}
            }
        }
        (self.at, self.depth) = (at, depth);
    }

    /// One byte of the top two levels: the document's keys, the lists of
    /// records, and the commas between stores.
    fn structure(&mut self, body: &[u8]) {
        let at = self.at;
        let byte = body[at];
        self.at += 1;
        if byte.is_ascii_whitespace() {
            return;
        }
        if self.ended {
            // Trailing bytes after the document: the whole parse says what.
            self.failed = true;
            return;
        }
        let in_stores = self.stores_open.is_some() && self.stores_close.is_none();
        if in_stores && self.depth == 2 {
            match byte {
                b',' => {
                    if !self.in_store {
                        self.failed = true; // `[,` or `,,`
                    }
                    self.last_comma = Some(at);
                    self.commas += 1;
                    self.in_store = false;
                    return;
                }
                b']' => {
                    if !self.in_store && self.commas > 0 {
                        self.failed = true; // a trailing comma
                    }
                    self.depth = 1;
                    self.stores_close = Some(at);
                    return;
                }
                _ => self.in_store = true,
            }
        }
        match byte {
            b'"' => {
                self.in_string = true;
                if self.depth == 1 && self.want_key {
                    self.key_start = Some(self.at);
                    self.want_key = false;
                }
            }
            b'{' | b'[' => {
                // The document is an object (the whole parse says why not).
                if self.depth == 0 && byte == b'[' {
                    self.failed = true;
                    return;
                }
                if self.depth == 1 && byte == b'[' && self.stores_key {
                    if self.stores_open.is_some() {
                        self.failed = true; // `stores` twice
                        return;
                    }
                    self.stores_open = Some(at);
                }
                self.depth += 1;
                if self.depth == 1 {
                    self.want_key = true;
                }
            }
            b'}' | b']' => {
                if self.depth == 0 {
                    self.failed = true;
                    return;
                }
                self.depth -= 1;
                if self.depth == 0 {
                    self.ended = true;
                }
            }
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
        while at < body.len() {
            match body[at] {
                b'"' => {
                    self.in_string = false;
                    self.at = at + 1;
                    if let Some(start) = self.key_start.take() {
                        self.key(&body[start..at]);
                    }
                    return;
                }
                // The escaped byte is never the string's end.
                b'\\' if at + 1 < body.len() => at += 2,
                b'\\' => {
                    self.escaped = true;
                    at += 1;
                }
                _ => at += 1,
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
        if self.stores_open.is_none() {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `body` fed in chunks of `chunk` bytes, pieces of `piece` bytes.
    fn ahead(body: &[u8], chunk: usize, piece: usize) -> Option<Document> {
        let mut ahead = ParseAhead::with_piece(piece);
        let mut arrived = Vec::new();
        for part in body.chunks(chunk.max(1)) {
            arrived.extend_from_slice(part);
            ahead.catch_up(&arrived);
        }
        ahead.finish(&arrived)
    }

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
            &[
                "schema_version",
                "generated_at",
                "program",
                "cities",
                "partners",
                "stores",
                "warnings",
            ],
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
        let deep = demo.replacen(
            "\"stores\": [\n    {",
            &format!(
                "\"stores\": [{{\"deep\": {}1{},",
                "[".repeat(99),
                "]".repeat(99)
            ),
            1,
        );
        assert_ne!(deep, demo);
        let cases = [
            ("a byte-order mark", bom),
            ("an escaped key", escaped_key),
            ("a trailing comma", trailing_comma),
            ("an empty store", empty_store),
            ("stores twice", twice),
            ("bytes after the document", after_the_end),
            ("nesting deeper than the scan follows", deep),
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
    fn a_parse_that_falls_behind_makes_the_next_piece_wait_not_the_download() {
        let body = super::super::synthetic::generate_json(2_000, 5).into_bytes();
        let mut ahead = ParseAhead::with_piece(4096);
        let mut arrived = Vec::new();
        let mut chunks = body.chunks(1024);
        while ahead.parser.is_none() {
            arrived.extend_from_slice(chunks.next().unwrap());
            ahead.catch_up(&arrived);
        }
        // Once it has parsed its one piece, the thread is made as far behind
        // as it may be: nothing more is handed over, however much arrives,
        // and nothing waits for it.
        let parser = ahead.parser.as_ref().unwrap();
        while parser.in_flight.load(Ordering::Acquire) > 0 {
            std::thread::yield_now();
        }
        parser.in_flight.store(IN_FLIGHT + 100, Ordering::Release);
        let handed = ahead.handed;
        for _ in 0..100 {
            arrived.extend_from_slice(chunks.next().unwrap());
            ahead.catch_up(&arrived);
        }
        assert_eq!(ahead.handed, handed, "a piece was handed to a busy thread");
        assert!(ahead.scan.last_comma.unwrap() > handed + 50_000);
        // Caught up, the waiting stores go over in one piece.
        ahead
            .parser
            .as_ref()
            .unwrap()
            .in_flight
            .store(0, Ordering::Release);
        arrived.extend_from_slice(chunks.next().unwrap());
        ahead.catch_up(&arrived);
        assert!(ahead.handed > handed + 50_000);
        for chunk in chunks {
            arrived.extend_from_slice(chunk);
            ahead.catch_up(&arrived);
        }
        let parsed = ahead.finish(&arrived).expect("parsed ahead");
        assert_eq!(format!("{parsed:?}"), format!("{:?}", whole(&body)));
    }
}
