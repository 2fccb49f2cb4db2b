//! Started where no window can open, `leap` explains and points to the terminal version.
#![cfg(feature = "game")]

use std::process::Command;

#[test]
fn without_a_display_leap_says_so_and_mentions_the_text_mode() {
    let output =
        Command::new(env!("CARGO_BIN_EXE_leap")).env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("no display") && message.contains("leap play --text"), "{message}");
}
