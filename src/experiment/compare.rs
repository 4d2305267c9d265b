//! Comparing runs side by side: what differs in spec, data, code and metrics, with deltas
//! against a baseline run.

use serde::Serialize;
use serde_json::Value;

use super::metrics::higher_is_better;
use super::run::RunRecord;
use crate::data::versions::short_hash;

/// One compared field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// `run`, `data`, `code`, `params`, `features` or `metrics`.
    pub section: String,
    /// The field.
    pub name: String,
    /// Its value in each run, in run order.
    pub values: Vec<Option<String>>,
    /// Whether the runs disagree.
    pub differs: bool,
    /// Metric deltas against the baseline: absolute and relative.
    pub deltas: Vec<Option<(f64, Option<f64>)>>,
    /// Whether each run is better than the baseline on this metric.
    pub better: Vec<Option<bool>>,
}

/// A comparison of runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Run ids, in the order given.
    pub runs: Vec<String>,
    /// Index of the baseline run.
    pub baseline: usize,
    /// The fields.
    pub lines: Vec<Line>,
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn keys<'a>(
    runs: &[&'a RunRecord],
    pick: impl Fn(&'a RunRecord) -> Vec<&'a String>,
) -> Vec<&'a String> {
    let mut all: Vec<&String> = runs.iter().flat_map(|r| pick(r)).collect();
    all.sort();
    all.dedup();
    all
}

/// Compares `runs` against `runs[baseline]`.
pub fn compare(runs: &[&RunRecord], baseline: usize) -> Comparison {
    let mut lines = Vec::new();
    let mut push = |section: &str, name: &str, values: Vec<Option<String>>| {
        let differs = values.iter().any(|v| *v != values[0]);
        lines.push(Line {
            section: section.into(),
            name: name.into(),
            values,
            differs,
            deltas: Vec::new(),
            better: Vec::new(),
        });
    };
    push("run", "experiment", runs.iter().map(|r| Some(r.experiment.clone())).collect());
    push("run", "model", runs.iter().map(|r| r.tags.get("model").cloned()).collect());
    push("run", "status", runs.iter().map(|r| Some(r.status.label().to_owned())).collect());
    push(
        "data",
        "dataset",
        runs.iter()
            .map(|r| Some(format!("{} @ {}", r.dataset.name, short_hash(&r.dataset.hash))))
            .collect(),
    );
    push(
        "code",
        "commit",
        runs.iter()
            .map(|r| {
                r.code.commit.as_deref().map(|c| {
                    format!("{}{}", short_hash(c), if r.code.dirty { "+dirty" } else { "" })
                })
            })
            .collect(),
    );
    for k in keys(runs, |r| r.params.keys().collect()) {
        push("params", k, runs.iter().map(|r| r.params.get(k).map(text)).collect());
    }
    let split = |r: &RunRecord| r.spec.get("split").map(text);
    push("spec", "split", runs.iter().map(|r| split(r)).collect());
    for f in keys(runs, |r| r.features.iter().collect()) {
        push(
            "features",
            f,
            runs.iter()
                .map(|r| Some(if r.features.contains(f) { "used" } else { "—" }.to_owned()))
                .collect(),
        );
    }
    for m in keys(runs, |r| r.metrics.keys().collect()) {
        let nums: Vec<Option<f64>> = runs.iter().map(|r| r.metrics.get(m).copied()).collect();
        let base = nums.get(baseline).copied().flatten();
        let deltas = nums.iter().map(|v| Some(delta((*v)?, base?))).collect();
        let better = nums
            .iter()
            .map(|v| {
                let (v, b) = ((*v)?, base?);
                (v != b).then_some(if higher_is_better(m) { v > b } else { v < b })
            })
            .collect();
        let values = nums.iter().map(|v| v.map(|x| format!("{x:.4}"))).collect::<Vec<_>>();
        let differs = nums.iter().any(|v| v.map(f64::to_bits) != nums[0].map(f64::to_bits));
        lines.push(Line {
            section: "metrics".into(),
            name: m.clone(),
            values,
            differs,
            deltas,
            better,
        });
    }
    Comparison { runs: runs.iter().map(|r| r.id.clone()).collect(), baseline, lines }
}

fn delta(v: f64, base: f64) -> (f64, Option<f64>) {
    (v - base, (base != 0.0).then(|| (v - base) / base.abs()))
}

/// A metric value with its delta, as shown in tables: `0.8123 (+0.0123, +1.5%)`.
pub fn cell(line: &Line, i: usize, baseline: usize) -> String {
    let value = line.values[i].clone().unwrap_or_else(|| "—".into());
    if i == baseline || line.section != "metrics" {
        return value;
    }
    match line.deltas.get(i).copied().flatten() {
        Some((d, Some(r))) if d != 0.0 => format!("{value} ({d:+.4}, {:+.1}%)", r * 100.0),
        Some((d, None)) if d != 0.0 => format!("{value} ({d:+.4})"),
        _ => value,
    }
}
