//! `leap graph`: a scenario as a Mermaid or Graphviz graph, on standard output.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::select::one_scenario;
use crate::tools::graph::{dot, mermaid};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum GraphFormat {
    /// Mermaid flowchart, for a ```mermaid block in Markdown.
    #[default]
    Mermaid,
    /// Graphviz DOT, for `dot -Tsvg`.
    Dot,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// A scenario id or the path of a scenario file.
    pub scenario: String,
    /// Which graph language to write.
    #[arg(long, value_enum, default_value_t)]
    pub format: GraphFormat,
}

pub fn run(args: GraphArgs, scenarios: &Path) -> ExitCode {
    let scenario = match one_scenario(&args.scenario, scenarios) {
        Ok(s) => s,
        Err(why) => {
            eprintln!("leap: {why}");
            return ExitCode::from(1);
        }
    };
    let text = match args.format {
        GraphFormat::Mermaid => mermaid(&scenario),
        GraphFormat::Dot => dot(&scenario),
    };
    super::finish_output(std::io::stdout().lock().write_all(text.as_bytes()).map(|_| ExitCode::SUCCESS))
}
