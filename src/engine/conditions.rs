//! Evaluating conditions against a session's state.

use std::collections::BTreeSet;

use crate::scenario::Condition;

use super::meters::Meters;

/// What a condition can look at.
pub struct Facts<'a> {
    pub meters: &'a Meters,
    pub flags: &'a BTreeSet<String>,
    pub lessons_met: &'a BTreeSet<String>,
}

pub fn holds(condition: &Condition, facts: &Facts) -> bool {
    match condition {
        Condition::All(list) => list.iter().all(|c| holds(c, facts)),
        Condition::Any(list) => list.iter().any(|c| holds(c, facts)),
        Condition::Not(inner) => !holds(inner, facts),
        Condition::MeterAtLeast(meter, value) => facts.meters.get(*meter) >= *value,
        Condition::MeterAtMost(meter, value) => facts.meters.get(*meter) <= *value,
        Condition::Flag(flag) => facts.flags.contains(flag),
        Condition::LessonMet(id) => facts.lessons_met.contains(id),
        Condition::LessonsMetAtLeast(n) => facts.lessons_met.len() >= *n as usize,
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
    }
}
