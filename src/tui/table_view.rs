//! Drawing the table of rows. Only the cells on screen are turned into text, so scrolling
//! stays fast whatever the number of rows; the first column stays in place while scrolling
//! sideways.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table, Wrap};

use super::app::{App, TableView};
use crate::data::rows;

/// Widest a column is drawn.
const MAX_WIDTH: usize = 28;

/// Draws the table over `area`.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, t: &TableView) {
    let Some(df) = t.frame.as_ref() else {
        let text = format!(
            "Reading {}… the first rows appear as soon as they are read. Esc goes back.",
            t.dataset
        );
        frame.render_widget(Paragraph::new(text).block(Block::bordered()), area);
        return;
    };
    let names = rows::names(df);
    let visible = area.height.saturating_sub(3) as usize;
    let first_row = t.row.saturating_sub(visible.saturating_sub(1));
    let last_row = (first_row + visible).min(df.height());
    // The rows on screen, sliced once per frame: finding a row in a frame of many chunks costs
    // a walk over the chunks, which must not be paid for every cell.
    let window = df.slice(first_row as i64, last_row - first_row);
    let cell = |c: usize, r: usize| rows::cell(&window, c, r - first_row);
    let index_width = df.height().max(1).to_string().len();
    let width_of = |c: usize| -> usize {
        let widest = (first_row..last_row).map(|r| cell(c, r).chars().count()).max().unwrap_or(0);
        let sorted = t.sort.as_ref().is_some_and(|(name, _)| *name == names[c]);
        widest.max(names[c].chars().count() + if sorted { 2 } else { 0 }).clamp(3, MAX_WIDTH)
    };
    // The first column is frozen. The others start at column 1 when the selected one fits;
    // otherwise they start as far left as still keeps the selected column on screen.
    let budget = (area.width as usize).saturating_sub(index_width + 3 + width_of(0) + 1);
    let span = |from: usize| (from..=t.column).map(|c| width_of(c) + 1).sum::<usize>();
    let mut start = 1;
    if t.column >= 1 {
        while start < t.column && span(start) > budget {
            start += 1;
        }
    }
    let mut shown = vec![0];
    let mut used = 0;
    for c in start..names.len() {
        let w = width_of(c) + 1;
        if used + w > budget && c > t.column {
            break;
        }
        used += w;
        shown.push(c);
    }
    let header = std::iter::once(Cell::from("#")).chain(shown.iter().map(|&c| {
        let mark = match &t.sort {
            Some((name, desc)) if *name == names[c] => {
                if *desc {
                    " ↓"
                } else {
                    " ↑"
                }
            }
            _ => "",
        };
        Cell::from(format!("{}{mark}", names[c]))
    }));
    let body = (first_row..last_row).map(|r| {
        let cells = std::iter::once(Cell::from((r + 1).to_string()).style(app.theme.dim)).chain(
            shown.iter().map(|&c| {
                let text: String = cell(c, r).chars().take(MAX_WIDTH).collect();
                let style =
                    if r == t.row && c == t.column { app.theme.selected } else { app.theme.text };
                Cell::from(text).style(style)
            }),
        );
        Row::new(cells)
    });
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(index_width as u16))
        .chain(shown.iter().map(|&c| Constraint::Length(width_of(c) as u16)))
        .collect();
    let state = match (&t.filter, t.complete) {
        (Some(f), _) => format!("{} of {} rows where {f}", df.height(), t.total),
        (None, true) => format!("{} rows", df.height()),
        (None, false) => format!("first {} rows, reading the rest…", df.height()),
    };
    let title = format!(" {} — {state} — row {} ", t.dataset, t.row + 1);
    let table = Table::new(body, widths).header(Row::new(header).style(app.theme.header)).block(
        Block::bordered()
            .title(title)
            .title_bottom(" ←↑↓→ move · s sort · f filter · : go to row · Enter cell · Esc back ")
            .border_style(app.theme.dim),
    );
    frame.render_widget(table, area);
    if t.popup {
        let value = rows::cell(df, t.column, t.row);
        let popup = Rect {
            x: area.x + 4,
            y: area.y + 3,
            width: area.width.saturating_sub(8),
            height: 8.min(area.height.saturating_sub(4)),
        };
        frame.render_widget(Clear, popup);
        let block = Block::bordered().title(format!(" {} · row {} ", names[t.column], t.row + 1));
        frame.render_widget(
            Paragraph::new(Line::raw(value)).wrap(Wrap { trim: false }).block(block),
            popup,
        );
    }
}
