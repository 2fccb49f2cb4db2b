//! Every limit of the format in one place: what a file may hold, and how long a run may go.

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// The format needs about 8 levels; anything far deeper is a mistake or an attack.
pub const MAX_DEPTH: usize = 32;
pub const MAX_ID_CHARS: usize = 64;
pub const MAX_TEXT_CHARS: usize = 4000;
pub const MAX_BEATS: usize = 500;
pub const MAX_CHOICES: usize = 4;
pub const MAX_EFFECT: i32 = 100;
/// Runs stop after this many decisions when no ending is reached (a loop a policy never leaves).
pub const MAX_DECISIONS: u32 = 1000;
/// The longest delay: as many decisions as a simulated run may take before it is stopped (and
/// far from where counting decision numbers would overflow).
pub const MAX_DELAY: u32 = MAX_DECISIONS;
