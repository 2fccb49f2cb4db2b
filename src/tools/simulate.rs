//! Monte-Carlo playthroughs on the engine's fast path, spread over all cores.
//!
//! Run `i` uses chance seed `seed + i`, and its policy picks with its own generator seeded
//! from the same number. The report keeps, for each ending, the first run that reached it
//! (its seed and the choice numbers as `leap play --text` numbers them), so any run shown can
//! be replayed exactly. Runs are handed out in fixed blocks and `least-used` counts reset per
//! block, so the report is the same whatever the number of threads.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use crate::engine::playout::{Compiled, Dest, Offer, Playout};
use crate::scenario::{Meter, Scenario};

use super::policy::{PickRng, Picker, Policy};
use super::stats::{MeterSpans, MeterStat, Span, meter_stat};

/// Runs stop after this many decisions when no ending is reached (a loop a policy never leaves).
pub const DEFAULT_MAX_DECISIONS: u32 = crate::scenario::limits::MAX_DECISIONS;
/// Runs per block; `least-used` shares its counts within a block.
const BLOCK: u64 = 256;

#[derive(Debug, Clone)]
pub struct SimConfig {
    pub runs: u64,
    pub seed: u64,
    pub policy: Policy,
    pub max_decisions: u32,
    /// 0 means one per core.
    pub threads: usize,
    /// Counts the runs played so far, for a progress display while a long simulation runs.
    pub progress: Option<std::sync::Arc<AtomicU64>>,
}

impl SimConfig {
    pub fn new(runs: u64, seed: u64, policy: Policy) -> SimConfig {
        SimConfig { runs, seed, policy, max_decisions: DEFAULT_MAX_DECISIONS, threads: 0, progress: None }
    }
}

/// One run, enough to replay it: `leap play --text ID --seed SEED` with these choices typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// Its number in this simulation (0-based).
    pub run: u64,
    pub seed: u64,
    /// 1-based positions among the choices shown at each beat, as `leap play --text` numbers them.
    pub choices: Vec<u16>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndingStat {
    pub id: String,
    pub title: String,
    pub verdict: &'static str,
    pub runs: u64,
    /// Share of all runs, 0..=1.
    pub share: f64,
    /// The range of each final meter of the runs that ended here.
    pub meters: Option<MeterSpans>,
    pub example: Option<Example>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Visits {
    pub beat: String,
    pub choice: Option<String>,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SimReport {
    pub scenario: String,
    pub title: String,
    pub policy: String,
    pub runs: u64,
    /// Run i used seed `seed + i`.
    pub seed: u64,
    pub max_decisions: u32,
    pub endings: Vec<EndingStat>,
    /// Runs stopped at `max_decisions` without an ending.
    pub unfinished: u64,
    pub unfinished_example: Option<Example>,
    /// Final meters of finished runs.
    pub meters: Vec<MeterStat>,
    pub decisions: u64,
    pub average_length: f64,
    pub shortest: u32,
    pub longest: u32,
    /// Decisions made at each beat, in file order.
    pub beat_visits: Vec<Visits>,
    /// Times each choice was taken, in file order.
    pub choice_visits: Vec<Visits>,
}

impl SimReport {
    pub fn beats_never_visited(&self) -> impl Iterator<Item = &str> {
        self.beat_visits.iter().filter(|v| v.count == 0).map(|v| v.beat.as_str())
    }

    pub fn choices_never_taken(&self) -> impl Iterator<Item = &Visits> {
        self.choice_visits.iter().filter(|v| v.count == 0)
    }
}

/// Counts from some runs; tallies of different blocks merge in any order to the same total.
#[derive(Debug, Clone)]
struct Tally {
    endings: Vec<u64>,
    examples: Vec<Option<Example>>,
    ending_meters: Vec<[Span; 3]>,
    unfinished: u64,
    unfinished_example: Option<Example>,
    finals: [[u64; 101]; 3],
    decisions: u64,
    shortest: u32,
    longest: u32,
    beat_visits: Vec<u64>,
    choice_visits: Vec<u64>,
}

impl Tally {
    fn new(compiled: &Compiled) -> Tally {
        let endings = compiled.scenario.endings.len();
        Tally {
            endings: vec![0; endings],
            examples: vec![None; endings],
            ending_meters: vec![[Span::EMPTY; 3]; endings],
            unfinished: 0,
            unfinished_example: None,
            finals: [[0; 101]; 3],
            decisions: 0,
            shortest: u32::MAX,
            longest: 0,
            beat_visits: vec![0; compiled.beats.len()],
            choice_visits: vec![0; compiled.choices.len()],
        }
    }

    fn merge(&mut self, other: Tally) {
        fn earliest(mine: &mut Option<Example>, theirs: Option<Example>) {
            if let Some(theirs) = theirs
                && mine.as_ref().is_none_or(|m| theirs.run < m.run)
            {
                *mine = Some(theirs);
            }
        }
        for (e, example) in other.examples.into_iter().enumerate() {
            self.endings[e] += other.endings[e];
            earliest(&mut self.examples[e], example);
            for m in 0..3 {
                self.ending_meters[e][m].merge(other.ending_meters[e][m]);
            }
        }
        self.unfinished += other.unfinished;
        earliest(&mut self.unfinished_example, other.unfinished_example);
        for m in 0..3 {
            for v in 0..=100 {
                self.finals[m][v] += other.finals[m][v];
            }
        }
        self.decisions += other.decisions;
        self.shortest = self.shortest.min(other.shortest);
        self.longest = self.longest.max(other.longest);
        add_all(&mut self.beat_visits, &other.beat_visits);
        add_all(&mut self.choice_visits, &other.choice_visits);
    }
}

fn add_all(into: &mut [u64], from: &[u64]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}

/// Plays `config.runs` runs of `scenario`. Fails only on a scenario the checker rejects.
pub fn simulate(scenario: &Scenario, config: &SimConfig) -> Result<SimReport, String> {
    let compiled = Compiled::new(scenario)?;
    let tally = run_all(&compiled, config);
    Ok(report(&compiled, config, tally))
}

/// Only the number of runs reaching each ending (what `leap check` needs), in file order.
pub fn ending_counts(compiled: &Compiled, config: &SimConfig) -> Vec<u64> {
    run_all(compiled, config).endings
}

fn run_all(compiled: &Compiled, config: &SimConfig) -> Tally {
    let blocks = config.runs.div_ceil(BLOCK);
    let threads = match config.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(blocks.max(1) as usize);
    let next_block = AtomicU64::new(0);
    let work = || {
        let mut tally = Tally::new(compiled);
        let mut runner = Runner::new(compiled, config);
        loop {
            let block = next_block.fetch_add(1, Ordering::Relaxed);
            if block >= blocks {
                return tally;
            }
            let first = block * BLOCK;
            runner.picker = Picker::new(&config.policy, compiled);
            let last = (first + BLOCK).min(config.runs);
            for run in first..last {
                runner.play(run, &mut tally);
            }
            if let Some(progress) = &config.progress {
                progress.fetch_add(last - first, Ordering::Relaxed);
            }
        }
    };
    if threads <= 1 {
        return work();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        let mut total = Tally::new(compiled);
        for handle in handles {
            total.merge(handle.join().expect("a simulation thread panicked"));
        }
        total
    })
}

/// Plays runs one after another, reusing its buffers.
struct Runner<'c, 'a> {
    compiled: &'c Compiled<'a>,
    config: &'c SimConfig,
    picker: Picker<'c>,
    playout: Playout,
    offers: Vec<Offer>,
    path: Vec<u16>,
}

impl<'c, 'a> Runner<'c, 'a> {
    fn new(compiled: &'c Compiled<'a>, config: &'c SimConfig) -> Self {
        Runner {
            compiled,
            config,
            picker: Picker::new(&config.policy, compiled),
            playout: Playout::new(compiled, config.seed),
            offers: Vec::with_capacity(4),
            path: Vec::with_capacity(32),
        }
    }

    fn play(&mut self, run: u64, tally: &mut Tally) {
        let compiled = self.compiled;
        let seed = self.config.seed.wrapping_add(run);
        let mut rng = PickRng::new(seed);
        self.playout.restart(compiled, seed);
        self.path.clear();
        while !self.playout.is_over() && self.playout.decisions < self.config.max_decisions {
            self.playout.offers(compiled, &mut self.offers);
            if !self.offers.iter().any(|o| o.available) {
                break;
            }
            let picked = self.picker.pick(compiled, &self.offers, &mut rng);
            let choice = self.offers[picked].choice;
            tally.beat_visits[compiled.choices[choice].beat] += 1;
            tally.choice_visits[choice] += 1;
            self.path.push(picked as u16 + 1);
            self.playout.choose(compiled, choice);
        }
        let length = self.playout.decisions;
        tally.decisions += length as u64;
        tally.shortest = tally.shortest.min(length);
        tally.longest = tally.longest.max(length);
        let example = || Example { run, seed, choices: self.path.clone() };
        match self.playout.at {
            Dest::Ending(e) => {
                tally.endings[e] += 1;
                if tally.examples[e].is_none() {
                    tally.examples[e] = Some(example());
                }
                for (m, value) in self.playout.meters.as_array().into_iter().enumerate() {
                    tally.finals[m][value as usize] += 1;
                    tally.ending_meters[e][m].add(value);
                }
            }
            Dest::Beat(_) => {
                tally.unfinished += 1;
                if tally.unfinished_example.is_none() {
                    tally.unfinished_example = Some(example());
                }
            }
        }
    }
}

fn report(compiled: &Compiled, config: &SimConfig, tally: Tally) -> SimReport {
    let scenario = compiled.scenario;
    let runs = config.runs.max(1) as f64;
    let endings = scenario
        .endings
        .iter()
        .enumerate()
        .map(|(e, ending)| EndingStat {
            id: ending.id.clone(),
            title: ending.title.clone(),
            verdict: ending.verdict.label(),
            runs: tally.endings[e],
            share: tally.endings[e] as f64 / runs,
            meters: (tally.endings[e] > 0).then_some(MeterSpans(tally.ending_meters[e])),
            example: tally.examples[e].clone(),
        })
        .collect();
    let meters = Meter::ALL.iter().enumerate().map(|(m, meter)| meter_stat(*meter, &tally.finals[m])).collect();
    let beat_visits = scenario
        .beats
        .iter()
        .zip(&tally.beat_visits)
        .map(|(b, n)| Visits { beat: b.id.clone(), choice: None, count: *n })
        .collect();
    let choice_visits = compiled
        .choices
        .iter()
        .zip(&tally.choice_visits)
        .map(|(c, n)| Visits { beat: scenario.beats[c.beat].id.clone(), choice: Some(c.choice.id.clone()), count: *n })
        .collect();
    SimReport {
        scenario: scenario.id.clone(),
        title: scenario.title.clone(),
        policy: config.policy.name(),
        runs: config.runs,
        seed: config.seed,
        max_decisions: config.max_decisions,
        endings,
        unfinished: tally.unfinished,
        unfinished_example: tally.unfinished_example,
        meters,
        decisions: tally.decisions,
        average_length: tally.decisions as f64 / runs,
        shortest: if config.runs == 0 { 0 } else { tally.shortest },
        longest: tally.longest,
        beat_visits,
        choice_visits,
    }
}
