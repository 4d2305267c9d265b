//! Column profiles: kind, counts, distinct values, summary statistics, quantiles, skewness,
//! top values and histograms, computed on a [`Table`].
//!
//! Definitions follow the checks reference so the numbers can be compared with the tools
//! people already use: sample standard deviation and skewness (bias-corrected, as pandas),
//! linear-interpolated quantiles, and up to 50 equal-width histogram bins.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::table::{Column, MISSING_CODE, MISSING_TIME, Table, Values};

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

/// Profiles every column; columns are shared out over the machine's cores.
pub fn profile(table: &Table) -> Vec<ColumnProfile> {
    parallel_map(&table.columns, profile_column)
}

/// `f` over every item, on as many threads as there are cores, results in item order.
pub fn parallel_map<'a, T: Sync, R: Send>(items: &'a [T], f: impl Fn(&'a T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        out.push((i, f(item)));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Replaces the statistics that were kept exactly over every row of a sampled file (counts,
/// missing values, min, max, mean, std, skewness, zeros, infinities) with those exact values;
/// quantiles, histograms, distinct and top values stay those of the sample.
pub fn apply_exact(profiles: &mut [ColumnProfile], summary: &super::table::ReadSummary) {
    for (i, p) in profiles.iter_mut().enumerate() {
        if let Some(missing) = summary.missing.get(i) {
            p.missing = *missing;
            p.count = summary.rows.saturating_sub(*missing);
        }
        let (Some(Some(m)), Some(s)) = (summary.exact.get(i), p.numeric.as_mut()) else {
            continue;
        };
        if m.n > 0 {
            (s.min, s.max, s.mean) = (m.min, m.max, m.mean);
            (s.std, s.skewness) = (m.std(), m.skewness());
        }
        s.zeros = m.zeros as usize;
        s.infinite = m.infinite as usize;
    }
}

/// Profiles one column.
pub fn profile_column(column: &Column) -> ColumnProfile {
    let missing = column.null_count();
    let count = column.len() - missing;
    let (top, distinct, numeric) = match &column.values {
        Values::Categorical { codes, levels } => {
            let (top, distinct) = category_counts(codes, levels, count);
            (top, distinct, None)
        }
        Values::Numeric(v) => {
            // -0.0 and 0.0 are one value; missing (NaN) values are left out.
            let present =
                v.iter().filter(|x| !x.is_nan()).map(|x| if *x == 0.0 { 0.0 } else { *x });
            let dist = Dist::of(present);
            let (top, distinct) = top_of(&dist, count, |x| x.to_string());
            (top, distinct, numeric_stats(&dist))
        }
        Values::Time(v) => {
            let present = v.iter().filter(|t| **t != MISSING_TIME).map(|t| *t as f64);
            let dist = Dist::of(present);
            let (top, distinct) = top_of(&dist, count, |x| (x as i64).to_string());
            (top, distinct, numeric_stats(&dist))
        }
    };
    let kind = kind_of(column, distinct);
    ColumnProfile { name: column.name.clone(), kind, count, missing, distinct, numeric, top }
}

/// Top values and the distinct count of a categorical column, by counting codes.
fn category_counts(codes: &[u32], levels: &[String], count: usize) -> (Vec<TopValue>, usize) {
    let mut counts = vec![0usize; levels.len()];
    codes.iter().filter(|c| **c != MISSING_CODE).for_each(|c| counts[*c as usize] += 1);
    let distinct = counts.iter().filter(|n| **n > 0).count();
    let mut pairs: Vec<(usize, usize)> =
        counts.into_iter().enumerate().filter(|(_, n)| *n > 0).collect();
    top_first(&mut pairs, |a, b| levels[a].cmp(&levels[b]));
    let top = pairs
        .iter()
        .take(TOP_VALUES)
        .map(|(code, n)| TopValue {
            value: levels[*code].clone(),
            count: *n,
            share: *n as f64 / count.max(1) as f64,
        })
        .collect();
    (top, distinct)
}

/// Distinct values counted exactly without sorting, up to this many of them.
const FEW_DISTINCT: usize = 1024;

/// The non-missing values of a numeric column, as either all of them sorted (many distinct
/// values) or each distinct value with its count (few), read through the same runs of equal
/// values without building a list of runs.
enum Dist {
    /// Every value, ascending.
    Sorted(Vec<f64>),
    /// Each distinct value once, ascending, with how often it occurs.
    Counted(Vec<(f64, usize)>),
}

impl Dist {
    /// Counts the values in a small table when there are few distinct ones, else sorts them.
    fn of(values: impl Iterator<Item = f64> + Clone) -> Dist {
        let mut few: HashMap<u64, usize, foldhash::fast::FixedState> = HashMap::default();
        for x in values.clone() {
            *few.entry(x.to_bits()).or_default() += 1;
            if few.len() > FEW_DISTINCT {
                let mut sorted: Vec<f64> = values.collect();
                sort_floats(&mut sorted);
                return Dist::Sorted(sorted);
            }
        }
        let mut counted: Vec<(f64, usize)> =
            few.into_iter().map(|(bits, n)| (f64::from_bits(bits), n)).collect();
        counted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        Dist::Counted(counted)
    }

    /// `(value, count)` for each distinct value, ascending.
    fn runs(&self) -> Runs<'_> {
        Runs { dist: self, at: 0 }
    }

    /// The values without the infinities at either end.
    fn finite(&self) -> Dist {
        match self {
            Dist::Sorted(v) => {
                let lo = v.iter().take_while(|x| x.is_infinite()).count();
                let hi = v.iter().rev().take_while(|x| x.is_infinite()).count();
                Dist::Sorted(v[lo.min(v.len())..v.len().saturating_sub(hi).max(lo)].to_vec())
            }
            Dist::Counted(c) => {
                Dist::Counted(c.iter().copied().filter(|(x, _)| x.is_finite()).collect())
            }
        }
    }

    /// Number of values.
    fn len(&self) -> usize {
        match self {
            Dist::Sorted(v) => v.len(),
            Dist::Counted(c) => c.iter().map(|(_, n)| n).sum(),
        }
    }

    /// The value of rank `k` (0-based) in ascending order.
    fn at(&self, k: usize) -> f64 {
        match self {
            Dist::Sorted(v) => v[k.min(v.len().saturating_sub(1))],
            Dist::Counted(c) => {
                let mut seen = 0;
                for (x, n) in c {
                    seen += n;
                    if k < seen {
                        return *x;
                    }
                }
                c.last().map_or(f64::NAN, |(x, _)| *x)
            }
        }
    }
}

/// Iterator over the runs of equal values of a [`Dist`].
struct Runs<'a> {
    dist: &'a Dist,
    at: usize,
}

impl Iterator for Runs<'_> {
    type Item = (f64, usize);

    fn next(&mut self) -> Option<(f64, usize)> {
        match self.dist {
            Dist::Counted(c) => {
                let run = c.get(self.at).copied();
                self.at += 1;
                run
            }
            Dist::Sorted(v) => {
                let x = *v.get(self.at)?;
                let start = self.at;
                while self.at < v.len() && v[self.at] == x {
                    self.at += 1;
                }
                Some((x, self.at - start))
            }
        }
    }
}

/// Top values and the distinct count of a distribution: one pass over the runs, keeping the
/// most frequent (ties go to the smaller value, which comes first).
fn top_of(dist: &Dist, count: usize, text: impl Fn(f64) -> String) -> (Vec<TopValue>, usize) {
    let mut top: Vec<(f64, usize)> = Vec::with_capacity(TOP_VALUES + 1);
    let mut distinct = 0;
    for (x, n) in dist.runs() {
        distinct += 1;
        if top.len() < TOP_VALUES || top.last().is_some_and(|(_, m)| n > *m) {
            let at = top.partition_point(|(_, m)| *m >= n);
            top.insert(at, (x, n));
            top.truncate(TOP_VALUES);
        }
    }
    let top = top
        .into_iter()
        .map(|(x, n)| TopValue { value: text(x), count: n, share: n as f64 / count.max(1) as f64 })
        .collect();
    (top, distinct)
}

/// Moves the [`TOP_VALUES`] most frequent `(key, count)` pairs to the front, most frequent
/// first, ties broken by `order` of the keys; the rest stay behind in no particular order.
fn top_first(
    pairs: &mut [(usize, usize)],
    order: impl Fn(usize, usize) -> std::cmp::Ordering + Copy,
) {
    let cmp = |a: &(usize, usize), b: &(usize, usize)| b.1.cmp(&a.1).then(order(a.0, b.0));
    if pairs.len() > TOP_VALUES {
        pairs.select_nth_unstable_by(TOP_VALUES - 1, cmp);
    }
    let head = pairs.len().min(TOP_VALUES);
    pairs[..head].sort_by(cmp);
}

/// A key whose unsigned order is the order of `f64::total_cmp` (so, without NaN, the numeric
/// order, -0.0 just before 0.0).
pub fn order_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

/// Sorts floats (no NaN) in ascending order: a radix sort on [`order_key`]s, which is several
/// times faster than a comparison sort on millions of values.
pub fn sort_floats(values: &mut [f64]) {
    if values.len() < 4096 {
        values.sort_unstable_by(f64::total_cmp);
        return;
    }
    // Six passes of 11 bits; every histogram comes from one read of the keys, and a pass
    // whose digit is the same for all keys (common in the high bits) is skipped.
    const BITS: u32 = 11;
    const BUCKETS: usize = 1 << BITS;
    const PASSES: usize = 64_usize.div_ceil(BITS as usize);
    let digit = |k: u64, pass: usize| ((k >> (pass as u32 * BITS)) as usize) & (BUCKETS - 1);
    let mut keys: Vec<u64> = values.iter().map(|x| order_key(*x)).collect();
    let mut counts = vec![[0usize; BUCKETS]; PASSES];
    for k in &keys {
        for (pass, c) in counts.iter_mut().enumerate() {
            c[digit(*k, pass)] += 1;
        }
    }
    let mut buffer = vec![0u64; keys.len()];
    for (pass, c) in counts.iter_mut().enumerate() {
        if c.contains(&keys.len()) {
            continue;
        }
        let mut total = 0;
        for n in c.iter_mut() {
            (*n, total) = (total, total + *n);
        }
        for k in &keys {
            let d = digit(*k, pass);
            buffer[c[d]] = *k;
            c[d] += 1;
        }
        std::mem::swap(&mut keys, &mut buffer);
    }
    let back = |k: u64| f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k });
    values.iter_mut().zip(&keys).for_each(|(v, k)| *v = back(*k));
}

/// Linear-interpolated quantile of a distribution of `n` values.
fn quantile_of(dist: &Dist, n: usize, q: f64) -> f64 {
    if n == 0 {
        return f64::NAN;
    }
    let pos = q * (n - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    let (a, b) = (dist.at(lo), dist.at(hi));
    a + (b - a) * (pos - lo as f64)
}

/// Statistics of a distribution (infinities are counted, then left out).
fn numeric_stats(dist: &Dist) -> Option<NumericStats> {
    let infinite: usize = dist.runs().filter(|(v, _)| v.is_infinite()).map(|(_, n)| n).sum();
    let finite = if infinite > 0 { dist.finite() } else { Dist::Counted(Vec::new()) };
    let finite = if infinite > 0 { &finite } else { dist };
    let count = finite.len();
    let (min, max) = (finite.runs().next()?.0, finite.at(count.saturating_sub(1)));
    let n = count as f64;
    let mean = finite.runs().map(|(v, c)| v * c as f64).sum::<f64>() / n;
    let (m2, m3) = finite.runs().fold((0.0, 0.0), |(a, b), (v, c)| {
        let d = v - mean;
        let c = c as f64;
        (a + c * d * d, b + c * d * d * d)
    });
    let var = if n > 1.0 { m2 / (n - 1.0) } else { 0.0 };
    let skewness = if n > 2.0 && m2 > 0.0 {
        let g1 = (m3 / n) / (m2 / n).powf(1.5);
        g1 * (n * (n - 1.0)).sqrt() / (n - 2.0)
    } else {
        0.0
    };
    Some(NumericStats {
        min,
        max,
        mean,
        std: var.sqrt(),
        quantiles: QUANTILES.iter().map(|q| (*q, quantile_of(finite, count, *q))).collect(),
        skewness,
        zeros: finite.runs().filter(|(v, _)| *v == 0.0).map(|(_, c)| c).sum(),
        infinite,
        histogram: histogram(finite, min, max),
    })
}

fn histogram(dist: &Dist, min: f64, max: f64) -> Vec<Bin> {
    let distinct = match dist {
        Dist::Counted(c) => c.len(),
        Dist::Sorted(_) => MAX_BINS.min(dist.runs().take(MAX_BINS).count()),
    };
    let bins = distinct.clamp(1, MAX_BINS);
    let width = (max - min) / bins as f64;
    if width <= 0.0 {
        return vec![Bin { lo: min, hi: max, count: dist.len() }];
    }
    // Bin edges are `min + i * width`; a value on an edge goes to the bin above it (the last
    // bin also takes the maximum), decided by comparing with the edges themselves as numpy
    // does, so rounding in the division cannot move a value across an edge.
    let edge = |i: usize| min + i as f64 * width;
    let mut counts = vec![0usize; bins];
    for (v, c) in dist.runs() {
        let mut b = (((v - min) / width) as usize).min(bins - 1);
        if b > 0 && v < edge(b) {
            b -= 1;
        } else if b + 1 < bins && v >= edge(b + 1) {
            b += 1;
        }
        counts[b] += c;
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
        Column { name: "x".into(), values: Values::Numeric(v.to_vec()) }
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
        let sorted = Dist::Sorted(vec![0.0, 1.0, 2.0, 3.0, 4.0, 7.0, 10.0]);
        assert!((quantile_of(&sorted, 7, 0.25) - 1.5).abs() < 1e-12);
        let counted = Dist::Counted(vec![
            (0.0, 1),
            (1.0, 1),
            (2.0, 1),
            (3.0, 1),
            (4.0, 1),
            (7.0, 1),
            (10.0, 1),
        ]);
        assert!((quantile_of(&counted, 7, 0.25) - 1.5).abs() < 1e-12);
        assert_eq!(s.histogram.iter().map(|b| b.count).sum::<usize>(), 7);
    }

    #[test]
    fn radix_sort_agrees_with_a_comparison_sort() {
        let mut rng = crate::data::sample::Rng::new(3);
        let mut values: Vec<f64> = (0..20_000)
            .map(|i| {
                let x = (rng.next_u64() % 2_000_001) as f64 - 1_000_000.0;
                match i % 97 {
                    0 => f64::INFINITY,
                    1 => f64::NEG_INFINITY,
                    2 => 0.0,
                    _ => x / 7.0,
                }
            })
            .collect();
        let mut expected = values.clone();
        expected.sort_by(f64::total_cmp);
        sort_floats(&mut values);
        assert_eq!(values, expected);
    }

    #[test]
    fn top_values_come_most_frequent_first_with_ties_in_value_order() {
        let p = profile_column(&numeric(&[3.0, 1.0, 2.0, 2.0, 3.0, 5.0, -0.0, 0.0]));
        let top: Vec<(&str, usize)> = p.top.iter().map(|t| (t.value.as_str(), t.count)).collect();
        assert_eq!(top, [("0", 2), ("2", 2), ("3", 2), ("1", 1), ("5", 1)]);
        assert_eq!(p.distinct, 5);
        let c = Column::categorical(
            "c",
            [Some(1), Some(0), None, Some(1), Some(2)],
            vec!["b".into(), "a".into(), "c".into()],
        );
        let p = profile_column(&c);
        let top: Vec<(&str, usize)> = p.top.iter().map(|t| (t.value.as_str(), t.count)).collect();
        assert_eq!(top, [("a", 2), ("b", 1), ("c", 1)]);
        assert_eq!((p.distinct, p.missing, p.count), (3, 1, 4));
    }

    #[test]
    fn few_distinct_numbers_are_categorical() {
        assert_eq!(
            profile_column(&numeric(&[0.0, 1.0, 0.0, 1.0, 1.0, 0.0])).kind,
            Kind::Categorical
        );
    }
}
