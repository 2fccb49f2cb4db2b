//! The debrief: the ending and its verdict, every decision with its meter changes, the
//! lessons met with their articles, the roads not taken, replay from any decision, and
//! play again with a new seed.

use bevy::prelude::*;

use crate::engine::Decision;
use crate::game::intent::Intent;
use crate::game::navigation::{Focus, StartFocus};
use crate::game::run::ActiveRun;
use crate::game::screen::Screen;
use crate::game::theme::{
    BODY_SIZE, SMALL_SIZE, Theme, bold_text, button, button_frame, button_node, heading, panel, row, small, text,
};
use crate::scenario::lessons::lesson;
use crate::scenario::{Meter, Scenario};

/// A timeline row for decision n (1-based).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimelineRow(pub u32);

/// The detail panel for decision n, shown while its row has focus.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionDetail(pub u32);

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Debrief), spawn_debrief)
        .add_systems(Update, show_focused_detail.run_if(in_state(Screen::Debrief)));
}

/// "Trust +5 · Strategic impact -2", or "no change".
pub fn delta_words(delta: [i32; 3]) -> String {
    let parts: Vec<String> =
        Meter::ALL.iter().zip(delta).filter(|(_, d)| *d != 0).map(|(m, d)| format!("{} {d:+}", m.label())).collect();
    if parts.is_empty() { "no change".into() } else { parts.join(" · ") }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_string() } else { text.chars().take(max - 1).collect::<String>() + "…" }
}

struct DetailText {
    number: u32,
    lines: Vec<(String, bool)>,
}

fn details(scenario: &Scenario, decision: &Decision) -> DetailText {
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
        lines.push((format!("Caught up with you: {}", landed.text), false));
    }
    if let Some(l) = lesson(&decision.lesson) {
        let said = crate::scenario::stance_phrase(decision.stance, l.id);
        lines.push((format!("{said}: {}, from {}", l.name, l.citation()), false));
    }
    lines.push(("Roads not taken:".into(), true));
    for other in beat.iter().flat_map(|b| &b.choices).filter(|c| c.id != decision.choice) {
        let taught = lesson(&other.lesson).map(|l| format!("{} {}", l.id, l.name)).unwrap_or_default();
        let effects: Vec<String> = other.effects.listed().map(|(m, v)| format!("{} {v:+}", m.label())).collect();
        let effects = if effects.is_empty() { String::new() } else { format!("; {}", effects.join(", ")) };
        let verb = other.stance.map_or("teaches", |st| match st {
            crate::scenario::Stance::Applies => "applies",
            crate::scenario::Stance::Partly => "partly applies",
            crate::scenario::Stance::Misses => "misses",
        });
        lines.push((format!("• {}  ({verb} {taught}{effects})", shorten(&other.text, 90)), false));
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
    let detail_texts: Vec<DetailText> = transcript.iter().map(|d| details(&scenario, d)).collect();
    let campaign_next = run.campaign.as_ref().map(|(c, r)| r.next_scenario(c).is_some());
    let seed = run.session.seed;
    let exports = match solo_log.as_ref().and_then(|l| l.exports.as_ref()) {
        Some(Ok(folder)) => {
            format!("Your session is exported (CSV, JSON, xAPI and a printable HTML report) to {}", folder.display())
        }
        Some(Err(e)) => format!("The exports could not be written: {e}"),
        None => String::new(),
    };
    let theme = theme.clone();
    let palette = theme.palette;
    commands.spawn((
        crate::game::theme::screen_root(Screen::Debrief),
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
            p.spawn(row(12.0)).with_children(|buttons| {
                match campaign_next {
                    Some(true) => {
                        buttons.spawn((button("Next scenario", Intent::NextStage, &theme), StartFocus));
                    }
                    Some(false) => {
                        buttons.spawn((button("Your promotion review", Intent::NextStage, &theme), StartFocus));
                    }
                    None => {
                        buttons.spawn((button("Play again (new seed)", Intent::PlayAgain, &theme), StartFocus));
                        buttons.spawn(button("Another scenario", Intent::Open(Screen::Select), &theme));
                    }
                }
                buttons.spawn(button("Title", Intent::Open(Screen::Title), &theme));
                buttons.spawn(small(format!("Seed {seed}: leap play --text {} --seed {seed}", scenario.id), &theme));
            });
            if !exports.is_empty() {
                p.spawn(small(exports, &theme));
            }
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
                                .insert(Node {
                                    display: Display::None,
                                    flex_direction: FlexDirection::Column,
                                    padding: UiRect::all(px(14)),
                                    row_gap: px(6),
                                    border_radius: BorderRadius::all(px(10)),
                                    ..default()
                                })
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
fn show_focused_detail(focus: Res<Focus>, rows: Query<&TimelineRow>, mut details: Query<(&DecisionDetail, &mut Node)>) {
    let wanted = focus.0.and_then(|e| rows.get(e).ok()).map(|r| r.0).unwrap_or(1);
    for (detail, mut node) in &mut details {
        let display = if detail.0 == wanted { Display::Flex } else { Display::None };
        if node.display != display {
            node.display = display;
        }
    }
}
