//! Pane 1: the nine stages, each with its state, why, and the next action.

use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};

use super::{Columns, Row, Tone, field, heading};
use crate::snapshot::Snapshot;
use crate::tui::keys::Pane;
use crate::tui::theme::Theme;
use crate::workflow::{self, State};

/// Stage, state, why, next.
pub const COLUMNS: Columns = Columns {
    header: &["#", "Stage", "State", "Why"],
    widths: &[
        Constraint::Length(2),
        Constraint::Length(16),
        Constraint::Length(8),
        Constraint::Fill(1),
    ],
};

fn tone(state: State) -> Tone {
    match state {
        State::Done => Tone::Good,
        State::Todo => Tone::Normal,
        State::Blocked => Tone::Warn,
        State::Error => Tone::Bad,
    }
}

/// One row per stage.
pub fn rows(snap: &Snapshot) -> Vec<Row> {
    workflow::stages(snap)
        .into_iter()
        .map(|s| {
            let cells = vec![
                s.number.to_string(),
                s.name.to_owned(),
                s.state.label().to_owned(),
                s.why.clone(),
            ];
            Row::new(s.number.to_string(), cells, tone(s.state))
        })
        .collect()
}

/// Progress over the stages, and the next one.
pub fn summary(snap: &Snapshot, theme: &Theme) -> Line<'static> {
    let stages = workflow::stages(snap);
    let done = stages.iter().filter(|s| s.state == State::Done).count();
    let next = match workflow::next_stage(&stages) {
        Some(s) => format!("  Next: stage {} {} — {}", s.number, s.name, s.next),
        None => "  Every stage is done.".to_owned(),
    };
    Line::from(vec![
        Span::styled(format!("{done} of {} stages done.", stages.len()), theme.accent),
        Span::styled(next, theme.text),
    ])
}

/// The pane that works on a stage.
pub fn pane_for_stage(key: &str) -> Option<Pane> {
    Some(match key {
        "1" => Pane::Problem,
        "2" | "3" => Pane::Data,
        "4" | "5" | "6" => Pane::Experiments,
        "7" | "8" => Pane::Registry,
        "9" => Pane::Monitor,
        _ => return None,
    })
}

/// What the stage is for, where it stands, and what to do.
pub fn detail(snap: &Snapshot, key: &str, theme: &Theme) -> Vec<Line<'static>> {
    let stages = workflow::stages(snap);
    let Some(s) = stages.iter().find(|s| s.number.to_string() == key) else {
        return Vec::new();
    };
    let mut lines = vec![
        heading(format!("Stage {} — {}", s.number, s.name), theme),
        Line::raw(s.purpose),
        Line::raw(""),
        field("State", s.state.label(), theme),
        field("Why", s.why.clone(), theme),
    ];
    if !s.next.is_empty() {
        lines.push(field("Next", s.next.clone(), theme));
    }
    if s.number == 3 {
        lines.push(Line::raw(""));
        lines.push(Line::raw(
            "Leakage belongs here: an open high finding blocks validation (stage 6).",
        ));
    }
    if let Some(pane) = pane_for_stage(key) {
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!("Enter: go to the {} pane", pane.title()), theme.dim));
    }
    lines
}
