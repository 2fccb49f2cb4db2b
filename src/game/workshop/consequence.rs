//! After the room's choice: how the room voted and what was applied, what happened, the
//! meter changes (if the room can see them) and the lesson with its article.

use bevy::prelude::*;

use super::flow::{MeterMode, Workshop, WorkshopIntent};
use super::projector::ProjectorFit;
use super::widgets::{BODY, HEADING, SMALL, big, big_bold, letter, meter_bars};
use crate::game::cause::because;
use crate::game::rebuild::{AskForRebuild, Rebuild, add_screen};
use crate::game::run::ActiveRun;
use crate::game::schedule::GameSystems;
use crate::game::screen::Screen;
use crate::game::theme::Theme;
use crate::game::widgets::panel;
use crate::scenario::lessons::lesson;

pub(super) fn plugin(app: &mut App) {
    add_screen(app, Screen::WorkshopConsequence, spawn_consequence);
    app.add_systems(Update, consequence_keys.in_set(GameSystems::Input).run_if(in_state(Screen::WorkshopConsequence)))
        .add_systems(Update, rebuild_on_change.in_set(AskForRebuild).run_if(in_state(Screen::WorkshopConsequence)));
}

/// Text size changes (+ / -) show at once.
fn rebuild_on_change(workshop: Option<Res<Workshop>>, mut rebuild: ResMut<Rebuild>) {
    if workshop.is_some_and(|w| w.is_changed() && !w.is_added()) {
        rebuild.request();
    }
}

/// "The room chose B: 12 of 20 (60%)" or the facilitator's override with its reason.
pub fn vote_summary(logged: &crate::record::LoggedDecision) -> String {
    let chosen = logged.chosen_index().unwrap_or(0);
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
    mut fit: ResMut<ProjectorFit>,
) {
    let (Some(w), Some(r)) = (workshop, run) else { return };
    let (Some(decision), Some(logged)) = (r.last_decision().cloned(), w.decisions.last().cloned()) else { return };
    let s = w.text_scale
        * fit.scale_for(format!("consequence {} {} {}", decision.number, w.text_scale, w.revealing.is_some()));
    let choice =
        r.scenario.beat(&decision.beat).and_then(|b| b.choices.iter().find(|c| c.id == decision.choice)).cloned();
    let taught = lesson(&decision.lesson);
    // Shown when the session shows them, or right after R on this screen.
    let meters = match (w.meters_visible(), w.revealing) {
        (true, _) => Some((decision.meters_before, decision.meters_after)),
        (false, Some(from)) => Some((from, w.revealed)),
        (false, None) => None,
    };
    let hidden = if w.config.meters == MeterMode::UntilReveal {
        "Meters hidden: R reveals what changed since the last reveal"
    } else {
        "Meters hidden until the end"
    };
    let theme = theme.clone();
    let palette = theme.palette;
    let summary = vote_summary(&logged);
    let caught_up: Vec<(String, String)> = decision
        .landed
        .iter()
        .map(|l| {
            let change = crate::game::wording::effects_words(&l.effects);
            (because(&r.scenario, &r.session, decision.number, l), format!("{} ({change})", l.text))
        })
        .collect();
    let over = r.session.is_over();
    commands.spawn((
        crate::game::widgets::screen_root(Screen::WorkshopConsequence),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(big_bold("What happened", HEADING, s, palette.text, &theme));
            p.spawn(big(summary, SMALL, s, palette.focus));
            match meters {
                Some((from, to)) => {
                    p.spawn(meter_bars(&from, &to, s, &theme));
                }
                None => {
                    p.spawn(big(hidden, SMALL, s, palette.dim));
                }
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
                for (cause, landed) in &caught_up {
                    card.spawn(big(format!("{cause}, later: {landed}"), BODY * 0.8, s, palette.focus));
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
            let next = if over {
                "Enter: the room debrief   R: reveal meters"
            } else {
                "Enter: the next moment   R: reveal meters"
            };
            p.spawn(big(next, SMALL * 0.8, s, palette.dim));
        })),
    ));
}

fn consequence_keys(keys: Res<ButtonInput<KeyCode>>, mut intents: MessageWriter<WorkshopIntent>) {
    if keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter, KeyCode::Space]) {
        intents.write(WorkshopIntent::Proceed);
    }
    if keys.just_pressed(KeyCode::KeyR) {
        intents.write(WorkshopIntent::Reveal);
    }
    if keys.any_just_pressed([KeyCode::Equal, KeyCode::NumpadAdd]) {
        intents.write(WorkshopIntent::TextLarger);
    }
    if keys.any_just_pressed([KeyCode::Minus, KeyCode::NumpadSubtract]) {
        intents.write(WorkshopIntent::TextSmaller);
    }
}
