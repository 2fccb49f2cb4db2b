//! The room in "everyone plays": the phones' runs ([`EveryonePlays`]) joined to the room's
//! tokens, phases and versions. A phone's choice returns the log line to write; the caller
//! writes it to the round's journal (see [`PhoneRoom::journal`]) before answering the phone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use crate::record::{PhoneDecision, SessionLog};
use crate::workshop::everyone::{EveryonePlays, PlayError, Progress, RoomAggregate};

use super::{Joined, Phone, PhoneRoom, RoomPhase};

/// The session log, shared by the phone server (each phone's decision) and the facilitator
/// (the round's end).
pub type SharedLog = Arc<Mutex<SessionLog>>;

#[derive(Debug, Clone)]
pub(super) struct Round {
    play: EveryonePlays,
    journal: Option<SharedLog>,
    /// Token digests of the phones with a run in the log (a resume), to their anonymous ids.
    resumed: HashMap<String, String>,
}

/// Why a phone's choice is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChooseRefused {
    UnknownToken,
    /// The room is not in "everyone plays", or the round has not started.
    NotPlaying,
    Play(PlayError),
}

impl std::fmt::Display for ChooseRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChooseRefused::UnknownToken => f.write_str(&super::PhoneError::UnknownToken.to_string()),
            ChooseRefused::NotPlaying => f.write_str("the room is not playing: nothing to choose now"),
            ChooseRefused::Play(e) => e.fmt(f),
        }
    }
}

/// A one-way digest of a phone's token, kept in the log so the same phone continues its run
/// after a resume while the token itself (which would let anyone act as that phone) is not.
pub fn token_key(token: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, format!("leap-phone:{token}").as_bytes()).simple().to_string()
}

impl PhoneRoom {
    /// Starts "everyone plays": every phone plays `play`'s scenario on its own. `journal` is the
    /// session log its decisions go to (None in tests of the state alone). A resumed `play`
    /// keeps its runs; their phones get them back by coming with the same token.
    pub fn start_everyone_plays(&mut self, play: EveryonePlays, journal: Option<SharedLog>) {
        let resumed = play.keys().into_iter().map(|(phone, key)| (key, phone)).collect();
        let over = play.is_over();
        self.everyone = Some(Round { play, journal, resumed });
        self.question = None;
        self.votes.clear();
        self.phase = if over { RoomPhase::Debrief } else { RoomPhase::Playing };
        self.changed();
    }

    /// The round, in "everyone plays".
    pub fn everyone(&self) -> Option<&EveryonePlays> {
        self.everyone.as_ref().map(|r| &r.play)
    }

    /// Where the round's decisions are written.
    pub fn journal(&self) -> Option<SharedLog> {
        self.everyone.as_ref().and_then(|r| r.journal.clone())
    }

    /// A token the room does not know, but whose run a resumed log holds: the phone gets its
    /// anonymous id and its run back.
    pub(super) fn rejoin_resumed(&mut self, token: &str, nickname: Option<String>, now: Instant) -> Option<Joined> {
        let id = self.everyone.as_mut()?.resumed.remove(&token_key(token))?;
        self.phones.insert(token.to_string(), Phone { id: id.clone(), nickname, last_seen: now });
        self.changed();
        Some(Joined { token: token.to_string(), phone: id, rejoined: true })
    }

    /// An id a run already has (a resumed phone not back yet): a new phone never gets it.
    pub(super) fn id_reserved(&self, id: &str) -> bool {
        self.everyone.as_ref().is_some_and(|r| r.play.session(id).is_some())
    }

    /// The phone with `token` takes the choice lettered `letter` in its own run; `number` is
    /// the decision it thinks it is at. Returns the line for the log.
    pub fn choose(
        &mut self,
        token: &str,
        letter: &str,
        number: Option<u32>,
        now: Instant,
        at: SystemTime,
    ) -> Result<PhoneDecision, ChooseRefused> {
        let phone = self.seen(token, now).map_err(|_| ChooseRefused::UnknownToken)?;
        let nickname = self.phones.get(token).and_then(|p| p.nickname.clone());
        let playing = matches!(self.phase, RoomPhase::Playing | RoomPhase::Debrief);
        let round = self.everyone.as_mut().filter(|_| playing).ok_or(ChooseRefused::NotPlaying)?;
        let mut line = round.play.choose(&phone, &token_key(token), letter, number, at).map_err(ChooseRefused::Play)?;
        line.nickname = nickname;
        Ok(line)
    }

    /// The facilitator ends the round: phones see their personal debrief. The aggregate.
    pub fn end_round(&mut self) -> Option<RoomAggregate> {
        let joined = self.phones.len();
        let aggregate = self.everyone.as_mut()?.play.end(joined).clone();
        self.phase = RoomPhase::Debrief;
        self.changed();
        Some(aggregate)
    }

    /// "12 started, 5 finished of 17 joined", in "everyone plays".
    pub fn progress(&self) -> Option<Progress> {
        Some(self.everyone.as_ref()?.play.progress(self.phones.len()))
    }

    /// The version a phone sees: the room's, plus its own decisions in "everyone plays" (so
    /// another phone's decision does not make this one fetch the whole state again).
    pub fn version_for(&self, token: Option<&str>) -> u64 {
        let own = self
            .everyone
            .as_ref()
            .zip(token.and_then(|t| self.phones.get(t)))
            .and_then(|(round, phone)| round.play.session(&phone.id).map(|s| u64::from(s.decisions_made())));
        self.version + own.unwrap_or(0)
    }

    /// The phone's own view, in "everyone plays".
    pub(super) fn play_view(&self, token: Option<&str>) -> Option<serde_json::Value> {
        let round = self.everyone.as_ref()?;
        let phone = self.phones.get(token?)?;
        serde_json::to_value(round.play.view(&phone.id)).ok()
    }
}
