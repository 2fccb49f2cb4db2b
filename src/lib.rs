//! The Leap: a leadership training game.
//!
//! The layers, each depending only on those before it:
//! - `scenario`: the format, loading and checking (with every limit in `scenario::limits`);
//! - `engine`: the rules of play (one decision sequence for the game and the simulations);
//! - `record`: the session log, written as a session goes, and read back;
//! - `workshop`: a facilitated session's settings; `export`: records as CSV, JSON and xAPI;
//! - `tools`: the designer's simulator, explorer, graph and trade-off warnings;
//! - front ends: `cli` (the `leap` command line), `lsp` (the language server for editors) and
//!   `game` (the Bevy window, behind the default `game` feature).
//!
//! Nothing below the front ends names Bevy; `tests/layers.rs` keeps it that way.

pub mod cli;
pub mod engine;
pub mod export;
#[cfg(feature = "game")]
pub mod game;
#[allow(clippy::mutable_key_type)] // `lsp_types::Uri` keys: its interior cache never changes equality.
pub mod lsp;
pub mod record;
pub mod scenario;
pub mod tools;
pub mod workshop;
