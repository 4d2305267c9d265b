//! Association statistics: Spearman's rank correlation and bias-corrected Cramér's V.

use std::collections::HashMap;

/// Ranks with ties given their average rank (1-based).
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        order[i..=j].iter().for_each(|&k| ranks[k] = rank);
        i = j + 1;
    }
    ranks
}

/// Pearson correlation; `None` when either side is constant.
pub fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    if a.len() < 2 {
        return None;
    }
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    (saa > 0.0 && sbb > 0.0).then(|| (sab / (saa * sbb).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's rank correlation over pairs where both values exist.
pub fn spearman(a: &[Option<f64>], b: &[Option<f64>]) -> Option<f64> {
    let (x, y): (Vec<f64>, Vec<f64>) =
        a.iter().zip(b).filter_map(|(x, y)| Some(((*x)?, (*y)?))).unzip();
    pearson(&average_ranks(&x), &average_ranks(&y))
}

/// Bias-corrected Cramér's V (Bergsma) between two coded variables, over pairs where both
/// exist; `None` when either side has a single value.
pub fn cramers_v(a: &[Option<u64>], b: &[Option<u64>]) -> Option<f64> {
    let mut table: HashMap<(u64, u64), f64> = HashMap::new();
    let mut rows: HashMap<u64, f64> = HashMap::new();
    let mut cols: HashMap<u64, f64> = HashMap::new();
    let mut n = 0.0;
    for (x, y) in a.iter().zip(b) {
        let (Some(x), Some(y)) = (x, y) else { continue };
        *table.entry((*x, *y)).or_default() += 1.0;
        *rows.entry(*x).or_default() += 1.0;
        *cols.entry(*y).or_default() += 1.0;
        n += 1.0;
    }
    let (r, k) = (rows.len() as f64, cols.len() as f64);
    if r < 2.0 || k < 2.0 || n < 2.0 {
        return None;
    }
    // chi² = n (Σ n_ij² / (n_i n_j) − 1), summing only over non-empty cells.
    let sum: f64 = table.iter().map(|((x, y), c)| c * c / (rows[x] * cols[y])).sum();
    bias_corrected_v(sum, r, k, n)
}

/// Cramér's V with Bergsma's bias correction, from Σ n_ij² / (n_i n_j) over the non-empty
/// cells of an r × k table of n pairs.
fn bias_corrected_v(sum: f64, r: f64, k: f64, n: f64) -> Option<f64> {
    let phi2 = (sum - 1.0).max(0.0);
    let phi2_corr = (phi2 - (k - 1.0) * (r - 1.0) / (n - 1.0)).max(0.0);
    let r_corr = r - (r - 1.0).powi(2) / (n - 1.0);
    let k_corr = k - (k - 1.0).powi(2) / (n - 1.0);
    let denom = (k_corr - 1.0).min(r_corr - 1.0);
    (denom > 0.0).then(|| (phi2_corr / denom).sqrt().min(1.0))
}

/// Codes for a numeric variable cut into `bins` equal-count bins, so that it can enter
/// Cramér's V against a categorical one.
pub fn quantile_codes(values: &[Option<f64>], bins: usize) -> Vec<Option<u64>> {
    let mut present: Vec<f64> = values.iter().flatten().copied().collect();
    present.sort_by(f64::total_cmp);
    if present.is_empty() {
        return vec![None; values.len()];
    }
    let edges: Vec<f64> =
        (1..bins).map(|i| present[(i * present.len() / bins).min(present.len() - 1)]).collect();
    values.iter().map(|v| v.map(|x| edges.iter().filter(|e| x > **e).count() as u64)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_their_average_rank() {
        assert_eq!(average_ranks(&[10.0, 20.0, 10.0, 30.0]), vec![1.5, 3.0, 1.5, 4.0]);
    }

    #[test]
    fn spearman_of_a_monotone_map_is_one() {
        let a: Vec<Option<f64>> = (0..50).map(|i| Some(f64::from(i))).collect();
        let b: Vec<Option<f64>> = (0..50).map(|i| Some(f64::from(i).exp())).collect();
        assert!((spearman(&a, &b).unwrap_or(0.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn cramers_v_of_a_copy_is_one_and_of_independent_codes_near_zero() {
        let a: Vec<Option<u64>> = (0..400).map(|i| Some(i % 4)).collect();
        assert!((cramers_v(&a, &a).unwrap_or(0.0) - 1.0).abs() < 1e-9);
        let b: Vec<Option<u64>> = (0..400).map(|i| Some((i / 4) % 5)).collect();
        assert!(cramers_v(&a, &b).unwrap_or(1.0) < 0.05);
    }
}

/// Marks a missing value in dense codes.
pub const MISSING: u32 = u32::MAX;

/// Bias-corrected Cramér's V on dense codes (`0..ka`, `0..kb`, [`MISSING`] for none): the same
/// statistic as [`cramers_v`], with a flat contingency table for speed on many pairs.
pub fn cramers_v_dense(a: &[u32], ka: usize, b: &[u32], kb: usize) -> Option<f64> {
    let mut table = vec![0u32; ka * kb];
    let (mut rows, mut cols) = (vec![0u32; ka], vec![0u32; kb]);
    let mut n = 0u64;
    for (&x, &y) in a.iter().zip(b) {
        if x == MISSING || y == MISSING {
            continue;
        }
        table[x as usize * kb + y as usize] += 1;
        rows[x as usize] += 1;
        cols[y as usize] += 1;
        n += 1;
    }
    let r = rows.iter().filter(|c| **c > 0).count() as f64;
    let k = cols.iter().filter(|c| **c > 0).count() as f64;
    let n = n as f64;
    if r < 2.0 || k < 2.0 || n < 2.0 {
        return None;
    }
    let mut sum = 0.0;
    for (i, ri) in rows.iter().enumerate().filter(|(_, c)| **c > 0) {
        for (j, cj) in cols.iter().enumerate().filter(|(_, c)| **c > 0) {
            let c = f64::from(table[i * kb + j]);
            if c > 0.0 {
                sum += c * c / (f64::from(*ri) * f64::from(*cj));
            }
        }
    }
    bias_corrected_v(sum, r, k, n)
}

/// Pearson correlation over the positions where both values exist (NaN marks missing).
pub fn pearson_present(a: &[f64], b: &[f64]) -> Option<f64> {
    let both = || a.iter().zip(b).filter(|(x, y)| !x.is_nan() && !y.is_nan());
    let (mut n, mut sa, mut sb) = (0usize, 0.0, 0.0);
    for (x, y) in both() {
        n += 1;
        sa += x;
        sb += y;
    }
    if n < 2 {
        return None;
    }
    let (ma, mb) = (sa / n as f64, sb / n as f64);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in both() {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    (saa > 0.0 && sbb > 0.0).then(|| (sab / (saa * sbb).sqrt()).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod dense_tests {
    use super::*;

    #[test]
    fn dense_and_hashed_cramers_v_agree() {
        let a: Vec<u32> = (0..500).map(|i| (i * 7 % 5) as u32).collect();
        let b: Vec<u32> = (0..500).map(|i| ((i * 7 % 5 + i % 3) % 4) as u32).collect();
        let hashed = cramers_v(
            &a.iter().map(|v| Some(u64::from(*v))).collect::<Vec<_>>(),
            &b.iter().map(|v| Some(u64::from(*v))).collect::<Vec<_>>(),
        );
        let dense = cramers_v_dense(&a, 5, &b, 4);
        assert!((hashed.unwrap_or(-1.0) - dense.unwrap_or(-2.0)).abs() < 1e-12);
    }
}
