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

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The example quarter, copied into a test's folder by [`Test::example`].
pub const EXAMPLE: &str = "examples/2026Q4";

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

    /// A path inside the temp folder, for a test that edits a file before the run.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Copies the example quarter into `2026Q4/`.
    pub fn example(self) -> Test {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE);
        for entry in walkdir::WalkDir::new(&root).into_iter().filter_map(Result::ok) {
            let target = self.path("2026Q4").join(entry.path().strip_prefix(&root).unwrap());
            if entry.file_type().is_dir() {
                fs::create_dir_all(&target).unwrap();
            } else {
                fs::copy(entry.path(), &target).unwrap();
            }
        }
        self
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

    /// The command [`Test::run`] runs.
    fn command(&self) -> Command {
        let cwd = self.dir.path().join(&self.current_dir);
        fs::create_dir_all(&cwd).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_pdb"));
        command
            .args(&self.args)
            .current_dir(&cwd)
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("PDB_TYPST");
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command
    }

    /// Starts the binary without waiting for it (`pdb watch`), its stdout and stderr piped, with
    /// the temp folder it runs in.
    pub fn spawn(self) -> (std::process::Child, TempDir) {
        use std::process::Stdio;
        let child = self.command().stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn();
        (child.expect("pdb starts"), self.dir)
    }

    pub fn run(self) -> Output {
        let output = self.command().output().expect("pdb runs");
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
        write!(f, "--- status: {}\n--- stdout:\n{}--- stderr:\n{}", self.status, self.stdout, self.stderr)
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

// ---- Multi-step runs in one folder (tests/authoring.rs): init, then plan, then check … ----

impl Output {
    /// Runs pdb again in the same temp folder, from its root.
    pub fn then(self, args: &[&str]) -> Output {
        self.then_in("", args)
    }

    /// Runs pdb again in the same temp folder, from this subfolder of it.
    pub fn then_in(self, relative: &str, args: &[&str]) -> Output {
        self.again().current_dir(relative).env("PDB_TYPST", "none").args(args).run()
    }

    /// A new run in the same temp folder, with its files as this run left them.
    pub fn again(self) -> Test {
        Test { dir: self.dir, args: Vec::new(), current_dir: PathBuf::new(), env: Vec::new() }
    }

    /// Writes a file into the temp folder between runs.
    pub fn write(&self, relative: &str, text: &str) {
        let full = self.path(relative);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, text).unwrap();
    }
}
