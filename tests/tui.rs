//! The TUI without a terminal: whole screens on TestBackend and key sequences on the app.

mod common;

use std::path::Path;

use crossterm::event::{
    Event as Input, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use mlwb::snapshot::{Part, load_part};
use mlwb::tui::app::{App, Command, Overlay};
use mlwb::tui::event::Event;
use mlwb::tui::keys::Pane;
use mlwb::tui::render;
use mlwb::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

/// An app with every part of the workspace at `root` loaded, as the loader would deliver it.
fn loaded_app(root: &Path) -> App {
    let ws = mlwb::workspace::Workspace::at(root);
    let mut app = App::new(root, false, Theme::color());
    for part in Part::all() {
        app.handle(Event::Loaded(Box::new(load_part(&ws, &part))));
    }
    app.handle(Event::Busy(0));
    app
}

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal =
        Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| panic!("{e}"));
    terminal.draw(|f| render::draw(f, app)).unwrap_or_else(|e| panic!("{e}"));
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.handle(Event::Input(Input::Key(KeyEvent::new(code, KeyModifiers::NONE))))
}

/// Performs a job the app asked for, as the job thread would, and hands the result back.
fn run_job(ws: &mlwb::workspace::Workspace, app: &mut App, c: &Command) {
    let Command::Run(job) = c else { panic!("{c:?}") };
    let done = mlwb::tui::jobs::perform(ws, job, &|_| {});
    app.handle(Event::JobDone(done));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[test]
fn every_pane_of_the_demo_renders_its_content() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    let expected: [(char, &[&str]); 7] = [
        ('1', &["1 Workflow", "5 of 9 stages done", "Data selection", "Stage 1 — Problem"]),
        ('2', &["Complete", "100%", "Acceptable error", "f1 ≥ 0.6", "churn_clean"]),
        ('3', &["churn_clean", "5000", "approved for churn prediction", "Versions (1)"]),
        (
            '4',
            &[
                "identifier_leakage",
                "customer_id",
                "account_status",
                "Predictive power for \"churned\"",
                "no findings",
            ],
        ),
        (
            '5',
            &[
                "Specs: baseline, forest, logistic, tree_deep, tree_shallow",
                "tree_deep",
                "finished",
                "param max_depth",
                "f1 by contract",
            ],
        ),
        ('6', &["No registered models yet", "mlwb registry register"]),
        ('7', &["No monitored models yet", "mlwb serve MODEL"]),
    ];
    for (k, needles) in expected {
        key(&mut app, KeyCode::Char(k));
        let text = screen(&app, 140, 36);
        for needle in needles {
            assert!(text.contains(needle), "pane {k} lacks {needle:?}:\n{text}");
        }
        assert!(text.contains("watching") || text.contains("idle"), "status bar missing:\n{text}");
    }
}

#[test]
fn every_pane_of_an_empty_workspace_says_what_is_missing() {
    let ws = common::fixture("empty");
    let mut app = loaded_app(ws.path());
    let expected: [(char, &str); 7] = [
        ('1', "0 of 9 stages done"),
        ('2', "(9 missing)"),
        ('3', "No datasets yet"),
        ('4', "No leakage report yet"),
        ('5', "No tracked runs yet"),
        ('6', "No registered models yet"),
        ('7', "No monitored models yet"),
    ];
    for (k, needle) in expected {
        key(&mut app, KeyCode::Char(k));
        let text = screen(&app, 100, 30);
        assert!(text.contains(needle), "pane {k} lacks {needle:?}:\n{text}");
    }
}

#[test]
fn empty_workflow_pane_full_screen() {
    let ws = common::fixture("empty");
    let app = loaded_app(ws.path());
    let text = screen(&app, 100, 14);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0].trim_end(),
        " 1 Workflow │ 2 Problem │ 3 Data │ 4 Leakage │ 5 Experiments │ 6 Registry │ 7 Monitor"
    );
    assert!(lines[1].starts_with(
        "0 of 9 stages done.  Next: stage 1 Problem — describe the problem in pane 2"
    ));
    assert!(lines[2].starts_with("┌ Workflow (9) "));
    assert!(lines[3].starts_with("│  #  Stage            State    Why"), "{}", lines[3]);
    assert!(
        lines[4].starts_with("│› 1  Problem          to do    no problem.toml yet"),
        "{}",
        lines[4]
    );
    assert!(lines[13].starts_with(&format!(" {} │", ws.path().display())));
}

#[test]
fn malformed_problem_shows_in_its_pane_and_the_status_bar() {
    let ws = common::fixture("malformed-problem");
    let mut app = loaded_app(ws.path());
    key(&mut app, KeyCode::Char('2'));
    let text = screen(&app, 160, 20);
    assert!(text.contains("problem.toml cannot be read"), "{text}");
    assert!(text.contains("line 1, column"), "{text}");
    let status = text.lines().last().unwrap_or_default();
    assert!(status.contains("✗") && status.contains("problem.toml"), "{status}");
}

#[test]
fn number_keys_tab_and_shift_tab_switch_panes() {
    let ws = common::fixture("empty");
    let mut app = loaded_app(ws.path());
    for (i, pane) in Pane::ALL.iter().enumerate() {
        let digit = char::from_digit(i as u32 + 1, 10).unwrap_or('1');
        key(&mut app, KeyCode::Char(digit));
        assert_eq!(app.pane, *pane);
    }
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.pane, Pane::Workflow, "Tab wraps around");
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.pane, Pane::Monitor);
}

#[test]
fn moving_opening_and_going_back() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Down);
    assert_eq!(app.view().selected, 2);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.view().selected, 2, "stops at the last row");
    key(&mut app, KeyCode::Char('g'));
    assert_eq!(app.view().selected, 0);
    app.handle(Event::Input(Input::Key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT))));
    assert_eq!(app.view().selected, 2);
    key(&mut app, KeyCode::Enter);
    assert!(app.view().open);
    let text = screen(&app, 100, 30);
    assert!(text.contains("Profiling delivery") && text.contains("Esc goes back"), "{text}");
    key(&mut app, KeyCode::Esc);
    assert!(!app.view().open);
}

#[test]
fn enter_on_a_stage_goes_to_its_pane() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.pane, Pane::Data);
}

#[test]
fn filter_narrows_rows_live_and_esc_clears_it() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "deliv");
    assert!(matches!(app.overlay, Overlay::Filter(_)));
    assert_eq!(app.rows().len(), 1);
    let text = screen(&app, 100, 30);
    assert!(text.contains("/deliv") && text.contains("1 matching"), "{text}");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.view().filter, "deliv", "Enter keeps the filter");
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit, "q quits once the filter is closed");
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "zzz");
    assert!(screen(&app, 100, 30).contains("Nothing matches /zzz"));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.rows().len(), 3);
    assert!(!app.quit, "typing q in a filter does not quit");
}

#[test]
fn help_overlay_comes_from_the_key_map() {
    let ws = common::fixture("empty");
    let mut app = loaded_app(ws.path());
    key(&mut app, KeyCode::Char('?'));
    assert_eq!(app.overlay, Overlay::Help);
    let text = screen(&app, 120, 40);
    for (keys, help) in mlwb::tui::keys::help_rows(Pane::Workflow) {
        assert!(text.contains(&keys) && text.contains(help), "help lacks {keys} {help}:\n{text}");
    }
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn ctrl_c_and_q_quit() {
    let ws = common::fixture("empty");
    let mut app = loaded_app(ws.path());
    app.handle(Event::Input(Input::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))));
    assert!(app.quit);
    let mut app = loaded_app(ws.path());
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
    let mut app = loaded_app(ws.path());
    app.handle(Event::Terminate);
    assert!(app.quit, "SIGTERM ends the loop so the terminal guard restores the screen");
}

#[test]
fn clicking_a_tab_switches_to_it() {
    let ws = common::fixture("empty");
    let mut app = loaded_app(ws.path());
    let text = screen(&app, 120, 20);
    let first = text.lines().next().unwrap_or_default();
    let col = first.chars().take_while(|_| true).collect::<String>().find("Registry").unwrap_or(0);
    let column = first[..col].chars().count() as u16;
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row: 0,
        modifiers: KeyModifiers::NONE,
    };
    app.handle(Event::Input(Input::Mouse(click)));
    assert_eq!(app.pane, Pane::Registry);
}

#[test]
fn resize_redraws_at_the_new_size() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    app.dirty = false;
    app.handle(Event::Input(Input::Resize(60, 20)));
    assert!(app.dirty && app.size == (60, 20));
    let narrow = screen(&app, 60, 20);
    assert!(narrow.contains("Workflow"), "{narrow}");
}

#[test]
fn reload_key_asks_for_every_part() {
    let ws = common::fixture("empty");
    let mut app = loaded_app(ws.path());
    assert_eq!(key(&mut app, KeyCode::Char('r')), vec![Command::Load(Part::all())]);
}

#[test]
fn no_color_theme_draws_without_colours() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    app.theme = Theme::plain();
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap_or_else(|e| panic!("{e}"));
    terminal.draw(|f| render::draw(f, &app)).unwrap_or_else(|e| panic!("{e}"));
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(cell.fg, Color::Reset);
        assert_eq!(cell.bg, Color::Reset);
    }
}

#[test]
fn readme_key_table_matches_the_key_map() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .unwrap_or_default();
    let table = mlwb::tui::keys::markdown_table();
    assert!(readme.contains(&table), "README key table is out of date; it should read:\n{table}");
}

#[test]
fn accepting_a_finding_asks_for_a_reason_and_runs_a_job() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('4'));
    let first = app.rows().first().cloned().unwrap_or_else(|| panic!("no findings listed"));
    assert_eq!(first.cells[0], "high");
    key(&mut app, KeyCode::Char('a'));
    assert!(matches!(app.overlay, Overlay::Prompt { .. }));
    assert!(screen(&app, 120, 30).contains("Enter saves, Esc cancels"));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.overlay, Overlay::None, "an empty reason closes the prompt");
    assert_eq!(app.status.message.as_deref(), Some("nothing recorded: an answer is required"));
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "known before the call");
    let commands = key(&mut app, KeyCode::Enter);
    let [Command::Run(job)] = commands.as_slice() else { panic!("{commands:?}") };
    let done = mlwb::tui::jobs::perform(&mlwb::workspace::Workspace::at(&root), job, &|_| {});
    assert!(done.result.is_ok(), "{done:?}");
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('4'));
    assert!(app.rows().iter().any(|r| r.cells[5] == "accepted"));
}

#[test]
fn marking_a_column_unavailable_writes_the_card_and_rechecks() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('4'));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "customer_id");
    key(&mut app, KeyCode::Enter);
    let commands = key(&mut app, KeyCode::Char('u'));
    let [Command::Run(job)] = commands.as_slice() else { panic!("{commands:?}") };
    let done = mlwb::tui::jobs::perform(&mlwb::workspace::Workspace::at(&root), job, &|_| {});
    assert!(done.result.is_ok(), "{done:?}");
    let card = std::fs::read_to_string(root.join("data/churn.card.toml")).unwrap_or_default();
    assert!(
        card.contains("[columns.customer_id]") && card.contains("available_at_prediction = false"),
        "{card}"
    );
    let app = loaded_app(&root);
    let rows = mlwb::tui::panes::rows(Pane::Leakage, &app.snap, "not_available");
    assert!(rows.iter().any(|r| r.cells[2] == "customer_id" && r.cells[0] == "high"), "{rows:?}");
}

#[test]
fn a_stale_report_is_rechecked_once_in_the_background() {
    let (_tmp, root) = common::demo_workspace();
    let data = root.join("data/churn.csv");
    let mut text = std::fs::read_to_string(&data).unwrap_or_default();
    let duplicate = text.lines().nth(1).unwrap_or_default().to_owned();
    text.push_str(&duplicate);
    text.push('\n');
    std::fs::write(&data, text).unwrap_or_else(|e| panic!("{e}"));
    let ws = mlwb::workspace::Workspace::at(&root);
    let d = mlwb::data::dataset::load(&ws, "churn");
    mlwb::data::dataset::record_version(&ws, &d).unwrap_or_else(|e| panic!("{e}"));
    let mut app = App::new(&root, false, Theme::color());
    let mut asked = Vec::new();
    for part in Part::all() {
        asked.extend(app.handle(Event::Loaded(Box::new(load_part(&ws, &part)))));
    }
    let rechecks: Vec<_> = asked
        .iter()
        .filter(|c| matches!(c, Command::Run(mlwb::tui::jobs::Job::Leakage { .. })))
        .collect();
    assert_eq!(rechecks.len(), 1, "{asked:?}");
    key(&mut app, KeyCode::Char('4'));
    assert!(app.rows().iter().any(|r| r.cells[5] == "stale"));
}

#[test]
fn marking_runs_and_comparing_them_side_by_side() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('5'));
    assert_eq!(app.rows().len(), 3);
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(app.marked.len(), 2);
    assert!(screen(&app, 140, 30).contains("● "));
    key(&mut app, KeyCode::Char('c'));
    let view = app.compare.clone().unwrap_or_else(|| panic!("no comparison"));
    assert!(view.diff_only && view.runs.len() == 2);
    let text = screen(&app, 160, 44);
    for needle in [
        "Compare 2 runs",
        "only differences",
        "params.max_depth",
        "(base)",
        "metrics.f1",
        "%)",
        "Metrics",
        "true no",
        "top features",
        "ROC curves",
        "false positive rate",
    ] {
        assert!(text.contains(needle), "comparison lacks {needle:?}:\n{text}");
    }
    key(&mut app, KeyCode::Char('b'));
    assert_eq!(app.compare.as_ref().map(|c| c.baseline), Some(1));
    key(&mut app, KeyCode::Char('d'));
    assert!(
        screen(&app, 160, 44).contains("every field")
            && screen(&app, 160, 44).contains("run.status")
    );
    key(&mut app, KeyCode::Char('t'));
    let transposed = screen(&app, 160, 44);
    assert!(
        transposed.lines().any(|l| l.trim_start_matches('│').starts_with("run ")),
        "{transposed}"
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.compare.is_none());
}

#[test]
fn training_from_the_pane_runs_a_job_and_the_run_appears() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('5'));
    let commands = key(&mut app, KeyCode::Char('n'));
    let [Command::Run(job)] = commands.as_slice() else { panic!("{commands:?}") };
    let seen = std::sync::Mutex::new(Vec::new());
    let done = mlwb::tui::jobs::perform(&mlwb::workspace::Workspace::at(&root), job, &|f| {
        if let Ok(mut s) = seen.lock() {
            s.push(f);
        }
    });
    assert!(done.result.is_ok(), "{done:?}");
    assert!(
        seen.lock().map(|s| s.last().copied() == Some(1.0)).unwrap_or(false),
        "progress reaches 100%"
    );
    app.handle(Event::JobProgress(0.5));
    app.handle(Event::Jobs(vec!["training tree_deep".into()]));
    assert!(screen(&app, 140, 30).contains("training tree_deep 50%"));
    let app = loaded_app(&root);
    assert_eq!(mlwb::tui::panes::rows(Pane::Experiments, &app.snap, "").len(), 4);
}

#[test]
fn opening_a_dataset_profiles_it_in_the_background_and_shows_its_columns() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('3'));
    let commands = key(&mut app, KeyCode::Enter);
    let [Command::Run(job)] = commands.as_slice() else { panic!("{commands:?}") };
    assert!(screen(&app, 150, 40).contains("Profiling churn"));
    let done = mlwb::tui::jobs::perform(&mlwb::workspace::Workspace::at(&root), job, &|_| {});
    app.handle(Event::JobDone(done));
    for _ in 0..5 {
        key(&mut app, KeyCode::Down);
    }
    let text = screen(&app, 150, 40);
    for needle in [
        "churn — 5000 rows × 16 columns",
        "tenure_months",
        "Quality alerts",
        "missing",
        "contract (category)",
        "month-to-month",
    ] {
        assert!(text.contains(needle), "data view lacks {needle:?}:\n{text}");
    }
    key(&mut app, KeyCode::Esc);
    assert!(!app.column_view());
}

#[test]
fn approving_a_dataset_in_the_pane_asks_who_and_for_what() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('a'));
    assert!(screen(&app, 120, 30).contains("Who approves delivery?"));
    app.handle(Event::Input(Input::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL))));
    typed(&mut app, "lee");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "delivery estimates - no personal data");
    let commands = key(&mut app, KeyCode::Enter);
    let [Command::Run(job)] = commands.as_slice() else { panic!("{commands:?}") };
    let done = mlwb::tui::jobs::perform(&mlwb::workspace::Workspace::at(&root), job, &|_| {});
    assert!(done.result.is_ok(), "{done:?}");
    let card = std::fs::read_to_string(root.join("data/delivery.card.toml")).unwrap_or_default();
    assert!(
        card.contains("by = \"lee\"")
            && card.contains("use = \"delivery estimates\"")
            && card.contains("note = \"no personal data\""),
        "{card}"
    );
}

#[test]
fn a_changed_data_file_gets_a_new_version_from_the_watcher() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    let commands = app.handle(Event::Watch(vec![Part::Dataset("delivery".into())]));
    assert!(commands.contains(&Command::Run(mlwb::tui::jobs::Job::RecordVersion {
        dataset: "delivery".into()
    })));
    let data = root.join("data/delivery.csv");
    let text = std::fs::read_to_string(&data).unwrap_or_default();
    let trimmed: String = text.lines().take(100).map(|l| format!("{l}\n")).collect();
    std::fs::write(&data, trimmed).unwrap_or_else(|e| panic!("{e}"));
    let job = mlwb::tui::jobs::Job::RecordVersion { dataset: "delivery".into() };
    let done = mlwb::tui::jobs::perform(&mlwb::workspace::Workspace::at(&root), &job, &|_| {});
    assert!(
        done.result.as_deref().is_ok_and(|m| m.contains("new version") && m.contains("99 rows")),
        "{done:?}"
    );
}

#[test]
fn the_problem_form_edits_validates_and_saves_a_field() {
    let ws = common::fixture("unknown-fields");
    let mut app = loaded_app(ws.path());
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Enter);
    assert!(app.editor.is_some(), "Enter opens the editor on Dataset");
    typed(&mut app, "nope");
    assert!(screen(&app, 120, 30).contains("no dataset \"nope\""), "live validation");
    app.handle(Event::Input(Input::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL))));
    typed(&mut app, "tiny");
    assert!(screen(&app, 120, 30).contains("✓ valid"));
    let commands = key(&mut app, KeyCode::Enter);
    let [Command::Run(job)] = commands.as_slice() else { panic!("{commands:?}") };
    let done = mlwb::tui::jobs::perform(&mlwb::workspace::Workspace::at(ws.path()), job, &|_| {});
    assert!(done.result.is_ok(), "{done:?}");
    app.handle(Event::JobDone(done));
    assert!(app.editor.is_none());
    let text = std::fs::read_to_string(ws.path().join("problem.toml")).unwrap_or_default();
    assert!(text.contains("dataset = \"tiny\""), "{text}");
    assert!(
        text.contains("reviewed_by") && text.contains("confidence = 0.95"),
        "unknown fields kept: {text}"
    );
}

#[test]
fn an_edit_made_elsewhere_is_not_silently_overwritten() {
    let ws = common::fixture("unknown-fields");
    let mut app = loaded_app(ws.path());
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Enter);
    typed(&mut app, " within a quarter");
    let path = ws.path().join("problem.toml");
    let theirs = std::fs::read_to_string(&path)
        .unwrap_or_default()
        .replace("Predict churn", "Predict churn (edited in vim)");
    std::fs::write(&path, &theirs).unwrap_or_else(|e| panic!("{e}"));
    let save = |app: &mut App| {
        let commands = app.handle(Event::Input(Input::Key(KeyEvent::new(
            KeyCode::Char('s'),
            KeyModifiers::CONTROL,
        ))));
        let [Command::Run(job)] = commands.as_slice() else { panic!("{commands:?}") };
        let done =
            mlwb::tui::jobs::perform(&mlwb::workspace::Workspace::at(ws.path()), job, &|_| {});
        app.handle(Event::JobDone(done));
    };
    save(&mut app);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        theirs,
        "the other edit survives"
    );
    assert!(app.editor.as_ref().is_some_and(|e| e.conflict), "the editor stays open and knows");
    assert!(screen(&app, 120, 30).contains("changed on disk"));
    save(&mut app);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap_or_default()
            .contains("Predict churn within a quarter")
    );
}

#[test]
fn the_table_of_rows_shows_the_first_rows_then_all_and_sorts() {
    let (_tmp, root) = common::demo_workspace();
    let ws = mlwb::workspace::Workspace::at(&root);
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('3'));
    let commands = key(&mut app, KeyCode::Char('t'));
    assert_eq!(commands.len(), 2, "first rows, then all rows: {commands:?}");
    assert!(screen(&app, 120, 24).contains("Reading churn"));
    let run = |app: &mut App, c: &Command| run_job(&ws, app, c);
    run(&mut app, &commands[0]);
    assert!(screen(&app, 120, 24).contains("first 200 rows, reading the rest"));
    run(&mut app, &commands[1]);
    let text = screen(&app, 120, 24);
    assert!(
        text.contains("5000 rows") && text.contains("customer_id") && text.contains("104994"),
        "{text}"
    );
    for _ in 0..5 {
        key(&mut app, KeyCode::Right);
    }
    let sort = key(&mut app, KeyCode::Char('s'));
    run(&mut app, &sort[0]);
    let text = screen(&app, 120, 24);
    assert!(text.contains("contract ↑"), "{text}");
    assert!(text.lines().nth(3).is_some_and(|l| l.contains("month-to-month")), "{text}");
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "4000");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app, 120, 24).contains("row 4000"));
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app, 120, 24).contains("contract · row 4000"));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert!(app.table.is_none());
}

#[test]
fn the_table_of_rows_filters_with_an_expression_and_keeps_the_sort() {
    let (_tmp, root) = common::demo_workspace();
    let ws = mlwb::workspace::Workspace::at(&root);
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('3'));
    let run = |app: &mut App, c: &Command| run_job(&ws, app, c);
    for c in key(&mut app, KeyCode::Char('t')) {
        run(&mut app, &c);
    }
    // Counts from pandas on sample-data/churn.csv.
    key(&mut app, KeyCode::Char('f'));
    typed(&mut app, "contract = two-year and age > 40");
    let filtered = key(&mut app, KeyCode::Enter);
    assert_eq!(filtered.len(), 1, "{filtered:?}");
    run(&mut app, &filtered[0]);
    let text = screen(&app, 140, 24);
    assert!(text.contains("689 of 5000 rows where contract = two-year and age > 40"), "{text}");
    // Sorting keeps the filter; a regex or a range works the same way.
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Char('f'));
    for _ in 0.."contract = two-year and age > 40".len() {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "region ~ '^n' or age in 20..25");
    let filtered = key(&mut app, KeyCode::Enter);
    run(&mut app, &filtered[0]);
    assert!(screen(&app, 140, 24).contains("1313 of 5000 rows"));
    // A mistake is explained and nothing is read.
    key(&mut app, KeyCode::Char('f'));
    typed(&mut app, " and");
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert!(screen(&app, 140, 24).contains("row filter:"));
    let job = mlwb::tui::jobs::Job::Rows {
        dataset: "churn".into(),
        all: true,
        sort: None,
        filter: Some("nope > 3".into()),
    };
    let done = mlwb::tui::jobs::perform(&ws, &job, &|_| {});
    assert!(done.result.as_ref().is_err_and(|e| e.contains("no column \"nope\"")), "{done:?}");
    // An empty filter shows every row again.
    key(&mut app, KeyCode::Char('f'));
    for _ in 0..40 {
        key(&mut app, KeyCode::Backspace);
    }
    let all = key(&mut app, KeyCode::Enter);
    run(&mut app, &all[0]);
    assert!(screen(&app, 140, 24).contains(" 5000 rows"));
}

#[test]
fn card_fields_are_edited_in_the_data_pane() {
    let (_tmp, root) = common::demo_workspace();
    let ws = mlwb::workspace::Workspace::at(&root);
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('3'));
    let dataset = app.selected_key().unwrap_or_else(|| panic!("no dataset selected"));
    let read_card =
        |ws: &mlwb::workspace::Workspace, name: &str| -> mlwb::data::card::DatasetCard {
            mlwb::workspace::files::read_toml(&ws.card_path(name))
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_default()
        };
    let before = read_card(&ws, &dataset);
    key(&mut app, KeyCode::Char('e'));
    assert!(screen(&app, 140, 30).contains("Which field of the card"));
    typed(&mut app, "colour");
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert!(screen(&app, 140, 30).contains("no card field \"colour\""));
    key(&mut app, KeyCode::Char('e'));
    typed(&mut app, "owner");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app, 140, 30).contains(&format!("owner of {dataset}")));
    for _ in 0..60 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "Retention analytics");
    let commands = key(&mut app, KeyCode::Enter);
    let [Command::Run(job)] = commands.as_slice() else { panic!("{commands:?}") };
    let done = mlwb::tui::jobs::perform(&ws, job, &|_| {});
    assert!(done.result.is_ok(), "{done:?}");
    let mut card = read_card(&ws, &dataset);
    assert_eq!(card.owner, "Retention analytics");
    card.owner = before.owner.clone();
    assert_eq!(card, before, "every other field of the card is kept");
}

#[test]
fn the_runs_table_filters_with_the_filter_language_sorts_by_metric_and_edits_notes() {
    let (_tmp, root) = common::demo_workspace();
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('5'));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "model = tree and params.max_depth < 5");
    key(&mut app, KeyCode::Enter);
    let rows = app.rows();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].cells[1], "tree_shallow");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.rows().len(), 3);
    key(&mut app, KeyCode::Char('o'));
    let order: Vec<String> = app.rows().iter().map(|r| r.cells[1].clone()).collect();
    assert_eq!(order, ["tree_deep", "tree_shallow", "baseline"], "best f1 first");
    key(&mut app, KeyCode::Char('e'));
    assert!(screen(&app, 140, 30).contains("Notes for"), "the prompt holds the current notes");
    app.handle(Event::Input(Input::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL))));
    typed(&mut app, "keep this one");
    let commands = key(&mut app, KeyCode::Enter);
    let [Command::Run(job)] = commands.as_slice() else { panic!("{commands:?}") };
    let done = mlwb::tui::jobs::perform(&mlwb::workspace::Workspace::at(&root), job, &|_| {});
    assert!(done.result.is_ok(), "{done:?}");
    let app = loaded_app(&root);
    assert!(app.snap.runs.values().flatten().any(|r| r.notes == "keep this one"));
}

#[test]
fn training_can_be_cancelled_and_the_run_keeps_its_record() {
    let (_tmp, root) = common::demo_workspace();
    let ws = mlwb::workspace::Workspace::at(&root);
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('5'));
    assert!(key(&mut app, KeyCode::Char('x')).is_empty(), "nothing to stop");
    app.handle(Event::Jobs(vec!["training forest".into()]));
    assert_eq!(key(&mut app, KeyCode::Char('x')), vec![Command::CancelJob]);
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let job = mlwb::tui::jobs::Job::Train { experiment: "forest".into() };
    let done = mlwb::tui::jobs::perform_with(&ws, &job, &|_| {}, &cancel);
    assert!(done.result.as_ref().is_err_and(|e| e.contains("cancelled")), "{done:?}");
    let app = loaded_app(&root);
    let failed: Vec<_> =
        app.snap.runs.values().flatten().filter(|r| r.experiment == "forest").collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].status, mlwb::experiment::run::RunStatus::Failed);
    assert!(failed[0].error.as_deref().is_some_and(|e| e.contains("cancelled")));
}

#[test]
fn v_cycles_through_saved_views_of_the_runs() {
    let (_tmp, root) = common::demo_workspace();
    let ws = mlwb::workspace::Workspace::at(&root);
    let view = mlwb::experiment::views::View { filter: "model = baseline".into(), sort: None };
    mlwb::experiment::views::save(&ws, "baseline_only", &view).unwrap_or_else(|e| panic!("{e}"));
    let mut app = loaded_app(&root);
    key(&mut app, KeyCode::Char('5'));
    key(&mut app, KeyCode::Char('v'));
    assert_eq!(app.rows().len(), 1);
    key(&mut app, KeyCode::Char('v'));
    assert_eq!(app.rows().len(), 3, "after the last view, all runs again");
}
