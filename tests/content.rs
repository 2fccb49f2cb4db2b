//! The shipped content: the lessons it teaches and the shape each scenario must have.
//! Everything is read from the files and the lesson catalogue; nothing is listed twice.

mod common;

use std::collections::BTreeSet;

use leap::scenario::lessons::LESSONS;
use leap::scenario::{Scenario, Verdict};
use leap::tools::explore::{ExploreConfig, explore};

/// The three scenarios the brief names, each of which must be deep.
const DEEP: [&str; 3] = ["the-slipping-analyst", "the-pet-project", "the-shared-team"];

fn reachable_endings(scenario: &Scenario) -> Vec<Verdict> {
    let report = explore(scenario, &ExploreConfig::default()).unwrap();
    assert!(report.is_exhaustive(), "{} was not explored exhaustively", scenario.id);
    report.endings.iter().filter(|e| e.reachable).map(|e| scenario.ending(&e.id).unwrap().verdict).collect()
}

#[test]
fn every_lesson_is_taught_by_at_least_one_shipped_decision() {
    let corpus = common::shipped();
    let missing = leap::cli::lessons::uncovered(corpus.scenarios());
    assert!(missing.is_empty(), "lessons not taught: {missing:?}");
    let taught: BTreeSet<&str> =
        corpus.scenarios().flat_map(|s| &s.beats).flat_map(|b| &b.choices).map(|c| c.lesson.as_str()).collect();
    assert_eq!(taught.len(), LESSONS.len());
}

#[test]
fn the_three_named_scenarios_are_deep() {
    let corpus = common::shipped();
    for id in DEEP {
        let s = corpus.scenario(id).unwrap_or_else(|| panic!("{id} is missing or has errors"));
        let choices = || s.beats.iter().flat_map(|b| &b.choices);
        assert!(s.beats.len() >= 8, "{id}: {} beats", s.beats.len());
        let verdicts: BTreeSet<Verdict> = reachable_endings(s).into_iter().collect();
        assert_eq!(verdicts.len(), 3, "{id}: reachable endings must include Strong, Mixed and Weak");
        assert!(choices().any(|c| c.requires.is_some()), "{id}: no locked choice");
        assert!(choices().any(|c| !c.later.is_empty()), "{id}: no delayed consequence");
        assert!(choices().any(|c| c.outcomes.len() >= 2), "{id}: no chance outcome");
    }
}

#[test]
fn every_scenario_has_reachable_endings_and_a_prompt_on_every_beat() {
    let corpus = common::shipped();
    let scenarios: Vec<&Scenario> = corpus.scenarios().collect();
    assert!(scenarios.len() >= 8, "the brief asks for the three named scenarios and at least five more");
    for s in scenarios {
        let endings = reachable_endings(s);
        let needed = if DEEP.contains(&s.id.as_str()) { 3 } else { 2 };
        assert!(endings.len() >= needed, "{}: only {} reachable endings", s.id, endings.len());
        for beat in &s.beats {
            assert!(beat.discuss.is_some(), "{}: beat `{}` has no discussion prompt", s.id, beat.id);
        }
        let strongest_first = s
            .beats
            .iter()
            .filter(|b| b.choices.len() >= 2)
            .filter(|b| {
                let best = b
                    .choices
                    .iter()
                    .enumerate()
                    .max_by_key(|(_, c)| {
                        c.effects.trust.unwrap_or(0)
                            + c.effects.strategic_impact.unwrap_or(0)
                            + c.effects.team_engagement.unwrap_or(0)
                    })
                    .map(|(i, _)| i);
                best == Some(0)
            })
            .count();
        assert!(strongest_first * 4 < s.beats.len() * 3, "{}: the strongest option is nearly always first", s.id);
    }
}

#[test]
fn the_campaign_chains_every_scenario_and_ends_in_a_review() {
    let corpus = common::shipped();
    let campaign = corpus.campaigns().next().expect("a shipped campaign");
    assert!(campaign.carry_meters);
    for id in &campaign.scenarios {
        assert!(corpus.scenario(id).is_some(), "the campaign names `{id}`, which does not load");
    }
    assert_eq!(campaign.scenarios.len(), corpus.scenarios().count(), "every scenario is in the campaign");
    let verdicts: BTreeSet<Verdict> = campaign.review.iter().map(|o| o.verdict).collect();
    assert_eq!(verdicts.len(), 3, "the review can tap, say ready soon, or say not yet");
    assert!(campaign.review.last().unwrap().when.is_none());
}

#[test]
fn leap_lessons_exits_0_on_the_shipped_scenarios() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_leap"))
        .arg("lessons")
        .arg(common::root().join("scenarios"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    assert!(String::from_utf8_lossy(&output.stdout).contains("All 22 lessons are taught"));
}
