//! Filtering runs with the query language of [`crate::query`]: comparisons on run fields,
//! params, metrics and tags.
//!
//! Example: `model = tree and (metrics.f1 > 0.8 or params.max_depth < 5)`.

use serde_json::Value;

use super::run::RunRecord;

pub use crate::query::{Expr, Op, parse};

/// Short names users type for model kinds.
fn model_alias(kind: &str) -> &str {
    match kind {
        "decision_tree" => "tree",
        "random_forest" => "forest",
        "majority_class" | "mean" => "baseline",
        other => other,
    }
}

/// The value of a field of a run, as text.
pub fn field(run: &RunRecord, name: &str) -> Option<String> {
    let json_text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match name.split_once('.') {
        Some(("metrics", m)) => run.metrics.get(m).map(|v| v.to_string()),
        Some(("params", p)) => run.params.get(p).map(json_text),
        Some(("tags", t)) => run.tags.get(t).cloned(),
        _ => match name {
            "id" | "name" | "run" => Some(run.id.clone()),
            "experiment" => Some(run.experiment.clone()),
            "status" => Some(run.status.label().to_owned()),
            "dataset" => Some(run.dataset.name.clone()),
            "model" => run.tags.get("model").cloned(),
            "notes" => Some(run.notes.clone()),
            _ => None,
        },
    }
}

/// Whether a run passes the filter.
pub fn matches(expr: &Expr, run: &RunRecord) -> bool {
    match expr {
        Expr::And(a, b) => matches(a, run) && matches(b, run),
        Expr::Or(a, b) => matches(a, run) || matches(b, run),
        Expr::Not(a) => !matches(a, run),
        Expr::Matches(f, re) => field(run, f).is_some_and(|v| re.is_match(&v)),
        Expr::Range(f, lo, hi) => number(run, f).is_some_and(|v| v >= *lo && v <= *hi),
        Expr::Compare(f, op, want) => compare(run, f, *op, want),
    }
}

fn number(run: &RunRecord, f: &str) -> Option<f64> {
    field(run, f)?.parse().ok()
}

fn compare(run: &RunRecord, f: &str, op: Op, want: &str) -> bool {
    let Some(have) = field(run, f) else { return op == Op::Ne };
    if let (Ok(a), Ok(b)) = (have.parse::<f64>(), want.parse::<f64>()) {
        return match op {
            Op::Eq => a == b,
            Op::Ne => a != b,
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
        };
    }
    let equal = have == want || (f == "model" && model_alias(&have) == want);
    match op {
        Op::Eq => equal,
        Op::Ne => !equal,
        Op::Lt => have.as_str() < want,
        Op::Le => have.as_str() <= want,
        Op::Gt => have.as_str() > want,
        Op::Ge => have.as_str() >= want,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: &str, model: &str, f1: f64, depth: i64) -> RunRecord {
        serde_json::from_value(serde_json::json!({
            "id": id, "experiment": "e", "status": "finished", "started": "2026-12-03T10:00:00Z",
            "metrics": {"f1": f1}, "params": {"max_depth": depth}, "tags": {"model": model}
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_example_from_the_docs_works() {
        let e = parse("model = tree and (metrics.f1 > 0.8 or params.max_depth < 5)")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches(&e, &run("a", "decision_tree", 0.9, 8)));
        assert!(matches(&e, &run("b", "decision_tree", 0.5, 3)));
        assert!(!matches(&e, &run("c", "decision_tree", 0.5, 8)));
        assert!(!matches(&e, &run("d", "random_forest", 0.9, 3)));
    }

    #[test]
    fn not_ranges_and_regex() {
        let e =
            parse("not id ~ '^tmp' and metrics.f1 in 0.5..0.7").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches(&e, &run("real", "decision_tree", 0.6, 1)));
        assert!(!matches(&e, &run("tmp1", "decision_tree", 0.6, 1)));
        assert!(!matches(&e, &run("real", "decision_tree", 0.8, 1)));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let err = |text: &str| parse(text).err().unwrap_or_default();
        assert!(err("metrics.f1 >").contains("expected a value"));
        assert!(err("(a = 1").contains("missing ')'"));
        assert!(err("a ~ '('").contains("regular expression"));
    }
}
