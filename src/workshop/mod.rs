//! A workshop's settings, chosen by the facilitator before it starts; shared by the
//! command line and the game.

pub mod everyone;
pub mod everyone_flow;
pub mod flow;
pub mod phones;

use std::time::SystemTime;

use crate::record::format_utc;

/// What the room plays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkshopTarget {
    Scenario(String),
    Campaign,
}

/// When the room sees the meters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MeterMode {
    #[default]
    Shown,
    /// Hidden until the facilitator presses R, which animates every change since the last reveal.
    UntilReveal,
    /// Hidden until the debrief.
    UntilEnd,
}

impl MeterMode {
    pub fn label(self) -> &'static str {
        match self {
            MeterMode::Shown => "shown",
            MeterMode::UntilReveal => "hidden until you reveal them (R)",
            MeterMode::UntilEnd => "hidden until the end",
        }
    }

    pub fn next(self) -> MeterMode {
        match self {
            MeterMode::Shown => MeterMode::UntilReveal,
            MeterMode::UntilReveal => MeterMode::UntilEnd,
            MeterMode::UntilEnd => MeterMode::Shown,
        }
    }
}

/// The facilitator's choices before starting.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkshopConfig {
    pub name: String,
    pub target: WorkshopTarget,
    pub meters: MeterMode,
    /// Discussion timer per beat, in minutes; None = off.
    pub timer_minutes: Option<u32>,
    pub seed: Option<u64>,
}

impl Default for WorkshopConfig {
    fn default() -> Self {
        WorkshopConfig {
            name: format!("Workshop {}", &format_utc(SystemTime::now())[..10]),
            target: WorkshopTarget::Scenario(String::new()),
            meters: MeterMode::Shown,
            timer_minutes: None,
            seed: None,
        }
    }
}
