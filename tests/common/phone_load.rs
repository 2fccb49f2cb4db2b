//! Simulated phones for the load test and the benchmark: each joins, polls the state every
//! `interval` as the phone page does, votes once the vote opens, changes its vote (every other
//! phone), and polls a few more times. Every request's latency is kept.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::http_client::Client;

pub struct PhoneRun {
    pub latencies: Vec<Duration>,
    /// The option this phone's last accepted vote was for (0 = A).
    pub final_vote: Option<usize>,
    pub errors: Vec<String>,
}

/// The option phone `index` ends up voting for, among `options`.
pub fn expected_vote(index: usize, options: usize) -> usize {
    if index.is_multiple_of(2) { (index + 1) % options } else { index % options }
}

pub fn phone(
    address: SocketAddr,
    code: &str,
    index: usize,
    options: usize,
    interval: Duration,
    deadline: Instant,
) -> PhoneRun {
    let mut run = PhoneRun { latencies: Vec::new(), final_vote: None, errors: Vec::new() };
    let mut client = match Client::connect(address) {
        Ok(client) => client,
        Err(e) => {
            run.errors.push(format!("phone {index}: cannot connect: {e}"));
            return run;
        }
    };
    let mut timed = |client: &mut Client,
                     request: &dyn Fn(&mut Client) -> std::io::Result<super::http_client::Reply>| {
        let started = Instant::now();
        let reply = request(client);
        run.latencies.push(started.elapsed());
        reply
    };
    let token = match timed(&mut client, &|c| c.post("/api/join", &format!(r#"{{"room":"{code}"}}"#))) {
        Ok(reply) if reply.status == 200 => reply.json()["token"].as_str().unwrap_or_default().to_string(),
        Ok(reply) => {
            run.errors.push(format!("phone {index}: join gave {}: {}", reply.status, reply.text()));
            return run;
        }
        Err(e) => {
            run.errors.push(format!("phone {index}: join failed: {e}"));
            return run;
        }
    };
    // Spread the phones' polls over the interval, as real phones joining at different times are.
    std::thread::sleep(interval.mul_f64((index % 97) as f64 / 97.0));
    let mut version = 0u64;
    let mut voted_first = false;
    let mut polls_after = 0;
    let vote_for = |option: usize| {
        format!(r#"{{"room":"{code}","token":"{token}","option":"{}"}}"#, (b'A' + option as u8) as char)
    };
    while Instant::now() < deadline {
        let path = format!("/api/state?room={code}&token={token}&since={version}");
        let state = match timed(&mut client, &|c| c.get(&path)) {
            Ok(reply) if reply.status == 200 => reply.json(),
            Ok(reply) => {
                run.errors.push(format!("phone {index}: state gave {}: {}", reply.status, reply.text()));
                return run;
            }
            Err(e) => {
                run.errors.push(format!("phone {index}: state failed: {e}"));
                return run;
            }
        };
        if state["unchanged"] != true {
            version = state["version"].as_u64().unwrap_or(0);
            if state["phase"] == "voting" && !voted_first {
                let first = index % options;
                for option in [first, expected_vote(index, options)] {
                    let body = vote_for(option);
                    match timed(&mut client, &|c| c.post("/api/vote", &body)) {
                        Ok(reply) if reply.status == 200 => run.final_vote = Some(option),
                        Ok(reply) => {
                            run.errors.push(format!("phone {index}: vote gave {}: {}", reply.status, reply.text()))
                        }
                        Err(e) => run.errors.push(format!("phone {index}: vote failed: {e}")),
                    }
                }
                voted_first = true;
            }
            if state["phase"] == "closed" || state["phase"] == "finished" {
                break;
            }
        }
        if voted_first {
            polls_after += 1;
            if polls_after > 3 {
                break;
            }
        }
        std::thread::sleep(interval);
    }
    if !voted_first {
        run.errors.push(format!("phone {index}: the vote never opened before the deadline"));
    }
    run
}

/// The p-th percentile (0..=100) of sorted latencies, in milliseconds.
pub fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// One simulated player in "everyone plays".
pub struct PlayerRun {
    pub latencies: Vec<Duration>,
    /// Decisions the server accepted, in order: (number, letter).
    pub decisions: Vec<(u32, char)>,
    pub ended: bool,
    /// The personal debrief arrived (after the round ended).
    pub debriefed: bool,
    pub errors: Vec<String>,
}

/// The letter player `index` takes at decision `number`, among `available` choices.
pub fn player_pick(index: usize, number: u32, available: usize) -> char {
    (b'A' + ((index + number as usize) % available.max(1)) as u8) as char
}

/// A phone in "everyone plays": joins, polls every `interval`, and at each new beat waits
/// `think`, then chooses (with the decision number, as the page does), until its run ends;
/// then polls until its personal debrief arrives or the deadline passes.
pub fn player(
    address: SocketAddr,
    code: &str,
    index: usize,
    interval: Duration,
    think: Duration,
    deadline: Instant,
) -> PlayerRun {
    let mut run =
        PlayerRun { latencies: Vec::new(), decisions: Vec::new(), ended: false, debriefed: false, errors: Vec::new() };
    let mut client = match Client::connect(address) {
        Ok(client) => client,
        Err(e) => {
            run.errors.push(format!("player {index}: cannot connect: {e}"));
            return run;
        }
    };
    let timed = |client: &mut Client, request: &dyn Fn(&mut Client) -> std::io::Result<super::http_client::Reply>| {
        let started = Instant::now();
        let reply = request(client);
        (started.elapsed(), reply)
    };
    let (took, joined) = timed(&mut client, &|c| c.post("/api/join", &format!(r#"{{"room":"{code}"}}"#)));
    run.latencies.push(took);
    let token = match joined {
        Ok(reply) if reply.status == 200 => reply.json()["token"].as_str().unwrap_or_default().to_string(),
        other => {
            run.errors.push(format!("player {index}: join failed: {:?}", other.map(|r| r.status)));
            return run;
        }
    };
    std::thread::sleep(interval.mul_f64((index % 97) as f64 / 97.0));
    let mut version = 0u64;
    while Instant::now() < deadline {
        let path = format!("/api/state?room={code}&token={token}&since={version}");
        let (took, reply) = timed(&mut client, &|c| c.get(&path));
        run.latencies.push(took);
        let state = match reply {
            Ok(reply) if reply.status == 200 => reply.json(),
            other => {
                run.errors.push(format!("player {index}: state failed: {:?}", other.map(|r| r.status)));
                return run;
            }
        };
        if state["unchanged"] != true {
            version = state["version"].as_u64().unwrap_or(0);
            let play = &state["play"];
            if !play["debrief"].is_null() {
                run.debriefed = true;
                break;
            }
            run.ended = !play["ending"].is_null();
            if state["phase"] == "playing" && !run.ended && play.is_object() {
                let number = play["number"].as_u64().unwrap_or(0) as u32;
                let available =
                    play["choices"].as_array().map_or(0, |c| c.iter().filter(|c| c["letter"].is_string()).count());
                let letter = player_pick(index, number, available);
                std::thread::sleep(think);
                let body = format!(r#"{{"room":"{code}","token":"{token}","choice":"{letter}","number":{number}}}"#);
                let (took, reply) = timed(&mut client, &|c| c.post("/api/choose", &body));
                run.latencies.push(took);
                match reply {
                    Ok(reply) if reply.status == 200 => run.decisions.push((number, letter)),
                    Ok(reply) => {
                        run.errors.push(format!("player {index}: choose gave {}: {}", reply.status, reply.text()))
                    }
                    Err(e) => run.errors.push(format!("player {index}: choose failed: {e}")),
                }
                // Straight on to the next beat, as a person who has read the consequence.
                continue;
            }
        }
        std::thread::sleep(interval);
    }
    run
}
