//! Paths as pdb compares and stores them: absolute by the letters, "/"-separated, relative.

use std::path::{Component, Path, PathBuf};

/// An absolute path with `.` and `..` resolved by the letters, not through the file system, so
/// that two ways of writing a folder compare equal.
pub fn absolute(path: &Path) -> PathBuf {
    let full = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in full.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A relative path written with "/", the way manifests and ledgers store it on every system.
pub fn slash_path(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// `to` as seen from the folder `from`, "/"-separated: `2026-11-05-支部党员大会`, `../x/y`, or
/// `.` for the folder itself.
pub fn relative(from: &Path, to: &Path) -> String {
    let (from, to) = (absolute(from), absolute(to));
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(to[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative(Path::new("/o"), Path::new("/o/a/b")), "a/b");
        assert_eq!(relative(Path::new("/o/x"), Path::new("/o/a")), "../a");
        assert_eq!(relative(Path::new("/o/x/y"), Path::new("/o")), "../..");
        assert_eq!(relative(Path::new("/o"), Path::new("/o")), ".");
    }

    #[test]
    fn absolute_resolves_dots_by_the_letters() {
        assert_eq!(absolute(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
    }
}
