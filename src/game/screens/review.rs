//! The campaign's promotion review: the three meters and the lessons met, read by the
//! campaign file's rules, explained in the articles' terms.

use bevy::prelude::*;

use crate::export::chart::Sample;
use crate::game::chart;
use crate::game::intent::Intent;
use crate::game::navigation::StartFocus;
use crate::game::run::FinishedCampaign;
use crate::game::screen::Screen;
use crate::game::theme::{BODY_SIZE, SMALL_SIZE, Theme, bold_text, button, heading, panel, row, text};
use crate::scenario::Meter;
use crate::scenario::lessons::LESSONS;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Review), spawn_review);
}

fn spawn_review(
    mut commands: Commands,
    theme: Res<Theme>,
    finished: Option<Res<FinishedCampaign>>,
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
    let stages: Vec<String> =
        finished.run.results.iter().map(|r| format!("{}: {} ({})", r.scenario, r.ending, r.verdict.label())).collect();
    let mut samples = vec![Sample::new("Start", finished.campaign.start_meters.into())];
    samples
        .extend(finished.run.results.iter().enumerate().map(|(i, r)| Sample::new((i + 1).to_string(), r.meters_after)));
    let theme = theme.clone();
    let palette = theme.palette;
    commands.spawn((
        crate::game::theme::screen_root(Screen::Review),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
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
                card.spawn(bold_text("Your scenarios", BODY_SIZE, palette.text, &theme));
                for line in stages {
                    card.spawn(text(line, SMALL_SIZE, palette.text));
                }
            });
            p.spawn(row(0.0)).with_children(|r| {
                r.spawn((button("Back to title", Intent::Open(Screen::Title), &theme), StartFocus));
            });
        })),
    ));
}
