//! Datasets: loading with polars, cards, content versions.

pub mod card;
pub mod dataset;
pub mod load;
pub mod versions;
