//! The debrief: the ending and its verdict, every decision with its meter changes, the
//! lessons met with their articles, the roads not taken, replay from any decision, and
//! play again with a new seed.

use bevy::prelude::*;

use crate::engine::{Decision, Session};
use crate::game::cause::{because, roads_not_taken};
use crate::game::chart;
use crate::game::intent::Intent;
use crate::game::meters_hud::meters_panel;
use crate::game::rebuild::add_screen;
use crate::game::run::ActiveRun;
use crate::game::schedule::GameSystems;
use crate::game::screen::Screen;
use crate::game::theme::{BODY_SIZE, SMALL_SIZE, Theme};
use crate::game::widgets::{bold_text, button, button_frame, button_node, heading, panel, row, small, text};
use crate::game::wording::{delta_words, effects_words, shorten};
use crate::scenario::Scenario;
use crate::scenario::lessons::lesson;
use bevy_input_focus::{AutoFocus, InputFocus};

/// A timeline row for decision n (1-based).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimelineRow(pub u32);

/// The detail panel for decision n, shown while its row has focus.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionDetail(pub u32);

/// The debrief's details (seed, replay command, export folder), hidden until asked for.
#[derive(Component, Debug, Clone, Copy)]
pub struct DetailsPanel;

fn panel_node() -> Node {
    Node {
        flex_direction: FlexDirection::Column,
        padding: UiRect::all(px(14)),
        row_gap: px(6),
        border_radius: BorderRadius::all(px(10)),
        ..default()
    }
}

fn toggle_details(mut intents: MessageReader<Intent>, mut panels: Query<&mut Node, With<DetailsPanel>>) {
    let toggles = intents.read().filter(|i| **i == Intent::ToggleDetails).count();
    if toggles % 2 == 1 {
        for mut node in &mut panels {
            node.display = if node.display == Display::None { Display::Flex } else { Display::None };
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, toggle_details.in_set(GameSystems::Present).run_if(in_state(Screen::Debrief)));
    add_screen(app, Screen::Debrief, spawn_debrief);
    app.add_systems(Update, show_focused_detail.in_set(GameSystems::Present).run_if(in_state(Screen::Debrief)));
}

struct DetailText {
    number: u32,
    lines: Vec<(String, bool)>,
}

fn details(scenario: &Scenario, session: &Session, decision: &Decision) -> DetailText {
    let mut lines = Vec::new();
    let beat = scenario.beat(&decision.beat);
    if let Some(beat) = beat {
        lines.push((format!("The moment: {}", shorten(&beat.text, 160)), false));
        if let Some(chosen) = beat.choices.iter().find(|c| c.id == decision.choice) {
            lines.push((format!("You chose: {}", chosen.text), true));
        }
    }
    if let Some(outcome) = &decision.outcome {
        lines.push((format!("Chance: {}", outcome.text), false));
    }
    for landed in &decision.landed {
        let cause = because(scenario, session, decision.number, landed);
        lines.push((format!("Caught up with you: {} ({cause})", landed.text), false));
    }
    if let Some(l) = lesson(&decision.lesson) {
        let said = crate::scenario::stance_phrase(decision.stance, l.id);
        lines.push((format!("{said}: {}, from {}", l.name, l.citation()), false));
    }
    lines.push(("Roads not taken:".into(), true));
    for road in roads_not_taken(session, scenario, decision) {
        let other = &road.choice;
        let taught = lesson(&other.lesson).map(|l| format!("{} {}", l.id, l.name)).unwrap_or_default();
        let effects = effects_words(&other.effects);
        let effects = if effects.is_empty() { String::new() } else { format!("; {effects}") };
        let locked = road.locked.map(|why| format!("locked then ({why}): ")).unwrap_or_default();
        let verb = crate::scenario::taught_verb(other.stance);
        lines.push((format!("• {locked}{}  ({verb} {taught}{effects})", shorten(&other.text, 90)), false));
    }
    DetailText { number: decision.number, lines }
}

fn spawn_debrief(
    mut commands: Commands,
    theme: Res<Theme>,
    run: Option<Res<ActiveRun>>,
    solo_log: Option<Res<crate::game::run::SoloLog>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(run) = run else {
        next.set(Screen::Title);
        return;
    };
    let Some(ending) = run.session.ending(&run.scenario).cloned() else {
        next.set(Screen::Play);
        return;
    };
    let scenario = run.scenario.clone();
    let started = run.session.transcript.first().map_or(run.session.meters, |d| d.meters_before);
    let finished = run.session.meters;
    let transcript = run.session.transcript.clone();
    let mut lessons_met: Vec<String> = crate::engine::stances::lesson_stances(&transcript)
        .into_iter()
        .filter_map(|(id, stance)| {
            let l = lesson(&id)?;
            Some(format!("{}: {} ({})", crate::scenario::stance_phrase(stance, l.id), l.name, l.citation()))
        })
        .collect();
    lessons_met.extend(run.scenario.objectives.iter().map(|o| format!("Objective: {o}")));
    lessons_met.extend(run.scenario.debrief_questions.iter().map(|q| format!("To think about: {q}")));
    let detail_texts: Vec<DetailText> = transcript.iter().map(|d| details(&scenario, &run.session, d)).collect();
    let campaign_next = run.campaign.as_ref().map(|(c, r)| r.next_scenario(c).is_some());
    let seed = run.session.seed;
    let exports = match solo_log.as_ref().and_then(|l| l.exports.as_ref()) {
        Some(Ok(folder)) => {
            format!("Your session is exported (CSV, JSON, xAPI and a printable HTML report) to {}", folder.display())
        }
        Some(Err(e)) => format!("The exports could not be written: {e}"),
        None => String::new(),
    };
    let lrs_log = solo_log.as_ref().map(|l| l.path.clone());
    let samples = crate::export::chart::Sample::from_transcript(&transcript);
    let keys: Vec<u32> = std::iter::once(0).chain(transcript.iter().map(|d| d.number)).collect();
    let theme = theme.clone();
    let palette = theme.palette;
    commands.spawn((
        crate::game::widgets::screen_root(Screen::Debrief),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn((
                row(16.0),
                children![
                    heading(format!("Ending: {}", ending.title), &theme),
                    bold_text(format!("Verdict: {}", ending.verdict.label()), BODY_SIZE, palette.focus, &theme)
                ],
            ));
            p.spawn(panel(&theme)).with_children(|card| {
                card.spawn(text(ending.text.clone(), BODY_SIZE - 1.0, palette.text));
            });
            // The final values, grown from where the run started.
            p.spawn(meters_panel(&started, &finished, &theme));
            p.spawn(row(12.0)).with_children(|buttons| {
                match campaign_next {
                    Some(true) => {
                        buttons.spawn((button("Next scenario", Intent::NextStage, &theme), AutoFocus));
                    }
                    Some(false) => {
                        buttons.spawn((button("Your promotion review", Intent::NextStage, &theme), AutoFocus));
                    }
                    None => {
                        buttons.spawn((button("Play again (new seed)", Intent::PlayAgain, &theme), AutoFocus));
                        buttons.spawn(button("Another scenario", Intent::Open(Screen::Select), &theme));
                    }
                }
                buttons.spawn(button("Title", Intent::Open(Screen::Title), &theme));
                buttons.spawn(button("Details", Intent::ToggleDetails, &theme));
            });
            // Seeds, command lines and paths are for the curious, behind "Details".
            p.spawn((panel(&theme), DetailsPanel))
                .insert(Node { display: Display::None, ..panel_node() })
                .with_children(|card| {
                    card.spawn(small(
                        format!("Seed {seed}. Replay in the terminal: leap play --text {} --seed {seed}", scenario.id),
                        &theme,
                    ));
                    if !exports.is_empty() {
                        card.spawn(small(exports, &theme));
                    }
                });
            if let Some(log) = lrs_log {
                p.spawn((small(String::new(), &theme), crate::game::lrs::LrsStatusText(log)));
            }
            p.spawn(chart::meter_chart(&samples, &keys, 1000.0, 230.0, SMALL_SIZE, palette, "decision"));
            p.spawn(chart::legend(SMALL_SIZE, palette));
            p.spawn(Node { flex_direction: FlexDirection::Row, column_gap: px(20), ..default() }).with_children(
                |cols| {
                    cols.spawn(Node {
                        flex_direction: FlexDirection::Column,
                        row_gap: px(6),
                        width: percent(50),
                        ..default()
                    })
                    .with_children(|left| {
                        left.spawn(bold_text(
                            "Your decisions: Enter replays from the one selected",
                            SMALL_SIZE,
                            palette.text,
                            &theme,
                        ));
                        for decision in &transcript {
                            let choice = scenario
                                .beat(&decision.beat)
                                .and_then(|b| b.choices.iter().find(|c| c.id == decision.choice))
                                .map(|c| c.text.clone())
                                .unwrap_or_else(|| decision.choice.clone());
                            let change = delta_words(decision.delta());
                            let label =
                                format!("Decision {}: {}. {}. Replay from here.", decision.number, choice, change);
                            left.spawn((
                                button_frame(Intent::ReplayFrom(decision.number), label, &theme),
                                Node { padding: UiRect::axes(px(10), px(4)), ..button_node() },
                                TimelineRow(decision.number),
                            ))
                            .with_children(|b| {
                                b.spawn(text(
                                    format!("{}. {}", decision.number, shorten(&choice, 58)),
                                    SMALL_SIZE - 1.0,
                                    palette.text,
                                ));
                                b.spawn(text(change, SMALL_SIZE - 2.0, palette.dim));
                            });
                        }
                    });
                    cols.spawn(Node {
                        flex_direction: FlexDirection::Column,
                        row_gap: px(12),
                        flex_grow: 1.0,
                        flex_basis: px(0),
                        ..default()
                    })
                    .with_children(|right| {
                        for detail in detail_texts {
                            right
                                .spawn((panel(&theme), DecisionDetail(detail.number)))
                                .insert(Node { display: Display::None, ..panel_node() })
                                .with_children(|card| {
                                    card.spawn(bold_text(
                                        format!("Decision {}", detail.number),
                                        SMALL_SIZE,
                                        palette.focus,
                                        &theme,
                                    ));
                                    for (line, strong) in detail.lines {
                                        if strong {
                                            card.spawn(bold_text(line, SMALL_SIZE - 1.0, palette.text, &theme));
                                        } else {
                                            card.spawn(text(line, SMALL_SIZE - 1.0, palette.text));
                                        }
                                    }
                                });
                        }
                        right.spawn(panel(&theme)).with_children(|card| {
                            card.spawn(bold_text("Lessons you met", SMALL_SIZE, palette.text, &theme));
                            for line in &lessons_met {
                                card.spawn(text(line.clone(), SMALL_SIZE - 2.0, palette.text));
                            }
                        });
                    });
                },
            );
        })),
    ));
}

/// Shows the roads not taken for the focused decision (or the first one).
fn show_focused_detail(
    focus: Res<InputFocus>,
    rows: Query<&TimelineRow>,
    mut details: Query<(&DecisionDetail, &mut Node)>,
    mut highlight: ResMut<chart::HighlightedSample>,
) {
    let wanted = focus.get().and_then(|e| rows.get(e).ok()).map(|r| r.0).unwrap_or(1);
    highlight.set_if_neq(chart::HighlightedSample(Some(wanted)));
    for (detail, mut node) in &mut details {
        let display = if detail.0 == wanted { Display::Flex } else { Display::None };
        if node.display != display {
            node.display = display;
        }
    }
}
