//! Diagnostics for people: what is wrong, where (file, line, column), and what was meant.

use std::ops::Range;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic};

use super::lines::{LineIndex, Unit};
use super::snippet::Snippet;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable short name for the kind of problem, e.g. `dangling-reference`.
    pub code: &'static str,
    pub message: String,
    pub file: String,
    /// 1-based line and column (in characters) of the start of `span`.
    pub line: usize,
    pub column: usize,
    /// Byte range in the file's text.
    pub span: Range<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The suggestion in `help` as an edit, when the checker knows exactly what to write
    /// (editors offer it as a quick fix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// An edit that fixes a problem: write `replacement` over `span` (an empty span inserts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the edit does, for a menu: "Write `talk-to-sam`".
    pub title: String,
    /// Byte range in the file's text.
    pub span: Range<usize>,
    pub replacement: String,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col: error[code]: message`, one line.
    pub fn short(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut line =
            format!("{}:{}:{}: {severity}[{}]: {}", self.file, self.line, self.column, self.code, self.message);
        if let Some(help) = &self.help {
            line.push_str(&format!(" ({help})"));
        }
        line
    }

    /// A framed snippet of the source with the problem underlined.
    pub fn render(&self, source: &str, color: bool) -> String {
        let severity = match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        };
        let snippet = Snippet::around(&self.file, source, clamp_span(source, &self.span), self.line, self.column);
        let mut diagnostic = MietteDiagnostic::new(self.message.clone())
            .with_code(self.code)
            .with_severity(severity)
            .with_label(LabeledSpan::new_with_span(self.label.clone(), snippet.span.clone()));
        if let Some(help) = &self.help {
            diagnostic = diagnostic.with_help(help.clone());
        }
        let framed = Framed { diagnostic, snippet };
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        let mut out = String::new();
        let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
        if handler.render_report(&mut out, &framed).is_err() {
            return self.short();
        }
        out
    }
}

/// A diagnostic with its snippet, as `miette::Report::with_source_code` makes one, without
/// the `Report`: making one looks up miette's default printer (the terminal, environment
/// variables) each time, which cost a third of rendering.
struct Framed {
    diagnostic: MietteDiagnostic,
    snippet: Snippet,
}

impl std::fmt::Display for Framed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.diagnostic, f)
    }
}

impl std::fmt::Debug for Framed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.diagnostic, f)
    }
}

impl std::error::Error for Framed {}

impl miette::Diagnostic for Framed {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        miette::Diagnostic::code(&self.diagnostic)
    }

    fn severity(&self) -> Option<miette::Severity> {
        miette::Diagnostic::severity(&self.diagnostic)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        miette::Diagnostic::help(&self.diagnostic)
    }

    fn url<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        miette::Diagnostic::url(&self.diagnostic)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        miette::Diagnostic::labels(&self.diagnostic)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.snippet)
    }
}

/// Keeps a span inside the text and on character boundaries so rendering never panics.
fn clamp_span(source: &str, span: &Range<usize>) -> Range<usize> {
    let mut start = span.start.min(source.len());
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, source.len());
    while !source.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Converts a byte offset to a 1-based (line, column in characters).
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = clamp_span(source, &(offset..offset)).start;
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Converts a 1-based (line, column in characters) to a byte offset.
pub fn offset_of(source: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, text) in source.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset + text.char_indices().nth(column.saturating_sub(1)).map(|(b, _)| b).unwrap_or(text.len());
        }
        offset += text.len();
    }
    source.len()
}

/// Names longer than this get no suggestion and are suggested for nothing: ids are at most 64
/// characters, and comparing two texts costs the product of their lengths (two 100,000-character
/// texts took `leap check` 18 seconds).
const MAX_SUGGESTION_CHARS: usize = 128;

/// Suggests the known name closest to `wrong`, when one is close enough to be a typo.
pub fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_chars = wrong.chars().take(MAX_SUGGESTION_CHARS + 1).count();
    if wrong_chars > MAX_SUGGESTION_CHARS {
        return None;
    }
    known
        .into_iter()
        .filter_map(|candidate| {
            let chars = candidate.chars().take(MAX_SUGGESTION_CHARS + 1).count();
            let allowed = (chars / 3).max(2);
            // A length difference past the allowed distance rules a name out without comparing.
            if chars > MAX_SUGGESTION_CHARS || chars.abs_diff(wrong_chars) > allowed {
                return None;
            }
            let distance = strsim::damerau_levenshtein(wrong, candidate);
            (distance <= allowed).then_some((distance, candidate))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// " did you mean `x`?" or an empty string.
pub fn did_you_mean<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(wrong, known).map(|name| format!("did you mean `{name}`?"))
}

/// Collects the diagnostics for one file, turning value paths into positions.
pub struct Reporter<'a> {
    pub file: &'a str,
    pub source: &'a str,
    pub map: &'a super::locate::SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    /// Built on the first diagnostic: a file with none never pays for it.
    lines: std::cell::OnceCell<LineIndex>,
    /// For a file read in spite of errors: paths that hold stand-ins, about which checks stay
    /// silent, and whether the graph checks can be trusted.
    guessed: foldhash::HashSet<String>,
    /// Top-level lists (`beats`) some of whose ids are stand-ins or were lost.
    lists_with_guessed_ids: foldhash::HashSet<String>,
    graph_complete: bool,
    /// Where a silenced diagnostic is written, so callers can still annotate it.
    silenced: Option<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub fn new(file: &'a str, source: &'a str, map: &'a super::locate::SourceMap) -> Self {
        Reporter {
            file,
            source,
            map,
            diagnostics: Vec::new(),
            lines: std::cell::OnceCell::new(),
            guessed: Default::default(),
            lists_with_guessed_ids: Default::default(),
            graph_complete: true,
            silenced: None,
        }
    }

    /// A reporter for a file read in spite of errors (see `recover`): nothing is said about
    /// the values at `guessed` paths (or inside them), and graph checks only when complete.
    pub fn recovering(mut self, guessed: Vec<String>, graph_complete: bool) -> Self {
        for path in &guessed {
            let list = &path[..path.find(['.', '[']).unwrap_or(path.len())];
            let rest = &path[list.len()..];
            let an_id = rest.is_empty()
                || (rest.starts_with('[')
                    && (rest.ends_with(']') || rest.ends_with("].id"))
                    && !rest[1..].contains('['));
            if an_id {
                self.lists_with_guessed_ids.insert(list.to_string());
            }
        }
        self.guessed = guessed.into_iter().collect();
        self.graph_complete = graph_complete;
        self
    }

    /// Whether reachability can be judged: nothing that decides where choices lead was lost.
    pub fn graph_complete(&self) -> bool {
        self.graph_complete
    }

    /// Whether the id of some element of the top-level list `list` (or the list) is a stand-in.
    pub fn ids_guessed(&self, list: &str) -> bool {
        self.lists_with_guessed_ids.contains(list)
    }

    /// Whether `path` or a value that holds it is a stand-in: one set lookup per level.
    fn is_guessed(&self, path: &str) -> bool {
        if self.guessed.is_empty() {
            return false;
        }
        let ends = path.match_indices(['.', '[']).map(|(i, _)| i).chain([path.len()]);
        ends.filter(|&i| i > 0).any(|i| self.guessed.contains(&path[..i]))
    }

    fn at_path(&mut self, severity: Severity, code: &'static str, path: &str, message: String) -> &mut Diagnostic {
        let span = self.map.span(path);
        if self.is_guessed(path) {
            // Never shown nor kept, so it needs no position nor file name: counting columns
            // for thousands of these was much of the time on a badly broken file.
            let (file, line, column) = (String::new(), 0, 0);
            let silenced =
                Diagnostic { severity, code, message, file, line, column, span, label: None, help: None, fix: None };
            return self.silenced.insert(silenced);
        }
        self.at_span(severity, code, span, message)
    }

    /// 1-based (line, column in characters) of a byte offset in this file.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = clamp_span(self.source, &(offset..offset)).start;
        self.lines.get_or_init(|| LineIndex::new(self.source, Unit::Chars)).line_col(self.source, offset)
    }

    pub fn at_span(
        &mut self,
        severity: Severity,
        code: &'static str,
        span: Range<usize>,
        message: String,
    ) -> &mut Diagnostic {
        let (line, column) = self.line_col(span.start);
        self.diagnostics.push(Diagnostic {
            severity,
            code,
            message,
            file: self.file.to_string(),
            line,
            column,
            span,
            label: None,
            help: None,
            fix: None,
        });
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// An error at the value written at `path` (or the nearest enclosing value).
    pub fn error(&mut self, code: &'static str, path: &str, message: String) -> &mut Diagnostic {
        self.at_path(Severity::Error, code, path, message)
    }

    pub fn warning(&mut self, code: &'static str, path: &str, message: String) -> &mut Diagnostic {
        self.at_path(Severity::Warning, code, path, message)
    }
}

pub trait Annotate {
    fn help(&mut self, help: impl Into<String>) -> &mut Self;
    fn help_opt(&mut self, help: Option<String>) -> &mut Self;
    fn label(&mut self, label: impl Into<String>) -> &mut Self;
    /// An edit that fixes the problem (see [`Fix`]).
    fn fix(&mut self, title: impl Into<String>, span: Range<usize>, replacement: impl Into<String>) -> &mut Self;
    /// "did you mean `name`?" as help, and a fix writing `"name"` over the problem's span,
    /// which must be the quoted id that is wrong. Nothing when there is no suggestion.
    fn suggest_id(&mut self, name: Option<&str>) -> &mut Self;
}

impl Annotate for Diagnostic {
    fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    fn help_opt(&mut self, help: Option<String>) -> &mut Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = Some(label.into());
        self
    }

    fn fix(&mut self, title: impl Into<String>, span: Range<usize>, replacement: impl Into<String>) -> &mut Self {
        self.fix = Some(Fix { title: title.into(), span, replacement: replacement.into() });
        self
    }

    fn suggest_id(&mut self, name: Option<&str>) -> &mut Self {
        if let Some(name) = name {
            let span = self.span.clone();
            self.help(format!("did you mean `{name}`?")).fix(format!("Write `{name}`"), span, format!("\"{name}\""));
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_positions_agree() {
        let src = "ab\ncdé\nf";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 8), (3, 1));
        assert_eq!(offset_of(src, 2, 3), 5);
        assert_eq!(line_col(src, offset_of(src, 2, 3)), (2, 3));
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(closest("talk-to-sma", ["talk-to-sam", "vp-asks"]), Some("talk-to-sam"));
        assert_eq!(closest("zzz", ["talk-to-sam"]), None);
    }

    #[test]
    fn long_texts_get_no_suggestion() {
        let long = "x".repeat(100_000);
        let typo = format!("{}y", &long[1..]);
        assert_eq!(closest(&typo, [long.as_str()]), None);
        assert_eq!(closest("x", [long.as_str(), "y"]), Some("y"));
    }
}
