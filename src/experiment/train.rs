//! Training from a spec: check it, split, preprocess on the training rows, fit, measure, and
//! record the run with its artifacts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::metrics;
use super::model::{self, Model, Plan};
use super::preprocess::{self, Preprocessor};
use super::run::{CodeVersion, DataRef, RunRecord, RunStatus};
use super::spec::ExperimentSpec;
use super::split::{self, Split, SplitKind};
use super::tree::Target;
use crate::data::dataset;
use crate::data::table::{self, Table};
use crate::data::versions;
use crate::workspace::{Workspace, atomic, files, names};

/// Everything decided before fitting: data, features, classes, split.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The spec name.
    pub name: String,
    /// The spec as read.
    pub spec: ExperimentSpec,
    /// The data.
    pub table: Table,
    /// BLAKE3 of the data file.
    pub dataset_hash: String,
    /// The features, in order.
    pub features: Vec<String>,
    /// Class names (classification), sorted; `None` for regression.
    pub classes: Option<Vec<String>>,
    /// Index of the positive class for two classes.
    pub positive: usize,
    /// The split.
    pub split: Split,
    /// The folds of k-fold cross-validation; empty for a single split.
    pub folds: Vec<Split>,
    /// The model plan.
    pub plan: Plan,
    /// Preprocessing options.
    pub preprocessing: preprocess::Options,
}

/// What `model.json` holds: everything needed to predict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// Workspace format version of this file.
    #[serde(default)]
    pub format: files::Format,
    /// The target column.
    pub target: String,
    /// Input features, in order.
    pub features: Vec<String>,
    /// Class names for classification; empty for regression.
    pub classes: Vec<String>,
    /// Index of the positive class for two classes.
    pub positive: usize,
    /// Fitted preprocessing.
    pub preprocessor: Preprocessor,
    /// The fitted model.
    pub model: Model,
}

/// Reads and checks a spec and its data; every problem is reported before any fitting.
pub fn prepare(ws: &Workspace, name: &str) -> anyhow::Result<Prepared> {
    names::validate(name)?;
    let path = ws.experiment_path(name);
    let spec: ExperimentSpec = files::read_toml(&path)?
        .with_context(|| format!("{}: no such experiment spec", path.display()))?;
    prepare_spec(ws, name, spec, &path)
}

/// Like [`prepare`], for a spec already read (a run's recorded spec).
pub fn prepare_spec(
    ws: &Workspace,
    name: &str,
    spec: ExperimentSpec,
    path: &Path,
) -> anyhow::Result<Prepared> {
    let at = |msg: String| anyhow::anyhow!("{}: {msg}", path.display());
    if spec.dataset.is_empty() {
        return Err(at("dataset is missing".into()));
    }
    let d = dataset::load(ws, &spec.dataset);
    let file = d.file.clone().ok_or_else(|| {
        at(format!("dataset {:?} is not in {}", spec.dataset, ws.data_dir().display()))
    })?;
    let dataset_hash = versions::hash_file(&file)?;
    if let Some(pin) = &spec.dataset_hash
        && !dataset_hash.starts_with(pin.as_str())
    {
        return Err(at(format!(
            "dataset_hash pins {pin:?} but {} now has {}; restore that version or update the pin",
            spec.dataset,
            versions::short_hash(&dataset_hash)
        )));
    }
    let table = table::read(&file)?;
    let target = table.column(&spec.target).ok_or_else(|| {
        at(format!(
            "target {:?} is not a column of {} ({})",
            spec.target,
            spec.dataset,
            table.names().join(", ")
        ))
    })?;
    let features = resolve_features(&table, &spec, ws).map_err(at)?;
    let classes = crate::checks::pps::is_classification_target(target).then(|| class_names(target));
    let kind = SplitKind::parse(&spec.split.kind).map_err(at)?;
    let column = spec.split.column.as_deref();
    let mut split =
        split::split(&table, &spec.target, kind, spec.split.test_fraction, spec.split.seed, column)
            .map_err(|e| at(format!("split: {e}")))?;
    // Rows without a target can be neither learned from nor scored.
    split.train.retain(|i| !target.is_null(*i));
    split.test.retain(|i| !target.is_null(*i));
    if let Some(classes) = &classes {
        check_classes(target, &split, classes).map_err(at)?;
    }
    let mut folds = Vec::new();
    if kind == SplitKind::KFold {
        let k = spec.split.folds.unwrap_or(5);
        if !(2..=50).contains(&k) {
            return Err(at(format!("split.folds must be from 2 to 50, not {k}")));
        }
        folds = split::kfold(target, k, spec.split.seed, classes.is_some());
        for f in &mut folds {
            f.train.retain(|i| !target.is_null(*i));
            f.test.retain(|i| !target.is_null(*i));
            if let Some(classes) = &classes {
                check_classes(target, f, classes).map_err(at)?;
            }
        }
    }
    let preprocessing: preprocess::Options = toml::Value::Table(spec.preprocessing.clone())
        .try_into()
        .map_err(|e| at(format!("preprocessing: {e}")))?;
    Preprocessor::fit(&table, &features, &split.train, &preprocessing).map_err(at)?;
    let plan =
        model::plan(&spec.model.kind, &spec.model.params, spec.seed, features.len()).map_err(at)?;
    match (plan.classifies(), classes.is_some()) {
        (Some(true), false) => {
            return Err(at(format!(
                "model.kind {:?} classifies, but target {:?} holds numbers; use linear_regression, ridge or a tree",
                spec.model.kind, spec.target
            )));
        }
        (Some(false), true) => {
            return Err(at(format!(
                "model.kind {:?} predicts numbers, but target {:?} holds classes; use logistic_regression, gaussian_nb or a tree",
                spec.model.kind, spec.target
            )));
        }
        _ => {}
    }
    if let Some(slice) = &spec.slice_column
        && table.column(slice).is_none()
    {
        return Err(at(format!("slice_column {slice:?} is not a column of {}", spec.dataset)));
    }
    let positive = classes.as_ref().map_or(0, |c| positive_class(c, target, &split.train));
    Ok(Prepared {
        name: name.to_owned(),
        spec,
        table,
        dataset_hash,
        features,
        classes,
        positive,
        split,
        folds,
        plan,
        preprocessing,
    })
}

fn resolve_features(
    table: &Table,
    spec: &ExperimentSpec,
    ws: &Workspace,
) -> Result<Vec<String>, String> {
    for (field, list) in
        [("features.include", &spec.features.include), ("features.exclude", &spec.features.exclude)]
    {
        if let Some(bad) = list.iter().find(|c| table.column(c).is_none()) {
            return Err(format!("{field}: {bad:?} is not a column of {}", spec.dataset));
        }
    }
    if spec.features.include.contains(&spec.target) {
        return Err(format!(
            "features.include lists the target {:?}; a model cannot use its own answer",
            spec.target
        ));
    }
    let unavailable: Vec<String> = dataset::load(ws, &spec.dataset)
        .card
        .map(|c| c.unavailable_columns().into_iter().map(str::to_owned).collect())
        .unwrap_or_default();
    let features: Vec<String> = if spec.features.include.is_empty() {
        table
            .names()
            .into_iter()
            .filter(|n| *n != spec.target && !unavailable.iter().any(|u| u == n))
            .map(str::to_owned)
            .collect()
    } else {
        spec.features.include.clone()
    };
    let features: Vec<String> =
        features.into_iter().filter(|f| !spec.features.exclude.contains(f)).collect();
    if features.is_empty() {
        return Err("features: nothing left to train on after include/exclude".into());
    }
    Ok(features)
}

fn class_names(target: &crate::data::table::Column) -> Vec<String> {
    let mut names: Vec<String> = (0..target.len()).filter_map(|i| target.text(i)).collect();
    names.sort();
    names.dedup();
    names
}

fn check_classes(
    target: &crate::data::table::Column,
    split: &Split,
    classes: &[String],
) -> Result<(), String> {
    if classes.len() < 2 {
        return Err(format!(
            "target {:?} has a single class; there is nothing to learn",
            target.name
        ));
    }
    let in_train: std::collections::HashSet<String> =
        split.train.iter().filter_map(|&i| target.text(i)).collect();
    if let Some(missing) = classes.iter().find(|c| !in_train.contains(*c)) {
        return Err(format!(
            "split: class {missing:?} of {:?} has no training rows; use split.kind = \"stratified\" or more data",
            target.name
        ));
    }
    Ok(())
}

/// The positive class of a binary target: a conventional name if there is one, else the
/// rarer class in training.
fn positive_class(
    classes: &[String],
    target: &crate::data::table::Column,
    train: &[usize],
) -> usize {
    if classes.len() != 2 {
        return 0;
    }
    let conventional = ["yes", "true", "1", "1.0", "positive", "y"];
    if let Some(i) = classes.iter().position(|c| conventional.contains(&c.to_lowercase().as_str()))
    {
        return i;
    }
    let first =
        train.iter().filter(|&&i| target.text(i).as_deref() == Some(classes[0].as_str())).count();
    usize::from(first * 2 > train.len())
}

/// A fitted model with its measurements.
#[derive(Debug, Clone)]
pub struct Fitted {
    /// What `model.json` holds.
    pub model_file: ModelFile,
    /// Overall metrics.
    pub metrics: BTreeMap<String, f64>,
    /// Confusion matrix, per class, per slice, residuals, split sizes.
    pub details: serde_json::Map<String, Value>,
    /// Importance per input feature.
    pub importances: BTreeMap<String, f64>,
    /// Holdout predictions: row, truth, prediction, probability of each class.
    pub predictions: Vec<PredictionRow>,
}

/// One holdout prediction.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictionRow {
    /// Row in the data file (0-based, without the header).
    pub row: usize,
    /// The true value as text.
    pub truth: String,
    /// The prediction as text.
    pub predicted: String,
    /// Class probabilities (classification) or the predicted number (regression).
    pub scores: Vec<f64>,
}

/// Fits and measures; `progress` hears shares from 0 to 1.
pub fn fit(p: &Prepared, progress: &dyn Fn(f64)) -> anyhow::Result<Fitted> {
    fit_cancellable(p, progress, &std::sync::atomic::AtomicBool::new(false))
}

/// Like [`fit`], stopping early once `cancel` is set.
pub fn fit_cancellable(
    p: &Prepared,
    progress: &dyn Fn(f64),
    cancel: &std::sync::atomic::AtomicBool,
) -> anyhow::Result<Fitted> {
    if p.folds.is_empty() {
        fit_split(p, progress, cancel)
    } else {
        cross_validate(p, progress, cancel)
    }
}

/// k-fold cross-validation: each fold is fitted and measured on its own (preprocessing fitted
/// on that fold's training rows), metrics are averaged over folds, predictions are the
/// out-of-fold ones, and the saved model is fitted on every row.
fn cross_validate(
    p: &Prepared,
    progress: &dyn Fn(f64),
    cancel: &std::sync::atomic::AtomicBool,
) -> anyhow::Result<Fitted> {
    let k = p.folds.len();
    let mut per_fold = Vec::with_capacity(k);
    let mut predictions = Vec::new();
    let mut confusion: Option<Vec<Vec<u64>>> = None;
    for (i, fold) in p.folds.iter().enumerate() {
        let one = Prepared { split: fold.clone(), folds: Vec::new(), ..p.clone() };
        let step = |f: f64| progress((i as f64 + f) / (k + 1) as f64);
        let fitted = fit_split(&one, &step, cancel)?;
        if let Some(m) = fitted
            .details
            .get("confusion_matrix")
            .and_then(|v| serde_json::from_value::<Vec<Vec<u64>>>(v.clone()).ok())
        {
            let sum = confusion.get_or_insert_with(|| vec![vec![0; m.len()]; m.len()]);
            for (r, row) in m.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    sum[r][c] += v;
                }
            }
        }
        predictions.extend(fitted.predictions);
        per_fold.push(fitted.metrics);
    }
    let all: Vec<usize> =
        (0..p.table.rows()).filter(|&i| p.folds.iter().any(|f| f.test.contains(&i))).collect();
    let whole =
        Prepared { split: Split { train: all.clone(), test: all }, folds: Vec::new(), ..p.clone() };
    let mut final_fit = fit_split(&whole, &|f| progress((k as f64 + f) / (k + 1) as f64), cancel)?;
    let names: Vec<String> =
        per_fold.first().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    let mut metrics = BTreeMap::new();
    let mut spread = serde_json::Map::new();
    for name in names {
        let values: Vec<f64> = per_fold.iter().filter_map(|m| m.get(&name).copied()).collect();
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        let std = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>()
            / (values.len().max(2) - 1) as f64)
            .sqrt();
        metrics.insert(name.clone(), mean);
        spread.insert(name, json!({"std": std, "folds": values}));
    }
    predictions.sort_by_key(|r| r.row);
    final_fit.details.insert("cross_validation".into(), json!({"folds": k, "metrics": spread}));
    final_fit
        .details
        .insert("split".into(), json!({"kind": "kfold", "folds": k, "rows": predictions.len()}));
    if let Some(c) = confusion {
        final_fit.details.insert("confusion_matrix".into(), json!(c));
    }
    final_fit.details.remove("slices");
    final_fit.metrics = metrics;
    final_fit.predictions = predictions;
    Ok(final_fit)
}

fn fit_split(
    p: &Prepared,
    progress: &dyn Fn(f64),
    cancel: &std::sync::atomic::AtomicBool,
) -> anyhow::Result<Fitted> {
    let pre = Preprocessor::fit(&p.table, &p.features, &p.split.train, &p.preprocessing)
        .map_err(|e| anyhow::anyhow!("experiments/{}.toml: {e}", p.name))?;
    let x = pre.transform(&p.table).map_err(|e| anyhow::anyhow!(e))?;
    let target = p.table.column(&p.spec.target).context("target vanished")?;
    progress(0.05);
    let fit_started = std::time::Instant::now();
    let (model, task_target) = match &p.classes {
        Some(classes) => {
            let y: Vec<u32> = (0..target.len())
                .map(|i| {
                    target.text(i).and_then(|t| classes.iter().position(|c| *c == t)).unwrap_or(0)
                        as u32
                })
                .collect();
            let m = Model::fit(
                &p.plan,
                &x,
                Target::Classes { y: &y, n_classes: classes.len() },
                &p.split.train,
                &|f| progress(0.05 + 0.9 * f),
                cancel,
            )
            .map_err(|e| anyhow::anyhow!("experiments/{}.toml: {e}", p.name))?;
            (m, TaskTarget::Classes(y))
        }
        None => {
            let v: Vec<f64> = (0..target.len()).map(|i| target.as_f64(i).unwrap_or(0.0)).collect();
            let m = Model::fit(
                &p.plan,
                &x,
                Target::Values(&v),
                &p.split.train,
                &|f| progress(0.05 + 0.9 * f),
                cancel,
            )
            .map_err(|e| anyhow::anyhow!("experiments/{}.toml: {e}", p.name))?;
            (m, TaskTarget::Values(v))
        }
    };
    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
        anyhow::bail!(super::model::CANCELLED);
    }
    let model_file = ModelFile {
        format: files::Format::default(),
        target: p.spec.target.clone(),
        features: p.features.clone(),
        classes: p.classes.clone().unwrap_or_default(),
        positive: p.positive,
        preprocessor: pre,
        model,
    };
    let fit_seconds = fit_started.elapsed().as_secs_f64();
    let mut fitted = measure(p, &x, &model_file, &task_target);
    // Wall time is recorded for people; it is not compared by `mlwb reproduce`.
    fitted.details.insert("fit_seconds".into(), json!(fit_seconds));
    progress(1.0);
    Ok(fitted)
}

/// Points kept of the ROC curve, and holdout rows kept for the residual plot.
const CURVE_POINTS: usize = 200;

enum TaskTarget {
    Classes(Vec<u32>),
    Values(Vec<f64>),
}

fn measure(p: &Prepared, x: &[Vec<f64>], mf: &ModelFile, target: &TaskTarget) -> Fitted {
    let test = &p.split.test;
    let mut details = serde_json::Map::new();
    details.insert(
        "split".into(),
        json!({"train_rows": p.split.train.len(), "test_rows": test.len()}),
    );
    details.insert("preprocessing".into(), json!({"fitted_on": mf.preprocessor.fitted_on}));
    let (metrics, predictions): (BTreeMap<String, f64>, Vec<PredictionRow>) = match target {
        TaskTarget::Classes(y) => {
            let classes = &mf.classes;
            let truth: Vec<u32> = test.iter().map(|&i| y[i]).collect();
            let proba: Vec<Vec<f64>> = test.iter().map(|&i| mf.model.predict_proba(x, i)).collect();
            let (m, confusion, per_class) =
                metrics::classification(&truth, &proba, classes, mf.positive);
            details.insert("task".into(), json!("classification"));
            details.insert("classes".into(), json!(classes));
            details.insert("positive_class".into(), json!(classes.get(mf.positive)));
            details.insert("confusion_matrix".into(), json!(confusion));
            details.insert("per_class".into(), json!(per_class));
            if let [_, _] = classes.as_slice() {
                let is_pos: Vec<bool> = truth.iter().map(|&t| t as usize == mf.positive).collect();
                let scores: Vec<f64> = proba.iter().map(|p| p[mf.positive]).collect();
                details.insert(
                    "roc_curve".into(),
                    json!(metrics::roc_curve(&is_pos, &scores, CURVE_POINTS)),
                );
            }
            let preds = test
                .iter()
                .zip(&proba)
                .map(|(&i, pr)| PredictionRow {
                    row: i,
                    truth: classes[y[i] as usize].clone(),
                    predicted: classes[super::tree::argmax(pr)].clone(),
                    scores: pr.clone(),
                })
                .collect();
            (m, preds)
        }
        TaskTarget::Values(v) => {
            let truth: Vec<f64> = test.iter().map(|&i| v[i]).collect();
            let pred: Vec<f64> = test.iter().map(|&i| mf.model.predict_value(x, i)).collect();
            let m = metrics::regression(&truth, &pred);
            let step = (truth.len() / CURVE_POINTS).max(1);
            let sample: Vec<(f64, f64)> =
                truth.iter().zip(&pred).step_by(step).map(|(t, p)| (*p, t - p)).collect();
            details.insert("residual_sample".into(), json!(sample));
            let mut residuals: Vec<f64> = truth.iter().zip(&pred).map(|(t, p)| t - p).collect();
            residuals.sort_by(f64::total_cmp);
            let q = |f: f64| {
                residuals
                    .get(((residuals.len() as f64 - 1.0) * f).round() as usize)
                    .copied()
                    .unwrap_or(0.0)
            };
            details.insert("task".into(), json!("regression"));
            details.insert("residuals".into(), json!({"p05": q(0.05), "p25": q(0.25), "median": q(0.5), "p75": q(0.75), "p95": q(0.95)}));
            let preds = test
                .iter()
                .zip(&pred)
                .map(|(&i, pv)| PredictionRow {
                    row: i,
                    truth: v[i].to_string(),
                    predicted: pv.to_string(),
                    scores: vec![*pv],
                })
                .collect();
            (m, preds)
        }
    };
    if let Some(slice) = &p.spec.slice_column {
        details.insert("slices".into(), slice_metrics(p, slice, &predictions, mf));
    }
    let importances = importances(mf);
    Fitted { model_file: mf.clone(), metrics, details, importances, predictions }
}

/// Metrics for each value of the slice column, on the holdout rows.
fn slice_metrics(p: &Prepared, column: &str, preds: &[PredictionRow], mf: &ModelFile) -> Value {
    let Some(c) = p.table.column(column) else { return Value::Null };
    let mut groups: BTreeMap<String, Vec<&PredictionRow>> = BTreeMap::new();
    for r in preds {
        groups.entry(c.text(r.row).unwrap_or_else(|| "(missing)".into())).or_default().push(r);
    }
    let mut out = serde_json::Map::new();
    for (value, rows) in groups {
        let m = if mf.classes.is_empty() {
            let t: Vec<f64> = rows.iter().map(|r| r.truth.parse().unwrap_or(0.0)).collect();
            let pr: Vec<f64> = rows.iter().map(|r| r.scores[0]).collect();
            metrics::regression(&t, &pr)
        } else {
            let idx = |s: &str| mf.classes.iter().position(|c| c == s).unwrap_or(0) as u32;
            let t: Vec<u32> = rows.iter().map(|r| idx(&r.truth)).collect();
            let pr: Vec<Vec<f64>> = rows.iter().map(|r| r.scores.clone()).collect();
            metrics::classification(&t, &pr, &mf.classes, mf.positive).0
        };
        let mut entry: serde_json::Map<String, Value> =
            m.into_iter().map(|(k, v)| (k, json!(v))).collect();
        entry.insert("rows".into(), json!(rows.len()));
        if let Some(positive) = mf.classes.get(mf.positive) {
            entry.insert(
                "positives".into(),
                json!(rows.iter().filter(|r| &r.truth == positive).count()),
            );
        }
        out.insert(value, Value::Object(entry));
    }
    json!({"column": column, "values": out})
}

fn importances(mf: &ModelFile) -> BTreeMap<String, f64> {
    let Some(values) = mf.model.importances() else { return BTreeMap::new() };
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for (source, v) in mf.preprocessor.output_sources().into_iter().zip(values) {
        *out.entry(source).or_default() += v;
    }
    out
}

/// Serialized `model.json` bytes: deterministic for the same fit.
pub fn model_bytes(mf: &ModelFile) -> anyhow::Result<Vec<u8>> {
    let mut text = serde_json::to_string(mf)?;
    text.push('\n');
    Ok(text.into_bytes())
}

/// BLAKE3 of bytes, hex.
pub fn hash_bytes(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// The git commit of the folder holding `path`, and whether the tree has changes.
pub fn code_version(path: &Path) -> CodeVersion {
    let dir = path.parent().unwrap_or(Path::new("."));
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let commit = git(&["rev-parse", "HEAD"]);
    let dirty = commit.is_some() && git(&["status", "--porcelain"]).is_some_and(|s| !s.is_empty());
    CodeVersion { commit, dirty, mlwb: env!("CARGO_PKG_VERSION").to_owned() }
}

fn new_run_id(ws: &Workspace, name: &str) -> String {
    let stamp = Utc::now().format("%Y%m%d-%H%M%S");
    let base = format!("{stamp}-{name}");
    let mut id = base.clone();
    let mut n = 2;
    while ws.runs_dir().join(&id).exists() {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Trains the spec `name` and records the run; a failed fit keeps its record and error.
pub fn train(ws: &Workspace, name: &str, progress: &dyn Fn(f64)) -> anyhow::Result<RunRecord> {
    train_cancellable(ws, name, progress, &std::sync::atomic::AtomicBool::new(false))
}

/// Like [`train`]; setting `cancel` stops the fit and records the run as failed, cancelled.
pub fn train_cancellable(
    ws: &Workspace,
    name: &str,
    progress: &dyn Fn(f64),
    cancel: &std::sync::atomic::AtomicBool,
) -> anyhow::Result<RunRecord> {
    let prepared = prepare(ws, name)?;
    let id = new_run_id(ws, name);
    let dir = ws.runs_dir().join(&id);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut run = RunRecord {
        format: files::Format::default(),
        id: id.clone(),
        experiment: name.to_owned(),
        status: RunStatus::Running,
        started: Utc::now(),
        ended: None,
        error: None,
        code: code_version(&ws.experiment_path(name)),
        dataset: DataRef {
            name: prepared.spec.dataset.clone(),
            hash: prepared.dataset_hash.clone(),
        },
        spec: resolved_spec(&prepared),
        features: prepared.features.clone(),
        params: prepared
            .spec
            .model
            .params
            .iter()
            .map(|(k, v)| (k.clone(), toml_to_json(v)))
            .collect(),
        metrics: BTreeMap::new(),
        details: serde_json::Map::new(),
        importances: BTreeMap::new(),
        artifacts: BTreeMap::new(),
        tags: BTreeMap::from([("model".to_owned(), prepared.spec.model.kind.clone())]),
        notes: prepared.spec.notes.clone(),
        reproduction: None,
        validation: None,
        extra: serde_json::Map::new(),
    };
    atomic::write_json(&dir.join("run.json"), &run)?;
    let outcome = fit_cancellable(&prepared, progress, cancel)
        .and_then(|fitted| write_artifacts(&dir, &fitted).map(|a| (fitted, a)));
    run.ended = Some(Utc::now());
    match outcome {
        Ok((fitted, artifacts)) => {
            run.status = RunStatus::Finished;
            run.metrics = fitted.metrics;
            run.details = fitted.details;
            run.importances = fitted.importances;
            run.artifacts = artifacts;
        }
        Err(e) => {
            run.status = RunStatus::Failed;
            run.error = Some(format!("{e:#}"));
        }
    }
    atomic::write_json(&dir.join("run.json"), &run)?;
    if let Some(e) = &run.error {
        bail!("run {id} failed: {e}");
    }
    Ok(run)
}

/// The spec as trained: the file's fields plus the resolved features.
fn resolved_spec(p: &Prepared) -> Value {
    let mut v = serde_json::to_value(&p.spec).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.insert("resolved_features".into(), json!(p.features));
        map.insert("dataset_hash".into(), json!(p.dataset_hash));
    }
    v
}

fn toml_to_json(v: &toml::Value) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Writes `model.json` and `predictions.parquet`; returns their hashes.
pub fn write_artifacts(dir: &Path, fitted: &Fitted) -> anyhow::Result<BTreeMap<String, String>> {
    let model = model_bytes(&fitted.model_file)?;
    atomic::write_atomic(&dir.join("model.json"), &model)?;
    let preds = predictions_parquet(&fitted.predictions, &fitted.model_file.classes)?;
    atomic::write_atomic(&dir.join("predictions.parquet"), &preds)?;
    Ok(BTreeMap::from([
        ("model.json".to_owned(), hash_bytes(&model)),
        ("predictions.parquet".to_owned(), hash_bytes(&preds)),
    ]))
}

fn predictions_parquet(rows: &[PredictionRow], classes: &[String]) -> anyhow::Result<Vec<u8>> {
    use polars::prelude::*;
    let mut columns = vec![
        Column::new("row".into(), rows.iter().map(|r| r.row as u64).collect::<Vec<_>>()),
        Column::new("truth".into(), rows.iter().map(|r| r.truth.clone()).collect::<Vec<_>>()),
        Column::new(
            "predicted".into(),
            rows.iter().map(|r| r.predicted.clone()).collect::<Vec<_>>(),
        ),
    ];
    if classes.is_empty() {
        columns.push(Column::new(
            "score".into(),
            rows.iter().map(|r| r.scores[0]).collect::<Vec<_>>(),
        ));
    } else {
        for (k, c) in classes.iter().enumerate() {
            let name = format!("p_{c}");
            columns.push(Column::new(
                name.as_str().into(),
                rows.iter().map(|r| r.scores[k]).collect::<Vec<_>>(),
            ));
        }
    }
    let mut df = DataFrame::new(rows.len(), columns)?;
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf).finish(&mut df)?;
    Ok(buf)
}

/// Where a run's folder is.
pub fn run_dir(ws: &Workspace, id: &str) -> anyhow::Result<PathBuf> {
    names::validate(id)?;
    let dir = ws.runs_dir().join(id);
    if !dir.join("run.json").is_file() {
        bail!("no run {id:?} in {}; `mlwb runs` lists them", ws.runs_dir().display());
    }
    Ok(dir)
}
