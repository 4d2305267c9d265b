//! Measures how mlwb copes with many runs: writes N run records into a scratch workspace
//! (synthetic records for a load test, not results anyone reads), then times loading them,
//! a frame of the Experiments pane, and comparing ten runs.
//!
//! `cargo run --release --example bench_runs -- 10000`

use std::time::Instant;

use mlwb::snapshot::{Part, Snapshot, load_part};
use mlwb::tui::app::App;
use mlwb::tui::event::Event;
use mlwb::tui::keys::Pane;
use mlwb::tui::theme::Theme;
use mlwb::workspace::{Workspace, atomic};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = tempfile::tempdir()?;
    let ws = Workspace::init(dir.path(), "bench")?;
    for i in 0..n {
        let id = format!("run-{i:06}");
        std::fs::create_dir_all(ws.runs_dir().join(&id))?;
        let record = serde_json::json!({
            "id": id, "experiment": format!("spec{}", i % 7), "status": "finished",
            "started": format!("2026-12-03T10:{:02}:{:02}Z", (i / 60) % 60, i % 60),
            "ended": format!("2026-12-03T10:{:02}:{:02}Z", (i / 60) % 60, i % 60),
            "params": {"max_depth": i % 12}, "tags": {"model": "decision_tree"},
            "metrics": {"accuracy": 0.7 + (i % 100) as f64 / 1000.0, "f1": 0.5 + (i % 37) as f64 / 100.0},
            "features": ["a", "b", "c"], "dataset": {"name": "d", "hash": "0123456789abcdef"}
        });
        atomic::write_json(&ws.run_record_path(&id), &record)?;
    }
    let started = Instant::now();
    let data = load_part(&ws, &Part::Runs);
    let load = started.elapsed();
    let mut app = App::new(ws.root(), false, Theme::color());
    app.handle(Event::Loaded(Box::new(data)));
    app.handle(Event::Busy(0));
    app.act(mlwb::tui::keys::Action::GoTo(Pane::Experiments));
    let mut terminal = Terminal::new(TestBackend::new(160, 48))?;
    let started = Instant::now();
    terminal.draw(|f| mlwb::tui::render::draw(f, &app))?;
    let first = started.elapsed();
    let frames = 50;
    let started = Instant::now();
    for _ in 0..frames {
        terminal.draw(|f| mlwb::tui::render::draw(f, &app))?;
        app.act(mlwb::tui::keys::Action::PageDown);
    }
    let frame = started.elapsed() / frames;
    let mut snap = Snapshot::default();
    snap.apply(load_part(&ws, &Part::Runs));
    let runs: Vec<&mlwb::experiment::run::RunRecord> =
        snap.runs_newest_first().into_iter().take(10).collect();
    let started = Instant::now();
    let c = mlwb::experiment::compare::compare(&runs, 0);
    let compare = started.elapsed();
    println!(
        "{{\"runs\": {n}, \"load_seconds\": {:.3}, \"first_frame_ms\": {:.2}, \"frame_ms\": {:.2}, \"compare_10_ms\": {:.3}, \"compared_fields\": {}}}",
        load.as_secs_f64(),
        first.as_secs_f64() * 1000.0,
        frame.as_secs_f64() * 1000.0,
        compare.as_secs_f64() * 1000.0,
        c.lines.len()
    );
    Ok(())
}
