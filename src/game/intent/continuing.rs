//! Continue: the saved run read back and reconciled with its session log, which is the record
//! of what was decided (a crash between the log line and the save leaves the log ahead).

use std::time::SystemTime;

use bevy::prelude::*;

use super::{Flow, SoloLog, export_solo, save, set_aside_message, show_notice};
use crate::game::run::ActiveRun;
use crate::game::save::{ReadOutcome, SaveFile, read_or_set_aside, remove_save};
use crate::game::screen::Screen;
use crate::record::{LoggedEnd, SessionLog};

/// Continues the run saved at `path`, or the newest saved run.
pub(super) fn continue_saved(flow: &mut Flow, path: Option<std::path::PathBuf>) {
    let Some(path) = path.or_else(|| flow.dir.saved_runs().into_iter().next()) else {
        show_notice(flow, "Nothing to continue", "There is no saved game.", false);
        return;
    };
    let saved = match read_or_set_aside::<SaveFile>(&path) {
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
    let mut run = ActiveRun { scenario, session: saved.session, campaign };
    flow.problem.0 = None;
    flow.commands.remove_resource::<SoloLog>();
    match saved.log.as_deref().map(SessionLog::open_append) {
        Some(Ok((log, recorded))) => {
            let path = saved.log.clone().unwrap_or_default();
            let mut solo = SoloLog { log, path, exports: None, unwritten: Vec::new() };
            match reconcile_with_log(flow, &mut run, &mut solo, &recorded) {
                Ok(()) => flow.commands.insert_resource(solo),
                Err(why) => flow.problem.report("This run is not being recorded any more", why),
            }
        }
        Some(Err(e)) => flow.problem.report("This run is not being recorded: its session log cannot be continued", e),
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

/// The log is the record of what was decided; the save is written just after it. A crash
/// between the two leaves the log ahead, and then the run is rebuilt from the log (so the next
/// decision gets the next number). A log behind the save (a write that failed) cannot be
/// appended to without a gap, so recording stops for this run, and says why.
fn reconcile_with_log(
    flow: &mut Flow,
    run: &mut ActiveRun,
    solo: &mut SoloLog,
    recorded: &crate::record::RecordedSession,
) -> Result<(), String> {
    let (logged, saved) = (recorded.decisions.len() as u32, decisions_saved(run));
    if logged < saved {
        return Err(format!(
            "its session log {} holds {logged} decisions but your save {saved}; the game goes on from the save",
            solo.path.display()
        ));
    }
    if logged == saved {
        return Ok(());
    }
    let rebuilt = crate::record::rebuild_run(recorded, flow.library.campaign(), |id| flow.library.scenario(id))
        .map_err(|e| format!("its session log is ahead of your save and cannot be replayed: {e}"))?;
    let campaign = match (rebuilt.campaign, flow.library.campaign()) {
        (Some(campaign_run), Some(campaign)) => Some((campaign.clone(), campaign_run)),
        _ => None,
    };
    *run = ActiveRun { scenario: rebuilt.scenario.clone(), session: rebuilt.session, campaign };
    // Stopped between a last decision and its ending line: the ending is written now.
    if recorded.end_of(&run.scenario.id).is_none()
        && let Some(end) = LoggedEnd::from_session(&run.scenario, &run.session, SystemTime::now())
    {
        solo.log.append_end(&end).map_err(|e| e.to_string())?;
    }
    if run.session.is_over() && run.campaign.is_none() {
        export_solo(solo, &run.scenario.clone(), &mut flow.problem);
        remove_save(&flow.dir, None, &run.scenario.id);
    } else {
        save(&flow.dir, run, Some(&solo.path), &mut flow.problem);
    }
    Ok(())
}

/// How many decisions of the session a save holds, finished campaign stages included.
fn decisions_saved(run: &ActiveRun) -> u32 {
    let Some((_, campaign_run)) = &run.campaign else { return run.session.transcript.len() as u32 };
    let stage_finished =
        run.session.is_over() && campaign_run.results.last().is_some_and(|r| r.scenario == run.session.scenario_id);
    let current = if stage_finished { 0 } else { run.session.transcript.len() as u32 };
    campaign_run.decisions_before() + current
}
