//! Watching the workspace: file-system events cleaned into batches of changed paths.
//!
//! Native watching is tried first; where it fails (some network or container file systems),
//! mlwb polls instead. Access events are dropped, and paths are de-duplicated over a short
//! window so that one save (temp file, rename) becomes one batch.

use std::collections::BTreeSet;
use std::env;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use notify::{Config, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

/// How long paths are gathered after the first event before a batch is delivered.
pub const BATCH_WINDOW: Duration = Duration::from_millis(150);
/// Polling interval of the fallback watcher.
pub const POLL_INTERVAL: Duration = Duration::from_millis(400);
/// Environment variable that forces polling (`MLWB_WATCH=poll`).
pub const ENV_WATCH: &str = "MLWB_WATCH";

/// How the workspace is being watched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchMode {
    /// The operating system reports changes.
    Native,
    /// mlwb scans for changes on a timer.
    Polling,
}

impl WatchMode {
    /// Label for the status bar.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Native => "watching",
            Self::Polling => "watching (polling)",
        }
    }
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    _inner: Box<dyn notify::Watcher + Send>,
    mode: WatchMode,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher").field("mode", &self.mode).finish()
    }
}

impl Watcher {
    /// How this watcher learns of changes.
    pub fn mode(&self) -> &WatchMode {
        &self.mode
    }
}

/// True when `MLWB_WATCH=poll` asks for polling.
pub fn poll_requested() -> bool {
    env::var(ENV_WATCH).is_ok_and(|v| v.eq_ignore_ascii_case("poll"))
}

/// Starts watching `root` recursively; `on_batch` receives each batch of changed paths on a
/// background thread. With `force_poll`, native watching is not tried.
pub fn start(
    root: &Path,
    force_poll: bool,
    on_batch: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> Result<Watcher, String> {
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let handler = move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            let _ = tx.send(path);
        }
    };
    let (inner, mode) = if force_poll {
        (poll_watcher(root, handler)?, WatchMode::Polling)
    } else {
        match native_watcher(root, handler.clone()) {
            Ok(w) => (w, WatchMode::Native),
            Err(native_err) => {
                tracing::warn!("native watching failed ({native_err}); polling instead");
                (poll_watcher(root, handler)?, WatchMode::Polling)
            }
        }
    };
    thread::Builder::new()
        .name("mlwb-watch-batch".into())
        .spawn(move || batch_loop(&rx, &on_batch))
        .map_err(|e| format!("cannot start the watcher thread: {e}"))?;
    Ok(Watcher { _inner: inner, mode })
}

fn native_watcher<H>(root: &Path, handler: H) -> Result<Box<dyn notify::Watcher + Send>, String>
where
    H: Fn(notify::Result<notify::Event>) + Send + 'static,
{
    let mut w = RecommendedWatcher::new(handler, Config::default()).map_err(|e| e.to_string())?;
    w.watch(root, RecursiveMode::Recursive).map_err(|e| e.to_string())?;
    Ok(Box::new(w))
}

fn poll_watcher<H>(root: &Path, handler: H) -> Result<Box<dyn notify::Watcher + Send>, String>
where
    H: Fn(notify::Result<notify::Event>) + Send + 'static,
{
    let config = Config::default().with_poll_interval(POLL_INTERVAL);
    let mut w = PollWatcher::new(handler, config).map_err(|e| e.to_string())?;
    w.watch(root, RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    Ok(Box::new(w))
}

fn batch_loop(rx: &Receiver<PathBuf>, on_batch: &dyn Fn(Vec<PathBuf>)) {
    while let Ok(first) = rx.recv() {
        let mut batch = BTreeSet::from([first]);
        let deadline = Instant::now() + BATCH_WINDOW;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(path) => {
                    batch.insert(path);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    on_batch(batch.into_iter().collect());
                    return;
                }
            }
        }
        on_batch(batch.into_iter().collect());
    }
}
