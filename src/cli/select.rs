//! Turning command-line targets (files, folders or scenario ids) into scenarios.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::scenario::{Campaign, Corpus, Scenario};

/// How `simulate` and `explore` print their reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    /// Readable text.
    #[default]
    Human,
    /// Machine-readable JSON.
    Json,
}

/// The scenarios named by `targets` (all in `scenarios` when there are none), each with the
/// path of its file (what `leap play --text` needs to find it again), and a line for each
/// target or file that could not be used.
pub fn scenarios(targets: &[String], scenarios: &Path) -> (Vec<(Scenario, String)>, Vec<String>) {
    let (mut found, mut problems) = (Vec::new(), Vec::new());
    let as_paths = |t: &String| Path::new(t).exists() || t.ends_with(".ron");
    let mut paths: Vec<PathBuf> = targets.iter().filter(|t| as_paths(t)).map(PathBuf::from).collect();
    let ids: Vec<&String> = targets.iter().filter(|t| !as_paths(t)).collect();
    if targets.is_empty() {
        paths.push(scenarios.to_path_buf());
    }
    let corpus = Corpus::load(&paths);
    for file in &corpus.files {
        match (file.scenario(), file.first_error()) {
            (Some(s), _) => found.push((s.clone(), file.path.clone())),
            (None, Some(e)) => {
                problems.push(format!("skipped {}: it has errors; run `leap check` ({})", file.path, e.short()))
            }
            (None, None) => {} // a campaign
        }
    }
    if !ids.is_empty() {
        let library = Corpus::load(&[scenarios.to_path_buf()]);
        for id in ids {
            match library.find(id) {
                Ok(s) => {
                    let path = library.file_of(&s.id).map_or_else(|| s.id.clone(), |f| f.path.clone());
                    found.push((s.clone(), path));
                }
                Err(why) => problems.push(looked_in(why, scenarios)),
            }
        }
    }
    (found, problems)
}

/// One scenario, by id in the scenarios folder or by the path of its file (as `leap play --text`).
pub fn one_scenario(wanted: &str, scenarios: &Path) -> Result<Scenario, String> {
    let path = if wanted.ends_with(".ron") || Path::new(wanted).is_file() { wanted.into() } else { scenarios.into() };
    Corpus::load(&[path]).find(wanted).cloned().map_err(|why| looked_in(why, scenarios))
}

/// Adds where scenarios were looked for, and how to look elsewhere, to a "no scenario" message.
pub(super) fn looked_in(why: String, scenarios: &Path) -> String {
    if !why.starts_with("no scenario") {
        return why;
    }
    format!(
        "{why}; looked in {}: give another folder with `--scenarios DIR` or the LEAP_SCENARIOS environment variable",
        scenarios.display()
    )
}

/// Splits the campaigns (by id in the scenarios folder, or by file) off `targets`; returns
/// them, the targets left, and the scenario library they are played from. With no targets,
/// every campaign in the folder.
pub fn campaigns(targets: &[String], scenarios: &Path) -> (Vec<Campaign>, Vec<String>, Corpus) {
    let library = Corpus::load(&[scenarios.to_path_buf()]);
    let (mut found, mut rest) = (Vec::new(), Vec::new());
    if targets.is_empty() {
        found.extend(library.campaigns().cloned());
    }
    for target in targets {
        if let Some(campaign) = library.campaigns().find(|c| &c.id == target) {
            found.push(campaign.clone());
        } else if Path::new(target).is_file()
            && let Some(campaign) = Corpus::load(&[PathBuf::from(target)]).campaigns().next()
        {
            found.push(campaign.clone());
        } else {
            rest.push(target.clone());
        }
    }
    (found, rest, library)
}
