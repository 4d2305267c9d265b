//! The one event type of the UI loop, and the threads that produce input and signal events.

use std::sync::mpsc::Sender;
use std::thread;

use crate::snapshot::{Part, PartData};

/// Everything the UI loop reacts to.
#[derive(Debug)]
pub enum Event {
    /// A key, mouse or resize event from the terminal.
    Input(crossterm::event::Event),
    /// Time passed with nothing else to do.
    Tick,
    /// The watcher saw these parts of the workspace change.
    Watch(Vec<Part>),
    /// A background load finished.
    Loaded(Box<PartData>),
    /// How many background loads are queued or running.
    Busy(usize),
    /// The jobs queued or running, by label.
    Jobs(Vec<String>),
    /// The running job's progress, from 0 to 1.
    JobProgress(f64),
    /// A job ended.
    JobDone(crate::tui::jobs::JobDone),
    /// The process was asked to stop (SIGTERM, SIGHUP, SIGINT).
    Terminate,
}

/// Reads terminal input on its own thread until the receiver is gone.
pub fn spawn_input(tx: Sender<Event>) {
    let spawned = thread::Builder::new().name("mlwb-input".into()).spawn(move || {
        while let Ok(ev) = crossterm::event::read() {
            if tx.send(Event::Input(ev)).is_err() {
                break;
            }
        }
    });
    if let Err(e) = spawned {
        tracing::error!("cannot start the input thread: {e}");
    }
}

/// Turns termination signals into [`Event::Terminate`], so the terminal is restored.
#[cfg(unix)]
pub fn spawn_signals(tx: Sender<Event>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = match signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!("cannot listen for signals: {e}");
            return;
        }
    };
    let spawned = thread::Builder::new().name("mlwb-signals".into()).spawn(move || {
        if signals.forever().next().is_some() {
            let _ = tx.send(Event::Terminate);
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("cannot start the signal thread: {e}");
    }
}

/// Signals are a Unix notion; elsewhere the terminal guard alone restores the terminal.
#[cfg(not(unix))]
pub fn spawn_signals(_tx: Sender<Event>) {}
