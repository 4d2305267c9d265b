//! Datasets: loading with polars, cards, content versions.

pub mod card;
pub mod dataset;
pub mod load;
pub mod profile;
pub mod rows;
pub mod sample;
pub mod table;
pub mod versions;
