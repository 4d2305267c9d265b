//! Experiments: specs and run records.
//!
//! Training, metrics, validation, reproduction and comparison are not built yet; the types
//! here fix the on-disk format those parts will read and write.

pub mod run;
pub mod spec;
