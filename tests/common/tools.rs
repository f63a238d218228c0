//! External programs some tests need (typst, poppler-utils). Where one is missing, the test is
//! skipped with a note, except under `CI=true`, where it fails: `.ci/run` installs them all.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A program and the argument that makes it print its version and exit 0.
pub struct Tool(pub &'static str, pub &'static str);

pub const TYPST: Tool = Tool("typst", "--version");
pub const PDFTOTEXT: Tool = Tool("pdftotext", "-v");
pub const PDFINFO: Tool = Tool("pdfinfo", "-v");
pub const PDFIMAGES: Tool = Tool("pdfimages", "-v");

fn installed(tool: &Tool) -> bool {
    Command::new(tool.0).arg(tool.1).output().is_ok_and(|o| o.status.success())
}

/// Whether every tool is installed. If not: a note naming what is `skipped`, or, under
/// `CI=true`, a failed test.
#[track_caller]
pub fn have(tools: &[Tool], skipped: &str) -> bool {
    let missing: Vec<&str> = tools.iter().filter(|t| !installed(t)).map(|t| t.0).collect();
    if missing.is_empty() {
        return true;
    }
    let missing = missing.join(", ");
    assert!(!std::env::var("CI").is_ok_and(|v| v == "true"), "{missing} required under CI=true (.ci/run installs it)");
    eprintln!("note: {missing} not installed; skipping {skipped}");
    false
}

/// The typst pdb itself would find on PATH, when it and every tool in `with` are installed.
#[track_caller]
pub fn typst(with: &[Tool], skipped: &str) -> Option<pdb::typst::Typst> {
    if !have(&[TYPST], skipped) || !have(with, skipped) {
        return None;
    }
    Some(pdb::typst::locate(Some(Path::new("typst"))).expect("typst is installed, so pdb finds it"))
}

/// The path of [`typst`].
#[track_caller]
pub fn typst_path(with: &[Tool], skipped: &str) -> Option<PathBuf> {
    typst(with, skipped).map(|t| t.path)
}
