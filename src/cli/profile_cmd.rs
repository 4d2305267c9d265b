//! `mlwb profile DATASET|PATH`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use serde_json::json;

use crate::checks::quality::{self, Alert, Level};
use crate::data::profile::ColumnProfile;
use crate::workspace::{Workspace, discover};

/// Profiles a dataset or file and prints statistics and alerts.
pub fn run(
    flag: Option<&Path>,
    source: &str,
    target: Option<&str>,
    columns: &[String],
    as_json: bool,
    fail_on: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let (path, ws) = locate(flag, source)?;
    let started = Instant::now();
    let problem_target = ws
        .as_ref()
        .and_then(|w| {
            crate::workspace::files::read_toml::<crate::problem::Problem>(&w.problem_path())
                .ok()
                .flatten()
        })
        .and_then(|p| p.target);
    let wanted = target.map(str::to_owned).or(problem_target);
    let fp = quality::profile_file(&path, columns, wanted.as_deref())?;
    let (profiles, alerts, target) = (&fp.columns, &fp.alerts, &fp.target);
    let seconds = started.elapsed().as_secs_f64();
    if let Some(w) = ws.as_ref()
        && columns.is_empty()
        && crate::data::dataset::load(w, source).file.as_deref() == Some(path.as_path())
    {
        let hash = crate::data::versions::hash_file(&path)?;
        crate::checks::quality::save_summary(w, source, &hash, alerts)?;
    }
    let mut out = io::stdout().lock();
    if as_json {
        let mut doc = json!({"file": path, "rows": fp.rows, "columns": profiles, "alerts": alerts, "target": target, "seconds": seconds});
        if let Some(n) = fp.sample_rows {
            doc["sample_rows"] = json!(n);
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        print_text(&mut out, &path, &fp, seconds)?;
    }
    let level = match fail_on {
        Some("error") => Some(Level::Error),
        Some("warning") => Some(Level::Warning),
        _ => None,
    };
    let failed = level.is_some_and(|l| alerts.iter().any(|a| a.level >= l));
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// A workspace dataset by name, else a path.
fn locate(flag: Option<&Path>, source: &str) -> anyhow::Result<(PathBuf, Option<Workspace>)> {
    let as_path = PathBuf::from(source);
    let ws = match flag {
        Some(_) => Some(super::resolve(flag)?),
        None => std::env::current_dir()
            .ok()
            .and_then(|cwd| discover::nearest_ancestor(&cwd))
            .map(Workspace::at)
            .or_else(|| {
                std::env::var_os(discover::ENV_WORKSPACE).map(|w| Workspace::at(PathBuf::from(w)))
            }),
    };
    if as_path.is_file() {
        return Ok((as_path, ws));
    }
    let looks_like_path = source.contains('/') || source.contains('.');
    if let Some(w) = ws.as_ref().filter(|_| !looks_like_path) {
        if let Some(file) = crate::data::dataset::load(w, source).file {
            return Ok((file, ws));
        }
        anyhow::bail!("no dataset {source:?} in {} and no such file", w.data_dir().display());
    }
    anyhow::bail!("{source}: no such file")
}

fn print_text(
    out: &mut impl Write,
    path: &Path,
    fp: &quality::FileProfile,
    seconds: f64,
) -> io::Result<()> {
    let (profiles, alerts): (&[ColumnProfile], &[Alert]) = (&fp.columns, &fp.alerts);
    writeln!(
        out,
        "Profile of {}: {} rows × {} columns, {seconds:.2} s",
        path.display(),
        fp.rows,
        profiles.len()
    )?;
    if let Some(n) = fp.sample_rows {
        writeln!(
            out,
            "The file is larger than the profile's memory budget: counts, missing values, mean, \
             std, min, max and skewness cover every row; quantiles, histograms, distinct and top \
             values and the alerts come from a uniform sample of {n} rows \
             (MLWB_PROFILE_MEMORY_MB raises the budget)."
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<24} {:<11} {:>9} {:>8} {:>12} {:>12} {:>12} {:>12}",
        "COLUMN", "KIND", "MISSING", "DISTINCT", "MEAN", "STD", "MIN", "MAX"
    )?;
    for p in profiles {
        let (mean, std, min, max) = match &p.numeric {
            Some(s) => (fmt(s.mean), fmt(s.std), fmt(s.min), fmt(s.max)),
            None => Default::default(),
        };
        let kind = serde_json::to_value(p.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        writeln!(
            out,
            "{:<24} {kind:<11} {:>9} {:>8} {mean:>12} {std:>12} {min:>12} {max:>12}",
            p.name, p.missing, p.distinct
        )?;
    }
    writeln!(out)?;
    if alerts.is_empty() {
        writeln!(out, "No alerts.")?;
    }
    for a in alerts {
        let evidence: Vec<String> = a
            .evidence
            .iter()
            .map(|(k, v)| format!("{k} {}", crate::checks::finding::format_number(*v)))
            .collect();
        let cols =
            if a.columns.is_empty() { "(all rows)".to_owned() } else { a.columns.join(", ") };
        writeln!(
            out,
            "{:<8} {:<18} {cols}  [{}]",
            a.level.label().to_uppercase(),
            a.alert,
            evidence.join(", ")
        )?;
        writeln!(out, "         fix: {}", a.fix)?;
    }
    Ok(())
}

fn fmt(v: f64) -> String {
    if v.abs() >= 1e6 || (v != 0.0 && v.abs() < 1e-3) {
        format!("{v:.3e}")
    } else {
        format!("{v:.3}")
    }
}
