//! A plain in-memory table for statistics, checks and training: each column becomes numbers,
//! category codes or timestamps, with missing values kept as `None`.
//!
//! polars reads the file; this module decides what each column *is* (the kind rules of the
//! checks reference) and hands the algorithms simple vectors they can index freely.
//!
//! Shortcoming: the whole file is read into memory, and each cell takes 16 bytes here next to
//! polars' own frame while converting, so peak memory is about four times the CSV size and
//! files larger than memory cannot be profiled or checked yet. This goes away when columns are
//! converted one at a time with NaN for missing numbers, and statistics stream through polars'
//! lazy engine.

use std::collections::HashMap;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use polars::prelude::*;

use super::load::{self, LoadError};

/// What a column holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Numbers (integers and floats alike).
    Numeric(Vec<Option<f64>>),
    /// Text values as codes into `levels`.
    Categorical {
        /// One code per row.
        codes: Vec<Option<u32>>,
        /// The distinct texts, in order of first appearance.
        levels: Vec<String>,
    },
    /// Dates and times, as seconds since 1970-01-01 UTC.
    Time(Vec<Option<i64>>),
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
            Values::Numeric(v) => v[i].is_none(),
            Values::Categorical { codes, .. } => codes[i].is_none(),
            Values::Time(v) => v[i].is_none(),
        }
    }

    /// Count of missing values.
    pub fn null_count(&self) -> usize {
        (0..self.len()).filter(|&i| self.is_null(i)).count()
    }

    /// The value of row `i` as a number: the number, the category code, or the timestamp.
    pub fn as_f64(&self, i: usize) -> Option<f64> {
        match &self.values {
            Values::Numeric(v) => v[i],
            Values::Categorical { codes, .. } => codes[i].map(f64::from),
            Values::Time(v) => v[i].map(|t| t as f64),
        }
    }

    /// A hashable key for row `i`'s value (bit pattern of the number, or the code).
    pub fn key(&self, i: usize) -> Option<u64> {
        match &self.values {
            Values::Numeric(v) => v[i].map(|x| if x == 0.0 { 0 } else { x.to_bits() }),
            Values::Categorical { codes, .. } => codes[i].map(u64::from),
            Values::Time(v) => v[i].map(|t| t as u64),
        }
    }

    /// The value of row `i` as text, for messages and for comparing across tables.
    pub fn text(&self, i: usize) -> Option<String> {
        match &self.values {
            Values::Numeric(v) => v[i].map(|x| x.to_string()),
            Values::Categorical { codes, levels } => codes[i].map(|c| levels[c as usize].clone()),
            Values::Time(v) => v[i].map(|t| t.to_string()),
        }
    }

    /// Number of distinct non-missing values.
    pub fn distinct(&self) -> usize {
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

/// Reads a CSV or Parquet file into a [`Table`].
pub fn read(path: &Path) -> Result<Table, LoadError> {
    let df = load::scan(path)?.collect().map_err(|e| load::polars_err(path, &e))?;
    from_frame(&df).map_err(|reason| LoadError::Polars { path: path.display().to_string(), reason })
}

/// Converts a polars frame.
pub fn from_frame(df: &DataFrame) -> Result<Table, String> {
    let columns = df
        .columns()
        .iter()
        .map(|c| convert(c.as_materialized_series()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Table { columns })
}

fn convert(series: &Series) -> Result<Column, String> {
    let name = series.name().to_string();
    let dtype = series.dtype();
    let values = if dtype.is_primitive_numeric() || dtype.is_bool() {
        let cast = series.cast(&DataType::Float64).map_err(|e| format!("column {name:?}: {e}"))?;
        let floats = cast.f64().map_err(|e| format!("column {name:?}: {e}"))?;
        Values::Numeric(floats.iter().collect())
    } else if dtype == &DataType::String {
        let strings = series.str().map_err(|e| format!("column {name:?}: {e}"))?;
        text_values(&strings.iter().collect::<Vec<_>>())
    } else if dtype.is_nested() {
        return Err(format!(
            "column {name:?} has nested type {dtype}; flatten it before profiling or checking"
        ));
    } else {
        let cast = series.cast(&DataType::String).map_err(|e| format!("column {name:?}: {e}"))?;
        let strings = cast.str().map_err(|e| format!("column {name:?}: {e}"))?;
        text_values(&strings.iter().collect::<Vec<_>>())
    };
    Ok(Column { name, values })
}

/// Text becomes timestamps when every value parses as a date or date-time, else categories.
fn text_values(values: &[Option<&str>]) -> Values {
    let any = values.iter().any(Option::is_some);
    if any && values.iter().flatten().all(|s| parse_time(s).is_some()) {
        return Values::Time(values.iter().map(|v| v.and_then(parse_time)).collect());
    }
    let mut index: HashMap<&str, u32> = HashMap::new();
    let mut levels = Vec::new();
    let codes = values
        .iter()
        .map(|v| {
            v.map(|s| {
                *index.entry(s).or_insert_with(|| {
                    levels.push(s.to_owned());
                    (levels.len() - 1) as u32
                })
            })
        })
        .collect();
    Values::Categorical { codes, levels }
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
        let v = text_values(&[Some("2024-01-01"), Some("soon"), None]);
        assert!(matches!(v, Values::Categorical { ref levels, .. } if levels.len() == 2));
    }
}
