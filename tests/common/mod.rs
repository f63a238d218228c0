//! A small builder for running the `pdb` binary in a temporary folder, in the style of
//! casey/just's test harness:
//!
//! ```ignore
//! let out = Test::new().branch(BRANCH).file("a.toml", ACTIVITY).args(&["check", "a.toml"]).run();
//! assert_eq!(out.status, 1);
//! ```
//!
//! The binary runs with the temp folder as its current directory and relative paths as
//! arguments, so every path it prints is relative and snapshots are stable. Any absolute path
//! into the temp folder that still reaches stdout/stderr is shown as `[TEMP]`.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// A 15-member roster like the example branch: 5 committee members, two groups, two probationary
/// members (郑丽华, 郭鹏) and one excluded member (黄志刚). So for a meeting of everyone:
/// 应到 14, of whom 12 are 正式 (voting); a 支委会 expects 5.
pub const BRANCH: &str = r#"[branch]
name   = "中共某某县卫生健康局机关第一支部委员会"
short  = "机关第一党支部"
parent = "中共某某县卫生健康局委员会"

[[members]]
name      = "张建国"
role      = "书记"
committee = true
group     = "第一党小组"

[[members]]
name      = "王芳"
role      = "副书记"
committee = true
group     = "第二党小组"

[[members]]
name      = "刘洋"
role      = "组织委员"
committee = true
group     = "第一党小组"

[[members]]
name      = "陈静"
role      = "宣传委员"
committee = true
group     = "第二党小组"

[[members]]
name      = "赵强"
role      = "纪检委员"
committee = true
group     = "第一党小组"

[[members]]
name         = "孙伟"
group        = "第一党小组"
group_leader = true

[[members]]
name  = "周敏"
group = "第一党小组"

[[members]]
name  = "吴磊"
group = "第一党小组"

[[members]]
name   = "郑丽华"
status = "预备党员"
group  = "第一党小组"

[[members]]
name         = "何婷"
group        = "第二党小组"
group_leader = true

[[members]]
name  = "马俊"
group = "第二党小组"

[[members]]
name  = "林晓燕"
group = "第二党小组"

[[members]]
name   = "郭鹏"
status = "probationary"
group  = "第二党小组"

[[members]]
name  = "徐文博"
group = "第二党小组"

[[members]]
name     = "黄志刚"
group    = "第二党小组"
excluded = "长期病休"
"#;

/// Every member of [`BRANCH`] that counts toward 应到 at a meeting of everyone, in roster order.
pub const EXPECTED: [&str; 14] = [
    "张建国",
    "王芳",
    "刘洋",
    "陈静",
    "赵强",
    "孙伟",
    "周敏",
    "吴磊",
    "郑丽华",
    "何婷",
    "马俊",
    "林晓燕",
    "郭鹏",
    "徐文博",
];

/// The probationary members of [`BRANCH`]: they count toward 应到 and 实到, but have no vote.
pub const PROBATIONARY: [&str; 2] = ["郑丽华", "郭鹏"];

/// The committee members of [`BRANCH`].
pub const COMMITTEE: [&str; 5] = ["张建国", "王芳", "刘洋", "陈静", "赵强"];

/// The first lines of a valid activity of `kind`; tests append the part they are about.
pub fn header(kind: &str) -> String {
    format!(
        "kind     = \"{kind}\"\n\
         date     = 2026-11-05\n\
         start    = 14:30:00\n\
         end      = 16:00:00\n\
         location = \"局机关三楼会议室\"\n\
         host     = \"张建国\"\n\
         recorder = \"王芳\"\n"
    )
}

/// A TOML array of names: `[ "张建国", "王芳" ]`.
pub fn names(list: &[&str]) -> String {
    let quoted: Vec<String> = list.iter().map(|n| format!("\"{n}\"")).collect();
    format!("[ {} ]", quoted.join(", "))
}

pub struct Test {
    dir: TempDir,
    args: Vec<String>,
    current_dir: PathBuf,
    env: Vec<(String, String)>,
}

impl Default for Test {
    fn default() -> Self {
        Self::new()
    }
}

impl Test {
    pub fn new() -> Test {
        Test {
            dir: tempfile::Builder::new().prefix("pdb-test").tempdir().expect("temp dir"),
            args: Vec::new(),
            current_dir: PathBuf::new(),
            env: Vec::new(),
        }
    }

    /// Writes `branch.toml` at the root of the temp folder.
    pub fn branch(self, text: &str) -> Test {
        self.file("branch.toml", text)
    }

    /// Writes a text file (parent folders are created).
    pub fn file(self, path: &str, text: &str) -> Test {
        self.bytes(path, text.as_bytes())
    }

    /// Writes a file byte for byte: for BOMs, CRLF, GBK and images.
    pub fn bytes(self, path: &str, contents: &[u8]) -> Test {
        let full = self.dir.path().join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(&full, contents).unwrap();
        self
    }

    /// A minimal valid JPEG header: enough for pdb's content check (not for typst).
    pub fn jpeg(self, path: &str) -> Test {
        self.bytes(path, b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00")
    }

    pub fn args(mut self, args: &[&str]) -> Test {
        self.args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    pub fn arg(self, arg: &str) -> Test {
        self.args(&[arg])
    }

    /// Runs the binary from this subfolder of the temp folder instead of its root.
    pub fn current_dir(mut self, relative: &str) -> Test {
        self.current_dir = PathBuf::from(relative);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Test {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn run(self) -> Output {
        let cwd = self.dir.path().join(&self.current_dir);
        fs::create_dir_all(&cwd).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_pdb"));
        command
            .args(&self.args)
            .current_dir(&cwd)
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE");
        for (key, value) in &self.env {
            command.env(key, value);
        }
        let output = command.output().expect("pdb runs");
        let normalize =
            |bytes: Vec<u8>| normalize_temp(self.dir.path(), String::from_utf8(bytes).expect("output is UTF-8"));
        Output {
            stdout: normalize(output.stdout),
            stderr: normalize(output.stderr),
            status: output.status.code().expect("pdb exited normally"),
            dir: self.dir,
        }
    }
}

/// Absolute paths into the temp folder (pdb prints some, e.g. a branch.toml found by walking up)
/// become `[TEMP]`, so snapshots do not depend on the temp folder's name.
fn normalize_temp(dir: &Path, text: String) -> String {
    let mut text = text;
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    for prefix in [canonical.as_path(), dir] {
        text = text.replace(&prefix.display().to_string(), "[TEMP]");
    }
    text
}

#[derive(Debug)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    /// The exit code: 0 ok, 1 input errors, 2 usage or template errors, 3 findings under --strict.
    pub status: i32,
    pub dir: TempDir,
}

impl Output {
    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        let path = self.path(relative);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}\n{self}", path.display()))
    }

    /// Every file under `relative` with this extension, sorted.
    pub fn files(&self, relative: &str, extension: &str) -> Vec<PathBuf> {
        let mut found = Vec::new();
        collect(&self.path(relative), extension, &mut found);
        found.sort();
        found
    }

    #[track_caller]
    pub fn assert_status(&self, expected: i32) -> &Self {
        assert_eq!(self.status, expected, "unexpected exit code\n{self}");
        self
    }

    /// Asserts the run succeeded and reported no error and no finding.
    #[track_caller]
    pub fn assert_clean(&self) -> &Self {
        self.assert_status(0);
        assert_eq!(self.stderr, "", "expected no diagnostics\n{self}");
        assert!(self.stdout.contains("失败 0 个，发现 0 项"), "{self}");
        self
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- status: {}\n--- stdout:\n{}--- stderr:\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

fn collect(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
}

/// Only the `错误`/`发现` blocks of stderr that mention `needle`, for asserting one diagnostic
/// among several.
pub fn diagnostic_containing<'a>(stderr: &'a str, needle: &str) -> Option<&'a str> {
    stderr.split("\n\n").find(|block| block.contains(needle))
}

/// The text a reader of a Markdown document sees: the text events of pulldown-cmark (GitHub's
/// extensions on), one line per block or table cell. Raw HTML is not text, so `<b>` written by
/// the user but passed through unescaped does not show up here.
pub fn markdown_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, TagEnd};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS | Options::ENABLE_FOOTNOTES;
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock,
            ) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Every number written right after `word` (optionally after a colon), e.g. the 14 of `应到：14人`
/// or `应到14人`; `应到会有表决权的正式党员12人` does not count.
pub fn numbers_after(text: &str, word: &str) -> Vec<u32> {
    text.match_indices(word)
        .filter_map(|(i, _)| {
            let rest = text[i + word.len()..].trim_start_matches(['：', ':', ' ', '\u{3000}']);
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

// ---- Multi-step runs in one folder (tests/authoring.rs): init, then plan, then check … ----

impl Output {
    /// Runs pdb again in the same temp folder, from its root.
    pub fn then(self, args: &[&str]) -> Output {
        self.then_in("", args)
    }

    /// Runs pdb again in the same temp folder, from this subfolder of it.
    pub fn then_in(self, relative: &str, args: &[&str]) -> Output {
        let test = Test { dir: self.dir, args: Vec::new(), current_dir: PathBuf::from(relative), env: Vec::new() };
        test.env("PDB_TYPST", "none").args(args).run()
    }

    /// Writes a file into the temp folder between runs.
    pub fn write(&self, relative: &str, text: &str) {
        let full = self.path(relative);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, text).unwrap();
    }
}
