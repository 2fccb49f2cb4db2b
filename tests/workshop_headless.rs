//! A workshop run headless: the facilitator's keys drive discussion, timer, votes, an
//! override with its reason, the reveal, and the room debrief; the session log and the
//! exports are checked on disk.
#![cfg(feature = "game")]

mod common;

use bevy::input::keyboard::Key;
use bevy::prelude::*;
use leap::game::{ActiveRun, MeterMode, Screen, Workshop, WorkshopConfig, WorkshopIntent, WorkshopTarget};
use leap::record::read_log;

fn game(data: &std::path::Path) -> App {
    common::headless_game(data, &common::fixture("valid"))
}

use common::screen;

fn settle(app: &mut App) {
    for _ in 0..3 {
        app.update();
    }
}

/// Presses and releases a key, as the keyboard would: a key code and the text it types.
fn key(app: &mut App, code: KeyCode, logical: Key) {
    common::press_key(app, code, logical);
    settle(app);
}

fn type_char(app: &mut App, c: char) {
    let code = match c.to_ascii_lowercase() {
        'a' => KeyCode::KeyA,
        'b' => KeyCode::KeyB,
        'c' => KeyCode::KeyC,
        'e' => KeyCode::KeyE,
        'k' => KeyCode::KeyK,
        'o' => KeyCode::KeyO,
        'r' => KeyCode::KeyR,
        't' => KeyCode::KeyT,
        'v' => KeyCode::KeyV,
        '1' => KeyCode::Digit1,
        '2' => KeyCode::Digit2,
        '5' => KeyCode::Digit5,
        ' ' => KeyCode::Space,
        _ => KeyCode::KeyZ,
    };
    let logical = if c == ' ' { Key::Space } else { Key::Character(c.to_string().into()) };
    key(app, code, logical);
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        type_char(app, c);
    }
}

fn enter(app: &mut App) {
    key(app, KeyCode::Enter, Key::Enter);
}

fn workshop(app: &App) -> &Workshop {
    app.world().resource::<Workshop>()
}

use common::screen_text;

#[test]
fn a_room_votes_its_way_through_a_scenario_to_the_debrief() {
    let data = std::env::temp_dir().join(format!("leap-workshop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let mut app = game(&data);
    let config = WorkshopConfig {
        name: "Test room".into(),
        target: WorkshopTarget::Scenario("small".into()),
        meters: MeterMode::UntilReveal,
        timer_minutes: Some(3),
        seed: Some(5),
    };
    app.world_mut().write_message(WorkshopIntent::Start(config));
    settle(&mut app);
    assert_eq!(screen(&app), Screen::WorkshopRoom);
    let text = screen_text(&mut app);
    assert!(text.contains("Discuss: What now?") && text.contains("A\nBlame Sam.") && text.contains("3:00"), "{text}");
    assert!(text.contains("Meters hidden") && !text.contains("Trust 50"), "{text}");

    // The timer pauses, extends and can be skipped, and never moves the room on.
    type_char(&mut app, 't');
    assert!(screen_text(&mut app).contains("3:00 (paused)"));
    type_char(&mut app, 'e');
    assert!(screen_text(&mut app).contains("4:00 (paused)"));
    type_char(&mut app, 'k');
    assert!(screen_text(&mut app).contains("Time is up"));
    settle(&mut app);
    assert_eq!(screen(&app), Screen::WorkshopRoom);

    // Vote: two hands for A, 12 typed for B, undone, then 5 for B.
    type_char(&mut app, 'v');
    type_text(&mut app, "aa12b");
    assert_eq!(workshop(&app).tally().counts(), &[2, 12]);
    key(&mut app, KeyCode::Backspace, Key::Backspace);
    assert_eq!(workshop(&app).tally().counts(), &[2, 0]);
    type_text(&mut app, "5b");
    assert_eq!(workshop(&app).tally().counts(), &[2, 5]);
    let text = screen_text(&mut app);
    assert!(text.contains("Room vote: 7 hands") && text.contains("B  5 votes · 71%"), "{text}");
    enter(&mut app);
    assert_eq!(screen(&app), Screen::WorkshopConsequence);
    assert!(screen_text(&mut app).contains("The room chose B: 5 of 7 (71%)."));
    let run = app.world().resource::<ActiveRun>().session.clone();
    assert_eq!(run.transcript[0].choice, "own");

    // The log already holds the decision, before the room moves on.
    let log_path = workshop(&app).log_path.clone();
    let recorded = read_log(&log_path).unwrap();
    assert_eq!(recorded.decisions.len(), 1);
    assert_eq!(recorded.decisions[0].votes, Some(vec![2, 5]));
    assert!(!recorded.decisions[0].overrode_majority);

    // Reveal works on the result screen too, and shows everything since the last reveal.
    assert!(screen_text(&mut app).contains("Meters hidden"));
    type_char(&mut app, 'r');
    assert!(screen_text(&mut app).contains("Trust 55 (+5)"), "{}", screen_text(&mut app));
    // The next discussion does not show that reveal's numbers as if they were current.
    enter(&mut app);
    assert_eq!(screen(&app), Screen::WorkshopRoom);
    let text = screen_text(&mut app);
    assert!(text.contains("Meters hidden") && !text.contains("Trust 55"), "{text}");
    type_char(&mut app, 'r');
    assert!(screen_text(&mut app).contains("Trust 55"), "{}", screen_text(&mut app));

    // Second beat: the majority says A, the facilitator applies C and says why.
    type_char(&mut app, 'v');
    type_text(&mut app, "aaab");
    type_char(&mut app, 'o');
    type_char(&mut app, 'c');
    enter(&mut app);
    assert_eq!(screen(&app), Screen::WorkshopRoom, "an override without a reason is refused");
    assert!(screen_text(&mut app).contains("say why"), "{}", screen_text(&mut app));
    type_text(&mut app, "the minority view");
    enter(&mut app);
    assert_eq!(screen(&app), Screen::WorkshopConsequence);
    assert!(screen_text(&mut app).contains("against the majority: the minority view"));
    let recorded = read_log(&log_path).unwrap();
    assert_eq!(recorded.decisions.len(), 2);
    assert!(recorded.decisions[1].overrode_majority);
    assert_eq!(recorded.decisions[1].override_reason.as_deref(), Some("the minority view"));
    assert_eq!(recorded.decisions[1].chosen, "forgive");
    assert_eq!(recorded.ends.len(), 1);

    // The room debrief, in its four steps, with exports written.
    enter(&mut app);
    assert_eq!(screen(&app), Screen::WorkshopDebrief);
    assert!(
        screen_text(&mut app).contains("Room debrief: Reactions") && screen_text(&mut app).contains("Drift (Mixed)")
    );
    key(&mut app, KeyCode::ArrowRight, Key::ArrowRight);
    let text = screen_text(&mut app);
    assert!(text.contains("The facilitator applied C"), "{text}");
    // What happened says what the room chose, not only its letter.
    assert!(text.contains("1. B: Own it."), "{text}");
    key(&mut app, KeyCode::ArrowRight, Key::ArrowRight);
    assert!(screen_text(&mut app).contains("Roads not taken"));
    key(&mut app, KeyCode::ArrowRight, Key::ArrowRight);
    let text = screen_text(&mut app);
    assert!(text.contains("Take-aways") && text.contains("L01: When something in your team goes wrong"), "{text}");
    let exports = log_path.parent().unwrap().join("exports");
    let mut written: Vec<String> =
        std::fs::read_dir(&exports).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    written.sort();
    // Named after the session, the scenario, its start and its id, so no two sessions collide.
    let recorded = leap::record::read_log(&log_path).unwrap();
    let mut expected: Vec<String> =
        leap::export::ExportFormat::ALL.iter().map(|f| leap::export::file_name(&recorded, *f)).collect();
    expected.sort();
    assert_eq!(written, expected);
    assert!(written.iter().all(|name| name.starts_with("Test room - small - ")), "{written:?}");
    assert!(text.contains(&exports.display().to_string()));
}

#[test]
fn a_workshop_goes_on_from_its_log_after_a_crash() {
    let data = std::env::temp_dir().join(format!("leap-workshop-resume-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let mut first = game(&data);
    let config = WorkshopConfig {
        name: "Crash room".into(),
        target: WorkshopTarget::Scenario("small".into()),
        meters: MeterMode::Shown,
        timer_minutes: None,
        seed: Some(9),
    };
    first.world_mut().write_message(WorkshopIntent::Start(config));
    settle(&mut first);
    type_char(&mut first, 'v');
    type_text(&mut first, "3a1b");
    enter(&mut first);
    assert_eq!(screen(&first), Screen::WorkshopConsequence);
    let log = workshop(&first).log_path.clone();
    let before = first.world().resource::<ActiveRun>().session.clone();
    drop(first);

    let mut second = game(&data);
    second.world_mut().write_message(WorkshopIntent::Resume(log.clone()));
    settle(&mut second);
    assert_eq!(screen(&second), Screen::WorkshopRoom);
    assert_eq!(second.world().resource::<ActiveRun>().session.transcript, before.transcript);
    assert!(screen_text(&mut second).contains("Resumed from the log at decision 2."));
    // The next decision goes on in the same log.
    type_char(&mut second, 'v');
    type_text(&mut second, "2b");
    enter(&mut second);
    let recorded = read_log(&log).unwrap();
    assert_eq!(recorded.decisions.iter().map(|d| d.number).collect::<Vec<_>>(), [1, 2]);
}

#[test]
fn the_room_debriefs_roads_not_taken_with_the_locked_ones_marked() {
    let data = std::env::temp_dir().join(format!("leap-workshop-locked-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let mut app = game(&data);
    let config = WorkshopConfig {
        name: "Locked room".into(),
        target: WorkshopTarget::Scenario("small".into()),
        meters: MeterMode::Shown,
        timer_minutes: None,
        seed: Some(7),
    };
    app.world_mut().write_message(WorkshopIntent::Start(config));
    settle(&mut app);
    // Blaming Sam locks "Let it go." at the next beat; the room then does it itself.
    type_char(&mut app, 'v');
    type_char(&mut app, 'a');
    enter(&mut app);
    enter(&mut app);
    let text = screen_text(&mut app);
    assert!(text.contains("Let it go. (locked: Sam has not forgotten the blame.)"), "{text}");
    type_char(&mut app, 'v');
    type_char(&mut app, 'a');
    enter(&mut app);
    enter(&mut app);
    assert_eq!(screen(&app), Screen::WorkshopDebrief);
    key(&mut app, KeyCode::ArrowRight, Key::ArrowRight);
    key(&mut app, KeyCode::ArrowRight, Key::ArrowRight);
    let text = screen_text(&mut app);
    assert!(text.contains("Roads not taken"), "{text}");
    assert!(text.contains("1. Not taken: “Own it.” (L01)"), "{text}");
    assert!(
        text.contains(
            "2. Not taken: “Set clear goals.” (L03); locked: “Let it go.” (Sam has not forgotten the blame.; L01)"
        ),
        "{text}"
    );
}

#[test]
fn a_campaign_workshop_goes_on_to_the_next_stage_from_the_debrief() {
    let data = std::env::temp_dir().join(format!("leap-workshop-campaign-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let mut app = common::headless_game(&data, &common::root().join("scenarios"));
    let config = WorkshopConfig {
        name: "Campaign room".into(),
        target: WorkshopTarget::Campaign,
        meters: MeterMode::Shown,
        timer_minutes: None,
        seed: Some(3),
    };
    app.world_mut().write_message(WorkshopIntent::Start(config));
    settle(&mut app);
    let first = app.world().resource::<ActiveRun>().scenario.id.clone();
    for _ in 0..40 {
        match screen(&app) {
            Screen::WorkshopRoom => {
                type_char(&mut app, 'v');
                type_char(&mut app, 'a');
                enter(&mut app);
            }
            Screen::WorkshopConsequence => enter(&mut app),
            _ => break,
        }
    }
    assert_eq!(screen(&app), Screen::WorkshopDebrief);
    let stage = app.world().resource::<ActiveRun>().campaign.as_ref().unwrap().1.results.len();
    assert_eq!(stage, 1, "the first stage is over");
    key(&mut app, KeyCode::KeyN, Key::Character("n".into()));
    assert_eq!(screen(&app), Screen::WorkshopRoom);
    let run = app.world().resource::<ActiveRun>();
    assert_ne!(run.scenario.id, first, "the room is at the second stage");
    assert!(run.session.transcript.is_empty());
    let log = workshop(&app).log_path.clone();
    let recorded = read_log(&log).unwrap();
    assert!(recorded.header.campaign.is_some() && recorded.ends.len() == 1, "{:?}", recorded.header);
}
