//! Leakage checks on a dataset, on a train/test pair, or on what an experiment would train on.
//!
//! Every finding says what was found, the numbers, why it matters and the fix. Names that
//! merely suggest the future are questions (info); identifiers are recognised by behaviour,
//! not by name.

use std::collections::{BTreeSet, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use super::finding::{Finding, Kind, Severity, Thresholds};
use super::pps::{self, Pps};
use super::stats;
use crate::data::table::{Column, Table, Values};

/// What the checks need to know beyond the data.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The target column.
    pub target: String,
    /// Columns used as features; empty means every column but the target.
    pub features: Vec<String>,
    /// Columns known not to exist when predicting (from the card or the problem).
    pub unavailable: BTreeSet<String>,
    /// The entity column, if any.
    pub group_column: Option<String>,
    /// The time column, if any.
    pub time_column: Option<String>,
    /// True when the split is by time (temporal overlap is then high).
    pub time_split: bool,
}

/// Why the checks could not run at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// The target is not a column.
    #[error("target column {target:?} is not in the data; its columns are: {columns}")]
    NoTarget {
        /// The missing name.
        target: String,
        /// The columns there are.
        columns: String,
    },
    /// A named column is missing.
    #[error("{role} column {name:?} is not in the data")]
    NoColumn {
        /// What the column was for.
        role: &'static str,
        /// The missing name.
        name: String,
    },
    /// The time column does not hold dates.
    #[error(
        "time column {name:?} does not hold dates or times (for example {example:?}); use YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS]"
    )]
    NotTime {
        /// The column.
        name: String,
        /// A value that did not parse.
        example: String,
    },
    /// Train and test do not have the same columns.
    #[error(
        "train and test have different columns: only in train: [{train_only}]; only in test: [{test_only}]"
    )]
    ColumnsDiffer {
        /// Columns only in train.
        train_only: String,
        /// Columns only in test.
        test_only: String,
    },
}

/// Findings and scores of one run of the checks.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// pps(feature → target), highest first.
    pub pps: Vec<Pps>,
}

const FUTURE_WORDS: [&str; 9] = [
    "after",
    "outcome",
    "result",
    "refund",
    "cancel",
    "closed",
    "churn_date",
    "final",
    "resolution",
];

fn finding(
    check: &str,
    kind: Kind,
    severity: Severity,
    columns: &[&str],
    evidence: &[(&str, f64)],
    why: &str,
    fix: String,
) -> Finding {
    Finding {
        check: check.to_owned(),
        kind,
        severity,
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        evidence: evidence.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        why: why.to_owned(),
        fix,
    }
}

fn feature_names<'a>(table: &'a Table, ctx: &'a Context) -> Vec<&'a str> {
    if ctx.features.is_empty() {
        table.names().into_iter().filter(|n| *n != ctx.target).collect()
    } else {
        ctx.features.iter().map(String::as_str).filter(|n| *n != ctx.target).collect()
    }
}

fn require<'a>(table: &'a Table, name: &str, role: &'static str) -> Result<&'a Column, CheckError> {
    table.column(name).ok_or_else(|| CheckError::NoColumn { role, name: name.to_owned() })
}

/// Checks one dataset: every feature against the target, identifiers, the row order, and
/// availability at prediction time.
pub fn check_dataset(table: &Table, ctx: &Context, t: &Thresholds) -> Result<Outcome, CheckError> {
    let target = table.column(&ctx.target).ok_or_else(|| CheckError::NoTarget {
        target: ctx.target.clone(),
        columns: table.names().join(", "),
    })?;
    for f in &ctx.features {
        require(table, f, "feature")?;
    }
    let mut out = Outcome::default();
    if let Some(problem) = target_problem(table, target) {
        out.findings.push(problem);
        return Ok(out);
    }
    for name in feature_names(table, ctx) {
        let Some(column) = table.column(name) else { continue };
        let (score, found) = check_feature(column, target, ctx, t);
        out.findings.extend(found);
        out.pps.extend(score);
    }
    out.findings.extend(row_order(table, target, t));
    sort(&mut out);
    Ok(out)
}

fn sort(out: &mut Outcome) {
    out.findings.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then(a.columns.cmp(&b.columns)).then(a.check.cmp(&b.check))
    });
    out.pps.sort_by(|a, b| b.pps.total_cmp(&a.pps).then(a.x.cmp(&b.x)));
}

fn target_problem(table: &Table, target: &Column) -> Option<Finding> {
    let name = target.name.as_str();
    let present = target.len() - target.null_count();
    let (why, fix, evidence): (&str, String, Vec<(&str, f64)>) = if table.rows() < 2 * pps::FOLDS {
        (
            "With this few rows no model can be trained or checked; every score would be noise.",
            format!("Collect more rows (at least {}).", 2 * pps::FOLDS),
            vec![("rows", table.rows() as f64)],
        )
    } else if present == 0 {
        (
            "The target is empty on every row, so there is nothing to learn or to check against.",
            format!(
                "Check that {name:?} is the right target column and that the file was read correctly."
            ),
            vec![("rows", table.rows() as f64), ("missing", target.len() as f64)],
        )
    } else if target.distinct() < 2 {
        (
            "The target has a single value: a model can only repeat it, and no feature can predict anything.",
            "Use data that contains every outcome, or reconsider the target.".to_owned(),
            vec![("distinct", target.distinct() as f64)],
        )
    } else {
        return None;
    };
    Some(finding("target", Kind::DataProblem, Severity::High, &[name], &evidence, why, fix))
}

/// Unique on every row with nothing missing: how identifiers behave.
fn looks_like_identifier(column: &Column) -> bool {
    let unique = column.null_count() == 0 && column.distinct() == column.len();
    let integral = match &column.values {
        Values::Numeric(v) => v.iter().filter(|x| !x.is_nan()).all(|x| x.fract() == 0.0),
        Values::Categorical { .. } => true,
        Values::Time(_) => false,
    };
    unique && integral && column.len() > 1
}

fn check_feature(
    column: &Column,
    target: &Column,
    ctx: &Context,
    t: &Thresholds,
) -> (Option<Pps>, Vec<Finding>) {
    let name = column.name.as_str();
    let mut found = Vec::new();
    if column.null_count() == column.len() {
        found.push(finding(
            "empty_column",
            Kind::DataProblem,
            Severity::Info,
            &[name],
            &[("missing", column.len() as f64)],
            "The column is empty on every row; it cannot help or leak, but it costs attention.",
            format!("Drop {name:?}."),
        ));
        return (None, found);
    }
    if ctx.unavailable.contains(name) {
        found.push(finding(
            "prediction_time",
            Kind::NotAvailableAtPrediction,
            Severity::High,
            &[name],
            &[],
            "The dataset card or the problem says this value is not known when a prediction is made. A model trained on it will look good in testing and fail in use.",
            format!("Exclude {name:?} from the features."),
        ));
    }
    if let Some(f) = suspicious_name(name, &ctx.target) {
        found.push(f);
    }
    let score = pps::score(column, target);
    if looks_like_identifier(column) {
        if score.pps > t.identifier_pps {
            found.push(finding(
                "identifier",
                Kind::IdentifierLeakage,
                Severity::High,
                &[name],
                &[("pps", score.pps), ("distinct_share", 1.0)],
                "This column is unique on every row, like an identifier, yet it predicts the target. Identifiers carry no real signal; when they predict, the ids were assigned in an order that follows the outcome (for example, numbered after sorting), and the model would learn the numbering.",
                format!("Drop {name:?} from the features, and check how the ids were assigned."),
            ));
        }
        return (Some(score), found);
    }
    let association = association(column, target);
    let high_pps = score.pps >= t.pps_high;
    let proxy = association.is_some_and(|a| a >= t.proxy);
    let severity = if high_pps || proxy {
        Some(Severity::High)
    } else if score.pps >= t.pps_medium {
        Some(Severity::Medium)
    } else {
        None
    };
    if let Some(severity) = severity {
        let mut evidence = vec![("pps", score.pps)];
        if let Some(a) = association {
            evidence.push(("association", a));
        }
        let check = if proxy && !high_pps { "target_proxy" } else { "pps" };
        found.push(finding(
            check,
            Kind::TargetLeakage,
            severity,
            &[name],
            &evidence,
            "This single column predicts the target almost perfectly. Real signals are rarely that clean: usually the value was recorded after the outcome, or it is the outcome under another name. Such a model collapses once the column is only as good as it really is at prediction time.",
            format!("Find out when {name:?} is recorded. If it is not known before the prediction, exclude it or mark it unavailable at prediction time on the card."),
        ));
    }
    (Some(score), found)
}

/// Spearman (numeric pairs) or bias-corrected Cramér's V (a category involved), absolute.
pub fn association(x: &Column, y: &Column) -> Option<f64> {
    let numeric = |c: &Column| !c.is_categorical() && c.distinct() > 5;
    if numeric(x) && numeric(y) {
        let a: Vec<Option<f64>> = (0..x.len()).map(|i| x.as_f64(i)).collect();
        let b: Vec<Option<f64>> = (0..y.len()).map(|i| y.as_f64(i)).collect();
        return stats::spearman(&a, &b).map(f64::abs);
    }
    let codes = |c: &Column| -> Vec<Option<u64>> {
        if numeric(c) {
            let v: Vec<Option<f64>> = (0..c.len()).map(|i| c.as_f64(i)).collect();
            stats::quantile_codes(&v, 10)
        } else {
            (0..c.len()).map(|i| c.key(i)).collect()
        }
    };
    stats::cramers_v(&codes(x), &codes(y))
}

fn suspicious_name(name: &str, target: &str) -> Option<Finding> {
    let lower = name.to_lowercase();
    let hit = FUTURE_WORDS.iter().find(|w| lower.contains(*w)).map(|w| (*w).to_owned()).or_else(
        || {
            let t = target.to_lowercase();
            (t.len() >= 3 && lower.contains(&t)).then_some(t)
        },
    )?;
    Some(finding(
        "suspicious_name",
        Kind::NotAvailableAtPrediction,
        Severity::Info,
        &[name],
        &[],
        "The name suggests something that happens after the outcome, or names the target. That is only a question: many such columns are fine.",
        format!(
            "Confirm that {name:?} (it contains {hit:?}) is known when the prediction is made; if not, mark it unavailable at prediction time."
        ),
    ))
}

/// Whether the row order itself predicts the target (a file sorted by the outcome).
fn row_order(table: &Table, target: &Column, t: &Thresholds) -> Option<Finding> {
    let index = Column {
        name: "(row order)".into(),
        values: Values::Numeric((0..table.rows()).map(|i| i as f64).collect()),
    };
    let score = pps::score(&index, target);
    (score.pps > t.identifier_pps).then(|| {
        finding(
            "row_order",
            Kind::IdentifierLeakage,
            Severity::High,
            &[],
            &[("pps", score.pps)],
            "The position of a row in the file predicts the target: the file is ordered by something tied to the outcome. A split that keeps the order, or a feature derived from it, leaks the answer.",
            "Shuffle before a random split, or split by time on purpose and say so in the spec.".to_owned(),
        )
    })
}

/// Checks a train/test pair: overlap of rows, entities and time, unseen values, and how each
/// feature's predictive power changes between the sides. The dataset checks run on train.
pub fn check_split(
    train: &Table,
    test: &Table,
    ctx: &Context,
    t: &Thresholds,
) -> Result<Outcome, CheckError> {
    same_columns(train, test)?;
    let mut out = check_dataset(train, ctx, t)?;
    if out.findings.iter().any(|f| f.kind == Kind::DataProblem && f.check == "target") {
        return Ok(out);
    }
    out.findings.extend(row_overlap(train, test, t));
    if let Some(g) = &ctx.group_column {
        out.findings.extend(group_overlap(require(train, g, "group")?, require(test, g, "group")?));
    }
    if let Some(c) = &ctx.time_column {
        let (a, b) = (timed(require(train, c, "time")?)?, timed(require(test, c, "time")?)?);
        out.findings.extend(time_overlap(a, b, ctx.time_split));
    }
    for name in feature_names(train, ctx).into_iter().chain([ctx.target.as_str()]) {
        if let (Some(a), Some(b)) = (train.column(name), test.column(name)) {
            out.findings.extend(new_values(a, b, name == ctx.target));
        }
    }
    out.findings.extend(pps_change(train, test, ctx, t));
    sort(&mut out);
    Ok(out)
}

fn same_columns(train: &Table, test: &Table) -> Result<(), CheckError> {
    let a: BTreeSet<&str> = train.names().into_iter().collect();
    let b: BTreeSet<&str> = test.names().into_iter().collect();
    if a == b {
        return Ok(());
    }
    let only = |x: &BTreeSet<&str>, y: &BTreeSet<&str>| {
        x.difference(y).copied().collect::<Vec<_>>().join(", ")
    };
    Err(CheckError::ColumnsDiffer { train_only: only(&a, &b), test_only: only(&b, &a) })
}

/// A hash of a whole row by column name, comparable across tables whose codes differ.
fn row_hash(table: &Table, order: &[&str], i: usize) -> u64 {
    let mut h = DefaultHasher::new();
    for name in order {
        if let Some(c) = table.column(name) {
            match &c.values {
                Values::Categorical { codes, levels } => {
                    c.code(i).map(|_| &levels[codes[i] as usize]).hash(&mut h)
                }
                _ => c.key(i).hash(&mut h),
            }
        }
    }
    h.finish()
}

fn row_overlap(train: &Table, test: &Table, t: &Thresholds) -> Option<Finding> {
    let mut order = train.names();
    order.sort_unstable();
    let seen: HashSet<u64> = (0..train.rows()).map(|i| row_hash(train, &order, i)).collect();
    let dup = (0..test.rows()).filter(|&i| seen.contains(&row_hash(test, &order, i))).count();
    if dup == 0 || test.rows() == 0 {
        return None;
    }
    let share = dup as f64 / test.rows() as f64;
    let severity = if share > t.row_overlap_high { Severity::High } else { Severity::Medium };
    Some(finding(
        "row_overlap",
        Kind::TrainTestOverlap,
        severity,
        &[],
        &[("test_rows_in_train", dup as f64), ("share", share)],
        "Some test rows also appear in the training data. The model has seen their answers, so the test score overstates how it will do on new rows.",
        "Remove duplicates before splitting, or drop the repeated rows from the test set."
            .to_owned(),
    ))
}

fn text_set(c: &Column) -> HashSet<String> {
    (0..c.len()).filter_map(|i| c.text(i)).collect()
}

fn group_overlap(train: &Column, test: &Column) -> Option<Finding> {
    let seen = text_set(train);
    let test_groups = text_set(test);
    let shared = test_groups.iter().filter(|g| seen.contains(*g)).count();
    if shared == 0 {
        return None;
    }
    let name = train.name.as_str();
    Some(finding(
        "group_overlap",
        Kind::GroupLeakage,
        Severity::High,
        &[name],
        &[
            ("entities_on_both_sides", shared as f64),
            ("share_of_test_entities", shared as f64 / test_groups.len().max(1) as f64),
        ],
        "The same entities appear on both sides of the split. The model can recognise them instead of learning something that carries over to entities it has never seen.",
        format!("Use a grouped split on {name:?} (split.kind = \"group\")."),
    ))
}

/// The column itself when it holds dates or numbers, else an error quoting a bad value.
fn timed(c: &Column) -> Result<&Column, CheckError> {
    if !c.is_categorical() {
        return Ok(c);
    }
    let example = (0..c.len())
        .find_map(|i| c.text(i).filter(|v| crate::data::table::parse_time(v).is_none()));
    Err(CheckError::NotTime { name: c.name.clone(), example: example.unwrap_or_default() })
}

fn time_overlap(train: &Column, test: &Column, time_split: bool) -> Vec<Finding> {
    let times = |c: &Column| (0..c.len()).filter_map(|i| c.as_f64(i)).collect::<Vec<f64>>();
    let (a, b) = (times(train), times(test));
    let Some(last_train) = a.iter().copied().reduce(f64::max) else { return Vec::new() };
    let name = train.name.as_str();
    let mut out = Vec::new();
    let earlier = b.iter().filter(|t| **t < last_train).count();
    if earlier > 0 {
        out.push(finding(
            "temporal_overlap",
            Kind::TemporalLeakage,
            if time_split { Severity::High } else { Severity::Medium },
            &[name],
            &[("test_rows_before_last_train_time", earlier as f64), ("share", earlier as f64 / b.len().max(1) as f64)],
            "Some test rows are dated before the last training row. In use the model only ever predicts the future; testing on the past lets it use what happened later.",
            format!("Split by time on {name:?}: train on earlier rows, test on later ones."),
        ));
    }
    let train_times: HashSet<u64> = a.iter().map(|t| t.to_bits()).collect();
    let same = b.iter().filter(|t| train_times.contains(&t.to_bits())).count();
    if same > 0 {
        out.push(finding(
            "same_timestamp",
            Kind::TemporalLeakage,
            Severity::Medium,
            &[name],
            &[("test_rows_sharing_a_train_timestamp", same as f64)],
            "Test rows share exact timestamps with training rows; events recorded together often share their outcome.",
            format!("Cut the split between distinct values of {name:?}."),
        ));
    }
    out
}

fn new_values(train: &Column, test: &Column, is_target: bool) -> Option<Finding> {
    if !train.is_categorical() {
        return None;
    }
    let seen = text_set(train);
    let unseen: BTreeSet<String> =
        (0..test.len()).filter_map(|i| test.text(i)).filter(|v| !seen.contains(v)).collect();
    if unseen.is_empty() {
        return None;
    }
    let rows =
        (0..test.len()).filter(|&i| test.text(i).is_some_and(|v| unseen.contains(&v))).count();
    let name = train.name.as_str();
    let (check, why) = if is_target {
        (
            "new_labels",
            "The test set has target values training never saw; the model cannot predict them, and the score mixes two different problems.",
        )
    } else {
        (
            "new_categories",
            "The test set has values of this column that training never saw; the model handles them blind, so the test score does not show how it was trained to behave.",
        )
    };
    Some(finding(
        check,
        Kind::DistributionShift,
        Severity::Medium,
        &[name],
        &[("unseen_values", unseen.len() as f64), ("test_rows", rows as f64)],
        why,
        format!(
            "Check why {name:?} has new values ({}); use a stratified split, or an explicit unknown bucket.",
            preview(&unseen)
        ),
    ))
}

fn preview(values: &BTreeSet<String>) -> String {
    let shown: Vec<&str> = values.iter().take(3).map(String::as_str).collect();
    let more = values.len().saturating_sub(shown.len());
    if more > 0 { format!("{} and {more} more", shown.join(", ")) } else { shown.join(", ") }
}

fn pps_change(train: &Table, test: &Table, ctx: &Context, t: &Thresholds) -> Vec<Finding> {
    let (Some(ty), Some(sy)) = (train.column(&ctx.target), test.column(&ctx.target)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for name in feature_names(train, ctx) {
        let (Some(a), Some(b)) = (train.column(name), test.column(name)) else { continue };
        if looks_like_identifier(a) {
            continue;
        }
        let (pa, pb) = (pps::score(a, ty).pps, pps::score(b, sy).pps);
        if (pa - pb).abs() >= t.pps_change {
            out.push(finding(
                "pps_change",
                Kind::DistributionShift,
                Severity::Medium,
                &[name],
                &[("pps_train", pa), ("pps_test", pb)],
                "This feature predicts the target much better on one side of the split than on the other. Either the sides come from different populations or the feature behaves differently over time.",
                format!("Compare how {name:?} was collected in each part; prefer a split that matches how the model will be used."),
            ));
        }
    }
    out
}
