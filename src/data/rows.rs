//! Rows for the table view: the first rows at once, then the whole file, sorted on request.
//! Cells are turned into text only when they are drawn.

use std::path::Path;

use polars::prelude::*;

use super::load::{self, LoadError};

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
