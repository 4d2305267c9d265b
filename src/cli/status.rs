//! `mlwb status`: the nine stages, as in the Workflow pane.

use std::io::{self, Write};
use std::process::ExitCode;

use serde_json::json;

use crate::snapshot::Snapshot;
use crate::workflow::{self, StageStatus};
use crate::workspace::Workspace;

/// Prints the stages; exits 1 when a workspace file is malformed.
pub fn run(ws: &Workspace, as_json: bool) -> anyhow::Result<ExitCode> {
    let snap = Snapshot::load(ws);
    let stages = workflow::stages(&snap);
    let errors = snap.errors();
    let mut out = io::stdout().lock();
    if as_json {
        let doc = json!({
            "workspace": ws.root(),
            "stages": stages,
            "next": workflow::next_stage(&stages),
            "errors": errors.iter().map(|e| json!({"path": e.path, "reason": e.reason})).collect::<Vec<_>>(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        print_text(&mut out, ws, &stages)?;
    }
    for e in &errors {
        eprintln!("error: {e}");
    }
    Ok(if errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn print_text(out: &mut impl Write, ws: &Workspace, stages: &[StageStatus]) -> io::Result<()> {
    writeln!(out, "Workspace {}", ws.root().display())?;
    writeln!(out)?;
    for s in stages {
        writeln!(out, "{:>2}  {:<16} {:<8} {}", s.number, s.name, s.state.label(), s.why)?;
        if !s.next.is_empty() && s.state != workflow::State::Done {
            writeln!(out, "    {:<16} {:<8} → {}", "", "", s.next)?;
        }
    }
    writeln!(out)?;
    match workflow::next_stage(stages) {
        Some(s) => writeln!(out, "Next: stage {} {} — {}", s.number, s.name, s.next),
        None => writeln!(out, "Every stage is done."),
    }
}
