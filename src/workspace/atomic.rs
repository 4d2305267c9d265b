//! Atomic file replacement and whole-line appends.
//!
//! Every workspace file is written to a temporary file in the same folder, flushed to disk and
//! renamed over the target, so a reader sees either the old or the new content and a crash
//! never loses the old file. Logs are appended one whole line per write; readers skip a torn
//! last line.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Prefix and suffix of temporary files; the watcher and every lister ignore such names.
pub const TEMP_PREFIX: &str = ".mlwb-";
/// Suffix of temporary files.
pub const TEMP_SUFFIX: &str = ".tmp";

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// True for the temporary files that [`write_atomic`] creates.
pub fn is_temp_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(TEMP_PREFIX) && n.ends_with(TEMP_SUFFIX))
}

/// A fully written and synced temporary file that has not yet replaced its target.
///
/// Dropping it without [`Staged::commit`] removes the temporary file and leaves the target as
/// it was.
#[derive(Debug)]
pub struct Staged {
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staged {
    /// Where the content waits until it is committed.
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Renames the temporary file over the target and syncs the folder.
    pub fn commit(mut self) -> io::Result<()> {
        fs::rename(&self.temp, &self.target)?;
        self.committed = true;
        sync_dir(self.target.parent());
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Writes `bytes` to a temporary file beside `target` and syncs it, without replacing `target`.
pub fn stage(target: &Path, bytes: &[u8]) -> io::Result<Staged> {
    let dir = parent_dir(target);
    let file_name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "target has no file name"))?;
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp =
        dir.join(format!("{TEMP_PREFIX}{file_name}.{}.{n}{TEMP_SUFFIX}", std::process::id()));
    let staged = Staged { temp, target: target.to_path_buf(), committed: false };
    let mut file = OpenOptions::new().write(true).create_new(true).open(&staged.temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(staged)
}

/// Replaces `target` with `bytes` atomically.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> io::Result<()> {
    stage(target, bytes)?.commit()
}

/// Serializes `value` as pretty JSON (with a final newline) and writes it atomically.
pub fn write_json<T: Serialize>(target: &Path, value: &T) -> io::Result<()> {
    let mut text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    text.push('\n');
    write_atomic(target, text.as_bytes())
}

/// Serializes `value` as TOML and writes it atomically.
pub fn write_toml<T: Serialize>(target: &Path, value: &T) -> io::Result<()> {
    let text = toml::to_string_pretty(value).map_err(io::Error::other)?;
    write_atomic(target, text.as_bytes())
}

/// Appends one JSON value as a whole line.
///
/// If the file ends in a torn line (a writer died mid-append), a newline is written first so
/// the torn fragment stays on a line of its own and the new record stays readable.
pub fn append_jsonl<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let mut line = serde_json::to_string(value).map_err(io::Error::other)?;
    line.push('\n');
    let mut file = OpenOptions::new().read(true).append(true).create(true).open(path)?;
    if ends_without_newline(&mut file)? {
        line.insert(0, '\n');
    }
    file.write_all(line.as_bytes())?;
    file.sync_data()
}

fn ends_without_newline(file: &mut File) -> io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

/// What a JSON-lines log held.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonlRead<T> {
    /// The records that parsed, in file order.
    pub records: Vec<T>,
    /// True when the last line had no newline and did not parse: a writer died mid-append.
    pub torn_tail: bool,
    /// Complete lines that did not parse: 1-based line number and reason.
    pub bad_lines: Vec<(usize, String)>,
}

/// Reads a JSON-lines log, skipping a torn last line and collecting unparseable lines.
pub fn read_jsonl<T: DeserializeOwned>(path: &Path) -> io::Result<JsonlRead<T>> {
    let bytes = fs::read(path)?;
    Ok(parse_jsonl(&bytes))
}

/// Parses JSON-lines bytes; see [`read_jsonl`].
pub fn parse_jsonl<T: DeserializeOwned>(bytes: &[u8]) -> JsonlRead<T> {
    let mut out = JsonlRead { records: Vec::new(), torn_tail: false, bad_lines: Vec::new() };
    let complete = bytes.ends_with(b"\n");
    let mut lines = bytes.split(|b| *b == b'\n').enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let is_last = lines.peek().is_none();
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<T>(line) {
            Ok(record) => out.records.push(record),
            Err(_) if is_last && !complete => out.torn_tail = true,
            Err(e) => out.bad_lines.push((i + 1, e.to_string())),
        }
    }
    out
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn sync_dir(dir: Option<&Path>) {
    // Syncing the folder makes the rename itself durable; not every platform allows opening a
    // folder, and a failure here cannot undo the rename, so it is best effort.
    if let Some(dir) = dir
        && let Ok(handle) = File::open(parent_dir_or(dir))
    {
        let _ = handle.sync_all();
    }
}

fn parent_dir_or(dir: &Path) -> &Path {
    if dir.as_os_str().is_empty() { Path::new(".") } else { dir }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn write_atomic_replaces_content_and_leaves_no_temp() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("a.json");
        write_atomic(&target, b"old")?;
        write_atomic(&target, b"new")?;
        assert_eq!(fs::read(&target)?, b"new");
        assert_eq!(fs::read_dir(dir.path())?.count(), 1);
        Ok(())
    }

    #[test]
    fn dropped_stage_keeps_old_file() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("a.toml");
        write_atomic(&target, b"old")?;
        let staged = stage(&target, b"new")?;
        assert!(is_temp_file(staged.temp_path()));
        drop(staged);
        assert_eq!(fs::read(&target)?, b"old");
        assert_eq!(fs::read_dir(dir.path())?.count(), 1);
        Ok(())
    }

    #[test]
    fn torn_last_line_is_skipped() {
        let read: JsonlRead<Value> = parse_jsonl(b"{\"a\":1}\n{\"a\":2}\n{\"a\":");
        assert_eq!(read.records, vec![json!({"a": 1}), json!({"a": 2})]);
        assert!(read.torn_tail);
        assert!(read.bad_lines.is_empty());
    }

    #[test]
    fn bad_middle_line_is_reported_with_its_number() {
        let read: JsonlRead<Value> = parse_jsonl(b"{\"a\":1}\nnot json\n{\"a\":3}\n");
        assert_eq!(read.records.len(), 2);
        assert_eq!(read.bad_lines.len(), 1);
        assert_eq!(read.bad_lines[0].0, 2);
        assert!(!read.torn_tail);
    }

    #[test]
    fn append_after_torn_line_keeps_new_record_readable() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let log = dir.path().join("events.jsonl");
        fs::write(&log, b"{\"a\":1}\n{\"a\":")?;
        append_jsonl(&log, &json!({"a": 2}))?;
        let read: JsonlRead<Value> = read_jsonl(&log)?;
        assert_eq!(read.records, vec![json!({"a": 1}), json!({"a": 2})]);
        assert_eq!(read.bad_lines.len(), 1, "the torn fragment is now a bad line of its own");
        Ok(())
    }
}
