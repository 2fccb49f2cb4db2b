use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    leap::cli::run(leap::cli::Cli::parse())
}
