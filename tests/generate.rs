//! The benchmark generator (bench/generate.rs) writes valid input: `pdb check` finds no error in a
//! generated county, and the same seed writes the same files.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::generator::{Options, Written};

fn county(dir: &Path, seed: u64, photos: bool) -> Written {
    let options = Options { activities: 60, branches: 3, seed, photos, out: dir.to_path_buf() };
    crate::generator::generate(&options).expect("generate")
}

/// Every file under `dir`, relative, with its bytes, in a stable order.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect();
    found.sort();
    found
}

#[test]
fn generated_county_has_no_errors() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("county");
    let written = county(&dir, 42, true);
    assert_eq!((written.branches, written.activities), (3, 60));
    assert!(written.photos > 0, "--photos writes some photos");

    let all = files(&dir);
    let activities =
        all.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "toml") && !p.ends_with("branch.toml"));
    assert_eq!(activities.count(), 60);
    assert_eq!(all.iter().filter(|(p, _)| p.ends_with("branch.toml")).count(), 3);

    let out = Command::new(env!("CARGO_BIN_EXE_pdb")).arg("check").arg(&dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("错误"), "pdb check reported errors:\n{stderr}");
    // 0: no activity failed (findings alone do not change the status without --strict).
    assert_eq!(out.status.code(), Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
}

#[test]
fn same_seed_same_files() {
    let temp = tempfile::tempdir().unwrap();
    county(&temp.path().join("a"), 7, true);
    county(&temp.path().join("b"), 7, true);
    county(&temp.path().join("c"), 8, false);
    let a = files(&temp.path().join("a"));
    assert_eq!(a, files(&temp.path().join("b")));
    assert_ne!(a, files(&temp.path().join("c")));
}
