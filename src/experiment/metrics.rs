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
    fn median_and_mae() {
        assert!((median(&[3.0, 1.0, 2.0, 10.0]) - 2.5).abs() < 1e-12);
        assert!((mae(&[1.0, 2.0], &[2.0, 4.0]) - 1.5).abs() < 1e-12);
    }
}
