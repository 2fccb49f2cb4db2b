//! `leap lsp`: the language server for editors, over standard input and output.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Talk over standard input and output (the only way; accepted because editors pass it).
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: LspArgs, scenarios: &Path) -> ExitCode {
    match crate::lsp::run_stdio(scenarios) {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("leap lsp: {why}");
            ExitCode::from(2)
        }
    }
}
