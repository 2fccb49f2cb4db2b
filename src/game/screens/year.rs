//! The campaign as a year: before the first scenario an introduction, and before each one a
//! map of the eight with where you are, and the reputation you carry in and what it means.

use bevy::prelude::*;
use bevy_input_focus::AutoFocus;

use crate::engine::Meters;
use crate::game::intent::Intent;
use crate::game::library::Library;
use crate::game::meters_hud::meters_panel;
use crate::game::rebuild::add_screen;
use crate::game::run::ActiveRun;
use crate::game::screen::Screen;
use crate::game::theme::{BODY_SIZE, SMALL_SIZE, Theme};
use crate::game::widgets::{bold_text, button, heading, panel, row, small, text};
use crate::scenario::Meter;

pub(super) fn plugin(app: &mut App) {
    add_screen(app, Screen::Year, spawn_year);
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The month a stage falls in, spreading the stages over the year.
pub fn month(stage: usize, stages: usize) -> &'static str {
    MONTHS[(stage * 12 / stages.max(1)).min(11)]
}

/// What a carried meter says about you, in a sentence.
pub fn reputation(meter: Meter, value: i32) -> String {
    let words = match (meter, value) {
        (Meter::Trust, v) if v >= 65 => "people give you the benefit of the doubt",
        (Meter::Trust, v) if v <= 35 => "people check your promises before they count on them",
        (Meter::Trust, _) => "people trust you, with some reservations",
        (Meter::StrategicImpact, v) if v >= 65 => "the leadership team sees you moving the business",
        (Meter::StrategicImpact, v) if v <= 35 => "you are seen as busy rather than as shaping things",
        (Meter::StrategicImpact, _) => "your work counts, but is not yet seen as strategic",
        (Meter::TeamEngagement, v) if v >= 65 => "your teams lean in and bring you problems early",
        (Meter::TeamEngagement, v) if v <= 35 => "your teams do what is asked and little more",
        (Meter::TeamEngagement, _) => "your teams are with you, mostly",
    };
    format!("{} {value}: {words}.", meter.label())
}

struct Stop {
    month: &'static str,
    title: String,
    status: String,
    now: bool,
    done: bool,
}

fn spawn_year(
    mut commands: Commands,
    theme: Res<Theme>,
    run: Option<Res<ActiveRun>>,
    library: Res<Library>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some((campaign, campaign_run)) = run.as_ref().and_then(|r| r.campaign.clone()) else {
        next.set(Screen::Title);
        return;
    };
    let run = run.expect("checked above");
    let stage = campaign_run.results.len();
    let stages = campaign.scenarios.len();
    let stops: Vec<Stop> = campaign
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, id)| Stop {
            month: month(i, stages),
            title: library.scenario(id).map_or(id.clone(), |s| s.title.clone()),
            status: match campaign_run.results.get(i) {
                Some(result) => result.verdict.label().to_string(),
                None if i == stage => "now".into(),
                None => String::new(),
            },
            now: i == stage,
            done: i < stage,
        })
        .collect();
    let started: Meters = campaign.start_meters.into();
    let carried = run.session.meters;
    let first = stage == 0;
    let title = run.scenario.title.clone();
    let summary = run.scenario.summary.clone();
    let intro = campaign.summary.clone();
    let heading_text = if first {
        format!("{}: your year", campaign.title)
    } else {
        format!("{}, scenario {} of {stages}", month(stage, stages), stage + 1)
    };
    let theme = theme.clone();
    let palette = theme.palette;
    commands.spawn((
        crate::game::widgets::screen_root(Screen::Year),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(heading(heading_text, &theme));
            if first {
                p.spawn(panel(&theme)).with_children(|card| {
                    card.spawn(text(intro, BODY_SIZE, palette.text));
                    card.spawn(text(
                        format!(
                            "{stages} situations across twelve months. Your meters go with you from one to the next, \
                             and in December a promotion panel reads the whole year."
                        ),
                        BODY_SIZE - 1.0,
                        palette.dim,
                    ));
                });
            }
            // The map: one stop per scenario, the one ahead lit.
            p.spawn(Node { flex_direction: FlexDirection::Row, column_gap: px(8), width: percent(100), ..default() })
                .with_children(|map| {
                    for stop in stops {
                        let (fill, border, colour) = match (stop.now, stop.done) {
                            (true, _) => (palette.raised, palette.focus, palette.text),
                            (false, true) => (palette.panel, palette.raised, palette.text),
                            (false, false) => (palette.background, palette.panel, palette.dim),
                        };
                        map.spawn((
                            Node {
                                flex_direction: FlexDirection::Column,
                                flex_grow: 1.0,
                                flex_basis: px(0),
                                padding: UiRect::all(px(8)),
                                row_gap: px(4),
                                border: UiRect::all(px(if stop.now { 3.0 } else { 1.0 })),
                                border_radius: BorderRadius::all(px(8)),
                                ..default()
                            },
                            BackgroundColor(fill),
                            BorderColor::all(border),
                        ))
                        .with_children(|card| {
                            card.spawn(bold_text(stop.month, SMALL_SIZE, palette.focus, &theme));
                            card.spawn(text(stop.title, SMALL_SIZE - 2.0, colour));
                            card.spawn(text(stop.status, SMALL_SIZE - 3.0, palette.dim));
                        });
                    }
                });
            if !first {
                p.spawn(bold_text("The reputation you carry in", BODY_SIZE, palette.text, &theme));
                p.spawn(meters_panel(&started, &carried, &theme));
                p.spawn(panel(&theme)).with_children(|card| {
                    for meter in Meter::ALL {
                        card.spawn(text(reputation(meter, carried.get(meter)), BODY_SIZE - 2.0, palette.text));
                    }
                });
            }
            p.spawn(panel(&theme)).with_children(|card| {
                card.spawn(bold_text(format!("Next: {title}"), BODY_SIZE + 2.0, palette.focus, &theme));
                card.spawn(text(summary, BODY_SIZE - 1.0, palette.text));
            });
            p.spawn(row(12.0)).with_children(|buttons| {
                buttons.spawn((button(format!("Begin: {title}"), Intent::Open(Screen::Play), &theme), AutoFocus));
                buttons.spawn(button("Title", Intent::Open(Screen::Title), &theme));
            });
            p.spawn(Node { flex_grow: 1.0, ..default() });
            p.spawn(small("Your progress is saved; Esc returns to the title.", &theme));
        })),
    ));
}
