//! What the solo game writes, and what it says when it cannot (issue 17, items 1, 4, 5, 6, 8
//! and 14), driven headless through the player's intents and keys.
#![cfg(feature = "game")]

mod common;

/// Files one finished session exports (CSV, JSON, xAPI and the report).
const FORMATS: usize = leap::export::ExportFormat::ALL.len();

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use leap::engine::Position;
use leap::game::{ActiveRun, Intent, Screen};
use leap::record::read_log;

/// Where a run of `small` is saved.
const SAVE: &str = "saves/scenario-small.json";

fn game(data: &Path) -> App {
    common::headless_game(data, &common::fixture("valid"))
}

fn send(app: &mut App, intent: Intent) {
    app.world_mut().write_message(intent);
    app.update();
    app.update();
}

fn press(app: &mut App, key: KeyCode) {
    common::tap_key(app, key);
    app.update();
}

/// The session logs in `data`, sorted by name.
fn logs(data: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(data.join("sessions"))
        .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "jsonl")).collect())
        .unwrap_or_default();
    found.sort();
    found
}

fn exports(data: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(data.join("sessions/exports"))
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// Plays `small` from the start to its ending: blame, then do-it.
fn play_small(app: &mut App, seed: u64) {
    send(app, Intent::StartScenario { id: "small".into(), seed: Some(seed) });
    send(app, Intent::Choose("blame".into()));
    send(app, Intent::Proceed);
    send(app, Intent::Choose("do-it".into()));
    send(app, Intent::Proceed);
    assert_eq!(common::screen(app), Screen::Debrief);
}

#[test]
fn a_crash_between_the_log_line_and_the_save_continues_from_the_log() {
    let data = common::scratch_dir("saving-between-writes");
    let mut first = game(&data);
    send(&mut first, Intent::StartScenario { id: "small".into(), seed: Some(3) });
    let before_decision = std::fs::read(data.join(SAVE)).unwrap();
    send(&mut first, Intent::Choose("blame".into()));
    drop(first);
    // What a kill between the two writes leaves: the decision is in the log, the save is older.
    std::fs::write(data.join(SAVE), before_decision).unwrap();
    assert_eq!(read_log(&logs(&data)[0]).unwrap().decisions.len(), 1);

    let mut app = game(&data);
    send(&mut app, Intent::ContinueSaved);
    assert_eq!(common::screen(&app), Screen::Play);
    let run = app.world().resource::<ActiveRun>().clone();
    assert_eq!(run.session.transcript.len(), 1, "the decision in the log was lost");
    assert_eq!(run.session.position, Position::AtBeat("second".into()));
    send(&mut app, Intent::Choose("do-it".into()));
    let recorded = read_log(&logs(&data)[0]).expect("the log reads after going on");
    assert_eq!(recorded.decisions.iter().map(|d| d.number).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(recorded.ends.len(), 1);
    assert_eq!(exports(&data).len(), FORMATS, "the finished run was exported");
}

#[test]
fn a_crash_after_the_last_decision_but_before_its_ending_writes_the_ending_on_continue() {
    let data = common::scratch_dir("saving-before-end");
    let mut first = game(&data);
    send(&mut first, Intent::StartScenario { id: "small".into(), seed: Some(3) });
    send(&mut first, Intent::Choose("blame".into()));
    let save = std::fs::read(data.join(SAVE)).unwrap();
    send(&mut first, Intent::Proceed);
    send(&mut first, Intent::Choose("do-it".into()));
    drop(first);
    // Killed after the last decision's line, before its `end` line and before the save went.
    let log = logs(&data)[0].clone();
    let text = std::fs::read_to_string(&log).unwrap();
    let without_end: String =
        text.lines().filter(|l| !l.contains("\"kind\":\"end\"")).map(|l| format!("{l}\n")).collect();
    std::fs::write(&log, without_end).unwrap();
    std::fs::write(data.join(SAVE), save).unwrap();
    std::fs::remove_dir_all(data.join("sessions/exports")).unwrap();

    let mut app = game(&data);
    send(&mut app, Intent::ContinueSaved);
    assert_eq!(common::screen(&app), Screen::Debrief);
    let recorded = read_log(&log).unwrap();
    assert_eq!((recorded.decisions.len(), recorded.ends.len()), (2, 1));
    assert_eq!(exports(&data).len(), FORMATS);
    assert!(!data.join(SAVE).exists(), "a finished run keeps no save");
}

#[test]
fn runs_started_in_the_same_second_get_their_own_logs() {
    let data = common::scratch_dir("saving-same-second");
    let mut app = game(&data);
    send(&mut app, Intent::StartScenario { id: "small".into(), seed: Some(1) });
    // The first run has a save, so starting again is asked first; this is the answer "yes".
    send(&mut app, Intent::StartScenarioOver { id: "small".into(), seed: Some(2) });
    send(&mut app, Intent::Choose("own".into()));
    let logs = logs(&data);
    assert_eq!(logs.len(), 2, "{logs:?}");
    assert_eq!(read_log(&logs[0]).unwrap().header.seed + read_log(&logs[1]).unwrap().header.seed, 3);
    let decided: usize = logs.iter().map(|l| read_log(l).unwrap().decisions.len()).sum();
    assert_eq!(decided, 1, "the second run's decision was not recorded");
}

#[test]
fn a_log_that_cannot_be_started_is_said_on_screen() {
    let data = common::scratch_dir("saving-no-log");
    // A file where the sessions folder should be.
    std::fs::write(data.join("sessions"), b"in the way").unwrap();
    let mut app = game(&data);
    send(&mut app, Intent::StartScenario { id: "small".into(), seed: Some(1) });
    assert_eq!(common::screen(&app), Screen::Play);
    let text = common::screen_text(&mut app);
    assert!(text.contains("Progress is not being saved."), "{text}");
    assert!(text.contains("This run is not being recorded") && text.contains("press R to retry"), "{text}");
}

#[test]
fn a_save_that_fails_is_shown_until_a_retry_works() {
    let data = common::scratch_dir("saving-banner");
    // A folder where the run's save should be: every save fails.
    std::fs::create_dir_all(data.join(SAVE)).unwrap();
    let mut app = game(&data);
    send(&mut app, Intent::StartScenario { id: "small".into(), seed: Some(1) });
    let text = common::screen_text(&mut app);
    assert!(text.contains("Progress is not being saved.") && text.contains("scenario-small.json"), "{text}");
    send(&mut app, Intent::Choose("own".into()));
    assert_eq!(common::screen(&app), Screen::Consequence);
    assert!(common::screen_text(&mut app).contains("Progress is not being saved."), "the banner went away");

    // Still failing: R says so again.
    press(&mut app, KeyCode::KeyR);
    assert!(common::screen_text(&mut app).contains("Progress is not being saved."));
    // Fixed: R saves, and the banner goes.
    std::fs::remove_dir(data.join(SAVE)).unwrap();
    press(&mut app, KeyCode::KeyR);
    assert!(!common::screen_text(&mut app).contains("Progress is not being saved."));
    let saved: leap::game::SaveFile = serde_json::from_slice(&std::fs::read(data.join(SAVE)).unwrap()).unwrap();
    assert_eq!(saved.session.transcript.len(), 1);
}

#[test]
fn replaying_from_a_decision_records_a_log_that_reads_and_exports() {
    let data = common::scratch_dir("saving-replay");
    let mut app = game(&data);
    play_small(&mut app, 3);
    // Replay from decision 2, and play it the other way.
    send(&mut app, Intent::ReplayFrom(2));
    assert_eq!(common::screen(&app), Screen::Play);
    send(&mut app, Intent::Choose("goals".into()));
    send(&mut app, Intent::Proceed);
    assert_eq!(common::screen(&app), Screen::Debrief);
    let text = common::screen_text(&mut app);
    assert!(!text.contains("could not be written"), "{text}");
    let logs = logs(&data);
    assert_eq!(logs.len(), 2);
    for log in &logs {
        let recorded = read_log(log).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(recorded.decisions.iter().map(|d| d.number).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(recorded.decisions[0].chosen, "blame", "the replay keeps the decisions before it");
    }
    assert_eq!(exports(&data).len(), 2 * FORMATS, "both runs exported: {:?}", exports(&data));
}

#[test]
fn a_second_finished_run_does_not_replace_the_first_runs_exports() {
    let data = common::scratch_dir("saving-two-exports");
    let mut app = game(&data);
    play_small(&mut app, 3);
    let first = exports(&data);
    assert_eq!(first.len(), FORMATS);
    play_small(&mut app, 4);
    let both = exports(&data);
    assert_eq!(both.len(), 2 * FORMATS, "{both:?}");
    assert!(first.iter().all(|name| both.contains(name)));
}

#[test]
fn an_out_of_range_text_size_is_clamped_and_said() {
    for (written, used) in [("0", 0.85), ("-5", 0.85), ("1e30", 1.5)] {
        let data = common::scratch_dir(&format!("saving-text-scale-{written}"));
        std::fs::write(data.join("settings.json"), format!("{{\"text_scale\": {written}}}")).unwrap();
        let mut app = game(&data);
        assert_eq!(app.world().resource::<leap::game::Settings>().text_scale, used, "{written}");
        assert_eq!(app.world().resource::<UiScale>().0, used, "{written}");
        let text = common::screen_text(&mut app);
        assert!(text.contains("The text size in your settings"), "{written}: {text}");
    }
}

fn first_open_choice(app: &App) -> String {
    let run = app.world().resource::<ActiveRun>();
    let views = run.session.visible_choices(&run.scenario);
    views.iter().find(|v| v.available()).expect("an open choice").choice.id.clone()
}

#[test]
fn the_campaign_and_each_scenario_keep_their_own_saved_run() {
    let data = common::scratch_dir("saving-slots");
    let mut app = common::headless_game(&data, &common::root().join("scenarios"));
    send(&mut app, Intent::StartCampaign);
    let choice = first_open_choice(&app);
    send(&mut app, Intent::Choose(choice));
    send(&mut app, Intent::Open(Screen::Title));
    // A lone scenario mid-campaign: the campaign's run stays saved.
    send(&mut app, Intent::StartScenario { id: "the-pet-project".into(), seed: Some(5) });
    assert_eq!(common::screen(&app), Screen::Play);
    let choice = first_open_choice(&app);
    send(&mut app, Intent::Choose(choice));
    send(&mut app, Intent::Open(Screen::Title));

    let text = common::screen_text(&mut app);
    assert!(text.contains("Continue: The Leap (campaign), The Slipping Analyst, after 1 decision"), "{text}");
    assert!(text.contains("Continue: The Pet Project, after 1 decision"), "{text}");
    send(&mut app, Intent::ContinueRun(data.join("saves/campaign-the-leap.json")));
    assert_eq!(common::screen(&app), Screen::Play);
    let run = app.world().resource::<ActiveRun>().clone();
    assert_eq!((run.scenario.id.as_str(), run.session.transcript.len()), ("the-slipping-analyst", 1));
    assert!(run.campaign.is_some(), "the campaign's run came back as a campaign");
}

#[test]
fn starting_a_scenario_with_a_run_in_progress_asks_first() {
    let data = common::scratch_dir("saving-ask");
    let mut app = game(&data);
    send(&mut app, Intent::StartScenario { id: "small".into(), seed: Some(1) });
    send(&mut app, Intent::Choose("own".into()));
    send(&mut app, Intent::Open(Screen::Title));
    send(&mut app, Intent::StartScenario { id: "small".into(), seed: Some(2) });
    assert_eq!(common::screen(&app), Screen::Notice);
    let text = common::screen_text(&mut app);
    assert!(text.contains("A Small Test is in progress"), "{text}");
    assert!(text.contains("Continue that run") && text.contains("Start over and discard it"), "{text}");
    let saved = |data: &Path| -> leap::game::SaveFile {
        serde_json::from_slice(&std::fs::read(data.join(SAVE)).unwrap()).unwrap()
    };
    assert_eq!(saved(&data).session.transcript.len(), 1, "the run was thrown away without asking");

    // Enter on the first button continues it.
    press(&mut app, KeyCode::Enter);
    assert_eq!(common::screen(&app), Screen::Play);
    assert_eq!(app.world().resource::<ActiveRun>().session.transcript.len(), 1);

    // Starting over, once asked, discards it.
    send(&mut app, Intent::StartScenarioOver { id: "small".into(), seed: Some(2) });
    assert_eq!(common::screen(&app), Screen::Play);
    assert_eq!(saved(&data).session.transcript.len(), 0);
    assert_eq!(saved(&data).session.seed, 2);
}

#[test]
fn a_save_from_before_saved_runs_were_kept_apart_still_continues() {
    let data = common::scratch_dir("saving-old-save");
    let mut first = game(&data);
    send(&mut first, Intent::StartScenario { id: "small".into(), seed: Some(3) });
    send(&mut first, Intent::Choose("blame".into()));
    drop(first);
    std::fs::rename(data.join(SAVE), data.join("save.json")).unwrap();

    let mut app = game(&data);
    assert!(common::screen_text(&mut app).contains("Continue: A Small Test, after 1 decision"));
    send(&mut app, Intent::ContinueSaved);
    assert_eq!(common::screen(&app), Screen::Play);
    send(&mut app, Intent::Choose("do-it".into()));
    assert!(!data.join("save.json").exists(), "the old save is gone once the run is saved in its own file");
}

#[test]
fn a_workshop_that_cannot_record_says_so_before_the_first_decision() {
    use leap::game::{MeterMode, WorkshopConfig, WorkshopIntent, WorkshopTarget};
    let data = common::scratch_dir("saving-workshop");
    std::fs::write(data.join("sessions"), b"in the way").unwrap();
    let mut app = game(&data);
    let config = WorkshopConfig {
        name: "Cohort".into(),
        target: WorkshopTarget::Scenario("small".into()),
        meters: MeterMode::Shown,
        timer_minutes: None,
        seed: Some(1),
    };
    app.world_mut().write_message(WorkshopIntent::Start(config));
    app.update();
    app.update();
    assert_eq!(common::screen(&app), Screen::Notice, "the room started without a session log");
    let text = common::screen_text(&mut app);
    assert!(text.contains("The workshop cannot start") && text.contains("Cannot create the session log"), "{text}");
}
