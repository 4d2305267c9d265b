//! A writer killed between writing the temporary file and renaming it leaves the old file
//! intact, and the leftover temporary file is invisible to readers.

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mlwb::workspace::{Workspace, atomic};

const TARGET_ENV: &str = "MLWB_KILL_TEST_TARGET";

/// Runs only as the child process of `killed_writer_leaves_old_file_intact`.
#[test]
#[ignore = "helper process: started and killed by killed_writer_leaves_old_file_intact"]
fn writer_process() {
    let Some(target) = std::env::var_os(TARGET_ENV) else { return };
    let staged = atomic::stage(Path::new(&target), b"format = 1\nname = \"new\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    println!("STAGED {}", staged.temp_path().display());
    let _ = std::io::stdout().flush();
    std::thread::sleep(Duration::from_secs(120));
    let _ = staged.commit();
}

#[test]
fn killed_writer_leaves_old_file_intact() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ws = Workspace::init(dir.path(), "old").unwrap_or_else(|e| panic!("{e}"));
    let target = ws.manifest_path();
    let old = fs::read(&target).unwrap_or_else(|e| panic!("{e}"));

    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let mut child = Command::new(exe)
        .args(["writer_process", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(TARGET_ENV, &target)
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));

    let start = Instant::now();
    let temp = loop {
        let found = fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                atomic::is_temp_file(p) && fs::metadata(p).map(|m| m.len() > 0).unwrap_or(false)
            });
        if let Some(t) = found {
            break t;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "writer never staged");
        std::thread::sleep(Duration::from_millis(20));
    };
    // The staged file is fully written and synced before `stage` returns; give the child a
    // moment to reach its sleep, then kill it hard.
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap_or_else(|e| panic!("{e}"));
    let _ = child.wait();

    assert_eq!(fs::read(&target).unwrap_or_else(|e| panic!("{e}")), old, "old file changed");
    assert!(temp.exists(), "the killed writer's temp file is left behind");
    let (_, manifest) = Workspace::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(manifest.name, "old");
    let listed = mlwb::workspace::list_files_with_suffix(dir.path(), ".tmp").unwrap_or_default();
    assert!(listed.is_empty(), "temp files must not be listed: {listed:?}");
    atomic::write_atomic(
        &target,
        b"format = 1\nname = \"next\"\ncreated = \"2026-12-03T00:00:00Z\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (_, manifest) = Workspace::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(manifest.name, "next");
}
