//! The watcher: files written by another process reach the app state within a bounded time.

mod common;

use std::fs;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use mlwb::snapshot::{Part, load_part};
use mlwb::tui::app::{App, Command};
use mlwb::tui::event::Event;
use mlwb::tui::theme::Theme;
use mlwb::tui::worker::Background;
use mlwb::workspace::Workspace;

const RUN: &str = r#"{"id":"r-outside","experiment":"tree","status":"finished",
"started":"2026-12-03T10:00:00Z","metrics":{"f1":0.7}}"#;

/// Drives the app as the event loop does until `done` holds or `limit` passes.
fn pump(
    app: &mut App,
    bg: &Background,
    rx: &mpsc::Receiver<Event>,
    limit: Duration,
    done: impl Fn(&App) -> bool,
) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done(app) {
            return true;
        }
        if let Ok(event) = rx.recv_timeout(Duration::from_millis(50)) {
            for command in app.handle(event) {
                if let Command::Load(parts) = command {
                    bg.request(parts);
                }
            }
        }
    }
    done(app)
}

fn run_appears(force_poll: bool) {
    let ws_dir = common::fixture("empty");
    let ws = Workspace::at(ws_dir.path());
    ws.ensure_folders().unwrap_or_else(|e| panic!("{e}"));
    let (tx, rx) = mpsc::channel();
    let bg = Background::start_with(&ws, tx, force_poll);
    let mut app = App::new(ws.root(), false, Theme::plain());
    bg.request(Part::all());
    assert!(pump(&mut app, &bg, &rx, Duration::from_secs(10), |a| a.loaded), "first load");
    assert!(app.snap.runs.is_empty());

    let run_dir = ws.runs_dir().join("r-outside");
    fs::create_dir_all(&run_dir).unwrap_or_else(|e| panic!("{e}"));
    mlwb::workspace::atomic::write_atomic(&run_dir.join("run.json"), RUN.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let seen = pump(&mut app, &bg, &rx, Duration::from_secs(10), |a| {
        a.snap.runs.contains_key("r-outside")
    });
    assert!(seen, "the run written outside did not reach the app (polling: {force_poll})");
}

#[test]
fn a_run_folder_written_outside_appears_natively() {
    run_appears(false);
}

#[test]
fn a_run_folder_written_outside_appears_when_polling() {
    run_appears(true);
}

#[test]
fn editing_problem_toml_reloads_only_the_problem() {
    let ws_dir = common::fixture("empty");
    let ws = Workspace::at(ws_dir.path());
    let (tx, rx) = mpsc::channel();
    let bg = Background::start_with(&ws, tx, false);
    let mut app = App::new(ws.root(), false, Theme::plain());
    for part in Part::all() {
        app.handle(Event::Loaded(Box::new(load_part(&ws, &part))));
    }
    fs::write(ws.problem_path(), "task = \"written in an editor\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    let mut asked = Vec::new();
    while start.elapsed() < Duration::from_secs(10) && asked.is_empty() {
        if let Ok(Event::Watch(parts)) = rx.recv_timeout(Duration::from_millis(50)) {
            asked = parts;
        }
    }
    assert_eq!(asked, vec![Part::Problem]);
    drop(bg);
}
