//! Where every id of a file is defined and used, read from the lenient source map, so it
//! works on files that do not parse (yet) as well as on good ones.

use std::ops::Range;

use crate::scenario::limits::MAX_DEPTH;
pub use crate::scenario::load::normalize;
use crate::scenario::locate::{FieldName, SourceMap, locate};

/// What kind of name an id is; ids of different kinds never refer to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    Scenario,
    Campaign,
    Beat,
    Ending,
    Cast,
    /// Scoped to its beat.
    Choice,
    Flag,
    Lesson,
    Meter,
    Review,
}

impl IdKind {
    pub fn describe(self) -> &'static str {
        match self {
            IdKind::Scenario => "scenario",
            IdKind::Campaign => "campaign",
            IdKind::Beat => "beat",
            IdKind::Ending => "ending",
            IdKind::Cast => "cast member",
            IdKind::Choice => "choice",
            IdKind::Flag => "flag",
            IdKind::Lesson => "lesson",
            IdKind::Meter => "meter",
            IdKind::Review => "review outcome",
        }
    }
}

/// One id written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub kind: IdKind,
    pub name: String,
    /// The id itself, without its quotes.
    pub span: Range<usize>,
    /// True where the id is declared (a beat's `id`, or a flag in `sets`).
    pub definition: bool,
    /// The beat index, for choices (choice ids are unique within their beat).
    pub scope: usize,
    /// Where in the file, e.g. `beats[2].choices[0].next[0]`.
    pub path: String,
}

impl Occurrence {
    pub fn same_symbol(&self, other: &Occurrence) -> bool {
        self.kind == other.kind && self.name == other.name && (self.kind != IdKind::Choice || self.scope == other.scope)
    }
}

#[derive(Debug, Default)]
pub struct FileIndex {
    /// `Scenario` or `Campaign` (or whatever the file starts with).
    pub top: Option<String>,
    /// Where each value sits. Paths are made from it when asked for (see
    /// [`FileIndex::visit_values`]): keeping every value's path, once in a list and once in a
    /// map from path to span, took most of the 372 MB `leap lsp` held for a file of a million
    /// values.
    map: SourceMap,
    /// Each struct's path and the fields written in it.
    pub structs: Vec<(String, Vec<FieldName>)>,
    /// In source order.
    pub occurrences: Vec<Occurrence>,
}

impl FileIndex {
    pub fn build(source: &str) -> FileIndex {
        let mut map = locate(source, MAX_DEPTH);
        let campaign = map.top_name.as_deref() == Some("Campaign");
        let mut occurrences = Vec::new();
        map.visit_values(|path, span| {
            if let Some((kind, definition)) = classify(source, path, &map, campaign)
                && let Some(inner) = id_text(source, &span)
            {
                let scope = if kind == IdKind::Choice { first_index(path) } else { 0 };
                let name = source[inner.clone()].to_string();
                occurrences.push(Occurrence { kind, name, span: inner, definition, scope, path: path.to_string() });
            }
        });
        for (path, fields) in &map.structs {
            if path.ends_with("effects") || path == "start_meters" {
                for (name, span) in fields {
                    occurrences.push(Occurrence {
                        kind: IdKind::Meter,
                        name: name.clone(),
                        span: span.clone(),
                        definition: false,
                        scope: 0,
                        path: format!("{path}.{name}"),
                    });
                }
            }
        }
        occurrences.sort_by_key(|o| o.span.start);
        let structs = std::mem::take(&mut map.structs);
        FileIndex { top: map.top_name.clone(), map, structs, occurrences }
    }

    pub fn is_campaign(&self) -> bool {
        self.top.as_deref() == Some("Campaign")
    }

    /// Calls `visit` with every value's path and span, parents first.
    pub fn visit_values(&self, visit: impl FnMut(&str, Range<usize>)) {
        self.map.visit_values(visit);
    }

    /// The span of the value at `path`, if written.
    pub fn span(&self, path: &str) -> Option<Range<usize>> {
        self.map.exact(path)
    }

    /// The id under the cursor (a cursor just after an id counts as on it).
    pub fn at(&self, offset: usize) -> Option<&Occurrence> {
        self.occurrences.iter().find(|o| o.span.start <= offset && offset <= o.span.end)
    }

    pub fn same_symbol<'a>(&'a self, wanted: &'a Occurrence) -> impl Iterator<Item = &'a Occurrence> {
        self.occurrences.iter().filter(move |o| o.same_symbol(wanted))
    }

    pub fn definitions(&self, kind: IdKind) -> impl Iterator<Item = &Occurrence> {
        self.occurrences.iter().filter(move |o| o.kind == kind && o.definition)
    }
}

/// What the value at `path` is, when it is an id: its kind and whether it declares it.
fn classify(source: &str, path: &str, map: &SourceMap, campaign: bool) -> Option<(IdKind, bool)> {
    // Most values are texts and numbers: rule them out by their last key before any work.
    let last = path.rsplit(['.', '[']).next().unwrap_or(path);
    if !(last.ends_with(']') || matches!(last, "id" | "start" | "speaker" | "lesson")) {
        return None;
    }
    let shape = normalize(path);
    let found = match (campaign, shape.as_str()) {
        (false, "id") => (IdKind::Scenario, true),
        (true, "id") => (IdKind::Campaign, true),
        (true, "scenarios[]") => (IdKind::Scenario, false),
        (true, "review[].id") => (IdKind::Review, true),
        (false, "start") => (IdKind::Beat, false),
        (false, "beats[].id") => (IdKind::Beat, true),
        (false, "beats[].speaker") => (IdKind::Cast, false),
        (false, "cast[].id") => (IdKind::Cast, true),
        (false, "endings[].id") => (IdKind::Ending, true),
        (false, "beats[].choices[].id") => (IdKind::Choice, true),
        (_, "lessons[]") | (_, "beats[].choices[].lesson") => (IdKind::Lesson, false),
        (false, s) if s.ends_with(".sets[]") => (IdKind::Flag, true),
        _ => {
            // An argument of `Beat(...)`, `Flag(...)`, `MeterAtLeast(...)` and the like.
            let parent = path.strip_suffix("[0]")?;
            let constructor = constructor(source, &map.exact(parent)?)?;
            let kind = match constructor {
                "Beat" => IdKind::Beat,
                "Ending" => IdKind::Ending,
                "Flag" => IdKind::Flag,
                "LessonMet" | "LessonApplied" => IdKind::Lesson,
                "MeterAtLeast" | "MeterAtMost" => IdKind::Meter,
                _ => return None,
            };
            (kind, false)
        }
    };
    Some(found)
}

/// `Beat` for the text `Beat("x")`.
fn constructor<'a>(source: &'a str, span: &Range<usize>) -> Option<&'a str> {
    let text = source.get(span.clone())?;
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    (end > 0 && text[end..].trim_start().starts_with('(')).then_some(&text[..end])
}

/// The id inside a value: the text between the quotes of a one-line string, or a bare name.
fn id_text(source: &str, span: &Range<usize>) -> Option<Range<usize>> {
    let text = source.get(span.clone())?;
    if text.contains('\n') {
        return None;
    }
    if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        return Some(span.start + 1..span.end - 1);
    }
    let bare = !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    bare.then(|| span.clone())
}

/// The first list index in a path: 3 in `beats[3].choices[0].id`.
pub fn first_index(path: &str) -> usize {
    path.split_once('[').and_then(|(_, rest)| rest.split_once(']')).and_then(|(n, _)| n.parse().ok()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_definitions_and_references() {
        let src = r#"Scenario(id: "s", start: "a", cast: [(id: "sam")], beats: [(id: "a", speaker: "sam",
            choices: [(id: "c", lesson: "L01", sets: ["f"], requires: Not(Flag("f")), effects: (trust: 1),
            next: Ending("e"))])], endings: [(id: "e", when: MeterAtMost(trust, 10))])"#;
        let index = FileIndex::build(src);
        let seen: Vec<(IdKind, &str, bool)> =
            index.occurrences.iter().map(|o| (o.kind, o.name.as_str(), o.definition)).collect();
        assert_eq!(
            seen,
            [
                (IdKind::Scenario, "s", true),
                (IdKind::Beat, "a", false),
                (IdKind::Cast, "sam", true),
                (IdKind::Beat, "a", true),
                (IdKind::Cast, "sam", false),
                (IdKind::Choice, "c", true),
                (IdKind::Lesson, "L01", false),
                (IdKind::Flag, "f", true),
                (IdKind::Flag, "f", false),
                (IdKind::Meter, "trust", false),
                (IdKind::Ending, "e", false),
                (IdKind::Ending, "e", true),
                (IdKind::Meter, "trust", false),
            ]
        );
    }
}
