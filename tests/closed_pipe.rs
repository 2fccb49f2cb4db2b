//! A closed standard output is handled the same way by every command and format (quietly, exit
//! as if read to the end, no panic), and errors go to standard error (issue 17, item 13).

mod common;

use std::process::{Command, Stdio};

/// Runs `leap` with its standard output already closed at the other end (as `| head -0`
/// leaves it); returns the exit code and what it printed on standard error.
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_leap"))
        .arg("--scenarios")
        .arg(common::root().join("scenarios"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn every_command_ends_quietly_when_nobody_reads_its_output() {
    let scenario = "the-slipping-analyst";
    for args in [
        vec!["check"],
        vec!["check", "--format", "json"],
        vec!["simulate", scenario, "--runs", "20"],
        vec!["simulate", scenario, "--runs", "20", "--format", "json"],
        vec!["explore", scenario, "--max-states", "2000"],
        vec!["explore", scenario, "--max-states", "2000", "--format", "json"],
        vec!["lessons"],
        vec!["graph", scenario],
    ] {
        let (code, stderr) = with_closed_stdout(&args);
        // `explore` with a small cap exits 1 for "sampled"; what matters is not 2 (an error) or 101.
        assert!(matches!(code, Some(0) | Some(1)), "{args:?} exited {code:?}: {stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

#[test]
fn export_writes_every_file_even_when_nobody_reads_the_paths() {
    let dir = common::scratch_dir("closed-pipe-export");
    let log = dir.join("run.jsonl");
    let (code, output) = common::run_leap(
        &[
            "--scenarios",
            common::root().join("scenarios").to_str().unwrap(),
            "play",
            "--text",
            "the-slipping-analyst",
            "--seed",
            "3",
            "--record",
            log.to_str().unwrap(),
        ],
        &"1\n".repeat(30),
    );
    assert_eq!(code, Some(0), "{output}");
    let (code, stderr) = with_closed_stdout(&["export", log.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let written: Vec<String> = std::fs::read_dir(dir.join("exports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert_eq!(written.len(), leap::export::ExportFormat::ALL.len(), "{written:?}");
    // `leap report` too: the page is written, and nobody reading the path is no error.
    let page = dir.join("handout.html");
    let (code, stderr) = with_closed_stdout(&["report", log.to_str().unwrap(), "--out", page.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(std::fs::read_to_string(&page).unwrap().starts_with("<!DOCTYPE html>"));
}

#[test]
fn play_prints_its_errors_on_standard_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_leap"))
        .arg("--scenarios")
        .arg(common::root().join("scenarios"))
        .args(["play", "--text", "nope"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(stdout.trim().is_empty(), "an error on standard output: {stdout}");
    assert!(stderr.contains("leap: ") && stderr.contains("nope"), "{stderr}");
}
