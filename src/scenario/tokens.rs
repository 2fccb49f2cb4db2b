//! Tokens of RON source for the recovering parser: each with its span and its line's
//! indentation, and the mistakes people make kept as tokens of their own (wrong quotes, a text
//! whose closing `"` is missing, `;` or `=`) so they can be named instead of misread.

use std::ops::Range;

/// A token's kind, with no text of its own: names and texts are read from the source at the
/// token's span (see [`Token::name`]), so a file of a million short tokens is not a million
/// small copies as well.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tok {
    /// A name: a field, an enum variant, `true`, `None`...
    Ident,
    /// A text in double quotes (or a raw string); `closed` is false when its `"` is missing.
    Str {
        closed: bool,
    },
    /// A text in the wrong quotes (`'...'`, `“...”`, `‘...’`); `inside` is the length in bytes
    /// of what is inside them.
    BadQuote {
        inside: u32,
    },
    Number,
    Open(char),
    Close(char),
    Colon,
    Comma,
    /// Any other character outside a text (`;`, `=`, `-`...).
    Other(char),
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub span: Range<usize>,
    /// The first token on its line.
    pub line_start: bool,
    /// Columns of whitespace before the first character of its line (a tab counts 4).
    pub indent: u32,
}

impl Token {
    /// An identifier's name (without the `r#` of a raw one); other tokens' text.
    pub fn name<'s>(&self, source: &'s str) -> &'s str {
        ident_name(source, self.span.clone())
    }

    /// What is inside a text in the wrong quotes; empty for other tokens.
    pub fn inside<'s>(&self, source: &'s str) -> &'s str {
        let Tok::BadQuote { inside } = self.tok else { return "" };
        let text = source.get(self.span.clone()).unwrap_or("");
        let quote = text.chars().next().map_or(0, char::len_utf8);
        text.get(quote..quote + inside as usize).unwrap_or("")
    }
}

#[derive(Debug, Default)]
pub struct Lexed {
    pub tokens: Vec<Token>,
    /// Where a `/*` that is never closed opens.
    pub unclosed_comment: Option<Range<usize>>,
}

pub fn lex(source: &str) -> Lexed {
    let bytes = source.as_bytes();
    let mut lexed = Lexed::default();
    let mut i = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let (mut line_has_token, mut indent) = (false, indent_at(bytes, 0));
    while i < bytes.len() {
        let start = i;
        let c = bytes[i];
        let tok = match c {
            b'\n' => {
                i += 1;
                line_has_token = false;
                indent = indent_at(bytes, i);
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = line_end(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                match block_comment_end(bytes, i) {
                    Some(end) => i = end,
                    None => {
                        lexed.unclosed_comment = Some(i..i + 2);
                        break;
                    }
                }
                continue;
            }
            b'#' if bytes.get(i + 1) == Some(&b'!') => {
                i = line_end(bytes, i);
                continue;
            }
            b'"' => {
                let (end, closed) = string_end(bytes, i);
                i = end;
                Tok::Str { closed }
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'"') | Some(b'#'))
                && !matches!(bytes.get(i + 2), Some(c) if c.is_ascii_alphabetic() || *c == b'_') =>
            {
                let (end, closed) = raw_string_end(bytes, i + 1);
                i = end;
                Tok::Str { closed }
            }
            b'\'' => {
                let (end, inside) = quoted_on_line(source, i, &['\'']);
                i = end;
                Tok::BadQuote { inside }
            }
            b'(' | b'[' | b'{' => {
                i += 1;
                Tok::Open(c as char)
            }
            b')' | b']' | b'}' => {
                i += 1;
                Tok::Close(c as char)
            }
            b':' => {
                i += 1;
                Tok::Colon
            }
            b',' => {
                i += 1;
                Tok::Comma
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                if c == b'r' && bytes.get(i + 1) == Some(&b'#') {
                    i += 2;
                }
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                Tok::Ident
            }
            c if c.is_ascii_digit() || ((c == b'-' || c == b'+' || c == b'.') && next_is_digit(bytes, i)) => {
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'_')) {
                    i += 1;
                }
                Tok::Number
            }
            _ => {
                let ch = source[i..].chars().next().unwrap_or('\u{fffd}');
                match ch {
                    '“' | '”' | '„' => {
                        let (end, inside) = quoted_on_line(source, i, &['”', '“']);
                        i = end;
                        Tok::BadQuote { inside }
                    }
                    '‘' | '’' => {
                        let (end, inside) = quoted_on_line(source, i, &['’', '‘']);
                        i = end;
                        Tok::BadQuote { inside }
                    }
                    _ => {
                        i += ch.len_utf8();
                        Tok::Other(ch)
                    }
                }
            }
        };
        lexed.tokens.push(Token { tok, span: start..i, line_start: !line_has_token, indent });
        line_has_token = true;
        // A text may run over several lines; the next token's line is where the text ends.
        if let Some(newline) = source[start..i].rfind('\n') {
            indent = indent_at(bytes, start + newline + 1);
        }
    }
    lexed
}

fn next_is_digit(bytes: &[u8], i: usize) -> bool {
    bytes.get(i + 1).is_some_and(|b| b.is_ascii_digit() || *b == b'.')
}

fn indent_at(bytes: &[u8], mut i: usize) -> u32 {
    let mut columns = 0u32;
    while let Some(b) = bytes.get(i) {
        match b {
            b' ' => columns = columns.saturating_add(1),
            b'\t' => columns = columns.saturating_add(4),
            _ => break,
        }
        i += 1;
    }
    columns
}

fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..].iter().position(|b| *b == b'\n').map_or(bytes.len(), |p| i + p)
}

/// The identifier at `span` without the `r#` of a raw one (empty if the span does not fall on
/// characters of `source`).
pub(super) fn ident_name(source: &str, span: Range<usize>) -> &str {
    let text = source.get(span).unwrap_or("");
    text.strip_prefix("r#").unwrap_or(text)
}

/// The end of the (nested) `/* */` comment that opens at `i`; None when it is never closed.
pub(super) fn block_comment_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    let mut level = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            level += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            level -= 1;
            i += 2;
            if level == 0 {
                return Some(i);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// The end of a `"` text starting at `open`, and whether its closing quote was found. A text
/// may span lines, but when the line after its first one reads like the next field or
/// bracket, the closing `"` was forgotten: the text ends with its first line.
fn string_end(bytes: &[u8], open: usize) -> (usize, bool) {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return (i + 1, true),
            b'\n' if looks_like_code(&bytes[i + 1..]) => return (without_trailing_comma(bytes, open, i), false),
            _ => i += 1,
        }
    }
    (without_trailing_comma(bytes, open, line_end(bytes, open)), false)
}

/// Where an unclosed text ends on its line: before the brackets and `,` that end the line,
/// which belong to the file (`text: "Own it.),` is missing only its `"`).
fn without_trailing_comma(bytes: &[u8], open: usize, mut end: usize) -> usize {
    while end > open + 1 && matches!(bytes[end - 1], b' ' | b'\t' | b'\r' | b',' | b')' | b']') {
        end -= 1;
    }
    end
}

/// A line that starts a field (`name:`), or holds only brackets and commas.
fn looks_like_code(line: &[u8]) -> bool {
    let line = &line[..line.iter().position(|b| *b == b'\n').unwrap_or(line.len())];
    let text = std::str::from_utf8(line).unwrap_or("").trim();
    if !text.is_empty() && text.chars().all(|c| matches!(c, '(' | ')' | '[' | ']' | ',' | ' ')) {
        return true;
    }
    let text = text.trim_start_matches(['(', '[', ' ']);
    let name_len = text.bytes().take_while(|b| b.is_ascii_lowercase() || *b == b'_' || b.is_ascii_digit()).count();
    name_len > 0
        && text.as_bytes()[0].is_ascii_lowercase()
        && text[name_len..].trim_start().starts_with(':')
        && !text[name_len..].trim_start().starts_with("::")
}

/// The end of the raw string `r#"..."#` whose `#`s or `"` start at `i`, and whether it is
/// closed.
pub(super) fn raw_string_end(bytes: &[u8], mut i: usize) -> (usize, bool) {
    let mut hashes = 0;
    while bytes.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    if bytes.get(i) != Some(&b'"') {
        return (i, false);
    }
    i += 1;
    while i < bytes.len() {
        if bytes[i] == b'"' && bytes[i + 1..].iter().take(hashes).filter(|b| **b == b'#').count() == hashes {
            return ((i + 1 + hashes).min(bytes.len()), true);
        }
        i += 1;
    }
    (bytes.len(), false)
}

/// A text in the wrong quotes, up to one of `closers` on the same line (or the line's end):
/// where it ends, and the length in bytes of what is inside.
fn quoted_on_line(source: &str, open: usize, closers: &[char]) -> (usize, u32) {
    let first = source[open..].chars().next().map_or(1, char::len_utf8);
    let rest = &source[open + first..];
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    // A line is under the 1 MiB file limit, so its length fits.
    let length = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    match line.char_indices().find(|(_, c)| closers.contains(c)) {
        Some((at, c)) => (open + first + at + c.len_utf8(), length(at)),
        None => (open + first + line.len(), length(line.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<Tok> {
        lex(source).tokens.into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn a_forgotten_closing_quote_ends_the_text_at_its_line() {
        let source = "(text: \"Own it.\n    feedback: \"x\",\n)";
        let lexed = lex(source);
        assert_eq!(lexed.tokens[3].tok, Tok::Str { closed: false });
        assert_eq!(&source[lexed.tokens[3].span.clone()], "\"Own it.");
        assert_eq!(lexed.tokens[4].tok, Tok::Ident);
        assert_eq!(lexed.tokens[4].name(source), "feedback");
        assert!(lexed.tokens[4].line_start);
        assert_eq!(lexed.tokens[4].indent, 4);
    }

    #[test]
    fn a_text_over_several_lines_is_one_text() {
        assert_eq!(kinds("(\"one\ntwo\")"), vec![Tok::Open('('), Tok::Str { closed: true }, Tok::Close(')')]);
    }

    #[test]
    fn wrong_quotes_and_stray_characters_are_tokens() {
        let source = "'hi' “yes” ‘no ;";
        let lexed = lex(source);
        let quoted: Vec<Tok> = lexed.tokens.iter().map(|t| t.tok).collect();
        assert_eq!(quoted, vec![Tok::BadQuote { inside: 2 }, Tok::BadQuote { inside: 3 }, Tok::BadQuote { inside: 4 }]);
        let insides: Vec<&str> = lexed.tokens.iter().map(|t| t.inside(source)).collect();
        assert_eq!(insides, ["hi", "yes", "no ;"]);
        assert_eq!(kinds("-5 - x"), vec![Tok::Number, Tok::Other('-'), Tok::Ident]);
        assert_eq!(lex("r#type").tokens[0].name("r#type"), "type");
    }

    #[test]
    fn an_unclosed_comment_is_remembered() {
        let lexed = lex("(a: 1, /* never\n closed");
        assert_eq!(lexed.unclosed_comment, Some(7..9));
    }
}
