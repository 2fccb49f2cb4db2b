//! Evaluating conditions against a session's state.
//!
//! There is one evaluator, [`holds`], generic over [`Knows`], so the interactive session
//! (string flags in a set) and the simulator's fast path (flags as bits) cannot drift apart.

use std::collections::BTreeSet;

use crate::scenario::{Condition, Meter};

use super::meters::Meters;

/// What a condition can look at. Implemented by [`Facts`] and by the simulator's state.
pub trait Knows {
    fn meter(&self, meter: Meter) -> i32;
    fn flag(&self, flag: &str) -> bool;
    fn lesson_met(&self, lesson: &str) -> bool;
    fn lessons_met_count(&self) -> usize;
    fn lesson_applied(&self, lesson: &str) -> bool;
    fn lessons_applied_count(&self) -> usize;
}

/// The facts of an interactive session or a campaign.
pub struct Facts<'a> {
    pub meters: &'a Meters,
    pub flags: &'a BTreeSet<String>,
    pub lessons_met: &'a BTreeSet<String>,
    /// Lessons met by a choice that applies them (`stance: Applies`).
    pub lessons_applied: &'a BTreeSet<String>,
}

impl Knows for Facts<'_> {
    fn meter(&self, meter: Meter) -> i32 {
        self.meters.get(meter)
    }

    fn flag(&self, flag: &str) -> bool {
        self.flags.contains(flag)
    }

    fn lesson_met(&self, lesson: &str) -> bool {
        self.lessons_met.contains(lesson)
    }

    fn lessons_met_count(&self) -> usize {
        self.lessons_met.len()
    }

    fn lesson_applied(&self, lesson: &str) -> bool {
        self.lessons_applied.contains(lesson)
    }

    fn lessons_applied_count(&self) -> usize {
        self.lessons_applied.len()
    }
}

pub fn holds(condition: &Condition, facts: &impl Knows) -> bool {
    match condition {
        Condition::All(list) => list.iter().all(|c| holds(c, facts)),
        Condition::Any(list) => list.iter().any(|c| holds(c, facts)),
        Condition::Not(inner) => !holds(inner, facts),
        Condition::MeterAtLeast(meter, value) => facts.meter(*meter) >= *value,
        Condition::MeterAtMost(meter, value) => facts.meter(*meter) <= *value,
        Condition::Flag(flag) => facts.flag(flag),
        Condition::LessonMet(id) => facts.lesson_met(id),
        Condition::LessonsMetAtLeast(n) => facts.lessons_met_count() >= *n as usize,
        Condition::LessonApplied(id) => facts.lesson_applied(id),
        Condition::LessonsAppliedAtLeast(n) => facts.lessons_applied_count() >= *n as usize,
    }
}

/// A short reason a player can read, used when a file shows a locked choice without one.
pub fn describe(condition: &Condition) -> String {
    match condition {
        Condition::All(list) => list.iter().map(describe).collect::<Vec<_>>().join(" and "),
        Condition::Any(list) => list.iter().map(describe).collect::<Vec<_>>().join(" or "),
        Condition::Not(inner) => format!("not ({})", describe(inner)),
        Condition::MeterAtLeast(meter, value) => format!("needs {} {value}", meter.label().to_lowercase()),
        Condition::MeterAtMost(meter, value) => format!("needs {} at most {value}", meter.label().to_lowercase()),
        Condition::Flag(flag) => format!("needs an earlier choice ({flag})"),
        Condition::LessonMet(id) => format!("needs lesson {id}"),
        Condition::LessonsMetAtLeast(n) => format!("needs {n} lessons met"),
        Condition::LessonApplied(id) => format!("needs lesson {id} applied"),
        Condition::LessonsAppliedAtLeast(n) => format!("needs {n} lessons applied"),
    }
}
