//! What each phone sees when a voted workshop ends: the room's ending, each decision the room
//! took with its split and lesson, and the phone's own vote beside the room's ("you voted B").

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::Session;
use crate::record::{LoggedDecision, PhoneBallots};
use crate::scenario::Scenario;
use crate::scenario::lessons::lesson;

use super::everyone::EndingShown;
use crate::engine::votes::option_letter;

/// The room's debrief, the same for every phone but for its own votes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteDebrief {
    pub ending: Option<EndingShown>,
    pub decisions: Vec<RoomDecision>,
    /// Each closed vote's phone votes by anonymous id (option index), by decision number.
    pub phone_votes: BTreeMap<u32, BTreeMap<String, usize>>,
}

/// One decision as the room took it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoomDecision {
    pub number: u32,
    /// The letter and text of the option applied.
    pub letter: String,
    pub chose: String,
    /// "A 9 · B 5": every vote counted, phones and hands.
    pub split: String,
    pub overrode_majority: bool,
    pub lesson: String,
    pub stance: Option<&'static str>,
    /// Trust, strategic impact, team engagement: what the decision did.
    pub delta: [i32; 3],
}

/// One decision as a phone sees it in its debrief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct PhoneLine<'a> {
    #[serde(flatten)]
    decision: &'a RoomDecision,
    your_vote: Option<String>,
    sentence: String,
}

impl VoteDebrief {
    /// The debrief of a finished workshop from its decisions and the ballots of its votes.
    pub fn new(scenario: &Scenario, session: &Session, decisions: &[LoggedDecision]) -> VoteDebrief {
        let ending = session.ending(scenario).map(|e| EndingShown {
            id: e.id.clone(),
            title: e.title.clone(),
            verdict: e.verdict.label(),
            text: e.text.clone(),
        });
        let decisions = decisions.iter().filter(|d| d.scenario == scenario.id).map(room_decision).collect();
        VoteDebrief { ending, decisions, phone_votes: BTreeMap::new() }
    }

    /// Keeps a closed vote's phone votes, so each phone can see its own.
    pub fn remember(&mut self, ballots: &PhoneBallots) {
        self.phone_votes.insert(ballots.decision, ballots.phones.clone());
    }

    /// The debrief for the phone with anonymous id `phone` (none: a phone the room does not
    /// know), as JSON for `/api/state`.
    pub fn for_phone(&self, phone: Option<&str>) -> serde_json::Value {
        let mut voted = 0;
        let mut with_room = 0;
        let lines: Vec<PhoneLine> = self
            .decisions
            .iter()
            .map(|decision| {
                let vote = phone.and_then(|p| self.phone_votes.get(&decision.number)?.get(p)).copied();
                let your_vote = vote.map(|v| option_letter(v).to_string());
                let sentence = match &your_vote {
                    Some(letter) if *letter == decision.letter => {
                        voted += 1;
                        with_room += 1;
                        format!("The room chose {}; so did you.", decision.letter)
                    }
                    Some(letter) => {
                        voted += 1;
                        format!("The room chose {}; you voted {letter}.", decision.letter)
                    }
                    None => format!("The room chose {}; your phone did not vote.", decision.letter),
                };
                PhoneLine { decision, your_vote, sentence }
            })
            .collect();
        let summary = match voted {
            0 => "Your phone did not vote; here is what the room decided.".to_string(),
            1 => format!("You voted with the room at {with_room} of the 1 decision you voted on."),
            _ => format!("You voted with the room at {with_room} of the {voted} decisions you voted on."),
        };
        serde_json::json!({ "ending": self.ending, "timeline": lines, "summary": summary })
    }
}

fn room_decision(d: &LoggedDecision) -> RoomDecision {
    let index = d.chosen_index().unwrap_or(0);
    let split = d.votes.as_deref().map_or_else(String::new, |votes| {
        votes.iter().enumerate().map(|(i, n)| format!("{} {n}", option_letter(i))).collect::<Vec<_>>().join(" · ")
    });
    RoomDecision {
        number: d.number,
        letter: option_letter(index).to_string(),
        chose: d.texts.as_ref().map(|t| t.chosen_text.clone()).unwrap_or_else(|| d.chosen.clone()),
        split,
        overrode_majority: d.overrode_majority,
        lesson: lesson(&d.lesson).map_or_else(|| d.lesson.clone(), |l| l.name.to_string()),
        stance: d.stance.map(|s| s.id()),
        delta: d.delta(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(number: u32, options: &[&str], votes: &[u32], chosen: &str) -> LoggedDecision {
        let meters = crate::engine::Meters { trust: 50, strategic_impact: 50, team_engagement: 50 };
        LoggedDecision {
            number,
            scenario: "s".into(),
            beat: "b".into(),
            options: options.iter().map(|o| o.to_string()).collect(),
            votes: Some(votes.to_vec()),
            chosen: chosen.into(),
            overrode_majority: false,
            override_reason: None,
            outcome: None,
            lesson: "L01".into(),
            stance: None,
            meters_before: meters,
            meters_after: crate::engine::Meters { trust: 55, ..meters },
            at: String::new(),
            texts: None,
        }
    }

    fn debrief() -> VoteDebrief {
        let decisions = [decision(1, &["x", "y"], &[3, 1], "x"), decision(2, &["p", "q", "r"], &[0, 1, 3], "r")];
        let mut debrief = VoteDebrief {
            ending: None,
            decisions: decisions.iter().map(room_decision).collect(),
            phone_votes: BTreeMap::new(),
        };
        let ballots = |decision, phones: &[(&str, usize)]| PhoneBallots {
            decision,
            phones: phones.iter().map(|(p, o)| (p.to_string(), *o)).collect(),
            nicknames: BTreeMap::new(),
            hands: Vec::new(),
            joined: 2,
            home_page: None,
        };
        debrief.remember(&ballots(1, &[("p-1", 0), ("p-2", 1)]));
        debrief.remember(&ballots(2, &[("p-1", 1)]));
        debrief
    }

    #[test]
    fn each_phone_sees_its_own_votes_beside_the_rooms() {
        let debrief = debrief();
        assert_eq!(debrief.decisions[1].letter, "C");
        assert_eq!(debrief.decisions[1].split, "A 0 · B 1 · C 3");
        assert_eq!(debrief.decisions[0].delta, [5, 0, 0]);

        let first = debrief.for_phone(Some("p-1"));
        assert_eq!(first["timeline"][0]["your_vote"], "A");
        assert_eq!(first["timeline"][0]["sentence"], "The room chose A; so did you.");
        assert_eq!(first["timeline"][1]["sentence"], "The room chose C; you voted B.");
        assert_eq!(first["summary"], "You voted with the room at 1 of the 2 decisions you voted on.");

        let second = debrief.for_phone(Some("p-2"));
        assert_eq!(second["timeline"][1]["your_vote"], serde_json::Value::Null);
        assert_eq!(second["timeline"][1]["sentence"], "The room chose C; your phone did not vote.");
        assert_eq!(second["summary"], "You voted with the room at 0 of the 1 decision you voted on.");

        let stranger = debrief.for_phone(None);
        assert_eq!(stranger["summary"], "Your phone did not vote; here is what the room decided.");
        assert_eq!(stranger["timeline"][0]["chose"], "x");
    }
}
