//! PDF output through the `typst` command-line program.
//!
//! pdb has no typst library dependency: it writes `.typ` files and runs `typst compile` on them,
//! one process per PDF, a few processes at a time. This module finds typst and checks its
//! version, lists the fonts typst can see and picks the Chinese ones, writes the packet file that
//! binds an activity's documents into one PDF, and turns typst's diagnostics into pdb's.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::render::escape::typst_string;
use crate::render::{Fonts, Packet};

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

/// The packet of one activity: a cover, a contents page and every document.
pub const PACKET_STEM: &str = "00-全套";

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
}

/// The font settings passed to every typst command of a run, `typst fonts` included, so that the
/// fonts pdb checks are the fonts typst uses.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    pub font_paths: Vec<PathBuf>,
    pub ignore_system_fonts: bool,
}

impl FontOptions {
    fn args(&self) -> Vec<OsString> {
        let mut args = Vec::new();
        for path in &self.font_paths {
            args.push("--font-path".into());
            args.push(path.clone().into_os_string());
        }
        if self.ignore_system_fonts {
            args.push("--ignore-system-fonts".into());
        }
        args
    }
}

/// Why PDF output is not possible, with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypstError {
    NotFound,
    /// `PDB_TYPST=none`.
    Disabled,
    /// The program given by `--typst` or `PDB_TYPST` does not exist.
    Missing { path: PathBuf, origin: Origin },
    /// It exists but could not be run, or did not answer like typst.
    Broken { path: PathBuf, origin: Origin, reason: String },
    TooOld { path: PathBuf, version: Version },
    /// Typst sees no font with Chinese characters.
    NoCjkFont { font_paths: Vec<PathBuf> },
}

impl TypstError {
    /// One line for the note that PDF was skipped.
    pub fn summary(&self) -> String {
        match self {
            TypstError::NotFound => format!("找不到 typst（安装：{INSTALL}）"),
            TypstError::Disabled => format!("环境变量 {ENV_TYPST}=none 关闭了 PDF 输出"),
            TypstError::Missing { path, origin } => format!("{} 指定的 typst 不存在：{}", origin.describe(), path.display()),
            TypstError::Broken { path, reason, .. } => format!("无法运行 {}：{reason}", path.display()),
            TypstError::TooOld { path, version } => {
                format!("{} 的版本是 {version}，太旧（需要 {}；升级：{INSTALL}）", path.display(), supported_range())
            }
            TypstError::NoCjkFont { .. } => {
                "typst 找不到中文字体（Debian/Ubuntu：apt install fonts-noto-cjk，或用 --font-path 指定字体文件夹）".to_string()
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
            TypstError::Disabled => write!(f, "环境变量 {ENV_TYPST}=none 关闭了 PDF 输出；要生成 PDF，请去掉它或用 --typst 指定 typst"),
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
    let from_env = std::env::var_os(ENV_TYPST).filter(|v| !v.is_empty()).map(PathBuf::from);
    let (path, origin) = match (explicit, from_env) {
        (Some(path), _) => (given_program(path, Origin::Flag)?, Origin::Flag),
        (None, Some(path)) if path.as_os_str().eq_ignore_ascii_case("none") => return Err(TypstError::Disabled),
        (None, Some(path)) => (given_program(&path, Origin::Env)?, Origin::Env),
        (None, None) => (find_in_path("typst".as_ref()).ok_or(TypstError::NotFound)?, Origin::Path),
    };
    let output = Command::new(&path).arg("--version").output().map_err(|e| TypstError::Broken {
        path: path.clone(),
        origin,
        reason: e.to_string(),
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
    Ok(Typst { path, origin, version })
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

    /// The font families typst can use with these settings: `typst fonts`.
    pub fn families(&self, fonts: &FontOptions) -> Result<Vec<String>, TypstError> {
        let broken = |reason: String| TypstError::Broken { path: self.path.clone(), origin: self.origin, reason };
        let output = Command::new(&self.path)
            .arg("fonts")
            .args(fonts.args())
            .output()
            .map_err(|e| broken(e.to_string()))?;
        if !output.status.success() {
            return Err(broken(format!("`typst fonts` 失败：{}", String::from_utf8_lossy(&output.stderr).trim())));
        }
        Ok(String::from_utf8_lossy(&output.stdout).lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect())
    }

    /// Compiles one file of `job.dir` to PDF. Never panics; a failure to start typst comes back
    /// as an error diagnostic.
    pub fn compile(&self, job: &Job, options: &CompileOptions) -> Compiled {
        let mut command = Command::new(&self.path);
        command
            .current_dir(&job.dir)
            .args(["compile", "--root", ".", "--diagnostic-format", "short", "--jobs", "1", "--format", "pdf"])
            .args(options.fonts.args());
        if let Some(standard) = options.standard.arg() {
            command.args(["--pdf-standard", standard]);
        }
        // The creation date in the PDF comes from here; without it, it is the time of the run.
        command.env("SOURCE_DATE_EPOCH", job.epoch.to_string());
        // The PDF is written to stdout, so a failed run leaves no file behind.
        command.arg(&job.input).arg("-");
        match command.output() {
            Ok(output) => {
                let diagnostics = parse_diagnostics(&String::from_utf8_lossy(&output.stderr));
                let ok = output.status.success() && !output.stdout.is_empty();
                let mut compiled = Compiled { pdf: ok.then_some(output.stdout), diagnostics };
                if !ok && !compiled.diagnostics.iter().any(|d| d.severity == Severity::Error) {
                    compiled.diagnostics.push(TypstDiagnostic::error(format!("typst 异常退出（{}）", output.status)));
                }
                compiled
            }
            Err(err) => Compiled {
                pdf: None,
                diagnostics: vec![TypstDiagnostic::error(format!("无法运行 {}：{err}", self.path.display()))],
            },
        }
    }
}

/// `--pdf-standard`: PDF/A-2b by default (see README). Under PDF/A typst refuses a glyph that no
/// font has, which is how pdb finds missing characters; plain PDF 1.7 would draw empty boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PdfStandard {
    #[default]
    A2b,
    A3b,
    /// Plain PDF 1.7, typst's own default.
    Pdf17,
}

impl PdfStandard {
    fn arg(self) -> Option<&'static str> {
        match self {
            PdfStandard::A2b => Some("a-2b"),
            PdfStandard::A3b => Some("a-3b"),
            PdfStandard::Pdf17 => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    pub fonts: FontOptions,
    pub standard: PdfStandard,
}

/// One typst run: `input` in `dir` (the activity's output folder, which is also typst's root).
#[derive(Debug, Clone)]
pub struct Job {
    pub dir: PathBuf,
    pub input: String,
    /// The PDF's file name in `dir`.
    pub output: String,
    /// SOURCE_DATE_EPOCH: the activity's date and start time, so each run gives the same bytes.
    pub epoch: i64,
}

#[derive(Debug, Clone)]
pub struct Compiled {
    /// The PDF, when typst succeeded.
    pub pdf: Option<Vec<u8>>,
    pub diagnostics: Vec<TypstDiagnostic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Warning,
    Error,
}

/// A typst error or warning, from `--diagnostic-format short`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypstDiagnostic {
    pub severity: Severity,
    /// The file inside the activity's folder, e.g. `05-会议记录.typ`.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl TypstDiagnostic {
    fn error(message: String) -> TypstDiagnostic {
        TypstDiagnostic { severity: Severity::Error, file: None, line: None, column: None, message }
    }

    /// The text that no font could draw, when this is PDF/A's missing-glyph error:
    /// ``the text `"中"` could not be displayed with font `"Libertinus Serif"` ``.
    pub fn missing_glyphs(&self) -> Option<String> {
        let rest = self.message.split("the text `").nth(1)?;
        let (quoted, after) = rest.split_once('`')?;
        after.contains("could not be displayed").then(|| unquote(quoted))
    }

    /// Whether the warning is about fonts: an unknown family, a missing glyph.
    pub fn is_about_fonts(&self) -> bool {
        let m = self.message.to_lowercase();
        m.contains("font") || m.contains("glyph")
    }
}

/// Undoes the Rust-style debug quoting typst uses in messages: `"\u{f0001}"` → the character.
fn unquote(quoted: &str) -> String {
    let inner = quoted.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(quoted);
    let mut out = String::new();
    let mut rest = inner;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(hex) = rest.strip_prefix("u{").and_then(|r| r.split_once('}')) {
            if let Some(c) = u32::from_str_radix(hex.0, 16).ok().and_then(char::from_u32) {
                out.push(c);
                rest = hex.1;
                continue;
            }
        }
        let mut chars = rest.chars();
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(c) => out.push(c),
            None => {}
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out
}

/// Parses typst's short diagnostics: `file:line:col: warning: message` or `error: message`.
pub fn parse_diagnostics(stderr: &str) -> Vec<TypstDiagnostic> {
    let mut out: Vec<TypstDiagnostic> = Vec::new();
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        let found = [("error: ", Severity::Error), ("warning: ", Severity::Warning)].into_iter().find_map(|(tag, severity)| {
            if let Some(message) = line.strip_prefix(tag) {
                return Some((None, severity, message));
            }
            let at = line.find(&format!(": {tag}"))?;
            Some((Some(&line[..at]), severity, &line[at + 2 + tag.len()..]))
        });
        match found {
            Some((place, severity, message)) => {
                let (file, line_no, column) = place.map(split_place).unwrap_or((None, None, None));
                out.push(TypstDiagnostic { severity, file, line: line_no, column, message: message.trim().to_string() });
            }
            // A continuation (a hint): keep it with the diagnostic before it.
            None => match out.last_mut() {
                Some(last) => {
                    last.message.push('；');
                    last.message.push_str(line.trim().trim_start_matches("= "));
                }
                None => out.push(TypstDiagnostic::error(line.trim().to_string())),
            },
        }
    }
    out
}

/// `05-会议记录.typ:12:3` → file, line, column (1-based, as typst prints them).
fn split_place(place: &str) -> (Option<String>, Option<usize>, Option<usize>) {
    let mut parts = place.rsplitn(3, ':');
    let column = parts.next().and_then(|c| c.parse().ok());
    let line = parts.next().and_then(|l| l.parse().ok());
    match (parts.next(), line, column) {
        (Some(file), Some(line), Some(column)) => (Some(file.to_string()), Some(line), Some(column)),
        _ => (Some(place.to_string()), None, None),
    }
}

/// Runs every job with at most `workers` typst processes at a time, each given `--jobs 1`:
/// separate processes use the cores better than one typst spreading one small document over them.
/// Results come back in the order of `jobs`.
pub fn compile_all(typst: &Typst, options: &CompileOptions, jobs: &[Job], workers: usize) -> Vec<Compiled> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Compiled>>> = Mutex::new(vec![None; jobs.len()]);
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, jobs.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let compiled = typst.compile(job, options);
                results.lock().expect("no worker panics while holding the lock")[i] = Some(compiled);
            });
        }
    });
    results.into_inner().expect("workers are done").into_iter().map(|r| r.expect("every job ran")).collect()
}

/// The number of typst processes to run at once: one per core.
pub fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

// ---------------------------------------------------------------------------------------------
// Fonts

/// The fonts of one role after checking what typst has.
#[derive(Debug, Clone)]
pub struct RoleFonts {
    /// 仿宋, 宋体, 黑体, 楷体, 标题.
    pub role: &'static str,
    /// The families of the role's list that typst has, in the list's order.
    pub found: Vec<String>,
    /// The families of the role's list that typst does not have.
    pub missing: Vec<String>,
    /// When none of the role's own fonts exists: the Chinese family used instead.
    pub stand_in: Option<String>,
}

impl RoleFonts {
    /// What the templates get: the families found, or the stand-in.
    pub fn families(&self) -> Vec<String> {
        match &self.stand_in {
            Some(family) => vec![family.clone()],
            None => self.found.clone(),
        }
    }
}

/// The Chinese fonts typst can use, per role.
#[derive(Debug, Clone)]
pub struct FontReport {
    /// Every family typst listed.
    pub families: Vec<String>,
    /// The families that look Chinese.
    pub cjk: Vec<String>,
    pub roles: Vec<RoleFonts>,
    /// The role lists with only the families that exist: what the templates get.
    pub fonts: Fonts,
}

/// Keeps, for each role, the families typst has. A role none of whose families exists gets
/// another Chinese family (a 楷体 role falls back to a 宋体, say), so the text is still Chinese;
/// with no Chinese family at all, PDF output stops here.
pub fn select_fonts(wanted: &Fonts, families: &[String], font_paths: &[PathBuf]) -> Result<FontReport, TypstError> {
    let by_lower: BTreeMap<String, &String> = families.iter().map(|f| (f.to_lowercase(), f)).collect();
    let mut roles: Vec<RoleFonts> = wanted
        .roles()
        .into_iter()
        .map(|(role, list)| {
            let (found, missing): (Vec<&String>, Vec<&String>) = list.iter().partition(|f| by_lower.contains_key(&f.to_lowercase()));
            RoleFonts {
                role,
                found: found.into_iter().map(|f| by_lower[&f.to_lowercase()].clone()).collect(),
                missing: missing.into_iter().cloned().collect(),
                stand_in: None,
            }
        })
        .collect();
    let cjk: Vec<String> = families.iter().filter(|f| looks_cjk(f) || roles.iter().any(|r| r.found.contains(f))).cloned().collect();
    // A stand-in: a family found for another role (宋体 first, the closest to the rest), else any
    // Chinese family typst has.
    let preferred: Vec<String> = ["宋体", "仿宋", "楷体", "标题", "黑体"]
        .iter()
        .filter_map(|name| roles.iter().find(|r| r.role == *name))
        .flat_map(|r| r.found.clone())
        .chain(cjk.iter().cloned())
        .collect();
    let Some(fallback) = preferred.first().cloned() else {
        return Err(TypstError::NoCjkFont { font_paths: font_paths.to_vec() });
    };
    for role in roles.iter_mut().filter(|r| r.found.is_empty()) {
        role.stand_in = Some(fallback.clone());
    }
    let fonts = Fonts::from_roles(|role| roles.iter().find(|r| r.role == role).map(RoleFonts::families).unwrap_or_default());
    Ok(FontReport { families: families.to_vec(), cjk, roles, fonts })
}

/// Family names of Chinese fonts pdb does not list by name: Source Han, LXGW, Founder (FZ…),
/// or a name in Chinese.
fn looks_cjk(family: &str) -> bool {
    const MARKS: [&str; 16] = [
        "CJK", "Source Han", "Sarasa", "WenQuanYi", "LXGW", "AR PL", "FZ", "SimSun", "SimHei", "FangSong", "KaiTi",
        "YaHei", "PingFang", "Songti", "Heiti", "Kaiti",
    ];
    MARKS.iter().any(|m| family.contains(m))
        || family.ends_with(" SC")
        || family.chars().any(|c| matches!(c as u32, 0x4E00..=0x9FFF))
}

// ---------------------------------------------------------------------------------------------
// The packet

/// `00-全套.typ`: a cover (branch, title, date), a contents page with the page numbers, then
/// every document of the activity, each included as it is and starting on a new page.
///
/// The documents keep their own page numbers at the foot of the page ("— 1 —"), as when printed
/// alone. The packet numbers its pages from the first document on, in the top right corner, the
/// way an archive numbers the pages of a file; the contents page refers to those numbers.
pub fn packet_source(packet: &Packet) -> String {
    let fonts = &packet.fonts;
    let list = |names: &[String]| format!("({},)", names.iter().map(|n| typst_string(n)).collect::<Vec<_>>().join(", "));
    let documents: Vec<String> = packet
        .documents
        .iter()
        .map(|d| format!("  (title: {}, file: {}),", typst_string(d.title), typst_string(&format!("{}.typ", d.stem))))
        .collect();
    let cover_sub_held = format!("{}材料", packet.act.noun);
    let mut out = String::new();
    out.push_str(&format!(
        "// 由 pdb 根据 {source} 生成：本活动的全套材料（封面、目录和各份材料）。请修改 TOML 记录后重新生成。\n\
         #let fangsong = {fangsong}\n#let song = {song}\n#let hei = {hei}\n#let kai = {kai}\n#let title-font = {title}\n\
         #let branch = {branch}\n#let act-title = {act_title}\n#let noun = {noun}\n#let cover-sub = {cover_sub}\n#let time = {time}\n#let location = {location}\n\
         #let documents = (\n{documents}\n)\n",
        source = packet.act.source_file.replace('\n', " "),
        fangsong = list(&fonts.fangsong),
        song = list(&fonts.song),
        hei = list(&fonts.hei),
        kai = list(&fonts.kai),
        title = list(&fonts.title),
        branch = typst_string(&packet.branch.name),
        act_title = typst_string(&packet.act.title),
        noun = typst_string(packet.act.noun),
        // A planned activity's packet holds only what is printed before the meeting.
        cover_sub = typst_string(if packet.act.is_planned { "会前材料" } else { &cover_sub_held }),
        time = typst_string(&packet.act.time),
        location = typst_string(&packet.act.location),
        documents = documents.join("\n"),
    ));
    out.push_str(&title_functions());
    out.push_str(PACKET_LAYOUT);
    out
}

/// The title line-breaking functions of the documents (templates/typst/titles.typ), for the
/// cover: plain Typst after the template comment at its top.
fn title_functions() -> String {
    let text = crate::render::engine::builtin()
        .into_iter()
        .find(|(name, _)| name == "typst/titles.typ")
        .map(|(_, text)| text)
        .expect("templates/typst/titles.typ is built in");
    let body = text.split_once("-#}").map_or(text, |(_, rest)| rest);
    format!("{}\n", body.trim())
}

/// The fixed part of the packet; the data comes before it as `#let` bindings.
const PACKET_LAYOUT: &str = r#"#set document(title: act-title, author: branch)
#set text(lang: "zh", region: "cn", font: song, size: 16pt, cjk-latin-spacing: none)
#set par(justify: false, leading: 0.8em)
#show regex("[0-9]+[年月日号时分点人名票项]"): box
// 档案页号：从第一份材料起连续编号，写在每页右上角；封面和目录不编号。
#set page(
  paper: "a4",
  margin: (top: 2.54cm, bottom: 2.54cm, left: 3.17cm, right: 3.17cm),
  header: context {
    let first = query(<pdb-document>).first().location().page()
    let n = here().page() - first + 1
    if n >= 1 { align(right, text(font: song, size: 10.5pt, str(n))) }
  },
)

// 封面
#page(footer: none)[
  #set align(center)
  #v(3cm)
  #text(font: song, size: 18pt, branch)
  #v(1fr)
  #block(width: 85%, {
    set text(font: title-font, size: 26pt, weight: "bold")
    title-lines(act-title)
  })
  #v(1.5em)
  #text(font: kai, size: 18pt, cover-sub)
  #v(1fr)
  #set align(left)
  #block(width: 100%, inset: (x: 1cm), {
    set text(size: 16pt)
    grid(columns: (auto, 1fr), column-gutter: 0.5em, row-gutter: 0.8em,
      [时间：], time,
      [地点：], location,
    )
  })
  #v(2cm)
]

// 目录
#page(footer: none)[
  #align(center, text(font: title-font, size: 22pt, weight: "bold")[目#h(1em)录])
  #v(1em)
  #context {
    let marks = query(<pdb-document>)
    let first = marks.first().location().page()
    let starts = marks.map(m => m.location().page() - first + 1)
    let last = query(<pdb-end>).first().location().page() - first + 1
    let ends = starts.slice(1).map(s => s - 1) + (last,)
    set text(size: 14pt)
    table(
      columns: (3em, 1fr, 6em),
      align: (center + horizon, left + horizon, center + horizon),
      inset: (x: 6pt, y: 9pt),
      stroke: 0.5pt,
      table.header(..([序号], [材料名称], [页号]).map(x => text(font: hei, x))),
      ..marks.enumerate().map(((i, m)) => {
        let (from, to) = (starts.at(i), ends.at(i))
        (str(i + 1), m.value, if from == to { str(from) } else { str(from) + "—" + str(to) })
      }).flatten(),
    )
  }
]

// 各份材料：每份从新的一页开始，页脚页码从 1 起。
#for document in documents {
  pagebreak(weak: true)
  [#metadata(document.title) <pdb-document>]
  counter(page).update(1)
  include document.file
}
#metadata(none) <pdb-end>
"#;

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

    #[test]
    fn short_diagnostics_are_parsed_with_their_place() {
        let stderr = "05-会议记录.typ:12:3: warning: unknown font family: simhei\n\
                      error: PDF/A-2b error: the PDF is missing a CMYK profile\n\
                      01-会议通知.typ:2:7: error: PDF/A-2b error: the text `\"\\u{f0001}\"` could not be displayed with font `\"Noto Serif CJK SC\"`\n";
        let d = parse_diagnostics(stderr);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].file.as_deref(), Some("05-会议记录.typ"));
        assert_eq!((d[0].line, d[0].column), (Some(12), Some(3)));
        assert_eq!(d[0].message, "unknown font family: simhei");
        assert!(d[0].is_about_fonts());
        assert_eq!(d[1].file, None);
        assert_eq!(d[1].severity, Severity::Error);
        assert_eq!(d[2].missing_glyphs().as_deref(), Some("\u{f0001}"));
        assert_eq!(d[1].missing_glyphs(), None);
    }

    #[test]
    fn fonts_are_filtered_to_the_families_typst_has() {
        let families: Vec<String> = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Serif CJK SC", "Libertinus Serif"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let report = select_fonts(&Fonts::default(), &families, &[]).unwrap();
        assert_eq!(report.fonts.hei, vec!["Noto Sans CJK SC"]);
        assert_eq!(report.fonts.fangsong, vec!["Noto Serif CJK SC"]);
        assert!(report.roles.iter().all(|r| r.stand_in.is_none()));
        assert_eq!(report.cjk, vec!["Noto Sans CJK SC", "Noto Serif CJK SC"]);
    }

    #[test]
    fn a_role_without_its_fonts_borrows_another_chinese_family() {
        let families = vec!["WenQuanYi Zen Hei".to_string(), "DejaVu Sans".to_string()];
        let report = select_fonts(&Fonts::default(), &families, &[]).unwrap();
        assert_eq!(report.fonts.song, vec!["WenQuanYi Zen Hei"]);
        assert_eq!(report.fonts.kai, vec!["WenQuanYi Zen Hei"]);
    }

    #[test]
    fn no_chinese_family_is_an_error_that_names_the_fix() {
        let families = vec!["DejaVu Sans".to_string(), "Libertinus Serif".to_string(), "New Computer Modern".to_string()];
        let err = select_fonts(&Fonts::default(), &families, &[]).unwrap_err();
        assert_eq!(err, TypstError::NoCjkFont { font_paths: vec![] });
        let text = err.to_string();
        assert!(text.contains("apt install fonts-noto-cjk") && text.contains("--font-path"), "{text}");
    }
}
