//! Cause and effect, read from a run: which earlier decision a delayed consequence comes
//! from, which decision opened a choice, and which roads were really open at a decision.
//! Only look-ups over the engine's record; the rules stay in `crate::engine`.

use crate::engine::session::Landed;
use crate::engine::{Decision, Session};
use crate::scenario::{Choice, Condition, Scenario};

/// The text of a choice, by beat and id.
pub fn choice_text(scenario: &Scenario, beat: &str, choice: &str) -> Option<String> {
    scenario.beat(beat).and_then(|b| b.choices.iter().find(|c| c.id == choice)).map(|c| c.text.clone())
}

/// The earlier decision a delayed consequence comes from: the last one before `landed_with`
/// (the decision it landed with) that took the choice it was scheduled by.
pub fn cause_of<'a>(session: &'a Session, landed_with: u32, landed: &Landed) -> Option<&'a Decision> {
    session
        .transcript
        .iter()
        .rfind(|d| d.number < landed_with && d.beat == landed.from_beat && d.choice == landed.from_choice)
}

/// "Because of decision 1 (“Rebuild Sam's file yourself”): " for a delayed consequence.
pub fn because(scenario: &Scenario, session: &Session, landed_with: u32, landed: &Landed) -> String {
    match cause_of(session, landed_with, landed) {
        Some(cause) => {
            let said = choice_text(scenario, &cause.beat, &cause.choice).unwrap_or_else(|| cause.choice.clone());
            format!("Because of decision {} (“{}”)", cause.number, crate::game::wording::shorten(&said, 70))
        }
        None => "Because of an earlier decision".into(),
    }
}

/// The earlier decision whose choice set a flag this open choice needed, if any.
pub fn opened_by<'a>(session: &'a Session, scenario: &Scenario, choice: &Choice) -> Option<&'a Decision> {
    let mut needed = Vec::new();
    if let Some(condition) = &choice.requires {
        flags_needed(condition, &mut needed);
    }
    session.transcript.iter().find(|d| {
        scenario
            .beat(&d.beat)
            .and_then(|b| b.choices.iter().find(|c| c.id == d.choice))
            .is_some_and(|taken| taken.sets.iter().any(|f| needed.contains(&f.as_str())))
    })
}

/// Flags a condition needs set (not those it needs unset).
fn flags_needed<'a>(condition: &'a Condition, out: &mut Vec<&'a str>) {
    match condition {
        Condition::Flag(flag) => out.push(flag),
        Condition::All(all) | Condition::Any(all) => all.iter().for_each(|c| flags_needed(c, out)),
        _ => {}
    }
}

/// An option the player did not take at a decision, as it was offered then.
#[derive(Debug, Clone, PartialEq)]
pub struct Road {
    pub choice: Choice,
    /// Shown but locked then, with the reason given.
    pub locked: Option<String>,
}

/// The roads not taken at `decision`: only the options offered at that moment (hidden ones
/// never offered are left out), locked ones marked.
pub fn roads_not_taken(session: &Session, scenario: &Scenario, decision: &Decision) -> Vec<Road> {
    let Ok(then) = session.rewound(scenario, decision.number) else { return Vec::new() };
    then.visible_choices(scenario)
        .into_iter()
        .filter(|v| v.choice.id != decision.choice)
        .map(|v| Road { choice: v.choice.clone(), locked: v.locked_reason })
        .collect()
}
