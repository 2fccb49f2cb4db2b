//! The optional discussion timer: shown large, can be paused, extended or skipped, and
//! never forces a choice. When it runs out it says so and waits.

use bevy::prelude::*;
use bevy::window::RequestRedraw;

use super::flow::Workshop;
use crate::game::schedule::GameSystems;
use crate::game::screen::Screen;
use crate::game::theme::{Palette, Theme};
use crate::workshop::flow::Step;

#[derive(Resource, Debug, Clone, PartialEq, Default)]
pub struct DiscussionTimer {
    /// Seconds left; None when the timer is off or skipped.
    pub remaining: Option<f32>,
    pub paused: bool,
}

impl DiscussionTimer {
    pub fn text(&self) -> String {
        match self.remaining {
            None => String::new(),
            Some(left) if left <= 0.0 => "Time is up: V opens the vote".into(),
            Some(left) => {
                let secs = left.ceil() as u32;
                let clock = format!("{}:{:02}", secs / 60, secs % 60);
                if self.paused { format!("{clock} (paused)") } else { clock }
            }
        }
    }
}

impl DiscussionTimer {
    /// Calm while there is time, the focus colour in the last minute, the alarm colour at zero.
    pub fn colour(&self, palette: &Palette) -> Color {
        match self.remaining {
            None => palette.dim,
            Some(left) if left <= 0.0 => palette.bad,
            Some(left) if left <= 60.0 => palette.focus,
            Some(_) => palette.text,
        }
    }
}

/// The text entity that shows the timer.
#[derive(Component)]
pub struct TimerText;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<DiscussionTimer>()
        .add_systems(Update, timer_keys.in_set(GameSystems::Input).run_if(in_state(Screen::WorkshopRoom)))
        .add_systems(
            Update,
            (tick, show_timer).chain().in_set(GameSystems::Present).run_if(in_state(Screen::WorkshopRoom)),
        );
}

/// Starts the timer for a new beat (called when a beat opens for discussion).
pub fn reset(timer: &mut DiscussionTimer, minutes: Option<u32>) {
    *timer = DiscussionTimer { remaining: minutes.map(|m| m as f32 * 60.0), paused: false };
}

fn timer_keys(keys: Res<ButtonInput<KeyCode>>, workshop: Option<Res<Workshop>>, mut timer: ResMut<DiscussionTimer>) {
    let typing = workshop.is_some_and(|w| matches!(w.step, Step::Override { option: Some(_), .. }));
    if typing || timer.remaining.is_none() {
        return;
    }
    if keys.just_pressed(KeyCode::KeyT) {
        timer.paused = !timer.paused;
    }
    if keys.just_pressed(KeyCode::KeyE) {
        timer.remaining = timer.remaining.map(|left| left.max(0.0) + 60.0);
    }
    if keys.just_pressed(KeyCode::KeyK) {
        timer.remaining = Some(0.0);
    }
}

fn tick(time: Res<Time<Real>>, mut timer: ResMut<DiscussionTimer>, mut redraw: MessageWriter<RequestRedraw>) {
    if timer.paused {
        return;
    }
    if let Some(left) = timer.remaining
        && left > 0.0
    {
        timer.remaining = Some((left - time.delta_secs()).max(0.0));
        redraw.write(RequestRedraw);
    }
}

fn show_timer(
    timer: Res<DiscussionTimer>,
    theme: Res<Theme>,
    mut texts: Query<(&mut Text, &mut TextColor), With<TimerText>>,
) {
    let wanted = timer.text();
    let colour = timer.colour(&theme.palette);
    for (mut text, mut shown) in &mut texts {
        if text.0 != wanted {
            text.0 = wanted.clone();
        }
        if shown.0 != colour {
            shown.0 = colour;
        }
    }
}
