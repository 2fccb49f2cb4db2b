//! The session as a table: one row per decision, for a spreadsheet or a facilitator's notes.

use serde::{Serialize, Serializer};

use crate::engine::votes::{option_letter, votes_summary};
use crate::record::{DecisionTexts, LoggedDecision, PhoneBallots, RecordedSession};
use crate::scenario::Scenario;
use crate::scenario::lessons::lesson;

/// The header row, in order: the field names of [`Row`].
pub const CSV_COLUMNS: [&str; 27] = [
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
    "stance",
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
    "phone",
];

/// One decision as a CSV row; serde names the columns after the fields.
#[derive(Debug, Serialize)]
struct Row<'a> {
    session: Text<'a>,
    number: u32,
    scenario: Text<'a>,
    scenario_title: Text<'a>,
    beat: Text<'a>,
    beat_text: Text<'a>,
    options: Text<'a>,
    votes: Text<'a>,
    chosen: Text<'a>,
    chosen_text: Text<'a>,
    overrode_majority: bool,
    override_reason: Text<'a>,
    outcome: Text<'a>,
    lesson: Text<'a>,
    lesson_name: Text<'a>,
    /// How the choice stood to its lesson: Applies, Partly or Misses (empty when the file
    /// did not say).
    stance: Text<'a>,
    trust_before: i32,
    trust_after: i32,
    impact_before: i32,
    impact_after: i32,
    engagement_before: i32,
    engagement_after: i32,
    at: Text<'a>,
    /// Votes from phones per option, hands counted in the room, and each phone's ballot
    /// (with its nickname when the facilitator asked for them); empty without phones.
    phone_votes: Text<'a>,
    hand_votes: Text<'a>,
    phone_ballots: Text<'a>,
    /// "Everyone plays": the phone whose own run this decision is (with its nickname when
    /// asked for); `number` then counts within that run. Empty for the room's decisions.
    phone: Text<'a>,
}

/// A text cell. A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or
/// carriage return) as a formula, so such a cell gets a leading `'`, as OWASP advises for CSV
/// injection; the text is otherwise kept as it is.
#[derive(Debug)]
struct Text<'a>(std::borrow::Cow<'a, str>);

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            serializer.serialize_str(&format!("'{}", self.0))
        } else {
            serializer.serialize_str(&self.0)
        }
    }
}

fn text<'a>(value: impl Into<std::borrow::Cow<'a, str>>) -> Text<'a> {
    Text(value.into())
}

pub fn to_csv(recorded: &RecordedSession, scenarios: &[&Scenario]) -> csv::Result<String> {
    let mut table = csv::Writer::from_writer(Vec::new());
    if recorded.decisions.is_empty() && recorded.phone_decisions.is_empty() {
        // serde writes the header with the first row; a session with none still gets it.
        table.write_record(CSV_COLUMNS)?;
    }
    for decision in &recorded.decisions {
        let texts = super::texts_of(decision, scenarios);
        let stance = super::stance_of(decision, scenarios);
        let ballots = recorded.ballots_of(decision.number);
        table.serialize(row(&recorded.header.session, decision, &texts, stance, ballots))?;
    }
    for line in &recorded.phone_decisions {
        let texts = super::texts_of(&line.decision, scenarios);
        let stance = super::stance_of(&line.decision, scenarios);
        let mut row = row(&recorded.header.session, &line.decision, &texts, stance, None);
        row.phone = text(match &line.nickname {
            Some(nickname) => format!("{} ({nickname})", line.phone),
            None => line.phone.clone(),
        });
        table.serialize(row)?;
    }
    let bytes = table.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8(bytes).expect("every field written is a Rust string"))
}

fn row<'a>(
    session: &'a str,
    d: &'a LoggedDecision,
    texts: &'a DecisionTexts,
    stance: Option<crate::scenario::Stance>,
    ballots: Option<&PhoneBallots>,
) -> Row<'a> {
    let options: Vec<String> =
        d.options.iter().enumerate().map(|(i, id)| format!("{}:{id}", option_letter(i))).collect();
    let (before, after) = (d.meters_before, d.meters_after);
    Row {
        session: text(session),
        number: d.number,
        scenario: text(&d.scenario),
        scenario_title: text(&texts.scenario_title),
        beat: text(&d.beat),
        beat_text: text(&texts.beat_text),
        options: text(options.join(" ")),
        votes: text(d.votes.as_deref().map(votes_summary).unwrap_or_default()),
        chosen: text(&d.chosen),
        chosen_text: text(&texts.chosen_text),
        overrode_majority: d.overrode_majority,
        override_reason: text(d.override_reason.as_deref().unwrap_or_default()),
        outcome: text(d.outcome.as_deref().unwrap_or_default()),
        lesson: text(&d.lesson),
        lesson_name: text(lesson(&d.lesson).map(|l| l.name).unwrap_or_default()),
        stance: text(stance.map(|s| s.id()).unwrap_or_default()),
        trust_before: before.trust,
        trust_after: after.trust,
        impact_before: before.strategic_impact,
        impact_after: after.strategic_impact,
        engagement_before: before.team_engagement,
        engagement_after: after.team_engagement,
        at: text(&d.at),
        phone_votes: text(
            ballots.map(|b| votes_summary(&b.phone_counts(d.votes.as_ref().map_or(0, Vec::len)))).unwrap_or_default(),
        ),
        hand_votes: text(ballots.map(|b| votes_summary(&b.hands)).unwrap_or_default()),
        phone_ballots: text(ballots.map(phone_ballots).unwrap_or_default()),
        phone: text(""),
    }
}

/// "p-1a2b3c=A p-4d5e6f=B", with the nickname in brackets when one was given.
fn phone_ballots(ballots: &PhoneBallots) -> String {
    let each = ballots.phones.iter().map(|(phone, option)| match ballots.nicknames.get(phone) {
        Some(nickname) => format!("{phone} ({nickname})={}", option_letter(*option)),
        None => format!("{phone}={}", option_letter(*option)),
    });
    each.collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_has_the_columns_in_order() {
        let mut table = csv::Writer::from_writer(Vec::new());
        let d: LoggedDecision = serde_json::from_str(
            r#"{"number":1,"scenario":"s","beat":"b","options":["a"],"chosen":"a","lesson":"L01",
                "meters_before":{"trust":1,"strategic_impact":2,"team_engagement":3},
                "meters_after":{"trust":1,"strategic_impact":2,"team_engagement":3},"at":"x"}"#,
        )
        .unwrap();
        let texts =
            DecisionTexts { scenario_title: String::new(), beat_text: String::new(), chosen_text: String::new() };
        table.serialize(row("n", &d, &texts, None, None)).unwrap();
        let written = String::from_utf8(table.into_inner().unwrap()).unwrap();
        assert_eq!(written.lines().next().unwrap(), CSV_COLUMNS.join(","));
    }
}
