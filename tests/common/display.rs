//! A real window for the tests that need one: a virtual X display (Xvfb) drawn by Mesa's
//! software Vulkan, and the programs those tests drive it with.

use std::process::Command;

/// Whether `program` is on the PATH.
pub fn has(program: &str) -> bool {
    Command::new("sh").arg("-c").arg(format!("command -v {program}")).output().is_ok_and(|o| o.status.success())
}

/// True (after saying SKIPPED) when one of `programs` is not installed.
pub fn skip_without(programs: &[&str]) -> bool {
    let missing: Vec<&str> = programs.iter().copied().filter(|p| !has(p)).collect();
    if !missing.is_empty() {
        eprintln!("SKIPPED: {} not installed (scripts/test.sh installs them)", missing.join(", "));
    }
    !missing.is_empty()
}

/// `xvfb-run` on a 1280×800 screen, set to draw with Vulkan (the only backend that draws
/// under Xvfb here); add the program and its arguments.
pub fn xvfb_run() -> Command {
    let mut command = Command::new("xvfb-run");
    command.args(["-a", "-s", "-screen 0 1280x800x24"]).env("WGPU_BACKEND", "vulkan");
    command
}
