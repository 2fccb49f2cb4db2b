//! `leap lessons`: which scenarios teach which lessons, and any lesson left uncovered.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::scenario::lessons::LESSONS;
use crate::scenario::{Corpus, Scenario};

#[derive(Debug, Args)]
pub struct LessonsArgs {
    /// Files or folders to read (default: the scenarios folder).
    pub paths: Vec<PathBuf>,
}

/// How many choices in `scenario` teach each lesson, in the order of `LESSONS`.
pub fn coverage(scenario: &Scenario) -> Vec<usize> {
    LESSONS
        .iter()
        .map(|l| scenario.beats.iter().flat_map(|b| &b.choices).filter(|c| c.lesson == l.id).count())
        .collect()
}

/// Lesson ids no scenario teaches.
pub fn uncovered<'a>(scenarios: impl IntoIterator<Item = &'a Scenario>) -> Vec<&'static str> {
    let mut totals = vec![0; LESSONS.len()];
    for scenario in scenarios {
        for (total, n) in totals.iter_mut().zip(coverage(scenario)) {
            *total += n;
        }
    }
    LESSONS.iter().zip(totals).filter(|(_, n)| *n == 0).map(|(l, _)| l.id).collect()
}

pub fn run(args: LessonsArgs, scenarios: &Path) -> ExitCode {
    let paths = if args.paths.is_empty() { vec![scenarios.to_path_buf()] } else { args.paths };
    let corpus = Corpus::load(&paths);
    super::finish_output(print_matrix(&corpus, &mut std::io::stdout().lock()))
}

pub fn print_matrix(corpus: &Corpus, out: &mut impl Write) -> std::io::Result<ExitCode> {
    let scenarios: Vec<&Scenario> = corpus.scenarios().collect();
    for file in corpus.files.iter().filter(|f| f.has_errors()) {
        writeln!(out, "skipped {} (it has errors; run `leap check`)", file.path)?;
    }
    writeln!(out, "Scenarios:")?;
    for (i, s) in scenarios.iter().enumerate() {
        writeln!(out, "  S{} = {} ({})", i + 1, s.id, s.title)?;
    }
    writeln!(out)?;
    write!(out, "{:<44}", "Lesson")?;
    for i in 0..scenarios.len() {
        write!(out, "{:>4}", format!("S{}", i + 1))?;
    }
    writeln!(out, "{:>7}", "total")?;
    let columns: Vec<Vec<usize>> = scenarios.iter().map(|s| coverage(s)).collect();
    for (row, lesson) in LESSONS.iter().enumerate() {
        let label = format!("{} {}", lesson.id, lesson.name);
        write!(out, "{:<44}", truncate(&label, 43))?;
        let mut total = 0;
        for column in &columns {
            let n = column[row];
            total += n;
            write!(out, "{:>4}", if n == 0 { ".".to_string() } else { n.to_string() })?;
        }
        writeln!(out, "{:>7}{}", total, if total == 0 { "  <- not covered" } else { "" })?;
    }
    let missing = uncovered(scenarios.iter().copied());
    writeln!(out)?;
    if missing.is_empty() {
        writeln!(out, "All {} lessons are taught by at least one decision.", LESSONS.len())?;
        Ok(ExitCode::SUCCESS)
    } else {
        writeln!(out, "Not covered: {}", missing.join(", "))?;
        Ok(ExitCode::from(1))
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_string() } else { text.chars().take(max - 1).collect::<String>() + "…" }
}
