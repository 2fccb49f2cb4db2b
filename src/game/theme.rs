//! The theme: colours, fonts and text sizes, rebuilt when the settings change. The widget
//! functions built from it are in `widgets`; this file imports nothing else from the game.

use bevy::prelude::*;

use super::settings::Settings;
use crate::scenario::Meter;

#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub background: Color,
    pub panel: Color,
    pub raised: Color,
    pub text: Color,
    pub dim: Color,
    pub focus: Color,
    pub good: Color,
    pub bad: Color,
    pub meters: [Color; 3],
    /// One colour per cast member, for their speaker badge (in cast order, repeating).
    pub cast: [Color; 6],
}

impl Palette {
    pub fn standard() -> Palette {
        Palette {
            background: Color::srgb_u8(0x15, 0x18, 0x1f),
            panel: Color::srgb_u8(0x20, 0x25, 0x30),
            raised: Color::srgb_u8(0x2c, 0x33, 0x42),
            text: Color::srgb_u8(0xf1, 0xf3, 0xf7),
            dim: Color::srgb_u8(0xb4, 0xbb, 0xc8),
            focus: Color::srgb_u8(0xff, 0xd1, 0x66),
            good: Color::srgb_u8(0x5c, 0xd6, 0x8a),
            bad: Color::srgb_u8(0xff, 0x7a, 0x70),
            meters: [
                Color::srgb_u8(0x5b, 0x9b, 0xff),
                Color::srgb_u8(0xf2, 0xa5, 0x3a),
                Color::srgb_u8(0x4c, 0xc9, 0x7a),
            ],
            cast: [
                Color::srgb_u8(0xe0, 0x8a, 0x6b),
                Color::srgb_u8(0x8f, 0xb8, 0xe8),
                Color::srgb_u8(0xc9, 0xa0, 0xdc),
                Color::srgb_u8(0x9c, 0xd4, 0x9a),
                Color::srgb_u8(0xe8, 0xc9, 0x6b),
                Color::srgb_u8(0x7f, 0xd1, 0xc8),
            ],
        }
    }

    /// Okabe–Ito colours: sky blue, orange, bluish green; vermillion and yellow for signals.
    pub fn colour_blind_safe() -> Palette {
        Palette {
            focus: Color::srgb_u8(0xf0, 0xe4, 0x42),
            good: Color::srgb_u8(0x56, 0xb4, 0xe9),
            bad: Color::srgb_u8(0xd5, 0x5e, 0x00),
            meters: [
                Color::srgb_u8(0x56, 0xb4, 0xe9),
                Color::srgb_u8(0xe6, 0x9f, 0x00),
                Color::srgb_u8(0x00, 0x9e, 0x73),
            ],
            ..Palette::standard()
        }
    }

    pub fn meter(&self, meter: Meter) -> Color {
        self.meters[Meter::ALL.iter().position(|m| *m == meter).unwrap_or(0)]
    }

    pub fn change(&self, delta: i32) -> Color {
        match delta {
            d if d > 0 => self.good,
            d if d < 0 => self.bad,
            _ => self.dim,
        }
    }
}

/// The palette and fonts in use; rebuilt when settings change.
#[derive(Resource, Debug, Clone)]
pub struct Theme {
    pub palette: Palette,
    pub bold: Handle<Font>,
}

impl Default for Theme {
    fn default() -> Self {
        Theme { palette: Palette::standard(), bold: Handle::default() }
    }
}

/// The bold face, loaded by the platform plugin (absent in headless tests).
#[derive(Resource, Debug, Clone, Default)]
pub struct BoldFont(pub Handle<Font>);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Theme>().add_systems(PreUpdate, (rebuild_theme, paint_window_background).chain());
}

/// The window's clear colour is the screen background, so screen roots need no background of
/// their own: a full-window quad costs a million fragments a frame on a software renderer.
fn paint_window_background(theme: Res<Theme>, clear: Option<ResMut<ClearColor>>) {
    if let Some(mut clear) = clear
        && clear.0 != theme.palette.background
    {
        clear.0 = theme.palette.background;
    }
}

fn rebuild_theme(settings: Option<Res<Settings>>, bold: Option<Res<BoldFont>>, mut theme: ResMut<Theme>) {
    let settings_changed = settings.as_ref().is_some_and(|s| s.is_changed());
    let bold_changed = bold.as_ref().is_some_and(|b| b.is_changed());
    if !settings_changed && !bold_changed {
        return;
    }
    let colour_blind = settings.is_some_and(|s| s.colour_blind_palette);
    theme.palette = if colour_blind { Palette::colour_blind_safe() } else { Palette::standard() };
    theme.bold = bold.map(|b| b.0.clone()).unwrap_or_default();
}

pub const TITLE_SIZE: f32 = 44.0;
pub const HEADING_SIZE: f32 = 28.0;
pub const BODY_SIZE: f32 = 21.0;
pub const SMALL_SIZE: f32 = 17.0;
