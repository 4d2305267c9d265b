//! Preprocessing fitted on the training rows only: imputation, one-hot encoding with an
//! unknown bucket, and standardization. The fitted state is saved with the model, so that
//! predicting later applies exactly what training learned.

use serde::{Deserialize, Serialize};

use crate::data::table::{Column, Table, Values};
use crate::experiment::metrics::median;

/// How many distinct training values of a text column get their own one-hot column.
pub const MAX_LEVELS: usize = 100;

/// The preprocessing options of a spec (`[preprocessing]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// `median`, `mean` or `zero` for numbers; text gets its own missing bucket.
    pub impute: String,
    /// One-hot encode text columns (with an unknown bucket).
    pub one_hot: bool,
    /// Scale numbers to mean 0 and standard deviation 1.
    pub standardize: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { impute: "median".into(), one_hot: true, standardize: false }
    }
}

/// What was learned for one input column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// A number (or time): fill, then scale.
    Numeric {
        /// The column.
        column: String,
        /// Value used for missing cells.
        fill: f64,
        /// Subtracted before scaling.
        center: f64,
        /// Divided by after centering.
        scale: f64,
    },
    /// Text: one output per known level, then one for unknown and missing values.
    OneHot {
        /// The column.
        column: String,
        /// Levels seen in training, each with its own output.
        levels: Vec<String>,
    },
}

/// Fitted preprocessing: turns rows of a table into the model's numeric features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preprocessor {
    /// One step per input column, in feature order.
    pub steps: Vec<Step>,
    /// Always `train`: the rows the steps were fitted on.
    pub fitted_on: String,
}

/// A spec error that names the field.
pub type FieldError = String;

impl Preprocessor {
    /// Learns the steps from the training rows of `features`.
    pub fn fit(
        table: &Table,
        features: &[String],
        train: &[usize],
        opts: &Options,
    ) -> Result<Self, FieldError> {
        let mut steps = Vec::new();
        for name in features {
            let column = table
                .column(name)
                .ok_or_else(|| format!("features: column {name:?} is not in the data"))?;
            steps.push(fit_column(column, train, opts)?);
        }
        Ok(Self { steps, fitted_on: "train".into() })
    }

    /// Names of the numeric outputs, in order.
    pub fn output_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        for step in &self.steps {
            match step {
                Step::Numeric { column, .. } => out.push(column.clone()),
                Step::OneHot { column, levels } => {
                    out.extend(levels.iter().map(|l| format!("{column}={l}")));
                    out.push(format!("{column}=(other)"));
                }
            }
        }
        out
    }

    /// The input column each output comes from, in output order.
    pub fn output_sources(&self) -> Vec<String> {
        let mut out = Vec::new();
        for step in &self.steps {
            match step {
                Step::Numeric { column, .. } => out.push(column.clone()),
                Step::OneHot { column, levels } => {
                    out.extend(std::iter::repeat_n(column.clone(), levels.len() + 1))
                }
            }
        }
        out
    }

    /// Applies the steps to every row of `table`: `x[output][row]`.
    pub fn transform(&self, table: &Table) -> Result<Vec<Vec<f64>>, String> {
        let mut out = Vec::new();
        for step in &self.steps {
            match step {
                Step::Numeric { column, fill, center, scale } => {
                    let c = need(table, column)?;
                    out.push(
                        (0..c.len())
                            .map(|i| (numeric_value(c, i).unwrap_or(*fill) - center) / scale)
                            .collect(),
                    );
                }
                Step::OneHot { column, levels } => {
                    let c = need(table, column)?;
                    let texts: Vec<Option<String>> = (0..c.len()).map(|i| c.text(i)).collect();
                    for level in levels {
                        out.push(
                            texts
                                .iter()
                                .map(|t| f64::from(u8::from(t.as_deref() == Some(level))))
                                .collect(),
                        );
                    }
                    out.push(
                        texts
                            .iter()
                            .map(|t| {
                                f64::from(u8::from(t.as_ref().is_none_or(|t| !levels.contains(t))))
                            })
                            .collect(),
                    );
                }
            }
        }
        Ok(out)
    }
}

fn need<'a>(table: &'a Table, name: &str) -> Result<&'a Column, String> {
    table
        .column(name)
        .ok_or_else(|| format!("column {name:?} is missing from the data to predict on"))
}

fn numeric_value(c: &Column, i: usize) -> Option<f64> {
    match &c.values {
        Values::Categorical { .. } => None,
        _ => c.as_f64(i),
    }
}

fn fit_column(column: &Column, train: &[usize], opts: &Options) -> Result<Step, FieldError> {
    if column.is_categorical() {
        if !opts.one_hot {
            return Err(format!(
                "features: {:?} is text and preprocessing.one_hot is off; turn one_hot on or exclude the column",
                column.name
            ));
        }
        let mut counts: std::collections::BTreeMap<String, usize> =
            std::collections::BTreeMap::new();
        train
            .iter()
            .filter_map(|&i| column.text(i))
            .for_each(|t| *counts.entry(t).or_default() += 1);
        let mut by_freq: Vec<(String, usize)> = counts.into_iter().collect();
        by_freq.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let levels = by_freq.into_iter().take(MAX_LEVELS).map(|(l, _)| l).collect();
        return Ok(Step::OneHot { column: column.name.clone(), levels });
    }
    let values: Vec<f64> = train.iter().filter_map(|&i| column.as_f64(i)).collect();
    let fill = match opts.impute.as_str() {
        _ if values.is_empty() => 0.0,
        "median" => median(&values),
        "mean" => values.iter().sum::<f64>() / values.len() as f64,
        "zero" => 0.0,
        other => {
            return Err(format!("preprocessing.impute {other:?} is not one of median, mean, zero"));
        }
    };
    let (center, scale) = if opts.standardize && values.len() > 1 {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let var =
            values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (values.len() - 1) as f64;
        (mean, if var > 0.0 { var.sqrt() } else { 1.0 })
    } else {
        (0.0, 1.0)
    };
    Ok(Step::Numeric { column: column.name.clone(), fill, center, scale })
}
