//! Hovers: a lesson with its sentence and article, a beat with who speaks and how it starts,
//! a choice with everything it does, an ending, a cast member, a scenario, a flag, a meter.
//! They read the last version of the file that parsed, so they keep working while it is broken.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position, Uri};

use super::index::{IdKind, Occurrence, first_index};
use super::workspace::Workspace;
use crate::scenario::format::{Choice, Effects, Meter, Next, Scenario};
use crate::scenario::lessons::lesson;
use crate::scenario::{Corpus, Document};
use crate::tools::graph::condition_text;

pub fn hover(workspace: &mut Workspace, uri: &Uri, position: Position) -> Option<Hover> {
    let document = workspace.document(uri)?;
    let analysis = document.analysis();
    let occurrence = analysis.index().at(analysis.offset(position))?.clone();
    let range = analysis.range(occurrence.span.clone());
    let scenario = match &document.last_good {
        Some(Document::Scenario(s)) => Some(s.clone()),
        _ => None,
    };
    // The beat a choice belongs to, by the id written in the current text.
    let beat_id = analysis
        .index()
        .span(&format!("beats[{}].id", first_index(&occurrence.path)))
        .map(|s| analysis.text[s].trim_matches('"').to_string());
    let text = match occurrence.kind {
        IdKind::Scenario => scenario_text(workspace, uri, &occurrence.name),
        kind => describe(kind, &occurrence, scenario.as_ref(), beat_id.as_deref()),
    }?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: text }),
        range: Some(range),
    })
}

fn describe(
    kind: IdKind,
    occurrence: &Occurrence,
    scenario: Option<&Scenario>,
    beat_id: Option<&str>,
) -> Option<String> {
    let name = occurrence.name.as_str();
    match kind {
        IdKind::Lesson => {
            let lesson = lesson(name)?;
            Some(format!("**{} · {}**\n\n{}\n\n*From* {}", lesson.id, lesson.name, lesson.summary, lesson.citation()))
        }
        IdKind::Meter => {
            let meter = Meter::ALL.into_iter().find(|m| m.id() == name)?;
            Some(format!("**{}** (meter `{}`), from 0 to 100", meter.label(), meter.id()))
        }
        IdKind::Beat => {
            let beat = scenario?.beat(name)?;
            let speaker = match &beat.speaker {
                Some(id) => match scenario?.cast_member(id) {
                    Some(member) => format!("{} ({})", member.name, member.role),
                    None => format!("`{id}`"),
                },
                None => "Narration".into(),
            };
            Some(format!("**beat `{name}`** · {} choices\n\n{speaker}: {}", beat.choices.len(), opening(&beat.text)))
        }
        IdKind::Choice => {
            let choice = scenario?.beat(beat_id?)?.choices.iter().find(|c| c.id == name)?;
            Some(choice_text(choice))
        }
        IdKind::Ending => {
            let ending = scenario?.ending(name)?;
            let rule = ending
                .when
                .as_ref()
                .map(|w| format!("\n\nReached as soon as {}", condition_text(w)))
                .unwrap_or_default();
            Some(format!(
                "**ending `{name}`**: {} ({}){rule}\n\n{}",
                ending.title,
                ending.verdict.label(),
                opening(&ending.text)
            ))
        }
        IdKind::Cast => {
            let member = scenario?.cast_member(name)?;
            Some(format!("**{}**, {}", member.name, member.role))
        }
        IdKind::Flag => {
            let setters: Vec<String> = scenario?
                .beats
                .iter()
                .flat_map(|b| b.choices.iter().map(move |c| (b, c)))
                .filter(|(_, c)| {
                    c.sets.contains(&name.to_string())
                        || c.outcomes.iter().any(|o| o.sets.iter().any(|s| s == name))
                        || c.later.iter().any(|l| l.sets.iter().any(|s| s == name))
                })
                .map(|(b, c)| format!("`{}` in beat `{}`", c.id, b.id))
                .collect();
            Some(format!(
                "**flag `{name}`**, set by {}",
                if setters.is_empty() { "no choice".into() } else { setters.join(", ") }
            ))
        }
        IdKind::Scenario | IdKind::Campaign | IdKind::Review => None,
    }
}

fn scenario_text(workspace: &mut Workspace, uri: &Uri, id: &str) -> Option<String> {
    let group = workspace.group(uri);
    let corpus = Corpus::from_files(group.iter().map(|m| m.analysis.loaded.clone()).collect());
    let file = corpus.file_of(id)?;
    match &file.document {
        Some(Document::Scenario(s)) => Some(format!(
            "**{}** (`{id}`)\n\n{}\n\n{} beats, {} endings",
            s.title,
            s.summary,
            s.beats.len(),
            s.endings.len()
        )),
        Some(Document::Campaign(c)) => Some(format!("**{}** (campaign `{id}`)\n\n{}", c.title, c.summary)),
        None => None,
    }
}

/// The first 160 characters of a text, on one line.
fn opening(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= 160 { flat } else { format!("{}…", flat.chars().take(160).collect::<String>()) }
}

fn effects_text(effects: &Effects) -> String {
    let parts: Vec<String> = effects.listed().map(|(m, v)| format!("{} {v:+}", m.label())).collect();
    if parts.is_empty() { "no change".into() } else { parts.join(", ") }
}

fn choice_text(choice: &Choice) -> String {
    let mut lines = vec![format!("**choice `{}`**: {}", choice.id, opening(&choice.text))];
    lines.push(format!("- effects: {}", effects_text(&choice.effects)));
    if !choice.outcomes.is_empty() {
        let total: i64 = choice.outcomes.iter().map(|o| i64::from(o.weight.max(0))).sum();
        for outcome in &choice.outcomes {
            let next = outcome.next.as_ref().map(next_text).map(|n| format!(", then {n}")).unwrap_or_default();
            lines.push(format!("- chance {}/{total}: {}{next}", outcome.weight, effects_text(&outcome.effects)));
        }
    }
    if !choice.sets.is_empty() {
        lines.push(format!("- sets: {}", choice.sets.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")));
    }
    for later in &choice.later {
        lines.push(format!(
            "- after {} decision{}: {}",
            later.after,
            if later.after == 1 { "" } else { "s" },
            effects_text(&later.effects)
        ));
    }
    if let Some(requires) = &choice.requires {
        lines.push(format!("- requires: {}", condition_text(requires)));
    }
    let lesson_name = lesson(&choice.lesson).map(|l| format!(" ({})", l.name)).unwrap_or_default();
    lines.push(format!("- teaches `{}`{lesson_name}", choice.lesson));
    lines.push(format!("- leads to {}", next_text(&choice.next)));
    lines.join("\n")
}

fn next_text(next: &Next) -> String {
    match next {
        Next::Beat(id) => format!("beat `{id}`"),
        Next::Ending(id) => format!("ending `{id}`"),
    }
}
