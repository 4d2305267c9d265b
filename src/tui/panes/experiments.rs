//! Pane 5: tracked runs, newest first, with their specs.

use ratatui::layout::Constraint;
use ratatui::text::Line;

use super::{Columns, Row, Tone, field, heading};
use crate::experiment::run::{RunRecord, RunStatus};
use crate::snapshot::Snapshot;
use crate::tui::theme::Theme;
use crate::workspace::files::FileError;

/// Run, experiment, status, start, duration, metrics.
pub const COLUMNS: Columns = Columns {
    header: &["Run", "Experiment", "Status", "Started", "Secs", "Metrics"],
    widths: &[
        Constraint::Length(30),
        Constraint::Length(12),
        Constraint::Length(8),
        Constraint::Length(11),
        Constraint::Length(5),
        Constraint::Fill(1),
    ],
};

fn metrics_text(run: &RunRecord) -> String {
    run.metrics.iter().take(4).map(|(k, v)| format!("{k} {v:.3}")).collect::<Vec<_>>().join("  ")
}

/// One row per run, newest first; runs whose record is broken come last.
pub fn rows(snap: &Snapshot) -> Vec<Row> {
    let mut rows: Vec<Row> = snap
        .runs_newest_first()
        .into_iter()
        .map(|r| {
            let tone = match r.status {
                RunStatus::Finished => Tone::Normal,
                RunStatus::Running => Tone::Warn,
                RunStatus::Failed => Tone::Bad,
            };
            let secs = r.duration_secs().map_or("—".into(), |s| format!("{s:.1}"));
            let cells = vec![
                r.id.clone(),
                r.experiment.clone(),
                r.status.label().to_owned(),
                // The year is in the run id; month, day and time keep the row narrow.
                r.started.format("%m-%d %H:%M").to_string(),
                secs,
                metrics_text(r),
            ];
            Row::new(r.id.clone(), cells, tone)
        })
        .collect();
    for (id, run) in &snap.runs {
        if let Err(e) = run {
            let cells = vec![
                id.clone(),
                "?".into(),
                "broken".into(),
                String::new(),
                String::new(),
                e.reason.clone(),
            ];
            rows.push(Row::new(id.clone(), cells, Tone::Bad));
        }
    }
    rows
}

/// The filter as an expression of the runs filter language, when it uses an operator;
/// plain words filter by text instead.
pub fn filter_expr(filter: &str) -> Option<crate::experiment::filter::Expr> {
    let uses_operator = filter.contains(['=', '<', '>', '~']) || filter.contains(" in ");
    uses_operator.then(|| crate::experiment::filter::parse(filter).ok()).flatten()
}

/// Whether the run `id` passes the expression.
pub fn passes(snap: &Snapshot, id: &str, expr: &crate::experiment::filter::Expr) -> bool {
    snap.runs
        .get(id)
        .and_then(|r| r.as_ref().ok())
        .is_some_and(|r| crate::experiment::filter::matches(expr, r))
}

/// Metrics the runs table can be sorted by, in the order `o` cycles through them.
pub const SORT_METRICS: [&str; 7] =
    ["f1", "accuracy", "roc_auc", "balanced_accuracy", "r2", "mae", "rmse"];

/// Sorts rows best first by `metric` (direction from the metric); runs without it go last.
pub fn sort_rows(rows: &mut [Row], snap: &Snapshot, metric: &str) {
    let value = |r: &Row| {
        snap.runs
            .get(&r.key)
            .and_then(|x| x.as_ref().ok())
            .and_then(|x| x.metrics.get(metric).copied())
    };
    rows.sort_by(|a, b| crate::experiment::metrics::best_first(metric, value(a), value(b)));
}

/// Spec count line.
pub fn summary(snap: &Snapshot) -> Option<Line<'static>> {
    if snap.experiments.is_empty() {
        return None;
    }
    let names: Vec<&str> = snap.experiments.keys().map(String::as_str).collect();
    Some(Line::raw(format!("Specs: {}", names.join(", "))))
}

/// The record of one run.
pub fn detail(snap: &Snapshot, key: &str, theme: &Theme) -> Vec<Line<'static>> {
    let Some(entry) = snap.runs.get(key) else { return Vec::new() };
    let run = match entry {
        Ok(r) => r,
        Err(e) => return vec![Line::styled(format!("error: {e}"), theme.bad)],
    };
    let mut lines = vec![heading(format!("Run {}", run.id), theme)];
    lines.push(field("Experiment", run.experiment.clone(), theme));
    lines.push(field("Status", run.status.label(), theme));
    if let Some(err) = &run.error {
        lines.push(Line::styled(format!("error: {err}"), theme.bad));
    }
    let data =
        format!("{} @ {}", run.dataset.name, crate::data::versions::short_hash(&run.dataset.hash));
    lines.push(field("Data", data, theme));
    let code = match &run.code.commit {
        Some(c) => format!(
            "{}{}",
            crate::data::versions::short_hash(c),
            if run.code.dirty { " (dirty)" } else { "" }
        ),
        None => "not in git".into(),
    };
    lines.push(field("Code", code, theme));
    lines.push(field("Features", run.features.join(", "), theme));
    for (k, v) in &run.params {
        lines.push(field(&format!("param {k}"), v.to_string(), theme));
    }
    for (k, v) in &run.metrics {
        lines.push(field(k, format!("{v:.4}"), theme));
    }
    if let Some(slices) =
        run.details.get("slices").and_then(|s| s.get("values")).and_then(|v| v.as_object())
    {
        let column = run.details["slices"].get("column").and_then(|c| c.as_str()).unwrap_or("?");
        let metric = if run.metrics.contains_key("f1") { "f1" } else { "r2" };
        let parts: Vec<String> = slices
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k} {:.3}",
                    v.get(metric).and_then(serde_json::Value::as_f64).unwrap_or(f64::NAN)
                )
            })
            .collect();
        lines.push(field(&format!("{metric} by {column}"), parts.join(", "), theme));
    }
    if let Some(r) = &run.reproduction {
        let text = if r.identical {
            "identical (metrics and model.json)".to_owned()
        } else {
            format!("differs: {}", r.detail)
        };
        lines.push(field("Reproduced", text, theme));
    }
    if let Some(v) = &run.validation {
        lines.push(Line::raw(""));
        lines.push(heading(
            if v.passed { "Validation: every gate passes" } else { "Validation: a gate fails" },
            theme,
        ));
        for g in &v.gates {
            let style = if g.passed { theme.good } else { theme.bad };
            lines.push(Line::styled(
                format!("{} {:<22} {}", if g.passed { "✓" } else { "✗" }, g.gate, g.detail),
                style,
            ));
        }
    }
    if !run.notes.is_empty() {
        lines.push(field("Notes", run.notes.clone(), theme));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Space mark · c compare · n train this spec again", theme.dim));
    lines
}

/// Broken specs and run records.
pub fn errors(snap: &Snapshot) -> Vec<FileError> {
    let specs = snap.experiments.values().filter_map(|r| r.as_ref().err());
    let runs = snap.runs.values().filter_map(|r| r.as_ref().err());
    specs.chain(runs).cloned().collect()
}

/// What to do when there is no run.
pub fn empty(snap: &Snapshot) -> Vec<String> {
    let mut lines = vec!["No tracked runs yet.".to_owned()];
    match snap.experiments.keys().next() {
        Some(spec) => {
            let names: Vec<&str> = snap.experiments.keys().map(String::as_str).collect();
            lines.push(format!("Experiment specs: {}", names.join(", ")));
            lines.push(format!("Train one: mlwb train {spec}"));
        }
        None => lines.push(
            "Write a training spec in experiments/<name>.toml, then: mlwb train <name>".into(),
        ),
    }
    lines.push(
        "(Training is not built in this version; run folders written to runs/ show here live.)"
            .into(),
    );
    lines
}
