//! Line and column of byte offsets in one file, for many offsets: built once per file, so
//! each diagnostic's position costs a binary search instead of a scan from the start (a big
//! file with thousands of problems took `leap check` half a second of rescanning).

/// Characters are counted from checkpoints this many bytes apart, so a column in a very long
/// line costs at most this much counting.
const STEP: usize = 4096;

pub struct LineIndex {
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// (byte offset on a character boundary, characters before it), about every STEP bytes;
    /// made when a column more than STEP bytes into its line is first asked for.
    checkpoints: std::cell::OnceCell<Vec<(usize, usize)>>,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let starts = std::iter::once(0).chain(source.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { starts, checkpoints: std::cell::OnceCell::new() }
    }

    fn checkpoints(&self, source: &str) -> &[(usize, usize)] {
        self.checkpoints.get_or_init(|| {
            let mut checkpoints = vec![(0, 0)];
            let (mut at, mut chars) = (0, 0);
            while at + STEP < source.len() {
                let mut next = at + STEP;
                while !source.is_char_boundary(next) {
                    next += 1;
                }
                chars += source[at..next].chars().count();
                checkpoints.push((next, chars));
                at = next;
            }
            checkpoints
        })
    }

    /// 1-based (line, column in characters) of `offset`, which must be on a character boundary.
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        // A short way into its line, counting the line itself is cheaper than counting from
        // two checkpoints; both give the same count.
        let column = if offset - line_start <= STEP {
            source[line_start..offset].chars().count()
        } else {
            self.chars_before(source, offset) - self.chars_before(source, line_start)
        };
        (line, column + 1)
    }

    fn chars_before(&self, source: &str, offset: usize) -> usize {
        let checkpoints = self.checkpoints(source);
        let (at, chars) = checkpoints[checkpoints.partition_point(|&(at, _)| at <= offset) - 1];
        chars + source[at..offset].chars().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_counting_from_the_start() {
        let source = "ab\ncdé\n\nf".repeat(2000) + &"é".repeat(10_000);
        let index = LineIndex::new(&source);
        for offset in (0..=source.len()).filter(|o| source.is_char_boundary(*o)).step_by(7) {
            let before = &source[..offset];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
            assert_eq!(index.line_col(&source, offset), (line, column), "at {offset}");
        }
    }

    #[test]
    fn columns_near_the_counting_step_agree_with_counting_the_line() {
        // Lines just shorter and longer than STEP, of one-, two- and four-byte characters.
        let lines = ["x".repeat(STEP - 1), "é".repeat(STEP / 2 + 3), "😀".repeat(STEP / 4 + 1), "a😀é".repeat(STEP)];
        let source = lines.join("\n");
        let index = LineIndex::new(&source);
        let mut line_start = 0;
        for (number, line) in lines.iter().enumerate() {
            for (column, (at, _)) in line.char_indices().enumerate().filter(|(c, _)| c % 11 == 0) {
                assert_eq!(index.line_col(&source, line_start + at), (number + 1, column + 1), "line {number}");
            }
            line_start += line.len() + 1;
        }
    }
}
