//! Soak test (a benchmark, not a test): plays thousands of scenarios through the headless
//! game, choosing at random, and watches memory.
//!
//! ```sh
//! cargo run --release --example soak -- --runs 10000
//! ```
//!
//! The game is the real one minus the window and the renderer (`leap::game::headless_app`):
//! scenario assets, screens, saves, session logs and exports all run. Each run starts a
//! shipped scenario with its own seed, takes a random available choice at every beat and
//! proceeds until the debrief; every 50th run also replays from a random decision, and every
//! 100th plays the campaign's first stage. Memory (RSS) is read after a warm-up and at the
//! end; the run fails (exit 1) if it grew by 5% or more, or if anything panicked.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use clap::Parser;
use leap::game::{ActiveRun, DataDir, Intent, Library, Screen};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Debug, Parser)]
#[command(about = "Play many random runs through the headless game and watch memory")]
struct Args {
    /// Runs to play after the warm-up.
    #[arg(long, default_value_t = 10_000)]
    runs: u64,
    /// Runs played before the first memory reading.
    #[arg(long, default_value_t = 100)]
    warm_up: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Largest allowed growth of RSS from after the warm-up to the end, in percent.
    #[arg(long, default_value_t = 5.0)]
    max_growth: f64,
}

fn main() {
    let args = Args::parse();
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let data = std::env::temp_dir().join(format!("leap-soak-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let mut app = leap::game::headless_app(root.join("scenarios"), DataDir(data.clone()));
    let began = Instant::now();
    while !app.world().resource::<Library>().ready {
        assert!(began.elapsed() < Duration::from_secs(60), "the scenarios did not load within a minute");
        app.update();
        std::thread::sleep(Duration::from_millis(5));
    }
    let library = app.world().resource::<Library>();
    let shipped = leap::scenario::Corpus::load(&[root.join("scenarios")]);
    let ids: Vec<String> =
        shipped.scenarios().map(|s| s.id.clone()).filter(|id| library.scenario(id).is_some()).collect();
    assert!(!ids.is_empty(), "no playable scenarios in {}", root.join("scenarios").display());
    println!(
        "soak: {} scenarios, {} warm-up runs then {} runs; data in {}",
        ids.len(),
        args.warm_up,
        args.runs,
        data.display()
    );

    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let mut totals = Totals::default();
    let mut rss_start = 0;
    let mut measured_since = Instant::now();
    // A bar on a terminal only; piped, the periodic lines below are the progress.
    let progress = leap::cli::progress::Progress::start("soak: runs", Some(args.warm_up + args.runs));
    for run in 0..args.warm_up + args.runs {
        progress.counter.store(run, std::sync::atomic::Ordering::Relaxed);
        if run == args.warm_up {
            rss_start = rss_kib();
            totals = Totals::default();
            measured_since = Instant::now();
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| play_one(&mut app, &ids, run, &mut rng)));
        match outcome {
            Ok(Ok(decisions)) => {
                totals.runs += 1;
                totals.decisions += decisions;
            }
            Ok(Err(problem)) => {
                println!("run {run}: {problem}");
                totals.problems += 1;
            }
            Err(_) => {
                println!("run {run}: panicked");
                totals.panics += 1;
                break;
            }
        }
        if (run + 1) % 1000 == 0 {
            println!("  {} runs, RSS {} KiB", run + 1, rss_kib());
        }
    }
    drop(progress);
    let rss_end = rss_kib();
    let seconds = measured_since.elapsed().as_secs_f64();
    let growth = 100.0 * (rss_end as f64 - rss_start as f64) / rss_start.max(1) as f64;
    println!("| runs | decisions | time | runs/s | RSS after warm-up | RSS at end | growth | problems | panics |");
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {seconds:.1} s | {:.0} | {:.1} MiB | {:.1} MiB | {growth:+.2}% | {} | {} |",
        totals.runs,
        totals.decisions,
        totals.runs as f64 / seconds,
        rss_start as f64 / 1024.0,
        rss_end as f64 / 1024.0,
        totals.problems,
        totals.panics
    );
    let _ = std::fs::remove_dir_all(&data);
    let failed = totals.panics > 0 || totals.problems > 0 || growth >= args.max_growth;
    std::process::exit(i32::from(failed));
}

#[derive(Default)]
struct Totals {
    runs: u64,
    decisions: u64,
    problems: u64,
    panics: u64,
}

/// Plays one run to its debrief; returns the number of decisions made.
fn play_one(app: &mut App, ids: &[String], run: u64, rng: &mut ChaCha8Rng) -> Result<u64, String> {
    if run % 100 == 99 {
        send(app, Intent::StartCampaignOver);
    } else {
        let id = ids[rng.random_range(0..ids.len())].clone();
        send(app, Intent::StartScenario { id, seed: Some(run) });
    }
    let mut decisions = 0;
    let replay_at = (run % 50 == 49).then(|| rng.random_range(1..4u32));
    loop {
        match screen(app) {
            Screen::Play => {
                let run_now = app.world().resource::<ActiveRun>();
                let available: Vec<String> = run_now
                    .session
                    .visible_choices(&run_now.scenario)
                    .into_iter()
                    .filter(|v| v.available())
                    .map(|v| v.choice.id.clone())
                    .collect();
                if available.is_empty() {
                    return Err(format!("no available choice in `{}`", run_now.scenario.id));
                }
                let choice = available[rng.random_range(0..available.len())].clone();
                send(app, Intent::Choose(choice));
                decisions += 1;
                if screen(app) != Screen::Consequence {
                    return Err(format!("a choice led to {:?}, not the consequence screen", screen(app)));
                }
                if replay_at == Some(decisions as u32) {
                    send(app, Intent::ReplayFrom(rng.random_range(1..=decisions as u32)));
                    continue;
                }
                send(app, Intent::Proceed);
            }
            Screen::Debrief => {
                let session = &app.world().resource::<ActiveRun>().session;
                if !session.is_over() {
                    return Err("the debrief opened on a run that is not over".into());
                }
                send(app, Intent::Open(Screen::Title));
                return Ok(decisions);
            }
            other => return Err(format!("unexpected screen {other:?} after {decisions} decisions")),
        }
        if decisions > 2000 {
            return Err("more than 2000 decisions in one run".into());
        }
    }
}

/// Sends an intent and runs two frames: one for the intent, one for the screen it opens.
fn send(app: &mut App, intent: Intent) {
    app.world_mut().write_message(intent);
    app.update();
    app.update();
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

/// This process's resident set size, from /proc/self/status (0 where there is none).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:").and_then(|v| v.split_whitespace().next()?.parse().ok()))
        })
        .unwrap_or(0)
}
