//! Pane 6: registered models and their versions.

use ratatui::layout::Constraint;
use ratatui::text::Line;

use super::{Columns, Row, Tone, field, heading, short_time};
use crate::registry::model::Stage;
use crate::snapshot::Snapshot;
use crate::tui::theme::Theme;

/// Model, version, stage, run, approvals, created.
pub const COLUMNS: Columns = Columns {
    header: &["Model", "Version", "Stage", "Run", "Approvals", "Registered"],
    widths: &[
        Constraint::Fill(2),
        Constraint::Length(7),
        Constraint::Length(10),
        Constraint::Fill(2),
        Constraint::Length(9),
        Constraint::Length(16),
    ],
};

/// One row per version, grouped by model.
pub fn rows(snap: &Snapshot) -> Vec<Row> {
    let mut rows = Vec::new();
    for (name, model) in &snap.registry.models {
        for v in model.versions.iter().rev() {
            let tone = if v.stage == Stage::Production { Tone::Good } else { Tone::Normal };
            let cells = vec![
                name.clone(),
                format!("v{}", v.version),
                v.stage.label().to_owned(),
                v.run.clone(),
                v.approvals.len().to_string(),
                short_time(&v.created),
            ];
            rows.push(Row::new(format!("{name}/v{}", v.version), cells, tone));
        }
        if model.versions.is_empty() {
            let cells = vec![
                name.clone(),
                "—".into(),
                "no versions".into(),
                String::new(),
                String::new(),
                String::new(),
            ];
            rows.push(Row::new(format!("{name}/"), cells, Tone::Warn));
        }
    }
    rows
}

/// Lineage, metrics, approvals and the audit log of one version.
pub fn detail(snap: &Snapshot, key: &str, theme: &Theme) -> Vec<Line<'static>> {
    let Some((name, version)) = key.split_once("/v") else { return Vec::new() };
    let Some(model) = snap.registry.models.get(name) else { return Vec::new() };
    let Some(v) = model.versions.iter().find(|v| v.version.to_string() == version) else {
        return Vec::new();
    };
    let mut lines = vec![heading(format!("{name} v{}", v.version), theme)];
    if let Some(info) = &model.info {
        lines.push(field("About", info.description.clone(), theme));
        lines.push(field("Owner", info.owner.clone(), theme));
    }
    lines.push(field("Stage", v.stage.label(), theme));
    lines.push(field("Run", v.run.clone(), theme));
    lines.push(field("Experiment", v.lineage.experiment.clone(), theme));
    let data = format!(
        "{} @ {}",
        v.lineage.dataset,
        crate::data::versions::short_hash(&v.lineage.dataset_hash)
    );
    lines.push(field("Data", data, theme));
    for (k, m) in &v.metrics {
        lines.push(field(k, format!("{m:.4}"), theme));
    }
    for a in &v.approvals {
        lines.push(field(
            "Approved",
            format!("by {} on {} {}", a.by, short_time(&a.at), a.note),
            theme,
        ));
    }
    let events: Vec<_> = snap.registry.events.iter().filter(|e| e.model == name).collect();
    if !events.is_empty() {
        lines.push(Line::raw(""));
        lines.push(heading("Audit log", theme));
        for e in events.iter().rev().take(20) {
            let ver = e.version.map_or(String::new(), |n| format!(" v{n}"));
            lines.push(Line::raw(format!(
                "{} {}{} by {} {}",
                short_time(&e.time),
                e.action,
                ver,
                e.by,
                e.note
            )));
        }
    }
    lines
}

/// What to do when nothing is registered.
pub fn empty() -> Vec<String> {
    vec![
        "No registered models yet.".into(),
        "Register a validated run: mlwb registry register RUN --model NAME".into(),
        "(The registry commands are not built in this version; versions in registry/ show here.)"
            .into(),
    ]
}
