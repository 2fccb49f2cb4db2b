//! The scenarios the game knows: every file with its diagnostics, and the last version of
//! each scenario that loaded cleanly (a broken edit never replaces a good version).

use std::collections::BTreeMap;
use std::path::Path;

use bevy::prelude::*;

use crate::scenario::{Campaign, Corpus, Diagnostic, LoadedFile, Scenario};

#[derive(Resource, Debug, Clone, Default)]
pub struct Library {
    files: BTreeMap<String, LoadedFile>,
    last_good: BTreeMap<String, Scenario>,
    last_good_campaigns: BTreeMap<String, Campaign>,
    /// Diagnostics from the latest edit that broke a file (shown as a banner).
    pub broken_edits: Vec<Diagnostic>,
    /// True once the first load of the folder has finished.
    pub ready: bool,
    /// Changes each time the content changes, so screens know to refresh.
    pub generation: u64,
}

/// One row of the scenario list.
pub enum Entry<'a> {
    Playable(&'a Scenario),
    Broken { path: &'a str, first: &'a Diagnostic },
}

impl Library {
    /// Loads a folder synchronously (tests and the terminal use this; the game uses assets).
    pub fn load_dir(dir: &Path) -> Library {
        let mut library = Library::default();
        library.replace_all(Corpus::load(&[dir.to_path_buf()]).files);
        library.ready = true;
        library
    }

    pub fn replace_all(&mut self, files: Vec<LoadedFile>) {
        self.files = files.into_iter().map(|f| (f.path.clone(), f)).collect();
        self.recheck();
    }

    /// Records a new version of one file; returns its errors if the edit broke it.
    pub fn update_file(&mut self, file: LoadedFile) -> Vec<Diagnostic> {
        // The first load reports every file again; an unchanged file needs no re-check.
        if self.files.get(&file.path).is_some_and(|known| known.source == file.source) {
            return self.broken_edits.clone();
        }
        self.files.insert(file.path.clone(), file);
        self.recheck();
        self.broken_edits.clone()
    }

    pub fn remove_file(&mut self, path: &str) {
        self.files.remove(path);
        self.recheck();
    }

    /// Re-runs the checks across files and keeps the good versions.
    fn recheck(&mut self) {
        let corpus = Corpus::from_files(self.files.values().cloned().collect());
        self.broken_edits.clear();
        let mut broken: Vec<(u8, Diagnostic)> = Vec::new();
        for file in &corpus.files {
            if let Some(s) = file.scenario() {
                self.last_good.insert(s.id.clone(), s.clone());
            } else if let Some(c) = file.campaign() {
                self.last_good_campaigns.insert(c.id.clone(), c.clone());
            } else if let Some(first) = file.first_error() {
                // Root causes first: a file that does not parse, then a scenario's own errors;
                // a campaign that names a broken scenario only follows from it.
                let rank = match &file.document {
                    None => 0,
                    Some(crate::scenario::Document::Scenario(_)) => 1,
                    Some(_) => 2,
                };
                broken.push((rank, first.clone()));
            }
        }
        broken.sort_by_key(|(rank, _)| *rank);
        self.broken_edits = broken.into_iter().map(|(_, d)| d).collect();
        self.files = corpus.files.into_iter().map(|f| (f.path.clone(), f)).collect();
        self.generation += 1;
    }

    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.last_good.get(id)
    }

    pub fn campaign(&self) -> Option<&Campaign> {
        self.last_good_campaigns.values().next()
    }

    /// Scenarios for the select screen, in file order; files with errors and no good version
    /// are listed with their first diagnostic.
    pub fn entries(&self) -> Vec<Entry<'_>> {
        let mut entries = Vec::new();
        for file in self.files.values() {
            match (&file.document, file.first_error()) {
                (Some(crate::scenario::Document::Campaign(_)), _) => {}
                (Some(crate::scenario::Document::Scenario(s)), _) if self.last_good.contains_key(&s.id) => {
                    entries.push(Entry::Playable(&self.last_good[&s.id]));
                }
                (_, Some(first)) => entries.push(Entry::Broken { path: &file.path, first }),
                _ => {}
            }
        }
        entries
    }
}
