//! "Everyone plays" in the window: each participant plays the scenario on their own phone
//! while the projector shows the join panel (address, room code, QR code) and "12 started ·
//! 5 finished of 17"; E ends the round, and the projector shows the room's aggregate: a bar
//! chart of the endings reached (labelled counts, not colour alone), each beat's split, and
//! the room debrief's sentences. The round itself is the core's
//! [`EveryoneWorkshop`](crate::workshop::everyone_flow::EveryoneWorkshop); this file only shows
//! it and sends the facilitator's intents. Esc goes back to the title (the server stops).
//!
//! In the setup, F4 switches phones between "the room votes" and "everyone plays".

use std::sync::{Arc, Mutex};

use bevy::prelude::*;

use super::flow::{WorkshopConfig, WorkshopTarget};
use super::phones::{PhoneSettings, qr_code};
use crate::game::library::Library;
use crate::game::lrs::{LrsLink, LrsStatusText};
use crate::game::save::DataDir;
use crate::game::schedule::GameSystems;
use crate::game::screen::{Notice, Screen};
use crate::game::theme::{Palette, Theme};
use crate::game::widgets::{bold_text, screen_root, text};
use crate::phones::{PhoneServer, start_for_room};
use crate::workshop::everyone::{BeatSplit, RoomAggregate, ordinal_word};
use crate::workshop::everyone_flow::EveryoneWorkshop;
use crate::workshop::flow::lock;
use crate::workshop::phones::{PhoneRoom, new_room_code};

/// What the facilitator asks of the round.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum EveryoneIntent {
    Start(WorkshopConfig),
    /// Go on with the round in this log (`leap workshop --resume LOG --phones`): every phone's
    /// run is rebuilt, the room code is the log's, and a phone with its token continues.
    Resume(std::path::PathBuf),
    /// E: the round ends and the room's aggregate is shown.
    EndRound,
}

/// The round in progress, with its phone server (which stops when this is removed).
#[derive(Resource)]
pub struct EveryoneRound {
    pub workshop: EveryoneWorkshop,
    pub server: PhoneServer,
    /// Where the exports went once the round ended, or why they could not be written.
    pub exports: Option<Result<std::path::PathBuf, String>>,
}

#[derive(Component)]
struct RoundView;

#[derive(Component)]
struct ModeNote;

pub(super) fn plugin(app: &mut App) {
    app.add_message::<EveryoneIntent>()
        .add_systems(Update, apply_intents.in_set(GameSystems::Apply))
        .add_systems(Update, end_key.in_set(GameSystems::Input).run_if(in_state(Screen::WorkshopEveryone)))
        .add_systems(Update, draw.run_if(in_state(Screen::WorkshopEveryone)))
        .add_systems(OnExit(Screen::WorkshopEveryone), |mut commands: Commands| {
            commands.remove_resource::<EveryoneRound>();
        })
        .add_systems(Update, (toggle_mode, mode_note).chain().run_if(in_state(Screen::WorkshopSetup)));
}

/// True when the setup's Enter should start "everyone plays" instead of the room's vote.
pub fn everyone_plays_chosen(settings: &PhoneSettings) -> bool {
    settings.enabled && settings.options.everyone_plays
}

fn apply_intents(
    mut intents: MessageReader<EveryoneIntent>,
    mut commands: Commands,
    library: Res<Library>,
    dir: Res<DataDir>,
    settings: Res<PhoneSettings>,
    round: Option<ResMut<EveryoneRound>>,
    mut next: ResMut<NextState<Screen>>,
    mut notice: ResMut<Notice>,
    lrs: Res<LrsLink>,
) {
    let mut round = round;
    for intent in intents.read() {
        match intent {
            EveryoneIntent::Start(config) => match start(config.clone(), &library, &dir, &settings) {
                Ok(started) => {
                    commands.insert_resource(started);
                    next.set(Screen::WorkshopEveryone);
                }
                Err(why) => {
                    *notice = Notice { title: "The round cannot start".into(), body: why, ..default() };
                    next.set(Screen::Notice);
                }
            },
            EveryoneIntent::Resume(path) => match resume(path, &library, &settings) {
                Ok(resumed) => {
                    commands.insert_resource(resumed);
                    next.set(Screen::WorkshopEveryone);
                }
                Err(why) => {
                    *notice = Notice { title: "The round cannot be resumed".into(), body: why, ..default() };
                    next.set(Screen::Notice);
                }
            },
            EveryoneIntent::EndRound => {
                if let Some(round) = round.as_deref_mut()
                    && round.exports.is_none()
                    && round.workshop.end_round().is_some()
                {
                    // The round is over: its exports are written and its statements go to the LRS.
                    let log = round.workshop.log_path().to_path_buf();
                    let folder = crate::export::default_dir(&log);
                    let scenarios = [&round.workshop.scenario];
                    let written = crate::export::export_all_with(&log, &folder, &scenarios);
                    round.exports = Some(written.map(|_| folder).map_err(|e| e.to_string()));
                    lrs.send(&log, &scenarios);
                }
            }
        }
    }
}

fn start(
    config: WorkshopConfig,
    library: &Library,
    dir: &DataDir,
    settings: &PhoneSettings,
) -> Result<EveryoneRound, String> {
    let WorkshopTarget::Scenario(id) = &config.target else {
        return Err("\"Everyone plays\" runs one scenario: choose a scenario, not the campaign.".into());
    };
    let scenario = library.scenario(id).ok_or_else(|| format!("The scenario `{id}` is missing or has errors."))?;
    let mut room = PhoneRoom::new(new_room_code());
    room.nicknames = settings.options.nicknames;
    let room = Arc::new(Mutex::new(room));
    let server = start_for_room(settings.options.bind, room.clone())?;
    let log = dir.session_log_path(&config.name);
    let workshop = EveryoneWorkshop::start(config, scenario.clone(), &log, room, &server.home_page())?;
    info!("everyone plays: {}", server.join_url());
    Ok(EveryoneRound { workshop, server, exports: None })
}

fn resume(path: &std::path::Path, library: &Library, settings: &PhoneSettings) -> Result<EveryoneRound, String> {
    let recorded = crate::record::read_log(path).map_err(|e| e.to_string())?;
    // The room code survives the resume, so the phones' links (and their tokens) still work.
    let code = recorded.header.options.get("phones").and_then(|p| p.get("room")).and_then(|c| c.as_str());
    let mut room = PhoneRoom::new(code.map_or_else(new_room_code, str::to_string));
    room.nicknames = settings.options.nicknames;
    let room = Arc::new(Mutex::new(room));
    let server = start_for_room(settings.options.bind, room.clone())?;
    let workshop = EveryoneWorkshop::resume(path, |id| library.scenario(id), room)?;
    Ok(EveryoneRound { workshop, server, exports: None })
}

/// True when the log at `path` records an "everyone plays" round (so `--resume` opens it here).
pub fn is_everyone_log(path: &std::path::Path) -> bool {
    crate::record::read_log(path).is_ok_and(|r| crate::workshop::everyone_flow::is_everyone_plays(&r.header))
}

fn end_key(keys: Res<ButtonInput<KeyCode>>, mut intents: MessageWriter<EveryoneIntent>) {
    if keys.just_pressed(KeyCode::KeyE) {
        intents.write(EveryoneIntent::EndRound);
    }
}

/// Redraws the screen when what it shows changes (a phone started or finished, the round ended).
fn draw(
    mut commands: Commands,
    round: Option<Res<EveryoneRound>>,
    theme: Res<Theme>,
    views: Query<Entity, With<RoundView>>,
    windows: Query<&Window, With<bevy::window::PrimaryWindow>>,
    mut drawn: Local<String>,
) {
    let Some(round) = round else { return };
    let progress = round.workshop.progress();
    let aggregate = round.workshop.aggregate();
    // Sized for 1280 pixels wide and scaled up on a larger projector.
    let k = windows.single().map_or(1.0, |w| (w.width() / 1280.0).clamp(1.0, 2.0));
    let signature = format!("{progress:?}{}{}{k}{:?}", aggregate.is_some(), views.iter().count(), round.exports);
    if *drawn == signature && !views.is_empty() {
        return;
    }
    *drawn = signature;
    for entity in &views {
        commands.entity(entity).despawn();
    }
    let title = round.workshop.scenario.title.clone();
    let url = round.server.join_url();
    let code = lock(&round.workshop.room).code().to_string();
    let theme = theme.clone();
    let palette = theme.palette;
    let counts = format!("{} started · {} finished of {} joined", progress.started, progress.finished, progress.joined);
    let exports = super::debrief::exports_line(&round.exports);
    let log = round.workshop.log_path().to_path_buf();
    commands.spawn((
        RoundView,
        screen_root(Screen::WorkshopEveryone),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(bold_text(format!("Everyone plays: {title}"), 40.0 * k, palette.text, &theme));
            match aggregate {
                None => {
                    p.spawn(Node { flex_direction: FlexDirection::Row, column_gap: px(40.0 * k), ..default() })
                        .with_children(|row| {
                            row.spawn(Node {
                                flex_direction: FlexDirection::Column,
                                row_gap: px(18.0 * k),
                                flex_grow: 1.0,
                                flex_shrink: 1.0,
                                ..default()
                            })
                            .with_children(|left| {
                                left.spawn(bold_text(counts, 44.0 * k, palette.focus, &theme));
                                left.spawn(text(
                                    "Each person plays the scenario on their own phone, at their own pace. \
                                         When the room is ready, E ends the round and shows how everyone chose.",
                                    26.0 * k,
                                    palette.text,
                                ));
                                left.spawn(text("E: end the round   Esc: leave", 20.0 * k, palette.dim));
                            });
                            row.spawn(join_panel(url, code, &theme, k));
                        });
                }
                Some(aggregate) => {
                    p.spawn(text(format!("{counts}   ·   PageDown: more"), 24.0 * k, palette.dim));
                    aggregate_view(p, &aggregate, &theme, k);
                    p.spawn(text(
                        "Each phone now shows its own debrief.   PageUp/PageDown: scroll   Esc: leave",
                        20.0 * k,
                        palette.dim,
                    ));
                    p.spawn(text(exports, 20.0 * k, palette.focus));
                    p.spawn((text(String::new(), 20.0 * k, palette.dim), LrsStatusText(log)));
                }
            }
        })),
    ));
}

/// The join panel: "Join from your phone", the address, the room code and the QR code.
fn join_panel(url: String, code: String, theme: &Theme, k: f32) -> impl Bundle {
    let theme = theme.clone();
    let palette = theme.palette;
    (
        BackgroundColor(palette.panel),
        Node {
            flex_direction: FlexDirection::Column,
            align_items: AlignItems::Center,
            row_gap: px(8.0 * k),
            padding: UiRect::all(px(18.0 * k)),
            border_radius: BorderRadius::all(px(10.0 * k)),
            flex_shrink: 0.0,
            ..default()
        },
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(bold_text("Join from your phone", 22.0 * k, palette.text, &theme));
            p.spawn(text(url.clone(), 18.0 * k, palette.text));
            p.spawn(bold_text(format!("Room code: {code}"), 26.0 * k, palette.focus, &theme));
            if let Some(qr) = qr_code(&url, (6.0 * k).round()) {
                p.spawn(qr);
            }
        })),
    )
}

/// The room's aggregate: the endings as labelled bars, each beat's split, the sentences.
fn aggregate_view(p: &mut ChildSpawner, aggregate: &RoomAggregate, theme: &Theme, k: f32) {
    let palette = theme.palette;
    p.spawn(Node { flex_direction: FlexDirection::Row, column_gap: px(36.0 * k), width: percent(100), ..default() })
        .with_children(|row| {
            row.spawn(column(0.9, k)).with_children(|left| {
                left.spawn(bold_text("Endings reached", 28.0 * k, palette.text, theme));
                let most = aggregate.endings.iter().map(|e| e.count).max().unwrap_or(1).max(1);
                if aggregate.endings.is_empty() {
                    left.spawn(text("No phone has reached an ending yet.", 22.0 * k, palette.dim));
                }
                for e in &aggregate.endings {
                    let label = format!("{} ({})", e.title, e.verdict);
                    let count = format!("{} phone{}", e.count, if e.count == 1 { "" } else { "s" });
                    left.spawn(bar_row(
                        label,
                        count,
                        e.count as f32 / most as f32,
                        22.0 * k,
                        palette.focus,
                        palette,
                        k,
                    ));
                }
                left.spawn(bold_text("Room debrief", 28.0 * k, palette.text, theme));
                for sentence in &aggregate.sentences {
                    left.spawn(text(format!("• {sentence}"), 17.0 * k, palette.text));
                }
            });
            row.spawn(column(1.1, k)).with_children(|right| {
                right.spawn(bold_text("How the room split at each beat", 24.0 * k, palette.text, theme));
                for beat in &aggregate.beats {
                    beat_split(right, beat, theme, k);
                }
            });
        });
}

fn column(grow: f32, k: f32) -> Node {
    Node {
        flex_direction: FlexDirection::Column,
        row_gap: px(10.0 * k),
        flex_grow: grow,
        flex_shrink: 1.0,
        flex_basis: px(0.0 * k),
        min_width: px(0.0 * k),
        ..default()
    }
}

/// One beat: its place and how many decided there, then one line per choice: its letter, a
/// bar of its share, the count written out, and the start of its text.
fn beat_split(p: &mut ChildSpawner, beat: &BeatSplit, theme: &Theme, k: f32) {
    let palette = theme.palette;
    let heading = format!("The {} beat · {} decided", ordinal_word(beat.ordinal), beat.decided);
    p.spawn(bold_text(heading, 19.0 * k, palette.text, theme));
    let top = beat.choices.iter().map(|c| c.count).max().unwrap_or(0);
    for (i, c) in beat.choices.iter().enumerate() {
        let share = if beat.decided == 0 { 0.0 } else { c.count as f32 / beat.decided as f32 };
        let colour = if c.count == top && top > 0 { palette.focus } else { palette.dim };
        let letter = crate::engine::votes::option_letter(i);
        let line = format!("{letter}: {} ({:.0}%)  {}", c.count, share * 100.0, shorten(&c.text, 40));
        p.spawn((
            Node {
                flex_direction: FlexDirection::Row,
                align_items: AlignItems::Center,
                column_gap: px(10.0 * k),
                ..default()
            },
            children![bar(share, 140.0 * k, 12.0 * k, colour, palette), text(line, 16.0 * k, palette.text)],
        ));
    }
}

/// A bar `width` long, filled to `share` (0 to 1).
fn bar(share: f32, width: f32, height: f32, colour: Color, palette: Palette) -> impl Bundle {
    (
        Node { width: px(width), height: px(height), flex_shrink: 0.0, ..default() },
        BackgroundColor(palette.panel),
        children![(
            Node { width: percent(100.0 * share.clamp(0.0, 1.0)), height: percent(100), ..default() },
            BackgroundColor(colour),
        )],
    )
}

/// A label, then a bar of `share` (0 to 1) and the written count.
fn bar_row(
    label: String,
    count: String,
    share: f32,
    size: f32,
    colour: Color,
    palette: Palette,
    k: f32,
) -> impl Bundle {
    (
        Node { flex_direction: FlexDirection::Column, row_gap: px(2.0 * k), width: percent(100), ..default() },
        children![
            text(label, size, palette.text),
            (
                Node {
                    flex_direction: FlexDirection::Row,
                    align_items: AlignItems::Center,
                    column_gap: px(10.0 * k),
                    ..default()
                },
                children![bar(share, 300.0 * k, size * 0.8, colour, palette), text(count, size, palette.text)],
            ),
        ],
    )
}

fn shorten(text: &str, max: usize) -> String {
    let text = text.trim().trim_matches('"');
    if text.chars().count() <= max { text.to_string() } else { text.chars().take(max - 1).collect::<String>() + "…" }
}

/// F4 in the setup: with phones on, "the room votes" or "everyone plays".
fn toggle_mode(keys: Res<ButtonInput<KeyCode>>, mut settings: ResMut<PhoneSettings>) {
    if keys.just_pressed(KeyCode::F4) {
        settings.options.everyone_plays = !settings.options.everyone_plays;
        if settings.options.everyone_plays {
            settings.enabled = true;
        }
    }
}

fn mode_note(
    mut commands: Commands,
    settings: Res<PhoneSettings>,
    theme: Res<Theme>,
    notes: Query<Entity, With<ModeNote>>,
) {
    if !settings.is_changed() && !notes.is_empty() {
        return;
    }
    for entity in &notes {
        commands.entity(entity).despawn();
    }
    let line = if everyone_plays_chosen(&settings) {
        "Phones: everyone plays (each person plays on their own phone). F4: the room votes instead."
    } else {
        "Phones: the room votes together. F4: everyone plays on their own phone instead."
    };
    commands.spawn((
        ModeNote,
        DespawnOnExit(Screen::WorkshopSetup),
        GlobalZIndex(10),
        Node { position_type: PositionType::Absolute, left: px(48), bottom: px(52), ..default() },
        children![text(line, 14.0 * 1.4, theme.palette.focus)],
    ));
}
