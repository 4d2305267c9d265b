//! Checks that find problems before training: leakage (and, later, data quality alerts).

pub mod finding;
pub mod leakage;
pub mod pps;
pub mod quality;
pub mod run;
pub mod stats;
