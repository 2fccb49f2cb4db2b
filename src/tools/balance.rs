//! Does a scenario teach judgement or reward arithmetic? Plays each policy many times and
//! compares the share of Strong, Mixed and Weak endings with the targets below; also
//! counts the beats where applying the lesson costs something now. `leap balance` prints
//! this; `leap check` turns the misses into warnings.

use serde::Serialize;

use super::campaign_sim::{CampaignReport, simulate_campaign};
use super::policy::{Policy, immediate_sum};
use super::simulate::{SimConfig, ending_counts};
use crate::engine::playout::Compiled;
use crate::scenario::{Beat, Campaign, Scenario, Stance, Verdict};

/// Runs per policy and scenario that `leap balance` plays by default.
pub const DEFAULT_RUNS: u64 = 10_000;

/// One target on the share of runs of a policy that end with a verdict.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Target {
    pub policy: &'static str,
    pub verdict: Verdict,
    pub at_least: Option<f64>,
    pub at_most: Option<f64>,
}

const fn target(policy: &'static str, verdict: Verdict, at_least: Option<f64>, at_most: Option<f64>) -> Target {
    Target { policy, verdict, at_least, at_most }
}

/// The targets every scenario should meet (issue 11's table).
pub const SCENARIO_TARGETS: [Target; 8] = [
    target("by-the-book", Verdict::Strong, Some(0.60), None),
    target("by-the-book", Verdict::Weak, None, Some(0.10)),
    target("myopic", Verdict::Strong, None, Some(0.15)),
    target("contrarian", Verdict::Strong, None, Some(0.15)),
    target("people-pleaser", Verdict::Strong, None, Some(0.10)),
    target("results-first", Verdict::Strong, None, Some(0.10)),
    target("team-first", Verdict::Strong, None, Some(0.10)),
    target("random", Verdict::Strong, Some(0.03), Some(0.25)),
];

/// The policies reported, in this order.
pub const POLICIES: [&str; 7] =
    ["by-the-book", "myopic", "contrarian", "people-pleaser", "results-first", "team-first", "random"];

/// At least this share of the beats with an `Applies` option must make applying cost now.
pub const COSTLY_SHARE: f64 = 0.5;
/// Campaign: by-the-book is tapped in at least this share of runs...
pub const CAMPAIGN_BOOK_TAPPED: f64 = 0.5;
/// ...myopic and random in at most this share...
pub const CAMPAIGN_OTHERS_TAPPED: f64 = 0.10;
pub const CAMPAIGN_OTHERS: [&str; 2] = ["myopic", "random"];
/// ...and no meter's median for by-the-book is above this as a stage starts.
pub const CAMPAIGN_CEILING: i32 = 90;

#[derive(Debug, Clone, Serialize)]
pub struct PolicyShares {
    pub policy: String,
    /// Share of runs ending Strong, Mixed, Weak (runs that never end count in none).
    pub strong: f64,
    pub mixed: f64,
    pub weak: f64,
}

impl PolicyShares {
    pub fn share(&self, verdict: Verdict) -> f64 {
        match verdict {
            Verdict::Strong => self.strong,
            Verdict::Mixed => self.mixed,
            Verdict::Weak => self.weak,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioBalance {
    pub scenario: String,
    pub title: String,
    pub runs: u64,
    pub policies: Vec<PolicyShares>,
    /// Beats with an `Applies` option, and those among them where it costs now.
    pub beats_with_applies: usize,
    pub beats_applying_costs: usize,
    /// Choices without a stance (the by-the-book player cannot judge them).
    pub missing_stance: usize,
    /// Every target missed, in words.
    pub missed: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CampaignBalance {
    pub campaign: String,
    pub title: String,
    pub runs: u64,
    pub reports: Vec<CampaignReport>,
    pub missed: Vec<String>,
}

/// How often each policy reaches each verdict in `runs` runs from `seed`.
pub fn policy_shares(compiled: &Compiled, policy: &Policy, runs: u64, seed: u64, threads: usize) -> PolicyShares {
    let mut config = SimConfig::new(runs, seed, policy.clone());
    config.threads = threads;
    let counts = ending_counts(compiled, &config);
    let share = |verdict: Verdict| {
        let n: u64 =
            compiled.scenario.endings.iter().zip(&counts).filter(|(e, _)| e.verdict == verdict).map(|(_, n)| n).sum();
        n as f64 / runs.max(1) as f64
    };
    PolicyShares {
        policy: policy.name(),
        strong: share(Verdict::Strong),
        mixed: share(Verdict::Mixed),
        weak: share(Verdict::Weak),
    }
}

/// Whether applying the lesson costs something now in this beat: the best immediate sum of
/// its `Applies` options is below the best of the others. None when no option applies it.
pub fn applying_costs_now(beat: &Beat) -> Option<bool> {
    let best = |applies: bool| {
        beat.choices
            .iter()
            .filter(|c| (c.stance == Some(Stance::Applies)) == applies)
            .map(|c| immediate_sum(&c.effects))
            .max()
    };
    let applying = best(true)?;
    Some(best(false).is_some_and(|other| applying < other))
}

/// Describes a missed target, or None when it holds.
pub fn judge(target: &Target, share: f64) -> Option<String> {
    let percent = |x: f64| format!("{:.0}%", 100.0 * x);
    let low = target.at_least.is_some_and(|min| share < min);
    let high = target.at_most.is_some_and(|max| share > max);
    (low || high).then(|| {
        let wanted = match (target.at_least, target.at_most) {
            (Some(min), Some(max)) => format!("between {} and {}", percent(min), percent(max)),
            (Some(min), None) => format!("at least {}", percent(min)),
            (None, Some(max)) => format!("at most {}", percent(max)),
            (None, None) => "anything".into(),
        };
        format!(
            "{} ends {} in {} of runs; the target is {wanted}",
            target.policy,
            target.verdict.label(),
            percent(share)
        )
    })
}

/// The balance of one scenario. Fails only on a scenario the checker rejects.
pub fn scenario_balance(scenario: &Scenario, runs: u64, seed: u64, threads: usize) -> Result<ScenarioBalance, String> {
    let compiled = Compiled::new(scenario)?;
    let policies: Vec<PolicyShares> = POLICIES
        .iter()
        .map(|name| Policy::named(name).map(|p| policy_shares(&compiled, &p, runs, seed, threads)))
        .collect::<Result<_, String>>()?;
    let judged: Vec<bool> = scenario.beats.iter().filter_map(applying_costs_now).collect();
    let costly = judged.iter().filter(|c| **c).count();
    let missing_stance = scenario.beats.iter().flat_map(|b| &b.choices).filter(|c| c.stance.is_none()).count();
    let mut missed: Vec<String> = SCENARIO_TARGETS
        .iter()
        .filter_map(|t| {
            let shares = policies.iter().find(|p| p.policy == t.policy)?;
            judge(t, shares.share(t.verdict))
        })
        .collect();
    if (costly as f64) < COSTLY_SHARE * judged.len() as f64 {
        missed.push(format!(
            "applying the lesson costs something now in only {costly} of the {} beats with an `Applies` option; the target is at least half",
            judged.len()
        ));
    }
    if missing_stance > 0 {
        missed.push(format!("{missing_stance} choices have no `stance`, so by-the-book cannot judge them"));
    }
    Ok(ScenarioBalance {
        scenario: scenario.id.clone(),
        title: scenario.title.clone(),
        runs,
        policies,
        beats_with_applies: judged.len(),
        beats_applying_costs: costly,
        missing_stance,
        missed,
    })
}

/// The balance of a campaign: by-the-book, myopic and random through every stage.
pub fn campaign_balance(
    campaign: &Campaign,
    scenarios: &[&Scenario],
    runs: u64,
    seed: u64,
) -> Result<CampaignBalance, String> {
    let names = std::iter::once("by-the-book").chain(CAMPAIGN_OTHERS);
    let reports: Vec<CampaignReport> = names
        .map(|name| simulate_campaign(campaign, scenarios, &Policy::named(name)?, runs, seed))
        .collect::<Result<_, String>>()?;
    let mut missed = Vec::new();
    let percent = |x: f64| format!("{:.0}%", 100.0 * x);
    for report in &reports {
        let tapped = report.review_share(Verdict::Strong);
        let by_the_book = report.policy == "by-the-book";
        if by_the_book && tapped < CAMPAIGN_BOOK_TAPPED {
            missed.push(format!(
                "by-the-book is tapped in {} of runs; the target is at least {}",
                percent(tapped),
                percent(CAMPAIGN_BOOK_TAPPED)
            ));
        }
        if !by_the_book && tapped > CAMPAIGN_OTHERS_TAPPED {
            missed.push(format!(
                "{} is tapped in {} of runs; the target is at most {}",
                report.policy,
                percent(tapped),
                percent(CAMPAIGN_OTHERS_TAPPED)
            ));
        }
        if by_the_book {
            for stage in &report.stages {
                for (m, median) in stage.median_at_start.iter().enumerate() {
                    if *median > CAMPAIGN_CEILING {
                        missed.push(format!(
                            "by-the-book starts `{}` with a median {} of {median}; the ceiling is {CAMPAIGN_CEILING}",
                            stage.scenario,
                            crate::scenario::Meter::ALL[m].label().to_lowercase()
                        ));
                    }
                }
            }
        }
    }
    Ok(CampaignBalance { campaign: campaign.id.clone(), title: campaign.title.clone(), runs, reports, missed })
}
