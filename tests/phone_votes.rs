//! The room's phone-vote state (`leap::workshop::phones`) and the workshop flow that drives it:
//! one vote per token, changing a vote, late join, reconnect, closing, hands added, tie and
//! override, and the session log and exports that keep the phones' votes.

mod common;

use std::time::{Duration, Instant};

use leap::engine::votes::{Majority, VoteTally};
use leap::export::{statements, to_csv, to_json};
use leap::record::read_log;
use leap::workshop::flow::{FlowKey, SharedRoom, Step, WorkshopFlow, lock};
use leap::workshop::phones::{PhoneError, PhoneRoom, Question, RoomPhase, new_room_code, parse_option};
use leap::workshop::{WorkshopConfig, WorkshopTarget};

fn question(options: usize) -> Question {
    Question {
        number: 1,
        speaker: None,
        situation: "Sam missed the deadline again.".into(),
        prompt: Some("What do you do first?".into()),
        options: (0..options).map(|i| format!("option {i}")).collect(),
    }
}

fn voting_room(options: usize) -> PhoneRoom {
    let mut room = PhoneRoom::new("ABC234");
    room.show(question(options));
    room.open_vote();
    room
}

#[test]
fn one_vote_per_token_and_the_last_vote_counts() {
    let now = Instant::now();
    let mut room = voting_room(3);
    let phone = room.join(None, None, now).unwrap();
    room.vote(&phone.token, 0, now).unwrap();
    room.vote(&phone.token, 0, now).unwrap();
    assert_eq!(room.counts(), vec![1, 0, 0], "voting twice for A is still one vote");
    room.vote(&phone.token, 2, now).unwrap();
    assert_eq!(room.counts(), vec![0, 0, 1], "a changed vote moves, it does not add");
    assert_eq!(room.vote_of(&phone.token), Some(2));
    assert_eq!(room.progress_text(), "1 of 1 have voted");
}

#[test]
fn a_reconnecting_phone_keeps_its_id_and_vote() {
    let now = Instant::now();
    let mut room = voting_room(2);
    let first = room.join(None, None, now).unwrap();
    room.vote(&first.token, 1, now).unwrap();
    let again = room.join(Some(&first.token), None, now + Duration::from_secs(30)).unwrap();
    assert!(again.rejoined);
    assert_eq!((again.token.as_str(), again.phone.as_str()), (first.token.as_str(), first.phone.as_str()));
    assert_eq!(room.vote_of(&again.token), Some(1));
    assert_eq!(room.joined(), 1);
    // An unknown token gets a new phone, never someone else's.
    let stranger = room.join(Some("not-a-token"), None, now).unwrap();
    assert!(!stranger.rejoined);
    assert_ne!(stranger.token, first.token);
    assert_eq!(room.joined(), 2);
}

#[test]
fn a_late_joiner_votes_on_the_current_question() {
    let now = Instant::now();
    let mut room = voting_room(2);
    let early = room.join(None, None, now).unwrap();
    room.vote(&early.token, 0, now).unwrap();
    let late = room.join(None, None, now + Duration::from_secs(60)).unwrap();
    let state = room.state_for(Some(&late.token));
    assert_eq!(state["phase"], "voting");
    assert_eq!(state["question"]["situation"], "Sam missed the deadline again.");
    assert_eq!(state["options"], serde_json::json!(["A", "B"]));
    assert_eq!(state["your_vote"], serde_json::Value::Null);
    room.vote(&late.token, 1, now).unwrap();
    assert_eq!(room.counts(), vec![1, 1]);
    assert_eq!(room.progress_text(), "2 of 2 have voted");
}

#[test]
fn refusals_name_the_reason() {
    let now = Instant::now();
    let mut room = PhoneRoom::new("ABC234");
    let phone = room.join(None, None, now).unwrap();
    assert_eq!(room.vote(&phone.token, 0, now), Err(PhoneError::NoVoteOpen), "nothing shown yet");
    room.show(question(2));
    assert_eq!(room.vote(&phone.token, 0, now), Err(PhoneError::NoVoteOpen), "discussion, not vote");
    room.open_vote();
    assert_eq!(room.vote(&phone.token, 2, now), Err(PhoneError::NoSuchOption));
    assert_eq!(room.vote("forged", 0, now), Err(PhoneError::UnknownToken));
    assert_eq!(room.counts(), vec![0, 0]);
    assert_eq!(parse_option("b", 2), Some(1));
    assert_eq!(parse_option("C", 2), None);
    assert_eq!(parse_option("AB", 2), None);
    assert_eq!(parse_option("", 2), None);
}

#[test]
fn closing_freezes_the_votes_and_reports_them_anonymously() {
    let now = Instant::now();
    let mut room = voting_room(3);
    let a = room.join(None, None, now).unwrap();
    let b = room.join(None, Some("Ana"), now).unwrap();
    room.vote(&a.token, 2, now).unwrap();
    room.vote(&b.token, 2, now).unwrap();
    let version = room.version();
    let ballots = room.close(&VoteTally::new(3));
    assert!(room.version() > version, "closing is a change the phones see");
    assert_eq!(room.phase(), &RoomPhase::Closed);
    assert_eq!(room.vote(&a.token, 0, now), Err(PhoneError::NoVoteOpen));
    assert_eq!(ballots.phones.len(), 2);
    assert!(ballots.phones.keys().all(|id| id.starts_with("p-") && *id != a.token && *id != b.token));
    assert!(ballots.nicknames.is_empty(), "no nicknames unless the facilitator asked for them");
    assert_eq!(ballots.phone_counts(3), vec![0, 0, 2]);
    assert_eq!(ballots.joined, 2);
}

#[test]
fn nicknames_are_kept_only_when_asked_for() {
    let now = Instant::now();
    let mut room = voting_room(2);
    room.nicknames = true;
    let phone = room.join(None, Some("  Ana\u{7} "), now).unwrap();
    room.vote(&phone.token, 0, now).unwrap();
    let ballots = room.close(&VoteTally::new(2));
    assert_eq!(ballots.nicknames.get(&phone.phone).map(String::as_str), Some("Ana"));
}

#[test]
fn hands_add_to_the_phones_and_the_rules_decide_on_both() {
    let now = Instant::now();
    let mut room = voting_room(3);
    for option in [0, 0, 1] {
        let phone = room.join(None, None, now).unwrap();
        room.vote(&phone.token, option, now).unwrap();
    }
    let mut hands = VoteTally::new(3);
    hands.set(1, 2);
    let combined = room.combined(&hands);
    assert_eq!(combined.counts(), &[2, 3, 0]);
    assert_eq!(combined.majority(), Majority::Clear(1));
    // Tie: A 2 + 1 hand = 3, B 1 + 2 = 3; the facilitator's call needs no reason between them.
    hands.tap(0);
    let tie = room.combined(&hands);
    assert_eq!(tie.majority(), Majority::Tie(vec![0, 1]));
    assert!(tie.decide(0, None).is_ok_and(|d| !d.overrode_majority));
    // Override: C against the tie needs a reason.
    assert!(tie.decide(2, None).is_err());
    let overruled = tie.decide(2, Some("the room has not heard from Sam".into())).unwrap();
    assert!(overruled.overrode_majority);
}

#[test]
fn the_version_moves_only_on_changes_and_everyone_voted_counts_connected_phones() {
    let now = Instant::now();
    let mut room = voting_room(2);
    let a = room.join(None, None, now).unwrap();
    let gone = room.join(None, None, now).unwrap();
    room.vote(&a.token, 0, now).unwrap();
    let version = room.version();
    room.vote(&a.token, 0, now).unwrap();
    room.seen(&a.token, now).unwrap();
    assert_eq!(room.version(), version, "polling and the same vote again change nothing");
    assert!(!room.everyone_voted(now));
    // The second phone stops polling; eleven seconds on it no longer counts as connected.
    let later = now + Duration::from_secs(11);
    room.seen(&a.token, later).unwrap();
    assert_eq!(room.connected(later), 1);
    assert!(room.everyone_voted(later));
    assert!(room.is_known(&gone.token));
}

#[test]
fn room_codes_are_six_unambiguous_characters_compared_without_case() {
    let code = new_room_code();
    assert_eq!(code.len(), 6);
    assert!(code.chars().all(|c| c.is_ascii_uppercase() || ('2'..='9').contains(&c)), "{code}");
    assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
    let room = PhoneRoom::new(code.clone());
    assert!(room.code_matches(&code.to_lowercase()));
    assert!(!room.code_matches("ZZZZZZ") || code == "ZZZZZZ");
    assert!(!room.code_matches(""));
}

fn small() -> leap::scenario::Scenario {
    common::load_scenario(&common::fixture("valid/small.ron"))
}

fn flow_with_phones(name: &str) -> (WorkshopFlow, SharedRoom, std::path::PathBuf) {
    let dir = common::scratch_dir(name);
    let log = dir.join("session.jsonl");
    let room: SharedRoom = std::sync::Arc::new(std::sync::Mutex::new(PhoneRoom::new("ABC234")));
    let config = WorkshopConfig {
        name: "Phones test".into(),
        target: WorkshopTarget::Scenario("small".into()),
        seed: Some(7),
        ..WorkshopConfig::default()
    };
    let flow = WorkshopFlow::start(config, small(), &log, Some((room.clone(), "http://127.0.0.1:9/".into()))).unwrap();
    (flow, room, log)
}

#[test]
fn the_flow_opens_and_closes_the_phones_vote_and_logs_every_ballot() {
    let (mut flow, room, log) = flow_with_phones("flow-phones");
    let now = Instant::now();
    assert_eq!(lock(&room).phase(), &RoomPhase::Discussing);
    let phones: Vec<_> = (0..3).map(|_| lock(&room).join(None, None, now).unwrap()).collect();
    assert_eq!(lock(&room).vote(&phones[0].token, 0, now), Err(PhoneError::NoVoteOpen));
    flow.key(FlowKey::Char('V'));
    assert_eq!(flow.step, Step::Vote);
    for (phone, option) in phones.iter().zip([1, 1, 0]) {
        lock(&room).vote(&phone.token, option, now).unwrap();
    }
    flow.key(FlowKey::Char('A')); // one hand for A: B 2, A 2 is a tie
    flow.key(FlowKey::Enter);
    assert!(matches!(flow.step, Step::Override { option: None, .. }), "{:?}", flow.step);
    assert_eq!(lock(&room).vote(&phones[0].token, 0, now), Err(PhoneError::NoVoteOpen), "frozen while deciding");
    flow.key(FlowKey::Char('B'));
    assert_eq!(flow.step, Step::Consequence);
    let applied = flow.last.clone().unwrap();
    assert_eq!(applied.logged.votes.as_deref(), Some(&[2, 2][..]));
    let recorded = read_log(&log).unwrap();
    assert_eq!(recorded.decisions.len(), 1);
    let ballots = recorded.ballots_of(1).expect("the phones' ballots are in the log");
    assert_eq!(ballots.phone_counts(2), vec![1, 2]);
    assert_eq!(ballots.hands, vec![1, 0]);
    assert_eq!(recorded.header.options["phones"]["room"], "ABC234");

    // Exports: CSV columns, the JSON document, and one xAPI actor per phone.
    let csv = to_csv(&recorded, &[]).unwrap();
    assert!(csv.lines().next().unwrap().ends_with("phone_votes,hand_votes,phone_ballots,phone"), "{csv}");
    assert!(csv.lines().nth(1).unwrap().contains("A:1 B:2,A:1 B:0,p-"), "{csv}");
    assert!(to_json(&recorded).unwrap().contains("\"ballots\""));
    let xapi = statements(&recorded, &[]);
    let agents: Vec<&leap::export::xapi::Agent> = xapi
        .iter()
        .filter_map(|s| match &s.actor {
            leap::export::xapi::Actor::Agent(agent) if s.verb.id == leap::export::xapi::VERB_VOTED => Some(agent),
            _ => None,
        })
        .collect();
    assert_eq!(agents.len(), 3);
    let accounts: Vec<_> = agents.iter().map(|a| a.account.clone().expect("an anonymous account")).collect();
    assert!(accounts.iter().all(|a| a.home_page == "http://127.0.0.1:9/"), "{accounts:?}");
    let ids: std::collections::BTreeSet<_> = accounts.iter().map(|a| a.name.clone()).collect();
    assert_eq!(ids.len(), 3, "each phone is its own actor");
}

#[test]
fn an_override_against_the_phones_needs_a_reason_and_the_next_beat_clears_the_votes() {
    let (mut flow, room, log) = flow_with_phones("flow-override");
    let now = Instant::now();
    let phone = lock(&room).join(None, None, now).unwrap();
    flow.key(FlowKey::Char('V'));
    lock(&room).vote(&phone.token, 0, now).unwrap();
    flow.key(FlowKey::Char('O'));
    flow.key(FlowKey::Char('B'));
    assert!(matches!(flow.step, Step::Override { option: Some(1), .. }), "{:?}", flow.step);
    flow.key(FlowKey::Enter);
    assert!(flow.message.as_deref().unwrap_or("").contains("say why"), "{:?}", flow.message);
    for c in "time is short".chars() {
        flow.key(FlowKey::Char(c));
    }
    flow.key(FlowKey::Enter);
    assert_eq!(flow.step, Step::Consequence);
    assert!(flow.last.as_ref().unwrap().logged.overrode_majority);
    flow.key(FlowKey::Enter);
    if flow.step == Step::Discuss {
        assert_eq!(lock(&room).counts().iter().sum::<u32>(), 0, "a new question starts with no votes");
        assert_eq!(lock(&room).question().unwrap().number, 2);
    }
    let recorded = read_log(&log).unwrap();
    assert_eq!(recorded.decisions[0].override_reason.as_deref(), Some("time is short"));
}

#[test]
fn a_resumed_flow_goes_on_at_the_next_decision() {
    let (mut flow, _room, log) = flow_with_phones("flow-resume");
    flow.key(FlowKey::Char('V'));
    flow.key(FlowKey::Char('A'));
    flow.key(FlowKey::Enter);
    assert_eq!(flow.step, Step::Consequence);
    drop(flow);
    let scenario = small();
    let resumed = WorkshopFlow::resume(&log, |id| (id == scenario.id).then_some(&scenario), None).unwrap();
    assert_eq!(resumed.decisions.len(), 1);
    assert_eq!(resumed.session.decisions_made(), 1);
    assert!(resumed.message.as_deref().unwrap().contains("decision 2"));
}

#[test]
fn votes_added_from_phones_stay_apart_from_the_hands_and_their_undo() {
    let mut tally = VoteTally::new(2);
    tally.tap(0);
    tally.set_added(&[2, 0]);
    assert_eq!(tally.counts(), &[3, 0]);
    assert!(tally.undo());
    assert_eq!(tally.counts(), &[2, 0], "undo takes back the hand, never a phone's vote");
    assert!(!tally.undo());
    tally.set(1, 5);
    tally.set_added(&[0, 1]);
    assert_eq!(tally.counts(), &[0, 6], "12B-style counts are hands, on top of the phones");
    assert_eq!(tally.hands(), vec![0, 5]);
    assert_eq!(tally.added(), &[0, 1]);
    assert!(tally.undo());
    assert_eq!(tally.counts(), &[0, 1]);
}
