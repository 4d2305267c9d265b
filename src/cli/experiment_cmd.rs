//! `mlwb train`, `runs`, `compare`, `reproduce` and `validate`.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use crate::experiment::compare::{self, Comparison};
use crate::experiment::run::RunRecord;
use crate::experiment::{filter, reproduce as repro, train as training, validate as gates};
use crate::snapshot::Snapshot;
use crate::workspace::Workspace;

/// Trains a spec with a progress bar on a terminal.
pub fn train(ws: &Workspace, name: &str, json: bool) -> anyhow::Result<ExitCode> {
    let show = io::stderr().is_terminal() && !json;
    let progress = |f: f64| {
        if show {
            let filled = (f * 30.0).round() as usize;
            eprint!(
                "\rtraining {name} [{}{}] {:>3.0}%",
                "#".repeat(filled),
                ".".repeat(30 - filled.min(30)),
                f * 100.0
            );
        }
    };
    let run = training::train(ws, name, &progress);
    if show {
        eprintln!();
    }
    let run = run?;
    let mut out = io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&run)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "Run {} of {} finished in {:.1} s",
        run.id,
        name,
        run.duration_secs().unwrap_or(0.0)
    )?;
    for key in ["accuracy", "f1", "roc_auc", "balanced_accuracy", "mae", "rmse", "r2"] {
        if let Some(v) = run.metrics.get(key) {
            writeln!(out, "  {key:<18} {v:.4}")?;
        }
    }
    writeln!(out, "Recorded in {}", ws.runs_dir().join(&run.id).display())?;
    Ok(ExitCode::SUCCESS)
}

fn all_runs(ws: &Workspace) -> Vec<RunRecord> {
    let mut snap = Snapshot::default();
    snap.apply(crate::snapshot::load_part(ws, &crate::snapshot::Part::Runs));
    snap.runs_newest_first().into_iter().cloned().collect()
}

/// Finds a run by id or unique prefix.
fn find(runs: &[RunRecord], key: &str) -> anyhow::Result<RunRecord> {
    if let Some(r) = runs.iter().find(|r| r.id == key) {
        return Ok(r.clone());
    }
    let hits: Vec<&RunRecord> =
        runs.iter().filter(|r| r.id.starts_with(key) || r.id.ends_with(key)).collect();
    match hits.as_slice() {
        [one] => Ok((*one).clone()),
        [] => anyhow::bail!("no run {key:?}; `mlwb runs` lists them"),
        many => anyhow::bail!(
            "{key:?} matches {} runs ({}); give more of the id",
            many.len(),
            many.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// What `mlwb runs` was asked.
#[derive(Debug, Default)]
pub struct RunsOptions {
    /// The filter expression.
    pub filter: Option<String>,
    /// The metric to sort by.
    pub sort: Option<String>,
    /// A saved view to use.
    pub view: Option<String>,
    /// Save the filter and sort under this name.
    pub save_view: Option<String>,
    /// Print JSON.
    pub json: bool,
}

/// Lists runs, filtered and sorted, from the options or a saved view; or saves a view.
pub fn runs(ws: &Workspace, mut opts: RunsOptions) -> anyhow::Result<ExitCode> {
    if let Some(name) = &opts.save_view {
        let view = crate::experiment::views::View {
            filter: opts.filter.clone().unwrap_or_default(),
            sort: opts.sort.clone(),
        };
        crate::experiment::views::save(ws, name, &view)?;
        writeln!(
            io::stdout().lock(),
            "Saved the view {name:?}; use it with `mlwb runs --view {name}` or `v` in pane 5."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(name) = &opts.view {
        let (_, manifest) = Workspace::open(ws.root())?;
        let views = crate::experiment::views::load(&manifest);
        let v = views.get(name).ok_or_else(|| {
            let known: Vec<String> = views.keys().cloned().collect();
            anyhow::anyhow!("no view {name:?}; saved views: {}", known.join(", "))
        })?;
        opts.filter = Some(v.filter.clone()).filter(|f| !f.trim().is_empty()).or(opts.filter);
        opts.sort = v.sort.clone().or(opts.sort);
    }
    let expr = opts.filter.as_deref();
    let json = opts.json;
    let parsed =
        expr.map(filter::parse).transpose().map_err(|e| anyhow::anyhow!("--filter: {e}"))?;
    let mut runs: Vec<RunRecord> = all_runs(ws)
        .into_iter()
        .filter(|r| parsed.as_ref().is_none_or(|e| filter::matches(e, r)))
        .collect();
    if let Some(metric) = &opts.sort {
        runs.sort_by(|a, b| {
            let value = |r: &RunRecord| r.metrics.get(metric).copied();
            crate::experiment::metrics::best_first(metric, value(a), value(b))
        });
    }
    let mut out = io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&runs)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if runs.is_empty() {
        writeln!(
            out,
            "No runs{}.",
            if expr.is_some() { " match the filter" } else { "; train one with `mlwb train SPEC`" }
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{:<34} {:<14} {:<14} {:<9} {:>8} {:>8}",
        "RUN", "EXPERIMENT", "MODEL", "STATUS", "F1/R2", "ACC/MAE"
    )?;
    for r in &runs {
        let main =
            r.metrics.get("f1").or(r.metrics.get("r2")).map_or("—".into(), |v| format!("{v:.4}"));
        let second = r
            .metrics
            .get("accuracy")
            .or(r.metrics.get("mae"))
            .map_or("—".into(), |v| format!("{v:.4}"));
        let model = r.tags.get("model").cloned().unwrap_or_default();
        writeln!(
            out,
            "{:<34} {:<14} {:<14} {:<9} {main:>8} {second:>8}",
            r.id,
            r.experiment,
            model,
            r.status.label()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Compares runs.
pub fn compare(
    ws: &Workspace,
    keys: &[String],
    baseline: Option<&str>,
    format: &str,
    all: bool,
) -> anyhow::Result<ExitCode> {
    let runs = all_runs(ws);
    let chosen: Vec<RunRecord> =
        keys.iter().map(|k| find(&runs, k)).collect::<anyhow::Result<_>>()?;
    let base = match baseline {
        Some(b) => {
            let id = find(&runs, b)?.id;
            chosen
                .iter()
                .position(|r| r.id == id)
                .ok_or_else(|| anyhow::anyhow!("--baseline {b:?} is not among the compared runs"))?
        }
        None => 0,
    };
    let refs: Vec<&RunRecord> = chosen.iter().collect();
    let c = compare::compare(&refs, base);
    let mut out = io::stdout().lock();
    match format {
        "json" => writeln!(out, "{}", serde_json::to_string_pretty(&c)?)?,
        "csv" => write_csv(&mut out, &c, all)?,
        "md" => write_md(&mut out, &c, all)?,
        _ => write_table(&mut out, &c, all)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn shown(c: &Comparison, all: bool) -> impl Iterator<Item = &compare::Line> {
    c.lines.iter().filter(move |l| all || l.differs)
}

fn header(c: &Comparison) -> Vec<String> {
    c.runs
        .iter()
        .enumerate()
        .map(|(i, r)| if i == c.baseline { format!("{r} (baseline)") } else { r.clone() })
        .collect()
}

fn write_table(out: &mut impl Write, c: &Comparison, all: bool) -> io::Result<()> {
    let heads = header(c);
    let rows: Vec<(String, Vec<String>)> = shown(c, all)
        .map(|l| {
            (
                format!("{}.{}", l.section, l.name),
                (0..c.runs.len()).map(|i| compare::cell(l, i, c.baseline)).collect(),
            )
        })
        .collect();
    let first = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(5).max(5);
    let widths: Vec<usize> = (0..c.runs.len())
        .map(|i| {
            rows.iter()
                .map(|r| r.1[i].chars().count())
                .chain([heads[i].chars().count()])
                .max()
                .unwrap_or(8)
        })
        .collect();
    write!(out, "{:<first$}", "FIELD")?;
    for (h, w) in heads.iter().zip(&widths) {
        write!(out, "  {h:<w$}")?;
    }
    writeln!(out)?;
    for (name, cells) in &rows {
        write!(out, "{name:<first$}")?;
        for (v, w) in cells.iter().zip(&widths) {
            write!(out, "  {v:<w$}")?;
        }
        writeln!(out)?;
    }
    if rows.is_empty() {
        writeln!(out, "The runs do not differ.")?;
    } else if !all {
        writeln!(out, "(only fields that differ; --all shows every field)")?;
    }
    Ok(())
}

fn write_md(out: &mut impl Write, c: &Comparison, all: bool) -> io::Result<()> {
    writeln!(out, "| field | {} |", header(c).join(" | "))?;
    writeln!(out, "|---|{}", "---|".repeat(c.runs.len()))?;
    for l in shown(c, all) {
        let cells: Vec<String> = (0..c.runs.len())
            .map(|i| compare::cell(l, i, c.baseline).replace('|', "\\|"))
            .collect();
        writeln!(out, "| {}.{} | {} |", l.section, l.name, cells.join(" | "))?;
    }
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn write_csv(out: &mut impl Write, c: &Comparison, all: bool) -> io::Result<()> {
    let heads: Vec<String> = c.runs.iter().map(|r| csv_field(r)).collect();
    writeln!(out, "section,field,{}", heads.join(","))?;
    for l in shown(c, all) {
        let cells: Vec<String> =
            l.values.iter().map(|v| csv_field(v.as_deref().unwrap_or(""))).collect();
        writeln!(out, "{},{},{}", l.section, csv_field(&l.name), cells.join(","))?;
    }
    Ok(())
}

/// Retrains a run and reports whether everything matched; exit 1 when not.
pub fn reproduce(ws: &Workspace, key: &str) -> anyhow::Result<ExitCode> {
    let run = find(&all_runs(ws), key)?;
    let outcome = repro::reproduce(ws, &run.id)?;
    let mut out = io::stdout().lock();
    let r = outcome.run.reproduction.as_ref();
    if r.is_some_and(|r| r.identical) {
        writeln!(
            out,
            "Run {} reproduces: identical metrics ({}) and model.json {}.",
            run.id,
            outcome.run.metrics.len(),
            crate::data::versions::short_hash(&outcome.model_hash.0)
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "Run {} does NOT reproduce: {}",
        run.id,
        r.map(|r| r.detail.as_str()).unwrap_or("")
    )?;
    Ok(ExitCode::FAILURE)
}

/// Applies the gates; exit 1 when one fails.
pub fn validate(ws: &Workspace, key: &str, json: bool) -> anyhow::Result<ExitCode> {
    let run = find(&all_runs(ws), key)?;
    let run = gates::validate(ws, &run.id)?;
    let Some(v) = run.validation else { anyhow::bail!("validation was not recorded") };
    let mut out = io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        writeln!(out, "Validation of {}:", run.id)?;
        for g in &v.gates {
            writeln!(
                out,
                "  {:<4} {:<22} {}",
                if g.passed { "pass" } else { "FAIL" },
                g.gate,
                g.detail
            )?;
        }
        writeln!(
            out,
            "{}",
            if v.passed { "Every gate passes." } else { "Not every gate passes." }
        )?;
    }
    Ok(if v.passed { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
