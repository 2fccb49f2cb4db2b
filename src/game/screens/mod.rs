//! One plugin per screen; this file adds them and keeps the current screen in step with
//! the scenario files and settings.

mod consequence;
pub mod debrief;
mod lrs_settings;
mod notice;
mod play;
mod review;
mod select;
mod settings;
mod title;
mod year;

use bevy::prelude::*;

use super::library::Library;
use super::rebuild::{AskForRebuild, Rebuild};
use super::run::ActiveRun;
use super::theme::Theme;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((
        super::theme::plugin,
        title::plugin,
        select::plugin,
        play::plugin,
        consequence::plugin,
        debrief::plugin,
        review::plugin,
        settings::plugin,
        lrs_settings::plugin,
        notice::plugin,
        year::plugin,
    ))
    .add_systems(Update, (follow_scenario_edits, rebuild_on_change).chain().in_set(AskForRebuild));
}

/// When a designer saves the file being played, the run continues on the new version, as
/// long as the beat it stands on still exists (else it keeps the version it started with).
fn follow_scenario_edits(library: Res<Library>, run: Option<ResMut<ActiveRun>>) {
    if !library.is_changed() {
        return;
    }
    let Some(mut run) = run else { return };
    let Some(fresh) = library.scenario(&run.scenario.id) else { return };
    if *fresh != run.scenario && run.session.current_beat(fresh).is_ok() {
        run.scenario = fresh.clone();
    }
}

/// Rebuilds the current screen when what it shows has changed (an edited scenario, a new
/// palette or text size), so edits appear live.
fn rebuild_on_change(
    library: Res<Library>,
    theme: Res<Theme>,
    mut rebuild: ResMut<Rebuild>,
    mut seen: Local<Option<u64>>,
) {
    let generation_changed = seen.is_some_and(|g| g != library.generation);
    *seen = Some(library.generation);
    if generation_changed {
        // The reload latency test reads this line: the frame that shows an edit.
        info!("showing scenario edits (generation {})", library.generation);
    }
    if generation_changed || (theme.is_changed() && !theme.is_added()) {
        rebuild.request();
    }
}
