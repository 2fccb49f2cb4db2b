//! The layers point one way: scenario ← engine ← record ← workshop, export ← tools ← cli, game.
//! Nothing below the front ends names Bevy or reaches up into a layer above it, and a build
//! without the `game` feature has no Bevy in its dependency tree.

mod common;

use std::path::Path;

/// Each core layer and the layers it must never name (`crate::x` or `leap::x`).
const FORBIDDEN: &[(&str, &[&str])] = &[
    ("scenario", &["engine", "record", "workshop", "export", "tools", "cli", "game"]),
    ("engine", &["record", "workshop", "export", "tools", "cli", "game"]),
    ("record", &["workshop", "export", "tools", "cli", "game"]),
    ("workshop", &["export", "tools", "cli", "game"]),
    ("export", &["tools", "cli", "game"]),
    ("tools", &["cli", "game"]),
    // A front end beside `cli`: the language server uses the core and never the game.
    ("lsp", &["cli", "game"]),
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments, so a doc comment may mention what it avoids.
fn code_of(source: &str) -> String {
    source.lines().map(|line| line.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

#[test]
fn core_layers_name_no_bevy_and_point_only_down() {
    let mut problems = Vec::new();
    for (layer, forbidden) in FORBIDDEN {
        let mut files = Vec::new();
        let dir = common::root().join("src").join(layer);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        }
        let single = common::root().join("src").join(format!("{layer}.rs"));
        if single.is_file() {
            files.push(single);
        }
        assert!(!files.is_empty(), "no files for layer {layer}");
        for file in files {
            let code = code_of(&std::fs::read_to_string(&file).unwrap());
            if code.contains("bevy") {
                problems.push(format!("{} names bevy", file.display()));
            }
            for above in *forbidden {
                for prefix in ["crate::", "leap::"] {
                    if code.contains(&format!("{prefix}{above}::")) || code.contains(&format!("{prefix}{above};")) {
                        problems.push(format!("{} ({layer}) reaches up into `{above}`", file.display()));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `cargo tree` of the build without default features: the command line with no Bevy.
#[test]
fn the_build_without_the_game_feature_has_no_bevy() {
    let output = std::process::Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--no-default-features", "-e", "normal", "--prefix", "none", "--format", "{p}"])
        .current_dir(common::root())
        .output()
        .expect("cargo tree runs");
    let tree = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&output.stderr));
    assert!(tree.lines().any(|l| l.starts_with("leap ")), "{tree}");
    let bevy: Vec<&str> =
        tree.lines().filter(|l| l.contains("bevy") || l.starts_with("wgpu") || l.starts_with("winit")).collect();
    assert!(bevy.is_empty(), "the core build depends on {bevy:?}");
}

/// Built without the window, `leap` alone says so and points to what works without one.
#[cfg(not(feature = "game"))]
#[test]
fn without_the_game_feature_leap_says_the_window_was_not_built_in() {
    let (code, output) = common::run_leap(&[], "");
    assert_eq!(code, Some(2), "{output}");
    assert!(output.contains("built without the `game` feature"), "{output}");
    assert!(output.contains("leap play --text"), "{output}");
    let (code, output) = common::run_leap(&["workshop", "the-pet-project"], "");
    assert_eq!(code, Some(2), "{output}");
    assert!(output.contains("built without the `game` feature"), "{output}");
}
