//! Leakage checks on the sample data and on fixtures with planted and clean columns: every
//! planted leak is found with the right kind, and nothing is flagged where nothing leaks.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use mlwb::checks::finding::{Kind, Report, Severity, Thresholds};
use mlwb::checks::leakage::{self, CheckError, Context};
use mlwb::data::sample::Rng;
use mlwb::data::table;
use predicates::str::contains;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data").join(name)
}

fn mlwb(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("mlwb").unwrap_or_else(|e| panic!("{e}"));
    cmd.env("MLWB_DATA_DIR", dir).env_remove("MLWB_WORKSPACE").current_dir(dir);
    cmd
}

fn check_file(path: &Path, target: &str) -> Report {
    let out = mlwb(path.parent().unwrap_or(Path::new(".")))
        .args(["check", "leakage", "--json", "--target", target, "--file"])
        .arg(path)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap_or_else(|e| panic!("{e}"))
}

fn kinds_of(report: &Report, column: &str) -> Vec<(Kind, Severity)> {
    report
        .findings
        .iter()
        .filter(|f| f.columns.iter().any(|c| c == column))
        .map(|f| (f.kind, f.severity))
        .collect()
}

fn ctx(target: &str) -> Context {
    Context { target: target.into(), ..Context::default() }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

#[test]
fn every_planted_leak_in_the_churn_sample_is_found_with_its_kind() {
    let r = check_file(&sample("churn.csv"), "churned");
    assert!(
        kinds_of(&r, "customer_id").contains(&(Kind::IdentifierLeakage, Severity::High)),
        "{:#?}",
        r.findings
    );
    assert!(kinds_of(&r, "account_status").contains(&(Kind::TargetLeakage, Severity::High)));
    assert!(kinds_of(&r, "cancellation_fee").contains(&(Kind::TargetLeakage, Severity::High)));
    let high: Vec<&str> = r
        .open_at_or_above(Severity::High)
        .iter()
        .flat_map(|f| f.columns.iter().map(String::as_str))
        .collect();
    for legit in [
        "tenure_months",
        "contract",
        "support_calls",
        "monthly_charges",
        "signup_date",
        "customer_ref",
    ] {
        assert!(!high.contains(&legit), "{legit} wrongly flagged: {high:?}");
    }
}

#[test]
fn the_clean_churn_sample_has_no_findings_at_all() {
    let r = check_file(&sample("churn_clean.csv"), "churned");
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    let tenure = r.pps.iter().find(|p| p.x == "tenure_months").map(|p| p.pps).unwrap_or(0.0);
    assert!(
        tenure > 0.2 && tenure < 0.7,
        "a strong legitimate feature, below the threshold: {tenure}"
    );
}

#[test]
fn fail_on_high_exits_1_on_leaky_data_and_0_on_clean_data() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    mlwb(tmp.path())
        .args(["check", "leakage", "--target", "churned", "--fail-on", "high", "--file"])
        .arg(sample("churn.csv"))
        .assert()
        .code(1)
        .stdout(
            contains("customer_id")
                .and(contains("account_status"))
                .and(contains("cancellation_fee")),
        );
    mlwb(tmp.path())
        .args(["check", "leakage", "--target", "churned", "--fail-on", "high", "--file"])
        .arg(sample("churn_clean.csv"))
        .assert()
        .code(0)
        .stdout(contains("No findings"));
}

#[test]
fn the_demo_dataset_check_saves_a_pinned_report_and_keeps_acceptances() {
    let (_tmp, root) = common::demo_workspace();
    mlwb(&root)
        .args(["check", "leakage", "--dataset", "churn", "--fail-on", "high"])
        .assert()
        .code(1)
        .stdout(contains("Report saved to"));
    let reports = mlwb::checks::run::reports_of(&mlwb::workspace::Workspace::at(&root), "churn");
    let (path, report) = reports.first().cloned().unwrap_or_else(|| panic!("no report"));
    assert!(
        path.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("churn-") && n.len() == "churn-12345678.json".len())
    );
    let id = report
        .findings
        .iter()
        .find(|f| f.columns == ["account_status"])
        .map(|f| f.id())
        .unwrap_or_default();
    mlwb::checks::run::accept(&path, &id, "status is recorded before the call list is made", "ana")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(mlwb::checks::run::accept(&path, &id, "  ", "ana").is_err(), "a reason is required");
    mlwb(&root)
        .args(["check", "leakage", "--dataset", "churn"])
        .assert()
        .success()
        .stdout(contains("accepted by ana"));
}

#[test]
fn a_train_test_pair_with_duplicated_rows_and_overlapping_dates() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (mut train, mut test) = (String::from("day,x,y\n"), String::from("day,x,y\n"));
    let mut rng = Rng::new(1);
    for i in 0..200 {
        let _ = writeln!(
            train,
            "2024-01-{:02},{},{}",
            1 + i % 28,
            rng.below(100),
            ["a", "b"][rng.below(2)]
        );
    }
    for i in 0..100 {
        let _ = writeln!(
            test,
            "2024-01-{:02},{},{}",
            20 + i % 9,
            100 + rng.below(100),
            ["a", "b"][rng.below(2)]
        );
    }
    test.push_str(train.lines().nth(1).unwrap_or_default());
    test.push('\n');
    let (a, b) = (write(tmp.path(), "train.csv", &train), write(tmp.path(), "test.csv", &test));
    let out = mlwb(tmp.path())
        .args(["check", "leakage", "--json", "--target", "y", "--time-column", "day", "--train"])
        .arg(&a)
        .arg("--test")
        .arg(&b)
        .assert()
        .success();
    let r: Report =
        serde_json::from_slice(&out.get_output().stdout).unwrap_or_else(|e| panic!("{e}"));
    let checks: Vec<&str> = r.findings.iter().map(|f| f.check.as_str()).collect();
    assert!(checks.contains(&"row_overlap"), "{checks:?}");
    assert!(
        checks.contains(&"temporal_overlap") && checks.contains(&"same_timestamp"),
        "{checks:?}"
    );
    let temporal = r.findings.iter().find(|f| f.check == "temporal_overlap").map(|f| f.severity);
    assert_eq!(temporal, Some(Severity::High));
}

fn grouped_table(n: usize) -> String {
    let mut text = String::from("customer,visits,bought\n");
    let mut rng = Rng::new(9);
    for i in 0..n {
        let customer = i % 60;
        let visits = rng.below(10);
        let bought = if visits + rng.below(6) > 8 { "yes" } else { "no" };
        let _ = writeln!(text, "c{customer},{visits},{bought}");
    }
    text
}

#[test]
fn entities_on_both_sides_are_found_and_a_grouped_split_is_clean() {
    let t = table::read(&write(
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")).keep().as_path(),
        "g.csv",
        &grouped_table(600),
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let mut c = ctx("bought");
    c.group_column = Some("customer".into());
    let rows: Vec<usize> = (0..t.rows()).collect();
    let (train, test) = (t.take(&rows[..450]), t.take(&rows[450..]));
    let out = leakage::check_split(&train, &test, &c, &Thresholds::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.findings.iter().any(|f| f.kind == Kind::GroupLeakage && f.severity == Severity::High)
    );
    let s = mlwb::experiment::split::split(
        &t,
        "bought",
        mlwb::experiment::split::SplitKind::Group,
        0.25,
        3,
        Some("customer"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = leakage::check_split(&t.take(&s.train), &t.take(&s.test), &c, &Thresholds::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.findings.iter().any(|f| f.kind == Kind::GroupLeakage), "{:#?}", out.findings);
}

#[test]
fn multiclass_and_regression_targets_catch_a_leak_and_spare_the_honest_feature() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut rng = Rng::new(5);
    let (mut multi, mut reg) =
        (String::from("signal,noise,echo,grade\n"), String::from("size,noise,after_sale,price\n"));
    for _ in 0..1500 {
        let signal = rng.below(100);
        let grade = ["low", "mid", "high"][(signal / 34 + usize::from(rng.below(10) < 3)) % 3];
        let echo = format!("{grade}{}", if rng.below(100) == 0 { "x" } else { "" });
        let _ = writeln!(multi, "{signal},{},{echo},{grade}", rng.below(100));
        let size = rng.below(200) as f64;
        let price = 3.0 * size + rng.below(300) as f64;
        let _ = writeln!(
            reg,
            "{size},{},{:.1},{price}",
            rng.below(50),
            price * 0.1 + rng.below(3) as f64
        );
    }
    let r = check_file(&write(tmp.path(), "multi.csv", &multi), "grade");
    assert!(
        kinds_of(&r, "echo").contains(&(Kind::TargetLeakage, Severity::High)),
        "{:#?}",
        r.findings
    );
    assert!(
        kinds_of(&r, "noise").is_empty() && kinds_of(&r, "signal").is_empty(),
        "{:#?}",
        r.findings
    );
    let r = check_file(&write(tmp.path(), "reg.csv", &reg), "price");
    assert!(
        kinds_of(&r, "after_sale")
            .iter()
            .any(|(k, s)| *k == Kind::TargetLeakage && *s == Severity::High),
        "{:#?}",
        r.findings
    );
    assert!(
        kinds_of(&r, "after_sale")
            .iter()
            .any(|(k, s)| *k == Kind::NotAvailableAtPrediction && *s == Severity::Info),
        "the name is a question"
    );
    assert!(kinds_of(&r, "noise").is_empty(), "{:#?}", r.findings);
    assert!(
        !kinds_of(&r, "size").iter().any(|(_, s)| *s == Severity::High),
        "size is honest: {:#?}",
        r.findings
    );
}

#[test]
fn a_file_sorted_by_the_label_is_found_by_its_row_order() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::from("x,y\n");
    let mut rng = Rng::new(2);
    for i in 0..400 {
        let _ = writeln!(text, "{},{}", rng.below(50), if i < 300 { "no" } else { "yes" });
    }
    let r = check_file(&write(tmp.path(), "sorted.csv", &text), "y");
    assert!(r.findings.iter().any(|f| f.check == "row_order" && f.kind == Kind::IdentifierLeakage));
}

#[test]
fn bad_inputs_give_findings_or_errors_never_panics() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = tmp.path();
    // Target missing.
    mlwb(d)
        .args(["check", "leakage", "--target", "nope", "--file"])
        .arg(write(d, "a.csv", "x,y\n1,2\n"))
        .assert()
        .failure()
        .stderr(contains("target column \"nope\" is not in the data"));
    // No target at all outside a workspace.
    mlwb(d)
        .args(["check", "leakage", "--file"])
        .arg(d.join("a.csv"))
        .assert()
        .failure()
        .stderr(contains("--target"));
    // One row, all-null target, one class.
    for (name, text) in [
        ("one.csv", "x,y\n1,a\n"),
        ("nulls.csv", "x,y\n1,\n2,\n3,\n4,\n5,\n6,\n7,\n8,\n9,\n"),
        ("oneclass.csv", "x,y\n1,a\n2,a\n3,a\n4,a\n5,a\n6,a\n7,a\n8,a\n9,a\n"),
    ] {
        let r = check_file(&write(d, name, text), "y");
        assert!(
            r.findings.iter().any(|f| f.kind == Kind::DataProblem && f.severity == Severity::High),
            "{name}: {:#?}",
            r.findings
        );
    }
    // A column of all nulls, and one of mixed types.
    let mut text = String::from("empty,mixed,y\n");
    for i in 0..40 {
        let _ = writeln!(
            text,
            ",{},{}",
            if i % 7 == 0 { "n/a".to_owned() } else { i.to_string() },
            i % 2
        );
    }
    let r = check_file(&write(d, "odd.csv", &text), "y");
    assert!(r.findings.iter().any(|f| f.check == "empty_column" && f.columns == ["empty"]));
    // Unparseable dates in the time column; train and test with different columns.
    let train = write(
        d,
        "tr.csv",
        "t,x,y\n2024-01-01,1,a\nsoon,2,b\n2024-01-03,3,a\n2024-01-04,4,b\n2024-01-05,5,a\n2024-01-06,6,b\n2024-01-07,7,a\n2024-01-08,8,b\n",
    );
    let test = write(d, "te.csv", "t,x,y\n2024-02-01,1,a\n2024-02-02,2,b\n");
    mlwb(d)
        .args(["check", "leakage", "--target", "y", "--time-column", "t", "--train"])
        .arg(&train)
        .arg("--test")
        .arg(&test)
        .assert()
        .failure()
        .stderr(contains("time column \"t\"").and(contains("soon")));
    let other = write(d, "other.csv", "t,z,y\n2024-02-01,1,a\n");
    mlwb(d)
        .args(["check", "leakage", "--target", "y", "--train"])
        .arg(&train)
        .arg("--test")
        .arg(&other)
        .assert()
        .failure()
        .stderr(contains("only in train: [x]").and(contains("only in test: [z]")));
}

#[test]
fn check_error_messages_name_the_columns() {
    let t = table::from_frame(&polars::prelude::DataFrame::empty()).unwrap_or_default();
    let err = leakage::check_dataset(&t, &ctx("y"), &Thresholds::default()).err();
    assert!(matches!(err, Some(CheckError::NoTarget { .. })));
}

use predicates::prelude::PredicateBooleanExt as _;

#[test]
fn a_run_that_fitted_preprocessing_on_all_rows_is_a_high_finding() {
    let (_tmp, root) = common::demo_workspace();
    let mut cmd = mlwb(&root);
    cmd.args(["--workspace"]).arg(&root);
    cmd.args(["check", "leakage", "--experiment", "tree_deep", "--fail-on", "high"])
        .assert()
        .success();
    let run_dir = fs::read_dir(root.join("runs"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("tree_deep"))
        .unwrap_or_else(|| panic!("no tree_deep run"));
    let path = run_dir.join("run.json");
    let text = fs::read_to_string(&path)
        .unwrap_or_default()
        .replace("\"fitted_on\": \"train\"", "\"fitted_on\": \"all\"");
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    let mut cmd = mlwb(&root);
    cmd.args(["--workspace"]).arg(&root);
    cmd.args(["check", "leakage", "--experiment", "tree_deep", "--fail-on", "high"])
        .assert()
        .code(1)
        .stdout(contains("preprocessing_leakage"));
}
