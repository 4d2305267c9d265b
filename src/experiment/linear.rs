//! Linear models fitted with linfa: logistic regression, Gaussian naive Bayes, and linear and
//! ridge regression. Only the fitted numbers are kept, in mlwb's own types, so `model.json`
//! is plain, stable JSON and predicting needs no linfa state.

use std::collections::BTreeMap;

use linfa::prelude::*;
use linfa_bayes::GaussianNb;
use linfa_linear::LinearRegression;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use super::tree::Columns;

/// Multinomial logistic regression: one weight vector and intercept per class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logistic {
    /// Intercept of each class.
    pub intercept: Vec<f64>,
    /// `coef[class][feature]`.
    pub coef: Vec<Vec<f64>>,
}

/// Gaussian naive Bayes: a prior, means and variances per class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NaiveBayes {
    /// Prior of each class.
    pub priors: Vec<f64>,
    /// `means[class][feature]`.
    pub means: Vec<Vec<f64>>,
    /// `variances[class][feature]`.
    pub variances: Vec<Vec<f64>>,
}

/// A linear function: intercept plus weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Linear {
    /// Intercept.
    pub intercept: f64,
    /// Weight of each feature.
    pub coef: Vec<f64>,
}

fn records(x: Columns, rows: &[usize]) -> Array2<f64> {
    Array2::from_shape_fn((rows.len(), x.len()), |(i, j)| x[j][rows[i]])
}

/// Fits multinomial logistic regression with L2 strength `alpha`.
pub fn fit_logistic(
    x: Columns,
    y: &[u32],
    n_classes: usize,
    rows: &[usize],
    alpha: f64,
    iterations: u64,
) -> Result<Logistic, String> {
    let targets: Array1<usize> = rows.iter().map(|&r| y[r] as usize).collect();
    let data = Dataset::new(records(x, rows), targets);
    let model = MultiLogisticRegression::default()
        .alpha(alpha)
        .max_iterations(iterations)
        .fit(&data)
        .map_err(|e| format!("logistic regression did not fit: {e}"))?;
    let (params, intercepts) = (model.params(), model.intercept());
    let mut out = Logistic {
        intercept: vec![f64::NEG_INFINITY; n_classes],
        coef: vec![vec![0.0; x.len()]; n_classes],
    };
    for (k, class) in model.classes().iter().enumerate() {
        out.intercept[*class] = intercepts[k];
        out.coef[*class] = params.column(k).to_vec();
    }
    Ok(out)
}

impl Logistic {
    /// Class probabilities of one row.
    pub fn proba(&self, x: Columns, row: usize) -> Vec<f64> {
        let scores: Vec<f64> = self
            .coef
            .iter()
            .zip(&self.intercept)
            .map(|(w, b)| b + w.iter().enumerate().map(|(j, wj)| wj * x[j][row]).sum::<f64>())
            .collect();
        softmax(&scores)
    }
}

/// Fits Gaussian naive Bayes.
pub fn fit_naive_bayes(
    x: Columns,
    y: &[u32],
    n_classes: usize,
    rows: &[usize],
) -> Result<NaiveBayes, String> {
    let targets: Array1<usize> = rows.iter().map(|&r| y[r] as usize).collect();
    let data = Dataset::new(records(x, rows), targets);
    let model: GaussianNb<f64, usize> =
        GaussianNb::params().fit(&data).map_err(|e| format!("naive Bayes did not fit: {e}"))?;
    // linfa keeps the fitted numbers private; its serde form is the documented way out.
    let value = serde_json::to_value(&model).map_err(|e| e.to_string())?;
    let info: BTreeMap<String, serde_json::Value> =
        serde_json::from_value(value["class_info"].clone()).map_err(|e| e.to_string())?;
    let mut nb = NaiveBayes {
        priors: vec![0.0; n_classes],
        means: vec![vec![0.0; x.len()]; n_classes],
        variances: vec![vec![1.0; x.len()]; n_classes],
    };
    for (label, c) in info {
        let k: usize = label.parse().map_err(|_| format!("unexpected class {label:?}"))?;
        let floats = |v: &serde_json::Value| -> Vec<f64> {
            v.get("data")
                .and_then(|d| d.as_array())
                .into_iter()
                .flatten()
                .filter_map(serde_json::Value::as_f64)
                .collect()
        };
        nb.priors[k] = c["prior"].as_f64().unwrap_or(0.0);
        nb.means[k] = floats(&c["theta"]);
        nb.variances[k] = floats(&c["sigma"]);
    }
    Ok(nb)
}

impl NaiveBayes {
    /// Class probabilities of one row.
    pub fn proba(&self, x: Columns, row: usize) -> Vec<f64> {
        let scores: Vec<f64> = (0..self.priors.len())
            .map(|k| {
                if self.priors[k] <= 0.0 {
                    return f64::NEG_INFINITY;
                }
                let ll: f64 = (0..x.len())
                    .map(|j| {
                        let var = self.variances[k].get(j).copied().unwrap_or(1.0).max(1e-12);
                        let d = x[j][row] - self.means[k].get(j).copied().unwrap_or(0.0);
                        -0.5 * (2.0 * std::f64::consts::PI * var).ln() - d * d / (2.0 * var)
                    })
                    .sum();
                self.priors[k].ln() + ll
            })
            .collect();
        softmax(&scores)
    }
}

/// Fits ordinary least squares, or ridge regression when `ridge` is set. Ridge is solved as
/// least squares on centred data with `sqrt(ridge)` rows appended, so the intercept is not
/// penalised.
pub fn fit_linear(
    x: Columns,
    v: &[f64],
    rows: &[usize],
    ridge: Option<f64>,
) -> Result<Linear, String> {
    let d = x.len();
    let n = rows.len() as f64;
    let means: Vec<f64> = (0..d).map(|j| rows.iter().map(|&r| x[j][r]).sum::<f64>() / n).collect();
    let y_mean = rows.iter().map(|&r| v[r]).sum::<f64>() / n;
    let extra = if ridge.is_some() { d } else { 0 };
    let root = ridge.unwrap_or(0.0).sqrt();
    let records = Array2::from_shape_fn((rows.len() + extra, d), |(i, j)| {
        if i < rows.len() {
            x[j][rows[i]] - means[j]
        } else if i - rows.len() == j {
            root
        } else {
            0.0
        }
    });
    let targets: Array1<f64> =
        rows.iter().map(|&r| v[r] - y_mean).chain(std::iter::repeat_n(0.0, extra)).collect();
    let model = LinearRegression::new()
        .with_intercept(false)
        .fit(&Dataset::new(records, targets))
        .map_err(|e| format!("linear regression did not fit: {e}"))?;
    let coef = model.params().to_vec();
    let intercept = y_mean - coef.iter().zip(&means).map(|(w, m)| w * m).sum::<f64>();
    Ok(Linear { intercept, coef })
}

impl Linear {
    /// The predicted value of one row.
    pub fn value(&self, x: Columns, row: usize) -> f64 {
        self.intercept + self.coef.iter().enumerate().map(|(j, w)| w * x[j][row]).sum::<f64>()
    }
}

fn softmax(scores: &[f64]) -> Vec<f64> {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exp: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
    let sum: f64 = exp.iter().sum();
    exp.iter().map(|e| e / sum).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_and_ridge_regression_recover_a_line() {
        let x = vec![(0..50).map(f64::from).collect::<Vec<_>>()];
        let v: Vec<f64> = x[0].iter().map(|a| 3.0 + 2.0 * a).collect();
        let rows: Vec<usize> = (0..50).collect();
        let ols = fit_linear(&x, &v, &rows, None).unwrap_or_else(|e| panic!("{e}"));
        assert!((ols.coef[0] - 2.0).abs() < 1e-9 && (ols.intercept - 3.0).abs() < 1e-6, "{ols:?}");
        let ridge = fit_linear(&x, &v, &rows, Some(1e4)).unwrap_or_else(|e| panic!("{e}"));
        assert!(ridge.coef[0] < 2.0 && ridge.coef[0] > 0.5, "ridge shrinks: {ridge:?}");
    }

    #[test]
    fn logistic_and_naive_bayes_separate_two_clouds() {
        let x = vec![
            (0..100)
                .map(|i| if i < 50 { f64::from(i % 7) } else { 10.0 + f64::from(i % 7) })
                .collect::<Vec<_>>(),
        ];
        let y: Vec<u32> = (0..100).map(|i| u32::from(i >= 50)).collect();
        let rows: Vec<usize> = (0..100).collect();
        let lr = fit_logistic(&x, &y, 2, &rows, 1.0, 100).unwrap_or_else(|e| panic!("{e}"));
        let nb = fit_naive_bayes(&x, &y, 2, &rows).unwrap_or_else(|e| panic!("{e}"));
        for r in [0, 10, 60, 99] {
            let want = y[r] as usize;
            assert!(lr.proba(&x, r)[want] > 0.5 && nb.proba(&x, r)[want] > 0.5, "row {r}");
        }
    }
}
