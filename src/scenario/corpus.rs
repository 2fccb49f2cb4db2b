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
        let known = corpus.declared_scenario_ids();
        corpus.check_across_files(&known);
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

    /// The file that declares scenario `id`: the clean one if there is one, else any.
    pub fn file_of(&self, id: &str) -> Option<&LoadedFile> {
        let mut declaring = self.files.iter().filter(|f| declares(f, id));
        let first = declaring.clone().next();
        declaring.find(|f| !f.has_errors()).or(first)
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
        if let Some(file) = self.file_of(id_or_path).filter(|f| f.campaign().is_some()) {
            return Err(format!("`{id_or_path}` is a campaign, not a scenario ({})", file.path));
        }
        let declaring: Vec<&LoadedFile> = self.files.iter().filter(|f| declares(f, id_or_path)).collect();
        match declaring.as_slice() {
            [] => {}
            [file] => {
                return Err(format!(
                    "scenario `{id_or_path}` cannot be played: its file {} has errors; run `leap check {}`",
                    file.path, file.path
                ));
            }
            several => {
                let paths: Vec<&str> = several.iter().map(|f| f.path.as_str()).collect();
                return Err(format!(
                    "scenario `{id_or_path}` cannot be played: {} files declare it ({}); give each its own id",
                    paths.len(),
                    paths.join(", ")
                ));
            }
        }
        // A file that could not be read at all may still be named after the scenario.
        if let Some(file) = self.files.iter().find(|f| f.document.is_none() && file_stem(&f.path) == id_or_path) {
            return Err(format!(
                "scenario `{id_or_path}` cannot be played: its file {} has errors; run `leap check {}`",
                file.path, file.path
            ));
        }
        let ids: Vec<&str> = self.scenarios().map(|s| s.id.as_str()).collect();
        let hint = did_you_mean(id_or_path, ids.iter().copied()).map(|h| format!("; {h}")).unwrap_or_default();
        let known =
            if ids.is_empty() { "no scenarios were found".to_string() } else { format!("known: {}", ids.join(", ")) };
        Err(format!("no scenario `{id_or_path}`{hint} ({known})"))
    }

    /// Scenario ids declared by the files, loaded cleanly or not.
    fn declared_scenario_ids(&self) -> Vec<String> {
        self.files
            .iter()
            .filter_map(|f| match &f.document {
                Some(Document::Scenario(s)) => Some(s.id.clone()),
                _ => None,
            })
            .collect()
    }

    /// Loads `paths` for checking; a campaign among them that names scenarios not among them
    /// finds them in `library` (the scenarios folder), which is read but not reported on.
    pub fn load_for_check(paths: &[PathBuf], library: &Path) -> Corpus {
        let files = collect_files(paths).into_iter().map(|found| match found {
            Ok(path) => load_file(&path),
            Err((path, why)) => missing(&path, &why),
        });
        let mut corpus = Corpus { files: files.collect() };
        let mut known = corpus.declared_scenario_ids();
        let wanting = corpus.files.iter().any(|f| match &f.document {
            Some(Document::Campaign(c)) => c.scenarios.iter().any(|id| !known.contains(id)),
            _ => false,
        });
        if wanting && library.is_dir() {
            known.extend(Corpus::load(&[library.to_path_buf()]).declared_scenario_ids());
        }
        corpus.check_across_files(&known);
        corpus
    }

    fn check_across_files(&mut self, scenario_ids: &[String]) {
        let mut extra: Vec<(usize, Diagnostic)> = Vec::new();
        // Only files without errors compete for an id: a broken copy ("v2" with one dangling
        // `next`) never makes its clean original unplayable.
        let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, file) in self.files.iter().enumerate() {
            if file.has_errors() {
                continue;
            }
            match &file.document {
                Some(Document::Scenario(s)) => by_id.entry(&s.id).or_default().push(i),
                Some(Document::Campaign(c)) => by_id.entry(&c.id).or_default().push(i),
                None => {}
            }
        }
        for (id, files) in by_id.iter().filter(|(_, files)| files.len() > 1) {
            for &i in files {
                let file = &self.files[i];
                let others: Vec<&str> =
                    files.iter().filter(|&&j| j != i).map(|&j| self.files[j].path.as_str()).collect();
                let map = locate(&file.source, super::limits::MAX_DEPTH);
                let mut r = Reporter::new(&file.path, &file.source, &map);
                r.error("duplicate-id", "id", format!("`{id}` is also the id of {}", others.join(", ")))
                    .help("every scenario and campaign needs its own id; neither is played until one changes");
                extra.extend(r.diagnostics.into_iter().map(|d| (i, d)));
            }
        }
        for (i, file) in self.files.iter().enumerate() {
            let Some(Document::Campaign(campaign)) = &file.document else { continue };
            let map = locate(&file.source, super::limits::MAX_DEPTH);
            let mut r = Reporter::new(&file.path, &file.source, &map);
            for (s, id) in campaign.scenarios.iter().enumerate() {
                if !scenario_ids.contains(id) {
                    r.error(
                        "dangling-reference",
                        &format!("scenarios[{s}]"),
                        format!("no scenario `{id}` among the files checked or in the scenarios folder"),
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

fn declares(file: &LoadedFile, id: &str) -> bool {
    match &file.document {
        Some(Document::Scenario(s)) => s.id == id,
        Some(Document::Campaign(c)) => c.id == id,
        None => false,
    }
}

fn file_stem(path: &str) -> &str {
    Path::new(path).file_stem().and_then(|s| s.to_str()).unwrap_or("")
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
