//! Colours and emphasis, with a plain variant when `NO_COLOR` is set.

use ratatui::style::{Color, Modifier, Style};

/// Styles used across panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Normal text.
    pub text: Style,
    /// Secondary text.
    pub dim: Style,
    /// Titles and the active tab.
    pub accent: Style,
    /// The selected row.
    pub selected: Style,
    /// Done, passed, healthy.
    pub good: Style,
    /// Needs attention.
    pub warn: Style,
    /// Broken, failed, blocked.
    pub bad: Style,
    /// Table headers.
    pub header: Style,
    /// Whether colours are used at all.
    pub coloured: bool,
}

impl Theme {
    /// The colour theme.
    pub fn color() -> Self {
        Self {
            text: Style::new(),
            dim: Style::new().fg(Color::DarkGray),
            accent: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            selected: Style::new().bg(Color::Blue).fg(Color::White).add_modifier(Modifier::BOLD),
            good: Style::new().fg(Color::Green),
            warn: Style::new().fg(Color::Yellow),
            bad: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            header: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            coloured: true,
        }
    }

    /// No colours at all: emphasis only through bold, reverse and underline.
    pub fn plain() -> Self {
        Self {
            text: Style::new(),
            dim: Style::new(),
            accent: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            good: Style::new(),
            warn: Style::new().add_modifier(Modifier::BOLD),
            bad: Style::new().add_modifier(Modifier::BOLD),
            header: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            coloured: false,
        }
    }

    /// Style and marker of the `i`-th series in an overlaid chart: colours when there are
    /// colours, distinct markers when there are not.
    pub fn series(&self, i: usize) -> (Style, ratatui::symbols::Marker) {
        use ratatui::symbols::Marker;
        if !self.coloured {
            const MARKERS: [Marker; 4] =
                [Marker::Dot, Marker::Block, Marker::Bar, Marker::HalfBlock];
            return (Style::new(), MARKERS[i % MARKERS.len()]);
        }
        const COLOURS: [Color; 6] =
            [Color::Cyan, Color::Magenta, Color::Yellow, Color::Green, Color::Blue, Color::Red];
        (Style::new().fg(COLOURS[i % COLOURS.len()]), Marker::Braille)
    }

    /// [`Theme::plain`] when `NO_COLOR` is set to anything non-empty, else [`Theme::color`].
    pub fn from_env() -> Self {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Self::plain(),
            _ => Self::color(),
        }
    }
}
