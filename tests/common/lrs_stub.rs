//! A loopback LRS for the game's tests: it answers like an LRS and keeps what it was sent.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request the stub LRS received.
#[derive(Debug, Clone)]
pub struct Received {
    pub request_line: String,
    pub authorization: Option<String>,
    pub body: String,
}

/// A loopback LRS: answers GET with an empty statement list and POST with 200, and keeps
/// what it was sent. Serves connections until the test ends (bounded by the test's own steps).
pub fn stub_lrs() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let kept = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(64).flatten() {
            stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let (mut length, mut authorization) = (0, None);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                let (name, value) = line.split_once(':').unwrap_or((&line, ""));
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => length = value.trim().parse().unwrap_or(0),
                    "authorization" => authorization = Some(value.trim().to_string()),
                    _ => {}
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let reply = if request_line.starts_with("GET") { r#"{"statements":[],"more":""}"# } else { "[]" };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
            kept.lock().unwrap().push(Received {
                request_line: request_line.trim().to_string(),
                authorization,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
        }
    });
    (port, received)
}
