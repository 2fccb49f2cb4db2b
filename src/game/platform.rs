//! What only the real window needs: Bevy's default plugins, the window, fonts, the camera,
//! full screen, and accessibility labels on buttons.

use bevy::a11y::AccessibilityNode;
use bevy::asset::io::{AssetSource, AssetSourceBuilder};
use bevy::prelude::*;
use bevy::window::{PrimaryWindow, WindowMode, WindowResolution};
use bevy::winit::WinitSettings;

use super::LaunchOptions;
use super::settings::Settings;
use super::theme::BoldFont;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Adds Bevy's plugins, with the scenarios folder registered as the `scenarios://` source.
pub fn add_default_plugins(app: &mut App, options: &LaunchOptions) {
    register_scenarios_source(app, &options.scenarios);
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "The Leap".into(),
                    resolution: WindowResolution::new(1280, 800),
                    ..default()
                }),
                ..default()
            })
            .set(AssetPlugin { watch_for_changes_override: Some(true), ..default() }),
    );
}

/// Makes `dir` the `scenarios://` asset source; must run before the asset plugin is added.
/// Its watcher waits only briefly for an editor to finish writing, and wakes the window's
/// event loop when a file changes (see `live_reload`).
pub fn register_scenarios_source(app: &mut App, dir: &std::path::Path) {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let path = dir.to_string_lossy().into_owned();
    let wake = super::live_reload::EditAlarm::default();
    let source = AssetSourceBuilder::new(AssetSource::get_default_reader(path.clone()))
        .with_watcher(super::live_reload::waking_watcher(dir.clone(), wake.clone()));
    app.register_asset_source("scenarios", source);
    app.insert_resource(wake);
    app.insert_resource(super::library_assets::ScenariosDir(dir));
}

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((super::first_frame::plugin, super::live_reload::plugin));
    app.insert_resource(WinitSettings::desktop_app())
        .add_systems(Startup, (spawn_camera, install_fonts))
        .add_systems(Update, apply_window_mode.run_if(resource_exists_and_changed::<Settings>))
        .add_systems(Update, screenshot_on_f12)
        .add_systems(
            PostUpdate,
            keep_button_labels.after(bevy::ui::UiSystems::PostLayout).before(bevy::a11y::AccessibilitySystems::Update),
        );
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}

/// DejaVu Sans replaces the built-in font, which only covers ASCII (no curly quotes or accents).
pub(super) fn install_fonts(mut fonts: ResMut<Assets<Font>>, mut commands: Commands) {
    let _ = fonts.insert(AssetId::default(), Font::from_bytes(REGULAR.to_vec()));
    let bold = fonts.add(Font::from_bytes(BOLD.to_vec()));
    commands.insert_resource(BoldFont(bold));
}

fn apply_window_mode(settings: Res<Settings>, mut window: Single<&mut Window, With<PrimaryWindow>>) {
    let wanted = if settings.full_screen {
        WindowMode::BorderlessFullscreen(MonitorSelection::Current)
    } else {
        WindowMode::Windowed
    };
    if window.mode != wanted {
        window.mode = wanted;
    }
}

/// bevy_ui replaces a button's accessible label with its text; put ours back.
fn keep_button_labels(mut buttons: Query<(&AccessibleLabel, &mut AccessibilityNode), Changed<Button>>) {
    for (label, mut node) in &mut buttons {
        node.set_label(label.0.clone());
    }
}

/// F12 saves a screenshot into the data folder's `screenshots/` (handy for bug reports).
fn screenshot_on_f12(mut commands: Commands, keys: Res<ButtonInput<KeyCode>>, dir: Res<super::save::DataDir>) {
    if !keys.just_pressed(KeyCode::F12) {
        return;
    }
    let folder = dir.0.join("screenshots");
    if let Err(e) = std::fs::create_dir_all(&folder) {
        warn!("cannot create {}: {e}", folder.display());
        return;
    }
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    let path = folder.join(format!("leap-{stamp}.png"));
    info!("screenshot saved to {}", path.display());
    commands
        .spawn(bevy::render::view::screenshot::Screenshot::primary_window())
        .observe(bevy::render::view::screenshot::save_to_disk(path));
}
