//! Word output (`--format docx`): what a reader of the .docx sees (python-docx), what an office
//! suite prints (LibreOffice → PDF → pdftotext), the package's structure (A4, the notice's grid,
//! East Asian fonts, table grids, repeated header rows, photos), byte-identical re-runs, and the
//! unit's reference .docx. Tools that are missing skip their part with a note, except under
//! `CI=true`, where they are required.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::tools::{have, Tool, PDFTOTEXT};
use crate::common::{Output, Test, BRANCH};

const PYTHON_DOCX: Tool = Tool("python3", "-cimport docx");
const SOFFICE: Tool = Tool("soffice", "--version");

fn quarter() -> Output {
    let out =
        Test::new().example().args(&["render", "2026Q4", "--format", "docx", "-o", "out", "--period", "2026Q4"]).run();
    out.assert_status(0);
    out
}

const READ_DOCX: &str = r#"
import json, sys, docx
from docx.text.paragraph import Paragraph
out = {}
for path in sys.argv[1:]:
    d = docx.Document(path)
    out[path] = [Paragraph(p, d).text for p in d.element.body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")]
print(json.dumps(out, ensure_ascii=False))
"#;

/// The paragraphs of each .docx, as python-docx reads them (table cells included, in order);
/// `None` when python-docx is missing.
pub(crate) fn paragraphs(files: &[PathBuf]) -> Option<BTreeMap<String, Vec<String>>> {
    if !have(&[PYTHON_DOCX], "the python-docx part (pip install python-docx)") {
        return None;
    }
    let output = Command::new("python3").arg("-c").arg(READ_DOCX).args(files).output().unwrap();
    assert!(output.status.success(), "python-docx cannot open them: {}", String::from_utf8_lossy(&output.stderr));
    let parsed: BTreeMap<String, Vec<String>> = serde_json::from_slice(&output.stdout).unwrap();
    Some(parsed.into_iter().map(|(path, text)| (name(Path::new(&path)), text)).collect())
}

fn name(path: &Path) -> String {
    let parent =
        path.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!("{parent}/{}", path.file_name().unwrap().to_string_lossy())
}

/// One part of a .docx, as text.
fn part(docx: &Path, part: &str) -> String {
    let bytes = std::fs::read(docx).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(part).unwrap_or_else(|_| panic!("{} has no {part}", docx.display())).read_to_string(&mut text).unwrap();
    text
}

fn entries(docx: &Path) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(std::fs::read(docx).unwrap())).unwrap();
    zip.file_names().filter_map(Result::ok).map(|n| n.into_owned()).collect()
}

/// The facts each document of the example quarter must show.
const FACTS: &[(&str, &[&str])] = &[
    (
        "2026-11-05-支部党员大会/01-会议通知.docx",
        &[
            "关于召开接收李明同志为预备党员、郑丽华同志转正和选举出席局机关党代会代表的支部党员大会的通知",
            "2026年11月5日（星期四）14:30—16:40",
            "局机关三楼会议室",
            "全体党员（应到14人）",
            "中共某某县卫生健康局机关第一支部委员会",
            "2026年10月29日",
        ],
    ),
    (
        "2026-11-05-支部党员大会/03-主持词.docx",
        &[
            "应到14人，实到12人（正式党员10人，预备党员2人），请假2人：赵强同志（出差）、马俊同志（病假）",
            "表决结果：同意10票，不同意0票，弃权0票，通过。",
            "表决结果：共11票（含书面意见1份），同意10票，不同意0票，弃权1票，通过。",
            "选举结果：发出选票10张，收回10张",
            "散会",
        ],
    ),
    ("2026-11-05-支部党员大会/04-签到表.docx", &["张建国", "徐文博", "请假：出差", "应到14人", "实到12人", "请假2人"]),
    (
        "2026-11-05-支部党员大会/05-会议记录.docx",
        &[
            "2026年11月5日（星期四）14:30—16:40",
            "陈静",
            "赵强（请假：出差）；马俊（请假：病假）",
            "刘洋：李明同志政治立场坚定",
            "表决情况：同意10票，不同意0票，弃权0票，通过。",
            "表决情况：共11票（含书面意见1份），同意10票，不同意0票，弃权1票，通过。",
            "选举人数：应到会有选举权的正式党员12名",
            "散会。",
            "主持人（签字）：",
            "记录人（签字）：",
        ],
    ),
    ("2026-11-25-主题党日/01-活动通知.docx", &["2026年11月25日（星期三）", "重温入党誓词 践行健康为民初心"]),
    ("2026-11-25-主题党日/06-影像资料.docx", &["照片1：", "照片2：", "某某县革命历史纪念馆、城关镇卫生院"]),
    ("2026-10-09-支委会/05-会议记录.docx", &["支部委员会"]),
];

/// The guests' table of the sign-in sheet, as python-docx reads it: the title, the header and
/// each guest's number, name, title and empty signature cell, then the counts.
#[test]
fn the_guests_sign_in_below_the_members() {
    let out = quarter();
    let sheets =
        [out.path("out/2026-11-05-支部党员大会/04-签到表.docx"), out.path("out/2026-10-09-支委会/04-签到表.docx")];
    let Some(texts) = paragraphs(&sheets) else { return };
    let congress = &texts["2026-11-05-支部党员大会/04-签到表.docx"];
    let at = congress.iter().position(|p| p == "列席人员签到").unwrap_or_else(|| panic!("{congress:?}"));
    assert_eq!(congress[at - 5..at], ["14", "徐文博", "正式党员", "", ""], "after the last member");
    let guests = [
        "序号",
        "姓名",
        "职务/单位",
        "签名",
        "1",
        "李明",
        "入党申请人（发展对象）",
        "",
        "2",
        "孙丽",
        "中共某某县卫生健康局委员会委员",
        "",
        "应到14人　　实到12人　　请假2人",
    ];
    assert_eq!(congress[at + 1..], guests);
    // No guests, no table.
    let committee = &texts["2026-10-09-支委会/04-签到表.docx"];
    assert!(!committee.iter().any(|p| p.contains("列席")), "{committee:?}");
}

#[test]
fn every_example_docx_opens_and_shows_its_facts() {
    let out = quarter();
    let files = out.files("out", "docx");
    // 8 activities (six documents each, 06 with photos, 08 with reflections), the 台账, the
    // register, the 发展党员工作台账 and the applicants' documents.
    assert!(files.len() > 8 * 6, "{files:?}");
    for name in ["台账.docx", "党员参加组织生活情况.docx", "发展党员工作台账.docx", "01-发展党员全程纪实表.docx"]
    {
        assert!(files.iter().any(|f| f.ends_with(name)), "{name} not in {files:?}");
    }
    let Some(texts) = paragraphs(&files) else { return };
    let mut failures = Vec::new();
    for (file, facts) in FACTS {
        let text = texts.get(*file).unwrap_or_else(|| panic!("no {file} among {:?}", texts.keys()));
        let joined = text.join("\n");
        for fact in *facts {
            if !joined.contains(fact) {
                failures.push(format!("{file}: missing {fact:?}"));
            }
        }
    }
    // The notice, agenda, sign-in sheet, minutes and photos name the date with its weekday.
    for (file, text) in &texts {
        let joined = text.join("");
        // (An activity's folder starts with its date; an applicant's is the person's name.)
        let activity = file.starts_with(|c: char| c.is_ascii_digit());
        let dated = activity && ["/01-", "/02-", "/04-", "/05-", "/06-"].iter().any(|n| file.contains(n));
        if dated && !joined.contains("（星期") {
            failures.push(format!("{file}: no date with weekday"));
        }
    }
    let ledger = &texts["out/台账.docx"].join("\n");
    assert!(ledger.contains("2026年第四季度") && ledger.contains("频次检查"), "{ledger}");
    assert!(failures.is_empty(), "{}\n{texts:#?}", failures.join("\n"));
}

#[test]
fn the_notice_is_gbt_9704_and_the_records_are_a4_with_ordinary_margins() {
    let out = Test::new()
        .example()
        .args(&["render", "2026Q4/2026-11-05-支部党员大会.toml", "--format", "docx", "-o", "out"])
        .run();
    out.assert_status(0);
    let dir = out.path("out/2026-11-05-支部党员大会");
    let notice = part(&dir.join("01-会议通知.docx"), "word/document.xml");
    // A4; 天头 37 mm, 订口 28 mm, right 26 mm, bottom 35 mm; 22 lines of 28 characters.
    assert!(notice.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#), "{notice}");
    assert!(notice.contains(r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#), "{notice}");
    assert!(notice.contains(r#"<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace=""#), "{notice}");
    // Page numbers: odd pages right, even pages left.
    assert!(notice.contains(r#"w:type="even" r:id="rIdFooterEven""#), "{notice}");
    assert!(part(&dir.join("01-会议通知.docx"), "word/settings.xml").contains(r#"<w:evenAndOddHeaders w:val="1"/>"#));
    assert!(part(&dir.join("01-会议通知.docx"), "word/footer2.xml").contains(r#"<w:jc w:val="right"/>"#));
    assert!(part(&dir.join("01-会议通知.docx"), "word/footer3.xml").contains(r#"<w:jc w:val="left"/>"#));
    let minutes = part(&dir.join("05-会议记录.docx"), "word/document.xml");
    assert!(
        minutes.contains(
            r#"<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1797" w:bottom="1440" w:left="1797""#
        ),
        "{minutes}"
    );
}

/// Every run with text names its East Asian font; every table has a grid and fixed widths;
/// no row splits; the sign-in sheet's header repeats; the theme day embeds both photos.
#[test]
fn structure_fonts_tables_and_photos() {
    let out = quarter();
    let mut failures = Vec::new();
    for file in out.files("out", "docx") {
        let document = part(&file, "word/document.xml");
        for run in document.split("<w:r>").skip(1) {
            let run = run.split("</w:r>").next().unwrap();
            if (run.contains("<w:t>") || run.contains("<w:t xml")) && !run.contains("w:eastAsia=\"") {
                failures.push(format!("{}: a run without w:eastAsia: {run}", name(&file)));
                break;
            }
        }
        for table in document.split("<w:tbl>").skip(1) {
            if !table.contains("<w:tblGrid><w:gridCol w:w=\"") {
                failures.push(format!("{}: a table without w:tblGrid", name(&file)));
            }
            let rows = table.matches("<w:tr>").count();
            if table.matches("<w:cantSplit/>").count() < rows {
                failures.push(format!("{}: a row that may split", name(&file)));
            }
            if table.contains("<w:tcW w:w=\"0\"") {
                failures.push(format!("{}: a cell without width", name(&file)));
            }
        }
        let styles = part(&file, "word/styles.xml");
        for element in styles.split("<w:rFonts").skip(1) {
            if !element.split("/>").next().unwrap().contains("w:eastAsia=\"") {
                failures.push(format!("{}: a style's fonts without w:eastAsia", name(&file)));
            }
        }
    }
    let sign_in = part(&out.path("out/2026-11-05-支部党员大会/04-签到表.docx"), "word/document.xml");
    // The members' and the guests' header rows repeat.
    assert_eq!(sign_in.matches("<w:tblHeader/>").count(), 2, "the header rows repeat");
    let photos = out.path("out/2026-11-25-主题党日/06-影像资料.docx");
    let names = entries(&photos);
    assert!(
        names.contains(&"word/media/photo-1.jpg".to_string()) && names.contains(&"word/media/photo-2.png".to_string()),
        "{names:?}"
    );
    let document = part(&photos, "word/document.xml");
    assert_eq!(document.matches("<w:drawing>").count(), 2);
    // Each photo keeps its aspect ratio: the example JPEG is 4:3.
    let extent = document.split("<wp:extent cx=\"").nth(1).unwrap();
    let (cx, rest) = extent.split_once("\" cy=\"").unwrap();
    let cy = rest.split('"').next().unwrap();
    let (cx, cy): (f64, f64) = (cx.parse().unwrap(), cy.parse().unwrap());
    let jpeg = std::fs::read(out.path("out/2026-11-25-主题党日/photo-1.jpg")).unwrap();
    let size = imagesize::blob_size(&jpeg).unwrap();
    assert!((cx / cy - size.width as f64 / size.height as f64).abs() < 0.01, "{cx}×{cy} for {size:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn two_runs_write_the_same_bytes() {
    let first = quarter();
    let second = quarter();
    let files = first.files("out", "docx");
    assert!(!files.is_empty());
    for file in files {
        let relative = file.strip_prefix(first.path("")).unwrap();
        assert_eq!(
            std::fs::read(&file).unwrap(),
            std::fs::read(second.path("").join(relative)).unwrap(),
            "{}",
            relative.display()
        );
    }
    // docProps/core.xml carries the activity's date (14:30 China time), not the run's.
    let core = part(&first.path("out/2026-11-05-支部党员大会/05-会议记录.docx"), "docProps/core.xml");
    assert!(
        core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-05T06:30:00Z</dcterms:created>"),
        "{core}"
    );
}

/// A reference .docx as Chinese Word saves one: Normal with id "a", in 华文隶书, and its own
/// margins; `grid` is its document grid.
fn house_docx(grid: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let files = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_string()),
        ("word/styles.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{w}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia"/><w:sz w:val="21"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:rPr><w:rFonts w:ascii="华文隶书" w:hAnsi="华文隶书" w:eastAsia="华文隶书"/><w:sz w:val="28"/></w:rPr></w:style></w:styles>"#)),
        ("word/document.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body><w:p/><w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2000" w:right="1500" w:bottom="2000" w:left="1500" w:header="851" w:footer="992" w:gutter="0"/>{grid}</w:sectPr></w:body></w:document>"#)),
    ];
    for (name, text) in files {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn activity() -> String {
    format!("{}\n[[agenda]]\ntitle = \"学习党章\"\nnotes = \"逐条学习。\"\n", crate::common::header("支部党员大会"))
}

#[test]
fn a_reference_docx_gives_its_styles_and_page_setup() {
    let out = Test::new()
        .branch(&format!("reference_docx = \"样式/本单位.docx\"\n{BRANCH}"))
        .bytes("样式/本单位.docx", &house_docx(r#"<w:docGrid w:type="lines" w:linePitch="312"/>"#))
        .file("a.toml", &activity())
        .args(&["render", "a.toml", "--format", "docx", "-o", "out"])
        .run();
    out.assert_status(0);
    let minutes = out.path("out/a/05-会议记录.docx");
    let styles = part(&minutes, "word/styles.xml");
    // The unit's Normal, under pdb's id; pdb's Body Text added, taking Normal's font.
    let normal = styles.split("w:styleId=\"Normal\"").nth(1).unwrap_or_else(|| panic!("{styles}"));
    assert!(normal.split("</w:style>").next().unwrap().contains("w:eastAsia=\"华文隶书\""), "{styles}");
    let document = part(&minutes, "word/document.xml");
    assert!(document.contains("<w:pStyle w:val=\"BodyText\"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii=\"华文隶书\" w:hAnsi=\"华文隶书\" w:eastAsia=\"华文隶书\""), "{document}");
    // The records take the unit's page setup; the notice keeps GB/T 9704's, and its grid.
    assert!(document.contains(r#"<w:pgMar w:top="2000" w:right="1500" w:bottom="2000" w:left="1500""#), "{document}");
    let notice = part(&out.path("out/a/01-会议通知.docx"), "word/document.xml");
    assert!(notice.contains(r#"<w:pgMar w:top="2098" w:right="1474""#) && notice.contains("linesAndChars"), "{notice}");
    // Normal is 14 pt here: the 28-character grid is counted from it.
    assert!(notice.contains(r#"w:charSpace="7"#) || notice.contains(r#"w:charSpace="73"#), "{notice}");

    // A changed reference renders again: it is part of what the documents depend on.
    std::fs::write(out.path("样式/本单位.docx"), house_docx("")).unwrap();
    let again = out.then(&["render", "a.toml", "--format", "docx", "-o", "out"]);
    assert!(again.stdout.contains("生成 1 个"), "{again}");
}

#[test]
fn a_missing_or_broken_reference_is_a_located_error() {
    let out = Test::new()
        .branch(&format!("reference_docx = \"没有.docx\"\n{BRANCH}"))
        .file("a.toml", &activity())
        .args(&["render", "a.toml", "--format", "docx", "-o", "out"])
        .run();
    out.assert_status(1);
    assert!(out.stderr.contains("branch.toml:1:18"), "{out}");
    assert!(out.stderr.contains("Word 参考文档") && out.stderr.contains("文件不存在"), "{out}");
    assert!(!out.path("out/a/05-会议记录.docx").exists());

    let broken = Test::new()
        .branch(BRANCH)
        .file("a.toml", &activity())
        .file("坏.docx", "这不是 Word 文件")
        .args(&["render", "a.toml", "--format", "docx", "--reference-docx", "坏.docx", "-o", "out"])
        .run();
    broken.assert_status(2);
    assert!(broken.stderr.contains("坏.docx") && broken.stderr.contains("不是 Word 文档"), "{broken}");
}

#[test]
fn branch_formats_choose_word_without_the_flag() {
    let out = Test::new()
        .branch(&format!("formats = [\"docx\"]\n{BRANCH}"))
        .file("a.toml", &activity())
        .env("PDB_TYPST", "none")
        .args(&["render", "a.toml", "-o", "out"])
        .run();
    out.assert_status(0);
    assert!(out.path("out/a/05-会议记录.docx").is_file(), "{out}");
    assert!(out.files("out", "md").is_empty() && out.files("out", "typ").is_empty(), "{out}");
    // --format still wins.
    let flag = out.then(&["render", "a.toml", "-o", "out2", "--format", "markdown"]);
    assert!(flag.files("out2", "docx").is_empty() && !flag.files("out2", "md").is_empty());
}

/// Markup of every format, XML specials, and a paragraph break, in every kind of field.
const HOSTILE: &str = r#"<w:t>&amp; "q" 'a' </w:p>]]><!-- x --> {{ tera }} {% if %} #read("/etc") $x$ *b* \n"#;

#[test]
fn hostile_text_survives_in_word() {
    let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n"));
    let text = format!("{HOSTILE}第一段\n\n{HOSTILE}第二段");
    let activity = format!(
        "{}title = {}\n\n[attendance]\nabsent = [ {{ name = \"赵强\", reason = {} }} ]\nguests = [ {{ name = {}, title = {} }} ]\n\n\
         [[agenda]]\ntitle = {}\nnotes = {}\nspeeches = [ {{ speaker = \"王芳\", text = {} }} ]\n\n\
         [[decisions]]\ntext = {}\nagenda = 1\nvotes = {{ yes = 11, no = 0, abstain = 0 }}\n\n\
         [summary]\ntext = {}\n\n[[reflections]]\nauthor = \"王芳\"\ntext = {}\n",
        crate::common::header("支部党员大会").replace("location = \"局机关三楼会议室\"", &format!("location = {}", q(&format!("地点{HOSTILE}")))),
        q(&format!("标题{HOSTILE}")),
        q(&format!("事由{HOSTILE}")),
        q(&format!("列席{HOSTILE}")),
        q(&format!("职务{HOSTILE}")),
        q(&format!("议程{HOSTILE}")),
        q(&text),
        q(&text),
        q(&text),
        q(&text),
        q(&text),
    );
    let out = Test::new()
        .branch(BRANCH)
        .file("a.toml", &activity)
        .args(&["render", "a.toml", "--format", "docx", "-o", "out"])
        .run();
    out.assert_status(0);
    let files = out.files("out/a", "docx");
    let Some(texts) = paragraphs(&files) else { return };
    let all: String = texts.values().flatten().cloned().collect::<Vec<_>>().join("\n");
    for marker in ["标题", "地点", "事由", "列席", "职务", "议程"] {
        assert!(all.contains(&format!("{marker}{HOSTILE}")), "{marker} does not survive:\n{all}");
    }
    // A blank line is a paragraph break: the second paragraph is a paragraph of its own.
    for file in ["a/05-会议记录.docx", "a/07-会议纪要.docx", "a/08-心得体会.docx"] {
        assert!(texts[file].iter().any(|p| p == &format!("{HOSTILE}第二段")), "{file}: {:#?}", texts[file]);
    }
}

/// LibreOffice prints what Word shows: the example quarter through soffice and pdftotext.
#[test]
fn libreoffice_prints_the_example_quarter() {
    if !have(&[SOFFICE, PDFTOTEXT], "the LibreOffice test (apt install libreoffice-writer-nogui poppler-utils)") {
        return;
    }
    let out = quarter();
    let mut texts = BTreeMap::new();
    for dir in ["2026-11-05-支部党员大会", "2026-11-25-主题党日", "."] {
        let pdf = out.path("pdf").join(dir);
        std::fs::create_dir_all(&pdf).unwrap();
        let files: Vec<PathBuf> = std::fs::read_dir(out.path("out").join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "docx"))
            .collect();
        let converted = Command::new("soffice")
            .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
            .arg(&pdf)
            .args(&files)
            .env("HOME", out.path(""))
            .output()
            .unwrap();
        assert!(converted.status.success(), "{}", String::from_utf8_lossy(&converted.stderr));
        for file in files {
            let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
            let output =
                Command::new("pdftotext").arg("-raw").arg(pdf.join(format!("{stem}.pdf"))).arg("-").output().unwrap();
            assert!(output.status.success(), "LibreOffice made no PDF of {}", file.display());
            let text: String =
                String::from_utf8(output.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
            texts.insert(format!("{dir}/{stem}"), text);
        }
    }
    let facts: &[(&str, &[&str])] = &[
        (
            "2026-11-05-支部党员大会/05-会议记录",
            &[
                "表决情况：共11票（含书面意见1份），同意10票，不同意0票，弃权1票，通过。",
                "主持人（签字）：",
                "散会。",
                "赵强（请假：出差）",
            ],
        ),
        ("2026-11-05-支部党员大会/01-会议通知", &["全体党员（应到14人）", "2026年11月5日（星期四）14:30—16:40"]),
        ("2026-11-05-支部党员大会/04-签到表", &["徐文博", "应到14人"]),
        ("2026-11-25-主题党日/06-影像资料", &["照片1：", "照片2："]),
        ("./台账", &["频次检查", "支部党员大会"]),
    ];
    for (file, wanted) in facts {
        let text = &texts[*file];
        for fact in *wanted {
            assert!(text.contains(fact), "{file}: {fact} not in {text}");
        }
    }
}
