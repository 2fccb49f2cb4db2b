//! The room screen for one beat: the situation, the discussion prompt and the choices
//! lettered A–D with the timer (discussion), then the room's vote shown as labelled bars.

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;

use super::flow::{Phase, Workshop, WorkshopIntent};
use super::timer::{DiscussionTimer, TimerText, reset};
use super::widgets::{BODY, HEADING, SMALL, big, big_bold, labelled_bar, letter, meter_bars};
use crate::game::run::ActiveRun;
use crate::game::screen::Screen;
use crate::game::theme::{Theme, panel};

#[derive(Component)]
struct RoomRoot;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::WorkshopRoom), (start_beat_timer, spawn_room).chain())
        .add_systems(Update, (room_keys, rebuild_on_change).chain().run_if(in_state(Screen::WorkshopRoom)));
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

fn rebuild_on_change(
    commands: Commands,
    workshop: Option<Res<Workshop>>,
    run: Option<Res<ActiveRun>>,
    theme: Res<Theme>,
    timer: Res<DiscussionTimer>,
    roots: Query<Entity, With<RoomRoot>>,
) {
    if workshop.as_ref().is_some_and(|w| w.is_changed()) {
        spawn_room(commands, workshop, run, theme, timer, roots);
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
    roots: Query<Entity, With<RoomRoot>>,
) {
    for root in &roots {
        commands.entity(root).despawn();
    }
    let (Some(w), Some(r)) = (workshop, run) else { return };
    let Ok(Some(beat)) = r.session.current_beat(&r.scenario) else { return };
    let s = w.text_scale;
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
    let counts = w.tally.counts().to_vec();
    let percentages = w.tally.percentages();
    let total = w.tally.total();
    let phase = w.phase.clone();
    let typed = w.typed_count.clone();
    let message = w.message.clone();
    let header = format!("{}  ·  decision {}  ·  {}", r.scenario.title, r.session.transcript.len() + 1, w.config.name);
    let meters = match (w.meters_visible(), w.revealing) {
        (true, _) => {
            Some((r.session.transcript.last().map_or(r.session.meters, |d| d.meters_before), r.session.meters))
        }
        (false, Some(from)) => Some((from, w.revealed)),
        (false, None) => None,
    };
    let hidden_note = meters.is_none().then(|| "Meters hidden".to_string());
    let timer_text = timer.text();
    commands.spawn((
        RoomRoot,
        crate::game::theme::screen_root(Screen::WorkshopRoom),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(Node {
                justify_content: JustifyContent::SpaceBetween,
                align_items: AlignItems::Center,
                width: percent(100),
                ..default()
            })
                .with_children(|top| {
                    top.spawn(big(header, SMALL * 0.8, s, palette.dim));
                    top.spawn((big_bold(timer_text, HEADING, s, palette.focus, &theme), TimerText));
                });
            match meters {
                Some((from, to)) => {
                    p.spawn(meter_bars(&from, &to, s, &theme));
                }
                None => {
                    p.spawn(big(hidden_note.unwrap_or_default(), SMALL, s, palette.dim));
                }
            }
            match &phase {
                Phase::Discuss => {
                    p.spawn(panel(&theme)).with_children(|card| {
                        if let Some(speaker) = speaker {
                            card.spawn(big_bold(speaker, SMALL, s, palette.focus, &theme));
                        }
                        card.spawn(big(situation, BODY, s, palette.text));
                    });
                    if let Some(prompt) = prompt {
                        card_line(p, &theme, format!("Discuss: {prompt}"), s);
                    }
                    let mut votable = 0;
                    for option in options {
                        match option.locked {
                            None => {
                                p.spawn(big(format!("{}   {}", letter(votable), option.text), BODY * 0.85, s, palette.text));
                                votable += 1;
                            }
                            Some(reason) => {
                                p.spawn(big(format!("–   {} (locked: {reason})", option.text), BODY * 0.7, s, palette.dim));
                            }
                        }
                    }
                    p.spawn(big(
                        "V: vote   T: pause timer   E: +1 minute   K: skip timer   R: reveal meters   + / −: text size",
                        SMALL * 0.7,
                        s,
                        palette.dim,
                    ));
                }
                Phase::Vote | Phase::Override { .. } => {
                    p.spawn(big_bold(format!("Room vote: {total} hands"), HEADING, s, palette.text, &theme));
                    let votable: Vec<String> = options.into_iter().filter(|o| o.locked.is_none()).map(|o| o.text).collect();
                    for (i, text) in votable.iter().enumerate() {
                        let count = counts.get(i).copied().unwrap_or(0);
                        let share = percentages.get(i).copied().unwrap_or(0.0);
                        let label = format!("{}  {count} vote{} · {share:.0}%   {}", letter(i), if count == 1 { "" } else { "s" }, shorten(text, 60));
                        p.spawn(labelled_bar(label, (share / 100.0) as f32, palette.focus, s, &theme));
                    }
                    if !typed.is_empty() {
                        p.spawn(big(format!("Count typed: {typed}. Press a letter to set it."), SMALL, s, palette.focus));
                    }
                    if let Phase::Override { option, reason } = &phase {
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
            }
            if let Some(message) = message {
                p.spawn(big(message, SMALL, s, palette.bad));
            }
        })),
    ));
}

fn card_line(p: &mut ChildSpawner, theme: &Theme, line: String, scale: f32) {
    let palette = theme.palette;
    p.spawn(panel(theme)).with_children(|card| {
        card.spawn(big_bold(line, BODY * 0.85, scale, palette.focus, theme));
    });
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_string() } else { text.chars().take(max - 1).collect::<String>() + "…" }
}

/// The facilitator's keyboard: every workshop action has a key; no mouse is needed.
fn room_keys(
    mut typed: MessageReader<KeyboardInput>,
    workshop: Option<ResMut<Workshop>>,
    mut intents: MessageWriter<WorkshopIntent>,
) {
    let Some(mut workshop) = workshop else { return };
    for key in typed.read() {
        if key.state != ButtonState::Pressed {
            continue;
        }
        let options = workshop.tally.counts().len();
        let letter_index = |c: char| {
            let i = (c.to_ascii_uppercase() as u8).wrapping_sub(b'A') as usize;
            (i < options).then_some(i)
        };
        let character = match &key.logical_key {
            Key::Character(s) => s.chars().next(),
            Key::Space => Some(' '),
            _ => None,
        };
        match (workshop.phase.clone(), &key.logical_key, character) {
            (_, _, Some('+' | '=')) => {
                intents.write(WorkshopIntent::TextLarger);
            }
            (_, _, Some('-')) if !matches!(workshop.phase, Phase::Override { option: Some(_), .. }) => {
                intents.write(WorkshopIntent::TextSmaller);
            }
            (Phase::Discuss, Key::Enter, _) | (Phase::Discuss, _, Some('v' | 'V')) => {
                intents.write(WorkshopIntent::OpenVote);
            }
            (Phase::Discuss | Phase::Vote, _, Some('r' | 'R')) => {
                intents.write(WorkshopIntent::Reveal);
            }
            (Phase::Vote, Key::Escape, _) => {
                intents.write(WorkshopIntent::BackToDiscussion);
            }
            (Phase::Vote, Key::Backspace, _) => {
                if workshop.typed_count.pop().is_none() {
                    intents.write(WorkshopIntent::Undo);
                } else {
                    workshop.set_changed();
                }
            }
            (Phase::Vote, Key::Enter, _) => {
                intents.write(WorkshopIntent::ApplyMajority);
            }
            (Phase::Vote, _, Some('o' | 'O')) => {
                intents.write(WorkshopIntent::BeginOverride);
            }
            (Phase::Vote, _, Some(c)) if c.is_ascii_digit() && workshop.typed_count.len() < 3 => {
                workshop.typed_count.push(c);
            }
            (Phase::Vote, _, Some(c)) if letter_index(c).is_some() => {
                let option = letter_index(c).expect("checked");
                let typed = std::mem::take(&mut workshop.typed_count);
                match typed.parse::<u32>() {
                    Ok(count) => intents.write(WorkshopIntent::SetCount(option, count)),
                    Err(_) => intents.write(WorkshopIntent::Tap(option)),
                };
            }
            (Phase::Override { .. }, Key::Escape, _) => {
                intents.write(WorkshopIntent::CancelOverride);
            }
            (Phase::Override { option: None, .. }, _, Some(c)) if letter_index(c).is_some() => {
                intents.write(WorkshopIntent::PickOverride(letter_index(c).expect("checked")));
            }
            (Phase::Override { option: Some(_), .. }, Key::Enter, _) => {
                intents.write(WorkshopIntent::ConfirmOverride);
            }
            (Phase::Override { option: Some(_), .. }, Key::Backspace, _) => {
                if let Phase::Override { reason, .. } = &mut workshop.phase {
                    reason.pop();
                }
            }
            (Phase::Override { option: Some(_), .. }, _, Some(c)) => {
                if let Phase::Override { reason, .. } = &mut workshop.phase
                    && reason.chars().count() < 200
                {
                    reason.push(c);
                }
            }
            _ => {}
        }
    }
}
