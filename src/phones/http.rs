//! Just enough HTTP/1.1 for the phone server: one request read from a connection with hard
//! limits (8 KB of headers, 4 KB of body, a read timeout), parsed by `httparse`, and one
//! response written back. Anything outside the limits is answered with a 4xx, never a panic.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{IpAddr, TcpStream};

/// Request headers beyond this are refused with 431.
pub const MAX_HEADER_BYTES: usize = 8 * 1024;
/// Request bodies beyond this are refused with 413.
pub const MAX_BODY_BYTES: usize = 4 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path without the query, e.g. `/api/state`.
    pub path: String,
    pub query: HashMap<String, String>,
    pub cookie_token: Option<String>,
    pub body: Vec<u8>,
    pub peer: IpAddr,
    /// The client asked to close the connection after this request.
    pub close: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub extra_headers: Vec<(String, String)>,
    /// Close the connection after this response.
    pub close: bool,
}

impl Response {
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response {
            status,
            content_type: "application/json",
            body: value.to_string().into_bytes(),
            extra_headers: Vec::new(),
            close: false,
        }
    }

    /// A refusal with a short reason: `{"error": "..."}`.
    pub fn error(status: u16, reason: impl std::fmt::Display) -> Response {
        Response::json(status, &serde_json::json!({ "error": reason.to_string() }))
    }

    pub fn html(body: &'static str) -> Response {
        Response {
            status: 200,
            content_type: "text/html; charset=utf-8",
            body: body.as_bytes().to_vec(),
            extra_headers: Vec::new(),
            close: false,
        }
    }

    pub fn with_header(mut self, name: &str, value: String) -> Response {
        self.extra_headers.push((name.to_string(), value));
        self
    }

    pub fn closing(mut self) -> Response {
        self.close = true;
        self
    }
}

/// What reading a request gave.
#[derive(Debug)]
pub enum Read1 {
    Request(Request),
    /// The client closed the connection (or stayed silent) before a request began.
    Closed,
    /// The request broke a limit or is not HTTP; answer this and close.
    Refuse(Response),
}

/// Reads one request from `stream`; `buffered` holds bytes already read past the previous one.
pub fn read_request(stream: &mut TcpStream, buffered: &mut Vec<u8>, peer: IpAddr) -> io::Result<Read1> {
    let mut chunk = [0u8; 2048];
    let (head_length, method, target, content_length, cookie_token, close, chunked) = loop {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(buffered) {
            Ok(httparse::Status::Complete(length)) if length > MAX_HEADER_BYTES => {
                return Ok(Read1::Refuse(Response::error(431, "request headers over 8 KB").closing()));
            }
            Ok(httparse::Status::Complete(length)) => {
                let mut content_length = None;
                let (mut cookie_token, mut close, mut chunked) = (None, false, false);
                for header in parsed.headers.iter() {
                    let value = String::from_utf8_lossy(header.value);
                    match header.name.to_ascii_lowercase().as_str() {
                        "content-length" => match value.trim().parse::<usize>() {
                            Ok(n) => content_length = Some(n),
                            Err(_) => return Ok(Read1::Refuse(Response::error(400, "bad Content-Length").closing())),
                        },
                        "transfer-encoding" => chunked = true,
                        "connection" => close = value.eq_ignore_ascii_case("close"),
                        "cookie" => cookie_token = token_from_cookie(&value),
                        _ => {}
                    }
                }
                let method = parsed.method.unwrap_or("").to_string();
                let target = parsed.path.unwrap_or("/").to_string();
                break (length, method, target, content_length.unwrap_or(0), cookie_token, close, chunked);
            }
            Ok(httparse::Status::Partial) if buffered.len() > MAX_HEADER_BYTES => {
                return Ok(Read1::Refuse(Response::error(431, "request headers over 8 KB").closing()));
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => {
                return Ok(Read1::Refuse(Response::error(431, "too many request headers").closing()));
            }
            Err(_) => return Ok(Read1::Refuse(Response::error(400, "not an HTTP request").closing())),
        }
        if buffered.len() > MAX_HEADER_BYTES {
            return Ok(Read1::Refuse(Response::error(431, "request headers over 8 KB").closing()));
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(Read1::Closed),
            Ok(n) => buffered.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) && buffered.is_empty() => return Ok(Read1::Closed),
            Err(e) if is_timeout(&e) => {
                return Ok(Read1::Refuse(Response::error(408, "the request came too slowly").closing()));
            }
            Err(e) => return Err(e),
        }
    };
    if chunked {
        return Ok(Read1::Refuse(Response::error(411, "send a Content-Length, not a chunked body").closing()));
    }
    if content_length > MAX_BODY_BYTES {
        return Ok(Read1::Refuse(Response::error(413, "request body over 4 KB").closing()));
    }
    buffered.drain(..head_length);
    while buffered.len() < content_length {
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(Read1::Closed),
            Ok(n) => buffered.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) => {
                return Ok(Read1::Refuse(Response::error(408, "the request body came too slowly").closing()));
            }
            Err(e) => return Err(e),
        }
    }
    let body: Vec<u8> = buffered.drain(..content_length).collect();
    let (path, query) = split_target(&target);
    Ok(Read1::Request(Request { method, path, query, cookie_token, body, peer, close }))
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

/// `/api/state?room=AB&since=3` into the path and its decoded query.
fn split_target(target: &str) -> (String, HashMap<String, String>) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let pairs = query.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k), percent_decode(v))
    });
    (path.to_string(), pairs.collect())
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit() => {
                let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
                out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn token_from_cookie(cookie: &str) -> Option<String> {
    cookie
        .split(';')
        .filter_map(|part| part.trim().split_once('='))
        .find(|(k, _)| *k == "leap_token")
        .map(|(_, v)| v.to_string())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Writes `response` whole.
pub fn write_response(stream: &mut TcpStream, response: &Response) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n\
         Content-Security-Policy: default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
         connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    for (name, value) in &response.extra_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if response.close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&response.body);
    stream.write_all(&bytes)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_split_and_decoded() {
        let (path, query) = split_target("/api/state?room=AB%20C&since=3&x");
        assert_eq!(path, "/api/state");
        assert_eq!(query.get("room").map(String::as_str), Some("AB C"));
        assert_eq!(query.get("since").map(String::as_str), Some("3"));
        assert_eq!(query.get("x").map(String::as_str), Some(""));
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("a%41"), "aA");
    }

    #[test]
    fn the_token_cookie_is_found_among_others() {
        assert_eq!(token_from_cookie("a=1; leap_token=abc; b=2").as_deref(), Some("abc"));
        assert_eq!(token_from_cookie("a=1"), None);
    }
}
