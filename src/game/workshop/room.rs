//! The room screen for one beat: the situation, the discussion prompt and the choices
//! lettered A–D with the timer (discussion), then the room's vote shown as labelled bars.

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;

use super::flow::MeterMode;
use super::flow::{Workshop, WorkshopIntent};
use super::projector::ProjectorFit;
use super::timer::{DiscussionTimer, TimerText, reset};
use super::widgets::{BODY, HEADING, SMALL, big, big_bold, letter, meter_bars, option_row, vote_row};
use crate::engine::Meters;
use crate::game::rebuild::{AskForRebuild, Rebuild, add_screen};
use crate::game::run::ActiveRun;
use crate::game::schedule::GameSystems;
use crate::game::screen::Screen;
use crate::game::theme::Theme;
use crate::game::widgets::panel;
use crate::game::wording::count;
use crate::workshop::flow::{FlowKey, Step};

pub(super) fn plugin(app: &mut App) {
    add_screen(app, Screen::WorkshopRoom, spawn_room);
    app.add_systems(OnEnter(Screen::WorkshopRoom), start_beat_timer.before(spawn_room))
        .add_systems(Update, room_keys.in_set(GameSystems::Input).run_if(in_state(Screen::WorkshopRoom)))
        .add_systems(Update, rebuild_on_change.in_set(AskForRebuild).run_if(in_state(Screen::WorkshopRoom)));
}

/// A new beat starts its discussion timer afresh; returning to the same beat keeps it.
fn start_beat_timer(
    workshop: Option<Res<Workshop>>,
    run: Option<Res<ActiveRun>>,
    mut timer: ResMut<DiscussionTimer>,
    mut last_beat: Local<Option<(String, usize)>>,
) {
    let (Some(w), Some(r)) = (workshop, run) else { return };
    let key = (r.session.scenario_id.clone(), r.session.transcript.len());
    if last_beat.as_ref() != Some(&key) {
        reset(&mut timer, w.config.timer_minutes);
        *last_beat = Some(key);
    }
}

fn rebuild_on_change(workshop: Option<Res<Workshop>>, mut rebuild: ResMut<Rebuild>) {
    if workshop.is_some_and(|w| w.is_changed() && !w.is_added()) {
        rebuild.request();
    }
}

struct OptionLine {
    text: String,
    locked: Option<String>,
}

fn spawn_room(
    mut commands: Commands,
    workshop: Option<Res<Workshop>>,
    run: Option<Res<ActiveRun>>,
    theme: Res<Theme>,
    timer: Res<DiscussionTimer>,
    mut fit: ResMut<ProjectorFit>,
    phones: Option<Res<super::phones::RoomPhones>>,
) {
    let (Some(w), Some(r)) = (workshop, run) else { return };
    let Ok(Some(beat)) = r.session.current_beat(&r.scenario) else { return };
    let phase = w.step.clone();
    let decision = r.session.transcript.len() + 1;
    let content = format!("room {} {decision} {:?} {}", r.scenario.id, std::mem::discriminant(&phase), w.text_scale);
    let s = w.text_scale * fit.scale_for(content);
    let theme = theme.clone();
    let palette = theme.palette;
    let speaker =
        beat.speaker.as_deref().and_then(|id| r.scenario.cast_member(id)).map(|m| format!("{}, {}", m.name, m.role));
    let situation = beat.text.clone();
    let prompt = beat.discuss.clone();
    let options: Vec<OptionLine> = r
        .session
        .visible_choices(&r.scenario)
        .into_iter()
        .map(|v| OptionLine { text: v.choice.text.clone(), locked: v.locked_reason })
        .collect();
    let tally = w.tally();
    let counts = tally.counts().to_vec();
    let percentages = tally.percentages();
    let vote_count = vote_count_line(&tally, phones.is_some());
    let leading = leading_option(&counts);
    let typed = w.typed_count.clone();
    let message = w.message.clone();
    let to_go = crate::scenario::progress::to_go_words(&r.scenario, &beat.id).unwrap_or_default();
    let header = format!("{}  ·  decision {decision}, {to_go}  ·  {}", r.scenario.title, w.config.name);
    let scene = beat.scene.clone();
    let meters = room_meters(&w, &r);
    let timer_text = timer.text();
    let timer_colour = timer.colour(&palette);
    commands.spawn((
        crate::game::widgets::screen_root(Screen::WorkshopRoom),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            // Pinned at the top: where we are, the timer, the meters.
            p.spawn(Node {
                justify_content: JustifyContent::SpaceBetween,
                align_items: AlignItems::Center,
                width: percent(100),
                flex_shrink: 0.0,
                ..default()
            })
            .with_children(|top| {
                top.spawn(big(header, SMALL * 0.8, s, palette.dim));
                top.spawn((big_bold(timer_text, HEADING, s, timer_colour, &theme), TimerText));
            });
            match meters {
                RoomMeters::Shown { from, to } => {
                    p.spawn(meter_bars(&from, &to, s, &theme));
                }
                RoomMeters::Hidden(note) => {
                    p.spawn(big(note, SMALL, s, palette.dim));
                }
            }
            match &phase {
                Step::Discuss => {
                    // Two columns: the situation and the prompt beside the options.
                    p.spawn(columns(s)).with_children(|cols| {
                        cols.spawn(column(0.9)).with_children(|left| {
                            left.spawn(panel(&theme)).with_children(|card| {
                                if let Some(scene) = scene {
                                    card.spawn(big(scene.to_uppercase(), SMALL * 0.75, s, palette.dim));
                                }
                                if let Some(speaker) = speaker {
                                    card.spawn(big_bold(speaker, SMALL, s, palette.focus, &theme));
                                }
                                card.spawn(big(situation, BODY * 0.9, s, palette.text));
                            });
                            if let Some(prompt) = prompt {
                                card_line(left, &theme, format!("Discuss: {prompt}"), s);
                            }
                        });
                        cols.spawn(column(1.1)).with_children(|right| {
                            let mut votable = 0;
                            for option in options {
                                match option.locked {
                                    None => {
                                        right.spawn(option_row(letter(votable).to_string(), option.text, BODY * 0.85, s, palette.text, &theme));
                                        votable += 1;
                                    }
                                    Some(reason) => {
                                        let text = format!("{} (locked: {reason})", option.text);
                                        right.spawn(option_row("–".into(), text, BODY * 0.7, s, palette.dim, &theme));
                                    }
                                }
                            }
                        });
                    });
                    p.spawn(big(
                        "V: vote   T: pause timer   E: +1 minute   K: skip timer   R: reveal meters   + / −: text size",
                        SMALL * 0.7,
                        s,
                        palette.dim,
                    ));
                }
                Step::Vote | Step::Override { .. } => {
                    p.spawn(big_bold(vote_count, HEADING * 0.8, s, palette.text, &theme));
                    let votable: Vec<String> = options.into_iter().filter(|o| o.locked.is_none()).map(|o| o.text).collect();
                    p.spawn(Node { flex_direction: FlexDirection::Column, row_gap: px(8.0 * s), width: percent(100), ..default() })
                        .with_children(|list| {
                            for (i, text) in votable.into_iter().enumerate() {
                                let votes = counts.get(i).copied().unwrap_or(0);
                                let share = percentages.get(i).copied().unwrap_or(0.0);
                                let lead = leading == Some(i);
                                let tally = format!(
                                    "{}  {} · {share:.0}%{}",
                                    letter(i),
                                    count(votes as usize, "vote"),
                                    if lead { "   ◀ leading" } else { "" }
                                );
                                list.spawn(vote_row(tally, text, share as f32 / 100.0, lead, s, &theme));
                            }
                        });
                    if !typed.is_empty() {
                        p.spawn(big(format!("Count typed: {typed}. Press a letter to set it."), SMALL, s, palette.focus));
                    }
                    if let Step::Override { option, reason } = &phase {
                        match option {
                            None => card_line(p, &theme, "Apply which option? Press its letter (Esc cancels).".into(), s),
                            Some(o) => card_line(
                                p,
                                &theme,
                                format!("You are applying {} against the majority. Say why, then Enter:  {reason}_", letter(*o)),
                                s,
                            ),
                        }
                    } else {
                        p.spawn(big(
                            "A–D: one raised hand   number then letter: set a count   Backspace: undo   Enter: apply the majority   O: choose another option   Esc: back",
                            SMALL * 0.7,
                            s,
                            palette.dim,
                        ));
                    }
                }
                // Shown on their own screens.
                Step::Consequence | Step::Debrief => {}
            }
            if let Some(message) = message {
                p.spawn(big(message, SMALL, s, palette.bad));
            }
        })),
    ));
}

/// "Room vote: 3 hands", or with phones "Room vote: 17 votes: 14 from phones, 3 hands
/// counted in the room".
fn vote_count_line(tally: &crate::engine::votes::VoteTally, phones: bool) -> String {
    let hands: u32 = tally.hands().iter().sum();
    if !phones {
        return format!("Room vote: {}", count(hands as usize, "hand"));
    }
    let from_phones: u32 = tally.added().iter().sum();
    let total = from_phones + hands;
    let hands = match hands {
        1 => "1 hand counted in the room".to_string(),
        n => format!("{n} hands counted in the room"),
    };
    format!("Room vote: {}: {from_phones} from phones, {hands}", count(total as usize, "vote"))
}

/// The option with the most votes, if one leads alone.
fn leading_option(counts: &[u32]) -> Option<usize> {
    let most = *counts.iter().max()?;
    let mut at_most = counts.iter().enumerate().filter(|(_, n)| **n == most);
    let (first, _) = at_most.next()?;
    (most > 0 && at_most.next().is_none()).then_some(first)
}

enum RoomMeters {
    Shown { from: Meters, to: Meters },
    Hidden(String),
}

/// What the room sees of the meters: all of them when shown; in reveal mode only right
/// after R (the numbers of an old reveal are never shown as if they were current).
fn room_meters(w: &Workshop, r: &ActiveRun) -> RoomMeters {
    match (w.meters_visible(), w.revealing) {
        (true, _) => RoomMeters::Shown {
            from: r.session.transcript.last().map_or(r.session.meters, |d| d.meters_before),
            to: r.session.meters,
        },
        (false, Some(from)) => RoomMeters::Shown { from, to: w.revealed },
        (false, None) if w.config.meters == MeterMode::UntilReveal => {
            RoomMeters::Hidden("Meters hidden: R shows what changed since the last reveal".into())
        }
        (false, None) => RoomMeters::Hidden("Meters hidden until the end".into()),
    }
}

/// The two columns of the discussion screen, filling the height left between the pinned rows.
fn columns(scale: f32) -> Node {
    Node {
        flex_direction: FlexDirection::Row,
        column_gap: px(14.0 * scale),
        width: percent(100),
        flex_grow: 1.0,
        align_items: AlignItems::FlexStart,
        ..default()
    }
}

fn column(weight: f32) -> Node {
    Node {
        flex_direction: FlexDirection::Column,
        row_gap: px(10),
        flex_grow: weight,
        flex_basis: px(0),
        min_width: px(0),
        ..default()
    }
}

fn card_line(p: &mut ChildSpawner, theme: &Theme, line: String, scale: f32) {
    let palette = theme.palette;
    p.spawn(panel(theme)).with_children(|card| {
        card.spawn(big_bold(line, BODY * 0.85, scale, palette.focus, theme));
    });
}

/// The facilitator's keyboard: every workshop action has a key; no mouse is needed. The keys
/// go to the core flow as they are (it knows what each does at each step); the window keeps
/// the text size, the reveal's animation and the timer's keys (T, E, K, see `timer`).
fn room_keys(
    mut typed: MessageReader<KeyboardInput>,
    workshop: Option<Res<Workshop>>,
    mut intents: MessageWriter<WorkshopIntent>,
    screen: Res<State<Screen>>,
) {
    // The key that opened this screen was meant for the one before.
    if screen.is_changed() {
        typed.clear();
        return;
    }
    let Some(workshop) = workshop else { return };
    // Typing a reason for an override: every character is text.
    let typing = matches!(workshop.step, Step::Override { option: Some(_), .. });
    for key in typed.read() {
        if key.state != ButtonState::Pressed {
            continue;
        }
        let character = match &key.logical_key {
            Key::Character(s) => s.chars().next(),
            Key::Space => Some(' '),
            _ => None,
        };
        let intent = match (&key.logical_key, character) {
            (_, Some('+' | '=')) => WorkshopIntent::TextLarger,
            (_, Some('-')) if !typing => WorkshopIntent::TextSmaller,
            (_, Some('r' | 'R')) if !typing => WorkshopIntent::Reveal,
            (_, Some('t' | 'T' | 'e' | 'E' | 'k' | 'K')) if !typing => continue,
            (Key::Enter, _) => WorkshopIntent::Key(FlowKey::Enter),
            (Key::Escape, _) => WorkshopIntent::Key(FlowKey::Escape),
            (Key::Backspace, _) => WorkshopIntent::Key(FlowKey::Backspace),
            (_, Some(c)) => WorkshopIntent::Key(FlowKey::Char(c)),
            _ => continue,
        };
        intents.write(intent);
    }
}
