//! Seeing why things happened, headless: a delayed consequence names the decision that
//! caused it and shows its own meter change apart from the choice's; a choice opened by an
//! earlier decision says so; the roads not taken are only the options really offered then,
//! with the ones shown locked marked.
#![cfg(feature = "game")]

mod common;

use bevy::prelude::*;
use leap::game::{Intent, Screen};

/// The small fixture with a hidden choice ("Praise Sam in public.") that owning it opens.
/// In a folder of the test's own (`test`), as tests run at the same time.
fn scenarios(test: &str) -> std::path::PathBuf {
    let dir = common::scratch_dir(&format!("cause-scenarios-{test}"));
    let small = std::fs::read_to_string(common::fixture("valid/small.ron")).unwrap();
    let praise = r#"                (
                    id: "praise",
                    text: "Praise Sam in public.",
                    requires: Flag("owned"),
                    effects: (trust: 2, team_engagement: 2),
                    lesson: "L03",
                    feedback: "Praise lands when it is earned.",
                    next: Ending("strong"),
                ),
                (
                    id: "forgive","#;
    let edited = small
        .replace(
            "feedback: \"Owning it builds trust.\",",
            "feedback: \"Owning it builds trust.\",\n                    sets: [\"owned\"],",
        )
        .replace("                (\n                    id: \"forgive\",", praise);
    assert!(edited.contains("Praise Sam") && edited.contains("sets: [\"owned\"]"));
    std::fs::write(dir.join("small.ron"), edited).unwrap();
    dir
}

fn send(app: &mut App, intent: Intent) {
    app.world_mut().write_message(intent);
    app.update();
    app.update();
}

#[test]
fn a_delayed_consequence_names_its_cause_and_an_opened_choice_says_what_opened_it() {
    let mut app = common::headless_game(&common::scratch_dir("cause-a"), &scenarios("a"));
    send(&mut app, Intent::StartScenario { id: "small".into(), seed: Some(7) });
    assert_eq!(common::screen(&app), Screen::Play);
    send(&mut app, Intent::Choose("own".into()));
    send(&mut app, Intent::Proceed);
    let text = common::screen_text(&mut app);
    assert!(text.contains("Praise Sam in public.") && text.contains("Open because of your decision 1"), "{text}");

    send(&mut app, Intent::Choose("forgive".into()));
    assert_eq!(common::screen(&app), Screen::Consequence);
    let text = common::screen_text(&mut app);
    assert!(text.contains("Because of decision 1 (“Own it.”), later:") && text.contains("Sam notices."), "{text}");
    assert!(text.contains("Its own effect: Team engagement +4"), "{text}");
    assert!(text.contains("This choice: Trust +3, Strategic impact -4"), "{text}");

    send(&mut app, Intent::Proceed);
    assert_eq!(common::screen(&app), Screen::Debrief);
    let text = common::screen_text(&mut app);
    assert!(text.contains("Caught up with you: Sam notices. (Because of decision 1 (“Own it.”))"), "{text}");
}

#[test]
fn roads_not_taken_are_only_the_options_offered_with_locked_ones_marked() {
    let mut app = common::headless_game(&common::scratch_dir("cause-b"), &scenarios("b"));
    send(&mut app, Intent::StartScenario { id: "small".into(), seed: Some(7) });
    send(&mut app, Intent::Choose("blame".into()));
    send(&mut app, Intent::Proceed);
    let text = common::screen_text(&mut app);
    assert!(!text.contains("Praise Sam"), "a hidden locked choice is not offered:\n{text}");
    send(&mut app, Intent::Choose("do-it".into()));
    send(&mut app, Intent::Proceed);
    assert_eq!(common::screen(&app), Screen::Debrief);
    let text = common::screen_text(&mut app);
    assert!(text.contains("• Set clear goals."), "{text}");
    assert!(text.contains("• locked then (Sam has not forgotten the blame.): Let it go."), "{text}");
    assert!(!text.contains("Praise Sam in public."), "never offered, so not a road not taken:\n{text}");
}
