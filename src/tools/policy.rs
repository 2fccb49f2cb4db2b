//! How a simulated player picks among the choices on offer.
//!
//! Policies pick with their own generator, separate from the engine's chance stream, so a run
//! is replayed from its seed and the choice numbers alone, whatever policy made them.

use crate::engine::playout::{Compiled, Offer};
use crate::scenario::{Meter, Stance};

/// A named persona: weights on (trust, strategic impact, team engagement).
pub struct Persona {
    pub name: &'static str,
    pub weights: [f64; 3],
    pub prefers: &'static str,
}

pub const PERSONAS: [Persona; 4] = [
    Persona { name: "people-pleaser", weights: [1.0, 0.0, 0.0], prefers: "trust" },
    Persona { name: "results-first", weights: [0.0, 1.0, 0.0], prefers: "strategic impact" },
    Persona { name: "team-first", weights: [0.0, 0.0, 1.0], prefers: "team engagement" },
    Persona { name: "balanced", weights: [1.0, 1.0, 1.0], prefers: "the sum of all three meters" },
];

#[derive(Debug, Clone, PartialEq)]
pub enum Policy {
    /// Any available choice, all equally likely.
    Random,
    /// The available choice taken least often so far (in this block of runs), as
    /// ChoiceScript's randomtest does, so rarely seen options get their turn.
    LeastUsed,
    /// The available choice whose expected meter changes score highest by these weights
    /// (trust, strategic impact, team engagement); ties are broken at random.
    Weighted { name: String, weights: [f64; 3] },
    /// An `Applies` choice when there is one (at random among several), else a `Partly`
    /// one, else any: the player who has learned the lessons.
    ByTheBook,
    /// The best sum of the choice's own immediate effects, ignoring chance and delays: the
    /// player who has learned "the best-looking numbers win".
    Myopic,
    /// The worst sum of the choice's own immediate effects: the player who has learned
    /// "the option that hurts now is the right one".
    Contrarian,
}

impl Policy {
    pub const NAMES: [&'static str; 9] = [
        "random",
        "least-used",
        "people-pleaser",
        "results-first",
        "team-first",
        "balanced",
        "by-the-book",
        "myopic",
        "contrarian",
    ];

    pub fn named(name: &str) -> Result<Policy, String> {
        match name {
            "random" => Ok(Policy::Random),
            "least-used" => Ok(Policy::LeastUsed),
            "by-the-book" => Ok(Policy::ByTheBook),
            "myopic" => Ok(Policy::Myopic),
            "contrarian" => Ok(Policy::Contrarian),
            _ => PERSONAS
                .iter()
                .find(|p| p.name == name)
                .map(|p| Policy::Weighted { name: p.name.into(), weights: p.weights })
                .ok_or_else(|| format!("no policy `{name}`; choose one of {}", Policy::NAMES.join(", "))),
        }
    }

    /// Parses custom weights such as `trust=1,impact=2,engagement=0`; meters left out weigh 0.
    pub fn from_weights(spec: &str) -> Result<Policy, String> {
        let mut weights = [0.0; 3];
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').ok_or_else(|| format!("`{part}` should look like `trust=1`"))?;
            let meter = meter_named(name.trim()).ok_or_else(|| {
                format!(
                    "no meter `{}`; use trust, impact (strategic_impact) or engagement (team_engagement)",
                    name.trim()
                )
            })?;
            let value: f64 = value.trim().parse().map_err(|_| format!("`{}` is not a number", value.trim()))?;
            if !value.is_finite() {
                return Err(format!("the weight for {} must be a finite number", meter.id()));
            }
            weights[Meter::ALL.iter().position(|m| *m == meter).expect("a meter")] = value;
        }
        Ok(Policy::Weighted { name: format!("weights {}", describe_weights(&weights)), weights })
    }

    pub fn name(&self) -> String {
        match self {
            Policy::Random => "random".into(),
            Policy::LeastUsed => "least-used".into(),
            Policy::Weighted { name, .. } => name.clone(),
            Policy::ByTheBook => "by-the-book".into(),
            Policy::Myopic => "myopic".into(),
            Policy::Contrarian => "contrarian".into(),
        }
    }
}

/// The sum of the three meter changes a choice makes at once (no chance, no delays).
pub fn immediate_sum(effects: &crate::scenario::Effects) -> i32 {
    Meter::ALL.iter().map(|m| effects.get(*m)).sum()
}

fn meter_named(name: &str) -> Option<Meter> {
    match name {
        "trust" => Some(Meter::Trust),
        "impact" | "strategic_impact" | "strategic-impact" => Some(Meter::StrategicImpact),
        "engagement" | "team_engagement" | "team-engagement" => Some(Meter::TeamEngagement),
        _ => None,
    }
}

fn describe_weights(weights: &[f64; 3]) -> String {
    format!("trust={},impact={},engagement={}", weights[0], weights[1], weights[2])
}

/// SplitMix64: tiny, fast and fully specified, so picks never change with a dependency.
#[derive(Debug, Clone)]
pub struct PickRng(u64);

impl PickRng {
    pub fn new(seed: u64) -> PickRng {
        // Keep the policy's stream apart from any other use of the same seed.
        PickRng(seed ^ 0x5eed_1eab_0000_0000)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
}

/// A policy at work: it keeps the usage counts `least-used` needs.
pub struct Picker<'p> {
    policy: &'p Policy,
    used: Vec<u32>,
    ties: Vec<usize>,
}

impl<'p> Picker<'p> {
    pub fn new(policy: &'p Policy, compiled: &Compiled) -> Picker<'p> {
        Picker { policy, used: vec![0; compiled.choices.len()], ties: Vec::with_capacity(4) }
    }

    /// Returns the index into `offers` of the choice to take; `offers` has at least one
    /// available choice (the checker guarantees one without `requires` in every beat).
    pub fn pick(&mut self, compiled: &Compiled, offers: &[Offer], rng: &mut PickRng) -> usize {
        self.ties.clear();
        match self.policy {
            Policy::Random => self.ties.extend(offers.iter().enumerate().filter(|(_, o)| o.available).map(|(i, _)| i)),
            Policy::LeastUsed => {
                let least = offers.iter().filter(|o| o.available).map(|o| self.used[o.choice]).min();
                self.ties.extend(
                    offers
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| o.available && Some(self.used[o.choice]) == least)
                        .map(|(i, _)| i),
                );
            }
            Policy::Weighted { weights, .. } => {
                let score = |o: &Offer| {
                    let expected = compiled.choices[o.choice].expected;
                    (0..3).map(|m| weights[m] * expected[m]).sum::<f64>()
                };
                let best = offers.iter().filter(|o| o.available).map(score).fold(f64::NEG_INFINITY, f64::max);
                self.ties.extend(
                    offers.iter().enumerate().filter(|(_, o)| o.available && score(o) >= best - 1e-9).map(|(i, _)| i),
                );
            }
            Policy::ByTheBook => {
                let stance = |o: &Offer| compiled.choices[o.choice].choice.stance;
                let rank = |o: &Offer| match stance(o) {
                    Some(Stance::Applies) => 2,
                    Some(Stance::Partly) => 1,
                    _ => 0,
                };
                let best = offers.iter().filter(|o| o.available).map(rank).max();
                self.ties.extend(
                    offers.iter().enumerate().filter(|(_, o)| o.available && Some(rank(o)) == best).map(|(i, _)| i),
                );
            }
            Policy::Myopic | Policy::Contrarian => {
                let sign = if *self.policy == Policy::Myopic { 1 } else { -1 };
                let score = |o: &Offer| sign * immediate_sum(&compiled.choices[o.choice].choice.effects);
                let best = offers.iter().filter(|o| o.available).map(score).max();
                self.ties.extend(
                    offers.iter().enumerate().filter(|(_, o)| o.available && Some(score(o)) == best).map(|(i, _)| i),
                );
            }
        }
        let picked = match self.ties.len() {
            0 => 0,
            1 => self.ties[0],
            n => self.ties[rng.below(n)],
        };
        if let Some(offer) = offers.get(picked) {
            self.used[offer.choice] += 1;
        }
        picked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_weights_parse_with_short_meter_names() {
        let policy = Policy::from_weights("trust=1, impact=2,engagement=0.5").unwrap();
        assert!(matches!(policy, Policy::Weighted { weights, .. } if weights == [1.0, 2.0, 0.5]));
        assert!(Policy::from_weights("moral=1").unwrap_err().contains("no meter `moral`"));
        assert!(Policy::from_weights("trust").unwrap_err().contains("trust=1"));
        assert!(Policy::named("pleaser").unwrap_err().contains("people-pleaser"));
    }

    #[test]
    fn below_stays_in_range_and_spreads() {
        let mut rng = PickRng::new(3);
        let mut seen = [0u32; 3];
        for _ in 0..3000 {
            seen[rng.below(3)] += 1;
        }
        assert!(seen.iter().all(|n| (800..1200).contains(n)), "{seen:?}");
    }
}
