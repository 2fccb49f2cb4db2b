//! The server loop: the handshake, then messages in batches. Edits that arrive together are
//! applied together and checked once (a stale check is never run); requests are answered in
//! order, after the edits before them; a cancelled request is not computed; the simulated
//! trade-off warnings run on a worker thread after a pause in typing or on save, so nothing
//! waits for them, and a result for an older version is dropped.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select, unbounded};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::workspace::Workspace;
use super::{complete, fixes, hover, navigate, outline, tokens, uri};
use crate::scenario::{Diagnostic, Document, LoadedFile};

/// How long typing must pause before the simulated trade-off warnings run.
pub const PAUSE: Duration = Duration::from_millis(400);

/// Runs a server on `connection` until the client says `exit` or the connection closes.
/// `scenarios` is the folder `leap` would use; a workspace with its own `scenarios` folder
/// uses that one instead.
pub fn serve(connection: &Connection, scenarios: &Path) -> Result<(), String> {
    let Some(params) = handshake(connection)? else { return Ok(()) };
    let folder = scenarios_folder(&params, scenarios);
    let annotations = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.workspace_edit.as_ref())
        .is_some_and(|e| e.change_annotation_support.is_some() && e.document_changes == Some(true));
    let (jobs, job_queue) = unbounded::<Job>();
    let (done, results) = unbounded::<Done>();
    std::thread::spawn(move || tradeoff_worker(job_queue, done));
    let mut server = Server {
        connection,
        workspace: Workspace::new(folder),
        annotations,
        jobs,
        due: HashMap::new(),
        shutdown: false,
        unchecked: true,
    };
    server.run(&results);
    Ok(())
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), "(".into(), ":".into()]),
            ..Default::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

/// Waits for `initialize` and answers it; None when the client exits first.
fn handshake(connection: &Connection) -> Result<Option<InitializeParams>, String> {
    for message in &connection.receiver {
        match message {
            Message::Request(request) if request.method == request::Initialize::METHOD => {
                let params: InitializeParams = match serde_json::from_value(request.params) {
                    Ok(params) => params,
                    Err(e) => {
                        let why = format!("bad initialize parameters: {e}");
                        send(connection, Response::new_err(request.id, ErrorCode::InvalidParams as i32, why));
                        continue;
                    }
                };
                let result = InitializeResult {
                    capabilities: capabilities(),
                    server_info: Some(ServerInfo {
                        name: "leap".into(),
                        version: Some(env!("CARGO_PKG_VERSION").into()),
                    }),
                };
                send(connection, Response::new_ok(request.id, result));
                return Ok(Some(params));
            }
            Message::Request(request) => {
                let why = "the server is not initialized yet".to_string();
                send(connection, Response::new_err(request.id, ErrorCode::ServerNotInitialized as i32, why));
            }
            Message::Notification(n) if n.method == notification::Exit::METHOD => return Ok(None),
            _ => {}
        }
    }
    Ok(None)
}

#[allow(deprecated)] // `root_uri` is what older clients (Neovim 0.7) send.
fn scenarios_folder(params: &InitializeParams, scenarios: &Path) -> Option<PathBuf> {
    let roots = params.workspace_folders.iter().flatten().map(|f| f.uri.clone()).chain(params.root_uri.clone());
    for root in roots {
        if let Some(candidate) = uri::to_path(&root).map(|p| p.join("scenarios")).filter(|p| p.is_dir()) {
            return Some(candidate);
        }
    }
    scenarios.is_dir().then(|| std::path::absolute(scenarios).unwrap_or(scenarios.to_path_buf()))
}

fn send(connection: &Connection, message: impl Into<Message>) {
    // A closed connection ends the loop at its next read.
    let _ = connection.sender.send(message.into());
}

struct Job {
    uri: Uri,
    version: i32,
    file: LoadedFile,
}

struct Done {
    uri: Uri,
    version: i32,
    added: Vec<Diagnostic>,
}

/// Runs the simulated trade-off warnings, latest version of each document only.
fn tradeoff_worker(jobs: Receiver<Job>, done: Sender<Done>) {
    while let Ok(first) = jobs.recv() {
        let mut latest = vec![first];
        for job in jobs.try_iter() {
            latest.retain(|j| j.uri != job.uri);
            latest.push(job);
        }
        for Job { uri, version, file } in latest {
            let before = file.diagnostics.clone();
            let mut annotated = file;
            let Ok(()) = catch_unwind(AssertUnwindSafe(|| crate::tools::tradeoffs::annotate_file(&mut annotated)))
            else {
                continue;
            };
            let mut unmatched = before;
            let added = annotated
                .diagnostics
                .into_iter()
                .filter(|d| match unmatched.iter().position(|b| b == d) {
                    Some(i) => {
                        unmatched.swap_remove(i);
                        false
                    }
                    None => true,
                })
                .collect();
            if done.send(Done { uri, version, added }).is_err() {
                return;
            }
        }
    }
}

struct Server<'a> {
    connection: &'a Connection,
    workspace: Workspace,
    /// The client shows change annotations (the rename warning inside the edit).
    annotations: bool,
    jobs: Sender<Job>,
    /// When each document's trade-off warnings are due.
    due: HashMap<String, (Uri, Instant)>,
    shutdown: bool,
    /// Something changed since diagnostics were last published.
    unchecked: bool,
}

impl Server<'_> {
    fn run(&mut self, results: &Receiver<Done>) {
        loop {
            let wait = self.due.values().map(|(_, at)| at.saturating_duration_since(Instant::now())).min();
            let mut batch = Vec::new();
            select! {
                recv(self.connection.receiver) -> message => match message {
                    Ok(message) => batch.push(message),
                    Err(_) => return,
                },
                recv(results) -> done => if let Ok(done) = done {
                    self.unchecked |= self.workspace.set_tradeoffs(&done.uri, done.version, done.added);
                },
                default(wait.unwrap_or(Duration::from_secs(3600))) => {}
            }
            batch.extend(self.connection.receiver.try_iter());
            let cancelled: HashSet<RequestId> = batch
                .iter()
                .filter_map(|m| match m {
                    Message::Notification(n) if n.method == notification::Cancel::METHOD => {
                        serde_json::from_value::<CancelParams>(n.params.clone()).ok().map(|p| match p.id {
                            NumberOrString::Number(n) => RequestId::from(n),
                            NumberOrString::String(s) => RequestId::from(s),
                        })
                    }
                    _ => None,
                })
                .collect();
            for message in batch {
                match message {
                    Message::Request(request) if cancelled.contains(&request.id) => {
                        let why = "cancelled".to_string();
                        send(self.connection, Response::new_err(request.id, ErrorCode::RequestCanceled as i32, why));
                    }
                    Message::Request(request) => {
                        self.publish();
                        let response = self.request(request);
                        send(self.connection, response);
                    }
                    Message::Notification(n) if n.method == notification::Exit::METHOD => return,
                    Message::Notification(n) => self.notification(n),
                    Message::Response(_) => {}
                }
            }
            self.publish();
            self.start_due_tradeoffs();
        }
    }

    /// Sends the diagnostics that changed, if anything changed.
    fn publish(&mut self) {
        if !self.unchecked {
            return;
        }
        self.unchecked = false;
        for publish in self.workspace.check() {
            let params = PublishDiagnosticsParams {
                uri: publish.uri,
                diagnostics: publish.diagnostics,
                version: publish.version,
            };
            send(self.connection, Notification::new(notification::PublishDiagnostics::METHOD.into(), params));
        }
    }

    fn start_due_tradeoffs(&mut self) {
        let now = Instant::now();
        let due: Vec<Uri> = self.due.values().filter(|(_, at)| *at <= now).map(|(u, _)| u.clone()).collect();
        for uri in due {
            self.due.remove(uri.as_str());
            let Some((version, file)) = self.workspace.checked.get(uri.as_str()).cloned() else { continue };
            if matches!(file.document, Some(Document::Scenario(_))) {
                let _ = self.jobs.send(Job { uri, version, file });
            }
        }
    }

    fn schedule_tradeoffs(&mut self, uri: &Uri, after: Duration) {
        self.due.insert(uri.as_str().to_string(), (uri.clone(), Instant::now() + after));
    }

    fn notification(&mut self, n: Notification) {
        fn params<P: DeserializeOwned>(n: Notification) -> Option<P> {
            serde_json::from_value(n.params).ok()
        }
        match n.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                let Some(p) = params::<DidOpenTextDocumentParams>(n) else { return };
                let uri = p.text_document.uri;
                self.workspace.open(uri.clone(), p.text_document.version, p.text_document.text);
                self.schedule_tradeoffs(&uri, PAUSE);
            }
            notification::DidChangeTextDocument::METHOD => {
                let Some(p) = params::<DidChangeTextDocumentParams>(n) else { return };
                let uri = p.text_document.uri;
                if self.workspace.change(&uri, p.text_document.version, &p.content_changes) {
                    self.schedule_tradeoffs(&uri, PAUSE);
                }
            }
            notification::DidSaveTextDocument::METHOD => {
                let Some(p) = params::<DidSaveTextDocumentParams>(n) else { return };
                self.schedule_tradeoffs(&p.text_document.uri, Duration::ZERO);
            }
            notification::DidCloseTextDocument::METHOD => {
                let Some(p) = params::<DidCloseTextDocumentParams>(n) else { return };
                self.workspace.close(&p.text_document.uri);
                self.due.remove(p.text_document.uri.as_str());
            }
            // Files changed on disk (the folder is read again at every check anyway).
            notification::DidChangeWatchedFiles::METHOD => {}
            _ => return,
        }
        self.unchecked = true;
    }

    fn request(&mut self, request: Request) -> Response {
        if self.shutdown {
            return Response::new_err(
                request.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            );
        }
        match request.method.as_str() {
            request::Shutdown::METHOD => {
                self.shutdown = true;
                Response::new_ok(request.id, ())
            }
            request::HoverRequest::METHOD => self.answer(request, |s, p: HoverParams| {
                let at = p.text_document_position_params;
                Ok(hover::hover(&mut s.workspace, &at.text_document.uri, at.position))
            }),
            request::Completion::METHOD => self.answer(request, |s, p: CompletionParams| {
                let at = p.text_document_position;
                Ok(CompletionResponse::Array(complete::complete(&mut s.workspace, &at.text_document.uri, at.position)))
            }),
            request::GotoDefinition::METHOD => self.answer(request, |s, p: GotoDefinitionParams| {
                let at = p.text_document_position_params;
                Ok(GotoDefinitionResponse::Array(navigate::definition(
                    &mut s.workspace,
                    &at.text_document.uri,
                    at.position,
                )))
            }),
            request::References::METHOD => self.answer(request, |s, p: ReferenceParams| {
                let at = p.text_document_position;
                let declaration = p.context.include_declaration;
                Ok(navigate::references(&mut s.workspace, &at.text_document.uri, at.position, declaration))
            }),
            request::PrepareRenameRequest::METHOD => self.answer(request, |s, p: TextDocumentPositionParams| {
                navigate::prepare_rename(&mut s.workspace, &p.text_document.uri, p.position)
                    .map(PrepareRenameResponse::Range)
            }),
            request::Rename::METHOD => self.answer(request, |s, p: RenameParams| {
                let at = p.text_document_position;
                let rename =
                    navigate::rename(&mut s.workspace, &at.text_document.uri, at.position, &p.new_name, s.annotations)?;
                let warning = ShowMessageParams { typ: MessageType::WARNING, message: rename.warning };
                send(s.connection, Notification::new(notification::ShowMessage::METHOD.into(), warning));
                Ok(rename.edit)
            }),
            request::DocumentSymbolRequest::METHOD => self.answer(request, |s, p: DocumentSymbolParams| {
                let symbols =
                    s.workspace.document(&p.text_document.uri).map(|d| outline::document_symbols(d.analysis()));
                Ok(DocumentSymbolResponse::Nested(symbols.unwrap_or_default()))
            }),
            request::FoldingRangeRequest::METHOD => self.answer(request, |s, p: FoldingRangeParams| {
                Ok(s.workspace
                    .document(&p.text_document.uri)
                    .map(|d| outline::folding_ranges(d.analysis()))
                    .unwrap_or_default())
            }),
            request::SemanticTokensFullRequest::METHOD => self.answer(request, |s, p: SemanticTokensParams| {
                Ok(s.workspace.document(&p.text_document.uri).map(|d| tokens::semantic_tokens(d.analysis())))
            }),
            request::CodeActionRequest::METHOD => self.answer(request, |s, p: CodeActionParams| {
                Ok(fixes::code_actions(&mut s.workspace, &p.text_document.uri, p.range))
            }),
            _ => {
                let why = format!("`{}` is not supported", request.method);
                Response::new_err(request.id, ErrorCode::MethodNotFound as i32, why)
            }
        }
    }

    /// Reads the parameters, runs `handler`, and turns every failure (bad parameters, a
    /// refusal, a bug) into an error response: the server itself carries on.
    fn answer<P: DeserializeOwned, R: Serialize>(
        &mut self,
        request: Request,
        handler: impl FnOnce(&mut Self, P) -> Result<R, String>,
    ) -> Response {
        let params: P = match serde_json::from_value(request.params) {
            Ok(params) => params,
            Err(e) => {
                return Response::new_err(request.id, ErrorCode::InvalidParams as i32, format!("bad parameters: {e}"));
            }
        };
        match catch_unwind(AssertUnwindSafe(|| handler(self, params))) {
            Ok(Ok(result)) => Response::new_ok(request.id, result),
            Ok(Err(why)) => Response::new_err(request.id, ErrorCode::RequestFailed as i32, why),
            Err(_) => Response::new_err(
                request.id,
                ErrorCode::InternalError as i32,
                "internal error (reported on stderr)".into(),
            ),
        }
    }
}
