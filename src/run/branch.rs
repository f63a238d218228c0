//! Per branch, once its activities are done: the frequency check over its rows, and its 台账
//! (ledger) written into the output folder that mirrors the folder of its branch.toml (the
//! output root when branch.toml lies above the inputs), with the 发展党员工作台账 beside it and
//! the reverse check of its applicants.

use std::path::{Path, PathBuf};

use super::development::{self, DevelopmentOf};
use super::outcome::{BranchPath, BranchReport, LedgerOutcome, Outcome, Status};
use super::settings::{Mode, Settings};
use super::write::PdfFolder;
use super::Shared;
use crate::diagnostics::Diagnostic;
use crate::incremental;
use crate::ledger::applicants;
use crate::ledger::{self, ApplicantRow, LEDGER_STEM};
use crate::model::{Branch, LedgerRow};
use crate::output::{OutputFolder, Owner};
use crate::paths::relative;
use crate::register::{self, REGISTER_STEM};
use crate::render::{Engine, Format, RenderedFile};
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

/// One branch's rows and what its inputs give the 发展党员 stage, before its report.
pub(crate) struct BranchRows {
    pub branch: BranchPath,
    pub rows: Vec<RowOf>,
    pub development: Vec<DevelopmentOf>,
}

/// The report of one branch: its frequency check, and (render, index) its 台账 in `folder`, its
/// files named 台账<suffix>… (`ledger::suffix`: empty unless other branches' ledgers land there).
pub(crate) fn report(group: &BranchRows, folder: &Path, suffix: &str, shared: &Shared) -> BranchReport {
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
    // A run of applicant records alone holds no meetings to count.
    if !rows.is_empty() {
        report.findings = frequency::check(branch, &rows, settings.period, settings.today);
        report.findings.extend(register::findings(branch, &rows, settings.period, settings.today));
    }
    let applicants: Vec<ApplicantRow> = group.development.iter().filter_map(|d| d.applicant.clone()).collect();
    if settings.mode != Mode::Check {
        let ledger = Ledger {
            branch,
            rows: &rows,
            applicants: &applicants,
            findings: &report.findings,
            dir,
            suffix,
            branch_file: &group.branch.absolute,
        };
        report.ledger = Some(write_ledger(&ledger, shared));
    }
    // After the ledger, which lists the frequency findings only.
    report.findings.extend(development::unrecorded(&group.development));
    report
}

fn failed_ledger(dir: &Path, errors: Vec<Diagnostic>) -> LedgerOutcome {
    LedgerOutcome { status: Status::Failed, output: dir.to_path_buf(), files: Vec::new(), errors, warnings: Vec::new() }
}

/// One branch's ledger to write.
struct Ledger<'a> {
    branch: &'a Branch,
    rows: &'a [LedgerRow],
    applicants: &'a [ApplicantRow],
    findings: &'a [Diagnostic],
    dir: &'a Path,
    /// Empty, or -<branch> when several branches share the folder (台账-<branch>).
    suffix: &'a str,
    /// The branch file (absolute): the owner of the ledger's files in the folder's manifest.
    branch_file: &'a Path,
}

/// Writes 台账.typ/.md/.xlsx and 党员参加组织生活情况.typ/.md when the run holds meetings, and
/// 发展党员工作台账.typ/.md when it holds applicants (and compiles their PDFs when a source or the
/// PDF options changed), with the same hand-edit protection as an activity's documents.
fn write_ledger(ledger: &Ledger, shared: &Shared) -> LedgerOutcome {
    let Ledger { branch, rows, applicants, dir, suffix, .. } = *ledger;
    let settings = shared.settings;
    let engine = match shared.engines.get(branch) {
        Ok(engine) => engine,
        Err(err) => return failed_ledger(dir, vec![err.into()]),
    };
    let (formats, wants_pdf) = settings.formats_for(branch);
    let pdf_settings = settings.pdf.as_ref().filter(|_| wants_pdf);
    let mut files = Vec::new();
    let mut stems = Vec::new();
    if !rows.is_empty() {
        match meetings(&engine, ledger, &formats, settings) {
            Ok((found, mut found_stems)) => {
                files.extend(found);
                stems.append(&mut found_stems);
            }
            Err(err) => return failed_ledger(dir, vec![err]),
        }
    }
    if !applicants.is_empty() {
        let stem = format!("{}{suffix}", applicants::LEDGER_STEM);
        match applicants::render(&engine, branch, applicants, settings.today, &formats, settings.fonts.clone()) {
            Ok(found) => files.extend(
                found
                    .into_iter()
                    .map(|f| RenderedFile { name: f.name.replacen(applicants::LEDGER_STEM, &stem, 1), ..f }),
            ),
            Err(err) => return failed_ledger(dir, vec![err.into()]),
        }
        stems.push(stem);
    }
    let pdf_names: Vec<String> = stems.iter().map(|s| format!("{s}.pdf")).collect();
    let pdfs = pdf_settings.map(|_| pdf_names.iter().map(String::as_str)).into_iter().flatten();
    // Several branches' ledgers may share the folder: each keeps its own files in its manifest.
    let owner = Owner { name: relative(dir, ledger.branch_file), lock: shared.folder_lock(dir) };
    let opened = OutputFolder::open_as(dir, settings.force, Some(owner));
    let mut folder = match PdfFolder::write_as(opened, &files, pdfs) {
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
    if let (Some(pdf), true) = (pdf_settings, !stems.is_empty() && sources.len() == stems.len()) {
        // One fingerprint for the folder: every PDF is made again when any source changed.
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

/// The 台账 (.typ, .md, .docx, .xlsx) and the per-member register of a branch's meetings, and
/// the stems of their PDFs.
fn meetings(
    engine: &Engine,
    ledger: &Ledger,
    formats: &[Format],
    settings: &Settings,
) -> Result<(Vec<RenderedFile>, Vec<String>), Diagnostic> {
    let Ledger { branch, rows, applicants, findings, dir, suffix, .. } = *ledger;
    let stem = format!("{LEDGER_STEM}{suffix}");
    let request = ledger::Request { branch, rows, findings, period: settings.period, formats, fonts: &settings.fonts };
    let mut files = ledger::render(engine, &request)?;
    for file in &mut files {
        file.name = file.name.replacen(LEDGER_STEM, &stem, 1);
    }
    // Beside the ledger: the per-member register and the workbook, written with it.
    let register_stem = stem.replacen(LEDGER_STEM, REGISTER_STEM, 1);
    let members: Vec<Diagnostic> = findings.iter().filter(|d| ledger::is_member_finding(d)).cloned().collect();
    let register = register::render(engine, &ledger::Request { findings: &members, ..request })?;
    files.extend(register.into_iter().map(|mut file| {
        file.name = file.name.replacen(REGISTER_STEM, &register_stem, 1);
        file
    }));
    let workbook_name = format!("{stem}.xlsx");
    let contents = workbook::write(branch, rows, applicants, findings, settings.period).map_err(|err| {
        Diagnostic::error(&dir.join(&workbook_name), format!("无法生成台账表格：{err}"))
            .with_help("请把这段信息报告给 pdb 的维护者")
    })?;
    files.push(RenderedFile { name: workbook_name, contents });
    Ok((files, vec![stem, register_stem]))
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
