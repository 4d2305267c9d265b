//! Data quality alerts on a profiled table (definitions and defaults of the checks reference):
//! missing, zeros, infinite, constant, unique, high cardinality, imbalance, skewed, high
//! correlation, duplicates, conflicting labels, mixed types and string variants.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::stats;

use crate::data::profile::{ColumnProfile, Kind, order_key, parallel_map};
use crate::data::table::{Column, MISSING_CODE, MISSING_TIME, Table, Values};

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

/// The profile of a data file: statistics of every column and the quality alerts.
#[derive(Debug, Clone)]
pub struct FileProfile {
    /// The rows read (every row, or a uniform sample of a file too large to hold).
    pub table: Table,
    /// Rows in the file.
    pub rows: usize,
    /// Rows in the sample the distributions come from, when the file was sampled.
    pub sample_rows: Option<usize>,
    /// One profile per column.
    pub columns: Vec<ColumnProfile>,
    /// Quality alerts, most serious first.
    pub alerts: Vec<Alert>,
    /// The target used for the label checks, when it exists in the file.
    pub target: Option<String>,
}

/// Reads and profiles a data file, keeping `only` columns when given; `target` (when the file
/// has it) enables the label checks. Files too large for the profile's memory budget are
/// sampled (see [`crate::data::table::read_for_profile`]).
pub fn profile_file(
    path: &std::path::Path,
    only: &[String],
    target: Option<&str>,
) -> anyhow::Result<FileProfile> {
    let (mut table, mut summary) = crate::data::table::read_for_profile(path)?;
    if !only.is_empty() {
        if let Some(bad) = only.iter().find(|c| table.column(c).is_none()) {
            anyhow::bail!(
                "{}: no column {bad:?}; its columns are {}",
                path.display(),
                table.names().join(", ")
            );
        }
        let keep: Vec<bool> = table.columns.iter().map(|c| only.contains(&c.name)).collect();
        let mut k = keep.iter();
        table.columns.retain(|_| k.next().copied().unwrap_or(false));
        let mut k = keep.iter();
        summary.exact.retain(|_| k.next().copied().unwrap_or(false));
        let mut k = keep.iter();
        summary.missing.retain(|_| k.next().copied().unwrap_or(false));
    }
    if table.columns.is_empty() || table.rows() == 0 {
        anyhow::bail!(
            "{}: no rows to profile (the file has a header only, or is empty)",
            path.display()
        );
    }
    let target = target.filter(|t| table.column(t).is_some()).map(str::to_owned);
    let mut columns = crate::data::profile::profile(&table);
    let alerts = alerts(&table, &columns, target.as_deref());
    let sample_rows = summary.sampled(&table).then(|| table.rows());
    if sample_rows.is_some() {
        crate::data::profile::apply_exact(&mut columns, &summary);
    }
    Ok(FileProfile { rows: summary.rows, sample_rows, table, columns, alerts, target })
}

/// Every alert for a table and its column profiles; `target` enables the label checks.
pub fn alerts(table: &Table, profiles: &[ColumnProfile], target: Option<&str>) -> Vec<Alert> {
    let mut out: Vec<Alert> = Vec::new();
    for (column, p) in table.columns.iter().zip(profiles) {
        out.extend(column_alerts(column, p, table.rows()));
    }
    // Whole-row checks on one thread while the pairwise correlations take the others.
    let (rows, pairs) = std::thread::scope(|scope| {
        let rows = scope.spawn(|| row_alerts(table, target));
        let pairs = correlations(table, profiles);
        (rows.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), pairs)
    });
    out.extend(pairs);
    out.extend(rows);
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
    let counts: Vec<f64> = match &column.values {
        Values::Categorical { codes, levels } => {
            let mut per_code = vec![0.0; levels.len()];
            codes.iter().filter(|c| **c != MISSING_CODE).for_each(|c| per_code[*c as usize] += 1.0);
            per_code.into_iter().filter(|n| *n > 0.0).collect()
        }
        _ => {
            let mut per_key: HashMap<u64, f64> = HashMap::new();
            (0..column.len()).filter_map(|i| column.key(i)).for_each(|k| {
                *per_key.entry(k).or_default() += 1.0;
            });
            per_key.into_values().collect()
        }
    };
    let k = counts.len() as f64;
    if k < 2.0 {
        return 0.0;
    }
    let n: f64 = counts.iter().sum();
    let h: f64 = counts.iter().map(|c| c / n).map(|p| -p * p.log2()).sum();
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
    codes.iter().filter(|c| **c != MISSING_CODE).for_each(|c| per_level[*c as usize] += 1);
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
    let mut dense: HashMap<u64, u32, foldhash::fast::FixedState> = HashMap::default();
    let mut code_of = |k: Option<u64>| match k {
        Some(k) => {
            let next = dense.len() as u32;
            *dense.entry(k).or_insert(next)
        }
        None => stats::MISSING,
    };
    if !numeric {
        let codes = (0..column.len()).map(|i| code_of(column.key(i))).collect();
        return Prepared {
            name: &column.name,
            numeric,
            ranks: Vec::new(),
            codes,
            levels: dense.len(),
        };
    }
    // One ordering of the present rows gives both the average ranks (Spearman) and the decile
    // edges (Cramér's V with a categorical). Ranks are taken over the column's present values
    // once; pairs then skip rows where either side is missing, which with gaps differs slightly
    // from re-ranking every pair.
    let mut keyed: Vec<(u64, u32)> = values
        .iter()
        .enumerate()
        // -0.0 and 0.0 are one value: they must share a key to share a rank.
        .filter_map(|(i, v)| v.map(|x| (order_key(if x == 0.0 { 0.0 } else { x }), i as u32)))
        .collect();
    keyed.sort_unstable();
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i as usize).collect();
    let value = |i: usize| values[i].unwrap_or(f64::NAN);
    let mut ranks = vec![f64::NAN; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && value(order[j]) == value(order[i]) {
            j += 1;
        }
        let rank = (i + j - 1) as f64 / 2.0 + 1.0;
        order[i..j].iter().for_each(|&k| ranks[k] = rank);
        i = j;
    }
    let n = order.len();
    let edges: Vec<f64> = if n == 0 {
        Vec::new()
    } else {
        (1..10).map(|d| value(order[(d * n / 10).min(n - 1)])).collect()
    };
    let codes = values
        .iter()
        .map(|v| code_of(v.map(|x| edges.iter().filter(|e| x > **e).count() as u64)))
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
    let prepared: Vec<Prepared> = parallel_map(&sampled, |(c, k)| prepare(c, *k));
    let pairs: Vec<(usize, usize)> =
        (0..prepared.len()).flat_map(|i| (i + 1..prepared.len()).map(move |j| (i, j))).collect();
    let found = parallel_map(&pairs, |&(i, j)| {
        let (a, b) = (&prepared[i], &prepared[j]);
        let (method, value) = if a.numeric && b.numeric {
            ("spearman", stats::pearson_present(&a.ranks, &b.ranks).map(f64::abs))
        } else if a.levels.saturating_mul(b.levels) <= 4_000_000 {
            ("cramers_v", stats::cramers_v_dense(&a.codes, a.levels, &b.codes, b.levels))
        } else {
            return None;
        };
        value.filter(|v| *v >= 0.9).map(|v| {
            alert(
                "high_correlation",
                Level::Warning,
                &[a.name, b.name],
                &[(method, v)],
                format!("{:?} and {:?} carry the same information; keep one.", a.name, b.name),
            )
        })
    });
    found.into_iter().flatten().collect()
}

/// Mixes one more 64-bit value into a running hash (the SplitMix64 finalizer over the sum).
fn mix(h: u64, v: u64) -> u64 {
    let mut z = h.rotate_left(5) ^ v.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The key of every row's value, missing included, ready to mix.
fn keys_of(c: &Column) -> Vec<u64> {
    const MISSING: u64 = 0x5EED_0F15_51A6;
    match &c.values {
        Values::Numeric(v) => v
            .iter()
            .map(|x| match x {
                x if x.is_nan() => MISSING,
                x if *x == 0.0 => 0,
                x => x.to_bits(),
            })
            .collect(),
        Values::Categorical { codes, .. } => codes
            .iter()
            .map(|k| if *k == MISSING_CODE { MISSING } else { u64::from(*k) << 1 })
            .collect(),
        Values::Time(v) => {
            v.iter().map(|t| if *t == MISSING_TIME { MISSING } else { *t as u64 }).collect()
        }
    }
}

/// One hash per row over the columns other than `skip`, built a column at a time.
fn row_hashes(table: &Table, skip: Option<&str>) -> Vec<u64> {
    let mut hashes = vec![0u64; table.rows()];
    for c in table.columns.iter().filter(|c| Some(c.name.as_str()) != skip) {
        hashes.iter_mut().zip(keys_of(c)).for_each(|(h, k)| *h = mix(*h, k));
    }
    hashes
}

/// Duplicated rows and, with a target, rows whose features agree while their labels differ.
fn row_alerts(table: &Table, target: Option<&str>) -> Vec<Alert> {
    let y = target.and_then(|t| table.column(t));
    let features = row_hashes(table, y.map(|c| c.name.as_str()));
    let mut out = Vec::new();
    match y {
        Some(y) => {
            let labels = keys_of(y);
            let whole: Vec<u64> = features.iter().zip(&labels).map(|(h, k)| mix(*h, *k)).collect();
            out.extend(duplicates(table.rows(), duplicate_rows(whole)));
            out.extend(conflicting_labels(&y.name, conflicting_rows(&features, &labels)));
        }
        None => out.extend(duplicates(table.rows(), duplicate_rows(features))),
    }
    out
}

/// Rows that repeat an earlier row exactly.
fn duplicate_rows(mut hashes: Vec<u64>) -> usize {
    let n = hashes.len();
    hashes.sort_unstable();
    hashes.dedup();
    n - hashes.len()
}

fn duplicates(rows: usize, dup: usize) -> Option<Alert> {
    if dup == 0 {
        return None;
    }
    let share = dup as f64 / rows.max(1) as f64;
    let level = if share > 0.05 { Level::Warning } else { Level::Info };
    Some(alert(
        "duplicates",
        level,
        &[],
        &[("rows", dup as f64), ("share", share)],
        "Remove duplicated rows before splitting, or they land on both sides.".into(),
    ))
}

/// Rows whose features equal another row's while the label differs.
fn conflicting_rows(features: &[u64], labels: &[u64]) -> usize {
    let mut pairs: Vec<(u64, u64)> = features.iter().copied().zip(labels.iter().copied()).collect();
    pairs.sort_unstable();
    let mut conflicting = 0;
    let mut i = 0;
    while i < pairs.len() {
        let mut j = i + 1;
        while j < pairs.len() && pairs[j].0 == pairs[i].0 {
            j += 1;
        }
        if pairs[j - 1].1 != pairs[i].1 {
            conflicting += j - i;
        }
        i = j;
    }
    conflicting
}

fn conflicting_labels(target: &str, conflicting: usize) -> Option<Alert> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[(f64, &str, &str)]) -> Table {
        let mut levels: Vec<String> = Vec::new();
        let mut code = |s: &str| {
            let at = levels.iter().position(|l| l == s).unwrap_or_else(|| {
                levels.push(s.to_owned());
                levels.len() - 1
            });
            Some(at as u32)
        };
        let a: Vec<Option<u32>> = rows.iter().map(|r| code(r.1)).collect();
        let b: Vec<Option<u32>> = rows.iter().map(|r| code(r.2)).collect();
        Table {
            columns: vec![
                Column::numeric("x", rows.iter().map(|r| Some(r.0))),
                Column::categorical("c", a, levels.clone()),
                Column::categorical("y", b, levels),
            ],
        }
    }

    #[test]
    fn duplicates_and_conflicting_labels_are_counted_by_row() {
        let t = table(&[
            (1.0, "a", "yes"),
            (1.0, "a", "yes"),
            (1.0, "a", "no"),
            (2.0, "a", "no"),
            (2.0, "b", "no"),
            (2.0, "b", "no"),
            (2.0, "b", "no"),
        ]);
        // Rows 2 and 6, 7 repeat earlier rows exactly.
        assert_eq!(duplicate_rows(row_hashes(&t, None)), 3);
        // The three rows with x = 1, c = a disagree on y; the others agree.
        let labels = keys_of(&t.columns[2]);
        assert_eq!(conflicting_rows(&row_hashes(&t, Some("y")), &labels), 3);
        let alerts = alerts(&t, &crate::data::profile::profile(&t), Some("y"));
        let conflict = alerts.iter().find(|a| a.alert == "conflicting_labels");
        assert_eq!(conflict.map(|a| a.evidence["rows"]), Some(3.0));
        assert_eq!(
            alerts.iter().find(|a| a.alert == "duplicates").map(|a| a.evidence["rows"]),
            Some(3.0)
        );
    }

    #[test]
    fn a_missing_value_is_a_value_of_its_own_in_row_hashes() {
        let t = Table {
            columns: vec![
                Column::numeric("x", [Some(0.0), None, Some(0.0)]),
                Column::numeric("z", [None, Some(0.0), None]),
            ],
        };
        assert_eq!(duplicate_rows(row_hashes(&t, None)), 1);
    }
}
