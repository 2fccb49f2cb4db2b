//! Player settings, remembered between runs: text size, palette, motion, full screen.

use bevy::prelude::*;

use super::save::{DataDir, ReadOutcome, read_or_set_aside};
use super::screen::StartupWarnings;
use crate::record::settings::LrsField;
use crate::record::store::write_private_atomic;

/// The player's settings as a resource; the data and its rules are the record layer's.
#[derive(Resource, Debug, Clone, Default, PartialEq, Deref, DerefMut)]
pub struct Settings(pub crate::record::settings::Settings);

pub use crate::record::settings::SettingChange;

/// Why the value last typed into a settings field was not taken (shown under that field).
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct SettingsProblem(pub Option<(LrsField, String)>);

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
    app.init_resource::<SettingsProblem>();
    app.insert_resource(UiScale(settings.text_scale))
        .insert_resource(settings)
        .add_systems(Update, (apply_ui_scale, save_settings).run_if(resource_exists_and_changed::<Settings>));
}

fn load_settings(dir: &DataDir, warnings: &mut Vec<String>) -> Settings {
    match read_or_set_aside::<crate::record::settings::Settings>(&dir.settings_path()) {
        ReadOutcome::Read(settings) => {
            keep_private(&dir.settings_path());
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

/// The settings file holds the LRS password: only its owner may read it (a file written by
/// an earlier version, readable by all, is narrowed when read).
fn keep_private(path: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
            && let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        {
            warn!("could not make {} readable only by you: {e}", path.display());
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn apply_ui_scale(settings: Res<Settings>, mut scale: ResMut<UiScale>) {
    scale.0 = settings.text_scale;
}

fn save_settings(settings: Res<Settings>, dir: Res<DataDir>) {
    if settings.is_added() {
        return;
    }
    if let Err(e) = write_private_atomic(&dir.settings_path(), &settings.0) {
        warn!("could not save settings: {e}");
    }
}
