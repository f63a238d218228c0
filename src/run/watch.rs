//! What `pdb watch` looks at: the folders to watch, and which changed paths mean a re-run (an
//! activity file, its branch.toml, a photo a record names, a template, the Word reference
//! document). Never pdb's own output folder, never an editor's scratch files: a watch must not
//! wake up for its own writes, nor three times for one save.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::settings::Settings;
use crate::inputs::{is_activity_file, Inputs, IGNORE_FILE};
use crate::load::BRANCH_FILE_NAME;
use crate::paths::absolute;

/// What kind of input a changed path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// An activity file (or applicant record), or a `.pdbignore` that changes which files are.
    Activity,
    Branch,
    Photo,
    Template,
    /// `--reference-docx`.
    Reference,
}

impl Change {
    pub fn label(self) -> &'static str {
        match self {
            Change::Activity => "活动文件",
            Change::Branch => "支部文件",
            Change::Photo => "照片",
            Change::Template => "模板",
            Change::Reference => "Word 参考文档",
        }
    }
}

/// The inputs of a watched run, as absolute paths, and the folders that hold them.
#[derive(Debug, Default, Clone)]
pub struct Watched {
    /// Folder → watched recursively. None lies under another that is watched recursively.
    pub folders: BTreeMap<PathBuf, bool>,
    files: BTreeSet<PathBuf>,
    dirs: Vec<PathBuf>,
    branches: BTreeSet<PathBuf>,
    photos: BTreeSet<PathBuf>,
    templates: Option<PathBuf>,
    reference: Option<PathBuf>,
    out_dir: PathBuf,
    /// `-o` is an input folder or above one: what lies under it is not all pdb's own.
    out_holds_inputs: bool,
}

impl Watched {
    /// From the paths of the command line and, when they could be read, the run's inputs: each
    /// activity file is read for the `branch` and the photos it names (a file that does not parse
    /// names none; the run reports its error).
    pub fn new(given: &[PathBuf], inputs: Option<&Inputs>, settings: &Settings) -> Watched {
        let out_dir = absolute(&settings.out_dir);
        let mut watched = Watched {
            templates: settings.templates.as_deref().map(absolute),
            reference: settings.reference_docx.as_deref().map(absolute),
            out_dir,
            ..Watched::default()
        };
        for path in given.iter().map(|p| absolute(p)) {
            if path.is_dir() {
                watched.dirs.push(path);
            } else if path.file_name().is_some_and(|n| n != BRANCH_FILE_NAME) {
                watched.files.insert(path);
            }
        }
        let mut roots =
            watched.dirs.iter().map(PathBuf::as_path).chain(watched.files.iter().filter_map(|f| f.parent()));
        watched.out_holds_inputs = roots.any(|root| root.starts_with(&watched.out_dir));
        for input in inputs.iter().flat_map(|inputs| inputs.iter()) {
            let file = absolute(&input.path);
            let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
            let (branch, photos) = named(&file);
            // Its `branch` key, else the branch.toml found by walking up.
            if let Some(branch) = branch.map(|b| absolute(&folder.join(b))).or_else(|| input.branch.clone()) {
                watched.branches.insert(branch);
            }
            watched.photos.extend(photos.iter().map(|p| absolute(&folder.join(p))));
            watched.files.insert(file);
        }
        watched.folders = watched.folders_to_watch();
        watched
    }

    fn folders_to_watch(&self) -> BTreeMap<PathBuf, bool> {
        let mut folders: BTreeMap<PathBuf, bool> = BTreeMap::new();
        let mut add = |folder: Option<&Path>, recursive: bool| {
            if let Some(folder) = folder.filter(|f| f.is_dir()) {
                let entry = folders.entry(folder.to_path_buf()).or_default();
                *entry |= recursive;
            }
        };
        for dir in &self.dirs {
            add(Some(dir), true);
        }
        add(self.templates.as_deref(), true);
        for file in self.files.iter().chain(&self.branches).chain(&self.photos).chain(&self.reference) {
            add(file.parent(), false);
        }
        let recursive: Vec<PathBuf> = folders.iter().filter(|(_, r)| **r).map(|(f, _)| f.clone()).collect();
        folders.retain(|folder, _| !recursive.iter().any(|r| folder != r && folder.starts_with(r)));
        folders
    }

    /// Whether a branch.toml at `path` is one an activity file would find by walking up (a new
    /// one, nearer than the one it found before, takes its place).
    fn walks_up_to(&self, path: &Path) -> bool {
        path.parent().is_some_and(|folder| self.files.iter().any(|f| f.starts_with(folder)))
    }

    /// What the changed `path` (absolute, as the watcher reports it) is to the run, if anything.
    pub fn change(&self, path: &Path) -> Option<Change> {
        let name = path.file_name()?.to_string_lossy();
        if is_scratch(&name) {
            return None;
        }
        // pdb's own writes; pdb never writes a .toml, so with `-o .` the inputs are still seen.
        if path.starts_with(&self.out_dir) && !self.out_holds_inputs {
            return None;
        }
        let in_dirs = || self.dirs.iter().any(|d| path.starts_with(d));
        if self.templates.as_deref().is_some_and(|t| path.starts_with(t)) {
            Some(Change::Template)
        } else if self.reference.as_deref() == Some(path) {
            Some(Change::Reference)
        } else if self.branches.contains(path) || (name == BRANCH_FILE_NAME && (in_dirs() || self.walks_up_to(path))) {
            Some(Change::Branch)
        } else if self.photos.contains(path) {
            Some(Change::Photo)
        } else if (is_activity_file(path) && self.files.contains(path))
            || ((is_activity_file(path) || name == IGNORE_FILE) && in_dirs())
        {
            Some(Change::Activity)
        } else {
            None
        }
    }
}

/// An editor's or office program's temporary file, never an input: hidden files (vim's
/// `.x.toml.swp`, gedit's `.goutputstream-…`, pdb's `.pdb-tmp…`), backups (`x.toml~`, emacs'
/// `#x.toml#`), Word's and WPS's `~$x.docx`, vim's write test `4913`, and `.tmp`/`.bak`.
pub fn is_scratch(name: &str) -> bool {
    let lower = name.to_lowercase();
    (name.starts_with('.') && name != IGNORE_FILE)
        || name.ends_with('~')
        || name.starts_with('~')
        || name.starts_with('#')
        || name == "4913"
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".crdownload", ".part"].iter().any(|e| lower.ends_with(e))
}

/// The `branch` and the photo files an activity file names, read without checking anything else.
fn named(file: &Path) -> (Option<String>, Vec<String>) {
    // As the run reads it (BOM, encodings); an unreadable file names nothing and the run says why.
    let Ok(source) = crate::source::SourceFile::read(file) else { return (None, Vec::new()) };
    let Ok(table) = source.text.parse::<toml::Table>() else { return (None, Vec::new()) };
    let branch = table.get("branch").and_then(toml::Value::as_str).map(str::to_string);
    let photos = table
        .get("photos")
        .and_then(toml::Value::as_array)
        .map(|photos| photos.iter().filter_map(|p| p.get("file")?.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    (branch, photos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::discover;

    fn settings(out: &Path, templates: Option<&Path>) -> Settings {
        Settings {
            mode: super::super::Mode::Render,
            out_dir: out.to_path_buf(),
            formats: Vec::new(),
            only: None,
            templates: templates.map(Path::to_path_buf),
            reference_docx: None,
            formats_given: false,
            force: false,
            fonts: Default::default(),
            pdf: None,
            jobs: 1,
            period: None,
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            ledgers: false,
            report_all: false,
        }
    }

    /// A branch folder with one activity naming a photo in a subfolder and a branch file above.
    fn tree() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = absolute(dir.path());
        std::fs::create_dir_all(root.join("支部/照片")).unwrap();
        std::fs::write(root.join("branch.toml"), "[branch]\n").unwrap();
        std::fs::write(
            root.join("支部/a.toml"),
            "kind = \"支委会\"\nbranch = \"../branch.toml\"\n[[photos]]\nfile = \"照片/1.jpg\"\n",
        )
        .unwrap();
        std::fs::write(root.join("支部/notes.txt"), "").unwrap();
        (dir, root)
    }

    #[test]
    fn a_file_input_watches_its_folder_its_branch_and_its_photos() {
        let (_dir, root) = tree();
        let given = [root.join("支部/a.toml")];
        let inputs = discover(&given, None).unwrap();
        let watched = Watched::new(&given, Some(&inputs), &settings(&root.join("out"), None));
        let folders: Vec<(PathBuf, bool)> = watched.folders.clone().into_iter().collect();
        assert_eq!(folders, [(root.clone(), false), (root.join("支部"), false), (root.join("支部/照片"), false)]);
        assert_eq!(watched.change(&root.join("支部/a.toml")), Some(Change::Activity));
        assert_eq!(watched.change(&root.join("branch.toml")), Some(Change::Branch));
        assert_eq!(watched.change(&root.join("支部/照片/1.jpg")), Some(Change::Photo));
        // Not named, not an input of this run.
        assert_eq!(watched.change(&root.join("支部/照片/2.jpg")), None);
        assert_eq!(watched.change(&root.join("支部/notes.txt")), None);
        assert_eq!(watched.change(&root.join("支部/b.toml")), None);
        // Nearer than the one it names or finds: it would be found by walking up.
        assert_eq!(watched.change(&root.join("支部/branch.toml")), Some(Change::Branch));
        assert_eq!(watched.change(&root.join("支部/照片/branch.toml")), None);
    }

    #[test]
    fn a_folder_input_takes_new_activity_files_and_never_its_own_output() {
        let (_dir, root) = tree();
        let given = [root.clone()];
        let inputs = discover(&given, None).unwrap();
        let templates = root.join("模板");
        std::fs::create_dir_all(templates.join("typst")).unwrap();
        let watched = Watched::new(&given, Some(&inputs), &settings(&root.join("out"), Some(&templates)));
        // The templates are under the input folder: one recursive watch holds both.
        let folders: Vec<(PathBuf, bool)> = watched.folders.clone().into_iter().collect();
        assert_eq!(folders, [(root.clone(), true)]);
        assert_eq!(watched.change(&root.join("支部/b.toml")), Some(Change::Activity));
        assert_eq!(watched.change(&root.join("支部/branch.toml")), Some(Change::Branch));
        assert_eq!(watched.change(&root.join(".pdbignore")), Some(Change::Activity));
        assert_eq!(watched.change(&templates.join("typst/notice.typ")), Some(Change::Template));
        for own in ["out/支部/a/00-全套.pdf", "out/支部/a/x.toml", "out/台账.md", "out/支部/a/.pdb-manifest.json"]
        {
            assert_eq!(watched.change(&root.join(own)), None, "{own}");
        }
    }

    #[test]
    fn with_the_output_in_the_input_folder_inputs_are_still_seen() {
        let (_dir, root) = tree();
        let given = [root.join("支部")];
        let inputs = discover(&given, None).unwrap();
        let watched = Watched::new(&given, Some(&inputs), &settings(&root.join("支部"), None));
        assert_eq!(watched.change(&root.join("支部/a.toml")), Some(Change::Activity));
        assert_eq!(watched.change(&root.join("支部/照片/1.jpg")), Some(Change::Photo));
        assert_eq!(watched.change(&root.join("支部/a/00-全套.pdf")), None);
        assert_eq!(watched.change(&root.join("支部/a/photo-1.jpg")), None);
    }

    #[test]
    fn editors_scratch_files_are_not_inputs() {
        let (_dir, root) = tree();
        let given = [root.clone()];
        let inputs = discover(&given, None).unwrap();
        let watched = Watched::new(&given, Some(&inputs), &settings(&root.join("out"), None));
        for scratch in
            [".a.toml.swp", "a.toml~", "#a.toml#", "4913", "~$a.docx", ".pdb-tmp123", "a.toml.tmp", ".goutputstream-X"]
        {
            assert!(is_scratch(scratch), "{scratch}");
            assert_eq!(watched.change(&root.join("支部").join(scratch)), None, "{scratch}");
        }
        assert!(!is_scratch("2026-11-05-支委会.toml") && !is_scratch(".pdbignore") && !is_scratch("branch.toml"));
    }

    proptest::proptest! {
        /// Whatever pdb writes into its output folder inside the watched one, and whatever an
        /// editor's scratch file is called, no run follows: a watch never wakes itself up.
        #[test]
        fn nothing_under_the_output_folder_and_no_scratch_file_is_a_change(
            parts in proptest::collection::vec("[a-z0-9一-龥._~#$ -]{1,12}", 1..4),
            scratch in "[a-z0-9一-龥]{1,8}",
        ) {
            let (_dir, root) = tree();
            let given = [root.clone()];
            let inputs = discover(&given, None).unwrap();
            let watched = Watched::new(&given, Some(&inputs), &settings(&root.join("out"), None));
            let own = parts.iter().fold(root.join("out"), |path, part| path.join(part));
            proptest::prop_assert_eq!(watched.change(&own), None);
            for name in [format!(".{scratch}.toml.swp"), format!("{scratch}.toml~"), format!("~${scratch}.docx")] {
                proptest::prop_assert_eq!(watched.change(&root.join("支部").join(&name)), None);
            }
        }
    }

    #[test]
    fn unreadable_inputs_still_watch_the_given_paths() {
        let (_dir, root) = tree();
        let given = [root.join("支部/a.toml")];
        let watched = Watched::new(&given, None, &settings(&root.join("out"), None));
        assert_eq!(watched.folders.keys().collect::<Vec<_>>(), [&root.join("支部")]);
        assert_eq!(watched.change(&root.join("支部/a.toml")), Some(Change::Activity));
    }
}
