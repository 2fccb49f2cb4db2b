//! The room's phone votes: who has joined, the question open on the projector, and each
//! phone's vote on it. Pure state, no network: the phone server (`src/phones/`) and the
//! facilitator's screens call these methods under one lock.
//!
//! One vote per phone: a phone is known by a random token it keeps (cookie and local storage),
//! so a reload or a reconnect finds its vote again, and the last vote before closing counts.
//! Hands counted in the room are added on top by the facilitator ([`PhoneRoom::combined`]).

pub mod everyone_room;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::engine::votes::{VoteTally, option_letter};
pub use crate::record::PhoneBallots;

/// How long a phone counts as connected after its last request (it polls every second or two).
pub const CONNECTED_FOR: Duration = Duration::from_secs(10);
/// At most this many phones join one room (the server's connection cap is below it anyway).
pub const MAX_PHONES: usize = 1000;
/// A nickname is cut to this many characters.
pub const MAX_NICKNAME: usize = 40;

/// The facilitator's phone settings (`leap workshop --phones`, or F3 in the setup screen).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhoneOptions {
    /// Where the server listens; None = the best LAN address on the default port.
    pub bind: Option<std::net::SocketAddr>,
    /// Ask phones for a nickname (kept for the exports only).
    pub nicknames: bool,
    /// Close the vote by itself once every connected phone has voted.
    pub close_when_all_voted: bool,
    /// "Everyone plays" instead of room votes: each phone plays its own run.
    pub everyone_plays: bool,
}

/// The port the room is offered on when no address is given (any free one if it is busy).
pub const DEFAULT_PORT: u16 = 8765;

/// The question a beat puts to the room: its situation, prompt and votable options, for the
/// session-wide decision `number`. None when the session is over.
pub fn question_for(
    scenario: &crate::scenario::Scenario,
    session: &crate::engine::Session,
    number: u32,
) -> Option<Question> {
    let beat = session.current_beat(scenario).ok().flatten()?;
    let speaker =
        beat.speaker.as_deref().and_then(|id| scenario.cast_member(id)).map(|m| format!("{}, {}", m.name, m.role));
    let options =
        session.visible_choices(scenario).iter().filter(|v| v.available()).map(|v| v.choice.text.clone()).collect();
    Some(Question { number, speaker, situation: beat.text.clone(), prompt: beat.discuss.clone(), options })
}

/// What the phones are shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoomPhase {
    /// No question is open: "waiting for the facilitator".
    Waiting,
    /// The room is discussing a question; the options are shown but votes wait.
    Discussing,
    /// The vote is open.
    Voting,
    /// The vote closed; the result is shown.
    Closed,
    /// The workshop is over.
    Finished,
    /// "Everyone plays": each phone plays its own run.
    Playing,
    /// "Everyone plays" after the facilitator ended the round: each phone's personal debrief.
    Debrief,
}

/// The question on the projector, as a phone sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// The session-wide decision number it decides.
    pub number: u32,
    /// Who speaks ("Sam, analyst"), if anyone.
    pub speaker: Option<String>,
    pub situation: String,
    /// The discussion prompt, if the beat has one.
    pub prompt: Option<String>,
    /// The texts of the options, lettered A, B, ... in this order.
    pub options: Vec<String>,
}

/// Why a phone's request is refused; each is a 4xx with this short reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneError {
    UnknownToken,
    NoVoteOpen,
    NoSuchOption,
    RoomFull,
}

impl std::fmt::Display for PhoneError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PhoneError::UnknownToken => "unknown token: join the room again",
            PhoneError::NoVoteOpen => "no vote is open",
            PhoneError::NoSuchOption => "that option is not one of those shown",
            PhoneError::RoomFull => "the room is full",
        })
    }
}

impl std::error::Error for PhoneError {}

#[derive(Debug, Clone)]
struct Phone {
    /// Anonymous id for the log and exports ("p-3fa9c1"); never the token.
    id: String,
    nickname: Option<String>,
    last_seen: Instant,
}

/// What a phone gets back from joining.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    pub token: String,
    pub phone: String,
    /// True when the token was already known (a reload or a reconnect).
    pub rejoined: bool,
}

/// The room: a code, the phones that joined, and the question's state.
#[derive(Debug, Clone)]
pub struct PhoneRoom {
    code: String,
    /// Ask phones for a nickname (shown only in exports).
    pub nicknames: bool,
    phones: HashMap<String, Phone>,
    phase: RoomPhase,
    question: Option<Question>,
    /// Token -> option index, for the open question.
    votes: HashMap<String, usize>,
    version: u64,
    /// "Everyone plays": the round, and where its phones' decisions are logged.
    everyone: Option<everyone_room::Round>,
}

impl PhoneRoom {
    /// A room with this code (see [`new_room_code`]).
    pub fn new(code: impl Into<String>) -> PhoneRoom {
        PhoneRoom {
            code: code.into(),
            nicknames: false,
            phones: HashMap::new(),
            phase: RoomPhase::Waiting,
            question: None,
            votes: HashMap::new(),
            version: 1,
            everyone: None,
        }
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    /// The room code in constant time, so timing tells a guesser nothing.
    pub fn code_matches(&self, given: &str) -> bool {
        let (a, b) = (self.code.as_bytes(), given.trim().to_ascii_uppercase().into_bytes());
        a.len() == b.len() && a.iter().zip(&b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// Goes up by one on every change a phone could see, so a poll with the same version
    /// learns that nothing changed.
    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn phase(&self) -> &RoomPhase {
        &self.phase
    }

    pub fn question(&self) -> Option<&Question> {
        self.question.as_ref()
    }

    fn changed(&mut self) {
        self.version += 1;
    }

    /// A phone joins, or comes back with the token it kept (then it keeps its id and vote).
    pub fn join(&mut self, token: Option<&str>, nickname: Option<&str>, now: Instant) -> Result<Joined, PhoneError> {
        let nickname = nickname
            .map(|n| n.trim().chars().filter(|c| !c.is_control()).take(MAX_NICKNAME).collect::<String>())
            .filter(|n| !n.is_empty() && self.nicknames);
        if let Some(token) = token
            && let Some(phone) = self.phones.get_mut(token)
        {
            phone.last_seen = now;
            if nickname.is_some() {
                phone.nickname = nickname;
            }
            return Ok(Joined { token: token.to_string(), phone: phone.id.clone(), rejoined: true });
        }
        if self.phones.len() >= MAX_PHONES {
            return Err(PhoneError::RoomFull);
        }
        if let Some(joined) = token.and_then(|t| self.rejoin_resumed(t, nickname.clone(), now)) {
            return Ok(joined);
        }
        let mut rng = rand::rng();
        let token: String = (0..32).map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16)])).collect();
        let id = loop {
            let id = format!("p-{:06x}", rng.random_range(0..0x100_0000u32));
            if !self.phones.values().any(|p| p.id == id) && !self.id_reserved(&id) {
                break id;
            }
        };
        self.phones.insert(token.clone(), Phone { id: id.clone(), nickname, last_seen: now });
        self.changed();
        Ok(Joined { token, phone: id, rejoined: false })
    }

    /// Marks the phone as still there; its anonymous id, or an error for an unknown token.
    pub fn seen(&mut self, token: &str, now: Instant) -> Result<String, PhoneError> {
        let phone = self.phones.get_mut(token).ok_or(PhoneError::UnknownToken)?;
        phone.last_seen = now;
        Ok(phone.id.clone())
    }

    pub fn is_known(&self, token: &str) -> bool {
        self.phones.contains_key(token)
    }

    /// Shows a question (discussion first; votes wait for [`open_vote`](Self::open_vote)).
    pub fn show(&mut self, question: Question) {
        if self.question.as_ref() != Some(&question) {
            self.votes.clear();
        }
        self.question = Some(question);
        self.phase = RoomPhase::Discussing;
        self.changed();
    }

    /// Opens the vote on the question shown; phones that join now vote on it too.
    pub fn open_vote(&mut self) {
        if self.question.is_some() && self.phase != RoomPhase::Voting {
            self.phase = RoomPhase::Voting;
            self.changed();
        }
    }

    /// Back to the discussion; votes already cast are kept for when the vote reopens.
    pub fn pause_vote(&mut self) {
        if self.phase == RoomPhase::Voting {
            self.phase = RoomPhase::Discussing;
            self.changed();
        }
    }

    /// A phone's vote; a later one replaces it until the vote closes.
    pub fn vote(&mut self, token: &str, option: usize, now: Instant) -> Result<(), PhoneError> {
        self.seen(token, now)?;
        if self.phase != RoomPhase::Voting {
            return Err(PhoneError::NoVoteOpen);
        }
        let options = self.question.as_ref().map_or(0, |q| q.options.len());
        if option >= options {
            return Err(PhoneError::NoSuchOption);
        }
        if self.votes.insert(token.to_string(), option) != Some(option) {
            self.changed();
        }
        Ok(())
    }

    /// The phone's vote on the open question.
    pub fn vote_of(&self, token: &str) -> Option<usize> {
        self.votes.get(token).copied()
    }

    /// Votes by option, phones only.
    pub fn counts(&self) -> Vec<u32> {
        let options = self.question.as_ref().map_or(0, |q| q.options.len());
        let mut counts = vec![0u32; options];
        for option in self.votes.values() {
            if let Some(count) = counts.get_mut(*option) {
                *count += 1;
            }
        }
        counts
    }

    /// How many phones have voted on the open question.
    pub fn voted(&self) -> usize {
        self.votes.len()
    }

    /// Phones that have joined.
    pub fn joined(&self) -> usize {
        self.phones.len()
    }

    /// Phones seen within [`CONNECTED_FOR`].
    pub fn connected(&self, now: Instant) -> usize {
        self.phones.values().filter(|p| now.saturating_duration_since(p.last_seen) <= CONNECTED_FOR).count()
    }

    /// Every phone connected now has voted (for closing by itself, when the facilitator chose it).
    pub fn everyone_voted(&self, now: Instant) -> bool {
        let connected: Vec<&String> = self
            .phones
            .iter()
            .filter(|(_, p)| now.saturating_duration_since(p.last_seen) <= CONNECTED_FOR)
            .map(|(t, _)| t)
            .collect();
        !connected.is_empty() && connected.iter().all(|t| self.votes.contains_key(*t))
    }

    /// "14 of 17 have voted".
    pub fn progress_text(&self) -> String {
        format!("{} of {} have voted", self.voted(), self.joined())
    }

    /// The phones' votes plus the hands counted in the room, as one tally the existing rules
    /// decide on (majority, tie = the facilitator's call, override with a reason).
    pub fn combined(&self, hands: &VoteTally) -> VoteTally {
        let mut tally = hands.clone();
        tally.set_added(&self.counts());
        tally
    }

    /// Freezes the votes while the facilitator decides (a tie, an override); reopening with
    /// [`open_vote`](Self::open_vote) keeps them.
    pub fn freeze(&mut self) {
        if self.phase == RoomPhase::Voting {
            self.phase = RoomPhase::Closed;
            self.changed();
        }
    }

    /// Closes the vote: no phone can change its vote any more. Returns the ballots for the log.
    pub fn close(&mut self, hands: &VoteTally) -> PhoneBallots {
        let number = self.question.as_ref().map_or(0, |q| q.number);
        let mut phones = BTreeMap::new();
        let mut nicknames = BTreeMap::new();
        for (token, option) in &self.votes {
            if let Some(phone) = self.phones.get(token) {
                phones.insert(phone.id.clone(), *option);
                if let Some(nickname) = &phone.nickname {
                    nicknames.insert(phone.id.clone(), nickname.clone());
                }
            }
        }
        self.phase = RoomPhase::Closed;
        self.changed();
        PhoneBallots {
            decision: number,
            phones,
            nicknames,
            hands: hands.hands(),
            joined: self.phones.len() as u32,
            home_page: None,
        }
    }

    /// The workshop ended: phones show that and stop asking.
    pub fn finish(&mut self) {
        self.phase = RoomPhase::Finished;
        self.question = None;
        self.votes.clear();
        self.changed();
    }

    /// The state a phone polls for, as JSON: the phase, the question, its own vote, the count.
    pub fn state_for(&self, token: Option<&str>) -> serde_json::Value {
        let question = self.question.as_ref().filter(|_| self.phase != RoomPhase::Waiting).map(|q| {
            serde_json::json!({
                "number": q.number,
                "speaker": q.speaker,
                "situation": q.situation,
                "prompt": q.prompt,
                "options": q.options.iter().enumerate()
                    .map(|(i, text)| serde_json::json!({"letter": option_letter(i).to_string(), "text": text}))
                    .collect::<Vec<_>>(),
            })
        });
        let your_vote = token.and_then(|t| self.vote_of(t)).map(|o| option_letter(o).to_string());
        let counts = (self.phase == RoomPhase::Closed).then(|| self.counts());
        serde_json::json!({
            "room": self.code,
            "phase": self.phase,
            "version": self.version_for(token),
            "question": question,
            "options": self.question.as_ref().map_or(Vec::new(), |q| (0..q.options.len()).map(|i| option_letter(i).to_string()).collect()),
            "your_vote": your_vote,
            "voted": self.voted(),
            "joined": self.joined(),
            "counts": counts,
            "nicknames": self.nicknames,
            "play": self.play_view(token),
        })
    }
}

/// A fresh room code: six letters and digits, without look-alikes (no 0/O, 1/I/L).
pub fn new_room_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..6).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect()
}

/// "A", "B", ... to an option index, for the options shown; None for anything else.
pub fn parse_option(letter: &str, options: usize) -> Option<usize> {
    let mut chars = letter.trim().chars();
    let c = chars.next()?.to_ascii_uppercase();
    if chars.next().is_some() || !c.is_ascii_uppercase() {
        return None;
    }
    let index = (c as u8 - b'A') as usize;
    (index < options).then_some(index)
}
