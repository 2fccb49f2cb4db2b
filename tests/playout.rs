//! The simulator's fast path must follow exactly the same rules as `Session`.

mod common;

use leap::engine::playout::{Compiled, Dest, Offer, Playout};
use leap::engine::{Position, Session};
use leap::scenario::Scenario;
use proptest::prelude::*;

fn all_scenarios() -> Vec<Scenario> {
    let mut list: Vec<Scenario> = common::shipped().scenarios().cloned().collect();
    list.push(common::load_scenario(&common::fixture("valid/small.ron")));
    for tool_fixture in ["tools/known-odds.ron", "tools/reach.ron", "tools/chance-reach.ron", "tools/loop.ron"] {
        list.push(common::load_scenario(&common::fixture(tool_fixture)));
    }
    list
}

/// Plays both side by side, picking the `pick % n`-th available choice, and compares every step.
fn side_by_side(scenario: &Scenario, seed: u64, picks: &[usize]) -> Result<(), TestCaseError> {
    let compiled = Compiled::new(scenario).unwrap();
    let mut session = Session::new(scenario, seed);
    let mut playout = Playout::new(&compiled, seed);
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
        let offer = available[pick % available.len()];
        let id = compiled.choices[offer.choice].choice.id.clone();
        session.choose(scenario, &id).unwrap();
        let dest = playout.choose(&compiled, offer.choice);

        prop_assert_eq!(session.meters, playout.meters, "meters differ in {} after {}", scenario.id, id);
        let flags: Vec<&str> = session.flags.iter().map(String::as_str).collect();
        prop_assert_eq!(flags, playout.flag_names(&compiled));
        prop_assert_eq!(session.decisions_made(), playout.decisions);
        let expected = match &session.position {
            Position::AtBeat(b) => Dest::Beat(scenario.beats.iter().position(|x| &x.id == b).unwrap()),
            Position::Ended(e) => Dest::Ending(scenario.endings.iter().position(|x| &x.id == e).unwrap()),
        };
        prop_assert_eq!(dest, expected);
        prop_assert_eq!(playout.at, expected);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn the_fast_path_plays_exactly_like_a_session(seed in any::<u64>(), picks in prop::collection::vec(0usize..4, 1..40)) {
        for scenario in all_scenarios() {
            side_by_side(&scenario, seed, &picks)?;
        }
    }
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
