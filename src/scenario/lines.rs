//! Lines and columns of byte offsets in one text, both ways, for many offsets: built once per
//! text, so each position costs a binary search instead of a scan from the start (a big file
//! with thousands of problems took `leap check` half a second of rescanning).
//!
//! Columns are counted in characters for people (`leap check`) or in UTF-16 units for editors
//! (the language server counts as LSP does). Nothing here panics on any text or offset.

/// Columns are counted from checkpoints this many bytes apart, so a column in a very long line
/// costs at most this much counting.
const STEP: usize = 1024;

/// What a column counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Characters, as people count them.
    Chars,
    /// UTF-16 code units, as the Language Server Protocol counts them.
    Utf16,
}

impl Unit {
    /// How many of this unit `text` is, counted on its bytes (which the compiler vectorises):
    /// every byte but a continuation byte starts a character, and a 4-byte character (lead byte
    /// `F0`–`F4`) is two UTF-16 units.
    fn count(self, text: &str) -> usize {
        match self {
            Unit::Chars => text.bytes().filter(|b| b & 0xC0 != 0x80).count(),
            Unit::Utf16 => text.bytes().map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)).sum(),
        }
    }

    fn of(self, c: char) -> usize {
        match self {
            Unit::Chars => 1,
            Unit::Utf16 => c.len_utf16(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct LineIndex {
    unit: Unit,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// (byte offset on a character boundary, units before it), about every STEP bytes; made
    /// when a column more than STEP bytes into its line is first asked for (most files have
    /// none, and counting the whole text was much of the fuzzer's time).
    checkpoints: std::cell::OnceCell<Vec<(usize, usize)>>,
}

impl LineIndex {
    pub fn new(text: &str, unit: Unit) -> LineIndex {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { unit, starts, checkpoints: std::cell::OnceCell::new() }
    }

    fn checkpoints(&self, text: &str) -> &[(usize, usize)] {
        self.checkpoints.get_or_init(|| {
            let mut checkpoints = vec![(0, 0)];
            let (mut at, mut units) = (0, 0);
            while at + STEP < text.len() {
                let next = floor_boundary(text, at + STEP);
                if next <= at {
                    break;
                }
                units += self.unit.count(&text[at..next]);
                checkpoints.push((next, units));
                at = next;
            }
            checkpoints
        })
    }

    /// 0-based (line, column) of a byte offset (clamped to the text, rounded down to a
    /// character).
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_boundary(text, offset);
        let line = self.line(offset);
        let line_start = self.starts[line];
        // A short way into its line, counting the line itself is cheaper than counting from
        // two checkpoints; both give the same count.
        let column = if offset - line_start <= STEP {
            self.unit.count(&text[line_start..offset])
        } else {
            self.units_before(text, offset) - self.units_before(text, line_start)
        };
        (line, column)
    }

    /// 1-based (line, column), as messages for people give them.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let (line, column) = self.position(text, offset);
        (line + 1, column + 1)
    }

    /// The 0-based line of a byte offset, without counting columns (which costs far more).
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) - 1
    }

    /// The byte offset of a 0-based (line, column). A line past the end gives the end of the
    /// text and a column past the end of its line gives the line's end, as LSP asks.
    pub fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let Some(&line_start) = self.starts.get(line) else { return text.len() };
        let line_end = self.starts.get(line + 1).map(|&s| s - 1).unwrap_or(text.len());
        // A short line is walked from its start (the same walk, counted from the line);
        // a long one from the last checkpoint at or before the target, but not before the line.
        let (mut at, mut units, target) = if line_end - line_start <= STEP {
            (line_start, 0, column)
        } else {
            let target = self.units_before(text, line_start) + column;
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
            units += self.unit.of(c);
            at += c.len_utf8();
        }
        at.min(line_end)
    }

    fn units_before(&self, text: &str, offset: usize) -> usize {
        let checkpoints = self.checkpoints(text);
        let (at, units) = checkpoints[checkpoints.partition_point(|&(at, _)| at <= offset) - 1];
        units + self.unit.count(&text[at..offset])
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a column is when counted from the start of its line, one character at a time.
    fn slow(unit: Unit, text: &str) -> usize {
        text.chars().map(|c| unit.of(c)).sum()
    }

    #[test]
    fn units_counted_on_bytes_agree_with_counting_characters() {
        let odd = "a\u{0}\u{7f}\u{80}é\u{7ff}\u{800}€\u{ffff}\u{10000}😀\u{10ffff}\r\n\t\u{feff}“”";
        for unit in [Unit::Chars, Unit::Utf16] {
            for start in (0..=odd.len()).filter(|&i| odd.is_char_boundary(i)) {
                for end in (start..=odd.len()).filter(|&i| odd.is_char_boundary(i)) {
                    assert_eq!(unit.count(&odd[start..end]), slow(unit, &odd[start..end]), "{:?}", &odd[start..end]);
                }
            }
        }
    }

    #[test]
    fn agrees_with_counting_from_the_start_both_ways() {
        let text = "ab\ncdé\n\nf".repeat(2000) + &"é😀ab".repeat(3000) + "\n" + &"x".repeat(5000);
        for unit in [Unit::Chars, Unit::Utf16] {
            let index = LineIndex::new(&text, unit);
            for offset in (0..=text.len()).filter(|o| text.is_char_boundary(*o)).step_by(97) {
                let before = &text[..offset];
                let line = before.matches('\n').count();
                let column = slow(unit, before.rsplit('\n').next().unwrap());
                assert_eq!(index.position(&text, offset), (line, column), "{unit:?} at {offset}");
                assert_eq!(index.offset(&text, line, column), offset, "{unit:?} back to {offset}");
            }
        }
    }

    #[test]
    fn columns_near_the_counting_step_agree_with_counting_the_line() {
        // Lines just shorter and longer than STEP, of one-, two- and four-byte characters.
        let lines = ["x".repeat(STEP - 1), "é".repeat(STEP / 2 + 3), "😀".repeat(STEP / 4 + 1), "a😀é".repeat(STEP)];
        let text = lines.join("\n");
        for unit in [Unit::Chars, Unit::Utf16] {
            let index = LineIndex::new(&text, unit);
            let mut line_start = 0;
            for (number, line) in lines.iter().enumerate() {
                for (at, _) in line.char_indices().step_by(11) {
                    let column = slow(unit, &line[..at]);
                    assert_eq!(
                        index.line_col(&text, line_start + at),
                        (number + 1, column + 1),
                        "{unit:?} line {number}"
                    );
                    assert_eq!(index.offset(&text, number, column), line_start + at);
                }
                line_start += line.len() + 1;
            }
        }
    }

    #[test]
    fn offsets_past_the_text_or_inside_a_character_are_clamped() {
        let text = "a\né😀x\n";
        let index = LineIndex::new(text, Unit::Utf16);
        assert_eq!(index.position(text, text.len() + 10), (2, 0));
        // Inside `é`: rounded down to its start.
        assert_eq!(index.position(text, 3), (1, 0));
        // Counted in characters, `😀` is one column, so `x` is the third.
        let chars = LineIndex::new(text, Unit::Chars);
        assert_eq!(chars.offset(text, 1, 2), text.find('x').unwrap());
        assert_eq!(chars.offset(text, 1, 99), text.len() - 1);
    }
}
