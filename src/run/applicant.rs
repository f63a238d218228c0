//! One applicant record in a run: checked against its branch and the meetings it names, and
//! (`pdb render`) its 纪实表 and 公示 (Typst, Markdown, Word) written into its own output folder, with PDFs compiled only
//! when their Typst source changed.

use std::path::Path;

use super::development::DevelopmentOf;
use super::outcome::{BranchPath, Outcome, Status};
use super::settings::{Mode, PdfSettings};
use super::write::PdfFolder;
use super::Shared;
use crate::diagnostics::Diagnostic;
use crate::incremental;
use crate::inputs::Input;
use crate::ledger::ApplicantRow;
use crate::record::applicant::{self, ApplicantRecord};
use crate::render::applicant::{documents, ApplicantDocument, ApplicantView};
use crate::render::docx::{self, Layout, Single};
use crate::render::{Engine, Fonts, Format, RenderedFile, TemplateError};
use crate::source::SourceFile;
use crate::typst::{self, Job};

/// Checks (and renders) one applicant record of the run.
pub(crate) fn process(input: &Input, source: SourceFile, shared: &Shared) -> Outcome {
    let settings = shared.settings;
    let record = match applicant::build(source, &shared.branches, settings.today) {
        Ok(record) => record,
        Err(errors) => return Outcome { applicant: true, ..Outcome::failed(&input.path, errors) },
    };
    let branch = BranchPath::new(&record.branch.source.path);
    let mut outcome = Outcome::new(&input.path, Status::Checked);
    outcome.applicant = true;
    outcome.branch = Some(branch.clone());
    outcome.findings = record.findings.clone();
    outcome.development =
        Some(DevelopmentOf { branch, applicant: Some(ApplicantRow::from_record(&record)), named: Vec::new() });
    if settings.mode != Mode::Render {
        return outcome;
    }
    let dir = settings.out_dir.join(&input.output);
    let (formats, wants_pdf) = settings.formats_for(&record.branch);
    let pdf = settings.pdf.as_ref().filter(|_| wants_pdf);
    let written = shared
        .engines
        .get(&record.branch)
        .map_err(Diagnostic::from)
        .and_then(|engine| Ok(render(&engine, &record, &formats, settings.fonts.clone())?))
        .map_err(|e| (vec![e], Vec::new()))
        .and_then(|files| write(&dir, &files, epoch(&record), pdf, shared));
    match written {
        Ok((files, warnings, changed)) => {
            outcome.status = if changed { Status::Rendered } else { Status::Unchanged };
            outcome.output = Some(dir);
            outcome.files = files;
            outcome.warnings = warnings;
        }
        Err((errors, warnings)) => {
            outcome.fail(errors);
            outcome.warnings = warnings;
        }
    }
    outcome
}

/// The 纪实表 and each recorded 公示, in every format.
pub(crate) fn render(
    engine: &Engine,
    record: &ApplicantRecord,
    formats: &[Format],
    fonts: Fonts,
) -> Result<Vec<RenderedFile>, TemplateError> {
    let mut files = Vec::new();
    for document in documents(record) {
        let view = ApplicantView::new(record, document, fonts.clone());
        let context = tera::Context::from_serialize(&view).expect("the applicant view serializes to a map");
        for &format in formats {
            let name = format!("{}/{}.{}", format.folder(), document.template(), format.template_extension());
            let contents = match format {
                Format::Docx => word(engine, record, document, &view, &name, &context)?,
                _ => engine.render_template(format, &name, &context)?.into_bytes(),
            };
            files.push(RenderedFile { name: format!("{}.{}", document.stem(), format.extension()), contents });
        }
    }
    Ok(files)
}

/// A document as .docx: the 纪实表 on the records' page, a 公示 in the notice's (GB/T 9704) with
/// its signature; dated as the PDFs.
fn word(
    engine: &Engine,
    record: &ApplicantRecord,
    document: ApplicantDocument,
    view: &ApplicantView,
    name: &str,
    context: &tera::Context,
) -> Result<Vec<u8>, TemplateError> {
    let (layout, signature) = match &view.notice {
        Some(notice) => (Layout::Notice, Some((notice.signer.as_str(), notice.date.as_str()))),
        None => (Layout::Record, None),
    };
    let title = format!("{}同志{}", record.name(), document.title());
    let date = last_date(record).unwrap_or_default().and_time(Default::default());
    let single = Single { layout, title: &title, creator: &view.branch.name, date, signature };
    docx::single(engine, name, context, &single)
}

/// The last date of the record.
fn last_date(record: &ApplicantRecord) -> Option<chrono::NaiveDate> {
    record.steps.iter().flat_map(|s| s.when.iter().copied()).max()
}

/// The PDFs' creation date: the last date of the record, so two runs give the same bytes.
fn epoch(record: &ApplicantRecord) -> i64 {
    last_date(record).map_or(0, |d| typst::source_date_epoch(d.and_time(Default::default())))
}

type Failure = (Vec<Diagnostic>, Vec<String>);
/// The files of the folder, typst's warnings, and whether any file changed.
type Written = (Vec<std::path::PathBuf>, Vec<String>, bool);

/// Writes the text files, then compiles each Typst file to PDF when the sources changed since
/// the last run (or a PDF is missing); a hand-edited PDF is kept.
fn write(
    dir: &Path,
    files: &[RenderedFile],
    epoch: i64,
    pdf: Option<&PdfSettings>,
    shared: &Shared,
) -> Result<Written, Failure> {
    let typ: Vec<&RenderedFile> = files.iter().filter(|f| f.name.ends_with(".typ")).collect();
    let pdf_names: Vec<String> = typ.iter().map(|f| f.name.replace(".typ", ".pdf")).collect();
    let pdfs = pdf.map(|_| pdf_names.iter().map(String::as_str)).into_iter().flatten();
    let mut folder = PdfFolder::write(dir, shared.settings.force, files, pdfs).map_err(|e| (vec![e], Vec::new()))?;
    let mut warnings = Vec::new();
    let mut fingerprint = None;
    if let Some(pdf) = pdf {
        let sources: Vec<u8> = typ.iter().flat_map(|f| f.contents.iter().copied().chain([0u8])).collect();
        let current = incremental::pdf_fingerprint(&sources, &shared.options);
        let missing = pdf_names.iter().any(|n| !dir.join(n).is_file());
        if folder.previous.as_deref() != Some(current.as_str()) || missing {
            let jobs: Vec<Job> = typ
                .iter()
                .zip(&pdf_names)
                .map(|(f, pdf)| Job { dir: dir.to_path_buf(), input: f.name.clone(), output: pdf.clone(), epoch })
                .collect();
            let result = folder.compile(pdf, &jobs);
            warnings = result.warnings;
            if !result.errors.is_empty() {
                // The text files are there: their hashes are kept, for the hand-edit check.
                let _ = folder.finish(None, None);
                return Err((result.errors, warnings));
            }
        } else {
            // Unchanged: still this run's outputs, not stale files to remove.
            for name in &pdf_names {
                folder.folder.keep(name);
            }
            folder.written.extend(pdf_names.iter().map(|n| dir.join(n)));
        }
        fingerprint = Some(current);
    }
    let written = folder.written.clone();
    let changed = folder.folder.changed > 0;
    let kept = folder.finish(fingerprint, None).map_err(|e| (vec![e], warnings.clone()))?;
    warnings.extend(kept);
    Ok((written, warnings, changed))
}
