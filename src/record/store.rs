//! Files the game keeps in its data folder (the run in progress, best endings), and how they
//! are read and written: every write goes to a temporary file that is then renamed over the
//! old one, so a crash mid-write leaves the previous version intact, and a file that cannot be
//! read is renamed aside (never deleted) and reported.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::engine::Session;
use crate::engine::campaign::CampaignRun;
use crate::scenario::Verdict;

pub const SAVE_FORMAT: u32 = 1;

/// A run in progress. It names scenarios, beats and choices by id, so it survives edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaveFile {
    pub format: u32,
    pub session: Session,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<CampaignRun>,
    /// The session log this run appends to (solo play is recorded like a workshop).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BestEnding {
    pub ending: String,
    pub title: String,
    pub verdict: Verdict,
}

/// What reading a file found.
#[derive(Debug)]
pub enum ReadOutcome<T> {
    Missing,
    Read(T),
    /// It could not be read; it was moved to `moved_to` (if the move worked) and `why` says why.
    SetAside {
        why: String,
        moved_to: Option<PathBuf>,
    },
}

/// Reads a JSON file; an unreadable one is renamed aside, never deleted or overwritten.
pub fn read_or_set_aside<T: DeserializeOwned>(path: &Path) -> ReadOutcome<T> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return ReadOutcome::Missing,
        Err(e) => return ReadOutcome::SetAside { why: e.to_string(), moved_to: None },
    };
    let why = if bytes.iter().all(u8::is_ascii_whitespace) {
        "the file is empty".to_string()
    } else {
        match serde_json::from_slice::<T>(&bytes) {
            Ok(value) => return ReadOutcome::Read(value),
            Err(e) => e.to_string(),
        }
    };
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let aside = path.with_file_name(format!("{name}.corrupt-{stamp}"));
    let moved_to = std::fs::rename(path, &aside).ok().map(|_| aside);
    ReadOutcome::SetAside { why, moved_to }
}

/// Writes JSON atomically: a temporary file in the same folder, flushed, then renamed.
pub fn write_atomic<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    {
        let mut file = std::fs::File::create(&tmp)?;
        serde_json::to_writer_pretty(&mut file, value).map_err(std::io::Error::other)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}
