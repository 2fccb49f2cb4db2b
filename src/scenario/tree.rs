//! A recovering parser: RON text to a tree of values with their spans, and every syntax
//! problem in words a designer can act on. It never stops at the first problem: a missing
//! `,` is assumed, a stray character skipped, and when brackets do not match, the file's
//! indentation says where a group really ends (the `)` of a choice sits under its `(`), so
//! the next choice, beat or ending is read as it was meant.

use std::ops::Range;

use super::lines::{LineIndex, Unit};
use super::tokens::{Tok, Token, lex};

/// Syntax problems past this many in one file are not kept: the first ones show the way.
const MAX_PROBLEMS: usize = 300;

#[derive(Debug)]
pub struct Node {
    pub id: u32,
    pub span: Range<usize>,
    pub kind: Kind,
    /// Part of this value could not be read (a syntax problem lost some of it), so what it
    /// lacks is not worth reporting.
    pub damaged: bool,
}

#[derive(Debug)]
pub enum Kind {
    Str(String),
    Number(String),
    Bool(bool),
    /// A bare name: a unit variant such as `Strong`, `None`, a meter.
    Ident(String),
    /// `Name(...)`: a variant with content, `Some(...)`, or a struct with its name.
    Named(String, Group),
    /// `(...)`.
    Group(Group),
    List(Vec<Node>),
    /// `{...}`, which the format never uses.
    Map,
}

#[derive(Debug, Default)]
pub struct Group {
    pub fields: Vec<Field>,
    /// Values written without a name (a variant's content).
    pub items: Vec<Node>,
}

#[derive(Debug)]
pub struct Field {
    pub name: String,
    pub name_span: Range<usize>,
    pub value: Node,
}

/// One syntax problem.
#[derive(Debug, Clone)]
pub struct Problem {
    pub code: &'static str,
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
    /// Some of the file's text was not read because of it.
    pub lost: bool,
    /// What the span should say instead, when the reader knows (an editor offers it as a fix).
    pub replacement: Option<String>,
}

pub struct Parsed {
    pub top: Option<Node>,
    pub problems: Vec<Problem>,
    /// Quotes went out of step: the values read after that point are not what was meant.
    pub unreliable: bool,
}

pub fn parse(source: &str, max_depth: usize) -> Parsed {
    let lexed = lex(source);
    let broken = brackets_broken(&lexed.tokens);
    let indent_mode = broken && well_indented(&lexed.tokens);
    let early_closes = if broken && !indent_mode { early_closes(&lexed.tokens) } else { Vec::new() };
    let mut parser = Parser {
        source,
        tokens: &lexed.tokens,
        at: 0,
        problems: Vec::new(),
        next_id: 0,
        indent_mode,
        early_closes,
        max_depth,
        open: Vec::new(),
        truncated: lexed.unclosed_comment.is_some(),
        eof_reported: false,
        assumed_end: false,
        last_comma_line: 0,
        quotes_out_of_step: false,
        lines: std::cell::OnceCell::new(),
        overflow: Problem {
            code: "syntax",
            span: 0..0,
            message: String::new(),
            help: None,
            lost: false,
            replacement: None,
        },
    };
    if let Some(span) = lexed.unclosed_comment.clone() {
        parser
            .problem("syntax", span, "this `/*` comment is never closed, so the rest of the file is part of it".into())
            .help = Some("add `*/` where the comment should end".into());
        parser.problems.last_mut().expect("just added").lost = true;
    }
    let top = parser.top();
    Parsed { top, problems: parser.problems, unreliable: parser.quotes_out_of_step }
}

/// "JSON" or "YAML", and where, when the file plainly is one of them and not RON.
pub fn not_ron(source: &str) -> Option<(&'static str, Range<usize>)> {
    let lexed = lex(source);
    let mut tokens = lexed.tokens.iter();
    let first = tokens.next()?;
    let second = tokens.next().map(|t| &t.tok);
    match (&first.tok, second) {
        (Tok::Open('{'), _) | (Tok::Open('['), _) => Some(("JSON", first.span.clone())),
        (Tok::Ident, Some(Tok::Colon)) => Some(("YAML", first.span.clone())),
        (Tok::Other('-'), _) if source[first.span.start..].starts_with("---") => Some(("YAML", first.span.clone())),
        _ => None,
    }
}

/// True when some bracket is unclosed, closes nothing, or closes the wrong kind.
fn brackets_broken(tokens: &[Token]) -> bool {
    let mut stack = Vec::new();
    for token in tokens {
        match token.tok {
            Tok::Open(c) => stack.push(c),
            Tok::Close(c) if stack.pop() != Some(opening(c)) => return true,
            _ => {}
        }
    }
    !stack.is_empty()
}

/// Without indentation to go by (a file on one line, say), a `)` is taken to close its group
/// early when a field (`name:`) follows it where no field can be: in a list, or after the
/// file's last bracket; and a `)` in a list, followed by the list's next element, closes
/// nothing. The indexes of such tokens, in order.
fn early_closes(tokens: &[Token]) -> Vec<usize> {
    let mut stack = Vec::new();
    let mut early = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        match token.tok {
            Tok::Open(c) => stack.push(c),
            Tok::Close(')') if stack.last() == Some(&'(') => {
                stack.pop();
                let field_follows = match tokens.get(index + 1..index + 4) {
                    Some([a, b, c]) if a.tok == Tok::Comma => {
                        matches!(b.tok, Tok::Ident) && matches!(c.tok, Tok::Colon)
                    }
                    _ => false,
                };
                if field_follows && matches!(stack.last(), None | Some('[')) {
                    early.push(index);
                    stack.push('(');
                }
            }
            Tok::Close(')') if stack.last() == Some(&'[') => {
                let element_follows = match tokens.get(index + 1..index + 3) {
                    Some([a, b]) if a.tok == Tok::Comma => matches!(b.tok, Tok::Open('(')),
                    _ => false,
                };
                if !element_follows {
                    break;
                }
                early.push(index);
            }
            // Past a bracket these rules cannot explain, the stack no longer says what is open.
            Tok::Close(c) if stack.pop() != Some(opening(c)) => break,
            _ => {}
        }
    }
    early
}

/// True when the file is laid out with indentation: nearly every bracket that ends its line
/// is followed by a deeper-indented line. Only then does indentation say where groups end.
fn well_indented(tokens: &[Token]) -> bool {
    let (mut opened, mut deeper) = (0, 0);
    for pair in tokens.windows(2) {
        if matches!(pair[0].tok, Tok::Open(_)) && pair[1].line_start {
            opened += 1;
            if pair[1].indent > pair[0].indent {
                deeper += 1;
            }
        }
    }
    opened >= 2 && deeper * 10 >= opened * 9
}

fn opening(close: char) -> char {
    match close {
        ')' => '(',
        ']' => '[',
        _ => '{',
    }
}

fn closing(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

/// An open group: its bracket and its line's indentation.
struct Open {
    bracket: char,
    indent: u32,
}

struct Parser<'a> {
    source: &'a str,
    tokens: &'a [Token],
    at: usize,
    problems: Vec<Problem>,
    next_id: u32,
    indent_mode: bool,
    /// `)`s that close their group early, found before reading (see [`early_closes`]).
    early_closes: Vec<usize>,
    max_depth: usize,
    open: Vec<Open>,
    /// The text ends inside a comment: what is unclosed at the end is not worth reporting.
    truncated: bool,
    eof_reported: bool,
    /// Built on the first position asked for: messages name positions, and a file with many
    /// problems must not be rescanned for each.
    lines: std::cell::OnceCell<LineIndex>,
    /// Where problems go past [`MAX_PROBLEMS`]: not kept.
    overflow: Problem,
    /// The last element ended in a way already reported (a bracket or `"` assumed), so a
    /// missing `,` after it is part of the same mistake.
    assumed_end: bool,
    /// The line of the last missing `,` reported: a second on one line is almost always the
    /// same mistake seen again (texts and code swapped after a stray `"`).
    last_comma_line: usize,
    /// A text that reads like code was reported: quotes are out of step from there on.
    quotes_out_of_step: bool,
}

impl<'a> Parser<'a> {
    /// The next token, borrowed from the token list rather than from the parser, so it can be
    /// held while the parser moves on (no clone of its text per step).
    fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.at)
    }

    fn peek_tok(&self, ahead: usize) -> Option<&Tok> {
        self.tokens.get(self.at + ahead).map(|t| &t.tok)
    }

    fn problem(&mut self, code: &'static str, span: Range<usize>, message: String) -> &mut Problem {
        let problem = Problem { code, span, message, help: None, lost: false, replacement: None };
        if self.problems.len() >= MAX_PROBLEMS || self.quotes_out_of_step {
            self.overflow = problem;
            return &mut self.overflow;
        }
        self.problems.push(problem);
        self.problems.last_mut().expect("just added")
    }

    fn node(&mut self, span: Range<usize>, kind: Kind) -> Node {
        self.next_id += 1;
        Node { id: self.next_id, span, kind, damaged: false }
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        self.lines.get_or_init(|| LineIndex::new(self.source, Unit::Chars)).line_col(self.source, offset)
    }

    fn position(&self, offset: usize) -> String {
        let (line, column) = self.line_col(offset);
        format!("{line}:{column}")
    }

    fn line_of(&self, offset: usize) -> usize {
        self.line_col(offset).0
    }

    fn top(&mut self) -> Option<Node> {
        let first = self.peek()?;
        let what = match &first.tok {
            Tok::Ident => first.name(self.source).to_lowercase(),
            _ => "value".into(),
        };
        let top = self.value(0, &what);
        if let Some(extra) = self.peek()
            && let Tok::Close(c) = extra.tok
        {
            let message = format!(
                "this `{c}` closes nothing: the {what} already ended on line {}",
                self.line_of(top.as_ref().map_or(0, |t| t.span.end.saturating_sub(1)))
            );
            self.problem("extra-bracket", extra.span.clone(), message).help = Some("remove it".into());
            self.at += 1;
        }
        if let Some(extra) = self.peek() {
            let closed_at = top.as_ref().map_or(0, |t| t.span.end.saturating_sub(1));
            let message = format!(
                "there is text after the end of the {what}, whose closing bracket is on line {}",
                self.line_of(closed_at)
            );
            self.problem("trailing-text", extra.span.start..self.source.len().min(extra.span.end), message).help =
                Some("remove it, or if it belongs to the scenario, look for a `)` too many above it".into());
        }
        top
    }

    /// Reads one value; None (and nothing consumed) when the next token cannot start one.
    fn value(&mut self, depth: usize, what: &str) -> Option<Node> {
        let token = self.peek()?;
        let span = token.span.clone();
        let text = &self.source[span.clone()];
        let kind = match &token.tok {
            Tok::Ident if self.peek_tok(1) == Some(&Tok::Open('(')) => {
                self.at += 1;
                let name = token.name(self.source).to_string();
                let what = if name == "Some" { what.to_string() } else { format!("`{name}(`") };
                let (group, end, damaged) = self.group(depth, '(', &what)?;
                let mut node = self.node(span.start..end, Kind::Named(name, group));
                node.damaged = damaged;
                return Some(node);
            }
            Tok::Ident => {
                self.at += 1;
                match token.name(self.source) {
                    "true" => Kind::Bool(true),
                    "false" => Kind::Bool(false),
                    name => Kind::Ident(name.to_string()),
                }
            }
            Tok::Str { closed } => {
                self.at += 1;
                if !*closed {
                    self.unclosed_text(&span);
                    self.assumed_end = true;
                } else if !self.quotes_out_of_step {
                    self.check_quotes_in_step(&span);
                }
                Kind::Str(self.text_value(&span, *closed))
            }
            Tok::BadQuote { .. } => {
                self.at += 1;
                let inside = token.inside(self.source).to_string();
                let quote = text.chars().next().unwrap_or('\'');
                self.problem(
                    "wrong-quotes",
                    span.start..span.start + quote.len_utf8(),
                    format!("`{quote}` is not a quote RON reads: use straight double quotes `\"`"),
                )
                .help = Some(format!("write \"{}\"", inside.replace('"', "\\\"")));
                Kind::Str(inside)
            }
            Tok::Number => {
                self.at += 1;
                Kind::Number(text.to_string())
            }
            Tok::Open(open) => {
                let open = *open;
                let (group, end, damaged) = self.group(depth, open, what)?;
                let kind = match open {
                    '(' => Kind::Group(group),
                    '[' => Kind::List(group.items),
                    _ => Kind::Map,
                };
                let mut node = self.node(span.start..end, kind);
                node.damaged = damaged;
                if open == '{' {
                    self.problem("syntax", span, "`{` is JSON's way to group fields; RON uses `(`".into()).help =
                        Some("write the fields inside `( )` as `name: value`".into());
                }
                return Some(node);
            }
            _ => return None,
        };
        Some(self.node(span, kind))
    }

    /// A text that holds code (`"Blame Sam., effects: (`) lost its closing quote; one that
    /// starts like code (`", next: Beat("`) sits between two texts whose quotes are out of
    /// step. Either way what follows cannot be trusted, so nothing more is reported.
    fn check_quotes_in_step(&mut self, span: &Range<usize>) {
        let text = &self.source[span.clone()];
        let (problem_span, message) = if let Some(at) = code_inside(text) {
            let code: String = text[at..].chars().take(16).collect();
            (span.start..span.start + 1, format!("this text has no closing `\"`: it probably ends before `{code}`"))
        } else if reads_like_code(text) {
            (
                span.clone(),
                "this text reads like part of the file: a `\"` is probably missing or one too many before it"
                    .to_string(),
            )
        } else {
            return;
        };
        let problem = self.problem("unclosed-text", problem_span, message);
        problem.help = Some("add the missing `\"`; the rest of the file is checked once the quotes match".into());
        problem.lost = true;
        self.quotes_out_of_step = true;
    }

    fn unclosed_text(&mut self, span: &Range<usize>) {
        let line = self.line_of(span.start);
        self.problem("unclosed-text", span.start..span.start + 1, "this text has no closing `\"`".into()).help =
            Some(format!("add `\"` where the text ends, probably at the end of line {line}"));
    }

    /// A text literal's value, read by `ron` itself so escapes mean exactly what they mean there.
    fn text_value(&mut self, span: &Range<usize>, closed: bool) -> String {
        let text = &self.source[span.clone()];
        let literal = if closed { text.to_string() } else { format!("{}\"", text.trim_end()) };
        match ron::from_str::<String>(&literal) {
            Ok(value) => value,
            Err(error) => {
                if closed {
                    let message = match &error.code {
                        ron::Error::InvalidEscape(what) => format!("this text has an escape RON cannot read ({what})"),
                        _ => "this text cannot be read".into(),
                    };
                    self.problem("syntax", span.clone(), message).help =
                        Some("a `\\` starts an escape such as `\\\"` or `\\n`; write `\\\\` for a backslash, or use a raw string `r#\"...\"#`".into());
                }
                text.trim_matches(|c| c == '"' || c == 'r' || c == '#').to_string()
            }
        }
    }

    /// Reads a bracketed group whose opening bracket is next: its content, where it ends,
    /// and whether some of it was lost. None past the depth limit (already reported by the
    /// source map).
    fn group(&mut self, depth: usize, open: char, what: &str) -> Option<(Group, usize, bool)> {
        if depth >= self.max_depth {
            return None;
        }
        let opener = self.peek()?;
        self.at += 1;
        let close = closing(open);
        self.open.push(Open { bracket: open, indent: opener.indent });
        let mut group = Group::default();
        let mut damaged = false;
        // What the group's elements are called, made once: a long name copied for each
        // element of a long list cost more than reading the list.
        let mut element: Option<String> = None;
        let multi_line = self.peek().is_some_and(|t| t.line_start);
        let end = loop {
            let Some(token) = self.peek() else {
                if !self.truncated && !self.eof_reported {
                    self.eof_reported = true;
                    let message = format!("the {} opened here is never closed", self.describe(open, what));
                    self.problem("unclosed", opener.span.clone(), message).help =
                        Some(format!("add its `{close}` where it ends"));
                }
                damaged = true;
                break self.source.len();
            };
            let ours = token.tok == Tok::Close(close) && token.indent >= opener.indent;
            if self.indent_mode && token.line_start && !ours {
                let before = token.indent < opener.indent;
                let same_line_level = token.indent == opener.indent && !matches!(token.tok, Tok::Close(_));
                if before || same_line_level {
                    self.missing_close(opener, open, what, token);
                    break self.previous_end();
                }
            }
            match &token.tok {
                Tok::Close(c) if *c == close => {
                    let early_by_indent =
                        self.indent_mode && multi_line && !token.line_start && token.indent > opener.indent;
                    if early_by_indent || self.early_closes.binary_search(&self.at).is_ok() {
                        let message = format!(
                            "this `{close}` closes the {} opened at {} early",
                            self.describe(open, what),
                            self.position(opener.span.start)
                        );
                        let goes_on = if early_by_indent { "below" } else { "after it" };
                        self.problem("extra-bracket", token.span.clone(), message).help =
                            Some(format!("remove it: the {} goes on {goes_on}", self.describe(open, what)));
                        self.at += 1;
                        continue;
                    }
                    self.at += 1;
                    break token.span.end;
                }
                Tok::Close(c) => {
                    let c = *c;
                    if self.early_closes.binary_search(&self.at).is_ok() {
                        let message = format!(
                            "this `{c}` closes nothing: the {} opened at {} is still open here",
                            self.describe(open, what),
                            self.position(opener.span.start)
                        );
                        self.problem("extra-bracket", token.span.clone(), message).help = Some("remove it".into());
                        self.at += 1;
                        continue;
                    }
                    let closes_outer = self.open.iter().rev().skip(1).any(|o| closing(o.bracket) == c);
                    if closes_outer && !(self.indent_mode && token.line_start && token.indent == opener.indent) {
                        self.missing_close(opener, open, what, token);
                        damaged = !self.indent_mode;
                        break self.previous_end();
                    }
                    self.at += 1;
                    if self.indent_mode && token.line_start && token.indent == opener.indent {
                        let message = format!(
                            "this `{c}` should be `{close}`, to close the {} opened at {}",
                            self.describe(open, what),
                            self.position(opener.span.start)
                        );
                        self.problem("wrong-bracket", token.span.clone(), message);
                        break token.span.end;
                    }
                    let message = format!(
                        "this `{c}` closes nothing: the {} opened at {} is still open here",
                        self.describe(open, what),
                        self.position(opener.span.start)
                    );
                    self.problem("extra-bracket", token.span.clone(), message).help = Some("remove it".into());
                }
                Tok::Comma => {
                    self.at += 1;
                    let next_on_own_line = self.peek().is_some_and(|t| t.line_start && self.indent_mode);
                    if self.peek_tok(0) == Some(&Tok::Comma) && !next_on_own_line {
                        let span = self.peek().map(|t| t.span.clone()).unwrap_or_default();
                        self.problem("syntax", span, "two `,` in a row".into()).help = Some("remove one".into());
                    }
                }
                Tok::Other(';') => {
                    self.at += 1;
                    self.problem("syntax", token.span.clone(), "use `,` between values, not `;`".into());
                }
                Tok::Ident if open != '[' && matches!(self.peek_tok(1), Some(Tok::Colon) | Some(Tok::Other('='))) => {
                    let name = token.name(self.source).to_string();
                    if let Some(Tok::Other('=')) = self.peek_tok(1) {
                        let span = self.tokens[self.at + 1].span.clone();
                        self.problem("syntax", span, format!("use `:` between `{name}` and its value, not `=`"));
                    }
                    self.at += 2;
                    match self.value(depth + 1, &format!("`{name}`")) {
                        Some(value) => {
                            group.fields.push(Field { name, name_span: token.span.clone(), value });
                            self.after_element(close);
                        }
                        None => {
                            let span = self.peek().map_or(token.span.end..token.span.end, |t| t.span.clone());
                            self.problem("syntax", span, format!("expected a value after `{name}:`")).lost = true;
                            damaged = true;
                            self.skip_stray();
                        }
                    }
                }
                // A group of fields in a list meets an unnamed `(`: the next element of the
                // list starts, so this one's `)` is missing.
                Tok::Open('(')
                    if open == '('
                        && !group.fields.is_empty()
                        && self.open.iter().rev().nth(1).is_some_and(|o| o.bracket == '[') =>
                {
                    self.missing_close(opener, open, what, token);
                    break self.previous_end();
                }
                _ => {
                    let element = element.get_or_insert_with(|| element_name(what));
                    match self.value(depth + 1, element) {
                        Some(value) => {
                            group.items.push(value);
                            self.after_element(close);
                        }
                        None => {
                            let found = &self.source[token.span.clone()];
                            self.problem("syntax", token.span.clone(), format!("unexpected `{found}`")).lost = true;
                            damaged = true;
                            self.at += 1;
                        }
                    }
                }
            }
        };
        self.open.pop();
        Some((group, end, damaged))
    }

    /// After a field or item: a `,`, the group's end, or a `,` that is missing.
    fn after_element(&mut self, close: char) {
        let Some(next) = self.peek() else { return };
        if std::mem::take(&mut self.assumed_end) {
            return;
        }
        match next.tok {
            // A stray character is reported where the group's loop meets it.
            Tok::Comma | Tok::Close(_) | Tok::Other(_) => {}
            _ if self.indent_mode && next.line_start && self.ends_a_group(next) => {}
            _ => {
                let previous = self.tokens[self.at - 1].span.end;
                let found = &self.source[next.span.clone()];
                let found = if found.chars().count() > 40 { "this".to_string() } else { format!("`{found}`") };
                let line = self.line_of(next.span.start);
                if line == self.last_comma_line || self.quotes_out_of_step {
                    return;
                }
                self.last_comma_line = line;
                let help = if self.line_of(previous) < self.line_of(next.span.start) {
                    format!("add `,` at the end of line {}", self.line_of(previous))
                } else {
                    format!("add `,` before it, or `{close}` if the group ends here")
                };
                self.problem("missing-comma", next.span.clone(), format!("a `,` is missing before {found}")).help =
                    Some(help);
            }
        }
    }

    /// Whether a line-starting token ends some open group by its indentation.
    fn ends_a_group(&self, token: &Token) -> bool {
        self.open
            .iter()
            .any(|o| token.indent < o.indent || (token.indent == o.indent && !matches!(token.tok, Tok::Close(_))))
    }

    fn missing_close(&mut self, opener: &Token, open: char, what: &str, next: &Token) {
        let close = closing(open);
        let last = self.previous_end();
        let line = self.line_of(last);
        let found: String = self.source[next.span.clone()].chars().take(20).collect();
        let (message, help) = if self.line_of(next.span.start) > line {
            (
                format!(
                    "this {} is never closed: its `{close}` is probably missing at the end of line {line}",
                    self.describe(open, what)
                ),
                format!(
                    "add `{close}` (and a `,`) at the end of line {line}, before `{found}` on line {}",
                    self.line_of(next.span.start)
                ),
            )
        } else {
            let at = self.position(next.span.start);
            (
                format!(
                    "this {} is never closed: `{found}` at {at} comes before its `{close}`",
                    self.describe(open, what)
                ),
                format!("add `{close}` before `{found}`"),
            )
        };
        let lost = !self.indent_mode;
        let problem = self.problem("unclosed", opener.span.clone(), message);
        problem.help = Some(help);
        problem.lost = lost;
        self.assumed_end = true;
    }

    fn previous_end(&self) -> usize {
        self.at.checked_sub(1).map_or(0, |i| self.tokens[i].span.end)
    }

    /// Skips to the next `,` or bracket after a field without a value.
    fn skip_stray(&mut self) {
        while let Some(token) = self.peek() {
            if matches!(token.tok, Tok::Comma | Tok::Close(_) | Tok::Open(_)) || token.line_start {
                return;
            }
            self.at += 1;
        }
    }

    fn describe(&self, open: char, what: &str) -> String {
        if what.starts_with('`') {
            return what.to_string();
        }
        match open {
            '[' => format!("list `{what}`"),
            _ => what.to_string(),
        }
    }
}

/// A `"..."` text whose inside starts like code (`", next: Beat("`): the quotes around it
/// belong to two different texts.
fn reads_like_code(literal: &str) -> bool {
    let inside = literal.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or("");
    let rest = inside.trim_start_matches([')', ']', ' ']);
    let Some(rest) = rest.strip_prefix(',') else { return false };
    let rest = rest.trim_start();
    let name = rest.bytes().take_while(|b| b.is_ascii_lowercase() || *b == b'_').count();
    name > 0 && rest[name..].starts_with(':')
}

/// Where, inside a text literal, a field of the file seems to start (`, effects: (`).
fn code_inside(literal: &str) -> Option<usize> {
    let bytes = literal.as_bytes();
    (1..bytes.len().saturating_sub(1)).find(|&i| {
        if bytes[i] != b',' {
            return false;
        }
        let rest = literal[i + 1..].trim_start_matches(' ');
        let name = rest.bytes().take_while(|b| b.is_ascii_lowercase() || *b == b'_').count();
        name > 1
            && rest[name..].starts_with(": ")
            && rest[name + 2..].starts_with(|c: char| matches!(c, '"' | '(' | '[') || c.is_ascii_digit())
    })
}

/// What one element of a list is called, for messages: `beats` holds beats.
fn element_name(list: &str) -> String {
    if list.ends_with("(`") {
        return format!("value in {list}");
    }
    let list = list.trim_matches('`');
    match list {
        "cast" => "cast member".into(),
        "later" => "delayed consequence".into(),
        "review" => "review outcome".into(),
        _ => list.strip_suffix('s').unwrap_or(list).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(source: &str) -> Vec<(&'static str, String)> {
        parse(source, 32).problems.into_iter().map(|p| (p.code, p.message)).collect()
    }

    #[test]
    fn a_clean_file_has_no_problems() {
        let parsed = parse("Scenario(id: \"a\", beats: [(id: \"b\")], next: Beat(\"x\"))", 32);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let Some(Node { kind: Kind::Named(name, group), .. }) = parsed.top else { panic!() };
        assert_eq!(name, "Scenario");
        assert_eq!(group.fields.len(), 3);
    }

    #[test]
    fn a_missing_comma_is_reported_and_assumed() {
        let found = problems("Scenario(\n  a: 1\n  b: 2,\n)");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "missing-comma");
    }

    #[test]
    fn indentation_finds_the_choice_whose_bracket_is_missing() {
        let source =
            "S(\n    items: [\n        (\n            a: 1,\n        (\n            b: 2,\n        ),\n    ],\n)\n";
        let found = parse(source, 32).problems;
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, "unclosed");
        assert_eq!(found[0].span.start, source.find("(\n            a").unwrap(), "{found:?}");
        assert!(
            found[0].message.contains("this item is never closed") && found[0].message.contains("line 4"),
            "{found:?}"
        );
    }
}
