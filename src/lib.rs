//! The Leap: a leadership training game.
//!
//! `scenario` and `engine` are the core and know nothing of Bevy; `cli` and `game` are
//! front ends over them.

pub mod cli;
pub mod engine;
pub mod game;
pub mod scenario;
