//! A notice: something went wrong (a damaged save, an edited scenario) and what to do.

use bevy::prelude::*;

use crate::game::intent::{Intent, NoticeActions};
use crate::game::navigation::StartFocus;
use crate::game::screen::{Notice, Screen};
use crate::game::theme::{BODY_SIZE, Theme, button, heading, panel, text};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Notice), spawn_notice);
}

fn spawn_notice(mut commands: Commands, theme: Res<Theme>, notice: Res<Notice>, actions: Res<NoticeActions>) {
    let notice = notice.clone();
    let actions = actions.0.clone();
    let theme = theme.clone();
    let palette = theme.palette;
    commands.spawn((
        crate::game::theme::screen_root(Screen::Notice),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(heading(notice.title.clone(), &theme));
            p.spawn(panel(&theme)).with_children(|card| {
                card.spawn(text(notice.body.clone(), BODY_SIZE, palette.text));
            });
            p.spawn(Node { flex_direction: FlexDirection::Column, row_gap: px(12), width: px(520), ..default() })
                .with_children(|list| {
                    if notice.offer_restart {
                        list.spawn((button("Restart the scenario", Intent::Restart, &theme), StartFocus));
                    }
                    for (i, (label, intent)) in actions.into_iter().enumerate() {
                        let mut action = list.spawn(button(label, intent, &theme));
                        if i == 0 && !notice.offer_restart {
                            action.insert(StartFocus);
                        }
                    }
                    list.spawn(button("Back to title", Intent::Open(Screen::Title), &theme));
                });
        })),
    ));
}
