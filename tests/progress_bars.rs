//! Long commands show a progress bar on a terminal and nothing extra when piped (issue 17,
//! item 16). The terminal is a pseudo-terminal made by `script` (util-linux).
#![cfg(unix)]

mod common;

use std::process::Command;

fn simulate_args() -> Vec<String> {
    let scenarios = common::root().join("scenarios").display().to_string();
    ["--scenarios", &scenarios, "simulate", "the-slipping-analyst", "--runs", "3000"].map(String::from).to_vec()
}

#[test]
fn simulate_and_explore_show_a_bar_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `script` (util-linux) is missing, so no terminal can be made for the bar");
        return;
    }
    let scenarios = common::root().join("scenarios").display().to_string();
    let leap = env!("CARGO_BIN_EXE_leap");
    for (command, label) in [
        (format!("{leap} {}", simulate_args().join(" ")), "simulating the-slipping-analyst: runs"),
        (
            format!("{leap} --scenarios {scenarios} explore the-slipping-analyst"),
            "exploring the-slipping-analyst: states",
        ),
    ] {
        let output = Command::new("script").args(["-qec", &command, "/dev/null"]).output().unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{command}: {text}");
        assert!(text.contains(label), "no progress bar on the terminal for `{command}`:\n{text}");
    }
}

#[test]
fn piped_output_has_no_bar() {
    let output = Command::new(env!("CARGO_BIN_EXE_leap")).args(simulate_args()).output().unwrap();
    assert!(output.status.success());
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(!stderr.contains("simulating") && !stdout.contains("simulating"), "a bar when piped: {stderr}");
    assert!(!stdout.contains('\r') && !stderr.contains('\r'), "terminal control in piped output");
    assert!(stdout.contains("3000 runs"), "{stdout}");
}
