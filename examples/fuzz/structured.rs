//! Mutations that know the scenario format: values swapped between files, list items
//! repeated past the limits or removed, and whole scenarios generated from scratch (big ones,
//! looping ones, ones with every feature), which reach the checks a byte flip rarely does.

use std::fmt::Write;
use std::ops::Range;

use leap::scenario::locate::locate;
use rand::RngExt;

use super::mutate::Rng;

/// Where each field's value and each list item sits in one seed file.
pub struct Layout {
    /// (field name, value span), for every field written in the file.
    pub fields: Vec<(String, Range<usize>)>,
    /// The spans of the items of each list, for lists with at least one item.
    pub lists: Vec<Vec<Range<usize>>>,
}

impl Layout {
    pub fn of(text: &str) -> Layout {
        let map = locate(text, leap::scenario::load::MAX_DEPTH);
        let mut fields = Vec::new();
        let mut lists = Vec::new();
        for (path, names) in &map.structs {
            // No field of the format has a long name or a list of thousands; the seeds that do
            // (earlier findings) would only make this slow.
            for (name, _) in names.iter().filter(|(name, _)| name.len() <= 64) {
                let full = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                let Some(span) = map.exact(&full) else { continue };
                fields.push((name.clone(), span));
                let items: Vec<Range<usize>> = (0..2000).map_while(|i| map.exact(&format!("{full}[{i}]"))).collect();
                if !items.is_empty() {
                    lists.push(items);
                }
            }
        }
        Layout { fields, lists }
    }
}

/// A field's value replaced by the value of a field of the same name in another file (or,
/// sometimes, of any name).
pub fn swap_field(rng: &mut Rng, text: &[u8], layout: &Layout, other: &[u8], other_layout: &Layout) -> Vec<u8> {
    if layout.fields.is_empty() || other_layout.fields.is_empty() {
        return text.to_vec();
    }
    let (name, span) = &layout.fields[rng.random_range(0..layout.fields.len())];
    let same: Vec<_> = other_layout.fields.iter().filter(|(n, _)| n == name).collect();
    let donor = if same.is_empty() || rng.random_bool(0.2) {
        &other_layout.fields[rng.random_range(0..other_layout.fields.len())].1
    } else {
        &same[rng.random_range(0..same.len())].1
    };
    [&text[..span.start], &other[donor.clone()], &text[span.end..]].concat()
}

/// A list item repeated (a beat 600 times, a choice 5 times), removed, or the list emptied.
pub fn reshape_list(rng: &mut Rng, text: &[u8], layout: &Layout) -> Vec<u8> {
    if layout.lists.is_empty() {
        return text.to_vec();
    }
    let items = &layout.lists[rng.random_range(0..layout.lists.len())];
    let item = items[rng.random_range(0..items.len())].clone();
    match rng.random_range(0..4) {
        0 => {
            let all = items[0].start..items[items.len() - 1].end;
            [&text[..all.start], &text[all.end..]].concat()
        }
        1 => [&text[..item.start], &text[item.end..]].concat(),
        _ => {
            let times = match rng.random_range(0..3) {
                0 => rng.random_range(1..6),
                1 => rng.random_range(495..505),
                _ => rng.random_range(6..2000),
            };
            let mut copy = b",".to_vec();
            copy.extend_from_slice(&text[item.clone()]);
            [&text[..item.end], &copy.repeat(times), &text[item.end..]].concat()
        }
    }
}

/// A scenario written from scratch: up to a few hundred beats in a chain, each choice
/// leading forward, back or to an ending, with conditions, flags, delays and chance.
/// Usually valid enough for every check (the simulated runs of `rare-ending` included) to run.
pub fn generated_scenario(rng: &mut Rng) -> Vec<u8> {
    let beats = match rng.random_range(0..4) {
        0 => rng.random_range(1..5),
        1 => rng.random_range(5..60),
        2 => rng.random_range(60..499),
        _ => rng.random_range(499..502),
    };
    let endings = rng.random_range(1..6);
    let flags = rng.random_range(0..8);
    // How often a choice goes back to the start: high values make long, looping runs.
    let back = rng.random_range(0.0..1.0f64);
    let mut s = String::new();
    let _ = write!(
        s,
        "Scenario(format: 1, id: \"gen\", title: \"G\", summary: \"S\", lessons: [\"L01\"], start: \"b0\", \
         start_meters: (trust: {}, strategic_impact: 50, team_engagement: 50), beats: [",
        rng.random_range(-5..106)
    );
    for b in 0..beats {
        let _ = write!(s, "(id: \"b{b}\", text: \"t\", choices: [");
        for c in 0..rng.random_range(1..6) {
            let next = if rng.random_bool(back) {
                format!("Beat(\"b{}\")", rng.random_range(0..=b))
            } else if b + 1 < beats && rng.random_bool(0.9) {
                format!("Beat(\"b{}\")", b + 1)
            } else {
                format!("Ending(\"e{}\")", rng.random_range(0..endings))
            };
            let _ = write!(
                s,
                "(id: \"c{c}\", text: \"{}\", lesson: \"L{:02}\", feedback: \"f\", next: {next}, \
                 effects: (trust: {}, strategic_impact: {}, team_engagement: {})",
                "x".repeat(rng.random_range(1..20)),
                rng.random_range(1..23),
                rng.random_range(-20..21),
                rng.random_range(-20..21),
                rng.random_range(-20..21)
            );
            if flags > 0 && rng.random_bool(0.3) {
                let _ = write!(s, ", sets: [\"f{}\"]", rng.random_range(0..flags));
            }
            if c > 0 && rng.random_bool(0.2) {
                let _ = write!(s, ", requires: {}, locked: Show(\"\")", condition(rng, flags, 0));
            }
            if rng.random_bool(0.2) {
                let after = [1u64, 2, 5, 1000, 4294967295][rng.random_range(0..5)];
                let _ = write!(s, ", later: [(after: {after}, effects: (trust: -3), text: \"l\")]");
            }
            if rng.random_bool(0.2) {
                let _ = write!(
                    s,
                    ", outcomes: [(weight: {}, text: \"o\"), (weight: {}, text: \"p\", next: Ending(\"e0\"))]",
                    [1i64, 3, 2147483647][rng.random_range(0..3)],
                    [1i64, 2147483647][rng.random_range(0..2)]
                );
            }
            s.push_str("),");
        }
        s.push_str("]),");
    }
    s.push_str("], endings: [");
    for e in 0..endings {
        let _ = write!(s, "(id: \"e{e}\", title: \"E\", verdict: Mixed, text: \"t\"");
        if rng.random_bool(0.3) {
            let _ = write!(s, ", when: {}", condition(rng, flags, 0));
        }
        s.push_str("),");
    }
    s.push_str("])");
    s.into_bytes()
}

fn condition(rng: &mut Rng, flags: u32, depth: u32) -> String {
    let meter = ["trust", "strategic_impact", "team_engagement"][rng.random_range(0..3)];
    match rng.random_range(0..if depth > 3 { 4 } else { 7 }) {
        0 => format!("MeterAtLeast({meter}, {})", rng.random_range(0..101)),
        1 => format!("MeterAtMost({meter}, {})", rng.random_range(0..101)),
        2 if flags > 0 => format!("Flag(\"f{}\")", rng.random_range(0..flags)),
        2 | 3 => format!("LessonsMetAtLeast({})", rng.random_range(0..23)),
        4 => format!("Not({})", condition(rng, flags, depth + 1)),
        5 => format!("All([{}, {}])", condition(rng, flags, depth + 1), condition(rng, flags, depth + 1)),
        _ => format!("Any([{}, {}])", condition(rng, flags, depth + 1), condition(rng, flags, depth + 1)),
    }
}
