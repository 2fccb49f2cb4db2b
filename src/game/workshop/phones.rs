//! Phones in the room, in the window: the phone server runs beside the workshop (on its own
//! threads; nothing here blocks a frame), the room's phone votes follow the facilitator's
//! screens, and the projector shows the join address, the room code, a QR code drawn as UI
//! nodes and "14 of 17 have voted". The workshop's core flow owns the room: it shows each
//! question, opens, freezes and closes the vote, adds the phones' counts to the hands and logs
//! the ballots; here the window only starts the server and redraws when the phones vote.
//!
//! Keys: F3 in the setup turns phone voting on or off; F2 in the room moves the server to the
//! machine's next network address.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bevy::prelude::*;

use super::flow::{Workshop, follow_flow};
use super::widgets::{SMALL, big, big_bold};
use crate::game::run::ActiveRun;
use crate::game::saving_banner::SavingProblem;
use crate::game::screen::Screen;
use crate::game::theme::Theme;
use crate::phones::{PhoneServer, lan, qr, start_for_room};
use crate::workshop::flow::{SharedRoom, Step, lock};
use crate::workshop::phones::{PhoneOptions, PhoneRoom, new_room_code};

/// Whether the facilitator wants phones, and how.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct PhoneSettings {
    pub enabled: bool,
    pub options: PhoneOptions,
}

/// The running phone server and the room it serves (the workshop's flow holds it too).
#[derive(Resource)]
pub struct RoomPhones {
    pub server: PhoneServer,
    pub room: SharedRoom,
}

impl RoomPhones {
    /// Opens the room, with `code` (a resumed session's, so the phones' links still work) or
    /// a new one, and starts its server.
    pub fn open(settings: &PhoneSettings, code: Option<String>) -> Result<RoomPhones, String> {
        let mut room = PhoneRoom::new(code.unwrap_or_else(new_room_code));
        room.nicknames = settings.options.nicknames;
        let room = Arc::new(Mutex::new(room));
        let server = start_for_room(settings.options.bind, room.clone())?;
        info!("phones: {}", server.join_url());
        Ok(RoomPhones { server, room })
    }
}

/// The room code a session log's header recorded, if its workshop had phones.
pub fn recorded_room_code(header: &crate::record::LogHeader) -> Option<String> {
    header.options.get("phones")?.get("room")?.as_str().map(str::to_string)
}

/// Opens the phones for a workshop that starts (or resumes, with its recorded `code`): the
/// room's resource, or why it could not open (shown on the room screen, not retried).
pub fn open_phones(commands: &mut Commands, settings: &PhoneSettings, code: Option<String>) -> Option<RoomPhones> {
    if !settings.enabled {
        return None;
    }
    commands.remove_resource::<PhonesFailed>();
    match RoomPhones::open(settings, code) {
        Ok(phones) => Some(phones),
        Err(why) => {
            commands.insert_resource(PhonesFailed(why));
            None
        }
    }
}

/// Why the server could not start (shown on the room screen, not retried every frame).
#[derive(Resource, Debug, Clone)]
pub struct PhonesFailed(String);

#[derive(Component)]
struct PhonesPanel;

#[derive(Component)]
struct SetupNote;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<PhoneSettings>()
        .add_systems(Update, (start_or_stop, follow_phones).chain())
        .add_systems(Update, (move_address, panel, make_room).chain().run_if(in_state(Screen::WorkshopRoom)))
        .add_systems(Update, (toggle_in_setup, setup_note).chain().run_if(in_state(Screen::WorkshopSetup)));
}

/// The phones open with the workshop (see [`open_phones`], before its log is created, so the
/// log's header keeps the room code); they close when it ends.
fn start_or_stop(mut commands: Commands, workshop: Option<Res<Workshop>>, phones: Option<Res<RoomPhones>>) {
    // The workshop ended (back to the title, say): the server stops when dropped.
    if workshop.is_none() && phones.is_some() {
        commands.remove_resource::<RoomPhones>();
        commands.remove_resource::<PhonesFailed>();
    }
}

/// The phones vote at their own pace: the room screen is drawn again when their counts
/// change, and the vote closes by itself once everyone connected has voted, if asked.
fn follow_phones(
    workshop: Option<ResMut<Workshop>>,
    run: Option<ResMut<ActiveRun>>,
    phones: Option<Res<RoomPhones>>,
    mut next: ResMut<NextState<Screen>>,
    mut problem: ResMut<SavingProblem>,
    mut seen: Local<Vec<u32>>,
) {
    let (Some(mut w), Some(phones)) = (workshop, phones) else { return };
    let counts = lock(&phones.room).counts();
    if *seen != counts {
        *seen = counts;
        // Changing the workshop redraws the room screen's bars with the phones' votes in them.
        w.set_changed();
    }
    // Looked at without marking the workshop changed, which would redraw the room every frame.
    if !(w.close_when_all_voted && w.step == Step::Vote) {
        return;
    }
    let (screen_before, decisions_before) = (super::flow::screen_for(&w.step), w.decisions.len());
    if w.bypass_change_detection().flow.tick(Instant::now()) {
        w.set_changed();
        let mut run = run;
        follow_flow(&mut w, run.as_deref_mut(), screen_before, decisions_before, &mut next, &mut problem);
    }
}

/// F2: the server moves to the machine's next network address (the join URL and QR change).
fn move_address(
    keys: Res<ButtonInput<KeyCode>>,
    phones: Option<ResMut<RoomPhones>>,
    workshop: Option<ResMut<Workshop>>,
) {
    let Some(mut phones) = phones else { return };
    if !keys.just_pressed(KeyCode::F2) {
        return;
    }
    let candidates = lan::candidates();
    if candidates.is_empty() {
        return;
    }
    let current = phones.server.address().ip();
    let next = candidates.iter().position(|a| a.ip == current).map_or(0, |i| (i + 1) % candidates.len());
    let address = SocketAddr::new(candidates[next].ip, phones.server.address().port());
    phones.server.stop();
    let started = PhoneServer::start(address, phones.room.clone())
        .or_else(|_| PhoneServer::start(SocketAddr::new(address.ip(), 0), phones.room.clone()));
    match started {
        Ok(server) => phones.server = server,
        Err(e) => {
            warn!("phones: cannot listen on {address}: {e}");
            if let Ok(server) = PhoneServer::start(SocketAddr::new(current, 0), phones.room.clone()) {
                phones.server = server;
            }
        }
    }
    // The ballots name the room's home page as it is now.
    if let Some(mut w) = workshop {
        w.flow.home_page = Some(phones.server.home_page());
    }
}

/// The projector's phone panel, bottom right: join address, room code, QR code, the count.
fn panel(
    mut commands: Commands,
    phones: Option<Res<RoomPhones>>,
    failed: Option<Res<PhonesFailed>>,
    workshop: Option<Res<Workshop>>,
    theme: Res<Theme>,
    panels: Query<Entity, With<PhonesPanel>>,
    mut drawn: Local<String>,
) {
    let Some(w) = workshop else { return };
    let lines: Vec<String> = match (&phones, &failed) {
        (Some(phones), _) => {
            // The join URL locks the room too: take it before holding the lock here.
            let url = phones.server.join_url();
            let room = lock(&phones.room);
            let status = if w.step == Step::Discuss {
                format!("{} phone{} joined", room.joined(), if room.joined() == 1 { "" } else { "s" })
            } else {
                room.progress_text()
            };
            let hands: u32 = w.hands.counts().iter().sum();
            let hands = match hands {
                0 => String::new(),
                1 => " · 1 hand".to_string(),
                n => format!(" · {n} hands"),
            };
            vec![url, room.code().to_string(), format!("{status}{hands}")]
        }
        (None, Some(failed)) => vec![format!("Phones are off: {}", failed.0)],
        (None, None) => return,
    };
    let signature = format!("{lines:?}{}", panels.iter().count());
    if *drawn == signature && !panels.is_empty() {
        return;
    }
    *drawn = signature;
    for entity in &panels {
        commands.entity(entity).despawn();
    }
    let palette = theme.palette;
    let scale = (w.text_scale / 2.0).clamp(0.75, 1.5);
    let theme = theme.clone();
    commands.spawn((
        PhonesPanel,
        DespawnOnExit(Screen::WorkshopRoom),
        GlobalZIndex(10),
        Node {
            position_type: PositionType::Absolute,
            right: px(24),
            bottom: px(24),
            flex_direction: FlexDirection::Column,
            align_items: AlignItems::Center,
            row_gap: px(6.0 * scale),
            padding: UiRect::all(px(14.0 * scale)),
            border_radius: BorderRadius::all(px(10)),
            width: px((PANEL_ROOM - 24.0) * scale),
            ..default()
        },
        BackgroundColor(palette.panel),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            let [url, code, status] = match lines.as_slice() {
                [url, code, status] => [url.clone(), code.clone(), status.clone()],
                other => {
                    p.spawn(big(other.join(" "), SMALL, scale, palette.bad));
                    return;
                }
            };
            p.spawn(big_bold("Vote from your phone", SMALL * 1.1, scale, palette.text, &theme));
            p.spawn(big(url.clone(), SMALL, scale, palette.text));
            p.spawn(big_bold(format!("Room code: {code}"), SMALL * 1.2, scale, palette.focus, &theme));
            if let Some(code) = qr_code(&url, (6.0 * scale).round().max(4.0)) {
                p.spawn(code);
            }
            p.spawn(big_bold(status, SMALL * 1.1, scale, palette.text, &theme));
            p.spawn(big("F2: another network address", SMALL * 0.7, scale, palette.dim));
        })),
    ));
}

/// The panel's width at scale 1, plus the gap kept beside it.
const PANEL_ROOM: f32 = 330.0;

/// The room screen keeps clear of the panel: its right padding makes room for it.
fn make_room(
    phones: Option<Res<RoomPhones>>,
    workshop: Option<Res<Workshop>>,
    mut roots: Query<&mut Node, (With<crate::game::navigation::ScrollRoot>, Without<PhonesPanel>)>,
) {
    let (Some(_), Some(w)) = (phones, workshop) else { return };
    let wanted = px(PANEL_ROOM * (w.text_scale / 2.0).clamp(0.75, 1.5) + 24.0);
    for mut node in &mut roots {
        if node.padding.right != wanted {
            node.padding.right = wanted;
        }
    }
}

/// The QR code as UI nodes: dark modules on white with the four-module quiet zone, each row a
/// flex row of runs (one node per run of same-coloured modules, not one per module).
pub(super) fn qr_code(url: &str, module: f32) -> Option<impl Bundle> {
    let (width, dark) = qr::modules(url)?;
    let rows: Vec<Vec<(bool, usize)>> = (0..width)
        .map(|y| {
            let mut runs: Vec<(bool, usize)> = Vec::new();
            for x in 0..width {
                let d = dark[y * width + x];
                match runs.last_mut() {
                    Some((colour, length)) if *colour == d => *length += 1,
                    _ => runs.push((d, 1)),
                }
            }
            runs
        })
        .collect();
    Some((
        Node { flex_direction: FlexDirection::Column, padding: UiRect::all(px(4.0 * module)), ..default() },
        BackgroundColor(Color::WHITE),
        AccessibleLabel::new(format!("QR code of {url}")),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            for runs in rows {
                p.spawn(Node { flex_direction: FlexDirection::Row, height: px(module), ..default() }).with_children(
                    |row| {
                        for (d, length) in runs {
                            row.spawn((
                                Node { width: px(module * length as f32), height: px(module), ..default() },
                                BackgroundColor(if d { Color::BLACK } else { Color::WHITE }),
                            ));
                        }
                    },
                );
            }
        })),
    ))
}

/// F3 in the setup: phone voting on or off.
fn toggle_in_setup(keys: Res<ButtonInput<KeyCode>>, mut settings: ResMut<PhoneSettings>) {
    if keys.just_pressed(KeyCode::F3) {
        settings.enabled = !settings.enabled;
    }
}

fn setup_note(
    mut commands: Commands,
    settings: Res<PhoneSettings>,
    theme: Res<Theme>,
    notes: Query<Entity, With<SetupNote>>,
) {
    if !settings.is_changed() && !notes.is_empty() {
        return;
    }
    for entity in &notes {
        commands.entity(entity).despawn();
    }
    let text = if settings.enabled {
        let at = settings.options.bind.map_or_else(
            || lan::best().map_or("no network found".to_string(), |a| format!("{} ({})", a.ip, a.interface)),
            |b| b.to_string(),
        );
        format!("Phone voting: on, at {at}. F3 turns it off.")
    } else {
        "Phone voting: off. F3 turns it on (the room votes from their phones on this network).".to_string()
    };
    commands.spawn((
        SetupNote,
        DespawnOnExit(Screen::WorkshopSetup),
        GlobalZIndex(10),
        Node { position_type: PositionType::Absolute, left: px(48), bottom: px(16), ..default() },
        children![big(text, SMALL, 1.4, theme.palette.focus)],
    ));
}
