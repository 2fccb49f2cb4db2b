//! Semantic tokens: every id coloured by its kind (beats, endings, cast, choices, flags,
//! lessons, meters, scenarios), declarations marked, so they stand out from the prose.

use lsp_types::{SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend};

use super::index::IdKind;
use super::workspace::Analysis;

/// Token types, in legend order; an id kind's type is its position here.
pub const TYPES: [(IdKind, SemanticTokenType); 10] = [
    (IdKind::Beat, SemanticTokenType::FUNCTION),
    (IdKind::Ending, SemanticTokenType::EVENT),
    (IdKind::Cast, SemanticTokenType::PARAMETER),
    (IdKind::Choice, SemanticTokenType::METHOD),
    (IdKind::Flag, SemanticTokenType::VARIABLE),
    (IdKind::Lesson, SemanticTokenType::ENUM_MEMBER),
    (IdKind::Meter, SemanticTokenType::PROPERTY),
    (IdKind::Scenario, SemanticTokenType::NAMESPACE),
    (IdKind::Campaign, SemanticTokenType::NAMESPACE),
    (IdKind::Review, SemanticTokenType::ENUM_MEMBER),
];

pub fn legend() -> SemanticTokensLegend {
    let mut token_types: Vec<SemanticTokenType> = Vec::new();
    for (_, kind) in TYPES {
        if !token_types.contains(&kind) {
            token_types.push(kind);
        }
    }
    SemanticTokensLegend { token_types, token_modifiers: vec![SemanticTokenModifier::DECLARATION] }
}

pub fn semantic_tokens(analysis: &Analysis) -> SemanticTokens {
    let legend = legend();
    let types = TYPES;
    let mut data = Vec::new();
    let (mut line, mut start) = (0, 0);
    for occurrence in &analysis.index().occurrences {
        let Some((_, kind)) = types.iter().find(|(k, _)| *k == occurrence.kind) else { continue };
        let token_type = legend.token_types.iter().position(|t| t == kind).unwrap_or(0) as u32;
        let range = analysis.range(occurrence.span.clone());
        if range.start.line != range.end.line || range.end.character <= range.start.character {
            continue;
        }
        let delta_line = range.start.line - line;
        let delta_start = if delta_line == 0 { range.start.character - start } else { range.start.character };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: range.end.character - range.start.character,
            token_type,
            token_modifiers_bitset: u32::from(occurrence.definition),
        });
        (line, start) = (range.start.line, range.start.character);
    }
    SemanticTokens { result_id: None, data }
}
