//! Writing an activity's output folder without losing anyone's work: every file is written to a
//! temporary file and renamed into place, and a file edited by hand since pdb wrote it is kept.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::render::RenderedFile;

/// Records what pdb wrote, so a later run can tell its own output from a person's edits.
pub const MANIFEST_NAME: &str = ".pdb-manifest.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// File name → blake3 hash of the contents pdb wrote.
    pub files: BTreeMap<String, String>,
}

#[derive(Debug)]
pub enum OutputError {
    /// The file was changed since pdb wrote it; it is left as it is.
    HandEdited(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::HandEdited(path) => write!(
                f,
                "{} 在上次生成后被手工修改过，为免丢失修改，本次没有覆盖它；确需重新生成请加 --force（会覆盖手工修改）",
                path.display()
            ),
            OutputError::Io(path, err) => write!(f, "无法写入 {}：{err}", path.display()),
        }
    }
}

impl std::error::Error for OutputError {}

pub fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

impl Manifest {
    pub fn read(dir: &Path) -> Manifest {
        fs::read(dir.join(MANIFEST_NAME))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Whether `existing` (the file `name` as it is now) was changed since pdb wrote it. A file
    /// that already holds exactly what pdb is about to write (`new`) is never counted as edited.
    pub fn is_hand_edited(&self, name: &str, existing: &[u8], new: Option<&[u8]>) -> bool {
        let ours = self.files.get(name).is_some_and(|h| *h == hash(existing));
        !ours && new != Some(existing)
    }
}

/// Writes the files of one activity into `dir`. Checks every file first, so that either all
/// are written or (when one was edited by hand) none is.
pub fn write_folder(dir: &Path, files: &[RenderedFile], force: bool) -> Result<Vec<PathBuf>, OutputError> {
    fs::create_dir_all(dir).map_err(|e| OutputError::Io(dir.to_path_buf(), e))?;
    let mut manifest = Manifest::read(dir);
    let existing: Vec<Option<Vec<u8>>> = files.iter().map(|f| fs::read(dir.join(&f.name)).ok()).collect();
    if !force {
        for (file, existing) in files.iter().zip(&existing) {
            let Some(existing) = existing else { continue };
            if manifest.is_hand_edited(&file.name, existing, Some(&file.contents)) {
                return Err(OutputError::HandEdited(dir.join(&file.name)));
            }
        }
    }
    let mut written = Vec::new();
    for (file, existing) in files.iter().zip(existing) {
        let path = dir.join(&file.name);
        if existing.as_deref() != Some(file.contents.as_slice()) {
            write_atomic(&path, &file.contents)?;
        }
        manifest.files.insert(file.name.clone(), hash(&file.contents));
        written.push(path);
    }
    let json = serde_json::to_vec_pretty(&manifest).expect("manifest serializes");
    write_atomic(&dir.join(MANIFEST_NAME), &json)?;
    Ok(written)
}

/// Temp file in the same folder, then rename: an interrupted run leaves the old file or the new
/// one, never half of one.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), OutputError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let io = |e| OutputError::Io(path.to_path_buf(), e);
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    temp.write_all(contents).map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
