//! The simulator's fast path must follow exactly the same rules as `Session`: the same
//! offers, meters, flags, lessons met, queue of delayed effects, outcome drawn and position
//! after every decision, from a scenario's start and from a campaign stage's, on the shipped
//! scenarios, the tool fixtures and scenarios the fuzzer generates.

mod common;

// The fuzzer's scenario generator (it needs the fuzzer's random source and lexer).
#[allow(dead_code)]
#[path = "../examples/fuzz/lexer.rs"]
mod lexer;
#[allow(dead_code)]
#[path = "../examples/fuzz/mutate.rs"]
mod mutate;
#[allow(dead_code)]
#[path = "../examples/fuzz/structured.rs"]
mod structured;

use std::collections::BTreeSet;

use leap::engine::campaign::{CampaignRun, StageStart};
use leap::engine::playout::{Compiled, Dest, Offer, Playout};
use leap::engine::{Meters, Position, Session};
use leap::scenario::Scenario;
use proptest::prelude::*;
use rand::SeedableRng;

fn all_scenarios() -> Vec<Scenario> {
    let mut list: Vec<Scenario> = common::shipped().scenarios().cloned().collect();
    list.push(common::load_scenario(&common::fixture("valid/small.ron")));
    for tool_fixture in ["tools/known-odds.ron", "tools/reach.ron", "tools/chance-reach.ron", "tools/loop.ron"] {
        list.push(common::load_scenario(&common::fixture(tool_fixture)));
    }
    list
}

/// Plays both side by side from `start`, picking the `pick % n`-th available choice, and
/// compares every step.
fn side_by_side(scenario: &Scenario, start: &StageStart, picks: &[usize]) -> Result<(), TestCaseError> {
    let compiled = Compiled::new(scenario).unwrap();
    let mut session = Session::at_stage(scenario, start);
    let mut playout = Playout::at_stage(&compiled, start);
    let mut offers: Vec<Offer> = Vec::new();
    for pick in picks.iter().cycle().take(120) {
        if session.is_over() {
            prop_assert!(playout.is_over());
            break;
        }
        let views = session.visible_choices(scenario);
        playout.offers(&compiled, &mut offers);
        let seen: Vec<(&str, bool)> = views.iter().map(|v| (v.choice.id.as_str(), v.available())).collect();
        let fast: Vec<(&str, bool)> =
            offers.iter().map(|o| (compiled.choices[o.choice].choice.id.as_str(), o.available)).collect();
        prop_assert_eq!(&seen, &fast, "offers differ in {}", scenario.id);
        let available: Vec<&Offer> = offers.iter().filter(|o| o.available).collect();
        if available.is_empty() {
            break; // a dead end (the checker rejects these); both agreed on it
        }
        let offer = available[pick % available.len()];
        let id = compiled.choices[offer.choice].choice.id.clone();
        let will_draw = playout.draw(&compiled, offer.choice);
        let drawn = session.choose(scenario, &id).unwrap().outcome.as_ref().map(|o| o.index);
        prop_assert_eq!(drawn, will_draw, "outcome drawn differs in {} at {}", scenario.id, id);
        let dest = playout.choose(&compiled, offer.choice);

        prop_assert_eq!(session.meters, playout.meters, "meters differ in {} after {}", scenario.id, id);
        let flags: Vec<&str> = session.flags.iter().map(String::as_str).collect();
        prop_assert_eq!(flags, playout.flag_names(&compiled));
        prop_assert_eq!(session.decisions_made(), playout.decisions);
        let lessons: Vec<&str> =
            session.lessons_met().into_iter().map(|l| leap::scenario::lessons::lesson(&l).unwrap().id).collect();
        prop_assert_eq!(lessons, playout.lesson_ids(), "lessons met differ in {}", scenario.id);
        let applied: Vec<String> = session.lessons_applied().into_iter().collect();
        let fast_applied: Vec<String> = leap::scenario::lessons::LESSONS
            .iter()
            .enumerate()
            .filter(|(i, _)| playout.applied & (1 << i) != 0)
            .map(|(_, l)| l.id.to_string())
            .collect();
        prop_assert_eq!(applied, fast_applied, "lessons applied differ in {}", scenario.id);
        let pending: Vec<(u32, &str)> = session.pending.iter().map(|p| (p.due, p.from_choice.as_str())).collect();
        prop_assert_eq!(pending, playout.pending_from(&compiled), "pending effects differ in {}", scenario.id);
        let expected = match &session.position {
            Position::AtBeat(b) => Dest::Beat(scenario.beats.iter().position(|x| &x.id == b).unwrap()),
            Position::Ended(e) => Dest::Ending(scenario.endings.iter().position(|x| &x.id == e).unwrap()),
        };
        prop_assert_eq!(dest, expected);
        prop_assert_eq!(playout.at, expected);
    }
    Ok(())
}

fn fresh_start(scenario: &Scenario, seed: u64) -> StageStart {
    StageStart {
        seed,
        meters: scenario.start_meters.into(),
        lessons_met: BTreeSet::new(),
        lessons_applied: BTreeSet::new(),
        flags: BTreeSet::new(),
    }
}

/// A scenario the fuzzer writes from scratch. It may break the checker's limits (too many
/// choices or beats, a delay too long): the rules must still agree on it, as long as every
/// reference resolves.
fn generated(seed: u64) -> Option<Scenario> {
    let mut rng = mutate::Rng::seed_from_u64(seed);
    let bytes = structured::generated_scenario(&mut rng);
    match leap::scenario::load::parse_bytes("generated.ron", &bytes).document {
        Some(leap::scenario::Document::Scenario(s)) if Compiled::new(&s).is_ok() => Some(s),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn the_fast_path_plays_exactly_like_a_session(seed in any::<u64>(), picks in prop::collection::vec(0usize..4, 1..40)) {
        for scenario in all_scenarios() {
            side_by_side(&scenario, &fresh_start(&scenario, seed), &picks)?;
        }
    }

    /// Campaign stages start with carried meters and the lessons met before; conditions on
    /// those lessons must see them in both.
    #[test]
    fn the_fast_path_starts_campaign_stages_like_a_session(
        seed in any::<u64>(),
        meters in prop::array::uniform3(0i32..=100),
        lessons in prop::collection::btree_set(0usize..22, 0..22),
        applied_share in 0usize..3,
        picks in prop::collection::vec(0usize..4, 1..40),
    ) {
        let lessons_met: BTreeSet<String> = lessons.iter().map(|&i| leap::scenario::lessons::LESSONS[i].id.to_string()).collect();
        // Some of the lessons met were applied too.
        let lessons_applied: BTreeSet<String> = lessons_met.iter().step_by(applied_share + 1).cloned().collect();
        let meters = Meters { trust: meters[0], strategic_impact: meters[1], team_engagement: meters[2] };
        for scenario in all_scenarios() {
            // The campaign flags a scenario reads, set by an imagined earlier stage.
            let flags = scenario.campaign_flags.iter().step_by(2).cloned().collect();
            let start = StageStart { seed, meters, lessons_met: lessons_met.clone(), lessons_applied: lessons_applied.clone(), flags };
            side_by_side(&scenario, &start, &picks)?;
        }
    }

    #[test]
    fn the_fast_path_plays_generated_scenarios_like_a_session(generator in any::<u64>(), seed in any::<u64>(), picks in prop::collection::vec(0usize..4, 1..40)) {
        if let Some(scenario) = generated(generator) {
            side_by_side(&scenario, &fresh_start(&scenario, seed), &picks)?;
        }
    }
}

/// The shipped campaign, stage by stage: each stage's playout starts where the session does.
#[test]
fn campaign_stages_start_the_same_in_both() {
    let corpus = common::shipped();
    let campaign = corpus.campaigns().next().expect("the shipped campaign");
    let mut run = CampaignRun::new(campaign, 7);
    for id in &campaign.scenarios {
        let scenario = corpus.scenario(id).unwrap();
        let start = run.stage_start(campaign, scenario);
        let session = run.start_stage(campaign, scenario);
        let playout = Playout::at_stage(&Compiled::new(scenario).unwrap(), &start);
        assert_eq!(session.meters, playout.meters, "{id}");
        let lessons: Vec<String> = session.lessons_met().into_iter().collect();
        assert_eq!(lessons, playout.lesson_ids(), "{id}");
        let flags: Vec<&str> = session.flags.iter().map(String::as_str).collect();
        assert_eq!(flags, playout.flag_names(&Compiled::new(scenario).unwrap()), "{id}: campaign flags carried");
        // Play the stage with its first available choice each time, to carry something on.
        let mut session = session;
        while !session.is_over() {
            let first =
                session.visible_choices(scenario).into_iter().find(|v| v.available()).unwrap().choice.id.clone();
            session.choose(scenario, &first).unwrap();
        }
        run.finish_stage(scenario, &session);
    }
    assert!(run.lessons_met.len() > 3, "the campaign carried lessons: {:?}", run.lessons_met);
}

#[test]
fn a_state_key_round_trips() {
    let scenario = common::load_scenario(&common::fixture("valid/small.ron"));
    let compiled = Compiled::new(&scenario).unwrap();
    let mut playout = Playout::new(&compiled, 4);
    // "own" schedules a delayed effect, so the key carries a pending entry.
    let own = compiled.choices.iter().position(|c| c.choice.id == "own").unwrap();
    playout.choose(&compiled, own);
    let mut key = Vec::new();
    playout.key(&compiled, &mut key);
    let mut back = Playout::new(&compiled, 0);
    Playout::from_key(&compiled, &key, &mut back);
    let mut again = Vec::new();
    back.key(&compiled, &mut again);
    assert_eq!(key, again);
    assert_eq!((back.meters, back.at), (playout.meters, playout.at));
    // The delayed +4 engagement still lands with the next decision after the round trip.
    let do_it = compiled.choices.iter().position(|c| c.choice.id == "do-it").unwrap();
    let before = back.meters.team_engagement;
    back.choose_outcome(&compiled, do_it, None);
    assert_eq!(back.meters.team_engagement, before - 6 + 4);
    let mut original = playout.clone();
    original.choose_outcome(&compiled, do_it, None);
    assert_eq!((back.meters, back.at), (original.meters, original.at));
}

/// The generated cases are not vacuous: most generated scenarios are clean enough to play.
#[test]
fn the_generator_gives_playable_scenarios() {
    let playable = (0..40).filter(|&g| generated(g).is_some()).count();
    assert!(playable >= 20, "only {playable} of 40 generated scenarios play");
}
