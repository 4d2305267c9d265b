//! Train/test splits: random, stratified, grouped by an entity, or by time.

use std::collections::{BTreeMap, HashSet};

use crate::data::sample::{self, Rng};
use crate::data::table::{Column, Table};

/// How rows are divided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitKind {
    /// Uniformly at random.
    Random,
    /// At random within each class of the target, keeping class shares.
    Stratified,
    /// Whole entities (values of a group column) go to one side.
    Group,
    /// The latest rows are the test set.
    Time,
    /// k-fold cross-validation, stratified by the target when it holds classes; the first
    /// fold stands for the split where one train/test pair is needed.
    KFold,
}

impl SplitKind {
    /// Parses the spec's `split.kind`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "random" => Ok(Self::Random),
            "stratified" => Ok(Self::Stratified),
            "group" | "grouped" => Ok(Self::Group),
            "time" | "temporal" => Ok(Self::Time),
            "kfold" | "k-fold" | "cv" => Ok(Self::KFold),
            other => Err(format!(
                "split.kind {other:?} is not one of random, stratified, group, time, kfold"
            )),
        }
    }
}

/// Row indices of the two sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Training rows.
    pub train: Vec<usize>,
    /// Test rows.
    pub test: Vec<usize>,
}

/// Splits `table`; `column` is the group or time column for those kinds.
pub fn split(
    table: &Table,
    target: &str,
    kind: SplitKind,
    test_fraction: f64,
    seed: u64,
    column: Option<&str>,
) -> Result<Split, String> {
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        return Err(format!("split.test_fraction must be between 0 and 1, not {test_fraction}"));
    }
    let n = table.rows();
    let need = |name: &str| {
        table.column(name).ok_or_else(|| format!("split column {name:?} is not in the data"))
    };
    let out = match kind {
        SplitKind::Random => random(n, test_fraction, seed),
        SplitKind::Stratified => stratified(need(target)?, test_fraction, seed),
        SplitKind::Group => {
            let name = column.ok_or("a group split needs split.column (the entity column)")?;
            grouped(need(name)?, test_fraction, seed)
        }
        SplitKind::Time => {
            let name = column.ok_or("a time split needs split.column (the time column)")?;
            by_time(need(name)?, test_fraction)?
        }
        SplitKind::KFold => {
            let folds = kfold(need(target)?, 5, seed, true);
            folds.into_iter().next().ok_or("no rows to split")?
        }
    };
    if out.train.is_empty() || out.test.is_empty() {
        return Err(format!(
            "the split leaves an empty side ({} train, {} test rows); use more data or another test_fraction",
            out.train.len(),
            out.test.len()
        ));
    }
    Ok(out)
}

fn test_count(n: usize, fraction: f64) -> usize {
    ((n as f64 * fraction).round() as usize).clamp(usize::from(n > 1), n.saturating_sub(1))
}

fn finish(mut train: Vec<usize>, mut test: Vec<usize>) -> Split {
    train.sort_unstable();
    test.sort_unstable();
    Split { train, test }
}

fn random(n: usize, fraction: f64, seed: u64) -> Split {
    let order = sample::permutation(n, seed);
    let k = test_count(n, fraction);
    finish(order[k..].to_vec(), order[..k].to_vec())
}

fn stratified(target: &Column, fraction: f64, seed: u64) -> Split {
    let mut by_class: BTreeMap<Option<u64>, Vec<usize>> = BTreeMap::new();
    for i in 0..target.len() {
        by_class.entry(target.key(i)).or_default().push(i);
    }
    let mut rng = Rng::new(seed);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for rows in by_class.values_mut() {
        sample::shuffle(rows, &mut rng);
        let k = ((rows.len() as f64) * fraction).round() as usize;
        test.extend_from_slice(&rows[..k]);
        train.extend_from_slice(&rows[k..]);
    }
    finish(train, test)
}

fn grouped(groups: &Column, fraction: f64, seed: u64) -> Split {
    let mut rows_of: BTreeMap<Option<u64>, Vec<usize>> = BTreeMap::new();
    for i in 0..groups.len() {
        rows_of.entry(groups.key(i)).or_default().push(i);
    }
    let mut keys: Vec<Option<u64>> = rows_of.keys().copied().collect();
    sample::shuffle(&mut keys, &mut Rng::new(seed));
    let wanted = (groups.len() as f64 * fraction).round() as usize;
    let mut test_groups = HashSet::new();
    let mut taken = 0;
    for k in &keys {
        if taken >= wanted {
            break;
        }
        taken += rows_of[k].len();
        test_groups.insert(*k);
    }
    let (test, train): (Vec<usize>, Vec<usize>) =
        (0..groups.len()).partition(|&i| test_groups.contains(&groups.key(i)));
    finish(train, test)
}

/// The latest rows form the test set; rows sharing the boundary timestamp all go to test, so
/// one moment never straddles the split.
fn by_time(time: &Column, fraction: f64) -> Result<Split, String> {
    let mut rows: Vec<(f64, usize)> = Vec::with_capacity(time.len());
    for i in 0..time.len() {
        let t = time.as_f64(i).ok_or_else(|| {
            format!(
                "time column {:?} is empty on row {}; a time split needs every row dated",
                time.name,
                i + 2
            )
        })?;
        rows.push((t, i));
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut cut = rows.len() - test_count(rows.len(), fraction);
    while cut > 0 && rows[cut - 1].0 == rows[cut].0 {
        cut -= 1;
    }
    let train = rows[..cut].iter().map(|r| r.1).collect();
    let test = rows[cut..].iter().map(|r| r.1).collect();
    Ok(finish(train, test))
}

/// `k` folds: every row is in exactly one test side. With `stratify`, each class is dealt
/// across the folds in turn so every fold keeps the class shares.
pub fn kfold(target: &Column, k: usize, seed: u64, stratify: bool) -> Vec<Split> {
    let n = target.len();
    let k = k.clamp(2, n.max(2));
    let order = sample::permutation(n, seed);
    let mut fold_of = vec![0usize; n];
    if stratify && target.is_categorical() {
        let mut seen: BTreeMap<Option<u64>, usize> = BTreeMap::new();
        for &i in &order {
            let c = seen.entry(target.key(i)).or_default();
            fold_of[i] = *c % k;
            *c += 1;
        }
    } else {
        for (pos, &i) in order.iter().enumerate() {
            fold_of[i] = pos % k;
        }
    }
    (0..k)
        .map(|f| {
            let (test, train): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| fold_of[i] == f);
            Split { train, test }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::Values;
    use proptest::prelude::*;

    fn codes(name: &str, v: &[u32]) -> Column {
        let levels = (0..=v.iter().copied().max().unwrap_or(0)).map(|i| i.to_string()).collect();
        Column { name: name.into(), values: Values::Categorical { codes: v.to_vec(), levels } }
    }

    proptest! {
        #[test]
        fn a_grouped_split_never_puts_one_entity_on_both_sides(
            groups in prop::collection::vec(0u32..30, 2..300), seed in any::<u64>(), frac in 0.1f64..0.9
        ) {
            let table = Table { columns: vec![codes("g", &groups)] };
            if let Ok(s) = split(&table, "g", SplitKind::Group, frac, seed, Some("g")) {
                let train: HashSet<u32> = s.train.iter().map(|&i| groups[i]).collect();
                prop_assert!(s.test.iter().all(|&i| !train.contains(&groups[i])));
                prop_assert_eq!(s.train.len() + s.test.len(), groups.len());
            }
        }

        #[test]
        fn a_time_split_puts_every_test_row_after_every_train_row(
            times in prop::collection::vec(0i64..50, 2..200), frac in 0.1f64..0.9
        ) {
            let col = Column { name: "t".into(), values: Values::Time(times.to_vec()) };
            let table = Table { columns: vec![col] };
            if let Ok(s) = split(&table, "t", SplitKind::Time, frac, 0, Some("t")) {
                let last_train = s.train.iter().map(|&i| times[i]).max().unwrap_or(i64::MIN);
                prop_assert!(s.test.iter().all(|&i| times[i] > last_train));
            }
        }
    }

    proptest! {
        #[test]
        fn k_folds_partition_the_rows(labels in prop::collection::vec(0u32..3, 2..200), k in 2usize..8, seed in any::<u64>()) {
            let target = codes("y", &labels);
            let folds = kfold(&target, k, seed, true);
            let mut seen = vec![0; labels.len()];
            for f in &folds {
                f.test.iter().for_each(|&i| seen[i] += 1);
                prop_assert_eq!(f.train.len() + f.test.len(), labels.len());
            }
            prop_assert!(seen.iter().all(|&n| n == 1));
        }
    }

    #[test]
    fn stratified_keeps_class_shares() {
        let y: Vec<u32> = (0..1000).map(|i| u32::from(i % 4 == 0)).collect();
        let table = Table { columns: vec![codes("y", &y)] };
        let s = split(&table, "y", SplitKind::Stratified, 0.2, 1, None)
            .unwrap_or_else(|e| panic!("{e}"));
        let pos = s.test.iter().filter(|&&i| y[i] == 1).count();
        assert_eq!(s.test.len(), 200);
        assert_eq!(pos, 50);
    }
}
