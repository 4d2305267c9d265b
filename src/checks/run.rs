//! Running the leakage checks on workspace datasets, files, train/test pairs and experiment
//! specs; saving reports pinned to a dataset version; accepting findings.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context as _, bail};
use chrono::Utc;

use super::finding::{Acceptance, Report, Thresholds};
use super::leakage::{self, Context, Outcome};
use crate::data::dataset;
use crate::data::table::{self, Table};
use crate::data::versions::{self, short_hash};
use crate::experiment::spec::ExperimentSpec;
use crate::experiment::split::{self, SplitKind};
use crate::problem::Problem;
use crate::workspace::files;
use crate::workspace::{Workspace, atomic};

/// What to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A workspace dataset by name.
    Dataset(String),
    /// Any CSV or Parquet file.
    File(PathBuf),
    /// A train and a test file.
    TrainTest(PathBuf, PathBuf),
    /// What an experiment spec would train on, with its split and features.
    Experiment(String),
}

/// Choices that override what the workspace says.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The target column.
    pub target: Option<String>,
    /// The time column.
    pub time_column: Option<String>,
    /// The entity column.
    pub group_column: Option<String>,
}

/// Thresholds from `[leakage]` in `mlwb.toml`, else the defaults.
pub fn thresholds(ws: Option<&Workspace>) -> anyhow::Result<Thresholds> {
    let Some(ws) = ws else { return Ok(Thresholds::default()) };
    let Some(manifest) =
        files::read_toml::<crate::workspace::manifest::Manifest>(&ws.manifest_path())?
    else {
        return Ok(Thresholds::default());
    };
    match manifest.extra.get("leakage") {
        Some(value) => value
            .clone()
            .try_into()
            .map_err(|e| anyhow::anyhow!("{}: [leakage]: {e}", ws.manifest_path().display())),
        None => Ok(Thresholds::default()),
    }
}

fn problem(ws: Option<&Workspace>) -> Option<Problem> {
    ws.and_then(|w| files::read_toml::<Problem>(&w.problem_path()).ok().flatten())
}

/// Runs the checks; the report is not saved.
pub fn run(ws: Option<&Workspace>, input: &Input, opts: &Options) -> anyhow::Result<Report> {
    let started = Instant::now();
    let t = thresholds(ws)?;
    let problem = problem(ws);
    let mut report = match input {
        Input::Dataset(name) => {
            let ws = ws.context("--dataset needs a workspace; use --file outside one")?;
            run_dataset(ws, name, problem.as_ref(), opts, &t)?
        }
        Input::File(path) => run_file(path, problem.as_ref(), opts, &t)?,
        Input::TrainTest(train, test) => run_pair(train, test, problem.as_ref(), opts, &t)?,
        Input::Experiment(name) => {
            let ws = ws.context("--experiment needs a workspace")?;
            run_experiment(ws, name, problem.as_ref(), opts, &t)?
        }
    };
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn read_table(path: &Path) -> anyhow::Result<Table> {
    if !path.is_file() {
        bail!("{}: no such file", path.display());
    }
    Ok(table::read(path)?)
}

/// `--target`, else the problem's target when this data has that column.
fn target_for(opts: &Options, problem: Option<&Problem>, table: &Table) -> anyhow::Result<String> {
    if let Some(t) = &opts.target {
        return Ok(t.clone());
    }
    match problem.and_then(|p| p.target.clone()) {
        Some(t) if table.column(&t).is_some() => Ok(t),
        Some(t) => bail!("the problem's target {t:?} is not a column here; pass --target COLUMN"),
        None => bail!("no target: pass --target COLUMN (or set `target` in problem.toml)"),
    }
}

fn base_context(
    target: String,
    opts: &Options,
    problem: Option<&Problem>,
    same_dataset: bool,
) -> Context {
    let from_problem =
        |f: fn(&Problem) -> Option<String>| if same_dataset { problem.and_then(f) } else { None };
    Context {
        target,
        group_column: opts
            .group_column
            .clone()
            .or_else(|| from_problem(|p| p.entity_column.clone())),
        time_column: opts.time_column.clone().or_else(|| from_problem(|p| p.time_column.clone())),
        ..Context::default()
    }
}

/// Columns not known at prediction time: marked so on the card, or (for the problem's own
/// dataset) absent from the problem's list of available columns.
fn unavailable(
    table: &Table,
    card: Option<&crate::data::card::DatasetCard>,
    problem: Option<&Problem>,
    target: &str,
) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = card
        .map(|c| c.unavailable_columns().into_iter().map(str::to_owned).collect())
        .unwrap_or_default();
    if let Some(p) = problem.filter(|p| !p.available_at_prediction.is_empty()) {
        for name in table.names() {
            if name != target && !p.available_at_prediction.iter().any(|a| a == name) {
                out.insert(name.to_owned());
            }
        }
    }
    out
}

fn new_report(
    mode: &str,
    files: Vec<String>,
    hash: String,
    target: &str,
    table: &Table,
    t: &Thresholds,
    outcome: Outcome,
) -> Report {
    Report {
        format: files::Format::default(),
        mode: mode.to_owned(),
        dataset: None,
        experiment: None,
        files,
        hash,
        target: target.to_owned(),
        created: Utc::now(),
        rows: table.rows(),
        columns: table.columns.len(),
        thresholds: t.clone(),
        pps: outcome.pps,
        findings: outcome.findings,
        accepted: Vec::new(),
        seconds: 0.0,
        extra: serde_json::Map::new(),
    }
}

fn run_dataset(
    ws: &Workspace,
    name: &str,
    problem: Option<&Problem>,
    opts: &Options,
    t: &Thresholds,
) -> anyhow::Result<Report> {
    crate::workspace::names::validate(name)?;
    let d = dataset::load(ws, name);
    let Some(file) = d.file.clone() else {
        bail!(
            "no dataset {name:?} in {}; `mlwb data list` shows the names",
            ws.data_dir().display()
        );
    };
    let table = read_table(&file)?;
    let same = problem.and_then(|p| p.dataset.as_deref()) == Some(name);
    let target = target_for(opts, problem, &table)?;
    let mut ctx = base_context(target.clone(), opts, problem, same);
    ctx.unavailable = unavailable(&table, d.card.as_ref(), problem.filter(|_| same), &target);
    let outcome = leakage::check_dataset(&table, &ctx, t)?;
    let hash = versions::hash_file(&file)?;
    dataset::record_version(ws, &d)?;
    let mut report =
        new_report("dataset", vec![file.display().to_string()], hash, &target, &table, t, outcome);
    report.dataset = Some(name.to_owned());
    report.accepted = previous_acceptances(ws, name);
    Ok(report)
}

fn run_file(
    path: &Path,
    problem: Option<&Problem>,
    opts: &Options,
    t: &Thresholds,
) -> anyhow::Result<Report> {
    let table = read_table(path)?;
    let target = target_for(opts, problem, &table)?;
    let ctx = base_context(target.clone(), opts, problem, false);
    let outcome = leakage::check_dataset(&table, &ctx, t)?;
    let hash = versions::hash_file(path)?;
    Ok(new_report("dataset", vec![path.display().to_string()], hash, &target, &table, t, outcome))
}

fn run_pair(
    train: &Path,
    test: &Path,
    problem: Option<&Problem>,
    opts: &Options,
    t: &Thresholds,
) -> anyhow::Result<Report> {
    let (a, b) = (read_table(train)?, read_table(test)?);
    let target = target_for(opts, problem, &a)?;
    let mut ctx = base_context(target.clone(), opts, problem, false);
    ctx.time_split = ctx.time_column.is_some();
    let outcome = leakage::check_split(&a, &b, &ctx, t)?;
    let hash = versions::hash_file(train)?;
    let files = vec![train.display().to_string(), test.display().to_string()];
    Ok(new_report("train_test", files, hash, &target, &a, t, outcome))
}

fn run_experiment(
    ws: &Workspace,
    name: &str,
    problem: Option<&Problem>,
    opts: &Options,
    t: &Thresholds,
) -> anyhow::Result<Report> {
    crate::workspace::names::validate(name)?;
    let path = ws.experiment_path(name);
    let spec: ExperimentSpec = files::read_toml(&path)?
        .with_context(|| format!("{}: no such experiment spec", path.display()))?;
    let d = dataset::load(ws, &spec.dataset);
    let file = d.file.clone().with_context(|| {
        format!("{}: dataset {:?} has no data file", path.display(), spec.dataset)
    })?;
    let table = read_table(&file)?;
    let target = opts.target.clone().unwrap_or_else(|| spec.target.clone());
    let same = problem.and_then(|p| p.dataset.as_deref()) == Some(spec.dataset.as_str());
    let mut ctx = base_context(target.clone(), opts, problem, same);
    ctx.unavailable = unavailable(&table, d.card.as_ref(), problem.filter(|_| same), &target);
    ctx.features = resolve_features(&table, &spec, &target);
    let kind = SplitKind::parse(&spec.split.kind)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let column = spec.split.column.clone();
    if kind == SplitKind::Group {
        ctx.group_column = column.clone().or(ctx.group_column);
    }
    if kind == SplitKind::Time {
        ctx.time_column = column.clone().or(ctx.time_column);
        ctx.time_split = true;
    }
    let parts = split::split(
        &table,
        &target,
        kind,
        spec.split.test_fraction,
        spec.split.seed,
        column.as_deref(),
    )
    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut outcome =
        leakage::check_split(&table.take(&parts.train), &table.take(&parts.test), &ctx, t)?;
    outcome.findings.extend(preprocessing_fits(ws, name));
    let hash = versions::hash_file(&file)?;
    let mut report = new_report(
        "experiment",
        vec![file.display().to_string()],
        hash,
        &target,
        &table,
        t,
        outcome,
    );
    report.dataset = Some(spec.dataset.clone());
    report.experiment = Some(name.to_owned());
    Ok(report)
}

/// The spec's features: its include list, else every column but the target, minus excludes.
pub fn resolve_features(table: &Table, spec: &ExperimentSpec, target: &str) -> Vec<String> {
    let base: Vec<String> = if spec.features.include.is_empty() {
        table.names().into_iter().filter(|n| *n != target).map(str::to_owned).collect()
    } else {
        spec.features.include.clone()
    };
    base.into_iter().filter(|f| !spec.features.exclude.contains(f)).collect()
}

/// `checks/<dataset>-<hash8>.json`.
pub fn report_path(ws: &Workspace, dataset: &str, hash: &str) -> PathBuf {
    ws.checks_dir().join(format!("{dataset}-{}.json", short_hash(hash)))
}

/// Saves a dataset report in `checks/`; other modes are not pinned to a workspace dataset.
pub fn save(ws: &Workspace, report: &Report) -> anyhow::Result<Option<PathBuf>> {
    let Some(dataset) = report.dataset.as_deref().filter(|_| report.mode == "dataset") else {
        return Ok(None);
    };
    std::fs::create_dir_all(ws.checks_dir())?;
    let path = report_path(ws, dataset, &report.hash);
    atomic::write_json(&path, report)?;
    Ok(Some(path))
}

/// Reports of a dataset, newest first.
pub fn reports_of(ws: &Workspace, dataset: &str) -> Vec<(PathBuf, Report)> {
    let names =
        crate::workspace::list_files_with_suffix(&ws.checks_dir(), ".json").unwrap_or_default();
    let mut out: Vec<(PathBuf, Report)> = names
        .into_iter()
        .filter(|n| n.rsplit_once('-').is_some_and(|(d, _)| d == dataset))
        .filter_map(|n| {
            let path = ws.checks_dir().join(format!("{n}.json"));
            files::read_json::<Report>(&path).ok().flatten().map(|r| (path, r))
        })
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.1.created));
    out
}

/// Acceptances recorded on any earlier report of the dataset: a reason given once stays.
fn previous_acceptances(ws: &Workspace, dataset: &str) -> Vec<Acceptance> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (_, r) in reports_of(ws, dataset) {
        for a in r.accepted {
            if seen.insert(a.finding.clone()) {
                out.push(a);
            }
        }
    }
    out
}

/// Records that a finding is accepted, with the reason, in the report file.
pub fn accept(path: &Path, finding_id: &str, reason: &str, by: &str) -> anyhow::Result<Report> {
    if reason.trim().is_empty() {
        bail!("accepting a finding needs a reason");
    }
    let mut report: Report =
        files::read_json(path)?.with_context(|| format!("{}: no such report", path.display()))?;
    if !report.findings.iter().any(|f| f.id() == finding_id) {
        bail!("{}: no finding {finding_id:?}", path.display());
    }
    report.accepted.push(Acceptance {
        finding: finding_id.to_owned(),
        reason: reason.trim().to_owned(),
        by: by.to_owned(),
        at: Utc::now(),
    });
    atomic::write_json(path, &report)?;
    Ok(report)
}

/// Marks a column as unavailable at prediction time on the dataset's card.
pub fn mark_unavailable(ws: &Workspace, dataset: &str, column: &str) -> anyhow::Result<()> {
    crate::workspace::names::validate(dataset)?;
    let path = ws.card_path(dataset);
    let mut card = files::read_toml::<crate::data::card::DatasetCard>(&path)?.unwrap_or_default();
    card.columns.entry(column.to_owned()).or_default().available_at_prediction = Some(false);
    atomic::write_toml(&path, &card)?;
    Ok(())
}

/// Runs of the experiment whose record says preprocessing learned from more than the
/// training rows (mlwb itself always fits on the training split; a run imported or written
/// by other code may not).
fn preprocessing_fits(ws: &Workspace, experiment: &str) -> Vec<super::finding::Finding> {
    let mut snap = crate::snapshot::Snapshot::default();
    snap.apply(crate::snapshot::load_part(ws, &crate::snapshot::Part::Runs));
    snap.runs_newest_first()
        .into_iter()
        .filter(|r| r.experiment == experiment)
        .filter_map(|r| {
            let fitted = r.details.get("preprocessing")?.get("fitted_on")?.as_str()?;
            (fitted != "train").then(|| super::finding::Finding {
                check: "preprocessing_fit".into(),
                kind: super::finding::Kind::PreprocessingLeakage,
                severity: super::finding::Severity::High,
                columns: Vec::new(),
                evidence: std::collections::BTreeMap::new(),
                why: format!("Run {} fitted its preprocessing on {fitted:?}, not on the training rows alone: the scaler, imputer or encoder saw the test rows, so the test score is optimistic.", r.id),
                fix: "Fit preprocessing inside the training split (mlwb train always does) and retrain.".into(),
            })
        })
        .collect()
}
