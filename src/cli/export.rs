//! `leap export`: a recorded session as CSV, JSON or xAPI statements.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::export::{ExportFormat, default_dir, write_export};
use crate::record::read_log;
use crate::scenario::{Corpus, Scenario};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The session log: a .jsonl file written by `leap play --text --record` or a workshop.
    pub log: PathBuf,
    /// What to write (all four when left out).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Folder to write into (default: `exports` next to the log).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// One row per decision, for spreadsheets: <session>.csv
    Csv,
    /// The whole session as one JSON document: <session>.json
    Json,
    /// xAPI 1.0.3 statements for a learning record store: <session>.xapi.json
    Xapi,
    /// The printable HTML session report: <session>.report.html
    Report,
}

impl From<FormatArg> for ExportFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Csv => ExportFormat::Csv,
            FormatArg::Json => ExportFormat::Json,
            FormatArg::Xapi => ExportFormat::Xapi,
            FormatArg::Report => ExportFormat::Report,
        }
    }
}

pub fn run(args: ExportArgs, scenarios: &Path) -> ExitCode {
    let recorded = match read_log(&args.log) {
        Ok(recorded) => recorded,
        Err(e) => {
            eprintln!("leap: {e}");
            return ExitCode::from(1);
        }
    };
    if let Some(damage) = &recorded.damaged_tail {
        eprintln!("leap: note: {}: {damage}", args.log.display());
    }
    // Titles and beat text, where the scenarios can still be found; the log alone is enough.
    let corpus = Corpus::load(&[scenarios.to_path_buf()]);
    let known: Vec<&Scenario> = corpus.scenarios().collect();
    let dir = args.out.unwrap_or_else(|| default_dir(&args.log));
    let formats = args.format.map_or(ExportFormat::ALL.to_vec(), |f| vec![f.into()]);
    for format in formats {
        match write_export(&recorded, &known, format, &dir) {
            Ok(path) => println!("{}", path.display()),
            Err(e) => {
                eprintln!("leap: {e}");
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}
