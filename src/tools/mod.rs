//! Designer tools over the engine: the Monte-Carlo simulator, the exhaustive explorer and the
//! scenario graph. Knows nothing of Bevy; `leap simulate`, `leap explore`, `leap graph` and
//! `leap check` (for the trade-off warnings, which simulate play) print what these return.

pub mod balance;
pub mod campaign_sim;
pub mod explore;
pub mod graph;
pub mod plot;
pub mod policy;
pub mod simulate;
pub mod stats;
pub mod tradeoffs;
