//! The simulator's fast path through the same rules as [`Session`](super::Session).
//!
//! A `Session` keeps string ids and a full transcript because saves, the game and the
//! debrief need them; simulating millions of decisions cannot afford a string clone per
//! decision. So a [`Compiled`] scenario turns every id into an index once, and a
//! [`Playout`] holds only numbers: meters, flags and lessons met as bits, and the pending
//! delayed effects. The rules are shared, not copied: meters change only through
//! `Meters::apply`, conditions through `conditions::holds`, chance through
//! `chance::draw_weighted`, and the order of a decision is `decision::resolve`'s for both.
//! tests/playout.rs plays both side by side and requires the same state after every decision.

use std::collections::HashMap;
use std::ops::Range;

use crate::scenario::lessons::LESSONS;
use crate::scenario::{Choice, Condition, Locked, Meter, Next, Scenario, Stance};

use super::chance::draw_weighted;
use super::conditions::{Knows, holds};
use super::decision::{DecisionSteps, resolve};
use super::meters::Meters;

/// Where a decision leads, by index into the scenario's `beats` or `endings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dest {
    Beat(usize),
    Ending(usize),
}

#[derive(Debug)]
pub struct ChoiceInfo<'a> {
    pub choice: &'a Choice,
    /// Index of the beat it belongs to.
    pub beat: usize,
    /// Position in its beat's `choices` as written.
    pub position: usize,
    /// Its meter changes on average, now, by chance and later (see `Choice::expected_effects`).
    pub expected: [f64; 3],
    lesson: u32,
    /// `stance: Applies`: taking it counts as applying its lesson.
    applies: bool,
    sets: Vec<u32>,
    laters: Range<usize>,
    /// Outcome weights, as `draw_weighted` takes them; empty when the choice has no chance.
    pub weights: Vec<i32>,
    outcomes: Range<usize>,
    next: Dest,
}

#[derive(Debug)]
struct LaterInfo {
    /// Index of the choice that schedules it.
    choice: usize,
    after: u32,
    effects: crate::scenario::Effects,
    sets: Vec<u32>,
}

#[derive(Debug)]
struct OutcomeInfo {
    effects: crate::scenario::Effects,
    sets: Vec<u32>,
    next: Option<Dest>,
}

/// A scenario with every id resolved to an index, ready for fast play.
#[derive(Debug)]
pub struct Compiled<'a> {
    pub scenario: &'a Scenario,
    /// For each beat, the range of its choices in `choices`.
    pub beats: Vec<Range<usize>>,
    pub choices: Vec<ChoiceInfo<'a>>,
    laters: Vec<LaterInfo>,
    outcomes: Vec<OutcomeInfo>,
    /// Flag names, sorted; a flag's index is its bit.
    flags: Vec<&'a str>,
    /// Rule endings in file order: (ending index, condition).
    rule_endings: Vec<(usize, &'a Condition)>,
    pub start: usize,
    start_meters: Meters,
    /// Lessons that some condition reads; the others never change what can happen.
    pub lessons_read: u32,
}

impl<'a> Compiled<'a> {
    /// Resolves every reference; fails with a reason on a scenario the checker would reject.
    pub fn new(scenario: &'a Scenario) -> Result<Compiled<'a>, String> {
        let beats: HashMap<&str, usize> = scenario.beats.iter().enumerate().map(|(i, b)| (b.id.as_str(), i)).collect();
        let beat_index = |id: &str| beats.get(id).copied();
        let dest = |next: &Next| match next {
            Next::Beat(id) => beat_index(id).map(Dest::Beat).ok_or_else(|| format!("no beat `{id}`")),
            Next::Ending(id) => scenario
                .endings
                .iter()
                .position(|e| &e.id == id)
                .map(Dest::Ending)
                .ok_or_else(|| format!("no ending `{id}`")),
        };
        // Campaign flags get a bit too: an earlier scenario may have set them.
        let mut flags: Vec<&str> = scenario.campaign_flags.iter().map(String::as_str).collect();
        for choice in scenario.beats.iter().flat_map(|b| &b.choices) {
            flags.extend(choice.sets.iter().map(String::as_str));
            flags.extend(choice.outcomes.iter().flat_map(|o| o.sets.iter().map(String::as_str)));
            flags.extend(choice.later.iter().flat_map(|l| l.sets.iter().map(String::as_str)));
        }
        flags.sort_unstable();
        flags.dedup();
        let bits = |names: &[String]| -> Vec<u32> {
            names.iter().filter_map(|n| flags.binary_search(&n.as_str()).ok()).map(|i| i as u32).collect()
        };

        let mut compiled = Compiled {
            scenario,
            beats: Vec::with_capacity(scenario.beats.len()),
            choices: Vec::new(),
            laters: Vec::new(),
            outcomes: Vec::new(),
            flags: Vec::new(),
            rule_endings: Vec::new(),
            start: beat_index(&scenario.start).ok_or_else(|| format!("no start beat `{}`", scenario.start))?,
            start_meters: scenario.start_meters.into(),
            lessons_read: 0,
        };
        for (b, beat) in scenario.beats.iter().enumerate() {
            let first = compiled.choices.len();
            for (position, choice) in beat.choices.iter().enumerate() {
                let lesson = lesson_bit(&choice.lesson).ok_or_else(|| format!("no lesson `{}`", choice.lesson))?;
                let laters_start = compiled.laters.len();
                for later in &choice.later {
                    compiled.laters.push(LaterInfo {
                        choice: compiled.choices.len(),
                        after: later.after.max(1),
                        effects: later.effects,
                        sets: bits(&later.sets),
                    });
                }
                let outcomes_start = compiled.outcomes.len();
                for outcome in &choice.outcomes {
                    let next = outcome.next.as_ref().map(dest).transpose()?;
                    compiled.outcomes.push(OutcomeInfo { effects: outcome.effects, sets: bits(&outcome.sets), next });
                }
                compiled.choices.push(ChoiceInfo {
                    choice,
                    beat: b,
                    position,
                    expected: choice.expected_effects(),
                    lesson,
                    applies: choice.stance == Some(Stance::Applies),
                    sets: bits(&choice.sets),
                    laters: laters_start..compiled.laters.len(),
                    weights: choice.outcomes.iter().map(|o| o.weight).collect(),
                    outcomes: outcomes_start..compiled.outcomes.len(),
                    next: dest(&choice.next)?,
                });
                if let Some(requires) = &choice.requires {
                    compiled.lessons_read |= lessons_read_by(requires);
                }
            }
            compiled.beats.push(first..compiled.choices.len());
        }
        for (e, ending) in scenario.endings.iter().enumerate() {
            if let Some(when) = &ending.when {
                compiled.rule_endings.push((e, when));
                compiled.lessons_read |= lessons_read_by(when);
            }
        }
        compiled.flags = flags;
        Ok(compiled)
    }

    fn flag_words(&self) -> usize {
        self.flags.len().div_ceil(64)
    }
}

// Lessons met are kept as bits of a u32.
const _: () = assert!(LESSONS.len() <= 32);

/// A lesson's bit: its position in `LESSONS`.
pub fn lesson_bit(id: &str) -> Option<u32> {
    LESSONS.iter().position(|l| l.id == id).map(|i| i as u32)
}

fn lessons_read_by(condition: &Condition) -> u32 {
    match condition {
        Condition::All(list) | Condition::Any(list) => list.iter().map(lessons_read_by).fold(0, |a, b| a | b),
        Condition::Not(inner) => lessons_read_by(inner),
        Condition::LessonMet(id) | Condition::LessonApplied(id) => lesson_bit(id).map_or(0, |b| 1 << b),
        // A count reads every lesson.
        Condition::LessonsMetAtLeast(_) | Condition::LessonsAppliedAtLeast(_) => u32::MAX,
        Condition::MeterAtLeast(..) | Condition::MeterAtMost(..) | Condition::Flag(_) => 0,
    }
}

/// A choice as offered at the current beat: hidden locked choices are left out, so the
/// 1-based position of an offer is the number `leap play --text` accepts for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    /// Index into `Compiled::choices`.
    pub choice: usize,
    pub available: bool,
}

/// One run in progress, numbers only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Playout {
    pub meters: Meters,
    flags: Vec<u64>,
    /// Bit i set: `LESSONS[i]` met.
    pub lessons: u32,
    /// Bit i set: `LESSONS[i]` applied (met by a choice with `stance: Applies`).
    pub applied: u32,
    /// (decision number it lands with, index of the delayed effect), in the order scheduled.
    pending: Vec<(u32, u32)>,
    pub at: Dest,
    pub decisions: u32,
    pub seed: u64,
}

/// What conditions see during a playout.
struct View<'p, 'c> {
    playout: &'p Playout,
    compiled: &'p Compiled<'c>,
}

impl Knows for View<'_, '_> {
    fn meter(&self, meter: Meter) -> i32 {
        self.playout.meters.get(meter)
    }

    fn flag(&self, flag: &str) -> bool {
        self.compiled.flags.binary_search(&flag).is_ok_and(|i| self.playout.has_flag(i))
    }

    fn lesson_met(&self, lesson: &str) -> bool {
        lesson_bit(lesson).is_some_and(|b| self.playout.lessons & (1 << b) != 0)
    }

    fn lessons_met_count(&self) -> usize {
        self.playout.lessons.count_ones() as usize
    }

    fn lesson_applied(&self, lesson: &str) -> bool {
        lesson_bit(lesson).is_some_and(|b| self.playout.applied & (1 << b) != 0)
    }

    fn lessons_applied_count(&self) -> usize {
        self.playout.applied.count_ones() as usize
    }
}

impl Playout {
    pub fn new(compiled: &Compiled, seed: u64) -> Playout {
        Playout {
            meters: compiled.start_meters,
            flags: vec![0; compiled.flag_words()],
            lessons: 0,
            applied: 0,
            pending: Vec::new(),
            at: Dest::Beat(compiled.start),
            decisions: 0,
            seed,
        }
    }

    /// Starts where a campaign stage starts: carried meters and the lessons met before.
    pub fn at_stage(compiled: &Compiled, start: &super::campaign::StageStart) -> Playout {
        let bits = |lessons: &std::collections::BTreeSet<String>| {
            lessons.iter().filter_map(|l| lesson_bit(l)).fold(0, |bits, b| bits | 1 << b)
        };
        let mut playout = Playout::new(compiled, start.seed);
        let flags = start.flags.iter().map(String::as_str);
        playout.carry_in(compiled, start.meters, bits(&start.lessons_met), bits(&start.lessons_applied), flags);
        playout
    }

    /// The lessons met, by id (for comparing with a `Session`).
    pub fn lesson_ids(&self) -> Vec<&'static str> {
        LESSONS.iter().enumerate().filter(|(i, _)| self.lessons & (1 << i) != 0).map(|(_, l)| l.id).collect()
    }

    /// The delayed effects waiting, in the order scheduled: (decision they land with, the id of
    /// the choice that scheduled them). For comparing with a `Session`.
    pub fn pending_from<'c>(&self, compiled: &Compiled<'c>) -> Vec<(u32, &'c str)> {
        self.pending
            .iter()
            .map(|&(due, l)| (due, compiled.choices[compiled.laters[l as usize].choice].choice.id.as_str()))
            .collect()
    }

    /// The outcome `choose` would draw for `choice` now, if it has chance outcomes.
    pub fn draw(&self, compiled: &Compiled, choice: usize) -> Option<usize> {
        draw_weighted(self.seed, self.decisions + 1, &compiled.choices[choice].weights)
    }

    /// Starts again from the beginning, keeping the allocations.
    pub fn restart(&mut self, compiled: &Compiled, seed: u64) {
        self.meters = compiled.start_meters;
        self.flags.clear();
        self.flags.resize(compiled.flag_words(), 0);
        self.lessons = 0;
        self.applied = 0;
        self.pending.clear();
        self.at = Dest::Beat(compiled.start);
        self.decisions = 0;
        self.seed = seed;
    }

    pub fn is_over(&self) -> bool {
        matches!(self.at, Dest::Ending(_))
    }

    pub fn has_flag(&self, flag: usize) -> bool {
        self.flags[flag / 64] & (1 << (flag % 64)) != 0
    }

    /// Carries into a campaign stage what earlier stages left: meters, lessons met and
    /// applied (as bits), and flags by name (those this scenario does not know are ignored).
    pub fn carry_in<'f>(
        &mut self,
        compiled: &Compiled,
        meters: Meters,
        lessons: u32,
        applied: u32,
        flags: impl IntoIterator<Item = &'f str>,
    ) {
        self.meters = meters;
        self.lessons = lessons;
        self.applied = applied;
        for flag in flags {
            if let Ok(bit) = compiled.flags.binary_search(&flag) {
                self.set_flags(&[bit as u32]);
            }
        }
    }

    /// The flags set, by name (for comparing with a `Session`).
    pub fn flag_names<'c>(&self, compiled: &Compiled<'c>) -> Vec<&'c str> {
        (0..compiled.flags.len()).filter(|&i| self.has_flag(i)).map(|i| compiled.flags[i]).collect()
    }

    fn set_flags(&mut self, bits: &[u32]) {
        for &bit in bits {
            self.flags[bit as usize / 64] |= 1 << (bit % 64);
        }
    }

    /// Fills `out` with the choices the player sees now, as `Session::visible_choices` does.
    pub fn offers(&self, compiled: &Compiled, out: &mut Vec<Offer>) {
        out.clear();
        let Dest::Beat(beat) = self.at else { return };
        let view = View { playout: self, compiled };
        for (choice, info) in compiled.choices[compiled.beats[beat].clone()].iter().enumerate() {
            let choice = compiled.beats[beat].start + choice;
            let available = info.choice.requires.as_ref().is_none_or(|c| holds(c, &view));
            if available || matches!(info.choice.locked, Locked::Show(_)) {
                out.push(Offer { choice, available });
            }
        }
    }

    /// Takes an available choice, drawing its chance outcome from the seeded stream.
    pub fn choose(&mut self, compiled: &Compiled, choice: usize) -> Dest {
        let drawn = self.draw(compiled, choice);
        self.choose_outcome(compiled, choice, drawn)
    }

    /// Takes an available choice with the given outcome (the explorer tries each in turn).
    pub fn choose_outcome(&mut self, compiled: &Compiled, choice: usize, outcome: Option<usize>) -> Dest {
        let info = &compiled.choices[choice];
        debug_assert_eq!(self.at, Dest::Beat(info.beat), "a choice of another beat");
        self.decisions += 1;
        let number = self.decisions;
        let outcome = outcome.map(|o| &compiled.outcomes[info.outcomes.start + o]);
        let led_to = resolve(&mut PlayoutSteps { playout: self, compiled, info }, number, outcome);
        self.at = led_to;
        led_to
    }

    /// The whole state as numbers, for the explorer to tell states apart. The decision count
    /// is left out (delays are kept as decisions still to wait), so a loop that comes back to
    /// the same situation gives the same key. Lessons no condition reads are left out too.
    pub fn key(&self, compiled: &Compiled, out: &mut Vec<u32>) {
        out.clear();
        let at = match self.at {
            Dest::Beat(b) => b as u32,
            Dest::Ending(e) => u32::MAX - e as u32,
        };
        let [t, s, e] = self.meters.as_array().map(|v| v as u32);
        let read = compiled.lessons_read;
        out.extend([at, t | s << 8 | e << 16, self.lessons & read, self.applied & read]);
        for word in &self.flags {
            out.extend([*word as u32, (*word >> 32) as u32]);
        }
        for &(due, later) in &self.pending {
            out.extend([due - self.decisions, later]);
        }
    }

    /// Rebuilds a state from [`Playout::key`]; its decision count restarts at 0.
    pub fn from_key(compiled: &Compiled, key: &[u32], into: &mut Playout) {
        let at = key[0];
        into.at = if (at as usize) < compiled.beats.len() {
            Dest::Beat(at as usize)
        } else {
            Dest::Ending((u32::MAX - at) as usize)
        };
        let value = |shift: u32| ((key[1] >> shift) & 0xff) as i32;
        into.meters = Meters { trust: value(0), strategic_impact: value(8), team_engagement: value(16) };
        into.lessons = key[2];
        into.applied = key[3];
        let words = compiled.flag_words();
        into.flags.clear();
        into.flags.extend((0..words).map(|w| key[4 + 2 * w] as u64 | (key[5 + 2 * w] as u64) << 32));
        into.pending.clear();
        into.pending.extend(key[4 + 2 * words..].chunks_exact(2).map(|p| (p[0], p[1])));
        into.decisions = 0;
        into.seed = 0;
    }
}

/// One decision being resolved against a playout (see `decision::resolve` for the order).
struct PlayoutSteps<'p, 'c, 'a> {
    playout: &'p mut Playout,
    compiled: &'p Compiled<'a>,
    info: &'c ChoiceInfo<'a>,
}

impl<'p> DecisionSteps for PlayoutSteps<'_, 'p, '_> {
    type Outcome = &'p OutcomeInfo;
    type Dest = Dest;

    fn apply_choice_effects(&mut self) {
        self.playout.meters.apply(&self.info.choice.effects);
    }

    fn apply_outcome(&mut self, outcome: &'p OutcomeInfo) {
        self.playout.meters.apply(&outcome.effects);
        self.playout.set_flags(&outcome.sets);
    }

    fn set_choice_flags(&mut self) {
        self.playout.set_flags(&self.info.sets);
    }

    fn schedule_delayed(&mut self, number: u32) {
        for l in self.info.laters.clone() {
            self.playout.pending.push((number.saturating_add(self.compiled.laters[l].after), l as u32));
        }
    }

    fn land_due(&mut self, number: u32) {
        let Playout { pending, meters, flags, .. } = &mut *self.playout;
        let compiled = self.compiled;
        pending.retain(|&(due, l)| {
            if due > number {
                return true;
            }
            let later = &compiled.laters[l as usize];
            meters.apply(&later.effects);
            for &bit in &later.sets {
                flags[bit as usize / 64] |= 1 << (bit % 64);
            }
            false
        });
    }

    fn meet_lesson(&mut self) {
        self.playout.lessons |= 1 << self.info.lesson;
        if self.info.applies {
            self.playout.applied |= 1 << self.info.lesson;
        }
    }

    fn rule_ending(&self) -> Option<Dest> {
        let view = View { playout: self.playout, compiled: self.compiled };
        self.compiled.rule_endings.iter().find(|(_, when)| holds(when, &view)).map(|(e, _)| Dest::Ending(*e))
    }

    fn destination(&self, outcome: Option<&'p OutcomeInfo>) -> Dest {
        outcome.and_then(|o| o.next).unwrap_or(self.info.next)
    }

    fn is_ending(dest: &Dest) -> bool {
        matches!(dest, Dest::Ending(_))
    }

    fn drop_pending(&mut self) {
        self.playout.pending.clear();
    }
}
