//! What a run works on: the activity files named on the command line or found in folders (minus
//! `branch.toml` and what `.pdbignore` lists), each with the output folder that mirrors it.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use walkdir::WalkDir;

use crate::load::BRANCH_FILE_NAME;
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
}

/// The activities of a run and the root their output mirrors.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub activities: Vec<Input>,
    /// The common ancestor of the inputs' roots (absolute): a folder input is its own root, a
    /// file input's root is its folder.
    pub root: PathBuf,
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

/// Files are taken as given; folders are walked for activity files, in file-name order.
pub fn discover(paths: &[PathBuf]) -> Result<Inputs, InputError> {
    let mut found: Vec<(PathBuf, String, PathBuf)> = Vec::new(); // path, key, root
    for given in paths {
        if given.is_dir() {
            let before = found.len();
            for (path, key) in walk(given)? {
                found.push((path, key, absolute(given)));
            }
            if found.len() == before {
                return Err(InputError::Empty(given.clone()));
            }
        } else if given.is_file() {
            // `pdb render 2026Q4/*.toml`: the shell's list includes the branch file.
            if given.file_name().is_some_and(|n| n == BRANCH_FILE_NAME) {
                continue;
            }
            let key = given.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let root = absolute(given).parent().map(Path::to_path_buf).unwrap_or_default();
            found.push((given.clone(), key, root));
        } else {
            return Err(InputError::NotFound(given.clone()));
        }
    }
    if found.is_empty() {
        return Err(InputError::Empty(paths.first().cloned().unwrap_or_default()));
    }
    let root = common_ancestor(found.iter().map(|(_, _, root)| root.as_path()));
    let mut activities: Vec<Input> = Vec::with_capacity(found.len());
    let mut outputs: HashMap<String, usize> = HashMap::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for (path, key, _) in found {
        let full = absolute(&path);
        let folder = full.parent().and_then(|p| p.strip_prefix(&root).ok()).map(Path::to_path_buf).unwrap_or_default();
        let stem = path.file_stem().map(|s| s.to_os_string()).unwrap_or_default();
        let output = folder.join(stem);
        // The same file named twice (a folder and a file in it) is one activity.
        if !seen.insert(full) {
            continue;
        }
        // Case-insensitive, as on Windows and macOS: 'A.toml' and 'a.TOML' would share a folder.
        let folded = output.to_string_lossy().to_lowercase();
        let same_output_as = outputs.get(&folded).map(|&i: &usize| activities[i].path.clone());
        outputs.entry(folded).or_insert(activities.len());
        activities.push(Input { path, key, output, same_output_as });
    }
    Ok(Inputs { activities, root })
}

/// The activity files under `dir`, and each one's path relative to it.
fn walk(dir: &Path) -> Result<Vec<(PathBuf, String)>, InputError> {
    let mut ignores = Ignores::default();
    let mut error = None;
    let mut files = Vec::new();
    // A symlinked activity file or folder is followed (walkdir stops at a loop).
    let walker = WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter().filter_entry(|entry| {
        if entry.depth() == 0 {
            return true;
        }
        match ignores.is_ignored(dir, entry.path(), entry.file_type().is_dir()) {
            Ok(ignored) => !ignored,
            Err(err) => {
                error.get_or_insert(err);
                false
            }
        }
    });
    for entry in walker.filter_map(Result::ok) {
        if entry.file_type().is_file() && is_activity_file(entry.path()) {
            let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            // `pdb check .` reports `x.toml`, not `./x.toml`.
            let path = if dir == Path::new(".") { relative.to_path_buf() } else { entry.path().to_path_buf() };
            files.push((path, slash_path(relative)));
        }
    }
    match error {
        Some(err) => Err(err),
        None => Ok(files),
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
    /// By a hash of the path relative to its input root: the same split on every machine and
    /// every run, whatever the other files.
    pub fn contains(self, input: &Input) -> bool {
        crate::digest::bucket(&input.key) % self.count == self.index - 1
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

    #[test]
    fn common_root() {
        let paths = [Path::new("/a/b/c"), Path::new("/a/b/d/e"), Path::new("/a/b")];
        assert_eq!(common_ancestor(paths.into_iter()), PathBuf::from("/a/b"));
    }
}
