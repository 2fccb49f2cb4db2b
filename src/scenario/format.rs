//! The scenario file format, version 1, as Rust types.
//!
//! Every struct denies unknown fields so a typo is an error, never silently ignored.
//! Ids are plain strings; saves, logs and exports refer to them, never to positions.

use serde::{Deserialize, Serialize};

/// The format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// One of the three meters every choice can move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Meter {
    Trust,
    StrategicImpact,
    TeamEngagement,
}

impl Meter {
    pub const ALL: [Meter; 3] = [Meter::Trust, Meter::StrategicImpact, Meter::TeamEngagement];

    /// The name used in files and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Meter::Trust => "trust",
            Meter::StrategicImpact => "strategic_impact",
            Meter::TeamEngagement => "team_engagement",
        }
    }

    /// The name shown to players.
    pub fn label(self) -> &'static str {
        match self {
            Meter::Trust => "Trust",
            Meter::StrategicImpact => "Strategic impact",
            Meter::TeamEngagement => "Team engagement",
        }
    }
}

/// Changes to the meters; a choice lists only the meters it moves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Effects {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strategic_impact: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_engagement: Option<i32>,
}

impl Effects {
    pub fn get(&self, meter: Meter) -> i32 {
        match meter {
            Meter::Trust => self.trust,
            Meter::StrategicImpact => self.strategic_impact,
            Meter::TeamEngagement => self.team_engagement,
        }
        .unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        Meter::ALL.iter().all(|m| self.get(*m) == 0)
    }

    /// The meters this effect names, with their change.
    pub fn listed(&self) -> impl Iterator<Item = (Meter, i32)> + '_ {
        Meter::ALL.into_iter().filter_map(|m| self.raw(m).map(|v| (m, v)))
    }

    fn raw(&self, meter: Meter) -> Option<i32> {
        match meter {
            Meter::Trust => self.trust,
            Meter::StrategicImpact => self.strategic_impact,
            Meter::TeamEngagement => self.team_engagement,
        }
    }
}

/// Starting values of the three meters (0..=100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartMeters {
    pub trust: i32,
    pub strategic_impact: i32,
    pub team_engagement: i32,
}

impl Default for StartMeters {
    fn default() -> Self {
        StartMeters { trust: 50, strategic_impact: 50, team_engagement: 50 }
    }
}

/// A test over meters, flags and lessons met, used by locked choices and rule endings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    MeterAtLeast(Meter, i32),
    MeterAtMost(Meter, i32),
    Flag(String),
    /// The player has already met this lesson (campaign reviews use it most).
    LessonMet(String),
    /// The player has met at least this many distinct lessons.
    LessonsMetAtLeast(u32),
    /// The player has taken a choice that applies this lesson (`stance: Applies`).
    LessonApplied(String),
    /// The player has applied at least this many distinct lessons.
    LessonsAppliedAtLeast(u32),
}

/// How a choice stands to its lesson: the designer's judgement, written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stance {
    /// The choice puts the lesson into practice.
    Applies,
    /// Right in part (clear goals set before hearing the person, say).
    Partly,
    /// The choice shows what ignoring the lesson costs.
    Misses,
}

impl Stance {
    pub fn id(self) -> &'static str {
        match self {
            Stance::Applies => "applies",
            Stance::Partly => "partly",
            Stance::Misses => "misses",
        }
    }

    /// "you applied L03", "you partly applied L03", "you missed L21".
    pub fn verb(self) -> &'static str {
        match self {
            Stance::Applies => "applied",
            Stance::Partly => "partly applied",
            Stance::Misses => "missed",
        }
    }
}

/// How a road not taken stands to its lesson: "applies", "partly applies", "misses", or
/// "teaches" without a stance.
pub fn taught_verb(stance: Option<Stance>) -> &'static str {
    match stance {
        Some(Stance::Applies) => "applies",
        Some(Stance::Partly) => "partly applies",
        Some(Stance::Misses) => "misses",
        None => "teaches",
    }
}

/// "You applied L03" for a known stance, "You met L03" without one.
pub fn stance_phrase(stance: Option<Stance>, lesson: &str) -> String {
    match stance {
        Some(stance) => format!("You {} {lesson}", stance.verb()),
        None => format!("You met {lesson}"),
    }
}

/// What a locked choice looks like to the player.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locked {
    /// The player never sees the choice while it is locked.
    #[default]
    Hide,
    /// The player sees it greyed out with this reason.
    Show(String),
}

/// Where a choice leads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Next {
    Beat(String),
    Ending(String),
}

/// An effect that lands some decisions later.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Later {
    /// How many further decisions pass before it lands (1 = with the next decision).
    pub after: u32,
    #[serde(default)]
    pub effects: Effects,
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sets: Vec<String>,
}

/// One weighted outcome of a chance choice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub weight: i32,
    pub text: String,
    #[serde(default)]
    pub effects: Effects,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sets: Vec<String>,
    /// Overrides the choice's `next` when this outcome is drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Next>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub effects: Effects,
    pub lesson: String,
    /// Whether the choice applies its lesson; missing in files written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    pub feedback: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<Condition>,
    #[serde(default)]
    pub locked: Locked,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub later: Vec<Later>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<Outcome>,
    pub next: Next,
    /// Marks a choice that beats a sibling on every meter on purpose (silences the warning).
    #[serde(default)]
    pub dominant_intended: bool,
}

impl Choice {
    /// Everything the choice does to the meters on average: now, by chance, and later.
    pub fn expected_effects(&self) -> [f64; 3] {
        // Summed wider than a weight: two weights near i32::MAX would overflow.
        let total_weight: i64 = self.outcomes.iter().map(|o| i64::from(o.weight.max(0))).sum();
        Meter::ALL.map(|meter| {
            let now = self.effects.get(meter) as f64;
            let chance = if total_weight > 0 {
                self.outcomes.iter().map(|o| o.weight.max(0) as f64 * o.effects.get(meter) as f64).sum::<f64>()
                    / total_weight as f64
            } else {
                0.0
            };
            let later: f64 = self.later.iter().map(|l| l.effects.get(meter) as f64).sum();
            now + chance + later
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Beat {
    pub id: String,
    /// A cast member id; none for narration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    pub text: String,
    /// A question for the room, shown in workshop mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discuss: Option<String>,
    /// Where and when the beat happens ("Tuesday, 18:40 · Dana's office"), shown above it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene: Option<String>,
    pub choices: Vec<Choice>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Verdict {
    Strong,
    Mixed,
    Weak,
}

impl Verdict {
    /// Higher is better; used to rank the best ending reached.
    pub fn rank(self) -> u8 {
        match self {
            Verdict::Strong => 2,
            Verdict::Mixed => 1,
            Verdict::Weak => 0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Strong => "Strong",
            Verdict::Mixed => "Mixed",
            Verdict::Weak => "Weak",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    pub id: String,
    pub title: String,
    pub verdict: Verdict,
    pub text: String,
    /// A rule ending: reached as soon as this holds after a decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Marks an ending meant to be rare (silences the `rare-ending` warning).
    #[serde(default)]
    pub rare_intended: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CastMember {
    pub id: String,
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub format: u32,
    pub id: String,
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub lessons: Vec<String>,
    /// Two to four learning objectives, one line each (debriefs and exports show them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<String>,
    /// Two to five questions for the room after the scenario.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub debrief_questions: Vec<String>,
    /// Flags shared with the other scenarios of a campaign: this scenario may read them
    /// although an earlier scenario sets them, and those it sets are passed on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub campaign_flags: Vec<String>,
    #[serde(default)]
    pub start_meters: StartMeters,
    #[serde(default)]
    pub cast: Vec<CastMember>,
    pub start: String,
    pub beats: Vec<Beat>,
    pub endings: Vec<Ending>,
}

impl Scenario {
    pub fn beat(&self, id: &str) -> Option<&Beat> {
        self.beats.iter().find(|b| b.id == id)
    }

    pub fn ending(&self, id: &str) -> Option<&Ending> {
        self.endings.iter().find(|e| e.id == id)
    }

    pub fn cast_member(&self, id: &str) -> Option<&CastMember> {
        self.cast.iter().find(|c| c.id == id)
    }

    /// The choice with this id in this beat.
    pub fn choice(&self, beat: &str, choice: &str) -> Option<&Choice> {
        self.beat(beat)?.choices.iter().find(|c| c.id == choice)
    }
}

/// One result of a campaign's final review; the first whose `when` holds is given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewOutcome {
    pub id: String,
    pub title: String,
    pub verdict: Verdict,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
}

/// A sequence of scenarios played in order, meters carried over, ending in a review.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub format: u32,
    pub id: String,
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub start_meters: StartMeters,
    /// Scenario ids, played in this order.
    pub scenarios: Vec<String>,
    #[serde(default = "yes")]
    pub carry_meters: bool,
    /// Ordered: the first outcome whose condition holds is the review's result.
    pub review: Vec<ReviewOutcome>,
}

fn yes() -> bool {
    true
}
