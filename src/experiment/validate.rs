//! Validation gates: acceptable error, beating the baseline, slice disparity (fairness), no
//! open high leakage finding, and an approved dataset.

use chrono::Utc;
use serde_json::Value;

use super::model::Plan;
use super::run::{GateResult, RunRecord, Validation};
use super::spec::ExperimentSpec;
use super::{metrics, train};
use crate::checks::finding::Severity;
use crate::checks::run as checks_run;
use crate::problem::{Direction, Problem};
use crate::workspace::{Workspace, atomic, files};

/// Settings of the gates (`[validation]` in `mlwb.toml` overrides them).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct GateSettings {
    /// How much better than the baseline the model must be, in the metric's units.
    pub baseline_margin: f64,
    /// The worst slice's metric must be at least this share of the best slice's.
    pub slice_ratio: f64,
}

impl Default for GateSettings {
    fn default() -> Self {
        Self { baseline_margin: 0.01, slice_ratio: 0.8 }
    }
}

fn settings(ws: &Workspace) -> GateSettings {
    files::read_toml::<crate::workspace::manifest::Manifest>(&ws.manifest_path())
        .ok()
        .flatten()
        .and_then(|m| m.extra.get("validation").cloned())
        .and_then(|v| v.try_into().ok())
        .unwrap_or_default()
}

/// Fewest holdout rows a slice needs to take part in the disparity gate.
pub const MIN_SLICE_ROWS: u64 = 30;
/// Fewest positive rows a slice needs when the metric is about the positive class.
pub const MIN_SLICE_POSITIVES: u64 = 10;

fn gate(name: &str, passed: bool, detail: String) -> GateResult {
    GateResult { gate: name.to_owned(), passed, detail }
}

/// Applies every gate to run `id` and records the result with the run.
pub fn validate(ws: &Workspace, id: &str) -> anyhow::Result<RunRecord> {
    let dir = train::run_dir(ws, id)?;
    let path = dir.join("run.json");
    let mut run: RunRecord =
        files::read_json(&path)?.ok_or_else(|| anyhow::anyhow!("{}: missing", path.display()))?;
    if run.status != super::run::RunStatus::Finished {
        anyhow::bail!("run {id} is {}; only finished runs can be validated", run.status.label());
    }
    let problem: Option<Problem> = files::read_toml(&ws.problem_path())?;
    let s = settings(ws);
    let metric = primary_metric(&run, problem.as_ref());
    let gates = vec![
        acceptable_error(&run, problem.as_ref()),
        beats_baseline(ws, &run, &metric, s.baseline_margin)?,
        slice_disparity(&run, &metric, s.slice_ratio),
        leakage(ws, &run)?,
        approved(ws, &run),
    ];
    let passed = gates.iter().all(|g| g.passed);
    run.validation = Some(Validation { time: Utc::now(), passed, gates });
    atomic::write_json(&path, &run)?;
    Ok(run)
}

/// The problem's metric when the run has it, else F1 or R².
fn primary_metric(run: &RunRecord, problem: Option<&Problem>) -> String {
    let named = problem.and_then(|p| p.acceptable_error.as_ref()).map(|g| g.metric.clone());
    match named {
        Some(m) if run.metrics.contains_key(&m) => m,
        _ if run.metrics.contains_key("f1") => "f1".into(),
        _ => "r2".into(),
    }
}

fn acceptable_error(run: &RunRecord, problem: Option<&Problem>) -> GateResult {
    let Some(g) = problem.and_then(|p| p.acceptable_error.as_ref()) else {
        return gate(
            "acceptable_error",
            false,
            "problem.toml sets no acceptable_error; define it in pane 2".into(),
        );
    };
    let Some(value) = run.metrics.get(&g.metric) else {
        return gate("acceptable_error", false, format!("the run has no metric {:?}", g.metric));
    };
    let (ok, op) = match g.direction {
        Direction::AtLeast => (*value >= g.threshold, "≥"),
        Direction::AtMost => (*value <= g.threshold, "≤"),
    };
    gate("acceptable_error", ok, format!("{} = {value:.4}, needs {op} {}", g.metric, g.threshold))
}

fn beats_baseline(
    ws: &Workspace,
    run: &RunRecord,
    metric: &str,
    margin: f64,
) -> anyhow::Result<GateResult> {
    let spec: ExperimentSpec = serde_json::from_value(run.spec.clone())?;
    let mut prepared =
        train::prepare_spec(ws, &run.experiment, spec, &ws.experiment_path(&run.experiment))?;
    if prepared.plan == Plan::Baseline {
        return Ok(gate("beats_baseline", false, "this run is the baseline itself".into()));
    }
    prepared.plan = Plan::Baseline;
    let base = train::fit(&prepared, &|_| {})?;
    let (Some(model), Some(baseline)) = (run.metrics.get(metric), base.metrics.get(metric)) else {
        return Ok(gate("beats_baseline", false, format!("metric {metric:?} missing")));
    };
    let better =
        if metrics::higher_is_better(metric) { model - baseline } else { baseline - model };
    Ok(gate(
        "beats_baseline",
        better >= margin,
        format!("{metric} {model:.4} vs baseline {baseline:.4} (margin needed {margin})"),
    ))
}

fn slice_disparity(run: &RunRecord, metric: &str, ratio: f64) -> GateResult {
    let Some(Value::Object(slices)) = run.details.get("slices") else {
        return gate(
            "slice_disparity",
            true,
            "no slice_column in the spec; nothing to compare".into(),
        );
    };
    let column = slices.get("column").and_then(Value::as_str).unwrap_or("?").to_owned();
    let all = slices.get("values").and_then(Value::as_object).cloned().unwrap_or_default();
    // A slice too small for the metric says nothing about fairness: F1 of a slice with three
    // positives is noise. Such slices are named, not gated.
    let needs_positives = matches!(metric, "f1" | "precision" | "recall");
    let big_enough = |v: &Value| {
        let rows = v.get("rows").and_then(Value::as_u64).unwrap_or(0);
        let positives = v.get("positives").and_then(Value::as_u64).unwrap_or(u64::MAX);
        rows >= MIN_SLICE_ROWS && (!needs_positives || positives >= MIN_SLICE_POSITIVES)
    };
    let skipped: Vec<String> =
        all.iter().filter(|(_, v)| !big_enough(v)).map(|(k, _)| k.clone()).collect();
    let values: Vec<(String, f64)> = all
        .iter()
        .filter(|(_, v)| big_enough(v))
        .filter_map(|(k, v)| Some((k.clone(), v.get(metric)?.as_f64()?)))
        .collect();
    let higher = metrics::higher_is_better(metric);
    let best = values.iter().map(|v| v.1).fold(if higher { f64::MIN } else { f64::MAX }, |a, b| {
        if higher { a.max(b) } else { a.min(b) }
    });
    let worst =
        values.iter().min_by(|a, b| if higher { a.1.total_cmp(&b.1) } else { b.1.total_cmp(&a.1) });
    let Some((worst_name, worst_value)) = worst else {
        return gate("slice_disparity", true, format!("no slices of {column}"));
    };
    let share = if higher { worst_value / best } else { best / worst_value };
    let share = if share.is_finite() { share } else { 0.0 };
    let note = if skipped.is_empty() {
        String::new()
    } else {
        format!("; too small to judge: {}", skipped.join(", "))
    };
    gate(
        "slice_disparity",
        share >= ratio,
        format!(
            "fairness over {column}: worst slice {worst_name:?} {metric} {worst_value:.4} is {share:.2} of the best {best:.4} (needs ≥ {ratio}){note}"
        ),
    )
}

fn leakage(ws: &Workspace, run: &RunRecord) -> anyhow::Result<GateResult> {
    let dataset = &run.dataset.name;
    let report = checks_run::reports_of(ws, dataset)
        .into_iter()
        .map(|(_, r)| r)
        .find(|r| r.hash == run.dataset.hash);
    let report = match report {
        Some(r) => r,
        None => {
            let r = checks_run::run(
                Some(ws),
                &checks_run::Input::Dataset(dataset.clone()),
                &checks_run::Options::default(),
            )?;
            checks_run::save(ws, &r)?;
            r
        }
    };
    let open = report.open_at_or_above(Severity::High);
    let names: Vec<String> =
        open.iter().map(|f| format!("{} on {}", f.kind.label(), f.columns.join(","))).collect();
    Ok(gate(
        "no_open_high_leakage",
        open.is_empty(),
        if open.is_empty() {
            format!("no open high finding on {dataset}")
        } else {
            format!("open: {}", names.join("; "))
        },
    ))
}

fn approved(ws: &Workspace, run: &RunRecord) -> GateResult {
    let d = crate::data::dataset::load(ws, &run.dataset.name);
    match d.card.as_ref().and_then(|c| c.latest_approval()) {
        Some(a) => gate(
            "dataset_approved",
            true,
            format!("{} approved for {} by {}", d.name, a.purpose, a.by),
        ),
        None => gate(
            "dataset_approved",
            false,
            format!("{} has no approval: mlwb data approve {}", d.name, d.name),
        ),
    }
}
