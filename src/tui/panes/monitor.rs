//! Pane 7: served models and what their logs hold.

use ratatui::layout::Constraint;
use ratatui::text::Line;

use super::{Columns, Row, Tone, field, heading, short_time};
use crate::snapshot::Snapshot;
use crate::tui::theme::Theme;

/// Model, predictions, failed, feedback, days, last prediction.
pub const COLUMNS: Columns = Columns {
    header: &["Model", "Predictions", "Failed", "Feedback", "Days", "Last prediction"],
    widths: &[
        Constraint::Fill(2),
        Constraint::Length(11),
        Constraint::Length(7),
        Constraint::Length(9),
        Constraint::Length(5),
        Constraint::Length(16),
    ],
};

/// One row per monitored model.
pub fn rows(snap: &Snapshot) -> Vec<Row> {
    snap.monitors
        .iter()
        .map(|(name, m)| {
            let tone = if !m.errors.is_empty() || m.failed > 0 { Tone::Warn } else { Tone::Normal };
            let cells = vec![
                name.clone(),
                m.predictions.to_string(),
                m.failed.to_string(),
                m.feedback.to_string(),
                m.days.to_string(),
                m.last_prediction.as_ref().map_or("—".into(), short_time),
            ];
            Row::new(name.clone(), cells, tone)
        })
        .collect()
}

/// Counts and settings of one monitored model.
pub fn detail(snap: &Snapshot, key: &str, theme: &Theme) -> Vec<Line<'static>> {
    let Some(m) = snap.monitors.get(key) else { return Vec::new() };
    let mut lines = vec![heading(format!("Monitoring {key}"), theme)];
    lines.push(field("Predictions", m.predictions.to_string(), theme));
    lines.push(field("Failed", m.failed.to_string(), theme));
    lines.push(field("Feedback", m.feedback.to_string(), theme));
    if let Some(c) = &m.config {
        lines.push(field("Reference", c.reference.clone(), theme));
    }
    for e in &m.errors {
        lines.push(Line::styled(format!("error: {e}"), theme.bad));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Drift, latency and alert charts are not built in this version.",
        theme.dim,
    ));
    lines
}

/// What to do when nothing is monitored.
pub fn empty() -> Vec<String> {
    vec![
        "No monitored models yet.".into(),
        "Serve a registered model and its predictions are logged here: mlwb serve MODEL".into(),
        "(Serving is not built in this version; logs in monitoring/<model>/ show here.)".into(),
    ]
}
