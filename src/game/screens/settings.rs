//! Settings: text size, colour-blind-safe palette, reduced motion, full screen; and where
//! learning records go (see `lrs_settings`).

use bevy::prelude::*;

use crate::game::intent::Intent;
use crate::game::navigation::Adjust;
use crate::game::rebuild::add_screen;
use crate::game::screen::Screen;
use crate::game::settings::{SettingChange, Settings};
use crate::game::theme::Theme;
use crate::game::widgets::{bold_text, button, heading, small};
use bevy_input_focus::AutoFocus;

use super::lrs_settings::{LrsEntry, lrs_column};
use crate::game::lrs::LrsLink;
use crate::game::settings::SettingsProblem;
use crate::game::theme::BODY_SIZE;

pub(super) fn plugin(app: &mut App) {
    add_screen(app, Screen::Settings, spawn_settings);
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

fn spawn_settings(
    mut commands: Commands,
    theme: Res<Theme>,
    settings: Res<Settings>,
    entry: Res<LrsEntry>,
    link: Res<LrsLink>,
    problem: Res<SettingsProblem>,
) {
    let s = settings.clone();
    let theme = theme.clone();
    let (entry, link, problem) = (entry.clone(), link.clone(), problem.clone());
    commands.spawn((
        crate::game::widgets::screen_root(Screen::Settings),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(heading("Settings", &theme));
            let column = || Node { flex_direction: FlexDirection::Column, row_gap: px(12), width: px(560), ..default() };
            let mut columns = p.spawn(Node { flex_direction: FlexDirection::Row, column_gap: px(48), ..default() });
            columns.with_children(|p| {
            p.spawn(column())
                .with_children(|list| {
                    list.spawn(bold_text("Display", BODY_SIZE, theme.palette.text, &theme));
                    let percent = (s.text_scale * 100.0).round();
                    list.spawn((
                        button(
                            format!("Text size: {percent}%   (Left / Right)"),
                            Intent::ChangeSetting(SettingChange::TextLarger),
                            &theme,
                        ),
                        Adjust {
                            less: Intent::ChangeSetting(SettingChange::TextSmaller),
                            more: Intent::ChangeSetting(SettingChange::TextLarger),
                        },
                        AutoFocus,
                    ));
                    list.spawn(button(
                        format!("Colour-blind-safe palette: {}", on_off(s.colour_blind_palette)),
                        Intent::ChangeSetting(SettingChange::TogglePalette),
                        &theme,
                    ));
                    list.spawn(button(
                        format!("Reduced motion: {}", on_off(s.reduced_motion)),
                        Intent::ChangeSetting(SettingChange::ToggleMotion),
                        &theme,
                    ));
                    list.spawn(button(
                        format!("Full screen: {}", on_off(s.full_screen)),
                        Intent::ChangeSetting(SettingChange::ToggleFullScreen),
                        &theme,
                    ));
                });
            p.spawn(column()).with_children(|list| lrs_column(list, &theme, &s.lrs, &entry, &link, &problem));
            });
            p.spawn(Node { width: px(560), ..default() })
                .with_children(|b| { b.spawn(button("Back to title", Intent::Open(Screen::Title), &theme)); });
            p.spawn(small(
                "Enter changes the selected row; Left and Right make the text smaller or larger. Settings are saved at once and remembered next time; the LRS password is kept in the settings file, readable only by you.",
                &theme,
            ));
        })),
    ));
}
