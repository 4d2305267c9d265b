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
