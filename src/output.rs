//! Writing an activity's output folder without losing anyone's work: every file is written to a
//! temporary file and renamed into place, and a file edited by hand since pdb wrote it is kept.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::digest::hash;
use crate::incremental::ActivityCache;
use crate::render::RenderedFile;

/// Records what pdb wrote, so a later run can tell its own output from a person's edits.
pub const MANIFEST_NAME: &str = ".pdb-manifest.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// File name → blake3 hash of the contents pdb wrote.
    pub files: BTreeMap<String, String>,
    /// The hash of everything the outputs were made from (see `incremental`). Written last, after
    /// every output, and removed before the first output is replaced: a run interrupted half-way
    /// leaves no fingerprint, so the next run redoes the folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// What the last render learnt about the activity, for a re-run that finds it unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<ActivityCache>,
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

impl From<OutputError> for Diagnostic {
    fn from(err: OutputError) -> Diagnostic {
        let help = match &err {
            OutputError::HandEdited(_) => "把手工修改另存为其他文件名，或加 --force 重新生成",
            OutputError::Io(..) => "检查输出文件夹是否可写、文件是否被其他程序（如 Word、WPS、PDF 阅读器）占用",
        };
        let path = match &err {
            OutputError::HandEdited(path) | OutputError::Io(path, _) => path.clone(),
        };
        Diagnostic::error(&path, err.to_string()).with_help(help)
    }
}

impl Manifest {
    pub fn read(dir: &Path) -> Manifest {
        fs::read(dir.join(MANIFEST_NAME)).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
    }

    /// Whether `existing` (the file `name` as it is now) was changed since pdb wrote it. A file
    /// that already holds exactly what pdb is about to write (`new`) is never counted as edited.
    pub fn is_hand_edited(&self, name: &str, existing: &[u8], new: Option<&[u8]>) -> bool {
        let ours = self.files.get(name).is_some_and(|h| *h == hash(existing));
        !ours && new != Some(existing)
    }
}

/// One output folder being written: its manifest is read once, kept in step with every file
/// written, and saved by [`OutputFolder::finish`].
#[derive(Debug)]
pub struct OutputFolder {
    dir: PathBuf,
    manifest: Manifest,
    force: bool,
    /// How many files were actually replaced (the rest already held the same bytes).
    pub changed: usize,
}

impl OutputFolder {
    pub fn open(dir: &Path, force: bool) -> OutputFolder {
        OutputFolder { dir: dir.to_path_buf(), manifest: Manifest::read(dir), force, changed: 0 }
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The first of these files that differs from what pdb last wrote (never, with --force).
    pub fn hand_edited<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Option<PathBuf> {
        if self.force {
            return None;
        }
        names.into_iter().map(|name| (name, self.dir.join(name))).find_map(|(name, path)| {
            let existing = fs::read(&path).ok()?;
            self.manifest.is_hand_edited(name, &existing, None).then_some(path)
        })
    }

    /// Writes `files`, checking every one first, so that either all are written or (when one
    /// was edited by hand) none is. Files that already hold these bytes are left alone.
    pub fn write(&mut self, files: &[RenderedFile]) -> Result<Vec<PathBuf>, OutputError> {
        fs::create_dir_all(&self.dir).map_err(|e| OutputError::Io(self.dir.clone(), e))?;
        let existing: Vec<Option<Vec<u8>>> = files.iter().map(|f| fs::read(self.dir.join(&f.name)).ok()).collect();
        if !self.force {
            for (file, existing) in files.iter().zip(&existing) {
                let Some(existing) = existing else { continue };
                if self.manifest.is_hand_edited(&file.name, existing, Some(&file.contents)) {
                    return Err(OutputError::HandEdited(self.dir.join(&file.name)));
                }
            }
        }
        let changes = files.iter().zip(&existing).any(|(f, e)| e.as_deref() != Some(f.contents.as_slice()));
        if changes && self.manifest.fingerprint.is_some() {
            // Outputs are about to change: until `finish`, the folder no longer matches any inputs.
            self.manifest.fingerprint = None;
            self.manifest.activity = None;
            self.save()?;
        }
        let mut written = Vec::with_capacity(files.len());
        for (file, existing) in files.iter().zip(existing) {
            let path = self.dir.join(&file.name);
            if existing.as_deref() != Some(file.contents.as_slice()) {
                write_atomic(&path, &file.contents)?;
                self.changed += 1;
            }
            self.manifest.files.insert(file.name.clone(), hash(&file.contents));
            written.push(path);
        }
        Ok(written)
    }

    /// Saves the manifest, last: with the fingerprint (and what to remember) when every output
    /// was written, without when the activity failed part-way.
    pub fn finish(mut self, fingerprint: Option<String>, activity: Option<ActivityCache>) -> Result<(), OutputError> {
        self.manifest.fingerprint = fingerprint;
        self.manifest.activity = activity;
        self.save()
    }

    fn save(&self) -> Result<(), OutputError> {
        fs::create_dir_all(&self.dir).map_err(|e| OutputError::Io(self.dir.clone(), e))?;
        let json = serde_json::to_vec_pretty(&self.manifest).expect("manifest serializes");
        let path = self.dir.join(MANIFEST_NAME);
        // A run that changes nothing writes nothing.
        if fs::read(&path).ok().as_deref() == Some(json.as_slice()) {
            return Ok(());
        }
        write_atomic(&path, &json)
    }
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
