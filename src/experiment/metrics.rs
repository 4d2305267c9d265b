//! Model quality metrics.

/// F1 per class weighted by each class's support in `truth` (labels are class indices).
pub fn weighted_f1(truth: &[u32], predicted: &[u32]) -> f64 {
    let k = truth.iter().chain(predicted).copied().max().map_or(0, |m| m as usize + 1);
    let mut tp = vec![0.0; k];
    let mut fp = vec![0.0; k];
    let mut fn_ = vec![0.0; k];
    for (&t, &p) in truth.iter().zip(predicted) {
        if t == p {
            tp[t as usize] += 1.0;
        } else {
            fp[p as usize] += 1.0;
            fn_[t as usize] += 1.0;
        }
    }
    let n = truth.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    (0..k)
        .map(|c| {
            let support = tp[c] + fn_[c];
            let denom = 2.0 * tp[c] + fp[c] + fn_[c];
            let f1 = if denom > 0.0 { 2.0 * tp[c] / denom } else { 0.0 };
            support * f1
        })
        .sum::<f64>()
        / n
}

/// Mean absolute error.
pub fn mae(truth: &[f64], predicted: &[f64]) -> f64 {
    if truth.is_empty() {
        return 0.0;
    }
    truth.iter().zip(predicted).map(|(t, p)| (t - p).abs()).sum::<f64>() / truth.len() as f64
}

/// The median (average of the two middle values for an even count).
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 0 { (v[mid - 1] + v[mid]) / 2.0 } else { v[mid] }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_f1_matches_a_hand_computed_case() {
        // Class 0: tp 2, fp 1, fn 1 → F1 2/3, support 3. Class 1: tp 1, fp 1, fn 1 → 1/2, support 2.
        let truth = [0, 0, 0, 1, 1];
        let pred = [0, 0, 1, 1, 0];
        let expected = (3.0 * (2.0 / 3.0) + 2.0 * 0.5) / 5.0;
        assert!((weighted_f1(&truth, &pred) - expected).abs() < 1e-12);
    }

    #[test]
    fn roc_curve_runs_corner_to_corner_and_its_area_is_the_auc() {
        let positive = [true, false, true, true, false, false, true, false];
        let scores = [0.9, 0.8, 0.8, 0.6, 0.5, 0.3, 0.2, 0.1];
        let curve = roc_curve(&positive, &scores, 100);
        assert_eq!(curve.first(), Some(&(0.0, 0.0)));
        assert_eq!(curve.last(), Some(&(1.0, 1.0)));
        // Trapezoids (ties are one diagonal step) give exactly the rank-based AUC.
        let area: f64 = curve.windows(2).map(|w| (w[1].0 - w[0].0) * (w[1].1 + w[0].1) / 2.0).sum();
        let auc = roc_auc(&positive, &scores).unwrap_or(f64::NAN);
        assert!((area - auc).abs() < 1e-12, "{area} vs {auc}");
        let thinned = roc_curve(&positive, &scores, 3);
        assert_eq!(thinned.len(), 3);
        assert_eq!(thinned.last(), Some(&(1.0, 1.0)));
        assert!(roc_curve(&[true, true], &[0.1, 0.2], 10).is_empty());
    }

    #[test]
    fn median_and_mae() {
        assert!((median(&[3.0, 1.0, 2.0, 10.0]) - 2.5).abs() < 1e-12);
        assert!((mae(&[1.0, 2.0], &[2.0, 4.0]) - 1.5).abs() < 1e-12);
    }
}

/// Precision, recall, F1 and support of one class.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ClassScores {
    /// The class.
    pub class: String,
    /// Share of predictions of this class that were right.
    pub precision: f64,
    /// Share of this class's rows that were found.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Rows of this class.
    pub support: usize,
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// Confusion matrix: `m[true][predicted]`.
pub fn confusion(truth: &[u32], predicted: &[u32], k: usize) -> Vec<Vec<usize>> {
    let mut m = vec![vec![0; k]; k];
    for (&t, &p) in truth.iter().zip(predicted) {
        m[t as usize][p as usize] += 1;
    }
    m
}

/// Per-class scores from a confusion matrix.
pub fn class_scores(m: &[Vec<usize>], classes: &[String]) -> Vec<ClassScores> {
    (0..m.len())
        .map(|c| {
            let tp = m[c][c] as f64;
            let predicted: f64 = m.iter().map(|row| row[c] as f64).sum();
            let actual: f64 = m[c].iter().sum::<usize>() as f64;
            let precision = ratio(tp, predicted);
            let recall = ratio(tp, actual);
            let f1 = ratio(2.0 * precision * recall, precision + recall);
            ClassScores {
                class: classes[c].clone(),
                precision,
                recall,
                f1,
                support: actual as usize,
            }
        })
        .collect()
}

/// ROC AUC of `scores` for the rows where `positive` holds (ties count half).
pub fn roc_auc(positive: &[bool], scores: &[f64]) -> Option<f64> {
    let ranks = crate::checks::stats::average_ranks(scores);
    let n_pos = positive.iter().filter(|p| **p).count() as f64;
    let n_neg = positive.len() as f64 - n_pos;
    if n_pos == 0.0 || n_neg == 0.0 {
        return None;
    }
    let rank_sum: f64 = ranks.iter().zip(positive).filter(|(_, p)| **p).map(|(r, _)| r).sum();
    Some((rank_sum - n_pos * (n_pos + 1.0) / 2.0) / (n_pos * n_neg))
}

/// Points of the ROC curve, `(false positive rate, true positive rate)` from (0, 0) to (1, 1),
/// one per distinct score, thinned evenly to at most `max_points` for drawing and storing.
pub fn roc_curve(positive: &[bool], scores: &[f64], max_points: usize) -> Vec<(f64, f64)> {
    let n_pos = positive.iter().filter(|p| **p).count() as f64;
    let n_neg = positive.len() as f64 - n_pos;
    if n_pos == 0.0 || n_neg == 0.0 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut points = vec![(0.0, 0.0)];
    let (mut tp, mut fp) = (0.0, 0.0);
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j < order.len() && scores[order[j]] == scores[order[i]] {
            if positive[order[j]] {
                tp += 1.0;
            } else {
                fp += 1.0;
            }
            j += 1;
        }
        points.push((fp / n_neg, tp / n_pos));
        i = j;
    }
    thin(points, max_points.max(2))
}

/// Keeps `max` evenly spaced points, always the first and the last.
fn thin<T: Copy>(points: Vec<T>, max: usize) -> Vec<T> {
    if points.len() <= max {
        return points;
    }
    let last = points.len() - 1;
    (0..max).map(|k| points[k * last / (max - 1)]).collect()
}

/// Average precision (area under the precision–recall curve, step-wise), thresholds at every
/// distinct score.
pub fn average_precision(positive: &[bool], scores: &[f64]) -> Option<f64> {
    let n_pos = positive.iter().filter(|p| **p).count() as f64;
    if n_pos == 0.0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut tp, mut fp, mut ap, mut last_recall) = (0.0, 0.0, 0.0, 0.0);
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j < order.len() && scores[order[j]] == scores[order[i]] {
            if positive[order[j]] {
                tp += 1.0
            } else {
                fp += 1.0
            }
            j += 1;
        }
        let recall = tp / n_pos;
        ap += (recall - last_recall) * tp / (tp + fp);
        last_recall = recall;
        i = j;
    }
    Some(ap)
}

/// Mean negative log-likelihood of the true classes, probabilities clipped away from 0 and 1.
pub fn log_loss(truth: &[u32], proba: &[Vec<f64>]) -> f64 {
    let eps = f64::EPSILON;
    let total: f64 = truth
        .iter()
        .zip(proba)
        .map(|(&t, p)| {
            let sum: f64 = p.iter().map(|v| v.clamp(eps, 1.0 - eps)).sum();
            -(p[t as usize].clamp(eps, 1.0 - eps) / sum).ln()
        })
        .sum();
    total / truth.len().max(1) as f64
}

/// Expected calibration error over ten equal-width bins of the top probability.
pub fn calibration_error(truth: &[u32], proba: &[Vec<f64>]) -> f64 {
    let mut bins = vec![(0.0, 0.0, 0.0); 10];
    for (&t, p) in truth.iter().zip(proba) {
        let top = super::tree::argmax(p);
        let conf = p[top];
        let b = ((conf * 10.0) as usize).min(9);
        bins[b].0 += 1.0;
        bins[b].1 += conf;
        bins[b].2 += f64::from(u8::from(top as u32 == t));
    }
    let n = truth.len().max(1) as f64;
    bins.iter().filter(|b| b.0 > 0.0).map(|(k, conf, hit)| (k / n) * ((conf - hit) / k).abs()).sum()
}

/// Regression metrics: MAE, RMSE, R², MAPE (as a fraction) and residual quantiles.
pub fn regression(truth: &[f64], predicted: &[f64]) -> std::collections::BTreeMap<String, f64> {
    let n = truth.len().max(1) as f64;
    let residuals: Vec<f64> = truth.iter().zip(predicted).map(|(t, p)| t - p).collect();
    let mean = truth.iter().sum::<f64>() / n;
    let ss_res: f64 = residuals.iter().map(|r| r * r).sum();
    let ss_tot: f64 = truth.iter().map(|t| (t - mean).powi(2)).sum();
    let mape = truth
        .iter()
        .zip(predicted)
        .map(|(t, p)| (t - p).abs() / t.abs().max(f64::EPSILON))
        .sum::<f64>()
        / n;
    let mut out = std::collections::BTreeMap::new();
    out.insert("mae".into(), mae(truth, predicted));
    out.insert("rmse".into(), (ss_res / n).sqrt());
    out.insert("r2".into(), if ss_tot > 0.0 { 1.0 - ss_res / ss_tot } else { 0.0 });
    out.insert("mape".into(), mape);
    out
}

/// Overall classification metrics. For two classes, precision, recall and F1 are those of
/// `positive`; otherwise they are macro averages.
pub fn classification(
    truth: &[u32],
    proba: &[Vec<f64>],
    classes: &[String],
    positive: usize,
) -> (std::collections::BTreeMap<String, f64>, Vec<Vec<usize>>, Vec<ClassScores>) {
    let k = classes.len();
    let predicted: Vec<u32> = proba.iter().map(|p| super::tree::argmax(p) as u32).collect();
    let m = confusion(truth, &predicted, k);
    let per_class = class_scores(&m, classes);
    let n = truth.len().max(1) as f64;
    let correct: usize = (0..k).map(|c| m[c][c]).sum();
    let present: Vec<&ClassScores> = per_class.iter().filter(|c| c.support > 0).collect();
    let macro_of =
        |f: fn(&ClassScores) -> f64| per_class.iter().map(f).sum::<f64>() / k.max(1) as f64;
    let mut out = std::collections::BTreeMap::new();
    out.insert("accuracy".into(), correct as f64 / n);
    out.insert(
        "balanced_accuracy".into(),
        present.iter().map(|c| c.recall).sum::<f64>() / present.len().max(1) as f64,
    );
    out.insert("f1_macro".into(), macro_of(|c| c.f1));
    out.insert("precision_macro".into(), macro_of(|c| c.precision));
    out.insert("recall_macro".into(), macro_of(|c| c.recall));
    out.insert("log_loss".into(), log_loss(truth, proba));
    out.insert("calibration_error".into(), calibration_error(truth, proba));
    if k == 2 {
        let pos = &per_class[positive];
        out.insert("f1".into(), pos.f1);
        out.insert("precision".into(), pos.precision);
        out.insert("recall".into(), pos.recall);
        let is_pos: Vec<bool> = truth.iter().map(|&t| t as usize == positive).collect();
        let scores: Vec<f64> = proba.iter().map(|p| p[positive]).collect();
        if let Some(auc) = roc_auc(&is_pos, &scores) {
            out.insert("roc_auc".into(), auc);
        }
        if let Some(ap) = average_precision(&is_pos, &scores) {
            out.insert("pr_auc".into(), ap);
        }
    } else {
        out.insert("f1".into(), macro_of(|c| c.f1));
        out.insert("precision".into(), macro_of(|c| c.precision));
        out.insert("recall".into(), macro_of(|c| c.recall));
        let aucs: Vec<f64> = (0..k)
            .filter_map(|c| {
                let is_c: Vec<bool> = truth.iter().map(|&t| t as usize == c).collect();
                roc_auc(&is_c, &proba.iter().map(|p| p[c]).collect::<Vec<_>>())
            })
            .collect();
        if !aucs.is_empty() {
            out.insert("roc_auc".into(), aucs.iter().sum::<f64>() / aucs.len() as f64);
        }
    }
    (out, m, per_class)
}

/// Orders two values of `metric` best first; a missing value goes last.
pub fn best_first(metric: &str, a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Some(x), Some(y)) if higher_is_better(metric) => y.total_cmp(&x),
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Whether a higher value of the metric is better.
pub fn higher_is_better(metric: &str) -> bool {
    !matches!(metric, "mae" | "rmse" | "mape" | "log_loss" | "calibration_error")
}
