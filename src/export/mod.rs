//! Exports of a recorded session for facilitators and learning systems: a CSV table (one row
//! per decision), the whole session as JSON, and xAPI 1.0.3 statements for a learning record
//! store. All are made from the session log alone; the scenarios, when given, add titles and
//! beat text. Knows nothing of Bevy.

pub mod chart;
pub mod csv_rows;
pub mod json_document;
pub mod lrs;
pub mod lrs_setup;
pub mod replay;
pub mod report;
mod report_everyone;
pub mod svg;
pub mod xapi;

use std::io;
use std::path::{Path, PathBuf};

use crate::record::{DecisionTexts, LogError, LoggedDecision, RecordedSession, read_log};
use crate::scenario::Scenario;

pub use csv_rows::{CSV_COLUMNS, to_csv};
pub use json_document::{from_json, to_json};
pub use xapi::{Statement, statements, to_xapi_json};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    Csv,
    Json,
    Xapi,
    /// The printable HTML session report (`leap report`).
    Report,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] =
        [ExportFormat::Csv, ExportFormat::Json, ExportFormat::Xapi, ExportFormat::Report];

    /// What the file name ends with.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Xapi => "xapi.json",
            ExportFormat::Report => "report.html",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Log(#[from] LogError),
    #[error("cannot write {}: {error}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        error: io::Error,
    },
    /// The data could not be turned into the format (not expected for logs this game writes).
    #[error("cannot write the session as {}: {problem}", format.extension())]
    Encode { format: ExportFormat, problem: String },
}

/// The scenario with `id` among `scenarios`, for titles and text; exports work without it.
pub(crate) fn find<'a>(scenarios: &[&'a Scenario], id: &str) -> Option<&'a Scenario> {
    scenarios.iter().copied().find(|s| s.id == id)
}

/// The texts a decision was made with: as the log recorded them, or, for a log from before
/// texts were recorded, as the scenario file says now (empty where it is not known).
pub(crate) fn texts_of(decision: &LoggedDecision, scenarios: &[&Scenario]) -> DecisionTexts {
    if let Some(texts) = &decision.texts {
        return texts.clone();
    }
    match find(scenarios, &decision.scenario) {
        Some(scenario) => DecisionTexts::of(scenario, &decision.beat, &decision.chosen),
        None => DecisionTexts { scenario_title: String::new(), beat_text: String::new(), chosen_text: String::new() },
    }
}

/// How the decision's choice stood to its lesson: as the log recorded it, or, for a log from
/// before stances were recorded, as the scenario file says now.
pub(crate) fn stance_of(decision: &LoggedDecision, scenarios: &[&Scenario]) -> Option<crate::scenario::Stance> {
    decision.stance.or_else(|| {
        let beat = find(scenarios, &decision.scenario)?.beat(&decision.beat)?;
        beat.choices.iter().find(|c| c.id == decision.chosen)?.stance
    })
}

/// Warnings for scenarios whose files changed since the session was recorded: the export
/// then keeps the texts the log recorded, and a log without them gets today's texts.
pub fn changed_since_recorded(recorded: &RecordedSession, scenarios: &[&Scenario]) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut warned = std::collections::BTreeSet::new();
    for decision in &recorded.decisions {
        let Some(scenario) = find(scenarios, &decision.scenario) else { continue };
        let now = DecisionTexts::of(scenario, &decision.beat, &decision.chosen);
        let changed = match &decision.texts {
            Some(then) => *then != now,
            // Without recorded texts, a beat or choice that is gone is all that can be seen.
            None => now.beat_text.is_empty() || now.chosen_text.is_empty(),
        };
        if changed && warned.insert(decision.scenario.clone()) {
            let using = if decision.texts.is_some() {
                "the export uses the texts recorded in the log"
            } else {
                "this log has no recorded texts, so some of the export's text columns are empty or today's"
            };
            warnings.push(format!(
                "the scenario `{}` has changed since the session was recorded (decision {} at the beat `{}` \
                 reads differently now); {using}",
                decision.scenario, decision.number, decision.beat
            ));
        }
    }
    warnings
}

/// The session's export in `format`, as text.
pub fn render(
    recorded: &RecordedSession,
    scenarios: &[&Scenario],
    format: ExportFormat,
) -> Result<String, ExportError> {
    let encode = |problem: String| ExportError::Encode { format, problem };
    match format {
        ExportFormat::Csv => to_csv(recorded, scenarios).map_err(|e| encode(e.to_string())),
        ExportFormat::Json => to_json(recorded).map_err(|e| encode(e.to_string())),
        ExportFormat::Xapi => to_xapi_json(recorded, scenarios).map_err(|e| encode(e.to_string())),
        ExportFormat::Report => Ok(report::to_html(recorded, scenarios)),
    }
}

/// `<session> - <scenario or campaign> - <start> - <id>.<extension>`, unique to the session
/// (two sessions of one name, or of one scenario, never share a file), made safe for any file
/// system: no path separators, control or bidirectional-override characters, and at most 255
/// bytes.
pub fn file_name(recorded: &RecordedSession, format: ExportFormat) -> String {
    let header = &recorded.header;
    let mut parts = vec![safe_part(&header.session, 120).unwrap_or_else(|| "session".into())];
    let played = header.campaign.as_deref().or(header.scenario.as_deref()).unwrap_or_default();
    parts.extend(safe_part(played, 60));
    parts.extend(safe_part(&header.started_at.replace([':', '-'], ""), 20));
    parts.extend(header.id.as_deref().and_then(|id| safe_part(id, 16)));
    format!("{}.{}", parts.join(" - "), format.extension())
}

/// `text` without characters a file name must not have or should not show, cut to at most
/// `max_bytes` on a character boundary; None when nothing is left.
pub fn safe_part(text: &str, max_bytes: usize) -> Option<String> {
    let cleaned: String = text
        .chars()
        .filter(|c| !is_invisible_format(*c))
        .map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '-' } else { c })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let mut cut = trimmed.len().min(max_bytes);
    while !trimmed.is_char_boundary(cut) {
        cut -= 1;
    }
    let part = trimmed[..cut].trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    (!part.is_empty()).then(|| part.to_string())
}

/// Unicode format characters that change how a name is shown without being seen: the
/// bidirectional overrides and isolates (which can make `exe.txt` read as `txt.exe`), marks,
/// zero-width characters and the byte-order mark.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// The folder exports go to by default: `exports` next to the log.
pub fn default_dir(log: &Path) -> PathBuf {
    log.parent().unwrap_or(Path::new("")).join("exports")
}

/// Writes the export in `format` into `dir` (made if needed), replacing an earlier export of
/// the same session; returns its path.
pub fn write_export(
    recorded: &RecordedSession,
    scenarios: &[&Scenario],
    format: ExportFormat,
    dir: &Path,
) -> Result<PathBuf, ExportError> {
    let text = render(recorded, scenarios, format)?;
    let path = dir.join(file_name(recorded, format));
    let write_error = |error| ExportError::Write { path: path.clone(), error };
    // A temporary file renamed into place: a full disk leaves an earlier export as it was.
    crate::record::store::write_bytes_atomic(&path, text.as_bytes()).map_err(write_error)?;
    Ok(path)
}

/// Reads the log at `log` and writes every format into `dir`; returns the paths written.
pub fn export_all(log: &Path, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    export_all_with(log, dir, &[])
}

/// [`export_all`], with the scenarios for titles and beat text.
pub fn export_all_with(log: &Path, dir: &Path, scenarios: &[&Scenario]) -> Result<Vec<PathBuf>, ExportError> {
    let recorded = read_log(log)?;
    ExportFormat::ALL.iter().map(|format| write_export(&recorded, scenarios, *format, dir)).collect()
}
