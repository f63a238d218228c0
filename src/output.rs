//! Writing an activity's output folder without losing anyone's work: every file is written to a
//! temporary file and renamed into place, and a file edited by hand since pdb wrote it is kept.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::digest::hash;
use crate::incremental::ActivityCache;
use crate::render::RenderedFile;
use crate::sync::lock;

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
    /// File name → the hash a run was about to give it (written before the file is replaced,
    /// cleared when the run finishes): after a crash a file holds either hash, and both are pdb's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pending: BTreeMap<String, String>,
    /// What the last render learnt about the activity, for a re-run that finds it unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<ActivityCache>,
    /// File name → its owner, in a folder that several writers share (two branches' 台账): each
    /// removes only its own stale files. A file with no owner is any writer's (older manifests).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub owners: BTreeMap<String, String>,
    /// Owner → the fingerprint of its files, as `fingerprint` is the folder's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fingerprints: BTreeMap<String, String>,
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
        !self.is_ours(name, existing) && new != Some(existing)
    }

    /// Whether `existing` is what pdb wrote as `name`, or was about to write when a run stopped.
    pub fn is_ours(&self, name: &str, existing: &[u8]) -> bool {
        let hash = hash(existing);
        self.files.get(name) == Some(&hash) || self.pending.get(name) == Some(&hash)
    }
}

/// One output folder being written: its manifest is read once, kept in step with every file
/// written, and saved by [`OutputFolder::finish`], which also removes what pdb wrote before and
/// no longer writes.
#[derive(Debug)]
pub struct OutputFolder {
    dir: PathBuf,
    manifest: Manifest,
    force: bool,
    /// The writer, in a folder several write (see `Manifest::owners`); `None`: the folder is its.
    owner: Option<Owner>,
    /// The files this run produced (written, or kept as they were), with their hashes.
    produced: BTreeMap<String, String>,
    /// How many files were actually replaced (the rest already held the same bytes).
    pub changed: usize,
}

/// What [`OutputFolder::finish`] did beyond saving the manifest.
#[derive(Debug, Default)]
pub struct Cleanup {
    /// Files pdb wrote before and no longer produces, removed.
    pub removed: Vec<PathBuf>,
    /// Files pdb wrote before and no longer produces, kept because they were edited by hand.
    pub kept: Vec<PathBuf>,
    /// The folder, when it holds files pdb never wrote (kept, never touched), and their names.
    pub foreign: Option<(PathBuf, Vec<String>)>,
}

impl Cleanup {
    /// One warning per kept file: the folder holds a document this run did not make.
    pub fn warnings(&self) -> Vec<String> {
        self.kept
            .iter()
            .map(|path| {
                format!(
                    "警告：{} 是 pdb 以前生成的，本次不再生成它（记录已改），但它被手工修改过，所以保留；\
                     它可能与新生成的材料不一致，不需要时请手工删除",
                    crate::diagnostics::shown(path)
                )
            })
            .chain(self.foreign.iter().map(|(dir, names)| foreign_note(dir, names)))
            .collect()
    }
}

/// At most this many names in the note; the count says how many more.
const FOREIGN_SHOWN: usize = 5;

/// One line for a folder: files in it that pdb did not write are left alone, and said so, so
/// that nobody takes them for pdb's documents (or wonders why they were not removed).
fn foreign_note(dir: &Path, names: &[String]) -> String {
    let mut shown: Vec<String> =
        names.iter().take(FOREIGN_SHOWN).map(|n| crate::diagnostics::escape_for_terminal(n)).collect();
    if names.len() > FOREIGN_SHOWN {
        shown.push(format!("等 {} 个", names.len()));
    }
    format!(
        "注意：{} 中有 {} 个文件不是 pdb 生成的，已原样保留：{}",
        // `out/` (the ledger's folder is the output root joined with "") is shown as `out`.
        crate::diagnostics::shown(&dir.components().collect::<PathBuf>()),
        names.len(),
        shown.join("、")
    )
}

/// The files of `dir` that are not `ours`: not folders (an activity's, under the ledger's),
/// not hidden files (pdb's manifest and temporaries), not `.toml` (the inputs, when the output
/// folder is the input folder).
fn foreign_files(dir: &Path, ours: &BTreeMap<String, String>) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && !name.to_lowercase().ends_with(".toml") && !ours.contains_key(name))
        .collect();
    names.sort();
    names
}

impl OutputFolder {
    pub fn open(dir: &Path, force: bool) -> OutputFolder {
        OutputFolder::open_as(dir, force, None)
    }

    /// Opens a folder shared with other writers as `owner`: what the others wrote is never this
    /// writer's stale file, and each save merges the others' entries as they are on disk then.
    pub fn open_as(dir: &Path, force: bool, owner: Option<Owner>) -> OutputFolder {
        remove_temporaries(dir);
        OutputFolder {
            dir: dir.to_path_buf(),
            manifest: Manifest::read(dir),
            force,
            owner,
            produced: BTreeMap::new(),
            changed: 0,
        }
    }

    /// The fingerprint of the writer's files, as the last run left it.
    pub fn fingerprint(&self) -> Option<&str> {
        match &self.owner {
            None => self.manifest.fingerprint.as_deref(),
            Some(owner) => self.manifest.fingerprints.get(&owner.name).map(String::as_str),
        }
    }

    /// Whether `name` is the writer's: not listed as another owner's.
    fn is_mine(&self, name: &str) -> bool {
        self.owner.as_ref().is_none_or(|owner| owner.owns(&self.manifest, name))
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

    /// Counts a file that is already there, as pdb last wrote it, among this run's outputs.
    pub fn keep(&mut self, name: &str) {
        if let Some(hash) = self.manifest.files.get(name) {
            self.produced.insert(name.to_string(), hash.clone());
        }
    }

    /// Writes `files`, checking every one first, so that either all are written or (when one
    /// was edited by hand) none is. Files that already hold these bytes are left alone.
    ///
    /// The manifest is written ahead: before the first file is replaced it records, for each
    /// file, the hash it has now and the hash it is about to get (`pending`). A run killed
    /// half-way leaves every file matching one of the two, so the next run knows them as its own.
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
        if changes {
            for (file, existing) in files.iter().zip(&existing) {
                if existing.as_deref() == Some(file.contents.as_slice()) {
                    continue;
                }
                match existing {
                    // Checked above: it is pdb's own (or --force takes it over).
                    Some(bytes) => self.manifest.files.insert(file.name.clone(), hash(bytes)),
                    None => self.manifest.files.remove(&file.name),
                };
                self.manifest.pending.insert(file.name.clone(), hash(&file.contents));
            }
            // Outputs are about to change: until `finish`, the folder no longer matches any inputs.
            match &self.owner {
                None => self.manifest.fingerprint = None,
                Some(owner) => {
                    self.manifest.fingerprints.remove(&owner.name);
                }
            }
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
            self.produced.insert(file.name.clone(), hash(&file.contents));
            written.push(path);
        }
        Ok(written)
    }

    /// Removes what pdb wrote before and did not produce this time (a file edited by hand since
    /// is kept and reported), then saves the manifest, last: with the fingerprint (and what to
    /// remember) when every output was written, without when the activity failed part-way.
    pub fn finish(
        mut self,
        fingerprint: Option<String>,
        activity: Option<ActivityCache>,
    ) -> Result<Cleanup, OutputError> {
        // Shared: the others' entries as they are now, and none of them writes until this is saved.
        let owner = self.owner.clone();
        let _writing = owner.as_ref().map(|owner| lock(&owner.lock));
        if let Some(owner) = &owner {
            owner.merge(&mut self.manifest, Manifest::read(&self.dir));
        }
        let mut cleanup = Cleanup::default();
        let mut files = std::mem::take(&mut self.produced);
        let stale: BTreeSet<String> = self
            .manifest
            .files
            .keys()
            .chain(self.manifest.pending.keys())
            .filter(|name| !files.contains_key(*name) && self.is_mine(name))
            .cloned()
            .collect();
        // Another owner's files stay as they are listed, pending ones too.
        let others: Vec<(String, String)> = (self.manifest.files.iter())
            .filter(|(name, _)| !self.is_mine(name) && !files.contains_key(*name))
            .map(|(name, hash)| (name.clone(), hash.clone()))
            .collect();
        self.manifest.pending.retain(|name, _| !files.contains_key(name) && !stale.contains(name));
        self.manifest.owners.retain(|name, _| !files.contains_key(name) && !stale.contains(name));
        for name in stale {
            let path = self.dir.join(&name);
            let Ok(existing) = fs::read(&path) else { continue };
            if self.manifest.is_ours(&name, &existing) {
                fs::remove_file(&path).map_err(|e| OutputError::Io(path.clone(), e))?;
                cleanup.removed.push(path);
            } else {
                // Still not pdb's to remove: it stays listed, so it stays "edited by hand".
                if let Some(old) = self.manifest.files.get(&name) {
                    files.insert(name, old.clone());
                }
                cleanup.kept.push(path);
            }
        }
        if let Some(owner) = &self.owner {
            for name in files.keys() {
                self.manifest.owners.insert(name.clone(), owner.name.clone());
            }
            match fingerprint {
                Some(fingerprint) => self.manifest.fingerprints.insert(owner.name.clone(), fingerprint),
                None => self.manifest.fingerprints.remove(&owner.name),
            };
            // An older pdb's fingerprint of the whole folder: no writer's now.
            self.manifest.fingerprint = None;
        } else {
            self.manifest.fingerprint = fingerprint;
        }
        files.extend(others);
        let foreign = foreign_files(&self.dir, &files);
        if !foreign.is_empty() {
            cleanup.foreign = Some((self.dir.clone(), foreign));
        }
        self.manifest.files = files;
        self.manifest.activity = activity;
        self.write_manifest()?;
        Ok(cleanup)
    }

    /// Saves the manifest; in a shared folder, merged with the others' entries on disk first.
    fn save(&mut self) -> Result<(), OutputError> {
        let Some(owner) = self.owner.clone() else { return self.write_manifest() };
        let _writing = lock(&owner.lock);
        owner.merge(&mut self.manifest, Manifest::read(&self.dir));
        self.write_manifest()
    }

    fn write_manifest(&self) -> Result<(), OutputError> {
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

/// One of several writers of a folder (each branch's 台账 where they share one): its name in
/// `Manifest::owners`, and the lock all of them take to read, merge and save the manifest. The
/// lock is held for that alone (never while typst runs), so a writer waiting for it holds no other.
#[derive(Debug, Clone)]
pub struct Owner {
    pub name: String,
    pub lock: Arc<Mutex<()>>,
}

impl Owner {
    /// Whether `name` is this owner's in `manifest`: its own, or nobody's (an older manifest).
    fn owns(&self, manifest: &Manifest, name: &str) -> bool {
        manifest.owners.get(name).is_none_or(|of| *of == self.name)
    }

    /// Takes the other owners' entries from `disk` (the manifest as they last saved it), keeping
    /// this owner's own from `mine` (what it has written so far).
    fn merge(&self, mine: &mut Manifest, disk: Manifest) {
        let theirs = |name: &String| !self.owns(&disk, name);
        let ours = |manifest: &Manifest, name: &String| self.owns(manifest, name) && !theirs(name);
        let keep = |manifest: &Manifest, map: &BTreeMap<String, String>, disk_map: BTreeMap<String, String>| {
            let mut merged: BTreeMap<String, String> = disk_map.into_iter().filter(|(n, _)| theirs(n)).collect();
            merged.extend(map.iter().filter(|(n, _)| ours(manifest, n)).map(|(n, h)| (n.clone(), h.clone())));
            merged
        };
        let files = keep(mine, &mine.files, disk.files.clone());
        let pending = keep(mine, &mine.pending, disk.pending.clone());
        let mut owners: BTreeMap<String, String> =
            disk.owners.iter().filter(|(_, of)| **of != self.name).map(|(n, o)| (n.clone(), o.clone())).collect();
        owners.extend(
            mine.owners.iter().filter(|(n, of)| **of == self.name && !theirs(n)).map(|(n, o)| (n.clone(), o.clone())),
        );
        let mut fingerprints = disk.fingerprints;
        fingerprints.remove(&self.name);
        fingerprints.extend(mine.fingerprints.get(&self.name).map(|f| (self.name.clone(), f.clone())));
        *mine = Manifest { files, pending, owners, fingerprints, fingerprint: mine.fingerprint.take(), activity: None };
    }
}

/// The prefix of pdb's temporary files: `.pdb-tmp-XXXXXX`, removed by the next run when a
/// killed run left one.
const TEMP_PREFIX: &str = ".pdb-tmp-";

/// Removes the temporary files a killed run left in `dir`: pdb's own, and those of earlier
/// versions (tempfile's default `.tmpXXXXXX`).
fn remove_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let old = name
            .strip_prefix(".tmp")
            .is_some_and(|rest| rest.len() == 6 && rest.chars().all(|c| c.is_ascii_alphanumeric()));
        if (name.starts_with(TEMP_PREFIX) || old) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Temp file in the same folder, then rename: an interrupted run leaves the old file or the new
/// one, never half of one.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), OutputError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let io = |e| OutputError::Io(path.to_path_buf(), e);
    let mut temp = temp_builder().tempfile_in(dir).map_err(io)?;
    temp.write_all(contents).map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// A temporary file created as any new file is (0666 less the umask: 0644 under 022), not
/// tempfile's private 0600: outputs are documents to share.
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> RenderedFile {
        RenderedFile { name: name.into(), contents: text.as_bytes().to_vec() }
    }

    /// Two ledgers in one folder, opened before either saved (as two threads do): each one's
    /// finish keeps the other's files, on disk and in the manifest, and removes only its own.
    #[test]
    fn two_owners_interleaved_keep_each_others_files() {
        let dir = tempfile::tempdir().unwrap();
        let lock = Arc::new(Mutex::new(()));
        let owner = |name: &str| Some(Owner { name: name.into(), lock: lock.clone() });
        let mut a = OutputFolder::open_as(dir.path(), false, owner("a"));
        let mut b = OutputFolder::open_as(dir.path(), false, owner("b"));
        a.write(&[file("台账-A.md", "a1"), file("old-A.md", "x")]).unwrap();
        b.write(&[file("台账-B.md", "b1")]).unwrap();
        a.finish(Some("fa".into()), None).unwrap();
        b.finish(Some("fb".into()), None).unwrap();
        let manifest = Manifest::read(dir.path());
        let names: Vec<&str> = manifest.files.keys().map(String::as_str).collect();
        assert_eq!(names, ["old-A.md", "台账-A.md", "台账-B.md"]);
        assert_eq!(manifest.owners["台账-B.md"], "b");
        assert_eq!((manifest.fingerprints["a"].as_str(), manifest.fingerprints["b"].as_str()), ("fa", "fb"));
        assert!(manifest.pending.is_empty(), "{manifest:?}");

        // Again, in the other order; a no longer writes old-A.md: it alone is removed.
        let mut b = OutputFolder::open_as(dir.path(), false, owner("b"));
        let mut a = OutputFolder::open_as(dir.path(), false, owner("a"));
        b.write(&[file("台账-B.md", "b2")]).unwrap();
        a.write(&[file("台账-A.md", "a2")]).unwrap();
        let cleanup = b.finish(None, None).unwrap();
        assert!(cleanup.removed.is_empty() && cleanup.foreign.is_none(), "{cleanup:?}");
        let cleanup = a.finish(Some("fa2".into()), None).unwrap();
        assert_eq!(cleanup.removed, [dir.path().join("old-A.md")]);
        assert!(cleanup.foreign.is_none(), "{cleanup:?}");
        assert_eq!(fs::read_to_string(dir.path().join("台账-B.md")).unwrap(), "b2");
        let manifest = Manifest::read(dir.path());
        assert_eq!(manifest.files.keys().map(String::as_str).collect::<Vec<_>>(), ["台账-A.md", "台账-B.md"]);
        assert_eq!(manifest.files["台账-B.md"], hash(b"b2"));
        assert_eq!(manifest.fingerprints.get("b"), None, "b's run failed: no fingerprint");
        assert_eq!(manifest.fingerprints["a"], "fa2");
    }

    /// A manifest of an older pdb lists the files with no owner: the first owner to write takes
    /// its own, and a file it no longer writes is removed as before.
    #[test]
    fn entries_without_an_owner_are_the_writers() {
        let dir = tempfile::tempdir().unwrap();
        let mut old = OutputFolder::open(dir.path(), false);
        old.write(&[file("台账.md", "1"), file("台账.xlsx", "2")]).unwrap();
        old.finish(Some("f".into()), None).unwrap();
        let owner = Owner { name: "a".into(), lock: Arc::default() };
        let mut a = OutputFolder::open_as(dir.path(), false, Some(owner));
        a.write(&[file("台账.md", "1")]).unwrap();
        let cleanup = a.finish(None, None).unwrap();
        assert_eq!(cleanup.removed, [dir.path().join("台账.xlsx")]);
        let manifest = Manifest::read(dir.path());
        assert_eq!((manifest.owners["台账.md"].as_str(), manifest.fingerprint), ("a", None));
    }
}
