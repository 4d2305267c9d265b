//! Pane 2: the problem definition, field by field, with completeness.

use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};

use super::{Columns, Row, Tone, field, heading};
use crate::problem::{Problem, REQUIRED};
use crate::snapshot::{Loaded, Snapshot};
use crate::tui::theme::Theme;

/// Field, value.
pub const COLUMNS: Columns =
    Columns { header: &["Field", "Value"], widths: &[Constraint::Length(24), Constraint::Fill(1)] };

/// Optional fields shown after the required ones.
const OPTIONAL: [(&str, &str); 3] = [
    ("entity_column", "Entity column"),
    ("time_column", "Time column"),
    ("retraining_owner", "Retraining owner"),
];

/// The definition to show: the file's, or an empty one to fill in when there is no file.
fn shown(snap: &Snapshot) -> Option<std::borrow::Cow<'_, Problem>> {
    match &snap.problem {
        Loaded::Ok(p) => Some(std::borrow::Cow::Borrowed(p)),
        Loaded::Missing => Some(std::borrow::Cow::Owned(Problem::default())),
        Loaded::Err(_) | Loaded::Pending => None,
    }
}

/// One row per field; none when problem.toml is missing or broken.
pub fn rows(snap: &Snapshot) -> Vec<Row> {
    let Some(p) = shown(snap) else { return Vec::new() };
    let p = p.as_ref();
    let required = REQUIRED.iter().map(|f| (f.key, f.label, true));
    let optional = OPTIONAL.iter().map(|(k, l)| (*k, *l, false));
    let mut rows: Vec<Row> = required
        .chain(optional)
        .map(|(key, label, needed)| match p.field_text(key) {
            Some(v) => Row::new(key, vec![label.to_owned(), v], Tone::Normal),
            None if needed => Row::new(key, vec![label.to_owned(), "— missing".into()], Tone::Warn),
            None => Row::new(key, vec![label.to_owned(), "— (optional)".into()], Tone::Normal),
        })
        .collect();
    rows.push(Row::new("costs", vec!["Error costs".into(), costs_text(p)], Tone::Normal));
    rows
}

fn costs_text(p: &Problem) -> String {
    let Some(c) = &p.costs else { return "— (optional)".into() };
    let show = |v: Option<f64>| v.map_or("?".to_owned(), |x| x.to_string());
    format!("false positive {}, false negative {}", show(c.false_positive), show(c.false_negative))
}

/// Completeness meter.
pub fn summary(snap: &Snapshot, theme: &Theme) -> Option<Line<'static>> {
    let p = shown(snap)?;
    let share = p.completeness();
    let filled = (share * 20.0).round() as usize;
    let bar = format!("{}{}", "█".repeat(filled), "░".repeat(20 - filled));
    let style = if p.missing().is_empty() { theme.good } else { theme.warn };
    Some(Line::from(vec![
        Span::styled("Complete ", theme.text),
        Span::styled(bar, style),
        Span::styled(
            format!(" {:.0}%  ({} missing)", share * 100.0, p.missing().len()),
            theme.text,
        ),
    ]))
}

/// Why the field matters and its full value.
pub fn detail(snap: &Snapshot, key: &str, theme: &Theme) -> Vec<Line<'static>> {
    let Some(p) = shown(snap) else { return Vec::new() };
    let p = p.as_ref();
    let mut lines = Vec::new();
    if let Some(f) = REQUIRED.iter().find(|f| f.key == key) {
        lines.push(heading(f.label, theme));
        lines.push(Line::raw(format!("Why it matters: it {}.", f.why)));
    } else {
        lines.push(heading(key.replace('_', " "), theme));
    }
    lines.push(Line::raw(""));
    let value = if key == "costs" { costs_text(p) } else { p.field_text(key).unwrap_or_default() };
    lines.push(field("Value", if value.is_empty() { "— missing".into() } else { value }, theme));
    let missing = p.missing();
    if !missing.is_empty() {
        lines.push(Line::raw(""));
        lines.push(heading("Still missing", theme));
        for f in missing {
            lines.push(Line::raw(format!("• {}: {}", f.label, f.why)));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Enter edits this field; problem.toml can also be edited in any editor.",
        theme.dim,
    ));
    lines
}

/// What to do when there is no problem definition.
pub fn empty(snap: &Snapshot) -> Vec<String> {
    match &snap.problem {
        Loaded::Err(e) => vec![
            "problem.toml cannot be read:".into(),
            e.to_string(),
            "Fix the file in an editor; mlwb reloads it when it is saved. Nothing was overwritten.".into(),
        ],
        _ => vec![
            "No problem definition yet: problem.toml is missing.".into(),
            "Write down what the model predicts, for whom, and how good it must be.".into(),
            "Create problem.toml in the workspace (fields: task, task_type, dataset, target, users,".into(),
            "decision, business_value, [acceptable_error], available_at_prediction; see the README).".into(),
        ],
    }
}
