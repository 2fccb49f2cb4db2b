//! Files read at the same time on several threads give the same result as one read alone. The
//! recovering reader learns which fields are required as it goes, once per process; two
//! threads learning the same field at once once made one of them give up on its file
//! ("nothing was read" in `fuzz_regressions`, now and then, under load). This test runs in a
//! process of its own, so nothing is learned before it starts.

mod common;

use std::sync::{Arc, Barrier};

use leap::scenario::load::parse_bytes;

#[test]
fn files_read_at_once_on_many_threads_read_as_they_do_alone() {
    let files = ["fuzz/slow-dilemmas-many-choices.ron", "broken/missing-field-and-typo.ron", "broken/missing-next.ron"];
    let sources: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(common::fixture(f)).unwrap()).collect();
    let sources = Arc::new(sources);
    let threads = 6;
    let start = Arc::new(Barrier::new(threads));
    let results: Vec<Vec<(bool, Vec<String>)>> = (0..threads)
        .map(|i| {
            let (sources, start) = (sources.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                // Each thread starts with a different file, so they learn fields at the same time.
                (0..sources.len())
                    .map(|k| (i + k) % sources.len())
                    .map(|k| {
                        let file = parse_bytes(&format!("file-{k}.ron"), &sources[k]);
                        (k, (file.document.is_some(), file.diagnostics.iter().map(|d| d.short()).collect()))
                    })
                    .collect::<std::collections::BTreeMap<_, _>>()
                    .into_values()
                    .collect()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    let alone: Vec<(bool, Vec<String>)> = sources
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let file = parse_bytes(&format!("file-{k}.ron"), s);
            (file.document.is_some(), file.diagnostics.iter().map(|d| d.short()).collect())
        })
        .collect();
    assert!(alone[0].0, "the many-choices file is read");
    for (i, result) in results.iter().enumerate() {
        assert_eq!(result, &alone, "thread {i} read differently");
    }
}
