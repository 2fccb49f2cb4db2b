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

/// The file name of the saved run of the campaign `campaign`, or else of the lone scenario
/// `scenario`: every campaign and every scenario has a saved run of its own, so starting one
/// never replaces another's.
pub fn save_file_name(campaign: Option<&str>, scenario: &str) -> String {
    let (kind, id) = match campaign {
        Some(id) => ("campaign", id),
        None => ("scenario", scenario),
    };
    let safe: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    format!("{kind}-{safe}.json")
}

/// The saved runs in `folder` (`*.json`), newest first.
pub fn saved_runs(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
        .map(|p| (std::fs::metadata(&p).and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH), p))
        .collect();
    found.sort_by(|a, b| b.cmp(a));
    found.into_iter().map(|(_, p)| p).collect()
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

/// Writes JSON atomically: see [`write_bytes_atomic`].
pub fn write_atomic<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    write_bytes_atomic(path, &pretty_json_line(value)?)
}

fn pretty_json_line<T: Serialize>(value: &T) -> std::io::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes `bytes` to `path` atomically: into a new temporary file in the same folder, created
/// exclusively under a random name (so a link planted at a predictable name is never
/// followed), synced, then renamed over `path` (which replaces a link there, never writes
/// through it). A crash or a full disk leaves the previous file as it was.
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_bytes_atomic_with_mode(path, bytes, 0o644)
}

/// Writes JSON atomically, like [`write_atomic`], into a file that only its owner can read
/// or write on Unix (it holds a password).
pub fn write_private_atomic<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    write_bytes_atomic_with_mode(path, &pretty_json_line(value)?, 0o600)
}

#[cfg_attr(not(unix), allow(unused_variables))]
fn write_bytes_atomic_with_mode(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // Readable as an ordinary new file would be (tempfile's default is owner-only), unless
    // the caller asks for owner-only.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(mode));
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    // On failure the temporary file is removed when `file` is dropped.
    file.persist(path).map_err(|e| e.error)?;
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}
