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
    /// Campaign flags this stage set for the scenarios after it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags_set: Vec<String>,
}

/// Where a campaign stage starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageStart {
    pub seed: u64,
    pub meters: Meters,
    pub lessons_met: BTreeSet<String>,
    pub lessons_applied: BTreeSet<String>,
    /// The campaign flags earlier stages set that this scenario reads.
    pub flags: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignRun {
    pub campaign_id: String,
    pub seed: u64,
    pub meters: Meters,
    pub lessons_met: BTreeSet<String>,
    /// Lessons met by a choice that applies them; the review reads these.
    #[serde(default)]
    pub lessons_applied: BTreeSet<String>,
    /// Campaign flags set so far (each scenario lists the ones it shares in `campaign_flags`).
    #[serde(default)]
    pub flags: BTreeSet<String>,
    pub results: Vec<StageResult>,
}

impl CampaignRun {
    pub fn new(campaign: &Campaign, seed: u64) -> CampaignRun {
        CampaignRun {
            campaign_id: campaign.id.clone(),
            seed,
            meters: campaign.start_meters.into(),
            lessons_met: BTreeSet::new(),
            lessons_applied: BTreeSet::new(),
            flags: BTreeSet::new(),
            results: Vec::new(),
        }
    }

    /// The id of the scenario to play next, or None when the review is due.
    pub fn next_scenario<'a>(&self, campaign: &'a Campaign) -> Option<&'a str> {
        campaign.scenarios.get(self.results.len()).map(String::as_str)
    }

    /// How the next stage starts: its own seed, the carried meters if the campaign says so,
    /// the lessons met and applied so far, and the campaign flags it reads. Sessions and simulated playouts start from it alike.
    pub fn stage_start(&self, campaign: &Campaign, scenario: &Scenario) -> StageStart {
        StageStart {
            seed: self.seed.wrapping_add(self.results.len() as u64),
            meters: if campaign.carry_meters { self.meters } else { scenario.start_meters.into() },
            lessons_met: self.lessons_met.clone(),
            lessons_applied: self.lessons_applied.clone(),
            flags: self.flags.iter().filter(|f| scenario.campaign_flags.contains(f)).cloned().collect(),
        }
    }

    /// A session for the next stage (see [`CampaignRun::stage_start`]).
    pub fn start_stage(&self, campaign: &Campaign, scenario: &Scenario) -> Session {
        Session::at_stage(scenario, &self.stage_start(campaign, scenario))
    }

    /// Records a finished stage; ignored if the session has not ended.
    pub fn finish_stage(&mut self, scenario: &Scenario, session: &Session) {
        let Some(ending) = session.ending(scenario) else { return };
        self.meters = session.meters;
        self.lessons_met = session.lessons_met();
        self.lessons_applied = session.lessons_applied();
        let flags_set: Vec<String> = session
            .flags
            .iter()
            .filter(|f| scenario.campaign_flags.contains(f) && !self.flags.contains(*f))
            .cloned()
            .collect();
        self.flags.extend(flags_set.iter().cloned());
        self.results.push(StageResult {
            scenario: scenario.id.clone(),
            ending: ending.id.clone(),
            verdict: ending.verdict,
            meters_after: session.meters,
            decisions: session.transcript.len() as u32,
            flags_set,
        });
    }

    /// Undoes a finished stage so it can be replayed from `restart` (a session for it that has
    /// not yet made any decision).
    pub fn reopen_stage(&mut self, restart: &Session) {
        if self.results.last().is_some_and(|r| r.scenario == restart.scenario_id)
            && let Some(undone) = self.results.pop()
        {
            // The flags that stage passed on go with it.
            for flag in &undone.flags_set {
                self.flags.remove(flag);
            }
        }
        self.meters = restart.meters;
        self.lessons_met = restart.lessons_before.clone();
        self.lessons_applied = restart.applied_before.clone();
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
        let facts = Facts {
            meters: &self.meters,
            flags: &no_flags,
            lessons_met: &self.lessons_met,
            lessons_applied: &self.lessons_applied,
        };
        campaign.review.iter().find(|o| o.when.as_ref().is_none_or(|w| holds(w, &facts)))
    }
}
