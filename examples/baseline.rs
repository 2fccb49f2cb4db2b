//! The engine's floor, for `scripts/bench-app.sh`: a bare Bevy app built with the same Bevy
//! features as the game (it is compiled against the same dependency) that opens the same
//! window and shows one text node, in the same desktop update mode (it redraws only when
//! something happens). Nothing of the game is linked in but its first-frame probe.
//!
//! ```sh
//! cargo run --release --example baseline
//! LEAP_EXIT_AFTER_FIRST_FRAME=1 cargo run --release --example baseline   # as the script runs it
//! ```

use bevy::prelude::*;
use bevy::window::WindowResolution;
use bevy::winit::WinitSettings;

/// The game's own first-frame probe, the same file, so both are measured alike.
#[path = "../src/game/first_frame.rs"]
mod first_frame;

fn main() -> AppExit {
    let mut app = App::new();
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window {
            title: "Baseline".into(),
            resolution: WindowResolution::new(1280, 800),
            ..default()
        }),
        ..default()
    }))
    .insert_resource(WinitSettings::desktop_app())
    .add_systems(Startup, spawn_text)
    .add_plugins(first_frame::plugin);
    app.run()
}

fn spawn_text(mut commands: Commands) {
    commands.spawn(Camera2d);
    commands.spawn((Text::new("The Leap"), TextFont { font_size: FontSize::Px(48.0), ..default() }));
}
