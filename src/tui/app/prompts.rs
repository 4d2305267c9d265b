//! One-line prompts: notes, approvals, card fields, accepted findings, row numbers and
//! row filters, and what their answers set off.

use std::path::PathBuf;

use super::{App, Command, Overlay};
use crate::tui::jobs::Job;
use crate::tui::panes;

/// What a text prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptFor {
    /// A row number to jump to in the table.
    JumpToRow,
    /// The table's row filter (empty clears it).
    RowFilter,
    /// A run's notes.
    Notes {
        /// The run id.
        run: String,
    },
    /// Which card field to edit.
    CardField {
        /// The dataset.
        dataset: String,
    },
    /// The new value of a card field.
    CardValue {
        /// The dataset.
        dataset: String,
        /// The field.
        field: String,
    },
    /// Who approves a dataset.
    ApproveBy {
        /// The dataset.
        dataset: String,
    },
    /// The approved use (and a note) of a dataset.
    ApproveUse {
        /// The dataset.
        dataset: String,
        /// Who approves.
        by: String,
    },
    /// The reason for accepting a finding.
    Accept {
        /// The report file.
        report: PathBuf,
        /// The finding's id.
        finding: String,
    },
}

impl App {
    pub(super) fn ask_notes(&mut self) {
        let Some(run) = self
            .selected_key()
            .and_then(|k| self.snap.runs.get(&k).and_then(|r| r.as_ref().ok()).cloned())
        else {
            return;
        };
        self.overlay = Overlay::Prompt {
            title: format!("Notes for {}", run.id),
            text: run.notes.clone(),
            purpose: PromptFor::Notes { run: run.id },
        };
    }

    pub(super) fn ask_card_field(&mut self) {
        let Some(dataset) = self.selected_key().filter(|k| self.snap.datasets.contains_key(k))
        else {
            return;
        };
        self.overlay = Overlay::Prompt {
            title: format!(
                "Which field of the card of {dataset}? source, owner, description, \
                 column.NAME, available.NAME"
            ),
            text: String::new(),
            purpose: PromptFor::CardField { dataset },
        };
    }

    pub(super) fn ask_approval(&mut self) {
        let Some(dataset) = self.selected_key().filter(|k| self.snap.datasets.contains_key(k))
        else {
            return;
        };
        self.overlay = Overlay::Prompt {
            title: format!("Who approves {dataset}?"),
            text: std::env::var("USER").unwrap_or_default(),
            purpose: PromptFor::ApproveBy { dataset },
        };
    }

    pub(super) fn ask_accept(&mut self) {
        let Some(sel) = self.selected_key().and_then(|k| panes::leakage::selection(&self.snap, &k))
        else {
            return;
        };
        if let Some(f) = sel.finding {
            self.overlay = Overlay::Prompt {
                title: format!("Why is {} acceptable?", f.id()),
                text: String::new(),
                purpose: PromptFor::Accept { report: sel.report, finding: f.id() },
            };
        }
    }

    pub(super) fn finish_prompt(&mut self, keep: bool) -> Vec<Command> {
        let overlay = std::mem::take(&mut self.overlay);
        let Overlay::Prompt { text, purpose, .. } = overlay else { return Vec::new() };
        if !keep {
            return Vec::new();
        }
        if purpose == PromptFor::RowFilter {
            return self.filter_rows(text.trim());
        }
        if text.trim().is_empty() {
            self.status.message = Some("nothing recorded: an answer is required".into());
            return Vec::new();
        }
        match purpose {
            PromptFor::Notes { run } => vec![Command::Run(Job::SaveNotes { run, notes: text })],
            PromptFor::RowFilter => self.filter_rows(text.trim()),
            PromptFor::JumpToRow => {
                match text.trim().replace(['_', ','], "").parse::<usize>() {
                    Ok(n) => {
                        if let Some(t) = self.table.as_mut() {
                            let height = t.frame.as_ref().map_or(0, |f| f.height());
                            t.row = n.saturating_sub(1).min(height.saturating_sub(1));
                        }
                    }
                    Err(_) => {
                        self.status.message = Some(format!("{:?} is not a row number", text.trim()))
                    }
                }
                Vec::new()
            }
            PromptFor::CardField { dataset } => {
                let field = text.trim().to_owned();
                let card = self
                    .snap
                    .datasets
                    .get(&dataset)
                    .and_then(|d| d.card.clone())
                    .unwrap_or_default();
                match crate::data::card::field_text(&card, &field) {
                    Ok(current) => {
                        self.overlay = Overlay::Prompt {
                            title: format!("{field} of {dataset}"),
                            text: current,
                            purpose: PromptFor::CardValue { dataset, field },
                        };
                    }
                    Err(e) => self.status.message = Some(e),
                }
                Vec::new()
            }
            PromptFor::CardValue { dataset, field } => {
                vec![Command::Run(Job::SetCard { dataset, field, value: text.trim().to_owned() })]
            }
            PromptFor::ApproveBy { dataset } => {
                self.overlay = Overlay::Prompt {
                    title: format!("Approve {dataset} for which use? (add a note after ' - ')"),
                    text: String::new(),
                    purpose: PromptFor::ApproveUse { dataset, by: text.trim().to_owned() },
                };
                Vec::new()
            }
            PromptFor::ApproveUse { dataset, by } => {
                let (purpose, note) = match text.split_once(" - ") {
                    Some((u, n)) => (u.trim().to_owned(), n.trim().to_owned()),
                    None => (text.trim().to_owned(), String::new()),
                };
                vec![Command::Run(Job::Approve { dataset, by, purpose, note })]
            }
            PromptFor::Accept { report, finding } => {
                vec![Command::Run(Job::Accept { report, finding, reason: text })]
            }
        }
    }
}
