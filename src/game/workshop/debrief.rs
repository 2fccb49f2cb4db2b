//! The room debrief, in the order of good debriefing practice: reactions, what happened,
//! analysis, take-aways. Exports are written when it opens, to a folder shown on screen.

use bevy::prelude::*;

use super::consequence::vote_summary;
use super::flow::{Workshop, WorkshopIntent};
use super::widgets::{BODY, HEADING, SMALL, big, big_bold, meter_bars};
use crate::game::run::ActiveRun;
use crate::game::screen::Screen;
use crate::game::theme::{Theme, panel};
use crate::scenario::lessons::lesson;

/// Which of the four debrief steps is on screen.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DebriefStep(pub usize);

pub const STEPS: [&str; 4] = ["Reactions", "What happened", "Analysis", "Take-aways"];

#[derive(Component)]
struct DebriefRoot;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<DebriefStep>()
        .add_systems(OnEnter(Screen::WorkshopDebrief), (reset_step, write_exports, spawn_debrief).chain())
        .add_systems(Update, (debrief_keys, rebuild).chain().run_if(in_state(Screen::WorkshopDebrief)));
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

fn rebuild(
    commands: Commands,
    step: Res<DebriefStep>,
    workshop: Option<Res<Workshop>>,
    run: Option<Res<ActiveRun>>,
    theme: Res<Theme>,
    roots: Query<Entity, With<DebriefRoot>>,
) {
    if step.is_changed() || workshop.as_ref().is_some_and(|w| w.is_changed()) {
        spawn_debrief(commands, step, workshop, run, theme, roots);
    }
}

fn spawn_debrief(
    mut commands: Commands,
    step: Res<DebriefStep>,
    workshop: Option<Res<Workshop>>,
    run: Option<Res<ActiveRun>>,
    theme: Res<Theme>,
    roots: Query<Entity, With<DebriefRoot>>,
) {
    for root in &roots {
        commands.entity(root).despawn();
    }
    let (Some(w), Some(r)) = (workshop, run) else { return };
    let s = w.text_scale;
    let theme = theme.clone();
    let palette = theme.palette;
    let step = step.0;
    let ending = r.session.ending(&r.scenario).cloned();
    let first = r.session.transcript.first().map_or(r.session.meters, |d| d.meters_before);
    let now = r.session.meters;
    let decisions: Vec<String> = w
        .decisions
        .iter()
        .filter(|d| d.scenario == r.scenario.id)
        .map(|d| {
            let moment = r.scenario.beat(&d.beat).map(|b| shorten(&b.text, 60)).unwrap_or_default();
            let delta = d.meters_after.delta_since(&d.meters_before);
            format!(
                "{}. {moment}\n    {}   {}",
                d.number,
                vote_summary(d),
                crate::game::screens::debrief::delta_words(delta)
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
    let roads: Vec<String> = r
        .session
        .transcript
        .iter()
        .filter_map(|d| {
            let beat = r.scenario.beat(&d.beat)?;
            let others: Vec<String> = beat
                .choices
                .iter()
                .filter(|c| c.id != d.choice)
                .map(|c| format!("“{}” ({})", shorten(&c.text, 40), c.lesson))
                .collect();
            Some(format!("{}. Not taken: {}", d.number, others.join("; ")))
        })
        .collect();
    let exports = match &w.exports {
        Some(Ok(folder)) => format!("CSV, JSON, xAPI and the printable HTML report are in {}", folder.display()),
        Some(Err(e)) => format!("The exports could not be written: {e}"),
        None => String::new(),
    };
    let log = format!("Session log: {}", w.log_path.display());
    let more_stages = r.campaign.as_ref().is_some_and(|(c, run)| run.next_scenario(c).is_some());
    commands.spawn((
        DebriefRoot,
        crate::game::theme::screen_root(Screen::WorkshopDebrief),
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            let steps: Vec<String> = STEPS
                .iter()
                .enumerate()
                .map(|(i, name)| if i == step { format!("[{}. {name}]", i + 1) } else { format!("{}. {name}", i + 1) })
                .collect();
            p.spawn(big(steps.join("    "), SMALL, s, palette.dim));
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
                    for line in decisions {
                        p.spawn(big(line, SMALL, s, palette.text));
                    }
                }
                2 => {
                    p.spawn(big_bold("Lessons met", BODY * 0.8, s, palette.text, &theme));
                    for line in lessons {
                        p.spawn(big(line, SMALL, s, palette.text));
                    }
                    p.spawn(big_bold("Roads not taken", BODY * 0.8, s, palette.text, &theme));
                    for line in roads {
                        p.spawn(big(line, SMALL * 0.9, s, palette.dim));
                    }
                }
                _ => {
                    p.spawn(big_bold("Questions for the room", BODY * 0.8, s, palette.text, &theme));
                    for line in questions {
                        p.spawn(big(line, SMALL, s, palette.text));
                    }
                    p.spawn(big(exports, SMALL * 0.8, s, palette.focus));
                    p.spawn(big(log, SMALL * 0.7, s, palette.dim));
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

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_string() } else { text.chars().take(max - 1).collect::<String>() + "…" }
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
