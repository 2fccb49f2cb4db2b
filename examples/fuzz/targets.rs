//! What the fuzzer does with one input, and the properties every result must have.
//!
//! Shared with `tests/fuzz_regressions.rs` (through `#[path]`), so a saved finding is replayed
//! there exactly as the fuzzer ran it. A target returns `Err` when a property fails; a panic
//! is caught by the caller.

use std::path::PathBuf;

use leap::cli::OutputFormat;
use leap::engine::Session;
use leap::export::ExportFormat;
use leap::record::settings::Settings;
use leap::record::store::SaveFile;
use leap::record::{SessionLog, read_log, resume};
use leap::scenario::load::parse_bytes;
use leap::scenario::{Corpus, LoadedFile, Scenario};

/// Which reader an input is for; also decides the file extension a finding is saved with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// One or more scenario or campaign files, checked together.
    Scenario,
    /// A session log (JSON Lines).
    Log,
    /// A `save.json` (also read as `settings.json`).
    Save,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Scenario, Kind::Log, Kind::Save];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Scenario => "scenario",
            Kind::Log => "log",
            Kind::Save => "save",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Scenario => "ron",
            Kind::Log => "jsonl",
            Kind::Save => "save.json",
        }
    }

    /// The kind of a saved finding, from its file name.
    pub fn of_file(name: &str) -> Option<Kind> {
        if name.ends_with(".save.json") {
            Some(Kind::Save)
        } else if name.ends_with(".jsonl") {
            Some(Kind::Log)
        } else if name.ends_with(".ron") {
            Some(Kind::Scenario)
        } else {
            None
        }
    }
}

/// What every target may read: the shipped scenarios, and a scratch folder of its own (each
/// thread has one) for the readers that only take paths.
pub struct Context {
    pub shipped: Corpus,
    /// The shipped campaign and one shipped scenario: checked next to every fuzzed file, so
    /// the cross-file checks (duplicate ids, a campaign's scenarios) see real neighbours.
    neighbours: Vec<LoadedFile>,
    scratch: PathBuf,
}

impl Context {
    pub fn new(scenarios: &std::path::Path, scratch: PathBuf) -> Context {
        let shipped = Corpus::load(&[scenarios.to_path_buf()]);
        let campaign = shipped.files.iter().find(|f| f.campaign().is_some()).cloned();
        let scenario = shipped.files.iter().find(|f| f.scenario().is_some()).cloned();
        std::fs::create_dir_all(&scratch).expect("a scratch folder for the fuzzer");
        Context { neighbours: campaign.into_iter().chain(scenario).collect(), shipped, scratch }
    }
}

/// Runs the reader for `kind` on `files` (only scenario inputs have more than one).
pub fn run(kind: Kind, files: &[(String, Vec<u8>)], context: &Context) -> Result<(), String> {
    match kind {
        Kind::Scenario => scenario_files(files, context),
        Kind::Log => files.iter().try_for_each(|(_, bytes)| session_log(bytes, context)),
        Kind::Save => files.iter().try_for_each(|(_, bytes)| save_file(bytes, context)),
    }
}

/// Loading and checking, alone and next to the shipped files, and every way `leap check`
/// prints the result. Any scenario the checker passes must then play without a dead end.
fn scenario_files(files: &[(String, Vec<u8>)], context: &Context) -> Result<(), String> {
    // As `leap check` does: loading, then the trade-off warnings that simulate play.
    let mut loaded: Vec<LoadedFile> = files.iter().map(|(name, bytes)| parse_bytes(name, bytes)).collect();
    loaded.iter_mut().for_each(leap::tools::tradeoffs::annotate_file);
    for file in &loaded {
        file_is_consistent(file)?;
    }
    loaded.extend(context.neighbours.iter().cloned());
    let corpus = Corpus::from_files(loaded);
    for file in &corpus.files {
        file_is_consistent(file)?;
    }
    for format in [OutputFormat::Human, OutputFormat::Short, OutputFormat::Json] {
        let mut out = Vec::new();
        leap::cli::check::report(&corpus, format, false, &mut out).map_err(|e| format!("report failed: {e}"))?;
    }
    for scenario in corpus.files.iter().take(files.len()).filter_map(LoadedFile::scenario) {
        plays_without_dead_ends(scenario)?;
    }
    for (file, (_, bytes)) in corpus.files.iter().zip(files) {
        in_the_editor(file, bytes, context)?;
    }
    Ok(())
}

/// `leap lsp`'s document model: the input arrives as an edit of a shipped file (the changed
/// middle replaced, in UTF-16 positions), then every feature runs at positions taken from
/// the input. Quick fixes must point into the text, and applying one must be possible.
fn in_the_editor(file: &LoadedFile, bytes: &[u8], context: &Context) -> Result<(), String> {
    use leap::lsp::text::{LineIndex, apply_change};
    use leap::lsp::workspace::Workspace;
    use lsp_types::{Position, TextDocumentContentChangeEvent};

    // The server refuses any message over this, so a longer document never reaches it. Below
    // it, the copies made here are kept few (the text is borrowed when it is UTF-8, the check
    // of the edit is dropped before the server's turn), so what is held is mostly the server's.
    if bytes.len() > leap::lsp::transport::MAX_BODY_BYTES {
        return Ok(());
    }
    let text = String::from_utf8_lossy(bytes);
    let before = context.shipped.files.first().map(|f| f.source.clone()).unwrap_or_default();
    let prefix = before.bytes().zip(text.bytes()).take_while(|(a, b)| a == b).count();
    let prefix = (0..=prefix).rev().find(|&p| before.is_char_boundary(p) && text.is_char_boundary(p)).unwrap_or(0);
    let old_lines = LineIndex::new(&before);
    let change = TextDocumentContentChangeEvent {
        range: Some(lsp_types::Range {
            start: old_lines.position(&before, prefix),
            end: old_lines.position(&before, before.len()),
        }),
        range_length: None,
        text: text[prefix..].to_string(),
    };
    let mut edited = before.clone();
    apply_change(&mut edited, &change);
    if edited != text {
        return Err("an edit in UTF-16 positions did not give the text it describes".into());
    }
    drop(edited);
    for d in &file.diagnostics {
        if let Some(fix) = &d.fix
            && (fix.span.start > fix.span.end
                || !file.source.is_char_boundary(fix.span.start)
                || !file.source.is_char_boundary(fix.span.end))
        {
            return Err(format!("the fix of {} points outside the text or inside a character", d.short()));
        }
    }
    let uri: lsp_types::Uri = "untitled:fuzz".parse().map_err(|_| "a URI")?;
    let mut workspace = Workspace::new(None);
    workspace.open(uri.clone(), 1, before);
    workspace.change(&uri, 2, std::slice::from_ref(&change));
    drop(change);
    workspace.check();
    let lines = LineIndex::new(&text);
    let offsets = file.diagnostics.iter().map(|d| d.span.start).chain([0, text.len() / 2, text.len()]).take(8);
    for offset in offsets {
        let position = lines.position(&text, offset);
        for at in [position, Position { line: position.line, character: position.character + 1 }] {
            leap::lsp::hover::hover(&mut workspace, &uri, at);
            leap::lsp::complete::complete(&mut workspace, &uri, at);
            leap::lsp::navigate::definition(&mut workspace, &uri, at);
            leap::lsp::navigate::references(&mut workspace, &uri, at, true);
            let _ = leap::lsp::navigate::rename(&mut workspace, &uri, at, "renamed", true);
            let range = lsp_types::Range { start: at, end: at };
            leap::lsp::fixes::code_actions(&mut workspace, &uri, range);
        }
    }
    let document = workspace.document(&uri).ok_or("the document is open")?;
    leap::lsp::outline::document_symbols(document.analysis());
    leap::lsp::outline::folding_ranges(document.analysis());
    leap::lsp::tokens::semantic_tokens(document.analysis());
    Ok(())
}

/// Positions point into the text, and a file that did not parse says why.
fn file_is_consistent(file: &LoadedFile) -> Result<(), String> {
    for d in &file.diagnostics {
        if d.span.start > d.span.end || d.span.end > file.source.len() {
            return Err(format!("{} points outside the text ({} bytes)", d.short(), file.source.len()));
        }
        if d.line == 0 || d.column == 0 {
            return Err(format!("{} has a zero line or column", d.short()));
        }
    }
    if file.document.is_none() && !file.has_errors() {
        return Err(format!("{} did not parse but has no error", file.path));
    }
    Ok(())
}

/// A few runs through a scenario the checker passed: every beat reached offers a choice,
/// every choice leads somewhere that exists, and a replay of the same choices agrees.
fn plays_without_dead_ends(scenario: &Scenario) -> Result<(), String> {
    for (seed, pick) in [(1u64, 0usize), (2, usize::MAX), (3, 1)] {
        let mut session = Session::new(scenario, seed);
        for _ in 0..200 {
            let beat = match session.current_beat(scenario) {
                Ok(Some(beat)) => beat.id.clone(),
                Ok(None) => break,
                Err(e) => return Err(format!("checked scenario `{}` led nowhere: {e}", scenario.id)),
            };
            let available: Vec<String> = session
                .visible_choices(scenario)
                .into_iter()
                .filter(|v| v.available())
                .map(|v| v.choice.id.clone())
                .collect();
            let Some(choice) = available.get(pick.min(available.len().saturating_sub(1))) else {
                return Err(format!("checked scenario `{}` has no available choice at `{beat}`", scenario.id));
            };
            session.choose(scenario, choice).map_err(|e| format!("`{choice}` at `{beat}` refused: {e}"))?;
            if session.is_over() && session.ending(scenario).is_none() {
                return Err(format!("checked scenario `{}` ended at an ending it lacks", scenario.id));
            }
        }
        let replay = Session::replay(scenario, seed, &session.choice_path()).map_err(|e| format!("replay: {e}"))?;
        if replay != session {
            return Err(format!("a replay of `{}` with seed {seed} came out differently", scenario.id));
        }
    }
    Ok(())
}

/// Reading a log, and everything done with one that reads: exports, resuming, and reopening
/// it to append (which must keep every entry read and cut only a damaged last line).
fn session_log(bytes: &[u8], context: &Context) -> Result<(), String> {
    let path = context.scratch.join("fuzz.jsonl");
    std::fs::write(&path, bytes).map_err(|e| format!("scratch write: {e}"))?;
    let recorded = match read_log(&path) {
        Ok(recorded) => recorded,
        Err(error) => {
            let _ = error.to_string();
            if SessionLog::open_append(&path).is_ok() {
                return Err(format!("read_log refused the log ({error}) but open_append accepted it"));
            }
            let now = std::fs::read(&path).map_err(|e| format!("scratch read: {e}"))?;
            return if now == bytes { Ok(()) } else { Err("a log that could not be read was changed".into()) };
        }
    };
    let scenarios: Vec<&Scenario> = context.shipped.scenarios().collect();
    for format in ExportFormat::ALL {
        let _ = leap::export::render(&recorded, &scenarios, format);
    }
    let _ = leap::export::file_name(&recorded, ExportFormat::Json);
    let _ = recorded.next_number();
    for scenario in &scenarios {
        if recorded.decisions_of(&scenario.id).next().is_some() || recorded.header.scenario == Some(scenario.id.clone())
        {
            let _ = resume(&recorded, scenario).map_err(|e| e.to_string());
        }
    }
    let (log, reopened) = SessionLog::open_append(&path)
        .map_err(|e| format!("read_log accepted the log but open_append refused: {e}"))?;
    drop(log);
    if reopened != recorded {
        return Err("open_append read the log differently from read_log".into());
    }
    let again = read_log(&path).map_err(|e| format!("the log no longer reads after reopening: {e}"))?;
    if again.decisions != recorded.decisions || again.ends != recorded.ends || again.header != recorded.header {
        return Err("reopening the log lost or changed entries".into());
    }
    if again.damaged_tail.is_some() {
        return Err("reopening the log left a damaged last line".into());
    }
    Ok(())
}

/// A save (and the same bytes as settings), and what `Continue` does with a save that reads:
/// find its scenario, check its place, play on, rewind, and carry a campaign forward.
fn save_file(bytes: &[u8], context: &Context) -> Result<(), String> {
    if let Ok(mut settings) = serde_json::from_slice::<Settings>(bytes) {
        settings.step_text_scale(true);
        settings.step_text_scale(false);
    }
    let Ok(save) = serde_json::from_slice::<SaveFile>(bytes) else { return Ok(()) };
    let _ = serde_json::to_vec(&save).map_err(|e| format!("a save that reads cannot be written back: {e}"))?;
    let Some(scenario) = context.shipped.scenario(&save.session.scenario_id) else { return Ok(()) };
    let mut session = save.session.clone();
    let _ = session.lessons_met();
    if session.current_beat(scenario).is_ok() {
        for _ in 0..5 {
            let views = session.visible_choices(scenario);
            let Some(view) = views.iter().find(|v| v.available()) else { break };
            let id = view.choice.id.clone();
            if session.choose(scenario, &id).is_err() {
                break;
            }
        }
    }
    for number in [0, 1, 2, u32::MAX] {
        let _ = save.session.rewound(scenario, number);
    }
    if let Some(mut campaign_run) = save.campaign
        && let Some(campaign) = context.shipped.campaigns().next()
    {
        let _ = campaign_run.next_scenario(campaign);
        let _ = campaign_run.start_stage(campaign, scenario);
        campaign_run.finish_stage(scenario, &session);
        let _ = campaign_run.review(campaign);
        let _ = campaign_run.decisions_before();
    }
    Ok(())
}
