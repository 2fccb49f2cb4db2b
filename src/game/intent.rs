//! The player's intents, and the one system that turns them into engine calls and screen
//! changes. Buttons, keys, autoplay and tests all send intents; nothing else drives the run.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use super::library::Library;
use super::run::{ActiveRun, FinishedCampaign, SoloLog};
use super::save::{
    BestEnding, DataDir, Progress, ReadOutcome, SAVE_FORMAT, SaveFile, read_or_set_aside, remove_save, write_atomic,
};
use super::screen::{Notice, Screen, StartupWarnings};
use super::settings::{SettingChange, Settings};
use crate::engine::Session;
use crate::engine::campaign::CampaignRun;
use crate::engine::chance::fresh_seed;
use std::time::SystemTime;

use crate::record::{LogHeader, Mode, SessionLog, new_log_path};

#[derive(Message, Debug, Clone, PartialEq)]
pub enum Intent {
    Open(Screen),
    Quit,
    StartScenario {
        id: String,
        seed: Option<u64>,
    },
    StartCampaign,
    ContinueSaved,
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
}

pub(super) fn plugin(app: &mut App) {
    app.add_message::<Intent>()
        .init_resource::<Progress>()
        .add_systems(Startup, load_progress)
        .add_systems(Update, apply_intents);
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
    exit: MessageWriter<'w, AppExit>,
    solo_log: Option<ResMut<'w, SoloLog>>,
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
            Intent::Quit => {
                flow.exit.write(AppExit::Success);
            }
            Intent::StartScenario { id, seed } => {
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
                begin(&mut flow, ActiveRun { scenario, session, campaign: None });
            }
            Intent::StartCampaign => start_campaign(&mut flow),
            Intent::ContinueSaved => continue_saved(&mut flow),
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
        }
    }
}

fn show_notice(flow: &mut Flow, title: &str, body: &str, offer_restart: bool) {
    *flow.notice = Notice { title: title.into(), body: body.into(), offer_restart };
    flow.next.set(Screen::Notice);
}

/// Makes `run` the active run with a new session log, saves it, and shows its current beat.
fn begin(flow: &mut Flow, run: ActiveRun) {
    // A campaign's later stages go on in the log its first stage started.
    let later_stage = run.campaign.as_ref().is_some_and(|(_, c)| !c.results.is_empty());
    if later_stage && let Some(solo) = flow.solo_log.as_deref() {
        save(flow.dir.as_ref(), &run, Some(&solo.path));
    } else {
        let log = start_solo_log(&flow.dir, &run);
        save(flow.dir.as_ref(), &run, log.as_ref().map(|l| l.path.as_path()));
        match log {
            Some(log) => flow.commands.insert_resource(log),
            None => flow.commands.remove_resource::<SoloLog>(),
        }
    }
    flow.commands.insert_resource(run);
    flow.next.set(Screen::Play);
}

/// A session log for a solo run, in `sessions/` of the data folder.
fn start_solo_log(dir: &DataDir, run: &ActiveRun) -> Option<SoloLog> {
    let campaign = run.campaign.as_ref().map(|(c, _)| c.id.as_str());
    let header = LogHeader::for_run("Solo", Mode::Solo, run.session.seed, &run.scenario, campaign, SystemTime::now());
    let path = new_log_path(&dir.sessions_dir(), &format!("solo-{}", run.scenario.id), SystemTime::now());
    match SessionLog::create(&path, header) {
        Ok(log) => Some(SoloLog { log, path, exports: None }),
        Err(e) => {
            warn!("could not start the session log: {e}");
            None
        }
    }
}

fn save(dir: &DataDir, run: &ActiveRun, log: Option<&std::path::Path>) {
    let file = SaveFile {
        format: SAVE_FORMAT,
        session: run.session.clone(),
        campaign: run.campaign.as_ref().map(|(_, c)| c.clone()),
        log: log.map(std::path::Path::to_path_buf),
    };
    if let Err(e) = write_atomic(&dir.save_path(), &file) {
        warn!("could not save progress: {e}");
    }
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
        if let Some((_, Err(e))) = solo.log.record(&scenario, &run.session, number, options, None, SystemTime::now()) {
            warn!("could not write the session log: {e}");
        }
        if run.session.is_over() {
            let folder = crate::export::default_dir(&solo.path);
            solo.exports = Some(
                crate::export::export_all_with(&solo.path, &folder, &[&scenario])
                    .map(|_| folder)
                    .map_err(|e| e.to_string()),
            );
        }
    }
    if let Some(ending) = run.session.ending(&scenario) {
        let best = BestEnding { ending: ending.id.clone(), title: ending.title.clone(), verdict: ending.verdict };
        if flow.progress.record(&scenario.id, best)
            && let Err(e) = write_atomic(&flow.dir.progress_path(), &*flow.progress)
        {
            warn!("could not save progress: {e}");
        }
        if let Some((_, campaign_run)) = &mut run.campaign {
            campaign_run.finish_stage(&scenario, &run.session);
        }
    }
    let finished_solo = run.session.is_over() && run.campaign.is_none();
    if finished_solo {
        remove_save(&flow.dir);
    } else {
        save(&flow.dir, run, flow.solo_log.as_deref().map(|l| l.path.as_path()));
    }
    flow.next.set(Screen::Consequence);
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
    begin(flow, run);
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
        flow.commands.insert_resource(FinishedCampaign { campaign, run: campaign_run });
        remove_save(&flow.dir);
        flow.next.set(Screen::Review);
        return;
    };
    let Some(scenario) = flow.library.scenario(&id).cloned() else {
        let body = format!("The campaign needs the scenario `{id}`, which is missing or has errors. Run `leap check`.");
        show_notice(flow, "Campaign cannot continue", &body, false);
        return;
    };
    let session = campaign_run.start_stage(&campaign, &scenario);
    begin(flow, ActiveRun { scenario, session, campaign: Some((campaign, campaign_run)) });
}

fn next_stage(flow: &mut Flow) {
    let Some(run) = flow.run.as_deref() else { return };
    let Some((campaign, campaign_run)) = run.campaign.clone() else { return };
    start_stage(flow, campaign, campaign_run);
}

fn continue_saved(flow: &mut Flow) {
    let saved = match read_or_set_aside::<SaveFile>(&flow.dir.save_path()) {
        ReadOutcome::Read(saved) => saved,
        ReadOutcome::Missing => {
            show_notice(flow, "Nothing to continue", "There is no saved game.", false);
            return;
        }
        ReadOutcome::SetAside { why, moved_to } => {
            let body = set_aside_message("saved game", &why, moved_to);
            show_notice(flow, "Saved game could not be read", &body, false);
            return;
        }
    };
    let id = saved.session.scenario_id.clone();
    let campaign = match (&saved.campaign, flow.library.campaign()) {
        (Some(run), Some(c)) if c.id == run.campaign_id => Some((c.clone(), run.clone())),
        (Some(_), _) => {
            show_notice(flow, "Campaign not found", "The campaign this save belongs to is missing.", false);
            return;
        }
        (None, _) => None,
    };
    let Some(scenario) = flow.library.scenario(&id).cloned() else {
        let body = format!("The saved game is for the scenario `{id}`, which is missing or has errors.");
        show_notice(flow, "Scenario not found", &body, false);
        return;
    };
    let run = ActiveRun { scenario, session: saved.session, campaign };
    match saved.log.as_deref().map(SessionLog::open_append) {
        Some(Ok((log, _))) => {
            let path = saved.log.clone().unwrap_or_default();
            flow.commands.insert_resource(SoloLog { log, path, exports: None });
        }
        Some(Err(e)) => warn!("the session log cannot be continued: {e}"),
        None => {}
    }
    if let Err(e) = run.session.current_beat(&run.scenario) {
        let body = format!("The scenario was edited since you saved: {e}. You can restart it from the beginning.");
        flow.commands.insert_resource(run);
        show_notice(flow, "Your place in the story is gone", &body, true);
        return;
    }
    let over = run.session.is_over();
    flow.commands.insert_resource(run);
    flow.next.set(if over { Screen::Debrief } else { Screen::Play });
}

/// Decisions are numbered across a whole session, campaign stages included.
fn solo_decision_number(run: &ActiveRun) -> u32 {
    let earlier: u32 = run.campaign.as_ref().map_or(0, |(_, c)| c.decisions_before());
    earlier + run.session.transcript.len() as u32
}
