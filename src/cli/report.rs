//! `leap report`: a session log as one printable HTML page.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::export::{ExportFormat, default_dir, file_name, report};
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
    let Some(recorded) = super::export::read_log_for_command(&args.log) else { return ExitCode::from(1) };
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
    // A temporary file renamed into place, as for the other exports; a closed stdout is quiet.
    match crate::record::store::write_bytes_atomic(&out, report::to_html(&recorded, &known).as_bytes()) {
        Ok(()) => {
            let mut stdout = std::io::stdout().lock();
            super::finish_output(writeln!(stdout, "{}", out.display()).map(|()| ExitCode::SUCCESS))
        }
        Err(e) => {
            eprintln!("leap: cannot write {}: {e}", out.display());
            ExitCode::from(1)
        }
    }
}
