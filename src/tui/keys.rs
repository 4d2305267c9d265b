//! The key map: one table that both handles keys and writes the help overlay and the README's
//! key table, so they cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The seven panes, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pane {
    /// The nine stages.
    Workflow,
    /// The problem definition.
    Problem,
    /// Datasets.
    Data,
    /// Leakage findings.
    Leakage,
    /// Runs and comparison.
    Experiments,
    /// Model versions.
    Registry,
    /// Served models.
    Monitor,
}

impl Pane {
    /// Every pane in tab order.
    pub const ALL: [Pane; 7] = [
        Pane::Workflow,
        Pane::Problem,
        Pane::Data,
        Pane::Leakage,
        Pane::Experiments,
        Pane::Registry,
        Pane::Monitor,
    ];

    /// Position in [`Pane::ALL`].
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// Tab title.
    pub fn title(self) -> &'static str {
        match self {
            Pane::Workflow => "Workflow",
            Pane::Problem => "Problem",
            Pane::Data => "Data",
            Pane::Leakage => "Leakage",
            Pane::Experiments => "Experiments",
            Pane::Registry => "Registry",
            Pane::Monitor => "Monitor",
        }
    }

    /// The next pane, wrapping.
    pub fn next(self) -> Pane {
        Self::ALL[(self.index() + 1) % Self::ALL.len()]
    }

    /// The previous pane, wrapping.
    pub fn prev(self) -> Pane {
        Self::ALL[(self.index() + Self::ALL.len() - 1) % Self::ALL.len()]
    }
}

/// Everything a user can do with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave mlwb.
    Quit,
    /// Next tab.
    NextPane,
    /// Previous tab.
    PrevPane,
    /// A given tab.
    GoTo(Pane),
    /// Selection up.
    Up,
    /// Selection down.
    Down,
    /// A page up.
    PageUp,
    /// A page down.
    PageDown,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// Open the selected item.
    Open,
    /// Close the open item, the filter or the overlay.
    Back,
    /// Start typing a filter.
    Filter,
    /// Show or hide the keys.
    Help,
    /// Read the whole workspace again.
    Reload,
    /// Run the checks of this pane again.
    Recheck,
    /// Mark the selected finding's columns unavailable at prediction time.
    MarkUnavailable,
    /// Accept the selected finding with a written reason.
    Accept,
    /// Approve the selected dataset for a use.
    Approve,
    /// Edit one field of the selected dataset's card.
    EditCard,
    /// Show the rows of the selected dataset.
    Rows,
    /// Sort runs by the next metric.
    SortRuns,
    /// Edit the selected run's notes.
    EditNotes,
    /// Stop the running job.
    CancelJob,
    /// Apply the next saved view of the runs table.
    NextView,
    /// Mark or unmark the selected run for comparison.
    Mark,
    /// Compare the marked runs side by side.
    Compare,
    /// Make the next compared run the baseline.
    NextBaseline,
    /// Show only differing fields, or every field.
    ToggleDiff,
    /// Swap rows and columns of the comparison.
    Transpose,
    /// Train the selected run's spec again.
    Train,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every pane.
    Global,
    /// One pane; it takes precedence over a global binding of the same key.
    Pane(Pane),
}

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl, Shift, Alt.
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::NONE }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
}

/// One row of the key map.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Where it applies.
    pub scope: Scope,
    /// The keys that trigger it.
    pub keys: &'static [Key],
    /// What it does.
    pub action: Action,
    /// What it does, in words, for the help overlay and the README.
    pub help: &'static str,
}

const fn global(keys: &'static [Key], action: Action, help: &'static str) -> Binding {
    Binding { scope: Scope::Global, keys, action, help }
}

/// The key map.
pub const BINDINGS: &[Binding] = &[
    global(&[ch('1')], Action::GoTo(Pane::Workflow), "Workflow pane"),
    global(&[ch('2')], Action::GoTo(Pane::Problem), "Problem pane"),
    global(&[ch('3')], Action::GoTo(Pane::Data), "Data pane"),
    global(&[ch('4')], Action::GoTo(Pane::Leakage), "Leakage pane"),
    global(&[ch('5')], Action::GoTo(Pane::Experiments), "Experiments pane"),
    global(&[ch('6')], Action::GoTo(Pane::Registry), "Registry pane"),
    global(&[ch('7')], Action::GoTo(Pane::Monitor), "Monitor pane"),
    global(&[key(KeyCode::Tab)], Action::NextPane, "next pane"),
    global(&[key(KeyCode::BackTab)], Action::PrevPane, "previous pane"),
    global(&[key(KeyCode::Up), ch('k')], Action::Up, "move up"),
    global(&[key(KeyCode::Down), ch('j')], Action::Down, "move down"),
    global(&[key(KeyCode::PageUp), ctrl('u')], Action::PageUp, "page up"),
    global(&[key(KeyCode::PageDown), ctrl('d')], Action::PageDown, "page down"),
    global(&[key(KeyCode::Home), ch('g')], Action::Top, "first row"),
    global(&[key(KeyCode::End), ch('G')], Action::Bottom, "last row"),
    global(
        &[key(KeyCode::Enter), key(KeyCode::Right), ch('l')],
        Action::Open,
        "open the selected item",
    ),
    global(
        &[key(KeyCode::Esc), key(KeyCode::Left), ch('h')],
        Action::Back,
        "go back, clear the filter",
    ),
    global(&[ch('/')], Action::Filter, "filter the rows"),
    global(&[ch('r')], Action::Reload, "read the workspace again"),
    global(&[ch('?')], Action::Help, "show or hide these keys"),
    global(&[ch('q'), ctrl('c')], Action::Quit, "quit"),
    Binding {
        scope: Scope::Pane(Pane::Leakage),
        keys: &[ch('c')],
        action: Action::Recheck,
        help: "check the selected dataset again",
    },
    Binding {
        scope: Scope::Pane(Pane::Leakage),
        keys: &[ch('u')],
        action: Action::MarkUnavailable,
        help: "mark the finding's columns unavailable at prediction time",
    },
    Binding {
        scope: Scope::Pane(Pane::Leakage),
        keys: &[ch('a')],
        action: Action::Accept,
        help: "accept the finding, with a written reason",
    },
    Binding {
        scope: Scope::Pane(Pane::Data),
        keys: &[ch('a')],
        action: Action::Approve,
        help: "approve the dataset for a use (asks who, what for, and a note)",
    },
    Binding {
        scope: Scope::Pane(Pane::Data),
        keys: &[ch('e')],
        action: Action::EditCard,
        help: "edit the card: source, owner, description, column notes",
    },
    Binding {
        scope: Scope::Pane(Pane::Data),
        keys: &[ch('t')],
        action: Action::Rows,
        help: "table of rows: arrows scroll, s sorts, f filters, : jumps, Enter shows a cell",
    },
    Binding {
        scope: Scope::Pane(Pane::Experiments),
        keys: &[ch(' ')],
        action: Action::Mark,
        help: "mark or unmark the run for comparison",
    },
    Binding {
        scope: Scope::Pane(Pane::Experiments),
        keys: &[ch('c')],
        action: Action::Compare,
        help: "compare the marked runs side by side",
    },
    Binding {
        scope: Scope::Pane(Pane::Experiments),
        keys: &[ch('b')],
        action: Action::NextBaseline,
        help: "comparison: next run as the baseline",
    },
    Binding {
        scope: Scope::Pane(Pane::Experiments),
        keys: &[ch('d')],
        action: Action::ToggleDiff,
        help: "comparison: only differences / every field",
    },
    Binding {
        scope: Scope::Pane(Pane::Experiments),
        keys: &[ch('t')],
        action: Action::Transpose,
        help: "comparison: swap rows and columns",
    },
    Binding {
        scope: Scope::Pane(Pane::Experiments),
        keys: &[ch('o')],
        action: Action::SortRuns,
        help: "sort runs by the next metric (f1, accuracy, roc_auc, ...)",
    },
    Binding {
        scope: Scope::Pane(Pane::Experiments),
        keys: &[ch('e')],
        action: Action::EditNotes,
        help: "edit the run's notes",
    },
    Binding {
        scope: Scope::Pane(Pane::Experiments),
        keys: &[ch('v')],
        action: Action::NextView,
        help: "next saved view (mlwb runs --save-view NAME --filter ...)",
    },
    Binding {
        scope: Scope::Pane(Pane::Experiments),
        keys: &[ch('x')],
        action: Action::CancelJob,
        help: "stop the training that is running",
    },
    Binding {
        scope: Scope::Pane(Pane::Experiments),
        keys: &[ch('n')],
        action: Action::Train,
        help: "train the selected run's spec again (new run)",
    },
    Binding {
        scope: Scope::Pane(Pane::Workflow),
        keys: &[key(KeyCode::Enter), key(KeyCode::Right), ch('l')],
        action: Action::Open,
        help: "go to the pane of the selected stage",
    },
];

fn matches(k: &Key, event: &KeyEvent) -> bool {
    // Shift is part of the character for letters and symbols ('G', '?'), so it is ignored
    // there; Ctrl and Alt must match exactly.
    let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT;
    let code = match event.code {
        KeyCode::Char(c)
            if event.modifiers.contains(KeyModifiers::SHIFT) && c.is_ascii_lowercase() =>
        {
            KeyCode::Char(c.to_ascii_uppercase())
        }
        other => other,
    };
    k.code == code && (event.modifiers & relevant) == (k.mods & relevant)
}

/// The action a key triggers in `pane`: a pane binding first, then a global one.
pub fn action_for(pane: Pane, event: &KeyEvent) -> Option<Action> {
    let hit = |scope: Scope| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == scope)
            .find(|b| b.keys.iter().any(|k| matches(k, event)))
            .map(|b| b.action)
    };
    hit(Scope::Pane(pane)).or_else(|| hit(Scope::Global))
}

/// How a key is written in help texts.
pub fn key_label(k: &Key) -> String {
    let base = match k.code {
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        other => format!("{other:?}"),
    };
    if k.mods.contains(KeyModifiers::CONTROL) { format!("Ctrl-{base}") } else { base }
}

/// The help rows of `pane`: keys and what they do, pane bindings first.
pub fn help_rows(pane: Pane) -> Vec<(String, &'static str)> {
    let label = |b: &Binding| b.keys.iter().map(key_label).collect::<Vec<_>>().join(" ");
    let pane_rows: Vec<&Binding> =
        BINDINGS.iter().filter(|b| b.scope == Scope::Pane(pane)).collect();
    let shadowed = |b: &Binding| pane_rows.iter().any(|p| p.action == b.action);
    let global_rows = BINDINGS.iter().filter(|b| b.scope == Scope::Global && !shadowed(b));
    let rows: Vec<&Binding> = pane_rows.iter().copied().chain(global_rows).collect();
    rows.into_iter().map(|b| (label(b), b.help)).collect()
}

/// The key table for the README, as Markdown.
pub fn markdown_table() -> String {
    let mut out = String::from("| keys | where | action |\n|---|---|---|\n");
    for b in BINDINGS {
        let keys =
            b.keys.iter().map(|k| format!("`{}`", key_label(k))).collect::<Vec<_>>().join(" ");
        let scope = match b.scope {
            Scope::Global => "everywhere".to_owned(),
            Scope::Pane(p) => p.title().to_owned(),
        };
        out.push_str(&format!("| {keys} | {scope} | {} |\n", b.help));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn shifted_letters_and_ctrl_are_told_apart() {
        let g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(action_for(Pane::Data, &g), Some(Action::Bottom));
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(Pane::Data, &ctrl_c), Some(Action::Quit));
        let c = press(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(action_for(Pane::Data, &c), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.scope == b.scope {
                    for k in a.keys {
                        assert!(!b.keys.contains(k), "{} bound twice", key_label(k));
                    }
                }
            }
        }
    }

    #[test]
    fn pane_binding_replaces_the_global_one_in_help() {
        let rows = help_rows(Pane::Workflow);
        assert_eq!(rows.iter().filter(|(k, _)| k.starts_with("Enter")).count(), 1);
        assert!(rows[0].1.contains("stage"));
    }
}
