//! The session record: a JSON Lines log, one object per line, written as the session goes.
//!
//! The first line is the `start` header; then one `decision` line per decision and one `end`
//! line per finished scenario (a campaign has several). Every line is written whole, flushed
//! and synced to disk before the call returns, so a crash, a killed process or a pulled plug
//! loses nothing already decided: at worst the line being written is cut off, and
//! [`read_log`] reports that last line and leaves it out. Exports, the debrief and `--resume`
//! all read the log back; it is the one record of a session.

mod ballots;
mod phone_runs;
mod read;
mod resume;
pub mod settings;
pub mod store;
mod utc;

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::scenario::{Scenario, Verdict};

use crate::engine::meters::Meters;
use crate::engine::session::{ChoiceView, Decision, Session};
use crate::engine::votes::{RoomDecision, VoteTally};

pub use ballots::PhoneBallots;
pub use phone_runs::{PhoneDecision, RoundEnd};
pub use read::{LogError, read_log};
pub use resume::{RebuiltRun, ResumeError, rebuild_run, resume, resume_stage};
pub use utc::{format_unix_seconds, format_utc, iso_duration, now_utc, parse_utc};

/// The log format this build writes and reads.
pub const LOG_FORMAT: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// One player.
    Solo,
    /// A facilitator playing with a room that votes.
    Workshop,
}

/// The first line of a log: what was played, by whom, and with which seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogHeader {
    /// [`LOG_FORMAT`].
    pub format: u32,
    /// The session's name (exports are named after it).
    pub session: String,
    pub mode: Mode,
    /// The scenario played, when the session is one scenario.
    #[serde(default)]
    pub scenario: Option<String>,
    /// The campaign played, when the session is a campaign.
    #[serde(default)]
    pub campaign: Option<String>,
    pub seed: u64,
    /// ISO 8601 UTC.
    pub started_at: String,
    /// Free-form facilitator options (timers, anonymity, ...); the log only keeps them.
    #[serde(default)]
    pub options: serde_json::Value,
    /// A random id, so two sessions of the same name started in the same second still get
    /// their own exports (logs written before it was added have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl LogHeader {
    /// A header started `at`, for neither a scenario nor a campaign yet, with no options.
    pub fn new(session: impl Into<String>, mode: Mode, seed: u64, at: SystemTime) -> LogHeader {
        LogHeader {
            format: LOG_FORMAT,
            session: session.into(),
            mode,
            scenario: None,
            campaign: None,
            seed,
            started_at: format_utc(at),
            options: serde_json::Value::Object(Default::default()),
            id: Some(uuid::Uuid::new_v4().simple().to_string()[..8].to_string()),
        }
    }

    /// A header for a run of `scenario`, or of `campaign` starting with it, started `at`.
    pub fn for_run(
        session: impl Into<String>,
        mode: Mode,
        seed: u64,
        scenario: &Scenario,
        campaign: Option<&str>,
        at: SystemTime,
    ) -> LogHeader {
        let mut header = LogHeader::new(session, mode, seed, at);
        // A campaign's log names the campaign; its decisions name each stage's scenario.
        match campaign {
            Some(id) => header.campaign = Some(id.to_string()),
            None => header.scenario = Some(scenario.id.clone()),
        }
        header
    }
}

/// One decision as the log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedDecision {
    /// 1-based, counted across the whole session (a campaign's stages go on counting).
    pub number: u32,
    pub scenario: String,
    pub beat: String,
    /// The choice ids in the order they were shown (A, B, C, ...), locked ones included.
    pub options: Vec<String>,
    /// The room's votes, in the order of `options`; None when nobody voted (solo play).
    #[serde(default)]
    pub votes: Option<Vec<u32>>,
    /// The choice id played.
    pub chosen: String,
    #[serde(default)]
    pub overrode_majority: bool,
    /// The facilitator's reason for the pick; always there when the majority was overridden.
    #[serde(default)]
    pub override_reason: Option<String>,
    /// The text of the chance outcome drawn, if the choice had one.
    #[serde(default)]
    pub outcome: Option<String>,
    pub lesson: String,
    /// How the choice stands to its lesson (absent in older logs and files without stances).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance: Option<crate::scenario::Stance>,
    pub meters_before: Meters,
    pub meters_after: Meters,
    /// ISO 8601 UTC.
    pub at: String,
    /// The texts the player saw, so exports read the same after the scenario file is edited
    /// (logs written before this field was added have none; exports then use the file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub texts: Option<DecisionTexts>,
}

/// What was on screen at a decision, as the scenario said it then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionTexts {
    pub scenario_title: String,
    pub beat_text: String,
    pub chosen_text: String,
}

impl DecisionTexts {
    /// The texts of `decision` in `scenario`, empty where the scenario lacks them.
    pub fn of(scenario: &Scenario, beat: &str, chosen: &str) -> DecisionTexts {
        let beat = scenario.beat(beat);
        let chosen = beat.and_then(|b| b.choices.iter().find(|c| c.id == chosen));
        DecisionTexts {
            scenario_title: scenario.title.clone(),
            beat_text: beat.map(|b| b.text.clone()).unwrap_or_default(),
            chosen_text: chosen.map(|c| c.text.clone()).unwrap_or_default(),
        }
    }
}

/// How the room decided, for a decision made in a workshop.
#[derive(Debug, Clone, Copy)]
pub struct RoomCall<'a> {
    pub tally: &'a VoteTally,
    pub decision: &'a RoomDecision,
}

impl LoggedDecision {
    /// Where the choice played sits among the options shown (A is 0); None when a damaged or
    /// hand-edited log names a choice that was not shown.
    pub fn chosen_index(&self) -> Option<usize> {
        self.options.iter().position(|o| *o == self.chosen)
    }

    /// The log line for an engine `decision` made in `scenario` at `at`. `number` counts across
    /// the session; `options` are the ids shown before the choice was made (see
    /// [`shown_options`]); `room` is how the room decided, None in solo play.
    pub fn new(
        scenario: &Scenario,
        decision: &Decision,
        number: u32,
        options: Vec<String>,
        room: Option<RoomCall<'_>>,
        at: SystemTime,
    ) -> LoggedDecision {
        let votes = room.and_then(|r| (r.tally.total() > 0).then(|| r.tally.counts().to_vec()));
        LoggedDecision {
            number,
            scenario: scenario.id.clone(),
            beat: decision.beat.clone(),
            options,
            votes,
            chosen: decision.choice.clone(),
            overrode_majority: room.is_some_and(|r| r.decision.overrode_majority),
            override_reason: room.and_then(|r| r.decision.reason.clone()),
            outcome: decision.outcome.as_ref().map(|o| o.text.clone()),
            lesson: decision.lesson.clone(),
            stance: decision.stance,
            meters_before: decision.meters_before,
            meters_after: decision.meters_after,
            at: format_utc(at),
            texts: Some(DecisionTexts::of(scenario, &decision.beat, &decision.choice)),
        }
    }

    /// A decision made alone (no room, no votes), at `at`.
    pub fn solo(
        scenario: &Scenario,
        decision: &Decision,
        number: u32,
        options: Vec<String>,
        at: SystemTime,
    ) -> LoggedDecision {
        LoggedDecision::new(scenario, decision, number, options, None, at)
    }

    /// A decision the room voted on, at `at`: the votes (None if nobody voted) and the call.
    pub fn voted(
        scenario: &Scenario,
        decision: &Decision,
        number: u32,
        options: Vec<String>,
        room: RoomCall<'_>,
        at: SystemTime,
    ) -> LoggedDecision {
        LoggedDecision::new(scenario, decision, number, options, Some(room), at)
    }

    /// The change from before to after, meter by meter (trust, impact, engagement).
    pub fn delta(&self) -> [i32; 3] {
        self.meters_after.delta_since(&self.meters_before)
    }
}

/// The ids of the choices as shown, in order: what [`LoggedDecision::options`] keeps.
pub fn shown_options(views: &[ChoiceView<'_>]) -> Vec<String> {
    views.iter().map(|v| v.choice.id.clone()).collect()
}

/// A finished scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedEnd {
    pub scenario: String,
    pub ending: String,
    pub verdict: Verdict,
    /// ISO 8601 UTC.
    pub at: String,
}

impl LoggedEnd {
    /// The log line for a session that has reached its ending, made at `at`; None if it has not.
    pub fn from_session(scenario: &Scenario, session: &Session, at: SystemTime) -> Option<LoggedEnd> {
        let ending = session.ending(scenario)?;
        Some(LoggedEnd {
            scenario: scenario.id.clone(),
            ending: ending.id.clone(),
            verdict: ending.verdict,
            at: format_utc(at),
        })
    }
}

/// One line of the log, tagged with `"kind"`: `start`, `decision`, `end` or `ballots` (the
/// phones' votes, just before the decision they decided); in "everyone plays", `phone` (one
/// phone's decision in its own run) and `round` (the facilitator ended the round).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum LogLine {
    Start(LogHeader),
    Decision(LoggedDecision),
    End(LoggedEnd),
    Ballots(PhoneBallots),
    Phone(PhoneDecision),
    Round(RoundEnd),
}

/// A log read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedSession {
    pub header: LogHeader,
    pub decisions: Vec<LoggedDecision>,
    pub ends: Vec<LoggedEnd>,
    /// A last line that was cut off or garbled (the program stopped while writing it), and
    /// left out; says which line and what was wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub damaged_tail: Option<String>,
    /// The phones' votes, by decision, when the room voted from phones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ballots: Vec<PhoneBallots>,
    /// "Everyone plays": every phone's decisions in its own run, in the order written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phone_decisions: Vec<PhoneDecision>,
    /// "Everyone plays": when the facilitator ended the round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_end: Option<RoundEnd>,
}

impl RecordedSession {
    /// The decisions made in `scenario`, in order.
    pub fn decisions_of<'a>(&'a self, scenario: &'a str) -> impl Iterator<Item = &'a LoggedDecision> + 'a {
        self.decisions.iter().filter(move |d| d.scenario == scenario)
    }

    /// The session-wide number the next decision gets.
    pub fn next_number(&self) -> u32 {
        self.decisions.last().map_or(1, |d| d.number + 1)
    }

    /// The phones' votes on decision `number` (the last ballots written for it count).
    pub fn ballots_of(&self, number: u32) -> Option<&PhoneBallots> {
        self.ballots.iter().rev().find(|b| b.decision == number)
    }

    /// How `scenario` ended, if it has.
    pub fn end_of(&self, scenario: &str) -> Option<&LoggedEnd> {
        self.ends.iter().find(|e| e.scenario == scenario)
    }
}

/// A log open for appending. On Unix it holds an exclusive lock on the file while it lives, so
/// two programs cannot write the same session.
#[derive(Debug)]
pub struct SessionLog {
    file: File,
    path: PathBuf,
}

impl SessionLog {
    /// Starts a new log at `path` (making its folder if needed) with `header` as its first
    /// line. Refuses to touch a file that already exists.
    pub fn create(path: impl AsRef<Path>, header: LogHeader) -> io::Result<SessionLog> {
        let path = path.as_ref();
        let with_path = |e: io::Error| io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display()));
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(with_path)?;
        }
        // The header goes into a temporary file that then takes the log's name (never replacing
        // a file there), so a log never exists without its `start` line, even after a crash.
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut text = serde_json::to_string(&LogLine::Start(header)).map_err(io::Error::other)?;
        text.push('\n');
        let mut builder = tempfile::Builder::new();
        builder.prefix(".session-log.").suffix(".tmp");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let mut staged = builder.tempfile_in(folder).map_err(with_path)?;
        staged.write_all(text.as_bytes()).and_then(|()| staged.as_file().sync_data()).map_err(with_path)?;
        staged.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                io::Error::new(
                    e.error.kind(),
                    format!(
                        "{} already exists; a session log is never overwritten (resume it, or choose another name)",
                        path.display()
                    ),
                )
            } else {
                with_path(e.error)
            }
        })?;
        sync_folder_of(path);
        let file = OpenOptions::new().append(true).open(path).map_err(with_path)?;
        let log = SessionLog { file, path: path.to_path_buf() };
        log.lock().map_err(|e| io::Error::other(e.to_string()))?;
        Ok(log)
    }

    /// Starts a new log at `path` for a run replayed from a point of an `earlier` one: `header`,
    /// then the earlier log's decisions numbered up to `through` (and the endings of the
    /// scenarios they finish, other than `replaying`), so the new log reads, resumes and
    /// exports on its own.
    pub fn create_branch(
        path: impl AsRef<Path>,
        header: LogHeader,
        earlier: &RecordedSession,
        through: u32,
        replaying: &str,
    ) -> io::Result<SessionLog> {
        let mut log = SessionLog::create(path, header)?;
        let kept: Vec<&LoggedDecision> = earlier.decisions.iter().filter(|d| d.number <= through).collect();
        for (i, decision) in kept.iter().enumerate() {
            log.append_decision(decision)?;
            let last_of_its_scenario = kept.get(i + 1).is_none_or(|next| next.scenario != decision.scenario);
            if last_of_its_scenario
                && decision.scenario != replaying
                && let Some(end) = earlier.end_of(&decision.scenario)
            {
                log.append_end(end)?;
            }
        }
        Ok(log)
    }

    /// Reopens an existing log to go on with it, with what it holds so far. A damaged last
    /// line (see [`RecordedSession::damaged_tail`]) is cut off the file first, so the next line
    /// starts clean; it was never completely written, so nothing decided is lost.
    pub fn open_append(path: impl AsRef<Path>) -> Result<(SessionLog, RecordedSession), LogError> {
        let path = path.as_ref();
        let io_error = |error: io::Error| LogError::Io { path: path.to_path_buf(), error };
        let file = OpenOptions::new().read(true).append(true).open(path).map_err(io_error)?;
        let mut log = SessionLog { file, path: path.to_path_buf() };
        log.lock()?;
        let mut bytes = Vec::new();
        log.file.read_to_end(&mut bytes).map_err(io_error)?;
        let (recorded, intact) = read::parse(path, &bytes)?;
        if intact.length < bytes.len() as u64 {
            log.file.set_len(intact.length).map_err(io_error)?;
        }
        if intact.needs_newline {
            log.file.write_all(b"\n").map_err(io_error)?;
        }
        log.file.sync_data().map_err(io_error)?;
        Ok((log, recorded))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends a decision; on return it is on disk.
    pub fn append_decision(&mut self, decision: &LoggedDecision) -> io::Result<()> {
        self.append(&LogLine::Decision(decision.clone()))
    }

    /// Appends the phones' votes on a decision, before the decision itself; on return it is on disk.
    pub fn append_ballots(&mut self, ballots: &PhoneBallots) -> io::Result<()> {
        self.append(&LogLine::Ballots(ballots.clone()))
    }

    /// Appends one phone's decision in "everyone plays"; on return it is on disk.
    pub fn append_phone(&mut self, decision: &PhoneDecision) -> io::Result<()> {
        self.append(&LogLine::Phone(decision.clone()))
    }

    /// Appends the end of an "everyone plays" round; on return it is on disk.
    pub fn append_round_end(&mut self, end: &RoundEnd) -> io::Result<()> {
        self.append(&LogLine::Round(end.clone()))
    }

    /// Appends a finished scenario; on return it is on disk.
    pub fn append_end(&mut self, end: &LoggedEnd) -> io::Result<()> {
        self.append(&LogLine::End(end.clone()))
    }

    /// Records the decision `session` has just made in `scenario` (the last of its transcript)
    /// and, if it ended the scenario, the ending: the one way the text mode, the game and the
    /// workshop record a decision. `number` counts across the session; `options` are the ids
    /// shown before the choice; `room` is how the room decided (None in solo play). Returns
    /// the decision line, and whether both lines are on disk.
    pub fn record(
        &mut self,
        scenario: &Scenario,
        session: &Session,
        number: u32,
        options: Vec<String>,
        room: Option<RoomCall<'_>>,
        at: SystemTime,
    ) -> Option<(LoggedDecision, io::Result<()>)> {
        let decision = session.transcript.last()?;
        let logged = LoggedDecision::new(scenario, decision, number, options, room, at);
        let written =
            self.append_decision(&logged).and_then(|()| match LoggedEnd::from_session(scenario, session, at) {
                Some(end) => self.append_end(&end),
                None => Ok(()),
            });
        Some((logged, written))
    }

    /// After a failed write: appends those of `decisions` the file does not hold yet (numbered
    /// past its last) and `end` if it is missing, so the log catches up with the run.
    pub fn catch_up(&mut self, decisions: &[LoggedDecision], end: Option<&LoggedEnd>) -> io::Result<()> {
        let on_disk = read_log(&self.path).map_err(|e| io::Error::other(e.to_string()))?;
        let last = on_disk.decisions.last().map_or(0, |d| d.number);
        for decision in decisions.iter().filter(|d| d.number > last) {
            self.append_decision(decision)?;
        }
        if let Some(end) = end.filter(|e| on_disk.end_of(&e.scenario).is_none()) {
            self.append_end(end)?;
        }
        Ok(())
    }

    fn append(&mut self, line: &LogLine) -> io::Result<()> {
        let mut text = serde_json::to_string(line).map_err(io::Error::other)?;
        text.push('\n');
        // One write for the whole line: a crash can cut it short but never interleave it.
        let written = self.file.write_all(text.as_bytes()).and_then(|()| self.file.flush());
        written.and_then(|()| self.file.sync_data()).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot write to the session log {}: {e}", self.path.display()))
        })
    }

    /// Takes the writer's lock. Only where locks are advisory (Unix): a Windows lock would also
    /// stop readers, such as the exports made while a workshop's log is still open.
    #[cfg(unix)]
    fn lock(&self) -> Result<(), LogError> {
        use std::fs::TryLockError;
        match self.file.try_lock() {
            Ok(()) => Ok(()),
            Err(TryLockError::WouldBlock) => Err(LogError::InUse { path: self.path.clone() }),
            // Some file systems cannot lock; the log still works, just unguarded.
            Err(TryLockError::Error(_)) => Ok(()),
        }
    }

    #[cfg(not(unix))]
    fn lock(&self) -> Result<(), LogError> {
        Ok(())
    }
}

/// A new log's path in `folder`: `<name>-<time>-<random>.jsonl`, with a name safe for any file
/// system. The random part keeps two sessions of one name started in the same second apart.
pub fn new_log_path(folder: &Path, name: &str, at: SystemTime) -> PathBuf {
    let safe: String = name
        .chars()
        .take(80)
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let safe = safe.trim_matches('-');
    let stamp = format_utc(at).replace([':', '-'], "");
    let unique = &uuid::Uuid::new_v4().simple().to_string()[..8];
    folder.join(format!("{}-{stamp}-{unique}.jsonl", if safe.is_empty() { "session" } else { safe }))
}

/// Syncs the folder holding a new file, so the file's name survives a power cut too. Best
/// effort: not every platform can open a folder for this.
fn sync_folder_of(path: &Path) {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Ok(folder) = File::open(folder) {
        let _ = folder.sync_all();
    }
}
