//! `leap lsp`: a language server for scenario and campaign files, a front end beside `cli`
//! that uses the core (the same loading and checks as `leap check`) and never the game.
//!
//! - `transport`: JSON-RPC framing over stdio, tolerant of malformed messages;
//! - `server`: the handshake and the message loop;
//! - `workspace`: open documents over the files on disk, and diagnostics;
//! - `text`, `uri`: positions in UTF-16 columns, `file:` URIs;
//! - `index`: where each id is defined and used, read from the lenient source map;
//! - the features: `navigate` (definition, references, rename), `complete`, `hover`,
//!   `outline` (symbols, folding), `fixes` (quick fixes), `tokens` (semantic highlighting).

pub mod complete;
pub mod fixes;
pub mod hover;
pub mod index;
pub mod navigate;
pub mod outline;
pub mod server;
pub mod text;
pub mod tokens;
pub mod transport;
pub mod uri;
pub mod workspace;

pub use server::serve;

/// Serves over standard input and output until the editor says `exit` or closes the pipe.
pub fn run_stdio(scenarios: &std::path::Path) -> Result<(), String> {
    let (connection, [_reader, writer]) = transport::stdio();
    let result = serve(&connection, scenarios);
    // Closing the connection lets the writer flush and stop; the reader may be blocked on
    // standard input and ends with the process.
    drop(connection);
    let _ = writer.join();
    result
}
