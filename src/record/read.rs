//! Reading a session log back, strictly: only a damaged *last* line is forgiven, because
//! that is what a crash while writing leaves. Anything else wrong means the file is not a
//! log, or was edited, and the reader says where.

use std::io;
use std::path::{Path, PathBuf};

use super::{LOG_FORMAT, LogLine, RecordedSession};
use crate::engine::meters::{METER_MAX, METER_MIN};

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("cannot read the session log {}: {error}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        error: io::Error,
    },
    /// The file has no lines at all.
    #[error(
        "{} is empty, so it is not a session log (a log starts with its `start` line); it was left as it is",
        path.display()
    )]
    Empty { path: PathBuf },
    /// Line `line` (1-based) is wrong in a way a crash cannot explain.
    #[error("{}, line {line}: {problem}", path.display())]
    Bad { path: PathBuf, line: usize, problem: String },
    /// Another program has the log open for writing.
    #[error("{} is being written by another program; close that one first", path.display())]
    InUse { path: PathBuf },
}

/// Reads the log at `path`. A cut-off or garbled last line is left out and described in
/// `damaged_tail`; an empty file, a missing `start` line or a bad line before the last is an
/// error naming the file and line.
pub fn read_log(path: impl AsRef<Path>) -> Result<RecordedSession, LogError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|error| LogError::Io { path: path.to_path_buf(), error })?;
    parse(path, &bytes).map(|(recorded, _)| recorded)
}

/// How much of the file is whole lines, for appending after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Intact {
    /// Bytes up to and including the last good line.
    pub length: u64,
    /// The last good line has no newline yet (the crash came just before it).
    pub needs_newline: bool,
}

pub(super) fn parse(path: &Path, bytes: &[u8]) -> Result<(RecordedSession, Intact), LogError> {
    let bad = |line: usize, problem: String| LogError::Bad { path: path.to_path_buf(), line, problem };
    // (line number, byte offset just past the line, the line's bytes, whether a newline ended it)
    let mut lines: Vec<(usize, usize, &[u8], bool)> = Vec::new();
    let mut start = 0;
    for (number, piece) in bytes.split(|b| *b == b'\n').enumerate() {
        let end = start + piece.len();
        let ended = end < bytes.len();
        if !piece.iter().all(u8::is_ascii_whitespace) {
            lines.push((number + 1, end + usize::from(ended), piece, ended));
        }
        start = end + 1;
    }
    let Some(&(last_number, ..)) = lines.last() else {
        return Err(LogError::Empty { path: path.to_path_buf() });
    };

    let mut header = None;
    let (mut decisions, mut ends, mut ballots) = (Vec::new(), Vec::new(), Vec::new());
    let (mut phone_decisions, mut round_end) = (Vec::<super::PhoneDecision>::new(), None);
    let mut intact = Intact { length: 0, needs_newline: false };
    let mut damaged_tail = None;
    for &(number, past_end, piece, ended) in &lines {
        let entry = std::str::from_utf8(piece)
            .map_err(|_| "it is not UTF-8 text".to_string())
            .and_then(|text| serde_json::from_str::<LogLine>(text).map_err(|e| e.to_string()));
        let entry = match entry {
            Ok(entry) => entry,
            // Only a last line the crash stopped before its newline can be crash damage.
            Err(why) if number == last_number && header.is_some() && !ended => {
                damaged_tail = Some(format!(
                    "line {number} was cut off or garbled, probably by a crash while it was written, and is left out \
                     ({why}): {}",
                    excerpt(piece)
                ));
                break;
            }
            Err(why) if number == last_number && header.is_none() => {
                return Err(bad(
                    number,
                    format!(
                        "the `start` line is cut off or garbled ({why}), so nothing was recorded; \
                         the file can be deleted: {}",
                        excerpt(piece)
                    ),
                ));
            }
            Err(why) if number == last_number => {
                return Err(bad(
                    number,
                    format!(
                        "the last line is complete (it ends with a newline) but is not a session log entry ({why}), \
                         so it was not cut off by a crash; the log was edited, and it was left as it is: {}",
                        excerpt(piece)
                    ),
                ));
            }
            Err(why) => {
                return Err(bad(number, format!("this is not a session log entry ({why}): {}", excerpt(piece))));
            }
        };
        match (entry, &header) {
            (LogLine::Start(h), None) if h.format != LOG_FORMAT => {
                return Err(bad(
                    number,
                    format!("the log is format {}; this version of The Leap reads format {LOG_FORMAT}", h.format),
                ));
            }
            (LogLine::Start(h), None) => header = Some(h),
            (LogLine::Start(_), Some(_)) => {
                return Err(bad(number, "a second `start` line; a log holds one session".into()));
            }
            (other, None) => {
                let kind = match other {
                    LogLine::Decision(_) => "decision",
                    LogLine::Ballots(_) => "ballots",
                    LogLine::Phone(_) => "phone",
                    LogLine::Round(_) => "round",
                    _ => "end",
                };
                return Err(bad(number, format!("expected the session's `start` line first, found a `{kind}` line")));
            }
            (LogLine::Decision(d), Some(_)) => {
                // The game never records a meter outside the meter rule's range; one that is
                // was edited in, and exports would compute nonsense (or overflow) from it.
                let meters = [d.meters_before.as_array(), d.meters_after.as_array()];
                if let Some(value) = meters.iter().flatten().find(|v| !(METER_MIN..=METER_MAX).contains(*v)) {
                    return Err(bad(
                        number,
                        format!("a meter of {value} is outside {METER_MIN} to {METER_MAX}; the log was edited"),
                    ));
                }
                let expected = decisions.last().map_or(1, |p: &super::LoggedDecision| p.number + 1);
                if d.number != expected {
                    return Err(bad(
                        number,
                        format!(
                            "decision {} where decision {expected} was expected; the log was edited or mixed \
                             with another",
                            d.number
                        ),
                    ));
                }
                decisions.push(d);
            }
            (LogLine::End(e), Some(_)) => ends.push(e),
            (LogLine::Ballots(b), Some(_)) => ballots.push(b),
            (LogLine::Phone(p), Some(_)) => {
                check_phone_decision(&phone_decisions, &p).map_err(|problem| bad(number, problem))?;
                phone_decisions.push(p);
            }
            (LogLine::Round(r), Some(_)) => round_end = Some(r),
        }
        intact = Intact { length: past_end as u64, needs_newline: !ended };
    }
    let header = header.expect("the loop returns early unless the first entry is the header");
    Ok((RecordedSession { header, decisions, ends, damaged_tail, ballots, phone_decisions, round_end }, intact))
}

/// A phone's decision must follow that phone's previous one, with meters the rule allows.
fn check_phone_decision(earlier: &[super::PhoneDecision], line: &super::PhoneDecision) -> Result<(), String> {
    let d = &line.decision;
    let meters = [d.meters_before.as_array(), d.meters_after.as_array()];
    if let Some(value) = meters.iter().flatten().find(|v| !(METER_MIN..=METER_MAX).contains(*v)) {
        return Err(format!("a meter of {value} is outside {METER_MIN} to {METER_MAX}; the log was edited"));
    }
    let before = earlier.iter().rev().find(|p| p.phone == line.phone);
    let expected = before.map_or(1, |p| p.decision.number + 1);
    if d.number != expected {
        return Err(format!(
            "phone {}'s decision {} where its decision {expected} was expected; the log was edited or mixed with \
             another",
            line.phone, d.number
        ));
    }
    if before.is_some_and(|p| p.end.is_some()) {
        return Err(format!("phone {} decides after its run ended; the log was edited", line.phone));
    }
    Ok(())
}

/// The start of a line, for messages.
fn excerpt(piece: &[u8]) -> String {
    let text = String::from_utf8_lossy(piece);
    let text = text.trim();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("`{}...`", &text[..cut]),
        None => format!("`{text}`"),
    }
}
