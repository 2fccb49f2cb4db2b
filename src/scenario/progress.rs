//! How far a run is through a scenario, read from its graph: from a beat, the fewest and
//! the most decisions still to come before an ending (every choice and every chance outcome
//! followed, no beat twice on one path). The screens say "decision 3, about 5 to go".

use std::collections::{BTreeMap, BTreeSet};

use super::{Next, Scenario};

/// Decisions still to come from `beat`, this one included: (fewest, most). None for a beat
/// the scenario does not have.
pub fn decisions_to_go(scenario: &Scenario, beat: &str) -> Option<(u32, u32)> {
    scenario.beat(beat)?;
    let mut memo = BTreeMap::new();
    Some(span(scenario, beat, &mut BTreeSet::new(), &mut memo))
}

/// "about 5 to go" (the middle of the span, rounded), or "the last decision".
pub fn to_go_words(scenario: &Scenario, beat: &str) -> Option<String> {
    let (fewest, most) = decisions_to_go(scenario, beat)?;
    let after_this = (fewest + most).div_ceil(2).saturating_sub(1);
    Some(match (after_this, fewest == most) {
        (0, _) => "the last decision".to_string(),
        (1, true) => "1 more to go".to_string(),
        (n, true) => format!("{n} more to go"),
        (n, false) => format!("about {n} more to go"),
    })
}

fn span(
    scenario: &Scenario,
    beat: &str,
    on_path: &mut BTreeSet<String>,
    memo: &mut BTreeMap<String, (u32, u32)>,
) -> (u32, u32) {
    if let Some(known) = memo.get(beat) {
        return *known;
    }
    let Some(node) = scenario.beat(beat) else { return (0, 0) };
    on_path.insert(beat.to_string());
    let mut fewest = u32::MAX;
    let mut most = 0;
    let nexts = node
        .choices
        .iter()
        .flat_map(|c| std::iter::once(&c.next).chain(c.outcomes.iter().filter_map(|o| o.next.as_ref())));
    for next in nexts {
        let (low, high) = match next {
            Next::Ending(_) => (0, 0),
            // A loop back is left out: it cannot be counted on one path.
            Next::Beat(id) if on_path.contains(id) => continue,
            Next::Beat(id) => span(scenario, id, on_path, memo),
        };
        fewest = fewest.min(low);
        most = most.max(high);
    }
    on_path.remove(beat);
    let result = (if fewest == u32::MAX { 1 } else { fewest + 1 }, most + 1);
    memo.insert(beat.to_string(), result);
    result
}
