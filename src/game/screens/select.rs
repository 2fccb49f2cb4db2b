//! Choosing a scenario: title, summary, lessons taught and the best ending so far. Files
//! with errors are listed with their first diagnostic instead.

use bevy::prelude::*;

use crate::game::intent::Intent;
use crate::game::library::{Entry, Library};
use crate::game::navigation::{GridColumns, ScrollHint};
use crate::game::rebuild::add_screen;
use crate::game::save::Progress;
use crate::game::screen::Screen;
use crate::game::theme::{BODY_SIZE, SMALL_SIZE, Theme};
use crate::game::widgets::ScreenRoot;
use crate::game::widgets::{bold_text, button, button_frame, button_node, heading, panel, row, small, text};
use crate::scenario::lessons::lesson;

pub(super) fn plugin(app: &mut App) {
    add_screen(app, Screen::Select, spawn_select);
}

struct Card {
    id: Option<String>,
    title: String,
    summary: String,
    lessons: String,
    best: String,
}

fn spawn_select(
    mut commands: Commands,
    theme: Res<Theme>,
    library: Res<Library>,
    progress: Res<crate::game::save::Progress>,
) {
    let cards = cards(&library, &progress);
    // Pinned to the window's corner (its own root), so it shows while the list scrolls.
    commands.spawn((
        DespawnOnExit(Screen::Select),
        ScreenRoot,
        GlobalZIndex(10),
        Node {
            position_type: PositionType::Absolute,
            right: px(48),
            bottom: px(8),
            padding: UiRect::axes(px(12), px(6)),
            border_radius: BorderRadius::all(px(6)),
            ..default()
        },
        BackgroundColor(theme.palette.background),
        ScrollHint,
        Visibility::Hidden,
        children![bold_text(
            "More scenarios below: scroll, or use the arrow keys",
            SMALL_SIZE,
            theme.palette.focus,
            &theme
        )],
    ));
    let theme = theme.clone();
    let palette = theme.palette;
    commands.spawn((
        crate::game::widgets::screen_root(Screen::Select),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn((row(24.0), children![heading("Choose a scenario", &theme)]));
            if cards.is_empty() {
                p.spawn(text(
                    "No scenarios were found. Put .ron files in the scenarios folder.",
                    BODY_SIZE,
                    palette.bad,
                ));
            }
            // Two cards a row, centred; Down moves to the card below.
            let mut grid = p.spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    flex_wrap: FlexWrap::Wrap,
                    justify_content: JustifyContent::Center,
                    column_gap: px(16),
                    row_gap: px(14),
                    width: percent(100),
                    ..default()
                },
                GridColumns(2),
            ));
            grid.with_children(|grid| {
                for card in cards {
                    let content = (
                        bold_text(card.title.clone(), BODY_SIZE, palette.text, &theme),
                        text(card.summary.clone(), SMALL_SIZE, palette.text),
                        text(card.lessons.clone(), SMALL_SIZE - 1.0, palette.dim),
                        text(card.best.clone(), SMALL_SIZE - 1.0, palette.focus),
                    );
                    let size = Node { width: percent(48), ..button_node() };
                    match card.id {
                        Some(id) => {
                            let label = format!("{}. {}. {} {}", card.title, card.summary, card.lessons, card.best);
                            let intent = Intent::StartScenario { id, seed: None };
                            grid.spawn((button_frame(intent, &label, &theme), size)).with_children(|card| {
                                card.spawn(content.0);
                                card.spawn(content.1);
                                card.spawn(content.2);
                                card.spawn(content.3);
                            });
                        }
                        None => {
                            grid.spawn((panel(&theme), BorderColor::all(palette.bad))).insert(size).with_children(
                                |card| {
                                    card.spawn(content.0);
                                    card.spawn(content.1);
                                    card.spawn(content.2);
                                    card.spawn(content.3);
                                },
                            );
                        }
                    }
                }
            });
            p.spawn((row(16.0), children![button("Back to title", Intent::Open(Screen::Title), &theme)]));

            p.spawn(small("Arrow keys to move, Enter to start, Esc to go back.", &theme));
        })),
    ));
}

fn cards(library: &Library, progress: &Progress) -> Vec<Card> {
    library
        .entries()
        .into_iter()
        .map(|entry| match entry {
            Entry::Playable(s) => {
                let mut taught: Vec<&str> =
                    s.beats.iter().flat_map(|b| &b.choices).map(|c| c.lesson.as_str()).collect();
                taught.sort();
                taught.dedup();
                let names: Vec<String> =
                    taught.iter().filter_map(|id| lesson(id)).map(|l| format!("{} {}", l.id, l.name)).collect();
                let best = match progress.best.get(&s.id) {
                    Some(b) => format!("Best ending so far: {} ({})", b.title, b.verdict.label()),
                    None => "Not played yet".to_string(),
                };
                Card {
                    id: Some(s.id.clone()),
                    title: s.title.clone(),
                    summary: s.summary.clone(),
                    lessons: format!("Teaches: {}", names.join(", ")),
                    best,
                }
            }
            Entry::Broken { path, first } => Card {
                id: None,
                title: format!("{path} cannot be played"),
                summary: format!("Line {}, column {}: {}", first.line, first.column, first.message),
                lessons: first.help.clone().map(|h| format!("Hint: {h}")).unwrap_or_default(),
                best: "Fix the file and save it; the game picks up the change.".into(),
            },
        })
        .collect()
}
