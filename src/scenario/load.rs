//! Reading scenario and campaign files: limits, parsing, and turning every problem into a
//! diagnostic. Nothing here panics on any input, and one bad file never stops the others.

use std::path::{Path, PathBuf};

use ron::extensions::Extensions;

use super::check;
use super::diagnostic::{Annotate, Diagnostic, Reporter, Severity, closest, did_you_mean, offset_of};
use super::fields::struct_fields;
use super::format::{
    Beat, Campaign, CastMember, Choice, Effects, Ending, FORMAT_VERSION, Later, Outcome as ChanceOutcome,
    ReviewOutcome, Scenario, StartMeters,
};
use super::lenient::describe_type;
use super::locate::{SourceMap, locate};
use super::recover::recover;

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
    match super::read_file::read_regular_file(path, MAX_FILE_BYTES) {
        Ok(bytes) => parse_bytes(&name, &bytes),
        Err(super::read_file::ReadFileError::TooLarge(_)) => LoadedFile::failed(
            &name,
            String::new(),
            "too-large",
            "the file is larger than 1 MiB, the limit for scenario files".to_string(),
            Some("split the scenario into several files and chain them with a campaign".into()),
        ),
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

/// Parses and checks one file's text. A file `ron` refuses is read again by the recovering
/// parser, so every problem in it is reported at once and the checks still run over what
/// could be read.
pub fn parse_source(name: &str, source: &str) -> LoadedFile {
    let map = locate(source, MAX_DEPTH);
    let mut reporter = Reporter::new(name, source, &map);
    let outcome = parse_document(source, &map, &mut reporter);
    let mut diagnostics = std::mem::take(&mut reporter.diagnostics);
    let document = match outcome {
        Outcome::Parsed(document) => {
            check_document(&document, &mut reporter);
            diagnostics.append(&mut reporter.diagnostics);
            Some(document)
        }
        Outcome::Refused(kind, error) => {
            // The recovering parser maps the file again: holding this map as well would double
            // what a file of a million values needs at once.
            drop(reporter);
            drop(map);
            recover_document(name, source, kind, &error, &mut diagnostics)
        }
        Outcome::Stopped => None,
    };
    diagnostics.sort_by_key(|d| d.span.start);
    LoadedFile { path: name.to_string(), source: source.to_string(), document, diagnostics }
}

fn check_document(document: &Document, reporter: &mut Reporter) {
    match document {
        Document::Scenario(scenario) => check::check_scenario(scenario, reporter),
        Document::Campaign(campaign) => check::check_campaign(campaign, reporter),
    }
}

/// Codes of the problems that only the recovering parser reports: a file with one was read
/// in part, so checks that need the whole file (the simulated trade-offs) leave it alone.
pub const STRUCTURE_CODES: &[&str] = &[
    "syntax",
    "missing-comma",
    "unclosed",
    "unclosed-text",
    "extra-bracket",
    "wrong-bracket",
    "trailing-text",
    "wrong-quotes",
    "not-ron",
    "wrong-type",
    "number-too-large",
    "unknown-field",
    "unknown-variant",
    "unknown-meter",
    "missing-field",
    "duplicate-field",
    "unreadable",
];

impl LoadedFile {
    /// The file could only be read in part (its document holds stand-ins).
    pub fn recovered(&self) -> bool {
        self.diagnostics.iter().any(|d| STRUCTURE_CODES.contains(&d.code))
    }
}

fn recover_document(
    name: &str,
    source: &str,
    kind: Kind,
    error: &ron::error::SpannedError,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let (document, problems, map, guessed, graph_complete) = match kind {
        Kind::Scenario => {
            let r = recover::<Scenario>(source);
            (r.value.map(Document::Scenario), r.problems, r.map, r.placeholders, r.graph_complete)
        }
        Kind::Campaign => {
            let r = recover::<Campaign>(source);
            (r.value.map(Document::Campaign), r.problems, r.map, r.placeholders, r.graph_complete)
        }
    };
    let mut reporter = Reporter::new(name, source, &map).recovering(guessed, graph_complete);
    if problems.is_empty() {
        // The recovering parser saw nothing wrong, but `ron` did: its word is final.
        report_ron_error(source, error, &mut reporter);
    }
    for problem in problems {
        let span = problem.span.clone();
        let diagnostic =
            reporter.at_span(Severity::Error, problem.code, problem.span, problem.message).help_opt(problem.help);
        if let Some(replacement) = problem.replacement {
            diagnostic.fix(format!("Write `{replacement}`"), span, replacement);
        }
    }
    if let Some(document) = &document {
        check_document(document, &mut reporter);
    }
    diagnostics.append(&mut reporter.diagnostics);
    document
}

enum Outcome {
    Parsed(Document),
    /// `ron` refused the file (for this reason); it is read again by the recovering parser.
    Refused(Kind, ron::error::SpannedError),
    /// A problem that makes reading the rest pointless was reported.
    Stopped,
}

fn parse_document(source: &str, map: &SourceMap, reporter: &mut Reporter) -> Outcome {
    if let Some(span) = map.too_deep.clone() {
        reporter
            .at_span(Severity::Error, "too-deep", span, format!("values are nested more than {MAX_DEPTH} levels deep"))
            .help("the scenario format needs only a few levels; look for brackets that never close");
        return Outcome::Stopped;
    }
    // Editors on Windows may start a file with a byte-order mark; it is not part of the text.
    let body = source.strip_prefix('\u{feff}').unwrap_or(source);
    let kind = match map.top_name.as_deref() {
        Some("Scenario") => Kind::Scenario,
        Some("Campaign") => Kind::Campaign,
        other => {
            if let Some((not_ron, span)) = super::tree::not_ron(source) {
                let message = format!("this file looks like {not_ron}, but scenarios are written in RON");
                reporter.at_span(Severity::Error, "not-ron", span, message).help(
                    "start with `Scenario(`, write fields as `name: value` separated by `,`, texts in double quotes; copy docs/template.ron",
                );
                return Outcome::Stopped;
            }
            let found = other.map(|n| format!("`{n}`")).unwrap_or_else(|| "nothing".into());
            reporter
                .at_span(
                    Severity::Error,
                    "syntax",
                    map.span(""),
                    format!("expected `Scenario(` or `Campaign(` at the top of the file, found {found}"),
                )
                .help_opt(other.and_then(|n| did_you_mean(n, ["Scenario", "Campaign"])));
            return Outcome::Stopped;
        }
    };
    if !format_version_ok(source, map, reporter) {
        return Outcome::Stopped;
    }
    // `ron` counts several levels per bracket (a `Not(...)` is an enum, a box and a value), so
    // its limit is set well above the source map's: the documented limit, MAX_DEPTH brackets,
    // is checked above, exactly, and this one only guards the stack.
    let options =
        ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME).with_recursion_limit(MAX_DEPTH * 4);
    let parsed = match kind {
        Kind::Scenario => options.from_str::<Scenario>(body).map(Document::Scenario),
        Kind::Campaign => options.from_str::<Campaign>(body).map(Document::Campaign),
    };
    match parsed {
        Ok(document) => Outcome::Parsed(document),
        Err(error) if error.code == ron::Error::ExceededRecursionLimit => {
            report_ron_error(body, &error, reporter);
            Outcome::Stopped
        }
        Err(mut error) => {
            if body.len() != source.len() && error.span.start.line == 1 {
                error.span.start.col += 1;
            }
            if body.len() != source.len() && error.span.end.line == 1 {
                error.span.end.col += 1;
            }
            Outcome::Refused(kind, error)
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
    let unquoted = written.trim_matches('"');
    let message = match written.parse::<u64>() {
        Ok(n) if n > FORMAT_VERSION as u64 => {
            format!("this file is written in format {n}, but this version of The Leap reads format {FORMAT_VERSION}")
        }
        Ok(n) => format!("format {n} is no longer supported; this version of The Leap reads format {FORMAT_VERSION}"),
        Err(_) if unquoted.len() + 2 == written.len() && unquoted.parse::<u64>().is_ok() => {
            format!("`format` is a number, written without quotes: remove the quotes from {written}")
        }
        Err(_) => {
            format!("`format` must be a whole number (the current format is {FORMAT_VERSION}), found `{written}`")
        }
    };
    reporter.at_span(Severity::Error, "format-version", span, message).help(format!(
        "if the file came from a newer version of The Leap, update the game; otherwise set `format: {FORMAT_VERSION}` and follow docs/authoring.md"
    ));
    false
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
        (Kind::Scenario, "beats[].choices[].outcomes[]") => Some(("an outcome", struct_fields::<ChanceOutcome>())),
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
            let what = outer.as_deref().map_or("value".into(), describe_type);
            let list = expected.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            let help =
                did_you_mean(found, expected.iter().copied()).unwrap_or_else(|| format!("expected one of {list}"));
            let code = if outer.as_deref() == Some("Meter") { "unknown-meter" } else { "unknown-variant" };
            (code, format!("`{found}` is not a known {what}"), Some(help))
        }
        E::NoSuchStructField { expected, found, outer } => {
            let what = outer.as_deref().map_or("value".into(), describe_type);
            let help = did_you_mean(found, expected.iter().copied());
            ("unknown-field", format!("{what} has no field `{found}`"), help)
        }
        E::MissingStructField { field, outer } => {
            let what = outer.as_deref().map_or("value".into(), describe_type);
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
        other => {
            let (message, help) = describe_syntax(other);
            ("syntax", message, help)
        }
    }
}

/// Plain words for `ron`'s syntax errors, by variant (used when the recovering parser did
/// not see the problem itself).
fn describe_syntax(error: &ron::Error) -> (String, Option<String>) {
    use ron::Error as E;
    let (message, help) = match error {
        E::ExpectedComma => ("a `,` is missing here", Some("values and fields are separated by `,`")),
        E::ExpectedStringEnd => ("a text is missing its closing `\"`", None),
        E::ExpectedString => ("expected a text in double quotes", None),
        E::ExpectedChar => ("use straight double quotes `\"` for text", None),
        E::ExpectedInteger | E::ExpectedFloat => ("expected a number (without quotes)", None),
        E::ExpectedBoolean => ("expected `true` or `false`", None),
        E::ExpectedArray => ("expected a list in `[ ]`", None),
        E::ExpectedArrayEnd => ("expected a `]` to close the list", None),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => ("expected a group of fields in `( )`", None),
        E::ExpectedStructLikeEnd => ("expected a `)` to close this group", None),
        E::ExpectedMapColon => ("expected `:` between the field name and its value", None),
        E::ExpectedIdentifier => ("expected a name here", None),
        E::TrailingCharacters => ("there is text after the end of the scenario", Some("remove it")),
        E::UnclosedBlockComment => ("a `/*` comment is never closed", Some("add `*/` where it ends")),
        E::Eof => ("the file ends too early: a closing bracket is probably missing", None),
        E::IntegerOutOfBounds => ("this number is too large", None),
        E::InvalidEscape(_) => ("this text has an escape RON cannot read", Some("write `\\\\` for a backslash")),
        _ => return (format!("the file cannot be read here ({error})"), None),
    };
    (message.to_string(), help.map(str::to_string))
}

/// Every `.ron` file under the given paths (folders are searched recursively), sorted.
pub fn collect_files(paths: &[PathBuf]) -> Vec<Result<PathBuf, (PathBuf, String)>> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside = Vec::new();
            walk(path, &mut inside);
            inside.sort_by(|a, b| found_path(a).cmp(found_path(b)));
            found.extend(inside);
        } else if path.exists() {
            found.push(Ok(path.clone()));
        } else {
            found.push(Err((path.clone(), "no such file or folder".to_string())));
        }
    }
    found
}

fn found_path(found: &Result<PathBuf, (PathBuf, String)>) -> &Path {
    match found {
        Ok(path) | Err((path, _)) => path,
    }
}

/// Adds the `.ron` files under `dir`, and a folder or entry that cannot be read as an error
/// (skipping it quietly would report "0 errors" for files never checked).
fn walk(dir: &Path, found: &mut Vec<Result<PathBuf, (PathBuf, String)>>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return found.push(Err((dir.to_path_buf(), format!("the folder cannot be read: {e}")))),
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                found.push(Err((dir.to_path_buf(), format!("the folder cannot be read to the end: {e}"))));
                continue;
            }
        };
        let path = entry.path();
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        // Symlinks are not followed, so a link cannot lead outside the folder being checked.
        let kind = match entry.file_type() {
            Ok(kind) => kind,
            Err(e) => {
                found.push(Err((path, format!("cannot tell what this is: {e}"))));
                continue;
            }
        };
        if hidden || kind.is_symlink() {
            continue;
        }
        if kind.is_dir() {
            walk(&path, found);
        } else if path.extension().is_some_and(|e| e == "ron") {
            found.push(Ok(path));
        }
    }
}
