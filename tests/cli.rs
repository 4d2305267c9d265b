//! The command line against fixture workspaces, good and malformed.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

/// `mlwb` with a private data folder and no inherited workspace.
fn mlwb(data_dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("mlwb").unwrap_or_else(|e| panic!("{e}"));
    cmd.env("MLWB_DATA_DIR", data_dir).env_remove("MLWB_WORKSPACE").env_remove("MLWB_LOG");
    cmd.env_remove("RUST_LOG").env("NO_COLOR", "1");
    cmd
}

#[test]
fn init_creates_an_empty_workspace_and_refuses_to_do_it_twice() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ws = tmp.path().join("proj");
    mlwb(tmp.path())
        .arg("init")
        .arg(&ws)
        .assert()
        .success()
        .stdout(contains("Created an empty workspace"));
    for folder in ["data", "experiments", "runs", "checks", "registry", "monitoring"] {
        assert!(ws.join(folder).is_dir(), "{folder} missing");
    }
    let manifest = fs::read_to_string(ws.join("mlwb.toml")).unwrap_or_default();
    assert!(manifest.contains("format = 1") && manifest.contains("name = \"proj\""), "{manifest}");
    mlwb(tmp.path())
        .arg("init")
        .arg(&ws)
        .assert()
        .failure()
        .stderr(contains("already a workspace"));
    assert_eq!(fs::read_to_string(ws.join("mlwb.toml")).unwrap_or_default(), manifest);
}

#[test]
fn status_of_an_empty_workspace_names_the_first_step() {
    let ws = common::fixture("empty");
    mlwb(ws.path()).args(["--workspace"]).arg(ws.path()).arg("status").assert().success().stdout(
        contains("1  Problem")
            .and(contains("9  Monitoring"))
            .and(contains("Next: stage 1 Problem")),
    );
}

#[test]
fn demo_then_status_prints_the_nine_stages_with_two_done() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ws = tmp.path().join("x");
    mlwb(tmp.path()).arg("demo").arg(&ws).assert().success();
    let out = mlwb(tmp.path()).arg("--workspace").arg(&ws).arg("status").assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for stage in [
        "Problem",
        "Data selection",
        "Preparation",
        "Experimentation",
        "Formal training",
        "Validation",
        "Registry",
        "Deployment",
        "Monitoring",
    ] {
        assert!(text.contains(stage), "{stage} missing from\n{text}");
    }
    assert!(text.contains(" 1  Problem          done"), "{text}");
    assert!(text.contains(" 2  Data selection   done"), "{text}");
    assert!(text.contains(" 3  Preparation      done"), "{text}");
    assert!(
        text.contains("Next: stage 6 Validation") && text.contains("slice_disparity"),
        "{text}"
    );
}

#[test]
fn status_json_is_machine_readable() {
    let (_tmp, root) = common::demo_workspace();
    let out =
        mlwb(&root).arg("--workspace").arg(&root).args(["status", "--json"]).assert().success();
    let doc: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).unwrap_or_else(|e| panic!("{e}"));
    let stages = doc["stages"].as_array().cloned().unwrap_or_default();
    assert_eq!(stages.len(), 9);
    assert_eq!(stages[0]["state"], "done");
    assert_eq!(stages[2]["state"], "done");
    assert_eq!(doc["next"]["number"], 6);
    assert_eq!(doc["errors"].as_array().map(Vec::len), Some(0));
}

#[test]
fn demo_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    fs::write(tmp.path().join("notes.txt"), "mine").unwrap_or_else(|e| panic!("{e}"));
    mlwb(tmp.path()).arg("demo").arg(tmp.path()).assert().failure().stderr(contains("not empty"));
    assert_eq!(fs::read_to_string(tmp.path().join("notes.txt")).unwrap_or_default(), "mine");
}

#[test]
fn malformed_problem_fails_status_with_path_and_line_and_is_not_rewritten() {
    let ws = common::fixture("malformed-problem");
    let before = common::tree_bytes(ws.path());
    mlwb(ws.path())
        .arg("--workspace")
        .arg(ws.path())
        .arg("status")
        .assert()
        .code(1)
        .stdout(contains("1  Problem          error"))
        .stderr(contains("problem.toml").and(contains("line 1")).and(contains("not valid TOML")));
    assert_eq!(common::tree_bytes(ws.path()), before);
}

#[test]
fn wrong_type_in_problem_names_the_field() {
    let ws = common::fixture("wrong-types");
    mlwb(ws.path())
        .arg("--workspace")
        .arg(ws.path())
        .arg("status")
        .assert()
        .code(1)
        .stderr(contains("problem.toml").and(contains("task_type")));
}

#[test]
fn newer_format_is_refused_and_left_untouched() {
    let ws = common::fixture("newer-format");
    let before = common::tree_bytes(ws.path());
    mlwb(ws.path())
        .arg("--workspace")
        .arg(ws.path())
        .arg("status")
        .assert()
        .code(1)
        .stderr(contains("format 2").and(contains("upgrade mlwb")));
    assert_eq!(common::tree_bytes(ws.path()), before);
}

#[test]
fn broken_run_record_is_reported_not_fatal() {
    let ws = common::fixture("broken-run");
    mlwb(ws.path())
        .arg("--workspace")
        .arg(ws.path())
        .arg("status")
        .assert()
        .code(1)
        .stdout(contains("9  Monitoring"))
        .stderr(contains("run.json").and(contains("not valid JSON")));
}

#[test]
fn a_folder_that_is_not_a_workspace_gets_a_hint() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    mlwb(tmp.path()).arg("--workspace").arg(tmp.path()).arg("status").assert().failure().stderr(
        contains("not a workspace").and(contains("mlwb init")).and(contains("--workspace")),
    );
}

#[test]
fn discovery_uses_env_then_ancestor_then_demo() {
    let (_tmp, root) = common::demo_workspace();
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Environment variable.
    mlwb(data.path())
        .env("MLWB_WORKSPACE", &root)
        .arg("status")
        .assert()
        .success()
        .stdout(contains(root.display().to_string()));
    // Nearest ancestor with mlwb.toml.
    let nested = root.join("experiments");
    mlwb(data.path())
        .current_dir(&nested)
        .arg("status")
        .assert()
        .success()
        .stdout(contains(root.display().to_string()));
    // Nothing found: the demo workspace in the data folder, created on first use.
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    mlwb(data.path())
        .current_dir(elsewhere.path())
        .arg("status")
        .assert()
        .success()
        .stdout(contains(data.path().join("demo").display().to_string()));
    assert!(data.path().join("demo/mlwb.toml").is_file());
}

#[test]
fn unbuilt_verbs_exit_2_with_one_line_naming_what_is_missing() {
    let ws = common::fixture("empty");
    let verbs: [&[&str]; 8] = [
        &["registry", "log"],
        &["serve", "m"],
        &["simulate", "m"],
        &["monitor", "m"],
        &["drift", "a", "b"],
        &["report", "x"],
        &["import", "mlflow"],
        &["export", "mlflow"],
    ];
    for args in verbs {
        let out = mlwb(ws.path()).arg("--workspace").arg(ws.path()).args(args).assert().code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("not available yet") && err.contains("not built"), "{args:?}: {err}");
    }
}

#[test]
fn help_lists_every_verb_of_the_design() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = mlwb(tmp.path()).arg("--help").assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for verb in [
        "tour",
        "init",
        "demo",
        "status",
        "data",
        "profile",
        "check",
        "train",
        "runs",
        "compare",
        "reproduce",
        "validate",
        "registry",
        "serve",
        "simulate",
        "monitor",
        "drift",
        "report",
        "import",
        "export",
    ] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(verb)), "{verb} missing:\n{help}");
    }
}

#[test]
fn data_approve_keeps_unknown_fields_and_versions_records_changes() {
    let ws = common::fixture("unknown-fields");
    let w = ws.path();
    mlwb(w)
        .arg("--workspace")
        .arg(w)
        .args(["data", "approve", "tiny", "--by", "ana", "--for", "testing", "--note", "ok"])
        .assert()
        .success();
    let card = fs::read_to_string(w.join("data/tiny.card.toml")).unwrap_or_default();
    assert!(card.contains("retention_days = 30") && card.contains("unit = \"cm\""), "{card}");
    assert!(card.contains("by = \"ana\"") && card.contains("use = \"testing\""), "{card}");
    mlwb(w)
        .arg("--workspace")
        .arg(w)
        .args(["data", "set", "tiny", "available.a", "no"])
        .assert()
        .success();
    let card = fs::read_to_string(w.join("data/tiny.card.toml")).unwrap_or_default();
    assert!(card.contains("available_at_prediction = false"), "{card}");
    assert!(card.contains("retention_days = 30") && card.contains("use = \"testing\""), "{card}");
    mlwb(w)
        .arg("--workspace")
        .arg(w)
        .args(["data", "set", "tiny", "column.zzz", "what it holds"])
        .assert()
        .failure()
        .stderr(contains("no column \"zzz\"").and(contains("tiny.card.toml")));

    mlwb(w)
        .arg("--workspace")
        .arg(w)
        .args(["data", "versions", "tiny"])
        .assert()
        .success()
        .stdout(contains("2     3"));
    fs::write(w.join("data/tiny.csv"), "a,b,label\n1,x,yes\n").unwrap_or_else(|e| panic!("{e}"));
    let out = mlwb(w)
        .arg("--workspace")
        .arg(w)
        .args(["data", "versions", "tiny", "--json"])
        .assert()
        .success();
    let versions: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(versions.as_array().map(Vec::len), Some(2));
    assert_eq!(versions[1]["rows"], 1);
    mlwb(w)
        .arg("--workspace")
        .arg(w)
        .args(["data", "list"])
        .assert()
        .success()
        .stdout(contains("tiny").and(contains("approved for \"testing\" by ana")));
}

#[test]
fn approving_a_dataset_that_does_not_exist_is_an_error() {
    let ws = common::fixture("empty");
    mlwb(ws.path())
        .arg("--workspace")
        .arg(ws.path())
        .args(["data", "approve", "nope", "--by", "a", "--for", "b"])
        .assert()
        .failure()
        .stderr(contains("no dataset \"nope\""));
    assert!(!ws.path().join("data/nope.card.toml").exists());
}

#[test]
fn traversal_in_a_dataset_name_is_refused() {
    let ws = common::fixture("unknown-fields");
    mlwb(ws.path())
        .arg("--workspace")
        .arg(ws.path())
        .args(["data", "approve", "../escape", "--by", "a", "--for", "b"])
        .assert()
        .failure();
    assert!(!ws.path().join("escape.card.toml").exists());
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let (_tmp, root) = common::demo_workspace();
    let bin = assert_cmd::cargo::cargo_bin("mlwb");
    let script = format!(
        "'{}' --workspace '{}' status | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}}",
        bin.display(),
        root.display()
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let code = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(code == "0", "exit code {code}; stderr: {}", String::from_utf8_lossy(&out.stderr));
}
