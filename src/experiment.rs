//! Experiments: specs, splits, the decision tree, metrics and run records.
//!
//! Training from specs, validation, reproduction and comparison are not built yet; the types
//! here fix the on-disk format those parts will read and write.

pub mod compare;
pub mod filter;
pub mod linear;
pub mod metrics;
pub mod model;
pub mod preprocess;
pub mod reproduce;
pub mod run;
pub mod spec;
pub mod split;
pub mod train;
pub mod tree;
pub mod validate;
pub mod views;
