//! What a run did with each lesson it met, for debriefs: "you applied L03", "you missed L21".

use crate::scenario::Stance;

use super::session::Decision;

/// Each (lesson, stance) pair the decisions show, once, sorted by lesson then stance
/// (Applies before Partly before Misses; no stance last).
pub fn lesson_stances(decisions: &[Decision]) -> Vec<(String, Option<Stance>)> {
    sorted_lesson_stances(decisions.iter().map(|d| (d.lesson.clone(), d.stance)))
}

/// The (lesson, stance) pairs given, once each, in the order of [`lesson_stances`].
pub fn sorted_lesson_stances(
    pairs: impl IntoIterator<Item = (String, Option<Stance>)>,
) -> Vec<(String, Option<Stance>)> {
    let mut pairs: Vec<(String, Option<Stance>)> = pairs.into_iter().collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| rank(a.1).cmp(&rank(b.1))));
    pairs.dedup();
    pairs
}

fn rank(stance: Option<Stance>) -> u8 {
    match stance {
        Some(Stance::Applies) => 0,
        Some(Stance::Partly) => 1,
        Some(Stance::Misses) => 2,
        None => 3,
    }
}
