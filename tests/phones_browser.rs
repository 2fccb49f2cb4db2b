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

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use leap::engine::votes::VoteTally;
use leap::phones::PhoneServer;
use leap::workshop::flow::{SharedRoom, lock};
use leap::workshop::phones::{PhoneRoom, Question};

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
    let mut child = Command::new("node")
        .arg(common::root().join("tests/browser/phone.mjs"))
        .arg(server.join_url())
        .arg(&shots)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let (sender, lines) = channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let mut seen: Vec<String> = Vec::new();
    let mut expect = |prefix: &str| -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match lines.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    seen.push(line.clone());
                    if line.starts_with(prefix) {
                        return line;
                    }
                }
                Err(_) if Instant::now() > deadline => panic!("the browser never said {prefix}; it said {seen:?}"),
                Err(_) => {}
            }
        }
    };
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
    expect("DONE");
    assert!(child.wait().unwrap().success());
    for shot in ["phone-voted.png", "phone-closed.png"] {
        assert!(shots.join(shot).metadata().is_ok_and(|m| m.len() > 1000), "{shot}");
    }
    eprintln!("screenshots: {}", shots.display());
}
