//! Broken files of the kinds people write: every problem in one run, each at its place with
//! words a designer can act on, and no follow-on errors (the number of errors is exact).

mod common;

use std::process::Command;

use leap::scenario::{Corpus, Severity};

struct Expected {
    code: String,
    line: usize,
    column: usize,
    words: Vec<String>,
}

/// `// expect: error CODE LINE:COL key words...` lines, or `// expect: no errors`.
fn expectations(source: &str) -> Option<Vec<Expected>> {
    let lines: Vec<&str> =
        source.lines().filter_map(|l| l.trim_start_matches('\u{feff}').strip_prefix("// expect: ")).collect();
    if lines == ["no errors"] {
        return Some(Vec::new());
    }
    if lines.is_empty() {
        return None;
    }
    Some(
        lines
            .iter()
            .map(|rest| {
                let parts: Vec<&str> = rest.split_whitespace().collect();
                assert_eq!(parts[0], "error", "{rest}");
                let (line, column) = parts[2].split_once(':').expect("line:col");
                Expected {
                    code: parts[1].to_string(),
                    line: line.parse().unwrap(),
                    column: column.parse().unwrap(),
                    words: parts[3..].iter().map(|w| w.to_lowercase()).collect(),
                }
            })
            .collect(),
    )
}

#[test]
fn every_broken_file_reports_all_its_errors_and_nothing_else() {
    let dir = common::fixture("broken");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 60, "expected at least 60 broken files, found {}", files.len());
    let mut several = 0;
    for path in files {
        let corpus = Corpus::load(std::slice::from_ref(&path));
        let file = &corpus.files[0];
        let expected = expectations(&file.source).unwrap_or_else(|| panic!("{} has no expectations", path.display()));
        let errors: Vec<_> = file.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        let listing = errors.iter().map(|d| d.short()).collect::<Vec<_>>().join("\n");
        assert_eq!(errors.len(), expected.len(), "{}: wrong number of errors:\n{listing}", path.display());
        for e in &expected {
            let found = errors.iter().find(|d| d.code == e.code && d.line == e.line && d.column == e.column);
            let found = found.unwrap_or_else(|| {
                panic!("{}: expected {} at {}:{}, got:\n{listing}", path.display(), e.code, e.line, e.column)
            });
            let text = format!("{} {}", found.message, found.help.as_deref().unwrap_or("")).to_lowercase();
            for word in &e.words {
                assert!(text.contains(word.as_str()), "{}: `{word}` missing from: {text}", path.display());
            }
        }
        several += usize::from(expected.len() > 1);
    }
    assert!(several >= 15, "only {several} files with several independent errors");
}

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn small() -> String {
    std::fs::read_to_string(common::fixture("valid/small.ron")).unwrap()
}

#[test]
fn a_broken_copy_never_disables_its_clean_original() {
    let dir = common::scratch_dir("broken-copy");
    write(&dir, "a-original.ron", &small());
    write(
        &dir,
        "b-copy.ron",
        &small().replace(
            "Beat(\"second\"),\n                ),\n                (",
            "Beat(\"secnd\"),\n                ),\n                (",
        ),
    );
    for order in [["a-original.ron", "b-copy.ron"], ["b-copy.ron", "a-original.ron"]] {
        let paths: Vec<_> = order.iter().map(|n| dir.join(n)).collect();
        let corpus = Corpus::load(&paths);
        assert!(corpus.scenario("small").is_some(), "the clean original must stay playable");
        let codes: Vec<_> = corpus.diagnostics().filter(|d| d.is_error()).map(|d| (d.file.clone(), d.code)).collect();
        assert_eq!(codes.len(), 1, "{codes:?}");
        assert!(codes[0].0.ends_with("b-copy.ron") && codes[0].1 == "dangling-reference", "{codes:?}");
    }
}

#[test]
fn two_clean_files_with_one_id_are_both_named_and_neither_is_played() {
    let dir = common::scratch_dir("duplicate-clean");
    write(&dir, "one.ron", &small());
    write(&dir, "two.ron", &small());
    let corpus = Corpus::load(std::slice::from_ref(&dir));
    let duplicates: Vec<_> = corpus.diagnostics().filter(|d| d.code == "duplicate-id").collect();
    assert_eq!(duplicates.len(), 2, "{duplicates:?}");
    assert!(duplicates[0].message.contains("two.ron") && duplicates[1].message.contains("one.ron"), "{duplicates:?}");
    let why = corpus.find("small").unwrap_err();
    assert!(why.contains("one.ron") && why.contains("two.ron"), "{why}");
}

#[test]
fn no_scenario_says_where_it_looked_and_names_a_broken_file() {
    let dir = common::scratch_dir("no-scenario");
    write(&dir, "the-budget-cut.ron", "Scenario(format: 1, id: \"the-budget-cut\", title: \"x\"");
    let run = |id: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_leap"))
            .args(["--scenarios"])
            .arg(&dir)
            .args(["play", "--text", id])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr)
    };
    let broken = run("the-budget-cut");
    assert!(broken.contains("the-budget-cut.ron has errors") && broken.contains("leap check"), "{broken}");
    let unknown = run("nothing-here");
    for words in ["no scenario `nothing-here`", "no scenarios were found", "--scenarios", "LEAP_SCENARIOS"] {
        assert!(unknown.contains(words), "`{words}` missing from: {unknown}");
    }
    assert!(unknown.contains(&dir.display().to_string()), "{unknown}");
}

#[test]
fn a_campaign_checked_alone_finds_its_scenarios_in_the_scenarios_folder() {
    let campaign = common::root().join("scenarios/the-leap.campaign.ron");
    assert!(campaign.exists());
    let output = Command::new(env!("CARGO_BIN_EXE_leap"))
        .arg("--scenarios")
        .arg(common::root().join("scenarios"))
        .args(["check", "--format", "short"])
        .arg(&campaign)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(!text.contains("dangling-reference"), "{text}");
}

#[test]
fn one_error_on_a_huge_file_prints_a_few_lines() {
    let beats: String = (0..10_000)
        .map(|i| format!("(id: \"b{i}\", text: \"t\", choices: [(id: \"c\", text: \"t\", lesson: \"L01\", feedback: \"f\", next: Ending(\"e\"))]),\n"))
        .collect();
    let source = format!(
        "Scenario(format: 1, id: \"big\", title: \"t\", summary: \"s\", start: \"b0\", beats: [\n{beats}], endings: [])"
    );
    let corpus = Corpus::from_sources([("big.ron", source.as_str())]);
    let file = &corpus.files[0];
    let worst = file.diagnostics.iter().map(|d| d.render(&file.source, false).lines().count()).max().unwrap();
    assert!(worst < 20, "a diagnostic printed {worst} lines");
}

#[test]
fn piped_play_echoes_the_choices_read() {
    let output = Command::new(env!("CARGO_BIN_EXE_leap"))
        .args(["play", "--text"])
        .arg(common::fixture("valid/small.ron"))
        .args(["--seed", "1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"2\n1\n")?;
            child.wait_with_output()
        })
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("q to quit): 2\n"), "{text}");
}

#[test]
fn large_effects_and_braces_in_text_are_warned_about() {
    let source = small()
        .replace("trust: -5, strategic_impact: 3", "trust: -45, strategic_impact: 3")
        .replace("\"Blame costs trust.\"", "\"Blame costs {name} trust.\"");
    let corpus = Corpus::from_sources([("warn.ron", source.as_str())]);
    let warnings: Vec<_> =
        corpus.diagnostics().filter(|d| d.severity == Severity::Warning).map(|d| (d.code, d.line)).collect();
    assert!(warnings.contains(&("large-effect", 23)), "{warnings:?}");
    assert!(warnings.contains(&("braces-in-text", 25)), "{warnings:?}");
    assert_eq!(corpus.error_count(), 0);
}
