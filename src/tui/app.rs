//! The application state and the one place it changes: [`App::handle`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crossterm::event::{
    Event as Input, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};

use super::event::Event;
use super::jobs::Job;
use super::keys::{self, Action, Pane};
use super::panes;
use super::render;
use super::theme::Theme;
use crate::snapshot::{Part, Snapshot};

mod editor;
mod prompts;
mod table;

pub use editor::FieldEditor;
pub use prompts::PromptFor;
pub use table::TableView;

/// What the loop must do after an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Load these parts in the background.
    Load(Vec<Part>),
    /// Run a job in the background.
    Run(Job),
    /// Ask the running job to stop.
    CancelJob,
}

/// What the cached rows were built from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RowsKey {
    generation: u64,
    pane: Pane,
    filter: String,
    sort: Option<String>,
}

/// The side-by-side comparison of runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareView {
    /// Run ids, in order.
    pub runs: Vec<String>,
    /// Index of the baseline.
    pub baseline: usize,
    /// Only fields that differ.
    pub diff_only: bool,
    /// Runs as rows instead of columns.
    pub transposed: bool,
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
    /// The metric the runs are sorted by.
    pub sort: Option<String>,
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
    /// Asking for a line of text.
    Prompt {
        /// The question.
        title: String,
        /// The answer so far.
        text: String,
        /// What the answer is for.
        purpose: PromptFor,
    },
}

/// What the status bar shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// Watcher state.
    pub watcher: String,
    /// Background loads queued or running.
    pub busy: usize,
    /// Background jobs queued or running, by label.
    pub jobs: Vec<String>,
    /// The newest job outcome worth telling.
    pub message: Option<String>,
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
    /// Runs marked for comparison.
    pub marked: BTreeSet<String>,
    /// The open comparison, if any.
    pub compare: Option<CompareView>,
    /// Progress of the running job, from 0 to 1.
    pub progress: Option<f64>,
    /// Dataset profiles computed in the background, by dataset.
    pub profiles: std::collections::BTreeMap<String, super::jobs::DataProfile>,
    /// The selected column in an open dataset.
    pub column_cursor: usize,
    /// The problem field being edited, if any.
    pub editor: Option<FieldEditor>,
    /// The open table of rows, if any.
    pub table: Option<TableView>,
    /// The saved view applied to the runs table, if any.
    current_view: Option<String>,
    /// Bumped whenever loaded workspace data changes.
    generation: u64,
    /// The rows of the current view, built once per change.
    rows_cache: std::cell::RefCell<Option<(RowsKey, std::rc::Rc<Vec<panes::Row>>)>>,
    /// A field to edit once the saved problem has been read again.
    pending_next_edit: Option<(String, String)>,
    /// Stale reports already sent for re-checking, as `dataset@hash8`.
    rechecked: BTreeSet<String>,
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
            marked: BTreeSet::new(),
            compare: None,
            progress: None,
            profiles: std::collections::BTreeMap::new(),
            column_cursor: 0,
            editor: None,
            table: None,
            current_view: None,
            generation: 0,
            rows_cache: std::cell::RefCell::new(None),
            pending_next_edit: None,
            rechecked: BTreeSet::new(),
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
            Event::Watch(parts) => {
                // A changed data file gets a new content version; the card and log reload too.
                let mut out: Vec<Command> = parts
                    .iter()
                    .filter_map(|p| match p {
                        Part::Dataset(d) => {
                            Some(Command::Run(Job::RecordVersion { dataset: d.clone() }))
                        }
                        _ => None,
                    })
                    .collect();
                out.push(Command::Load(parts));
                return out;
            }
            Event::Loaded(data) => {
                let problem = matches!(*data, crate::snapshot::PartData::Problem(..));
                self.snap.apply(*data);
                self.generation += 1;
                if problem && let Some((key, label)) = self.pending_next_edit.take() {
                    self.start_edit(&key, &label);
                }
                return self.after_load();
            }
            Event::Jobs(labels) => {
                if labels.is_empty() {
                    self.progress = None;
                }
                self.status.jobs = labels;
                self.dirty = true;
            }
            Event::JobProgress(f) => {
                self.progress = Some(f);
                self.dirty = true;
            }
            Event::JobDone(done) => {
                if let Some(out) = self.after_save(&done) {
                    return out;
                }
                if let Some(rows) = &done.rows {
                    self.take_rows(rows);
                }
                if let Some(p) = done.profile {
                    self.profiles.insert(p.dataset.clone(), *p);
                }
                match done.result {
                    Ok(msg) if msg.is_empty() => {}
                    Ok(msg) => self.status.message = Some(msg),
                    Err(e) => self.status.last_error = Some(format!("{}: {e}", done.label)),
                }
                self.dirty = true;
                return vec![Command::Load(done.reload)];
            }
            Event::Busy(n) => {
                if n == 0 && !self.loaded {
                    self.loaded = true;
                    self.status.busy = 0;
                    self.dirty = true;
                    // Files added or changed while mlwb was closed get their version now.
                    return self
                        .snap
                        .datasets
                        .keys()
                        .map(|d| Command::Run(Job::RecordVersion { dataset: d.clone() }))
                        .collect();
                }
                self.status.busy = n;
                self.dirty = true;
            }
            Event::Terminate => self.quit = true,
        }
        Vec::new()
    }

    fn after_load(&mut self) -> Vec<Command> {
        self.status.last_error = self.snap.errors().first().map(|e| e.to_string());
        for pane in Pane::ALL {
            let count = panes::rows(pane, &self.snap, &self.views[pane.index()].filter).len();
            let view = &mut self.views[pane.index()];
            view.selected = view.selected.min(count.saturating_sub(1));
        }
        self.dirty = true;
        self.recheck_stale()
    }

    /// A report made on an older version of its data is re-run in the background, once.
    fn recheck_stale(&mut self) -> Vec<Command> {
        let stale: Vec<(String, String)> = self
            .snap
            .latest_checks()
            .into_iter()
            .filter(|c| c.report.is_ok() && self.snap.is_stale(c))
            .filter_map(|c| {
                let latest = self.snap.datasets.get(&c.dataset)?.latest_version()?;
                Some((c.dataset.clone(), latest.short_hash().to_owned()))
            })
            .collect();
        let mut out = Vec::new();
        for (dataset, hash8) in stale {
            if self.rechecked.insert(format!("{dataset}@{hash8}")) {
                out.push(Command::Run(Job::Leakage { dataset }));
            }
        }
        let changed: Vec<(String, String)> = self
            .profiles
            .values()
            .filter_map(|p| {
                let latest =
                    self.snap.datasets.get(&p.dataset)?.latest_version()?.short_hash().to_owned();
                (latest != p.hash8).then(|| (p.dataset.clone(), latest))
            })
            .collect();
        for (dataset, hash8) in changed {
            if self.rechecked.insert(format!("profile:{dataset}@{hash8}")) {
                out.push(Command::Run(Job::Profile { dataset }));
            }
        }
        out
    }

    fn on_input(&mut self, input: Input) -> Vec<Command> {
        match input {
            Input::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Input::Mouse(mouse) => {
                self.on_mouse(mouse);
                Vec::new()
            }
            Input::Paste(text) => {
                self.paste(&text);
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
        if self.editor.is_some() {
            return self.edit_key(key);
        }
        if self.pane == Pane::Data
            && self.overlay == Overlay::None
            && let Some(out) = self.table_key(key)
        {
            return out;
        }
        match &mut self.overlay {
            Overlay::Filter(text) => {
                let done = edit_filter(text, key);
                self.apply_live_filter();
                if let Some(keep) = done {
                    self.finish_filter(keep);
                }
                return Vec::new();
            }
            Overlay::Prompt { text, .. } => {
                let done = edit_filter(text, key);
                if let Some(keep) = done {
                    return self.finish_prompt(keep);
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
            Action::Up if self.column_view() => {
                self.column_cursor = self.column_cursor.saturating_sub(1)
            }
            Action::Down if self.column_view() => self.column_cursor += 1,
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-self.page()),
            Action::PageDown => self.move_by(self.page()),
            Action::Top => self.view_mut().selected = 0,
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::Open => return self.open(),
            Action::Back => self.back(),
            Action::Filter => self.overlay = Overlay::Filter(self.view().filter.clone()),
            Action::Help => self.overlay = Overlay::Help,
            Action::Reload => return vec![Command::Load(Part::all())],
            Action::Recheck => return self.recheck(),
            Action::MarkUnavailable => return self.mark_unavailable(),
            Action::Approve => self.ask_approval(),
            Action::EditCard => self.ask_card_field(),
            Action::Rows => return self.open_table(),
            Action::Accept => self.ask_accept(),
            Action::Mark => self.toggle_mark(),
            Action::Compare => self.open_compare(),
            Action::NextBaseline => {
                if let Some(c) = &mut self.compare {
                    c.baseline = (c.baseline + 1) % c.runs.len().max(1);
                }
            }
            Action::ToggleDiff => {
                if let Some(c) = &mut self.compare {
                    c.diff_only = !c.diff_only;
                }
            }
            Action::Transpose => {
                if let Some(c) = &mut self.compare {
                    c.transposed = !c.transposed;
                }
            }
            Action::Train => return self.train_again(),
            Action::SortRuns => {
                let metrics = panes::experiments::SORT_METRICS;
                let next = match &self.view().sort {
                    None => Some(metrics[0].to_owned()),
                    Some(m) => metrics
                        .iter()
                        .position(|x| x == m)
                        .and_then(|i| metrics.get(i + 1))
                        .map(|m| (*m).to_owned()),
                };
                self.status.message = Some(match &next {
                    Some(m) => format!("runs sorted by {m}, best first"),
                    None => "runs sorted by start time".into(),
                });
                self.view_mut().sort = next;
            }
            Action::EditNotes => self.ask_notes(),
            Action::NextView => self.next_view(),
            Action::CancelJob => {
                if self.status.jobs.is_empty() {
                    self.status.message = Some("no job is running".into());
                } else {
                    return vec![Command::CancelJob];
                }
            }
        }
        Vec::new()
    }

    fn toggle_mark(&mut self) {
        if let Some(key) =
            self.selected_key().filter(|k| self.snap.runs.get(k).is_some_and(Result::is_ok))
        {
            if !self.marked.remove(&key) {
                self.marked.insert(key);
            }
            self.move_by(1);
        }
    }

    /// Compares the marked runs, or the selected run with the one below it.
    fn open_compare(&mut self) {
        let mut runs: Vec<String> =
            self.rows().iter().map(|r| r.key.clone()).filter(|k| self.marked.contains(k)).collect();
        if runs.len() < 2 {
            let rows = self.rows();
            let at = self.view().selected;
            runs = rows.iter().skip(at).take(2).map(|r| r.key.clone()).collect();
        }
        runs.retain(|k| self.snap.runs.get(k).is_some_and(Result::is_ok));
        if runs.len() < 2 {
            self.status.message = Some("mark two or more runs with Space, then press c".into());
            return;
        }
        self.compare = Some(CompareView { runs, baseline: 0, diff_only: true, transposed: false });
    }

    fn train_again(&mut self) -> Vec<Command> {
        let experiment = self
            .selected_key()
            .and_then(|k| {
                self.snap.runs.get(&k).and_then(|r| r.as_ref().ok()).map(|r| r.experiment.clone())
            })
            .or_else(|| self.snap.experiments.keys().next().cloned());
        match experiment {
            Some(experiment) => vec![Command::Run(Job::Train { experiment })],
            None => Vec::new(),
        }
    }

    /// The key of the selected row of the current pane (a dataset name, a run id…).
    pub fn selected_key(&self) -> Option<String> {
        self.rows().get(self.view().selected).map(|r| r.key.clone())
    }

    fn recheck(&mut self) -> Vec<Command> {
        let dataset = self
            .selected_key()
            .and_then(|k| panes::leakage::selection(&self.snap, &k).map(|s| s.dataset))
            .or_else(|| self.snap.problem.ok().and_then(|p| p.dataset.clone()));
        match dataset {
            Some(dataset) => vec![Command::Run(Job::Leakage { dataset })],
            None => {
                self.status.message =
                    Some("no dataset to check: set `dataset` in problem.toml".into());
                Vec::new()
            }
        }
    }

    fn mark_unavailable(&mut self) -> Vec<Command> {
        let Some(sel) = self.selected_key().and_then(|k| panes::leakage::selection(&self.snap, &k))
        else {
            return Vec::new();
        };
        match sel.finding {
            Some(f) if !f.columns.is_empty() => {
                vec![Command::Run(Job::MarkUnavailable {
                    dataset: sel.dataset,
                    columns: f.columns,
                })]
            }
            _ => {
                self.status.message = Some("this finding names no column to mark".into());
                Vec::new()
            }
        }
    }

    /// Applies the saved view after the current one (by name), then none again.
    fn next_view(&mut self) {
        let views = self.snap.manifest.ok().map(crate::experiment::views::load).unwrap_or_default();
        if views.is_empty() {
            self.status.message =
                Some("no saved views: mlwb runs --save-view NAME --filter EXPR".into());
            return;
        }
        let next = match &self.current_view {
            None => views.keys().next().cloned(),
            Some(cur) => views.keys().find(|k| *k > cur).cloned(),
        };
        match next.as_ref().and_then(|n| views.get(n).map(|v| (n, v))) {
            Some((name, v)) => {
                let (filter, sort) = (v.filter.clone(), v.sort.clone());
                self.status.message = Some(format!("view {name}: {filter}"));
                let view = self.view_mut();
                view.filter = filter;
                view.sort = sort;
                view.selected = 0;
            }
            None => {
                self.status.message = Some("all runs".into());
                let view = self.view_mut();
                view.filter.clear();
                view.sort = None;
            }
        }
        self.current_view = next;
    }

    fn page(&self) -> isize {
        isize::try_from(self.size.1.saturating_sub(8).max(1)).unwrap_or(1)
    }

    /// Rows of the current pane after the filter and sort. They are built once per change of
    /// the workspace, pane, filter or sort, so a frame with ten thousand runs stays cheap.
    pub fn rows(&self) -> std::rc::Rc<Vec<panes::Row>> {
        let key = RowsKey {
            generation: self.generation,
            pane: self.pane,
            filter: self.view().filter.clone(),
            sort: self.view().sort.clone(),
        };
        let mut cache = self.rows_cache.borrow_mut();
        if let Some((k, rows)) = cache.as_ref()
            && *k == key
        {
            return std::rc::Rc::clone(rows);
        }
        let mut rows = panes::rows(self.pane, &self.snap, &self.view().filter);
        if self.pane == Pane::Experiments
            && let Some(metric) = &self.view().sort
        {
            panes::experiments::sort_rows(&mut rows, &self.snap, metric);
        }
        let rows = std::rc::Rc::new(rows);
        *cache = Some((key, std::rc::Rc::clone(&rows)));
        rows
    }

    fn move_by(&mut self, delta: isize) {
        let count = self.rows().len();
        let view = self.view_mut();
        let last = count.saturating_sub(1);
        view.selected = view.selected.saturating_add_signed(delta).min(last);
    }

    fn open(&mut self) -> Vec<Command> {
        let rows = self.rows();
        let Some(row) = rows.get(self.view().selected).cloned() else { return Vec::new() };
        if self.pane == Pane::Problem {
            self.start_edit(&row.key, &row.cells[0]);
            return Vec::new();
        }
        if self.pane == Pane::Workflow {
            if let Some(target) = panes::workflow::pane_for_stage(&row.key) {
                self.pane = target;
            }
            return Vec::new();
        }
        self.view_mut().open = true;
        if self.pane == Pane::Data {
            self.column_cursor = 0;
            if !self.profiles.contains_key(&row.key) {
                return vec![Command::Run(Job::Profile { dataset: row.key.clone() })];
            }
        }
        Vec::new()
    }

    /// True when the Data pane shows an open dataset's columns.
    pub fn column_view(&self) -> bool {
        self.pane == Pane::Data && self.view().open
    }

    fn back(&mut self) {
        if self.pane == Pane::Experiments && self.compare.take().is_some() {
            return;
        }
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
