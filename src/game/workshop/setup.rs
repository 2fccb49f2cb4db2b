//! Starting a workshop: the session name, the scenario or the campaign, how the meters are
//! shown, and the discussion timer. Up/Down picks a row, Left/Right changes it, typing edits
//! the name, Enter starts.

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;

use super::flow::{WorkshopConfig, WorkshopIntent, WorkshopTarget};
use super::widgets::{BODY, HEADING, SMALL, big, big_bold};
use crate::game::library::Library;
use crate::game::rebuild::{AskForRebuild, Rebuild, add_screen};
use crate::game::schedule::GameSystems;
use crate::game::screen::Screen;
use crate::game::theme::Theme;
use crate::game::widgets::panel;

/// The setup form: the config being edited and the selected row.
#[derive(Resource, Debug, Clone, Default)]
pub struct SetupForm {
    pub config: WorkshopConfig,
    pub row: usize,
}

const ROWS: usize = 5;
const TIMERS: [Option<u32>; 6] = [None, Some(2), Some(3), Some(5), Some(8), Some(10)];
/// The setup screen is read from across the room too.
const SCALE: f32 = 1.6;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SetupForm>()
        .add_systems(OnEnter(Screen::WorkshopSetup), default_target.before(spawn_setup))
        .add_systems(Update, setup_keys.in_set(GameSystems::Input).run_if(in_state(Screen::WorkshopSetup)))
        .add_systems(Update, rebuild.in_set(AskForRebuild).run_if(in_state(Screen::WorkshopSetup)));
    add_screen(app, Screen::WorkshopSetup, spawn_setup);
}

/// The choices the form cycles through: every playable scenario, then the campaign.
fn targets(library: &Library) -> Vec<(WorkshopTarget, String)> {
    let mut list: Vec<(WorkshopTarget, String)> = library
        .entries()
        .into_iter()
        .filter_map(|e| match e {
            crate::game::library::Entry::Playable(s) => Some((WorkshopTarget::Scenario(s.id.clone()), s.title.clone())),
            crate::game::library::Entry::Broken { .. } => None,
        })
        .collect();
    if let Some(c) = library.campaign() {
        list.push((WorkshopTarget::Campaign, format!("Campaign: {}", c.title)));
    }
    list
}

fn default_target(mut form: ResMut<SetupForm>, library: Res<Library>) {
    let list = targets(&library);
    let known = list.iter().any(|(t, _)| *t == form.config.target);
    if !known && let Some((first, _)) = list.first() {
        form.config.target = first.clone();
    }
}

fn rebuild(form: Res<SetupForm>, library: Res<Library>, mut rebuild: ResMut<Rebuild>) {
    if form.is_changed() || library.is_changed() {
        rebuild.request();
    }
}

fn spawn_setup(mut commands: Commands, form: Res<SetupForm>, library: Res<Library>, theme: Res<Theme>) {
    let config = form.config.clone();
    let target = targets(&library)
        .into_iter()
        .find(|(t, _)| *t == config.target)
        .map(|(_, title)| title)
        .unwrap_or_else(|| "no scenario available".into());
    let rows = [
        format!("Session name: {}_", config.name),
        format!("Play: {target}"),
        format!("Meters: {}", config.meters.label()),
        format!(
            "Discussion timer: {}",
            config.timer_minutes.map_or("off".to_string(), |m| crate::game::wording::count(m as usize, "minute"))
        ),
        "Start the workshop".to_string(),
    ];
    let selected = form.row;
    let theme = theme.clone();
    let palette = theme.palette;
    commands.spawn((
        crate::game::widgets::screen_root(Screen::WorkshopSetup),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(big_bold("Workshop mode", HEADING, SCALE, palette.text, &theme));
            p.spawn(big(
                "Run a scenario with a room: discuss, vote, see what happens, debrief.",
                SMALL,
                SCALE,
                palette.dim,
            ));
            for (i, line) in rows.into_iter().enumerate() {
                let mut row = p.spawn(panel(&theme));
                if i == selected {
                    row.insert(BorderColor::all(palette.focus));
                    row.insert(Node {
                        border: UiRect::all(px(4)),
                        padding: UiRect::all(px(14)),
                        border_radius: BorderRadius::all(px(10)),
                        flex_direction: FlexDirection::Column,
                        ..default()
                    });
                }
                row.with_children(|r| {
                    r.spawn(big_bold(
                        line,
                        BODY,
                        SCALE,
                        if i == selected { palette.focus } else { palette.text },
                        &theme,
                    ));
                });
            }
            p.spawn(big(
                "Up/Down: choose a row   Left/Right: change it   type to edit the name   Enter: start   Esc: title",
                SMALL * 0.8,
                SCALE,
                palette.dim,
            ));
        })),
    ));
}

fn setup_keys(
    mut typed: MessageReader<KeyboardInput>,
    mut form: ResMut<SetupForm>,
    library: Res<Library>,
    mut intents: MessageWriter<WorkshopIntent>,
    screen: Res<State<Screen>>,
    phones: Res<super::PhoneSettings>,
    mut everyone: MessageWriter<super::everyone::EveryoneIntent>,
) {
    // The key that opened this screen was meant for the one before.
    if screen.is_changed() {
        typed.clear();
        return;
    }
    for key in typed.read() {
        if key.state != ButtonState::Pressed {
            continue;
        }
        let row = form.row;
        match (&key.logical_key, row) {
            (Key::ArrowDown, _) | (Key::Tab, _) => form.row = (row + 1) % ROWS,
            (Key::ArrowUp, _) => form.row = (row + ROWS - 1) % ROWS,
            (Key::Enter, _) if super::everyone::everyone_plays_chosen(&phones) => {
                everyone.write(super::everyone::EveryoneIntent::Start(form.config.clone()));
            }
            (Key::Enter, _) => {
                intents.write(WorkshopIntent::Start(form.config.clone()));
            }
            (Key::ArrowLeft | Key::ArrowRight, 1) => {
                let list = targets(&library);
                if !list.is_empty() {
                    let at = list.iter().position(|(t, _)| *t == form.config.target).unwrap_or(0);
                    let step = if key.logical_key == Key::ArrowRight { 1 } else { list.len() - 1 };
                    form.config.target = list[(at + step) % list.len()].0.clone();
                }
            }
            (Key::ArrowLeft | Key::ArrowRight, 2) => form.config.meters = form.config.meters.next(),
            (Key::ArrowLeft | Key::ArrowRight, 3) => {
                let at = TIMERS.iter().position(|t| *t == form.config.timer_minutes).unwrap_or(0);
                let step = if key.logical_key == Key::ArrowRight { 1 } else { TIMERS.len() - 1 };
                form.config.timer_minutes = TIMERS[(at + step) % TIMERS.len()];
            }
            (Key::Backspace, 0) => {
                form.config.name.pop();
            }
            (Key::Space, 0) => form.config.name.push(' '),
            (Key::Character(text), 0) => {
                let allowed: String = text.chars().filter(|c| !c.is_control()).collect();
                if form.config.name.chars().count() + allowed.chars().count() <= 60 {
                    form.config.name.push_str(&allowed);
                }
            }
            _ => {}
        }
    }
}
