//! The checker: one fixture per error kind, each asserting the exact line and column.

mod common;

use std::process::Command;

use leap::scenario::load::{MAX_FILE_BYTES, parse_bytes};
use leap::scenario::{Corpus, Severity};

struct Expected {
    severity: Severity,
    code: String,
    line: usize,
    column: usize,
}

/// Reads the `// expect: error code line:col` lines at the top of a fixture.
fn expectations(source: &str) -> Vec<Expected> {
    source
        .lines()
        .filter_map(|l| l.strip_prefix("// expect: "))
        .map(|rest| {
            let parts: Vec<&str> = rest.split_whitespace().collect();
            let (line, column) = parts[2].split_once(':').expect("line:col");
            Expected {
                severity: if parts[0] == "error" { Severity::Error } else { Severity::Warning },
                code: parts[1].to_string(),
                line: line.parse().unwrap(),
                column: column.parse().unwrap(),
            }
        })
        .collect()
}

#[test]
fn every_error_fixture_reports_exactly_its_errors_at_the_right_place() {
    let dir = common::fixture("errors");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 16, "expected a fixture per error kind, found {}", files.len());
    for path in files {
        let mut corpus = Corpus::load(std::slice::from_ref(&path));
        leap::tools::tradeoffs::annotate_corpus(&mut corpus);
        let file = &corpus.files[0];
        let expected = expectations(&file.source);
        assert!(!expected.is_empty(), "{} has no `// expect:` lines", path.display());
        for e in &expected {
            let found = file
                .diagnostics
                .iter()
                .any(|d| d.severity == e.severity && d.code == e.code && d.line == e.line && d.column == e.column);
            assert!(
                found,
                "{}: expected {:?} {} at {}:{}, got:\n{}",
                path.display(),
                e.severity,
                e.code,
                e.line,
                e.column,
                file.diagnostics.iter().map(|d| d.short()).collect::<Vec<_>>().join("\n")
            );
        }
        let expected_errors = expected.iter().filter(|e| e.severity == Severity::Error).count();
        let errors: Vec<String> = file.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.short()).collect();
        assert_eq!(errors.len(), expected_errors, "{}: unexpected errors {errors:#?}", path.display());
    }
}

#[test]
fn the_small_fixture_is_clean() {
    let corpus = Corpus::load(&[common::fixture("valid/small.ron")]);
    assert_eq!(corpus.diagnostics().count(), 0, "{:?}", corpus.diagnostics().map(|d| d.short()).collect::<Vec<_>>());
    assert!(corpus.scenario("small").is_some());
}

#[test]
fn every_shipped_file_checks_clean() {
    let corpus = common::shipped();
    assert!(corpus.scenarios().count() >= 1, "no shipped scenarios");
    let problems: Vec<String> = corpus.diagnostics().map(|d| d.short()).collect();
    assert!(problems.is_empty(), "shipped files have problems:\n{}", problems.join("\n"));
}

#[test]
fn oversized_files_are_refused_with_a_diagnostic() {
    let big = format!("Scenario(summary: \"{}\")", "x".repeat(MAX_FILE_BYTES));
    let file = parse_bytes("big.ron", big.as_bytes());
    assert_eq!(file.diagnostics.len(), 1);
    assert_eq!(file.diagnostics[0].code, "too-large");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("Scenario(format: 1, beats: {}{})", "[".repeat(200_000), "]".repeat(200_000));
    let file = parse_bytes("deep.ron", deep.as_bytes());
    assert_eq!(file.first_error().map(|d| d.code), Some("too-deep"));
    let deep_conditions = format!(
        "Scenario(format: 1, id: \"d\", title: \"t\", summary: \"s\", start: \"a\", beats: [], endings: [(id: \"e\", title: \"t\", verdict: Weak, text: \"t\", when: {}Flag(\"x\"){})])",
        "Not(".repeat(5_000),
        ")".repeat(5_000)
    );
    let file = parse_bytes("deep2.ron", deep_conditions.as_bytes());
    assert_eq!(file.first_error().map(|d| d.code), Some("too-deep"));
}

#[test]
fn bytes_that_are_not_text_get_a_diagnostic() {
    let file = parse_bytes("bin.ron", b"Scenario(format: 1, id: \"\xff\xfe\")");
    assert_eq!(file.first_error().map(|d| (d.code, d.line, d.column)), Some(("not-utf8", 1, 26)));
}

#[test]
fn a_broken_file_does_not_stop_the_others() {
    let corpus = Corpus::load(&[common::fixture("errors/syntax.ron"), common::fixture("valid/small.ron")]);
    assert_eq!(corpus.files.len(), 2);
    assert!(corpus.files[0].has_errors());
    assert!(corpus.scenario("small").is_some());
}

#[test]
fn leap_check_prints_every_error_with_its_position_and_exits_1() {
    let output = Command::new(env!("CARGO_BIN_EXE_leap"))
        .args(["check", "--format", "short"])
        .arg(common::fixture("errors/many-errors.ron"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    for position in [
        "many-errors.ron:30:32: error[dangling-reference]",
        "many-errors.ron:59:29: error[unknown-lesson]",
        "many-errors.ron:63:34: error[bad-weight]",
    ] {
        assert!(text.contains(position), "missing {position} in:\n{text}");
    }
    assert!(text.contains("did you mean `second`?"), "{text}");
}

#[test]
fn leap_check_human_output_shows_the_snippet() {
    let output = Command::new(env!("CARGO_BIN_EXE_leap"))
        .arg("check")
        .arg(common::fixture("errors/dangling-reference.ron"))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("dangling-reference.ron:28:32"), "{text}");
    assert!(text.contains("next: Beat(\"secnd\")"), "{text}");
    assert!(text.contains("1 error"), "{text}");
}

#[test]
fn leap_check_json_lists_diagnostics_for_tools() {
    let output = Command::new(env!("CARGO_BIN_EXE_leap"))
        .args(["check", "--format", "json"])
        .arg(common::fixture("errors/unknown-field.ron"))
        .arg(common::fixture("valid/small.ron"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["errors"], 2);
    assert_eq!(json["files"].as_array().unwrap().len(), 2);
    let first = &json["diagnostics"][0];
    assert_eq!(first["code"], "unknown-field");
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(20), Some(13)));
    assert_eq!(first["help"], "did you mean `discuss`?");
}

#[test]
fn leap_check_on_clean_files_exits_0() {
    let output = Command::new(env!("CARGO_BIN_EXE_leap")).arg("check").arg(common::fixture("valid")).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn a_missing_path_is_reported() {
    let output = Command::new(env!("CARGO_BIN_EXE_leap")).args(["check", "no/such/place"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("no such file or folder"));
}
