//! The model registry: models, versions, stages, approvals and the audit log.
//!
//! Only the file format is built so far; registering, approving, promoting and rolling back
//! arrive with the registry commands.

pub mod model;
