//! The scenario format and everything that reads and checks it. Knows nothing of Bevy.

pub mod check;
pub mod corpus;
pub mod diagnostic;
pub mod fields;
pub mod format;
mod lenient;
pub mod lessons;
pub mod limits;
pub mod lines;
pub mod load;
pub mod locate;
pub mod progress;
pub mod read_file;
mod recover;
mod snippet;
mod tokens;
mod tree;

pub use corpus::Corpus;
pub use diagnostic::{Diagnostic, Severity};
pub use format::*;
pub use load::{Document, LoadedFile};
