//! The seven panes: what each lists, its detail view, its empty state and its errors.
//!
//! Every pane is a list of rows over the snapshot plus a detail view of the selected row, so
//! selection, filtering and opening work the same everywhere. Drawing is in `render`.

pub mod data;
pub mod experiments;
pub mod leakage;
pub mod monitor;
pub mod problem;
pub mod registry;
pub mod workflow;

use ratatui::layout::Constraint;
use ratatui::text::Line;

use super::keys::Pane;
use super::theme::Theme;
use crate::snapshot::Snapshot;
use crate::workspace::files::FileError;

/// How a row should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Plain.
    Normal,
    /// Done or healthy.
    Good,
    /// Needs attention.
    Warn,
    /// Broken or blocked.
    Bad,
}

/// One row of a pane's list.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What the row stands for (stage number, dataset name, run id ...).
    pub key: String,
    /// The cells, in column order.
    pub cells: Vec<String>,
    /// How it looks.
    pub tone: Tone,
}

impl Row {
    fn new(key: impl Into<String>, cells: Vec<String>, tone: Tone) -> Self {
        Self { key: key.into(), cells, tone }
    }

    fn matches(&self, needle: &str) -> bool {
        needle.is_empty() || self.cells.iter().any(|c| c.to_lowercase().contains(needle))
    }
}

/// Column titles and widths of a pane's list.
#[derive(Debug, Clone, Copy)]
pub struct Columns {
    /// Titles.
    pub header: &'static [&'static str],
    /// Widths.
    pub widths: &'static [Constraint],
}

/// The columns of `pane`.
pub fn columns(pane: Pane) -> Columns {
    match pane {
        Pane::Workflow => workflow::COLUMNS,
        Pane::Problem => problem::COLUMNS,
        Pane::Data => data::COLUMNS,
        Pane::Leakage => leakage::COLUMNS,
        Pane::Experiments => experiments::COLUMNS,
        Pane::Registry => registry::COLUMNS,
        Pane::Monitor => monitor::COLUMNS,
    }
}

/// The rows of `pane` that contain `filter` (case-insensitive).
pub fn rows(pane: Pane, snap: &Snapshot, filter: &str) -> Vec<Row> {
    let all = match pane {
        Pane::Workflow => workflow::rows(snap),
        Pane::Problem => problem::rows(snap),
        Pane::Data => data::rows(snap),
        Pane::Leakage => leakage::rows(snap),
        Pane::Experiments => experiments::rows(snap),
        Pane::Registry => registry::rows(snap),
        Pane::Monitor => monitor::rows(snap),
    };
    if pane == Pane::Experiments
        && let Some(expr) = experiments::filter_expr(filter)
    {
        return all.into_iter().filter(|r| experiments::passes(snap, &r.key, &expr)).collect();
    }
    let needle = filter.to_lowercase();
    all.into_iter().filter(|r| r.matches(&needle)).collect()
}

/// The detail view of the row `key` in `pane`.
pub fn detail(pane: Pane, snap: &Snapshot, key: &str, theme: &Theme) -> Vec<Line<'static>> {
    match pane {
        Pane::Workflow => workflow::detail(snap, key, theme),
        Pane::Problem => problem::detail(snap, key, theme),
        Pane::Data => data::detail(snap, key, theme),
        Pane::Leakage => leakage::detail(snap, key, theme),
        Pane::Experiments => experiments::detail(snap, key, theme),
        Pane::Registry => registry::detail(snap, key, theme),
        Pane::Monitor => monitor::detail(snap, key, theme),
    }
}

/// What the pane says when it has nothing to list: what is missing, and what fills it.
pub fn empty(pane: Pane, snap: &Snapshot) -> Vec<String> {
    match pane {
        Pane::Workflow => vec!["Reading the workspace…".into()],
        Pane::Problem => problem::empty(snap),
        Pane::Data => data::empty(),
        Pane::Leakage => leakage::empty(snap),
        Pane::Experiments => experiments::empty(snap),
        Pane::Registry => registry::empty(),
        Pane::Monitor => monitor::empty(),
    }
}

/// The line above the list, if the pane has one.
pub fn summary(pane: Pane, snap: &Snapshot, theme: &Theme) -> Option<Line<'static>> {
    match pane {
        Pane::Workflow => Some(workflow::summary(snap, theme)),
        Pane::Problem => problem::summary(snap, theme),
        Pane::Experiments => experiments::summary(snap),
        _ => None,
    }
}

/// The broken files that belong to `pane`.
pub fn errors(pane: Pane, snap: &Snapshot) -> Vec<FileError> {
    let all = snap.errors();
    let folder = match pane {
        Pane::Workflow => return all.into_iter().cloned().collect(),
        Pane::Problem => "problem.toml",
        Pane::Data => "data",
        Pane::Leakage => "checks",
        Pane::Experiments => return experiments::errors(snap),
        Pane::Registry => "registry",
        Pane::Monitor => "monitoring",
    };
    all.into_iter().filter(|e| path_has_component(&e.path, folder)).cloned().collect()
}

fn path_has_component(path: &std::path::Path, name: &str) -> bool {
    path.components().any(|c| c.as_os_str() == name)
}

/// A short human time: date and minutes, UTC.
pub fn short_time(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// A `label: value` line for detail views.
pub fn field(label: &str, value: impl Into<String>, theme: &Theme) -> Line<'static> {
    use ratatui::text::Span;
    Line::from(vec![
        Span::styled(format!("{label:<18}"), theme.dim),
        Span::styled(value.into(), theme.text),
    ])
}

/// A heading line for detail views.
pub fn heading(text: impl Into<String>, theme: &Theme) -> Line<'static> {
    Line::styled(text.into(), theme.accent)
}
