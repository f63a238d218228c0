//! What a run works on: the activity files named on the command line or found in folders (minus
//! `branch.toml` and what `.pdbignore` lists), each with the output folder that mirrors it.
//!
//! The list is never held: [`discover`] walks once to check the inputs and count them (per
//! branch too), and [`Inputs::iter`] walks again as the run goes, so that memory does not grow
//! with the number of files.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use walkdir::WalkDir;

use crate::load::{find_branch_file, BRANCH_FILE_NAME};
use crate::paths::{absolute, slash_path};

/// Lists files to leave out of a walk, in gitignore syntax; applies to its folder and below.
pub const IGNORE_FILE: &str = ".pdbignore";

/// One activity file of the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// As the user wrote it (or as found under the folder they wrote): messages show this.
    pub path: PathBuf,
    /// The path relative to the folder it was found in (a file's own name when given as a
    /// file), "/"-separated: what `--shard` hashes, so that a shard is the same wherever the
    /// run starts.
    pub key: String,
    /// The output folder relative to the output root: the activity's folder relative to the
    /// common root of the inputs, then the file stem.
    pub output: PathBuf,
    /// An earlier input that maps to the same output folder: this one is not rendered.
    pub same_output_as: Option<PathBuf>,
    /// The branch.toml found by walking up from its folder (absolute), which the activity uses
    /// unless its `branch` key names another: what [`Inputs::by_branch`] counts.
    pub branch: Option<PathBuf>,
}

/// The activities of a run, walked again by [`Inputs::iter`], and the root their output mirrors.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    given: Vec<Given>,
    /// The common ancestor of the inputs' roots (absolute): a folder input is its own root, a
    /// file input's root is its folder.
    pub root: PathBuf,
    /// How many activities [`Inputs::iter`] gives.
    pub count: usize,
    /// Activities by the branch file they find by walking up ([`Input::branch`]), of the shard.
    pub by_branch: HashMap<PathBuf, usize>,
    /// `--shard`: [`Inputs::iter`] gives its activities only (the others still count as outputs
    /// that two files must not share).
    shard: Option<Shard>,
    /// The hashes of the (case-folded) output folders that more than one file maps to.
    colliding: HashSet<u64>,
}

/// A path of the command line: a folder to walk or a file, with the root its outputs mirror.
#[derive(Debug, Clone)]
struct Given {
    path: PathBuf,
    is_dir: bool,
    root: PathBuf,
}

#[derive(Debug)]
pub enum InputError {
    NotFound(PathBuf),
    /// A folder without any activity file.
    Empty(PathBuf),
    BadIgnoreFile(PathBuf, String),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::NotFound(path) => {
                write!(f, "找不到 {}：请检查路径；文件名含空格时请用引号括起来", path.display())
            }
            InputError::Empty(path) => write!(f, "{} 中没有活动文件（branch.toml 以外的 .toml 文件）", path.display()),
            InputError::BadIgnoreFile(path, reason) => write!(f, "无法读取 {}：{reason}", path.display()),
        }
    }
}

impl std::error::Error for InputError {}

/// Files are taken as given; folders are walked for activity files, in file-name order. One walk
/// checks every folder and `.pdbignore` and counts the activities (of `shard`, when given: the
/// run's total and each branch's count are the shard's); the list itself is not kept.
pub fn discover(paths: &[PathBuf], shard: Option<Shard>) -> Result<Inputs, InputError> {
    let mut given = Vec::new();
    for path in paths {
        if path.is_dir() {
            given.push(Given { path: path.clone(), is_dir: true, root: absolute(path) });
        } else if path.is_file() {
            // `pdb render 2026Q4/*.toml`: the shell's list includes the branch file.
            if path.file_name().is_some_and(|n| n == BRANCH_FILE_NAME) {
                continue;
            }
            let root = absolute(path).parent().map(Path::to_path_buf).unwrap_or_default();
            given.push(Given { path: path.clone(), is_dir: false, root });
        } else {
            return Err(InputError::NotFound(path.clone()));
        }
    }
    if given.is_empty() {
        return Err(InputError::Empty(paths.first().cloned().unwrap_or_default()));
    }
    let root = common_ancestor(given.iter().map(|g| g.root.as_path()));
    let mut inputs = Inputs { given, root, shard, ..Inputs::default() };
    // Output folder (hashed) → the file (hashed) that first maps to it: 16 bytes a file, the only
    // thing the check keeps per file.
    let mut outputs: HashMap<u64, u64> = HashMap::new();
    let mut branches = BranchFinder::default();
    for (g, given) in inputs.given.iter().enumerate() {
        let mut walk = Found::new(std::slice::from_ref(given));
        let mut any = false;
        for (path, key) in walk.by_ref() {
            any = true;
            let (full, folded) = placed(&path, &inputs.root);
            let file = crate::digest::bucket(&full.to_string_lossy());
            let output = crate::digest::bucket(&folded);
            match outputs.get(&output) {
                // The same file named twice (a folder and a file in it) is one activity.
                Some(&first) if first == file => {
                    inputs.colliding.insert(output);
                    continue;
                }
                Some(_) => {
                    inputs.colliding.insert(output);
                }
                None => {
                    outputs.insert(output, file);
                }
            }
            if shard.is_some_and(|shard| !shard.contains_key(&key)) {
                continue;
            }
            inputs.count += 1;
            if let Some(branch) = branches.of(&path) {
                *inputs.by_branch.entry(branch).or_default() += 1;
            }
        }
        if let Some(err) = walk.error.take() {
            return Err(err);
        }
        if !any && inputs.given[g].is_dir {
            return Err(InputError::Empty(inputs.given[g].path.clone()));
        }
    }
    Ok(inputs)
}

impl Inputs {
    /// The activities, in order, walked again: the same list as [`discover`] counted.
    pub fn iter(&self) -> impl Iterator<Item = Input> + Send + '_ {
        let mut firsts: HashMap<String, (PathBuf, PathBuf)> = HashMap::new();
        let mut branches = BranchFinder::default();
        Found::new(&self.given).filter_map(move |(path, key)| {
            let (full, folded) = placed(&path, &self.root);
            let output = output_of(&full, &path, &self.root);
            let mut same_output_as = None;
            // Case-insensitive, as on Windows and macOS: 'A.toml' and 'a.TOML' would share a folder.
            if self.colliding.contains(&crate::digest::bucket(&folded)) {
                match firsts.get(&folded) {
                    Some((first, _)) if *first == full => return None,
                    Some((_, shown)) => same_output_as = Some(shown.clone()),
                    None => {
                        firsts.insert(folded, (full, path.clone()));
                    }
                }
            }
            if self.shard.is_some_and(|shard| !shard.contains_key(&key)) {
                return None;
            }
            let branch = branches.of(&path);
            Some(Input { path, key, output, same_output_as, branch })
        })
    }
}

/// An input's absolute path and its output folder, case-folded (what two files must not share).
fn placed(path: &Path, common: &Path) -> (PathBuf, String) {
    let full = absolute(path);
    let folded = output_of(&full, path, common).to_string_lossy().to_lowercase();
    (full, folded)
}

/// The output folder: the file's folder relative to the common root, then its stem.
fn output_of(full: &Path, path: &Path, common: &Path) -> PathBuf {
    let folder = full.parent().and_then(|p| p.strip_prefix(common).ok()).map(Path::to_path_buf).unwrap_or_default();
    folder.join(path.file_stem().unwrap_or_default())
}

/// The branch file each folder's activities find by walking up, looked up once per folder.
#[derive(Default)]
struct BranchFinder {
    by_folder: HashMap<PathBuf, Option<PathBuf>>,
}

impl BranchFinder {
    fn of(&mut self, activity: &Path) -> Option<PathBuf> {
        let folder = activity.parent().unwrap_or(Path::new("")).to_path_buf();
        self.by_folder.entry(folder).or_insert_with(|| find_branch_file(activity).map(|p| absolute(&p))).clone()
    }
}

/// The files of the given paths in order: each file's path and its key.
struct Found<'a> {
    given: std::slice::Iter<'a, Given>,
    walk: Option<Walk>,
    /// The first bad `.pdbignore` met.
    error: Option<InputError>,
}

impl<'a> Found<'a> {
    fn new(given: &'a [Given]) -> Found<'a> {
        Found { given: given.iter(), walk: None, error: None }
    }
}

impl Iterator for Found<'_> {
    type Item = (PathBuf, String);

    fn next(&mut self) -> Option<(PathBuf, String)> {
        loop {
            if let Some(walk) = &mut self.walk {
                if let Some(found) = walk.next() {
                    return Some(found);
                }
                if let Some(err) = walk.error.take() {
                    self.error.get_or_insert(err);
                }
                self.walk = None;
            }
            let given = self.given.next()?;
            if given.is_dir {
                self.walk = Some(Walk::new(&given.path));
            } else {
                let key = given.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                return Some((given.path.clone(), key));
            }
        }
    }
}

/// The activity files under one folder, and each one's path relative to it.
struct Walk {
    dir: PathBuf,
    entries: walkdir::IntoIter,
    ignores: Ignores,
    error: Option<InputError>,
}

impl Walk {
    fn new(dir: &Path) -> Walk {
        // A symlinked activity file or folder is followed (walkdir stops at a loop).
        let entries = WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter();
        Walk { dir: dir.to_path_buf(), entries, ignores: Ignores::default(), error: None }
    }
}

impl Iterator for Walk {
    type Item = (PathBuf, String);

    fn next(&mut self) -> Option<(PathBuf, String)> {
        loop {
            let Ok(entry) = self.entries.next()? else { continue };
            if entry.depth() == 0 {
                continue;
            }
            let is_dir = entry.file_type().is_dir();
            let ignored = self.ignores.is_ignored(&self.dir, entry.path(), is_dir).unwrap_or_else(|err| {
                self.error.get_or_insert(err);
                true
            });
            if ignored {
                if is_dir {
                    self.entries.skip_current_dir();
                }
                continue;
            }
            if entry.file_type().is_file() && is_activity_file(entry.path()) {
                let relative = entry.path().strip_prefix(&self.dir).unwrap_or(entry.path());
                // `pdb check .` reports `x.toml`, not `./x.toml`.
                let path = if self.dir == Path::new(".") { relative.to_path_buf() } else { entry.path().to_path_buf() };
                return Some((path, slash_path(relative)));
            }
        }
    }
}

/// A `.toml` file other than branch.toml: what a folder walk (and `pdb plan`) takes for an activity.
pub fn is_activity_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        && path.file_name().is_some_and(|n| n != BRANCH_FILE_NAME)
}

/// The `.pdbignore` of every folder of a walk, read once each.
#[derive(Default)]
struct Ignores {
    by_folder: HashMap<PathBuf, Option<Gitignore>>,
}

impl Ignores {
    /// Whether `path` is ignored by the `.pdbignore` files of `root` and the folders between.
    /// As in git, a deeper file wins, and the last matching line of a file wins.
    fn is_ignored(&mut self, root: &Path, path: &Path, is_dir: bool) -> Result<bool, InputError> {
        let mut folders: Vec<&Path> = path.ancestors().skip(1).take_while(|a| a.starts_with(root)).collect();
        folders.reverse();
        let mut ignored = false;
        for folder in folders {
            if let Some(matcher) = self.matcher(folder)? {
                match matcher.matched(path, is_dir) {
                    Match::Ignore(_) => ignored = true,
                    Match::Whitelist(_) => ignored = false,
                    Match::None => {}
                }
            }
        }
        Ok(ignored)
    }

    fn matcher(&mut self, folder: &Path) -> Result<Option<&Gitignore>, InputError> {
        if !self.by_folder.contains_key(folder) {
            let file = folder.join(IGNORE_FILE);
            let matcher = if file.is_file() {
                let mut builder = GitignoreBuilder::new(folder);
                if let Some(err) = builder.add(&file) {
                    return Err(InputError::BadIgnoreFile(file, err.to_string()));
                }
                Some(builder.build().map_err(|e| InputError::BadIgnoreFile(file, e.to_string()))?)
            } else {
                None
            };
            self.by_folder.insert(folder.to_path_buf(), matcher);
        }
        Ok(self.by_folder[folder].as_ref())
    }
}

/// Which part of a run `--shard k/n` takes: a stable 1/n of the activities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Whether the input of this key (its path relative to its input root) is the shard's: by a
    /// hash of the key, the same split on every machine and every run, whatever the other files.
    pub fn contains_key(self, key: &str) -> bool {
        crate::digest::bucket(key) % self.count == self.index - 1
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let error = || format!("“{text}”不是分片：请写成 k/n，例如 1/4（共 4 片中的第 1 片）");
        let (k, n) = text.split_once('/').ok_or_else(error)?;
        let (index, count): (u64, u64) =
            (k.trim().parse().map_err(|_| error())?, n.trim().parse().map_err(|_| error())?);
        if count == 0 || index == 0 || index > count {
            return Err(error());
        }
        Ok(Shard { index, count })
    }
}

fn common_ancestor<'a>(mut paths: impl Iterator<Item = &'a Path>) -> PathBuf {
    let Some(first) = paths.next() else { return PathBuf::new() };
    let mut common = first.to_path_buf();
    for path in paths {
        while !path.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse() {
        assert_eq!("2/3".parse(), Ok(Shard { index: 2, count: 3 }));
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
        assert!("1".parse::<Shard>().is_err());
    }

    /// A shard's total and per-branch counts are those of the activities it gives, and the
    /// shards of a run give every activity once.
    #[test]
    fn a_shard_counts_its_own_activities() {
        let dir = tempfile::tempdir().unwrap();
        for branch in ["a", "b", "c"] {
            std::fs::create_dir_all(dir.path().join(branch)).unwrap();
            std::fs::write(dir.path().join(branch).join(BRANCH_FILE_NAME), "").unwrap();
            for i in 0..7 {
                std::fs::write(dir.path().join(branch).join(format!("{i}.toml")), "").unwrap();
            }
        }
        let paths = [dir.path().to_path_buf()];
        let mut seen = Vec::new();
        for index in 1..=3 {
            let inputs = discover(&paths, Some(Shard { index, count: 3 })).unwrap();
            let given: Vec<Input> = inputs.iter().collect();
            assert_eq!(inputs.count, given.len());
            let mut by_branch: HashMap<PathBuf, usize> = HashMap::new();
            for input in &given {
                *by_branch.entry(input.branch.clone().unwrap()).or_default() += 1;
            }
            assert_eq!(inputs.by_branch, by_branch);
            seen.extend(given.into_iter().map(|i| i.key));
        }
        seen.sort();
        let all: Vec<String> = discover(&paths, None).unwrap().iter().map(|i| i.key).collect();
        assert_eq!(seen, all);
        assert_eq!(all.len(), 21);
    }

    #[test]
    fn common_root() {
        let paths = [Path::new("/a/b/c"), Path::new("/a/b/d/e"), Path::new("/a/b")];
        assert_eq!(common_ancestor(paths.into_iter()), PathBuf::from("/a/b"));
    }
}
