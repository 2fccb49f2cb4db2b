//! `leap lsp` as an editor runs it: a child process spoken to over stdin and stdout with
//! `Content-Length` framing, malformed messages included.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_leap"))
            .args(["lsp", "--stdio"])
            .current_dir(common::root())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("leap lsp starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = Some(value.parse::<usize>().unwrap());
                    }
                }
                let mut body = vec![0; length.expect("every message has a Content-Length")];
                stdout.read_exact(&mut body).unwrap();
                if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Server { child, stdin, messages }
    }

    fn write_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        self.write_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    /// The next message that `accept` takes (others are dropped).
    fn wait_for(&self, accept: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self.messages.recv_timeout(Duration::from_secs(20)).expect("a message in time");
            if accept(&message) {
                return message;
            }
        }
    }
}

#[test]
fn diagnostics_arrive_over_stdio_and_clear_when_fixed_and_malformed_messages_get_errors() {
    let folder = common::scratch_dir("lsp-stdio");
    let mut server = Server::start();
    let root = format!("file://{}", folder.display());
    server.send(
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {}, "rootUri": root } }),
    );
    let init = server.wait_for(|m| m["id"] == 1);
    assert_eq!(init["result"]["capabilities"]["renameProvider"]["prepareProvider"], true, "{init}");
    server.send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));

    // Not JSON, no Content-Length, not a JSON-RPC message: an error each, and the server reads on.
    server.write_raw(b"Content-Length: 6\r\n\r\n{oops}");
    let error = server.wait_for(|m| m.get("error").is_some());
    assert_eq!((error["id"].clone(), error["error"]["code"].clone()), (Value::Null, json!(-32700)));
    server.write_raw(b"X-Other: 1\r\n\r\n");
    let error = server.wait_for(|m| m.get("error").is_some());
    assert!(error["error"]["message"].as_str().unwrap().contains("Content-Length"), "{error}");
    server.send(json!({ "jsonrpc": "2.0", "id": 7, "method": 3 }));
    let error = server.wait_for(|m| m.get("error").is_some());
    assert_eq!((error["id"].clone(), error["error"]["code"].clone()), (json!(7), json!(-32600)));

    // A broken file outside any scenarios folder, with `é` before the bad id on its line.
    let uri = format!("file://{}/broken.ron", folder.display());
    let text = std::fs::read_to_string(common::fixture("valid/small.ron"))
        .unwrap()
        .replace("text: \"Sam is late again.\",", "text: \"Café.\", discuss: \"x\",")
        .replace("            discuss: \"What now?\",\n", "")
        .replacen("next: Beat(\"second\")", "text: \"é\", next: Beat(\"secnd\")", 1)
        .replacen("text: \"Blame Sam.\",", "", 1);
    let line = text.lines().position(|l| l.contains("Beat(\"secnd\")")).unwrap();
    let column = text.lines().nth(line).unwrap().find("\"secnd\"").unwrap() - 1; // `é` is 2 bytes, 1 unit
    server.send(json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": uri, "languageId": "ron", "version": 1, "text": text } } }));
    let published = server.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{published}");
    assert_eq!(diagnostics[0]["code"], "dangling-reference");
    assert_eq!(
        diagnostics[0]["range"],
        json!({ "start": { "line": line, "character": column }, "end": { "line": line, "character": column + 7 } })
    );

    // Fix it with an incremental edit: the list comes back empty.
    server.send(json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": { "uri": uri, "version": 2 },
        "contentChanges": [{ "range": { "start": { "line": line, "character": column + 1 }, "end": { "line": line, "character": column + 6 } }, "text": "second" }] } }));
    let fixed = server.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
    assert_eq!(fixed["params"]["diagnostics"], json!([]), "{fixed}");
    assert_eq!(fixed["params"]["version"], 2);

    server.send(json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }));
    server.wait_for(|m| m["id"] == 2);
    server.send(json!({ "jsonrpc": "2.0", "method": "exit" }));
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
}
