//! Warnings about whether a scenario teaches or merely rewards one obvious answer:
//! identical options, a meter nothing moves, the best option always in the same place or
//! always the longest, and endings random play almost never finds. All are warnings; see
//! docs/authoring.md ("Common errors and warnings") for what each means and how to fix it.

use super::balance::{campaign_balance, scenario_balance};
use super::policy::Policy;
use super::simulate::{SimConfig, ending_counts};
use crate::engine::playout::Compiled;
use crate::scenario::check::mark_intended;
use crate::scenario::diagnostic::{Annotate, Reporter};
use crate::scenario::format::{Beat, Choice, Effects, Meter, Next, Scenario};
use crate::scenario::limits::MAX_DEPTH;
use crate::scenario::locate::locate;
use crate::scenario::{Corpus, Document, LoadedFile};

/// Position and length bias is judged over beats with at least this many choices...
pub const BIAS_MIN_CHOICES: usize = 3;
/// ...and a single best option, when there are at least this many such beats...
pub const BIAS_MIN_BEATS: usize = 4;
/// ...and fires when the best option is first (or longest) in at least this share of them.
pub const BIAS_SHARE: f64 = 0.75;
/// `rare-ending` plays this many random runs, with seeds `RARE_SEED..RARE_SEED + RARE_RUNS`...
pub const RARE_RUNS: u64 = 2000;
pub const RARE_SEED: u64 = 0;
/// ...and warns about an ending reached in fewer than this share of them.
pub const RARE_SHARE: f64 = 0.01;

/// `leap check`'s balance warnings play this many runs per policy (`leap balance` plays more).
pub const BALANCE_CHECK_RUNS: u64 = 2000;
pub const BALANCE_CHECK_SEED: u64 = 1;
/// ...and only for scenarios with at least this many beats: a shorter one is a sketch.
pub const BALANCE_MIN_BEATS: usize = 4;

/// Adds the trade-off warnings to every scenario file of a corpus (what `leap check` shows),
/// and the balance warnings to each campaign whose scenarios all loaded cleanly.
pub fn annotate_corpus(corpus: &mut Corpus) {
    for file in &mut corpus.files {
        annotate_file(file);
        annotate_balance(file);
    }
    let scenarios: Vec<Scenario> = corpus.scenarios().cloned().collect();
    for file in &mut corpus.files {
        let Some(Document::Campaign(campaign)) = &file.document else { continue };
        let stages: Vec<&Scenario> = scenarios.iter().collect();
        let Ok(balance) = campaign_balance(campaign, &stages, BALANCE_CHECK_RUNS / 2, BALANCE_CHECK_SEED) else {
            continue;
        };
        let map = locate(&file.source, MAX_DEPTH);
        let mut r = Reporter::new(&file.path, &file.source, &map);
        for missed in &balance.missed {
            r.warning("balance-target", "id", format!("campaign balance: {missed}"))
                .help("`leap balance` shows the whole table; let applying lessons cost now and pay back later");
        }
        let added = r.diagnostics;
        file.diagnostics.extend(added);
        file.diagnostics.sort_by_key(|d| d.span.start);
    }
}

/// Adds the balance warnings to one clean scenario file. It plays thousands of runs per
/// policy, so only `leap check` (through [`annotate_corpus`]) asks for it, not every reader.
fn annotate_balance(file: &mut LoadedFile) {
    let Some(Document::Scenario(scenario)) = &file.document else { return };
    if file.has_errors() {
        return;
    }
    let map = locate(&file.source, MAX_DEPTH);
    let mut r = Reporter::new(&file.path, &file.source, &map);
    check_balance(scenario, &mut r);
    let added = r.diagnostics;
    file.diagnostics.extend(added);
    file.diagnostics.sort_by_key(|d| d.span.start);
}

/// Adds the trade-off warnings to one loaded file, in source order with its other problems.
pub fn annotate_file(file: &mut LoadedFile) {
    let Some(Document::Scenario(scenario)) = &file.document else { return };
    // A file read only in part holds stand-ins: its trade-offs would be guesses.
    if file.recovered() {
        return;
    }
    let map = locate(&file.source, MAX_DEPTH);
    let mut r = Reporter::new(&file.path, &file.source, &map);
    let has_errors = file.has_errors();
    check_tradeoffs(scenario, has_errors, &mut r);
    let added = r.diagnostics;
    file.diagnostics.extend(added);
    file.diagnostics.sort_by_key(|d| d.span.start);
}

fn check_tradeoffs(scenario: &Scenario, has_errors: bool, r: &mut Reporter) {
    for (b, beat) in scenario.beats.iter().enumerate() {
        check_identical(beat, b, r);
    }
    check_unmoved_meters(scenario, r);
    check_position_bias(scenario, r);
    if !has_errors {
        check_rare_endings(scenario, r);
    }
}

/// A warning for each balance target the scenario misses (see `leap balance`).
fn check_balance(scenario: &Scenario, r: &mut Reporter) {
    // Without any stance the by-the-book player is a random one: the per-choice
    // `missing-stance` warnings already say what to add.
    if scenario.beats.len() < BALANCE_MIN_BEATS
        || scenario.beats.iter().flat_map(|b| &b.choices).all(|c| c.stance.is_none())
    {
        return;
    }
    let Ok(balance) = scenario_balance(scenario, BALANCE_CHECK_RUNS, BALANCE_CHECK_SEED, 1) else { return };
    for missed in balance.missed.iter().filter(|m| !m.contains("no `stance`")) {
        r.warning("balance-target", "id", format!("balance: {missed}"))
            .help("`leap balance` shows the whole table; let applying the lesson cost something now and pay back later through delayed effects, flags and the conditions they unlock");
    }
}

/// Every meter change a choice can cause, in a form where "the same" means the same:
/// unlisted and zero effects are equal, and chance and delays are compared as written.
#[derive(PartialEq)]
struct Consequences {
    now: [i32; 3],
    /// (weight, changes) of each outcome.
    chance: Vec<(i32, [i32; 3])>,
    /// (after, changes) of each delayed effect.
    later: Vec<(u32, [i32; 3])>,
}

fn consequences(choice: &Choice) -> Consequences {
    let meters = |e: &Effects| Meter::ALL.map(|m| e.get(m));
    Consequences {
        now: meters(&choice.effects),
        chance: choice.outcomes.iter().map(|o| (o.weight, meters(&o.effects))).collect(),
        later: choice.later.iter().map(|l| (l.after, meters(&l.effects))).collect(),
    }
}

fn check_identical(beat: &Beat, b: usize, r: &mut Reporter) {
    let all: Vec<_> = beat.choices.iter().map(consequences).collect();
    for (later, choice) in beat.choices.iter().enumerate() {
        if let Some(earlier) = (0..later).find(|&e| all[e] == all[later]) {
            r.warning(
                "identical-choices",
                &format!("beats[{b}].choices[{later}].id"),
                format!(
                    "choices `{}` and `{choice}` change the meters in exactly the same way, so choosing between them is no trade-off",
                    beat.choices[earlier].id,
                    choice = choice.id
                ),
            )
            .help("give each option its own cost and benefit; players learn from the difference");
        }
    }
}

fn check_unmoved_meters(scenario: &Scenario, r: &mut Reporter) {
    let choices = || scenario.beats.iter().flat_map(|b| &b.choices);
    for meter in Meter::ALL {
        let moved = choices().any(|c| {
            c.effects.get(meter) != 0
                || c.outcomes.iter().any(|o| o.effects.get(meter) != 0)
                || c.later.iter().any(|l| l.effects.get(meter) != 0)
        });
        if !moved {
            let at = format!("start_meters.{}", meter.id());
            let at = if r.map.exact(&at).is_some() { at } else { "id".into() };
            r.warning(
                "unmoved-meter",
                &at,
                format!(
                    "no choice in this scenario moves {}, so the player can never change it",
                    meter.label().to_lowercase()
                ),
            )
            .help("give at least one choice an effect on it: every meter on screen should be part of some trade-off");
        }
    }
}

/// The index of the option with the best total expected change, if one beats all others.
fn best_by_total(beat: &Beat) -> Option<usize> {
    let totals: Vec<f64> = beat.choices.iter().map(|c| Choice::expected_effects(c).iter().sum()).collect();
    let best = totals.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut winners = totals.iter().enumerate().filter(|(_, t)| **t >= best - 1e-9);
    let (index, _) = winners.next()?;
    winners.next().is_none().then_some(index)
}

/// The index of the strictly longest option text, if there is one.
fn longest(beat: &Beat) -> Option<usize> {
    let lengths: Vec<usize> = beat.choices.iter().map(|c| c.text.chars().count()).collect();
    let max = *lengths.iter().max()?;
    (lengths.iter().filter(|l| **l == max).count() == 1).then(|| lengths.iter().position(|l| *l == max))?
}

fn check_position_bias(scenario: &Scenario, r: &mut Reporter) {
    let judged: Vec<(&Beat, usize)> = scenario
        .beats
        .iter()
        .filter(|b| b.choices.len() >= BIAS_MIN_CHOICES)
        .filter_map(|b| best_by_total(b).map(|best| (b, best)))
        .collect();
    if judged.len() < BIAS_MIN_BEATS {
        return;
    }
    let share = |n: usize| n as f64 / judged.len() as f64;
    let first = judged.iter().filter(|(_, best)| *best == 0).count();
    let longest = judged.iter().filter(|(beat, best)| longest(beat) == Some(*best)).count();
    if share(first) >= BIAS_SHARE {
        r.warning(
            "first-option-bias",
            "beats",
            format!(
                "in {first} of {} beats with {BIAS_MIN_CHOICES} or more choices, the option with the best total meter change is listed first: players can learn to pick by position",
                judged.len()
            ),
        )
        .help("change the order of choices so the strongest option is not always in the same place");
    }
    if share(longest) >= BIAS_SHARE {
        r.warning(
            "longest-option-bias",
            "beats",
            format!(
                "in {longest} of {} beats with {BIAS_MIN_CHOICES} or more choices, the option with the best total meter change is also the longest: players can learn to pick the longest answer",
                judged.len()
            ),
        )
        .help("vary the lengths: give some weaker options careful, detailed wording and keep some strong ones short");
    }
}

fn check_rare_endings(scenario: &Scenario, r: &mut Reporter) {
    let Ok(compiled) = Compiled::new(scenario) else { return };
    let mut config = SimConfig::new(RARE_RUNS, RARE_SEED, Policy::Random);
    config.threads = 1;
    let counts = ending_counts(&compiled, &config);
    let led_to: Vec<&str> = scenario
        .beats
        .iter()
        .flat_map(|b| &b.choices)
        .flat_map(|c| std::iter::once(&c.next).chain(c.outcomes.iter().filter_map(|o| o.next.as_ref())))
        .filter_map(|n| match n {
            Next::Ending(id) => Some(id.as_str()),
            Next::Beat(_) => None,
        })
        .collect();
    for (e, ending) in scenario.endings.iter().enumerate() {
        // An ending nothing leads to already has its own `unreachable` warning.
        let can_arrive = ending.when.is_some() || led_to.contains(&ending.id.as_str());
        if ending.rare_intended || !can_arrive || counts[e] as f64 >= RARE_SHARE * RARE_RUNS as f64 {
            continue;
        }
        let how_often = match counts[e] {
            0 => format!("never reaches ending `{}` in {RARE_RUNS} runs", ending.id),
            n => format!(
                "reaches ending `{}` in only {:.2}% of runs ({n} of {RARE_RUNS})",
                ending.id,
                100.0 * n as f64 / RARE_RUNS as f64
            ),
        };
        let (span, replacement) = mark_intended(r, &format!("endings[{e}]"), "rare_intended");
        r.warning("rare-ending", &format!("endings[{e}].id"), format!("random play {how_often}"))
            .help("if only unusual play should reach it, add `rare_intended: true` to the ending; otherwise open more paths to it (`leap simulate` and `leap explore` show how it is reached)")
            .fix("Add `rare_intended: true`", span, replacement);
    }
}
