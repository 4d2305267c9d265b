//! `mlwb profile`: statistics and alerts on the sample data, and a clear one-line error for
//! every kind of bad file.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::str::contains;

fn mlwb(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("mlwb").unwrap_or_else(|e| panic!("{e}"));
    cmd.env("MLWB_DATA_DIR", dir).env_remove("MLWB_WORKSPACE").current_dir(dir);
    cmd
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data").join(name)
}

#[test]
fn churn_profile_has_statistics_and_the_expected_alerts() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = mlwb(tmp.path())
        .args(["profile", "--json", "--target", "churned"])
        .arg(sample("churn.csv"))
        .assert()
        .success();
    let doc: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["rows"], 5000);
    let columns = doc["columns"].as_array().cloned().unwrap_or_default();
    let col = |n: &str| columns.iter().find(|c| c["name"] == n).cloned().unwrap_or_default();
    assert_eq!(col("tenure_months")["kind"], "numeric");
    assert_eq!(col("contract")["kind"], "categorical");
    assert_eq!(col("signup_date")["kind"], "datetime");
    assert_eq!(col("customer_ref")["kind"], "text");
    assert!(col("age")["missing"].as_u64().unwrap_or(0) > 50);
    let q = col("tenure_months")["numeric"]["quantiles"].as_array().map(Vec::len);
    assert_eq!(q, Some(7));
    let alerts = doc["alerts"].as_array().cloned().unwrap_or_default();
    let has = |name: &str, column: &str| {
        alerts.iter().any(|a| {
            a["alert"] == name
                && a["columns"].as_array().is_some_and(|c| c.iter().any(|x| x == column))
        })
    };
    assert!(has("missing", "age"), "{alerts:#?}");
    assert!(has("unique", "customer_ref"));
    assert!(has("unique", "customer_id"));
    assert!(!has("missing", "tenure_months"));
}

#[test]
fn a_workspace_dataset_is_profiled_by_name_and_fail_on_works() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ws = tmp.path().join("w");
    mlwb(tmp.path()).arg("init").arg(&ws).assert().success();
    fs::write(ws.join("data/labels.csv"), "a,b,y\n1,x,yes\n1,x,no\n2,y,yes\n3,z,no\n")
        .unwrap_or_else(|e| panic!("{e}"));
    mlwb(&ws)
        .args(["profile", "labels", "--target", "y", "--fail-on", "error"])
        .assert()
        .code(1)
        .stdout(contains("conflicting_labels"));
    mlwb(&ws).args(["profile", "labels"]).assert().success().stdout(contains("Profile of"));
}

#[test]
fn bad_files_get_one_line_errors_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = tmp.path();
    let write = |name: &str, bytes: &[u8]| {
        let p = d.join(name);
        fs::write(&p, bytes).unwrap_or_else(|e| panic!("{e}"));
        p
    };
    let cases: Vec<(PathBuf, &str)> = vec![
        (d.join("missing.csv"), "no such file"),
        (write("empty.csv", b""), "empty.csv: the file is empty"),
        (write("header.csv", b"a,b,c\n"), "no rows"),
        (write("ragged.csv", b"a,b\n1,2\n3,4,5,6\n7,8\n"), "more fields than the header"),
        (write("latin1.csv", b"name,city\nJos\xe9,M\xe1laga\n"), "not UTF-8"),
        (
            write("binary.csv", &[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe, 0, 1, 2, 3]),
            "binary file",
        ),
        (
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nested.parquet"),
            "column \"tags\" has nested type list[str]; flatten it",
        ),
    ];
    for (path, needle) in cases {
        let out = mlwb(d).arg("profile").arg(&path).assert().failure().stderr(contains(needle));
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert_eq!(err.trim_end().lines().count(), 1, "{}: {err}", path.display());
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_column_of_mixed_types_is_profiled_with_an_alert() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::from("value\n");
    for i in 0..200 {
        text.push_str(&if i % 20 == 0 { "unknown".to_owned() } else { i.to_string() });
        text.push('\n');
    }
    let path = tmp.path().join("mixed.csv");
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    mlwb(tmp.path()).arg("profile").arg(&path).assert().success().stdout(contains("mixed_types"));
}

/// Every statistic of `mlwb profile --json` on the churn sample against pandas and numpy
/// (values committed by benches/reference/profile_churn.py).
#[test]
fn profile_agrees_with_pandas() {
    let reference: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/reference/profile_churn.json"),
        )
        .unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out =
        mlwb(tmp.path()).args(["profile", "--json"]).arg(sample("churn.csv")).assert().success();
    let doc: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).unwrap_or_else(|e| panic!("{e}"));
    let close = |a: f64, b: f64, what: &str| {
        let tolerance = 1e-9 * a.abs().max(b.abs()).max(1.0);
        assert!((a - b).abs() <= tolerance, "{what}: mlwb {a}, pandas {b}");
    };
    let f = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    let columns = reference["columns"].as_object().cloned().unwrap_or_default();
    assert_eq!(columns.len(), 16);
    for (name, theirs) in &columns {
        let ours = doc["columns"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["name"] == name.as_str())
            .unwrap_or_else(|| panic!("no column {name}"));
        for field in ["count", "missing", "distinct"] {
            assert_eq!(ours[field], theirs[field], "{name}.{field}");
        }
        if let Some(t) = theirs.get("numeric") {
            let o = &ours["numeric"];
            for field in ["min", "max", "mean", "std", "skewness"] {
                close(f(&o[field]), f(&t[field]), &format!("{name}.{field}"));
            }
            assert_eq!(o["zeros"], t["zeros"], "{name}.zeros");
            for (k, q) in t["quantiles"].as_array().into_iter().flatten().enumerate() {
                close(f(&o["quantiles"][k][1]), f(q), &format!("{name}.quantile[{k}]"));
            }
            let bins: Vec<&serde_json::Value> =
                o["histogram"].as_array().into_iter().flatten().map(|b| &b["count"]).collect();
            let expected: Vec<&serde_json::Value> =
                t["histogram"].as_array().into_iter().flatten().collect();
            assert_eq!(bins, expected, "{name}.histogram");
        } else {
            let top: Vec<(String, u64)> = ours["top"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| {
                    (v["value"].as_str().unwrap_or("").to_owned(), v["count"].as_u64().unwrap_or(0))
                })
                .collect();
            let counts: Vec<u64> = top.iter().map(|(_, n)| *n).collect();
            let expected: Vec<u64> = t_counts(&theirs["top_counts"]);
            assert_eq!(counts, expected, "{name}: counts of the most frequent values");
            if let Some(all) = theirs.get("counts") {
                for (value, n) in &top {
                    assert_eq!(all[value].as_u64(), Some(*n), "{name}: count of {value:?}");
                }
            }
        }
    }
}

fn t_counts(v: &serde_json::Value) -> Vec<u64> {
    v.as_array().into_iter().flatten().filter_map(serde_json::Value::as_u64).collect()
}

/// A file larger than the memory budget is profiled from a uniform sample, with counts and
/// moments still exact over every row, and the same sample every time.
#[test]
fn a_file_over_the_memory_budget_is_sampled_with_exact_moments() {
    use mlwb::data::table;
    let path = sample("churn.csv");
    let (full, all) = table::read_sampled(&path, usize::MAX).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((full.rows(), all.rows), (5000, 5000));
    assert!(!all.sampled(&full));
    // 16 columns: 7 numbers at 8 bytes and 9 texts at 4 make 92 bytes a row.
    let budget = 92 * 1200;
    let (sample_table, summary) =
        table::read_sampled(&path, budget).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((sample_table.rows(), summary.rows), (1200, 5000));
    assert!(summary.sampled(&sample_table));
    let (again, _) = table::read_sampled(&path, budget).unwrap_or_else(|e| panic!("{e}"));
    // Compared through their printed form: missing numbers are NaN, which never equals itself.
    let same = format!("{again:?}") == format!("{sample_table:?}");
    assert!(same, "two reads of one file gave different samples");
    // Rows come from the whole file, not just its start.
    let ids = sample_table.column("customer_id").unwrap_or_else(|| panic!("no id"));
    let last_rows = (0..ids.len()).filter(|&i| full_index(&full, ids.as_f64(i)) >= 4000).count();
    assert!(last_rows > 100, "only {last_rows} sampled rows from the last fifth");

    let exact = mlwb::data::profile::profile(&full);
    let mut sampled = mlwb::data::profile::profile(&sample_table);
    mlwb::data::profile::apply_exact(&mut sampled, &summary);
    for (e, s) in exact.iter().zip(&sampled) {
        assert_eq!((e.count, e.missing), (s.count, s.missing), "{}", e.name);
        if let (Some(a), Some(b)) = (&e.numeric, &s.numeric) {
            if e.name == "signup_date" {
                continue; // dates are text in the file: their moments come from the sample
            }
            for (what, x, y) in [
                ("mean", a.mean, b.mean),
                ("std", a.std, b.std),
                ("min", a.min, b.min),
                ("max", a.max, b.max),
                ("skewness", a.skewness, b.skewness),
            ] {
                assert!((x - y).abs() <= 1e-9 * x.abs().max(1.0), "{}.{what}: {x} vs {y}", e.name);
            }
            assert_eq!(a.zeros, b.zeros, "{}.zeros", e.name);
        }
    }
}

fn full_index(full: &mlwb::data::table::Table, id: Option<f64>) -> usize {
    let ids = full.column("customer_id").unwrap_or_else(|| panic!("no id"));
    (0..ids.len()).find(|&i| ids.as_f64(i) == id).unwrap_or(0)
}

/// A Parquet file is profiled like the CSV it was written from.
#[test]
fn parquet_profiles_like_the_csv_it_came_from() {
    use polars::prelude::*;
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let csv = sample("churn.csv");
    let mut df = mlwb::data::load::scan(&csv)
        .and_then(|lf| lf.collect().map_err(|e| mlwb::data::load::polars_err(&csv, &e)))
        .unwrap_or_else(|e| panic!("{e}"));
    let parquet = tmp.path().join("churn.parquet");
    let file = fs::File::create(&parquet).unwrap_or_else(|e| panic!("{e}"));
    ParquetWriter::new(file).finish(&mut df).unwrap_or_else(|e| panic!("{e}"));
    let profile = |path: &Path| -> serde_json::Value {
        let out = mlwb(tmp.path()).args(["profile", "--json"]).arg(path).assert().success();
        serde_json::from_slice(&out.get_output().stdout).unwrap_or_else(|e| panic!("{e}"))
    };
    let (from_csv, from_parquet) = (profile(&csv), profile(&parquet));
    assert_eq!(from_parquet["rows"], 5000);
    assert_eq!(from_csv["columns"], from_parquet["columns"]);
    assert_eq!(from_csv["alerts"], from_parquet["alerts"]);
}
