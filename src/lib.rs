//! mlwb: a terminal workbench for the whole machine-learning workflow.
//!
//! The core (workspace, data, experiment, registry, monitor, workflow) knows nothing of
//! terminals; [`cli`] and [`tui`] are thin front ends over it.

pub mod checks;
pub mod cli;
pub mod data;
pub mod demo;
pub mod experiment;
pub mod logging;
pub mod monitor;
pub mod problem;
pub mod query;
pub mod registry;
pub mod snapshot;
pub mod tui;
pub mod workflow;
pub mod workspace;
