//! An in-process fuzzer for everything The Leap reads from disk: scenario and campaign files
//! (loading, checking, cross-file checks, `leap check`'s output, `leap lsp`'s document model),
//! session logs and saves.
//! It runs on stable Rust (cargo-fuzz needs nightly) and has no dependencies beyond the game's.
//!
//! ```sh
//! cargo run --release --example fuzz -- --inputs 1000000 --seed 1
//! cargo run --release --example fuzz -- --seed 1 --start 123456 --inputs 1   # one input again
//! ```
//!
//! Inputs are random bytes, byte edits and splices of the seed files (`scenarios/`,
//! `tests/fixtures/`, `docs/template.ron`, earlier findings in `tests/fixtures/fuzz/`, and
//! logs and saves made by playing), token edits (huge, negative and odd numbers, other ids,
//! wrong brackets, deep nesting, long and odd texts), values swapped between files, list
//! items repeated past the limits, and scenarios generated from scratch. Each input is a pure
//! function of the seed and its number. A finding is a panic, a failed property (see
//! `targets.rs`), an input slower than `--slow-ms`, or one that has more than `--alloc-mib`
//! allocated at once; each is saved under `--out` with a note on how to make it again, and
//! panics and failed properties are minimised. Exit status 1 when anything was found.

mod alloc;
mod findings;
mod inputs;
mod lexer;
mod mutate;
mod structured;
mod targets;

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;

use findings::{Findings, Problem};
use inputs::{Input, Seeds};
use targets::{Context, Kind};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

#[derive(Debug, Parser)]
#[command(about = "Fuzz the scenario loader and checker, the session log reader and the save reader")]
struct Args {
    /// How many inputs to run.
    #[arg(long, default_value_t = 100_000)]
    inputs: u64,
    /// The run's seed; the same seed makes the same inputs.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The number of the first input (to make one input again: `--start N --inputs 1`).
    #[arg(long, default_value_t = 0)]
    start: u64,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Where findings are saved.
    #[arg(long, default_value = "target/fuzz-findings")]
    out: PathBuf,
    /// An input taking longer than this is a finding.
    #[arg(long, default_value_t = 1000)]
    slow_ms: u64,
    /// An input with more than this allocated at once is a finding.
    #[arg(long, default_value_t = 256)]
    alloc_mib: usize,
    /// An input asking for more than this is stopped before it gets it, and the run ends.
    #[arg(long, default_value_t = 3072)]
    hard_mib: usize,
    /// An input still running after this long is a hang: it is saved and the run ends.
    #[arg(long, default_value_t = 60)]
    hang_s: u64,
    /// Print progress every this many seconds (0: never).
    #[arg(long, default_value_t = 10)]
    progress_s: u64,
    /// Run only the inputs for this reader (`scenario`, `log` or `save`); the others are
    /// skipped, so input numbers stay the same.
    #[arg(long)]
    only: Option<String>,
}

thread_local! {
    /// The last panic on this thread, with its location, set by the quiet panic hook.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Set while a target runs: only panics there are findings.
    static IN_TARGET: Cell<bool> = const { Cell::new(false) };
}

/// What each worker is doing, for the watchdog: the input number (+1; 0 when idle) and
/// when it started, in milliseconds since the run began.
struct Slot {
    input: AtomicU64,
    since_ms: AtomicU64,
}

struct Shared {
    args: Args,
    root: PathBuf,
    seeds: Seeds,
    next: AtomicU64,
    done: AtomicU64,
    began: Instant,
    slots: Vec<Slot>,
    findings: Mutex<Findings>,
    stats: Mutex<Stats>,
    stop: AtomicBool,
}

#[derive(Default)]
struct Stats {
    per_kind: [u64; 3],
    /// Inputs and milliseconds spent, per generator.
    per_how: std::collections::BTreeMap<(&'static str, &'static str), (u64, u128)>,
    slowest: (u128, u64),
    hungriest: (usize, u64),
    /// Inputs over `--slow-ms` once but not when run again: the machine was busy.
    slow_only_once: u64,
}

fn main() {
    let args = Args::parse();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        // A panic inside the standard library (an overflowing `sum`, say) is placed by the
        // first frame of the game's own code that led to it.
        let place = match location.split_once("/library/") {
            Some((_, inside_std)) => {
                let ours = first_frame_of_ours(&std::backtrace::Backtrace::force_capture().to_string());
                format!("{ours} (at {inside_std})")
            }
            None => location,
        };
        if !IN_TARGET.with(Cell::get) {
            // The fuzzer's own bug, not a finding: say so.
            eprintln!("fuzzer panicked at {place}: {message}");
        }
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(format!("{place}\n{message}")));
    }));
    alloc::set_hard_limit(args.hard_mib * 1024 * 1024);
    let threads = match args.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let scratch = std::env::temp_dir().join(format!("leap-fuzz-{}", std::process::id()));
    let shipped = leap::scenario::Corpus::load(&[root.join("scenarios")]);
    std::fs::create_dir_all(&scratch).expect("a scratch folder");
    let fixtures = root.join("tests/fixtures");
    let seeds = Seeds::load(&[&root.join("scenarios"), &fixtures, &root.join("docs/template.ron")], &shipped, &scratch);
    let (scenarios, logs, saves) = seeds.counts();
    println!(
        "fuzzing inputs {}..{} with seed {} on {threads} threads; seeds: {scenarios} scenario files, {logs} logs, \
         {saves} saves; findings go to {}",
        args.start,
        args.start + args.inputs,
        args.seed,
        args.out.display()
    );
    let shared = Arc::new(Shared {
        next: AtomicU64::new(args.start),
        done: AtomicU64::new(0),
        began: Instant::now(),
        slots: (0..threads).map(|_| Slot { input: AtomicU64::new(0), since_ms: AtomicU64::new(0) }).collect(),
        findings: Mutex::new(Findings::default()),
        stats: Mutex::new(Stats::default()),
        stop: AtomicBool::new(false),
        args,
        root,
        seeds,
    });
    let workers: Vec<_> = (0..threads)
        .map(|w| {
            let shared = Arc::clone(&shared);
            let scratch = scratch.join(format!("worker-{w}"));
            std::thread::spawn(move || work(&shared, w, scratch))
        })
        .collect();
    let watchdog = {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || watch(&shared))
    };
    for worker in workers {
        worker.join().expect("a worker thread");
    }
    shared.stop.store(true, Ordering::Relaxed);
    watchdog.join().expect("the watchdog");
    let _ = std::fs::remove_dir_all(&scratch);
    std::process::exit(summary(&shared));
}

/// `leap::scenario::check::expected_effects`, from a printed backtrace.
fn first_frame_of_ours(backtrace: &str) -> String {
    backtrace
        .lines()
        .filter_map(|line| line.trim().split_once(": ").map(|(_, symbol)| symbol.trim()))
        .find(|symbol| symbol.starts_with("leap::"))
        .map(|symbol| symbol.rsplit_once("::h").map_or(symbol, |(name, _)| name).to_string())
        .unwrap_or_else(|| "the standard library".into())
}

fn work(shared: &Shared, worker: usize, scratch: PathBuf) {
    let context = Context::new(&shared.root.join("scenarios"), scratch);
    alloc::become_worker(worker);
    let end = shared.args.start + shared.args.inputs;
    loop {
        let index = shared.next.fetch_add(1, Ordering::Relaxed);
        if index >= end {
            shared.slots[worker].input.store(0, Ordering::Relaxed);
            return;
        }
        let input = shared.seeds.generate(shared.args.seed, index);
        if shared.args.only.as_deref().is_some_and(|only| only != input.kind.name()) {
            continue;
        }
        let slot = &shared.slots[worker];
        slot.since_ms.store(shared.began.elapsed().as_millis() as u64, Ordering::Relaxed);
        slot.input.store(index + 1, Ordering::Relaxed);
        let baseline = alloc::live();
        alloc::reset_peak();
        let started = Instant::now();
        let outcome = run_one(&input, &context);
        let millis = started.elapsed().as_millis();
        let peak = alloc::peak_since_reset(baseline);
        slot.input.store(0, Ordering::Relaxed);
        {
            let mut stats = shared.stats.lock().expect("stats");
            stats.per_kind[Kind::ALL.iter().position(|k| *k == input.kind).unwrap_or(0)] += 1;
            stats.slowest = stats.slowest.max((millis, index));
            let spent = stats.per_how.entry((input.kind.name(), input.how)).or_default();
            *spent = (spent.0 + 1, spent.1 + started.elapsed().as_micros());
            stats.hungriest = stats.hungriest.max((peak, index));
        }
        let problem = match outcome {
            Some(problem) => Some(problem),
            None if millis > shared.args.slow_ms as u128 => slow_again(shared, &input, &context),
            None if peak > shared.args.alloc_mib * 1024 * 1024 => Some(Problem::Memory { bytes: peak }),
            None => None,
        };
        if let Some(problem) = problem {
            record(shared, index, input, problem, Some(&context));
        }
        shared.done.fetch_add(1, Ordering::Relaxed);
    }
}

/// Runs one input; a panic or a failed property is the problem returned.
fn run_one(input: &Input, context: &Context) -> Option<Problem> {
    LAST_PANIC.with(|last| last.borrow_mut().take());
    IN_TARGET.with(|inside| inside.set(true));
    let outcome = catch_unwind(AssertUnwindSafe(|| targets::run(input.kind, &input.files, context)));
    IN_TARGET.with(|inside| inside.set(false));
    match outcome {
        Ok(Ok(())) => None,
        Ok(Err(message)) => Some(Problem::Broken(message)),
        Err(_) => Some(Problem::Panic(LAST_PANIC.with(|last| last.borrow_mut().take()).unwrap_or_default())),
    }
}

/// Notes a finding; the first few of each kind are minimised (when cheap) and saved.
fn record(shared: &Shared, index: u64, input: Input, problem: Problem, context: Option<&Context>) {
    let signature = problem.signature(input.how);
    let fresh = shared.findings.lock().expect("findings").note(signature.clone(), index);
    println!("input {index} ({}, {}): {}", input.kind.name(), input.how, problem.describe());
    if !fresh {
        return;
    }
    let mut files = input.files.clone();
    let minimisable = matches!(problem, Problem::Panic(_) | Problem::Broken(_)) && files.len() == 1;
    if let (true, Some(context)) = (minimisable, context) {
        let name = files[0].0.clone();
        let same = |bytes: &[u8]| {
            let candidate = Input { kind: input.kind, files: vec![(name.clone(), bytes.to_vec())], how: input.how };
            run_one(&candidate, context).is_some_and(|p| p.signature(input.how) == signature)
        };
        let before = files[0].1.len();
        files[0].1 = findings::minimise(std::mem::take(&mut files[0].1), Duration::from_secs(30), same);
        println!("  minimised from {before} to {} bytes", files[0].1.len());
    }
    let args = &shared.args;
    let replay =
        format!("cargo run --release --example fuzz -- --seed {} --start {index} --inputs 1 --threads 1", args.seed);
    match findings::save(&args.out, index, input.kind, &files, &problem, input.how, &replay) {
        Ok(folder) => {
            println!("  saved to {}", folder.display());
            shared.findings.lock().expect("findings").saved.push(folder);
        }
        Err(e) => println!("  could not save it: {e}"),
    }
}

/// Prints progress, and ends the run when a worker is stuck or past the hard memory limit:
/// its input is made again from its number and saved first.
fn watch(shared: &Shared) {
    let mut last_report = Instant::now();
    // A bar on a terminal only; piped, the --progress-s lines are the progress.
    let progress = leap::cli::progress::Progress::start("fuzz: inputs", Some(shared.args.inputs));
    while !shared.stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        progress.counter.store(shared.done.load(Ordering::Relaxed), Ordering::Relaxed);
        let now_ms = shared.began.elapsed().as_millis() as u64;
        let mut stuck = alloc::runaway_seen().map(|(worker, bytes)| {
            let why = format!("asked for {} MiB, past --hard-mib", bytes / (1024 * 1024));
            (worker, why)
        });
        for (worker, slot) in shared.slots.iter().enumerate() {
            let input = slot.input.load(Ordering::Relaxed);
            let since = slot.since_ms.load(Ordering::Relaxed);
            if stuck.is_none() && input > 0 && now_ms.saturating_sub(since) > shared.args.hang_s * 1000 {
                stuck = Some((worker, format!("still running after {} s, past --hang-s", shared.args.hang_s)));
            }
        }
        if let Some((worker, why)) = stuck {
            let index = shared.slots[worker].input.load(Ordering::Relaxed).saturating_sub(1);
            let input = shared.seeds.generate(shared.args.seed, index);
            record(shared, index, input, Problem::Runaway(why), None);
            summary(shared);
            std::process::exit(1);
        }
        let every = shared.args.progress_s;
        if every > 0 && last_report.elapsed() >= Duration::from_secs(every) {
            last_report = Instant::now();
            let done = shared.done.load(Ordering::Relaxed);
            let seconds = shared.began.elapsed().as_secs_f64();
            let found = shared.findings.lock().expect("findings").count();
            println!("{done} inputs in {seconds:.0} s ({:.0}/s), {found} findings", done as f64 / seconds);
        }
    }
}

/// Runs a slow input a second time: slow twice is a finding; slow once was a busy machine.
fn slow_again(shared: &Shared, input: &Input, context: &Context) -> Option<Problem> {
    let started = Instant::now();
    let _ = run_one(input, context);
    let millis = started.elapsed().as_millis();
    if millis > shared.args.slow_ms as u128 {
        return Some(Problem::Slow { millis });
    }
    shared.stats.lock().expect("stats").slow_only_once += 1;
    None
}

/// Prints what the run did and found; returns the exit status.
fn summary(shared: &Shared) -> i32 {
    let done = shared.done.load(Ordering::Relaxed);
    let seconds = shared.began.elapsed().as_secs_f64();
    let stats = shared.stats.lock().expect("stats");
    let findings = shared.findings.lock().expect("findings");
    println!(
        "ran {done} inputs in {seconds:.1} s ({:.0}/s): {} scenario, {} log, {} save",
        done as f64 / seconds.max(1e-9),
        stats.per_kind[0],
        stats.per_kind[1],
        stats.per_kind[2]
    );
    println!(
        "slowest input: {} ms (input {}); most allocated at once: {:.1} MiB (input {})",
        stats.slowest.0,
        stats.slowest.1,
        stats.hungriest.0 as f64 / (1024.0 * 1024.0),
        stats.hungriest.1
    );
    if stats.slow_only_once > 0 {
        println!("{} inputs were slow once but not when run again (a busy machine)", stats.slow_only_once);
    }
    for ((kind, how), (inputs, micros)) in &stats.per_how {
        println!("  {kind} {how}: {inputs} inputs, {:.2} ms each", *micros as f64 / 1000.0 / *inputs as f64);
    }
    if findings.count() == 0 {
        println!("no findings");
        return 0;
    }
    let mut kinds: Vec<_> = findings.by_signature.iter().collect();
    kinds.sort_by_key(|(_, inputs)| std::cmp::Reverse(inputs.len()));
    println!("{} findings of {} kinds:", findings.count(), kinds.len());
    for (signature, inputs) in kinds {
        let first: Vec<String> = inputs.iter().take(5).map(u64::to_string).collect();
        println!("  {}x {} (inputs {})", inputs.len(), signature.replace('\n', " "), first.join(", "));
    }
    for folder in &findings.saved {
        println!("  saved: {}", folder.display());
    }
    1
}
