//! A real editor: Neovim, headless, attaches `leap lsp` to a scenario with a broken reference,
//! waits for the diagnostics, jumps to a definition, completes a beat id, types the fix, sees
//! the diagnostics clear and renames a beat (tests/fixtures/lsp/neovim.lua drives it).
//! `scripts/test.sh` installs Debian's `neovim` when it runs as root; without it this test is
//! skipped with a message.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[test]
fn neovim_shows_diagnostics_jumps_to_definitions_completes_and_renames() {
    if Command::new("nvim").arg("--version").stdout(Stdio::null()).status().is_err() {
        eprintln!("SKIPPED: nvim is not installed (scripts/test.sh installs Debian's neovim)");
        return;
    }
    let root = common::scratch_dir("lsp-neovim");
    std::fs::create_dir_all(root.join("scenarios")).unwrap();
    let cafe = std::fs::read_to_string(common::fixture("lsp/scenarios/cafe.ron")).unwrap();
    // Break the first choice's destination, after `Zoë 😀` on its line.
    let broken = cafe.replacen("Beat(\"second\")", "Beat(\"secnd\")", 1);
    let file = root.join("scenarios/cafe.ron");
    std::fs::write(&file, &broken).unwrap();
    let out = root.join("neovim.json");
    let log = std::fs::File::create(root.join("neovim.stderr")).unwrap();
    // Its own process group and no terminal: Neovim must never touch the terminal (or the
    // job control) of whoever runs the tests.
    let mut child = std::os::unix::process::CommandExt::process_group(&mut Command::new("nvim"), 0)
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", common::fixture("lsp/neovim.lua").display()))
        .env("LEAP_BIN", env!("CARGO_BIN_EXE_leap"))
        .env("LEAP_ROOT", &root)
        .env("LEAP_FILE", &file)
        .env("LEAP_NVIM_OUT", &out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("Neovim did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let seen: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("the script wrote its results")).unwrap();
    assert_eq!(seen["failed"], false, "{seen:#}");

    // The bad id on line 20: Neovim counts bytes, so `é` and `😀` before it count 2 and 4.
    let line = broken.lines().nth(19).unwrap();
    let byte = line.find("\"secnd\"").unwrap();
    assert_eq!(
        seen["broken"],
        json!([{ "lnum": 19, "col": byte, "end_col": byte + 7, "code": "dangling-reference", "severity": 1 }]),
        "{seen:#}"
    );
    let definition = &seen["definition"][0];
    assert!(definition["uri"].as_str().unwrap().ends_with("/scenarios/cafe.ron"), "{seen:#}");
    assert_eq!(
        definition["range"],
        json!({ "start": { "line": 24, "character": 17 }, "end": { "line": 24, "character": 23 } })
    );
    assert_eq!(seen["completion"], json!(["first", "second"]));
    assert_eq!(seen["fixed"], json!([]));
    assert_eq!(seen["renamed"], 3, "the definition and both references");
}
