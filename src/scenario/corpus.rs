//! A set of loaded files checked together: scenario ids must be unique across files and a
//! campaign may only name scenarios that exist.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::diagnostic::{Annotate, Diagnostic, Reporter, Severity, closest, did_you_mean};
use super::format::{Campaign, Scenario};
use super::load::{Document, LoadedFile, collect_files, load_file, parse_source};
use super::locate::locate;

#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub files: Vec<LoadedFile>,
}

impl Corpus {
    /// Loads every `.ron` file under `paths`; problems become diagnostics, never failures.
    pub fn load(paths: &[PathBuf]) -> Corpus {
        let files = collect_files(paths)
            .into_iter()
            .map(|found| match found {
                Ok(path) => load_file(&path),
                Err((path, why)) => missing(&path, &why),
            })
            .collect();
        Corpus::from_files(files)
    }

    /// Builds a corpus from (name, text) pairs already in memory.
    pub fn from_sources<'a>(sources: impl IntoIterator<Item = (&'a str, &'a str)>) -> Corpus {
        Corpus::from_files(sources.into_iter().map(|(name, text)| parse_source(name, text)).collect())
    }

    pub fn from_files(files: Vec<LoadedFile>) -> Corpus {
        let mut corpus = Corpus { files };
        corpus.check_across_files();
        corpus
    }

    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| &f.diagnostics)
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics().filter(|d| d.is_error()).count()
    }

    /// Scenarios that loaded without errors, in file order.
    pub fn scenarios(&self) -> impl Iterator<Item = &Scenario> {
        self.files.iter().filter_map(LoadedFile::scenario)
    }

    pub fn campaigns(&self) -> impl Iterator<Item = &Campaign> {
        self.files.iter().filter_map(LoadedFile::campaign)
    }

    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios().find(|s| s.id == id)
    }

    /// The file that declares scenario `id`, loaded cleanly or not.
    pub fn file_of(&self, id: &str) -> Option<&LoadedFile> {
        self.files.iter().find(|f| match &f.document {
            Some(Document::Scenario(s)) => s.id == id,
            Some(Document::Campaign(c)) => c.id == id,
            None => false,
        })
    }

    /// Finds a scenario by id, or by the path of its file.
    pub fn find(&self, id_or_path: &str) -> Result<&Scenario, String> {
        if let Some(s) = self.scenario(id_or_path) {
            return Ok(s);
        }
        let wanted = Path::new(id_or_path);
        if let Some(file) = self.files.iter().find(|f| Path::new(&f.path) == wanted) {
            return match (file.scenario(), file.first_error()) {
                (Some(s), _) => Ok(s),
                (None, Some(e)) => {
                    Err(format!("{} has errors; run `leap check {}` (first: {})", file.path, file.path, e.short()))
                }
                (None, None) => Err(format!("{} is not a scenario", file.path)),
            };
        }
        if let Some(file) = self.file_of(id_or_path) {
            if file.campaign().is_some() {
                return Err(format!("`{id_or_path}` is a campaign, not a scenario ({})", file.path));
            }
            return Err(format!("scenario `{id_or_path}` has errors; run `leap check {}`", file.path));
        }
        let ids: Vec<&str> = self.scenarios().map(|s| s.id.as_str()).collect();
        let hint = did_you_mean(id_or_path, ids.iter().copied()).map(|h| format!("; {h}")).unwrap_or_default();
        Err(format!("no scenario `{id_or_path}`{hint} (known: {})", ids.join(", ")))
    }

    fn check_across_files(&mut self) {
        let mut first_seen: HashMap<String, String> = HashMap::new();
        let mut extra: Vec<(usize, Diagnostic)> = Vec::new();
        for (i, file) in self.files.iter().enumerate() {
            let id = match &file.document {
                Some(Document::Scenario(s)) => &s.id,
                Some(Document::Campaign(c)) => &c.id,
                None => continue,
            };
            if let Some(first) = first_seen.get(id) {
                let map = locate(&file.source, super::limits::MAX_DEPTH);
                let mut r = Reporter::new(&file.path, &file.source, &map);
                r.error("duplicate-id", "id", format!("`{id}` is already the id of {first}"))
                    .help("every scenario and campaign needs its own id");
                extra.extend(r.diagnostics.into_iter().map(|d| (i, d)));
            } else {
                first_seen.insert(id.clone(), file.path.clone());
            }
        }
        let scenario_ids: Vec<String> = self
            .files
            .iter()
            .filter_map(|f| match &f.document {
                Some(Document::Scenario(s)) => Some(s.id.clone()),
                _ => None,
            })
            .collect();
        for (i, file) in self.files.iter().enumerate() {
            let Some(Document::Campaign(campaign)) = &file.document else { continue };
            let map = locate(&file.source, super::limits::MAX_DEPTH);
            let mut r = Reporter::new(&file.path, &file.source, &map);
            for (s, id) in campaign.scenarios.iter().enumerate() {
                if !scenario_ids.contains(id) {
                    r.error(
                        "dangling-reference",
                        &format!("scenarios[{s}]"),
                        format!("no scenario `{id}` among the files checked"),
                    )
                    .suggest_id(closest(id, scenario_ids.iter().map(String::as_str)));
                }
            }
            extra.extend(r.diagnostics.into_iter().map(|d| (i, d)));
        }
        for (i, diagnostic) in extra {
            self.files[i].diagnostics.push(diagnostic);
        }
    }
}

fn missing(path: &Path, why: &str) -> LoadedFile {
    let mut file = parse_source(&path.display().to_string(), "");
    file.diagnostics.clear();
    file.diagnostics.push(Diagnostic {
        severity: Severity::Error,
        code: "unreadable",
        message: format!("cannot read `{}`: {why}", path.display()),
        file: path.display().to_string(),
        line: 1,
        column: 1,
        span: 0..0,
        label: None,
        help: Some("check the path; `leap check` with no path checks `scenarios/`".into()),
        fix: None,
    });
    file
}

/// Where scenarios are found when no folder is given: `./scenarios` if it exists, else a
/// `scenarios` folder next to the program (or two levels up, for `target/release/leap`).
pub fn default_dir() -> PathBuf {
    let here = PathBuf::from("scenarios");
    if here.is_dir() {
        return here;
    }
    if let Ok(exe) = std::env::current_exe() {
        for dir in exe.ancestors().skip(1).take(4) {
            let candidate = dir.join("scenarios");
            if candidate.is_dir() {
                return candidate;
            }
        }
    }
    here
}
