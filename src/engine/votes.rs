//! The room's votes on one beat, in workshop mode.
//!
//! The facilitator counts raised hands (a tap per hand) or types a count, can undo slips, and
//! then picks the option the group plays. The room's majority is a recommendation, not a rule:
//! the facilitator may pick another option, but then must say why, so the debrief and the
//! exported record can show where and why the group was overruled.

use serde::{Deserialize, Serialize};

/// The letter an option is shown with: 0 is A, 1 is B, and so on.
pub fn option_letter(option: usize) -> char {
    u8::try_from(option).ok().filter(|i| *i < 26).map_or('?', |i| (b'A' + i) as char)
}

/// What the votes say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Majority {
    NoVotes,
    /// One option has more votes than every other.
    Clear(usize),
    /// These options (in order) share the most votes.
    Tie(Vec<usize>),
}

/// The option the facilitator picked, and whether that went against the room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomDecision {
    pub picked: usize,
    /// True when the room had a clear majority, or a tie, and the pick was none of them.
    pub overrode_majority: bool,
    /// The facilitator's reason, trimmed; always present for an override.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VoteError {
    /// The option is not one of those shown.
    #[error("that option is not one of those shown")]
    NoSuchOption,
    /// Picking against the room's majority needs a reason.
    #[error("this goes against the room's vote; say why, so the debrief can discuss it")]
    ReasonRequired,
}

/// One change, kept so it can be undone.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    Tap(usize),
    Set { option: usize, previous: u32 },
}

/// Votes for the options of one beat, indexed 0.. in the order shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteTally {
    counts: Vec<u32>,
    history: Vec<Change>,
    /// Votes counted elsewhere (the room's phones), included in `counts`; taps, sets and
    /// undos change only the hands on top of them.
    added: Vec<u32>,
}

impl VoteTally {
    pub fn new(options: usize) -> VoteTally {
        VoteTally { counts: vec![0; options], history: Vec::new(), added: vec![0; options] }
    }

    /// One raised hand for `option`. An option that is not shown is ignored, so a stray key
    /// changes nothing (and leaves nothing to undo).
    pub fn tap(&mut self, option: usize) {
        if let Some(count) = self.counts.get_mut(option) {
            *count = count.saturating_add(1);
            self.history.push(Change::Tap(option));
        }
    }

    /// A counted total for `option`, typed in; replaces its count. Ignored, like [`tap`](Self::tap),
    /// for an option that is not shown.
    pub fn set(&mut self, option: usize, count: u32) {
        if let Some(slot) = self.counts.get_mut(option) {
            let added = self.added[option];
            let previous = std::mem::replace(slot, count.saturating_add(added)) - added;
            self.history.push(Change::Set { option, previous });
        }
    }

    /// Undoes the latest tap or set not yet undone; false when there is nothing left to undo.
    pub fn undo(&mut self) -> bool {
        match self.history.pop() {
            None => false,
            Some(Change::Tap(option)) => {
                self.counts[option] = self.counts[option].saturating_sub(1).max(self.added[option]);
                true
            }
            Some(Change::Set { option, previous }) => {
                self.counts[option] = previous.saturating_add(self.added[option]);
                true
            }
        }
    }

    /// Replaces the votes counted elsewhere (the phones' counts, by option) that the tally
    /// includes; the hands counted on top of them stay as they are.
    pub fn set_added(&mut self, added: &[u32]) {
        for (i, count) in self.counts.iter_mut().enumerate() {
            let new = added.get(i).copied().unwrap_or(0);
            *count = count.saturating_sub(self.added[i]).saturating_add(new);
            self.added[i] = new;
        }
    }

    /// The votes counted elsewhere, by option (see [`set_added`](Self::set_added)).
    pub fn added(&self) -> &[u32] {
        &self.added
    }

    /// The hands alone, by option: the counts without the votes added from elsewhere.
    pub fn hands(&self) -> Vec<u32> {
        self.counts.iter().zip(&self.added).map(|(c, a)| c - a).collect()
    }

    pub fn options(&self) -> usize {
        self.counts.len()
    }

    pub fn counts(&self) -> &[u32] {
        &self.counts
    }

    pub fn total(&self) -> u32 {
        self.counts.iter().fold(0u32, |sum, c| sum.saturating_add(*c))
    }

    /// Each option's share of the votes, 0.0 to 100.0; all 0.0 when nobody has voted.
    pub fn percentages(&self) -> Vec<f64> {
        let total = self.total();
        self.counts.iter().map(|c| if total == 0 { 0.0 } else { f64::from(*c) * 100.0 / f64::from(total) }).collect()
    }

    pub fn majority(&self) -> Majority {
        let most = self.counts.iter().copied().max().unwrap_or(0);
        if most == 0 {
            return Majority::NoVotes;
        }
        let leaders: Vec<usize> = (0..self.counts.len()).filter(|i| self.counts[*i] == most).collect();
        match leaders.as_slice() {
            [one] => Majority::Clear(*one),
            _ => Majority::Tie(leaders),
        }
    }

    /// The facilitator picks `picked`. Following the clear majority, breaking a tie between the
    /// leaders, or picking when nobody voted needs no reason; anything else overrides the room
    /// and needs a non-empty `reason`.
    pub fn decide(&self, picked: usize, reason: Option<String>) -> Result<RoomDecision, VoteError> {
        if picked >= self.counts.len() {
            return Err(VoteError::NoSuchOption);
        }
        let reason = reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
        let overrode_majority = match self.majority() {
            Majority::NoVotes => false,
            Majority::Clear(leader) => picked != leader,
            Majority::Tie(leaders) => !leaders.contains(&picked),
        };
        if overrode_majority && reason.is_none() {
            return Err(VoteError::ReasonRequired);
        }
        Ok(RoomDecision { picked, overrode_majority, reason })
    }

    /// "A:3 B:7 C:0", the form logs and exports show.
    pub fn summary(&self) -> String {
        votes_summary(&self.counts)
    }
}

/// "A:3 B:7 C:0" for counts in the order the options were shown.
pub fn votes_summary(counts: &[u32]) -> String {
    let parts: Vec<String> = counts.iter().enumerate().map(|(i, c)| format!("{}:{c}", option_letter(i))).collect();
    parts.join(" ")
}
