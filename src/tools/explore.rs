//! Exhaustive exploration of a scenario's states: which beats, choices and endings any way
//! of playing can reach, which of them only luck can reach, and the meters at each ending.
//!
//! A state is everything that decides what can happen next: the beat, the meters, the flags,
//! the lessons some condition reads, and the delayed effects still waiting (with the decisions
//! each still has to wait). Equal states are merged, so loops end and the search stays fast.
//! Every chance choice branches into each outcome with a positive weight.
//!
//! "Only by chance" means no way of playing can guarantee it: whatever the player does, some
//! outcome could still lead elsewhere. It is found by working back from the targets: a state
//! guarantees a target when it is the target, or when some choice there guarantees it under
//! every outcome (the usual attractor computation, iterated until nothing changes).
//!
//! When there are more than `max_states` states the search stops, says so, and falls back to
//! sampled playthroughs (least-used policy), which can miss rare paths.

use std::collections::HashMap;
use std::rc::Rc;

use serde::Serialize;

use crate::engine::playout::{Compiled, Dest, Offer, Playout};

use super::policy::Policy;
use super::simulate::{SimConfig, simulate};
use super::stats::{MeterSpans, Span};

pub const DEFAULT_MAX_STATES: usize = 2_000_000;
pub const DEFAULT_SAMPLE_RUNS: u64 = 100_000;
/// Passes of the "only by chance" analysis before it gives up (it converges in a few).
const MAX_PASSES: usize = 200;
const ENDING: u32 = 1 << 31;

#[derive(Debug, Clone)]
pub struct ExploreConfig {
    pub max_states: usize,
    pub sample_runs: u64,
    pub seed: u64,
    /// Holds the number of states found so far, for a progress display.
    pub progress: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
}

impl Default for ExploreConfig {
    fn default() -> Self {
        ExploreConfig { max_states: DEFAULT_MAX_STATES, sample_runs: DEFAULT_SAMPLE_RUNS, seed: 1, progress: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    /// Every state was visited.
    Exhaustive { states: usize },
    /// The state cap was reached after `states_seen`; the results come from `runs` sampled runs.
    Sampled { states_seen: usize, runs: u64 },
}

/// A beat (`choice` is None) or a choice, and whether it can be reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub beat: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<String>,
    pub reachable: bool,
    /// Reachable, but no way of playing guarantees it. None when not computed (sampling).
    pub only_by_chance: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndingReach {
    pub id: String,
    pub title: String,
    pub reachable: bool,
    pub only_by_chance: Option<bool>,
    /// The range of each meter on arriving at this ending.
    pub meters: Option<MeterSpans>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExploreReport {
    pub scenario: String,
    pub title: String,
    #[serde(flatten)]
    pub method: Method,
    pub beats: Vec<Item>,
    pub choices: Vec<Item>,
    pub endings: Vec<EndingReach>,
}

impl ExploreReport {
    pub fn is_exhaustive(&self) -> bool {
        matches!(self.method, Method::Exhaustive { .. })
    }
}

pub fn explore(scenario: &crate::scenario::Scenario, config: &ExploreConfig) -> Result<ExploreReport, String> {
    let compiled = Compiled::new(scenario)?;
    match StateGraph::build(&compiled, config.max_states, config.progress.as_deref()) {
        Ok(graph) => Ok(graph.report(&compiled)),
        Err(states_seen) => sampled(&compiled, config, states_seen),
    }
}

/// An edge: the choice taken, and where it (with one outcome) led.
#[derive(Debug, Clone, Copy)]
struct Edge {
    choice: u32,
    /// A state index, or `ENDING | ending index`.
    dest: u32,
}

struct StateGraph {
    /// The beat of each state (states are numbered in the order found, start first).
    beat_of: Vec<u32>,
    /// Edges of state s are `edges[offsets[s]..offsets[s + 1]]`, one choice's outcomes together.
    offsets: Vec<u32>,
    edges: Vec<Edge>,
    beat_reached: Vec<bool>,
    choice_reached: Vec<bool>,
    ending_meters: Vec<Option<[Span; 3]>>,
}

impl StateGraph {
    /// Visits every state breadth first; `Err(states seen)` when there are more than `max_states`.
    fn build(
        compiled: &Compiled,
        max_states: usize,
        progress: Option<&std::sync::atomic::AtomicU64>,
    ) -> Result<StateGraph, usize> {
        let mut graph = StateGraph {
            beat_of: Vec::new(),
            offsets: Vec::new(),
            edges: Vec::new(),
            beat_reached: vec![false; compiled.beats.len()],
            choice_reached: vec![false; compiled.choices.len()],
            ending_meters: vec![None; compiled.scenario.endings.len()],
        };
        let mut index: HashMap<Rc<[u32]>, u32> = HashMap::new();
        let mut keys: Vec<Rc<[u32]>> = Vec::new();
        let mut buffer = Vec::new();
        let start = Playout::new(compiled, 0);
        start.key(compiled, &mut buffer);
        let first: Rc<[u32]> = buffer.as_slice().into();
        index.insert(first.clone(), 0);
        keys.push(first);

        let (mut here, mut next) = (start.clone(), start);
        let mut offers: Vec<Offer> = Vec::new();
        let mut outcomes: Vec<Option<usize>> = Vec::new();
        let mut at = 0;
        while at < keys.len() {
            graph.offsets.push(graph.edges.len() as u32);
            let current = keys[at].clone();
            at += 1;
            Playout::from_key(compiled, &current, &mut here);
            let Dest::Beat(beat) = here.at else { unreachable!("ending states are never stored") };
            graph.beat_of.push(beat as u32);
            graph.beat_reached[beat] = true;
            here.offers(compiled, &mut offers);
            for offer in offers.iter().filter(|o| o.available) {
                graph.choice_reached[offer.choice] = true;
                outcomes.clear();
                let weights = &compiled.choices[offer.choice].weights;
                outcomes.extend(weights.iter().enumerate().filter(|(_, w)| **w > 0).map(|(o, _)| Some(o)));
                if outcomes.is_empty() {
                    outcomes.push(None);
                }
                for &outcome in &outcomes {
                    Playout::from_key(compiled, &current, &mut next);
                    let dest = match next.choose_outcome(compiled, offer.choice, outcome) {
                        Dest::Ending(e) => {
                            let spans = graph.ending_meters[e].get_or_insert([Span { min: 100, max: 0 }; 3]);
                            for (span, value) in spans.iter_mut().zip(next.meters.as_array()) {
                                span.add(value);
                            }
                            ENDING | e as u32
                        }
                        Dest::Beat(_) => {
                            next.key(compiled, &mut buffer);
                            match index.get(buffer.as_slice()) {
                                Some(&known) => known,
                                None => {
                                    if keys.len() >= max_states {
                                        return Err(keys.len());
                                    }
                                    let key: Rc<[u32]> = buffer.as_slice().into();
                                    let new = keys.len() as u32;
                                    if let Some(progress) = progress.filter(|_| new.is_multiple_of(4096)) {
                                        progress.store(u64::from(new), std::sync::atomic::Ordering::Relaxed);
                                    }
                                    index.insert(key.clone(), new);
                                    keys.push(key);
                                    new
                                }
                            }
                        }
                    };
                    graph.edges.push(Edge { choice: offer.choice as u32, dest });
                }
            }
        }
        graph.offsets.push(graph.edges.len() as u32);
        Ok(graph)
    }

    /// For the start state, the targets (beats, then choices, then endings) some way of playing
    /// guarantees; None if the analysis did not settle within `MAX_PASSES`.
    fn guaranteed_from_start(&self, compiled: &Compiled) -> Option<Vec<u64>> {
        let (beats, choices) = (compiled.beats.len(), compiled.choices.len());
        let targets = beats + choices + compiled.scenario.endings.len();
        let words = targets.div_ceil(64);
        let states = self.beat_of.len();
        let mut sure = vec![0u64; states * words];
        let (mut acc, mut both, mut one) = (vec![0u64; words], vec![0u64; words], vec![0u64; words]);
        let set = |bits: &mut [u64], i: usize| bits[i / 64] |= 1 << (i % 64);
        for _ in 0..MAX_PASSES {
            let mut changed = false;
            for s in (0..states).rev() {
                acc.copy_from_slice(&sure[s * words..(s + 1) * words]);
                set(&mut acc, self.beat_of[s] as usize);
                let edges = &self.edges[self.offsets[s] as usize..self.offsets[s + 1] as usize];
                for group in edges.chunk_by(|a, b| a.choice == b.choice) {
                    // What this choice guarantees: itself, plus what every outcome guarantees.
                    both.fill(u64::MAX);
                    for edge in group {
                        guaranteed_on_arrival(edge.dest, beats + choices, &sure, &mut one);
                        set(&mut one, beats + edge.choice as usize);
                        for (b, o) in both.iter_mut().zip(&one) {
                            *b &= o;
                        }
                    }
                    for (a, b) in acc.iter_mut().zip(&both) {
                        *a |= b;
                    }
                }
                let current = &mut sure[s * words..(s + 1) * words];
                if current != acc.as_slice() {
                    current.copy_from_slice(&acc);
                    changed = true;
                }
            }
            if !changed {
                return Some(sure[..words].to_vec());
            }
        }
        None
    }

    fn report(&self, compiled: &Compiled) -> ExploreReport {
        let sure = self.guaranteed_from_start(compiled);
        let (beats, choices) = (compiled.beats.len(), compiled.choices.len());
        let only_by_chance = |reachable: bool, target: usize| {
            sure.as_ref().map(|s| reachable && s[target / 64] & (1 << (target % 64)) == 0)
        };
        let scenario = compiled.scenario;
        ExploreReport {
            scenario: scenario.id.clone(),
            title: scenario.title.clone(),
            method: Method::Exhaustive { states: self.beat_of.len() },
            beats: scenario
                .beats
                .iter()
                .enumerate()
                .map(|(b, beat)| Item {
                    beat: beat.id.clone(),
                    choice: None,
                    reachable: self.beat_reached[b],
                    only_by_chance: only_by_chance(self.beat_reached[b], b),
                })
                .collect(),
            choices: compiled
                .choices
                .iter()
                .enumerate()
                .map(|(c, info)| Item {
                    beat: scenario.beats[info.beat].id.clone(),
                    choice: Some(info.choice.id.clone()),
                    reachable: self.choice_reached[c],
                    only_by_chance: only_by_chance(self.choice_reached[c], beats + c),
                })
                .collect(),
            endings: scenario
                .endings
                .iter()
                .enumerate()
                .map(|(e, ending)| EndingReach {
                    id: ending.id.clone(),
                    title: ending.title.clone(),
                    reachable: self.ending_meters[e].is_some(),
                    only_by_chance: only_by_chance(self.ending_meters[e].is_some(), beats + choices + e),
                    meters: self.ending_meters[e].map(MeterSpans),
                })
                .collect(),
        }
    }
}

/// The targets guaranteed on arriving at `dest`: that state's set, or just the ending.
fn guaranteed_on_arrival(dest: u32, first_ending: usize, sure: &[u64], out: &mut [u64]) {
    let words = out.len();
    if dest & ENDING != 0 {
        out.fill(0);
        let target = first_ending + (dest & !ENDING) as usize;
        out[target / 64] |= 1 << (target % 64);
    } else {
        let s = dest as usize;
        out.copy_from_slice(&sure[s * words..(s + 1) * words]);
    }
}

fn sampled(compiled: &Compiled, config: &ExploreConfig, states_seen: usize) -> Result<ExploreReport, String> {
    let scenario = compiled.scenario;
    let sim = simulate(scenario, &SimConfig::new(config.sample_runs, config.seed, Policy::LeastUsed))?;
    let item = |v: &super::simulate::Visits| Item {
        beat: v.beat.clone(),
        choice: v.choice.clone(),
        reachable: v.count > 0,
        only_by_chance: None,
    };
    Ok(ExploreReport {
        scenario: scenario.id.clone(),
        title: scenario.title.clone(),
        method: Method::Sampled { states_seen, runs: config.sample_runs },
        beats: sim.beat_visits.iter().map(item).collect(),
        choices: sim.choice_visits.iter().map(item).collect(),
        endings: sim
            .endings
            .iter()
            .map(|e| EndingReach {
                id: e.id.clone(),
                title: e.title.clone(),
                reachable: e.runs > 0,
                only_by_chance: None,
                meters: e.meters,
            })
            .collect(),
    })
}
