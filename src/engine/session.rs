//! A run through one scenario: state, decisions and the transcript. The order of a decision
//! is `decision::resolve`'s; this file says how each step changes a session.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::scenario::{Beat, Choice, Ending, Locked, Next, Outcome, Scenario, Stance};

use super::chance::draw_weighted;
use super::conditions::{Facts, describe, holds};
use super::decision::{DecisionSteps, resolve};
use super::meters::Meters;

/// Where a session stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Position {
    AtBeat(String),
    Ended(String),
}

/// A delayed effect waiting to land.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Pending {
    /// The decision number (1-based) with which it lands.
    pub due: u32,
    pub from_beat: String,
    pub from_choice: String,
    pub effects: crate::scenario::Effects,
    pub text: String,
    pub sets: Vec<String>,
}

/// A delayed effect as it landed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Landed {
    pub from_beat: String,
    pub from_choice: String,
    pub text: String,
    pub effects: crate::scenario::Effects,
}

/// The outcome drawn for a chance choice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Drawn {
    /// Position of the outcome in the choice's `outcomes` list.
    pub index: usize,
    pub text: String,
}

/// One decision, as the transcript keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Decision {
    /// 1-based.
    pub number: u32,
    pub beat: String,
    pub choice: String,
    pub lesson: String,
    /// How the choice stands to its lesson (none in files without stances).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    pub outcome: Option<Drawn>,
    pub landed: Vec<Landed>,
    pub meters_before: Meters,
    pub meters_after: Meters,
    /// Where the decision led.
    pub led_to: Position,
}

impl Decision {
    pub fn delta(&self) -> [i32; 3] {
        self.meters_after.delta_since(&self.meters_before)
    }
}

/// A choice as the player sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceView<'a> {
    pub choice: &'a Choice,
    /// None when the choice can be taken; the reason to show when it is locked.
    pub locked_reason: Option<String>,
}

impl ChoiceView<'_> {
    pub fn available(&self) -> bool {
        self.locked_reason.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChooseError {
    #[error("the scenario has already ended")]
    Ended,
    #[error("there is no choice `{0}` here")]
    NoSuchChoice(String),
    #[error("that choice is locked: {0}")]
    Locked(String),
    /// The session points at a beat the scenario no longer has (after an edit).
    #[error("the scenario no longer has the beat `{0}`")]
    MissingBeat(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub scenario_id: String,
    pub seed: u64,
    pub meters: Meters,
    pub flags: BTreeSet<String>,
    pub pending: Vec<Pending>,
    pub position: Position,
    pub transcript: Vec<Decision>,
    /// Lessons met before this scenario (campaigns carry them); this run's are in the transcript.
    #[serde(default)]
    pub lessons_before: BTreeSet<String>,
    /// Lessons applied before this scenario (campaigns carry them).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub applied_before: BTreeSet<String>,
    /// Campaign flags carried in from earlier scenarios.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub flags_before: BTreeSet<String>,
}

impl Session {
    pub fn new(scenario: &Scenario, seed: u64) -> Session {
        Session::with_meters(scenario, seed, scenario.start_meters.into(), BTreeSet::new())
    }

    /// Starts with given meters and lessons (a campaign carrying them over).
    pub fn with_meters(scenario: &Scenario, seed: u64, meters: Meters, lessons_before: BTreeSet<String>) -> Session {
        Session {
            scenario_id: scenario.id.clone(),
            seed,
            meters,
            flags: BTreeSet::new(),
            pending: Vec::new(),
            position: Position::AtBeat(scenario.start.clone()),
            transcript: Vec::new(),
            lessons_before,
            applied_before: BTreeSet::new(),
            flags_before: BTreeSet::new(),
        }
    }

    /// Starts where a campaign stage starts (see `CampaignRun::stage_start`).
    pub fn at_stage(scenario: &Scenario, start: &super::campaign::StageStart) -> Session {
        Session::with_meters(scenario, start.seed, start.meters, start.lessons_met.clone())
            .carrying(start.lessons_applied.clone(), start.flags.clone())
    }

    /// Adds what a campaign carries besides meters and lessons met: lessons applied and
    /// the campaign flags set by earlier scenarios.
    pub fn carrying(mut self, applied_before: BTreeSet<String>, flags_before: BTreeSet<String>) -> Session {
        self.flags.extend(flags_before.iter().cloned());
        self.applied_before = applied_before;
        self.flags_before = flags_before;
        self
    }

    /// Plays `choices` (by id) from the start; used for replays and "replay from here".
    pub fn replay(scenario: &Scenario, seed: u64, choices: &[&str]) -> Result<Session, ChooseError> {
        let mut session = Session::new(scenario, seed);
        for id in choices {
            session.choose(scenario, id)?;
        }
        Ok(session)
    }

    pub fn decisions_made(&self) -> u32 {
        self.transcript.len() as u32
    }

    pub fn lessons_met(&self) -> BTreeSet<String> {
        let mut met = self.lessons_before.clone();
        met.extend(self.transcript.iter().map(|d| d.lesson.clone()));
        met
    }

    /// Lessons met by a choice that applies them, this run and before it.
    pub fn lessons_applied(&self) -> BTreeSet<String> {
        let mut applied = self.applied_before.clone();
        applied.extend(self.transcript.iter().filter(|d| d.stance == Some(Stance::Applies)).map(|d| d.lesson.clone()));
        applied
    }

    pub fn is_over(&self) -> bool {
        matches!(self.position, Position::Ended(_))
    }

    pub fn current_beat<'a>(&self, scenario: &'a Scenario) -> Result<Option<&'a Beat>, ChooseError> {
        match &self.position {
            Position::Ended(_) => Ok(None),
            Position::AtBeat(id) => scenario.beat(id).map(Some).ok_or_else(|| ChooseError::MissingBeat(id.clone())),
        }
    }

    pub fn ending<'a>(&self, scenario: &'a Scenario) -> Option<&'a Ending> {
        match &self.position {
            Position::Ended(id) => scenario.ending(id),
            Position::AtBeat(_) => None,
        }
    }

    /// The choices the player sees now: available ones and locked ones the file shows.
    pub fn visible_choices<'a>(&self, scenario: &'a Scenario) -> Vec<ChoiceView<'a>> {
        let Ok(Some(beat)) = self.current_beat(scenario) else { return Vec::new() };
        let lessons = self.lessons_met();
        let applied = self.lessons_applied();
        let facts =
            Facts { meters: &self.meters, flags: &self.flags, lessons_met: &lessons, lessons_applied: &applied };
        beat.choices
            .iter()
            .filter_map(|choice| match &choice.requires {
                Some(condition) if !holds(condition, &facts) => match &choice.locked {
                    Locked::Hide => None,
                    Locked::Show(reason) => {
                        let reason = if reason.trim().is_empty() { describe(condition) } else { reason.clone() };
                        Some(ChoiceView { choice, locked_reason: Some(reason) })
                    }
                },
                _ => Some(ChoiceView { choice, locked_reason: None }),
            })
            .collect()
    }

    /// Applies the player's choice and returns the decision as recorded.
    pub fn choose(&mut self, scenario: &Scenario, choice_id: &str) -> Result<&Decision, ChooseError> {
        let beat = self.current_beat(scenario)?.ok_or(ChooseError::Ended)?;
        let view = self
            .visible_choices(scenario)
            .into_iter()
            .find(|v| v.choice.id == choice_id)
            .ok_or_else(|| ChooseError::NoSuchChoice(choice_id.to_string()))?;
        if let Some(reason) = view.locked_reason {
            return Err(ChooseError::Locked(reason));
        }
        let choice = view.choice;
        let number = self.decisions_made() + 1;
        let meters_before = self.meters;
        let weights: Vec<i32> = choice.outcomes.iter().map(|o| o.weight).collect();
        let drawn = draw_weighted(self.seed, number, &weights);
        let (lessons, applied) = (self.lessons_met(), self.lessons_applied());
        let mut steps = SessionSteps { session: self, scenario, beat, choice, lessons, applied, landed: Vec::new() };
        let led_to = resolve(&mut steps, number, drawn.map(|i| &choice.outcomes[i]));
        let landed = steps.landed;
        self.position = led_to.clone();
        self.transcript.push(Decision {
            number,
            beat: beat.id.clone(),
            choice: choice.id.clone(),
            lesson: choice.lesson.clone(),
            stance: choice.stance,
            outcome: drawn.map(|index| Drawn { index, text: choice.outcomes[index].text.clone() }),
            landed,
            meters_before,
            meters_after: self.meters,
            led_to,
        });
        Ok(self.transcript.last().expect("just pushed"))
    }

    /// This run rewound to just before decision `number` (1-based): the same seed and starting
    /// state, with the earlier choices replayed. `number` 1 restarts the run.
    pub fn rewound(&self, scenario: &Scenario, number: u32) -> Result<Session, ChooseError> {
        self.restarted(scenario, self.seed).and_then(|mut session| {
            for decision in self.transcript.iter().take(number.saturating_sub(1) as usize) {
                session.choose(scenario, &decision.choice)?;
            }
            Ok(session)
        })
    }

    /// A fresh run with the same starting meters and lessons as this one, and the given seed.
    pub fn restarted(&self, scenario: &Scenario, seed: u64) -> Result<Session, ChooseError> {
        let meters = self.transcript.first().map_or(self.meters, |d| d.meters_before);
        Ok(Session::with_meters(scenario, seed, meters, self.lessons_before.clone())
            .carrying(self.applied_before.clone(), self.flags_before.clone()))
    }

    /// The choice ids taken so far, in order (what a replay needs besides the seed).
    pub fn choice_path(&self) -> Vec<&str> {
        self.transcript.iter().map(|d| d.choice.as_str()).collect()
    }
}

/// One decision being resolved against a session (see `decision::resolve` for the order).
struct SessionSteps<'s, 'a> {
    session: &'s mut Session,
    scenario: &'a Scenario,
    beat: &'a Beat,
    choice: &'a Choice,
    /// The lessons met and applied, with this choice's once step 6 has run.
    lessons: BTreeSet<String>,
    applied: BTreeSet<String>,
    landed: Vec<Landed>,
}

impl<'a> DecisionSteps for SessionSteps<'_, 'a> {
    type Outcome = &'a Outcome;
    type Dest = Position;

    fn apply_choice_effects(&mut self) {
        self.session.meters.apply(&self.choice.effects);
    }

    fn apply_outcome(&mut self, outcome: &'a Outcome) {
        self.session.meters.apply(&outcome.effects);
        self.session.flags.extend(outcome.sets.iter().cloned());
    }

    fn set_choice_flags(&mut self) {
        self.session.flags.extend(self.choice.sets.iter().cloned());
    }

    fn schedule_delayed(&mut self, number: u32) {
        for later in &self.choice.later {
            self.session.pending.push(Pending {
                due: number.saturating_add(later.after.max(1)),
                from_beat: self.beat.id.clone(),
                from_choice: self.choice.id.clone(),
                effects: later.effects,
                text: later.text.clone(),
                sets: later.sets.clone(),
            });
        }
    }

    fn land_due(&mut self, number: u32) {
        let session = &mut *self.session;
        let (due, waiting): (Vec<Pending>, Vec<Pending>) = session.pending.drain(..).partition(|p| p.due <= number);
        session.pending = waiting;
        for p in due {
            session.meters.apply(&p.effects);
            session.flags.extend(p.sets);
            self.landed.push(Landed {
                from_beat: p.from_beat,
                from_choice: p.from_choice,
                text: p.text,
                effects: p.effects,
            });
        }
    }

    fn meet_lesson(&mut self) {
        // The transcript, from which `lessons_met` is read, gets it when the decision is pushed.
        self.lessons.insert(self.choice.lesson.clone());
        if self.choice.stance == Some(Stance::Applies) {
            self.applied.insert(self.choice.lesson.clone());
        }
    }

    fn rule_ending(&self) -> Option<Position> {
        let facts = Facts {
            meters: &self.session.meters,
            flags: &self.session.flags,
            lessons_met: &self.lessons,
            lessons_applied: &self.applied,
        };
        let ending = self.scenario.endings.iter().find(|e| e.when.as_ref().is_some_and(|w| holds(w, &facts)))?;
        Some(Position::Ended(ending.id.clone()))
    }

    fn destination(&self, outcome: Option<&'a Outcome>) -> Position {
        match outcome.and_then(|o| o.next.as_ref()).unwrap_or(&self.choice.next) {
            Next::Beat(id) => Position::AtBeat(id.clone()),
            Next::Ending(id) => Position::Ended(id.clone()),
        }
    }

    fn is_ending(dest: &Position) -> bool {
        matches!(dest, Position::Ended(_))
    }

    fn drop_pending(&mut self) {
        self.session.pending.clear();
    }
}
