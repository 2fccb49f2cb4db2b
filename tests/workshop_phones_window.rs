//! The window's workshop with phones, headless (loopback only): the room screen says how many
//! votes came from phones and how many are hands counted in the room, and a workshop resumed
//! from its log keeps its room code, as the terminal's does.
#![cfg(feature = "game")]

mod common;

#[path = "common/http_client.rs"]
mod http_client;

use bevy::input::keyboard::Key;
use bevy::prelude::*;
use leap::game::{MeterMode, PhoneSettings, Screen, Workshop, WorkshopConfig, WorkshopIntent, WorkshopTarget};
use leap::workshop::phones::PhoneOptions;

fn game(data: &std::path::Path) -> App {
    let mut app = common::headless_game(data, &common::fixture("valid"));
    let bind = Some("127.0.0.1:0".parse().unwrap());
    app.insert_resource(PhoneSettings { enabled: true, options: PhoneOptions { bind, ..PhoneOptions::default() } });
    app
}

fn settle(app: &mut App) {
    for _ in 0..3 {
        app.update();
    }
}

fn key(app: &mut App, code: KeyCode, logical: Key) {
    common::press_key(app, code, logical);
    settle(app);
}

fn type_char(app: &mut App, c: char, code: KeyCode) {
    key(app, code, Key::Character(c.to_string().into()));
}

/// The text entity showing the beat's situation ("Sam is late again."), which a rebuild replaces.
fn beat_text_entity(app: &mut App) -> Entity {
    let mut texts = app.world_mut().query::<(Entity, &Text)>();
    texts.iter(app.world()).find(|(_, t)| t.0.contains("Sam is late again.")).map(|(e, _)| e).expect("the beat's text")
}

/// The room code and the server's address, from the session log's header.
fn recorded_room(log: &std::path::Path) -> (String, std::net::SocketAddr) {
    let header = leap::record::read_log(log).unwrap().header;
    let phones = &header.options["phones"];
    let code = phones["room"].as_str().expect("the header keeps the room code").to_string();
    let home = phones["home_page"].as_str().expect("and the home page").to_string();
    let address = home.trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
    (code, address)
}

#[test]
fn the_vote_count_splits_phones_and_hands_and_a_resume_keeps_the_room_code() {
    let data = common::scratch_dir("workshop-phones-window");
    let mut first = game(&data);
    let config = WorkshopConfig {
        name: "Phone room".into(),
        target: WorkshopTarget::Scenario("small".into()),
        meters: MeterMode::Shown,
        timer_minutes: None,
        seed: Some(4),
    };
    first.world_mut().write_message(WorkshopIntent::Start(config));
    settle(&mut first);
    assert_eq!(common::screen(&first), Screen::WorkshopRoom);
    let log = first.world().resource::<Workshop>().log_path.clone();
    let (code, address) = recorded_room(&log);
    assert!(common::screen_text(&mut first).contains(&format!("Room code: {code}")));
    // Idle, with phones on, the room screen is not built again frame after frame.
    let situation = beat_text_entity(&mut first);
    for _ in 0..5 {
        first.update();
    }
    assert_eq!(beat_text_entity(&mut first), situation, "the room screen was rebuilt while nothing changed");

    // One phone votes A; the facilitator counts two hands for B.
    type_char(&mut first, 'v', KeyCode::KeyV);
    let mut phone = http_client::Client::connect(address).unwrap();
    let joined = phone.post("/api/join", &format!(r#"{{"room":"{code}"}}"#)).unwrap().json();
    let token = joined["token"].as_str().expect("a token").to_string();
    let vote = format!(r#"{{"room":"{code}","token":"{token}","option":"A"}}"#);
    assert_eq!(phone.post("/api/vote", &vote).unwrap().status, 200);
    settle(&mut first);
    type_char(&mut first, '2', KeyCode::Digit2);
    type_char(&mut first, 'b', KeyCode::KeyB);
    let text = common::screen_text(&mut first);
    assert!(text.contains("Room vote: 3 votes: 1 from phones, 2 hands counted in the room"), "{text}");
    key(&mut first, KeyCode::Enter, Key::Enter);
    assert_eq!(common::screen(&first), Screen::WorkshopConsequence);
    drop(phone);
    drop(first);

    // Resumed in a new window: the same room code, so the phones' links still work.
    let mut second = game(&data);
    second.world_mut().write_message(WorkshopIntent::Resume(log.clone()));
    settle(&mut second);
    assert_eq!(common::screen(&second), Screen::WorkshopRoom);
    let text = common::screen_text(&mut second);
    assert!(text.contains(&format!("Room code: {code}")), "the resumed room keeps {code}: {text}");
    assert!(text.contains("Resumed from the log at decision 2."), "{text}");
    let recorded = leap::record::read_log(&log).unwrap();
    assert_eq!(recorded.decisions[0].votes, Some(vec![1, 2]));
}
