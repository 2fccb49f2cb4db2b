//! "Everyone plays" in the game, headless: F4 in the workshop setup picks it, Enter starts the
//! round on the projector (join panel, "0 started · 0 finished of 0 joined"), phones play
//! through the core while the projector's count follows, E shows the room's aggregate (the
//! endings with written counts, each beat's split, the debrief sentences) with the exports
//! written and the statements sent to a loopback LRS (one agent per phone), and Esc leaves,
//! stopping the server. The session log holds every phone decision and the round's end.
#![cfg(feature = "game")]

mod common;

#[path = "common/lrs_stub.rs"]
mod lrs_stub;

use std::time::Instant;

use bevy::input::keyboard::Key;
use bevy::prelude::*;
use leap::game::{EveryoneRound, LrsLink, PhoneSettings, Screen, Settings};
use leap::record::read_log;
use leap::workshop::everyone_flow::record_choice;
use leap::workshop::flow::lock;
use leap::workshop::phones::PhoneOptions;

fn settle(app: &mut App) {
    for _ in 0..3 {
        app.update();
    }
}

fn enter(app: &mut App) {
    common::press_key(app, KeyCode::Enter, Key::Enter);
    settle(app);
}

#[test]
fn everyone_plays_on_the_projector_from_setup_to_the_rooms_aggregate() {
    let data = common::scratch_dir("workshop-everyone-headless");
    let mut app = common::headless_game(&data, &common::root().join("scenarios"));
    let options = PhoneOptions { bind: Some("127.0.0.1:0".parse().unwrap()), ..PhoneOptions::default() };
    app.insert_resource(PhoneSettings { enabled: true, options });
    app.world_mut().resource_mut::<NextState<Screen>>().set(Screen::WorkshopSetup);
    settle(&mut app);
    // The organisation's LRS, as the settings screen sets it (after the first frames,
    // so the game sees the change).
    let (port, received) = lrs_stub::stub_lrs();
    app.world_mut().resource_mut::<Settings>().lrs.url = format!("http://127.0.0.1:{port}/xapi");
    assert!(common::screen_text(&mut app).contains("Phones: the room votes together. F4: everyone plays"));
    common::tap_key(&mut app, KeyCode::F4);
    settle(&mut app);
    assert!(app.world().resource::<PhoneSettings>().options.everyone_plays, "F4 picks everyone plays");
    assert!(common::screen_text(&mut app).contains("Phones: everyone plays"));
    enter(&mut app);
    assert_eq!(common::screen(&app), Screen::WorkshopEveryone, "{}", common::screen_text(&mut app));
    let text = common::screen_text(&mut app);
    assert!(text.contains("0 started · 0 finished of 0 joined"), "{text}");
    assert!(text.contains("Join from your phone") && text.contains("Room code: "), "{text}");
    let (room, url, scenario) = {
        let round = app.world().resource::<EveryoneRound>();
        (round.workshop.room.clone(), round.server.join_url(), round.workshop.scenario.clone())
    };
    assert!(text.contains(&url), "the join address is on the projector: {text}");

    // Two phones: one plays to its ending, the other decides once.
    let now = Instant::now();
    let one = lock(&room).join(None, None, now).unwrap();
    let two = lock(&room).join(None, None, now).unwrap();
    for number in 1..30 {
        let over = lock(&room).everyone().unwrap().session(&one.phone).is_some_and(|s| s.is_over());
        if over {
            break;
        }
        record_choice(&room, &one.token, "A", Some(number), now).unwrap().1.unwrap();
    }
    record_choice(&room, &two.token, "B", Some(1), now).unwrap().1.unwrap();
    settle(&mut app);
    let text = common::screen_text(&mut app);
    assert!(text.contains("2 started · 1 finished of 2 joined"), "the count follows the phones: {text}");

    common::tap_key(&mut app, KeyCode::KeyE);
    settle(&mut app);
    let text = common::screen_text(&mut app);
    assert!(text.contains("Endings reached") && text.contains("1 phone"), "{text}");
    let ending = lock(&room).everyone().unwrap().session(&one.phone).unwrap().ending(&scenario).unwrap().title.clone();
    assert!(text.contains(&ending), "the ending reached is named: {text}");
    assert!(text.contains("The first beat · 2 decided"), "{text}");
    assert!(
        text.contains("The room split evenly at the first beat: 1 of 2 each chose"),
        "the room debrief's sentences: {text}"
    );
    assert!(text.contains("A: 1 (50%)") && text.contains("B: 1 (50%)"), "each choice's count is written: {text}");

    assert!(text.contains("CSV, JSON, xAPI and the printable HTML report are in"), "the exports are written: {text}");
    let sessions = data.join("sessions");
    let log = std::fs::read_dir(&sessions)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .unwrap();
    let exported: Vec<String> = std::fs::read_dir(sessions.join("exports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for kind in [".csv", ".json", ".xapi.json", ".report.html"] {
        assert!(exported.iter().any(|name| name.ends_with(kind)), "no {kind} export in {exported:?}");
    }
    common::tap_key(&mut app, KeyCode::Escape);
    settle(&mut app);
    assert_eq!(common::screen(&app), Screen::Title);
    assert!(app.world().get_resource::<EveryoneRound>().is_none(), "leaving stops the round and its server");
    // The round's statements reach the LRS: one agent per phone, each with the room's account.
    let link = app.world().resource::<LrsLink>().clone();
    let deadline = Instant::now() + std::time::Duration::from_secs(20);
    while !link.status_line(&log).is_some_and(|s| s.contains("sent (")) {
        assert!(Instant::now() < deadline, "the round was never sent: {:?}", link.status_line(&log));
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let statements: Vec<serde_json::Value> = received
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.request_line.starts_with("POST"))
        .flat_map(|r| serde_json::from_str::<Vec<serde_json::Value>>(&r.body).unwrap())
        .collect();
    let phones: std::collections::BTreeSet<String> = statements
        .iter()
        .filter_map(|s| s["actor"]["account"]["name"].as_str().map(str::to_string))
        .filter(|name| name.starts_with("phone-p-"))
        .collect();
    assert_eq!(phones.len(), 2, "one agent per phone: {phones:?}");
    let recorded = read_log(&log).unwrap();
    let decided = lock(&room).everyone().unwrap().session(&one.phone).unwrap().decisions_made() as usize + 1;
    assert_eq!(recorded.phone_decisions.len(), decided, "every phone decision is in the log");
    assert_eq!(recorded.round_end.as_ref().map(|r| r.joined), Some(2));
}
