//! The Leap: a leadership training game.
//!
//! The layers, each depending only on those before it:
//! - `scenario`: the format, loading and checking (with every limit in `scenario::limits`);
//! - `engine`: the rules of play (one decision sequence for the game and the simulations);
//! - `record`: the session log, written as a session goes, and read back;
//! - `workshop`: a facilitated session (settings, flow, the room's phone votes); `export`:
//!   records as CSV, JSON, xAPI and an HTML report, and sending them to an LRS;
//! - `tools`: the designer's simulator, explorer, graph, balance report and trade-off warnings;
//! - front ends: `cli` (the `leap` command line), `lsp` (the language server for editors),
//!   `phones` (the phone server for a workshop's room) and `game` (the Bevy window, behind
//!   the default `game` feature).
//!
//! Nothing below the front ends names Bevy; `tests/layers.rs` keeps it that way.

pub mod cli;
pub mod engine;
pub mod export;
#[cfg(feature = "game")]
pub mod game;
#[allow(clippy::mutable_key_type)] // `lsp_types::Uri` keys: its interior cache never changes equality.
pub mod lsp;
pub mod phones;
pub mod record;
pub mod scenario;
pub mod tools;
pub mod workshop;
