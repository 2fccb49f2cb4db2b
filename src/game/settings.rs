//! Player settings, remembered between runs: text size, palette, motion, full screen.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::save::{DataDir, ReadOutcome, read_or_set_aside, write_atomic};
use super::screen::StartupWarnings;

#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// UI scale: 1.0 is the default size.
    pub text_scale: f32,
    /// Okabe–Ito colours, distinguishable with the common forms of colour blindness.
    pub colour_blind_palette: bool,
    pub reduced_motion: bool,
    pub full_screen: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { text_scale: 1.0, colour_blind_palette: false, reduced_motion: false, full_screen: false }
    }
}

pub const TEXT_SCALES: [f32; 5] = [0.85, 1.0, 1.15, 1.3, 1.5];

impl Settings {
    pub fn step_text_scale(&mut self, up: bool) {
        let i = TEXT_SCALES.iter().position(|s| (*s - self.text_scale).abs() < 0.01).unwrap_or(1);
        let i = if up { (i + 1).min(TEXT_SCALES.len() - 1) } else { i.saturating_sub(1) };
        self.text_scale = TEXT_SCALES[i];
    }
}

/// Which setting a settings button changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingChange {
    TextSmaller,
    TextLarger,
    TogglePalette,
    ToggleMotion,
    ToggleFullScreen,
}

impl Settings {
    pub fn change(&mut self, change: SettingChange) {
        match change {
            SettingChange::TextSmaller => self.step_text_scale(false),
            SettingChange::TextLarger => self.step_text_scale(true),
            SettingChange::TogglePalette => self.colour_blind_palette = !self.colour_blind_palette,
            SettingChange::ToggleMotion => self.reduced_motion = !self.reduced_motion,
            SettingChange::ToggleFullScreen => self.full_screen = !self.full_screen,
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    // Loaded while building, so every screen (even the first OnEnter) can rely on them.
    if !app.world().contains_resource::<DataDir>() {
        app.insert_resource(DataDir::from_env());
    }
    let dir = app.world().resource::<DataDir>().clone();
    let mut warnings = Vec::new();
    let settings = load_settings(&dir, &mut warnings);
    app.init_resource::<StartupWarnings>();
    app.world_mut().resource_mut::<StartupWarnings>().0.extend(warnings);
    app.insert_resource(UiScale(settings.text_scale))
        .insert_resource(settings)
        .add_systems(Update, (apply_ui_scale, save_settings).run_if(resource_exists_and_changed::<Settings>));
}

fn load_settings(dir: &DataDir, warnings: &mut Vec<String>) -> Settings {
    match read_or_set_aside::<Settings>(&dir.settings_path()) {
        ReadOutcome::Read(settings) => settings,
        ReadOutcome::Missing => Settings::default(),
        ReadOutcome::SetAside { why, moved_to } => {
            warnings.push(format!(
                "Your settings could not be read ({why}); defaults are in use.{}",
                moved_to.map(|p| format!(" The old file was moved to {}.", p.display())).unwrap_or_default()
            ));
            Settings::default()
        }
    }
}

fn apply_ui_scale(settings: Res<Settings>, mut scale: ResMut<UiScale>) {
    scale.0 = settings.text_scale;
}

fn save_settings(settings: Res<Settings>, dir: Res<DataDir>) {
    if settings.is_added() {
        return;
    }
    if let Err(e) = write_atomic(&dir.settings_path(), &*settings) {
        warn!("could not save settings: {e}");
    }
}
