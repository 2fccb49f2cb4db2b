//! What counts as a finding, how findings are told apart, minimised and saved.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::targets::Kind;

#[derive(Debug, Clone)]
pub enum Problem {
    Panic(String),
    /// A property in `targets.rs` failed.
    Broken(String),
    Slow {
        millis: u128,
    },
    Memory {
        bytes: usize,
    },
    /// Past the hard memory limit, or stuck past the hang limit: the run stopped here.
    Runaway(String),
}

impl Problem {
    /// Two findings with the same signature are the same bug: a panic's location, a
    /// property's message without its numbers and names, a slow or hungry input's generator.
    pub fn signature(&self, how: &str) -> String {
        match self {
            Problem::Panic(message) => {
                let location = message.lines().next().unwrap_or("").to_string();
                format!("panic {location}")
            }
            Problem::Broken(message) => {
                let general: String = message.chars().filter(|c| !c.is_ascii_digit()).take(60).collect();
                format!("broken {general}")
            }
            Problem::Slow { .. } => format!("slow {how}"),
            Problem::Memory { .. } => format!("memory {how}"),
            Problem::Runaway(why) => format!("runaway {why}"),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Problem::Panic(message) => format!("panic: {message}"),
            Problem::Broken(message) => format!("property failed: {message}"),
            Problem::Slow { millis } => format!("slow: {millis} ms"),
            Problem::Memory { bytes } => format!("allocated {} MiB at once", bytes / (1024 * 1024)),
            Problem::Runaway(why) => format!("stopped: {why}"),
        }
    }
}

/// Findings of one run, at most `KEEP` saved per signature.
#[derive(Default)]
pub struct Findings {
    pub by_signature: HashMap<String, Vec<u64>>,
    pub saved: Vec<PathBuf>,
}

const KEEP: usize = 3;

impl Findings {
    /// Returns true when this finding is new enough to save (the first few of its kind).
    pub fn note(&mut self, signature: String, index: u64) -> bool {
        let seen = self.by_signature.entry(signature).or_default();
        seen.push(index);
        seen.len() <= KEEP
    }

    pub fn count(&self) -> usize {
        self.by_signature.values().map(Vec::len).sum()
    }
}

/// Saves an input as `DIR/<n>-<kind>-<slug>/` with its files and a `finding.txt` saying
/// what happened and how to make it again.
pub fn save(
    dir: &Path,
    index: u64,
    kind: Kind,
    files: &[(String, Vec<u8>)],
    problem: &Problem,
    how: &str,
    replay: &str,
) -> std::io::Result<PathBuf> {
    let slug: String = problem
        .signature(how)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    let folder = dir.join(format!("{index}-{}-{slug}", kind.name()));
    std::fs::create_dir_all(&folder)?;
    for (n, (name, bytes)) in files.iter().enumerate() {
        let stem = Path::new(name).file_stem().map_or("input".into(), |s| s.to_string_lossy().into_owned());
        let stem = stem.trim_end_matches(".save");
        std::fs::write(folder.join(format!("{n}-{stem}.{}", kind.extension())), bytes)?;
    }
    let sizes: Vec<String> = files.iter().map(|(_, b)| b.len().to_string()).collect();
    std::fs::write(
        folder.join("finding.txt"),
        format!(
            "{}\ninput {index} ({how}), {kind} input, {} bytes\nagain: {replay}\n",
            problem.describe(),
            sizes.join(" + "),
            kind = kind.name()
        ),
    )?;
    Ok(folder)
}

/// Removes chunks of the input while `still_fails` says the same problem remains: halves,
/// then quarters, down to single bytes, for at most `budget`. Cheap enough for panics and
/// failed properties; slow and hungry inputs are kept whole.
pub fn minimise(mut bytes: Vec<u8>, budget: Duration, mut still_fails: impl FnMut(&[u8]) -> bool) -> Vec<u8> {
    let started = Instant::now();
    let mut chunk = bytes.len().div_ceil(2).max(1);
    while chunk >= 1 && started.elapsed() < budget {
        let mut at = 0;
        while at < bytes.len() && started.elapsed() < budget {
            let mut smaller = bytes.clone();
            smaller.drain(at..(at + chunk).min(bytes.len()));
            if still_fails(&smaller) {
                bytes = smaller;
            } else {
                at += chunk;
            }
        }
        if chunk == 1 {
            break;
        }
        chunk /= 2;
    }
    bytes
}
