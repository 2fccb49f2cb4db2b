//! ISO 8601 UTC timestamps and durations, through `jiff`. Logs and exports use whole seconds:
//! `2026-11-23T11:45:37Z`.

use std::time::SystemTime;

use jiff::Timestamp;

/// `time` as `YYYY-MM-DDTHH:MM:SSZ`, fractions of a second dropped (rounding down, also before
/// 1970).
pub fn format_utc(time: SystemTime) -> String {
    let seconds = Timestamp::try_from(time).map_or(0, |t| t.as_second() - i64::from(t.subsec_nanosecond() < 0));
    format_unix_seconds(seconds)
}

/// The current time, as [`format_utc`] writes it.
pub fn now_utc() -> String {
    format_utc(SystemTime::now())
}

/// Seconds since 1970-01-01T00:00:00Z as `YYYY-MM-DDTHH:MM:SSZ` (clamped to the years jiff
/// supports, -9999 to 9999).
pub fn format_unix_seconds(seconds: i64) -> String {
    let clamped = seconds.clamp(Timestamp::MIN.as_second() + 1, Timestamp::MAX.as_second());
    Timestamp::from_second(clamped).unwrap_or(Timestamp::UNIX_EPOCH).to_string()
}

/// Reads an RFC 3339 timestamp with a UTC offset (`Z` or `+00:00`; fractions of a second are
/// accepted and dropped) into seconds since 1970; None for anything else.
pub fn parse_utc(text: &str) -> Option<i64> {
    let text = text.trim();
    // A local time without an offset is ambiguous; logs always write `Z`.
    if !(text.ends_with('Z') || text.ends_with("+00:00")) {
        return None;
    }
    text.parse::<Timestamp>().ok().map(|t| t.as_second())
}

/// An ISO 8601 duration such as `PT1H2M3S` (`PT0S` for none), as xAPI's `result.duration` takes
/// it (upper-case designators, which jiff's printer writes in lower case by default).
pub fn iso_duration(seconds: u64) -> String {
    let (hours, minutes, secs) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let mut text = String::from("PT");
    if hours > 0 {
        text += &format!("{hours}H");
    }
    if minutes > 0 {
        text += &format!("{minutes}M");
    }
    if secs > 0 || seconds == 0 {
        text += &format!("{secs}S");
    }
    text
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    /// Unix times checked against Python's `calendar.timegm`.
    const KNOWN: [(&str, i64); 6] = [
        ("2026-11-23T11:45:37Z", 1_795_434_337),
        ("2000-02-29T00:00:00Z", 951_782_400),
        ("1970-01-01T00:00:00Z", 0),
        ("2024-12-31T23:59:59Z", 1_735_689_599),
        ("1969-12-31T23:59:59Z", -1),
        ("2100-03-01T12:00:00Z", 4_107_585_600),
    ];

    #[test]
    fn known_dates_format_and_parse_back() {
        for (text, seconds) in KNOWN {
            assert_eq!(format_unix_seconds(seconds), text);
            assert_eq!(parse_utc(text), Some(seconds), "{text}");
        }
    }

    #[test]
    fn system_times_drop_fractions_and_round_down_before_1970() {
        let time = UNIX_EPOCH + Duration::from_millis(1_795_434_337_900);
        assert_eq!(format_utc(time), "2026-11-23T11:45:37Z");
        assert_eq!(format_utc(UNIX_EPOCH - Duration::from_millis(500)), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn parse_accepts_fractions_and_offsets_and_rejects_the_rest() {
        assert_eq!(parse_utc("2026-11-23T11:45:37.250Z"), Some(1_795_434_337));
        assert_eq!(parse_utc("2026-11-23T11:45:37+00:00"), Some(1_795_434_337));
        for bad in ["2026-11-23T11:45:37", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "", "Z", "yesterdayZ"] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn extreme_seconds_format_without_panicking() {
        assert!(format_unix_seconds(i64::MAX).starts_with("9999-"));
        assert!(format_unix_seconds(i64::MIN).starts_with("-009999-"));
    }

    #[test]
    fn durations_use_hours_minutes_and_seconds() {
        assert_eq!(iso_duration(0), "PT0S");
        assert_eq!(iso_duration(45), "PT45S");
        assert_eq!(iso_duration(3723), "PT1H2M3S");
        assert_eq!(iso_duration(7200), "PT2H");
    }
}
