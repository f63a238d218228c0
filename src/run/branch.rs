//! Per branch, once its activities are done: the frequency check over its rows, and its 台账
//! (ledger) written into the output folder that mirrors the folder of its branch.toml (the
//! output root when branch.toml lies above the inputs).

use std::path::{Path, PathBuf};

use super::outcome::{BranchPath, BranchReport, LedgerOutcome, Outcome, Status};
use super::settings::Mode;
use super::write::PdfFolder;
use super::Shared;
use crate::diagnostics::Diagnostic;
use crate::incremental;
use crate::ledger::{self, LEDGER_STEM};
use crate::model::{Branch, LedgerRow};
use crate::paths::relative;
use crate::register::{self, REGISTER_STEM};
use crate::render::{Format, RenderedFile};
use crate::rules::frequency;
use crate::typst::{self, Job};
use crate::workbook;

/// An activity's row of its branch's ledger, taken from its outcome once its documents are
/// written (a PDF that fails later fails the activity, but it took place: its row stays).
pub(crate) struct RowOf {
    row: LedgerRow,
    branch: BranchPath,
    output: Option<PathBuf>,
}

impl RowOf {
    pub(crate) fn new(outcome: &Outcome, row: LedgerRow) -> Option<RowOf> {
        if !outcome.counts() || outcome.status == Status::Failed {
            return None;
        }
        Some(RowOf { row, branch: outcome.branch.clone()?, output: outcome.output.clone() })
    }

    /// The branch file the row belongs to.
    pub(crate) fn branch(&self) -> &BranchPath {
        &self.branch
    }
}

/// One branch's rows, before its report.
pub(crate) struct BranchRows {
    pub branch: BranchPath,
    pub rows: Vec<RowOf>,
}

/// The report of one branch: its frequency check, and (render, index) its 台账 in `folder`, named
/// after the branch when `shared_folder` (another branch's ledger lands in the same folder).
pub(crate) fn report(group: &BranchRows, folder: &Path, shared_folder: bool, shared: &Shared) -> BranchReport {
    let settings = shared.settings;
    let branch = shared.branch(&group.branch.shown);
    let dir = folder;
    let mut rows: Vec<LedgerRow> = group
        .rows
        .iter()
        .map(|r| LedgerRow { folder: r.output.as_ref().map(|out| relative(dir, out)), ..r.row.clone() })
        .collect();
    rows.sort_by(|a, b| (a.date, &a.input).cmp(&(b.date, &b.input)));
    let mut report =
        BranchReport { branch: group.branch.shown.clone(), activities: rows.len(), findings: Vec::new(), ledger: None };
    let branch = match &branch {
        Ok(branch) => branch,
        Err(err) => {
            if settings.mode != Mode::Check {
                report.ledger = Some(failed_ledger(dir, err.clone()));
            }
            return report;
        }
    };
    report.findings = frequency::check(branch, &rows, settings.period, settings.today);
    report.findings.extend(register::findings(branch, &rows, settings.period, settings.today));
    if settings.mode != Mode::Check {
        let stem = if shared_folder {
            format!("{LEDGER_STEM}-{}", branch.file.branch.display_name())
        } else {
            LEDGER_STEM.to_string()
        };
        report.ledger =
            Some(write_ledger(&Ledger { branch, rows: &rows, findings: &report.findings, dir, stem: &stem }, shared));
    }
    report
}

fn failed_ledger(dir: &Path, errors: Vec<Diagnostic>) -> LedgerOutcome {
    LedgerOutcome { status: Status::Failed, output: dir.to_path_buf(), files: Vec::new(), errors, warnings: Vec::new() }
}

/// One branch's ledger to write.
struct Ledger<'a> {
    branch: &'a Branch,
    rows: &'a [LedgerRow],
    findings: &'a [Diagnostic],
    dir: &'a Path,
    /// 台账, or 台账-<branch> when two branches share the folder.
    stem: &'a str,
}

/// Writes 台账.typ/.md/.xlsx and 党员参加组织生活情况.typ/.md (and compiles their PDFs when a
/// source or the PDF options changed), with the same hand-edit protection as an activity's
/// documents.
fn write_ledger(ledger: &Ledger, shared: &Shared) -> LedgerOutcome {
    let Ledger { branch, rows, findings, dir, stem } = *ledger;
    let settings = shared.settings;
    let engine = match shared.engines.get(branch) {
        Ok(engine) => engine,
        Err(err) => return failed_ledger(dir, vec![err.into()]),
    };
    let (formats, wants_pdf) = settings.formats_for(branch);
    let pdf_settings = settings.pdf.as_ref().filter(|_| wants_pdf);
    let mut files =
        match ledger::render(&engine, branch, rows, findings, settings.period, &formats, settings.fonts.clone()) {
            Ok(files) => files,
            Err(err) => return failed_ledger(dir, vec![err.into()]),
        };
    for file in &mut files {
        file.name = file.name.replacen(LEDGER_STEM, stem, 1);
    }
    // Beside the ledger: the per-member register and the workbook, written with it.
    let register_stem = stem.replacen(LEDGER_STEM, REGISTER_STEM, 1);
    let members: Vec<Diagnostic> = findings.iter().filter(|d| ledger::is_member_finding(d)).cloned().collect();
    // The register has no Word form yet.
    let text: Vec<Format> = formats.iter().copied().filter(|f| *f != Format::Docx).collect();
    match register::render(&engine, branch, rows, &members, settings.period, &text, settings.fonts.clone()) {
        Ok(register) => files.extend(register.into_iter().map(|mut file| {
            file.name = file.name.replacen(REGISTER_STEM, &register_stem, 1);
            file
        })),
        Err(err) => return failed_ledger(dir, vec![err.into()]),
    }
    let workbook_name = format!("{stem}.xlsx");
    match workbook::write(branch, rows, findings, settings.period) {
        Ok(contents) => files.push(RenderedFile { name: workbook_name, contents }),
        Err(err) => {
            let error = Diagnostic::error(&dir.join(&workbook_name), format!("无法生成台账表格：{err}"))
                .with_help("请把这段信息报告给 pdb 的维护者");
            return failed_ledger(dir, vec![error]);
        }
    }
    let stems = [stem.to_string(), register_stem];
    let pdf_names: Vec<String> = stems.iter().map(|s| format!("{s}.pdf")).collect();
    let pdfs = pdf_settings.map(|_| pdf_names.iter().map(String::as_str)).into_iter().flatten();
    let mut folder = match PdfFolder::write(dir, settings.force, &files, pdfs) {
        Ok(folder) => folder,
        Err(err) => return failed_ledger(dir, vec![err]),
    };
    let mut outcome = LedgerOutcome {
        status: Status::Unchanged,
        output: dir.to_path_buf(),
        files: folder.written.clone(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let mut fingerprint = None;
    let sources: Vec<&RenderedFile> =
        stems.iter().filter_map(|stem| files.iter().find(|f| f.name == format!("{stem}.typ"))).collect();
    if let (Some(pdf), true) = (pdf_settings, sources.len() == stems.len()) {
        // One fingerprint for the folder: both PDFs are made again when either source changed.
        let all: Vec<u8> = sources.iter().flat_map(|f| f.contents.iter().copied()).collect();
        let current = incremental::pdf_fingerprint(&all, &shared.options);
        if folder.previous.as_deref() != Some(current.as_str()) || pdf_names.iter().any(|n| !dir.join(n).is_file()) {
            let last = rows.iter().map(|r| r.date).max();
            let epoch = last.map_or(0, |d| typst::source_date_epoch(d.and_time(Default::default())));
            let jobs: Vec<Job> = sources
                .iter()
                .zip(&pdf_names)
                .map(|(source, output)| Job {
                    dir: dir.to_path_buf(),
                    input: source.name.clone(),
                    output: output.clone(),
                    epoch,
                })
                .collect();
            let mut result = folder.compile(pdf, &jobs);
            outcome.warnings = result.warnings;
            outcome.files.append(&mut result.written);
            if !result.errors.is_empty() {
                outcome.status = Status::Failed;
                outcome.errors = result.errors;
            }
        } else {
            // Unchanged: still this run's outputs, not stale files to remove.
            for name in &pdf_names {
                folder.folder.keep(name);
            }
            outcome.files.extend(pdf_names.iter().map(|n| dir.join(n)));
        }
        fingerprint = (outcome.status != Status::Failed).then_some(current);
    }
    if outcome.status != Status::Failed && folder.folder.changed > 0 {
        outcome.status = Status::Rendered;
    }
    match folder.finish(fingerprint, None) {
        Ok(warnings) => outcome.warnings.extend(warnings),
        Err(err) => {
            outcome.status = Status::Failed;
            outcome.errors.push(err);
        }
    }
    outcome
}

/// The output folder of a branch's ledger: the folder of its branch.toml, mirrored under the
/// output root, or the output root itself when branch.toml is not under the inputs' root.
pub(crate) fn ledger_folder(branch: &Path, shared: &Shared) -> PathBuf {
    let folder = branch.parent().unwrap_or(Path::new(""));
    match folder.strip_prefix(&shared.inputs.root) {
        Ok(relative) => shared.settings.out_dir.join(relative),
        Err(_) => shared.settings.out_dir.clone(),
    }
}
