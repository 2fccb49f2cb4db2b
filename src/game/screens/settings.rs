//! Settings: text size, colour-blind-safe palette, reduced motion, full screen.

use bevy::prelude::*;

use crate::game::intent::Intent;
use crate::game::navigation::Adjust;
use crate::game::rebuild::add_screen;
use crate::game::screen::Screen;
use crate::game::settings::{SettingChange, Settings};
use crate::game::theme::Theme;
use crate::game::widgets::{button, heading, small};
use bevy_input_focus::AutoFocus;

pub(super) fn plugin(app: &mut App) {
    add_screen(app, Screen::Settings, spawn_settings);
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

fn spawn_settings(mut commands: Commands, theme: Res<Theme>, settings: Res<Settings>) {
    let s = settings.clone();
    let theme = theme.clone();
    commands.spawn((
        crate::game::widgets::screen_root(Screen::Settings),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(heading("Settings", &theme));
            p.spawn(Node { flex_direction: FlexDirection::Column, row_gap: px(12), width: px(620), ..default() })
                .with_children(|list| {
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
                    list.spawn(button("Back to title", Intent::Open(Screen::Title), &theme));
                });
            p.spawn(small(
                "Enter changes the selected row; Left and Right make the text smaller or larger. Settings are saved at once and remembered next time.",
                &theme,
            ));
        })),
    ));
}
