//! Reading scenario and campaign files: limits, parsing, and turning every problem into a
//! diagnostic. Nothing here panics on any input, and one bad file never stops the others.

use std::path::{Path, PathBuf};

use ron::extensions::Extensions;

use super::check;
use super::diagnostic::{Annotate, Diagnostic, Reporter, Severity, closest, did_you_mean, offset_of};
use super::fields::struct_fields;
use super::format::{
    Beat, Campaign, CastMember, Choice, Effects, Ending, FORMAT_VERSION, Later, Outcome, ReviewOutcome, Scenario,
    StartMeters,
};
use super::locate::{SourceMap, locate};

pub use super::limits::{MAX_DEPTH, MAX_FILE_BYTES};

/// What a file holds once parsed.
#[derive(Debug, Clone)]
pub enum Document {
    Scenario(Scenario),
    Campaign(Campaign),
}

/// One file, its text, what it parsed to (if it did) and everything found wrong with it.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub path: String,
    pub source: String,
    pub document: Option<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedFile {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The scenario, when the file parsed as one and has no errors.
    pub fn scenario(&self) -> Option<&Scenario> {
        match (&self.document, self.has_errors()) {
            (Some(Document::Scenario(s)), false) => Some(s),
            _ => None,
        }
    }

    pub fn campaign(&self) -> Option<&Campaign> {
        match (&self.document, self.has_errors()) {
            (Some(Document::Campaign(c)), false) => Some(c),
            _ => None,
        }
    }

    pub fn first_error(&self) -> Option<&Diagnostic> {
        self.diagnostics.iter().find(|d| d.is_error())
    }

    fn failed(path: &str, source: String, code: &'static str, message: String, help: Option<String>) -> Self {
        let map = SourceMap::default();
        let mut reporter = Reporter::new(path, &source, &map);
        reporter.at_span(Severity::Error, code, 0..0, message).help_opt(help);
        let diagnostics = reporter.diagnostics;
        LoadedFile { path: path.to_string(), source, document: None, diagnostics }
    }
}

/// Reads and checks one file from disk.
pub fn load_file(path: &Path) -> LoadedFile {
    let name = path.display().to_string();
    let bytes = match std::fs::metadata(path) {
        Ok(meta) if meta.len() as usize > MAX_FILE_BYTES => {
            return LoadedFile::failed(
                &name,
                String::new(),
                "too-large",
                format!("the file is {} bytes; scenario files are limited to 1 MiB", meta.len()),
                Some("split the scenario into several files and chain them with a campaign".into()),
            );
        }
        Ok(_) => std::fs::read(path),
        Err(e) => Err(e),
    };
    match bytes {
        Ok(bytes) => parse_bytes(&name, &bytes),
        Err(e) => LoadedFile::failed(&name, String::new(), "unreadable", format!("cannot read the file: {e}"), None),
    }
}

/// Checks raw bytes as a file named `name` (used for files and by the fuzzer). Loading runs
/// every error check and the cheap warnings; the warnings that simulate play are the
/// designer's tools' (`crate::tools::tradeoffs`), so playing never pays for them.
pub fn parse_bytes(name: &str, bytes: &[u8]) -> LoadedFile {
    if bytes.len() > MAX_FILE_BYTES {
        return LoadedFile::failed(
            name,
            String::new(),
            "too-large",
            format!("the file is {} bytes; scenario files are limited to 1 MiB", bytes.len()),
            None,
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_source(name, text),
        Err(e) => {
            let text = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
            let mut file = LoadedFile::failed(
                name,
                text,
                "not-utf8",
                "the file is not valid UTF-8 text".into(),
                Some("save the file as UTF-8 in your editor".into()),
            );
            let end = file.source.len();
            let (line, column) = super::diagnostic::line_col(&file.source, end);
            let first = &mut file.diagnostics[0];
            (first.span, first.line, first.column) = (end..end, line, column);
            file
        }
    }
}

/// Parses and checks one file's text.
pub fn parse_source(name: &str, source: &str) -> LoadedFile {
    let map = locate(source, MAX_DEPTH);
    let mut reporter = Reporter::new(name, source, &map);
    let document = parse_document(source, &map, &mut reporter);
    match &document {
        Some(Document::Scenario(scenario)) => check::check_scenario(scenario, &mut reporter),
        Some(Document::Campaign(campaign)) => check::check_campaign(campaign, &mut reporter),
        None => {}
    }
    let mut diagnostics = reporter.diagnostics;
    diagnostics.sort_by_key(|d| d.span.start);
    LoadedFile { path: name.to_string(), source: source.to_string(), document, diagnostics }
}

fn parse_document(source: &str, map: &SourceMap, reporter: &mut Reporter) -> Option<Document> {
    if let Some(span) = map.too_deep.clone() {
        reporter
            .at_span(Severity::Error, "too-deep", span, format!("values are nested more than {MAX_DEPTH} levels deep"))
            .help("the scenario format needs only a few levels; look for brackets that never close");
        return None;
    }
    let kind = match map.top_name.as_deref() {
        Some("Scenario") => Kind::Scenario,
        Some("Campaign") => Kind::Campaign,
        other => {
            let found = other.map(|n| format!("`{n}`")).unwrap_or_else(|| "nothing".into());
            reporter
                .at_span(
                    Severity::Error,
                    "syntax",
                    map.span(""),
                    format!("expected `Scenario(` or `Campaign(` at the top of the file, found {found}"),
                )
                .help_opt(other.and_then(|n| did_you_mean(n, ["Scenario", "Campaign"])));
            return None;
        }
    };
    if !format_version_ok(source, map, reporter) {
        return None;
    }
    let unknown_fields = report_unknown_fields(map, kind, reporter);
    // `ron` counts several levels per bracket (a `Not(...)` is an enum, a box and a value), so
    // its limit is set well above the source map's: the documented limit, MAX_DEPTH brackets,
    // is checked above, exactly, and this one only guards the stack.
    let options =
        ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME).with_recursion_limit(MAX_DEPTH * 4);
    let parsed = match kind {
        Kind::Scenario => options.from_str::<Scenario>(source).map(Document::Scenario),
        Kind::Campaign => options.from_str::<Campaign>(source).map(Document::Campaign),
    };
    match parsed {
        Ok(document) => Some(document),
        Err(error) => {
            let already_reported = unknown_fields > 0 && matches!(error.code, ron::Error::NoSuchStructField { .. });
            if !already_reported {
                report_ron_error(source, &error, reporter);
            }
            None
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Scenario,
    Campaign,
}

/// A wrong format version gets its own clear message instead of a cascade of field errors.
fn format_version_ok(source: &str, map: &SourceMap, reporter: &mut Reporter) -> bool {
    let Some(span) = map.exact("format") else { return true };
    let written = source[span.clone()].trim();
    if written == FORMAT_VERSION.to_string() {
        return true;
    }
    let message = match written.parse::<u64>() {
        Ok(n) if n > FORMAT_VERSION as u64 => {
            format!("this file is written in format {n}, but this version of The Leap reads format {FORMAT_VERSION}")
        }
        Ok(n) => format!("format {n} is no longer supported; this version of The Leap reads format {FORMAT_VERSION}"),
        Err(_) => {
            format!("`format` must be a whole number (the current format is {FORMAT_VERSION}), found `{written}`")
        }
    };
    reporter.at_span(Severity::Error, "format-version", span, message).help(format!(
        "if the file came from a newer version of The Leap, update the game; otherwise set `format: {FORMAT_VERSION}` and follow docs/authoring.md"
    ));
    false
}

/// Reports every misspelled or unknown field in one pass; returns how many were found.
fn report_unknown_fields(map: &SourceMap, kind: Kind, reporter: &mut Reporter) -> usize {
    let mut found = 0;
    for (path, fields) in &map.structs {
        let Some((what, known)) = expected_fields(kind, &normalize(path)) else { continue };
        for (name, span) in fields {
            if known.contains(&name.as_str()) {
                continue;
            }
            found += 1;
            let suggestion = closest(name, known.iter().copied());
            let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            let diagnostic = reporter
                .at_span(Severity::Error, "unknown-field", span.clone(), format!("{what} has no field `{name}`"))
                .label("unknown field")
                .help(format!("the fields of {what} are {list}"));
            if let Some(known) = suggestion {
                diagnostic.help(format!("did you mean `{known}`?")).fix(
                    format!("Write `{known}`"),
                    span.clone(),
                    known,
                );
            }
        }
    }
    found
}

/// `beats[3].choices[0]` becomes `beats[].choices[]`.
pub fn normalize(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// What the struct at `path` (`beats[2].choices[0]`) is and the fields it accepts, in a file
/// whose top value is named `top` (`Scenario` or `Campaign`): the same table the checker uses.
pub fn fields_at(top: &str, path: &str) -> Option<(&'static str, &'static [&'static str])> {
    let kind = match top {
        "Scenario" => Kind::Scenario,
        "Campaign" => Kind::Campaign,
        _ => return None,
    };
    expected_fields(kind, &normalize(path))
}

fn expected_fields(kind: Kind, path: &str) -> Option<(&'static str, &'static [&'static str])> {
    let effects = || Some(("an effects list", struct_fields::<Effects>()));
    match (kind, path) {
        (Kind::Scenario, "") => Some(("a scenario", struct_fields::<Scenario>())),
        (Kind::Campaign, "") => Some(("a campaign", struct_fields::<Campaign>())),
        (_, "start_meters") => Some(("`start_meters`", struct_fields::<StartMeters>())),
        (Kind::Scenario, "cast[]") => Some(("a cast member", struct_fields::<CastMember>())),
        (Kind::Scenario, "beats[]") => Some(("a beat", struct_fields::<Beat>())),
        (Kind::Scenario, "beats[].choices[]") => Some(("a choice", struct_fields::<Choice>())),
        (Kind::Scenario, "beats[].choices[].later[]") => Some(("a delayed consequence", struct_fields::<Later>())),
        (Kind::Scenario, "beats[].choices[].outcomes[]") => Some(("an outcome", struct_fields::<Outcome>())),
        (Kind::Scenario, "endings[]") => Some(("an ending", struct_fields::<Ending>())),
        (Kind::Campaign, "review[]") => Some(("a review outcome", struct_fields::<ReviewOutcome>())),
        (Kind::Scenario, "beats[].choices[].effects")
        | (Kind::Scenario, "beats[].choices[].later[].effects")
        | (Kind::Scenario, "beats[].choices[].outcomes[].effects") => effects(),
        _ => None,
    }
}

fn report_ron_error(source: &str, error: &ron::error::SpannedError, reporter: &mut Reporter) {
    let start = offset_of(source, error.span.start.line, error.span.start.col);
    let end = offset_of(source, error.span.end.line, error.span.end.col).max(start);
    let (code, message, help) = describe_ron_error(&error.code);
    // ron points just past a misspelled name; point at the name itself.
    let start = match &error.code {
        ron::Error::NoSuchEnumVariant { found, .. } | ron::Error::NoSuchStructField { found, .. } => {
            source[..end.min(source.len())].rfind(found.as_str()).unwrap_or(start)
        }
        _ => start,
    };
    let span = start..end.max(start);
    let diagnostic = reporter.at_span(Severity::Error, code, span.clone(), message).help_opt(help);
    let suggestion = match &error.code {
        ron::Error::NoSuchEnumVariant { expected, found, .. }
        | ron::Error::NoSuchStructField { expected, found, .. } => {
            closest(found, expected.iter().copied()).filter(|_| source.get(span.clone()) == Some(found.as_str()))
        }
        _ => None,
    };
    if let Some(known) = suggestion {
        diagnostic.fix(format!("Write `{known}`"), span, known);
    }
}

fn describe_ron_error(error: &ron::Error) -> (&'static str, String, Option<String>) {
    use ron::Error as E;
    match error {
        E::NoSuchEnumVariant { expected, found, outer } => {
            let what = outer.as_deref().map(describe_type).unwrap_or("value");
            let list = expected.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            let help =
                did_you_mean(found, expected.iter().copied()).unwrap_or_else(|| format!("expected one of {list}"));
            let code = if outer.as_deref() == Some("Meter") { "unknown-meter" } else { "unknown-variant" };
            (code, format!("`{found}` is not a known {what}"), Some(help))
        }
        E::NoSuchStructField { expected, found, outer } => {
            let what = outer.as_deref().map(describe_type).unwrap_or("value");
            let help = did_you_mean(found, expected.iter().copied());
            ("unknown-field", format!("{what} has no field `{found}`"), help)
        }
        E::MissingStructField { field, outer } => {
            let what = outer.as_deref().map(describe_type).unwrap_or("value");
            ("missing-field", format!("{what} is missing its `{field}` field"), Some(format!("add `{field}: ...`")))
        }
        E::DuplicateStructField { field, .. } => {
            ("duplicate-field", format!("the field `{field}` is written twice"), Some("keep only one of them".into()))
        }
        E::ExceededRecursionLimit => (
            "too-deep",
            format!("values are nested more than {MAX_DEPTH} levels deep"),
            Some("the scenario format needs only a few levels; look for brackets that never close".into()),
        ),
        other => ("syntax", other.to_string(), syntax_help(other)),
    }
}

fn describe_type(name: &str) -> &'static str {
    match name {
        "Meter" => "meter (use `trust`, `strategic_impact` or `team_engagement`)",
        "Condition" => "condition",
        "Next" => "destination (use `Beat(\"id\")` or `Ending(\"id\")`)",
        "Verdict" => "verdict (use `Strong`, `Mixed` or `Weak`)",
        "Locked" => "locked style (use `Hide` or `Show(\"reason\")`)",
        "Choice" => "choice",
        "Beat" => "beat",
        "Ending" => "ending",
        "Scenario" => "scenario",
        "Campaign" => "campaign",
        "Outcome" => "outcome",
        "Later" => "delayed consequence",
        "Effects" => "effects list",
        "CastMember" => "cast member",
        "StartMeters" => "`start_meters`",
        "ReviewOutcome" => "review outcome",
        _ => "value",
    }
}

fn syntax_help(error: &ron::Error) -> Option<String> {
    let text = error.to_string();
    if text.contains("string") && text.contains("Unexpected end") || text.contains("unterminated") {
        Some("a text is missing its closing `\"`".into())
    } else if text.contains("Expected") && text.contains("comma") {
        Some("a `,` is missing before this point, probably at the end of the line above".into())
    } else {
        None
    }
}

/// Every `.ron` file under the given paths (folders are searched recursively), sorted.
pub fn collect_files(paths: &[PathBuf]) -> Vec<Result<PathBuf, (PathBuf, String)>> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside = Vec::new();
            walk(path, &mut inside);
            inside.sort();
            found.extend(inside.into_iter().map(Ok));
        } else if path.exists() {
            found.push(Ok(path.clone()));
        } else {
            found.push(Err((path.clone(), "no such file or folder".to_string())));
        }
    }
    found
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        // Symlinks are not followed, so a link cannot lead outside the folder being checked.
        let Ok(kind) = entry.file_type() else { continue };
        if hidden || kind.is_symlink() {
            continue;
        }
        if kind.is_dir() {
            walk(&path, found);
        } else if path.extension().is_some_and(|e| e == "ron") {
            found.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_indices() {
        assert_eq!(normalize("beats[12].choices[0].later[3]"), "beats[].choices[].later[]");
    }
}
