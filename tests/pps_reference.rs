//! mlwb's predictive power scores against ppscore's on the sample data.
//!
//! The reference numbers come from `benches/reference/ppscore_churn.py` (ppscore 1.3.1,
//! scikit-learn's tree). The trees differ a little and so do the fold assignments, so the
//! scores are compared within a tolerance; the measured differences are in BENCHMARKS.md.

use std::path::Path;

use mlwb::checks::pps;
use mlwb::data::table;

const TOLERANCE: f64 = 0.06;

#[test]
fn churn_scores_are_close_to_ppscore() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("benches/reference/ppscore_churn.json"))
        .unwrap_or_default();
    let reference: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let t = table::read(&root.join("sample-data/churn.csv")).unwrap_or_else(|e| panic!("{e}"));
    let y = t.column("churned").unwrap_or_else(|| panic!("no target"));
    let rows = find_rows(&reference, "/churn.csv");
    assert!(rows.len() >= 10, "reference rows: {}", rows.len());
    let mut worst: (f64, String) = (0.0, String::new());
    for (feature, expected) in rows {
        let Some(x) = t.column(&feature) else { continue };
        let got = pps::score(x, y).pps;
        let diff = (got - expected).abs();
        if diff > worst.0 {
            worst = (diff, feature.clone());
        }
        assert!(diff <= TOLERANCE, "{feature}: mlwb {got:.4}, ppscore {expected:.4}");
    }
    eprintln!("largest difference: {:.4} on {}", worst.0, worst.1);
}

/// (feature, ppscore) pairs for one file of the reference.
fn find_rows(v: &serde_json::Value, file: &str) -> Vec<(String, f64)> {
    let files = v["files"].as_array().cloned().unwrap_or_default();
    let Some(entry) = files.iter().find(|f| f["file"].as_str().is_some_and(|p| p.ends_with(file)))
    else {
        return Vec::new();
    };
    entry["predictors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p["feature"].as_str()?.to_owned(), p["ppscore"].as_f64()?)))
        .collect()
}
