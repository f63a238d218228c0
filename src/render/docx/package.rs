//! The .docx package: a zip of XML parts in a fixed order with fixed timestamps, so that the
//! same input gives the same bytes. The parts that only depend on the house style (styles, font
//! table, footers, theme, numbering, settings) are compressed once per reference and copied raw
//! into each package.

use std::fmt::Write as _;
use std::io::{Cursor, Write};
use std::sync::OnceLock;

use chrono::NaiveDateTime;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::reference::Reference;
use super::xml::attribute;

pub(crate) const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub(crate) const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// An image embedded in the document, as `word/media/<name>`.
pub struct Media<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    /// Its relationship id, as the document's drawing names it.
    pub rid: String,
}

/// What docProps/core.xml says: the title, the author and the date the content is from.
pub struct Core<'a> {
    pub title: &'a str,
    pub creator: &'a str,
    /// In UTC.
    pub date: NaiveDateTime,
}

/// Where the page numbers go: centred, or GB/T 9704's outside edge (odd right, even left).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Footers {
    Centred,
    OddEven,
}

/// The parts of a reference that every package of it holds, compressed once.
pub(crate) struct StaticParts {
    zip: Vec<u8>,
    has_theme: bool,
    has_numbering: bool,
}

/// The footer with the page number, "— 1 —".
fn footer(reference: &Reference, align: &str, indent: &str) -> String {
    let fonts = reference.run_fonts.get("Footer").map(String::as_str).unwrap_or("");
    let run = |text: &str| format!("<w:r><w:rPr>{fonts}</w:rPr><w:t xml:space=\"preserve\">{text}</w:t></w:r>");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\">\
         <w:p><w:pPr><w:pStyle w:val=\"Footer\"/>{indent}<w:jc w:val=\"{align}\"/></w:pPr>{}\
         <w:fldSimple w:instr=\" PAGE \">{}</w:fldSimple>{}</w:p></w:ftr>",
        run("— "),
        run("1"),
        run(" —"),
    )
}

fn settings(odd_even: bool) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"{NS_W}\">\
         <w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"420\"/><w:evenAndOddHeaders w:val=\"{}\"/>\
         <w:drawingGridVerticalSpacing w:val=\"156\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>\
         <w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/>\
         <w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/>\
         <w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         <w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:settings>",
        if odd_even { "1" } else { "0" },
    )
}

impl StaticParts {
    pub(crate) fn of(reference: &Reference) -> &StaticParts {
        reference.parts.get_or_init(|| StaticParts::build(reference))
    }

    fn build(reference: &Reference) -> StaticParts {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let mut add = |name: &str, bytes: &[u8]| {
            // Compressed once per reference, so compress well; a part under 2 KB is stored.
            let method = if bytes.len() < 2048 { CompressionMethod::Stored } else { CompressionMethod::Deflated };
            let options =
                options(method).compression_level(if method == CompressionMethod::Deflated { Some(9) } else { None });
            zip.start_file(name, options).expect("writing to memory");
            zip.write_all(bytes).expect("writing to memory");
        };
        add("word/styles.xml", reference.styles.as_bytes());
        add("settings", settings(false).as_bytes());
        add("settings-odd-even", settings(true).as_bytes());
        add("word/fontTable.xml", reference.fonts.as_bytes());
        add("word/footer1.xml", footer(reference, "center", "").as_bytes());
        add("word/footer2.xml", footer(reference, "right", "<w:ind w:rightChars=\"100\" w:right=\"280\"/>").as_bytes());
        add("word/footer3.xml", footer(reference, "left", "<w:ind w:leftChars=\"100\" w:left=\"280\"/>").as_bytes());
        if let Some(theme) = &reference.theme {
            add("word/theme/theme1.xml", theme);
        }
        if let Some(numbering) = &reference.numbering {
            add("word/numbering.xml", numbering);
        }
        let zip = zip.finish().expect("writing to memory").into_inner();
        StaticParts { zip, has_theme: reference.theme.is_some(), has_numbering: reference.numbering.is_some() }
    }
}

/// Every entry gets the same timestamp: 1980-01-01, the zip format's first day.
fn options(method: CompressionMethod) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(method)
        .compression_level(if method == CompressionMethod::Deflated { Some(1) } else { None })
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
}

fn content_type(name: &str) -> (&str, &'static str) {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "png" => ("png", "image/png"),
        "gif" => ("gif", "image/gif"),
        "bmp" => ("bmp", "image/bmp"),
        "tif" | "tiff" => ("tiff", "image/tiff"),
        "webp" => ("webp", "image/webp"),
        _ => ("jpeg", "image/jpeg"),
    }
}

/// A whole .docx: `document` is word/document.xml as the template rendered it.
pub fn docx(document: &str, reference: &Reference, footers: Footers, media: &[Media], core: &Core) -> Vec<u8> {
    let parts = StaticParts::of(reference);
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(document.len() / 3 + 16 * 1024)));
    let deflated = options(CompressionMethod::Deflated);
    // The small parts are stored: starting a deflate stream costs more than their bytes.
    let small = options(CompressionMethod::Stored);
    let put = |zip: &mut ZipWriter<Cursor<Vec<u8>>>, name: &str, bytes: &[u8], options: SimpleFileOptions| {
        zip.start_file(name, options).expect("writing to memory");
        zip.write_all(bytes).expect("writing to memory");
    };

    let mut types = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>",
    );
    let mut extensions: Vec<&str> = Vec::new();
    let image_types: Vec<(String, &str)> = media
        .iter()
        .map(|m| {
            let ext = m.name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            (ext, content_type(m.name).1)
        })
        .collect();
    for (ext, mime) in &image_types {
        if !extensions.contains(&ext.as_str()) {
            extensions.push(ext);
            let _ = write!(types, "<Default Extension=\"{}\" ContentType=\"{mime}\"/>", attribute(ext));
        }
    }
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let mut overrides = vec![
        ("/word/document.xml", format!("{main}.document.main+xml")),
        ("/word/styles.xml", format!("{main}.styles+xml")),
        ("/word/settings.xml", format!("{main}.settings+xml")),
        ("/word/fontTable.xml", format!("{main}.fontTable+xml")),
        ("/word/footer1.xml", format!("{main}.footer+xml")),
        ("/word/footer2.xml", format!("{main}.footer+xml")),
        ("/word/footer3.xml", format!("{main}.footer+xml")),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml".to_string()),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml".to_string()),
    ];
    if parts.has_theme {
        overrides
            .push(("/word/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml".to_string()));
    }
    if parts.has_numbering {
        overrides.push(("/word/numbering.xml", format!("{main}.numbering+xml")));
    }
    for (part, mime) in &overrides {
        let _ = write!(types, "<Override PartName=\"{part}\" ContentType=\"{mime}\"/>");
    }
    types.push_str("</Types>");
    put(&mut zip, "[Content_Types].xml", types.as_bytes(), small);

    let package_rels = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"word/document.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"{REL}/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>"
    );
    put(&mut zip, "_rels/.rels", package_rels.as_bytes(), small);

    let date = core.date.format("%Y-%m-%dT%H:%M:%SZ");
    let core_xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator><cp:lastModifiedBy>pdb</cp:lastModifiedBy>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified></cp:coreProperties>",
        attribute(core.title),
        attribute(core.creator),
    );
    put(&mut zip, "docProps/core.xml", core_xml.as_bytes(), small);
    let app = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
               <Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
               <Application>pdb</Application></Properties>";
    put(&mut zip, "docProps/app.xml", app.as_bytes(), small);

    put(&mut zip, "word/document.xml", document.as_bytes(), deflated);

    let mut rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for (id, kind, target) in [
        ("rIdStyles", "styles", "styles.xml"),
        ("rIdSettings", "settings", "settings.xml"),
        ("rIdFontTable", "fontTable", "fontTable.xml"),
        ("rIdFooter", "footer", "footer1.xml"),
        ("rIdFooterOdd", "footer", "footer2.xml"),
        ("rIdFooterEven", "footer", "footer3.xml"),
    ] {
        let _ = write!(rels, "<Relationship Id=\"{id}\" Type=\"{REL}/{kind}\" Target=\"{target}\"/>");
    }
    if parts.has_theme {
        let _ = write!(rels, "<Relationship Id=\"rIdTheme\" Type=\"{REL}/theme\" Target=\"theme/theme1.xml\"/>");
    }
    if parts.has_numbering {
        let _ = write!(rels, "<Relationship Id=\"rIdNumbering\" Type=\"{REL}/numbering\" Target=\"numbering.xml\"/>");
    }
    for m in media {
        let _ = write!(
            rels,
            "<Relationship Id=\"{}\" Type=\"{REL}/image\" Target=\"media/{}\"/>",
            attribute(&m.rid),
            attribute(m.name)
        );
    }
    rels.push_str("</Relationships>");
    put(&mut zip, "word/_rels/document.xml.rels", rels.as_bytes(), small);

    // The house style's parts, copied as they were compressed.
    let mut archive = ZipArchive::new(Cursor::new(parts.zip.as_slice())).expect("the static parts were written by pdb");
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).expect("the static parts were written by pdb");
        let name = file.name().map(|n| n.into_owned()).unwrap_or_default();
        match name.as_str() {
            "settings" if footers == Footers::Centred => zip.raw_copy_file_rename(file, "word/settings.xml"),
            "settings-odd-even" if footers == Footers::OddEven => zip.raw_copy_file_rename(file, "word/settings.xml"),
            "settings" | "settings-odd-even" => continue,
            _ => zip.raw_copy_file(file),
        }
        .expect("writing to memory");
    }
    // Photos are compressed already.
    let stored = options(CompressionMethod::Stored);
    for m in media {
        put(&mut zip, &format!("word/media/{}", m.name), m.bytes, stored);
    }
    zip.finish().expect("writing to memory").into_inner()
}

/// The static parts of a reference, built on first use.
pub(crate) type PartsCell = OnceLock<StaticParts>;
