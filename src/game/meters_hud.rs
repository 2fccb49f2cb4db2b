//! The three meters as labelled bars of equal width with their number, never colour alone.
//! A change animates (slowly enough to follow) from the old value, which stays as a ghost
//! until the bar arrives, and shows its signed amount. Thin marks show where a rule ending
//! waits (say, trust at 10 or below).

use bevy::prelude::*;
use bevy::window::RequestRedraw;

use super::schedule::GameSystems;
use super::settings::Settings;
use super::theme::{SMALL_SIZE, Theme};
use super::wording::{meter_spoken, meter_value};
use crate::engine::Meters;
use crate::scenario::{Condition, Meter, Scenario};

/// One meter's bar: what it shows now and what it is moving to.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct MeterBar {
    pub meter: Meter,
    pub shown: f32,
    pub target: i32,
    pub delta: i32,
    /// Meter points per second, so that any change takes about the same time to watch.
    pub speed: f32,
}

/// The old value, shown while the bar moves away from it.
#[derive(Component, Debug, Clone, Copy)]
struct MeterGhost(Entity);

#[derive(Component, Debug, Clone, Copy)]
struct MeterFill(Entity);

#[derive(Component, Debug, Clone, Copy)]
struct MeterValue(Entity);

/// Seconds a change takes to animate, and the slowest it ever moves (points per second).
const CHANGE_SECONDS: f32 = 1.2;
const SLOWEST: f32 = 6.0;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, animate_meters.in_set(GameSystems::Present));
}

/// The meter panel: bars start at `from` and move to `to`.
pub fn meters_panel(from: &Meters, to: &Meters, theme: &Theme) -> impl Bundle {
    bars_with_marks(from, to, Default::default(), theme)
}

/// The meter values at which one of the scenario's rule endings waits, per meter.
fn thresholds(scenario: &Scenario) -> [Vec<i32>; 3] {
    let mut marks: [Vec<i32>; 3] = Default::default();
    let mut add = |condition: &Condition| {
        if let Condition::MeterAtMost(m, v) | Condition::MeterAtLeast(m, v) = condition {
            marks[Meter::ALL.iter().position(|x| x == m).unwrap_or(0)].push(*v);
        }
    };
    for ending in &scenario.endings {
        match &ending.when {
            Some(Condition::All(all)) | Some(Condition::Any(all)) => all.iter().for_each(&mut add),
            Some(condition) => add(condition),
            None => {}
        }
    }
    marks
}

/// The meter panel with the scenario's rule-ending thresholds marked on each bar.
pub fn meters_panel_marked(from: &Meters, to: &Meters, scenario: &Scenario, theme: &Theme) -> impl Bundle {
    bars_with_marks(from, to, thresholds(scenario), theme)
}

fn bars_with_marks(from: &Meters, to: &Meters, marks: [Vec<i32>; 3], theme: &Theme) -> impl Bundle {
    let palette = theme.palette;
    let bars: Vec<(Meter, i32, i32)> = Meter::ALL.iter().map(|&m| (m, from.get(m), to.get(m))).collect();
    let bold = theme.bold.clone();
    (
        Node { flex_direction: FlexDirection::Row, column_gap: px(28), width: percent(100), ..default() },
        Children::spawn(SpawnWith(move |parent: &mut ChildSpawner| {
            for ((meter, from, to), marks) in bars.into_iter().zip(marks) {
                let speed = ((to - from).abs() as f32 / CHANGE_SECONDS).max(SLOWEST);
                let mut bar = parent.spawn((
                    MeterBar { meter, shown: from as f32, target: to, delta: to - from, speed },
                    AccessibleLabel::new(meter_spoken(meter, to, to - from)),
                    // Equal widths whatever the labels, so bars never move between screens.
                    Node {
                        flex_direction: FlexDirection::Column,
                        flex_grow: 1.0,
                        flex_basis: px(0),
                        row_gap: px(6),
                        ..default()
                    },
                ));
                let id = bar.id();
                let bold = bold.clone();
                bar.with_children(|bar| {
                    bar.spawn((
                        Text::new(meter_value(meter, from, to - from)),
                        TextFont { font: bold.into(), font_size: FontSize::Px(SMALL_SIZE + 1.0), ..default() },
                        // The signed number says it; the colour only repeats it.
                        TextColor(if to == from { palette.text } else { palette.change(to - from) }),
                        MeterValue(id),
                    ));
                    bar.spawn((
                        Node {
                            width: percent(100),
                            height: px(16),
                            border_radius: BorderRadius::all(px(8)),
                            overflow: Overflow::clip(),
                            ..default()
                        },
                        BackgroundColor(palette.raised),
                    ))
                    .with_children(|track| {
                        let layer = |left: f32, width: f32| Node {
                            position_type: PositionType::Absolute,
                            left: percent(left),
                            width: percent(width),
                            top: px(0),
                            bottom: px(0),
                            ..default()
                        };
                        track.spawn((
                            MeterGhost(id),
                            layer(0.0, from as f32),
                            BackgroundColor(palette.meter(meter).with_alpha(0.35)),
                        ));
                        track.spawn((MeterFill(id), layer(0.0, from as f32), BackgroundColor(palette.meter(meter))));
                        for mark in marks {
                            let at = (mark as f32).clamp(0.0, 99.0);
                            track.spawn((Node { width: px(3), ..layer(at, 0.0) }, BackgroundColor(palette.bad)));
                        }
                    });
                });
            }
        })),
    )
}

fn animate_meters(
    time: Res<Time>,
    settings: Option<Res<Settings>>,
    mut bars: Query<&mut MeterBar>,
    mut fills: Query<(&MeterFill, &mut Node), Without<MeterGhost>>,
    mut ghosts: Query<(&MeterGhost, &mut Node), Without<MeterFill>>,
    mut values: Query<(&MeterValue, &mut Text)>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let instant = settings.is_some_and(|s| s.reduced_motion);
    let mut moving = false;
    for mut bar in &mut bars {
        let target = bar.target as f32;
        if bar.shown == target {
            continue;
        }
        let step = bar.speed * time.delta_secs().min(0.1);
        let gap = target - bar.shown;
        bar.shown = if instant || gap.abs() <= step { target } else { bar.shown + step * gap.signum() };
        moving |= bar.shown != target;
    }
    for (fill, mut node) in &mut fills {
        if let Ok(bar) = bars.get(fill.0) {
            node.width = percent(bar.shown);
        }
    }
    for (ghost, mut node) in &mut ghosts {
        if let Ok(bar) = bars.get(ghost.0) {
            let display = if bar.shown == bar.target as f32 { Display::None } else { Display::Flex };
            if node.display != display {
                node.display = display;
            }
        }
    }
    for (value, mut label) in &mut values {
        if let Ok(bar) = bars.get(value.0) {
            let shown = bar.shown.round() as i32;
            let wanted = meter_value(bar.meter, shown, bar.delta);
            if label.0 != wanted {
                label.0 = wanted;
            }
        }
    }
    if moving {
        redraw.write(RequestRedraw);
    }
}
