//! The phone page in a real browser: Debian's headless Chromium at a phone's size (360×740),
//! driven by a small Node script with playwright-core (tests/browser/phone.mjs) on the real
//! server on 127.0.0.1. The phone joins, votes B, changes to A, sees the vote counted after it
//! closes, keeps its vote across a reload, shows that it is reconnecting when the server goes
//! away and recovers by itself when it is back. Screenshots land in target/tmp.
//!
//! Needs `node`, `/usr/bin/chromium` and `tests/browser/node_modules` (scripts/test.sh installs
//! them when it can); without them the test says SKIPPED on stderr and does nothing.

mod common;

#[path = "common/browser.rs"]
mod browser;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use leap::engine::votes::VoteTally;
use leap::phones::PhoneServer;
use leap::workshop::everyone::EndingShown;
use leap::workshop::flow::{SharedRoom, lock};
use leap::workshop::phones::{PhoneRoom, Question};
use leap::workshop::vote_debrief::{RoomDecision, VoteDebrief};

fn question(number: u32) -> Question {
    Question {
        number,
        speaker: Some("Priya Natarajan, team lead".into()),
        situation: "Sam's churn file went out with every returned shipment counted twice. It is his second \
                    missed deadline this month."
            .into(),
        prompt: Some("Whose problem is this now?".into()),
        options: vec![
            "Ask Priya to keep an eye on it for a few weeks.".into(),
            "Send the correction yourself, then book an hour with Sam.".into(),
            "Rebuild the file yourself tonight.".into(),
        ],
    }
}

/// The debrief of a workshop whose one decision the room took as A, the phone's vote.
fn room_debrief() -> VoteDebrief {
    VoteDebrief {
        ending: Some(EndingShown {
            id: "straight".into(),
            title: "Straight with the Customer".into(),
            verdict: "Strong",
            text: "The correction went out the same morning, and Sam owned the fix.".into(),
        }),
        decisions: vec![RoomDecision {
            number: 1,
            letter: "A".into(),
            chose: question(1).options[0].clone(),
            split: "A 1 · B 0 · C 0".into(),
            overrode_majority: false,
            lesson: "Own the outcome".into(),
            stance: Some("applies"),
            delta: [4, 0, -1],
        }],
        phone_votes: Default::default(),
    }
}

fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_phone_in_headless_chromium_joins_votes_changes_its_vote_and_sees_it_counted() {
    if let Some(why) = browser::missing() {
        eprintln!("SKIPPED: the real-browser phone test: {why} (scripts/test.sh installs it)");
        return;
    }
    let shots = common::scratch_dir("phones-browser");
    let room: SharedRoom = Arc::new(Mutex::new(PhoneRoom::new("PHONE7")));
    lock(&room).show(question(1));
    let mut server = PhoneServer::start("127.0.0.1:0".parse().unwrap(), room.clone()).unwrap();
    let address = server.address();
    let url = server.join_url();
    let mut script = browser::Script::start("phone.mjs", &[url.as_ref(), shots.as_os_str()]);
    let mut expect = |prefix: &str| script.expect(prefix);
    expect("DISCUSSING");
    assert_eq!(lock(&room).joined(), 1, "the page joined by itself");
    lock(&room).open_vote();
    expect("VOTED B");
    wait_until("B counted", || lock(&room).counts() == vec![0, 1, 0]);
    let pressed = expect("PRESSED");
    assert!(pressed.contains("Option A") && pressed.contains("(your vote)"), "{pressed}");
    expect("VOTED A");
    assert_eq!(lock(&room).counts(), vec![1, 0, 0], "the changed vote replaced the first");
    let ballots = lock(&room).close(&VoteTally::new(3));
    assert_eq!(ballots.phones.len(), 1, "one phone, one ballot");
    expect("SAW COUNT");
    expect("RELOADED");
    assert_eq!(lock(&room).joined(), 1, "the reload came back as the same phone");
    // The server goes away; the page says it is reconnecting; the server comes back.
    server.stop();
    expect("RECONNECTING");
    lock(&room).show(question(2));
    let _server = PhoneServer::start(address, room.clone()).unwrap();
    expect("RECOVERED");
    let width: u32 = expect("SCROLL WIDTH").rsplit(' ').next().unwrap().parse().unwrap();
    assert!(width <= 360, "the page scrolls sideways at 360 px: {width}");
    let target: u32 = expect("SMALLEST TARGET").rsplit(' ').next().unwrap().parse().unwrap();
    assert!(target >= 48, "a touch target is {target} px high");
    assert_eq!(expect("EXTERNAL REQUESTS"), "EXTERNAL REQUESTS 0");
    lock(&room).finish_with(room_debrief());
    let line = expect("DEBRIEF");
    assert!(line.contains("Decision 1: A. Ask Priya") && line.contains("Votes: A 1 · B 0 · C 0"), "{line}");
    assert!(line.contains("The room chose A; so did you.") && line.contains("Trust +4"), "{line}");
    assert_eq!(expect("SUMMARY"), "SUMMARY You voted with the room at 1 of the 1 decision you voted on.");
    expect("DONE");
    assert!(script.child.wait().unwrap().success());
    for shot in ["phone-voted.png", "phone-closed.png", "phone-debrief.png"] {
        assert!(shots.join(shot).metadata().is_ok_and(|m| m.len() > 1000), "{shot}");
    }
    eprintln!("screenshots: {}", shots.display());
}
