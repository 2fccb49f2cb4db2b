//! A campaign run: scenarios in order, meters and lessons carried over, then the review.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::scenario::{Campaign, ReviewOutcome, Scenario, Verdict};

use super::conditions::{Facts, holds};
use super::meters::Meters;
use super::session::Session;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageResult {
    pub scenario: String,
    pub ending: String,
    pub verdict: Verdict,
    pub meters_after: Meters,
    #[serde(default)]
    pub decisions: u32,
}

/// Where a campaign stage starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageStart {
    pub seed: u64,
    pub meters: Meters,
    pub lessons_met: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignRun {
    pub campaign_id: String,
    pub seed: u64,
    pub meters: Meters,
    pub lessons_met: BTreeSet<String>,
    pub results: Vec<StageResult>,
}

impl CampaignRun {
    pub fn new(campaign: &Campaign, seed: u64) -> CampaignRun {
        CampaignRun {
            campaign_id: campaign.id.clone(),
            seed,
            meters: campaign.start_meters.into(),
            lessons_met: BTreeSet::new(),
            results: Vec::new(),
        }
    }

    /// The id of the scenario to play next, or None when the review is due.
    pub fn next_scenario<'a>(&self, campaign: &'a Campaign) -> Option<&'a str> {
        campaign.scenarios.get(self.results.len()).map(String::as_str)
    }

    /// How the next stage starts: its own seed, the carried meters if the campaign says so,
    /// and the lessons met so far. Sessions and simulated playouts start from it alike.
    pub fn stage_start(&self, campaign: &Campaign, scenario: &Scenario) -> StageStart {
        StageStart {
            seed: self.seed.wrapping_add(self.results.len() as u64),
            meters: if campaign.carry_meters { self.meters } else { scenario.start_meters.into() },
            lessons_met: self.lessons_met.clone(),
        }
    }

    /// A session for the next stage (see [`CampaignRun::stage_start`]).
    pub fn start_stage(&self, campaign: &Campaign, scenario: &Scenario) -> Session {
        let start = self.stage_start(campaign, scenario);
        Session::with_meters(scenario, start.seed, start.meters, start.lessons_met)
    }

    /// Records a finished stage; ignored if the session has not ended.
    pub fn finish_stage(&mut self, scenario: &Scenario, session: &Session) {
        let Some(ending) = session.ending(scenario) else { return };
        self.meters = session.meters;
        self.lessons_met = session.lessons_met();
        self.results.push(StageResult {
            scenario: scenario.id.clone(),
            ending: ending.id.clone(),
            verdict: ending.verdict,
            meters_after: session.meters,
            decisions: session.transcript.len() as u32,
        });
    }

    /// Undoes a finished stage so it can be replayed from `restart` (a session for it that has
    /// not yet made any decision).
    pub fn reopen_stage(&mut self, restart: &Session) {
        if self.results.last().is_some_and(|r| r.scenario == restart.scenario_id) {
            self.results.pop();
        }
        self.meters = restart.meters;
        self.lessons_met = restart.lessons_before.clone();
    }

    /// How many decisions the finished stages took (to number a session's decisions).
    pub fn decisions_before(&self) -> u32 {
        self.results.iter().map(|r| r.decisions).sum()
    }

    /// The review's result, once every scenario has been played.
    pub fn review<'a>(&self, campaign: &'a Campaign) -> Option<&'a ReviewOutcome> {
        if self.next_scenario(campaign).is_some() {
            return None;
        }
        let no_flags = BTreeSet::new();
        let facts = Facts { meters: &self.meters, flags: &no_flags, lessons_met: &self.lessons_met };
        campaign.review.iter().find(|o| o.when.as_ref().is_none_or(|w| holds(w, &facts)))
    }
}
