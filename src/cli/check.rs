//! `leap check`: print every diagnostic; exit 1 when any is an error.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::OutputFormat;
use crate::scenario::{Corpus, Diagnostic};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: the scenarios folder).
    pub paths: Vec<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    files: Vec<&'a str>,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<&'a Diagnostic>,
}

pub fn run(args: CheckArgs, scenarios: &Path) -> ExitCode {
    let paths = if args.paths.is_empty() { vec![scenarios.to_path_buf()] } else { args.paths };
    let mut corpus = Corpus::load_for_check(&paths, scenarios);
    crate::tools::tradeoffs::annotate_corpus(&mut corpus);
    let stdout = std::io::stdout();
    let color = stdout.is_terminal();
    super::finish_output(report(&corpus, args.format, color, &mut stdout.lock()))
}

pub fn report(corpus: &Corpus, format: OutputFormat, color: bool, out: &mut impl Write) -> std::io::Result<ExitCode> {
    let errors = corpus.error_count();
    let warnings = corpus.diagnostics().count() - errors;
    match format {
        OutputFormat::Json => {
            let report = JsonReport {
                files: corpus.files.iter().map(|f| f.path.as_str()).collect(),
                errors,
                warnings,
                diagnostics: corpus.diagnostics().collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::other)?;
            writeln!(out)?;
        }
        OutputFormat::Short => {
            for d in corpus.diagnostics() {
                writeln!(out, "{}", d.short())?;
            }
        }
        OutputFormat::Human => {
            for file in &corpus.files {
                for d in &file.diagnostics {
                    writeln!(out, "{}", d.render(&file.source, color))?;
                }
            }
            writeln!(
                out,
                "checked {} file{}: {errors} error{}, {warnings} warning{}",
                corpus.files.len(),
                plural(corpus.files.len()),
                plural(errors),
                plural(warnings)
            )?;
        }
    }
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
