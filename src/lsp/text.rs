//! Positions as LSP counts them (line, UTF-16 code units) and byte offsets, both ways, and
//! edits applied to a document's text. Nothing here panics on any text or any position.

use std::ops::Range;

use lsp_types::{Position, TextDocumentContentChangeEvent};

use crate::scenario::lines::{self, Unit};

/// Lines and columns as LSP counts them: the scenario core's index, in UTF-16 units.
#[derive(Debug, Clone)]
pub struct LineIndex(lines::LineIndex);

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex(lines::LineIndex::new(text, Unit::Utf16))
    }

    /// The LSP position of a byte offset (clamped to the text, rounded down to a character).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let (line, column) = self.0.position(text, offset);
        Position { line: saturate(line), character: saturate(column) }
    }

    /// The line of a byte offset, without counting columns (which costs far more).
    pub fn line(&self, offset: usize) -> u32 {
        saturate(self.0.line(offset))
    }

    pub fn range(&self, text: &str, span: Range<usize>) -> lsp_types::Range {
        lsp_types::Range { start: self.position(text, span.start), end: self.position(text, span.end.max(span.start)) }
    }

    /// The byte offset of an LSP position. A line past the end gives the end of the text and a
    /// column past the end of its line gives the line's end, as the protocol asks.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        self.0.offset(text, position.line as usize, position.character as usize)
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
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
}
