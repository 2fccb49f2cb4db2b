//! The scenario format and everything that reads and checks it. Knows nothing of Bevy.

pub mod check;
pub mod corpus;
pub mod diagnostic;
pub mod fields;
pub mod format;
pub mod lessons;
pub mod limits;
mod lines;
pub mod load;
pub mod locate;
pub mod progress;
mod snippet;

pub use corpus::Corpus;
pub use diagnostic::{Diagnostic, Severity};
pub use format::*;
pub use load::{Document, LoadedFile};
