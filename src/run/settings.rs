//! What a run does, decided once before any work starts (the command line builds it in one go).

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::digest::Hasher;
use crate::period::Period;
use crate::render::{Document, Fonts, Format};
use crate::typst::{CompileOptions, PdfStandard, Typst};

/// What a run does with each activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `pdb render`: write every changed activity's documents, then the ledgers.
    Render,
    /// `pdb index`: only the ledgers and the frequency check, from the activities (reusing the
    /// rows cached in their output folders when the inputs are unchanged).
    Index,
    /// `pdb check`: write nothing.
    Check,
}

/// Validated settings for a run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: Mode,
    pub out_dir: PathBuf,
    pub formats: Vec<Format>,
    pub only: Option<Vec<Document>>,
    pub templates: Option<PathBuf>,
    /// `--reference-docx`: the Word house style, over branch.toml's `reference_docx`.
    pub reference_docx: Option<PathBuf>,
    /// `--format` was given: branch.toml's `formats` does not apply.
    pub formats_given: bool,
    pub force: bool,
    pub fonts: Fonts,
    /// Compile PDFs too (the Typst sources are then always written).
    pub pdf: Option<PdfSettings>,
    /// Threads, and so also typst processes at a time.
    pub jobs: usize,
    /// Only the activities within this span; the frequency check judges it.
    pub period: Option<Period>,
    /// A period still under way is judged up to this day.
    pub today: NaiveDate,
    /// Run the frequency check and (render, index) write a 台账 per branch.
    pub ledgers: bool,
    /// Every outcome lists its files, unchanged ones too (`--json`, which streams them from
    /// `Progress::finished`). An outcome is dropped once `Progress::finished` has seen it
    /// (unless its findings still depend on the rest of the run), so memory does not grow with
    /// the batch.
    pub report_all: bool,
}

/// How PDFs are made: which typst, with which fonts and standard.
#[derive(Debug, Clone)]
pub struct PdfSettings {
    pub typst: Typst,
    pub options: CompileOptions,
    /// Also one PDF per document, beside the packet `00-全套.pdf`.
    pub split: bool,
    /// One typst process for many activities, or one per PDF: the same bytes either way (the
    /// date is in the source from typst 0.15 on), so it is not part of the output options.
    pub engine: PdfEngine,
    /// When typst fails, the PDFs of the last good run stay (listed in the manifest, so the next
    /// run replaces them): `pdb watch`, whose viewer keeps showing them. `render` removes them,
    /// as they no longer match the sources beside them.
    pub keep_failed: bool,
}

/// How a batch's PDFs are compiled (`--pdf-engine`, decided once per run: `auto` is `Bundle` when
/// the typst on hand can make bundles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfEngine {
    /// Several activities per typst process, with typst 0.15's bundle export (`run/bundle.rs`),
    /// where that is safe; each alone when not, or when the bundle fails.
    Bundle,
    /// One typst process per PDF.
    Single,
}

impl Settings {
    /// The options that change what is written, hashed for the render fingerprint. Every field
    /// is named here, so that changing a type's derives or adding a setting never silently
    /// re-renders (or fails to re-render) every folder.
    pub fn output_options(&self) -> String {
        let mut hasher = Hasher::new("pdb output options");
        let list = |hasher: &mut Hasher, items: &[&str]| {
            hasher.part(&(items.len() as u64).to_le_bytes());
            for item in items {
                hasher.part(item.as_bytes());
            }
        };
        list(&mut hasher, &self.formats.iter().map(|f| f.extension()).collect::<Vec<_>>());
        match &self.only {
            None => hasher.part(b"all documents"),
            Some(only) => {
                hasher.part(b"only").part(only.iter().map(|d| d.key()).collect::<Vec<_>>().join(",").as_bytes())
            }
        };
        for (role, families) in self.fonts.roles() {
            hasher.part(role.as_bytes());
            list(&mut hasher, &families.iter().map(String::as_str).collect::<Vec<_>>());
        }
        match &self.pdf {
            None => {
                hasher.part(b"no pdf");
            }
            Some(pdf) => {
                let standard = match pdf.options.standard {
                    PdfStandard::A2b => "a-2b",
                    PdfStandard::A3b => "a-3b",
                    PdfStandard::Pdf17 => "1.7",
                };
                let fonts = &pdf.options.fonts;
                hasher.part(b"pdf").part(pdf.typst.version.to_string().as_bytes()).part(standard.as_bytes());
                let paths: Vec<String> = fonts.font_paths.iter().map(|p| p.display().to_string()).collect();
                list(&mut hasher, &paths.iter().map(String::as_str).collect::<Vec<_>>());
                hasher.part(&[u8::from(fonts.ignore_system_fonts), u8::from(pdf.split)]);
            }
        }
        hasher.finish()
    }

    /// The formats of a branch's documents, and whether they get PDFs: `--format`, else the
    /// branch's `formats`, else the run's default.
    pub fn formats_for(&self, branch: &crate::model::Branch) -> (Vec<Format>, bool) {
        use crate::model::OutputFormat;
        let Some(list) = branch.file.formats.as_ref().filter(|_| !self.formats_given) else {
            return (self.template_formats(), self.pdf.is_some());
        };
        let list = list.get_ref();
        let pdf = self.pdf.is_some() && list.contains(&OutputFormat::Pdf);
        let mut formats: Vec<Format> = if pdf { vec![Format::Typst] } else { Vec::new() };
        for format in list {
            let format = match format {
                OutputFormat::Typst => Format::Typst,
                OutputFormat::Markdown => Format::Markdown,
                OutputFormat::Docx => Format::Docx,
                OutputFormat::Pdf => continue,
            };
            if !formats.contains(&format) {
                formats.push(format);
            }
        }
        (formats, pdf)
    }

    /// The formats written from templates: with PDFs, the Typst sources too.
    pub fn template_formats(&self) -> Vec<Format> {
        let mut formats = self.formats.clone();
        if self.pdf.is_some() && !formats.contains(&Format::Typst) {
            formats.insert(0, Format::Typst);
        }
        formats
    }
}

/// One thread per core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
