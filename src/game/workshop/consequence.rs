//! After the room's choice: how the room voted and what was applied, what happened, the
//! meter changes (if the room can see them) and the lesson with its article.

use bevy::prelude::*;

use super::flow::{Workshop, WorkshopIntent};
use super::widgets::{BODY, HEADING, SMALL, big, big_bold, letter, meter_bars};
use crate::game::run::ActiveRun;
use crate::game::screen::Screen;
use crate::game::theme::{Theme, panel};
use crate::scenario::lessons::lesson;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::WorkshopConsequence), spawn_consequence)
        .add_systems(Update, consequence_keys.run_if(in_state(Screen::WorkshopConsequence)));
}

/// "The room chose B: 12 of 20 (60%)" or the facilitator's override with its reason.
pub fn vote_summary(logged: &crate::record::LoggedDecision) -> String {
    let chosen = logged.options.iter().position(|o| *o == logged.chosen).unwrap_or(0);
    let Some(votes) = &logged.votes else {
        return format!("Applied {} (no votes recorded).", letter(chosen));
    };
    let total: u32 = votes.iter().sum();
    let split: Vec<String> = votes.iter().enumerate().map(|(i, n)| format!("{}: {n}", letter(i))).collect();
    let share = |i: usize| votes.get(i).map_or(0.0, |n| *n as f64 * 100.0 / total.max(1) as f64);
    if logged.overrode_majority {
        format!(
            "Votes {}. The facilitator applied {} ({:.0}%) against the majority: {}",
            split.join("  "),
            letter(chosen),
            share(chosen),
            logged.override_reason.as_deref().unwrap_or("")
        )
    } else {
        format!(
            "Votes {}. The room chose {}: {} of {total} ({:.0}%).",
            split.join("  "),
            letter(chosen),
            votes[chosen.min(votes.len() - 1)],
            share(chosen)
        )
    }
}

fn spawn_consequence(
    mut commands: Commands,
    workshop: Option<Res<Workshop>>,
    run: Option<Res<ActiveRun>>,
    theme: Res<Theme>,
) {
    let (Some(w), Some(r)) = (workshop, run) else { return };
    let (Some(decision), Some(logged)) = (r.last_decision().cloned(), w.decisions.last().cloned()) else { return };
    let s = w.text_scale;
    let choice =
        r.scenario.beat(&decision.beat).and_then(|b| b.choices.iter().find(|c| c.id == decision.choice)).cloned();
    let taught = lesson(&decision.lesson);
    let show_meters = w.meters_visible();
    let theme = theme.clone();
    let palette = theme.palette;
    let summary = vote_summary(&logged);
    let over = r.session.is_over();
    commands.spawn((
        crate::game::theme::screen_root(Screen::WorkshopConsequence),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(big_bold("What happened", HEADING, s, palette.text, &theme));
            p.spawn(big(summary, SMALL, s, palette.focus));
            if show_meters {
                p.spawn(meter_bars(&decision.meters_before, &decision.meters_after, s, &theme));
            } else {
                p.spawn(big("Meters hidden", SMALL, s, palette.dim));
            }
            p.spawn(panel(&theme)).with_children(|card| {
                if let Some(choice) = &choice {
                    card.spawn(big(format!("Chosen: {}", choice.text), SMALL, s, palette.dim));
                }
                if let Some(outcome) = &decision.outcome {
                    card.spawn(big(outcome.text.clone(), BODY * 0.85, s, palette.text));
                }
                if let Some(choice) = &choice {
                    card.spawn(big(choice.feedback.clone(), BODY * 0.85, s, palette.text));
                }
                for landed in &decision.landed {
                    card.spawn(big(format!("Catching up: {}", landed.text), BODY * 0.8, s, palette.focus));
                }
            });
            if let Some(l) = taught {
                p.spawn(big_bold(
                    format!(
                        "{}: {}  ({})",
                        crate::scenario::stance_phrase(decision.stance, l.id),
                        l.name,
                        l.citation()
                    ),
                    BODY * 0.8,
                    s,
                    palette.focus,
                    &theme,
                ));
            }
            let next = if over { "Enter: the room debrief" } else { "Enter: the next moment" };
            p.spawn(big(next, SMALL * 0.8, s, palette.dim));
        })),
    ));
}

fn consequence_keys(keys: Res<ButtonInput<KeyCode>>, mut intents: MessageWriter<WorkshopIntent>) {
    if keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter, KeyCode::Space]) {
        intents.write(WorkshopIntent::Proceed);
    }
    if keys.any_just_pressed([KeyCode::Equal, KeyCode::NumpadAdd]) {
        intents.write(WorkshopIntent::TextLarger);
    }
    if keys.any_just_pressed([KeyCode::Minus, KeyCode::NumpadSubtract]) {
        intents.write(WorkshopIntent::TextSmaller);
    }
}
