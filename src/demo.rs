//! The demo workspace, built by running mlwb's own code on the sample data compiled into the
//! binary.
//!
//! What it holds today: the three sample datasets with their content versions, dataset cards
//! (the clean churn table approved for churn prediction), a complete problem definition,
//! experiment specs (five), leakage reports on the raw and the clean churn tables, the quality profile of the clean
//! one, and three tracked
//! runs (a baseline and two trees), one of them reproduced and validated. A registered model in
//! production and logged predictions with feedback are added here as the registry and serving
//! code lands; until then those panes show their empty states.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::Context as _;
use chrono::Utc;

use crate::checks;
use crate::data::card::{self, Approval, ColumnNote, DatasetCard};
use crate::data::dataset;
use crate::experiment::spec::{ExperimentSpec, Features, ModelSpec, Split};
use crate::experiment::{reproduce, train, validate};
use crate::problem::{AcceptableError, Costs, Direction, Problem, TaskType};
use crate::workspace::{Workspace, atomic};

/// The sample files shipped inside the binary: file name and bytes.
pub const SAMPLE_FILES: [(&str, &[u8]); 3] = [
    ("churn.csv", include_bytes!("../sample-data/churn.csv")),
    ("churn_clean.csv", include_bytes!("../sample-data/churn_clean.csv")),
    ("delivery.csv", include_bytes!("../sample-data/delivery.csv")),
];

/// Who the demo says did things.
const DEMO_PERSON: &str = "demo analyst";

/// Creates a populated demo workspace at `root`, which must not already be a workspace.
///
/// The workspace is built in a sibling temporary folder and renamed into place at the end, so
/// an interrupted run never leaves a half-made workspace behind.
pub fn create(root: &Path) -> anyhow::Result<Workspace> {
    if root.join(crate::workspace::MANIFEST).exists() {
        anyhow::bail!("{} is already a workspace; nothing was changed", root.display());
    }
    if root.exists() && fs::read_dir(root)?.next().is_some() {
        anyhow::bail!(
            "{} exists and is not empty; choose a new folder for the demo workspace",
            root.display()
        );
    }
    let parent = match root.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::env::current_dir()?,
    };
    fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let building = tempfile::Builder::new().prefix(".mlwb-demo-").tempdir_in(&parent)?;
    populate(building.path())?;
    if root.exists() {
        fs::remove_dir(root)?;
    }
    let built = building.keep();
    fs::rename(&built, root)
        .with_context(|| format!("cannot move the demo workspace into {}", root.display()))?;
    Ok(Workspace::at(root))
}

fn populate(dir: &Path) -> anyhow::Result<()> {
    let ws = Workspace::init(dir, "demo")?;
    for (file, bytes) in SAMPLE_FILES {
        atomic::write_atomic(&ws.data_dir().join(file), bytes)?;
    }
    write_cards(&ws)?;
    for name in ["churn", "churn_clean", "delivery"] {
        let d = dataset::load(&ws, name);
        dataset::record_version(&ws, &d)?;
    }
    atomic::write_toml(&ws.problem_path(), &problem())?;
    for (name, spec) in experiments() {
        atomic::write_toml(&ws.experiment_path(name), &spec)?;
    }
    for name in ["churn", "churn_clean"] {
        let input = checks::run::Input::Dataset(name.to_owned());
        let report = checks::run::run(Some(&ws), &input, &checks::run::Options::default())?;
        checks::run::save(&ws, &report)?;
    }
    let clean = dataset::load(&ws, "churn_clean");
    if let Some(file) = clean.file.as_deref() {
        let table = crate::data::table::read(file)?;
        let profiles = crate::data::profile::profile(&table);
        let alerts = checks::quality::alerts(&table, &profiles, Some("churned"));
        checks::quality::save_summary(
            &ws,
            "churn_clean",
            &crate::data::versions::hash_file(file)?,
            &alerts,
        )?;
    }
    let mut runs = Vec::new();
    for name in ["baseline", "tree_shallow", "tree_deep"] {
        runs.push(train::train(&ws, name, &|_| {})?.id);
    }
    if let Some(best) = runs.get(1) {
        reproduce::reproduce(&ws, best)?;
        validate::validate(&ws, best)?;
    }
    Ok(())
}

fn write_cards(ws: &Workspace) -> anyhow::Result<()> {
    let churn_columns = churn_column_notes();
    let raw = DatasetCard {
        source: "CRM export of all customers on 2025-01-01, before review".into(),
        owner: "customer analytics".into(),
        description: "Raw churn export. Holds columns recorded after customers left.".into(),
        columns: churn_columns.clone(),
        ..DatasetCard::default()
    };
    atomic::write_toml(&ws.card_path("churn"), &raw)?;
    let mut clean_columns = churn_columns;
    for leaky in ["customer_id", "account_status", "cancellation_fee"] {
        clean_columns.remove(leaky);
    }
    let clean = DatasetCard {
        source: "churn.csv with post-outcome columns removed".into(),
        owner: "customer analytics".into(),
        description: "Customers on 2025-01-01 with what was known before they left.".into(),
        columns: clean_columns,
        ..DatasetCard::default()
    };
    atomic::write_toml(&ws.card_path("churn_clean"), &clean)?;
    card::approve(ws, "churn_clean", demo_approval("churn prediction"))?;
    let delivery = DatasetCard {
        source: "dispatch system, March 2024".into(),
        owner: "operations".into(),
        description: "Food deliveries with their durations.".into(),
        ..DatasetCard::default()
    };
    atomic::write_toml(&ws.card_path("delivery"), &delivery)?;
    Ok(())
}

fn demo_approval(purpose: &str) -> Approval {
    Approval {
        purpose: purpose.into(),
        by: DEMO_PERSON.into(),
        at: Utc::now(),
        note: "customer data used inside the company only; no column identifies a person".into(),
        extra: toml::Table::new(),
    }
}

fn note(description: &str) -> ColumnNote {
    ColumnNote { description: description.into(), ..ColumnNote::default() }
}

fn churn_column_notes() -> BTreeMap<String, ColumnNote> {
    [
        ("customer_id", "internal account number"),
        ("customer_ref", "random reference for support tickets"),
        ("signup_date", "day the customer joined"),
        ("contract", "month-to-month, one-year or two-year"),
        ("tenure_months", "months since joining"),
        ("support_calls", "calls to support in the last quarter"),
        ("monthly_charges", "current monthly bill"),
        ("account_status", "account state in the CRM"),
        ("cancellation_fee", "fee charged by billing"),
        ("churned", "left within the quarter (yes/no)"),
    ]
    .into_iter()
    .map(|(c, d)| (c.to_owned(), note(d)))
    .collect()
}

/// The demo's problem definition.
pub fn problem() -> Problem {
    let available = [
        "customer_ref",
        "signup_date",
        "region",
        "age",
        "contract",
        "tenure_months",
        "payment_method",
        "internet_service",
        "paperless_billing",
        "monthly_charges",
        "total_charges",
        "support_calls",
    ];
    Problem {
        task: Some("Predict which customers will cancel within the next quarter".into()),
        task_type: Some(TaskType::BinaryClassification),
        dataset: Some("churn_clean".into()),
        target: Some("churned".into()),
        users: Some("the retention team, who call customers each week".into()),
        decision: Some("whom to offer a retention discount this week".into()),
        business_value: Some("each customer kept saves about 60 in yearly margin".into()),
        acceptable_error: Some(AcceptableError {
            metric: "f1".into(),
            direction: Direction::AtLeast,
            threshold: 0.6,
            extra: toml::Table::new(),
        }),
        available_at_prediction: available.iter().map(|s| (*s).to_owned()).collect(),
        entity_column: Some("customer_ref".into()),
        time_column: Some("signup_date".into()),
        retraining_owner: Some("customer analytics".into()),
        costs: Some(Costs {
            false_positive: Some(5.0),
            false_negative: Some(60.0),
            extra: toml::Table::new(),
        }),
        ..Problem::default()
    }
}

fn experiments() -> Vec<(&'static str, ExperimentSpec)> {
    let base = |model: &str, params: toml::Table, notes: &str| ExperimentSpec {
        dataset: "churn_clean".into(),
        target: "churned".into(),
        features: Features { exclude: vec!["customer_ref".into()], ..Features::default() },
        split: Split { seed: 42, ..Split::default() },
        model: ModelSpec { kind: model.into(), params, extra: toml::Table::new() },
        seed: 7,
        slice_column: Some("contract".into()),
        notes: notes.into(),
        ..ExperimentSpec::default()
    };
    let depth = |d: i64| toml::Table::from_iter([("max_depth".to_owned(), toml::Value::from(d))]);
    let forest = toml::Table::from_iter([
        ("n_trees".to_owned(), toml::Value::from(50)),
        ("max_depth".to_owned(), toml::Value::from(8)),
    ]);
    vec![
        ("baseline", base("majority_class", toml::Table::new(), "the bar every model must clear")),
        ("tree_shallow", base("decision_tree", depth(4), "small tree, easy to explain")),
        ("tree_deep", base("decision_tree", depth(8), "deeper tree; watch for overfitting")),
        ("forest", base("random_forest", forest, "many trees on bootstrap samples")),
        ("logistic", {
            let mut spec = base(
                "logistic_regression",
                toml::Table::new(),
                "a linear model with probabilities",
            );
            spec.preprocessing.insert("standardize".into(), toml::Value::Boolean(true));
            spec
        }),
    ]
}
