//! Picking a recorded session up again: the recorded choices are replayed through the
//! engine with the recorded seed, and every decision must come out as it was recorded. If
//! one does not, the scenario file changed since, and going on would mix two versions of it.

use crate::scenario::Scenario;

use super::RecordedSession;
use crate::engine::meters::Meters;
use crate::engine::session::{ChooseError, Session};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResumeError {
    /// The log is of another scenario.
    #[error("this session log is of the scenario `{recorded}`, not `{wanted}`")]
    WrongScenario { recorded: String, wanted: String },
    /// A recorded choice cannot be made any more.
    #[error("decision {number} (`{choice}` at the beat `{beat}`) cannot be replayed: {why}; {CHANGED}")]
    CannotReplay { number: u32, beat: String, choice: String, why: ChooseError },
    /// A recorded choice plays out differently now.
    #[error("decision {number} no longer plays out as recorded: {what}; {CHANGED}")]
    Diverged { number: u32, what: String },
    /// A one-scenario log holds a decision or an ending of another scenario.
    #[error(
        "the log records the scenario `{scenario}`, but {line} is of `{logged}`; the log was edited or mixed with \
         another, so it is not resumed (nothing was written to it)"
    )]
    Foreign { line: String, scenario: String, logged: String },
    /// The log says the scenario ended, but its decisions do not reach that ending.
    #[error(
        "the log says `{scenario}` ended with `{logged}`, but its decisions do not get there ({}); the log was \
         edited, so it is not resumed (nothing was written to it)",
        reached.as_ref().map_or("they stop before any ending".to_string(), |id| format!("they reach the ending `{id}`"))
    )]
    EndWithoutEnding { scenario: String, logged: String, reached: Option<String> },
}

const CHANGED: &str = "the scenario has changed since the session was recorded";

/// The session of `scenario` recorded in the log, replayed from a fresh start with the log's
/// seed: ready to go on at the next decision, or already over if the log reached an ending.
pub fn resume(recorded: &RecordedSession, scenario: &Scenario) -> Result<Session, ResumeError> {
    if recorded.header.campaign.is_none() {
        if let Some(id) = recorded.header.scenario.as_ref().filter(|id| **id != scenario.id) {
            return Err(ResumeError::WrongScenario { recorded: id.clone(), wanted: scenario.id.clone() });
        }
        // Lines of another scenario would be skipped by the replay, and then numbered over.
        let foreign = |line: String, logged: &str| ResumeError::Foreign {
            line,
            scenario: scenario.id.clone(),
            logged: logged.to_string(),
        };
        if let Some(d) = recorded.decisions.iter().find(|d| d.scenario != scenario.id) {
            return Err(foreign(format!("decision {}", d.number), &d.scenario));
        }
        if let Some(e) = recorded.ends.iter().find(|e| e.scenario != scenario.id) {
            return Err(foreign("an `end` line".to_string(), &e.scenario));
        }
    }
    resume_stage(recorded, scenario, Session::new(scenario, recorded.header.seed))
}

/// Like [`resume`], from a given fresh `start` (a campaign stage's, with its own seed and the
/// meters and lessons carried into it): replays the log's decisions of `scenario` onto it.
pub fn resume_stage(recorded: &RecordedSession, scenario: &Scenario, start: Session) -> Result<Session, ResumeError> {
    let mut session = start;
    for logged in recorded.decisions_of(&scenario.id) {
        let number = logged.number;
        let diverged = |what: String| ResumeError::Diverged { number, what };
        match &session.position {
            crate::engine::Position::AtBeat(beat) if *beat != logged.beat => {
                return Err(diverged(format!(
                    "it was made at the beat `{}`, but the replay is at `{beat}`",
                    logged.beat
                )));
            }
            _ => {}
        }
        if session.meters != logged.meters_before {
            return Err(diverged(format!(
                "the meters before it were {}, but the replay has {}",
                meters_text(&logged.meters_before),
                meters_text(&session.meters)
            )));
        }
        let replayed = session.choose(scenario, &logged.chosen).map_err(|why| ResumeError::CannotReplay {
            number,
            beat: logged.beat.clone(),
            choice: logged.chosen.clone(),
            why,
        })?;
        if replayed.meters_after != logged.meters_after {
            return Err(diverged(format!(
                "it left the meters at {}, but the replay leaves them at {}",
                meters_text(&logged.meters_after),
                meters_text(&replayed.meters_after)
            )));
        }
    }
    // An `end` line must be where the decisions lead, or going on would record past it.
    if let Some(end) = recorded.end_of(&scenario.id) {
        let reached = session.ending(scenario).map(|e| e.id.clone());
        if reached.as_deref() != Some(end.ending.as_str()) {
            return Err(ResumeError::EndWithoutEnding {
                scenario: scenario.id.clone(),
                logged: end.ending.clone(),
                reached,
            });
        }
    }
    Ok(session)
}

fn meters_text(meters: &Meters) -> String {
    format!("trust {}, impact {}, engagement {}", meters.trust, meters.strategic_impact, meters.team_engagement)
}
