//! Drawing: a pure function of the app state. Nothing here changes state.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Row as TableRow, Table, TableState, Wrap};

use super::app::{App, Overlay};
use super::keys::{self, Pane};
use super::panes::{self, Row, Tone};
use super::theme::Theme;

const TAB_SEPARATOR: &str = "│";
const SPINNER: [&str; 4] = ["◐", "◓", "◑", "◒"];

fn tab_label(pane: Pane) -> String {
    format!(" {} {} ", pane.index() + 1, pane.title())
}

/// The pane whose tab covers `column` of the first row.
pub fn tab_at(column: u16) -> Option<Pane> {
    let mut x = 0u16;
    for pane in Pane::ALL {
        let width = tab_label(pane).chars().count() as u16;
        if column >= x && column < x + width {
            return Some(pane);
        }
        x += width + TAB_SEPARATOR.chars().count() as u16;
    }
    None
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let [tabs, body, status] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1)])
            .areas(frame.area());
    draw_tabs(frame, tabs, app);
    draw_body(frame, body, app);
    draw_status(frame, status, app);
    if app.overlay == Overlay::Help {
        draw_help(frame, body, app);
    }
    if let Overlay::Prompt { title, text, .. } = &app.overlay {
        draw_prompt(frame, body, app, title, text);
    }
    if let Some(editor) = &app.editor {
        draw_editor(frame, body, app, editor);
    }
}

fn draw_tabs(frame: &mut Frame, area: Rect, app: &App) {
    let mut spans = Vec::new();
    for (i, pane) in Pane::ALL.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(TAB_SEPARATOR, app.theme.dim));
        }
        let style = if pane == app.pane { app.theme.selected } else { app.theme.text };
        spans.push(Span::styled(tab_label(pane), style));
    }
    frame.render_widget(Line::from(spans), area);
}

fn draw_body(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let errors = panes::errors(app.pane, &app.snap);
    let summary = panes::summary(app.pane, &app.snap, theme);
    let banner_height = errors.len().min(3) as u16 + u16::from(summary.is_some());
    let [banner, main] =
        Layout::vertical([Constraint::Length(banner_height), Constraint::Fill(1)]).areas(area);
    let mut banner_lines: Vec<Line> =
        errors.iter().take(3).map(|e| Line::styled(format!("✗ {e}"), theme.bad)).collect();
    banner_lines.extend(summary);
    frame.render_widget(Paragraph::new(banner_lines), banner);

    if app.pane == Pane::Experiments
        && let Some(view) = &app.compare
    {
        super::compare_view::draw(frame, main, app, view);
        return;
    }
    let rows = app.rows();
    if rows.is_empty() {
        draw_empty(frame, main, app);
        return;
    }
    let selected = app.view().selected.min(rows.len() - 1);
    let key = rows[selected].key.clone();
    if app.pane == Pane::Data
        && let Some(t) = &app.table
    {
        super::table_view::draw(frame, main, app, t);
        return;
    }
    if app.column_view() {
        super::data_view::draw(frame, main, app, &key);
        return;
    }
    if app.view().open {
        draw_detail(frame, main, app, &key);
        return;
    }
    let split = if main.width >= 120 {
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
            .areas::<2>(main)
    } else {
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas::<2>(main)
    };
    draw_table(frame, split[0], app, &rows, selected);
    draw_detail(frame, split[1], app, &key);
}

fn tone_style(tone: Tone, theme: &Theme) -> Style {
    match tone {
        Tone::Normal => theme.text,
        Tone::Good => theme.good,
        Tone::Warn => theme.warn,
        Tone::Bad => theme.bad,
    }
}

fn draw_table(frame: &mut Frame, area: Rect, app: &App, rows: &[Row], selected: usize) {
    let theme = &app.theme;
    let columns = panes::columns(app.pane);
    let header = TableRow::new(columns.header.iter().copied()).style(theme.header);
    // Only the rows that fit are handed to the widget: the frame costs the same for ten rows
    // or ten thousand.
    let visible = area.height.saturating_sub(3).max(1) as usize;
    let first = selected.saturating_sub(visible - 1);
    let window = &rows[first..(first + visible).min(rows.len())];
    let body = window.iter().map(|r| {
        let mut cells = r.cells.clone();
        if app.pane == Pane::Experiments && app.marked.contains(&r.key) {
            cells[0] = format!("● {}", cells[0]);
        } else if app.pane == Pane::Experiments {
            cells[0] = format!("  {}", cells[0]);
        }
        TableRow::new(cells).style(tone_style(r.tone, theme))
    });
    let title = match app.view().filter.as_str() {
        "" => format!(" {} ({}) ", app.pane.title(), rows.len()),
        f => format!(" {} ({} matching /{f}) ", app.pane.title(), rows.len()),
    };
    let table = Table::new(body, columns.widths.iter().copied())
        .header(header)
        .block(Block::bordered().title(title).border_style(theme.dim))
        .row_highlight_style(theme.selected)
        .highlight_symbol("› ")
        .column_spacing(1);
    let mut state = TableState::default().with_selected(Some(selected - first));
    frame.render_stateful_widget(table, area, &mut state);
}

fn draw_detail(frame: &mut Frame, area: Rect, app: &App, key: &str) {
    let lines = panes::detail(app.pane, &app.snap, key, &app.theme);
    let hint = match (app.view().open, app.pane) {
        (true, _) => " Esc: back ",
        (false, Pane::Workflow) => " Enter: go to the stage's pane ",
        (false, _) => " Enter: open ",
    };
    let block = Block::bordered().title(" Details ").title_bottom(hint).border_style(app.theme.dim);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), area);
}

fn draw_empty(frame: &mut Frame, area: Rect, app: &App) {
    let lines: Vec<Line> = if !app.loaded && app.pane != Pane::Workflow {
        vec![Line::raw("Reading the workspace…")]
    } else if !app.view().filter.is_empty() {
        vec![Line::raw(format!("Nothing matches /{}. Esc clears the filter.", app.view().filter))]
    } else {
        panes::empty(app.pane, &app.snap).into_iter().map(Line::raw).collect()
    };
    let block =
        Block::bordered().title(format!(" {} ", app.pane.title())).border_style(app.theme.dim);
    let text = Paragraph::new(lines).wrap(Wrap { trim: false }).block(block);
    frame.render_widget(text, area);
}

fn draw_status(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    if let Overlay::Filter(text) = &app.overlay {
        let line = Line::from(vec![
            Span::styled("/", theme.accent),
            Span::raw(text.clone()),
            Span::styled("█", theme.dim),
            Span::styled("   Enter keeps, Esc clears", theme.dim),
        ]);
        frame.render_widget(line, area);
        return;
    }
    let spin = SPINNER[app.status.spinner % SPINNER.len()];
    let percent = app.progress.map(|p| format!(" {:.0}%", p * 100.0)).unwrap_or_default();
    let jobs = match (app.status.jobs.first(), app.status.busy) {
        (Some(job), _) if app.status.jobs.len() > 1 => {
            format!("{spin} {job} (+{})", app.status.jobs.len() - 1)
        }
        (Some(job), _) => format!("{spin} {job}{percent}"),
        (None, 0) => "idle".to_owned(),
        (None, n) => format!("{spin} reading {n} part(s)"),
    };
    let mut spans = vec![
        Span::styled(format!(" {} ", app.root.display()), theme.accent),
        Span::styled(TAB_SEPARATOR, theme.dim),
        Span::raw(format!(" {} ", app.status.watcher)),
        Span::styled(TAB_SEPARATOR, theme.dim),
        Span::raw(format!(" {jobs} ")),
    ];
    if let Some(err) = &app.status.last_error {
        spans.push(Span::styled(TAB_SEPARATOR, theme.dim));
        spans.push(Span::styled(format!(" ✗ {err} "), theme.bad));
    } else if let Some(msg) = &app.status.message {
        spans.push(Span::styled(TAB_SEPARATOR, theme.dim));
        spans.push(Span::raw(format!(" {msg} ")));
    }
    frame.render_widget(Line::from(spans), area);
    let help =
        Paragraph::new(Line::styled("? keys  q quit ", theme.dim)).alignment(Alignment::Right);
    if app.status.last_error.is_none() && app.status.message.is_none() {
        frame.render_widget(help, area);
    }
}

fn draw_help(frame: &mut Frame, area: Rect, app: &App) {
    let rows = keys::help_rows(app.pane);
    let line = |(k, h): &(String, &str)| {
        Line::from(vec![
            Span::styled(format!("{k:>16}  "), app.theme.accent),
            Span::raw(h.to_string()),
        ])
    };
    let column_width = rows.iter().map(|(_, h)| h.chars().count() + 19).max().unwrap_or(40) as u16;
    // Two columns when one does not fit the height, so every key stays visible.
    let columns = if rows.len() as u16 + 2 > area.height { 2 } else { 1 };
    let per_column = rows.len().div_ceil(columns);
    let popup = centered(area, column_width * columns as u16 + 4, per_column as u16 + 2);
    let title = format!(" Keys — {} ", app.pane.title());
    let block = Block::bordered().title(title).title_bottom(" Esc closes ");
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let parts = Layout::horizontal(vec![Constraint::Fill(1); columns]).split(inner);
    for (c, chunk) in rows.chunks(per_column).enumerate() {
        let lines: Vec<Line> = chunk.iter().map(line).collect();
        if let Some(part) = parts.get(c) {
            frame.render_widget(Paragraph::new(lines), *part);
        }
    }
}

fn draw_prompt(frame: &mut Frame, area: Rect, app: &App, title: &str, text: &str) {
    let width = (title.chars().count() as u16 + 6).clamp(50, area.width);
    let popup = centered(area, width, 4);
    let line = Line::from(vec![Span::raw(text.to_owned()), Span::styled("█", app.theme.dim)]);
    let block =
        Block::bordered().title(format!(" {title} ")).title_bottom(" Enter saves, Esc cancels ");
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }).block(block), popup);
}

/// What the typed text would mean, checked against the workspace as the user types.
pub fn validate_edit(app: &App, editor: &super::app::FieldEditor) -> Result<(), String> {
    let mut problem = app.snap.problem.ok().cloned().unwrap_or_default();
    let mut known = crate::problem::Known::default();
    for (name, d) in &app.snap.datasets {
        known.columns.insert(name.clone(), d.columns.clone());
    }
    crate::problem::set_field(&mut problem, &editor.key, &editor.input.text, &known)
}

fn draw_editor(frame: &mut Frame, area: Rect, app: &App, editor: &super::app::FieldEditor) {
    let theme = &app.theme;
    let height = if editor.input.multiline { 12 } else { 7 };
    let popup = centered(area, area.width.saturating_sub(8).min(100), height);
    let (before, after) = editor.input.with_cursor();
    let mut lines: Vec<Line> = Vec::new();
    let text = format!("{before}\u{1}{after}");
    for raw in text.split('\n') {
        let mut spans = Vec::new();
        match raw.split_once('\u{1}') {
            Some((a, b)) => {
                spans.push(Span::raw(a.to_owned()));
                let mut rest = b.chars();
                let at = rest.next().map_or(" ".to_owned(), |c| c.to_string());
                spans.push(Span::styled(at, theme.selected));
                spans.push(Span::raw(rest.collect::<String>()));
            }
            None => spans.push(Span::raw(raw.to_owned())),
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    let check = if editor.saving {
        Line::styled("saving…", theme.dim)
    } else {
        match validate_edit(app, editor) {
            Ok(()) => Line::styled("✓ valid", theme.good),
            Err(e) => Line::styled(format!("✗ {e}"), theme.bad),
        }
    };
    lines.push(check);
    if editor.conflict {
        lines.push(Line::styled(
            "problem.toml changed on disk: Ctrl-S overwrites it, Esc keeps it",
            theme.warn,
        ));
    }
    let keys = if editor.input.multiline {
        " Ctrl-S save · Tab save and next · Enter new line · Esc cancel "
    } else {
        " Enter save · Tab save and next · Esc cancel "
    };
    let block = Block::bordered().title(format!(" Edit {} ", editor.label)).title_bottom(keys);
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), popup);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
