//! The engine's rules: determinism, the meter bounds, delays, chance and endings.

mod common;

use leap::engine::chance::draw_weighted;
use leap::engine::{ChooseError, Position, Session};
use leap::scenario::{Corpus, Scenario};
use proptest::prelude::*;

/// Plays by picking, at each beat, the available choice given by the next index (mod count).
fn play(scenario: &Scenario, seed: u64, picks: &[usize]) -> Session {
    let mut session = Session::new(scenario, seed);
    for pick in picks.iter().cycle().take(200) {
        if session.is_over() {
            break;
        }
        let available: Vec<String> =
            session.visible_choices(scenario).iter().filter(|v| v.available()).map(|v| v.choice.id.clone()).collect();
        let id = &available[pick % available.len()];
        session.choose(scenario, id).unwrap();
    }
    session
}

fn all_scenarios() -> Vec<Scenario> {
    let mut list: Vec<Scenario> = common::shipped().scenarios().cloned().collect();
    list.push(common::load_scenario(&common::fixture("valid/small.ron")));
    list
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn same_seed_and_choices_give_the_same_transcript(seed in any::<u64>(), picks in prop::collection::vec(0usize..4, 1..40)) {
        for scenario in all_scenarios() {
            let a = play(&scenario, seed, &picks);
            let b = play(&scenario, seed, &picks);
            prop_assert_eq!(&a.transcript, &b.transcript);
            prop_assert_eq!(&a, &b);
            // Replaying by ids gives the same run too.
            let replayed = Session::replay(&scenario, seed, &a.choice_path()).unwrap();
            prop_assert_eq!(&replayed.transcript, &a.transcript);
        }
    }

    #[test]
    fn meters_never_leave_0_to_100(seed in any::<u64>(), picks in prop::collection::vec(0usize..4, 1..40)) {
        for scenario in all_scenarios() {
            let session = play(&scenario, seed, &picks);
            for decision in &session.transcript {
                for value in decision.meters_after.as_array() {
                    prop_assert!((0..=100).contains(&value), "{} in {}", value, scenario.id);
                }
            }
        }
    }
}

const EXTREME: &str = r#"Scenario(format: 1, id: "extreme", title: "t", summary: "s", start: "a",
    beats: [(id: "a", text: "t", choices: [
        (id: "up", text: "u", effects: (trust: 100, strategic_impact: -3), lesson: "L01", feedback: "f", next: Beat("a")),
        (id: "down", text: "d", effects: (trust: -100, strategic_impact: 3), lesson: "L01", feedback: "f", next: Beat("a")),
        (id: "stop", text: "s", effects: (team_engagement: 1, strategic_impact: -9), lesson: "L01", feedback: "f", next: Ending("end")),
    ])],
    endings: [(id: "end", title: "t", verdict: Mixed, text: "t"), (id: "other", title: "t", verdict: Weak, text: "t", when: MeterAtMost(strategic_impact, 0))])"#;

#[test]
fn meters_clamp_at_both_ends() {
    let scenario = common::scenario_from(EXTREME);
    let mut session = Session::new(&scenario, 1);
    session.choose(&scenario, "up").unwrap();
    assert_eq!(session.meters.trust, 100);
    session.choose(&scenario, "down").unwrap();
    session.choose(&scenario, "down").unwrap();
    assert_eq!(session.meters.trust, 0);
    assert_eq!(session.transcript[2].meters_before.trust, 0);
}

#[test]
fn a_rule_ending_fires_as_soon_as_its_condition_holds() {
    let scenario = common::scenario_from(EXTREME);
    let mut session = Session::new(&scenario, 1);
    for _ in 0..5 {
        session.choose(&scenario, "stop").ok();
        if session.is_over() {
            break;
        }
    }
    // One `stop` leads to `end` by choice, but strategic impact 50-9=41 does not trigger the rule.
    assert_eq!(session.position, Position::Ended("end".into()));
    let mut session = Session::new(&scenario, 1);
    let mut steps = 0;
    while !session.is_over() {
        session.choose(&scenario, "up").unwrap();
        steps += 1;
    }
    // 50 - 3k <= 0 first holds at k = 17.
    assert_eq!(steps, 17);
    assert_eq!(session.position, Position::Ended("other".into()));
    assert_eq!(session.choose(&scenario, "up").unwrap_err(), ChooseError::Ended);
}

const DELAYED: &str = r#"Scenario(format: 1, id: "delayed", title: "t", summary: "s", start: "a",
    beats: [(id: "a", text: "t", choices: [
        (id: "plant", text: "p", effects: (trust: 1, team_engagement: -1), lesson: "L21", feedback: "f",
         later: [(after: 3, effects: (team_engagement: -10), text: "It catches up with you.", sets: ["caught"])], next: Beat("a")),
        (id: "wait", text: "w", effects: (team_engagement: 1, trust: -1), lesson: "L22", feedback: "f", next: Beat("a")),
        (id: "only-after", text: "o", requires: Flag("caught"), locked: Show("Not yet."), effects: (strategic_impact: 5, trust: -2), lesson: "L21", feedback: "f", next: Ending("end")),
        (id: "leave", text: "l", effects: (strategic_impact: -1), lesson: "L22", feedback: "f", next: Ending("other")),
    ])],
    endings: [(id: "end", title: "t", verdict: Strong, text: "t"), (id: "other", title: "t", verdict: Weak, text: "t")])"#;

#[test]
fn delayed_effects_land_exactly_after_the_stated_number_of_decisions() {
    let scenario = common::scenario_from(DELAYED);
    let mut session = Session::new(&scenario, 9);
    session.choose(&scenario, "plant").unwrap(); // decision 1; lands with decision 4
    for _ in 0..2 {
        session.choose(&scenario, "wait").unwrap();
    }
    assert!(session.transcript.iter().all(|d| d.landed.is_empty()));
    assert_eq!(session.visible_choices(&scenario)[2].locked_reason.as_deref(), Some("Not yet."));
    assert_eq!(session.choose(&scenario, "only-after").unwrap_err(), ChooseError::Locked("Not yet.".into()));
    let before = session.meters.team_engagement;
    let decision = session.choose(&scenario, "wait").unwrap().clone();
    assert_eq!(decision.number, 4);
    assert_eq!(decision.landed.len(), 1);
    assert_eq!(decision.landed[0].text, "It catches up with you.");
    assert_eq!(decision.meters_after.team_engagement, before + 1 - 10);
    assert!(session.flags.contains("caught"));
    assert!(session.visible_choices(&scenario)[2].available());
    session.choose(&scenario, "only-after").unwrap();
    assert_eq!(session.position, Position::Ended("end".into()));
}

#[test]
fn hidden_locked_choices_are_not_offered() {
    let text = DELAYED.replace("locked: Show(\"Not yet.\")", "locked: Hide");
    let scenario = common::scenario_from(&text);
    let session = Session::new(&scenario, 1);
    let ids: Vec<&str> = session.visible_choices(&scenario).iter().map(|v| v.choice.id.as_str()).collect();
    assert_eq!(ids, ["plant", "wait", "leave"]);
}

#[test]
fn weighted_outcomes_follow_their_weights() {
    let runs = 40_000u32;
    let mut counts = [0u32; 3];
    for decision in 0..runs {
        let i = draw_weighted(0xC0FFEE, decision, &[1, 3, 6]).unwrap();
        counts[i] += 1;
    }
    for (count, weight) in counts.iter().zip([1.0, 3.0, 6.0]) {
        let share = *count as f64 / runs as f64;
        let expected = weight / 10.0;
        // Standard error is at most 0.0025 here; allow four of them.
        assert!((share - expected).abs() < 0.01, "share {share} vs {expected}");
    }
}

#[test]
fn chance_outcomes_in_a_scenario_follow_weights_and_can_redirect() {
    let scenario = common::load_scenario(&common::fixture("valid/small.ron"));
    let mut weak = 0;
    let runs = 4000;
    for seed in 0..runs {
        let session = Session::replay(&scenario, seed, &["own", "goals"]).unwrap();
        let drawn = session.transcript[1].outcome.as_ref().unwrap();
        match (drawn.index, &session.position) {
            (0, Position::Ended(e)) => assert_eq!(e, "strong"),
            (1, Position::Ended(e)) => {
                assert_eq!(e, "weak");
                weak += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let share = weak as f64 / runs as f64;
    assert!((share - 0.25).abs() < 0.03, "slip share {share}");
}

#[test]
fn a_save_pointing_at_a_removed_beat_is_reported_not_a_crash() {
    let scenario = common::load_scenario(&common::fixture("valid/small.ron"));
    let mut session = Session::new(&scenario, 3);
    session.position = Position::AtBeat("gone".into());
    assert_eq!(session.current_beat(&scenario).unwrap_err(), ChooseError::MissingBeat("gone".into()));
    assert!(session.visible_choices(&scenario).is_empty());
    assert!(matches!(session.choose(&scenario, "blame"), Err(ChooseError::MissingBeat(_))));
}

#[test]
fn campaign_review_reads_meters_and_lessons() {
    use leap::engine::CampaignRun;
    let corpus = Corpus::from_sources([
        ("small.ron", std::fs::read_to_string(common::fixture("valid/small.ron")).unwrap().leak() as &str),
        (
            "c.ron",
            r#"Campaign(format: 1, id: "c", title: "t", summary: "s", scenarios: ["small"],
               review: [
                 (id: "tapped", title: "t", verdict: Strong, text: "t", when: All([MeterAtLeast(trust, 57), LessonsMetAtLeast(1)])),
                 (id: "not-yet", title: "t", verdict: Weak, text: "t"),
               ])"#,
        ),
    ]);
    assert_eq!(corpus.error_count(), 0, "{:?}", corpus.diagnostics().collect::<Vec<_>>());
    let campaign = corpus.campaigns().next().unwrap();
    let scenario = corpus.scenario("small").unwrap();
    for (path, expected) in [(["own", "forgive"], "tapped"), (["blame", "do-it"], "not-yet")] {
        let mut run = CampaignRun::new(campaign, 5);
        let mut session = run.start_stage(campaign, scenario);
        for id in path {
            session.choose(scenario, id).unwrap();
        }
        assert!(run.review(campaign).is_none());
        run.finish_stage(scenario, &session);
        assert_eq!(run.review(campaign).unwrap().id, expected, "meters {:?}", run.meters);
    }
}
