//! Long or writing work started from the TUI, run on a background thread.
//!
//! A job asked for again while it waits in the queue is queued once. Each job reports when
//! the queue changes and when it ends, with the parts of the workspace to reload.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;

use super::event::Event;
use crate::checks::run::{self, Input, Options};
use crate::snapshot::Part;
use crate::workspace::Workspace;

/// Work the TUI can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Run the leakage checks on a dataset and save the report.
    Leakage {
        /// The dataset.
        dataset: String,
    },
    /// Accept a finding with a reason.
    Accept {
        /// The report file.
        report: PathBuf,
        /// The finding's id.
        finding: String,
        /// Why it is acceptable.
        reason: String,
    },
    /// Train an experiment spec and record the run.
    Train {
        /// The spec.
        experiment: String,
    },
    /// Read rows of a dataset for the table: the first ones, or all of them (sorted).
    Rows {
        /// The dataset.
        dataset: String,
        /// All rows rather than the first ones.
        all: bool,
        /// Sort by this column, descending when true.
        sort: Option<(String, bool)>,
        /// Keep only the rows where this filter (the query language) holds.
        filter: Option<String>,
    },
    /// Replace a run's notes.
    SaveNotes {
        /// The run id.
        run: String,
        /// The notes.
        notes: String,
    },
    /// Save one field of problem.toml.
    SaveProblem {
        /// The field key.
        key: String,
        /// The text typed.
        text: String,
        /// Hash of problem.toml when editing began; a different file on disk is a conflict.
        base: Option<String>,
        /// Overwrite even if the file changed on disk.
        force: bool,
    },
    /// Record a new content version of a dataset if its file changed.
    RecordVersion {
        /// The dataset.
        dataset: String,
    },
    /// Set one field of a dataset's card.
    SetCard {
        /// The dataset.
        dataset: String,
        /// The field (see `data::card::FIELDS`).
        field: String,
        /// Its new value.
        value: String,
    },
    /// Approve a dataset for a use.
    Approve {
        /// The dataset.
        dataset: String,
        /// Who approves.
        by: String,
        /// The approved use.
        purpose: String,
        /// A note.
        note: String,
    },
    /// Profile a dataset: statistics, histograms and quality alerts.
    Profile {
        /// The dataset.
        dataset: String,
    },
    /// Mark columns unavailable at prediction time on a dataset's card, then re-check.
    MarkUnavailable {
        /// The dataset.
        dataset: String,
        /// The columns.
        columns: Vec<String>,
    },
}

impl Job {
    /// A short description for the status bar.
    pub fn label(&self) -> String {
        match self {
            Job::Leakage { dataset } => format!("leakage checks on {dataset}"),
            Job::Accept { finding, .. } => format!("accepting {finding}"),
            Job::Train { experiment } => format!("training {experiment}"),
            Job::Profile { dataset } => format!("profiling {dataset}"),
            Job::RecordVersion { dataset } => format!("hashing {dataset}"),
            Job::SaveProblem { key, .. } => format!("saving {key}"),
            Job::SaveNotes { run, .. } => format!("saving notes of {run}"),
            Job::Rows { dataset, all: false, .. } => format!("reading the first rows of {dataset}"),
            Job::Rows { dataset, filter: Some(f), .. } => format!("filtering {dataset}: {f}"),
            Job::Rows { dataset, sort: Some((c, _)), .. } => format!("sorting {dataset} by {c}"),
            Job::Rows { dataset, .. } => format!("reading {dataset}"),
            Job::Approve { dataset, .. } => format!("approving {dataset}"),
            Job::SetCard { dataset, field, .. } => format!("setting {field} of {dataset}"),
            Job::MarkUnavailable { dataset, columns } => {
                format!("marking {} unavailable in {dataset}", columns.join(", "))
            }
        }
    }
}

/// A dataset's profile, as the Data pane shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DataProfile {
    /// The dataset.
    pub dataset: String,
    /// First eight hex digits of the content hash profiled.
    pub hash8: String,
    /// Rows in the file.
    pub rows: usize,
    /// Rows of the uniform sample the distributions come from, when the file was too large.
    pub sample_rows: Option<usize>,
    /// One profile per column.
    pub columns: Vec<crate::data::profile::ColumnProfile>,
    /// Quality alerts.
    pub alerts: Vec<crate::checks::quality::Alert>,
    /// The problem's target, when this dataset has it.
    pub target: Option<String>,
    /// Per column: association with the target (Spearman or Cramér's V) and its PPS.
    pub with_target: std::collections::BTreeMap<String, (Option<f64>, f64)>,
    /// Seconds it took.
    pub seconds: f64,
}

/// Rows read for the table view.
#[derive(Debug, Clone)]
pub struct RowsRead {
    /// The dataset.
    pub dataset: String,
    /// The rows (shared; drawing reads only the visible cells).
    pub frame: std::sync::Arc<polars::prelude::DataFrame>,
    /// Whether these are all rows or only the first ones.
    pub all: bool,
    /// The sort applied.
    pub sort: Option<(String, bool)>,
    /// The row filter applied.
    pub filter: Option<String>,
    /// Rows before filtering.
    pub total: usize,
}

impl PartialEq for RowsRead {
    fn eq(&self, other: &Self) -> bool {
        self.dataset == other.dataset
            && self.all == other.all
            && self.sort == other.sort
            && self.filter == other.filter
            && self.frame.height() == other.frame.height()
    }
}

/// How a job ended.
#[derive(Debug, Clone, PartialEq)]
pub struct JobDone {
    /// The job's label.
    pub label: String,
    /// A message for the status bar, or the error.
    pub result: Result<String, String>,
    /// Parts of the workspace the job changed.
    pub reload: Vec<Part>,
    /// Data the job computed for the UI.
    pub profile: Option<Box<DataProfile>>,
    /// Rows for the table view.
    pub rows: Option<RowsRead>,
}

#[derive(Debug, Default)]
struct Queue {
    jobs: VecDeque<Job>,
    running: Option<String>,
    closed: bool,
}

#[derive(Debug, Default)]
struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
    cancel: std::sync::atomic::AtomicBool,
}

/// The job thread of one workspace; dropping it lets the thread finish.
#[derive(Debug)]
pub struct Jobs {
    shared: Arc<Shared>,
}

impl Jobs {
    /// Starts the thread.
    pub fn start(ws: &Workspace, tx: Sender<Event>) -> Self {
        let shared = Arc::new(Shared::default());
        let (ws, worker) = (ws.clone(), Arc::clone(&shared));
        let spawned = thread::Builder::new()
            .name("mlwb-jobs".into())
            .spawn(move || job_loop(&ws, &worker, &tx));
        if let Err(e) = spawned {
            tracing::error!("cannot start the job thread: {e}");
        }
        Self { shared }
    }

    /// Asks the running job to stop (training stops between trees).
    pub fn cancel(&self) {
        self.shared.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Queues a job unless the same job already waits.
    pub fn submit(&self, job: Job) {
        let mut q = self.shared.queue.lock().unwrap_or_else(PoisonError::into_inner);
        if !q.jobs.contains(&job) {
            q.jobs.push_back(job);
        }
        self.shared.wake.notify_one();
    }
}

impl Drop for Jobs {
    fn drop(&mut self) {
        self.shared.queue.lock().unwrap_or_else(PoisonError::into_inner).closed = true;
        self.shared.wake.notify_one();
    }
}

fn labels(q: &Queue) -> Vec<String> {
    q.running.iter().cloned().chain(q.jobs.iter().map(Job::label)).collect()
}

fn job_loop(ws: &Workspace, shared: &Shared, tx: &Sender<Event>) {
    loop {
        let job = {
            let mut q = shared.queue.lock().unwrap_or_else(PoisonError::into_inner);
            while q.jobs.is_empty() && !q.closed {
                q = shared.wake.wait(q).unwrap_or_else(PoisonError::into_inner);
            }
            let Some(job) = q.jobs.pop_front().filter(|_| !q.closed) else { return };
            shared.cancel.store(false, std::sync::atomic::Ordering::Relaxed);
            q.running = Some(job.label());
            let _ = tx.send(Event::Jobs(labels(&q)));
            job
        };
        let progress = |f: f64| {
            let _ = tx.send(Event::JobProgress(f));
        };
        let done = perform_with(ws, &job, &progress, &shared.cancel);
        let mut q = shared.queue.lock().unwrap_or_else(PoisonError::into_inner);
        q.running = None;
        if tx.send(Event::JobDone(done)).is_err() || tx.send(Event::Jobs(labels(&q))).is_err() {
            return;
        }
    }
}

/// Runs one job to the end. Public so tests can run jobs without threads.
pub fn perform(ws: &Workspace, job: &Job, progress: &dyn Fn(f64)) -> JobDone {
    perform_with(ws, job, progress, &std::sync::atomic::AtomicBool::new(false))
}

/// Like [`perform`]; a training job stops once `cancel` is set.
pub fn perform_with(
    ws: &Workspace,
    job: &Job,
    progress: &dyn Fn(f64),
    cancel: &std::sync::atomic::AtomicBool,
) -> JobDone {
    let label = job.label();
    if let Job::Rows { dataset, all, sort, filter } = job {
        let rows =
            read_rows(ws, dataset, *all, sort.as_ref(), filter.as_deref()).map(|(frame, total)| {
                RowsRead {
                    dataset: dataset.clone(),
                    frame: std::sync::Arc::new(frame),
                    all: *all,
                    sort: sort.clone(),
                    filter: filter.clone(),
                    total,
                }
            });
        return match rows {
            Ok(r) => JobDone {
                label,
                result: Ok(String::new()),
                reload: Vec::new(),
                profile: None,
                rows: Some(r),
            },
            Err(e) => JobDone {
                label,
                result: Err(format!("{e:#}")),
                reload: Vec::new(),
                profile: None,
                rows: None,
            },
        };
    }
    if let Job::Profile { dataset } = job {
        return match profile(ws, dataset) {
            Ok(p) => JobDone {
                label,
                result: Ok(format!("profiled {dataset} in {:.1} s", p.seconds)),
                reload: Vec::new(),
                profile: Some(Box::new(p)),
                rows: None,
            },
            Err(e) => JobDone {
                label,
                result: Err(format!("{e:#}")),
                reload: Vec::new(),
                profile: None,
                rows: None,
            },
        };
    }
    let result = match job {
        Job::Leakage { dataset } => leakage(ws, dataset),
        Job::Accept { report, finding, reason } => {
            let by = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
            run::accept(report, finding, reason, &by).map(|_| format!("accepted {finding}"))
        }
        Job::Profile { .. } | Job::Rows { .. } => Ok(String::new()),
        Job::RecordVersion { dataset } => record_version(ws, dataset),
        Job::SaveNotes { run, notes } => save_notes(ws, run, notes),
        Job::SaveProblem { key, text, base, force } => {
            save_problem(ws, key, text, base.as_deref(), *force)
        }
        Job::Approve { dataset, by, purpose, note } => {
            let approval = crate::data::card::Approval {
                purpose: purpose.clone(),
                by: by.clone(),
                at: chrono::Utc::now(),
                note: note.clone(),
                extra: toml::Table::new(),
            };
            crate::data::card::approve(ws, dataset, approval)
                .map(|_| format!("approved {dataset} for {purpose}"))
        }
        Job::SetCard { dataset, field, value } => {
            let file = crate::data::dataset::load(ws, dataset).file;
            let columns = file.as_deref().and_then(|f| crate::data::load::column_names(f).ok());
            crate::data::card::update(ws, dataset, field, value, columns.as_deref())
                .map(|_| format!("set {field} of {dataset}"))
        }
        Job::Train { experiment } => {
            crate::experiment::train::train_cancellable(ws, experiment, progress, cancel)
                .map(|run| format!("run {} finished", run.id))
        }
        Job::MarkUnavailable { dataset, columns } => columns
            .iter()
            .try_for_each(|c| run::mark_unavailable(ws, dataset, c))
            .and_then(|()| leakage(ws, dataset)),
    };
    let reload = match job {
        Job::Train { .. } => vec![Part::Runs],
        Job::SaveNotes { run, .. } => vec![Part::Run(run.clone())],
        Job::SaveProblem { .. } => vec![Part::Problem],
        _ => vec![Part::Checks, Part::Datasets],
    };
    JobDone {
        label,
        result: result.map_err(|e| format!("{e:#}")),
        reload,
        profile: None,
        rows: None,
    }
}

/// The rows of a dataset and how many there were before the filter.
fn read_rows(
    ws: &Workspace,
    dataset: &str,
    all: bool,
    sort: Option<&(String, bool)>,
    filter: Option<&str>,
) -> anyhow::Result<(polars::prelude::DataFrame, usize)> {
    let file = crate::data::dataset::load(ws, dataset)
        .file
        .ok_or_else(|| anyhow::anyhow!("dataset {dataset:?} has no data file"))?;
    // A bad filter is reported before the file is read.
    let expr = filter
        .map(crate::query::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("row filter: {e}"))?;
    let df = if all {
        crate::data::rows::all(&file, sort.map(|(c, d)| (c.as_str(), *d)))?
    } else {
        crate::data::rows::head(&file)?
    };
    let total = df.height();
    Ok(match expr {
        Some(e) => {
            let kept = crate::data::rows::filter(&df, &e)
                .map_err(|e| anyhow::anyhow!("row filter: {e}"))?;
            (kept, total)
        }
        None => (df, total),
    })
}

/// The words a conflict error starts with, so the editor can offer to overwrite.
pub const CONFLICT: &str = "problem.toml changed on disk";

fn save_problem(
    ws: &Workspace,
    key: &str,
    text: &str,
    base: Option<&str>,
    force: bool,
) -> anyhow::Result<String> {
    let path = ws.problem_path();
    let current = std::fs::read(&path).ok();
    let current_hash = current.as_ref().map(|b| blake3::hash(b).to_hex().to_string());
    if !force && current_hash.as_deref() != base {
        anyhow::bail!(
            "{CONFLICT} while you edited; press Ctrl-S again to overwrite it, or Esc to keep the other edit"
        );
    }
    let mut problem: crate::problem::Problem =
        crate::workspace::files::read_toml(&path)?.unwrap_or_default();
    let mut known = crate::problem::Known::default();
    for name in crate::data::dataset::list_names(ws)? {
        let d = crate::data::dataset::load(ws, &name);
        known.columns.insert(name, d.columns);
    }
    crate::problem::set_field(&mut problem, key, text, &known)
        .map_err(|e| anyhow::anyhow!("{key}: {e}"))?;
    crate::workspace::atomic::write_toml(&path, &problem)?;
    Ok(format!("saved {key} to problem.toml"))
}

fn save_notes(ws: &Workspace, run: &str, notes: &str) -> anyhow::Result<String> {
    let path = crate::experiment::train::run_dir(ws, run)?.join("run.json");
    let mut record: crate::experiment::run::RunRecord = crate::workspace::files::read_json(&path)?
        .ok_or_else(|| anyhow::anyhow!("{}: missing", path.display()))?;
    record.notes = notes.trim().to_owned();
    crate::workspace::atomic::write_json(&path, &record)?;
    Ok(format!("saved the notes of {run}"))
}

fn record_version(ws: &Workspace, dataset: &str) -> anyhow::Result<String> {
    let d = crate::data::dataset::load(ws, dataset);
    if d.file.is_none() {
        return Ok(String::new());
    }
    Ok(match crate::data::dataset::record_version(ws, &d)? {
        Some(v) => format!("{dataset}: new version {} ({} rows)", v.short_hash(), v.rows),
        None => String::new(),
    })
}

fn profile(ws: &Workspace, dataset: &str) -> anyhow::Result<DataProfile> {
    let started = std::time::Instant::now();
    let d = crate::data::dataset::load(ws, dataset);
    let file = d.file.ok_or_else(|| anyhow::anyhow!("dataset {dataset:?} has no data file"))?;
    let problem: Option<crate::problem::Problem> =
        crate::workspace::files::read_toml(&ws.problem_path()).ok().flatten();
    let fp = crate::checks::quality::profile_file(
        &file,
        &[],
        problem.and_then(|p| p.target).as_deref(),
    )?;
    let crate::checks::quality::FileProfile { table, rows, sample_rows, columns, alerts, target } =
        fp;
    let mut with_target = std::collections::BTreeMap::new();
    if let Some(y) = target.as_deref().and_then(|t| table.column(t)) {
        for c in table.columns.iter().filter(|c| c.name != y.name) {
            let association = crate::checks::leakage::association(c, y);
            with_target.insert(c.name.clone(), (association, crate::checks::pps::score(c, y).pps));
        }
    }
    let hash = crate::data::versions::hash_file(&file)?;
    crate::checks::quality::save_summary(ws, dataset, &hash, &alerts)?;
    let hash8 = crate::data::versions::short_hash(&hash).to_owned();
    Ok(DataProfile {
        dataset: dataset.to_owned(),
        hash8,
        rows,
        sample_rows,
        columns,
        alerts,
        target,
        with_target,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn leakage(ws: &Workspace, dataset: &str) -> anyhow::Result<String> {
    let report = run::run(Some(ws), &Input::Dataset(dataset.to_owned()), &Options::default())?;
    run::save(ws, &report)?;
    let counts = report.open_counts();
    let n = |k: &str| counts.get(k).copied().unwrap_or(0);
    Ok(format!(
        "leakage checks on {dataset}: {} high, {} medium, {} info",
        n("high"),
        n("medium"),
        n("info")
    ))
}
