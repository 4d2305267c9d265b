//! The problem definition (`problem.toml`): what the model is for, and how good it must be.

use serde::{Deserialize, Serialize};

/// The kind of prediction the problem asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskType {
    /// Two classes.
    BinaryClassification,
    /// More than two classes.
    MulticlassClassification,
    /// A number.
    Regression,
}

impl TaskType {
    /// Lower-case label used on screen.
    pub fn label(self) -> &'static str {
        match self {
            Self::BinaryClassification => "binary classification",
            Self::MulticlassClassification => "multiclass classification",
            Self::Regression => "regression",
        }
    }
}

/// Whether a metric must be at least or at most its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better: the metric must be at least the threshold.
    AtLeast,
    /// Lower is better: the metric must be at most the threshold.
    AtMost,
}

/// The acceptable error: the validation gate that comes from the problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcceptableError {
    /// Metric name, such as `f1` or `mae`.
    pub metric: String,
    /// Which side of the threshold passes.
    pub direction: Direction,
    /// The threshold.
    pub threshold: f64,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// Cost of each kind of mistake, for business impact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Costs {
    /// Cost of one false positive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub false_positive: Option<f64>,
    /// Cost of one false negative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub false_negative: Option<f64>,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// The problem definition. Every field is optional on disk so that a half-written definition
/// still loads and the Problem pane can say what is missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Workspace format version of this file.
    #[serde(default)]
    pub format: crate::workspace::files::Format,
    /// The task in plain language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// Binary, multiclass or regression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_type: Option<TaskType>,
    /// The dataset the target lives in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
    /// The column to predict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Who uses the prediction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<String>,
    /// The decision the prediction supports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// The expected business value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_value: Option<String>,
    /// The acceptable error, which becomes a validation gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptable_error: Option<AcceptableError>,
    /// Columns known at the moment a prediction is made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub available_at_prediction: Vec<String>,
    /// Optional entity (group) column, such as a customer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_column: Option<String>,
    /// Optional time column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_column: Option<String>,
    /// Who retrains the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retraining_owner: Option<String>,
    /// Cost of errors, for business impact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costs: Option<Costs>,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// One required field of the problem definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Key in problem.toml.
    pub key: &'static str,
    /// Label on screen.
    pub label: &'static str,
    /// Why the field matters, for a student.
    pub why: &'static str,
}

/// The fields stage 1 needs, in the order the form shows them.
pub const REQUIRED: [Field; 9] = [
    Field {
        key: "task",
        label: "Task",
        why: "says in plain words what the model predicts and for whom",
    },
    Field { key: "task_type", label: "Task type", why: "decides which models and metrics apply" },
    Field { key: "dataset", label: "Dataset", why: "names the data the target lives in" },
    Field { key: "target", label: "Target", why: "is the column the model learns to predict" },
    Field {
        key: "users",
        label: "Users",
        why: "the people who act on the prediction decide what errors cost",
    },
    Field { key: "decision", label: "Decision", why: "a prediction nobody acts on has no value" },
    Field {
        key: "business_value",
        label: "Business value",
        why: "tells whether the project is worth shipping at all",
    },
    Field {
        key: "acceptable_error",
        label: "Acceptable error",
        why: "becomes the validation gate a model must pass",
    },
    Field {
        key: "available_at_prediction",
        label: "Available at prediction",
        why: "columns not known when predicting leak the future into training",
    },
];

impl Problem {
    /// Text shown for a field, or `None` when it is missing.
    pub fn field_text(&self, key: &str) -> Option<String> {
        let text = match key {
            "task" => self.task.clone(),
            "task_type" => self.task_type.map(|t| t.label().to_owned()),
            "dataset" => self.dataset.clone(),
            "target" => self.target.clone(),
            "users" => self.users.clone(),
            "decision" => self.decision.clone(),
            "business_value" => self.business_value.clone(),
            "acceptable_error" => self.acceptable_error.as_ref().map(describe_gate),
            "available_at_prediction" => {
                Some(self.available_at_prediction.join(", ")).filter(|s| !s.is_empty())
            }
            "entity_column" => self.entity_column.clone(),
            "time_column" => self.time_column.clone(),
            "retraining_owner" => self.retraining_owner.clone(),
            _ => None,
        };
        text.filter(|t| !t.trim().is_empty())
    }

    /// The required fields that are still empty.
    pub fn missing(&self) -> Vec<Field> {
        REQUIRED.iter().copied().filter(|f| self.field_text(f.key).is_none()).collect()
    }

    /// Share of required fields filled in, from 0 to 1.
    pub fn completeness(&self) -> f64 {
        let filled = REQUIRED.len() - self.missing().len();
        filled as f64 / REQUIRED.len() as f64
    }
}

fn describe_gate(gate: &AcceptableError) -> String {
    let op = match gate.direction {
        Direction::AtLeast => "≥",
        Direction::AtMost => "≤",
    };
    format!("{} {op} {}", gate.metric, gate.threshold)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_problem_misses_every_required_field() {
        let p = Problem::default();
        assert_eq!(p.missing().len(), REQUIRED.len());
        assert!(p.completeness().abs() < f64::EPSILON);
    }

    #[test]
    fn blank_text_counts_as_missing() {
        let p = Problem { task: Some("   ".into()), ..Problem::default() };
        assert!(p.missing().iter().any(|f| f.key == "task"));
    }
}
