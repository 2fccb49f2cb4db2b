//! The smaller things a player meets on screen, headless: focus that stays on the row just
//! changed, one text-size row, the mouse never moving the keyboard focus, a quit that asks
//! while a run is in progress, a title menu that keeps its shape, key hints that match the
//! choices, and the debrief's details behind a toggle.
#![cfg(feature = "game")]

mod common;

use bevy::prelude::*;
use bevy_input_focus::InputFocus;
use leap::game::{Intent, Screen, Settings};

fn game(name: &str) -> App {
    common::headless_game(&common::scratch_dir(name), &common::fixture("valid"))
}

fn settle(app: &mut App) {
    app.update();
    app.update();
}

fn send(app: &mut App, intent: Intent) {
    app.world_mut().write_message(intent);
    settle(app);
}

fn press(app: &mut App, key: KeyCode) {
    common::tap_key(app, key);
    app.update();
}

/// The text of the focused button.
fn focused_text(app: &mut App) -> String {
    let Some(focused) = app.world().resource::<InputFocus>().get() else { return String::new() };
    let mut texts = Vec::new();
    let mut stack = vec![focused];
    while let Some(entity) = stack.pop() {
        if let Some(text) = app.world().get::<Text>(entity) {
            texts.push(text.0.clone());
        }
        if let Some(children) = app.world().get::<Children>(entity) {
            stack.extend(children.iter());
        }
    }
    texts.join(" ")
}

#[test]
fn a_settings_row_keeps_the_focus_after_it_is_changed_and_text_size_is_one_row() {
    let mut app = game("settings-focus");
    send(&mut app, Intent::Open(Screen::Settings));
    let text = common::screen_text(&mut app);
    assert_eq!(text.matches("Text size").count(), 1, "{text}");
    assert!(!text.contains("Larger text") && !text.contains("Smaller text"), "{text}");

    // Right and Left change the size on its row without moving the focus.
    press(&mut app, KeyCode::ArrowRight);
    assert!(app.world().resource::<Settings>().text_scale > 1.0);
    press(&mut app, KeyCode::ArrowLeft);
    assert_eq!(app.world().resource::<Settings>().text_scale, 1.0);
    assert!(focused_text(&mut app).contains("Text size"), "{}", focused_text(&mut app));

    // Down to the palette row; Enter twice toggles it twice, and never touches the text size.
    press(&mut app, KeyCode::ArrowDown);
    press(&mut app, KeyCode::Enter);
    assert!(app.world().resource::<Settings>().colour_blind_palette);
    assert!(focused_text(&mut app).contains("Colour-blind-safe palette: on"), "{}", focused_text(&mut app));
    press(&mut app, KeyCode::Enter);
    let settings = app.world().resource::<Settings>().clone();
    assert!(!settings.colour_blind_palette);
    assert_eq!(settings.text_scale, 1.0);
}

#[test]
fn hovering_highlights_but_never_moves_the_keyboard_focus() {
    let mut app = game("hover");
    settle(&mut app);
    let before = app.world().resource::<InputFocus>().get();
    assert!(before.is_some(), "the title focuses a button");
    let other = {
        let mut buttons = app.world_mut().query_filtered::<Entity, With<Button>>();
        buttons.iter(app.world()).find(|e| Some(*e) != before).unwrap()
    };
    app.world_mut().entity_mut(other).insert(Interaction::Hovered);
    settle(&mut app);
    assert_eq!(app.world().resource::<InputFocus>().get(), before);
}

#[test]
fn quitting_asks_first_while_a_run_is_in_progress() {
    let mut app = game("quit");
    send(&mut app, Intent::StartScenario { id: "small".into(), seed: Some(1) });
    assert_eq!(common::screen(&app), Screen::Play);
    send(&mut app, Intent::Open(Screen::Title));
    send(&mut app, Intent::Quit);
    assert_eq!(common::screen(&app), Screen::Notice);
    let text = common::screen_text(&mut app);
    assert!(text.contains("Quit The Leap?") && text.contains("Back to title"), "{text}");
    assert!(app.world().resource::<Messages<AppExit>>().is_empty(), "nothing quits before the answer");
    // The safe answer has the focus.
    assert!(focused_text(&mut app).contains("Back to title"));
    send(&mut app, Intent::QuitNow);
    assert!(!app.world().resource::<Messages<AppExit>>().is_empty());
}

#[test]
fn the_title_menu_keeps_its_shape_without_a_saved_run() {
    let mut app = game("title-shape");
    settle(&mut app);
    let text = common::screen_text(&mut app);
    assert!(text.contains("Continue: no run in progress"), "{text}");
    assert!(focused_text(&mut app).contains("Play a scenario"), "{}", focused_text(&mut app));
}

#[test]
fn the_key_hint_names_as_many_keys_as_there_are_choices_and_details_wait_behind_a_toggle() {
    let mut app = game("hint");
    send(&mut app, Intent::StartScenario { id: "small".into(), seed: Some(7) });
    let text = common::screen_text(&mut app);
    assert!(text.contains("Press 1-2,"), "{text}");
    send(&mut app, Intent::Choose("own".into()));
    send(&mut app, Intent::Proceed);
    send(&mut app, Intent::Choose("forgive".into()));
    send(&mut app, Intent::Proceed);
    assert_eq!(common::screen(&app), Screen::Debrief);
    let shown = |app: &mut App| {
        let mut panels = app.world_mut().query::<(&Node, &Children)>();
        let mut seen = false;
        for (node, children) in panels.iter(app.world()) {
            let holds_seed =
                children.iter().any(|c| app.world().get::<Text>(c).is_some_and(|t| t.0.starts_with("Seed 7")));
            if holds_seed {
                seen = node.display != Display::None;
            }
        }
        seen
    };
    assert!(!shown(&mut app), "the seed waits behind Details");
    send(&mut app, Intent::ToggleDetails);
    assert!(shown(&mut app), "Details shows the seed and replay command");
}

#[test]
fn down_in_the_scenario_grid_moves_to_the_card_below() {
    let mut app = common::headless_game(&common::scratch_dir("grid"), &common::root().join("scenarios"));
    send(&mut app, Intent::Open(Screen::Select));
    let first = focused_text(&mut app);
    press(&mut app, KeyCode::ArrowRight);
    press(&mut app, KeyCode::ArrowRight);
    let two_along = focused_text(&mut app);
    send(&mut app, Intent::Open(Screen::Title));
    send(&mut app, Intent::Open(Screen::Select));
    assert_eq!(focused_text(&mut app), first);
    press(&mut app, KeyCode::ArrowDown);
    let below = focused_text(&mut app);
    assert_ne!(below, first);
    assert_eq!(below, two_along, "two cards a row: the card below is two along");
    press(&mut app, KeyCode::ArrowUp);
    assert_eq!(focused_text(&mut app), first);
}
