//! After each choice: what happened (a chance outcome, a delayed consequence landing), the
//! meter changes, and the lesson with its article. The player continues when ready.

use bevy::prelude::*;

use crate::game::intent::Intent;
use crate::game::meters_hud::{change_line, meters_panel};
use crate::game::navigation::StartFocus;
use crate::game::run::ActiveRun;
use crate::game::screen::Screen;
use crate::game::theme::{BODY_SIZE, SMALL_SIZE, Theme, bold_text, button, heading, panel, row, small, text};
use crate::scenario::Meter;
use crate::scenario::lessons::lesson;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Consequence), spawn_consequence);
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
    let over = run.session.is_over();
    let theme = theme.clone();
    let palette = theme.palette;
    commands.spawn((
        crate::game::theme::screen_root(Screen::Consequence),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(heading("What happened", &theme));
            p.spawn(meters_panel(&decision.meters_before, &decision.meters_after, &theme));
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
                for landed in &decision.landed {
                    card.spawn(bold_text("Catching up with you", SMALL_SIZE, palette.focus, &theme));
                    let effects: Vec<String> =
                        landed.effects.listed().map(|(m, v)| format!("{} {v:+}", m.label())).collect();
                    card.spawn(text(format!("{} ({})", landed.text, effects.join(", ")), BODY_SIZE, palette.text));
                }
            });
            p.spawn(Node { flex_direction: FlexDirection::Row, column_gap: px(24), ..default() }).with_children(|r| {
                for meter in Meter::ALL {
                    r.spawn(change_line(
                        meter,
                        decision.meters_before.get(meter),
                        decision.meters_after.get(meter),
                        &theme,
                    ));
                }
            });
            if let Some(lesson) = taught {
                p.spawn(panel(&theme)).with_children(|card| {
                    card.spawn(bold_text(
                        format!("{}: {}", crate::scenario::stance_phrase(decision.stance, lesson.id), lesson.name),
                        BODY_SIZE,
                        palette.focus,
                        &theme,
                    ));
                    card.spawn(text(lesson.summary, BODY_SIZE - 1.0, palette.text));
                    card.spawn(small(format!("From {}", lesson.citation()), &theme));
                });
            }
            let label = if over { "See how it ends" } else { "Continue" };
            p.spawn(row(0.0)).with_children(|r| {
                r.spawn((button(label, Intent::Proceed, &theme), StartFocus));
            });
            p.spawn(Node { flex_grow: 1.0, ..default() });
            p.spawn(small("Enter to continue when you are ready.", &theme));
        })),
    ));
}
