//! The workshop's state and the one system that applies the facilitator's intents: start,
//! votes, the applied choice (logged and flushed before the next screen), reveal, text size.

use std::path::PathBuf;
use std::time::SystemTime;

use bevy::prelude::*;

use crate::engine::Meters;
use crate::engine::Session;
use crate::engine::campaign::CampaignRun;
use crate::engine::chance::fresh_seed;
use crate::engine::votes::{Majority, VoteTally};
use crate::game::library::Library;
use crate::game::run::ActiveRun;
use crate::game::save::DataDir;
use crate::game::saving_banner::SavingProblem;
use crate::game::schedule::GameSystems;
use crate::game::screen::{Notice, Screen};
use crate::record::{LogHeader, LoggedDecision, LoggedEnd, Mode, RoomCall, SessionLog};
pub use crate::workshop::{MeterMode, WorkshopConfig, WorkshopTarget};

use super::phones::{PhoneSettings, RoomPhones, open_phones, recorded_room_code};

/// Where the room is within a beat.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Phase {
    #[default]
    Discuss,
    Vote,
    /// Picking the option to apply against the majority (or on a tie), then typing why.
    Override {
        option: Option<usize>,
        reason: String,
    },
}

/// A running workshop.
#[derive(Resource)]
pub struct Workshop {
    pub config: WorkshopConfig,
    pub log: SessionLog,
    pub log_path: PathBuf,
    pub tally: VoteTally,
    pub phase: Phase,
    /// Digits typed before a letter, to set that option's count.
    pub typed_count: String,
    /// The meters the room last saw (for hidden modes).
    pub revealed: Meters,
    /// Set when R was pressed: animate from `revealed` to now on the next screen build.
    pub revealing: Option<Meters>,
    /// Text size for the projector; 2.0 = twice the solo size.
    pub text_scale: f32,
    pub decisions: Vec<LoggedDecision>,
    pub started: SystemTime,
    pub exports: Option<Result<PathBuf, String>>,
    pub message: Option<String>,
}

impl Workshop {
    /// A workshop at the start of `session`'s current beat, appending to `log`; `decisions`
    /// are the ones already in the log (none for a new session).
    pub fn new(
        config: WorkshopConfig,
        log: SessionLog,
        log_path: PathBuf,
        run: &ActiveRun,
        decisions: Vec<LoggedDecision>,
        message: Option<String>,
    ) -> Workshop {
        Workshop {
            revealed: run.session.meters,
            config,
            log,
            log_path,
            tally: VoteTally::new(visible_options(&run.scenario, &run.session).len()),
            phase: Phase::Discuss,
            typed_count: String::new(),
            revealing: None,
            text_scale: 2.0,
            decisions,
            started: SystemTime::now(),
            exports: None,
            message,
        }
    }

    pub fn meters_visible(&self) -> bool {
        self.config.meters == MeterMode::Shown
    }
}

#[derive(Message, Debug, Clone, PartialEq)]
pub enum WorkshopIntent {
    Start(WorkshopConfig),
    /// Go on with a session from its log (after a crash, say), at the next decision.
    Resume(PathBuf),
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
            // The phones first, so the log's header keeps the room code for a resume.
            let phones = open_phones(&mut commands, &phone_settings, None, 0);
            match start(config.clone(), &library, &dir, phones.as_ref()) {
                Ok((new_workshop, new_run)) => {
                    commands.insert_resource(new_run);
                    commands.insert_resource(new_workshop);
                    if let Some(phones) = phones {
                        commands.insert_resource(phones);
                    }
                    next.set(Screen::WorkshopRoom);
                }
                Err(why) => {
                    *notice = Notice { title: "The workshop cannot start".into(), body: why, ..default() };
                    next.set(Screen::Notice);
                }
            }
            continue;
        }
        if let WorkshopIntent::Resume(path) = intent {
            match resume_from_log(path, &library) {
                Ok((resumed, resumed_run, code)) => {
                    let over = resumed_run.session.is_over();
                    // The recorded room code again: the phones' links and QR codes still work.
                    if let Some(phones) = open_phones(&mut commands, &phone_settings, code, resumed.decisions.len()) {
                        commands.insert_resource(phones);
                    }
                    commands.insert_resource(resumed_run);
                    commands.insert_resource(resumed);
                    next.set(if over { Screen::WorkshopDebrief } else { Screen::WorkshopRoom });
                }
                Err(why) => {
                    *notice = Notice { title: "The session cannot be resumed".into(), body: why, ..default() };
                    next.set(Screen::Notice);
                }
            }
            continue;
        }
        let (Some(w), Some(r)) = (workshop.as_deref_mut(), run.as_deref_mut()) else { continue };
        w.message = None;
        match intent.clone() {
            WorkshopIntent::Start(_) | WorkshopIntent::Resume(_) => {}
            WorkshopIntent::OpenVote => w.phase = Phase::Vote,
            WorkshopIntent::BackToDiscussion => w.phase = Phase::Discuss,
            WorkshopIntent::Tap(option) => w.tally.tap(option),
            WorkshopIntent::SetCount(option, count) => w.tally.set(option, count),
            WorkshopIntent::Undo => {
                if !w.tally.undo() {
                    w.message = Some("Nothing to undo.".into());
                }
            }
            WorkshopIntent::ApplyMajority => match w.tally.majority() {
                Majority::Clear(option) => apply(w, r, option, None, &mut next, &mut problem),
                Majority::Tie(_) => {
                    w.phase = Phase::Override { option: None, reason: String::new() };
                    w.message = Some("A tie: it is your call. Press the letter of the option to apply.".into());
                }
                Majority::NoVotes => {
                    w.phase = Phase::Override { option: None, reason: String::new() };
                    w.message = Some("No votes yet: press the letter of the option to apply.".into());
                }
            },
            WorkshopIntent::BeginOverride => w.phase = Phase::Override { option: None, reason: String::new() },
            WorkshopIntent::PickOverride(option) => {
                if let Phase::Override { option: picked, .. } = &mut w.phase {
                    *picked = Some(option);
                }
                // No reason is needed when this is the facilitator's call (tie, no votes).
                if w.tally.decide(option, None).is_ok() {
                    apply(w, r, option, None, &mut next, &mut problem);
                }
            }
            WorkshopIntent::ConfirmOverride => {
                if let Phase::Override { option: Some(option), reason } = w.phase.clone() {
                    let reason = Some(reason.trim().to_string()).filter(|r| !r.is_empty());
                    match w.tally.decide(option, reason.clone()) {
                        Ok(_) => apply(w, r, option, reason, &mut next, &mut problem),
                        Err(e) => w.message = Some(format!("{e}")),
                    }
                }
            }
            WorkshopIntent::CancelOverride => w.phase = Phase::Vote,
            WorkshopIntent::Reveal => {
                if w.config.meters == MeterMode::UntilReveal {
                    w.revealing = Some(w.revealed);
                    w.revealed = r.session.meters;
                } else if w.config.meters == MeterMode::UntilEnd {
                    w.message = Some("This session keeps the meters hidden until the end.".into());
                }
            }
            WorkshopIntent::Proceed => proceed(w, r, &mut next),
            WorkshopIntent::RetryLog => {
                let end = LoggedEnd::from_session(&r.scenario, &r.session, SystemTime::now());
                match w.log.catch_up(&w.decisions, end.as_ref()) {
                    Ok(()) => problem.0 = None,
                    Err(e) => {
                        problem.report(&format!("The session log {} could not be written", w.log_path.display()), e)
                    }
                }
            }
            WorkshopIntent::NextStage => {
                if next_campaign_stage(w, r, &library).is_some() {
                    next.set(Screen::WorkshopRoom);
                } else if let Some((campaign, run)) = r.campaign.clone() {
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
    }
}

fn start(
    config: WorkshopConfig,
    library: &Library,
    dir: &DataDir,
    phones: Option<&RoomPhones>,
) -> Result<(Workshop, ActiveRun), String> {
    let seed = config.seed.unwrap_or_else(fresh_seed);
    let (scenario, session, campaign) = match &config.target {
        WorkshopTarget::Scenario(id) => {
            let scenario =
                library.scenario(id).cloned().ok_or_else(|| format!("There is no playable scenario `{id}`."))?;
            let session = Session::new(&scenario, seed);
            (scenario, session, None)
        }
        WorkshopTarget::Campaign => {
            let campaign = library.campaign().cloned().ok_or("No campaign file was found.")?;
            let run = CampaignRun::new(&campaign, seed);
            let id = run.next_scenario(&campaign).ok_or("The campaign lists no scenarios.")?.to_string();
            let scenario = library.scenario(&id).cloned().ok_or_else(|| format!("The campaign needs `{id}`."))?;
            let session = run.start_stage(&campaign, &scenario);
            (scenario, session, Some((campaign, run)))
        }
    };
    let campaign_id = campaign.as_ref().map(|(c, _)| c.id.as_str());
    let mut header = LogHeader::for_run(&config.name, Mode::Workshop, seed, &scenario, campaign_id, SystemTime::now());
    header.options = serde_json::json!({
        "meters": config.meters.label(),
        "timer_minutes": config.timer_minutes,
    });
    if let Some(phones) = phones {
        header.options["phones"] = phones.header_options();
    }
    let log_path = dir.session_log_path(&config.name);
    let log = SessionLog::create(&log_path, header)
        .map_err(|e| format!("Cannot create the session log {}: {e}", log_path.display()))?;
    let run = ActiveRun { scenario, session, campaign };
    Ok((Workshop::new(config, log, log_path, &run, Vec::new(), None), run))
}

/// Rebuilds a workshop from its log: the scenario (or each campaign stage) replayed with the
/// recorded seed and choices, the log reopened for appending.
/// Also the room code its phones had, if it had phones.
fn resume_from_log(path: &std::path::Path, library: &Library) -> Result<(Workshop, ActiveRun, Option<String>), String> {
    let (log, recorded) = SessionLog::open_append(path).map_err(|e| e.to_string())?;
    let header = recorded.header.clone();
    let rebuilt = crate::record::rebuild_run(&recorded, library.campaign(), |id| library.scenario(id))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let campaign = match rebuilt.campaign {
        Some(run) => library.campaign().cloned().map(|c| (c, run)),
        None => None,
    };
    let (scenario, session) = (rebuilt.scenario.clone(), rebuilt.session);
    let config = WorkshopConfig {
        name: header.session.clone(),
        target: if campaign.is_some() {
            WorkshopTarget::Campaign
        } else {
            WorkshopTarget::Scenario(scenario.id.clone())
        },
        meters: MeterMode::Shown,
        timer_minutes: header.options.get("timer_minutes").and_then(|t| t.as_u64()).map(|t| t as u32),
        seed: Some(header.seed),
    };
    let message = format!("Resumed from the log at decision {}.", recorded.decisions.len() + 1);
    let run = ActiveRun { scenario, session, campaign };
    let workshop = Workshop::new(config, log, path.to_path_buf(), &run, recorded.decisions.clone(), Some(message));
    Ok((workshop, run, recorded_room_code(&header)))
}

/// The ids of the choices the room can vote on, in the order shown (lettered A–D).
pub fn visible_options(scenario: &crate::scenario::Scenario, session: &Session) -> Vec<String> {
    session.visible_choices(scenario).iter().filter(|v| v.available()).map(|v| v.choice.id.clone()).collect()
}

fn apply(
    w: &mut Workshop,
    r: &mut ActiveRun,
    option: usize,
    reason: Option<String>,
    next: &mut NextState<Screen>,
    problem: &mut SavingProblem,
) {
    let options = visible_options(&r.scenario, &r.session);
    let Some(choice) = options.get(option).cloned() else {
        w.message = Some("There is no such option.".into());
        return;
    };
    let room = match w.tally.decide(option, reason) {
        Ok(room) => room,
        Err(e) => {
            w.message = Some(format!("{e}"));
            return;
        }
    };
    let scenario = r.scenario.clone();
    if let Err(e) = r.session.choose(&scenario, &choice) {
        w.message = Some(format!("{e}"));
        return;
    }
    let number = w.decisions.len() as u32 + 1;
    let call = RoomCall { tally: &w.tally, decision: &room };
    // Written and flushed before the next screen appears, so a crash loses nothing decided.
    if let Some((logged, written)) = w.log.record(&scenario, &r.session, number, options, Some(call), SystemTime::now())
    {
        match written {
            Ok(()) => problem.0 = None,
            Err(e) => problem.report(&format!("The session log {} could not be written", w.log_path.display()), e),
        }
        w.decisions.push(logged);
    }
    if r.session.is_over()
        && let Some((_, campaign_run)) = &mut r.campaign
    {
        campaign_run.finish_stage(&scenario, &r.session);
    }
    w.phase = Phase::Discuss;
    w.typed_count.clear();
    // What the room last revealed is history now; R shows the new changes.
    w.revealing = None;
    next.set(Screen::WorkshopConsequence);
}

fn proceed(w: &mut Workshop, r: &mut ActiveRun, next: &mut NextState<Screen>) {
    w.revealing = None;
    if !r.session.is_over() {
        w.tally = VoteTally::new(visible_options(&r.scenario, &r.session).len());
        w.phase = Phase::Discuss;
        next.set(Screen::WorkshopRoom);
        return;
    }
    next.set(Screen::WorkshopDebrief);
}

/// Campaign: the next scenario for the room, or None when the campaign is over.
fn next_campaign_stage(w: &mut Workshop, r: &mut ActiveRun, library: &Library) -> Option<()> {
    let (campaign, campaign_run) = r.campaign.clone()?;
    let id = campaign_run.next_scenario(&campaign)?;
    let scenario = library.scenario(id)?.clone();
    r.session = campaign_run.start_stage(&campaign, &scenario);
    r.scenario = scenario;
    w.tally = VoteTally::new(visible_options(&r.scenario, &r.session).len());
    w.phase = Phase::Discuss;
    w.revealed = r.session.meters;
    Some(())
}
