//! Column profiles: kind, counts, distinct values, summary statistics, quantiles, skewness,
//! top values and histograms, computed on a [`Table`].
//!
//! Definitions follow the checks reference so the numbers can be compared with the tools
//! people already use: sample standard deviation and skewness (bias-corrected, as pandas),
//! linear-interpolated quantiles, and up to 50 equal-width histogram bins.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::table::{Column, Table, Values};

/// Quantiles reported for numeric columns.
pub const QUANTILES: [f64; 7] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
/// Most histogram bins.
pub const MAX_BINS: usize = 50;
/// Top values kept per column.
pub const TOP_VALUES: usize = 10;

/// What a column is taken to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Numbers with more than five distinct values.
    Numeric,
    /// A few distinct values (text, or numbers with at most five).
    Categorical,
    /// Free text: many distinct values.
    Text,
    /// Dates and times.
    Datetime,
    /// Empty on every row.
    Empty,
}

/// One histogram bin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    /// Lower edge (inclusive).
    pub lo: f64,
    /// Upper edge (exclusive, inclusive for the last bin).
    pub hi: f64,
    /// Rows in the bin.
    pub count: usize,
}

/// Statistics of a numeric (or date) column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericStats {
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub std: f64,
    /// `(q, value)` for each of [`QUANTILES`].
    pub quantiles: Vec<(f64, f64)>,
    /// Bias-corrected sample skewness.
    pub skewness: f64,
    /// Rows equal to zero.
    pub zeros: usize,
    /// Rows that are infinite.
    pub infinite: usize,
    /// Equal-width histogram.
    pub histogram: Vec<Bin>,
}

/// A value with its count and share of non-missing rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopValue {
    /// The value as text.
    pub value: String,
    /// Rows holding it.
    pub count: usize,
    /// Share of non-missing rows.
    pub share: f64,
}

/// The profile of one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnProfile {
    /// Column name.
    pub name: String,
    /// Inferred kind.
    pub kind: Kind,
    /// Non-missing rows.
    pub count: usize,
    /// Missing rows.
    pub missing: usize,
    /// Distinct non-missing values.
    pub distinct: usize,
    /// Numeric statistics, for numbers and dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numeric: Option<NumericStats>,
    /// Most frequent values.
    pub top: Vec<TopValue>,
}

/// Infers the kind of a column (rules of the checks reference).
pub fn kind_of(column: &Column, distinct: usize) -> Kind {
    let rows = column.len();
    let present = rows - column.null_count();
    if present == 0 {
        return Kind::Empty;
    }
    match &column.values {
        Values::Time(_) => Kind::Datetime,
        Values::Numeric(_) if distinct <= 5 => Kind::Categorical,
        Values::Numeric(_) => Kind::Numeric,
        Values::Categorical { .. }
            if distinct <= 50 && (distinct as f64) < 0.5 * present as f64 =>
        {
            Kind::Categorical
        }
        Values::Categorical { .. } if distinct <= 50 && present < 100 => Kind::Categorical,
        Values::Categorical { .. } => Kind::Text,
    }
}

/// Profiles every column; columns are spread over the machine's cores.
pub fn profile(table: &Table) -> Vec<ColumnProfile> {
    let threads =
        std::thread::available_parallelism().map_or(1, |n| n.get()).min(table.columns.len().max(1));
    let mut out: Vec<Option<ColumnProfile>> = vec![None; table.columns.len()];
    std::thread::scope(|scope| {
        let chunks: Vec<(usize, &mut [Option<ColumnProfile>])> = {
            let size = table.columns.len().div_ceil(threads).max(1);
            out.chunks_mut(size).enumerate().map(|(i, c)| (i * size, c)).collect()
        };
        for (start, slots) in chunks {
            let columns = &table.columns;
            scope.spawn(move || {
                for (k, slot) in slots.iter_mut().enumerate() {
                    *slot = Some(profile_column(&columns[start + k]));
                }
            });
        }
    });
    out.into_iter().flatten().collect()
}

/// Profiles one column.
pub fn profile_column(column: &Column) -> ColumnProfile {
    let missing = column.null_count();
    let count = column.len() - missing;
    let (top, distinct) = top_values(column, count);
    let kind = kind_of(column, distinct);
    let numeric = match &column.values {
        Values::Numeric(_) | Values::Time(_) => {
            let values: Vec<f64> = (0..column.len()).filter_map(|i| column.as_f64(i)).collect();
            numeric_stats(values)
        }
        Values::Categorical { .. } => None,
    };
    ColumnProfile { name: column.name.clone(), kind, count, missing, distinct, numeric, top }
}

fn top_values(column: &Column, count: usize) -> (Vec<TopValue>, usize) {
    let mut counts: HashMap<u64, usize> = HashMap::new();
    for i in 0..column.len() {
        if let Some(k) = column.key(i) {
            *counts.entry(k).or_default() += 1;
        }
    }
    let distinct = counts.len();
    let mut pairs: Vec<(u64, usize)> = counts.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let text_of = |key: u64| -> String {
        match &column.values {
            Values::Categorical { levels, .. } => {
                levels.get(key as usize).cloned().unwrap_or_default()
            }
            Values::Numeric(_) => f64::from_bits(key).to_string(),
            Values::Time(_) => (key as i64).to_string(),
        }
    };
    let top = pairs
        .iter()
        .take(TOP_VALUES)
        .map(|(k, n)| TopValue {
            value: text_of(*k),
            count: *n,
            share: *n as f64 / count.max(1) as f64,
        })
        .collect();
    (top, distinct)
}

/// Linear-interpolated quantile of sorted values.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn numeric_stats(mut values: Vec<f64>) -> Option<NumericStats> {
    let infinite = values.iter().filter(|v| v.is_infinite()).count();
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let (m2, m3) = values.iter().fold((0.0, 0.0), |(a, b), v| {
        let d = v - mean;
        (a + d * d, b + d * d * d)
    });
    let var = if n > 1.0 { m2 / (n - 1.0) } else { 0.0 };
    let skewness = if n > 2.0 && m2 > 0.0 {
        let g1 = (m3 / n) / (m2 / n).powf(1.5);
        g1 * (n * (n - 1.0)).sqrt() / (n - 2.0)
    } else {
        0.0
    };
    let (min, max) = (values[0], values[values.len() - 1]);
    Some(NumericStats {
        min,
        max,
        mean,
        std: var.sqrt(),
        quantiles: QUANTILES.iter().map(|q| (*q, quantile(&values, *q))).collect(),
        skewness,
        zeros: values.iter().filter(|v| **v == 0.0).count(),
        infinite,
        histogram: histogram(&values, min, max),
    })
}

fn histogram(values: &[f64], min: f64, max: f64) -> Vec<Bin> {
    let distinct_hint = values.windows(2).filter(|w| w[0] != w[1]).count() + 1;
    let bins = distinct_hint.clamp(1, MAX_BINS);
    let width = (max - min) / bins as f64;
    if width <= 0.0 {
        return vec![Bin { lo: min, hi: max, count: values.len() }];
    }
    let mut counts = vec![0usize; bins];
    for v in values {
        let b = (((v - min) / width) as usize).min(bins - 1);
        counts[b] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, count)| Bin {
            lo: min + i as f64 * width,
            hi: min + (i + 1) as f64 * width,
            count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(v: &[f64]) -> Column {
        Column { name: "x".into(), values: Values::Numeric(v.iter().map(|x| Some(*x)).collect()) }
    }

    #[test]
    fn statistics_match_hand_values() {
        let p = profile_column(&numeric(&[1.0, 2.0, 3.0, 4.0, 10.0, 0.0, 7.0]));
        let s = p.numeric.unwrap_or_else(|| panic!("no stats"));
        assert_eq!((s.min, s.max, s.zeros), (0.0, 10.0, 1));
        assert!((s.mean - 27.0 / 7.0).abs() < 1e-12);
        // pandas 2.3: Series([1,2,3,4,10,0,7]).std() and .skew()
        assert!((s.std - 3.532_165_125_838_609).abs() < 1e-12, "{}", s.std);
        assert!((s.skewness - 0.927_139_316_434_939_9).abs() < 1e-12, "{}", s.skewness);
        assert!((quantile(&[0.0, 1.0, 2.0, 3.0, 4.0, 7.0, 10.0], 0.25) - 1.5).abs() < 1e-12);
        assert_eq!(s.histogram.iter().map(|b| b.count).sum::<usize>(), 7);
    }

    #[test]
    fn few_distinct_numbers_are_categorical() {
        assert_eq!(
            profile_column(&numeric(&[0.0, 1.0, 0.0, 1.0, 1.0, 0.0])).kind,
            Kind::Categorical
        );
    }
}
