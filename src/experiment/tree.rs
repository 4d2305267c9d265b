//! A deterministic CART decision tree for classification (Gini) and regression (squared
//! error).
//!
//! mlwb carries its own tree because the predictive power score and `mlwb reproduce` need
//! results that are identical on every run, and because linfa-trees 0.8 has no regression
//! tree and was measured to vary from run to run on the same data. Ties are broken by feature
//! index, then threshold, so the same rows always give the same tree.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

/// What the tree learns.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// Class indices in `0..n_classes`.
    Classes {
        /// One class per row.
        y: &'a [u32],
        /// Number of classes.
        n_classes: usize,
    },
    /// Real values.
    Values(&'a [f64]),
}

/// Growth limits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TreeParams {
    /// Deepest level, `None` for unlimited.
    pub max_depth: Option<usize>,
    /// Fewest rows a leaf may hold.
    pub min_samples_leaf: usize,
    /// Fewest rows a node needs to be split.
    pub min_samples_split: usize,
    /// Features tried at each split, chosen at random; `None` tries all (random forests
    /// use fewer).
    #[serde(default)]
    pub max_features: Option<usize>,
    /// Seed of the feature choice.
    #[serde(default)]
    pub seed: u64,
}

impl Default for TreeParams {
    fn default() -> Self {
        Self {
            max_depth: None,
            min_samples_leaf: 1,
            min_samples_split: 2,
            max_features: None,
            seed: 0,
        }
    }
}

/// A node of the fitted tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Node {
    /// A prediction.
    Leaf {
        /// Class shares (classification) or the single mean (regression).
        value: Vec<f64>,
        /// Training rows that reached the leaf.
        samples: usize,
    },
    /// A test `x[feature] <= threshold`.
    Split {
        /// Feature index.
        feature: usize,
        /// Threshold.
        threshold: f64,
        /// Node index when the test holds.
        left: usize,
        /// Node index otherwise.
        right: usize,
    },
}

/// A fitted tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    /// Nodes; the root is node 0.
    pub nodes: Vec<Node>,
    /// Number of features it was fitted on.
    pub n_features: usize,
    /// Number of classes; 0 for regression.
    pub n_classes: usize,
    /// Total impurity decrease per feature, normalized to sum to 1.
    pub importances: Vec<f64>,
}

/// Features as columns: `x[feature][row]`, no missing values.
pub type Columns<'a> = &'a [Vec<f64>];

struct Stats {
    counts: Vec<f64>,
    sum: f64,
    sum_sq: f64,
    n: f64,
}

impl Stats {
    fn new(n_classes: usize) -> Self {
        Self { counts: vec![0.0; n_classes], sum: 0.0, sum_sq: 0.0, n: 0.0 }
    }

    fn add(&mut self, target: &Target, row: usize, sign: f64) {
        self.n += sign;
        match target {
            Target::Classes { y, .. } => self.counts[y[row] as usize] += sign,
            Target::Values(v) => {
                self.sum += sign * v[row];
                self.sum_sq += sign * v[row] * v[row];
            }
        }
    }

    /// Impurity times the number of rows: Gini × n, or the sum of squared errors.
    fn weighted_impurity(&self, classification: bool) -> f64 {
        if self.n <= 0.0 {
            return 0.0;
        }
        if classification {
            let sq: f64 = self.counts.iter().map(|c| c * c).sum();
            self.n - sq / self.n
        } else {
            (self.sum_sq - self.sum * self.sum / self.n).max(0.0)
        }
    }
}

struct Best {
    feature: usize,
    threshold: f64,
    decrease: f64,
}

impl Tree {
    /// Fits a tree on `rows` of `x`.
    pub fn fit(x: Columns, target: Target, rows: &[usize], params: &TreeParams) -> Tree {
        let never = AtomicBool::new(false);
        Self::fit_cancellable(x, target, rows, params, &|_| {}, &never)
            .unwrap_or_else(|| Tree::empty(x.len()))
    }

    fn empty(n_features: usize) -> Tree {
        Tree { nodes: Vec::new(), n_features, n_classes: 0, importances: vec![0.0; n_features] }
    }

    /// Like [`Tree::fit`], reporting the share of rows already placed in leaves to `progress`
    /// and giving up (`None`) at the next node once `cancel` is set.
    pub fn fit_cancellable(
        x: Columns,
        target: Target,
        rows: &[usize],
        params: &TreeParams,
        progress: &dyn Fn(f64),
        cancel: &AtomicBool,
    ) -> Option<Tree> {
        let n_classes = match target {
            Target::Classes { n_classes, .. } => n_classes,
            Target::Values(_) => 0,
        };
        let mut tree = Tree {
            nodes: Vec::new(),
            n_features: x.len(),
            n_classes,
            importances: vec![0.0; x.len()],
        };
        tree.nodes.push(Node::Leaf { value: Vec::new(), samples: 0 });
        let mut stack = vec![(0usize, rows.to_vec(), 0usize)];
        let (total_rows, mut placed, mut reported) = (rows.len().max(1) as f64, 0usize, 0.0);
        while let Some((slot, node_rows, depth)) = stack.pop() {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            let split = tree.try_split(x, &target, &node_rows, depth, params, slot);
            match split {
                Some(best) => {
                    tree.importances[best.feature] += best.decrease;
                    let (l, r): (Vec<usize>, Vec<usize>) =
                        node_rows.iter().partition(|&&i| x[best.feature][i] <= best.threshold);
                    let left = tree.push_placeholder();
                    let right = tree.push_placeholder();
                    tree.nodes[slot] = Node::Split {
                        feature: best.feature,
                        threshold: best.threshold,
                        left,
                        right,
                    };
                    stack.push((right, r, depth + 1));
                    stack.push((left, l, depth + 1));
                }
                None => {
                    tree.nodes[slot] = leaf(&target, &node_rows, n_classes);
                    placed += node_rows.len();
                    let done = placed as f64 / total_rows;
                    if done - reported >= 0.01 {
                        reported = done;
                        progress(done);
                    }
                }
            }
        }
        if reported < 1.0 {
            progress(1.0);
        }
        let total: f64 = tree.importances.iter().sum();
        if total > 0.0 {
            tree.importances.iter_mut().for_each(|v| *v /= total);
        }
        Some(tree)
    }

    fn push_placeholder(&mut self) -> usize {
        self.nodes.push(Node::Leaf { value: Vec::new(), samples: 0 });
        self.nodes.len() - 1
    }

    fn try_split(
        &self,
        x: Columns,
        target: &Target,
        rows: &[usize],
        depth: usize,
        params: &TreeParams,
        slot: usize,
    ) -> Option<Best> {
        if rows.len() < params.min_samples_split.max(2)
            || params.max_depth.is_some_and(|d| depth >= d)
        {
            return None;
        }
        let classification = self.n_classes > 0;
        let mut parent = Stats::new(self.n_classes);
        rows.iter().for_each(|&r| parent.add(target, r, 1.0));
        let parent_impurity = parent.weighted_impurity(classification);
        if parent_impurity <= 1e-12 {
            return None;
        }
        let mut best: Option<Best> = None;
        let mut order = rows.to_vec();
        for f in candidate_features(x.len(), params, slot) {
            let column = &x[f];
            order.sort_by(|&a, &b| column[a].total_cmp(&column[b]).then(a.cmp(&b)));
            let candidate = best_threshold(column, target, &order, &parent, params, classification);
            if let Some((threshold, child_impurity)) = candidate {
                let decrease = parent_impurity - child_impurity;
                if decrease > 1e-12 && best.as_ref().is_none_or(|b| decrease > b.decrease + 1e-12) {
                    best = Some(Best { feature: f, threshold, decrease });
                }
            }
        }
        best
    }

    /// Class shares (classification) or `[mean]` (regression) for one row.
    pub fn predict_row(&self, x: Columns, row: usize) -> &[f64] {
        let mut at = 0;
        loop {
            match &self.nodes[at] {
                Node::Leaf { value, .. } => return value,
                Node::Split { feature, threshold, left, right } => {
                    at = if x[*feature][row] <= *threshold { *left } else { *right };
                }
            }
        }
    }

    /// The most likely class of a row; the lowest index wins a tie.
    pub fn predict_class(&self, x: Columns, row: usize) -> u32 {
        argmax(self.predict_row(x, row)) as u32
    }

    /// The predicted value of a row (regression).
    pub fn predict_value(&self, x: Columns, row: usize) -> f64 {
        self.predict_row(x, row).first().copied().unwrap_or(0.0)
    }

    /// Deepest level of the tree.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(0usize, 0usize)];
        while let Some((at, d)) = stack.pop() {
            deepest = deepest.max(d);
            if let Node::Split { left, right, .. } = &self.nodes[at] {
                stack.push((*left, d + 1));
                stack.push((*right, d + 1));
            }
        }
        deepest
    }
}

/// The features tried at node `slot`: all, or a seeded random subset in index order.
fn candidate_features(n: usize, params: &TreeParams, slot: usize) -> Vec<usize> {
    match params.max_features {
        Some(m) if m < n => {
            let seed = params.seed ^ (slot as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let mut all: Vec<usize> = (0..n).collect();
            crate::data::sample::shuffle(&mut all, &mut crate::data::sample::Rng::new(seed));
            let mut chosen = all[..m.max(1)].to_vec();
            chosen.sort_unstable();
            chosen
        }
        _ => (0..n).collect(),
    }
}

/// Index of the largest value; the first wins a tie.
pub fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}

fn best_threshold(
    column: &[f64],
    target: &Target,
    order: &[usize],
    parent: &Stats,
    params: &TreeParams,
    classification: bool,
) -> Option<(f64, f64)> {
    let n = order.len();
    let min_leaf = params.min_samples_leaf.max(1);
    let mut left = Stats::new(parent.counts.len());
    let mut right = Stats {
        counts: parent.counts.clone(),
        sum: parent.sum,
        sum_sq: parent.sum_sq,
        n: parent.n,
    };
    let mut best: Option<(f64, f64)> = None;
    for k in 0..n - 1 {
        let row = order[k];
        left.add(target, row, 1.0);
        right.add(target, row, -1.0);
        let (here, next) = (column[row], column[order[k + 1]]);
        if here == next || k + 1 < min_leaf || n - k - 1 < min_leaf {
            continue;
        }
        let impurity =
            left.weighted_impurity(classification) + right.weighted_impurity(classification);
        if best.is_none_or(|(_, b)| impurity < b - 1e-12) {
            let mid = here + (next - here) / 2.0;
            // The midpoint can round up to `next` for adjacent floats; keep the split real.
            best = Some((if mid < next { mid } else { here }, impurity));
        }
    }
    best
}

fn leaf(target: &Target, rows: &[usize], n_classes: usize) -> Node {
    let value = match target {
        Target::Classes { y, .. } => {
            let mut counts = vec![0.0; n_classes];
            rows.iter().for_each(|&r| counts[y[r] as usize] += 1.0);
            let n = rows.len().max(1) as f64;
            counts.iter().map(|c| c / n).collect()
        }
        Target::Values(v) => {
            let mean = rows.iter().map(|&r| v[r]).sum::<f64>() / rows.len().max(1) as f64;
            vec![mean]
        }
    };
    Node::Leaf { value, samples: rows.len() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separable_classes_are_learned_exactly() {
        let x = vec![vec![1.0, 2.0, 3.0, 10.0, 11.0, 12.0]];
        let y = [0, 0, 0, 1, 1, 1];
        let rows: Vec<usize> = (0..6).collect();
        let tree =
            Tree::fit(&x, Target::Classes { y: &y, n_classes: 2 }, &rows, &TreeParams::default());
        assert_eq!(tree.depth(), 1);
        for r in rows {
            assert_eq!(tree.predict_class(&x, r), y[r]);
        }
        assert!((tree.importances[0] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_single_tree_reports_progress_and_stops_when_cancelled() {
        let x = vec![(0..400).map(f64::from).collect::<Vec<_>>()];
        let y: Vec<u32> = (0..400).map(|i| u32::from(i % 7 < 3)).collect();
        let rows: Vec<usize> = (0..400).collect();
        let target = Target::Classes { y: &y, n_classes: 2 };
        let seen = std::cell::RefCell::new(Vec::new());
        let go = AtomicBool::new(false);
        let tree = Tree::fit_cancellable(
            &x,
            target,
            &rows,
            &TreeParams::default(),
            &|f| seen.borrow_mut().push(f),
            &go,
        );
        assert!(tree.is_some());
        let seen = seen.into_inner();
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "progress goes forward: {seen:?}");
        assert!(seen.last().is_some_and(|f| (f - 1.0).abs() < 1e-12));
        let stop = AtomicBool::new(true);
        let params = TreeParams::default();
        assert!(Tree::fit_cancellable(&x, target, &rows, &params, &|_| {}, &stop).is_none());
    }

    #[test]
    fn regression_leaves_hold_means() {
        let x = vec![vec![0.0, 0.0, 1.0, 1.0]];
        let v = [1.0, 3.0, 10.0, 14.0];
        let tree = Tree::fit(&x, Target::Values(&v), &[0, 1, 2, 3], &TreeParams::default());
        assert!((tree.predict_value(&x, 0) - 2.0).abs() < 1e-12);
        assert!((tree.predict_value(&x, 3) - 12.0).abs() < 1e-12);
    }

    #[test]
    fn max_depth_is_respected_and_fitting_is_deterministic() {
        let x = vec![(0..200).map(|i| f64::from((i * 37) % 101)).collect::<Vec<_>>()];
        let y: Vec<u32> = (0..200).map(|i| u32::from((i * 37) % 7 < 3)).collect();
        let rows: Vec<usize> = (0..200).collect();
        let params = TreeParams { max_depth: Some(3), ..TreeParams::default() };
        let a = Tree::fit(&x, Target::Classes { y: &y, n_classes: 2 }, &rows, &params);
        let b = Tree::fit(&x, Target::Classes { y: &y, n_classes: 2 }, &rows, &params);
        assert!(a.depth() <= 3);
        assert_eq!(a, b);
    }
}
