//! The part of a file a diagnostic's snippet shows: the lines around the problem, each cut
//! to a readable width around it.
//!
//! Handing miette the whole file made `leap check` slow on big files (every diagnostic copied
//! and scanned all of it) and could crash it: miette pads the underline with a format width,
//! and a problem more than 65,535 columns into one long line is past what `format!` allows.

use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Lines kept on each side of the problem (miette shows one).
const CONTEXT_LINES: usize = 2;
/// A longer line is cut to about this many bytes around the problem, marked with `…`.
const MAX_LINE_BYTES: usize = 240;
/// A problem spanning more lines than this (a whole list of beats) is shown by its first
/// lines only, so one diagnostic on a huge file prints a few lines, not the file.
const MAX_SPAN_LINES: usize = 3;

pub struct Snippet {
    name: String,
    text: String,
    /// The file's line number (0-based) of the first line of `text`.
    first_line: usize,
    /// The problem's span within `text`.
    pub span: Range<usize>,
    /// The problem's line and column in the file (0-based, column in characters), for the header.
    at: (usize, usize),
}

impl Snippet {
    /// The window around `span` (on character boundaries) of `source`; `line` and `column`
    /// are the diagnostic's own (1-based).
    pub fn around(name: &str, source: &str, span: Range<usize>, line: usize, column: usize) -> Snippet {
        let span = span.start..first_lines_end(source, &span);
        let line_start = |offset: usize| source[..offset].rfind('\n').map_or(0, |i| i + 1);
        let mut begin = line_start(span.start);
        let mut first_line = line.saturating_sub(1);
        for _ in 0..CONTEXT_LINES {
            if begin == 0 {
                break;
            }
            begin = line_start(begin - 1);
            first_line = first_line.saturating_sub(1);
        }
        let mut end = span.end;
        for _ in 0..=CONTEXT_LINES {
            match source[end..].find('\n') {
                Some(newline) => end += newline + 1,
                None => {
                    end = source.len();
                    break;
                }
            }
        }

        let mut text = String::new();
        let (mut start_at, mut end_at) = (None, None);
        let mut offset = begin;
        for piece in source[begin..end].split_inclusive('\n') {
            let body = piece.strip_suffix('\n').unwrap_or(piece);
            let keep = kept(body, offset, &span);
            if keep.start > 0 {
                text.push('…');
            }
            let kept_at = text.len();
            text.push_str(&body[keep.clone()]);
            if keep.end < body.len() {
                text.push('…');
            }
            text.push_str(&piece[body.len()..]);
            for (target, slot) in [(span.start, &mut start_at), (span.end, &mut end_at)] {
                if slot.is_none() && (offset..=offset + body.len()).contains(&target) {
                    let within = (target - offset).clamp(keep.start, keep.end) - keep.start;
                    *slot = Some(kept_at + within);
                }
            }
            offset += piece.len();
        }
        let start = start_at.unwrap_or(text.len());
        let end = end_at.unwrap_or(text.len()).max(start);
        Snippet {
            name: name.to_string(),
            text,
            first_line,
            span: start..end,
            at: (line.saturating_sub(1), column.saturating_sub(1)),
        }
    }
}

/// Where `span` ends, or the end of its first [`MAX_SPAN_LINES`] lines if sooner.
fn first_lines_end(source: &str, span: &Range<usize>) -> usize {
    match source[span.clone()].match_indices('\n').nth(MAX_SPAN_LINES - 1) {
        Some((newline, _)) => span.start + newline,
        None => span.end,
    }
}

/// The byte range of `body` (a line starting at `offset` in the file) worth showing: all of
/// it when short, else a stretch around where the problem starts (or ends) on it.
fn kept(body: &str, offset: usize, span: &Range<usize>) -> Range<usize> {
    if body.len() <= MAX_LINE_BYTES {
        return 0..body.len();
    }
    let on_line = |target: usize| (offset..=offset + body.len()).contains(&target).then(|| target - offset);
    let anchor = on_line(span.start).or_else(|| on_line(span.end)).unwrap_or(0);
    let mut from = anchor.saturating_sub(MAX_LINE_BYTES / 3);
    while !body.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (from + MAX_LINE_BYTES).min(body.len());
    while !body.is_char_boundary(to) {
        to += 1;
    }
    from..to
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        // The header (`file:line:col`) reads the problem's own span with no context: give it
        // the diagnostic's position, counted in characters like everywhere else.
        let header = before == 0 && after == 0 && span.offset() == self.span.start;
        let (line, column) = if header { self.at } else { (inner.line() + self.first_line, inner.column()) };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_lines_around_the_problem_with_their_numbers() {
        let source = "one\ntwo\nthree\nfour\nfive\nsix\nseven\n";
        let at = source.find("five").unwrap();
        let snippet = Snippet::around("f", source, at..at + 4, 5, 1);
        assert_eq!(snippet.text, "three\nfour\nfive\nsix\nseven\n");
        assert_eq!(snippet.first_line, 2);
        assert_eq!(&snippet.text[snippet.span.clone()], "five");
    }

    #[test]
    fn a_problem_over_many_lines_shows_its_first_lines() {
        let source = "x\n".repeat(10_000);
        let snippet = Snippet::around("f", &source, 0..source.len(), 1, 1);
        assert!(snippet.text.lines().count() <= MAX_SPAN_LINES + 2 * CONTEXT_LINES + 1, "{}", snippet.text.len());
    }

    #[test]
    fn cuts_a_long_line_around_the_problem() {
        let source = format!("{}BAD{}", "x".repeat(100_000), "y".repeat(100_000));
        let snippet = Snippet::around("f", &source, 100_000..100_003, 1, 100_001);
        assert!(snippet.text.len() < 2 * MAX_LINE_BYTES, "{}", snippet.text.len());
        assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'));
        assert_eq!(&snippet.text[snippet.span.clone()], "BAD");
    }
}
