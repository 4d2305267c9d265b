//! `mlwb check leakage`.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use super::LeakageArgs;
use crate::checks::finding::{Report, Severity};
use crate::checks::run::{self, Input, Options};
use crate::workspace::Workspace;
use crate::workspace::discover;

/// Runs the leakage checks and prints the findings; exit 1 with `--fail-on` when open findings
/// at or above the level exist.
pub fn leakage(flag: Option<&Path>, args: &LeakageArgs) -> anyhow::Result<ExitCode> {
    let ws = workspace_for(flag, args)?;
    let input = input(args, ws.as_ref())?;
    let opts = Options {
        target: args.target.clone(),
        time_column: args.time_column.clone(),
        group_column: args.group_column.clone(),
    };
    let report = run::run(ws.as_ref(), &input, &opts)?;
    let saved = match ws.as_ref() {
        Some(ws) => run::save(ws, &report)?,
        None => None,
    };
    let mut out = io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        print_report(&mut out, &report, saved.as_deref())?;
    }
    let level = args.fail_on.as_deref().and_then(Severity::parse);
    let failed = level.is_some_and(|l| !report.open_at_or_above(l).is_empty());
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// A workspace when one is named or found; files can be checked without one.
fn workspace_for(flag: Option<&Path>, args: &LeakageArgs) -> anyhow::Result<Option<Workspace>> {
    let files_only = args.file.is_some() || args.train.is_some();
    let named = flag.is_some() || std::env::var_os(discover::ENV_WORKSPACE).is_some();
    if files_only && !named {
        // Outside a workspace a file is checked on its own; inside one, the problem still
        // lends its target.
        let cwd = std::env::current_dir()?;
        return Ok(discover::nearest_ancestor(&cwd).map(Workspace::at));
    }
    super::resolve(flag).map(Some)
}

fn input(args: &LeakageArgs, ws: Option<&Workspace>) -> anyhow::Result<Input> {
    if let Some(path) = &args.file {
        return Ok(Input::File(path.clone()));
    }
    if let (Some(train), Some(test)) = (&args.train, &args.test) {
        return Ok(Input::TrainTest(train.clone(), test.clone()));
    }
    if let Some(spec) = &args.experiment {
        return Ok(Input::Experiment(spec.clone()));
    }
    if let Some(name) = &args.dataset {
        return Ok(Input::Dataset(name.clone()));
    }
    let problem = ws.and_then(|w| {
        crate::workspace::files::read_toml::<crate::problem::Problem>(&w.problem_path())
            .ok()
            .flatten()
    });
    match problem.and_then(|p| p.dataset) {
        Some(name) => Ok(Input::Dataset(name)),
        None => anyhow::bail!(
            "nothing to check: pass --dataset NAME, --file PATH, --train FILE --test FILE or --experiment SPEC"
        ),
    }
}

fn print_report(out: &mut impl Write, r: &Report, saved: Option<&Path>) -> io::Result<()> {
    let what = match (&r.dataset, &r.experiment) {
        (_, Some(e)) => format!("experiment {e}"),
        (Some(d), None) => format!("dataset {d}"),
        (None, None) => r.files.join(" vs "),
    };
    writeln!(
        out,
        "Leakage checks of {what} (version {}), target {:?}: {} rows × {} columns, {:.1} s",
        crate::data::versions::short_hash(&r.hash),
        r.target,
        r.rows,
        r.columns,
        r.seconds
    )?;
    writeln!(out)?;
    if r.findings.is_empty() {
        writeln!(out, "No findings.")?;
    }
    for f in &r.findings {
        let cols =
            if f.columns.is_empty() { "(all rows)".to_owned() } else { f.columns.join(", ") };
        let accepted = r.acceptance(f).map(|a| format!("  [accepted by {}: {}]", a.by, a.reason));
        writeln!(
            out,
            "{:<7} {:<28} {}{}",
            f.severity.label().to_uppercase(),
            f.kind.label(),
            cols,
            accepted.unwrap_or_default()
        )?;
        if !f.evidence.is_empty() {
            writeln!(out, "        evidence: {}", f.evidence_text())?;
        }
        writeln!(out, "        why: {}", f.why)?;
        writeln!(out, "        fix: {}", f.fix)?;
    }
    writeln!(out)?;
    let counts = r.open_counts();
    let n = |k: &str| counts.get(k).copied().unwrap_or(0);
    write!(out, "{} high, {} medium, {} info open", n("high"), n("medium"), n("info"))?;
    if !r.accepted.is_empty() {
        write!(out, "; {} accepted", r.accepted.len())?;
    }
    writeln!(out, ".")?;
    if let Some(p) = saved {
        writeln!(out, "Report saved to {}", p.display())?;
    }
    Ok(())
}
