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

/// Card fields that can be set one at a time, for the help of whoever typed a wrong one.
pub const FIELDS: &str = "source, owner, description, column.NAME (what a column holds), \
                          available.NAME (yes, no or unknown: known at prediction time?)";

/// The current text of a card field (see [`FIELDS`]), for editing.
pub fn field_text(card: &DatasetCard, field: &str) -> Result<String, String> {
    Ok(match field {
        "source" => card.source.clone(),
        "owner" => card.owner.clone(),
        "description" => card.description.clone(),
        _ => match field.split_once('.') {
            Some(("column", name)) => {
                card.columns.get(name).map(|n| n.description.clone()).unwrap_or_default()
            }
            Some(("available", name)) => {
                match card.columns.get(name).and_then(|n| n.available_at_prediction) {
                    Some(true) => "yes".into(),
                    Some(false) => "no".into(),
                    None => "unknown".into(),
                }
            }
            _ => return Err(format!("no card field {field:?}; the fields are {FIELDS}")),
        },
    })
}

/// Sets one field of a card (see [`FIELDS`]); `columns` are the dataset's columns, which
/// `column.NAME` and `available.NAME` must name when known.
pub fn set_field(
    card: &mut DatasetCard,
    field: &str,
    value: &str,
    columns: Option<&[String]>,
) -> Result<(), String> {
    let value = value.trim();
    let check = |name: &str| match columns {
        Some(cols) if !cols.iter().any(|c| c == name) => {
            Err(format!("the dataset has no column {name:?}; its columns are {}", cols.join(", ")))
        }
        _ => Ok(()),
    };
    match field {
        "source" => card.source = value.to_owned(),
        "owner" => card.owner = value.to_owned(),
        "description" => card.description = value.to_owned(),
        _ => match field.split_once('.') {
            Some(("column", name)) => {
                check(name)?;
                card.columns.entry(name.to_owned()).or_default().description = value.to_owned();
            }
            Some(("available", name)) => {
                check(name)?;
                let known = match value.to_ascii_lowercase().as_str() {
                    "yes" | "true" => Some(true),
                    "no" | "false" => Some(false),
                    "unknown" | "" => None,
                    other => return Err(format!("{other:?}: answer yes, no or unknown")),
                };
                card.columns.entry(name.to_owned()).or_default().available_at_prediction = known;
            }
            _ => return Err(format!("no card field {field:?}; the fields are {FIELDS}")),
        },
    }
    Ok(())
}

/// Sets one field on a dataset's card and saves it atomically, creating the card if there is
/// none; unknown fields are kept and a malformed card is refused, never replaced.
pub fn update(
    ws: &crate::workspace::Workspace,
    dataset: &str,
    field: &str,
    value: &str,
    columns: Option<&[String]>,
) -> anyhow::Result<DatasetCard> {
    crate::workspace::names::validate(dataset)?;
    let path = ws.card_path(dataset);
    let mut card = crate::workspace::files::read_toml::<DatasetCard>(&path)?.unwrap_or_default();
    set_field(&mut card, field, value, columns)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    crate::workspace::atomic::write_toml(&path, &card)?;
    Ok(card)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_set_read_back_and_checked() {
        let mut card = DatasetCard::default();
        let cols = ["age".to_owned(), "fee".to_owned()];
        set_field(&mut card, "owner", "  Dana  ", Some(&cols)).unwrap_or_else(|e| panic!("{e}"));
        set_field(&mut card, "column.age", "years, at signup", Some(&cols))
            .unwrap_or_else(|e| panic!("{e}"));
        set_field(&mut card, "available.fee", "no", Some(&cols)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(card.owner, "Dana");
        assert_eq!(field_text(&card, "column.age").as_deref(), Ok("years, at signup"));
        assert_eq!(card.unavailable_columns(), vec!["fee"]);
        assert_eq!(field_text(&card, "available.age").as_deref(), Ok("unknown"));
        let err = set_field(&mut card, "column.nope", "x", Some(&cols)).err().unwrap_or_default();
        assert!(err.contains("no column \"nope\""), "{err}");
        let err = set_field(&mut card, "colour", "x", None).err().unwrap_or_default();
        assert!(err.contains("the fields are"), "{err}");
        let err = set_field(&mut card, "available.age", "maybe", None).err().unwrap_or_default();
        assert!(err.contains("yes, no or unknown"), "{err}");
    }
}
