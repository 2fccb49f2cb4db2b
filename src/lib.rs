//! The Leap: a leadership training game.
//!
//! `scenario` and `engine` are the core and know nothing of Bevy; `tools` (the designer's
//! simulator, explorer and graph) and `export` (session records as CSV, JSON and xAPI) build on
//! them and know nothing of Bevy either; `cli` and `game` are front ends over them.

pub mod cli;
pub mod engine;
pub mod export;
pub mod game;
pub mod scenario;
pub mod tools;
