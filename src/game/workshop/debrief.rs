//! The room debrief, in the order of good debriefing practice: reactions, what happened,
//! analysis, take-aways. Exports are written when it opens, to a folder shown on screen.

use bevy::prelude::*;

use super::consequence::vote_summary;
use super::flow::{Workshop, WorkshopIntent};
use super::projector::ProjectorFit;
use super::widgets::{BODY, HEADING, SMALL, big, big_bold, letter, meter_bars};
use crate::game::cause::roads_not_taken;
use crate::game::chart;
use crate::game::rebuild::{AskForRebuild, Rebuild, add_screen};
use crate::game::run::ActiveRun;
use crate::game::schedule::GameSystems;
use crate::game::screen::Screen;
use crate::game::theme::Theme;
use crate::game::widgets::panel;
use crate::game::wording::{delta_words, shorten};
use crate::scenario::lessons::lesson;

/// Which of the four debrief steps is on screen.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DebriefStep(pub usize);

pub const STEPS: [&str; 4] = ["Reactions", "What happened", "Analysis", "Take-aways"];

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<DebriefStep>()
        .add_systems(OnEnter(Screen::WorkshopDebrief), (reset_step, write_exports).chain().before(spawn_debrief))
        .add_systems(Update, debrief_keys.in_set(GameSystems::Input).run_if(in_state(Screen::WorkshopDebrief)))
        .add_systems(Update, rebuild.in_set(AskForRebuild).run_if(in_state(Screen::WorkshopDebrief)));
    add_screen(app, Screen::WorkshopDebrief, spawn_debrief);
}

fn reset_step(mut step: ResMut<DebriefStep>) {
    step.0 = 0;
}

fn write_exports(workshop: Option<ResMut<Workshop>>, library: Res<crate::game::library::Library>) {
    let Some(mut w) = workshop else { return };
    let folder = crate::export::default_dir(&w.log_path);
    let scenarios: Vec<&crate::scenario::Scenario> = library
        .entries()
        .into_iter()
        .filter_map(|e| match e {
            crate::game::library::Entry::Playable(s) => Some(s),
            crate::game::library::Entry::Broken { .. } => None,
        })
        .collect();
    let written = crate::export::export_all_with(&w.log_path, &folder, &scenarios);
    w.exports = Some(written.map(|_| folder).map_err(|e| e.to_string()));
}

/// Where a workshop's exports went, or why they could not be written; empty before they are.
pub(super) fn exports_line(exports: &Option<Result<std::path::PathBuf, String>>) -> String {
    match exports {
        Some(Ok(folder)) => format!("CSV, JSON, xAPI and the printable HTML report are in {}", folder.display()),
        Some(Err(e)) => format!("The exports could not be written: {e}"),
        None => String::new(),
    }
}

fn rebuild(step: Res<DebriefStep>, workshop: Option<Res<Workshop>>, mut rebuild: ResMut<Rebuild>) {
    if step.is_changed() || workshop.is_some_and(|w| w.is_changed()) {
        rebuild.request();
    }
}

fn spawn_debrief(
    mut commands: Commands,
    step: Res<DebriefStep>,
    workshop: Option<Res<Workshop>>,
    run: Option<Res<ActiveRun>>,
    theme: Res<Theme>,
    mut fit: ResMut<ProjectorFit>,
) {
    let (Some(w), Some(r)) = (workshop, run) else { return };
    let s = w.text_scale * fit.scale_for(format!("debrief {} {} {}", r.scenario.id, step.0, w.text_scale));
    let theme = theme.clone();
    let palette = theme.palette;
    let step = step.0;
    let ending = r.session.ending(&r.scenario).cloned();
    let first = r.session.transcript.first().map_or(r.session.meters, |d| d.meters_before);
    let now = r.session.meters;
    let logged: Vec<&crate::record::LoggedDecision> =
        w.decisions.iter().filter(|d| d.scenario == r.scenario.id).collect();
    let choice_text = |beat: &str, id: &str| {
        r.scenario.beat(beat).and_then(|b| b.choices.iter().find(|c| c.id == id)).map(|c| c.text.clone())
    };
    // What the room chose, in its own words, then how it voted and what moved.
    let decisions: Vec<(String, String)> = logged
        .iter()
        .map(|d| {
            let chosen = d.chosen_index().unwrap_or(0);
            let said = choice_text(&d.beat, &d.chosen).unwrap_or_else(|| d.chosen.clone());
            let delta = d.delta();
            (
                format!("{}. {}: {said}", d.number, letter(chosen)),
                format!("{}   {}", vote_summary(d), delta_words(delta)),
            )
        })
        .collect();
    let mut met: Vec<&str> = r.session.transcript.iter().map(|d| d.lesson.as_str()).collect();
    met.sort();
    met.dedup();
    let mut lessons: Vec<String> = crate::engine::stances::lesson_stances(&r.session.transcript)
        .into_iter()
        .filter_map(|(id, stance)| {
            let l = lesson(&id)?;
            let said = crate::scenario::stance_phrase(stance, l.id);
            Some(format!("{said}: {}: {}  ({})", l.name, l.summary, l.citation()))
        })
        .collect();
    lessons.extend(r.scenario.objectives.iter().map(|o| format!("Objective: {o}")));
    let mut questions: Vec<String> = r.scenario.debrief_questions.clone();
    questions.extend(met.iter().filter_map(|id| lesson(id)).map(|l| format!("{}: {}", l.id, l.question)));
    // The options offered at that moment, as the solo debrief shows them: the ones the room
    // could vote on, and the locked ones marked with what would have unlocked them.
    let roads: Vec<String> = logged
        .iter()
        .zip(&r.session.transcript)
        .filter_map(|(d, decision)| {
            let others: Vec<String> = roads_not_taken(&r.session, &r.scenario, decision)
                .into_iter()
                .map(|road| match road.locked {
                    None => format!("“{}” ({})", shorten(&road.choice.text, 48), road.choice.lesson),
                    Some(why) => {
                        format!("locked: “{}” ({why}; {})", shorten(&road.choice.text, 48), road.choice.lesson)
                    }
                })
                .collect();
            (!others.is_empty()).then(|| format!("{}. Not taken: {}", d.number, others.join("; ")))
        })
        .collect();
    let exports = exports_line(&w.exports);
    let log = format!("Session log: {}", w.log_path.display());
    let lrs_log = w.log_path.clone();
    let samples = crate::export::chart::Sample::from_transcript(&r.session.transcript);
    let splits: Vec<(Option<Vec<u32>>, Option<usize>)> = w
        .decisions
        .iter()
        .filter(|d| d.scenario == r.scenario.id)
        .map(|d| (d.votes.clone(), d.chosen_index()))
        .collect();
    let more_stages = r.campaign.as_ref().is_some_and(|(c, run)| run.next_scenario(c).is_some());
    commands.spawn((
        crate::game::widgets::screen_root(Screen::WorkshopDebrief),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            p.spawn(Node { flex_direction: FlexDirection::Row, column_gap: px(6.0 * s), ..default() }).with_children(
                |tabs| {
                    for (i, name) in STEPS.iter().enumerate() {
                        tabs.spawn(step_tab(format!("{}. {name}", i + 1), i == step, s, &theme));
                    }
                },
            );
            p.spawn(big_bold(format!("Room debrief: {}", STEPS[step]), HEADING, s, palette.text, &theme));
            match step {
                0 => {
                    if let Some(ending) = &ending {
                        p.spawn(big_bold(
                            format!("{} ({})", ending.title, ending.verdict.label()),
                            BODY,
                            s,
                            palette.focus,
                            &theme,
                        ));
                        p.spawn(big(ending.text.clone(), BODY * 0.8, s, palette.text));
                    }
                    p.spawn(meter_bars(&first, &now, s, &theme));
                    p.spawn(panel(&theme)).with_children(|card| {
                        card.spawn(big(
                            "How do you feel about how it went? What surprised you?",
                            BODY * 0.9,
                            s,
                            palette.focus,
                        ));
                    });
                }
                1 => {
                    p.spawn(chart::meter_chart(&samples, &[], 1180.0, 110.0 * s, SMALL * 0.8 * s, palette, "decision"));
                    p.spawn(two_columns(s)).with_children(|list| {
                        for ((said, how), (votes, applied)) in decisions.into_iter().zip(&splits) {
                            list.spawn(cell(s)).with_children(|item| {
                                item.spawn(big_bold(said, SMALL, s, palette.text, &theme));
                                item.spawn(Node { column_gap: px(16), align_items: AlignItems::Center, ..default() })
                                    .with_children(|row| {
                                        row.spawn(big(how, SMALL * 0.8, s, palette.dim));
                                        if let Some(votes) = votes {
                                            row.spawn(chart::vote_split(
                                                votes,
                                                *applied,
                                                90.0 * s,
                                                SMALL * 0.6 * s,
                                                palette,
                                            ));
                                        }
                                    });
                            });
                        }
                    });
                }
                2 => {
                    p.spawn(big_bold("Lessons met", BODY * 0.8, s, palette.text, &theme));
                    for line in lessons {
                        p.spawn(big(line, SMALL, s, palette.text));
                    }
                    p.spawn(big_bold("Roads not taken", BODY * 0.8, s, palette.text, &theme));
                    p.spawn(two_columns(s)).with_children(|list| {
                        for line in roads {
                            list.spawn(cell(s)).with_children(|item| {
                                item.spawn(big(line, SMALL * 0.8, s, palette.dim));
                            });
                        }
                    });
                }
                _ => {
                    p.spawn(big_bold("Questions for the room", BODY * 0.8, s, palette.text, &theme));
                    for line in questions {
                        p.spawn(big(line, SMALL, s, palette.text));
                    }
                    p.spawn(big(exports, SMALL * 0.8, s, palette.focus));
                    p.spawn(big(log, SMALL * 0.7, s, palette.dim));
                    p.spawn((
                        big(String::new(), SMALL * 0.7, s, palette.dim),
                        crate::game::lrs::LrsStatusText(lrs_log),
                    ));
                }
            }
            let next = match (step, more_stages) {
                (3, true) => "Left: back   N: next scenario   Esc: title",
                (3, false) => "Left: back   Esc: title",
                _ => "Right or Enter: next step   Left: back   Esc: title",
            };
            p.spawn(big(next, SMALL * 0.8, s, palette.dim));
        })),
    ));
}

/// A debrief step as a tab: the current one filled and bold, the others outlined.
fn step_tab(label: String, current: bool, scale: f32, theme: &Theme) -> impl Bundle {
    let palette = theme.palette;
    let (fill, colour) = if current { (palette.raised, palette.focus) } else { (Color::NONE, palette.dim) };
    (
        Node {
            padding: UiRect::axes(px(10.0 * scale), px(4.0 * scale)),
            border: UiRect::bottom(px(if current { 3.0 * scale } else { 1.0 })),
            border_radius: BorderRadius::top(px(6.0 * scale)),
            ..default()
        },
        BackgroundColor(fill),
        BorderColor::all(colour),
        children![if current {
            (big_bold(label, SMALL, scale, colour, theme), Node::default())
        } else {
            (big_bold(label, SMALL * 0.9, scale, colour, theme), Node::default())
        }],
    )
}

/// A list in two columns, read left to right, so a long one fits the height of a projector.
fn two_columns(scale: f32) -> Node {
    Node {
        flex_direction: FlexDirection::Row,
        flex_wrap: FlexWrap::Wrap,
        column_gap: px(14.0 * scale),
        row_gap: px(6.0 * scale),
        width: percent(100),
        ..default()
    }
}

fn cell(scale: f32) -> Node {
    Node { flex_direction: FlexDirection::Column, width: percent(48.5), row_gap: px(2.0 * scale), ..default() }
}

fn debrief_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut step: ResMut<DebriefStep>,
    mut intents: MessageWriter<WorkshopIntent>,
) {
    if keys.any_just_pressed([KeyCode::ArrowRight, KeyCode::Enter, KeyCode::NumpadEnter]) && step.0 < STEPS.len() - 1 {
        step.0 += 1;
    }
    if keys.just_pressed(KeyCode::ArrowLeft) && step.0 > 0 {
        step.0 -= 1;
    }
    if keys.just_pressed(KeyCode::KeyN) {
        intents.write(WorkshopIntent::NextStage);
    }
    if keys.any_just_pressed([KeyCode::Equal, KeyCode::NumpadAdd]) {
        intents.write(WorkshopIntent::TextLarger);
    }
    if keys.any_just_pressed([KeyCode::Minus, KeyCode::NumpadSubtract]) {
        intents.write(WorkshopIntent::TextSmaller);
    }
}
