//! The template engine: built-in templates embedded in the binary, overridable by path from a
//! user's folder, one Tera instance per output format so each has its own escaping.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};
use walkdir::WalkDir;

use super::context::Packet;
use super::document::Document;
use super::escape;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Typst,
    Markdown,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Typst, Format::Markdown];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Typst => "typ",
            Format::Markdown => "md",
        }
    }

    /// The template folder of the format, under templates/.
    pub fn folder(self) -> &'static str {
        match self {
            Format::Typst => "typst",
            Format::Markdown => "markdown",
        }
    }

    pub fn template_name(self, document: Document) -> String {
        format!("{}/{}.{}", self.folder(), document.key(), self.extension())
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
                if path.ends_with(".typ") || path.ends_with(".md") && path.contains('/') {
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
    /// Template name → the user's file it came from.
    user_files: BTreeMap<String, PathBuf>,
    fingerprint: String,
}

impl Engine {
    /// Loads the built-ins, then the user's templates from `user_dir` by the same relative path.
    pub fn new(user_dir: Option<&Path>) -> Result<Engine, TemplateError> {
        let mut user: Vec<(String, String)> = Vec::new();
        let mut user_files = BTreeMap::new();
        if let Some(dir) = user_dir {
            if !dir.is_dir() {
                return Err(TemplateError {
                    file: dir.display().to_string(),
                    line: None,
                    column: None,
                    message: "模板文件夹不存在；--templates 应指向含 typst/ 或 markdown/ 子文件夹的目录".into(),
                });
            }
            for entry in WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
                let is_template = entry.path().extension().is_some_and(|e| e == "typ" || e == "md");
                if !entry.file_type().is_file() || !is_template {
                    continue;
                }
                let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                let name = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                let text = std::fs::read_to_string(entry.path()).map_err(|err| TemplateError {
                    file: entry.path().display().to_string(),
                    line: None,
                    column: None,
                    message: format!("无法读取模板（须为 UTF-8 文本）：{err}"),
                })?;
                user_files.insert(name.clone(), entry.path().to_path_buf());
                user.push((name, text));
            }
        }
        let mut hasher = blake3::Hasher::new();
        for (name, text) in builtin().iter().map(|(n, t)| (n.as_str(), *t)).chain(user.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            for part in [name.as_bytes(), b"\0", text.as_bytes(), b"\0"] {
                hasher.update(part);
            }
        }
        let fingerprint = hasher.finalize().to_hex().to_string();
        let mut engine = Engine { typst: Tera::new(), markdown: Tera::new(), user_files, fingerprint };
        for format in Format::ALL {
            let prefix = format!("{}/", format.folder());
            let mut templates: BTreeMap<String, String> = BTreeMap::new();
            for (name, text) in builtin().iter().filter(|(n, _)| n.starts_with(&prefix)) {
                templates.insert(name.clone(), text.to_string());
                templates.insert(format!("{BUILTIN_PREFIX}{name}"), text.to_string());
            }
            for (name, text) in user.iter().filter(|(n, _)| n.starts_with(&prefix)) {
                templates.insert(name.clone(), text.clone());
            }
            let tera = match format {
                Format::Typst => &mut engine.typst,
                Format::Markdown => &mut engine.markdown,
            };
            configure(tera, format);
            if let Err(err) = tera.add_raw_templates(templates) {
                return Err(engine.template_error(&err));
            }
        }
        Ok(engine)
    }

    pub fn render(&self, format: Format, document: Document, packet: &Packet) -> Result<String, TemplateError> {
        let context = Context::from_serialize(packet).map_err(|e| self.template_error(&e))?;
        self.render_context(format, document, &context)
    }

    pub fn render_context(&self, format: Format, document: Document, context: &Context) -> Result<String, TemplateError> {
        let tera = match format {
            Format::Typst => &self.typst,
            Format::Markdown => &self.markdown,
        };
        tera.render(&format.template_name(document), context).map_err(|e| self.template_error(&e))
    }

    /// Renders a template by name (e.g. `typst/ledger.typ`): for documents that are not per activity.
    pub fn render_template(&self, format: Format, name: &str, context: &Context) -> Result<String, TemplateError> {
        let tera = match format {
            Format::Typst => &self.typst,
            Format::Markdown => &self.markdown,
        };
        tera.render(name, context).map_err(|e| self.template_error(&e))
    }

    /// A hash of every template this engine uses, built-in and the user's: part of what a
    /// rendered output depends on.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Whether the user supplied any template (it then counts toward what a render depends on).
    pub fn user_templates(&self) -> impl Iterator<Item = &Path> {
        self.user_files.values().map(PathBuf::as_path)
    }

    fn template_error(&self, err: &tera::Error) -> TemplateError {
        match err.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let name = report.filename();
                let file = match self.user_files.get(name) {
                    Some(path) => path.display().to_string(),
                    None => format!("{}{}", if name.starts_with(BUILTIN_PREFIX) { "" } else { BUILTIN_PREFIX }, name),
                };
                let span = report.span();
                TemplateError {
                    file,
                    line: Some(span.start_line),
                    column: Some(span.start_col + 1),
                    message: report.message().to_string(),
                }
            }
            _ => TemplateError { file: "templates".into(), line: None, column: None, message: err.to_string() },
        }
    }
}

fn configure(tera: &mut Tera, format: Format) {
    tera.autoescape_on([".typ", ".md"]);
    match format {
        Format::Typst => tera.set_escape_fn(escape::typst),
        Format::Markdown => tera.set_escape_fn(escape::markdown),
    }
    // Joins paragraphs into one line: for table cells and headings.
    tera.register_filter("one_line", |text: &str, _: Kwargs, _: &State| escape::one_line(text));
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
