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
    let saved = saved_runs(&dir, &library);
    let campaign = library.campaign().map(|c| c.title.clone());
    let warnings = warnings.0.clone();
    let theme = theme.clone();
    commands.spawn((
        crate::game::widgets::screen_root(Screen::Title),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            // Wordmark on the left, the motif (steps, a gap, a leap) on the right.
            let mut top = p.spawn(Node {
                flex_direction: FlexDirection::Row,
                justify_content: JustifyContent::SpaceBetween,
                align_items: AlignItems::FlexStart,
                width: percent(100),
                ..default()
            });
            top.with_children(|top| {
                top.spawn(Node { flex_direction: FlexDirection::Column, row_gap: px(12), ..default() }).with_children(
                    |p| {
                        p.spawn(Node { height: px(16), ..default() });
                        p.spawn(wordmark(&theme));
                        p.spawn(text(
                            "From middle manager to senior leader, one decision at a time.",
                            BODY_SIZE + 2.0,
                            palette.dim,
                        ));
                        p.spawn(Node { height: px(12), ..default() });
                        let mut menu = p.spawn(Node {
                            flex_direction: FlexDirection::Column,
                            row_gap: px(12),
                            width: px(560),
                            ..default()
                        });
                        menu.with_children(|menu| {
                            // Continue keeps its place when there is nothing to continue, so the menu does
                            // not move under the pointer.
                            // One button per saved run (the campaign and each scenario keep their
                            // own). With none, Continue keeps its place, so the menu does not
                            // move under the pointer.
                            if saved.is_empty() {
                                menu.spawn((
                                    button_node(),
                                    BackgroundColor(palette.panel),
                                    children![(
                                        text("Continue: no run in progress", BODY_SIZE, palette.dim),
                                        TextLayout::no_wrap()
                                    )],
                                ));
                                menu.spawn((
                                    button("Play a scenario", Intent::Open(Screen::Select), &theme),
                                    AutoFocus,
                                ));
                            } else {
                                for (i, (label, path)) in saved.into_iter().enumerate() {
                                    let mut continue_run = menu.spawn(button(label, Intent::ContinueRun(path), &theme));
                                    if i == 0 {
                                        continue_run.insert(AutoFocus);
                                    }
                                }
                                menu.spawn(button("Play a scenario", Intent::Open(Screen::Select), &theme));
                            }
                            if let Some(title) = campaign {
                                menu.spawn(button(format!("Campaign: {title}"), Intent::StartCampaign, &theme));
                            }
                            menu.spawn(button(
                                "Workshop mode (for a room)",
                                Intent::Open(Screen::WorkshopSetup),
                                &theme,
                            ));
                            menu.spawn(button("Settings", Intent::Open(Screen::Settings), &theme));
                            menu.spawn(button("Quit", Intent::Quit, &theme));
                        });
                    },
                );
                top.spawn(motif(&theme));
            });
            for warning in warnings {
                p.spawn(text(warning, BODY_SIZE, palette.bad));
            }
            p.spawn(Node { flex_grow: 1.0, ..default() });
            p.spawn(small("Arrow keys or Tab to move, Enter to choose, Esc to go back. Mouse works too.", &theme));
        })),
    ));
}

/// "THE" small and spaced over a large "LEAP", underlined by three strokes in the meter colours.
fn wordmark(theme: &Theme) -> impl Bundle {
    let palette = theme.palette;
    let stroke = |colour: Color, width: f32| {
        (
            Node { width: px(width), height: px(6), border_radius: BorderRadius::all(px(3)), ..default() },
            BackgroundColor(colour),
        )
    };
    (
        Node { flex_direction: FlexDirection::Column, row_gap: px(2), ..default() },
        AccessibleLabel::new("The Leap"),
        children![
            bold_text("T H E", BODY_SIZE, palette.focus, theme),
            bold_text("LEAP", TITLE_SIZE * 2.2, palette.text, theme),
            (
                Node { flex_direction: FlexDirection::Row, column_gap: px(8), ..default() },
                children![
                    stroke(palette.meters[0], 70.0),
                    stroke(palette.meters[1], 46.0),
                    stroke(palette.meters[2], 28.0)
                ],
            ),
        ],
    )
}

/// The motif: five rising steps (a career climbed one decision at a time), a gap, a higher
/// ledge, and a dotted arc with a disc in mid-air: the leap. Drawn with plain boxes.
fn motif(theme: &Theme) -> impl Bundle {
    let palette = theme.palette;
    let block = |left: f32, height: f32, colour: Color| {
        (
            Node {
                position_type: PositionType::Absolute,
                left: px(left),
                bottom: px(0),
                width: px(44),
                height: px(height),
                border_radius: BorderRadius::top(px(6)),
                ..default()
            },
            BackgroundColor(colour),
        )
    };
    let dot = |left: f32, bottom: f32, size: f32, colour: Color| {
        (
            Node {
                position_type: PositionType::Absolute,
                left: px(left),
                bottom: px(bottom),
                width: px(size),
                height: px(size),
                border_radius: BorderRadius::all(percent(50)),
                ..default()
            },
            BackgroundColor(colour),
        )
    };
    let step = palette.raised.lighter(0.05);
    (
        Node { width: px(440), height: px(300), flex_shrink: 0.0, ..default() },
        Children::spawn(SpawnWith(move |m: &mut ChildSpawner| {
            for (i, height) in [40.0, 70.0, 100.0, 130.0, 160.0].into_iter().enumerate() {
                m.spawn(block(i as f32 * 50.0, height, step));
            }
            m.spawn((
                Node {
                    position_type: PositionType::Absolute,
                    left: px(340),
                    bottom: px(0),
                    width: px(100),
                    height: px(220),
                    border_radius: BorderRadius::top(px(6)),
                    ..default()
                },
                BackgroundColor(palette.panel.lighter(0.08)),
            ));
            for (left, bottom) in [(246.0, 178.0), (268.0, 210.0), (292.0, 234.0), (318.0, 246.0)] {
                m.spawn(dot(left, bottom, 7.0, palette.dim));
            }
            m.spawn(dot(336.0, 250.0, 26.0, palette.focus));
        })),
    )
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
    format!("Continue: {campaign}{title}, after {}", crate::game::wording::count(n, "decision"))
}
