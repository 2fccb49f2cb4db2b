//! The phones' votes on one closed question, as the session log keeps them: a `ballots`
//! line written just before the decision it decided, so a crash between the two leaves at
//! worst ballots for a decision that was then voted again (the last ballots of a number count).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The votes of one closed question, as the log keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneBallots {
    /// The decision number the vote decided.
    pub decision: u32,
    /// Each phone's last vote, by anonymous id: option index (0 = A).
    pub phones: BTreeMap<String, usize>,
    /// Nicknames by anonymous id, only when the facilitator asked for them (exports only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub nicknames: BTreeMap<String, String>,
    /// Hands counted in the room, by option, added to the phones' votes.
    pub hands: Vec<u32>,
    /// Phones joined when the vote closed.
    pub joined: u32,
    /// The room's own home page (`http://ADDR:PORT/`), the account of each phone's xAPI agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_page: Option<String>,
}

impl PhoneBallots {
    /// Phone votes by option, for `options` options.
    pub fn phone_counts(&self, options: usize) -> Vec<u32> {
        let mut counts = vec![0u32; options];
        for option in self.phones.values() {
            if let Some(count) = counts.get_mut(*option) {
                *count += 1;
            }
        }
        counts
    }
}
