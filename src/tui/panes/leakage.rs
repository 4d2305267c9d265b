//! Pane 4: leakage reports, one per checked dataset version.

use ratatui::layout::Constraint;
use ratatui::text::Line;

use super::{Columns, Row, Tone, field, heading};
use crate::snapshot::{CheckSummary, Snapshot};
use crate::tui::theme::Theme;

/// Dataset, version, counts by severity, freshness.
pub const COLUMNS: Columns = Columns {
    header: &["Dataset", "Version", "High", "Medium", "Info", "Report"],
    widths: &[
        Constraint::Fill(2),
        Constraint::Length(9),
        Constraint::Length(5),
        Constraint::Length(7),
        Constraint::Length(5),
        Constraint::Fill(1),
    ],
};

fn count(c: &CheckSummary, severity: &str) -> usize {
    c.by_severity.get(severity).copied().unwrap_or(0)
}

fn is_current(snap: &Snapshot, c: &CheckSummary) -> bool {
    let latest = snap.datasets.get(&c.dataset).and_then(|d| d.latest_version());
    latest.is_some_and(|v| v.short_hash() == c.hash8)
}

/// One row per report.
pub fn rows(snap: &Snapshot) -> Vec<Row> {
    snap.checks
        .iter()
        .map(|c| {
            let high = count(c, "high");
            let tone = if high > 0 { Tone::Bad } else { Tone::Good };
            let fresh = if is_current(snap, c) { "current" } else { "stale: data changed" };
            let cells = vec![
                c.dataset.clone(),
                c.hash8.clone(),
                high.to_string(),
                count(c, "medium").to_string(),
                count(c, "info").to_string(),
                fresh.to_owned(),
            ];
            Row::new(format!("{}-{}", c.dataset, c.hash8), cells, tone)
        })
        .collect()
}

/// Summary of one report.
pub fn detail(snap: &Snapshot, key: &str, theme: &Theme) -> Vec<Line<'static>> {
    let Some(c) = snap.checks.iter().find(|c| format!("{}-{}", c.dataset, c.hash8) == key) else {
        return Vec::new();
    };
    let mut lines = vec![heading(format!("Leakage report for {}", c.dataset), theme)];
    lines.push(field("File", c.path.display().to_string(), theme));
    lines.push(field("Dataset version", c.hash8.clone(), theme));
    for (sev, n) in &c.by_severity {
        lines.push(field(sev, n.to_string(), theme));
    }
    lines
}

/// What to do when there is no report.
pub fn empty(snap: &Snapshot) -> Vec<String> {
    let target = snap.problem.ok().and_then(|p| p.dataset.clone()).unwrap_or_else(|| "NAME".into());
    vec![
        "No leakage report yet.".into(),
        "Leakage makes a model look great in the lab and fail in production; check before training.".into(),
        format!("Run: mlwb check leakage --dataset {target}"),
        "(The leakage checks are not built in this version; reports written to checks/ show here.)".into(),
    ]
}
