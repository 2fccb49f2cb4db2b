//! A notice: something went wrong (a damaged save, an edited scenario) and what to do.

use bevy::prelude::*;

use crate::game::intent::Intent;
use crate::game::rebuild::add_screen;
use crate::game::screen::{Notice, Screen};
use crate::game::theme::{BODY_SIZE, Theme};
use crate::game::widgets::{button, heading, panel, text};
use bevy_input_focus::AutoFocus;

pub(super) fn plugin(app: &mut App) {
    add_screen(app, Screen::Notice, spawn_notice);
}

fn spawn_notice(mut commands: Commands, theme: Res<Theme>, notice: Res<Notice>) {
    let notice = notice.clone();
    let theme = theme.clone();
    let palette = theme.palette;
    commands.spawn((
        crate::game::widgets::screen_root(Screen::Notice),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(heading(notice.title.clone(), &theme));
            p.spawn(panel(&theme)).with_children(|card| {
                card.spawn(text(notice.body.clone(), BODY_SIZE, palette.text));
            });
            p.spawn(Node { flex_direction: FlexDirection::Column, row_gap: px(12), width: px(520), ..default() })
                .with_children(|list| {
                    if notice.offer_restart {
                        list.spawn((button("Restart the scenario", Intent::Restart, &theme), AutoFocus));
                    }
                    if notice.confirm_quit {
                        list.spawn((button("Back to title", Intent::Open(Screen::Title), &theme), AutoFocus));
                        list.spawn(button("Quit", Intent::QuitNow, &theme));
                    } else {
                        list.spawn(button("Back to title", Intent::Open(Screen::Title), &theme));
                    }
                });
        })),
    ));
}
