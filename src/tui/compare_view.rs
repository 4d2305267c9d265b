//! Drawing the side-by-side comparison of runs: the differing fields with deltas against the
//! baseline, bars per metric, confusion matrices and feature importances.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, Wrap};

use super::app::{App, CompareView};
use crate::experiment::compare::{self, Comparison};
use crate::experiment::run::RunRecord;

/// Metrics drawn as bars when the runs have them.
const BAR_METRICS: [&str; 8] =
    ["accuracy", "balanced_accuracy", "f1", "roc_auc", "pr_auc", "r2", "mae", "rmse"];

/// Draws the comparison over `area`.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, view: &CompareView) {
    let runs: Vec<&RunRecord> =
        view.runs.iter().filter_map(|id| app.snap.runs.get(id)?.as_ref().ok()).collect();
    if runs.len() < 2 {
        frame.render_widget(Paragraph::new("The compared runs are gone. Esc closes."), area);
        return;
    }
    let c = compare::compare(&runs, view.baseline.min(runs.len() - 1));
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    if view.transposed {
        draw_transposed(frame, top, app, &c, view);
    } else {
        draw_fields(frame, top, app, &c, view);
    }
    let [bars, details] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    frame.render_widget(
        Paragraph::new(metric_bars(&runs, app))
            .block(Block::bordered().title(" Metrics ").border_style(app.theme.dim)),
        bars,
    );
    frame.render_widget(
        Paragraph::new(confusions_and_importances(&runs, app)).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .title(" Confusion matrices · importances ")
                .border_style(app.theme.dim),
        ),
        details,
    );
}

fn title(view: &CompareView) -> String {
    format!(
        " Compare {} runs — {} — b baseline, d {}, t transpose, Esc back ",
        view.runs.len(),
        if view.diff_only { "only differences" } else { "every field" },
        if view.diff_only { "show all" } else { "only differences" }
    )
}

fn cell_style(app: &App, line: &compare::Line, i: usize) -> Style {
    match line.better.get(i).copied().flatten() {
        Some(true) => app.theme.good,
        Some(false) => app.theme.bad,
        None => app.theme.text,
    }
}

fn draw_fields(frame: &mut Frame, area: Rect, app: &App, c: &Comparison, view: &CompareView) {
    let mut header = vec!["field".to_owned()];
    header.extend(
        c.runs
            .iter()
            .enumerate()
            .map(|(i, r)| if i == c.baseline { format!("{r} (base)") } else { r.clone() }),
    );
    let rows = c.lines.iter().filter(|l| !view.diff_only || l.differs).map(|l| {
        let mut cells = vec![ratatui::widgets::Cell::from(format!("{}.{}", l.section, l.name))];
        for i in 0..c.runs.len() {
            cells.push(
                ratatui::widgets::Cell::from(compare::cell(l, i, c.baseline))
                    .style(cell_style(app, l, i)),
            );
        }
        Row::new(cells)
    });
    let mut widths = vec![Constraint::Length(24)];
    widths.extend(std::iter::repeat_n(Constraint::Fill(1), c.runs.len()));
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(app.theme.header))
        .block(Block::bordered().title(title(view)).border_style(app.theme.dim));
    frame.render_widget(table, area);
}

fn draw_transposed(frame: &mut Frame, area: Rect, app: &App, c: &Comparison, view: &CompareView) {
    let lines: Vec<&compare::Line> =
        c.lines.iter().filter(|l| !view.diff_only || l.differs).collect();
    let mut header = vec!["run".to_owned()];
    header.extend(lines.iter().map(|l| l.name.clone()));
    let rows = (0..c.runs.len()).map(|i| {
        let mut cells = vec![ratatui::widgets::Cell::from(c.runs[i].clone())];
        for l in &lines {
            cells.push(
                ratatui::widgets::Cell::from(l.values[i].clone().unwrap_or_else(|| "—".into()))
                    .style(cell_style(app, l, i)),
            );
        }
        Row::new(cells)
    });
    let mut widths = vec![Constraint::Length(28)];
    widths.extend(std::iter::repeat_n(Constraint::Length(12), lines.len()));
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(app.theme.header))
        .block(Block::bordered().title(title(view)).border_style(app.theme.dim));
    frame.render_widget(table, area);
}

fn metric_bars(runs: &[&RunRecord], app: &App) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let width = runs.iter().map(|r| r.id.chars().count()).max().unwrap_or(10).min(28);
    for m in BAR_METRICS {
        let values: Vec<Option<f64>> = runs.iter().map(|r| r.metrics.get(m).copied()).collect();
        let max = values.iter().flatten().fold(0.0f64, |a, b| a.max(b.abs()));
        if values.iter().all(Option::is_none) || max == 0.0 {
            continue;
        }
        lines.push(Line::styled(m.to_owned(), app.theme.accent));
        for (r, v) in runs.iter().zip(&values) {
            let Some(v) = v else { continue };
            let filled = ((v.abs() / max) * 24.0).round() as usize;
            let id: String =
                r.id.chars().rev().take(width).collect::<Vec<_>>().into_iter().rev().collect();
            lines.push(Line::from(vec![
                Span::raw(format!("  {id:>width$} ")),
                Span::styled("█".repeat(filled), app.theme.good),
                Span::raw(format!(" {v:.4}")),
            ]));
        }
    }
    lines
}

fn confusions_and_importances(runs: &[&RunRecord], app: &App) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for r in runs {
        lines.push(Line::styled(r.id.clone(), app.theme.accent));
        if let Some(m) = r.details.get("confusion_matrix").and_then(|v| v.as_array()) {
            let classes: Vec<String> = r
                .details
                .get("classes")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().map(|c| c.as_str().unwrap_or("?").to_owned()).collect())
                .unwrap_or_default();
            let heads: Vec<String> =
                classes.iter().map(|c| format!("{:>7}", truncate(c, 7))).collect();
            lines.push(Line::styled(
                format!("  {:<13}{}  (predicted)", "", heads.join("")),
                app.theme.dim,
            ));
            for (i, row) in m.iter().enumerate() {
                let cells: Vec<String> = row
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|v| format!("{:>7}", v.to_string()))
                    .collect();
                lines.push(Line::raw(format!(
                    "  true {:<8}{}",
                    classes.get(i).cloned().unwrap_or_default(),
                    cells.join("")
                )));
            }
        }
        let mut imp: Vec<(&String, &f64)> = r.importances.iter().collect();
        imp.sort_by(|a, b| b.1.total_cmp(a.1));
        let top: Vec<String> = imp.iter().take(4).map(|(k, v)| format!("{k} {:.2}", v)).collect();
        if !top.is_empty() {
            lines.push(Line::styled(format!("  top features: {}", top.join(", ")), app.theme.dim));
        }
    }
    lines
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
