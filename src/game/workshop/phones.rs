//! Phones in the room, in the window: the phone server runs beside the workshop (on its own
//! threads; nothing here blocks a frame), the room's phone votes follow the facilitator's
//! screens, and the projector shows the join address, the room code, a QR code drawn as UI
//! nodes and "14 of 17 have voted". The phones' counts are added to the tally the workshop
//! already decides on, so its bars, majority, tie and override rules apply to them unchanged.
//!
//! Keys: F3 in the setup turns phone voting on or off; F2 in the room moves the server to the
//! machine's next network address.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bevy::prelude::*;

use super::flow::{Phase, Workshop, WorkshopIntent};
use super::widgets::{SMALL, big, big_bold};
use crate::engine::votes::VoteTally;
use crate::game::run::ActiveRun;
use crate::game::screen::Screen;
use crate::game::theme::Theme;
use crate::phones::{PhoneServer, lan, qr, start_for_room};
use crate::workshop::flow::{SharedRoom, lock};
use crate::workshop::phones::{PhoneBallots, PhoneOptions, PhoneRoom, RoomPhase, new_room_code, question_for};

/// Whether the facilitator wants phones, and how.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct PhoneSettings {
    pub enabled: bool,
    pub options: PhoneOptions,
}

/// The running phone server and what it has followed so far.
#[derive(Resource)]
pub struct RoomPhones {
    pub server: PhoneServer,
    pub room: SharedRoom,
    /// The beat last shown to the phones: (scenario, decisions made in it).
    shown: Option<(String, usize)>,
    /// Decisions whose ballots are written.
    logged: usize,
    /// The decision number the vote closed by itself for, so it closes once.
    auto_closed: Option<usize>,
}

impl RoomPhones {
    /// Opens the room, with `code` (a resumed session's, so the phones' links still work) or
    /// a new one, and starts its server; `logged` decisions already have their ballots.
    pub fn open(settings: &PhoneSettings, code: Option<String>, logged: usize) -> Result<RoomPhones, String> {
        let mut room = PhoneRoom::new(code.unwrap_or_else(new_room_code));
        room.nicknames = settings.options.nicknames;
        let room = Arc::new(Mutex::new(room));
        let server = start_for_room(settings.options.bind, room.clone())?;
        info!("phones: {}", server.join_url());
        Ok(RoomPhones { server, room, shown: None, logged, auto_closed: None })
    }

    /// What the session log's header keeps of the room, as the terminal's workshop does: its
    /// code (kept by a resume), its home page (the phones' xAPI accounts) and nicknames.
    pub fn header_options(&self) -> serde_json::Value {
        let home_page = self.server.home_page();
        let room = lock(&self.room);
        serde_json::json!({"room": room.code(), "home_page": home_page, "nicknames": room.nicknames})
    }
}

/// The room code a session log's header recorded, if its workshop had phones.
pub fn recorded_room_code(header: &crate::record::LogHeader) -> Option<String> {
    header.options.get("phones")?.get("room")?.as_str().map(str::to_string)
}

/// Opens the phones for a workshop that starts (or resumes, with its recorded `code`): the
/// room's resource, or why it could not open (shown on the room screen, not retried).
pub fn open_phones(
    commands: &mut Commands,
    settings: &PhoneSettings,
    code: Option<String>,
    logged: usize,
) -> Option<RoomPhones> {
    if !settings.enabled {
        return None;
    }
    commands.remove_resource::<PhonesFailed>();
    match RoomPhones::open(settings, code, logged) {
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
        .add_systems(Update, (start_or_stop, follow_workshop, log_ballots).chain())
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

/// The phones follow the room: a new beat's question, the vote opened, frozen while the
/// facilitator decides a tie or an override, and the phones' counts in the workshop's tally.
fn follow_workshop(
    screen: Res<State<Screen>>,
    settings: Res<PhoneSettings>,
    workshop: Option<ResMut<Workshop>>,
    run: Option<Res<ActiveRun>>,
    phones: Option<ResMut<RoomPhones>>,
    mut intents: MessageWriter<WorkshopIntent>,
) {
    let (Some(mut w), Some(r), Some(mut phones)) = (workshop, run, phones) else { return };
    let phones = &mut *phones;
    let mut room = lock(&phones.room);
    if *screen.get() == Screen::WorkshopDebrief || r.session.is_over() && *screen.get() != Screen::WorkshopConsequence {
        if *room.phase() != RoomPhase::Finished {
            room.finish();
        }
        return;
    }
    if *screen.get() != Screen::WorkshopRoom {
        return;
    }
    let beat = (r.session.scenario_id.clone(), r.session.transcript.len());
    if phones.shown.as_ref() != Some(&beat)
        && let Some(question) = question_for(&r.scenario, &r.session, w.decisions.len() as u32 + 1)
    {
        room.show(question);
        phones.shown = Some(beat);
    }
    match w.phase {
        Phase::Discuss => room.pause_vote(),
        Phase::Vote => room.open_vote(),
        Phase::Override { .. } => room.freeze(),
    }
    let counts = room.counts();
    if w.tally.added() != counts.as_slice() && w.tally.options() == counts.len() {
        // Changing the tally redraws the room screen's bars with the phones' votes in them.
        w.tally.set_added(&counts);
    }
    let number = w.decisions.len();
    if settings.options.close_when_all_voted
        && w.phase == Phase::Vote
        && phones.auto_closed != Some(number)
        && room.everyone_voted(Instant::now())
    {
        phones.auto_closed = Some(number);
        intents.write(WorkshopIntent::ApplyMajority);
    }
}

/// Each decision the room made with phones gets its ballots line in the session log, written
/// and flushed right after the decision line.
fn log_ballots(workshop: Option<ResMut<Workshop>>, phones: Option<ResMut<RoomPhones>>) {
    let (Some(mut w), Some(mut phones)) = (workshop, phones) else { return };
    if w.decisions.len() <= phones.logged {
        return;
    }
    phones.logged = w.decisions.len();
    let Some(decision) = w.decisions.last().cloned() else { return };
    let options = decision.options.len();
    let closed = lock(&phones.room).close(&VoteTally::new(options));
    let phone_counts = closed.phone_counts(options);
    let votes = decision.votes.clone().unwrap_or_else(|| vec![0; options]);
    let hands =
        votes.iter().zip(phone_counts.iter().chain(std::iter::repeat(&0))).map(|(v, p)| v.saturating_sub(*p)).collect();
    let ballots =
        PhoneBallots { decision: decision.number, hands, home_page: Some(phones.server.home_page()), ..closed };
    if let Err(e) = w.log.append_ballots(&ballots) {
        w.message = Some(format!("Could not write the phones' votes to the session log: {e}"));
    }
}

/// F2: the server moves to the machine's next network address (the join URL and QR change).
fn move_address(keys: Res<ButtonInput<KeyCode>>, phones: Option<ResMut<RoomPhones>>) {
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
            let status = if w.phase == Phase::Discuss {
                format!("{} phone{} joined", room.joined(), if room.joined() == 1 { "" } else { "s" })
            } else {
                room.progress_text()
            };
            let hands: u32 = w.tally.hands().iter().sum();
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
fn qr_code(url: &str, module: f32) -> Option<impl Bundle> {
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
