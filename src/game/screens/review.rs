//! The campaign's promotion review: the three meters and the lessons met, read by the
//! campaign file's rules, explained in the articles' terms.

use bevy::prelude::*;

use crate::export::chart::Sample;
use crate::game::chart;
use crate::game::intent::Intent;
use crate::game::rebuild::add_screen;
use crate::game::run::FinishedCampaign;
use crate::game::screen::Screen;
use crate::game::theme::{BODY_SIZE, SMALL_SIZE, Theme};
use crate::game::widgets::{bold_text, button, heading, panel, row, text};
use crate::scenario::Meter;
use crate::scenario::lessons::LESSONS;
use bevy_input_focus::AutoFocus;

pub(super) fn plugin(app: &mut App) {
    add_screen(app, Screen::Review, spawn_review);
}

fn spawn_review(
    mut commands: Commands,
    theme: Res<Theme>,
    finished: Option<Res<FinishedCampaign>>,
    library: Res<crate::game::library::Library>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(finished) = finished else {
        next.set(Screen::Title);
        return;
    };
    let Some(outcome) = finished.run.review(&finished.campaign).cloned() else {
        next.set(Screen::Title);
        return;
    };
    let meters = finished.run.meters;
    let met = finished.run.lessons_met.len();
    let count = finished.run.results.len();
    let stages: Vec<String> = finished
        .run
        .results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let title = library.scenario(&r.scenario).map_or(r.scenario.clone(), |s| s.title.clone());
            format!("{} · {title}: {} ({})", super::year::month(i, count), r.ending, r.verdict.label())
        })
        .collect();
    // Each meter across the year, stage by stage, from where the campaign started.
    let start: crate::engine::Meters = finished.campaign.start_meters.into();
    let across: Vec<String> = Meter::ALL
        .iter()
        .map(|&m| {
            let values: Vec<String> = std::iter::once(start.get(m))
                .chain(finished.run.results.iter().map(|r| r.meters_after.get(m)))
                .map(|v| v.to_string())
                .collect();
            format!("{}: {}", m.label(), values.join(" → "))
        })
        .collect();
    let mut samples = vec![Sample::new("Start", finished.campaign.start_meters.into())];
    samples
        .extend(finished.run.results.iter().enumerate().map(|(i, r)| Sample::new((i + 1).to_string(), r.meters_after)));
    let theme = theme.clone();
    let palette = theme.palette;
    commands.spawn((
        crate::game::widgets::screen_root(Screen::Review),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(crate::game::widgets::scene_header("December · the promotion panel".into(), &theme));
            p.spawn(heading("Your promotion review", &theme));
            p.spawn(panel(&theme)).with_children(|card| {
                card.spawn(bold_text(
                    format!("{} ({})", outcome.title, outcome.verdict.label()),
                    BODY_SIZE + 4.0,
                    palette.focus,
                    &theme,
                ));
                card.spawn(text(outcome.text.clone(), BODY_SIZE, palette.text));
            });
            p.spawn(row(28.0)).with_children(|r| {
                for meter in Meter::ALL {
                    r.spawn(bold_text(
                        format!("{} {}", meter.label(), meters.get(meter)),
                        BODY_SIZE,
                        palette.meter(meter),
                        &theme,
                    ));
                }
                r.spawn(bold_text(format!("Lessons met: {met} of {}", LESSONS.len()), BODY_SIZE, palette.text, &theme));
            });
            p.spawn(chart::meter_chart(&samples, &[], 1000.0, 240.0, SMALL_SIZE, palette, "stage"));
            p.spawn(chart::legend(SMALL_SIZE, palette));
            p.spawn(panel(&theme)).with_children(|card| {
                card.spawn(bold_text("Your meters across the year", BODY_SIZE, palette.text, &theme));
                for line in across {
                    card.spawn(text(line, SMALL_SIZE, palette.text));
                }
            });
            p.spawn(panel(&theme)).with_children(|card| {
                card.spawn(bold_text("Your year, scenario by scenario", BODY_SIZE, palette.text, &theme));
                for line in stages {
                    card.spawn(text(line, SMALL_SIZE, palette.text));
                }
            });
            p.spawn(row(0.0)).with_children(|r| {
                r.spawn((button("Back to title", Intent::Open(Screen::Title), &theme), AutoFocus));
            });
        })),
    ));
}
