//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use leap::scenario::{Corpus, Scenario};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(path: &str) -> PathBuf {
    root().join("tests/fixtures").join(path)
}

/// Parses RON text that must be a clean scenario.
pub fn scenario_from(text: &str) -> Scenario {
    let corpus = Corpus::from_sources([("inline.ron", text)]);
    let file = &corpus.files[0];
    let errors: Vec<String> = file.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.short()).collect();
    assert!(errors.is_empty(), "inline scenario has errors: {errors:#?}");
    file.scenario().expect("a scenario").clone()
}

pub fn load_scenario(path: &Path) -> Scenario {
    let corpus = Corpus::load(&[path.to_path_buf()]);
    corpus.files[0]
        .scenario()
        .unwrap_or_else(|| panic!("{} did not load: {:?}", path.display(), corpus.files[0].diagnostics))
        .clone()
}

/// The shipped corpus.
pub fn shipped() -> Corpus {
    Corpus::load(&[root().join("scenarios")])
}

/// A fresh, empty folder under Cargo's scratch space for integration tests, unique to `name`.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}
