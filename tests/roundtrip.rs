//! Property tests: workspace files round-trip through their serde types, unknown fields
//! included.

use std::collections::BTreeMap;
use std::path::Path;

use mlwb::data::card::{ColumnNote, DatasetCard};
use mlwb::experiment::run::{RunRecord, RunStatus};
use mlwb::problem::{AcceptableError, Direction, Problem, TaskType};
use mlwb::workspace::files;
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    "[ -~éü€\\n]{0,30}"
}

fn unknown_key() -> impl Strategy<Value = String> {
    // Names no current type uses, as a newer mlwb might add.
    "zz_[a-z]{1,8}"
}

fn extra_toml() -> impl Strategy<Value = toml::Table> {
    prop::collection::btree_map(unknown_key(), text(), 0..3)
        .prop_map(|m| m.into_iter().map(|(k, v)| (k, toml::Value::String(v))).collect())
}

fn problem() -> impl Strategy<Value = Problem> {
    (
        prop::option::of(text()),
        prop::option::of(prop::sample::select(vec![
            TaskType::BinaryClassification,
            TaskType::MulticlassClassification,
            TaskType::Regression,
        ])),
        prop::option::of(text()),
        prop::collection::vec("[a-z_]{1,10}", 0..5),
        prop::option::of((text(), -1e6f64..1e6, any::<bool>(), extra_toml())),
        extra_toml(),
    )
        .prop_map(|(task, task_type, target, available, gate, extra)| Problem {
            task,
            task_type,
            target,
            available_at_prediction: available,
            acceptable_error: gate.map(|(metric, threshold, up, extra)| AcceptableError {
                metric,
                direction: if up { Direction::AtLeast } else { Direction::AtMost },
                threshold,
                extra,
            }),
            extra,
            ..Problem::default()
        })
}

fn card() -> impl Strategy<Value = DatasetCard> {
    (
        text(),
        text(),
        prop::collection::btree_map(
            "[a-z]{1,6}",
            (text(), prop::option::of(any::<bool>()), extra_toml()),
            0..4,
        ),
        extra_toml(),
    )
        .prop_map(|(source, owner, cols, extra)| DatasetCard {
            source,
            owner,
            columns: cols
                .into_iter()
                .map(|(k, (description, available_at_prediction, extra))| {
                    (k, ColumnNote { description, available_at_prediction, extra })
                })
                .collect(),
            extra,
            ..DatasetCard::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn problem_round_trips(p in problem()) {
        let text = toml::to_string_pretty(&p).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: Problem = files::parse_toml(Path::new("problem.toml"), &text)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, p);
    }

    #[test]
    fn card_round_trips(c in card()) {
        let text = toml::to_string_pretty(&c).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: DatasetCard = files::parse_toml(Path::new("x.card.toml"), &text)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, c);
    }

    #[test]
    fn run_record_round_trips_with_unknown_fields(
        id in "[a-z0-9-]{1,12}",
        metrics in prop::collection::btree_map("[a-z_]{1,8}", -1e9f64..1e9, 0..5),
        extra in prop::collection::btree_map(unknown_key(), text(), 0..3),
    ) {
        let mut doc = serde_json::json!({
            "id": id, "experiment": "e", "status": "finished",
            "started": "2026-12-03T10:00:00Z", "metrics": metrics,
        });
        for (k, v) in &extra {
            doc[k] = serde_json::Value::String(v.clone());
        }
        let run: RunRecord = serde_json::from_value(doc.clone()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(run.status, RunStatus::Finished);
        let again = serde_json::to_value(&run).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (k, v) in &extra {
            prop_assert_eq!(&again[k], &serde_json::Value::String(v.clone()));
        }
        let back: RunRecord = serde_json::from_value(again).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, run);
    }
}

#[test]
fn unknown_fields_survive_a_read_write_cycle_on_disk() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("problem.toml");
    std::fs::write(&path, "task = \"t\"\nzz_new = 3\n[acceptable_error]\nmetric = \"f1\"\ndirection = \"at_least\"\nthreshold = 0.5\nzz_conf = [1, 2]\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let p: Problem = files::read_toml(&path).ok().flatten().unwrap_or_default();
    mlwb::workspace::atomic::write_toml(&path, &p).unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(text.contains("zz_new = 3") && text.contains("zz_conf = ["), "{text}");
    let _: BTreeMap<String, toml::Value> = toml::from_str(&text).unwrap_or_default();
}
