//! The nine stages of the workflow, derived from what the workspace holds.

use serde::Serialize;

use crate::data::dataset::Dataset;
use crate::registry::model::Stage as DeployStage;
use crate::snapshot::{Loaded, Snapshot};

/// Where a stage stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The stage's condition holds.
    Done,
    /// Not done yet.
    Todo,
    /// Cannot be done until something else is fixed.
    Blocked,
    /// A file the stage depends on is malformed.
    Error,
}

impl State {
    /// Short label used on screen and in `mlwb status`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Todo => "to do",
            Self::Blocked => "blocked",
            Self::Error => "error",
        }
    }
}

/// One stage with its state, the reason, and what to do next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageStatus {
    /// 1 to 9.
    pub number: u8,
    /// The stage name.
    pub name: &'static str,
    /// What the stage is for, for a student.
    pub purpose: &'static str,
    /// Where it stands.
    pub state: State,
    /// Why, in one line.
    pub why: String,
    /// The next action: a key or a command.
    pub next: String,
}

/// Names and purposes of the nine stages.
pub const STAGES: [(&str, &str); 9] = [
    ("Problem", "Write down what the model predicts, for whom, and how good it must be."),
    ("Data selection", "Choose the data, record where it came from, and get its use approved."),
    ("Preparation", "Profile the data, fix quality problems, and check for leakage."),
    ("Experimentation", "Train candidate models and track every run."),
    ("Formal training", "Turn the best experiment into a spec that reproduces exactly."),
    ("Validation", "Check quality, the baseline, fairness across slices, and business fit."),
    ("Registry", "Register the model version with its lineage and an approval."),
    ("Deployment", "Put a version in production with a way back."),
    ("Monitoring", "Watch predictions, drift and realized quality, and act on alerts."),
];

/// Computes every stage from the snapshot.
pub fn stages(snap: &Snapshot) -> Vec<StageStatus> {
    let evaluators: [fn(&Snapshot) -> Verdict; 9] = [
        problem,
        data_selection,
        preparation,
        experimentation,
        formal_training,
        validation,
        registry,
        deployment,
        monitoring,
    ];
    STAGES
        .iter()
        .zip(evaluators)
        .enumerate()
        .map(|(i, ((name, purpose), eval))| {
            let (state, why, next) = eval(snap);
            StageStatus { number: i as u8 + 1, name, purpose, state, why, next }
        })
        .collect()
}

/// The first stage that is not done, if any.
pub fn next_stage(stages: &[StageStatus]) -> Option<&StageStatus> {
    stages.iter().find(|s| s.state != State::Done)
}

type Verdict = (State, String, String);

fn verdict(state: State, why: impl Into<String>, next: impl Into<String>) -> Verdict {
    (state, why.into(), next.into())
}

fn problem(snap: &Snapshot) -> Verdict {
    let p = match &snap.problem {
        Loaded::Ok(p) => p,
        Loaded::Err(e) => return verdict(State::Error, e.to_string(), "fix problem.toml"),
        Loaded::Missing | Loaded::Pending => {
            return verdict(State::Todo, "no problem.toml yet", "describe the problem in pane 2");
        }
    };
    let missing = p.missing();
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|f| f.label).collect();
        return verdict(State::Todo, format!("missing: {}", names.join(", ")), "fill in pane 2");
    }
    let (Some(dataset), Some(target)) = (p.dataset.as_deref(), p.target.as_deref()) else {
        return verdict(State::Todo, "dataset or target missing", "fill in pane 2");
    };
    match snap.datasets.get(dataset) {
        None => verdict(
            State::Todo,
            format!("dataset {dataset:?} is not in data/"),
            "add the file to data/",
        ),
        Some(d) if d.columns.is_empty() => {
            verdict(State::Todo, format!("columns of {dataset:?} not read yet"), "open pane 3")
        }
        Some(d) if !d.columns.iter().any(|c| c == target) => verdict(
            State::Todo,
            format!("target {target:?} is not a column of {dataset:?}"),
            "fix the target in pane 2",
        ),
        Some(_) => verdict(State::Done, format!("predict {target:?} from {dataset:?}"), ""),
    }
}

/// The dataset the problem names, else the only dataset.
fn chosen_dataset(snap: &Snapshot) -> Option<&Dataset> {
    let named = snap.problem.ok().and_then(|p| p.dataset.as_deref());
    match named {
        Some(name) => snap.datasets.get(name),
        None if snap.datasets.len() == 1 => snap.datasets.values().next(),
        None => None,
    }
}

fn data_selection(snap: &Snapshot) -> Verdict {
    let Some(d) = chosen_dataset(snap) else {
        return verdict(State::Todo, "no dataset chosen", "put a CSV or Parquet file in data/");
    };
    if let Some(e) = d.errors.first() {
        return verdict(State::Error, e.to_string(), "fix the card");
    }
    let Some(card) = &d.card else {
        return verdict(
            State::Todo,
            format!("{} has no card", d.name),
            format!("mlwb data approve {}", d.name),
        );
    };
    let gaps = card.gaps();
    if gaps.is_empty() {
        let by = card.latest_approval().map(|a| a.by.as_str()).unwrap_or_default();
        verdict(State::Done, format!("{} approved by {by}", d.name), "")
    } else {
        verdict(
            State::Todo,
            format!("card of {} lacks {}", d.name, gaps.join(", ")),
            format!("mlwb data approve {}", d.name),
        )
    }
}

fn preparation(snap: &Snapshot) -> Verdict {
    let Some(d) = chosen_dataset(snap) else {
        return verdict(State::Todo, "no dataset chosen", "choose data first (stage 2)");
    };
    let hash8 = d.latest_version().map(|v| v.short_hash().to_owned()).unwrap_or_default();
    let report = snap.checks.iter().find(|c| c.dataset == d.name && c.hash8 == hash8);
    let high = report.map(|r| r.open_counts().get("high").copied().unwrap_or(0));
    match (report, high) {
        (Some(r), _) if r.report.is_err() => verdict(
            State::Error,
            format!("leakage report of {} cannot be read", d.name),
            "mlwb check leakage",
        ),
        (Some(_), Some(h)) if h > 0 => verdict(
            State::Blocked,
            format!("{h} open high leakage finding(s) on {}", d.name),
            "review them in pane 4",
        ),
        (Some(_), _) => quality(snap, d, &hash8),
        (None, _) => verdict(
            State::Todo,
            format!("{} has not been checked for leakage or profiled", d.name),
            format!("mlwb check leakage --dataset {}", d.name),
        ),
    }
}

/// Preparation once leakage is clear: the current version's profile has no error-level alert.
fn quality(snap: &Snapshot, d: &Dataset, hash8: &str) -> Verdict {
    let summary = snap
        .quality
        .iter()
        .find(|q| q.dataset == d.name && crate::data::versions::short_hash(&q.hash) == hash8);
    match summary {
        None => verdict(
            State::Todo,
            format!("no open leakage on {}; its quality profile is not done", d.name),
            format!("mlwb profile {}", d.name),
        ),
        Some(q) if q.errors() > 0 => verdict(
            State::Blocked,
            format!("{} error-level quality alert(s) on {}", q.errors(), d.name),
            "fix them (pane 3, Enter on the dataset)",
        ),
        Some(q) => verdict(
            State::Done,
            format!(
                "no open leakage and no error alert on {} ({} alerts to know)",
                d.name,
                q.alerts.len()
            ),
            "",
        ),
    }
}

fn experimentation(snap: &Snapshot) -> Verdict {
    let runs = snap.runs_newest_first();
    let finished = runs.iter().filter(|r| r.status.label() == "finished").count();
    if finished > 0 {
        return verdict(State::Done, format!("{finished} finished run(s)"), "");
    }
    match snap.experiments.keys().next() {
        Some(spec) => verdict(
            State::Todo,
            format!("{} spec(s), no finished run", snap.experiments.len()),
            format!("mlwb train {spec}"),
        ),
        None => verdict(State::Todo, "no experiment spec yet", "write experiments/<name>.toml"),
    }
}

fn formal_training(snap: &Snapshot) -> Verdict {
    let runs = snap.runs_newest_first();
    if let Some(r) = runs.iter().find(|r| r.reproduction.as_ref().is_some_and(|x| x.identical)) {
        return verdict(State::Done, format!("run {} reproduces exactly", r.id), "");
    }
    match runs.first() {
        Some(r) => {
            verdict(State::Todo, "no run has been reproduced", format!("mlwb reproduce {}", r.id))
        }
        None => verdict(State::Todo, "no run yet", "train first (stage 4)"),
    }
}

fn validation(snap: &Snapshot) -> Verdict {
    let runs = snap.runs_newest_first();
    if let Some(r) = runs.iter().find(|r| r.validation.as_ref().is_some_and(|v| v.passed)) {
        return verdict(State::Done, format!("run {} passes every gate", r.id), "");
    }
    if let (State::Blocked, why, _) = preparation(snap) {
        return verdict(State::Blocked, why, "resolve leakage first (pane 4)");
    }
    let failed = runs.iter().find_map(|r| {
        let v = r.validation.as_ref()?;
        let gates: Vec<&str> =
            v.gates.iter().filter(|g| !g.passed).map(|g| g.gate.as_str()).collect();
        Some((r, gates))
    });
    match (failed, runs.first()) {
        (Some((r, gates)), Some(newest)) => verdict(
            State::Todo,
            format!("run {} fails {}", r.id, gates.join(", ")),
            format!("improve the model (pane 5), then mlwb validate {}", newest.id),
        ),
        (None, Some(r)) => {
            verdict(State::Todo, "no run has been validated", format!("mlwb validate {}", r.id))
        }
        (_, None) => verdict(State::Todo, "no run yet", "train first (stage 4)"),
    }
}

fn registry(snap: &Snapshot) -> Verdict {
    let approved = snap.registry.models.iter().find_map(|(name, m)| {
        m.versions
            .iter()
            .rev()
            .find(|v| !v.run.is_empty() && !v.approvals.is_empty())
            .map(|v| (name, v.version))
    });
    match approved {
        Some((name, v)) => verdict(State::Done, format!("{name} v{v} registered and approved"), ""),
        None if snap.registry.models.is_empty() => {
            verdict(State::Todo, "no model registered", "mlwb registry register RUN")
        }
        None => verdict(State::Todo, "no approved version", "mlwb registry approve MODEL VERSION"),
    }
}

fn deployment(snap: &Snapshot) -> Verdict {
    for (name, m) in &snap.registry.models {
        let Some(prod) = m.versions.iter().find(|v| v.stage == DeployStage::Production) else {
            continue;
        };
        let earlier = m.versions.iter().any(|v| v.version < prod.version);
        if earlier || prod.no_rollback_reason.is_some() {
            return verdict(State::Done, format!("{name} v{} in production", prod.version), "");
        }
        return verdict(
            State::Todo,
            format!("{name} v{} in production with no way back", prod.version),
            "record why there is no earlier version, or register one",
        );
    }
    verdict(State::Todo, "no version in production", "mlwb registry promote MODEL VERSION")
}

fn monitoring(snap: &Snapshot) -> Verdict {
    let logged: u64 = snap.monitors.values().map(|m| m.predictions).sum();
    if logged == 0 {
        return verdict(State::Todo, "no predictions logged", "mlwb serve MODEL");
    }
    // Alerts are computed by the monitoring code; until it has run, the stage cannot claim
    // that no alert is open.
    verdict(
        State::Todo,
        format!("{logged} prediction(s) logged; alerts not evaluated"),
        "mlwb monitor MODEL",
    )
}
