//! The house style of DOCX output, pandoc-style: the styles, theme, numbering and page setup of
//! a unit's own .docx (`--reference-docx`, branch.toml's `reference_docx`), or pdb's built-in ones.
//!
//! A unit's styles are matched to pdb's by their name (`heading 1`, `Body Text`, `pdb Plain`…),
//! never by their id: Chinese Word gives built-in styles ids such as `1` and `a3`. A matched
//! style is renamed to pdb's id, so the templates' `w:pStyle` find it; pdb's styles the file
//! lacks are added from the built-in set.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

use crate::diagnostics::Diagnostic;
use crate::source::SourceFile;

pub(crate) const BUILTIN_STYLES: &str = include_str!("parts/styles.xml");
pub(crate) const BUILTIN_FONTS: &str = include_str!("parts/fontTable.xml");

/// A4 in twips (1/20 pt).
pub const A4: (u32, u32) = (11906, 16838);

/// Page size, margins and document grid of a section, in twips.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSetup {
    pub width: u32,
    pub height: u32,
    pub top: u32,
    pub right: u32,
    pub bottom: u32,
    pub left: u32,
    pub header: u32,
    pub footer: u32,
    /// `<w:docGrid …/>` as the reference writes it.
    pub grid: Option<String>,
}

impl PageSetup {
    /// The width of the text block.
    pub fn text_width(&self) -> u32 {
        self.width.saturating_sub(self.left + self.right)
    }

    pub fn text_height(&self) -> u32 {
        self.height.saturating_sub(self.top + self.bottom)
    }

    /// Whether the grid is a character grid (a unit's 公文 template): the notice then takes it.
    pub fn has_character_grid(&self) -> bool {
        self.grid.as_deref().is_some_and(|g| g.contains("linesAndChars") || g.contains("snapToChars"))
    }
}

pub struct Reference {
    /// The unit's file; `None` for the built-in style.
    pub source: Option<PathBuf>,
    hash: String,
    pub(crate) styles: String,
    pub(crate) fonts: String,
    pub(crate) theme: Option<Vec<u8>>,
    pub(crate) numbering: Option<Vec<u8>>,
    /// The page setup of the unit's file; `None`: pdb's own for every document.
    pub page: Option<PageSetup>,
    /// Style id → the `<w:rFonts/>` every run of that style names.
    pub(crate) run_fonts: BTreeMap<String, String>,
    /// Normal's font size in half-points: the notice's character grid is counted from it.
    pub(crate) normal_size: u32,
    pub(crate) parts: super::package::PartsCell,
}

impl std::fmt::Debug for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reference").field("source", &self.source).field("hash", &self.hash).finish_non_exhaustive()
    }
}

impl Reference {
    pub fn builtin() -> Reference {
        let styles = parse_styles(BUILTIN_STYLES).expect("the built-in styles parse");
        let run_fonts = styles.run_fonts(None, &BTreeMap::new());
        Reference {
            source: None,
            hash: "builtin".to_string(),
            styles: BUILTIN_STYLES.to_string(),
            fonts: BUILTIN_FONTS.to_string(),
            theme: None,
            numbering: None,
            page: None,
            normal_size: styles.normal_size(),
            run_fonts,
            parts: Default::default(),
        }
    }

    /// A hash of the file, for the render fingerprint.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// Reads a unit's .docx; the error says what is wrong with it, in words a secretary acts on.
    pub fn read(path: &Path) -> Result<Reference, String> {
        let bytes = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "文件不存在".to_string(),
            _ => format!("无法读取：{e}"),
        })?;
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(|_| {
            "不是 Word 文档（.docx 是 zip 压缩包，这个文件打不开；.doc 格式请在 Word 中另存为 .docx）".to_string()
        })?;
        let mut part = |name: &str| -> Result<Option<Vec<u8>>, String> {
            let Ok(mut file) = zip.by_name(name) else { return Ok(None) };
            let mut out = Vec::new();
            file.read_to_end(&mut out).map_err(|e| format!("{name} 已损坏：{e}"))?;
            Ok(Some(out))
        };
        let styles = part("word/styles.xml")?
            .ok_or("缺少 word/styles.xml（不是 Word 保存的 .docx？请在 Word 或 WPS 中打开后另存为 .docx）")?;
        let styles = String::from_utf8(styles).map_err(|_| "word/styles.xml 不是 UTF-8".to_string())?;
        let document = part("word/document.xml")?.map(|d| String::from_utf8_lossy(&d).into_owned());
        let theme = part("word/theme/theme1.xml")?;
        let numbering = part("word/numbering.xml")?;
        let fonts = part("word/fontTable.xml")?.map(|f| String::from_utf8_lossy(&f).into_owned());

        let builtin = parse_styles(BUILTIN_STYLES).expect("the built-in styles parse");
        let theirs = parse_styles(&styles).map_err(|e| format!("word/styles.xml 无法解析：{e}"))?;
        let (merged, renamed) = merge_styles(&styles, &theirs, &builtin)?;
        let merged_styles = parse_styles(&merged).map_err(|e| format!("合并后的样式无法解析：{e}"))?;
        let theme_fonts = theme.as_deref().map(theme_east_asia).unwrap_or_default();
        let mut run_fonts = merged_styles.run_fonts(Some(&builtin), &theme_fonts);
        // A style the unit renamed keeps its fonts under pdb's id.
        for (old, new) in &renamed {
            if let Some(fonts) = run_fonts.get(new).cloned() {
                run_fonts.entry(old.clone()).or_insert(fonts);
            }
        }
        let page = document.as_deref().and_then(page_setup);
        Ok(Reference {
            source: Some(path.to_path_buf()),
            hash: crate::digest::hash(&bytes),
            styles: merged,
            fonts: merge_fonts(fonts.as_deref()),
            theme,
            numbering,
            page,
            normal_size: merged_styles.normal_size(),
            run_fonts,
            parts: Default::default(),
        })
    }
}

/// References read once per run, by their real path.
#[derive(Default)]
pub struct References {
    cache: Mutex<HashMap<PathBuf, Result<Arc<Reference>, String>>>,
}

impl References {
    /// The reference at `path`, with the key of its cache; a missing or broken file is an error
    /// pointing at `at` (branch.toml's `reference_docx`) when given, else at the file.
    pub fn get(
        &self,
        path: &Path,
        at: Option<(&SourceFile, Range<usize>)>,
    ) -> Result<(PathBuf, Arc<Reference>), Diagnostic> {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let read = {
            let mut cache = self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            cache.entry(key.clone()).or_insert_with(|| Reference::read(path).map(Arc::new)).clone()
        };
        match read {
            Ok(reference) => Ok((key, reference)),
            Err(why) => {
                let message = format!("Word 参考文档“{}”{why}", path.display());
                let help = "参考文档是本单位的一份 .docx（如以前的会议记录），pdb 取其中的样式、主题和页面设置；\
                            可以用 pdb templates export 模板 导出内置的 reference.docx，在 Word 中修改样式后使用";
                Err(match at {
                    Some((source, span)) => Diagnostic::error(&source.path, message)
                        .at(source, span)
                        .with_field("reference_docx", "Word 参考文档")
                        .with_help(format!("reference_docx 写的是相对于 branch.toml 的路径；{help}")),
                    None => Diagnostic::error(path, message).with_help(format!("检查 --reference-docx 的路径；{help}")),
                })
            }
        }
    }
}

/// What pdb needs of a styles.xml: each style's name, parent and fonts, and the defaults.
#[derive(Debug, Default)]
struct Styles {
    /// id → (name, basedOn, rFonts attributes)
    styles: BTreeMap<String, StyleInfo>,
    defaults: Vec<(String, String)>,
    /// docDefaults' font size, half-points.
    default_size: Option<u32>,
}

#[derive(Debug, Default, Clone)]
struct StyleInfo {
    name: String,
    based_on: Option<String>,
    fonts: Vec<(String, String)>,
    size: Option<u32>,
    /// Byte range of the whole `<w:style>` element in the text.
    range: Range<usize>,
}

fn attr(element: &BytesStart, name: &str) -> Option<String> {
    element.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| {
        a.normalized_value(quick_xml::XmlVersion::default()).map_or_else(|_| a.value.to_string(), |v| v.into_owned())
    })
}

fn attrs(element: &BytesStart) -> Vec<(String, String)> {
    element
        .attributes()
        .flatten()
        .map(|a| {
            let value = a
                .normalized_value(quick_xml::XmlVersion::default())
                .map_or_else(|_| a.value.to_string(), |v| v.into_owned());
            (a.key.as_ref().to_string(), value)
        })
        .collect()
}

fn parse_styles(text: &str) -> Result<Styles, String> {
    let mut reader = Reader::from_str(text);
    let mut out = Styles::default();
    let mut current: Option<(String, StyleInfo)> = None;
    let mut in_defaults = false;
    let mut in_rpr = false;
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| format!("第 {} 字节附近：{e}", reader.buffer_position()))?;
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "w:style" => {
                    let id = attr(&e, "w:styleId").unwrap_or_default();
                    current = Some((id, StyleInfo { range: start..start, ..Default::default() }));
                }
                "w:rPrDefault" => in_defaults = true,
                "w:rPr" => in_rpr = true,
                "w:name" => {
                    if let Some((_, info)) = current.as_mut() {
                        info.name = attr(&e, "w:val").unwrap_or_default();
                    }
                }
                "w:basedOn" => {
                    if let Some((_, info)) = current.as_mut() {
                        info.based_on = attr(&e, "w:val");
                    }
                }
                "w:sz" if in_rpr => {
                    let size = attr(&e, "w:val").and_then(|v| v.parse().ok());
                    match current.as_mut() {
                        Some((_, info)) => info.size = size,
                        None if in_defaults => out.default_size = size,
                        None => {}
                    }
                }
                "w:rFonts" if in_rpr => match current.as_mut() {
                    Some((_, info)) => info.fonts = attrs(&e),
                    None if in_defaults => out.defaults = attrs(&e),
                    None => {}
                },
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "w:style" => {
                    if let Some((id, mut info)) = current.take() {
                        info.range.end = reader.buffer_position() as usize;
                        out.styles.insert(id, info);
                    }
                }
                "w:rPrDefault" => in_defaults = false,
                "w:rPr" => in_rpr = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

const FONT_KEYS: [&str; 8] =
    ["w:ascii", "w:hAnsi", "w:eastAsia", "w:cs", "w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"];

impl Styles {
    /// Normal's font size (half-points), else the default, else Word's 10.5 pt.
    fn normal_size(&self) -> u32 {
        self.styles.get("Normal").and_then(|s| s.size).or(self.default_size).unwrap_or(21)
    }

    fn by_name(&self, name: &str) -> Option<(&String, &StyleInfo)> {
        self.styles.iter().find(|(_, info)| info.name.eq_ignore_ascii_case(name))
    }

    /// Each paragraph style's fonts, resolved through its parents to the defaults; an East Asian
    /// font that only a theme names is taken from the theme, and one still missing from pdb's
    /// own style of that name (`fallback`).
    fn run_fonts(&self, fallback: Option<&Styles>, theme: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (id, info) in &self.styles {
            let mut fonts: BTreeMap<&str, String> = BTreeMap::new();
            let mut chain = vec![info];
            let mut parent = info.based_on.as_ref();
            while let Some(p) = parent.and_then(|p| self.styles.get(p)) {
                if chain.len() > 20 {
                    break;
                }
                chain.push(p);
                parent = p.based_on.as_ref();
            }
            let levels = chain.iter().map(|s| &s.fonts).chain(std::iter::once(&self.defaults));
            for level in levels {
                for (key, value) in level {
                    if let Some(k) = FONT_KEYS.iter().find(|k| **k == key) {
                        fonts.entry(k).or_insert_with(|| value.clone());
                    }
                }
            }
            if !fonts.contains_key("w:eastAsia") {
                let themed = fonts
                    .get("w:eastAsiaTheme")
                    .and_then(|t| theme.get(if t.starts_with("major") { "major" } else { "minor" }));
                let from_builtin = || {
                    let builtin = fallback?;
                    let (bid, _) = builtin.by_name(&info.name)?;
                    builtin.run_fonts(None, theme).get(bid).and_then(|f| east_asia_of(f))
                };
                if let Some(name) = themed.cloned().or_else(from_builtin) {
                    fonts.insert("w:eastAsia", name);
                }
            }
            // The run names its fonts itself; theme attributes would override the names.
            let mut element = String::from("<w:rFonts");
            for key in ["w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"] {
                if let Some(value) = fonts.get(key) {
                    element.push_str(&format!(" {key}=\"{}\"", super::xml::attribute(value)));
                }
            }
            element.push_str("/>");
            out.insert(id.clone(), element);
        }
        out
    }
}

fn east_asia_of(rfonts: &str) -> Option<String> {
    let start = rfonts.find("w:eastAsia=\"")? + "w:eastAsia=\"".len();
    let end = rfonts[start..].find('"')? + start;
    Some(rfonts[start..end].to_string())
}

/// The theme's East Asian fonts for Simplified Chinese (`Hans`), by `major`/`minor`.
fn theme_east_asia(theme: &[u8]) -> BTreeMap<String, String> {
    let text = String::from_utf8_lossy(theme);
    let mut reader = Reader::from_str(&text);
    let mut out = BTreeMap::new();
    let mut which: Option<&str> = None;
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) if e.name().as_ref() == "a:majorFont" => which = Some("major"),
            Event::Start(e) if e.name().as_ref() == "a:minorFont" => which = Some("minor"),
            Event::Empty(e) | Event::Start(e) if e.name().as_ref() == "a:font" || e.name().as_ref() == "a:ea" => {
                let hans = e.name().as_ref() == "a:ea" || attr(&e, "script").as_deref() == Some("Hans");
                if let (Some(which), true, Some(face)) = (which, hans, attr(&e, "typeface")) {
                    if !face.is_empty() {
                        out.insert(which.to_string(), face);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The unit's styles.xml with its styles renamed to pdb's ids where the names match, and pdb's
/// styles it lacks added; also the renames (old id → pdb's id).
fn merge_styles(text: &str, theirs: &Styles, ours: &Styles) -> Result<(String, Vec<(String, String)>), String> {
    let mut renames: HashMap<String, String> = HashMap::new();
    let mut missing: Vec<&StyleInfo> = Vec::new();
    for (id, info) in &ours.styles {
        match theirs.by_name(&info.name) {
            Some((their_id, _)) if their_id != id => {
                renames.insert(their_id.clone(), id.clone());
            }
            Some(_) => {}
            // An id of theirs that is pdb's but named otherwise is theirs: pdb's is not added.
            None if theirs.styles.contains_key(id) => {}
            None => missing.push(info),
        }
    }
    let mut reader = Reader::from_str(text);
    let mut writer = Writer::new(Vec::with_capacity(text.len() + 8192));
    loop {
        let event = reader.read_event().map_err(|e| format!("word/styles.xml 无法解析：{e}"))?;
        let rewrite = |e: &BytesStart| -> Option<BytesStart<'static>> {
            let key: &str = match e.name().as_ref() {
                "w:style" => "w:styleId",
                "w:basedOn" | "w:next" | "w:link" => "w:val",
                _ => return None,
            };
            let value = attr(e, key)?;
            let new = renames.get(&value)?;
            let mut element = BytesStart::new(e.name().as_ref().to_string());
            for (k, v) in attrs(e) {
                element.push_attribute((k.as_str(), if k == key { new.as_str() } else { v.as_str() }));
            }
            Some(element)
        };
        let written = match &event {
            Event::Start(e) => rewrite(e).map(Event::Start),
            Event::Empty(e) => rewrite(e).map(Event::Empty),
            Event::End(e) if e.name().as_ref() == "w:styles" => {
                for info in &missing {
                    writer.get_mut().extend_from_slice(BUILTIN_STYLES[info.range.clone()].as_bytes());
                }
                None
            }
            Event::Eof => break,
            _ => None,
        };
        let result = match written {
            Some(event) => writer.write_event(event),
            None => writer.write_event(event.borrow()),
        };
        result.map_err(|e| format!("样式无法写出：{e}"))?;
    }
    let merged = String::from_utf8(writer.into_inner()).map_err(|_| "word/styles.xml 不是 UTF-8".to_string())?;
    Ok((merged, renames.into_iter().collect()))
}

/// pdb's font table, with the unit's fonts it does not name added.
fn merge_fonts(theirs: Option<&str>) -> String {
    let Some(theirs) = theirs else { return BUILTIN_FONTS.to_string() };
    let mut extra = String::new();
    let mut rest = theirs;
    while let Some(start) = rest.find("<w:font ") {
        let Some(len) = rest[start..].find("</w:font>") else { break };
        let element = &rest[start..start + len + "</w:font>".len()];
        let name = east_asia_like(element, "w:name=\"");
        if name.as_deref().is_some_and(|n| !BUILTIN_FONTS.contains(&format!("w:name=\"{n}\""))) {
            extra.push_str(element);
            extra.push('\n');
        }
        rest = &rest[start + len..];
    }
    BUILTIN_FONTS.replace("</w:fonts>", &format!("{extra}</w:fonts>"))
}

fn east_asia_like(element: &str, key: &str) -> Option<String> {
    let start = element.find(key)? + key.len();
    let end = element[start..].find('"')? + start;
    Some(element[start..end].to_string())
}

/// The page setup of the last section of a document.xml.
fn page_setup(document: &str) -> Option<PageSetup> {
    let start = document.rfind("<w:sectPr")?;
    let sect = &document[start..];
    let number = |element: &str, key: &str| -> Option<u32> {
        let at = sect.find(&format!("<{element} "))?;
        let end = sect[at..].find('>')? + at;
        let value = east_asia_like(&sect[at..end], &format!("{key}=\""))?;
        value.trim().parse::<f64>().ok().map(|v| v.max(0.0) as u32)
    };
    let grid = sect.find("<w:docGrid").and_then(|at| {
        let end = sect[at..].find("/>")? + at + 2;
        Some(sect[at..end].to_string())
    });
    Some(PageSetup {
        width: number("w:pgSz", "w:w").unwrap_or(A4.0),
        height: number("w:pgSz", "w:h").unwrap_or(A4.1),
        top: number("w:pgMar", "w:top").unwrap_or(1440),
        right: number("w:pgMar", "w:right").unwrap_or(1800),
        bottom: number("w:pgMar", "w:bottom").unwrap_or(1440),
        left: number("w:pgMar", "w:left").unwrap_or(1800),
        header: number("w:pgMar", "w:header").unwrap_or(851),
        footer: number("w:pgMar", "w:footer").unwrap_or(992),
        grid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_runs_name_their_east_asian_font() {
        let reference = Reference::builtin();
        assert!(reference.run_fonts["BodyText"].contains("w:eastAsia=\"仿宋_GB2312\""));
        assert!(reference.run_fonts["Heading1"].contains("w:eastAsia=\"黑体\""));
        assert!(reference.run_fonts["Title"].contains("w:eastAsia=\"方正小标宋简体\""));
    }

    #[test]
    fn a_chinese_word_style_id_is_renamed_to_pdbs() {
        let theirs = r#"<?xml version="1.0"?><w:styles xmlns:w="x"><w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:rPr><w:rFonts w:eastAsia="华文仿宋"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/></w:style></w:styles>"#;
        let parsed = parse_styles(theirs).unwrap();
        let builtin = parse_styles(BUILTIN_STYLES).unwrap();
        let (merged, _) = merge_styles(theirs, &parsed, &builtin).unwrap();
        assert!(merged.contains(r#"w:styleId="Normal""#) && merged.contains(r#"w:styleId="Heading1""#), "{merged}");
        assert!(merged.contains(r#"<w:basedOn w:val="Normal"/>"#), "{merged}");
        // pdb's Body Text is added, and takes the unit's Normal font.
        let styles = parse_styles(&merged).unwrap();
        let fonts = styles.run_fonts(Some(&builtin), &BTreeMap::new());
        assert!(fonts["BodyText"].contains("华文仿宋"), "{fonts:?}");
        assert!(fonts["Heading1"].contains("华文仿宋"), "{fonts:?}");
    }
}
