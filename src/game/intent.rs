//! The player's intents, and the one system that turns them into engine calls and screen
//! changes. Buttons, keys, autoplay and tests all send intents; nothing else drives the run.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use super::library::Library;
use super::run::{ActiveRun, FinishedCampaign, SoloLog};
use super::save::{
    BestEnding, DataDir, Progress, ReadOutcome, SAVE_FORMAT, SaveFile, read_or_set_aside, remove_old_save_of,
    remove_save, write_atomic,
};
use super::saving_banner::SavingProblem;
use super::schedule::GameSystems;
use super::screen::{Notice, Screen, StartupWarnings};
use super::settings::{SettingChange, Settings, SettingsProblem};
use crate::engine::Session;
use crate::engine::campaign::CampaignRun;
use crate::engine::chance::fresh_seed;
use crate::record::settings::LrsField;
use std::time::SystemTime;

use crate::record::{LogHeader, LoggedEnd, Mode, SessionLog, new_log_path};

mod continuing;

use continuing::continue_saved;

#[derive(Message, Debug, Clone, PartialEq)]
pub enum Intent {
    Open(Screen),
    /// Quit, asking first when a run is in progress.
    Quit,
    /// Quit without asking (the answer to that question).
    QuitNow,
    StartScenario {
        id: String,
        seed: Option<u64>,
    },
    StartCampaign,
    /// Start the scenario even though a run of it is saved: that run is discarded.
    StartScenarioOver {
        id: String,
        seed: Option<u64>,
    },
    /// Start the campaign again although one is saved: the saved one is discarded.
    StartCampaignOver,
    /// Continue the newest saved run.
    ContinueSaved,
    /// Continue the run saved in this file.
    ContinueRun(std::path::PathBuf),
    Choose(String),
    /// From the consequence screen: the next beat, or the debrief at an ending.
    Proceed,
    /// Replay this run from just before decision n (1-based), same seed.
    ReplayFrom(u32),
    /// The same scenario again with a new seed.
    PlayAgain,
    /// Campaign: the next scenario, or the review after the last.
    NextStage,
    /// After a notice: restart the current scenario from its first beat.
    Restart,
    ChangeSetting(SettingChange),
    /// Settings: start typing into this learning-records field (presentation only).
    EditLrs(LrsField),
    /// Settings: this learning-records field is now this text, if it passes its check.
    SetLrs(LrsField, String),
    /// Settings: ask the LRS, in the background, whether it answers (see `game::lrs`).
    TestLrsConnection,
    /// Debrief: show or hide the details (seed, replay command, where the files are).
    ToggleDetails,
    /// A locked choice was pressed: say why it cannot be taken.
    ExplainLocked(String),
    /// Try again to write what could not be written (see [`SavingProblem`]).
    RetrySaving,
}

pub(super) fn plugin(app: &mut App) {
    app.add_message::<Intent>()
        .init_resource::<Progress>()
        .init_resource::<NoticeActions>()
        .add_systems(Startup, load_progress)
        .add_systems(Update, apply_intents.in_set(GameSystems::Apply));
}

#[derive(SystemParam)]
struct Flow<'w, 's> {
    commands: Commands<'w, 's>,
    library: Res<'w, Library>,
    run: Option<ResMut<'w, ActiveRun>>,
    next: ResMut<'w, NextState<Screen>>,
    dir: Res<'w, DataDir>,
    progress: ResMut<'w, Progress>,
    notice: ResMut<'w, Notice>,
    settings: ResMut<'w, Settings>,
    settings_problem: ResMut<'w, SettingsProblem>,
    exit: MessageWriter<'w, AppExit>,
    solo_log: Option<ResMut<'w, SoloLog>>,
    problem: ResMut<'w, SavingProblem>,
    actions: ResMut<'w, NoticeActions>,
}

fn load_progress(dir: Res<DataDir>, mut progress: ResMut<Progress>, mut warnings: ResMut<StartupWarnings>) {
    match read_or_set_aside::<Progress>(&dir.progress_path()) {
        ReadOutcome::Read(p) => *progress = p,
        ReadOutcome::Missing => {}
        ReadOutcome::SetAside { why, moved_to } => {
            warnings.0.push(set_aside_message("record of best endings", &why, moved_to))
        }
    }
}

pub fn set_aside_message(what: &str, why: &str, moved_to: Option<std::path::PathBuf>) -> String {
    format!(
        "Your {what} could not be read ({why}).{}",
        moved_to.map(|p| format!(" It was moved to {} and nothing was deleted.", p.display())).unwrap_or_default()
    )
}

fn apply_intents(mut intents: MessageReader<Intent>, mut flow: Flow) {
    for intent in intents.read() {
        match intent.clone() {
            Intent::Open(screen) => flow.next.set(screen),
            Intent::Quit if !flow.dir.saved_runs().is_empty() => {
                *flow.notice = Notice {
                    title: "Quit The Leap?".into(),
                    body: "Your run is saved after every decision: Continue on the title screen picks it up where you left it.".into(),
                    confirm_quit: true,
                    ..default()
                };
                flow.next.set(Screen::Notice);
            }
            Intent::Quit | Intent::QuitNow => {
                flow.exit.write(AppExit::Success);
            }
            Intent::StartScenario { id, seed } if has_saved_run(&flow.dir, None, &id) => {
                let title = flow.library.scenario(&id).map_or(id.clone(), |s| s.title.clone());
                let over = Intent::StartScenarioOver { id: id.clone(), seed };
                let path = flow.dir.run_save_path(None, &id);
                ask_before_discarding(&mut flow, &title, path, over);
            }
            Intent::StartScenario { id, seed } | Intent::StartScenarioOver { id, seed } => {
                let Some(scenario) = flow.library.scenario(&id).cloned() else {
                    show_notice(
                        &mut flow,
                        "Scenario not found",
                        &format!("There is no playable scenario `{id}`."),
                        false,
                    );
                    continue;
                };
                let session = Session::new(&scenario, seed.unwrap_or_else(fresh_seed));
                begin(&mut flow, ActiveRun { scenario, session, campaign: None }, LogStart::Fresh);
            }
            Intent::StartCampaign
                if flow.library.campaign().is_some_and(|c| has_saved_run(&flow.dir, Some(&c.id), "")) =>
            {
                let campaign = flow.library.campaign().expect("checked above");
                let (title, path) = (campaign.title.clone(), flow.dir.run_save_path(Some(&campaign.id), ""));
                ask_before_discarding(&mut flow, &title, path, Intent::StartCampaignOver);
            }
            Intent::StartCampaign | Intent::StartCampaignOver => start_campaign(&mut flow),
            Intent::ContinueSaved => continue_saved(&mut flow, None),
            Intent::ContinueRun(path) => continue_saved(&mut flow, Some(path)),
            Intent::Choose(choice) => choose(&mut flow, &choice),
            Intent::Proceed => {
                let over = flow.run.as_ref().is_some_and(|r| r.session.is_over());
                flow.next.set(if over { Screen::Debrief } else { Screen::Play });
            }
            Intent::ReplayFrom(number) => rewind(&mut flow, number, None),
            Intent::PlayAgain => rewind(&mut flow, 1, Some(fresh_seed())),
            Intent::NextStage => next_stage(&mut flow),
            Intent::Restart => rewind(&mut flow, 1, None),
            Intent::ChangeSetting(change) => flow.settings.change(change),
            Intent::SetLrs(field, value) => {
                let mut lrs = flow.settings.lrs.clone();
                flow.settings_problem.0 = match lrs.set(field, &value) {
                    Ok(()) => {
                        flow.settings.lrs = lrs;
                        None
                    }
                    Err(why) => Some((field, why)),
                };
            }
            // Presentation only: the debrief screen shows or hides its details panel; the
            // settings screen opens a field for typing; the LRS link tests the connection.
            Intent::ToggleDetails | Intent::ExplainLocked(_) | Intent::EditLrs(_) | Intent::TestLrsConnection => {}
            Intent::RetrySaving => retry_saving(&mut flow),
        }
    }
}

fn show_notice(flow: &mut Flow, title: &str, body: &str, offer_restart: bool) {
    *flow.notice = Notice { title: title.into(), body: body.into(), offer_restart, ..default() };
    flow.actions.0.clear();
    flow.next.set(Screen::Notice);
}

/// More buttons for the notice screen, above "Back to title": a label and what it does.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct NoticeActions(pub Vec<(String, Intent)>);

/// A saved run of the campaign `campaign` (or else of the scenario `scenario`) exists, in its
/// own file or as the old single save.
fn has_saved_run(dir: &DataDir, campaign: Option<&str>, scenario: &str) -> bool {
    if dir.run_save_path(campaign, scenario).is_file() {
        return true;
    }
    let old = std::fs::read(dir.save_path()).ok().and_then(|b| serde_json::from_slice::<SaveFile>(&b).ok());
    old.is_some_and(|old| match (&old.campaign, campaign) {
        (Some(run), Some(id)) => run.campaign_id == id,
        (None, None) => old.session.scenario_id == scenario,
        _ => false,
    })
}

/// Starting `title` again would throw its saved run away: ask first.
fn ask_before_discarding(flow: &mut Flow, title: &str, saved: std::path::PathBuf, start_over: Intent) {
    let saved = if saved.is_file() { saved } else { flow.dir.save_path() };
    let body = format!(
        "You have a run of {title} in progress. Starting again throws that run away (its session log \
         and exports are kept). Continue it instead?"
    );
    show_notice(flow, &format!("{title} is in progress"), &body, false);
    flow.actions.0 = vec![
        ("Continue that run".to_string(), Intent::ContinueRun(saved)),
        ("Start over and discard it".to_string(), start_over),
    ];
}

/// Which session log a run that begins writes to.
enum LogStart {
    /// A new log of its own.
    Fresh,
    /// The log already open (a campaign's later stage goes on in its first stage's log).
    Same,
    /// A new log holding the open log's decisions up to this number, then the replay's.
    Branch { through: u32 },
}

/// Makes `run` the active run, with its session log as `start` says, saves it, and shows its
/// current beat.
fn begin(flow: &mut Flow, run: ActiveRun, start: LogStart) {
    flow.problem.0 = None;
    let open = flow.solo_log.as_deref().map(|l| l.path.clone());
    let log = match (start, open) {
        (LogStart::Same, Some(path)) => Ok(Some(path)),
        (LogStart::Branch { through }, Some(earlier)) => {
            branch_solo_log(&flow.dir, &run, &earlier, through).map(|log| {
                let path = log.path.clone();
                flow.commands.insert_resource(log);
                Some(path)
            })
        }
        _ => start_solo_log(&flow.dir, &run).map(|log| {
            let path = log.path.clone();
            flow.commands.insert_resource(log);
            Some(path)
        }),
    };
    let log = match log {
        Ok(path) => path,
        Err(why) => {
            flow.commands.remove_resource::<SoloLog>();
            flow.problem.report("This run is not being recorded (no session log, so no exports)", why);
            None
        }
    };
    save(flow.dir.as_ref(), &run, log.as_deref(), &mut flow.problem);
    flow.commands.insert_resource(run);
    flow.next.set(Screen::Play);
}

/// A session log for a solo run, in `sessions/` of the data folder.
fn start_solo_log(dir: &DataDir, run: &ActiveRun) -> Result<SoloLog, String> {
    let campaign = run.campaign.as_ref().map(|(c, _)| c.id.as_str());
    let header = LogHeader::for_run("Solo", Mode::Solo, run.session.seed, &run.scenario, campaign, SystemTime::now());
    let path = dir.session_log_path(&format!("solo-{}", run.scenario.id));
    let log = SessionLog::create(&path, header).map_err(|e| e.to_string())?;
    Ok(SoloLog { log, path, exports: None, unwritten: Vec::new() })
}

/// A new log for a run replayed from a point of the one recorded at `earlier`: its decisions
/// up to `through` first, so the new log reads and exports on its own.
fn branch_solo_log(dir: &DataDir, run: &ActiveRun, earlier: &std::path::Path, through: u32) -> Result<SoloLog, String> {
    let recorded = crate::record::read_log(earlier).map_err(|e| e.to_string())?;
    let campaign = run.campaign.as_ref().map(|(c, _)| c.id.as_str());
    // A campaign's stages take their seeds from the campaign's; a lone scenario's is its own.
    let seed = if campaign.is_some() { recorded.header.seed } else { run.session.seed };
    let header = LogHeader::for_run("Solo", Mode::Solo, seed, &run.scenario, campaign, SystemTime::now());
    let path = new_log_path(&dir.sessions_dir(), &format!("solo-{}", run.scenario.id), SystemTime::now());
    let log =
        SessionLog::create_branch(&path, header, &recorded, through, &run.scenario.id).map_err(|e| e.to_string())?;
    Ok(SoloLog { log, path, exports: None, unwritten: Vec::new() })
}

fn save(dir: &DataDir, run: &ActiveRun, log: Option<&std::path::Path>, problem: &mut SavingProblem) {
    let file = SaveFile {
        format: SAVE_FORMAT,
        session: run.session.clone(),
        campaign: run.campaign.as_ref().map(|(_, c)| c.clone()),
        log: log.map(std::path::Path::to_path_buf),
    };
    let path = dir.run_save_path(run.campaign_id(), &run.scenario.id);
    match write_atomic(&path, &file) {
        Ok(()) => remove_old_save_of(dir, run.campaign_id(), &run.scenario.id),
        Err(e) => problem.report(&format!("Your progress could not be saved to {}", path.display()), e),
    }
}

/// Writes again what could not be written (decisions the log is missing, then the save); the
/// banner goes when everything is on disk.
fn retry_saving(flow: &mut Flow) {
    let Some(run) = flow.run.as_deref() else {
        flow.problem.0 = None;
        return;
    };
    let mut problem = SavingProblem::default();
    let log = match flow.solo_log.as_deref_mut() {
        Some(solo) => {
            let end = LoggedEnd::from_session(&run.scenario, &run.session, SystemTime::now());
            match solo.log.catch_up(&solo.unwritten, end.as_ref()) {
                Ok(()) => {
                    let caught_up = !solo.unwritten.is_empty();
                    solo.unwritten.clear();
                    if caught_up && run.session.is_over() {
                        export_solo(solo, &run.scenario, &mut problem);
                    }
                }
                Err(e) => problem.report(&format!("The session log {} could not be written", solo.path.display()), e),
            }
            Some(solo.path.clone())
        }
        None => None,
    };
    if run.session.is_over() && run.campaign.is_none() {
        remove_save(&flow.dir, None, &run.scenario.id);
    } else {
        save(&flow.dir, run, log.as_deref(), &mut problem);
    }
    if log.is_none() && problem.0.is_none() {
        problem.0 = Some(
            "This run is not being recorded (its session log could not be started or opened); your progress \
             is saved, and the next run you start will be recorded"
                .into(),
        );
    }
    *flow.problem = problem;
}

fn choose(flow: &mut Flow, choice: &str) {
    let Some(run) = flow.run.as_deref_mut() else { return };
    let scenario = run.scenario.clone();
    let options = crate::record::shown_options(&run.session.visible_choices(&scenario));
    if let Err(e) = run.session.choose(&scenario, choice) {
        warn!("choice refused: {e}");
        return;
    }
    if let Some(solo) = flow.solo_log.as_deref_mut() {
        let number = solo_decision_number(run);
        // Flushed before the consequence screen appears.
        // Lines a failed write left out go first, so the log never has a gap in its numbers.
        if !solo.unwritten.is_empty() && solo.log.catch_up(&solo.unwritten, None).is_ok() {
            solo.unwritten.clear();
        }
        let now = SystemTime::now();
        if !solo.unwritten.is_empty() {
            let decision = run.session.transcript.last().expect("a decision was just made");
            solo.unwritten.push(crate::record::LoggedDecision::solo(&scenario, decision, number, options, now));
        } else if let Some((logged, Err(e))) = solo.log.record(&scenario, &run.session, number, options, None, now) {
            flow.problem.report(&format!("The session log {} could not be written", solo.path.display()), e);
            solo.unwritten.push(logged);
        }
        if run.session.is_over() {
            export_solo(solo, &scenario, &mut flow.problem);
        }
    }
    if let Some(ending) = run.session.ending(&scenario) {
        let best = BestEnding { ending: ending.id.clone(), title: ending.title.clone(), verdict: ending.verdict };
        if flow.progress.record(&scenario.id, best)
            && let Err(e) = write_atomic(&flow.dir.progress_path(), &*flow.progress)
        {
            flow.problem.report("Your best endings could not be saved", e);
        }
        if let Some((_, campaign_run)) = &mut run.campaign {
            campaign_run.finish_stage(&scenario, &run.session);
        }
    }
    let finished_solo = run.session.is_over() && run.campaign.is_none();
    if finished_solo {
        remove_save(&flow.dir, None, &scenario.id);
        // A finished run needs no save: only a log or exports that failed are still news.
        let recorded =
            flow.solo_log.as_deref().is_some_and(|l| l.unwritten.is_empty() && matches!(l.exports, Some(Ok(_))));
        if recorded {
            flow.problem.0 = None;
        }
    } else {
        save(&flow.dir, run, flow.solo_log.as_deref().map(|l| l.path.as_path()), &mut flow.problem);
    }
    flow.next.set(Screen::Consequence);
}

/// The finished run's exports, beside its log; the debrief shows where, or why not.
fn export_solo(solo: &mut SoloLog, scenario: &crate::scenario::Scenario, problem: &mut SavingProblem) {
    let folder = crate::export::default_dir(&solo.path);
    let written = crate::export::export_all_with(&solo.path, &folder, &[scenario]);
    if let Err(e) = &written {
        problem.report("The exports could not be written", e);
    }
    solo.exports = Some(written.map(|_| folder).map_err(|e| e.to_string()));
}

fn rewind(flow: &mut Flow, number: u32, new_seed: Option<u64>) {
    let Some(run) = flow.run.as_deref_mut() else { return };
    let scenario = run.scenario.clone();
    let rewound = match new_seed {
        Some(seed) => run.session.restarted(&scenario, seed),
        None => run.session.rewound(&scenario, number),
    };
    let session = match rewound {
        Ok(session) => session,
        Err(e) => {
            let body = format!("This run cannot be replayed from there: {e}.");
            show_notice(flow, "Cannot replay", &body, true);
            return;
        }
    };
    if let Some((_, campaign_run)) = &mut run.campaign {
        let start = session.restarted(&scenario, session.seed).unwrap_or_else(|_| session.clone());
        campaign_run.reopen_stage(&start);
    }
    run.session = session;
    let run = run.clone();
    // The replay's log starts with the decisions it keeps (none for a lone scenario played
    // again with a new seed), so it reads and exports like any other.
    let start = match (new_seed, &run.campaign) {
        (Some(_), None) => LogStart::Fresh,
        _ => LogStart::Branch { through: solo_decision_number(&run) },
    };
    begin(flow, run, start);
}

fn start_campaign(flow: &mut Flow) {
    let Some(campaign) = flow.library.campaign().cloned() else {
        show_notice(flow, "No campaign", "No campaign file was found in the scenarios folder.", false);
        return;
    };
    let campaign_run = CampaignRun::new(&campaign, fresh_seed());
    start_stage(flow, campaign, campaign_run);
}

fn start_stage(flow: &mut Flow, campaign: crate::scenario::Campaign, campaign_run: CampaignRun) {
    let Some(id) = campaign_run.next_scenario(&campaign).map(str::to_string) else {
        remove_save(&flow.dir, Some(&campaign.id), "");
        flow.commands.insert_resource(FinishedCampaign { campaign, run: campaign_run });
        flow.next.set(Screen::Review);
        return;
    };
    let Some(scenario) = flow.library.scenario(&id).cloned() else {
        let body = format!("The campaign needs the scenario `{id}`, which is missing or has errors. Run `leap check`.");
        show_notice(flow, "Campaign cannot continue", &body, false);
        return;
    };
    let session = campaign_run.start_stage(&campaign, &scenario);
    let later_stage = !campaign_run.results.is_empty();
    let start = if later_stage { LogStart::Same } else { LogStart::Fresh };
    begin(flow, ActiveRun { scenario, session, campaign: Some((campaign, campaign_run)) }, start);
    // Each stage opens on the year: where you are in it and what you carry in.
    flow.next.set(Screen::Year);
}

fn next_stage(flow: &mut Flow) {
    let Some(run) = flow.run.as_deref() else { return };
    let Some((campaign, campaign_run)) = run.campaign.clone() else { return };
    start_stage(flow, campaign, campaign_run);
}

/// Decisions are numbered across a whole session, campaign stages included.
fn solo_decision_number(run: &ActiveRun) -> u32 {
    let earlier: u32 = run.campaign.as_ref().map_or(0, |(_, c)| c.decisions_before());
    earlier + run.session.transcript.len() as u32
}
