//! The server's only routes: `GET /` (the phone page), `GET /api/state`, `POST /api/join`,
//! `POST /api/vote`, and in "everyone plays" `POST /api/choose`. Every request needs the room code; everything else is a 4xx with a short
//! reason. No files are ever served, so there is no path to traverse.

use std::time::Instant;

use serde::Deserialize;

use super::Shared;
use super::http::{Request, Response};
use crate::workshop::flow::lock;
use crate::workshop::phones::parse_option;

#[derive(Debug, Deserialize)]
struct JoinBody {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    nickname: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ChooseBody {
    token: Option<String>,
    choice: String,
    /// The decision the phone is answering (a double tap must not decide the next beat).
    #[serde(default)]
    number: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct VoteBody {
    token: Option<String>,
    option: String,
}

pub(super) fn handle(request: &Request, shared: &Shared, connection: &str) -> Response {
    let now = Instant::now();
    let route = match (request.method.as_str(), request.path.as_str()) {
        ("GET" | "HEAD", "/") => Route::Page,
        ("GET", "/api/state") => Route::State,
        ("POST", "/api/join") => Route::Join,
        ("POST", "/api/vote") => Route::Vote,
        ("POST", "/api/choose") => Route::Choose,
        (_, "/" | "/api/state" | "/api/join" | "/api/vote" | "/api/choose") => {
            return Response::error(405, "method not allowed on this path");
        }
        _ => {
            return Response::error(
                404,
                "no such page: the server has only /, /api/state, /api/join, /api/vote and /api/choose",
            );
        }
    };
    if let Some(wait) = lock_or(&shared.codes).locked_for(request.peer, now) {
        return too_many_guesses(wait);
    }
    // The room code: in the query for GET, in the JSON body (or the query) for POST.
    let (code, body) = match route {
        Route::Page | Route::State => (request.query.get("room").cloned(), None),
        Route::Join | Route::Vote | Route::Choose => {
            if request.body.is_empty() {
                return Response::error(400, "the request needs a JSON body");
            }
            let value: serde_json::Value = match serde_json::from_slice(&request.body) {
                Ok(value) => value,
                Err(e) => return Response::error(400, format!("malformed JSON: {e}")),
            };
            let code = value.get("room").and_then(|r| r.as_str()).map(str::to_string);
            (code.or_else(|| request.query.get("room").cloned()), Some(value))
        }
    };
    let right_code = code.as_deref().is_some_and(|c| lock(&shared.room).code_matches(c));
    if !right_code {
        if let Some(wait) = lock_or(&shared.codes).wrong_code(request.peer, now) {
            return too_many_guesses(wait);
        }
        let why = if code.is_none() { "the room code is missing" } else { "wrong room code" };
        return Response::error(403, why);
    }
    // Each phone has its own allowance (by token); requests without one count per connection.
    let token = request
        .query
        .get("token")
        .cloned()
        .or_else(|| body.as_ref().and_then(|b| b.get("token")).and_then(|t| t.as_str()).map(str::to_string));
    let token = token.or_else(|| request.cookie_token.clone());
    let key = token.as_deref().filter(|t| lock(&shared.room).is_known(t)).unwrap_or(connection);
    if !lock_or(&shared.limits).allow(key, now) {
        return Response::error(429, "too many requests; slow down").with_header("Retry-After", "1".into());
    }
    match route {
        Route::Page => page(request),
        Route::State => state(request, shared, token.as_deref(), now),
        Route::Join => join(body.unwrap_or_default(), shared, now),
        Route::Vote => vote(body.unwrap_or_default(), shared, token.as_deref(), now),
        Route::Choose => choose(body.unwrap_or_default(), shared, token.as_deref(), now),
    }
}

#[derive(Debug, Clone, Copy)]
enum Route {
    Page,
    State,
    Join,
    Vote,
    Choose,
}

fn lock_or<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn too_many_guesses(wait: std::time::Duration) -> Response {
    let seconds = wait.as_secs().max(1);
    Response::error(429, format!("too many wrong room codes; try again in {seconds} s"))
        .with_header("Retry-After", seconds.to_string())
}

fn page(request: &Request) -> Response {
    let response = Response::html(super::PAGE);
    if request.method == "HEAD" { Response { body: Vec::new(), ..response } } else { response }
}

fn state(request: &Request, shared: &Shared, token: Option<&str>, now: Instant) -> Response {
    let mut room = lock(&shared.room);
    let known = token.is_some_and(|t| room.seen(t, now).is_ok());
    let since = request.query.get("since").and_then(|v| v.parse::<u64>().ok());
    let version = room.version_for(token.filter(|_| known));
    if since == Some(version) {
        // Nothing changed: a few bytes.
        return Response::json(200, &serde_json::json!({"version": version, "unchanged": true}));
    }
    let mut state = room.state_for(token.filter(|_| known));
    state["known"] = serde_json::json!(known);
    Response::json(200, &state)
}

fn join(body: serde_json::Value, shared: &Shared, now: Instant) -> Response {
    let body: JoinBody = match serde_json::from_value(body) {
        Ok(body) => body,
        Err(e) => return Response::error(400, format!("bad join request: {e}")),
    };
    let joined = lock(&shared.room).join(body.token.as_deref(), body.nickname.as_deref(), now);
    match joined {
        Ok(joined) => Response::json(
            200,
            &serde_json::json!({"token": joined.token, "phone": joined.phone, "rejoined": joined.rejoined}),
        )
        .with_header(
            "Set-Cookie",
            format!("leap_token={}; Path=/; Max-Age=86400; SameSite=Strict; HttpOnly", joined.token),
        ),
        Err(e) => Response::error(503, e),
    }
}

fn vote(body: serde_json::Value, shared: &Shared, token: Option<&str>, now: Instant) -> Response {
    let body: VoteBody = match serde_json::from_value(body) {
        Ok(body) => body,
        Err(e) => return Response::error(400, format!("bad vote request: {e}")),
    };
    let Some(token) = body.token.as_deref().or(token) else {
        return Response::error(401, "the vote needs the token from /api/join");
    };
    let mut room = lock(&shared.room);
    if !room.is_known(token) {
        return Response::error(401, crate::workshop::phones::PhoneError::UnknownToken);
    }
    if *room.phase() != crate::workshop::phones::RoomPhase::Voting {
        return Response::error(409, crate::workshop::phones::PhoneError::NoVoteOpen);
    }
    let options = room.question().map_or(0, |q| q.options.len());
    let Some(option) = parse_option(&body.option, options) else {
        return Response::error(422, format!("unknown option `{}`", body.option.chars().take(8).collect::<String>()));
    };
    match room.vote(token, option, now) {
        Ok(()) => Response::json(
            200,
            &serde_json::json!({"your_vote": body.option.trim().to_ascii_uppercase(), "version": room.version()}),
        ),
        Err(e @ crate::workshop::phones::PhoneError::NoVoteOpen) => Response::error(409, e),
        Err(e) => Response::error(422, e),
    }
}

/// A phone's choice in its own run ("everyone plays"); answered once it is in the session log.
fn choose(body: serde_json::Value, shared: &Shared, token: Option<&str>, now: Instant) -> Response {
    use crate::workshop::everyone::PlayError;
    use crate::workshop::phones::everyone_room::ChooseRefused;
    let body: ChooseBody = match serde_json::from_value(body) {
        Ok(body) => body,
        Err(e) => return Response::error(400, format!("bad choose request: {e}")),
    };
    let Some(token) = body.token.as_deref().or(token) else {
        return Response::error(401, "the choice needs the token from /api/join");
    };
    match crate::workshop::everyone_flow::record_choice(&shared.room, token, &body.choice, body.number, now) {
        Ok((line, written)) => {
            let version = lock(&shared.room).version_for(Some(token));
            let recorded = written.is_ok();
            Response::json(
                200,
                &serde_json::json!({
                    "decided": line.decision.number,
                    "ended": line.end.is_some(),
                    "recorded": recorded,
                    "version": version,
                }),
            )
        }
        Err(e @ ChooseRefused::UnknownToken) => Response::error(401, e),
        Err(e @ ChooseRefused::Play(PlayError::NoSuchChoice)) => {
            Response::error(422, format!("{e}: unknown choice `{}`", body.choice.chars().take(8).collect::<String>()))
        }
        Err(e) => Response::error(409, e),
    }
}
