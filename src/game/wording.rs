//! The words the screens share: shortened text, meter values and changes, counted nouns. One
//! copy of each, so the solo screens and the workshop say things the same way.

use crate::scenario::{Effects, Meter};

/// `text` cut to at most `max` characters, ending in "…" when something was cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        text.chars().take(max.saturating_sub(1)).collect::<String>() + "…"
    }
}

/// "Trust 62 (+5)", or "Trust 62" when nothing changed: the number is always written, the
/// change always signed, never shown by colour alone.
pub fn meter_value(meter: Meter, value: i32, delta: i32) -> String {
    if delta == 0 { format!("{} {value}", meter.label()) } else { format!("{} {value} ({delta:+})", meter.label()) }
}

/// What a screen reader says: "Trust 62 of 100, up 5".
pub fn meter_spoken(meter: Meter, value: i32, delta: i32) -> String {
    let change = match delta {
        0 => String::new(),
        d if d > 0 => format!(", up {d}"),
        d => format!(", down {}", -d),
    };
    format!("{} {value} of 100{change}", meter.label())
}

/// "Trust +5, Strategic impact -2" for the meters an effect moves (empty when none).
pub fn effects_words(effects: &Effects) -> String {
    effects.listed().map(|(m, v)| format!("{} {v:+}", m.label())).collect::<Vec<_>>().join(", ")
}

/// "Trust +5 · Strategic impact -2" for a change on all three meters, or "no change".
pub fn delta_words(delta: [i32; 3]) -> String {
    let parts: Vec<String> =
        Meter::ALL.iter().zip(delta).filter(|(_, d)| *d != 0).map(|(m, d)| format!("{} {d:+}", m.label())).collect();
    if parts.is_empty() { "no change".into() } else { parts.join(" · ") }
}

/// "1 decision", "3 decisions": `noun` is the singular; the plural adds an "s".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_on_characters_and_marks_the_cut() {
        assert_eq!(shorten("Déjà vu", 7), "Déjà vu");
        assert_eq!(shorten("Déjà vu again", 6), "Déjà …");
        assert_eq!(shorten("abc", 0), "…");
    }

    #[test]
    fn meter_words_always_carry_the_number_and_a_signed_change() {
        assert_eq!(meter_value(Meter::Trust, 62, 5), "Trust 62 (+5)");
        assert_eq!(meter_value(Meter::Trust, 62, 0), "Trust 62");
        assert_eq!(meter_spoken(Meter::Trust, 40, -3), "Trust 40 of 100, down 3");
        assert_eq!(delta_words([0, 0, 0]), "no change");
        assert_eq!(count(1, "minute"), "1 minute");
        assert_eq!(count(5, "minute"), "5 minutes");
    }
}
