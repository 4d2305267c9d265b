//! `mlwb data list|approve|set|versions`.

use std::io::{self, Write};
use std::process::ExitCode;

use chrono::Utc;
use serde_json::json;

use super::DataCommand;
use crate::data::card::{self, Approval};
use crate::data::dataset::{self, Dataset};
use crate::snapshot::{Part, Snapshot, load_part};
use crate::workspace::Workspace;

/// Runs one `mlwb data` command.
pub fn run(ws: &Workspace, cmd: DataCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        DataCommand::List(f) => list(ws, f.json),
        DataCommand::Approve { dataset, by, purpose, note } => {
            approve(ws, &dataset, by, purpose, note)
        }
        DataCommand::Versions { dataset, json } => versions(ws, &dataset, json),
        DataCommand::Set { dataset, field, value } => set(ws, &dataset, &field, &value),
    }
}

fn load_datasets(ws: &Workspace) -> anyhow::Result<Vec<Dataset>> {
    let mut snap = Snapshot::default();
    snap.apply(load_part(ws, &Part::Datasets));
    if let Some(e) = snap.part_errors.values().next() {
        anyhow::bail!("{e}");
    }
    Ok(snap.datasets.into_values().collect())
}

fn list(ws: &Workspace, as_json: bool) -> anyhow::Result<ExitCode> {
    let datasets = load_datasets(ws)?;
    let mut out = io::stdout().lock();
    if as_json {
        let rows: Vec<_> = datasets.iter().map(dataset_json).collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
    } else if datasets.is_empty() {
        writeln!(out, "No datasets. Put a CSV or Parquet file in {}.", ws.data_dir().display())?;
    } else {
        writeln!(out, "{:<20} {:>9} {:>5}  {:<9} APPROVAL", "DATASET", "ROWS", "COLS", "VERSION")?;
        for d in &datasets {
            let (rows, cols, hash) = d
                .latest_version()
                .map(|v| (v.rows.to_string(), v.cols.to_string(), v.short_hash().to_owned()))
                .unwrap_or_else(|| ("?".into(), d.columns.len().to_string(), "-".into()));
            writeln!(out, "{:<20} {rows:>9} {cols:>5}  {hash:<9} {}", d.name, approval_text(d))?;
        }
    }
    let mut failed = false;
    for e in datasets.iter().flat_map(|d| d.errors.iter()) {
        eprintln!("error: {e}");
        failed = true;
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn approval_text(d: &Dataset) -> String {
    match &d.card {
        None => "no card".into(),
        Some(c) => match c.latest_approval() {
            Some(a) => format!("approved for {:?} by {}", a.purpose, a.by),
            None => "not approved".into(),
        },
    }
}

fn dataset_json(d: &Dataset) -> serde_json::Value {
    json!({
        "name": d.name,
        "file": d.file,
        "columns": d.columns,
        "latest_version": d.latest_version(),
        "versions": d.versions.len(),
        "approved": d.is_approved(),
        "approval": d.card.as_ref().and_then(|c| c.latest_approval()),
        "errors": d.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

fn approve(
    ws: &Workspace,
    name: &str,
    by: String,
    purpose: String,
    note: String,
) -> anyhow::Result<ExitCode> {
    let d = dataset::load(ws, name);
    if d.file.is_none() && d.card.is_none() {
        anyhow::bail!(
            "no dataset {name:?} in {}; `mlwb data list` shows the names",
            ws.data_dir().display()
        );
    }
    let approval = Approval { purpose, by, at: Utc::now(), note, extra: toml::Table::new() };
    card::approve(ws, name, approval)?;
    writeln!(io::stdout().lock(), "Approved {name}; the card is {}", ws.card_path(name).display())?;
    Ok(ExitCode::SUCCESS)
}

fn set(ws: &Workspace, name: &str, field: &str, value: &str) -> anyhow::Result<ExitCode> {
    let d = dataset::load(ws, name);
    if d.file.is_none() && d.card.is_none() {
        anyhow::bail!(
            "no dataset {name:?} in {}; `mlwb data list` shows the names",
            ws.data_dir().display()
        );
    }
    let columns = d.file.as_deref().and_then(|f| crate::data::load::column_names(f).ok());
    card::update(ws, name, field, value, columns.as_deref())?;
    writeln!(
        io::stdout().lock(),
        "Set {field} of {name}; the card is {}",
        ws.card_path(name).display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn versions(ws: &Workspace, name: &str, as_json: bool) -> anyhow::Result<ExitCode> {
    let d = dataset::load(ws, name);
    if d.file.is_none() {
        anyhow::bail!("no data file for dataset {name:?} in {}", ws.data_dir().display());
    }
    if let Some(e) = d.errors.first() {
        anyhow::bail!("{e}");
    }
    dataset::record_version(ws, &d)?;
    let d = dataset::load(ws, name);
    let mut out = io::stdout().lock();
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&d.versions)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{:<9} {:<25} {:>9} {:>5} {:>11}",
        "HASH", "FIRST SEEN", "ROWS", "COLS", "BYTES"
    )?;
    for v in &d.versions {
        let time = v.time.format("%Y-%m-%d %H:%M:%S UTC");
        writeln!(
            out,
            "{:<9} {time:<25} {:>9} {:>5} {:>11}",
            v.short_hash(),
            v.rows,
            v.cols,
            v.bytes
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
