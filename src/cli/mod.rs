//! The `leap` command line: argument parsing and dispatch to each command.

pub mod check;
pub mod play;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "leap", version, about = "The Leap: a leadership training game", long_about = None)]
pub struct Cli {
    /// Folder of scenario files (default: ./scenarios, or next to the program).
    #[arg(long, global = true, env = "LEAP_SCENARIOS", value_name = "DIR")]
    pub scenarios: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario and campaign files and print every problem found.
    Check(check::CheckArgs),
    /// Play a scenario (`--text` plays in the terminal).
    Play(play::PlayArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// Framed snippets with the problem underlined.
    #[default]
    Human,
    /// One line per problem: file:line:col: severity[code]: message.
    Short,
    /// Machine-readable JSON.
    Json,
}

/// Runs the command line; `None` means "start the game".
pub fn run(cli: Cli) -> ExitCode {
    let scenarios = cli.scenarios.unwrap_or_else(crate::scenario::corpus::default_dir);
    match cli.command {
        None => crate::game::run(scenarios),
        Some(Command::Check(args)) => check::run(args, &scenarios),
        Some(Command::Play(args)) => play::run(args, &scenarios),
    }
}

/// Treats a closed stdout (e.g. `leap check | head`) as a normal end, not a crash.
pub fn finish_output(result: std::io::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("leap: {e}");
            ExitCode::from(2)
        }
    }
}
