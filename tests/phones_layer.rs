//! The phone server is a front end beside `cli` and `game`: the core layers never name it, and
//! it never names Bevy, the game or the command line (so it builds without the `game` feature).

mod common;

use std::path::Path;

fn code_files(dir: &Path, out: &mut Vec<(std::path::PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            code_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            let code = source.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
            out.push((path, code));
        }
    }
}

#[test]
fn the_core_never_names_the_phone_server_and_it_never_names_bevy() {
    let mut problems = Vec::new();
    for layer in ["scenario", "engine", "record", "workshop", "export", "tools"] {
        let mut files = Vec::new();
        code_files(&common::root().join("src").join(layer), &mut files);
        for (path, code) in files {
            if code.contains("crate::phones") || code.contains("leap::phones") {
                problems.push(format!("{} ({layer}) names the phone server", path.display()));
            }
        }
    }
    let mut files = Vec::new();
    code_files(&common::root().join("src/phones"), &mut files);
    assert!(!files.is_empty());
    for (path, code) in files {
        for above in ["bevy", "crate::game", "crate::cli"] {
            if code.contains(above) {
                problems.push(format!("{} names {above}", path.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
