//! A plain in-memory table for statistics, checks and training: each column becomes numbers,
//! category codes or timestamps, with missing values marked in place (NaN, [`MISSING_CODE`],
//! [`MISSING_TIME`]) so a cell costs 8 bytes for numbers and times and 4 for categories.
//!
//! polars reads the file in batches through its streaming engine; each batch is converted and
//! dropped, so the whole file is never held twice. This module decides what each column *is*
//! (the kind rules of the checks reference) and hands the algorithms simple vectors they can
//! index freely. For files too large to hold, [`read_sampled`] keeps a uniform sample of rows
//! and exact running statistics over every row.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, NaiveDateTime};
use polars::prelude::*;

use super::load::{self, LoadError};
use super::sample::Rng;

/// The code of a missing category.
pub const MISSING_CODE: u32 = u32::MAX;
/// The timestamp of a missing time.
pub const MISSING_TIME: i64 = i64::MIN;

/// What a column holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Numbers (integers and floats alike); NaN where missing.
    Numeric(Vec<f64>),
    /// Text values as codes into `levels`; [`MISSING_CODE`] where missing.
    Categorical {
        /// One code per row.
        codes: Vec<u32>,
        /// The distinct texts, in order of first appearance.
        levels: Vec<String>,
    },
    /// Dates and times, as seconds since 1970-01-01 UTC; [`MISSING_TIME`] where missing.
    Time(Vec<i64>),
}

/// One column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header name.
    pub name: String,
    /// The values.
    pub values: Values,
}

impl Column {
    /// A numeric column from optional numbers.
    pub fn numeric(name: &str, values: impl IntoIterator<Item = Option<f64>>) -> Column {
        let v = values.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect();
        Column { name: name.to_owned(), values: Values::Numeric(v) }
    }

    /// A categorical column from optional codes into `levels`.
    pub fn categorical(
        name: &str,
        codes: impl IntoIterator<Item = Option<u32>>,
        levels: Vec<String>,
    ) -> Column {
        let codes = codes.into_iter().map(|c| c.unwrap_or(MISSING_CODE)).collect();
        Column { name: name.to_owned(), values: Values::Categorical { codes, levels } }
    }

    /// A time column from optional timestamps.
    pub fn time(name: &str, values: impl IntoIterator<Item = Option<i64>>) -> Column {
        let v = values.into_iter().map(|t| t.unwrap_or(MISSING_TIME)).collect();
        Column { name: name.to_owned(), values: Values::Time(v) }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match &self.values {
            Values::Numeric(v) => v.len(),
            Values::Categorical { codes, .. } => codes.len(),
            Values::Time(v) => v.len(),
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether row `i` is missing.
    pub fn is_null(&self, i: usize) -> bool {
        match &self.values {
            Values::Numeric(v) => v[i].is_nan(),
            Values::Categorical { codes, .. } => codes[i] == MISSING_CODE,
            Values::Time(v) => v[i] == MISSING_TIME,
        }
    }

    /// Count of missing values.
    pub fn null_count(&self) -> usize {
        match &self.values {
            Values::Numeric(v) => v.iter().filter(|x| x.is_nan()).count(),
            Values::Categorical { codes, .. } => {
                codes.iter().filter(|c| **c == MISSING_CODE).count()
            }
            Values::Time(v) => v.iter().filter(|t| **t == MISSING_TIME).count(),
        }
    }

    /// The value of row `i` as a number: the number, the category code, or the timestamp.
    pub fn as_f64(&self, i: usize) -> Option<f64> {
        match &self.values {
            Values::Numeric(v) => Some(v[i]).filter(|x| !x.is_nan()),
            Values::Categorical { codes, .. } => {
                Some(codes[i]).filter(|c| *c != MISSING_CODE).map(f64::from)
            }
            Values::Time(v) => Some(v[i]).filter(|t| *t != MISSING_TIME).map(|t| t as f64),
        }
    }

    /// A hashable key for row `i`'s value (bit pattern of the number, or the code).
    pub fn key(&self, i: usize) -> Option<u64> {
        match &self.values {
            Values::Numeric(v) => {
                Some(v[i]).filter(|x| !x.is_nan()).map(|x| if x == 0.0 { 0 } else { x.to_bits() })
            }
            Values::Categorical { codes, .. } => {
                Some(codes[i]).filter(|c| *c != MISSING_CODE).map(u64::from)
            }
            Values::Time(v) => Some(v[i]).filter(|t| *t != MISSING_TIME).map(|t| t as u64),
        }
    }

    /// The code of row `i` of a categorical column, `None` when missing or not categorical.
    pub fn code(&self, i: usize) -> Option<u32> {
        match &self.values {
            Values::Categorical { codes, .. } => Some(codes[i]).filter(|c| *c != MISSING_CODE),
            _ => None,
        }
    }

    /// The value of row `i` as text, for messages and for comparing across tables.
    pub fn text(&self, i: usize) -> Option<String> {
        match &self.values {
            Values::Numeric(_) => self.as_f64(i).map(|x| x.to_string()),
            Values::Categorical { codes, levels } => {
                self.code(i).map(|_| levels[codes[i] as usize].clone())
            }
            Values::Time(v) => Some(v[i]).filter(|t| *t != MISSING_TIME).map(|t| t.to_string()),
        }
    }

    /// Number of distinct non-missing values.
    pub fn distinct(&self) -> usize {
        if let Values::Categorical { codes, levels } = &self.values {
            let mut seen = vec![false; levels.len()];
            codes.iter().filter(|c| **c != MISSING_CODE).for_each(|c| seen[*c as usize] = true);
            return seen.into_iter().filter(|s| *s).count();
        }
        let mut keys: Vec<u64> = (0..self.len()).filter_map(|i| self.key(i)).collect();
        keys.sort_unstable();
        keys.dedup();
        keys.len()
    }

    /// True for text columns.
    pub fn is_categorical(&self) -> bool {
        matches!(self.values, Values::Categorical { .. })
    }

    /// Keeps only the rows in `rows`, in that order.
    pub fn take(&self, rows: &[usize]) -> Column {
        let values = match &self.values {
            Values::Numeric(v) => Values::Numeric(rows.iter().map(|&i| v[i]).collect()),
            Values::Categorical { codes, levels } => Values::Categorical {
                codes: rows.iter().map(|&i| codes[i]).collect(),
                levels: levels.clone(),
            },
            Values::Time(v) => Values::Time(rows.iter().map(|&i| v[i]).collect()),
        };
        Column { name: self.name.clone(), values }
    }
}

/// A table of named columns of equal length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// The columns in file order.
    pub columns: Vec<Column>,
}

impl Table {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Column names in order.
    pub fn names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// Keeps only the rows in `rows`.
    pub fn take(&self, rows: &[usize]) -> Table {
        Table { columns: self.columns.iter().map(|c| c.take(rows)).collect() }
    }
}

/// Exact running statistics of one numeric or time column over every row read, kept when the
/// table itself is a sample.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Moments {
    /// Missing values.
    pub missing: u64,
    /// Finite values seen.
    pub n: u64,
    /// Infinite values seen.
    pub infinite: u64,
    /// Values equal to zero.
    pub zeros: u64,
    /// Smallest finite value.
    pub min: f64,
    /// Largest finite value.
    pub max: f64,
    /// Running mean.
    pub mean: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
    /// Sum of cubed deviations from the mean.
    pub m3: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        if x.is_nan() {
            self.missing += 1;
            return;
        }
        if x.is_infinite() {
            self.infinite += 1;
            return;
        }
        if self.n == 0 {
            (self.min, self.max) = (x, x);
        }
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        self.zeros += u64::from(x == 0.0);
        // Terriberry's update of the second and third central moments.
        let n1 = self.n as f64;
        self.n += 1;
        let n = self.n as f64;
        let delta = x - self.mean;
        let delta_n = delta / n;
        let term = delta * delta_n * n1;
        self.mean += delta_n;
        self.m3 += term * delta_n * (n - 2.0) - 3.0 * delta_n * self.m2;
        self.m2 += term;
    }

    /// Sample standard deviation.
    pub fn std(&self) -> f64 {
        if self.n > 1 { (self.m2 / (self.n as f64 - 1.0)).sqrt() } else { 0.0 }
    }

    /// Bias-corrected sample skewness (as pandas).
    pub fn skewness(&self) -> f64 {
        let n = self.n as f64;
        if n <= 2.0 || self.m2 <= 0.0 {
            return 0.0;
        }
        let g1 = (self.m3 / n) / (self.m2 / n).powf(1.5);
        g1 * (n * (n - 1.0)).sqrt() / (n - 2.0)
    }
}

/// What was read besides the table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadSummary {
    /// Rows in the file.
    pub rows: usize,
    /// Exact statistics per column (numbers and times), present when the table is a sample of
    /// fewer rows than the file has.
    pub exact: Vec<Option<Moments>>,
    /// Exact missing values per column over every row.
    pub missing: Vec<usize>,
}

impl ReadSummary {
    /// Whether the table holds fewer rows than the file.
    pub fn sampled(&self, table: &Table) -> bool {
        table.rows() < self.rows
    }
}

/// Rows converted per batch.
const BATCH_ROWS: usize = 65_536;

/// Memory a profile's table may take before rows are sampled, unless `MLWB_PROFILE_MEMORY_MB`
/// says otherwise.
pub const PROFILE_MEMORY: usize = 1 << 30;

/// Reads every row of a CSV or Parquet file into a [`Table`].
pub fn read(path: &Path) -> Result<Table, LoadError> {
    read_sampled(path, usize::MAX).map(|(t, _)| t)
}

/// Reads a file for profiling: every row when the table fits in [`PROFILE_MEMORY`] (or
/// `MLWB_PROFILE_MEMORY_MB`), else a uniform sample of as many rows as fit.
pub fn read_for_profile(path: &Path) -> Result<(Table, ReadSummary), LoadError> {
    let budget = std::env::var("MLWB_PROFILE_MEMORY_MB")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(PROFILE_MEMORY, |mb| mb.saturating_mul(1 << 20));
    read_sampled(path, budget)
}

/// Bytes one row takes in a [`Table`] of this schema (levels of text columns aside).
fn row_bytes(schema: &Schema) -> usize {
    let numeric = |d: &DataType| d.is_primitive_numeric() || d.is_bool();
    schema.iter_values().map(|d| if numeric(d) { 8 } else { 4 }).sum::<usize>().max(1)
}

/// Reads a CSV or Parquet file, keeping at most `max_bytes` worth of rows: beyond that, a
/// uniform sample (seeded, so the same file gives the same sample) plus exact running
/// statistics of every numeric column and exact missing counts of every column.
pub fn read_sampled(path: &Path, max_bytes: usize) -> Result<(Table, ReadSummary), LoadError> {
    let mut lf = load::scan(path)?;
    let schema = lf.collect_schema().map_err(|e| load::polars_err(path, &e))?;
    let fail = |reason: String| LoadError::Polars { path: path.display().to_string(), reason };
    if let Some((name, dtype)) = schema.iter().find(|(_, d)| d.is_nested()) {
        return Err(fail(format!(
            "column {name:?} has nested type {dtype}; flatten it before profiling or checking"
        )));
    }
    let max_rows = max_bytes / row_bytes(&schema);
    // Whether to sample must be known before reading: rows are then kept in file order with
    // sequential appends (random writes into a large table would slow the reader down until
    // the streaming engine piles up batches in memory). A CSV cell takes at least two bytes
    // of the file (a character and a separator) and at most eight in the table, so a CSV
    // under a quarter of the budget always fits. Other files (Parquet is compressed) have
    // their rows counted first, which for Parquet only reads its metadata.
    let csv = load::FileKind::from_path(path) == Some(load::FileKind::Csv);
    let file_bytes = std::fs::metadata(path).map_or(u64::MAX, |m| m.len());
    let sample = if csv && file_bytes.saturating_mul(4) <= max_bytes as u64 {
        None
    } else {
        let (rows, _) = load::shape(path)?;
        let rows = usize::try_from(rows).unwrap_or(usize::MAX);
        (rows > max_rows).then_some((rows, max_rows))
    };
    let builder = Arc::new(Mutex::new(Builder::new(&schema, sample)));
    let sink = Arc::clone(&builder);
    let callback = move |df: DataFrame| -> PolarsResult<bool> {
        let mut b = sink.lock().map_err(|_| polars_err!(ComputeError: "reader thread failed"))?;
        b.push(&df).map_err(|e| polars_err!(ComputeError: "{e}"))?;
        Ok(false)
    };
    let callback: Arc<dyn Fn(DataFrame) -> PolarsResult<bool> + Send + Sync> = Arc::new(callback);
    lf.sink_batches(
        PlanCallback::Rust(SpecialEq::new(callback)),
        true,
        NonZeroUsize::new(BATCH_ROWS),
    )
    .and_then(|plan| plan.collect_with_engine(Engine::Streaming))
    .map_err(|e| load::polars_err(path, &e))?;
    let builder = Arc::try_unwrap(builder)
        .ok()
        .and_then(|m| m.into_inner().ok())
        .ok_or_else(|| fail("the reader did not finish".into()))?;
    Ok(builder.finish())
}

/// Converts a polars frame (every row).
pub fn from_frame(df: &DataFrame) -> Result<Table, String> {
    let mut b = Builder::new(df.schema(), None);
    b.push(df)?;
    Ok(b.finish().0)
}

/// The codes of a text column's levels, found by a 64-bit hash of the text so that each
/// level's text is stored once (in the level list), not again as a key. Two texts with the
/// same hash are told apart by comparing with the stored level; the later one is kept in a
/// small side table by its text.
struct Levels {
    hash: fn(&str) -> u64,
    by_hash: HashMap<u64, u32, foldhash::fast::FixedState>,
    collided: HashMap<String, u32, foldhash::fast::FixedState>,
}

impl Default for Levels {
    fn default() -> Self {
        fn fixed(s: &str) -> u64 {
            use std::hash::BuildHasher as _;
            foldhash::fast::FixedState::default().hash_one(s)
        }
        Levels::with_hash(fixed)
    }
}

impl Levels {
    fn with_hash(hash: fn(&str) -> u64) -> Levels {
        Levels { hash, by_hash: HashMap::default(), collided: HashMap::default() }
    }

    /// The code of `s`, adding it to `levels` the first time it is seen.
    fn code(&mut self, s: &str, levels: &mut Vec<String>) -> u32 {
        let add = |levels: &mut Vec<String>| {
            levels.push(s.to_owned());
            (levels.len() - 1) as u32
        };
        let h = (self.hash)(s);
        match self.by_hash.get(&h) {
            Some(&c) if levels[c as usize] == s => c,
            Some(_) => match self.collided.get(s) {
                Some(&c) => c,
                None => {
                    let c = add(levels);
                    self.collided.insert(s.to_owned(), c);
                    c
                }
            },
            None => {
                let c = add(levels);
                self.by_hash.insert(h, c);
                c
            }
        }
    }
}

enum Acc {
    Numeric(Vec<f64>),
    Text { codes: Vec<u32>, levels: Vec<String>, index: Levels },
}

/// Accumulates batches into columns, keeping every row or a uniform sample of them.
struct Builder {
    names: Vec<String>,
    accs: Vec<Acc>,
    moments: Vec<Option<Moments>>,
    missing: Vec<usize>,
    /// When sampling: rows in the file and rows to keep.
    sample: Option<(usize, usize)>,
    seen: usize,
    kept: usize,
    rng: Rng,
}

impl Builder {
    fn new(schema: &Schema, sample: Option<(usize, usize)>) -> Builder {
        let numeric = |d: &DataType| d.is_primitive_numeric() || d.is_bool();
        Builder {
            names: schema.iter_names().map(|n| n.to_string()).collect(),
            accs: schema
                .iter_values()
                .map(|d| {
                    if numeric(d) {
                        Acc::Numeric(Vec::new())
                    } else {
                        Acc::Text {
                            codes: Vec::new(),
                            levels: Vec::new(),
                            index: Levels::default(),
                        }
                    }
                })
                .collect(),
            moments: schema.iter_values().map(|d| numeric(d).then(Moments::default)).collect(),
            missing: vec![0; schema.len()],
            sample,
            seen: 0,
            kept: 0,
            rng: Rng::new(0x6d6c_7762),
        }
    }

    /// Which rows of the next batch to keep: selection sampling (Knuth's Algorithm S) keeps
    /// each row with probability (rows still wanted) / (rows still to come), which gives
    /// exactly the wanted number of rows, uniformly, in file order.
    fn keep(&mut self, height: usize) -> Vec<bool> {
        let Some((total, want)) = self.sample else { return vec![true; height] };
        (0..height)
            .map(|_| {
                let left = total.saturating_sub(self.seen).max(1);
                self.seen += 1;
                let keep = self.kept < want && self.rng.below(left) < want - self.kept;
                self.kept += usize::from(keep);
                keep
            })
            .collect()
    }

    fn push(&mut self, df: &DataFrame) -> Result<(), String> {
        let sampling = self.sample.is_some();
        let keep = if sampling {
            self.keep(df.height())
        } else {
            self.seen += df.height();
            Vec::new()
        };
        let columns =
            df.columns().iter().zip(&mut self.accs).zip(&mut self.moments).zip(&mut self.missing);
        for (((column, acc), moments), missing) in columns {
            let series = column.as_materialized_series();
            let name = series.name().to_string();
            match acc {
                Acc::Numeric(out) => {
                    let cast = series
                        .cast(&DataType::Float64)
                        .map_err(|e| format!("column {name:?}: {e}"))?;
                    let floats = cast.f64().map_err(|e| format!("column {name:?}: {e}"))?;
                    let values = floats.iter().map(|v| v.unwrap_or(f64::NAN));
                    if !sampling && floats.null_count() == 0 {
                        floats
                            .downcast_iter()
                            .for_each(|chunk| out.extend_from_slice(chunk.values()));
                    } else if !sampling {
                        out.extend(values);
                    } else {
                        for (v, keep) in values.zip(&keep) {
                            if let Some(m) = moments.as_mut() {
                                m.push(v);
                            }
                            *missing += usize::from(v.is_nan());
                            if *keep {
                                out.push(v);
                            }
                        }
                    }
                }
                Acc::Text { codes, levels, index } => {
                    if sampling {
                        *missing += series.null_count();
                    }
                    let cast;
                    let strings = if series.dtype() == &DataType::String {
                        series.str()
                    } else {
                        cast = series
                            .cast(&DataType::String)
                            .map_err(|e| format!("column {name:?}: {e}"))?;
                        cast.str()
                    }
                    .map_err(|e| format!("column {name:?}: {e}"))?;
                    for (k, v) in strings.iter().enumerate() {
                        if sampling && !keep[k] {
                            continue;
                        }
                        codes.push(match v {
                            None => MISSING_CODE,
                            Some(s) => index.code(s, levels),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> (Table, ReadSummary) {
        let sampled = self.sample.is_some();
        let mut exact = Vec::new();
        let columns = self
            .names
            .into_iter()
            .zip(self.accs)
            .zip(self.moments)
            .map(|((name, acc), moments)| {
                exact.push(if sampled { moments } else { None });
                let values = match acc {
                    Acc::Numeric(v) => Values::Numeric(v),
                    Acc::Text { codes, levels, .. } => text_values(codes, levels),
                };
                Column { name, values }
            })
            .collect();
        let table = Table { columns };
        let missing = if sampled {
            self.missing
        } else {
            table.columns.iter().map(Column::null_count).collect()
        };
        (table, ReadSummary { rows: self.seen, exact, missing })
    }
}

/// Text becomes timestamps when every level parses as a date or date-time, else categories.
fn text_values(codes: Vec<u32>, levels: Vec<String>) -> Values {
    let times: Option<Vec<i64>> = levels.iter().map(|l| parse_time(l)).collect();
    match times {
        Some(times) if !levels.is_empty() => Values::Time(
            codes
                .into_iter()
                .map(|c| if c == MISSING_CODE { MISSING_TIME } else { times[c as usize] })
                .collect(),
        ),
        _ => Values::Categorical { codes, levels },
    }
}

/// Seconds since 1970 for `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or the same with a `T`.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() < 10 || !s.as_bytes()[4].eq(&b'-') {
        return None;
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
    }
    let s = s.trim_end_matches('Z');
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc().timestamp());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_datetimes_parse_and_other_text_does_not() {
        assert_eq!(parse_time("1970-01-02"), Some(86_400));
        assert_eq!(parse_time("1970-01-01 00:01"), Some(60));
        assert_eq!(parse_time("1970-01-01T00:00:05Z"), Some(5));
        assert_eq!(parse_time("yes"), None);
        assert_eq!(parse_time("2024-13-45"), None);
    }

    #[test]
    fn text_with_one_unparseable_date_stays_categorical() {
        let levels = vec!["2024-01-01".to_owned(), "soon".to_owned()];
        let v = text_values(vec![0, 1, MISSING_CODE], levels);
        assert!(matches!(v, Values::Categorical { ref levels, .. } if levels.len() == 2));
        let v = text_values(vec![0, MISSING_CODE], vec!["1970-01-02".to_owned()]);
        assert_eq!(v, Values::Time(vec![86_400, MISSING_TIME]));
    }

    #[test]
    fn texts_whose_hashes_collide_keep_their_own_codes() {
        let mut levels = Vec::new();
        let mut index = Levels::with_hash(|_| 7);
        let codes: Vec<u32> =
            ["a", "b", "a", "c", "b"].iter().map(|s| index.code(s, &mut levels)).collect();
        assert_eq!(codes, [0, 1, 0, 2, 1]);
        assert_eq!(levels, ["a", "b", "c"]);
        let mut index = Levels::default();
        let mut levels = Vec::new();
        assert_eq!(index.code("x", &mut levels), index.code("x", &mut levels));
    }

    #[test]
    fn running_moments_match_the_two_pass_values() {
        let xs = [1.0, 2.0, 3.0, 4.0, 10.0, 0.0, 7.0, f64::NAN, f64::INFINITY];
        let mut m = Moments::default();
        xs.iter().for_each(|x| m.push(*x));
        assert_eq!((m.n, m.missing, m.infinite, m.zeros), (7, 1, 1, 1));
        assert_eq!((m.min, m.max), (0.0, 10.0));
        // pandas 2.3: Series([1,2,3,4,10,0,7]).std() and .skew()
        assert!((m.std() - 3.532_165_125_838_609).abs() < 1e-12, "{}", m.std());
        assert!((m.skewness() - 0.927_139_316_434_939_9).abs() < 1e-12, "{}", m.skewness());
    }
}
