//! Drawing the side-by-side comparison of runs: the differing fields with deltas against the
//! baseline, bars per metric, ROC curves or residuals overlaid, confusion matrices and feature
//! importances.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph, Row, Table, Wrap};

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
    let [bars, curves, details] = Layout::horizontal([
        Constraint::Percentage(30),
        Constraint::Percentage(35),
        Constraint::Percentage(35),
    ])
    .areas(bottom);
    draw_curves(frame, curves, app, &runs);
    frame.render_widget(
        Paragraph::new(metric_bars(&runs, app, bars.width.saturating_sub(2)))
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
    let field_width = c
        .lines
        .iter()
        .map(|l| l.section.chars().count() + l.name.chars().count() + 1)
        .max()
        .unwrap_or(10)
        .clamp(10, 36) as u16;
    let mut widths = vec![Constraint::Length(field_width)];
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

fn metric_bars(runs: &[&RunRecord], app: &App, inner: u16) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let width = runs.iter().map(|r| short_id(&r.id).chars().count()).max().unwrap_or(10).min(24);
    // Room left for the bar after the indent, the label and the value.
    let room = usize::from(inner).saturating_sub(width + 11).clamp(4, 40) as f64;
    for m in BAR_METRICS {
        let values: Vec<Option<f64>> = runs.iter().map(|r| r.metrics.get(m).copied()).collect();
        let max = values.iter().flatten().fold(0.0f64, |a, b| a.max(b.abs()));
        if values.iter().all(Option::is_none) || max == 0.0 {
            continue;
        }
        lines.push(Line::styled(m.to_owned(), app.theme.accent));
        for (r, v) in runs.iter().zip(&values) {
            let Some(v) = v else { continue };
            let filled = ((v.abs() / max) * room).round() as usize;
            let id: String = short_id(&r.id).chars().take(width).collect();
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

/// The `(x, y)` pairs stored under `key` in a run's details.
fn points(run: &RunRecord, key: &str) -> Vec<(f64, f64)> {
    run.details
        .get(key)
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
        .collect()
}

/// ROC curves of binary classifiers, or predicted-vs-residual points of regressions, one
/// series per run in its own colour (its own marker without colour).
fn draw_curves(frame: &mut Frame, area: Rect, app: &App, runs: &[&RunRecord]) {
    let roc: Vec<Vec<(f64, f64)>> = runs.iter().map(|r| points(r, "roc_curve")).collect();
    let residual: Vec<Vec<(f64, f64)>> =
        runs.iter().map(|r| points(r, "residual_sample")).collect();
    let (title, series, x_title, y_title, kind) = if roc.iter().any(|c| !c.is_empty()) {
        (" ROC curves ", roc, "false positive rate", "true positive rate", GraphType::Line)
    } else if residual.iter().any(|c| !c.is_empty()) {
        (" Residuals ", residual, "predicted", "truth − predicted", GraphType::Scatter)
    } else {
        let block = Block::bordered().title(" Curves ").border_style(app.theme.dim);
        let note = "No ROC curve or residuals recorded: they are kept for binary classification \
                    and regression runs.";
        frame.render_widget(Paragraph::new(note).wrap(Wrap { trim: true }).block(block), area);
        return;
    };
    let (mut x_lo, mut x_hi, mut y_lo, mut y_hi) = (0.0f64, 1.0f64, 0.0f64, 1.0f64);
    if kind == GraphType::Scatter {
        let all = || series.iter().flatten();
        x_lo = all().map(|p| p.0).fold(f64::INFINITY, f64::min);
        x_hi = all().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        let reach = all().map(|p| p.1.abs()).fold(0.0, f64::max).max(f64::MIN_POSITIVE);
        (y_lo, y_hi) = (-reach, reach);
        if x_hi <= x_lo {
            x_hi = x_lo + 1.0;
        }
    }
    let datasets: Vec<Dataset> = runs
        .iter()
        .zip(&series)
        .enumerate()
        .filter(|(_, (_, s))| !s.is_empty())
        .map(|(i, (r, s))| {
            let (style, marker) = app.theme.series(i);
            Dataset::default()
                .name(short_id(&r.id))
                .marker(marker)
                .graph_type(kind)
                .style(style)
                .data(s)
        })
        .collect();
    let label = |v: f64| Span::styled(format!("{v:.2}"), app.theme.dim);
    let chart = Chart::new(datasets)
        .block(Block::bordered().title(title).border_style(app.theme.dim))
        .x_axis(
            Axis::default()
                .title(Span::styled(x_title, app.theme.dim))
                .bounds([x_lo, x_hi])
                .labels([label(x_lo), label(x_hi)]),
        )
        .y_axis(
            Axis::default()
                .title(Span::styled(y_title, app.theme.dim))
                .bounds([y_lo, y_hi])
                .labels([label(y_lo), label(y_hi)]),
        )
        .hidden_legend_constraints((Constraint::Percentage(90), Constraint::Percentage(60)));
    frame.render_widget(chart, area);
}

/// A run id without its date (`20261203-171232-tree` → `171232-tree`): runs compared side by
/// side are usually from the same days, and the rest still tells them apart.
fn short_id(id: &str) -> &str {
    match id.split_once('-') {
        Some((date, rest)) if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => id,
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
