//! Training, runs, comparison, reproduction and validation, end to end on the demo workspace,
//! plus metric functions against independently computed values.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use mlwb::experiment::metrics;
use predicates::prelude::*;
use predicates::str::contains;

fn mlwb(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("mlwb").unwrap_or_else(|e| panic!("{e}"));
    cmd.env("MLWB_DATA_DIR", root).env_remove("MLWB_WORKSPACE").arg("--workspace").arg(root);
    cmd
}

fn reference() -> serde_json::Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/reference/metrics_reference.json");
    serde_json::from_str(&fs::read_to_string(path).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < 1e-9, "{what}: mlwb {a}, reference {b}");
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().into_iter().flatten().filter_map(serde_json::Value::as_f64).collect()
}

#[test]
fn binary_metrics_match_scikit_learn() {
    let r = &reference()["binary"];
    let truth: Vec<u32> = floats(&r["inputs"]["y_true"]).iter().map(|v| *v as u32).collect();
    let proba: Vec<Vec<f64>> =
        floats(&r["inputs"]["proba_positive"]).iter().map(|p| vec![1.0 - p, *p]).collect();
    let classes = vec!["0".to_owned(), "1".to_owned()];
    let (m, confusion, _) = metrics::classification(&truth, &proba, &classes, 1);
    for key in ["accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "log_loss"]
    {
        close(m[key], r[key].as_f64().unwrap_or(f64::NAN), key);
    }
    close(m["pr_auc"], r["average_precision"].as_f64().unwrap_or(f64::NAN), "average precision");
    close(m["f1_macro"], r["macro"]["f1"].as_f64().unwrap_or(f64::NAN), "macro f1");
    assert_eq!(serde_json::json!(confusion), r["confusion_matrix"]);
}

#[test]
fn multiclass_metrics_match_scikit_learn() {
    let r = &reference()["multiclass"];
    let truth: Vec<u32> = floats(&r["inputs"]["y_true"]).iter().map(|v| *v as u32).collect();
    let proba: Vec<Vec<f64>> =
        r["inputs"]["proba"].as_array().into_iter().flatten().map(floats).collect();
    let classes: Vec<String> = (0..3).map(|i| i.to_string()).collect();
    let (m, confusion, per_class) = metrics::classification(&truth, &proba, &classes, 0);
    close(m["accuracy"], r["accuracy"].as_f64().unwrap_or(f64::NAN), "accuracy");
    close(
        m["balanced_accuracy"],
        r["balanced_accuracy"].as_f64().unwrap_or(f64::NAN),
        "balanced accuracy",
    );
    close(m["f1_macro"], r["macro_f1"].as_f64().unwrap_or(f64::NAN), "macro f1");
    close(m["log_loss"], r["log_loss"].as_f64().unwrap_or(f64::NAN), "log loss");
    close(m["roc_auc"], r["roc_auc_ovr_macro"].as_f64().unwrap_or(f64::NAN), "ovr roc auc");
    let predicted: Vec<u32> =
        proba.iter().map(|p| mlwb::experiment::tree::argmax(p) as u32).collect();
    close(
        metrics::weighted_f1(&truth, &predicted),
        r["weighted_f1"].as_f64().unwrap_or(f64::NAN),
        "weighted f1",
    );
    for (c, want) in per_class.iter().zip(floats(&r["per_class"]["f1"])) {
        close(c.f1, want, "per-class f1");
    }
    assert_eq!(serde_json::json!(confusion), r["confusion_matrix"]);
}

#[test]
fn regression_metrics_match_scikit_learn() {
    let r = &reference()["regression"];
    let m = metrics::regression(&floats(&r["inputs"]["y_true"]), &floats(&r["inputs"]["y_pred"]));
    for key in ["mae", "rmse", "r2", "mape"] {
        close(m[key], r[key].as_f64().unwrap_or(f64::NAN), key);
    }
}

#[test]
fn train_compare_reproduce_and_validate_on_the_demo() {
    let (_tmp, root) = common::demo_workspace();
    for spec in ["tree_shallow", "tree_deep"] {
        mlwb(&root)
            .args(["train", spec])
            .assert()
            .success()
            .stdout(contains("finished").and(contains("f1")));
    }
    let out = mlwb(&root).args(["runs", "--json"]).assert().success();
    let runs: Vec<serde_json::Value> =
        serde_json::from_slice(&out.get_output().stdout).unwrap_or_default();
    assert_eq!(runs.len(), 5, "three demo runs and two new ones");
    let id = |i: usize| runs[i]["id"].as_str().unwrap_or_default().to_owned();
    let (deep, shallow) = (id(0), id(1));
    mlwb(&root)
        .args(["compare", &shallow, &deep, "--baseline", &shallow])
        .assert()
        .success()
        .stdout(
            contains("params.max_depth")
                .and(contains("(baseline)"))
                .and(contains("%)"))
                .and(contains("experiment")),
        );
    mlwb(&root)
        .args(["compare", &shallow, &deep, "--format", "csv"])
        .assert()
        .success()
        .stdout(contains("section,field,"));
    mlwb(&root)
        .args(["compare", &shallow, &deep, "--format", "md"])
        .assert()
        .success()
        .stdout(contains("| params.max_depth |"));
    mlwb(&root)
        .args(["reproduce", &deep])
        .assert()
        .success()
        .stdout(contains("reproduces: identical"));
    let out = mlwb(&root).args(["validate", &deep]).assert();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for g in [
        "acceptable_error",
        "beats_baseline",
        "slice_disparity",
        "no_open_high_leakage",
        "dataset_approved",
    ] {
        assert!(text.contains(g), "{g} missing:\n{text}");
    }
    let record: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(root.join("runs").join(&deep).join("run.json")).unwrap_or_default(),
    )
    .unwrap_or_default();
    assert_eq!(record["reproduction"]["identical"], true);
    assert_eq!(record["validation"]["gates"].as_array().map(Vec::len), Some(5));
    assert!(root.join("runs").join(&deep).join("predictions.parquet").is_file());
    assert_eq!(record["details"]["preprocessing"]["fitted_on"], "train");
}

#[test]
fn runs_filter_uses_and_or_not() {
    let (_tmp, root) = common::demo_workspace();
    mlwb(&root)
        .args(["runs", "--filter", "model = tree and params.max_depth < 5"])
        .assert()
        .success()
        .stdout(contains("tree_shallow").and(contains("tree_deep").not()));
    mlwb(&root)
        .args(["runs", "--filter", "model = baseline or params.max_depth >= 8"])
        .assert()
        .success()
        .stdout(
            contains("baseline").and(contains("tree_deep")).and(contains("tree_shallow").not()),
        );
    mlwb(&root)
        .args(["runs", "--filter", "metrics.f1 >"])
        .assert()
        .failure()
        .stderr(contains("--filter"));
}

#[test]
fn a_changed_dataset_is_reported_not_hidden_by_reproduce() {
    let (_tmp, root) = common::demo_workspace();
    let out = mlwb(&root).args(["runs", "--json"]).assert().success();
    let runs: Vec<serde_json::Value> =
        serde_json::from_slice(&out.get_output().stdout).unwrap_or_default();
    let id = runs[0]["id"].as_str().unwrap_or_default().to_owned();
    let data = root.join("data/churn_clean.csv");
    let mut text = fs::read_to_string(&data).unwrap_or_default();
    let extra = text.lines().nth(1).unwrap_or_default().to_owned();
    text.push_str(&extra);
    text.push('\n');
    fs::write(&data, text).unwrap_or_else(|e| panic!("{e}"));
    mlwb(&root).args(["reproduce", &id]).assert().code(1).stdout(contains("dataset changed"));
}

fn write_spec(root: &Path, name: &str, body: &str) {
    fs::write(root.join("experiments").join(format!("{name}.toml")), body)
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn bad_specs_fail_before_training_naming_the_field() {
    let (_tmp, root) = common::demo_workspace();
    let before = fs::read_dir(root.join("runs")).map(Iterator::count).unwrap_or(0);
    let base = "dataset = \"churn_clean\"\ntarget = \"churned\"\n";
    let cases = [
        (
            "unknown_model",
            format!("{base}model = {{ kind = \"xgboost\" }}\n"),
            "model.kind \"xgboost\"",
        ),
        (
            "unknown_param",
            format!("{base}model = {{ kind = \"decision_tree\", params = {{ depth = 3 }} }}\n"),
            "model.params.depth",
        ),
        (
            "unknown_column",
            format!(
                "{base}features = {{ include = [\"nope\"] }}\nmodel = {{ kind = \"decision_tree\" }}\n"
            ),
            "features.include: \"nope\"",
        ),
        (
            "target_in_features",
            format!(
                "{base}features = {{ include = [\"churned\"] }}\nmodel = {{ kind = \"decision_tree\" }}\n"
            ),
            "features.include lists the target",
        ),
        (
            "empty_split",
            format!(
                "{base}split = {{ kind = \"random\", test_fraction = 1.5 }}\nmodel = {{ kind = \"decision_tree\" }}\n"
            ),
            "test_fraction",
        ),
        (
            "no_encoding",
            format!(
                "{base}preprocessing = {{ one_hot = false }}\nmodel = {{ kind = \"decision_tree\" }}\n"
            ),
            "one_hot is off",
        ),
        (
            "bad_target",
            "dataset = \"churn_clean\"\ntarget = \"nope\"\nmodel = { kind = \"decision_tree\" }\n"
                .into(),
            "target \"nope\"",
        ),
        (
            "wrong_task",
            format!("{base}model = {{ kind = \"linear_regression\" }}\n"),
            "predicts numbers",
        ),
    ];
    for (name, body, needle) in cases {
        write_spec(&root, name, &body);
        mlwb(&root)
            .args(["train", name])
            .assert()
            .failure()
            .stderr(contains(needle).and(contains(format!("{name}.toml"))));
    }
    // A class present only in the test split.
    let mut text = String::from("x,y\n");
    for i in 0..40 {
        text.push_str(&format!(
            "{i},{}\n",
            if i == 39 {
                "rare"
            } else if i % 2 == 0 {
                "a"
            } else {
                "b"
            }
        ));
    }
    fs::write(root.join("data/tiny.csv"), text).unwrap_or_else(|e| panic!("{e}"));
    write_spec(
        &root,
        "missing_class",
        "dataset = \"tiny\"\ntarget = \"y\"\nsplit = { kind = \"time\", column = \"x\", test_fraction = 0.1 }\nmodel = { kind = \"decision_tree\" }\n",
    );
    mlwb(&root)
        .args(["train", "missing_class"])
        .assert()
        .failure()
        .stderr(contains("class \"rare\"").and(contains("no training rows")));
    let after = fs::read_dir(root.join("runs")).map(Iterator::count).unwrap_or(0);
    assert_eq!(before, after, "no run folder for a spec that fails its checks");
}

#[test]
fn linfa_models_train_and_reproduce_exactly() {
    let (_tmp, root) = common::demo_workspace();
    write_spec(
        &root,
        "nb",
        "dataset = \"churn_clean\"\ntarget = \"churned\"\nfeatures = { exclude = [\"customer_ref\"] }\nmodel = { kind = \"gaussian_nb\" }\n",
    );
    write_spec(
        &root,
        "lin",
        "dataset = \"delivery\"\ntarget = \"delivery_minutes\"\nfeatures = { exclude = [\"order_id\", \"order_time\"] }\nsplit = { kind = \"random\" }\nmodel = { kind = \"ridge\", params = { alpha = 10.0 } }\n",
    );
    mlwb(&root).args(["train", "nb"]).assert().success().stdout(contains("roc_auc"));
    mlwb(&root).args(["train", "lin"]).assert().success().stdout(contains("r2"));
    mlwb(&root).args(["reproduce", "nb"]).assert().success().stdout(contains("identical"));
    mlwb(&root).args(["reproduce", "lin"]).assert().success().stdout(contains("identical"));
    // The curves the comparison overlays are recorded with the runs.
    let record = |experiment: &str| -> serde_json::Value {
        fs::read_dir(root.join("runs"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| fs::read_to_string(e.path().join("run.json")).ok())
            .filter_map(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .find(|r| r["experiment"] == experiment)
            .unwrap_or_else(|| panic!("no {experiment} run"))
    };
    let roc = record("nb")["details"]["roc_curve"].clone();
    let roc = roc.as_array().cloned().unwrap_or_default();
    assert!(roc.len() > 10, "ROC curve: {roc:?}");
    assert_eq!(roc.first(), Some(&serde_json::json!([0.0, 0.0])));
    assert_eq!(roc.last(), Some(&serde_json::json!([1.0, 1.0])));
    let residuals = record("lin")["details"]["residual_sample"].clone();
    let residuals = residuals.as_array().cloned().unwrap_or_default();
    assert!(residuals.len() > 10 && residuals.len() <= 400, "{} residual points", residuals.len());
    assert!(residuals.iter().all(|p| p.as_array().is_some_and(|xy| xy.len() == 2)));
}

#[test]
fn trees_match_scikit_learn_within_two_points_on_the_same_split() {
    let reference_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/reference");
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_str(&fs::read_to_string(reference_dir.join(name)).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let (split, sklearn) = (read("churn_split.json"), read("sklearn_tree_churn.json"));
    let (_tmp, root) = common::demo_workspace();
    let out = mlwb(&root).args(["runs", "--json"]).assert().success();
    let runs: Vec<serde_json::Value> =
        serde_json::from_slice(&out.get_output().stdout).unwrap_or_default();
    for (spec, depth) in [("tree_shallow", "4"), ("tree_deep", "8")] {
        let run = runs
            .iter()
            .find(|r| r["experiment"] == spec)
            .unwrap_or_else(|| panic!("no {spec} run"));
        let ws = mlwb::workspace::Workspace::at(&root);
        let id = run["id"].as_str().unwrap_or_default();
        let prepared =
            mlwb::experiment::train::prepare(&ws, spec).unwrap_or_else(|e| panic!("{e}"));
        let committed: Vec<usize> = split["test_rows"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_u64())
            .map(|v| v as usize)
            .collect();
        assert_eq!(
            prepared.split.test, committed,
            "the split changed; rerun benches/reference/sklearn_tree_churn.py"
        );
        let ours = run["metrics"]["accuracy"].as_f64().unwrap_or(0.0);
        let theirs = sklearn["accuracy_by_depth"][depth].as_f64().unwrap_or(1.0);
        assert!(
            (ours - theirs).abs() <= 0.02,
            "{id} depth {depth}: mlwb {ours:.4}, scikit-learn {theirs:.4}"
        );
    }
}

#[test]
fn k_fold_cross_validation_averages_folds_and_reproduces() {
    let (_tmp, root) = common::demo_workspace();
    write_spec(
        &root,
        "cv",
        "dataset = \"churn_clean\"\ntarget = \"churned\"\nfeatures = { exclude = [\"customer_ref\"] }\nsplit = { kind = \"kfold\", folds = 4, seed = 3 }\nmodel = { kind = \"decision_tree\", params = { max_depth = 4 } }\n",
    );
    let out = mlwb(&root).args(["train", "cv", "--json"]).assert().success();
    let run: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).unwrap_or_default();
    let folds = run["details"]["cross_validation"]["metrics"]["accuracy"]["folds"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(folds.len(), 4);
    let mean = folds.iter().filter_map(serde_json::Value::as_f64).sum::<f64>() / 4.0;
    assert!((run["metrics"]["accuracy"].as_f64().unwrap_or(0.0) - mean).abs() < 1e-12);
    assert_eq!(run["details"]["split"]["rows"], 5000, "every row predicted out of fold once");
    mlwb(&root).args(["reproduce", "cv"]).assert().success().stdout(contains("identical"));
    write_spec(
        &root,
        "cv_bad",
        "dataset = \"churn_clean\"\ntarget = \"churned\"\nsplit = { kind = \"kfold\", folds = 1 }\nmodel = { kind = \"decision_tree\" }\n",
    );
    mlwb(&root).args(["train", "cv_bad"]).assert().failure().stderr(contains("split.folds"));
}

#[test]
fn saved_views_keep_a_filter_and_a_sort() {
    let (_tmp, root) = common::demo_workspace();
    mlwb(&root)
        .args(["runs", "--save-view", "trees", "--filter", "model = tree", "--sort", "f1"])
        .assert()
        .success();
    let manifest = fs::read_to_string(root.join("mlwb.toml")).unwrap_or_default();
    assert!(
        manifest.contains("[views.trees]") && manifest.contains("name = \"demo\""),
        "{manifest}"
    );
    let out = mlwb(&root).args(["runs", "--view", "trees", "--json"]).assert().success();
    let runs: Vec<serde_json::Value> =
        serde_json::from_slice(&out.get_output().stdout).unwrap_or_default();
    let names: Vec<&str> = runs.iter().filter_map(|r| r["experiment"].as_str()).collect();
    assert_eq!(names, ["tree_deep", "tree_shallow"]);
    mlwb(&root)
        .args(["runs", "--view", "nope"])
        .assert()
        .failure()
        .stderr(contains("saved views: trees"));
    mlwb(&root).args(["runs", "--save-view", "bad", "--filter", "metrics.f1 >"]).assert().failure();
}
