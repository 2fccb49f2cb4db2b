//! Player settings, remembered between runs: text size, palette, motion, full screen.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// UI scale: 1.0 is the default size.
    pub text_scale: f32,
    /// Okabe–Ito colours, distinguishable with the common forms of colour blindness.
    pub colour_blind_palette: bool,
    pub reduced_motion: bool,
    pub full_screen: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { text_scale: 1.0, colour_blind_palette: false, reduced_motion: false, full_screen: false }
    }
}

pub const TEXT_SCALES: [f32; 5] = [0.85, 1.0, 1.15, 1.3, 1.5];

impl Settings {
    pub fn step_text_scale(&mut self, up: bool) {
        let i = TEXT_SCALES.iter().position(|s| (*s - self.text_scale).abs() < 0.01).unwrap_or(1);
        let i = if up { (i + 1).min(TEXT_SCALES.len() - 1) } else { i.saturating_sub(1) };
        self.text_scale = TEXT_SCALES[i];
    }
}

/// Which setting a settings button changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingChange {
    TextSmaller,
    TextLarger,
    TogglePalette,
    ToggleMotion,
    ToggleFullScreen,
}

impl Settings {
    pub fn change(&mut self, change: SettingChange) {
        match change {
            SettingChange::TextSmaller => self.step_text_scale(false),
            SettingChange::TextLarger => self.step_text_scale(true),
            SettingChange::TogglePalette => self.colour_blind_palette = !self.colour_blind_palette,
            SettingChange::ToggleMotion => self.reduced_motion = !self.reduced_motion,
            SettingChange::ToggleFullScreen => self.full_screen = !self.full_screen,
        }
    }
}
