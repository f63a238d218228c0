//! One applicant record in a run: checked against its branch and the meetings it names, and
//! (`pdb render`) its 纪实表 and 公示 written beside the activities' folders, with PDFs compiled
//! only when their Typst source changed.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::incremental;
use crate::inputs::{self, Input};
use crate::output::{OutputError, OutputFolder};
use crate::pipeline::{compile, output_diagnostic, Context, Mode, Outcome, Status};
use crate::record::applicant::{self, ApplicantRecord};
use crate::render::applicant::{documents, ApplicantView};
use crate::render::{Engine, Format, RenderedFile, TemplateError};
use crate::source::SourceFile;
use crate::typst::Job;

use super::{ApplicantRow, DevelopmentOf};

/// Checks (and renders) one applicant record of the run.
pub(crate) fn process(input: &Input, source: SourceFile, context: &Context) -> Outcome {
    let settings = context.settings;
    let record = match applicant::build(source, &context.branches, settings.today) {
        Ok(record) => record,
        Err(errors) => return Outcome::failed(&input.path, errors),
    };
    let branch_path = record.branch.source.path.clone();
    let mut outcome = Outcome::failed(&input.path, Vec::new());
    outcome.status = Status::Checked;
    outcome.branch = Some((branch_path.clone(), inputs::absolute(&branch_path)));
    outcome.findings = record.findings.clone();
    outcome.development = Some(DevelopmentOf {
        branch: (branch_path.clone(), inputs::absolute(&branch_path)),
        applicant: Some(ApplicantRow::from_record(&record)),
        named: Vec::new(),
    });
    if settings.mode != Mode::Render {
        return outcome;
    }
    let dir = settings.out_dir.join(&input.output);
    let engine = match context.engines.get(&record.branch) {
        Ok(engine) => engine,
        Err(err) => {
            outcome.status = Status::Failed;
            outcome.errors.push(err.diagnostic());
            return outcome;
        }
    };
    let files = match render(&engine, &record, &settings.template_formats(), settings.fonts.clone()) {
        Ok(files) => files,
        Err(err) => {
            outcome.status = Status::Failed;
            outcome.errors.push(err.diagnostic());
            return outcome;
        }
    };
    match write(&dir, files, record_epoch(&record), context) {
        Ok((written, warnings)) => {
            outcome.status = Status::Rendered;
            outcome.output = Some(dir);
            outcome.files = written;
            outcome.warnings = warnings;
        }
        Err((errors, warnings)) => {
            outcome.status = Status::Failed;
            outcome.errors = errors;
            outcome.warnings = warnings;
        }
    }
    outcome
}

/// The 纪实表 and each recorded 公示, in every format.
pub fn render(
    engine: &Engine,
    record: &ApplicantRecord,
    formats: &[Format],
    fonts: crate::render::Fonts,
) -> Result<Vec<RenderedFile>, TemplateError> {
    let mut files = Vec::new();
    for document in documents(record) {
        let view = ApplicantView::new(record, document, fonts.clone());
        let context = tera::Context::from_serialize(&view).expect("the applicant view serializes to a map");
        for &format in formats {
            let name = format!("{}/{}.{}", format.folder(), document.template(), format.extension());
            let text = engine.render_template(format, &name, &context)?;
            files.push(RenderedFile {
                name: format!("{}.{}", document.stem(), format.extension()),
                contents: text.into_bytes(),
            });
        }
    }
    Ok(files)
}

/// The PDFs' creation date: the last date of the record, so two runs give the same bytes.
fn record_epoch(record: &ApplicantRecord) -> i64 {
    let last = record.steps.iter().flat_map(|s| s.when.iter().copied()).max();
    last.map_or(0, |d| (d.and_time(Default::default()).and_utc().timestamp() - 8 * 3600).max(0))
}

type Failure = (Vec<Diagnostic>, Vec<String>);

/// Writes the text files, then compiles each Typst file to PDF when the sources changed since
/// the last run (or a PDF is missing); a hand-edited PDF is kept.
pub(crate) fn write(
    dir: &Path,
    files: Vec<RenderedFile>,
    epoch: i64,
    context: &Context,
) -> Result<(Vec<std::path::PathBuf>, Vec<String>), Failure> {
    let settings = context.settings;
    let mut folder = OutputFolder::open(dir, settings.force);
    let typ: Vec<&RenderedFile> = files.iter().filter(|f| f.name.ends_with(".typ")).collect();
    let pdf_names: Vec<String> = typ.iter().map(|f| f.name.replace(".typ", ".pdf")).collect();
    if settings.pdf.is_some() {
        if let Some(path) = folder.hand_edited(pdf_names.iter().map(String::as_str)) {
            return Err((vec![output_diagnostic(OutputError::HandEdited(path))], Vec::new()));
        }
    }
    let previous = folder.manifest().fingerprint.clone();
    let mut written = folder.write(&files).map_err(|e| (vec![output_diagnostic(e)], Vec::new()))?;
    let mut warnings = Vec::new();
    let mut fingerprint = None;
    if let Some(pdf) = &settings.pdf {
        let sources: Vec<u8> = typ.iter().flat_map(|f| f.contents.iter().copied().chain([0u8])).collect();
        let current = incremental::pdf_fingerprint(&sources, &context.options);
        let missing = pdf_names.iter().any(|n| !dir.join(n).is_file());
        if previous.as_deref() != Some(current.as_str()) || missing {
            let jobs: Vec<Job> = typ
                .iter()
                .zip(&pdf_names)
                .map(|(f, pdf)| Job { dir: dir.to_path_buf(), input: f.name.clone(), output: pdf.clone(), epoch })
                .collect();
            let (pdfs, errors, found) = compile(pdf, &jobs);
            warnings = found;
            if !errors.is_empty() {
                let _ = folder.finish(None, None);
                return Err((errors, warnings));
            }
            written.extend(folder.write(&pdfs).map_err(|e| (vec![output_diagnostic(e)], Vec::new()))?);
        } else {
            written.extend(pdf_names.iter().map(|n| dir.join(n)));
        }
        fingerprint = Some(current);
    }
    folder.finish(fingerprint, None).map_err(|e| (vec![output_diagnostic(e)], warnings.clone()))?;
    Ok((written, warnings))
}
