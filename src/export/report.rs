//! The session report: one self-contained HTML page (inline CSS and SVG, no scripts, nothing
//! fetched) for a solo run, a workshop or a campaign, to read on screen or print as a handout.
//! Every piece of text from a log or a scenario file is escaped.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::chart::{Layout, Sample, meter_chart};
use super::replay::{replayed, scenario_order};
use super::svg::{escape, legend_html, meter_chart_svg, vote_split_svg};
use crate::engine::Decision;
use crate::engine::stances::sorted_lesson_stances;
use crate::record::{LoggedDecision, Mode, RecordedSession};
use crate::scenario::lessons::lesson;
use crate::scenario::{Meter, Scenario, Stance, taught_verb};

/// The chart's drawing size; the page scales it to its width.
const CHART_WIDTH: f32 = 720.0;
const CHART_HEIGHT: f32 = 300.0;

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1d1f24; background: #fff;
  max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #1d1f24; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .3rem; }
.meta { color: #444; margin: .2rem 0 1rem; }
.meta span { margin-right: 1.2rem; white-space: nowrap; }
figure { margin: 1rem 0; }
svg.chart { width: 100%; height: auto; display: block; font-family: inherit; }
svg.votes { width: 100%; max-width: 36rem; height: auto; display: block; font-family: inherit; }
figcaption, .legend { font-size: .85rem; color: #444; }
.decision { border: 1px solid #c9ccd3; border-radius: 6px; padding: .7rem .9rem; margin: .8rem 0; }
.decision p { margin: .3rem 0; }
.label { font-weight: bold; }
.change { font-variant-numeric: tabular-nums; }
.stance { display: inline-block; border: 1px solid currentColor; border-radius: 3px; padding: 0 .3rem;
  font-size: .82rem; font-weight: bold; line-height: 1.3; }
.stance-applies { color: #17663a; } .stance-partly { color: #7a5200; } .stance-misses { color: #a1262b; }
.stance-met, .stance-not-met { color: #444; }
.roads { margin: .3rem 0 0 1.2rem; padding: 0; font-size: .92rem; }
.ending { background: #f3f4f7; border-left: 4px solid #1d1f24; padding: .6rem .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #c9ccd3; vertical-align: top; }
footer { margin-top: 2rem; font-size: .8rem; color: #555; }
@media print {
  @page { margin: 14mm 12mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, svg, .ending, tr, .decision p, .decision h3, li { break-inside: avoid; page-break-inside: avoid; }
  .decision h3 { break-after: avoid; page-break-after: avoid; }
  .decision { border-color: #888; }
}
"#;

/// The report of a session as one HTML page.
pub fn to_html(recorded: &RecordedSession, scenarios: &[&Scenario]) -> String {
    let replay = replayed(recorded, scenarios);
    let header = &recorded.header;
    let mut page = String::new();
    let title = format!("Session report: {}", header.session);
    let _ = write!(
        page,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title><style>{STYLE}</style></head><body>"#,
        escape(&title)
    );
    let _ = write!(page, "<header><h1>{}</h1><p class=\"meta\">", escape(&title));
    let mode = match header.mode {
        Mode::Solo => "Solo run",
        Mode::Workshop => "Workshop",
    };
    let what = match (&header.campaign, &header.scenario) {
        (Some(campaign), _) => format!("campaign {campaign}"),
        (None, Some(id)) => super::find(scenarios, id).map_or_else(|| id.clone(), |s| s.title.clone()),
        (None, None) => "no scenario".into(),
    };
    let _ = write!(
        page,
        "<span>{mode}: {}</span><span>Started {}</span><span>Seed {}</span><span>{} decisions</span></p></header>",
        escape(&what),
        escape(&readable_time(&header.started_at)),
        header.seed,
        recorded.decisions.len() + recorded.phone_decisions.len()
    );
    if let Some(damage) = &recorded.damaged_tail {
        let _ = write!(page, "<p><b>Note:</b> the log's last line was damaged and is left out: {}</p>", escape(damage));
    }

    let order = scenario_order(recorded);
    if header.campaign.is_some() && order.len() > 1 {
        page.push_str(&campaign_section(recorded, &order, scenarios));
    }
    for id in &order {
        // "Everyone plays" has no room decisions: its section below tells the phones' runs.
        if recorded.phone_decisions.is_empty() || !recorded.decisions.is_empty() {
            page.push_str(&scenario_section(recorded, id, scenarios, &replay));
        }
    }
    if !recorded.phone_decisions.is_empty() {
        page.push_str(&super::report_everyone::everyone_section(recorded, scenarios));
    }
    page.push_str(&lessons_section(recorded, scenarios));
    let _ = write!(
        page,
        "<footer>Made by The Leap from the session log. Replay a solo run with <code>leap play --text {} --seed {}</code>.</footer></body></html>",
        escape(header.scenario.as_deref().unwrap_or("SCENARIO")),
        header.seed
    );
    page
}

/// "2026-11-23 09:14 UTC" from ISO 8601, or the text as it is.
fn readable_time(iso: &str) -> String {
    match (iso.get(..10), iso.get(11..16)) {
        (Some(day), Some(time)) if iso.len() >= 16 => format!("{day} {time} UTC"),
        _ => iso.to_string(),
    }
}

fn campaign_section(recorded: &RecordedSession, order: &[String], scenarios: &[&Scenario]) -> String {
    let mut samples = Vec::new();
    if let Some(first) = recorded.decisions.first() {
        samples.push(Sample::new("Start", first.meters_before));
    }
    for (i, id) in order.iter().enumerate() {
        if let Some(last) = recorded.decisions_of(id).last() {
            samples.push(Sample::new((i + 1).to_string(), last.meters_after));
        }
    }
    let chart = meter_chart(&samples, Layout::new(CHART_WIDTH, CHART_HEIGHT, 13.0), 16.0, "stage");
    let mut s = String::from("<section><h2>The campaign, stage by stage</h2><figure>");
    s.push_str(&meter_chart_svg(&chart, "The meters at the end of each stage"));
    s.push_str(&legend_html());
    s.push_str("</figure><table><tr><th>Stage</th><th>Scenario</th><th>Ending</th><th>Verdict</th></tr>");
    for (i, id) in order.iter().enumerate() {
        let scenario = super::find(scenarios, id);
        let end = recorded.end_of(id);
        let ending = end.map_or_else(
            || "not finished".to_string(),
            |e| scenario.and_then(|s| s.ending(&e.ending)).map_or(e.ending.clone(), |x| x.title.clone()),
        );
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            escape(scenario.map_or(id.as_str(), |s| s.title.as_str())),
            escape(&ending),
            escape(end.map_or("", |e| e.verdict.label()))
        );
    }
    s.push_str("</table></section>");
    s
}

fn scenario_section(
    recorded: &RecordedSession,
    id: &str,
    scenarios: &[&Scenario],
    replay: &std::collections::BTreeMap<u32, Decision>,
) -> String {
    let scenario = super::find(scenarios, id);
    let decisions: Vec<&LoggedDecision> = recorded.decisions_of(id).collect();
    let mut s = String::new();
    let _ = write!(s, "<section><h2>{}</h2>", escape(scenario.map_or(id, |s| s.title.as_str())));
    if let Some(sc) = scenario {
        let _ = write!(s, "<p>{}</p>", escape(&sc.summary));
    }
    let samples = samples_of(&decisions, replay);
    if !samples.is_empty() {
        let chart = meter_chart(&samples, Layout::new(CHART_WIDTH, CHART_HEIGHT, 13.0), 16.0, "decision");
        s.push_str("<figure>");
        s.push_str(&meter_chart_svg(&chart, "The three meters after each decision"));
        s.push_str(&legend_html());
        s.push_str("</figure>");
    }
    for d in &decisions {
        s.push_str(&decision_html(d, scenario, replay.get(&d.number)));
    }
    if let Some(end) = recorded.end_of(id) {
        let ending = scenario.and_then(|sc| sc.ending(&end.ending));
        let _ = write!(
            s,
            "<div class=\"ending\"><h3>Ending: {}</h3><p><span class=\"label\">Verdict:</span> {}</p>",
            escape(ending.map_or(end.ending.as_str(), |e| e.title.as_str())),
            escape(end.verdict.label())
        );
        if let Some(e) = ending {
            let _ = write!(s, "<p>{}</p>", escape(&e.text));
        }
        if let Some(last) = decisions.last() {
            let _ = write!(s, "<p class=\"change\">Final meters: {}</p>", escape(&meters_words(&last.meters_after)));
        }
        s.push_str("</div>");
    } else {
        s.push_str("<p class=\"ending\">This scenario was not finished.</p>");
    }
    s.push_str("</section>");
    s
}

/// The start, then each decision, for the chart.
fn samples_of(decisions: &[&LoggedDecision], replay: &std::collections::BTreeMap<u32, Decision>) -> Vec<Sample> {
    let Some(first) = decisions.first() else { return Vec::new() };
    let mut samples = vec![Sample::new("Start", first.meters_before)];
    samples.extend(decisions.iter().map(|d| Sample {
        label: d.number.to_string(),
        meters: d.meters_after,
        chance: d.outcome.is_some(),
        delayed: replay.get(&d.number).is_some_and(|r| !r.landed.is_empty()),
    }));
    samples
}

fn meters_words(meters: &crate::engine::Meters) -> String {
    Meter::ALL.iter().map(|m| format!("{} {}", m.label(), meters.get(*m))).collect::<Vec<_>>().join(" · ")
}

fn change_words(delta: [i32; 3]) -> String {
    let parts: Vec<String> =
        Meter::ALL.iter().zip(delta).filter(|(_, d)| *d != 0).map(|(m, d)| format!("{} {d:+}", m.label())).collect();
    if parts.is_empty() { "no change".into() } else { parts.join(" · ") }
}

fn letter(i: usize) -> String {
    char::from(b'A' + (i % 26) as u8).to_string()
}

fn decision_html(d: &LoggedDecision, scenario: Option<&Scenario>, replayed: Option<&Decision>) -> String {
    let beat = scenario.and_then(|s| s.beat(&d.beat));
    let choice_text = |id: &str| {
        beat.and_then(|b| b.choices.iter().find(|c| c.id == id)).map_or_else(|| id.to_string(), |c| c.text.clone())
    };
    let mut s = String::new();
    let _ = write!(s, "<article class=\"decision\" id=\"decision-{}\"><h3>Decision {}</h3>", d.number, d.number);
    if let Some(b) = beat {
        let speaker = b.speaker.as_deref().and_then(|id| scenario?.cast_member(id));
        let who = speaker.map_or(String::new(), |c| format!("{} ({}): ", c.name, c.role));
        let _ = write!(s, "<p><span class=\"label\">The moment:</span> {}{}</p>", escape(&who), escape(&b.text));
        if let Some(discuss) = &b.discuss {
            let _ = write!(s, "<p><span class=\"label\">For discussion:</span> {}</p>", escape(discuss));
        }
    } else {
        let _ = write!(s, "<p><span class=\"label\">The moment:</span> {}</p>", escape(&d.beat));
    }
    let who = if d.votes.is_some() { "The room chose" } else { "Chosen" };
    let _ = write!(s, "<p><span class=\"label\">{who}:</span> {}</p>", escape(&choice_text(&d.chosen)));
    if let Some(votes) = &d.votes {
        let options: Vec<(String, String)> =
            d.options.iter().enumerate().map(|(i, id)| (letter(i), choice_text(id))).collect();
        let applied = d.chosen_index();
        s.push_str("<figure>");
        s.push_str(&vote_split_svg(&options, votes, applied));
        let total: u32 = votes.iter().sum();
        let _ = write!(s, "<figcaption>The room's vote: {total} in all; the option applied in bold.");
        if d.overrode_majority {
            s.push_str(" The facilitator overrode the majority");
            match &d.override_reason {
                Some(reason) => {
                    let _ = write!(s, ": {}", escape(reason));
                }
                None => s.push('.'),
            }
        }
        s.push_str("</figcaption></figure>");
    }
    if let Some(outcome) = &d.outcome {
        let _ = write!(s, "<p><span class=\"label\">? Chance:</span> {}</p>", escape(outcome));
    }
    for landed in replayed.iter().flat_map(|r| &r.landed) {
        let _ = write!(s, "<p><span class=\"label\">! Caught up with you:</span> {}</p>", escape(&landed.text));
    }
    if let Some(chosen) = beat.and_then(|b| b.choices.iter().find(|c| c.id == d.chosen)) {
        let _ = write!(s, "<p><span class=\"label\">What happened:</span> {}</p>", escape(&chosen.feedback));
    }
    let _ = write!(
        s,
        "<p class=\"change\"><span class=\"label\">Meters:</span> {} (now {})</p>",
        escape(&change_words(d.delta())),
        escape(&meters_words(&d.meters_after))
    );
    let badge = stance_badge(d.stance.map_or(StanceShown::Met, StanceShown::Chosen));
    match lesson(&d.lesson) {
        Some(l) => {
            let _ = write!(
                s,
                "<p><span class=\"label\">Lesson {}:</span> {badge} {}. {} <i>From {}.</i></p>",
                escape(l.id),
                escape(l.name),
                escape(l.summary),
                escape(&l.citation())
            );
        }
        None => {
            let _ = write!(s, "<p><span class=\"label\">Lesson:</span> {badge} {}</p>", escape(&d.lesson));
        }
    }
    let roads: Vec<_> = beat.iter().flat_map(|b| &b.choices).filter(|c| c.id != d.chosen).collect();
    if !roads.is_empty() {
        s.push_str("<p><span class=\"label\">Roads not taken:</span></p><ul class=\"roads\">");
        for c in roads {
            let taught = lesson(&c.lesson).map_or(c.lesson.clone(), |l| format!("{} {}", l.id, l.name));
            let effects: Vec<String> = c.effects.listed().map(|(m, v)| format!("{} {v:+}", m.label())).collect();
            let effects = if effects.is_empty() { String::new() } else { format!("; {}", effects.join(", ")) };
            let verb = taught_verb(c.stance);
            let _ = write!(s, "<li>{} <i>({verb} {}{})</i></li>", escape(&c.text), escape(&taught), escape(&effects));
        }
        s.push_str("</ul>");
    }
    s.push_str("</article>");
    s
}

/// What the summary says of a lesson: the stance of a choice made, met without a stance, or
/// only on a road not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StanceShown {
    Chosen(Stance),
    Met,
    NotMet,
}

/// "Applies", "Partly", "Misses" in a printable box, with a word so colour is never alone.
fn stance_badge(shown: StanceShown) -> String {
    let (class, words) = match shown {
        StanceShown::Chosen(Stance::Applies) => ("applies", "Applies"),
        StanceShown::Chosen(Stance::Partly) => ("partly", "Partly"),
        StanceShown::Chosen(Stance::Misses) => ("misses", "Misses"),
        StanceShown::Met => ("met", "Met"),
        StanceShown::NotMet => ("not-met", "Not met: only on a road not taken"),
    };
    format!("<span class=\"stance stance-{class}\">{words}</span>")
}

/// Each lesson with the stance of the choices made (Applies, Partly, Misses; a lesson met
/// with two stances has a row for each), then lessons only on roads not taken, then one
/// question per lesson met, to take home.
fn lessons_section(recorded: &RecordedSession, scenarios: &[&Scenario]) -> String {
    let met = sorted_lesson_stances(recorded.decisions.iter().map(|d| (d.lesson.clone(), d.stance)));
    let applied: BTreeSet<&str> = recorded.decisions.iter().map(|d| d.lesson.as_str()).collect();
    let offered: BTreeSet<&str> = recorded
        .decisions
        .iter()
        .filter_map(|d| super::find(scenarios, &d.scenario)?.beat(&d.beat))
        .flat_map(|b| b.choices.iter().map(|c| c.lesson.as_str()))
        .collect();
    let missed: Vec<&str> = offered.difference(&applied).copied().collect();
    let mut s = String::from("<section><h2>Lessons</h2><table><tr><th>Lesson</th><th>Stance</th><th>Article</th></tr>");
    let rows = met
        .iter()
        .map(|(id, stance)| (id.as_str(), stance.map_or(StanceShown::Met, StanceShown::Chosen)))
        .chain(missed.iter().map(|id| (*id, StanceShown::NotMet)));
    for (id, shown) in rows {
        let (name, citation) =
            lesson(id).map_or((id.to_string(), String::new()), |l| (format!("{} {}", l.id, l.name), l.citation()));
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&name),
            stance_badge(shown),
            escape(&citation)
        );
    }
    s.push_str("</table>");
    let heading =
        if recorded.header.mode == Mode::Workshop { "Questions for the room" } else { "Questions to take away" };
    let _ = write!(s, "<h3 style=\"margin-top:1rem\">{heading}</h3><ol>");
    for l in applied.iter().filter_map(|id| lesson(id)) {
        let _ = write!(s, "<li><b>{} {}:</b> {}</li>", escape(l.id), escape(l.name), escape(l.question));
    }
    s.push_str("</ol></section>");
    s
}
