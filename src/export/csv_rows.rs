//! The session as a table: one row per decision, for a spreadsheet or a facilitator's notes.

use crate::engine::votes::{option_letter, votes_summary};
use crate::record::{LoggedDecision, PhoneBallots, RecordedSession};
use crate::scenario::Scenario;
use crate::scenario::lessons::lesson;

/// The header row, in order.
pub const CSV_COLUMNS: [&str; 25] = [
    "session",
    "number",
    "scenario",
    "scenario_title",
    "beat",
    "beat_text",
    "options",
    "votes",
    "chosen",
    "chosen_text",
    "overrode_majority",
    "override_reason",
    "outcome",
    "lesson",
    "lesson_name",
    "trust_before",
    "trust_after",
    "impact_before",
    "impact_after",
    "engagement_before",
    "engagement_after",
    "at",
    "phone_votes",
    "hand_votes",
    "phone_ballots",
];

pub fn to_csv(recorded: &RecordedSession, scenarios: &[&Scenario]) -> csv::Result<String> {
    let mut table = csv::Writer::from_writer(Vec::new());
    table.write_record(CSV_COLUMNS)?;
    for decision in &recorded.decisions {
        let ballots = recorded.ballots_of(decision.number);
        table.write_record(row(
            &recorded.header.session,
            decision,
            super::find(scenarios, &decision.scenario),
            ballots,
        ))?;
    }
    let bytes = table.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8(bytes).expect("every field written is a Rust string"))
}

fn row(session: &str, d: &LoggedDecision, scenario: Option<&Scenario>, ballots: Option<&PhoneBallots>) -> [String; 25] {
    let beat = scenario.and_then(|s| s.beat(&d.beat));
    let chosen = beat.and_then(|b| b.choices.iter().find(|c| c.id == d.chosen));
    let options: Vec<String> =
        d.options.iter().enumerate().map(|(i, id)| format!("{}:{id}", option_letter(i))).collect();
    let (before, after) = (d.meters_before, d.meters_after);
    [
        session.to_string(),
        d.number.to_string(),
        d.scenario.clone(),
        scenario.map(|s| s.title.clone()).unwrap_or_default(),
        d.beat.clone(),
        beat.map(|b| b.text.clone()).unwrap_or_default(),
        options.join(" "),
        d.votes.as_deref().map(votes_summary).unwrap_or_default(),
        d.chosen.clone(),
        chosen.map(|c| c.text.clone()).unwrap_or_default(),
        d.overrode_majority.to_string(),
        d.override_reason.clone().unwrap_or_default(),
        d.outcome.clone().unwrap_or_default(),
        d.lesson.clone(),
        lesson(&d.lesson).map(|l| l.name.to_string()).unwrap_or_default(),
        before.trust.to_string(),
        after.trust.to_string(),
        before.strategic_impact.to_string(),
        after.strategic_impact.to_string(),
        before.team_engagement.to_string(),
        after.team_engagement.to_string(),
        d.at.clone(),
        ballots.map(|b| votes_summary(&b.phone_counts(d.votes.as_ref().map_or(0, Vec::len)))).unwrap_or_default(),
        ballots.map(|b| votes_summary(&b.hands)).unwrap_or_default(),
        ballots.map(phone_ballots).unwrap_or_default(),
    ]
}

/// "p-1a2b3c=A p-4d5e6f=B", with the nickname in brackets when one was given.
fn phone_ballots(ballots: &PhoneBallots) -> String {
    let each = ballots.phones.iter().map(|(phone, option)| match ballots.nicknames.get(phone) {
        Some(nickname) => format!("{phone} ({nickname})={}", option_letter(*option)),
        None => format!("{phone}={}", option_letter(*option)),
    });
    each.collect::<Vec<_>>().join(" ")
}
