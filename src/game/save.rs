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

    pub fn save_path(&self) -> PathBuf {
        self.0.join("save.json")
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

pub fn remove_save(dir: &DataDir) {
    let _ = std::fs::remove_file(dir.save_path());
}
