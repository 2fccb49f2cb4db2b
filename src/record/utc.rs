//! ISO 8601 UTC timestamps and durations, written by hand from `SystemTime` (the game keeps
//! no date crate for one format). Logs and exports use whole seconds: `2026-11-23T11:45:37Z`.

use std::time::{SystemTime, UNIX_EPOCH};

/// `time` as `YYYY-MM-DDTHH:MM:SSZ`, fractions of a second dropped.
pub fn format_utc(time: SystemTime) -> String {
    let seconds = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_secs() as i64,
        // Before 1970: round down, so 0.5 s before the epoch is 23:59:59.
        Err(before) => {
            let before = before.duration();
            -(before.as_secs() as i64) - i64::from(before.subsec_nanos() > 0)
        }
    };
    format_unix_seconds(seconds)
}

/// The current time, as [`format_utc`] writes it.
pub fn now_utc() -> String {
    format_utc(SystemTime::now())
}

/// Seconds since 1970-01-01T00:00:00Z as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_unix_seconds(seconds: i64) -> String {
    let (days, in_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second) = (in_day / 3600, in_day % 3600 / 60, in_day % 60);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// Reads a UTC timestamp of the form this module writes (fractions of a second and a `+00:00`
/// offset are accepted too) back into seconds since 1970; None for anything else.
pub fn parse_utc(text: &str) -> Option<i64> {
    let text = text.trim();
    let body = text.strip_suffix('Z').or_else(|| text.strip_suffix("+00:00"))?;
    let (date, time) = body.split_once('T')?;
    let time = time.split_once('.').map_or(
        time,
        |(whole, fraction)| {
            if fraction.chars().all(|c| c.is_ascii_digit()) { whole } else { "" }
        },
    );
    let date: Vec<&str> = date.split('-').collect();
    let time: Vec<&str> = time.split(':').collect();
    let ([y, mo, d], [h, mi, s]) = (date.as_slice(), time.as_slice()) else { return None };
    let number = |part: &str, digits: usize| -> Option<i64> {
        (part.len() == digits && part.chars().all(|c| c.is_ascii_digit())).then(|| part.parse().ok()).flatten()
    };
    let (year, month, day) = (number(y, 4)?, number(mo, 2)?, number(d, 2)?);
    let (hour, minute, second) = (number(h, 2)?, number(mi, 2)?, number(s, 2)?);
    let month_ok = (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
    if !month_ok || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// An ISO 8601 duration such as `PT1H2M3S` (`PT0S` for none), as xAPI's `result.duration` takes.
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

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// The two conversions below are Howard Hinnant's proleptic Gregorian algorithms
// ("chrono-Compatible Low-Level Date Algorithms"): exact for any day, no tables or loops.

/// (year, month 1..=12, day 1..=31) of the day `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let (era, day_of_era) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153; // March is 0
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days from 1970-01-01 to the given date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let (era, year_of_era) = (year.div_euclid(400), year.rem_euclid(400));
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

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
    fn every_day_of_four_centuries_round_trips() {
        for days in -146_097..146_097 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!(d <= days_in_month(y, m), "{y}-{m}-{d}");
        }
    }

    #[test]
    fn parse_accepts_fractions_and_offsets_and_rejects_the_rest() {
        assert_eq!(parse_utc("2026-11-23T11:45:37.250Z"), Some(1_795_434_337));
        assert_eq!(parse_utc("2026-11-23T11:45:37+00:00"), Some(1_795_434_337));
        for bad in ["2026-11-23 11:45:37Z", "2026-11-23T11:45:37", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", ""] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn durations_use_hours_minutes_and_seconds() {
        assert_eq!(iso_duration(0), "PT0S");
        assert_eq!(iso_duration(45), "PT45S");
        assert_eq!(iso_duration(3723), "PT1H2M3S");
        assert_eq!(iso_duration(7200), "PT2H");
    }
}
