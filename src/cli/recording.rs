//! `leap play --text --record LOG` and `--resume LOG`: setting up the session log for a
//! terminal run, or picking a recorded run up again where it stopped.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::engine::Session;
use crate::record::{LogHeader, Mode, SessionLog, resume};
use crate::scenario::{Corpus, Scenario};

/// Where a terminal run keeps its record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Recording {
    #[default]
    Off,
    /// A new log at this path (refused if the file exists).
    New(PathBuf),
    /// Go on with the run recorded in this log, appending to it.
    Resume(PathBuf),
}

/// A recorded run picked up again.
#[derive(Debug)]
pub struct Resumed<'a> {
    pub scenario: &'a Scenario,
    /// Replayed up to the last recorded decision.
    pub session: Session,
    pub log: SessionLog,
    /// The run's ending is already in the log (nothing is left to play or to write).
    pub end_logged: bool,
    /// Says what was wrong with a damaged last line, which was left out.
    pub damaged_tail: Option<String>,
}

/// Starts a log for a solo terminal run of `scenario`; the session is named after the file.
pub fn start_log(path: &Path, scenario: &Scenario, seed: u64) -> Result<SessionLog, String> {
    let name = path.file_stem().map_or_else(|| "session".to_string(), |s| s.to_string_lossy().into_owned());
    let header = LogHeader::for_run(name, Mode::Solo, seed, scenario, None, SystemTime::now());
    SessionLog::create(path, header).map_err(|e| e.to_string())
}

/// Opens the log at `path` and replays it. `wanted` and `seed`, when given on the command
/// line, must agree with the log.
pub fn resume_log<'a>(
    corpus: &'a Corpus,
    wanted: Option<&str>,
    seed: Option<u64>,
    path: &Path,
) -> Result<Resumed<'a>, String> {
    let (log, recorded) = SessionLog::open_append(path).map_err(|e| e.to_string())?;
    let header = &recorded.header;
    if header.campaign.is_some() {
        return Err(format!("{} records a campaign; resume it in the game", path.display()));
    }
    let Some(id) = header.scenario.as_deref().or(wanted) else {
        return Err(format!(
            "{} does not say which scenario it records; name it: leap play --text SCENARIO",
            path.display()
        ));
    };
    if let Some(seed) = seed.filter(|s| *s != header.seed) {
        return Err(format!(
            "{} was recorded with seed {}, not {seed}; leave out --seed to resume it",
            path.display(),
            header.seed
        ));
    }
    // A scenario named on the command line (an id, or a file for scenarios outside the
    // folder) is looked up as given; `resume` then refuses it if it is not the log's.
    let scenario = corpus.find(wanted.unwrap_or(id))?;
    let session = resume(&recorded, scenario).map_err(|e| format!("cannot resume {}: {e}", path.display()))?;
    Ok(Resumed {
        scenario,
        session,
        end_logged: recorded.end_of(&scenario.id).is_some(),
        damaged_tail: recorded.damaged_tail.clone(),
        log,
    })
}
