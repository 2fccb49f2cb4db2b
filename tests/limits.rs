//! Every limit in docs/authoring.md ("Limits") is a diagnostic at the right place, never a
//! crash; and nothing outside the folder being checked is ever read.

mod common;

use leap::scenario::limits::{MAX_BEATS, MAX_CHOICES, MAX_DELAY, MAX_ID_CHARS, MAX_TEXT_CHARS};
use leap::scenario::load::{MAX_DEPTH, parse_source};
use leap::scenario::{Corpus, Diagnostic, LoadedFile};

fn small() -> String {
    std::fs::read_to_string(common::fixture("valid/small.ron")).unwrap()
}

/// The errors of one file, as (code, line, column).
fn errors(file: &LoadedFile) -> Vec<(&'static str, usize, usize)> {
    file.diagnostics.iter().filter(|d| d.is_error()).map(|d| (d.code, d.line, d.column)).collect()
}

fn only_error(file: &LoadedFile) -> &Diagnostic {
    let found: Vec<&Diagnostic> = file.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(found.len(), 1, "{:#?}", found.iter().map(|d| d.short()).collect::<Vec<_>>());
    found[0]
}

/// Line and column (1-based) of the first occurrence of `needle`.
fn position(source: &str, needle: &str) -> (usize, usize) {
    let at = source.find(needle).unwrap_or_else(|| panic!("`{needle}` not in the source"));
    let line = source[..at].matches('\n').count() + 1;
    let column = at - source[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

#[test]
fn more_beats_than_the_limit_is_an_error_on_the_beats_list() {
    let filler: String = (0..MAX_BEATS)
        .map(|i| {
            format!(
                "(id: \"extra-{i}\", text: \"t\", choices: [(id: \"go\", text: \"Go.\", lesson: \"L01\", \
                 feedback: \"f\", next: Ending(\"weak\"))]),\n"
            )
        })
        .collect();
    let source = small().replacen("    beats: [\n", &format!("    beats: [\n{filler}"), 1);
    let file = parse_source("many-beats.ron", &source);
    let error = only_error(&file);
    assert_eq!(error.code, "too-many-beats");
    assert_eq!((error.line, error.column), position(&source, "[\n(id: \"extra-0\""));
    assert!(error.message.contains(&format!("{} beats; the limit is {MAX_BEATS}", MAX_BEATS + 2)), "{}", error.message);

    // Exactly at the limit is fine as far as the count goes.
    let filler: String = filler.lines().take(MAX_BEATS - 2).map(|l| format!("{l}\n")).collect();
    let source = small().replacen("    beats: [\n", &format!("    beats: [\n{filler}"), 1);
    let file = parse_source("limit-beats.ron", &source);
    assert!(!errors(&file).iter().any(|(code, ..)| *code == "too-many-beats"), "{:?}", errors(&file));
}

#[test]
fn more_choices_than_the_limit_is_an_error_on_the_first_one_too_many() {
    let extra: String = (0..2)
        .map(|i| {
            format!(
                "(id: \"extra-{i}\", text: \"Extra {i}.\", effects: (trust: {i}), lesson: \"L03\", \
                 feedback: \"f\", next: Ending(\"mixed\")),\n"
            )
        })
        .collect();
    let source = small().replacen(
        "                (\n                    id: \"do-it\"",
        &format!("{extra}                (\n                    id: \"do-it\""),
        1,
    );
    let file = parse_source("many-choices.ron", &source);
    let error = only_error(&file);
    assert_eq!(error.code, "too-many-choices");
    assert!(error.message.contains(&format!("has {} choices; a beat offers at most {MAX_CHOICES}", 5)));
    // It points at the fifth choice, the first one past the limit.
    assert_eq!((error.line, error.column), position(&source, "(\n                    id: \"forgive\""));
}

#[test]
fn a_text_over_the_limit_is_an_error_at_that_text() {
    let long = "word ".repeat(MAX_TEXT_CHARS / 5) + "!";
    assert_eq!(long.chars().count(), MAX_TEXT_CHARS + 1);
    for (field, written) in [
        ("text", "text: \"Sam is late again.\""),
        ("feedback", "feedback: \"Blame costs trust.\""),
        ("summary", "summary: \"Two beats, three endings.\""),
        ("locked reason", "locked: Show(\"Sam has not forgotten the blame.\")"),
        ("later text", "text: \"Sam notices.\""),
        ("outcome text", "text: \"It works.\""),
    ] {
        let (name, _) = written.split_once(": ").unwrap();
        let replaced = match field {
            "locked reason" => format!("locked: Show(\"{long}\")"),
            _ => format!("{name}: \"{long}\""),
        };
        let source = small().replacen(written, &replaced, 1);
        let file = parse_source("long.ron", &source);
        let error = only_error(&file);
        assert_eq!(error.code, "text-too-long", "{field}");
        assert!(error.message.contains(&format!("{} characters", MAX_TEXT_CHARS + 1)), "{field}: {}", error.message);
        let (line, column) = position(&source, &replaced);
        let value_column = column + replaced.find('"').unwrap();
        assert_eq!((error.line, error.column), (line, value_column), "{field}");
    }
    // The limit counts characters, not bytes: 4000 two-byte characters are within it.
    let accented = "é".repeat(MAX_TEXT_CHARS);
    let source = small().replacen("Sam is late again.", &accented, 1);
    assert!(errors(&parse_source("accented.ron", &source)).is_empty());
}

#[test]
fn an_id_over_the_limit_is_an_error_wherever_an_id_is_written() {
    let long = "a".repeat(MAX_ID_CHARS + 1);
    for (written, with) in [
        ("id: \"small\"", format!("id: \"{long}\"")),
        ("sets: [\"blamed\"]", format!("sets: [\"blamed\", \"{long}\"]")),
        ("(weight: 1, text: \"It slips.\"", format!("(weight: 1, text: \"It slips.\", sets: [\"{long}\"]")),
        ("text: \"Sam notices.\")", format!("text: \"Sam notices.\", sets: [\"{long}\"])")),
    ] {
        let source = small().replacen(written, &with, 1);
        let file = parse_source("long-id.ron", &source);
        let error = only_error(&file);
        assert_eq!(error.code, "bad-id", "{with}");
        assert!(error.message.contains(&format!("{} characters long", MAX_ID_CHARS + 1)), "{}", error.message);
        let (line, _) = position(&source, &long);
        assert_eq!(error.line, line, "{with}");
    }
}

#[test]
fn nesting_is_allowed_up_to_the_limit_and_an_error_past_it() {
    // `when: Not(Not(...Flag("x")...))` inside the file's own brackets: Scenario( endings: [ ( when:
    // are three levels, and each `Not(` one more.
    let nested = |levels: usize| {
        let condition = format!("{}Flag(\"blamed\"){}", "Not(".repeat(levels), ")".repeat(levels));
        let source = small().replacen("when: MeterAtMost(trust, 0)", &format!("when: {condition}"), 1);
        parse_source("nested.ron", &source)
    };
    let deepest_fine = MAX_DEPTH - 4;
    assert!(errors(&nested(deepest_fine)).is_empty(), "{:?}", errors(&nested(deepest_fine)));
    assert_eq!(only_error(&nested(deepest_fine + 1)).code, "too-deep");
    assert_eq!(only_error(&nested(10_000)).code, "too-deep");
}

#[test]
fn a_delay_is_at_least_one_decision_and_at_most_the_limit() {
    let delay = |after: u64| {
        let source = small().replacen("after: 1,", &format!("after: {after},"), 1);
        let errors = errors(&parse_source("delay.ron", &source));
        (errors, position(&source, &format!("{after}, effects: (team_engagement: 4)")))
    };
    assert!(delay(MAX_DELAY as u64).0.is_empty(), "{:?}", delay(MAX_DELAY as u64).0);
    for after in [0, MAX_DELAY as u64 + 1, u32::MAX as u64] {
        let (errors, (line, column)) = delay(after);
        assert_eq!(errors, [("bad-delay", line, column)], "after: {after}");
    }
}

#[cfg(unix)]
#[test]
fn links_inside_the_folder_are_not_followed_out_of_it() {
    use std::os::unix::fs::symlink;
    let root = common::scratch_dir("limits-symlinks");
    let outside = root.join("outside");
    let folder = root.join("scenarios");
    std::fs::create_dir_all(outside.join("more")).unwrap();
    std::fs::create_dir_all(&folder).unwrap();
    let secret = small().replace("id: \"small\"", "id: \"from-outside\"");
    std::fs::write(outside.join("secret.ron"), &secret).unwrap();
    std::fs::write(outside.join("more/deeper.ron"), secret.replace("from-outside", "deeper-outside")).unwrap();
    std::fs::write(folder.join("small.ron"), small()).unwrap();
    symlink(outside.join("secret.ron"), folder.join("linked.ron")).unwrap();
    symlink(outside.join("more"), folder.join("linked-folder")).unwrap();
    symlink(&outside, folder.join("up")).unwrap();

    let corpus = Corpus::load(std::slice::from_ref(&folder));
    let paths: Vec<&str> = corpus.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, [folder.join("small.ron").display().to_string()]);
    assert!(corpus.scenario("from-outside").is_none() && corpus.scenario("deeper-outside").is_none());

    // `leap check` on the folder sees the same one file.
    let (code, output) = common::run_leap(&["check", "--format", "short", &folder.display().to_string()], "");
    assert_eq!(code, Some(0), "{output}");
    assert!(!output.contains("outside"), "{output}");

    // The game's library, which the window and the headless app load the same way.
    #[cfg(feature = "game")]
    {
        let library = leap::game::Library::load_dir(&folder);
        assert!(library.scenario("small").is_some());
        assert!(library.scenario("from-outside").is_none() && library.scenario("deeper-outside").is_none());
    }
}
