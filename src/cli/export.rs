//! `leap export`: a recorded session as CSV, JSON or xAPI statements.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::export::lrs::{LrsConfig, queue_path, send_session};
use crate::export::xapi::{XapiOptions, statements_with};
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
    /// Also send the xAPI statements to this Learning Record Store (its xAPI endpoint, e.g.
    /// https://lrs.example.org/xapi). Unsent statements wait beside the log and are retried.
    #[arg(long, env = "LEAP_LRS_URL", value_name = "URL")]
    pub lrs: Option<String>,
    /// The LRS's basic-auth user (its key).
    #[arg(long, env = "LEAP_LRS_USER", value_name = "USER", requires = "lrs")]
    pub lrs_user: Option<String>,
    /// The LRS's basic-auth password (its secret).
    #[arg(long, env = "LEAP_LRS_PASSWORD", value_name = "PASSWORD", requires = "lrs", hide_env_values = true)]
    pub lrs_password: Option<String>,
    /// Seconds to wait for the LRS to answer each request.
    #[arg(long, default_value_t = 15, value_name = "SECONDS")]
    pub lrs_timeout: u64,
    /// Statements per request.
    #[arg(long, default_value_t = crate::export::lrs::DEFAULT_BATCH, value_name = "N")]
    pub lrs_batch: usize,
    /// The home of activity ids and accounts, such as your LMS's address
    /// (default: https://the-leap.example).
    #[arg(long, env = "LEAP_XAPI_HOME", value_name = "IRI")]
    pub xapi_home: Option<String>,
    /// The learner of a solo run, for the statements' actor (else an anonymous account).
    #[arg(long, env = "LEAP_LEARNER_NAME", value_name = "NAME")]
    pub learner_name: Option<String>,
    /// The learner's e-mail, which identifies them to the LRS.
    #[arg(long, env = "LEAP_LEARNER_EMAIL", value_name = "EMAIL")]
    pub learner_email: Option<String>,
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

/// Reads a session log for a command, saying on standard error what is wrong with it (or what
/// crash damage at its end was left out); `None` when it cannot be read.
pub(super) fn read_log_for_command(log: &Path) -> Option<crate::record::RecordedSession> {
    let recorded = match read_log(log) {
        Ok(recorded) => recorded,
        Err(e) => {
            eprintln!("leap: {e}");
            return None;
        }
    };
    if let Some(damage) = &recorded.damaged_tail {
        eprintln!("leap: note: {}: {damage}", log.display());
    }
    Some(recorded)
}

pub fn run(args: ExportArgs, scenarios: &Path) -> ExitCode {
    let Some(recorded) = read_log_for_command(&args.log) else { return ExitCode::from(1) };
    // Titles and beat text, where the scenarios can still be found; the log alone is enough.
    let corpus = Corpus::load(&[scenarios.to_path_buf()]);
    let known: Vec<&Scenario> = corpus.scenarios().collect();
    for warning in crate::export::changed_since_recorded(&recorded, &known) {
        eprintln!("leap: warning: {warning}");
    }
    let dir = args.out.clone().unwrap_or_else(|| default_dir(&args.log));
    let formats = args.format.map_or(ExportFormat::ALL.to_vec(), |f| vec![f.into()]);
    let options = XapiOptions {
        home: args
            .xapi_home
            .clone()
            .map_or(crate::export::xapi::SITE.to_string(), |h| h.trim_end_matches('/').to_string()),
        learner_name: args.learner_name.clone(),
        learner_email: args.learner_email.clone(),
    };
    let mut out = std::io::stdout().lock();
    let mut printed = Ok(());
    // Every export is written even when nobody reads the paths printed.
    for format in formats {
        let written = if format == ExportFormat::Xapi {
            write_xapi(&recorded, &known, &options, &dir)
        } else {
            write_export(&recorded, &known, format, &dir)
        };
        match written {
            Ok(path) => printed = printed.and_then(|()| writeln!(out, "{}", path.display())),
            Err(e) => {
                eprintln!("leap: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let code = match &args.lrs {
        Some(url) => send(&args, url, &recorded, statements_with(&recorded, &known, &options), &mut out),
        None => Ok(ExitCode::SUCCESS),
    };
    super::finish_output(printed.and(code).and_then(|code| out.flush().map(|()| code)))
}

fn write_xapi(
    recorded: &crate::record::RecordedSession,
    known: &[&Scenario],
    options: &XapiOptions,
    dir: &Path,
) -> Result<PathBuf, crate::export::ExportError> {
    let path = dir.join(crate::export::file_name(recorded, ExportFormat::Xapi));
    let write_error = |error| crate::export::ExportError::Write { path: path.clone(), error };
    let text = serde_json::to_string_pretty(&statements_with(recorded, known, options))
        .map_err(|e| crate::export::ExportError::Encode { format: ExportFormat::Xapi, problem: e.to_string() })?;
    // A temporary file renamed into place, as for the other formats.
    crate::record::store::write_bytes_atomic(&path, text.as_bytes()).map_err(write_error)?;
    Ok(path)
}

fn send(
    args: &ExportArgs,
    url: &str,
    recorded: &crate::record::RecordedSession,
    statements: Vec<crate::export::Statement>,
    out: &mut impl Write,
) -> std::io::Result<ExitCode> {
    let mut config = LrsConfig::new(url.trim());
    config.user = args.lrs_user.clone();
    config.password = args.lrs_password.clone();
    config.timeout = std::time::Duration::from_secs(args.lrs_timeout.max(1));
    config.batch = args.lrs_batch.max(1);
    match send_session(&args.log, statements, &config, |_| {}) {
        Ok(report) => {
            let again = if report.already_there > 0 {
                format!(" ({} of them it had already)", report.already_there)
            } else {
                String::new()
            };
            writeln!(
                out,
                "LRS: {} statements of \"{}\" accepted by {}{again}; {}",
                report.accepted, recorded.header.session, config.endpoint, report.status
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let (queue, _) = crate::export::lrs::read_queue(&queue_path(&args.log));
            eprintln!("leap: LRS: {e}");
            eprintln!("leap: LRS: {} waiting in {}", queue.waiting.len(), queue_path(&args.log).display());
            Ok(ExitCode::from(1))
        }
    }
}
