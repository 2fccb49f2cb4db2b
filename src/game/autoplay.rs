//! A scripted playthrough in the real window, for the end-to-end test:
//! `leap --autoplay SCENARIO --seed N --choices 1,2,1 --screenshot-dir DIR`.
//! It plays through intents like a player would, saves screenshots of the play screen, the
//! first consequence and the debrief, writes a summary, and exits.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::window::RequestRedraw;
use bevy::winit::{UpdateMode, WinitSettings};

use super::intent::Intent;
use super::library::Library;
use super::run::ActiveRun;
use super::screen::{Notice, Screen};

#[derive(Resource, Debug, Clone, Default)]
pub struct AutoplayPlan {
    pub scenario: String,
    pub seed: u64,
    /// 1-based positions among the visible choices, one per decision; 1 once they run out.
    pub choices: Vec<usize>,
    pub screenshot_dir: Option<PathBuf>,
}

#[derive(Resource, Default)]
struct Progress {
    started: bool,
    frames_on_screen: u32,
    total_frames: u32,
    decisions: usize,
    shots_taken: Vec<&'static str>,
    shots_pending: u32,
    finished: bool,
}

/// Frames to wait on a screen before acting: the first frames after a change are blank.
const SETTLE_FRAMES: u32 = 6;
const GIVE_UP_FRAMES: u32 = 20_000;

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(WinitSettings { focused_mode: UpdateMode::Continuous, unfocused_mode: UpdateMode::Continuous })
        .init_resource::<Progress>()
        .add_systems(OnEnter(Screen::Play), reset_frames)
        .add_systems(OnEnter(Screen::Consequence), reset_frames)
        .add_systems(OnEnter(Screen::Debrief), reset_frames)
        .add_systems(Update, drive.in_set(super::schedule::GameSystems::Input));
}

fn reset_frames(mut progress: ResMut<Progress>) {
    progress.frames_on_screen = 0;
}

fn drive(
    mut commands: Commands,
    plan: Res<AutoplayPlan>,
    mut progress: ResMut<Progress>,
    library: Res<Library>,
    screen: Res<State<Screen>>,
    run: Option<Res<ActiveRun>>,
    notice: Res<Notice>,
    mut intents: MessageWriter<Intent>,
    mut exit: MessageWriter<AppExit>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    redraw.write(RequestRedraw);
    progress.frames_on_screen += 1;
    progress.total_frames += 1;
    if progress.total_frames > GIVE_UP_FRAMES {
        error!("autoplay gave up on screen {:?}", screen.get());
        exit.write(AppExit::error());
        return;
    }
    if progress.shots_pending > 0 || progress.frames_on_screen < SETTLE_FRAMES || progress.finished {
        return;
    }
    match screen.get() {
        Screen::Title if library.ready && !progress.started => {
            if library.scenario(&plan.scenario).is_none() {
                error!("autoplay: no playable scenario `{}`", plan.scenario);
                exit.write(AppExit::error());
                return;
            }
            progress.started = true;
            intents.write(Intent::StartScenario { id: plan.scenario.clone(), seed: Some(plan.seed) });
        }
        Screen::Play => {
            if shoot(&mut commands, &plan, &mut progress, "play") {
                return;
            }
            let Some(run) = run else { return };
            let visible = run.session.visible_choices(&run.scenario);
            let wanted = plan.choices.get(progress.decisions).copied().unwrap_or(1);
            let choice = visible
                .get(wanted.saturating_sub(1))
                .filter(|v| v.available())
                .or_else(|| visible.iter().find(|v| v.available()))
                .map(|v| v.choice.id.clone());
            if let Some(id) = choice {
                progress.decisions += 1;
                progress.frames_on_screen = 0;
                intents.write(Intent::Choose(id));
            }
        }
        Screen::Consequence => {
            if shoot(&mut commands, &plan, &mut progress, "consequence") {
                return;
            }
            progress.frames_on_screen = 0;
            intents.write(Intent::Proceed);
        }
        Screen::Debrief => {
            if shoot(&mut commands, &plan, &mut progress, "debrief") {
                return;
            }
            if let (Some(run), Some(dir)) = (run, &plan.screenshot_dir) {
                let summary = serde_json::json!({
                    "scenario": run.session.scenario_id,
                    "seed": run.session.seed,
                    "ending": run.session.ending(&run.scenario).map(|e| e.id.clone()),
                    "decisions": run.session.transcript.len(),
                    "meters": run.session.meters,
                    "screenshots": progress.shots_taken,
                });
                let _ = std::fs::write(dir.join("autoplay-summary.json"), summary.to_string());
            }
            progress.finished = true;
            info!("autoplay reached the debrief");
            exit.write(AppExit::Success);
        }
        Screen::Notice => {
            error!("autoplay stopped at a notice: {}: {}", notice.title, notice.body);
            exit.write(AppExit::error());
        }
        _ => {}
    }
}

/// Takes the named screenshot once; returns true while it is being taken.
fn shoot(commands: &mut Commands, plan: &AutoplayPlan, progress: &mut Progress, name: &'static str) -> bool {
    let Some(dir) = &plan.screenshot_dir else { return false };
    if progress.shots_taken.contains(&name) {
        return false;
    }
    let _ = std::fs::create_dir_all(dir);
    progress.shots_taken.push(name);
    progress.shots_pending += 1;
    commands.spawn(Screenshot::primary_window()).observe(save_to_disk(dir.join(format!("{name}.png")))).observe(
        |_: On<ScreenshotCaptured>, mut progress: ResMut<Progress>| {
            progress.shots_pending = progress.shots_pending.saturating_sub(1);
            progress.frames_on_screen = 0;
        },
    );
    true
}
