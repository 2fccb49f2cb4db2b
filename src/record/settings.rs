//! Player settings, remembered between runs: text size, palette, motion, full screen, and
//! where learning records go (the organisation's LRS).

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
    /// The Learning Record Store that statements are sent to, and who they are about.
    pub lrs: LrsSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            text_scale: 1.0,
            colour_blind_palette: false,
            reduced_motion: false,
            full_screen: false,
            lrs: LrsSettings::default(),
        }
    }
}

/// Where the game sends learning records (xAPI statements); an empty value is not set.
/// The password is kept as typed in the settings file, which only its owner can read on Unix.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LrsSettings {
    /// The LRS's xAPI endpoint, e.g. `https://lrs.example.org/xapi`.
    pub url: String,
    pub user: String,
    pub password: String,
    /// The learner of solo runs: a name, or an e-mail address.
    pub learner: String,
    /// The home of activity ids and accounts (the organisation's LRS or LMS address).
    pub home: String,
}

/// One value of [`LrsSettings`], as the settings screen edits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LrsField {
    Url,
    User,
    Password,
    Learner,
    Home,
}

/// The longest value a field takes: far more than any address or name needs.
pub const LRS_FIELD_MAX_CHARS: usize = 400;

impl LrsField {
    pub const ALL: [LrsField; 5] =
        [LrsField::Url, LrsField::User, LrsField::Password, LrsField::Learner, LrsField::Home];

    pub fn label(self) -> &'static str {
        match self {
            LrsField::Url => "LRS address",
            LrsField::User => "LRS user",
            LrsField::Password => "LRS password",
            LrsField::Learner => "Learner of solo runs",
            LrsField::Home => "Activity ids' home",
        }
    }

    /// The environment variables that, when set, are used instead of this setting.
    pub fn env_vars(self) -> &'static [&'static str] {
        match self {
            LrsField::Url => &["LEAP_LRS_URL"],
            LrsField::User => &["LEAP_LRS_USER"],
            LrsField::Password => &["LEAP_LRS_PASSWORD"],
            LrsField::Learner => &["LEAP_LEARNER_NAME", "LEAP_LEARNER_EMAIL"],
            LrsField::Home => &["LEAP_XAPI_HOME"],
        }
    }

    /// Shown masked, never as typed.
    pub fn is_secret(self) -> bool {
        self == LrsField::Password
    }
}

impl LrsSettings {
    pub fn get(&self, field: LrsField) -> &str {
        match field {
            LrsField::Url => &self.url,
            LrsField::User => &self.user,
            LrsField::Password => &self.password,
            LrsField::Learner => &self.learner,
            LrsField::Home => &self.home,
        }
    }

    /// Sets `field` to `value` (trimmed, except a password, which is kept as typed), or says
    /// why not and changes nothing.
    pub fn set(&mut self, field: LrsField, value: &str) -> Result<(), String> {
        let value = if field.is_secret() { value } else { value.trim() };
        if value.chars().count() > LRS_FIELD_MAX_CHARS {
            return Err(format!("The {} is longer than {LRS_FIELD_MAX_CHARS} characters.", field.label()));
        }
        if value.chars().any(char::is_control) {
            return Err(format!("The {} cannot hold control characters.", field.label()));
        }
        match field {
            LrsField::Url | LrsField::Home => check_web_address(field, value)?,
            LrsField::Learner => check_learner(value)?,
            LrsField::User | LrsField::Password => {}
        }
        let slot = match field {
            LrsField::Url => &mut self.url,
            LrsField::User => &mut self.user,
            LrsField::Password => &mut self.password,
            LrsField::Learner => &mut self.learner,
            LrsField::Home => &mut self.home,
        };
        *slot = value.to_string();
        Ok(())
    }

    /// What is wrong with values written by hand into the settings file (the screen checks
    /// what is typed); such a value is not used.
    pub fn problems(&self) -> Vec<String> {
        LrsField::ALL
            .into_iter()
            .filter_map(|field| check_web_address(field, self.get(field)).err())
            .chain(check_learner(&self.learner).err())
            .collect()
    }

    /// The learner as an e-mail address, when it is one.
    pub fn learner_email(&self) -> Option<&str> {
        Some(self.learner.as_str()).filter(|l| l.contains('@'))
    }

    /// The learner as a name, when it is not an e-mail address.
    pub fn learner_name(&self) -> Option<&str> {
        Some(self.learner.as_str()).filter(|l| !l.is_empty() && !l.contains('@'))
    }
}

/// An empty value, or an `http://` or `https://` address with a host; only the address
/// fields are checked.
pub fn check_web_address(field: LrsField, value: &str) -> Result<(), String> {
    if !matches!(field, LrsField::Url | LrsField::Home) || value.is_empty() {
        return Ok(());
    }
    let example = if field == LrsField::Url { "https://lrs.example.org/xapi" } else { "https://lms.example.org" };
    let lower = value.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    match rest {
        None => Err(format!(
            "`{value}` is not a web address: the {} starts with http:// or https://, e.g. {example}.",
            field.label()
        )),
        Some(rest) if rest.split(['/', '?', '#']).next().is_none_or(str::is_empty) => {
            Err(format!("`{value}` has no host name after the scheme, e.g. {example}."))
        }
        Some(_) if value.contains(char::is_whitespace) => {
            Err(format!("`{value}` has a space in it; a web address has none, e.g. {example}."))
        }
        Some(_) => Ok(()),
    }
}

/// A name, or an e-mail address with something on each side of its `@`.
fn check_learner(value: &str) -> Result<(), String> {
    match value.split_once('@') {
        Some((name, domain)) if name.is_empty() || domain.is_empty() || value.contains(char::is_whitespace) => {
            Err(format!("`{value}` is not an e-mail address (name@example.org); type a name, or a whole address."))
        }
        _ => Ok(()),
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
        corrected.extend(self.lrs.problems().into_iter().map(|p| format!("Learning records: {p} It is not used.")));
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
    fn lrs_fields_are_checked_as_typed_and_a_bad_value_changes_nothing() {
        let mut lrs = LrsSettings::default();
        lrs.set(LrsField::Url, "  https://lrs.example.org/xapi ").unwrap();
        assert_eq!(lrs.url, "https://lrs.example.org/xapi");
        for bad in ["lrs.example.org", "ftp://lrs.example.org", "https://", "http:///xapi", "https://lrs example"] {
            let said = lrs.set(LrsField::Url, bad).unwrap_err();
            assert!(said.contains(bad), "{said}");
            assert_eq!(lrs.url, "https://lrs.example.org/xapi", "unchanged after {bad}");
        }
        assert!(lrs.set(LrsField::Url, "ftp://x").unwrap_err().contains("http:// or https://"));
        lrs.set(LrsField::Url, "").unwrap();
        assert_eq!(lrs.url, "", "emptied: no LRS");
        lrs.set(LrsField::Password, " spaced secret ").unwrap();
        assert_eq!(lrs.password, " spaced secret ", "a password is kept as typed");
        assert!(lrs.set(LrsField::User, "a\u{7}b").is_err());
        assert!(lrs.set(LrsField::User, &"x".repeat(LRS_FIELD_MAX_CHARS + 1)).is_err());
        lrs.set(LrsField::Learner, "ana@example.org").unwrap();
        assert_eq!((lrs.learner_email(), lrs.learner_name()), (Some("ana@example.org"), None));
        lrs.set(LrsField::Learner, "Ana Lima").unwrap();
        assert_eq!((lrs.learner_email(), lrs.learner_name()), (None, Some("Ana Lima")));
        assert!(lrs.set(LrsField::Learner, "ana@").is_err());
        assert!(lrs.set(LrsField::Home, "lms.example.org").unwrap_err().contains("Activity ids' home"));
    }

    #[test]
    fn settings_with_an_lrs_round_trip_and_older_files_read_without_one() {
        let mut settings = Settings { text_scale: 1.3, ..Settings::default() };
        for (field, value) in [
            (LrsField::Url, "https://lrs.example.org/xapi"),
            (LrsField::User, "key"),
            (LrsField::Password, "s3cret \"quoted\""),
            (LrsField::Learner, "Ana Lima"),
            (LrsField::Home, "https://lms.example.org"),
        ] {
            settings.lrs.set(field, value).unwrap();
        }
        let read: Settings = serde_json::from_str(&serde_json::to_string(&settings).unwrap()).unwrap();
        assert_eq!(read, settings);
        let old: Settings = serde_json::from_str(r#"{"text_scale": 1.15, "full_screen": true}"#).unwrap();
        assert_eq!((old.lrs, old.full_screen), (LrsSettings::default(), true));
    }

    #[test]
    fn a_hand_written_bad_lrs_address_is_reported_at_load() {
        let read: Settings = serde_json::from_str(r#"{"lrs": {"url": "lrs.example.org", "user": "u"}}"#).unwrap();
        assert_eq!(read.lrs.user, "u");
        let (_, said) = read.within_limits();
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0].contains("lrs.example.org") && said[0].contains("not used"), "{said:?}");
    }

    #[test]
    fn settings_json_with_a_huge_text_scale_reads_as_the_largest() {
        let read: Settings = serde_json::from_str(r#"{"text_scale": 1e30}"#).unwrap();
        assert_eq!(read.within_limits().0.text_scale, 1.5);
    }
}
