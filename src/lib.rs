//! The Leap: a leadership training game.
//!
//! `scenario` and `engine` are the core and know nothing of Bevy; `tools` (the designer's
//! simulator, explorer and graph) builds on them and knows nothing of Bevy either; `cli` and
//! `game` are front ends over them.

pub mod cli;
pub mod engine;
pub mod game;
pub mod scenario;
pub mod tools;
