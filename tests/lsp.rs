//! `leap lsp` in process: every feature on the fixture in tests/fixtures/lsp/scenarios, with
//! positions asserted exactly in UTF-16 units (the fixture puts é and 😀 before ids).

#![allow(clippy::mutable_key_type)] // `lsp_types::Uri` keys: its interior cache never changes equality.

mod common;

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request as req;
use lsp_types::*;
use serde_json::{Value, json};

#[derive(Debug)]
struct Reply {
    result: Option<Value>,
    error: Option<lsp_server::ResponseError>,
}

/// An editor talking to a server on another thread, through in-memory channels.
struct Client {
    connection: Connection,
    server: Option<JoinHandle<()>>,
    next_id: i32,
    /// Notifications received and not yet looked at.
    notifications: Vec<Notification>,
}

impl Client {
    fn start(root: &Path) -> Client {
        Client::start_with(
            root,
            json!({ "workspace": { "workspaceEdit": { "documentChanges": true, "changeAnnotationSupport": {} } } }),
        )
    }

    fn start_with(root: &Path, capabilities: Value) -> Client {
        let (server_side, connection) = Connection::memory();
        let server = std::thread::spawn(move || {
            leap::lsp::serve(&server_side, Path::new("no-such-folder")).unwrap();
        });
        let mut client = Client { connection, server: Some(server), next_id: 0, notifications: Vec::new() };
        let root_uri = leap::lsp::uri::from_path(root).unwrap();
        let result =
            client.raw_request("initialize", json!({ "capabilities": capabilities, "rootUri": root_uri.as_str() }));
        assert!(result.result.is_some(), "{result:?}");
        client.notify::<note::Initialized>(InitializedParams {});
        client
    }

    fn raw_request(&mut self, method: &str, params: Value) -> Reply {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.connection
            .sender
            .send(Message::Request(Request { id: id.clone(), method: method.into(), params }))
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match self.connection.receiver.recv_deadline(deadline).expect("a response in time") {
                Message::Response(response) if response.id == id => {
                    let (result, error) = match response.response_result {
                        Ok(result) => (Some(result), None),
                        Err(error) => (None, Some(error)),
                    };
                    return Reply { result, error };
                }
                Message::Notification(n) => self.notifications.push(n),
                _ => {}
            }
        }
    }

    fn request<R: req::Request>(&mut self, params: R::Params) -> R::Result {
        let response = self.raw_request(R::METHOD, serde_json::to_value(params).unwrap());
        if let Some(error) = response.error {
            panic!("{} failed: {error:?}", R::METHOD);
        }
        serde_json::from_value(response.result.unwrap_or(Value::Null)).unwrap()
    }

    fn notify<N: note::Notification>(&self, params: N::Params) {
        let params = serde_json::to_value(params).unwrap();
        self.connection.sender.send(Message::Notification(Notification { method: N::METHOD.into(), params })).unwrap();
    }

    /// Waits for the next diagnostics published for `uri` that `accept` takes.
    fn diagnostics_where(&mut self, uri: &Uri, accept: impl Fn(&[Diagnostic]) -> bool) -> Vec<Diagnostic> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            while let Some(i) = self.notifications.iter().position(|n| n.method == note::PublishDiagnostics::METHOD) {
                let n = self.notifications.remove(i);
                let params: PublishDiagnosticsParams = serde_json::from_value(n.params).unwrap();
                if params.uri == *uri && accept(&params.diagnostics) {
                    return params.diagnostics;
                }
            }
            match self.connection.receiver.recv_deadline(deadline) {
                Ok(Message::Notification(n)) => self.notifications.push(n),
                Ok(_) => {}
                Err(_) => panic!("no matching diagnostics for {}", uri.as_str()),
            }
        }
    }

    fn diagnostics(&mut self, uri: &Uri) -> Vec<Diagnostic> {
        self.diagnostics_where(uri, |_| true)
    }

    fn open(&mut self, uri: &Uri, text: &str) {
        let item = TextDocumentItem { uri: uri.clone(), language_id: "ron".into(), version: 1, text: text.into() };
        self.notify::<note::DidOpenTextDocument>(DidOpenTextDocumentParams { text_document: item });
    }

    fn change(&mut self, uri: &Uri, version: i32, range: Option<Range>, text: &str) {
        self.notify::<note::DidChangeTextDocument>(DidChangeTextDocumentParams {
            text_document: VersionedTextDocumentIdentifier { uri: uri.clone(), version },
            content_changes: vec![TextDocumentContentChangeEvent { range, range_length: None, text: text.into() }],
        });
    }

    fn stop(mut self) {
        let _ = self.raw_request("shutdown", Value::Null);
        self.notify::<note::Exit>(());
        self.server.take().unwrap().join().unwrap();
    }
}

fn root() -> PathBuf {
    common::fixture("lsp").canonicalize().unwrap()
}

fn cafe_uri() -> Uri {
    leap::lsp::uri::from_path(&root().join("scenarios/cafe.ron")).unwrap()
}

fn tour_uri() -> Uri {
    leap::lsp::uri::from_path(&root().join("scenarios/tour.campaign.ron")).unwrap()
}

fn cafe_text() -> String {
    std::fs::read_to_string(root().join("scenarios/cafe.ron")).unwrap()
}

fn at(line: u32, character: u32) -> Position {
    Position { line, character }
}

fn range(line: u32, start: u32, end: u32) -> Range {
    Range { start: at(line, start), end: at(line, end) }
}

fn position_params(uri: &Uri, position: Position) -> TextDocumentPositionParams {
    TextDocumentPositionParams { text_document: TextDocumentIdentifier { uri: uri.clone() }, position }
}

/// Line 19 holds the first choice: `Zoë 😀` comes before its `Beat("second")`, whose id
/// starts at UTF-16 column 173 (172 characters, 178 bytes in).
const SECOND_REF: (u32, u32, u32) = (19, 173, 179);
/// `id: "second"` on line 24.
const SECOND_DEF: (u32, u32, u32) = (24, 17, 23);

fn open_cafe(client: &mut Client) {
    client.open(&cafe_uri(), &cafe_text());
    let diagnostics = client.diagnostics(&cafe_uri());
    assert!(diagnostics.iter().all(|d| d.severity != Some(DiagnosticSeverity::ERROR)), "{diagnostics:#?}");
}

#[test]
fn a_broken_reference_is_reported_at_its_utf16_range_and_fixed_by_its_quick_fix() {
    let mut client = Client::start(&root());
    open_cafe(&mut client);
    let (line, start, end) = SECOND_REF;
    client.change(&cafe_uri(), 2, Some(range(line, start, end)), "secnd");
    let diagnostics = client.diagnostics(&cafe_uri());
    let broken: Vec<&Diagnostic> =
        diagnostics.iter().filter(|d| d.severity == Some(DiagnosticSeverity::ERROR)).collect();
    assert_eq!(broken.len(), 1, "{diagnostics:#?}");
    // The quoted id: one column before and after the name.
    assert_eq!(broken[0].range, range(line, start - 1, start + 6));
    assert_eq!(broken[0].code, Some(NumberOrString::String("dangling-reference".into())));
    assert_eq!(broken[0].message, "no beat `secnd`\nhelp: did you mean `second`?");

    let actions = client.request::<req::CodeActionRequest>(CodeActionParams {
        text_document: TextDocumentIdentifier { uri: cafe_uri() },
        range: range(line, start + 2, start + 2),
        context: CodeActionContext::default(),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    });
    let actions = actions.unwrap();
    let [CodeActionOrCommand::CodeAction(action)] = actions.as_slice() else { panic!("{actions:#?}") };
    assert_eq!(action.title, "Write `second`");
    let edits = &action.edit.as_ref().unwrap().changes.as_ref().unwrap()[&cafe_uri()];
    assert_eq!(edits, &[TextEdit { range: range(line, start - 1, start + 6), new_text: "\"second\"".into() }]);

    client.change(&cafe_uri(), 3, Some(edits[0].range), &edits[0].new_text);
    let fixed = client.diagnostics(&cafe_uri());
    assert!(fixed.is_empty(), "{fixed:#?}");
    client.stop();
}

/// Applies a quick fix found at `position` in `text` and returns the fixed text.
fn quick_fix(client: &mut Client, uri: &Uri, text: &str, position: Position, title: &str) -> String {
    client.open(uri, text);
    let _ = client.diagnostics(uri);
    let actions = client
        .request::<req::CodeActionRequest>(CodeActionParams {
            text_document: TextDocumentIdentifier { uri: uri.clone() },
            range: Range { start: position, end: position },
            context: CodeActionContext::default(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .unwrap_or_default();
    let action = actions
        .iter()
        .find_map(|a| match a {
            CodeActionOrCommand::CodeAction(a) if a.title == title => Some(a.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no `{title}` in {actions:#?}"));
    let edit = action.edit.unwrap().changes.unwrap()[uri][0].clone();
    let lines = leap::lsp::text::LineIndex::new(text);
    let mut fixed = text.to_string();
    fixed.replace_range(lines.offset(text, edit.range.start)..lines.offset(text, edit.range.end), &edit.new_text);
    fixed
}

/// The position `ahead` UTF-16 units after the first `needle` in `text`.
fn find(text: &str, needle: &str, ahead: u32) -> Position {
    let offset = text.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    let line = text[..offset].matches('\n').count() as u32;
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    at(line, text[line_start..offset].encode_utf16().count() as u32 + ahead)
}

fn problems_in(text: &str) -> usize {
    leap::scenario::Corpus::from_sources([("x.ron", text)]).diagnostics().count()
}

fn errors_in(text: &str) -> Vec<String> {
    let corpus = leap::scenario::Corpus::from_sources([("x.ron", text)]);
    corpus.diagnostics().filter(|d| d.is_error()).map(|d| d.short()).collect()
}

#[test]
fn quick_fixes_write_an_ending_a_field_name_and_dominant_intended() {
    let mut client = Client::start(&root());
    let uri = cafe_uri();
    // An ending written as a beat.
    let text = cafe_text().replace("Ending(\"weak\")", "Beat(\"weak\")");
    let fixed = quick_fix(&mut client, &uri, &text, find(&text, "Beat(\"weak\")", 7), "Write `Ending(\"weak\")`");
    assert_eq!(fixed, cafe_text());
    // A misspelled field name.
    let text = cafe_text().replace("discuss: \"What now?\"", "dicsuss: \"What now?\"");
    let fixed = quick_fix(&mut client, &uri, &text, at(17, 14), "Write `discuss`");
    assert_eq!(fixed, cafe_text());
    // A choice better on every meter: the fix marks it intended, and the warning goes.
    let text = cafe_text().replace(
        "effects: (trust: 3, strategic_impact: -4)",
        "effects: (trust: 3, strategic_impact: 9, team_engagement: 9)",
    );
    let fixed = quick_fix(&mut client, &uri, &text, at(30, 22), "Add `dominant_intended: true`");
    assert!(fixed.contains("(id: \"forgive\", dominant_intended: true, text:"), "{fixed}");
    assert!(errors_in(&fixed).is_empty());
    let corpus = leap::scenario::Corpus::from_sources([("x.ron", fixed.as_str())]);
    assert!(corpus.diagnostics().all(|d| d.code != "dominated-choice"));
    client.stop();
}

#[test]
fn cross_file_problems_show_in_the_file_they_concern() {
    let mut client = Client::start(&root());
    // A campaign naming a scenario that does not exist, with the fix to the one that does.
    let campaign =
        std::fs::read_to_string(root().join("scenarios/tour.campaign.ron")).unwrap().replace("\"cafe\"", "\"cafx\"");
    let fixed = quick_fix(&mut client, &tour_uri(), &campaign, at(5, 17), "Write `cafe`");
    assert!(fixed.contains("scenarios: [\"cafe\"]"));
    // An unsaved new file in the folder that reuses the scenario's id.
    let copy = leap::lsp::uri::from_path(&root().join("scenarios/copy-of-cafe.ron")).unwrap();
    client.open(&copy, &cafe_text());
    let diagnostics = client.diagnostics_where(&copy, |d| !d.is_empty());
    let duplicate = diagnostics.iter().find(|d| d.code == Some(NumberOrString::String("duplicate-id".into()))).unwrap();
    assert_eq!(duplicate.range, range(4, 8, 14));
    // A line typed above it moves it (the cross-file findings are kept between edits only
    // while what they read is unchanged).
    client.change(&copy, 2, Some(range(0, 0, 0)), "// a copy\n");
    let moved = client.diagnostics(&copy);
    let duplicate = moved.iter().find(|d| d.code == Some(NumberOrString::String("duplicate-id".into()))).unwrap();
    assert_eq!(duplicate.range, range(5, 8, 14));
    client.stop();
}

#[test]
fn definition_and_references_of_beats_flags_lessons_and_scenarios() {
    let mut client = Client::start(&root());
    open_cafe(&mut client);
    let (line, start, _) = SECOND_REF;
    let found = client.request::<req::GotoDefinition>(GotoDefinitionParams {
        text_document_position_params: position_params(&cafe_uri(), at(line, start + 3)),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    });
    let (dl, ds, de) = SECOND_DEF;
    assert_eq!(
        found,
        Some(GotoDefinitionResponse::Array(vec![Location { uri: cafe_uri(), range: range(dl, ds, de) }]))
    );

    let references = |client: &mut Client, uri: &Uri, position: Position, declaration: bool| {
        let mut found: Vec<(String, Range)> = client
            .request::<req::References>(ReferenceParams {
                text_document_position: position_params(uri, position),
                context: ReferenceContext { include_declaration: declaration },
                work_done_progress_params: Default::default(),
                partial_result_params: Default::default(),
            })
            .unwrap_or_default()
            .into_iter()
            .map(|l| (l.uri.as_str().rsplit('/').next().unwrap().to_string(), l.range))
            .collect();
        found.sort_by_key(|(file, r)| (file.clone(), r.start.line, r.start.character));
        found
    };
    let beat = references(&mut client, &cafe_uri(), at(dl, ds), true);
    let cafe = |r: Range| ("cafe.ron".to_string(), r);
    assert_eq!(beat, [cafe(range(19, 173, 179)), cafe(range(20, 233, 239)), cafe(range(24, 17, 23))]);
    assert_eq!(references(&mut client, &cafe_uri(), at(dl, ds), false).len(), 2);

    // A flag: set on line 19 after `Zoë 😀`, read by `Flag("blamed")` on line 30.
    let flag = references(&mut client, &cafe_uri(), at(30, 72), true);
    assert_eq!(flag, [cafe(range(19, 151, 157)), cafe(range(30, 72, 78))]);

    // A lesson is found across the file: the list at the top and each choice teaching it.
    let lesson = references(&mut client, &cafe_uri(), at(19, 106), true);
    assert_eq!(lesson.len(), 4, "{lesson:?}");
    assert!(lesson.contains(&cafe(range(19, 105, 108))));

    // The campaign's scenario id leads to the scenario's file.
    client.open(&tour_uri(), &std::fs::read_to_string(root().join("scenarios/tour.campaign.ron")).unwrap());
    let found = client.request::<req::GotoDefinition>(GotoDefinitionParams {
        text_document_position_params: position_params(&tour_uri(), at(5, 18)),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    });
    assert_eq!(found, Some(GotoDefinitionResponse::Array(vec![Location { uri: cafe_uri(), range: range(4, 9, 13) }])));
    let scenario = references(&mut client, &cafe_uri(), at(4, 10), true);
    assert_eq!(scenario, [cafe(range(4, 9, 13)), ("tour.campaign.ron".to_string(), range(5, 17, 21))]);
    client.stop();
}

fn completion_labels(client: &mut Client, uri: &Uri, position: Position) -> Vec<CompletionItem> {
    match client.request::<req::Completion>(CompletionParams {
        text_document_position: position_params(uri, position),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
        context: None,
    }) {
        Some(CompletionResponse::Array(items)) => items,
        other => panic!("{other:?}"),
    }
}

fn labels(items: &[CompletionItem]) -> Vec<&str> {
    items.iter().map(|i| i.label.as_str()).collect()
}

#[test]
fn completion_knows_ids_lessons_fields_verdicts_conditions_and_meters() {
    let mut client = Client::start(&root());
    let uri = cafe_uri();
    open_cafe(&mut client);
    let (line, start, _) = SECOND_REF;
    // Inside `Beat("se|`: beat ids, replacing what is typed so far.
    client.change(&uri, 2, Some(range(line, start, start + 6)), "se");
    let items = completion_labels(&mut client, &uri, at(line, start + 2));
    assert_eq!(labels(&items), ["first", "second"]);
    let Some(CompletionTextEdit::Edit(edit)) = &items[1].text_edit else { panic!() };
    assert_eq!(edit.range, range(line, start, start + 2));
    // `Ending("`: endings.
    let text = cafe_text();
    let items = completion_labels(&mut client, &uri, find(&text, "Ending(\"strong\")", 8));
    assert_eq!(labels(&items), ["mixed", "strong", "weak"]);
    client.change(&uri, 3, None, &text);
    // `lesson: "`: the 22 lessons with their names.
    let items = completion_labels(&mut client, &uri, at(19, 106));
    assert_eq!(items.len(), 22);
    assert_eq!(items[3].label, "L04");
    assert_eq!(items[3].detail.as_deref(), Some("Make people feel heard"));
    // `speaker: "`: the cast.
    assert_eq!(labels(&completion_labels(&mut client, &uri, at(15, 22))), ["zoe"]);
    // `Flag("`: flags already set.
    assert_eq!(labels(&completion_labels(&mut client, &uri, at(30, 72))), ["blamed"]);
    // After `verdict: ` and `requires: `: verdicts and condition names.
    let with =
        text.replace("verdict: Strong", "verdict: ").replace("requires: Not(Flag(\"blamed\")), ", "requires: , ");
    client.change(&uri, 4, None, &with);
    let ending_line = with.lines().position(|l| l.contains("verdict: ,")).unwrap() as u32;
    let column = with.lines().nth(ending_line as usize).unwrap().find("verdict: ").unwrap() as u32 + 9;
    assert_eq!(labels(&completion_labels(&mut client, &uri, at(ending_line, column))), ["Strong", "Mixed", "Weak"]);
    let column = with.lines().nth(30).unwrap().find("requires: ").unwrap() as u32 + 10;
    let conditions = completion_labels(&mut client, &uri, at(30, column));
    assert!(
        labels(&conditions).starts_with(&["All", "Any", "Not", "MeterAtLeast", "MeterAtMost", "Flag"]),
        "{:?}",
        labels(&conditions)
    );
    // Inside `MeterAtLeast(`: the meters.
    let with = text.replace("requires: Not(Flag(\"blamed\"))", "requires: MeterAtLeast(");
    client.change(&uri, 5, None, &with);
    let column = with.lines().nth(30).unwrap().find("MeterAtLeast(").unwrap() as u32 + 13;
    assert_eq!(
        labels(&completion_labels(&mut client, &uri, at(30, column))),
        ["trust", "strategic_impact", "team_engagement"]
    );
    // On a new line in a beat: the fields a beat has and this one does not write yet.
    let with =
        text.replace("            discuss: \"What now?\",\n", "            discuss: \"What now?\",\n            \n");
    client.change(&uri, 6, None, &with);
    assert_eq!(
        labels(&completion_labels(&mut client, &uri, at(18, 12))),
        ["scene"],
        "every beat field but the one this beat does not write"
    );
    let with = text.replace("            discuss: \"What now?\",\n", "            \n");
    client.change(&uri, 7, None, &with);
    assert_eq!(labels(&completion_labels(&mut client, &uri, at(17, 12))), ["discuss", "scene"]);
    // After `stance: `: how a choice stands to its lesson.
    let with_stance = text.replacen("stance: Applies", "stance: ", 1);
    client.change(&uri, 100, None, &with_stance);
    let stance_line = with_stance.lines().position(|l| l.contains("stance: )")).unwrap() as u32;
    // LSP counts columns in UTF-16 units, and this line has "Zoë 😀" before the stance.
    let stance_text = with_stance.lines().nth(stance_line as usize).unwrap();
    let byte = stance_text.find("stance: ").unwrap() + 8;
    let column = stance_text[..byte].encode_utf16().count() as u32;
    assert_eq!(labels(&completion_labels(&mut client, &uri, at(stance_line, column))), ["Applies", "Partly", "Misses"]);
    client.stop();
}

fn hover_text(client: &mut Client, uri: &Uri, position: Position) -> (String, Option<Range>) {
    let hover = client
        .request::<req::HoverRequest>(HoverParams {
            text_document_position_params: position_params(uri, position),
            work_done_progress_params: Default::default(),
        })
        .unwrap_or_else(|| panic!("no hover at {position:?}"));
    let HoverContents::Markup(markup) = hover.contents else { panic!() };
    (markup.value, hover.range)
}

#[test]
fn hovers_show_lessons_beats_and_choices() {
    let mut client = Client::start(&root());
    let uri = cafe_uri();
    open_cafe(&mut client);
    let (lesson, at_lesson) = hover_text(&mut client, &uri, at(19, 106));
    assert_eq!(at_lesson, Some(range(19, 105, 108)));
    let l01 = leap::scenario::lessons::lesson("L01").unwrap();
    assert!(lesson.starts_with(&format!("**L01 · {}**", l01.name)), "{lesson}");
    assert!(lesson.contains(l01.summary) && lesson.contains(&l01.citation()), "{lesson}");
    let (line, start, _) = SECOND_REF;
    let (beat, _) = hover_text(&mut client, &uri, at(line, start));
    assert_eq!(beat, "**beat `second`** · 3 choices\n\nNarration: A week later.");
    let (first, _) = hover_text(&mut client, &uri, at(11, 13));
    assert_eq!(first, "**beat `first`** · 2 choices\n\nZoë (Barista): Zoë 😀 is late again.");
    let (choice, at_choice) = hover_text(&mut client, &uri, at(20, 22));
    assert_eq!(at_choice, Some(range(20, 22, 25)));
    assert_eq!(
        choice,
        "**choice `own`**: Own it — café.\n- effects: Trust +5, Strategic impact -2\n- after 1 decision: Team engagement +4\n- teaches `L01` (Own the outcome)\n- leads to beat `second`"
    );
    // While the file is broken, hovers read the last version that parsed.
    client.change(&uri, 2, Some(range(26, 12, 12)), "oops ");
    let broken = client.diagnostics(&uri);
    assert!(broken.iter().any(|d| d.severity == Some(DiagnosticSeverity::ERROR)), "{broken:#?}");
    let (still, _) = hover_text(&mut client, &uri, at(20, 22));
    assert!(still.starts_with("**choice `own`**"), "{still}");
    client.stop();
}

#[test]
fn rename_changes_every_use_and_warns_about_saves() {
    let mut client = Client::start(&root());
    let uri = cafe_uri();
    open_cafe(&mut client);
    let (dl, ds, _) = SECOND_DEF;
    let prepared = client.request::<req::PrepareRenameRequest>(position_params(&uri, at(dl, ds + 1)));
    assert_eq!(prepared, Some(PrepareRenameResponse::Range(range(dl, ds, ds + 6))));
    let reply = client.raw_request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri.as_str() }, "position": at(dl, ds + 1), "newName": "a-week-later" }),
    );
    let raw = reply.result.unwrap();
    let files = raw["documentChanges"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["textDocument"]["version"], json!(1));
    let ranges: Vec<Range> = files[0]["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["annotationId"], "saves-refer-to-ids");
            assert_eq!(e["newText"], "a-week-later");
            serde_json::from_value(e["range"].clone()).unwrap()
        })
        .collect();
    assert_eq!(ranges, [range(19, 173, 179), range(20, 233, 239), range(24, 17, 23)]);
    let edit: WorkspaceEdit = serde_json::from_value(raw).unwrap();
    let annotation = &edit.change_annotations.unwrap()["saves-refer-to-ids"];
    assert_eq!(annotation.needs_confirmation, Some(true));
    assert!(annotation.description.as_ref().unwrap().contains("Saves"));
    let warning = client.notifications.iter().find(|n| n.method == note::ShowMessage::METHOD).expect("a warning");
    assert!(warning.params["message"].as_str().unwrap().contains("Saves"), "{warning:?}");

    // Refusals: a bad id, a name in use, a lesson.
    for (position, name, why) in [
        (at(dl, ds), "A Week", "ids use lowercase"),
        (at(dl, ds), "first", "already a beat `first`"),
        (at(19, 106), "l99", "lesson ids are fixed"),
    ] {
        let response = client.raw_request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri.as_str() }, "position": position, "newName": name }),
        );
        let error = response.error.unwrap_or_else(|| panic!("{name} was accepted"));
        assert!(error.message.contains(why), "{}", error.message);
    }
    client.stop();
}

#[test]
fn renaming_a_scenario_from_its_campaign_changes_both_files() {
    // A client without change annotations gets plain edits.
    let mut client = Client::start_with(&root(), json!({}));
    let campaign = std::fs::read_to_string(root().join("scenarios/tour.campaign.ron")).unwrap();
    client.open(&tour_uri(), &campaign);
    let edit = client
        .request::<req::Rename>(RenameParams {
            text_document_position: position_params(&tour_uri(), at(5, 17)),
            new_name: "the-cafe".into(),
            work_done_progress_params: Default::default(),
        })
        .unwrap();
    let changes = edit.changes.unwrap();
    assert_eq!(changes[&tour_uri()], [TextEdit { range: range(5, 17, 21), new_text: "the-cafe".into() }]);
    assert_eq!(changes[&cafe_uri()], [TextEdit { range: range(4, 9, 13), new_text: "the-cafe".into() }]);
    client.stop();
}

#[test]
fn outline_folding_and_semantic_tokens() {
    let mut client = Client::start(&root());
    let uri = cafe_uri();
    open_cafe(&mut client);
    let Some(DocumentSymbolResponse::Nested(symbols)) =
        client.request::<req::DocumentSymbolRequest>(DocumentSymbolParams {
            text_document: TextDocumentIdentifier { uri: uri.clone() },
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
    else {
        panic!()
    };
    let names: Vec<(&str, Vec<&str>)> = symbols
        .iter()
        .map(|s| (s.name.as_str(), s.children.iter().flatten().map(|c| c.name.as_str()).collect()))
        .collect();
    assert_eq!(
        names,
        [
            ("zoe", vec![]),
            ("first", vec!["blame", "own"]),
            ("second", vec!["do-it", "goals", "forgive"]),
            ("strong", vec![]),
            ("mixed", vec![]),
            ("weak", vec![]),
        ]
    );
    assert_eq!(symbols[1].range, Range { start: at(13, 8), end: at(22, 9) });
    assert_eq!(symbols[1].selection_range, range(14, 17, 22));
    assert_eq!(symbols[1].children.as_ref().unwrap()[0].selection_range, range(19, 22, 27));

    let folds = client
        .request::<req::FoldingRangeRequest>(FoldingRangeParams {
            text_document: TextDocumentIdentifier { uri: uri.clone() },
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .unwrap();
    let lines: Vec<(u32, u32)> = folds.iter().map(|f| (f.start_line, f.end_line)).collect();
    assert_eq!(lines, [(13, 22), (23, 32)]);

    let Some(SemanticTokensResult::Tokens(tokens)) =
        client.request::<req::SemanticTokensFullRequest>(SemanticTokensParams {
            text_document: TextDocumentIdentifier { uri: uri.clone() },
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
    else {
        panic!()
    };
    // Decode to absolute positions and find the beat reference after `Zoë 😀`.
    let legend = leap::lsp::tokens::legend();
    let (mut line, mut start) = (0, 0);
    let mut absolute = Vec::new();
    for token in &tokens.data {
        line += token.delta_line;
        start = if token.delta_line == 0 { start + token.delta_start } else { token.delta_start };
        absolute.push((
            line,
            start,
            token.length,
            legend.token_types[token.token_type as usize].as_str(),
            token.token_modifiers_bitset,
        ));
    }
    assert!(absolute.contains(&(19, 173, 6, "function", 0)), "{absolute:?}");
    assert!(absolute.contains(&(24, 17, 6, "function", 1)), "the declaration is marked");
    assert!(absolute.contains(&(19, 105, 3, "enumMember", 0)), "a lesson");
    assert!(absolute.contains(&(19, 63, 5, "property", 0)), "a meter");
    client.stop();
}

#[test]
fn simulated_tradeoff_warnings_come_after_a_pause_without_holding_up_the_others() {
    let mut client = Client::start(&root());
    let uri = cafe_uri();
    // Two identical options: only the simulated trade-off check (`leap check`) sees it.
    let text =
        cafe_text().replace("(team_engagement: 6, strategic_impact: -1)", "(strategic_impact: 4, team_engagement: -6)");
    client.open(&uri, &text);
    let code = |d: &Diagnostic| d.code == Some(NumberOrString::String("identical-choices".into()));
    let first = client.diagnostics(&uri);
    assert!(!first.iter().any(code), "the first diagnostics do not wait for the simulation");
    let later = client.diagnostics_where(&uri, |d| d.iter().any(code));
    let warning = later.iter().find(|d| code(d)).unwrap();
    assert_eq!(warning.severity, Some(DiagnosticSeverity::WARNING));
    client.stop();
}

#[test]
fn files_outside_the_folder_unsaved_files_and_deleted_files() {
    let scratch = common::scratch_dir("lsp-files");
    std::fs::create_dir_all(scratch.join("scenarios")).unwrap();
    std::fs::copy(root().join("scenarios/cafe.ron"), scratch.join("scenarios/cafe.ron")).unwrap();
    let scratch = scratch.canonicalize().unwrap();
    let mut client = Client::start(&scratch);
    // An unsaved buffer: checked alone.
    let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
    client.open(&untitled, "Scenario(format: 1, id: \"x\",");
    let diagnostics = client.diagnostics(&untitled);
    assert!(diagnostics.iter().any(|d| d.severity == Some(DiagnosticSeverity::ERROR)), "{diagnostics:#?}");
    client.notify::<note::DidCloseTextDocument>(DidCloseTextDocumentParams {
        text_document: TextDocumentIdentifier { uri: untitled.clone() },
    });
    assert!(client.diagnostics(&untitled).is_empty(), "closing clears it");
    // A file outside the folder: checked alone, like `leap check FILE`.
    let outside = leap::lsp::uri::from_path(&common::fixture("valid/small.ron").canonicalize().unwrap()).unwrap();
    client.open(&outside, &std::fs::read_to_string(common::fixture("valid/small.ron")).unwrap());
    assert!(client.diagnostics(&outside).is_empty());
    // Deleted while open: the editor's text is still checked; closed, it is gone.
    let cafe = leap::lsp::uri::from_path(&scratch.join("scenarios/cafe.ron")).unwrap();
    let broken = cafe_text().replace("Beat(\"second\")", "Beat(\"nowhere\")");
    client.open(&cafe, &broken);
    assert_eq!(client.diagnostics_where(&cafe, |d| !d.is_empty()).len(), problems_in(&broken));
    std::fs::remove_file(scratch.join("scenarios/cafe.ron")).unwrap();
    let half = broken.replacen("Beat(\"nowhere\")", "Beat(\"second\")", 1);
    client.change(&cafe, 2, None, &half);
    assert_eq!(client.diagnostics(&cafe).len(), problems_in(&half));
    assert_ne!(problems_in(&half), problems_in(&broken));
    client.notify::<note::DidCloseTextDocument>(DidCloseTextDocumentParams {
        text_document: TextDocumentIdentifier { uri: cafe.clone() },
    });
    assert!(client.diagnostics(&cafe).is_empty());
    client.stop();
}

#[test]
fn bad_requests_get_error_responses_and_the_server_carries_on() {
    let mut client = Client::start(&root());
    let bad = client.raw_request("textDocument/hover", json!({ "textDocument": 5 }));
    assert_eq!(bad.error.unwrap().code, lsp_server::ErrorCode::InvalidParams as i32);
    let unknown = client.raw_request("leap/noSuchThing", json!({}));
    assert_eq!(unknown.error.unwrap().code, lsp_server::ErrorCode::MethodNotFound as i32);
    // Requests about documents never opened, and positions far past the end.
    let nowhere = client.raw_request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": "file:///nowhere.ron" }, "position": { "line": 99999, "character": 99999 } }),
    );
    assert_eq!(nowhere.result, Some(json!([])));
    open_cafe(&mut client);
    let past = hover_text_or_none(&mut client, at(9999, 9999));
    assert!(past.is_none());
    client.stop();
}

fn hover_text_or_none(client: &mut Client, position: Position) -> Option<Hover> {
    client.request::<req::HoverRequest>(HoverParams {
        text_document_position_params: position_params(&cafe_uri(), position),
        work_done_progress_params: Default::default(),
    })
}

mod random_edits {
    use super::*;
    use proptest::prelude::*;

    /// Bits of text that matter to the format, and some that count differently in UTF-16.
    const PIECES: &[&str] = &[
        "\"", "(", ")", "[", "]", ",", ":", "\n", "Beat(\"", "é", "😀", "\\", "id: ", "L0", "Ending(", "r#\"", "//",
        "/*", "next", "",
    ];

    fn edit() -> impl Strategy<Value = (u32, u32, u32, u32, usize, usize)> {
        (0u32..260, 0u32..200, 0u32..3, 0u32..40, 0..PIECES.len(), 0..PIECES.len())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]

        /// Random edits of the largest shipped scenario, each followed by every request at a
        /// random position: no request fails with an internal error and the server keeps up.
        #[test]
        fn random_edits_never_break_the_server(edits in proptest::collection::vec(edit(), 1..10)) {
            let mut client = Client::start(&common::root());
            let uri = leap::lsp::uri::from_path(&common::root().join("scenarios/the-pet-project.ron").canonicalize().unwrap()).unwrap();
            client.open(&uri, &std::fs::read_to_string(common::root().join("scenarios/the-pet-project.ron")).unwrap());
            for (version, (line, character, lines, length, a, b)) in edits.into_iter().enumerate() {
                let range = Range { start: at(line, character), end: at(line + lines, character + length) };
                client.change(&uri, version as i32 + 2, Some(range), &format!("{}{}", PIECES[a], PIECES[b]));
                let position = json!({ "line": line, "character": character + 1 });
                let document = json!({ "uri": uri.as_str() });
                for (method, params) in [
                    ("textDocument/hover", json!({ "textDocument": document, "position": position })),
                    ("textDocument/completion", json!({ "textDocument": document, "position": position })),
                    ("textDocument/definition", json!({ "textDocument": document, "position": position })),
                    ("textDocument/references", json!({ "textDocument": document, "position": position, "context": { "includeDeclaration": true } })),
                    ("textDocument/rename", json!({ "textDocument": document, "position": position, "newName": "x-y" })),
                    ("textDocument/documentSymbol", json!({ "textDocument": document })),
                    ("textDocument/foldingRange", json!({ "textDocument": document })),
                    ("textDocument/semanticTokens/full", json!({ "textDocument": document })),
                    ("textDocument/codeAction", json!({ "textDocument": document, "range": { "start": position, "end": position }, "context": { "diagnostics": [] } })),
                ] {
                    let reply = client.raw_request(method, params);
                    let internal = reply.error.as_ref().is_some_and(|e| e.code == lsp_server::ErrorCode::InternalError as i32);
                    prop_assert!(!internal, "{method} failed: {:?}", reply.error);
                }
            }
            client.stop();
        }
    }
}

#[test]
fn the_checker_attaches_fixes_to_its_suggestions() {
    let fixes = |text: &str| -> Vec<(String, String, String)> {
        let corpus = leap::scenario::Corpus::from_sources([("x.ron", text)]);
        corpus
            .diagnostics()
            .filter_map(|d| {
                d.fix.as_ref().map(|f| (d.code.to_string(), text[f.span.clone()].to_string(), f.replacement.clone()))
            })
            .collect()
    };
    let cafe = cafe_text();
    // A misspelt meter inside a condition (an unknown variant, reported by the parser).
    let meter = cafe.replace("requires: Not(Flag(\"blamed\"))", "requires: MeterAtLeast(trsut, 5)");
    assert_eq!(fixes(&meter), [("unknown-meter".to_string(), "trsut".to_string(), "trust".to_string())]);
    // A misspelt speaker and lesson.
    let speaker =
        cafe.replace("speaker: \"zoe\"", "speaker: \"zoey\"").replacen("lesson: \"L01\"", "lesson: \"L1\"", 1);
    assert_eq!(
        fixes(&speaker),
        [
            ("unknown-cast".to_string(), "\"zoey\"".to_string(), "\"zoe\"".to_string()),
            ("unknown-lesson".to_string(), "\"L1\"".to_string(), "\"L01\"".to_string()),
        ]
    );
}

#[test]
fn a_document_over_the_size_limit_gets_one_diagnostic_and_the_server_goes_on() {
    let mut client = Client::start(&root());
    let uri: Uri = "untitled:huge.ron".parse().unwrap();
    // Over 1 MiB: as `leap check` refuses it, the editor reports it instead of analysing it.
    let huge = format!("{}\n// {}\n", cafe_text(), "x".repeat(2 * 1024 * 1024));
    client.open(&uri, &huge);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0].code, Some(NumberOrString::String("too-large".into())));
    assert!(diagnostics[0].message.contains("limited to 1 MiB"), "{}", diagnostics[0].message);
    let hover = client.request::<req::HoverRequest>(HoverParams {
        text_document_position_params: position_params(&uri, at(3, 10)),
        work_done_progress_params: Default::default(),
    });
    assert!(hover.is_none(), "{hover:?}");
    // Cut back under the limit, the same document is analysed again.
    client.change(&uri, 2, None, &cafe_text());
    let diagnostics = client.diagnostics_where(&uri, |d| d.iter().all(|d| d.code != diagnostics[0].code));
    assert!(diagnostics.iter().all(|d| d.severity != Some(DiagnosticSeverity::ERROR)), "{diagnostics:#?}");
    client.stop();
}
