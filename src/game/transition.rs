//! A screen arrives with a short slide and fade-up of its content (the situation giving way
//! to what happened, say), unless the player asked for reduced motion: then it simply appears.

use bevy::prelude::*;
use bevy::window::RequestRedraw;

use super::schedule::GameSystems;
use super::screen::Screen;
use super::settings::Settings;
use super::widgets::ScreenRoot;

/// Seconds a screen takes to arrive, and how far (logical pixels) it slides up.
const ARRIVAL: f32 = 0.28;
const SLIDE: f32 = 28.0;

/// A screen root still arriving: how far through, 0 to 1.
#[derive(Component, Debug, Clone, Copy)]
pub struct Arriving(f32);

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, (start_arrival, arrive).chain().in_set(GameSystems::Present));
}

/// Only a new screen arrives; a rebuild of the same one (a vote counted) stays put.
fn start_arrival(
    mut commands: Commands,
    screen: Res<State<Screen>>,
    settings: Option<Res<Settings>>,
    mut roots: Query<(Entity, &mut Node), Added<ScreenRoot>>,
) {
    if !screen.is_changed() || settings.is_some_and(|s| s.reduced_motion) {
        return;
    }
    for (root, mut node) in &mut roots {
        node.top = px(SLIDE);
        commands.entity(root).try_insert(Arriving(0.0));
    }
}

fn arrive(
    mut commands: Commands,
    time: Res<Time<Real>>,
    mut roots: Query<(Entity, &mut Node, &mut Arriving)>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    for (root, mut node, mut arriving) in &mut roots {
        arriving.0 = (arriving.0 + time.delta_secs().min(0.05) / ARRIVAL).min(1.0);
        // Ease out: quick at first, settling gently.
        let left = (1.0 - arriving.0).powi(3);
        node.top = px(SLIDE * left);
        if arriving.0 >= 1.0 {
            node.top = Val::Auto;
            commands.entity(root).try_remove::<Arriving>();
        } else {
            redraw.write(RequestRedraw);
        }
    }
}
