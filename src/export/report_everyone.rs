//! The report's section for an "everyone plays" session: the room's spread of endings (a bar
//! chart with labelled counts) and how the room split at each beat, from the log's `phone`
//! lines alone (the scenario, when given, only orders the beats and names the endings).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::svg::{bar_chart_svg, escape, vote_split_svg};
use crate::engine::votes::option_letter;
use crate::record::RecordedSession;
use crate::scenario::Scenario;

pub(super) fn everyone_section(recorded: &RecordedSession, scenarios: &[&Scenario]) -> String {
    let lines = &recorded.phone_decisions;
    let scenario = recorded.header.scenario.as_deref().and_then(|id| super::find(scenarios, id));
    let mut phones: Vec<&str> = lines.iter().map(|l| l.phone.as_str()).collect();
    phones.sort_unstable();
    phones.dedup();
    let ends: Vec<_> = lines.iter().filter_map(|l| l.end.as_ref()).collect();
    let mut s = String::from("<section><h2>Everyone plays: how the room chose</h2>");
    let _ = write!(
        s,
        "<p>{} phone{} played their own run; {} reached an ending{}.</p>",
        phones.len(),
        if phones.len() == 1 { "" } else { "s" },
        ends.len(),
        recorded
            .round_end
            .as_ref()
            .map_or(String::new(), |r| format!(" by the end of the round ({} joined)", r.joined))
    );

    // Endings, in the file's order when the scenario is known, else as first reached.
    let mut endings: Vec<(String, String, usize)> = Vec::new();
    for end in &ends {
        match endings.iter_mut().find(|(id, ..)| *id == end.ending) {
            Some(row) => row.2 += 1,
            None => endings.push((end.ending.clone(), end.verdict.label().to_string(), 1)),
        }
    }
    if let Some(scenario) = scenario {
        endings.sort_by_key(|(id, ..)| scenario.endings.iter().position(|e| e.id == *id).unwrap_or(usize::MAX));
    }
    let rows: Vec<(String, f64)> = endings
        .iter()
        .map(|(id, verdict, count)| {
            let title = scenario.and_then(|s| s.ending(id)).map_or(id.as_str(), |e| e.title.as_str());
            (format!("{title} ({verdict})"), *count as f64)
        })
        .collect();
    if !rows.is_empty() {
        let chart = bar_chart_svg("Endings reached", &rows, None, &|v| {
            format!("{v:.0} phone{}", if (v - 1.0).abs() < f64::EPSILON { "" } else { "s" })
        });
        let _ =
            write!(s, "<figure>{chart}<figcaption>The endings the phones reached, with counts.</figcaption></figure>");
    }

    // Each beat's split: every choice anyone took there, counted once per decision.
    let mut beats: Vec<&str> = Vec::new();
    let mut splits: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    let mut texts: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    let mut options: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for line in lines {
        let d = &line.decision;
        if !beats.contains(&d.beat.as_str()) {
            beats.push(&d.beat);
        }
        *splits.entry((&d.beat, &d.chosen)).or_default() += 1;
        if let Some(t) = &d.texts {
            texts.insert((&d.beat, &d.chosen), &t.chosen_text);
        }
        let known = options.entry(&d.beat).or_default();
        for id in d.options.iter().map(String::as_str).chain([d.chosen.as_str()]) {
            if !known.contains(&id) {
                known.push(id);
            }
        }
    }
    if let Some(scenario) = scenario {
        beats.sort_by_key(|id| scenario.beats.iter().position(|b| b.id == *id).unwrap_or(usize::MAX));
    }
    for beat in beats {
        let ids = &options[beat];
        let counts: Vec<u32> = ids.iter().map(|id| splits.get(&(beat, *id)).copied().unwrap_or(0)).collect();
        let decided: u32 = counts.iter().sum();
        let labels: Vec<(String, String)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let from_file =
                    scenario.and_then(|s| s.beat(beat)).and_then(|b| b.choices.iter().find(|c| c.id == *id));
                let text = texts.get(&(beat, *id)).copied().or(from_file.map(|c| c.text.as_str())).unwrap_or(id);
                (option_letter(i).to_string(), text.to_string())
            })
            .collect();
        let top = counts.iter().copied().max().unwrap_or(0);
        let leader = counts.iter().position(|c| *c == top).map(|i| labels[i].1.clone()).unwrap_or_default();
        let _ = write!(
            s,
            "<div class=\"decision\"><h3>At the beat {}</h3><p>{top} of {decided} chose \u{201c}{}\u{201d}.</p>{}</div>",
            escape(beat),
            escape(leader.trim_matches('"')),
            vote_split_svg(&labels, &counts, None)
        );
    }
    s.push_str("</section>");
    s
}
