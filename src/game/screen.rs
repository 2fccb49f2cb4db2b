//! The screens as a state machine, and the notice shown by the notice screen.

use bevy::prelude::*;

#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    #[default]
    Title,
    Select,
    Play,
    Consequence,
    Debrief,
    Review,
    /// The campaign's year: the introduction, the map of scenarios, the reputation carried.
    Year,
    Settings,
    Notice,
    WorkshopSetup,
    WorkshopRoom,
    WorkshopConsequence,
    WorkshopDebrief,
    /// "Everyone plays": each phone plays on its own; the projector shows the round.
    WorkshopEveryone,
}

/// A message for the notice screen: what went wrong and what the player can do.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct Notice {
    pub title: String,
    pub body: String,
    /// Offer to restart the current scenario from its first beat.
    pub offer_restart: bool,
    /// Ask before quitting (a run is in progress): Quit, or back to the title.
    pub confirm_quit: bool,
}

/// Problems found at start-up (a corrupt save, say), shown on the title screen.
#[derive(Resource, Debug, Clone, Default)]
pub struct StartupWarnings(pub Vec<String>);

pub(super) fn plugin(app: &mut App) {
    app.init_state::<Screen>()
        .init_resource::<Notice>()
        .init_resource::<StartupWarnings>()
        .init_resource::<super::library::Library>();
}
