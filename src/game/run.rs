//! The run in progress: a snapshot of its scenario, the engine session, and the campaign if any.

use bevy::prelude::*;

use crate::engine::campaign::CampaignRun;
use crate::engine::{Decision, Session};
use crate::scenario::{Campaign, Scenario};

#[derive(Resource, Debug, Clone)]
pub struct ActiveRun {
    pub scenario: Scenario,
    pub session: Session,
    pub campaign: Option<(Campaign, CampaignRun)>,
}

/// The session log of the solo run in progress; every decision is appended and flushed.
#[derive(Resource)]
pub struct SoloLog {
    pub log: crate::record::SessionLog,
    pub path: std::path::PathBuf,
    /// Where the exports were written when the run ended, or why they could not be.
    pub exports: Option<Result<std::path::PathBuf, String>>,
    /// Decisions whose write failed, kept to write when the player retries.
    pub unwritten: Vec<crate::record::LoggedDecision>,
}

impl ActiveRun {
    /// The campaign's id, when the run is one.
    pub fn campaign_id(&self) -> Option<&str> {
        self.campaign.as_ref().map(|(c, _)| c.id.as_str())
    }

    /// The decision just made (shown on the consequence screen).
    pub fn last_decision(&self) -> Option<&Decision> {
        self.session.transcript.last()
    }
}

/// A campaign whose scenarios are all played: the review screen reads it.
#[derive(Resource, Debug, Clone)]
pub struct FinishedCampaign {
    pub campaign: Campaign,
    pub run: CampaignRun,
}
