//! A notice: something went wrong (a damaged save, an edited scenario) and what to do.

use bevy::prelude::*;

use crate::game::intent::{Intent, NoticeActions};
use crate::game::rebuild::add_screen;
use crate::game::screen::{Notice, Screen};
use crate::game::theme::{BODY_SIZE, Theme};
use crate::game::widgets::{button, heading, panel, text};
use bevy_input_focus::AutoFocus;

pub(super) fn plugin(app: &mut App) {
    add_screen(app, Screen::Notice, spawn_notice);
}

fn spawn_notice(mut commands: Commands, theme: Res<Theme>, notice: Res<Notice>, actions: Res<NoticeActions>) {
    let notice = notice.clone();
    let actions = actions.0.clone();
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
                    for (i, (label, intent)) in actions.into_iter().enumerate() {
                        let mut action = list.spawn(button(label, intent, &theme));
                        if i == 0 && !notice.offer_restart && !notice.confirm_quit {
                            action.insert(AutoFocus);
                        }
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
