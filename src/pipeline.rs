//! One run: load every activity, check it, add the findings that need the whole run, render and
//! write. One broken activity never stops the others.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::load::{load_activity, BranchCache};
use crate::output::{write_folder, OutputError};
use crate::record::Record;
use crate::render::{self, Document, Engine, Fonts, Format, RenderedFile, TemplateError};

/// Validated settings for a render run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub out_dir: PathBuf,
    pub formats: Vec<Format>,
    pub only: Option<Vec<Document>>,
    pub templates: Option<PathBuf>,
    pub force: bool,
    pub fonts: Fonts,
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
}

impl Outcome {
    fn failed(input: &Path, errors: Vec<Diagnostic>) -> Outcome {
        Outcome { input: input.to_path_buf(), status: Status::Failed, output: None, files: Vec::new(), errors, findings: Vec::new() }
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
    let mut outcomes: Vec<Outcome> = checked
        .failures
        .into_iter()
        .map(|(input, errors)| Outcome::failed(&input, errors))
        .chain(checked.records.into_iter().map(|record| render_one(&engine, record, settings)))
        .collect();
    // Report in the order the files were given.
    outcomes.sort_by_key(|o| inputs.iter().position(|i| *i == o.input));
    Ok(outcomes)
}

fn render_one(engine: &Engine, record: Record, settings: &Settings) -> Outcome {
    let input = record.path().to_path_buf();
    let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = settings.out_dir.join(stem);
    let mut files = match render::render_record(engine, &record, &settings.formats, settings.only.as_deref(), &settings.fonts) {
        Ok(files) => files,
        Err(err) => return Outcome::failed(&input, vec![template_diagnostic(&err)]),
    };
    if let Err(err) = add_photos(&record, settings, &mut files) {
        return Outcome::failed(&input, vec![err]);
    }
    match write_folder(&dir, &files, settings.force) {
        Ok(written) => Outcome {
            input,
            status: Status::Rendered,
            output: Some(dir),
            files: written,
            errors: Vec::new(),
            findings: record.findings,
        },
        Err(err) => {
            let path = match &err {
                OutputError::HandEdited(p) | OutputError::Io(p, _) => p.clone(),
            };
            let help = match &err {
                OutputError::HandEdited(_) => "把手工修改另存为其他文件名，或加 --force 重新生成",
                OutputError::Io(..) => "检查输出文件夹是否可写、文件是否被其他程序（如 Word、WPS）占用",
            };
            Outcome::failed(&input, vec![Diagnostic::error(&path, err.to_string()).with_help(help)])
        }
    }
}

/// Photos are copied beside the documents that show them, when a document shows them.
fn add_photos(record: &Record, settings: &Settings, files: &mut Vec<RenderedFile>) -> Result<(), Diagnostic> {
    let shows_photos = render::documents_for(record, settings.only.as_deref()).contains(&Document::Photos);
    if !shows_photos {
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
