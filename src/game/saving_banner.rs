//! A plain, persistent banner at the bottom of every screen (over the key hints, never over the
//! meters or the story) while progress or the session log
//! cannot be written (a read-only or full disk, a folder where a file should be): what failed,
//! and that pressing R (F5 in the workshop, where R reveals meters) tries again. It stays until
//! a retry works; a WARN line on stderr alone is easy to miss.

use bevy::prelude::*;

use crate::game::intent::Intent;
use crate::game::screen::Screen;
use crate::game::theme::{SMALL_SIZE, Theme};
use crate::game::widgets::{bold_text, text};
use crate::game::workshop::WorkshopIntent;

/// What could not be written, if anything; set by whatever tried to write it.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct SavingProblem(pub Option<String>);

impl SavingProblem {
    pub fn report(&mut self, what: &str, why: impl std::fmt::Display) {
        warn!("{what}: {why}");
        self.0 = Some(format!("{what}: {why}"));
    }
}

#[derive(Component)]
struct SavingBanner;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SavingProblem>().add_systems(
        Update,
        (show_banner, retry_keys.run_if(|p: Res<SavingProblem>| p.0.is_some()).run_if(super::navigation::not_typing)),
    );
}

fn in_workshop(screen: Screen) -> bool {
    matches!(
        screen,
        Screen::WorkshopSetup | Screen::WorkshopRoom | Screen::WorkshopConsequence | Screen::WorkshopDebrief
    )
}

fn show_banner(
    mut commands: Commands,
    problem: Res<SavingProblem>,
    screen: Res<State<Screen>>,
    theme: Res<Theme>,
    banners: Query<Entity, With<SavingBanner>>,
) {
    if !problem.is_changed() && !screen.is_changed() {
        return;
    }
    for banner in &banners {
        commands.entity(banner).despawn();
    }
    let Some(why) = &problem.0 else { return };
    let key = if in_workshop(*screen.get()) { "F5" } else { "R" };
    commands.spawn((
        SavingBanner,
        GlobalZIndex(110),
        Node {
            position_type: PositionType::Absolute,
            bottom: px(0),
            left: px(0),
            right: px(0),
            padding: UiRect::all(px(12)),
            flex_direction: FlexDirection::Column,
            row_gap: px(4),
            ..default()
        },
        BackgroundColor(Color::srgb_u8(0x6b, 0x16, 0x16)),
        children![
            bold_text("Progress is not being saved.", SMALL_SIZE, theme.palette.text, &theme),
            text(format!("{why}. Fix it and press {key} to retry."), SMALL_SIZE, theme.palette.text),
        ],
    ));
}

fn retry_keys(
    keys: Res<ButtonInput<KeyCode>>,
    screen: Res<State<Screen>>,
    mut intents: MessageWriter<Intent>,
    mut workshop_intents: MessageWriter<WorkshopIntent>,
) {
    if in_workshop(*screen.get()) {
        if keys.just_pressed(KeyCode::F5) {
            workshop_intents.write(WorkshopIntent::RetryLog);
        }
    } else if keys.any_just_pressed([KeyCode::KeyR, KeyCode::F5]) {
        intents.write(Intent::RetrySaving);
    }
}
