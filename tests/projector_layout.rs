//! Every workshop screen at the projector sizes facilitators meet (1280×720, 1280×800,
//! 1920×1080), laid out with the real fonts but no renderer: nothing the room must read may
//! fall outside the window or need scrolling. Every shipped scenario is played through its
//! discussion, vote, consequence and the four debrief steps.
#![cfg(feature = "game")]

mod common;

use bevy::prelude::*;
use leap::game::{
    ActiveRun, DataDir, Library, MeterMode, Screen, WorkshopConfig, WorkshopIntent, WorkshopTarget, layout_app,
    unreadable_texts,
};

const SIZES: [(u32, u32); 3] = [(1280, 720), (1280, 800), (1920, 1080)];

/// Frames for a screen to lay out and shrink to fit (each shrink step is one rebuild): stops
/// once everything reads, or after as many frames as the smallest fit can take.
fn settle(app: &mut App) {
    for frame in 0..16 {
        app.update();
        if frame >= 2 && unreadable_texts(app.world_mut()).is_empty() {
            return;
        }
    }
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

fn check(app: &mut App, size: (u32, u32), what: &str, problems: &mut Vec<String>) {
    settle(app);
    let cut = unreadable_texts(app.world_mut());
    if !cut.is_empty() {
        problems.push(format!("{}×{} {what}: {cut:?}", size.0, size.1));
    }
}

fn press(app: &mut App, key: KeyCode) {
    common::tap_key(app, key);
}

fn intent(app: &mut App, intent: WorkshopIntent) {
    app.world_mut().write_message(intent);
    app.update();
    app.update();
}

#[test]
fn every_workshop_screen_fits_the_projector_without_scrolling() {
    let scenarios = common::root().join("scenarios");
    let ids: Vec<String> = common::shipped().files.iter().filter_map(|f| f.scenario()).map(|s| s.id.clone()).collect();
    assert!(ids.len() >= 8, "the shipped scenarios load: {ids:?}");
    let mut problems = Vec::new();
    for size in SIZES {
        // The smallest screen gets every scenario; the others the two with the most text.
        let ids: Vec<&String> = ids
            .iter()
            .filter(|id| size == SIZES[0] || ["the-shared-team", "the-slipping-analyst"].contains(&id.as_str()))
            .collect();
        let data = common::scratch_dir(&format!("projector-{}x{}", size.0, size.1));
        let mut app = layout_app(scenarios.clone(), DataDir(data), size.0, size.1);
        for _ in 0..400 {
            app.update();
            if app.world().resource::<Library>().ready {
                break;
            }
        }
        assert!(app.world().resource::<Library>().ready, "the scenarios load");
        app.world_mut().resource_mut::<NextState<Screen>>().set(Screen::WorkshopSetup);
        check(&mut app, size, "setup", &mut problems);
        for id in ids {
            intent(&mut app, WorkshopIntent::Start(setup_config(id)));
            let mut decision = 0;
            while screen(&app) == Screen::WorkshopRoom && decision < 12 {
                decision += 1;
                check(&mut app, size, &format!("{id} discussion {decision}"), &mut problems);
                intent(&mut app, WorkshopIntent::OpenVote);
                let options = app.world().resource::<leap::game::Workshop>().tally().counts().len();
                for option in 0..options {
                    intent(&mut app, WorkshopIntent::SetCount(option, 10 + option as u32));
                }
                check(&mut app, size, &format!("{id} vote {decision}"), &mut problems);
                intent(&mut app, WorkshopIntent::ApplyMajority);
                assert_eq!(screen(&app), Screen::WorkshopConsequence, "{id}: the majority is applied");
                check(&mut app, size, &format!("{id} consequence {decision}"), &mut problems);
                intent(&mut app, WorkshopIntent::Proceed);
            }
            assert_eq!(screen(&app), Screen::WorkshopDebrief, "{id} reaches the room debrief");
            assert!(app.world().resource::<ActiveRun>().session.is_over());
            for step in 1..=4 {
                check(&mut app, size, &format!("{id} debrief step {step}"), &mut problems);
                press(&mut app, KeyCode::ArrowRight);
            }
        }
    }
    assert!(problems.is_empty(), "text the room cannot read:\n{}", problems.join("\n"));
}

fn setup_config(id: &str) -> WorkshopConfig {
    WorkshopConfig {
        name: "Projector check".into(),
        target: WorkshopTarget::Scenario(id.into()),
        meters: MeterMode::Shown,
        timer_minutes: Some(5),
        seed: Some(3),
    }
}
