//! After the activities of a run, per branch: the frequency check over its rows, and its 台账
//! (ledger) written into the output folder that mirrors the folder of its branch.toml (the
//! output root when branch.toml lies above the inputs).

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::frequency;
use crate::incremental;
use crate::inputs;
use crate::ledger::{self, LedgerRow, LEDGER_STEM};
use crate::load::Branch;
use crate::output::{OutputError, OutputFolder};
use crate::pipeline::{compile, output_diagnostic, Context, Mode, Outcome, Status};
use crate::typst::Job;

/// One branch of a run: its frequency findings and its ledger.
#[derive(Debug, Serialize)]
pub struct BranchReport {
    /// Its branch.toml, as found.
    pub branch: PathBuf,
    /// Activities of the run (in `--period`) that are rows of its ledger.
    pub activities: usize,
    /// The frequency check's findings.
    pub findings: Vec<Diagnostic>,
    /// `None` for `pdb check`, which writes nothing.
    pub ledger: Option<LedgerOutcome>,
}

#[derive(Debug, Serialize)]
pub struct LedgerOutcome {
    pub status: Status,
    pub output: PathBuf,
    pub files: Vec<PathBuf>,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<String>,
}

/// An activity's row of its branch's ledger, taken from its outcome once its documents are
/// written (a PDF that fails later fails the activity, but it took place: its row stays).
pub(crate) struct RowOf {
    row: LedgerRow,
    /// The branch file as found, and made absolute.
    branch: (PathBuf, PathBuf),
    output: Option<PathBuf>,
}

impl RowOf {
    pub(crate) fn new(outcome: &Outcome, row: LedgerRow) -> Option<RowOf> {
        if !outcome.counts() || outcome.status == Status::Failed {
            return None;
        }
        Some(RowOf { row, branch: outcome.branch.clone()?, output: outcome.output.clone() })
    }
}

/// One branch's rows, before its report.
struct Group {
    shown: PathBuf,
    absolute: PathBuf,
    rows: Vec<RowOf>,
}

pub(crate) fn branches(rows: Vec<RowOf>, context: &Context) -> Vec<BranchReport> {
    let mut groups: BTreeMap<PathBuf, Group> = BTreeMap::new();
    for row in rows {
        let (shown, absolute) = row.branch.clone();
        groups.entry(absolute.clone()).or_insert_with(|| Group { shown, absolute, rows: Vec::new() }).rows.push(row);
    }
    let groups: Vec<Group> = groups.into_values().collect();
    let loaded: Vec<Result<Arc<Branch>, Diagnostic>> = groups.iter().map(|g| context.branch(&g.shown)).collect();
    // Two branches whose ledgers land in the same folder get their names in the file names.
    let folders: Vec<PathBuf> = groups.iter().map(|g| ledger_folder(&g.absolute, context)).collect();
    let mut sharing: HashMap<&Path, usize> = HashMap::new();
    for folder in &folders {
        *sharing.entry(folder.as_path()).or_default() += 1;
    }
    groups
        .par_iter()
        .zip(loaded.par_iter())
        .zip(folders.par_iter())
        .map(|((group, branch), folder)| {
            let shared = sharing[folder.as_path()] > 1;
            report(group, branch, folder, shared, context)
        })
        .collect()
}

fn report(
    group: &Group,
    branch: &Result<Arc<Branch>, Diagnostic>,
    dir: &Path,
    shared: bool,
    context: &Context,
) -> BranchReport {
    let settings = context.settings;
    let mut rows: Vec<LedgerRow> = group
        .rows
        .iter()
        .map(|r| LedgerRow { folder: r.output.as_ref().map(|out| relative(dir, out)), ..r.row.clone() })
        .collect();
    rows.sort_by(|a, b| (a.date, &a.input).cmp(&(b.date, &b.input)));
    let mut report =
        BranchReport { branch: group.shown.clone(), activities: rows.len(), findings: Vec::new(), ledger: None };
    let branch = match branch {
        Ok(branch) => branch,
        Err(err) => {
            if settings.mode != Mode::Check {
                report.ledger = Some(failed_ledger(dir, vec![err.clone()]));
            }
            return report;
        }
    };
    report.findings = frequency::check(branch, &rows, settings.period, settings.today);
    if settings.mode != Mode::Check {
        let stem = if shared {
            format!("{LEDGER_STEM}-{}", branch.file.branch.display_name())
        } else {
            LEDGER_STEM.to_string()
        };
        report.ledger = Some(write_ledger(branch, &rows, &report.findings, dir, &stem, context));
    }
    report
}

fn failed_ledger(dir: &Path, errors: Vec<Diagnostic>) -> LedgerOutcome {
    LedgerOutcome { status: Status::Failed, output: dir.to_path_buf(), files: Vec::new(), errors, warnings: Vec::new() }
}

/// Writes 台账.typ/.md (and compiles 台账.pdf when its source or the PDF options changed), with
/// the same hand-edit protection as an activity's documents.
fn write_ledger(
    branch: &Branch,
    rows: &[LedgerRow],
    findings: &[Diagnostic],
    dir: &Path,
    stem: &str,
    context: &Context,
) -> LedgerOutcome {
    let settings = context.settings;
    let engine = match context.engines.get(branch) {
        Ok(engine) => engine,
        Err(err) => return failed_ledger(dir, vec![err.diagnostic()]),
    };
    let (formats, wants_pdf) = settings.formats_for(branch);
    let mut files = match ledger::render(
        &engine,
        branch,
        rows,
        findings,
        settings.period,
        &formats,
        settings.fonts.clone(),
    ) {
        Ok(files) => files,
        Err(err) => return failed_ledger(dir, vec![err.diagnostic()]),
    };
    for file in &mut files {
        file.name = file.name.replacen(LEDGER_STEM, stem, 1);
    }
    let mut folder = OutputFolder::open(dir, settings.force);
    let pdf_name = format!("{stem}.pdf");
    let pdf_settings = settings.pdf.as_ref().filter(|_| wants_pdf);
    if pdf_settings.is_some() {
        if let Some(path) = folder.hand_edited([pdf_name.as_str()]) {
            return failed_ledger(dir, vec![output_diagnostic(OutputError::HandEdited(path))]);
        }
    }
    let previous = folder.manifest().fingerprint.clone();
    let mut outcome = match folder.write(&files) {
        Ok(written) => LedgerOutcome {
            status: Status::Unchanged,
            output: dir.to_path_buf(),
            files: written,
            errors: Vec::new(),
            warnings: Vec::new(),
        },
        Err(err) => return failed_ledger(dir, vec![output_diagnostic(err)]),
    };
    let mut fingerprint = None;
    if let (Some(pdf), Some(source)) = (pdf_settings, files.iter().find(|f| f.name == format!("{stem}.typ"))) {
        let current = incremental::pdf_fingerprint(&source.contents, &context.options);
        if previous.as_deref() != Some(current.as_str()) || !dir.join(&pdf_name).is_file() {
            let epoch = rows
                .iter()
                .map(|r| r.date)
                .max()
                .map_or(0, |d| (d.and_time(Default::default()).and_utc().timestamp() - 8 * 3600).max(0));
            let job = Job { dir: dir.to_path_buf(), input: source.name.clone(), output: pdf_name.clone(), epoch };
            let (pdfs, errors, warnings) = compile(pdf, std::slice::from_ref(&job));
            outcome.warnings = warnings;
            if !errors.is_empty() {
                outcome.status = Status::Failed;
                outcome.errors = errors;
            } else {
                match folder.write(&pdfs) {
                    Ok(mut written) => outcome.files.append(&mut written),
                    Err(err) => {
                        outcome.status = Status::Failed;
                        outcome.errors.push(output_diagnostic(err));
                    }
                }
            }
        } else {
            outcome.files.push(dir.join(&pdf_name));
        }
        fingerprint = (outcome.status != Status::Failed).then_some(current);
    }
    if outcome.status != Status::Failed && folder.changed > 0 {
        outcome.status = Status::Rendered;
    }
    if let Err(err) = folder.finish(fingerprint, None) {
        outcome.status = Status::Failed;
        outcome.errors.push(output_diagnostic(err));
    }
    outcome
}

/// The output folder of a branch's ledger: the folder of its branch.toml, mirrored under the
/// output root, or the output root itself when branch.toml is not under the inputs' root.
fn ledger_folder(branch: &Path, context: &Context) -> PathBuf {
    let folder = branch.parent().unwrap_or(Path::new(""));
    match folder.strip_prefix(&context.inputs.root) {
        Ok(relative) => context.settings.out_dir.join(relative),
        Err(_) => context.settings.out_dir.clone(),
    }
}

/// `to` as seen from the folder `from`, "/"-separated: `2026-11-05-支部党员大会`, `../x/y`.
fn relative(from: &Path, to: &Path) -> String {
    let (from, to) = (inputs::absolute(from), inputs::absolute(to));
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
    }
}
