//! The workspace folder: its layout, creation, discovery, safe file I/O and the watcher.

pub mod atomic;
pub mod discover;
pub mod files;
pub mod manifest;
pub mod names;
pub mod watch;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use self::files::FileError;
use self::manifest::Manifest;

/// File name of the manifest that marks a workspace.
pub const MANIFEST: &str = "mlwb.toml";

/// A workspace on disk: a root folder and the layout below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    root: PathBuf,
}

/// The folders every workspace has.
pub const FOLDERS: [&str; 6] = ["data", "experiments", "runs", "checks", "registry", "monitoring"];

impl Workspace {
    /// A workspace rooted at `root`; nothing is read until asked.
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Opens the workspace at `root`, checking that its manifest exists and is readable.
    pub fn open(root: &Path) -> Result<(Self, Manifest), FileError> {
        let ws = Self::at(root);
        match files::read_toml::<Manifest>(&ws.manifest_path())? {
            Some(manifest) => Ok((ws, manifest)),
            None => Err(FileError::new(
                ws.manifest_path(),
                "not a workspace: no mlwb.toml here; create one with `mlwb init DIR`",
            )),
        }
    }

    /// Creates an empty workspace at `root`; refuses a folder that already is one.
    pub fn init(root: &Path, name: &str) -> anyhow::Result<Self> {
        let ws = Self::at(root);
        if ws.manifest_path().exists() {
            anyhow::bail!(
                "{} is already a workspace (it has mlwb.toml); nothing was changed",
                root.display()
            );
        }
        for folder in FOLDERS {
            let dir = root.join(folder);
            fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        atomic::write_toml(&ws.manifest_path(), &Manifest::new(name))
            .with_context(|| format!("cannot write {}", ws.manifest_path().display()))?;
        Ok(ws)
    }

    /// The root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `mlwb.toml`.
    pub fn manifest_path(&self) -> PathBuf {
        self.root.join(MANIFEST)
    }

    /// `problem.toml`.
    pub fn problem_path(&self) -> PathBuf {
        self.root.join("problem.toml")
    }

    /// `data/`.
    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    /// `data/<name>.card.toml`.
    pub fn card_path(&self, dataset: &str) -> PathBuf {
        self.data_dir().join(format!("{dataset}.card.toml"))
    }

    /// `data/<name>.versions.jsonl`.
    pub fn versions_path(&self, dataset: &str) -> PathBuf {
        self.data_dir().join(format!("{dataset}.versions.jsonl"))
    }

    /// `experiments/`.
    pub fn experiments_dir(&self) -> PathBuf {
        self.root.join("experiments")
    }

    /// `experiments/<name>.toml`.
    pub fn experiment_path(&self, name: &str) -> PathBuf {
        self.experiments_dir().join(format!("{name}.toml"))
    }

    /// `runs/`.
    pub fn runs_dir(&self) -> PathBuf {
        self.root.join("runs")
    }

    /// `runs/<id>/run.json`.
    pub fn run_record_path(&self, id: &str) -> PathBuf {
        self.runs_dir().join(id).join("run.json")
    }

    /// `checks/`.
    pub fn checks_dir(&self) -> PathBuf {
        self.root.join("checks")
    }

    /// `registry/`.
    pub fn registry_dir(&self) -> PathBuf {
        self.root.join("registry")
    }

    /// `registry/events.jsonl`.
    pub fn registry_events_path(&self) -> PathBuf {
        self.registry_dir().join("events.jsonl")
    }

    /// `monitoring/`.
    pub fn monitoring_dir(&self) -> PathBuf {
        self.root.join("monitoring")
    }

    /// Creates `data/` and its siblings if an older or hand-made workspace lacks them.
    pub fn ensure_folders(&self) -> std::io::Result<()> {
        FOLDERS.iter().try_for_each(|f| fs::create_dir_all(self.root.join(f)))
    }
}

/// Sub-folders of `dir` whose names are valid names, sorted; a missing `dir` is empty.
pub fn list_subdirs(dir: &Path) -> std::io::Result<Vec<String>> {
    list_entries(dir, |path, name| path.is_dir().then(|| name.to_owned()))
}

/// Files in `dir` ending in `suffix`, as names without it, sorted; a missing `dir` is empty.
pub fn list_files_with_suffix(dir: &Path, suffix: &str) -> std::io::Result<Vec<String>> {
    list_entries(dir, |path, name| {
        if !path.is_file() {
            return None;
        }
        name.strip_suffix(suffix).map(str::to_owned)
    })
}

fn list_entries(
    dir: &Path,
    pick: impl Fn(&Path, &str) -> Option<String>,
) -> std::io::Result<Vec<String>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if atomic::is_temp_file(&path) {
            continue;
        }
        let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        if let Some(name) = pick(&path, file_name)
            && names::validate(&name).is_ok()
        {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}
