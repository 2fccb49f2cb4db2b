//! Numbers and text the command line must not take at face value (issue 17, items 14 and 15):
//! no runs, seeds that would wrap round, a state limit of nothing, and a line of standard
//! input that is not UTF-8.

mod common;

use common::run_leap;

fn scenarios() -> String {
    common::root().join("scenarios").display().to_string()
}

#[test]
fn simulate_refuses_zero_runs() {
    let (code, output) =
        run_leap(&["--scenarios", &scenarios(), "simulate", "the-slipping-analyst", "--runs", "0"], "");
    assert_eq!(code, Some(2), "{output}");
    assert!(output.contains("--runs") && output.contains("0"), "{output}");
    assert!(!output.contains("seeds 1 to 1"), "{output}");
}

#[test]
fn simulate_refuses_seeds_that_would_wrap_round() {
    let max = u64::MAX.to_string();
    let args = ["--scenarios", &scenarios(), "simulate", "the-slipping-analyst", "--runs", "5", "--seed", &max];
    let (code, output) = run_leap(&args, "");
    assert_eq!(code, Some(2), "{output}");
    assert!(output.contains("use --seed 18446744073709551611 or lower"), "{output}");

    // The last seed that fits is reported as it is.
    let last = (u64::MAX - 4).to_string();
    let args = ["--scenarios", &scenarios(), "simulate", "the-slipping-analyst", "--runs", "5", "--seed", &last];
    let (code, output) = run_leap(&args, "");
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains(&format!("seeds {last} to {max}")), "{output}");
}

#[test]
fn explore_refuses_a_state_limit_of_zero() {
    let args = ["--scenarios", &scenarios(), "explore", "the-slipping-analyst", "--max-states", "0"];
    let (code, output) = run_leap(&args, "");
    assert_eq!(code, Some(2), "{output}");
    assert!(output.contains("--max-states") && !output.contains("more than 1 states"), "{output}");
}

#[test]
fn a_line_that_is_not_utf8_is_asked_again_not_the_end_of_the_game() {
    let scenario = common::fixture("valid/small.ron");
    let mut input = b"\xff\xfe\n".to_vec();
    input.extend_from_slice(b"2\n1\n");
    let output = {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut child = Command::new(env!("CARGO_BIN_EXE_leap"))
            .args(["play", "--text", scenario.to_str().unwrap(), "--seed", "7"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&input).unwrap();
        child.wait_with_output().unwrap()
    };
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("Type a number from 1 to 2."), "the bad line was not asked again: {text}");
    assert!(text.contains("=== Ending:"), "{text}");
}
