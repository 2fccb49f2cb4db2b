//! The room's votes: tallying, undo, and when picking against the room needs a reason.

use leap::engine::votes::{Majority, RoomDecision, VoteError, VoteTally, option_letter, votes_summary};

fn tally(counts: &[u32]) -> VoteTally {
    let mut tally = VoteTally::new(counts.len());
    for (option, count) in counts.iter().enumerate() {
        tally.set(option, *count);
    }
    tally
}

#[test]
fn taps_and_typed_counts_add_up() {
    let mut tally = VoteTally::new(4);
    assert_eq!(tally.total(), 0);
    assert_eq!(tally.percentages(), vec![0.0; 4], "no votes gives 0%, not NaN");
    tally.tap(1);
    tally.tap(1);
    tally.tap(3);
    tally.set(0, 5);
    assert_eq!(tally.counts(), &[5, 2, 0, 1]);
    assert_eq!(tally.total(), 8);
    assert_eq!(tally.percentages(), vec![62.5, 25.0, 0.0, 12.5]);
    assert_eq!(tally.summary(), "A:5 B:2 C:0 D:1");
    // A typed count replaces what the taps gave.
    tally.set(1, 7);
    assert_eq!(tally.counts(), &[5, 7, 0, 1]);
}

#[test]
fn options_not_shown_are_ignored() {
    let mut tally = VoteTally::new(2);
    tally.tap(2);
    tally.set(9, 4);
    assert_eq!(tally.counts(), &[0, 0]);
    assert!(!tally.undo(), "ignored input leaves nothing to undo");
}

#[test]
fn undo_steps_back_through_taps_and_sets_in_order() {
    let mut tally = VoteTally::new(3);
    tally.tap(0);
    tally.tap(0);
    tally.set(0, 10);
    tally.tap(2);
    tally.set(1, 4);
    tally.set(1, 6);
    let mut seen = vec![tally.counts().to_vec()];
    while tally.undo() {
        seen.push(tally.counts().to_vec());
    }
    assert_eq!(
        seen,
        vec![
            vec![10, 6, 1],
            vec![10, 4, 1], // the second set undone: back to the first set's value
            vec![10, 0, 1],
            vec![10, 0, 0],
            vec![2, 0, 0], // the set undone: back to the two taps
            vec![1, 0, 0],
            vec![0, 0, 0],
        ]
    );
    assert!(!tally.undo(), "nothing left");
    assert_eq!(tally.majority(), Majority::NoVotes);
}

#[test]
fn the_majority_is_clear_tied_or_absent() {
    assert_eq!(tally(&[0, 0, 0]).majority(), Majority::NoVotes);
    assert_eq!(tally(&[3, 7, 1]).majority(), Majority::Clear(1));
    assert_eq!(tally(&[4, 1, 4, 4]).majority(), Majority::Tie(vec![0, 2, 3]));
    assert_eq!(tally(&[0, 2]).majority(), Majority::Clear(1));
}

#[test]
fn following_the_clear_majority_needs_no_reason() {
    let decision = tally(&[3, 7, 1]).decide(1, None).unwrap();
    assert_eq!(decision, RoomDecision { picked: 1, overrode_majority: false, reason: None });
}

#[test]
fn overriding_a_clear_majority_needs_a_real_reason() {
    let room = tally(&[3, 7, 1]);
    assert_eq!(room.decide(0, None), Err(VoteError::ReasonRequired));
    assert_eq!(room.decide(0, Some("   ".into())), Err(VoteError::ReasonRequired), "blank is no reason");
    let decision = room.decide(0, Some("  We tried B last time. ".into())).unwrap();
    assert!(decision.overrode_majority);
    assert_eq!(decision.reason.as_deref(), Some("We tried B last time."));
    assert_eq!(decision.picked, 0);
}

#[test]
fn a_tie_is_the_facilitators_call_among_the_tied_options_only() {
    let room = tally(&[4, 1, 4]);
    for tied in [0, 2] {
        let decision = room.decide(tied, None).unwrap();
        assert!(!decision.overrode_majority, "option {tied} is one of the tied");
    }
    assert_eq!(room.decide(1, None), Err(VoteError::ReasonRequired), "B was not tied for the lead");
    assert!(room.decide(1, Some("Show the quiet option.".into())).unwrap().overrode_majority);
}

#[test]
fn with_no_votes_any_pick_is_the_facilitators_and_not_an_override() {
    let room = VoteTally::new(3);
    for option in 0..3 {
        assert!(!room.decide(option, None).unwrap().overrode_majority);
    }
}

#[test]
fn picking_an_option_not_shown_is_an_error() {
    let room = tally(&[1, 2]);
    assert_eq!(room.decide(2, Some("why not".into())), Err(VoteError::NoSuchOption));
    assert_eq!(VoteTally::new(0).decide(0, None), Err(VoteError::NoSuchOption));
    assert!(VoteError::ReasonRequired.to_string().contains("say why"));
}

#[test]
fn options_are_lettered_in_the_order_shown() {
    assert_eq!([0, 1, 2, 3].map(option_letter), ['A', 'B', 'C', 'D']);
    assert_eq!(votes_summary(&[3, 7]), "A:3 B:7");
}
