//! Saves, progress and settings on disk, in the platform's data folder.
//!
//! Every write goes to a temporary file that is then renamed over the old one, so a crash
//! mid-write leaves the previous version intact. A file that cannot be read is renamed
//! aside (never deleted) and reported.

use std::collections::BTreeMap;
use std::path::PathBuf;

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::record::store::{BestEnding, ReadOutcome, SAVE_FORMAT, SaveFile, read_or_set_aside, write_atomic};

/// Where saves and settings live. `LEAP_DATA_DIR` overrides the platform default.
#[derive(Resource, Debug, Clone)]
pub struct DataDir(pub PathBuf);

impl DataDir {
    pub fn from_env() -> DataDir {
        if let Some(dir) = std::env::var_os("LEAP_DATA_DIR") {
            return DataDir(PathBuf::from(dir));
        }
        let dir = directories::ProjectDirs::from("org", "The Leap", "the-leap")
            .map(|p| p.data_dir().to_path_buf())
            .unwrap_or_else(|| PathBuf::from(".leap-data"));
        DataDir(dir)
    }

    /// The one save of earlier versions; still listed and continued, never written.
    pub fn save_path(&self) -> PathBuf {
        self.0.join("save.json")
    }

    /// Where each run in progress is saved: one file per campaign and per scenario.
    pub fn saves_dir(&self) -> PathBuf {
        self.0.join("saves")
    }

    /// The save of the campaign `campaign`, or else of the lone scenario `scenario`.
    pub fn run_save_path(&self, campaign: Option<&str>, scenario: &str) -> PathBuf {
        self.saves_dir().join(crate::record::store::save_file_name(campaign, scenario))
    }

    /// Every saved run, newest first (the old single save last).
    pub fn saved_runs(&self) -> Vec<PathBuf> {
        let mut runs = crate::record::store::saved_runs(&self.saves_dir());
        if self.save_path().exists() {
            runs.push(self.save_path());
        }
        runs
    }

    pub fn progress_path(&self) -> PathBuf {
        self.0.join("progress.json")
    }

    pub fn settings_path(&self) -> PathBuf {
        self.0.join("settings.json")
    }

    /// Where session logs go: one per workshop and per solo run.
    pub fn sessions_dir(&self) -> PathBuf {
        self.0.join("sessions")
    }

    /// A new session log's path in `sessions/`: named after `name` and the time, with a
    /// random part so two runs started in the same second never share one (see
    /// [`crate::record::new_log_path`]). Solo runs and workshops keep their logs there.
    pub fn session_log_path(&self, name: &str) -> PathBuf {
        crate::record::new_log_path(&self.sessions_dir(), name, std::time::SystemTime::now())
    }
}

/// The best ending reached in each scenario.
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub best: BTreeMap<String, BestEnding>,
}

impl Progress {
    /// Records an ending; returns true if it is the best so far.
    pub fn record(&mut self, scenario: &str, best: BestEnding) -> bool {
        let better = self.best.get(scenario).is_none_or(|old| best.verdict.rank() > old.verdict.rank());
        if better {
            self.best.insert(scenario.to_string(), best);
        }
        better
    }
}

/// Removes a finished run's save (and the old single save, which it came from if it exists).
pub fn remove_save(dir: &DataDir, campaign: Option<&str>, scenario: &str) {
    let _ = std::fs::remove_file(dir.run_save_path(campaign, scenario));
    remove_old_save_of(dir, campaign, scenario);
}

/// Removes the old single save if it holds this run, now saved in its own file.
pub fn remove_old_save_of(dir: &DataDir, campaign: Option<&str>, scenario: &str) {
    let Ok(bytes) = std::fs::read(dir.save_path()) else { return };
    let Ok(old) = serde_json::from_slice::<SaveFile>(&bytes) else { return };
    let same = match (&old.campaign, campaign) {
        (Some(run), Some(id)) => run.campaign_id == id,
        (None, None) => old.session.scenario_id == scenario,
        _ => false,
    };
    if same {
        let _ = std::fs::remove_file(dir.save_path());
    }
}
