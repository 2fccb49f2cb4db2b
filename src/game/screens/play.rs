//! The play screen: who speaks, the situation, the meters, and the choices (mouse, number
//! keys 1-4, or arrows + Enter). Locked choices the file shows are greyed with their reason.

use bevy::prelude::*;

use crate::game::cause::opened_by;
use crate::game::intent::Intent;
use crate::game::meters_hud::meters_panel_marked;
use crate::game::navigation::{Activatable, LockedReason, activate};
use crate::game::rebuild::add_screen;
use crate::game::run::ActiveRun;
use crate::game::schedule::GameSystems;
use crate::game::screen::Screen;
use crate::game::theme::{BODY_SIZE, SMALL_SIZE, Theme};
use crate::game::widgets::{
    bold_text, button_frame, button_node, panel, row, scene_header, small, speaker_badge, text,
};
use bevy::ui::InteractionDisabled;

/// The number a choice answers to on the keyboard.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChoiceSlot(pub usize);

pub(super) fn plugin(app: &mut App) {
    add_screen(app, Screen::Play, spawn_play);
    app.add_systems(Update, choose_by_number.in_set(GameSystems::Input).run_if(in_state(Screen::Play)))
        .add_systems(Update, explain_locked.in_set(GameSystems::Present).run_if(in_state(Screen::Play)));
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
    let speaker = beat.speaker.as_deref().and_then(|id| {
        let member = scenario.cast_member(id)?;
        let place = scenario.cast.iter().position(|c| c.id == id).unwrap_or(0);
        Some((member.name.clone(), member.role.clone(), place))
    });
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
    let to_go = crate::scenario::progress::to_go_words(scenario, &beat.id).unwrap_or_default();
    let header = format!("{}  ·  decision {}, {to_go}", scenario.title, run.session.transcript.len() + 1);
    let scene = beat.scene.clone();
    let meters = run.session.meters;
    let marked_by = scenario.clone();
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
            p.spawn(meters_panel_marked(&meters, &meters, &marked_by, &theme));
            p.spawn(panel(&theme)).with_children(|card| {
                if let Some(scene) = scene {
                    card.spawn(scene_header(scene, &theme));
                }
                match speaker {
                    Some((name, role, place)) => {
                        let colour = palette.cast[place % palette.cast.len()];
                        card.spawn(speaker_badge(name, role, colour, BODY_SIZE, &theme));
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
                        let locked_reason = choice.locked.clone();
                        let frame = button_frame(Intent::Choose(choice.id), &label, &theme);
                        let mut button = list.spawn((frame, button_node(), ChoiceSlot(number)));
                        let locked = choice.locked.is_some();
                        let colour = if locked { palette.dim } else { palette.text };
                        button.with_children(|b| {
                            b.spawn(row(14.0)).with_children(|line| {
                                // A locked choice shows a lock where the bright number would be.
                                if locked {
                                    line.spawn(lock_icon(palette.dim));
                                } else {
                                    line.spawn(bold_text(number.to_string(), BODY_SIZE, palette.focus, &theme));
                                }
                                line.spawn((
                                    text(choice.text, BODY_SIZE, colour),
                                    Node { flex_shrink: 1.0, ..default() },
                                ));
                            });
                            if let Some(reason) = choice.locked {
                                b.spawn(text(format!("Locked: {reason}"), SMALL_SIZE, palette.dim));
                            }
                            if let Some(opened) = choice.opened_by {
                                b.spawn(text(opened, SMALL_SIZE, palette.focus));
                            }
                        });
                        if let Some(reason) = locked_reason {
                            button.insert((InteractionDisabled, LockedReason(reason)));
                        }
                    }
                },
            );
            p.spawn((text("", BODY_SIZE, palette.bad), LockedNote));
            p.spawn(Node { flex_grow: 1.0, ..default() });
            p.spawn(small(keys_hint, &theme));
        })),
    ));
}

/// Where the play screen says why a pressed choice is locked.
#[derive(Component, Debug, Clone, Copy)]
pub struct LockedNote;

fn explain_locked(mut intents: MessageReader<Intent>, mut notes: Query<&mut Text, With<LockedNote>>) {
    let Some(reason) =
        intents.read().filter_map(|i| if let Intent::ExplainLocked(r) = i { Some(r) } else { None }).last()
    else {
        return;
    };
    for mut note in &mut notes {
        note.0 = format!("That choice is locked: {reason}");
    }
}

/// A padlock drawn with two boxes (no icon font needed): a hoop over a body.
fn lock_icon(colour: Color) -> impl Bundle {
    (
        Node {
            flex_direction: FlexDirection::Column,
            align_items: AlignItems::Center,
            width: px(18),
            flex_shrink: 0.0,
            ..default()
        },
        children![
            (
                Node {
                    width: px(10),
                    height: px(8),
                    border: UiRect { left: px(2), right: px(2), top: px(2), bottom: px(0) },
                    border_radius: BorderRadius::top(px(5)),
                    ..default()
                },
                BorderColor::all(colour),
            ),
            (
                Node { width: px(16), height: px(11), border_radius: BorderRadius::all(px(2)), ..default() },
                BackgroundColor(colour)
            ),
        ],
    )
}

fn choose_by_number(
    keys: Res<ButtonInput<KeyCode>>,
    slots: Query<(Entity, &ChoiceSlot)>,
    buttons: Activatable,
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
