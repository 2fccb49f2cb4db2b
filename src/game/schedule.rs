//! The order of a frame: read input (keys, clicks, autoplay) into intents, apply the intents
//! (the only systems that change the run), then present what changed (rebuild screens,
//! animate meters, show focus). So a key pressed in a frame is shown in that same frame.

use bevy::prelude::*;

#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GameSystems {
    /// Keys, clicks and scripted play turned into intents; nothing here changes the run.
    Input,
    /// Intents applied to the run, the workshop and the settings.
    Apply,
    /// Screens rebuilt and animated from the state the intents left.
    Present,
}

pub(super) fn plugin(app: &mut App) {
    app.configure_sets(Update, (GameSystems::Input, GameSystems::Apply, GameSystems::Present).chain());
}
