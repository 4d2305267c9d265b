//! Dataset cards (`data/<name>.card.toml`): where data came from and what use is approved.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One approval of a dataset for a stated use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approval {
    /// The use that is approved, such as "churn prediction".
    #[serde(rename = "use")]
    pub purpose: String,
    /// Who approved it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Why, or under which conditions.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// Notes on one column.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ColumnNote {
    /// What the column holds.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Whether the value is known when a prediction is made; `None` when nobody said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_at_prediction: Option<bool>,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// A dataset card.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DatasetCard {
    /// Workspace format version of this file.
    #[serde(default)]
    pub format: crate::workspace::files::Format,
    /// The data file, when it lives outside `data/` (absolute, or relative to `data/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Where the data came from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// Who answers for it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    /// What it holds, in a sentence or two.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Approvals, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<Approval>,
    /// Per-column notes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, ColumnNote>,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

impl DatasetCard {
    /// The newest approval, if any.
    pub fn latest_approval(&self) -> Option<&Approval> {
        self.approvals.last()
    }

    /// What a card still lacks before the data selection stage is done.
    pub fn gaps(&self) -> Vec<&'static str> {
        let mut gaps = Vec::new();
        if self.source.trim().is_empty() {
            gaps.push("source");
        }
        if self.owner.trim().is_empty() {
            gaps.push("owner");
        }
        if self.approvals.is_empty() {
            gaps.push("approval");
        }
        gaps
    }

    /// Columns the card marks as not known at prediction time.
    pub fn unavailable_columns(&self) -> Vec<&str> {
        self.columns
            .iter()
            .filter(|(_, note)| note.available_at_prediction == Some(false))
            .map(|(name, _)| name.as_str())
            .collect()
    }
}

/// Records an approval on a dataset's card, creating the card if there is none.
///
/// Unknown fields of an existing card are kept; a malformed card is refused, never replaced.
pub fn approve(
    ws: &crate::workspace::Workspace,
    dataset: &str,
    approval: Approval,
) -> anyhow::Result<DatasetCard> {
    crate::workspace::names::validate(dataset)?;
    let path = ws.card_path(dataset);
    let mut card = crate::workspace::files::read_toml::<DatasetCard>(&path)?.unwrap_or_default();
    card.approvals.push(approval);
    crate::workspace::atomic::write_toml(&path, &card)?;
    Ok(card)
}
