//! The one placeholder the CLI allows: verbs whose capability is not built yet say so, on
//! one line, and exit with code 2. Each entry disappears when its capability lands.

use std::process::ExitCode;

use super::{Command, MlflowCommand};

/// Prints what is missing and returns exit code 2.
pub fn refuse(command: &Command) -> ExitCode {
    let (verb, missing) = describe(command);
    eprintln!("mlwb {verb}: not available yet: {missing} is not built in this version");
    ExitCode::from(2)
}

fn describe(command: &Command) -> (&'static str, &'static str) {
    match command {
        Command::Registry(_) => ("registry", "the model registry commands"),
        Command::Serve(_) => ("serve", "the prediction server"),
        Command::Simulate(_) => ("simulate", "the traffic simulator"),
        Command::Monitor(_) => ("monitor", "drift, skew and alert computation"),
        Command::Drift(_) => ("drift", "drift statistics between files"),
        Command::Report(_) => ("report", "chart files"),
        Command::Import(MlflowCommand::Mlflow(_)) => ("import mlflow", "reading MLflow stores"),
        Command::Export(MlflowCommand::Mlflow(_)) => ("export mlflow", "writing MLflow stores"),
        Command::Tour
        | Command::Init { .. }
        | Command::Demo { .. }
        | Command::Status(_)
        | Command::Data(_)
        | Command::Profile { .. }
        | Command::Check(_)
        | Command::Train { .. }
        | Command::Runs { .. }
        | Command::Compare { .. }
        | Command::Reproduce { .. }
        | Command::Validate { .. } => ("", "nothing"),
    }
}
