//! Go to definition, find references and rename, for every kind of id in `index::IdKind`.
//! Scenario ids and lesson ids reach across the files checked together; the rest stay in
//! their file (beats, endings, cast and flags belong to one scenario).

use std::collections::HashMap;

use lsp_types::{
    AnnotatedTextEdit, ChangeAnnotation, DocumentChanges, Location, OneOf, OptionalVersionedTextDocumentIdentifier,
    Position, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::index::{IdKind, Occurrence};
use super::workspace::{Member, Workspace};
use crate::scenario::limits::MAX_ID_CHARS;

/// The id under the cursor in an open document, and the files checked with it.
fn target<'w>(workspace: &'w mut Workspace, uri: &Uri, position: Position) -> Option<(Occurrence, Vec<Member<'w>>)> {
    let document = workspace.document(uri)?;
    let analysis = document.analysis();
    let offset = analysis.offset(position);
    let occurrence = analysis.index().at(offset)?.clone();
    Some((occurrence, workspace.group(uri)))
}

/// Whether this kind's ids are shared between files.
fn across_files(kind: IdKind) -> bool {
    matches!(kind, IdKind::Scenario | IdKind::Lesson)
}

fn matches<'a>(
    occurrence: &'a Occurrence,
    uri: &'a Uri,
    members: &'a [Member<'a>],
) -> impl Iterator<Item = (&'a Member<'a>, &'a Occurrence)> + 'a {
    members
        .iter()
        .filter(move |m| across_files(occurrence.kind) || m.uri == *uri)
        .flat_map(move |m| m.analysis.index().same_symbol(occurrence).map(move |o| (m, o)))
}

pub fn definition(workspace: &mut Workspace, uri: &Uri, position: Position) -> Vec<Location> {
    let Some((occurrence, members)) = target(workspace, uri, position) else { return Vec::new() };
    matches(&occurrence, uri, &members)
        .filter(|(_, o)| o.definition)
        .map(|(m, o)| Location { uri: m.uri.clone(), range: m.analysis.range(o.span.clone()) })
        .collect()
}

pub fn references(workspace: &mut Workspace, uri: &Uri, position: Position, declaration: bool) -> Vec<Location> {
    let Some((occurrence, members)) = target(workspace, uri, position) else { return Vec::new() };
    matches(&occurrence, uri, &members)
        .filter(|(_, o)| declaration || !o.definition)
        .map(|(m, o)| Location { uri: m.uri.clone(), range: m.analysis.range(o.span.clone()) })
        .collect()
}

/// The id that a rename would change, or why it cannot be renamed.
pub fn prepare_rename(workspace: &mut Workspace, uri: &Uri, position: Position) -> Result<lsp_types::Range, String> {
    let document = workspace.document(uri).ok_or("the document is not open")?;
    let analysis = document.analysis();
    let occurrence = analysis.index().at(analysis.offset(position)).ok_or("there is no id here to rename")?;
    match occurrence.kind {
        IdKind::Lesson => Err("lesson ids are fixed (L01 to L22); write another lesson id instead".into()),
        IdKind::Meter => Err("the three meter names are fixed".into()),
        _ => Ok(analysis.range(occurrence.span.clone())),
    }
}

/// The warning every rename carries: players' saves and logs name these ids.
pub const SAVES_WARNING: &str = "Saves, progress and session logs of released scenarios refer to beat, choice, ending and scenario ids: after a rename, a save made before it cannot resume at a renamed beat, and old session logs keep the old names.";

pub struct Rename {
    pub edit: WorkspaceEdit,
    pub warning: String,
}

pub fn rename(
    workspace: &mut Workspace,
    uri: &Uri,
    position: Position,
    new_name: &str,
    annotations: bool,
) -> Result<Rename, String> {
    prepare_rename(workspace, uri, position)?;
    let versions: HashMap<String, i32> = workspace
        .open_uris()
        .into_iter()
        .filter_map(|u| workspace.document(&u).map(|d| (u.as_str().to_string(), d.version)))
        .collect();
    let (occurrence, members) = target(workspace, uri, position).ok_or("there is no id here to rename")?;
    check_new_id(new_name)?;
    if new_name == occurrence.name {
        return Err(format!("the {} is already called `{new_name}`", occurrence.kind.describe()));
    }
    let mut clash = occurrence.clone();
    clash.name = new_name.to_string();
    if matches(&clash, uri, &members).any(|(_, o)| o.definition) {
        return Err(format!("there is already a {} `{new_name}`", occurrence.kind.describe()));
    }
    let mut by_file: Vec<(Uri, Vec<TextEdit>)> = Vec::new();
    for (member, found) in matches(&occurrence, uri, &members) {
        let edit = TextEdit { range: member.analysis.range(found.span.clone()), new_text: new_name.to_string() };
        match by_file.iter_mut().find(|(u, _)| *u == member.uri) {
            Some((_, edits)) => edits.push(edit),
            None => by_file.push((member.uri.clone(), vec![edit])),
        }
    }
    let what = occurrence.kind.describe();
    let warning = format!("Renamed {what} `{}` to `{new_name}`. {SAVES_WARNING}", occurrence.name);
    let edit = if annotations {
        let id = "saves-refer-to-ids".to_string();
        let changes = by_file
            .into_iter()
            .map(|(uri, edits)| TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    version: versions.get(uri.as_str()).copied(),
                    uri,
                },
                edits: edits
                    .into_iter()
                    .map(|text_edit| OneOf::Right(AnnotatedTextEdit { text_edit, annotation_id: id.clone() }))
                    .collect(),
            })
            .collect();
        let annotation = ChangeAnnotation {
            label: format!("Rename {what} `{}` (saves refer to ids)", occurrence.name),
            needs_confirmation: Some(true),
            description: Some(SAVES_WARNING.into()),
        };
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(changes)),
            change_annotations: Some(HashMap::from([(id, annotation)])),
            ..Default::default()
        }
    } else {
        WorkspaceEdit { changes: Some(by_file.into_iter().collect()), ..Default::default() }
    };
    Ok(Rename { edit, warning })
}

/// The rules `leap check` applies to ids, so a rename never writes a bad one.
fn check_new_id(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("an id cannot be empty".into());
    }
    if name.chars().count() > MAX_ID_CHARS {
        return Err(format!("ids are limited to {MAX_ID_CHARS} characters"));
    }
    match name.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_')) {
        Some(bad) => Err(format!("ids use lowercase letters, digits, `-` and `_`; `{bad}` is not allowed")),
        None => Ok(()),
    }
}
