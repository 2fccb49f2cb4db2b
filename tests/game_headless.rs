//! The game without a window: MinimalPlugins + StatesPlugin + the game's plugins, driven by
//! the player's intents and key presses, asserting screens, meters and the transcript.
#![cfg(feature = "game")]

mod common;

use bevy::prelude::*;
use leap::engine::Position;
use leap::game::{ActiveRun, Intent, Library, Screen};

/// Where a run of `small` is saved (each scenario and the campaign have their own file).
const SAVE: &str = "saves/scenario-small.json";

fn game(data: &std::path::Path) -> App {
    common::headless_game(data, &common::fixture("valid"))
}

use common::screen;

fn send(app: &mut App, intent: Intent) {
    app.world_mut().write_message(intent);
    settle(app);
}

/// Two frames: one for the intent, one for the screen change it asks for.
fn settle(app: &mut App) {
    app.update();
    app.update();
}

fn press(app: &mut App, key: KeyCode) {
    common::tap_key(app, key);
    app.update();
}

fn run(app: &App) -> ActiveRun {
    app.world().resource::<ActiveRun>().clone()
}

use common::screen_text;

#[test]
fn a_full_playthrough_by_intents_and_keys() {
    let data = tempdir("playthrough");
    let mut app = game(&data);
    assert_eq!(screen(&app), Screen::Title);
    assert!(screen_text(&mut app).contains("LEAP"), "the wordmark");

    send(&mut app, Intent::Open(Screen::Select));
    assert_eq!(screen(&app), Screen::Select);
    assert!(screen_text(&mut app).contains("A Small Test"));
    assert!(screen_text(&mut app).contains("Not played yet"));

    send(&mut app, Intent::StartScenario { id: "small".into(), seed: Some(7) });
    assert_eq!(screen(&app), Screen::Play);
    let text = screen_text(&mut app);
    assert!(text.contains("Sam is late again.") && text.contains("Own it.") && text.contains("Trust 50"), "{text}");
    assert_eq!(run(&app).session.meters.as_array(), [50, 50, 50]);

    // Number key 2 picks the second choice.
    press(&mut app, KeyCode::Digit2);
    assert_eq!(screen(&app), Screen::Consequence);
    let r = run(&app);
    assert_eq!(r.session.transcript.len(), 1);
    assert_eq!(r.session.transcript[0].choice, "own");
    assert_eq!(r.session.meters.as_array(), [55, 48, 50]);
    let text = screen_text(&mut app);
    assert!(text.contains("Owning it builds trust.") && text.contains("You applied L01: Own the outcome"), "{text}");
    // Each change is said once, by the meter itself: "Trust 55 (+5)" once the bar has moved.
    assert_eq!(text.matches("(+5)").count(), 1, "{text}");

    // Enter continues.
    press(&mut app, KeyCode::Enter);
    assert_eq!(screen(&app), Screen::Play);
    assert_eq!(run(&app).session.position, Position::AtBeat("second".into()));

    // Arrow keys move the focus to the third choice, Enter takes it.
    press(&mut app, KeyCode::ArrowDown);
    press(&mut app, KeyCode::ArrowDown);
    press(&mut app, KeyCode::Enter);
    assert_eq!(screen(&app), Screen::Consequence);
    let r = run(&app);
    assert_eq!(r.session.transcript[1].choice, "forgive");
    assert_eq!(r.session.transcript[1].landed.len(), 1, "the delayed effect lands with decision 2");
    assert_eq!(r.session.meters.as_array(), [58, 44, 54]);
    assert!(screen_text(&mut app).contains("Sam notices."));

    send(&mut app, Intent::Proceed);
    assert_eq!(screen(&app), Screen::Debrief);
    let text = screen_text(&mut app);
    assert!(text.contains("Ending: Drift") && text.contains("Verdict: Mixed"), "{text}");
    assert!(text.contains("Roads not taken:") && text.contains("(misses L19 Escape the diligence trap"), "{text}");
    assert!(text.contains("You applied L01: Own the outcome (“Senior Leadership”)"), "{text}");
    assert!(!data.join(SAVE).exists(), "a finished solo run leaves no save");
    // Solo play is recorded like a workshop: a session log, and exports when the run ends.
    let logs: Vec<_> = std::fs::read_dir(data.join("sessions"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
        .collect();
    assert_eq!(logs.len(), 1);
    let recorded = leap::record::read_log(logs[0].path()).unwrap();
    assert_eq!(recorded.decisions.iter().map(|d| d.chosen.as_str()).collect::<Vec<_>>(), ["own", "forgive"]);
    assert_eq!(recorded.ends.len(), 1);
    assert_eq!(std::fs::read_dir(data.join("sessions/exports")).unwrap().count(), 4);
    assert!(text.contains("exported (CSV, JSON, xAPI and a printable HTML report)"), "{text}");
    let progress = std::fs::read_to_string(data.join("progress.json")).unwrap();
    assert!(progress.contains("\"drift\"") || progress.contains("\"mixed\""), "{progress}");

    // Replay from decision 2: back at the second beat with decision 1 kept.
    send(&mut app, Intent::ReplayFrom(2));
    assert_eq!(screen(&app), Screen::Play);
    let r = run(&app);
    assert_eq!(r.session.transcript.len(), 1);
    assert_eq!(r.session.position, Position::AtBeat("second".into()));
    assert_eq!(r.session.meters.as_array(), [55, 48, 50]);

    // The best ending shows on the select screen.
    send(&mut app, Intent::Open(Screen::Select));
    assert!(screen_text(&mut app).contains("Best ending so far: Drift (Mixed)"));
}

#[test]
fn a_save_resumes_in_a_fresh_app_at_the_same_beat() {
    let data = tempdir("resume");
    let mut first = game(&data);
    send(&mut first, Intent::StartScenario { id: "small".into(), seed: Some(3) });
    send(&mut first, Intent::Choose("blame".into()));
    let before = run(&first).session;
    drop(first);

    let mut second = game(&data);
    assert!(screen_text(&mut second).contains("Continue: A Small Test, after 1 decision"));
    send(&mut second, Intent::ContinueSaved);
    assert_eq!(screen(&second), Screen::Play);
    let after = run(&second).session;
    assert_eq!(after, before);
    assert_eq!(after.position, Position::AtBeat("second".into()));
}

#[test]
fn a_truncated_save_is_reported_and_set_aside() {
    let data = tempdir("truncated");
    let mut first = game(&data);
    send(&mut first, Intent::StartScenario { id: "small".into(), seed: Some(3) });
    send(&mut first, Intent::Choose("blame".into()));
    drop(first);
    let save = data.join(SAVE);
    let bytes = std::fs::read(&save).unwrap();
    std::fs::write(&save, &bytes[..bytes.len() / 2]).unwrap();

    let mut app = game(&data);
    send(&mut app, Intent::ContinueSaved);
    assert_eq!(screen(&app), Screen::Notice);
    let text = screen_text(&mut app);
    assert!(text.contains("Saved game could not be read") && text.contains("nothing was deleted"), "{text}");
    assert!(!save.exists());
    let aside: Vec<_> = std::fs::read_dir(data.join("saves"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("scenario-small.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(std::fs::read(aside[0].path()).unwrap(), &bytes[..bytes.len() / 2]);
}

#[test]
fn a_save_whose_beat_was_removed_offers_a_restart() {
    let data = tempdir("missing-beat");
    let mut first = game(&data);
    send(&mut first, Intent::StartScenario { id: "small".into(), seed: Some(3) });
    send(&mut first, Intent::Choose("blame".into()));
    drop(first);
    let save = data.join(SAVE);
    let text = std::fs::read_to_string(&save).unwrap().replace("\"AtBeat\": \"second\"", "\"AtBeat\": \"gone\"");
    assert!(text.contains("gone"));
    std::fs::write(&save, text).unwrap();

    let mut app = game(&data);
    send(&mut app, Intent::ContinueSaved);
    assert_eq!(screen(&app), Screen::Notice);
    assert!(screen_text(&mut app).contains("no longer has the beat `gone`"));
    send(&mut app, Intent::Restart);
    assert_eq!(screen(&app), Screen::Play);
    let r = run(&app);
    assert_eq!(r.session.position, Position::AtBeat("first".into()));
    assert!(r.session.transcript.is_empty());
}

#[test]
fn settings_are_remembered_between_runs() {
    let data = tempdir("settings");
    let mut app = game(&data);
    send(&mut app, Intent::Open(Screen::Settings));
    send(&mut app, Intent::ChangeSetting(leap::game::SettingChange::TextLarger));
    send(&mut app, Intent::ChangeSetting(leap::game::SettingChange::TogglePalette));
    assert_eq!(app.world().resource::<UiScale>().0, 1.15);
    drop(app);
    let app = game(&data);
    let settings = app.world().resource::<leap::game::Settings>();
    assert_eq!(settings.text_scale, 1.15);
    assert!(settings.colour_blind_palette);
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("leap-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_campaign_plays_through_every_scenario_to_the_promotion_review() {
    let data = tempdir("campaign");
    let mut app = common::headless_game(&data, &common::root().join("scenarios"));
    let campaign = app.world().resource::<Library>().campaign().cloned().expect("the shipped campaign");

    send(&mut app, Intent::StartCampaign);
    let mut stages_seen = Vec::new();
    let mut stage_starts = Vec::new();
    for _ in 0..400 {
        match screen(&app) {
            Screen::Play => {
                let r = run(&app);
                if stages_seen.last() != Some(&r.scenario.id) {
                    stages_seen.push(r.scenario.id.clone());
                    stage_starts.push(r.session.meters);
                }
                let pick = r.session.visible_choices(&r.scenario).into_iter().find(|v| v.available()).unwrap();
                send(&mut app, Intent::Choose(pick.choice.id.clone()));
            }
            Screen::Consequence => send(&mut app, Intent::Proceed),
            Screen::Debrief => send(&mut app, Intent::NextStage),
            // Each stage opens on the year: the map, and (after the first) the reputation carried.
            Screen::Year => {
                let text = screen_text(&mut app);
                let stage = stages_seen.len();
                assert!(text.contains("Begin: ") && text.contains("now"), "{text}");
                if stage == 0 {
                    assert!(text.contains("your year") && text.contains("promotion panel"), "{text}");
                } else {
                    assert!(text.contains("The reputation you carry in") && text.contains("Trust "), "{text}");
                    assert_eq!(
                        text.matches("Strong").count() + text.matches("Mixed").count() + text.matches("Weak").count(),
                        stage,
                        "{text}"
                    );
                }
                send(&mut app, Intent::Open(Screen::Play));
            }
            Screen::Review => break,
            other => panic!("unexpected screen {other:?}"),
        }
    }
    assert_eq!(screen(&app), Screen::Review);
    assert_eq!(stages_seen, campaign.scenarios, "every scenario, in order");
    let finished = app.world().resource::<leap::game::FinishedCampaign>().clone();
    assert_eq!(finished.run.results.len(), campaign.scenarios.len());
    // Meters carried over: each stage started where the previous one ended.
    for (start, previous) in stage_starts.iter().skip(1).zip(&finished.run.results) {
        assert_eq!(*start, previous.meters_after);
    }
    let review = finished.run.review(&campaign).unwrap().clone();
    let text = screen_text(&mut app);
    assert!(text.contains("Your promotion review") && text.contains(&review.title), "{text}");
    assert!(!data.join("saves/campaign-the-leap.json").exists(), "a finished campaign leaves no save");
}
