//! Quick fixes: the edits the checker attached to its diagnostics (`Diagnostic::fix`), for
//! the problems under the cursor or selection.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Uri, WorkspaceEdit};

use super::workspace::{Workspace, to_lsp};

pub fn code_actions(workspace: &mut Workspace, uri: &Uri, range: Range) -> Vec<CodeActionOrCommand> {
    let Some(document) = workspace.document(uri) else { return Vec::new() };
    let version = document.version;
    let tradeoffs: Vec<_> = document.tradeoffs.iter().flat_map(|(_, d)| d.iter().cloned()).collect();
    let Some((checked_version, checked)) = workspace.checked.get(uri.as_str()) else { return Vec::new() };
    if *checked_version != version {
        return Vec::new();
    }
    let Some(document) = workspace.analysed(uri) else { return Vec::new() };
    let analysis = document.analysis();
    let (start, end) = (analysis.offset(range.start), analysis.offset(range.end));
    checked
        .diagnostics
        .iter()
        .chain(&tradeoffs)
        .filter(|d| d.span.start <= end && start <= d.span.end)
        .filter_map(|d| {
            let fix = d.fix.as_ref()?;
            let edit = TextEdit { range: analysis.range(fix.span.clone()), new_text: fix.replacement.clone() };
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![to_lsp(d, analysis)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..Default::default()
                }),
                is_preferred: Some(true),
                ..Default::default()
            }))
        })
        .collect()
}
