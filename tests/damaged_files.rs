//! Saves, settings, the record of best endings and session logs that are empty, cut off or
//! garbage: each is reported and set aside (renamed, byte for byte), never silently
//! overwritten, and the game goes on with defaults.
#![cfg(feature = "game")]

mod common;

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use leap::game::{Intent, Screen, Settings};

/// Where a run of `small` is saved (each scenario and the campaign have their own file).
const SAVE: &str = "saves/scenario-small.json";

const DAMAGED: [(&str, &[u8]); 4] = [
    ("empty", b""),
    ("blank", b"  \n\t\n"),
    ("garbage", b"\x00\xffnot json at all {{{"),
    ("cut off", b"{\"format\": 1, \"session\": {\"scenario_id\": \"sm"),
];

fn game(data: &Path) -> App {
    common::headless_game(data, &common::fixture("valid"))
}

fn send(app: &mut App, intent: Intent) {
    app.world_mut().write_message(intent);
    app.update();
    app.update();
}

/// The files `name.corrupt-*` in `data`.
fn set_aside(data: &Path, name: &str) -> Vec<PathBuf> {
    let prefix = format!("{name}.corrupt-");
    std::fs::read_dir(data)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect()
}

#[test]
fn a_damaged_save_is_reported_when_continued_and_set_aside_unchanged() {
    for (what, bytes) in DAMAGED {
        let data = common::scratch_dir(&format!("damaged-save-{}", what.replace(' ', "-")));
        std::fs::write(data.join("save.json"), bytes).unwrap();
        let mut app = game(&data);
        let title = common::screen_text(&mut app);
        assert!(title.contains("Continue (the saved game looks damaged)"), "{what}: {title}");

        send(&mut app, Intent::ContinueSaved);
        assert_eq!(common::screen(&app), Screen::Notice, "{what}");
        let text = common::screen_text(&mut app);
        assert!(text.contains("Saved game could not be read"), "{what}: {text}");
        assert!(text.contains("nothing was deleted"), "{what}: {text}");
        if bytes.iter().all(u8::is_ascii_whitespace) {
            assert!(text.contains("the file is empty"), "{what}: {text}");
        }
        assert!(!data.join("save.json").exists(), "{what}: the damaged save is still in place");
        let aside = set_aside(&data, "save.json");
        assert_eq!(aside.len(), 1, "{what}");
        assert_eq!(std::fs::read(&aside[0]).unwrap(), bytes, "{what}: the set-aside copy differs");

        // A new game afterwards saves normally and leaves the set-aside copy alone.
        send(&mut app, Intent::StartScenario { id: "small".into(), seed: Some(1) });
        send(&mut app, Intent::Choose("own".into()));
        assert!(std::fs::read_to_string(data.join(SAVE)).unwrap().contains("\"own\""), "{what}");
        assert_eq!(std::fs::read(&aside[0]).unwrap(), bytes, "{what}");
    }
}

#[test]
fn damaged_settings_are_reported_on_the_title_and_defaults_are_used() {
    for (what, bytes) in DAMAGED {
        let data = common::scratch_dir(&format!("damaged-settings-{}", what.replace(' ', "-")));
        std::fs::write(data.join("settings.json"), bytes).unwrap();
        let mut app = game(&data);
        assert_eq!(*app.world().resource::<Settings>(), Settings::default(), "{what}");
        let text = common::screen_text(&mut app);
        assert!(text.contains("Your settings could not be read"), "{what}: {text}");
        assert!(text.contains("defaults are in use"), "{what}: {text}");
        let aside = set_aside(&data, "settings.json");
        assert_eq!(aside.len(), 1, "{what}");
        assert!(text.contains(&aside[0].display().to_string()), "{what}: the message names the copy: {text}");
        assert_eq!(std::fs::read(&aside[0]).unwrap(), bytes, "{what}");

        // Changing a setting writes a fresh file; the damaged copy stays as it was.
        send(&mut app, Intent::ChangeSetting(leap::game::SettingChange::TogglePalette));
        let saved: leap::record::settings::Settings =
            serde_json::from_slice(&std::fs::read(data.join("settings.json")).unwrap()).unwrap();
        assert!(saved.colour_blind_palette, "{what}");
        assert_eq!(std::fs::read(&aside[0]).unwrap(), bytes, "{what}");
    }
}

#[test]
fn a_damaged_record_of_best_endings_is_reported_and_set_aside() {
    for (what, bytes) in DAMAGED {
        let data = common::scratch_dir(&format!("damaged-progress-{}", what.replace(' ', "-")));
        std::fs::write(data.join("progress.json"), bytes).unwrap();
        let mut app = game(&data);
        // The record is read after the first title screen is built, so the warning shows from
        // the next time the title is opened.
        send(&mut app, Intent::Open(Screen::Select));
        send(&mut app, Intent::Open(Screen::Title));
        let text = common::screen_text(&mut app);
        assert!(text.contains("Your record of best endings could not be read"), "{what}: {text}");
        let aside = set_aside(&data, "progress.json");
        assert_eq!(aside.len(), 1, "{what}");
        assert_eq!(std::fs::read(&aside[0]).unwrap(), bytes, "{what}");
    }
}

#[test]
fn a_save_whose_session_log_is_damaged_plays_on_and_never_touches_the_log() {
    for (what, bytes) in DAMAGED {
        let data = common::scratch_dir(&format!("damaged-log-{}", what.replace(' ', "-")));
        let mut first = game(&data);
        send(&mut first, Intent::StartScenario { id: "small".into(), seed: Some(3) });
        send(&mut first, Intent::Choose("blame".into()));
        drop(first);
        let save: serde_json::Value = serde_json::from_slice(&std::fs::read(data.join(SAVE)).unwrap()).unwrap();
        let log = PathBuf::from(save["log"].as_str().expect("the save names its session log"));
        std::fs::write(&log, bytes).unwrap();

        let mut app = game(&data);
        send(&mut app, Intent::ContinueSaved);
        assert_eq!(common::screen(&app), Screen::Play, "{what}");
        send(&mut app, Intent::Choose("do-it".into()));
        assert_eq!(common::screen(&app), Screen::Consequence, "{what}");
        assert_eq!(std::fs::read(&log).unwrap(), bytes, "{what}: the damaged log was written to");
        // Reading it still says what is wrong with it, naming the file.
        let error = leap::record::read_log(&log).unwrap_err().to_string();
        assert!(error.contains(&log.display().to_string()), "{what}: {error}");
    }
}

#[test]
fn a_save_is_written_whole_whatever_lies_at_the_old_temporary_name() {
    let data = common::scratch_dir("damaged-atomic");
    let mut app = game(&data);
    send(&mut app, Intent::StartScenario { id: "small".into(), seed: Some(3) });
    // Something planted where the temporary file used to be made (a folder here; a link in
    // tests/export_safety.rs): each save makes a fresh temporary file of its own instead.
    std::fs::create_dir(data.join(format!("{SAVE}.tmp"))).unwrap();
    send(&mut app, Intent::Choose("blame".into()));
    assert_eq!(common::screen(&app), Screen::Consequence);
    let saved: leap::game::SaveFile = serde_json::from_slice(&std::fs::read(data.join(SAVE)).unwrap()).unwrap();
    assert_eq!(saved.session.transcript.len(), 1);
    let leftovers: Vec<_> = std::fs::read_dir(data.join("saves"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") && n != "scenario-small.json.tmp")
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
}
