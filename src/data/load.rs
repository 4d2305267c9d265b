//! Opening data files with polars: CSV and Parquet, lazily so large files stay cheap.

use std::path::Path;

use polars::prelude::*;

/// The data file formats mlwb reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Comma-separated text with a header row.
    Csv,
    /// Apache Parquet.
    Parquet,
}

impl FileKind {
    /// The kind a file name's extension implies, if it is one mlwb reads.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Self::Csv),
            "parquet" | "pq" => Some(Self::Parquet),
            _ => None,
        }
    }
}

/// Why a data file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The extension is not one mlwb reads.
    #[error("{0}: not a CSV or Parquet file (by its extension)")]
    UnknownKind(String),
    /// polars refused the file.
    #[error("{path}: {reason}")]
    Polars {
        /// The file.
        path: String,
        /// polars' reason, on one line.
        reason: String,
    },
}

impl LoadError {
    /// The reason alone, without the path, for messages that name the file themselves.
    pub fn reason(&self) -> String {
        match self {
            Self::UnknownKind(_) => "not a CSV or Parquet file (by its extension)".to_owned(),
            Self::Polars { reason, .. } => reason.clone(),
        }
    }
}

/// A polars error on `path`, explained for people.
pub fn polars_err(path: &Path, e: &PolarsError) -> LoadError {
    let reason = explain(&crate::workspace::files::one_line(&e.to_string()));
    LoadError::Polars { path: path.display().to_string(), reason }
}

/// Rewrites polars' messages for the common bad files into what happened and what to do.
fn explain(reason: &str) -> String {
    let hint = if reason.contains("more fields than defined") {
        "a row has more fields than the header; fix the ragged rows, or quote values that contain commas"
    } else if reason.contains("invalid utf-8") {
        "the file is not UTF-8 text; convert it first (for example: iconv -f latin1 -t utf-8)"
    } else if reason.contains("empty CSV") || reason.contains("no data") {
        "the file is empty"
    } else {
        return reason.to_owned();
    };
    hint.to_owned()
}

/// A CSV whose first bytes contain NUL is some binary file with a `.csv` name.
fn looks_binary(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 4096];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    head[..n].contains(&0)
}

/// A lazy scan of a CSV or Parquet file.
pub fn scan(path: &Path) -> Result<LazyFrame, LoadError> {
    let kind = FileKind::from_path(path)
        .ok_or_else(|| LoadError::UnknownKind(path.display().to_string()))?;
    let source = PlRefPath::try_from_path(path).map_err(|e| polars_err(path, &e))?;
    if kind == FileKind::Csv && looks_binary(path) {
        return Err(LoadError::Polars {
            path: path.display().to_string(),
            reason: "this looks like a binary file, not CSV text; check that it is the right file"
                .into(),
        });
    }
    let lf = match kind {
        FileKind::Csv => LazyCsvReader::new(source).with_has_header(true).finish(),
        FileKind::Parquet => LazyFrame::scan_parquet(source, ScanArgsParquet::default()),
    };
    lf.map_err(|e| polars_err(path, &e))
}

/// Rows (without the header) and columns of a data file.
pub fn shape(path: &Path) -> Result<(u64, u64), LoadError> {
    let mut lf = scan(path)?;
    let cols = lf.collect_schema().map_err(|e| polars_err(path, &e))?.len() as u64;
    let counted = lf.select([len().alias("rows")]).collect().map_err(|e| polars_err(path, &e))?;
    let rows = counted
        .column("rows")
        .ok()
        .and_then(|c| c.get(0).ok())
        .and_then(|v| v.extract::<u64>())
        .unwrap_or(0);
    Ok((rows, cols))
}

/// Column names of a data file, in file order.
pub fn column_names(path: &Path) -> Result<Vec<String>, LoadError> {
    let mut lf = scan(path)?;
    let schema = lf.collect_schema().map_err(|e| polars_err(path, &e))?;
    Ok(schema.iter_names().map(|n| n.to_string()).collect())
}

/// The first `n` rows of a data file, materialized.
pub fn head(path: &Path, n: u32) -> Result<DataFrame, LoadError> {
    scan(path)?.limit(n).collect().map_err(|e| polars_err(path, &e))
}
