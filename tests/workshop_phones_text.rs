//! `leap workshop SCENARIO --text --phones --bind 127.0.0.1:0` end to end, as a facilitator and
//! three phones would use it: the Join line, the vote opened with V, the phones' live count,
//! the decision applied, the debrief and exports with every phone's ballot; and a SIGKILL in the
//! middle of a vote, resumed from the log with the closed votes all there.

mod common;

#[path = "common/http_client.rs"]
mod http_client;

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use http_client::Client;
use leap::record::read_log;

struct Workshop {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Workshop {
    fn start(args: &[&str], data: &Path) -> Workshop {
        let mut child = Command::new(env!("CARGO_BIN_EXE_leap"))
            .args(["--scenarios", common::root().join("scenarios").to_str().unwrap()])
            .args(args)
            .env("LEAP_DATA_DIR", data)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take().unwrap();
        Workshop { child, stdin, lines, seen: Vec::new() }
    }

    /// The first line (from now on) containing `text`; panics after 20 s with what was printed.
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100)) {
                self.seen.push(line.clone());
                if line.contains(text) {
                    return line;
                }
            }
        }
        panic!("`{text}` never appeared; printed:\n{}", self.seen.join("\n"));
    }

    fn key(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").unwrap();
        self.stdin.flush().unwrap();
    }
}

fn join_address(line: &str) -> (SocketAddr, String) {
    let url = line.strip_prefix("Join: http://").expect("the first line is the join address");
    let (address, query) = url.split_once('/').unwrap();
    (address.parse().unwrap(), query.trim_start_matches("?room=").to_string())
}

fn join(address: SocketAddr, code: &str) -> (Client, String) {
    let mut client = Client::connect(address).unwrap();
    let reply = client.post("/api/join", &format!(r#"{{"room":"{code}"}}"#)).unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    let token = reply.json()["token"].as_str().unwrap().to_string();
    (client, token)
}

fn vote(phone: &mut (Client, String), code: &str, option: &str) {
    let body = format!(r#"{{"room":"{code}","token":"{}","option":"{option}"}}"#, phone.1);
    let reply = phone.0.post("/api/vote", &body).unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// One beat: open the vote, the phones vote, the count shows, Enter applies, Enter goes on.
fn play_beat(workshop: &mut Workshop, phones: &mut [(Client, String)], code: &str, votes: [&str; 3]) -> String {
    workshop.wait_for("Keys: V (or Enter) opens the vote");
    workshop.key("V");
    workshop.wait_for("Room vote:");
    for (phone, option) in phones.iter_mut().zip(votes) {
        vote(phone, code, option);
    }
    workshop.wait_for("Phones: 3 of 3 have voted");
    workshop.key("");
    workshop.wait_for("The room voted")
}

#[test]
fn a_text_workshop_with_three_phones_survives_a_sigkill_mid_vote() {
    let data = common::scratch_dir("workshop-phones-text");
    let log = data.join("room.jsonl");
    let log_arg = log.to_str().unwrap();
    let args = ["workshop", "the-slipping-analyst", "--text", "--phones", "--bind", "127.0.0.1:0", "--seed", "3"];
    let mut workshop = Workshop::start(&[&args[..], &["--record", log_arg]].concat(), &data);
    let first = workshop.wait_for("Join: ");
    assert!(first.starts_with("Join: http://127.0.0.1:"), "the first line is the join address: {first}");
    assert!(workshop.seen.len() == 1, "nothing before the Join line: {:?}", workshop.seen);
    let (address, code) = join_address(&first);
    let mut phones: Vec<_> = (0..3).map(|_| join(address, &code)).collect();

    // Decision 1: B wins 2 to 1.
    let applied = play_beat(&mut workshop, &mut phones, &code, ["B", "B", "A"]);
    assert!(applied.contains("A:1 B:2") && applied.contains("applied B"), "{applied}");
    workshop.key("");
    // Decision 2 is voted, then the workshop is killed during its vote.
    workshop.wait_for("Keys: V (or Enter) opens the vote");
    workshop.key("V");
    workshop.wait_for("Room vote:");
    vote(&mut phones[0], &code, "A");
    workshop.wait_for("Phones: 1 of 3 have voted");
    workshop.child.kill().unwrap(); // SIGKILL on Unix
    workshop.child.wait().unwrap();

    let recorded = read_log(&log).unwrap();
    assert_eq!(recorded.decisions.len(), 1, "the closed vote is in the log");
    assert!(
        recorded.decisions[0].votes.as_deref().is_some_and(|v| v.starts_with(&[1, 2])),
        "{:?}",
        recorded.decisions[0]
    );
    let ballots = recorded.ballots_of(1).expect("the phones' ballots of decision 1");
    assert_eq!(ballots.phones.len(), 3);

    // Resume: the same room code, phones come back (their tokens are new: the server restarted).
    let resume_args = ["workshop", "--resume", log_arg, "--text", "--phones", "--bind", "127.0.0.1:0"];
    let mut workshop = Workshop::start(&resume_args, &data);
    let first = workshop.wait_for("Join: ");
    let (address, resumed_code) = join_address(&first);
    assert_eq!(resumed_code, code, "the room code survives the resume");
    workshop.wait_for("Resumed from the log at decision 2");
    let mut phones: Vec<_> = (0..3).map(|_| join(address, &code)).collect();
    let mut beats = 1;
    loop {
        play_beat(&mut workshop, &mut phones, &code, ["A", "B", "A"]);
        beats += 1;
        workshop.key("");
        let next = loop {
            let line = workshop.wait_for("");
            if line.contains("Room debrief") || line.contains("decision ") && line.starts_with("== ") {
                break line;
            }
        };
        if next.contains("Room debrief") {
            break;
        }
        assert!(beats < 20, "the scenario never ended");
    }
    let export = workshop.wait_for("Export: ");
    workshop.wait_for("Press Enter to end the workshop.");
    let phone_state = phones[0].0.get(&format!("/api/state?room={code}")).unwrap().json();
    assert_eq!(phone_state["phase"], "finished", "the phones see the end");
    workshop.key("");
    assert!(workshop.child.wait().unwrap().success());

    let recorded = read_log(&log).unwrap();
    assert_eq!(recorded.decisions.len(), beats, "every decision, before and after the kill");
    assert!(recorded.decisions.iter().all(|d| recorded.ballots_of(d.number).is_some_and(|b| b.phones.len() == 3)));
    assert_eq!(recorded.ends.len(), 1);
    let csv_path = Path::new(export.trim_start_matches("Export: ")).with_extension("csv");
    let csv = std::fs::read_to_string(csv_path).unwrap();
    assert_eq!(csv.lines().count(), beats + 1);
    assert!(csv.lines().nth(1).unwrap().contains("A:1 B:2"), "{csv}");
}

/// A phone's choice in "everyone plays" at decision `number`: the first choice it can take.
fn choose(phone: &mut (Client, String), code: &str, number: u32) {
    let body = format!(r#"{{"room":"{code}","token":"{}","choice":"A","number":{number}}}"#, phone.1);
    let reply = phone.0.post("/api/choose", &body).unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// Plays the phone's run from decision `from` to its ending; returns its decisions in all.
fn play_to_end(phone: &mut (Client, String), code: &str, from: u32) -> u32 {
    let mut number = from;
    loop {
        let state = phone.0.get(&format!("/api/state?room={code}&token={}", phone.1)).unwrap().json();
        if !state["play"]["ending"].is_null() {
            return number - 1;
        }
        assert_eq!(state["play"]["number"], number, "{state}");
        choose(phone, code, number);
        number += 1;
        assert!(number < 30, "the run never ended");
        // At a person's pace (a flooding phone is rate-limited).
        std::thread::sleep(Duration::from_millis(120));
    }
}

#[test]
fn everyone_plays_in_the_terminal_survives_a_sigkill_mid_round() {
    let data = common::scratch_dir("workshop-everyone-text");
    let log = data.join("everyone.jsonl");
    let log_arg = log.to_str().unwrap();
    let args = ["workshop", "the-slipping-analyst", "--text", "--phones", "--everyone-plays", "--bind", "127.0.0.1:0"];
    let mut workshop = Workshop::start(&[&args[..], &["--seed", "5", "--record", log_arg]].concat(), &data);
    let first = workshop.wait_for("Join: ");
    assert!(workshop.seen.len() == 1, "nothing before the Join line: {:?}", workshop.seen);
    let (address, code) = join_address(&first);
    let mut phones: Vec<_> = (0..3).map(|_| join(address, &code)).collect();
    // Each at its own pace: three, two and one decisions.
    for (i, phone) in phones.iter_mut().enumerate() {
        for number in 1..=(3 - i as u32) {
            choose(phone, &code, number);
        }
    }
    workshop.wait_for("Playing: 3 started, 0 finished of 3 joined");
    workshop.child.kill().unwrap(); // SIGKILL on Unix
    workshop.child.wait().unwrap();
    let recorded = read_log(&log).unwrap();
    assert_eq!(recorded.phone_decisions.len(), 6, "every phone decision made before the kill is in the log");

    let resume_args = ["workshop", "--resume", log_arg, "--text", "--phones", "--bind", "127.0.0.1:0"];
    let mut workshop = Workshop::start(&resume_args, &data);
    let first = workshop.wait_for("Join: ");
    let (address, resumed_code) = join_address(&first);
    assert_eq!(resumed_code, code, "the room code survives the resume");
    workshop.wait_for("Resumed from the log: 3 phone runs with 6 decisions.");
    // The phones come back with their tokens (the page keeps them) and go on where they were.
    let mut decided = 0;
    for (i, phone) in phones.iter_mut().enumerate() {
        phone.0 = Client::connect(address).unwrap();
        let body = format!(r#"{{"room":"{code}","token":"{}"}}"#, phone.1);
        let back = phone.0.post("/api/join", &body).unwrap().json();
        assert_eq!(back["rejoined"], true, "phone {i} is recognised: {back}");
        decided += play_to_end(phone, &code, 4 - i as u32);
    }
    workshop.wait_for("Playing: 3 started, 3 finished of 3 joined");
    workshop.key("E");
    workshop.wait_for("== Room aggregate: The Slipping Analyst ==");
    workshop.wait_for("Endings reached:");
    let sentence = workshop.wait_for("at the first beat.");
    assert!(sentence.contains("3 of 3 chose"), "{sentence}");
    let export = workshop.wait_for("Export: ");
    workshop.wait_for("Press Enter to end the workshop.");
    let path = format!("/api/state?room={code}&token={}", phones[0].1);
    let debrief = phones[0].0.get(&path).unwrap().json();
    assert_eq!(debrief["phase"], "debrief");
    assert!(debrief["play"]["debrief"]["timeline"][0]["sentence"].as_str().unwrap().contains("of 3"));
    workshop.key("");
    assert!(workshop.child.wait().unwrap().success());

    let recorded = read_log(&log).unwrap();
    assert_eq!(recorded.phone_decisions.len() as u32, decided, "every decision, before and after the kill");
    assert!(recorded.round_end.is_some());
    let base = Path::new(export.trim_start_matches("Export: "));
    let csv = std::fs::read_to_string(base.with_extension("csv")).unwrap();
    assert_eq!(csv.lines().count() as u32, decided + 1, "a row per phone decision");
    let xapi_path = base.with_file_name(base.file_stem().unwrap().to_string_lossy().to_string() + ".xapi.json");
    let statements: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(xapi_path).unwrap()).unwrap();
    let actors: std::collections::BTreeSet<String> = statements
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["actor"]["account"]["name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(actors.len(), 3, "one xAPI actor per phone: {actors:?}");
    let home = recorded.header.options["phones"]["home_page"].as_str().unwrap();
    assert!(statements.as_array().unwrap().iter().all(|s| s["actor"]["account"]["homePage"] == home));
}
