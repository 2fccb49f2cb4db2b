//! The title screen: continue, play a scenario, campaign, settings, quit.

use bevy::prelude::*;

use crate::game::intent::Intent;
use crate::game::library::Library;
use crate::game::rebuild::add_screen;
use crate::game::save::{DataDir, SaveFile};
use crate::game::screen::{Screen, StartupWarnings};
use crate::game::theme::{BODY_SIZE, TITLE_SIZE, Theme};
use crate::game::widgets::{bold_text, button, button_node, small, text};
use bevy_input_focus::AutoFocus;

pub(super) fn plugin(app: &mut App) {
    add_screen(app, Screen::Title, spawn_title);
}

fn spawn_title(
    mut commands: Commands,
    theme: Res<Theme>,
    library: Res<Library>,
    dir: Res<DataDir>,
    warnings: Res<StartupWarnings>,
) {
    let palette = theme.palette;
    let saved = saved_label(&dir, &library);
    let campaign = library.campaign().map(|c| c.title.clone());
    let warnings = warnings.0.clone();
    let theme = theme.clone();
    commands.spawn((
        crate::game::widgets::screen_root(Screen::Title),
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
                // Continue keeps its place when there is nothing to continue, so the menu does
                // not move under the pointer.
                match saved {
                    Some(label) => {
                        menu.spawn((button(label, Intent::ContinueSaved, &theme), AutoFocus));
                        menu.spawn(button("Play a scenario", Intent::Open(Screen::Select), &theme));
                    }
                    None => {
                        menu.spawn((
                            button_node(),
                            BackgroundColor(palette.panel),
                            children![(
                                text("Continue: no run in progress", BODY_SIZE, palette.dim),
                                TextLayout::no_wrap()
                            )],
                        ));
                        menu.spawn((button("Play a scenario", Intent::Open(Screen::Select), &theme), AutoFocus));
                    }
                }
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

/// "Continue: The Slipping Analyst, after 3 decisions", when a save exists.
fn saved_label(dir: &DataDir, library: &Library) -> Option<String> {
    let bytes = std::fs::read(dir.save_path()).ok()?;
    let Ok(save) = serde_json::from_slice::<SaveFile>(&bytes) else {
        return Some("Continue (the saved game looks damaged)".into());
    };
    let title =
        library.scenario(&save.session.scenario_id).map_or(save.session.scenario_id.clone(), |s| s.title.clone());
    let n = save.session.transcript.len();
    Some(format!("Continue: {title}, after {}", crate::game::wording::count(n, "decision")))
}
