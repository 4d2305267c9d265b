//! The `mlwb` binary: parses the command line, then runs a command or opens the TUI.

use std::io;
use std::process::ExitCode;

use clap::Parser as _;
use mlwb::cli::{self, Cli, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse();
    mlwb::logging::init();
    match cli::run(cli).and_then(open_tui) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mlwb: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn open_tui(outcome: Outcome) -> anyhow::Result<ExitCode> {
    match outcome {
        Outcome::Exit(code) => Ok(code),
        Outcome::Tui { ws, tour } => {
            mlwb::tui::run(ws, tour)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A closed pipe (`mlwb status | head`) is the reader's choice, not a failure.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}
