//! Reading workspace files: format-version checks and errors that name the file.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// The workspace format this binary reads and writes.
pub const FORMAT: u32 = 1;

/// The `format` field every workspace file carries; defaults to the current format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Format(pub u32);

impl Default for Format {
    fn default() -> Self {
        Self(FORMAT)
    }
}

/// A workspace file that could not be used, with its path and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong with it, written for a person.
    pub reason: String,
}

impl FileError {
    /// Makes an error for `path`.
    pub fn new(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Self { path: path.into(), reason: reason.into() }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for FileError {}

/// Reads and parses a TOML file; `Ok(None)` when it does not exist.
pub fn read_toml<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, FileError> {
    let Some(text) = read_text(path)? else { return Ok(None) };
    parse_toml(path, &text).map(Some)
}

/// Parses TOML text that came from `path`, refusing a newer format.
pub fn parse_toml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, FileError> {
    let value: toml::Table = toml::from_str(text)
        .map_err(|e| FileError::new(path, format!("not valid TOML: {}", toml_reason(text, &e))))?;
    if let Some(format) = value.get("format") {
        check_format(path, format.as_integer())?;
    }
    toml::from_str(text).map_err(|e| FileError::new(path, toml_reason(text, &e)))
}

/// Reads and parses a JSON file; `Ok(None)` when it does not exist.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, FileError> {
    let Some(text) = read_text(path)? else { return Ok(None) };
    parse_json(path, &text).map(Some)
}

/// Parses JSON text that came from `path`, refusing a newer format.
pub fn parse_json<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, FileError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| FileError::new(path, format!("not valid JSON: {e}")))?;
    if let Some(format) = value.get("format") {
        check_format(path, format.as_i64())?;
    }
    serde_json::from_str(text).map_err(|e| FileError::new(path, e.to_string()))
}

/// "line L, column C: message" for a TOML error, without the quoted source lines.
fn toml_reason(text: &str, e: &toml::de::Error) -> String {
    let message = one_line(e.message());
    let Some(span) = e.span() else { return message };
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let line_text = text.lines().nth(line - 1).unwrap_or_default();
    match key_of_line(line_text) {
        Some(key) => format!("line {line}, column {column}: field `{key}`: {message}"),
        None => format!("line {line}, column {column}: {message}"),
    }
}

/// The key a `key = value` line assigns, so type errors can name the field.
fn key_of_line(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    let plain = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    plain.then_some(key)
}

fn check_format(path: &Path, format: Option<i64>) -> Result<(), FileError> {
    match format {
        Some(f) if f >= 1 && f <= i64::from(FORMAT) => Ok(()),
        Some(f) if f > i64::from(FORMAT) => Err(FileError::new(
            path,
            format!(
                "written in workspace format {f}, but this mlwb reads format {FORMAT}; \
                 upgrade mlwb (the file was left untouched)"
            ),
        )),
        _ => Err(FileError::new(path, "`format` must be a positive whole number, such as 1")),
    }
}

fn read_text(path: &Path) -> Result<Option<String>, FileError> {
    match fs::read(path) {
        Ok(bytes) => {
            String::from_utf8(bytes).map(Some).map_err(|_| FileError::new(path, "not UTF-8 text"))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(FileError::new(path, e.to_string())),
    }
}

/// Folds a multi-line parser message (TOML errors quote the source) into one line.
pub fn one_line(msg: &str) -> String {
    msg.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "|")
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code, reason = "only parsed, to exercise type errors")]
    struct Doc {
        name: String,
    }

    #[test]
    fn newer_format_is_refused_with_the_versions() {
        let err = parse_toml::<Doc>(Path::new("x.toml"), "format = 2\nname = \"a\"").err();
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("x.toml") && msg.contains("format 2") && msg.contains("format 1"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_type_names_the_field() {
        let err = parse_toml::<Doc>(Path::new("x.toml"), "name = 3").err();
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("name"), "{msg}");
    }

    #[test]
    fn broken_json_is_an_error_not_a_panic() {
        assert!(parse_json::<Doc>(Path::new("r.json"), "{\"name\": ").is_err());
    }
}
