//! Saved views of the runs table (`[views.<name>]` in `mlwb.toml`): a filter and a sort that
//! the CLI and the Experiments pane can recall by name.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::workspace::manifest::Manifest;
use crate::workspace::{Workspace, atomic, files, names};

/// A saved view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// The filter, in the runs filter language.
    #[serde(default)]
    pub filter: String,
    /// The metric to sort by, best first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
}

/// The saved views of a workspace, by name.
pub fn load(manifest: &Manifest) -> BTreeMap<String, View> {
    manifest
        .extra
        .get("views")
        .and_then(|v| v.clone().try_into::<BTreeMap<String, View>>().ok())
        .unwrap_or_default()
}

/// Saves (or replaces) the view `name`, keeping everything else in `mlwb.toml`.
pub fn save(ws: &Workspace, name: &str, view: &View) -> anyhow::Result<()> {
    names::validate(name)?;
    if !view.filter.trim().is_empty() {
        super::filter::parse(&view.filter).map_err(|e| anyhow::anyhow!("--filter: {e}"))?;
    }
    let path = ws.manifest_path();
    let mut manifest: Manifest =
        files::read_toml(&path)?.ok_or_else(|| anyhow::anyhow!("{}: missing", path.display()))?;
    let mut views = load(&manifest);
    views.insert(name.to_owned(), view.clone());
    manifest.extra.insert("views".into(), toml::Value::try_from(&views)?);
    atomic::write_toml(&path, &manifest)?;
    Ok(())
}
