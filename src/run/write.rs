//! Writing one output folder with its PDFs, for an activity and for a ledger alike: the hand-edit
//! check of the PDFs, the text files, then (once typst made them) the PDFs, and the manifest last.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::settings::PdfSettings;
use crate::diagnostics::Diagnostic;
use crate::incremental::ActivityCache;
use crate::output::{OutputError, OutputFolder};
use crate::render::RenderedFile;
use crate::typst::{self, Job};

/// An output folder being written.
pub(crate) struct PdfFolder {
    pub folder: OutputFolder,
    /// The fingerprint the folder had before this run wrote to it.
    pub previous: Option<String>,
    /// Every file written, in order: the text files, then the PDFs.
    pub written: Vec<PathBuf>,
}

/// What compiling a folder's PDFs gave.
#[derive(Default)]
pub(crate) struct PdfResult {
    /// The PDFs written.
    pub written: Vec<PathBuf>,
    /// typst's errors, or the write's; nothing is written when typst failed.
    pub errors: Vec<Diagnostic>,
    /// typst's warnings, each with the file it came from: shown, never swallowed.
    pub warnings: Vec<String>,
}

impl PdfFolder {
    /// Writes the text files of a folder whose PDFs `pdfs` will follow; nothing at all when one of
    /// those PDFs (or of the files) was changed by hand since pdb wrote it.
    pub fn write<'a>(
        dir: &Path,
        force: bool,
        files: &[RenderedFile],
        pdfs: impl IntoIterator<Item = &'a str>,
    ) -> Result<PdfFolder, Diagnostic> {
        PdfFolder::write_as(OutputFolder::open(dir, force), files, pdfs)
    }

    /// [`PdfFolder::write`] into a folder opened by the caller (one shared by several ledgers).
    pub fn write_as<'a>(
        mut folder: OutputFolder,
        files: &[RenderedFile],
        pdfs: impl IntoIterator<Item = &'a str>,
    ) -> Result<PdfFolder, Diagnostic> {
        // A PDF changed by hand (signed, annotated) is kept: stop before writing anything.
        if let Some(path) = folder.hand_edited(pdfs) {
            return Err(OutputError::HandEdited(path).into());
        }
        let previous = folder.fingerprint().map(str::to_string);
        let written = folder.write(files)?;
        Ok(PdfFolder { folder, previous, written })
    }

    /// Runs typst on the jobs and writes the PDFs when all succeeded.
    pub fn compile(&mut self, pdf: &PdfSettings, jobs: &[Job]) -> PdfResult {
        let (pdfs, errors, warnings) = compile(pdf, jobs);
        if !errors.is_empty() && pdf.keep_failed {
            for job in jobs {
                self.folder.keep(&job.output);
            }
        }
        self.write_pdfs(pdfs, errors, warnings)
    }

    /// Writes PDFs made elsewhere (by a bundle).
    pub fn store(&mut self, pdfs: Vec<RenderedFile>) -> PdfResult {
        self.write_pdfs(pdfs, Vec::new(), Vec::new())
    }

    fn write_pdfs(&mut self, pdfs: Vec<RenderedFile>, errors: Vec<Diagnostic>, warnings: Vec<String>) -> PdfResult {
        let mut result = PdfResult { written: Vec::new(), errors, warnings };
        if result.errors.is_empty() {
            match self.folder.write(&pdfs) {
                Ok(paths) => {
                    self.written.extend(paths.iter().cloned());
                    result.written = paths;
                }
                Err(err) => result.errors.push(err.into()),
            }
        }
        result
    }

    /// The names of the files written, for the manifest's list of outputs.
    pub fn names(&self) -> Vec<String> {
        self.written.iter().filter_map(|f| f.file_name()).map(|n| n.to_string_lossy().into_owned()).collect()
    }

    /// Saves the manifest: with the fingerprint (and what a re-run needs) when everything was
    /// written, with only the files' hashes (for the hand-edit check) when not. What pdb wrote
    /// before and did not write now is removed first (old PDFs too, when typst failed); the
    /// warnings name what was kept because it was edited by hand.
    pub fn finish(self, fingerprint: Option<String>, cache: Option<ActivityCache>) -> Result<Vec<String>, Diagnostic> {
        self.folder.finish(fingerprint, cache).map(|cleanup| cleanup.warnings()).map_err(Diagnostic::from)
    }
}

/// Runs typst on each job (in parallel on the run's threads, so never more than `jobs` typst
/// processes): the PDFs when all succeeded, typst's errors and its warnings.
fn compile(pdf: &PdfSettings, jobs: &[Job]) -> (Vec<RenderedFile>, Vec<Diagnostic>, Vec<String>) {
    let compiled: Vec<typst::Compiled> = jobs.par_iter().map(|job| pdf.typst.compile(job, &pdf.options)).collect();
    let Some(dir) = jobs.first().map(|job| job.dir.clone()) else { return (Vec::new(), Vec::new(), Vec::new()) };
    let (mut errors, warnings) = typst::diagnostics::translate(&dir, compiled.iter().flat_map(|c| &c.diagnostics));
    let pdfs: Option<Vec<RenderedFile>> = jobs
        .iter()
        .zip(compiled)
        .map(|(job, compiled)| compiled.pdf.map(|contents| RenderedFile { name: job.output.clone(), contents }))
        .collect();
    match pdfs {
        Some(pdfs) if errors.is_empty() => (pdfs, errors, warnings),
        _ => {
            if errors.is_empty() {
                errors.push(Diagnostic::error(&dir, "typst 没有生成 PDF").with_help(typst::diagnostics::GENERIC_HELP));
            }
            (Vec::new(), errors, warnings)
        }
    }
}
