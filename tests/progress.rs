//! "Decision 3, about 5 to go": the span of decisions left, read from the scenario's graph.

mod common;

use leap::scenario::progress::{decisions_to_go, to_go_words};

#[test]
fn the_small_fixture_counts_its_two_beats() {
    let small = common::load_scenario(&common::fixture("valid/small.ron"));
    assert_eq!(decisions_to_go(&small, "first"), Some((2, 2)));
    assert_eq!(decisions_to_go(&small, "second"), Some((1, 1)));
    assert_eq!(decisions_to_go(&small, "nowhere"), None);
    assert_eq!(to_go_words(&small, "first").as_deref(), Some("1 more to go"));
    assert_eq!(to_go_words(&small, "second").as_deref(), Some("the last decision"));
}

#[test]
fn every_shipped_beat_has_a_span_that_shrinks_along_the_way() {
    for file in &common::shipped().files {
        let Some(scenario) = file.scenario() else { continue };
        let (fewest, most) = decisions_to_go(scenario, &scenario.start).unwrap();
        assert!(
            fewest >= 1 && fewest <= most && most as usize <= scenario.beats.len(),
            "{}: {fewest}..{most}",
            scenario.id
        );
        for beat in &scenario.beats {
            let (low, high) = decisions_to_go(scenario, &beat.id).unwrap();
            assert!(low >= 1 && low <= high, "{} {}: {low}..{high}", scenario.id, beat.id);
            assert!(high <= most, "{} {}: a later beat cannot have more to go than the start", scenario.id, beat.id);
        }
    }
}
