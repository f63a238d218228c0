//! Errors and findings, with the file, line, column and field a secretary needs to fix them.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::{Deserialize, Serialize};

/// Errors stop an activity from rendering; findings are rule breaks reported beside the packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Finding,
}

/// One message about one place in one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Dotted TOML path, e.g. `attendance.absent[0].name`.
    pub field: Option<String>,
    /// The field's Chinese label, e.g. `请假人员姓名`.
    pub label: Option<String>,
    pub message: String,
    pub help: Option<String>,
    #[serde(skip)]
    excerpt: Option<Excerpt>,
}

/// The quoted source line and the byte range to underline within it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Excerpt {
    text: String,
    range: Range<usize>,
}

impl Diagnostic {
    pub fn error(file: &Path, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, message)
    }

    pub fn finding(file: &Path, message: impl Into<String>) -> Self {
        Self::new(Severity::Finding, file, message)
    }

    fn new(severity: Severity, file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: file.to_path_buf(),
            line: None,
            column: None,
            field: None,
            label: None,
            message: message.into(),
            help: None,
            excerpt: None,
        }
    }

    /// Points at a byte span of a file's text (a `SourceFile`), quoting its first line.
    pub fn at(mut self, source: &impl AsRef<str>, span: Range<usize>) -> Self {
        let text = source.as_ref();
        let start = span.start.min(text.len());
        let (line, column) = crate::text::line_column(text, start);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        let end = span.end.clamp(start, line_start + line_text.len());
        let mut range = (start - line_start)..(end - line_start);
        if range.is_empty() {
            // Underline at least one character so the caret is visible.
            let width = line_text[range.start..].chars().next().map_or(0, char::len_utf8);
            range.end = range.start + width;
        }
        self.line = Some(line);
        self.column = Some(column);
        self.excerpt = Some(Excerpt { text: line_text.to_string(), range });
        self
    }

    pub fn with_position(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// `label` may be empty when the key is not part of the format (an unknown key).
    pub fn with_field(mut self, field: impl Into<String>, label: impl Into<String>) -> Self {
        let label = label.into();
        self.field = Some(field.into());
        self.label = (!label.is_empty()).then_some(label);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The quoted source line and the byte range underlined in it: kept with a cached diagnostic
    /// (an unchanged activity's findings are replayed from its output manifest).
    pub fn excerpt(&self) -> Option<(&str, Range<usize>)> {
        self.excerpt.as_ref().map(|e| (e.text.as_str(), e.range.clone()))
    }

    pub fn with_excerpt(mut self, text: impl Into<String>, range: Range<usize>) -> Self {
        self.excerpt = Some(Excerpt { text: text.into(), range });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, the way editors and terminals link to a place.
    pub fn location(&self) -> String {
        let file = shown(&self.file);
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{file}:{line}:{column}"),
            _ => file.to_string(),
        }
    }

    /// Renders the diagnostic with a source snippet; `styled` adds terminal colours.
    pub fn render(&self, styled: bool) -> String {
        let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
        let level = match self.severity {
            Severity::Error => Level::ERROR.with_name("错误"),
            Severity::Finding => Level::WARNING.with_name("发现"),
        };
        let path = shown(&self.file);
        let field_note = self.field.as_ref().map(|field| match &self.label {
            Some(label) => format!("字段 {field}（{label}）"),
            None => format!("字段 {field}"),
        });
        let title = level.primary_title(self.message.as_str());
        let mut group = match &self.excerpt {
            Some(excerpt) => {
                let mut annotation = AnnotationKind::Primary.span(excerpt.range.clone());
                if let Some(note) = &field_note {
                    annotation = annotation.label(note.as_str());
                }
                Group::with_title(title).element(
                    Snippet::source(excerpt.text.as_str())
                        .line_start(self.line.unwrap_or(1))
                        .path(path.as_str())
                        .annotation(annotation),
                )
            }
            None => {
                let mut origin = Origin::path(path.as_str());
                if let (Some(line), Some(column)) = (self.line, self.column) {
                    origin = origin.line(line).char_column(column);
                }
                let group = Group::with_title(title).element(origin);
                match &field_note {
                    Some(note) => group.element(Level::NOTE.with_name("位置").message(note.as_str())),
                    None => group,
                }
            }
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.with_name("修改建议").message(help.as_str()));
        }
        renderer.render(&[group])
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostic {}

/// A path as printed to a terminal: control characters (ESC, newlines) and bidi overrides in a
/// file name are written as `\u{1B}`, so a name cannot move the cursor, recolour the terminal or
/// fake a line of output.
pub fn shown(path: &Path) -> String {
    escape_for_terminal(&path.display().to_string())
}

/// Text as printed to a terminal (see [`shown`]).
pub fn escape_for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || crate::chars::is_bidi_control(c) {
            out.push_str(&format!("\\u{{{:X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Suggests the closest candidate for a misspelt key or name, if one is close enough.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::normalized_damerau_levenshtein(input, candidate), candidate))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}
