//! Measures the table of rows on a large file, as the Data pane opens it: the time until the
//! first rows are on screen, the time to read every row, and how long one frame takes at the
//! top, in the middle and at the end of the table.
//!
//! `cargo run --release --example bench_table -- FILE.csv`

use std::time::{Duration, Instant};

use mlwb::snapshot::{Part, load_part};
use mlwb::tui::app::{App, Command};
use mlwb::tui::event::Event;
use mlwb::tui::keys::{Action, Pane};
use mlwb::tui::theme::Theme;
use mlwb::workspace::Workspace;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn main() -> anyhow::Result<()> {
    let file =
        std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: bench_table FILE.csv"))?;
    let file = std::fs::canonicalize(file)?;
    let dir = tempfile::tempdir()?;
    let ws = Workspace::init(dir.path(), "bench")?;
    std::os::unix::fs::symlink(&file, ws.data_dir().join("big.csv"))?;
    let mut app = App::new(ws.root(), false, Theme::color());
    for part in Part::all() {
        app.handle(Event::Loaded(Box::new(load_part(&ws, &part))));
    }
    app.handle(Event::Busy(0));
    app.act(Action::GoTo(Pane::Data));
    let mut terminal = Terminal::new(TestBackend::new(160, 48))?;
    let draw = |terminal: &mut Terminal<TestBackend>, app: &App| -> anyhow::Result<Duration> {
        let started = Instant::now();
        terminal.draw(|f| mlwb::tui::render::draw(f, app))?;
        Ok(started.elapsed())
    };

    // Pressing `t` queues two reads: the first rows, then all of them.
    let opened = Instant::now();
    let commands = app.handle(Event::Input(ratatui::crossterm::event::Event::Key(KeyEvent::new(
        KeyCode::Char('t'),
        KeyModifiers::NONE,
    ))));
    let jobs: Vec<_> = commands
        .into_iter()
        .filter_map(|c| if let Command::Run(job) = c { Some(job) } else { None })
        .collect();
    anyhow::ensure!(jobs.len() == 2, "expected two reads, got {jobs:?}");
    let first = mlwb::tui::jobs::perform(&ws, &jobs[0], &|_| {});
    app.handle(Event::JobDone(first));
    draw(&mut terminal, &app)?;
    let first_rows = opened.elapsed();
    let started = Instant::now();
    let all = mlwb::tui::jobs::perform(&ws, &jobs[1], &|_| {});
    app.handle(Event::JobDone(all));
    let all_rows = started.elapsed();
    let rows = app.table.as_ref().and_then(|t| t.frame.as_ref()).map_or(0, |f| f.height());

    let mut frames = Vec::new();
    for at in ["top", "middle", "end"] {
        if let Some(t) = app.table.as_mut() {
            t.row = match at {
                "top" => 0,
                "middle" => rows / 2,
                _ => rows.saturating_sub(1),
            };
        }
        let mut times = Vec::new();
        for _ in 0..20 {
            times.push(draw(&mut terminal, &app)?);
            app.handle(Event::Input(ratatui::crossterm::event::Event::Key(KeyEvent::new(
                KeyCode::Down,
                KeyModifiers::NONE,
            ))));
        }
        let mean = times.iter().sum::<Duration>() / times.len() as u32;
        let worst = times.iter().max().copied().unwrap_or_default();
        frames.push(format!(
            "\"{at}\": {{\"mean_ms\": {:.2}, \"worst_ms\": {:.2}}}",
            mean.as_secs_f64() * 1000.0,
            worst.as_secs_f64() * 1000.0
        ));
    }
    println!(
        "{{\"rows\": {rows}, \"first_rows_visible_ms\": {:.1}, \"all_rows_seconds\": {:.2}, \"frame\": {{{}}}}}",
        first_rows.as_secs_f64() * 1000.0,
        all_rows.as_secs_f64(),
        frames.join(", ")
    );
    Ok(())
}
