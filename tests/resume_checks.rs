//! `leap play --text --resume` checks the log before it trusts it (issue 17, item 2): an `end`
//! line on an unfinished run, a header or a decision of another scenario, and a complete but
//! malformed last line are errors, and the log is left exactly as it was.

mod common;

use std::path::{Path, PathBuf};

fn scenarios(dir: &Path) -> PathBuf {
    // `small` and a copy of it under another id, so a mixed log names a real scenario.
    let folder = dir.join("scenarios");
    std::fs::create_dir_all(&folder).unwrap();
    let small = std::fs::read_to_string(common::fixture("valid/small.ron")).unwrap();
    std::fs::write(folder.join("small.ron"), &small).unwrap();
    std::fs::write(folder.join("other.ron"), small.replace("id: \"small\"", "id: \"other\"")).unwrap();
    folder
}

/// Records `small` with seed 7 and the choices typed (1 = blame, 2 = own), stopping there.
fn record(dir: &Path, name: &str, typed: &str) -> PathBuf {
    let log = dir.join(name);
    let folder = scenarios(dir);
    let args = ["--scenarios", folder.to_str().unwrap(), "play", "--text", "small", "--seed", "7"];
    let (code, output) = common::run_leap(&[&args[..], &["--record", log.to_str().unwrap()]].concat(), typed);
    assert_eq!(code, Some(0), "{output}");
    log
}

fn resume(dir: &Path, log: &Path, typed: &str) -> (Option<i32>, String) {
    let folder = dir.join("scenarios");
    common::run_leap(
        &["--scenarios", folder.to_str().unwrap(), "play", "--text", "--resume", log.to_str().unwrap()],
        typed,
    )
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    std::fs::OpenOptions::new().append(true).open(path).unwrap().write_all(text.as_bytes()).unwrap();
}

/// Resuming fails with a message containing `expected`, and the log is byte for byte the same.
fn refused(dir: &Path, log: &Path, expected: &str) {
    let before = std::fs::read(log).unwrap();
    let (code, output) = resume(dir, log, "1\n1\n1\n");
    assert_eq!(code, Some(1), "{output}");
    assert!(output.contains(expected), "expected `{expected}` in:\n{output}");
    assert!(!output.contains("Resuming at"), "{output}");
    assert_eq!(std::fs::read(log).unwrap(), before, "the log was changed");
}

#[test]
fn an_end_line_on_an_unfinished_run_is_refused() {
    let dir = common::scratch_dir("resume-end");
    let log = record(&dir, "run.jsonl", "2\n");
    append(&log, "{\"kind\":\"end\",\"scenario\":\"small\",\"ending\":\"weak\",\"verdict\":\"Weak\",\"at\":\"x\"}\n");
    refused(&dir, &log, "says `small` ended with `weak`, but its decisions do not get there");
}

#[test]
fn a_header_naming_another_scenario_is_refused() {
    let dir = common::scratch_dir("resume-header");
    let log = record(&dir, "run.jsonl", "2\n");
    let text = std::fs::read_to_string(&log).unwrap().replacen("\"scenario\":\"small\"", "\"scenario\":\"other\"", 1);
    std::fs::write(&log, text).unwrap();
    refused(&dir, &log, "records the scenario `other`, but decision 1 is of `small`");
}

#[test]
fn a_decision_of_another_scenario_is_refused() {
    let dir = common::scratch_dir("resume-foreign");
    let log = record(&dir, "run.jsonl", "2\n");
    let lines: Vec<String> = std::fs::read_to_string(&log).unwrap().lines().map(String::from).collect();
    let foreign =
        lines[1].replace("\"number\":1", "\"number\":2").replace("\"scenario\":\"small\"", "\"scenario\":\"other\"");
    append(&log, &format!("{foreign}\n"));
    refused(&dir, &log, "records the scenario `small`, but decision 2 is of `other`");
}

#[test]
fn a_complete_malformed_last_line_is_an_error_not_crash_damage() {
    let dir = common::scratch_dir("resume-malformed");
    let log = record(&dir, "run.jsonl", "2\n");
    append(&log, "{\"kind\":\"decision\",\"number\":2}\n");
    refused(&dir, &log, "line 3: the last line is complete");

    // Without its newline, the same bytes are what a crash leaves: left out and cut off.
    let log = record(&dir, "cut.jsonl", "2\n");
    append(&log, "{\"kind\":\"decision\",\"numb");
    let (code, output) = resume(&dir, &log, "1\n");
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains("Resuming at decision 2") && output.contains("cut off"), "{output}");
    let recorded = leap::record::read_log(&log).unwrap();
    assert_eq!(recorded.decisions.len(), 2);
    assert_eq!(recorded.ends.len(), 1);
}
