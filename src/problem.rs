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

/// What field validation can look at: the workspace's datasets and their columns.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Column names by dataset.
    pub columns: std::collections::BTreeMap<String, Vec<String>>,
}

/// Metrics that fit each task type.
pub fn metrics_for(task: TaskType) -> &'static [&'static str] {
    match task {
        TaskType::BinaryClassification | TaskType::MulticlassClassification => &[
            "accuracy",
            "balanced_accuracy",
            "f1",
            "f1_macro",
            "precision",
            "recall",
            "roc_auc",
            "pr_auc",
            "log_loss",
        ],
        TaskType::Regression => &["mae", "rmse", "r2", "mape"],
    }
}

/// Fields that hold prose and are edited over several lines.
pub const PROSE: [&str; 4] = ["task", "users", "decision", "business_value"];

/// The text a field is edited as.
pub fn edit_text(p: &Problem, key: &str) -> String {
    match key {
        "task_type" => p
            .task_type
            .map(|t| match t {
                TaskType::BinaryClassification => "binary_classification",
                TaskType::MulticlassClassification => "multiclass_classification",
                TaskType::Regression => "regression",
            })
            .unwrap_or_default()
            .to_owned(),
        "acceptable_error" => p.acceptable_error.as_ref().map_or(String::new(), |g| {
            let op = if g.direction == Direction::AtLeast { ">=" } else { "<=" };
            format!("{} {op} {}", g.metric, g.threshold)
        }),
        "available_at_prediction" => p.available_at_prediction.join(", "),
        "costs" => p.costs.as_ref().map_or(String::new(), |c| {
            let show = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
            format!("fp {}, fn {}", show(c.false_positive), show(c.false_negative))
        }),
        other => p.field_text(other).unwrap_or_default(),
    }
}

fn columns_of<'a>(p: &Problem, known: &'a Known) -> Result<&'a Vec<String>, String> {
    let dataset = p.dataset.as_deref().ok_or("set the dataset first")?;
    known.columns.get(dataset).ok_or_else(|| format!("dataset {dataset:?} is not in data/"))
}

fn need_column(p: &Problem, known: &Known, name: &str) -> Result<(), String> {
    let cols = columns_of(p, known)?;
    if cols.iter().any(|c| c == name) {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a column of {}; columns: {}",
            p.dataset.as_deref().unwrap_or("?"),
            cols.join(", ")
        ))
    }
}

/// Parses `text` into field `key` of `p`, checking it against the workspace. Blank text clears
/// the field.
pub fn set_field(p: &mut Problem, key: &str, text: &str, known: &Known) -> Result<(), String> {
    let t = text.trim();
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    match key {
        "task" => p.task = opt(t),
        "users" => p.users = opt(t),
        "decision" => p.decision = opt(t),
        "business_value" => p.business_value = opt(t),
        "retraining_owner" => p.retraining_owner = opt(t),
        "task_type" => {
            p.task_type = match t {
                "" => None,
                "binary" | "binary_classification" => Some(TaskType::BinaryClassification),
                "multiclass" | "multiclass_classification" => {
                    Some(TaskType::MulticlassClassification)
                }
                "regression" => Some(TaskType::Regression),
                other => {
                    return Err(format!(
                        "{other:?} is not binary_classification, multiclass_classification or regression"
                    ));
                }
            }
        }
        "dataset" => {
            if !t.is_empty() && !known.columns.contains_key(t) {
                let names: Vec<&str> = known.columns.keys().map(String::as_str).collect();
                return Err(format!("no dataset {t:?}; datasets: {}", names.join(", ")));
            }
            p.dataset = opt(t);
        }
        "target" | "entity_column" | "time_column" => {
            if !t.is_empty() {
                need_column(p, known, t)?;
            }
            let slot = match key {
                "target" => &mut p.target,
                "entity_column" => &mut p.entity_column,
                _ => &mut p.time_column,
            };
            *slot = opt(t);
        }
        "available_at_prediction" => {
            let list: Vec<String> =
                t.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
            for c in &list {
                need_column(p, known, c)?;
            }
            p.available_at_prediction = list;
        }
        "acceptable_error" => {
            p.acceptable_error = if t.is_empty() { None } else { Some(parse_gate(p, t)?) }
        }
        "costs" => p.costs = if t.is_empty() { None } else { Some(parse_costs(t)?) },
        other => return Err(format!("{other:?} is not a problem field")),
    }
    Ok(())
}

/// `metric >= threshold` or `metric <= threshold`.
fn parse_gate(p: &Problem, t: &str) -> Result<AcceptableError, String> {
    let (metric, direction, value) = if let Some((m, v)) = t.split_once(">=") {
        (m, Direction::AtLeast, v)
    } else if let Some((m, v)) = t.split_once("<=") {
        (m, Direction::AtMost, v)
    } else {
        return Err(
            "write it as `metric >= threshold` or `metric <= threshold`, e.g. `f1 >= 0.6`".into()
        );
    };
    let metric = metric.trim().to_owned();
    let threshold: f64 =
        value.trim().parse().map_err(|_| format!("{:?} is not a number", value.trim()))?;
    if let Some(task) = p.task_type {
        let fits = metrics_for(task);
        if !fits.contains(&metric.as_str()) {
            return Err(format!(
                "{metric:?} does not fit {}; use one of {}",
                task.label(),
                fits.join(", ")
            ));
        }
    }
    let bounded = !matches!(metric.as_str(), "mae" | "rmse" | "log_loss" | "mape");
    if bounded && !(0.0..=1.0).contains(&threshold) && metric != "r2" {
        return Err(format!("{metric} lies between 0 and 1; {threshold} cannot be reached"));
    }
    if !threshold.is_finite() || (!bounded && threshold < 0.0) {
        return Err(format!("{threshold} is not a possible value of {metric}"));
    }
    Ok(AcceptableError { metric, direction, threshold, extra: toml::Table::new() })
}

/// `fp 5, fn 60`.
fn parse_costs(t: &str) -> Result<Costs, String> {
    let mut c = Costs::default();
    for part in t.split(',') {
        let mut words = part.split_whitespace();
        let (Some(which), Some(v)) = (words.next(), words.next()) else {
            return Err(
                "write it as `fp 5, fn 60` (cost of a false positive, of a false negative)".into(),
            );
        };
        let v: f64 = v.parse().map_err(|_| format!("{v:?} is not a number"))?;
        match which {
            "fp" => c.false_positive = Some(v),
            "fn" => c.false_negative = Some(v),
            other => return Err(format!("{other:?}: use fp or fn")),
        }
    }
    Ok(c)
}

#[cfg(test)]
mod field_tests {
    use super::*;

    fn known() -> Known {
        Known {
            columns: [("churn".to_owned(), vec!["churned".to_owned(), "tenure".to_owned()])].into(),
        }
    }

    #[test]
    fn fields_are_checked_against_the_workspace() {
        let k = known();
        let mut p = Problem::default();
        assert!(set_field(&mut p, "target", "churned", &k).is_err(), "no dataset yet");
        set_field(&mut p, "dataset", "churn", &k).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            set_field(&mut p, "target", "nope", &k)
                .unwrap_err_or_default()
                .contains("not a column")
        );
        set_field(&mut p, "target", "churned", &k).unwrap_or_else(|e| panic!("{e}"));
        set_field(&mut p, "task_type", "binary", &k).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            set_field(&mut p, "acceptable_error", "mae <= 3", &k)
                .unwrap_err_or_default()
                .contains("does not fit")
        );
        assert!(
            set_field(&mut p, "acceptable_error", "f1 >= 1.5", &k)
                .unwrap_err_or_default()
                .contains("between 0 and 1")
        );
        set_field(&mut p, "acceptable_error", "f1 >= 0.6", &k).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(edit_text(&p, "acceptable_error"), "f1 >= 0.6");
        set_field(&mut p, "costs", "fp 5, fn 60", &k).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.costs.as_ref().and_then(|c| c.false_negative), Some(60.0));
    }

    trait ErrText {
        fn unwrap_err_or_default(self) -> String;
    }

    impl ErrText for Result<(), String> {
        fn unwrap_err_or_default(self) -> String {
            self.err().unwrap_or_default()
        }
    }
}
