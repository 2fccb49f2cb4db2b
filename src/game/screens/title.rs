//! The title screen: continue, play a scenario, campaign, settings, quit.

use bevy::prelude::*;

use crate::game::intent::Intent;
use crate::game::library::Library;
use crate::game::navigation::StartFocus;
use crate::game::save::{DataDir, SaveFile};
use crate::game::screen::{Screen, StartupWarnings};
use crate::game::theme::{BODY_SIZE, TITLE_SIZE, Theme, bold_text, button, small, text};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Title), spawn_title);
}

fn spawn_title(
    mut commands: Commands,
    theme: Res<Theme>,
    library: Res<Library>,
    dir: Res<DataDir>,
    warnings: Res<StartupWarnings>,
) {
    let palette = theme.palette;
    let saved = saved_runs(&dir, &library);
    let campaign = library.campaign().map(|c| c.title.clone());
    let warnings = warnings.0.clone();
    let theme = theme.clone();
    commands.spawn((
        crate::game::theme::screen_root(Screen::Title),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(Node { height: px(40), ..default() });
            p.spawn(bold_text("The Leap", TITLE_SIZE + 16.0, palette.text, &theme));
            p.spawn(text(
                "From middle manager to senior leader, one decision at a time.",
                BODY_SIZE + 2.0,
                palette.dim,
            ));
            p.spawn(Node { height: px(24), ..default() });
            let mut menu =
                p.spawn(Node { flex_direction: FlexDirection::Column, row_gap: px(12), width: px(560), ..default() });
            menu.with_children(|menu| {
                // One button per saved run: the campaign and each scenario keep their own.
                for (i, (label, path)) in saved.into_iter().enumerate() {
                    let mut continue_run = menu.spawn(button(label, Intent::ContinueRun(path), &theme));
                    if i == 0 {
                        continue_run.insert(StartFocus);
                    }
                }
                menu.spawn(button("Play a scenario", Intent::Open(Screen::Select), &theme));
                if let Some(title) = campaign {
                    menu.spawn(button(format!("Campaign: {title}"), Intent::StartCampaign, &theme));
                }
                menu.spawn(button("Workshop mode (for a room)", Intent::Open(Screen::WorkshopSetup), &theme));
                menu.spawn(button("Settings", Intent::Open(Screen::Settings), &theme));
                menu.spawn(button("Quit", Intent::Quit, &theme));
            });
            for warning in warnings {
                p.spawn(text(warning, BODY_SIZE, palette.bad));
            }
            p.spawn(Node { flex_grow: 1.0, ..default() });
            p.spawn(small("Arrow keys or Tab to move, Enter to choose, Esc to go back. Mouse works too.", &theme));
        })),
    ));
}

/// "Continue: The Slipping Analyst, after 3 decisions" for each saved run, newest first.
fn saved_runs(dir: &DataDir, library: &Library) -> Vec<(String, std::path::PathBuf)> {
    dir.saved_runs().into_iter().map(|path| (saved_label(&path, library), path)).collect()
}

fn saved_label(path: &std::path::Path, library: &Library) -> String {
    let Some(save) = std::fs::read(path).ok().and_then(|b| serde_json::from_slice::<SaveFile>(&b).ok()) else {
        return "Continue (the saved game looks damaged)".into();
    };
    let title =
        library.scenario(&save.session.scenario_id).map_or(save.session.scenario_id.clone(), |s| s.title.clone());
    let n = save.session.transcript.len();
    let campaign = match (&save.campaign, library.campaign()) {
        (Some(run), Some(c)) if c.id == run.campaign_id => format!("{} (campaign), ", c.title),
        (Some(run), _) => format!("{} (campaign), ", run.campaign_id),
        (None, _) => String::new(),
    };
    format!("Continue: {campaign}{title}, after {n} decision{}", if n == 1 { "" } else { "s" })
}
