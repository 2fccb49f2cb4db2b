//! `leap report`: a session log as one printable HTML page.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::export::{ExportFormat, default_dir, file_name, report};
use crate::record::read_log;
use crate::scenario::{Corpus, Scenario};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The session log: a .jsonl file written by `leap play --text --record`, a workshop or
    /// the game.
    pub log: PathBuf,
    /// The HTML file to write (default: `exports/<session>.report.html` next to the log).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(args: ReportArgs, scenarios: &Path) -> ExitCode {
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
    // Scenario text makes the report worth reading; without the files it still lists the log.
    let corpus = Corpus::load(&[scenarios.to_path_buf()]);
    let known: Vec<&Scenario> = corpus.scenarios().collect();
    let out = args.out.unwrap_or_else(|| default_dir(&args.log).join(file_name(&recorded, ExportFormat::Report)));
    if let Some(folder) = out.parent().filter(|p| !p.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(folder)
    {
        eprintln!("leap: cannot make the folder {}: {e}", folder.display());
        return ExitCode::from(1);
    }
    match std::fs::write(&out, report::to_html(&recorded, &known)) {
        Ok(()) => {
            println!("{}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("leap: cannot write {}: {e}", out.display());
            ExitCode::from(1)
        }
    }
}
