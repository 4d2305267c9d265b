//! The predictive power score: how well one column alone predicts another, from 0 to 1.
//!
//! Follows the definition in the checks reference (and ppscore): drop rows with a missing
//! value, sample at most 5,000 rows with a fixed seed, fit an unlimited-depth decision tree
//! with 4-fold cross-validation, and compare with a naive baseline. Text features are one-hot
//! encoded; to keep the tree small, only the [`MAX_ONE_HOT`] most frequent values get their
//! own column and the rest share one.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::data::sample::{self, Rng};
use crate::data::table::{Column, MISSING_CODE, Values};
use crate::experiment::metrics::{mae, median, weighted_f1};
use crate::experiment::tree::{Target, Tree, TreeParams};

/// Rows sampled for one score.
pub const SAMPLE: usize = 5_000;
/// Cross-validation folds.
pub const FOLDS: usize = 4;
/// Text values one-hot encoded individually.
pub const MAX_ONE_HOT: usize = 50;
/// Seed used unless a caller chooses another.
pub const SEED: u64 = 0x5EED;

/// How a score came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Case {
    /// The feature is the target.
    PredictItself,
    /// No rows with both values.
    Empty,
    /// The target has one value.
    TargetIsConstant,
    /// A text target with a different value on every row.
    TargetIsId,
    /// A text feature with a different value on every row.
    FeatureIsId,
    /// Too few rows for cross-validation.
    TooFewRows,
    /// Scored as classification (weighted F1).
    Classification,
    /// Scored as regression (mean absolute error).
    Regression,
}

/// One score with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pps {
    /// The feature.
    pub x: String,
    /// The target.
    pub y: String,
    /// The score.
    pub pps: f64,
    /// How it was scored.
    pub case: Case,
    /// Cross-validated model score (F1 or MAE).
    pub model_score: f64,
    /// Baseline score (F1 or MAE).
    pub baseline_score: f64,
    /// Rows used.
    pub rows: usize,
}

/// True when the target should be scored as classification: text, or a number with at most
/// five distinct values.
pub fn is_classification_target(y: &Column) -> bool {
    match &y.values {
        Values::Categorical { .. } => true,
        Values::Numeric(_) => y.distinct() <= 5,
        Values::Time(_) => false,
    }
}

/// pps(x → y) with the default seed.
pub fn score(x: &Column, y: &Column) -> Pps {
    score_seeded(x, y, SEED)
}

/// pps(x → y) with a chosen seed.
pub fn score_seeded(x: &Column, y: &Column, seed: u64) -> Pps {
    let result = |pps: f64, case: Case, model: f64, base: f64, rows: usize| Pps {
        x: x.name.clone(),
        y: y.name.clone(),
        pps,
        case,
        model_score: model,
        baseline_score: base,
        rows,
    };
    if x.values == y.values {
        return result(1.0, Case::PredictItself, 0.0, 0.0, x.len());
    }
    let mut rows: Vec<usize> = (0..x.len()).filter(|&i| !x.is_null(i) && !y.is_null(i)).collect();
    if rows.is_empty() {
        return result(0.0, Case::Empty, 0.0, 0.0, 0);
    }
    sample::shuffle(&mut rows, &mut Rng::new(seed));
    rows.truncate(SAMPLE);
    let xs = x.take(&rows);
    let ys = y.take(&rows);
    let n = rows.len();
    let y_distinct = ys.distinct();
    if y_distinct <= 1 {
        return result(0.0, Case::TargetIsConstant, 0.0, 0.0, n);
    }
    if ys.is_categorical() && y_distinct == n {
        return result(0.0, Case::TargetIsId, 0.0, 0.0, n);
    }
    if xs.is_categorical() && xs.distinct() == n {
        return result(0.0, Case::FeatureIsId, 0.0, 0.0, n);
    }
    if n < FOLDS * 2 {
        return result(0.0, Case::TooFewRows, 0.0, 0.0, n);
    }
    let features = encode_feature(&xs);
    if is_classification_target(y) {
        let (model, base) = classify(&features, &ys, seed);
        let pps = if base >= 1.0 { 0.0 } else { ((model - base) / (1.0 - base)).max(0.0) };
        result(pps, Case::Classification, model, base, n)
    } else {
        let (model, base) = regress(&features, &ys);
        let pps = if base <= 0.0 { 0.0 } else { (1.0 - model / base).max(0.0) };
        result(pps, Case::Regression, model, base, n)
    }
}

/// The feature as tree input: one column for numbers and times, one-hot for text.
fn encode_feature(x: &Column) -> Vec<Vec<f64>> {
    match &x.values {
        Values::Categorical { codes, .. } => {
            let mut freq: HashMap<u32, usize> = HashMap::new();
            codes
                .iter()
                .filter(|c| **c != MISSING_CODE)
                .for_each(|c| *freq.entry(*c).or_default() += 1);
            let mut by_freq: Vec<(u32, usize)> = freq.into_iter().collect();
            by_freq.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let kept: Vec<u32> = by_freq.iter().take(MAX_ONE_HOT).map(|(c, _)| *c).collect();
            let mut out: Vec<Vec<f64>> = kept
                .iter()
                .map(|k| codes.iter().map(|c| f64::from(u8::from(*c == *k))).collect())
                .collect();
            if by_freq.len() > MAX_ONE_HOT {
                out.push(
                    codes
                        .iter()
                        .map(|c| f64::from(u8::from(*c != MISSING_CODE && !kept.contains(c))))
                        .collect(),
                );
            }
            out
        }
        _ => vec![(0..x.len()).map(|i| x.as_f64(i).unwrap_or(0.0)).collect()],
    }
}

/// Dense class indices 0..k for a column's values.
fn class_indices(y: &Column) -> (Vec<u32>, usize) {
    let mut index: HashMap<u64, u32> = HashMap::new();
    let mut keys: Vec<u64> = (0..y.len()).filter_map(|i| y.key(i)).collect();
    keys.sort_unstable();
    keys.dedup();
    for (i, k) in keys.iter().enumerate() {
        index.insert(*k, i as u32);
    }
    let classes =
        (0..y.len()).map(|i| y.key(i).and_then(|k| index.get(&k).copied()).unwrap_or(0)).collect();
    (classes, keys.len())
}

/// Stratified folds: each class's rows, in their (already shuffled) order, dealt to the
/// folds in turn.
fn stratified_folds(classes: &[u32], n_classes: usize) -> Vec<usize> {
    let mut fold_of = vec![0; classes.len()];
    let mut next = vec![0usize; n_classes];
    let mut offset = 0;
    for (c, start) in next.iter_mut().enumerate() {
        *start = offset;
        offset += classes.iter().filter(|&&k| k as usize == c).count();
    }
    let mut seen = vec![0usize; n_classes];
    for (i, &c) in classes.iter().enumerate() {
        fold_of[i] = (next[c as usize] + seen[c as usize]) % FOLDS;
        seen[c as usize] += 1;
    }
    fold_of
}

fn plain_folds(n: usize) -> Vec<usize> {
    (0..n).map(|i| i * FOLDS / n).collect()
}

fn split_fold(fold_of: &[usize], fold: usize) -> (Vec<usize>, Vec<usize>) {
    (0..fold_of.len()).partition(|&i| fold_of[i] != fold)
}

fn classify(x: &[Vec<f64>], y: &Column, seed: u64) -> (f64, f64) {
    let (classes, k) = class_indices(y);
    let folds = stratified_folds(&classes, k);
    let mut scores = Vec::new();
    for fold in 0..FOLDS {
        let (train, test) = split_fold(&folds, fold);
        if train.is_empty() || test.is_empty() {
            continue;
        }
        let tree = Tree::fit(
            x,
            Target::Classes { y: &classes, n_classes: k },
            &train,
            &TreeParams::default(),
        );
        let truth: Vec<u32> = test.iter().map(|&i| classes[i]).collect();
        let predicted: Vec<u32> = test.iter().map(|&i| tree.predict_class(x, i)).collect();
        scores.push(weighted_f1(&truth, &predicted));
    }
    let model = scores.iter().sum::<f64>() / scores.len().max(1) as f64;
    let majority = most_common(&classes, k);
    let constant = vec![majority; classes.len()];
    let mut shuffled = classes.clone();
    sample::shuffle(&mut shuffled, &mut Rng::new(seed ^ 0xBA5E));
    let base = weighted_f1(&classes, &constant).max(weighted_f1(&classes, &shuffled));
    (model, base)
}

fn most_common(classes: &[u32], k: usize) -> u32 {
    let mut counts = vec![0usize; k];
    classes.iter().for_each(|&c| counts[c as usize] += 1);
    let mut best = 0;
    for (c, n) in counts.iter().enumerate() {
        if *n > counts[best] {
            best = c;
        }
    }
    best as u32
}

fn regress(x: &[Vec<f64>], y: &Column) -> (f64, f64) {
    let values: Vec<f64> = (0..y.len()).map(|i| y.as_f64(i).unwrap_or(0.0)).collect();
    let folds = plain_folds(values.len());
    let mut scores = Vec::new();
    for fold in 0..FOLDS {
        let (train, test) = split_fold(&folds, fold);
        let tree = Tree::fit(x, Target::Values(&values), &train, &TreeParams::default());
        let truth: Vec<f64> = test.iter().map(|&i| values[i]).collect();
        let predicted: Vec<f64> = test.iter().map(|&i| tree.predict_value(x, i)).collect();
        scores.push(mae(&truth, &predicted));
    }
    let model = scores.iter().sum::<f64>() / scores.len().max(1) as f64;
    let m = median(&values);
    let base = mae(&values, &vec![m; values.len()]);
    (model, base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(name: &str, v: Vec<f64>) -> Column {
        Column { name: name.into(), values: Values::Numeric(v) }
    }

    fn labels(name: &str, v: &[&str]) -> Column {
        let levels: Vec<String> = vec!["no".into(), "yes".into()];
        let codes = v.iter().map(|s| u32::from(*s == "yes")).collect();
        Column { name: name.into(), values: Values::Categorical { codes, levels } }
    }

    #[test]
    fn a_perfect_predictor_scores_one_and_noise_scores_near_zero() {
        let n = 400;
        let x: Vec<f64> = (0..n).map(f64::from).collect();
        let y: Vec<&str> = (0..n).map(|i| if i < 200 { "no" } else { "yes" }).collect();
        let s = score(&numeric("x", x), &labels("y", &y));
        assert_eq!(s.case, Case::Classification);
        assert!(s.pps > 0.95, "{s:?}");
        let mut rng = Rng::new(3);
        let noise: Vec<f64> = (0..n).map(|_| rng.below(1000) as f64).collect();
        let s = score(&numeric("noise", noise), &labels("y", &y));
        assert!(s.pps < 0.1, "{s:?}");
    }

    #[test]
    fn regression_on_a_function_of_x_scores_high() {
        let x: Vec<f64> = (0..300).map(|i| f64::from(i % 30)).collect();
        let y: Vec<f64> = x.iter().map(|v| v * v).collect();
        let s = score(&numeric("x", x), &numeric("y", y));
        assert_eq!(s.case, Case::Regression);
        assert!(s.pps > 0.95, "{s:?}");
    }

    #[test]
    fn scores_repeat_exactly() {
        let x: Vec<f64> = (0..500).map(|i| f64::from((i * 7919) % 113)).collect();
        let y: Vec<&str> =
            (0..500).map(|i| if (i * 7919) % 113 > 60 { "yes" } else { "no" }).collect();
        let a = score(&numeric("x", x.clone()), &labels("y", &y));
        let b = score(&numeric("x", x), &labels("y", &y));
        assert_eq!(a, b);
    }
}
