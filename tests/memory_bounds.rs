//! What reading a file may hold at once, for the densest file under the 1 MiB limit: a
//! million one-character values (`-----...`, each `-` a value of its own). The fuzzer found
//! such a file (input 5433353 of seed 2026) holding 275 MiB in the editor's model and 133 MB
//! in `leap check`: the source map copied every name it read and kept each value's key twice,
//! the recovering parser's tokens were 64 bytes each, the first source map stayed alive while
//! the recovering parser made a second, and `leap lsp`'s index kept every value's path twice.
//!
//! Measured on this file before those were mended: reading 138 MiB at once; the index 226 MiB
//! at once, 152 MiB kept. After: 55, 55 and 34 MiB. The bars sit between.
//!
//! The allocator is the fuzzer's own counting one (per thread, so the test threads do not
//! count each other).

#[allow(dead_code)]
#[path = "../examples/fuzz/alloc.rs"]
mod alloc;

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

use leap::lsp::workspace::Analysis;
use leap::scenario::load::{MAX_FILE_BYTES, parse_bytes};

const MIB: usize = 1 << 20;

/// A scenario file just under the limit whose lesson list is `-` after `-`.
fn densest_file() -> String {
    let head = "Scenario(\n    format: 1,\n    id: \"dense\",\n    lessons: [";
    let tail = "],\n)\n";
    let count = MAX_FILE_BYTES - head.len() - tail.len();
    let mut text = String::with_capacity(MAX_FILE_BYTES);
    text.push_str(head);
    for _ in 0..count {
        text.push('-');
    }
    text.push_str(tail);
    assert!(text.len() <= MAX_FILE_BYTES);
    text
}

/// Runs `work` and returns what it returned and the most it had allocated at once above what
/// was live before it.
fn peak_of<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let baseline = alloc::live();
    alloc::reset_peak();
    let out = work();
    (out, alloc::peak_since_reset(baseline))
}

#[test]
fn checking_the_densest_file_holds_a_bounded_amount() {
    let text = densest_file();
    let (file, peak) = peak_of(|| parse_bytes("dense.ron", text.as_bytes()));
    println!("leap check's reading of a {} byte file held {:.1} MiB at once", text.len(), peak as f64 / MIB as f64);
    assert!(file.has_errors(), "the file is missing fields, so it has errors");
    assert!(peak < 80 * MIB, "reading held {:.1} MiB at once", peak as f64 / MIB as f64);
}

#[test]
fn the_editors_index_of_the_densest_file_holds_a_bounded_amount() {
    let text = densest_file();
    let analysis = Analysis::new("dense.ron", text.clone());
    let before = alloc::live();
    let (_, peak) = peak_of(|| analysis.index());
    let kept = (alloc::live() - before).max(0) as usize;
    let mut values = 0;
    analysis.index().visit_values(|_, _| values += 1);
    println!(
        "the editor's index of {values} values held {:.1} MiB at once and keeps {:.1} MiB",
        peak as f64 / MIB as f64,
        kept as f64 / MIB as f64
    );
    assert!(values > 1_000_000, "every `-` is a value: {values}");
    assert!(peak < 80 * MIB, "building the index held {:.1} MiB at once", peak as f64 / MIB as f64);
    assert!(kept < 48 * MIB, "the index keeps {:.1} MiB", kept as f64 / MIB as f64);
}
