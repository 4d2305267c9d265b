//! placeholder
pub fn run(_ws: crate::workspace::Workspace, _tour: bool) -> anyhow::Result<()> { Ok(()) }
