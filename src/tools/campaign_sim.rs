//! Monte-Carlo playthroughs of a whole campaign on the engine's fast path: every stage with
//! the meters, lessons met and applied, and campaign flags the earlier stages left, then the
//! review, as `CampaignRun` plays it. Run `i` uses seed `seed + i`; its stage `k` uses
//! `seed + i + k`, the seed `CampaignRun::start_stage` gives it.

use serde::Serialize;

use crate::engine::conditions::{Knows, holds};
use crate::engine::meters::Meters;
use crate::engine::playout::{Compiled, Dest, Offer, Playout, lesson_bit};
use crate::scenario::{Campaign, Meter, Scenario, Verdict};

use super::policy::{PickRng, Picker, Policy};
use super::simulate::DEFAULT_MAX_DECISIONS;

#[derive(Debug, Clone, Serialize)]
pub struct ReviewStat {
    pub id: String,
    pub title: String,
    pub verdict: &'static str,
    pub runs: u64,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageStat {
    pub scenario: String,
    /// Median of each meter (trust, strategic impact, team engagement) as the stage starts.
    pub median_at_start: [i32; 3],
    /// Share of runs ending the stage Strong, Mixed and Weak.
    pub verdicts: [f64; 3],
}

#[derive(Debug, Clone, Serialize)]
pub struct CampaignReport {
    pub campaign: String,
    pub title: String,
    pub policy: String,
    pub runs: u64,
    pub seed: u64,
    pub review: Vec<ReviewStat>,
    pub stages: Vec<StageStat>,
    /// Median of each meter at the review.
    pub median_at_review: [i32; 3],
    /// Median number of distinct lessons met, and applied, at the review.
    pub median_lessons_met: i32,
    pub median_lessons_applied: i32,
}

impl CampaignReport {
    /// Share of runs whose review has this verdict.
    pub fn review_share(&self, verdict: Verdict) -> f64 {
        self.review.iter().filter(|r| r.verdict == verdict.label()).map(|r| r.share).sum()
    }
}

/// What the review's conditions see at the end of a simulated campaign.
struct ReviewFacts {
    meters: Meters,
    lessons: u32,
    applied: u32,
}

impl Knows for ReviewFacts {
    fn meter(&self, meter: Meter) -> i32 {
        self.meters.get(meter)
    }
    fn flag(&self, _: &str) -> bool {
        false
    }
    fn lesson_met(&self, lesson: &str) -> bool {
        lesson_bit(lesson).is_some_and(|b| self.lessons & (1 << b) != 0)
    }
    fn lessons_met_count(&self) -> usize {
        self.lessons.count_ones() as usize
    }
    fn lesson_applied(&self, lesson: &str) -> bool {
        lesson_bit(lesson).is_some_and(|b| self.applied & (1 << b) != 0)
    }
    fn lessons_applied_count(&self) -> usize {
        self.applied.count_ones() as usize
    }
}

/// Counts kept by one thread; merged in any order to the same total.
struct Tally {
    review: Vec<u64>,
    /// [stage][meter][value]
    starts: Vec<[[u64; 101]; 3]>,
    finals: [[u64; 101]; 3],
    verdicts: Vec<[u64; 3]>,
    /// Histograms of distinct lessons met and applied at the review.
    lessons: [[u64; 101]; 2],
}

impl Tally {
    fn new(stages: usize, outcomes: usize) -> Tally {
        Tally {
            review: vec![0; outcomes],
            starts: vec![[[0; 101]; 3]; stages],
            finals: [[0; 101]; 3],
            verdicts: vec![[0; 3]; stages],
            lessons: [[0; 101]; 2],
        }
    }

    fn merge(&mut self, other: Tally) {
        for (a, b) in self.review.iter_mut().zip(other.review) {
            *a += b;
        }
        for (a, b) in self.starts.iter_mut().zip(other.starts) {
            for m in 0..3 {
                for v in 0..=100 {
                    a[m][v] += b[m][v];
                }
            }
        }
        for m in 0..3 {
            for v in 0..=100 {
                self.finals[m][v] += other.finals[m][v];
            }
        }
        for k in 0..2 {
            for v in 0..=100 {
                self.lessons[k][v] += other.lessons[k][v];
            }
        }
        for (a, b) in self.verdicts.iter_mut().zip(other.verdicts) {
            for v in 0..3 {
                a[v] += b[v];
            }
        }
    }
}

/// Plays `runs` campaigns with `policy`. `scenarios` must hold every scenario the campaign names.
pub fn simulate_campaign(
    campaign: &Campaign,
    scenarios: &[&Scenario],
    policy: &Policy,
    runs: u64,
    seed: u64,
) -> Result<CampaignReport, String> {
    let stages: Vec<Compiled> = campaign
        .scenarios
        .iter()
        .map(|id| {
            let scenario = scenarios
                .iter()
                .find(|s| &s.id == id)
                .ok_or_else(|| format!("the campaign names scenario `{id}`, which was not found"))?;
            Compiled::new(scenario).map_err(|why| format!("scenario `{id}`: {why}"))
        })
        .collect::<Result<_, String>>()?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8).min(runs.max(1) as usize);
    let per_thread = runs.div_ceil(threads as u64);
    let work = |from: u64| {
        let mut tally = Tally::new(stages.len(), campaign.review.len());
        for run in from..(from + per_thread).min(runs) {
            play_one(campaign, &stages, policy, seed.wrapping_add(run), &mut tally);
        }
        tally
    };
    let tally = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads as u64).map(|t| scope.spawn(move || work(t * per_thread))).collect();
        let mut total = Tally::new(stages.len(), campaign.review.len());
        for handle in handles {
            total.merge(handle.join().expect("a campaign simulation thread panicked"));
        }
        total
    });
    let share = |n: u64| n as f64 / runs.max(1) as f64;
    Ok(CampaignReport {
        campaign: campaign.id.clone(),
        title: campaign.title.clone(),
        policy: policy.name(),
        runs,
        seed,
        review: campaign
            .review
            .iter()
            .zip(&tally.review)
            .map(|(o, n)| ReviewStat {
                id: o.id.clone(),
                title: o.title.clone(),
                verdict: o.verdict.label(),
                runs: *n,
                share: share(*n),
            })
            .collect(),
        stages: stages
            .iter()
            .enumerate()
            .map(|(k, c)| StageStat {
                scenario: c.scenario.id.clone(),
                median_at_start: [0, 1, 2].map(|m| median(&tally.starts[k][m])),
                verdicts: tally.verdicts[k].map(share),
            })
            .collect(),
        median_at_review: [0, 1, 2].map(|m| median(&tally.finals[m])),
        median_lessons_met: median(&tally.lessons[0]),
        median_lessons_applied: median(&tally.lessons[1]),
    })
}

fn play_one(campaign: &Campaign, stages: &[Compiled], policy: &Policy, seed: u64, tally: &mut Tally) {
    let mut meters: Meters = campaign.start_meters.into();
    let (mut lessons, mut applied) = (0u32, 0u32);
    let mut flags: Vec<&str> = Vec::new();
    let mut offers: Vec<Offer> = Vec::with_capacity(4);
    for (k, compiled) in stages.iter().enumerate() {
        let stage_seed = seed.wrapping_add(k as u64);
        let mut playout = Playout::new(compiled, stage_seed);
        let start = if campaign.carry_meters { meters } else { compiled.scenario.start_meters.into() };
        playout.carry_in(compiled, start, lessons, applied, flags.iter().copied());
        for (m, value) in start.as_array().into_iter().enumerate() {
            tally.starts[k][m][value.clamp(0, 100) as usize] += 1;
        }
        let mut picker = Picker::new(policy, compiled);
        let mut rng = PickRng::new(stage_seed);
        while !playout.is_over() && playout.decisions < DEFAULT_MAX_DECISIONS {
            playout.offers(compiled, &mut offers);
            if !offers.iter().any(|o| o.available) {
                break;
            }
            let picked = picker.pick(compiled, &offers, &mut rng);
            playout.choose(compiled, offers[picked].choice);
        }
        if let Dest::Ending(e) = playout.at {
            let verdict = compiled.scenario.endings[e].verdict;
            tally.verdicts[k][2 - verdict.rank() as usize] += 1;
        }
        meters = playout.meters;
        lessons = playout.lessons;
        applied = playout.applied;
        for name in playout.flag_names(compiled) {
            if compiled.scenario.campaign_flags.iter().any(|f| f == name) && !flags.contains(&name) {
                flags.push(name);
            }
        }
    }
    for (m, value) in meters.as_array().into_iter().enumerate() {
        tally.finals[m][value.clamp(0, 100) as usize] += 1;
    }
    tally.lessons[0][lessons.count_ones() as usize] += 1;
    tally.lessons[1][applied.count_ones() as usize] += 1;
    let facts = ReviewFacts { meters, lessons, applied };
    if let Some(o) = campaign.review.iter().position(|o| o.when.as_ref().is_none_or(|w| holds(w, &facts))) {
        tally.review[o] += 1;
    }
}

/// The median of a histogram of values 0..=100 (the lower one of an even count).
fn median(histogram: &[u64; 101]) -> i32 {
    let total: u64 = histogram.iter().sum();
    let mut seen = 0;
    for (value, n) in histogram.iter().enumerate() {
        seen += n;
        if total > 0 && seen * 2 >= total {
            return value as i32;
        }
    }
    0
}
