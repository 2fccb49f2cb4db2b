//! The server's picture of the files: open documents (what the editor holds, saved or not)
//! over the scenario files on disk, and the diagnostics last sent for each.
//!
//! A document inside the scenarios folder is checked with the whole folder, as `leap check`
//! with no path does (so duplicate ids and a campaign's missing scenarios show); any other
//! document, saved or not, is checked alone, as `leap check FILE` does.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use lsp_types::{DiagnosticSeverity, NumberOrString, Uri};

use super::index::FileIndex;
use super::text::LineIndex;
use super::uri;
use crate::scenario::load::{MAX_FILE_BYTES, collect_files, parse_bytes};
use crate::scenario::{Corpus, Diagnostic, Document, LoadedFile, Severity};

/// One file's text, parsed, checked and indexed.
#[derive(Debug)]
pub struct Analysis {
    pub text: String,
    pub lines: LineIndex,
    /// Made on first use: diagnostics after an edit do not wait for it.
    index: std::sync::OnceLock<FileIndex>,
    /// The file's own diagnostics (without the cross-file ones).
    pub loaded: LoadedFile,
}

impl Analysis {
    pub fn new(name: &str, text: String) -> Analysis {
        // The size limit of loading holds in the editor too: a huge document gets one
        // diagnostic, not an analysis that would hold many times its size.
        let loaded = parse_bytes(name, text.as_bytes());
        Analysis { lines: LineIndex::new(&text), index: std::sync::OnceLock::new(), loaded, text }
    }

    /// Where each id is defined and used.
    pub fn index(&self) -> &FileIndex {
        self.index.get_or_init(|| {
            if self.text.len() > MAX_FILE_BYTES { FileIndex::default() } else { FileIndex::build(&self.text) }
        })
    }

    pub fn range(&self, span: std::ops::Range<usize>) -> lsp_types::Range {
        self.lines.range(&self.text, span)
    }

    pub fn offset(&self, position: lsp_types::Position) -> usize {
        self.lines.offset(&self.text, position)
    }
}

#[derive(Debug)]
pub struct OpenDocument {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    pub version: i32,
    text: String,
    /// None after an edit until someone asks: a burst of edits is analysed once.
    analysis: Option<Analysis>,
    /// The last version that parsed, for hovers while the file is broken.
    pub last_good: Option<Document>,
    /// The simulated trade-off warnings and the version they were computed for.
    pub tradeoffs: Option<(i32, Vec<Diagnostic>)>,
}

struct DiskFile {
    stamp: (Option<SystemTime>, u64),
    analysis: Analysis,
}

/// A file of a group checked together.
pub struct Member<'a> {
    pub uri: Uri,
    pub analysis: &'a Analysis,
}

/// What to send the editor after a check.
pub struct Publish {
    pub uri: Uri,
    pub version: Option<i32>,
    pub diagnostics: Vec<lsp_types::Diagnostic>,
}

pub struct Workspace {
    /// The scenarios folder, when there is one.
    pub folder: Option<PathBuf>,
    open: HashMap<String, OpenDocument>,
    disk: HashMap<PathBuf, DiskFile>,
    published: HashMap<String, (Uri, Vec<lsp_types::Diagnostic>)>,
    /// The last checked form of each open document (with cross-file diagnostics), which is
    /// what the trade-off warnings run on, as in `leap check`.
    pub checked: HashMap<String, (i32, LoadedFile)>,
    /// Each group's cross-file findings and what they were computed from: typing inside one
    /// scenario rarely changes what the cross-file checks read, so they rarely run again.
    cross_files: HashMap<String, (Vec<CrossFileInput>, Vec<Vec<Diagnostic>>)>,
}

/// What the cross-file checks read of one file: its name, the id it declares, and a
/// campaign's whole text (the scenarios it names, and where).
type CrossFileInput = (String, Option<String>, Option<String>);

fn cross_file_key(group: &[Member]) -> Vec<CrossFileInput> {
    let ids: Vec<Option<&str>> = group
        .iter()
        .map(|m| match &m.analysis.loaded.document {
            Some(Document::Scenario(s)) => Some(s.id.as_str()),
            Some(Document::Campaign(c)) => Some(c.id.as_str()),
            None => None,
        })
        .collect();
    group
        .iter()
        .zip(&ids)
        .map(|(m, id)| {
            let campaign = matches!(m.analysis.loaded.document, Some(Document::Campaign(_)));
            // A campaign's findings point into its text, and so does a duplicate id's.
            let duplicate = id.is_some() && ids.iter().filter(|other| *other == id).count() > 1;
            let text = (campaign || duplicate).then(|| m.analysis.text.clone());
            (m.uri.as_str().to_string(), id.map(|id| format!("{campaign} {id}")), text)
        })
        .collect()
}

impl Workspace {
    pub fn new(folder: Option<PathBuf>) -> Workspace {
        let folder = folder.map(|f| f.canonicalize().unwrap_or(f));
        Workspace {
            folder,
            open: HashMap::new(),
            disk: HashMap::new(),
            published: HashMap::new(),
            checked: HashMap::new(),
            cross_files: HashMap::new(),
        }
    }

    pub fn open(&mut self, uri: Uri, version: i32, text: String) {
        let path = uri::to_path(&uri).map(|p| p.canonicalize().unwrap_or(p));
        let document =
            OpenDocument { uri: uri.clone(), path, version, text, analysis: None, last_good: None, tradeoffs: None };
        self.open.insert(uri.as_str().to_string(), document);
    }

    /// Applies edits; false when the document is not open.
    pub fn change(&mut self, uri: &Uri, version: i32, changes: &[lsp_types::TextDocumentContentChangeEvent]) -> bool {
        let Some(document) = self.open.get_mut(uri.as_str()) else { return false };
        for change in changes {
            super::text::apply_change(&mut document.text, change);
        }
        document.version = version;
        document.analysis = None;
        document.tradeoffs = None;
        true
    }

    pub fn close(&mut self, uri: &Uri) {
        self.open.remove(uri.as_str());
        self.checked.remove(uri.as_str());
    }

    pub fn is_open(&self, uri: &Uri) -> bool {
        self.open.contains_key(uri.as_str())
    }

    pub fn open_uris(&self) -> Vec<Uri> {
        self.open.values().map(|d| d.uri.clone()).collect()
    }

    /// An open document, analysed.
    pub fn document(&mut self, uri: &Uri) -> Option<&OpenDocument> {
        let document = self.open.get_mut(uri.as_str())?;
        if document.analysis.is_none() {
            let name = display_name(&document.uri, document.path.as_deref());
            let analysis = Analysis::new(&name, document.text.clone());
            if let Some(parsed) = &analysis.loaded.document {
                document.last_good = Some(parsed.clone());
            }
            document.analysis = Some(analysis);
        }
        Some(document)
    }

    /// An open document already analysed (by [`Workspace::document`]), without changing anything.
    pub fn analysed(&self, uri: &Uri) -> Option<&OpenDocument> {
        self.open.get(uri.as_str()).filter(|d| d.analysis.is_some())
    }

    pub fn set_tradeoffs(&mut self, uri: &Uri, version: i32, diagnostics: Vec<Diagnostic>) -> bool {
        match self.open.get_mut(uri.as_str()) {
            Some(document) if document.version == version => {
                document.tradeoffs = Some((version, diagnostics));
                true
            }
            _ => false,
        }
    }

    fn in_folder(&self, path: Option<&Path>) -> bool {
        match (&self.folder, path) {
            (Some(folder), Some(path)) => path.starts_with(folder) && path.extension().is_some_and(|e| e == "ron"),
            _ => false,
        }
    }

    /// Brings every open document's analysis and the folder's files on disk up to date.
    fn refresh(&mut self) -> Vec<PathBuf> {
        for uri in self.open_uris() {
            self.document(&uri);
        }
        let Some(folder) = self.folder.clone() else { return Vec::new() };
        let paths: Vec<PathBuf> = collect_files(&[folder]).into_iter().filter_map(Result::ok).collect();
        let open_paths: Vec<PathBuf> = self.open.values().filter_map(|d| d.path.clone()).collect();
        for path in &paths {
            if open_paths.contains(path) {
                continue;
            }
            let stamp = std::fs::metadata(path).map(|m| (m.modified().ok(), m.len())).unwrap_or((None, 0));
            if self.disk.get(path).is_some_and(|f| f.stamp == stamp) {
                continue;
            }
            // A file removed between listing and reading simply drops out next time.
            let bytes = std::fs::read(path).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let analysis = Analysis::new(&path.display().to_string(), text);
            self.disk.insert(path.clone(), DiskFile { stamp, analysis });
        }
        self.disk.retain(|path, _| paths.contains(path));
        let mut members = paths;
        for path in open_paths {
            if self.in_folder(Some(&path)) && !members.contains(&path) {
                members.push(path);
            }
        }
        members
    }

    /// The files checked together with `uri`: the folder for a document in it, else itself.
    pub fn group(&mut self, uri: &Uri) -> Vec<Member<'_>> {
        let members = self.refresh();
        let path = self.open.get(uri.as_str()).and_then(|d| d.path.clone()).or_else(|| uri::to_path(uri));
        if !self.in_folder(path.as_deref()) {
            return self.open.get(uri.as_str()).map(|d| self.member_of(d)).into_iter().collect();
        }
        self.members(&members)
    }

    fn member_of<'a>(&'a self, document: &'a OpenDocument) -> Member<'a> {
        Member { uri: document.uri.clone(), analysis: document.analysis.as_ref().expect("refreshed") }
    }

    fn members(&self, paths: &[PathBuf]) -> Vec<Member<'_>> {
        paths
            .iter()
            .filter_map(|path| {
                if let Some(document) = self.open.values().find(|d| d.path.as_deref() == Some(path)) {
                    return Some(self.member_of(document));
                }
                let file = self.disk.get(path)?;
                Some(Member { uri: uri::from_path(path)?, analysis: &file.analysis })
            })
            .collect()
    }

    /// Checks everything and returns what changed since the last call.
    pub fn check(&mut self) -> Vec<Publish> {
        let members = self.refresh();
        let cross_files = std::mem::take(&mut self.cross_files);
        let mut next_cross_files = HashMap::new();
        let mut now: Vec<(Uri, Option<i32>, Vec<lsp_types::Diagnostic>)> = Vec::new();
        let mut checked = HashMap::new();
        {
            let groups: Vec<Vec<Member>> = {
                let mut groups = vec![self.members(&members)];
                for document in self.open.values() {
                    if !self.in_folder(document.path.as_deref()) {
                        groups.push(vec![self.member_of(document)]);
                    }
                }
                groups
            };
            for group in groups {
                let key = cross_file_key(&group);
                let group_name = group.first().map(|m| m.uri.as_str().to_string()).unwrap_or_default();
                let extras = match cross_files.get(&group_name) {
                    Some((before, extras)) if *before == key => extras.clone(),
                    _ => {
                        let corpus = Corpus::from_files(group.iter().map(|m| m.analysis.loaded.clone()).collect());
                        // The cross-file checks add their findings after each file's own.
                        let own = group.iter().map(|m| m.analysis.loaded.diagnostics.len());
                        corpus.files.into_iter().zip(own).map(|(f, own)| f.diagnostics[own..].to_vec()).collect()
                    }
                };
                for (member, extra) in group.iter().zip(&extras) {
                    let open = self.open.get(member.uri.as_str());
                    let mut diagnostics: Vec<&Diagnostic> =
                        member.analysis.loaded.diagnostics.iter().chain(extra).collect();
                    if let Some((_, tradeoffs)) = open.and_then(|d| d.tradeoffs.as_ref()) {
                        diagnostics.extend(tradeoffs);
                        diagnostics.sort_by_key(|d| d.span.start);
                    }
                    let converted = diagnostics.iter().map(|d| to_lsp(d, member.analysis)).collect();
                    if let Some(open) = open {
                        let mut file = member.analysis.loaded.clone();
                        file.diagnostics.extend(extra.iter().cloned());
                        checked.insert(member.uri.as_str().to_string(), (open.version, file));
                    }
                    now.push((member.uri.clone(), open.map(|d| d.version), converted));
                }
                next_cross_files.insert(group_name, (key, extras));
            }
        }
        self.checked = checked;
        self.cross_files = next_cross_files;
        let mut changes = Vec::new();
        let mut still: HashMap<String, (Uri, Vec<lsp_types::Diagnostic>)> = HashMap::new();
        for (uri, version, diagnostics) in now {
            let key = uri.as_str().to_string();
            if self.published.get(&key).is_none_or(|(_, before)| *before != diagnostics) {
                changes.push(Publish { uri: uri.clone(), version, diagnostics: diagnostics.clone() });
            }
            still.insert(key, (uri, diagnostics));
        }
        // Files deleted, renamed or closed outside the folder: clear what was shown for them.
        for (key, (uri, before)) in &self.published {
            if !still.contains_key(key) && !before.is_empty() {
                changes.push(Publish { uri: uri.clone(), version: None, diagnostics: Vec::new() });
            }
        }
        self.published = still;
        changes
    }
}

fn display_name(uri: &Uri, path: Option<&Path>) -> String {
    match path {
        Some(path) => path.display().to_string(),
        None => uri.as_str().to_string(),
    }
}

/// A checker diagnostic as the editor shows it: the message, then the suggestion.
pub fn to_lsp(diagnostic: &Diagnostic, analysis: &Analysis) -> lsp_types::Diagnostic {
    let message = match &diagnostic.help {
        Some(help) => format!("{}\nhelp: {help}", diagnostic.message),
        None => diagnostic.message.clone(),
    };
    lsp_types::Diagnostic {
        range: analysis.range(diagnostic.span.clone()),
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        source: Some("leap".into()),
        message,
        ..Default::default()
    }
}

impl OpenDocument {
    /// The document's analysis; `Workspace::document` makes it before handing the document out.
    pub fn analysis(&self) -> &Analysis {
        self.analysis.as_ref().expect("analysed by Workspace::document")
    }
}
