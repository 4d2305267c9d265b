//! Rows for the table view: the first rows at once, then the whole file, sorted on request.
//! Cells are turned into text only when they are drawn.

use std::path::Path;

use polars::prelude::*;

use super::load::{self, LoadError};
use crate::query::{Expr, Op};

/// Rows read first, so the table appears before the whole file is in memory.
pub const PREVIEW_ROWS: u32 = 200;

/// The first `PREVIEW_ROWS` rows.
pub fn head(path: &Path) -> Result<DataFrame, LoadError> {
    load::head(path, PREVIEW_ROWS)
}

/// Every row, sorted by `sort` (column, descending) when given.
pub fn all(path: &Path, sort: Option<(&str, bool)>) -> Result<DataFrame, LoadError> {
    let mut lf = load::scan(path)?;
    if let Some((column, descending)) = sort {
        let options =
            SortMultipleOptions::default().with_order_descending(descending).with_nulls_last(true);
        lf = lf.sort([column], options);
    }
    lf.collect().map_err(|e| load::polars_err(path, &e))
}

/// The text of one cell; empty for a missing value.
pub fn cell(df: &DataFrame, column: usize, row: usize) -> String {
    let Some(c) = df.columns().get(column) else { return String::new() };
    match c.get(row) {
        Ok(AnyValue::Null) | Err(_) => String::new(),
        Ok(AnyValue::String(s)) => s.to_owned(),
        Ok(v) => v.to_string(),
    }
}

/// Column names in order.
pub fn names(df: &DataFrame) -> Vec<String> {
    df.get_column_names().iter().map(|n| n.to_string()).collect()
}

/// Keeps the rows where `expr` (the [`crate::query`] language over column names) holds.
/// Numbers compare as numbers, everything else as text; a missing value never matches.
pub fn filter(df: &DataFrame, expr: &Expr) -> Result<DataFrame, String> {
    let keep = mask(df, expr)?;
    df.filter(&keep).map_err(|e| e.to_string())
}

fn column<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Series, String> {
    df.column(name)
        .map(|c| c.as_materialized_series())
        .map_err(|_| format!("no column {name:?}; the columns are {}", names(df).join(", ")))
}

/// A true/false per row, missing values counted as false.
fn mask(df: &DataFrame, expr: &Expr) -> Result<BooleanChunked, String> {
    let fill = |m: BooleanChunked| m.fill_null_with_values(false).map_err(|e| e.to_string());
    Ok(match expr {
        Expr::And(a, b) => &mask(df, a)? & &mask(df, b)?,
        Expr::Or(a, b) => &mask(df, a)? | &mask(df, b)?,
        Expr::Not(a) => !&mask(df, a)?,
        Expr::Range(name, lo, hi) => {
            let s = numbers(column(df, name)?, name)?;
            fill(&s.gt_eq(*lo) & &s.lt_eq(*hi))?
        }
        Expr::Matches(name, re) => {
            let s = column(df, name)?.cast(&DataType::String).map_err(|e| e.to_string())?;
            let text = s.str().map_err(|e| e.to_string())?;
            text.iter().map(|v| v.is_some_and(|v| re.is_match(v))).collect()
        }
        Expr::Compare(name, op, value) => {
            let s = column(df, name)?;
            if s.dtype().is_primitive_numeric() {
                let want: f64 = value.parse().map_err(|_| {
                    format!("{name:?} holds numbers; compare it with a number, not {value:?}")
                })?;
                let x = numbers(s, name)?;
                fill(match op {
                    Op::Eq => x.equal(want),
                    Op::Ne => x.not_equal(want),
                    Op::Lt => x.lt(want),
                    Op::Le => x.lt_eq(want),
                    Op::Gt => x.gt(want),
                    Op::Ge => x.gt_eq(want),
                })?
            } else {
                let s = s.cast(&DataType::String).map_err(|e| e.to_string())?;
                let text = s.str().map_err(|e| e.to_string())?;
                let test = |v: &str| match op {
                    Op::Eq => v == value,
                    Op::Ne => v != value,
                    Op::Lt => v < value.as_str(),
                    Op::Le => v <= value.as_str(),
                    Op::Gt => v > value.as_str(),
                    Op::Ge => v >= value.as_str(),
                };
                text.iter().map(|v| v.is_some_and(test)).collect()
            }
        }
    })
}

fn numbers(s: &Series, name: &str) -> Result<Float64Chunked, String> {
    if !s.dtype().is_primitive_numeric() {
        return Err(format!("{name:?} holds text; a range needs a column of numbers"));
    }
    let cast = s.cast(&DataType::Float64).map_err(|e| e.to_string())?;
    cast.f64().cloned().map_err(|e| e.to_string())
}
