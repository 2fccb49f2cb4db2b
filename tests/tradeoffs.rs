//! The trade-off and bias warnings: where they fire, where they must not, and how to silence
//! them. Each also has a fixture in tests/fixtures/errors/ checked at its exact position by
//! check_diagnostics.rs.

mod common;

use leap::scenario::{Corpus, Severity};
use leap::tools::tradeoffs::annotate_corpus;

/// A corpus checked as `leap check` does: loading, then the warnings that simulate play.
fn checked(mut corpus: Corpus) -> Corpus {
    annotate_corpus(&mut corpus);
    corpus
}

const NEW_WARNINGS: [&str; 5] =
    ["identical-choices", "unmoved-meter", "first-option-bias", "longest-option-bias", "rare-ending"];

fn codes(name: &str, text: &str) -> Vec<&'static str> {
    let corpus = checked(Corpus::from_sources([(name, text)]));
    assert_eq!(corpus.error_count(), 0, "{:?}", corpus.diagnostics().map(|d| d.short()).collect::<Vec<_>>());
    corpus.diagnostics().map(|d| d.code).collect()
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(common::fixture(name)).unwrap()
}

#[test]
fn the_new_warnings_stay_silent_on_the_shipped_scenarios() {
    let corpus = checked(common::shipped());
    assert!(corpus.scenarios().count() >= 1);
    let found: Vec<String> =
        corpus.diagnostics().filter(|d| NEW_WARNINGS.contains(&d.code)).map(|d| d.short()).collect();
    assert!(
        found.is_empty(),
        "the trade-off warnings fire on shipped scenarios (mark intended rare endings with `rare_intended: true`, or fix them):\n{}",
        found.join("\n")
    );
}

#[test]
fn every_new_warning_is_a_warning_not_an_error() {
    for name in ["identical-choices", "unmoved-meter", "first-option-bias", "longest-option-bias", "rare-ending"] {
        let corpus = checked(Corpus::load(&[common::fixture(&format!("errors/{name}.ron"))]));
        let hits: Vec<_> = corpus.diagnostics().filter(|d| d.code == name).collect();
        assert_eq!(hits.len(), 1, "{name}: {:?}", corpus.diagnostics().map(|d| d.short()).collect::<Vec<_>>());
        assert_eq!(hits[0].severity, Severity::Warning);
        assert!(hits[0].help.is_some(), "{name} has no help");
        assert!(corpus.scenarios().next().is_some(), "{name}: a warning must not stop the scenario loading");
    }
}

#[test]
fn rare_intended_silences_a_rare_ending() {
    let text = fixture_text("errors/rare-ending.ron");
    let corpus = checked(Corpus::from_sources([("rare.ron", text.as_str())]));
    let rare: Vec<String> =
        corpus.diagnostics().filter(|d| d.code == "rare-ending").map(|d| d.message.clone()).collect();
    // `also-rare` is just as rare, but marked intended.
    assert_eq!(rare.len(), 1, "{rare:?}");
    assert!(rare[0].contains("`needle`") && rare[0].contains("of 2000"), "{rare:?}");
    let marked = text.replace("text: \"The needle.\")", "text: \"The needle.\", rare_intended: true)");
    assert!(!codes("rare.ron", &marked).contains(&"rare-ending"));
    // Found in a quarter of runs, it is not rare at all.
    let common_enough = text.replace("(weight: 98, text: \"Nothing.\")", "(weight: 1, text: \"Nothing.\")");
    assert!(!codes("rare.ron", &common_enough).contains(&"rare-ending"));
}

#[test]
fn the_rare_ending_check_is_deterministic() {
    let text = fixture_text("errors/rare-ending.ron");
    let first: Vec<String> =
        checked(Corpus::from_sources([("r.ron", text.as_str())])).diagnostics().map(|d| d.short()).collect();
    let second: Vec<String> =
        checked(Corpus::from_sources([("r.ron", text.as_str())])).diagnostics().map(|d| d.short()).collect();
    assert_eq!(first, second);
}

#[test]
fn different_effects_silence_identical_choices() {
    let text = fixture_text("errors/identical-choices.ron");
    assert!(codes("i.ron", &text).contains(&"identical-choices"));
    // The same immediate effects but a different delayed one is a different trade-off.
    let delayed = text.replace(
        "feedback: \"Owning it builds trust.\",",
        "feedback: \"Owning it builds trust.\", later: [(after: 1, effects: (team_engagement: 4), text: \"Sam notices.\")],",
    );
    assert!(!codes("i.ron", &delayed).contains(&"identical-choices"));
    // Writing `trust: 0` is the same as leaving trust out.
    let zero = text.replace(
        "effects: (trust: -5, strategic_impact: 3),",
        "effects: (trust: -5, strategic_impact: 3, team_engagement: 0),",
    );
    assert!(codes("i.ron", &zero).contains(&"identical-choices"));
}

#[test]
fn a_chance_or_delayed_effect_counts_as_moving_a_meter() {
    let text = fixture_text("errors/unmoved-meter.ron");
    assert!(codes("u.ron", &text).contains(&"unmoved-meter"));
    let by_chance = text.replace(
        "(weight: 3, text: \"It works.\", effects: (trust: 2))",
        "(weight: 3, text: \"It works.\", effects: (team_engagement: 2))",
    );
    assert_ne!(by_chance, text);
    assert!(!codes("u.ron", &by_chance).contains(&"unmoved-meter"));
}

/// Moves the best option (written as `(id: "a"` first) to the end in the first `n` beats.
fn move_best_last(text: &str, beats: usize) -> String {
    let mut out = text.to_string();
    for b in 1..=beats {
        let start = out.find(&format!("id: \"b{b}\"")).unwrap();
        let a_line = out[start..].find("(id: \"a\"").unwrap() + start;
        let a_end = out[a_line..].find('\n').unwrap() + a_line + 1;
        let line_start = out[..a_line].rfind('\n').unwrap() + 1;
        let line = out[line_start..a_end].to_string();
        out.replace_range(line_start..a_end, "");
        let close = out[line_start..].find("            ],").unwrap() + line_start;
        out.insert_str(close, &line);
    }
    out
}

#[test]
fn first_option_bias_needs_three_quarters_of_the_beats() {
    let text = fixture_text("errors/first-option-bias.ron");
    assert!(codes("f.ron", &text).contains(&"first-option-bias"));
    // 3 of 4 beats is exactly 75%: still a pattern.
    assert!(codes("f.ron", &move_best_last(&text, 1)).contains(&"first-option-bias"));
    // 2 of 4 is not.
    assert!(!codes("f.ron", &move_best_last(&text, 2)).contains(&"first-option-bias"));
}

#[test]
fn bias_is_not_judged_on_fewer_than_four_beats() {
    let text = fixture_text("errors/longest-option-bias.ron");
    assert!(codes("l.ron", &text).contains(&"longest-option-bias"));
    // Cut the fourth beat: b3 ends the scenario instead.
    let start = text.find("        (\n            id: \"b4\"").unwrap();
    let end = text[start..].find("    ],\n    endings").unwrap() + start;
    let mut three = text.clone();
    three.replace_range(start..end, "");
    let three = three.replacen("Beat(\"b4\")", "Ending(\"fine\")", 1).replace("Beat(\"b4\")", "Ending(\"good\")");
    assert!(!codes("l.ron", &three).contains(&"longest-option-bias"));
}

/// Loading (what the game, `leap play` and the other commands do) finds the same errors and
/// document as `leap check`, without the warnings that need simulated play: they are for
/// designers, and the game would pay for them at start-up and on every hot reload.
#[test]
fn loading_skips_only_the_trade_off_analysis() {
    use leap::scenario::load::parse_source;
    use leap::tools::tradeoffs::annotate_file;
    for fixture in ["errors/rare-ending.ron", "errors/identical-choices.ron", "errors/many-errors.ron"] {
        let text = fixture_text(fixture);
        let play = parse_source("x.ron", &text);
        let mut all = play.clone();
        annotate_file(&mut all);
        let errors = |f: &leap::scenario::LoadedFile| {
            f.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.short()).collect::<Vec<_>>()
        };
        assert_eq!(errors(&all), errors(&play), "{fixture}");
        assert_eq!(all.document.is_some(), play.document.is_some(), "{fixture}");
        let play_codes: Vec<&str> = play.diagnostics.iter().map(|d| d.code).collect();
        assert!(play_codes.iter().all(|c| !NEW_WARNINGS.contains(c)), "{fixture}: {play_codes:?}");
    }
    let mut rare = parse_source("x.ron", &fixture_text("errors/rare-ending.ron"));
    annotate_file(&mut rare);
    assert!(rare.diagnostics.iter().any(|d| d.code == "rare-ending"), "the full check still finds it");
}
