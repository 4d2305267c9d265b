//! Monitoring: settings and the prediction and feedback logs.
//!
//! Only the file format and counting are built so far; drift, skew and alerts arrive with
//! `mlwb monitor`.

pub mod records;
