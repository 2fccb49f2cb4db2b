//! The play screen: who speaks, the situation, the meters, and the choices (mouse, number
//! keys 1-4, or arrows + Enter). Locked choices the file shows are greyed with their reason.

use bevy::prelude::*;

use crate::game::cause::opened_by;
use crate::game::intent::Intent;
use crate::game::meters_hud::meters_panel;
use crate::game::navigation::{Activate, activate};
use crate::game::rebuild::add_screen;
use crate::game::run::ActiveRun;
use crate::game::schedule::GameSystems;
use crate::game::screen::Screen;
use crate::game::theme::{BODY_SIZE, SMALL_SIZE, Theme};
use crate::game::widgets::{bold_text, button_frame, button_node, panel, row, small, text};
use bevy::ui::InteractionDisabled;

/// The number a choice answers to on the keyboard.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChoiceSlot(pub usize);

pub(super) fn plugin(app: &mut App) {
    add_screen(app, Screen::Play, spawn_play);
    app.add_systems(Update, choose_by_number.in_set(GameSystems::Input).run_if(in_state(Screen::Play)));
}

struct ChoiceLine {
    id: String,
    text: String,
    locked: Option<String>,
    /// "Open because of decision 2": the earlier decision that unlocked it.
    opened_by: Option<String>,
}

fn spawn_play(
    mut commands: Commands,
    theme: Res<Theme>,
    run: Option<Res<ActiveRun>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(run) = run else {
        next.set(Screen::Title);
        return;
    };
    let scenario = &run.scenario;
    let Ok(Some(beat)) = run.session.current_beat(scenario) else {
        next.set(if run.session.is_over() { Screen::Debrief } else { Screen::Title });
        return;
    };
    let speaker =
        beat.speaker.as_deref().and_then(|id| scenario.cast_member(id)).map(|m| (m.name.clone(), m.role.clone()));
    let situation = beat.text.clone();
    let choices: Vec<ChoiceLine> = run
        .session
        .visible_choices(scenario)
        .into_iter()
        .map(|v| ChoiceLine {
            id: v.choice.id.clone(),
            text: v.choice.text.clone(),
            opened_by: (v.locked_reason.is_none())
                .then(|| opened_by(&run.session, scenario, v.choice))
                .flatten()
                .map(|d| format!("Open because of your decision {}", d.number)),
            locked: v.locked_reason,
        })
        .collect();
    let stage = run
        .campaign
        .as_ref()
        .map(|(c, r)| format!("Campaign: scenario {} of {}", r.results.len() + 1, c.scenarios.len()));
    let header = format!("{}  ·  decision {}", scenario.title, run.session.transcript.len() + 1);
    let meters = run.session.meters;
    let keys_hint = format!(
        "Press 1-{}, or use the arrow keys and Enter. Esc saves and returns to the title.",
        choices.len().clamp(1, 4)
    );
    let theme = theme.clone();
    let palette = theme.palette;
    commands.spawn((
        crate::game::widgets::screen_root(Screen::Play),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn((row(24.0), children![small(header, &theme)])).with_children(|r| {
                if let Some(stage) = stage {
                    r.spawn(small(stage, &theme));
                }
            });
            p.spawn(meters_panel(&meters, &meters, &theme));
            p.spawn(panel(&theme)).with_children(|card| {
                match speaker {
                    Some((name, role)) => {
                        card.spawn((
                            row(12.0),
                            children![
                                bold_text(name, BODY_SIZE + 2.0, palette.focus, &theme),
                                text(role, SMALL_SIZE, palette.dim)
                            ],
                        ));
                    }
                    None => {
                        card.spawn(text("The situation", SMALL_SIZE, palette.dim));
                    }
                }
                card.spawn(text(situation, BODY_SIZE + 2.0, palette.text));
            });
            p.spawn(Node { flex_direction: FlexDirection::Column, row_gap: px(10), ..default() }).with_children(
                |list| {
                    for (i, choice) in choices.into_iter().enumerate() {
                        let number = i + 1;
                        let label = match &choice.locked {
                            None => format!("Choice {number}: {}", choice.text),
                            Some(reason) => format!("Choice {number}, locked ({reason}): {}", choice.text),
                        };
                        let frame = button_frame(Intent::Choose(choice.id), &label, &theme);
                        let mut button = list.spawn((frame, button_node(), ChoiceSlot(number)));
                        let colour = if choice.locked.is_some() { palette.dim } else { palette.text };
                        button.with_children(|b| {
                            b.spawn((
                                row(14.0),
                                children![
                                    bold_text(number.to_string(), BODY_SIZE, palette.focus, &theme),
                                    (text(choice.text, BODY_SIZE, colour), Node { flex_shrink: 1.0, ..default() })
                                ],
                            ));
                            if let Some(reason) = choice.locked {
                                b.spawn(text(format!("Locked: {reason}"), SMALL_SIZE, palette.dim));
                            }
                            if let Some(opened) = choice.opened_by {
                                b.spawn(text(opened, SMALL_SIZE, palette.focus));
                            }
                        });
                        if label.contains(", locked (") {
                            button.insert(InteractionDisabled);
                        }
                    }
                },
            );
            p.spawn(Node { flex_grow: 1.0, ..default() });
            p.spawn(small(keys_hint, &theme));
        })),
    ));
}

fn choose_by_number(
    keys: Res<ButtonInput<KeyCode>>,
    slots: Query<(Entity, &ChoiceSlot)>,
    buttons: Query<(&Activate, Has<InteractionDisabled>)>,
    mut intents: MessageWriter<Intent>,
) {
    const KEYS: [(KeyCode, KeyCode); 4] = [
        (KeyCode::Digit1, KeyCode::Numpad1),
        (KeyCode::Digit2, KeyCode::Numpad2),
        (KeyCode::Digit3, KeyCode::Numpad3),
        (KeyCode::Digit4, KeyCode::Numpad4),
    ];
    for (i, (digit, numpad)) in KEYS.iter().enumerate() {
        if keys.any_just_pressed([*digit, *numpad])
            && let Some((entity, _)) = slots.iter().find(|(_, slot)| slot.0 == i + 1)
        {
            activate(entity, &buttons, &mut intents);
        }
    }
}
