//! The command line: argument types (clap) and dispatch to one module per command group.

mod check_cmd;
mod data_cmd;
mod experiment_cmd;
mod pending;
mod profile_cmd;
mod status;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::workspace::Workspace;
use crate::workspace::discover::{self, Origin};

/// mlwb — a terminal workbench for the whole machine-learning workflow.
///
/// With no command, opens the TUI on the workspace found by --workspace, MLWB_WORKSPACE, the
/// nearest folder upwards holding mlwb.toml, or else the demo workspace.
#[derive(Debug, Parser)]
#[command(name = "mlwb", version, about, long_about)]
pub struct Cli {
    /// The workspace folder to use.
    #[arg(long, global = true, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the TUI in the guided tour.
    Tour,
    /// Create an empty workspace.
    Init {
        /// Folder to create the workspace in.
        dir: PathBuf,
        /// Workspace name (default: the folder name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Create a populated demo workspace from the sample data built into mlwb.
    Demo {
        /// Folder to create it in (default: the demo folder in the platform data directory).
        dir: Option<PathBuf>,
    },
    /// Show the nine stages, their state and the next action.
    Status(JsonFlag),
    /// Datasets, approvals and content versions.
    #[command(subcommand)]
    Data(DataCommand),
    /// Column profiles and quality alerts of a dataset or file.
    Profile {
        /// A workspace dataset name, or the path of any CSV or Parquet file.
        source: String,
        /// The target column, for label checks (default: the problem's target).
        #[arg(long, value_name = "COL")]
        target: Option<String>,
        /// Only these columns.
        #[arg(long, value_name = "COL", num_args = 1..)]
        columns: Vec<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Exit 1 when an alert at this level exists.
        #[arg(long, value_name = "LEVEL", value_parser = ["error", "warning"])]
        fail_on: Option<String>,
    },
    /// Checks that find problems before training.
    #[command(subcommand)]
    Check(CheckCommand),
    /// Train an experiment spec and record the run.
    Train {
        /// The spec name (experiments/<name>.toml).
        experiment: String,
        /// Print the run record as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List runs, newest first.
    Runs {
        /// Keep runs matching this filter, e.g. "model = tree and metrics.f1 > 0.6".
        #[arg(long, value_name = "EXPR")]
        filter: Option<String>,
        /// Sort by this metric, best first.
        #[arg(long, value_name = "METRIC")]
        sort: Option<String>,
        /// Use a saved view (its filter and sort).
        #[arg(long, value_name = "NAME", conflicts_with = "save_view")]
        view: Option<String>,
        /// Save --filter and --sort as a view with this name.
        #[arg(long, value_name = "NAME")]
        save_view: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Compare runs side by side, showing only what differs.
    Compare {
        /// Runs to compare (ids or unique prefixes).
        #[arg(required = true, num_args = 1..)]
        runs: Vec<String>,
        /// The run the others are measured against (default: the first).
        #[arg(long)]
        baseline: Option<String>,
        /// Output format.
        #[arg(long, default_value = "table", value_parser = ["table", "md", "csv", "json"])]
        format: String,
        /// Show fields that are the same in every run too.
        #[arg(long)]
        all: bool,
    },
    /// Retrain a run and verify the result is identical.
    Reproduce {
        /// The run id (or a unique prefix).
        run: String,
    },
    /// Apply the validation gates to a run.
    Validate {
        /// The run id (or a unique prefix).
        run: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Register, approve, promote, roll back, diff and log model versions.
    Registry(Pending),
    /// Serve predictions over HTTP on loopback, logged for monitoring.
    Serve(Pending),
    /// Send simulated traffic, with optional drift.
    Simulate(Pending),
    /// Drift, skew, latency, errors and alerts of a served model.
    Monitor(Pending),
    /// Drift between two data files.
    Drift(Pending),
    /// Write charts as SVG or PNG files.
    Report(Pending),
    /// Import runs from an MLflow store.
    #[command(subcommand)]
    Import(MlflowCommand),
    /// Export runs to an MLflow store.
    #[command(subcommand)]
    Export(MlflowCommand),
}

/// `--json` alone.
#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of a verb whose capability is not built yet; accepted so the message is ours.
#[derive(Debug, Args)]
pub struct Pending {
    /// Arguments (this command is not available yet).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub args: Vec<String>,
}

/// `mlwb data ...`.
#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// List the datasets with their size, card and approval.
    List(JsonFlag),
    /// Approve a dataset for a stated use (creates the card if needed).
    Approve {
        /// Dataset name.
        dataset: String,
        /// Who approves.
        #[arg(long)]
        by: String,
        /// The use that is approved, such as "churn prediction".
        #[arg(long = "for", value_name = "USE")]
        purpose: String,
        /// A note: conditions, reasons.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Set one field of a dataset's card (creates the card if needed).
    Set {
        /// Dataset name.
        dataset: String,
        /// source, owner, description, column.NAME or available.NAME.
        field: String,
        /// The new value (for available.NAME: yes, no or unknown).
        value: String,
    },
    /// Show the content versions of a dataset (recording a new one if the file changed).
    Versions {
        /// Dataset name.
        dataset: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// `mlwb check ...`.
#[derive(Debug, Subcommand)]
pub enum CheckCommand {
    /// Leakage findings (use --fail-on high in CI).
    Leakage(LeakageArgs),
}

/// `mlwb check leakage`.
#[derive(Debug, Args)]
pub struct LeakageArgs {
    /// A workspace dataset (default: the problem's dataset).
    #[arg(long, conflicts_with_all = ["file", "train", "experiment"])]
    pub dataset: Option<String>,
    /// Any CSV or Parquet file, inside a workspace or not.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["train", "experiment"])]
    pub file: Option<PathBuf>,
    /// A training file, checked against --test.
    #[arg(long, value_name = "FILE", requires = "test", conflicts_with = "experiment")]
    pub train: Option<PathBuf>,
    /// A test file, checked against --train.
    #[arg(long, value_name = "FILE", requires = "train")]
    pub test: Option<PathBuf>,
    /// What an experiment spec would train on: its features and its split.
    #[arg(long, value_name = "SPEC")]
    pub experiment: Option<String>,
    /// The target column (default: from problem.toml or the spec).
    #[arg(long, value_name = "COL")]
    pub target: Option<String>,
    /// The time column, for temporal checks.
    #[arg(long, value_name = "COL")]
    pub time_column: Option<String>,
    /// The entity column, for group overlap.
    #[arg(long, value_name = "COL")]
    pub group_column: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Exit 1 when open findings at or above this level exist.
    #[arg(long, value_name = "LEVEL", value_parser = ["high", "medium", "info"])]
    pub fail_on: Option<String>,
}

/// `mlwb import mlflow` / `mlwb export mlflow`.
#[derive(Debug, Subcommand)]
pub enum MlflowCommand {
    /// An MLflow tracking store.
    Mlflow(Pending),
}

/// What a command asks of `main`: an exit code, or to open the TUI.
#[derive(Debug)]
pub enum Outcome {
    /// Exit with this code.
    Exit(ExitCode),
    /// Open the TUI on this workspace, optionally in the tour.
    Tui {
        /// The workspace.
        ws: Workspace,
        /// Start in the guided tour.
        tour: bool,
    },
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let flag = cli.workspace.as_deref();
    let code = match cli.command {
        None => return Ok(Outcome::Tui { ws: resolve(flag)?, tour: false }),
        Some(Command::Tour) => return Ok(Outcome::Tui { ws: resolve(flag)?, tour: true }),
        Some(Command::Init { dir, name }) => init(&dir, name.as_deref())?,
        Some(Command::Demo { dir }) => demo(dir.as_deref())?,
        Some(Command::Status(f)) => status::run(&resolve(flag)?, f.json)?,
        Some(Command::Data(cmd)) => data_cmd::run(&resolve(flag)?, cmd)?,
        Some(Command::Check(CheckCommand::Leakage(args))) => check_cmd::leakage(flag, &args)?,
        Some(Command::Profile { source, target, columns, json, fail_on }) => {
            profile_cmd::run(flag, &source, target.as_deref(), &columns, json, fail_on.as_deref())?
        }
        Some(Command::Train { experiment, json }) => {
            experiment_cmd::train(&resolve(flag)?, &experiment, json)?
        }
        Some(Command::Runs { filter, sort, view, save_view, json }) => {
            let opts = experiment_cmd::RunsOptions { filter, sort, view, save_view, json };
            experiment_cmd::runs(&resolve(flag)?, opts)?
        }
        Some(Command::Compare { runs, baseline, format, all }) => {
            experiment_cmd::compare(&resolve(flag)?, &runs, baseline.as_deref(), &format, all)?
        }
        Some(Command::Reproduce { run }) => experiment_cmd::reproduce(&resolve(flag)?, &run)?,
        Some(Command::Validate { run, json }) => {
            experiment_cmd::validate(&resolve(flag)?, &run, json)?
        }
        Some(other) => pending::refuse(&other),
    };
    Ok(Outcome::Exit(code))
}

/// Finds the workspace by the discovery order, creating the demo workspace on first use.
pub fn resolve(flag: Option<&Path>) -> anyhow::Result<Workspace> {
    let cwd = std::env::current_dir()?;
    let located = discover::locate(flag, &cwd)?;
    if located.origin == Origin::Demo && !located.root.join(crate::workspace::MANIFEST).exists() {
        crate::demo::create(&located.root)?;
    }
    let (ws, _manifest) = Workspace::open(&located.root).map_err(|e| {
        let hint = match located.origin {
            Origin::Flag => " (from --workspace)",
            Origin::Env => " (from MLWB_WORKSPACE)",
            Origin::Ancestor | Origin::Demo => "",
        };
        anyhow::anyhow!("{e}{hint}")
    })?;
    Ok(ws)
}

fn init(dir: &Path, name: Option<&str>) -> anyhow::Result<ExitCode> {
    let default_name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("workspace");
    let ws = Workspace::init(dir, name.unwrap_or(default_name))?;
    let mut out = io::stdout().lock();
    writeln!(out, "Created an empty workspace in {}", ws.root().display())?;
    writeln!(
        out,
        "Next: put a CSV or Parquet file in {}, then run `mlwb`.",
        ws.data_dir().display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn demo(dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    let root = match dir {
        Some(d) => d.to_path_buf(),
        None => discover::demo_dir()?,
    };
    let ws = crate::demo::create(&root)?;
    let mut out = io::stdout().lock();
    writeln!(out, "Created the demo workspace in {}", ws.root().display())?;
    writeln!(out, "Open it with `mlwb --workspace {}`.", ws.root().display())?;
    Ok(ExitCode::SUCCESS)
}
