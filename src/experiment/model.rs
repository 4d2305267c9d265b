//! The models a spec can name, their parameters, fitting and prediction.

use serde::{Deserialize, Serialize};

use super::tree::{Columns, Target, Tree, TreeParams};
use crate::data::sample::Rng;

/// Model kinds a spec may name.
pub const KINDS: [&str; 8] = [
    "majority_class",
    "mean",
    "decision_tree",
    "random_forest",
    "logistic_regression",
    "gaussian_nb",
    "linear_regression",
    "ridge",
];

/// The error of a fit stopped on request.
pub const CANCELLED: &str = "cancelled by the user";

/// A fitted model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Model {
    /// Always the training class shares.
    MajorityClass {
        /// Share of each class in training.
        shares: Vec<f64>,
    },
    /// Always the training mean.
    Mean {
        /// The mean.
        value: f64,
    },
    /// One tree.
    DecisionTree {
        /// The tree.
        tree: Tree,
    },
    /// Trees on bootstrap samples, averaged.
    RandomForest {
        /// The trees.
        trees: Vec<Tree>,
    },
    /// Multinomial logistic regression (fitted with linfa).
    LogisticRegression {
        /// The fitted weights.
        fit: super::linear::Logistic,
    },
    /// Gaussian naive Bayes (fitted with linfa).
    GaussianNb {
        /// The fitted class statistics.
        fit: super::linear::NaiveBayes,
    },
    /// Linear or ridge regression (fitted with linfa).
    Linear {
        /// The fitted weights.
        fit: super::linear::Linear,
    },
}

/// What to fit, with validated parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// See [`Model::MajorityClass`] / [`Model::Mean`]: the baseline of either task.
    Baseline,
    /// A single tree.
    Tree(TreeParams),
    /// A forest.
    Forest {
        /// Number of trees.
        trees: usize,
        /// Parameters of each tree.
        params: TreeParams,
    },
    /// Logistic regression with L2 strength `alpha`.
    Logistic {
        /// L2 penalty.
        alpha: f64,
        /// Optimizer iterations.
        iterations: u64,
    },
    /// Gaussian naive Bayes.
    NaiveBayes,
    /// Least squares; ridge when `ridge` is set.
    Linear {
        /// The ridge penalty.
        ridge: Option<f64>,
    },
}

impl Plan {
    /// `Some(true)` for models that only classify, `Some(false)` for models that only
    /// regress, `None` for either.
    pub fn classifies(&self) -> Option<bool> {
        match self {
            Plan::Logistic { .. } | Plan::NaiveBayes => Some(true),
            Plan::Linear { .. } => Some(false),
            _ => None,
        }
    }
}

fn float_param(params: &toml::Table, key: &str, kind: &str, default: f64) -> Result<f64, String> {
    match params.get(key) {
        None => Ok(default),
        Some(toml::Value::Float(v)) if *v >= 0.0 && v.is_finite() => Ok(*v),
        Some(toml::Value::Integer(v)) if *v >= 0 => Ok(*v as f64),
        Some(other) => {
            Err(format!("model.params.{key} of {kind} must be a number ≥ 0, not {other}"))
        }
    }
}

fn int_param(
    params: &toml::Table,
    key: &str,
    kind: &str,
    min: i64,
    max: i64,
) -> Result<Option<usize>, String> {
    match params.get(key) {
        None => Ok(None),
        Some(toml::Value::Integer(v)) if (min..=max).contains(v) => Ok(Some(*v as usize)),
        Some(other) => Err(format!(
            "model.params.{key} of {kind} must be a whole number from {min} to {max}, not {other}"
        )),
    }
}

/// Checks `kind` and `params` and turns them into a plan; errors name the field.
pub fn plan(
    kind: &str,
    params: &toml::Table,
    seed: u64,
    n_features: usize,
) -> Result<Plan, String> {
    let known: &[&str] = match kind {
        "majority_class" | "mean" => &[],
        "decision_tree" => &["max_depth", "min_samples_leaf"],
        "random_forest" => &["n_trees", "max_depth", "min_samples_leaf", "max_features"],
        "logistic_regression" => &["alpha", "max_iterations"],
        "gaussian_nb" | "linear_regression" => &[],
        "ridge" => &["alpha"],
        "" => return Err(format!("model.kind is missing; use one of {}", KINDS.join(", "))),
        k => return Err(format!("model.kind {k:?} is not one of {}", KINDS.join(", "))),
    };
    if let Some(unknown) = params.keys().find(|k| !known.contains(&k.as_str())) {
        let list = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
        return Err(format!(
            "model.params.{unknown} is not a parameter of {kind} (it takes: {list})"
        ));
    }
    let tree = TreeParams {
        max_depth: int_param(params, "max_depth", kind, 1, 1000)?,
        min_samples_leaf: int_param(params, "min_samples_leaf", kind, 1, 1_000_000)?.unwrap_or(1),
        seed,
        ..TreeParams::default()
    };
    Ok(match kind {
        "decision_tree" => Plan::Tree(tree),
        "random_forest" => {
            let default_features = ((n_features as f64).sqrt().ceil() as usize).max(1);
            let max_features =
                int_param(params, "max_features", kind, 1, 100_000)?.unwrap_or(default_features);
            let trees = int_param(params, "n_trees", kind, 1, 2000)?.unwrap_or(100);
            Plan::Forest { trees, params: TreeParams { max_features: Some(max_features), ..tree } }
        }
        "logistic_regression" => Plan::Logistic {
            alpha: float_param(params, "alpha", kind, 1.0)?,
            iterations: int_param(params, "max_iterations", kind, 1, 100_000)?.unwrap_or(200)
                as u64,
        },
        "gaussian_nb" => Plan::NaiveBayes,
        "linear_regression" => Plan::Linear { ridge: None },
        "ridge" => Plan::Linear { ridge: Some(float_param(params, "alpha", kind, 1.0)?) },
        _ => Plan::Baseline,
    })
}

impl Model {
    /// Fits the plan on the `train` rows of `x`. Trees and forests stop at the next node once
    /// `cancel` is set. The linfa models (logistic regression, naive Bayes, linear and ridge)
    /// are one library call each and cannot be interrupted: a cancel takes effect when that
    /// call returns, before anything is measured or saved.
    pub fn fit(
        plan: &Plan,
        x: Columns,
        target: Target,
        train: &[usize],
        progress: &dyn Fn(f64),
        cancel: &std::sync::atomic::AtomicBool,
    ) -> Result<Model, String> {
        use super::linear;
        let wrong =
            |what: &str| Err(format!("this model {what}; the spec's target does not fit it"));
        Ok(match plan {
            Plan::Logistic { alpha, iterations } => match target {
                Target::Classes { y, n_classes } => Model::LogisticRegression {
                    fit: linear::fit_logistic(x, y, n_classes, train, *alpha, *iterations)?,
                },
                Target::Values(_) => return wrong("classifies"),
            },
            Plan::NaiveBayes => match target {
                Target::Classes { y, n_classes } => {
                    Model::GaussianNb { fit: linear::fit_naive_bayes(x, y, n_classes, train)? }
                }
                Target::Values(_) => return wrong("classifies"),
            },
            Plan::Linear { ridge } => match target {
                Target::Values(v) => {
                    Model::Linear { fit: linear::fit_linear(x, v, train, *ridge)? }
                }
                Target::Classes { .. } => return wrong("predicts numbers"),
            },
            Plan::Baseline => match target {
                Target::Classes { y, n_classes } => {
                    let mut shares = vec![0.0; n_classes];
                    train.iter().for_each(|&r| shares[y[r] as usize] += 1.0);
                    let n = train.len().max(1) as f64;
                    Model::MajorityClass { shares: shares.iter().map(|c| c / n).collect() }
                }
                Target::Values(v) => {
                    let value =
                        train.iter().map(|&r| v[r]).sum::<f64>() / train.len().max(1) as f64;
                    Model::Mean { value }
                }
            },
            Plan::Tree(params) => Model::DecisionTree {
                tree: Tree::fit_cancellable(x, target, train, params, progress, cancel)
                    .ok_or_else(|| CANCELLED.to_owned())?,
            },
            Plan::Forest { trees, params } => {
                let mut rng = Rng::new(params.seed);
                let mut out = Vec::with_capacity(*trees);
                for t in 0..*trees {
                    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                        return Err(CANCELLED.into());
                    }
                    let bootstrap: Vec<usize> =
                        (0..train.len()).map(|_| train[rng.below(train.len())]).collect();
                    let p = TreeParams { seed: rng.next_u64(), ..*params };
                    let within = |f: f64| progress((t as f64 + f) / *trees as f64);
                    out.push(
                        Tree::fit_cancellable(x, target, &bootstrap, &p, &within, cancel)
                            .ok_or_else(|| CANCELLED.to_owned())?,
                    );
                }
                Model::RandomForest { trees: out }
            }
        })
    }

    /// Class probabilities of one row (classification).
    pub fn predict_proba(&self, x: Columns, row: usize) -> Vec<f64> {
        match self {
            Model::MajorityClass { shares } => shares.clone(),
            Model::DecisionTree { tree } => tree.predict_row(x, row).to_vec(),
            Model::RandomForest { trees } => average(trees.iter().map(|t| t.predict_row(x, row))),
            Model::Mean { value } => vec![*value],
            Model::LogisticRegression { fit } => fit.proba(x, row),
            Model::GaussianNb { fit } => fit.proba(x, row),
            Model::Linear { fit } => vec![fit.value(x, row)],
        }
    }

    /// Predicted value of one row (regression).
    pub fn predict_value(&self, x: Columns, row: usize) -> f64 {
        match self {
            Model::Mean { value } => *value,
            Model::DecisionTree { tree } => tree.predict_value(x, row),
            Model::RandomForest { trees } => {
                trees.iter().map(|t| t.predict_value(x, row)).sum::<f64>()
                    / trees.len().max(1) as f64
            }
            Model::MajorityClass { shares } => shares.first().copied().unwrap_or(0.0),
            Model::Linear { fit } => fit.value(x, row),
            Model::LogisticRegression { .. } | Model::GaussianNb { .. } => 0.0,
        }
    }

    /// Normalized importance of each feature, where the model has it.
    pub fn importances(&self) -> Option<Vec<f64>> {
        match self {
            Model::DecisionTree { tree } => Some(tree.importances.clone()),
            Model::RandomForest { trees } => {
                let first = trees.first()?;
                let sum = average(trees.iter().map(|t| t.importances.as_slice()));
                Some(if sum.len() == first.importances.len() { sum } else { Vec::new() })
            }
            _ => None,
        }
    }
}

fn average<'a>(rows: impl Iterator<Item = &'a [f64]>) -> Vec<f64> {
    let mut total: Vec<f64> = Vec::new();
    let mut n = 0.0f64;
    for r in rows {
        if total.is_empty() {
            total = vec![0.0; r.len()];
        }
        total.iter_mut().zip(r).for_each(|(t, v)| *t += v);
        n += 1.0;
    }
    total.iter_mut().for_each(|t| *t /= n.max(1.0));
    total
}
