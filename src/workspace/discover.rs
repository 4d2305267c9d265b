//! Finding the workspace to open, and the platform folders mlwb uses.

use std::env;
use std::path::{Path, PathBuf};

use super::MANIFEST;

/// Environment variable naming the workspace.
pub const ENV_WORKSPACE: &str = "MLWB_WORKSPACE";
/// Environment variable overriding the platform data folder (demo workspace, logs).
pub const ENV_DATA_DIR: &str = "MLWB_DATA_DIR";

/// How the workspace was chosen, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--workspace`.
    Flag,
    /// `MLWB_WORKSPACE`.
    Env,
    /// The nearest folder upwards holding `mlwb.toml`.
    Ancestor,
    /// The demo workspace in the platform data folder.
    Demo,
}

/// A workspace location and why it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The workspace root.
    pub root: PathBuf,
    /// Which rule picked it.
    pub origin: Origin,
}

/// Applies the discovery order: flag, environment, nearest ancestor, demo.
pub fn locate(flag: Option<&Path>, cwd: &Path) -> anyhow::Result<Located> {
    if let Some(root) = flag {
        return Ok(Located { root: root.to_path_buf(), origin: Origin::Flag });
    }
    if let Some(root) = env::var_os(ENV_WORKSPACE).filter(|v| !v.is_empty()) {
        return Ok(Located { root: PathBuf::from(root), origin: Origin::Env });
    }
    if let Some(root) = nearest_ancestor(cwd) {
        return Ok(Located { root, origin: Origin::Ancestor });
    }
    Ok(Located { root: demo_dir()?, origin: Origin::Demo })
}

/// The nearest folder at or above `start` that holds `mlwb.toml`.
pub fn nearest_ancestor(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|dir| dir.join(MANIFEST).is_file()).map(Path::to_path_buf)
}

/// The platform data folder (or `MLWB_DATA_DIR`).
pub fn data_dir() -> anyhow::Result<PathBuf> {
    if let Some(dir) = env::var_os(ENV_DATA_DIR).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "mlwb")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "cannot find a home folder for mlwb's data; set {ENV_DATA_DIR} or pass --workspace"
            )
        })
}

/// Where the demo workspace lives.
pub fn demo_dir() -> anyhow::Result<PathBuf> {
    Ok(data_dir()?.join("demo"))
}

/// Where log files go: the platform state folder, else the data folder.
pub fn log_dir() -> anyhow::Result<PathBuf> {
    if env::var_os(ENV_DATA_DIR).is_some_and(|v| !v.is_empty()) {
        return Ok(data_dir()?.join("logs"));
    }
    let dirs = directories::ProjectDirs::from("", "", "mlwb");
    match dirs.as_ref().and_then(|d| d.state_dir()) {
        Some(state) => Ok(state.to_path_buf()),
        None => Ok(data_dir()?.join("logs")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_ancestor_finds_the_closest_manifest() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let outer = dir.path();
        let inner = outer.join("a/b/c");
        std::fs::create_dir_all(&inner)?;
        std::fs::write(outer.join(MANIFEST), "")?;
        std::fs::write(outer.join("a").join(MANIFEST), "")?;
        assert_eq!(nearest_ancestor(&inner), Some(outer.join("a")));
        Ok(())
    }

    #[test]
    fn flag_wins() -> anyhow::Result<()> {
        let located = locate(Some(Path::new("/somewhere")), Path::new("/"))?;
        assert_eq!(located.origin, Origin::Flag);
        Ok(())
    }
}
