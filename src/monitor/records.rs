//! Monitoring files: `monitoring/<model>/monitor.toml` and the daily prediction and feedback
//! logs.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Monitoring settings of one model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonitorConfig {
    /// Workspace format version of this file.
    #[serde(default)]
    pub format: crate::workspace::files::Format,
    /// The reference data (a dataset name or a file), usually the training data.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
    /// Window length for charts and alerts, in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_minutes: Option<u32>,
    /// Alert thresholds that override the defaults.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    pub thresholds: toml::Table,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// One served prediction: a line of `predictions/<day>.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictionRecord {
    /// Request id, joined with feedback.
    pub id: String,
    /// When it was served.
    pub time: DateTime<Utc>,
    /// The model version that answered.
    #[serde(default)]
    pub version: u32,
    /// The inputs as received.
    #[serde(default)]
    pub inputs: Map<String, Value>,
    /// The prediction, or null on error.
    #[serde(default)]
    pub prediction: Value,
    /// Probability of the predicted class, for classifiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// Time to answer, in milliseconds.
    #[serde(default)]
    pub latency_ms: f64,
    /// The error, when the request failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Delayed ground truth: a line of `feedback/<day>.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackRecord {
    /// The request id of the prediction.
    pub id: String,
    /// When the truth became known.
    pub time: DateTime<Utc>,
    /// The true value.
    pub actual: Value,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
