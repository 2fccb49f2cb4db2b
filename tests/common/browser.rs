//! Running the phone page in headless Chromium through a Node script (tests/browser/).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// Why the real-browser tests cannot run here, if they cannot.
pub fn missing() -> Option<String> {
    let browser = crate::common::root().join("tests/browser");
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".into());
    }
    if !Path::new(&std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into())).exists() {
        return Some("/usr/bin/chromium is not installed".into());
    }
    if !browser.join("node_modules/playwright-core").is_dir() {
        return Some("tests/browser/node_modules is missing (npm ci --prefix tests/browser)".into());
    }
    None
}

/// A browser script running, and the lines it has printed.
#[allow(dead_code)]
pub struct Script {
    pub child: Child,
    lines: Receiver<String>,
    pub seen: Vec<String>,
}

#[allow(dead_code)]
impl Script {
    /// Runs `tests/browser/<script>` with `args`.
    pub fn start(script: &str, args: &[&std::ffi::OsStr]) -> Script {
        let mut child = Command::new("node")
            .arg(crate::common::root().join("tests/browser").join(script))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node runs");
        let (sender, lines) = channel();
        let stdout = child.stdout.take().expect("piped");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        Script { child, lines, seen: Vec::new() }
    }

    /// The next line starting with `prefix` (within a minute).
    pub fn expect(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match self.lines.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.starts_with(prefix) {
                        return line;
                    }
                }
                Err(_) if Instant::now() > deadline => {
                    panic!("the browser never said {prefix}; it said {:?}", self.seen)
                }
                Err(_) => {}
            }
        }
    }
}
