//! Background work for the UI: a loader thread that reads workspace parts, and the watcher.
//!
//! Requests are coalesced: a part asked for again while queued is loaded once, and a request
//! for all runs absorbs queued requests for single runs.

use std::collections::BTreeSet;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;

use super::event::Event;
use crate::snapshot::{self, Part};
use crate::workspace::Workspace;
use crate::workspace::watch::{self, Watcher};

#[derive(Debug, Default)]
struct Queue {
    pending: BTreeSet<Part>,
    closed: bool,
}

#[derive(Debug, Default)]
struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
}

/// The loader and the watcher of one workspace; dropping it stops both.
#[derive(Debug)]
pub struct Background {
    shared: Arc<Shared>,
    watcher: Result<Watcher, String>,
}

impl Background {
    /// Starts the loader and the watcher; watcher batches arrive as [`Event::Watch`].
    pub fn start(ws: &Workspace, tx: Sender<Event>) -> Self {
        Self::start_with(ws, tx, watch::poll_requested())
    }

    /// Like [`Background::start`], choosing polling explicitly.
    pub fn start_with(ws: &Workspace, tx: Sender<Event>, force_poll: bool) -> Self {
        let shared = Arc::new(Shared::default());
        spawn_loader(ws.clone(), Arc::clone(&shared), tx.clone());
        let watch_ws = ws.clone();
        let watcher = watch::start(ws.root(), force_poll, move |paths| {
            let parts: BTreeSet<Part> =
                paths.iter().filter_map(|p| snapshot::part_for_path(&watch_ws, p)).collect();
            if !parts.is_empty() {
                let _ = tx.send(Event::Watch(parts.into_iter().collect()));
            }
        });
        if let Err(e) = &watcher {
            tracing::warn!("not watching the workspace: {e}");
        }
        Self { shared, watcher }
    }

    /// The watcher's state for the status bar.
    pub fn watch_label(&self) -> String {
        match &self.watcher {
            Ok(w) => w.mode().label().to_owned(),
            Err(e) => format!("not watching: {e}"),
        }
    }

    /// Queues parts to load; returns at once.
    pub fn request(&self, parts: Vec<Part>) {
        let mut queue = self.shared.queue.lock().unwrap_or_else(PoisonError::into_inner);
        for part in parts {
            enqueue(&mut queue.pending, part);
        }
        self.shared.wake.notify_one();
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let mut queue = self.shared.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.closed = true;
        self.shared.wake.notify_one();
    }
}

fn enqueue(pending: &mut BTreeSet<Part>, part: Part) {
    if pending.iter().any(|p| p.covers(&part)) {
        return;
    }
    pending.retain(|p| !part.covers(p));
    pending.insert(part);
}

fn spawn_loader(ws: Workspace, shared: Arc<Shared>, tx: Sender<Event>) {
    let spawned = thread::Builder::new()
        .name("mlwb-loader".into())
        .spawn(move || loader_loop(&ws, &shared, &tx));
    if let Err(e) = spawned {
        tracing::error!("cannot start the loader thread: {e}");
    }
}

fn loader_loop(ws: &Workspace, shared: &Shared, tx: &Sender<Event>) {
    loop {
        let batch: Vec<Part> = {
            let mut queue = shared.queue.lock().unwrap_or_else(PoisonError::into_inner);
            while queue.pending.is_empty() && !queue.closed {
                queue = shared.wake.wait(queue).unwrap_or_else(PoisonError::into_inner);
            }
            if queue.closed {
                return;
            }
            std::mem::take(&mut queue.pending).into_iter().collect()
        };
        let mut left = batch.len();
        for part in batch {
            if tx.send(Event::Busy(left)).is_err() {
                return;
            }
            let data = snapshot::load_part(ws, &part);
            left -= 1;
            if tx.send(Event::Loaded(Box::new(data))).is_err() {
                return;
            }
        }
        let queued = shared.queue.lock().unwrap_or_else(PoisonError::into_inner).pending.len();
        if tx.send(Event::Busy(queued)).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_runs_absorbs_single_runs_and_is_not_duplicated() {
        let mut pending = BTreeSet::new();
        enqueue(&mut pending, Part::Run("a".into()));
        enqueue(&mut pending, Part::Run("b".into()));
        enqueue(&mut pending, Part::Runs);
        enqueue(&mut pending, Part::Run("c".into()));
        enqueue(&mut pending, Part::Runs);
        assert_eq!(pending.into_iter().collect::<Vec<_>>(), vec![Part::Runs]);
    }
}
