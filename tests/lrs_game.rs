//! The game's learning-records settings, headless: the LRS typed in on the settings screen
//! (a bad address refused with its reason, the password masked, the file private), the
//! connection tested without blocking a frame, and a solo run's statements sent to a
//! loopback LRS when its debrief opens.
#![cfg(feature = "game")]

mod common;

#[path = "common/lrs_stub.rs"]
mod lrs_stub;

use std::time::{Duration, Instant};

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;
use leap::game::{Intent, Screen, Settings};
use leap::record::settings::LrsField;
use lrs_stub::{Received, stub_lrs};

fn settle(app: &mut App) {
    app.update();
    app.update();
}

fn send(app: &mut App, intent: Intent) {
    app.world_mut().write_message(intent);
    settle(app);
}

/// Types `text` as the keyboard would: a press and a release per character.
fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        for state in [ButtonState::Pressed, ButtonState::Released] {
            app.world_mut().write_message(KeyboardInput {
                key_code: KeyCode::Unidentified(bevy::input::keyboard::NativeKeyCode::Unidentified),
                logical_key: Key::Character(c.to_string().into()),
                state,
                text: Some(c.to_string().into()),
                repeat: false,
                window: Entity::PLACEHOLDER,
            });
            app.update();
        }
    }
}

/// A named key (Enter, Escape, Backspace) as both the key code and the logical key.
fn press(app: &mut App, code: KeyCode, key: Key) {
    common::press_key(app, code, key);
    app.update();
}

/// Updates the app until `done` holds, for at most 10 s; frames keep coming meanwhile.
fn frames_until(app: &mut App, what: &str, mut done: impl FnMut(&mut App) -> bool) {
    let started = Instant::now();
    while !done(app) {
        assert!(started.elapsed() < Duration::from_secs(10), "waited 10 s for {what}");
        app.update();
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn lrs(app: &App) -> leap::record::settings::LrsSettings {
    app.world().resource::<Settings>().lrs.clone()
}

#[test]
fn an_lrs_typed_into_the_settings_receives_a_solo_runs_statements() {
    let data = common::scratch_dir("lrs-game");
    let mut app = common::headless_game(&data, &common::fixture("valid"));
    let (port, received) = stub_lrs();
    send(&mut app, Intent::Open(Screen::Settings));
    let text = common::screen_text(&mut app);
    assert!(text.contains("Learning records (LRS)") && text.contains("LRS address: not set"), "{text}");

    // A bad address is refused with its reason; the field stays open, Escape leaves it empty.
    send(&mut app, Intent::EditLrs(LrsField::Url));
    type_text(&mut app, "lrs.example.org");
    press(&mut app, KeyCode::Enter, Key::Enter);
    let text = common::screen_text(&mut app);
    assert!(text.contains("is not a web address") && text.contains("http:// or https://"), "{text}");
    assert!(text.contains("LRS address: lrs.example.org_"), "still open for a fix: {text}");
    assert_eq!(lrs(&app).url, "");
    press(&mut app, KeyCode::Escape, Key::Escape);
    assert_eq!(common::screen(&app), Screen::Settings, "Escape closed the field, not the screen");
    assert!(common::screen_text(&mut app).contains("LRS address: not set"));

    // The right one, with user and password; typing "r" or Space does nothing else meanwhile.
    let url = format!("http://127.0.0.1:{port}/xapi");
    send(&mut app, Intent::EditLrs(LrsField::Url));
    type_text(&mut app, &url);
    press(&mut app, KeyCode::Enter, Key::Enter);
    assert_eq!(lrs(&app).url, url);
    send(&mut app, Intent::EditLrs(LrsField::User));
    type_text(&mut app, "facilitator");
    press(&mut app, KeyCode::Enter, Key::Enter);
    send(&mut app, Intent::EditLrs(LrsField::Password));
    type_text(&mut app, "pass word");
    let typing = common::screen_text(&mut app);
    assert!(!typing.contains("pass word") && typing.contains("*********_"), "masked while typed: {typing}");
    press(&mut app, KeyCode::Enter, Key::Enter);
    send(&mut app, Intent::EditLrs(LrsField::Learner));
    type_text(&mut app, "ana@example.org");
    press(&mut app, KeyCode::Enter, Key::Enter);
    let text = common::screen_text(&mut app);
    assert!(text.contains("LRS password: *********") && !text.contains("pass word"), "{text}");
    assert_eq!(lrs(&app).password, "pass word");

    // Saved at once, readable only by its owner.
    let file = data.join("settings.json");
    let saved: leap::record::settings::Settings = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!((saved.lrs.url.as_str(), saved.lrs.user.as_str()), (url.as_str(), "facilitator"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // The connection test runs in the background and says what the LRS answered.
    send(&mut app, Intent::TestLrsConnection);
    frames_until(&mut app, "the connection test", |app| common::screen_text(app).contains("answered 200"));
    let check = received.lock().unwrap()[0].clone();
    assert!(check.request_line.starts_with("GET /xapi/statements?limit=1"), "{check:?}");
    let auth = check.authorization.unwrap_or_default();
    assert!(auth.starts_with("Basic "), "{auth}");

    // A solo run to its ending: the debrief sends its statements, with the learner as actor.
    send(&mut app, Intent::StartScenario { id: "small".into(), seed: Some(7) });
    send(&mut app, Intent::Choose("own".into()));
    send(&mut app, Intent::Proceed);
    send(&mut app, Intent::Choose("forgive".into()));
    send(&mut app, Intent::Proceed);
    assert_eq!(common::screen(&app), Screen::Debrief);
    let link = app.world().resource::<leap::game::LrsLink>().clone();
    let log = app.world().resource::<leap::game::SoloLog>().path.clone();
    frames_until(&mut app, "the statements sent", |_| link.status_line(&log).is_some_and(|s| s.contains("sent (")));
    let posts: Vec<Received> =
        received.lock().unwrap().iter().filter(|r| r.request_line.starts_with("POST")).cloned().collect();
    assert!(!posts.is_empty());
    let statements: Vec<serde_json::Value> =
        posts.iter().flat_map(|p| serde_json::from_str::<Vec<serde_json::Value>>(&p.body).unwrap()).collect();
    assert!(statements.len() >= 3, "two decisions and an ending at least: {}", statements.len());
    for statement in &statements {
        assert_eq!(statement["actor"]["mbox"], "mailto:ana@example.org", "{statement}");
    }
    let status = link.status_line(&log).unwrap();
    assert!(status.contains(&format!("sent ({} statements)", statements.len())), "{status}");
}

#[test]
fn a_hand_written_bad_address_is_reported_at_start_and_not_used() {
    let data = common::scratch_dir("lrs-game-bad");
    std::fs::write(data.join("settings.json"), r#"{"lrs": {"url": "ftp://lrs.example.org", "user": "u"}}"#).unwrap();
    let mut app = common::headless_game(&data, &common::fixture("valid"));
    let text = common::screen_text(&mut app);
    assert!(text.contains("ftp://lrs.example.org") && text.contains("not used"), "{text}");
    assert!(app.world().resource::<leap::game::LrsLink>().config.is_none());
    assert_eq!(lrs(&app).user, "u", "the rest of the settings still load");
    send(&mut app, Intent::Open(Screen::Settings));
    let text = common::screen_text(&mut app);
    assert!(text.contains("No LRS is set"), "{text}");
}

#[test]
fn a_damaged_lrs_section_loads_the_defaults_with_a_message() {
    let data = common::scratch_dir("lrs-game-damaged");
    std::fs::write(data.join("settings.json"), r#"{"text_scale": 1.3, "lrs": {"url": 5}}"#).unwrap();
    let mut app = common::headless_game(&data, &common::fixture("valid"));
    assert_eq!(*app.world().resource::<Settings>(), Settings::default());
    let text = common::screen_text(&mut app);
    assert!(text.contains("Your settings could not be read") && text.contains("defaults are in use"), "{text}");
}

/// The text of the focused button.
fn focused_text(app: &mut App) -> String {
    let Some(focused) = app.world().resource::<bevy_input_focus::InputFocus>().get() else { return String::new() };
    let mut texts = Vec::new();
    let mut stack = vec![focused];
    while let Some(entity) = stack.pop() {
        if let Some(text) = app.world().get::<Text>(entity) {
            texts.push(text.0.clone());
        }
        if let Some(children) = app.world().get::<Children>(entity) {
            stack.extend(children.iter());
        }
    }
    texts.join(" ")
}

#[test]
fn the_keyboard_alone_reaches_a_field_types_into_it_and_keeps_the_focus_on_it() {
    let data = common::scratch_dir("lrs-game-keys");
    let mut app = common::headless_game(&data, &common::fixture("valid"));
    send(&mut app, Intent::Open(Screen::Settings));
    for _ in 0..5 {
        common::tap_key(&mut app, KeyCode::ArrowDown);
    }
    assert!(focused_text(&mut app).contains("LRS user: not set"), "{}", focused_text(&mut app));
    common::tap_key(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert!(focused_text(&mut app).contains("LRS user: _"), "open and focused: {}", focused_text(&mut app));
    // Arrows, Space, "r" and Escape belong to the field meanwhile.
    type_text(&mut app, "r k");
    common::tap_key(&mut app, KeyCode::ArrowDown);
    assert!(focused_text(&mut app).contains("LRS user: r k_"), "{}", focused_text(&mut app));
    press(&mut app, KeyCode::Enter, Key::Enter);
    assert_eq!(lrs(&app).user, "r k");
    assert!(focused_text(&mut app).contains("LRS user: r k"), "{}", focused_text(&mut app));
    press(&mut app, KeyCode::Escape, Key::Escape);
    assert_eq!(common::screen(&app), Screen::Title, "with the field closed, Escape leaves the screen");
}
