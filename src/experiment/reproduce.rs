//! Retraining a run from its record and proving the result is the same.

use chrono::Utc;

use super::run::{Reproduction, RunRecord};
use super::spec::ExperimentSpec;
use super::train::{self, hash_bytes, model_bytes};
use crate::data::versions::{self, short_hash};
use crate::workspace::{Workspace, atomic, files};

/// What reproducing a run found.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The updated record.
    pub run: RunRecord,
    /// Metrics that differ: name, recorded, now.
    pub metric_diffs: Vec<(String, f64, f64)>,
    /// Recorded and new model hash.
    pub model_hash: (String, String),
    /// Recorded and current dataset hash, when they differ.
    pub data_changed: Option<(String, String)>,
}

/// Retrains `id` from its recorded spec and data and records whether everything matched.
pub fn reproduce(ws: &Workspace, id: &str) -> anyhow::Result<Outcome> {
    let dir = train::run_dir(ws, id)?;
    let path = dir.join("run.json");
    let mut run: RunRecord =
        files::read_json(&path)?.ok_or_else(|| anyhow::anyhow!("{}: missing", path.display()))?;
    let spec: ExperimentSpec = serde_json::from_value(run.spec.clone()).map_err(|e| {
        anyhow::anyhow!("{}: the recorded spec cannot be read: {e}", path.display())
    })?;
    let current = crate::data::dataset::load(ws, &spec.dataset)
        .file
        .map(|f| versions::hash_file(&f))
        .transpose()?
        .unwrap_or_default();
    let data_changed =
        (current != run.dataset.hash).then(|| (run.dataset.hash.clone(), current.clone()));
    let recorded_model = run.artifacts.get("model.json").cloned().unwrap_or_default();
    let (metric_diffs, new_model) = if data_changed.is_some() {
        (Vec::new(), String::new())
    } else {
        let prepared = train::prepare_spec(ws, &run.experiment, spec, &path)?;
        let fitted = train::fit(&prepared, &|_| {})?;
        let diffs = diff_metrics(&run, &fitted.metrics);
        (diffs, hash_bytes(&model_bytes(&fitted.model_file)?))
    };
    let identical =
        data_changed.is_none() && metric_diffs.is_empty() && new_model == recorded_model;
    let detail = describe(&metric_diffs, (&recorded_model, &new_model), data_changed.as_ref());
    run.reproduction = Some(Reproduction { time: Utc::now(), identical, detail });
    atomic::write_json(&path, &run)?;
    Ok(Outcome { run, metric_diffs, model_hash: (recorded_model, new_model), data_changed })
}

fn diff_metrics(
    run: &RunRecord,
    now: &std::collections::BTreeMap<String, f64>,
) -> Vec<(String, f64, f64)> {
    let mut out = Vec::new();
    for (k, v) in &run.metrics {
        let n = now.get(k).copied().unwrap_or(f64::NAN);
        if v.to_bits() != n.to_bits() {
            out.push((k.clone(), *v, n));
        }
    }
    out
}

fn describe(
    diffs: &[(String, f64, f64)],
    model: (&str, &str),
    data: Option<&(String, String)>,
) -> String {
    if let Some((was, now)) = data {
        return format!(
            "the dataset changed since the run (recorded {}, now {}); not retrained, since the result could not be compared",
            short_hash(was),
            short_hash(now)
        );
    }
    let mut parts: Vec<String> = diffs.iter().map(|(k, a, b)| format!("{k} {a} → {b}")).collect();
    if model.0 != model.1 {
        parts.push(format!("model.json {} → {}", short_hash(model.0), short_hash(model.1)));
    }
    parts.join("; ")
}
