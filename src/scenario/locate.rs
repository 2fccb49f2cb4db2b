//! A lenient walk over RON source that remembers where every value sits.
//!
//! `ron` tells us where a syntax error is, but the typed values it returns carry no
//! positions. Checks that run after parsing (a dangling `next`, a duplicate id) still
//! have to point at the right line, so this walk maps each value's path
//! (`beats[1].choices[0].next`) to its byte span, and records every struct's field
//! names so unknown fields can all be reported at once.
//!
//! Values are kept as a tree (each under its parent, by field name or list index), not by
//! their full path: full paths grow with depth and with the names in them, and a file of a
//! few hundred thousand values under a long name made gigabytes of them.

use std::hash::BuildHasher;
use std::ops::Range;

use foldhash::{HashMap, HashMapExt};
use hashbrown::HashTable;

use super::tokens::{self, block_comment_end, raw_string_end};

/// A field name as written, and where.
pub type FieldName = (String, Range<usize>);

/// Structs whose path is longer than this have their fields left unrecorded: no field of the
/// format sits that deep, so unknown-field checks have nothing to compare them with.
const MAX_STRUCT_PATH: usize = 256;

/// Where values sit in one source file.
#[derive(Debug)]
pub struct SourceMap {
    /// Every value; the first is the file's top value. Spans are set once a value is read.
    nodes: Vec<Node>,
    /// A value's children, by (parent, key): each entry is only the child's index in `nodes`,
    /// whose node holds its parent and key. A map from (parent, key) to the index held them a
    /// second time, 35 MB for a file of a million values.
    children: HashTable<u32>,
    hasher: foldhash::fast::RandomState,
    /// Field names, each stored once, and their numbers.
    names: Vec<String>,
    name_numbers: HashMap<String, u32>,
    /// For each struct value: its path and the (name, span) of each field it writes.
    pub structs: Vec<(String, Vec<FieldName>)>,
    /// The first identifier of the file (`Scenario` or `Campaign`), if any.
    pub top_name: Option<String>,
    /// Set when nesting went deeper than allowed; the span of the offending bracket.
    pub too_deep: Option<Range<usize>>,
}

/// 24 bytes: a file of a million one-character values (`-,-,-,...`) is a million nodes.
#[derive(Debug)]
struct Node {
    parent: u32,
    key: Key,
    span: Option<Span32>,
}

/// A byte range in 32 bits: source maps are only made of files under the 1 MiB limit (a longer
/// text saturates, which only makes its spans wrong past 4 GiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span32 {
    start: u32,
    end: u32,
}

impl Span32 {
    fn of(range: Range<usize>) -> Span32 {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span32 { start: narrow(range.start), end: narrow(range.end) }
    }

    fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Top,
    /// A field, by its index in `names`.
    Field(u32),
    Index(u32),
}

impl Default for SourceMap {
    fn default() -> Self {
        SourceMap {
            nodes: vec![Node { parent: 0, key: Key::Top, span: None }],
            children: HashTable::new(),
            hasher: foldhash::fast::RandomState::default(),
            names: Vec::new(),
            name_numbers: HashMap::new(),
            structs: Vec::new(),
            top_name: None,
            too_deep: None,
        }
    }
}

impl SourceMap {
    /// The span of the value at `path`, or of the closest enclosing value that was found.
    pub fn span(&self, path: &str) -> Range<usize> {
        let (mut at, _) = self.walk(path);
        loop {
            if let Some(span) = self.nodes[at].span {
                return span.range();
            }
            if at == 0 {
                return 0..0;
            }
            at = self.nodes[at].parent as usize;
        }
    }

    /// The span of the value at `path`, only if it was written in the file.
    pub fn exact(&self, path: &str) -> Option<Range<usize>> {
        match self.walk(path) {
            (found, true) => self.nodes[found].span.map(Span32::range),
            _ => None,
        }
    }

    /// Every value read, as (path, span): what the tests compare, all at once.
    #[cfg(test)]
    fn values(&self) -> Vec<(String, Range<usize>)> {
        let mut values = Vec::new();
        self.visit_values(|path, span| values.push((path.to_string(), span)));
        values
    }

    /// Calls `visit` with every value read, as (path, span), parents before children:
    /// `beats[1].choices[0].next`. Values whose path is longer than [`MAX_STRUCT_PATH`] are left
    /// out (as for `structs`). Paths are made as it goes, never all kept at once (a file of a
    /// million values made 55 MB of them).
    pub fn visit_values(&self, mut visit: impl FnMut(&str, Range<usize>)) {
        // The paths from the top down to the last value seen. A child is made after its parent
        // and, but for a repeated field read again later, right after its parent's earlier
        // descendants, so its parent is on this stack; if not, its path is built afresh.
        let mut line: Vec<(u32, Option<String>)> = Vec::new();
        for (i, node) in self.nodes.iter().enumerate() {
            let path = if i == 0 {
                Some(String::new())
            } else {
                while line.last().is_some_and(|(n, _)| *n != node.parent) {
                    line.pop();
                }
                if line.is_empty() {
                    line.push((node.parent, self.path_of(node.parent)));
                }
                line.last().and_then(|(_, parent)| parent.as_deref()).and_then(|parent| {
                    let path = match node.key {
                        Key::Field(n) if parent.is_empty() => self.names[n as usize].clone(),
                        Key::Field(n) => format!("{parent}.{}", self.names[n as usize]),
                        Key::Index(index) => format!("{parent}[{index}]"),
                        Key::Top => parent.to_string(),
                    };
                    (path.len() <= MAX_STRUCT_PATH).then_some(path)
                })
            };
            if let (Some(path), Some(span)) = (&path, node.span) {
                visit(path, span.range());
            }
            line.push((i as u32, path));
        }
    }

    /// The deepest value along `path`, and whether it is the whole path.
    fn walk(&self, path: &str) -> (usize, bool) {
        let mut at = 0usize;
        for key in keys(path) {
            let key = match key {
                PathKey::Field(name) => match self.name_numbers.get(name) {
                    Some(&n) => Key::Field(n),
                    None => return (at, false),
                },
                PathKey::Index(i) => Key::Index(i),
                PathKey::Malformed => return (at, false),
            };
            match self.find_child(at as u32, key) {
                Some(child) => at = child as usize,
                None => return (at, false),
            }
        }
        (at, true)
    }

    /// The value under `parent` at `key`, made if it is new (a repeated field keeps the first).
    fn child(&mut self, parent: u32, key: Key) -> u32 {
        if let Some(child) = self.find_child(parent, key) {
            return child;
        }
        self.nodes.push(Node { parent, key, span: None });
        let child = (self.nodes.len() - 1) as u32;
        let (nodes, hasher) = (&self.nodes, &self.hasher);
        let rehash = |&c: &u32| hasher.hash_one((nodes[c as usize].parent, nodes[c as usize].key));
        self.children.insert_unique(hasher.hash_one((parent, key)), child, rehash);
        child
    }

    fn find_child(&self, parent: u32, key: Key) -> Option<u32> {
        let same = |&c: &u32| self.nodes[c as usize].parent == parent && self.nodes[c as usize].key == key;
        self.children.find(self.hasher.hash_one((parent, key)), same).copied()
    }

    fn name_key(&mut self, name: &str) -> Key {
        if let Some(&n) = self.name_numbers.get(name) {
            return Key::Field(n);
        }
        self.names.push(name.to_string());
        let n = (self.names.len() - 1) as u32;
        self.name_numbers.insert(name.to_string(), n);
        Key::Field(n)
    }

    /// Records the value of field `name` under `parent` (for maps built from a parsed tree).
    pub(crate) fn field_child(&mut self, parent: u32, name: &str, span: Range<usize>) -> u32 {
        let key = self.name_key(name);
        let child = self.child(parent, key);
        self.nodes[child as usize].span = Some(Span32::of(span));
        child
    }

    /// Records element `index` of the list `parent`.
    pub(crate) fn index_child(&mut self, parent: u32, index: u32, span: Range<usize>) -> u32 {
        let child = self.child(parent, Key::Index(index));
        self.nodes[child as usize].span = Some(Span32::of(span));
        child
    }

    pub(crate) fn set_span(&mut self, node: u32, span: Range<usize>) {
        if let Some(n) = self.nodes.get_mut(node as usize) {
            n.span = Some(Span32::of(span));
        }
    }

    /// `beats[1].choices[0]` for a value, or None past [`MAX_STRUCT_PATH`] bytes.
    fn path_of(&self, mut node: u32) -> Option<String> {
        let mut parts = Vec::new();
        let mut length = 0;
        while node != 0 {
            let Node { parent, key, .. } = &self.nodes[node as usize];
            let part = match key {
                Key::Field(n) => format!(".{}", self.names[*n as usize]),
                Key::Index(i) => format!("[{i}]"),
                Key::Top => String::new(),
            };
            length += part.len();
            if length > MAX_STRUCT_PATH + 1 {
                return None;
            }
            parts.push(part);
            node = *parent;
        }
        let path: String = parts.iter().rev().map(String::as_str).collect();
        Some(path.strip_prefix('.').unwrap_or(&path).to_string())
    }
}

enum PathKey<'a> {
    Field(&'a str),
    Index(u32),
    Malformed,
}

/// `beats[3].next` as `beats`, 3, `next`.
fn keys(path: &str) -> impl Iterator<Item = PathKey<'_>> {
    let mut rest = path;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if let Some(inside) = rest.strip_prefix('[') {
            let (index, after) = inside.split_once(']').unwrap_or((inside, ""));
            rest = after;
            return Some(index.parse().map_or(PathKey::Malformed, PathKey::Index));
        }
        let name_and_rest = rest.strip_prefix('.').unwrap_or(rest);
        let end = name_and_rest.find(['.', '[']).unwrap_or(name_and_rest.len());
        rest = &name_and_rest[end..];
        Some(PathKey::Field(&name_and_rest[..end]))
    })
}

/// A token's kind; an identifier's name is read from the source at its span, so a token is
/// 16 bytes with its span and a file of short tokens does not copy each one.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Ident,
    Literal,
    Open(char),
    Close(char),
    Colon,
    Comma,
}

/// Builds the source map; never fails (unreadable parts are simply not mapped).
pub fn locate(source: &str, max_depth: usize) -> SourceMap {
    let tokens = tokenize(source);
    let mut walker = Walker { source, tokens: &tokens, at: 0, map: SourceMap::default(), max_depth };
    walker.map.top_name =
        tokens.iter().find(|(t, _)| *t == Token::Ident).map(|(_, s)| ident_name(source, *s).to_string());
    walker.value(0, 0);
    walker.map
}

struct Walker<'a> {
    source: &'a str,
    tokens: &'a [(Token, Span32)],
    at: usize,
    map: SourceMap,
    max_depth: usize,
}

impl<'a> Walker<'a> {
    /// Borrowed from the token list, not the walker: held while it moves on, never cloned.
    fn peek(&self, ahead: usize) -> Option<&'a Token> {
        self.tokens.get(self.at + ahead).map(|(t, _)| t)
    }

    /// The name of the identifier at token `index` (borrowed from the source).
    fn name_at(&self, index: usize) -> &'a str {
        self.tokens.get(index).map_or("", |(_, s)| ident_name(self.source, *s))
    }

    fn span_at(&self, index: usize) -> Range<usize> {
        self.tokens.get(index).map(|(_, s)| s.range()).unwrap_or_else(|| {
            let end = self.tokens.last().map_or(0, |(_, s)| s.end as usize);
            end..end
        })
    }

    /// Reads one value into `node`; returns false at end of input or on a stray token.
    fn value(&mut self, node: u32, depth: usize) -> bool {
        let start = self.span_at(self.at).start;
        match self.peek(0) {
            None => return false,
            Some(Token::Ident) => {
                let name = self.name_at(self.at);
                self.at += 1;
                if self.peek(0) == Some(&Token::Open('(')) {
                    // `Some(x)` is transparent: the inner value is this value.
                    let transparent = name == "Some";
                    self.container('(', node, depth, transparent);
                }
            }
            Some(Token::Literal) => self.at += 1,
            Some(Token::Open(open)) => self.container(*open, node, depth, false),
            Some(Token::Close(_)) | Some(Token::Colon) | Some(Token::Comma) => return false,
        }
        let end = self.span_at(self.at.saturating_sub(1)).end.max(start);
        let span = &mut self.map.nodes[node as usize].span;
        if span.is_none() {
            *span = Some(Span32::of(start..end));
        }
        true
    }

    /// Reads a bracketed group whose opening token is at the cursor.
    fn container(&mut self, open: char, node: u32, depth: usize, transparent: bool) {
        if depth >= self.max_depth {
            if self.map.too_deep.is_none() {
                self.map.too_deep = Some(self.span_at(self.at));
            }
            self.skip_group();
            return;
        }
        self.at += 1;
        let close = match open {
            '(' => ')',
            '[' => ']',
            _ => '}',
        };
        let mut fields = Vec::new();
        let mut index = 0;
        loop {
            match self.peek(0) {
                None => break,
                Some(Token::Close(c)) => {
                    self.at += 1;
                    if *c == close {
                        break;
                    }
                }
                Some(Token::Comma) | Some(Token::Colon) => self.at += 1,
                Some(Token::Ident) if open != '[' && self.peek(1) == Some(&Token::Colon) => {
                    let name = self.name_at(self.at);
                    let name_span = self.span_at(self.at);
                    self.at += 2;
                    let key = self.map.name_key(name);
                    fields.push((name.to_string(), name_span));
                    let child = self.map.child(node, key);
                    if !self.value(child, depth + 1) {
                        continue;
                    }
                }
                Some(_) => {
                    let child = if transparent { node } else { self.map.child(node, Key::Index(index)) };
                    index += 1;
                    if !self.value(child, depth + 1) {
                        self.at += 1;
                    }
                }
            }
        }
        if !fields.is_empty()
            && let Some(path) = self.map.path_of(node)
        {
            self.map.structs.push((path, fields));
        }
    }

    /// Skips a bracketed group without recursion (used past the depth limit).
    fn skip_group(&mut self) {
        let mut level = 0usize;
        while let Some(token) = self.peek(0) {
            self.at += 1;
            match token {
                Token::Open(_) => level += 1,
                Token::Close(_) => {
                    level = level.saturating_sub(1);
                    if level == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }
}

/// An identifier's name: its text without the `r#` of a raw identifier.
fn ident_name(source: &str, span: Span32) -> &str {
    // A span saturated past 4 GiB may not fall on a character boundary: the lexer's function
    // gives "" then.
    tokens::ident_name(source, span.range())
}

fn tokenize(source: &str) -> Vec<(Token, Span32)> {
    let bytes = source.as_bytes();
    let mut tokens: Vec<(Token, Span32)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            b'"' => {
                i = skip_string(bytes, i + 1, b'"');
                tokens.push((Token::Literal, Span32::of(start..i)));
            }
            b'\'' => {
                i = skip_string(bytes, i + 1, b'\'');
                tokens.push((Token::Literal, Span32::of(start..i)));
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'"') | Some(b'#'))
                && !matches!(bytes.get(i + 2), Some(c) if c.is_ascii_alphabetic() || *c == b'_') =>
            {
                i = skip_raw_string(bytes, i + 1);
                tokens.push((Token::Literal, Span32::of(start..i)));
            }
            b'(' | b'[' | b'{' => {
                i += 1;
                tokens.push((Token::Open(c as char), Span32::of(start..i)));
            }
            b')' | b']' | b'}' => {
                i += 1;
                tokens.push((Token::Close(c as char), Span32::of(start..i)));
            }
            b':' => {
                i += 1;
                tokens.push((Token::Colon, Span32::of(start..i)));
            }
            b',' => {
                i += 1;
                tokens.push((Token::Comma, Span32::of(start..i)));
            }
            b'#' if bytes.get(i + 1) == Some(&b'!') => {
                // `#![enable(...)]` attributes: skip to the end of the line.
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                if c == b'r' && bytes.get(i + 1) == Some(&b'#') {
                    i += 2;
                }
                let name_start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let token = match &source[name_start..i] {
                    "true" | "false" | "None" | "inf" | "NaN" => Token::Literal,
                    _ => Token::Ident,
                };
                tokens.push((token, Span32::of(start..i)));
            }
            c if c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.' => {
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'_')) {
                    i += 1;
                }
                tokens.push((Token::Literal, Span32::of(start..i)));
            }
            _ => {
                // Skip one whole (possibly multi-byte) character.
                i += source[i..].chars().next().map(char::len_utf8).unwrap_or(1);
            }
        }
    }
    tokens
}

fn skip_block_comment(bytes: &[u8], i: usize) -> usize {
    block_comment_end(bytes, i).unwrap_or(bytes.len())
}

fn skip_string(bytes: &[u8], mut i: usize, quote: u8) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn skip_raw_string(bytes: &[u8], i: usize) -> usize {
    raw_string_end(bytes, i).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_nested_paths_to_their_text() {
        let src = r#"Scenario(id: "x", beats: [(id: "a", choices: [(next: Beat("b"))])])"#;
        let map = locate(src, 32);
        assert_eq!(&src[map.span("id")], "\"x\"");
        assert_eq!(&src[map.span("beats[0].choices[0].next")], "Beat(\"b\")");
        assert_eq!(&src[map.span("beats[0].choices[0].next[0]")], "\"b\"");
        assert_eq!(&src[map.span("beats[0].choices[0].missing")], "(next: Beat(\"b\"))");
        assert_eq!(map.top_name.as_deref(), Some("Scenario"));
    }

    #[test]
    fn lists_every_value_with_its_path() {
        let src = r#"Scenario(id: "x", beats: [(id: "a", next: Beat("b"))])"#;
        let values = locate(src, 32).values();
        let text = |path: &str| values.iter().find(|(p, _)| p == path).map(|(_, s)| &src[s.clone()]);
        assert_eq!(text(""), Some(src));
        assert_eq!(text("beats[0].id"), Some("\"a\""));
        assert_eq!(text("beats[0].next[0]"), Some("\"b\""));
    }

    #[test]
    fn a_field_written_again_later_still_lists_its_new_values_with_their_paths() {
        // The second `a` goes on the first's list: its element 1 is made after `b`, away from
        // its parent, so its path cannot come from the values just before it.
        let src = "(a: [1], b: (c: 2), a: [3, 4])";
        let values = locate(src, 32).values();
        let paths: Vec<(&str, &str)> = values.iter().map(|(p, s)| (p.as_str(), &src[s.clone()])).collect();
        assert_eq!(paths, [("", src), ("a", "[1]"), ("a[0]", "1"), ("b", "(c: 2)"), ("b.c", "2"), ("a[1]", "4")]);
    }

    #[test]
    fn some_is_transparent_and_comments_are_skipped() {
        let src = "(a: Some(\"v\"), // note (\n b: /* x ( */ [1, 2])";
        let map = locate(src, 32);
        assert_eq!(&src[map.span("a")], "\"v\"");
        assert_eq!(&src[map.span("b[1]")], "2");
    }

    #[test]
    fn deep_nesting_is_reported_not_recursed() {
        let src = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let map = locate(&src, 32);
        assert_eq!(map.too_deep, Some(32..33));
    }
}
