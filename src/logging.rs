//! Logging to a file with `tracing`, off unless `MLWB_LOG` or `RUST_LOG` names a level.
//!
//! The TUI owns the terminal, so nothing is ever logged to it.

use std::fs::{self, OpenOptions};
use std::path::PathBuf;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// Starts file logging when asked; returns the log file, if any.
///
/// A log that cannot be opened is not an error worth stopping for: mlwb runs without it.
pub fn init() -> Option<PathBuf> {
    let level = std::env::var("MLWB_LOG")
        .ok()
        .or_else(|| std::env::var("RUST_LOG").ok())
        .filter(|v| !v.trim().is_empty())?;
    let dir = crate::workspace::discover::log_dir().ok()?;
    fs::create_dir_all(&dir).ok()?;
    let path = dir.join("mlwb.log");
    let file = OpenOptions::new().create(true).append(true).open(&path).ok()?;
    let filter = EnvFilter::try_new(&level).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init()
        .ok()?;
    Some(path)
}
