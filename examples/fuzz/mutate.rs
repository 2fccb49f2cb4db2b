//! Byte-level and token-level mutations. Byte mutations find what no one would write on
//! purpose; token mutations keep the file mostly well-formed so the checks behind the parser
//! get exercised too.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::lexer::{Token, tokens};

pub type Rng = ChaCha8Rng;

/// Bytes that matter to RON and JSON, so random text hits the parsers' interesting paths.
const ALPHABET: &[u8] = b"()[]{}:,\"'\\/*#!r_-+.0123456789eEaSsNnItfuxbB \n\t";

pub fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let len = rng.random_range(0..2048usize);
    if rng.random_bool(0.5) {
        (0..len).map(|_| rng.random()).collect()
    } else {
        (0..len).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())]).collect()
    }
}

/// One to eight byte edits: flip, overwrite, insert, delete, duplicate, truncate, splice.
pub fn bytes(rng: &mut Rng, data: &mut Vec<u8>, donor: &[u8]) {
    for _ in 0..rng.random_range(1..=8) {
        let len = data.len();
        let at = if len == 0 { 0 } else { rng.random_range(0..len) };
        let span = rng.random_range(1..=64usize.min(len.max(1)));
        match rng.random_range(0..9) {
            0 if len > 0 => data[at] ^= 1 << rng.random_range(0..8),
            1 if len > 0 => data[at] = rng.random(),
            2 => {
                let extra: Vec<u8> = (0..span).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())]).collect();
                data.splice(at..at, extra);
            }
            3 if len > 0 => {
                data.drain(at..(at + span).min(len));
            }
            4 if len > 0 => {
                let piece = data[at..(at + span).min(len)].to_vec();
                let times = if rng.random_bool(0.1) { rng.random_range(2..2000) } else { 1 };
                let to = rng.random_range(0..=len);
                data.splice(to..to, piece.repeat(times));
            }
            5 => data.truncate(at),
            6 if !donor.is_empty() => {
                let from = rng.random_range(0..donor.len());
                let piece = &donor[from..(from + rng.random_range(1..4096)).min(donor.len())];
                data.splice(at..at, piece.iter().copied());
            }
            7 if len > 0 => {
                // An invalid or odd UTF-8 sequence.
                let odd: &[&[u8]] = &[
                    b"\xff",
                    b"\xc3",
                    b"\xe2\x80",
                    b"\xed\xa0\x80",
                    b"\xef\xbb\xbf",
                    b"\0",
                    b"\r",
                    b"\xf4\x90\x80\x80",
                ];
                data.splice(at..at, odd[rng.random_range(0..odd.len())].iter().copied());
            }
            8 if len > 0 => data.swap(at, rng.random_range(0..len)),
            _ => {}
        }
    }
}

/// The first part of one file and the last part of another.
pub fn splice(rng: &mut Rng, a: &[u8], b: &[u8]) -> Vec<u8> {
    let cut_a = rng.random_range(0..=a.len());
    let cut_b = rng.random_range(0..=b.len());
    [&a[..cut_a], &b[cut_b..]].concat()
}

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "100",
    "101",
    "-101",
    "23",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999999999",
    "1e309",
    "-1e309",
    "1.5",
    "0.0000001",
    "NaN",
    "inf",
    "-inf",
    "0x7fffffff",
    "0b1",
    "1_000",
    "-0",
    "+5",
    "1e",
    "--1",
    "00",
];

const WORDS: &[&str] = &[
    "Scenario",
    "Campaign",
    "Beat",
    "Ending",
    "Some",
    "None",
    "Show",
    "Hide",
    "All",
    "Any",
    "Not",
    "MeterAtLeast",
    "MeterAtMost",
    "Flag",
    "LessonMet",
    "LessonsMetAtLeast",
    "Strong",
    "Mixed",
    "Weak",
    "true",
    "false",
    "null",
    "trust",
    "strategic_impact",
    "team_engagement",
    "r#id",
    "id",
    "next",
    "choices",
    "beats",
    "endings",
    "requires",
    "later",
    "outcomes",
    "after",
    "weight",
    "when",
    "sets",
    "format",
    "kind",
    "start",
    "decision",
    "end",
];

const TEXTS: &[&str] = &[
    "\"\"",
    "\" \"",
    "\"L01\"",
    "\"L22\"",
    "\"L23\"",
    "\"Not-An-Id\"",
    "\"id with space\"",
    "\"\\u{0}\"",
    "\"\\u{D800}\"",
    "\"\\u{10FFFF}\"",
    "\"\\x41\"",
    "\"\\\"",
    "\"unterminated",
    "\"\u{202e}rtl\u{202c}\"",
    "\"e\u{301}\u{301}\u{301}\"",
    "\"\u{1F600}\"",
    "\"\u{FEFF}\"",
    "r#\"raw \" text\"#",
    "r##\"unterminated raw",
    "'c'",
    "b\"bytes\"",
    "\"line\nbreak\"",
    "\"\\ud800\"",
    "\"\\uDFFF\\uD800\"",
];

const BRACKETS: &[&str] =
    &["(", ")", "[", "]", "{", "}", ",", ":", "", ",,", "/*", "*/", "//", "#![enable(unwrap_newtypes)]"];

/// Replaces one to six tokens with something interesting of a fitting (or not) kind.
pub fn tokens_in(rng: &mut Rng, data: &[u8]) -> Vec<u8> {
    let found = tokens(data);
    if found.is_empty() {
        return data.to_vec();
    }
    let mut edits: Vec<(std::ops::Range<usize>, Vec<u8>)> = Vec::new();
    let long = long_text(rng);
    for _ in 0..rng.random_range(1..=6) {
        let (kind, span) = found[rng.random_range(0..found.len())].clone();
        let same_kind = |rng: &mut Rng| {
            let similar: Vec<_> = found.iter().filter(|(k, _)| *k == kind).collect();
            data[similar[rng.random_range(0..similar.len())].1.clone()].to_vec()
        };
        let replacement: Vec<u8> = match (kind, rng.random_range(0..10)) {
            (_, 0) => nesting(rng),
            (_, 1) => same_kind(rng),
            (Token::Text, 2..=4) => long.clone(),
            (Token::Number, _) => NUMBERS[rng.random_range(0..NUMBERS.len())].as_bytes().to_vec(),
            (Token::Text, _) => TEXTS[rng.random_range(0..TEXTS.len())].as_bytes().to_vec(),
            (Token::Word, 2..=4) => WORDS[rng.random_range(0..WORDS.len())].as_bytes().to_vec(),
            (Token::Word, 5) => long_text(rng)[1..].iter().map(|_| b'w').collect(),
            (Token::Word, _) => misspell(rng, &data[span.clone()]),
            _ => BRACKETS[rng.random_range(0..BRACKETS.len())].as_bytes().to_vec(),
        };
        edits.push((span, replacement));
    }
    apply(data, edits)
}

/// Replaces several text tokens with the same long text: a flag set and read, a `start` and
/// a beat id, so name suggestions compare two long strings.
pub fn same_long_text(rng: &mut Rng, data: &[u8]) -> Vec<u8> {
    let texts: Vec<_> = tokens(data).into_iter().filter(|(k, _)| *k == Token::Text).map(|(_, s)| s).collect();
    if texts.is_empty() {
        return data.to_vec();
    }
    let long = long_text(rng);
    let edits = (0..rng.random_range(2..=5))
        .map(|_| {
            let span = texts[rng.random_range(0..texts.len())].clone();
            let mut text = long.clone();
            if rng.random_bool(0.5) && text.len() > 2 {
                // Slightly different, so it is a typo of the other, not a match.
                let at = rng.random_range(1..text.len() - 1);
                text[at] = b'y';
            }
            (span, text)
        })
        .collect();
    apply(data, edits)
}

/// Applies edits right to left so earlier spans stay valid; overlapping ones are dropped.
fn apply(data: &[u8], mut edits: Vec<(std::ops::Range<usize>, Vec<u8>)>) -> Vec<u8> {
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut out = data.to_vec();
    let mut limit = usize::MAX;
    for (span, replacement) in edits {
        if span.end > limit {
            continue;
        }
        limit = span.start;
        out.splice(span, replacement);
    }
    out
}

/// A quoted text of some length: a little over the 4000-character limit, or far over it.
fn long_text(rng: &mut Rng) -> Vec<u8> {
    let len = match rng.random_range(0..4) {
        0 => 4001,
        1 => rng.random_range(60..70),
        2 => rng.random_range(1000..20_000),
        _ => rng.random_range(100_000..400_000),
    };
    let fill = [b'a', b'-', b'x'][rng.random_range(0..3)];
    let mut text = vec![b'"'];
    text.extend(std::iter::repeat_n(fill, len));
    text.push(b'"');
    text
}

fn nesting(rng: &mut Rng) -> Vec<u8> {
    let depth = rng.random_range(1..200);
    let (open, close): (&[u8], &[u8]) = match rng.random_range(0..4) {
        0 => (b"[", b"]"),
        1 => (b"(", b")"),
        2 => (b"Not(", b")"),
        _ => (b"All([", b"])"),
    };
    let inner: &[u8] = if rng.random_bool(0.5) { b"Flag(\"x\")" } else { b"1" };
    let balanced = rng.random_bool(0.7);
    let mut out = open.repeat(depth);
    out.extend_from_slice(inner);
    out.extend(close.repeat(if balanced { depth } else { depth / 2 }));
    out
}

fn misspell(rng: &mut Rng, word: &[u8]) -> Vec<u8> {
    let mut word = word.to_vec();
    if word.is_empty() {
        return word;
    }
    let at = rng.random_range(0..word.len());
    match rng.random_range(0..3) {
        0 => word[at] = b'a' + rng.random_range(0..26u8),
        1 => {
            word.remove(at);
        }
        _ => word.insert(at, b'_'),
    }
    word
}
