//! Run records (`runs/<run-id>/run.json`): what one training run did and measured.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Where a run is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Training has started and not yet ended.
    Running,
    /// Training ended and the metrics are recorded.
    Finished,
    /// Training stopped with an error, which the record keeps.
    Failed,
}

impl RunStatus {
    /// Lower-case label used on screen.
    pub fn label(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Finished => "finished",
            Self::Failed => "failed",
        }
    }
}

/// The code that produced a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeVersion {
    /// Git commit, when the spec lives in a git repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// True when the work tree had uncommitted changes.
    #[serde(default)]
    pub dirty: bool,
    /// The mlwb version that trained.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mlwb: String,
}

/// The data a run trained on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DataRef {
    /// Dataset name.
    pub name: String,
    /// BLAKE3 content hash of the file that was read.
    pub hash: String,
}

/// A run record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Workspace format version of this file.
    #[serde(default)]
    pub format: crate::workspace::files::Format,
    /// Run id, also the folder name.
    pub id: String,
    /// The experiment spec it came from.
    pub experiment: String,
    /// Life-cycle status.
    pub status: RunStatus,
    /// Start time.
    pub started: DateTime<Utc>,
    /// End time, once finished or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<DateTime<Utc>>,
    /// The error of a failed run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The code version.
    #[serde(default)]
    pub code: CodeVersion,
    /// The dataset and its content hash.
    #[serde(default)]
    pub dataset: DataRef,
    /// The full resolved spec.
    #[serde(default)]
    pub spec: Value,
    /// Features used, in model order.
    #[serde(default)]
    pub features: Vec<String>,
    /// Model parameters.
    #[serde(default)]
    pub params: Map<String, Value>,
    /// Overall metrics by name.
    #[serde(default)]
    pub metrics: BTreeMap<String, f64>,
    /// Anything else measured: per class, per slice, confusion matrix, residuals.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub details: Map<String, Value>,
    /// Feature importances, where the model has them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub importances: BTreeMap<String, f64>,
    /// BLAKE3 hash of each artifact file, by file name.
    #[serde(default)]
    pub artifacts: BTreeMap<String, String>,
    /// Tags for filtering.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Notes written by people.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// The newest reproduction of this run, once `mlwb reproduce` has run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reproduction: Option<Reproduction>,
    /// The newest validation of this run, once `mlwb validate` has run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<Validation>,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The outcome of retraining a run from its record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reproduction {
    /// When it was tried.
    pub time: DateTime<Utc>,
    /// True when metrics and the model artifact hash were identical.
    pub identical: bool,
    /// What differed, when something did.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// One validation gate's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateResult {
    /// Gate name, such as `acceptable_error`.
    pub gate: String,
    /// Whether it passed.
    pub passed: bool,
    /// The numbers behind the verdict.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// The outcome of applying the validation gates to a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    /// When the gates were applied.
    pub time: DateTime<Utc>,
    /// True when every gate passed.
    pub passed: bool,
    /// Each gate.
    #[serde(default)]
    pub gates: Vec<GateResult>,
}

impl RunRecord {
    /// Seconds from start to end, when the run has ended.
    pub fn duration_secs(&self) -> Option<f64> {
        let ended = self.ended?;
        Some((ended - self.started).num_milliseconds() as f64 / 1000.0)
    }
}
