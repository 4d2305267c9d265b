//! Registry files: a model (`registry/<model>/model.toml`), its versions (`v<N>.toml`) and the
//! audit log (`registry/events.jsonl`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A registered model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// Workspace format version of this file.
    #[serde(default)]
    pub format: crate::workspace::files::Format,
    /// Model name, also the folder name.
    #[serde(default)]
    pub name: String,
    /// What the model is for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Who retrains it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// Where a version stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Registered, not deployed.
    #[default]
    None,
    /// Deployed for trials.
    Staging,
    /// Serving real traffic.
    Production,
    /// Retired.
    Archived,
}

impl Stage {
    /// Lower-case label used on screen.
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Staging => "staging",
            Self::Production => "production",
            Self::Archived => "archived",
        }
    }
}

/// Where a version came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lineage {
    /// The experiment spec.
    #[serde(default)]
    pub experiment: String,
    /// The dataset name.
    #[serde(default)]
    pub dataset: String,
    /// The dataset's content hash.
    #[serde(default)]
    pub dataset_hash: String,
    /// The code version (git commit), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// An approval of a model version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionApproval {
    /// Who approved.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Why.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// One registered version of a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelVersion {
    /// Workspace format version of this file.
    #[serde(default)]
    pub format: crate::workspace::files::Format,
    /// Version number, N in `v<N>.toml`.
    pub version: u32,
    /// The run it was made from.
    pub run: String,
    /// When it was registered.
    pub created: DateTime<Utc>,
    /// Its stage.
    #[serde(default)]
    pub stage: Stage,
    /// Where it came from.
    #[serde(default)]
    pub lineage: Lineage,
    /// Metrics copied from the run at registration.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metrics: BTreeMap<String, f64>,
    /// Approvals, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<VersionApproval>,
    /// Why there is no earlier version to roll back to, when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_rollback_reason: Option<String>,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// One line of the registry's audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryEvent {
    /// When.
    pub time: DateTime<Utc>,
    /// The model.
    pub model: String,
    /// The version, when the action concerns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// What happened: register, approve, promote, rollback, archive.
    pub action: String,
    /// Who did it.
    #[serde(default)]
    pub by: String,
    /// Why.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
