//! The engine's floor, for `scripts/bench-app.sh`: a bare Bevy app built with the same Bevy
//! features as the game (it is compiled against the same dependency) that opens the same
//! window and shows one text node, in the same desktop update mode (it redraws only when
//! something happens). Nothing of the game is linked in.
//!
//! ```sh
//! cargo run --release --example baseline
//! LEAP_EXIT_AFTER_FIRST_FRAME=1 cargo run --release --example baseline   # as the script runs it
//! ```

use bevy::prelude::*;
use bevy::window::{RequestRedraw, WindowResolution};
use bevy::winit::WinitSettings;

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
    .add_systems(Startup, spawn_text);
    if std::env::var_os("LEAP_EXIT_AFTER_FIRST_FRAME").is_some() {
        app.add_systems(First, exit_after_first_frame);
    }
    app.run()
}

fn spawn_text(mut commands: Commands) {
    commands.spawn(Camera2d);
    commands.spawn((Text::new("The Leap"), TextFont { font_size: FontSize::Px(48.0), ..default() }));
}

/// The same probe as the game's (`src/game/platform.rs`): once the first frame with laid-out
/// text has been presented, prints when and the peak memory so far, and exits.
fn exit_after_first_frame(
    mut seen_at: Local<Option<u32>>,
    mut updates: Local<u32>,
    texts: Query<&ComputedNode, With<Text>>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut exit: MessageWriter<AppExit>,
) {
    *updates += 1;
    redraw.write(RequestRedraw);
    match *seen_at {
        None if texts.iter().any(|node| node.size().x > 0.0) => *seen_at = Some(*updates),
        Some(seen) if *updates > seen => {
            let unix_us =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros());
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).map_or("unknown", str::trim);
            println!("first-frame unix_us={unix_us} peak_rss={}", peak.replace(' ', ""));
            exit.write(AppExit::Success);
        }
        _ => {}
    }
}
