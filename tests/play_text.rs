//! `leap play --text` driven through stdin, as a person or a script would.

mod common;

use common::run_leap as play;

#[test]
fn piped_choices_reach_an_ending() {
    let file = common::fixture("valid/small.ron");
    let (code, out) = play(&["play", "--text", file.to_str().unwrap(), "--seed", "7"], "2\n3\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Sam (Analyst):"), "{out}");
    assert!(out.contains("Feedback: Owning it builds trust."), "{out}");
    assert!(out.contains("You applied L01: Own the outcome"), "{out}");
    assert!(out.contains("Catching up with you: Sam notices."), "{out}");
    assert!(out.contains("=== Ending: Drift (Mixed) ==="), "{out}");
    assert!(out.contains("Replay: leap play --text small --seed 7  (choices 2,3)"), "{out}");
}

#[test]
fn locked_choices_and_bad_input_are_explained_and_asked_again() {
    let file = common::fixture("valid/small.ron");
    let (code, out) = play(&["play", "--text", file.to_str().unwrap(), "--seed", "1"], "1\nnine\n3\n1\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("[locked: Sam has not forgotten the blame.]"), "{out}");
    assert!(out.contains("Type a number from 1 to 3."), "{out}");
    assert!(out.contains("That choice is locked: Sam has not forgotten the blame."), "{out}");
    assert!(out.contains("=== Ending: Burnout (Weak) ==="), "{out}");
}

#[test]
fn end_of_input_leaves_cleanly() {
    let file = common::fixture("valid/small.ron");
    let (code, out) = play(&["play", "--text", file.to_str().unwrap(), "--seed", "1"], "1\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Input ended before the scenario finished"), "{out}");
}

#[test]
fn every_shipped_scenario_plays_to_an_ending_from_piped_input() {
    let corpus = common::shipped();
    let root = common::root().join("scenarios");
    for scenario in corpus.scenarios() {
        // Cycling through the numbers gets past locked choices, which are refused and asked again.
        let (code, out) = play(
            &["--scenarios", root.to_str().unwrap(), "play", "--text", &scenario.id, "--seed", "11"],
            &"1\n2\n3\n4\n".repeat(40),
        );
        assert_eq!(code, Some(0), "{}: {out}", scenario.id);
        assert!(out.contains("=== Ending:"), "{} did not reach an ending:\n{out}", scenario.id);
    }
}

#[test]
fn an_unknown_scenario_gets_a_suggestion() {
    let dir = common::fixture("valid");
    let (code, out) = play(&["--scenarios", dir.to_str().unwrap(), "play", "--text", "smal"], "");
    assert_eq!(code, Some(1));
    assert!(out.contains("did you mean `small`?"), "{out}");
}

/// The replay line numbers choices as they were shown: a hidden locked choice written before
/// the one taken has no number, so it must not shift the numbers.
#[test]
fn the_replay_line_numbers_choices_as_shown_past_a_hidden_locked_one() {
    let small = std::fs::read_to_string(common::fixture("valid/small.ron")).unwrap();
    let hidden = r#"choices: [
                (
                    id: "secret",
                    text: "A door only the trusted see.",
                    effects: (trust: 1),
                    lesson: "L01",
                    feedback: "Hidden.",
                    requires: MeterAtLeast(trust, 99),
                    locked: Hide,
                    next: Beat("second"),
                ),"#;
    let text = small.replacen("choices: [", hidden, 1);
    let dir = common::scratch_dir("replay-hidden");
    let file = dir.join("small.ron");
    std::fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();
    let (code, out) = play(&["play", "--text", file, "--seed", "7"], "2\n3\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("A door only the trusted see."), "the hidden choice is not offered: {out}");
    assert!(out.contains("Feedback: Owning it builds trust."), "{out}");
    assert!(out.contains("(choices 2,3)"), "{out}");
    // Typing the replay line's numbers plays the same run again.
    let (_, again) = play(&["play", "--text", file, "--seed", "7"], "2\n3\n");
    let ending = |o: &str| o.lines().find(|l| l.starts_with("=== Ending")).map(str::to_owned);
    assert_eq!(ending(&again), ending(&out));
}
