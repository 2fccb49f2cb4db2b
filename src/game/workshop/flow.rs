//! The window's workshop on the core state machine ([`WorkshopFlow`], the one the terminal
//! drives too): the facilitator's intents become flow calls, the flow's step decides the
//! screen, and the flow appends every decision (and the phones' ballots) to the session log
//! before the call returns. What stays here is the window's own: the projector's text size,
//! the reveal's animation, the exports folder, the saving banner.

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::time::SystemTime;

use bevy::prelude::*;

use crate::engine::Meters;
use crate::game::library::Library;
use crate::game::run::ActiveRun;
use crate::game::save::DataDir;
use crate::game::saving_banner::SavingProblem;
use crate::game::schedule::GameSystems;
use crate::game::screen::{Notice, Screen};
use crate::workshop::flow::{FlowKey, Step, WorkshopFlow};
pub use crate::workshop::{MeterMode, WorkshopConfig, WorkshopTarget};

use super::phones::{PhoneSettings, RoomPhones, open_phones, recorded_room_code};

/// A running workshop: the core flow, and what the window adds to it.
#[derive(Resource)]
pub struct Workshop {
    pub flow: WorkshopFlow,
    pub log_path: PathBuf,
    /// Set when R was pressed: animate from these meters to the revealed ones on the next
    /// screen build.
    pub revealing: Option<Meters>,
    /// Text size for the projector; 2.0 = twice the solo size.
    pub text_scale: f32,
    pub started: SystemTime,
    pub exports: Option<Result<PathBuf, String>>,
}

/// The flow's state reads through the workshop: `w.step`, `w.decisions`, `w.config`, ...
impl Deref for Workshop {
    type Target = WorkshopFlow;
    fn deref(&self) -> &WorkshopFlow {
        &self.flow
    }
}

impl DerefMut for Workshop {
    fn deref_mut(&mut self) -> &mut WorkshopFlow {
        &mut self.flow
    }
}

impl Workshop {
    fn new(flow: WorkshopFlow) -> Workshop {
        Workshop {
            log_path: flow.log_path().to_path_buf(),
            flow,
            revealing: None,
            text_scale: 2.0,
            started: SystemTime::now(),
            exports: None,
        }
    }

    /// The votes the rules decide on: the phones' and the hands counted in the room.
    pub fn tally(&self) -> crate::engine::votes::VoteTally {
        self.flow.tally()
    }

    /// The run as the other screens read it (the meters, the transcript, the campaign).
    fn run(&self) -> ActiveRun {
        ActiveRun {
            scenario: self.flow.scenario.clone(),
            session: self.flow.session.clone(),
            campaign: self.flow.campaign.clone(),
        }
    }
}

/// The screen that shows a step of the flow.
pub fn screen_for(step: &Step) -> Screen {
    match step {
        Step::Discuss | Step::Vote | Step::Override { .. } => Screen::WorkshopRoom,
        Step::Consequence => Screen::WorkshopConsequence,
        Step::Debrief => Screen::WorkshopDebrief,
    }
}

#[derive(Message, Debug, Clone, PartialEq)]
pub enum WorkshopIntent {
    Start(WorkshopConfig),
    /// Go on with a session from its log (after a crash, say), at the next decision.
    Resume(PathBuf),
    /// One of the facilitator's keys, as the flow takes them (the room screen's keyboard).
    Key(FlowKey),
    OpenVote,
    BackToDiscussion,
    Tap(usize),
    SetCount(usize, u32),
    Undo,
    /// Apply the majority (asks for a pick on a tie or with no votes).
    ApplyMajority,
    /// Start choosing an option against the majority.
    BeginOverride,
    PickOverride(usize),
    /// Apply the picked override with its reason.
    ConfirmOverride,
    CancelOverride,
    Reveal,
    Proceed,
    TextLarger,
    TextSmaller,
    /// Campaign: the next scenario for the room, or the promotion review after the last.
    NextStage,
    /// Write again the log lines a failed write left out.
    RetryLog,
}

pub(super) fn plugin(app: &mut App) {
    app.add_message::<WorkshopIntent>().add_systems(Update, apply_workshop_intents.in_set(GameSystems::Apply));
}

pub const TEXT_SCALES: [f32; 6] = [1.5, 1.75, 2.0, 2.25, 2.5, 3.0];

#[allow(clippy::too_many_arguments)]
fn apply_workshop_intents(
    mut intents: MessageReader<WorkshopIntent>,
    mut commands: Commands,
    library: Res<Library>,
    dir: Res<DataDir>,
    workshop: Option<ResMut<Workshop>>,
    run: Option<ResMut<ActiveRun>>,
    mut next: ResMut<NextState<Screen>>,
    mut notice: ResMut<Notice>,
    mut problem: ResMut<SavingProblem>,
    phone_settings: Res<PhoneSettings>,
    old_phones: Option<ResMut<RoomPhones>>,
) {
    let mut old_phones = old_phones;
    let mut workshop = workshop;
    let mut run = run;
    for intent in intents.read() {
        if matches!(intent, WorkshopIntent::Start(_) | WorkshopIntent::Resume(_))
            && let Some(old) = old_phones.as_deref_mut()
        {
            // A fixed --bind port must be free for the new room's server.
            old.server.stop();
            commands.remove_resource::<RoomPhones>();
        }
        if let WorkshopIntent::Start(config) = intent {
            match start(config.clone(), &library, &dir, &mut commands, &phone_settings) {
                Ok(started) => {
                    commands.insert_resource(started.run());
                    next.set(screen_for(&started.step));
                    commands.insert_resource(started);
                }
                Err(why) => {
                    *notice = Notice { title: "The workshop cannot start".into(), body: why, ..default() };
                    next.set(Screen::Notice);
                }
            }
            continue;
        }
        if let WorkshopIntent::Resume(path) = intent {
            match resume_from_log(path, &library, &mut commands, &phone_settings) {
                Ok(resumed) => {
                    commands.insert_resource(resumed.run());
                    next.set(screen_for(&resumed.step));
                    commands.insert_resource(resumed);
                }
                Err(why) => {
                    *notice = Notice { title: "The session cannot be resumed".into(), body: why, ..default() };
                    next.set(Screen::Notice);
                }
            }
            continue;
        }
        let Some(w) = workshop.as_deref_mut() else { continue };
        let (screen_before, decisions_before) = (screen_for(&w.step), w.decisions.len());
        w.flow.message = None;
        match intent.clone() {
            WorkshopIntent::Start(_) | WorkshopIntent::Resume(_) => {}
            WorkshopIntent::Key(key) => w.flow.key(key),
            WorkshopIntent::OpenVote => w.flow.open_vote(),
            WorkshopIntent::BackToDiscussion => w.flow.back_to_discussion(),
            WorkshopIntent::Tap(option) => w.flow.count_hands(option, None),
            WorkshopIntent::SetCount(option, count) => w.flow.count_hands(option, Some(count)),
            WorkshopIntent::Undo => w.flow.undo(),
            WorkshopIntent::ApplyMajority => {
                if matches!(w.step, Step::Discuss | Step::Vote) {
                    w.flow.apply_majority();
                }
            }
            WorkshopIntent::BeginOverride => w.flow.choose_another(),
            WorkshopIntent::PickOverride(option) => w.flow.pick_override(option),
            WorkshopIntent::ConfirmOverride => w.flow.confirm_override(),
            WorkshopIntent::CancelOverride => w.flow.cancel_override(),
            WorkshopIntent::Reveal => {
                if let Some(from) = w.flow.reveal() {
                    w.revealing = Some(from);
                }
            }
            WorkshopIntent::Proceed => w.flow.proceed(),
            WorkshopIntent::RetryLog => {
                if w.flow.retry_log() {
                    problem.0 = None;
                } else if let Some(why) = w.flow.log_problem.clone() {
                    problem.report(&format!("The session log {} could not be written", w.log_path.display()), why);
                }
            }
            WorkshopIntent::NextStage => {
                if !w.flow.next_stage(|id| library.scenario(id))
                    && let Some((campaign, run)) = w.flow.campaign.clone()
                    && w.step == Step::Debrief
                {
                    commands.insert_resource(crate::game::run::FinishedCampaign { campaign, run });
                    next.set(Screen::Review);
                }
            }
            WorkshopIntent::TextLarger | WorkshopIntent::TextSmaller => {
                let up = matches!(intent, WorkshopIntent::TextLarger);
                let i = TEXT_SCALES.iter().position(|s| (*s - w.text_scale).abs() < 0.01).unwrap_or(2);
                let i = if up { (i + 1).min(TEXT_SCALES.len() - 1) } else { i.saturating_sub(1) };
                w.text_scale = TEXT_SCALES[i];
            }
        }
        follow_flow(w, run.as_deref_mut(), screen_before, decisions_before, &mut next, &mut problem);
    }
}

/// After the flow moved: its screen, the run the other screens read, the saving banner.
pub fn follow_flow(
    w: &mut Workshop,
    run: Option<&mut ActiveRun>,
    screen_before: Screen,
    decisions_before: usize,
    next: &mut NextState<Screen>,
    problem: &mut SavingProblem,
) {
    let screen = screen_for(&w.step);
    if screen != screen_before {
        // What the room last revealed is history now; R shows the new changes.
        w.revealing = None;
        next.set(screen);
    }
    if w.decisions.len() != decisions_before || screen != screen_before {
        if let Some(run) = run {
            *run = w.run();
        }
        // Written and flushed before the next screen appears, so a crash loses nothing decided.
        match &w.flow.log_problem {
            None if w.decisions.len() != decisions_before => problem.0 = None,
            None => {}
            Some(why) => problem.report(&format!("The session log {} could not be written", w.log_path.display()), why),
        }
    }
}

/// The room's phones for a starting or resumed workshop, as the flow takes them.
fn phones_for(phones: &Option<RoomPhones>) -> Option<(crate::workshop::flow::SharedRoom, String)> {
    phones.as_ref().map(|p| (p.room.clone(), p.server.home_page()))
}

fn start(
    config: WorkshopConfig,
    library: &Library,
    dir: &DataDir,
    commands: &mut Commands,
    settings: &PhoneSettings,
) -> Result<Workshop, String> {
    // The phones first, so the log's header keeps the room code for a resume.
    let phones = open_phones(commands, settings, None);
    let log_path = dir.session_log_path(&config.name);
    let mut flow = WorkshopFlow::start_target(
        config,
        |id| library.scenario(id),
        library.campaign(),
        &log_path,
        phones_for(&phones),
    )?;
    flow.close_when_all_voted = settings.options.close_when_all_voted;
    if let Some(phones) = phones {
        commands.insert_resource(phones);
    }
    Ok(Workshop::new(flow))
}

/// Rebuilds a workshop from its log: the scenario (or each campaign stage) replayed with the
/// recorded seed and choices, the log reopened for appending, the phones with their room code.
fn resume_from_log(
    path: &std::path::Path,
    library: &Library,
    commands: &mut Commands,
    settings: &PhoneSettings,
) -> Result<Workshop, String> {
    let recorded = crate::record::read_log(path).map_err(|e| e.to_string())?;
    // The recorded room code again: the phones' links and QR codes still work.
    let phones = open_phones(commands, settings, recorded_room_code(&recorded.header));
    let mut flow = WorkshopFlow::resume_with(path, |id| library.scenario(id), library.campaign(), phones_for(&phones))?;
    flow.close_when_all_voted = settings.options.close_when_all_voted;
    if let Some(phones) = phones {
        commands.insert_resource(phones);
    }
    Ok(Workshop::new(flow))
}
