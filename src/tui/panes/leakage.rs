//! Pane 4: leakage findings of each dataset's newest report, most severe first, with the
//! evidence, why each matters, the fix, and the predictive power of every feature.

use std::path::PathBuf;

use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};

use super::{Columns, Row, Tone, field, heading, short_time};
use crate::checks::finding::{Finding, Report, Severity};
use crate::snapshot::{CheckEntry, Snapshot};
use crate::tui::theme::Theme;

/// Severity, kind, columns, dataset, evidence, state.
pub const COLUMNS: Columns = Columns {
    header: &["Severity", "Kind", "Columns", "Dataset", "Evidence", "State"],
    widths: &[
        Constraint::Length(8),
        Constraint::Length(19),
        Constraint::Fill(2),
        Constraint::Length(12),
        Constraint::Fill(2),
        Constraint::Length(8),
    ],
};

/// What a selected row points at.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The report file.
    pub report: PathBuf,
    /// The dataset.
    pub dataset: String,
    /// The finding, unless the row stands for a report without findings.
    pub finding: Option<Finding>,
}

fn key_of(entry: &CheckEntry, finding: Option<&Finding>) -> String {
    format!("{}#{}", entry.path.display(), finding.map(Finding::id).unwrap_or_default())
}

/// Finds what the row `key` stands for.
pub fn selection(snap: &Snapshot, key: &str) -> Option<Selection> {
    let (path, id) = key.rsplit_once('#')?;
    let entry = snap.checks.iter().find(|c| c.path.display().to_string() == path)?;
    let finding =
        entry.report.as_ref().ok().and_then(|r| r.findings.iter().find(|f| f.id() == id)).cloned();
    Some(Selection { report: entry.path.clone(), dataset: entry.dataset.clone(), finding })
}

fn tone(severity: Severity, accepted: bool) -> Tone {
    match (severity, accepted) {
        (_, true) | (Severity::Info, _) => Tone::Normal,
        (Severity::Medium, _) => Tone::Warn,
        (Severity::High, _) => Tone::Bad,
    }
}

/// One row per finding of each dataset's newest report; one row for a clean report.
pub fn rows(snap: &Snapshot) -> Vec<Row> {
    let mut rows = Vec::new();
    for entry in snap.latest_checks() {
        let stale = snap.is_stale(entry);
        let Ok(report) = &entry.report else { continue };
        if report.findings.is_empty() {
            let state = if stale { "stale" } else { "clean" };
            let cells = vec![
                "—".into(),
                "no findings".into(),
                String::new(),
                entry.dataset.clone(),
                String::new(),
                state.into(),
            ];
            rows.push(Row::new(key_of(entry, None), cells, Tone::Good));
        }
        for f in &report.findings {
            let accepted = report.acceptance(f).is_some();
            let state = match (stale, accepted) {
                (true, _) => "stale",
                (false, true) => "accepted",
                (false, false) => "open",
            };
            let cells = vec![
                f.severity.label().to_owned(),
                f.kind.label().to_owned(),
                if f.columns.is_empty() {
                    "(row order / all rows)".into()
                } else {
                    f.columns.join(", ")
                },
                entry.dataset.clone(),
                f.evidence_text(),
                state.to_owned(),
            ];
            rows.push(Row::new(key_of(entry, Some(f)), cells, tone(f.severity, accepted)));
        }
    }
    rows.sort_by(|a, b| severity_rank(&b.cells[0]).cmp(&severity_rank(&a.cells[0])));
    rows
}

fn severity_rank(label: &str) -> u8 {
    Severity::parse(label).map_or(0, |s| s as u8 + 1)
}

/// The finding with its evidence, why, fix, and a bar chart of pps per feature.
pub fn detail(snap: &Snapshot, key: &str, theme: &Theme) -> Vec<Line<'static>> {
    let Some(sel) = selection(snap, key) else { return Vec::new() };
    let Some(entry) = snap.checks.iter().find(|c| c.path == sel.report) else { return Vec::new() };
    let Ok(report) = &entry.report else { return Vec::new() };
    let mut lines = Vec::new();
    match &sel.finding {
        Some(f) => finding_lines(f, report, theme, &mut lines),
        None => lines.push(heading(format!("{}: no leakage found", sel.dataset), theme)),
    }
    lines.push(Line::raw(""));
    let stale = if snap.is_stale(entry) { " — stale: the data changed; re-checking" } else { "" };
    lines.push(Line::styled(
        format!(
            "Report {} on version {}, {}{stale}",
            entry.dataset,
            entry.hash8,
            short_time(&report.created)
        ),
        theme.dim,
    ));
    lines.push(Line::raw(""));
    lines.extend(pps_bars(report, sel.finding.as_ref(), theme));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "c check again   u mark unavailable at prediction time   a accept with a reason",
        theme.dim,
    ));
    lines
}

fn finding_lines(f: &Finding, report: &Report, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    lines.push(heading(
        format!("{} — {} ({})", f.severity.label().to_uppercase(), f.kind.label(), f.check),
        theme,
    ));
    if !f.columns.is_empty() {
        lines.push(field("Columns", f.columns.join(", "), theme));
    }
    for (k, v) in &f.evidence {
        lines.push(field(k, crate::checks::finding::format_number(*v), theme));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("Why it matters  ", theme.accent),
        Span::raw(f.why.clone()),
    ]));
    lines.push(Line::from(vec![Span::styled("Fix  ", theme.accent), Span::raw(f.fix.clone())]));
    if let Some(a) = report.acceptance(f) {
        lines.push(Line::styled(
            format!("Accepted by {} on {}: {}", a.by, short_time(&a.at), a.reason),
            theme.good,
        ));
    }
}

/// pps(feature → target) as horizontal bars, the finding's columns highlighted.
fn pps_bars(report: &Report, finding: Option<&Finding>, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![heading(format!("Predictive power for {:?}", report.target), theme)];
    let width = report.pps.iter().map(|p| p.x.chars().count()).max().unwrap_or(8).min(24);
    for p in report.pps.iter().take(20) {
        let filled = (p.pps * 20.0).round() as usize;
        let bar = format!("{}{}", "█".repeat(filled), "·".repeat(20 - filled.min(20)));
        let hit = finding.is_some_and(|f| f.columns.contains(&p.x));
        let style = if hit {
            theme.bad
        } else if p.pps >= report.thresholds.pps_medium {
            theme.warn
        } else {
            theme.text
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{:<width$} ", truncate(&p.x, width)), style),
            Span::styled(bar, style),
            Span::raw(format!(" {:.2}", p.pps)),
        ]));
    }
    lines
}

fn truncate(s: &str, width: usize) -> String {
    s.chars().take(width).collect()
}

/// What to do when there is no report.
pub fn empty(snap: &Snapshot) -> Vec<String> {
    let target = snap.problem.ok().and_then(|p| p.dataset.clone()).unwrap_or_else(|| "NAME".into());
    vec![
        "No leakage report yet.".into(),
        "Leakage makes a model look great in the lab and fail in production; check before training.".into(),
        format!("Press c to check {target} now, or run: mlwb check leakage --dataset {target}"),
    ]
}
