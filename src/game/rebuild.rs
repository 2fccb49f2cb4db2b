//! The one way a screen is built and rebuilt. Each screen registers its spawn system with
//! [`add_screen`]: it runs when the screen opens, and again whenever something asks for a
//! rebuild (an edited scenario, a new palette, a workshop vote), after the old root is
//! removed. The focused button keeps its place in the tab order across a rebuild.

use bevy::ecs::schedule::ScheduleConfigs;
use bevy::ecs::system::ScheduleSystem;
use bevy::prelude::*;
use bevy_input_focus::tab_navigation::{NavAction, TabIndex, TabNavigation};
use bevy_input_focus::{FocusCause, InputFocus};

use super::schedule::GameSystems;
use super::screen::Screen;
use super::widgets::ScreenRoot;

/// A rebuild of the current screen, asked for during this frame.
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct Rebuild {
    requested: bool,
    /// Where the focus was in the tab order when the old root was removed.
    focus_index: Option<usize>,
}

impl Rebuild {
    /// Builds the current screen again at the end of this frame.
    pub fn request(&mut self) {
        self.requested = true;
    }
}

/// Marks the systems that decide whether the current screen needs rebuilding.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AskForRebuild;

#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct SpawnScreens;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Rebuild>()
        .configure_sets(Update, (AskForRebuild, SpawnScreens).chain().in_set(GameSystems::Present))
        .add_systems(
            Update,
            (remove_old_root.after(AskForRebuild).before(SpawnScreens), restore_focus.after(SpawnScreens))
                .in_set(GameSystems::Present),
        );
}

/// Registers `spawn` as the builder of `screen`: on entering it, and on every rebuild.
pub fn add_screen<M>(app: &mut App, screen: Screen, spawn: impl IntoScheduleConfigs<ScheduleSystem, M> + Copy) {
    let on_rebuild: ScheduleConfigs<ScheduleSystem> =
        spawn.run_if(in_state(screen).and_then(rebuild_requested)).in_set(SpawnScreens);
    app.add_systems(OnEnter(screen), spawn).add_systems(Update, on_rebuild);
}

fn rebuild_requested(rebuild: Res<Rebuild>) -> bool {
    rebuild.requested
}

/// Removes the screen on show before it is built again; a screen change pending for the next
/// frame makes the rebuild pointless (the new screen is built on entering it).
fn remove_old_root(
    mut commands: Commands,
    mut rebuild: ResMut<Rebuild>,
    next: Res<NextState<Screen>>,
    roots: Query<Entity, With<ScreenRoot>>,
    focus: Res<InputFocus>,
    nav: TabNavigation,
) {
    if !rebuild.requested {
        return;
    }
    if !matches!(*next, NextState::Unchanged) {
        rebuild.requested = false;
        return;
    }
    rebuild.focus_index = focus.get().and_then(|focused| tab_order(&nav).iter().position(|e| *e == focused));
    for root in &roots {
        commands.entity(root).try_despawn();
    }
}

/// Puts the focus back on the button at the same place in the tab order.
fn restore_focus(
    mut rebuild: ResMut<Rebuild>,
    mut focus: ResMut<InputFocus>,
    focusable: Query<(), With<TabIndex>>,
    nav: TabNavigation,
) {
    if !rebuild.requested {
        return;
    }
    rebuild.requested = false;
    let Some(index) = rebuild.focus_index.take() else { return };
    if focusable.is_empty() {
        return;
    }
    let order = tab_order(&nav);
    if let Some(entity) = order.get(index.min(order.len().saturating_sub(1))) {
        focus.set(*entity, FocusCause::Navigated);
    }
}

/// Every focusable button of the screen, in tab order.
fn tab_order(nav: &TabNavigation) -> Vec<Entity> {
    let Ok(first) = nav.navigate(&InputFocus::default(), NavAction::First) else { return Vec::new() };
    let mut order = vec![first];
    let mut at = InputFocus::from_entity(first);
    while let Ok(next) = nav.navigate(&at, NavAction::Next) {
        if next == first || order.len() > 10_000 {
            break;
        }
        order.push(next);
        at = InputFocus::from_entity(next);
    }
    order
}
