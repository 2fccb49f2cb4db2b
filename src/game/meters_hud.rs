//! The three meters as labelled bars with their number, never colour alone. A change
//! animates from the old value to the new one and shows its signed amount.

use bevy::prelude::*;
use bevy::window::RequestRedraw;

use super::schedule::GameSystems;
use super::settings::Settings;
use super::theme::{SMALL_SIZE, Theme};
use super::wording::{meter_spoken, meter_value};
use crate::engine::Meters;
use crate::scenario::Meter;

/// One meter's bar: what it shows now and what it is moving to.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct MeterBar {
    pub meter: Meter,
    pub shown: f32,
    pub target: i32,
    pub delta: i32,
}

#[derive(Component, Debug, Clone, Copy)]
struct MeterFill(Entity);

#[derive(Component, Debug, Clone, Copy)]
struct MeterValue(Entity);

/// Meter points per second while animating.
const SPEED: f32 = 30.0;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, animate_meters.in_set(GameSystems::Present));
}

/// The meter panel: bars start at `from` and move to `to`.
pub fn meters_panel(from: &Meters, to: &Meters, theme: &Theme) -> impl Bundle {
    let palette = theme.palette;
    let bars: Vec<(Meter, i32, i32)> = Meter::ALL.iter().map(|&m| (m, from.get(m), to.get(m))).collect();
    let bold = theme.bold.clone();
    (
        Node { flex_direction: FlexDirection::Row, column_gap: px(28), width: percent(100), ..default() },
        Children::spawn(SpawnWith(move |parent: &mut ChildSpawner| {
            for (meter, from, to) in bars {
                let mut bar = parent.spawn((
                    MeterBar { meter, shown: from as f32, target: to, delta: to - from },
                    AccessibleLabel::new(meter_spoken(meter, to, to - from)),
                    Node { flex_direction: FlexDirection::Column, flex_grow: 1.0, row_gap: px(6), ..default() },
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
                        children![(
                            MeterFill(id),
                            Node { width: percent(from), height: percent(100), ..default() },
                            BackgroundColor(palette.meter(meter)),
                        )],
                    ));
                });
            }
        })),
    )
}

fn animate_meters(
    time: Res<Time>,
    settings: Option<Res<Settings>>,
    mut bars: Query<&mut MeterBar>,
    mut fills: Query<(&MeterFill, &mut Node)>,
    mut values: Query<(&MeterValue, &mut Text)>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let instant = settings.is_some_and(|s| s.reduced_motion);
    let step = SPEED * time.delta_secs().min(0.1);
    let mut moving = false;
    for mut bar in &mut bars {
        let target = bar.target as f32;
        if bar.shown == target {
            continue;
        }
        let gap = target - bar.shown;
        bar.shown = if instant || gap.abs() <= step { target } else { bar.shown + step * gap.signum() };
        moving |= bar.shown != target;
    }
    for (fill, mut node) in &mut fills {
        if let Ok(bar) = bars.get(fill.0) {
            node.width = percent(bar.shown);
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
