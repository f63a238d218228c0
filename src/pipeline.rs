//! One run: load every activity, check it, add the findings that need the whole run, render and
//! write, then compile the PDFs of every activity with a pool of typst processes. One broken
//! activity never stops the others.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::load::{load_activity, BranchCache};
use crate::output::{write_folder, Manifest, OutputError};
use crate::record::Record;
use crate::render::{self, Document, Engine, Fonts, Format, Packet, RenderedFile, TemplateError};
use crate::typst::{self, CompileOptions, Compiled, Job, Severity, Typst, TypstDiagnostic, PACKET_STEM};

/// Validated settings for a render run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub out_dir: PathBuf,
    pub formats: Vec<Format>,
    pub only: Option<Vec<Document>>,
    pub templates: Option<PathBuf>,
    pub force: bool,
    pub fonts: Fonts,
    /// Compile PDFs too (the Typst sources are then always written).
    pub pdf: Option<PdfSettings>,
}

/// How PDFs are made: which typst, with which fonts and standard, how many at once.
#[derive(Debug, Clone)]
pub struct PdfSettings {
    pub typst: Typst,
    pub options: CompileOptions,
    /// Also one PDF per document, beside the packet `00-全套.pdf`.
    pub split: bool,
    /// typst processes at a time.
    pub workers: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Rendered,
    Failed,
}

/// What happened to one activity.
#[derive(Debug, Serialize)]
pub struct Outcome {
    pub input: PathBuf,
    pub status: Status,
    pub output: Option<PathBuf>,
    pub files: Vec<PathBuf>,
    pub errors: Vec<Diagnostic>,
    pub findings: Vec<Diagnostic>,
    /// typst's warnings, each with the file it came from: shown, never swallowed.
    pub warnings: Vec<String>,
}

impl Outcome {
    pub fn failed(input: &Path, errors: Vec<Diagnostic>) -> Outcome {
        Outcome {
            input: input.to_path_buf(),
            status: Status::Failed,
            output: None,
            files: Vec::new(),
            errors,
            findings: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

/// The activities of a run after checking: the good ones, and the input errors of the rest.
#[derive(Debug, Default)]
pub struct Checked {
    pub records: Vec<Record>,
    pub failures: Vec<(PathBuf, Vec<Diagnostic>)>,
}

/// Loads and checks activities, then adds the findings that need the whole run.
pub fn check(inputs: &[PathBuf]) -> Checked {
    let mut branches = BranchCache::default();
    let mut checked = Checked::default();
    for input in inputs {
        let result = load_activity(input, &mut branches)
            .map_err(|e| vec![e])
            .and_then(Record::build);
        match result {
            Ok(record) => checked.records.push(record),
            Err(errors) => checked.failures.push((input.clone(), errors)),
        }
    }
    Record::cross_findings(&mut checked.records);
    checked
}

pub fn render(inputs: &[PathBuf], settings: &Settings) -> Result<Vec<Outcome>, TemplateError> {
    let engine = Engine::new(settings.templates.as_deref())?;
    let checked = check(inputs);
    let mut outcomes: Vec<Outcome> =
        checked.failures.into_iter().map(|(input, errors)| Outcome::failed(&input, errors)).collect();
    // The typst runs of every activity, and the outcome each belongs to.
    let (mut jobs, mut owners) = (Vec::new(), Vec::new());
    for record in checked.records {
        let (outcome, pdf_jobs) = render_one(&engine, record, settings);
        owners.extend(std::iter::repeat_n(outcomes.len(), pdf_jobs.len()));
        jobs.extend(pdf_jobs);
        outcomes.push(outcome);
    }
    if let Some(pdf) = &settings.pdf {
        compile_pdfs(&mut outcomes, jobs, &owners, pdf, settings.force);
    }
    in_input_order(&mut outcomes, inputs);
    Ok(outcomes)
}

/// `pdb check`: the outcome of every activity, without writing anything.
pub fn check_outcomes(inputs: &[PathBuf]) -> Vec<Outcome> {
    let checked = check(inputs);
    let mut outcomes: Vec<Outcome> = checked
        .failures
        .into_iter()
        .map(|(input, errors)| Outcome::failed(&input, errors))
        .chain(checked.records.into_iter().map(|record| Outcome {
            input: record.path().to_path_buf(),
            status: Status::Rendered,
            output: None,
            files: Vec::new(),
            errors: Vec::new(),
            findings: record.findings,
            warnings: Vec::new(),
        }))
        .collect();
    in_input_order(&mut outcomes, inputs);
    outcomes
}

/// Reports come in the order the files were given, whatever order they were processed in.
fn in_input_order(outcomes: &mut [Outcome], inputs: &[PathBuf]) {
    outcomes.sort_by_key(|o| inputs.iter().position(|i| *i == o.input));
}

/// Renders and writes the text files of one activity; returns the typst runs its PDFs need.
fn render_one(engine: &Engine, record: Record, settings: &Settings) -> (Outcome, Vec<Job>) {
    let input = record.path().to_path_buf();
    let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = settings.out_dir.join(stem);
    let mut formats = settings.formats.clone();
    if settings.pdf.is_some() && !formats.contains(&Format::Typst) {
        // The PDFs are compiled from the .typ files, which stay beside them.
        formats.insert(0, Format::Typst);
    }
    let documents = render::documents_for(&record, settings.only.as_deref());
    let packet = Packet::new(&record, &render::photo_names(&record), &documents, settings.fonts.clone());
    let mut files = match render::render_documents(engine, &packet, &documents, record.kind(), &formats) {
        Ok(files) => files,
        Err(err) => return (Outcome::failed(&input, vec![template_diagnostic(&err)]), Vec::new()),
    };
    if let Err(err) = add_photos(&record, &documents, &mut files) {
        return (Outcome::failed(&input, vec![err]), Vec::new());
    }
    let mut jobs = Vec::new();
    if let Some(pdf) = &settings.pdf {
        files.push(RenderedFile { name: format!("{PACKET_STEM}.typ"), contents: typst::packet_source(&packet).into_bytes() });
        let epoch = source_date_epoch(&record);
        let job = |stem: &str| Job { dir: dir.clone(), input: format!("{stem}.typ"), output: format!("{stem}.pdf"), epoch };
        jobs.push(job(PACKET_STEM));
        if pdf.split {
            jobs.extend(documents.iter().map(|d| job(&d.stem(record.kind()))));
        }
        // A PDF changed by hand (signed, annotated) is kept: stop before writing anything.
        if !settings.force {
            if let Some(path) = hand_edited(&dir, jobs.iter().map(|j| j.output.as_str())) {
                return (Outcome::failed(&input, vec![output_diagnostic(OutputError::HandEdited(path))]), Vec::new());
            }
        }
    }
    let outcome = match write_folder(&dir, &files, settings.force) {
        Ok(written) => Outcome {
            input,
            status: Status::Rendered,
            output: Some(dir),
            files: written,
            errors: Vec::new(),
            findings: record.findings,
            warnings: Vec::new(),
        },
        Err(err) => return (Outcome::failed(&input, vec![output_diagnostic(err)]), Vec::new()),
    };
    (outcome, jobs)
}

fn output_diagnostic(err: OutputError) -> Diagnostic {
    let path = match &err {
        OutputError::HandEdited(p) | OutputError::Io(p, _) => p.clone(),
    };
    let help = match &err {
        OutputError::HandEdited(_) => "把手工修改另存为其他文件名，或加 --force 重新生成",
        OutputError::Io(..) => "检查输出文件夹是否可写、文件是否被其他程序（如 Word、WPS、PDF 阅读器）占用",
    };
    Diagnostic::error(&path, err.to_string()).with_help(help)
}

/// The first of these files in `dir` that differs from what pdb last wrote there.
fn hand_edited<'a>(dir: &Path, names: impl Iterator<Item = &'a str>) -> Option<PathBuf> {
    let manifest = Manifest::read(dir);
    names.map(|name| (name, dir.join(name))).find_map(|(name, path)| {
        let existing = std::fs::read(&path).ok()?;
        manifest.is_hand_edited(name, &existing, None).then_some(path)
    })
}

/// The PDF's creation date: the activity's date and start time in China Standard Time. Fixed by
/// the record, so that two runs give byte-identical PDFs.
fn source_date_epoch(record: &Record) -> i64 {
    let file = &record.activity.file;
    let local = file.date.get_ref().0.and_time(file.start.get_ref().0);
    (local.and_utc().timestamp() - 8 * 3600).max(0)
}

/// Compiles the PDFs of every rendered activity, a few typst processes at a time, and writes
/// them. An activity whose PDF fails is reported as failed, with typst's errors.
fn compile_pdfs(outcomes: &mut [Outcome], jobs: Vec<Job>, owners: &[usize], pdf: &PdfSettings, force: bool) {
    let results = typst::compile_all(&pdf.typst, &pdf.options, &jobs, pdf.workers);
    let mut by_outcome: Vec<Vec<(Job, Compiled)>> = outcomes.iter().map(|_| Vec::new()).collect();
    for ((job, compiled), &owner) in jobs.into_iter().zip(results).zip(owners) {
        by_outcome[owner].push((job, compiled));
    }
    for (outcome, compiled) in outcomes.iter_mut().zip(by_outcome) {
        let Some(dir) = compiled.first().map(|(job, _)| job.dir.clone()) else { continue };
        let (errors, warnings) = typst_diagnostics(&dir, compiled.iter().flat_map(|(_, c)| &c.diagnostics));
        outcome.warnings = warnings;
        let pdfs: Option<Vec<RenderedFile>> = compiled
            .into_iter()
            .map(|(job, compiled)| compiled.pdf.map(|contents| RenderedFile { name: job.output, contents }))
            .collect();
        match pdfs {
            Some(pdfs) if errors.is_empty() => match write_folder(&dir, &pdfs, force) {
                Ok(mut written) => outcome.files.append(&mut written),
                Err(err) => fail(outcome, vec![output_diagnostic(err)]),
            },
            _ => fail(outcome, errors),
        }
    }
}

fn fail(outcome: &mut Outcome, mut errors: Vec<Diagnostic>) {
    outcome.status = Status::Failed;
    outcome.errors.append(&mut errors);
}

/// typst's errors as pdb's, and its warnings as lines, each naming the file of the activity's
/// folder it is about. Missing glyphs (PDF/A refuses them) become one error with the fix.
fn typst_diagnostics<'a>(dir: &Path, diagnostics: impl Iterator<Item = &'a TypstDiagnostic>) -> (Vec<Diagnostic>, Vec<String>) {
    let mut seen = BTreeSet::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    let mut missing_in: Vec<(PathBuf, Option<(usize, usize)>)> = Vec::new();
    for d in diagnostics {
        // The packet and a split PDF include the same file: say each thing once.
        if !seen.insert((d.file.clone(), d.line, d.column, d.message.clone())) {
            continue;
        }
        let path = d.file.as_ref().map_or_else(|| dir.to_path_buf(), |f| dir.join(f));
        let position = d.line.zip(d.column);
        match (d.severity, d.missing_glyphs()) {
            (Severity::Error, Some(text)) => {
                if !missing.contains(&text) {
                    missing.push(text);
                }
                if d.file.is_some() && !missing_in.iter().any(|(p, _)| *p == path) {
                    missing_in.push((path, position));
                }
            }
            (Severity::Error, None) => {
                let mut diagnostic = Diagnostic::error(&path, format!("typst 无法生成 PDF：{}", d.message)).with_help(error_help(d));
                if let Some((line, column)) = position {
                    diagnostic = diagnostic.with_position(line, column);
                }
                errors.push(diagnostic);
            }
            (Severity::Warning, _) => {
                let place = match position {
                    Some((line, column)) => format!("{}:{line}:{column}", path.display()),
                    None => path.display().to_string(),
                };
                let hint = if d.is_about_fonts() { "（pdb doctor 列出 typst 能用的字体）" } else { "" };
                warnings.push(format!("警告：{place}：typst：{}{hint}", d.message));
            }
        }
    }
    if !missing.is_empty() {
        let shown: Vec<String> = missing
            .iter()
            .map(|text| {
                let codes: Vec<String> = text.chars().map(|c| format!("U+{:04X}", c as u32)).collect();
                format!("“{text}”（{}）", codes.join(" "))
            })
            .collect();
        let files: Vec<String> =
            missing_in.iter().filter_map(|(p, _)| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
        let (path, position) = missing_in.first().cloned().unwrap_or_else(|| (dir.to_path_buf(), None));
        let mut diagnostic = Diagnostic::error(
            &path,
            format!("有字没有任何字体能显示，PDF 会缺字，所以没有生成：{}；见于 {}", shown.join("、"), files.join("、")),
        )
        .with_help(
            "安装含这些字的中文字体（Debian/Ubuntu：sudo apt install fonts-noto-cjk），或用 --font-path 指定字体文件夹；\
             生僻字需要含扩展汉字的字体。pdb doctor 列出 typst 能用的字体",
        );
        if let Some((line, column)) = position {
            diagnostic = diagnostic.with_position(line, column);
        }
        errors.push(diagnostic);
    }
    (errors, warnings)
}

fn error_help(d: &TypstDiagnostic) -> &'static str {
    if d.message.contains("CMYK") {
        "照片是 CMYK 颜色的 JPEG，PDF/A 不接受：请把照片另存为普通（RGB）JPEG，或加 --pdf-standard 1.7"
    } else if d.message.contains("PDF/A") {
        "这是 PDF/A 归档格式的要求；可以加 --pdf-standard 1.7 生成普通 PDF"
    } else {
        "若用了自定义模板（--templates），请按提示修改模板；否则请把这段信息报告给 pdb 的维护者"
    }
}

/// Photos are copied beside the documents that show them, when a document shows them.
fn add_photos(record: &Record, documents: &[Document], files: &mut Vec<RenderedFile>) -> Result<(), Diagnostic> {
    if !documents.contains(&Document::Photos) {
        return Ok(());
    }
    let folder = record.path().parent().unwrap_or(Path::new("."));
    for (photo, name) in record.activity.file.photos.iter().zip(render::photo_names(record)) {
        let path = folder.join(photo.file.get_ref());
        let contents = std::fs::read(&path).map_err(|e| {
            Diagnostic::error(&path, format!("无法读取照片：{e}")).with_help("检查照片文件是否存在、是否被其他程序占用")
        })?;
        files.push(RenderedFile { name, contents });
    }
    Ok(())
}

pub fn template_diagnostic(err: &TemplateError) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(Path::new(&err.file), format!("模板错误：{}", err.message))
        .with_help("按提示修改模板文件；若是内置模板出错，请报告给 pdb 的维护者");
    if let (Some(line), Some(column)) = (err.line, err.column) {
        diagnostic = diagnostic.with_position(line, column);
    }
    diagnostic
}
