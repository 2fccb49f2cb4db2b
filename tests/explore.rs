//! `leap explore`: exactly the reachable set, chance-only paths, loops and the state cap.

mod common;

use std::process::Command;

use leap::tools::explore::{ExploreConfig, ExploreReport, Item, Method, explore};

fn explore_fixture(name: &str, config: &ExploreConfig) -> ExploreReport {
    explore(&common::load_scenario(&common::fixture(name)), config).unwrap()
}

fn names(items: &[Item], keep: impl Fn(&Item) -> bool) -> Vec<String> {
    items
        .iter()
        .filter(|i| keep(i))
        .map(|i| match &i.choice {
            Some(c) => format!("{}/{c}", i.beat),
            None => i.beat.clone(),
        })
        .collect()
}

#[test]
fn finds_exactly_the_reachable_parts() {
    let report = explore_fixture("tools/reach.ron", &ExploreConfig::default());
    assert!(report.is_exhaustive());
    assert_eq!(names(&report.beats, |i| i.reachable), ["first", "door", "vault"]);
    assert_eq!(names(&report.beats, |i| !i.reachable), ["secret"]);
    assert_eq!(
        names(&report.choices, |i| i.reachable),
        ["first/take-key", "first/skip", "door/open", "door/leave", "vault/loot", "vault/wait"]
    );
    assert_eq!(names(&report.choices, |i| !i.reachable), ["door/force", "door/magic", "secret/x", "secret/y"]);
    let endings: Vec<(&str, bool)> = report.endings.iter().map(|e| (e.id.as_str(), e.reachable)).collect();
    assert_eq!(endings, [("plain", true), ("rich", true), ("hidden", false), ("magic", false), ("broke", false)]);
    // No chance in this scenario: everything reachable can be reached on purpose.
    assert!(report.beats.iter().chain(&report.choices).all(|i| i.only_by_chance == Some(false) || !i.reachable));
}

#[test]
fn meter_ranges_at_each_ending_are_exact() {
    let report = explore_fixture("tools/reach.ron", &ExploreConfig::default());
    let plain = report.endings[0].meters.unwrap();
    // take-key (+5 trust) or skip (-5), then leave (+1 impact, -2 engagement).
    assert_eq!([plain[0].min, plain[0].max], [45, 55]);
    assert_eq!([plain[1].min, plain[1].max], [49, 53]);
    assert_eq!([plain[2].min, plain[2].max], [48, 48]);
    // rich: the vault needs the key (trust 55, engagement 52 after open: trust 54); each wait
    // adds 1 trust and takes 1 impact, then loot takes 2 trust and adds 4 impact.
    let rich = report.endings[1].meters.unwrap();
    assert_eq!([rich[0].min, rich[0].max], [52, 98]);
    assert_eq!([rich[1].min, rich[1].max], [4, 52]);
    assert!(report.endings[2].meters.is_none());
}

#[test]
fn tells_what_only_chance_can_reach() {
    let report = explore_fixture("tools/chance-reach.ron", &ExploreConfig::default());
    assert_eq!(names(&report.beats, |i| i.only_by_chance == Some(true)), ["lucky"]);
    assert_eq!(names(&report.choices, |i| i.only_by_chance == Some(true)), ["lucky/seize", "lucky/share"]);
    let endings: Vec<(&str, Option<bool>)> = report.endings.iter().map(|e| (e.id.as_str(), e.only_by_chance)).collect();
    assert_eq!(endings, [("win", Some(true)), ("lose", Some(false))]);
}

#[test]
fn terminates_on_loops_with_the_exact_number_of_states() {
    let report = explore_fixture("tools/loop.ron", &ExploreConfig::default());
    // Trust 0 to 59 at the one beat; `pause` and the clamp at 0 bring back known states.
    assert_eq!(report.method, Method::Exhaustive { states: 60 });
    assert!(report.endings.iter().all(|e| e.reachable));
    // The reach fixture's `wait` loop ends too.
    assert!(explore_fixture("tools/reach.ron", &ExploreConfig::default()).is_exhaustive());
}

#[test]
fn too_many_states_falls_back_to_sampling_and_says_so() {
    let config = ExploreConfig { max_states: 10, sample_runs: 2000, seed: 1, ..Default::default() };
    let report = explore_fixture("tools/loop.ron", &config);
    assert_eq!(report.method, Method::Sampled { states_seen: 10, runs: 2000 });
    assert!(report.choices.iter().all(|c| c.reachable && c.only_by_chance.is_none()));

    let output = Command::new(env!("CARGO_BIN_EXE_leap"))
        .args(["explore", "--max-states", "10", "--sample-runs", "500"])
        .arg(common::fixture("tools/loop.ron"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("more than 10 states, too many to explore"), "{text}");
    assert!(text.contains("500 sampled runs"), "{text}");
}

#[test]
fn leap_explore_reports_unreachable_parts_and_chance() {
    let output = Command::new(env!("CARGO_BIN_EXE_leap"))
        .arg("explore")
        .arg(common::fixture("tools/reach.ron"))
        .arg(common::fixture("tools/chance-reach.ron"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    for expected in [
        "Reach (reach): explored all",
        "never reachable: secret",
        "never reachable: door/force, door/magic, secret/x, secret/y",
        "only by chance: lucky/seize, lucky/share",
        "plain   reachable        trust 45-55, impact 49-53, engagement 48",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn every_shipped_scenario_is_explored_exhaustively() {
    for scenario in common::shipped().scenarios() {
        let report = explore(scenario, &ExploreConfig::default()).unwrap();
        assert!(report.is_exhaustive(), "{} needed sampling", scenario.id);
        assert!(report.endings.iter().any(|e| e.reachable), "{} reaches no ending", scenario.id);
    }
}
