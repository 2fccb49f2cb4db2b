//! `leap simulate`: frequencies, policies, determinism, and runs that replay exactly.

mod common;

use common::run_leap;

use leap::engine::{Position, Session};
use leap::scenario::{Corpus, Scenario};
use leap::tools::policy::Policy;
use leap::tools::simulate::{Example, SimConfig, SimReport, simulate};

fn known_odds() -> Scenario {
    common::load_scenario(&common::fixture("tools/known-odds.ron"))
}

fn shares(report: &SimReport) -> Vec<(String, f64)> {
    report.endings.iter().map(|e| (e.id.clone(), e.share)).collect()
}

fn assert_shares(report: &SimReport, expected: &[(&str, f64)]) {
    for ((id, share), (want_id, want)) in shares(report).iter().zip(expected) {
        assert_eq!(id, want_id);
        // 200,000 runs: the standard error is below 0.0011, so 0.005 is more than four of them.
        assert!((share - want).abs() < 0.005, "{id}: {share} vs {want} in {:?}", shares(report));
    }
}

#[test]
fn random_play_reaches_each_ending_as_often_as_the_odds_say() {
    let report = simulate(&known_odds(), &SimConfig::new(200_000, 9, Policy::Random)).unwrap();
    // jackpot: 1/2 x 1/4; bust: 1/2 x 3/4; calm: 1/2 x (1/3 + 1/3 x 1/2); storm: the same.
    assert_shares(&report, &[("jackpot", 0.125), ("bust", 0.375), ("calm", 0.25), ("storm", 0.25)]);
    assert_eq!(report.endings.iter().map(|e| e.runs).sum::<u64>(), 200_000);
    assert_eq!(report.unfinished, 0);
    // One decision to the jackpot or bust, two to calm or storm.
    assert!((report.average_length - 1.5).abs() < 0.005, "{}", report.average_length);
    assert_eq!((report.shortest, report.longest), (1, 2));
}

#[test]
fn a_persona_takes_the_option_its_meter_favours() {
    // results-first: gamble averages +0.25 impact, steady 0, so it always gambles.
    let report = simulate(&known_odds(), &SimConfig::new(200_000, 3, Policy::named("results-first").unwrap())).unwrap();
    assert_shares(&report, &[("jackpot", 0.25), ("bust", 0.75), ("calm", 0.0), ("storm", 0.0)]);
    assert_eq!(report.beats_never_visited().collect::<Vec<_>>(), ["second"]);
    // team-first: steady (+3 engagement), then right (+2).
    let report = simulate(&known_odds(), &SimConfig::new(1000, 3, Policy::named("team-first").unwrap())).unwrap();
    assert_eq!(report.endings[3].runs, 1000);
    // Custom weights choose the same way as the persona they copy.
    let custom = Policy::from_weights("engagement=1").unwrap();
    assert_eq!(simulate(&known_odds(), &SimConfig::new(1000, 3, custom)).unwrap().endings[3].runs, 1000);
}

#[test]
fn least_used_tries_every_option() {
    let scenario = common::load_scenario(&common::fixture("valid/small.ron"));
    let report = simulate(&scenario, &SimConfig::new(12, 1, Policy::LeastUsed)).unwrap();
    let never: Vec<_> = report.choices_never_taken().map(|v| v.choice.clone().unwrap()).collect();
    assert!(never.is_empty(), "least-used left {never:?} untried in 12 runs");
}

#[test]
fn the_report_does_not_depend_on_the_number_of_threads() {
    let scenario = common::load_scenario(&common::fixture("valid/small.ron"));
    for policy in [Policy::Random, Policy::LeastUsed] {
        let mut one = SimConfig::new(3000, 77, policy.clone());
        one.threads = 1;
        let mut many = one.clone();
        many.threads = 3;
        let (a, b) = (simulate(&scenario, &one).unwrap(), simulate(&scenario, &many).unwrap());
        assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    }
}

#[test]
fn a_loop_a_policy_never_leaves_is_stopped_and_reported() {
    let scenario = common::load_scenario(&common::fixture("tools/loop.ron"));
    let mut config = SimConfig::new(5, 1, Policy::named("team-first").unwrap());
    config.max_decisions = 40;
    let report = simulate(&scenario, &config).unwrap();
    assert_eq!(report.unfinished, 5);
    assert_eq!(report.unfinished_example.unwrap().choices, vec![2; 40]);
    // The people-pleaser pumps trust from 50 to 60 in ten decisions.
    let report = simulate(&scenario, &SimConfig::new(5, 1, Policy::named("people-pleaser").unwrap())).unwrap();
    assert_eq!((report.endings[1].runs, report.shortest, report.longest), (5, 10, 10));
}

/// Replays an example through a `Session`, typing its numbers as `leap play --text` reads them.
fn replay(scenario: &Scenario, example: &Example) -> Session {
    let mut session = Session::new(scenario, example.seed);
    for number in &example.choices {
        let id = session.visible_choices(scenario)[*number as usize - 1].choice.id.clone();
        session.choose(scenario, &id).unwrap();
    }
    session
}

#[test]
fn every_example_run_replays_to_its_ending() {
    let mut scenarios: Vec<Scenario> = common::shipped().scenarios().cloned().collect();
    scenarios.push(known_odds());
    scenarios.push(common::load_scenario(&common::fixture("valid/small.ron")));
    let policies = [Policy::Random, Policy::LeastUsed, Policy::named("balanced").unwrap()];
    for scenario in &scenarios {
        for policy in &policies {
            let report = simulate(scenario, &SimConfig::new(2000, 500, policy.clone())).unwrap();
            for ending in &report.endings {
                let Some(example) = &ending.example else { continue };
                assert_eq!(example.seed, 500 + example.run);
                let session = replay(scenario, example);
                assert_eq!(
                    session.position,
                    Position::Ended(ending.id.clone()),
                    "{} {:?}: {example:?}",
                    scenario.id,
                    policy
                );
            }
        }
    }
}

#[test]
fn piping_a_reported_run_into_leap_play_reproduces_it() {
    let root = common::root().join("scenarios");
    let corpus = Corpus::load(std::slice::from_ref(&root));
    let scenario = corpus.scenarios().next().expect("a shipped scenario");
    let (code, json) = run_leap(
        &[
            "--scenarios",
            root.to_str().unwrap(),
            "simulate",
            &scenario.id,
            "--runs",
            "500",
            "--seed",
            "40",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, Some(0), "{json}");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let report = &report["scenarios"][0];
    let mut replayed = 0;
    for ending in report["endings"].as_array().unwrap() {
        let Some(example) = ending.get("example").filter(|e| !e.is_null()) else { continue };
        let seed = example["seed"].as_u64().unwrap().to_string();
        let numbers: Vec<String> =
            example["choices"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap().to_string()).collect();
        let typed: String = numbers.iter().map(|n| format!("{n}\n")).collect();
        let (code, out) =
            run_leap(&["--scenarios", root.to_str().unwrap(), "play", "--text", &scenario.id, "--seed", &seed], &typed);
        assert_eq!(code, Some(0), "{out}");
        assert!(out.contains(&format!("=== Ending: {} (", ending["title"].as_str().unwrap())), "{out}");
        assert!(out.contains(&format!("(choices {})", numbers.join(","))), "{out}");
        // The transcript is exactly the engine's: a Session given the same numbers ends with the same meters.
        let example = Example {
            run: example["run"].as_u64().unwrap(),
            seed: seed.parse().unwrap(),
            choices: numbers.iter().map(|n| n.parse().unwrap()).collect(),
        };
        let session = replay(scenario, &example);
        assert!(out.contains(&format!("  {}", leap::cli::play::meters_line(&session.meters, None))), "{out}");
        replayed += 1;
    }
    assert!(replayed >= 2, "expected several endings in 500 runs");
}

#[test]
fn leap_simulate_prints_a_readable_report() {
    let file = common::fixture("tools/known-odds.ron");
    let (code, out) = run_leap(&["simulate", file.to_str().unwrap(), "--runs", "4000", "--seed", "1"], "");
    assert_eq!(code, Some(0), "{out}");
    for expected in [
        "Known Odds (known-odds)",
        "4000 runs, policy random, seeds 1 to 4000",
        "Final meters",
        "Every beat was visited and every choice taken.",
        "| leap play --text",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    let (code, out) = run_leap(&["simulate", file.to_str().unwrap(), "--weights", "trust=x"], "");
    assert_eq!(code, Some(2));
    assert!(out.contains("`x` is not a number"), "{out}");
}
