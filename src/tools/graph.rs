//! A scenario as a graph, in Mermaid (pastes into Markdown) or Graphviz DOT.
//!
//! Beats are boxes, endings are rounded and coloured by verdict, each choice is an edge
//! labelled with its id and effects. A chance choice draws one edge per outcome (thick in
//! Mermaid, bold blue in DOT) and a choice with `requires` is dashed, with its condition.
//! Rule endings (`when`) hang off one "after any decision" node.

use crate::scenario::{Choice, Condition, Effects, Meter, Next, Scenario, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Locked,
    Chance,
}

struct Edge {
    from: String,
    to: String,
    lines: Vec<String>,
    style: Style,
}

struct Node {
    id: String,
    lines: Vec<String>,
    verdict: Option<Verdict>,
}

/// Everything both formats draw, in file order.
struct Graph {
    beats: Vec<Node>,
    endings: Vec<Node>,
    start: String,
    edges: Vec<Edge>,
    /// (ending node, condition text) for rule endings.
    rules: Vec<(String, String)>,
}

fn build(scenario: &Scenario) -> Graph {
    let node_of = |next: &Next| match next {
        Next::Beat(id) => scenario.beats.iter().position(|b| &b.id == id).map(|i| format!("b{i}")),
        Next::Ending(id) => scenario.endings.iter().position(|e| &e.id == id).map(|i| format!("e{i}")),
    };
    let beats = scenario
        .beats
        .iter()
        .enumerate()
        .map(|(i, beat)| {
            let mut lines = vec![beat.id.clone()];
            if let Some(member) = beat.speaker.as_deref().and_then(|s| scenario.cast_member(s)) {
                lines.push(format!("speaker: {}", member.name));
            }
            Node { id: format!("b{i}"), lines, verdict: None }
        })
        .collect();
    let endings = scenario
        .endings
        .iter()
        .enumerate()
        .map(|(i, ending)| Node {
            id: format!("e{i}"),
            lines: vec![ending.title.clone(), format!("{} ending: {}", ending.verdict.label(), ending.id)],
            verdict: Some(ending.verdict),
        })
        .collect();
    let mut edges = Vec::new();
    for (b, beat) in scenario.beats.iter().enumerate() {
        for choice in &beat.choices {
            let locked = choice.requires.as_ref().map(|c| format!("locked unless {}", condition_text(c)));
            let style = if locked.is_some() { Style::Locked } else { Style::Plain };
            let mut head = choice_lines(choice);
            head.extend(locked);
            let total: i32 = choice.outcomes.iter().map(|o| o.weight.max(0)).sum();
            if total == 0 {
                if let Some(to) = node_of(&choice.next) {
                    edges.push(Edge { from: format!("b{b}"), to, lines: head, style });
                }
                continue;
            }
            for outcome in choice.outcomes.iter().filter(|o| o.weight > 0) {
                let Some(to) = node_of(outcome.next.as_ref().unwrap_or(&choice.next)) else { continue };
                let mut lines = head.clone();
                let mut chance = format!("chance {}/{total}", outcome.weight);
                if !outcome.effects.is_empty() {
                    chance.push_str(&format!(": {}", effects_text(&outcome.effects)));
                }
                if !outcome.sets.is_empty() {
                    chance.push_str(&format!(", sets {}", outcome.sets.join(", ")));
                }
                lines.push(chance);
                let style = if style == Style::Locked { Style::Locked } else { Style::Chance };
                edges.push(Edge { from: format!("b{b}"), to, lines, style });
            }
        }
    }
    let rules = scenario
        .endings
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.when.as_ref().map(|w| (format!("e{i}"), format!("when {}", condition_text(w)))))
        .collect();
    let start = scenario.beats.iter().position(|b| b.id == scenario.start).map_or("b0".into(), |i| format!("b{i}"));
    Graph { beats, endings, start, edges, rules }
}

/// The choice's id, effects, flags and delayed effects, one line each.
fn choice_lines(choice: &Choice) -> Vec<String> {
    let mut lines = vec![choice.id.clone()];
    if !choice.effects.is_empty() {
        lines.push(effects_text(&choice.effects));
    }
    if !choice.sets.is_empty() {
        lines.push(format!("sets {}", choice.sets.join(", ")));
    }
    for later in &choice.later {
        let decisions = if later.after == 1 { "decision" } else { "decisions" };
        let mut line = format!("after {} {decisions}: {}", later.after, effects_text(&later.effects));
        // A flag set later is what a `Flag(...)` condition elsewhere may be waiting for.
        if !later.sets.is_empty() {
            line.push_str(&format!(", sets {}", later.sets.join(", ")));
        }
        lines.push(line);
    }
    lines
}

fn short_name(meter: Meter) -> &'static str {
    match meter {
        Meter::Trust => "trust",
        Meter::StrategicImpact => "impact",
        Meter::TeamEngagement => "engagement",
    }
}

fn effects_text(effects: &Effects) -> String {
    let parts: Vec<String> =
        effects.listed().filter(|(_, v)| *v != 0).map(|(m, v)| format!("{} {v:+}", short_name(m))).collect();
    if parts.is_empty() { "no change".into() } else { parts.join(", ") }
}

/// A compact reading of a condition, e.g. `trust ≥ 55 and not blamed-sam`.
pub fn condition_text(condition: &Condition) -> String {
    let joined = |list: &[Condition], word: &str| {
        let parts: Vec<String> = list
            .iter()
            .map(|c| match c {
                Condition::All(_) | Condition::Any(_) => format!("({})", condition_text(c)),
                _ => condition_text(c),
            })
            .collect();
        parts.join(word)
    };
    match condition {
        Condition::All(list) => joined(list, " and "),
        Condition::Any(list) => joined(list, " or "),
        Condition::Not(inner) => match inner.as_ref() {
            Condition::All(_) | Condition::Any(_) => format!("not ({})", condition_text(inner)),
            _ => format!("not {}", condition_text(inner)),
        },
        Condition::MeterAtLeast(m, v) => format!("{} ≥ {v}", short_name(*m)),
        Condition::MeterAtMost(m, v) => format!("{} ≤ {v}", short_name(*m)),
        Condition::Flag(flag) => flag.clone(),
        Condition::LessonMet(id) => format!("met {id}"),
        Condition::LessonsMetAtLeast(n) => format!("{n}+ lessons met"),
        Condition::LessonApplied(id) => format!("applied {id}"),
        Condition::LessonsAppliedAtLeast(n) => format!("{n}+ lessons applied"),
    }
}

/// Mermaid `flowchart` text, ready for a ```mermaid block in Markdown.
pub fn mermaid(scenario: &Scenario) -> String {
    let graph = build(scenario);
    let text = |lines: &[String]| {
        lines
            .iter()
            .map(|l| l.replace('&', "#amp;").replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;"))
            .collect::<Vec<_>>()
            .join("<br/>")
    };
    let mut out = format!("%% {} ({}): generated by `leap graph`\nflowchart TD\n", scenario.title, scenario.id);
    out.push_str(&format!("    start((start)) --> {}\n", graph.start));
    for node in &graph.beats {
        out.push_str(&format!("    {}[\"{}\"]\n", node.id, text(&node.lines)));
    }
    for node in &graph.endings {
        let class = node.verdict.map_or("weak", verdict_class);
        out.push_str(&format!("    {}([\"{}\"]):::{class}\n", node.id, text(&node.lines)));
    }
    for edge in &graph.edges {
        let arrow = match edge.style {
            Style::Plain => "-->",
            Style::Locked => "-.->",
            Style::Chance => "==>",
        };
        out.push_str(&format!("    {} {arrow}|\"{}\"| {}\n", edge.from, text(&edge.lines), edge.to));
    }
    if !graph.rules.is_empty() {
        out.push_str("    rules{{\"after any decision\"}}\n");
        for (to, when) in &graph.rules {
            out.push_str(&format!("    rules -.->|\"{}\"| {to}\n", text(std::slice::from_ref(when))));
        }
    }
    out.push_str("    classDef strong fill:#d4edda,stroke:#2e7d32\n");
    out.push_str("    classDef mixed fill:#fff3cd,stroke:#b8860b\n");
    out.push_str("    classDef weak fill:#f8d7da,stroke:#b22222\n");
    out
}

/// Graphviz DOT text, for `dot -Tsvg`.
pub fn dot(scenario: &Scenario) -> String {
    let graph = build(scenario);
    let text = |lines: &[String]| {
        lines.iter().map(|l| l.replace('\\', "\\\\").replace('"', "\\\"")).collect::<Vec<_>>().join("\\n")
    };
    let mut out = format!("// {} ({}): generated by `leap graph`\n", scenario.title, scenario.id);
    out.push_str(&format!("digraph \"{}\" {{\n", text(std::slice::from_ref(&scenario.id))));
    out.push_str("    node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    out.push_str("    edge [fontname=\"Helvetica\", fontsize=10];\n");
    out.push_str(&format!("    start [shape=circle, label=\"start\"];\n    start -> {};\n", graph.start));
    for node in &graph.beats {
        out.push_str(&format!("    {} [label=\"{}\"];\n", node.id, text(&node.lines)));
    }
    for node in &graph.endings {
        let fill = match node.verdict {
            Some(Verdict::Strong) => "#d4edda",
            Some(Verdict::Mixed) => "#fff3cd",
            _ => "#f8d7da",
        };
        out.push_str(&format!(
            "    {} [shape=ellipse, style=filled, fillcolor=\"{fill}\", label=\"{}\"];\n",
            node.id,
            text(&node.lines)
        ));
    }
    for edge in &graph.edges {
        let style = match edge.style {
            Style::Plain => "",
            Style::Locked => ", style=dashed, color=\"gray40\"",
            Style::Chance => ", style=bold, color=\"#1f5fa8\"",
        };
        out.push_str(&format!("    {} -> {} [label=\"{}\"{style}];\n", edge.from, edge.to, text(&edge.lines)));
    }
    if !graph.rules.is_empty() {
        out.push_str("    rules [shape=hexagon, label=\"after any decision\"];\n");
        for (to, when) in &graph.rules {
            out.push_str(&format!(
                "    rules -> {to} [label=\"{}\", style=dotted];\n",
                text(std::slice::from_ref(when))
            ));
        }
    }
    out.push_str("}\n");
    out
}

fn verdict_class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Strong => "strong",
        Verdict::Mixed => "mixed",
        Verdict::Weak => "weak",
    }
}
