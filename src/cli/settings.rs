//! The command line's flags become one validated `Settings`, built in one literal before any
//! work starts: every field is decided here and nowhere else.

use anyhow::{bail, Result};

use pdb::inputs::Shard;
use pdb::render::{Fonts, Format};
use pdb::run::{default_jobs, Mode, PdfEngine, PdfSettings, Settings};
use pdb::typst::{self, CompileOptions, FontOptions, FontReport, Typst, TypstError};

use super::args::{EngineArg, FormatArg, InputArgs, OutputArgs, TypstArgs};

/// A run's `Settings`, and the note to print when PDFs are skipped.
pub fn settings(
    mode: Mode,
    input: &InputArgs,
    output: Option<&OutputArgs>,
    shard: Option<Shard>,
) -> Result<(Settings, Option<String>)> {
    // A 台账 and a frequency check are about a batch: a folder, or a period; never one shard.
    let batch = input.period.is_some() || input.inputs.iter().any(|p| p.is_dir());
    let (written, note) = match output {
        Some(args) => written(args)?,
        None => (Written::default(), None),
    };
    let settings = Settings {
        mode,
        out_dir: output.map(|args| args.out.clone()).unwrap_or_default(),
        formats: written.formats,
        only: output.filter(|args| !args.only.is_empty()).map(|args| dedup(args.only.clone())),
        templates: output.and_then(|args| args.templates.clone()),
        reference_docx: output.and_then(|args| args.reference_docx.clone()),
        formats_given: output.is_some_and(|args| !args.format.is_empty()),
        force: output.is_some_and(|args| args.force),
        fonts: written.fonts,
        pdf: written.pdf,
        jobs: input.jobs.unwrap_or_else(default_jobs).max(1),
        period: input.period,
        today: input.today.unwrap_or_else(|| chrono::Local::now().date_naive()),
        ledgers: mode == Mode::Index || (batch && shard.is_none()),
        report_all: input.json,
    };
    Ok((settings, note))
}

/// `pdb watch`: those of `render`, with typst in its own process group, so that Ctrl-C stops
/// pdb after the run under way and never kills a typst half-way, and the last good PDFs kept
/// when typst fails.
pub fn watch_settings(input: &InputArgs, output: &OutputArgs) -> Result<(Settings, Option<String>)> {
    let (mut settings, note) = settings(Mode::Render, input, Some(output), None)?;
    if let Some(pdf) = settings.pdf.as_mut() {
        pdf.options.own_process_group = true;
        pdf.keep_failed = true;
    }
    Ok((settings, note))
}

/// What `render` and `index` write: the template formats, and PDFs when typst can make them.
#[derive(Default)]
struct Written {
    formats: Vec<Format>,
    fonts: Fonts,
    pdf: Option<PdfSettings>,
}

fn written(args: &OutputArgs) -> Result<(Written, Option<String>)> {
    // Without --format: Typst and Markdown, and PDF when typst and a Chinese font are there.
    let explicit = !args.format.is_empty();
    let formats = if explicit { dedup(args.format.clone()) } else { vec![FormatArg::Typst, FormatArg::Markdown] };
    if let Some(path) = args.typst.font_paths.iter().find(|p| !p.is_dir()) {
        bail!("--font-path 指定的文件夹不存在：{}", path.display());
    }
    let mut written =
        Written { formats: formats.iter().filter_map(|f| f.template()).collect(), fonts: Fonts::default(), pdf: None };
    if explicit && !formats.contains(&FormatArg::Pdf) {
        return Ok((written, None));
    }
    let note = match prepare_pdf(&args.typst) {
        Ok((typst, report, fonts)) => {
            warn_untested(&typst);
            let options = CompileOptions { fonts, standard: args.pdf_standard.into(), own_process_group: false };
            let engine = engine(args.pdf_engine, &typst, &options)?;
            written.pdf = Some(PdfSettings { typst, options, split: args.split, engine, keep_failed: false });
            written.fonts = report.fonts;
            None
        }
        Err(err) if explicit => bail!("{err}"),
        // A program named on the command line that does not work is a usage error.
        Err(err @ (TypstError::Missing { .. } | TypstError::Broken { .. } | TypstError::TooOld { .. }))
            if args.typst.typst.is_some() =>
        {
            bail!("{err}")
        }
        // Turned off on purpose: nothing to say.
        Err(TypstError::Disabled) => None,
        Err(err) => Some(format!("PDF 未生成：{}", err.summary())),
    };
    Ok((written, note))
}

/// `--pdf-engine`: bundles when the typst on hand makes them (a probe, once per run). `auto`
/// only with the typst versions pdb was tested with: typst calls bundles experimental, and a newer
/// one may change them.
fn engine(arg: EngineArg, typst: &Typst, options: &CompileOptions) -> Result<PdfEngine> {
    if arg == EngineArg::Single || (arg == EngineArg::Auto && typst.is_untested()) {
        return Ok(PdfEngine::Single);
    }
    match typst.probe_bundle(options) {
        Ok(()) => Ok(PdfEngine::Bundle),
        Err(failure) if arg == EngineArg::Bundle => bail!(
            "--pdf-engine bundle：{}。请去掉 --pdf-engine bundle（pdb 会自动选择），或升级 typst：{}",
            failure.reason,
            typst::INSTALL
        ),
        Err(_) => Ok(PdfEngine::Single),
    }
}

/// Finds typst, lists its fonts once with the run's font settings, and keeps the Chinese ones.
fn prepare_pdf(args: &TypstArgs) -> Result<(Typst, FontReport, FontOptions), TypstError> {
    let typst = typst::locate_within(args.typst.as_deref(), args.timeout())?;
    let fonts = font_options(args);
    let families = typst.families(&fonts)?;
    let report = typst::select_fonts(&Fonts::default(), &families, &fonts.font_paths)?;
    Ok((typst, report, fonts))
}

/// `--font-path` folders made absolute: typst runs inside each activity's output folder.
pub fn font_options(args: &TypstArgs) -> FontOptions {
    FontOptions {
        font_paths: args.font_paths.iter().map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone())).collect(),
        ignore_system_fonts: args.ignore_system_fonts,
    }
}

fn warn_untested(typst: &Typst) {
    if typst.is_untested() {
        errln!(
            "注意：typst {} 比 pdb 支持的版本（{}）新；如果 PDF 排版异常，请安装 {}：{} --version {}",
            typst.version,
            typst::supported_range(),
            typst::TESTED,
            typst::INSTALL,
            typst::TESTED,
        );
    }
}

fn dedup<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items.dedup();
    items
}
