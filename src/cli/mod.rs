//! The `leap` command line: argument parsing and dispatch to each command.

pub mod balance;
pub mod check;
pub mod explore;
pub mod export;
pub mod graph;
pub mod lessons;
pub mod lsp;
pub mod play;
pub mod progress;
pub mod recording;
pub mod report;
pub mod select;
pub mod simulate;
pub mod window;
pub mod workshop;
pub mod workshop_everyone;
pub mod workshop_text;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "leap", version, about = "The Leap: a leadership training game", long_about = None)]
pub struct Cli {
    /// Folder of scenario files (default: ./scenarios, or next to the program).
    #[arg(long, global = true, env = "LEAP_SCENARIOS", value_name = "DIR")]
    pub scenarios: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub game: GameArgs,
}

/// Options for the windowed game (used when no command is given).
#[derive(Debug, Args, Default)]
pub struct GameArgs {
    /// Play SCENARIO by itself in the window, then exit (for tests and demos).
    #[arg(long, value_name = "SCENARIO")]
    pub autoplay: Option<String>,
    /// Seed for --autoplay.
    #[arg(long, requires = "autoplay", default_value_t = 1)]
    pub seed: u64,
    /// Choice numbers for --autoplay, e.g. 1,2,1 (1 once they run out).
    #[arg(long, requires = "autoplay", value_delimiter = ',')]
    pub choices: Vec<usize>,
    /// Where --autoplay saves its screenshots and summary.
    #[arg(long, requires = "autoplay", value_name = "DIR")]
    pub screenshot_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario and campaign files and print every problem found.
    Check(check::CheckArgs),
    /// Play a scenario (`--text` plays in the terminal).
    Play(play::PlayArgs),
    /// Show which scenarios teach which lessons; exit 1 if a lesson is not covered.
    Lessons(lessons::LessonsArgs),
    /// Play many runs with a simulated player and report endings, meters and unvisited paths.
    Simulate(simulate::SimulateArgs),
    /// Visit every reachable state and report what can be reached, and what only by chance.
    Explore(explore::ExploreArgs),
    /// Print a scenario as a Mermaid or Graphviz graph.
    Graph(graph::GraphArgs),
    /// Run a scenario or the campaign with a room, on a projector (opens the window).
    Workshop(workshop::WorkshopArgs),
    /// Write a recorded session (a session log) as CSV, JSON or xAPI statements.
    Export(export::ExportArgs),
    /// Share of Strong/Mixed/Weak endings per simulated player, against the balance targets.
    Balance(balance::BalanceArgs),
    /// Serve the Language Server Protocol over stdio, for editors (see docs/authoring.md).
    Lsp(lsp::LspArgs),
    /// Write a recorded session as one printable HTML report with charts.
    Report(report::ReportArgs),
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
        None => window::play(&scenarios, cli.game),
        Some(Command::Check(args)) => check::run(args, &scenarios),
        Some(Command::Play(args)) => play::run(args, &scenarios),
        Some(Command::Lessons(args)) => lessons::run(args, &scenarios),
        Some(Command::Simulate(args)) => simulate::run(args, &scenarios),
        Some(Command::Explore(args)) => explore::run(args, &scenarios),
        Some(Command::Graph(args)) => graph::run(args, &scenarios),
        Some(Command::Export(args)) => export::run(args, &scenarios),
        Some(Command::Report(args)) => report::run(args, &scenarios),
        Some(Command::Workshop(args)) => workshop::run(args, &scenarios),
        Some(Command::Balance(args)) => balance::run(args, &scenarios),
        Some(Command::Lsp(args)) => lsp::run(args, &scenarios),
    }
}

/// Treats a closed stdout (e.g. `leap check | head`) as a normal end, not a crash: every
/// command, in every format, ends quietly with 0 when its reader has gone.
pub fn finish_output(result: std::io::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) if is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("leap: {e}");
            ExitCode::from(2)
        }
    }
}

/// A write to a reader that has gone, directly or inside a JSON writer's error.
pub fn is_closed_pipe(error: &std::io::Error) -> bool {
    let inner_kind =
        error.get_ref().and_then(|e| e.downcast_ref::<serde_json::Error>()).and_then(|e| e.io_error_kind());
    error.kind() == std::io::ErrorKind::BrokenPipe || inner_kind == Some(std::io::ErrorKind::BrokenPipe)
}
