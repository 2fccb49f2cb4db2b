//! The real game process (the headless app) killed with SIGKILL at many instants, from start-up
//! to the end of a run, then continued: the run must reach its debrief and every session log
//! must read and export (issue 17, item 1). `examples/crash_continue` runs this many more times
//! and counts the kills that landed between a decision's log line and its save.
#![cfg(all(feature = "game", unix))]

#[path = "../examples/crash_continue/harness.rs"]
mod harness;

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_DATA: &str = "LEAP_CRASH_TEST_DATA";

/// The game process: this test binary again, running only [`game_process`].
fn child(data: &Path) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(["game_process", "--exact", "--ignored", "--nocapture", "--test-threads=1"]);
    command.env(CHILD_DATA, data).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    command
}

/// Not a test: the game process the test below starts and kills (it only runs when asked to).
#[test]
#[ignore = "started by a_game_killed_at_any_instant_continues_and_its_logs_export"]
fn game_process() {
    let Some(data) = std::env::var_os(CHILD_DATA) else { return };
    harness::play_in_child(Path::new(&data), &common::root().join("scenarios"), 11);
}

#[test]
fn a_game_killed_at_any_instant_continues_and_its_logs_export() {
    let scratch = common::scratch_dir("crash-continue");
    let calibrate = scratch.join("calibrate");
    let began = Instant::now();
    harness::run_to_debrief(child(&calibrate)).unwrap();
    let span = began.elapsed();
    harness::check_finished(&calibrate).unwrap();

    // Eight instants spread from start-up to just past the end, two kills in a row each
    // (about a minute in a debug build; the example does hundreds).
    let (mut landed_between, mut after_the_end) = (0, 0);
    for step in 0..8u32 {
        let data = scratch.join(format!("kill-{step}"));
        for again in 0..2u32 {
            let fraction = (f64::from(step) + f64::from(again) * 0.5) / 7.0;
            let kill = harness::kill_after(child(&data), &data, span.mul_f64(fraction.min(1.1)));
            landed_between += usize::from(kill.at_kill.between_the_writes());
            after_the_end += usize::from(kill.too_late);
        }
        harness::run_to_debrief(child(&data)).unwrap_or_else(|why| panic!("kill {step}: {why}"));
        harness::check_finished(&data).unwrap_or_else(|why| panic!("kill {step} ({}): {why}", data.display()));
    }
    eprintln!(
        "crash test: 16 kills over a {} ms run, {landed_between} between a log line and its save, \
         {after_the_end} after the run had ended",
        span.as_millis()
    );
    assert!(span < Duration::from_secs(120));
}

#[test]
fn a_game_killed_just_after_each_log_write_continues_and_its_logs_export() {
    let scratch = common::scratch_dir("crash-after-write");
    // The header and 7 decisions: kill the moment each reaches the log, before the save.
    let mut landed_between = 0;
    for writes in [2usize, 3, 5, 8] {
        let data = scratch.join(format!("write-{writes}"));
        let kill = harness::kill_after_log_write(child(&data), &data, writes);
        assert!(!kill.too_late, "the run ended before log write {writes}");
        landed_between += usize::from(kill.at_kill.between_the_writes());
        // And again in the continued run, just after its next line.
        harness::kill_after_log_write(child(&data), &data, 1);
        harness::run_to_debrief(child(&data)).unwrap_or_else(|why| panic!("write {writes}: {why}"));
        harness::check_finished(&data).unwrap_or_else(|why| panic!("write {writes} ({}): {why}", data.display()));
    }
    eprintln!("crash test: {landed_between} of 4 kills just after a log write found the save behind the log");
}
