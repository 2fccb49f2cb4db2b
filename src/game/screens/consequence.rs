//! After each choice: what happened (a chance outcome, a delayed consequence landing), the
//! meter changes, and the lesson with its article. The player continues when ready.

use bevy::prelude::*;

use crate::game::cause::because;
use crate::game::intent::Intent;
use crate::game::meters_hud::meters_panel_marked;
use crate::game::rebuild::add_screen;
use crate::game::run::ActiveRun;
use crate::game::screen::Screen;
use crate::game::theme::{BODY_SIZE, SMALL_SIZE, Theme};
use crate::game::widgets::{bold_text, button, heading, panel, row, small, text};
use crate::game::wording::effects_words;
use crate::scenario::lessons::lesson;
use bevy_input_focus::AutoFocus;

pub(super) fn plugin(app: &mut App) {
    add_screen(app, Screen::Consequence, spawn_consequence);
}

fn spawn_consequence(
    mut commands: Commands,
    theme: Res<Theme>,
    run: Option<Res<ActiveRun>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(decision) = run.as_ref().and_then(|r| r.last_decision()).cloned() else {
        next.set(Screen::Title);
        return;
    };
    let run = run.expect("checked above");
    let choice =
        run.scenario.beat(&decision.beat).and_then(|b| b.choices.iter().find(|c| c.id == decision.choice)).cloned();
    let taught = lesson(&decision.lesson);
    // Each delayed consequence with the decision that caused it and its own meter change.
    let caught_up: Vec<(String, String, String)> = decision
        .landed
        .iter()
        .map(|l| (because(&run.scenario, &run.session, decision.number, l), l.text.clone(), effects_words(&l.effects)))
        .collect();
    let has_caught_up = !caught_up.is_empty();
    let own_change = effects_words(&choice.as_ref().map(|c| c.effects).unwrap_or_default());
    let over = run.session.is_over();
    let marked_by = run.scenario.clone();
    let theme = theme.clone();
    let palette = theme.palette;
    commands.spawn((
        crate::game::widgets::screen_root(Screen::Consequence),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(heading("What happened", &theme));
            p.spawn(meters_panel_marked(&decision.meters_before, &decision.meters_after, &marked_by, &theme));
            p.spawn(panel(&theme)).with_children(|card| {
                if let Some(choice) = &choice {
                    card.spawn(text(format!("You chose: {}", choice.text), SMALL_SIZE, palette.dim));
                }
                if let Some(outcome) = &decision.outcome {
                    card.spawn(bold_text("As chance would have it", SMALL_SIZE, palette.focus, &theme));
                    card.spawn(text(outcome.text.clone(), BODY_SIZE, palette.text));
                }
                if let Some(choice) = &choice {
                    card.spawn(text(choice.feedback.clone(), BODY_SIZE, palette.text));
                }
                // Apart from a delayed consequence's change only; else the meters already say it.
                if !own_change.is_empty() && has_caught_up {
                    card.spawn(small(format!("This choice: {own_change}"), &theme));
                }
            });
            for (because, what, change) in caught_up {
                p.spawn(panel(&theme)).insert(BorderColor::all(palette.focus)).with_children(|card| {
                    card.spawn(bold_text(format!("{because}, later:"), SMALL_SIZE, palette.focus, &theme));
                    card.spawn(text(what, BODY_SIZE, palette.text));
                    if !change.is_empty() {
                        card.spawn(small(format!("Its own effect: {change}"), &theme));
                    }
                });
            }
            if let Some(lesson) = taught {
                p.spawn(panel(&theme)).with_children(|card| {
                    card.spawn(bold_text(
                        format!("{}: {}", crate::scenario::stance_phrase(decision.stance, lesson.id), lesson.name),
                        BODY_SIZE,
                        palette.focus,
                        &theme,
                    ));
                    card.spawn(small(format!("From {}", lesson.citation()), &theme));
                });
            }
            let label = if over { "See how it ends" } else { "Continue" };
            p.spawn(row(0.0)).with_children(|r| {
                r.spawn((button(label, Intent::Proceed, &theme), AutoFocus));
            });
            p.spawn(Node { flex_grow: 1.0, ..default() });
            p.spawn(small("Enter to continue when you are ready.", &theme));
        })),
    ));
}
