//! How long `leap lsp` takes to send diagnostics after an edit, for the largest shipped
//! scenario, over many edits: each edit breaks or mends a `Beat("...")` reference somewhere in
//! the file (so every edit changes the diagnostics and gets a reply), and the time from sending
//! `didChange` to receiving `publishDiagnostics` is measured, through the server's own loop.
//!
//!     cargo run --release --no-default-features --example lsp_latency -- [--edits N]
//!
//! The goal is under 20 ms at the 99th percentile (README "Robustness and speed").

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

fn main() {
    let edits: usize = std::env::args()
        .skip_while(|a| a != "--edits")
        .nth(1)
        .map(|n| n.parse().expect("--edits takes a number"))
        .unwrap_or(1000);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let largest = largest_scenario(&root.join("scenarios"));
    let text = std::fs::read_to_string(&largest).unwrap();
    let uri = leap::lsp::uri::from_path(&largest.canonicalize().unwrap()).unwrap();

    let (server_side, client) = Connection::memory();
    let server = std::thread::spawn(move || leap::lsp::serve(&server_side, Path::new("scenarios")).unwrap());
    let root_uri = leap::lsp::uri::from_path(&root.canonicalize().unwrap()).unwrap();
    request(&client, 1, "initialize", json!({ "capabilities": {}, "rootUri": root_uri.as_str() }));
    notify(&client, "initialized", json!({}));
    notify(
        &client,
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri.as_str(), "languageId": "ron", "version": 1, "text": text } }),
    );
    wait_for_diagnostics(&client, uri.as_str());

    // Every `Beat("` in the file, as (line, UTF-16 column just inside the quote).
    let lines = leap::lsp::text::LineIndex::new(&text);
    let spots: Vec<_> = text.match_indices("Beat(\"").map(|(at, _)| lines.position(&text, at + 6)).collect();
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut times = Vec::with_capacity(edits);
    let mut broken: Option<lsp_types::Position> = None;
    for version in 0..edits {
        let (range, new_text) = match broken.take() {
            // Mend the last break: remove the `q` typed into the id.
            Some(at) => (json!({ "start": at, "end": { "line": at.line, "character": at.character + 1 } }), ""),
            None => {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let at = spots[(rng % spots.len() as u64) as usize];
                broken = Some(at);
                (json!({ "start": at, "end": at }), "q")
            }
        };
        let started = Instant::now();
        notify(
            &client,
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri.as_str(), "version": version + 2 }, "contentChanges": [{ "range": range, "text": new_text }] }),
        );
        wait_for_diagnostics(&client, uri.as_str());
        times.push(started.elapsed());
    }
    request(&client, 2, "shutdown", Value::Null);
    notify(&client, "exit", Value::Null);
    server.join().unwrap();

    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{} ({} bytes), {} edits, edit to publishDiagnostics:", largest.display(), text.len(), times.len());
    println!(
        "  median {:.2} ms, 90th percentile {:.2} ms, 99th percentile {:.2} ms, max {:.2} ms",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(0.99)),
        ms(at(1.0))
    );
    println!(
        "  goal: 99th percentile under 20 ms: {}",
        if at(0.99) < Duration::from_millis(20) { "met" } else { "NOT met" }
    );
}

fn largest_scenario(folder: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron") && !p.to_string_lossy().contains(".campaign."))
        .collect();
    files.sort_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0));
    files.pop().expect("a shipped scenario")
}

fn notify(client: &Connection, method: &str, params: Value) {
    client.sender.send(Message::Notification(Notification { method: method.into(), params })).unwrap();
}

fn request(client: &Connection, id: i32, method: &str, params: Value) {
    client.sender.send(Message::Request(Request { id: RequestId::from(id), method: method.into(), params })).unwrap();
    loop {
        if let Message::Response(r) = client.receiver.recv().unwrap()
            && r.id == RequestId::from(id)
        {
            return;
        }
    }
}

fn wait_for_diagnostics(client: &Connection, uri: &str) {
    loop {
        match client.receiver.recv_timeout(Duration::from_secs(30)).expect("diagnostics in time") {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri => {
                return;
            }
            _ => {}
        }
    }
}
