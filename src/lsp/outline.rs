//! The outline (beats with their choices, endings, cast; a campaign's scenarios and review)
//! and folding ranges for beats, choices and endings.

use lsp_types::{DocumentSymbol, FoldingRange, FoldingRangeKind, SymbolKind};

use super::index::{IdKind, first_index, normalize};
use super::workspace::Analysis;

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written; `tags` replaces it.
fn symbol(
    analysis: &Analysis,
    name: &str,
    detail: Option<String>,
    kind: SymbolKind,
    value: &str,
    id: std::ops::Range<usize>,
) -> DocumentSymbol {
    let whole = analysis.index().span(value).unwrap_or(id.clone());
    let whole = whole.start.min(id.start)..whole.end.max(id.end);
    DocumentSymbol {
        name: if name.is_empty() { "(no id)".into() } else { name.to_string() },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: analysis.range(whole),
        selection_range: analysis.range(id),
        children: None,
    }
}

pub fn document_symbols(analysis: &Analysis) -> Vec<DocumentSymbol> {
    let mut top: Vec<DocumentSymbol> = Vec::new();
    let mut beat_of_symbol: Vec<Option<usize>> = Vec::new();
    for occurrence in analysis.index().occurrences.iter() {
        let (kind, detail) = match (occurrence.kind, occurrence.definition) {
            (IdKind::Beat, true) => (SymbolKind::CLASS, Some("beat".to_string())),
            (IdKind::Ending, true) => (SymbolKind::ENUM_MEMBER, Some("ending".into())),
            (IdKind::Cast, true) => (SymbolKind::VARIABLE, Some("cast".into())),
            (IdKind::Review, true) => (SymbolKind::ENUM_MEMBER, Some("review outcome".into())),
            (IdKind::Scenario, false) => (SymbolKind::MODULE, Some("scenario".into())),
            (IdKind::Choice, true) => {
                let beat = first_index(&occurrence.path);
                let value = occurrence.path.trim_end_matches(".id");
                let child = symbol(
                    analysis,
                    &occurrence.name,
                    Some("choice".into()),
                    SymbolKind::METHOD,
                    value,
                    occurrence.span.clone(),
                );
                if let Some(at) = beat_of_symbol.iter().position(|b| *b == Some(beat)) {
                    top[at].children.get_or_insert_with(Vec::new).push(child);
                }
                continue;
            }
            _ => continue,
        };
        let value = occurrence.path.strip_suffix(".id").unwrap_or(&occurrence.path);
        top.push(symbol(analysis, &occurrence.name, detail, kind, value, occurrence.span.clone()));
        beat_of_symbol.push((occurrence.kind == IdKind::Beat).then(|| first_index(&occurrence.path)));
    }
    top
}

pub fn folding_ranges(analysis: &Analysis) -> Vec<FoldingRange> {
    let mut foldable = Vec::new();
    analysis.index().visit_values(|path, span| {
        if matches!(normalize(path).as_str(), "beats[]" | "beats[].choices[]" | "endings[]" | "review[]") {
            foldable.push(span);
        }
    });
    foldable
        .into_iter()
        .filter_map(|span| {
            let (start_line, end_line) = (analysis.lines.line(span.start), analysis.lines.line(span.end));
            (end_line > start_line).then(|| FoldingRange {
                start_line,
                end_line,
                kind: Some(FoldingRangeKind::Region),
                ..Default::default()
            })
        })
        .collect()
}
