//! The balance targets of issue 11, on every shipped scenario and the campaign: a game that
//! teaches judgement, not arithmetic. Seeded, so a failure means the content drifted; the runs
//! are fewer than `leap balance` plays (to keep this file fast in the dev profile), and the
//! shipped content meets every target with room to spare at these seeds.

mod common;

use std::sync::OnceLock;

use leap::scenario::{Corpus, Scenario, Verdict};
use leap::tools::balance::{
    CAMPAIGN_BOOK_TAPPED, CAMPAIGN_CEILING, CAMPAIGN_OTHERS_TAPPED, COSTLY_SHARE, CampaignBalance, SCENARIO_TARGETS,
    ScenarioBalance, applying_costs_now, campaign_balance, judge, scenario_balance,
};

const RUNS: u64 = 3000;
const CAMPAIGN_RUNS: u64 = 1500;
const SEED: u64 = 1;

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(common::shipped)
}

fn balances() -> &'static [ScenarioBalance] {
    static BALANCES: OnceLock<Vec<ScenarioBalance>> = OnceLock::new();
    BALANCES.get_or_init(|| {
        let all: Vec<ScenarioBalance> =
            corpus().scenarios().map(|s| scenario_balance(s, RUNS, SEED, 0).expect("a shipped scenario")).collect();
        assert_eq!(all.len(), 8, "the eight shipped scenarios");
        all
    })
}

fn campaign() -> &'static CampaignBalance {
    static CAMPAIGN: OnceLock<CampaignBalance> = OnceLock::new();
    CAMPAIGN.get_or_init(|| {
        let campaign = corpus().campaigns().next().expect("the shipped campaign");
        let scenarios: Vec<&Scenario> = corpus().scenarios().collect();
        campaign_balance(campaign, &scenarios, CAMPAIGN_RUNS, SEED).expect("the campaign plays")
    })
}

/// Every miss of the targets for `policies`, scenario by scenario.
fn misses(policies: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for b in balances() {
        for target in SCENARIO_TARGETS.iter().filter(|t| policies.contains(&t.policy)) {
            let shares = b.policies.iter().find(|p| p.policy == target.policy).expect("every policy is played");
            if let Some(miss) = judge(target, shares.share(target.verdict)) {
                found.push(format!("{}: {miss}", b.scenario));
            }
        }
    }
    found
}

#[test]
fn by_the_book_reaches_a_strong_ending_and_rarely_a_weak_one_everywhere() {
    let found = misses(&["by-the-book"]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_best_looking_and_the_worst_looking_numbers_do_not_win() {
    let found = misses(&["myopic", "contrarian"]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn no_single_meter_persona_reaches_a_strong_ending() {
    let found = misses(&["people-pleaser", "results-first", "team-first"]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn random_play_finds_a_strong_ending_sometimes_but_not_often() {
    let found = misses(&["random"]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn applying_the_lesson_costs_something_now_in_at_least_half_the_beats() {
    for scenario in corpus().scenarios() {
        let judged: Vec<bool> = scenario.beats.iter().filter_map(applying_costs_now).collect();
        let costly = judged.iter().filter(|c| **c).count();
        assert!(!judged.is_empty(), "{} has no beat with an `Applies` option", scenario.id);
        assert!(
            costly as f64 >= COSTLY_SHARE * judged.len() as f64,
            "{}: applying costs something now in only {costly} of {} beats",
            scenario.id,
            judged.len()
        );
    }
}

#[test]
fn every_shipped_choice_has_a_stance_and_every_scenario_objectives_and_questions() {
    for scenario in corpus().scenarios() {
        let missing: Vec<&str> = scenario
            .beats
            .iter()
            .flat_map(|b| &b.choices)
            .filter(|c| c.stance.is_none())
            .map(|c| c.id.as_str())
            .collect();
        assert!(missing.is_empty(), "{}: choices without a stance: {missing:?}", scenario.id);
        assert!(
            (2..=4).contains(&scenario.objectives.len()),
            "{}: {} objectives",
            scenario.id,
            scenario.objectives.len()
        );
        assert!(
            (2..=5).contains(&scenario.debrief_questions.len()),
            "{}: {} debrief questions",
            scenario.id,
            scenario.debrief_questions.len()
        );
    }
}

#[test]
fn the_campaign_taps_the_judicious_player_and_not_the_arithmetic_ones() {
    let c = campaign();
    for report in &c.reports {
        let tapped = report.review_share(Verdict::Strong);
        if report.policy == "by-the-book" {
            assert!(tapped >= CAMPAIGN_BOOK_TAPPED, "by-the-book tapped in only {:.1}% of runs", 100.0 * tapped);
        } else {
            assert!(tapped <= CAMPAIGN_OTHERS_TAPPED, "{} tapped in {:.1}% of runs", report.policy, 100.0 * tapped);
        }
    }
    assert_eq!(c.reports.len(), 3, "by-the-book, myopic and random");
}

#[test]
fn the_judicious_players_meters_never_reach_the_ceiling() {
    let book = campaign().reports.iter().find(|r| r.policy == "by-the-book").unwrap();
    for stage in &book.stages {
        assert!(
            stage.median_at_start.iter().all(|m| *m <= CAMPAIGN_CEILING),
            "{} starts at medians {:?}",
            stage.scenario,
            stage.median_at_start
        );
    }
    assert!(campaign().missed.is_empty(), "{:#?}", campaign().missed);
}

#[test]
fn the_balance_report_agrees_with_these_tests() {
    let found: Vec<(&str, &Vec<String>)> =
        balances().iter().filter(|b| !b.missed.is_empty()).map(|b| (b.scenario.as_str(), &b.missed)).collect();
    assert!(found.is_empty(), "{found:#?}");
}
