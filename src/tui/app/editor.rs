//! Editing a field of the problem definition, and saving it without overwriting an edit
//! made elsewhere.

use crossterm::event::KeyEvent;

use super::{App, Command};
use crate::tui::jobs::Job;

/// Editing one field of the problem definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldEditor {
    /// The field key in problem.toml.
    pub key: String,
    /// Its label.
    pub label: String,
    /// The text being edited.
    pub input: crate::tui::input::TextInput,
    /// Hash of problem.toml when editing began.
    pub base: Option<String>,
    /// The last save met an edit made elsewhere; the next save overwrites it.
    pub conflict: bool,
    /// A save is running.
    pub saving: bool,
    /// After saving, edit the next field.
    pub then_next: bool,
}

impl App {
    /// Opens the editor on a problem field.
    pub(super) fn start_edit(&mut self, key: &str, label: &str) {
        let problem = self.snap.problem.ok().cloned().unwrap_or_default();
        let text = crate::problem::edit_text(&problem, key);
        let multiline = crate::problem::PROSE.contains(&key);
        self.editor = Some(FieldEditor {
            key: key.to_owned(),
            label: label.to_owned(),
            input: crate::tui::input::TextInput::new(&text, multiline),
            base: self.snap.problem_hash.clone(),
            conflict: false,
            saving: false,
            then_next: false,
        });
    }

    pub(super) fn edit_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(editor) = self.editor.as_mut() else { return Vec::new() };
        if editor.saving {
            return Vec::new();
        }
        match editor.input.key(key) {
            crate::tui::input::Outcome::Editing => Vec::new(),
            crate::tui::input::Outcome::Cancel => {
                self.editor = None;
                Vec::new()
            }
            outcome => {
                editor.saving = true;
                editor.then_next = outcome == crate::tui::input::Outcome::SaveAndNext;
                vec![Command::Run(Job::SaveProblem {
                    key: editor.key.clone(),
                    text: editor.input.text.clone(),
                    base: editor.base.clone(),
                    force: editor.conflict,
                })]
            }
        }
    }

    /// Pasted text goes into the open editor.
    pub(super) fn paste(&mut self, text: &str) {
        if let Some(e) = self.editor.as_mut().filter(|e| !e.saving) {
            e.input.insert(text);
            self.dirty = true;
        }
    }

    /// Closes or keeps the editor once its save ends; `Some` when the event was a save.
    pub(super) fn after_save(&mut self, done: &crate::tui::jobs::JobDone) -> Option<Vec<Command>> {
        let editor = self
            .editor
            .as_mut()
            .filter(|e| e.saving && done.label == format!("saving {}", e.key))?;
        editor.saving = false;
        self.dirty = true;
        match &done.result {
            Ok(msg) => {
                let next = editor.then_next;
                self.status.message = Some(msg.clone());
                self.editor = None;
                if next {
                    self.move_by(1);
                    if let Some(row) = self.rows().get(self.view().selected).cloned() {
                        // The reload of problem.toml is queued first, so the next field opens
                        // on the saved text once it arrives.
                        self.pending_next_edit = Some((row.key, row.cells[0].clone()));
                    }
                }
            }
            Err(e) => {
                editor.conflict = e.starts_with(crate::tui::jobs::CONFLICT);
                self.status.last_error = Some(e.clone());
            }
        }
        Some(vec![Command::Load(done.reload.clone())])
    }
}
