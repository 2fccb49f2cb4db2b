//! `leap play --text --record` and `--resume` as a real process: a run killed with SIGKILL
//! keeps every decision it made, and resuming it ends exactly as an unbroken run would.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use leap::engine::Session;
use leap::record::{RecordedSession, read_log};

const SEED: u64 = 5;
const SCENARIO: &str = "the-slipping-analyst";

fn leap(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leap"));
    let scenarios = common::root().join("scenarios");
    command.arg("--scenarios").arg(scenarios).args(args);
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

/// Runs to the end of `input`; returns the exit code and everything printed.
fn run(args: &[&str], input: &str) -> (Option<i32>, String) {
    let mut child = leap(args).spawn().unwrap();
    // A child that exits before reading all its input closes the pipe; that is its answer.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}

/// The numbers a player types to take the first open choice at every beat, to an ending.
fn first_open_choices() -> Vec<String> {
    let corpus = common::shipped();
    let scenario = corpus.scenario(SCENARIO).expect("the shipped scenario");
    let mut session = Session::new(scenario, SEED);
    let mut typed = Vec::new();
    while !session.is_over() {
        let views = session.visible_choices(scenario);
        let index = views.iter().position(|v| v.available()).expect("an open choice");
        let id = views[index].choice.id.clone();
        typed.push((index + 1).to_string());
        session.choose(scenario, &id).unwrap();
    }
    typed
}

/// Waits until the log at `path` holds `count` decisions.
fn wait_for_decisions(path: &Path, count: usize, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(recorded) = read_log(path)
            && recorded.decisions.len() >= count
        {
            assert_eq!(recorded.decisions.len(), count, "the run went past the choices it was given");
            return;
        }
        assert!(child.try_wait().unwrap().is_none(), "leap stopped before decision {count} was logged");
        assert!(Instant::now() < deadline, "decision {count} never reached the log");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The log with its timestamps and random id blanked: two separate processes differ in
/// those by nature (tests in-process pass the clock in instead).
fn without_times(mut recorded: RecordedSession) -> RecordedSession {
    recorded.header.started_at.clear();
    recorded.header.id = None;
    recorded.header.session.clear();
    recorded.decisions.iter_mut().for_each(|d| d.at.clear());
    recorded.ends.iter_mut().for_each(|e| e.at.clear());
    recorded
}

fn from_ending(output: &str) -> &str {
    &output[output.find("=== Ending:").unwrap_or_else(|| panic!("no ending in:\n{output}"))..]
}

#[cfg(unix)]
#[test]
fn a_killed_run_keeps_its_decisions_and_resumes_to_the_same_ending() {
    use std::os::unix::process::ExitStatusExt;

    let typed = first_open_choices();
    assert!(typed.len() >= 3, "the test needs a run of at least 3 decisions, got {typed:?}");
    let made = typed.len() / 2;
    let dir = common::scratch_dir("record-kill");
    let (broken, unbroken) = (dir.join("broken.jsonl"), dir.join("unbroken.jsonl"));
    let seed = SEED.to_string();

    let mut child = leap(&["play", "--text", SCENARIO, "--seed", &seed, "--record", path(&broken)]).spawn().unwrap();
    // Keep reading what it prints, so a full pipe can never block it.
    let mut stdout = child.stdout.take().unwrap();
    let drain = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let mut stdin = child.stdin.take().unwrap();
    for (i, number) in typed.iter().take(made).enumerate() {
        writeln!(stdin, "{number}").unwrap();
        stdin.flush().unwrap();
        wait_for_decisions(&broken, i + 1, &mut child);
    }
    // Mid-run, waiting at the next prompt: SIGKILL gives it no chance to tidy up.
    let killed = Command::new("kill").args(["-KILL", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "{status:?}");
    let printed = drain.join().unwrap();
    assert!(printed.contains("Your choice"), "{printed}");

    let recorded = read_log(&broken).unwrap();
    assert_eq!(recorded.decisions.len(), made, "every decision made before the kill is in the log");
    assert_eq!(recorded.damaged_tail, None);
    assert!(recorded.ends.is_empty());

    let rest: String = typed[made..].iter().map(|n| format!("{n}\n")).collect();
    let (code, resumed) = run(&["play", "--text", "--resume", path(&broken)], &rest);
    assert_eq!(code, Some(0), "{resumed}");
    assert!(resumed.contains(&format!("Resuming at decision {}", made + 1)), "{resumed}");

    let all: String = typed.iter().map(|n| format!("{n}\n")).collect();
    let (code, straight) = run(&["play", "--text", SCENARIO, "--seed", &seed, "--record", path(&unbroken)], &all);
    assert_eq!(code, Some(0), "{straight}");

    assert_eq!(from_ending(&resumed), from_ending(&straight), "the summaries differ");
    let (broken_log, unbroken_log) = (read_log(&broken).unwrap(), read_log(&unbroken).unwrap());
    assert_eq!(broken_log.decisions.len(), typed.len());
    assert_eq!(broken_log.ends.len(), 1);
    assert_eq!(without_times(broken_log), without_times(unbroken_log), "the logs differ");
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn record_refuses_an_existing_file_and_leaves_it_alone() {
    let log = common::scratch_dir("record-existing").join("taken.jsonl");
    std::fs::write(&log, "not mine\n").unwrap();
    let small = common::fixture("valid/small.ron");
    let (code, out) = run(&["play", "--text", path(&small), "--seed", "1", "--record", path(&log)], "1\n1\n");
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("already exists") && out.contains("never overwritten"), "{out}");
    assert!(!out.contains("Your choice"), "it must not start playing: {out}");
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "not mine\n");
}

#[test]
fn resume_refuses_empty_and_garbage_logs_and_leaves_them_alone() {
    let dir = common::scratch_dir("resume-bad");
    for (name, content) in [("empty.jsonl", ""), ("garbage.jsonl", "{not json\nat all\n")] {
        let log = dir.join(name);
        std::fs::write(&log, content).unwrap();
        let (code, out) = run(&["play", "--text", "--resume", path(&log)], "1\n");
        assert_eq!(code, Some(1), "{out}");
        assert!(out.contains(name), "the message names the file: {out}");
        assert_eq!(std::fs::read_to_string(&log).unwrap(), content);
    }
}

#[test]
fn a_recorded_run_of_a_scenario_file_resumes_and_ends_with_its_ending_logged_once() {
    let log = common::scratch_dir("record-file").join("small run.jsonl");
    let small = common::fixture("valid/small.ron");
    let (code, out) = run(&["play", "--text", path(&small), "--seed", "7", "--record", path(&log)], "2\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Resume with: leap play --text --resume"), "{out}");
    let recorded = read_log(&log).unwrap();
    assert_eq!(recorded.header.session, "small run", "named after the file");
    assert_eq!(recorded.decisions.len(), 1);

    let (code, out) = run(&["play", "--text", path(&small), "--resume", path(&log)], "3\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Resuming at decision 2"), "{out}");
    assert!(out.contains("Replay: leap play --text small --seed 7  (choices 2,3)"), "{out}");

    // Resuming a finished run plays nothing and writes nothing more.
    let (code, out) = run(&["play", "--text", path(&small), "--resume", path(&log)], "");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("already reached its ending"), "{out}");
    let recorded = read_log(&log).unwrap();
    assert_eq!((recorded.decisions.len(), recorded.ends.len()), (2, 1));

    let (code, out) = run(&["play", "--text", path(&small), "--seed", "8", "--resume", path(&log)], "");
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("recorded with seed 7"), "{out}");
}
