//! The table of rows of a dataset: opening it, reading rows, sorting, filtering and moving.

use crossterm::event::{KeyCode, KeyEvent};

use super::{App, Command, Overlay, PromptFor};
use crate::tui::jobs::Job;

/// The rows of a dataset, scrolled: only the visible cells are ever turned into text.
#[derive(Debug, Clone)]
pub struct TableView {
    /// The dataset.
    pub dataset: String,
    /// The rows read so far.
    pub frame: Option<std::sync::Arc<polars::prelude::DataFrame>>,
    /// Whether every row is in `frame`.
    pub complete: bool,
    /// The selected row.
    pub row: usize,
    /// The selected column.
    pub column: usize,
    /// The sort applied: column and descending.
    pub sort: Option<(String, bool)>,
    /// The row filter applied, in the query language.
    pub filter: Option<String>,
    /// Rows before the filter.
    pub total: usize,
    /// Show the selected cell's whole value.
    pub popup: bool,
}

impl App {
    /// Opens the table of rows of the selected dataset: the first rows at once, then all.
    pub(super) fn open_table(&mut self) -> Vec<Command> {
        let Some(dataset) = self.selected_key().filter(|k| self.snap.datasets.contains_key(k))
        else {
            return Vec::new();
        };
        self.table = Some(TableView {
            dataset: dataset.clone(),
            frame: None,
            complete: false,
            row: 0,
            column: 0,
            sort: None,
            filter: None,
            total: 0,
            popup: false,
        });
        vec![
            Command::Run(Job::Rows {
                dataset: dataset.clone(),
                all: false,
                sort: None,
                filter: None,
            }),
            Command::Run(Job::Rows { dataset, all: true, sort: None, filter: None }),
        ]
    }

    /// Reads the open table again through `filter` (none when empty), keeping its sort.
    pub(super) fn filter_rows(&mut self, filter: &str) -> Vec<Command> {
        let Some(t) = self.table.as_ref() else { return Vec::new() };
        let filter = (!filter.is_empty()).then(|| filter.to_owned());
        if let Some(Err(e)) = filter.as_deref().map(crate::query::parse) {
            self.status.message = Some(format!("row filter: {e}"));
            return Vec::new();
        }
        vec![Command::Run(Job::Rows {
            dataset: t.dataset.clone(),
            all: true,
            sort: t.sort.clone(),
            filter,
        })]
    }

    pub(super) fn take_rows(&mut self, rows: &crate::tui::jobs::RowsRead) {
        let Some(t) = self.table.as_mut().filter(|t| t.dataset == rows.dataset) else { return };
        if rows.all || !t.complete {
            if rows.filter != t.filter || rows.sort != t.sort {
                t.row = 0;
            }
            t.frame = Some(rows.frame.clone());
            t.complete = rows.all;
            t.sort = rows.sort.clone();
            t.filter = rows.filter.clone();
            t.total = rows.total;
            t.row = t.row.min(rows.frame.height().saturating_sub(1));
            self.dirty = true;
        }
    }

    /// Keys of the open table; `None` lets the key through to the global map.
    pub(super) fn table_key(&mut self, key: KeyEvent) -> Option<Vec<Command>> {
        let page = self.size.1.saturating_sub(6).max(1) as usize;
        let t = self.table.as_mut()?;
        let height = t.frame.as_ref().map_or(0, |f| f.height());
        let width = t.frame.as_ref().map_or(0, |f| f.width());
        let last = |n: usize| n.saturating_sub(1);
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => t.row = (t.row + 1).min(last(height)),
            KeyCode::Up | KeyCode::Char('k') => t.row = t.row.saturating_sub(1),
            KeyCode::PageDown => t.row = (t.row + page).min(last(height)),
            KeyCode::PageUp => t.row = t.row.saturating_sub(page),
            KeyCode::Home | KeyCode::Char('g') => t.row = 0,
            KeyCode::End | KeyCode::Char('G') => t.row = last(height),
            KeyCode::Right | KeyCode::Char('l') => t.column = (t.column + 1).min(last(width)),
            KeyCode::Left | KeyCode::Char('h') => t.column = t.column.saturating_sub(1),
            KeyCode::Enter => t.popup = !t.popup,
            KeyCode::Esc if t.popup => t.popup = false,
            KeyCode::Esc => self.table = None,
            KeyCode::Char('s') => {
                let name = t
                    .frame
                    .as_ref()
                    .and_then(|f| crate::data::rows::names(f).get(t.column).cloned())?;
                let descending = t.sort.as_ref().is_some_and(|(c, d)| *c == name && !*d);
                let dataset = t.dataset.clone();
                let filter = t.filter.clone();
                return Some(vec![Command::Run(Job::Rows {
                    dataset,
                    all: true,
                    sort: Some((name, descending)),
                    filter,
                })]);
            }
            KeyCode::Char('f') | KeyCode::Char('/') => {
                self.overlay = Overlay::Prompt {
                    title: "Keep rows where… (e.g. age > 40 and region = east; empty shows all)"
                        .into(),
                    text: t.filter.clone().unwrap_or_default(),
                    purpose: PromptFor::RowFilter,
                };
            }
            KeyCode::Char(':') => {
                self.overlay = Overlay::Prompt {
                    title: "Go to row".into(),
                    text: String::new(),
                    purpose: PromptFor::JumpToRow,
                };
            }
            _ => return None,
        }
        self.dirty = true;
        Some(Vec::new())
    }
}
