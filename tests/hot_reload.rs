//! Scenarios as assets: the game (without window or renderer) loads the folder through
//! Bevy's asset system; saving a file updates the game, and a broken edit keeps the last
//! good version and reports the problem.
#![cfg(feature = "game")]

mod common;

use std::time::{Duration, Instant};

use bevy::prelude::*;
use leap::game::{DataDir, Library};

fn wait_for(app: &mut App, what: &str, done: impl Fn(&Library) -> bool) {
    let start = Instant::now();
    while !done(app.world().resource::<Library>()) {
        assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
        app.update();
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn an_edit_shows_up_live_and_a_broken_edit_keeps_the_last_good_version() {
    let root = std::env::temp_dir().join(format!("leap-hot-reload-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let scenarios = root.join("scenarios");
    std::fs::create_dir_all(&scenarios).unwrap();
    let original = std::fs::read_to_string(common::fixture("valid/small.ron")).unwrap();
    let file = scenarios.join("small.ron");
    std::fs::write(&file, &original).unwrap();

    let mut app = leap::game::headless_app(scenarios.clone(), DataDir(root.join("data")));
    wait_for(&mut app, "the first load", |l| l.ready && l.scenario("small").is_some());
    assert_eq!(app.world().resource::<Library>().scenario("small").unwrap().title, "A Small Test");

    std::fs::write(&file, original.replace("A Small Test", "A Renamed Test")).unwrap();
    wait_for(&mut app, "the edit", |l| l.scenario("small").is_some_and(|s| s.title == "A Renamed Test"));
    assert!(app.world().resource::<Library>().broken_edits.is_empty());

    std::fs::write(
        &file,
        original.replace("A Small Test", "Broken").replacen("next: Beat(\"second\")", "next: Beat(\"secnd\")", 1),
    )
    .unwrap();
    wait_for(&mut app, "the broken edit", |l| !l.broken_edits.is_empty());
    let library = app.world().resource::<Library>();
    assert_eq!(library.scenario("small").unwrap().title, "A Renamed Test", "the last good version stays");
    let problem = &library.broken_edits[0];
    assert_eq!(problem.code, "dangling-reference");
    assert!(problem.short().contains("small.ron:"), "{}", problem.short());
}

#[test]
fn a_broken_scenario_is_blamed_first_and_its_banner_goes_when_it_is_fixed() {
    let root = common::scratch_dir("hot-reload-banner");
    let scenarios = root.join("scenarios");
    std::fs::create_dir_all(&scenarios).unwrap();
    for name in ["the-leap.campaign.ron", "the-pet-project.ron"] {
        std::fs::copy(common::root().join("scenarios").join(name), scenarios.join(name)).unwrap();
    }
    let file = scenarios.join("the-pet-project.ron");
    let original = std::fs::read_to_string(&file).unwrap();
    let mut app = leap::game::headless_app(scenarios.clone(), DataDir(root.join("data")));
    wait_for(&mut app, "the first load", |l| l.ready && l.scenario("the-pet-project").is_some());
    let before = app.world().resource::<Library>().broken_edits.len();

    // A missing comma: the scenario file is the root cause, whatever else now fails with it.
    let broken = original.replacen("\",\n", "\"\n", 1);
    assert_ne!(broken, original);
    std::fs::write(&file, &broken).unwrap();
    wait_for(&mut app, "the broken edit", |l| l.broken_edits.len() > before);
    let first = app.world().resource::<Library>().broken_edits[0].clone();
    assert!(first.file.ends_with("the-pet-project.ron"), "blamed {} first: {}", first.file, first.short());
    app.update();
    app.update();
    assert!(common::screen_text(&mut app).contains("the-pet-project.ron has an error"));

    std::fs::write(&file, &original).unwrap();
    wait_for(&mut app, "the fix", |l| l.broken_edits.len() == before);
    app.update();
    app.update();
    let text = common::screen_text(&mut app);
    assert!(!text.contains("the-pet-project.ron has an error"), "the banner stays after the fix:\n{text}");
}
