//! Kills the real game (the headless app) with SIGKILL at random instants, many times, then
//! continues each run and checks that it reaches its debrief and that every session log reads
//! and exports (issue 17, item 1). A benchmark-style run that prints its counts:
//!
//! ```sh
//! cargo run --release --example crash_continue -- --kills 500 --seed 1
//! ```
//!
//! Each round starts from an empty data folder and kills up to `--kills-per-run` times in a row,
//! continuing after each (half the kills land at a random instant from start-up to past the end
//! of the run, half the moment one of the next lines reaches the session log), then lets the
//! last one finish. It reports how many kills landed between a
//! decision's log line and the save that follows it, and fails (exit 1) on any broken run.

#[path = "harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use clap::Parser;
use rand::{RngExt, SeedableRng};

#[derive(Debug, Parser)]
struct Args {
    /// Kills in all.
    #[arg(long, default_value_t = 200)]
    kills: u32,
    /// Kills of one run before it is let finish.
    #[arg(long, default_value_t = 3)]
    kills_per_run: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Internal: be the game process, playing in this data folder.
    #[arg(long, hide = true)]
    child: Option<PathBuf>,
}

fn scenarios() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn child(data: &Path, seed: u64) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("this program's path"));
    command.arg("--child").arg(data).arg("--seed").arg(seed.to_string());
    command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    command
}

fn main() {
    let args = Args::parse();
    if let Some(data) = &args.child {
        harness::play_in_child(data, &scenarios(), args.seed);
    }
    let scratch = std::env::temp_dir().join(format!("leap-crash-continue-{}", std::process::id()));
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(args.seed);

    // How long an unbroken run takes, so kills spread over all of it.
    let calibrate = scratch.join("calibrate");
    let began = Instant::now();
    harness::run_to_debrief(child(&calibrate, args.seed)).expect("an unbroken run reaches its debrief");
    let span = began.elapsed();
    harness::check_finished(&calibrate).expect("an unbroken run's log reads and exports");
    println!(
        "crash_continue: an unbroken run takes {} ms; killing within 0 to {} ms",
        span.as_millis(),
        span.as_millis() * 11 / 10
    );

    let (mut kills, mut between, mut too_late, mut rounds, mut broken) = (0u32, 0u32, 0u32, 0u32, Vec::new());
    let started = Instant::now();
    while kills < args.kills {
        rounds += 1;
        let data = scratch.join(format!("round-{rounds}"));
        for _ in 0..args.kills_per_run.min(args.kills - kills) {
            // Half the kills at a random instant, half the moment a line reaches the log
            // (header, a decision or the ending: where a crash leaves the save behind).
            let child = child(&data, args.seed + u64::from(rounds));
            let kill = if rng.random_bool(0.5) {
                harness::kill_after(child, &data, span.mul_f64(rng.random_range(0.0..1.1)))
            } else {
                harness::kill_after_log_write(child, &data, rng.random_range(1..=3))
            };
            kills += 1;
            between += u32::from(kill.at_kill.between_the_writes());
            too_late += u32::from(kill.too_late);
        }
        let finished = harness::run_to_debrief(child(&data, args.seed + u64::from(rounds)))
            .and_then(|()| harness::check_finished(&data));
        match finished {
            Ok(()) => {
                let _ = std::fs::remove_dir_all(&data);
            }
            Err(why) => {
                eprintln!("round {rounds} ({}): {why}", data.display());
                broken.push(rounds);
            }
        }
        if rounds % 20 == 0 {
            println!("  {kills} kills, {rounds} runs, {} broken", broken.len());
        }
    }
    println!(
        "crash_continue: {kills} kills in {rounds} runs ({} s): {between} landed between a decision's log line and \
         its save, {too_late} after the run had ended; {} runs broken",
        started.elapsed().as_secs(),
        broken.len()
    );
    if !broken.is_empty() {
        eprintln!("broken runs (data kept): {broken:?}");
        std::process::exit(1);
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
