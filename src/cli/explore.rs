//! `leap explore`: every state a scenario can reach, and what that says about its paths.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::select::{ReportFormat, scenarios};
use crate::tools::explore::{
    DEFAULT_MAX_STATES, DEFAULT_SAMPLE_RUNS, ExploreConfig, ExploreReport, Item, Method, explore,
};
use crate::tools::stats::{MeterSpans, Span};

#[derive(Debug, Args)]
pub struct ExploreArgs {
    /// Scenario files, folders or ids (default: every scenario in the scenarios folder).
    pub targets: Vec<String>,
    /// Stop exploring after this many distinct states and sample runs instead.
    #[arg(long, default_value_t = DEFAULT_MAX_STATES,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_states: usize,
    /// Runs to sample when the state space is too large.
    #[arg(long, default_value_t = DEFAULT_SAMPLE_RUNS)]
    pub sample_runs: u64,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    scenarios: &'a [ExploreReport],
    skipped: &'a [String],
}

pub fn run(args: ExploreArgs, scenarios_dir: &Path) -> ExitCode {
    let (found, mut problems) = scenarios(&args.targets, scenarios_dir);
    let config = ExploreConfig { max_states: args.max_states, sample_runs: args.sample_runs, seed: 1 };
    let mut reports = Vec::new();
    for (scenario, _) in &found {
        match explore(scenario, &config) {
            Ok(report) => reports.push(report),
            Err(why) => problems.push(format!("skipped {}: {why}", scenario.id)),
        }
    }
    let failed = !problems.is_empty() || reports.is_empty();
    let mut out = std::io::stdout().lock();
    let printed = match args.format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &JsonReport { scenarios: &reports, skipped: &problems })
                .map_err(std::io::Error::other)
                .and_then(|_| writeln!(out))
        }
        ReportFormat::Human => (|| {
            for problem in &problems {
                eprintln!("leap: {problem}");
            }
            for report in &reports {
                print_report(report, &mut out)?;
            }
            Ok(())
        })(),
    };
    super::finish_output(printed.map(|_| if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }))
}

pub fn print_report(r: &ExploreReport, out: &mut impl Write) -> std::io::Result<()> {
    write!(out, "{} ({}): ", r.title, r.scenario)?;
    match r.method {
        Method::Exhaustive { states } => writeln!(out, "explored all {states} states")?,
        Method::Sampled { states_seen, runs } => writeln!(
            out,
            "more than {states_seen} states, too many to explore; these results come from {runs} sampled runs (least-used policy) and may miss rare paths"
        )?,
    }
    let how = |reachable: bool, only_by_chance: Option<bool>| match (reachable, only_by_chance) {
        (false, _) if r.is_exhaustive() => "never reachable",
        (false, _) => "not seen",
        (true, Some(true)) => "only by chance",
        (true, _) => "reachable",
    };
    writeln!(out, "\n  Endings, with the meters on arrival (trust, impact, engagement)")?;
    let width = r.endings.iter().map(|e| e.id.chars().count()).max().unwrap_or(0);
    for e in &r.endings {
        let meters = e.meters.map(|m| format!("  {}", spans(&m))).unwrap_or_default();
        writeln!(out, "    {:<width$}  {:<15}{meters}", e.id, how(e.reachable, e.only_by_chance))?;
    }
    print_items(out, "Beats", &r.beats, r.is_exhaustive(), |i| i.beat.clone())?;
    print_items(out, "Choices", &r.choices, r.is_exhaustive(), |i| {
        format!("{}/{}", i.beat, i.choice.as_deref().unwrap_or("?"))
    })?;
    let lucky = |b: Option<bool>| b == Some(true);
    if r.endings.iter().any(|e| lucky(e.only_by_chance))
        || r.beats.iter().chain(&r.choices).any(|i| lucky(i.only_by_chance))
    {
        writeln!(out, "\n  \"Only by chance\": reachable, but no way of playing guarantees it.")?;
    }
    writeln!(out)
}

fn print_items(
    out: &mut impl Write,
    what: &str,
    items: &[Item],
    exhaustive: bool,
    name: impl Fn(&Item) -> String,
) -> std::io::Result<()> {
    let reachable = items.iter().filter(|i| i.reachable).count();
    writeln!(out, "\n  {what}: {reachable} of {} {}", items.len(), if exhaustive { "reachable" } else { "seen" })?;
    let never: Vec<String> = items.iter().filter(|i| !i.reachable).map(&name).collect();
    if !never.is_empty() {
        writeln!(out, "    {}: {}", if exhaustive { "never reachable" } else { "not seen" }, never.join(", "))?;
    }
    let lucky: Vec<String> = items.iter().filter(|i| i.only_by_chance == Some(true)).map(&name).collect();
    if !lucky.is_empty() {
        writeln!(out, "    only by chance: {}", lucky.join(", "))?;
    }
    Ok(())
}

fn spans(meters: &MeterSpans) -> String {
    let one = |s: &Span| if s.min == s.max { s.min.to_string() } else { format!("{}-{}", s.min, s.max) };
    format!("trust {}, impact {}, engagement {}", one(&meters[0]), one(&meters[1]), one(&meters[2]))
}
