//! "Everyone plays": each phone's own run, as the session log keeps it. A `phone` line per
//! decision a phone makes (its run's seed and its per-phone decision number with it), appended
//! and synced before the phone hears back, so a crash loses no decision; a `round` line when
//! the facilitator ends the round.

use serde::{Deserialize, Serialize};

use super::{LoggedDecision, LoggedEnd};

/// One decision of one phone's run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneDecision {
    /// The phone's anonymous id ("p-3fa9c1"); never its token.
    pub phone: String,
    /// A one-way digest of the phone's token, so the same phone continues its run after
    /// `--resume` (the token itself is never written).
    pub key: String,
    /// The seed of this phone's run (chance outcomes replay from it).
    pub seed: u64,
    /// Only when the facilitator asked for nicknames (exports only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// The decision, numbered within this phone's run (1, 2, ...).
    pub decision: LoggedDecision,
    /// The ending, when this decision ended the phone's run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<LoggedEnd>,
}

/// The facilitator ended the round: the phones then see their personal debrief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundEnd {
    /// Phones joined when the round ended.
    pub joined: u32,
    /// ISO 8601 UTC.
    pub at: String,
}
