//! Helpers shared by the integration tests.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::fs;
use std::path::{Path, PathBuf};

/// Copies `tests/fixtures/<name>` into a fresh temporary folder and returns it.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    copy_tree(&src, dir.path());
    dir
}

fn copy_tree(src: &Path, dst: &Path) {
    for entry in fs::read_dir(src).unwrap_or_else(|e| panic!("{}: {e}", src.display())) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let to = dst.join(entry.file_name());
        if entry.path().is_dir() {
            fs::create_dir_all(&to).unwrap_or_else(|e| panic!("{e}"));
            copy_tree(&entry.path(), &to);
        } else {
            fs::copy(entry.path(), &to).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// The bytes of every file under `root`, by relative path, to prove nothing was rewritten.
pub fn tree_bytes(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    collect(root, root, &mut out);
    out.sort();
    out
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            out.push((rel, fs::read(&path).unwrap_or_else(|e| panic!("{e}"))));
        }
    }
}

/// A demo workspace built by mlwb's own code, copied into a fresh temporary folder.
///
/// The demo trains models, so it is built once per test binary and copied for each test.
pub fn demo_workspace() -> (tempfile::TempDir, PathBuf) {
    static TEMPLATE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        // Under cargo's scratch folder for tests, so nothing is left in the system temp folder.
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("demo-template-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        mlwb::demo::create(&root).unwrap_or_else(|e| panic!("demo: {e:#}"));
        root
    });
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let root = dir.path().join("demo");
    fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
    copy_tree(template, &root);
    (dir, root)
}
