//! Experiments: specs, splits, the decision tree, metrics and run records.
//!
//! Training from specs, validation, reproduction and comparison are not built yet; the types
//! here fix the on-disk format those parts will read and write.

pub mod metrics;
pub mod run;
pub mod spec;
pub mod split;
pub mod tree;
