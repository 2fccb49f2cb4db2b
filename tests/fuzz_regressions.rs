//! Every input the fuzzer (`examples/fuzz`) found a problem with is kept in
//! `tests/fixtures/fuzz/` and run again here exactly as the fuzzer ran it (the same
//! `targets.rs`): it must not panic and every property must hold. A file is one input (`.ron`
//! a scenario file, `.jsonl` a session log, `.save.json` a save); a folder is several scenario
//! files checked together.

mod common;

// Shared with the fuzzer, which uses more of it than these tests do.
#[allow(dead_code)]
#[path = "../examples/fuzz/targets.rs"]
mod targets;

use std::path::Path;

use leap::scenario::load::parse_bytes;
use targets::{Context, Kind};

fn findings() -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(common::fixture("fuzz")).unwrap().flatten().map(|e| e.path()).collect();
    found.sort();
    found
}

/// The kind and files of one saved input.
fn input(path: &Path) -> (Kind, Vec<(String, Vec<u8>)>) {
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        let kind = Kind::of_file(&name(&files[0])).unwrap();
        (kind, files.iter().map(|f| (name(f), std::fs::read(f).unwrap())).collect())
    } else {
        let kind = Kind::of_file(&name(path)).unwrap_or_else(|| panic!("{}: unknown kind of input", path.display()));
        (kind, vec![(name(path), std::fs::read(path).unwrap())])
    }
}

#[test]
fn every_saved_finding_runs_clean() {
    let context = Context::new(&common::root().join("scenarios"), common::scratch_dir("fuzz-regressions"));
    let all = findings();
    assert!(all.len() >= 5, "expected the saved findings, found {}", all.len());
    for path in all {
        let (kind, files) = input(&path);
        if let Err(problem) = targets::run(kind, &files, &context) {
            panic!("{}: {problem}", path.display());
        }
    }
}

/// miette pads the underline with a format width, and `format!` panics past 65,535: a
/// problem far into one long line crashed `leap check`.
#[test]
fn a_problem_far_into_a_long_line_is_shown_cut_around_it() {
    let source = std::fs::read(common::fixture("fuzz/panic-miette-long-line.ron")).unwrap();
    let file = parse_bytes("long-line.ron", &source);
    let far = file.diagnostics.iter().find(|d| d.column > 65_535).expect("a problem past column 65,535");
    let shown = far.render(&file.source, false);
    assert!(shown.contains(&format!("long-line.ron:{}:{}", far.line, far.column)), "{shown}");
    assert!(shown.contains('…'), "the long line is cut: {shown}");
    assert!(shown.lines().all(|l| l.chars().count() < 400), "{shown}");
}

/// Name suggestions compared two 100,000-character ids character by character: 18 seconds.
#[test]
fn long_names_get_no_suggestion() {
    let source = std::fs::read(common::fixture("fuzz/slow-suggestion-long-ids.ron")).unwrap();
    let file = parse_bytes("long-ids.ron", &source);
    let dangling: Vec<_> = file.diagnostics.iter().filter(|d| d.code == "dangling-reference").collect();
    assert!(!dangling.is_empty());
    for d in dangling.iter().filter(|d| d.message.len() > 1000) {
        assert!(!d.help.as_deref().unwrap_or("").contains("did you mean"), "{}", d.short());
    }
}

/// A log whose meters were edited to i32::MIN made the xAPI export overflow computing deltas.
#[test]
fn a_log_with_impossible_meters_is_refused_with_its_line() {
    let path = common::fixture("fuzz/panic-log-meter-overflow.jsonl");
    let error = leap::record::read_log(&path).unwrap_err().to_string();
    assert!(error.contains("line 2") && error.contains("a meter of -2147483648 is outside 0 to 100"), "{error}");
}

/// A recovered beat kept thousands of choices, and comparing every pair for dilemmas took
/// 8 seconds: past the limit of four, the beat has its error and no pairwise warnings.
#[test]
fn a_beat_past_the_choice_limit_is_not_compared_pair_by_pair() {
    let source = std::fs::read(common::fixture("fuzz/slow-dilemmas-many-choices.ron")).unwrap();
    let file = parse_bytes("many-choices.ron", &source);
    let Some(leap::scenario::Document::Scenario(read)) = &file.document else { panic!("nothing was read") };
    assert!(read.beats.iter().any(|b| b.choices.len() > 1000), "the beat with many choices was not read");
    assert!(!file.diagnostics.iter().any(|d| d.code == "dominated-choice"));
}

/// Thousands of values read with stand-ins made every later check scan the list of them
/// (a hang past 60 s): each check now looks its path up, one level at a time.
#[test]
fn many_stand_ins_are_looked_up_not_scanned() {
    let source = std::fs::read(common::fixture("fuzz/hang-many-stand-ins.ron")).unwrap();
    let file = parse_bytes("stand-ins.ron", &source);
    let wrong = file.diagnostics.iter().filter(|d| d.code == "wrong-type").count();
    assert!(wrong >= 100, "{wrong} wrong-type errors");
}
