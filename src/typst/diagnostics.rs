//! typst's diagnostics: parsed from its short format, and translated into pdb's own, each naming
//! the file of the activity's folder it is about.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Warning,
    Error,
}

/// A typst error or warning, from `--diagnostic-format short`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypstDiagnostic {
    pub level: Level,
    /// The file inside the activity's folder, e.g. `05-会议记录.typ`.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl TypstDiagnostic {
    pub(crate) fn error(message: String) -> TypstDiagnostic {
        TypstDiagnostic { level: Level::Error, file: None, line: None, column: None, message }
    }

    /// The text that no font could draw, when this is PDF/A's missing-glyph error:
    /// ``the text `"中"` could not be displayed with font `"Libertinus Serif"` ``.
    pub fn missing_glyphs(&self) -> Option<String> {
        let rest = self.message.split("the text `").nth(1)?;
        let (quoted, after) = rest.split_once('`')?;
        after.contains("could not be displayed").then(|| unquote(quoted))
    }

    /// Whether the warning is about fonts: an unknown family, a missing glyph.
    pub fn is_about_fonts(&self) -> bool {
        let m = self.message.to_lowercase();
        m.contains("font") || m.contains("glyph")
    }
}

/// Undoes the Rust-style debug quoting typst uses in messages: `"\u{f0001}"` → the character.
fn unquote(quoted: &str) -> String {
    let inner = quoted.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(quoted);
    let mut out = String::new();
    let mut rest = inner;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(hex) = rest.strip_prefix("u{").and_then(|r| r.split_once('}')) {
            if let Some(c) = u32::from_str_radix(hex.0, 16).ok().and_then(char::from_u32) {
                out.push(c);
                rest = hex.1;
                continue;
            }
        }
        let mut chars = rest.chars();
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(c) => out.push(c),
            None => {}
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out
}

/// Parses typst's short diagnostics: `file:line:col: warning: message` or `error: message`.
pub fn parse_diagnostics(stderr: &str) -> Vec<TypstDiagnostic> {
    let mut out: Vec<TypstDiagnostic> = Vec::new();
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        let found = [("error: ", Level::Error), ("warning: ", Level::Warning)].into_iter().find_map(|(tag, level)| {
            if let Some(message) = line.strip_prefix(tag) {
                return Some((None, level, message));
            }
            let at = line.find(&format!(": {tag}"))?;
            Some((Some(&line[..at]), level, &line[at + 2 + tag.len()..]))
        });
        match found {
            Some((place, level, message)) => {
                let (file, line_no, column) = place.map(split_place).unwrap_or((None, None, None));
                out.push(TypstDiagnostic { level, file, line: line_no, column, message: message.trim().to_string() });
            }
            // A continuation (a hint): keep it with the diagnostic before it.
            None => match out.last_mut() {
                Some(last) => {
                    last.message.push('；');
                    last.message.push_str(line.trim().trim_start_matches("= "));
                }
                None => out.push(TypstDiagnostic::error(line.trim().to_string())),
            },
        }
    }
    out
}

/// `05-会议记录.typ:12:3` → file, line, column (1-based, as typst prints them).
fn split_place(place: &str) -> (Option<String>, Option<usize>, Option<usize>) {
    let mut parts = place.rsplitn(3, ':');
    let column = parts.next().and_then(|c| c.parse().ok());
    let line = parts.next().and_then(|l| l.parse().ok());
    match (parts.next(), line, column) {
        (Some(file), Some(line), Some(column)) => (Some(file.to_string()), Some(line), Some(column)),
        _ => (Some(place.to_string()), None, None),
    }
}

/// typst's errors as pdb's, and its warnings as lines, each naming the file of the activity's
/// folder it is about. Missing glyphs (PDF/A refuses them) become one error with the fix.
pub fn translate<'a>(
    dir: &Path,
    diagnostics: impl Iterator<Item = &'a TypstDiagnostic>,
) -> (Vec<Diagnostic>, Vec<String>) {
    let mut seen = BTreeSet::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut missing = MissingGlyphs::default();
    for d in diagnostics {
        // The packet and a split PDF include the same file: say each thing once.
        if !seen.insert((d.file.clone(), d.line, d.column, d.message.clone())) {
            continue;
        }
        let path = d.file.as_ref().map_or_else(|| dir.to_path_buf(), |f| dir.join(f));
        let position = d.line.zip(d.column);
        match (d.level, d.missing_glyphs()) {
            (Level::Error, Some(text)) => missing.add(text, d.file.is_some().then_some((path, position))),
            (Level::Error, None) => {
                let message = match photo_at(dir, d).filter(|_| is_about_a_photo(&d.message)) {
                    Some(photo) => format!("照片“{photo}”无法放进 PDF：{}", d.message),
                    None => format!("typst 无法生成 PDF：{}", d.message),
                };
                let mut diagnostic = Diagnostic::error(&path, message).with_help(error_help(d));
                if let Some((line, column)) = position {
                    diagnostic = diagnostic.with_position(line, column);
                }
                errors.push(diagnostic);
            }
            (Level::Warning, _) => {
                let place = match position {
                    Some((line, column)) => format!("{}:{line}:{column}", path.display()),
                    None => path.display().to_string(),
                };
                let hint = if d.is_about_fonts() { "（pdb doctor 列出 typst 能用的字体）" } else { "" };
                warnings.push(format!("警告：{place}：typst：{}{hint}", d.message));
            }
        }
    }
    errors.extend(missing.diagnostic(dir));
    (errors, warnings)
}

/// The characters no font could draw, and the files (with the first place) they are in.
#[derive(Default)]
struct MissingGlyphs {
    texts: Vec<String>,
    files: Vec<(PathBuf, Option<(usize, usize)>)>,
}

impl MissingGlyphs {
    fn add(&mut self, text: String, file: Option<(PathBuf, Option<(usize, usize)>)>) {
        if !self.texts.contains(&text) {
            self.texts.push(text);
        }
        if let Some((path, position)) = file.filter(|(path, _)| !self.files.iter().any(|(p, _)| p == path)) {
            self.files.push((path, position));
        }
    }

    /// One error for all of them, with the fix.
    fn diagnostic(&self, dir: &Path) -> Option<Diagnostic> {
        if self.texts.is_empty() {
            return None;
        }
        let shown: Vec<String> = self
            .texts
            .iter()
            .map(|text| {
                let codes: Vec<String> = text.chars().map(|c| format!("U+{:04X}", c as u32)).collect();
                format!("“{text}”（{}）", codes.join(" "))
            })
            .collect();
        let files: Vec<String> =
            self.files.iter().filter_map(|(p, _)| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
        let (path, position) = self.files.first().cloned().unwrap_or_else(|| (dir.to_path_buf(), None));
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
        Some(diagnostic)
    }
}

fn error_help(d: &TypstDiagnostic) -> &'static str {
    if d.message.contains("超时") {
        "可能是某处文字特别长，或 typst 卡住了：请检查这个活动的记录；确需更长时间，可以加 --typst-timeout 秒数（默认 300）"
    } else if is_about_a_photo(&d.message) {
        "照片文件已损坏或 typst 不支持它的格式：请用图片软件打开它，另存为普通的 JPG 或 PNG 后再用"
    } else if d.message.contains("CMYK") {
        "照片是 CMYK 颜色的 JPEG，PDF/A 不接受：请把照片另存为普通（RGB）JPEG，或加 --pdf-standard 1.7"
    } else if d.message.contains("PDF/A") {
        "这是 PDF/A 归档格式的要求；可以加 --pdf-standard 1.7 生成普通 PDF"
    } else {
        GENERIC_HELP
    }
}

/// typst's words for an image it cannot use: a bad SVG, a broken JPEG.
fn is_about_a_photo(message: &str) -> bool {
    let m = message.to_lowercase();
    m.contains("svg") || m.contains("image") || m.contains("decode")
}

/// The photos of the document a typst error is in that can be what it is about: the SVG ones
/// for an SVG error, the others otherwise (typst names only the template line).
fn photo_at(dir: &Path, d: &TypstDiagnostic) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(d.file.as_ref()?)).ok()?;
    let svg = d.message.to_lowercase().contains("svg");
    let photos: Vec<&str> = text
        .split("(file: \"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| name.to_lowercase().ends_with(".svg") == svg)
        .collect();
    (!photos.is_empty()).then(|| photos.join("、"))
}

/// The fix of a typst error pdb cannot explain.
pub const GENERIC_HELP: &str = "若用了自定义模板（--templates），请按提示修改模板；否则请把这段信息报告给 pdb 的维护者";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_diagnostics_are_parsed_with_their_place() {
        let stderr = "05-会议记录.typ:12:3: warning: unknown font family: simhei\n\
                      error: PDF/A-2b error: the PDF is missing a CMYK profile\n\
                      01-会议通知.typ:2:7: error: PDF/A-2b error: the text `\"\\u{f0001}\"` could not be displayed with font `\"Noto Serif CJK SC\"`\n";
        let d = parse_diagnostics(stderr);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].level, Level::Warning);
        assert_eq!(d[0].file.as_deref(), Some("05-会议记录.typ"));
        assert_eq!((d[0].line, d[0].column), (Some(12), Some(3)));
        assert_eq!(d[0].message, "unknown font family: simhei");
        assert!(d[0].is_about_fonts());
        assert_eq!(d[1].file, None);
        assert_eq!(d[1].level, Level::Error);
        assert_eq!(d[2].missing_glyphs().as_deref(), Some("\u{f0001}"));
        assert_eq!(d[1].missing_glyphs(), None);
    }
}
