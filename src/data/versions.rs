//! Content versions of a dataset (`data/<name>.versions.jsonl`).

use std::fs::File;
use std::io;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One content version: a line of the versions log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionRecord {
    /// BLAKE3 of the file bytes, hex.
    pub hash: String,
    /// When mlwb first saw this content.
    pub time: DateTime<Utc>,
    /// Rows, without the header.
    pub rows: u64,
    /// Columns.
    pub cols: u64,
    /// File size in bytes.
    #[serde(default)]
    pub bytes: u64,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl VersionRecord {
    /// The first eight hex digits of the hash, as shown on screen and in file names.
    pub fn short_hash(&self) -> &str {
        short_hash(&self.hash)
    }
}

/// The first eight characters of a hex hash.
pub fn short_hash(hash: &str) -> &str {
    hash.get(..8).unwrap_or(hash)
}

/// BLAKE3 of a file's bytes, streamed so large files need no memory.
pub fn hash_file(path: &Path) -> io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(File::open(path)?)?;
    Ok(hasher.finalize().to_hex().to_string())
}
