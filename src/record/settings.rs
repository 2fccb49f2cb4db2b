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
    /// The settings with every value within its range, and a sentence for each one that was
    /// not (a hand-edited `text_scale` of 0 or 1e30 would blank the window).
    pub fn within_limits(mut self) -> (Settings, Vec<String>) {
        let mut corrected = Vec::new();
        let (low, high) = (TEXT_SCALES[0], TEXT_SCALES[TEXT_SCALES.len() - 1]);
        if !(low..=high).contains(&self.text_scale) {
            let was = self.text_scale;
            self.text_scale = if was.is_nan() { 1.0 } else { was.clamp(low, high) };
            corrected.push(format!(
                "The text size in your settings ({was}) is outside {low} to {high}; {} is used instead.",
                self.text_scale
            ));
        }
        (self, corrected)
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_scale_out_of_range_is_clamped_and_reported() {
        for (written, used) in [(0.0, 0.85), (-5.0, 0.85), (1e30, 1.5), (f32::INFINITY, 1.5), (f32::NAN, 1.0)] {
            let (settings, said) = Settings { text_scale: written, ..Settings::default() }.within_limits();
            assert_eq!(settings.text_scale, used, "{written}");
            assert_eq!(said.len(), 1, "{written}: {said:?}");
            assert!(said[0].contains("text size"), "{said:?}");
        }
        let (settings, said) = Settings { text_scale: 1.3, ..Settings::default() }.within_limits();
        assert_eq!((settings.text_scale, said.len()), (1.3, 0));
    }

    #[test]
    fn settings_json_with_a_huge_text_scale_reads_as_the_largest() {
        let read: Settings = serde_json::from_str(r#"{"text_scale": 1e30}"#).unwrap();
        assert_eq!(read.within_limits().0.text_scale, 1.5);
    }
}
