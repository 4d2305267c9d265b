//! A text input that behaves as people expect: a cursor, the usual editing keys, paste, and
//! several lines when the field holds prose.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Keep editing.
    Editing,
    /// Save (Enter on one line, Ctrl-S anywhere).
    Save,
    /// Save and go to the next field (Tab).
    SaveAndNext,
    /// Give up the edit (Esc).
    Cancel,
}

/// Text with a cursor (a byte offset on a character boundary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    /// The text.
    pub text: String,
    /// Where the cursor is.
    pub cursor: usize,
    /// Whether Enter starts a new line.
    pub multiline: bool,
}

impl TextInput {
    /// An input holding `text`, cursor at the end.
    pub fn new(text: &str, multiline: bool) -> Self {
        Self { text: text.to_owned(), cursor: text.len(), multiline }
    }

    /// Inserts text at the cursor (typing or paste); newlines only in multi-line inputs.
    pub fn insert(&mut self, s: &str) {
        let s: String =
            if self.multiline { s.replace("\r\n", "\n") } else { s.replace(['\r', '\n'], " ") };
        self.text.insert_str(self.cursor, &s);
        self.cursor += s.len();
    }

    fn prev(&self) -> usize {
        self.text[..self.cursor].char_indices().next_back().map_or(0, |(i, _)| i)
    }

    fn next(&self) -> usize {
        self.text[self.cursor..].chars().next().map_or(self.cursor, |c| self.cursor + c.len_utf8())
    }

    fn line_start(&self) -> usize {
        self.text[..self.cursor].rfind('\n').map_or(0, |i| i + 1)
    }

    fn line_end(&self) -> usize {
        self.text[self.cursor..].find('\n').map_or(self.text.len(), |i| self.cursor + i)
    }

    /// Applies one key.
    pub fn key(&mut self, key: KeyEvent) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return Outcome::Cancel,
            KeyCode::Tab => return Outcome::SaveAndNext,
            KeyCode::Char('s') if ctrl => return Outcome::Save,
            KeyCode::Enter if !self.multiline => return Outcome::Save,
            KeyCode::Enter => self.insert("\n"),
            KeyCode::Left => self.cursor = self.prev(),
            KeyCode::Right => self.cursor = self.next(),
            KeyCode::Home => self.cursor = self.line_start(),
            KeyCode::Char('a') if ctrl => self.cursor = self.line_start(),
            KeyCode::End => self.cursor = self.line_end(),
            KeyCode::Char('e') if ctrl => self.cursor = self.line_end(),
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.prev();
                self.text.replace_range(at..self.cursor, "");
                self.cursor = at;
            }
            KeyCode::Delete if self.cursor < self.text.len() => {
                let to = self.next();
                self.text.replace_range(self.cursor..to, "");
            }
            KeyCode::Char('u') if ctrl => {
                let start = self.line_start();
                self.text.replace_range(start..self.cursor, "");
                self.cursor = start;
            }
            KeyCode::Char('k') if ctrl => {
                let end = self.line_end();
                self.text.replace_range(self.cursor..end, "");
            }
            KeyCode::Char(c) if !ctrl => self.insert(c.encode_utf8(&mut [0; 4])),
            _ => {}
        }
        Outcome::Editing
    }

    /// The text with a visible cursor mark, for drawing.
    pub fn with_cursor(&self) -> (String, String) {
        (self.text[..self.cursor].to_owned(), self.text[self.cursor..].to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(input: &mut TextInput, code: KeyCode) -> Outcome {
        input.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn editing_keys_move_over_characters_not_bytes() {
        let mut i = TextInput::new("héllo", false);
        press(&mut i, KeyCode::Left);
        press(&mut i, KeyCode::Left);
        press(&mut i, KeyCode::Left);
        press(&mut i, KeyCode::Backspace);
        assert_eq!(i.text, "hllo");
        press(&mut i, KeyCode::Char('é'));
        assert_eq!(i.text, "héllo");
        press(&mut i, KeyCode::Home);
        press(&mut i, KeyCode::Delete);
        assert_eq!(i.text, "éllo");
        assert_eq!(press(&mut i, KeyCode::Enter), Outcome::Save);
    }

    #[test]
    fn prose_takes_new_lines_and_paste() {
        let mut i = TextInput::new("", true);
        i.insert("first\r\nsecond");
        assert_eq!(press(&mut i, KeyCode::Enter), Outcome::Editing);
        assert_eq!(i.text, "first\nsecond\n");
        let mut one = TextInput::new("", false);
        one.insert("a\nb");
        assert_eq!(one.text, "a b");
    }
}
