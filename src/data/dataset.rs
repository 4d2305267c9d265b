//! The datasets of a workspace: data files in `data/`, cards, and their version logs.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::card::DatasetCard;
use super::load::{self, FileKind};
use super::versions::{self, VersionRecord};
use crate::workspace::Workspace;
use crate::workspace::atomic::{self, JsonlRead};
use crate::workspace::files::{self, FileError};

/// Everything the workspace says about one dataset.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The dataset's name (the file stem).
    pub name: String,
    /// The data file, if one was found.
    pub file: Option<PathBuf>,
    /// Column names read from the file's header or schema.
    pub columns: Vec<String>,
    /// The card, if there is one.
    pub card: Option<DatasetCard>,
    /// Content versions, oldest first.
    pub versions: Vec<VersionRecord>,
    /// Problems with the card or the version log.
    pub errors: Vec<FileError>,
}

impl Dataset {
    /// True when the card carries an approval.
    pub fn is_approved(&self) -> bool {
        self.card.as_ref().is_some_and(|c| c.latest_approval().is_some())
    }

    /// The newest content version.
    pub fn latest_version(&self) -> Option<&VersionRecord> {
        self.versions.last()
    }
}

/// Names of the datasets in `data/`: every data file stem and every card.
pub fn list_names(ws: &Workspace) -> io::Result<Vec<String>> {
    let dir = ws.data_dir();
    let mut names = BTreeSet::new();
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        if let Some(name) = dataset_name_of(&path) {
            names.insert(name);
        }
    }
    Ok(names.into_iter().collect())
}

/// The dataset a path in `data/` belongs to, if any.
pub fn dataset_name_of(path: &Path) -> Option<String> {
    if atomic::is_temp_file(path) {
        return None;
    }
    let file_name = path.file_name()?.to_str()?;
    for suffix in [".card.toml", ".versions.jsonl"] {
        if let Some(stem) = file_name.strip_suffix(suffix) {
            return Some(stem.to_owned());
        }
    }
    FileKind::from_path(path)?;
    Some(path.file_stem()?.to_str()?.to_owned())
}

/// Loads one dataset's card and version log; never fails as a whole.
pub fn load(ws: &Workspace, name: &str) -> Dataset {
    let mut errors = Vec::new();
    let card_path = ws.card_path(name);
    let card = files::read_toml::<DatasetCard>(&card_path).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let file = resolve_file(ws, name, card.as_ref());
    let versions = read_versions(ws, name, &mut errors);
    let columns = match file.as_deref() {
        Some(path) => load::column_names(path).unwrap_or_else(|e| {
            errors.push(FileError::new(path, e.reason()));
            Vec::new()
        }),
        None => Vec::new(),
    };
    Dataset { name: name.to_owned(), file, columns, card, versions, errors }
}

fn resolve_file(ws: &Workspace, name: &str, card: Option<&DatasetCard>) -> Option<PathBuf> {
    if let Some(file) = card.and_then(|c| c.file.as_deref()) {
        let path = Path::new(file);
        return Some(if path.is_absolute() {
            path.to_path_buf()
        } else {
            ws.data_dir().join(path)
        });
    }
    ["csv", "parquet"]
        .iter()
        .map(|ext| ws.data_dir().join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
}

fn read_versions(ws: &Workspace, name: &str, errors: &mut Vec<FileError>) -> Vec<VersionRecord> {
    let path = ws.versions_path(name);
    match atomic::read_jsonl::<VersionRecord>(&path) {
        Ok(JsonlRead { records, bad_lines, .. }) => {
            if let Some((line, reason)) = bad_lines.first() {
                errors.push(FileError::new(&path, format!("line {line}: {reason}")));
            }
            records
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            errors.push(FileError::new(&path, e.to_string()));
            Vec::new()
        }
    }
}

/// Hashes the dataset's file and appends a version when the content is new.
///
/// Returns the new record, or `None` when the newest recorded version already has this hash.
pub fn record_version(ws: &Workspace, dataset: &Dataset) -> anyhow::Result<Option<VersionRecord>> {
    let Some(file) = dataset.file.as_deref() else {
        anyhow::bail!("dataset {:?} has no data file in {}", dataset.name, ws.data_dir().display());
    };
    let hash = versions::hash_file(file)?;
    if dataset.latest_version().is_some_and(|v| v.hash == hash) {
        return Ok(None);
    }
    let (rows, cols) = load::shape(file)?;
    let bytes = fs::metadata(file)?.len();
    let record =
        VersionRecord { hash, time: Utc::now(), rows, cols, bytes, extra: serde_json::Map::new() };
    atomic::append_jsonl(&ws.versions_path(&dataset.name), &record)?;
    Ok(Some(record))
}
