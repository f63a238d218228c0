//! Many PDFs from one typst process: the experimental bundle export of typst 0.15
//! (`--features bundle --format bundle`). The main source, read from standard input, holds one
//! `#document("<n>/<file>.pdf", date: …, include "/<folder>/<file>.typ")` per PDF; typst writes
//! them into a temporary folder, from which they are read back. Fonts and templates are loaded
//! once for all of them, which is what makes it cheaper than one process per PDF.
//!
//! The caller decides what may go into one bundle (see `run/bundle.rs`): the root is common, so a
//! file of one folder could name a file of another; only sources whose every path pdb wrote go in.

use std::path::{Component, Path};
use std::process::Command;

use chrono::{DateTime, Datelike, Timelike};

use super::{parse_diagnostics, CompileOptions, Job, Typst, Version};
use crate::render::escape::typst_string;

/// The first typst with bundle export.
pub const BUNDLE_SINCE: Version = Version { major: 0, minor: 15, patch: 0 };

/// Why a bundle gave no PDFs: the caller compiles each job alone, which says what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleFailure {
    pub reason: String,
    /// The jobs (by index) in whose folders typst found its errors, when every error is in one:
    /// the others may go into a bundle again.
    pub jobs: Option<Vec<usize>>,
}

impl BundleFailure {
    fn new(reason: impl Into<String>) -> BundleFailure {
        BundleFailure { reason: reason.into(), jobs: None }
    }
}

impl Typst {
    /// Whether the PDF's date is written into the source (`document(date: …)`) rather than taken
    /// from SOURCE_DATE_EPOCH: from typst 0.15 on, where bundles can be made, so that a PDF has
    /// the same bytes from a bundle and from a process of its own.
    pub fn dates_in_source(&self) -> bool {
        self.version >= BUNDLE_SINCE
    }

    /// Whether this typst makes bundles with these options: its version, then a tiny bundle.
    pub fn probe_bundle(&self, options: &CompileOptions) -> Result<(), BundleFailure> {
        if self.version < BUNDLE_SINCE {
            return Err(BundleFailure::new(format!(
                "typst {} 还没有合并编译（bundle，typst {BUNDLE_SINCE} 起才有）",
                self.version
            )));
        }
        let scratch = scratch()?;
        let source =
            "#document(\"probe.pdf\", date: datetime(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0))[]\n";
        let mut command = Command::new(&self.path);
        command.current_dir(scratch.path()).args(["compile", "--root", ".", "--ignore-system-fonts"]);
        bundle_args(&mut command, options);
        command.arg("-").arg("out");
        let output = crate::process::output_with_input(&mut command, Some(source.as_bytes().to_vec()), self.timeout)
            .map_err(run_failure)?;
        let pdf = std::fs::read(scratch.path().join("out/probe.pdf")).unwrap_or_default();
        if output.status.success() && pdf.starts_with(b"%PDF") {
            return Ok(());
        }
        let said = String::from_utf8_lossy(&output.stderr);
        let said = match said.trim() {
            "" => "没有写出 PDF".to_string(),
            said => said.replace('\n', " "),
        };
        Err(BundleFailure::new(format!("typst {} 的合并编译（bundle）试验没有成功：{said}", self.version)))
    }

    /// Compiles every job in one typst process whose root is `root`, the folder that holds every
    /// job's folder. The PDFs in the order of the jobs, or why not: typst failed, warned (the
    /// caller's per-job runs say which file), or a job is not under `root`.
    pub fn compile_bundle(
        &self,
        root: &Path,
        jobs: &[Job],
        options: &CompileOptions,
    ) -> Result<Vec<Vec<u8>>, BundleFailure> {
        let source = bundle_source(root, jobs).ok_or_else(|| BundleFailure::new("输出文件夹的路径不能合并编译"))?;
        let scratch = scratch()?;
        let out = scratch.path().join("out");
        let mut command = Command::new(&self.path);
        command.current_dir(root).args(["compile", "--root", "."]).args(options.fonts.args());
        bundle_args(&mut command, options);
        // Every document carries its own date; this only keeps anything else that reads the
        // clock reproducible.
        command.env("SOURCE_DATE_EPOCH", jobs.iter().map(|j| j.epoch).min().unwrap_or(0).to_string());
        command.arg("-").arg(&out);
        let output = crate::process::output_with_input(&mut command, Some(source.into_bytes()), self.timeout)
            .map_err(run_failure)?;
        let diagnostics: Vec<_> = parse_diagnostics(&String::from_utf8_lossy(&output.stderr))
            .into_iter()
            .filter(|d| !is_experimental_note(d))
            .collect();
        if !output.status.success() || !diagnostics.is_empty() {
            let first = diagnostics.first().map_or_else(|| format!("{}", output.status), |d| d.message.clone());
            let culprits = output.status.code().is_some().then(|| culprits(root, jobs, &diagnostics)).flatten();
            return Err(BundleFailure { reason: first, jobs: culprits });
        }
        jobs.iter()
            .enumerate()
            .map(|(i, job)| {
                let path = out.join(i.to_string()).join(&job.output);
                match std::fs::read(&path) {
                    Ok(pdf) if pdf.starts_with(b"%PDF") => Ok(pdf),
                    _ => Err(BundleFailure::new(format!("typst 没有写出 {}", path.display()))),
                }
            })
            .collect()
    }
}

/// A typst that could not be started or did not finish in time.
fn run_failure(err: crate::process::RunError) -> BundleFailure {
    match err {
        crate::process::RunError::Start(err) => BundleFailure::new(format!("无法运行 typst：{err}")),
        crate::process::RunError::Timeout(limit) => BundleFailure::new(super::locate::timeout_message(limit)),
    }
}

/// typst's warning on every bundle (`bundle export is experimental`, with hints): pdb pins the
/// versions it tested (README), so it is not the secretary's to read.
fn is_experimental_note(d: &super::TypstDiagnostic) -> bool {
    d.level == super::Level::Warning && d.file.is_none() && d.message.starts_with("bundle export is experimental")
}

/// The flags of a bundle: one thread (pdb runs several typst processes), the run's standard; its
/// own process group when the run's typst runs have one (`pdb watch`: Ctrl-C is pdb's to handle).
fn bundle_args(command: &mut Command, options: &CompileOptions) {
    if options.own_process_group {
        super::own_process_group(command);
    }
    command.args(["--diagnostic-format", "short", "--jobs", "1", "--features", "bundle", "--format", "bundle"]);
    if let Some(standard) = options.standard.arg() {
        command.args(["--pdf-standard", standard]);
    }
}

/// A folder of the system's for typst's output, removed when dropped.
fn scratch() -> Result<tempfile::TempDir, BundleFailure> {
    tempfile::Builder::new()
        .prefix("pdb-bundle-")
        .tempdir()
        .map_err(|e| BundleFailure::new(format!("无法建立临时文件夹：{e}")))
}

/// The jobs whose folders hold the files of typst's errors (paths from the root, as typst prints
/// them when run in it); `None` when no error names a file, or one names a file outside every
/// job's folder. An error of no file (typst gives some PDF/A errors of the packet's cover no
/// place) is left to the second bundle, which fails again if it was not theirs.
fn culprits(root: &Path, jobs: &[Job], diagnostics: &[super::TypstDiagnostic]) -> Option<Vec<usize>> {
    let folders: Vec<Option<String>> = jobs.iter().map(|job| folder_path(root, job)).collect();
    let mut found: Vec<usize> = Vec::new();
    for d in diagnostics.iter().filter(|d| d.level == super::Level::Error) {
        let Some(file) = d.file.as_deref() else { continue };
        let inside = |folder: &str| file.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/'));
        let owners: Vec<usize> =
            (0..jobs.len()).filter(|&i| folders[i].as_deref().is_some_and(|f| !f.is_empty() && inside(f))).collect();
        if owners.is_empty() {
            return None;
        }
        found.extend(owners.into_iter().filter(|i| !found.contains(i)).collect::<Vec<_>>());
    }
    (!found.is_empty()).then_some(found)
}

/// A job's folder from the root, `2026Q4/甲`, as typst names files; `None` when it is not a
/// plain path under the root.
fn folder_path(root: &Path, job: &Job) -> Option<String> {
    let mut parts = Vec::new();
    for component in job.dir.strip_prefix(root).ok()?.components() {
        let Component::Normal(part) = component else { return None };
        parts.push(part.to_str()?);
    }
    Some(parts.join("/"))
}

/// The main source of a bundle: the jobs' files as documents `<n>/<output>`, each with its date.
/// `None` when a job's folder is not a plain path under `root`.
pub fn bundle_source(root: &Path, jobs: &[Job]) -> Option<String> {
    let mut out = String::from("// 由 pdb 生成：一次 typst 运行编译多个 PDF（typst 的 bundle 输出）。\n");
    for (i, job) in jobs.iter().enumerate() {
        let folder = folder_path(root, job)?;
        let path = if folder.is_empty() { format!("/{}", job.input) } else { format!("/{folder}/{}", job.input) };
        out.push_str(&format!(
            "#document({}, date: {}, include {})\n",
            typst_string(&format!("{i}/{}", job.output)),
            date_literal(job.epoch),
            typst_string(&path),
        ));
    }
    Some(out)
}

/// The main source of one PDF compiled alone with its date in the source: the same document as
/// in a bundle ([`Typst::dates_in_source`]).
pub(crate) fn dated_source(job: &Job) -> String {
    format!("#set document(date: {})\n#include {}\n", date_literal(job.epoch), typst_string(&job.input))
}

/// `datetime(…)` of the moment `epoch` (SOURCE_DATE_EPOCH) in UTC. typst writes it without a
/// zone, which readers (poppler, pdf.js) take as UTC: the same moment as SOURCE_DATE_EPOCH
/// gives before typst 0.15, for a PDF made either way.
fn date_literal(epoch: i64) -> String {
    let utc = DateTime::from_timestamp(epoch, 0).unwrap_or_default();
    format!(
        "datetime(year: {}, month: {}, day: {}, hour: {}, minute: {}, second: {})",
        utc.year(),
        utc.month(),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn job(dir: &str, input: &str, epoch: i64) -> Job {
        Job { dir: PathBuf::from(dir), input: input.into(), output: input.replace(".typ", ".pdf"), epoch }
    }

    #[test]
    fn a_bundle_names_each_file_from_the_root_with_its_date() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap().and_hms_opt(14, 30, 0).unwrap();
        let epoch = super::super::source_date_epoch(at);
        let jobs = [job("out/2026Q4/甲", "00-全套.typ", epoch), job("out/2026Q4/甲", "01-会议通知.typ", epoch)];
        let source = bundle_source(Path::new("out"), &jobs).unwrap();
        let lines: Vec<&str> = source.lines().skip(1).collect();
        assert_eq!(
            lines,
            [
                "#document(\"0/00-全套.pdf\", date: datetime(year: 2026, month: 11, day: 5, hour: 6, minute: 30, second: 0), include \"/2026Q4/甲/00-全套.typ\")",
                "#document(\"1/01-会议通知.pdf\", date: datetime(year: 2026, month: 11, day: 5, hour: 6, minute: 30, second: 0), include \"/2026Q4/甲/01-会议通知.typ\")",
            ]
        );
        assert_eq!(
            dated_source(&jobs[0]),
            "#set document(date: datetime(year: 2026, month: 11, day: 5, hour: 6, minute: 30, second: 0))\n#include \"00-全套.typ\"\n"
        );
    }

    #[test]
    fn the_experimental_warning_is_no_reason_to_fall_back() {
        let said = parse_diagnostics(
            "warning: bundle export is experimental\n = hint: its behaviour may change at any time\n\
             05-会议记录.typ:3:1: warning: unknown font family: simhei\n",
        );
        let kept: Vec<_> = said.iter().filter(|d| !is_experimental_note(d)).map(|d| d.message.as_str()).collect();
        assert_eq!(kept, ["unknown font family: simhei"]);
    }

    #[test]
    fn the_jobs_an_error_is_in_are_found_by_their_folder() {
        let jobs =
            [job("out/甲", "00-全套.typ", 0), job("out/甲", "01-会议通知.typ", 0), job("out/乙", "00-全套.typ", 0)];
        let said = |text: &str| parse_diagnostics(text);
        let root = Path::new("out");
        assert_eq!(culprits(root, &jobs, &said("甲/01-会议通知.typ:2:7: error: x\n")), Some(vec![0, 1]));
        assert_eq!(
            culprits(root, &jobs, &said("乙/photo-1.svg:1:0: error: x\n甲/x.typ:1:1: error: y\n")),
            Some(vec![2, 0, 1])
        );
        // An error of no file is the second bundle's to find; alone, or with a file in no job's
        // folder, nobody can be left out.
        assert_eq!(culprits(root, &jobs, &said("error: x\n乙/x.typ:1:1: error: y\n")), Some(vec![2]));
        assert_eq!(culprits(root, &jobs, &said("error: x\n")), None);
        assert_eq!(culprits(root, &jobs, &said("甲乙/x.typ:1:1: error: x\n")), None);
        // Warnings name nobody.
        assert_eq!(culprits(root, &jobs, &said("甲/x.typ:1:1: warning: x\n")), None);
    }

    #[test]
    fn a_folder_outside_the_root_or_with_dots_is_no_bundle() {
        assert_eq!(bundle_source(Path::new("out"), &[job("elsewhere/甲", "00-全套.typ", 0)]), None);
        assert_eq!(bundle_source(Path::new("out"), &[job("out/../甲", "00-全套.typ", 0)]), None);
    }

    #[test]
    fn the_date_is_the_moment_in_utc() {
        assert_eq!(date_literal(0), "datetime(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0)");
    }
}
