//! Completion from what the cursor is in: an id inside `Beat("`, `Ending("`, `speaker: "`,
//! `lesson: "`, `Flag("`, a `sets` or `lessons` list or a campaign's `scenarios`; a value after
//! `verdict:`, `locked:`, `next:`, `requires:` or `when:`; a meter inside `MeterAtLeast(`; or the
//! fields the struct at the cursor accepts and does not have yet. Field and variant names come
//! from the format's own types, so new fields appear here without changes.

use std::collections::BTreeSet;

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, Position, TextEdit, Uri};

use super::index::{FileIndex, IdKind};
use super::workspace::{Analysis, Workspace};
use crate::scenario::fields::enum_variants;
use crate::scenario::format::{Condition, Locked, Meter, Next, Stance, Verdict};
use crate::scenario::lessons::LESSONS;
use crate::scenario::load::fields_at;

/// The values a field takes when it holds an enum, by field name.
fn field_variants(field: &str) -> Option<&'static [&'static str]> {
    match field {
        "verdict" => Some(enum_variants::<Verdict>()),
        "locked" => Some(enum_variants::<Locked>()),
        "next" => Some(enum_variants::<Next>()),
        "requires" | "when" => Some(enum_variants::<Condition>()),
        "stance" => Some(enum_variants::<Stance>()),
        _ => None,
    }
}

/// How a variant is written: a bare name, or its brackets with the cursor's place marked.
fn variant_text(variant: &str) -> String {
    match variant {
        "Strong" | "Mixed" | "Weak" | "Hide" | "Applies" | "Partly" | "Misses" => variant.to_string(),
        "Beat" | "Ending" | "Flag" | "LessonMet" | "LessonApplied" | "Show" => format!("{variant}(\"\")"),
        "All" | "Any" => format!("{variant}([])"),
        _ => format!("{variant}()"),
    }
}

pub fn complete(workspace: &mut Workspace, uri: &Uri, position: Position) -> Vec<CompletionItem> {
    let scenario_ids: Vec<String> = {
        let group = workspace.group(uri);
        group.iter().flat_map(|m| m.analysis.index().definitions(IdKind::Scenario).map(|o| o.name.clone())).collect()
    };
    let Some(document) = workspace.document(uri) else { return Vec::new() };
    let analysis = document.analysis();
    let offset = analysis.offset(position);
    let before = &analysis.text[..offset];
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = &before[line_start..];

    if let Some(quote) = open_quote(line) {
        let quote = line_start + quote;
        let edit_range = analysis.range(quote + 1..offset);
        let context = context_before(&analysis.text[..quote]);
        let ids = ids_for(&context, analysis.index(), &scenario_ids);
        return ids.into_iter().map(|(label, detail, doc)| id_item(label, detail, doc, edit_range)).collect();
    }

    let word_start = before.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_').len();
    let context = context_before(&analysis.text[..word_start]);
    // An id written without its quotes yet (`speaker: `, `Beat(`): insert it quoted.
    let ids = ids_for(&context, analysis.index(), &scenario_ids);
    if !ids.is_empty() {
        let range = analysis.range(word_start..offset);
        return ids
            .into_iter()
            .map(|(label, detail, doc)| CompletionItem {
                text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: format!("\"{label}\"") })),
                ..id_item(label, detail, doc, range)
            })
            .collect();
    }
    match context {
        Context::Field(field) => {
            field_variants(&field).into_iter().flatten().map(|v| variant_item(v, &field)).collect()
        }
        Context::Argument(constructor) if constructor.starts_with("MeterAt") => meter_items(),
        Context::Argument(constructor) if matches!(constructor.as_str(), "Not" | "All" | "Any") => {
            enum_variants::<Condition>().iter().map(|v| variant_item(v, "condition")).collect()
        }
        _ => field_items(analysis, word_start),
    }
}

/// Where a string opened on this line and not closed yet starts, if the cursor is in one.
fn open_quote(line: &str) -> Option<usize> {
    let mut open = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' if open.is_some() && !escaped => escaped = true,
            '"' if !escaped => open = if open.is_some() { None } else { Some(i) },
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    open
}

#[derive(Debug, PartialEq)]
enum Context {
    /// Right after `name:`, or inside a list written there (`sets: ["a", `).
    Field(String),
    /// Right after `Name(`.
    Argument(String),
    Other,
}

/// What the text just before a value is: skips back over whitespace, commas, list brackets
/// and finished strings, then reads `name:` or `Name(`.
fn context_before(text: &str) -> Context {
    let mut rest = text;
    // Commas and strings are skipped only inside a list: after `text: "x", ` comes a field name.
    let (mut in_list, mut skipped) = (false, false);
    loop {
        let trimmed = rest.trim_end();
        if let Some(inner) = trimmed.strip_suffix('[') {
            (rest, in_list) = (inner, true);
        } else if let Some(inner) = trimmed.strip_suffix(',') {
            (rest, skipped) = (inner, true);
        } else if let Some(inner) = trimmed.strip_suffix('"') {
            match inner.rfind('"') {
                Some(open) => (rest, skipped) = (&inner[..open], true),
                None => return Context::Other,
            }
        } else if let Some(inner) = trimmed.strip_suffix(':') {
            if skipped && !in_list {
                return Context::Other;
            }
            return name_before(inner).map(Context::Field).unwrap_or(Context::Other);
        } else if let Some(inner) = trimmed.strip_suffix('(') {
            return name_before(inner).map(Context::Argument).unwrap_or(Context::Other);
        } else {
            return Context::Other;
        }
    }
}

fn name_before(text: &str) -> Option<String> {
    let text = text.trim_end();
    let start = text.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_').len();
    (start < text.len()).then(|| text[start..].to_string())
}

type Id = (String, Option<String>, Option<String>);

/// The ids that fit a context: (id, short detail, documentation).
fn ids_for(context: &Context, index: &FileIndex, scenario_ids: &[String]) -> Vec<Id> {
    let defined = |kind: IdKind| -> Vec<Id> {
        let names: BTreeSet<String> = index.definitions(kind).map(|o| o.name.clone()).collect();
        names.into_iter().map(|n| (n, Some(kind.describe().to_string()), None)).collect()
    };
    let name = match context {
        Context::Field(name) | Context::Argument(name) => name.as_str(),
        Context::Other => return Vec::new(),
    };
    match name {
        "Beat" | "start" => defined(IdKind::Beat),
        "Ending" => defined(IdKind::Ending),
        "speaker" => defined(IdKind::Cast),
        "Flag" | "sets" => {
            let names: BTreeSet<String> =
                index.occurrences.iter().filter(|o| o.kind == IdKind::Flag).map(|o| o.name.clone()).collect();
            names.into_iter().map(|n| (n, Some("flag".into()), None)).collect()
        }
        "lesson" | "lessons" | "LessonMet" | "LessonApplied" => LESSONS
            .iter()
            .map(|l| {
                (l.id.to_string(), Some(l.name.to_string()), Some(format!("{}\n\nFrom {}", l.summary, l.citation())))
            })
            .collect(),
        "scenarios" => scenario_ids.iter().map(|n| (n.clone(), Some("scenario".into()), None)).collect(),
        _ => Vec::new(),
    }
}

fn id_item(label: String, detail: Option<String>, doc: Option<String>, range: lsp_types::Range) -> CompletionItem {
    CompletionItem {
        text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: label.clone() })),
        filter_text: Some(label.clone()),
        kind: Some(CompletionItemKind::VALUE),
        detail,
        documentation: doc.map(Documentation::String),
        label,
        ..Default::default()
    }
}

fn variant_item(variant: &str, field: &str) -> CompletionItem {
    CompletionItem {
        label: variant.to_string(),
        insert_text: Some(variant_text(variant)),
        kind: Some(CompletionItemKind::ENUM_MEMBER),
        detail: Some(format!("for `{field}`")),
        ..Default::default()
    }
}

fn meter_items() -> Vec<CompletionItem> {
    Meter::ALL
        .iter()
        .map(|m| CompletionItem {
            label: m.id().to_string(),
            kind: Some(CompletionItemKind::PROPERTY),
            detail: Some(m.label().to_string()),
            ..Default::default()
        })
        .collect()
}

/// The fields of the innermost struct around the cursor that it does not write yet.
fn field_items(analysis: &Analysis, offset: usize) -> Vec<CompletionItem> {
    let top = analysis.index().top.as_deref().unwrap_or("");
    let mut inside: Option<(String, std::ops::Range<usize>, _)> = None;
    analysis.index().visit_values(|path, span| {
        // An unclosed struct runs to the end of the text.
        let around = span.start < offset && (offset < span.end || span.end == analysis.text.len());
        let narrower = inside.as_ref().is_none_or(|(_, best, _)| span.len() < best.len());
        if around
            && narrower
            && let Some(found) = fields_at(top, path)
        {
            inside = Some((path.to_string(), span, found));
        }
    });
    let Some((path, _, (what, fields))) = inside else { return Vec::new() };
    let path = path.as_str();
    let written: Vec<&str> = analysis
        .index()
        .structs
        .iter()
        .filter(|(p, _)| p == path)
        .flat_map(|(_, fields)| fields.iter().map(|(name, _)| name.as_str()))
        .collect();
    let is_meters = path.ends_with("effects") || path == "start_meters";
    fields
        .iter()
        .filter(|f| !written.contains(f))
        .map(|field| CompletionItem {
            label: field.to_string(),
            insert_text: Some(format!("{field}: ")),
            kind: Some(if is_meters { CompletionItemKind::PROPERTY } else { CompletionItemKind::FIELD }),
            detail: Some(format!("field of {what}")),
            ..Default::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_context_before_a_value() {
        assert_eq!(context_before("next: Beat("), Context::Argument("Beat".into()));
        assert_eq!(context_before("sets: [\"a\", "), Context::Field("sets".into()));
        assert_eq!(context_before("  speaker: "), Context::Field("speaker".into()));
        assert_eq!(context_before("text: \"x\", "), Context::Other);
        assert_eq!(open_quote(r#"  lesson: "L0"#), Some(10));
        assert_eq!(open_quote(r#"  text: "a \" b", id: "#), None);
    }
}
