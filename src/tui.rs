//! The interactive front end: a ratatui application over the core.
//!
//! The UI thread only draws and routes events. Input, signals, the watcher and the loader
//! run on their own threads and report through one channel of [`event::Event`]s.

pub mod app;
pub mod compare_view;
pub mod data_view;
pub mod event;
pub mod input;
pub mod jobs;
pub mod keys;
pub mod panes;
pub mod render;
pub mod table_view;
pub mod terminal;
pub mod theme;
pub mod worker;

use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::Backend;

use self::app::{App, Command};
use self::event::Event;
use self::worker::Background;
use crate::workspace::Workspace;

/// How often the loop wakes without input, to animate progress.
pub const TICK: Duration = Duration::from_millis(250);

/// Opens the TUI on `ws` and runs until the user quits or the process is asked to stop.
pub fn run(ws: Workspace, tour: bool) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel();
    let background = Background::start(&ws, tx.clone());
    let jobs = jobs::Jobs::start(&ws, tx.clone());
    terminal::install_panic_hook();
    let mut guard = terminal::enter()?;
    event::spawn_input(tx.clone());
    event::spawn_signals(tx);
    let mut app = App::new(ws.root(), tour, theme::Theme::from_env());
    app.status.watcher = background.watch_label();
    background.request(crate::snapshot::Part::all());
    let result = event_loop(&mut guard.terminal, &mut app, &rx, &background, &jobs);
    drop(guard);
    result
}

/// Draws when something changed, waits for the next event, applies it, runs its commands.
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    rx: &Receiver<Event>,
    background: &Background,
    jobs: &jobs::Jobs,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    while !app.quit {
        if app.dirty {
            terminal.draw(|frame| render::draw(frame, app))?;
            app.dirty = false;
        }
        let event = match rx.recv_timeout(TICK) {
            Ok(e) => e,
            Err(RecvTimeoutError::Timeout) => Event::Tick,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        for command in app.handle(event) {
            match command {
                Command::Load(parts) => background.request(parts),
                Command::Run(job) => jobs.submit(job),
                Command::CancelJob => jobs.cancel(),
            }
        }
    }
    Ok(())
}
