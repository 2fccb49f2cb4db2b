//! `leap balance`: per scenario and campaign, the share of Strong / Mixed / Weak endings for
//! each simulated player, and every balance target missed.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::select::{ReportFormat, campaigns, scenarios};
use crate::tools::balance::{
    CAMPAIGN_CEILING, CampaignBalance, DEFAULT_RUNS, ScenarioBalance, campaign_balance, scenario_balance,
};

#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// Scenario or campaign files, folders or ids (default: everything in the scenarios folder).
    pub targets: Vec<String>,
    /// Runs per policy and scenario (and per policy for a campaign).
    #[arg(long, default_value_t = DEFAULT_RUNS)]
    pub runs: u64,
    /// Run i uses seed SEED+i.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    scenarios: &'a [ScenarioBalance],
    campaigns: &'a [CampaignBalance],
    problems: &'a [String],
}

pub fn run(args: BalanceArgs, scenarios_dir: &Path) -> ExitCode {
    let (found_campaigns, rest, library) = campaigns(&args.targets, scenarios_dir);
    let (found, mut problems) = if args.targets.is_empty() || !rest.is_empty() {
        scenarios(&rest, scenarios_dir)
    } else {
        (Vec::new(), Vec::new())
    };
    let mut balances = Vec::new();
    for (scenario, _) in &found {
        match scenario_balance(scenario, args.runs, args.seed, 0) {
            Ok(b) => balances.push(b),
            Err(why) => problems.push(format!("skipped {}: {why}", scenario.id)),
        }
    }
    let library_scenarios: Vec<_> = library.scenarios().collect();
    let mut campaign_balances = Vec::new();
    for campaign in &found_campaigns {
        match campaign_balance(campaign, &library_scenarios, args.runs, args.seed) {
            Ok(b) => campaign_balances.push(b),
            Err(why) => problems.push(format!("skipped campaign {}: {why}", campaign.id)),
        }
    }
    let missed =
        balances.iter().any(|b| !b.missed.is_empty()) || campaign_balances.iter().any(|b| !b.missed.is_empty());
    let failed = missed || !problems.is_empty() || (balances.is_empty() && campaign_balances.is_empty());
    let mut out = std::io::stdout().lock();
    let printed = match args.format {
        ReportFormat::Json => serde_json::to_writer_pretty(
            &mut out,
            &JsonReport { scenarios: &balances, campaigns: &campaign_balances, problems: &problems },
        )
        .map_err(std::io::Error::other)
        .and_then(|_| writeln!(out)),
        ReportFormat::Human => print(&balances, &campaign_balances, &problems, &mut out),
    };
    super::finish_output(printed.map(|_| if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }))
}

fn percent(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

pub fn print(
    balances: &[ScenarioBalance],
    campaigns: &[CampaignBalance],
    problems: &[String],
    out: &mut impl Write,
) -> std::io::Result<()> {
    for problem in problems {
        writeln!(out, "leap: {problem}")?;
    }
    for b in balances {
        writeln!(out, "{} ({}), {} runs per policy", b.title, b.scenario, b.runs)?;
        writeln!(out, "  {:<16}{:>8}{:>8}{:>8}", "policy", "Strong", "Mixed", "Weak")?;
        for p in &b.policies {
            writeln!(out, "  {:<16}{:>8}{:>8}{:>8}", p.policy, percent(p.strong), percent(p.mixed), percent(p.weak))?;
        }
        writeln!(
            out,
            "  applying the lesson costs something now in {} of {} beats with an `Applies` option",
            b.beats_applying_costs, b.beats_with_applies
        )?;
        print_missed(&b.missed, out)?;
    }
    for c in campaigns {
        writeln!(out, "Campaign {} ({}), {} runs per policy", c.title, c.campaign, c.runs)?;
        for r in &c.reports {
            let outcomes: Vec<String> =
                r.review.iter().filter(|o| o.runs > 0).map(|o| format!("{} {}", o.id, percent(o.share))).collect();
            writeln!(out, "  {:<12} review: {}", r.policy, outcomes.join(", "))?;
        }
        if let Some(book) = c.reports.iter().find(|r| r.policy == "by-the-book") {
            writeln!(
                out,
                "  by-the-book, median meters as each stage starts (trust / impact / engagement; ceiling {CAMPAIGN_CEILING}), and its endings:"
            )?;
            for s in &book.stages {
                let [t, i, e] = s.median_at_start;
                let [strong, mixed, weak] = s.verdicts.map(percent);
                writeln!(
                    out,
                    "    {:<24}{t:>4} /{i:>4} /{e:>4}   Strong {strong}, Mixed {mixed}, Weak {weak}",
                    s.scenario
                )?;
            }
            let [t, i, e] = book.median_at_review;
            writeln!(out, "    {:<24}{t:>4} /{i:>4} /{e:>4}", "at the review")?;
        }
        print_missed(&c.missed, out)?;
    }
    Ok(())
}

fn print_missed(missed: &[String], out: &mut impl Write) -> std::io::Result<()> {
    if missed.is_empty() {
        writeln!(out, "  every target met\n")
    } else {
        for m in missed {
            writeln!(out, "  MISSED: {m}")?;
        }
        writeln!(out)
    }
}
