//! Drawing an open dataset: its columns with their statistics, the selected column's
//! histogram or bar chart, quantiles and top values, and the quality alerts.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::app::App;
use super::jobs::DataProfile;
use crate::checks::finding::format_number;
use crate::data::profile::{ColumnProfile, Kind};

/// Draws the open dataset `name` over `area`.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, name: &str) {
    let Some(p) = app.profiles.get(name) else {
        let text = format!(
            "Profiling {name}… statistics, histograms and alerts appear here when ready. Esc goes back."
        );
        frame.render_widget(
            Paragraph::new(text).block(Block::bordered().title(format!(" {name} "))),
            area,
        );
        return;
    };
    let cursor = app.column_cursor.min(p.columns.len().saturating_sub(1));
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let [table_area, alerts_area] =
        Layout::vertical([Constraint::Fill(2), Constraint::Fill(1)]).areas(left);
    draw_columns(frame, table_area, app, p, cursor);
    draw_alerts(frame, alerts_area, app, p);
    if let Some(c) = p.columns.get(cursor) {
        draw_column(frame, right, app, p, c);
    }
}

fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Numeric => "numeric",
        Kind::Categorical => "category",
        Kind::Text => "text",
        Kind::Datetime => "datetime",
        Kind::Empty => "empty",
    }
}

fn draw_columns(frame: &mut Frame, area: Rect, app: &App, p: &DataProfile, cursor: usize) {
    let rows = p.columns.iter().map(|c| {
        let missing = c.missing as f64 / p.rows.max(1) as f64 * 100.0;
        let mean = c.numeric.as_ref().map_or(String::new(), |s| value(c, s.mean));
        let style = if p.alerts.iter().any(|a| {
            a.columns.contains(&c.name) && a.level >= crate::checks::quality::Level::Warning
        }) {
            app.theme.warn
        } else {
            app.theme.text
        };
        Row::new(vec![
            Cell::from(c.name.clone()),
            Cell::from(kind_label(c.kind)),
            Cell::from(format!("{missing:.1}%")),
            Cell::from(c.distinct.to_string()),
            Cell::from(mean),
        ])
        .style(style)
    });
    let widths = [
        Constraint::Fill(2),
        Constraint::Length(9),
        Constraint::Length(7),
        Constraint::Length(9),
        Constraint::Fill(1),
    ];
    let sampled = p
        .sample_rows
        .map(|n| format!(" (distributions from a sample of {n} rows)"))
        .unwrap_or_default();
    let title = format!(
        " {} — {} rows × {} columns{sampled}, profiled in {:.1} s ",
        p.dataset,
        p.rows,
        p.columns.len(),
        p.seconds
    );
    let table = Table::new(rows, widths)
        .header(Row::new(["Column", "Kind", "Missing", "Distinct", "Mean"]).style(app.theme.header))
        .block(
            Block::bordered()
                .title(title)
                .title_bottom(" ↑↓ column · Esc back ")
                .border_style(app.theme.dim),
        )
        .row_highlight_style(app.theme.selected)
        .highlight_symbol("› ");
    let mut state = TableState::default().with_selected(Some(cursor));
    frame.render_stateful_widget(table, area, &mut state);
}

fn draw_alerts(frame: &mut Frame, area: Rect, app: &App, p: &DataProfile) {
    let lines: Vec<Line> = if p.alerts.is_empty() {
        vec![Line::styled("No quality alerts.", app.theme.good)]
    } else {
        p.alerts
            .iter()
            .map(|a| {
                let style = match a.level {
                    crate::checks::quality::Level::Error => app.theme.bad,
                    crate::checks::quality::Level::Warning => app.theme.warn,
                    crate::checks::quality::Level::Info => app.theme.text,
                };
                let cols =
                    if a.columns.is_empty() { "(rows)".to_owned() } else { a.columns.join(", ") };
                Line::from(vec![
                    Span::styled(format!("{:<7} {:<17} ", a.level.label(), a.alert), style),
                    Span::raw(cols),
                ])
            })
            .collect()
    };
    let block = Block::bordered()
        .title(format!(" Quality alerts ({}) ", p.alerts.len()))
        .border_style(app.theme.dim);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn draw_column(frame: &mut Frame, area: Rect, app: &App, p: &DataProfile, c: &ColumnProfile) {
    let theme = &app.theme;
    let mut lines =
        vec![Line::styled(format!("{} ({})", c.name, kind_label(c.kind)), theme.accent)];
    let in_sample = if p.sample_rows.is_some() { " in the sample" } else { "" };
    lines.push(Line::raw(format!(
        "count {}   missing {}   distinct {}{in_sample}",
        c.count, c.missing, c.distinct
    )));
    if let Some(s) = &c.numeric {
        lines.push(Line::raw(format!("min {}   max {}", value(c, s.min), value(c, s.max))));
        let std = if c.kind == Kind::Datetime {
            format!("{:.1} days", s.std / 86_400.0)
        } else {
            format_number(s.std)
        };
        lines.push(Line::raw(format!(
            "mean {}   std {std}   skew {:.2}",
            value(c, s.mean),
            s.skewness
        )));
        let q: Vec<String> = s
            .quantiles
            .iter()
            .map(|(q, v)| format!("p{:.0} {}", q * 100.0, value(c, *v)))
            .collect();
        lines.push(Line::raw(q.join("  ")));
        lines.push(Line::raw(""));
        lines.push(Line::styled("Histogram", theme.accent));
        let max = s.histogram.iter().map(|b| b.count).max().unwrap_or(1).max(1);
        let step = s.histogram.len().div_ceil(16).max(1);
        for chunk in s.histogram.chunks(step) {
            let count: usize = chunk.iter().map(|b| b.count).sum();
            let lo = chunk.first().map_or(0.0, |b| b.lo);
            let width = (count as f64 / (max * step) as f64 * 30.0).round() as usize;
            lines.push(Line::from(vec![
                Span::raw(format!("{:>10} ", value(c, lo))),
                Span::styled("█".repeat(width), theme.good),
                Span::raw(format!(" {count}")),
            ]));
        }
    } else {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Top values", theme.accent));
        for t in &c.top {
            let width = (t.share * 30.0).round() as usize;
            lines.push(Line::from(vec![
                Span::raw(format!("{:>14} ", truncate(&t.value, 14))),
                Span::styled("█".repeat(width), theme.good),
                Span::raw(format!(" {:.1}%", t.share * 100.0)),
            ]));
        }
    }
    if let (Some(target), Some((association, pps))) = (&p.target, p.with_target.get(&c.name)) {
        lines.push(Line::raw(""));
        let a = association.map_or("—".to_owned(), |a| format!("{a:.2}"));
        lines.push(Line::styled(format!("With the target {target:?}"), theme.accent));
        lines.push(Line::raw(format!("association {a} (Spearman or Cramér's V)   PPS {pps:.2}")));
    }
    let mine: Vec<&crate::checks::quality::Alert> =
        p.alerts.iter().filter(|a| a.columns.contains(&c.name)).collect();
    if !mine.is_empty() {
        lines.push(Line::raw(""));
        for a in mine {
            lines.push(Line::styled(format!("{}: {}", a.alert, a.fix), theme.warn));
        }
    }
    let block = Block::bordered().title(" Column ").border_style(theme.dim);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), area);
}

/// A statistic in the column's own terms: dates for date columns, numbers otherwise.
fn value(c: &ColumnProfile, v: f64) -> String {
    if c.kind == Kind::Datetime {
        return chrono::DateTime::from_timestamp(v as i64, 0)
            .map_or_else(|| format_number(v), |t| t.format("%Y-%m-%d").to_string());
    }
    format_number(v)
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
