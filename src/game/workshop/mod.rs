//! Workshop mode: a facilitator runs a scenario with a room on a projector. Large text,
//! keyboard only, a discussion timer, room votes, a reveal key for hidden meters, a room
//! debrief in the order of good debriefing practice, and a session log with exports.

mod consequence;
mod debrief;
mod everyone;
mod flow;
mod phones;
mod projector;
mod room;
mod setup;
mod timer;
mod widgets;

use bevy::prelude::*;

pub use everyone::{EveryoneIntent, EveryoneRound, is_everyone_log};
pub use flow::{MeterMode, Workshop, WorkshopConfig, WorkshopIntent, WorkshopTarget};
pub use phones::PhoneSettings;
pub use projector::{MustRead, unreadable};
pub use setup::SetupForm;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((
        projector::plugin,
        flow::plugin,
        setup::plugin,
        room::plugin,
        consequence::plugin,
        debrief::plugin,
        timer::plugin,
        phones::plugin,
        everyone::plugin,
    ));
}
