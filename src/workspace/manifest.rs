//! `mlwb.toml`: the file that makes a folder a workspace.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The manifest at the root of every workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Workspace format version; a newer one than this binary knows is refused.
    pub format: crate::workspace::files::Format,
    /// A short name shown in the status bar.
    pub name: String,
    /// When the workspace was created.
    pub created: DateTime<Utc>,
    /// Fields written by newer versions of mlwb, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

impl Manifest {
    /// A manifest for a new workspace called `name`.
    pub fn new(name: &str) -> Self {
        Self {
            format: super::files::Format::default(),
            name: name.to_owned(),
            created: Utc::now(),
            extra: toml::Table::new(),
        }
    }
}
