//! A progress bar for long commands (`simulate`, `explore`), on standard error and only when
//! that is a terminal: piped or redirected output stays exactly as it was.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A counter the work adds to, drawn as a bar by a thread of its own while it lives.
pub struct Progress {
    pub counter: Arc<AtomicU64>,
    done: Arc<AtomicBool>,
    drawer: Option<JoinHandle<()>>,
}

impl Progress {
    /// A bar for `total` units of `what` (None: a count with no end known), or a silent
    /// counter when standard error is not a terminal.
    pub fn start(what: &str, total: Option<u64>) -> Progress {
        Progress::start_on(what, total, std::io::stderr().is_terminal())
    }

    fn start_on(what: &str, total: Option<u64>, terminal: bool) -> Progress {
        let counter = Arc::new(AtomicU64::new(0));
        let done = Arc::new(AtomicBool::new(false));
        if !terminal {
            return Progress { counter, done, drawer: None };
        }
        let bar = match total {
            Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("{msg} {wide_bar} {human_pos}/{human_len} ({percent}%, {eta} left)")
                    .expect("a valid template"),
            ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                .with_style(ProgressStyle::with_template("{msg} {spinner} {human_pos}").expect("a valid template")),
        };
        bar.set_message(what.to_string());
        bar.tick();
        let (count, finished) = (counter.clone(), done.clone());
        let drawer = std::thread::spawn(move || {
            while !finished.load(Ordering::Relaxed) {
                bar.set_position(count.load(Ordering::Relaxed));
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        Progress { counter, done, drawer: Some(drawer) }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(drawer) = self.drawer.take() {
            let _ = drawer.join();
        }
    }
}
