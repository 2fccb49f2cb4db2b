//! Killing the real game (the headless app: the game's plugins, asset loading, saves, session
//! logs and exports, without a window) with SIGKILL at a random instant, then continuing it and
//! checking that the run goes on and every session log reads and exports. Shared by
//! `tests/crash_continue.rs` (a few kills) and `examples/crash_continue/main.rs` (many).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use leap::game::{ActiveRun, DataDir, Intent, Library, Screen};

/// The scenario every run plays (7 decisions, so there are many writes to land between).
pub const SCENARIO: &str = "the-slipping-analyst";
/// Where the game saves a run of it.
const SAVE: &str = "saves/scenario-the-slipping-analyst.json";

/// The child's side: plays the game in `data` until the debrief: Continue when a save
/// exists, else a new run; always the first open choice. Exits the process with 0 at the
/// debrief and 3 on any notice (something the player would be stopped by).
pub fn play_in_child(data: &Path, scenarios: &Path, seed: u64) -> ! {
    let mut app = leap::game::headless_app(scenarios.to_path_buf(), DataDir(data.to_path_buf()));
    let began = Instant::now();
    while !app.world().resource::<Library>().ready {
        assert!(began.elapsed() < Duration::from_secs(60), "the scenarios did not load");
        app.update();
    }
    let first = if data.join(SAVE).exists() {
        Intent::ContinueSaved
    } else {
        Intent::StartScenario { id: SCENARIO.into(), seed: Some(seed) }
    };
    send(&mut app, first);
    for _ in 0..200 {
        match *app.world().resource::<State<Screen>>().get() {
            Screen::Play => {
                let run = app.world().resource::<ActiveRun>();
                let views = run.session.visible_choices(&run.scenario);
                let choice = views.iter().find(|v| v.available()).expect("an open choice").choice.id.clone();
                send(&mut app, Intent::Choose(choice));
            }
            Screen::Consequence => send(&mut app, Intent::Proceed),
            Screen::Debrief => std::process::exit(0),
            Screen::Notice => {
                eprintln!("notice: {:?}", app.world().resource::<leap::game::Notice>());
                std::process::exit(3)
            }
            _ => app.update(),
        }
    }
    eprintln!("the run never reached its debrief");
    std::process::exit(4)
}

fn send(app: &mut App, intent: Intent) {
    app.world_mut().write_message(intent);
    app.update();
    app.update();
}

/// Decisions held by the save and by the newest session log, when each exists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OnDisk {
    pub saved: Option<usize>,
    pub logged: Option<usize>,
}

impl OnDisk {
    pub fn read(data: &Path) -> OnDisk {
        let saved = std::fs::read(data.join(SAVE))
            .ok()
            .and_then(|b| serde_json::from_slice::<leap::game::SaveFile>(&b).ok())
            .map(|s| s.session.transcript.len());
        let logged = logs(data).last().and_then(|p| leap::record::read_log(p).ok()).map(|r| r.decisions.len());
        OnDisk { saved, logged }
    }

    /// The kill came after a decision reached the log and before the save caught up. (A
    /// finished run has no save; that is not counted.)
    pub fn between_the_writes(&self) -> bool {
        matches!((self.saved, self.logged), (Some(s), Some(l)) if l > s)
    }
}

/// The session logs in `data`, oldest first.
pub fn logs(data: &Path) -> Vec<PathBuf> {
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(data.join("sessions"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
                .map(|p| (std::fs::metadata(&p).and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH), p))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// What one kill found.
#[derive(Debug, Clone)]
pub struct Kill {
    /// The child had already finished when the kill came.
    pub too_late: bool,
    pub at_kill: OnDisk,
}

/// Starts `child` (a command that runs [`play_in_child`] in the data folder), kills it with
/// SIGKILL after `after`, and says what was on disk.
pub fn kill_after(mut child: Command, data: &Path, after: Duration) -> Kill {
    let mut process = child.spawn().expect("the game process starts");
    let deadline = Instant::now() + after;
    let mut too_late = false;
    while Instant::now() < deadline {
        if process.try_wait().expect("the game process can be waited on").is_some() {
            too_late = true;
            break;
        }
        std::thread::sleep(Duration::from_micros(200).min(deadline.saturating_duration_since(Instant::now())));
    }
    if !too_late {
        let _ = Command::new("kill").args(["-KILL", &process.id().to_string()]).status();
    }
    let _ = process.wait();
    Kill { too_late, at_kill: OnDisk::read(data) }
}

/// Starts `child` and kills it with SIGKILL the moment the newest session log has grown for
/// the `writes`-th time (its header is the first write, each decision and ending one more):
/// just after a line reached the log, which is when the save is still the older one.
pub fn kill_after_log_write(mut child: Command, data: &Path, writes: usize) -> Kill {
    let newest = || {
        let log = logs(data).pop();
        let size = log.as_ref().and_then(|l| std::fs::metadata(l).ok()).map_or(0, |m| m.len());
        (log, size)
    };
    let mut last = newest();
    let mut process = child.spawn().expect("the game process starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    let (mut seen, mut too_late) = (0, false);
    while seen < writes {
        if process.try_wait().expect("the game process can be waited on").is_some() || Instant::now() > deadline {
            too_late = true;
            break;
        }
        let now = newest();
        // A new log (its header), or the newest log longer than before (a line appended).
        if now.0 != last.0 || now.1 > last.1 {
            seen += 1;
            last = now;
        } else {
            std::thread::sleep(Duration::from_micros(50));
        }
    }
    if !too_late {
        let _ = Command::new("kill").args(["-KILL", &process.id().to_string()]).status();
    }
    let _ = process.wait();
    Kill { too_late, at_kill: OnDisk::read(data) }
}

/// Runs `child` to the end (no kill); Err with what it printed if it did not reach the debrief.
pub fn run_to_debrief(mut child: Command) -> Result<(), String> {
    let output = child.output().map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "the continued game stopped ({:?}): {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or_default()
        ))
    }
}

/// After the continued run has finished: every session log in `data` reads and exports, the
/// newest holds the whole run with its ending, and its exports are beside it.
pub fn check_finished(data: &Path) -> Result<(), String> {
    let logs = logs(data);
    let newest = logs.last().ok_or("no session log was written")?;
    for log in &logs {
        let recorded = leap::record::read_log(log).map_err(|e| format!("a log no longer reads: {e}"))?;
        let out = data.join("check-exports").join(log.file_stem().unwrap_or_default());
        leap::export::export_all(log, &out).map_err(|e| format!("{} does not export: {e}", log.display()))?;
        if log == newest {
            if recorded.ends.len() != 1 {
                return Err(format!("the newest log has {} endings, not 1", recorded.ends.len()));
            }
            let numbers: Vec<u32> = recorded.decisions.iter().map(|d| d.number).collect();
            let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
            if numbers != expected {
                return Err(format!("the newest log numbers its decisions {numbers:?}"));
            }
        }
    }
    let exports = leap::export::default_dir(newest);
    if std::fs::read_dir(&exports).map(|e| e.count()).unwrap_or(0) < 3 {
        return Err(format!("the game did not write the exports into {}", exports.display()));
    }
    Ok(())
}
