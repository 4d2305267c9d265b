//! Data quality alerts on a profiled table (definitions and defaults of the checks reference):
//! missing, zeros, infinite, constant, unique, high cardinality, imbalance, skewed, high
//! correlation, duplicates, conflicting labels, mixed types and string variants.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use serde::{Deserialize, Serialize};

use super::stats;

use crate::data::profile::{ColumnProfile, Kind};
use crate::data::table::{Column, Table, Values};

/// How serious an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Worth knowing.
    Info,
    /// Worth fixing.
    Warning,
    /// Must be fixed before training.
    Error,
}

impl Level {
    /// Lower-case label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Alert name, such as `missing`.
    pub alert: String,
    /// How serious.
    pub level: Level,
    /// Columns involved.
    pub columns: Vec<String>,
    /// The numbers behind it.
    pub evidence: BTreeMap<String, f64>,
    /// What to do.
    pub fix: String,
}

/// Rows used for pairwise correlations, drawn evenly from larger tables.
pub const CORRELATION_SAMPLE: usize = 100_000;

fn alert(
    name: &str,
    level: Level,
    columns: &[&str],
    evidence: &[(&str, f64)],
    fix: String,
) -> Alert {
    Alert {
        alert: name.into(),
        level,
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        evidence: evidence.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        fix,
    }
}

/// Every alert for a table and its column profiles; `target` enables the label checks.
pub fn alerts(table: &Table, profiles: &[ColumnProfile], target: Option<&str>) -> Vec<Alert> {
    let mut out: Vec<Alert> = Vec::new();
    for (column, p) in table.columns.iter().zip(profiles) {
        out.extend(column_alerts(column, p, table.rows()));
    }
    out.extend(correlations(table, profiles));
    out.extend(duplicates(table));
    if let Some(t) = target {
        out.extend(conflicting_labels(table, t));
    }
    out.sort_by(|a, b| b.level.cmp(&a.level).then(a.columns.cmp(&b.columns)));
    out
}

fn column_alerts(column: &Column, p: &ColumnProfile, rows: usize) -> Vec<Alert> {
    let name = p.name.as_str();
    let mut out = Vec::new();
    let n = rows.max(1) as f64;
    if p.kind == Kind::Empty {
        out.push(alert(
            "constant",
            Level::Warning,
            &[name],
            &[("missing", p.missing as f64)],
            format!("{name:?} is empty on every row; drop it."),
        ));
        return out;
    }
    let missing = p.missing as f64 / n;
    if missing > 0.01 {
        out.push(alert(
            "missing",
            Level::Warning,
            &[name],
            &[("share", missing), ("rows", p.missing as f64)],
            format!("Impute {name:?} inside the training split, or find out why it is missing."),
        ));
    }
    if let Some(s) = &p.numeric {
        let zeros = s.zeros as f64 / p.count.max(1) as f64;
        if zeros > 0.01 && p.kind == Kind::Numeric {
            out.push(alert(
                "zeros",
                Level::Info,
                &[name],
                &[("share", zeros)],
                format!(
                    "Check that zeros in {name:?} are real values, not a stand-in for missing."
                ),
            ));
        }
        if s.infinite > 0 && s.infinite as f64 / n > 0.01 {
            out.push(alert(
                "infinite",
                Level::Warning,
                &[name],
                &[("rows", s.infinite as f64)],
                format!("Replace infinite values in {name:?}."),
            ));
        }
        if s.skewness.abs() > 20.0 {
            out.push(alert(
                "skewed",
                Level::Warning,
                &[name],
                &[("skewness", s.skewness)],
                format!("Consider a log transform of {name:?}."),
            ));
        }
    }
    if p.distinct == 1 {
        out.push(alert(
            "constant",
            Level::Warning,
            &[name],
            &[("distinct", 1.0)],
            format!("{name:?} has a single value; it cannot help a model. Drop it."),
        ));
    }
    if p.distinct == rows && p.missing == 0 && rows > 1 {
        out.push(alert(
            "unique",
            Level::Info,
            &[name],
            &[("distinct", p.distinct as f64)],
            format!("{name:?} is unique on every row, like an id: exclude it from the features."),
        ));
    }
    if matches!(p.kind, Kind::Categorical | Kind::Text)
        && column.is_categorical()
        && p.distinct > 50
        && p.distinct < rows
    {
        out.push(alert(
            "high_cardinality",
            Level::Warning,
            &[name],
            &[("distinct", p.distinct as f64)],
            format!("Group rare values of {name:?}, or encode it differently."),
        ));
    }
    if p.kind == Kind::Categorical && p.distinct > 1 {
        let imbalance = imbalance(column);
        if imbalance > 0.5 {
            out.push(alert("imbalance", Level::Warning, &[name], &[("imbalance", imbalance)], format!("{name:?} is dominated by few values; for a target, use stratified splits and balanced metrics.")));
        }
    }
    if let Some(a) = mixed_types(column) {
        out.push(a);
    }
    if let Some(a) = string_variants(column) {
        out.push(a);
    }
    out
}

/// 1 − H(p) / log2(k) over the category shares.
pub fn imbalance(column: &Column) -> f64 {
    let mut counts: HashMap<u64, f64> = HashMap::new();
    for i in 0..column.len() {
        if let Some(k) = column.key(i) {
            *counts.entry(k).or_default() += 1.0;
        }
    }
    let k = counts.len() as f64;
    if k < 2.0 {
        return 0.0;
    }
    let n: f64 = counts.values().sum();
    let h: f64 = counts.values().map(|c| c / n).map(|p| -p * p.log2()).sum();
    1.0 - h / k.log2()
}

fn value_type(s: &str) -> &'static str {
    if s.parse::<i64>().is_ok() {
        "integer"
    } else if s.parse::<f64>().is_ok() {
        "number"
    } else if crate::data::table::parse_time(s).is_some() {
        "date"
    } else if matches!(s.to_lowercase().as_str(), "true" | "false") {
        "boolean"
    } else {
        "text"
    }
}

fn mixed_types(column: &Column) -> Option<Alert> {
    let Values::Categorical { codes, levels } = &column.values else { return None };
    let mut per_level = vec![0usize; levels.len()];
    codes.iter().flatten().for_each(|c| per_level[*c as usize] += 1);
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for (level, n) in levels.iter().zip(&per_level) {
        *by_type.entry(value_type(level)).or_default() += n;
    }
    let total: usize = by_type.values().sum();
    let (rare, count) = by_type.iter().min_by_key(|(_, n)| **n).map(|(t, n)| (*t, *n))?;
    let share = count as f64 / total.max(1) as f64;
    (by_type.len() > 1 && share > 0.01 && share < 0.1).then(|| {
        alert("mixed_types", Level::Warning, &[&column.name], &[("rare_type_share", share)], format!("{:?} mostly holds one type but {:.1}% of rows are {rare}; clean them or read them as missing.", column.name, share * 100.0))
    })
}

fn normalize(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn string_variants(column: &Column) -> Option<Alert> {
    let Values::Categorical { levels, .. } = &column.values else { return None };
    if levels.len() > 10_000 {
        return None;
    }
    let mut groups: HashMap<String, Vec<&str>> = HashMap::new();
    for l in levels {
        groups.entry(normalize(l)).or_default().push(l);
    }
    let mut variants: Vec<Vec<&str>> = groups.into_values().filter(|g| g.len() > 1).collect();
    variants.sort();
    let first = variants.first()?;
    Some(alert(
        "string_variants",
        Level::Warning,
        &[&column.name],
        &[("groups", variants.len() as f64)],
        format!(
            "{:?} spells one value several ways ({}); normalize them.",
            column.name,
            first.join(" / ")
        ),
    ))
}

/// A column prepared once for every pair it enters: ranks for Spearman, dense codes for
/// Cramér's V (deciles for numbers).
struct Prepared<'a> {
    name: &'a str,
    numeric: bool,
    ranks: Vec<f64>,
    codes: Vec<u32>,
    levels: usize,
}

fn prepare<'a>(column: &'a Column, kind: Kind) -> Prepared<'a> {
    let numeric = kind == Kind::Numeric;
    let values: Vec<Option<f64>> = (0..column.len()).map(|i| column.as_f64(i)).collect();
    // Ranks are taken over the column's present values once; pairs then skip rows where either
    // side is missing. With gaps this differs slightly from re-ranking every pair.
    let ranks = if numeric {
        let present: Vec<f64> = values.iter().flatten().copied().collect();
        let mut ranked = stats::average_ranks(&present).into_iter();
        values
            .iter()
            .map(|v| if v.is_some() { ranked.next().unwrap_or(f64::NAN) } else { f64::NAN })
            .collect()
    } else {
        Vec::new()
    };
    let raw: Vec<Option<u64>> = if numeric {
        stats::quantile_codes(&values, 10)
    } else {
        (0..column.len()).map(|i| column.key(i)).collect()
    };
    let mut dense: HashMap<u64, u32> = HashMap::new();
    let codes = raw
        .iter()
        .map(|k| match k {
            Some(k) => {
                let next = dense.len() as u32;
                *dense.entry(*k).or_insert(next)
            }
            None => stats::MISSING,
        })
        .collect();
    Prepared { name: &column.name, numeric, ranks, codes, levels: dense.len() }
}

fn correlations(table: &Table, profiles: &[ColumnProfile]) -> Vec<Alert> {
    let step = (table.rows() / CORRELATION_SAMPLE).max(1);
    let rows: Vec<usize> = (0..table.rows()).step_by(step).collect();
    let sampled: Vec<(Column, Kind)> = table
        .columns
        .iter()
        .zip(profiles)
        .filter(|(_, p)| {
            matches!(p.kind, Kind::Numeric | Kind::Categorical)
                && p.distinct > 1
                && p.distinct < table.rows()
        })
        .map(|(c, p)| (c.take(&rows), p.kind))
        .collect();
    let prepared: Vec<Prepared> = sampled.iter().map(|(c, k)| prepare(c, *k)).collect();
    let mut out = Vec::new();
    for i in 0..prepared.len() {
        for j in i + 1..prepared.len() {
            let (a, b) = (&prepared[i], &prepared[j]);
            let (method, value) = if a.numeric && b.numeric {
                ("spearman", stats::pearson_present(&a.ranks, &b.ranks).map(f64::abs))
            } else if a.levels.saturating_mul(b.levels) <= 4_000_000 {
                ("cramers_v", stats::cramers_v_dense(&a.codes, a.levels, &b.codes, b.levels))
            } else {
                continue;
            };
            if let Some(v) = value.filter(|v| *v >= 0.9) {
                out.push(alert(
                    "high_correlation",
                    Level::Warning,
                    &[a.name, b.name],
                    &[(method, v)],
                    format!("{:?} and {:?} carry the same information; keep one.", a.name, b.name),
                ));
            }
        }
    }
    out
}

fn row_hash(table: &Table, i: usize, skip: Option<&str>) -> u64 {
    let mut h = DefaultHasher::new();
    for c in table.columns.iter().filter(|c| Some(c.name.as_str()) != skip) {
        c.key(i).hash(&mut h);
    }
    h.finish()
}

fn duplicates(table: &Table) -> Option<Alert> {
    let mut seen = HashSet::with_capacity(table.rows());
    let dup = (0..table.rows()).filter(|&i| !seen.insert(row_hash(table, i, None))).count();
    if dup == 0 {
        return None;
    }
    let share = dup as f64 / table.rows().max(1) as f64;
    let level = if share > 0.05 { Level::Warning } else { Level::Info };
    Some(alert(
        "duplicates",
        level,
        &[],
        &[("rows", dup as f64), ("share", share)],
        "Remove duplicated rows before splitting, or they land on both sides.".into(),
    ))
}

fn conflicting_labels(table: &Table, target: &str) -> Option<Alert> {
    let y = table.column(target)?;
    let mut labels: HashMap<u64, HashSet<Option<u64>>> = HashMap::new();
    let mut rows_of: HashMap<u64, usize> = HashMap::new();
    for i in 0..table.rows() {
        let h = row_hash(table, i, Some(target));
        labels.entry(h).or_default().insert(y.key(i));
        *rows_of.entry(h).or_default() += 1;
    }
    let conflicting: usize =
        labels.iter().filter(|(_, l)| l.len() > 1).map(|(h, _)| rows_of[h]).sum();
    (conflicting > 0).then(|| {
        alert("conflicting_labels", Level::Error, &[target], &[("rows", conflicting as f64)], "Rows with identical features carry different labels; find out which label is right, or add the feature that tells them apart.".into())
    })
}

/// The quality alerts of one dataset version, kept so the workflow can tell whether
/// preparation is done (`checks/<dataset>-<hash8>.quality.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualitySummary {
    /// Workspace format version of this file.
    #[serde(default)]
    pub format: crate::workspace::files::Format,
    /// The dataset.
    pub dataset: String,
    /// BLAKE3 of the data file profiled.
    pub hash: String,
    /// When it was profiled.
    pub created: chrono::DateTime<chrono::Utc>,
    /// The alerts.
    pub alerts: Vec<Alert>,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl QualitySummary {
    /// Error-level alerts.
    pub fn errors(&self) -> usize {
        self.alerts.iter().filter(|a| a.level == Level::Error).count()
    }
}

/// `checks/<dataset>-<hash8>.quality.json`.
pub fn summary_path(
    ws: &crate::workspace::Workspace,
    dataset: &str,
    hash: &str,
) -> std::path::PathBuf {
    ws.checks_dir()
        .join(format!("{dataset}-{}.quality.json", crate::data::versions::short_hash(hash)))
}

/// Saves the alerts of a workspace dataset's current version.
pub fn save_summary(
    ws: &crate::workspace::Workspace,
    dataset: &str,
    hash: &str,
    alerts: &[Alert],
) -> anyhow::Result<()> {
    std::fs::create_dir_all(ws.checks_dir())?;
    let summary = QualitySummary {
        format: crate::workspace::files::Format::default(),
        dataset: dataset.to_owned(),
        hash: hash.to_owned(),
        created: chrono::Utc::now(),
        alerts: alerts.to_vec(),
        extra: serde_json::Map::new(),
    };
    crate::workspace::atomic::write_json(&summary_path(ws, dataset, hash), &summary)?;
    Ok(())
}
