//! Sending a session's xAPI statements to a Learning Record Store over the xAPI 1.0.3 HTTP
//! interface (`POST {endpoint}/statements`, basic auth), in batches, with nothing lost and
//! nothing twice:
//! - statements not yet accepted wait in a queue file beside the session log
//!   (`<log>.lrs-queue.json`), written after every batch, and are retried on the next send;
//! - every statement has a stable id ([`super::xapi::statement_id`]), so sending one again is
//!   harmless: a record store keeps the copy it has (it answers 204, 200 or 409).
//!
//! TLS is the HTTP client's own (rustls with bundled roots); no system OpenSSL.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::xapi::{Statement, XAPI_VERSION};
use crate::record::now_utc;
use crate::record::store::{ReadOutcome, read_or_set_aside, write_atomic};

/// Statements per request; record stores commonly accept a few hundred, so this stays well
/// within any limit while keeping a workshop to one or two requests.
pub const DEFAULT_BATCH: usize = 50;
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// Where and how to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LrsConfig {
    /// The xAPI endpoint, e.g. `https://lrs.example.org/xapi` (statements go to
    /// `{endpoint}/statements`).
    pub endpoint: String,
    pub user: Option<String>,
    pub password: Option<String>,
    pub timeout: Duration,
    pub batch: usize,
}

impl LrsConfig {
    pub fn new(endpoint: impl Into<String>) -> LrsConfig {
        LrsConfig {
            endpoint: endpoint.into(),
            user: None,
            password: None,
            timeout: DEFAULT_TIMEOUT,
            batch: DEFAULT_BATCH,
        }
    }

    /// From `LEAP_LRS_URL`, `LEAP_LRS_USER` and `LEAP_LRS_PASSWORD`; None without a URL.
    pub fn from_env() -> Option<LrsConfig> {
        let endpoint = std::env::var("LEAP_LRS_URL").ok().filter(|u| !u.trim().is_empty())?;
        let mut config = LrsConfig::new(endpoint.trim());
        config.user = std::env::var("LEAP_LRS_USER").ok();
        config.password = std::env::var("LEAP_LRS_PASSWORD").ok();
        Some(config)
    }

    fn statements_url(&self) -> String {
        format!("{}/statements", self.endpoint.trim_end_matches('/'))
    }
}

/// Why a send stopped. The queue is kept in every case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LrsError {
    /// The endpoint is not an http(s) address.
    BadEndpoint(String),
    Timeout {
        url: String,
        after: Duration,
    },
    /// Nothing listens there (the LRS is down, or the address or port is wrong).
    Refused {
        url: String,
    },
    /// The host name does not resolve, or the connection could not be made.
    Unreachable {
        url: String,
        detail: String,
    },
    /// 401 or 403.
    Unauthorised {
        url: String,
        status: u16,
    },
    /// Another 4xx: the LRS refused the statements.
    Rejected {
        url: String,
        status: u16,
        body: String,
    },
    /// 5xx: the LRS failed; try again later.
    ServerError {
        url: String,
        status: u16,
        body: String,
    },
    Tls {
        url: String,
        detail: String,
    },
    Other {
        url: String,
        detail: String,
    },
    /// The queue file could not be written.
    Queue(String),
}

impl std::fmt::Display for LrsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LrsError::BadEndpoint(e) => {
                write!(f, "`{e}` is not an LRS address; give its xAPI endpoint, e.g. https://lrs.example.org/xapi")
            }
            LrsError::Timeout { url, after } => {
                write!(f, "{url} did not answer within {} s; the statements stay queued", after.as_secs_f32())
            }
            LrsError::Refused { url } => write!(
                f,
                "nothing is listening at {url} (connection refused): is the LRS running, and are the address and port right? The statements stay queued"
            ),
            LrsError::Unreachable { url, detail } => {
                write!(f, "cannot reach {url}: {detail}; check the address and the network. The statements stay queued")
            }
            LrsError::Unauthorised { url, status } => write!(
                f,
                "{url} refused the credentials ({status}): check --lrs-user and --lrs-password (or LEAP_LRS_USER and LEAP_LRS_PASSWORD). The statements stay queued"
            ),
            LrsError::Rejected { url, status, body } => {
                write!(f, "{url} rejected the statements ({status}): {body}. The statements stay queued")
            }
            LrsError::ServerError { url, status, body } => {
                write!(f, "{url} failed ({status}): {body}; try again later. The statements stay queued")
            }
            LrsError::Tls { url, detail } => write!(f, "a secure connection to {url} failed: {detail}"),
            LrsError::Other { url, detail } => write!(f, "sending to {url} failed: {detail}"),
            LrsError::Queue(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for LrsError {}

/// The statements of one session waiting for a record store, and what has been sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    /// The endpoint they are for.
    #[serde(default)]
    pub endpoint: String,
    /// Not yet accepted, in order.
    #[serde(default)]
    pub waiting: Vec<Statement>,
    /// Ids the record store has accepted.
    #[serde(default)]
    pub sent: BTreeSet<String>,
    #[serde(default)]
    pub last_error: Option<String>,
    /// ISO 8601 UTC.
    #[serde(default)]
    pub last_attempt: Option<String>,
}

impl Queue {
    /// Makes `statements` (all of a session's, made afresh from its log) the ones waiting: a
    /// copy left from an earlier send, even one the record store refused, gives way to them.
    pub fn replace_waiting(&mut self, statements: Vec<Statement>) {
        let mut seen = BTreeSet::new();
        self.waiting = statements.into_iter().filter(|s| seen.insert(s.id.clone())).collect();
    }

    /// "sent", "3 waiting" or "3 waiting: <the last error>".
    pub fn status(&self) -> String {
        match (self.waiting.len(), &self.last_error) {
            (0, _) if self.sent.is_empty() => "nothing to send".into(),
            (0, _) => format!("sent ({} statements)", self.sent.len()),
            (n, None) => format!("{n} waiting"),
            (n, Some(error)) => format!("{n} waiting: {error}"),
        }
    }
}

/// The queue file of the session log at `log`.
pub fn queue_path(log: &Path) -> PathBuf {
    let name = log.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "session".into());
    log.with_file_name(format!("{name}.lrs-queue.json"))
}

/// Reads a queue file; a missing one is empty, a damaged one is set aside (and reported) and
/// replaced by an empty queue: the statements can always be made again from the log.
pub fn read_queue(path: &Path) -> (Queue, Option<String>) {
    match read_or_set_aside::<Queue>(path) {
        ReadOutcome::Missing => (Queue::default(), None),
        ReadOutcome::Read(queue) => (queue, None),
        ReadOutcome::SetAside { why, moved_to } => {
            let moved = moved_to.map_or(String::new(), |p| format!("; it was moved to {}", p.display()));
            (Queue::default(), Some(format!("{} could not be read ({why}){moved}", path.display())))
        }
    }
}

/// What a send did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReport {
    /// Statements accepted in this send.
    pub accepted: usize,
    /// Of those, ones the record store already had.
    pub already_there: usize,
    pub waiting: usize,
    pub status: String,
}

/// Queues every statement of the session log at `log` (sending one the record store has is
/// harmless) and sends them.
/// `after_batch` is called with the number accepted so far after each accepted batch (for
/// progress, and for tests that stop the record store midway).
pub fn send_session(
    log: &Path,
    statements: Vec<Statement>,
    config: &LrsConfig,
    after_batch: impl FnMut(usize),
) -> Result<SendReport, LrsError> {
    let path = queue_path(log);
    let (mut queue, _damaged) = read_queue(&path);
    if queue.endpoint != config.endpoint {
        // Another record store: what the old one accepted says nothing about this one.
        queue.endpoint = config.endpoint.clone();
        queue.sent.clear();
    }
    queue.replace_waiting(statements);
    send_queue(&path, queue, config, after_batch)
}

/// Sends what waits in the queue file at `path` (the retry at the next start of the game).
pub fn retry(path: &Path, config: &LrsConfig) -> Result<SendReport, LrsError> {
    let (queue, damaged) = read_queue(path);
    if let Some(why) = damaged {
        return Err(LrsError::Queue(why));
    }
    send_queue(path, queue, config, |_| {})
}

/// The queue files in `folder` that still have statements waiting.
pub fn pending_queues(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".lrs-queue.json"))
        .filter(|p| matches!(read_or_set_aside::<Queue>(p), ReadOutcome::Read(q) if !q.waiting.is_empty()))
        .collect();
    found.sort();
    found
}

fn send_queue(
    path: &Path,
    mut queue: Queue,
    config: &LrsConfig,
    mut after_batch: impl FnMut(usize),
) -> Result<SendReport, LrsError> {
    let url = config.statements_url();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(LrsError::BadEndpoint(config.endpoint.clone()));
    }
    let agent: ureq::Agent =
        ureq::Agent::config_builder().timeout_global(Some(config.timeout)).http_status_as_error(false).build().into();
    let save = |queue: &Queue| {
        write_atomic(path, queue).map_err(|e| LrsError::Queue(format!("cannot write {}: {e}", path.display())))
    };
    queue.last_attempt = Some(now_utc());
    let (mut accepted, mut already_there) = (0, 0);
    while !queue.waiting.is_empty() {
        let size = config.batch.max(1).min(queue.waiting.len());
        let result = post_batch(&agent, config, &url, &queue.waiting[..size]);
        let outcome = match result {
            Ok(()) => Ok(0),
            // Some of the batch is there already, differently (an edited log, other options):
            // one at a time, each either lands or is there.
            Err(Conflict) => one_by_one(&agent, config, &url, &queue.waiting[..size]),
            Err(Failed(e)) => Err(e),
        };
        match outcome {
            Ok(duplicates) => {
                for statement in queue.waiting.drain(..size) {
                    queue.sent.insert(statement.id);
                }
                accepted += size;
                already_there += duplicates;
                queue.last_error = None;
                save(&queue)?;
                after_batch(accepted);
            }
            Err(e) => {
                queue.last_error = Some(e.to_string());
                save(&queue)?;
                return Err(e);
            }
        }
    }
    save(&queue)?;
    Ok(SendReport { accepted, already_there, waiting: 0, status: queue.status() })
}

enum PostError {
    Conflict,
    Failed(LrsError),
}
use PostError::{Conflict, Failed};

fn authorised(
    config: &LrsConfig,
    request: ureq::RequestBuilder<ureq::typestate::WithBody>,
) -> ureq::RequestBuilder<ureq::typestate::WithBody> {
    let request = request.header("X-Experience-API-Version", XAPI_VERSION).header("Content-Type", "application/json");
    match basic_auth(config) {
        None => request,
        Some(value) => request.header("Authorization", value),
    }
}

/// The `Authorization` header's value for the config's user and password, if it has either.
pub(super) fn basic_auth(config: &LrsConfig) -> Option<String> {
    match (&config.user, &config.password) {
        (None, None) => None,
        (user, password) => {
            let pair = format!("{}:{}", user.as_deref().unwrap_or(""), password.as_deref().unwrap_or(""));
            Some(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair)))
        }
    }
}

/// The status of a 2xx answer, or what went wrong, as for a send.
pub(super) fn answer_status(
    config: &LrsConfig,
    url: &str,
    response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<u16, LrsError> {
    match answer(config, url, response) {
        Ok(status) => Ok(status),
        Err(Answer::Failed(e)) => Err(e),
        Err(Answer::Conflict) => Err(LrsError::Rejected {
            url: url.into(),
            status: 409,
            body: "a conflict, on a request that changes nothing".into(),
        }),
    }
}

fn post_batch(agent: &ureq::Agent, config: &LrsConfig, url: &str, batch: &[Statement]) -> Result<(), PostError> {
    let body =
        serde_json::to_string(batch).map_err(|e| Failed(LrsError::Other { url: url.into(), detail: e.to_string() }))?;
    let response = authorised(config, agent.post(url)).send(body);
    match answer(config, url, response) {
        Ok(_) => Ok(()),
        Err(Answer::Conflict) => Err(Conflict),
        Err(Answer::Failed(e)) => Err(Failed(e)),
    }
}

/// Each statement alone, with `PUT ?statementId=`; returns how many were there already.
fn one_by_one(agent: &ureq::Agent, config: &LrsConfig, url: &str, batch: &[Statement]) -> Result<usize, LrsError> {
    let mut already = 0;
    for statement in batch {
        let body =
            serde_json::to_string(statement).map_err(|e| LrsError::Other { url: url.into(), detail: e.to_string() })?;
        let response = authorised(config, agent.put(url).query("statementId", &statement.id)).send(body);
        match answer(config, url, response) {
            Ok(_) => {}
            Err(Answer::Conflict) => already += 1,
            Err(Answer::Failed(e)) => return Err(e),
        }
    }
    Ok(already)
}

enum Answer {
    Conflict,
    Failed(LrsError),
}

fn answer(
    config: &LrsConfig,
    url: &str,
    response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<u16, Answer> {
    let url = url.to_string();
    let mut response = match response {
        Ok(r) => r,
        Err(e) => return Err(Answer::Failed(transport_error(config, url, e))),
    };
    let status = response.status().as_u16();
    if (200..300).contains(&status) {
        return Ok(status);
    }
    if status == 409 {
        return Err(Answer::Conflict);
    }
    let body = response.body_mut().read_to_string().unwrap_or_default();
    let body: String = body.trim().chars().take(300).collect();
    let body = if body.is_empty() { "no details given".into() } else { body };
    Err(Answer::Failed(match status {
        401 | 403 => LrsError::Unauthorised { url, status },
        500..=599 => LrsError::ServerError { url, status, body },
        _ => LrsError::Rejected { url, status, body },
    }))
}

fn transport_error(config: &LrsConfig, url: String, error: ureq::Error) -> LrsError {
    match error {
        ureq::Error::Timeout(_) => LrsError::Timeout { url, after: config.timeout },
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => LrsError::Refused { url },
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => {
            LrsError::Timeout { url, after: config.timeout }
        }
        ureq::Error::HostNotFound => LrsError::Unreachable { url, detail: "the host name is not known".into() },
        ureq::Error::ConnectionFailed => LrsError::Unreachable { url, detail: "the connection failed".into() },
        ureq::Error::BadUri(e) => LrsError::BadEndpoint(e),
        ureq::Error::Tls(e) => LrsError::Tls { url, detail: e.to_string() },
        ureq::Error::Rustls(e) => LrsError::Tls { url, detail: e.to_string() },
        other => LrsError::Other { url, detail: other.to_string() },
    }
}
