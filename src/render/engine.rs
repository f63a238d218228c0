//! The template engine: built-in templates embedded in the binary, overridable by path from a
//! user's folder, one Tera instance per output format so each has its own escaping.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};
use walkdir::WalkDir;

use super::document::Document;
use super::docx::{self, Reference};
use super::escape;
use crate::diagnostics::Diagnostic;
use crate::model::Branch;
use crate::sync::lock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Typst,
    Markdown,
    /// Word: WordprocessingML templates (`docx/*.xml`), packaged by `render::docx`.
    Docx,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Typst, Format::Markdown, Format::Docx];

    /// The extension of the output file.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Typst => "typ",
            Format::Markdown => "md",
            Format::Docx => "docx",
        }
    }

    /// The extension of the format's templates: a .docx is made from `.xml` templates.
    pub fn template_extension(self) -> &'static str {
        match self {
            Format::Docx => "xml",
            other => other.extension(),
        }
    }

    /// The template folder of the format, under templates/.
    pub fn folder(self) -> &'static str {
        match self {
            Format::Typst => "typst",
            Format::Markdown => "markdown",
            Format::Docx => "docx",
        }
    }

    pub fn template_name(self, document: Document) -> String {
        format!("{}/{}.{}", self.folder(), document.key(), self.template_extension())
    }
}

/// Every built-in template, embedded at build time: a new template file needs no code change.
static BUILTIN_DIR: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Every built-in template as (path under templates/, text), sorted by path.
pub fn builtin() -> Vec<(String, &'static str)> {
    fn walk(dir: &'static include_dir::Dir<'static>, out: &mut Vec<(String, &'static str)>) {
        for file in dir.files() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(text) = file.contents_utf8() {
                if path.ends_with(".typ") || (path.ends_with(".md") || path.ends_with(".xml")) && path.contains('/') {
                    out.push((path, text));
                }
            }
        }
        for sub in dir.dirs() {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&BUILTIN_DIR, &mut out);
    out.sort();
    out
}

/// Built-ins stay reachable under this prefix, so an override can `{% extends "builtin/…" %}`.
pub const BUILTIN_PREFIX: &str = "builtin/";

/// A template that failed to parse or render, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The user's file, or `builtin/…` for an embedded template.
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "模板错误 {}:{line}:{column}：{}", self.file, self.message),
            _ => write!(f, "模板错误 {}：{}", self.file, self.message),
        }
    }
}

impl std::error::Error for TemplateError {}

pub struct Engine {
    typst: Tera,
    markdown: Tera,
    docx: Tera,
    /// The unit's Word house style (or the built-in one), for `Format::Docx`.
    reference: Arc<Reference>,
    /// Template name → the user's file it came from.
    user_files: BTreeMap<String, PathBuf>,
    fingerprint: String,
    /// The user's template files that replace no built-in and that no template uses: a
    /// misspelt name (`notcie.typ`, `Typst/`), with the name it probably means.
    warnings: Vec<String>,
}

impl Engine {
    /// Loads the built-ins, then the user's templates from `user_dir` by the same relative path.
    pub fn new(user_dir: Option<&Path>) -> Result<Engine, TemplateError> {
        Engine::layered(user_dir.as_slice())
    }

    /// Loads the built-ins, then each folder in turn: a later folder's file replaces an earlier
    /// one with the same relative path (built-ins < branch.toml's `templates` < `--templates`).
    pub fn layered(user_dirs: &[&Path]) -> Result<Engine, TemplateError> {
        let mut by_name: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        for dir in user_dirs {
            for (name, path, text) in read_folder(dir)? {
                by_name.insert(name, (path, text));
            }
        }
        let user_files: BTreeMap<String, PathBuf> = by_name.iter().map(|(n, (p, _))| (n.clone(), p.clone())).collect();
        let user: Vec<(String, String)> = by_name.into_iter().map(|(n, (_, t))| (n, t)).collect();
        let built_in = builtin();
        let fingerprint = crate::digest::templates(
            built_in.iter().map(|(n, t)| (n.as_str(), *t)).chain(user.iter().map(|(n, t)| (n.as_str(), t.as_str()))),
        );
        let warnings = unused_templates(&user, &user_files);
        let reference = Arc::new(Reference::builtin());
        let mut engine = Engine {
            typst: Tera::new(),
            markdown: Tera::new(),
            docx: Tera::new(),
            reference,
            user_files,
            fingerprint,
            warnings,
        };
        for format in Format::ALL {
            let prefix = format!("{}/", format.folder());
            let mut templates: BTreeMap<String, String> = BTreeMap::new();
            for (name, text) in built_in.iter().filter(|(n, _)| n.starts_with(&prefix)) {
                templates.insert(name.clone(), text.to_string());
                templates.insert(format!("{BUILTIN_PREFIX}{name}"), text.to_string());
            }
            for (name, text) in user.iter().filter(|(n, _)| n.starts_with(&prefix)) {
                templates.insert(name.clone(), text.clone());
            }
            let tera = match format {
                Format::Typst => &mut engine.typst,
                Format::Markdown => &mut engine.markdown,
                Format::Docx => &mut engine.docx,
            };
            configure(tera, format);
            if let Err(err) = tera.add_raw_templates(templates) {
                return Err(engine.template_error(&err));
            }
        }
        Ok(engine)
    }

    pub fn render_context(
        &self,
        format: Format,
        document: Document,
        context: &Context,
    ) -> Result<String, TemplateError> {
        let tera = self.tera(format);
        tera.render(&format.template_name(document), context).map_err(|e| self.template_error(&e))
    }

    /// Renders a template by name (e.g. `typst/ledger.typ`): for documents that are not per activity.
    pub fn render_template(&self, format: Format, name: &str, context: &Context) -> Result<String, TemplateError> {
        let tera = self.tera(format);
        tera.render(name, context).map_err(|e| self.template_error(&e))
    }

    fn tera(&self, format: Format) -> &Tera {
        match format {
            Format::Typst => &self.typst,
            Format::Markdown => &self.markdown,
            Format::Docx => &self.docx,
        }
    }

    /// The same templates with a unit's reference .docx: it joins the fingerprint.
    pub fn with_reference(mut self, reference: Arc<Reference>) -> Engine {
        let both = format!("{}|{}", self.fingerprint, reference.hash());
        self.fingerprint = crate::digest::hash(both.as_bytes());
        self.reference = reference;
        self
    }

    /// The Word styles, theme and page setup DOCX documents are made with.
    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// A hash of every template this engine uses, built-in and the user's: part of what a
    /// rendered output depends on.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Warnings about the user's template files (see the field).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn template_error(&self, err: &tera::Error) -> TemplateError {
        let at = |name: &str, line: Option<usize>, column: Option<usize>, message: String| TemplateError {
            file: self.file_of(name),
            line,
            column,
            message,
        };
        match err.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                at(report.filename(), Some(span.start_line), Some(span.start_col + 1), report.message().to_string())
            }
            // Unknown filters, tests and functions come as reports already printed to text.
            ErrorKind::Msg(text) => match parse_report(text) {
                Some((name, line, column, message)) => at(&name, Some(line), Some(column), chinese_message(&message)),
                None => at("", None, None, text.clone()),
            },
            ErrorKind::MissingParent { current, parent } => {
                let (line, column) = self.position_of(current, parent).unzip();
                let hint = if parent.starts_with(BUILTIN_PREFIX) {
                    ""
                } else {
                    "；继承内置模板要写 builtin/ 前缀，例如 \"builtin/typst/notice.typ\""
                };
                at(current, line, column, format!("继承的模板“{parent}”不存在{hint}"))
            }
            ErrorKind::CircularExtend { tpl, .. } => {
                let (line, column) = self.position_of(tpl, "extends").unzip();
                let message = format!("模板“{tpl}”继承了自己；继承内置模板要写 builtin/ 前缀，例如 {{% extends \"{BUILTIN_PREFIX}{tpl}\" %}}");
                at(tpl, line, column, message)
            }
            _ => at("", None, None, err.to_string()),
        }
    }

    /// Whether every Typst template is pdb's own. Then every path in a Typst source is one pdb
    /// wrote (a document of the folder, a photo copied into it under pdb's name), which is what
    /// lets sources of several folders be compiled with one root (`typst/bundle.rs`).
    pub fn typst_is_builtin(&self) -> bool {
        !self.user_files.keys().any(|name| name.starts_with(&format!("{}/", Format::Typst.folder())))
    }

    /// The user's file for a template name, `builtin/…` for an embedded one.
    fn file_of(&self, name: &str) -> String {
        match self.user_files.get(name) {
            Some(path) => path.display().to_string(),
            None if name.is_empty() => "templates".to_string(),
            None => format!("{}{}", if name.starts_with(BUILTIN_PREFIX) { "" } else { BUILTIN_PREFIX }, name),
        }
    }

    /// Line and column (1-based, in characters) of the first `needle` in the user's template.
    fn position_of(&self, name: &str, needle: &str) -> Option<(usize, usize)> {
        let text = std::fs::read_to_string(self.user_files.get(name)?).ok()?;
        let offset = text.find(needle)?;
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Some((before.matches('\n').count() + 1, before[line_start..].chars().count() + 1))
    }
}

/// The first `error: …` and `--> name:line:column` of a report Tera printed as text.
fn parse_report(text: &str) -> Option<(String, usize, usize, String)> {
    let message = text.lines().find_map(|l| l.trim().strip_prefix("error:")).map(str::trim)?;
    let place = text.lines().find_map(|l| l.trim().strip_prefix("-->")).map(str::trim)?;
    let mut parts = place.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let name = parts.next()?;
    Some((name.to_string(), line, column, message.to_string()))
}

fn chinese_message(message: &str) -> String {
    for (english, chinese) in
        [("Unknown filter", "没有这个过滤器"), ("Unknown test", "没有这个测试"), ("Unknown function", "没有这个函数")]
    {
        if let Some(rest) = message.strip_prefix(english) {
            return format!("{chinese}{}（见 templates/README.md 第四节）", rest.trim_end());
        }
    }
    message.to_string()
}

/// The error as pdb reports it: the template file, line and column.
impl From<TemplateError> for Diagnostic {
    fn from(err: TemplateError) -> Diagnostic {
        let mut diagnostic = Diagnostic::error(Path::new(&err.file), format!("模板错误：{}", err.message))
            .with_help("按提示修改模板文件；若是内置模板出错，请报告给 pdb 的维护者");
        if let (Some(line), Some(column)) = (err.line, err.column) {
            diagnostic = diagnostic.with_position(line, column);
        }
        diagnostic
    }
}

/// Why an activity's branch has no engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineError {
    /// branch.toml's `templates` names no folder: points at the key.
    MissingFolder(Diagnostic),
    /// A template (the branch's, `--templates`', or a built-in) does not parse.
    Template(TemplateError),
    /// The reference .docx (`--reference-docx` or branch.toml's `reference_docx`) is missing or
    /// is no Word file.
    Reference(Diagnostic),
}

impl From<EngineError> for Diagnostic {
    fn from(err: EngineError) -> Diagnostic {
        match err {
            EngineError::MissingFolder(diagnostic) | EngineError::Reference(diagnostic) => diagnostic,
            EngineError::Template(err) => err.into(),
        }
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::MissingFolder(diagnostic) | EngineError::Reference(diagnostic) => diagnostic.fmt(f),
            EngineError::Template(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for EngineError {}

/// One engine per template folder in use, built on first use and shared: activities render in
/// parallel, and a branch's templates are parsed once per run.
pub struct Engines {
    cli: Option<PathBuf>,
    /// `--reference-docx`: wins over branch.toml's `reference_docx`.
    cli_reference: Option<PathBuf>,
    /// Keyed by the branch's template folder (`None`: the branch names none) and reference.
    cache: Mutex<BTreeMap<EngineKey, Built>>,
    references: docx::References,
}

type Built = Result<Arc<Engine>, TemplateError>;

/// A branch's template folder and reference .docx, by their real paths.
type EngineKey = (Option<PathBuf>, Option<PathBuf>);

impl Engines {
    pub fn new(cli_templates: Option<PathBuf>) -> Engines {
        Engines {
            cli: cli_templates,
            cli_reference: None,
            cache: Mutex::new(BTreeMap::new()),
            references: Default::default(),
        }
    }

    /// With `--reference-docx`.
    pub fn with_reference(mut self, reference: Option<PathBuf>) -> Engines {
        self.cli_reference = reference;
        self
    }

    /// The warnings of every engine built so far, once each.
    pub fn warnings(&self) -> Vec<String> {
        let cache = lock(&self.cache);
        let mut warnings: Vec<String> = Vec::new();
        for engine in cache.values().flatten() {
            for warning in engine.warnings() {
                if !warnings.contains(warning) {
                    warnings.push(warning.clone());
                }
            }
        }
        warnings
    }

    /// The engine with no branch folder: built-ins and `--templates`. A run checks it first, so
    /// that a broken `--templates` is one run-level error, not one per activity.
    pub fn without_branch(&self) -> Result<Arc<Engine>, EngineError> {
        let reference = match &self.cli_reference {
            Some(path) => Some(self.references.get(path, None).map_err(EngineError::Reference)?),
            None => None,
        };
        self.cached(None, reference).map_err(EngineError::Template)
    }

    /// The engine for an activity of this branch: built-ins, then the folder named by the
    /// branch's `templates` key, then `--templates`, each replacing the earlier by path.
    pub fn get(&self, branch: &Branch) -> Result<Arc<Engine>, EngineError> {
        // The reference .docx of `--reference-docx`, else of the branch's `reference_docx`.
        let reference = match (&self.cli_reference, &branch.file.reference_docx) {
            (Some(path), _) => Some(self.references.get(path, None).map_err(EngineError::Reference)?),
            (None, Some(key)) => {
                let base = branch.source.path.parent().unwrap_or(Path::new(""));
                let path = base.join(key.get_ref());
                let at = Some((&branch.source, key.span()));
                Some(self.references.get(&path, at).map_err(EngineError::Reference)?)
            }
            (None, None) => None,
        };
        match Engines::branch_folder(branch) {
            Some(Ok(dir)) => self.cached(Some(dir), reference).map_err(EngineError::Template),
            Some(Err(diagnostic)) => Err(EngineError::MissingFolder(diagnostic)),
            None => self.cached(None, reference).map_err(EngineError::Template),
        }
    }

    /// The folder branch.toml's `templates` key names, resolved against branch.toml's folder.
    pub fn branch_folder(branch: &Branch) -> Option<Result<PathBuf, Diagnostic>> {
        let key = branch.file.templates.as_ref()?;
        let base = branch.source.path.parent().unwrap_or(Path::new(""));
        let dir = base.join(key.get_ref());
        if dir.is_dir() {
            return Some(Ok(dir));
        }
        let what = if dir.exists() { "不是文件夹" } else { "不存在" };
        Some(Err(Diagnostic::error(&branch.source.path, format!("模板文件夹“{}”{what}", dir.display()))
            .at(&branch.source, key.span())
            .with_field("templates", "模板文件夹")
            .with_help(
                "templates 写的是相对于 branch.toml 的文件夹，其中放 typst/、markdown/ 子文件夹，例如 \"模板\"；\
                 可以用 pdb templates export 模板 导出内置模板再修改，或删去这一行使用内置模板",
            )))
    }

    /// `folder` as the user wrote it (messages show it so); the cache knows it by its real path.
    fn cached(&self, folder: Option<PathBuf>, reference: Option<(PathBuf, Arc<Reference>)>) -> Built {
        let key = folder.as_ref().map(|dir| dir.canonicalize().unwrap_or_else(|_| dir.clone()));
        let (reference_key, reference) = reference.unzip();
        // Held while building: two activities of one branch must not parse its templates twice.
        let mut cache = lock(&self.cache);
        cache
            .entry((key, reference_key))
            .or_insert_with(|| {
                let dirs: Vec<&Path> = folder.as_deref().into_iter().chain(self.cli.as_deref()).collect();
                let engine = Engine::layered(&dirs)?;
                Ok(Arc::new(match reference {
                    Some(reference) => engine.with_reference(reference),
                    None => engine,
                }))
            })
            .clone()
    }
}

/// Every template file under `dir` as (name relative to `dir`, path, text).
/// The user's templates that override nothing and that no other template includes, extends or
/// imports by name: most likely misnamed, so they would be silently ignored.
fn unused_templates(user: &[(String, String)], files: &BTreeMap<String, PathBuf>) -> Vec<String> {
    let builtins: Vec<String> = builtin().into_iter().map(|(name, _)| name).collect();
    let mut warnings = Vec::new();
    for (name, _) in user {
        if builtins.contains(name) {
            continue;
        }
        let file_name = name.rsplit('/').next().unwrap_or(name);
        if user.iter().any(|(other, text)| other != name && text.contains(file_name)) {
            continue;
        }
        let path = files.get(name).map_or_else(|| name.clone(), |p| crate::diagnostics::shown(p));
        let hint = match crate::diagnostics::did_you_mean(&name.to_lowercase(), builtins.iter().map(String::as_str)) {
            Some(close) => format!("您是不是要写 {close}？"),
            None => String::new(),
        };
        warnings.push(format!(
            "警告：模板 {path} 不对应任何内置模板，也没有被其他模板引用，所以没有用上。{hint}\
             模板要按内置模板的路径命名（pdb templates list 列出全部）"
        ));
    }
    warnings
}

fn read_folder(dir: &Path) -> Result<Vec<(String, PathBuf, String)>, TemplateError> {
    if !dir.is_dir() {
        return Err(TemplateError {
            file: dir.display().to_string(),
            line: None,
            column: None,
            message: "模板文件夹不存在；--templates 应指向含 typst/ 或 markdown/ 子文件夹的目录".into(),
        });
    }
    let mut out = Vec::new();
    // A symlinked template file or folder counts as the file it points to.
    for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter().filter_map(Result::ok) {
        let is_template = entry.path().extension().is_some_and(|e| e == "typ" || e == "md" || e == "xml");
        if !entry.file_type().is_file() || !is_template {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let name = crate::paths::slash_path(relative);
        let text = std::fs::read_to_string(entry.path()).map_err(|err| TemplateError {
            file: entry.path().display().to_string(),
            line: None,
            column: None,
            message: format!("无法读取模板（须为 UTF-8 文本）：{err}"),
        })?;
        out.push((name, entry.path().to_path_buf(), text));
    }
    Ok(out)
}

fn configure(tera: &mut Tera, format: Format) {
    tera.autoescape_on([".typ", ".md", ".xml"]);
    match format {
        Format::Typst => tera.set_escape_fn(escape::typst),
        Format::Markdown => tera.set_escape_fn(escape::markdown),
        // WordprocessingML: XML text, and the helpers that write paragraphs, runs and cells.
        Format::Docx => docx::xml::configure(tera),
    }
    // Joins paragraphs into one line: for table cells and headings.
    tera.register_filter("one_line", |text: &str, _: Kwargs, _: &State| crate::text::one_line(text));
    // A Typst string literal (or array of them) for code mode: document titles, font lists.
    tera.register_filter("typst_str", |value: Value, _: Kwargs, _: &State| {
        let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
        let literal = match value.as_array() {
            Some(items) => {
                let parts: Vec<String> = items.iter().map(|v| escape::typst_string(&text(v))).collect();
                format!("({},)", parts.join(", "))
            }
            None => escape::typst_string(&text(&value)),
        };
        Value::safe_string(&literal)
    });
}

// Activities render on rayon threads, sharing engines.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<Engines>();
    shared::<Arc<Engine>>();
};
