//! WordprocessingML for templates: the escape function of `docx/*.xml` and the helpers that
//! write a paragraph, a run, a table cell or a row, so that a template stays short and every run
//! names its fonts (`w:rFonts` with `w:eastAsia`) as its style has them.
//!
//! Every helper escapes the text it is given; its output is marked safe. The fonts, the page
//! setup and the photos come from the `docx` value pdb puts into the context (see `DocxView`).

use std::fmt::Write as _;
use std::io::{self, Write};

use tera::value::Key;
use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::text::paragraphs;

/// What ends a `<w:t>` run of text and starts the next one on a new line.
const LINE_BREAK: &str = "</w:t><w:br/><w:t xml:space=\"preserve\">";

/// `{{ value }}` in a `.xml` template, which stands inside `<w:t xml:space="preserve">`: XML text,
/// soft line breaks joined as in the other formats, a paragraph break as a line break.
pub fn text(input: &str, out: &mut dyn Write) -> io::Result<()> {
    let mut buf = String::with_capacity(input.len() + 16);
    for (i, paragraph) in paragraphs(input).iter().enumerate() {
        if i > 0 {
            buf.push_str(LINE_BREAK);
        }
        push_text(&mut buf, paragraph);
    }
    out.write_all(buf.as_bytes())
}

/// XML text of one paragraph: the five specials as entities, a tab as `<w:tab/>`, and what XML
/// 1.0 cannot hold (input refuses it; this only keeps the file readable) as U+FFFD.
fn push_text(buf: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => buf.push_str("&amp;"),
            '<' => buf.push_str("&lt;"),
            '>' => buf.push_str("&gt;"),
            '"' => buf.push_str("&quot;"),
            '\'' => buf.push_str("&apos;"),
            '\t' => buf.push_str("</w:t><w:tab/><w:t xml:space=\"preserve\">"),
            c if !is_xml_char(c) => buf.push('\u{FFFD}'),
            c => buf.push(c),
        }
    }
}

/// Characters XML 1.0 allows: tab, line feed, carriage return, and from U+0020 up, except the
/// two non-characters U+FFFE and U+FFFF.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// An attribute value (a photo's description, a link): one line, XML-escaped.
pub fn attribute(text: &str) -> String {
    let mut buf = String::with_capacity(text.len());
    push_text(&mut buf, &crate::text::one_line(text));
    buf.replace("</w:t><w:tab/><w:t xml:space=\"preserve\">", " ")
}

fn as_text(value: &Value) -> String {
    match value.as_str() {
        Some(s) => s.to_string(),
        None if value.is_none() || value.is_undefined() => String::new(),
        None => value.to_string(),
    }
}

/// The `<w:rFonts/>` of a run in `style`, as the style sheet resolves them (`docx_rpr`).
fn run_properties(state: &State, style: &str) -> TeraResult<String> {
    let value: Option<Value> = state.get("docx_rpr")?;
    let Some(fonts) = value.as_ref().and_then(Value::as_map) else {
        return Err(tera::Error::message("DOCX 模板缺少 pdb 提供的 docx_rpr 变量"));
    };
    let found = fonts.get(&Key::Str(style)).or_else(|| fonts.get(&Key::Str("Normal"))).and_then(Value::as_str);
    Ok(found.unwrap_or("").to_string())
}

/// One run of text: `<w:r><w:rPr>…</w:rPr><w:t>…</w:t></w:r>`.
fn push_run(buf: &mut String, rpr: &str, extra: &str, text: &str) {
    buf.push_str("<w:r>");
    if !rpr.is_empty() || !extra.is_empty() {
        buf.push_str("<w:rPr>");
        buf.push_str(rpr);
        buf.push_str(extra);
        buf.push_str("</w:rPr>");
    }
    buf.push_str("<w:t xml:space=\"preserve\">");
    push_text(buf, text);
    buf.push_str("</w:t></w:r>");
}

/// How `p` lays out its paragraphs.
#[derive(Default)]
struct ParagraphOptions<'a> {
    style: &'a str,
    /// Keep the last paragraph on the page of the next one (`w:keepNext`).
    keep: bool,
    /// Keep every paragraph with the next (a heading block, a photo with its caption).
    keep_all: bool,
    /// Start on a new page.
    page_break: bool,
    align: Option<&'a str>,
    /// A label before the first paragraph, then a tab (the `Info` lines: 时间、地点…).
    label: Option<String>,
    /// The right indent in hundredths of a character (the notice's signature and date).
    right: Option<i64>,
    /// Text before the first paragraph's text, and after the last one's.
    lead: String,
    tail: String,
}

fn paragraph_options<'a>(kwargs: &'a Kwargs) -> TeraResult<ParagraphOptions<'a>> {
    Ok(ParagraphOptions {
        style: kwargs.get::<&str>("style")?.unwrap_or("BodyText"),
        keep: kwargs.get::<bool>("keep")?.unwrap_or(false),
        keep_all: kwargs.get::<bool>("keep_all")?.unwrap_or(false),
        page_break: kwargs.get::<bool>("page_break")?.unwrap_or(false),
        align: kwargs.get::<&str>("align")?,
        label: kwargs.get::<Value>("label")?.map(|v| as_text(&v)),
        right: kwargs.get::<i64>("right")?,
        lead: kwargs.get::<Value>("lead")?.map(|v| as_text(&v)).unwrap_or_default(),
        tail: kwargs.get::<Value>("tail")?.map(|v| as_text(&v)).unwrap_or_default(),
    })
}

/// One `<w:p>` per paragraph of `text` (at least one), each in `style`.
fn push_paragraphs(buf: &mut String, text: &str, options: &ParagraphOptions, rpr: &str) {
    let mut parts = paragraphs(text);
    if parts.is_empty() {
        parts.push(String::new());
    }
    let last = parts.len() - 1;
    for (i, part) in parts.iter().enumerate() {
        buf.push_str("<w:p><w:pPr><w:pStyle w:val=\"");
        push_text(buf, options.style);
        buf.push_str("\"/>");
        if options.keep_all || (options.keep && i == last) {
            buf.push_str("<w:keepNext/>");
        }
        if options.page_break && i == 0 {
            buf.push_str("<w:pageBreakBefore/>");
        }
        if let Some(right) = options.right {
            let _ = write!(buf, "<w:ind w:rightChars=\"{right}\" w:right=\"{}\"/>", right * 16 / 5);
        }
        if let Some(align) = options.align {
            let _ = write!(buf, "<w:jc w:val=\"{}\"/>", attribute(align));
        }
        buf.push_str("</w:pPr>");
        if let (Some(label), 0) = (&options.label, i) {
            push_run(buf, rpr, "", label);
            buf.push_str("<w:r><w:tab/></w:r>");
        }
        let mut line = String::new();
        if i == 0 {
            line.push_str(&options.lead);
        }
        line.push_str(part);
        if i == last {
            line.push_str(&options.tail);
        }
        if !line.is_empty() {
            push_run(buf, rpr, "", &line);
        }
        buf.push_str("</w:p>");
    }
}

/// `{{ text | p(style="BodyText", keep=false, keep_all=false, page_break=false, align="center",
/// lead="…", tail="…") }}`: the text as paragraphs.
fn p(value: Value, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let options = paragraph_options(&kwargs)?;
    let rpr = run_properties(state, options.style)?;
    let mut buf = String::with_capacity(128);
    push_paragraphs(&mut buf, &as_text(&value), &options, &rpr);
    Ok(Value::safe_string(&buf))
}

/// `{{ text | r(style="BodyText", underline=false) }}`: one run, for a paragraph a template
/// writes itself; paragraph breaks in the text become line breaks.
fn r(value: Value, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let style = kwargs.get::<&str>("style")?.unwrap_or("BodyText");
    let extra = if kwargs.get::<bool>("underline")?.unwrap_or(false) { "<w:u w:val=\"single\"/>" } else { "" };
    let rpr = run_properties(state, style)?;
    let mut buf = String::new();
    for (i, part) in paragraphs(&as_text(&value)).iter().enumerate() {
        if i > 0 {
            buf.push_str("<w:r><w:br/></w:r>");
        }
        push_run(&mut buf, &rpr, extra, part);
    }
    Ok(Value::safe_string(&buf))
}

/// `{{ text | cell(w=1588, style="TableText", span=1, align="center", valign="center") }}`: a
/// table cell of width `w` (twips) holding the text's paragraphs.
fn cell(value: Value, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let width = kwargs.get::<f64>("w")?.unwrap_or(0.0).round() as i64;
    let span = kwargs.get::<i64>("span")?.unwrap_or(1);
    let valign = kwargs.get::<&str>("valign")?.unwrap_or("center");
    let mut options = paragraph_options(&kwargs)?;
    if kwargs.get::<&str>("style")?.is_none() {
        options.style = "TableText";
    }
    let rpr = run_properties(state, options.style)?;
    let mut buf = String::with_capacity(160);
    let _ = write!(buf, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
    if span > 1 {
        let _ = write!(buf, "<w:gridSpan w:val=\"{span}\"/>");
    }
    let _ = write!(buf, "<w:vAlign w:val=\"{}\"/></w:tcPr>", attribute(valign));
    push_paragraphs(&mut buf, &as_text(&value), &options, &rpr);
    buf.push_str("</w:tc>");
    Ok(Value::safe_string(&buf))
}

/// `{{ table(widths=[…], borders=true, margin=108) }}`: opens a table with fixed column widths (twips), in
/// `w:tblGrid` (WPS takes widths from it) and in `w:tblW`; close it with `</w:tbl>`.
fn table(kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let widths: Vec<f64> = kwargs.must_get::<Vec<f64>>("widths")?;
    let borders = kwargs.get::<bool>("borders")?.unwrap_or(true);
    // Left and right cell margins (twips) when the style's 108 are too wide for narrow columns.
    let margin = kwargs.get::<i64>("margin")?.map(|m| {
        format!(
            "<w:tblCellMar><w:left w:w=\"{m}\" w:type=\"dxa\"/><w:right w:w=\"{m}\" w:type=\"dxa\"/></w:tblCellMar>"
        )
    });
    let total: i64 = widths.iter().map(|w| w.round() as i64).sum();
    let mut buf = String::with_capacity(400);
    let style = if borders { "pdbTable" } else { "pdbPlainTable" };
    let _ = write!(
        buf,
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"{style}\"/><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
         <w:tblLayout w:type=\"fixed\"/>{}<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" \
         w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
        margin.unwrap_or_default()
    );
    for w in &widths {
        let _ = write!(buf, "<w:gridCol w:w=\"{}\"/>", w.round() as i64);
    }
    buf.push_str("</w:tblGrid>");
    Ok(Value::safe_string(&buf))
}

/// `{{ tr(header=false, height=0) }}`: opens a row that never splits across pages; a header
/// row repeats on every page; `height` (twips) is its least height. Close it with `</w:tr>`.
fn tr(kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let header = kwargs.get::<bool>("header")?.unwrap_or(false);
    let height = kwargs.get::<f64>("height")?.unwrap_or(0.0).round() as i64;
    let mut buf = String::from("<w:tr><w:trPr><w:cantSplit/>");
    if height > 0 {
        let _ = write!(buf, "<w:trHeight w:val=\"{height}\" w:hRule=\"atLeast\"/>");
    }
    if header {
        buf.push_str("<w:tblHeader/>");
    }
    buf.push_str("</w:trPr>");
    Ok(Value::safe_string(&buf))
}

/// `{{ section() }}`: the document's page setup (`w:sectPr`), last in the body.
fn section(_: Kwargs, state: &State) -> TeraResult<Value> {
    let docx: Option<Value> = state.get("docx")?;
    let sect = docx.as_ref().and_then(|d| d.get_from_path("section")).and_then(Value::as_str).unwrap_or("");
    Ok(Value::safe_string(sect))
}

/// `{{ picture(no=1) }}`: the run that shows photo `no`, scaled into its box, aspect ratio kept.
fn picture(kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let no = kwargs.must_get::<i64>("no")?;
    let docx: Option<Value> = state.get("docx")?;
    let drawing = docx
        .as_ref()
        .and_then(|d| d.get_from_path("photos"))
        .and_then(Value::as_array)
        .and_then(|photos| photos.get((no - 1).max(0) as usize))
        .and_then(|p| p.get_from_path("drawing"))
        .and_then(Value::as_str)
        .unwrap_or("");
    Ok(Value::safe_string(drawing))
}

/// `{{ text | link(href="…", style="TableText") }}`: a run that is a hyperlink (a field, so it
/// needs no relationship of its own).
fn link(value: Value, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let href = kwargs.must_get::<&str>("href")?;
    let style = kwargs.get::<&str>("style")?.unwrap_or("TableText");
    let rpr = run_properties(state, style)?;
    let target = attribute(href).replace("&quot;", "%22");
    let mut buf = format!("<w:fldSimple w:instr=\" HYPERLINK &quot;{target}&quot; \">");
    push_run(
        &mut buf,
        &rpr,
        "<w:color w:val=\"0563C1\"/><w:u w:val=\"single\"/>",
        &crate::text::one_line(&as_text(&value)),
    );
    buf.push_str("</w:fldSimple>");
    Ok(Value::safe_string(&buf))
}

/// `{{ repeat(value=680, n=12) }}`: a list of `n` times `value`, for the widths of `n` equal
/// columns (the register's activities), which Tera cannot build in a loop.
fn repeat(kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let value = kwargs.must_get::<Value>("value")?;
    let n = kwargs.must_get::<i64>("n")?.clamp(0, 1000) as usize;
    Ok(Value::from(vec![value; n]))
}

/// The escape function and helpers of the DOCX templates.
pub fn configure(tera: &mut Tera) {
    tera.set_escape_fn(text);
    tera.register_filter("p", p);
    tera.register_filter("r", r);
    tera.register_filter("cell", cell);
    tera.register_filter("link", link);
    tera.register_filter("attr", |value: Value, _: Kwargs, _: &State| Value::safe_string(&attribute(&as_text(&value))));
    tera.register_function("table", table);
    tera.register_function("tr", tr);
    tera.register_function("section", section);
    tera.register_function("picture", picture);
    tera.register_function("repeat", repeat);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(input: &str) -> String {
        let mut out = Vec::new();
        text(input, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn xml_specials_become_entities() {
        assert_eq!(escaped("<b>&\"'</b>"), "&lt;b&gt;&amp;&quot;&apos;&lt;/b&gt;");
    }

    #[test]
    fn soft_breaks_join_and_paragraphs_break_the_line() {
        assert_eq!(escaped("第一行\n第二行\n\n第二段"), format!("第一行第二行{LINE_BREAK}第二段"));
    }

    #[test]
    fn what_xml_cannot_hold_never_reaches_the_file() {
        assert_eq!(escaped("a\u{1}b\u{FFFF}"), "a\u{FFFD}b\u{FFFD}");
        assert!(is_xml_char('\u{10FFFF}') && !is_xml_char('\u{B}'));
    }
}
