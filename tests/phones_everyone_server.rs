//! "Everyone plays" over real sockets on 127.0.0.1: `POST /api/choose` plays a phone's own run
//! to its ending and its personal debrief, `GET /api/state` carries the phone's view with a
//! version that other phones' decisions leave alone, and every bad choose request is a 4xx
//! with a short reason (issue 12, part B).

mod common;

#[path = "common/http_client.rs"]
mod http_client;

use std::sync::{Arc, Mutex};

use http_client::Client;
use leap::phones::PhoneServer;
use leap::workshop::everyone::EveryonePlays;
use leap::workshop::flow::{SharedRoom, lock};
use leap::workshop::phones::PhoneRoom;

const CODE: &str = "ABC234";

fn playing_server() -> (PhoneServer, SharedRoom) {
    let room: SharedRoom = Arc::new(Mutex::new(PhoneRoom::new(CODE)));
    let scenario = common::shipped().scenario("the-slipping-analyst").unwrap().clone();
    lock(&room).start_everyone_plays(EveryonePlays::new(scenario, 4), None);
    let server = PhoneServer::start("127.0.0.1:0".parse().unwrap(), room.clone()).unwrap();
    (server, room)
}

fn join(client: &mut Client) -> String {
    let reply = client.post("/api/join", &format!(r#"{{"room":"{CODE}"}}"#)).unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["token"].as_str().unwrap().to_string()
}

fn state(client: &mut Client, token: &str, since: u64) -> serde_json::Value {
    let reply = client.get(&format!("/api/state?room={CODE}&token={token}&since={since}")).unwrap();
    assert_eq!(reply.status, 200);
    reply.json()
}

#[test]
fn a_phone_plays_its_run_to_the_ending_and_gets_its_debrief() {
    let (server, room) = playing_server();
    let mut client = Client::connect(server.address()).unwrap();
    let token = join(&mut client);
    let mut made = 0;
    loop {
        let view = state(&mut client, &token, 0);
        assert_eq!(view["phase"], "playing");
        let play = &view["play"];
        if !play["ending"].is_null() {
            break;
        }
        let number = play["number"].as_u64().unwrap();
        assert_eq!(number, made + 1);
        let letter = play["choices"].as_array().unwrap().iter().find_map(|c| c["letter"].as_str()).unwrap().to_string();
        let body = format!(r#"{{"room":"{CODE}","token":"{token}","choice":"{letter}","number":{number}}}"#);
        let reply = client.post("/api/choose", &body).unwrap();
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.json()["decided"], number);
        made += 1;
        let after = state(&mut client, &token, 0);
        let last = &after["play"]["last"];
        assert_eq!(last["number"], number);
        for key in ["trust", "strategic_impact", "team_engagement"] {
            assert!(last["meters_after"][key].is_i64(), "{last}");
        }
        assert!(last["lesson"]["name"].is_string() && last["feedback"].is_string());
        assert!(made < 30, "the run never ended");
        // At a person's pace: a phone that floods is rate-limited (see phones_server.rs).
        std::thread::sleep(std::time::Duration::from_millis(150));
    }
    let over = client.post("/api/choose", &format!(r#"{{"room":"{CODE}","token":"{token}","choice":"A"}}"#)).unwrap();
    assert_eq!(over.status, 409);
    assert!(over.json()["error"].as_str().unwrap().contains("already ended"));
    lock(&room).end_round();
    let done = state(&mut client, &token, 0);
    assert_eq!(done["phase"], "debrief");
    let timeline = done["play"]["debrief"]["timeline"].as_array().unwrap();
    assert_eq!(timeline.len() as u64, made);
    assert_eq!(timeline[0]["sentence"], "You chose like 1 of 1.");
    assert_eq!(done["play"]["debrief"]["room"]["endings"][0]["count"], 1);
}

#[test]
fn another_phones_decision_leaves_this_phones_state_unchanged() {
    let (server, _room) = playing_server();
    let mut one = Client::connect(server.address()).unwrap();
    let mut two = Client::connect(server.address()).unwrap();
    let (a, b) = (join(&mut one), join(&mut two));
    let version = state(&mut one, &a, 0)["version"].as_u64().unwrap();
    for number in 1..=3 {
        let body = format!(r#"{{"room":"{CODE}","token":"{b}","choice":"A","number":{number}}}"#);
        assert_eq!(two.post("/api/choose", &body).unwrap().status, 200);
    }
    let reply = one.get(&format!("/api/state?room={CODE}&token={a}&since={version}")).unwrap();
    assert!(reply.body.len() < 60, "an unchanged poll is a few bytes: {}", reply.text());
    assert_eq!(reply.json()["unchanged"], true);
    let body = format!(r#"{{"room":"{CODE}","token":"{a}","choice":"B","number":1}}"#);
    assert_eq!(one.post("/api/choose", &body).unwrap().status, 200);
    let changed = state(&mut one, &a, version);
    assert!(changed["version"].as_u64().unwrap() > version);
    assert_eq!(changed["play"]["number"], 2);
}

#[test]
fn bad_choose_requests_get_a_4xx_with_a_short_reason() {
    let (server, room) = playing_server();
    let mut client = Client::connect(server.address()).unwrap();
    let token = join(&mut client);
    let cases = [
        (r#"{"room":"ABC234","token":"TOKEN","choice":"Z"}"#, 422, "unknown choice"),
        (r#"{"room":"ABC234","token":"TOKEN","choice":"AB"}"#, 422, "unknown choice"),
        (r#"{"room":"ABC234","token":"TOKEN","choice":"A","number":5}"#, 409, "already decided"),
        (r#"{"room":"ABC234","token":"nobody","choice":"A"}"#, 401, "unknown token"),
        (r#"{"room":"ABC234","choice":"A"}"#, 401, "needs the token"),
        (r#"{"room":"ABC234","token":"TOKEN","choice":1}"#, 400, "bad choose request"),
        (r#"{"room":"ABC234","token":"TOKEN","choice":"A","number":-1}"#, 400, "bad choose request"),
        (r#"{"room":"ABC234", "token": "#, 400, "malformed JSON"),
        (r#"{"room":"WRONG9","token":"TOKEN","choice":"A"}"#, 403, "wrong room code"),
        (r#"{"token":"TOKEN","choice":"A"}"#, 403, "room code is missing"),
    ];
    for (body, status, reason) in cases {
        let reply = client.post("/api/choose", &body.replace("TOKEN", &token)).unwrap();
        assert_eq!(reply.status, status, "{body}: {}", reply.text());
        let error = reply.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(error.contains(reason) && error.len() < 160, "{body}: {error}");
    }
    assert_eq!(client.get(&format!("/api/choose?room={CODE}")).unwrap().status, 405);
    assert_eq!(lock(&room).progress().unwrap().started, 0, "nothing bad was played");
    // A vote is not a choice: in "everyone plays" no vote is open.
    let vote = client.post("/api/vote", &format!(r#"{{"room":"{CODE}","token":"{token}","option":"A"}}"#)).unwrap();
    assert_eq!(vote.status, 409);
    lock(&room).end_round();
    let late = client.post("/api/choose", &format!(r#"{{"room":"{CODE}","token":"{token}","choice":"A"}}"#)).unwrap();
    assert_eq!(late.status, 409);
    assert!(late.json()["error"].as_str().unwrap().contains("ended the round"));
}

#[test]
fn choosing_in_a_room_that_votes_is_refused() {
    let room: SharedRoom = Arc::new(Mutex::new(PhoneRoom::new(CODE)));
    let server = PhoneServer::start("127.0.0.1:0".parse().unwrap(), room).unwrap();
    let mut client = Client::connect(server.address()).unwrap();
    let token = join(&mut client);
    let reply = client.post("/api/choose", &format!(r#"{{"room":"{CODE}","token":"{token}","choice":"A"}}"#)).unwrap();
    assert_eq!(reply.status, 409);
    assert!(reply.json()["error"].as_str().unwrap().contains("not playing"));
}
