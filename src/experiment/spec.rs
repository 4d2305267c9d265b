//! Experiment specs (`experiments/<name>.toml`): what to train, on which data, and how.
//!
//! Every field has a default on disk so that a half-written spec still loads and can be shown;
//! checking a spec before training belongs to the training code.

use serde::{Deserialize, Serialize};

/// Which columns become features.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Features {
    /// Only these columns; empty means every column but the target.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Columns left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// How rows are divided between training and test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Split {
    /// `random`, `stratified`, `group` or `time`.
    #[serde(default = "default_split_kind")]
    pub kind: String,
    /// Share of rows held out for testing.
    #[serde(default = "default_test_fraction")]
    pub test_fraction: f64,
    /// Seed of the shuffle.
    #[serde(default)]
    pub seed: u64,
    /// The entity or time column, for `group` and `time` splits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Number of folds, for `kfold` cross-validation (default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folds: Option<usize>,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

impl Default for Split {
    fn default() -> Self {
        Self {
            kind: default_split_kind(),
            test_fraction: default_test_fraction(),
            seed: 0,
            column: None,
            folds: None,
            extra: toml::Table::new(),
        }
    }
}

fn default_split_kind() -> String {
    "stratified".to_owned()
}

fn default_test_fraction() -> f64 {
    0.25
}

/// The model and its parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelSpec {
    /// Model kind, such as `decision_tree` or `logistic_regression`.
    #[serde(default)]
    pub kind: String,
    /// Model parameters, such as `max_depth = 6`.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    pub params: toml::Table,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// An experiment spec.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExperimentSpec {
    /// Workspace format version of this file.
    #[serde(default)]
    pub format: crate::workspace::files::Format,
    /// The dataset by name.
    #[serde(default)]
    pub dataset: String,
    /// Optional pin to one content hash of the dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_hash: Option<String>,
    /// The column to predict.
    #[serde(default)]
    pub target: String,
    /// Feature selection.
    #[serde(default)]
    pub features: Features,
    /// Train/test split.
    #[serde(default)]
    pub split: Split,
    /// Preprocessing steps, fitted on the training split only.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    pub preprocessing: toml::Table,
    /// The model.
    #[serde(default)]
    pub model: ModelSpec,
    /// Seed for the model.
    #[serde(default)]
    pub seed: u64,
    /// A text column whose values get metrics of their own (slices, for fairness checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slice_column: Option<String>,
    /// Free-form notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}
