//! A lenient walk over RON source that remembers where every value sits.
//!
//! `ron` tells us where a syntax error is, but the typed values it returns carry no
//! positions. Checks that run after parsing (a dangling `next`, a duplicate id) still
//! have to point at the right line, so this walk maps each value's path
//! (`beats[1].choices[0].next`) to its byte span, and records every struct's field
//! names so unknown fields can all be reported at once.

use std::collections::HashMap;
use std::ops::Range;

/// A field name as written, and where.
pub type FieldName = (String, Range<usize>);

/// Where values sit in one source file.
#[derive(Debug, Default)]
pub struct SourceMap {
    values: HashMap<String, Range<usize>>,
    /// For each struct value: its path and the (name, span) of each field it writes.
    pub structs: Vec<(String, Vec<FieldName>)>,
    /// The first identifier of the file (`Scenario` or `Campaign`), if any.
    pub top_name: Option<String>,
    /// Set when nesting went deeper than allowed; the span of the offending bracket.
    pub too_deep: Option<Range<usize>>,
}

impl SourceMap {
    /// The span of the value at `path`, or of the closest enclosing value that was found.
    pub fn span(&self, path: &str) -> Range<usize> {
        let mut path = path;
        loop {
            if let Some(span) = self.values.get(path) {
                return span.clone();
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path = &path[..cut],
                None => return self.values.get("").cloned().unwrap_or(0..0),
            }
        }
    }

    /// The span of the value at `path`, only if it was written in the file.
    pub fn exact(&self, path: &str) -> Option<Range<usize>> {
        self.values.get(path).cloned()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Literal,
    Open(char),
    Close(char),
    Colon,
    Comma,
}

/// Builds the source map; never fails (unreadable parts are simply not mapped).
pub fn locate(source: &str, max_depth: usize) -> SourceMap {
    let tokens = tokenize(source);
    let mut walker = Walker { tokens: &tokens, at: 0, map: SourceMap::default(), max_depth };
    walker.map.top_name = tokens.iter().find_map(|(t, _)| match t {
        Token::Ident(name) => Some(name.clone()),
        _ => None,
    });
    walker.value(String::new(), 0);
    walker.map
}

struct Walker<'a> {
    tokens: &'a [(Token, Range<usize>)],
    at: usize,
    map: SourceMap,
    max_depth: usize,
}

impl Walker<'_> {
    fn peek(&self, ahead: usize) -> Option<&Token> {
        self.tokens.get(self.at + ahead).map(|(t, _)| t)
    }

    fn span_at(&self, index: usize) -> Range<usize> {
        self.tokens
            .get(index)
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| self.tokens.last().map(|(_, s)| s.end..s.end).unwrap_or(0..0))
    }

    /// Reads one value at `path`; returns false at end of input or on a stray token.
    fn value(&mut self, path: String, depth: usize) -> bool {
        let start = self.span_at(self.at).start;
        match self.peek(0).cloned() {
            None => return false,
            Some(Token::Ident(name)) => {
                self.at += 1;
                if self.peek(0) == Some(&Token::Open('(')) {
                    // `Some(x)` is transparent: the inner value keeps the path.
                    let transparent = name == "Some";
                    self.container('(', &path, depth, transparent);
                }
            }
            Some(Token::Literal) => self.at += 1,
            Some(Token::Open(open)) => self.container(open, &path, depth, false),
            Some(Token::Close(_)) | Some(Token::Colon) | Some(Token::Comma) => return false,
        }
        let end = self.span_at(self.at.saturating_sub(1)).end.max(start);
        self.map.values.entry(path).or_insert(start..end);
        true
    }

    /// Reads a bracketed group whose opening token is at the cursor.
    fn container(&mut self, open: char, path: &str, depth: usize, transparent: bool) {
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
            match self.peek(0).cloned() {
                None => break,
                Some(Token::Close(c)) => {
                    self.at += 1;
                    if c == close {
                        break;
                    }
                }
                Some(Token::Comma) | Some(Token::Colon) => self.at += 1,
                Some(Token::Ident(name)) if open != '[' && self.peek(1) == Some(&Token::Colon) => {
                    let name_span = self.span_at(self.at);
                    self.at += 2;
                    fields.push((name.clone(), name_span));
                    let child = if path.is_empty() { name } else { format!("{path}.{name}") };
                    if !self.value(child, depth + 1) {
                        continue;
                    }
                }
                Some(_) => {
                    let child = if transparent { path.to_string() } else { format!("{path}[{index}]") };
                    index += 1;
                    if !self.value(child, depth + 1) {
                        self.at += 1;
                    }
                }
            }
        }
        if !fields.is_empty() {
            self.map.structs.push((path.to_string(), fields));
        }
    }

    /// Skips a bracketed group without recursion (used past the depth limit).
    fn skip_group(&mut self) {
        let mut level = 0usize;
        while let Some(token) = self.peek(0).cloned() {
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

fn tokenize(source: &str) -> Vec<(Token, Range<usize>)> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
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
                tokens.push((Token::Literal, start..i));
            }
            b'\'' => {
                i = skip_string(bytes, i + 1, b'\'');
                tokens.push((Token::Literal, start..i));
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'"') | Some(b'#'))
                && !matches!(bytes.get(i + 2), Some(c) if c.is_ascii_alphabetic() || *c == b'_') =>
            {
                i = skip_raw_string(bytes, i + 1);
                tokens.push((Token::Literal, start..i));
            }
            b'(' | b'[' | b'{' => {
                i += 1;
                tokens.push((Token::Open(c as char), start..i));
            }
            b')' | b']' | b'}' => {
                i += 1;
                tokens.push((Token::Close(c as char), start..i));
            }
            b':' => {
                i += 1;
                tokens.push((Token::Colon, start..i));
            }
            b',' => {
                i += 1;
                tokens.push((Token::Comma, start..i));
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
                let name = &source[name_start..i];
                let token = match name {
                    "true" | "false" | "None" | "inf" | "NaN" => Token::Literal,
                    _ => Token::Ident(name.to_string()),
                };
                tokens.push((token, start..i));
            }
            c if c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.' => {
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'_')) {
                    i += 1;
                }
                tokens.push((Token::Literal, start..i));
            }
            _ => {
                // Skip one whole (possibly multi-byte) character.
                i += source[i..].chars().next().map(char::len_utf8).unwrap_or(1);
            }
        }
    }
    tokens
}

fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut level = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            level += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            level -= 1;
            i += 2;
            if level == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
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

fn skip_raw_string(bytes: &[u8], mut i: usize) -> usize {
    let mut hashes = 0;
    while bytes.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    if bytes.get(i) != Some(&b'"') {
        return i;
    }
    i += 1;
    while i < bytes.len() {
        if bytes[i] == b'"' && bytes[i + 1..].iter().take(hashes).filter(|b| **b == b'#').count() == hashes {
            return (i + 1 + hashes).min(bytes.len());
        }
        i += 1;
    }
    bytes.len()
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
