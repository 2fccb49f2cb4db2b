//! `leap simulate`: Monte-Carlo playthroughs and their report.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use clap::builder::PossibleValuesParser;
use serde::Serialize;

use super::select::{ReportFormat, campaigns, scenarios};
use crate::tools::campaign_sim::{CampaignReport, simulate_campaign};
use crate::tools::policy::Policy;
use crate::tools::simulate::{DEFAULT_MAX_DECISIONS, Example, SimConfig, SimReport, simulate};

/// An ending reached in fewer runs than this share is marked rare.
const RARE: f64 = 0.05;

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Scenario files, folders or ids (default: every scenario in the scenarios folder).
    pub targets: Vec<String>,
    /// Playthroughs per scenario.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub runs: u64,
    /// Run i uses seed SEED+i, so the same seed gives the same report.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How the simulated player chooses: at random, the option taken least so far, or a
    /// persona that prefers one meter (balanced: the sum of all three).
    #[arg(long, default_value = "random", value_parser = PossibleValuesParser::new(Policy::NAMES))]
    pub policy: String,
    /// A persona of your own instead of --policy, e.g. trust=1,impact=2,engagement=0.
    #[arg(long, conflicts_with = "policy", value_name = "WEIGHTS")]
    pub weights: Option<String>,
    /// A run that has not ended after this many decisions is stopped and counted as unfinished.
    #[arg(long, default_value_t = DEFAULT_MAX_DECISIONS)]
    pub max_decisions: u32,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
    /// Also write SVG charts into DIR: each scenario's ending shares under every policy
    /// (`<id>.endings.svg`) and its meters at the end under this one (`<id>.meters.svg`).
    #[arg(long, value_name = "DIR")]
    pub plot: Option<std::path::PathBuf>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    scenarios: &'a [SimReport],
    campaigns: &'a [CampaignReport],
    skipped: &'a [String],
}

pub fn run(args: SimulateArgs, scenarios_dir: &Path) -> ExitCode {
    let policy = match &args.weights {
        Some(spec) => Policy::from_weights(spec),
        None => Policy::named(&args.policy),
    };
    let policy = match policy {
        Ok(p) => p,
        Err(why) => {
            eprintln!("leap: {why}");
            return ExitCode::from(2);
        }
    };
    // Run i uses seed SEED+i; seeds past the largest would wrap round to 0 and repeat.
    if args.seed.checked_add(args.runs - 1).is_none() {
        eprintln!(
            "leap: --seed {} with --runs {} would need seeds past {}; use --seed {} or lower",
            args.seed,
            args.runs,
            u64::MAX,
            u64::MAX - (args.runs - 1)
        );
        return ExitCode::from(2);
    }
    // Campaigns are simulated only when named: `leap simulate the-leap`.
    let (mut found_campaigns, rest, library) = campaigns(&args.targets, scenarios_dir);
    if args.targets.is_empty() {
        found_campaigns.clear();
    }
    let (found, mut problems) = if args.targets.is_empty() || !rest.is_empty() {
        scenarios(&rest, scenarios_dir)
    } else {
        (Vec::new(), Vec::new())
    };
    let mut campaign_reports = Vec::new();
    let stages: Vec<_> = library.scenarios().collect();
    for campaign in &found_campaigns {
        match simulate_campaign(campaign, &stages, &policy, args.runs, args.seed) {
            Ok(report) => campaign_reports.push(report),
            Err(why) => problems.push(format!("skipped campaign {}: {why}", campaign.id)),
        }
    }
    let config = SimConfig { runs: args.runs, seed: args.seed, policy, max_decisions: args.max_decisions, threads: 0 };
    let (mut reports, mut files) = (Vec::new(), Vec::new());
    for (scenario, file) in &found {
        match simulate(scenario, &config) {
            Ok(report) => {
                reports.push(report);
                files.push(file.as_str());
            }
            Err(why) => problems.push(format!("skipped {}: {why}", scenario.id)),
        }
    }
    if let Some(dir) = &args.plot {
        match plot(dir, &found, &reports, &config) {
            Ok(written) => written.iter().for_each(|path| eprintln!("leap: wrote {}", path.display())),
            Err(why) => problems.push(why),
        }
    }
    let failed = !problems.is_empty() || (reports.is_empty() && campaign_reports.is_empty());
    let mut out = std::io::stdout().lock();
    let printed = match args.format {
        ReportFormat::Json => serde_json::to_writer_pretty(
            &mut out,
            &JsonReport { scenarios: &reports, campaigns: &campaign_reports, skipped: &problems },
        )
        .map_err(std::io::Error::other)
        .and_then(|_| writeln!(out)),
        ReportFormat::Human => (|| {
            for problem in &problems {
                eprintln!("leap: {problem}");
            }
            for (report, file) in reports.iter().zip(&files) {
                print_report(report, file, &mut out)?;
            }
            for report in &campaign_reports {
                print_campaign(report, &mut out)?;
            }
            Ok(())
        })(),
    };
    super::finish_output(printed.map(|_| if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }))
}

/// Writes the charts of `--plot`; the ending shares need the scenario run under every named
/// policy (and the chosen one, when it is custom weights), with the same runs and seeds.
fn plot(
    dir: &Path,
    found: &[(crate::scenario::Scenario, String)],
    reports: &[SimReport],
    config: &SimConfig,
) -> Result<Vec<std::path::PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot make the folder {}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for report in reports {
        let Some((scenario, _)) = found.iter().find(|(s, _)| s.id == report.scenario) else { continue };
        let mut by_policy = Vec::new();
        for name in Policy::NAMES {
            let policy = Policy::named(name).map_err(|e| e.to_string())?;
            let other = SimConfig { policy, ..config.clone() };
            by_policy.push(simulate(scenario, &other).map_err(|why| format!("skipped {}: {why}", scenario.id))?);
        }
        if !by_policy.iter().any(|r| r.policy == report.policy) {
            by_policy.push(report.clone());
        }
        for (name, svg) in [
            ("endings", crate::tools::plot::endings_by_policy_svg(&by_policy)),
            ("meters", crate::tools::plot::meter_distributions_svg(report)),
        ] {
            let path = dir.join(format!("{}.{name}.svg", report.scenario));
            std::fs::write(&path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            written.push(path);
        }
    }
    Ok(written)
}

/// Prints one report; `file` is what `leap play --text` is given to replay a run.
pub fn print_report(r: &SimReport, file: &str, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "{} ({})", r.title, r.scenario)?;
    writeln!(
        out,
        "  {} runs, policy {}, seeds {} to {}; {:.1} decisions on average (shortest {}, longest {})",
        r.runs,
        r.policy,
        r.seed,
        r.seed.saturating_add(r.runs.saturating_sub(1)),
        r.average_length,
        r.shortest,
        r.longest
    )?;

    writeln!(out, "\n  Endings{:>39}{:>8}", "runs", "share")?;
    let id_width = r.endings.iter().map(|e| e.id.chars().count()).max().unwrap_or(0).max(10);
    for e in &r.endings {
        let label = format!("{:<id_width$}  {}", e.id, e.verdict);
        let note = if e.runs == 0 {
            "  never reached"
        } else if e.share < RARE {
            "  rare"
        } else {
            ""
        };
        writeln!(out, "    {label:<40}{:>6}{:>7.1}%  {}{note}", e.runs, 100.0 * e.share, bar(e.share, 1.0, 20))?;
    }
    if r.unfinished > 0 {
        writeln!(out, "    {} runs did not end within {} decisions (a loop?)", r.unfinished, r.max_decisions)?;
    }

    if r.unfinished == r.runs {
        writeln!(out, "\n  No run reached an ending, so there are no final meters to show.")?;
    } else {
        print_meters(r, out)?;
    }
    print_coverage(r, file, out)
}

/// Percentiles, then a histogram per meter, of the final meters of finished runs.
fn print_meters(r: &SimReport, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "\n  Final meters       mean   min    p5   p25   p50   p75   p95   max")?;
    for m in &r.meters {
        write!(out, "    {:<16}{:>6.1}{:>6}", m.label, m.mean, m.min)?;
        for (_, value) in &m.percentiles {
            write!(out, "{value:>6}")?;
        }
        writeln!(out, "{:>6}", m.max)?;
    }
    for m in &r.meters {
        writeln!(out, "\n  {} at the end (runs per band of 10)", m.label)?;
        let first = m.buckets.iter().position(|n| *n > 0).unwrap_or(0);
        let last = m.buckets.iter().rposition(|n| *n > 0).unwrap_or(0);
        let most = *m.buckets.iter().max().unwrap_or(&0);
        for (band, count) in m.buckets.iter().enumerate().take(last + 1).skip(first) {
            let high = if band == 9 { 100 } else { band * 10 + 9 };
            writeln!(out, "    {:>3}-{:<3} | {:<30} {count}", band * 10, high, bar(*count as f64, most as f64, 30))?;
        }
    }
    Ok(())
}

/// What was never visited, then a replay for each ending reached.
fn print_coverage(r: &SimReport, file: &str, out: &mut impl Write) -> std::io::Result<()> {
    let beats: Vec<&str> = r.beats_never_visited().collect();
    let choices: Vec<String> =
        r.choices_never_taken().map(|v| format!("{}/{}", v.beat, v.choice.as_deref().unwrap_or("?"))).collect();
    writeln!(out)?;
    if beats.is_empty() && choices.is_empty() {
        writeln!(out, "  Every beat was visited and every choice taken.")?;
    }
    if !beats.is_empty() {
        writeln!(out, "  Beats never visited: {}", beats.join(", "))?;
    }
    if !choices.is_empty() {
        writeln!(out, "  Choices never taken (beat/choice): {}", choices.join(", "))?;
    }

    writeln!(out, "\n  Replays: the first run to reach each ending. Type its choices into `leap play --text`:")?;
    for e in &r.endings {
        if let Some(example) = &e.example {
            let rare = if e.share < RARE { " (rare)" } else { "" };
            writeln!(out, "    {}{rare}: {}", e.id, replay_line(file, example))?;
        }
    }
    if let Some(example) = &r.unfinished_example {
        writeln!(out, "    unfinished: {}", replay_line(file, example))?;
    }
    writeln!(out)
}

/// `seed 17, choices 2,3,1` and, below it, `printf '2\n3\n1\n' | leap play --text FILE --seed 17`.
pub fn replay_line(file: &str, example: &Example) -> String {
    let numbers: Vec<String> = example.choices.iter().map(u16::to_string).collect();
    let typed: String = numbers.iter().map(|n| format!("{n}\\n")).collect();
    format!(
        "seed {}, choices {}\n        printf '{typed}' | leap play --text {file} --seed {}",
        example.seed,
        numbers.join(","),
        example.seed
    )
}

fn bar(value: f64, most: f64, width: usize) -> String {
    if most <= 0.0 || value <= 0.0 {
        return String::new();
    }
    let length = ((value / most) * width as f64).round().max(1.0) as usize;
    "#".repeat(length.min(width))
}

/// The review outcomes reached and each meter's median as every stage starts.
pub fn print_campaign(r: &CampaignReport, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "Campaign {} ({})", r.title, r.campaign)?;
    writeln!(
        out,
        "  {} runs, policy {}, seeds {} to {}",
        r.runs,
        r.policy,
        r.seed,
        r.seed.wrapping_add(r.runs.saturating_sub(1))
    )?;
    writeln!(out, "\n  Review{:>40}{:>8}", "runs", "share")?;
    for o in &r.review {
        let label = format!("{:<26}  {}", o.id, o.verdict);
        writeln!(out, "    {label:<40}{:>6}{:>7.1}%  {}", o.runs, 100.0 * o.share, bar(o.share, 1.0, 20))?;
    }
    writeln!(
        out,
        "\n  Median meters as each stage starts    trust  impact  engagement   stage ends Strong/Mixed/Weak"
    )?;
    for s in &r.stages {
        let [t, i, e] = s.median_at_start;
        let [strong, mixed, weak] = s.verdicts.map(|v| 100.0 * v);
        writeln!(out, "    {:<34}{t:>6}{i:>8}{e:>12}   {strong:.0}% / {mixed:.0}% / {weak:.0}%", s.scenario)?;
    }
    let [t, i, e] = r.median_at_review;
    writeln!(out, "    {:<34}{t:>6}{i:>8}{e:>12}", "at the review")?;
    writeln!(
        out,
        "  Lessons at the review (median): {} met, {} applied\n",
        r.median_lessons_met, r.median_lessons_applied
    )
}
