//! Positions as LSP counts them (line, UTF-16 code units) and byte offsets, both ways, and
//! edits applied to a document's text. Nothing here panics on any text or any position.

use std::ops::Range;

use lsp_types::{Position, TextDocumentContentChangeEvent};

/// UTF-16 units are counted from checkpoints this many bytes apart, so a position in a very
/// long line costs at most this much counting.
const STEP: usize = 1024;

#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// (byte offset on a character boundary, UTF-16 units before it), about every STEP bytes;
    /// made when a position more than STEP bytes into its line is first asked for (most
    /// files have none, and counting the whole text was much of the fuzzer's time).
    checkpoints: std::cell::OnceCell<Vec<(usize, usize)>>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { starts, checkpoints: std::cell::OnceCell::new() }
    }

    fn checkpoints(&self, text: &str) -> &[(usize, usize)] {
        self.checkpoints.get_or_init(|| checkpoints(text))
    }

    /// The LSP position of a byte offset (clamped to the text, rounded down to a character).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.starts[line];
        // A short way into its line, counting the line itself is cheaper than counting from
        // two checkpoints; both give the same count.
        let column = if offset - line_start <= STEP {
            utf16_len(&text[line_start..offset])
        } else {
            self.units_before(text, offset) - self.units_before(text, line_start)
        };
        Position { line: line as u32, character: column as u32 }
    }

    /// The line of a byte offset, without counting columns (which costs far more).
    pub fn line(&self, offset: usize) -> u32 {
        (self.starts.partition_point(|&start| start <= offset) - 1) as u32
    }

    pub fn range(&self, text: &str, span: Range<usize>) -> lsp_types::Range {
        lsp_types::Range { start: self.position(text, span.start), end: self.position(text, span.end.max(span.start)) }
    }

    /// The byte offset of an LSP position. A line past the end gives the end of the text and a
    /// column past the end of its line gives the line's end, as the protocol asks.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&line_start) = self.starts.get(position.line as usize) else { return text.len() };
        let line_end = self.starts.get(position.line as usize + 1).map(|&s| s - 1).unwrap_or(text.len());
        // A short line is walked from its start (the same walk, counted from the line);
        // a long one from the last checkpoint at or before the target, but not before the line.
        let (mut at, mut units, target) = if line_end - line_start <= STEP {
            (line_start, 0, position.character as usize)
        } else {
            let target = self.units_before(text, line_start) + position.character as usize;
            let checkpoints = self.checkpoints(text);
            let (mut at, mut units) = checkpoints[checkpoints.partition_point(|&(_, u)| u <= target) - 1];
            if at < line_start {
                (at, units) = (line_start, self.units_before(text, line_start));
            }
            (at, units, target)
        };
        if at > line_end {
            return line_end;
        }
        for c in text[at..line_end].chars() {
            if units >= target {
                break;
            }
            units += c.len_utf16();
            at += c.len_utf8();
        }
        at.min(line_end)
    }

    fn units_before(&self, text: &str, offset: usize) -> usize {
        let checkpoints = self.checkpoints(text);
        let (at, units) = checkpoints[checkpoints.partition_point(|&(at, _)| at <= offset) - 1];
        units + utf16_len(&text[at..offset])
    }
}

/// (byte offset, UTF-16 units before it) about every STEP bytes, on character boundaries.
fn checkpoints(text: &str) -> Vec<(usize, usize)> {
    let mut checkpoints = vec![(0, 0)];
    let (mut at, mut units) = (0, 0);
    while at + STEP < text.len() {
        let next = floor_boundary(text, at + STEP);
        if next <= at {
            break;
        }
        units += utf16_len(&text[at..next]);
        checkpoints.push((next, units));
        at = next;
    }
    checkpoints
}

/// UTF-16 units in `text`, counted on its bytes (which the compiler vectorises): every
/// character but a continuation byte starts one unit, and a 4-byte one (lead byte `F0`–`F4`)
/// needs a surrogate pair.
fn utf16_len(text: &str) -> usize {
    text.bytes().map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)).sum()
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Applies one change from `textDocument/didChange` (a range replaced, or the whole text).
pub fn apply_change(text: &mut String, change: &TextDocumentContentChangeEvent) {
    match change.range {
        None => text.clone_from(&change.text),
        Some(range) => {
            let lines = LineIndex::new(text);
            let start = lines.offset(text, range.start);
            let end = lines.offset(text, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_utf16_units_like_lsp() {
        // `é` is one unit, `😀` two; both are several bytes.
        let text = "a\né😀x\n";
        let lines = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(lines.position(text, x), Position { line: 1, character: 3 });
        assert_eq!(lines.offset(text, Position { line: 1, character: 3 }), x);
        assert_eq!(lines.offset(text, Position { line: 1, character: 99 }), text.len() - 1);
        assert_eq!(lines.offset(text, Position { line: 9, character: 0 }), text.len());
        // Inside a surrogate pair rounds to the character's end, never splits it.
        assert!(text.is_char_boundary(lines.offset(text, Position { line: 1, character: 2 })));
    }

    #[test]
    fn utf16_units_counted_on_bytes_agree_with_counting_characters() {
        let odd = "a\u{0}\u{7f}\u{80}é\u{7ff}\u{800}€\u{ffff}\u{10000}😀\u{10ffff}\r\n\t\u{feff}“”";
        for start in (0..=odd.len()).filter(|&i| odd.is_char_boundary(i)) {
            for end in (start..=odd.len()).filter(|&i| odd.is_char_boundary(i)) {
                let slow: usize = odd[start..end].chars().map(char::len_utf16).sum();
                assert_eq!(utf16_len(&odd[start..end]), slow, "{:?}", &odd[start..end]);
            }
        }
    }

    #[test]
    fn short_and_long_ways_into_a_line_agree() {
        // Columns near the counting step, on lines of odd characters, one way or the other.
        let text = ["😀".repeat(300), "é".repeat(700), "x".repeat(STEP - 1), "ab😀".repeat(STEP)].join("\n");
        let lines = LineIndex::new(&text);
        let mut line_start = 0;
        for (line, content) in text.split('\n').enumerate() {
            for (column, (at, c)) in content.char_indices().enumerate().filter(|(i, _)| i % 13 == 0 || *i < 3) {
                let units: usize = content[..at].chars().map(char::len_utf16).sum();
                let position = lines.position(&text, line_start + at);
                assert_eq!(position, Position { line: line as u32, character: units as u32 }, "{column} {c}");
                assert_eq!(lines.offset(&text, position), line_start + at);
            }
            line_start += content.len() + 1;
        }
    }

    #[test]
    fn long_lines_agree_with_counting_from_the_start() {
        let text = "é😀ab".repeat(3000) + "\n" + &"x".repeat(5000);
        let lines = LineIndex::new(&text);
        for offset in (0..=text.len()).filter(|o| text.is_char_boundary(*o)).step_by(97) {
            let before = &text[..offset];
            let line = before.matches('\n').count() as u32;
            let column = utf16_len(before.rsplit('\n').next().unwrap()) as u32;
            let position = lines.position(&text, offset);
            assert_eq!(position, Position { line, character: column }, "at {offset}");
            assert_eq!(lines.offset(&text, position), offset);
        }
    }
}
