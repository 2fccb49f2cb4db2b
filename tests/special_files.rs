//! Files that are not what their names say, and folders that cannot be read (issue 17,
//! items 9 and 12): a FIFO or a device named `*.ron` is refused at once instead of hanging
//! `check`, `play` and `simulate`; `/dev/zero` is never read without bound; and `leap check`
//! says which folder it could not read and exits 1 instead of "checked 0 files: 0 errors".
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `leap` with `args` (as `user` when given, through `setpriv`), failing the test if it
/// is still running after 20 seconds; returns its exit code and everything it printed.
fn leap_within_limit(args: &[&str], user: Option<u32>) -> (Option<i32>, String) {
    let mut command = match user {
        Some(uid) => {
            let mut c = Command::new("setpriv");
            c.args([format!("--reuid={uid}"), format!("--regid={uid}"), "--clear-groups".into()]);
            c.arg(env!("CARGO_BIN_EXE_leap"));
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_leap")),
    };
    let mut child =
        command.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`leap {}` hung for 20 s", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}

fn make_fifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(made.success());
}

#[test]
fn a_fifo_named_ron_is_refused_not_waited_on() {
    let dir = common::scratch_dir("special-fifo");
    std::fs::copy(common::fixture("valid/small.ron"), dir.join("small.ron")).unwrap();
    let fifo = dir.join("pipe.ron");
    make_fifo(&fifo);
    let (folder, file) = (dir.to_str().unwrap(), fifo.to_str().unwrap());

    let (code, output) = leap_within_limit(&["check", folder], None);
    assert_eq!(code, Some(1), "{output}");
    assert!(output.contains("pipe.ron") && output.contains("FIFO"), "{output}");
    assert!(output.contains("checked 2 files: 1 error"), "{output}");

    for args in [vec!["check", file], vec!["play", "--text", file], vec!["simulate", file, "--runs", "10"]] {
        let (code, output) = leap_within_limit(&args, None);
        assert_ne!(code, Some(0), "{args:?}: {output}");
        assert!(output.contains("FIFO") || output.contains("not a regular file"), "{args:?}: {output}");
    }
}

#[test]
fn a_device_is_never_read_as_a_scenario() {
    let dir = common::scratch_dir("special-device");
    // A link to /dev/zero with a scenario's name: loading follows it and finds a device.
    let link = dir.join("zero.ron");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    for path in ["/dev/zero", link.to_str().unwrap()] {
        let (code, output) = leap_within_limit(&["check", path], None);
        assert_eq!(code, Some(1), "{output}");
        assert!(output.contains("a device, not a regular file"), "{output}");
    }
}

#[test]
fn the_size_limit_is_enforced_while_reading() {
    let dir = common::scratch_dir("special-large");
    let large = dir.join("large.ron");
    std::fs::write(&large, vec![b' '; 1024 * 1024 + 1]).unwrap();
    let bytes = leap::scenario::read_file::read_regular_file(&large, 1024 * 1024);
    assert!(matches!(bytes, Err(leap::scenario::read_file::ReadFileError::TooLarge(_))), "{bytes:?}");
    let (code, output) = leap_within_limit(&["check", large.to_str().unwrap()], None);
    assert_eq!(code, Some(1), "{output}");
    assert!(output.contains("larger than 1 MiB"), "{output}");
}

/// A user who cannot read what `chmod 000` locks: ourselves, or `nobody` when we are root
/// (root reads anything). None when the test cannot arrange one; the caller says so.
fn unprivileged_user() -> Option<Option<u32>> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some(None);
    }
    let works = Command::new("setpriv").args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"]).status();
    works.ok().filter(|s| s.success()).map(|_| Some(65534))
}

#[test]
fn check_says_which_folder_it_could_not_read_and_fails() {
    let Some(user) = unprivileged_user() else {
        eprintln!("SKIPPED: running as root without `setpriv`, so no folder is unreadable; item 9 is not tested here");
        return;
    };
    use std::os::unix::fs::PermissionsExt;
    let dir = common::scratch_dir("special-unreadable");
    // The test folder must be reachable by the unprivileged user.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::copy(common::fixture("valid/small.ron"), dir.join("small.ron")).unwrap();
    std::fs::set_permissions(dir.join("small.ron"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let locked = dir.join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::copy(common::fixture("valid/small.ron"), locked.join("hidden.ron")).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();

    let (code, output) = leap_within_limit(&["check", dir.to_str().unwrap()], user);
    assert_eq!(code, Some(1), "{output}");
    assert!(output.contains("locked") && output.contains("Permission denied"), "{output}");

    // The folder named on the command line itself.
    let (code, output) = leap_within_limit(&["check", locked.to_str().unwrap()], user);
    assert_eq!(code, Some(1), "{output}");
    assert!(output.contains("Permission denied") && !output.contains("checked 0 files"), "{output}");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}
