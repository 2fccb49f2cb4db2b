//! "Everyone plays" on the phone page in a real browser: Debian's headless Chromium at a
//! phone's size (360×740), driven by tests/browser/play.mjs on the real server on 127.0.0.1,
//! plays a whole scenario (the beat, a consequence with its meters and lesson, Continue, a
//! reload in the middle), reaches its ending, and after the facilitator ends the round shows
//! its personal debrief. Screenshots land in target/tmp.
//!
//! Needs `node`, `/usr/bin/chromium` and `tests/browser/node_modules` (scripts/test.sh installs
//! them when it can); without them the test says SKIPPED on stderr and does nothing.

mod common;

#[path = "common/browser.rs"]
mod browser;

use std::sync::{Arc, Mutex};

use leap::phones::PhoneServer;
use leap::workshop::everyone::EveryonePlays;
use leap::workshop::flow::{SharedRoom, lock};
use leap::workshop::phones::PhoneRoom;

#[test]
fn a_phone_in_headless_chromium_plays_a_whole_scenario_and_reaches_its_debrief() {
    if let Some(why) = browser::missing() {
        eprintln!("SKIPPED: the real-browser everyone-plays test: {why} (scripts/test.sh installs it)");
        return;
    }
    let shots = common::scratch_dir("phones-everyone-browser");
    let room: SharedRoom = Arc::new(Mutex::new(PhoneRoom::new("PLAY23")));
    let scenario = common::shipped().scenario("the-slipping-analyst").unwrap().clone();
    lock(&room).start_everyone_plays(EveryonePlays::new(scenario, 21), None);
    let server = PhoneServer::start("127.0.0.1:0".parse().unwrap(), room.clone()).unwrap();
    let url = server.join_url();
    let mut script = browser::Script::start("play.mjs", &[url.as_ref(), shots.as_os_str()]);
    let target: u32 = script.expect("SMALLEST TARGET").rsplit(' ').next().unwrap().parse().unwrap();
    assert!(target >= 48, "a choice's touch target is {target} px high");
    script.expect("CHOSE 1");
    let meters = script.expect("METERS");
    for label in ["Trust", "Strategic impact", "Team engagement"] {
        assert!(meters.contains(label), "the meters are labelled: {meters}");
    }
    assert!(meters.chars().any(|c| c.is_ascii_digit()), "with numbers: {meters}");
    assert!(script.expect("LESSON").contains("the lesson"));
    script.expect("RELOADED");
    assert_eq!(lock(&room).joined(), 1, "the reload came back as the same phone");
    let ending = script.expect("ENDED");
    assert!(ending.starts_with("ENDED Your ending: "), "{ending}");
    let progress = lock(&room).progress().unwrap();
    assert_eq!((progress.started, progress.finished), (1, 1));
    let made = {
        let room = lock(&room);
        let play = room.everyone().unwrap();
        let phone = play.keys()[0].0.clone();
        play.session(&phone).unwrap().decisions_made()
    };
    assert!(made >= 5, "a whole scenario is several decisions: {made}");
    lock(&room).end_round();
    let debrief = script.expect("DEBRIEF");
    assert!(debrief.contains("Decision 1") && debrief.contains("You chose like 1 of 1."), "{debrief}");
    assert!(script.expect("ROOM").contains("at the first beat"));
    let width: u32 = script.expect("SCROLL WIDTH").rsplit(' ').next().unwrap().parse().unwrap();
    assert!(width <= 360, "the page scrolls sideways at 360 px: {width}");
    assert_eq!(script.expect("EXTERNAL REQUESTS"), "EXTERNAL REQUESTS 0");
    script.expect("DONE");
    assert!(script.child.wait().unwrap().success());
    for shot in ["play-beat.png", "play-consequence.png", "play-ending.png", "play-debrief.png"] {
        assert!(shots.join(shot).metadata().is_ok_and(|m| m.len() > 1000), "{shot}");
    }
    eprintln!("screenshots: {}", shots.display());
}
