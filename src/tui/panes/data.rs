//! Pane 3: datasets with their size, version, card and approval.

use ratatui::layout::Constraint;
use ratatui::text::Line;

use super::{Columns, Row, Tone, field, heading, short_time};
use crate::data::dataset::Dataset;
use crate::snapshot::Snapshot;
use crate::tui::theme::Theme;

/// Dataset, rows, columns, version, approval.
pub const COLUMNS: Columns = Columns {
    header: &["Dataset", "Rows", "Cols", "Version", "Card"],
    widths: &[
        Constraint::Fill(2),
        Constraint::Length(9),
        Constraint::Length(5),
        Constraint::Length(9),
        Constraint::Fill(3),
    ],
};

fn card_text(d: &Dataset) -> (String, Tone) {
    if let Some(e) = d.errors.first() {
        return (format!("error: {}", e.reason), Tone::Bad);
    }
    match &d.card {
        None => ("no card".into(), Tone::Warn),
        Some(c) => match c.latest_approval() {
            Some(a) => (format!("approved for {} by {}", a.purpose, a.by), Tone::Good),
            None => ("not approved".into(), Tone::Warn),
        },
    }
}

/// One row per dataset.
pub fn rows(snap: &Snapshot) -> Vec<Row> {
    snap.datasets
        .values()
        .map(|d| {
            let (rows, version) = match d.latest_version() {
                Some(v) => (v.rows.to_string(), v.short_hash().to_owned()),
                None => ("?".into(), "—".into()),
            };
            let (card, tone) = card_text(d);
            let cells = vec![d.name.clone(), rows, d.columns.len().to_string(), version, card];
            Row::new(d.name.clone(), cells, tone)
        })
        .collect()
}

/// Card, columns and versions of one dataset.
pub fn detail(snap: &Snapshot, key: &str, theme: &Theme) -> Vec<Line<'static>> {
    let Some(d) = snap.datasets.get(key) else { return Vec::new() };
    let mut lines = vec![heading(format!("Dataset {}", d.name), theme)];
    let file = d.file.as_ref().map_or("— no data file".to_owned(), |f| f.display().to_string());
    lines.push(field("File", file, theme));
    for e in &d.errors {
        lines.push(Line::styled(format!("error: {e}"), theme.bad));
    }
    lines.extend(card_lines(d, theme));
    lines.push(Line::raw(""));
    lines.push(heading(format!("Versions ({})", d.versions.len()), theme));
    for v in d.versions.iter().rev() {
        let text = format!(
            "{}  {} rows × {} cols  {}",
            v.short_hash(),
            v.rows,
            v.cols,
            short_time(&v.time)
        );
        lines.push(Line::raw(text));
    }
    lines.push(Line::raw(""));
    lines.push(heading(format!("Columns ({})", d.columns.len()), theme));
    for c in &d.columns {
        let note = d.card.as_ref().and_then(|card| card.columns.get(c));
        let mut text = c.clone();
        if let Some(n) = note.filter(|n| !n.description.is_empty()) {
            text.push_str(&format!(" — {}", n.description));
        }
        if note.and_then(|n| n.available_at_prediction) == Some(false) {
            text.push_str("  [not available at prediction time]");
        }
        lines.push(Line::raw(text));
    }
    lines
}

fn card_lines(d: &Dataset, theme: &Theme) -> Vec<Line<'static>> {
    let Some(c) = &d.card else {
        return vec![Line::styled(
            format!(
                "No card. Record its source and approval: mlwb data approve {} --by NAME --for USE",
                d.name
            ),
            theme.warn,
        )];
    };
    let mut lines =
        vec![field("Source", c.source.clone(), theme), field("Owner", c.owner.clone(), theme)];
    if !c.description.is_empty() {
        lines.push(field("About", c.description.clone(), theme));
    }
    match c.latest_approval() {
        Some(a) => {
            let text = format!("for {} by {} on {}", a.purpose, a.by, short_time(&a.at));
            lines.push(field("Approved", text, theme));
            if !a.note.is_empty() {
                lines.push(field("Note", a.note.clone(), theme));
            }
        }
        None => lines.push(Line::styled(
            format!("Not approved: mlwb data approve {} --by NAME --for USE", d.name),
            theme.warn,
        )),
    }
    lines
}

/// What to do when there is no dataset.
pub fn empty() -> Vec<String> {
    vec![
        "No datasets yet.".into(),
        "Put a CSV or Parquet file into the workspace's data/ folder; it appears here at once."
            .into(),
        "Then record where it came from: mlwb data approve NAME --by YOU --for USE".into(),
    ]
}
