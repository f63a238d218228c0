//! Finding the typst program and checking its version.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::process::RunError;

/// The typst versions pdb is written for. The templates need 0.13 (first-line indent of every
/// paragraph); newer versions are used with a note, since typst still changes between minor
/// versions.
pub const OLDEST: Version = Version { major: 0, minor: 13, patch: 0 };
pub const NEWEST_TESTED: Version = Version { major: 0, minor: 15, patch: u32::MAX };

/// The version the templates were checked with, page by page.
pub const TESTED: &str = "0.15.1";

/// How to get typst when it is missing.
pub const INSTALL: &str = "cargo install --locked typst-cli";

/// The environment variable that names the typst program, like `--typst`; `PDB_TYPST=none`
/// turns PDF output off (for scripts and tests that want the same files on every machine).
pub const ENV_TYPST: &str = "PDB_TYPST";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Version {
    /// Parses the output of `typst --version`: `typst 0.15.1 (unknown commit)`.
    pub fn parse(output: &str) -> Option<Version> {
        let word = output.split_whitespace().find(|w| w.starts_with(|c: char| c.is_ascii_digit()))?;
        let mut parts = word.split(|c: char| !c.is_ascii_digit()).map(|p| p.parse::<u32>());
        let major = parts.next()?.ok()?;
        let minor = parts.next()?.ok()?;
        let patch = parts.next().and_then(Result::ok).unwrap_or(0);
        Some(Version { major, minor, patch })
    }
}

/// The supported range for messages: `0.13–0.15`.
pub fn supported_range() -> String {
    format!("{}.{}–{}.{}", OLDEST.major, OLDEST.minor, NEWEST_TESTED.major, NEWEST_TESTED.minor)
}

/// Where the typst program was found, so a message can say which setting to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Flag,
    Env,
    Path,
}

impl Origin {
    /// The setting that named the program: `--typst`, `PDB_TYPST` or `PATH`.
    pub fn describe(self) -> &'static str {
        match self {
            Origin::Flag => "--typst",
            Origin::Env => ENV_TYPST,
            Origin::Path => "PATH",
        }
    }
}

/// A typst program that answered `--version` with a version pdb can use.
#[derive(Debug, Clone)]
pub struct Typst {
    pub path: PathBuf,
    pub origin: Origin,
    pub version: Version,
    /// How long one typst command may take (`--typst-timeout`) before it is killed.
    pub timeout: Duration,
}

/// `--typst-timeout`'s default: a packet takes seconds; five minutes is a typst that hangs.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// Runs a typst command within `limit`, as `Command::output` does.
pub(crate) fn run(command: &mut Command, limit: Duration) -> Result<std::process::Output, String> {
    crate::process::output_within(command, limit).map_err(|err| match err {
        RunError::Start(err) => err.to_string(),
        RunError::Timeout(limit) => timeout_message(limit),
    })
}

pub(crate) fn timeout_message(limit: Duration) -> String {
    format!("typst 超时：{} 秒内没有完成，已停止它", limit.as_secs())
}

/// Why PDF output is not possible, with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypstError {
    NotFound,
    /// `PDB_TYPST=none`.
    Disabled,
    /// The program given by `--typst` or `PDB_TYPST` does not exist.
    Missing {
        path: PathBuf,
        origin: Origin,
    },
    /// It exists but could not be run, or did not answer like typst.
    Broken {
        path: PathBuf,
        origin: Origin,
        reason: String,
    },
    TooOld {
        path: PathBuf,
        version: Version,
    },
    /// Typst sees no font with Chinese characters.
    NoCjkFont {
        font_paths: Vec<PathBuf>,
    },
}

impl TypstError {
    /// One line for the note that PDF was skipped.
    pub fn summary(&self) -> String {
        match self {
            TypstError::NotFound => format!("找不到 typst（安装：{INSTALL}）"),
            TypstError::Disabled => format!("环境变量 {ENV_TYPST}=none 关闭了 PDF 输出"),
            TypstError::Missing { path, origin } => {
                format!("{} 指定的 typst 不存在：{}", origin.describe(), path.display())
            }
            TypstError::Broken { path, reason, .. } => format!("无法运行 {}：{reason}", path.display()),
            TypstError::TooOld { path, version } => {
                format!("{} 的版本是 {version}，太旧（需要 {}；升级：{INSTALL}）", path.display(), supported_range())
            }
            TypstError::NoCjkFont { .. } => {
                "typst 找不到中文字体（Debian/Ubuntu：apt install fonts-noto-cjk，或用 --font-path 指定字体文件夹）"
                    .to_string()
            }
        }
    }
}

impl fmt::Display for TypstError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypstError::NotFound => write!(
                f,
                "找不到 typst，无法生成 PDF。PDF 由 typst 排版：请安装 typst（{INSTALL}），\
                 或下载 https://github.com/typst/typst/releases 中的程序放到 PATH 里；\
                 也可以用 --typst 路径 或环境变量 {ENV_TYPST} 指定 typst 程序"
            ),
            TypstError::Disabled => {
                write!(f, "环境变量 {ENV_TYPST}=none 关闭了 PDF 输出；要生成 PDF，请去掉它或用 --typst 指定 typst")
            }
            TypstError::Missing { path, origin } => write!(
                f,
                "{} 指定的 typst 程序不存在：{}。请改正路径，或安装 typst（{INSTALL}）",
                origin.describe(),
                path.display()
            ),
            TypstError::Broken { path, origin, reason } => write!(
                f,
                "无法运行 typst（{}，来自 {}）：{reason}。请确认它是 typst 程序，或重新安装（{INSTALL}）",
                path.display(),
                origin.describe()
            ),
            TypstError::TooOld { path, version } => write!(
                f,
                "typst {version}（{}）太旧，pdb 需要 typst {}。请升级：{INSTALL}",
                path.display(),
                supported_range()
            ),
            TypstError::NoCjkFont { font_paths } => {
                write!(f, "typst 找不到任何中文字体，生成的 PDF 会缺字，所以没有生成。")?;
                if !font_paths.is_empty() {
                    let paths: Vec<String> = font_paths.iter().map(|p| p.display().to_string()).collect();
                    write!(f, "（--font-path 给出的 {} 中也没有中文字体。）", paths.join("、"))?;
                }
                write!(
                    f,
                    "\n  修改办法：Debian/Ubuntu 上安装中文字体：sudo apt install fonts-noto-cjk；\
                     Windows 和 macOS 自带中文字体（仿宋、黑体、楷体），无需安装；\
                     或者用 --font-path 文件夹 指定存放字体文件（.ttf/.otf/.ttc）的文件夹。\
                     pdb doctor 会列出 typst 找到的字体"
                )
            }
        }
    }
}

impl std::error::Error for TypstError {}

/// Finds typst: `--typst`, then `PDB_TYPST`, then PATH; and checks its version.
pub fn locate(explicit: Option<&Path>) -> Result<Typst, TypstError> {
    locate_within(explicit, DEFAULT_TIMEOUT)
}

/// [`locate`], with a time limit for this and every later typst command.
pub fn locate_within(explicit: Option<&Path>, timeout: Duration) -> Result<Typst, TypstError> {
    let from_env = std::env::var_os(ENV_TYPST).filter(|v| !v.is_empty()).map(PathBuf::from);
    let (path, origin) = match (explicit, from_env) {
        (Some(path), _) => (given_program(path, Origin::Flag)?, Origin::Flag),
        (None, Some(path)) if path.as_os_str().eq_ignore_ascii_case("none") => return Err(TypstError::Disabled),
        (None, Some(path)) => (given_program(&path, Origin::Env)?, Origin::Env),
        (None, None) => (find_in_path("typst".as_ref()).ok_or(TypstError::NotFound)?, Origin::Path),
    };
    let output = run(Command::new(&path).arg("--version"), timeout).map_err(|reason| TypstError::Broken {
        path: path.clone(),
        origin,
        reason,
    })?;
    let text = String::from_utf8_lossy(&output.stdout);
    let version = Version::parse(&text).filter(|_| output.status.success() && text.starts_with("typst"));
    let Some(version) = version else {
        let reason = format!("`typst --version` 的回答不是 typst 的版本：{}", text.trim());
        return Err(TypstError::Broken { path, origin, reason });
    };
    if version < OLDEST {
        return Err(TypstError::TooOld { path, version });
    }
    Ok(Typst { path, origin, version, timeout })
}

/// A program named by the user: a path, or a bare name looked up on PATH. Made absolute, since
/// typst runs with the activity's folder as its working directory.
fn given_program(path: &Path, origin: Origin) -> Result<PathBuf, TypstError> {
    let missing = || TypstError::Missing { path: path.to_path_buf(), origin };
    if path.components().count() == 1 && !path.exists() {
        return find_in_path(path.as_os_str()).ok_or_else(missing);
    }
    if !path.is_file() {
        return Err(missing());
    }
    std::path::absolute(path).map_err(|_| missing())
}

fn find_in_path(name: &std::ffi::OsStr) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    let mut names = vec![PathBuf::from(name)];
    if cfg!(windows) {
        names.insert(0, PathBuf::from(name).with_extension("exe"));
    }
    std::env::split_paths(&paths)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|candidate| candidate.is_file())
}

impl Typst {
    /// Whether this version is newer than the ones pdb was tested with.
    pub fn is_untested(&self) -> bool {
        self.version > NEWEST_TESTED
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_from_typst_output() {
        assert_eq!(Version::parse("typst 0.15.1 (unknown commit)"), Some(Version { major: 0, minor: 15, patch: 1 }));
        assert_eq!(Version::parse("typst 0.13.0 (8ace67d9)\n"), Some(Version { major: 0, minor: 13, patch: 0 }));
        assert_eq!(Version::parse("typst 0.14.0-rc.1"), Some(Version { major: 0, minor: 14, patch: 0 }));
        assert_eq!(Version::parse("something else"), None);
        assert!(Version::parse("typst 0.12.0").unwrap() < OLDEST);
        assert!(Version::parse("typst 0.15.9").unwrap() <= NEWEST_TESTED);
        assert!(Version::parse("typst 0.16.0").unwrap() > NEWEST_TESTED);
    }
}
