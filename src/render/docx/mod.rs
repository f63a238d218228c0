//! Word output: each document's `docx/*.xml` template renders word/document.xml from the same
//! view model as the other formats, and [`package`] zips it with the house style's parts.
//!
//! What the templates get besides the view model is layout only, in the `docx` value: the page
//! setup of the document, the fonts each style's runs name, the photos' drawings, the sign-in
//! sheet's row height and the notice signature's indents.

pub mod package;
pub mod reference;
pub mod xml;

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;

pub use package::{Core, Footers, Media};
pub use reference::{PageSetup, Reference, References};

use crate::model::Kind;

use super::document::Document;
use super::engine::{Engine, Format, TemplateError};
use super::view::Packet;
use super::RenderedFile;

/// How a document's pages are set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// GB/T 9704: 37/26/35/28 mm, 22 lines × 28 characters, page numbers on the outside edge.
    Notice,
    /// Internal records: 2.54 / 3.17 cm, or the reference's page setup.
    Record,
    /// The sign-in sheet: narrow margins, so that 25 rows fit on a page.
    SignIn,
    /// The 台账, the register and the 发展党员工作台账: A4 landscape.
    Ledger,
}

impl Layout {
    pub fn of(document: Document) -> Layout {
        match document {
            Document::Notice => Layout::Notice,
            Document::SignIn => Layout::SignIn,
            _ => Layout::Record,
        }
    }

    /// The page, the grid and where the page numbers go.
    pub fn page(self, reference: &Reference) -> (PageSetup, Footers) {
        let mm = |v: f64| (v * 1440.0 / 25.4).round() as u32;
        let page = |top, right, bottom, left, footer, grid: Option<String>| PageSetup {
            width: reference::A4.0,
            height: reference::A4.1,
            top: mm(top),
            right: mm(right),
            bottom: mm(bottom),
            left: mm(left),
            header: mm(15.0),
            footer: mm(footer),
            grid,
        };
        match self {
            Layout::Notice => {
                // 156 mm ÷ 28 characters, counted by Word from Normal's size in 1/4096 pt.
                let pitch = 156.0 / 25.4 * 72.0 / 28.0;
                let char_space = ((pitch - f64::from(reference.normal_size) / 2.0) * 4096.0).floor() as i64 - 1;
                let grid =
                    format!("<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"579\" w:charSpace=\"{char_space}\"/>");
                let grid = match &reference.page {
                    Some(theirs) if theirs.has_character_grid() => theirs.grid.clone(),
                    _ => Some(grid),
                };
                (page(37.0, 26.0, 35.0, 28.0, 22.0, grid), Footers::OddEven)
            }
            Layout::Record => match &reference.page {
                Some(theirs) => (theirs.clone(), Footers::Centred),
                None => (
                    page(
                        25.4,
                        31.7,
                        25.4,
                        31.7,
                        17.5,
                        Some("<w:docGrid w:type=\"lines\" w:linePitch=\"560\"/>".into()),
                    ),
                    Footers::Centred,
                ),
            },
            Layout::SignIn => (page(15.0, 25.0, 18.0, 25.0, 8.0, None), Footers::Centred),
            Layout::Ledger => {
                let mut landscape = page(18.0, 20.0, 18.0, 20.0, 8.0, None);
                (landscape.width, landscape.height) = (reference::A4.1, reference::A4.0);
                (landscape, Footers::Centred)
            }
        }
    }
}

/// `w:sectPr` of a page setup.
fn section(page: &PageSetup, footers: Footers, landscape: bool) -> String {
    let references = match footers {
        Footers::Centred => "<w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>",
        Footers::OddEven => {
            "<w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/><w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>"
        }
    };
    format!(
        "<w:sectPr>{references}<w:pgSz w:w=\"{}\" w:h=\"{}\"{}/><w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" \
         w:header=\"{}\" w:footer=\"{}\" w:gutter=\"0\"/><w:cols w:space=\"425\"/>{}</w:sectPr>",
        page.width,
        page.height,
        if landscape { " w:orient=\"landscape\"" } else { "" },
        page.top,
        page.right,
        page.bottom,
        page.left,
        page.header,
        page.footer,
        page.grid.as_deref().unwrap_or("<w:docGrid w:linePitch=\"312\"/>"),
    )
}

/// The `docx` value of a template's context.
#[derive(Debug, Serialize)]
pub struct DocxView {
    /// Width and height of the text block, in twips (1/20 pt): for table widths.
    pub width: u32,
    pub height: u32,
    /// `w:sectPr`, which `{{ section() }}` writes.
    pub section: String,
    /// Style id → the `w:rFonts` of its runs (in the context as `docx_rpr`, set once an activity).
    #[serde(skip)]
    pub rpr: BTreeMap<String, String>,
    pub photos: Vec<PhotoDrawing>,
    /// The sign-in sheet's signature row height, twips.
    pub sign_in_row: u32,
    /// The notice's signature and date: right indents in hundredths of a character.
    pub signature: SignatureIndents,
}

#[derive(Debug, Serialize)]
pub struct PhotoDrawing {
    pub drawing: String,
}

#[derive(Debug, Serialize)]
pub struct SignatureIndents {
    pub name: i64,
    pub date: i64,
}

impl DocxView {
    fn new(reference: &Reference, layout: Layout) -> (DocxView, Footers) {
        let (page, footers) = layout.page(reference);
        let view = DocxView {
            width: page.text_width(),
            height: page.text_height(),
            section: section(&page, footers, layout == Layout::Ledger),
            rpr: match layout {
                // 28 characters of 16 pt in 156 mm: each is 0.25 pt narrower than its size, so that
                // it fits its grid cell (Word fits characters to the grid; LibreOffice gives a
                // character wider than its cell two cells).
                Layout::Notice => reference
                    .run_fonts
                    .iter()
                    .map(|(style, fonts)| {
                        let narrower = if style == "Title" { "" } else { "<w:spacing w:val=\"-5\"/>" };
                        (style.clone(), format!("{fonts}{narrower}"))
                    })
                    .collect(),
                _ => reference.run_fonts.clone(),
            },
            photos: Vec::new(),
            sign_in_row: 680,
            signature: SignatureIndents { name: 200, date: 200 },
        };
        (view, footers)
    }
}

/// The date a document's content is from, in UTC: the activity's date and start, China time.
fn activity_time(packet: &Packet) -> NaiveDateTime {
    let date = NaiveDate::parse_from_str(&packet.act.date_iso, "%Y-%m-%d").unwrap_or_default();
    let start = NaiveTime::parse_from_str(&packet.act.start, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(&packet.act.start, "%H:%M"))
        .unwrap_or_default();
    china_to_utc(date.and_time(start))
}

/// China Standard Time (UTC+8) to UTC, never before 1980 (the zip format's first year).
pub fn china_to_utc(local: NaiveDateTime) -> NaiveDateTime {
    let utc = local - chrono::Duration::hours(8);
    let first = NaiveDate::from_ymd_opt(1980, 1, 1).unwrap_or_default().and_time(NaiveTime::MIN);
    utc.max(first)
}

/// Width of a text in characters: CJK and full-width 1, ASCII ½.
fn em_width(text: &str) -> i64 {
    let halves: i64 = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    (halves + 1) / 2
}

/// GB/T 9704 without a seal: the signature right-aligned with two characters of space, the
/// date under it starting two characters further right; a date longer than that keeps two
/// characters of space and moves the signature left.
fn signature_indents(name: &str, date: &str) -> SignatureIndents {
    let (s, d) = (em_width(name), em_width(date));
    if s >= d + 2 {
        SignatureIndents { name: 200, date: (s - d) * 100 }
    } else {
        SignatureIndents { name: (4 + d - s) * 100, date: 200 }
    }
}

/// The sign-in sheet's row height, as the PDF's: 12 mm for handwriting, lowered in half
/// millimetres down to 7 mm so that up to 25 members (with the guests' table, its title and
/// header) and the counts fit on one page; 12 mm again when they cannot.
fn sign_in_row(packet: &Packet, page: &PageSetup) -> u32 {
    let mm = |v: f64| v * 1440.0 / 25.4;
    let title_chars = em_width(&packet.act.title).max(1) as f64;
    let per_line = (f64::from(page.text_width()) / 440.0).floor().max(1.0);
    let title = (title_chars / per_line).ceil() * 580.0 + 660.0;
    let facts = 3 + usize::from(packet.act.kind_slug == "lecture") * 2 + usize::from(packet.act.theme.is_some());
    let header = facts as f64 * 380.0 + 200.0;
    let guests = packet.people.guests.len();
    // The guests' title line and header row, as the members' header and the counts line.
    let guest_head = if guests == 0 { 0.0 } else { 520.0 + 520.0 };
    let room = f64::from(page.text_height()) - title - header - 520.0 - 700.0 - 300.0 - guest_head;
    let rows = (packet.people.expected.len() + guests).max(1) as f64;
    let fits = (0..=10).map(|i| mm(12.0 - 0.5 * f64::from(i))).find(|h| h * rows <= room);
    fits.unwrap_or(mm(12.0)).floor() as u32
}

/// A photo's drawing: scaled into `box_w` × `box_h` twips, its aspect ratio kept.
fn drawing(no: usize, name: &str, caption: &str, bytes: &[u8], box_w: u32, box_h: u32) -> String {
    let (w, h) = imagesize::blob_size(bytes).map(|s| (s.width as f64, s.height as f64)).unwrap_or((4.0, 3.0));
    let (w, h) = if w > 0.0 && h > 0.0 { (w, h) } else { (4.0, 3.0) };
    let scale = (f64::from(box_w) / w).min(f64::from(box_h) / h);
    // 1 twip = 635 EMU.
    let (cx, cy) = ((w * scale * 635.0).round() as u64, (h * scale * 635.0).round() as u64);
    let descr = xml::attribute(caption);
    let name = xml::attribute(name);
    format!(
        "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\" \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\">\
         <wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>\
         <wp:docPr id=\"{no}\" name=\"照片{no}\" descr=\"{descr}\"/><wp:cNvGraphicFramePr>\
         <a:graphicFrameLocks xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" noChangeAspect=\"1\"/>\
         </wp:cNvGraphicFramePr><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">\
         <a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
         <pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:nvPicPr>\
         <pic:cNvPr id=\"{no}\" name=\"{name}\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>\
         <a:blip r:embed=\"rIdPhoto{no}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
         <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm>\
         <a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>\
         </wp:inline></w:drawing></w:r>"
    )
}

/// Every given document of one view model as a .docx. `files` holds the photos the pipeline
/// copies beside the documents (by their output names): the photo record embeds them.
pub fn render_documents(
    engine: &Engine,
    packet: &Packet,
    documents: &[Document],
    kind: Kind,
    files: &[RenderedFile],
) -> Result<Vec<RenderedFile>, TemplateError> {
    let reference = engine.reference();
    let mut context = tera::Context::from_serialize(packet).expect("the view model serializes to a map");
    let date = activity_time(packet);
    let mut out = Vec::with_capacity(documents.len());
    let mut last_layout = None;
    for &document in documents {
        let layout = Layout::of(document);
        let (mut view, footers) = DocxView::new(reference, layout);
        let mut media = Vec::new();
        match document {
            Document::Notice => {
                let date = packet.act.notice_date.as_deref().unwrap_or("＿＿＿＿年＿＿月＿＿日");
                view.signature = signature_indents(&packet.act.issuer, date);
            }
            Document::SignIn => view.sign_in_row = sign_in_row(packet, &layout.page(reference).0),
            Document::Photos => {
                // Half the page each, less the title on the first page and two caption lines under each.
                let box_h = (view.height.saturating_sub(2400) / 2).saturating_sub(1300);
                for photo in &packet.photos {
                    let Some(file) = files.iter().find(|f| f.name == photo.file) else { continue };
                    let caption = photo.caption.as_deref().unwrap_or("");
                    view.photos.push(PhotoDrawing {
                        drawing: drawing(photo.no, &photo.file, caption, &file.contents, view.width, box_h),
                    });
                    media.push(Media {
                        name: &photo.file,
                        bytes: &file.contents,
                        rid: format!("rIdPhoto{}", photo.no),
                    });
                }
            }
            _ => {}
        }
        // The fonts change only for the notice (its grid): set them once for the rest.
        if document == Document::Notice || documents.first() == Some(&document) || last_layout == Some(Layout::Notice) {
            context.insert("docx_rpr", &view.rpr);
        }
        last_layout = Some(layout);
        context.insert("docx", &view);
        let xml = engine.render_context(Format::Docx, document, &context)?;
        let title = format!("{}{}", packet.act.title, document.title(kind));
        let core = Core { title: &title, creator: &packet.branch.name, date };
        out.push(RenderedFile {
            name: format!("{}.docx", document.stem(kind)),
            contents: package::docx(&xml, reference, footers, &media, &core),
        });
    }
    Ok(out)
}

/// A document of its own, rendered from a context pdb built for it (the 台账, the register, an
/// applicant's 纪实表 and 公示): its page and what its package says of it.
pub struct Single<'a> {
    pub layout: Layout,
    pub title: &'a str,
    pub creator: &'a str,
    /// China time: the date of its last fact, so that a second run gives the same bytes.
    pub date: NaiveDateTime,
    /// A notice-style signature: the signer and the date, for their right indents.
    pub signature: Option<(&'a str, &'a str)>,
}

/// One document as a .docx from template `name` and `context`.
pub fn single(engine: &Engine, name: &str, context: &tera::Context, single: &Single) -> Result<Vec<u8>, TemplateError> {
    let reference = engine.reference();
    let (mut view, footers) = DocxView::new(reference, single.layout);
    if let Some((signer, date)) = single.signature {
        view.signature = signature_indents(signer, date);
    }
    let mut context = context.clone();
    context.insert("docx_rpr", &view.rpr);
    context.insert("docx", &view);
    let xml = engine.render_template(Format::Docx, name, &context)?;
    let core = Core { title: single.title, creator: single.creator, date: china_to_utc(single.date) };
    Ok(package::docx(&xml, reference, footers, &[], &core))
}

/// The 台账 as a .docx, from the ledger's context; `date` is its last activity's (China time).
pub fn ledger(
    engine: &Engine,
    name: &str,
    context: &tera::Context,
    title: &str,
    creator: &str,
    date: NaiveDateTime,
) -> Result<Vec<u8>, TemplateError> {
    single(engine, name, context, &Single { layout: Layout::Ledger, title, creator, date, signature: None })
}

/// The default reference.docx that `pdb templates export` writes: every style pdb uses, each in
/// a sample paragraph, and the internal records' page setup. A unit changes the styles in Word
/// and names the file in branch.toml (`reference_docx`).
pub fn default_reference() -> Vec<u8> {
    let reference = Reference::builtin();
    let (page, footers) = Layout::Record.page(&reference);
    let fonts = |style: &str| reference.run_fonts.get(style).cloned().unwrap_or_default();
    let paragraph = |style: &str, text: &str| {
        let mut escaped = Vec::new();
        xml::text(text, &mut escaped).expect("writing to memory");
        format!(
            "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr><w:r><w:rPr>{}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            fonts(style),
            String::from_utf8_lossy(&escaped)
        )
    };
    let samples = [
        ("Title", "标题（Title）：2号小标宋"),
        ("Subtitle", "副标题（Subtitle）：材料名称，楷体"),
        ("Heading1", "一、一级标题（heading 1）：黑体"),
        ("Heading2", "（一）二级标题（heading 2）：楷体"),
        ("BodyText", "正文（Body Text）：3号仿宋，首行缩进2字。pdb 的会议记录、主持词、纪要等正文都用这个样式；修改它的字体、字号、行距，所有材料随之改变。"),
        ("Plain", "不缩进的段落（pdb Plain）：称呼、议程条目等。"),
        ("Info", "时　　间：\u{3000}信息行（pdb Info），4号"),
        ("Signature", "署名（pdb Signature）"),
        ("Caption", "照片说明（caption）"),
        ("TableText", "表格文字（pdb Table Text）"),
        ("TableHeading", "表头（pdb Table Heading）"),
        ("TableSmall", "小号表格文字（pdb Table Small）：纪实表"),
        ("TableSmallHeading", "小号表头（pdb Table Small Heading）"),
        ("LedgerText", "台账表格文字（pdb Ledger Text）"),
        ("Note", "说明文字（pdb Note）"),
    ];
    let mut body = String::new();
    for (style, text) in samples {
        body.push_str(&paragraph(style, text));
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"{}\" xmlns:r=\"{}\"><w:body>{body}{}</w:body></w:document>",
        package::NS_W,
        package::NS_R,
        section(&page, footers, false)
    );
    let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default().and_time(NaiveTime::MIN);
    let core = Core { title: "pdb 参考文档（reference.docx）", creator: "pdb", date };
    package::docx(&document, &reference, footers, &[], &core)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_signature_sits_two_characters_from_the_right_and_the_date_two_further_right() {
        // 19 characters over 2026年10月29日, which is 3 characters and 8 half-width digits: 7.
        let indents = signature_indents("中共某某县卫生健康局机关第一支部委员会", "2026年10月29日");
        assert_eq!((indents.name, indents.date), (200, 1200));
        // A short name: the date keeps two characters, the signature starts two before it.
        let short = signature_indents("某支部", "2026年10月29日");
        assert_eq!((short.name, short.date), (800, 200));
    }
}
