//! The meter rule. Every change to a meter, anywhere in the game, goes through
//! [`Meters::apply`], so this file is the whole rule:
//!
//! **A meter moves by the stated amount and is then clamped to 0..=100.**
//!
//! A plain clamped add was chosen over a "diminishing" rule because players and
//! facilitators can check it in their heads: +5 means +5 unless the meter is at its limit.

use serde::{Deserialize, Serialize};

use crate::scenario::{Effects, Meter, StartMeters};

pub const METER_MIN: i32 = 0;
pub const METER_MAX: i32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Meters {
    pub trust: i32,
    pub strategic_impact: i32,
    pub team_engagement: i32,
}

impl From<StartMeters> for Meters {
    fn from(start: StartMeters) -> Self {
        let mut meters = Meters { trust: 0, strategic_impact: 0, team_engagement: 0 };
        for meter in Meter::ALL {
            let value = match meter {
                Meter::Trust => start.trust,
                Meter::StrategicImpact => start.strategic_impact,
                Meter::TeamEngagement => start.team_engagement,
            };
            *meters.slot(meter) = value.clamp(METER_MIN, METER_MAX);
        }
        meters
    }
}

impl Meters {
    pub fn get(&self, meter: Meter) -> i32 {
        match meter {
            Meter::Trust => self.trust,
            Meter::StrategicImpact => self.strategic_impact,
            Meter::TeamEngagement => self.team_engagement,
        }
    }

    fn slot(&mut self, meter: Meter) -> &mut i32 {
        match meter {
            Meter::Trust => &mut self.trust,
            Meter::StrategicImpact => &mut self.strategic_impact,
            Meter::TeamEngagement => &mut self.team_engagement,
        }
    }

    /// Applies `effects` by the meter rule.
    pub fn apply(&mut self, effects: &Effects) {
        for meter in Meter::ALL {
            let slot = self.slot(meter);
            *slot = (*slot + effects.get(meter)).clamp(METER_MIN, METER_MAX);
        }
    }

    /// The change from `before` to `self`, meter by meter.
    pub fn delta_since(&self, before: &Meters) -> [i32; 3] {
        Meter::ALL.map(|m| self.get(m) - before.get(m))
    }

    pub fn as_array(&self) -> [i32; 3] {
        Meter::ALL.map(|m| self.get(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_added_then_clamped() {
        let mut meters = Meters { trust: 95, strategic_impact: 3, team_engagement: 50 };
        meters.apply(&Effects { trust: Some(10), strategic_impact: Some(-10), team_engagement: Some(7) });
        assert_eq!(meters.as_array(), [100, 0, 57]);
    }
}
