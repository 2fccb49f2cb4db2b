//! The windowed game (placeholder until the game issue lands).

use std::path::PathBuf;
use std::process::ExitCode;

use bevy::prelude::*;

/// True when a window can plausibly open (a display server is named).
pub fn display_available() -> bool {
    if cfg!(target_os = "linux") {
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
    } else {
        true
    }
}

pub fn run(_scenarios: PathBuf) -> ExitCode {
    if !display_available() {
        eprintln!(
            "leap: no display to open a window on (DISPLAY is not set).\n\
             Play in the terminal instead: leap play --text"
        );
        return ExitCode::from(2);
    }
    App::new()
        .add_plugins(
            DefaultPlugins.set(WindowPlugin {
                primary_window: Some(Window { title: "The Leap".into(), ..default() }),
                ..default()
            }),
        )
        .add_systems(Startup, |mut commands: Commands| {
            commands.spawn(Camera2d);
            commands.spawn((Text::new("The Leap"), TextFont { font_size: FontSize::Px(48.0), ..default() }));
        })
        .run();
    ExitCode::SUCCESS
}
