//! Player settings, remembered between runs: text size, palette, motion, full screen.

use bevy::prelude::*;

use super::save::{DataDir, ReadOutcome, read_or_set_aside, write_atomic};
use super::screen::StartupWarnings;

/// The player's settings as a resource; the data and its rules are the record layer's.
#[derive(Resource, Debug, Clone, Default, PartialEq, Deref, DerefMut)]
pub struct Settings(pub crate::record::settings::Settings);

pub use crate::record::settings::SettingChange;

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
    match read_or_set_aside::<crate::record::settings::Settings>(&dir.settings_path()) {
        ReadOutcome::Read(settings) => {
            let (settings, corrected) = settings.within_limits();
            warnings.extend(corrected);
            Settings(settings)
        }
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
    if let Err(e) = write_atomic(&dir.settings_path(), &settings.0) {
        warn!("could not save settings: {e}");
    }
}
