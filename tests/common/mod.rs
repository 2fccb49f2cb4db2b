//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod display;
pub mod sessions;

use std::path::{Path, PathBuf};

use leap::scenario::{Corpus, Scenario};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(path: &str) -> PathBuf {
    root().join("tests/fixtures").join(path)
}

/// Parses RON text that must be a clean scenario.
pub fn scenario_from(text: &str) -> Scenario {
    let corpus = Corpus::from_sources([("inline.ron", text)]);
    let file = &corpus.files[0];
    let errors: Vec<String> = file.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.short()).collect();
    assert!(errors.is_empty(), "inline scenario has errors: {errors:#?}");
    file.scenario().expect("a scenario").clone()
}

pub fn load_scenario(path: &Path) -> Scenario {
    let corpus = Corpus::load(&[path.to_path_buf()]);
    corpus.files[0]
        .scenario()
        .unwrap_or_else(|| panic!("{} did not load: {:?}", path.display(), corpus.files[0].diagnostics))
        .clone()
}

/// The shipped corpus.
pub fn shipped() -> Corpus {
    Corpus::load(&[root().join("scenarios")])
}

/// A fresh, empty folder under Cargo's scratch space for integration tests, unique to `name`.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// Runs the `leap` binary with `input` on stdin; returns its exit code and stdout + stderr.
pub fn run_leap(args: &[&str], input: &str) -> (Option<i32>, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_leap"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A child that exits before reading all its input closes the pipe; that is its answer.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr),
    )
}

#[cfg(feature = "game")]
/// The game without a window or renderer (MinimalPlugins + StatesPlugin + InputPlugin + the
/// game's plugins), with saves in `data` and the scenarios of `scenarios` loaded.
pub fn headless_game(data: &Path, scenarios: &Path) -> bevy::prelude::App {
    use bevy::prelude::*;
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, bevy::state::app::StatesPlugin, bevy::input::InputPlugin));
    app.insert_resource(leap::game::DataDir(data.to_path_buf()));
    app.add_plugins(leap::game::plugin);
    app.insert_resource(leap::game::Library::load_dir(scenarios));
    app.update();
    app
}

#[cfg(feature = "game")]
/// The state the game's screen machine is in.
pub fn screen(app: &bevy::prelude::App) -> leap::game::Screen {
    *app.world().resource::<bevy::prelude::State<leap::game::Screen>>().get()
}

#[cfg(feature = "game")]
/// All text on screen, joined, to assert what the player sees.
pub fn screen_text(app: &mut bevy::prelude::App) -> String {
    let mut query = app.world_mut().query::<&bevy::prelude::Text>();
    query.iter(app.world()).map(|t| t.0.clone()).collect::<Vec<_>>().join("\n")
}

#[cfg(feature = "game")]
/// Presses and releases `key`, a frame for each, as the keyboard would.
pub fn tap_key(app: &mut bevy::prelude::App, key: bevy::prelude::KeyCode) {
    use bevy::input::keyboard::{Key, NativeKey};
    press_key(app, key, Key::Unidentified(NativeKey::Unidentified));
}

/// Presses and releases a key, as the keyboard would: a key code and what it types, a frame each.
#[cfg(feature = "game")]
pub fn press_key(app: &mut bevy::prelude::App, code: bevy::prelude::KeyCode, logical: bevy::input::keyboard::Key) {
    use bevy::input::ButtonState;
    use bevy::input::keyboard::KeyboardInput;
    for state in [ButtonState::Pressed, ButtonState::Released] {
        app.world_mut().write_message(KeyboardInput {
            key_code: code,
            logical_key: logical.clone(),
            state,
            text: None,
            repeat: false,
            window: bevy::prelude::Entity::PLACEHOLDER,
        });
        app.update();
    }
}
