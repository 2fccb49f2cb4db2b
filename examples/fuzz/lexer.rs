//! A rough lexer for RON and JSON, for mutations that replace whole tokens: a number by a
//! huge one, an id by another id, a bracket by the wrong one. It never fails; anything it
//! does not know is a one-byte `Other` token.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Number,
    Text,
    Word,
    Bracket,
    Punct,
    Other,
}

pub fn tokens(bytes: &[u8]) -> Vec<(Token, Range<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = bytes[i];
        let token = match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                Token::Text
            }
            b'0'..=b'9' | b'-' | b'+' => {
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'_' | b'-')) {
                    i += 1;
                }
                Token::Number
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                Token::Word
            }
            b'(' | b')' | b'[' | b']' | b'{' | b'}' => {
                i += 1;
                Token::Bracket
            }
            b':' | b',' => {
                i += 1;
                Token::Punct
            }
            _ => {
                i += 1;
                Token::Other
            }
        };
        out.push((token, start..i));
    }
    out
}
