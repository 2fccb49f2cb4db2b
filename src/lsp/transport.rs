//! JSON-RPC over standard input and output with `Content-Length` framing. A malformed
//! message (bad header, bad JSON, not a JSON-RPC message) gets an error response and the
//! server reads on; only the end of input stops it.

use std::io::{BufRead, BufReader, Read, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, unbounded};
use lsp_server::{Connection, Message};
use serde_json::{Value, json};

/// Bodies larger than this are skipped with an error: no scenario file is near it.
pub const MAX_BODY_BYTES: usize = 64 << 20;

/// A connection over stdio, and the reader and writer threads (join them after the loop).
pub fn stdio() -> (Connection, [JoinHandle<()>; 2]) {
    let (incoming_tx, incoming_rx) = unbounded::<Message>();
    let (outgoing_tx, outgoing_rx) = unbounded::<Message>();
    let (raw_tx, raw_rx) = unbounded::<Value>();
    let reader = std::thread::spawn(move || {
        let stdin = std::io::stdin();
        read_messages(&mut BufReader::new(stdin.lock()), &incoming_tx, &raw_tx);
    });
    let writer = std::thread::spawn(move || {
        let stdout = std::io::stdout();
        write_messages(&mut stdout.lock(), &outgoing_rx, &raw_rx);
    });
    (Connection { sender: outgoing_tx, receiver: incoming_rx }, [reader, writer])
}

/// Reads framed messages until the input ends, answering malformed ones on `errors`.
pub fn read_messages(input: &mut impl BufRead, messages: &Sender<Message>, errors: &Sender<Value>) {
    loop {
        let length = match read_headers(input) {
            Ok(Some(Ok(length))) => length,
            Ok(Some(Err(why))) => {
                let _ = errors.send(error(Value::Null, -32700, &why));
                continue;
            }
            Ok(None) | Err(_) => return,
        };
        if length > MAX_BODY_BYTES {
            if std::io::copy(&mut input.take(length as u64), &mut std::io::sink()).is_err() {
                return;
            }
            let _ = errors.send(error(Value::Null, -32700, &format!("a message of {length} bytes is too large")));
            continue;
        }
        let mut body = vec![0; length];
        if input.read_exact(&mut body).is_err() {
            return;
        }
        let value: Value = match serde_json::from_slice(&body) {
            Ok(value) => value,
            Err(e) => {
                let _ = errors.send(error(Value::Null, -32700, &format!("the message is not valid JSON: {e}")));
                continue;
            }
        };
        let id = value.get("id").cloned().unwrap_or(Value::Null);
        match serde_json::from_value::<Message>(value) {
            Ok(message) => {
                if messages.send(message).is_err() {
                    return;
                }
            }
            Err(e) => {
                let _ = errors.send(error(id, -32600, &format!("not a JSON-RPC request or notification: {e}")));
            }
        }
    }
}

/// The body length from one block of headers: None at the end of input, Some(Err) when the
/// headers are malformed (the block is consumed, so reading goes on after it).
fn read_headers(input: &mut impl BufRead) -> std::io::Result<Option<Result<usize, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = String::new();
    let mut any = false;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if !any {
                continue;
            }
            return Ok(Some(length.unwrap_or_else(|| Err("a message without a Content-Length header".into()))));
        }
        any = true;
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(value.trim().parse().map_err(|_| format!("a bad Content-Length: `{}`", value.trim())));
        }
    }
}

fn error(id: Value, code: i32, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

fn write_messages(output: &mut impl Write, messages: &Receiver<Message>, errors: &Receiver<Value>) {
    loop {
        crossbeam_channel::select! {
            recv(messages) -> message => match message {
                Ok(message) => if message.write(output).is_err() { return },
                Err(_) => return,
            },
            recv(errors) -> raw => if let Ok(raw) = raw {
                let text = raw.to_string();
                if write!(output, "Content-Length: {}\r\n\r\n{text}", text.len()).and_then(|_| output.flush()).is_err() {
                    return;
                }
            },
        }
    }
}
