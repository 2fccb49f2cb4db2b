//! Opening the window, for the commands that need it. A build without the `game` feature
//! says so instead, and points to what works without a window.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::GameArgs;
use crate::workshop::WorkshopConfig;
use crate::workshop::phones::PhoneOptions;

#[cfg(feature = "game")]
pub fn play(scenarios: &Path, args: GameArgs) -> ExitCode {
    let autoplay = args.autoplay.map(|scenario| crate::game::AutoplayPlan {
        scenario,
        seed: args.seed,
        choices: args.choices,
        screenshot_dir: args.screenshot_dir,
    });
    crate::game::run(crate::game::LaunchOptions { scenarios: scenarios.to_path_buf(), autoplay, ..Default::default() })
}

#[cfg(feature = "game")]
pub fn workshop(scenarios: &Path, config: WorkshopConfig, phones: Option<PhoneOptions>) -> ExitCode {
    crate::game::run(crate::game::LaunchOptions {
        scenarios: scenarios.to_path_buf(),
        workshop: Some(config),
        phones,
        ..Default::default()
    })
}

#[cfg(feature = "game")]
pub fn resume_workshop(scenarios: &Path, log: PathBuf, phones: Option<PhoneOptions>) -> ExitCode {
    crate::game::run(crate::game::LaunchOptions {
        scenarios: scenarios.to_path_buf(),
        workshop_resume: Some(log),
        phones,
        ..Default::default()
    })
}

#[cfg(not(feature = "game"))]
const NOT_BUILT: &str = "leap: this build has no window (it was built without the `game` feature).\n\
     Play in the terminal instead: leap play --text\n\
     Or build the game: cargo build --release (default features)";

#[cfg(not(feature = "game"))]
pub fn play(_scenarios: &Path, _args: GameArgs) -> ExitCode {
    eprintln!("{NOT_BUILT}");
    ExitCode::from(2)
}

#[cfg(not(feature = "game"))]
pub fn workshop(_scenarios: &Path, _config: WorkshopConfig, _phones: Option<PhoneOptions>) -> ExitCode {
    eprintln!("{NOT_BUILT}");
    ExitCode::from(2)
}

#[cfg(not(feature = "game"))]
pub fn resume_workshop(_scenarios: &Path, _log: PathBuf, _phones: Option<PhoneOptions>) -> ExitCode {
    eprintln!("{NOT_BUILT}");
    ExitCode::from(2)
}
