//! What the log does not keep, recovered by replaying it: which delayed consequences landed
//! at which decision. The log keeps the seed and every choice, so the engine plays each
//! scenario of the session again exactly; a scenario that cannot be found, or that changed
//! since, simply gives nothing and the report shows what the log alone says.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::{Decision, Session};
use crate::record::RecordedSession;
use crate::scenario::Scenario;

/// The scenario ids of the session, in the order they were played.
pub fn scenario_order(recorded: &RecordedSession) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    let played = recorded.decisions.iter().map(|d| &d.scenario).chain(recorded.ends.iter().map(|e| &e.scenario));
    for id in played.chain(recorded.header.scenario.as_ref()) {
        if !order.contains(id) {
            order.push(id.clone());
        }
    }
    order
}

/// The engine's decision for each logged decision number that replays as recorded.
pub fn replayed(recorded: &RecordedSession, scenarios: &[&Scenario]) -> BTreeMap<u32, Decision> {
    let mut out = BTreeMap::new();
    let mut lessons: BTreeSet<String> = BTreeSet::new();
    for (stage, id) in scenario_order(recorded).iter().enumerate() {
        let logged: Vec<_> = recorded.decisions_of(id).collect();
        let (Some(scenario), Some(first)) = (super::find(scenarios, id), logged.first()) else { continue };
        // A campaign's stage n has the seed plus n (see CampaignRun::start_stage).
        let seed = if recorded.header.campaign.is_some() {
            recorded.header.seed.wrapping_add(stage as u64)
        } else {
            recorded.header.seed
        };
        let mut session = Session::with_meters(scenario, seed, first.meters_before, lessons.clone());
        for entry in &logged {
            match session.choose(scenario, &entry.chosen) {
                Ok(decision) if decision.meters_after == entry.meters_after && decision.beat == entry.beat => {
                    let mut decision = decision.clone();
                    decision.number = entry.number;
                    out.insert(entry.number, decision);
                }
                _ => break,
            }
        }
        lessons.extend(logged.iter().map(|d| d.lesson.clone()));
    }
    out
}
