//! Exports of a recorded session for facilitators and learning systems: a CSV table (one row
//! per decision), the whole session as JSON, and xAPI 1.0.3 statements for a learning record
//! store. All are made from the session log alone; the scenarios, when given, add titles and
//! beat text. Knows nothing of Bevy.

pub mod chart;
pub mod csv_rows;
pub mod json_document;
pub mod lrs;
pub mod replay;
pub mod report;
pub mod svg;
pub mod xapi;

use std::io;
use std::path::{Path, PathBuf};

use crate::record::{LogError, RecordedSession, read_log};
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

#[derive(Debug)]
pub enum ExportError {
    Log(LogError),
    Write {
        path: PathBuf,
        error: io::Error,
    },
    /// The data could not be turned into the format (not expected for logs this game writes).
    Encode {
        format: ExportFormat,
        problem: String,
    },
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::Log(e) => write!(f, "{e}"),
            ExportError::Write { path, error } => write!(f, "cannot write {}: {error}", path.display()),
            ExportError::Encode { format, problem } => {
                write!(f, "cannot write the session as {}: {problem}", format.extension())
            }
        }
    }
}

impl std::error::Error for ExportError {}

impl From<LogError> for ExportError {
    fn from(e: LogError) -> Self {
        ExportError::Log(e)
    }
}

/// The scenario with `id` among `scenarios`, for titles and text; exports work without it.
pub(crate) fn find<'a>(scenarios: &[&'a Scenario], id: &str) -> Option<&'a Scenario> {
    scenarios.iter().copied().find(|s| s.id == id)
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

/// `<session name>.<extension>`, the name made safe for any file system.
pub fn file_name(recorded: &RecordedSession, format: ExportFormat) -> String {
    let safe: String = recorded
        .header
        .session
        .chars()
        .map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '-' } else { c })
        .collect();
    let safe = safe.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let stem = if safe.is_empty() { "session" } else { safe };
    format!("{stem}.{}", format.extension())
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
    std::fs::create_dir_all(dir).map_err(write_error)?;
    std::fs::write(&path, text).map_err(write_error)?;
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
