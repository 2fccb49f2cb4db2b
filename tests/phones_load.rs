//! Loopback load test: 200 simulated phones join, poll and vote (each changing its vote once
//! in every other phone) against the real server on 127.0.0.1; every vote is counted exactly
//! once and nothing fails. Bounded: 200 phones, a 60-second deadline. And "everyone plays":
//! 50 phones each play a whole scenario at their own pace, every decision is logged and
//! counted exactly once, and each phone gets its debrief when the round ends. The figures (latency
//! percentiles, CPU, memory) come from the benchmark, `cargo run --release --example phones_load`.

mod common;

#[path = "common/http_client.rs"]
mod http_client;
#[path = "common/phone_load.rs"]
mod phone_load;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use leap::engine::votes::VoteTally;
use leap::phones::PhoneServer;
use leap::record::read_log;
use leap::workshop::everyone_flow::EveryoneWorkshop;
use leap::workshop::flow::{SharedRoom, lock};
use leap::workshop::phones::{PhoneRoom, Question};
use leap::workshop::{WorkshopConfig, WorkshopTarget};

const PHONES: usize = 200;
const OPTIONS: usize = 3;

#[test]
fn two_hundred_phones_vote_and_every_vote_counts_once() {
    let room: SharedRoom = Arc::new(Mutex::new(PhoneRoom::new("LOAD23")));
    lock(&room).show(Question {
        number: 1,
        speaker: None,
        situation: "Load test".into(),
        prompt: None,
        options: (0..OPTIONS).map(|i| format!("option {i}")).collect(),
    });
    let server = PhoneServer::start("127.0.0.1:0".parse().unwrap(), room.clone()).unwrap();
    let address = server.address();
    let deadline = Instant::now() + Duration::from_secs(60);
    let phones: Vec<_> = (0..PHONES)
        .map(|i| {
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || phone_load::phone(address, "LOAD23", i, OPTIONS, Duration::from_millis(500), deadline))
                .unwrap()
        })
        .collect();
    while lock(&room).joined() < PHONES && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(lock(&room).joined(), PHONES, "every phone joined");
    lock(&room).open_vote();
    while lock(&room).voted() < PHONES && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Let the second votes (the changes) land, then close.
    std::thread::sleep(Duration::from_millis(300));
    let runs: Vec<_> = phones.into_iter().map(|p| p.join().expect("no phone thread panicked")).collect();
    let ballots = lock(&room).close(&VoteTally::new(OPTIONS));
    let errors: Vec<&String> = runs.iter().flat_map(|r| &r.errors).collect();
    assert!(errors.is_empty(), "{} errors, first: {:?}", errors.len(), &errors[..errors.len().min(5)]);
    let mut expected = vec![0u32; OPTIONS];
    for (i, run) in runs.iter().enumerate() {
        assert_eq!(run.final_vote, Some(phone_load::expected_vote(i, OPTIONS)), "phone {i}");
        expected[phone_load::expected_vote(i, OPTIONS)] += 1;
    }
    assert_eq!(ballots.phones.len(), PHONES, "one ballot per phone");
    assert_eq!(ballots.phone_counts(OPTIONS), expected, "each phone's last vote counted exactly once");
    let requests: usize = runs.iter().map(|r| r.latencies.len()).sum();
    assert!(requests >= PHONES * 4, "{requests} requests");
    assert!(Instant::now() < deadline, "the load test ran past its deadline");
}

const PLAYERS: usize = 50;

#[test]
fn fifty_phones_play_a_whole_scenario_and_every_decision_counts_once() {
    let dir = common::scratch_dir("phones-load-everyone");
    let log = dir.join("everyone.jsonl");
    let room: SharedRoom = Arc::new(Mutex::new(PhoneRoom::new("PLAY45")));
    let scenario = common::shipped().scenario("the-slipping-analyst").unwrap().clone();
    let config = WorkshopConfig {
        name: "Load".into(),
        target: WorkshopTarget::Scenario(scenario.id.clone()),
        seed: Some(45),
        ..WorkshopConfig::default()
    };
    let server = PhoneServer::start("127.0.0.1:0".parse().unwrap(), room.clone()).unwrap();
    let mut workshop = EveryoneWorkshop::start(config, scenario, &log, room.clone(), &server.home_page()).unwrap();
    let address = server.address();
    let deadline = Instant::now() + Duration::from_secs(60);
    let phones: Vec<_> = (0..PLAYERS)
        .map(|i| {
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    let (interval, think) = (Duration::from_millis(300), Duration::from_millis(40));
                    phone_load::player(address, "PLAY45", i, interval, think, deadline)
                })
                .unwrap()
        })
        .collect();
    while (workshop.progress().finished < PLAYERS) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let progress = workshop.progress();
    assert_eq!((progress.joined, progress.started, progress.finished), (PLAYERS, PLAYERS, PLAYERS));
    let aggregate = workshop.end_round().expect("the aggregate");
    let runs: Vec<_> = phones.into_iter().map(|p| p.join().expect("no phone thread panicked")).collect();
    let errors: Vec<&String> = runs.iter().flat_map(|r| &r.errors).collect();
    assert!(errors.is_empty(), "{} errors, first: {:?}", errors.len(), &errors[..errors.len().min(5)]);
    let accepted: usize = runs.iter().map(|r| r.decisions.len()).sum();
    for (i, run) in runs.iter().enumerate() {
        assert!(run.ended && run.debriefed, "player {i} ended {} and got its debrief {}", run.ended, run.debriefed);
        let numbers: Vec<u32> = run.decisions.iter().map(|d| d.0).collect();
        assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>(), "player {i} decided each beat once");
    }
    // Every decision once: in the log (which also checks each phone's numbering) and in the split.
    let recorded = read_log(&log).unwrap();
    assert_eq!(recorded.phone_decisions.len(), accepted, "every accepted decision is in the log once");
    assert_eq!(aggregate.beats.iter().map(|b| b.decided).sum::<usize>(), accepted);
    assert_eq!(aggregate.endings.iter().map(|e| e.count).sum::<usize>(), PLAYERS);
    assert!(accepted >= PLAYERS * 5, "{accepted} decisions");
    assert!(Instant::now() < deadline, "the load test ran past its deadline");
}
