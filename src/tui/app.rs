//! The application state and the one place it changes: [`App::handle`].

use std::path::{Path, PathBuf};

use crossterm::event::{
    Event as Input, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};

use super::event::Event;
use super::keys::{self, Action, Pane};
use super::panes;
use super::render;
use super::theme::Theme;
use crate::snapshot::{Part, Snapshot};

/// What the loop must do after an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Load these parts in the background.
    Load(Vec<Part>),
}

/// Selection and filter of one pane's list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListView {
    /// Index into the filtered rows.
    pub selected: usize,
    /// Case-insensitive text every shown row contains.
    pub filter: String,
    /// Whether the selected item is open full-size.
    pub open: bool,
}

/// A modal layer over the panes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Overlay {
    /// Nothing.
    #[default]
    None,
    /// The keys of the current pane.
    Help,
    /// Typing a filter; the text so far.
    Filter(String),
}

/// What the status bar shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// Watcher state.
    pub watcher: String,
    /// Background jobs queued or running.
    pub busy: usize,
    /// The newest problem, for the status bar.
    pub last_error: Option<String>,
    /// Frame counter for the busy spinner.
    pub spinner: usize,
}

/// The whole UI state.
#[derive(Debug)]
pub struct App {
    /// The workspace root, for the status bar.
    pub root: PathBuf,
    /// What has been loaded from the workspace.
    pub snap: Snapshot,
    /// Whether the first full load has arrived.
    pub loaded: bool,
    /// The pane shown.
    pub pane: Pane,
    /// Per-pane list state, indexed by [`Pane::index`].
    pub views: [ListView; 7],
    /// The modal layer.
    pub overlay: Overlay,
    /// The status bar.
    pub status: Status,
    /// Styles.
    pub theme: Theme,
    /// Opened with `mlwb tour`.
    pub tour: bool,
    /// Something changed since the last frame.
    pub dirty: bool,
    /// The user asked to leave.
    pub quit: bool,
    /// Terminal size, for page moves and mouse hits.
    pub size: (u16, u16),
}

impl App {
    /// A new app for the workspace at `root`; nothing is loaded yet.
    pub fn new(root: &Path, tour: bool, theme: Theme) -> Self {
        let views: [ListView; 7] = Default::default();
        Self {
            root: root.to_path_buf(),
            snap: Snapshot::default(),
            loaded: false,
            pane: Pane::Workflow,
            views,
            overlay: Overlay::None,
            status: Status::default(),
            theme,
            tour,
            dirty: true,
            quit: false,
            size: (80, 24),
        }
    }

    /// The list state of the current pane.
    pub fn view(&self) -> &ListView {
        &self.views[self.pane.index()]
    }

    fn view_mut(&mut self) -> &mut ListView {
        &mut self.views[self.pane.index()]
    }

    /// Applies one event; returns what the loop must do.
    pub fn handle(&mut self, event: Event) -> Vec<Command> {
        match event {
            Event::Input(input) => return self.on_input(input),
            Event::Tick => {
                if self.status.busy > 0 {
                    self.status.spinner = self.status.spinner.wrapping_add(1);
                    self.dirty = true;
                }
            }
            Event::Watch(parts) => return vec![Command::Load(parts)],
            Event::Loaded(data) => {
                self.snap.apply(*data);
                self.after_load();
            }
            Event::Busy(n) => {
                self.loaded |= n == 0;
                self.status.busy = n;
                self.dirty = true;
            }
            Event::Terminate => self.quit = true,
        }
        Vec::new()
    }

    fn after_load(&mut self) {
        self.status.last_error = self.snap.errors().first().map(|e| e.to_string());
        for pane in Pane::ALL {
            let count = panes::rows(pane, &self.snap, &self.views[pane.index()].filter).len();
            let view = &mut self.views[pane.index()];
            view.selected = view.selected.min(count.saturating_sub(1));
        }
        self.dirty = true;
    }

    fn on_input(&mut self, input: Input) -> Vec<Command> {
        match input {
            Input::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Input::Mouse(mouse) => {
                self.on_mouse(mouse);
                Vec::new()
            }
            Input::Resize(w, h) => {
                self.size = (w, h);
                self.dirty = true;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        self.dirty = true;
        match &mut self.overlay {
            Overlay::Filter(text) => {
                let done = edit_filter(text, key);
                self.apply_live_filter();
                if let Some(keep) = done {
                    self.finish_filter(keep);
                }
                return Vec::new();
            }
            Overlay::Help => {
                let closes = matches!(key.code, KeyCode::Esc | KeyCode::Char('?' | 'q'))
                    || (key.code == KeyCode::Char('c')
                        && key.modifiers.contains(KeyModifiers::CONTROL));
                if closes {
                    self.overlay = Overlay::None;
                }
                return Vec::new();
            }
            Overlay::None => {}
        }
        match keys::action_for(self.pane, &key) {
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }

    /// Performs an action, as a key would.
    pub fn act(&mut self, action: Action) -> Vec<Command> {
        self.dirty = true;
        match action {
            Action::Quit => self.quit = true,
            Action::NextPane => self.pane = self.pane.next(),
            Action::PrevPane => self.pane = self.pane.prev(),
            Action::GoTo(pane) => self.pane = pane,
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-self.page()),
            Action::PageDown => self.move_by(self.page()),
            Action::Top => self.view_mut().selected = 0,
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::Open => self.open(),
            Action::Back => self.back(),
            Action::Filter => self.overlay = Overlay::Filter(self.view().filter.clone()),
            Action::Help => self.overlay = Overlay::Help,
            Action::Reload => return vec![Command::Load(Part::all())],
        }
        Vec::new()
    }

    fn page(&self) -> isize {
        isize::try_from(self.size.1.saturating_sub(8).max(1)).unwrap_or(1)
    }

    /// Rows of the current pane after the filter.
    pub fn rows(&self) -> Vec<panes::Row> {
        panes::rows(self.pane, &self.snap, &self.view().filter)
    }

    fn move_by(&mut self, delta: isize) {
        let count = self.rows().len();
        let view = self.view_mut();
        let last = count.saturating_sub(1);
        view.selected = view.selected.saturating_add_signed(delta).min(last);
    }

    fn open(&mut self) {
        let rows = self.rows();
        let Some(row) = rows.get(self.view().selected) else { return };
        if self.pane == Pane::Workflow {
            if let Some(target) = panes::workflow::pane_for_stage(&row.key) {
                self.pane = target;
            }
            return;
        }
        self.view_mut().open = true;
    }

    fn back(&mut self) {
        let view = self.view_mut();
        if view.open {
            view.open = false;
        } else if !view.filter.is_empty() {
            view.filter.clear();
            view.selected = 0;
        }
    }

    fn finish_filter(&mut self, keep: bool) {
        if !keep {
            self.view_mut().filter.clear();
        }
        self.overlay = Overlay::None;
    }

    fn apply_live_filter(&mut self) {
        if let Overlay::Filter(text) = &self.overlay {
            let text = text.clone();
            let view = self.view_mut();
            if view.filter != text {
                view.filter = text;
                view.selected = 0;
            }
        }
    }

    fn on_mouse(&mut self, mouse: MouseEvent) {
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) if mouse.row == 0 => {
                if let Some(pane) = render::tab_at(mouse.column) {
                    self.pane = pane;
                    self.overlay = Overlay::None;
                    self.dirty = true;
                }
            }
            MouseEventKind::ScrollDown => {
                self.act(Action::Down);
            }
            MouseEventKind::ScrollUp => {
                self.act(Action::Up);
            }
            _ => {}
        }
    }
}

/// Edits the filter text; `Some(keep)` when editing ends (Enter keeps it, Esc drops it).
fn edit_filter(text: &mut String, key: KeyEvent) -> Option<bool> {
    match key.code {
        KeyCode::Enter => Some(true),
        KeyCode::Esc => {
            text.clear();
            Some(false)
        }
        KeyCode::Backspace => {
            text.pop();
            None
        }
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            text.clear();
            None
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            text.push(c);
            None
        }
        _ => None,
    }
}
