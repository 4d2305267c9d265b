//! What a workspace holds, loaded in parts so that a change on disk reloads only its part.
//!
//! Loading never fails as a whole: a malformed file becomes a [`FileError`] kept beside the
//! part it belongs to, so each pane can show its own problem and the rest stays usable.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::checks::finding::Report;
use crate::data::dataset::{self, Dataset};
use crate::experiment::run::RunRecord;
use crate::experiment::spec::ExperimentSpec;
use crate::monitor::records::{FeedbackRecord, MonitorConfig, PredictionRecord};
use crate::problem::Problem;
use crate::registry::model::{ModelInfo, ModelVersion, RegistryEvent};
use crate::workspace::atomic;
use crate::workspace::files::{self, FileError};
use crate::workspace::manifest::Manifest;
use crate::workspace::{self as ws_mod, Workspace};

/// A file that may be missing, loaded, or broken.
#[derive(Debug, Clone, Default)]
pub enum Loaded<T> {
    /// Not loaded yet.
    #[default]
    Pending,
    /// The file does not exist.
    Missing,
    /// The file parsed.
    Ok(T),
    /// The file exists but cannot be used.
    Err(FileError),
}

impl<T> Loaded<T> {
    fn from_result(r: Result<Option<T>, FileError>) -> Self {
        match r {
            Ok(Some(v)) => Self::Ok(v),
            Ok(None) => Self::Missing,
            Err(e) => Self::Err(e),
        }
    }

    /// The value, when it loaded.
    pub fn ok(&self) -> Option<&T> {
        match self {
            Self::Ok(v) => Some(v),
            _ => None,
        }
    }

    /// The error, when the file is broken.
    pub fn err(&self) -> Option<&FileError> {
        match self {
            Self::Err(e) => Some(e),
            _ => None,
        }
    }
}

/// A part of the workspace that can be reloaded on its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// `mlwb.toml`.
    Manifest,
    /// `problem.toml`.
    Problem,
    /// Every dataset.
    Datasets,
    /// One dataset (its file, card or versions changed).
    Dataset(String),
    /// `experiments/`.
    Experiments,
    /// Every run.
    Runs,
    /// One run folder.
    Run(String),
    /// `checks/`.
    Checks,
    /// `registry/`.
    Registry,
    /// `monitoring/`.
    Monitoring,
}

impl Part {
    /// Every part, for a first full load.
    pub fn all() -> Vec<Part> {
        vec![
            Part::Manifest,
            Part::Problem,
            Part::Datasets,
            Part::Experiments,
            Part::Runs,
            Part::Checks,
            Part::Registry,
            Part::Monitoring,
        ]
    }

    /// Whether reloading `self` also covers `other`.
    pub fn covers(&self, other: &Part) -> bool {
        self == other
            || matches!(
                (self, other),
                (Part::Datasets, Part::Dataset(_)) | (Part::Runs, Part::Run(_))
            )
    }
}

/// A leakage report in `checks/`.
#[derive(Debug, Clone)]
pub struct CheckEntry {
    /// The file.
    pub path: PathBuf,
    /// Dataset name, from the file name.
    pub dataset: String,
    /// First eight hex digits of the dataset hash the report is pinned to.
    pub hash8: String,
    /// The report, or why it cannot be read.
    pub report: Result<Report, FileError>,
}

impl CheckEntry {
    /// Open (not accepted) findings by severity label; empty for a broken report.
    pub fn open_counts(&self) -> BTreeMap<String, usize> {
        self.report.as_ref().map(Report::open_counts).unwrap_or_default()
    }
}

/// A registered model and its versions.
#[derive(Debug, Clone, Default)]
pub struct ModelEntry {
    /// `model.toml`.
    pub info: Option<ModelInfo>,
    /// Versions, by number.
    pub versions: Vec<ModelVersion>,
    /// Broken files in the model's folder.
    pub errors: Vec<FileError>,
}

/// The registry: models and the audit log.
#[derive(Debug, Clone, Default)]
pub struct RegistryState {
    /// Models by name.
    pub models: BTreeMap<String, ModelEntry>,
    /// The audit log, oldest first.
    pub events: Vec<RegistryEvent>,
    /// Problems reading the registry.
    pub errors: Vec<FileError>,
}

/// What the logs of one monitored model hold.
#[derive(Debug, Clone, Default)]
pub struct MonitorEntry {
    /// `monitor.toml`, if present.
    pub config: Option<MonitorConfig>,
    /// Predictions logged.
    pub predictions: u64,
    /// Predictions that failed.
    pub failed: u64,
    /// Feedback records.
    pub feedback: u64,
    /// The newest prediction time.
    pub last_prediction: Option<DateTime<Utc>>,
    /// Day files read.
    pub days: usize,
    /// Problems reading the logs.
    pub errors: Vec<FileError>,
}

/// The loaded data of one part.
#[derive(Debug, Clone)]
pub enum PartData {
    /// See [`Part::Manifest`].
    Manifest(Loaded<Manifest>),
    /// See [`Part::Problem`].
    Problem(Loaded<Problem>, Option<String>),
    /// See [`Part::Datasets`].
    Datasets(Result<BTreeMap<String, Dataset>, FileError>),
    /// See [`Part::Dataset`]; `None` when it no longer exists.
    Dataset(String, Option<Dataset>),
    /// See [`Part::Experiments`].
    Experiments(Result<BTreeMap<String, Result<ExperimentSpec, FileError>>, FileError>),
    /// See [`Part::Runs`].
    Runs(Result<BTreeMap<String, Result<RunRecord, FileError>>, FileError>),
    /// See [`Part::Run`]; `None` when the folder is gone.
    Run(String, Option<Result<RunRecord, FileError>>),
    /// See [`Part::Checks`].
    Checks(Result<Vec<CheckEntry>, FileError>, Vec<crate::checks::quality::QualitySummary>),
    /// See [`Part::Registry`].
    Registry(RegistryState),
    /// See [`Part::Monitoring`].
    Monitoring(Result<BTreeMap<String, MonitorEntry>, FileError>),
}

/// Everything loaded from one workspace.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The manifest.
    pub manifest: Loaded<Manifest>,
    /// The problem definition.
    pub problem: Loaded<Problem>,
    /// BLAKE3 of problem.toml as loaded, to notice edits made elsewhere.
    pub problem_hash: Option<String>,
    /// Datasets by name.
    pub datasets: BTreeMap<String, Dataset>,
    /// Experiment specs by name.
    pub experiments: BTreeMap<String, Result<ExperimentSpec, FileError>>,
    /// Runs by id.
    pub runs: BTreeMap<String, Result<RunRecord, FileError>>,
    /// Leakage reports.
    pub checks: Vec<CheckEntry>,
    /// Quality alert summaries, one per profiled dataset version.
    pub quality: Vec<crate::checks::quality::QualitySummary>,
    /// The registry.
    pub registry: RegistryState,
    /// Monitored models by name.
    pub monitors: BTreeMap<String, MonitorEntry>,
    /// Folder-level read errors by part (a folder that cannot be listed).
    pub part_errors: BTreeMap<Part, FileError>,
}

impl Snapshot {
    /// Loads every part.
    pub fn load(ws: &Workspace) -> Self {
        let mut snap = Self::default();
        for part in Part::all() {
            snap.apply(load_part(ws, &part));
        }
        snap
    }

    /// Replaces one part with freshly loaded data.
    pub fn apply(&mut self, data: PartData) {
        match data {
            PartData::Manifest(m) => self.manifest = m,
            PartData::Problem(p, hash) => {
                self.problem = p;
                self.problem_hash = hash;
            }
            PartData::Datasets(r) => self.datasets = self.take(Part::Datasets, r),
            PartData::Dataset(name, d) => upsert(&mut self.datasets, name, d),
            PartData::Experiments(r) => self.experiments = self.take(Part::Experiments, r),
            PartData::Runs(r) => self.runs = self.take(Part::Runs, r),
            PartData::Run(id, r) => upsert(&mut self.runs, id, r),
            PartData::Checks(r, quality) => {
                self.checks = self.take(Part::Checks, r);
                self.quality = quality;
            }
            PartData::Registry(r) => self.registry = r,
            PartData::Monitoring(r) => self.monitors = self.take(Part::Monitoring, r),
        }
    }

    fn take<T: Default>(&mut self, part: Part, r: Result<T, FileError>) -> T {
        match r {
            Ok(v) => {
                self.part_errors.remove(&part);
                v
            }
            Err(e) => {
                self.part_errors.insert(part, e);
                T::default()
            }
        }
    }

    /// Every broken file the snapshot knows of, in workspace order.
    pub fn errors(&self) -> Vec<&FileError> {
        let mut out: Vec<&FileError> = Vec::new();
        out.extend(self.manifest.err());
        out.extend(self.problem.err());
        out.extend(self.datasets.values().flat_map(|d| d.errors.iter()));
        out.extend(self.experiments.values().filter_map(|r| r.as_ref().err()));
        out.extend(self.runs.values().filter_map(|r| r.as_ref().err()));
        out.extend(self.checks.iter().filter_map(|c| c.report.as_ref().err()));
        out.extend(self.registry.errors.iter());
        out.extend(self.registry.models.values().flat_map(|m| m.errors.iter()));
        out.extend(self.monitors.values().flat_map(|m| m.errors.iter()));
        out.extend(self.part_errors.values());
        out
    }

    /// Runs that loaded, newest start first.
    pub fn runs_newest_first(&self) -> Vec<&RunRecord> {
        let mut runs: Vec<&RunRecord> =
            self.runs.values().filter_map(|r| r.as_ref().ok()).collect();
        runs.sort_by(|a, b| b.started.cmp(&a.started).then_with(|| a.id.cmp(&b.id)));
        runs
    }
}

fn upsert<T>(map: &mut BTreeMap<String, T>, key: String, value: Option<T>) {
    match value {
        Some(v) => {
            map.insert(key, v);
        }
        None => {
            map.remove(&key);
        }
    }
}

/// Reads one part from disk. Runs on a background worker.
pub fn load_part(ws: &Workspace, part: &Part) -> PartData {
    match part {
        Part::Manifest => {
            PartData::Manifest(Loaded::from_result(files::read_toml(&ws.manifest_path())))
        }
        Part::Problem => {
            let hash = std::fs::read(ws.problem_path())
                .ok()
                .map(|b| blake3::hash(&b).to_hex().to_string());
            PartData::Problem(Loaded::from_result(files::read_toml(&ws.problem_path())), hash)
        }
        Part::Datasets => PartData::Datasets(load_datasets(ws)),
        Part::Dataset(name) => PartData::Dataset(name.clone(), load_one_dataset(ws, name)),
        Part::Experiments => PartData::Experiments(load_experiments(ws)),
        Part::Runs => PartData::Runs(load_runs(ws)),
        Part::Run(id) => PartData::Run(id.clone(), load_run(ws, id)),
        Part::Checks => PartData::Checks(load_checks(ws), load_quality(ws)),
        Part::Registry => PartData::Registry(load_registry(ws)),
        Part::Monitoring => PartData::Monitoring(load_monitoring(ws)),
    }
}

fn dir_error(dir: &Path, e: &io::Error) -> FileError {
    FileError::new(dir, format!("cannot list the folder: {e}"))
}

fn load_datasets(ws: &Workspace) -> Result<BTreeMap<String, Dataset>, FileError> {
    let names = dataset::list_names(ws).map_err(|e| dir_error(&ws.data_dir(), &e))?;
    Ok(names.into_iter().map(|n| (n.clone(), dataset::load(ws, &n))).collect())
}

fn load_one_dataset(ws: &Workspace, name: &str) -> Option<Dataset> {
    let d = dataset::load(ws, name);
    let exists = d.file.is_some() || ws.card_path(name).exists() || ws.versions_path(name).exists();
    exists.then_some(d)
}

fn load_experiments(
    ws: &Workspace,
) -> Result<BTreeMap<String, Result<ExperimentSpec, FileError>>, FileError> {
    let dir = ws.experiments_dir();
    let names = ws_mod::list_files_with_suffix(&dir, ".toml").map_err(|e| dir_error(&dir, &e))?;
    Ok(names
        .into_iter()
        .map(|n| {
            let path = ws.experiment_path(&n);
            let spec = files::read_toml::<ExperimentSpec>(&path)
                .and_then(|s| s.ok_or_else(|| FileError::new(&path, "disappeared while reading")));
            (n, spec)
        })
        .collect())
}

fn load_runs(ws: &Workspace) -> Result<BTreeMap<String, Result<RunRecord, FileError>>, FileError> {
    let dir = ws.runs_dir();
    let ids = ws_mod::list_subdirs(&dir).map_err(|e| dir_error(&dir, &e))?;
    Ok(ids.into_iter().filter_map(|id| load_run(ws, &id).map(|r| (id, r))).collect())
}

fn load_run(ws: &Workspace, id: &str) -> Option<Result<RunRecord, FileError>> {
    let folder = ws.runs_dir().join(id);
    if !folder.is_dir() {
        return None;
    }
    let path = ws.run_record_path(id);
    Some(match files::read_json::<RunRecord>(&path) {
        Ok(Some(run)) => Ok(run),
        // A folder whose run.json is not written yet is a run being created: show nothing.
        Ok(None) => return None,
        Err(e) => Err(e),
    })
}

fn load_checks(ws: &Workspace) -> Result<Vec<CheckEntry>, FileError> {
    let dir = ws.checks_dir();
    let names = ws_mod::list_files_with_suffix(&dir, ".json").map_err(|e| dir_error(&dir, &e))?;
    // Quality summaries (`<dataset>-<hash8>.quality.json`) are read by `load_quality`.
    Ok(names
        .into_iter()
        .filter(|n| !n.contains('.'))
        .filter_map(|n| load_check(&dir, &n))
        .collect())
}

fn load_quality(ws: &Workspace) -> Vec<crate::checks::quality::QualitySummary> {
    let dir = ws.checks_dir();
    let names = ws_mod::list_files_with_suffix(&dir, ".quality.json").unwrap_or_default();
    names
        .iter()
        .filter_map(|n| files::read_json(&dir.join(format!("{n}.quality.json"))).ok().flatten())
        .collect()
}

fn load_check(dir: &Path, stem: &str) -> Option<CheckEntry> {
    let (dataset, hash8) = stem.rsplit_once('-')?;
    let path = dir.join(format!("{stem}.json"));
    let report = files::read_json::<Report>(&path)
        .and_then(|r| r.ok_or_else(|| FileError::new(&path, "disappeared while reading")));
    Some(CheckEntry { path, dataset: dataset.to_owned(), hash8: hash8.to_owned(), report })
}

impl Snapshot {
    /// The newest report of each dataset, by creation time.
    pub fn latest_checks(&self) -> Vec<&CheckEntry> {
        let mut best: BTreeMap<&str, &CheckEntry> = BTreeMap::new();
        for c in &self.checks {
            let newer = |old: &&CheckEntry| match (&c.report, &old.report) {
                (Ok(a), Ok(b)) => a.created > b.created,
                (Ok(_), Err(_)) => true,
                _ => false,
            };
            match best.get(c.dataset.as_str()) {
                Some(old) if !newer(old) => {}
                _ => {
                    best.insert(&c.dataset, c);
                }
            }
        }
        best.into_values().collect()
    }

    /// Whether a dataset's report was made on an older version of its data.
    pub fn is_stale(&self, entry: &CheckEntry) -> bool {
        let latest = self.datasets.get(&entry.dataset).and_then(|d| d.latest_version());
        latest.is_some_and(|v| v.short_hash() != entry.hash8)
    }
}

fn load_registry(ws: &Workspace) -> RegistryState {
    let mut state = RegistryState::default();
    let dir = ws.registry_dir();
    match ws_mod::list_subdirs(&dir) {
        Ok(models) => {
            for name in models {
                let entry = load_model(&dir.join(&name));
                state.models.insert(name, entry);
            }
        }
        Err(e) => state.errors.push(dir_error(&dir, &e)),
    }
    let events_path = ws.registry_events_path();
    match atomic::read_jsonl::<RegistryEvent>(&events_path) {
        Ok(read) => {
            state.events = read.records;
            if let Some((line, reason)) = read.bad_lines.first() {
                state.errors.push(FileError::new(&events_path, format!("line {line}: {reason}")));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => state.errors.push(FileError::new(&events_path, e.to_string())),
    }
    state
}

fn load_model(dir: &Path) -> ModelEntry {
    let mut entry = ModelEntry::default();
    match files::read_toml::<ModelInfo>(&dir.join("model.toml")) {
        Ok(info) => entry.info = info,
        Err(e) => entry.errors.push(e),
    }
    let version_files = ws_mod::list_files_with_suffix(dir, ".toml").unwrap_or_default();
    for stem in version_files.iter().filter(|s| is_version_stem(s)) {
        match files::read_toml::<ModelVersion>(&dir.join(format!("{stem}.toml"))) {
            Ok(Some(v)) => entry.versions.push(v),
            Ok(None) => {}
            Err(e) => entry.errors.push(e),
        }
    }
    entry.versions.sort_by_key(|v| v.version);
    entry
}

fn is_version_stem(stem: &str) -> bool {
    stem.strip_prefix('v').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn load_monitoring(ws: &Workspace) -> Result<BTreeMap<String, MonitorEntry>, FileError> {
    let dir = ws.monitoring_dir();
    let models = ws_mod::list_subdirs(&dir).map_err(|e| dir_error(&dir, &e))?;
    Ok(models.into_iter().map(|m| (m.clone(), load_monitor(&dir.join(&m)))).collect())
}

fn load_monitor(dir: &Path) -> MonitorEntry {
    let mut entry = MonitorEntry::default();
    match files::read_toml::<MonitorConfig>(&dir.join("monitor.toml")) {
        Ok(c) => entry.config = c,
        Err(e) => entry.errors.push(e),
    }
    let pred_dir = dir.join("predictions");
    for day in ws_mod::list_files_with_suffix(&pred_dir, ".jsonl").unwrap_or_default() {
        entry.days += 1;
        let path = pred_dir.join(format!("{day}.jsonl"));
        match atomic::read_jsonl::<PredictionRecord>(&path) {
            Ok(read) => {
                entry.predictions += read.records.len() as u64;
                entry.failed += read.records.iter().filter(|r| r.error.is_some()).count() as u64;
                let newest = read.records.iter().map(|r| r.time).max();
                entry.last_prediction = entry.last_prediction.max(newest);
            }
            Err(e) => entry.errors.push(FileError::new(&path, e.to_string())),
        }
    }
    let fb_dir = dir.join("feedback");
    for day in ws_mod::list_files_with_suffix(&fb_dir, ".jsonl").unwrap_or_default() {
        let path = fb_dir.join(format!("{day}.jsonl"));
        match atomic::read_jsonl::<FeedbackRecord>(&path) {
            Ok(read) => entry.feedback += read.records.len() as u64,
            Err(e) => entry.errors.push(FileError::new(&path, e.to_string())),
        }
    }
    entry
}

/// Maps a changed path inside the workspace to the part that must be reloaded.
pub fn part_for_path(ws: &Workspace, path: &Path) -> Option<Part> {
    if atomic::is_temp_file(path) {
        return None;
    }
    let rel = path.strip_prefix(ws.root()).ok()?;
    let mut comps = rel.components().map(|c| c.as_os_str().to_str().unwrap_or(""));
    let first = comps.next()?;
    let second = comps.next();
    match (first, second) {
        (ws_mod::MANIFEST, None) => Some(Part::Manifest),
        ("problem.toml", None) => Some(Part::Problem),
        ("data", Some(file)) => dataset::dataset_name_of(Path::new(file)).map(Part::Dataset),
        ("data", None) => Some(Part::Datasets),
        ("experiments", _) => Some(Part::Experiments),
        ("runs", Some(id)) if ws_mod::names::validate(id).is_ok() => Some(Part::Run(id.to_owned())),
        ("runs", _) => Some(Part::Runs),
        ("checks", _) => Some(Part::Checks),
        ("registry", _) => Some(Part::Registry),
        ("monitoring", _) => Some(Part::Monitoring),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_the_parts_they_change() {
        let ws = Workspace::at("/w");
        let cases = [
            ("/w/problem.toml", Some(Part::Problem)),
            ("/w/data/churn.card.toml", Some(Part::Dataset("churn".into()))),
            ("/w/data/churn.csv", Some(Part::Dataset("churn".into()))),
            ("/w/runs/r1/run.json", Some(Part::Run("r1".into()))),
            ("/w/runs/.mlwb-run.json.1.0.tmp", None),
            ("/w/registry/churn/v1.toml", Some(Part::Registry)),
            ("/w/elsewhere.txt", None),
            ("/other/problem.toml", None),
        ];
        for (path, want) in cases {
            assert_eq!(part_for_path(&ws, Path::new(path)), want, "{path}");
        }
    }

    #[test]
    fn version_stems_are_v_and_digits() {
        assert!(is_version_stem("v1") && is_version_stem("v12"));
        assert!(!is_version_stem("model") && !is_version_stem("v") && !is_version_stem("vx"));
    }
}
